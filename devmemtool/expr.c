// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Script arithmetic and names: `const NAME = VALUE`, expressions wherever
 * a number or an offset goes (w32 BASE+0x10*2 1<<3), and the script's
 * arguments $1..$9. All of it is resolved when the script is prepared,
 * but for a DMA buffer's bus address (below).
 *
 * An expression is numbers (devmemtool's grammar: 0x, 0b, '_', K/M/G
 * where a size goes), constants, ( ), and C's operators on unsigned
 * 64-bit values, C's precedence: ~, then * / %, + -, << >>, &, ^, |.
 * Anything that would wrap (a sum or product past 2^64, a difference
 * below 0, a shift losing bits) or divide by zero is an error: an address
 * computed wrong is a write that goes somewhere else.
 *
 * One thing is known only when a line runs: NAME.bus, the bus address of
 * a DMA buffer (cmd-dma.c). Where a value is written or compared it may
 * stand (EXPR_BUS): the expression is checked when prepared, and kept
 * as a text with its constants replaced by their values and its buffers
 * by @N, worked out again when the line runs (EXPR_RUN); what would wrap
 * once a bus address is in it is found then.
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
	unsigned int flags;	/* PM_NUM_BYTES where a size goes, EXPR_* */
	char *err;
	size_t err_size;
	unsigned int depth;	/* of ( and ~: bounded, so no line can exhaust the stack */
	bool bus;		/* a bus address is in it (prepared: its value unknown) */
	bool xdev;		/* a bus address where none may stand */
	char *out;		/* EXPR_BUS: the text to work out when it runs */
	size_t out_len;
	const char *copied;	/* s is in out up to here */
};

/* A bus address while prepared: a value of its kind (page-aligned, past
 * 4 GiB), only for the checks that do not depend on it. */
#define BUS_UNKNOWN	UINT64_C(0x100000000)

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

/* ---- NAME.bus ---------------------------------------------------------- */

/* e->s from e->copied to FROM, then TEXT, into e->out; copied up to TO. */
static void emit(struct expr *e, const char *from, const char *to, const char *text)
{
	size_t a = (size_t)(from - e->copied), b = strlen(text);

	memcpy(e->out + e->out_len, e->copied, a);
	memcpy(e->out + e->out_len + a, text, b);
	e->out_len += a + b;
	e->out[e->out_len] = '\0';
	e->copied = to;
}

/* NAME (NAME..END) followed by ".MEMBER": a bus address if MEMBER is
 * "bus" or NAME a buffer's (whose other members are errors). */
static bool member_is_bus(const struct expr *e, const char *name, const char *end)
{
	const char *m = end + 1, *mend = m;
	size_t n = (size_t)(end - name);

	while (name_char(*mend))
		mend++;
	if (mend - m == 3 && !strncmp(m, "bus", 3))
		return true;
	return buf_find(e->t, name, n) || buf_find_dead(e->t, name, n);
}

/* NAME.bus at e->p, NAME ending at DOT. */
static int bus_ref(struct expr *e, uint64_t *v, const char *dot)
{
	const char *name = e->p, *m = dot + 1, *mend = m;
	size_t n = (size_t)(dot - name);
	char ref[32], why[PM_NAME_MAX + 300];
	struct dmabuf *b;

	while (name_char(*mend))
		mend++;
	if (mend - m != 3 || strncmp(m, "bus", 3))
		return fail(e, "a DMA buffer has .bus (its bus address), no .%.*s",
			    (int)(mend - m), m);
	b = buf_find(e->t, name, n);
	if (!b && buf_gone(e->t, name, n, why, sizeof(why)))
		return fail(e, "%s", why);
	if (!b)
		return fail(e, "no DMA buffer is named %.*s (buf alloc SIZE for WINDOW as NAME)",
			    (int)n, name);
	if (!(e->flags & EXPR_BUS)) {
		fail(e, "the bus address of the DMA buffer %.*s is known only when the line "
		     "runs: it may be a value that is written or compared (w8..w64, w, devmem, "
		     "fill, expect, poll), not here", (int)n, name);
		e->xdev = true;
		return -EXDEV;
	}
	e->bus = true;
	*v = BUS_UNKNOWN;
	snprintf(ref, sizeof(ref), "@%zu", buf_index(e->t, b));
	if (e->out)
		emit(e, name, mend, ref);
	e->p = mend;
	return 0;
}

