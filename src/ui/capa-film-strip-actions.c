/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The film strip's context menu and its actions (the "strip" group): open
 * with another application, show in the file manager, move to the trash
 * and undo it. */

#define G_LOG_DOMAIN "Capa-FilmStrip"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "capa-film-strip-private.h"

/* --- helpers --- */

static void
emit_error_printf (CapaFilmStrip *self,
                   const GError  *cause,
                   const char    *format,
                   ...) G_GNUC_PRINTF (3, 4);

/* Emits ::error with a message made of @format and @cause's message. */
static void
emit_error_printf (CapaFilmStrip *self,
                   const GError  *cause,
                   const char    *format,
                   ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  error = g_error_new (cause ? cause->domain : G_IO_ERROR,
                       cause ? cause->code : G_IO_ERROR_FAILED,
                       "%s%s%s", text, cause ? " " : "", cause ? cause->message : "");
  _capa_film_strip_emit_error (self, error);
}

static GAppLaunchContext *
make_launch_context (CapaFilmStrip *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));

  return G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (display));
}

static char *
dup_content_type (CapaImage *image)
{
  return g_content_type_guess (capa_image_get_filename (image), NULL, 0, NULL);
}

static void
launch_app (CapaFilmStrip *self,
            GAppInfo      *app,
            CapaImage     *image)
{
  g_autoptr(GAppLaunchContext) context = make_launch_context (self);
  g_autoptr(GFile) file = g_file_new_for_path (capa_image_get_filename (image));
  g_autoptr(GError) error = NULL;
  GList files = { file, NULL, NULL };

  if (!g_app_info_launch (app, &files, context, &error))
    {
      g_autofree char *name = g_filename_display_basename (capa_image_get_filename (image));

      emit_error_printf (self, error,
                         _("“%s” could not be opened with %s. Try another application."),
                         name, g_app_info_get_name (app));
    }
}

/* --- open with --- */

static void
on_app_chooser_response_cb (GtkDialog *dialog,
                            int        response,
                            gpointer   user_data)
{
  CapaFilmStrip *self = CAPA_FILM_STRIP (user_data);

  if (response == GTK_RESPONSE_OK && self->selected != NULL)
    {
      g_autoptr(GAppInfo) app = gtk_app_chooser_get_app_info (GTK_APP_CHOOSER (dialog));

      if (app != NULL)
        launch_app (self, app, self->selected);
    }

  gtk_widget_destroy (GTK_WIDGET (dialog));
  g_object_unref (self);
}

static void
on_open_with_activated_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  CapaFilmStrip *self = CAPA_FILM_STRIP (user_data);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autofree char *content_type = NULL;
  GtkWidget *toplevel;
  GtkWidget *dialog;

  if (self->selected == NULL)
    return;

  content_type = dup_content_type (self->selected);

  if (id[0] != '\0')
    {
      GList *apps = g_app_info_get_all_for_type (content_type);

      for (GList *l = apps; l != NULL; l = l->next)
        if (g_strcmp0 (g_app_info_get_id (l->data), id) == 0)
          {
            launch_app (self, l->data, self->selected);
            break;
          }
      g_list_free_full (apps, g_object_unref);
      return;
    }

  /* Any other application: the chooser. */
  toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  dialog = gtk_app_chooser_dialog_new_for_content_type (
    GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
    GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, content_type);
  g_signal_connect (dialog, "response", G_CALLBACK (on_app_chooser_response_cb),
                    g_object_ref (self));
  gtk_widget_show (dialog);
}

/* --- show in files --- */

typedef struct
{
  CapaFilmStrip *self;        /* owned */
  char          *uri;         /* the file */
  char          *folder_uri;  /* its folder, opened when no file manager answers */
} ShowData;

static void
show_data_free (ShowData *data)
{
  g_object_unref (data->self);
  g_free (data->uri);
  g_free (data->folder_uri);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShowData, show_data_free)

static void
on_folder_opened_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ShowData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    emit_error_printf (data->self, error,
                       _("The session folder could not be shown: no file manager answered. "
                         "Install a file manager such as Files, or open the folder by hand."));
}

/* No file manager answered: opens the folder instead. Takes @data. */
static void
open_folder (ShowData *data)
{
  g_autoptr(GAppLaunchContext) context = make_launch_context (data->self);
  GCancellable *cancellable = data->self->cancellable;
  const char *folder_uri = data->folder_uri;

  g_app_info_launch_default_for_uri_async (folder_uri, context, cancellable,
                                           on_folder_opened_cb, data);
}

static void
on_show_items_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ShowData) data = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("No file manager shows the file (%s): opening its folder", error->message);
  open_folder (g_steal_pointer (&data));
}

