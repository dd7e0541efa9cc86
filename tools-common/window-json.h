/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one JSON schema of a window (physmem-policy show --json, devmemtool
 * --json windows). Shared by the tools, not part of libphys (which does
 * not depend on json-c); the text form is phys_window_format().
 */
#ifndef PHYSMEM_WINDOW_JSON_H
#define PHYSMEM_WINDOW_JSON_H

#include <json-c/json.h>
#include "libphys.h"

/*
 * Add W's fields to the object O:
 *   "name": string, "base", "size": numbers (absent if not resolved),
 *   "access": "ro"|"rw", "cache": "uc"|"wc", "shared", "pages": booleans,
 *   "source": string as in the text form,
 *   and for a loaded window "claimed", "mmap", "gone": booleans.
 * Grants to the device, only where the window has them: "dma_size" and
 * "dma_bits" (numbers; bits 64 when the rule gives no dma-mask), with
 * "dma_used" (number, loaded windows) when it grants dma; "irq": true.
 */
void window_json_add(struct json_object *o, const struct phys_window_info *w);

#endif /* PHYSMEM_WINDOW_JSON_H */
