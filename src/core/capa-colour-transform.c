/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Colour"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <lcms2.h>

#include "capa-colour-private.h"
#include "capa-colour-transform.h"
#include "capa-enum-types.h"
#include "capa-testing-private.h"

/* At most this many transforms stay cached once nobody else holds them. */
#define CACHE_SIZE              32
/* Below this many pixels a pixbuf is transformed on the calling thread. */
#define MIN_PIXELS_TO_SPLIT     (256 * 256)
#define MIN_ROWS_PER_BAND       16
#define BANDS_PER_THREAD        4

struct _CapaColourTransform
{
  GObject              parent_instance;

  /* set once at construction, immutable afterwards */
  CapaColourProfile   *source;
  CapaColourProfile   *destination;
  CapaRenderingIntent  intent;
  char                *key;
  guint                identity : 1;

  /* owned lcms2 state; NULL for an identity transform */
  cmsContext           context;
  cmsHTRANSFORM        rgb;     /* TYPE_RGB_8 → TYPE_RGB_8, flags 0 */
  cmsHTRANSFORM        rgba;    /* TYPE_RGBA_8 → TYPE_RGBA_8, cmsFLAGS_COPY_ALPHA */
};

G_DEFINE_FINAL_TYPE (CapaColourTransform, capa_colour_transform, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_DESTINATION,
  PROP_INTENT,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* The process-wide cache: key "source-md5:destination-md5:intent" → link in
 * an LRU queue of CapaColourTransform (strong references, newest first).
 * All of it is guarded by the one cache_mutex, which is never held while
 * another lock is taken, nor while lcms2 builds a transform: a key being
 * built is in cache_building, and a thread wanting the same key waits on
 * cache_cond for the builder to finish rather than building it twice. */
static GMutex      cache_mutex;
static GCond       cache_cond;
static GHashTable *cache_index;
static GHashTable *cache_building;   /* owned keys being built now */
static GQueue      cache_lru = G_QUEUE_INIT;
static guint       n_created;
static guint       n_waiting;

/* Tests only (capa-testing-private.h): called on the building thread,
 * without the lock. */
static CapaTestingColourBuildHook build_hook;
static gpointer                     build_hook_data;

static void
capa_colour_transform_finalize (GObject *object)
{
  CapaColourTransform *self = CAPA_COLOUR_TRANSFORM (object);

  g_clear_pointer (&self->rgb, cmsDeleteTransform);
  g_clear_pointer (&self->rgba, cmsDeleteTransform);
  g_clear_pointer (&self->context, cmsDeleteContext);
  g_clear_object (&self->source);
  g_clear_object (&self->destination);
  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (capa_colour_transform_parent_class)->finalize (object);
}

static void
capa_colour_transform_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CapaColourTransform *self = CAPA_COLOUR_TRANSFORM (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;

    case PROP_DESTINATION:
      g_value_set_object (value, self->destination);
      break;

    case PROP_INTENT:
      g_value_set_enum (value, self->intent);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_colour_transform_class_init (CapaColourTransformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capa_colour_transform_finalize;
  object_class->get_property = capa_colour_transform_get_property;

  /**
   * CapaColourTransform:source:
   *
   * The profile of the pixels given to the transform (usually the image's).
   */
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL,
                         CAPA_TYPE_COLOUR_PROFILE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaColourTransform:destination:
   *
   * The profile of the pixels the transform makes (usually the monitor's).
   */
  properties[PROP_DESTINATION] =
    g_param_spec_object ("destination", NULL, NULL,
                         CAPA_TYPE_COLOUR_PROFILE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaColourTransform:intent:
   *
   * The rendering intent of the transform.
   */
  properties[PROP_INTENT] =
    g_param_spec_enum ("intent", NULL, NULL,
                       CAPA_TYPE_RENDERING_INTENT,
                       CAPA_RENDERING_INTENT_PERCEPTUAL,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capa_colour_transform_init (CapaColourTransform *self)
{
}

static cmsUInt32Number
lcms_intent (CapaRenderingIntent intent)
{
  switch (intent)
    {
    case CAPA_RENDERING_INTENT_PERCEPTUAL:
      return INTENT_PERCEPTUAL;
    case CAPA_RENDERING_INTENT_RELATIVE_COLORIMETRIC:
      return INTENT_RELATIVE_COLORIMETRIC;
    case CAPA_RENDERING_INTENT_SATURATION:
      return INTENT_SATURATION;
    case CAPA_RENDERING_INTENT_ABSOLUTE_COLORIMETRIC:
      return INTENT_ABSOLUTE_COLORIMETRIC;
    default:
      g_assert_not_reached ();
    }
}

/* Called without cache_mutex held, on any thread, maybe by several at
 * once with the same profiles: lcms2 reads (and caches) a profile's tags
 * as it builds a transform, so each build opens its own copies of the two
 * profiles from their bytes, in the transform's own context, and never
 * touches the handles the CapaColourProfile objects hold. */
static CapaColourTransform *
create_transform (CapaColourProfile    *source,
                  CapaColourProfile    *destination,
                  CapaRenderingIntent   intent,
                  const char           *key,
                  GError              **error)
{
  g_autoptr(CapaColourTransform) self = NULL;
  g_auto(cmsHPROFILE) source_handle = NULL;
  g_auto(cmsHPROFILE) destination_handle = NULL;
  GBytes *source_data;
  GBytes *destination_data;

  self = g_object_new (CAPA_TYPE_COLOUR_TRANSFORM, NULL);
  self->source = g_object_ref (source);
  self->destination = g_object_ref (destination);
  self->intent = intent;
  self->key = g_strdup (key);
  self->identity = capa_colour_profile_equal (source, destination);

  if (self->identity)
    return g_steal_pointer (&self);

  _capa_colour_clear_lcms_error ();
  self->context = _capa_colour_context_new ();

  source_data = capa_colour_profile_get_data (source);
  destination_data = capa_colour_profile_get_data (destination);
  source_handle = cmsOpenProfileFromMemTHR (self->context,
                                            g_bytes_get_data (source_data, NULL),
                                            (cmsUInt32Number) g_bytes_get_size (source_data));
  destination_handle =
    cmsOpenProfileFromMemTHR (self->context,
                              g_bytes_get_data (destination_data, NULL),
                              (cmsUInt32Number) g_bytes_get_size (destination_data));

  if (source_handle != NULL && destination_handle != NULL)
    self->rgb = cmsCreateTransformTHR (self->context,
                                       source_handle, TYPE_RGB_8,
                                       destination_handle, TYPE_RGB_8,
                                       lcms_intent (intent), 0);
  if (self->rgb != NULL)
    self->rgba = cmsCreateTransformTHR (self->context,
                                        source_handle, TYPE_RGBA_8,
                                        destination_handle, TYPE_RGBA_8,
                                        lcms_intent (intent), cmsFLAGS_COPY_ALPHA);

  if (self->rgb == NULL || self->rgba == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("Cannot transform colours from “%s” to “%s”"),
                         capa_colour_profile_get_description (source),
                         capa_colour_profile_get_description (destination));

      _capa_colour_set_error_from_lcms (error, CAPA_COLOUR_ERROR_FAILED, message);
      return NULL;
    }

  return g_steal_pointer (&self);
}

static gboolean
check_rgb (CapaColourProfile  *profile,
           GError            **error)
{
  if (capa_colour_profile_get_colour_space (profile) == CAPA_COLOUR_SPACE_RGB)
    return TRUE;

  g_set_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_UNSUPPORTED,
               _("The colour profile “%s” is not an RGB profile; pixbufs can only be "
                 "transformed between RGB profiles"),
               capa_colour_profile_get_description (profile));
  return FALSE;
}

/**
 * capa_colour_transform_new:
 * @source: the profile of the pixels to transform
 * @destination: the profile to transform them to
 * @intent: the rendering intent
 *
 * Gets a transform from @source to @destination.
 *
 * Transforms are cached for the whole process by the checksums of the
 * two profiles and the intent: asking again for the same pair of profiles
 * (the same objects, or others with the same bytes) returns the same
 * transform without building it again. When @source and @destination are
 * equal the transform is an exact copy.
 *
 * This may be called from any thread. Building a transform never holds up
 * the lookup of another one; threads asking at once for a transform not
 * built yet wait for a single build of it.
 *
 * Both profiles must be RGB profiles, or %CAPA_COLOUR_ERROR_UNSUPPORTED
 * is raised; %CAPA_COLOUR_ERROR_FAILED means lcms2 could not link them.
 *
 * Returns: (transfer full): the transform, or %NULL with @error set
 */
CapaColourTransform *
capa_colour_transform_new (CapaColourProfile    *source,
                           CapaColourProfile    *destination,
                           CapaRenderingIntent   intent,
                           GError              **error)
{
  g_autofree char *key = NULL;
  GQueue evicted = G_QUEUE_INIT;
  CapaTestingColourBuildHook hook;
  gpointer hook_data;
  CapaColourTransform *self;
  GList *link;

  g_return_val_if_fail (CAPA_IS_COLOUR_PROFILE (source), NULL);
  g_return_val_if_fail (CAPA_IS_COLOUR_PROFILE (destination), NULL);
  g_return_val_if_fail (intent <= CAPA_RENDERING_INTENT_ABSOLUTE_COLORIMETRIC, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_rgb (source, error) || !check_rgb (destination, error))
    return NULL;

  key = g_strdup_printf ("%s:%s:%d",
                         capa_colour_profile_get_checksum (source),
                         capa_colour_profile_get_checksum (destination),
                         (int) intent);

  g_mutex_lock (&cache_mutex);

  if (cache_index == NULL)
    {
      cache_index = g_hash_table_new (g_str_hash, g_str_equal);
      cache_building = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }

  /* Another thread building the same key: wait for it, then look again
   * (it may have failed, leaving the key to be built here). */
  while ((link = g_hash_table_lookup (cache_index, key)) == NULL &&
         g_hash_table_contains (cache_building, key))
    {
      n_waiting++;
      g_cond_wait (&cache_cond, &cache_mutex);
      n_waiting--;
    }

  if (link != NULL)
    {
      g_queue_unlink (&cache_lru, link);
      g_queue_push_head_link (&cache_lru, link);
      self = g_object_ref (link->data);
      g_mutex_unlock (&cache_mutex);
      return self;
    }

  g_hash_table_add (cache_building, g_strdup (key));
  hook = build_hook;
  hook_data = build_hook_data;
  g_mutex_unlock (&cache_mutex);

  /* Building may take long: no lock is held, so lookups of other keys
   * (and of this one, which wait above) go on meanwhile. */
  if (hook != NULL)
    hook (source, destination, intent, hook_data);
  self = create_transform (source, destination, intent, key, error);

  g_mutex_lock (&cache_mutex);

  g_hash_table_remove (cache_building, key);
  if (self != NULL)
    {
      n_created++;
      g_queue_push_head (&cache_lru, g_object_ref (self));
      g_hash_table_insert (cache_index, self->key, cache_lru.head);

      while (cache_lru.length > CACHE_SIZE)
        {
          CapaColourTransform *oldest = g_queue_pop_tail (&cache_lru);

          g_hash_table_remove (cache_index, oldest->key);
          g_queue_push_tail (&evicted, oldest);
        }
    }
  g_cond_broadcast (&cache_cond);

  g_mutex_unlock (&cache_mutex);

  /* Finalising may be slow: do it without the lock. */
  g_queue_clear_full (&evicted, g_object_unref);

  return self;
}

guint
_capa_testing_colour_transform_get_n_created (void)
{
  guint n;

  g_mutex_lock (&cache_mutex);
  n = n_created;
  g_mutex_unlock (&cache_mutex);

  return n;
}

guint
_capa_testing_colour_transform_get_n_cached (void)
{
  guint n;

  g_mutex_lock (&cache_mutex);
  n = cache_lru.length;
  g_mutex_unlock (&cache_mutex);

  return n;
}

guint
_capa_testing_colour_transform_get_n_waiting (void)
{
  guint n;

  g_mutex_lock (&cache_mutex);
  n = n_waiting;
  g_mutex_unlock (&cache_mutex);

  return n;
}

void
_capa_testing_colour_transform_set_build_hook (CapaTestingColourBuildHook hook,
                                       gpointer                     user_data)
{
  g_mutex_lock (&cache_mutex);
  build_hook = hook;
  build_hook_data = user_data;
  g_mutex_unlock (&cache_mutex);
}

void
_capa_testing_colour_transform_clear_cache (void)
{
  GQueue old = G_QUEUE_INIT;

  g_mutex_lock (&cache_mutex);
  old = cache_lru;
  g_queue_init (&cache_lru);
  if (cache_index != NULL)
    g_hash_table_remove_all (cache_index);
  g_mutex_unlock (&cache_mutex);

  /* Finalising may be slow: do it without the lock. */
  g_queue_clear_full (&old, g_object_unref);
}

/**
 * capa_colour_transform_get_source:
 * @self: a #CapaColourTransform
 *
 * Returns: (transfer none): the source profile
 */
CapaColourProfile *
capa_colour_transform_get_source (CapaColourTransform *self)
{
  g_return_val_if_fail (CAPA_IS_COLOUR_TRANSFORM (self), NULL);

  return self->source;
}

/**
 * capa_colour_transform_get_destination:
 * @self: a #CapaColourTransform
 *
 * Returns: (transfer none): the destination profile
 */
CapaColourProfile *
capa_colour_transform_get_destination (CapaColourTransform *self)
{
  g_return_val_if_fail (CAPA_IS_COLOUR_TRANSFORM (self), NULL);

  return self->destination;
}

/**
 * capa_colour_transform_get_intent:
 * @self: a #CapaColourTransform
 *
 * Returns: the rendering intent
 */
CapaRenderingIntent
capa_colour_transform_get_intent (CapaColourTransform *self)
{
  g_return_val_if_fail (CAPA_IS_COLOUR_TRANSFORM (self), CAPA_RENDERING_INTENT_PERCEPTUAL);

  return self->intent;
}

/**
 * capa_colour_transform_is_identity:
 * @self: a #CapaColourTransform
 *
 * Returns: %TRUE when the source and destination profiles are equal, so
 *   the transform leaves pixels unchanged
 */
gboolean
capa_colour_transform_is_identity (CapaColourTransform *self)
{
  g_return_val_if_fail (CAPA_IS_COLOUR_TRANSFORM (self), FALSE);

  return self->identity;
}

/* --- splitting big pixbufs into bands run on a shared pool --- */

typedef struct
{
  gatomicrefcount  ref_count;
  cmsHTRANSFORM    transform;
  const guint8    *src;
  guint8          *dst;
  int              width;
  int              height;
  int              src_stride;
  int              dst_stride;
  int              rows_per_band;
  int              n_bands;
  int              next_band;     /* atomic */

  GMutex           mutex;
  GCond            cond;
  int              bands_done;    /* guarded by mutex */
} BandJob;

static BandJob *
band_job_ref (BandJob *job)
{
  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

static void
band_job_unref (BandJob *job)
{
  if (g_atomic_ref_count_dec (&job->ref_count))
    {
      g_mutex_clear (&job->mutex);
      g_cond_clear (&job->cond);
      g_free (job);
    }
}

/* Takes bands until none is left; the caller and pool threads all run it,
 * so a busy pool only means the caller does more of the work itself. */
static void
band_job_run (BandJob *job)
{
  for (;;)
    {
      int band = g_atomic_int_add (&job->next_band, 1);
      int y, rows;

      if (band >= job->n_bands)
        break;

      y = band * job->rows_per_band;
      rows = MIN (job->rows_per_band, job->height - y);

      cmsDoTransformLineStride (job->transform,
                                job->src + (gsize) y * job->src_stride,
                                job->dst + (gsize) y * job->dst_stride,
                                job->width, rows,
                                job->src_stride, job->dst_stride,
                                0, 0);

      g_mutex_lock (&job->mutex);
      if (++job->bands_done == job->n_bands)
        g_cond_signal (&job->cond);
      g_mutex_unlock (&job->mutex);
    }
}

static void
band_pool_func (gpointer data,
                gpointer user_data)
{
  BandJob *job = data;

  band_job_run (job);
  band_job_unref (job);
}

static gpointer
create_band_pool (gpointer data)
{
  return g_thread_pool_new (band_pool_func, NULL, (int) g_get_num_processors (), FALSE, NULL);
}

static GThreadPool *
get_band_pool (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, create_band_pool, NULL);
}

static void
transform_rows (cmsHTRANSFORM  transform,
                const guint8  *src,
                int            src_stride,
                guint8        *dst,
                int            dst_stride,
                int            width,
                int            height)
{
  guint n_threads = g_get_num_processors ();
  BandJob *job;
  int rows_per_band;
  int n_bands;
  guint n_helpers;

  if (n_threads < 2 || (gint64) width * height < MIN_PIXELS_TO_SPLIT)
    {
      cmsDoTransformLineStride (transform, src, dst, width, height,
                                src_stride, dst_stride, 0, 0);
      return;
    }

  rows_per_band = MAX (MIN_ROWS_PER_BAND, height / (int) (n_threads * BANDS_PER_THREAD));
  n_bands = (height + rows_per_band - 1) / rows_per_band;

  job = g_new0 (BandJob, 1);
  g_atomic_ref_count_init (&job->ref_count);
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);
  job->transform = transform;
  job->src = src;
  job->dst = dst;
  job->width = width;
  job->height = height;
  job->src_stride = src_stride;
  job->dst_stride = dst_stride;
  job->rows_per_band = rows_per_band;
  job->n_bands = n_bands;

  n_helpers = MIN (n_threads - 1, (guint) n_bands - 1);
  for (guint i = 0; i < n_helpers; i++)
    g_thread_pool_push (get_band_pool (), band_job_ref (job), NULL);

  band_job_run (job);

  g_mutex_lock (&job->mutex);
  while (job->bands_done < job->n_bands)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);

  band_job_unref (job);
}

static gboolean
check_pixbuf (GdkPixbuf *pixbuf)
{
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);

  g_return_val_if_fail (gdk_pixbuf_get_colorspace (pixbuf) == GDK_COLORSPACE_RGB, FALSE);
  g_return_val_if_fail (gdk_pixbuf_get_bits_per_sample (pixbuf) == 8, FALSE);
  g_return_val_if_fail ((n_channels == 3 && !has_alpha) || (n_channels == 4 && has_alpha), FALSE);

  return TRUE;
}

static void
copy_rows (const guint8 *src,
           int           src_stride,
           guint8       *dst,
           int           dst_stride,
           gsize         row_bytes,
           int           height)
{
  for (int y = 0; y < height; y++)
    memcpy (dst + (gsize) y * dst_stride, src + (gsize) y * src_stride, row_bytes);
}

/**
 * capa_colour_transform_transform_pixbuf:
 * @self: a #CapaColourTransform
 * @pixbuf: an 8-bit RGB or RGBA pixbuf in the source profile
 *
 * Transforms the pixels of @pixbuf into a new pixbuf of the same size. An
 * alpha channel is copied unchanged. The result is exactly what lcms2's
 * own `cmsDoTransform()` gives for the same pixels (`TYPE_RGB_8`, or
 * `TYPE_RGBA_8` with `cmsFLAGS_COPY_ALPHA`); big pixbufs are split into
 * bands transformed on all processor cores.
 *
 * This may be called from any thread, by several threads at once.
 *
 * Returns: (transfer full) (nullable): a new pixbuf, or %NULL when its
 *   memory could not be allocated
 */
GdkPixbuf *
capa_colour_transform_transform_pixbuf (CapaColourTransform *self,
                                        GdkPixbuf           *pixbuf)
{
  g_autoptr(GdkPixbuf) result = NULL;
  gboolean has_alpha;
  int width, height;

  g_return_val_if_fail (CAPA_IS_COLOUR_TRANSFORM (self), NULL);
  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);

  if (!check_pixbuf (pixbuf))
    return NULL;

  has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);

  result = gdk_pixbuf_new (GDK_COLORSPACE_RGB, has_alpha, 8, width, height);
  if (result == NULL)
    return NULL;

  if (self->identity)
    copy_rows (gdk_pixbuf_read_pixels (pixbuf), gdk_pixbuf_get_rowstride (pixbuf),
               gdk_pixbuf_get_pixels (result), gdk_pixbuf_get_rowstride (result),
               (gsize) width * (has_alpha ? 4 : 3), height);
  else
    transform_rows (has_alpha ? self->rgba : self->rgb,
                    gdk_pixbuf_read_pixels (pixbuf), gdk_pixbuf_get_rowstride (pixbuf),
                    gdk_pixbuf_get_pixels (result), gdk_pixbuf_get_rowstride (result),
                    width, height);

  return g_steal_pointer (&result);
}

