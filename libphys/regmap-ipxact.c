// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The IP-XACT importer: IEEE 1685-2009 ("spirit"), 1685-2014 ("ipxact")
 * and the 2022 namespace where it keeps the 2014 shapes. A component's
 * memoryMaps -> memoryMap -> addressBlock -> registerFile* -> register ->
 * field -> enumeratedValue.
 *
 * A component is a block, not a chip: a memoryMap is what one of its bus
 * interfaces serves, and an addressBlock's baseAddress is where the block
 * sits in that map, not in any CPU's physical address space (the design
 * that instantiates the component decides that). So the map is relative:
 * base + offsets are offsets in the target the map is bound to.
 *
 * Names: REGISTER when the component has a single addressBlock, else
 * BLOCK.REGISTER, and MAP.BLOCK.REGISTER when two memoryMaps have blocks
 * of the same name; a registerFile adds RF. in front. An array (dim) is
 * expanded into NAME[i] (NAME[i][j]...), laid out as C lays out arrays,
 * which is what the standard says dim means: elements a register's size
 * apart, or a registerFile's range (2022: the array's stride).
 *
 * Numbers: 2014 allows SystemVerilog expressions wherever a number goes.
 * We read literals ('h1F, 32'h1F, 'd10, 'b101, and 2009's #1F and 4k)
 * and refuse expressions and parameter references with a message rather
 * than guess a parameter's value.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regmap-xml.h"

#define SNIFF_WINDOW	8192		/* the root tag is in the first bytes */
#define MAX_DEPTH	8		/* registerFiles within registerFiles */
#define MAX_DIMS	4
#define MAX_ELEMS	65536U		/* elements of one array */
#define MAX_REGS	(1U << 20)	/* registers of a component, arrays expanded */
#define MAX_VISITS	(1U << 22)	/* array elements visited, empty ones too */
#define MAX_PATH	1024		/* a register's full name */

static const char *const namespaces[] = {
	"http://www.spiritconsortium.org/XMLSchema/SPIRIT/1685-2009",
	"http://www.accellera.org/XMLSchema/IPXACT/1685-2014",
	"http://www.accellera.org/XMLSchema/IPXACT/1685-2022",
};

/* A field of the register being read, with its enums at FIRST_ENUM. */
struct pfield {
	struct rmb_field f;
	size_t first_enum, nenums;
};

struct ipx {
	struct rm_builder *b;
	unsigned int aub;		/* the memoryMap's addressUnitBits */
	size_t nregs, visits;
	char path[MAX_PATH];		/* the name prefix: "BLOCK.RF[1]." */
	size_t plen;
	/* texts taken from the document, freed by release() */
	char **strs;
	size_t nstrs, capstrs;
	/* the register being read: its fields and their enums, read once
	 * and added for every element of an array */
	struct pfield *fields;
	size_t nfields, capfields;
	struct rmb_enum *enums;
	size_t nenums, capenums;
};

/* An addressBlock or registerFile element, for what it contains. */
struct scope {
	const char *what;	/* "addressBlock UART", for messages */
	uint64_t base;		/* where it starts, in address units */
	uint64_t range;		/* its size in address units; 0 unknown */
	int access;		/* the access its registers inherit; -1 none */
	uint64_t width;		/* the addressBlock's width: the default size */
	unsigned int depth;	/* registerFile nesting */
};

struct dims {
	unsigned int n;
	uint64_t count[MAX_DIMS];
	uint64_t total;		/* elements: the product of the counts */
	uint64_t stride;	/* 2022 array/stride; 0 none */
};

/* ---- sniffing ----------------------------------------------------------- */

/* Does TEXT (LEN bytes) mention one of our namespaces (EXACT: is it one)? */
static bool known_ns(const char *text, size_t len, bool exact)
{
	size_t i;

	for (i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++)
		if (exact ? !strcmp(text, namespaces[i])
			  : memmem(text, len, namespaces[i], strlen(namespaces[i])) != NULL)
			return true;
	return false;
}

/* Just past the next TOKEN in [P, END), or NULL if there is none. */
static const char *skip_past(const char *p, const char *end, const char *token)
{
	const char *t = memmem(p, (size_t)(end - p), token, strlen(token));

	return t ? t + strlen(token) : NULL;
}

static bool starts(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n && !memcmp(p, s, n);
}

/* The root element is a "component" whose start tag declares one of our
 * namespaces (SVD's root is a "device"). */
static bool sniff(const char *data, size_t len)
{
	const char *p = data, *end = data + (len < SNIFF_WINDOW ? len : SNIFF_WINDOW);
	const char *name, *colon, *close;

	if (starts(p, end, "\xef\xbb\xbf"))
		p += 3;
	for (;;) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end || *p != '<')
			return false;
		if (starts(p, end, "<?"))
			p = skip_past(p, end, "?>");
		else if (starts(p, end, "<!--"))
			p = skip_past(p, end, "-->");
		else if (starts(p, end, "<!"))
			p = skip_past(p, end, ">");
		else
			break;
		if (!p)
			return false;
	}
	name = ++p;
	while (p < end && !isspace((unsigned char)*p) && *p != '>' && *p != '/')
		p++;
	colon = memrchr(name, ':', (size_t)(p - name));
	if (colon)
		name = colon + 1;
	if (p - name != 9 || memcmp(name, "component", 9))
		return false;
	close = memchr(p, '>', (size_t)(end - p));
	return known_ns(p, (size_t)((close ? close : end) - p), false);
}

