// SPDX-License-Identifier: LGPL-2.1-or-later
/* Placeholder until the native importer lands. */
#include <errno.h>
#include "regmap.h"

static bool sniff(const char *data, size_t len) { return false; }
static int import(struct rm_builder *b, const char *data, size_t len) { return -ENOSYS; }
const struct rm_importer rm_import_native = { "native", sniff, import };
