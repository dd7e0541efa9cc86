// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DMA buffers and interrupts, for the device behind a driver window whose
 * policy rule grants them (libphys's phys_dma_*() and phys_irq_*()):
 *
 *   buf alloc SIZE for WINDOW as NAME	a buffer; NAME[+OFF] is its memory
 *   buf free NAME
 *   irqwait WINDOW [TIMEOUT_MS] [mode intx|msi]
 *
 * Like every line, these are prepared with the script: a buffer's name
 * stands from its `buf alloc` line to its `buf free` line, and its size
 * (SIZE rounded up to whole pages) is known then, so accesses to it are
 * checked as those to a window are. What only the run knows is found
 * when the line runs: whether the policy grants dma or irq (libphys's
 * message), and NAME.bus, the buffer's bus address, which a value may
 * hold (late values, below). A dry run allocates and opens nothing.
 *
 * A device's interrupt is opened once a run, before the first line of
 * the program with its first irqwait runs (so that an interrupt a line
 * before the irqwait causes is counted, not lost), and kept open.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "devmemtool.h"

#define IRQ_DEFAULT_MS	1000
#define IRQ_SLICE_MS	100	/* how soon Ctrl-C stops an irqwait */

/* ---- buffers by name --------------------------------------------------- */

struct dmabuf *buf_find(const struct dmt *t, const char *name, size_t len)
{
	for (size_t i = t->nbufs; i--; ) {
		struct dmabuf *b = t->bufs[i];

		if (b->live && strlen(b->name) == len && !memcmp(b->name, name, len))
			return b;
	}
	return NULL;
}

const struct dmabuf *buf_find_dead(const struct dmt *t, const char *name, size_t len)
{
	for (size_t i = t->nbufs; i--; ) {
		const struct dmabuf *b = t->bufs[i];

		if (strlen(b->name) == len && !memcmp(b->name, name, len))
			return b->live ? NULL : b;
	}
	return NULL;
}

bool buf_gone(const struct dmt *t, const char *name, size_t len, char *why, size_t size)
{
	const struct dmabuf *b = buf_find_dead(t, name, len);

	if (!b)
		return false;
	if (b->failed)
		snprintf(why, size, "the DMA buffer %s was not allocated (its buf alloc failed)",
			 b->name);
	else if (b->freed_file)
		snprintf(why, size, "the DMA buffer %s was freed (buf free at %s:%lu)", b->name,
			 b->freed_file, b->freed_line);
	else
		snprintf(why, size, "the DMA buffer %s was freed", b->name);
	return true;
}

size_t buf_index(const struct dmt *t, const struct dmabuf *buf)
{
	for (size_t i = 0; i < t->nbufs; i++)
		if (t->bufs[i] == buf)
			return i;
	return SIZE_MAX;
}

static void buf_destroy(struct dmabuf *b)
{
	if (!b)
		return;
	phys_dma_free(b->dma);	/* closes its map too */
	free(b->name);
	free(b->window);
	free(b->freed_file);
	free(b);
}

/*
 * WORD as the name of a driver window, into WINDOW: a window's name, or
 * a map name or a constant standing for one. 0, or said.
 */
static int window_name(struct dmt *t, const struct command *cmd, const char *word,
		       char window[PM_NAME_MAX])
{
	const char *name = word;
	const struct alias *al;
	const struct constant *c;
	char msg[PM_ERRMSG_MAX];
	int ret;

	if (buf_find(t, word, strlen(word)))
		return usage_error(t, cmd, "'%s' is a DMA buffer; WINDOW is a driver window's name",
				   word);
	al = alias_find(t, word);
	c = al ? NULL : const_find(t, word, strlen(word));
	if (al)
		name = al->m->key;
	else if (c && !c->is_number)
		name = c->text;
	else if (c)
		return usage_error(t, cmd, "'%s' is a number; WINDOW is a driver window's name",
				   word);
	ret = pm_name_check(name, strlen(name));
	if (ret && name != word)
		return usage_error(t, cmd, "'%s' stands for %s, not a driver window's name", word,
				   name);
	if (ret)
		return usage_error(t, cmd, "WINDOW %s", pm_strerror(ret, name, strlen(name),
								    msg, sizeof(msg)));
	snprintf(window, PM_NAME_MAX, "%s", name);
	return 0;
}

/* A new buffer's NAME: it goes in expressions as NAME.bus, so no '-';
 * and it means one thing: no command, constant, map, window, register
 * or other buffer has it. 0, or said. */
static int check_buf_name(struct dmt *t, const struct command *cmd, const char *name)
{
	struct phys_target_info info = PHYS_INFO_INIT(struct phys_target_info);
	size_t n = strlen(name);
	char why[PM_ERRMSG_MAX + 256];
	struct regref ref;

	if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')) ||
	    n >= PM_NAME_MAX || strspn(name, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != n)
		return usage_error(t, cmd, "bad NAME '%s': a letter, then letters, digits or '_', "
				   "at most %d (NAME.bus goes in expressions)", name,
				   PM_NAME_MAX - 1);
	if (command_find(name))
		return usage_error(t, cmd, "'%s' cannot be a name: it is a command", name);
	if (buf_find(t, name, n))
		return usage_error(t, cmd, "'%s' is already a DMA buffer's name", name);
	if (const_find(t, name, n))
		return usage_error(t, cmd, "'%s' is already a constant", name);
	if (alias_find(t, name))
		return usage_error(t, cmd, "'%s' is already a map name", name);
	if (phys_target_resolve(t->ctx, name, &info) == 0)
		return usage_error(t, cmd, "'%s' is already a window name", name);
	for (size_t i = 0; i < t->nbound; i++)
		if (!t->bound[i]->dead && !strcmp(t->bound[i]->prefix, name))
			return usage_error(t, cmd, "'%s' already names the registers of %s",
					   name, phys_regmap_name(t->bound[i]->rm));
	if (reg_find_top(t, name, &ref, why, sizeof(why)) == 0)
		return usage_error(t, cmd, "'%s' is already a register's name", name);
	/* NAME.REG of an absolute map (UART0.CR): NAME is a block's name */
	for (size_t i = 0; i < t->nbound; i++) {
		const struct bound *b = t->bound[i];

		if (b->dead || b->prefix[0])
			continue;
		for (size_t reg = 0; reg < phys_regmap_count(b->rm); reg++) {
			struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);

			phys_regmap_reg(b->rm, reg, &ri);
			if (!strncmp(ri.name, name, n) && ri.name[n] == '.')
				return usage_error(t, cmd, "'%s' already names registers (%s)",
						   name, ri.name);
		}
	}
	return 0;
}