/**
 * capa_colour_transform_transform_pixbuf_in_place:
 * @self: a #CapaColourTransform
 * @pixbuf: an 8-bit RGB or RGBA pixbuf in the source profile
 *
 * Transforms the pixels of @pixbuf where they are, as
 * [method@Capa.ColourTransform.transform_pixbuf] does. A sub-pixbuf
 * changes only its part of its parent.
 *
 * This may be called from any thread, by several threads at once, on
 * different pixbufs.
 */
void
capa_colour_transform_transform_pixbuf_in_place (CapaColourTransform *self,
                                                 GdkPixbuf           *pixbuf)
{
  guint8 *pixels;
  int rowstride;

  g_return_if_fail (CAPA_IS_COLOUR_TRANSFORM (self));
  g_return_if_fail (GDK_IS_PIXBUF (pixbuf));

  if (!check_pixbuf (pixbuf) || self->identity)
    return;

  pixels = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);

  transform_rows (gdk_pixbuf_get_has_alpha (pixbuf) ? self->rgba : self->rgb,
                  pixels, rowstride, pixels, rowstride,
                  gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf));
}

static void
transform_pixbuf_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  CapaColourTransform *self = source_object;
  GdkPixbuf *pixbuf = task_data;
  GdkPixbuf *result;

  if (g_task_return_error_if_cancelled (task))
    return;

  result = capa_colour_transform_transform_pixbuf (self, pixbuf);
  if (result == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                             "%s", _("Not enough memory to transform the image’s colours"));
  else
    g_task_return_pointer (task, result, g_object_unref);
}

