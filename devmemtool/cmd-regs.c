// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Registers by name: r and w (the register's own width, one field, enum
 * names as values), regs (the list, and --read), snapshot save/diff and
 * diff reset. What may be read and how a field is written are the
 * register maps' rules (regs.c, libphys).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "devmemtool.h"

struct reg_op {
	struct regref ref;
	struct phys_reg_write_plan plan;	/* w */
	bool readback;			/* w: --readback, and the maps let it */
	char name[200];
};

static uint64_t mask_of(unsigned int bits)
{
	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

/* ---- text of a register ------------------------------------------------ */

/* "FIELD=Enum (v) FIELD=v ..." of VAL, into BUF. */
static void decode(const struct regref *ref, uint64_t val, char *buf, size_t size)
{
	struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
	size_t used = 0;

	buf[0] = '\0';
	phys_regmap_reg(ref->b->rm, ref->reg, &ri);
	for (unsigned int i = 0; i < ri.nfields && used < size; i++) {
		struct phys_field_info fi = PHYS_INFO_INIT(struct phys_field_info);
		uint64_t v = phys_regmap_field_get(ref->b->rm, ref->reg, i, val);
		const char *e = phys_regmap_enum_name(ref->b->rm, ref->reg, i, v);
		int n;

		if (ref->field >= 0 && (int)i != ref->field)
			continue;
		phys_regmap_field(ref->b->rm, ref->reg, i, &fi);
		if (e)
			n = snprintf(buf + used, size - used, "%s%s=%s (%" PRIu64 ")", used ? " " : "",
				     fi.name, e, v);
		else if (v < 10)
			n = snprintf(buf + used, size - used, "%s%s=%" PRIu64, used ? " " : "", fi.name, v);
		else
			n = snprintf(buf + used, size - used, "%s%s=0x%" PRIx64, used ? " " : "",
				     fi.name, v);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* The fields of REF's register with VAL decoded, as JSON. */
static struct json_object *json_fields(const struct regref *ref, bool with_value, uint64_t val)
{
	struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
	struct json_object *arr = json_object_new_array();

	phys_regmap_reg(ref->b->rm, ref->reg, &ri);
	for (unsigned int i = 0; i < ri.nfields; i++) {
		struct phys_field_info fi = PHYS_INFO_INIT(struct phys_field_info);
		struct json_object *f = json_object_new_object(), *enums;

		phys_regmap_field(ref->b->rm, ref->reg, i, &fi);
		json_object_object_add(f, "name", json_object_new_string(fi.name));
		json_object_object_add(f, "lsb", json_object_new_int((int)fi.lsb));
		json_object_object_add(f, "width", json_object_new_int((int)fi.width));
		json_object_object_add(f, "access", json_object_new_string(phys_reg_access_name(fi.access)));
		if (fi.write != PHYS_WRITE_NORMAL)
			json_object_object_add(f, "write_action",
					       json_object_new_string(phys_reg_write_name(fi.write)));
		if (fi.read != PHYS_READ_NONE)
			json_object_object_add(f, "read_action",
					       json_object_new_string(phys_reg_read_name(fi.read)));
		if (fi.description[0])
			json_object_object_add(f, "description", json_object_new_string(fi.description));
		enums = json_object_new_array();
		for (unsigned int e = 0; e < fi.nenums; e++) {
			struct phys_enum_info ei = PHYS_INFO_INIT(struct phys_enum_info);
			struct json_object *o = json_object_new_object();

			phys_regmap_enum(ref->b->rm, ref->reg, i, e, &ei);
			json_object_object_add(o, "name", json_object_new_string(ei.name));
			json_object_object_add(o, "value", json_object_new_uint64(ei.value));
			if (ei.is_default)
				json_object_object_add(o, "default", json_object_new_boolean(1));
			json_object_array_add(enums, o);
		}
		json_object_object_add(f, "enums", enums);
		if (with_value) {
			uint64_t v = phys_regmap_field_get(ref->b->rm, ref->reg, i, val);
			const char *e = phys_regmap_enum_name(ref->b->rm, ref->reg, i, v);

			json_object_object_add(f, "value", json_object_new_uint64(v));
			if (e)
				json_object_object_add(f, "enum", json_object_new_string(e));
		}
		json_object_array_add(arr, f);
	}
	return arr;
}

/* The register's address as the user sees it: physical where known. */
static uint64_t shown_address(const struct regref *ref, bool *physical)
{
	struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
	const struct bound *b = ref->b;

	phys_regmap_reg(b->rm, ref->reg, &ri);
	*physical = !b->m || b->m->has_phys;
	if (!b->m)
		return ri.address;
	return (b->m->has_phys ? b->m->phys : 0) + (ri.address - b->delta);
}

static void print_value(struct dmt *t, const char *cmd, const struct location *loc,
			const struct reg_op *ro, uint64_t val, const char *note)
{
	unsigned int w = ro->ref.width;
	char fields[1024];

	if (t->json) {
		struct json_object *o = out_json_new(cmd);
		bool phys;
		uint64_t v = val;

		json_object_object_add(o, "register", json_object_new_string(ro->name));
		json_object_object_add(o, "address", json_object_new_uint64(shown_address(&ro->ref, &phys)));
		json_object_object_add(o, "target", json_object_new_string(loc->name));
		json_object_object_add(o, "offset", json_object_new_uint64(loc->off));
		json_object_object_add(o, "width", json_object_new_int((int)w));
		if (ro->ref.field >= 0)
			v = phys_regmap_field_get(ro->ref.b->rm, ro->ref.reg, (unsigned int)ro->ref.field, val);
		json_object_object_add(o, "value", json_object_new_uint64(v));
		snprintf(fields, sizeof(fields), "0x%0*" PRIx64, (int)w * 2, v);
		json_object_object_add(o, "value_hex", json_object_new_string(fields));
		json_object_object_add(o, "register_value", json_object_new_uint64(val));
		json_object_object_add(o, "fields", json_fields(&ro->ref, true, val));
		if (note)
			json_object_object_add(o, "note", json_object_new_string(note));
		out_json(t, o);
		return;
	}
	if (t->quiet) {
		if (ro->ref.field >= 0)
			printf("0x%" PRIx64 "\n", phys_regmap_field_get(ro->ref.b->rm, ro->ref.reg,
								(unsigned int)ro->ref.field, val));
		else
			printf("0x%0*" PRIx64 "\n", (int)w * 2, val);
		return;
	}
	decode(&ro->ref, val, fields, sizeof(fields));
	if (ro->ref.field >= 0)	/* "NAME: value", the field's name said once */
		printf("%s: %s%s%s\n", ro->name, strchr(fields, '=') ? strchr(fields, '=') + 1 : fields,
		       note ? " " : "", note ? note : "");
	else
		printf("%s: 0x%0*" PRIx64 "%s%s%s%s\n", ro->name, (int)w * 2, val,
		       fields[0] ? "  " : "", fields, note ? " " : "", note ? note : "");
}

/* Could TEXT be a name without a dot (an enum value, SYS): a letter or
 * '_', then letters, digits and '_'? */
static bool ident_like(const char *text)
{
	if (!isalpha((unsigned char)*text) && *text != '_')
		return false;
	while (*++text)
		if (!isalnum((unsigned char)*text) && *text != '_')
			return false;
	return true;
}

/* ---- r and w --------------------------------------------------------- */

/*
 * ARGV[1] as a register or field of a map in use: its reg_op in op->data,
 * its location in op->loc, its width in op->width. 0, or the error said.
 */
static int named(struct dmt *t, struct op *op, struct reg_op **out)
{
	char why[PM_ERRMSG_MAX + 256];
	struct reg_op *ro = prog_alloc(t->prog, sizeof(*ro));
	int ret;

	if (!ro) {
		out_error(t, "out of memory");
		return DMT_FAILED;
	}
	memset(ro, 0, sizeof(*ro));
	ret = reg_find(t, op->argv[1], &ro->ref, why, sizeof(why));
	if (ret > 0 && ident_like(op->argv[1]))	/* SYS: a top-level register */
		ret = reg_find_top(t, op->argv[1], &ro->ref, why, sizeof(why));
	if (ret > 0)
		return usage_error(t, op->cmd, "'%s' is not a register's name (r32, w32 and the "
				   "like take addresses)", op->argv[1]);
	if (ret < 0)
		return say_failed(t, op->cmd, op->argv[1], why);
	ret = reg_locate(t, op->cmd, op->argv[1], &ro->ref, &op->loc);
	if (ret)
		return ret;
	reg_name(&ro->ref, ro->name, sizeof(ro->name));
	op->width = ro->ref.width;
	op->data = ro;
	*out = ro;
	return 0;
}

/*
 * TEXT as a value of REF: a number or expression, or for a field one of
 * its enum names. The value in the field's own bits (not shifted). A
 * name that is both one of the field's values and a constant of another
 * value is refused: neither reading is silently the one.
 */
static int reg_value(struct dmt *t, const struct op *op, const struct regref *ref,
		     const char *text, uint64_t *val, char **late)
{
	char msg[PM_ERRMSG_MAX], fname[200];
	uint64_t ev;
	int eret = -1, xret;

	/* LATE: a bus address may be in it (a whole register's value) */
	xret = expr_eval_late(t, text, 0, val, msg, sizeof(msg), late);
	if (!xret && *late && ref->field >= 0) {
		free(*late);
		*late = NULL;
		reg_name(ref, fname, sizeof(fname));
		return usage_error(t, op->cmd, "VALUE %s: a bus address is written to a whole "
				   "register, not to the field %s", text, fname);
	}
	if (ref->field >= 0 && ident_like(text))	/* last: its message is the context's */
		eret = phys_regmap_enum_value(ref->b->rm, ref->reg, (unsigned int)ref->field,
					      text, &ev);
	if (!eret && !xret && *val != ev) {
		reg_name(ref, fname, sizeof(fname));
		return usage_error(t, op->cmd, "VALUE %s is ambiguous: %s's value %s is 0x%" PRIx64
				   ", the constant %s is 0x%" PRIx64 "; write the number",
				   text, fname, text, ev, text, *val);
	}
	if (!eret) {
		*val = ev;
		return 0;
	}
	if (!xret)
		return 0;
	/* a name: the field's message lists its values; else the expression's */
	if (ref->field >= 0 && ident_like(text))
		return usage_error(t, op->cmd, "VALUE %s: %s", text, phys_ctx_errmsg(t->ctx));
	return usage_error(t, op->cmd, "VALUE %s: %s", text, msg);
}

int prep_r(struct dmt *t, struct op *op)
{
	struct reg_op *ro;
	int ret = named(t, op, &ro);

	if (ret)
		return ret;
	ret = reg_rules_named(t, op->cmd, op->argv[1], &op->loc, op->width, REG_READ, &ro->ref,
			      &op->side_effect);
	if (ret)
		return ret;
	return dry_check(t, op->cmd, op->argv[1], &op->loc, op->width, op->width, false);
}

int exec_r(struct dmt *t, const struct op *op)
{
	const struct reg_op *ro = op->data;
	char note[PM_ERRMSG_MAX + 32];
	uint64_t val;
	int ret;

	if (t->dry_run) {
		out_dry(t, op->cmd->name, &op->loc, "read %s (%u bytes)%s", ro->name, op->width,
			op->side_effect ? ", a read with a side effect" : "");
		return 0;
	}
	if (op->side_effect) {
		phys_regmap_read_rule(ro->ref.b->rm, ro->ref.reg);
		snprintf(note, sizeof(note), t->json ? "%s" : "(%s)", phys_ctx_errmsg(t->ctx));
	}
	ret = phys_read(op->loc.m->map, op->loc.off, op->width, &val);
	if (ret)
		return access_failed(t, op->cmd, op->argv[1], ret);
	print_value(t, op->cmd->name, &op->loc, ro, val, op->side_effect ? note : NULL);
	return 0;
}

/* w REG VALUE with a bus address in VALUE, as it runs: the plan for it. */
static int w_plan(struct dmt *t, struct op *op, uint64_t v)
{
	struct reg_op *ro = op->data;

	if (ro->ref.field < 0 && t->force) {
		ro->plan.set = v;
		return 0;
	}
	if (phys_regmap_write_plan(ro->ref.b->rm, ro->ref.reg, ro->ref.field, v,
				   t->force ? PHYS_REGMAP_FORCE : 0, &ro->plan))
		return say_failed(t, op->cmd, op->argv[1], phys_ctx_errmsg(t->ctx));
	return 0;
}

int prep_w(struct dmt *t, struct op *op)
{
	struct reg_op *ro;
	char *late = NULL;
	uint64_t v;
	int ret = named(t, op, &ro);

	if (ret)
		return ret;
	ret = reg_value(t, op, &ro->ref, op->argv[2], &v, &late);
	if (!ret && late) {	/* planned with 0 now, with the value when it runs */
		ret = op_late_add(t, op, "VALUE", op->argv[2], late, op->width, &op->value, w_plan);
		free(late);
		v = 0;
	}
	if (!ret)
		ret = reg_rules_named(t, op->cmd, op->argv[1], &op->loc, op->width, REG_WRITE,
				      &ro->ref, NULL);
	if (ret)
		return ret;
	if (ro->ref.field < 0 && t->force) {
		if (v & ~mask_of(op->width * 8))
			return usage_error(t, op->cmd, "VALUE %s does not fit in %u bits",
					   op->argv[2], op->width * 8);
		ro->plan.set = v;
	} else if ((ret = phys_regmap_write_plan(ro->ref.b->rm, ro->ref.reg, ro->ref.field, v,
						 t->force ? PHYS_REGMAP_FORCE : 0, &ro->plan))) {
		struct phys_reg_write_plan forced;
		char why[PM_ERRMSG_MAX + 64];
		bool forceable;

		snprintf(why, sizeof(why), "%s", phys_ctx_errmsg(t->ctx));
		/* what --force would do is the library's to say: ask it */
		forceable = ret == -EPERM && !t->force &&
			    !phys_regmap_write_plan(ro->ref.b->rm, ro->ref.reg, ro->ref.field, v,
						    PHYS_REGMAP_FORCE, &forced);
		if (forceable)
			strncat(why, "; --force writes it anyway", sizeof(why) - strlen(why) - 1);
		return say_failed(t, op->cmd, op->argv[1], why);
	}
	op->value = v;
	ro->readback = t->readback && reg_read_free(t, &op->loc, op->width);
	ret = dry_check(t, op->cmd, op->argv[1], &op->loc, op->width, op->width, true);
	if (!ret && ro->plan.keep)
		ret = dry_check(t, op->cmd, op->argv[1], &op->loc, op->width, op->width, false);
	return ret;
}

int exec_w(struct dmt *t, const struct op *op)
{
	const struct reg_op *ro = op->data;
	unsigned int w = op->width;
	uint64_t cur = 0, val, rb = 0;
	int ret;

	if (t->dry_run) {
		const char *late = op_late_shown(op, &op->value);

		if (late)
			out_dry(t, op->cmd->name, &op->loc, "write %s = %s", ro->name, late);
		else if (ro->plan.keep)
			out_dry(t, op->cmd->name, &op->loc, "write %s: read, keep 0x%0*" PRIx64
				", set 0x%0*" PRIx64, ro->name, (int)w * 2, ro->plan.keep,
				(int)w * 2, ro->plan.set);
		else
			out_dry(t, op->cmd->name, &op->loc, "write %s = 0x%0*" PRIx64, ro->name,
				(int)w * 2, ro->plan.set);
		return 0;
	}
	if (ro->plan.keep) {
		ret = phys_read(op->loc.m->map, op->loc.off, w, &cur);
		if (ret)
			return access_failed(t, op->cmd, op->argv[1], ret);
	}
	val = (cur & ro->plan.keep) | ro->plan.set;
	if (t->confirm) {
		char q[300];

		snprintf(q, sizeof(q), "write 0x%0*" PRIx64 " to %s?", (int)w * 2, val, ro->name);
		if (!repl_confirm(t, q))
			return DMT_FAILED;
	}
	ret = phys_write(op->loc.m->map, op->loc.off, w, val);
	if (ret)
		return access_failed(t, op->cmd, op->argv[1], ret);
	if (ro->readback) {
		ret = phys_read(op->loc.m->map, op->loc.off, w, &rb);
		if (ret)
			return access_failed(t, op->cmd, op->argv[1], ret);
		out_write(t, op->cmd->name, &op->loc, w, val, true, rb);
	} else {
		out_write(t, op->cmd->name, &op->loc, w, val, false, 0);
	}
	return 0;
}

/* poll and expect with a register or field: the register's width, the
 * field's mask, VALUE in the field's bits (an enum name too). *NAMED
 * false, and 0, if ARGV[1] is not a register's name (the address forms
 * apply); else true and 0, or the error said. */
int prep_named_check(struct dmt *t, struct op *op, int value_arg, bool *is_named)
{
	struct regref ref;
	char why[PM_ERRMSG_MAX + 256];
	struct reg_op *ro;
	char *late = NULL;
	uint64_t v;
	int ret;

	*is_named = false;
	ret = reg_find(t, op->argv[1], &ref, why, sizeof(why));
	if (ret > 0)
		return 0;
	*is_named = true;
	if (ret)
		return say_failed(t, op->cmd, op->argv[1], why);
	ret = named(t, op, &ro);
	if (ret)
		return ret;
	if (value_arg >= op->argc)
		return usage_error(t, op->cmd, "missing VALUE");
	ret = reg_value(t, op, &ro->ref, op->argv[value_arg], &v, &late);
	if (ret)
		return ret;
	if (late) {	/* a whole register's value, known when it runs */
		ret = op_late_add(t, op, "VALUE", op->argv[value_arg], late, op->width,
				  &op->value, late_in_mask);
		free(late);
		if (ret)
			return ret;
		op->mask = mask_of(op->width * 8);
	} else if (ro->ref.field >= 0) {
		struct phys_field_info fi = PHYS_INFO_INIT(struct phys_field_info);

		phys_regmap_field(ro->ref.b->rm, ro->ref.reg, (unsigned int)ro->ref.field, &fi);
		if (v & ~mask_of(fi.width))
			return usage_error(t, op->cmd, "VALUE %s does not fit field %s (%u bits)",
					   op->argv[value_arg], ro->name, fi.width);
		op->mask = mask_of(fi.width) << fi.lsb;
		op->value = v << fi.lsb;
	} else {
		if (v & ~mask_of(op->width * 8))
			return usage_error(t, op->cmd, "VALUE %s does not fit in %u bits",
					   op->argv[value_arg], op->width * 8);
		op->mask = mask_of(op->width * 8);
		op->value = v;
	}
	ret = reg_rules_named(t, op->cmd, op->argv[1], &op->loc, op->width, REG_READ, &ro->ref,
			      &op->side_effect);
	if (ret)
		return ret;
	return dry_check(t, op->cmd, op->argv[1], &op->loc, op->width, op->width, false);
}

/* ---- regs, snapshot, diff --------------------------------------------- */

/*
 * The registers a regs, snapshot save or diff reset line takes are found
 * when it is prepared, like every other line's targets: its names mean
 * what they mean at that line (a map bound later, an unmap or a `map ...
 * as` after it change nothing), and a register that cannot be read there
 * is refused before the first line runs, in a dry run too. Exec reads
 * what the list says.
 */
struct reg_entry {
	struct regref ref;
	const char *name;	/* PREFIX.REG, in the program */
	const char *not_read;	/* a reading line: "not read: WHY", or NULL */
	struct location loc;	/* a reading line, read: where */
};

struct reg_list {
	const char *glob;	/* NULL: every register */
	struct reg_entry *e;
	size_t n;
};

/* What a line does with its registers. */
enum reg_take {
	TAKE_LIST,		/* regs: describes them, reads none */
	TAKE_READ,		/* regs --read, snapshot save */
	TAKE_RESET,		/* diff reset: reads those with a reset value */
};

struct reg_pick {
	struct op *op;
	enum reg_take take;
	struct reg_list *l;	/* l->e NULL: counting */
};

/* B's registers go by its prefix at this line: not once its mapping is
 * unmapped, nor once the name is given to another mapping (a name means
 * what it is mapped to now, as in regs.c's prefix_of()). */
static bool bound_named(const struct dmt *t, const struct bound *b)
{
	const struct alias *al;

	if (b->dead)
		return false;
	if (!b->m || !b->prefix[0])
		return true;
	al = alias_find(t, b->prefix);
	return !al || al->m == b->m;
}

static int out_of_memory(struct dmt *t)
{
	out_error(t, "out of memory");
	return DMT_FAILED;
}

static const char *arena_strdup(struct dmt *t, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = prog_alloc(t->prog, n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* REF, named NAME, as the next entry of P's list (only counted while
 * there is none): for a reading line, its read rule decided and, if it
 * is read, where, with the checks the read will meet. 0, or the error
 * said. */
static int pick_one(struct dmt *t, struct reg_pick *p, const struct regref *ref,
		    const char *name)
{
	const struct command *cmd = p->op->cmd;
	char why[PM_ERRMSG_MAX + 32];
	struct reg_entry *e;
	int ret;

	if (!p->l->e) {
		p->l->n++;
		return 0;
	}
	e = &p->l->e[p->l->n++];
	e->ref = *ref;
	e->not_read = NULL;
	e->name = arena_strdup(t, name);
	if (!e->name)
		return out_of_memory(t);
	if (p->take == TAKE_LIST)
		return 0;
	if (reg_left_out(t, ref)) {
		snprintf(why, sizeof(why), "not read: %s", phys_ctx_errmsg(t->ctx));
		e->not_read = arena_strdup(t, why);
		return e->not_read ? 0 : out_of_memory(t);
	}
	ret = reg_locate(t, cmd, e->name, ref, &e->loc);
	if (ret)
		return ret;
	return dry_check(t, cmd, e->name, &e->loc, ref->width, ref->width, false);
}

/* pick_one() for each register of the maps named at this line whose
 * full name matches the list's glob, map by map, in address order. */
static int pick_each(struct dmt *t, struct reg_pick *p)
{
	for (size_t i = 0; i < t->nbound; i++) {
		const struct bound *b = t->bound[i];
		size_t n = phys_regmap_count(b->rm);

		if (!bound_named(t, b))
			continue;
		for (size_t r = 0; r < n; r++) {
			struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
			struct regref ref = { .b = b, .reg = r, .field = -1 };
			char name[200];
			int ret;

			phys_regmap_reg(b->rm, r, &ri);
			if (p->take == TAKE_RESET && !ri.reset_mask)
				continue;
			ref.width = ri.size / 8;
			reg_name(&ref, name, sizeof(name));
			if (p->l->glob && fnmatch(p->l->glob, name, FNM_CASEFOLD))
				continue;
			ret = pick_one(t, p, &ref, name);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* The registers OP takes (TAKE), matching GLOB (NULL: all), in op->data:
 * 0, or the error said. */
static int prep_reg_list(struct dmt *t, struct op *op, const char *glob, enum reg_take take)
{
	struct reg_list *l = prog_alloc(t->prog, sizeof(*l));
	struct reg_pick p = { .op = op, .take = take, .l = l };
	size_t n;

	if (!l)
		return out_of_memory(t);
	memset(l, 0, sizeof(*l));
	l->glob = glob;
	pick_each(t, &p);	/* counting: nothing fails */
	n = l->n;
	l->n = 0;
	if (n) {
		l->e = prog_alloc(t->prog, n * sizeof(*l->e));
		if (!l->e)
			return out_of_memory(t);
	}
	op->data = l;
	return n ? pick_each(t, &p) : 0;
}

/* E's register, read where prep found it: 0 and *VAL, or the access
 * error said. */
static int entry_read(struct dmt *t, const struct command *cmd, const struct reg_entry *e,
		      uint64_t *val)
{
	int ret = phys_read(e->loc.m->map, e->loc.off, e->ref.width, val);

	return ret ? access_failed(t, cmd, e->name, ret) : 0;
}

static const char *short_access(enum phys_reg_access a)
{
	static const char *const s[] = { "rw", "ro", "wo", "w1", "rw1" };

	return (unsigned int)a < 5 ? s[a] : "?";
}

/* One line of regs: E's register described or, HAVE, with its value
 * VAL; FIRST: the first line shown. */
static void regs_one(struct dmt *t, const struct op *op, const struct reg_entry *e,
		     bool have, uint64_t val, bool first)
{
	const struct regref *ref = &e->ref;
	struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
	char fields[1024] = "", reset[24] = "-";
	const char *name = e->name;
	uint64_t addr;
	bool phys;

	phys_regmap_reg(ref->b->rm, ref->reg, &ri);
	addr = shown_address(ref, &phys);
	if (t->json) {
		struct json_object *o = out_json_new(op->cmd->name);

		json_object_object_add(o, "name", json_object_new_string(name));
		json_object_object_add(o, "address", json_object_new_uint64(addr));
		json_object_object_add(o, "size", json_object_new_int((int)ri.size));
		json_object_object_add(o, "access", json_object_new_string(phys_reg_access_name(ri.access)));
		if (ri.reset_mask)
			json_object_object_add(o, "reset", json_object_new_uint64(ri.reset));
		else
			json_object_object_add(o, "reset", NULL);
		if (ri.reset_mask && ri.reset_mask != mask_of(ri.size))
			json_object_object_add(o, "reset_mask", json_object_new_uint64(ri.reset_mask));
		if (ri.write != PHYS_WRITE_NORMAL)
			json_object_object_add(o, "write_action",
					       json_object_new_string(phys_reg_write_name(ri.write)));
		if (ri.read_side_effect)
			json_object_object_add(o, "read_side_effect", json_object_new_boolean(1));
		json_object_object_add(o, "description", json_object_new_string(ri.description));
		json_object_object_add(o, "fields", json_fields(ref, have, val));
		if (have)
			json_object_object_add(o, "value", json_object_new_uint64(val));
		else if (e->not_read)
			json_object_object_add(o, "not_read",
					       json_object_new_string(e->not_read + strlen("not read: ")));
		out_json(t, o);
		return;
	}
	if (ri.reset_mask)
		snprintf(reset, sizeof(reset), "0x%0*" PRIx64, (int)ri.size / 4, ri.reset);
	if (op->kind == 1) {
		if (have) {
			decode(ref, val, fields, sizeof(fields));
			printf("%-28s 0x%0*" PRIx64 "%s%s\n", name, (int)ri.size / 4, val,
			       fields[0] ? "  " : "", fields);
		} else {
			printf("%-28s (%s)\n", name, e->not_read);
		}
		return;
	}
	if (first)
		printf("%-10s %2s %-4s %-18s %s\n", "ADDRESS", "SZ", "ACC", "RESET",
		       "NAME  DESCRIPTION");
	printf("0x%08" PRIx64 " %2u %-3s%s %-18s %s%s%s\n", addr, ri.size, short_access(ri.access),
	       ri.read_side_effect ? "!" : " ", reset, name, ri.description[0] ? "  " : "",
	       ri.description);
}

/*
 * GLOB's first word, when it is a plain name, may name a target whose
 * installed map is not in use yet: bind it (regs edu.*). A bare name is
 * all of its registers (regs edu). The glob to use, in the program.
 */
static const char *glob_bind(struct dmt *t, const char *glob)
{
	size_t len = strcspn(glob, ".");
	char first[128 + 2];
	char *all;

	if (len >= sizeof(first) - 2 || strcspn(glob, "*?[") < len)
		return glob;
	memcpy(first, glob, len);
	strcpy(first + len, ".x");	/* a name, as a register's prefix is */
	if (!reg_name_like(first))
		return glob;
	first[len] = '\0';
	if (reg_bind(t, first) || glob[len])
		return glob;
	all = prog_alloc(t->prog, len + 3);
	if (!all)
		return glob;
	memcpy(all, first, len);
	memcpy(all + len, ".*", 3);
	return all;
}

/* regs [--read] [GLOB] */
int prep_regs(struct dmt *t, struct op *op)
{
	const char *glob;
	int i = 1, ret;

	op->kind = 0;
	if (i < op->argc && !strcmp(op->argv[i], "--read")) {
		op->kind = 1;
		i++;
	}
	if (op->argc - i > 1)
		return usage_error(t, op->cmd, "one GLOB at most");
	glob = i < op->argc ? glob_bind(t, op->argv[i]) : NULL;
	if (!t->nbound) {
		out_error(t, "%s: no register map in use (--regmap FILE, or `map TARGET as NAME "
			  "regmap MAP`)", op->cmd->name);
		return DMT_FAILED;
	}
	ret = prep_reg_list(t, op, glob, op->kind == 1 ? TAKE_READ : TAKE_LIST);
	if (ret)
		return ret;
	if (!((const struct reg_list *)op->data)->n) {
		out_error(t, "%s: no register matches '%s'", op->cmd->name, glob ? glob : "*");
		return DMT_FAILED;
	}
	return 0;
}

int exec_regs(struct dmt *t, const struct op *op)
{
	const struct reg_list *l = op->data;
	bool read = op->kind == 1, first = true;
	int status = 0;

	if (t->dry_run && read) {
		out_dry(t, op->cmd->name, NULL, "read the registers%s%s that may be read "
			"without a side effect", l->glob ? " matching " : "", l->glob ? l->glob : "");
		return 0;
	}
	for (size_t i = 0; i < l->n && !dmt_interrupted; i++) {
		const struct reg_entry *e = &l->e[i];
		bool have = read && !e->not_read;
		uint64_t val = 0;

		if (have && entry_read(t, op->cmd, e, &val)) {
			status = DMT_FAILED;
			if (!t->keep_going)
				break;
			continue;
		}
		if (dmt_interrupted)
			break;
		regs_one(t, op, e, have, val, first);
		first = false;
	}
	return dmt_interrupted ? DMT_INTERRUPTED : status;
}

/* ---- snapshots -------------------------------------------------------- */

#define SNAPSHOT_HEADER "# physmem register snapshot 1"

/* L's registers into OUT, NAME VALUE, those not read as comments: 0 and
 * *COUNT read, or an access error said. */
static int snap_write(struct dmt *t, const struct op *op, const struct reg_list *l, FILE *out,
		      unsigned int *count)
{
	for (size_t i = 0; i < l->n && !dmt_interrupted; i++) {
		const struct reg_entry *e = &l->e[i];
		uint64_t val;

		if (e->not_read) {
			fprintf(out, "# %s %s\n", e->name, e->not_read);
			continue;
		}
		if (entry_read(t, op->cmd, e, &val))
			return DMT_FAILED;
		fprintf(out, "%s 0x%0*" PRIx64 "\n", e->name, (int)e->ref.width * 2, val);
		(*count)++;
	}
	return 0;
}
/* One snapshot line: NAME VALUE. */
struct snap_entry {
	char *name;
	uint64_t value;
	bool seen;
};

struct snapshot {
	struct snap_entry *e;
	size_t n;
};

static void snap_free(struct snapshot *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->e[i].name);
	free(s->e);
}

static int snap_read(struct dmt *t, const struct command *cmd, const char *path,
		     struct snapshot *s)
{
	FILE *f = fopen(path, "re");
	char line[512];
	unsigned long ln = 0;

	memset(s, 0, sizeof(*s));
	if (!f) {
		out_error(t, "%s: %s: %s", cmd->name, path, strerror(errno));
		return DMT_FAILED;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[256];
		uint64_t v;
		struct snap_entry *ne;
		int used = 0;

		ln++;
		if (ln == 1 && strncmp(line, SNAPSHOT_HEADER, strlen(SNAPSHOT_HEADER))) {
			out_error(t, "%s: %s:1: not a register snapshot (no \"%s\" line)", cmd->name,
				  path, SNAPSHOT_HEADER);
			goto bad;
		}
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (sscanf(line, "%255s %n", name, &used) != 1 ||
		    pm_parse_u64(strtok(line + used, " \t\r\n") ? line + used : "", 0, &v)) {
			out_error(t, "%s: %s:%lu: expected NAME VALUE", cmd->name, path, ln);
			goto bad;
		}
		ne = realloc(s->e, (s->n + 1) * sizeof(*ne));
		if (!ne)
			goto bad;
		s->e = ne;
		s->e[s->n].name = strdup(name);
		s->e[s->n].value = v;
		s->e[s->n].seen = false;
		if (!s->e[s->n].name)
			goto bad;
		s->n++;
	}
	fclose(f);
	return 0;
bad:
	fclose(f);
	snap_free(s);
	return DMT_FAILED;
}

/* One difference: NAME old -> new, and the fields that changed. KNOWN:
 * NAME's register, or NULL: looked up by NAME. */
static void say_diff(struct dmt *t, const char *cmd, const char *name, const struct regref *known,
		     bool has_a, uint64_t a, bool has_b, uint64_t b, const char *la, const char *lb)
{
	struct regref ref;
	char why[256], fa[1024] = "", fb[1024] = "";

	if (!known && !reg_find(t, name, &ref, why, sizeof(why)))
		known = &ref;
	if (t->json) {
		struct json_object *o = out_json_new(cmd);

		json_object_object_add(o, "name", json_object_new_string(name));
		json_object_object_add(o, la, has_a ? json_object_new_uint64(a) : NULL);
		json_object_object_add(o, lb, has_b ? json_object_new_uint64(b) : NULL);
		out_json(t, o);
		return;
	}
	if (!has_a || !has_b) {
		printf("%-28s only in %s: 0x%" PRIx64 "\n", name, has_a ? la : lb, has_a ? a : b);
		return;
	}
	if (!known) {
		printf("%-28s %s 0x%" PRIx64 " -> %s 0x%" PRIx64 "\n", name, la, a, lb, b);
		return;
	}
	printf("%-28s %s 0x%0*" PRIx64 " -> %s 0x%0*" PRIx64 "\n", name, la, (int)known->width * 2, a,
	       lb, (int)known->width * 2, b);
	struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);

	phys_regmap_reg(known->b->rm, known->reg, &ri);
	for (unsigned int i = 0; i < ri.nfields; i++) {
		uint64_t va = phys_regmap_field_get(known->b->rm, known->reg, i, a);
		uint64_t vb = phys_regmap_field_get(known->b->rm, known->reg, i, b);
		struct regref fr = *known;

		if (va == vb)
			continue;
		fr.field = (int)i;
		decode(&fr, a, fa, sizeof(fa));
		decode(&fr, b, fb, sizeof(fb));
		printf("    %s -> %s\n", fa, fb);
	}
}

int prep_snapshot(struct dmt *t, struct op *op)
{
	if (!strcmp(op->argv[1], "save")) {
		const char *glob;

		if (op->argc < 3 || op->argc > 4)
			return usage_error(t, op->cmd, "snapshot save FILE [GLOB]");
		glob = op->argc > 3 ? glob_bind(t, op->argv[3]) : NULL;
		if (!t->nbound) {
			out_error(t, "%s save: no register map in use", op->cmd->name);
			return DMT_FAILED;
		}
		op->kind = 0;
		return prep_reg_list(t, op, glob, TAKE_READ);
	}
	if (!strcmp(op->argv[1], "diff")) {
		if (op->argc != 4)
			return usage_error(t, op->cmd, "snapshot diff A B");
		op->kind = 1;
		return 0;
	}
	return usage_error(t, op->cmd, "save or diff, not '%s'", op->argv[1]);
}

int exec_snapshot(struct dmt *t, const struct op *op)
{
	struct snapshot a, b;
	char tmp[4096];
	int fd, status = 0;

	if (op->kind == 0) {
		const struct reg_list *l = op->data;
		const char *path = script_path(t, op, op->argv[2]);
		unsigned int count = 0;
		FILE *out;

		if (t->dry_run) {
			out_dry(t, op->cmd->name, NULL, "save the registers%s%s that may be read "
				"without a side effect to %s", l->glob ? " matching " : "",
				l->glob ? l->glob : "", path);
			return 0;
		}
		if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
			return say_failed(t, op->cmd, path, "path too long");
		fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0 || !(out = fdopen(fd, "w"))) {
			out_error(t, "%s save %s: %s", op->cmd->name, path, strerror(errno));
			if (fd >= 0)
				close(fd), unlink(tmp);
			return DMT_FAILED;
		}
		fprintf(out, "%s\n", SNAPSHOT_HEADER);
		status = snap_write(t, op, l, out, &count);
		if (fclose(out) || status || dmt_interrupted || rename(tmp, path)) {
			if (!status && !dmt_interrupted)
				out_error(t, "%s save %s: %s", op->cmd->name, path, strerror(errno));
			unlink(tmp);
			return dmt_interrupted ? DMT_INTERRUPTED : DMT_FAILED;
		}
		if (t->json) {
			struct json_object *o = out_json_new(op->cmd->name);

			json_object_object_add(o, "file", json_object_new_string(path));
			json_object_object_add(o, "registers", json_object_new_int((int)count));
			out_json(t, o);
		} else if (!t->quiet) {
			printf("%s: %u register%s\n", path, count, count == 1 ? "" : "s");
		}
		return 0;
	}
	if (t->dry_run) {
		out_dry(t, op->cmd->name, NULL, "compare %s and %s", op->argv[2], op->argv[3]);
		return 0;
	}
	if (snap_read(t, op->cmd, script_path(t, op, op->argv[2]), &a))
		return DMT_FAILED;
	if (snap_read(t, op->cmd, script_path(t, op, op->argv[3]), &b)) {
		snap_free(&a);
		return DMT_FAILED;
	}
	for (size_t i = 0; i < a.n; i++) {
		size_t j;

		for (j = 0; j < b.n; j++)
			if (!b.e[j].seen && !strcmp(a.e[i].name, b.e[j].name))
				break;
		if (j == b.n) {
			say_diff(t, op->cmd->name, a.e[i].name, NULL, true, a.e[i].value, false, 0, "A", "B");
			status = DMT_FAILED;
			continue;
		}
		b.e[j].seen = true;
		if (a.e[i].value != b.e[j].value) {
			say_diff(t, op->cmd->name, a.e[i].name, NULL, true, a.e[i].value, true,
				 b.e[j].value, "A", "B");
			status = DMT_FAILED;
		}
	}
	for (size_t j = 0; j < b.n; j++)
		if (!b.e[j].seen) {
			say_diff(t, op->cmd->name, b.e[j].name, NULL, false, 0, true, b.e[j].value, "A", "B");
			status = DMT_FAILED;
		}
	snap_free(&a);
	snap_free(&b);
	return status;
}

/* diff reset [GLOB]: the registers whose value is not their reset value
 * (in the bits whose reset is known). */
int prep_diff(struct dmt *t, struct op *op)
{
	const char *glob;

	if (strcmp(op->argv[1], "reset"))
		return usage_error(t, op->cmd, "diff reset [GLOB] (snapshot diff A B compares files)");
	glob = op->argc > 2 ? glob_bind(t, op->argv[2]) : NULL;
	if (!t->nbound) {
		out_error(t, "%s reset: no register map in use", op->cmd->name);
		return DMT_FAILED;
	}
	return prep_reg_list(t, op, glob, TAKE_RESET);
}

int exec_diff(struct dmt *t, const struct op *op)
{
	const struct reg_list *l = op->data;
	bool differ = false;

	if (t->dry_run) {
		out_dry(t, op->cmd->name, NULL, "read the registers with a reset value and "
			"no read side effect, compare");
		return 0;
	}
	for (size_t i = 0; i < l->n && !dmt_interrupted; i++) {
		const struct reg_entry *e = &l->e[i];
		struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
		uint64_t val;

		if (e->not_read)
			continue;
		if (entry_read(t, op->cmd, e, &val))
			return DMT_FAILED;
		phys_regmap_reg(e->ref.b->rm, e->ref.reg, &ri);
		if ((val & ri.reset_mask) != ri.reset) {
			say_diff(t, op->cmd->name, e->name, &e->ref, true,
				 ri.reset | (val & ~ri.reset_mask), true, val, "reset", "now");
			differ = true;
		}
	}
	if (dmt_interrupted)
		return DMT_INTERRUPTED;
	return differ ? DMT_FAILED : 0;
}
