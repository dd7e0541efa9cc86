// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Register access: r*, w*, set*, clear*, update*, poll*, expect*. Every
 * argument is checked before the first access, so a bad line changes
 * nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "devmemtool.h"

#define POLL_DEFAULT_MS		1000
#define POLL_INTERVAL_US	10
#define POLL_SLICE_US		100000	/* how soon Ctrl-C stops a poll */

/*
 * S as WHAT: a number or an expression (expr.c), with FLAGS (PM_NUM_BYTES
 * for sizes); a plain bad number gets the grammar's message alone.
 */
static int number_error(struct dmt *t, const struct command *cmd, const char *what,
			const char *s, unsigned int flags, int ret, const char *msg)
{
	if (ret != -EDOM) {
		char shown[PM_SHOW_MAX];

		return usage_error(t, cmd, "%s %s: %s", what,
				   pm_show(shown, sizeof(shown), s, strlen(s)), msg);
	}
	return usage_error(t, cmd, "%s %s%s", what, msg,
			   flags & PM_NUM_BYTES ? " (a size: optional K, M or G)" : "");
}

static int number_arg(struct dmt *t, const struct command *cmd, const char *what,
		      const char *s, unsigned int flags, uint64_t *val)
{
	char msg[PM_ERRMSG_MAX];
	int ret = expr_eval(t, s, flags, val, msg, sizeof(msg));

	return ret ? number_error(t, cmd, what, s, flags, ret, msg) : 0;
}

int parse_value_arg(struct dmt *t, struct op *op, const char *what, const char *s,
		    unsigned int width, uint64_t *val,
		    int (*fix)(struct dmt *t, struct op *op, uint64_t val))
{
	char msg[PM_ERRMSG_MAX], *late;
	int ret = expr_eval_late(t, s, 0, val, msg, sizeof(msg), &late);

	if (ret)
		return number_error(t, op->cmd, what, s, 0, ret, msg);
	if (late) {	/* a bus address in it: worked out, and checked, as it runs */
		ret = op_late_add(t, op, what, s, late, width, val, fix);
		free(late);
		return ret;
	}
	if (width && !fits_width(*val, width))
		return usage_error(t, op->cmd, "%s %s does not fit in %u bits", what, s, width * 8);
	return 0;
}

/* A number that must fit in WIDTH bytes (0: any 64-bit number). */
int parse_number_arg(struct dmt *t, const struct command *cmd, const char *what,
		     const char *s, unsigned int width, uint64_t *val)
{
	int ret = number_arg(t, cmd, what, s, 0, val);

	if (ret)
		return ret;
	if (width && !fits_width(*val, width))
		return usage_error(t, cmd, "%s %s does not fit in %u bits",
				   what, s, width * 8);
	return 0;
}

/* A number of bytes: optional K, M or G. */
int parse_size_arg(struct dmt *t, const struct command *cmd, const char *what,
		   const char *s, uint64_t *val)
{
	return number_arg(t, cmd, what, s, PM_NUM_BYTES, val);
}

/* The checks of an access of LEN bytes in W-byte units at LOC, as the run meets them. */
static int check(struct dmt *t, const struct op *op, const struct location *loc,
		 uint64_t len, unsigned int w, bool write)
{
	return dry_check(t, op->cmd, op->argv[1], loc, len, w, write);
}

/* ARGV[I] as a value that fits the op's width. */
static int prep_number(struct dmt *t, struct op *op, const char *what, int i,
		       uint64_t *val)
{
	return parse_number_arg(t, op->cmd, what, op->argv[i], op->width, val);
}

static int prep_reads(struct dmt *t, struct op *op, uint64_t count)
{
	unsigned int w = op->width;
	struct location last;
	int ret;

	op->n = count;
	ret = resolve(t, op->cmd, op->argv[1], count * w, &op->loc);
	if (ret)
		return ret;
	/* the first and the last: bounds and alignment hold between */
	last = op->loc;
	last.off += (count - 1) * w;
	ret = check(t, op, &op->loc, w, w, false);
	if (!ret && count > 1)
		ret = check(t, op, &last, w, w, false);
	if (!ret)	/* a side effect is said with the value */
		ret = reg_rules(t, op->cmd, op->argv[1], &op->loc, count * w, REG_READ,
				&op->side_effect);
	return ret;
}

