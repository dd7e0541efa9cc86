// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Mutation fuzzer for the register map importers (CMSIS-SVD, IP-XACT and
 * the native format), built with ASan/UBSan: libphys's sources are
 * compiled into this program so they are instrumented too (regmap-fuzz.mk).
 *
 *   regmap-fuzz [-f svd|ipxact|native] [-t SECONDS] SEED ITERATIONS SEEDFILE...
 *
 * Each iteration mutates one seed file (flip/insert/delete/duplicate bytes
 * and lines, splice in the format's words, boundary numbers and runs of
 * another seed of the same format; for XML whole elements, element text
 * and derivedFrom), writes it to a file and loads it twice through the
 * public API with $XDG_CACHE_HOME in a directory of its own, emptied after
 * each iteration: the first load imports and caches, the second reads the
 * cache. A seed's format (the words and shapes its mutations use) is its
 * file's ending, .svd, .xml (IP-XACT) or .regmap, unless -f names one.
 * -t stops after SECONDS (ITERATIONS 0: no other bound).
 *
 * Any crash, leak or undefined behaviour aborts with the sanitizer's
 * report; a broken promise of libphys.h aborts saying which. Either way
 * the input is kept, and its path and the iteration printed. The promises:
 *  - refused: NULL, errno EINVAL, phys_ctx_errmsg() "FILE:LINE: message"
 *    (LINE in the file) or "FILE: message" on one line; the second load is
 *    refused with the same message.
 *  - loaded: registers in address order, of 8, 16, 32 or 64 bits, inside
 *    the address space, reset within the size and the reset mask; fields
 *    from bit 0 up, each within its register, none overlapping, their
 *    range constraint within the field; enumerated values within their
 *    field, named back by phys_regmap_enum_name(); every register's name
 *    and every "REG.FIELD" looked up gives it back (unless a register is
 *    named that, ignoring case: the register wins); phys_regmap_at() and
 *    phys_regmap_foreach() agree with the numbering; the read and write
 *    rules answer as documented; and the map read back from the cache is
 *    the imported one, every name, value and description.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

#include <libphys.h>

enum format { NATIVE, SVD, IPXACT, NFORMATS };

static const char *const format_names[NFORMATS] = { "native", "svd", "ipxact" };
static const char *const endings[NFORMATS] = { ".regmap", ".svd", ".xml" };

/* Numbers and values some format reads; "\0" has length 1 on purpose. */
static const char *const values[] = {
	"0", "1", "7", "8", "15", "16", "31", "32", "33", "63", "64", "65", "-1", "+1",
	"0x0", "0x4", "0xfff", "0xffffffff", "0x100000000", "0xffffffffffffffff",
	"0x10000000000000000", "18446744073709551615", "18446744073709551616",
	"4294967295", "4294967296", "65535", "65536", "65537", "0b1010", "0b", "0x",
	"#1x0x", "#xxxxxxxx", "0x_1", "1_000", "'h10", "8'hff", "32'd5", "'b101", "4k",
	"1M", "2G", "1T", "[7:0]", "[63:0]", "[0:7]", "[64:0]", "[31:32]", "7:0", "[3]",
	"A,B,C", "0-3", "0-65535", "%s", "[%s]", "X%s", "true", "false", "read-write",
	"read-only", "write-only", "writeOnce", "read-writeOnce", "oneToClear", "oneToSet",
	"zeroToToggle", "clear", "set", "modify", "modifyExternal", "registers",
	"reserved", " ", "\t", "\"", "'", "\\", "\n", "\r\n", "\r", "\0", "\x1b[2J",
	"\xff", "\xc3\xa9",
};

static const char *const native_words[] = {
	"physmem-regmap 1\n", "physmem-regmap", "name", "pci", "bar", "default", "block",
	"end", "register", "field", "enum", "at", "size", "access", "write", "read",
	"reset", "mask", "stride", "range", "enums-only", "rw", "ro", "wo", "w1", "rw1",
	"w1c", "w1s", "w1t", "w0c", "w0s", "w0t", "wc", "ws", "wm", "none", "rc", "rs",
	"rm", "rme", "#", "\"", "\\\"", "[", "]", ":", "1234:11e8", "ffff:ffff",
	"\n\tfield F 0\n", "\nregister R 0x0\n", "\nregister A[2] at 0x0\n",
	"\nblock B 0x0\n", "\nblock B[65536] 0x0\n", "\nend\n", "\n\t\tenum E 1\n",
	"\n\t\tenum D default\n", "CH[3]", "CH[0]", "[65536]",
};

