/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Settings"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <handy.h>

#include "capa-control-group.h"
#include "capa-control-row.h"
#include "capa-controls-dialog.h"

/**
 * CapaControlsDialog:
 *
 * A window with every setting of a camera, one page for each section of
 * its settings tree (a sidebar lists them), each setting a
 * [class@Capa.ControlRow]; the search button (or typing) filters them by
 * name. A value the camera refuses is reported in the window's own info
 * bar and by [signal@Capa.ControlsDialog::error].
 */

struct _CapaControlsDialog
{
  GtkWindow          parent_instance;

  /* owned */
  CapaCamera        *camera;
  CapaControlGroup  *root;           /* the tree the pages show */
  GCancellable      *cancellable;
  GPtrArray         *lists;          /* GtkListBox, one per group shown */
  char              *search;         /* casefolded, NULL when not searching */

  /* template widgets */
  GtkHeaderBar      *header_bar;
  GtkSearchBar      *search_bar;
  GtkSearchEntry    *search_entry;
  GtkInfoBar        *error_bar;
  GtkLabel          *error_label;
  GtkStack          *content_stack;
  HdyStatusPage     *status_page;
  GtkStack          *sections;
};

G_DEFINE_FINAL_TYPE (CapaControlsDialog, capa_controls_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CAMERA,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ERROR,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* search                                                               */
/* ------------------------------------------------------------------ */

static gboolean
row_matches (CapaControlsDialog *self,
             GtkListBoxRow      *row)
{
  CapaControl *control;
  g_autofree char *label = NULL;
  g_autofree char *name = NULL;

  if (self->search == NULL || !CAPA_IS_CONTROL_ROW (row))
    return TRUE;

  control = capa_control_row_get_control (CAPA_CONTROL_ROW (row));
  label = g_utf8_casefold (capa_control_get_label (control), -1);
  name = g_utf8_casefold (capa_control_get_name (control), -1);
  return strstr (label, self->search) != NULL || strstr (name, self->search) != NULL;
}

static gboolean
filter_row_cb (GtkListBoxRow *row,
               gpointer       user_data)
{
  return row_matches (CAPA_CONTROLS_DIALOG (user_data), row);
}

static void
on_search_changed_cb (CapaControlsDialog *self)
{
  const char *text = gtk_entry_get_text (GTK_ENTRY (self->search_entry));
  GtkWidget *visible_page = gtk_stack_get_visible_child (self->sections);
  GtkWidget *first_match = NULL;
  gboolean visible_matches = FALSE;

  g_clear_pointer (&self->search, g_free);
  if (text != NULL && text[0] != '\0')
    self->search = g_utf8_casefold (text, -1);

  for (guint i = 0; i < self->lists->len; i++)
    {
      GtkWidget *list = g_ptr_array_index (self->lists, i);
      GtkWidget *heading = g_object_get_data (G_OBJECT (list), "capa-heading");
      GtkWidget *page = g_object_get_data (G_OBJECT (list), "capa-page");
      g_autoptr(GList) rows = gtk_container_get_children (GTK_CONTAINER (list));
      gboolean any = FALSE;

      gtk_list_box_invalidate_filter (GTK_LIST_BOX (list));
      for (GList *l = rows; l != NULL && !any; l = l->next)
        any = row_matches (self, l->data);

      /* A group without a match is hidden, heading and all. */
      gtk_widget_set_visible (list, any);
      if (heading != NULL)
        gtk_widget_set_visible (heading, any);
      if (any && first_match == NULL)
        first_match = page;
      if (any && page == visible_page)
        visible_matches = TRUE;
    }

  if (!visible_matches && first_match != NULL)
    gtk_stack_set_visible_child (self->sections, first_match);
}

/* ------------------------------------------------------------------ */
/* pages                                                                */
/* ------------------------------------------------------------------ */

static void
on_row_error_cb (CapaControlsDialog *self,
                 GError             *error)
{
  gtk_label_set_text (self->error_label, error->message);
  gtk_info_bar_set_revealed (self->error_bar, TRUE);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

static void
on_error_bar_response_cb (CapaControlsDialog *self)
{
  gtk_info_bar_set_revealed (self->error_bar, FALSE);
}

static void
bold_label (GtkWidget *label)
{
  PangoAttrList *attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (GTK_LABEL (label), attributes);
  pango_attr_list_unref (attributes);
}

static GtkWidget *
new_list (CapaControlsDialog *self,
          GtkWidget          *page,
          GtkWidget          *heading)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_list_box_set_filter_func (GTK_LIST_BOX (list), filter_row_cb, self, NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (list), "content");
  g_object_set_data (G_OBJECT (list), "capa-page", page);
  g_object_set_data (G_OBJECT (list), "capa-heading", heading);
  if (heading != NULL)
    {
      AtkObject *list_accessible = gtk_widget_get_accessible (list);

      atk_object_add_relationship (list_accessible, ATK_RELATION_LABELLED_BY,
                                   gtk_widget_get_accessible (heading));
    }
  g_ptr_array_add (self->lists, list);

  return list;
}

/* Adds @group's settings to @box: its own in one list, then each group
 * in it under its heading. */
static void
add_group (CapaControlsDialog *self,
           GtkWidget          *page,
           GtkWidget          *box,
           CapaControlGroup   *group,
           GtkWidget          *heading)
{
  GPtrArray *children = capa_control_group_get_controls (group);
  GtkWidget *list = NULL;

  for (guint i = 0; children != NULL && i < children->len; i++)
    {
      CapaControl *child = g_ptr_array_index (children, i);
      GtkWidget *row;

      if (CAPA_IS_CONTROL_GROUP (child))
        continue;

      if (list == NULL)
        {
          if (heading != NULL)
            gtk_container_add (GTK_CONTAINER (box), heading);
          list = new_list (self, page, heading);
          gtk_container_add (GTK_CONTAINER (box), list);
        }
      row = capa_control_row_new (self->camera, child);
      g_signal_connect_object (row, "error", G_CALLBACK (on_row_error_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_container_add (GTK_CONTAINER (list), row);
    }

  /* A heading over no setting of its own is not shown. */
  if (list == NULL && heading != NULL)
    {
      g_object_ref_sink (heading);
      g_object_unref (heading);
    }

  for (guint i = 0; children != NULL && i < children->len; i++)
    {
      CapaControl *child = g_ptr_array_index (children, i);
      GtkWidget *sub_heading;

      if (!CAPA_IS_CONTROL_GROUP (child))
        continue;

      sub_heading = gtk_label_new (capa_control_get_label (child));
      gtk_label_set_xalign (GTK_LABEL (sub_heading), 0);
      gtk_widget_set_margin_top (sub_heading, 12);
      bold_label (sub_heading);
      add_group (self, page, box, CAPA_CONTROL_GROUP (child), sub_heading);
    }
}

static void
add_page (CapaControlsDialog *self,
          CapaControlGroup   *group,
          const char         *name,
          const char         *title)
{
  GtkWidget *scroller = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *clamp = hdy_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  hdy_clamp_set_maximum_size (HDY_CLAMP (clamp), 600);
  g_object_set (box, "margin", 24, NULL);
  gtk_container_add (GTK_CONTAINER (clamp), box);
  gtk_container_add (GTK_CONTAINER (scroller), clamp);

  add_group (self, scroller, box, group, NULL);

  gtk_widget_show_all (scroller);
  gtk_stack_add_titled (self->sections, scroller, name, title);
}

static void
remove_pages (CapaControlsDialog *self)
{
  g_autoptr(GList) pages = gtk_container_get_children (GTK_CONTAINER (self->sections));

  g_ptr_array_set_size (self->lists, 0);
  for (GList *l = pages; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
}

static void
rebuild (CapaControlsDialog *self)
{
  GPtrArray *children;
  gboolean loose = FALSE;

  remove_pages (self);

  if (self->root == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      return;
    }

  children = capa_control_group_get_controls (self->root);
  for (guint i = 0; children != NULL && i < children->len; i++)
    {
      CapaControl *child = g_ptr_array_index (children, i);

      if (CAPA_IS_CONTROL_GROUP (child))
        add_page (self, CAPA_CONTROL_GROUP (child), capa_control_get_path (child),
                  capa_control_get_label (child));
      else
        loose = TRUE;
    }

  /* Settings directly under the root (not in a section) get a page of
   * their own, first. */
  if (loose)
    {
      GtkWidget *scroller = gtk_scrolled_window_new (NULL, NULL);
      GtkWidget *clamp = hdy_clamp_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *list = new_list (self, scroller, NULL);

      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                      GTK_POLICY_AUTOMATIC);
      g_object_set (box, "margin", 24, NULL);
      for (guint i = 0; i < children->len; i++)
        {
          CapaControl *child = g_ptr_array_index (children, i);
          GtkWidget *row;

          if (CAPA_IS_CONTROL_GROUP (child))
            continue;
          row = capa_control_row_new (self->camera, child);
          g_signal_connect_object (row, "error", G_CALLBACK (on_row_error_cb), self,
                                   G_CONNECT_SWAPPED);
          gtk_container_add (GTK_CONTAINER (list), row);
        }
      gtk_container_add (GTK_CONTAINER (box), list);
      gtk_container_add (GTK_CONTAINER (clamp), box);
      gtk_container_add (GTK_CONTAINER (scroller), clamp);
      gtk_widget_show_all (scroller);
      gtk_stack_add_titled (self->sections, scroller, "general", _("General"));
      gtk_container_child_set (GTK_CONTAINER (self->sections), scroller, "position", 0, NULL);
      gtk_stack_set_visible_child (self->sections, scroller);
    }

  if (self->lists->len == 0)
    {
      hdy_status_page_set_title (self->status_page, _("No Settings"));
      hdy_status_page_set_description (self->status_page,
                                       _("This camera does not let the computer change its "
                                         "settings."));
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      return;
    }

  gtk_stack_set_visible_child_name (self->content_stack, "settings");
  on_search_changed_cb (self);
}

/* ------------------------------------------------------------------ */
/* the camera                                                           */
/* ------------------------------------------------------------------ */

static void
take_tree (CapaControlsDialog *self)
{
  CapaControlGroup *root = capa_camera_get_controls (self->camera);

  if (root == self->root && root != NULL)
    return;

  g_set_object (&self->root, root);
  rebuild (self);
}

static void
on_load_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CapaControlsDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!capa_camera_load_controls_finish (CAPA_CAMERA (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      hdy_status_page_set_icon_name (self->status_page, "dialog-warning-symbolic");
      hdy_status_page_set_title (self->status_page, _("Cannot Read the Settings"));
      hdy_status_page_set_description (self->status_page, error->message);
      on_row_error_cb (self, error);
      return;
    }

  take_tree (self);
}

static void
on_camera_controls_changed_cb (CapaControlsDialog *self)
{
  take_tree (self);
}

static gboolean
capa_controls_dialog_key_press_event (GtkWidget   *widget,
                                      GdkEventKey *event)
{
  CapaControlsDialog *self = CAPA_CONTROLS_DIALOG (widget);

  if (GTK_WIDGET_CLASS (capa_controls_dialog_parent_class)->key_press_event (widget, event))
    return GDK_EVENT_STOP;

  if (event->keyval == GDK_KEY_Escape)
    {
      gtk_window_close (GTK_WINDOW (self));
      return GDK_EVENT_STOP;
    }

  /* Typing starts a search, as in GNOME's settings windows. */
  return gtk_search_bar_handle_event (self->search_bar, (GdkEvent *) event);
}

static void
capa_controls_dialog_constructed (GObject *object)
{
  CapaControlsDialog *self = CAPA_CONTROLS_DIALOG (object);

  G_OBJECT_CLASS (capa_controls_dialog_parent_class)->constructed (object);

  g_assert (CAPA_IS_CAMERA (self->camera));

  capa_controls_dialog_set_camera_title (self, NULL);
  g_signal_connect_object (self->camera, "controls-changed",
                           G_CALLBACK (on_camera_controls_changed_cb), self, G_CONNECT_SWAPPED);

  if (capa_camera_get_controls (self->camera) != NULL)
    take_tree (self);
  else
    capa_camera_load_controls_async (self->camera, self->cancellable, on_load_done_cb,
                                     g_object_ref (self));
}

static void
capa_controls_dialog_dispose (GObject *object)
{
  CapaControlsDialog *self = CAPA_CONTROLS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->lists != NULL)
    g_ptr_array_set_size (self->lists, 0);
  g_clear_object (&self->root);

  G_OBJECT_CLASS (capa_controls_dialog_parent_class)->dispose (object);
}

static void
capa_controls_dialog_finalize (GObject *object)
{
  CapaControlsDialog *self = CAPA_CONTROLS_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->camera);
  g_clear_pointer (&self->lists, g_ptr_array_unref);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (capa_controls_dialog_parent_class)->finalize (object);
}

static void
capa_controls_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CapaControlsDialog *self = CAPA_CONTROLS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      g_value_set_object (value, self->camera);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_controls_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CapaControlsDialog *self = CAPA_CONTROLS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      self->camera = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_controls_dialog_class_init (CapaControlsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = capa_controls_dialog_constructed;
  object_class->dispose = capa_controls_dialog_dispose;
  object_class->finalize = capa_controls_dialog_finalize;
  object_class->get_property = capa_controls_dialog_get_property;
  object_class->set_property = capa_controls_dialog_set_property;
  widget_class->key_press_event = capa_controls_dialog_key_press_event;

  /**
   * CapaControlsDialog:camera:
   *
   * The camera whose settings are shown.
   */
  properties[PROP_CAMERA] =
    g_param_spec_object ("camera", NULL, NULL,
                         CAPA_TYPE_CAMERA,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapaControlsDialog::error:
   * @self: a #CapaControlsDialog
   * @error: what went wrong, for the user to read
   *
   * The camera refused a value, or its settings could not be read or
   * sent; the dialog shows the message in its info bar too.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  g_type_ensure (HDY_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/capaphoto/Capa/ui/capa-controls-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CapaControlsDialog, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CapaControlsDialog, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CapaControlsDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CapaControlsDialog, error_bar);
  gtk_widget_class_bind_template_child (widget_class, CapaControlsDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CapaControlsDialog, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CapaControlsDialog, status_page);
  gtk_widget_class_bind_template_child (widget_class, CapaControlsDialog, sections);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_error_bar_response_cb);
}

/* The info bar's close button is an icon without a name: give it one. */
static void
name_close_button (GtkWidget *widget,
                   gpointer   user_data)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
    {
      atk_object_set_name (gtk_widget_get_accessible (widget), _("Close"));
      gtk_widget_set_tooltip_text (widget, _("Close"));
    }
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), name_close_button, NULL);
}

