#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Several cameras at once (issue 10, item 5) as a Python script or plugin
sees them through gi.repository.Capa, against two of Capa's test cameras
(tests/camlib, CAPA_TEST_CAMERA_COUNT=2): the camera tag, and a
CapaTetherGroup firing both cameras.

Prints TAP.  Run by meson in the integration suite."""

import os
import shutil
import sys
import tempfile

tests = []


def test(fn):
    tests.append(fn)
    return fn


def read_status(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return "unavailable: the fixture was not built"


def test_cameras_or_skip(work):
    """As capa_test_use_test_cameras (NULL, 2) (tests/capa-test-utils.c)."""
    vusb = os.environ.get("CAPA_TEST_VUSB_DIR", "")
    camlibs = os.environ.get("CAPA_TEST_CAMLIB_DIR", "")
    status = read_status(os.path.join(vusb, "status"))
    if status == "ok":
        status = read_status(os.path.join(vusb, "multi-status"))
    if status != "ok" or not camlibs:
        if os.environ.get("CI") == "true":
            print(f"Bail out! CI must run this test, but the test cameras are {status}")
            sys.exit(1)
        print(f"1..0 # SKIP the test cameras are {status} on this machine")
        sys.exit(0)
    card = os.path.join(work, "vcamera")
    os.makedirs(card)
    os.environ["IOLIBS"] = os.path.join(vusb, "multi-iolibs")
    os.environ["VCAMERADIR"] = card
    os.environ["CAMLIBS"] = camlibs
    os.environ["CAPA_TEST_CAMERA_COUNT"] = "2"
    os.environ.pop("CAPA_TEST_CAMERA_FAULTS", None)


work = tempfile.mkdtemp(prefix="capa-python-group-")
test_cameras_or_skip(work)

import gi  # noqa: E402

gi.require_version("Capa", "1.0")
from gi.repository import Capa, GLib  # noqa: E402


def wait_until(predicate, seconds):
    context = GLib.MainContext.default()
    deadline = GLib.get_monotonic_time() + seconds * 1_000_000
    while not predicate() and GLib.get_monotonic_time() < deadline:
        context.iteration(False)
    return predicate()


session = Capa.Session.new(os.path.join(work, "session"))
session.set_filename_pattern("%c-%n")
cameras = [Capa.Camera.new("Capa Test Camera", port)
           for port in ("usb:001,001", "usb:001,002")]
for camera in cameras:
    camera.open(None)
tethers = [Capa.Tether.new(camera, session) for camera in cameras]


@test
def camera_tags():
    assert tethers[0].get_camera_tag() == "Capa-Test-Camera"
    assert tethers[1].props.camera_tag == "Capa-Test-Camera"
    tethers[1].props.camera_tag = "Capa Test Camera 2"
    assert tethers[1].get_camera_tag() == "Capa-Test-Camera-2"


@test
def capture_on_both():
    group = Capa.TetherGroup.new()
    for tether in tethers:
        group.add(tether)
    assert group.get_tethers().get_n_items() == 2
    assert group.get_last_spread() == -1
    done = []

    def on_done(source, result):
        done.append(source.capture_finish(result))

    group.capture_async(None, on_done)
    assert wait_until(lambda: done, 60), "the group capture never completed"
    shots = done[0]
    assert len(shots) == 2, shots
    names = []
    for shot, tether in zip(shots, tethers):
        assert shot.get_tether() == tether
        assert shot.get_error() is None, shot.get_error()
        assert shot.get_trigger_time() > 0
        names += [os.path.basename(i.get_filename()) for i in shot.get_images()]
    assert sorted(names) == ["Capa-Test-Camera-0001.jpg", "Capa-Test-Camera-2-0002.jpg"] or \
        sorted(names) == ["Capa-Test-Camera-0002.jpg", "Capa-Test-Camera-2-0001.jpg"], names
    spread = group.get_last_spread()
    assert spread >= 0
    assert group.props.last_spread == spread
    print(f"# the two cameras fired {spread} µs apart")


print(f"1..{len(tests)}")
failed = False
for n, fn in enumerate(tests, 1):
    try:
        fn()
        print(f"ok {n} {fn.__name__}")
    except Exception as e:  # noqa: BLE001
        failed = True
        print(f"not ok {n} {fn.__name__}: {e!r}")

for camera in cameras:
    camera.close(None)
shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if failed else 0)
