// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Script arithmetic and names: `const NAME = VALUE`, expressions wherever
 * a number or an offset goes (w32 BASE+0x10*2 1<<3), and the script's
 * arguments $1..$9. All of it is resolved when the script is prepared;
 * nothing here is looked at when a line runs.
 *
 * An expression is numbers (devmemtool's grammar: 0x, 0b, '_', K/M/G
 * where a size goes), constants, ( ), and C's operators on unsigned
 * 64-bit values, C's precedence: ~, then * / %, + -, << >>, &, ^, |.
 * Anything that would wrap (a sum or product past 2^64, a difference
 * below 0, a shift losing bits) or divide by zero is an error: an address
 * computed wrong is a write that goes somewhere else.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devmemtool.h"

struct expr {
	struct dmt *t;
	const char *s, *p;
	unsigned int flags;	/* PM_NUM_BYTES where a size goes */
	char *err;
	size_t err_size;
	unsigned int depth;	/* of ( and ~: bounded, so no line can exhaust the stack */
};

#define EXPR_DEPTH_MAX	64

#define OPERATORS	"()~*/%+-<>&^|"

static bool name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '_';
}

const struct constant *const_find(const struct dmt *t, const char *name, size_t len)
{
	for (size_t i = 0; i < t->nconsts; i++)
		if (!t->consts[i].hidden && strlen(t->consts[i].name) == len &&
		    !memcmp(t->consts[i].name, name, len))
			return &t->consts[i];
	return NULL;
}

