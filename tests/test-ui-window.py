#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The window's object model as a Python plugin sees it through
gi.repository.Capa: its session (always set) and its tether (None until a
camera is open, notified when it changes).  Prints TAP.  Run by meson in
the ui suite under tests/harness/with-display.sh."""

import os
import shutil
import sys
import tempfile

import gi

gi.require_version("Capa", "1.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Capa, Gtk  # noqa: E402


def ok(n, what):
    print(f"ok {n} - {what}", flush=True)


def main():
    print("1..3", flush=True)
    work = tempfile.mkdtemp(prefix="capa-ui-window-")
    try:
        Gtk.init(sys.argv)
        app = Capa.Application.new()
        app.register(None)

        win = Capa.Window.new(app)
        assert isinstance(win.props.session, Capa.Session), win.props.session
        assert win.get_session() is win.props.session
        assert win.props.session.get_directory()
        ok(1, "the window has a session from the start")

        session = Capa.Session.new(work)
        win.props.session = session
        assert win.get_session().get_directory() == work
        ok(2, "the session is a property")

        notified = []
        win.connect("notify::tether", lambda *args: notified.append(win.get_tether()))
        assert win.get_tether() is None
        assert win.props.tether is None
        # Every connected camera's tether: none yet (issue 10, item 5).
        assert win.get_tethers().get_n_items() == 0
        assert win.get_tethers().get_item_type() == Capa.Tether.__gtype__
        tether = Capa.Tether.new(Capa.Camera.new("Demo", "usb:001,001"), session)
        win.set_tether(tether)
        assert notified == [tether], notified
        win.set_tether(None)
        assert win.props.tether is None and len(notified) == 2, notified
        ok(3, "the tether is None until set, and notified")

        win.destroy()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_AT_BRIDGE", "1")
    sys.exit(main())