/* ---- texts and numbers -------------------------------------------------- */

/* What messages call an element ("register UART.CTRL"); a long one is cut. */
static void label(char *buf, size_t len, const char *fmt, ...) PHYS_PRINTF(3, 4);
static void label(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / elem)
		return -ENOMEM;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Keep S (malloc'ed; NULL: there was no memory) until release(). */
static int keep(struct ipx *x, char *s)
{
	if (!s || grow((void **)&x->strs, &x->capstrs, x->nstrs, sizeof(*x->strs))) {
		free(s);
		return -ENOMEM;
	}
	x->strs[x->nstrs++] = s;
	return 0;
}

/* Free the texts taken since x->nstrs was MARK. */
static void release(struct ipx *x, size_t mark)
{
	while (x->nstrs > mark)
		free(x->strs[--x->nstrs]);
}

/* N's text, trimmed, kept until release(): 0 or -ENOMEM. */
static int text_at(struct ipx *x, const xmlNode *n, char **text)
{
	char *s = rmx_text(n);
	int err = keep(x, s);

	*text = err ? NULL : s;
	return err;
}

/* The text of N's child NAME: 1 with *TEXT and *AT (the child), 0 if N has
 * no such child, or -ENOMEM. */
static int text_of(struct ipx *x, const xmlNode *n, const char *name, char **text,
		   const xmlNode **at)
{
	const xmlNode *c = rmx_child(n, name);
	int err;

	if (!c)
		return 0;
	err = text_at(x, c, text);
	*at = c;
	return err ? err : 1;
}

static unsigned int digit_of(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned int)(c - 'A' + 10);
	return 99;
}

/* A SystemVerilog literal, [SIZE]'[s]BASE DIGITS with Q at the quote:
 * 0, -EINVAL or -ERANGE (over 64 bits, or over SIZE). */
static int parse_sv(const char *s, const char *q, uint64_t *val)
{
	uint64_t size = 0, v = 0;
	unsigned int base;
	bool any = false;
	const char *p;

	for (p = s; p < q; p++) {
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		if (__builtin_mul_overflow(size, 10, &size) ||
		    __builtin_add_overflow(size, (uint64_t)(*p - '0'), &size))
			return -ERANGE;
	}
	if (q > s && !size)
		return -EINVAL;
	p = q + 1;
	if (*p == 's' || *p == 'S')
		p++;
	switch (*p) {
	case 'h': case 'H': base = 16; break;
	case 'd': case 'D': base = 10; break;
	case 'o': case 'O': base = 8; break;
	case 'b': case 'B': base = 2; break;
	default: return -EINVAL;
	}
	for (p++; *p; p++) {
		unsigned int d;

		if (*p == '_' && any)
			continue;
		d = digit_of(*p);
		if (d >= base)
			return -EINVAL;
		if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
			return -ERANGE;
		any = true;
	}
	if (!any)
		return -EINVAL;
	if (size && size < 64 && v >> size)
		return -ERANGE;
	*val = v;
	return 0;
}

/* rm_parse_u64()'s forms, with 2009's '#' for hex (not SVD's binary) and
 * its k/M/G/T suffixes (powers of 1024). */
static int parse_plain(const char *s, uint64_t *val)
{
	static const char scales[] = "kKmMgGtT";
	unsigned int shift = 0;
	const char *scale;
	char buf[80];
	size_t n;
	int err;

	if (*s == '+')
		s++;
	if (*s == '#') {
		if (strlen(s) + 2 >= sizeof(buf))
			return -EINVAL;
		snprintf(buf, sizeof(buf), "0x%s", s + 1);
	} else {
		if (strlen(s) >= sizeof(buf))
			return rm_parse_u64(s, val);	/* no suffix: too long for one */
		snprintf(buf, sizeof(buf), "%s", s);
	}
	n = strlen(buf);
	if (n > 1 && (scale = strchr(scales, buf[n - 1])) && digit_of(buf[n - 2]) < 16) {
		shift = 10 * (1 + (unsigned int)(scale - scales) / 2);
		buf[n - 1] = '\0';
	}
	err = rm_parse_u64(buf, val);
	if (err)
		return err;
	if (*val > UINT64_MAX >> shift)
		return -ERANGE;
	*val <<= shift;
	return 0;
}

/* Not a literal we failed to read but a parameter or an expression: it
 * starts like a name, or has an operator or a blank in it. */
static bool is_expression(const char *s)
{
	if (*s == '+')
		s++;
	if (!isdigit((unsigned char)*s) && *s != '#' && *s != '\'')
		return true;
	return strpbrk(s, " \t\r\n+-*/%()&|^~!<>?:$,{}") != NULL;
}

/* TEXT as a message quotes it, into BUF: control characters (a value
 * over several lines, an escape sequence) as '?', so that the message is
 * one line and prints as it reads; cut at SHOWN_MAX bytes with "...". */
