#!/usr/bin/gjs
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The object model from JavaScript, as a plugin or script author sees it
// through gi://Capa: colour profiles and transforms, and a session that
// stores bytes durably and lists them.  Prints TAP.

imports.gi.versions.Capa = '1.0';
imports.gi.versions.GdkPixbuf = '2.0';
const {Capa, GLib, GdkPixbuf} = imports.gi;

let n = 0;
let failed = 0;
const tests = [];
function test(name, fn) {
    tests.push([name, fn]);
}
function assert(cond, what) {
    if (!cond)
        throw new Error(`assertion failed: ${what}`);
}

test('version is exposed', () => {
    const expected = `${Capa.MAJOR_VERSION}.${Capa.MINOR_VERSION}.${Capa.MICRO_VERSION}`;
    assert(Capa.get_version() === expected, Capa.get_version());
});

test('sRGB and Adobe RGB profiles describe themselves', () => {
    const srgb = Capa.ColourProfile.new_srgb();
    const adobe = Capa.ColourProfile.new_adobe_rgb();
    assert(srgb.description.length > 0, 'sRGB description');
    assert(adobe.description.length > 0, 'Adobe RGB description');
    assert(!srgb.equal(adobe), 'profiles differ');
    assert(srgb.equal(Capa.ColourProfile.new_srgb()), 'equal bytes are equal profiles');
});

test('a broken profile raises a GError', () => {
    let raised = false;
    try {
        Capa.ColourProfile.new_from_data(new GLib.Bytes(new Uint8Array([1, 2, 3, 4])));
    } catch (e) {
        raised = e instanceof GLib.Error && e.domain === Capa.colour_error_quark();
    }
    assert(raised, 'Capa.ColourError raised');
});

test('transforming a pixbuf changes saturated colours between gamuts', () => {
    const pixbuf = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, false, 8, 4, 4);
    pixbuf.fill(0xff000000); // pure red
    const transform = Capa.ColourTransform.new(Capa.ColourProfile.new_adobe_rgb(),
        Capa.ColourProfile.new_srgb(), Capa.RenderingIntent.RELATIVE_COLORIMETRIC);
    const out = transform.transform_pixbuf(pixbuf);
    const pixels = out.get_pixels();
    assert(out.get_width() === 4 && out.get_height() === 4, 'same size');
    assert(pixels[0] === 255 && pixels[1] < 40 && pixels[2] < 40,
        `Adobe red clips to sRGB red: ${pixels[0]},${pixels[1]},${pixels[2]}`);
});

test('a session stores bytes durably and lists them', () => {
    const dir = GLib.dir_make_tmp('capa-gjs-XXXXXX');
    const session = Capa.Session.new(dir);
    const data = new GLib.Bytes(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    const image = session.save_bytes('DSC_0001.JPG', data, null);
    const [ok, contents] = GLib.file_get_contents(image.filename);
    assert(ok && contents.length === 4 && contents[0] === 0xff, 'bytes on disk');
    assert(GLib.path_get_dirname(image.filename) === dir, 'inside the session folder');
    const second = session.save_bytes('DSC_0001.JPG', data, null);
    assert(second.filename !== image.filename, 'never overwrites');
    for (const f of [image.filename, second.filename])
        GLib.unlink(f);
    GLib.rmdir(dir);
});

print(`1..${tests.length}`);
for (const [name, fn] of tests) {
    n++;
    try {
        fn();
        print(`ok ${n} - ${name}`);
    } catch (e) {
        failed++;
        print(`not ok ${n} - ${name}`);
        for (const line of `${e}\n${e.stack ?? ''}`.split('\n'))
            print(`# ${line}`);
    }
}
imports.system.exit(failed ? 1 : 0);