static int fail(struct expr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct expr *e, const char *fmt, ...)
{
	va_list ap;

	if (!*e->err) {
		va_start(ap, fmt);
		vsnprintf(e->err, e->err_size, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int expr_or(struct expr *e, uint64_t *v);

/* Blanks between tokens: a quoted word may spell an expression out. */
static void blanks(struct expr *e)
{
	while (*e->p == ' ' || *e->p == '\t')
		e->p++;
}

static int operand(struct expr *e, uint64_t *v);

static int primary(struct expr *e, uint64_t *v)
{
	int r;

	blanks(e);
	r = operand(e, v);
	blanks(e);
	return r;
}

static int operand(struct expr *e, uint64_t *v)
{
	char msg[PM_ERRMSG_MAX];
	const char *end;
	int r;

	if (*e->p == '(' || *e->p == '~') {
		if (++e->depth > EXPR_DEPTH_MAX)
			return fail(e, "nested more than %d deep", EXPR_DEPTH_MAX);
		if (*e->p++ == '~') {
			r = primary(e, v);
			*v = ~*v;
		} else {
			r = expr_or(e, v);
			if (!r && *e->p != ')')
				r = fail(e, "missing ')'");
			if (!r)
				e->p++;
		}
		e->depth--;
		return r;
	}
	if (name_start(*e->p)) {
		const struct constant *c;

		for (end = e->p; name_char(*end); end++)
			;
		c = const_find(e->t, e->p, (size_t)(end - e->p));
		if (!c)
			return fail(e, "'%.*s' is not a constant (const NAME = VALUE)",
				    (int)(end - e->p), e->p);
		if (!c->is_number)
			return fail(e, "'%s' is a target (%s), not a number", c->name, c->text);
		*v = c->value;
		e->p = end;
		return 0;
	}
	r = pm_parse_u64_prefix(e->p, e->flags, v, &end);
	if (r)
		return fail(e, "%s", pm_strerror(r, e->p, (size_t)(end - e->p), msg, sizeof(msg)));
	e->p = end;
	return 0;
}

/* C's binary operators, a row a precedence level, the loosest first. */
static const char *const levels[][3] = {
	{ "|" }, { "^" }, { "&" }, { "<<", ">>" }, { "+", "-" }, { "*", "/", "%" },
};
#define NLEVELS	(sizeof(levels) / sizeof(levels[0]))

/* *V OP R, or an error for what would wrap or divide by zero. */
static int apply(struct expr *e, const char *op, uint64_t *v, uint64_t r)
{
	switch (op[0]) {
	case '|': *v |= r; return 0;
	case '^': *v ^= r; return 0;
	case '&': *v &= r; return 0;
	case '+':
		return __builtin_add_overflow(*v, r, v) ?
		       fail(e, "the sum overflows 64 bits") : 0;
	case '-':
		return __builtin_sub_overflow(*v, r, v) ?
		       fail(e, "the difference is below 0") : 0;
	case '*':
		return __builtin_mul_overflow(*v, r, v) ?
		       fail(e, "the product overflows 64 bits") : 0;
	case '/':
	case '%':
		if (r == 0)
			return fail(e, "division by zero");
		*v = op[0] == '/' ? *v / r : *v % r;
		return 0;
	}
	/* << and >> */
	if (r > 63)
		return fail(e, "a shift by %" PRIu64 " (at most 63)", r);
	if (op[0] == '<' && (*v << r) >> r != *v)
		return fail(e, "the shift loses bits");
	*v = op[0] == '<' ? *v << r : *v >> r;
	return 0;
}

/* The operator of LEVEL at e->p, or NULL. */
static const char *level_op(const struct expr *e, size_t level)
{
	for (size_t i = 0; i < 3 && levels[level][i]; i++)
		if (!strncmp(e->p, levels[level][i], strlen(levels[level][i])))
			return levels[level][i];
	return NULL;
}

/* Operands joined by the operators of LEVEL and tighter, left to right. */
static int binary(struct expr *e, size_t level, uint64_t *v)
{
	const char *op;
	uint64_t r;
	int ret;

	if (level == NLEVELS)
		return primary(e, v);
	ret = binary(e, level + 1, v);
	while (!ret && (op = level_op(e, level))) {
		e->p += strlen(op);
		ret = binary(e, level + 1, &r);
		if (!ret)
			ret = apply(e, op, v, r);
	}
	return ret;
}

static int expr_or(struct expr *e, uint64_t *v)
{
	return binary(e, 0, v);
}

/*
 * S (all of it) as an expression; FLAGS PM_NUM_BYTES where a size goes.
 * 0, or -EINVAL with ERR saying why, or -EDOM when S is taken for one
 * token, whose text ERR then shows ('0x1g': not a number...).
 */
int expr_eval(struct dmt *t, const char *s, unsigned int flags, uint64_t *val,
	      char *err, size_t err_size)
{
	struct expr e = { t, s, s, flags, err, err_size, 0 };
	const struct constant *c;
	size_t n;
	int r;

	*err = '\0';
	/* the common case, a plain number, at the cost of one parse */
	r = pm_parse_u64(s, flags, val);
	if (r == 0)
		return 0;
	if (!strpbrk(s, OPERATORS) || !(name_start(s[0]) || isdigit((unsigned char)s[0]) ||
					  s[0] == '(' || s[0] == '~' || s[0] == ' ')) {
		/* one token: a constant, or the number grammar's own message */
		n = strlen(s);
		c = name_start(s[0]) ? const_find(t, s, n) : NULL;
		if (c && c->is_number) {
			*val = c->value;
			return 0;
		}
		if (c)
			return fail(&e, "'%s' is a target (%s), not a number", c->name, c->text);
		pm_strerror(r, s, n, err, err_size);
		if (name_start(s[0]) && strspn(s, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n)
			snprintf(err + strlen(err), err_size - strlen(err),
				 ", and no constant has that name");
		return -EDOM;
	}
	r = expr_or(&e, val);
	if (!r && *e.p)
		r = fail(&e, "unexpected '%c'", *e.p);
	return r;
}

/* ---- const ------------------------------------------------------------- */

static void const_free(struct constant *c)
{
	free(c->name);
	free(c->file);
	free(c->text);
}

/* const NAME = VALUE: a number (an expression) or a target. */
int prep_const(struct dmt *t, struct op *op)
{
	const char *name = op->argv[1], *value = op->argv[3];
	const struct constant *c;
	struct constant *grown, nc = { 0 };
	ptrdiff_t replaced = -1;
	char err[256];
	size_t n = strlen(name);

	if (strcmp(op->argv[2], "="))
		return usage_error(t, op->cmd, "expected '=' after NAME");
	if (!name_start(name[0]) || n > 31 || strspn(name, "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != n)
		return usage_error(t, op->cmd, "bad NAME '%s': a letter, then "
				   "letters, digits or '_', at most 31", name);
	if (command_find(name))
		return usage_error(t, op->cmd, "'%s' cannot be a name: it is a command", name);
	c = const_find(t, name, n);
	/*
	 * Once per run: a constant from an earlier REPL line (or an earlier
	 * `source` of the same file there) is replaced, once the new value
	 * is known (const N = N+1 reads the old one); kept hidden until the
	 * run is sure, so that a line or script that fails puts it back.
	 */
	if (c && (size_t)(c - t->consts) < t->consts_before) {
		replaced = c - t->consts;
		c = NULL;
	}
	if (c) {
		if (c->file)
			out_error(t, "%s %s: already defined at %s:%lu", op->cmd->name,
				  name, c->file, c->line);
		else
			out_error(t, "%s %s: already defined", op->cmd->name, name);
		return DMT_FAILED;
	}
	if (alias_find(t, name))
		return usage_error(t, op->cmd, "'%s' is already a map name", name);
	{
		struct phys_target_info info = PHYS_INFO_INIT(struct phys_target_info);

		if (phys_target_resolve(t->ctx, name, &info) == 0)
			return usage_error(t, op->cmd, "'%s' is already a window name", name);
	}
	nc.line = op->pos.line;
	nc.name = strdup(name);
	nc.file = op->pos.file ? strdup(op->pos.file) : NULL;
	if (!nc.name || (op->pos.file && !nc.file))
		goto nomem;
	if (expr_eval(t, value, PM_NUM_BYTES, &nc.value, err, sizeof(err)) == 0) {
		nc.is_number = true;
	} else if (name_start(value[0]) || strchr(value, ':')) {
		/*
		 * A target: a window, a map name, pci:..., another constant's
		 * target, each with an optional +OFFSET (an expression). Kept
		 * as TARGET or TARGET+0xOFFSET, its offset worked out now.
		 */
		char base[256], why[2 * PM_ERRMSG_MAX];
		uint64_t off;

		if (target_split(t, value, base, sizeof(base), &off, why, sizeof(why))) {
			const_free(&nc);
			return usage_error(t, op->cmd, "VALUE %s: %s", value, why);
		}
		if (asprintf(&nc.text, off ? "%s+0x%" PRIx64 : "%s", base, off) < 0) {
			nc.text = NULL;
			goto nomem;
		}
	} else {
		const_free(&nc);
		return usage_error(t, op->cmd, "VALUE %s: %s", value, err);
	}
	grown = realloc(t->consts, (t->nconsts + 1) * sizeof(*grown));
	if (!grown)
		goto nomem;
	t->consts = grown;
	t->consts[t->nconsts++] = nc;
	if (replaced >= 0)
		t->consts[replaced].hidden = true;
	/* an address text with this name may have meant a window, or the
	 * constant's old value (in the REPL) */
	forget_cached(t);
	return 0;
nomem:
	const_free(&nc);
	out_error(t, "out of memory");
	return DMT_FAILED;
}

int exec_const(struct dmt *t, const struct op *op)
{
	return 0;
}

/*
 * A program that never ran: those defined since the first FROM go, those
 * they replaced come back.
 */
void consts_drop(struct dmt *t, size_t from)
{
	forget_cached(t);
	for (size_t i = from; i < t->nconsts; i++)
		const_free(&t->consts[i]);
	if (from < t->nconsts)
		t->nconsts = from;
	for (size_t i = 0; i < t->nconsts; i++)
		t->consts[i].hidden = false;
}

/* A program that was prepared: those replaced are gone for good. */
void consts_commit(struct dmt *t)
{
	size_t j = 0;

	for (size_t i = 0; i < t->nconsts; i++) {
		if (t->consts[i].hidden)
			const_free(&t->consts[i]);
		else
			t->consts[j++] = t->consts[i];
	}
	t->nconsts = j;
}

void consts_free(struct dmt *t)
{
	for (size_t i = 0; i < t->nconsts; i++)
		const_free(&t->consts[i]);
	free(t->consts);
	t->consts = NULL;
	t->nconsts = 0;
}

/* ---- $1..$9 ------------------------------------------------------------ */

/*
 * WORD with $1..$9 (or ${1}..${9}) replaced by the script's arguments,
 * in the program's memory; WORD itself if it has none; NULL (said why)
 * for an argument not given.
 */
char *expand_args(struct dmt *t, char *word)
{
	size_t len = 0, cap;
	char *out, *p;

	if (!strchr(word, '$'))
		return word;
	cap = strlen(word) + 1;
	for (p = word; (p = strchr(p, '$')); p++)
		cap += 4096;
	out = prog_alloc(t->prog, cap);
	if (!out) {
		out_error(t, "out of memory");
		return NULL;
	}
	for (p = word; *p; ) {
		int k = -1, skip = 0;

		if (p[0] == '$' && p[1] >= '1' && p[1] <= '9') {
			k = p[1] - '1';
			skip = 2;
		} else if (p[0] == '$' && p[1] == '{' && p[2] >= '1' && p[2] <= '9' && p[3] == '}') {
			k = p[2] - '1';
			skip = 4;
		}
		if (k < 0) {
			out[len++] = *p++;
			continue;
		}
		if (k >= t->nargs) {
			out_error(t, "$%d: no such script argument (%d given)", k + 1, t->nargs);
			return NULL;
		}
		if (strlen(t->args[k]) >= 4096) {
			out_error(t, "$%d: too long", k + 1);
			return NULL;
		}
		len += (size_t)sprintf(out + len, "%s", t->args[k]);
		p += skip;
	}
	out[len] = '\0';
	return out;
}
