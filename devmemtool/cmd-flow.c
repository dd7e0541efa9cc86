// SPDX-License-Identifier: GPL-2.0-or-later
/* Script flow and the tool itself: sleep, echo, source, help, quit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "devmemtool.h"

int prep_sleep(struct dmt *t, struct op *op)
{
	int ret = parse_number_arg(t, op->cmd, "MS", op->argv[1], 0, &op->n);

	if (ret)
		return ret;
	if (op->n > 24ULL * 3600 * 1000)
		return usage_error(t, op->cmd, "MS %s is more than a day", op->argv[1]);
	return 0;
}

int exec_sleep(struct dmt *t, const struct op *op)
{
	struct timespec ts;
	uint64_t ms = op->n;

	/* A dry run of a bring-up script should not take as long as the real one. */
	if (t->dry_run)
		return 0;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		if (dmt_interrupted)
			return DMT_INTERRUPTED;
	return 0;
}

int exec_echo(struct dmt *t, const struct op *op)
{
	int argc = op->argc;
	char **argv = op->argv;
	char text[4096];
	size_t n = 0;

	text[0] = '\0';
	for (int i = 1; i < argc; i++) {
		int k = snprintf(text + n, sizeof(text) - n, "%s%s",
				 i > 1 ? " " : "", argv[i]);

		if (k < 0 || (size_t)k >= sizeof(text) - n)
			break;
		n += (size_t)k;
	}
	out_text(t, op->cmd->name, text);
	return 0;
}

/*
 * PATH as a script line means it (source, load, save): inside a script a
 * relative path is relative to that script's directory, so a bring-up
 * script can use its neighbours from anywhere. In the program's memory,
 * or NULL (said why).
 */
const char *script_path(struct dmt *t, const struct op *op, const char *path)
{
	const char *slash, *file = op->pos.file;
	char *out;
	int n;

	if (path[0] == '/' || !file || strcmp(file, "-") == 0 ||
	    !(slash = strrchr(file, '/')))
		return path;
	n = snprintf(NULL, 0, "%.*s/%s", (int)(slash - file), file, path);
	out = n < 0 ? NULL : prog_alloc(t->prog, (size_t)n + 1);
	if (!out) {
		out_error(t, "%s %s: out of memory", op->cmd->name, path);
		return NULL;
	}
	snprintf(out, (size_t)n + 1, "%.*s/%s", (int)(slash - file), file, path);
	return out;
}

int prep_source(struct dmt *t, struct op *op)
{
	const char *path;

	if (t->depth >= DMT_MAX_DEPTH) {
		/* said once: a file sourcing itself would say it 2^16 times */
		out_error(t, "%s %s: nested more than %d deep", op->cmd->name,
			  op->argv[1], DMT_MAX_DEPTH);
		t->prepare_stop = true;
		return DMT_FAILED;
	}
	path = script_path(t, op, op->argv[1]);
	return path ? prepare_file(t, path) : DMT_FAILED;
}

/* Its lines were prepared in its place: they run after it. */
int exec_source(struct dmt *t, const struct op *op)
{
	return 0;
}

/* One line of help, whatever its length (a fixed buffer would cut it). */
static void help_line(struct dmt *t, const char *name, const char *usage, const char *help)
{
	char *line;

	if (help ? asprintf(&line, "  %-8s %-30s %s", name, usage, help) < 0
		 : asprintf(&line, "  %-8s %s", name, usage) < 0) {
		out_text(t, "help", name);
		return;
	}
	out_text(t, "help", line);
	free(line);
}

static void help_one(struct dmt *t, const struct command *c)
{
	/* a long usage gets its line, the text the next, in its column */
	if (strlen(c->usage) > 30 && !t->json) {
		help_line(t, c->name, c->usage, NULL);
		help_line(t, "", "", c->help);
	} else {
		help_line(t, c->name, c->usage, c->help);
	}
}

int prep_help(struct dmt *t, struct op *op)
{
	if (op->argc > 1 && !command_find(op->argv[1])) {
		out_error(t, "%s: no command '%s' (try 'help')", op->cmd->name,
			  op->argv[1]);
		return DMT_USAGE;
	}
	return 0;
}

int exec_help(struct dmt *t, const struct op *op)
{
	const struct command *c;
	char line[256];

	if (op->argc > 1) {
		c = command_find(op->argv[1]);
		snprintf(line, sizeof(line), "usage: %s%s%s", c->name,
			 *c->usage ? " " : "", c->usage);
		out_text(t, "help", line);
		snprintf(line, sizeof(line), "  %s", c->help);
		out_text(t, "help", line);
		if (c->width || c->exec == exec_read || c->exec == exec_dump) {
			out_text(t, "help", "  ADDR: physical address, NAME+OFFSET of a "
				 "window or 'map ... as NAME', or a target");
			out_text(t, "help", "        (pci:VVVV:DDDD/barN, "
				 "pci:DOMAIN:BUS:DEV.FN/barN, iomem:\"LABEL\", "
				 "file:PATH)");
			out_text(t, "help", "  numbers: decimal, 0x hex, 0b binary, '_' between "
				 "digits, no leading 0 (010 is refused)");
			out_text(t, "help", "  addresses, offsets and lengths may end in K, M or G");
			out_text(t, "help", "  expressions: constants, ( ), ~ * / % + - << >> & ^ | "
				 "(edu+0x10*2, 1<<3); $1..$9: script arguments");
		}
		return 0;
	}
	out_text(t, "help", "commands (help COMMAND for details):");
	for (size_t i = 0; i < dmt_ncommands; i++)
		help_one(t, &dmt_commands[i]);
	return 0;
}

/*
 * In a script, the end of that script (a sourced one returns to its
 * caller); elsewhere, of devmemtool. Its script's end is known once the
 * script is prepared (program.c sets op->end).
 */
int prep_quit(struct dmt *t, struct op *op)
{
	op->end = SIZE_MAX;
	return 0;
}

int exec_quit(struct dmt *t, const struct op *op)
{
	if (op->pos.file)
		t->leave = true;
	else
		t->quit = true;
	return 0;
}

/* The end of devmemtool, from any depth. */
int exec_exit(struct dmt *t, const struct op *op)
{
	t->quit = true;
	return 0;
}
