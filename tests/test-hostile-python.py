#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile files through Capa.Image from Python, as the fuzzing probe found
them: each case runs in a child interpreter with a time limit, so that a
hang or a crash (exiv2's std::terminate, gexiv2's double free) fails the
case, not the whole test.  The C side is tests/test-hostile-files.c.

Prints TAP.  Run by meson in the unit suite."""

import os
import shutil
import subprocess
import sys
import tempfile

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

# Run in the child: load metadata and pixels of sys.argv[1], print the
# error of each as "domain code" (or "ok"), one a line.
CHILD = r"""
import sys
import gi
gi.require_version("Capa", "1.0")
from gi.repository import Capa, GLib, Gio

def describe(call):
    try:
        call()
        return "ok"
    except GLib.Error as error:
        return f"{error.domain} {error.code}"

image = Capa.Image.new(sys.argv[1])
print(describe(lambda: image.load_metadata(None)))
print(describe(lambda: image.load_pixbuf(-1, -1, None)))
"""

IMAGE_DOMAIN = "capa-image-error-quark"
IO_DOMAIN = "g-io-error-quark"


def run_child(path):
    """The two outcome lines of CHILD on @path, or raises on a crash or hang."""
    result = subprocess.run([sys.executable, "-c", CHILD, path],
                            capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0:
        raise AssertionError(f"the process died (status {result.returncode}): "
                             f"{result.stderr[-2000:]}")
    return result.stdout.split()


def main():
    gi_ok = subprocess.run([sys.executable, "-c", "import gi"], check=False).returncode == 0
    if not gi_ok:
        print("1..0 # SKIP PyGObject is missing")
        return 0

    folder = tempfile.mkdtemp(prefix="capa-hostile-")
    cases = []
    try:
        fifo = os.path.join(folder, "x.jpg")
        os.mkfifo(fifo)
        not_regular = [IO_DOMAIN, str(int(Gio_code("NOT_REGULAR_FILE")))]
        cases.append(("a FIFO named x.jpg", fifo, not_regular, not_regular))

        zero = os.path.join(folder, "z.jpg")
        os.symlink("/dev/zero", zero)
        cases.append(("a link to /dev/zero", zero, not_regular, not_regular))

        dng_folder = os.path.join(folder, "x.dng")
        os.mkdir(dng_folder)
        is_dir = [IO_DOMAIN, str(int(Gio_code("IS_DIRECTORY")))]
        cases.append(("a folder named x.dng", dng_folder, is_dir, is_dir))

        corrupt = [IMAGE_DOMAIN, "3"]   # CAPA_IMAGE_ERROR_CORRUPT

        overflow = os.path.join(folder, "overflow.dng")
        shutil.copy(os.path.join(DATA, "hostile", "strip-byte-counts-overflow.dng"), overflow)
        cases.append(("StripByteCounts 0xFFFFFF21 (std::terminate in exiv2)", overflow,
                      corrupt, None))

        rational = os.path.join(folder, "rational.dng")
        shutil.copy(os.path.join(DATA, "hostile", "strip-offsets-rational.dng"), rational)
        cases.append(("StripOffsets of type RATIONAL (gexiv2's double free)", rational,
                      ["ok"], None))

        huge = os.path.join(folder, "huge.jpg")
        shutil.copy(os.path.join(DATA, "hostile", "huge-frame.jpg"), huge)
        cases.append(("1,042 bytes claiming 16384×16384", huge, None, corrupt))

        print(f"1..{len(cases)}")
        failed = 0
        for number, case in enumerate(cases, 1):
            name, path, metadata, pixels = case
            try:
                outcome = run_child(path)
                # "ok" is one word, an error two: split back into the two calls
                first = outcome[:1] if outcome[:1] == ["ok"] else outcome[:2]
                second = outcome[len(first):]
                if metadata is not None and first != metadata:
                    raise AssertionError(f"metadata: expected {metadata}, got {first}")
                if pixels is not None and second != pixels:
                    raise AssertionError(f"pixels: expected {pixels}, got {second}")
                print(f"ok {number} - {name}: {' '.join(outcome)}")
            except (AssertionError, subprocess.TimeoutExpired) as error:
                failed += 1
                print(f"not ok {number} - {name}")
                for line in str(error).splitlines():
                    print(f"# {line}")
        return 1 if failed else 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def Gio_code(name):
    """The value of Gio.IOErrorEnum.@name, asked of a child interpreter."""
    result = subprocess.run([sys.executable, "-c",
                             "from gi.repository import Gio; "
                             f"print(int(Gio.IOErrorEnum.{name}))"],
                            capture_output=True, text=True, check=True)
    return int(result.stdout)


if __name__ == "__main__":
    sys.exit(main())
