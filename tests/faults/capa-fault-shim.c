/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The fault shim: see capa-fault-shim.h.  Plain C and POSIX only, so that
 * it can be preloaded into any program. */

/* Both open() and open64() are defined here: no redirection of one to the
 * other. */
#undef _FILE_OFFSET_BITS
#define _GNU_SOURCE

#define G_LOG_DOMAIN "Capa-Test"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capa-fault-shim.h"

#define MAX_RULES 16

typedef enum {
  CALL_FSYNC_DIR,
  CALL_FSYNC_FILE,
  CALL_RENAME,
  CALL_LINK,
  CALL_WRITE,
  CALL_OPEN,
  CALL_MKDIR,
  CALL_UNLINK,
  N_CALLS,
} Call;

static const char *const call_names[N_CALLS] = {
  "fsync-dir", "fsync-file", "rename", "link", "write", "open", "mkdir", "unlink",
};

enum {
  ACTION_ERRNO,
  ACTION_KILL,
  ACTION_HOLD,
};

typedef struct
{
  Call          call;
  int           action;
  int           errsv;
  char          path[PATH_MAX];
  long long     after;          /* -1: none */
  long long     written;
  long long     count;          /* -1: unlimited */
} Rule;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t released_cond = PTHREAD_COND_INITIALIZER;
static Rule rules[MAX_RULES];
static unsigned int n_rules;
static unsigned int fired[N_CALLS];
static unsigned int held;
static bool released;
static unsigned int generation;   /* new rules let held calls go */
/* Read without the lock: a fast path for calls no rule is about. */
static volatile int call_active[N_CALLS];

static const struct { const char *name; int value; } errnos[] = {
  { "EIO", EIO }, { "EINVAL", EINVAL }, { "ENOSPC", ENOSPC }, { "EROFS", EROFS },
  { "EACCES", EACCES }, { "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EDQUOT", EDQUOT },
  { "EFBIG", EFBIG }, { "ENOTCONN", ENOTCONN }, { "ENODEV", ENODEV }, { "ENXIO", ENXIO },
  { "ESTALE", ESTALE },
};

static bool
parse_rule (char *text,
            Rule *rule)
{
  char *save = NULL;
  char *field = strtok_r (text, ":", &save);
  char *action;
  unsigned int i;

  memset (rule, 0, sizeof *rule);
  rule->after = -1;
  rule->count = -1;

  if (field == NULL || (action = strchr (field, '=')) == NULL)
    return false;
  *action++ = '\0';

  for (i = 0; i < N_CALLS; i++)
    if (strcmp (field, call_names[i]) == 0)
      break;
  if (i == N_CALLS)
    return false;
  rule->call = i;

  if (strcmp (action, "kill") == 0)
    rule->action = ACTION_KILL;
  else if (strcmp (action, "hold") == 0)
    rule->action = ACTION_HOLD;
  else
    {
      for (i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
        if (strcmp (action, errnos[i].name) == 0)
          break;
      if (i == sizeof errnos / sizeof errnos[0])
        return false;
      rule->action = ACTION_ERRNO;
      rule->errsv = errnos[i].value;
    }

  while ((field = strtok_r (NULL, ":", &save)) != NULL)
    {
      if (strncmp (field, "path=", 5) == 0)
        snprintf (rule->path, sizeof rule->path, "%s", field + 5);
      else if (strncmp (field, "after=", 6) == 0)
        rule->after = strtoll (field + 6, NULL, 10);
      else if (strncmp (field, "count=", 6) == 0)
        rule->count = strtoll (field + 6, NULL, 10);
      else
        return false;
    }
  return true;
}

bool
capa_fault_shim_set (const char *spec)
{
  char *copy;
  char *save = NULL;
  char *text;
  bool ok = true;

  pthread_mutex_lock (&lock);
  n_rules = 0;
  memset (fired, 0, sizeof fired);
  released = false;
  generation++;
  pthread_cond_broadcast (&released_cond);

  copy = strdup (spec != NULL ? spec : "");
  for (text = strtok_r (copy, ";", &save); text != NULL; text = strtok_r (NULL, ";", &save))
    {
      if (*text == '\0')
        continue;
      if (n_rules == MAX_RULES || !parse_rule (text, &rules[n_rules]))
        {
          fprintf (stderr, "capa-fault-shim: cannot parse the rule “%s”\n", text);
          ok = false;
          n_rules = 0;
          break;
        }
      n_rules++;
    }
  free (copy);
  for (unsigned int i = 0; i < N_CALLS; i++)
    call_active[i] = 0;
  for (unsigned int i = 0; i < n_rules; i++)
    call_active[rules[i].call] = 1;
  /* fsync-file of a folder is fsync-dir, and the other way round. */
  call_active[CALL_FSYNC_FILE] |= call_active[CALL_FSYNC_DIR];
  pthread_mutex_unlock (&lock);
  return ok;
}

unsigned int
capa_fault_shim_fired (const char *call)
{
  unsigned int result = 0;

  pthread_mutex_lock (&lock);
  for (unsigned int i = 0; i < N_CALLS; i++)
    if (strcmp (call, call_names[i]) == 0)
      result = fired[i];
  pthread_mutex_unlock (&lock);
  return result;
}

unsigned int
capa_fault_shim_held (void)
{
  unsigned int result;

  pthread_mutex_lock (&lock);
  result = held;
  pthread_mutex_unlock (&lock);
  return result;
}

void
capa_fault_shim_release (void)
{
  pthread_mutex_lock (&lock);
  released = true;
  pthread_cond_broadcast (&released_cond);
  pthread_mutex_unlock (&lock);
}

__attribute__((constructor)) static void
shim_init (void)
{
  const char *spec = getenv ("CAPA_FAULTS");

  if (spec != NULL && *spec != '\0')
    capa_fault_shim_set (spec);
}

/* --- paths --- */

static bool
fd_path (int    fd,
         char  *path,
         size_t size)
{
  char link[64];
  ssize_t n;

  if (fd == AT_FDCWD)
    return getcwd (path, size) != NULL;

  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, path, size - 1);
  if (n < 0)
    return false;
  path[n] = '\0';
  return true;
}

