// SPDX-License-Identifier: GPL-2.0-or-later
/* Ranges: dump, fill, copy, cmp. */
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
	char msg[PM_ERRMSG_MAX];
	int ret;

	*width = 1;
	if (width_s && parse_width(width_s, width))
		return usage_error(t, cmd, "WIDTH '%s' must be 1, 2, 4 or 8",
				   width_s);
	ret = pm_parse_u64(len_s, PM_NUM_BYTES, len);
	if (ret)
		return usage_error(t, cmd, "LEN %s (a size: optional K, M or G)",
				   pm_strerror(ret, len_s, strlen(len_s), msg, sizeof(msg)));
	if (*len == 0)
		return usage_error(t, cmd, "LEN must not be 0");
	if (*len % *width)
		return usage_error(t, cmd, "LEN %s is not a multiple of WIDTH %u",
				   len_s, *width);
	if (*len > SIZE_MAX)
		return usage_error(t, cmd, "LEN %s is too large", len_s);
	return 0;
}


int cmd_dump(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	uint8_t buf[DUMP_CHUNK], prev[DUMP_LINE];
	bool have_prev = false, starred = false;
	unsigned int w;
	uint64_t len, done = 0;
	struct location loc;
	int ret;

	ret = parse_len_width(t, cmd, argv[2], argc > 3 ? argv[3] : NULL,
			      &len, &w);
	if (ret)
		return ret;
	ret = resolve(t, cmd, argv[1], len, &loc);
	if (ret)
		return ret;
	if (t->dry_run) {
		ret = dry_check(t, cmd, argv[1], &loc, len, w, false);
		if (ret)
			return ret;
		out_dry(t, cmd->name, &loc, "read 0x%" PRIx64 " bytes, width %u",
			len, w);
		return 0;
	}
	while (done < len) {
		size_t chunk = len - done < DUMP_CHUNK ? (size_t)(len - done)
						       : DUMP_CHUNK;

		if (dmt_interrupted)
			return DMT_INTERRUPTED;
		ret = phys_read_buf(loc.m->map, loc.off + done, buf, chunk, w);
		if (ret)
			return access_failed(t, cmd, argv[1], ret);
		for (size_t i = 0; i < chunk; i += DUMP_LINE) {
			size_t n = chunk - i < DUMP_LINE ? chunk - i : DUMP_LINE;
			bool last = done + i + n == len;

			/* Like hexdump -C: a run of equal lines becomes '*';
			 * the last line is always shown so the end is visible. */
			if (!t->json && have_prev && !last && n == DUMP_LINE &&
			    memcmp(prev, buf + i, DUMP_LINE) == 0) {
				if (!starred)
					out_dump_repeat(t);
				starred = true;
				continue;
			}
			starred = false;
			out_dump_line(t, &loc, loc.off + done + i, buf + i, n, w);
			memcpy(prev, buf + i, n);
			have_prev = n == DUMP_LINE;
		}
		done += chunk;
	}
	return 0;
}