int prep_read(struct dmt *t, struct op *op)
{
	uint64_t count = 1;
	int ret;

	if (op->argc > 2) {
		ret = parse_number_arg(t, op->cmd, "COUNT", op->argv[2], 0, &count);
		if (ret)
			return ret;
		if (count == 0 || count > UINT64_MAX / op->width)
			return usage_error(t, op->cmd, "COUNT %s out of range", op->argv[2]);
	}
	return prep_reads(t, op, count);
}

int exec_read(struct dmt *t, const struct op *op)
{
	unsigned int w = op->width;
	struct location l = op->loc;
	uint64_t val;
	int ret;

	if (t->dry_run) {
		out_dry(t, op->cmd->name, &op->loc, "read %" PRIu64 " x %u bytes",
			op->n, w);
		return 0;
	}
	if (op->n > 1) {
		/* the offsets in one column: as many digits as the last needs */
		uint64_t last = l.off + (op->n - 1) * w + (l.m->has_phys ? l.m->phys : 0);

		t->addr_digits = 1;
		while (last >>= 4)
			t->addr_digits++;
	}
	ret = 0;
	for (uint64_t i = 0; i < op->n; i++, l.off += w) {
		ret = phys_read(l.m->map, l.off, w, &val);
		if (ret) {
			ret = access_failed(t, op->cmd, op->argv[1], ret);
			break;
		}
		if (op->side_effect)
			out_note(t, op->cmd->name, &l, w, val, "(a register whose read has a side effect)");
		else
			out_value(t, op->cmd->name, &l, w, val);
	}
	t->addr_digits = 0;
	return ret;
}

/* Values ARGV[FIRST...] to consecutive registers from ARGV[1]. */
static int prep_writes(struct dmt *t, struct op *op, int first)
{
	unsigned int w = op->width;
	int n = op->argc - first, ret;
	struct location l;

	op->vals = prog_alloc(t->prog, (size_t)n * sizeof(*op->vals));
	if (!op->vals) {
		out_error(t, "out of memory");
		return DMT_FAILED;
	}
	op->n = (uint64_t)n;
	for (int i = 0; i < n; i++) {
		ret = parse_value_arg(t, op, "VALUE", op->argv[first + i], op->width,
				      &op->vals[i], NULL);
		if (ret)
			return ret;
	}
	ret = resolve(t, op->cmd, op->argv[1], (uint64_t)n * w, &op->loc);
	if (ret)
		return ret;
	l = op->loc;
	for (int i = 0; i < n; i++, l.off += w) {
		ret = check(t, op, &l, w, w, true);
		if (ret)
			return ret;
	}
	/* --readback reads again only what the maps let be read quietly */
	if (t->readback) {
		bool *rb = prog_alloc(t->prog, (size_t)n * sizeof(*rb));

		if (!rb) {
			out_error(t, "out of memory");
			return DMT_FAILED;
		}
		l = op->loc;
		for (int i = 0; i < n; i++, l.off += w)
			rb[i] = reg_read_free(t, &l, w);
		op->data = rb;
	}
	return reg_rules(t, op->cmd, op->argv[1], &op->loc, (uint64_t)n * w, REG_WRITE, NULL);
}

int prep_write(struct dmt *t, struct op *op)
{
	return prep_writes(t, op, 2);
}

static bool confirm_write(struct dmt *t, const struct op *op,
			  const struct location *loc, uint64_t val)
{
	char addr[300], q[400];
	unsigned int w = op->width;

	if (!t->confirm)
		return true;
	loc_format(loc, addr, sizeof(addr));
	snprintf(q, sizeof(q), "%s: write 0x%0*" PRIx64 " to %s? [y/N] ",
		 op->cmd->name, (int)w * 2, val, addr);
	return repl_confirm(t, q);
}

