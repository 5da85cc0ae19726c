/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaFilmStrip from C, in a window under the test display: it lets go of
 * everything it held (the session, the images, its thumbnails, its menu)
 * once destroyed, whatever it was doing; notifications come once per
 * change; an undo with nothing trashed says so.  Its list of shots follows
 * the session's changes, appended or inserted, as the whole session
 * counted afresh would. */

#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <capa.h>

#include "capa-film-strip-private.h"
#include "capa-session-private.h"
#include "capa-window-private.h"
#include "capa-test-utils.h"

typedef struct
{
  char        *folder;
  CapaSession *session;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->folder = capa_test_make_tmpdir ("film-strip");
  capa_test_copy_sample (fixture->folder, "untagged.jpg", "a.jpg");
  capa_test_copy_sample (fixture->folder, "garbage.jpg", "b.jpg");
  capa_test_copy_sample (fixture->folder, "adobe-rgb.jpg", "c.jpg");

  fixture->session = capa_session_new (fixture->folder);
  g_assert_true (capa_session_load (fixture->session, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 3);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->session);
  capa_test_rmtree (fixture->folder);
  g_free (fixture->folder);
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Runs the main loop until @strip shows every visible thumbnail (a guard
 * of a minute against a hang, never a timing assertion). */
static void
wait_loaded (CapaFilmStrip *strip)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  iterate ();
  while (capa_film_strip_get_loading (strip))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  iterate ();
}

static GtkWidget *
show_in_window (CapaFilmStrip *strip)
{
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, -1);
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (strip));
  gtk_widget_show_all (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (strip)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  return window;
}

static GtkWidget *
get_canvas (CapaFilmStrip *strip)
{
  return gtk_bin_get_child (GTK_BIN (gtk_bin_get_child (GTK_BIN (strip))));
}

/* Everything the strip did, then destroyed: it and the session go. */
static void
test_finalize (Fixture       *fixture,
               gconstpointer  data)
{
  CapaFilmStrip *strip = g_object_ref_sink (capa_film_strip_new ());
  g_autoptr(CapaColourProfile) display = capa_colour_profile_new_adobe_rgb ();
  g_autoptr(CapaImage) first = g_list_model_get_item (G_LIST_MODEL (fixture->session), 0);
  GtkWidget *window;
  gboolean shown = FALSE;

  window = show_in_window (strip);
  capa_film_strip_set_session (strip, fixture->session);
  wait_loaded (strip);
  g_assert_nonnull (capa_film_strip_get_selected_image (strip));

  capa_film_strip_set_display_profile (strip, display);
  capa_film_strip_set_rendering_intent (strip, CAPA_RENDERING_INTENT_SATURATION);
  wait_loaded (strip);
  capa_film_strip_set_newest_first (strip, TRUE);
  capa_film_strip_select_image (strip, first);
  g_assert_true (capa_film_strip_get_selected_image (strip) == first);

  /* The context menu, open when the strip goes. */
  g_signal_emit_by_name (get_canvas (strip), "popup-menu", &shown);
  g_assert_true (shown);
  iterate ();

  /* Destroyed with thumbnails being made again. */
  capa_film_strip_set_display_profile (strip, NULL);
  gtk_widget_destroy (window);
  iterate ();

  g_assert_finalize_object (strip);
}

