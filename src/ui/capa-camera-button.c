/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-CameraButton"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-camera-button.h"
#include "capa-gphoto2-private.h"

/**
 * CapaCameraButton:
 *
 * The header bar's camera button: it shows the model of the connected
 * camera and opens a popover listing every camera of
 * [property@Capa.CameraButton:camera-list], which follows the list by
 * itself (cameras plugged in appear, unplugged ones vanish).
 *
 * Choosing a camera emits [signal@Capa.CameraButton::connect-camera] and
 * the *Disconnect* buttons [signal@Capa.CameraButton::disconnect-camera]:
 * the window opens and closes the camera, then sets
 * [property@Capa.CameraButton:camera]. A line of
 * [property@Capa.CameraButton:status] says what is going on.
 *
 * Network cameras: the *Connect to a Network Camera…* button at the end
 * activates the action `win.add-network-camera`, and the row of a camera
 * added by address ([method@Capa.CameraList.is_network_camera]) has a
 * *Forget* button activating `win.forget-network-camera` with its port
 * and model, `(ss)`. A camera opened as libgphoto2's generic
 * [const@Capa.NETWORK_CAMERA_GENERIC_MODEL] shows the model its summary
 * names, once read.
 *
 * Several cameras may be connected at once: each connected camera's row
 * has a check mark and a button to disconnect it, and the button reads
 * "2 Cameras" rather than a model.
 */

struct _CapaCameraButton
{
  GtkMenuButton   parent_instance;

  /* owned */
  CapaCameraList *camera_list;
  CapaCamera     *camera;
  char           *status;

  /* template widgets */
  GtkLabel       *label;
  GtkPopover     *popover;
  GtkListBox     *listbox;
  GtkLabel       *status_label;
  GtkButton      *disconnect_button;
};

G_DEFINE_FINAL_TYPE (CapaCameraButton, capa_camera_button, GTK_TYPE_MENU_BUTTON)

enum {
  PROP_0,
  PROP_CAMERA_LIST,
  PROP_CAMERA,
  PROP_STATUS,
  N_PROPS,
};

enum {
  SIGNAL_CONNECT_CAMERA,
  SIGNAL_DISCONNECT_CAMERA,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *dup_display_model (CapaCamera *camera);

static void
update_row (CapaCameraButton *self,
            GtkWidget        *row)
{
  CapaCamera *camera = g_object_get_data (G_OBJECT (row), "capa-camera");
  GtkWidget *check = g_object_get_data (G_OBJECT (row), "capa-check");
  GtkLabel *model = g_object_get_data (G_OBJECT (row), "capa-model");
  GtkWidget *disconnect = g_object_get_data (G_OBJECT (row), "capa-disconnect");
  g_autofree char *display_model = dup_display_model (camera);
  gboolean connected = capa_camera_get_connected (camera);

  gtk_widget_set_visible (check, connected);
  gtk_widget_set_visible (disconnect, connected);
  gtk_widget_set_tooltip_text (row, connected ? _("Connected; show this camera")
                                              : _("Connect this camera too"));
  /* A generic network camera's real model, once known. */
  if (model != NULL && g_strcmp0 (gtk_label_get_text (model), display_model) != 0)
    gtk_label_set_text (model, display_model);
}

/* The connected cameras of the list. */
static guint
count_connected (CapaCameraButton *self)
{
  guint n = self->camera_list != NULL
            ? g_list_model_get_n_items (G_LIST_MODEL (self->camera_list)) : 0;
  guint connected = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CapaCamera) camera = g_list_model_get_item (G_LIST_MODEL (self->camera_list), i);

      connected += capa_camera_get_connected (camera) ? 1 : 0;
    }

  return connected;
}

static void
update_rows (CapaCameraButton *self)
{
  g_autoptr(GList) rows = gtk_container_get_children (GTK_CONTAINER (self->listbox));

  for (const GList *l = rows; l != NULL; l = l->next)
    if (g_object_get_data (l->data, "capa-camera") != NULL)
      update_row (self, l->data);
}