int exec_write(struct dmt *t, const struct op *op)
{
	const char *name = op->cmd->name, *addr = op->argv[1];
	unsigned int w = op->width;
	struct location l = op->loc;
	uint64_t rb = 0;
	bool readback;
	int ret;

	for (uint64_t i = 0; i < op->n; i++, l.off += w) {
		if (t->dry_run) {
			const char *late = op_late_shown(op, &op->vals[i]);

			if (late)	/* known when it runs */
				out_dry(t, name, &l, "<- %s", late);
			else
				out_dry(t, name, &l, "<- 0x%0*" PRIx64, (int)w * 2, op->vals[i]);
			continue;
		}
		if (!confirm_write(t, op, &l, op->vals[i])) {
			if (i)
				out_error(t, "%s %s: value %" PRIu64 " not confirmed: the %"
					  PRIu64 " before it written, nothing after",
					  name, addr, i + 1, i);
			else
				out_error(t, "%s %s: not confirmed, nothing written",
					  name, addr);
			return DMT_FAILED;
		}
		ret = phys_write(l.m->map, l.off, w, op->vals[i]);
		if (ret)
			return access_failed(t, op->cmd, addr, ret);
		readback = t->readback && ((const bool *)op->data)[i];
		if (readback) {
			ret = phys_read(l.m->map, l.off, w, &rb);
			if (ret)
				return access_failed(t, op->cmd, addr, ret);
		}
		out_write(t, name, &l, w, op->vals[i], readback, rb);
	}
	return 0;
}

enum rmw_kind { RMW_SET, RMW_CLEAR, RMW_UPDATE };

/* set*, clear* and update* are told apart by their name. */
int prep_rmw(struct dmt *t, struct op *op)
{
	const char *name = op->cmd->name;
	int ret;

	op->kind = !strncmp(name, "set", 3) ? RMW_SET :
		   !strncmp(name, "clear", 5) ? RMW_CLEAR : RMW_UPDATE;
	ret = prep_number(t, op, op->kind == RMW_UPDATE ? "MASK" : "BITS", 2,
			  &op->mask);
	if (ret)
		return ret;
	if (op->kind == RMW_UPDATE) {
		ret = prep_number(t, op, "VALUE", 3, &op->value);
		if (ret)
			return ret;
		if (op->value & ~op->mask)
			return usage_error(t, op->cmd, "VALUE %s has bits outside "
					   "MASK %s", op->argv[3], op->argv[2]);
	}
	ret = resolve(t, op->cmd, op->argv[1], op->width, &op->loc);
	if (ret)
		return ret;
	ret = check(t, op, &op->loc, op->width, op->width, true);
	if (!ret)
		ret = reg_rules(t, op->cmd, op->argv[1], &op->loc, op->width,
				REG_RMW | REG_WRITE, NULL);
	return ret;
}

int exec_rmw(struct dmt *t, const struct op *op)
{
	const struct location *loc = &op->loc;
	unsigned int w = op->width;
	uint64_t old, new_val;
	int ret;

	if (t->dry_run) {
		out_dry(t, op->cmd->name, loc, "read-modify-write mask 0x%0*" PRIx64
			" value 0x%0*" PRIx64, (int)w * 2, op->mask, (int)w * 2,
			op->kind == RMW_SET ? op->mask : op->value);
		return 0;
	}
	if (t->confirm) {
		char addr[300], q[400];

		loc_format(loc, addr, sizeof(addr));
		snprintf(q, sizeof(q), "%s: modify bits 0x%0*" PRIx64
			 " of %s? [y/N] ", op->cmd->name, (int)w * 2, op->mask, addr);
		if (!repl_confirm(t, q)) {
			out_error(t, "%s %s: not confirmed, nothing written",
				  op->cmd->name, op->argv[1]);
			return DMT_FAILED;
		}
	}
	switch (op->kind) {
	case RMW_SET:
		ret = phys_set_bits(loc->m->map, loc->off, w, op->mask, &old, &new_val);
		break;
	case RMW_CLEAR:
		ret = phys_clear_bits(loc->m->map, loc->off, w, op->mask, &old, &new_val);
		break;
	default:
		ret = phys_update(loc->m->map, loc->off, w, op->mask, op->value,
				  &old, &new_val);
		break;
	}
	if (ret)
		return access_failed(t, op->cmd, op->argv[1], ret);
	/* With --readback show what the device holds, not what was written. */
	if (t->readback) {
		ret = phys_read(loc->m->map, loc->off, w, &new_val);
		if (ret)
			return access_failed(t, op->cmd, op->argv[1], ret);
	}
	out_rmw(t, op->cmd->name, loc, w, old, new_val);
	return 0;
}

