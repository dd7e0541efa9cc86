// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What a register map says about access: may a register be read, and
 * what exactly must be written to set one field. The one definition of
 * these rules; devmemtool and every other caller ask here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "regmap.h"

static uint64_t bits_mask(unsigned int width)
{
	return width >= 64 ? ~0ULL : (1ULL << width) - 1;
}

static bool write_only(unsigned int access)
{
	return access == PHYS_ACCESS_WO || access == PHYS_ACCESS_W1;
}

static const char *reg_name(const struct phys_regmap *map, size_t reg)
{
	return map->str + map->regs[reg].name;
}

/* The readAction that makes a read of REG a side effect, or NULL. */
static const char *side_effect(const struct phys_regmap *map, size_t reg, char *buf, size_t len)
{
	const struct rm_reg *r = &map->regs[reg];
	uint32_t i;

	if (r->read != PHYS_READ_NONE) {
		snprintf(buf, len, "readAction %s", phys_reg_read_name(r->read));
		return buf;
	}
	for (i = 0; i < r->nfields; i++) {
		const struct rm_field *f = &map->fields[r->first_field + i];

		if (f->read != PHYS_READ_NONE) {
			snprintf(buf, len, "field %s has readAction %s", map->str + f->name,
				 phys_reg_read_name(f->read));
			return buf;
		}
	}
	return NULL;
}

PHYS_EXPORT int phys_regmap_read_rule(const struct phys_regmap *map, size_t reg)
{
	char why[128];

	if (!map)
		return -EINVAL;
	if (reg >= map->h->nregs)
		return -ERANGE;
	if (write_only(map->regs[reg].access))
		return phys_err(map->ctx, -EPERM, "%s is %s: it is never read", reg_name(map, reg),
				phys_reg_access_name(map->regs[reg].access));
	if (side_effect(map, reg, why, sizeof(why)))
		return phys_err(map->ctx, -EAGAIN, "reading %s has a side effect (%s)",
				reg_name(map, reg), why);
	return 0;
}

PHYS_EXPORT uint64_t phys_regmap_field_get(const struct phys_regmap *map, size_t reg,
					   unsigned int field, uint64_t regval)
{
	const struct rm_field *f = rm_field(map, reg, field);

	return f ? (regval >> f->lsb) & bits_mask(f->width) : 0;
}

PHYS_EXPORT const char *phys_regmap_enum_name(const struct phys_regmap *map, size_t reg,
					      unsigned int field, uint64_t value)
{
	const struct rm_field *f = rm_field(map, reg, field);
	const char *dflt = NULL;
	uint32_t i;

	if (!f)
		return NULL;
	for (i = 0; i < f->nenums; i++) {
		const struct rm_enum *e = &map->enums[f->first_enum + i];

		if (e->is_default)
			dflt = map->str + e->name;
		else if (e->value == value)
			return map->str + e->name;
	}
	return dflt;
}

