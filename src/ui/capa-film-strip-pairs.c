/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The images the film strip shows: those of the session, with the files
 * of one shot (RAW + JPEG, see capa_session_get_companions()) as one item.
 * The JPEG stands for its shot, else the first file that is not RAW, else
 * the first file; the others are hidden.
 *
 * The list keeps a mirror of the session: its images and, parallel, each
 * one's Group (found by the stem of its path in a hash).  An item is an
 * image its group shows.  A change of the session is followed by the
 * cheapest way that gives the same list as counting the session afresh:
 * - images added at the end (new shots) are counted and appended as they
 *   come, an item replaced or told as changed when a file joins its shot;
 * - images inserted anywhere (a session read in batches, whose merge tells
 *   "the tail from the first new image was replaced"): where the old images
 *   of the changed span are, in order, among its new ones, only the new
 *   images are counted, the mirror is spliced, and the items are made again
 *   from it with pointer compares only;
 * - anything else (removals, reorders, a new file tying with its shot's
 *   shown one) counts the whole session again.
 * The last two tell the span of the list that differs.  The mirror holds
 * the references; the items, all among its images, hold none, so that
 * making them again costs no reference counting. */

#define G_LOG_DOMAIN "Capa-FilmStrip"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-film-strip-private.h"
#include "capa-session-private.h"

typedef struct
{
  CapaImage *shown;      /* the image that stands for the shot */
  guint      rank;       /* of shown: RANK_* */
  guint      n_files;
  guint      n_raw;
} Group;

enum {
  RANK_JPEG,
  RANK_OTHER,
  RANK_RAW,
};

struct _CapaFilmStripPairs
{
  GObject      parent_instance;

  CapaSession *session;   /* owned */
  GPtrArray   *items;     /* of CapaImage, unowned (images holds them): the images shown */
  GPtrArray   *spare;     /* the items before, kept for the next update_items() */
  GHashTable  *groups;    /* stem (the path without extension) → Group *, owned */
  GPtrArray   *images;    /* of CapaImage, owned: the session's images, as last seen */
  GPtrArray   *group_of;  /* of Group *: the group of each of images */
  gulong       items_changed_id;
};

static void capa_film_strip_pairs_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CapaFilmStripPairs, _capa_film_strip_pairs, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      capa_film_strip_pairs_list_model_init))

static const char * const raw_extensions[] = {
  "3fr", "ari", "arw", "bay", "cr2", "cr3", "crw", "dcr", "dng", "erf", "fff", "iiq", "k25",
  "kdc", "mef", "mos", "mrw", "nef", "nrw", "orf", "pef", "raf", "raw", "rw2", "rwl", "sr2",
  "srf", "srw", "x3f", NULL,
};

/* The length of @path without its extension. */
static gsize
stem_length (const char *path)
{
  const char *slash = strrchr (path, G_DIR_SEPARATOR);
  const char *base = slash ? slash + 1 : path;
  const char *dot = strrchr (base, '.');

  return dot != NULL && dot != base ? (gsize) (dot - path) : strlen (path);
}

static guint
rank_of (const char *path)
{
  gsize len = stem_length (path);
  g_autofree char *extension = NULL;

  if (path[len] != '.')
    return RANK_OTHER;

  extension = g_ascii_strdown (path + len + 1, -1);
  if (g_str_equal (extension, "jpg") || g_str_equal (extension, "jpeg") ||
      g_str_equal (extension, "jpe"))
    return RANK_JPEG;
  if (g_strv_contains (raw_extensions, extension))
    return RANK_RAW;
  return RANK_OTHER;
}

static char *
dup_stem (CapaImage *image)
{
  const char *path = capa_image_get_filename (image);

  return g_strndup (path, stem_length (path));
}

/* Counts @image in its shot's group, made when @image is the shot's first
 * file; the group shows @image when it stands for the shot better.  Sets
 * @was_shown to the image the group showed before, %NULL for a new one, and
 * @tied (nullable) to whether @image stands for the shot as well as the
 * shown one (which the shot's first file in the session's order then is). */