static void
on_session_bus_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ShowData) data = user_data;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  const char *uris[] = { data->uri, NULL };
  GCancellable *cancellable = data->self->cancellable;

  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        open_folder (g_steal_pointer (&data));
      return;
    }

  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                          on_show_items_cb, data);
  data = NULL;
}

static void
on_show_in_files_activated_cb (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  CapaFilmStrip *self = CAPA_FILM_STRIP (user_data);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  ShowData *data;

  if (self->selected == NULL)
    return;

  file = g_file_new_for_path (capa_image_get_filename (self->selected));
  folder = g_file_get_parent (file);

  data = g_new0 (ShowData, 1);
  data->self = g_object_ref (self);
  data->uri = g_file_get_uri (file);
  data->folder_uri = g_file_get_uri (folder);

  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, on_session_bus_cb, data);
}

/* --- move to the trash --- */

typedef struct
{
  CapaFilmStrip *self;      /* owned */
  GPtrArray     *paths;     /* of char *: the files of the shot, to trash in turn */
  GPtrArray     *trashed;   /* of char *: those already in the trash */
  guint          next;
} TrashData;

static void
trash_data_free (TrashData *data)
{
  g_object_unref (data->self);
  g_ptr_array_unref (data->paths);
  g_ptr_array_unref (data->trashed);
  g_free (data);
}

/* Done: what went to the trash can be undone, even if not all of it did. */
static void
trash_done (TrashData *data)
{
  CapaFilmStrip *self = data->self;

  if (data->trashed->len > 0)
    {
      /* Undone in the other order: the file shown first. */
      g_clear_pointer (&self->trashed, g_ptr_array_unref);
      self->trashed = g_ptr_array_new_full (data->trashed->len, g_free);
      for (guint i = data->trashed->len; i-- > 0; )
        g_ptr_array_add (self->trashed, g_strdup (g_ptr_array_index (data->trashed, i)));
      _capa_film_strip_emit_trashed (self, data->trashed->len);
    }
  trash_data_free (data);
}

static void on_trash_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data);

static void
trash_next (TrashData *data)
{
  g_autoptr(GFile) file = NULL;

  if (data->next >= data->paths->len)
    {
      trash_done (data);
      return;
    }

  file = g_file_new_for_path (g_ptr_array_index (data->paths, data->next));
  g_file_trash_async (file, G_PRIORITY_DEFAULT, data->self->cancellable, on_trash_cb, data);
}

static void
on_trash_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  TrashData *data = user_data;
  CapaFilmStrip *self = data->self;
  const char *path = g_ptr_array_index (data->paths, data->next);
  g_autoptr(GError) error = NULL;

  if (g_file_trash_finish (G_FILE (object), result, &error))
    {
      g_ptr_array_add (data->trashed, g_strdup (path));
      data->next++;
      trash_next (data);
      return;
    }

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *name = g_filename_display_basename (path);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        emit_error_printf (self, error,
                           _("“%s” could not be moved to the trash: its disk has no trash. "
                             "Delete it in the file manager instead."), name);
      else
        emit_error_printf (self, error, _("“%s” could not be moved to the trash."), name);
    }
  trash_done (data);
}

/**
 * capa_film_strip_trash_selected:
 * @self: a #CapaFilmStrip
 *
 * Moves the selected image to the trash, as the *Move to Trash* item of
 * the strip's menu and the Delete key do, with the other files of its
 * shot (the RAW of a RAW + JPEG, see
 * [method@Capa.Session.get_companions]). The strip emits
 * [signal@Capa.FilmStrip::trashed] once it is done, or
 * [signal@Capa.FilmStrip::error].
 */
void
capa_film_strip_trash_selected (CapaFilmStrip *self)
{
  g_autoptr(GPtrArray) companions = NULL;
  TrashData *data;

  g_return_if_fail (CAPA_IS_FILM_STRIP (self));

  if (self->selected == NULL)
    return;

  data = g_new0 (TrashData, 1);
  data->self = g_object_ref (self);
  data->paths = g_ptr_array_new_with_free_func (g_free);
  data->trashed = g_ptr_array_new_with_free_func (g_free);

  /* The hidden files first, the one shown last: the strip never shows
   * the RAW alone on the way. */
  companions = capa_session_get_companions (self->session, self->selected);
  for (guint i = 0; i < companions->len; i++)
    g_ptr_array_add (data->paths,
                     g_strdup (capa_image_get_filename (g_ptr_array_index (companions, i))));
  g_ptr_array_add (data->paths, g_strdup (capa_image_get_filename (self->selected)));

  trash_next (data);
}

static void
on_trash_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  capa_film_strip_trash_selected (CAPA_FILM_STRIP (user_data));
}