/* A strip never shown, dropped with a session set: nothing stays. */
static void
test_finalize_unshown (Fixture       *fixture,
                       gconstpointer  data)
{
  CapaFilmStrip *strip = g_object_ref_sink (capa_film_strip_new ());

  capa_film_strip_set_session (strip, fixture->session);
  g_assert_nonnull (capa_film_strip_get_selected_image (strip));
  gtk_widget_destroy (GTK_WIDGET (strip));
  g_assert_finalize_object (strip);
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_notify (Fixture       *fixture,
             gconstpointer  data)
{
  CapaFilmStrip *strip = g_object_ref_sink (capa_film_strip_new ());
  g_autoptr(CapaImage) last = g_list_model_get_item (G_LIST_MODEL (fixture->session), 2);
  guint selected = 0;
  guint session = 0;
  guint newest_first = 0;
  guint profile = 0;
  g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();
  g_autoptr(CapaColourProfile) other_srgb = capa_colour_profile_new_srgb ();

  g_signal_connect (strip, "notify::selected-image", G_CALLBACK (on_notify_cb), &selected);
  g_signal_connect (strip, "notify::display-profile", G_CALLBACK (on_notify_cb), &profile);
  g_signal_connect (strip, "notify::session", G_CALLBACK (on_notify_cb), &session);
  g_signal_connect (strip, "notify::newest-first", G_CALLBACK (on_notify_cb), &newest_first);

  capa_film_strip_set_session (strip, fixture->session);
  capa_film_strip_set_session (strip, fixture->session);
  g_assert_cmpuint (session, ==, 1);
  g_assert_cmpuint (selected, ==, 1);
  g_assert_true (capa_film_strip_get_selected_image (strip) == last);

  capa_film_strip_select_image (strip, last);
  g_assert_cmpuint (selected, ==, 1);
  g_object_set (strip, "selected-image", NULL, NULL);
  g_assert_cmpuint (selected, ==, 2);
  g_assert_null (capa_film_strip_get_selected_image (strip));

  capa_film_strip_set_newest_first (strip, TRUE);
  capa_film_strip_set_newest_first (strip, TRUE);
  g_assert_cmpuint (newest_first, ==, 1);

  capa_film_strip_set_session (strip, NULL);
  g_assert_cmpuint (session, ==, 2);
  g_assert_cmpuint (selected, ==, 2);

  /* Another profile object with the same bytes is a change of the
   * property (though nothing needs drawing again). */
  capa_film_strip_set_display_profile (strip, srgb);
  capa_film_strip_set_display_profile (strip, srgb);
  g_assert_cmpuint (profile, ==, 1);
  capa_film_strip_set_display_profile (strip, other_srgb);
  g_assert_cmpuint (profile, ==, 2);
  g_assert_true (capa_film_strip_get_display_profile (strip) == other_srgb);
  capa_film_strip_set_display_profile (strip, NULL);
  g_assert_cmpuint (profile, ==, 3);

  gtk_widget_destroy (GTK_WIDGET (strip));
  g_assert_finalize_object (strip);
}

static void
on_undone_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  g_assert_cmpuint (capa_film_strip_undo_trash_finish (CAPA_FILM_STRIP (object), result, error),
                    ==, 0);
}

static void
test_undo_nothing (Fixture       *fixture,
                   gconstpointer  data)
{
  CapaFilmStrip *strip = g_object_ref_sink (capa_film_strip_new ());
  g_autoptr(GError) error = NULL;

  capa_film_strip_set_session (strip, fixture->session);
  capa_film_strip_undo_trash_async (strip, NULL, on_undone_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  gtk_widget_destroy (GTK_WIDGET (strip));
  g_assert_finalize_object (strip);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} Changes;

static void
on_pairs_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Changes    *changes)
{
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
  changes->count++;
}

static char *
item_name (GListModel *model,
           guint       position)
{
  g_autoptr(CapaImage) image = g_list_model_get_item (model, position);

  return g_path_get_basename (capa_image_get_filename (image));
}

/* The items of @a and @b are the same images, in the same order. */
static void
assert_same_items (GListModel *a,
                   GListModel *b)
{
  g_assert_cmpuint (g_list_model_get_n_items (a), ==, g_list_model_get_n_items (b));
  for (guint i = 0; i < g_list_model_get_n_items (a); i++)
    {
      g_autoptr(CapaImage) x = g_list_model_get_item (a, i);
      g_autoptr(CapaImage) y = g_list_model_get_item (b, i);

      g_assert_true (x == y);
    }
}

/* A deferred thumbnail (the image the window's view is decoding) is not
 * asked for while the others are; it is once let go. */
static void
test_thumbnail_deferred (Fixture       *fixture,
                         gconstpointer  data)
{
  CapaFilmStrip *strip = g_object_ref_sink (capa_film_strip_new ());
  g_autoptr(CapaImage) held = g_list_model_get_item (G_LIST_MODEL (fixture->session), 2);
  g_autoptr(CapaImage) other = g_list_model_get_item (G_LIST_MODEL (fixture->session), 0);
  GtkWidget *window;

  _capa_film_strip_defer_thumbnail (strip, held);
  window = show_in_window (strip);
  capa_film_strip_set_session (strip, fixture->session);
  wait_loaded (strip);
  g_assert_nonnull (g_hash_table_lookup (strip->entries, other));
  g_assert_null (g_hash_table_lookup (strip->entries, held));

  /* Another image deferred lets the first go. */
  _capa_film_strip_defer_thumbnail (strip, other);
  wait_loaded (strip);
  g_assert_nonnull (g_hash_table_lookup (strip->entries, held));
  g_assert_false (capa_film_strip_get_loading (strip));

  _capa_film_strip_defer_thumbnail (strip, NULL);
  wait_loaded (strip);
  g_assert_nonnull (g_hash_table_lookup (strip->entries, held));
  g_assert_nonnull (g_hash_table_lookup (strip->entries, other));

  gtk_widget_destroy (window);
  iterate ();
  g_assert_finalize_object (strip);
}

