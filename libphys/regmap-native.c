// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The native register map format, physmem-regmap(5): line-oriented text
 * for maps written by hand.
 *
 * Two passes. The file is first parsed into a flat list of items (blocks,
 * registers, fields, enumerated values) in file order, with every default
 * already applied; a block knows where its items end. Only when the whole
 * file has parsed is the list walked, arrays expanded and everything
 * handed to the builder, so a bad line 900 costs no expansion work and a
 * message points at the line that defines a thing, not at an element.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regmap.h"

#define NAT_MAGIC	"physmem-regmap"
#define NAT_VERSION	1
#define NAT_NAME_MAX	63		/* characters of one name */
#define NAT_DEPTH_MAX	8		/* blocks in blocks */
#define NAT_DIM_MAX	65536		/* elements of one array */
#define NAT_WORDS_MAX	32		/* words on one line */
/* Registers, fields and enumerated values once arrays are expanded: a
 * few lines must not make the builder allocate gigabytes. */
#define NAT_EXPANDED_MAX	(1UL << 20)
/* How far sniff() looks for the header past leading comments. */
#define NAT_SNIFF_MAX	65536
/* A dotted path: every block level and the register, each a name and
 * "[65535]" and a dot, fits. */
#define NAT_PATH_MAX	((NAT_DEPTH_MAX + 1) * (NAT_NAME_MAX + 9) + 1)

#define NONE		SIZE_MAX

static const char utf8_bom[] = "\xef\xbb\xbf";

enum item_kind { ITEM_BLOCK, ITEM_REG, ITEM_FIELD, ITEM_ENUM };

static const char *const kind_name[] = {
	[ITEM_BLOCK] = "block", [ITEM_REG] = "register",
	[ITEM_FIELD] = "field", [ITEM_ENUM] = "enum",
};

struct item {
	enum item_kind kind;
	const char *name;	/* an array's without its "[N]" */
	long line;
	size_t scope;		/* index + 1 of its block, register or field; 0: top */
	uint32_t dim;		/* array elements; 0: not an array */
	uint64_t offset;	/* in the enclosing block, or the absolute address */
	uint64_t stride;
	size_t end;		/* a block's: the index after its last item */
	union {
		struct rmb_reg reg;	/* name and address are set per element */
		struct rmb_field field;
		struct rmb_enum en;
	} u;
};

/* What "default" sets for the registers after it in its block. */
struct defaults {
	unsigned int size;
	int access, write, read;
	bool has_reset, has_mask;
	uint64_t reset, mask;
};

struct word {
	char *s;		/* in the arena */
	bool quoted;
};

struct parser {
	struct rm_builder *b;
	long line;
	/* Every word and string, unescaped and NUL-terminated: one word of
	 * N bytes takes N + 1 and is followed by a separator (or ends the
	 * file), a string takes fewer than its quoted form, so the file's
	 * length + 1 always suffices. */
	char *arena;
	size_t arena_used;
	struct item *items;
	size_t nitems, cap;
	long header_line, name_line;
	int absolute;		/* -1 until the first top-level register or block */
	long absolute_line;
	unsigned int depth;
	size_t open[NAT_DEPTH_MAX];	/* the open blocks' items */
	struct defaults defs[NAT_DEPTH_MAX + 1];
	size_t reg, field;	/* what a field or an enum belongs to, or NONE */
};

/* ---- words --------------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_control(char c)
{
	return (unsigned char)c < 0x20 || c == 0x7f;
}

/* Split S..E (one line, no newline) into words; a '#' at the start of a
 * word starts a comment. */
static int split_line(struct parser *p, const char *s, const char *e,
		      struct word *w, unsigned int *n)
{
	*n = 0;
	while (s < e) {
		char *start = p->arena + p->arena_used, *out = start;
		bool quoted = *s == '"';

		if (is_blank(*s)) {
			s++;
			continue;
		}
		if (*s == '#')
			break;
		if (*n == NAT_WORDS_MAX)
			return rmb_error(p->b, p->line, "more than %d words on one line",
					 NAT_WORDS_MAX);
		if (quoted) {
			for (s++;; s++) {
				if (s == e)
					return rmb_error(p->b, p->line, "unterminated string");
				if (*s == '"')
					break;
				if (*s == '\\') {
					if (s + 1 == e || (s[1] != '"' && s[1] != '\\'))
						return rmb_error(p->b, p->line,
								 "unknown escape in a string (only \\\" and \\\\)");
					s++;
				} else if (*s != '\t' && is_control(*s)) {
					return rmb_error(p->b, p->line, "control character 0x%02x in a string",
							 (unsigned char)*s);
				}
				*out++ = *s;
			}
			s++;
			if (s < e && !is_blank(*s) && *s != '#')
				return rmb_error(p->b, p->line, "text right after a closing quote");
		} else {
			for (; s < e && !is_blank(*s); s++) {
				if (*s == '"')
					return rmb_error(p->b, p->line, "'\"' inside a word");
				if (is_control(*s))
					return rmb_error(p->b, p->line, "control character 0x%02x",
							 (unsigned char)*s);
				*out++ = *s;
			}
		}
		*out++ = '\0';
		p->arena_used = (size_t)(out - p->arena);
		w[*n].s = start;
		w[*n].quoted = quoted;
		(*n)++;
	}
	return 0;
}

