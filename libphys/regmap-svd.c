// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The CMSIS-SVD importer (schema 1.3): device -> peripherals -> registers
 * and nested clusters -> fields -> enumerated values, handed to the
 * builder as expanded registers with absolute addresses and dotted names.
 *
 * derivedFrom is resolved as a chain of elements, the derived one first:
 * a property is taken from the first element of the chain that has it,
 * and a list of children (registers, fields, enumerated values) from the
 * first that has one, whole, so a derived element that lists its own
 * children replaces the base's instead of merging with them. Names in
 * derivedFrom are looked up in an index built on the first use: a dotted
 * path from a peripheral (or from an enclosing element), else the nearest
 * enclosing scope that has an element of that kind and name, the whole
 * device last.
 *
 * The file is untrusted: recursion is bounded (cluster nesting, derivedFrom
 * chains and the look-ups they cause), dim arrays are bounded and so is the
 * total that a file may expand to, and address arithmetic is checked.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regmap-xml.h"

/* A DOCTYPE or a licence comment may come before <device>. */
#define SVD_SNIFF_MAX	(16 * 1024)
/* Elements in one derivedFrom chain. */
#define SVD_CHAIN_MAX	16
/* derivedFrom look-ups in progress at once: a path through derived
 * elements resolves their bases first, which may need further paths. */
#define SVD_RESOLVE_MAX	64
/* Clusters inside clusters. */
#define SVD_NEST_MAX	32
/* Elements of one dim array. */
#define SVD_DIM_MAX	65536
/* Elements (clusters, registers, fields, enumerated values) a file may
 * expand to with its arrays and derivedFrom copies. */
#define SVD_WORK_MAX	(1UL << 22)
/* Nodes passed over in the lists walked for them: a list may hold more
 * than its items (comments, unknown elements), walked again each time. */
#define SVD_VISIT_MAX	(1UL << 28)

enum svd_kind { K_PERIPHERAL, K_CLUSTER, K_REGISTER, K_FIELD, K_ENUMS, K_NKINDS };

static const char *const kind_elem[K_NKINDS] = {
	[K_PERIPHERAL] = "peripheral", [K_CLUSTER] = "cluster", [K_REGISTER] = "register",
	[K_FIELD] = "field", [K_ENUMS] = "enumeratedValues",
};

/* The child elements the importer reads. In strcmp() order of their
 * names, which child_names[] lists in the same order: node_info() finds
 * them with bsearch(). */
enum svd_child {
	C_ACCESS, C_ADDRESS_OFFSET, C_ADDRESS_UNIT_BITS, C_BASE_ADDRESS, C_BIT_OFFSET,
	C_BIT_RANGE, C_BIT_WIDTH, C_CLUSTER, C_DESCRIPTION, C_DIM, C_DIM_INCREMENT,
	C_DIM_INDEX, C_ENUMERATED_VALUE, C_ENUMERATED_VALUES, C_FIELD, C_FIELDS,
	C_IS_DEFAULT, C_LSB, C_MAXIMUM, C_MINIMUM, C_MODIFIED_WRITE_VALUES, C_MSB, C_NAME,
	C_PERIPHERAL, C_PERIPHERALS, C_RANGE, C_READ_ACTION, C_REGISTER, C_REGISTERS,
	C_RESET_MASK, C_RESET_VALUE, C_SIZE, C_USAGE, C_USE_ENUMERATED_VALUES, C_VALUE,
	C_WRITE_AS_READ, C_WRITE_CONSTRAINT, C_NCHILDREN,
};

static const char *const child_names[C_NCHILDREN] = {
	"access", "addressOffset", "addressUnitBits", "baseAddress", "bitOffset",
	"bitRange", "bitWidth", "cluster", "description", "dim", "dimIncrement",
	"dimIndex", "enumeratedValue", "enumeratedValues", "field", "fields", "isDefault",
	"lsb", "maximum", "minimum", "modifiedWriteValues", "msb", "name", "peripheral",
	"peripherals", "range", "readAction", "register", "registers", "resetMask",
	"resetValue", "size", "usage", "useEnumeratedValues", "value", "writeAsRead",
	"writeConstraint",
};

/* Index entries: the element NAME of KIND somewhere inside SCOPE (the
 * first in document order), or with kind K_DIRECT a direct child of SCOPE
 * of any kind (what a step of a dotted path looks for). */
#define K_DIRECT	K_NKINDS

struct svd_ent {
	const xmlNode *scope;
	const char *name;
	xmlNode *node;
	int kind;
};

struct svd {
	struct rm_builder *b;
	xmlNode *device;
	/* the derivedFrom index, built on the first derivedFrom */
	struct svd_ent *tab;
	size_t mask, used;
	char **names;
	size_t nnames, cnames;
	bool indexed;
	struct node_info **infos;
	size_t ninfos, cinfos;
	unsigned int resolving;
	unsigned long work, visits;
	/* the children lists being expanded, outermost first: a cluster that
	 * derives from one that contains it would expand forever */
	const xmlNode *open[SVD_NEST_MAX + 1];
	unsigned int nopen;
};

/* An element and its derivedFrom bases, the element first. */
struct view {
	xmlNode *n[SVD_CHAIN_MAX];
	unsigned int len;
};

/* registerPropertiesGroup, as inherited down to a register */
struct props {
	unsigned int size;
	int access;
	uint64_t reset, mask;
	bool has_reset, has_mask;
};

/* dimElementGroup */
struct dim {
	uint64_t count, incr;
	bool array;
	uint64_t first;		/* numeric index of element 0 when ITEMS is NULL */
	char **items;		/* dimIndex list or letters */
	char *text;		/* what ITEMS point into */
};

struct svd_enum {
	char *name, *desc;
	uint64_t value;
	bool is_default, skip;
	long line;
	size_t order;
};

struct svd_field {
	char *name, *desc;
	unsigned int lsb, width;
	int access, write;
	enum phys_reg_read read;
	unsigned int constraint;
	uint64_t min, max;
	struct dim dim;
	struct svd_enum *enums;
	size_t nenums;
	long line;
};

/* ---- small helpers ---------------------------------------------------- */

static int kind_of(const xmlNode *n)
{
	for (int k = 0; k < K_NKINDS; k++)
		if (rmx_is(n, kind_elem[k]))
			return k;
	return -1;
}

/* The children of one element that the importer reads, the first of each
 * name, found in one pass over them and kept in the element's _private:
 * an element is read again for each element of an array around it and
 * for each element derived from it, and it may have many children. */
struct node_info {
	xmlNode *child[C_NCHILDREN];
};

static int child_cmp(const void *name, const void *entry)
{
	return strcmp(name, *(const char *const *)entry);
}

static struct node_info *node_info(struct svd *s, xmlNode *n)
{
	struct node_info *info = n->_private;

	if (info)
		return info;
	if (s->ninfos == s->cinfos) {
		size_t c = s->cinfos ? s->cinfos * 2 : 1024;
		struct node_info **a = realloc(s->infos, c * sizeof(*a));

		if (!a)
			return NULL;
		s->infos = a;
		s->cinfos = c;
	}
	info = calloc(1, sizeof(*info));
	if (!info)
		return NULL;
	for (xmlNode *c = n->children; c; c = c->next) {
		const char *const *hit;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		hit = bsearch(c->name, child_names, C_NCHILDREN, sizeof(child_names[0]), child_cmp);
		if (hit && !info->child[hit - child_names])
			info->child[hit - child_names] = c;
	}
	n->_private = info;
	s->infos[s->ninfos++] = info;
	return info;
}

