// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Register maps in devmemtool: the maps in use and what they are bound
 * to, register names as addresses, and the access rules every command
 * meets, whether it names a register or gives its address. The rules
 * themselves are libphys's (phys_regmap_read_rule(), _write_plan()).
 *
 * A map is in use with a prefix and a mapping: an absolute map (SVD)
 * without either, so UART0.CR is a physical address; a map bound to a
 * target with `map TARGET as NAME regmap MAP` under NAME, so NAME.REG is
 * an offset in it; and a map bound by itself when NAME.REG names a
 * target backed by a PCI BAR whose vendor:device an installed map
 * declares (edu.IDENT).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devmemtool.h"

/* Could TEXT be a register's name: PREFIX.REG[.FIELD], letters, digits,
 * '_', '-', '[', ']' and at least one '.', starting with a letter or '_'? */
bool reg_name_like(const char *text)
{
	bool dot = false;

	if (!isalpha((unsigned char)*text) && *text != '_')
		return false;
	for (const char *p = text; *p; p++) {
		if (*p == '.')
			dot = true;
		else if (!isalnum((unsigned char)*p) && !strchr("_-[]", *p))
			return false;
	}
	return dot;
}

static int bound_add(struct dmt *t, struct phys_regmap *rm, const char *prefix,
		     struct mapping *m, uint64_t delta)
{
	struct bound **nb, *b = calloc(1, sizeof(*b));

	if (!b || !(b->prefix = strdup(prefix))) {
		free(b);
		phys_regmap_free(rm);
		return -ENOMEM;
	}
	nb = realloc(t->bound, (t->nbound + 1) * sizeof(*nb));
	if (!nb) {
		free(b->prefix);
		free(b);
		phys_regmap_free(rm);
		return -ENOMEM;
	}
	b->rm = rm;
	b->m = m;
	b->delta = delta;
	nb[t->nbound++] = b;
	t->bound = nb;
	return 0;
}

/* MAP is a file's path if it has a '/' or names a file; else an
 * installed map's name. */
static struct phys_regmap *load_map(struct dmt *t, const char *map)
{
	if (strchr(map, '/') || !access(map, F_OK))
		return phys_regmap_load(t->ctx, map, 0);
	return phys_regmap_find(t->ctx, map);
}

int regmap_use(struct dmt *t, const char *map, const char *prefix, struct mapping *m,
	       char *why, size_t why_size)
{
	struct phys_regmap *rm = load_map(t, map);
	uint64_t delta = 0;
	int ret;

	if (!rm) {
		snprintf(why, why_size, "%s", phys_ctx_errmsg(t->ctx));
		return -1;
	}
	if (!m && !phys_regmap_absolute(rm)) {
		uint16_t v, d;
		int bar;
		char **c;

		/* a block's map for a PCI device: bound to its BARs, like an
		 * installed one (before those) */
		if (!phys_regmap_pci(rm, 0, &v, &d, &bar)) {
			c = realloc(t->candidates, (t->ncandidates + 1) * sizeof(*c));
			if (c)
				t->candidates = c;
			if (!c || !(c[t->ncandidates] = strdup(phys_regmap_path(rm)))) {
				snprintf(why, why_size, "%s", strerror(ENOMEM));
				phys_regmap_free(rm);
				return -1;
			}
			t->ncandidates++;
			phys_regmap_free(rm);
			return 0;
		}
		snprintf(why, why_size, "register map %s gives offsets in a block, not addresses, "
			 "and names no PCI device to bind it to: bind it to its target with "
			 "`map TARGET as NAME regmap %s`", phys_regmap_name(rm), map);
		phys_regmap_free(rm);
		return -1;
	}
	/* An absolute map bound to a target: its addresses are physical. */
	if (m && phys_regmap_absolute(rm))
		delta = m->phys;
	ret = bound_add(t, rm, prefix ? prefix : "", m, delta);
	if (ret) {
		snprintf(why, why_size, "%s", strerror(-ret));
		return -1;
	}
	return 0;
}

