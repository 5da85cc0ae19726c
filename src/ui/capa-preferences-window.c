/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-filename-private.h"
#include "capa-preferences-window.h"
#include "capa-screen-profile.h"
#include "capa-session-private.h"
#include "capa-window.h"

/* The camera file the example name is made for. */
#define EXAMPLE_CAMERA_NAME "IMG_0042.JPG"
#define EXAMPLE_MIME_TYPE   "image/jpeg"

/* Keys shown as switches: each becomes a `prefs.KEY` action, so the
 * switches in the .ui follow and write them by themselves.  (Radio buttons
 * in a group cannot share a stateful action in GTK 3: each one turned off
 * activates it again with its own value, without end; they are handled
 * below instead.) */
static const char * const action_keys[] = {
  "auto-connect",
  "download-camera-shots",
  "keep-on-card",
  "delete-from-camera",
  "demo-camera",
  "film-strip-newest-first",
};

struct _CapaPreferencesWindow
{
  HdyPreferencesWindow  parent_instance;

  /* construct-only */
  GSettings            *settings;

  /* owned */
  CapaSession          *session;         /* the parent window's, for its folder and numbers */
  CapaScreenProfile    *screen_profile;  /* what detection finds, for the Colour page */

  /* template widgets */
  HdyActionRow         *session_folder_row;
  HdyActionRow         *delete_from_camera_row;
  GtkSpinButton        *busy_timeout_spin;
  GtkEntry             *filename_pattern_entry;
  GtkLabel             *filename_example_label;
  HdyActionRow         *detect_row;
  HdyActionRow         *file_row;
  GtkFileChooserButton *profile_file_button;
  GtkRadioButton       *detect_radio;
  GtkRadioButton       *file_radio;
  GtkRadioButton       *off_radio;
  GtkRadioButton       *perceptual_radio;
  GtkRadioButton       *relative_radio;
  GtkRadioButton       *saturation_radio;
  GtkRadioButton       *absolute_radio;
};

/* The radio buttons of the enum keys: the button's id and field, its key
 * and the value it stands for. */
#define RADIO(id, key, value) { #id, G_STRUCT_OFFSET (CapaPreferencesWindow, id), key, value }
static const struct {
  const char *id;
  gsize       offset;
  const char *key;
  const char *value;
} radios[] = {
  RADIO (detect_radio, "colour-management", "detect"),
  RADIO (file_radio, "colour-management", "file"),
  RADIO (off_radio, "colour-management", "off"),
  RADIO (perceptual_radio, "rendering-intent", "perceptual"),
  RADIO (relative_radio, "rendering-intent", "relative-colorimetric"),
  RADIO (saturation_radio, "rendering-intent", "saturation"),
  RADIO (absolute_radio, "rendering-intent", "absolute-colorimetric"),
};
#undef RADIO