/* @N, as the line runs: buffer N's bus address. */
static int run_bus(struct expr *e, uint64_t *v)
{
	char *end;
	unsigned long i = strtoul(e->p + 1, &end, 10);
	const struct dmabuf *b;

	if (end == e->p + 1 || i >= e->t->nbufs)
		return fail(e, "bad buffer reference");
	b = e->t->bufs[i];
	if (!b->dma)
		return fail(e, "the DMA buffer %s is not allocated (its buf alloc failed)", b->name);
	*v = phys_dma_bus(b->dma);
	e->p = end;
	return 0;
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
	if (*e->p == '@' && (e->flags & EXPR_RUN))
		return run_bus(e, v);
	if (name_start(*e->p)) {
		const struct constant *c;

		for (end = e->p; name_char(*end); end++)
			;
		if (*end == '.' && member_is_bus(e, e->p, end))
			return bus_ref(e, v, end);
		c = const_find(e->t, e->p, (size_t)(end - e->p));
		if (!c && buf_find(e->t, e->p, (size_t)(end - e->p)))
			return fail(e, "'%.*s' is a DMA buffer: its bus address is %.*s.bus",
				    (int)(end - e->p), e->p, (int)(end - e->p), e->p);
		if (!c)
			return fail(e, "'%.*s' is not a constant (const NAME = VALUE)",
				    (int)(end - e->p), e->p);
		if (!c->is_number)
			return fail(e, "'%s' is a target (%s), not a number", c->name, c->text);
		*v = c->value;
		if (e->out) {	/* the constant's value as it is now */
			char num[24];

			snprintf(num, sizeof(num), "0x%" PRIx64, c->value);
			emit(e, e->p, end, num);
		}
		e->p = end;
		return 0;
	}
	r = pm_parse_u64_prefix(e->p, e->flags & PM_NUM_BYTES, v, &end);
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
	/* a bus address is in it, not known yet: found when the line runs */
	if (e->bus && !(e->flags & EXPR_RUN)) {
		switch (op[0]) {
		case '|': *v |= r; break;
		case '^': *v ^= r; break;
		case '&': *v &= r; break;
		case '+': *v += r; break;
		case '-': *v -= r; break;
		case '*': *v *= r; break;
		case '/': *v = r ? *v / r : 0; break;
		case '%': *v = r ? *v % r : 0; break;
		default: *v = r > 63 ? 0 : op[0] == '<' ? *v << r : *v >> r; break;
		}
		return 0;
	}
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
 * S (all of it) as an expression; FLAGS PM_NUM_BYTES where a size goes,
 * EXPR_*. 0, or -EINVAL with ERR saying why, or -EDOM when S is taken for
 * one token, whose text ERR then shows ('0x1g': not a number...), or
 * -EXDEV for a bus address where none may stand.
 */
static int eval(struct expr *e, uint64_t *val)
{
	const char *s = e->s;
	unsigned int flags = e->flags & PM_NUM_BYTES;
	const struct constant *c;
	size_t n;
	int r;

	*e->err = '\0';
	/* the common case, a plain number, at the cost of one parse */
	r = pm_parse_u64(s, flags, val);
	if (r == 0)
		return 0;
	/* one token: a constant, or the number grammar's own message; but
	 * NAME.bus, and in a late value @N, are the parser's */
	if ((!strpbrk(s, OPERATORS) && !strpbrk(s, ".@")) ||
	    !(name_start(s[0]) || isdigit((unsigned char)s[0]) || s[0] == '(' || s[0] == '~' ||
	      s[0] == ' ' || (s[0] == '@' && (e->flags & EXPR_RUN)))) {
		n = strlen(s);
		c = name_start(s[0]) ? const_find(e->t, s, n) : NULL;
		if (c && c->is_number) {
			*val = c->value;
			return 0;
		}
		if (c)
			return fail(e, "'%s' is a target (%s), not a number", c->name, c->text);
		if (name_start(s[0]) && buf_find(e->t, s, n))
			return fail(e, "'%s' is a DMA buffer: its bus address is %s.bus", s, s);
		pm_strerror(r, s, n, e->err, e->err_size);
		if (name_start(s[0]) && strspn(s, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n)
			snprintf(e->err + strlen(e->err), e->err_size - strlen(e->err),
				 ", and no constant has that name");
		return -EDOM;
	}
	/* a dotted word that is no bus address (file:a.bin, REG.FIELD): one
	 * token as before, the number grammar's message */
	if (!strpbrk(s, OPERATORS) && !strchr(s, '@')) {
		const char *end = s;

		while (name_char(*end))
			end++;
		if (!name_start(s[0]) || *end != '.' || !member_is_bus(e, s, end)) {
			n = strlen(s);
			pm_strerror(r, s, n, e->err, e->err_size);
			return -EDOM;
		}
	}
	r = expr_or(e, val);
	if (!r && *e->p)
		r = fail(e, "unexpected '%c'", *e->p);
	if (e->xdev)
		return -EXDEV;
	return r;
}

int expr_eval(struct dmt *t, const char *s, unsigned int flags, uint64_t *val,
	      char *err, size_t err_size)
{
	struct expr e = { .t = t, .s = s, .p = s, .flags = flags & ~EXPR_BUS, .err = err,
			  .err_size = err_size };

	return eval(&e, val);
}

int expr_eval_late(struct dmt *t, const char *s, unsigned int flags, uint64_t *val,
		   char *err, size_t err_size, char **late)
{
	struct expr e = { .t = t, .s = s, .p = s, .flags = flags | EXPR_BUS, .err = err,
			  .err_size = err_size };
	size_t len = strlen(s);
	int r;

	*late = NULL;
	/* a bus address is NAME.bus: without a '.', as any expression */
	if (!strchr(s, '.'))
		return eval(&e, val);
	/* constants become at most 18 characters, buffers @N */
	e.out = malloc(24 * (len + 1));
	if (!e.out) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	e.out[0] = '\0';
	e.copied = s;
	r = eval(&e, val);
	if (r || !e.bus) {
		free(e.out);
		return r;
	}
	emit(&e, s + len, s + len, "");
	*late = e.out;
	return 0;
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
	int xret;

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
	if (buf_find(t, name, n))
		return usage_error(t, op->cmd, "'%s' is already a DMA buffer's name", name);
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
	xret = expr_eval(t, value, PM_NUM_BYTES, &nc.value, err, sizeof(err));
	if (xret == 0) {
		nc.is_number = true;
	} else if (xret == -EXDEV) {	/* NAME.bus: known only when a line runs */
		const_free(&nc);
		return usage_error(t, op->cmd, "VALUE %s: %s", value, err);
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