static void
at_path (int         dirfd,
         const char *name,
         char       *path,
         size_t      size)
{
  char dir[PATH_MAX];

  int n;

  if (name[0] == '/' || !fd_path (dirfd, dir, sizeof dir))
    n = snprintf (path, size, "%s", name);
  else
    n = snprintf (path, size, "%s/%s", dir, name);
  /* Cut short: matched on what fits. */
  if (n < 0)
    path[0] = '\0';
}

/* The verdict on a call. */
typedef struct
{
  int       action;       /* -1: let it through */
  int       errsv;
  long long allowed;      /* for write: bytes that may still go through; -1: all */
} Verdict;

/* Finds the first rule for @call on @path that fires, and counts it. */
static Verdict
judge (Call        call,
       const char *path,
       size_t      size)
{
  Verdict verdict = { -1, 0, -1 };

  pthread_mutex_lock (&lock);
  for (unsigned int i = 0; i < n_rules; i++)
    {
      Rule *rule = &rules[i];

      if (rule->call != call || rule->count == 0)
        continue;
      if (rule->path[0] != '\0' && strstr (path, rule->path) == NULL)
        continue;

      if (rule->after >= 0 && rule->written + (long long) size <= rule->after)
        {
          rule->written += size;
          continue;
        }
      if (rule->after >= 0 && rule->written < rule->after)
        {
          /* A short write up to the limit; the next write fails. */
          verdict.allowed = rule->after - rule->written;
          rule->written = rule->after;
          break;
        }

      if (rule->count > 0)
        rule->count--;
      fired[call]++;
      verdict.action = rule->action;
      verdict.errsv = rule->errsv;

      if (rule->action == ACTION_HOLD)
        {
          unsigned int my_generation = generation;

          held++;
          while (!released && generation == my_generation)
            pthread_cond_wait (&released_cond, &lock);
          held--;
        }
      break;
    }
  pthread_mutex_unlock (&lock);
  return verdict;
}

static Verdict
judge_fd (Call   call,
          int    fd,
          size_t size)
{
  Verdict none = { -1, 0, -1 };
  char path[PATH_MAX];
  struct stat st;

  if (!call_active[call] || fstat (fd, &st) < 0)
    return none;
  if (call == CALL_WRITE && !S_ISREG (st.st_mode))
    return none;
  if (call == CALL_FSYNC_FILE && S_ISDIR (st.st_mode))
    call = CALL_FSYNC_DIR;
  if (!fd_path (fd, path, sizeof path))
    return none;
  return judge (call, path, size);
}

static Verdict
judge_at (Call        call,
          int         dirfd,
          const char *name)
{
  Verdict none = { -1, 0, -1 };
  char path[PATH_MAX];

  if (!call_active[call] || name == NULL)
    return none;
  at_path (dirfd, name, path, sizeof path);
  return judge (call, path, 0);
}

/* Whether the call is refused (errno set); kill and hold are for after. */
static bool
refused (Verdict verdict)
{
  if (verdict.action != ACTION_ERRNO)
    return false;
  errno = verdict.errsv;
  return true;
}

static void
after_call (Verdict verdict)
{
  if (verdict.action == ACTION_KILL)
    kill (getpid (), SIGKILL);
}

