// SPDX-License-Identifier: GPL-2.0-or-later
/* Script flow and the tool itself: sleep, echo, source, help, quit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "devmemtool.h"

int cmd_sleep(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	struct timespec ts;
	uint64_t ms;
	int ret;

	ret = parse_number_arg(t, cmd, "MS", argv[1], 0, &ms);
	if (ret)
		return ret;
	if (ms > 24ULL * 3600 * 1000)
		return usage_error(t, cmd, "MS %s is more than a day", argv[1]);
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

int cmd_echo(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
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
	out_text(t, cmd->name, text);
	return 0;
}

/*
 * Inside a script, a relative path is relative to that script's directory,
 * so a bring-up script can source its neighbours from anywhere.
 */
int cmd_source(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	const char *path = argv[1];
	char buf[4096];
	const char *slash;

	if (t->depth >= DMT_MAX_DEPTH) {
		out_error(t, "%s %s: nested more than %d deep", cmd->name, path,
			  DMT_MAX_DEPTH);
		return DMT_FAILED;
	}
	if (path[0] != '/' && t->pos.file && strcmp(t->pos.file, "-") != 0 &&
	    (slash = strrchr(t->pos.file, '/'))) {
		int n = snprintf(buf, sizeof(buf), "%.*s/%s",
				 (int)(slash - t->pos.file), t->pos.file, path);

		if (n < 0 || (size_t)n >= sizeof(buf)) {
			out_error(t, "%s %s: path too long", cmd->name, path);
			return DMT_FAILED;
		}
		path = buf;
	}
	return run_file(t, path);
}

static void help_one(struct dmt *t, const struct command *c)
{
	char line[256];

	snprintf(line, sizeof(line), "  %-8s %-30s %s", c->name, c->usage,
		 c->help);
	out_text(t, "help", line);
}

int cmd_help(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	const struct command *c;
	char line[256];

	if (argc > 1) {
		c = command_find(argv[1]);
		if (!c) {
			out_error(t, "%s: no command '%s' (try 'help')",
				  cmd->name, argv[1]);
			return DMT_USAGE;
		}
		snprintf(line, sizeof(line), "usage: %s%s%s", c->name,
			 *c->usage ? " " : "", c->usage);
		out_text(t, "help", line);
		snprintf(line, sizeof(line), "  %s", c->help);
		out_text(t, "help", line);
		if (c->width || c->fn == cmd_read || c->fn == cmd_dump) {
			out_text(t, "help", "  ADDR: physical address, NAME+OFFSET of a "
				 "window or 'map ... as NAME', or a target");
			out_text(t, "help", "        (pci:VVVV:DDDD/barN, "
				 "pci:DOMAIN:BUS:DEV.FN/barN, iomem:\"LABEL\", "
				 "file:PATH)");
			out_text(t, "help", "  numbers: decimal, 0x hex, 0b binary, '_' between "
				 "digits, no leading 0 (010 is refused)");
			out_text(t, "help", "  addresses, offsets and lengths may end in K, M or G");
		}
		return 0;
	}
	out_text(t, "help", "commands (help COMMAND for details):");
	for (size_t i = 0; i < dmt_ncommands; i++)
		help_one(t, &dmt_commands[i]);
	return 0;
}

/* In a script, the end of that script (a sourced one returns to its
 * caller); elsewhere, of devmemtool. */
int cmd_quit(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	if (t->pos.file)	/* set while a script runs (run_stream) */
		t->leave = true;
	else
		t->quit = true;
	return 0;
}

/* The end of devmemtool, from any depth. */
int cmd_exit(struct dmt *t, const struct command *cmd, int argc, char **argv)
{
	t->quit = true;
	return 0;
}
