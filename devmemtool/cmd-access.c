// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Register access: r*, w*, set*, clear*, update*, poll*, expect*. Every
 * argument is checked before the first access, so a bad line changes
 * nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "devmemtool.h"

#define POLL_DEFAULT_MS		1000
#define POLL_INTERVAL_US	10
#define POLL_SLICE_US		100000	/* how soon Ctrl-C stops a poll */

/* A number that must fit in WIDTH bytes (0: any 64-bit number). */
int parse_number_arg(struct dmt *t, const struct command *cmd, const char *what,
		     const char *s, unsigned int width, uint64_t *val)
{
	char msg[PM_ERRMSG_MAX];
	int ret = pm_parse_u64(s, 0, val);

	if (ret)
		return usage_error(t, cmd, "%s %s", what,
				   pm_strerror(ret, s, strlen(s), msg, sizeof(msg)));
	if (width && !fits_width(*val, width))
		return usage_error(t, cmd, "%s %s does not fit in %u bits",
				   what, s, width * 8);
	return 0;
}


int cmd_read(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	unsigned int w = cmd->width;
	uint64_t count = 1, val;
	struct location loc;
	int ret;

	if (argc > 2) {
		ret = parse_number_arg(t, cmd, "COUNT", argv[2], 0, &count);
		if (ret)
			return ret;
		if (count == 0 || count > UINT64_MAX / w)
			return usage_error(t, cmd, "COUNT %s out of range", argv[2]);
	}
	ret = resolve(t, cmd, argv[1], count * w, &loc);
	if (ret)
		return ret;
	if (t->dry_run) {
		/* the first and the last: bounds and alignment hold between */
		struct location last = loc;

		last.off += (count - 1) * w;
		ret = dry_check(t, cmd, argv[1], &loc, w, w, false);
		if (!ret)
			ret = dry_check(t, cmd, argv[1], &last, w, w, false);
		if (ret)
			return ret;
		out_dry(t, cmd->name, &loc, "read %" PRIu64 " x %u bytes",
			count, w);
		return 0;
	}
	for (uint64_t i = 0; i < count; i++) {
		struct location l = loc;

		l.off += i * w;
		ret = phys_read(loc.m->map, l.off, w, &val);
		if (ret)
			return access_failed(t, cmd, argv[1], ret);
		out_value(t, cmd->name, &l, w, val);
	}
	return 0;
}

static bool confirm_write(struct dmt *t, const struct command *cmd,
			  const struct location *loc, unsigned int w, uint64_t val)
{
	char addr[300], q[400];

	if (!t->confirm)
		return true;
	loc_format(loc, addr, sizeof(addr));
	snprintf(q, sizeof(q), "%s: write 0x%0*" PRIx64 " to %s? [y/N] ",
		 cmd->name, (int)w * 2, val, addr);
	return repl_confirm(t, q);
}

int cmd_write(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	unsigned int w = cmd->width;
	uint64_t vals[DMT_MAX_ARGS], rb = 0;
	int n = argc - 2, ret;
	struct location loc;

	for (int i = 0; i < n; i++) {
		ret = parse_number_arg(t, cmd, "VALUE", argv[2 + i], w, &vals[i]);
		if (ret)
			return ret;
	}
	ret = resolve(t, cmd, argv[1], (uint64_t)n * w, &loc);
	if (ret)
		return ret;
	for (int i = 0; i < n; i++) {
		struct location l = loc;

		l.off += (uint64_t)i * w;
		if (t->dry_run) {
			ret = dry_check(t, cmd, argv[1], &l, w, w, true);
			if (ret)
				return ret;
			out_dry(t, cmd->name, &l, "<- 0x%0*" PRIx64,
				(int)w * 2, vals[i]);
			continue;
		}
		if (!confirm_write(t, cmd, &l, w, vals[i])) {
			if (i)
				out_error(t, "%s %s: value %d not confirmed: the %d before it "
					  "written, nothing after", cmd->name, argv[1], i + 1, i);
			else
				out_error(t, "%s %s: not confirmed, nothing written",
					  cmd->name, argv[1]);
			return DMT_FAILED;
		}
		ret = phys_write(l.m->map, l.off, w, vals[i]);
		if (ret)
			return access_failed(t, cmd, argv[1], ret);
		if (t->readback) {
			ret = phys_read(l.m->map, l.off, w, &rb);
			if (ret)
				return access_failed(t, cmd, argv[1], ret);
		}
		out_write(t, cmd->name, &l, w, vals[i], t->readback, rb);
	}
	return 0;
}

enum rmw_kind { RMW_SET, RMW_CLEAR, RMW_UPDATE };