#define REAL(name) \
  static __typeof__ (name) *real_##name; \
  if (real_##name == NULL) \
    real_##name = (__typeof__ (name) *) dlsym (RTLD_NEXT, #name)

/* --- the calls --- */

int
fsync (int fd)
{
  Verdict verdict;
  int result;
  REAL (fsync);

  verdict = judge_fd (CALL_FSYNC_FILE, fd, 0);
  if (refused (verdict))
    return -1;
  result = real_fsync (fd);
  after_call (verdict);
  return result;
}

ssize_t
write (int         fd,
       const void *buf,
       size_t      count)
{
  Verdict verdict;
  ssize_t result;
  REAL (write);

  verdict = judge_fd (CALL_WRITE, fd, count);
  if (verdict.allowed >= 0)
    return real_write (fd, buf, (size_t) verdict.allowed);
  if (refused (verdict))
    return -1;
  result = real_write (fd, buf, count);
  after_call (verdict);
  return result;
}

int
renameat2 (int          olddirfd,
           const char  *oldpath,
           int          newdirfd,
           const char  *newpath,
           unsigned int flags)
{
  Verdict verdict;
  int result;
  REAL (renameat2);

  verdict = judge_at (CALL_RENAME, newdirfd, newpath);
  if (refused (verdict))
    return -1;
  result = real_renameat2 (olddirfd, oldpath, newdirfd, newpath, flags);
  after_call (verdict);
  return result;
}

int
renameat (int         olddirfd,
          const char *oldpath,
          int         newdirfd,
          const char *newpath)
{
  Verdict verdict;
  int result;
  REAL (renameat);

  verdict = judge_at (CALL_RENAME, newdirfd, newpath);
  if (refused (verdict))
    return -1;
  result = real_renameat (olddirfd, oldpath, newdirfd, newpath);
  after_call (verdict);
  return result;
}

int
rename (const char *oldpath,
        const char *newpath)
{
  Verdict verdict;
  int result;
  REAL (rename);

  verdict = judge_at (CALL_RENAME, AT_FDCWD, newpath);
  if (refused (verdict))
    return -1;
  result = real_rename (oldpath, newpath);
  after_call (verdict);
  return result;
}

int
linkat (int         olddirfd,
        const char *oldpath,
        int         newdirfd,
        const char *newpath,
        int         flags)
{
  Verdict verdict;
  int result;
  REAL (linkat);

  verdict = judge_at (CALL_LINK, newdirfd, newpath);
  if (refused (verdict))
    return -1;
  result = real_linkat (olddirfd, oldpath, newdirfd, newpath, flags);
  after_call (verdict);
  return result;
}

int
mkdir (const char *path,
       mode_t      mode)
{
  Verdict verdict;
  int result;
  REAL (mkdir);

  verdict = judge_at (CALL_MKDIR, AT_FDCWD, path);
  if (refused (verdict))
    return -1;
  result = real_mkdir (path, mode);
  after_call (verdict);
  return result;
}

int
unlinkat (int         dirfd,
          const char *path,
          int         flags)
{
  Verdict verdict;
  int result;
  REAL (unlinkat);

  verdict = judge_at (CALL_UNLINK, dirfd, path);
  if (refused (verdict))
    return -1;
  result = real_unlinkat (dirfd, path, flags);
  after_call (verdict);
  return result;
}

static int
shim_openat (int (*real) (int, const char *, int, ...),
             int         dirfd,
             const char *path,
             int         flags,
             mode_t      mode)
{
  Verdict verdict = judge_at (CALL_OPEN, dirfd, path);
  int result;

  if (refused (verdict))
    return -1;
  result = real (dirfd, path, flags, mode);
  after_call (verdict);
  return result;
}

/* The mode argument is there only with O_CREAT or O_TMPFILE. */
#define OPEN_MODE(flags, mode) \
  G_STMT_START_SHIM \
    if ((flags) & (O_CREAT | O_TMPFILE)) \
      { \
        va_list args; \
        va_start (args, flags); \
        mode = va_arg (args, mode_t); \
        va_end (args); \
      } \
  G_STMT_END_SHIM
#define G_STMT_START_SHIM do {
#define G_STMT_END_SHIM } while (0)

int
openat (int         dirfd,
        const char *path,
        int         flags,
        ...)
{
  mode_t mode = 0;
  REAL (openat);

  OPEN_MODE (flags, mode);
  return shim_openat (real_openat, dirfd, path, flags, mode);
}

int
openat64 (int         dirfd,
          const char *path,
          int         flags,
          ...)
{
  mode_t mode = 0;
  REAL (openat64);

  OPEN_MODE (flags, mode);
  return shim_openat (real_openat64, dirfd, path, flags, mode);
}

int
open (const char *path,
      int         flags,
      ...)
{
  mode_t mode = 0;
  REAL (openat);

  OPEN_MODE (flags, mode);
  return shim_openat (real_openat, AT_FDCWD, path, flags, mode);
}

int
open64 (const char *path,
        int         flags,
        ...)
{
  mode_t mode = 0;
  REAL (openat64);

  OPEN_MODE (flags, mode);
  return shim_openat (real_openat64, AT_FDCWD, path, flags, mode);
}
