/* SPDX-License-Identifier: GPL-3.0-or-later */

/* A fault shim for tests: makes chosen file system calls fail, or hold, on
 * chosen paths.  Linked into a test program it replaces the C library's
 * functions for the whole process (the program's own definitions come
 * first in the symbol search, ahead of libcapa, GLib and the sanitizer
 * runtime); built as capa-fault-shim.so it can be put in LD_PRELOAD of any
 * program, Capa itself included.
 *
 * The rules come from the environment variable CAPA_FAULTS, read once
 * when the shim is loaded, or from capa_fault_shim_set().  Rules are
 * separated by ';', each `CALL=ACTION[:KEY=VALUE]...`:
 *
 *   CALL    fsync-dir, fsync-file (fsync of a folder or a file),
 *           rename (renameat2, renameat, rename), link (linkat),
 *           write (to a regular file), open (open, openat of a path),
 *           mkdir, unlink (unlinkat, unlink)
 *   ACTION  an errno name (EIO, EINVAL, ENOSPC, EROFS, EACCES, EPERM,
 *           ENOENT, EDQUOT, EFBIG): the call fails with it, doing nothing;
 *           `kill`: the call is made, then the process is killed (SIGKILL);
 *           `hold`: the call waits until capa_fault_shim_release(), then
 *           is made
 *   path=S  only paths containing S (the path of the file descriptor, or
 *           of the folder and name given); default: any path
 *   after=N for write: the first N bytes written to matching files go
 *           through (a short write at the limit), the rest fail
 *   count=N the rule fires N times, then lets calls through
 *
 * Example: CAPA_FAULTS='fsync-dir=EIO:path=/session;write=ENOSPC:after=4096'
 */

#pragma once

#include <stdbool.h>

/* Replaces every rule by those of @spec (NULL or "" for none) and resets
 * the counters; returns false if @spec does not parse (the rules are then
 * left empty). */
bool          capa_fault_shim_set     (const char *spec);

/* How many times a rule of @call fired since the rules were set. */
unsigned int  capa_fault_shim_fired   (const char *call);

/* How many calls are waiting in a `hold` rule now. */
unsigned int  capa_fault_shim_held    (void);

/* Lets the held calls, and every later one, through the `hold` rules. */
void          capa_fault_shim_release (void);