void regmaps_free(struct dmt *t, size_t from)
{
	while (t->nbound > from) {
		struct bound *b = t->bound[--t->nbound];

		if (b->m)
			b->m->regmap_tried = false;	/* may be bound again */
		phys_regmap_free(b->rm);
		free(b->prefix);
		free(b);
	}
	if (!from) {
		free(t->bound);
		t->bound = NULL;
		for (size_t i = 0; i < t->ncandidates; i++)
			free(t->candidates[i]);
		free(t->candidates);
		t->candidates = NULL;
		t->ncandidates = 0;
	}
}

static size_t prefix_of(const struct dmt *t, const struct bound *b, const char *text);

/* M is a PCI BAR (or part of one) that an installed map declares: bind
 * that map to it, under PREFIX. 0 if it did. Tried once per mapping. */
static int bind_mapping(struct dmt *t, struct mapping *m, const char *prefix)
{
	struct phys_pci_dev dev = PHYS_INFO_INIT(struct phys_pci_dev);
	struct phys_regmap *rm;
	int hit_bar;

	if (m->regmap_tried || !m->has_phys)
		return -1;
	m->regmap_tried = true;
	if (phys_pci_bar_at(t->ctx, m->phys, &dev, &hit_bar))
		return -1;
	rm = NULL;
	for (size_t i = 0; i < t->ncandidates && !rm; i++) {
		int bar;

		rm = phys_regmap_load(t->ctx, t->candidates[i], 0);
		if (rm && !(phys_regmap_pci_match(rm, dev.vendor_id, dev.device_id, &bar) &&
			    (bar < 0 || bar == hit_bar))) {
			phys_regmap_free(rm);
			rm = NULL;
		}
	}
	if (!rm)
		rm = phys_regmap_for_pci(t->ctx, dev.vendor_id, dev.device_id, hit_bar);
	if (!rm)
		return -1;
	return bound_add(t, rm, prefix, m,
			 phys_regmap_absolute(rm) ? m->phys : m->phys - dev.bars[hit_bar].addr) ? -1 : 0;
}

/* PREFIX names a target backed by a PCI BAR that an installed map
 * declares: bind that map to it, under PREFIX. 0 if it did. */
static int auto_bind(struct dmt *t, const char *prefix)
{
	const struct alias *al = alias_find(t, prefix);
	struct mapping *m;

	if (al)
		m = al->m;
	else if (mapping_open(t, prefix, &m))
		return -1;
	return bind_mapping(t, m, prefix);
}

int reg_bind(struct dmt *t, const char *prefix)
{
	char text[130];

	if (snprintf(text, sizeof(text), "%s.x", prefix) >= (int)sizeof(text))
		return -1;
	for (size_t i = 0; i < t->nbound; i++)
		if (!t->bound[i]->dead && t->bound[i]->prefix[0] && prefix_of(t, t->bound[i], text))
			return 0;
	return auto_bind(t, prefix);
}

/* REST in B's map, quietly: 0 and REF filled, or the lookup's error. */
static int lookup(struct dmt *t, struct bound *b, const char *rest, struct regref *ref)
{
	struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
	int field, ret;

	ret = phys_regmap_lookup(b->rm, rest, &ref->reg, &field);
	if (ret)
		return ret;
	phys_regmap_reg(b->rm, ref->reg, &ri);
	ref->b = b;
	ref->field = field;
	ref->width = ri.size / 8;
	return 0;
}

/* The length of TEXT's first word if it names B's target: B's prefix,
 * a name given to its mapping, or the mapping's target; else 0. */
static size_t prefix_of(const struct dmt *t, const struct bound *b, const char *text)
{
	size_t len = strcspn(text, ".");
	char first[128];
	const struct alias *al;

	if (!text[len] || len >= sizeof(first))
		return 0;
	memcpy(first, text, len);
	first[len] = '\0';
	/* a name means what it is mapped to now: mapped again elsewhere,
	 * the map bound under it stays with the old target */
	al = alias_find(t, first);
	if (b->m && al)
		return al->m == b->m ? len : 0;
	if (strlen(b->prefix) == len && !strncmp(text, b->prefix, len))
		return len;
	if (b->m && !strcmp(b->m->key, first))
		return len;
	return 0;
}

