/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Settings"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <handy.h>

#include "capa-control-group.h"
#include "capa-control-row.h"
#include "capa-controls-dialog.h"
#include "capa-settings-panel.h"

/**
 * CapaSettingsPanel:
 *
 * The side panel of the window: a few settings of the camera, chosen by
 * the user for each camera model, as [class@Capa.ControlRow]s, with
 * "Choose Settings…" to pick them and "All Settings…" to open a
 * [class@Capa.ControlsDialog] with every setting.
 *
 * The choice is kept in the `panel-controls` key of the relocatable
 * schema `org.capaphoto.Capa.CameraModel`, at
 * `/org/capaphoto/Capa/cameras/<model>/` (see
 * [func@Capa.SettingsPanel.dup_settings_path]); empty means the default:
 * mode, aperture, shutter speed, ISO, exposure compensation, white
 * balance, image format, focus mode and battery level, under the names
 * the camera's driver gives them.
 *
 * The rows follow the changes the camera reports; as not every camera
 * reports every dial turned on its body, the settings are also read
 * again after each shot, once the camera has been quiet for a moment
 * (so a burst of shots costs one read), and never while the user is
 * changing a setting.
 */

/* After a shot the camera's settings are read again (a dial turned on the
 * body between shots may have sent no event), once the camera has been
 * quiet this long: no shot, download or deletion meanwhile. A burst of
 * shots thus costs one read, which never holds up their downloads. */
#define RELOAD_QUIET_MS 1000
/* While the user edits a setting the read waits; it looks again after
 * this long. */
#define RELOAD_RETRY_MS 500

#define MODEL_SCHEMA_ID "org.capaphoto.Capa.CameraModel"
#define MODEL_SCHEMA_PATH "/org/capaphoto/Capa/cameras/"
#define PANEL_CONTROLS_KEY "panel-controls"

/* The default settings, each under the names libgphoto2's drivers give
 * it (ptp2 for Nikon, Canon and Sony bodies, and the test camera); the
 * first name the camera has is shown. */
static const char * const default_controls[][4] = {
  { "expprogram", "autoexposuremode", "autoexposuremodedial", NULL },  /* mode */
  { "f-number", "aperture", NULL },                                     /* aperture */
  { "shutterspeed", "shutterspeed2", NULL },                            /* shutter speed */
  { "iso", "isospeed", NULL },                                          /* ISO */
  { "exposurecompensation", "exposurecompensation2", NULL },            /* exposure comp. */
  { "whitebalance", NULL },                                             /* white balance */
  { "imagequality", "imageformat", NULL },                              /* format, quality */
  { "focusmode", "focusmode2", NULL },                                  /* focus mode */
  { "batterylevel", NULL },                                             /* battery */
};

struct _CapaSettingsPanel
{
  GtkBin             parent_instance;

  /* owned */
  CapaCamera        *camera;
  CapaControlGroup  *root;            /* the tree the rows show */
  GSettings         *settings;        /* the camera model's, NULL without a camera */
  GCancellable      *cancellable;     /* the current camera's loads */
  GtkWidget         *dialog;          /* weak: the "All Settings" dialog */
  char              *camera_title;
  guint              load_idle_id;
  guint              reload_id;       /* the quiet wait before a read after a shot */
  guint              loading : 1;
  guint              reloading : 1;   /* a read after a shot is under way */
  guint              reload_again : 1;  /* a shot came while it ran */
  guint              load_failed : 1;
  guint              building_choices : 1;

  /* template widgets */
  GtkSpinner        *spinner;
  GtkStack          *stack;
  HdyStatusPage     *status_page;
  GtkListBox        *list;
  GtkWidget         *button_box;
  GtkWidget         *choose_box;
};

G_DEFINE_FINAL_TYPE (CapaSettingsPanel, capa_settings_panel, GTK_TYPE_BIN)