#define SHOWN_MAX	64
static const char *shown(const char *text, char buf[SHOWN_MAX + 1])
{
	size_t i;

	for (i = 0; text[i] && i < SHOWN_MAX; i++)
		buf[i] = iscntrl((unsigned char)text[i]) ? '?' : text[i];
	buf[i] = '\0';
	if (text[i])
		memcpy(buf + SHOWN_MAX - 3, "...", 4);
	return buf;
}

/* TEXT, the content of element AT, as a number; WHAT names AT's owner. */
static int number(struct ipx *x, const xmlNode *at, const char *what, const char *text,
		  uint64_t *val)
{
	const char *q = strchr(text, '\'');
	const char *elem = (const char *)at->name;
	long line = rmx_line(at);
	char buf[SHOWN_MAX + 1];
	int err;

	if (!*text)
		return rmb_error(x->b, line, "%s: %s is empty", what, elem);
	err = q ? parse_sv(text, q, val) : parse_plain(text, val);
	if (err == -ERANGE)
		return rmb_error(x->b, line, "%s: %s '%s' is out of range", what, elem,
				 shown(text, buf));
	if (err && is_expression(text))
		return rmb_error(x->b, line, "%s: %s: parameter expressions are not supported: '%s'",
				 what, elem, shown(text, buf));
	if (err)
		return rmb_error(x->b, line, "%s: %s '%s' is not a number", what, elem,
				 shown(text, buf));
	return 0;
}

/* The number in N's child NAME: 1 with *VAL, 0 if there is none, or an error. */
static int num_of(struct ipx *x, const xmlNode *n, const char *name, const char *what,
		  uint64_t *val)
{
	const xmlNode *at;
	char *text;
	int err = text_of(x, n, name, &text, &at);

	if (err <= 0)
		return err;
	err = number(x, at, what, text, val);
	return err ? err : 1;
}

/* The same for a number N must have. */
static int need_num(struct ipx *x, const xmlNode *n, const char *name, const char *what,
		    uint64_t *val)
{
	int err = num_of(x, n, name, what, val);

	if (!err)
		return rmb_error(x->b, rmx_line(n), "%s has no %s", what, name);
	return err < 0 ? err : 0;
}

/* N's child NAME as a boolean (true/false, or a number): DFLT if none. */
static int bool_of(struct ipx *x, const xmlNode *n, const char *name, const char *what,
		   bool dflt, bool *val)
{
	const xmlNode *at;
	uint64_t v = 0;
	char *text;
	int err = text_of(x, n, name, &text, &at);

	*val = dflt;
	if (err <= 0)
		return err;
	if (!strcasecmp(text, "true") || !strcasecmp(text, "false")) {
		*val = !strcasecmp(text, "true");
		return 0;
	}
	err = number(x, at, what, text, &v);
	*val = v != 0;
	return err;
}

/* isPresent: 1 the element is there, 0 it is left out, or an error. */
static int present(struct ipx *x, const xmlNode *n, const char *what)
{
	bool p;
	int err = bool_of(x, n, "isPresent", what, true, &p);

	return err ? err : p;
}

/* Collapse the blanks of a description (indented, on several lines in the
 * file) into single spaces: it is shown on one line. */
static void squeeze(char *s)
{
	bool blank = false;
	char *d = s;

	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			blank = true;
			continue;
		}
		if (blank)
			*d++ = ' ';
		*d++ = *s;
		blank = false;
	}
	*d = '\0';
}

static int desc_of(struct ipx *x, const xmlNode *n, char **desc)
{
	const xmlNode *at;
	int err = text_of(x, n, "description", desc, &at);

	if (err < 0)
		return err;
	if (err)
		squeeze(*desc);
	else
		*desc = NULL;
	return 0;
}

/* N's name. No name has control characters (they would reach messages
 * and whatever prints the map); names of blocks, registers and fields
 * make dotted paths: no '.', '[', ']' or blanks in them either. KIND says
 * what N is ("register in addressBlock UART"). */
static int named(struct ipx *x, const xmlNode *n, const char *kind, bool in_path, char **name)
{
	char buf[SHOWN_MAX + 1];
	const xmlNode *at;
	const char *p;
	int err = text_of(x, n, "name", name, &at);

	if (err < 0)
		return err;
	if (!err || !**name)
		return rmb_error(x->b, rmx_line(err ? at : n), "%s without a name", kind);
	for (p = *name; *p && !iscntrl((unsigned char)*p); p++)
		;
	if (*p)
		return rmb_error(x->b, rmx_line(at), "%s: name '%s': control characters cannot be part of it",
				 kind, shown(*name, buf));
	if (in_path && strpbrk(*name, ".[] "))
		return rmb_error(x->b, rmx_line(at), "%s: name '%s': '.', '[', ']' and blanks cannot be part of it",
				 kind, shown(*name, buf));
	return 0;
}

static int name_of(struct ipx *x, const xmlNode *n, const char *kind, char **name)
{
	return named(x, n, kind, true, name);
}

/* ---- the pieces 2022 moved or made references ----------------------------- */

/* 2022 defines fields, registers, blocks in typeDefinitions documents and
 * refers to them; we read one document. */