/* TEXT among the maps in use from FROM on: 0, or -1 with the message of
 * the map TEXT's prefix chose (else of an absolute map) in MSG. */
static int find_from(struct dmt *t, size_t from, const char *text, struct regref *ref,
		     char *msg, size_t msg_size, bool *prefixed)
{
	for (size_t i = from; i < t->nbound; i++) {
		struct bound *b = t->bound[i];
		size_t plen = strlen(b->prefix);
		const char *rest = text;

		if (b->dead)
			continue;
		if (plen) {
			plen = prefix_of(t, b, text);
			if (!plen)
				continue;
			rest = text + plen + 1;
		}
		if (!lookup(t, b, rest, ref))
			return 0;
		/* the prefix chose this map: its message is the one */
		if (plen || !msg[0])
			snprintf(msg, msg_size, "%s", phys_ctx_errmsg(t->ctx));
		if (plen)
			*prefixed = true;
	}
	return -1;
}

int reg_find(struct dmt *t, const char *text, struct regref *ref, char *why, size_t why_size)
{
	char first[128], msg[PM_ERRMSG_MAX] = "";
	bool prefixed = false;
	size_t len, n = t->nbound;

	if (!reg_name_like(text))
		return 1;
	if (!find_from(t, 0, text, ref, msg, sizeof(msg), &prefixed))
		return 0;
	/* no map in use has that prefix: one for the device behind it? */
	len = strcspn(text, ".");
	if (!prefixed && len < sizeof(first)) {
		memcpy(first, text, len);
		first[len] = '\0';
		if (!auto_bind(t, first)) {
			msg[0] = '\0';
			if (!find_from(t, n, text, ref, msg, sizeof(msg), &prefixed))
				return 0;
		}
	}
	if (msg[0])
		snprintf(why, why_size, "%s", msg);
	else
		snprintf(why, why_size, "no register map in use names '%s' (--regmap FILE "
			 "loads an SVD map or a device's; `map TARGET as NAME regmap MAP` binds a "
			 "block's map to TARGET)", text);
	return -1;
}

/*
 * TEXT, a name without a dot, among the absolute maps in use: a
 * register at the top of one (SYS, beside its blocks' UART0.CR). 1 if
 * no absolute map is in use, -1 with WHY if none names it.
 */
int reg_find_top(struct dmt *t, const char *text, struct regref *ref, char *why, size_t why_size)
{
	int ret = 1;

	for (size_t i = 0; i < t->nbound; i++) {
		struct bound *b = t->bound[i];

		if (b->dead || b->prefix[0])
			continue;
		if (!lookup(t, b, text, ref))
			return 0;
		if (ret > 0)	/* the first absolute map's message */
			snprintf(why, why_size, "%s", phys_ctx_errmsg(t->ctx));
		ret = -1;
	}
	return ret;
}

int reg_locate_at(struct dmt *t, const struct command *cmd, const char *text,
		  const struct regref *ref, uint64_t off, uint64_t len, struct location *loc)
{
	struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
	const struct bound *b = ref->b;
	uint64_t a;
	char why[256];

	phys_regmap_reg(b->rm, ref->reg, &ri);
	if (__builtin_add_overflow(ri.address, off, &a))
		return say_failed(t, cmd, text, "address overflows 64 bits");
	if (!b->m)
		return resolve_phys(t, cmd, text, a, len, loc);
	if (a < b->delta || (b->m->size && (a - b->delta > b->m->size ||
					     len > b->m->size - (a - b->delta)))) {
		snprintf(why, sizeof(why), "0x%" PRIx64 " bytes at 0x%" PRIx64 " (register %s%s) lie "
			 "outside %s (0x%" PRIx64 " bytes)", len, a, ri.name, off ? " and an offset" : "",
			 b->prefix, b->m->size);
		return say_failed(t, cmd, text, why);
	}
	loc->m = b->m;
	loc->name = b->prefix;
	loc->off = a - b->delta;
	return 0;
}

