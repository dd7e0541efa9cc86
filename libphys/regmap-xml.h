/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The XML side the SVD and IP-XACT importers share (libxml2): parsing
 * with line numbers and without network or entities, element look-up by
 * local name (so namespace prefixes do not matter), trimmed text.
 */
#ifndef LIBPHYS_REGMAP_XML_H
#define LIBPHYS_REGMAP_XML_H

#include <libxml/tree.h>

#include "regmap.h"

/* DATA as a document; NULL after rmb_error() with the parser's line and
 * message (-EINVAL), or -ENOMEM in *ERR. Free with xmlFreeDoc(). */
xmlDocPtr rmx_parse(struct rm_builder *b, const char *data, size_t len, int *err);

/* Is N an element with local name NAME? */
bool rmx_is(const xmlNode *n, const char *name);
/* The first element child of N named NAME (local name), or NULL. */
xmlNode *rmx_child(const xmlNode *n, const char *name);
/* The next element sibling after N named NAME, or NULL. */
xmlNode *rmx_next(const xmlNode *n, const char *name);
/* The text of N with blanks trimmed at both ends, malloc'ed (NULL: no
 * memory). */
char *rmx_text(const xmlNode *n);
/* rmx_text() of N's child NAME; NULL if there is none (*ERR 0) or no
 * memory (*ERR -ENOMEM). */
char *rmx_child_text(const xmlNode *n, const char *name, int *err);
/* The line N starts on. */
long rmx_line(const xmlNode *n);
/* The attribute NAME of N (no namespace, or any), malloc'ed, or NULL. */
char *rmx_attr(const xmlNode *n, const char *name);

#endif /* LIBPHYS_REGMAP_XML_H */
