#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a Python script or plugin can do with gi.repository.Capa alone,
against libgphoto2's virtual camera (a Nikon D750):

  - list the camera, change its f-number, capture into a session, and
    receive a shot taken "on the camera" through monitoring;
  - open a session folder, list its images with their exposure data, and
    get a colour-managed, correctly oriented pixbuf of each.

Prints TAP.  Run by meson in the integration suite."""

import filecmp
import os
import shutil
import sys
import tempfile

ok_count = 0
tests = []


def test(fn):
    tests.append(fn)
    return fn


def vcamera_or_skip(jpeg_dir):
    vusb = os.environ.get("CAPA_TEST_VUSB_DIR", "")
    try:
        with open(os.path.join(vusb, "status"), encoding="utf-8") as f:
            status = f.read().strip()
    except OSError:
        status = "unavailable: the fixture was not built"
    if status != "ok":
        if os.environ.get("CI") == "true":
            print(f"Bail out! CI must run this test, but the virtual camera is {status}")
            sys.exit(1)
        print(f"1..0 # SKIP the virtual camera is {status} on this machine")
        sys.exit(0)
    os.environ["IOLIBS"] = os.path.join(vusb, "iolibs")
    os.environ["VCAMERADIR"] = jpeg_dir


work = tempfile.mkdtemp(prefix="capa-python-")
jpegs = os.path.join(work, "card")
os.makedirs(jpegs)
vcamera_or_skip(jpegs)

import gi  # noqa: E402

gi.require_version("Capa", "1.0")
gi.require_version("GdkPixbuf", "2.0")
gi.require_version("GExiv2", "0.10")
from gi.repository import Capa, GdkPixbuf, GExiv2, GLib  # noqa: E402


def make_jpeg(path, width, height, seed, exif=None):
    pixbuf = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, False, 8, width, height)
    # Left half red, right half blue: orientation can be checked.
    pixbuf.fill(0x0000FF00)
    left = pixbuf.new_subpixbuf(0, 0, width // 2, height)
    left.fill(0xFF000000 | (seed & 0xFF) << 8)
    pixbuf.savev(path, "jpeg", ["quality"], ["90"])
    if exif:
        meta = GExiv2.Metadata()
        meta.open_path(path)
        for key, value in exif.items():
            meta.try_set_tag_string(key, value)
        meta.save_file(path)


for i in range(3):
    make_jpeg(os.path.join(jpegs, f"DSC_{i:04d}.JPG"), 320, 200, i)


def wait_until(predicate, seconds):
    context = GLib.MainContext.default()
    deadline = GLib.get_monotonic_time() + seconds * 1_000_000
    while not predicate() and GLib.get_monotonic_time() < deadline:
        context.iteration(False)
        GLib.usleep(5000)
    return predicate()


state = {}


@test
def list_the_camera():
    cameras = Capa.CameraList.new()
    cameras.refresh(None)
    found = [c for c in cameras.get_cameras() if c.props.model == "Nikon DSC D750"]
    assert found, [c.props.model for c in cameras.get_cameras()]
    camera = found[0]
    assert camera.props.port == "usb:001,001", camera.props.port
    camera.open(None)
    assert camera.props.connected
    state["camera"] = camera
    return "the virtual camera is listed and opens"


@test
def change_the_f_number():
    camera = state["camera"]
    camera.load_controls(None)
    f_number = camera.get_controls().get_by_path("/main/capturesettings/f-number")
    assert isinstance(f_number, Capa.ControlChoice), f_number
    choices = list(f_number.get_choices())
    wanted = choices[-1] if f_number.props.value != choices[-1] else choices[0]
    f_number.props.value = wanted
    assert f_number.props.dirty
    camera.save_controls(None)
    assert not f_number.props.dirty
    # Read the whole tree from the camera again (the virtual camera forgets
    # its settings when reopened, unlike a real body, so no reopening here).
    camera.load_controls(None)
    again = camera.get_controls().get_by_path("/main/capturesettings/f-number")
    assert again.props.value == wanted, (again.props.value, wanted)
    return f"the f-number is changed to {wanted} and reads back from the camera"


@test
def capture_into_a_session():
    session_dir = os.path.join(work, "session")
    session = Capa.Session.new(session_dir)
    tether = Capa.Tether.new(state["camera"], session)
    image = tether.capture(None)
    assert os.path.dirname(image.props.filename) == session_dir, image.props.filename
    sources = [os.path.join(jpegs, n) for n in os.listdir(jpegs)]
    assert any(filecmp.cmp(image.props.filename, s, shallow=False) for s in sources)
    state["session"], state["tether"] = session, tether
    return "a capture is stored in the session, byte for byte"


@test
def block_inside_a_signal_handler():
    # A plugin reacting to a saved image with blocking calls: they complete,
    # and no other pending source of the main context runs meanwhile.
    tether, camera = state["tether"], state["camera"]
    seen = {}
    idle_ran = []
    loop = GLib.MainLoop()

    def on_idle():
        idle_ran.append(True)
        return GLib.SOURCE_REMOVE

    def on_saved(_tether, _image):
        if "inner" in seen:  # the nested capture saves an image too
            return
        seen["inner"] = None
        GLib.idle_add(on_idle)
        seen["inner"] = tether.capture(None)
        seen["files"] = camera.list_files("/", None)
        camera.load_summary(None)
        seen["idle_ran_inside"] = bool(idle_ran)

    def on_captured(t, result):
        seen["outer"] = t.capture_finish(result)
        loop.quit()

    handler = tether.connect("image-saved", on_saved)
    try:
        tether.capture_async(None, on_captured)
        loop.run()
    finally:
        tether.disconnect(handler)
    assert seen["idle_ran_inside"] is False, "an idle ran inside the blocking calls"
    assert os.path.exists(seen["inner"].props.filename), seen["inner"].props.filename
    assert os.path.exists(seen["outer"].props.filename), seen["outer"].props.filename
    assert seen["files"] is not None
    assert wait_until(lambda: idle_ran, 15), "the idle never ran after the handler"
    return "blocking calls in a signal handler complete without running other sources"


@test
def receive_a_shot_taken_on_the_camera():
    tether, camera = state["tether"], state["camera"]
    saved = []
    handler = tether.connect("image-saved", lambda _t, image: saved.append(image))
    tether.start_monitoring()
    opcode = camera.get_controls().get_by_path("/main/actions/opcode")
    opcode.props.value = "0x9999,0x0,0x1f4"
    camera.save_controls(None)
    assert wait_until(lambda: saved, 15), "no shot arrived through monitoring"
    tether.stop_monitoring()
    tether.disconnect(handler)
    assert os.path.exists(saved[0].props.filename)
    camera.close(None)
    return "a shot taken with the camera's own button is downloaded by monitoring"


@test
def list_a_session_with_exposure_data():
    folder = os.path.join(work, "studio")
    os.makedirs(folder)
    make_jpeg(os.path.join(folder, "a.jpg"), 300, 200, 1, {
        "Exif.Photo.ExposureTime": "1/250",
        "Exif.Photo.FNumber": "56/10",
        "Exif.Photo.ISOSpeedRatings": "400",
        "Exif.Photo.FocalLength": "50/1",
        "Exif.Image.Model": "Test Body",
        "Exif.Photo.DateTimeOriginal": "2026:11:22 10:00:00",
    })
    make_jpeg(os.path.join(folder, "b.jpg"), 300, 200, 2, {
        "Exif.Image.Orientation": "6",
        "Exif.Photo.DateTimeOriginal": "2026:11:22 10:00:01",
    })
    with open(os.path.join(folder, "notes.txt"), "w", encoding="utf-8") as f:
        f.write("not an image")
    session = Capa.Session.new(folder)
    session.load(None)
    images = session.get_images()
    names = [os.path.basename(i.props.filename) for i in images]
    assert names == ["a.jpg", "b.jpg"], names
    first = images[0]
    first.load_metadata(None)
    assert abs(first.get_exposure_time() - 1 / 250) < 1e-9, first.get_exposure_time()
    assert abs(first.get_f_number() - 5.6) < 1e-6, first.get_f_number()
    assert first.get_iso() == 400, first.get_iso()
    assert abs(first.get_focal_length() - 50) < 1e-6
    assert first.get_camera_model() == "Test Body", first.get_camera_model()
    state["images"] = images
    return "a session lists its images with exposure time, f-number, ISO and focal length"


@test
def check_a_filename_pattern():
    assert Capa.Session.validate_filename_pattern("shoot-%Y%m%d-%n")
    assert Capa.Session.validate_filename_pattern(None)
    try:
        Capa.Session.validate_filename_pattern("shoot-%Q")
    except GLib.Error as error:
        assert error.matches(Capa.session_error_quark(), Capa.SessionError.INVALID_NAME), error
        assert "%Q" in error.message, error.message
    else:
        raise AssertionError("an unknown field was accepted")
    return "a file-name pattern is checked, with a message saying what is wrong"


@test
def colour_managed_upright_pixbufs():
    display = Capa.ColourProfile.new_adobe_rgb()
    for image in state["images"]:
        image.load_metadata(None)
        pixbuf = image.load_pixbuf(1920, 1080, None)
        source = image.get_colour_profile()
        transform = Capa.ColourTransform.new(source, display,
                                             Capa.RenderingIntent.RELATIVE_COLORIMETRIC)
        shown = transform.transform_pixbuf(pixbuf)
        assert (shown.get_width(), shown.get_height()) == (pixbuf.get_width(), pixbuf.get_height())
        if os.path.basename(image.props.filename) == "b.jpg":
            # Orientation 6: turned a quarter clockwise, so 200 wide, 300 high,
            # and the red left half is now the top half.
            assert (pixbuf.get_width(), pixbuf.get_height()) == (200, 300), \
                (pixbuf.get_width(), pixbuf.get_height())
            pixels = pixbuf.get_pixels()
            top = pixels[(10 * pixbuf.get_rowstride()) + 100 * 3]
            bottom = pixels[(290 * pixbuf.get_rowstride()) + 100 * 3]
            assert top > 200 and bottom < 60, (top, bottom)
        else:
            assert (pixbuf.get_width(), pixbuf.get_height()) == (300, 200)
        # sRGB red shown on an Adobe RGB display is no longer full red.
        red_at = 10 * shown.get_rowstride() + 10 * 3
        red = shown.get_pixels()[red_at:red_at + 3]
        assert red[0] < 250 or red[1] > 5, list(red)
    return "every image gives a colour-managed, upright pixbuf"


print(f"1..{len(tests)}", flush=True)
failed = 0
for n, fn in enumerate(tests, 1):
    try:
        what = fn()
        print(f"ok {n} - {what}", flush=True)
    except Exception as error:  # report and go on, as TAP wants
        import traceback
        failed += 1
        print(f"not ok {n} - {fn.__name__}: {error!r}", flush=True)
        for line in traceback.format_exc().splitlines():
            print(f"# {line}")
shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if failed else 0)