/* Element names of either XML format (the importers look at local names). */
static const char *const svd_tags[] = {
	"access", "addressOffset", "addressUnitBits", "baseAddress", "bitOffset",
	"bitRange", "bitWidth", "cluster", "description", "dim", "dimIncrement",
	"dimIndex", "dimName", "enumeratedValue", "enumeratedValues", "field", "fields",
	"isDefault", "lsb", "maximum", "minimum", "modifiedWriteValues", "msb", "name",
	"peripheral", "peripherals", "range", "readAction", "register", "registers",
	"resetMask", "resetValue", "size", "usage", "useEnumeratedValues", "value",
	"writeAsRead", "writeConstraint", "alternateRegister", "alternateGroup",
	"headerStructName", "device", "width",
};
static const char *const ipxact_tags[] = {
	"component", "memoryMaps", "memoryMap", "addressBlock", "bank", "register",
	"registerFile", "field", "name", "baseAddress", "addressOffset", "bitOffset",
	"bitWidth", "size", "dim", "range", "width", "access", "reset", "resets", "value",
	"mask", "enumeratedValues", "enumeratedValue", "modifiedWriteValue", "readAction",
	"writeValueConstraint", "minimum", "maximum", "useEnumeratedValues", "isPresent",
	"stride", "array", "accessPolicies", "accessPolicy", "fieldAccessPolicies",
	"fieldAccessPolicy", "usage", "description", "addressUnitBits", "volatile",
	"resetTypeRef", "fieldDefinitionRef",
};
static const char *const xml_words[] = {
	"<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&lt;", "&#10;", "&#0;", "&#x110000;",
	"&e;", "<!DOCTYPE d [<!ENTITY e \"x&e;\">]>", "<?xml version=\"1.0\"?>",
	"<?xml version=\"1.0\" encoding=\"UTF-16\"?>", "encoding=\"ISO-8859-1\"", "<", ">",
	"</", "/>", "=\"", "xmlns=\"\"", " derivedFrom=\"\"", " derivedFrom=\"A.B.C\"",
	" xmlns:spirit=\"http://www.spiritconsortium.org/XMLSchema/SPIRIT/1685-2009\"",
	" xmlns:ipxact=\"http://www.accellera.org/XMLSchema/IPXACT/1685-2014\"",
	"ipxact:", "spirit:", "\xef\xbb\xbf",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct seed {
	char *data;
	size_t len;
	enum format format;
	bool loads;		/* as it is */
};

struct buf {
	char *p;
	size_t len, cap;
};

static uint64_t rng;
static struct seed *seeds;
static size_t nseeds, nloading;
/* for the reports */
static unsigned long iteration;
static const char *seed_arg;
static char input[PATH_MAX + 16];
static struct phys_ctx *ctx;

static uint64_t rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? rng % n : 0;
}

/* The generator's state from SEED: xorshift's first numbers from small
 * seeds (1, 2, 3...) are small and alike, the runs of neighbouring seeds too. */
static uint64_t splitmix(uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void kept(void)
{
	fprintf(stderr, "regmap-fuzz: iteration %lu of seed %s (ITERATIONS %lu repeats it): "
		"input kept in %s\n", iteration, seed_arg, iteration + 1, input);
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "regmap-fuzz: broken promise: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	kept();
	abort();
}

#define CHECK(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

/* ---- mutations ---------------------------------------------------------- */

static void insert(struct buf *b, size_t at, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = realloc(b->p, b->cap);
		CHECK(b->p, "out of memory");
	}
	memmove(b->p + at + n, b->p + at, b->len - at);
	memcpy(b->p + at, s, n);
	b->len += n;
}

static void erase(struct buf *b, size_t at, size_t n)
{
	if (at + n > b->len)
		n = b->len - at;
	memmove(b->p + at, b->p + at + n, b->len - at - n);
	b->len -= n;
}

static void insert_word(struct buf *b, size_t at, const char *w)
{
	insert(b, at, w, *w ? strlen(w) : 1);
}

static const char *pick(const char *const *words, size_t n)
{
	return words[rnd(n)];
}

/* Where the next C at or after AT is (LEN if none). */
static size_t find(const struct buf *b, size_t at, char c)
{
	const char *p = at < b->len ? memchr(b->p + at, c, b->len - at) : NULL;

	return p ? (size_t)(p - b->p) : b->len;
}

/* The start of the line AT is in, and its end after the newline. */
static void line_at(const struct buf *b, size_t at, size_t *start, size_t *end)
{
	*start = at;
	while (*start && b->p[*start - 1] != '\n')
		(*start)--;
	*end = find(b, at, '\n');
	if (*end < b->len)
		(*end)++;
}

/* The element prefix the file uses ("ipxact:", "spirit:" or none). */
static const char *xml_prefix(const struct buf *b)
{
	if (memmem(b->p, b->len, "<ipxact:", 8))
		return "ipxact:";
	if (memmem(b->p, b->len, "<spirit:", 8))
		return "spirit:";
	return "";
}