/* Decimal, 0x hex or 0b binary, with '_' between digits (0x4000_0000). */
static int parse_number(const char *s, uint64_t *val)
{
	unsigned int base = 10;
	bool digits = false;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	for (; *s; s++) {
		unsigned int d;

		if (*s == '_' && digits && s[1])
			continue;
		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
		digits = true;
	}
	if (!digits)
		return -EINVAL;
	*val = v;
	return 0;
}

/* W as a number, WHAT naming it in the message. */
static int need_number(struct parser *p, const struct word *w, const char *what, uint64_t *val)
{
	int r = w->quoted ? -EINVAL : parse_number(w->s, val);

	if (r == -ERANGE)
		return rmb_error(p->b, p->line, "%s '%s' does not fit in 64 bits", what, w->s);
	if (r)
		return rmb_error(p->b, p->line, "bad %s '%s' (a number: 42, 0x2a, 0b101010)",
				 what, w->s);
	return 0;
}

static bool is_letter(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_name(const char *s, size_t len)
{
	if (!len || len > NAT_NAME_MAX || !is_letter(s[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!is_letter(s[i]) && !(s[i] >= '0' && s[i] <= '9'))
			return false;
	return true;
}

static int need_name(struct parser *p, const struct word *w, const char *what)
{
	if (w->quoted || !is_name(w->s, strlen(w->s)))
		return rmb_error(p->b, p->line,
				 "bad %s name '%s' (a letter or '_', then letters, digits or '_'; at most %d)",
				 what, w->s, NAT_NAME_MAX);
	return 0;
}

/* NAME or NAME[COUNT]. An array's brackets are cut off the word in place
 * and COUNT goes to *DIM (0: not an array). */
static int need_array_name(struct parser *p, struct word *w, const char *what, uint32_t *dim)
{
	char *open = w->quoted ? NULL : strchr(w->s, '[');
	size_t len = strlen(w->s);
	uint64_t n;
	int r;

	*dim = 0;
	if (!open)
		return need_name(p, w, what);
	if (w->s[len - 1] != ']' || !is_name(w->s, (size_t)(open - w->s)))
		return rmb_error(p->b, p->line,
				 "bad %s name '%s' (NAME or NAME[COUNT]; a letter or '_', then letters, digits or '_')",
				 what, w->s);
	w->s[len - 1] = '\0';
	r = parse_number(open + 1, &n);
	w->s[len - 1] = ']';
	if (r || n < 1 || n > NAT_DIM_MAX)
		return rmb_error(p->b, p->line, "bad array size in '%s' (1 to %d)", w->s, NAT_DIM_MAX);
	*open = '\0';
	*dim = (uint32_t)n;
	return 0;
}

static bool is_word(const struct word *w, const char *s)
{
	return !w->quoted && !strcmp(w->s, s);
}

/* ---- attributes: the words after a statement's names and numbers ---- */

enum attr {
	ATTR_SIZE, ATTR_ACCESS, ATTR_WRITE, ATTR_READ, ATTR_RESET, ATTR_MASK,
	ATTR_STRIDE, ATTR_RANGE, ATTR_ENUMS_ONLY, ATTR_DESC,
};
#define ATTR(a)		(1U << ATTR_##a)
#define ATTR_RULES	(ATTR(ACCESS) | ATTR(WRITE) | ATTR(READ))

static const struct attr_word {
	const char *word;	/* NULL: a "string" */
	unsigned int nargs;
	const char *label;	/* for messages */
} attr_words[] = {
	[ATTR_SIZE] = { "size", 1, "'size'" },
	[ATTR_ACCESS] = { "access", 1, "an access rule" },
	[ATTR_WRITE] = { "write", 1, "a write action" },
	[ATTR_READ] = { "read", 1, "a read action" },
	[ATTR_RESET] = { "reset", 1, "'reset'" },
	[ATTR_MASK] = { "mask", 1, "'mask'" },
	[ATTR_STRIDE] = { "stride", 1, "'stride'" },
	[ATTR_RANGE] = { "range", 2, "'range'" },
	[ATTR_ENUMS_ONLY] = { "enums-only", 0, "'enums-only'" },
	[ATTR_DESC] = { NULL, 0, "a description" },
};

/* The short words; the long ones are SVD's and libphys's names
 * (rm_*_from(): "read-write", "oneToClear", "normal"...). */
static const struct rule_word {
	const char *word;
	enum attr attr;
	int value;
} rule_words[] = {
	{ "rw", ATTR_ACCESS, PHYS_ACCESS_RW },
	{ "ro", ATTR_ACCESS, PHYS_ACCESS_RO },
	{ "wo", ATTR_ACCESS, PHYS_ACCESS_WO },
	{ "w1", ATTR_ACCESS, PHYS_ACCESS_W1 },
	{ "rw1", ATTR_ACCESS, PHYS_ACCESS_RW1 },
	{ "w1c", ATTR_WRITE, PHYS_WRITE_ONE_TO_CLEAR },
	{ "w1s", ATTR_WRITE, PHYS_WRITE_ONE_TO_SET },
	{ "w1t", ATTR_WRITE, PHYS_WRITE_ONE_TO_TOGGLE },
	{ "w0c", ATTR_WRITE, PHYS_WRITE_ZERO_TO_CLEAR },
	{ "w0s", ATTR_WRITE, PHYS_WRITE_ZERO_TO_SET },
	{ "w0t", ATTR_WRITE, PHYS_WRITE_ZERO_TO_TOGGLE },
	{ "wc", ATTR_WRITE, PHYS_WRITE_CLEAR },
	{ "ws", ATTR_WRITE, PHYS_WRITE_SET },
	{ "wm", ATTR_WRITE, PHYS_WRITE_MODIFY },
	{ "none", ATTR_READ, PHYS_READ_NONE },
	{ "rc", ATTR_READ, PHYS_READ_CLEAR },
	{ "rs", ATTR_READ, PHYS_READ_SET },
	{ "rm", ATTR_READ, PHYS_READ_MODIFY },
	{ "rme", ATTR_READ, PHYS_READ_MODIFY_EXTERNAL },
};

/* For messages about a word that is none of a kind's words. */
static const struct {
	const char *kind, *words;
} rule_hint[] = {
	[ATTR_ACCESS] = { "access rule", "rw, ro, wo, w1, rw1, or read-write, read-only, "
					 "write-only, writeOnce, read-writeOnce" },
	[ATTR_WRITE] = { "write action", "normal, w1c, w1s, w1t, w0c, w0s, w0t, wc, ws, wm, "
					 "or SVD's oneToClear, oneToSet, oneToToggle, zeroToClear, "
					 "zeroToSet, zeroToToggle, clear, set, modify" },
	[ATTR_READ] = { "read action", "none, rc, rs, rm, rme, or SVD's clear, set, modify, "
				       "modifyExternal" },
};

/* The value of S as an access rule, write or read action (A), or -1. */
static int rule_value(enum attr a, const char *s)
{
	for (size_t i = 0; i < sizeof(rule_words) / sizeof(rule_words[0]); i++)
		if (rule_words[i].attr == a && !strcmp(rule_words[i].word, s))
			return rule_words[i].value;
	if (a == ATTR_ACCESS)
		return rm_access_from(s);
	if (a == ATTR_WRITE)
		return rm_write_from(s);
	return rm_read_from(s);
}

struct attrs {
	unsigned int seen;	/* ATTR() bits */
	unsigned int size;
	int access, write, read;
	uint64_t reset, mask, stride, min, max;
	const char *desc;
};

/* A word standing alone: an access rule, a write or a read action. */
static int bare_rule(struct parser *p, const char *s, const char *what, enum attr *attr)
{
	static const enum attr kinds[] = { ATTR_ACCESS, ATTR_WRITE, ATTR_READ };
	unsigned int found = 0;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (rule_value(kinds[i], s) < 0)
			continue;
		/* SVD's "clear", "set" and "modify" are a write and a read
		 * action alike: the keyword says which. */
		if (found++)
			return rmb_error(p->b, p->line,
					 "'%s' is both a write and a read action: write 'write %s' or 'read %s'",
					 s, s, s);
		*attr = kinds[i];
	}
	if (!found)
		return rmb_error(p->b, p->line, "unknown word '%s' on %s", s, what);
	return 0;
}

/* Parse W[0..N) as attributes of WHAT; ALLOWED: the ATTR() bits it takes. */
static int parse_attrs(struct parser *p, const char *what, struct word *w, unsigned int n,
		       unsigned int allowed, struct attrs *a)
{
	memset(a, 0, sizeof(*a));
	for (unsigned int i = 0; i < n; i++) {
		const struct word *arg = &w[i];
		enum attr at = ATTR_DESC;
		int r;

		if (!w[i].quoted) {
			for (at = 0; at < ATTR_DESC; at++)
				if (!strcmp(attr_words[at].word, w[i].s))
					break;
			if (at == ATTR_DESC) {
				r = bare_rule(p, w[i].s, what, &at);
				if (r)
					return r;
			} else if (n - i - 1 < attr_words[at].nargs) {
				return rmb_error(p->b, p->line, "'%s' needs %s", w[i].s,
						 at == ATTR_RANGE ? "a minimum and a maximum" : "a value");
			} else {
				arg = &w[i + 1];
				i += attr_words[at].nargs;
			}
		}
		if (at == ATTR_STRIDE && !(allowed & ATTR(STRIDE)))
			return rmb_error(p->b, p->line, "'stride' is for arrays (NAME[COUNT])");
		if (!(allowed & (1U << at)))
			return rmb_error(p->b, p->line, "%s is not allowed on %s",
					 attr_words[at].label, what);
		if (a->seen & (1U << at))
			return rmb_error(p->b, p->line, "%s given twice", attr_words[at].label);
		a->seen |= 1U << at;

		switch (at) {
		case ATTR_SIZE: {
			uint64_t v;

			r = need_number(p, arg, "size", &v);
			if (r)
				return r;
			if (v != 8 && v != 16 && v != 32 && v != 64)
				return rmb_error(p->b, p->line,
						 "size %s is not 8, 16, 32 or 64 (bits)", arg->s);
			a->size = (unsigned int)v;
			break;
		}
		case ATTR_ACCESS:
		case ATTR_WRITE:
		case ATTR_READ:
			r = arg->quoted ? -1 : rule_value(at, arg->s);
			if (r < 0)
				return rmb_error(p->b, p->line, "unknown %s '%s' (%s)",
						 rule_hint[at].kind, arg->s, rule_hint[at].words);
			if (at == ATTR_ACCESS)
				a->access = r;
			else if (at == ATTR_WRITE)
				a->write = r;
			else
				a->read = r;
			r = 0;
			break;
		case ATTR_RESET:
			r = need_number(p, arg, "reset value", &a->reset);
			break;
		case ATTR_MASK:
			r = need_number(p, arg, "reset mask", &a->mask);
			break;
		case ATTR_STRIDE:
			r = need_number(p, arg, "stride", &a->stride);
			break;
		case ATTR_RANGE:
			r = need_number(p, &arg[0], "range minimum", &a->min);
			if (!r)
				r = need_number(p, &arg[1], "range maximum", &a->max);
			if (!r && a->min > a->max)
				r = rmb_error(p->b, p->line, "range %s %s: the minimum is above the maximum",
					      arg[0].s, arg[1].s);
			break;
		case ATTR_ENUMS_ONLY:
			break;
		case ATTR_DESC:
			a->desc = arg->s;
			break;
		}
		if (r)
			return r;
	}
	if ((a->seen & ATTR(MASK)) && !(a->seen & ATTR(RESET)))
		return rmb_error(p->b, p->line, "'mask' needs 'reset'");
	return 0;
}

/* ---- statements ------------------------------------------------------ */

static int new_item(struct parser *p, enum item_kind kind, const char *name, size_t scope,
		    size_t *index)
{
	struct item *it;

	if (p->nitems == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		struct item *items = reallocarray(p->items, cap, sizeof(*items));

		if (!items)
			return -ENOMEM;
		p->items = items;
		p->cap = cap;
	}
	*index = p->nitems++;
	it = &p->items[*index];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->name = name;
	it->line = p->line;
	it->scope = scope;
	it->end = NONE;
	return 0;
}

/* The scope of a block or register: its block's item + 1, or 0. */
static size_t block_scope(const struct parser *p)
{
	return p->depth ? p->open[p->depth - 1] + 1 : 0;
}

/* A map is all absolute ("at ADDRESS" on every top-level register and
 * block) or all relative: a mix has no meaning once bound to a target. */
static int check_absolute(struct parser *p, const char *what, const char *name, bool at)
{
	if (p->depth) {
		if (at)
			return rmb_error(p->b, p->line,
					 "%s '%s': 'at' is for the top level; inside block '%s' give an offset",
					 what, name, p->items[p->open[p->depth - 1]].name);
		return 0;
	}
	if (p->absolute < 0) {
		p->absolute = at;
		p->absolute_line = p->line;
		return 0;
	}
	if (at != p->absolute)
		return rmb_error(p->b, p->line,
				 "%s '%s' is %s but line %ld is %s: a map is all absolute "
				 "('at ADDRESS' on every top-level register and block) or all relative",
				 what, name, at ? "absolute" : "relative", p->absolute_line,
				 at ? "relative" : "absolute");
	return 0;
}

/* OFFSET or "at ADDRESS" at the start of W; *USED words taken. */
static int parse_place(struct parser *p, const char *what, const char *name,
		       struct word *w, unsigned int n, bool required,
		       uint64_t *where, unsigned int *used)
{
	bool at = n && is_word(&w[0], "at");
	int r;

	*where = 0;
	*used = 0;
	if (at) {
		if (n < 2)
			return rmb_error(p->b, p->line, "'at' needs an address");
		r = need_number(p, &w[1], "address", where);
		*used = 2;
	} else if (n && !w[0].quoted && w[0].s[0] >= '0' && w[0].s[0] <= '9') {
		r = need_number(p, &w[0], "offset", where);
		*used = 1;
	} else if (required) {
		return rmb_error(p->b, p->line, "%s '%s' needs an offset or 'at ADDRESS'",
				 what, name);
	} else {
		r = 0;
	}
	return r ? r : check_absolute(p, what, name, at);
}

static int st_header(struct parser *p, struct word *w, unsigned int n)
{
	uint64_t version;

	if (p->header_line)
		return rmb_error(p->b, p->line, "header repeated (first on line %ld)",
				 p->header_line);
	if (n != 2 || w[1].quoted || parse_number(w[1].s, &version))
		return rmb_error(p->b, p->line, "the header is '" NAT_MAGIC " %d'", NAT_VERSION);
	if (version != NAT_VERSION)
		return rmb_error(p->b, p->line,
				 "format version %s is not supported (this libphys reads version %d)",
				 w[1].s, NAT_VERSION);
	p->header_line = p->line;
	return 0;
}

static int st_name(struct parser *p, struct word *w, unsigned int n)
{
	int r;

	if (n != 2)
		return rmb_error(p->b, p->line, "usage: name NAME");
	r = need_name(p, &w[1], "map");
	if (r)
		return r;
	if (p->name_line)
		return rmb_error(p->b, p->line, "'name' given twice (first on line %ld)",
				 p->name_line);
	p->name_line = p->line;
	return rmb_set_name(p->b, w[1].s);
}

static bool parse_hex16(const char *s, size_t len, uint16_t *val)
{
	unsigned long v = 0;

	if (!len || len > 4 || strspn(s, "0123456789abcdefABCDEF") < len)
		return false;
	for (size_t i = 0; i < len; i++)
		v = v * 16 + (unsigned long)(s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
	*val = (uint16_t)v;
	return true;
}

static int st_pci(struct parser *p, struct word *w, unsigned int n)
{
	uint16_t vendor, device;
	uint64_t bar = 0;
	const char *colon;

	if (n != 2 && !(n == 4 && is_word(&w[2], "bar")))
		return rmb_error(p->b, p->line, "usage: pci VENDOR:DEVICE [bar N]");
	colon = w[1].quoted ? NULL : strchr(w[1].s, ':');
	if (!colon || !parse_hex16(w[1].s, (size_t)(colon - w[1].s), &vendor) ||
	    !parse_hex16(colon + 1, strlen(colon + 1), &device))
		return rmb_error(p->b, p->line,
				 "bad PCI ID '%s' (VENDOR:DEVICE in hex, like 1234:11e8)", w[1].s);
	if (n == 4) {
		int r = need_number(p, &w[3], "BAR", &bar);

		if (r)
			return r;
		if (bar > 5)
			return rmb_error(p->b, p->line, "BAR %s is not 0 to 5", w[3].s);
	}
	return rmb_add_pci(p->b, vendor, device, n == 4 ? (int)bar : -1);
}

#define DEFAULT_ATTRS	(ATTR(SIZE) | ATTR_RULES | ATTR(RESET) | ATTR(MASK))

static int st_default(struct parser *p, struct word *w, unsigned int n)
{
	struct defaults *d = &p->defs[p->depth];
	struct attrs a;
	int r;

	if (n < 2)
		return rmb_error(p->b, p->line,
				 "usage: default [size BITS] [ACCESS] [WRITE-ACTION] [READ-ACTION] "
				 "[reset VALUE [mask MASK]]");
	r = parse_attrs(p, "'default'", w + 1, n - 1, DEFAULT_ATTRS, &a);
	if (r)
		return r;
	if (a.seen & ATTR(SIZE))
		d->size = a.size;
	if (a.seen & ATTR(ACCESS))
		d->access = a.access;
	if (a.seen & ATTR(WRITE))
		d->write = a.write;
	if (a.seen & ATTR(READ))
		d->read = a.read;
	if (a.seen & ATTR(RESET)) {
		d->has_reset = true;
		d->reset = a.reset;
		d->has_mask = a.seen & ATTR(MASK);
		d->mask = a.mask;
	}
	/* It is about the registers after it: a field after it would read
	 * as belonging to one. */
	p->reg = p->field = NONE;
	return 0;
}

static int st_block(struct parser *p, struct word *w, unsigned int n)
{
	struct attrs a;
	unsigned int used;
	uint64_t where;
	uint32_t dim;
	size_t index;
	int r;

	if (n < 2)
		return rmb_error(p->b, p->line,
				 "usage: block NAME[COUNT] [OFFSET | at ADDRESS] [stride BYTES] [\"description\"]");
	if (p->depth == NAT_DEPTH_MAX)
		return rmb_error(p->b, p->line, "blocks nest at most %d deep", NAT_DEPTH_MAX);
	r = need_array_name(p, &w[1], "block", &dim);
	if (!r)
		r = parse_place(p, "block", w[1].s, w + 2, n - 2, false, &where, &used);
	if (!r)
		r = parse_attrs(p, "a block", w + 2 + used, n - 2 - used,
				ATTR(DESC) | (dim ? ATTR(STRIDE) : 0), &a);
	if (r)
		return r;
	if (dim && !a.stride)
		return rmb_error(p->b, p->line,
				 "block array '%s[%" PRIu32 "]' needs 'stride' (the bytes from one element to the next)",
				 w[1].s, dim);
	r = new_item(p, ITEM_BLOCK, w[1].s, block_scope(p), &index);
	if (r)
		return r;
	p->items[index].dim = dim;
	p->items[index].offset = where;
	p->items[index].stride = a.stride;
	p->open[p->depth++] = index;
	p->defs[p->depth] = p->defs[p->depth - 1];
	p->reg = p->field = NONE;
	return 0;
}

static int st_end(struct parser *p, struct word *w, unsigned int n)
{
	struct item *block;

	if (n > 2)
		return rmb_error(p->b, p->line, "usage: end [NAME]");
	if (!p->depth)
		return rmb_error(p->b, p->line, "'end' without a block");
	block = &p->items[p->open[p->depth - 1]];
	if (n == 2 && !is_word(&w[1], block->name))
		return rmb_error(p->b, p->line, "'end %s' closes block '%s' (line %ld)",
				 w[1].s, block->name, block->line);
	block->end = p->nitems;
	p->depth--;
	p->reg = p->field = NONE;
	return 0;
}

#define REG_ATTRS	(ATTR(SIZE) | ATTR_RULES | ATTR(RESET) | ATTR(MASK) | ATTR(DESC))

static int st_register(struct parser *p, struct word *w, unsigned int n)
{
	const struct defaults *d = &p->defs[p->depth];
	uint64_t where, all, bytes, stride;
	struct rmb_reg *reg;
	unsigned int used;
	struct attrs a;
	uint32_t dim;
	size_t index;
	int r;

	if (n < 2)
		return rmb_error(p->b, p->line,
				 "usage: register NAME[COUNT] OFFSET|at ADDRESS [attributes] [\"description\"]");
	r = need_array_name(p, &w[1], "register", &dim);
	if (!r)
		r = parse_place(p, "register", w[1].s, w + 2, n - 2, true, &where, &used);
	if (!r)
		r = parse_attrs(p, "a register", w + 2 + used, n - 2 - used,
				REG_ATTRS | (dim ? ATTR(STRIDE) : 0), &a);
	if (r)
		return r;
	r = new_item(p, ITEM_REG, w[1].s, block_scope(p), &index);
	if (r)
		return r;
	reg = &p->items[index].u.reg;
	reg->desc = a.desc;
	reg->size = a.seen & ATTR(SIZE) ? a.size : d->size;
	reg->access = a.seen & ATTR(ACCESS) ? a.access : d->access;
	reg->write = a.seen & ATTR(WRITE) ? a.write : d->write;
	reg->read = a.seen & ATTR(READ) ? a.read : d->read;
	reg->line = p->line;
	all = reg->size == 64 ? UINT64_MAX : (UINT64_C(1) << reg->size) - 1;
	if (a.seen & ATTR(RESET)) {
		reg->reset = a.reset;
		reg->reset_mask = a.seen & ATTR(MASK) ? a.mask : all;
	} else if (d->has_reset) {
		reg->reset = d->reset;
		reg->reset_mask = d->has_mask ? d->mask : all;
	}
	if (reg->reset_mask & ~all)
		return rmb_error(p->b, p->line, "reset mask 0x%" PRIx64 " is wider than %u bits",
				 reg->reset_mask, reg->size);
	bytes = reg->size / 8;
	stride = a.seen & ATTR(STRIDE) ? a.stride : bytes;
	if (dim && stride < bytes)
		return rmb_error(p->b, p->line,
				 "stride %" PRIu64 " is less than the register's %" PRIu64
				 " bytes: its elements would overlap", stride, bytes);
	p->items[index].dim = dim;
	p->items[index].offset = where;
	p->items[index].stride = dim ? stride : 0;
	p->reg = index;
	p->field = NONE;
	return 0;
}

/* 7, 7:0 or [7:0]: bit MSB down to bit LSB. */
static int parse_bits(struct parser *p, const struct word *w, unsigned int *lsb,
		      unsigned int *width)
{
	char text[48], *s = text, *colon;
	uint64_t msb, low;
	size_t len = strlen(w->s);

	if (w->quoted || len >= sizeof(text))
		goto bad;
	memcpy(text, w->s, len + 1);
	if (s[0] == '[') {
		if (s[len - 1] != ']')
			goto bad;
		s[len - 1] = '\0';
		s++;
	}
	colon = strchr(s, ':');
	if (colon)
		*colon = '\0';
	if (parse_number(s, &msb) || (colon && parse_number(colon + 1, &low)))
		goto bad;
	if (!colon)
		low = msb;
	if (msb > 63 || low > 63)
		return rmb_error(p->b, p->line, "bit %" PRIu64 " in '%s' is beyond bit 63",
				 msb > 63 ? msb : low, w->s);
	if (msb < low)
		return rmb_error(p->b, p->line,
				 "bits '%s' go up: write the most significant bit first (%" PRIu64
				 ":%" PRIu64 ")", w->s, low, msb);
	*lsb = (unsigned int)low;
	*width = (unsigned int)(msb - low + 1);
	return 0;
bad:
	return rmb_error(p->b, p->line, "bad bits '%s' (a bit like 7, or bits like 7:0 or [7:0])",
			 w->s);
}

#define FIELD_ATTRS	(ATTR_RULES | ATTR(RANGE) | ATTR(ENUMS_ONLY) | ATTR(DESC))

static int st_field(struct parser *p, struct word *w, unsigned int n)
{
	struct rmb_field *f;
	unsigned int lsb = 0, width = 0;
	struct attrs a;
	size_t index;
	int r;

	if (p->reg == NONE)
		return rmb_error(p->b, p->line,
				 "'field' outside a register: a field follows its register's line");
	if (n < 3)
		return rmb_error(p->b, p->line,
				 "usage: field NAME BITS [attributes] [\"description\"]");
	r = need_name(p, &w[1], "field");
	if (!r)
		r = parse_bits(p, &w[2], &lsb, &width);
	if (!r)
		r = parse_attrs(p, "a field", w + 3, n - 3, FIELD_ATTRS, &a);
	if (r)
		return r;
	if ((a.seen & ATTR(RANGE)) && (a.seen & ATTR(ENUMS_ONLY)))
		return rmb_error(p->b, p->line, "'range' and 'enums-only' exclude each other");
	r = new_item(p, ITEM_FIELD, w[1].s, p->reg + 1, &index);
	if (r)
		return r;
	f = &p->items[index].u.field;
	f->name = w[1].s;
	f->desc = a.desc;
	f->lsb = lsb;
	f->width = width;
	f->access = a.seen & ATTR(ACCESS) ? a.access : RMB_INHERIT;
	f->write = a.seen & ATTR(WRITE) ? a.write : RMB_INHERIT;
	f->read = a.seen & ATTR(READ) ? (enum phys_reg_read)a.read : PHYS_READ_NONE;
	f->constraint = a.seen & ATTR(ENUMS_ONLY) ? 1 : a.seen & ATTR(RANGE) ? 2 : 0;
	f->min = a.min;
	f->max = a.max;
	f->line = p->line;
	p->field = index;
	return 0;
}

static int st_enum(struct parser *p, struct word *w, unsigned int n)
{
	struct rmb_enum *e;
	bool is_default;
	uint64_t value = 0;
	struct attrs a;
	size_t index;
	int r;

	if (p->field == NONE)
		return rmb_error(p->b, p->line,
				 "'enum' outside a field: an enumerated value follows its field's line");
	if (n < 3)
		return rmb_error(p->b, p->line, "usage: enum NAME VALUE|default [\"description\"]");
	is_default = is_word(&w[2], "default");
	r = need_name(p, &w[1], "enum");
	if (!r && !is_default)
		r = need_number(p, &w[2], "enum value", &value);
	if (!r)
		r = parse_attrs(p, "an enum", w + 3, n - 3, ATTR(DESC), &a);
	if (!r)
		r = new_item(p, ITEM_ENUM, w[1].s, p->field + 1, &index);
	if (r)
		return r;
	e = &p->items[index].u.en;
	e->name = w[1].s;
	e->desc = a.desc;
	e->value = value;
	e->is_default = is_default;
	e->line = p->line;
	return 0;
}

static const struct statement {
	const char *keyword;
	int (*parse)(struct parser *p, struct word *w, unsigned int n);
	bool top_only;
} statements[] = {
	{ NAT_MAGIC, st_header, true },
	{ "name", st_name, true },
	{ "pci", st_pci, true },
	{ "default", st_default, false },
	{ "block", st_block, false },
	{ "end", st_end, false },
	{ "register", st_register, false },
	{ "field", st_field, false },
	{ "enum", st_enum, false },
};

static int parse_line(struct parser *p, const char *s, const char *e)
{
	struct word w[NAT_WORDS_MAX];
	const struct statement *st = NULL;
	unsigned int n;
	int r;

	r = split_line(p, s, e, w, &n);
	if (r || !n)
		return r;
	if (!p->header_line && !is_word(&w[0], NAT_MAGIC))
		return rmb_error(p->b, p->line,
				 "missing header: a native register map starts with '" NAT_MAGIC " %d'",
				 NAT_VERSION);
	for (size_t i = 0; !w[0].quoted && i < sizeof(statements) / sizeof(statements[0]); i++)
		if (!strcmp(statements[i].keyword, w[0].s))
			st = &statements[i];
	if (!st)
		return rmb_error(p->b, p->line, "unknown keyword '%s'", w[0].s);
	if (st->top_only && p->depth)
		return rmb_error(p->b, p->line, "'%s' is not allowed inside a block (block '%s', line %ld)",
				 st->keyword, p->items[p->open[p->depth - 1]].name,
				 p->items[p->open[p->depth - 1]].line);
	return st->parse(p, w, n);
}

/* ---- after the last line --------------------------------------------- */

static int finish(struct parser *p)
{
	if (!p->header_line)
		return rmb_error(p->b, 0,
				 "missing header: a native register map starts with '" NAT_MAGIC " %d'",
				 NAT_VERSION);
	if (p->depth) {
		const struct item *block = &p->items[p->open[p->depth - 1]];

		return rmb_error(p->b, block->line, "block '%s' has no 'end'", block->name);
	}
	return 0;
}

struct named {
	size_t scope, index;
	const char *name;
};

static int named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int r;

	if (x->scope != y->scope)
		return x->scope < y->scope ? -1 : 1;
	r = strcmp(x->name, y->name);
	if (r)
		return r;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Names are unique among the blocks and registers of a block (a block
 * A and a register A would make A.B both a register and a field), the
 * fields of a register and the enums of a field. Sorted, so a big map
 * costs n log n; the first duplicate in file order is reported. */
static int check_names(struct parser *p)
{
	size_t dup = NONE, first = NONE;
	struct named *v;

	if (!p->nitems)
		return 0;
	v = calloc(p->nitems, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < p->nitems; i++)
		v[i] = (struct named){ p->items[i].scope, i, p->items[i].name };
	qsort(v, p->nitems, sizeof(*v), named_cmp);
	for (size_t i = 1; i < p->nitems; i++) {
		if (v[i].scope != v[i - 1].scope || strcmp(v[i].name, v[i - 1].name))
			continue;
		if (dup == NONE || v[i].index < dup) {
			dup = v[i].index;
			first = v[i - 1].index;
		}
	}
	free(v);
	if (dup == NONE)
		return 0;
	return rmb_error(p->b, p->items[dup].line, "duplicate name '%s': also the %s on line %ld",
			 p->items[dup].name, kind_name[p->items[first].kind], p->items[first].line);
}

/* The index after item I and what belongs to it: a block's items, a
 * register's fields and enums. */
static size_t item_end(const struct parser *p, size_t i, size_t last)
{
	size_t next = i + 1;

	if (p->items[i].kind == ITEM_BLOCK)
		return p->items[i].end;
	while (next < last && (p->items[next].kind == ITEM_FIELD ||
			       p->items[next].kind == ITEM_ENUM))
		next++;
	return next;
}

/* Add to *TOTAL what ITEMS[FIRST..LAST) become once arrays are expanded:
 * counted before anything is built, so that a few lines of arrays in
 * arrays fail at once, at the array that is too much. */
static int count_expanded(struct parser *p, size_t first, size_t last, uint64_t *total)
{
	for (size_t i = first; i < last;) {
		const struct item *it = &p->items[i];
		size_t next = item_end(p, i, last);
		uint64_t one = next - i;
		int r;

		if (it->kind == ITEM_BLOCK) {
			one = 0;
			r = count_expanded(p, i + 1, next, &one);
			if (r)
				return r;
		}
		/* ONE and *TOTAL are at most NAT_EXPANDED_MAX here, DIM at
		 * most NAT_DIM_MAX: no overflow. */
		*total += one * (it->dim ? it->dim : 1);
		if (*total > NAT_EXPANDED_MAX)
			return rmb_error(p->b, it->line,
					 "%s '%s' makes more than %lu registers, fields and enums "
					 "once arrays are expanded", kind_name[it->kind], it->name,
					 NAT_EXPANDED_MAX);
		i = next;
	}
	return 0;
}

/* Register ITEMS[I] (its fields and enums up to NEXT) named PATH at ADDRESS. */
static int emit_reg(struct parser *p, size_t i, size_t next, const char *path, uint64_t address)
{
	struct rmb_reg reg = p->items[i].u.reg;
	int r;

	reg.name = path;
	reg.address = address;
	r = rmb_add_reg(p->b, &reg);
	for (size_t j = i + 1; !r && j < next; j++) {
		if (p->items[j].kind == ITEM_FIELD)
			r = rmb_add_field(p->b, &p->items[j].u.field);
		else
			r = rmb_add_enum(p->b, &p->items[j].u.en);
	}
	return r;
}

/* The registers of ITEMS[FIRST..LAST) with every array expanded; PATH
 * (PLEN long) is the dotted path of the blocks they are in, BASE their
 * address. */
static int emit(struct parser *p, size_t first, size_t last, char *path, size_t plen,
		uint64_t base)
{
	size_t i = first;

	while (i < last) {
		const struct item *it = &p->items[i];
		size_t next = item_end(p, i, last);

		for (uint32_t k = 0; k < (it->dim ? it->dim : 1); k++) {
			uint64_t address, step;
			int len, r;

			if (__builtin_mul_overflow((uint64_t)k, it->stride, &step) ||
			    __builtin_add_overflow(base, it->offset, &address) ||
			    __builtin_add_overflow(address, step, &address))
				return rmb_error(p->b, it->line,
						 "the address of %s '%s' is beyond 64 bits",
						 kind_name[it->kind], it->name);
			/* NAT_PATH_MAX has room for the deepest path. */
			if (it->dim)
				len = snprintf(path + plen, NAT_PATH_MAX - plen, "%s[%" PRIu32 "]",
					       it->name, k);
			else
				len = snprintf(path + plen, NAT_PATH_MAX - plen, "%s", it->name);
			if (it->kind == ITEM_BLOCK) {
				path[plen + (size_t)len] = '.';
				path[plen + (size_t)len + 1] = '\0';
				r = emit(p, i + 1, next, path, plen + (size_t)len + 1, address);
			} else {
				r = emit_reg(p, i, next, path, address);
			}
			if (r)
				return r;
		}
		i = next;
	}
	return 0;
}

/* ---- the importer ---------------------------------------------------- */

static bool sniff(const char *data, size_t len)
{
	const char *s = data, *end = data + (len < NAT_SNIFF_MAX ? len : NAT_SNIFF_MAX);
	size_t magic = strlen(NAT_MAGIC);

	if ((size_t)(end - s) >= 3 && !memcmp(s, utf8_bom, 3))
		s += 3;
	while (s < end) {
		if (is_blank(*s) || *s == '\r' || *s == '\n') {
			s++;
		} else if (*s == '#') {
			s = memchr(s, '\n', (size_t)(end - s));
			if (!s)
				return false;
		} else {
			return (size_t)(end - s) > magic && !memcmp(s, NAT_MAGIC, magic) &&
			       (is_blank(s[magic]) || s[magic] == '\r' || s[magic] == '\n');
		}
	}
	return false;
}

static int import(struct rm_builder *b, const char *data, size_t len)
{
	struct parser p = { .b = b, .absolute = -1, .reg = NONE, .field = NONE };
	const char *s = data, *end = data + len;
	char path[NAT_PATH_MAX];
	uint64_t total = 0;
	int r = 0;

	p.defs[0] = (struct defaults){
		.size = 32, .access = PHYS_ACCESS_RW, .write = PHYS_WRITE_NORMAL,
		.read = PHYS_READ_NONE,
	};
	p.arena = malloc(len + 1);
	if (!p.arena)
		return -ENOMEM;
	if (len >= 3 && !memcmp(s, utf8_bom, 3))
		s += 3;
	while (!r && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s)), *e = nl ? nl : end;

		p.line++;
		if (e > s && e[-1] == '\r')
			e--;
		r = parse_line(&p, s, e);
		s = nl ? nl + 1 : end;
	}
	if (!r)
		r = finish(&p);
	if (!r)
		r = check_names(&p);
	if (!r)
		r = count_expanded(&p, 0, p.nitems, &total);
	if (!r) {
		rmb_set_absolute(b, p.absolute == 1);
		path[0] = '\0';
		r = emit(&p, 0, p.nitems, path, 0, 0);
	}
	free(p.items);
	free(p.arena);
	return r;
}

const struct rm_importer rm_import_native = { "native", sniff, import };
