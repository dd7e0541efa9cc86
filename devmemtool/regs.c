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

/* RM in use under PREFIX, bound to M. BAR_RULES: RM is a PCI BAR's map
 * (t->bars), which keeps it; else the new binding owns it, and frees it
 * if it cannot be made. */
static int bound_add(struct dmt *t, struct phys_regmap *rm, const char *prefix,
		     struct mapping *m, uint64_t delta, bool bar_rules)
{
	struct bound **nb, *b = calloc(1, sizeof(*b));

	if (!b || !(b->prefix = strdup(prefix))) {
		free(b);
		if (!bar_rules)
			phys_regmap_free(rm);
		return -ENOMEM;
	}
	nb = realloc(t->bound, (t->nbound + 1) * sizeof(*nb));
	if (!nb) {
		free(b->prefix);
		free(b);
		if (!bar_rules)
			phys_regmap_free(rm);
		return -ENOMEM;
	}
	b->rm = rm;
	b->m = m;
	b->delta = delta;
	b->by_bar = bar_rules;
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
	ret = bound_add(t, rm, prefix ? prefix : "", m, delta, false);
	if (ret) {
		snprintf(why, why_size, "%s", strerror(-ret));
		return -1;
	}
	return 0;
}

static void bars_free(struct dmt *t);

void regmaps_free(struct dmt *t, size_t from)
{
	while (t->nbound > from) {
		struct bound *b = t->bound[--t->nbound];

		if (b->m)
			b->m->regmap_tried = false;	/* may be bound again */
		if (!b->by_bar)		/* a BAR's map is t->bars' */
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
		bars_free(t);
	}
}

static size_t prefix_of(const struct dmt *t, const struct bound *b, const char *text);

/* ---- PCI BARs and their devices' maps ------------------------------- */

static int bar_add(const struct phys_pci_dev *d, void *data)
{
	struct dmt *t = data;

	for (int i = 0; i < 6; i++) {
		const struct phys_pci_bar *pb = &d->bars[i];
		struct bar_rules *nb;

		if (pb->is_io || !pb->assigned || !pb->size || pb->size - 1 > UINT64_MAX - pb->addr)
			continue;
		nb = realloc(t->bars, (t->nbars + 1) * sizeof(*nb));
		if (!nb)
			return -ENOMEM;
		t->bars = nb;
		nb = &t->bars[t->nbars++];
		memset(nb, 0, sizeof(*nb));
		nb->addr = pb->addr;
		nb->size = pb->size;
		nb->vendor = d->vendor_id;
		nb->device = d->device_id;
		nb->bar = i;
		nb->b.prefix = (char *)"";
	}
	return 0;
}

/* The PCI memory BARs, listed once a run (IDs and BARs, no names). */
static void bars_scan(struct dmt *t)
{
	if (t->bars_scanned)
		return;
	t->bars_scanned = true;
	/* without PCI (no sysfs), no BAR to hold rules for */
	phys_pci_walk(t->ctx, NULL, PHYS_PCI_NO_NAMES, bar_add, t);
}

/* The BAR that holds physical address ADDR, or NULL. */
static struct bar_rules *bar_at(struct dmt *t, uint64_t addr)
{
	bars_scan(t);
	for (size_t i = 0; i < t->nbars; i++)
		if (addr >= t->bars[i].addr && addr - t->bars[i].addr < t->bars[i].size)
			return &t->bars[i];
	return NULL;
}

/* The map PB's device declares, loaded: a --regmap block map
 * first, then an installed one; NULL if none. */
static struct phys_regmap *bar_map_load(struct dmt *t, const struct bar_rules *pb)
{
	struct phys_regmap *rm;

	for (size_t i = 0; i < t->ncandidates; i++) {
		int bar;

		rm = phys_regmap_load(t->ctx, t->candidates[i], 0);
		if (rm && phys_regmap_pci_match(rm, pb->vendor, pb->device, &bar) &&
		    (bar < 0 || bar == pb->bar))
			return rm;
		phys_regmap_free(rm);
	}
	return phys_regmap_for_pci(t->ctx, pb->vendor, pb->device, pb->bar);
}

/* PB's map for its rules, looked for once. */
static const struct bound *bar_rules_map(struct dmt *t, struct bar_rules *pb)
{
	if (!pb->tried) {
		pb->tried = true;
		pb->b.rm = bar_map_load(t, pb);
	}
	return pb->b.rm ? &pb->b : NULL;
}