/* A name the file gives (the text of a random <name>), for derivedFrom. */
static void some_name(const struct buf *b, char *out, size_t len)
{
	size_t at = rnd(b->len + 1);
	const char *p = at < b->len ? memmem(b->p + at, b->len - at, "name>", 5) : NULL;
	size_t n = 0;

	out[0] = '\0';
	if (!p || p[-1] == '/')
		return;
	for (p += 5; p < b->p + b->len && *p != '<' && n + 1 < len; p++)
		out[n++] = *p;
	out[n] = '\0';
}

static void mutate_xml(struct buf *b, enum format f, size_t at)
{
	const char *const *tags = f == SVD ? svd_tags : ipxact_tags;
	size_t ntags = f == SVD ? ARRAY_SIZE(svd_tags) : ARRAY_SIZE(ipxact_tags);
	const char *pfx = xml_prefix(b), *tag = pick(tags, ntags);
	char el[160], name[64];
	size_t end, lt;

	/* after the next '>', where an element or text may go */
	at = find(b, at, '>');
	at = at < b->len ? at + 1 : b->len;
	switch (rnd(5)) {
	case 0:	/* a whole element */
		snprintf(el, sizeof(el), "<%s%s>%s</%s%s>", pfx, tag, pick(values, ARRAY_SIZE(values)),
			 pfx, tag);
		insert_word(b, at, el);
		break;
	case 1:	/* an open or a close tag alone */
		snprintf(el, sizeof(el), rnd(2) ? "<%s%s>" : "</%s%s>", pfx, tag);
		insert_word(b, at, el);
		break;
	case 2:	/* the element's text */
		end = find(b, at, '<');
		erase(b, at, end - at);
		insert_word(b, at, pick(values, ARRAY_SIZE(values)));
		break;
	case 3:	/* derivedFrom a name of the file, or a dotted path of names */
		for (lt = at ? at - 1 : 0; lt && b->p[lt] != '<'; lt--)
			;
		some_name(b, name, sizeof(name));
		/* on an open tag, <a>, not </a>, <a/> or <?xml ...?> */
		if (at >= 2 && b->p[at - 1] == '>' && b->p[at - 2] != '/' && b->p[lt] == '<' &&
		    isalpha((unsigned char)b->p[lt + 1])) {
			snprintf(el, sizeof(el), " derivedFrom=\"%s%s%s\"", name, rnd(2) ? "" : ".",
				 rnd(2) ? "" : name);
			insert_word(b, at - 1, el);
		}
		break;
	case 4:
		insert_word(b, at, pick(xml_words, ARRAY_SIZE(xml_words)));
		break;
	}
}

static void mutate(struct buf *b, enum format f)
{
	int k, rounds = 1;

	/* mostly one or two: after many, the importers refuse nearly all early */
	while (rounds < 8 && rnd(2))
		rounds++;
	for (k = 0; k < rounds; k++) {
		size_t at = rnd(b->len + 1), n, start, end;

		switch (rnd(f == NATIVE ? 12 : 15)) {
		case 0:	/* flip a bit */
			if (b->len)
				b->p[rnd(b->len)] ^= (char)(1u << rnd(8));
			break;
		case 1:	/* a random byte */
			if (b->len)
				b->p[rnd(b->len)] = (char)rnd(256);
			break;
		case 2:	/* delete a run */
			erase(b, at, rnd(16));
			break;
		case 3:	/* a word of the format */
			if (f == NATIVE)
				insert_word(b, at, pick(native_words, ARRAY_SIZE(native_words)));
			else
				insert_word(b, at, pick(xml_words, ARRAY_SIZE(xml_words)));
			break;
		case 4:	/* a number or value */
			insert_word(b, at, pick(values, ARRAY_SIZE(values)));
			break;
		case 5:	/* a number of the file replaced */
			while (at < b->len && !isdigit((unsigned char)b->p[at]))
				at++;
			for (end = at; end < b->len && isxdigit((unsigned char)b->p[end]); end++)
				;
			erase(b, at, end - at);
			insert_word(b, at, pick(values, ARRAY_SIZE(values)));
			break;
		case 6:	/* duplicate a run (duplicate names, long words) */
			if (b->len) {
				size_t from = rnd(b->len);
				char tmp[64];

				n = rnd(sizeof(tmp));
				if (from + n > b->len)
					n = b->len - from;
				memcpy(tmp, b->p + from, n);
				insert(b, at, tmp, n);
			}
			break;
		case 7: {	/* a very long word */
			char longw[300];

			memset(longw, 'a' + (int)rnd(26), sizeof(longw));
			insert(b, at, longw, rnd(sizeof(longw)));
			break;
		}
		case 8: {	/* duplicate a line (a register, a field, an element) */
			char *tmp;

			line_at(b, at, &start, &end);
			tmp = malloc(end - start + 1);
			CHECK(tmp, "out of memory");
			memcpy(tmp, b->p + start, end - start);
			line_at(b, rnd(b->len + 1), &at, &n);
			insert(b, at, tmp, end - start);
			free(tmp);
			break;
		}
		case 9:	/* delete a line */
			line_at(b, at, &start, &end);
			erase(b, start, end - start);
			break;
		case 10: {	/* a run of another seed of the same format */
			const struct seed *s = &seeds[rnd(nseeds)];
			size_t from;

			if (s->format != f || !s->len)
				break;
			from = rnd(s->len);
			n = rnd(256);
			if (from + n > s->len)
				n = s->len - from;
			insert(b, at, s->data + from, n);
			break;
		}
		case 11:	/* move a line: an order the file did not have */
			line_at(b, at, &start, &end);
			if (end > start && end < b->len) {
				char *tmp = malloc(end - start);

				CHECK(tmp, "out of memory");
				memcpy(tmp, b->p + start, end - start);
				n = end - start;
				erase(b, start, n);
				line_at(b, rnd(b->len + 1), &at, &end);
				insert(b, end, tmp, n);
				free(tmp);
			}
			break;
		default:	/* XML: elements, their text, derivedFrom */
			mutate_xml(b, f, at);
			break;
		}
	}
}