static int rmw(struct dmt *t, const struct command *cmd, char **argv,
	       enum rmw_kind kind)
{
	unsigned int w = cmd->width;
	uint64_t mask, value = 0, old, new_val;
	struct location loc;
	int ret;

	ret = parse_number_arg(t, cmd, kind == RMW_UPDATE ? "MASK" : "BITS",
			       argv[2], w, &mask);
	if (ret)
		return ret;
	if (kind == RMW_UPDATE) {
		ret = parse_number_arg(t, cmd, "VALUE", argv[3], w, &value);
		if (ret)
			return ret;
		if (value & ~mask)
			return usage_error(t, cmd, "VALUE %s has bits outside "
					   "MASK %s", argv[3], argv[2]);
	}
	ret = resolve(t, cmd, argv[1], w, &loc);
	if (ret)
		return ret;
	if (t->dry_run) {
		ret = dry_check(t, cmd, argv[1], &loc, w, w, true);
		if (ret)
			return ret;
		out_dry(t, cmd->name, &loc, "read-modify-write mask 0x%0*" PRIx64
			" value 0x%0*" PRIx64, (int)w * 2, mask, (int)w * 2,
			kind == RMW_SET ? mask : value);
		return 0;
	}
	if (t->confirm) {
		char addr[300], q[400];

		loc_format(&loc, addr, sizeof(addr));
		snprintf(q, sizeof(q), "%s: modify bits 0x%0*" PRIx64
			 " of %s? [y/N] ", cmd->name, (int)w * 2, mask, addr);
		if (!repl_confirm(t, q)) {
			out_error(t, "%s %s: not confirmed, nothing written",
				  cmd->name, argv[1]);
			return DMT_FAILED;
		}
	}
	switch (kind) {
	case RMW_SET:
		ret = phys_set_bits(loc.m->map, loc.off, w, mask, &old, &new_val);
		break;
	case RMW_CLEAR:
		ret = phys_clear_bits(loc.m->map, loc.off, w, mask, &old, &new_val);
		break;
	default:
		ret = phys_update(loc.m->map, loc.off, w, mask, value, &old,
				  &new_val);
		break;
	}
	if (ret)
		return access_failed(t, cmd, argv[1], ret);
	/* With --readback show what the device holds, not what was written. */
	if (t->readback) {
		ret = phys_read(loc.m->map, loc.off, w, &new_val);
		if (ret)
			return access_failed(t, cmd, argv[1], ret);
	}
	out_rmw(t, cmd->name, &loc, w, old, new_val);
	return 0;
}

int cmd_set(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	return rmw(t, cmd, argv, RMW_SET);
}

int cmd_clear(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	return rmw(t, cmd, argv, RMW_CLEAR);
}

int cmd_update(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	return rmw(t, cmd, argv, RMW_UPDATE);
}

int cmd_poll(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	unsigned int w = cmd->width;
	uint64_t mask, want, ms = POLL_DEFAULT_MS, last = 0, left;
	struct location loc;
	int ret;

	ret = parse_number_arg(t, cmd, "MASK", argv[2], w, &mask);
	if (!ret)
		ret = parse_number_arg(t, cmd, "VALUE", argv[3], w, &want);
	if (!ret && argc > 4)
		ret = parse_number_arg(t, cmd, "TIMEOUT_MS", argv[4], 0, &ms);
	if (ret)
		return ret;
	if (want & ~mask)
		return usage_error(t, cmd, "VALUE %s has bits outside MASK %s",
				   argv[3], argv[2]);
	if (ms > UINT64_MAX / 1000)
		return usage_error(t, cmd, "TIMEOUT_MS %s out of range", argv[4]);
	ret = resolve(t, cmd, argv[1], w, &loc);
	if (ret)
		return ret;
	if (t->dry_run) {
		ret = dry_check(t, cmd, argv[1], &loc, w, w, false);
		if (ret)
			return ret;
		out_dry(t, cmd->name, &loc, "until (value & 0x%0*" PRIx64
			") == 0x%0*" PRIx64 ", %" PRIu64 " ms",
			(int)w * 2, mask, (int)w * 2, want, ms);
		return 0;
	}
	/* In slices, so that Ctrl-C stops a long poll within one. */
	left = ms * 1000;
	do {
		uint64_t slice = left < POLL_SLICE_US ? left : POLL_SLICE_US;

		ret = phys_poll(loc.m->map, loc.off, w, mask, want, slice,
				POLL_INTERVAL_US, &last);
		left -= slice;
		if (dmt_interrupted)
			return DMT_INTERRUPTED;
	} while (ret == -ETIMEDOUT && left);
	if (ret == -ETIMEDOUT) {
		out_error(t, "%s %s: timed out after %" PRIu64 " ms: value "
			  "0x%0*" PRIx64 ", want (value & 0x%0*" PRIx64
			  ") == 0x%0*" PRIx64, cmd->name, argv[1], ms,
			  (int)w * 2, last, (int)w * 2, mask, (int)w * 2, want);
		return DMT_FAILED;
	}
	if (ret)
		return access_failed(t, cmd, argv[1], ret);
	out_note(t, cmd->name, &loc, w, last, "(poll matched)");
	return 0;
}

