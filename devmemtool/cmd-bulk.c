// SPDX-License-Identifier: GPL-2.0-or-later
/* Ranges: dump, fill, copy, cmp. */
#include <errno.h>
#include <stdlib.h>
#include <inttypes.h>
#include <string.h>

#include <json-c/json.h>

#include "devmemtool.h"

#define DUMP_LINE	16
#define DUMP_CHUNK	4096	/* bytes read per libphys call */

static int parse_len_width(struct dmt *t, const struct command *cmd,
			   const char *len_s, const char *width_s,
			   uint64_t *len, unsigned int *width)
{
	int ret;

	*width = 1;
	if (width_s && parse_width(width_s, width))
		return usage_error(t, cmd, "WIDTH '%s' must be 1, 2, 4 or 8",
				   width_s);
	ret = parse_size_arg(t, cmd, "LEN", len_s, len);
	if (ret)
		return ret;
	if (*len == 0)
		return usage_error(t, cmd, "LEN must not be 0");
	if (*len % *width)
		return usage_error(t, cmd, "LEN %s is not a multiple of WIDTH %u",
				   len_s, *width);
	if (*len > SIZE_MAX)
		return usage_error(t, cmd, "LEN %s is too large", len_s);
	return 0;
}


/* ARGV[I] the LEN, ARGV[J] (if there) the WIDTH. */
static int prep_len_width(struct dmt *t, struct op *op, int i, int j)
{
	return parse_len_width(t, op->cmd, op->argv[i],
			       op->argc > j ? op->argv[j] : NULL, &op->n, &op->width);
}

/* The registers dump must not read: their offsets, from the maps' rules. */
struct skips {
	struct dmt *t;
	uint64_t *off;		/* pairs: offset, length */
	size_t n;
};

static int add_skip(const struct regref *ref, uint64_t off, uint64_t count, void *data)
{
	struct skips *s = data;
	uint64_t *p;

	if (!reg_left_out(s->t, ref))
		return 0;
	p = realloc(s->off, (s->n + 1) * 2 * sizeof(*p));
	if (!p)
		return -ENOMEM;
	s->off = p;
	p[s->n * 2] = off;
	p[s->n * 2 + 1] = count;
	s->n++;
	return 0;
}

int prep_dump(struct dmt *t, struct op *op)
{
	struct skips s = { t, NULL, 0 };
	int ret = prep_len_width(t, op, 2, 3);

	if (!ret)
		ret = resolve(t, op->cmd, op->argv[1], op->n, &op->loc);
	if (!ret)
		ret = dry_check(t, op->cmd, op->argv[1], &op->loc, op->n, op->width, false);
	if (ret)
		return ret;
	/* registers whose read has a side effect, or that are never read */
	if (reg_foreach_in(t, &op->loc, op->n, add_skip, &s)) {
		free(s.off);
		out_error(t, "out of memory");
		return DMT_FAILED;
	}
	if (s.n) {
		uint64_t *keep = prog_alloc(t->prog, (s.n * 2 + 1) * sizeof(*keep));

		if (!keep) {
			free(s.off);
			out_error(t, "out of memory");
			return DMT_FAILED;
		}
		keep[0] = s.n;
		memcpy(keep + 1, s.off, s.n * 2 * sizeof(*keep));
		op->data = keep;
	}
	free(s.off);
	return 0;
}

/* Read CHUNK bytes at OFF into BUF, leaving out the skipped registers
 * (SKIP marks their bytes), in WIDTH-byte accesses. */
static int read_skipping(const struct op *op, uint64_t off, uint8_t *buf, uint8_t *skip,
			 size_t chunk, unsigned int w)
{
	const uint64_t *sk = op->data;
	size_t i = 0;

	memset(skip, 0, chunk);
	for (uint64_t k = 0; sk && k < sk[0]; k++) {
		uint64_t s = sk[1 + 2 * k], e = s + sk[2 + 2 * k];

		/* whole words of the dump's width around the register */
		s -= s % w;
		e = (e + w - 1) / w * w;
		for (uint64_t b = s; b < e; b++)
			if (b >= off && b - off < chunk)
				skip[b - off] = 1;
	}
	memset(buf, 0, chunk);
	while (i < chunk) {
		size_t j = i;
		int ret;

		if (skip[i]) {
			i++;
			continue;
		}
		while (j < chunk && !skip[j])
			j++;
		ret = phys_read_buf(op->loc.m->map, off + i, buf + i, j - i, w);
		if (ret)
			return ret;
		i = j;
	}
	return 0;
}