enum {
  PROP_0,
  PROP_CAMERA,
  PROP_CAMERA_TITLE,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ERROR,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void rebuild (CapaSettingsPanel *self,
                     gboolean           with_choices);

/* ------------------------------------------------------------------ */
/* the tree                                                             */
/* ------------------------------------------------------------------ */

static CapaControl *
find_by_name (CapaControlGroup *group,
              const char       *name)
{
  GPtrArray *children = capa_control_group_get_controls (group);

  for (guint i = 0; children != NULL && i < children->len; i++)
    {
      CapaControl *child = g_ptr_array_index (children, i);

      if (CAPA_IS_CONTROL_GROUP (child))
        {
          CapaControl *found = find_by_name (CAPA_CONTROL_GROUP (child), name);

          if (found != NULL)
            return found;
        }
      else if (g_strcmp0 (capa_control_get_name (child), name) == 0)
        return child;
    }

  return NULL;
}

/* The default names: for each default setting, the first name the tree
 * has (or, without a tree, the first name of each). */
static GStrv
dup_default_names (CapaControlGroup *root)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (default_controls); i++)
    {
      for (guint j = 0; default_controls[i][j] != NULL; j++)
        {
          if (root == NULL || find_by_name (root, default_controls[i][j]) != NULL)
            {
              g_strv_builder_add (builder, default_controls[i][j]);
              break;
            }
        }
    }

  return g_strv_builder_end (builder);
}

/* ------------------------------------------------------------------ */
/* the rows                                                             */
/* ------------------------------------------------------------------ */

static void
on_row_error_cb (CapaSettingsPanel *self,
                 GError            *error)
{
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

static void
show_status (CapaSettingsPanel *self,
             const char        *icon_name,
             const char        *title,
             const char        *description)
{
  hdy_status_page_set_icon_name (self->status_page, icon_name);
  hdy_status_page_set_title (self->status_page, title);
  hdy_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
on_choice_toggled_cb (CapaSettingsPanel *self,
                      GtkToggleButton   *check)
{
  const char *name = g_object_get_data (G_OBJECT (check), "capa-control-name");
  g_auto(GStrv) names = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (self->building_choices || self->settings == NULL)
    return;

  names = capa_settings_panel_dup_control_names (self);
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], name) != 0)
      g_strv_builder_add (builder, names[i]);
  if (gtk_toggle_button_get_active (check))
    g_strv_builder_add (builder, name);

  g_strfreev (names);
  names = g_strv_builder_end (builder);
  capa_settings_panel_set_control_names (self, (const char * const *) names);
}

static void
add_choices (CapaSettingsPanel *self,
             CapaControlGroup  *group,
             GStrv              shown,
             gboolean           top)
{
  GPtrArray *children = capa_control_group_get_controls (group);

  for (guint i = 0; children != NULL && i < children->len; i++)
    {
      CapaControl *child = g_ptr_array_index (children, i);
      GtkWidget *check;

      if (CAPA_IS_CONTROL_GROUP (child))
        {
          if (top)
            {
              GtkWidget *heading = gtk_label_new (capa_control_get_label (child));

              gtk_label_set_xalign (GTK_LABEL (heading), 0);
              gtk_widget_set_margin_top (heading, 6);
              gtk_style_context_add_class (gtk_widget_get_style_context (heading),
                                           GTK_STYLE_CLASS_DIM_LABEL);
              gtk_widget_show (heading);
              gtk_container_add (GTK_CONTAINER (self->choose_box), heading);
            }
          add_choices (self, CAPA_CONTROL_GROUP (child), shown, FALSE);
          continue;
        }

      check = gtk_check_button_new_with_label (capa_control_get_label (child));
      g_object_set_data_full (G_OBJECT (check), "capa-control-name",
                              g_strdup (capa_control_get_name (child)), g_free);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check),
                                    g_strv_contains ((const char * const *) shown,
                                                     capa_control_get_name (child)));
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_choice_toggled_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_widget_show (check);
      gtk_container_add (GTK_CONTAINER (self->choose_box), check);
    }
}

static void
remove_children (GtkWidget *container)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (container));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
}

