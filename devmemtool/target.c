// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Addresses -> (mapping, offset). Mappings stay open until exit, keyed by
 * the target text, so a script of thousands of accesses maps once. The
 * last address text and the last mapping used for a bare physical address
 * are remembered, because scripts hit the same register block line after
 * line.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "devmemtool.h"

#define PAGE_SIZE_GUESS	UINT64_C(4096)

/* The options a map was asked for (read-only is found out, not asked). */
#define ASKED(flags)	((flags) & ~PHYS_MAP_RDONLY)

/* Whether M is a map of KEY, LENGTH bytes, with the options FLAGS. */
static bool same_map(const struct mapping *m, const char *key, uint64_t length,
		     unsigned int flags)
{
	return strcmp(m->key, key) == 0 && m->length == length && ASKED(m->flags) == flags;
}

/* An open map of KEY, LENGTH bytes, with the options FLAGS. */
static struct mapping *mapping_find(const struct dmt *t, const char *key,
				    uint64_t length, unsigned int flags)
{
	for (size_t i = 0; i < t->nmaps; i++)
		if (same_map(t->maps[i], key, length, flags))
			return t->maps[i];
	return NULL;
}

static int mapping_add(struct dmt *t, struct mapping *m)
{
	struct mapping **maps;

	maps = realloc(t->maps, (t->nmaps + 1) * sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	t->maps = maps;
	t->maps[t->nmaps++] = m;
	return 0;
}

/*
 * (Re)open M's target: writable if the target allows it, else read-only.
 */
static int map_now(struct dmt *t, struct mapping *m)
{
	unsigned int flags = ASKED(m->flags);
	struct phys_map *map;

	map = phys_map_open(t->ctx, m->key, m->length, flags);
	if (!map && (errno == EACCES || errno == EPERM || errno == EROFS)) {
		flags |= PHYS_MAP_RDONLY;
		map = phys_map_open(t->ctx, m->key, m->length, flags);
	}
	if (!map)
		return errno ? -errno : -EIO;
	m->map = map;
	m->flags = flags;
	m->phys = phys_map_phys(map);
	m->size = phys_map_size(map);
	m->has_phys = m->has_phys || phys_map_physical(map);
	return 0;
}

/*
 * Open TARGET (LENGTH bytes, 0 = all of it) with the options FLAGS.
 * Writable if the target allows it, else read-only so that reads of ro
 * windows still work; libphys then refuses writes with its own
 * explanation.
 */
static int mapping_open_len(struct dmt *t, const char *target, uint64_t length,
			    unsigned int flags, struct mapping **out)
{
	struct mapping *m;
	int ret;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->key = strdup(target);
	if (!m->key) {
		free(m);
		return -ENOMEM;
	}
	/*
	 * A dry run maps too: mapping touches no register, and the map's
	 * refusals (no window, the policy, read-only) are the run's.
	 */
	m->length = length;
	m->flags = flags;
	ret = map_now(t, m);
	if (ret)
		goto fail;
	ret = mapping_add(t, m);
	if (ret) {
		if (m->map)
			phys_map_close(m->map);
		goto fail;
	}
	/* the same target after an unmap: opened again when the unmap runs */
	for (size_t i = t->nretired; i--; ) {
		struct mapping *r = t->retired[i];

		if (same_map(r, m->key, m->length, ASKED(m->flags))) {
			if (!r->successor)
				r->successor = m;
			break;
		}
	}
	*out = m;
	return 0;
fail:
	free(m->key);
	free(m);
	return ret;
}

int mapping_open_opts(struct dmt *t, const char *target, uint64_t length,
		      unsigned int flags, struct mapping **out)
{
	struct mapping *m = mapping_find(t, target, length, flags);

	if (m) {
		*out = m;
		return 0;
	}
	return mapping_open_len(t, target, length, flags, out);
}

int mapping_open(struct dmt *t, const char *target, struct mapping **out)
{
	return mapping_open_opts(t, target, 0, 0, out);
}

/*
 * `remap`: the target opened again (a file replaced on disk, a window the
 * policy changed). The old map stays if the new one cannot be had.
 */
int mapping_reopen(struct dmt *t, struct mapping *m, char *why, size_t size)
{
	struct phys_map *old = m->map;
	struct mapping saved = *m;
	int ret;

	*why = '\0';
	ret = map_now(t, m);
	if (ret) {
		*m = saved;
		snprintf(why, size, "%s", errno_reason(t, ret));
		return ret;
	}
	/*
	 * Lines were prepared against where the target was: a bare address
	 * as an offset into it. Moved, they would land elsewhere.
	 */
	if (saved.has_phys && m->phys != saved.phys) {
		snprintf(why, size, "%s now starts at 0x%" PRIx64 ", not 0x%" PRIx64
			 ": the lines checked against the old place would land elsewhere",
			 m->key, m->phys, saved.phys);
		phys_map_close(m->map);
		*m = saved;
		return -EXDEV;
	}
	if (old)
		phys_map_close(old);
	return 0;
}

/* What `unmap`/`remap` NAME means: a `map ... as` name, else a target. */
struct mapping *mapping_named(const struct dmt *t, const char *name)
{
	const struct alias *al = alias_find(t, name);

	return al ? al->m : mapping_find(t, name, 0, 0);
}

/*
 * What a name meant may have changed (unmap, map ... as, const): the
 * address texts resolve() remembers are forgotten.
 */
void forget_cached(struct dmt *t)
{
	t->last_addr[0] = '\0';
	t->last_loc.m = NULL;
	t->last_map = NULL;
}

/*
 * `unmap` as prepared: M and every name for it are gone for the lines
 * that follow, which map again if they name its target. M itself is
 * kept (closed by the unmap when it runs) for the lines before.
 */
void mapping_retire(struct dmt *t, struct mapping *m)
{
	struct mapping **r;
	size_t i, j;

	/* the names stay in memory: prepared lines show them when they run */
	for (i = j = 0; i < t->naliases; i++) {
		if (t->aliases[i].m == m) {
			char **d = realloc(t->dead_names,
					   (t->ndead_names + 1) * sizeof(*d));

			if (!d)
				continue;	/* leaked, never freed under a user */
			t->dead_names = d;
			t->dead_names[t->ndead_names++] = t->aliases[i].name;
		} else {
			t->aliases[j++] = t->aliases[i];
		}
	}
	t->naliases = j;
	for (i = j = 0; i < t->nmaps; i++)
		if (t->maps[i] != m)
			t->maps[j++] = t->maps[i];
	t->nmaps = j;
	/* its register maps are bound to nothing now (kept: ops point to them) */
	for (i = 0; i < t->nbound; i++)
		if (t->bound[i]->m == m)
			t->bound[i]->dead = true;
	forget_cached(t);
	r = realloc(t->retired, (t->nretired + 1) * sizeof(*r));
	if (!r) {
		/* cannot keep it: leak it rather than free what ops point to */
		return;
	}
	t->retired = r;
	t->retired[t->nretired++] = m;
}

/* A plain map of M that holds ADDR..+LEN (a bare address takes no options). */
static bool covers(const struct mapping *m, uint64_t addr, uint64_t len)
{
	if (!m || !m->has_phys || ASKED(m->flags) || addr < m->phys)
		return false;
	if (m->size == 0)	/* unknown size (dry run): trust the start */
		return true;
	return addr - m->phys <= m->size && len <= m->size - (addr - m->phys);
}

/*
 * A bare physical address: reuse any mapping covering it, else map the
 * driver window that holds it (whole), else just the pages it touches.
 */
static int open_physical(struct dmt *t, uint64_t addr, uint64_t len,
			 struct mapping **out, char *why, size_t why_size)
{
	struct phys_target_info info = PHYS_INFO_INIT(struct phys_target_info);
	char key[32];
	uint64_t base, end;
	int ret;

	if (covers(t->last_map, addr, len)) {
		*out = t->last_map;
		return 0;
	}
	for (size_t i = 0; i < t->nmaps; i++) {
		if (covers(t->maps[i], addr, len)) {
			*out = t->last_map = t->maps[i];
			return 0;
		}
	}

	snprintf(key, sizeof(key), "0x%" PRIx64, addr);
	ret = phys_target_resolve(t->ctx, key, &info);
	if (ret)
		return ret;
	if (info.window[0]) {
		ret = mapping_open(t, info.window, out);
		if (ret)
			return ret;
		if (!covers(*out, addr, len)) {
			snprintf(why, why_size, "0x%" PRIx64 " bytes at 0x%" PRIx64
				 " run past the end of window %s (0x%" PRIx64 "-0x%" PRIx64 ")",
				 len, addr, info.window, (*out)->phys,
				 (*out)->phys + (*out)->size - 1);
			return -ERANGE;
		}
		t->last_map = *out;
		return 0;
	}

	base = addr & ~(PAGE_SIZE_GUESS - 1);
	if (len > UINT64_MAX - addr || addr + len > UINT64_MAX - PAGE_SIZE_GUESS)
		return -ERANGE;
	end = (addr + len + PAGE_SIZE_GUESS - 1) & ~(PAGE_SIZE_GUESS - 1);
	snprintf(key, sizeof(key), "0x%" PRIx64, base);
	ret = mapping_open_len(t, key, end - base, 0, out);
	if (ret) {
		/*
		 * The page may reach past what may be mapped (a window smaller
		 * than a page): the bytes asked for alone, which either work or
		 * are refused in their own terms.
		 */
		snprintf(key, sizeof(key), "0x%" PRIx64, addr);
		ret = mapping_open_len(t, key, len, 0, out);
		if (ret)
			return ret;
	}
	(*out)->has_phys = true;
	t->last_map = *out;
	return 0;
}

static int fail(struct dmt *t, const struct command *cmd, const char *addr,
		int err, const char *why)
{
	return say_failed(t, cmd, addr, why ? why : errno_reason(t, err));
}

/* Whether expression S has a constant's name in it (not only hex digits). */
static bool names_a_constant(const struct dmt *t, const char *s)
{
	for (const char *p = s; *p; ) {
		const char *q = p;

		while (isalnum((unsigned char)*q) || *q == '_')
			q++;
		if (q > p && isalpha((unsigned char)*p) && const_find(t, p, (size_t)(q - p)))
			return true;
		p = q > p ? q : p + 1;
	}
	return false;
}

/*
 * The first '+' outside double quotes in ADDR that an expression follows
 * (one naming a constant, if NAMED), or NULL.
 */
static const char *first_plus(struct dmt *t, const char *addr, bool named)
{
	char msg[PM_ERRMSG_MAX];
	bool quoted = false;
	uint64_t v;

	for (const char *p = addr; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '+' && !quoted && (!named || names_a_constant(t, p + 1)) &&
			 expr_eval(t, p + 1, PM_NUM_BYTES, &v, msg, sizeof(msg)) == 0)
			return p;
	}
	return NULL;
}