/* ---- buf alloc / buf free ---------------------------------------------- */

static int prep_alloc(struct dmt *t, struct op *op)
{
	const struct command *cmd = op->cmd;
	char window[PM_NAME_MAX];
	uint64_t size, page, pages;
	struct dmabuf *b, **nb;
	long ps;
	int ret;

	if (op->argc != 7 || strcmp(op->argv[3], "for") || strcmp(op->argv[5], "as"))
		return usage_error(t, cmd, "expected 'alloc SIZE for WINDOW as NAME'");
	ret = parse_size_arg(t, cmd, "SIZE", op->argv[2], &size);
	if (ret)
		return ret;
	if (size == 0)
		return usage_error(t, cmd, "SIZE must not be 0");
	ps = sysconf(_SC_PAGESIZE);
	page = ps > 0 ? (uint64_t)ps : 4096;
	/* whole pages, as the driver gives them: known now, checked now */
	if (size > UINT64_MAX - (page - 1) || (pages = (size + page - 1) / page * page) > SIZE_MAX)
		return usage_error(t, cmd, "SIZE %s is too large", op->argv[2]);
	ret = window_name(t, cmd, op->argv[4], window);
	if (!ret)
		ret = check_buf_name(t, cmd, op->argv[6]);
	if (ret)
		return ret;
	b = calloc(1, sizeof(*b));
	nb = b ? realloc(t->bufs, (t->nbufs + 1) * sizeof(*nb)) : NULL;
	if (nb)
		t->bufs = nb;
	if (!nb || !(b->name = strdup(op->argv[6])) || !(b->window = strdup(window))) {
		buf_destroy(b);
		out_error(t, "out of memory");
		return DMT_FAILED;
	}
	b->size = size;
	b->live = true;
	b->m.key = b->name;
	b->m.size = pages;
	b->m.buf = b;
	t->bufs[t->nbufs++] = b;
	forget_cached(t);	/* an address text may have meant something else */
	op->data = b;
	op->kind = 'a';
	op->n = pages;
	return 0;
}

