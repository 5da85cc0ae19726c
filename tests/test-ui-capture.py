#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives the real capa binary with Capa's test camera through AT-SPI, as a
person and a script would: the camera connects by itself, a click on the
real Capture button puts a file in the session folder, `gapplication action
org.capaphoto.Capa capture` takes another from a shell, `capa --session DIR`
and `capa --camera PORT` act on the running instance, and every interactive
widget has an accessible name.  Run by meson under
tests/harness/with-display.sh with CAPA_TEST_ATSPI=1 (issue 8)."""

import os
import shutil
import subprocess
import sys
import tempfile
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

APP_ID = "org.capaphoto.Capa"
PORT = "usb:001,001"
WAIT = 60


def ok(n, what):
    print(f"ok {n} - {what}", flush=True)


def wait_for(check, what):
    end = time.monotonic() + WAIT
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def files_in(folder):
    try:
        return sorted(os.listdir(folder))
    except FileNotFoundError:
        return []


def capture_button(frame):
    return frame.findChild(GenericPredicate(name="Capture", roleName="push button"))


def labels(frame):
    return [c.name for c in frame.findChildren(GenericPredicate(roleName="label"))]


def run_capa(*args):
    return subprocess.run([os.environ["CAPA_TEST_BIN"], *args], timeout=WAIT, check=True)


def main():
    print("1..6", flush=True)
    work = tempfile.mkdtemp(prefix="capa-ui-capture-")
    session = os.path.join(work, "Studio")
    second = os.path.join(work, "Workshop")
    vcamera = os.path.join(work, "vcamera")
    os.makedirs(vcamera)
    with open(os.path.join(os.environ["CAPA_TEST_VUSB_DIR"], "status")) as f:
        status = f.read().strip()
    if status != "ok":
        if os.environ.get("CI") == "true":
            print(f"Bail out! CI must run this test, but the virtual camera is {status}")
            return 1
        print(f"1..0 # SKIP the virtual camera's port driver is {status}")
        return 0

    env = dict(os.environ)
    env["IOLIBS"] = os.path.join(os.environ["CAPA_TEST_VUSB_DIR"], "iolibs")
    env["VCAMERADIR"] = vcamera
    env["CAMLIBS"] = os.environ["CAPA_TEST_CAMLIB_DIR"]
    env.pop("CAPA_TEST_CAMERA_FAULTS", None)
    os.environ.update(env)

    capa = subprocess.Popen([os.environ["CAPA_TEST_BIN"], "--session", session], env=env)
    try:
        app = None
        for _ in range(150):
            try:
                app = tree.root.application("capa")
                break
            except Exception:
                time.sleep(0.2)
        assert app is not None, "capa did not appear on the accessibility bus"
        frame = app.child(roleName="frame")
        assert frame.name == "Studio", frame.name

        button = capture_button(frame)
        wait_for(lambda: button.sensitive, "the test camera to connect")
        camera = frame.findChild(GenericPredicate(name="Camera: Capa Test Camera",
                                                  roleName="toggle button"))
        assert camera.showing
        ok(1, "the camera connects by itself and the camera button names it")

        button.click()
        wait_for(lambda: len(files_in(session)) == 1, "the shot in the session folder")
        wait_for(lambda: "1 shot" in labels(frame), "the header bar to count the shot")
        ok(2, "a click on the Capture button saves a shot in the session folder")

        subprocess.run(["gapplication", "action", APP_ID, "capture"], timeout=WAIT, check=True)
        wait_for(lambda: len(files_in(session)) == 2, "the scripted shot")
        wait_for(lambda: "2 shots" in labels(frame), "the header bar to count two shots")
        ok(3, "gapplication action org.capaphoto.Capa capture takes a shot")

        run_capa("--session", second)
        wait_for(lambda: frame.name == "Workshop", "the window to show the new session")
        subprocess.run(["gapplication", "action", APP_ID, "capture"], timeout=WAIT, check=True)
        wait_for(lambda: len(files_in(second)) == 1, "a shot in the new session")
        assert len(files_in(session)) == 2, files_in(session)
        ok(4, "capa --session DIR on the running instance switches the session")

        camera.click()
        disconnect = app.findChild(GenericPredicate(name="Disconnect", roleName="push button"),
                                   retry=True)
        disconnect.click()
        wait_for(lambda: not button.sensitive, "the camera to be disconnected")
        run_capa("--camera", PORT)
        wait_for(lambda: button.sensitive, "capa --camera to connect the camera again")
        ok(5, "capa --camera PORT on the running instance connects that camera")

        unnamed = []
        for role in ("push button", "toggle button", "check box", "radio button", "combo box",
                     "text", "slider", "spin button", "list item"):
            for node in frame.findChildren(GenericPredicate(roleName=role)):
                if node.showing and not node.name:
                    unnamed.append(role)
        assert not unnamed, unnamed
        ok(6, "every interactive widget shown has an accessible name")

        rawinput.keyCombo("<Control>q")
        capa.wait(timeout=10)
    finally:
        if capa.poll() is None:
            capa.kill()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:
        import traceback
        traceback.print_exc()
        raise