int cmd_expect(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	unsigned int w = cmd->width;
	uint64_t want, mask = width_mask(w), val;
	struct location loc;
	int ret;

	ret = parse_number_arg(t, cmd, "VALUE", argv[2], w, &want);
	if (!ret && argc > 3)
		ret = parse_number_arg(t, cmd, "MASK", argv[3], w, &mask);
	if (ret)
		return ret;
	if (want & ~mask)
		return usage_error(t, cmd, "VALUE %s has bits outside MASK %s",
				   argv[2], argv[3]);
	ret = resolve(t, cmd, argv[1], w, &loc);
	if (ret)
		return ret;
	if (t->dry_run) {
		ret = dry_check(t, cmd, argv[1], &loc, w, w, false);
		if (ret)
			return ret;
		out_dry(t, cmd->name, &loc, "expect (value & 0x%0*" PRIx64
			") == 0x%0*" PRIx64, (int)w * 2, mask, (int)w * 2, want);
		return 0;
	}
	ret = phys_read(loc.m->map, loc.off, w, &val);
	if (ret)
		return access_failed(t, cmd, argv[1], ret);
	if ((val & mask) != want) {
		if (mask == width_mask(w))
			out_error(t, "%s %s: expected 0x%0*" PRIx64 ", got 0x%0*"
				  PRIx64, cmd->name, argv[1], (int)w * 2, want,
				  (int)w * 2, val);
		else
			out_error(t, "%s %s: expected 0x%0*" PRIx64 " under mask "
				  "0x%0*" PRIx64 ", got 0x%0*" PRIx64, cmd->name,
				  argv[1], (int)w * 2, want, (int)w * 2, mask,
				  (int)w * 2, val);
		return DMT_FAILED;
	}
	out_note(t, cmd->name, &loc, w, val, "(as expected)");
	return 0;
}

/* busybox devmem's WIDTH: bits, or b, h, w, l (char, short, int, long). */
static unsigned int devmem_width(const char *s)
{
	static const struct { const char *name; unsigned int bytes; } widths[] = {
		{ "8", 1 }, { "16", 2 }, { "32", 4 }, { "64", 8 },
		{ "b", 1 }, { "h", 2 }, { "w", 4 }, { "l", sizeof(long) },
		{ "B", 1 }, { "H", 2 }, { "W", 4 }, { "L", sizeof(long) },
	};

	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++)
		if (!strcmp(s, widths[i].name))
			return widths[i].bytes;
	return 0;
}

/*
 * busybox devmem's command line and output, so scripts written for it run
 * unchanged against the restricted driver: a read prints 0x and the value
 * in upper-case hex, WIDTH/4 digits; a write prints nothing. Numbers take
 * devmemtool's grammar (010 is refused, never octal).
 */
int cmd_devmem(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	struct command sized = *cmd;
	struct location loc;
	uint64_t val;
	int ret;

	sized.width = argc > 2 ? devmem_width(argv[2]) : 4;
	if (!sized.width)
		return usage_error(t, cmd, "bad WIDTH %s: 8, 16, 32, 64 or b, h, w, l", argv[2]);
	if (argc > 3)
		return cmd_write(t, &sized, 3, (char *[]){ argv[0], argv[1], argv[3], NULL });
	ret = resolve(t, cmd, argv[1], sized.width, &loc);
	if (ret)
		return ret;
	if (t->dry_run) {
		ret = dry_check(t, cmd, argv[1], &loc, sized.width, sized.width, false);
		if (!ret)
			out_dry(t, cmd->name, &loc, "read 1 x %u bytes", sized.width);
		return ret;
	}
	ret = phys_read(loc.m->map, loc.off, sized.width, &val);
	if (ret)
		return access_failed(t, cmd, argv[1], ret);
	if (t->json)
		out_value(t, cmd->name, &loc, sized.width, val);
	else
		printf("0x%0*" PRIX64 "\n", (int)sized.width * 2, val);
	return 0;
}