static Group *
group_add (CapaFilmStripPairs  *self,
           CapaImage           *image,
           CapaImage          **was_shown,
           gboolean            *tied)
{
  char *stem = dup_stem (image);
  guint rank = rank_of (capa_image_get_filename (image));
  Group *group = g_hash_table_lookup (self->groups, stem);

  *was_shown = NULL;
  if (tied != NULL)
    *tied = FALSE;
  if (group == NULL)
    {
      group = g_new0 (Group, 1);
      group->shown = image;
      group->rank = rank;
      g_hash_table_insert (self->groups, stem, group);
    }
  else
    {
      *was_shown = group->shown;
      if (tied != NULL)
        *tied = rank == group->rank;
      if (rank < group->rank)
        {
          group->shown = image;
          group->rank = rank;
        }
      g_free (stem);
    }
  group->n_files++;
  if (rank == RANK_RAW)
    group->n_raw++;

  return group;
}

/* Makes the items again from the mirror, with pointer compares only, and
 * tells the span that differs from before.  Every old item must still be
 * alive: compared, a freed one could match an image made since. */
static void
update_items (CapaFilmStripPairs *self)
{
  GPtrArray *old = self->items;
  guint n = self->images->len;
  guint prefix = 0;
  guint suffix = 0;

  /* Two arrays take turns: no new one of the session's size per change. */
  self->items = self->spare;
  self->spare = old;
  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < n; i++)
    {
      Group *group = g_ptr_array_index (self->group_of, i);

      if (group->shown == g_ptr_array_index (self->images, i))
        g_ptr_array_add (self->items, group->shown);
    }

  /* The span that changed: all but the common ends. */
  while (prefix < old->len && prefix < self->items->len &&
         g_ptr_array_index (old, prefix) == g_ptr_array_index (self->items, prefix))
    prefix++;
  while (suffix < old->len - prefix && suffix < self->items->len - prefix &&
         g_ptr_array_index (old, old->len - 1 - suffix) ==
         g_ptr_array_index (self->items, self->items->len - 1 - suffix))
    suffix++;

  if (prefix + suffix < old->len || prefix + suffix < self->items->len)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, old->len - prefix - suffix,
                                self->items->len - prefix - suffix);
}

/* Counts the whole session again. */
static void
rebuild (CapaFilmStripPairs *self)
{
  guint n = self->session ? g_list_model_get_n_items (G_LIST_MODEL (self->session)) : 0;
  /* The old items' references, until they are compared. */
  g_autoptr(GPtrArray) old_images = g_steal_pointer (&self->images);

  g_clear_pointer (&self->group_of, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_hash_table_unref);
  self->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->images = g_ptr_array_new_full (n, g_object_unref);
  self->group_of = g_ptr_array_new_full (n, NULL);

  for (guint i = 0; i < n; i++)
    {
      CapaImage *image = g_list_model_get_item (G_LIST_MODEL (self->session), i);
      CapaImage *was_shown;

      g_ptr_array_add (self->images, image);
      g_ptr_array_add (self->group_of, group_add (self, image, &was_shown, NULL));
    }

  update_items (self);
}

/* The session's images from @position on replaced @removed of them by
 * @added: follows it if the old images are, in order, among the new ones
 * (images inserted), counting only the new images.  Costs pointer compares
 * over the session, and what was added.  Returns %FALSE, having changed
 * nothing, for any other change. */