PHYS_EXPORT int phys_regmap_enum_value(const struct phys_regmap *map, size_t reg,
				       unsigned int field, const char *name, uint64_t *value)
{
	const struct rm_field *f = rm_field(map, reg, field);
	const struct rm_enum *folded = NULL;
	char list[256];
	size_t used = 0;
	uint32_t i;

	if (!f || !name || !value)
		return -EINVAL;
	for (i = 0; i < f->nenums; i++) {
		const struct rm_enum *e = &map->enums[f->first_enum + i];

		if (!e->is_default && !strcmp(map->str + e->name, name)) {
			*value = e->value;
			return 0;
		}
	}
	/* Ignoring case only if that leaves one: with Fast and FAST, "fast"
	 * is either, and a guess writes the wrong value half the time. */
	for (i = 0; i < f->nenums; i++) {
		const struct rm_enum *e = &map->enums[f->first_enum + i];

		if (e->is_default || strcasecmp(map->str + e->name, name))
			continue;
		if (folded)
			return phys_err(map->ctx, -EINVAL,
					"%s.%s: '%s' could be %s (0x%llx) or %s (0x%llx), which differ "
					"only in case; spell it exactly", reg_name(map, reg),
					map->str + f->name, name, map->str + folded->name,
					(unsigned long long)folded->value, map->str + e->name,
					(unsigned long long)e->value);
		folded = e;
	}
	if (folded) {
		*value = folded->value;
		return 0;
	}
	list[0] = '\0';
	for (i = 0; i < f->nenums && used < sizeof(list); i++) {
		const struct rm_enum *e = &map->enums[f->first_enum + i];
		int w;

		if (e->is_default)
			continue;
		w = snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", map->str + e->name);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (!f->nenums)
		return phys_err(map->ctx, -ENOENT, "%s.%s has no named values: '%s' is not a number",
				reg_name(map, reg), map->str + f->name, name);
	return phys_err(map->ctx, -ENOENT, "%s.%s has no value named '%s' (it has: %s)",
			reg_name(map, reg), map->str + f->name, name, list);
}

/* The value of a field with write action W that a write leaves alone:
 * its bits in MASK, or -1 when every write acts (clear, set, modify). */
static int neutral(unsigned int w, uint64_t mask, uint64_t *val)
{
	switch (w) {
	case PHYS_WRITE_ONE_TO_CLEAR:
	case PHYS_WRITE_ONE_TO_SET:
	case PHYS_WRITE_ONE_TO_TOGGLE:
		*val = 0;
		return 0;
	case PHYS_WRITE_ZERO_TO_CLEAR:
	case PHYS_WRITE_ZERO_TO_SET:
	case PHYS_WRITE_ZERO_TO_TOGGLE:
		*val = mask;
		return 0;
	case PHYS_WRITE_CLEAR:
	case PHYS_WRITE_SET:
	case PHYS_WRITE_MODIFY:
		*val = 0;
		return -1;
	}
	return 1;	/* normal: a write stores what it is given */
}

static int check_value(const struct phys_regmap *map, size_t reg, const struct rm_field *f,
		       uint64_t value)
{
	const char *rn = reg_name(map, reg), *fn = map->str + f->name;
	uint32_t i;

	if (value & ~bits_mask(f->width))
		return phys_err(map->ctx, -ERANGE, "%s.%s is %u bit%s wide: 0x%llx does not fit",
				rn, fn, f->width, f->width == 1 ? "" : "s", (unsigned long long)value);
	if (f->constraint == 2 && (value < f->min || value > f->max))
		return phys_err(map->ctx, -ERANGE, "%s.%s takes %llu to %llu (writeConstraint): not %llu",
				rn, fn, (unsigned long long)f->min, (unsigned long long)f->max,
				(unsigned long long)value);
	if (f->constraint == 1) {
		for (i = 0; i < f->nenums; i++)
			if (map->enums[f->first_enum + i].value == value ||
			    map->enums[f->first_enum + i].is_default)
				return 0;
		return phys_err(map->ctx, -ERANGE, "%s.%s takes only its named values "
				"(writeConstraint): 0x%llx is none of them", rn, fn,
				(unsigned long long)value);
	}
	return 0;
}

PHYS_EXPORT int phys_regmap_write_plan(const struct phys_regmap *map, size_t reg, int field,
				       uint64_t value, unsigned int flags,
				       struct phys_reg_write_plan *plan)
{
	const struct rm_reg *r;
	const struct rm_field *f;
	uint64_t full, fmask, covered = 0, keep = 0, set, v;
	char why[128];
	uint32_t i;
	bool force;
	int err;

	if (!map || !plan || (flags & ~PHYS_REGMAP_FORCE))
		return -EINVAL;
	if (reg >= map->h->nregs)
		return -ERANGE;
	force = flags & PHYS_REGMAP_FORCE;
	r = &map->regs[reg];
	full = bits_mask(r->size);
	memset(plan, 0, sizeof(*plan));
	if (r->access == PHYS_ACCESS_RO && !force)
		return phys_err(map->ctx, -EPERM, "%s is read-only",
				reg_name(map, reg));
	if (field < 0) {
		if (value & ~full)
			return phys_err(map->ctx, -ERANGE, "%s is %u bits: 0x%llx does not fit",
					reg_name(map, reg), r->size, (unsigned long long)value);
		plan->set = value;
		return 0;
	}
	f = rm_field(map, reg, (unsigned int)field);
	if (!f)
		return -ERANGE;
	if (f->access == PHYS_ACCESS_RO && !force)
		return phys_err(map->ctx, -EPERM, "%s.%s is read-only",
				reg_name(map, reg), map->str + f->name);
	err = check_value(map, reg, f, value);
	if (err)
		return err;
	fmask = bits_mask(f->width) << f->lsb;
	set = value << f->lsb;
	for (i = 0; i < r->nfields; i++) {
		const struct rm_field *g = &map->fields[r->first_field + i];
		uint64_t gmask = bits_mask(g->width) << g->lsb;
		int acts;

		covered |= gmask;
		if (g == f)
			continue;
		/* A write does not reach a read-only field: it gets 0. But in a
		 * read-only register (a forced write) every field is read-only,
		 * and the force says the write may reach them: they are kept,
		 * like the bits no field describes, rather than cleared. */
		if (g->access == PHYS_ACCESS_RO && r->access != PHYS_ACCESS_RO)
			continue;
		/* Whatever it is given, a write of the register writes it: one
		 * that can be written once would be spent, one that every
		 * write acts on would act. */
		if (!force && (g->access == PHYS_ACCESS_W1 || g->access == PHYS_ACCESS_RW1))
			return phys_err(map->ctx, -EPERM,
					"writing %s.%s would also write %s.%s, which can be written "
					"once; write the whole register", reg_name(map, reg),
					map->str + f->name, reg_name(map, reg), map->str + g->name);
		acts = neutral(g->write, gmask, &v);
		if (acts < 0 && !force)
			return phys_err(map->ctx, -EPERM,
					"writing %s.%s would also write %s.%s, which any write "
					"changes (modifiedWriteValues %s); write the whole register", reg_name(map, reg),
					map->str + f->name, reg_name(map, reg), map->str + g->name,
					phys_reg_write_name(g->write));
		if (acts <= 0) {
			set |= v;	/* the value that does nothing, or (forced) 0 */
			continue;
		}
		if (write_only(g->access)) {
			/* a read does not show it: its reset value stands in */
			if ((r->reset_mask & gmask) != gmask)
				return phys_err(map->ctx, -EPERM,
						"writing %s.%s must also write %s.%s, which is write-only "
						"with no known reset value; write the whole register",
						reg_name(map, reg), map->str + f->name, reg_name(map, reg),
						map->str + g->name);
			set |= r->reset & gmask;
			continue;
		}
		keep |= gmask;
	}
	/* Bits no field describes follow the register's own write rule. */
	v = full & ~covered;
	if (v) {
		uint64_t n;
		int k = neutral(r->write, v, &n);

		if (k <= 0)
			set |= n;
		else
			keep |= v;
	}
	if (keep && write_only(r->access)) {
		if ((r->reset_mask & keep) != keep)
			return phys_err(map->ctx, -EPERM,
					"%s is write-only and the reset value of bits 0x%llx is not known: "
					"writing %s alone would change them; write the whole register",
					reg_name(map, reg), (unsigned long long)(keep & ~r->reset_mask),
					map->str + f->name);
		set |= r->reset & keep;
		keep = 0;
	}
	if (keep && side_effect(map, reg, why, sizeof(why))) {
		if (!force)
			return phys_err(map->ctx, -EPERM,
					"writing %s.%s keeps the register's other bits by reading %s, "
					"and that read has a side effect (%s); write the whole register",
					reg_name(map, reg), map->str + f->name,
					reg_name(map, reg), why);
		plan->read_side_effect = true;
	}
	plan->keep = keep & ~fmask;
	plan->set = set & full;
	return 0;
}