G_DEFINE_FINAL_TYPE (CapaPreferencesWindow, capa_preferences_window, HDY_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_SESSION,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* --- the file-name pattern --- */

/* What %c writes in the example: the tag of the parent window's camera,
 * NULL ("Camera") without one. */
static const char *
example_camera_tag (CapaPreferencesWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  CapaTether *tether = CAPA_IS_WINDOW (parent) ? capa_window_get_tether (CAPA_WINDOW (parent))
                                               : NULL;

  return tether != NULL ? capa_tether_get_camera_tag (tether) : NULL;
}

/* The name the next shot would get with @pattern: the session's own
 * answer when the pattern is its own, otherwise that of a session of the
 * same folder and images with the new pattern.  Nothing is read from the
 * disk. */
static char *
make_example_name (CapaPreferencesWindow *self,
                   const char            *pattern)
{
  g_autoptr(CapaSession) scratch = NULL;
  g_autoptr(GPtrArray) images = NULL;
  const char *folder = self->session != NULL ? capa_session_get_directory (self->session) : ".";
  const char *tag = example_camera_tag (self);

  if (self->session != NULL
      && g_strcmp0 (capa_session_get_filename_pattern (self->session), pattern) == 0)
    return _capa_session_make_next_name (self->session, EXAMPLE_CAMERA_NAME, tag,
                                         EXAMPLE_MIME_TYPE, NULL, FALSE);

  scratch = capa_session_new (folder);
  capa_session_set_filename_pattern (scratch, pattern);
  if (self->session != NULL && _capa_filename_pattern_has_sequence (pattern))
    {
      images = capa_session_get_images (self->session);
      for (guint i = 0; i < images->len; i++)
        {
          g_autofree char *name =
            g_path_get_basename (capa_image_get_filename (g_ptr_array_index (images, i)));

          _capa_session_note_sequence (scratch, name);
        }
    }

  return _capa_session_make_next_name (scratch, EXAMPLE_CAMERA_NAME, tag, EXAMPLE_MIME_TYPE,
                                       NULL, FALSE);
}

static void
show_example (CapaPreferencesWindow *self)
{
  GtkWidget *entry = GTK_WIDGET (self->filename_pattern_entry);
  GtkWidget *example = GTK_WIDGET (self->filename_example_label);
  GtkStyleContext *entry_style = gtk_widget_get_style_context (entry);
  GtkStyleContext *label_style = gtk_widget_get_style_context (example);
  const char *text = gtk_entry_get_text (self->filename_pattern_entry);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *display = NULL;
  g_autofree char *label = NULL;

  if (!capa_session_validate_filename_pattern (text, &error))
    {
      gtk_style_context_add_class (entry_style, "error");
      gtk_style_context_add_class (label_style, "error");
      gtk_style_context_remove_class (label_style, "dim-label");
      gtk_entry_set_icon_from_icon_name (self->filename_pattern_entry, GTK_ENTRY_ICON_SECONDARY,
                                         "dialog-warning-symbolic");
      gtk_entry_set_icon_tooltip_text (self->filename_pattern_entry, GTK_ENTRY_ICON_SECONDARY,
                                       error->message);
      gtk_label_set_text (self->filename_example_label, error->message);
      return;
    }

  name = make_example_name (self, text);
  display = g_filename_display_name (name);
  /* Translators: %s is a file name, such as capa-20260314-0001.jpg */
  label = g_strdup_printf (_("Next shot: %s"), display);

  gtk_style_context_remove_class (entry_style, "error");
  gtk_style_context_remove_class (label_style, "error");
  gtk_style_context_add_class (label_style, "dim-label");
  gtk_entry_set_icon_from_icon_name (self->filename_pattern_entry, GTK_ENTRY_ICON_SECONDARY,
                                     NULL);
  gtk_label_set_text (self->filename_example_label, label);
}

static void
on_filename_pattern_entry_changed_cb (GtkEntry              *entry,
                                      CapaPreferencesWindow *self)
{
  const char *text = gtk_entry_get_text (entry);
  g_autofree char *saved = g_settings_get_string (self->settings, "filename-pattern");

  show_example (self);

  /* Never saved while invalid: the last valid pattern stays in use. */
  if (!capa_session_validate_filename_pattern (text, NULL))
    return;

  if (text[0] == '\0')
    g_settings_reset (self->settings, "filename-pattern");
  else if (!g_str_equal (saved, text))
    g_settings_set_string (self->settings, "filename-pattern", text);
}

static void
on_filename_pattern_changed_cb (GSettings             *settings,
                                const char            *key,
                                CapaPreferencesWindow *self)
{
  g_autofree char *pattern = g_settings_get_string (settings, "filename-pattern");
  const char *text = gtk_entry_get_text (self->filename_pattern_entry);

  /* Changed elsewhere: show it, unless it is what is being typed (or its
   * empty form). */
  if (g_str_equal (pattern, text)
      || (text[0] == '\0' && !g_settings_get_user_value (settings, "filename-pattern")))
    return;

  gtk_entry_set_text (self->filename_pattern_entry, pattern);
}

/* --- the session folder --- */

static void
show_session_folder (CapaPreferencesWindow *self)
{
  g_autofree char *folder = NULL;
  g_autofree char *display = NULL;

  if (self->session != NULL)
    folder = g_strdup (capa_session_get_directory (self->session));
  else
    folder = g_settings_get_string (self->settings, "session-folder");

  if (folder[0] == '\0')
    {
      hdy_action_row_set_subtitle (self->session_folder_row,
                                   _("A folder named after the day, in Pictures"));
      return;
    }

  display = g_filename_display_name (folder);
  hdy_action_row_set_subtitle (self->session_folder_row, display);
}

static void
on_session_folder_chosen_cb (GtkNativeDialog *dialog,
                             int              response,
                             gpointer         user_data)
{
  g_autoptr(CapaPreferencesWindow) self = user_data;
  g_autofree char *folder = NULL;
  GtkWindow *parent;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (folder == NULL)
    return;

  /* The window stores its shots there from now on, and remembers it. */
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (CAPA_IS_WINDOW (parent))
    {
      g_autoptr(CapaSession) session = capa_session_new (folder);

      if (self->session != NULL)
        capa_session_set_filename_pattern (session,
                                           capa_session_get_filename_pattern (self->session));
      capa_window_set_session (CAPA_WINDOW (parent), session);
      capa_preferences_window_set_session (self, capa_window_get_session (CAPA_WINDOW (parent)));
    }

  g_settings_set_string (self->settings, "session-folder", folder);
  show_session_folder (self);
}

static void
on_session_folder_button_clicked_cb (GtkButton             *button,
                                     CapaPreferencesWindow *self)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Choose the Session Folder"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                        _("_Choose"), _("_Cancel"));
  gtk_file_chooser_set_create_folders (GTK_FILE_CHOOSER (dialog), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  if (self->session != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (capa_session_get_directory (self->session));

      /* The folder itself when it exists (no blocking check: the chooser
       * looks), else where it would be made. */
      gtk_file_chooser_set_current_folder_file (GTK_FILE_CHOOSER (dialog), file, NULL);
    }
  g_signal_connect (dialog, "response", G_CALLBACK (on_session_folder_chosen_cb),
                    g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* --- colour --- */

static GtkToggleButton *
get_radio (CapaPreferencesWindow *self,
           guint                  i)
{
  return G_STRUCT_MEMBER (GtkToggleButton *, self, radios[i].offset);
}

static void
on_radio_toggled_cb (GtkToggleButton       *radio,
                     CapaPreferencesWindow *self)
{
  if (!gtk_toggle_button_get_active (radio))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (radios); i++)
    if (get_radio (self, i) == radio)
      {
        g_autofree char *value = g_settings_get_string (self->settings, radios[i].key);

        if (!g_str_equal (value, radios[i].value))
          g_settings_set_string (self->settings, radios[i].key, radios[i].value);
      }
}

static void
show_radios (CapaPreferencesWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (radios); i++)
    {
      g_autofree char *value = g_settings_get_string (self->settings, radios[i].key);

      if (g_str_equal (value, radios[i].value))
        gtk_toggle_button_set_active (get_radio (self, i), TRUE);
    }
}

static void
on_radio_key_changed_cb (GSettings             *settings,
                         const char            *key,
                         CapaPreferencesWindow *self)
{
  show_radios (self);
}

static void
on_profile_file_button_file_set_cb (GtkFileChooserButton  *button,
                                    CapaPreferencesWindow *self)
{
  g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (button));

  if (path == NULL)
    return;

  g_settings_set_string (self->settings, "colour-profile-file", path);
  g_settings_set_string (self->settings, "colour-management", "file");
}

