/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-NetworkCameraDialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-camera-list.h"
#include "capa-network-camera-dialog.h"

/**
 * CapaNetworkCameraDialog:
 *
 * A dialog asking for a camera on the network (PTP/IP): its address and,
 * optionally, its model.
 *
 * The model drop-down offers "Detect automatically" first (libgphoto2's
 * generic [const@Capa.NETWORK_CAMERA_GENERIC_MODEL]), then the PTP/IP
 * models libgphoto2's drivers know, listed on a worker thread
 * ([func@Capa.CameraList.get_network_models_async]).
 *
 * The dialog answers %GTK_RESPONSE_ACCEPT (*Connect*) only with a usable
 * address: otherwise it says what is wrong under the address and stays
 * open, and the response is not emitted. The port is then
 * [method@Capa.NetworkCameraDialog.dup_port] ("ptpip:" and the address)
 * and the model [method@Capa.NetworkCameraDialog.get_model].
 */

struct _CapaNetworkCameraDialog
{
  GtkDialog        parent_instance;

  GCancellable    *cancellable;  /* of listing the models */
  guint            models_loaded : 1;

  /* template widgets */
  GtkEntry        *address_entry;
  GtkLabel        *error_label;
  GtkComboBoxText *model_combo;
  GtkWidget       *connect_button;
};

G_DEFINE_FINAL_TYPE (CapaNetworkCameraDialog, capa_network_camera_dialog, GTK_TYPE_DIALOG)

static void
on_models_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = capa_camera_list_get_network_models_finish (result, &error);
  CapaNetworkCameraDialog *self;

  if (models == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CAPA_NETWORK_CAMERA_DIALOG (user_data);
  if (models == NULL)
    g_warning ("Cannot list the network camera models: %s", error->message);
  for (guint i = 0; models != NULL && models[i] != NULL; i++)
    gtk_combo_box_text_append (self->model_combo, models[i], models[i]);
  self->models_loaded = TRUE;
}

static void
on_address_changed_cb (CapaNetworkCameraDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_entry_get_text (self->address_entry)));

  capa_network_camera_dialog_set_error (self, NULL);
  gtk_widget_set_sensitive (self->connect_button, *text != '\0');
}

/* Runs before the handlers of whoever opened the dialog: a bad address
 * is said here and goes no further. */
static void
on_response_cb (CapaNetworkCameraDialog *self,
                int                      response,
                gpointer                 user_data)
{
  g_autofree char *port = NULL;
  g_autoptr(GError) error = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  port = capa_network_camera_dialog_dup_port (self);
  if (capa_camera_list_check_network_port (port, &error))
    return;

  capa_network_camera_dialog_set_error (self, error->message);
  gtk_widget_grab_focus (GTK_WIDGET (self->address_entry));
  g_signal_stop_emission_by_name (self, "response");
}

static void
capa_network_camera_dialog_dispose (GObject *object)
{
  CapaNetworkCameraDialog *self = CAPA_NETWORK_CAMERA_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (capa_network_camera_dialog_parent_class)->dispose (object);
}

static void
capa_network_camera_dialog_class_init (CapaNetworkCameraDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capa_network_camera_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/capa-network-camera-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CapaNetworkCameraDialog, address_entry);
  gtk_widget_class_bind_template_child (widget_class, CapaNetworkCameraDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CapaNetworkCameraDialog, model_combo);
  gtk_widget_class_bind_template_child (widget_class, CapaNetworkCameraDialog, connect_button);
  gtk_widget_class_bind_template_callback (widget_class, on_address_changed_cb);
}

static void
capa_network_camera_dialog_init (CapaNetworkCameraDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Translators: the first model of the network camera dialog */
  gtk_combo_box_text_append (self->model_combo, "", _("Detect automatically"));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->model_combo), "");
  g_signal_connect (self, "response", G_CALLBACK (on_response_cb), NULL);

  /* Listing loads every driver of libgphoto2: never on the main loop. */
  self->cancellable = g_cancellable_new ();
  capa_camera_list_get_network_models_async (self->cancellable, on_models_cb, self);
}

/**
 * capa_network_camera_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 *
 * Creates a network camera dialog, modal for @parent.
 *
 * Returns: (transfer floating): a new #CapaNetworkCameraDialog
 */
GtkWidget *
capa_network_camera_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (CAPA_TYPE_NETWORK_CAMERA_DIALOG,
                       "transient-for", parent,
                       "use-header-bar", TRUE,
                       NULL);
}

/**
 * capa_network_camera_dialog_dup_port:
 * @self: a #CapaNetworkCameraDialog
 *
 * Gets the libgphoto2 port of the address given: "ptpip:" then the
 * address, unless it starts with "ptpip:" or "ip:" already. It may not
 * be a usable port (see [func@Capa.CameraList.check_network_port]).
 *
 * Returns: (transfer full): the port
 */
char *
capa_network_camera_dialog_dup_port (CapaNetworkCameraDialog *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (CAPA_IS_NETWORK_CAMERA_DIALOG (self), NULL);

  text = g_strstrip (g_strdup (gtk_entry_get_text (self->address_entry)));
  if (g_str_has_prefix (text, "ptpip:") || g_str_has_prefix (text, "ip:"))
    return g_steal_pointer (&text);

  return g_strconcat ("ptpip:", text, NULL);
}

/**
 * capa_network_camera_dialog_get_model:
 * @self: a #CapaNetworkCameraDialog
 *
 * Gets the model chosen.
 *
 * Returns: (nullable): the libgphoto2 model name, or %NULL for
 *   "Detect automatically"
 */
const char *
capa_network_camera_dialog_get_model (CapaNetworkCameraDialog *self)
{
  const char *id;

  g_return_val_if_fail (CAPA_IS_NETWORK_CAMERA_DIALOG (self), NULL);

  id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->model_combo));
  return id != NULL && *id != '\0' ? id : NULL;
}

/**
 * capa_network_camera_dialog_set_error:
 * @self: a #CapaNetworkCameraDialog
 * @message: (nullable): what is wrong, or %NULL
 *
 * Shows @message under the address (or hides it).
 */
void
capa_network_camera_dialog_set_error (CapaNetworkCameraDialog *self,
                                      const char              *message)
{
  g_return_if_fail (CAPA_IS_NETWORK_CAMERA_DIALOG (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    {
      gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->address_entry)),
                                   "error");
      atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->address_entry)),
                                  message);
    }
  else
    {
      gtk_style_context_remove_class (
        gtk_widget_get_style_context (GTK_WIDGET (self->address_entry)), "error");
      atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->address_entry)),
                                  "");
    }
}

/**
 * capa_network_camera_dialog_get_models_loaded:
 * @self: a #CapaNetworkCameraDialog
 *
 * Tells whether the drop-down lists libgphoto2's models yet (they are
 * listed on a worker thread when the dialog is made).
 *
 * Returns: whether the models are listed
 */
gboolean
capa_network_camera_dialog_get_models_loaded (CapaNetworkCameraDialog *self)
{
  g_return_val_if_fail (CAPA_IS_NETWORK_CAMERA_DIALOG (self), FALSE);

  return self->models_loaded;
}