/* ---- the promises --------------------------------------------------------- */

static uint64_t bits_mask(unsigned int bits)
{
	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

/* Lines in DATA, for a message's LINE: '\n', or a '\r' alone (XML). */
static long count_lines(const char *data, size_t len)
{
	long n = 1;
	size_t i;

	for (i = 0; i < len; i++)
		if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n')))
			n++;
	return n;
}

static void check_message(const char *msg, const char *data, size_t len)
{
	size_t plen = strlen(input);
	const char *p = msg + plen + 1;

	CHECK(!strncmp(msg, input, plen) && msg[plen] == ':',
	      "message does not start with \"%s:\": %s", input, msg);
	if (isdigit((unsigned char)*p)) {
		char *end;
		long line = strtol(p, &end, 10);

		CHECK(line >= 1 && line <= count_lines(data, len),
		      "message names line %ld of a file of %ld: %s", line, count_lines(data, len), msg);
		CHECK(*end == ':', "message is not FILE:LINE: ...: %s", msg);
		p = end + 1;
	}
	CHECK(*p == ' ' && p[1] && p[1] != ' ', "message is not FILE[:LINE]: MESSAGE: %s", msg);
	/* one line, printed as it reads: what the file quotes is shown tamed */
	for (; *p; p++)
		CHECK(!iscntrl((unsigned char)*p), "message with control characters: %s", msg);
}

/* A name that "REG.FIELD" can reach: something, no dot, blank or control. */
static bool plain_name(const char *s, bool dots)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (iscntrl((unsigned char)*s) || isspace((unsigned char)*s) || (*s == '.' && !dots))
			return false;
	return true;
}

static int count_visit(const struct phys_regmap *map, size_t reg, void *data)
{
	size_t *next = data;

	CHECK(reg == *next, "phys_regmap_foreach() visits register %zu after %zu", reg, *next);
	(*next)++;
	return 0;
}

static bool write_only(enum phys_reg_access a)
{
	return a == PHYS_ACCESS_WO || a == PHYS_ACCESS_W1;
}

/* WO: the register or one of its fields is write-only, which is the one
 * reason a forced write may be refused (their other bits' reset unknown). */
static void check_plan(const struct phys_regmap *map, size_t reg, int field,
		       const struct phys_reg_info *r, const struct phys_field_info *f,
		       uint64_t value, unsigned int flags, bool wo)
{
	struct phys_reg_write_plan plan;
	int err = phys_regmap_write_plan(map, reg, field, value, flags, &plan);
	uint64_t fmask = f ? bits_mask(f->width) << f->lsb : 0;

	CHECK(!err || err == -EPERM || err == -ERANGE,
	      "write plan of %s field %d: %d", r->name, field, err);
	CHECK(err != -EPERM || !(flags & PHYS_REGMAP_FORCE) || wo,
	      "forced write of %s field %d refused: %s", r->name, field, phys_ctx_errmsg(ctx));
	if (err)
		return;
	CHECK(!((plan.keep | plan.set) & ~bits_mask(r->size)) && !(plan.keep & plan.set),
	      "write plan of %s field %d: keep 0x%llx set 0x%llx", r->name, field,
	      (unsigned long long)plan.keep, (unsigned long long)plan.set);
	CHECK(!f || (!(plan.keep & fmask) && (plan.set & fmask) == value << f->lsb),
	      "write plan of %s.%s = 0x%llx: keep 0x%llx set 0x%llx", r->name, f ? f->name : "",
	      (unsigned long long)value, (unsigned long long)plan.keep,
	      (unsigned long long)plan.set);
}

