// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Prepare whole, then run. Every line of a script (and of every file it
 * sources) is parsed, resolved and checked (prep) before the first line
 * runs (exec): a typo on line 400 is found before line 1 touches the
 * device. Errors are reported as FILE:LINE: message, all of them, and
 * then nothing runs. Scripts: one command per line, '#' comments (so a
 * "#!" line works); at run time the first failure stops the run unless
 * --keep-going. Any failure in a script, bad arguments included, exits 1:
 * 2 is kept for a bad command line.
 */
#include <errno.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devmemtool.h"

/* ---- the program's memory: words, values, script text ---------------- */

#define CHUNK_MIN	(64 * 1024)

struct chunk {
	struct chunk *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

void *prog_alloc(struct program *p, size_t size)
{
	struct chunk *c = p->chunks;
	size_t at;

	size = (size + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
	if (!c || c->size - c->used < size) {
		size_t n = size > CHUNK_MIN ? size : CHUNK_MIN;

		c = malloc(sizeof(*c) + n);
		if (!c)
			return NULL;
		c->size = n;
		c->used = 0;
		c->next = p->chunks;
		p->chunks = c;
	}
	at = c->used;
	c->used += size;
	return c->data + at;
}

static char *prog_strdup(struct program *p, const char *s, size_t n)
{
	char *d = prog_alloc(p, n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void program_free(struct program *p)
{
	struct chunk *c = p->chunks, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	free(p->ops);
	memset(p, 0, sizeof(*p));
}

/*
 * A new op at the end of P, zeroed, or NULL. Its address holds only
 * until the next op_new(): a prep that prepares more lines (source) must
 * not touch its op afterwards.
 */
static struct op *op_new(struct program *p)
{
	struct op *op;

	if (p->nops == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct op *ops = realloc(p->ops, cap * sizeof(*ops));

		if (!ops)
			return NULL;
		p->ops = ops;
		p->cap = cap;
	}
	op = &p->ops[p->nops++];
	memset(op, 0, sizeof(*op));
	return op;
}

/* ---- prepare ----------------------------------------------------------- */

/*
 * ARGV[0..ARGC) (kept alive by the caller) as an op of t->prog, at t->pos.
 * A line that fails stays in the program: a program with an error never
 * runs.
 */
static int prepare_words(struct dmt *t, int argc, char **argv)
{
	const struct command *cmd = command_find(argv[0]);
	int nargs = argc - 1;
	char **words;
	struct op *op;

	if (!cmd) {
		out_error(t, "%s: unknown command (try 'help')", argv[0]);
		return DMT_USAGE;
	}
	if (nargs < cmd->min_args)
		return usage_error(t, cmd, "missing argument");
	if (cmd->max_args >= 0 && nargs > cmd->max_args)
		return usage_error(t, cmd, "too many arguments");
	words = prog_alloc(t->prog, ((size_t)argc + 1) * sizeof(*words));
	op = words ? op_new(t->prog) : NULL;
	if (!op) {
		out_error(t, "out of memory");
		return DMT_FAILED;
	}
	memcpy(words, argv, (size_t)argc * sizeof(*words));
	words[argc] = NULL;
	op->cmd = cmd;
	op->pos = t->pos;
	op->argc = argc;
	op->argv = words;
	op->width = cmd->width;
	return cmd->prep ? cmd->prep(t, op) : 0;
}

#define NOT_TEXT	(-1)	/* prepare_line: stop reading this file */

static int not_text(struct dmt *t, size_t col, unsigned char c)
{
	out_error(t, "column %zu: control byte 0x%02x%s: a script is text", col + 1,
		  c, c ? "" : " (NUL)");
	return NOT_TEXT;
}

/* LINE, in memory that lives as long as t->prog. */
static int prepare_line(struct dmt *t, char *line)
{
	char *argv[DMT_MAX_ARGS];
	size_t bad = 0;
	bool has_dollar = strchr(line, '$') != NULL;	/* before tokenize() cuts it */
	int argc = tokenize(line, argv, DMT_MAX_ARGS, &bad);

	if (argc == -EILSEQ)
		return not_text(t, bad, (unsigned char)line[bad]);
	if (argc == -EINVAL) {
		out_error(t, "unterminated quote");
		return DMT_USAGE;
	}
	if (argc < 0) {
		out_error(t, "more than %d words on one line", DMT_MAX_ARGS);
		return DMT_USAGE;
	}
	if (argc == 0)
		return 0;
	for (int i = 0; i < argc && has_dollar; i++) {
		argv[i] = expand_args(t, argv[i]);
		if (!argv[i])
			return DMT_USAGE;
	}
	return prepare_words(t, argc, argv);
}

/* The `quit`s prepared since op FIRST, not yet given an end, end here. */
static void end_level(struct program *p, size_t first)
{
	for (size_t i = first; i < p->nops; i++)
		if (p->ops[i].cmd->exec == exec_quit && p->ops[i].end == SIZE_MAX)
			p->ops[i].end = p->nops;
}

/*
 * All of F, in the program's memory, NUL-terminated; *LEN its length.
 * Read whole before any line is prepared, so that standard input works
 * as a script too.
 */
static char *read_all(struct dmt *t, FILE *f, size_t *len)
{
	size_t cap = 64 * 1024, n = 0, got;
	char *buf = malloc(cap), *grown, *kept;

	if (!buf)
		goto nomem;
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n - 1 == 0) {
			grown = realloc(buf, cap * 2);
			if (!grown)
				goto nomem;
			buf = grown;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		out_error(t, "read error: %s", strerror(errno));
		free(buf);
		return NULL;
	}
	kept = prog_alloc(t->prog, n + 1);
	if (!kept)
		goto nomem;
	memcpy(kept, buf, n);
	kept[n] = '\0';
	free(buf);
	*len = n;
	return kept;
nomem:
	free(buf);
	out_error(t, "out of memory");
	return NULL;
}

/*
 * The script in F, named NAME in messages: read whole, checked to be
 * text, then each line prepared, all of them even after an error.
 */
static int prepare_stream(struct dmt *t, FILE *f, const char *name)
{
	struct source_pos saved = t->pos;
	size_t len, first = t->prog->nops;
	char *text, *line, *end;
	int errors = 0, ret = 0;

	t->pos.file = prog_strdup(t->prog, name, strlen(name));
	t->pos.line = 0;
	if (!t->pos.file || !(text = read_all(t, f, &len))) {
		t->pos = saved;
		return DMT_FAILED;
	}
	/*
	 * Script text is text: a NUL would cut a line short, so that a write
	 * would silently lose its last value, or an expect its mask; the
	 * other control bytes (but tab, and a CR before the LF) tokenize()
	 * refuses. The first line that is not text ends the file's
	 * preparation: a binary file gives one error, not thousands.
	 */
	for (line = text; line < text + len && ret != NOT_TEXT && !t->prepare_stop;
	     line = end + 1) {
		size_t n;
		char *nul;

		end = memchr(line, '\n', (size_t)(text + len - line));
		if (!end)
			end = text + len;
		n = (size_t)(end - line);
		*end = '\0';
		t->pos.line++;
		nul = memchr(line, '\0', n);
		if (nul) {
			ret = not_text(t, (size_t)(nul - line), 0);
		} else {
			if (n && line[n - 1] == '\r')
				line[n - 1] = '\0';
			ret = prepare_line(t, line);
		}
		if (ret)
			errors++;
		if (dmt_interrupted)
			t->prepare_stop = true;
	}
	end_level(t->prog, first);
	t->pos = saved;
	return errors ? DMT_FAILED : 0;
}

int prepare_file(struct dmt *t, const char *path)
{
	FILE *f;
	int ret;

	if (strcmp(path, "-") == 0)
		return prepare_stream(t, stdin, "-");
	f = fopen(path, "re");
	if (!f) {
		out_error(t, "%s: %s", path, strerror(errno));
		return DMT_FAILED;
	}
	t->depth++;
	ret = prepare_stream(t, f, path);
	t->depth--;
	fclose(f);
	return ret;
}

/* ---- run --------------------------------------------------------------- */

/*
 * What only the run knows, just before OP runs: the values with a DMA
 * buffer's bus address in them, and that its buffers were allocated.
 */
static int run_checks(struct dmt *t, struct op *op)
{
	if (t->dry_run || (!op->nlate && !(op->loc.m && op->loc.m->buf) &&
			   !(op->loc2.m && op->loc2.m->buf)))
		return 0;
	return op_run_checks(t, op);
}

static int program_run(struct dmt *t, struct program *p)
{
	int status = DMT_OK, ret;

	/* the interrupts irqwait waits for: open before the first line runs,
	 * so that one a line before the irqwait causes is counted */
	if (irqs_open(t, p))
		return DMT_FAILED;
	for (size_t i = 0; i < p->nops && !t->quit; i++) {
		const struct op *op = &p->ops[i];

		t->pos = op->pos;
		/* Ctrl-C between two lines: the next one does not start */
		ret = dmt_interrupted ? DMT_INTERRUPTED : run_checks(t, &p->ops[i]);
		if (!ret)
			ret = op->cmd->exec(t, op);
		if (ret == DMT_INTERRUPTED || dmt_interrupted) {
			/* said once, where it stopped, and never gone past */
			if (t->interrupt_told)
				;
			else if (op->pos.file || t->interactive)
				out_error(t, "interrupted");
			else
				out_error(t, "%s: interrupted", op->argv[0]);
			t->interrupt_told = true;
			status = DMT_INTERRUPTED;
			break;
		}
		if (ret) {
			status = op->pos.file ? DMT_FAILED : ret;
			if (!t->keep_going)
				break;
		}
		if (t->leave) {
			t->leave = false;
			i = op->end - 1;
		}
	}
	t->pos = (struct source_pos){ 0 };
	return status;
}

/* Prepare with FN(T, ARG); then, if every line was fine, run. */
static int prepare_run(struct dmt *t, int (*fn)(struct dmt *, void *), void *arg)
{
	struct program prog = { 0 };
	struct maps_state saved;
	int ret;

	if (maps_save(t, &saved)) {
		out_error(t, "out of memory");
		return DMT_FAILED;
	}
	t->prog = &prog;
	t->consts_before = t->nconsts;
	t->prepare_stop = false;
	ret = fn(t, arg);
	end_level(&prog, 0);
	t->prog = NULL;
	/* Ctrl-C while the script was prepared: nothing runs */
	if (!ret && dmt_interrupted) {
		out_error(t, "interrupted before the first line ran");
		t->interrupt_told = true;
		ret = DMT_INTERRUPTED;
	}
	if (ret) {	/* it never ran: its names and constants were never there */
		consts_drop(t, t->consts_before);
		maps_restore(t, &saved);
	} else {
		consts_commit(t);
		ret = program_run(t, &prog);
	}
	maps_state_free(&saved);
	program_free(&prog);
	return ret;
}

static int prep_line_cb(struct dmt *t, void *line)
{
	/* readline's buffer: the program keeps its own copy of the words */
	char *copy = prog_strdup(t->prog, line, strlen(line));

	if (!copy) {
		out_error(t, "out of memory");
		return DMT_FAILED;
	}
	return prepare_line(t, copy);
}

/* One REPL line. */
int run_line(struct dmt *t, char *line)
{
	return prepare_run(t, prep_line_cb, line);
}

struct words {
	int argc;
	char **argv;
};

static int prep_argv_cb(struct dmt *t, void *arg)
{
	struct words *w = arg;

	return prepare_words(t, w->argc, w->argv);
}

/* A command given on devmemtool's command line. */
int run_argv(struct dmt *t, int argc, char **argv)
{
	struct words w = { argc, argv };

	return prepare_run(t, prep_argv_cb, &w);
}

struct files {
	const char *const *paths;
	int n;
};

static int prep_files_cb(struct dmt *t, void *arg)
{
	struct files *fs = arg;
	int status = 0;

	for (int i = 0; i < fs->n; i++) {
		/* standard input that is not a terminal, without -f */
		if (fs->paths[i] == NULL)
			status |= prepare_stream(t, stdin, "<stdin>");
		else
			status |= prepare_file(t, fs->paths[i]);
	}
	return status ? DMT_FAILED : 0;
}

/* Scripts: all of them prepared, then run in order. */
int run_files(struct dmt *t, const char *const *paths, int n)
{
	struct files fs = { paths, n };

	return prepare_run(t, prep_files_cb, &fs);
}

/* ---- Ctrl-C ------------------------------------------------------------ */

volatile sig_atomic_t dmt_interrupted;

static void on_interrupt(int sig)
{
	dmt_interrupted = 1;
}

/*
 * One-shot commands and scripts: Ctrl-C stops the running command at its
 * next step and the script there (exit 130), instead of killing the
 * process in the middle of an access. The REPL installs its own.
 */
void interrupt_setup(void)
{
	struct sigaction sa = { .sa_handler = on_interrupt };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

