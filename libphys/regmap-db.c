// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The compiled register map: its check (a cache file is read from disk,
 * so every offset in it is checked before one is followed), and the
 * read-only API over it: info, look-up by name and address, iteration.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "regmap.h"

static bool section_ok(const struct rm_hdr *h, uint64_t off, uint64_t count, size_t elem)
{
	uint64_t bytes;

	return !(off % 8) && off >= sizeof(*h) && !__builtin_mul_overflow(count, elem, &bytes) &&
	       off <= h->total && bytes <= h->total - off;
}

uint64_t rm_db_sum(const void *db, size_t len)
{
	size_t from = offsetof(struct rm_hdr, sum) + sizeof(((struct rm_hdr *)0)->sum);

	return rm_hash((const char *)db + from, len - from);
}

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -EINVAL)

int rm_db_check(const void *db, size_t len, char *why, size_t whylen)
{
	/* its sections, pointed at as the map's will be once it is checked */
	struct phys_regmap m = { .db = (void *)db };
	const struct rm_hdr *h = db;
	uint64_t i, j;

	if (len < sizeof(*h) || memcmp(h->magic, RM_MAGIC, sizeof(h->magic)))
		return WHY("not a compiled register map");
	if (h->version != RM_VERSION || h->endian != RM_ENDIAN)
		return WHY("compiled by another version or machine (version %u)", h->version);
	/* Before any other byte is believed: bounds checks alone would pass a
	 * consistent file with an address or a rule changed. */
	if (h->sum != rm_db_sum(db, len))
		return WHY("its checksum does not match its content");
	if (h->layout != RM_LAYOUT)
		return WHY("compiled by another version or machine (layout 0x%08x)", h->layout);
	if (h->total != len)
		return WHY("%zu bytes where the header says %llu", len, (unsigned long long)h->total);
	if (!section_ok(h, h->off_regs, h->nregs, sizeof(*m.regs)) ||
	    !section_ok(h, h->off_fields, h->nfields, sizeof(*m.fields)) ||
	    !section_ok(h, h->off_enums, h->nenums, sizeof(*m.enums)) ||
	    !section_ok(h, h->off_pci, h->npci, sizeof(*m.pci)) ||
	    !section_ok(h, h->off_index, h->nregs, sizeof(*m.index)) ||
	    !section_ok(h, h->off_str, h->len_str, 1))
		return WHY("a section lies outside the file");
	rm_db_attach(&m);
	if (!h->len_str || m.str[0] || m.str[h->len_str - 1])
		return WHY("the string table is not terminated");
	if (h->name >= h->len_str)
		return WHY("the map's name is outside the strings");
	for (i = 0; i < h->nregs; i++) {
		const struct rm_reg *r = &m.regs[i];

		if (r->name >= h->len_str || r->desc >= h->len_str)
			return WHY("register %llu: a name outside the strings", (unsigned long long)i);
		if ((r->size != 8 && r->size != 16 && r->size != 32 && r->size != 64) ||
		    r->access > PHYS_ACCESS_RW1 || r->write > PHYS_WRITE_MODIFY ||
		    r->read > PHYS_READ_MODIFY_EXTERNAL || r->address % (r->size / 8u) ||
		    r->address + (r->size / 8u - 1) < r->address)
			return WHY("register %llu: a size, address or rule out of range", (unsigned long long)i);
		if ((uint64_t)r->first_field + r->nfields > h->nfields)
			return WHY("register %llu: fields outside the field table", (unsigned long long)i);
		if (i && (m.regs[i - 1].address > r->address))
			return WHY("registers out of address order");
		for (j = r->first_field; j < (uint64_t)r->first_field + r->nfields; j++) {
			const struct rm_field *f = &m.fields[j];

			if (f->name >= h->len_str || f->desc >= h->len_str || !f->width ||
			    f->lsb >= r->size || f->width > r->size - f->lsb ||
			    f->access > PHYS_ACCESS_RW1 || f->write > PHYS_WRITE_MODIFY ||
			    f->read > PHYS_READ_MODIFY_EXTERNAL || f->constraint > 2 ||
			    (uint64_t)f->first_enum + f->nenums > h->nenums)
				return WHY("field %llu of register %llu out of range",
					   (unsigned long long)(j - r->first_field), (unsigned long long)i);
		}
	}
	for (i = 0; i < h->nenums; i++)
		if (m.enums[i].name >= h->len_str || m.enums[i].desc >= h->len_str)
			return WHY("enumerated value %llu: a name outside the strings", (unsigned long long)i);
	for (i = 0; i < h->npci; i++)
		if (m.pci[i].bar < -1 || m.pci[i].bar > 5)
			return WHY("PCI binding %llu: BAR out of range", (unsigned long long)i);
	for (i = 0; i < h->nregs; i++) {
		if (m.index[i] >= h->nregs)
			return WHY("the name index points outside the registers");
		if (i && strcmp(m.str + m.regs[m.index[i - 1]].name,
				m.str + m.regs[m.index[i]].name) >= 0)
			return WHY("the name index is not sorted");
	}
	return 0;
}

