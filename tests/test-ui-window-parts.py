#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The window assembled from its parts (src/ui/capa-window-parts.c), with
the demo camera: the image view, the film strip and the settings panel are
in the window; a shot taken through win.capture becomes the window's
selected image, the film strip's selection and the image the view shows;
the settings panel shows the connected camera; the monitor's profile
reaches the view and the strip; a part's error reaches the info bar;
keep-on-card reaches the tether.  Prints TAP.  Run by meson in the ui suite
under tests/harness/with-display.sh."""

import os
import shutil
import sys
import tempfile
import time

import gi

gi.require_version("Capa", "1.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Capa, Gio, GLib, Gtk  # noqa: E402

WAIT_S = 60


def ok(n, what):
    print(f"ok {n} - {what}", flush=True)


def wait_for(what, condition):
    end = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        Gtk.main_iteration_do(False)
        time.sleep(0.005)


def find(widget, gtype):
    if isinstance(widget, gtype):
        return widget
    if isinstance(widget, Gtk.Container):
        for child in widget.get_children():
            found = find(child, gtype)
            if found is not None:
                return found
    return None


def labels(widget):
    if isinstance(widget, Gtk.Label) and widget.get_mapped():
        yield widget.get_text()
    if isinstance(widget, Gtk.Container):
        for child in widget.get_children():
            yield from labels(child)


def main():
    print("1..7", flush=True)
    work = tempfile.mkdtemp(prefix="capa-ui-window-parts-")
    try:
        Gtk.init(sys.argv)
        settings = Gio.Settings.new("org.capaphoto.Capa")
        settings.set_string("session-folder", work)
        settings.set_boolean("keep-on-card", False)
        app = Capa.Application.new()
        app.register(None)
        app.set_demo_camera(True)

        win = Capa.Window.new(app)
        win.set_default_size(1280, 800)
        win.show()
        view = find(win, Capa.ImageView)
        strip = find(win, Capa.FilmStrip)
        panel = find(win, Capa.SettingsPanel)
        assert view is not None and strip is not None and panel is not None
        assert strip.props.session is win.props.session
        ok(1, "the image view, film strip and settings panel are in the window")

        wait_for("the demo camera to connect", lambda: win.get_tether() is not None)
        camera = win.get_tether().get_camera()
        assert camera.get_model() == "Capa Demo Camera", camera.get_model()
        wait_for("the panel to show the camera", lambda: panel.props.camera is camera)
        ok(2, "the settings panel shows the connected camera")

        win.activate_action("capture", None)
        wait_for("the shot to be selected", lambda: win.get_selected_image() is not None)
        image = win.get_selected_image()
        assert os.path.dirname(image.get_filename()) == work, image.get_filename()
        assert os.path.exists(image.get_filename())
        assert strip.props.selected_image is image
        assert view.props.image is image
        ok(3, "a shot is the window's, the strip's and the view's image")

        # "detect" finds no profile on this display: pictures are drawn as sRGB.
        wait_for("the view's display profile", lambda: view.props.display_profile is not None)
        assert strip.props.display_profile is not None
        assert view.props.display_profile.equal(Capa.ColourProfile.new_srgb())
        settings.set_enum("colour-management", 2)  # off
        wait_for("colour management off", lambda: view.props.display_profile is None)
        assert strip.props.display_profile is None
        ok(4, "the monitor's profile reaches the view and the strip")

        view.emit("error", GLib.Error.new_literal(Gio.io_error_quark(), "the test's failure",
                                                  Gio.IOErrorEnum.FAILED))
        wait_for("the info bar", lambda: any("the test's failure" in text
                                              for text in labels(win)))
        ok(5, "a part's error is shown in the info bar")

        tether = win.get_tether()
        assert tether.props.delete_from_camera
        settings.set_boolean("keep-on-card", True)
        assert tether.props.keep_on_card and not tether.props.delete_from_camera
        settings.set_boolean("delete-from-camera", True)
        assert not tether.props.delete_from_camera
        settings.set_boolean("keep-on-card", False)
        assert not tether.props.keep_on_card and tether.props.delete_from_camera
        ok(6, "keep-on-card reaches the tether and keeps the card copy")

        strip_slot = strip.get_parent()
        side = panel.get_parent()
        while not isinstance(side, Gtk.Stack):
            side = side.get_parent()
        assert strip_slot.get_visible() and side.get_visible()
        win.set_tether(None)
        assert not side.get_visible() and strip_slot.get_visible()
        for name in os.listdir(work):
            os.unlink(os.path.join(work, name))
        wait_for("the emptied session", lambda: not strip_slot.get_visible())
        ok(7, "without a camera the side panel steps aside; an empty session hides the strip")

        win.destroy()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