static int no_definition_refs(struct ipx *x, const xmlNode *n, const char *what)
{
	static const char suffix[] = "DefinitionRef";
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		size_t len;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		len = strlen((const char *)c->name);
		if (len >= sizeof(suffix) - 1 &&
		    !strcmp((const char *)c->name + len - (sizeof(suffix) - 1), suffix))
			return rmb_error(x->b, rmx_line(c), "%s: %s (a typeDefinitions reference) is not supported",
					 what, (const char *)c->name);
	}
	return 0;
}

/* The first of 2022's access policies of N (fieldAccessPolicies or
 * accessPolicies): one per mode, and we have no modes. NULL if none. */
static const xmlNode *first_policy(const xmlNode *n)
{
	const xmlNode *p = rmx_child(n, "fieldAccessPolicies");

	if (p)
		return rmx_child(p, "fieldAccessPolicy");
	p = rmx_child(n, "accessPolicies");
	return p ? rmx_child(p, "accessPolicy") : NULL;
}

/* N's child NAME (access, modifiedWriteValue...), where 2009 and 2014 put
 * it, or in the first access policy where 2022 does. */
static const xmlNode *rule_node(const xmlNode *n, const char *name)
{
	const xmlNode *c = rmx_child(n, name), *p;

	if (c)
		return c;
	p = first_policy(n);
	return p ? rmx_child(p, name) : NULL;
}

/* The rule NAME of N through FROM (rm_access_from...), DFLT if none. */
static int rule_of(struct ipx *x, const xmlNode *n, const char *name, int (*from)(const char *),
		   const char *what, int dflt, int *val)
{
	const xmlNode *at = rule_node(n, name);
	char buf[SHOWN_MAX + 1];
	char *text;
	int err;

	*val = dflt;
	if (!at)
		return 0;
	err = text_at(x, at, &text);
	if (err)
		return err;
	*val = from(text);
	if (*val < 0)
		return rmb_error(x->b, rmx_line(at), "%s: unknown %s '%s'", what, name,
				 shown(text, buf));
	return 0;
}

/* The dim elements of N (2022: in N's array, with a stride). */
static int dims_of(struct ipx *x, const xmlNode *n, const char *what, struct dims *d)
{
	const xmlNode *arr = rmx_child(n, "array"), *c;
	char *text;
	int err;

	memset(d, 0, sizeof(*d));
	d->total = 1;
	for (c = rmx_child(arr ? arr : n, "dim"); c; c = rmx_next(c, "dim")) {
		uint64_t v;

		if (d->n == MAX_DIMS)
			return rmb_error(x->b, rmx_line(c), "%s: more than %d dimensions", what, MAX_DIMS);
		err = text_at(x, c, &text);
		if (!err)
			err = number(x, c, what, text, &v);
		if (err)
			return err;
		if (!v)
			return rmb_error(x->b, rmx_line(c), "%s: an array of 0 elements", what);
		if (__builtin_mul_overflow(d->total, v, &d->total) || d->total > MAX_ELEMS)
			return rmb_error(x->b, rmx_line(c), "%s: an array of more than %u elements",
					 what, MAX_ELEMS);
		d->count[d->n++] = v;
	}
	if (arr) {
		err = num_of(x, arr, "stride", what, &d->stride);
		if (err < 0)
			return err;
		if (err && !d->stride)
			return rmb_error(x->b, rmx_line(arr), "%s: stride 0", what);
	}
	return 0;
}

/* ---- names ---------------------------------------------------------------- */

static int path_add(struct ipx *x, const xmlNode *at, const char *fmt, ...) PHYS_PRINTF(3, 4);
static int path_add(struct ipx *x, const xmlNode *at, const char *fmt, ...)
{
	size_t room = sizeof(x->path) - x->plen;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(x->path + x->plen, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		x->path[x->plen] = '\0';
		return rmb_error(x->b, rmx_line(at), "%.64s...: a name longer than %d characters",
				 x->path, MAX_PATH - 1);
	}
	x->plen += (size_t)n;
	return 0;
}

static void path_cut(struct ipx *x, size_t len)
{
	x->plen = len;
	x->path[len] = '\0';
}

/* NAME and, for element I of the array D, its indices: "CH[1][3]". */
static int path_add_element(struct ipx *x, const xmlNode *at, const char *name,
			    const struct dims *d, uint64_t i)
{
	uint64_t idx[MAX_DIMS];
	unsigned int k;
	int err;

	for (k = d->n; k-- > 0;) {
		idx[k] = i % d->count[k];
		i /= d->count[k];
	}
	err = path_add(x, at, "%s", name);
	for (k = 0; !err && k < d->n; k++)
		err = path_add(x, at, "[%llu]", (unsigned long long)idx[k]);
	return err;
}

/* Where element I of an array at OFFSET with STRIDE starts in scope S,
 * and checks it ends (at SIZE units further) within S. */