void rm_db_attach(struct phys_regmap *map)
{
	const char *db = map->db;

	map->h = map->db;
	map->regs = (const void *)(db + map->h->off_regs);
	map->fields = (const void *)(db + map->h->off_fields);
	map->enums = (const void *)(db + map->h->off_enums);
	map->pci = (const void *)(db + map->h->off_pci);
	map->index = (const void *)(db + map->h->off_index);
	map->str = db + map->h->off_str;
}

/* ---- names of the rules ------------------------------------------------ */

static const char *const access_names[] = {
	[PHYS_ACCESS_RW] = "read-write", [PHYS_ACCESS_RO] = "read-only",
	[PHYS_ACCESS_WO] = "write-only", [PHYS_ACCESS_W1] = "writeOnce",
	[PHYS_ACCESS_RW1] = "read-writeOnce",
};
static const char *const write_names[] = {
	[PHYS_WRITE_NORMAL] = "normal",
	[PHYS_WRITE_ONE_TO_CLEAR] = "oneToClear", [PHYS_WRITE_ONE_TO_SET] = "oneToSet",
	[PHYS_WRITE_ONE_TO_TOGGLE] = "oneToToggle", [PHYS_WRITE_ZERO_TO_CLEAR] = "zeroToClear",
	[PHYS_WRITE_ZERO_TO_SET] = "zeroToSet", [PHYS_WRITE_ZERO_TO_TOGGLE] = "zeroToToggle",
	[PHYS_WRITE_CLEAR] = "clear", [PHYS_WRITE_SET] = "set", [PHYS_WRITE_MODIFY] = "modify",
};
static const char *const read_names[] = {
	[PHYS_READ_NONE] = "none", [PHYS_READ_CLEAR] = "clear", [PHYS_READ_SET] = "set",
	[PHYS_READ_MODIFY] = "modify", [PHYS_READ_MODIFY_EXTERNAL] = "modifyExternal",
};

#define NAME_OF(table, v) ((unsigned int)(v) < sizeof(table) / sizeof(table[0]) ? table[v] : "?")

PHYS_EXPORT const char *phys_reg_access_name(enum phys_reg_access a)
{
	return NAME_OF(access_names, a);
}
PHYS_EXPORT const char *phys_reg_write_name(enum phys_reg_write w)
{
	return NAME_OF(write_names, w);
}
PHYS_EXPORT const char *phys_reg_read_name(enum phys_reg_read r)
{
	return NAME_OF(read_names, r);
}

static int name_index(const char *const *table, size_t n, const char *text)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (table[i] && !strcmp(table[i], text))
			return (int)i;
	return -1;
}

int rm_access_from(const char *text)
{
	return name_index(access_names, sizeof(access_names) / sizeof(access_names[0]), text);
}
int rm_write_from(const char *text)
{
	return name_index(write_names, sizeof(write_names) / sizeof(write_names[0]), text);
}
int rm_read_from(const char *text)
{
	/* "none" is ours, not a readAction SVD knows */
	return strcmp(text, "none") ? name_index(read_names, sizeof(read_names) / sizeof(read_names[0]), text)
				    : -1;
}

/* ---- the map ------------------------------------------------------------ */

PHYS_EXPORT const char *phys_regmap_name(const struct phys_regmap *map)
{
	return map ? map->str + map->h->name : NULL;
}
PHYS_EXPORT const char *phys_regmap_path(const struct phys_regmap *map)
{
	return map ? map->path : NULL;
}
PHYS_EXPORT bool phys_regmap_absolute(const struct phys_regmap *map)
{
	return map && (map->h->flags & RM_ABSOLUTE);
}
PHYS_EXPORT size_t phys_regmap_count(const struct phys_regmap *map)
{
	return map ? map->h->nregs : 0;
}
PHYS_EXPORT bool phys_regmap_cached(const struct phys_regmap *map)
{
	return map && map->cached;
}

