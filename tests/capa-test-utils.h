/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <capa.h>

G_BEGIN_DECLS

/* Calls g_test_init() and gives the test private, empty XDG folders
 * (cache, config, data, pictures) under a temporary HOME. */
void      capa_test_init              (int         *argc,
                                       char      ***argv);

/* A new empty temporary folder, removed with capa_test_rmtree(). */
char     *capa_test_make_tmpdir       (const char  *name);
void      capa_test_rmtree            (const char  *path);
/* An items-changed handler that keeps @copy (of references) equal to the
 * model, from the signal alone. */
void      capa_test_copy_items_changed_cb (GListModel *model,
                                           guint       position,
                                           guint       removed,
                                           guint       added,
                                           GPtrArray  *copy);
/* Copies tests/data/@sample to @folder/@name. */
void      capa_test_copy_sample       (const char  *folder,
                                       const char  *sample,
                                       const char  *name);

/* Writes @count JPEG files of @width×@height (distinct content) into
 * @folder, named shot-0001.jpg and so on. */
void      capa_test_write_jpegs       (const char  *folder,
                                       guint        count,
                                       int          width,
                                       int          height);

/* Points libgphoto2 at the virtual camera (vusb), serving the JPEGs in
 * @jpeg_folder.  Returns FALSE and marks the test skipped when the
 * fixture could not be built on this machine; under CI=true that is a
 * failure instead.  Call before the first libgphoto2 call of the process. */
gboolean  capa_test_use_vcamera       (const char  *jpeg_folder);

/* In a test case: TRUE when the virtual camera is usable; otherwise marks
 * the test skipped (failed under CI=true) and returns FALSE.  For tests
 * whose main() called capa_test_use_vcamera() before g_test_run(). */
gboolean  capa_test_vcamera_available (void);

/* Spins the default main context until @flag becomes TRUE or @timeout_ms
 * pass; returns the flag. */
gboolean  capa_test_wait_for          (gboolean    *flag,
                                       guint        timeout_ms);

/* Spins the default main context for @ms milliseconds. */
void      capa_test_spin              (guint        ms);

/* Drops the caller's reference to @object and asserts that it is
 * finalized, spinning the default main context (up to 5 s) so that a
 * worker thread that just completed a GTask can let go of it first. */
void      capa_test_assert_finalized  (gpointer     object);

/* Points libgphoto2 at Capa's test camera driver (tests/camlib): IOLIBS
 * at the virtual camera's port driver and CAMLIBS at the folder holding
 * only capa_test_camera.so, so that "Capa Test Camera" is the one camera
 * on usb:001,001.  @faults (nullable) is put in CAPA_TEST_CAMERA_FAULTS,
 * read at each gp_camera_init(); NULL unsets it.  Returns FALSE and marks
 * the test skipped (failed under CI=true) when the fixture is missing. */
gboolean  capa_test_use_test_camera   (const char  *faults);

/* As capa_test_use_test_camera(), with @count test cameras: for @count
 * of 2 or more IOLIBS names a folder holding only tests/camlib's port
 * driver capa_test_usb.so, which lists usb:001,001 … usb:001,00N, and
 * CAPA_TEST_CAMERA_COUNT is set to @count.  Each camera has its own card,
 * settings, faults (@faults holds for every camera) and events; camera N
 * (N ≥ 2) draws its number in the top right corner of its pictures and
 * has the serial number CAPA0000000N.  @count 1 is
 * capa_test_use_test_camera(). */
gboolean  capa_test_use_test_cameras  (const char  *faults,
                                       guint        count);

/* An EXIF ASCII tag for capa_test_make_tiff(); lists end with tag 0. */
typedef struct
{
  guint16     tag;
  const char *ascii;
} CapaTestExifTag;

/* A TIFF structure as found in EXIF (and at the start of TIFF-based RAW
 * files): IFD0 at offset 8 holding the ASCII tags of @ifd0 (nullable), in
 * that order, then, when @exif_ifd is not NULL, an ExifIFD pointer (tag
 * 0x8769, the last entry of IFD0) to an IFD holding those of @exif_ifd,
 * right after IFD0; values longer than 4 bytes follow both IFDs.
 * Big-endian ("MM") when @big_endian, else little-endian ("II"). */
GBytes   *capa_test_make_tiff         (gboolean               big_endian,
                                       const CapaTestExifTag *ifd0,
                                       const CapaTestExifTag *exif_ifd);
/* The same with only ExifIFD DateTimeOriginal (0x9003) = @date. */
GBytes   *capa_test_make_exif_date    (const char            *date);

/* Writes a small real JPEG (8×8) to @path with an APP1 "Exif" segment
 * holding @tiff after its APP0 segment; without one when @tiff is NULL. */
void      capa_test_write_exif_jpeg   (const char            *path,
                                       GBytes                *tiff);

/* Waits for one asynchronous call: give capa_test_async_done_cb and a
 * zeroed CapaTestAsync as its callback and data, then spin the main
 * context (capa_test_wait_for (&wait.done, ...)).  The callback asserts
 * that it runs on the thread that called capa_test_init(). */
typedef struct
{
  GAsyncResult *result;
  gboolean      done;
} CapaTestAsync;

void      capa_test_async_done_cb     (GObject      *object,
                                       GAsyncResult *result,
                                       gpointer      user_data);
