// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Scripts: one command per line, '#' comments (so a "#!" line works), the
 * first failure stops the run with FILE:LINE: message unless --keep-going.
 * Any failure in a script, bad arguments included, exits 1: 2 is kept for
 * a bad command line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devmemtool.h"

int run_line(struct dmt *t, char *line)
{
	char *argv[DMT_MAX_ARGS];
	int argc = tokenize(line, argv, DMT_MAX_ARGS);

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
	return command_run(t, argc, argv);
}

/*
 * Script text is text: the 1-based column of the first NUL or other
 * control byte but tab (and a CR just before the final LF) in the N bytes
 * of LINE, or 0. A NUL would cut the line short, so that a write would
 * silently lose its last value, or an expect its mask.
 */
static size_t bad_byte(const char *line, size_t n)
{
	size_t i;

	if (n && line[n - 1] == '\n')
		n--;
	if (n && line[n - 1] == '\r')
		n--;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return i + 1;
	}
	return 0;
}

/*
 * The whole text is read and checked before its first line runs, so that
 * a script that is not text touches nothing. Lines are kept as read, NUL
 * terminated, in one buffer.
 */
static int read_script(struct dmt *t, FILE *f, char **text, size_t *nlines)
{
	char *line = NULL, *buf = NULL, *grown;
	size_t cap = 0, used = 0, room = 0, col;
	ssize_t n;

	*nlines = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		t->pos.line = *nlines + 1;
		col = bad_byte(line, (size_t)n);
		if (col) {
			unsigned char c = (unsigned char)line[col - 1];

			out_error(t, "column %zu: control byte 0x%02x%s: a script is text", col, c,
				  c ? "" : " (NUL)");
			goto fail;
		}
		if (used + (size_t)n + 1 > room) {
			room = (used + (size_t)n + 1) * 2;
			grown = realloc(buf, room);
			if (!grown) {
				out_error(t, "out of memory");
				goto fail;
			}
			buf = grown;
		}
		memcpy(buf + used, line, (size_t)n + 1);
		used += (size_t)n + 1;
		(*nlines)++;
	}
	if (ferror(f)) {
		out_error(t, "read error: %s", strerror(errno));
		goto fail;
	}
	free(line);
	*text = buf;
	return 0;
fail:
	free(line);
	free(buf);
	return -1;
}

int run_stream(struct dmt *t, FILE *f, const char *name)
{
	struct source_pos saved = t->pos;
	int status = DMT_OK, ret;
	size_t nlines, i;
	char *text = NULL, *line;

	t->pos.file = name;
	t->pos.line = 0;
	if (read_script(t, f, &text, &nlines)) {
		t->pos = saved;
		return DMT_FAILED;
	}
	line = text;
	for (i = 0; i < nlines && !t->quit && !t->leave; i++) {
		char *next = line + strlen(line) + 1;

		t->pos.line = i + 1;
		ret = run_line(t, line);
		if (ret == DMT_INTERRUPTED || dmt_interrupted) {
			/* said once, at the innermost line, and never gone past */
			if (!t->interrupt_told)
				out_error(t, "interrupted");
			t->interrupt_told = true;
			status = DMT_INTERRUPTED;
			break;
		}
		if (ret) {
			status = DMT_FAILED;
			if (!t->keep_going)
				break;
		}
		line = next;
	}
	t->leave = false;
	free(text);
	t->pos = saved;
	return status;
}

int run_file(struct dmt *t, const char *path)
{
	FILE *f;
	int ret;

	if (strcmp(path, "-") == 0)
		return run_stream(t, stdin, "-");
	f = fopen(path, "re");
	if (!f) {
		out_error(t, "%s: %s", path, strerror(errno));
		return DMT_FAILED;
	}
	t->depth++;
	ret = run_stream(t, f, path);
	t->depth--;
	fclose(f);
	return ret;
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