/* Has field FIELD an enum NAME = VALUE (not the default)? */
static bool has_enum(const struct phys_regmap *map, size_t reg, unsigned int field,
		     unsigned int nenums, const char *name, uint64_t value)
{
	unsigned int e;

	for (e = 0; e < nenums; e++) {
		struct phys_enum_info v = PHYS_INFO_INIT(struct phys_enum_info);

		if (!phys_regmap_enum(map, reg, field, e, &v) && !v.is_default &&
		    !strcmp(v.name, name) && v.value == value)
			return true;
	}
	return false;
}

static void check_field(const struct phys_regmap *map, size_t reg, const struct phys_reg_info *r,
			unsigned int i, const struct phys_field_info *f, bool lookup)
{
	struct phys_enum_info no_enum = PHYS_INFO_INIT(struct phys_enum_info);
	char full[1024];
	size_t got;
	int gotf, err;
	unsigned int e;

	CHECK(plain_name(f->name, false), "field %s.%s: not a name", r->name, f->name);
	CHECK(f->width && f->lsb < r->size && f->width <= r->size - f->lsb,
	      "field %s.%s: bits %u+%u outside the %u-bit register", r->name, f->name, f->lsb,
	      f->width, r->size);
	CHECK(f->constraint <= 2 && (f->constraint != 2 ||
				     (f->min <= f->max && f->max <= bits_mask(f->width))),
	      "field %s.%s: constraint %u %llu..%llu", r->name, f->name, f->constraint,
	      (unsigned long long)f->min, (unsigned long long)f->max);
	CHECK(strcmp(phys_reg_access_name(f->access), "?") &&
	      strcmp(phys_reg_write_name(f->write), "?") && strcmp(phys_reg_read_name(f->read), "?"),
	      "field %s.%s: access rule out of range", r->name, f->name);
	CHECK(!f->read || r->read_side_effect, "field %s.%s reads with a side effect, %s not",
	      r->name, f->name, r->name);
	CHECK(phys_regmap_field_get(map, reg, i, ~0ULL) == bits_mask(f->width),
	      "field %s.%s: field_get of all ones", r->name, f->name);

	if (lookup) {
		snprintf(full, sizeof(full), "%s.%s", r->name, f->name);
		err = phys_regmap_lookup(map, full, &got, &gotf);
		if (!err && gotf >= 0) {
			CHECK(got == reg && gotf == (int)i, "lookup of %s gives register %zu field %d",
			      full, got, gotf);
		} else {
			/* a register of that name, ignoring case, wins; two make it ambiguous */
			size_t n = phys_regmap_count(map), k, same = 0;
			struct phys_reg_info o = PHYS_INFO_INIT(struct phys_reg_info);

			for (k = 0; k < n; k++)
				if (!phys_regmap_reg(map, k, &o) && !strcasecmp(o.name, full))
					same++;
			CHECK((!err && same >= 1) || (err == -EINVAL && same >= 2),
			      "lookup of field %s: %d (%s)", full, err,
			      err ? phys_ctx_errmsg(ctx) : "a register");
		}
	}

	for (e = 0; e < f->nenums; e++) {
		struct phys_enum_info v = PHYS_INFO_INIT(struct phys_enum_info);
		const char *name;
		uint64_t back;

		CHECK(!phys_regmap_enum(map, reg, i, e, &v), "enum %u of %s.%s", e, r->name, f->name);
		CHECK(v.name && *v.name && v.description, "enum %u of %s.%s: no name", e, r->name,
		      f->name);
		CHECK(!(v.value & ~bits_mask(f->width)),
		      "enum %s.%s.%s = 0x%llx outside the %u-bit field", r->name, f->name, v.name,
		      (unsigned long long)v.value, f->width);
		if (v.is_default || f->nenums > 256)
			continue;
		/* Names and values need not be one to one: SVD's don't-care
		 * bits give one name several values, a read and a write usage
		 * two names one value. Some enum of the value must be named,
		 * some of the name be its value. */
		name = phys_regmap_enum_name(map, reg, i, v.value);
		CHECK(name && has_enum(map, reg, i, f->nenums, name, v.value),
		      "enum %s.%s.%s = 0x%llx: named back %s", r->name, f->name, v.name,
		      (unsigned long long)v.value, name ? name : "(none)");
		CHECK(!phys_regmap_enum_value(map, reg, i, v.name, &back) &&
		      has_enum(map, reg, i, f->nenums, v.name, back),
		      "enum %s.%s.%s = 0x%llx: looked up, 0x%llx", r->name, f->name, v.name,
		      (unsigned long long)v.value, (unsigned long long)back);
	}
	CHECK(phys_regmap_enum(map, reg, i, f->nenums, &no_enum) == -ERANGE,
	      "field %s.%s has more than %u enums", r->name, f->name, f->nenums);
}

