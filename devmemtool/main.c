// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devmemtool: read and write device registers and physical memory through
 * libphys, interactively, one command at a time, or from scripts.
 *
 * Mode: -f FILE runs scripts; COMMAND ARGS... runs one command; otherwise
 * a terminal on stdin gets the REPL and anything else is read as a script.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/capability.h>

#include <physmem-policy.h>

#include "devmemtool.h"

static void usage(FILE *out)
{
	fputs("Usage: devmemtool [OPTIONS] [COMMAND [ARG...]]\n"
	      "       devmemtool [OPTIONS] -f FILE [ARG...]   (ARGs are $1..$9)\n"
	      "\n"
	      "Read and write device registers and physical memory.\n"
	      "Without a command: a REPL on a terminal, else a script on stdin.\n"
	      "\n"
	      "Options:\n"
	      "  -f, --file FILE      run the commands in FILE ('-' = stdin)\n"
	      "  -k, --keep-going     in scripts, go on after a command that failed\n"
	      "                       as it ran (a script is checked whole first)\n"
	      "  -j, --json           one JSON object per result line\n"
	      "  -q, --quiet          print only the values read, one per line\n"
	      "                       (v=$(devmemtool -q r32 ADDR))\n"
	      "  -n, --dry-run        check as a run does, print the accesses that\n"
	      "                       would be made; touch nothing\n"
	      "      --confirm        ask on the terminal before each write (REPL,\n"
	      "                       one-shot and scripts; refused without a terminal)\n"
	      "      --readback       read back and show each written value\n"
	      "  -b, --backend NAME   auto (default) or one of the backends below\n"
	      "      --sysroot DIR    look up /sys, /proc and /dev under DIR\n"
	      "      --regmap MAP     use register map MAP (a file, or an installed\n"
	      "                       map's name) with absolute addresses: its\n"
	      "                       registers by name (UART0.CR); repeatable\n"
	      "      --force          past the register maps' access rules: write\n"
	      "                       read-only registers, read write-only ones and\n"
	      "                       those whose read has a side effect\n"
	      "      --complete WORD...\n"
	      "                       print the REPL's Tab candidates for the last\n"
	      "                       WORD of the line WORD... (shell completion)\n"
	      "  -h, --help           show this help\n"
	      "  -V, --version        show the version\n"
	      "\n"
	      "Backends (auto takes the first that serves the target):\n",
	      out);
	for (unsigned int i = 0; phys_backend_name(i); i++)
		fprintf(out, "  %-9s %s\n", phys_backend_name(i), phys_backend_help(i));
	fputs("\n"
	      "Environment: LIBPHYS_LOG=err|info|debug shows libphys's log on stderr\n"
	      "(info: which backend serves each target; debug: why not the others).\n"
	      "\n"
	      "Run 'devmemtool help' for the commands; see devmemtool(1).\n"
	      "Exit status: 0 success, 1 a command failed, 2 usage error, 130 interrupted.\n",
	      out);
}

/* LIBPHYS_LOG (read by phys_ctx_new()) asks for libphys's log: stderr. */
static void log_stderr(void *data, int priority, const char *msg)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
	};

	fprintf(stderr, "devmemtool: libphys %s: %s\n",
		priority >= 0 && priority < 8 ? names[priority] : "log", msg);
}

enum { OPT_CONFIRM = 256, OPT_READBACK, OPT_SYSROOT, OPT_REGMAP, OPT_FORCE, OPT_COMPLETE };