static gboolean
count_draw_cb (GtkWidget *widget,
               cairo_t   *cr,
               guint     *count)
{
  (*count)++;
  return FALSE;
}

/* Scrolling the strip of a real window lays out and redraws the strip
 * alone, never the image view beside it. */
static void
test_scroll_alone (void)
{
  g_autofree char *folder = capa_test_make_tmpdir ("film-strip-scroll");
  g_autoptr(CapaSession) session = NULL;
  g_autoptr(CapaApplication) app = capa_application_new ();
  g_autoptr(GError) error = NULL;
  CapaWindow *window;
  CapaFilmStrip *strip;
  GtkAdjustment *adjustment;
  guint view_draws = 0;
  guint strip_draws = 0;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("%02u.jpg", i);

      capa_test_copy_sample (folder, "untagged.jpg", name);
    }
  session = capa_session_new (folder);
  g_assert_true (capa_session_load (session, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = capa_window_new (app);
  capa_window_set_session (window, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_widget_show (GTK_WIDGET (window));
  strip = window->film_strip;
  while (!gtk_widget_get_mapped (GTK_WIDGET (strip)))
    g_main_context_iteration (NULL, TRUE);
  wait_loaded (strip);
  capa_test_spin (500);

  adjustment = _capa_film_strip_canvas_get_hadjustment (strip->canvas);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment) -
                     gtk_adjustment_get_page_size (adjustment), >, 200);
  gtk_adjustment_set_value (adjustment, 0);
  capa_test_spin (200);
  g_signal_connect (window->image_view, "draw", G_CALLBACK (count_draw_cb), &view_draws);
  g_signal_connect (get_canvas (strip), "draw", G_CALLBACK (count_draw_cb), &strip_draws);

  for (guint step = 1; step <= 10; step++)
    {
      guint drawn = strip_draws;
      gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

      gtk_adjustment_set_value (adjustment, step * 20);
      while (strip_draws == drawn)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_main_context_iteration (NULL, TRUE);
        }
    }
  iterate ();
  g_assert_cmpuint (strip_draws, >=, 10);
  g_assert_cmpuint (view_draws, ==, 0);

  g_signal_handlers_disconnect_by_data (window->image_view, &view_draws);
  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
  capa_test_rmtree (folder);
}

/* Shots added at the end of the session (as the tether saves them) are
 * added to the strip's list one by one, costing what was added: a RAW
 * then its JPEG, a JPEG then its RAW, each one item whose badge counts
 * both; the list is the one made from the whole session. */