static gboolean
insert_images (CapaFilmStripPairs *self,
               guint               position,
               guint               removed,
               guint               added)
{
  CapaSession *session = self->session;
  GPtrArray *images = self->images;
  GPtrArray *group_of = self->group_of;
  guint old_len = images->len;
  guint new_len;
  guint matched = 0;
  guint j;
  gboolean tied = FALSE;

  if (added < removed || position > old_len || removed > old_len - position)
    return FALSE;
  /* Nothing changed: and the copies below never see an empty mirror. */
  if (added == 0)
    return TRUE;

  /* Are the old images of the span, in order, among the new ones?  The
   * session's images are distinct, so a pointer met in the span that is
   * not the next old one is a new image. */
  for (guint k = 0; k < added; k++)
    {
      CapaImage *image = _capa_session_peek_image (session, position + k);

      if (matched < removed && image == g_ptr_array_index (images, position + matched))
        matched++;
    }
  if (matched < removed)
    return FALSE;

  /* Splice the mirror in place: the tail moves up, then the span is
   * walked from its end, each old image moved up to its new place (never
   * below where it was, so never over one not moved yet) and each new one
   * counted.  Growing the arrays is amortised: no copy of the session per
   * change. */
  new_len = old_len - removed + added;
  g_ptr_array_set_size (images, new_len);
  g_ptr_array_set_size (group_of, new_len);
  memmove (images->pdata + position + added, images->pdata + position + removed,
           (old_len - position - removed) * sizeof (gpointer));
  memmove (group_of->pdata + position + added, group_of->pdata + position + removed,
           (old_len - position - removed) * sizeof (gpointer));
  j = removed;
  for (guint k = added; k > 0; k--)
    {
      CapaImage *image = _capa_session_peek_image (session, position + k - 1);

      if (j > 0 && image == g_ptr_array_index (images, position + j - 1))
        {
          /* Its reference moves over. */
          images->pdata[position + k - 1] = image;
          group_of->pdata[position + k - 1] = g_ptr_array_index (group_of, position + j - 1);
          j--;
        }
      else
        {
          images->pdata[position + k - 1] = g_object_ref (image);
          group_of->pdata[position + k - 1] = NULL;
        }
    }

  /* New images join their groups in the session's order, which decides
   * which of two equal files a shot shows. */
  for (guint k = 0; k < added; k++)
    if (group_of->pdata[position + k] == NULL)
      {
        CapaImage *was_shown;
        gboolean tie;

        group_of->pdata[position + k] = group_add (self, images->pdata[position + k],
                                                   &was_shown, &tie);
        tied |= tie;
      }

  /* Which of two equal files shows depends on their order: count again. */
  if (tied)
    rebuild (self);
  else
    update_items (self);
  return TRUE;
}

/* The position of @image in the list, looked for from the end (where the
 * shots being added are), or -1. */
static int
find_item_from_end (CapaFilmStripPairs *self,
                    CapaImage          *image)
{
  for (guint i = self->items->len; i > 0; i--)
    if (g_ptr_array_index (self->items, i - 1) == image)
      return (int) i - 1;
  return -1;
}

/* @added images at the end of the session: each a new shot at the end of
 * the list, or another file of a shot already there (whose item is
 * replaced by the one that stands for it better, or told as changed for
 * its badge). Costs what was added, not the session. */
static void
append_images (CapaFilmStripPairs *self,
               guint               position,
               guint               added)
{
  guint announced = self->items->len;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(CapaImage) image = g_list_model_get_item (G_LIST_MODEL (self->session), i);
      CapaImage *was_shown;
      Group *group = group_add (self, image, &was_shown, NULL);
      int index;

      g_ptr_array_add (self->images, g_object_ref (image));
      g_ptr_array_add (self->group_of, group);

      if (was_shown == NULL)
        {
          g_ptr_array_add (self->items, image);
          continue;
        }

      index = find_item_from_end (self, was_shown);
      g_assert (index >= 0);
      if (group->shown == image)
        g_ptr_array_index (self->items, index) = image;
      if ((guint) index < announced)
        g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 1);
    }

  if (self->items->len > announced)
    g_list_model_items_changed (G_LIST_MODEL (self), announced, 0, self->items->len - announced);
}

static void
on_session_items_changed_cb (GListModel         *session,
                             guint               position,
                             guint               removed,
                             guint               added,
                             CapaFilmStripPairs *self)
{
  if (removed == 0 && added > 0 && position == self->images->len)
    append_images (self, position, added);
  else if (!insert_images (self, position, removed, added))
    rebuild (self);
}

static GType
capa_film_strip_pairs_get_item_type (GListModel *model)
{
  return CAPA_TYPE_IMAGE;
}

static guint
capa_film_strip_pairs_get_n_items (GListModel *model)
{
  return CAPA_FILM_STRIP_PAIRS (model)->items->len;
}