PHYS_EXPORT bool phys_regmap_pci_match(const struct phys_regmap *map, uint16_t vendor,
				       uint16_t device, int *bar)
{
	uint32_t i;

	if (!map)
		return false;
	for (i = 0; i < map->h->npci; i++)
		if (map->pci[i].vendor == vendor && map->pci[i].device == device) {
			if (bar)
				*bar = map->pci[i].bar;
			return true;
		}
	return false;
}

PHYS_EXPORT int phys_regmap_pci(const struct phys_regmap *map, unsigned int index,
				uint16_t *vendor, uint16_t *device, int *bar)
{
	if (!map || !vendor || !device || !bar)
		return -EINVAL;
	if (index >= map->h->npci)
		return -ERANGE;
	*vendor = map->pci[index].vendor;
	*device = map->pci[index].device;
	*bar = map->pci[index].bar;
	return 0;
}

PHYS_EXPORT int phys_regmap_reg(const struct phys_regmap *map, size_t reg, struct phys_reg_info *info)
{
	struct phys_reg_info full = { .struct_size = sizeof(full) };
	const struct rm_reg *r;

	if (!map || !info)
		return -EINVAL;
	if (reg >= map->h->nregs)
		return -ERANGE;
	r = &map->regs[reg];
	full.name = map->str + r->name;
	full.description = map->str + r->desc;
	full.address = r->address;
	full.size = r->size;
	full.access = r->access;
	full.write = r->write;
	full.read = r->read;
	full.reset = r->reset;
	full.reset_mask = r->reset_mask;
	full.nfields = r->nfields;
	full.read_side_effect = r->side_effect;
	return phys_info_out(info, &full, sizeof(full), sizeof(full));
}

const struct rm_field *rm_field(const struct phys_regmap *map, size_t reg, unsigned int field)
{
	if (!map || reg >= map->h->nregs || field >= map->regs[reg].nfields)
		return NULL;
	return &map->fields[map->regs[reg].first_field + field];
}

PHYS_EXPORT int phys_regmap_field(const struct phys_regmap *map, size_t reg, unsigned int field,
				  struct phys_field_info *info)
{
	struct phys_field_info full = { .struct_size = sizeof(full) };
	const struct rm_field *f = rm_field(map, reg, field);

	if (!map || !info)
		return -EINVAL;
	if (!f)
		return -ERANGE;
	full.name = map->str + f->name;
	full.description = map->str + f->desc;
	full.lsb = f->lsb;
	full.width = f->width;
	full.access = f->access;
	full.write = f->write;
	full.read = f->read;
	full.nenums = f->nenums;
	full.constraint = f->constraint;
	full.min = f->min;
	full.max = f->max;
	return phys_info_out(info, &full, sizeof(full), sizeof(full));
}

PHYS_EXPORT int phys_regmap_enum(const struct phys_regmap *map, size_t reg, unsigned int field,
				 unsigned int e, struct phys_enum_info *info)
{
	struct phys_enum_info full = { .struct_size = sizeof(full) };
	const struct rm_field *f = rm_field(map, reg, field);
	const struct rm_enum *v;

	if (!map || !info)
		return -EINVAL;
	if (!f || e >= f->nenums)
		return -ERANGE;
	v = &map->enums[f->first_enum + e];
	full.name = map->str + v->name;
	full.description = map->str + v->desc;
	full.value = v->value;
	full.is_default = v->is_default;
	return phys_info_out(info, &full, sizeof(full), sizeof(full));
}

/* ---- look-up ------------------------------------------------------------- */

/* The register named NAME (LEN bytes, not terminated), exactly: its
 * number, or -1. */