static void
test_pairs_appended (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CapaFilmStripPairs) pairs = _capa_film_strip_pairs_new (fixture->session);
  GListModel *model = G_LIST_MODEL (pairs);
  gint64 time = g_get_real_time () + G_USEC_PER_SEC;
  Changes changes = { 0 };
  g_autofree char *name = NULL;
  g_autofree char *badge = NULL;
  CapaImage *raw;
  CapaImage *jpeg;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_signal_connect (pairs, "items-changed", G_CALLBACK (on_pairs_changed_cb), &changes);

  raw = _capa_session_add_image (fixture->session, "d.dng", time++, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_cmpuint (changes.count, ==, 1);
  g_assert_cmpuint (changes.position, ==, 3);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_null (_capa_film_strip_pairs_dup_badge (pairs, raw));

  /* Its JPEG stands for the shot: the item is replaced. */
  jpeg = _capa_session_add_image (fixture->session, "d.jpg", time++, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_cmpuint (changes.count, ==, 2);
  g_assert_cmpuint (changes.position, ==, 3);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_cmpuint (changes.added, ==, 1);
  name = item_name (model, 3);
  g_assert_cmpstr (name, ==, "d.jpg");
  badge = _capa_film_strip_pairs_dup_badge (pairs, jpeg);
  g_assert_cmpstr (badge, ==, "RAW + JPEG");
  g_assert_true (_capa_film_strip_pairs_get_shown (pairs, raw) == jpeg);

  /* A JPEG then its RAW: the JPEG stays, told as changed for its badge. */
  jpeg = _capa_session_add_image (fixture->session, "e.jpg", time++, NULL);
  g_assert_cmpuint (changes.count, ==, 3);
  raw = _capa_session_add_image (fixture->session, "e.nef", time++, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  g_assert_cmpuint (changes.count, ==, 4);
  g_assert_cmpuint (changes.position, ==, 4);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_cmpuint (changes.added, ==, 1);
  g_clear_pointer (&name, g_free);
  name = item_name (model, 4);
  g_assert_cmpstr (name, ==, "e.jpg");
  g_clear_pointer (&badge, g_free);
  badge = _capa_film_strip_pairs_dup_badge (pairs, jpeg);
  g_assert_cmpstr (badge, ==, "RAW + JPEG");

  /* The same list as one made from the whole session. */
  {
    g_autoptr(CapaFilmStripPairs) whole = _capa_film_strip_pairs_new (fixture->session);

    assert_same_items (model, G_LIST_MODEL (whole));
  }

  /* A change that is not at the end makes the list again. */
  _capa_session_remove_image (fixture->session, "d.dng");
  {
    g_autoptr(CapaFilmStripPairs) whole = _capa_film_strip_pairs_new (fixture->session);
    g_autofree char *alone = _capa_film_strip_pairs_dup_badge (pairs, jpeg);

    assert_same_items (model, G_LIST_MODEL (whole));
    g_assert_cmpstr (alone, ==, "RAW + JPEG");
  }
  g_signal_handlers_disconnect_by_data (pairs, &changes);
}

/* What test_pairs_inserted() watches: the list, a copy of it kept from
 * its items-changed alone, and how many changes of the session it saw. */
typedef struct
{
  CapaSession        *session;
  CapaFilmStripPairs *pairs;
  GPtrArray          *copy;
  guint               checked;
  gboolean            loaded;
} Inserted;

/* The list is the one made from the whole session, and the copy agrees;
 * with every badge. */
static void
check_inserted (Inserted *inserted)
{
  g_autoptr(CapaFilmStripPairs) whole = _capa_film_strip_pairs_new (inserted->session);
  GListModel *model = G_LIST_MODEL (inserted->pairs);
  guint n_session = g_list_model_get_n_items (G_LIST_MODEL (inserted->session));

  assert_same_items (model, G_LIST_MODEL (whole));
  g_assert_cmpuint (inserted->copy->len, ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < inserted->copy->len; i++)
    {
      g_autoptr(CapaImage) item = g_list_model_get_item (model, i);

      g_assert_true (g_ptr_array_index (inserted->copy, i) == item);
    }
  for (guint i = 0; i < n_session; i++)
    {
      g_autoptr(CapaImage) image = g_list_model_get_item (G_LIST_MODEL (inserted->session), i);
      g_autofree char *badge = _capa_film_strip_pairs_dup_badge (inserted->pairs, image);
      g_autofree char *expected = _capa_film_strip_pairs_dup_badge (whole, image);

      g_assert_cmpstr (badge, ==, expected);
      g_assert_true (_capa_film_strip_pairs_get_shown (inserted->pairs, image) ==
                     _capa_film_strip_pairs_get_shown (whole, image));
    }
}

/* Connected after the list: runs once it followed the change. */
static void
on_inserted_session_changed_cb (GListModel *session,
                                guint       position,
                                guint       removed,
                                guint       added,
                                Inserted   *inserted)
{
  check_inserted (inserted);
  inserted->checked++;
}

static void
on_inserted_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Inserted *inserted = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (capa_session_load_finish (CAPA_SESSION (object), result, &error));
  g_assert_no_error (error);
  inserted->loaded = TRUE;
}

#define INSERTED_SHOTS 600

/* The time of shot @i, in s: a permutation of the shots, so that each
 * batch of a loading session lands all over the list. */
static gint64
inserted_time (guint i)
{
  return 1000000 + (i * 7919u) % INSERTED_SHOTS;
}

static void
make_inserted_file (const char *folder,
                    const char *name,
                    gint64      time)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  struct timespec times[2] = { { time, 0 }, { time, 0 } };

  g_assert_true (g_file_set_contents (path, name, -1, NULL));
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
}

/* Images inserted in the middle of the session: a session read in batches
 * (each spread over the list, the files of a shot in different batches),
 * then a RAW for a JPEG already listed, a JPEG for a RAW, and a file as
 * good as its shot's shown one, which the order decides.  After each
 * change the list is the one made from the whole session, and its
 * items-changed, applied to a copy, give the list. */