/*
 * Where the +OFFSET of an address starts, or NULL. After a name (a
 * window, a map name, a constant: letters, digits, '_' and '-') the
 * first '+', so that the offset can be an expression with '+' in it
 * (edu+0x10+4). After a target with a prefix (pci:, iomem:, file:, whose
 * text may hold '+'): the first '+' that an expression naming a constant
 * follows (file:x.bin+REG, file:x.bin+A+4); else libphys's split if what
 * follows it works out (file:a+1+2 is file a+1 at 2, as libphys reads
 * it); else the first '+' that an expression follows
 * (file:x.bin+(4*2)); else libphys's split, for its message.
 */
const char *offset_split(struct dmt *t, const char *addr)
{
	const char *p = addr, *last;
	char msg[PM_ERRMSG_MAX];
	uint64_t v;

	if (isalpha((unsigned char)*p)) {
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '-')
			p++;
		if (*p == '+')
			return p;
		if (*p == '\0')
			return NULL;
	}
	p = first_plus(t, addr, true);
	if (p)
		return p;
	last = pm_target_offset(addr);
	if (last && expr_eval(t, last + 1, PM_NUM_BYTES, &v, msg, sizeof(msg)) == 0)
		return last;
	p = first_plus(t, addr, false);
	return p ? p : last;
}

