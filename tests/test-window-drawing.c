/* SPDX-License-Identifier: GPL-3.0-or-later */

/* What the real window draws, and what it leaves alone (issue 8, item 14:
 * never more than 5 ms of main-thread work at a time).  A change of the
 * header bar's subtitle (every shot, every step of a download) or of the
 * image view's exposure or zoom line lays out and draws that part alone,
 * not the whole window; the view paints from surfaces it keeps for the
 * next image of the same size, instead of making (and clearing) new ones
 * each time. */

#define G_LOG_DOMAIN "Capa-Test"

#include "config.h"

#include <capa.h>

#include "capa-image-view-private.h"
#include "capa-window-private.h"
#include "capa-test-utils.h"

/* One for the program: a registered application stays on the bus. */
static CapaApplication *app;

typedef struct
{
  char              *folder;
  CapaSession       *session;
  CapaWindow        *window;
  guint              view_draws;
  guint              strip_draws;
  guint              header_draws;
  guint              screen_painted;   /* SCREEN steps the view painted */
} Fixture;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
count_draw_cb (GtkWidget *widget,
               cairo_t   *cr,
               guint     *count)
{
  (*count)++;
  return GDK_EVENT_PROPAGATE;
}

static void
on_painted_cb (CapaImageView        *view,
               CapaImageViewQuality  quality,
               Fixture              *fixture)
{
  if (quality == CAPA_IMAGE_VIEW_QUALITY_SCREEN)
    fixture->screen_painted++;
}

/* Runs the main loop until *@counter passes @before (a guard of a minute
 * against a hang, never a timing assertion). */
static void
wait_past (guint *counter,
           guint  before)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*counter <= before)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static GtkWidget *
film_strip_canvas (CapaWindow *window)
{
  GtkWidget *widget = GTK_WIDGET (window->film_strip);

  /* The strip's drawing area, the one widget that draws its items. */
  while (GTK_IS_BIN (widget) || GTK_IS_SCROLLED_WINDOW (widget) || GTK_IS_VIEWPORT (widget))
    widget = gtk_bin_get_child (GTK_BIN (widget));
  g_assert_true (GTK_IS_WIDGET (widget));
  return widget;
}

/* A real window on a session of three copies of one photograph, its
 * newest painted at the size on the screen. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->folder = capa_test_make_tmpdir ("window-drawing");
  capa_test_copy_sample (fixture->folder, "camera.jpg", "a.jpg");
  capa_test_copy_sample (fixture->folder, "camera.jpg", "b.jpg");
  capa_test_copy_sample (fixture->folder, "camera.jpg", "c.jpg");
  fixture->session = capa_session_new (fixture->folder);
  g_assert_true (capa_session_load (fixture->session, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 3);

  fixture->window = capa_window_new (app);
  g_signal_connect (fixture->window->image_view, "painted", G_CALLBACK (on_painted_cb), fixture);
  capa_window_set_session (fixture->window, fixture->session);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  gtk_widget_show (GTK_WIDGET (fixture->window));

  wait_past (&fixture->screen_painted, 0);
  capa_test_spin (300);
  iterate ();

  g_signal_connect (fixture->window->image_view, "draw", G_CALLBACK (count_draw_cb),
                    &fixture->view_draws);
  g_signal_connect (film_strip_canvas (fixture->window), "draw", G_CALLBACK (count_draw_cb),
                    &fixture->strip_draws);
  g_signal_connect (fixture->window->header_bar, "draw", G_CALLBACK (count_draw_cb),
                    &fixture->header_draws);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->window->image_view, fixture);
  g_signal_handlers_disconnect_by_data (fixture->window->image_view, &fixture->view_draws);
  g_signal_handlers_disconnect_by_data (film_strip_canvas (fixture->window),
                                        &fixture->strip_draws);
  g_signal_handlers_disconnect_by_data (fixture->window->header_bar, &fixture->header_draws);
  gtk_widget_destroy (GTK_WIDGET (fixture->window));
  iterate ();
  g_assert_finalize_object (fixture->session);
  capa_test_rmtree (fixture->folder);
  g_free (fixture->folder);
}

/* The subtitle follows a download step by step: the header bar is drawn
 * again each time, the image view and the film strip never. */
static void
test_subtitle_alone (Fixture       *fixture,
                     gconstpointer  data)
{
  CapaWindow *window = fixture->window;

  for (guint step = 1; step <= 5; step++)
    {
      guint drawn = fixture->header_draws;
      g_autofree char *subtitle = NULL;

      g_free (window->downloading);
      window->downloading = g_strdup ("DSC_0042.JPG");
      window->download_fraction = step / 10.0;
      _capa_window_update_title (window);
      subtitle = g_strdup_printf ("Downloading DSC_0042.JPG… %u %%", step * 10);
      g_assert_cmpstr (gtk_header_bar_get_subtitle (window->header_bar), ==, subtitle);
      wait_past (&fixture->header_draws, drawn);
    }
  g_clear_pointer (&window->downloading, g_free);
  iterate ();

  g_assert_cmpuint (fixture->header_draws, >=, 5);
  g_assert_cmpuint (fixture->view_draws, ==, 0);
  g_assert_cmpuint (fixture->strip_draws, ==, 0);
}

/* Zooming changes the view's zoom label: the view is drawn again, the
 * film strip is not. */