int exec_dump(struct dmt *t, const struct op *op)
{
	uint8_t buf[DUMP_CHUNK], skip[DUMP_CHUNK], prev[DUMP_LINE];
	bool have_prev = false, starred = false;
	const struct location *loc = &op->loc;
	unsigned int w = op->width;
	uint64_t len = op->n, done = 0;
	int ret;

	if (t->dry_run) {
		const uint64_t *sk = op->data;

		out_dry(t, op->cmd->name, loc, "read 0x%" PRIx64 " bytes, width %u%s", len, w,
			sk ? " (not the registers whose read has a side effect)" : "");
		return 0;
	}
	while (done < len) {
		size_t chunk = len - done < DUMP_CHUNK ? (size_t)(len - done)
						       : DUMP_CHUNK;

		if (dmt_interrupted)
			return DMT_INTERRUPTED;
		if (op->data)
			ret = read_skipping(op, loc->off + done, buf, skip, chunk, w);
		else
			ret = phys_read_buf(loc->m->map, loc->off + done, buf, chunk, w);
		if (ret)
			return access_failed(t, op->cmd, op->argv[1], ret);
		for (size_t i = 0; i < chunk; i += DUMP_LINE) {
			size_t n = chunk - i < DUMP_LINE ? chunk - i : DUMP_LINE;
			bool last = done + i + n == len;

			/* Like hexdump -C: a run of equal lines becomes '*';
			 * the last line is always shown so the end is visible. */
			if (!t->json && have_prev && !last && n == DUMP_LINE &&
			    memcmp(prev, buf + i, DUMP_LINE) == 0 &&
			    (!op->data || !memchr(skip + i, 1, n))) {
				if (!starred)
					out_dump_repeat(t);
				starred = true;
				continue;
			}
			starred = false;
			out_dump_line(t, loc, loc->off + done + i, buf + i,
				      op->data ? skip + i : NULL, n, w);
			memcpy(prev, buf + i, n);
			have_prev = n == DUMP_LINE && (!op->data || !memchr(skip + i, 1, n));
		}
		done += chunk;
	}
	return 0;
}

int prep_fill(struct dmt *t, struct op *op)
{
	int ret = prep_len_width(t, op, 2, 4);

	if (!ret)
		ret = parse_value_arg(t, op, "VALUE", op->argv[3], op->width, &op->value, NULL);
	if (!ret)
		ret = resolve(t, op->cmd, op->argv[1], op->n, &op->loc);
	if (!ret)
		ret = dry_check(t, op->cmd, op->argv[1], &op->loc, op->n, op->width, true);
	if (!ret)
		ret = reg_rules(t, op->cmd, op->argv[1], &op->loc, op->n, REG_WRITE, NULL);
	return ret;
}

/*
 * Asked before a bulk write of op->n bytes at LOC (FROM, if not NULL,
 * naming where they come from); false: said so.
 */
bool confirm_bulk(struct dmt *t, const struct op *op, const struct location *loc,
		  const char *addr_text, const char *from)
{
	char addr[300], q[600];

	if (!t->confirm)
		return true;
	loc_format(loc, addr, sizeof(addr));
	snprintf(q, sizeof(q), "%s: write 0x%" PRIx64 " bytes%s%s at %s? [y/N] ",
		 op->cmd->name, op->n, from ? " from " : "", from ? from : "", addr);
	if (repl_confirm(t, q))
		return true;
	out_error(t, "%s %s: not confirmed, nothing written", op->cmd->name,
		  addr_text);
	return false;
}

int exec_fill(struct dmt *t, const struct op *op)
{
	const struct location *loc = &op->loc;
	unsigned int w = op->width;
	uint64_t len = op->n, val = op->value;
	int ret;

	if (t->dry_run) {
		const char *late = op_late_shown(op, &op->value);
		char v[64];

		if (late)
			snprintf(v, sizeof(v), "%.60s", late);
		else
			snprintf(v, sizeof(v), "0x%0*" PRIx64, (int)w * 2, val);
		out_dry(t, op->cmd->name, loc, "<- %s x 0x%" PRIx64 " bytes, width %u", v, len, w);
		return 0;
	}
	if (!confirm_bulk(t, op, loc, op->argv[1], NULL))
		return DMT_FAILED;
	ret = phys_fill(loc->m->map, loc->off, (size_t)len, val, w);
	if (ret)
		return access_failed(t, op->cmd, op->argv[1], ret);
	if (t->json) {
		struct json_object *o = out_json_new(op->cmd->name);
		char addr[300];

		loc_format(loc, addr, sizeof(addr));
		json_object_object_add(o, "addr", json_object_new_string(addr));
		json_object_object_add(o, "len", json_object_new_uint64(len));
		json_object_object_add(o, "width", json_object_new_int((int)w));
		json_object_object_add(o, "value", json_object_new_uint64(val));
		out_json(t, o);
	}
	return 0;
}