/* N's first child element C (looked for again if there is no memory for
 * the info: slower, not wrong). */
static xmlNode *child(struct svd *s, const xmlNode *n, enum svd_child c)
{
	struct node_info *info = node_info(s, (xmlNode *)n);

	return info ? info->child[c] : rmx_child(n, child_names[c]);
}

static char *child_text(struct svd *s, const xmlNode *n, enum svd_child c, int *err)
{
	xmlNode *x = child(s, n, c);
	char *t;

	*err = 0;
	if (!x)
		return NULL;
	t = rmx_text(x);
	if (!t)
		*err = -ENOMEM;
	return t;
}

/* The element after N among its siblings, NULL at the end or once the
 * lists walked have passed SVD_VISIT_MAX nodes (the expansion then fails
 * at its next count_work()). */
static xmlNode *next_elem(struct svd *s, const xmlNode *n)
{
	for (n = n->next; n && ++s->visits <= SVD_VISIT_MAX; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return (xmlNode *)n;
	return NULL;
}

static xmlNode *first_elem(struct svd *s, const xmlNode *parent)
{
	xmlNode *c = parent->children;

	return !c || c->type == XML_ELEMENT_NODE ? c : next_elem(s, c);
}

static xmlNode *vchild(struct svd *s, const struct view *v, enum svd_child c)
{
	for (unsigned int i = 0; i < v->len; i++) {
		xmlNode *x = child(s, v->n[i], c);

		if (x)
			return x;
	}
	return NULL;
}

static bool has_items(struct svd *s, const xmlNode *n)
{
	return child(s, n, C_REGISTER) || child(s, n, C_CLUSTER);
}

/* The element whose children are the sub-elements N itself lists (not
 * its base), or NULL: a peripheral's <registers>, a register's <fields>,
 * a cluster, field or enumeratedValues holding them directly. */
static xmlNode *own_children(struct svd *s, xmlNode *n, int kind)
{
	switch (kind) {
	case K_PERIPHERAL:
		return child(s, n, C_REGISTERS);
	case K_CLUSTER:
		return has_items(s, n) ? n : NULL;
	case K_REGISTER:
		return child(s, n, C_FIELDS);
	case K_FIELD:
		return child(s, n, C_ENUMERATED_VALUES) ? n : NULL;
	case K_ENUMS:
		return child(s, n, C_ENUMERATED_VALUE) ? n : NULL;
	}
	return NULL;
}

static xmlNode *view_children(struct svd *s, const struct view *v, int kind)
{
	for (unsigned int i = 0; i < v->len; i++) {
		xmlNode *c = own_children(s, v->n[i], kind);

		if (c)
			return c;
	}
	return NULL;
}

/* A description on one line: blank runs (the file's indentation and line
 * breaks) become one space. */
static void squeeze(char *s)
{
	char *start = s, *d = s;
	bool blank = false;

	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			blank = true;
			continue;
		}
		if (blank && d != start)
			*d++ = ' ';
		blank = false;
		*d++ = *s;
	}
	*d = '\0';
}

static char *vdesc(struct svd *s, const struct view *v, int *err)
{
	xmlNode *c = vchild(s, v, C_DESCRIPTION);
	char *t;

	*err = 0;
	if (!c)
		return NULL;
	t = rmx_text(c);
	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	squeeze(t);
	return t;
}

static bool count_work(struct svd *s, uint64_t n)
{
	if (n > SVD_WORK_MAX - s->work || s->visits > SVD_VISIT_MAX)
		return false;
	s->work += n;
	return true;
}

static int too_big(struct svd *s, const xmlNode *n)
{
	if (s->visits > SVD_VISIT_MAX)
		return rmb_error(s->b, rmx_line(n),
				 "the file expands to more than %lu nodes to read (arrays and derivedFrom copies)",
				 SVD_VISIT_MAX);
	return rmb_error(s->b, rmx_line(n),
			 "the file expands to more than %lu elements (arrays and derivedFrom copies)",
			 SVD_WORK_MAX);
}

/* ---- values ------------------------------------------------------------- */

/* T, malloc'ed and about to be freed, made fit for a one-line message:
 * control characters as '?', cut at 64 characters. */
static const char *shown(char *t)
{
	for (char *p = t; *p; p++)
		if (iscntrl((unsigned char)*p))
			*p = '?';
	if (strlen(t) > 64)
		strcpy(t + 61, "...");
	return t;
}

/* scaledNonNegativeInteger: rm_parse_u64()'s forms plus SVD's scale
 * suffix k, M, G, T, taken as powers of 1024 (what sizes mean). */
static int svd_number(const char *text, uint64_t *val)
{
	static const char scale[] = "kmgt";
	size_t len = strlen(text);
	const char *k;
	char *copy;
	int err;

	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	if (len < 2 || !(k = strchr(scale, tolower((unsigned char)text[len - 1]))) || !*k)
		return rm_parse_u64(text, val);
	copy = strndup(text, len - 1);
	if (!copy)
		return -ENOMEM;
	err = rm_parse_u64(copy, val);
	free(copy);
	for (const char *p = scale; !err && p <= k; p++)
		if (__builtin_mul_overflow(*val, 1024, val))
			err = -ERANGE;
	return err;
}

/* The number in element C. */
static int node_num(struct svd *s, const xmlNode *c, uint64_t *val)
{
	char *t = rmx_text(c);
	int err;

	if (!t)
		return -ENOMEM;
	err = svd_number(t, val);
	if (err && err != -ENOMEM)
		err = rmb_error(s->b, rmx_line(c), "<%s>: '%s' is not a number%s", (const char *)c->name,
				shown(t), err == -ERANGE ? " (over 64 bits)" : "");
	free(t);
	return err;
}

/* The number of the view's element NAME; *HAVE false (and *VAL as it
 * was) if no element of the chain has one. */
static int vnum(struct svd *s, const struct view *v, enum svd_child name, uint64_t *val,
		bool *have)
{
	xmlNode *c = vchild(s, v, name);
	int err;

	*have = false;
	if (!c)
		return 0;
	err = node_num(s, c, val);
	*have = !err;
	return err;
}

/* A word of element C converted by CONV (rm_access_from...). */
static int node_word(struct svd *s, const xmlNode *c, int (*conv)(const char *), int *val)
{
	char *t = rmx_text(c);
	int r;

	if (!t)
		return -ENOMEM;
	r = conv(t);
	if (r < 0)
		r = rmb_error(s->b, rmx_line(c), "<%s>: unknown value '%s'", (const char *)c->name,
				  shown(t));
	else
		*val = r;
	free(t);
	return r < 0 ? r : 0;
}

static int vword(struct svd *s, const struct view *v, enum svd_child name,
		 int (*conv)(const char *), int *val)
{
	xmlNode *c = vchild(s, v, name);

	return c ? node_word(s, c, conv, val) : 0;
}

static int node_bool(struct svd *s, const xmlNode *c, bool *val)
{
	char *t = rmx_text(c);
	int err = 0;

	if (!t)
		return -ENOMEM;
	if (!strcmp(t, "true") || !strcmp(t, "1"))
		*val = true;
	else if (!strcmp(t, "false") || !strcmp(t, "0"))
		*val = false;
	else
		err = rmb_error(s->b, rmx_line(c), "<%s>: '%s' is not true or false",
				(const char *)c->name, shown(t));
	free(t);
	return err;
}

