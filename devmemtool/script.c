// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Scripts: one command per line, '#' comments (so a "#!" line works), the
 * first failure stops the run with FILE:LINE: message unless --keep-going.
 * Any failure in a script, bad arguments included, exits 1: 2 is kept for
 * a bad command line.
 */
#include <errno.h>
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

int run_stream(struct dmt *t, FILE *f, const char *name)
{
	struct source_pos saved = t->pos;
	char *line = NULL;
	size_t cap = 0;
	bool failed = false;

	t->pos.file = name;
	t->pos.line = 0;
	while (!t->quit && getline(&line, &cap, f) >= 0) {
		t->pos.line++;
		if (run_line(t, line)) {
			failed = true;
			if (!t->keep_going)
				break;
		}
	}
	if (!failed && ferror(f)) {
		out_error(t, "read error: %s", strerror(errno));
		failed = true;
	}
	free(line);
	t->pos = saved;
	return failed ? DMT_FAILED : DMT_OK;
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