int cmd_fill(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	unsigned int w;
	uint64_t len, val;
	struct location loc;
	int ret;

	ret = parse_len_width(t, cmd, argv[2], argc > 4 ? argv[4] : NULL,
			      &len, &w);
	if (!ret)
		ret = parse_number_arg(t, cmd, "VALUE", argv[3], w, &val);
	if (ret)
		return ret;
	ret = resolve(t, cmd, argv[1], len, &loc);
	if (ret)
		return ret;
	if (t->dry_run) {
		ret = dry_check(t, cmd, argv[1], &loc, len, w, true);
		if (ret)
			return ret;
		out_dry(t, cmd->name, &loc, "<- 0x%0*" PRIx64 " x 0x%" PRIx64
			" bytes, width %u", (int)w * 2, val, len, w);
		return 0;
	}
	if (t->confirm) {
		char addr[300], q[400];

		loc_format(&loc, addr, sizeof(addr));
		snprintf(q, sizeof(q), "fill: write 0x%" PRIx64 " bytes at %s? "
			 "[y/N] ", len, addr);
		if (!repl_confirm(t, q)) {
			out_error(t, "%s %s: not confirmed, nothing written",
				  cmd->name, argv[1]);
			return DMT_FAILED;
		}
	}
	ret = phys_fill(loc.m->map, loc.off, (size_t)len, val, w);
	if (ret)
		return access_failed(t, cmd, argv[1], ret);
	if (t->json) {
		struct json_object *o = out_json_new(cmd->name);
		char addr[300];

		loc_format(&loc, addr, sizeof(addr));
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

/* copy/cmp arguments: ADDR1 ADDR2 LEN [WIDTH], both ranges resolved. */
static int parse_two_ranges(struct dmt *t, const struct command *cmd, int argc,
			    char **argv, struct location *a, struct location *b,
			    uint64_t *len, unsigned int *w)
{
	int ret = parse_len_width(t, cmd, argv[3], argc > 4 ? argv[4] : NULL,
				  len, w);

	if (!ret)
		ret = resolve(t, cmd, argv[1], *len, a);
	if (!ret)
		ret = resolve(t, cmd, argv[2], *len, b);
	return ret;
}

int cmd_copy(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	struct location src, dst;
	unsigned int w;
	uint64_t len;
	int ret;

	ret = parse_two_ranges(t, cmd, argc, argv, &src, &dst, &len, &w);
	if (ret)
		return ret;
	if (t->dry_run) {
		char s[300];

		ret = dry_check(t, cmd, argv[1], &src, len, w, false);
		if (!ret)
			ret = dry_check(t, cmd, argv[1], &dst, len, w, true);
		if (ret)
			return ret;
		loc_format(&src, s, sizeof(s));
		out_dry(t, cmd->name, &dst, "<- 0x%" PRIx64 " bytes from %s, "
			"width %u", len, s, w);
		return 0;
	}
	if (t->confirm) {
		char addr[300], q[400];

		loc_format(&dst, addr, sizeof(addr));
		snprintf(q, sizeof(q), "copy: write 0x%" PRIx64 " bytes at %s? "
			 "[y/N] ", len, addr);
		if (!repl_confirm(t, q)) {
			out_error(t, "%s %s: not confirmed, nothing written",
				  cmd->name, argv[2]);
			return DMT_FAILED;
		}
	}
	ret = phys_copy(dst.m->map, dst.off, src.m->map, src.off, (size_t)len, w);
	if (ret)
		return access_failed(t, cmd, argv[1], ret);
	if (t->json)
		json_pair(t, cmd->name, "src", &src, "dst", &dst, len, NULL);
	return 0;
}

int cmd_cmp(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	struct location a, b;
	uint64_t len, diff = 0, va = 0, vb = 0;
	unsigned int w;
	bool equal;
	int ret;

	ret = parse_two_ranges(t, cmd, argc, argv, &a, &b, &len, &w);
	if (ret)
		return ret;
	if (t->dry_run) {
		char s[300];

		ret = dry_check(t, cmd, argv[1], &a, len, w, false);
		if (!ret)
			ret = dry_check(t, cmd, argv[1], &b, len, w, false);
		if (ret)
			return ret;
		loc_format(&b, s, sizeof(s));
		out_dry(t, cmd->name, &a, "with %s, 0x%" PRIx64 " bytes, width %u",
			s, len, w);
		return 0;
	}
	ret = phys_compare(a.m->map, a.off, b.m->map, b.off, (size_t)len, w,
			   &diff);
	if (ret < 0)
		return access_failed(t, cmd, argv[1], ret);
	equal = ret == 0;
	if (t->json)
		json_pair(t, cmd->name, "a", &a, "b", &b, len, &equal);
	if (equal)
		return 0;
	/* libphys reports the offset in A's map; show it within the range,
	 * at the start of the differing access. */
	diff -= a.off;
	diff -= diff % w;
	if (phys_read(a.m->map, a.off + diff, w, &va) ||
	    phys_read(b.m->map, b.off + diff, w, &vb))
		out_error(t, "%s %s %s: differ at offset 0x%" PRIx64, cmd->name,
			  argv[1], argv[2], diff);
	else
		out_error(t, "%s %s %s: differ at offset 0x%" PRIx64 ": 0x%0*"
			  PRIx64 " != 0x%0*" PRIx64, cmd->name, argv[1], argv[2],
			  diff, (int)w * 2, va, (int)w * 2, vb);
	return DMT_FAILED;
}