/* The name of element N (its own: a derived element names itself),
 * which it must have. A part of a dotted path (PATH) has no blanks and
 * no dots; no name has control characters. */
static int own_name(struct svd *s, const xmlNode *n, bool path, char **name)
{
	int err;

	*name = child_text(s, n, C_NAME, &err);
	if (err)
		return err;
	if (!*name || !**name) {
		free(*name);
		*name = NULL;
		return rmb_error(s->b, rmx_line(n), "<%s> without a <name>", (const char *)n->name);
	}
	for (const char *p = *name; *p; p++) {
		if (iscntrl((unsigned char)*p) || (path && (isspace((unsigned char)*p) || *p == '.'))) {
			err = rmb_error(s->b, rmx_line(n), "<%s> name '%s': %s", (const char *)n->name,
					shown(*name), path ? "no blanks, dots or control characters"
							   : "no control characters");
			free(*name);
			*name = NULL;
			return err;
		}
	}
	return 0;
}

/* ---- the derivedFrom index ------------------------------------------- */

static uint64_t ent_hash(const xmlNode *scope, int kind, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ ((uint64_t)(uintptr_t)scope * 0x9e3779b97f4a7c15ULL);

	h ^= (uint64_t)kind << 56;
	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 0x100000001b3ULL;
	return h ^ (h >> 31);
}

static struct svd_ent *ent_slot(struct svd_ent *tab, size_t mask, const xmlNode *scope,
				int kind, const char *name)
{
	size_t i = ent_hash(scope, kind, name) & mask;

	while (tab[i].node && !(tab[i].scope == scope && tab[i].kind == kind &&
				!strcmp(tab[i].name, name)))
		i = (i + 1) & mask;
	return &tab[i];
}

static xmlNode *lookup(const struct svd *s, const xmlNode *scope, int kind, const char *name)
{
	if (!s->tab)
		return NULL;
	return ent_slot(s->tab, s->mask, scope, kind, name)->node;
}

/* Adds NODE unless SCOPE already has an element of that kind and name:
 * the first in the file wins. */
static int ent_add(struct svd *s, const xmlNode *scope, int kind, const char *name, xmlNode *node)
{
	struct svd_ent *e;

	if ((s->used + 1) * 2 > s->mask + 1 || !s->tab) {
		size_t cap = s->tab ? (s->mask + 1) * 2 : 4096;
		struct svd_ent *tab = calloc(cap, sizeof(*tab));

		if (!tab)
			return -ENOMEM;
		for (size_t i = 0; s->tab && i <= s->mask; i++)
			if (s->tab[i].node)
				*ent_slot(tab, cap - 1, s->tab[i].scope, s->tab[i].kind,
					  s->tab[i].name) = s->tab[i];
		free(s->tab);
		s->tab = tab;
		s->mask = cap - 1;
	}
	e = ent_slot(s->tab, s->mask, scope, kind, name);
	if (e->node)
		return 0;
	*e = (struct svd_ent){ .scope = scope, .name = name, .node = node, .kind = kind };
	s->used++;
	return 0;
}

/* N, of KIND, inside the elements ANC[0..NANC-1] (device first). */
static int index_add(struct svd *s, const xmlNode **anc, unsigned int nanc, xmlNode *n, int kind)
{
	char *name;
	int err;

	name = child_text(s, n, C_NAME, &err);
	if (!name || !*name) {
		free(name);
		return err;		/* nameless: nothing derives from it */
	}
	if (s->nnames == s->cnames) {
		size_t c = s->cnames ? s->cnames * 2 : 1024;
		char **names = realloc(s->names, c * sizeof(*names));

		if (!names) {
			free(name);
			return -ENOMEM;
		}
		s->names = names;
		s->cnames = c;
	}
	s->names[s->nnames++] = name;
	err = ent_add(s, anc[nanc - 1], K_DIRECT, name, n);
	for (unsigned int i = 0; !err && i < nanc; i++)
		err = ent_add(s, anc[i], kind, name, n);
	return err;
}

static int index_fields(struct svd *s, const xmlNode **anc, unsigned int nanc, xmlNode *reg)
{
	xmlNode *fields = child(s, reg, C_FIELDS);
	int err = 0;

	for (xmlNode *f = fields ? child(s, fields, C_FIELD) : NULL; f && !err;
	     f = rmx_next(f, "field")) {
		err = index_add(s, anc, nanc, f, K_FIELD);
		anc[nanc] = f;
		for (xmlNode *e = child(s, f, C_ENUMERATED_VALUES); e && !err;
		     e = rmx_next(e, "enumeratedValues"))
			err = index_add(s, anc, nanc + 1, e, K_ENUMS);
	}
	return err;
}

/* The registers and clusters in ITEMS, whose scope is ANC[NANC - 1]. */
static int index_items(struct svd *s, const xmlNode **anc, unsigned int nanc, xmlNode *items)
{
	int err = 0;

	/* deeper than expansion allows: it refuses the file anyway */
	if (nanc > SVD_NEST_MAX + 1)
		return 0;
	for (xmlNode *c = items->children; c && !err; c = c->next) {
		if (rmx_is(c, "register")) {
			err = index_add(s, anc, nanc, c, K_REGISTER);
			anc[nanc] = c;
			if (!err)
				err = index_fields(s, anc, nanc + 1, c);
		} else if (rmx_is(c, "cluster")) {
			err = index_add(s, anc, nanc, c, K_CLUSTER);
			anc[nanc] = c;
			if (!err)
				err = index_items(s, anc, nanc + 1, c);
		}
	}
	return err;
}

static int index_build(struct svd *s)
{
	const xmlNode *anc[SVD_NEST_MAX + 8];
	xmlNode *ps = child(s, s->device, C_PERIPHERALS);
	int err = 0;

	s->indexed = true;
	anc[0] = s->device;
	for (xmlNode *p = ps ? child(s, ps, C_PERIPHERAL) : NULL; p && !err;
	     p = rmx_next(p, "peripheral")) {
		xmlNode *regs = child(s, p, C_REGISTERS);

		err = index_add(s, anc, 1, p, K_PERIPHERAL);
		anc[1] = p;
		if (!err && regs)
			err = index_items(s, anc, 2, regs);
	}
	return err;
}

/* ---- derivedFrom -------------------------------------------------------- */

static int view_of(struct svd *s, xmlNode *n, int kind, struct view *v);

/* The sub-element NAME of element X as X's view has it (its own, else
 * its base's) in *FOUND; NULL if none. */
static int path_step(struct svd *s, xmlNode *x, const char *name, xmlNode **found)
{
	int kind = kind_of(x);
	struct view v;
	int err;

	*found = NULL;
	if (kind < 0 || kind == K_ENUMS)
		return 0;
	err = view_of(s, x, kind, &v);
	for (unsigned int i = 0; !err && i < v.len; i++) {
		*found = lookup(s, v.n[i], K_DIRECT, name);
		if (*found || own_children(s, v.n[i], kind))
			break;
	}
	return err;
}