/* The model to show: for libgphoto2's generic PTP/IP camera, the one
 * its summary names once read ("Model: ..." in ptp2's summary, in the
 * user's language). */
static char *
dup_display_model (CapaCamera *camera)
{
  const char *model = capa_camera_get_model (camera);
  char *named = NULL;

  if (g_str_equal (model, CAPA_NETWORK_CAMERA_GENERIC_MODEL))
    named = _capa_gp_summary_dup_field (capa_camera_get_summary (camera), "Model: %s\n");

  return named != NULL ? named : g_strdup (model);
}

static void
update_label (CapaCameraButton *self)
{
  g_autofree char *accessible = NULL;
  g_autofree char *several = NULL;
  g_autofree char *model = self->camera != NULL ? dup_display_model (self->camera) : NULL;
  guint connected = count_connected (self);

  if (connected >= 2)
    {
      /* Translators: the camera button with several cameras connected */
      several = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Camera", "%u Cameras",
                                              connected), connected);
      gtk_label_set_text (self->label, several);
    }
  else
    gtk_label_set_text (self->label, model != NULL ? model : _("No Camera"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->disconnect_button), self->camera != NULL);
  /* With several, each row has its own. */
  gtk_widget_set_visible (GTK_WIDGET (self->disconnect_button), connected < 2);

  if (several != NULL)
    /* Translators: the accessible name of the camera button; %s is "2 Cameras" */
    accessible = g_strdup_printf (_("Camera: %s"), several);
  else if (model != NULL)
    /* Translators: the accessible name of the camera button; %s is a camera model */
    accessible = g_strdup_printf (_("Camera: %s"), model);
  else
    accessible = g_strdup (_("Camera: none connected"));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), accessible);
}

/* The Forget button of a network camera's row. */
static GtkWidget *
create_forget_button (CapaCamera *camera)
{
  g_autofree char *name = NULL;
  GtkWidget *button;

  button = gtk_button_new_from_icon_name ("user-trash-symbolic", GTK_ICON_SIZE_BUTTON);
  gtk_button_set_relief (GTK_BUTTON (button), GTK_RELIEF_NONE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Forget this network camera"));
  /* Translators: the accessible name of a button; %s is a camera's port */
  name = g_strdup_printf (_("Forget the camera on %s"), capa_camera_get_port (camera));
  atk_object_set_name (gtk_widget_get_accessible (button), name);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.forget-network-camera");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)",
                                    capa_camera_get_port (camera),
                                    capa_camera_get_model (camera));
  return button;
}

static void
on_camera_connected_cb (CapaCamera       *camera,
                        GParamSpec       *pspec,
                        CapaCameraButton *self)
{
  update_rows (self);
  update_label (self);
}