static int prep_free(struct dmt *t, struct op *op)
{
	const char *name = op->argv[2];
	char why[PM_NAME_MAX + 300];
	struct dmabuf *b;

	if (op->argc != 3)
		return usage_error(t, op->cmd, "expected 'free NAME'");
	b = buf_find(t, name, strlen(name));
	if (!b) {
		if (buf_gone(t, name, strlen(name), why, sizeof(why)))
			out_error(t, "%s free %s: %s", op->cmd->name, name, why);
		else
			out_error(t, "%s free %s: no DMA buffer is named %s", op->cmd->name, name,
				  name);
		return DMT_FAILED;
	}
	/* the name is gone for the lines after this one */
	b->live = false;
	free(b->freed_file);
	b->freed_file = op->pos.file ? strdup(op->pos.file) : NULL;
	b->freed_line = op->pos.line;
	forget_cached(t);
	op->data = b;
	op->kind = 'f';
	return 0;
}

int prep_buf(struct dmt *t, struct op *op)
{
	if (!strcmp(op->argv[1], "alloc"))
		return prep_alloc(t, op);
	if (!strcmp(op->argv[1], "free"))
		return prep_free(t, op);
	return usage_error(t, op->cmd, "expected 'alloc' or 'free', not '%s'", op->argv[1]);
}

static void print_buf(struct dmt *t, const struct dmabuf *b)
{
	uint64_t bus = phys_dma_bus(b->dma), size = phys_dma_size(b->dma);
	char sz[32];

	if (t->json) {
		struct json_object *o = out_json_new("buf");
		char hex[24];

		snprintf(hex, sizeof(hex), "0x%" PRIx64, bus);
		json_object_object_add(o, "action", json_object_new_string("alloc"));
		json_object_object_add(o, "name", json_object_new_string(b->name));
		json_object_object_add(o, "window", json_object_new_string(b->window));
		json_object_object_add(o, "bus", json_object_new_uint64(bus));
		json_object_object_add(o, "bus_hex", json_object_new_string(hex));
		json_object_object_add(o, "size", json_object_new_uint64(size));
		out_json(t, o);
		return;
	}
	if (t->quiet)
		return;
	human_size(sz, sizeof(sz), size);
	printf("%s: DMA buffer for %s at bus 0x%08" PRIx64 ", size 0x%" PRIx64 " (%s)\n",
	       b->name, b->window, bus, size, sz);
}

int exec_buf(struct dmt *t, const struct op *op)
{
	struct dmabuf *b = op->data;
	struct phys_dma *dma;
	char sz[32];
	int err;

	if (op->kind == 'f') {
		if (t->dry_run) {
			out_dry(t, op->cmd->name, NULL, "free %s", b->name);
			return 0;
		}
		phys_dma_free(b->dma);
		b->dma = NULL;
		b->m.map = NULL;
		return 0;
	}
	if (t->dry_run) {
		human_size(sz, sizeof(sz), op->n);
		out_dry(t, op->cmd->name, NULL, "alloc 0x%" PRIx64 " bytes (%s) for %s as %s",
			op->n, sz, b->window, b->name);
		return 0;
	}
	dma = phys_dma_alloc(t->ctx, b->window, b->size);
	if (!dma) {
		err = errno ? errno : EIO;
		goto failed;
	}
	/* the lines were checked against SIZE in whole pages */
	if (phys_dma_size(dma) < op->n || !phys_dma_map(dma)) {
		phys_dma_free(dma);
		out_error(t, "%s alloc %s: the buffer for %s is not the 0x%" PRIx64 " bytes asked",
			  op->cmd->name, b->name, b->window, op->n);
		err = 0;
		goto gone;
	}
	b->dma = dma;
	b->m.map = phys_dma_map(dma);
	print_buf(t, b);
	return 0;
failed:
	out_error(t, "%s alloc %s: %s", op->cmd->name, b->name, errno_reason(t, -err));
gone:
	/* the lines after it in this script fail where they use it; in the
	 * REPL, its name is free again */
	b->failed = true;
	b->live = false;
	forget_cached(t);
	return DMT_FAILED;
}

