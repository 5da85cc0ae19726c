/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The film strip to assistive technologies: a list whose children are
 * the session's images, in the order shown, made only when asked for, so
 * a session of 10,000 images costs nothing until a screen reader walks
 * it; the selected image is the list's selection and its active
 * descendant, announced as it changes. */

#define G_LOG_DOMAIN "Capa-FilmStrip"

#include "config.h"

#include <gtk/gtk-a11y.h>

#include "capa-film-strip-private.h"

/* --- one image --- */

#define CAPA_TYPE_FILM_STRIP_ITEM_ACCESSIBLE (_capa_film_strip_item_accessible_get_type ())

G_DECLARE_FINAL_TYPE (CapaFilmStripItemAccessible, _capa_film_strip_item_accessible,
                      CAPA, FILM_STRIP_ITEM_ACCESSIBLE, AtkObject)

struct _CapaFilmStripItemAccessible
{
  AtkObject      parent_instance;

  CapaImage     *image;      /* owned */
  CapaFilmStrip *strip;      /* weak */
};

static void item_component_init (AtkComponentIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CapaFilmStripItemAccessible, _capa_film_strip_item_accessible,
                               ATK_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ATK_TYPE_COMPONENT, item_component_init))

/* The item's model position, or G_MAXUINT once its image left. */
static guint
item_get_position (CapaFilmStripItemAccessible *self)
{
  GListModel *model;
  guint n;

  if (self->strip == NULL || self->strip->session == NULL)
    return G_MAXUINT;
  model = G_LIST_MODEL (self->strip->pairs);

  if (self->strip->selected == self->image)
    return self->strip->selected_pos;

  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CapaImage) item = g_list_model_get_item (model, i);

      if (item == self->image)
        return i;
    }

  return G_MAXUINT;
}

static int
item_get_index_in_parent (AtkObject *object)
{
  CapaFilmStripItemAccessible *self = CAPA_FILM_STRIP_ITEM_ACCESSIBLE (object);
  guint position = item_get_position (self);

  return position == G_MAXUINT ? -1 : (int) _capa_film_strip_flip (self->strip, position);
}

static AtkStateSet *
item_ref_state_set (AtkObject *object)
{
  CapaFilmStripItemAccessible *self = CAPA_FILM_STRIP_ITEM_ACCESSIBLE (object);
  AtkStateSet *states = atk_state_set_new ();
  guint position = item_get_position (self);
  guint first;
  guint last;
  guint place;

  if (position == G_MAXUINT)
    {
      atk_state_set_add_state (states, ATK_STATE_DEFUNCT);
      return states;
    }

  atk_state_set_add_state (states, ATK_STATE_SELECTABLE);
  atk_state_set_add_state (states, ATK_STATE_FOCUSABLE);
  atk_state_set_add_state (states, ATK_STATE_VISIBLE);
  atk_state_set_add_state (states, ATK_STATE_ENABLED);
  atk_state_set_add_state (states, ATK_STATE_SENSITIVE);

  place = _capa_film_strip_flip (self->strip, position);
  _capa_film_strip_get_visible_places (self->strip, &first, &last);
  if (place >= first && place < last)
    atk_state_set_add_state (states, ATK_STATE_SHOWING);

  if (self->strip->selected == self->image)
    {
      atk_state_set_add_state (states, ATK_STATE_SELECTED);
      if (gtk_widget_has_focus (GTK_WIDGET (self->strip->canvas)))
        atk_state_set_add_state (states, ATK_STATE_FOCUSED);
    }

  return states;
}

static void
item_finalize (GObject *object)
{
  CapaFilmStripItemAccessible *self = CAPA_FILM_STRIP_ITEM_ACCESSIBLE (object);

  g_clear_weak_pointer (&self->strip);
  g_clear_object (&self->image);

  G_OBJECT_CLASS (_capa_film_strip_item_accessible_parent_class)->finalize (object);
}