static void
show_detected_profile (CapaPreferencesWindow *self)
{
  CapaColourProfile *profile = capa_screen_profile_get_detected_profile (self->screen_profile);
  g_autofree char *text = NULL;

  if (profile != NULL)
    /* Translators: the first %s is a profile's name, the second where it
     * comes from, such as “the display’s profile for output HDMI-1” */
    text = g_strdup_printf (_("%s, from %s"), capa_colour_profile_get_description (profile),
                            capa_screen_profile_get_detected_source (self->screen_profile));
  else if (capa_screen_profile_get_busy (self->screen_profile))
    text = g_strdup (_("Looking for the monitor’s profile…"));
  else
    text = g_strdup (_("The display gives no profile for this monitor: images are shown for "
                       "sRGB, the usual monitor colours"));

  hdy_action_row_set_subtitle (self->detect_row, text);
}

static void
show_profile_file (CapaPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "colour-profile-file");

  if (path[0] == '\0')
    {
      hdy_action_row_set_subtitle (self->file_row, _("No file chosen yet"));
      return;
    }

  gtk_file_chooser_set_filename (GTK_FILE_CHOOSER (self->profile_file_button), path);
  hdy_action_row_set_subtitle (self->file_row, _("An ICC profile made for this monitor"));
}

static void
on_profile_file_changed_cb (GSettings             *settings,
                            const char            *key,
                            CapaPreferencesWindow *self)
{
  show_profile_file (self);
}