static gpointer
capa_film_strip_pairs_get_item (GListModel *model,
                                guint       position)
{
  CapaFilmStripPairs *self = CAPA_FILM_STRIP_PAIRS (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
capa_film_strip_pairs_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = capa_film_strip_pairs_get_item_type;
  iface->get_n_items = capa_film_strip_pairs_get_n_items;
  iface->get_item = capa_film_strip_pairs_get_item;
}

static void
capa_film_strip_pairs_dispose (GObject *object)
{
  CapaFilmStripPairs *self = CAPA_FILM_STRIP_PAIRS (object);

  if (self->session != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (_capa_film_strip_pairs_parent_class)->dispose (object);
}

static void
capa_film_strip_pairs_finalize (GObject *object)
{
  CapaFilmStripPairs *self = CAPA_FILM_STRIP_PAIRS (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->spare, g_ptr_array_unref);
  g_clear_pointer (&self->group_of, g_ptr_array_unref);
  g_clear_pointer (&self->images, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_hash_table_unref);

  G_OBJECT_CLASS (_capa_film_strip_pairs_parent_class)->finalize (object);
}

static void
_capa_film_strip_pairs_class_init (CapaFilmStripPairsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = capa_film_strip_pairs_dispose;
  object_class->finalize = capa_film_strip_pairs_finalize;
}

static void
_capa_film_strip_pairs_init (CapaFilmStripPairs *self)
{
  self->items = g_ptr_array_new ();
  self->spare = g_ptr_array_new ();
  self->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->images = g_ptr_array_new_with_free_func (g_object_unref);
  self->group_of = g_ptr_array_new ();
}

/* The images of @session (nullable), a shot's files as one. */
CapaFilmStripPairs *
_capa_film_strip_pairs_new (CapaSession *session)
{
  CapaFilmStripPairs *self = g_object_new (CAPA_TYPE_FILM_STRIP_PAIRS, NULL);

  if (session != NULL)
    {
      self->session = g_object_ref (session);
      self->items_changed_id = g_signal_connect (session, "items-changed",
                                                 G_CALLBACK (on_session_items_changed_cb), self);
      rebuild (self);
    }
  return self;
}

/* The item at @position, not referenced (%NULL past the end): for walking
 * the list comparing images without reference counting each. */
CapaImage *
_capa_film_strip_pairs_peek_item (CapaFilmStripPairs *self,
                                  guint               position)
{
  if (position >= self->items->len)
    return NULL;

  return g_ptr_array_index (self->items, position);
}

/* The image shown for the shot @image belongs to, or %NULL if none (an
 * image not in the session). */
CapaImage *
_capa_film_strip_pairs_get_shown (CapaFilmStripPairs *self,
                                  CapaImage          *image)
{
  g_autofree char *stem = dup_stem (image);
  Group *group = g_hash_table_lookup (self->groups, stem);

  return group != NULL ? group->shown : NULL;
}

/* Whether @image is a RAW file standing for its shot: no file that would
 * stand for it better (a JPEG, or another that is not RAW) is in the
 * session, or yet. */
gboolean
_capa_film_strip_pairs_shows_raw (CapaFilmStripPairs *self,
                                  CapaImage          *image)
{
  g_autofree char *stem = dup_stem (image);
  Group *group = g_hash_table_lookup (self->groups, stem);

  return group != NULL && group->shown == image && group->rank == RANK_RAW;
}

/* How many files the shot of @image has, and how many of them are RAW. */
guint
_capa_film_strip_pairs_get_n_files (CapaFilmStripPairs *self,
                                    CapaImage          *image,
                                    guint              *n_raw)
{
  g_autofree char *stem = dup_stem (image);
  Group *group = g_hash_table_lookup (self->groups, stem);

  if (n_raw != NULL)
    *n_raw = group ? group->n_raw : 0;
  return group != NULL ? group->n_files : 1;
}

/* The text of the badge of @image's cell, or %NULL for an image alone. */
char *
_capa_film_strip_pairs_dup_badge (CapaFilmStripPairs *self,
                                  CapaImage          *image)
{
  guint n_raw = 0;
  guint n_files = _capa_film_strip_pairs_get_n_files (self, image, &n_raw);

  if (n_files < 2)
    return NULL;
  if (n_files == 2 && n_raw == 1 && rank_of (capa_image_get_filename (image)) == RANK_JPEG)
    /* Translators: the badge of a shot saved as a RAW file and a JPEG */
    return g_strdup (_("RAW + JPEG"));

  /* Translators: the badge of a shot saved as several files */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file", "%u files", n_files),
                          n_files);
}

/* The name of @image's item, for its tooltip and accessible: the file's,
 * and the badge of a shot of several files ("DSC_0042.JPG, RAW + JPEG"). */
char *
_capa_film_strip_pairs_dup_label (CapaFilmStripPairs *self,
                                  CapaImage          *image)
{
  g_autofree char *name = g_filename_display_basename (capa_image_get_filename (image));
  g_autofree char *badge = _capa_film_strip_pairs_dup_badge (self, image);

  if (badge == NULL)
    return g_steal_pointer (&name);

  /* Translators: an image's file name and the kind of its shot, "RAW + JPEG" */
  return g_strdup_printf (_("%s, %s"), name, badge);
}