/* The check buttons follow the names shown, without being made anew
 * (one of them may be the one just toggled). */
static void
sync_choices (CapaSettingsPanel *self,
              GStrv              shown)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->choose_box));

  self->building_choices = TRUE;
  for (GList *l = children; l != NULL; l = l->next)
    {
      const char *name = g_object_get_data (l->data, "capa-control-name");

      if (name != NULL)
        gtk_toggle_button_set_active (l->data,
                                      g_strv_contains ((const char * const *) shown, name));
    }
  self->building_choices = FALSE;
}

/* Makes the rows anew, and with @with_choices the check buttons of
 * "Choose Settings…" too. */
static void
rebuild (CapaSettingsPanel *self,
         gboolean           with_choices)
{
  g_auto(GStrv) names = NULL;
  guint n_rows = 0;

  remove_children (GTK_WIDGET (self->list));
  self->building_choices = TRUE;
  if (with_choices || self->root == NULL)
    remove_children (self->choose_box);

  /* Without settings to choose from, the empty state says it all. */
  gtk_widget_set_visible (self->button_box, self->root != NULL);
  if (self->loading)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);

  if (self->camera == NULL || !capa_camera_get_connected (self->camera))
    {
      self->building_choices = FALSE;
      show_status (self, "camera-photo-symbolic", _("No Camera"),
                   _("Connect a camera to change its settings here."));
      return;
    }
  if (!capa_camera_get_has_settings (self->camera))
    {
      self->building_choices = FALSE;
      show_status (self, "camera-photo-symbolic", _("No Settings"),
                   _("This camera does not let the computer change its settings."));
      return;
    }
  if (self->root == NULL)
    {
      self->building_choices = FALSE;
      if (self->load_failed)
        show_status (self, "dialog-warning-symbolic", _("Cannot Read the Settings"),
                     _("Switch the camera off and on again, then reconnect it."));
      else
        show_status (self, "camera-photo-symbolic", _("Reading the Settings…"),
                     _("The camera is sending its settings."));
      return;
    }

  names = capa_settings_panel_dup_control_names (self);
  for (guint i = 0; names[i] != NULL; i++)
    {
      CapaControl *control = find_by_name (self->root, names[i]);
      GtkWidget *row;

      if (control == NULL)
        continue;

      row = capa_control_row_new (self->camera, control);
      g_signal_connect_object (row, "error", G_CALLBACK (on_row_error_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_widget_show (row);
      gtk_container_add (GTK_CONTAINER (self->list), row);
      n_rows++;
    }

  self->building_choices = FALSE;
  if (with_choices)
    {
      self->building_choices = TRUE;
      add_choices (self, self->root, names, TRUE);
      self->building_choices = FALSE;
    }
  else
    sync_choices (self, names);

  if (n_rows == 0)
    show_status (self, "emblem-system-symbolic", _("No Settings Chosen"),
                 _("Pick the settings to show here with “Choose Settings…”."));
  else
    gtk_stack_set_visible_child_name (self->stack, "controls");
}

/* ------------------------------------------------------------------ */
/* the camera                                                           */
/* ------------------------------------------------------------------ */

static void
take_tree (CapaSettingsPanel *self)
{
  CapaControlGroup *root = capa_camera_get_controls (self->camera);

  if (root == self->root)
    return;

  g_set_object (&self->root, root);
  rebuild (self, TRUE);
}

static void
on_load_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CapaSettingsPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!capa_camera_load_controls_finish (CAPA_CAMERA (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The camera went (unplugged, or another one) while it read. */
      if (CAPA_CAMERA (object) != self->camera)
        return;
      self->load_failed = TRUE;
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
    }

  if (CAPA_CAMERA (object) != self->camera)
    return;
  self->loading = FALSE;
  g_set_object (&self->root, capa_camera_get_controls (self->camera));
  rebuild (self, TRUE);
}

static void
load_controls (CapaSettingsPanel *self)
{
  if (self->loading || !capa_camera_get_connected (self->camera) ||
      !capa_camera_get_has_settings (self->camera))
    return;

  self->loading = TRUE;
  self->load_failed = FALSE;
  capa_camera_load_controls_async (self->camera, self->cancellable, on_load_done_cb,
                                   g_object_ref (self));
}

static gboolean
load_idle_cb (gpointer data)
{
  CapaSettingsPanel *self = data;

  self->load_idle_id = 0;
  load_controls (self);
  rebuild (self, TRUE);
  return G_SOURCE_REMOVE;
}

/* --- reading the settings again after a shot --- */

static void
find_edited_row (GtkWidget *widget,
                 gpointer   data)
{
  gboolean *edited = data;

  if (*edited)
    return;

  if (CAPA_IS_CONTROL_ROW (widget))
    {
      CapaControlRow *row = CAPA_CONTROL_ROW (widget);
      GtkWidget *value = capa_control_row_get_value_widget (row);
      gboolean popup = FALSE;

      /* A change on its way, a drop-down open, a cursor in an entry or a
       * spin button: what the camera says would overwrite it. */
      if (capa_control_row_get_busy (row))
        *edited = TRUE;
      else if (GTK_IS_COMBO_BOX (value))
        {
          g_object_get (value, "popup-shown", &popup, NULL);
          *edited = popup;
        }
      else if (GTK_IS_ENTRY (value))
        *edited = gtk_widget_is_focus (value);
      return;
    }

  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_edited_row, data);
}