/*
 * TEXT as TARGET[+OFFSET] (offset_split()): TARGET into BASE (SIZE
 * bytes), the offset into *OFF. A TARGET that is a constant naming a
 * target is followed, its own offset added. 0, or -1 with WHY saying what
 * is wrong. The one reading of a target text, for resolve() and const.
 */
int target_split(struct dmt *t, const char *text, char *base, size_t size,
		 uint64_t *off, char *why, size_t why_size)
{
	const char *plus = offset_split(t, text);
	size_t len = plus ? (size_t)(plus - text) : strlen(text);
	char msg[PM_ERRMSG_MAX];
	const struct constant *c;
	uint64_t off2 = 0;
	int ret;

	*off = 0;
	if (plus && (ret = expr_eval(t, plus + 1, PM_NUM_BYTES, off, msg, sizeof(msg)))) {
		/* a plain number's message already shows it */
		if (ret != -EDOM)
			snprintf(why, why_size, "bad offset %.*s: %s", PM_SHOW_MAX,
				 plus + 1, msg);
		else
			snprintf(why, why_size, "bad offset %s", msg);
		return -1;
	}
	c = const_find(t, text, len);
	if (c && !c->is_number) {
		text = c->text;
		plus = offset_split(t, text);
		len = plus ? (size_t)(plus - text) : strlen(text);
		if (plus && expr_eval(t, plus + 1, PM_NUM_BYTES, &off2, msg, sizeof(msg))) {
			snprintf(why, why_size, "%s", msg);
			return -1;
		}
		if (off2 > UINT64_MAX - *off) {
			snprintf(why, why_size, "offset overflows 64 bits");
			return -1;
		}
		*off += off2;
	}
	if (len >= size) {
		snprintf(why, why_size, "target name too long");
		return -1;
	}
	memcpy(base, text, len);
	base[len] = '\0';
	return 0;
}