/* --- undo: out of the trash --- */

/* The trash folders that may hold @path, per the freedesktop.org Trash
 * specification: the home trash, and those at the top of @path's mount. */
static GPtrArray *
find_trash_folders (const char *path)
{
  GPtrArray *folders = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *top = g_path_get_dirname (path);
  g_autofree char *uid = g_strdup_printf ("%u", (guint) getuid ());
  GStatBuf st;

  g_ptr_array_add (folders, g_build_filename (g_get_user_data_dir (), "Trash", NULL));

  if (g_stat (top, &st) != 0)
    return folders;

  /* Up to the top of the mount. */
  for (;;)
    {
      g_autofree char *parent = g_path_get_dirname (top);
      GStatBuf parent_st;

      if (g_strcmp0 (parent, top) == 0 || g_stat (parent, &parent_st) != 0 ||
          parent_st.st_dev != st.st_dev)
        break;
      g_free (top);
      top = g_steal_pointer (&parent);
    }

  g_ptr_array_add (folders, g_build_filename (top, ".Trash", uid, NULL));
  g_ptr_array_add (folders, g_strconcat (top, G_DIR_SEPARATOR_S ".Trash-", uid, NULL));

  return folders;
}

/* Where @trashinfo says its file came from, as an absolute path. */
static char *
read_trashinfo (const char  *trashinfo,
                const char  *trash_folder,
                char       **deletion_date)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  if (!g_key_file_load_from_file (key_file, trashinfo, G_KEY_FILE_NONE, NULL))
    return NULL;

  escaped = g_key_file_get_string (key_file, "Trash Info", "Path", NULL);
  if (escaped == NULL)
    return NULL;
  path = g_uri_unescape_string (escaped, NULL);
  if (path == NULL)
    return NULL;

  *deletion_date = g_key_file_get_string (key_file, "Trash Info", "DeletionDate", NULL);

  if (!g_path_is_absolute (path))
    {
      /* Relative to the top of the mount, which holds the trash folder. */
      g_autofree char *trash_parent = g_path_get_dirname (trash_folder);
      g_autofree char *trash_name = g_path_get_basename (trash_folder);
      g_autofree char *top = NULL;

      /* $top/.Trash-$uid, else $top/.Trash/$uid */
      if (g_str_has_prefix (trash_name, ".Trash-"))
        top = g_steal_pointer (&trash_parent);
      else
        top = g_path_get_dirname (trash_parent);
      return g_build_filename (top, path, NULL);
    }

  return g_steal_pointer (&path);
}

/* Moves the most recently trashed file that came from @path back there. */
static gboolean
restore_one (const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GPtrArray) folders = find_trash_folders (path);
  g_autofree char *best_info = NULL;
  g_autofree char *best_file = NULL;
  g_autofree char *best_date = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) destination = NULL;

  for (guint i = 0; i < folders->len; i++)
    {
      const char *folder = g_ptr_array_index (folders, i);
      g_autofree char *info_folder = g_build_filename (folder, "info", NULL);
      g_autoptr(GDir) dir = g_dir_open (info_folder, 0, NULL);
      const char *entry;

      while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *info = NULL;
          g_autofree char *origin = NULL;
          g_autofree char *date = NULL;

          if (!g_str_has_suffix (entry, ".trashinfo"))
            continue;

          info = g_build_filename (info_folder, entry, NULL);
          origin = read_trashinfo (info, folder, &date);
          if (origin == NULL || g_strcmp0 (origin, path) != 0)
            continue;

          if (best_info == NULL || g_strcmp0 (date, best_date) > 0)
            {
              g_autofree char *base = g_strndup (entry, strlen (entry) - strlen (".trashinfo"));

              g_free (best_info);
              g_free (best_file);
              g_free (best_date);
              best_info = g_steal_pointer (&info);
              best_file = g_build_filename (folder, "files", base, NULL);
              best_date = g_steal_pointer (&date);
            }
        }
    }

  if (best_info == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” is no longer in the trash, so it cannot be restored."), name);
      return FALSE;
    }

  source = g_file_new_for_path (best_file);
  destination = g_file_new_for_path (path);
  if (!g_file_move (source, destination, G_FILE_COPY_NOFOLLOW_SYMLINKS, cancellable,
                    NULL, NULL, error))
    {
      g_prefix_error (error, _("“%s” could not be restored from the trash: "), name);
      return FALSE;
    }

  if (g_unlink (best_info) != 0)
    g_debug ("Cannot remove %s: %s", best_info, g_strerror (errno));

  return TRUE;
}