/* The structural elements around N, nearest first, the device last. */
static unsigned int scopes_of(const struct svd *s, const xmlNode *n, const xmlNode **out,
			      unsigned int max)
{
	unsigned int k = 0;

	for (n = n->parent; n && n != s->device && k + 1 < max; n = n->parent)
		if (kind_of(n) >= 0 && kind_of(n) != K_ENUMS)
			out[k++] = n;
	out[k++] = s->device;
	return k;
}

/* PATH ("A.B.C", modified) from START, one step per component after the
 * first, START being the element the first names. */
static int walk_path(struct svd *s, xmlNode *start, char *rest, xmlNode **found)
{
	xmlNode *x = start;
	int err = 0;

	while (x && rest && !err) {
		char *dot = strchr(rest, '.');

		if (dot)
			*dot = '\0';
		err = path_step(s, x, rest, &x);
		rest = dot ? dot + 1 : NULL;
	}
	*found = x;
	return err;
}

/* The element REF names, of KIND, as derivedFrom of N: NULL if none. */
static int resolve(struct svd *s, xmlNode *n, int kind, const char *ref, xmlNode **base)
{
	const xmlNode *scopes[SVD_NEST_MAX + 8];
	unsigned int nscopes;
	char *path = NULL;
	int err = 0;

	*base = NULL;
	if (!s->indexed) {
		err = index_build(s);
		if (err)
			return err;
	}
	nscopes = scopes_of(s, n, scopes, sizeof(scopes) / sizeof(scopes[0]));
	if (!strchr(ref, '.')) {
		/* an element does not derive from itself: "EN" in another
		 * register's field EN means that one */
		for (unsigned int i = 0; i < nscopes && !*base; i++)
			if ((*base = lookup(s, scopes[i], kind, ref)) == n)
				*base = NULL;
		return 0;
	}
	/* A dotted path: from a peripheral, else from an element of an
	 * enclosing scope ("CLUSTER.REG" inside the peripheral). */
	for (unsigned int i = nscopes; i-- > 0 && !err && !*base;) {
		xmlNode *start;
		char *rest;

		free(path);
		path = strdup(ref);
		if (!path)
			return -ENOMEM;
		rest = strchr(path, '.');
		*rest++ = '\0';
		start = lookup(s, scopes[i], K_DIRECT, path);
		if (start)
			err = walk_path(s, start, rest, base);
		if (*base && kind_of(*base) != kind)
			*base = NULL;
	}
	free(path);
	return err;
}

/* "A -> B -> A": the names around a derivedFrom cycle. */
static int cycle_error(struct svd *s, const struct view *v, const xmlNode *again, int kind)
{
	char names[256] = "";
	size_t len = 0;

	for (unsigned int i = 0; i <= v->len && len < sizeof(names); i++) {
		const xmlNode *n = i < v->len ? v->n[i] : again;
		char *name;
		int err;

		name = child_text(s, n, C_NAME, &err);
		len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", i ? " -> " : "",
					name ? name : "?");
		free(name);
	}
	return rmb_error(s->b, rmx_line(v->n[0]), "<%s> derivedFrom cycle: %s", kind_elem[kind],
			 names);
}

/* N and its bases. */
static int view_of(struct svd *s, xmlNode *n, int kind, struct view *v)
{
	int err = 0;

	v->len = 0;
	while (n && !err) {
		xmlNode *base;
		char *ref;

		for (unsigned int i = 0; i < v->len; i++)
			if (v->n[i] == n)
				return cycle_error(s, v, n, kind);
		if (v->len == SVD_CHAIN_MAX)
			return rmb_error(s->b, rmx_line(v->n[0]),
					 "<%s> derivedFrom chain longer than %d", kind_elem[kind],
					 SVD_CHAIN_MAX);
		v->n[v->len++] = n;
		ref = rmx_attr(n, "derivedFrom");
		if (!ref)
			break;
		if (s->resolving >= SVD_RESOLVE_MAX) {
			err = rmb_error(s->b, rmx_line(n),
					"derivedFrom '%s': bases nested too deeply (a cycle?)", shown(ref));
		} else if (!*ref) {
			err = rmb_error(s->b, rmx_line(n), "<%s>: empty derivedFrom",
					kind_elem[kind]);
		} else {
			s->resolving++;
			err = resolve(s, n, kind, ref, &base);
			s->resolving--;
			if (!err && !base)
				err = rmb_error(s->b, rmx_line(n), "derivedFrom '%s': no such %s",
						shown(ref), kind_elem[kind]);
			n = base;
		}
		free(ref);
	}
	return err;
}

/* ---- arrays ----------------------------------------------------------- */

static void dim_free(struct dim *d)
{
	free(d->items);
	free(d->text);
	*d = (struct dim){ 0 };
}