static void check_loaded(const struct phys_regmap *map, size_t nfields_total)
{
	struct phys_reg_info no_reg = PHYS_INFO_INIT(struct phys_reg_info);
	size_t n = phys_regmap_count(map), reg, visited = 0, at;
	uint64_t prev = 0;
	/* A field's look-up tries "REG.FIELD" as a register first, ignoring
	 * case too: a scan of them all. Arrays of thousands would make that
	 * quadratic: look up every STEP-th field then. */
	size_t step = 1 + (uint64_t)nfields_total * n / (1U << 22), nth = 0;
	uint16_t vendor, device;
	unsigned int v;
	int bar;

	CHECK(n, "loaded a map of no registers");
	CHECK(phys_regmap_name(map) && !strcmp(phys_regmap_path(map), input),
	      "name or path of the map");
	for (v = 0; !phys_regmap_pci(map, v, &vendor, &device, &bar); v++)
		CHECK(bar >= -1 && bar <= 5, "PCI %04x:%04x BAR %d", vendor, device, bar);
	for (reg = 0; reg < n; reg++) {
		struct phys_reg_info r = PHYS_INFO_INIT(struct phys_reg_info);
		struct phys_field_info no_field = PHYS_INFO_INIT(struct phys_field_info);
		unsigned int i, lsb = 0;
		bool side = false, wo;
		size_t got;
		int gotf, rule;

		CHECK(!phys_regmap_reg(map, reg, &r), "register %zu of %zu", reg, n);
		wo = write_only(r.access);
		CHECK(plain_name(r.name, true) && r.description, "register %zu: name '%s'", reg, r.name);
		CHECK(r.size == 8 || r.size == 16 || r.size == 32 || r.size == 64,
		      "register %s: size %u", r.name, r.size);
		CHECK(r.address <= UINT64_MAX - (r.size / 8 - 1), "register %s: past the end",
		      r.name);
		CHECK(reg == 0 || r.address >= prev, "register %s at 0x%llx before the one before",
		      r.name, (unsigned long long)r.address);
		CHECK(!(r.reset & ~r.reset_mask) && !(r.reset_mask & ~bits_mask(r.size)),
		      "register %s: reset 0x%llx mask 0x%llx", r.name, (unsigned long long)r.reset,
		      (unsigned long long)r.reset_mask);
		CHECK(strcmp(phys_reg_access_name(r.access), "?") &&
		      strcmp(phys_reg_write_name(r.write), "?") && strcmp(phys_reg_read_name(r.read), "?"),
		      "register %s: access rule out of range", r.name);
		prev = r.address;
		CHECK(!phys_regmap_lookup(map, r.name, &got, &gotf) && got == reg && gotf == -1,
		      "lookup of register %s", r.name);
		CHECK(!phys_regmap_at(map, r.address, &at) && at <= reg,
		      "register %s: phys_regmap_at(0x%llx)", r.name, (unsigned long long)r.address);

		for (i = 0; i < r.nfields; i++) {
			struct phys_field_info f = PHYS_INFO_INIT(struct phys_field_info);

			CHECK(!phys_regmap_field(map, reg, i, &f), "field %u of %s", i, r.name);
			CHECK(f.name && f.description, "field %u of %s: no name", i, r.name);
			CHECK(i == 0 || f.lsb >= lsb, "field %s.%s overlaps the one before", r.name,
			      f.name);
			lsb = f.lsb + f.width;
			side |= f.read != PHYS_READ_NONE;
			wo |= write_only(f.access);
			check_field(map, reg, &r, i, &f, nth++ % step == 0);
		}
		for (i = 0; i < r.nfields; i++) {
			struct phys_field_info f = PHYS_INFO_INIT(struct phys_field_info);

			phys_regmap_field(map, reg, i, &f);
			check_plan(map, reg, (int)i, &r, &f, 0, 0, wo);
			check_plan(map, reg, (int)i, &r, &f, bits_mask(f.width), PHYS_REGMAP_FORCE, wo);
		}
		CHECK(phys_regmap_field(map, reg, r.nfields, &no_field) == -ERANGE,
		      "register %s has more than %u fields", r.name, r.nfields);
		CHECK(r.read_side_effect == (side || r.read != PHYS_READ_NONE),
		      "register %s: read_side_effect", r.name);

		rule = phys_regmap_read_rule(map, reg);
		CHECK(rule == (write_only(r.access) ? -EPERM : r.read_side_effect ? -EAGAIN : 0),
		      "register %s: read rule %d", r.name, rule);
		check_plan(map, reg, -1, &r, NULL, bits_mask(r.size), 0, wo);
		check_plan(map, reg, -1, &r, NULL, 0, PHYS_REGMAP_FORCE, wo);
	}
	CHECK(phys_regmap_reg(map, n, &no_reg) == -ERANGE, "more than %zu registers", n);
	CHECK(!phys_regmap_foreach(map, NULL, count_visit, &visited) && visited == n,
	      "phys_regmap_foreach() visits %zu of %zu registers", visited, n);
}

