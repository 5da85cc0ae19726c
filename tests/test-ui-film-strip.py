#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The film strip (issue 8, item 5) in-process through gi.repository.Capa,
in a real window: the images of a session folder, the newest selected;
keyboard navigation; files added and removed by another program; a
1,000-image session asking only for the visible thumbnails; move to the
trash and undo; thumbnails colour-managed for the display profile; a
RAW + JPEG shot as one item with a badge, trashed and restored whole.
Prints TAP.  Run by meson in the ui suite under
tests/harness/with-display.sh."""

import os
import shutil
import sys
import tempfile
import time

# A private home, trash and thumbnail cache: set before GLib reads them.
WORK = tempfile.mkdtemp(prefix="capa-ui-film-strip-")
os.environ["HOME"] = WORK
os.environ["XDG_DATA_HOME"] = os.path.join(WORK, "data")
os.environ["XDG_CACHE_HOME"] = os.path.join(WORK, "cache")
os.environ["XDG_CONFIG_HOME"] = os.path.join(WORK, "config")

# An application for images, there before GIO first lists them.
os.makedirs(os.path.join(WORK, "data", "applications"))
with open(os.path.join(WORK, "data", "applications", "capa-test-viewer.desktop"), "w") as f:
    f.write("[Desktop Entry]\nType=Application\nName=Capa Test Viewer\n"
            f"Exec=sh -c 'echo \"$1\" > {os.path.join(WORK, 'opened')}' viewer %f\n"
            "MimeType=image/jpeg;\n")
with open(os.path.join(WORK, "data", "applications", "mimeinfo.cache"), "w") as f:
    f.write("[MIME Cache]\nimage/jpeg=capa-test-viewer.desktop;\n")

import gi  # noqa: E402

gi.require_version("Atk", "1.0")
gi.require_version("Capa", "1.0")
gi.require_version("Gdk", "3.0")
gi.require_version("GdkPixbuf", "2.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Atk, Capa, Gdk, GdkPixbuf, Gio, GLib, Gtk  # noqa: E402

DATA = os.path.join(os.environ.get("G_TEST_SRCDIR", os.path.dirname(__file__)), "data")
WAIT = 60.0     # a guard against hangs only, never a timing assertion
N_TESTS = 13


def ok(n, what):
    print(f"ok {n} - {what}", flush=True)


def iterate():
    context = GLib.MainContext.default()
    while context.pending():
        context.iteration(False)


def wait_for(condition, what):
    deadline = time.monotonic() + WAIT
    context = GLib.MainContext.default()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        context.iteration(False)
        time.sleep(0.005)


def canvas_of(strip):
    return strip.get_child().get_child()


def wait_loaded(strip):
    iterate()
    wait_for(lambda: not strip.props.loading, "the visible thumbnails")
    iterate()


def make_session(folder):
    session = Capa.Session.new(folder)
    assert session.load(None)
    return session


def names(session):
    return [os.path.basename(session.get_item(i).get_filename())
            for i in range(session.get_n_items())]


def selected_name(strip):
    image = strip.props.selected_image
    return os.path.basename(image.get_filename()) if image else None


def show(strip, width=900):
    window = Gtk.Window()
    window.set_default_size(width, -1)
    window.add(strip)
    window.show_all()
    wait_for(lambda: canvas_of(strip).get_mapped()
             and canvas_of(strip).get_allocated_width() > 1, "the strip on screen")
    return window


def press(strip, keyval):
    """A key press as the window gets it from the display, handed to GTK
    at once (no round trip through the X server to wait for)."""
    canvas = canvas_of(strip)
    canvas.grab_focus()
    event = Gdk.Event.new(Gdk.EventType.KEY_PRESS)
    event.keyval = keyval
    event.window = canvas.get_toplevel().get_window()
    event.send_event = 1
    event.time = Gtk.get_current_event_time()
    event.set_device(Gdk.Display.get_default().get_default_seat().get_keyboard())
    Gtk.main_do_event(event)
    iterate()


def click(strip, place, button=1):
    """A click on the cell at @place from the left, as GTK gets it."""
    canvas = canvas_of(strip)
    box_height = canvas.get_allocated_height() - 16
    pitch = box_height * 4 // 3 + 8
    event = Gdk.Event.new(Gdk.EventType.BUTTON_PRESS)
    event.button = button
    event.x = 8.0 + place * pitch + pitch / 2 - 4
    event.y = canvas.get_allocated_height() / 2
    event.window = canvas.get_window()
    event.send_event = 1
    event.time = Gtk.get_current_event_time()
    event.set_device(Gdk.Display.get_default().get_default_seat().get_pointer())
    Gtk.main_do_event(event)
    iterate()


def draw(widget):
    import cairo
    width = widget.get_allocated_width()
    height = widget.get_allocated_height()
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, width, height)
    cr = cairo.Context(surface)
    widget.draw(cr)
    surface.flush()
    return surface


def save_screenshot(widget, name):
    """A test artefact to look at: build/tests/screenshots/NAME.png."""
    folder = os.path.join(os.environ.get("G_TEST_BUILDDIR", WORK), "screenshots")
    os.makedirs(folder, exist_ok=True)
    draw(widget).write_to_png(os.path.join(folder, name + ".png"))


def pixel(surface, x, y):
    data = surface.get_data()
    offset = y * surface.get_stride() + x * 4
    b, g, r = data[offset], data[offset + 1], data[offset + 2]
    return (r, g, b)


def test_session_and_keys(n):
    folder = os.path.join(WORK, "session")
    os.mkdir(folder)
    old = 1577836800   # 2020, before camera.jpg's capture time
    for i, (source, name) in enumerate([("untagged.jpg", "a-untagged.jpg"),
                                        ("adobe-rgb.jpg", "b-adobe.jpg"),
                                        ("garbage.jpg", "c-broken.jpg"),
                                        ("gray.jpg", "d-gray.jpg")]):
        shutil.copy(os.path.join(DATA, source), os.path.join(folder, name))
        os.utime(os.path.join(folder, name), (old + 10 * i, old + 10 * i))
    shutil.copy(os.path.join(DATA, "camera.jpg"), os.path.join(folder, "e-camera.jpg"))

    session = make_session(folder)
    expected = ["a-untagged.jpg", "b-adobe.jpg", "c-broken.jpg", "d-gray.jpg", "e-camera.jpg"]
    assert names(session) == expected, names(session)

    strip = Capa.FilmStrip.new()
    notified = []
    strip.connect("notify::selected-image", lambda *a: notified.append(selected_name(strip)))
    strip.props.session = session
    window = show(strip)
    wait_loaded(strip)
    assert selected_name(strip) == "e-camera.jpg", selected_name(strip)
    assert notified == ["e-camera.jpg"], notified
    accessible = canvas_of(strip).get_accessible()
    assert accessible.get_name() == "Film strip", accessible.get_name()
    assert "e-camera.jpg" in accessible.get_description(), accessible.get_description()
    assert accessible.get_role() == Atk.Role.LIST, accessible.get_role()
    assert accessible.get_n_accessible_children() == 5
    items = [accessible.ref_accessible_child(i) for i in range(5)]
    assert [item.get_name() for item in items] == expected, [i.get_name() for i in items]
    assert all(item.get_role() == Atk.Role.LIST_ITEM for item in items)
    assert [item.get_index_in_parent() for item in items] == list(range(5))
    assert Atk.Selection.get_selection_count(accessible) == 1
    assert Atk.Selection.ref_selection(accessible, 0) is items[4]
    assert items[4].ref_state_set().contains_state(Atk.StateType.SELECTED)
    assert not items[0].ref_state_set().contains_state(Atk.StateType.SELECTED)
    assert Atk.Selection.add_selection(accessible, 0)
    assert selected_name(strip) == "a-untagged.jpg", selected_name(strip)
    strip.select_image(session.get_item(4))
    notified[:] = notified[:1]
    save_screenshot(strip, "film-strip")
    ok(n, "a session's images are shown, the newest selected, each an accessible list item")

    press(strip, Gdk.KEY_Left)
    assert selected_name(strip) == "d-gray.jpg", selected_name(strip)
    press(strip, Gdk.KEY_Left)
    press(strip, Gdk.KEY_Right)
    assert selected_name(strip) == "d-gray.jpg", selected_name(strip)
    press(strip, Gdk.KEY_Home)
    assert selected_name(strip) == "a-untagged.jpg", selected_name(strip)
    press(strip, Gdk.KEY_Left)
    assert selected_name(strip) == "a-untagged.jpg", selected_name(strip)
    press(strip, Gdk.KEY_Page_Down)
    assert selected_name(strip) == "e-camera.jpg", selected_name(strip)
    press(strip, Gdk.KEY_Page_Up)
    assert selected_name(strip) == "a-untagged.jpg", selected_name(strip)
    press(strip, Gdk.KEY_End)
    assert selected_name(strip) == "e-camera.jpg", selected_name(strip)
    assert notified[-1] == "e-camera.jpg" and len(notified) == 8, notified

    # Newest first: the same image is at the left end, and Right goes
    # to older images.
    strip.props.newest_first = True
    press(strip, Gdk.KEY_Home)
    assert selected_name(strip) == "e-camera.jpg", selected_name(strip)
    press(strip, Gdk.KEY_Right)
    assert selected_name(strip) == "d-gray.jpg", selected_name(strip)
    strip.props.newest_first = False

    # The strip is not mirrored right to left: the arrows still go where
    # they point.
    canvas_of(strip).set_direction(Gtk.TextDirection.RTL)
    press(strip, Gdk.KEY_Left)
    assert selected_name(strip) == "c-broken.jpg", selected_name(strip)
    press(strip, Gdk.KEY_Right)
    assert selected_name(strip) == "d-gray.jpg", selected_name(strip)
    canvas_of(strip).set_direction(Gtk.TextDirection.LTR)

    click(strip, 2)
    assert selected_name(strip) == "c-broken.jpg", selected_name(strip)
    click(strip, 0)
    assert selected_name(strip) == "a-untagged.jpg", selected_name(strip)
    image = session.get_item(1)
    strip.select_image(image)
    assert strip.props.selected_image == image
    ok(n + 1, "keys and clicks move the selection, in either order")

    # Another program adds a newer file: it appears, and is selected when
    # the newest was.
    press(strip, Gdk.KEY_End)
    new = os.path.join(folder, "f-new.jpg")
    shutil.copy(os.path.join(DATA, "untagged.jpg"), new + ".part")
    os.rename(new + ".part", new)
    wait_for(lambda: session.get_n_items() == 6, "the new file in the session")
    iterate()
    assert selected_name(strip) == "f-new.jpg", selected_name(strip)
    wait_loaded(strip)

    # ...and removes files: they vanish, the selection goes to a neighbour.
    os.unlink(new)
    wait_for(lambda: session.get_n_items() == 5, "the file gone from the session")
    iterate()
    assert selected_name(strip) == "e-camera.jpg", selected_name(strip)
    strip.select_image(session.get_item(0))
    os.unlink(os.path.join(folder, "a-untagged.jpg"))
    wait_for(lambda: session.get_n_items() == 4, "the first file gone")
    iterate()
    assert selected_name(strip) == "b-adobe.jpg", selected_name(strip)
    ok(n + 2, "files added and removed by another program appear and vanish")

    # Move to the trash with the Delete key, then undo.
    trashed = []
    errors = []
    strip.connect("trashed", lambda s, count: trashed.append(count))
    strip.connect("error", lambda s, error: errors.append(error.message))
    victim = os.path.join(folder, "b-adobe.jpg")
    press(strip, Gdk.KEY_Delete)
    wait_for(lambda: trashed or errors, "the file in the trash")
    assert not errors, errors
    assert trashed == [1], trashed
    assert not os.path.exists(victim)
    trash_files = os.path.join(os.environ["XDG_DATA_HOME"], "Trash", "files")
    assert "b-adobe.jpg" in os.listdir(trash_files), os.listdir(trash_files)
    wait_for(lambda: session.get_n_items() == 3, "the trashed file gone from the session")
    iterate()
    assert selected_name(strip) == "c-broken.jpg", selected_name(strip)

    results = []
    strip.undo_trash_async(None, lambda s, result: results.append(s.undo_trash_finish(result)))
    wait_for(lambda: results, "the undo")
    assert results == [1], results
    assert os.path.exists(victim)
    assert "b-adobe.jpg" not in os.listdir(trash_files)
    info = os.path.join(os.environ["XDG_DATA_HOME"], "Trash", "info")
    assert not os.listdir(info), os.listdir(info)
    wait_for(lambda: session.get_n_items() == 4, "the restored file in the session")
    assert "b-adobe.jpg" in names(session), names(session)

    # A second undo has nothing to restore, and says so.
    failures = []

    def on_undone(s, result):
        try:
            s.undo_trash_finish(result)
        except GLib.Error as error:
            failures.append(error)
    strip.undo_trash_async(None, on_undone)
    wait_for(lambda: failures, "the second undo")
    assert failures[0].matches(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_FOUND), failures
    ok(n + 3, "Delete moves the selected image to the trash and undo restores it")

    window.destroy()
    iterate()


def test_large_session(n):
    folder = os.path.join(WORK, "large")
    os.mkdir(folder)
    source = os.path.join(folder, "source.jpeg.orig")
    shutil.copy(os.path.join(DATA, "untagged.jpg"), source)
    for i in range(1000):
        os.link(source, os.path.join(folder, f"img-{i:04d}.jpg"))
    session = make_session(folder)
    assert session.get_n_items() == 1000, session.get_n_items()

    thumbnailer = Capa.Thumbnailer.get_default()
    items = [session.get_item(i).get_filename() for i in range(1000)]

    def made():
        return [f for f in items
                if os.path.exists(thumbnailer.get_thumbnail_path(f, Capa.ThumbnailSize.NORMAL))]

    strip = Capa.FilmStrip.new()
    strip.props.session = session
    window = show(strip, 800)
    wait_loaded(strip)
    visible = 800 // (96 * 4 // 3 + 8) + 1
    thumbnails = made()
    assert items[-1] in thumbnails, "the newest (selected, visible) has its thumbnail"
    assert visible <= len(thumbnails) <= visible + 2 * 4 + 2, (visible, len(thumbnails))
    assert all(f in items[-len(thumbnails) - 2:] for f in thumbnails), thumbnails
    ok(n, f"a 1,000-image session asks only for the visible thumbnails ({len(thumbnails)})")

    # Scrolled to the other end: the first ones come.
    strip.select_image(session.get_item(0))
    wait_loaded(strip)
    thumbnails = made()
    assert items[0] in thumbnails
    assert len(thumbnails) <= 2 * (visible + 2 * 4 + 2), len(thumbnails)
    ok(n + 1, "scrolling to the start asks for the thumbnails there")

    window.destroy()
    iterate()


def test_colour(n):
    folder = os.path.join(WORK, "colour")
    os.mkdir(folder)
    flat = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, False, 8, 300, 200)
    colour = (200, 80, 40)
    flat.fill((colour[0] << 24) | (colour[1] << 16) | (colour[2] << 8) | 0xff)
    assert flat.savev(os.path.join(folder, "flat.png"), "png", [], [])
    session = make_session(folder)

    strip = Capa.FilmStrip.new()
    strip.props.session = session
    window = show(strip)
    wait_loaded(strip)
    canvas = canvas_of(strip)
    box_height = canvas.get_allocated_height() - 16
    x = 8 + (box_height * 4 // 3) // 2
    y = canvas.get_allocated_height() // 2
    plain = pixel(draw(canvas), x, y)
    assert all(abs(a - b) <= 1 for a, b in zip(plain, colour)), plain

    display = Capa.ColourProfile.new_adobe_rgb()
    strip.props.display_profile = display
    wait_loaded(strip)
    managed = pixel(draw(canvas), x, y)

    one = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, False, 8, 1, 1)
    one.fill((plain[0] << 24) | (plain[1] << 16) | (plain[2] << 8) | 0xff)
    transform = Capa.ColourTransform.new(Capa.ColourProfile.new_srgb(), display,
                                         Capa.RenderingIntent.PERCEPTUAL)
    expected = tuple(transform.transform_pixbuf(one).get_pixels()[:3])
    assert expected != plain, expected
    assert all(abs(a - b) <= 1 for a, b in zip(managed, expected)), (managed, expected)

    strip.props.rendering_intent = Capa.RenderingIntent.RELATIVE_COLORIMETRIC
    wait_loaded(strip)
    strip.props.display_profile = None
    wait_loaded(strip)
    again = pixel(draw(canvas), x, y)
    assert again == plain, (again, plain)
    ok(n, f"thumbnails are drawn through the display profile: {plain} → {managed}")

    window.destroy()
    iterate()

FILE_MANAGER_XML = """
<node>
  <interface name="org.freedesktop.FileManager1">
    <method name="ShowItems">
      <arg type="as" name="uris" direction="in"/>
      <arg type="s" name="startup_id" direction="in"/>
    </method>
  </interface>
