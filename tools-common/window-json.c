// SPDX-License-Identifier: GPL-2.0-or-later
/* The one JSON schema of a window; see window-json.h. */
#include "window-json.h"

static void add_bool(struct json_object *o, const char *key, bool val)
{
	json_object_object_add(o, key, json_object_new_boolean(val));
}

void window_json_add(struct json_object *o, const struct phys_window_info *w)
{
	json_object_object_add(o, "name", json_object_new_string(w->name));
	if (w->size) {
		json_object_object_add(o, "base", json_object_new_uint64(w->base));
		json_object_object_add(o, "size", json_object_new_uint64(w->size));
	}
	json_object_object_add(o, "access", json_object_new_string(w->rw ? "rw" : "ro"));
	json_object_object_add(o, "cache", json_object_new_string(w->wc ? "wc" : "uc"));
	add_bool(o, "shared", w->shared);
	add_bool(o, "pages", w->pages);
	/* Grants to the device, only where there are some. */
	if (w->dma_size) {
		json_object_object_add(o, "dma_size", json_object_new_uint64(w->dma_size));
		json_object_object_add(o, "dma_bits", json_object_new_int(w->dma_bits ? (int)w->dma_bits : 64));
	}
	if (w->irq)
		add_bool(o, "irq", true);
	json_object_object_add(o, "source", json_object_new_string(w->source));
	if (w->loaded) {
		add_bool(o, "claimed", w->claimed);
		add_bool(o, "mmap", w->mmapable);
		add_bool(o, "gone", w->gone);
		if (w->dma_size)
			json_object_object_add(o, "dma_used", json_object_new_uint64(w->dma_used));
	}
}