/* Physical address A (the user's text ADDR, for messages) for an access
 * of LEN bytes, at an open mapping that covers it or a new one. */
int resolve_phys(struct dmt *t, const struct command *cmd, const char *addr,
		 uint64_t a, uint64_t len, struct location *loc)
{
	char why[200] = "";
	struct mapping *m;
	int ret;

	if (len && len - 1 > UINT64_MAX - a)	/* its last byte may be 2^64 - 1 */
		return fail(t, cmd, addr, 0, "range overflows 64 bits");
	ret = open_physical(t, a, len, &m, why, sizeof(why));
	if (ret)
		return fail(t, cmd, addr, ret, *why ? why : NULL);
	loc->m = m;
	loc->name = m->key;
	loc->off = a - m->phys;
	return 0;
}

/*
 * Resolve ADDR for an access of LEN bytes: a register's name, a physical address, NAME+OFFSET
 * of a `map ... as NAME` name, or any libphys target with an optional
 * +OFFSET. Prints the error and returns DMT_FAILED if it cannot.
 */
int resolve(struct dmt *t, const struct command *cmd, const char *addr,
	    uint64_t len, struct location *loc)
{
	char base[256], msg[PM_ERRMSG_MAX];
	const struct constant *c;
	uint64_t off = 0, a = 0;
	const struct alias *al;
	bool is_addr;
	struct mapping *m;
	int ret;

	if (t->last_loc.m && strcmp(addr, t->last_addr) == 0) {
		m = t->last_loc.m;
		if (m->size == 0 || (t->last_loc.off <= m->size &&
				     len <= m->size - t->last_loc.off)) {
			*loc = t->last_loc;
			return 0;
		}
	}

	/* A register of a map in use (UART0.CR, edu.IDENT); its fields are
	 * for the commands that take them (r, w, poll, expect). */
	if (reg_name_like(addr)) {
		char why[PM_ERRMSG_MAX + 128];
		struct regref ref;

		ret = reg_find(t, addr, &ref, why, sizeof(why));
		if (ret < 0)
			return fail(t, cmd, addr, 0, why);
		if (ret == 0) {
			if (ref.field >= 0)
				return fail(t, cmd, addr, 0, "a field: r, w, poll and expect "
					    "take fields; this command takes a register");
			ret = reg_locate(t, cmd, addr, &ref, loc);
			if (ret)
				return ret;
			goto done;
		}
	}

	/*
	 * A number or an expression (0xfea00000, BASE+4*4 with a numeric
	 * BASE): a physical address. Else the target grammar's own split
	 * (libphys parses the base alike): TARGET[+OFFSET], OFFSET an
	 * expression, TARGET a window, a map name, a target or a constant
	 * naming one (whose own +OFFSET adds up).
	 */
	ret = expr_eval(t, addr, PM_NUM_BYTES, &a, msg, sizeof(msg));
	if (ret == -EXDEV)	/* a bus address: the device's, not an address here */
		return fail(t, cmd, addr, 0, msg);
	is_addr = ret == 0;
	if (!is_addr) {
		char why[2 * PM_ERRMSG_MAX];

		if (target_split(t, addr, base, sizeof(base), &off, why, sizeof(why)))
			return fail(t, cmd, addr, 0, why);
		/* REG+OFFSET: OFFSET bytes past a register */
		if (reg_name_like(base)) {
			struct regref ref;

			ret = reg_find(t, base, &ref, why, sizeof(why));
			if (ret < 0)
				return fail(t, cmd, addr, 0, why);
			if (ret == 0) {
				if (ref.field >= 0)
					return fail(t, cmd, addr, 0, "a field takes no +OFFSET");
				ret = reg_locate_at(t, cmd, addr, &ref, off, len, loc);
				if (ret)
					return ret;
				goto done;
			}
		}
		c = const_find(t, base, strlen(base));
		if (c && c->is_number) {
			a = c->value;
			is_addr = true;
		}
	}

	if (is_addr) {
		if (off > UINT64_MAX - a)
			return fail(t, cmd, addr, 0, "address overflows 64 bits");
		ret = resolve_phys(t, cmd, addr, a + off, len, loc);
		if (ret)
			return ret;
	} else {
		struct dmabuf *bf = buf_find(t, base, strlen(base));

		al = bf ? NULL : alias_find(t, base);
		if (bf) {	/* a DMA buffer's memory: its size known, its map when it runs */
			m = &bf->m;
			loc->name = bf->name;
		} else if (al) {
			m = al->m;
			loc->name = al->name;
		} else {
			char why[PM_NAME_MAX + 300];

			ret = mapping_open(t, base, &m);
			if (ret && buf_gone(t, base, strlen(base), why, sizeof(why)))
				return fail(t, cmd, addr, 0, why);
			if (ret)
				return fail(t, cmd, addr, ret, NULL);
			loc->name = m->key;
		}
		loc->m = m;
		loc->off = off;
		if (m->size && (off > m->size || len > m->size - off)) {
			char why[128];

			snprintf(why, sizeof(why),
				 "0x%" PRIx64 " bytes at offset 0x%" PRIx64
				 " run past the end of %s (size 0x%" PRIx64 ")",
				 len, off, loc->name, m->size);
			return fail(t, cmd, addr, 0, why);
		}
	}

done:
	if (strlen(addr) < sizeof(t->last_addr)) {
		strcpy(t->last_addr, addr);
		t->last_loc = *loc;
	}
	return 0;
}