/* ---- late values -------------------------------------------------------- */

int op_late_add(struct dmt *t, struct op *op, const char *what, const char *shown,
		const char *text, unsigned int width, uint64_t *val,
		int (*fix)(struct dmt *t, struct op *op, uint64_t val))
{
	struct late_value *l = prog_alloc(t->prog, (op->nlate + 1) * sizeof(*l));
	char *copy = prog_alloc(t->prog, strlen(text) + 1);

	if (!l || !copy) {
		out_error(t, "out of memory");
		return DMT_FAILED;
	}
	if (op->nlate)
		memcpy(l, op->late, op->nlate * sizeof(*l));
	strcpy(copy, text);
	/* a value in the op itself moves with it (the program's ops grow) */
	if ((char *)val >= (char *)op && (char *)val < (char *)(op + 1))
		l[op->nlate] = (struct late_value){ copy, shown, what, width,
						    (char *)val - (char *)op, NULL, fix };
	else
		l[op->nlate] = (struct late_value){ copy, shown, what, width, -1, val, fix };
	op->late = l;
	op->nlate++;
	return 0;
}

int late_in_mask(struct dmt *t, struct op *op, uint64_t val)
{
	if (!(val & ~op->mask))
		return 0;
	out_error(t, "%s %s: VALUE %s is 0x%" PRIx64 ": it has bits outside MASK 0x%" PRIx64,
		  op->cmd->name, op->argv[1], op_late_shown(op, &op->value), val, op->mask);
	return DMT_FAILED;
}

static uint64_t *late_dst(const struct op *op, const struct late_value *l)
{
	return l->field >= 0 ? (uint64_t *)((char *)op + l->field) : l->dst;
}

const char *op_late_shown(const struct op *op, const void *val)
{
	for (unsigned int i = 0; i < op->nlate; i++)
		if (late_dst(op, &op->late[i]) == val)
			return op->late[i].shown;
	return NULL;
}

static int no_buffer(struct dmt *t, const struct op *op, const struct location *loc)
{
	const struct dmabuf *b = loc->m->buf;

	out_error(t, "%s %s: the DMA buffer is not allocated (its buf alloc %s)",
		  op->cmd->name, b->name, b->failed ? "failed" : "did not run");
	return DMT_FAILED;
}

int op_run_checks(struct dmt *t, struct op *op)
{
	char msg[PM_ERRMSG_MAX];
	uint64_t v;
	int ret;

	if (op->loc.m && op->loc.m->buf && !op->loc.m->map)
		return no_buffer(t, op, &op->loc);
	if (op->loc2.m && op->loc2.m->buf && !op->loc2.m->map)
		return no_buffer(t, op, &op->loc2);
	for (unsigned int i = 0; i < op->nlate; i++) {
		const struct late_value *l = &op->late[i];

		ret = expr_eval(t, l->text, EXPR_RUN, &v, msg, sizeof(msg));
		if (ret) {
			out_error(t, "%s %s: %s %s: %s", op->cmd->name, op->argv[1], l->what,
				  l->shown, msg);
			return DMT_FAILED;
		}
		if (l->width && !fits_width(v, l->width)) {
			out_error(t, "%s %s: %s %s is 0x%" PRIx64 ": it does not fit in %u bits",
				  op->cmd->name, op->argv[1], l->what, l->shown, v, l->width * 8);
			return DMT_FAILED;
		}
		*late_dst(op, l) = v;
		if (l->fix && (ret = l->fix(t, op, v)))
			return ret;
	}
	return 0;
}

/* ---- irqwait ------------------------------------------------------------ */

static const char *mode_name(enum phys_irq_mode mode)
{
	return mode == PHYS_IRQ_MSI ? "msi" : mode == PHYS_IRQ_INTX ? "intx" : "auto";
}

static struct irqline *irq_find(const struct dmt *t, const char *window)
{
	for (size_t i = 0; i < t->nirqs; i++)
		if (!strcmp(t->irqs[i]->window, window))
			return t->irqs[i];
	return NULL;
}