/*
 * poll ADDR MASK [==|!=] VALUE [TIMEOUT_MS [INTERVAL_US]]: op->kind is
 * PHYS_POLL_EQ or PHYS_POLL_NE, op->n the timeout, op->n2 the interval.
 */
int prep_poll(struct dmt *t, struct op *op)
{
	char **argv = op->argv;
	int v = 3, ret;
	bool named = false;

	op->kind = PHYS_POLL_EQ;
	op->n = POLL_DEFAULT_MS;
	op->n2 = POLL_INTERVAL_US;
	/* poll REG[.FIELD] [!=] VALUE ...: no MASK, the field gives it */
	if (op->argc > 2 && (!strcmp(argv[2], "!=") || !strcmp(argv[2], "=="))) {
		op->kind = argv[2][0] == '!' ? PHYS_POLL_NE : PHYS_POLL_EQ;
		ret = prep_named_check(t, op, 3, &named);
		v = 3;
	} else {
		ret = prep_named_check(t, op, 2, &named);
		v = 2;
	}
	if (ret)
		return ret;
	if (!named && op->argc < 4)
		return usage_error(t, op->cmd, "missing VALUE");
	if (named) {
		if (op->argc > v + 3)
			return usage_error(t, op->cmd, "too many arguments");
		if (op->argc > v + 1)
			ret = parse_number_arg(t, op->cmd, "TIMEOUT_MS", argv[v + 1], 0, &op->n);
		if (!ret && op->argc > v + 2)
			ret = parse_number_arg(t, op->cmd, "INTERVAL_US", argv[v + 2], 0, &op->n2);
		if (ret)
			return ret;
		if (op->kind == PHYS_POLL_NE && op->mask == 0)
			return usage_error(t, op->cmd, "an empty field can never differ");
		if (op->n > UINT64_MAX / 1000)
			return usage_error(t, op->cmd, "TIMEOUT_MS %s out of range", argv[v + 1]);
		if (op->n2 > 1000000)
			return usage_error(t, op->cmd, "INTERVAL_US %s is more than a second",
					   argv[v + 2]);
		return 0;
	}
	v = 3;
	if (!strcmp(argv[3], "!=") || !strcmp(argv[3], "==")) {
		op->kind = argv[3][0] == '!' ? PHYS_POLL_NE : PHYS_POLL_EQ;
		v = 4;
		if (op->argc < 5)
			return usage_error(t, op->cmd, "missing VALUE after %s", argv[3]);
	}
	if (op->argc > v + 3)
		return usage_error(t, op->cmd, "too many arguments");
	ret = prep_number(t, op, "MASK", 2, &op->mask);
	if (!ret)
		ret = parse_value_arg(t, op, "VALUE", argv[v], op->width, &op->value, late_in_mask);
	if (!ret && op->argc > v + 1)
		ret = parse_number_arg(t, op->cmd, "TIMEOUT_MS", argv[v + 1], 0, &op->n);
	if (!ret && op->argc > v + 2)
		ret = parse_number_arg(t, op->cmd, "INTERVAL_US", argv[v + 2], 0, &op->n2);
	if (ret)
		return ret;
	if (!op->nlate && (op->value & ~op->mask))
		return usage_error(t, op->cmd, "VALUE %s has bits outside MASK %s",
				   argv[v], argv[2]);
	if (op->kind == PHYS_POLL_NE && op->mask == 0)
		return usage_error(t, op->cmd, "MASK 0: the masked value is always 0, "
				   "it can never differ");
	if (op->n > UINT64_MAX / 1000)
		return usage_error(t, op->cmd, "TIMEOUT_MS %s out of range", argv[v + 1]);
	if (op->n2 > 1000000)
		return usage_error(t, op->cmd, "INTERVAL_US %s is more than a second",
				   argv[v + 2]);
	ret = resolve(t, op->cmd, argv[1], op->width, &op->loc);
	if (ret)
		return ret;
	ret = check(t, op, &op->loc, op->width, op->width, false);
	if (!ret)
		ret = reg_rules(t, op->cmd, argv[1], &op->loc, op->width, REG_READ,
				&op->side_effect);
	return ret;
}