static void
on_screen_profile_notify_cb (CapaScreenProfile     *screen_profile,
                             GParamSpec            *pspec,
                             CapaPreferencesWindow *self)
{
  show_detected_profile (self);
}

/* --- the object --- */

static void
capa_preferences_window_constructed (GObject *object)
{
  CapaPreferencesWindow *self = CAPA_PREFERENCES_WINDOW (object);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  GtkFileFilter *icc_filter = gtk_file_filter_new ();  /* floating: the chooser takes it */
  g_autofree char *pattern = NULL;
  GtkWindow *parent;

  G_OBJECT_CLASS (capa_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  for (guint i = 0; i < G_N_ELEMENTS (action_keys); i++)
    {
      g_autoptr(GAction) action = g_settings_create_action (self->settings, action_keys[i]);

      g_action_map_add_action (G_ACTION_MAP (group), action);
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "prefs", G_ACTION_GROUP (group));

  /* With a copy kept on the card nothing is deleted there (issue 10): the
   * delete switch has no effect then, and says so by being insensitive. */
  g_settings_bind (self->settings, "keep-on-card", self->delete_from_camera_row, "sensitive",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_INVERT_BOOLEAN);
  g_settings_bind (self->settings, "busy-timeout", self->busy_timeout_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);

  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (self->session == NULL && CAPA_IS_WINDOW (parent))
    self->session = g_object_ref (capa_window_get_session (CAPA_WINDOW (parent)));
  show_session_folder (self);

  pattern = g_settings_get_string (self->settings, "filename-pattern");
  gtk_entry_set_text (self->filename_pattern_entry, pattern);
  show_example (self);
  g_signal_connect_object (self->settings, "changed::filename-pattern",
                           G_CALLBACK (on_filename_pattern_changed_cb), self, 0);

  gtk_file_filter_set_name (icc_filter, _("ICC colour profiles"));
  gtk_file_filter_add_mime_type (icc_filter, "application/vnd.iccprofile");
  gtk_file_filter_add_pattern (icc_filter, "*.[iI][cC][cCmM]");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->profile_file_button), icc_filter);
  show_profile_file (self);
  show_radios (self);
  g_signal_connect_object (self->settings, "changed::colour-management",
                           G_CALLBACK (on_radio_key_changed_cb), self, 0);
  g_signal_connect_object (self->settings, "changed::rendering-intent",
                           G_CALLBACK (on_radio_key_changed_cb), self, 0);
  g_signal_connect_object (self->settings, "changed::colour-profile-file",
                           G_CALLBACK (on_profile_file_changed_cb), self, 0);

  /* The monitor this window's parent is on (or the primary one). */
  self->screen_profile = capa_screen_profile_new (parent != NULL ? GTK_WIDGET (parent) : NULL,
                                                  self->settings);
  g_signal_connect_object (self->screen_profile, "notify::detected-profile",
                           G_CALLBACK (on_screen_profile_notify_cb), self, 0);
  g_signal_connect_object (self->screen_profile, "notify::busy",
                           G_CALLBACK (on_screen_profile_notify_cb), self, 0);
  show_detected_profile (self);

  /* Extension point for the plugins issue: a “Plugins” page is an
   * HdyPreferencesPage named "plugins" added here with
   * gtk_container_add (GTK_CONTAINER (self), page), after the Colour
   * page.  No page is shown until plugins can be managed from it. */
}

static void
capa_preferences_window_dispose (GObject *object)
{
  CapaPreferencesWindow *self = CAPA_PREFERENCES_WINDOW (object);

  g_clear_object (&self->screen_profile);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (capa_preferences_window_parent_class)->dispose (object);
}

static void
capa_preferences_window_finalize (GObject *object)
{
  CapaPreferencesWindow *self = CAPA_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (capa_preferences_window_parent_class)->finalize (object);
}