/* Whether the user is changing a setting, here or in the "All Settings"
 * dialog. */
static gboolean
user_is_editing (CapaSettingsPanel *self)
{
  gboolean edited = FALSE;

  find_edited_row (GTK_WIDGET (self->list), &edited);
  if (self->dialog != NULL)
    find_edited_row (self->dialog, &edited);
  return edited;
}

static void schedule_reload (CapaSettingsPanel *self,
                             guint              delay_ms);

static void
on_reload_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CapaSettingsPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean loaded;

  loaded = capa_camera_load_controls_finish (CAPA_CAMERA (object), result, &error);
  /* Another camera meanwhile: drop_camera() started afresh. */
  if (CAPA_CAMERA (object) != self->camera)
    return;

  self->reloading = FALSE;
  if (!loaded)
    {
      g_debug ("Cannot read the settings again after a shot: %s", error->message);
      /* A camera that went away says so through the window already. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && capa_camera_get_connected (self->camera))
        g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
      return;
    }

  /* The rows follow their controls; only a new tree needs new rows. */
  take_tree (self);
  if (self->reload_again)
    {
      self->reload_again = FALSE;
      schedule_reload (self, RELOAD_QUIET_MS);
    }
}

static gboolean
reload_cb (gpointer data)
{
  CapaSettingsPanel *self = data;

  self->reload_id = 0;

  /* The first read (or one after reconnecting) reads everything anyway. */
  if (self->camera == NULL || self->loading || self->root == NULL
      || !capa_camera_get_connected (self->camera)
      || !capa_camera_get_has_settings (self->camera))
    return G_SOURCE_REMOVE;

  if (self->reloading)
    {
      self->reload_again = TRUE;
      return G_SOURCE_REMOVE;
    }

  if (user_is_editing (self))
    {
      g_debug ("A setting is being edited: the settings are read later");
      schedule_reload (self, RELOAD_RETRY_MS);
      return G_SOURCE_REMOVE;
    }

  g_debug ("Reading the settings again after a shot");
  self->reloading = TRUE;
  self->reload_again = FALSE;
  capa_camera_load_controls_async (self->camera, self->cancellable, on_reload_done_cb,
                                   g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_reload (CapaSettingsPanel *self,
                 guint              delay_ms)
{
  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->reload_id = g_timeout_add (delay_ms, reload_cb, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->reload_id),
                            "[capa] settings read after a shot");
}

/* A shot, taken from the computer or with the camera's own button. */
static void
on_camera_shot_cb (CapaSettingsPanel *self)
{
  schedule_reload (self, RELOAD_QUIET_MS);
}

/* A download or a deletion: the camera is still busy with the shots, and
 * a read waiting for them waits longer. */
static void
on_camera_file_cb (CapaSettingsPanel *self)
{
  if (self->reload_id != 0)
    schedule_reload (self, RELOAD_QUIET_MS);
}

static void
on_camera_controls_changed_cb (CapaSettingsPanel *self)
{
  /* The rows follow their controls; only a new tree needs new rows. */
  if (!self->loading)
    take_tree (self);
}

static void
on_camera_connected_cb (CapaSettingsPanel *self)
{
  if (capa_camera_get_connected (self->camera))
    {
      /* Opened again: its settings may have changed while it was away.
       * Read them from the main loop: this may run inside a blocking
       * capa_camera_open (), whose private context would receive the
       * result and never run again. */
      if (self->load_idle_id == 0)
        self->load_idle_id = g_idle_add (load_idle_cb, self);
    }
  else
    {
      g_clear_object (&self->root);
      if (self->dialog != NULL)
        gtk_widget_destroy (self->dialog);
    }
  rebuild (self, TRUE);
}

static void
on_settings_changed_cb (CapaSettingsPanel *self)
{
  rebuild (self, FALSE);
}

static void
on_all_clicked_cb (CapaSettingsPanel *self)
{
  GtkWidget *toplevel;

  if (self->camera == NULL)
    return;

  if (self->dialog == NULL)
    {
      toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
      self->dialog = capa_controls_dialog_new (GTK_IS_WINDOW (toplevel) ?
                                               GTK_WINDOW (toplevel) : NULL,
                                               self->camera);
      g_signal_connect (self->dialog, "destroy", G_CALLBACK (gtk_widget_destroyed),
                        &self->dialog);
    }
  capa_controls_dialog_set_camera_title (CAPA_CONTROLS_DIALOG (self->dialog), self->camera_title);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
on_reset_clicked_cb (CapaSettingsPanel *self)
{
  capa_settings_panel_set_control_names (self, NULL);
}

static void
drop_camera (CapaSettingsPanel *self)
{
  if (self->camera != NULL)
    g_signal_handlers_disconnect_by_data (self->camera, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->load_idle_id, g_source_remove);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->dialog != NULL)
    gtk_widget_destroy (self->dialog);
  g_clear_object (&self->settings);
  g_clear_object (&self->root);
  g_clear_object (&self->camera);
  self->loading = FALSE;
  self->load_failed = FALSE;
  self->reloading = FALSE;
  self->reload_again = FALSE;
}

/* ------------------------------------------------------------------ */
/* the object                                                           */
/* ------------------------------------------------------------------ */

static void
capa_settings_panel_dispose (GObject *object)
{
  CapaSettingsPanel *self = CAPA_SETTINGS_PANEL (object);

  drop_camera (self);
  g_clear_pointer (&self->camera_title, g_free);

  G_OBJECT_CLASS (capa_settings_panel_parent_class)->dispose (object);
}

static void
capa_settings_panel_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CapaSettingsPanel *self = CAPA_SETTINGS_PANEL (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      g_value_set_object (value, self->camera);
      break;

    case PROP_CAMERA_TITLE:
      g_value_set_string (value, self->camera_title);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_settings_panel_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CapaSettingsPanel *self = CAPA_SETTINGS_PANEL (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      capa_settings_panel_set_camera (self, g_value_get_object (value));
      break;

    case PROP_CAMERA_TITLE:
      capa_settings_panel_set_camera_title (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_settings_panel_class_init (CapaSettingsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capa_settings_panel_dispose;
  object_class->get_property = capa_settings_panel_get_property;
  object_class->set_property = capa_settings_panel_set_property;

  /**
   * CapaSettingsPanel:camera:
   *
   * The camera whose settings are shown, or %NULL. Its settings are read
   * once it is connected.
   */
  properties[PROP_CAMERA] =
    g_param_spec_object ("camera", NULL, NULL,
                         CAPA_TYPE_CAMERA,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaSettingsPanel:camera-title:
   *
   * What names the camera to the user when several are connected, such as
   * "D750 2" for the second of two D750s; %NULL for its model. The "All
   * Settings" window the panel opens, one for each camera, shows it.
   */
  properties[PROP_CAMERA_TITLE] =
    g_param_spec_string ("camera-title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapaSettingsPanel::error:
   * @self: a #CapaSettingsPanel
   * @error: what went wrong, for the user to read
   *
   * The camera refused a value (the message names the setting and the
   * value, and the panel shows the camera's value again), or the settings
   * could not be read or sent.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  g_type_ensure (HDY_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/capaphoto/Capa/ui/capa-settings-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CapaSettingsPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, CapaSettingsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, CapaSettingsPanel, status_page);
  gtk_widget_class_bind_template_child (widget_class, CapaSettingsPanel, list);
  gtk_widget_class_bind_template_child (widget_class, CapaSettingsPanel, button_box);
  gtk_widget_class_bind_template_child (widget_class, CapaSettingsPanel, choose_box);
  gtk_widget_class_bind_template_callback (widget_class, on_all_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_clicked_cb);
  gtk_widget_class_set_css_name (widget_class, "settingspanel");
}

static void
capa_settings_panel_init (CapaSettingsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rebuild (self, TRUE);
}

/**
 * capa_settings_panel_new:
 *
 * Creates a settings panel with no camera.
 *
 * Returns: (transfer full): a new #CapaSettingsPanel
 */
CapaSettingsPanel *
capa_settings_panel_new (void)
{
  return g_object_new (CAPA_TYPE_SETTINGS_PANEL, NULL);
}

/**
 * capa_settings_panel_get_camera:
 * @self: a #CapaSettingsPanel
 *
 * Gets the camera whose settings are shown.
 *
 * Returns: (transfer none) (nullable): the camera, or %NULL
 */
CapaCamera *
capa_settings_panel_get_camera (CapaSettingsPanel *self)
{
  g_return_val_if_fail (CAPA_IS_SETTINGS_PANEL (self), NULL);

  return self->camera;
}

/**
 * capa_settings_panel_set_camera:
 * @self: a #CapaSettingsPanel
 * @camera: (nullable): a camera, or %NULL
 *
 * Shows the settings of @camera, reading them with
 * [method@Capa.Camera.load_controls_async] unless they are read already.
 */
void
capa_settings_panel_set_camera (CapaSettingsPanel *self,
                                CapaCamera        *camera)
{
  g_return_if_fail (CAPA_IS_SETTINGS_PANEL (self));
  g_return_if_fail (!camera || CAPA_IS_CAMERA (camera));

  if (self->camera == camera)
    return;

  drop_camera (self);
  g_set_object (&self->camera, camera);

  if (camera != NULL)
    {
      const char *model = capa_camera_get_model (camera);
      g_autofree char *path = capa_settings_panel_dup_settings_path (model);

      self->cancellable = g_cancellable_new ();
      self->settings = g_settings_new_with_path (MODEL_SCHEMA_ID, path);
      g_signal_connect_object (self->settings, "changed::" PANEL_CONTROLS_KEY,
                               G_CALLBACK (on_settings_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (camera, "controls-changed",
                               G_CALLBACK (on_camera_controls_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (camera, "notify::connected", G_CALLBACK (on_camera_connected_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (camera, "file-captured", G_CALLBACK (on_camera_shot_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (camera, "file-added", G_CALLBACK (on_camera_shot_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (camera, "file-downloaded", G_CALLBACK (on_camera_file_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (camera, "file-deleted", G_CALLBACK (on_camera_file_cb), self,
                               G_CONNECT_SWAPPED);

      if (capa_camera_get_controls (camera) != NULL)
        self->root = g_object_ref (capa_camera_get_controls (camera));
      else
        load_controls (self);
    }

  rebuild (self, TRUE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA]);
}

/**
 * capa_settings_panel_get_camera_title:
 * @self: a #CapaSettingsPanel
 *
 * Gets [property@Capa.SettingsPanel:camera-title].
 *
 * Returns: (nullable): what names the camera to the user, or %NULL
 */
const char *
capa_settings_panel_get_camera_title (CapaSettingsPanel *self)
{
  g_return_val_if_fail (CAPA_IS_SETTINGS_PANEL (self), NULL);

  return self->camera_title;
}

/**
 * capa_settings_panel_set_camera_title:
 * @self: a #CapaSettingsPanel
 * @title: (nullable): what names the camera to the user, such as "D750 2";
 *   %NULL for its model
 *
 * Sets [property@Capa.SettingsPanel:camera-title]; an "All Settings"
 * window open already shows it at once.
 */
void
capa_settings_panel_set_camera_title (CapaSettingsPanel *self,
                                      const char        *title)
{
  g_return_if_fail (CAPA_IS_SETTINGS_PANEL (self));

  if (g_strcmp0 (self->camera_title, title) == 0)
    return;

  g_free (self->camera_title);
  self->camera_title = g_strdup (title);
  if (self->dialog != NULL)
    capa_controls_dialog_set_camera_title (CAPA_CONTROLS_DIALOG (self->dialog), title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_TITLE]);
}

/**
 * capa_settings_panel_dup_control_names:
 * @self: a #CapaSettingsPanel
 *
 * Gets the names of the settings the panel shows for the camera's model,
 * such as "f-number": the user's choice, or the default one for the
 * camera. Names the camera lacks are left out of the panel.
 *
 * Returns: (transfer full) (array zero-terminated=1): the names
 */
char **
capa_settings_panel_dup_control_names (CapaSettingsPanel *self)
{
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (CAPA_IS_SETTINGS_PANEL (self), NULL);

  if (self->settings != NULL)
    {
      names = g_settings_get_strv (self->settings, PANEL_CONTROLS_KEY);
      if (names[0] != NULL)
        return g_steal_pointer (&names);
    }

  return dup_default_names (self->root);
}

/**
 * capa_settings_panel_set_control_names:
 * @self: a #CapaSettingsPanel
 * @names: (nullable) (array zero-terminated=1): control names, such as
 *   "f-number", or %NULL for the default
 *
 * Chooses the settings the panel shows for every camera of this model,
 * in this order, and remembers them. Does nothing without a camera.
 */
void
capa_settings_panel_set_control_names (CapaSettingsPanel  *self,
                                       const char * const *names)
{
  g_return_if_fail (CAPA_IS_SETTINGS_PANEL (self));

  if (self->settings == NULL)
    return;

  if (names == NULL)
    g_settings_reset (self->settings, PANEL_CONTROLS_KEY);
  else
    g_settings_set_strv (self->settings, PANEL_CONTROLS_KEY, names);
}

/**
 * capa_settings_panel_dup_settings_path:
 * @model: a camera model, such as "Nikon DSC D750"
 *
 * Gets the path of the model's settings (schema
 * `org.capaphoto.Capa.CameraModel`): the model with every character but
 * ASCII letters and digits as '-', such as
 * "/org/capaphoto/Capa/cameras/Nikon-DSC-D750/".
 *
 * Returns: (transfer full): the settings path
 */
char *
capa_settings_panel_dup_settings_path (const char *model)
{
  GString *path;

  g_return_val_if_fail (model != NULL, NULL);

  path = g_string_new (MODEL_SCHEMA_PATH);
  for (const guchar *p = (const guchar *) model; *p != '\0'; p++)
    {
      /* One '-' for each character outside ASCII: for its first byte. */
      if (*p < 0x80)
        g_string_append_c (path, g_ascii_isalnum (*p) ? (char) *p : '-');
      else if ((*p & 0xc0) != 0x80)
        g_string_append_c (path, '-');
    }
  if (model[0] == '\0')
    g_string_append (path, "unknown");
  g_string_append_c (path, '/');

  return g_string_free (path, FALSE);
}