/* Monotonic microseconds, for the waits of poll and irqwait. */
uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int exec_poll(struct dmt *t, const struct op *op)
{
	const struct location *loc = &op->loc;
	const char *cond = op->kind == PHYS_POLL_NE ? "!=" : "==";
	unsigned int w = op->width;
	uint64_t last = 0, left, start;
	int ret;

	if (t->dry_run) {
		const char *late = op_late_shown(op, &op->value);
		char v[64];

		if (late)
			snprintf(v, sizeof(v), "%.60s", late);
		else
			snprintf(v, sizeof(v), "0x%0*" PRIx64, (int)w * 2, op->value);
		out_dry(t, op->cmd->name, loc, "until (value & 0x%0*" PRIx64
			") %s %s, %" PRIu64 " ms, every %" PRIu64 " us",
			(int)w * 2, op->mask, cond, v, op->n, op->n2);
		return 0;
	}
	/*
	 * In slices, so that Ctrl-C stops a long poll within one. With an
	 * interval, single reads (timeout 0) with the interval slept here
	 * between them, in slices: a register whose read has side effects is
	 * read once an interval, never twice in a row at a slice's end.
	 * Without one, libphys's own loop, a slice at a time.
	 */
	start = now_us();
	for (;;) {
		uint64_t spent = now_us() - start, total = op->n * 1000, nap;

		left = total > spent ? total - spent : 0;
		if (op->n2 == 0) {
			ret = phys_poll_until(loc->m->map, loc->off, w, op->mask, op->value,
					      op->kind, left < POLL_SLICE_US ? left : POLL_SLICE_US,
					      op->n2, &last);
			if (dmt_interrupted)
				return DMT_INTERRUPTED;
			if (ret != -ETIMEDOUT || now_us() - start >= total)
				break;
			continue;
		}
		ret = phys_poll_until(loc->m->map, loc->off, w, op->mask, op->value,
				      op->kind, 0, 0, &last);
		if (ret != -ETIMEDOUT || left == 0)
			break;
		for (nap = op->n2 < left ? op->n2 : left; nap && !dmt_interrupted; ) {
			uint64_t step = nap < POLL_SLICE_US ? nap : POLL_SLICE_US;
			struct timespec ts = { (time_t)(step / 1000000), (long)(step % 1000000) * 1000 };

			nanosleep(&ts, NULL);
			nap -= step;
		}
		if (dmt_interrupted)
			return DMT_INTERRUPTED;
	}
	if (ret == -ETIMEDOUT) {
		struct check_facts f = {
			.value = op->value, .mask = op->mask, .actual = last,
			.timeout_ms = op->n, .not_equal = op->kind == PHYS_POLL_NE,
		};

		out_check_failed(t, op->cmd->name, loc, w, &f,
				 "%s %s: timed out after %" PRIu64 " ms: value "
				 "0x%0*" PRIx64 ", want (value & 0x%0*" PRIx64
				 ") %s 0x%0*" PRIx64, op->cmd->name, op->argv[1], op->n,
				 (int)w * 2, last, (int)w * 2, op->mask, cond,
				 (int)w * 2, op->value);
		return DMT_FAILED;
	}
	if (ret)
		return access_failed(t, op->cmd, op->argv[1], ret);
	out_polled(t, op->cmd->name, loc, w, last, now_us() - start, op->side_effect);
	return 0;
}