static void
test_pairs_inserted (Fixture       *fixture,
                     gconstpointer  data)
{
  Inserted inserted = { fixture->session, NULL, NULL, 0, FALSE };
  g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CapaFilmStripPairs) pairs = _capa_film_strip_pairs_new (fixture->session);
  GListModel *model = G_LIST_MODEL (pairs);
  gint64 usec = G_USEC_PER_SEC;
  g_autofree char *badge = NULL;
  guint after_load;
  CapaImage *jpeg;
  CapaImage *raw;

  for (guint i = 0; i < INSERTED_SHOTS; i++)
    {
      g_autofree char *jpg = g_strdup_printf ("s%04u.jpg", i);

      make_inserted_file (fixture->folder, jpg, inserted_time (i));
      if (i % 7 == 0)
        {
          g_autofree char *nef = g_strdup_printf ("s%04u.nef", i);

          make_inserted_file (fixture->folder, nef, inserted_time (i));
        }
      if (i % 11 == 0)
        {
          g_autofree char *png = g_strdup_printf ("s%04u.png", i);

          make_inserted_file (fixture->folder, png, inserted_time (i));
        }
    }

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (copy, g_list_model_get_item (model, i));
  inserted.pairs = pairs;
  inserted.copy = copy;
  g_signal_connect (pairs, "items-changed", G_CALLBACK (capa_test_copy_items_changed_cb), copy);
  g_signal_connect (fixture->session, "items-changed",
                    G_CALLBACK (on_inserted_session_changed_cb), &inserted);

  capa_session_load_async (fixture->session, NULL, on_inserted_loaded_cb, &inserted);
  g_assert_true (capa_test_wait_for (&inserted.loaded, 60000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==,
                    3 + INSERTED_SHOTS + (INSERTED_SHOTS + 6) / 7 + (INSERTED_SHOTS + 10) / 11);
  /* The old list gone, then more than one batch. */
  g_assert_cmpuint (inserted.checked, >=, 3);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3 + INSERTED_SHOTS);
  after_load = inserted.checked;

  /* A RAW for a JPEG listed alone, in the middle: the JPEG stays. */
  jpeg = _capa_session_add_image (fixture->session, "s0302.jpg", 0, NULL);
  raw = _capa_session_add_image (fixture->session, "s0302.nef", inserted_time (302) * usec, NULL);
  g_assert_true (_capa_film_strip_pairs_get_shown (pairs, raw) == jpeg);
  badge = _capa_film_strip_pairs_dup_badge (pairs, jpeg);
  g_assert_cmpstr (badge, ==, "RAW + JPEG");

  /* A RAW alone, then its JPEG: the JPEG stands for the shot. */
  raw = _capa_session_add_image (fixture->session, "r.nef", inserted_time (300) * usec, NULL);
  g_assert_true (_capa_film_strip_pairs_get_shown (pairs, raw) == raw);
  jpeg = _capa_session_add_image (fixture->session, "r.jpg", inserted_time (300) * usec, NULL);
  g_assert_true (_capa_film_strip_pairs_get_shown (pairs, raw) == jpeg);

  /* As good as the shown one: the first in the session's order shows. */
  _capa_session_add_image (fixture->session, "s0301.JPEG", inserted_time (301) * usec - 1,
                           NULL);
  _capa_session_add_image (fixture->session, "s0303.JPEG", inserted_time (303) * usec + 1,
                           NULL);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3 + INSERTED_SHOTS + 1);
  g_assert_cmpuint (inserted.checked, ==, after_load + 5);
  g_signal_handlers_disconnect_by_data (fixture->session, &inserted);
  g_signal_handlers_disconnect_by_data (pairs, copy);
}

int
main (int   argc,
      char *argv[])
{
  /* A private HOME: thumbnail cache and trash of its own. */
  capa_test_init (&argc, &argv);
  gtk_init (&argc, &argv);

  g_test_add ("/Capa/FilmStrip/pairs-appended", Fixture, NULL,
              fixture_set_up, test_pairs_appended, fixture_tear_down);
  g_test_add ("/Capa/FilmStrip/pairs-inserted", Fixture, NULL,
              fixture_set_up, test_pairs_inserted, fixture_tear_down);
  g_test_add ("/Capa/FilmStrip/thumbnail-deferred", Fixture, NULL,
              fixture_set_up, test_thumbnail_deferred, fixture_tear_down);
  g_test_add_func ("/Capa/FilmStrip/scroll-alone", test_scroll_alone);
  g_test_add ("/Capa/FilmStrip/finalize", Fixture, NULL,
              fixture_set_up, test_finalize, fixture_tear_down);
  g_test_add ("/Capa/FilmStrip/finalize-unshown", Fixture, NULL,
              fixture_set_up, test_finalize_unshown, fixture_tear_down);
  g_test_add ("/Capa/FilmStrip/notify", Fixture, NULL,
              fixture_set_up, test_notify, fixture_tear_down);
  g_test_add ("/Capa/FilmStrip/undo-nothing", Fixture, NULL,
              fixture_set_up, test_undo_nothing, fixture_tear_down);

  return g_test_run ();
}