/* irqwait WINDOW [TIMEOUT_MS] [mode intx|msi]: op->n the timeout, op->kind
 * the mode asked (PHYS_IRQ_AUTO: none). */
int prep_irqwait(struct dmt *t, struct op *op)
{
	const struct command *cmd = op->cmd;
	enum phys_irq_mode mode = PHYS_IRQ_AUTO;
	char window[PM_NAME_MAX];
	struct irqline *l, **nl;
	int i = 2, ret;

	op->n = IRQ_DEFAULT_MS;
	if (op->argc > i && strcmp(op->argv[i], "mode")) {
		ret = parse_number_arg(t, cmd, "TIMEOUT_MS", op->argv[i], 0, &op->n);
		if (ret)
			return ret;
		if (op->n > INT_MAX)
			return usage_error(t, cmd, "TIMEOUT_MS %s out of range (at most %d)",
					   op->argv[i], INT_MAX);
		i++;
	}
	if (op->argc > i) {
		if (strcmp(op->argv[i], "mode") || op->argc != i + 2)
			return usage_error(t, cmd, "expected 'mode intx' or 'mode msi' after "
					   "TIMEOUT_MS");
		if (!strcmp(op->argv[i + 1], "intx"))
			mode = PHYS_IRQ_INTX;
		else if (!strcmp(op->argv[i + 1], "msi"))
			mode = PHYS_IRQ_MSI;
		else
			return usage_error(t, cmd, "unknown mode '%s': intx or msi",
					   op->argv[i + 1]);
	}
	ret = window_name(t, cmd, op->argv[1], window);
	if (ret)
		return ret;
	/* one mode a device while its interrupt is open: for the whole run */
	l = irq_find(t, window);
	if (l && mode != PHYS_IRQ_AUTO) {
		if (l->irq && phys_irq_mode(l->irq) != mode) {
			out_error(t, "%s %s: mode %s: its interrupt is open in %s mode", cmd->name,
				  op->argv[1], mode_name(mode), mode_name(phys_irq_mode(l->irq)));
			return DMT_FAILED;
		}
		if (!l->irq && l->mode != PHYS_IRQ_AUTO && l->mode != mode) {
			out_error(t, "%s %s: mode %s: an irqwait before it asks for %s; a device's "
				  "interrupt is opened in one mode", cmd->name, op->argv[1],
				  mode_name(mode), mode_name(l->mode));
			return DMT_FAILED;
		}
		l->mode = mode;
	}
	if (!l) {
		l = calloc(1, sizeof(*l));
		nl = l ? realloc(t->irqs, (t->nirqs + 1) * sizeof(*nl)) : NULL;
		if (nl)
			t->irqs = nl;
		if (!nl || !(l->window = strdup(window))) {
			free(l);
			out_error(t, "out of memory");
			return DMT_FAILED;
		}
		l->mode = mode;
		t->irqs[t->nirqs++] = l;
	}
	op->data = l;
	op->kind = (int)mode;
	return 0;
}

static int irq_open(struct dmt *t, struct irqline *l)
{
	l->irq = phys_irq_open(t->ctx, l->window, l->mode);
	return l->irq ? 0 : -(errno ? errno : EIO);
}

int irqs_open(struct dmt *t, const struct program *p)
{
	int status = 0;

	if (t->dry_run)
		return 0;
	for (size_t i = 0; i < p->nops; i++) {
		const struct op *op = &p->ops[i];
		struct irqline *l = op->data;
		int ret;

		if (op->cmd->exec != exec_irqwait || l->irq || l->tried)
			continue;
		l->tried = true;
		ret = irq_open(t, l);
		/* with --keep-going the lines run, and each irqwait says it */
		if (ret && !t->keep_going) {
			t->pos = op->pos;
			out_error(t, "%s %s: %s", op->cmd->name, op->argv[1], errno_reason(t, ret));
			t->pos = (struct source_pos){ 0 };
			status = DMT_FAILED;
			break;
		}
	}
	for (size_t i = 0; i < t->nirqs; i++)
		t->irqs[i]->tried = false;
	return status;
}