int prep_expect(struct dmt *t, struct op *op)
{
	bool named;
	int ret = prep_named_check(t, op, 2, &named);

	if (named) {
		if (ret || op->argc < 4)
			return ret;
		if (((const struct regref *)op->data)->field >= 0)
			return usage_error(t, op->cmd, "a field takes no MASK: its bits are the mask");
		/* expect REG VALUE MASK: the register's value under MASK */
		ret = prep_number(t, op, "MASK", 3, &op->mask);
		if (!ret && (op->value & ~op->mask))
			ret = usage_error(t, op->cmd, "VALUE %s has bits outside MASK %s",
					  op->argv[2], op->argv[3]);
		return ret;
	}
	op->mask = width_mask(op->width);
	ret = parse_value_arg(t, op, "VALUE", op->argv[2], op->width, &op->value, late_in_mask);
	if (!ret && op->argc > 3)
		ret = prep_number(t, op, "MASK", 3, &op->mask);
	if (ret)
		return ret;
	if (!op->nlate && (op->value & ~op->mask))
		return usage_error(t, op->cmd, "VALUE %s has bits outside MASK %s",
				   op->argv[2], op->argv[3]);
	ret = resolve(t, op->cmd, op->argv[1], op->width, &op->loc);
	if (ret)
		return ret;
	ret = check(t, op, &op->loc, op->width, op->width, false);
	if (!ret)
		ret = reg_rules(t, op->cmd, op->argv[1], &op->loc, op->width, REG_READ,
				&op->side_effect);
	return ret;
}

int exec_expect(struct dmt *t, const struct op *op)
{
	const struct location *loc = &op->loc;
	unsigned int w = op->width;
	const char *name = op->cmd->name, *addr = op->argv[1];
	uint64_t val;
	int ret;

	if (t->dry_run) {
		const char *late = op_late_shown(op, &op->value);

		if (late)
			out_dry(t, name, loc, "expect (value & 0x%0*" PRIx64 ") == %s",
				(int)w * 2, op->mask, late);
		else
			out_dry(t, name, loc, "expect (value & 0x%0*" PRIx64
				") == 0x%0*" PRIx64, (int)w * 2, op->mask, (int)w * 2,
				op->value);
		return 0;
	}
	ret = phys_read(loc->m->map, loc->off, w, &val);
	if (ret)
		return access_failed(t, op->cmd, addr, ret);
	if ((val & op->mask) != op->value) {
		struct check_facts f = { .value = op->value, .mask = op->mask, .actual = val };

		if (op->mask == width_mask(w))
			out_check_failed(t, name, loc, w, &f, "%s %s: expected 0x%0*"
					 PRIx64 ", got 0x%0*" PRIx64, name, addr,
					 (int)w * 2, op->value, (int)w * 2, val);
		else
			out_check_failed(t, name, loc, w, &f, "%s %s: expected 0x%0*"
					 PRIx64 " under mask 0x%0*" PRIx64 ", got 0x%0*"
					 PRIx64, name, addr, (int)w * 2, op->value,
					 (int)w * 2, op->mask, (int)w * 2, val);
		return DMT_FAILED;
	}
	out_note(t, name, loc, w, val, op->side_effect ?
		 "(as expected; a register whose read has a side effect)" : "(as expected)");
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
int prep_devmem(struct dmt *t, struct op *op)
{
	op->width = op->argc > 2 ? devmem_width(op->argv[2]) : 4;
	if (!op->width)
		return usage_error(t, op->cmd, "bad WIDTH %s: 8, 16, 32, 64 or b, h, w, l",
				   op->argv[2]);
	op->kind = op->argc > 3;	/* a write */
	return op->kind ? prep_writes(t, op, 3) : prep_reads(t, op, 1);
}

int exec_devmem(struct dmt *t, const struct op *op)
{
	uint64_t val;
	int ret;

	if (op->kind)
		return exec_write(t, op);
	if (t->dry_run || t->json)
		return exec_read(t, op);
	ret = phys_read(op->loc.m->map, op->loc.off, op->width, &val);
	if (ret)
		return access_failed(t, op->cmd, op->argv[1], ret);
	printf("0x%0*" PRIX64 "\n", (int)op->width * 2, val);
	/* busybox's output is the value alone: the note goes to stderr */
	if (op->side_effect && !t->quiet)
		fprintf(stderr, "devmem %s: a register whose read has a side effect\n", op->argv[1]);
	return 0;
}