static void
on_row_disconnect_clicked_cb (GtkButton        *button,
                              CapaCameraButton *self)
{
  CapaCamera *camera = g_object_get_data (G_OBJECT (button), "capa-camera");

  gtk_popover_popdown (self->popover);
  g_signal_emit (self, signals[SIGNAL_DISCONNECT_CAMERA], 0, camera);
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  CapaCameraButton *self = CAPA_CAMERA_BUTTON (user_data);
  CapaCamera *camera = CAPA_CAMERA (item);
  g_autofree char *name = NULL;
  g_autofree char *display_model = dup_display_model (camera);
  g_autofree char *disconnect_name = NULL;
  GtkWidget *row, *box, *labels, *model, *port, *icon, *check, *disconnect;

  row = gtk_list_box_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_object_set (box, "margin-start", 12, "margin-end", 12, "margin-top", 8, "margin-bottom", 8,
                NULL);
  icon = gtk_image_new_from_icon_name ("camera-photo-symbolic", GTK_ICON_SIZE_LARGE_TOOLBAR);
  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  model = gtk_label_new (display_model);
  gtk_label_set_xalign (GTK_LABEL (model), 0);
  gtk_label_set_ellipsize (GTK_LABEL (model), PANGO_ELLIPSIZE_END);
  port = gtk_label_new (capa_camera_get_port (camera));
  gtk_label_set_xalign (GTK_LABEL (port), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (port), "dim-label");
  gtk_style_context_add_class (gtk_widget_get_style_context (port), "caption");
  check = gtk_image_new_from_icon_name ("object-select-symbolic", GTK_ICON_SIZE_BUTTON);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_no_show_all (check, TRUE);
  gtk_widget_set_tooltip_text (check, _("Connected"));

  /* A connected camera's own Disconnect button. */
  disconnect = gtk_button_new_from_icon_name ("window-close-symbolic", GTK_ICON_SIZE_BUTTON);
  gtk_widget_set_valign (disconnect, GTK_ALIGN_CENTER);
  gtk_button_set_relief (GTK_BUTTON (disconnect), GTK_RELIEF_NONE);
  gtk_widget_set_no_show_all (disconnect, TRUE);
  gtk_widget_set_tooltip_text (disconnect, _("Disconnect this camera"));
  /* Translators: the accessible name of a camera's Disconnect button; %s is its model */
  disconnect_name = g_strdup_printf (_("Disconnect %s"), display_model);
  atk_object_set_name (gtk_widget_get_accessible (disconnect), disconnect_name);
  g_object_set_data_full (G_OBJECT (disconnect), "capa-camera", g_object_ref (camera),
                          g_object_unref);
  g_signal_connect (disconnect, "clicked", G_CALLBACK (on_row_disconnect_clicked_cb), self);

  gtk_container_add (GTK_CONTAINER (labels), model);
  gtk_container_add (GTK_CONTAINER (labels), port);
  gtk_container_add (GTK_CONTAINER (box), icon);
  gtk_container_add (GTK_CONTAINER (box), labels);
  gtk_container_add (GTK_CONTAINER (box), check);
  gtk_container_add (GTK_CONTAINER (box), disconnect);
  if (self->camera_list != NULL && capa_camera_list_is_network_camera (self->camera_list, camera))
    gtk_container_add (GTK_CONTAINER (box), create_forget_button (camera));
  gtk_container_add (GTK_CONTAINER (row), box);
  gtk_widget_show_all (row);

  /* Translators: a camera in the list: its model, then its port */
  name = g_strdup_printf (_("%s on %s"), display_model,
                          capa_camera_get_port (camera));
  atk_object_set_name (gtk_widget_get_accessible (row), name);

  g_object_set_data_full (G_OBJECT (row), "capa-camera", g_object_ref (camera), g_object_unref);
  g_object_set_data (G_OBJECT (row), "capa-check", check);
  g_object_set_data (G_OBJECT (row), "capa-model", model);
  g_object_set_data (G_OBJECT (row), "capa-disconnect", disconnect);
  g_signal_connect_object (camera, "notify::connected", G_CALLBACK (on_camera_connected_cb),
                           self, 0);
  update_row (self, row);

  return row;
}

static void
on_listbox_row_activated_cb (GtkListBox       *listbox,
                             GtkListBoxRow    *row,
                             CapaCameraButton *self)
{
  CapaCamera *camera = g_object_get_data (G_OBJECT (row), "capa-camera");

  if (camera == NULL)
    return;

  /* A connected camera's row makes it the one shown; another connects it
   * in addition. */
  gtk_popover_popdown (self->popover);
  if (camera != self->camera)
    g_signal_emit (self, signals[SIGNAL_CONNECT_CAMERA], 0, camera);
}

static void
on_disconnect_clicked_cb (GtkButton        *button,
                          CapaCameraButton *self)
{
  gtk_popover_popdown (self->popover);
  g_signal_emit (self, signals[SIGNAL_DISCONNECT_CAMERA], 0, self->camera);
}

/* "Connect to a Network Camera…": its action (win.add-network-camera)
 * opens a dialog; the popover goes. */
