#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The camera settings panel and the all-settings dialog (issue 8, items 6
and 13) with the test camera driver (tests/camlib), in process through
gi.repository.Capa:

  - the panel shows the default settings the test camera has, and the
    user's choice per camera model;
  - the f-number chosen in its widget reaches the camera (read back by
    another CapaCamera);
  - a value the camera refuses (fault injection) is reported by `error`,
    naming the setting and the value, and the widget returns to the
    camera's value;
  - a dial turned on the body updates the widget, with nothing sent back;
  - the dialog gives every control type its widget;
  - every interactive widget has an accessible name.

Prints TAP.  Run by meson in the ui suite under tests/harness/with-display.sh."""

import os
import shutil
import sys
import tempfile
import time
import traceback

tests = []


def test(fn):
    tests.append(fn)
    return fn


def use_test_camera(work):
    """As capa_test_use_test_camera() (tests/capa-test-utils.c)."""
    vusb = os.environ.get("CAPA_TEST_VUSB_DIR", "")
    camlibs = os.environ.get("CAPA_TEST_CAMLIB_DIR", "")
    try:
        with open(os.path.join(vusb, "status"), encoding="utf-8") as f:
            status = f.read().strip()
    except OSError:
        status = "unavailable: the fixture was not built"
    if not camlibs:
        status = "unavailable: CAPA_TEST_CAMLIB_DIR is not set (run it with meson test)"
    if status != "ok":
        if os.environ.get("CI") == "true":
            print(f"Bail out! CI must run this test, but the test camera is {status}")
            sys.exit(1)
        print(f"1..0 # SKIP the test camera is {status} on this machine")
        sys.exit(0)
    unused = os.path.join(work, "vcamera-unused")
    os.makedirs(unused)
    os.environ["IOLIBS"] = os.path.join(vusb, "iolibs")
    os.environ["VCAMERADIR"] = unused
    os.environ["CAMLIBS"] = camlibs
    os.environ.pop("CAPA_TEST_CAMERA_FAULTS", None)


work = tempfile.mkdtemp(prefix="capa-ui-settings-")
use_test_camera(work)

import gi  # noqa: E402

gi.require_version("Capa", "1.0")
gi.require_version("Gtk", "3.0")
gi.require_version("Handy", "1")
from gi.repository import Capa, Gdk, Gio, GLib, Gtk, Handy  # noqa: E402

MODEL = "Capa Test Camera"
PORT = "usb:001,001"
# The default list (capa-settings-panel.c) as the test camera names it: it
# has no exposure mode.
DEFAULTS = ["f-number", "shutterspeed", "iso", "exposurecompensation", "whitebalance",
            "imagequality", "focusmode", "batterylevel"]


def wait_until(predicate, seconds=60):
    """Runs the main loop until predicate() holds; the time is only a guard
    against a hang."""
    context = GLib.MainContext.default()
    deadline = time.monotonic() + seconds
    while not predicate() and time.monotonic() < deadline:
        if not context.iteration(False):
            time.sleep(0.005)
    return predicate()


def save_screenshot(window, name):
    """Saves the window's pixels as a test artefact, to look at:
    $G_TEST_BUILDDIR/screenshots/NAME.png."""
    folder = os.path.join(os.environ.get("G_TEST_BUILDDIR", work), "screenshots")
    os.makedirs(folder, exist_ok=True)
    wait_until(lambda: False, 0.5)  # let it draw
    gdk_window = window.get_window()
    pixbuf = Gdk.pixbuf_get_from_window(gdk_window, 0, 0, gdk_window.get_width(),
                                        gdk_window.get_height())
    assert pixbuf is not None, name
    pixbuf.savev(os.path.join(folder, name + ".png"), "png", [], [])


def descendants(widget):
    yield widget
    if isinstance(widget, Gtk.Container):
        for child in widget.get_children():
            yield from descendants(child)
    if isinstance(widget, Gtk.MenuButton) and widget.get_popover() is not None:
        yield from descendants(widget.get_popover())
    if isinstance(widget, Gtk.Window) and widget.get_titlebar() is not None:
        yield from descendants(widget.get_titlebar())


def rows_of(widget):
    return [w for w in descendants(widget) if isinstance(w, Capa.ControlRow)]


def panel_rows(panel):
    return {row.get_control().get_name(): row for row in rows_of(panel)}


def open_camera():
    camera = Capa.Camera.new(MODEL, PORT)
    camera.open(None)
    assert camera.props.connected
    camera.load_controls(None)
    return camera


def control(camera, path):
    found = camera.get_controls().get_by_path(path)
    assert found is not None, path
    return found


def other_choice(choice_control):
    choices = list(choice_control.get_choices())
    current = choice_control.get_value()
    return next(c for c in reversed(choices) if c != current)


state = {}


@test
def panel_shows_the_default_settings():
    assert Capa.SettingsPanel.dup_settings_path(MODEL) == \
        "/org/capaphoto/Capa/cameras/Capa-Test-Camera/"
    window = Gtk.Window()
    window.set_default_size(340, 760)
    panel = Capa.SettingsPanel.new()
    window.add(panel)
    window.show_all()
    assert panel.get_camera() is None
    titles = [w.get_label() for w in descendants(panel) if isinstance(w, Gtk.Label)]
    assert "Camera Settings" in titles, titles
    assert not rows_of(panel)
    save_screenshot(window, "settings-panel-no-camera")

    camera = Capa.Camera.new(MODEL, PORT)
    camera.open(None)
    panel.props.camera = camera
    assert wait_until(lambda: len(rows_of(panel)) > 0), "no settings were shown"
    names = [row.get_control().get_name() for row in rows_of(panel)]
    assert names == DEFAULTS, names

    rows = panel_rows(panel)
    for name, row in rows.items():
        # The label is the widget's mnemonic label (Alt and its underlined letter).
        widget = row.get_value_widget()
        if isinstance(widget, Gtk.Label):
            continue
        labels = [w for w in descendants(row)
                  if isinstance(w, Gtk.Label) and w.get_mnemonic_widget() is widget]
        assert labels, name
        assert labels[0].get_use_underline() and labels[0].get_mnemonic_keyval() != \
            Gdk.KEY_VoidSymbol, name
        assert labels[0].get_text() == row.get_control().get_label(), name
    assert isinstance(rows["f-number"].get_value_widget(), Gtk.ComboBoxText)
    assert isinstance(rows["exposurecompensation"].get_value_widget(), Gtk.Scale)
    assert isinstance(rows["batterylevel"].get_value_widget(), Gtk.Label)
    assert rows["f-number"].get_value_widget().get_active_id() == \
        rows["f-number"].get_control().get_value()
    state.update(window=window, panel=panel, camera=camera)
    save_screenshot(window, "settings-panel")
    return "the panel shows the test camera's default settings, each with its widget"


@test
def panel_keeps_the_choice_per_model():
    panel = state["panel"]
    path = Capa.SettingsPanel.dup_settings_path(MODEL)
    settings = Gio.Settings.new_with_path("org.capaphoto.Capa.CameraModel", path)

    panel.set_control_names(["iso", "f-number", "no-such-setting"])
    assert settings.get_strv("panel-controls") == ["iso", "f-number", "no-such-setting"]
    assert list(panel_rows(panel)) == ["iso", "f-number"], list(panel_rows(panel))

    # A check button of "Choose Settings…" adds a setting to the model's list.
    label = control(state["camera"], "/main/imgsettings/whitebalance").get_label()
    chooser = next(w for w in descendants(panel) if isinstance(w, Gtk.MenuButton))
    checks = [w for w in descendants(chooser.get_popover()) if isinstance(w, Gtk.CheckButton)]
    check = next(c for c in checks if c.get_label() == label)
    assert not check.get_active()
    check.set_active(True)
    assert settings.get_strv("panel-controls")[-1] == "whitebalance"
    assert list(panel_rows(panel)) == ["iso", "f-number", "whitebalance"]

    settings.reset("panel-controls")
    assert list(panel_rows(panel)) == DEFAULTS
    return "the settings chosen are kept per camera model and shown in their order"


@test
def f_number_reaches_the_camera():
    panel, camera = state["panel"], state["camera"]
    row = panel_rows(panel)["f-number"]
    f_number = row.get_control()
    wanted = other_choice(f_number)
    row.get_value_widget().set_active_id(wanted)
    assert wait_until(lambda: not row.get_busy() and not f_number.get_dirty())

    # Read back from the camera by another CapaCamera.
    panel.props.camera = None
    camera.close(None)
    fresh = open_camera()
    assert control(fresh, "/main/capturesettings/f-number").get_value() == wanted
    panel.props.camera = fresh
    assert wait_until(lambda: len(rows_of(panel)) == len(DEFAULTS))
    assert panel_rows(panel)["f-number"].get_value_widget().get_active_id() == wanted
    state["camera"] = fresh
    return "the f-number chosen in the panel is on the camera"


@test
def every_kind_of_widget_writes_its_setting():
    panel, camera = state["panel"], state["camera"]
    window = Gtk.Window()
    dialog_rows = {}
    for path in ("/main/capturesettings/autoiso", "/main/settings/ownername"):
        row = Capa.ControlRow.new(camera, control(camera, path))
        dialog_rows[path] = row
    box = Gtk.ListBox()
    for row in dialog_rows.values():
        box.add(row)
    window.add(box)
    window.show_all()

    # The scale, on the camera's steps of 0.5.
    row = panel_rows(panel)["exposurecompensation"]
    row.get_value_widget().set_value(1.3)
    assert wait_until(lambda: not row.get_busy() and not row.get_control().get_dirty())
    assert row.get_control().get_value() == 1.5
    assert row.get_value_widget().get_value() == 1.5

    # The switch and the entry.
    switch_row = dialog_rows["/main/capturesettings/autoiso"]
    switch_row.get_value_widget().set_active(not switch_row.get_control().get_value())
    entry_row = dialog_rows["/main/settings/ownername"]
    entry_row.get_value_widget().set_text("Ada Lovelace")
    entry_row.get_value_widget().activate()
    assert wait_until(lambda: not switch_row.get_busy() and not entry_row.get_busy())
    wanted_switch = switch_row.get_value_widget().get_active()
    window.destroy()

    fresh = Capa.Camera.new(MODEL, PORT)
    panel.props.camera = None
    camera.close(None)
    fresh.open(None)
    fresh.load_controls(None)
    assert control(fresh, "/main/capturesettings/exposurecompensation").get_value() == 1.5
    assert control(fresh, "/main/capturesettings/autoiso").get_value() == wanted_switch
    assert control(fresh, "/main/settings/ownername").get_value() == "Ada Lovelace"
    panel.props.camera = fresh
    assert wait_until(lambda: len(rows_of(panel)) == len(DEFAULTS))
    state["camera"] = fresh
    return "the scale (on the camera's step), the switch and the entry reach the camera"


@test
def refused_value_is_reported_and_undone():
    panel, camera = state["panel"], state["camera"]
    # The driver takes only whole trees, and refuses them.
    control(camera, "/main/testing/faults").set_value("whole-tree-only,set-config-fails")
    camera.save_controls(None)

    errors = []
    handler = panel.connect("error", lambda _panel, error: errors.append(error))
    row = panel_rows(panel)["f-number"]
    f_number = row.get_control()
    before = f_number.get_value()
    refused = other_choice(f_number)
    row.get_value_widget().set_active_id(refused)
    assert wait_until(lambda: errors and not row.get_busy()), "no error was reported"
    panel.disconnect(handler)

    assert len(errors) == 1, [e.message for e in errors]
    message = errors[0].message
    assert f_number.get_label() in message and refused in message, message
    assert not f_number.get_dirty()
    assert f_number.get_value() == before
    assert row.get_value_widget().get_active_id() == before

    # The reset button clears the faults and restores every setting; read
    # again (as after a shot), they show in the widgets, and nothing is sent.
    control(camera, "/main/testing/reset").press()
    camera.save_controls(None)
    camera.load_controls(None)
    assert f_number.get_value() != before, before
    assert row.get_value_widget().get_active_id() == f_number.get_value()
    assert not f_number.get_dirty() and not row.get_busy()
    return "a refused f-number is reported with its value and the widget shows the camera's"


@test
def change_on_the_body_updates_the_widget():
    panel, camera = state["panel"], state["camera"]
    row = panel_rows(panel)["iso"]
    iso = row.get_control()
    assert iso.get_value() == "400", iso.get_value()
    assert row.get_value_widget().get_active_id() == "400"
    dirtied = []
    iso.connect("notify::dirty", lambda *args: dirtied.append(iso.get_dirty()))

    control(camera, "/main/actions/simulate").set_value("change=iso:800")
    camera.save_controls(None)

    def updated():
        camera.process_events(50, None)
        return row.get_value_widget().get_active_id() == "800"

    assert wait_until(updated), row.get_value_widget().get_active_id()
    assert iso.get_value() == "800"
    assert dirtied == [], dirtied
    assert not row.get_busy()
    return "a dial turned on the body updates the widget, nothing is sent back"


@test
def camera_closed_and_opened_again():
    panel, camera = state["panel"], state["camera"]
    camera.close(None)
    assert wait_until(lambda: not rows_of(panel))
    status = next(w for w in descendants(panel) if isinstance(w, Handy.StatusPage))
    assert status.get_mapped() and status.get_title() == "No Camera", status.get_title()
    camera.open(None)
    assert wait_until(lambda: len(rows_of(panel)) == len(DEFAULTS))
    iso = panel_rows(panel)["iso"]
    assert iso.get_value_widget().get_active_id() == "800"
    return "the panel empties while the camera is closed and reads its settings when it opens"


@test
def dialog_has_a_widget_for_every_type():
    window, camera = state["window"], state["camera"]
    dialog = Capa.ControlsDialog.new(window, camera)
    dialog.present()
    assert wait_until(lambda: len(rows_of(dialog)) > 20)
    state["dialog"] = dialog
    save_screenshot(dialog, "settings-dialog")

    expected = {
        Capa.ControlRange: (Gtk.Scale, Gtk.SpinButton),
        Capa.ControlChoice: (Gtk.ComboBoxText,),
        Capa.ControlToggle: (Gtk.Switch,),
        Capa.ControlText: (Gtk.Entry,),
        Capa.ControlDate: (Gtk.Entry,),
        Capa.ControlButton: (Gtk.Button,),
    }
    seen = set()
    rows = {}
    for row in rows_of(dialog):
        c = row.get_control()
        widget = row.get_value_widget()
        rows[c.get_path()] = row
        if c.get_readonly() and not isinstance(c, Capa.ControlButton):
            assert isinstance(widget, Gtk.Label), (c.get_path(), widget)
            assert not isinstance(widget, Gtk.Entry)
            seen.add("read-only")
            continue
        kind = type(c)
        assert isinstance(widget, expected[kind]), (c.get_path(), widget)
        seen.add(kind)
    assert seen == set(expected) | {"read-only"}, seen

    assert isinstance(rows["/main/capturesettings/exposurecompensation"].get_value_widget(),
                      Gtk.Scale)
    assert isinstance(rows["/main/actions/manualfocusdrive"].get_value_widget(),
                      Gtk.SpinButton)

    # A date: the entry and "Set to Computer's Time", which sets the camera's clock.
    date_row = rows["/main/settings/datetime"]
    now_button = next(w for w in descendants(date_row)
                      if isinstance(w, Gtk.Button) and w.get_label() == "Set to Computer's Time")
    start = int(time.time())
    now_button.clicked()
    assert wait_until(lambda: not date_row.get_busy())
    camera.load_controls(None)
    clock = control(camera, "/main/settings/datetime").get_value()
    assert start <= clock <= int(time.time()) + 1, (start, clock)

    # The search keeps the settings whose label has the text.
    search = next(w for w in descendants(dialog) if isinstance(w, Gtk.SearchEntry))
    search.set_text("shutter")
    assert wait_until(lambda: all(
        row.get_child_visible() == ("shutter" in row.get_control().get_label().lower() or
                                    "shutter" in row.get_control().get_name())
        for row in rows_of(dialog)))
    shown = [row.get_control().get_name() for row in rows_of(dialog) if row.get_child_visible()]
    assert "shutterspeed" in shown and "iso" not in shown, shown
    search.set_text("")
    assert wait_until(lambda: all(row.get_child_visible() for row in rows_of(dialog)))
    return "the dialog gives every control type its widget; the clock follows the computer's"


@test
def every_interactive_widget_has_an_accessible_name():
    interactive = (Gtk.Button, Gtk.Entry, Gtk.ComboBox, Gtk.Switch, Gtk.Range)
    unnamed = []
    checked = 0
    for top in (state["panel"], state["dialog"]):
        for widget in descendants(top):
            # Hidden ones too (a page not shown), but not those GTK never shows.
            if isinstance(widget, interactive) and widget.get_visible():
                checked += 1
                name = widget.get_accessible().get_name()
                if not name:
                    unnamed.append(f"{type(widget).__name__} {widget.get_label()!r} "
                                   f"in {type(top).__name__}")
    assert checked > 40, checked
    assert not unnamed, unnamed
    return f"every interactive widget ({checked}) has an accessible name"


def main():
    Gtk.init(sys.argv)
    Handy.init()
    print(f"1..{len(tests)}", flush=True)
    failed = 0
    for n, fn in enumerate(tests, 1):
        try:
            what = fn()
            print(f"ok {n} - {what}", flush=True)
        except Exception as error:  # noqa: BLE001 - reported in TAP
            failed += 1
            print(f"not ok {n} - {fn.__name__}: {error!r}", flush=True)
            for line in traceback.format_exc().splitlines():
                print(f"# {line}")
    if "dialog" in state:
        state["dialog"].destroy()
    if "window" in state:
        state["window"].destroy()
    if "camera" in state:
        state["camera"].close(None)
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