</node>
"""


def test_menu_actions(n):
    folder = os.path.join(WORK, "menu")
    os.mkdir(folder)
    photo = os.path.join(folder, "photo.jpg")
    shutil.copy(os.path.join(DATA, "untagged.jpg"), photo)
    session = make_session(folder)
    strip = Capa.FilmStrip.new()
    strip.props.session = session
    window = show(strip)
    errors = []
    strip.connect("error", lambda s, error: errors.append(error.message))
    actions = strip.get_action_group("strip")
    assert sorted(actions.list_actions()) == ["open-with", "show-in-files", "trash"], \
        actions.list_actions()

    # Show in Files asks the desktop's file manager over D-Bus.
    shown = []
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    node = Gio.DBusNodeInfo.new_for_xml(FILE_MANAGER_XML)

    def on_call(connection, sender, path, interface, method, parameters, invocation):
        shown.append(parameters.unpack())
        invocation.return_value(None)
    registration = bus.register_object("/org/freedesktop/FileManager1", node.interfaces[0],
                                       on_call, None, None)
    owner = Gio.bus_own_name_on_connection(bus, "org.freedesktop.FileManager1",
                                           Gio.BusNameOwnerFlags.NONE, None, None)
    iterate()
    actions.activate_action("show-in-files", None)
    wait_for(lambda: shown or errors, "the file manager's call")
    assert not errors, errors
    assert shown == [([Gio.File.new_for_path(photo).get_uri()], "")], shown
    Gio.bus_unown_name(owner)
    bus.unregister_object(registration)
    ok(n, "Show in Files asks org.freedesktop.FileManager1 to show the file")

    # Open With launches the chosen application on the file.
    marker = os.path.join(WORK, "opened")
    apps = [a.get_id() for a in Gio.AppInfo.get_all_for_type("image/jpeg")]
    assert "capa-test-viewer.desktop" in apps, apps
    actions.activate_action("open-with", GLib.Variant("s", "capa-test-viewer.desktop"))
    wait_for(lambda: os.path.exists(marker) and os.path.getsize(marker) > 0 or errors,
             "the application launched")
    assert not errors, errors
    with open(marker) as f:
        assert f.read().strip() == photo
    ok(n + 1, "Open With launches the application on the selected file")

    # A file that cannot go to the trash (another program deleted it just
    # before) is reported, naming it.
    os.unlink(photo)
    actions.activate_action("trash", None)
    wait_for(lambda: errors, "the error")
    assert "photo.jpg" in errors[0] and "trash" in errors[0], errors
    ok(n + 2, "a failed move to the trash is reported")

    window.destroy()
    iterate()


def test_pairs(n):
    """A shot saved as RAW + JPEG (issue 10): one item, the JPEG standing
    for it with a "RAW + JPEG" badge; trash takes both files, undo brings
    both back."""
    folder = os.path.join(WORK, "pairs")
    os.makedirs(folder)
    shutil.copy(os.path.join(DATA, "untagged.jpg"), os.path.join(folder, "alone.jpg"))
    shutil.copy(os.path.join(DATA, "camera.jpg"), os.path.join(folder, "DSC_0001.jpg"))
    session = make_session(folder)
    strip = Capa.FilmStrip.new()
    strip.props.session = session
    window = show(strip)
    wait_loaded(strip)
    accessible = canvas_of(strip).get_accessible()
    labels = sorted(accessible.ref_accessible_child(i).get_name() for i in range(2))
    assert labels == ["DSC_0001.jpg", "alone.jpg"], labels

    # The RAW arrives after its JPEG (as another program writes it): the
    # JPEG's item stays, now a shot of two files.
    shutil.copy(os.path.join(DATA, "preview.dng"), os.path.join(folder, "DSC_0001.dng"))
    wait_for(lambda: session.get_n_items() == 3, "the RAW in the session")
    iterate()
    wait_loaded(strip)

    assert accessible.get_n_accessible_children() == 2, accessible.get_n_accessible_children()
    labels = sorted(accessible.ref_accessible_child(i).get_name() for i in range(2))
    assert labels == ["DSC_0001.jpg, RAW + JPEG", "alone.jpg"], labels

    # The RAW selects the JPEG that stands for the shot.
    dng = next(session.get_item(i) for i in range(3)
               if session.get_item(i).get_filename().endswith(".dng"))
    strip.select_image(dng)
    assert selected_name(strip) == "DSC_0001.jpg", selected_name(strip)
    save_screenshot(window, "film-strip-pair")
    ok(n, "a RAW + JPEG shot is one item, the JPEG with a RAW + JPEG badge")

    trashed = []
    errors = []
    shown = []
    strip.connect("trashed", lambda s, count: trashed.append(count))
    strip.connect("error", lambda s, error: errors.append(error.message))
    strip.connect("notify::selected-image", lambda s, pspec: shown.append(selected_name(s)))
    press(strip, Gdk.KEY_Delete)
    wait_for(lambda: trashed or errors, "the shot in the trash")
    assert not errors, errors
    assert trashed == [2], trashed
    assert sorted(os.listdir(folder)) == ["alone.jpg"], os.listdir(folder)
    trash_files = os.path.join(os.environ["XDG_DATA_HOME"], "Trash", "files")
    assert {"DSC_0001.dng", "DSC_0001.jpg"} <= set(os.listdir(trash_files)), \
        os.listdir(trash_files)
    wait_for(lambda: session.get_n_items() == 1, "the shot gone from the session")
    iterate()
    assert accessible.get_n_accessible_children() == 1
    assert selected_name(strip) == "alone.jpg", selected_name(strip)
    # The RAW never shows alone on the way.
    assert "DSC_0001.dng" not in shown, shown

    results = []
    strip.undo_trash_async(None, lambda s, result: results.append(s.undo_trash_finish(result)))
    wait_for(lambda: results, "the undo")
    assert results == [2], results
    assert sorted(os.listdir(folder)) == ["DSC_0001.dng", "DSC_0001.jpg", "alone.jpg"], \
        os.listdir(folder)
    wait_for(lambda: session.get_n_items() == 3, "the restored shot in the session")
    iterate()
    assert accessible.get_n_accessible_children() == 2, accessible.get_n_accessible_children()
    ok(n + 1, "trash takes both files of a RAW + JPEG shot and undo brings both back")

    window.destroy()
    iterate()


def main():
    print(f"1..{N_TESTS}", flush=True)
    try:
        Gtk.init(sys.argv)
        test_session_and_keys(1)
        test_large_session(5)
        test_colour(7)
        strip = Capa.FilmStrip.new()
        strip.props.session = None
        assert strip.props.selected_image is None
        strip.destroy()
        ok(8, "a strip without a session selects nothing")
        test_menu_actions(9)
        test_pairs(12)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_AT_BRIDGE", "1")
    sys.exit(main())