static int place(struct ipx *x, const xmlNode *at, const struct scope *s, const char *what,
		 uint64_t offset, uint64_t stride, uint64_t i, uint64_t size, uint64_t *off)
{
	uint64_t end;

	if (++x->visits > MAX_VISITS)
		return rmb_error(x->b, rmx_line(at), "%s: arrays of more than %u elements in all",
				 what, MAX_VISITS);
	if (__builtin_mul_overflow(i, stride, off) || __builtin_add_overflow(*off, offset, off) ||
	    __builtin_add_overflow(*off, size, &end) || __builtin_add_overflow(*off, s->base, &end))
		return rmb_error(x->b, rmx_line(at), "%s: its address overflows 64 bits", what);
	if (s->range && (*off >= s->range || size > s->range - *off))
		return rmb_error(x->b, rmx_line(at), "%s (offset 0x%llx, 0x%llx units) lies outside %s (range 0x%llx)",
				 what, (unsigned long long)*off, (unsigned long long)size, s->what,
				 (unsigned long long)s->range);
	return 0;
}

/* ---- registers and their fields ------------------------------------------- */

static uint64_t ones(uint64_t bits)
{
	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

/* A reset (2009: of the register; 2014: of a field): value and mask, which
 * must fit in BITS. */
static int reset_of(struct ipx *x, const xmlNode *r, const char *what, uint64_t bits,
		    uint64_t *val, uint64_t *mask)
{
	int err = need_num(x, r, "value", what, val);

	if (err)
		return err;
	err = num_of(x, r, "mask", what, mask);
	if (err < 0)
		return err;
	if (!err)
		*mask = ones(bits);
	if ((*val | *mask) & ~ones(bits))
		return rmb_error(x->b, rmx_line(r), "%s: reset value 0x%llx (mask 0x%llx) does not fit in %llu bits",
				 what, (unsigned long long)*val, (unsigned long long)*mask,
				 (unsigned long long)bits);
	return 0;
}

/* Of a field's resets (2014), the HARD one (no resetTypeRef, or "HARD"),
 * which a power-on gives; else the first there is. */
static const xmlNode *hard_reset(const xmlNode *resets)
{
	const xmlNode *first = rmx_child(resets, "reset"), *r;

	for (r = first; r; r = rmx_next(r, "reset")) {
		char *type = rmx_attr(r, "resetTypeRef");
		bool hard = !type || !strcmp(type, "HARD");

		free(type);
		if (hard)
			return r;
	}
	return first;
}

static int read_enums(struct ipx *x, const xmlNode *n, const char *what, struct pfield *pf)
{
	const xmlNode *ev = rmx_child(n, "enumeratedValues"), *e;
	int err;

	pf->first_enum = x->nenums;
	if (!ev)
		return 0;
	err = no_definition_refs(x, ev, what);
	if (err)
		return err;
	/* "usage" (read, write) is left out: a value has one name either way. */
	for (e = rmx_child(ev, "enumeratedValue"); e; e = rmx_next(e, "enumeratedValue")) {
		char kind[MAX_PATH + 64];
		struct rmb_enum *v;
		char *name, *desc;
		uint64_t value;

		label(kind, sizeof(kind), "enumeratedValue of %s", what);
		err = named(x, e, kind, false, &name);
		if (!err)
			err = desc_of(x, e, &desc);
		if (!err) {
			label(kind, sizeof(kind), "enumeratedValue %s of %s", name, what);
			err = need_num(x, e, "value", kind, &value);
		}
		if (!err)
			err = grow((void **)&x->enums, &x->capenums, x->nenums, sizeof(*x->enums));
		if (err)
			return err;
		v = &x->enums[x->nenums++];
		*v = (struct rmb_enum){ .name = name, .desc = desc, .value = value, .line = rmx_line(e) };
		pf->nenums++;
	}
	return 0;
}

/* The writeValueConstraint of field N (its own, or its policy's). */
static int constraint_of(struct ipx *x, const xmlNode *n, const char *what, struct rmb_field *f)
{
	const xmlNode *c = rule_node(n, "writeValueConstraint");
	bool yes;
	int err;

	if (!c)
		return 0;
	err = bool_of(x, c, "useEnumeratedValues", what, false, &yes);
	if (err || yes) {
		f->constraint = 1;
		return err;
	}
	if (rmx_child(c, "minimum") || rmx_child(c, "maximum")) {
		err = need_num(x, c, "minimum", what, &f->min);
		if (!err)
			err = need_num(x, c, "maximum", what, &f->max);
		f->constraint = 2;
		return err;
	}
	/* writeAsRead: what was read may be written back, which any value
	 * read from the field already is. */
	return 0;
}

/* Field N of register REG (SIZE bits) into x->fields; its reset into the
 * register's RESET/MASK. */
static int read_field(struct ipx *x, const xmlNode *n, const char *reg, uint64_t size,
		      uint64_t *reset, uint64_t *mask)
{
	char what[MAX_PATH + 64];
	const xmlNode *resets;
	struct pfield pf = { 0 };
	uint64_t lsb, width;
	char *name, *desc;
	int err, read;

	label(what, sizeof(what), "field of register %s", reg);
	err = name_of(x, n, what, &name);
	if (err)
		return err;
	label(what, sizeof(what), "field %s.%s", reg, name);
	err = present(x, n, what);
	if (err <= 0)
		return err;
	err = no_definition_refs(x, n, what);
	if (!err && first_policy(n))
		err = no_definition_refs(x, first_policy(n), what);
	if (err)
		return err;
	if (rmx_child(n, "array"))
		return rmb_error(x->b, rmx_line(rmx_child(n, "array")), "%s: field arrays are not supported",
				 what);
	err = desc_of(x, n, &desc);
	if (!err)
		err = need_num(x, n, "bitOffset", what, &lsb);
	if (!err)
		err = need_num(x, n, "bitWidth", what, &width);
	if (err)
		return err;
	if (!width || lsb >= size || width > size - lsb)
		return rmb_error(x->b, rmx_line(n), "%s: bit offset %llu, width %llu: outside the %llu-bit register",
				 what, (unsigned long long)lsb, (unsigned long long)width,
				 (unsigned long long)size);
	pf.f.name = name;
	pf.f.desc = desc;
	pf.f.lsb = (unsigned int)lsb;
	pf.f.width = (unsigned int)width;
	pf.f.line = rmx_line(n);
	err = rule_of(x, n, "access", rm_access_from, what, RMB_INHERIT, &pf.f.access);
	if (!err)
		err = rule_of(x, n, "modifiedWriteValue", rm_write_from, what, RMB_INHERIT, &pf.f.write);
	if (!err)
		err = rule_of(x, n, "readAction", rm_read_from, what, PHYS_READ_NONE, &read);
	if (!err)
		err = constraint_of(x, n, what, &pf.f);
	if (err)
		return err;
	pf.f.read = (enum phys_reg_read)read;
	resets = rmx_child(n, "resets");
	if (resets && rmx_child(resets, "reset")) {
		uint64_t v, m;

		err = reset_of(x, hard_reset(resets), what, width, &v, &m);
		if (err)
			return err;
		*reset = (*reset & ~(ones(width) << lsb)) | (v & m) << lsb;
		*mask = (*mask & ~(ones(width) << lsb)) | m << lsb;
	}
	err = read_enums(x, n, what, &pf);
	if (!err)
		err = grow((void **)&x->fields, &x->capfields, x->nfields, sizeof(*x->fields));
	if (err)
		return err;
	x->fields[x->nfields++] = pf;
	return 0;
}

/* The name of N, a KIND in scope S, and WHAT, what messages call it
 * ("register UART.CTRL"): > 0, or 0 if N is not present (isPresent), or
 * a negative errno. */
static int scoped_name(struct ipx *x, const xmlNode *n, const char *kind, const struct scope *s,
		       char *what, size_t len, char **name)
{
	int err;

	label(what, len, "%s in %s", kind, s->what);
	err = name_of(x, n, what, name);
	if (err)
		return err;
	label(what, len, "%s %s%s", kind, x->path, *name);
	return present(x, n, what);
}

/* The register and its fields, for element I of the array (if any). */
static int add_register(struct ipx *x, const struct rmb_reg *r)
{
	size_t i, e;
	int err;

	if (x->nregs++ >= MAX_REGS)
		return rmb_error(x->b, r->line, "more than %u registers (arrays expanded)", MAX_REGS);
	err = rmb_add_reg(x->b, r);
	for (i = 0; !err && i < x->nfields; i++) {
		const struct pfield *pf = &x->fields[i];

		err = rmb_add_field(x->b, &pf->f);
		for (e = 0; !err && e < pf->nenums; e++)
			err = rmb_add_enum(x->b, &x->enums[pf->first_enum + e]);
	}
	return err;
}

static int read_register(struct ipx *x, const xmlNode *n, const struct scope *s)
{
	char what[MAX_PATH + 64];
	struct rmb_reg r = { .write = PHYS_WRITE_NORMAL, .read = PHYS_READ_NONE };
	uint64_t offset, size, units, stride, i;
	size_t mark = x->nstrs, plen = x->plen;
	const xmlNode *c;
	struct dims d;
	char *name, *desc;
	int err, access;

	x->nfields = x->nenums = 0;
	err = scoped_name(x, n, "register", s, what, sizeof(what), &name);
	if (err <= 0)
		goto out;
	err = no_definition_refs(x, n, what);
	if (!err)
		err = desc_of(x, n, &desc);
	if (!err)
		err = need_num(x, n, "addressOffset", what, &offset);
	if (err)
		goto out;
	/* size is required; be tolerant and take the block's width */
	err = num_of(x, n, "size", what, &size);
	if (err < 0)
		goto out;
	if (!err && !(size = s->width)) {
		err = rmb_error(x->b, rmx_line(n), "%s has no size (nor its addressBlock a width)", what);
		goto out;
	}
	if (size != 8 && size != 16 && size != 32 && size != 64) {
		err = rmb_error(x->b, rmx_line(n), "%s: size %llu bits; a register is 8, 16, 32 or 64 bits",
				what, (unsigned long long)size);
		goto out;
	}
	err = rule_of(x, n, "access", rm_access_from, what, s->access < 0 ? PHYS_ACCESS_RW : s->access,
		      &access);
	if (!err)
		err = dims_of(x, n, what, &d);
	if (err)
		goto out;
	c = rmx_child(n, "reset");	/* 2009: the register's */
	if (c) {
		err = reset_of(x, c, what, size, &r.reset, &r.reset_mask);
		if (err)
			goto out;
	}
	/* alternateRegisters, other views of this address in other modes,
	 * are left out: an address has one register here. */
	for (c = rmx_child(n, "field"); c; c = rmx_next(c, "field")) {
		err = read_field(x, c, what + strlen("register "), size, &r.reset, &r.reset_mask);
		if (err)
			goto out;
	}
	/* One register takes size / addressUnitBits units, and so far apart
	 * are the elements of an array of it. */
	units = size / x->aub + (size % x->aub != 0);
	stride = d.stride ? d.stride : units;
	r.desc = desc;
	r.size = (unsigned int)size;
	r.access = (enum phys_reg_access)access;
	r.line = rmx_line(n);
	for (i = 0; i < d.total; i++) {
		uint64_t off;

		err = place(x, n, s, what, offset, stride, i, units, &off);
		if (err)
			break;
		if (__builtin_mul_overflow(s->base + off, x->aub / 8, &r.address)) {
			err = rmb_error(x->b, r.line, "%s: its address overflows 64 bits", what);
			break;
		}
		err = path_add_element(x, n, name, &d, i);
		r.name = x->path;
		if (!err)
			err = add_register(x, &r);
		path_cut(x, plen);
		if (err)
			break;
	}
out:
	release(x, mark);
	return err < 0 ? err : 0;
}

static int read_contents(struct ipx *x, const xmlNode *n, const struct scope *s);

static int read_regfile(struct ipx *x, const xmlNode *n, const struct scope *s)
{
	char what[MAX_PATH + 64], where[MAX_PATH + 64];
	uint64_t offset, range = 0, stride, i;
	size_t mark = x->nstrs, plen = x->plen;
	struct dims d;
	char *name;
	int err;

	err = scoped_name(x, n, "registerFile", s, what, sizeof(what), &name);
	if (err <= 0)
		goto out;
	if (s->depth >= MAX_DEPTH) {
		err = rmb_error(x->b, rmx_line(n), "%s: registerFiles nested more than %d deep",
				what, MAX_DEPTH);
		goto out;
	}
	err = no_definition_refs(x, n, what);
	if (!err)
		err = need_num(x, n, "addressOffset", what, &offset);
	if (!err)
		err = num_of(x, n, "range", what, &range);
	if (err >= 0)
		err = dims_of(x, n, what, &d);
	if (err)
		goto out;
	stride = d.stride ? d.stride : range;
	if (d.total > 1 && !stride) {
		err = rmb_error(x->b, rmx_line(n), "%s: an array needs a range (its elements' size)", what);
		goto out;
	}
	for (i = 0; i < d.total; i++) {
		struct scope in = { .what = where, .range = range, .access = s->access,
				    .width = s->width, .depth = s->depth + 1 };
		uint64_t off;

		err = place(x, n, s, what, offset, stride, i, range, &off);
		if (!err)
			err = path_add_element(x, n, name, &d, i);
		if (err)
			break;
		label(where, sizeof(where), "registerFile %s", x->path);
		in.base = s->base + off;
		err = path_add(x, n, ".");
		if (!err)
			err = read_contents(x, n, &in);
		path_cut(x, plen);
		if (err)
			break;
	}
out:
	release(x, mark);
	return err < 0 ? err : 0;
}

/* The registers and registerFiles of a block or registerFile N. */
static int read_contents(struct ipx *x, const xmlNode *n, const struct scope *s)
{
	const xmlNode *c;
	int err = 0;

	for (c = n->children; c && !err; c = c->next) {
		if (rmx_is(c, "register"))
			err = read_register(x, c, s);
		else if (rmx_is(c, "registerFile"))
			err = read_regfile(x, c, s);
	}
	return err;
}

/* ---- blocks and maps -------------------------------------------------------- */

enum naming { NAME_BARE, NAME_BLOCK, NAME_MAP_BLOCK };

static int read_block(struct ipx *x, const xmlNode *n, const char *map, enum naming naming)
{
	char what[MAX_PATH + 64];
	struct scope s = { .what = what, .access = -1 };
	size_t mark = x->nstrs;
	char *name;
	int err;

	label(what, sizeof(what), "addressBlock in memoryMap %s", map);
	err = name_of(x, n, what, &name);
	if (err)
		goto out;
	label(what, sizeof(what), "addressBlock %s", name);
	err = present(x, n, what);
	if (err <= 0)
		goto out;
	err = no_definition_refs(x, n, what);
	if (!err && rmx_child(n, "array"))
		err = rmb_error(x->b, rmx_line(rmx_child(n, "array")), "%s: addressBlock arrays are not supported",
				what);
	if (!err)
		err = need_num(x, n, "baseAddress", what, &s.base);
	if (!err)
		err = num_of(x, n, "range", what, &s.range);
	if (err >= 0)
		err = num_of(x, n, "width", what, &s.width);
	if (err >= 0)
		err = rule_of(x, n, "access", rm_access_from, what, -1, &s.access);
	if (err)
		goto out;
	if (naming == NAME_MAP_BLOCK)
		err = path_add(x, n, "%s.%s.", map, name);
	else if (naming == NAME_BLOCK)
		err = path_add(x, n, "%s.", name);
	if (!err)
		err = read_contents(x, n, &s);
	path_cut(x, 0);
out:
	release(x, mark);
	return err < 0 ? err : 0;
}

static int read_map(struct ipx *x, const xmlNode *n, enum naming naming)
{
	char what[MAX_PATH + 64];
	size_t mark = x->nstrs;
	const xmlNode *c;
	uint64_t aub;
	char *name;
	int err;

	err = name_of(x, n, "memoryMap", &name);
	if (err)
		goto out;
	label(what, sizeof(what), "memoryMap %s", name);
	err = no_definition_refs(x, n, what);
	if (!err)
		err = num_of(x, n, "addressUnitBits", what, &aub);
	if (err < 0)
		goto out;
	if (!err)
		aub = 8;
	err = 0;
	if (!aub || aub % 8 || aub > 1024) {
		err = rmb_error(x->b, rmx_line(rmx_child(n, "addressUnitBits")),
				"%s: addressUnitBits %llu; we address bytes, so it must be a multiple of 8",
				what, (unsigned long long)aub);
		goto out;
	}
	x->aub = (unsigned int)aub;
	/* A bank lays blocks out one after the other or side by side; rare
	 * in register descriptions, and refused rather than guessed. */
	c = rmx_child(n, "bank");
	if (c) {
		err = rmb_error(x->b, rmx_line(c), "%s: banks are not supported", what);
		goto out;
	}
	/* subspaceMaps name a master's address space: no registers here;
	 * memoryRemaps are the same registers elsewhere in another mode. */
	for (c = rmx_child(n, "addressBlock"); c && !err; c = rmx_next(c, "addressBlock"))
		err = read_block(x, c, name, naming);
out:
	release(x, mark);
	return err;
}

struct block_name {
	char *name;
	size_t map;
};

static int cmp_block_name(const void *a, const void *b)
{
	return strcmp(((const struct block_name *)a)->name, ((const struct block_name *)b)->name);
}

/* The names the blocks need: bare with one block; prefixed by the map's
 * when two maps have blocks of the same name. */
static int naming_of(const xmlNode *maps, enum naming *naming)
{
	struct block_name *names = NULL;
	size_t n = 0, cap = 0, nmap = 0, i;
	const xmlNode *m, *blk;
	int err = 0;

	for (m = rmx_child(maps, "memoryMap"); m && !err; m = rmx_next(m, "memoryMap"), nmap++) {
		for (blk = rmx_child(m, "addressBlock"); blk && !err; blk = rmx_next(blk, "addressBlock")) {
			const xmlNode *nm = rmx_child(blk, "name");

			err = grow((void **)&names, &cap, n, sizeof(*names));
			if (err)
				break;
			names[n].name = nm ? rmx_text(nm) : strdup("");
			names[n].map = nmap;
			if (!names[n++].name)
				err = -ENOMEM;
		}
	}
	*naming = n > 1 ? NAME_BLOCK : NAME_BARE;
	if (!err && n > 1) {
		qsort(names, n, sizeof(*names), cmp_block_name);
		for (i = 1; i < n; i++)
			if (!strcmp(names[i].name, names[i - 1].name) && names[i].map != names[i - 1].map)
				*naming = NAME_MAP_BLOCK;
	}
	for (i = 0; i < n; i++)
		free(names[i].name);
	free(names);
	return err;
}

static int read_component(struct ipx *x, const xmlNode *root)
{
	const xmlNode *maps, *m = NULL;
	enum naming naming;
	char *name;
	int err;

	if (!root || !rmx_is(root, "component") || !root->ns || !root->ns->href ||
	    !known_ns((const char *)root->ns->href, 0, true))
		return rmb_error(x->b, root ? rmx_line(root) : 0,
				 "not an IP-XACT component (<component> in the IEEE 1685-2009, -2014 or -2022 namespace)");
	/* The component's name, not a path: blanks and dots will do. */
	err = named(x, root, "component", false, &name);
	if (!err)
		err = rmb_set_name(x->b, name);
	if (err)
		return err;
	/* The base addresses are where blocks sit in the component's own
	 * map: the map binds to a target and they are offsets in it. */
	rmb_set_absolute(x->b, false);
	maps = rmx_child(root, "memoryMaps");
	if (!maps || !rmx_child(maps, "memoryMap"))
		return rmb_error(x->b, rmx_line(root), "component %s has no memoryMaps: no registers", name);
	err = naming_of(maps, &naming);
	for (m = rmx_child(maps, "memoryMap"); m && !err; m = rmx_next(m, "memoryMap"))
		err = read_map(x, m, naming);
	return err;
}

static int import(struct rm_builder *b, const char *data, size_t len)
{
	struct ipx x = { .b = b };
	xmlDocPtr doc;
	int err;

	doc = rmx_parse(b, data, len, &err);
	if (!doc)
		return err;
	err = read_component(&x, xmlDocGetRootElement(doc));
	release(&x, 0);
	free(x.strs);
	free(x.fields);
	free(x.enums);
	xmlFreeDoc(doc);
	return err;
}

const struct rm_importer rm_import_ipxact = { "ipxact", sniff, import };