static void bars_free(struct dmt *t)
{
	for (size_t i = 0; i < t->nbars; i++)
		phys_regmap_free(t->bars[i].b.rm);
	free(t->bars);
	t->bars = NULL;
	t->nbars = 0;
	t->bars_scanned = false;
}

/* M is a PCI BAR (or part of one) whose device a map declares: bind that
 * map to it, under PREFIX, for its names. 0 if it did. Tried once per
 * mapping. (Its rules hold anyway, by physical address: bar_rules_map.) */
static int bind_mapping(struct dmt *t, struct mapping *m, const char *prefix)
{
	const struct bound *bb;
	struct bar_rules *pb;

	if (m->regmap_tried || !m->has_phys)
		return -1;
	m->regmap_tried = true;
	pb = bar_at(t, m->phys);
	bb = pb ? bar_rules_map(t, pb) : NULL;
	if (!bb)
		return -1;
	/* the BAR's own map, shared: loaded once, one copy to compare */
	return bound_add(t, bb->rm, prefix, m, phys_regmap_absolute(bb->rm) ? m->phys :
			 m->phys - pb->addr, true) ? -1 : 0;
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

/*
 * TEXT among the maps in use from FROM on, those bound under a prefix
 * (PREFIXED) or the absolute ones: 0, or -1 with the message of the
 * first that tried in MSG. *HITS counts the maps that name it (an
 * absolute name must be in one map only); *TRIED whether any map took
 * TEXT's first word as its prefix.
 */
static int find_in(struct dmt *t, size_t from, const char *text, bool prefixed,
		   struct regref *ref, char *msg, size_t msg_size, unsigned int *hits, bool *tried)
{
	struct regref r;

	*hits = 0;
	for (size_t i = from; i < t->nbound; i++) {
		struct bound *b = t->bound[i];
		const char *rest = text;
		size_t plen;

		if (b->dead || !b->prefix[0] != !prefixed)
			continue;
		if (prefixed) {
			plen = prefix_of(t, b, text);
			if (!plen)
				continue;
			rest = text + plen + 1;
			if (tried)
				*tried = true;
		}
		if (!lookup(t, b, rest, &r)) {
			if (!(*hits)++)
				*ref = r;
			if (prefixed)	/* a name means one mapping: the first */
				break;
			continue;
		}
		if (!msg[0])
			snprintf(msg, msg_size, "%s", phys_ctx_errmsg(t->ctx));
	}
	return *hits ? 0 : -1;
}

/*
 * TEXT in the absolute maps in use: 0; -1 with WHY if two of them name
 * it; 1 with WHY the first one's message if none does ("" if no
 * absolute map is in use).
 */
static int find_absolute(struct dmt *t, const char *text, struct regref *ref, char *why,
			 size_t why_size)
{
	unsigned int hits;

	why[0] = '\0';
	if (find_in(t, 0, text, false, ref, why, why_size, &hits, NULL))
		return 1;
	if (hits == 1)
		return 0;
	snprintf(why, why_size, "'%s' is ambiguous: %u register maps in use name it "
		 "(the first is %s)", text, hits, phys_regmap_name(ref->b->rm));
	return -1;
}

/*
 * A register's name: PREFIX.REG[.FIELD] goes to the map bound under
 * PREFIX (a name given with `map ... as`, or a target) and to no other;
 * a name no prefix claims goes to the absolute maps, which must not both
 * name it; last, PREFIX may be a target whose PCI device has a map.
 */
int reg_find(struct dmt *t, const char *text, struct regref *ref, char *why, size_t why_size)
{
	char first[128], msg[PM_ERRMSG_MAX] = "";
	unsigned int hits;
	bool tried = false;
	size_t len, n;
	int ret;

	if (!reg_name_like(text))
		return 1;
	len = strcspn(text, ".");
	if (len >= sizeof(first))
		return 1;
	memcpy(first, text, len);
	first[len] = '\0';
	/* a DMA buffer's name: NAME.bus is its bus address, nothing else */
	if (buf_find(t, first, len)) {
		if (!strcmp(text + len, ".bus"))
			snprintf(why, why_size, "the bus address of the DMA buffer %s is a value for "
				 "the device, not an address here; the buffer's memory is %s[+OFF]",
				 first, first);
		else
			snprintf(why, why_size, "%s is a DMA buffer: it has no registers (%s.bus is "
				 "its bus address)", first, first);
		return -1;
	}
	if (!find_in(t, 0, text, true, ref, msg, sizeof(msg), &hits, &tried))
		return 0;
	/* a name given with `map ... as` is that mapping's, even unbound */
	if (!tried && !alias_find(t, first)) {
		ret = find_absolute(t, text, ref, msg, sizeof(msg));
		if (ret <= 0) {
			if (ret)
				snprintf(why, why_size, "%s", msg);
			return ret;
		}
	}
	/* no map in use has that prefix: one for the device behind it? */
	n = t->nbound;
	if (!tried && !auto_bind(t, first)) {
		msg[0] = '\0';
		if (!find_in(t, n, text, true, ref, msg, sizeof(msg), &hits, NULL))
			return 0;
	}
	if (!msg[0] && buf_gone(t, first, len, why, why_size))
		return -1;
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
 * register at the top of one (SYS, beside its blocks' UART0.CR), found
 * as reg_find() finds a dotted name there. 1 if no absolute map is in
 * use, -1 with WHY if none names it or two do.
 */
int reg_find_top(struct dmt *t, const char *text, struct regref *ref, char *why, size_t why_size)
{
	int ret = find_absolute(t, text, ref, why, why_size);

	return ret > 0 && why[0] ? -1 : ret;
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

/*
 * Where LOC's bytes are in a map's addresses, given that LOC's byte J is
 * at address J + C (C may be negative, as a mapping may start before the
 * block the map describes): *SKIP bytes of LOC lie below address 0, then
 * byte *SKIP is at address *A. From C's two halves: LOC's byte 0 is at
 * address PLUS - MINUS.
 */
static void start_at(uint64_t plus, uint64_t minus, uint64_t *skip, uint64_t *a)
{
	if (plus >= minus) {
		*skip = 0;
		*a = plus - minus;
	} else {
		*skip = minus - plus;
		*a = 0;
	}
}

/* LOC's bytes in B's addresses (start_at()), if B's map describes the
 * memory behind LOC. Judged by the memory, not by the mapping: another
 * mapping of the same file or the same physical range (spelt
 * differently, a link, a bare address in a window), starting before or
 * after B's, meets the same rules. */
static bool bound_start(const struct bound *b, const struct location *loc, uint64_t *skip,
			uint64_t *a)
{
	uint64_t off;

	if (!b->m) {		/* an absolute map: physical addresses */
		if (!loc->m->has_phys || loc->off > UINT64_MAX - loc->m->phys)
			return false;
		start_at(loc->m->phys + loc->off, 0, skip, a);
		return true;
	}
	if (!phys_map_offset_in(loc->m->map, loc->off, b->m->map, &off)) {
		if (off > UINT64_MAX - b->delta)
			return false;
		start_at(off + b->delta, 0, skip, a);
		return true;
	}
	/* B's mapping starts inside LOC's: its byte 0 is LOC's byte OFF */
	if (phys_map_offset_in(b->m->map, 0, loc->m->map, &off) || off < loc->off)
		return false;
	start_at(b->delta, off - loc->off, skip, a);
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

/* FN for B's registers that meet LOC's bytes [SKIP, LEN), byte SKIP at
 * address A: each with the bytes they share, in LOC's mapping. */
static int walk_regs(const struct bound *b, const struct location *loc, uint64_t skip,
		     uint64_t a, uint64_t len, reg_fn fn, void *data)
{
	size_t n = phys_regmap_count(b->rm);
	uint64_t end;

	if (skip >= len)
		return 0;
	end = len - skip - 1 > UINT64_MAX - a ? UINT64_MAX : a + (len - skip - 1);
	for (size_t r = first_reg_from(b->rm, a); r < n; r++) {
		struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
		struct regref ref = { .b = b, .reg = r, .field = -1 };
		uint64_t last, from, to;
		int ret;

		phys_regmap_reg(b->rm, r, &ri);
		if (ri.address > end)
			break;
		last = ri.size / 8 - 1 > UINT64_MAX - ri.address ? UINT64_MAX :
		       ri.address + (ri.size / 8 - 1);
		if (last < a)
			continue;
		from = ri.address > a ? ri.address : a;
		to = last < end ? last : end;
		ref.width = ri.size / 8;
		ret = fn(&ref, loc->off + skip + (from - a), to - from + 1, data);
		if (ret)
			return ret;
	}
	return 0;
}

int reg_foreach_in(struct dmt *t, const struct location *loc, uint64_t len, reg_fn fn,
		   void *data)
{
	uint64_t skip, a, p, last;
	int ret;

	if (!len || loc->m->buf)	/* a DMA buffer is memory: no register there */
		return 0;
	for (size_t i = 0; i < t->nbound; i++) {
		const struct bound *b = t->bound[i];

		/* a BAR's map bound for its names: the BAR pass below walks
		 * the same registers for a physical access */
		if (b->dead || (b->by_bar && loc->m->has_phys) || !bound_start(b, loc, &skip, &a))
			continue;
		ret = walk_regs(b, loc, skip, a, len, fn, data);
		if (ret)
			return ret;
	}
	/* the maps of the PCI devices whose BARs the bytes meet: their rules
	 * hold whichever mapping reaches them, wherever it starts */
	if (!loc->m->has_phys || loc->off > UINT64_MAX - loc->m->phys)
		return 0;
	p = loc->m->phys + loc->off;
	last = len - 1 > UINT64_MAX - p ? UINT64_MAX : p + (len - 1);
	bars_scan(t);
	for (size_t i = 0; i < t->nbars; i++) {
		struct bar_rules *pb = &t->bars[i];
		const struct bound *b;

		if (pb->addr > last || pb->addr + (pb->size - 1) < p)
			continue;
		b = bar_rules_map(t, pb);
		if (!b)
			continue;
		start_at(p, phys_regmap_absolute(b->rm) ? 0 : pb->addr, &skip, &a);
		ret = walk_regs(b, loc, skip, a, len, fn, data);
		if (ret)
			return ret;
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
	const struct regref *named;	/* the register the command names */
	int ret;
	bool side_effect;
};

/* REF's rules against W's access: 0, or 1 with WHY. *SIDE_EFFECT: an
 * explicit read that has one. */
static int rule_check(const struct rule_walk *w, const struct regref *ref, char *why,
		      size_t why_size, bool *side_effect)
{
	struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
	bool force = w->t->force;
	char name[200];
	int ret;

	*side_effect = false;
	phys_regmap_reg(ref->b->rm, ref->reg, &ri);
	if ((w->what & REG_WRITE) && ri.access == PHYS_ACCESS_RO && !force) {
		reg_name(ref, name, sizeof(name));	/* only when said: a line's hot path */
		snprintf(why, why_size, "%s is read-only (register map %s); --force writes it anyway",
			 name, phys_regmap_name(ref->b->rm));
		return 1;
	}
	if (!(w->what & (REG_READ | REG_RMW)))
		return 0;
	ret = phys_regmap_read_rule(ref->b->rm, ref->reg);
	if (ret == -EPERM && !force) {
		snprintf(why, why_size, "%s; --force reads it anyway", phys_ctx_errmsg(w->t->ctx));
		return 1;
	}
	if (ret == -EAGAIN) {
		if ((w->what & (REG_RMW | REG_QUIET)) && !force) {
			snprintf(why, why_size, "%s; --force reads it anyway", phys_ctx_errmsg(w->t->ctx));
			return 1;
		}
		*side_effect = true;
	}
	if (!(w->what & REG_RMW) || force)
		return 0;
	for (unsigned int f = 0; f < ri.nfields || (!ri.nfields && f == 0); f++) {
		struct phys_field_info fi = PHYS_INFO_INIT(struct phys_field_info);
		enum phys_reg_write wr = ri.write;
		const char *what = NULL;

		if (ri.nfields) {
			phys_regmap_field(ref->b->rm, ref->reg, f, &fi);
			wr = fi.write;
			if (fi.access == PHYS_ACCESS_WO)
				what = "write-only: what it reads is not what it holds, and a "
				       "read-modify-write would write that back";
			else if (fi.access == PHYS_ACCESS_W1 || fi.access == PHYS_ACCESS_RW1)
				what = "written once: a read-modify-write would use up its one write";
		}
		if (what) {
			reg_name(ref, name, sizeof(name));
			snprintf(why, why_size, "%s.%s is %s; write a field with `w %s.FIELD VALUE` "
				 "(--force does it anyway)", name, fi.name, what, name);
			return 1;
		}
		if (wr != PHYS_WRITE_NORMAL) {
			reg_name(ref, name, sizeof(name));
			snprintf(why, why_size, "%s%s%s is %s: a read-modify-write would write "
				 "back what it read and act on it; write the field with "
				 "`w %s.FIELD VALUE` (--force does it anyway)", name,
				 ri.nfields ? "." : "", ri.nfields ? fi.name : "",
				 phys_reg_write_name(wr), name);
			return 1;
		}
	}
	return 0;
}

/* Do A and B describe the same bytes in the same map (two registers at
 * one address, like a UART's RBR and THR)? */
static bool same_bytes(const struct regref *a, const struct regref *b)
{
	struct phys_reg_info ra = PHYS_INFO_INIT(struct phys_reg_info);
	struct phys_reg_info rb = PHYS_INFO_INIT(struct phys_reg_info);
	const char *pa = phys_regmap_path(a->b->rm), *pb = phys_regmap_path(b->b->rm);

	if (a->b->rm != b->b->rm && (!pa || !pb || strcmp(pa, pb)))
		return false;
	phys_regmap_reg(a->b->rm, a->reg, &ra);
	phys_regmap_reg(b->b->rm, b->reg, &rb);
	return ra.address == rb.address && ra.size == rb.size;
}

/* A and B, of one map, start at one address. */
static bool same_address(const struct regref *a, const struct regref *b)
{
	struct phys_reg_info ra = PHYS_INFO_INIT(struct phys_reg_info);
	struct phys_reg_info rb = PHYS_INFO_INIT(struct phys_reg_info);

	phys_regmap_reg(a->b->rm, a->reg, &ra);
	phys_regmap_reg(b->b->rm, b->reg, &rb);
	return ra.address == rb.address;
}

/*
 * The rules of the register at REF, for W's access. Registers of one map
 * that share their bytes are alternatives (a read reaches one, a write
 * the other): an access by name is judged by the named one alone; an
 * access by address passes if any of them lets it.
 */
static int rule_one(const struct regref *ref, uint64_t off, uint64_t count, void *data)
{
	struct rule_walk *w = data;
	char why[PM_ERRMSG_MAX + 1024], alt_why[PM_ERRMSG_MAX + 1024];
	size_t n = phys_regmap_count(ref->b->rm);
	bool se;

	(void)off;
	(void)count;
	if (w->named && ref->reg != w->named->reg && same_bytes(ref, w->named))
		return 0;
	/* the named register itself, through another copy of its map (the
	 * BAR's): judged, and said, by the name the user gave */
	if (w->named && ref->b != w->named->b && ref->reg == w->named->reg &&
	    same_bytes(ref, w->named))
		ref = w->named;
	if (!rule_check(w, ref, why, sizeof(why), &se)) {
		w->side_effect |= se;
		return 0;
	}
	if (!w->named || !same_bytes(ref, w->named)) {
		/* another register at these bytes that lets the access: the
		 * map is sorted by address, so they stand beside REF */
		size_t lo = ref->reg, hi = ref->reg;
		struct regref alt = *ref;

		while (lo > 0 && (alt.reg = lo - 1, same_address(&alt, ref)))
			lo--;
		while (hi + 1 < n && (alt.reg = hi + 1, same_address(&alt, ref)))
			hi++;
		for (alt.reg = lo; alt.reg <= hi; alt.reg++) {
			if (alt.reg == ref->reg || !same_bytes(&alt, ref))
				continue;
			if (!rule_check(w, &alt, alt_why, sizeof(alt_why), &se)) {
				w->side_effect |= se;
				return 0;
			}
		}
	}
	w->ret = say_failed(w->t, w->cmd, w->text, why);
	return 1;
}

int reg_rules_named(struct dmt *t, const struct command *cmd, const char *text,
		    const struct location *loc, uint64_t len, unsigned int what,
		    const struct regref *named, bool *side_effect)
{
	struct rule_walk w = { t, cmd, text, what, named, 0, false };

	if (side_effect)
		*side_effect = false;
	reg_foreach_in(t, loc, len, rule_one, &w);
	if (side_effect)
		*side_effect = w.side_effect;
	return w.ret;
}

int reg_rules(struct dmt *t, const struct command *cmd, const char *text,
	      const struct location *loc, uint64_t len, unsigned int what, bool *side_effect)
{
	return reg_rules_named(t, cmd, text, loc, len, what, NULL, side_effect);
}

bool reg_left_out(const struct dmt *t, const struct regref *ref)
{
	int rule = phys_regmap_read_rule(ref->b->rm, ref->reg);

	/* --force reads a side effect, never a write-only register: what it
	 * would show is not the register */
	return rule && (rule != -EAGAIN || !t->force);
}

static int read_one(const struct regref *ref, uint64_t off, uint64_t count, void *data)
{
	(void)off;
	(void)count;
	(void)data;
	return phys_regmap_read_rule(ref->b->rm, ref->reg) ? 1 : 0;
}

/* May the bytes at LOC, LEN of them, be read again, quietly: no register
 * there is write-only or has a read side effect (--readback asks). */
bool reg_read_free(struct dmt *t, const struct location *loc, uint64_t len)
{
	return reg_foreach_in(t, loc, len, read_one, NULL) == 0;
}