/* dimIndex: "0-3", "A-D" or "a,b,c"; it must have D->count entries. */
static int dim_index(struct svd *s, const xmlNode *c, struct dim *d)
{
	static const char digits[] = "0123456789";
	static const char ident[] = "_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char *t = rmx_text(c), *p, *save;
	size_t n = 0, len;

	if (!t)
		return -ENOMEM;
	d->text = t;
	len = strspn(t, digits);
	if (len && t[len] == '-' && t[len + 1] && strspn(t + len + 1, digits) == strlen(t + len + 1)) {
		uint64_t a, z;
		int err;

		t[len] = '\0';
		err = rm_parse_u64(t, &a) || rm_parse_u64(t + len + 1, &z);
		t[len] = '-';
		if (err || z < a || z - a + 1 != d->count)
			goto mismatch;
		d->first = a;
		return 0;
	}
	if (strlen(t) == 3 && isupper((unsigned char)t[0]) && t[1] == '-' &&
	    isupper((unsigned char)t[2])) {
		char first = t[0], last = t[2];

		if (last < first || (uint64_t)(last - first + 1) != d->count)
			goto mismatch;
		d->items = calloc(d->count, sizeof(*d->items));
		p = malloc(d->count * 2);
		if (!d->items || !p) {
			free(p);
			return -ENOMEM;
		}
		free(d->text);
		d->text = p;
		for (uint64_t i = 0; i < d->count; i++, p += 2) {
			p[0] = (char)(first + i);
			p[1] = '\0';
			d->items[i] = p;
		}
		return 0;
	}
	for (p = t; *p; p++)
		n += *p == ',';
	if (n + 1 != d->count)
		goto mismatch;
	d->items = calloc(d->count, sizeof(*d->items));
	if (!d->items)
		return -ENOMEM;
	n = 0;
	for (p = strtok_r(t, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		char *q = p + strlen(p);

		p += strspn(p, " \t\r\n");
		while (q > p && isspace((unsigned char)q[-1]))
			*--q = '\0';
		if (!*p || p[strspn(p, ident)])
			return rmb_error(s->b, rmx_line(c), "<dimIndex>: bad entry '%s'", shown(p));
		d->items[n++] = p;
	}
	if (n == d->count)
		return 0;
mismatch:
	return rmb_error(s->b, rmx_line(c), "<dimIndex> does not have dim (%" PRIu64 ") entries",
			 d->count);
}

static int dim_read(struct svd *s, const struct view *v, const char *name, struct dim *d)
{
	xmlNode *c = vchild(s, v, C_DIM);
	bool have;
	int err;

	*d = (struct dim){ .count = 1 };
	if (!c)
		goto plain;
	d->array = true;
	err = node_num(s, c, &d->count);
	if (err)
		return err;
	if (!d->count || d->count > SVD_DIM_MAX)
		return rmb_error(s->b, rmx_line(c), "<dim> %" PRIu64 ": not 1 to %d",
				 d->count, SVD_DIM_MAX);
	err = vnum(s, v, C_DIM_INCREMENT, &d->incr, &have);
	if (err)
		return err;
	if (!have && d->count > 1)
		return rmb_error(s->b, rmx_line(c), "'%s': <dim> without <dimIncrement>", name);
	c = vchild(s, v, C_DIM_INDEX);
	if (c) {
		err = dim_index(s, c, d);
		if (err)
			return err;
	}
	if (!strstr(name, "%s") && d->count > 1)
		return rmb_error(s->b, rmx_line(v->n[0]),
				 "'%s': an array (dim %" PRIu64 ") needs %%s in its name", name, d->count);
	return 0;
plain:
	if (strstr(name, "%s"))
		return rmb_error(s->b, rmx_line(v->n[0]), "'%s': %%s in the name but no <dim>", name);
	return 0;
}

/* TEMPLATE with every %s replaced by element I's index, after PREFIX and
 * a dot if PREFIX is not NULL. */
static char *dim_name(const struct dim *d, uint64_t i, const char *prefix, const char *template)
{
	char num[24];
	const char *idx = num, *p;
	size_t len, n = 0;
	char *out, *o;

	if (d->items)
		idx = d->items[i];
	else
		snprintf(num, sizeof(num), "%" PRIu64, d->first + i);
	for (p = template; (p = strstr(p, "%s")); p += 2)
		n++;
	len = strlen(template) + n * strlen(idx) + (prefix ? strlen(prefix) + 1 : 0) + 1;
	out = malloc(len);
	if (!out)
		return NULL;
	o = out;
	if (prefix)
		o += sprintf(o, "%s.", prefix);
	for (p = template; *p;) {
		if (d->array && p[0] == '%' && p[1] == 's') {
			o = stpcpy(o, idx);
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

/* BASE + OFF + I * INCR, or false if it overflows. */
static bool element_address(uint64_t base, uint64_t off, uint64_t i, uint64_t incr,
			    uint64_t *addr)
{
	uint64_t step;

	return !__builtin_mul_overflow(i, incr, &step) &&
	       !__builtin_add_overflow(base, off, addr) &&
	       !__builtin_add_overflow(*addr, step, addr);
}

/* ---- register properties ------------------------------------------------ */

static int props_apply(struct svd *s, const struct view *v, struct props *p)
{
	xmlNode *c = vchild(s, v, C_SIZE);
	uint64_t val;
	bool have;
	int err;

	if (c) {
		err = node_num(s, c, &val);
		if (err)
			return err;
		if (val != 8 && val != 16 && val != 32 && val != 64)
			return rmb_error(s->b, rmx_line(c), "<size> %" PRIu64 ": not 8, 16, 32 or 64",
					 val);
		p->size = (unsigned int)val;
	}
	err = vword(s, v, C_ACCESS, rm_access_from, &p->access);
	if (!err)
		err = vnum(s, v, C_RESET_VALUE, &p->reset, &have);
	if (!err && have)
		p->has_reset = true;
	if (!err)
		err = vnum(s, v, C_RESET_MASK, &p->mask, &have);
	if (!err && have)
		p->has_mask = true;
	return err;
}

/* ---- fields and enumerated values ------------------------------------- */

static void enums_free(struct svd_enum *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].desc);
	}
	free(e);
}

static void field_free(struct svd_field *f)
{
	free(f->name);
	free(f->desc);
	dim_free(&f->dim);
	enums_free(f->enums, f->nenums);
}

static int enum_cmp(const void *a, const void *b)
{
	const struct svd_enum *x = *(struct svd_enum *const *)a, *y = *(struct svd_enum *const *)b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* The enumeratedValues of a field (one per usage) often repeat the same
 * name with the same value: the first is kept. The same name with
 * another value is kept too: it still decodes that value (files list
 * "RESERVED" several times), and encoding takes the first. Sorted, not
 * compared pairwise: a field may have thousands. */
static int enums_dedup(struct svd_enum *e, size_t n)
{
	struct svd_enum **sorted;

	if (n < 2)
		return 0;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		sorted[i] = &e[i];
	qsort(sorted, n, sizeof(*sorted), enum_cmp);
	for (size_t i = 1; i < n; i++)
		sorted[i]->skip = !strcmp(sorted[i]->name, sorted[i - 1]->name) &&
				  sorted[i]->value == sorted[i - 1]->value;
	free(sorted);
	return 0;
}

/* Don't-care bits of an enumerated value ("#1x0", "0b1x0") expanded into
 * every value they match, up to this many; beyond, x is read as 0. */
#define SVD_DONTCARE_MAX	4

/* The bits written 'x' in the binary value TEXT, 0 if none or another form. */
static uint64_t dont_care(const char *t)
{
	uint64_t mask = 0;

	t += strspn(t, " \t\r\n+");
	if (*t == '#')
		t++;
	else if (t[0] == '0' && (t[1] == 'b' || t[1] == 'B'))
		t += 2;
	else
		return 0;
	for (; *t == '0' || *t == '1' || *t == 'x' || *t == 'X'; t++) {
		if (mask >> 63)
			return 0;	/* over 64 bits: rm_parse_u64() refuses it */
		mask = mask << 1 | (*t == 'x' || *t == 'X');
	}
	return mask;
}

/* One enumeratedValue: its value with don't-care bits as 0, and those bits
 * in *DC (0 for isDefault). */
static int enum_read(struct svd *s, xmlNode *n, struct svd_enum *e, uint64_t *dc)
{
	xmlNode *value = child(s, n, C_VALUE), *def = child(s, n, C_IS_DEFAULT);
	int err;

	*dc = 0;
	e->line = rmx_line(n);
	err = own_name(s, n, false, &e->name);
	if (err)
		return err;
	e->desc = child_text(s, n, C_DESCRIPTION, &err);
	if (err)
		return err;
	if (e->desc)
		squeeze(e->desc);
	if (def) {
		err = node_bool(s, def, &e->is_default);
		if (err)
			return err;
	}
	if (value) {
		char *t = rmx_text(value);

		if (!t)
			return -ENOMEM;
		*dc = dont_care(t);
		free(t);
		return node_num(s, value, &e->value);
	}
	if (!e->is_default)
		return rmb_error(s->b, e->line, "enumeratedValue '%s' without <value> or <isDefault>",
				 e->name);
	return 0;
}

/* Room for N more enumerated values in F. */
static int enums_grow(struct svd_field *f, size_t *cap, size_t n)
{
	size_t c = *cap ? *cap : 8;
	struct svd_enum *a;

	if (f->nenums + n <= *cap)
		return 0;
	while (c < f->nenums + n)
		c *= 2;
	a = realloc(f->enums, c * sizeof(*a));
	if (!a)
		return -ENOMEM;
	f->enums = a;
	*cap = c;
	return 0;
}

/* E's copies for each other combination of the don't-care bits DC. */
static int enum_expand(struct svd_field *f, size_t *cap, const struct svd_enum *e, uint64_t dc)
{
	size_t first = (size_t)(e - f->enums);
	int err = enums_grow(f, cap, ((size_t)1 << __builtin_popcountll(dc)) - 1);

	if (err)
		return err;
	e = &f->enums[first];	/* moved by realloc */
	/* each non-empty subset of DC, in ascending order */
	for (uint64_t sub = -dc & dc; sub; sub = (sub - dc) & dc) {
		struct svd_enum *c = &f->enums[f->nenums];

		*c = *e;
		c->order = f->nenums++;
		c->value = e->value | sub;
		c->name = strdup(e->name);
		c->desc = e->desc ? strdup(e->desc) : NULL;
		if (!c->name || (e->desc && !c->desc))
			return -ENOMEM;
	}
	return 0;
}

static int enums_read(struct svd *s, const struct view *fv, struct svd_field *f)
{
	xmlNode *holder = view_children(s, fv, K_FIELD);
	size_t cap = 0;
	int err = 0;

	for (xmlNode *ev = holder ? child(s, holder, C_ENUMERATED_VALUES) : NULL; ev && !err;
	     ev = next_elem(s, ev)) {
		struct view v;
		xmlNode *values, *usage;

		if (!rmx_is(ev, "enumeratedValues"))
			continue;
		err = view_of(s, ev, K_ENUMS, &v);
		if (err)
			break;
		usage = vchild(s, &v, C_USAGE);
		if (usage) {
			char *t = rmx_text(usage);

			if (!t)
				return -ENOMEM;
			if (strcmp(t, "read") && strcmp(t, "write") && strcmp(t, "read-write"))
				err = rmb_error(s->b, rmx_line(usage), "<usage>: unknown value '%s'",
						shown(t));
			free(t);
		}
		values = view_children(s, &v, K_ENUMS);
		if (!values && !err)
			err = rmb_error(s->b, rmx_line(ev), "<enumeratedValues> without <enumeratedValue>");
		for (xmlNode *e = values ? child(s, values, C_ENUMERATED_VALUE) : NULL; e && !err;
		     e = next_elem(s, e)) {
			uint64_t dc;

			if (!rmx_is(e, "enumeratedValue"))
				continue;
			if (!count_work(s, 1))
				return too_big(s, e);
			err = enums_grow(f, &cap, 1);
			if (err)
				return err;
			f->enums[f->nenums] = (struct svd_enum){ .order = f->nenums };
			err = enum_read(s, e, &f->enums[f->nenums++], &dc);
			if (!err && dc && __builtin_popcountll(dc) <= SVD_DONTCARE_MAX) {
				if (!count_work(s, (1U << __builtin_popcountll(dc)) - 1))
					return too_big(s, e);
				err = enum_expand(f, &cap, &f->enums[f->nenums - 1], dc);
			}
		}
	}
	return err ? err : enums_dedup(f->enums, f->nenums);
}

/* "[MSB:LSB]", blanks allowed around the numbers; bits below 64. */
static bool bit_range(const char *t, unsigned int *msb, unsigned int *lsb)
{
	unsigned int *out[2] = { msb, lsb };
	const char *p = t;

	if (*p++ != '[')
		return false;
	for (int i = 0; i < 2; i++) {
		size_t digits;
		unsigned int v = 0;

		p += strspn(p, " \t");
		digits = strspn(p, "0123456789");
		if (!digits || digits > 2)
			return false;
		while (digits--)
			v = v * 10 + (unsigned int)(*p++ - '0');
		if (v >= 64)
			return false;
		*out[i] = v;
		p += strspn(p, " \t");
		if (*p++ != (i ? ']' : ':'))
			return false;
	}
	return !*p;
}

/* What element N says of the field's bits: RANGE_LSB (bitOffset
 * without bitWidth), RANGE_WIDTH (bitWidth without bitOffset), both or
 * neither. */
#define RANGE_LSB	1
#define RANGE_WIDTH	2

static int node_bits(struct svd *s, const xmlNode *n, const char *fname, uint64_t *lsb,
		     uint64_t *width, int *has)
{
	xmlNode *c, *c2;
	uint64_t msb;
	int err = 0;

	*has = 0;
	c = child(s, n, C_LSB);
	c2 = child(s, n, C_MSB);
	if (c || c2) {
		if (!c || !c2)
			return rmb_error(s->b, rmx_line(c ? c : c2), "field '%s': <%s> without <%s>",
					 fname, c ? "lsb" : "msb", c ? "msb" : "lsb");
		err = node_num(s, c, lsb);
		if (!err)
			err = node_num(s, c2, &msb);
		if (!err && msb < *lsb)
			return rmb_error(s->b, rmx_line(c2), "field '%s': msb %" PRIu64
					 " below lsb %" PRIu64, fname, msb, *lsb);
		*width = msb - *lsb + 1;
		*has = RANGE_LSB | RANGE_WIDTH;
		return err;
	}
	if ((c = child(s, n, C_BIT_RANGE))) {
		unsigned int m = 0, l = 0;
		char *t = rmx_text(c);

		if (!t)
			return -ENOMEM;
		if (!bit_range(t, &m, &l) || m < l)
			err = rmb_error(s->b, rmx_line(c), "field '%s': <bitRange> '%s' is not [MSB:LSB]",
					fname, shown(t));
		free(t);
		*lsb = l;
		*width = m - l + 1;
		*has = RANGE_LSB | RANGE_WIDTH;
		return err;
	}
	if ((c = child(s, n, C_BIT_OFFSET))) {
		err = node_num(s, c, lsb);
		*has |= RANGE_LSB;
	}
	if (!err && (c = child(s, n, C_BIT_WIDTH))) {
		err = node_num(s, c, width);
		*has |= RANGE_WIDTH;
	}
	return err;
}

/* The bit range of the field: from the first element of the chain that
 * gives one, in whichever of the three forms it uses. bitOffset and
 * bitWidth are taken one by one, so a derived field can move its base
 * and keep its width; without a bitWidth anywhere a field is one bit. */
static int field_bits(struct svd *s, const struct view *v, struct svd_field *f)
{
	uint64_t lsb = 0, width = 1;
	int have = 0, err = 0;

	for (unsigned int i = 0; i < v->len && !err && have != (RANGE_LSB | RANGE_WIDTH); i++) {
		uint64_t l = 0, w = 0;
		int has;

		err = node_bits(s, v->n[i], f->name, &l, &w, &has);
		has &= ~have;
		if (has & RANGE_LSB)
			lsb = l;
		if (has & RANGE_WIDTH)
			width = w;
		have |= has;
	}
	if (err)
		return err;
	if (!(have & RANGE_LSB))
		return rmb_error(s->b, f->line,
				 "field '%s' without <bitOffset>, <lsb>/<msb> or <bitRange>", f->name);
	if (!width || lsb >= 64 || width > 64 - lsb)
		return rmb_error(s->b, f->line, "field '%s': bits %" PRIu64 " + %" PRIu64
				 " are not within 64 bits", f->name, lsb, width);
	f->lsb = (unsigned int)lsb;
	f->width = (unsigned int)width;
	return 0;
}

static int write_constraint(struct svd *s, const struct view *v, struct svd_field *f)
{
	xmlNode *c = vchild(s, v, C_WRITE_CONSTRAINT), *x;
	bool on;
	int err;

	if (!c)
		return 0;
	if ((x = child(s, c, C_WRITE_AS_READ)))
		return node_bool(s, x, &on);	/* the values read: no constraint of ours */
	if ((x = child(s, c, C_USE_ENUMERATED_VALUES))) {
		err = node_bool(s, x, &on);
		if (!err && on)
			f->constraint = 1;
		return err;
	}
	if ((x = child(s, c, C_RANGE))) {
		xmlNode *lo = child(s, x, C_MINIMUM), *hi = child(s, x, C_MAXIMUM);

		if (!lo || !hi)
			return rmb_error(s->b, rmx_line(x), "<range> needs <minimum> and <maximum>");
		err = node_num(s, lo, &f->min);
		if (!err)
			err = node_num(s, hi, &f->max);
		if (!err && f->min > f->max)
			err = rmb_error(s->b, rmx_line(x), "<range>: minimum above maximum");
		if (!err)
			f->constraint = 2;
		return err;
	}
	return rmb_error(s->b, rmx_line(c),
			 "<writeConstraint> without writeAsRead, useEnumeratedValues or range");
}

static int field_read(struct svd *s, xmlNode *n, struct svd_field *f)
{
	struct view v;
	int read = PHYS_READ_NONE;
	int err;

	*f = (struct svd_field){ .access = RMB_INHERIT, .write = RMB_INHERIT, .line = rmx_line(n) };
	err = own_name(s, n, true, &f->name);
	if (!err)
		err = view_of(s, n, K_FIELD, &v);
	if (!err)
		f->desc = vdesc(s, &v, &err);
	if (!err)
		err = dim_read(s, &v, f->name, &f->dim);
	if (!err)
		err = field_bits(s, &v, f);
	if (!err)
		err = vword(s, &v, C_ACCESS, rm_access_from, &f->access);
	if (!err)
		err = vword(s, &v, C_MODIFIED_WRITE_VALUES, rm_write_from, &f->write);
	if (!err)
		err = vword(s, &v, C_READ_ACTION, rm_read_from, &read);
	f->read = (enum phys_reg_read)read;
	if (!err)
		err = write_constraint(s, &v, f);
	if (!err)
		err = enums_read(s, &v, f);
	return err;
}

/* ---- registers, clusters, peripherals -------------------------------- */

/* Field F's elements in the register just added. */
static int field_emit(struct svd *s, const struct svd_field *f)
{
	for (uint64_t j = 0; j < f->dim.count; j++) {
		struct rmb_field bf = {
			.desc = f->desc, .width = f->width, .access = f->access, .write = f->write,
			.read = f->read, .constraint = f->constraint, .min = f->min, .max = f->max,
			.line = f->line,
		};
		char *name, *desc = NULL;
		uint64_t lsb;
		int err;

		if (!element_address(f->lsb, 0, j, f->dim.incr, &lsb) || lsb >= 64 ||
		    f->width > 64 - lsb)
			return rmb_error(s->b, f->line, "field array '%s': element %" PRIu64
					 " is beyond bit 63", f->name, j);
		name = dim_name(&f->dim, j, NULL, f->name);
		if (f->dim.array && f->desc)
			bf.desc = desc = dim_name(&f->dim, j, NULL, f->desc);
		if (!name || (f->desc && !bf.desc)) {
			free(name);
			return -ENOMEM;
		}
		bf.name = name;
		bf.lsb = (unsigned int)lsb;
		err = rmb_add_field(s->b, &bf);
		free(name);
		free(desc);
		for (size_t k = 0; !err && k < f->nenums; k++) {
			const struct svd_enum *e = &f->enums[k];
			struct rmb_enum be = {
				.name = e->name, .desc = e->desc, .value = e->value,
				.is_default = e->is_default, .line = e->line,
			};

			if (!e->skip)
				err = rmb_add_enum(s->b, &be);
		}
		if (err)
			return err;
	}
	return 0;
}

/* What a peripheral, cluster or register has before what is its own: its
 * name, its derivedFrom chain, where it is (baseAddress or
 * addressOffset), the properties it passes down, its dim. */
struct placed {
	char *name;
	struct view v;
	uint64_t where;
	struct props p;
	struct dim d;
};

static int placed_read(struct svd *s, xmlNode *n, int kind, const struct props *parent,
		       struct placed *e)
{
	enum svd_child where = kind == K_PERIPHERAL ? C_BASE_ADDRESS : C_ADDRESS_OFFSET;
	xmlNode *at;
	int err;

	e->p = *parent;
	err = own_name(s, n, true, &e->name);
	if (!err)
		err = view_of(s, n, kind, &e->v);
	if (err)
		return err;
	at = vchild(s, &e->v, where);
	if (!at)
		return rmb_error(s->b, rmx_line(n), "%s '%s' without <%s>", kind_elem[kind], e->name,
				 child_names[where]);
	err = node_num(s, at, &e->where);
	if (!err)
		err = props_apply(s, &e->v, &e->p);
	if (!err)
		err = dim_read(s, &e->v, e->name, &e->d);
	return err;
}

static void placed_free(struct placed *e)
{
	dim_free(&e->d);
	free(e->name);
}

static int do_register(struct svd *s, xmlNode *n, const char *prefix, uint64_t base,
		       const struct props *parent)
{
	struct rmb_reg r = { .line = rmx_line(n) };
	struct svd_field *fields = NULL;
	size_t nfields = 0, cap = 0;
	uint64_t nf = 1;
	int write = PHYS_WRITE_NORMAL, read = PHYS_READ_NONE;
	struct placed e = { 0 };
	char *desc = NULL;
	xmlNode *holder;
	uint64_t sizemask;
	int err;

	err = placed_read(s, n, K_REGISTER, parent, &e);
	if (!err)
		err = vword(s, &e.v, C_MODIFIED_WRITE_VALUES, rm_write_from, &write);
	if (!err)
		err = vword(s, &e.v, C_READ_ACTION, rm_read_from, &read);
	if (!err)
		desc = vdesc(s, &e.v, &err);
	if (err)
		goto out;

	holder = view_children(s, &e.v, K_REGISTER);
	for (xmlNode *f = holder ? child(s, holder, C_FIELD) : NULL; f; f = next_elem(s, f)) {
		if (!rmx_is(f, "field"))
			continue;
		if (nfields == cap) {
			size_t c = cap ? cap * 2 : 16;
			struct svd_field *a = realloc(fields, c * sizeof(*a));

			if (!a) {
				err = -ENOMEM;
				goto out;
			}
			fields = a;
			cap = c;
		}
		err = field_read(s, f, &fields[nfields++]);
		if (err)
			goto out;
	}

	/* A reset value says the reset is known, for the bits of the mask
	 * if one is given; an inherited one is cut to the register's size. */
	sizemask = e.p.size == 64 ? UINT64_MAX : (UINT64_C(1) << e.p.size) - 1;
	if (e.p.has_reset) {
		xmlNode *own = vchild(s, &e.v, C_RESET_VALUE);

		if (own && (e.p.reset & ~sizemask)) {
			err = rmb_error(s->b, rmx_line(own), "register '%s': resetValue 0x%" PRIx64
					" does not fit in %u bits", e.name, e.p.reset, e.p.size);
			goto out;
		}
		r.reset_mask = (e.p.has_mask ? e.p.mask : UINT64_MAX) & sizemask;
		r.reset = e.p.reset & r.reset_mask;
	}
	r.size = e.p.size;
	r.access = (enum phys_reg_access)e.p.access;
	r.write = (enum phys_reg_write)write;
	r.read = (enum phys_reg_read)read;

	/* what one element of the array adds */
	for (size_t k = 0; k < nfields && nf <= SVD_WORK_MAX; k++)
		nf += fields[k].dim.count * (1 + fields[k].nenums);
	for (uint64_t i = 0; i < e.d.count && !err; i++) {
		if (nf > SVD_WORK_MAX || !count_work(s, nf)) {
			err = too_big(s, n);
			break;
		}
		if (!element_address(base, e.where, i, e.d.incr, &r.address)) {
			err = rmb_error(s->b, r.line, "register '%s': address beyond 64 bits", e.name);
			break;
		}
		r.name = dim_name(&e.d, i, prefix, e.name);
		r.desc = e.d.array && desc ? dim_name(&e.d, i, NULL, desc) : desc;
		if (!r.name || (desc && !r.desc))
			err = -ENOMEM;
		if (!err)
			err = rmb_add_reg(s->b, &r);
		for (size_t k = 0; !err && k < nfields; k++)
			err = field_emit(s, &fields[k]);
		free((char *)r.name);
		if (r.desc != desc)
			free((char *)r.desc);
	}
out:
	for (size_t k = 0; k < nfields; k++)
		field_free(&fields[k]);
	free(fields);
	free(desc);
	placed_free(&e);
	return err;
}

static int do_block(struct svd *s, xmlNode *n, int kind, const char *prefix, uint64_t base,
		    const struct props *parent);

/* The registers and clusters of HOLDER, under PREFIX at BASE. */
static int do_items(struct svd *s, xmlNode *holder, const char *prefix, uint64_t base,
		    const struct props *p)
{
	int err = 0;

	s->open[s->nopen++] = holder;
	for (xmlNode *c = first_elem(s, holder); c && !err; c = next_elem(s, c)) {
		if (rmx_is(c, "register"))
			err = do_register(s, c, prefix, base, p);
		else if (rmx_is(c, "cluster"))
			err = do_block(s, c, K_CLUSTER, prefix, base, p);
	}
	s->nopen--;
	return err;
}

/* A peripheral (no PREFIX, BASE 0) or a cluster: each element of its
 * array holds the registers and clusters listed, at its own address. */
static int do_block(struct svd *s, xmlNode *n, int kind, const char *prefix, uint64_t base,
		    const struct props *parent)
{
	struct placed e = { 0 };
	xmlNode *holder;
	int err;

	err = placed_read(s, n, kind, parent, &e);
	if (err)
		goto out;
	/* no list is open around a peripheral: these are about clusters */
	holder = view_children(s, &e.v, kind);
	for (unsigned int i = 0; i < s->nopen; i++) {
		if (s->open[i] == holder) {
			err = rmb_error(s->b, rmx_line(n),
					"cluster '%s' derives from a cluster that contains it", e.name);
			goto out;
		}
	}
	if (s->nopen == sizeof(s->open) / sizeof(s->open[0])) {
		err = rmb_error(s->b, rmx_line(n), "'%s.%s': clusters nested deeper than %d",
				prefix, e.name, SVD_NEST_MAX);
		goto out;
	}
	for (uint64_t i = 0; holder && i < e.d.count && !err; i++) {
		uint64_t addr;
		char *full;

		/* SVD_WORK_MAX counts the clusters, not the peripherals */
		if (kind == K_CLUSTER && !count_work(s, 1)) {
			err = too_big(s, n);
			break;
		}
		if (!element_address(base, e.where, i, e.d.incr, &addr)) {
			err = rmb_error(s->b, rmx_line(n), "%s '%s': address beyond 64 bits",
					kind_elem[kind], e.name);
			break;
		}
		full = dim_name(&e.d, i, prefix, e.name);
		if (!full) {
			err = -ENOMEM;
			break;
		}
		err = do_items(s, holder, full, addr, &e.p);
		free(full);
	}
out:
	placed_free(&e);
	return err;
}

static int do_device(struct svd *s)
{
	/* what applies where nothing in the file says otherwise */
	struct props p = { .size = 32, .access = PHYS_ACCESS_RW };
	struct view v = { .n = { s->device }, .len = 1 };
	xmlNode *c, *ps;
	uint64_t unit;
	char *name;
	int err;

	err = own_name(s, s->device, false, &name);
	if (err)
		return err;
	err = rmb_set_name(s->b, name);
	free(name);
	if (err)
		return err;
	rmb_set_absolute(s->b, true);
	c = child(s, s->device, C_ADDRESS_UNIT_BITS);
	if (c) {
		err = node_num(s, c, &unit);
		if (err)
			return err;
		if (unit != 8)
			return rmb_error(s->b, rmx_line(c),
					 "addressUnitBits %" PRIu64 ": only byte addresses (8) are supported",
					 unit);
	}
	err = props_apply(s, &v, &p);
	if (err)
		return err;
	ps = child(s, s->device, C_PERIPHERALS);
	if (!ps)
		return rmb_error(s->b, rmx_line(s->device), "<device> without <peripherals>");
	for (c = child(s, ps, C_PERIPHERAL); c && !err; c = rmx_next(c, "peripheral"))
		err = do_block(s, c, K_PERIPHERAL, NULL, 0, &p);
	/* a list walk may have stopped at the limit, with nothing after it
	 * that counts work */
	if (!err && s->visits > SVD_VISIT_MAX)
		err = too_big(s, s->device);
	return err;
}

/* ---- the importer ------------------------------------------------------ */

/* Skips the XML declaration, comments, processing instructions and a
 * DOCTYPE before the root element; is that <device> (any prefix)? */
static bool sniff(const char *data, size_t len)
{
	const char *p = data, *end = data + (len < SVD_SNIFF_MAX ? len : SVD_SNIFF_MAX);
	const char *name;

	if (end - p >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	for (;;) {
		const char *close;

		while (p < end && isspace((unsigned char)*p))
			p++;
		if (end - p < 2 || *p != '<')
			return false;
		if (p[1] == '?')
			close = memmem(p, (size_t)(end - p), "?>", 2);
		else if (end - p >= 4 && !memcmp(p, "<!--", 4))
			close = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
		else if (p[1] == '!')
			close = memchr(p, '>', (size_t)(end - p));	/* no internal subset in SVD */
		else
			break;
		if (!close)
			return false;
		p = strchr(close, '>') + 1;
	}
	name = ++p;
	while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.'))
		p++;
	if (p < end && *p == ':') {
		name = ++p;
		while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.'))
			p++;
	}
	return p - name == 6 && !memcmp(name, "device", 6) && p < end &&
	       (isspace((unsigned char)*p) || *p == '>' || *p == '/');
}

static int import(struct rm_builder *b, const char *data, size_t len)
{
	struct svd s = { .b = b };
	xmlDocPtr doc;
	int err;

	doc = rmx_parse(b, data, len, &err);
	if (!doc)
		return err;
	s.device = xmlDocGetRootElement(doc);
	if (!rmx_is(s.device, "device"))
		err = rmb_error(b, s.device ? rmx_line(s.device) : 0,
				"not CMSIS-SVD: the root element is not <device>");
	else
		err = do_device(&s);
	for (size_t i = 0; i < s.ninfos; i++)
		free(s.infos[i]);
	free(s.infos);
	for (size_t i = 0; i < s.nnames; i++)
		free(s.names[i]);
	free(s.names);
	free(s.tab);
	xmlFreeDoc(doc);
	return err;
}

const struct rm_importer rm_import_svd = { "svd", sniff, import };