static void
_capa_film_strip_item_accessible_class_init (CapaFilmStripItemAccessibleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AtkObjectClass *atk_class = ATK_OBJECT_CLASS (klass);

  object_class->finalize = item_finalize;
  atk_class->get_index_in_parent = item_get_index_in_parent;
  atk_class->ref_state_set = item_ref_state_set;
}

static void
_capa_film_strip_item_accessible_init (CapaFilmStripItemAccessible *self)
{
}

static void
item_get_extents (AtkComponent *component,
                  int          *x,
                  int          *y,
                  int          *width,
                  int          *height,
                  AtkCoordType  coord_type)
{
  CapaFilmStripItemAccessible *self = CAPA_FILM_STRIP_ITEM_ACCESSIBLE (component);
  AtkObject *parent = atk_object_get_parent (ATK_OBJECT (self));
  guint position = item_get_position (self);
  GdkRectangle rect;
  int px = 0, py = 0;

  *x = *y = *width = *height = -1;
  if (position == G_MAXUINT || parent == NULL ||
      !_capa_film_strip_get_cell_rect (self->strip, position, &rect))
    return;

  atk_component_get_extents (ATK_COMPONENT (parent), &px, &py, NULL, NULL, coord_type);
  *x = px + rect.x;
  *y = py + rect.y;
  *width = rect.width;
  *height = rect.height;
}

static gboolean
item_grab_focus (AtkComponent *component)
{
  CapaFilmStripItemAccessible *self = CAPA_FILM_STRIP_ITEM_ACCESSIBLE (component);

  if (self->strip == NULL)
    return FALSE;

  capa_film_strip_select_image (self->strip, self->image);
  gtk_widget_grab_focus (GTK_WIDGET (self->strip->canvas));
  return self->strip->selected == self->image;
}

static void
item_component_init (AtkComponentIface *iface)
{
  iface->get_extents = item_get_extents;
  iface->grab_focus = item_grab_focus;
}

static AtkObject *
item_new (CapaFilmStrip *strip,
          AtkObject     *parent,
          CapaImage     *image)
{
  CapaFilmStripItemAccessible *self = g_object_new (CAPA_TYPE_FILM_STRIP_ITEM_ACCESSIBLE, NULL);
  g_autofree char *name = _capa_film_strip_pairs_dup_label (strip->pairs, image);

  self->image = g_object_ref (image);
  g_set_weak_pointer (&self->strip, strip);
  atk_object_set_parent (ATK_OBJECT (self), parent);
  atk_object_set_role (ATK_OBJECT (self), ATK_ROLE_LIST_ITEM);
  atk_object_set_name (ATK_OBJECT (self), name);

  return ATK_OBJECT (self);
}

/* --- the list --- */

struct _CapaFilmStripAccessible
{
  GtkWidgetAccessible  parent_instance;

  GHashTable          *items;     /* CapaImage * → AtkObject *, both owned */
};

static void selection_init (AtkSelectionIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CapaFilmStripAccessible, _capa_film_strip_accessible,
                               GTK_TYPE_WIDGET_ACCESSIBLE,
                               G_IMPLEMENT_INTERFACE (ATK_TYPE_SELECTION, selection_init))

static CapaFilmStrip *
get_strip (gpointer accessible)
{
  GtkWidget *canvas = gtk_accessible_get_widget (GTK_ACCESSIBLE (accessible));

  if (canvas == NULL)
    return NULL;

  return CAPA_FILM_STRIP (gtk_widget_get_ancestor (canvas, CAPA_TYPE_FILM_STRIP));
}

static AtkObject *
ref_item (CapaFilmStripAccessible *self,
          CapaFilmStrip           *strip,
          CapaImage               *image)
{
  AtkObject *item = g_hash_table_lookup (self->items, image);

  if (item == NULL)
    {
      item = item_new (strip, ATK_OBJECT (self), image);
      g_hash_table_insert (self->items, g_object_ref (image), item);
    }

  return g_object_ref (item);
}

static int
accessible_get_n_children (AtkObject *object)
{
  CapaFilmStrip *strip = get_strip (object);

  return strip ? (int) _capa_film_strip_get_n_items (strip) : 0;
}