static void
test_view_alone (Fixture       *fixture,
                 gconstpointer  data)
{
  CapaImageView *view = fixture->window->image_view;
  static const double zooms[] = { 0.5, 1.0, 0.25, 2.0 };

  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      guint drawn = fixture->view_draws;

      capa_image_view_set_zoom (view, zooms[i]);
      wait_past (&fixture->view_draws, drawn);
    }
  capa_image_view_set_zoom_to_fit (view, TRUE);
  iterate ();

  g_assert_cmpuint (fixture->view_draws, >=, G_N_ELEMENTS (zooms));
  g_assert_cmpuint (fixture->strip_draws, ==, 0);
  g_assert_cmpuint (fixture->header_draws, ==, 0);
}

/* Going through images of one size, the view paints each from the
 * surfaces the one before left, made once. */
static void
test_surfaces_reused (Fixture       *fixture,
                      gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  CapaImageView *view = window->image_view;
  guint made = _capa_image_view_get_n_surfaces_made (view);

  /* The first image's were made: the canvas has a window.  The X server
   * under test (Xvfb) takes shared pixmaps: the view draws from one. */
  g_assert_cmpuint (made, >=, 1);
  g_assert_cmpint (cairo_surface_get_type (view->surfaces[CAPA_IMAGE_VIEW_QUALITY_SCREEN]), ==,
                   CAIRO_SURFACE_TYPE_XLIB);

  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(CapaImage) image = g_list_model_get_item (G_LIST_MODEL (fixture->session), i);
        guint painted = fixture->screen_painted;

        _capa_window_set_selected_image (window, image);
        g_assert_true (capa_image_view_get_image (view) == image);
        wait_past (&fixture->screen_painted, painted);
        g_assert_cmpuint (_capa_image_view_get_n_surfaces_made (view), ==, made);
        g_assert_cmpint (cairo_surface_get_type (view->surfaces[CAPA_IMAGE_VIEW_QUALITY_SCREEN]),
                         ==, CAIRO_SURFACE_TYPE_XLIB);
      }
}

/* A status page's text changes (they follow the camera and the session)
 * while the image page is shown: laid out within the main stack, not the
 * whole window, so the film strip beside it is not drawn again. */
static void
test_status_page_alone (Fixture       *fixture,
                        gconstpointer  data)
{
  CapaWindow *window = fixture->window;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "image");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("A description that changes, %u", i);

      hdy_status_page_set_description (window->empty_session_page, text);
      capa_test_spin (100);
    }
  iterate ();

  g_assert_cmpuint (fixture->strip_draws, ==, 0);
  g_assert_cmpuint (fixture->header_draws, ==, 0);
}

static void
on_changed_cb (GObject    *object,
               GParamSpec *pspec,
               guint      *changes)
{
  (*changes)++;
}

static gboolean
session_read (gpointer session)
{
  return !capa_session_get_loading (session);
}

/* Opening another session: while it is read, the window keeps its page
 * and its film strip instead of showing them empty for a moment (which
 * also laid out and drew the whole window twice). */
static void
test_session_switch_steady (Fixture       *fixture,
                            gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  g_autofree char *folder = capa_test_make_tmpdir ("window-drawing-other");
  g_autoptr(CapaSession) other = NULL;
  guint page_changes = 0, strip_changes = 0;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("other-%02u.jpg", i);

      capa_test_copy_sample (folder, "camera.jpg", name);
    }
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "image");
  g_assert_true (gtk_widget_get_visible (window->film_strip_slot));
  g_signal_connect (window->main_stack, "notify::visible-child-name",
                    G_CALLBACK (on_changed_cb), &page_changes);
  g_signal_connect (window->film_strip_slot, "notify::visible",
                    G_CALLBACK (on_changed_cb), &strip_changes);

  other = capa_session_new (folder);
  capa_window_set_session (window, other);
  g_assert_true (capa_session_get_loading (other));
  while (!session_read (other))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  iterate ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 40);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "image");
  g_assert_cmpuint (page_changes, ==, 0);
  g_assert_cmpuint (strip_changes, ==, 0);

  g_signal_handlers_disconnect_by_data (window->main_stack, &page_changes);
  g_signal_handlers_disconnect_by_data (window->film_strip_slot, &strip_changes);

  /* An empty one, once read, shows that it is empty: no camera here, so
   * the page saying so, and no film strip. */
  {
    g_autofree char *empty_folder = capa_test_make_tmpdir ("window-drawing-empty");
    g_autoptr(CapaSession) empty = capa_session_new (empty_folder);

    capa_window_set_session (window, empty);
    while (!session_read (empty))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
    iterate ();
    g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "no-camera");
    g_assert_false (gtk_widget_get_visible (window->film_strip_slot));
    capa_test_rmtree (empty_folder);
  }
  capa_test_rmtree (folder);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* A private HOME: a thumbnail cache of its own. */
  capa_test_init (&argc, &argv);
  gtk_init (&argc, &argv);
  app = capa_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/Capa/WindowDrawing/subtitle-alone", Fixture, NULL,
              fixture_set_up, test_subtitle_alone, fixture_tear_down);
  g_test_add ("/Capa/WindowDrawing/view-alone", Fixture, NULL,
              fixture_set_up, test_view_alone, fixture_tear_down);
  g_test_add ("/Capa/WindowDrawing/surfaces-reused", Fixture, NULL,
              fixture_set_up, test_surfaces_reused, fixture_tear_down);
  g_test_add ("/Capa/WindowDrawing/status-page-alone", Fixture, NULL,
              fixture_set_up, test_status_page_alone, fixture_tear_down);
  g_test_add ("/Capa/WindowDrawing/session-switch-steady", Fixture, NULL,
              fixture_set_up, test_session_switch_steady, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