static void
undo_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GPtrArray *paths = task_data;
  GError *first_error = NULL;
  guint restored = 0;

  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (restore_one (g_ptr_array_index (paths, i), cancellable, &error))
        restored++;
      else if (first_error == NULL)
        first_error = g_steal_pointer (&error);
    }

  if (first_error != NULL)
    g_task_return_error (task, first_error);
  else
    g_task_return_int (task, restored);
}

/**
 * capa_film_strip_undo_trash_async:
 * @self: a #CapaFilmStrip
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the images are back
 * @user_data: data for @callback
 *
 * Moves the images the strip last moved to the trash back where they
 * were, on a worker thread; the session's folder monitor then shows them
 * again. Each is found in the trash by the path it came from (the most
 * recently trashed one when there are several).
 */
void
capa_film_strip_undo_trash_async (CapaFilmStrip       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CAPA_IS_FILM_STRIP (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_film_strip_undo_trash_async);

  if (self->trashed == NULL || self->trashed->len == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("No image was moved to the trash, so none can be restored."));
      return;
    }

  g_task_set_task_data (task, g_steal_pointer (&self->trashed),
                        (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, undo_thread);
}

/**
 * capa_film_strip_undo_trash_finish:
 * @self: a #CapaFilmStrip
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.FilmStrip.undo_trash_async].
 *
 * Returns: how many images were restored; 0 with @error set when one
 *   could not be
 */
guint
capa_film_strip_undo_trash_finish (CapaFilmStrip  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  gssize restored;

  g_return_val_if_fail (CAPA_IS_FILM_STRIP (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        capa_film_strip_undo_trash_async, 0);

  restored = g_task_propagate_int (G_TASK (result), error);

  return restored > 0 ? (guint) restored : 0;
}

/* --- the menu --- */

static GMenuModel *
build_menu (CapaFilmStrip *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) open_with = g_menu_new ();
  g_autoptr(GMenu) section = NULL;
  g_autoptr(GMenuItem) trash = NULL;
  g_autofree char *content_type = dup_content_type (self->selected);
  GList *apps = g_app_info_get_recommended_for_type (content_type);

  for (GList *l = apps; l != NULL; l = l->next)
    {
      g_autoptr(GMenuItem) item = NULL;
      GAppInfo *app = l->data;

      if (g_app_info_get_id (app) == NULL)
        continue;
      item = g_menu_item_new (g_app_info_get_name (app), NULL);
      g_menu_item_set_action_and_target_value (item, "strip.open-with",
                                               g_variant_new_string (g_app_info_get_id (app)));
      g_menu_append_item (open_with, item);
    }
  g_list_free_full (apps, g_object_unref);

  section = g_menu_new ();
  g_menu_append (section, _("Other Application…"), "strip.open-with::");
  g_menu_append_section (open_with, NULL, G_MENU_MODEL (section));
  g_clear_object (&section);

  section = g_menu_new ();
  g_menu_append_submenu (section, _("Open With"), G_MENU_MODEL (open_with));
  g_menu_append (section, _("Show in Files"), "strip.show-in-files");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_clear_object (&section);

  section = g_menu_new ();
  trash = g_menu_item_new (_("Move to Trash"), "strip.trash");
  g_menu_item_set_attribute (trash, "accel", "s", "Delete");
  g_menu_append_item (section, trash);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

gboolean
_capa_film_strip_popup_menu (CapaFilmStrip      *self,
                             const GdkRectangle *rect)
{
  g_autoptr(GMenuModel) model = NULL;

  if (self->selected == NULL)
    return FALSE;

  g_clear_pointer (&self->popover, gtk_widget_destroy);

  model = build_menu (self);
  self->popover = gtk_popover_new_from_model (GTK_WIDGET (self->canvas), model);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), rect);
  gtk_popover_set_position (GTK_POPOVER (self->popover), GTK_POS_TOP);
  gtk_popover_popup (GTK_POPOVER (self->popover));

  return TRUE;
}

static const GActionEntry strip_entries[] = {
  { "open-with", on_open_with_activated_cb, "s", NULL, NULL, { 0 } },
  { "show-in-files", on_show_in_files_activated_cb, NULL, NULL, NULL, { 0 } },
  { "trash", on_trash_activated_cb, NULL, NULL, NULL, { 0 } },
};

void
_capa_film_strip_init_actions (CapaFilmStrip *self)
{
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), strip_entries,
                                   G_N_ELEMENTS (strip_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "strip", G_ACTION_GROUP (self->actions));
  _capa_film_strip_update_actions (self);
}

void
_capa_film_strip_update_actions (CapaFilmStrip *self)
{
  gboolean enabled = self->selected != NULL;

  if (self->actions == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (strip_entries); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions),
                                                    strip_entries[i].name);

      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
    }
}
