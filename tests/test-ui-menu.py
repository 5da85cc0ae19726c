#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives the real capa binary through AT-SPI, as a person would: opens the
main menu with a click, opens the About dialog, checks what it says, and
quits with Ctrl+Q.  Run by meson under tests/harness/with-display.sh with
CAPA_TEST_ATSPI=1 (private Xvfb, D-Bus session and accessibility bus)."""

import os
import subprocess
import sys
import time

os.environ.setdefault("GTK_MODULES", "gail:atk-bridge")
os.environ.pop("NO_AT_BRIDGE", None)

from dogtail import config  # noqa: E402

config.config.searchCutoffCount = 20
config.config.actionDelay = 0.2
config.config.logDebugToFile = False
config.config.logDebugToStdOut = False

from dogtail import rawinput, tree  # noqa: E402
from dogtail.predicate import GenericPredicate  # noqa: E402


def ok(n, what):
    print(f"ok {n} - {what}", flush=True)


def main():
    print("1..4", flush=True)
    capa = subprocess.Popen([os.environ["CAPA_TEST_BIN"], "--session", "/tmp/capa-ui-test"])
    try:
        app = None
        for _ in range(100):
            try:
                app = tree.root.application("capa")
                break
            except Exception:
                time.sleep(0.2)
        assert app is not None, "capa did not appear on the accessibility bus"
        frame = app.child(roleName="frame")
        # Its title is the session folder's name.
        assert frame.name == "capa-ui-test", frame.name
        ok(1, "the main window is shown")

        empty = frame.child(name="No Camera Found")
        assert empty.showing
        assert "PC, PTP or remote mode" in empty.description, empty.description
        ok(2, "the empty state tells the user to connect a camera")

        menu_button = frame.child(name="Main Menu", roleName="toggle button")
        menu_button.click()
        about = app.findChild(GenericPredicate(name="About Capa"), retry=True)
        about.click()
        dialog = app.findChild(GenericPredicate(roleName="dialog"), retry=True)
        labels = [c.name for c in dialog.findChildren(GenericPredicate(roleName="label"))]
        assert any("Tethered photography" in name for name in labels), labels
        ok(3, "the About dialog opens from the main menu")

        dialog.findChild(GenericPredicate(name="Close", roleName="push button")).click()
        rawinput.keyCombo("<Control>q")
        capa.wait(timeout=10)
        assert capa.returncode == 0, capa.returncode
        ok(4, "Ctrl+Q quits")
    finally:
        if capa.poll() is None:
            capa.kill()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:
        import traceback
        traceback.print_exc()
        raise