static long find_exact(const struct phys_regmap *map, const char *name, size_t len)
{
	size_t lo = 0, hi = map->h->nregs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = map->str + map->regs[map->index[mid]].name;
		int c = strncmp(s, name, len);

		if (!c && s[len])
			c = 1;
		if (!c)
			return map->index[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Ignoring case: the register, -1 for none, -2 for several. */
static long find_case(const struct phys_regmap *map, const char *name, size_t len)
{
	long found = -1;
	uint32_t i;

	for (i = 0; i < map->h->nregs; i++) {
		const char *s = map->str + map->regs[i].name;

		if (!strncasecmp(s, name, len) && !s[len]) {
			if (found >= 0)
				return -2;
			found = i;
		}
	}
	return found;
}

static long find_reg(const struct phys_regmap *map, const char *name, size_t len)
{
	long r = find_exact(map, name, len);

	return r >= 0 ? r : find_case(map, name, len);
}

static int find_field(const struct phys_regmap *map, size_t reg, const char *name)
{
	const struct rm_reg *r = &map->regs[reg];
	int found = -1;
	uint32_t i;

	for (i = 0; i < r->nfields; i++)
		if (!strcmp(map->str + map->fields[r->first_field + i].name, name))
			return (int)i;
	for (i = 0; i < r->nfields; i++)
		if (!strcasecmp(map->str + map->fields[r->first_field + i].name, name)) {
			if (found >= 0)
				return -2;
			found = (int)i;
		}
	return found;
}

/* Edit distance of A and B, up to CAP (CAP + 1 beyond it). */
static unsigned int distance(const char *a, const char *b, unsigned int cap)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int row[64], best;

	if (lb >= 64 || la >= 64)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (j = 0; j <= lb; j++)
		row[j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		unsigned int diag = row[0];

		row[0] = (unsigned int)i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			unsigned int up = row[j];
			unsigned int c = diag + ((a[i - 1] | 0x20) != (b[j - 1] | 0x20));

			if (up + 1 < c)
				c = up + 1;
			if (row[j - 1] + 1 < c)
				c = row[j - 1] + 1;
			row[j] = c;
			diag = up;
			if (c < best)
				best = c;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb];
}

/* "; did you mean A, B?" for NAME, into BUF ("" if nothing is near). */
static void suggest(const struct phys_regmap *map, const char *name, char *buf, size_t len)
{
	unsigned int cap = strlen(name) < 6 ? 1 : 2, n = 0;
	size_t used = 0;
	uint32_t i;

	buf[0] = '\0';
	for (i = 0; i < map->h->nregs && n < 4; i++) {
		const char *s = map->str + map->regs[i].name;

		if (distance(name, s, cap) <= cap) {
			int w = snprintf(buf + used, len - used, "%s%s", n ? ", " : "; did you mean ", s);

			if (w < 0 || (size_t)w >= len - used)
				break;
			used += (size_t)w;
			n++;
		}
	}
	if (n)
		snprintf(buf + used, len - used, "?");
}

PHYS_EXPORT int phys_regmap_lookup(const struct phys_regmap *map, const char *name,
				   size_t *reg, int *field)
{
	const char *dot;
	char hint[256];
	long r;
	int f;

	if (!map || !name || !reg || !field)
		return -EINVAL;
	r = find_reg(map, name, strlen(name));
	if (r >= 0) {
		*reg = (size_t)r;
		*field = -1;
		return 0;
	}
	if (r == -2)
		return phys_err(map->ctx, -EINVAL, "register map %s: '%s' names several registers "
				"that differ only in case; spell it exactly", phys_regmap_name(map), name);
	dot = strrchr(name, '.');
	if (dot && dot != name && dot[1]) {
		r = find_reg(map, name, (size_t)(dot - name));
		if (r >= 0) {
			f = find_field(map, (size_t)r, dot + 1);
			if (f >= 0) {
				*reg = (size_t)r;
				*field = f;
				return 0;
			}
			return phys_err(map->ctx, f == -2 ? -EINVAL : -ENOENT,
					"register %s has %s field '%s'", map->str + map->regs[r].name,
					f == -2 ? "more than one (differing in case)" : "no", dot + 1);
		}
	}
	suggest(map, name, hint, sizeof(hint));
	return phys_err(map->ctx, -ENOENT, "register map %s has no register '%s'%s",
			phys_regmap_name(map), name, hint);
}

PHYS_EXPORT int phys_regmap_at(const struct phys_regmap *map, uint64_t address, size_t *reg)
{
	size_t lo = 0, hi;

	if (!map || !reg)
		return -EINVAL;
	hi = map->h->nregs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (map->regs[mid].address < address)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= map->h->nregs || map->regs[lo].address != address)
		return -ENOENT;
	*reg = lo;
	return 0;
}

PHYS_EXPORT int phys_regmap_foreach(const struct phys_regmap *map, const char *pattern,
				    phys_regmap_fn fn, void *data)
{
	uint32_t i;
	int ret;

	if (!map || !fn)
		return -EINVAL;
	for (i = 0; i < map->h->nregs; i++) {
		if (pattern && fnmatch(pattern, map->str + map->regs[i].name, FNM_CASEFOLD))
			continue;
		ret = fn(map, i, data);
		if (ret)
			return ret;
	}
	return 0;
}