/* Everything the API tells of MAP, for comparing two loads. */
static char *render(const struct phys_regmap *map, size_t *nfields_total)
{
	size_t n = phys_regmap_count(map), reg, len, nf = 0;
	uint16_t vendor, device;
	unsigned int v, i, e;
	char *out;
	int bar;
	FILE *f = open_memstream(&out, &len);

	CHECK(f, "out of memory");
	fprintf(f, "%s %d %zu\n", phys_regmap_name(map), phys_regmap_absolute(map), n);
	for (v = 0; !phys_regmap_pci(map, v, &vendor, &device, &bar); v++)
		fprintf(f, "pci %x:%x %d\n", vendor, device, bar);
	for (reg = 0; reg < n; reg++) {
		struct phys_reg_info r = PHYS_INFO_INIT(struct phys_reg_info);

		if (phys_regmap_reg(map, reg, &r))
			break;
		fprintf(f, "%s %s %llx %u %d %d %d %llx %llx %u %d\n", r.name, r.description,
			(unsigned long long)r.address, r.size, r.access, r.write, r.read,
			(unsigned long long)r.reset, (unsigned long long)r.reset_mask, r.nfields,
			r.read_side_effect);
		nf += r.nfields;
		for (i = 0; i < r.nfields; i++) {
			struct phys_field_info fi = PHYS_INFO_INIT(struct phys_field_info);

			if (phys_regmap_field(map, reg, i, &fi))
				break;
			fprintf(f, " %s %s %u %u %d %d %d %u %u %llx %llx\n", fi.name, fi.description,
				fi.lsb, fi.width, fi.access, fi.write, fi.read, fi.nenums,
				fi.constraint, (unsigned long long)fi.min, (unsigned long long)fi.max);
			for (e = 0; e < fi.nenums; e++) {
				struct phys_enum_info ev = PHYS_INFO_INIT(struct phys_enum_info);

				if (phys_regmap_enum(map, reg, i, e, &ev))
					break;
				fprintf(f, "  %s %s %llx %d\n", ev.name, ev.description,
					(unsigned long long)ev.value, ev.is_default);
			}
		}
	}
	CHECK(!fclose(f), "out of memory");
	*nfields_total = nf;
	return out;
}

/* ---- one iteration -------------------------------------------------------- */

static void empty_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
}

static void write_input(const char *data, size_t len)
{
	FILE *f = fopen(input, "w");

	CHECK(f && fwrite(data, 1, len, f) == len && !fclose(f), "cannot write %s", input);
}

/* True if the input loaded. */
static bool one(const char *data, size_t len, const char *cachedir)
{
	struct phys_regmap *map, *again;
	bool loaded;

	ctx = phys_ctx_new();
	CHECK(ctx, "out of memory");
	write_input(data, len);
	map = phys_regmap_load(ctx, input, 0);
	if (!map) {
		int err = errno;
		char *msg = strdup(phys_ctx_errmsg(ctx));

		CHECK(err == EINVAL, "refused with errno %d (%s): %s", err, strerror(err),
		      phys_ctx_errmsg(ctx));
		CHECK(msg, "out of memory");
		check_message(msg, data, len);
		again = phys_regmap_load(ctx, input, 0);
		CHECK(!again && !strcmp(msg, phys_ctx_errmsg(ctx)),
		      "refused, then %s: %s", again ? "loaded" : phys_ctx_errmsg(ctx), msg);
		free(msg);
		loaded = false;
	} else {
		char *first, *second;
		size_t nf, nf2;

		CHECK(!phys_regmap_cached(map), "first load from an empty cache is cached");
		again = phys_regmap_load(ctx, input, 0);
		CHECK(again, "loaded, then refused: %s", phys_ctx_errmsg(ctx));
		CHECK(phys_regmap_cached(again), "second load not read from the cache");
		first = render(map, &nf);
		second = render(again, &nf2);
		CHECK(!strcmp(first, second), "the cached map differs from the imported one");
		check_loaded(map, nf);
		free(first);
		free(second);
		phys_regmap_free(again);
		phys_regmap_free(map);
		loaded = true;
	}
	phys_ctx_free(ctx);
	ctx = NULL;
	empty_dir(cachedir);
	return loaded;
}

/* ---- main --------------------------------------------------------------- */

/* Half the iterations start from a seed that loads as it is, if there is
 * one: most native fixtures are refused ones, and few of their mutations
 * load. */