static void
capa_controls_dialog_init (CapaControlsDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->lists = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_container_forall (GTK_CONTAINER (self->error_bar), name_close_button, NULL);
}

/**
 * capa_controls_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @camera: the camera whose settings are shown
 *
 * Creates a window with every setting of @camera, reading them first
 * with [method@Capa.Camera.load_controls_async] unless they are read
 * already. Show it with [method@Gtk.Window.present].
 *
 * Returns: (transfer none): a new #CapaControlsDialog (a toplevel window,
 *   owned by GTK until it is destroyed)
 */
GtkWidget *
capa_controls_dialog_new (GtkWindow  *parent,
                          CapaCamera *camera)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CAPA_IS_CAMERA (camera), NULL);

  return g_object_new (CAPA_TYPE_CONTROLS_DIALOG,
                       "transient-for", parent,
                       "camera", camera,
                       NULL);
}

/**
 * capa_controls_dialog_set_camera_title:
 * @self: a #CapaControlsDialog
 * @title: (nullable): what names the camera to the user, such as "D750 2"
 *   for the second of two D750s; %NULL for its model
 *
 * Names the camera in the window's title, so that the windows of several
 * cameras are told apart.
 */
void
capa_controls_dialog_set_camera_title (CapaControlsDialog *self,
                                       const char         *title)
{
  g_autofree char *window_title = NULL;

  g_return_if_fail (CAPA_IS_CONTROLS_DIALOG (self));

  if (title == NULL)
    title = capa_camera_get_model (self->camera);
  /* Translators: a window's title, as the window list shows it; %s names a camera */
  window_title = g_strdup_printf (_("All Settings — %s"), title);
  /* GTK shows it in the header bar too: the camera is named once. */
  gtk_window_set_title (GTK_WINDOW (self), window_title);
  gtk_header_bar_set_subtitle (self->header_bar, NULL);
}

/**
 * capa_controls_dialog_get_camera:
 * @self: a #CapaControlsDialog
 *
 * Gets the camera whose settings are shown.
 *
 * Returns: (transfer none): the camera
 */
CapaCamera *
capa_controls_dialog_get_camera (CapaControlsDialog *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROLS_DIALOG (self), NULL);

  return self->camera;
}