const struct alias *alias_find(const struct dmt *t, const char *name)
{
	for (size_t i = 0; i < t->naliases; i++)
		if (strcmp(t->aliases[i].name, name) == 0)
			return &t->aliases[i];
	return NULL;
}

int alias_add(struct dmt *t, const char *name, struct mapping *m)
{
	struct alias *a;

	/* The cached address text may now mean something else. */
	forget_cached(t);

	for (size_t i = 0; i < t->naliases; i++) {
		if (strcmp(t->aliases[i].name, name) == 0) {
			t->aliases[i].m = m;
			return 0;
		}
	}
	a = realloc(t->aliases, (t->naliases + 1) * sizeof(*a));
	if (!a)
		return -ENOMEM;
	t->aliases = a;
	a[t->naliases].name = strdup(name);
	if (!a[t->naliases].name)
		return -ENOMEM;
	a[t->naliases++].m = m;
	return 0;
}

/*
 * What a program's preparation may change in the names and maps: saved
 * before, put back if it fails (it never runs, so in the REPL it must
 * leave nothing behind: no name gone, none new). Maps it opened stay
 * open, out of the way.
 */
int maps_save(const struct dmt *t, struct maps_state *st)
{
	memset(st, 0, sizeof(*st));
	st->aliases = malloc((t->naliases + 1) * sizeof(*st->aliases));
	st->maps = malloc((t->nmaps + 1) * sizeof(*st->maps));
	if (!st->aliases || !st->maps) {
		free(st->aliases);
		free(st->maps);
		return -ENOMEM;
	}
	if (t->naliases)	/* NULL until the first: memcpy() takes no NULL */
		memcpy(st->aliases, t->aliases, t->naliases * sizeof(*st->aliases));
	if (t->nmaps)
		memcpy(st->maps, t->maps, t->nmaps * sizeof(*st->maps));
	st->naliases = t->naliases;
	st->nmaps = t->nmaps;
	st->nretired = t->nretired;
	st->ndead_names = t->ndead_names;
	st->nbound = t->nbound;
	if (dma_state_save(t, st)) {
		maps_state_free(st);
		return -ENOMEM;
	}
	return 0;
}

static bool saved_name(const struct maps_state *st, const char *name)
{
	for (size_t i = 0; i < st->naliases; i++)
		if (st->aliases[i].name == name)
			return true;
	return false;
}