static const struct seed *pick_seed(void)
{
	size_t j, k;

	if (!nloading || rnd(2))
		return &seeds[rnd(nseeds)];
	k = rnd(nloading);
	for (j = 0; !seeds[j].loads || k--; j++)
		;
	return &seeds[j];
}

static void find_loading(const char *work)
{
	size_t j;

	for (j = 0; j < nseeds; j++) {
		struct phys_ctx *c = phys_ctx_new();
		struct phys_regmap *map;

		snprintf(input, sizeof(input), "%s/seed%s", work, endings[seeds[j].format]);
		write_input(seeds[j].data, seeds[j].len);
		map = phys_regmap_load(c, input, PHYS_REGMAP_NO_CACHE);
		seeds[j].loads = map;
		nloading += seeds[j].loads;
		phys_regmap_free(map);
		phys_ctx_free(c);
		unlink(input);
	}
}

static int format_of(const char *path, const char *forced)
{
	size_t len = strlen(path), i, n;

	for (i = 0; i < NFORMATS; i++) {
		if (forced) {
			if (!strcmp(forced, format_names[i]))
				return (int)i;
			continue;
		}
		n = strlen(endings[i]);
		if (len > n && !strcmp(path + len - n, endings[i]))
			return (int)i;
	}
	return -1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1 << 16;
	char *buf = malloc(cap);

	if (!f || !buf) {
		fprintf(stderr, "regmap-fuzz: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	*len = 0;
	while ((*len += fread(buf + *len, 1, cap - *len, f)) == cap) {
		buf = realloc(buf, cap *= 2);
		CHECK(buf, "out of memory");
	}
	fclose(f);
	return buf;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *forced = NULL, *tmp = getenv("TMPDIR");
	char work[PATH_MAX], cache[PATH_MAX + 16], cachedir[PATH_MAX + 32], path[PATH_MAX + 32];
	double seconds = 0, start = now();
	unsigned long iters;
	size_t j, ok = 0, bad = 0;
	int opt;

	while ((opt = getopt(argc, argv, "f:t:")) != -1) {
		if (opt == 'f' && format_of("", optarg) >= 0)
			forced = optarg;
		else if (opt == 't' && (seconds = strtod(optarg, NULL)) > 0)
			continue;
		else
			goto usage;
	}
	if (argc - optind < 3 || (!strtoul(argv[optind + 1], NULL, 0) && !seconds))
		goto usage;
	seed_arg = argv[optind];
	rng = splitmix(strtoull(seed_arg, NULL, 0)) | 1;
	iters = strtoul(argv[optind + 1], NULL, 0);
	nseeds = (size_t)(argc - optind - 2);
	seeds = calloc(nseeds, sizeof(*seeds));
	CHECK(seeds, "out of memory");
	for (j = 0; j < nseeds; j++) {
		const char *file = argv[optind + 2 + j];
		int f = format_of(file, forced);

		if (f < 0) {
			fprintf(stderr, "regmap-fuzz: %s: which format? (.regmap, .svd, .xml or -f)\n",
				file);
			return 2;
		}
		seeds[j].format = (enum format)f;
		seeds[j].data = slurp(file, &seeds[j].len);
	}

	snprintf(work, sizeof(work), "%s/regmap-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	CHECK(mkdtemp(work), "mkdtemp %s: %s", work, strerror(errno));
	snprintf(cache, sizeof(cache), "%s/cache", work);
	snprintf(cachedir, sizeof(cachedir), "%s/physmem/regmaps", cache);
	setenv("XDG_CACHE_HOME", cache, 1);
	unsetenv("LIBPHYS_LOG");
	__sanitizer_set_death_callback(kept);
	find_loading(work);

	for (iteration = 0; !iters || iteration < iters; iteration++) {
		const struct seed *s;
		struct buf b;

		if (seconds && now() - start >= seconds)
			break;
		s = pick_seed();
		b = (struct buf){ malloc(s->len + 64), s->len, s->len + 64 };
		CHECK(b.p, "out of memory");
		memcpy(b.p, s->data, s->len);
		mutate(&b, s->format);
		snprintf(input, sizeof(input), "%s/in%s", work, endings[s->format]);
		if (one(b.p, b.len, cachedir))
			ok++;
		else
			bad++;
		unlink(input);
		free(b.p);
	}

	rmdir(cachedir);
	snprintf(path, sizeof(path), "%s/physmem", cache);
	rmdir(path);
	rmdir(cache);
	rmdir(work);
	for (j = 0; j < nseeds; j++)
		free(seeds[j].data);
	free(seeds);
	printf("%lu iterations: %zu loaded, %zu refused\n", iteration, ok, bad);
	return 0;

usage:
	fprintf(stderr, "usage: regmap-fuzz [-f svd|ipxact|native] [-t SECONDS] SEED ITERATIONS SEEDFILE...\n");
	return 2;
}