int exec_irqwait(struct dmt *t, const struct op *op)
{
	struct irqline *l = op->data;
	uint64_t start, spent, elapsed;
	uint32_t count = 0;
	int ret;

	if (t->dry_run) {
		out_dry(t, op->cmd->name, NULL, "%s: wait for its interrupt%s%s, at most %" PRIu64
			" ms", op->argv[1], op->kind != PHYS_IRQ_AUTO ? " in mode " : "",
			op->kind != PHYS_IRQ_AUTO ? mode_name((enum phys_irq_mode)op->kind) : "",
			op->n);
		return 0;
	}
	if (!l->irq && (ret = irq_open(t, l)))
		return say_failed(t, op->cmd, op->argv[1], errno_reason(t, ret));
	/* in slices, so that Ctrl-C stops a long wait within one: the
	 * device's count keeps what comes between two */
	start = now_us();
	for (;;) {
		uint64_t left;

		spent = (now_us() - start) / 1000;
		left = op->n > spent ? op->n - spent : 0;
		ret = phys_irq_wait(l->irq, left < IRQ_SLICE_MS ? (int)left : IRQ_SLICE_MS,
				    &count);
		if (dmt_interrupted)
			return DMT_INTERRUPTED;
		if (ret == -EINTR)
			continue;
		if (ret != -ETIMEDOUT || left <= IRQ_SLICE_MS)
			break;
	}
	if (ret == -ETIMEDOUT) {
		out_error(t, "%s %s: no interrupt within %" PRIu64 " ms", op->cmd->name,
			  op->argv[1], op->n);
		return DMT_FAILED;
	}
	if (ret)
		return say_failed(t, op->cmd, op->argv[1], errno_reason(t, ret));
	elapsed = now_us() - start;
	if (t->json) {
		struct json_object *o = out_json_new(op->cmd->name);

		json_object_object_add(o, "window", json_object_new_string(l->window));
		json_object_object_add(o, "mode", json_object_new_string(
					       mode_name(phys_irq_mode(l->irq))));
		json_object_object_add(o, "count", json_object_new_uint64(count));
		json_object_object_add(o, "elapsed_us", json_object_new_uint64(elapsed));
		out_json(t, o);
	} else if (!t->quiet) {
		printf("%s: interrupt after %" PRIu64 ".%03" PRIu64 " ms (%s, count %" PRIu32 ")\n",
		       op->argv[1], elapsed / 1000, elapsed % 1000,
		       mode_name(phys_irq_mode(l->irq)), count);
	}
	return 0;
}

/* ---- the state a failed preparation puts back, and the end ------------ */

int dma_state_save(const struct dmt *t, struct maps_state *st)
{
	st->nbufs = t->nbufs;
	st->nirqs = t->nirqs;
	st->buf_live = malloc((t->nbufs + 1) * sizeof(*st->buf_live));
	st->irq_mode = malloc((t->nirqs + 1) * sizeof(*st->irq_mode));
	if (!st->buf_live || !st->irq_mode)
		return -ENOMEM;
	for (size_t i = 0; i < t->nbufs; i++)
		st->buf_live[i] = t->bufs[i]->live;
	for (size_t i = 0; i < t->nirqs; i++)
		st->irq_mode[i] = t->irqs[i]->mode;
	return 0;
}

void dma_state_restore(struct dmt *t, const struct maps_state *st)
{
	/* named by a program that never ran: never allocated, never opened */
	while (t->nbufs > st->nbufs)
		buf_destroy(t->bufs[--t->nbufs]);
	for (size_t i = 0; i < t->nbufs; i++)
		t->bufs[i]->live = st->buf_live[i];
	while (t->nirqs > st->nirqs) {
		struct irqline *l = t->irqs[--t->nirqs];

		phys_irq_close(l->irq);
		free(l->window);
		free(l);
	}
	for (size_t i = 0; i < t->nirqs; i++)
		t->irqs[i]->mode = st->irq_mode[i];
}

void dma_free_all(struct dmt *t)
{
	for (size_t i = 0; i < t->nbufs; i++)
		buf_destroy(t->bufs[i]);
	free(t->bufs);
	t->bufs = NULL;
	t->nbufs = 0;
	for (size_t i = 0; i < t->nirqs; i++) {
		phys_irq_close(t->irqs[i]->irq);
		free(t->irqs[i]->window);
		free(t->irqs[i]);
	}
	free(t->irqs);
	t->irqs = NULL;
	t->nirqs = 0;
}