static bool saved_map(const struct maps_state *st, const struct mapping *m)
{
	for (size_t i = 0; i < st->nmaps; i++)
		if (st->maps[i] == m)
			return true;
	return false;
}

void maps_restore(struct dmt *t, struct maps_state *st)
{
	struct alias *aliases;
	struct mapping **r;
	size_t i, n;

	/* register maps put in use since: no more */
	regmaps_free(t, st->nbound);
	/* buffers and interrupts named since: never there */
	dma_state_restore(t, st);
	/* names: those made since are freed, those retired since come back */
	for (i = 0; i < t->naliases; i++)
		if (!saved_name(st, t->aliases[i].name))
			free(t->aliases[i].name);
	for (i = st->ndead_names; i < t->ndead_names; i++)
		if (!saved_name(st, t->dead_names[i]))
			free(t->dead_names[i]);
	t->ndead_names = st->ndead_names;
	/* the saved array becomes the list (it has room: nothing can fail) */
	aliases = t->aliases;
	t->aliases = st->aliases;
	t->naliases = st->naliases;
	st->aliases = aliases;
	/*
	 * maps: the saved ones back in the list; those opened since are
	 * closed and retired (never freed: nothing points to them any
	 * more, but that is simplest to be sure of), and no saved map
	 * reopens one of them when it is unmapped
	 */
	for (i = 0; i < t->nmaps; i++) {
		struct mapping *m = t->maps[i];

		if (saved_map(st, m))
			continue;
		if (m->map)
			phys_map_close(m->map);
		m->map = NULL;
		r = realloc(t->retired, (t->nretired + 1) * sizeof(*r));
		if (!r)
			continue;	/* left out of every list: leaked, never used */
		t->retired = r;
		t->retired[t->nretired++] = m;
	}
	for (i = n = st->nretired; i < t->nretired; i++)
		if (!saved_map(st, t->retired[i]))
			t->retired[n++] = t->retired[i];
	t->nretired = n;
	for (i = 0; i < st->nmaps; i++)
		if (st->maps[i]->successor && !saved_map(st, st->maps[i]->successor))
			st->maps[i]->successor = NULL;
	for (i = 0; i < t->nretired; i++)
		if (t->retired[i]->successor && !saved_map(st, t->retired[i]->successor))
			t->retired[i]->successor = NULL;
	if (st->nmaps)	/* t->maps only grew since it held these */
		memcpy(t->maps, st->maps, st->nmaps * sizeof(*t->maps));
	t->nmaps = st->nmaps;
	/* a register map is bound again if its mapping is back in the list */
	for (i = 0; i < t->nbound; i++)
		if (t->bound[i]->m && t->bound[i]->dead && saved_map(st, t->bound[i]->m))
			t->bound[i]->dead = false;
	forget_cached(t);
}

void maps_state_free(struct maps_state *st)
{
	free(st->aliases);
	free(st->maps);
	free(st->buf_live);
	free(st->irq_mode);
	st->aliases = NULL;
	st->maps = NULL;
	st->buf_live = NULL;
	st->irq_mode = NULL;
}

static void mapping_free(struct mapping *m)
{
	if (m->map)
		phys_map_close(m->map);
	free(m->key);
	free(m);
}

void maps_free(struct dmt *t)
{
	regmaps_free(t, 0);
	dma_free_all(t);
	for (size_t i = 0; i < t->nmaps; i++)
		mapping_free(t->maps[i]);
	for (size_t i = 0; i < t->nretired; i++)
		mapping_free(t->retired[i]);
	free(t->maps);
	free(t->retired);
	t->maps = t->retired = NULL;
	t->nmaps = t->nretired = 0;
	for (size_t i = 0; i < t->naliases; i++)
		free(t->aliases[i].name);
	free(t->aliases);
	t->aliases = NULL;
	t->naliases = 0;
	for (size_t i = 0; i < t->ndead_names; i++)
		free(t->dead_names[i]);
	free(t->dead_names);
	t->dead_names = NULL;
	t->ndead_names = 0;
	forget_cached(t);
}

/* How results name a location: its physical address when it has one. */
void loc_format(const struct location *loc, char *buf, size_t size)
{
	if (loc->m->has_phys)
		snprintf(buf, size, "0x%08" PRIx64, loc->m->phys + loc->off);
	else
		snprintf(buf, size, "%s+0x%" PRIx64, loc->name, loc->off);
}