static void
on_network_clicked_cb (GtkButton        *button,
                       CapaCameraButton *self)
{
  gtk_popover_popdown (self->popover);
}

static void
on_camera_summary_cb (CapaCamera       *camera,
                      GParamSpec       *pspec,
                      CapaCameraButton *self)
{
  update_label (self);
  update_rows (self);
}

static void
capa_camera_button_dispose (GObject *object)
{
  CapaCameraButton *self = CAPA_CAMERA_BUTTON (object);

  if (self->camera_list != NULL)
    {
      gtk_list_box_bind_model (self->listbox, NULL, NULL, NULL, NULL);
      g_clear_object (&self->camera_list);
    }
  if (self->camera != NULL)
    g_signal_handlers_disconnect_by_func (self->camera, on_camera_summary_cb, self);
  g_clear_object (&self->camera);

  G_OBJECT_CLASS (capa_camera_button_parent_class)->dispose (object);
}

static void
capa_camera_button_finalize (GObject *object)
{
  CapaCameraButton *self = CAPA_CAMERA_BUTTON (object);

  g_free (self->status);

  G_OBJECT_CLASS (capa_camera_button_parent_class)->finalize (object);
}

static void
capa_camera_button_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CapaCameraButton *self = CAPA_CAMERA_BUTTON (object);

  switch (prop_id)
    {
    case PROP_CAMERA_LIST:
      g_value_set_object (value, self->camera_list);
      break;

    case PROP_CAMERA:
      g_value_set_object (value, self->camera);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_camera_button_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CapaCameraButton *self = CAPA_CAMERA_BUTTON (object);

  switch (prop_id)
    {
    case PROP_CAMERA_LIST:
      capa_camera_button_set_camera_list (self, g_value_get_object (value));
      break;

    case PROP_CAMERA:
      capa_camera_button_set_camera (self, g_value_get_object (value));
      break;

    case PROP_STATUS:
      capa_camera_button_set_status (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_camera_button_class_init (CapaCameraButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capa_camera_button_dispose;
  object_class->finalize = capa_camera_button_finalize;
  object_class->get_property = capa_camera_button_get_property;
  object_class->set_property = capa_camera_button_set_property;

  /**
   * CapaCameraButton:camera-list:
   *
   * The cameras the popover lists, or %NULL.
   */
  properties[PROP_CAMERA_LIST] =
    g_param_spec_object ("camera-list", NULL, NULL,
                         CAPA_TYPE_CAMERA_LIST,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCameraButton:camera:
   *
   * The connected camera, whose model the button shows, or %NULL.
   */
  properties[PROP_CAMERA] =
    g_param_spec_object ("camera", NULL, NULL,
                         CAPA_TYPE_CAMERA,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCameraButton:status:
   *
   * A line under the list saying what is going on ("Connecting…"), or
   * %NULL for none.
   */
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapaCameraButton::connect-camera:
   * @self: a #CapaCameraButton
   * @camera: the camera chosen
   *
   * The user chose @camera in the popover: to connect it, in addition to
   * the cameras connected already, or, when it is connected, to show it.
   */
  signals[SIGNAL_CONNECT_CAMERA] =
    g_signal_new ("connect-camera",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA);

  /**
   * CapaCameraButton::disconnect-camera:
   * @self: a #CapaCameraButton
   * @camera: (nullable): the camera to disconnect: a row's, or
   *   [property@Capa.CameraButton:camera] for the *Disconnect* button
   *
   * The user asked to disconnect @camera.
   */
  signals[SIGNAL_DISCONNECT_CAMERA] =
    g_signal_new ("disconnect-camera",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/capa-camera-button.ui");
  gtk_widget_class_bind_template_child (widget_class, CapaCameraButton, label);
  gtk_widget_class_bind_template_child (widget_class, CapaCameraButton, popover);
  gtk_widget_class_bind_template_child (widget_class, CapaCameraButton, listbox);
  gtk_widget_class_bind_template_child (widget_class, CapaCameraButton, status_label);
  gtk_widget_class_bind_template_child (widget_class, CapaCameraButton, disconnect_button);
  gtk_widget_class_bind_template_callback (widget_class, on_listbox_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_disconnect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_network_clicked_cb);
}

static void
capa_camera_button_init (CapaCameraButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_label (self);
}

/**
 * capa_camera_button_new:
 *
 * Creates a camera button with no camera list.
 *
 * Returns: (transfer floating): a new #CapaCameraButton
 */
GtkWidget *
capa_camera_button_new (void)
{
  return g_object_new (CAPA_TYPE_CAMERA_BUTTON, NULL);
}

/**
 * capa_camera_button_get_camera_list:
 * @self: a #CapaCameraButton
 *
 * Gets the cameras the popover lists.
 *
 * Returns: (transfer none) (nullable): the camera list
 */
CapaCameraList *
capa_camera_button_get_camera_list (CapaCameraButton *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_BUTTON (self), NULL);

  return self->camera_list;
}

/**
 * capa_camera_button_set_camera_list:
 * @self: a #CapaCameraButton
 * @camera_list: (nullable): the cameras to list
 *
 * Sets the cameras the popover lists; it follows the list's changes.
 */
void
capa_camera_button_set_camera_list (CapaCameraButton *self,
                                    CapaCameraList   *camera_list)
{
  g_return_if_fail (CAPA_IS_CAMERA_BUTTON (self));
  g_return_if_fail (camera_list == NULL || CAPA_IS_CAMERA_LIST (camera_list));

  if (!g_set_object (&self->camera_list, camera_list))
    return;

  update_label (self);
  gtk_list_box_bind_model (self->listbox, G_LIST_MODEL (camera_list), create_row_cb, self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_LIST]);
}

/**
 * capa_camera_button_get_camera:
 * @self: a #CapaCameraButton
 *
 * Gets the connected camera.
 *
 * Returns: (transfer none) (nullable): the camera
 */
CapaCamera *
capa_camera_button_get_camera (CapaCameraButton *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_BUTTON (self), NULL);

  return self->camera;
}

/**
 * capa_camera_button_set_camera:
 * @self: a #CapaCameraButton
 * @camera: (nullable): the connected camera
 *
 * Sets the connected camera (with several, the one the window shows): the
 * button shows its model, unless two cameras or more are connected.
 */
void
capa_camera_button_set_camera (CapaCameraButton *self,
                               CapaCamera       *camera)
{
  g_return_if_fail (CAPA_IS_CAMERA_BUTTON (self));
  g_return_if_fail (camera == NULL || CAPA_IS_CAMERA (camera));

  if (self->camera == camera)
    return;

  if (self->camera != NULL)
    g_signal_handlers_disconnect_by_func (self->camera, on_camera_summary_cb, self);
  g_set_object (&self->camera, camera);
  if (camera != NULL)
    g_signal_connect (camera, "notify::summary", G_CALLBACK (on_camera_summary_cb), self);

  update_label (self);
  update_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA]);
}

/**
 * capa_camera_button_get_status:
 * @self: a #CapaCameraButton
 *
 * Gets the status line.
 *
 * Returns: (nullable): the status line
 */
const char *
capa_camera_button_get_status (CapaCameraButton *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_BUTTON (self), NULL);

  return self->status;
}

/**
 * capa_camera_button_set_status:
 * @self: a #CapaCameraButton
 * @status: (nullable): what is going on, or %NULL
 *
 * Sets the line shown under the camera list.
 */
void
capa_camera_button_set_status (CapaCameraButton *self,
                               const char       *status)
{
  g_return_if_fail (CAPA_IS_CAMERA_BUTTON (self));

  if (g_strcmp0 (self->status, status) == 0)
    return;

  g_free (self->status);
  self->status = g_strdup (status);
  gtk_label_set_text (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL && *status != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}