/**
 * capa_colour_transform_transform_pixbuf_async:
 * @self: a #CapaColourTransform
 * @pixbuf: an 8-bit RGB or RGBA pixbuf in the source profile; it must not
 *   change until the operation completes
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the new pixbuf is ready
 * @user_data: data for @callback
 *
 * Transforms the pixels of @pixbuf into a new pixbuf on a worker thread, as
 * [method@Capa.ColourTransform.transform_pixbuf] does, so the main loop
 * never waits for a big image.
 */
void
capa_colour_transform_transform_pixbuf_async (CapaColourTransform *self,
                                              GdkPixbuf           *pixbuf,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CAPA_IS_COLOUR_TRANSFORM (self));
  g_return_if_fail (GDK_IS_PIXBUF (pixbuf));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_colour_transform_transform_pixbuf_async);
  g_task_set_task_data (task, g_object_ref (pixbuf), g_object_unref);
  g_task_run_in_thread (task, transform_pixbuf_thread);
}

/**
 * capa_colour_transform_transform_pixbuf_finish:
 * @self: a #CapaColourTransform
 * @result: the #GAsyncResult given to the callback
 *
 * Finishes [method@Capa.ColourTransform.transform_pixbuf_async].
 *
 * Returns: (transfer full): the new pixbuf, or %NULL with @error set
 *   (%G_IO_ERROR_CANCELLED when cancelled)
 */
GdkPixbuf *
capa_colour_transform_transform_pixbuf_finish (CapaColourTransform  *self,
                                               GAsyncResult         *result,
                                               GError              **error)
{
  g_return_val_if_fail (CAPA_IS_COLOUR_TRANSFORM (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        capa_colour_transform_transform_pixbuf_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
