#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""CapaImageView in a real window under Xvfb, through the typelib (issue 8,
items 4 and 13): the steps it paints (embedded preview, screen size, full
resolution), zoom, EXIF orientation, colour management (the pixels drawn
equal lcms2's transform of the image's pixels, and follow the display
profile), a broken image.  Prints TAP.  Run by meson in the ui suite under
tests/harness/with-display.sh."""

import os
import shutil
import sys
import tempfile
import time

import gi

gi.require_version("Capa", "1.0")
gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
gi.require_version("GdkPixbuf", "2.0")
gi.require_version("GExiv2", "0.10")
gi.require_version("Handy", "1")
import cairo  # noqa: E402
from gi.repository import Capa, Gdk, GdkPixbuf, GExiv2, GLib, Gtk, Handy  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
# A guard against hangs only: nothing here is timed.
WAIT_SECONDS = 120
BACKGROUND = 0x1C

n_tests = 0


def ok(what):
    global n_tests
    n_tests += 1
    print(f"ok {n_tests} - {what}", flush=True)


def wait_for(condition, what):
    deadline = time.monotonic() + WAIT_SECONDS
    context = GLib.MainContext.default()
    # wakes the loop up to look at the time even when nothing happens
    tick = GLib.timeout_add(250, lambda: True)
    try:
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"gave up waiting for {what}")
            context.iteration(True)
    finally:
        GLib.source_remove(tick)


def settle():
    context = GLib.MainContext.default()
    while context.pending():
        context.iteration(False)


def gradient_pixbuf(width, height):
    """Smooth ramps in every channel: colours a transform really moves."""
    data = bytearray()
    for y in range(height):
        for x in range(width):
            data += bytes(((x * 255) // (width - 1), (y * 255) // (height - 1),
                           ((x + y) * 127) // (width + height - 2) + 64))
    return GdkPixbuf.Pixbuf.new_from_bytes(GLib.Bytes.new(bytes(data)), GdkPixbuf.Colorspace.RGB,
                                           False, 8, width, height, width * 3)


def write_jpeg(path, pixbuf, quality=95):
    pixbuf.savev(path, "jpeg", ["quality"], [str(quality)])


def add_exif_thumbnail(path, pixbuf):
    ok_, buffer = pixbuf.save_to_bufferv("jpeg", ["quality"], ["90"])
    assert ok_
    exif = GExiv2.Metadata()
    exif.open_path(path)
    exif.try_set_exif_thumbnail_from_buffer(buffer)
    exif.save_file(path)


class Harness:
    def __init__(self):
        self.window = Gtk.Window()
        self.window.set_default_size(640, 480)
        self.view = Capa.ImageView.new()
        self.window.add(self.view)
        self.painted = []
        self.errors = []
        self.view.connect("painted", lambda view, quality: self.painted.append(quality))
        self.view.connect("error", lambda view, error: self.errors.append(error))
        self.window.show_all()
        wait_for(lambda: self.view.get_mapped() and self.view.get_allocated_width() > 1,
                 "the window to be mapped")
        settle()

    def show(self, image):
        self.painted.clear()
        self.errors.clear()
        self.view.props.image = image

    def wait_painted(self, quality):
        wait_for(lambda: quality in self.painted or self.errors, f"painted {quality}")
        assert not self.errors, [e.message for e in self.errors]

    def draw(self):
        """What the view draws of the image (without the exposure line
        over it), through its own draw(), as a pixbuf."""
        canvas = self.view.get_overlay().get_child().get_child_by_name("image")
        width = canvas.get_allocated_width()
        height = canvas.get_allocated_height()
        surface = cairo.ImageSurface(cairo.FORMAT_RGB24, width, height)
        canvas.draw(cairo.Context(surface))
        surface.flush()
        return Gdk.pixbuf_get_from_surface(surface, 0, 0, width, height)

    def screen(self):
        """What reached the X server, read back from the window."""
        settle()
        window = self.view.get_window()
        allocation = self.view.get_allocation()
        return Gdk.pixbuf_get_from_window(window, allocation.x, allocation.y,
                                          allocation.width, allocation.height)


def pixel(pixbuf, x, y):
    data = pixbuf.get_pixels()
    offset = y * pixbuf.get_rowstride() + x * pixbuf.get_n_channels()
    return tuple(data[offset:offset + 3])


def image_rect(drawn):
    """The bounding box of what is not background."""
    width, height = drawn.get_width(), drawn.get_height()
    data = drawn.get_pixels()
    stride, n = drawn.get_rowstride(), drawn.get_n_channels()
    xs, ys = [], []
    for y in range(0, height):
        row = y * stride
        for x in range(0, width):
            p = data[row + x * n:row + x * n + 3]
            if p[0] != BACKGROUND or p[1] != BACKGROUND or p[2] != BACKGROUND:
                xs.append(x)
                ys.append(y)
    assert xs, "nothing drawn"
    return min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1


def max_difference(drawn, x0, y0, expected):
    # get_pixels() copies the whole buffer: once per pixbuf, not per pixel
    a_data, a_stride, a_n = drawn.get_pixels(), drawn.get_rowstride(), drawn.get_n_channels()
    b_data, b_stride, b_n = (expected.get_pixels(), expected.get_rowstride(),
                             expected.get_n_channels())
    worst = 0
    for y in range(expected.get_height()):
        a_row = (y0 + y) * a_stride + x0 * a_n
        b_row = y * b_stride
        for x in range(expected.get_width()):
            a = a_row + x * a_n
            b = b_row + x * b_n
            for i in range(3):
                worst = max(worst, abs(a_data[a + i] - b_data[b + i]))
    return worst


def test_steps(h, work):
    # A 24 MP JPEG with an EXIF thumbnail: the preview at once, then the
    # image at the size on the screen; the full resolution only at 100 %.
    big = os.path.join(work, "big.jpg")
    gradient_pixbuf(60, 40).scale_simple(6000, 4000, GdkPixbuf.InterpType.BILINEAR) \
        .savev(big, "jpeg", ["quality"], ["80"])
    add_exif_thumbnail(big, gradient_pixbuf(160, 120))
    image = Capa.Image.new(big)

    notified = []
    h.view.connect("notify::zoom", lambda *a: notified.append("zoom"))
    h.view.connect("notify::zoom-to-fit", lambda *a: notified.append("zoom-to-fit"))

    h.show(image)
    assert h.view.props.image is image
    h.wait_painted(Capa.ImageViewQuality.SCREEN)
    assert h.painted[0] == Capa.ImageViewQuality.PREVIEW, h.painted
    assert h.painted[-1] == Capa.ImageViewQuality.SCREEN, h.painted
    assert Capa.ImageViewQuality.FULL not in h.painted
    ok("a 24 MP JPEG paints its embedded preview, then the image at screen size")

    width = h.view.get_allocated_width()
    height = h.view.get_allocated_height()
    assert h.view.props.zoom_to_fit
    fit = min(width / 6000, height / 4000)
    # the zoom is known once the metadata gives the image's size, which
    # may come after its pixels
    wait_for(lambda: abs(h.view.props.zoom - fit) < 1e-6, "the zoom to fit")
    x, y, w, hh = image_rect(h.draw())
    assert abs(w - 6000 * fit) <= 1 and abs(hh - 4000 * fit) <= 1, (w, hh)
    ok("fitted to the view, zoom says by how much")

    notified.clear()
    h.view.zoom_actual_size()
    assert h.view.props.zoom == 1.0 and not h.view.props.zoom_to_fit
    assert "zoom" in notified and "zoom-to-fit" in notified, notified
    h.wait_painted(Capa.ImageViewQuality.FULL)
    ok("100 % loads and paints the full resolution")

    h.view.zoom_in()
    assert h.view.props.zoom > 1.0
    h.view.zoom_out()
    h.view.zoom_out()
    assert h.view.props.zoom < 1.0
    h.view.props.zoom = 0.25
    assert h.view.props.zoom == 0.25 and not h.view.props.zoom_to_fit
    h.view.zoom_to_fit()
    assert h.view.props.zoom_to_fit and abs(h.view.props.zoom - fit) < 1e-6
    h.view.props.zoom_to_fit = False
    h.view.props.zoom_to_fit = True
    assert abs(h.view.props.zoom - fit) < 1e-6
    ok("zoom in, out, to fit, 100 % and the zoom properties")

    # Keys, when focused.
    h.view.grab_focus()
    assert h.view.is_focus()
    for keyval, check in ((Gdk.KEY_plus, lambda: h.view.props.zoom > fit * 1.01),
                          (Gdk.KEY_0, lambda: h.view.props.zoom_to_fit),
                          (Gdk.KEY_1, lambda: h.view.props.zoom == 1.0),
                          (Gdk.KEY_minus, lambda: h.view.props.zoom < 1.0)):
        event = Gdk.Event.new(Gdk.EventType.KEY_PRESS)
        event.key.window = h.view.get_window()
        event.key.keyval = keyval
        event.key.send_event = True
        assert h.view.event(event), keyval
        assert check(), keyval
    h.view.zoom_to_fit()
    ok("plus, minus, 0 and 1 zoom when focused")

    assert h.view.get_accessible().get_name() == "Image"
    assert h.view.get_can_focus()
    ok("focusable, with the accessible name Image")


def test_orientation(h):
    # camera.jpg: 96×64 stored, EXIF orientation 6 (turned 90° clockwise):
    # shown 64 wide and 96 tall, the stored bottom-left (blue) at the top
    # left.
    h.show(Capa.Image.new(os.path.join(DATA, "camera.jpg")))
    h.wait_painted(Capa.ImageViewQuality.SCREEN)
    drawn = h.draw()
    x, y, w, hh = image_rect(drawn)
    assert (w, hh) == (64, 96), (w, hh)
    r, g, b = pixel(drawn, x + 8, y + 8)
    assert b > 200 and r < 60 and g < 60, (r, g, b)
    r, g, b = pixel(drawn, x + w - 8, y + 8)
    assert r > 200 and g < 60 and b < 60, (r, g, b)
    # Once its metadata is read (maybe after the pixels), the zoom says
    # 100 %: it fits without being enlarged.
    wait_for(lambda: h.view.props.zoom == 1.0, "the zoom of a small image")
    ok("EXIF orientation honoured (camera.jpg shown upright, 64×96)")

    settle()
    texts = []

    def collect(widget):
        if isinstance(widget, Gtk.Label) and widget.get_mapped():
            texts.append(widget.get_text())
        elif isinstance(widget, Gtk.Container):
            widget.forall(collect)

    h.view.get_overlay().forall(collect)
    line = " ".join(texts)
    for part in ("1/125 s", "f/8.0", "ISO 800", "35 mm", "100 %"):
        assert part in line, (part, line)
    ok("the exposure line and the zoom under the image: " + line)


def test_colour(h, work):
    path = os.path.join(work, "gradient.jpg")
    write_jpeg(path, gradient_pixbuf(200, 150))
    image = Capa.Image.new(path)
    image.load_metadata(None)
    pixels = image.load_pixbuf(-1, -1, None)
    srgb = Capa.ColourProfile.new_srgb()
    display = Capa.ColourProfile.new_display_from_file(os.path.join(DATA, "adobe-rgb.icc"))

    # No display profile: the pixels as they are.
    h.view.props.display_profile = None
    h.show(image)
    h.wait_painted(Capa.ImageViewQuality.SCREEN)
    drawn = h.draw()
    x, y, w, hh = image_rect(drawn)
    assert (w, hh) == (200, 150), (w, hh)
    assert max_difference(drawn, x, y, pixels) <= 1
    ok("without a display profile the pixels are drawn as they are")

    # An Adobe RGB display: lcms2's transform of the image's pixels.
    h.painted.clear()
    h.view.props.display_profile = display
    h.wait_painted(Capa.ImageViewQuality.SCREEN)
    expected = Capa.ColourTransform.new(srgb, display, Capa.RenderingIntent.PERCEPTUAL) \
        .transform_pixbuf(pixels)
    drawn = h.draw()
    difference = max_difference(drawn, x, y, expected)
    assert difference <= 1, difference
    assert max_difference(drawn, x, y, pixels) > 8
    on_screen = h.screen()
    difference = max_difference(on_screen, x, y, expected)
    assert difference <= 1, difference
    ok("with a display profile, the pixels drawn (and on the X screen) are lcms2's "
       "transform of the image's, within ±1")

    # Back to sRGB: they follow.
    h.painted.clear()
    h.view.props.display_profile = srgb
    h.wait_painted(Capa.ImageViewQuality.SCREEN)
    drawn = h.draw()
    assert max_difference(drawn, x, y, pixels) <= 1
    ok("the pixels change when the display profile changes")

    # An image with its own profile, on the sRGB display, another intent.
    tagged = Capa.Image.new(os.path.join(DATA, "adobe-rgb.jpg"))
    tagged.load_metadata(None)
    tagged_pixels = tagged.load_pixbuf(-1, -1, None)
    h.view.props.rendering_intent = Capa.RenderingIntent.RELATIVE_COLORIMETRIC
    h.show(tagged)
    h.wait_painted(Capa.ImageViewQuality.SCREEN)
    expected = Capa.ColourTransform.new(tagged.get_colour_profile(), srgb,
                                        Capa.RenderingIntent.RELATIVE_COLORIMETRIC) \
        .transform_pixbuf(tagged_pixels)
    drawn = h.draw()
    x, y, w, hh = image_rect(drawn)
    assert (w, hh) == (64, 48), (w, hh)
    assert max_difference(drawn, x, y, expected) <= 1
    h.view.props.rendering_intent = Capa.RenderingIntent.PERCEPTUAL
    h.view.props.display_profile = None
    ok("an embedded profile is the source of the transform")

    # The display profile changes while a new image is still being read
    # (its metadata too): it is shown all the same, in the new colours.
    h.show(Capa.Image.new(path))
    h.view.props.display_profile = display
    h.wait_painted(Capa.ImageViewQuality.SCREEN)
    expected = Capa.ColourTransform.new(srgb, display, Capa.RenderingIntent.PERCEPTUAL) \
        .transform_pixbuf(pixels)
    drawn = h.draw()
    x, y, w, hh = image_rect(drawn)
    assert max_difference(drawn, x, y, expected) <= 1
    h.view.props.display_profile = None
    ok("a display profile set while the image loads applies to it")


def test_broken(h):
    h.show(Capa.Image.new(os.path.join(DATA, "garbage.jpg")))
    wait_for(lambda: h.errors, "the error")
    assert h.errors[0].message, h.errors
    settle()
    stack = h.view.get_overlay().get_child()
    assert stack.get_visible_child_name() == "broken"
    page = stack.get_visible_child()
    assert isinstance(page, Handy.StatusPage)
    assert page.get_title() and page.get_description()
    ok("a broken image emits error and shows an empty state: " + h.errors[0].message)

    # The next image shows again.
    h.show(Capa.Image.new(os.path.join(DATA, "untagged.jpg")))
    h.wait_painted(Capa.ImageViewQuality.SCREEN)
    assert stack.get_visible_child_name() == "image"
    h.show(None)
    settle()
    assert h.view.props.image is None
    ok("an image after a broken one is shown; no image shows nothing")


def test_overlay(h):
    overlay = h.view.get_overlay()
    assert isinstance(overlay, Gtk.Overlay)
    label = Gtk.Label(label="grid")
    overlay.add_overlay(label)
    label.show()
    settle()
    assert label.get_parent() is overlay
    label.destroy()
    ok("the overlay layer takes children")


def main():
    work = tempfile.mkdtemp(prefix="capa-ui-image-view-")
    try:
        Gtk.init(sys.argv)
        Handy.init()
        h = Harness()
        test_steps(h, work)
        test_orientation(h)
        test_colour(h, work)
        test_broken(h)
        test_overlay(h)
        h.window.destroy()
        print(f"1..{n_tests}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_AT_BRIDGE", "1")
    sys.exit(main())