static AtkObject *
accessible_ref_child (AtkObject *object,
                      int        index)
{
  CapaFilmStripAccessible *self = CAPA_FILM_STRIP_ACCESSIBLE (object);
  CapaFilmStrip *strip = get_strip (object);
  g_autoptr(CapaImage) image = NULL;

  if (strip == NULL || index < 0 || (guint) index >= _capa_film_strip_get_n_items (strip))
    return NULL;

  image = g_list_model_get_item (G_LIST_MODEL (strip->pairs),
                                 _capa_film_strip_flip (strip, (guint) index));
  return ref_item (self, strip, image);
}

static void
accessible_finalize (GObject *object)
{
  CapaFilmStripAccessible *self = CAPA_FILM_STRIP_ACCESSIBLE (object);

  g_clear_pointer (&self->items, g_hash_table_unref);

  G_OBJECT_CLASS (_capa_film_strip_accessible_parent_class)->finalize (object);
}

static void
accessible_initialize (AtkObject *object,
                       gpointer   data)
{
  ATK_OBJECT_CLASS (_capa_film_strip_accessible_parent_class)->initialize (object, data);

  atk_object_set_role (object, ATK_ROLE_LIST);
}

static void
_capa_film_strip_accessible_class_init (CapaFilmStripAccessibleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AtkObjectClass *atk_class = ATK_OBJECT_CLASS (klass);

  object_class->finalize = accessible_finalize;
  atk_class->initialize = accessible_initialize;
  atk_class->get_n_children = accessible_get_n_children;
  atk_class->ref_child = accessible_ref_child;
}

static void
_capa_film_strip_accessible_init (CapaFilmStripAccessible *self)
{
  self->items = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
}

static gboolean
selection_add (AtkSelection *selection,
               int           index)
{
  g_autoptr(AtkObject) child = accessible_ref_child (ATK_OBJECT (selection), index);

  return child != NULL && atk_component_grab_focus (ATK_COMPONENT (child));
}

static AtkObject *
selection_ref (AtkSelection *selection,
               int           index)
{
  CapaFilmStrip *strip = get_strip (selection);

  if (index != 0 || strip == NULL || strip->selected == NULL)
    return NULL;

  return ref_item (CAPA_FILM_STRIP_ACCESSIBLE (selection), strip, strip->selected);
}

static int
selection_get_count (AtkSelection *selection)
{
  CapaFilmStrip *strip = get_strip (selection);

  return strip != NULL && strip->selected != NULL ? 1 : 0;
}

static gboolean
selection_is_selected (AtkSelection *selection,
                       int           index)
{
  CapaFilmStrip *strip = get_strip (selection);

  return strip != NULL && strip->selected_pos != G_MAXUINT && index >= 0 &&
         (guint) index == _capa_film_strip_flip (strip, strip->selected_pos);
}

static void
selection_init (AtkSelectionIface *iface)
{
  iface->add_selection = selection_add;
  iface->ref_selection = selection_ref;
  iface->get_selection_count = selection_get_count;
  iface->is_child_selected = selection_is_selected;
}

/* The strip's selection changed: announce the new selected image. */
void
_capa_film_strip_accessible_selection_changed (CapaFilmStripAccessible *self)
{
  CapaFilmStrip *strip = get_strip (self);
  g_autoptr(AtkObject) item = NULL;

  g_signal_emit_by_name (self, "selection-changed");
  if (strip == NULL || strip->selected == NULL)
    return;

  item = ref_item (self, strip, strip->selected);
  atk_object_notify_state_change (item, ATK_STATE_SELECTED, TRUE);
  g_signal_emit_by_name (self, "active-descendant-changed", item);
}

/* The session changed: forget the images that may have left. */
void
_capa_film_strip_accessible_items_changed (CapaFilmStripAccessible *self)
{
  g_hash_table_remove_all (self->items);
  g_signal_emit_by_name (self, "visible-data-changed");
}