void      capa_test_async_clear       (CapaTestAsync *wait);

/* The model and port of Capa's test camera driver, for capa_camera_new(). */
#define CAPA_TEST_CAMERA_MODEL "Capa Test Camera"
#define CAPA_TEST_CAMERA_PORT  "usb:001,001"

/* In a fixture's set-up: TRUE when @have_camera (what
 * capa_test_use_test_camera() returned in main()); otherwise marks the
 * test skipped (failed under CI=true) and returns FALSE. */
gboolean     capa_test_camera_usable        (gboolean     have_camera);

/* The control at @path of @camera, loading the controls first when they
 * are not loaded yet; asserts that loading succeeds and the control exists. */
CapaControl *capa_test_camera_get_control   (CapaCamera  *camera,
                                             const char  *path);

/* Saves @camera's changed controls, asserting that it succeeds. */
void         capa_test_camera_save_controls (CapaCamera  *camera);

/* Sets the test camera driver's faults through its text control
 * /main/testing/faults, then saves the controls. */
void         capa_test_camera_set_faults    (CapaCamera  *camera,
                                             const char  *faults);

/* Opens @camera, asserting that it succeeds and that it is connected. */
void         capa_test_camera_open          (CapaCamera  *camera);

/* Closes @camera, asserting that it succeeds. */
void         capa_test_camera_close         (CapaCamera  *camera);

/* Puts the test camera back in its initial state (empty card, initial
 * settings): unsets CAPA_TEST_CAMERA_FAULTS, then opens a camera of its
 * own, presses /main/testing/reset, saves, closes it and asserts that it
 * is finalized. */
void         capa_test_camera_reset         (void);

/* Lists the cameras (without monitoring), asserts that there is exactly
 * one, opens it and returns it (a new reference). */
CapaCamera  *capa_test_camera_find_and_open (void);

/* The files on @camera's card (capa_camera_list_files() of "/"),
 * asserting that listing succeeds. */
GPtrArray   *capa_test_camera_list_files    (CapaCamera  *camera);

/* TRUE when a file named @name is on @camera's card. */
gboolean     capa_test_camera_card_has      (CapaCamera  *camera,
                                             const char  *name);

/* Runs capa_tether_capture_async() on @tether and waits (up to
 * @timeout_ms, asserted) for its result, returned as
 * capa_tether_capture_finish() returns it. */
CapaImage   *capa_test_camera_capture       (CapaTether   *tether,
                                             GCancellable *cancellable,
                                             guint         timeout_ms,
                                             GError      **error);

/* Collects @tether's signals: a reference to each image of
 * "image-saved" in @saved and a copy of each error of "error" in @errors
 * (logged with g_test_message()); both handlers assert that they run on
 * the thread that called capa_test_init().  The arrays must outlive the
 * tether. */
void         capa_test_camera_collect_tether (CapaTether *tether,
                                              GPtrArray  *saved,
                                              GPtrArray  *errors);

/* A tether fixture: the test camera (CAPA_TEST_CAMERA_MODEL on
 * CAPA_TEST_CAMERA_PORT), opened after capa_test_camera_reset() with the
 * faults given (CAPA_TEST_CAMERA_FAULTS, when not %NULL), a session in a
 * new temporary folder named after @name with the file-name pattern
 * "DSC_%n", its tether, and what the tether saved and reported
 * (capa_test_camera_collect_tether()).  Without a usable test camera only
 * the arrays are made: `camera` stays %NULL. */
typedef struct
{
  CapaCamera  *camera;
  CapaSession *session;
  CapaTether  *tether;
  char        *directory;
  GPtrArray   *saved;         /* CapaImage */
  GPtrArray   *errors;        /* GError */
} CapaTestTether;

void         capa_test_tether_set_up        (CapaTestTether *fixture,
                                             gboolean        have_camera,
                                             const char     *faults,
                                             const char     *name);
/* Unsets CAPA_TEST_CAMERA_FAULTS, stops monitoring, closes the camera and
 * asserts that the tether, the camera and the session are finalized;
 * removes the folder. */
void         capa_test_tether_tear_down     (CapaTestTether *fixture);

/* The template child @id anywhere under @widget (popovers of menu buttons
 * included), or %NULL. */
GtkWidget   *capa_test_find_in              (GtkWidget   *widget,
                                             const char  *id);
/* The template child @id of @window, in its title bar or its body; asserts
 * that there is one. */
GtkWidget   *capa_test_find_widget          (GtkWindow   *window,
                                             const char  *id);
/* The part the window put in its template slot @id (image_view_slot,
 * film_strip_slot…): the slot's first child; asserts that there is one. */
GtkWidget   *capa_test_window_part          (CapaWindow  *window,
                                             const char  *id);
/* Runs the main loop until @check (@window) holds, or @ms pass (a guard
 * against a hang, never a timing check); returns its last answer. */
gboolean     capa_test_wait_for_window      (gboolean   (*check) (CapaWindow *window),
                                             CapaWindow  *window,
                                             guint        ms);
/* Saves what @widget's window shows now as screenshots/@name.png in the
 * test build folder (the test artefacts of the window's main states). */
void         capa_test_save_screenshot      (GtkWidget   *widget,
                                             const char  *name);

G_END_DECLS
