#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes the seed corpora of tests/fuzz/corpus/ from the samples in
# tests/data/ and from small hand-made inputs in each target's own input
# layout (see the targets' sources).  Run it again after changing a
# target's layout: `tests/fuzz/make-seeds.py` from the top of the tree.
# Crash inputs found later are added by hand as corpus/<target>/crash-*.

import hashlib
import os
import struct
import sys

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
data_dir = os.path.join(top, 'tests', 'data')
corpus_dir = os.path.join(top, 'tests', 'fuzz', 'corpus')


def sample(name):
    with open(os.path.join(data_dir, name), 'rb') as f:
        return f.read()


def write(target, name, content):
    d = os.path.join(corpus_dir, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(content)


def string(s, max_len):
    # capa_fuzz_take_string(): a length byte (taken modulo max_len + 1), then the bytes
    if isinstance(s, str):
        s = s.encode('utf-8', 'surrogateescape')
    assert len(s) <= max_len
    return bytes([len(s)]) + s


def u32(v):
    return struct.pack('>I', v & 0xffffffff)


def f32(v):
    return struct.pack('>f', v)


images = ['adobe-rgb.jpg', 'adobe-rgb.png', 'adobe-rgb.tiff', 'camera.jpg', 'cmyk.jpg',
          'gray.jpg', 'truncated.jpg', 'untagged.jpg', 'preview.dng', 'no-preview.dng']

# --- header readers, capture time: the files as they are ---
for name in images + ['adobe-rgb.icc']:
    write('fuzz-image-header', name, sample(name))
for name in ['camera.jpg', 'adobe-rgb.jpg', 'adobe-rgb.tiff', 'preview.dng', 'no-preview.dng']:
    write('fuzz-capture-time', name, sample(name))
write('fuzz-capture-time', 'strings',
      string('2026:01:02 03:04:05', 40) + string('123', 12) + string('+01:00', 12))
write('fuzz-capture-time', 'strings-z',
      string('1999:12:31 23:59:59', 40) + string('9', 12) + string('Z', 12))

# --- ICC profiles ---
icc = sample('adobe-rgb.icc')
write('fuzz-colour-profile', 'adobe-rgb.icc', icc)
write('fuzz-colour-profile', 'adobe-rgb-cut.icc', icc[:300])

# --- the pixel loader: one byte for the extension, then the file ---
extensions = {'jpg': 0, 'dng': 1, 'png': 2, 'tif': 3, 'tiff': 3}
for name in images:
    ext = name.rsplit('.', 1)[1]
    write('fuzz-image-load', name, bytes([extensions[ext]]) + sample(name))

# --- the pattern language ---
def pattern_input(pattern, camera=b'DSC_0042.NEF', mime=b'', utc=1, time=1767225600,
                  sequence=42, suffix=1):
    return (bytes([utc]) + u32(time) + u32(sequence) + u32(suffix) +
            string(camera, 160) + string(mime, 40) + pattern.encode('utf-8'))

patterns = ['capa-%Y%m%d-%n', '%f', '%f-%n', '%n', '%Y/%m/%d %H:%M:%S-%n', '%%n%%f%n',
            '%-d.%e.%j-%n-%s', '%Ey-%Od-%n', '..%n..', '%n.', ' %n ', '%', 'é%nß', '%q%n%']
for i, p in enumerate(patterns):
    write('fuzz-filename-pattern', 'pattern-%02d' % i, pattern_input(p))
write('fuzz-filename-pattern', 'mime', pattern_input('%n', b'x', b'image/x-canon-cr2'))

# --- camera names through the session ---
names = [(b'', b'DSC_0001.JPG'), (b'/store_00010001/DCIM/100CAPA', b'CAPA0001.JPG'),
         (b'..', b'../../x.jpg'), (b'', b'/etc/passwd'), (b'', b'ctrl\x01\x1b[31m\nname\t.jpg'),
         (b'', b'\xff\xfenot-utf8.jpg'), (b'', b'.hidden.jpg'), (b'a', b'b.jpg'),
         (b'', b'x' * 127 + b'.jpg'), (b'', b'...'), (b'', b'.capa-1.tmp')]
for i, (folder, name) in enumerate(names):
    write('fuzz-camera-names', 'name-%02d' % i,
          bytes([i]) + string(folder, 64) + string(name, 200))

# --- widget trees (the layout of fuzz-controls.c's build_widget()) ---
WINDOW, SECTION, TEXT, RANGE, TOGGLE, RADIO, MENU, BUTTON, DATE = range(9)


def widget(kind, label, name=b'', info=b'', flags=1, children=(), payload=b''):
    out = bytes([kind]) + string(label, 48) + string(name, 24) + string(info, 24) + bytes([flags])
    if kind in (WINDOW, SECTION):
        out += bytes([len(children)]) + b''.join(children)
    return out + payload


def rng(label, name, lo, hi, step, value, flags=1):
    return widget(RANGE, label, name, flags=flags,
                  payload=f32(lo) + f32(hi) + f32(step) + f32(value))


def choice(kind, label, name, choices, value, flags=1 | 8):
    return widget(kind, label, name, flags=flags,
                  payload=bytes([len(choices)]) + b''.join(string(c, 16) for c in choices) +
                  string(value, 16))


tree = widget(WINDOW, b'Camera and Driver Configuration', b'main', children=[
    widget(SECTION, b'Capture Settings', b'capturesettings', children=[
        rng(b'Exposure Compensation', b'exposurecompensation', -5, 5, 0.5, 0),
        choice(RADIO, b'F-Number', b'f-number', [b'f/2.8', b'f/4', b'f/5.6'], b'f/4'),
        choice(MENU, b'Focus Mode', b'focusmode', [b'Manual', b'AF-S'], b'AF-S'),
        widget(TOGGLE, b'Auto ISO', b'autoiso', payload=u32(1)),
    ]),
    widget(SECTION, b'Settings', b'settings', children=[
        widget(DATE, b'Camera Date and Time', b'datetime', payload=u32(1767225600)),
        widget(TEXT, b'Owner Name', b'ownername', flags=1 | 8, payload=string(b'Capa', 64)),
        widget(BUTTON, b'Reset', b'reset', flags=1 | 8),
    ]),
])
write('fuzz-controls', 'tree', tree)
write('fuzz-controls', 'tree-twice', tree + tree)
hostile = widget(WINDOW, b'../..', b'', children=[
    widget(SECTION, b'a/b c', b'', flags=0, children=[
        rng(b'min > max', b'inverted', 10, -10, 0, 3),
        rng(b'zero step', b'zerostep', 0, 1, 0, 0.5),
        rng(b'nan', b'nan', float('nan'), float('inf'), -1, float('nan')),
        choice(MENU, b'many', b'many', [], b'7', flags=1 | 4 | 8),
        widget(TEXT, b'\x1b[31m\n', b'/', payload=string(b'', 64)),
    ]),
    widget(0x80 | 3, b'not a widget', b'odd'),
])
write('fuzz-controls', 'hostile', hostile)
# Siblings of one name, and nameless ones without labels (both once made
# two controls of one path).
same = widget(WINDOW, b'Main', b'main', children=[
    widget(TEXT, b'Owner', b'owner', flags=1 | 8, payload=string(b'a', 64)),
    widget(SECTION, b'Owner again', b'owner',
           children=[widget(TOGGLE, b'', b'', flags=0, payload=u32(1))]),
    widget(TEXT, b'', b'', flags=0, payload=string(b'', 64)),
    widget(TEXT, b'', b'unnamed', flags=1, payload=string(b'', 64)),
])
write('fuzz-controls', 'same-names', same)

# --- camera responses (fuzz-camera.c): names, MIME type, claimed size,
# a settings tree of a given length, the file ---
def camera_input(names, mime, claim, tree_bytes, file):
    return (bytes([len(names)]) + b''.join(string(n, 64) for n in names) + string(mime, 32) +
            struct.pack('>Q', claim) + struct.pack('>H', len(tree_bytes)) + tree_bytes + file)


jpeg = sample('camera.jpg')
write('fuzz-camera', 'one-jpeg',
      camera_input([b'CAPA0001.JPG'], b'image/jpeg', len(jpeg), tree, jpeg))
write('fuzz-camera', 'hostile', camera_input(
    [b'../../x.jpg', b'a/b.jpg', b'ctrl\x01\x1b[31m\nname\t.jpg', b'', b'\xff\xfe.jpg'],
    b'image/x-adobe-dng', 1 << 40, hostile, sample('preview.dng')))
write('fuzz-camera', 'lies', camera_input([b'CAPA0002.JPG', b'CAPA0002.JPG'], b'', 0, b'', b''))

print('seeds written under', os.path.relpath(corpus_dir, top))