int reg_locate(struct dmt *t, const struct command *cmd, const char *text,
	       const struct regref *ref, struct location *loc)
{
	return reg_locate_at(t, cmd, text, ref, 0, ref->width, loc);
}

/* The register at LOC in B's terms: its address there, if B's map
 * describes the memory behind LOC. Judged by the memory, not by the
 * mapping: another mapping of the same file or the same physical range
 * (spelt differently, a link, a bare address in a window) meets the same
 * rules. */
static bool bound_addr(const struct bound *b, const struct location *loc, uint64_t *addr)
{
	if (b->m) {
		uint64_t off = loc->off;

		if (loc->m != b->m && phys_map_offset_in(loc->m->map, loc->off, b->m->map, &off))
			return false;
		if (off > UINT64_MAX - b->delta)
			return false;
		*addr = off + b->delta;
		return true;
	}
	if (!loc->m->has_phys || loc->off > UINT64_MAX - loc->m->phys)
		return false;
	*addr = loc->m->phys + loc->off;
	return true;
}

/* Registers sorted by address: the first whose end is past ADDR. */
static size_t first_reg_from(const struct phys_regmap *rm, uint64_t addr)
{
	size_t lo = 0, hi = phys_regmap_count(rm);

	addr = addr >= 7 ? addr - 7 : 0;	/* a register is at most 8 bytes */
	while (lo < hi) {
		struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
		size_t mid = lo + (hi - lo) / 2;

		phys_regmap_reg(rm, mid, &ri);
		if (ri.address < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int reg_foreach_in(struct dmt *t, const struct location *loc, uint64_t len,
		   int (*fn)(const struct regref *ref, uint64_t off, void *data), void *data)
{
	/* the installed map of the device behind LOC, if there is one: its
	 * rules hold whether or not its names are used */
	if (!loc->m->regmap_tried)
		bind_mapping(t, loc->m, loc->name ? loc->name : loc->m->key);
	for (size_t i = 0; i < t->nbound; i++) {
		const struct bound *b = t->bound[i];
		size_t n = phys_regmap_count(b->rm);
		uint64_t a, end;

		if (b->dead || !len || !bound_addr(b, loc, &a))
			continue;
		end = len - 1 > UINT64_MAX - a ? UINT64_MAX : a + len - 1;
		for (size_t r = first_reg_from(b->rm, a); r < n; r++) {
			struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
			struct regref ref = { .b = b, .reg = r, .field = -1 };
			int ret;

			phys_regmap_reg(b->rm, r, &ri);
			if (ri.address > end)
				break;
			if (ri.address + ri.size / 8 - 1 < a)
				continue;
			ref.width = ri.size / 8;
			ret = fn(&ref, loc->off + (ri.address - a), data);
			if (ret)
				return ret;
		}
	}
	return 0;
}

void reg_name(const struct regref *ref, char *buf, size_t size)
{
	struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
	struct phys_field_info fi = PHYS_INFO_INIT(struct phys_field_info);

	phys_regmap_reg(ref->b->rm, ref->reg, &ri);
	if (ref->field >= 0)
		phys_regmap_field(ref->b->rm, ref->reg, (unsigned int)ref->field, &fi);
	snprintf(buf, size, "%s%s%s%s%s", ref->b->prefix, ref->b->prefix[0] ? "." : "", ri.name,
		 ref->field >= 0 ? "." : "", ref->field >= 0 ? fi.name : "");
}

/* ---- the rules, for every access ---------------------------------------- */

struct rule_walk {
	struct dmt *t;
	const struct command *cmd;
	const char *text;
	unsigned int what;
	int ret;
	bool side_effect;
};

static int rule_one(const struct regref *ref, uint64_t off, void *data)
{
	struct rule_walk *w = data;
	struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
	char name[200], why[PM_ERRMSG_MAX + 1024];
	int ret;

	phys_regmap_reg(ref->b->rm, ref->reg, &ri);
	reg_name(ref, name, sizeof(name));
	if ((w->what & REG_WRITE) && ri.access == PHYS_ACCESS_RO && !w->t->force) {
		snprintf(why, sizeof(why), "%s is read-only (register map %s); --force writes it anyway",
			 name, phys_regmap_name(ref->b->rm));
		w->ret = say_failed(w->t, w->cmd, w->text, why);
		return 1;
	}
	if (!(w->what & (REG_READ | REG_RMW)))
		return 0;
	ret = phys_regmap_read_rule(ref->b->rm, ref->reg);
	if (ret == -EPERM && !w->t->force) {
		snprintf(why, sizeof(why), "%s; --force reads it anyway", phys_ctx_errmsg(w->t->ctx));
		w->ret = say_failed(w->t, w->cmd, w->text, why);
		return 1;
	}
	if (ret == -EAGAIN) {
		if (w->what & (REG_RMW | REG_QUIET)) {
			if (!w->t->force) {
				snprintf(why, sizeof(why), "%s; --force reads it anyway",
					 phys_ctx_errmsg(w->t->ctx));
				w->ret = say_failed(w->t, w->cmd, w->text, why);
				return 1;
			}
		}
		w->side_effect = true;
	}
	if ((w->what & REG_RMW) && !w->t->force) {
		for (unsigned int f = 0; f < ri.nfields || (!ri.nfields && f == 0); f++) {
			struct phys_field_info fi = PHYS_INFO_INIT(struct phys_field_info);
			enum phys_reg_write wr = ri.write;

			if (ri.nfields) {
				phys_regmap_field(ref->b->rm, ref->reg, f, &fi);
				wr = fi.write;
			}
			if (ri.nfields && fi.access == PHYS_ACCESS_WO) {
				snprintf(why, sizeof(why), "%s.%s is write-only: what it reads is not "
					 "what it holds, and a read-modify-write would write that back; "
					 "write a field with `w %s.FIELD VALUE` (--force does it anyway)",
					 name, fi.name, name);
				w->ret = say_failed(w->t, w->cmd, w->text, why);
				return 1;
			}
			if (wr != PHYS_WRITE_NORMAL) {
				snprintf(why, sizeof(why), "%s%s%s is %s: a read-modify-write would write "
					 "back what it read and act on it; write the field with "
					 "`w %s.FIELD VALUE` (--force does it anyway)", name,
					 ri.nfields ? "." : "", ri.nfields ? fi.name : "",
					 phys_reg_write_name(wr), name);
				w->ret = say_failed(w->t, w->cmd, w->text, why);
				return 1;
			}
		}
	}
	return 0;
}

int reg_rules(struct dmt *t, const struct command *cmd, const char *text,
	      const struct location *loc, uint64_t len, unsigned int what, bool *side_effect)
{
	struct rule_walk w = { t, cmd, text, what, 0, false };

	if (side_effect)
		*side_effect = false;
	if (!t->nbound && loc->m->regmap_tried)
		return 0;
	reg_foreach_in(t, loc, len, rule_one, &w);
	if (side_effect)
		*side_effect = w.side_effect;
	return w.ret;
}

static int read_one(const struct regref *ref, uint64_t off, void *data)
{
	(void)off;
	(void)data;
	return phys_regmap_read_rule(ref->b->rm, ref->reg) ? 1 : 0;
}

/* May the bytes at LOC, LEN of them, be read again, quietly: no register
 * there is write-only or has a read side effect (--readback asks). */
bool reg_read_free(struct dmt *t, const struct location *loc, uint64_t len)
{
	if (!t->nbound && loc->m->regmap_tried)
		return true;
	return reg_foreach_in(t, loc, len, read_one, NULL) == 0;
}