static void json_pair(struct dmt *t, const char *cmd, const char *ka,
		      const struct location *a, const char *kb,
		      const struct location *b, uint64_t len, bool *equal)
{
	struct json_object *o = out_json_new(cmd);
	char addr[300];

	loc_format(a, addr, sizeof(addr));
	json_object_object_add(o, ka, json_object_new_string(addr));
	loc_format(b, addr, sizeof(addr));
	json_object_object_add(o, kb, json_object_new_string(addr));
	json_object_object_add(o, "len", json_object_new_uint64(len));
	if (equal)
		json_object_object_add(o, "equal", json_object_new_boolean(*equal));
	out_json(t, o);
}

/* copy/cmp arguments: ADDR1 ADDR2 LEN [WIDTH], both ranges resolved and checked. */
static int prep_two_ranges(struct dmt *t, struct op *op, bool write_second)
{
	int ret = prep_len_width(t, op, 3, 4);

	if (!ret)
		ret = resolve(t, op->cmd, op->argv[1], op->n, &op->loc);
	if (!ret)
		ret = resolve(t, op->cmd, op->argv[2], op->n, &op->loc2);
	if (!ret)
		ret = dry_check(t, op->cmd, op->argv[1], &op->loc, op->n, op->width, false);
	if (!ret)
		ret = dry_check(t, op->cmd, op->argv[2], &op->loc2, op->n, op->width,
				write_second);
	/* reads nobody asked for by name: never a side effect or a write-only
	 * register; and no write to a read-only one */
	if (!ret)
		ret = reg_rules(t, op->cmd, op->argv[1], &op->loc, op->n, REG_READ | REG_QUIET, NULL);
	if (!ret)
		ret = reg_rules(t, op->cmd, op->argv[2], &op->loc2, op->n,
				write_second ? REG_WRITE : REG_READ | REG_QUIET, NULL);
	return ret;
}

int prep_copy(struct dmt *t, struct op *op)
{
	return prep_two_ranges(t, op, true);
}

int exec_copy(struct dmt *t, const struct op *op)
{
	const struct location *src = &op->loc, *dst = &op->loc2;
	unsigned int w = op->width;
	int ret;

	if (t->dry_run) {
		char s[300];

		loc_format(src, s, sizeof(s));
		out_dry(t, op->cmd->name, dst, "<- 0x%" PRIx64 " bytes from %s, "
			"width %u", op->n, s, w);
		return 0;
	}
	if (!confirm_bulk(t, op, dst, op->argv[2], NULL))
		return DMT_FAILED;
	ret = phys_copy(dst->m->map, dst->off, src->m->map, src->off,
			(size_t)op->n, w);
	if (ret)
		return access_failed(t, op->cmd, op->argv[1], ret);
	if (t->json)
		json_pair(t, op->cmd->name, "src", src, "dst", dst, op->n, NULL);
	return 0;
}

int prep_cmp(struct dmt *t, struct op *op)
{
	return prep_two_ranges(t, op, false);
}

int exec_cmp(struct dmt *t, const struct op *op)
{
	const struct location *a = &op->loc, *b = &op->loc2;
	const char *name = op->cmd->name;
	uint64_t diff = 0, va = 0, vb = 0;
	unsigned int w = op->width;
	bool equal;
	int ret;

	if (t->dry_run) {
		char s[300];

		loc_format(b, s, sizeof(s));
		out_dry(t, name, a, "with %s, 0x%" PRIx64 " bytes, width %u",
			s, op->n, w);
		return 0;
	}
	ret = phys_compare(a->m->map, a->off, b->m->map, b->off, (size_t)op->n,
			   w, &diff);
	if (ret < 0)
		return access_failed(t, op->cmd, op->argv[1], ret);
	equal = ret == 0;
	if (t->json)
		json_pair(t, name, "a", a, "b", b, op->n, &equal);
	if (equal)
		return 0;
	/* libphys reports the offset in A's map; show it within the range,
	 * at the start of the differing access. */
	diff -= a->off;
	diff -= diff % w;
	if (phys_read(a->m->map, a->off + diff, w, &va) ||
	    phys_read(b->m->map, b->off + diff, w, &vb))
		out_error(t, "%s %s %s: differ at offset 0x%" PRIx64, name,
			  op->argv[1], op->argv[2], diff);
	else
		out_error(t, "%s %s %s: differ at offset 0x%" PRIx64 ": 0x%0*"
			  PRIx64 " != 0x%0*" PRIx64, name, op->argv[1], op->argv[2],
			  diff, (int)w * 2, va, (int)w * 2, vb);
	return DMT_FAILED;
}