static const struct option long_options[] = {
	{ "file",	required_argument, NULL, 'f' },
	{ "keep-going",	no_argument,       NULL, 'k' },
	{ "json",	no_argument,       NULL, 'j' },
	{ "dry-run",	no_argument,       NULL, 'n' },
	{ "quiet",	no_argument,       NULL, 'q' },
	{ "confirm",	no_argument,       NULL, OPT_CONFIRM },
	{ "readback",	no_argument,       NULL, OPT_READBACK },
	{ "backend",	required_argument, NULL, 'b' },
	{ "sysroot",	required_argument, NULL, OPT_SYSROOT },
	{ "regmap",	required_argument, NULL, OPT_REGMAP },
	{ "force",	no_argument,       NULL, OPT_FORCE },
	{ "complete",	no_argument,       NULL, OPT_COMPLETE },
	{ "help",	no_argument,       NULL, 'h' },
	{ "version",	no_argument,       NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* A full disk or a closed pipe must not look like success. */
static int finish_stdout(int status)
{
	return pm_close_stdout("devmemtool", status, DMT_FAILED);
}

/*
 * Least privilege: keep CAP_SYS_RAWIO (open /dev/physmem, /dev/mem),
 * CAP_SYS_ADMIN (without it /proc/iomem reads as zeros, so iomem: targets
 * and the iomem command would fail) and CAP_DAC_READ_SEARCH (so that
 * `sudo devmemtool -f ~/bringup.dmt` still reads the user's scripts and
 * file: targets in a 0700 home; writing another user's file needs the
 * CAP_DAC_OVERRIDE that goes); drop the rest and clear the inheritable
 * and ambient sets so nothing started later inherits them.
 */
static void drop_capabilities(void)
{
	static const int keep[] = { CAP_SYS_RAWIO, CAP_SYS_ADMIN, CAP_DAC_READ_SEARCH };
	int ret = pol_cap_drop_except(keep, sizeof(keep) / sizeof(keep[0]));

	if (ret)
		fprintf(stderr, "devmemtool: warning: cannot drop capabilities: "
			"%s\n", strerror(-ret));
}

/*
 * Installed or linked as "devmem": busybox devmem's command line, so that
 * its scripts run unchanged: `devmem ADDR [WIDTH [VALUE]]` is
 * `devmemtool devmem ADDR [WIDTH [VALUE]]` (no options).
 */
static char **as_devmem(int *argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	char **nargv;

	base = base ? base + 1 : argv[0];
	if (strcmp(base, "devmem") || *argc > DMT_MAX_ARGS)
		return argv;
	nargv = calloc((size_t)*argc + 3, sizeof(*nargv));
	if (!nargv)
		return argv;
	nargv[0] = argv[0];
	nargv[1] = "--";
	nargv[2] = "devmem";
	memcpy(nargv + 3, argv + 1, (size_t)(*argc - 1) * sizeof(*nargv));
	*argc += 2;
	return nargv;
}

int main(int argc, char **argv)
{
	struct dmt t = { 0 };
	const char *files[16], *regmaps[16];
	int nregmaps = 0;
	const char *sysroot = NULL;
	int nfiles = 0, opt, status = DMT_OK;
	bool complete = false;

	argv = as_devmem(&argc, argv);

	while ((opt = getopt_long(argc, argv, "+f:kjnqb:hV", long_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (nfiles == (int)(sizeof(files) / sizeof(files[0]))) {
				fprintf(stderr, "devmemtool: too many -f options\n");
				return DMT_USAGE;
			}
			files[nfiles++] = optarg;
			break;
		case 'k': t.keep_going = true; break;
		case 'j': t.json = true; break;
		case 'n': t.dry_run = true; break;
		case 'q': t.quiet = true; break;
		case OPT_CONFIRM: t.confirm = true; break;
		case OPT_READBACK: t.readback = true; break;
		case 'b': t.backend = optarg; break;
		case OPT_SYSROOT: sysroot = optarg; break;
		case OPT_REGMAP:
			if (nregmaps == (int)(sizeof(regmaps) / sizeof(regmaps[0]))) {
				fprintf(stderr, "devmemtool: too many --regmap options\n");
				return DMT_USAGE;
			}
			regmaps[nregmaps++] = optarg;
			break;
		case OPT_FORCE: t.force = true; break;
		case OPT_COMPLETE: complete = true; break;
		case 'h':
			usage(stdout);
			return finish_stdout(DMT_OK);
		case 'V':
			printf("devmemtool %s (libphys %s)\n", VERSION,
			       phys_version());
			return finish_stdout(DMT_OK);
		default:
			fprintf(stderr, "Try 'devmemtool --help' for more "
				"information.\n");
			return DMT_USAGE;
		}
	}
	/* After -f FILE, the rest are the script's arguments: $1.. */
	if (nfiles && argc - optind > 9) {
		fprintf(stderr, "devmemtool: a script takes at most 9 arguments ($1..$9)\n");
		return DMT_USAGE;
	}
	if (nfiles) {
		t.args = argv + optind;
		t.nargs = argc - optind;
	}
	/* Without a terminal to ask on, no write could be confirmed. */
	if (t.confirm && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "devmemtool: --confirm asks on the terminal, and "
			"standard input is not one\n");
		return DMT_USAGE;
	}

	drop_capabilities();
	t.ctx = phys_ctx_new();
	if (!t.ctx) {
		fprintf(stderr, "devmemtool: cannot start libphys: %s\n",
			strerror(errno));
		return DMT_FAILED;
	}
	if (getenv("LIBPHYS_LOG"))
		phys_ctx_set_log_fn(t.ctx, log_stderr, NULL);
	if (t.backend && phys_ctx_set_backend(t.ctx, t.backend)) {
		fprintf(stderr, "devmemtool: --backend %s: %s\n", t.backend,
			errno_reason(&t, -EINVAL));
		phys_ctx_free(t.ctx);
		return DMT_USAGE;
	}
	if (sysroot && phys_ctx_set_sysroot(t.ctx, sysroot)) {
		fprintf(stderr, "devmemtool: --sysroot %s: %s\n", sysroot,
			errno_reason(&t, -EINVAL));
		phys_ctx_free(t.ctx);
		return DMT_USAGE;
	}

	for (int i = 0; i < nregmaps; i++) {
		char why[PM_ERRMSG_MAX + 256];

		if (regmap_use(&t, regmaps[i], NULL, NULL, why, sizeof(why))) {
			fprintf(stderr, "devmemtool: --regmap %s: %s\n", regmaps[i], why);
			regmaps_free(&t, 0);
			phys_ctx_free(t.ctx);
			return DMT_USAGE;
		}
	}

	if (nfiles || optind < argc || !isatty(STDIN_FILENO))
		interrupt_setup();
	if (complete) {
		/* the words after the options: a REPL line, completed as Tab does */
		status = repl_complete(&t, argc - optind, argv + optind);
	} else if (nfiles) {
		status = run_files(&t, files, nfiles);
	} else if (optind < argc) {
		if (argc - optind > DMT_MAX_ARGS) {
			fprintf(stderr, "devmemtool: too many arguments\n");
			status = DMT_USAGE;
		} else {
			status = run_argv(&t, argc - optind, argv + optind);
		}
	} else if (isatty(STDIN_FILENO)) {
		status = repl_run(&t);
	} else {
		const char *in[] = { NULL };	/* standard input */

		status = run_files(&t, in, 1);
	}

	maps_free(&t);
	consts_free(&t);
	phys_ctx_free(t.ctx);
	return finish_stdout(status);
}