static void
capa_preferences_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  CapaPreferencesWindow *self = CAPA_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_preferences_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  CapaPreferencesWindow *self = CAPA_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_SESSION:
      capa_preferences_window_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_preferences_window_class_init (CapaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = capa_preferences_window_constructed;
  object_class->dispose = capa_preferences_window_dispose;
  object_class->finalize = capa_preferences_window_finalize;
  object_class->get_property = capa_preferences_window_get_property;
  object_class->set_property = capa_preferences_window_set_property;

  /**
   * CapaPreferencesWindow:settings:
   *
   * The settings of the `org.capaphoto.Capa` schema shown and changed.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaPreferencesWindow:session:
   *
   * The session whose folder is shown and whose images number the example
   * file name; the parent [class@Capa.Window]'s session when not set.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CAPA_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/capa-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CapaPreferencesWindow,
                                        session_folder_row);
  gtk_widget_class_bind_template_child (widget_class, CapaPreferencesWindow,
                                        delete_from_camera_row);
  gtk_widget_class_bind_template_child (widget_class, CapaPreferencesWindow,
                                        busy_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, CapaPreferencesWindow,
                                        filename_pattern_entry);
  gtk_widget_class_bind_template_child (widget_class, CapaPreferencesWindow,
                                        filename_example_label);
  gtk_widget_class_bind_template_child (widget_class, CapaPreferencesWindow, detect_row);
  gtk_widget_class_bind_template_child (widget_class, CapaPreferencesWindow, file_row);
  gtk_widget_class_bind_template_child (widget_class, CapaPreferencesWindow,
                                        profile_file_button);
  for (guint i = 0; i < G_N_ELEMENTS (radios); i++)
    gtk_widget_class_bind_template_child_full (widget_class, radios[i].id, FALSE,
                                               radios[i].offset);
  gtk_widget_class_bind_template_callback (widget_class, on_radio_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filename_pattern_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_session_folder_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_file_button_file_set_cb);
}

static void
capa_preferences_window_init (CapaPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * capa_preferences_window_new:
 * @parent: (nullable): the window the preferences are for
 * @settings: settings of the `org.capaphoto.Capa` schema
 *
 * Creates the preferences window: the session folder, the file-name
 * pattern (with the name the next shot would get, and never saved while
 * invalid), the camera switches, the film strip's order, and the monitor
 * profile and rendering intent. Every change is written to @settings at
 * once. When @parent is a [class@Capa.Window], its session is the one
 * shown, and choosing another folder gives it a new session.
 *
 * Returns: (transfer floating): a new #CapaPreferencesWindow
 */
GtkWidget *
capa_preferences_window_new (GtkWindow *parent,
                             GSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (CAPA_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "settings", settings,
                       NULL);
}

/**
 * capa_preferences_window_get_settings:
 * @self: a #CapaPreferencesWindow
 *
 * Returns: (transfer none): the settings shown
 */
GSettings *
capa_preferences_window_get_settings (CapaPreferencesWindow *self)
{
  g_return_val_if_fail (CAPA_IS_PREFERENCES_WINDOW (self), NULL);

  return self->settings;
}

/**
 * capa_preferences_window_get_session:
 * @self: a #CapaPreferencesWindow
 *
 * Returns: (transfer none) (nullable): the session shown
 */
CapaSession *
capa_preferences_window_get_session (CapaPreferencesWindow *self)
{
  g_return_val_if_fail (CAPA_IS_PREFERENCES_WINDOW (self), NULL);

  return self->session;
}

/**
 * capa_preferences_window_set_session:
 * @self: a #CapaPreferencesWindow
 * @session: (nullable): a session
 *
 * Sets [property@Capa.PreferencesWindow:session].
 */
void
capa_preferences_window_set_session (CapaPreferencesWindow *self,
                                     CapaSession           *session)
{
  g_return_if_fail (CAPA_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (session == NULL || CAPA_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  if (self->settings != NULL)
    {
      show_session_folder (self);
      show_example (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * capa_preferences_window_dup_example_name:
 * @self: a #CapaPreferencesWindow
 *
 * Returns the example shown under the file-name pattern: the name the
 * next shot would get with the pattern being typed.
 *
 * Returns: (transfer full) (nullable) (type filename): the name, or %NULL
 *   while the pattern is invalid
 */
char *
capa_preferences_window_dup_example_name (CapaPreferencesWindow *self)
{
  const char *text;

  g_return_val_if_fail (CAPA_IS_PREFERENCES_WINDOW (self), NULL);

  text = gtk_entry_get_text (self->filename_pattern_entry);
  if (!capa_session_validate_filename_pattern (text, NULL))
    return NULL;

  return make_example_name (self, text);
}
