/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devmemtool internals: the state shared by the command table, the script
 * runner, the REPL and the output layer. Not installed.
 */
#ifndef DEVMEMTOOL_H
#define DEVMEMTOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libphys.h>
#include <physmem-common.h>

/* Exit statuses (documented in devmemtool(1)). */
enum {
	DMT_OK = 0,
	DMT_FAILED = 1,		/* a command failed */
	DMT_USAGE = 2,		/* bad invocation or bad arguments */
	DMT_INTERRUPTED = 130,	/* Ctrl-C (SIGINT), as a shell reports it */
};

/*
 * Set by the SIGINT handler while a command runs: long commands (sleep,
 * poll, dump) stop at their next step and return DMT_INTERRUPTED without
 * a message; whoever runs the line says "interrupted" once (with FILE:LINE
 * in a script) and clears it.
 */
#include <signal.h>
extern volatile sig_atomic_t dmt_interrupted;
void interrupt_setup(void);

#define DMT_MAX_ARGS	64	/* tokens per line, command included */
#define DMT_MAX_DEPTH	16	/* nesting of `source` */

struct dmt;
struct command;

typedef int (*command_fn)(struct dmt *t, const struct command *cmd,
			  int argc, char **argv);

/* The one table behind dispatch, scripts, the REPL, help and completion. */
struct command {
	const char *name;
	command_fn fn;
	int min_args;		/* arguments after the name */
	int max_args;		/* -1: unlimited */
	const char *usage;	/* arguments, e.g. "ADDR [COUNT]" */
	const char *help;	/* one line */
	unsigned int width;	/* access width in bytes for r32 & co, else 0 */
};

/* One open mapping, kept across commands so scripts do not remap. */
struct mapping {
	char *key;		/* target text it was opened with */
	struct phys_map *map;
	uint64_t phys;		/* physical start (valid if has_phys) */
	uint64_t size;
	bool has_phys;		/* a real physical address (not a file) */
	bool by_address;	/* opened for a bare physical address */
};

/* A name given with `map TARGET as NAME`. */
struct alias {
	char *name;
	struct mapping *m;
};

/* An address resolved to a mapping and an offset into it. */
struct location {
	struct mapping *m;
	const char *name;	/* how the user named the mapping */
	uint64_t off;
};

/* Where the command being run came from, for FILE:LINE messages. */
struct source_pos {
	const char *file;	/* NULL: command line or REPL */
	unsigned long line;
};

struct dmt {
	struct phys_ctx *ctx;

	bool json, dry_run, confirm, readback, keep_going;
	bool quiet;		/* -q: the values read, nothing else */
	bool leave;		/* quit: end the script being run */
	bool interrupt_told;	/* "interrupted" was said for this Ctrl-C */
	bool interactive;	/* the REPL is reading commands */
	bool quit;		/* `quit` was run */
	const char *backend;

	struct source_pos pos;
	int depth;		/* `source` nesting */

	struct mapping **maps;
	size_t nmaps;
	struct alias *aliases;
	size_t naliases;

	/* Fast path: the last address text and what it resolved to. */
	char last_addr[128];
	struct location last_loc;
	struct mapping *last_map;	/* last mapping used for a bare address */
};

/* commands.c */
extern const struct command dmt_commands[];
extern const size_t dmt_ncommands;
const struct command *command_find(const char *name);
int command_run(struct dmt *t, int argc, char **argv);
int usage_error(struct dmt *t, const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* cmd-access.c, cmd-bulk.c, cmd-info.c, cmd-flow.c */
int cmd_read(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_write(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_set(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_clear(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_update(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_poll(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_expect(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_dump(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_fill(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_copy(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_cmp(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_map(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_windows(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_pci(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_iomem(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_info(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_sleep(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_echo(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_source(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_help(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_quit(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_exit(struct dmt *t, const struct command *cmd, int argc, char **argv);
int cmd_devmem(struct dmt *t, const struct command *cmd, int argc, char **argv);

/* parse.c */
int parse_number_arg(struct dmt *t, const struct command *cmd, const char *what,
		     const char *s, unsigned int width, uint64_t *val);
int parse_width(const char *s, unsigned int *width);
int tokenize(char *line, char **argv, int max);
bool fits_width(uint64_t val, unsigned int width);
uint64_t width_mask(unsigned int width);

/* target.c */
int resolve(struct dmt *t, const struct command *cmd, const char *addr,
	    uint64_t len, struct location *loc);
int mapping_open(struct dmt *t, const char *target, struct mapping **out);
int alias_add(struct dmt *t, const char *name, struct mapping *m);
const struct alias *alias_find(const struct dmt *t, const char *name);
void maps_free(struct dmt *t);
void loc_format(const struct location *loc, char *buf, size_t size);

/* script.c */
int run_line(struct dmt *t, char *line);
int run_stream(struct dmt *t, FILE *f, const char *name);
int run_file(struct dmt *t, const char *path);

/* repl.c */
int repl_run(struct dmt *t);
bool repl_confirm(struct dmt *t, const char *question);

/* output.c */
void out_error(struct dmt *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void out_value(struct dmt *t, const char *cmd, const struct location *loc,
	       unsigned int width, uint64_t val);
void out_note(struct dmt *t, const char *cmd, const struct location *loc,
	      unsigned int width, uint64_t val, const char *note);
void out_write(struct dmt *t, const char *cmd, const struct location *loc,
	       unsigned int width, uint64_t val, bool have_readback,
	       uint64_t readback);
void out_rmw(struct dmt *t, const char *cmd, const struct location *loc,
	     unsigned int width, uint64_t old, uint64_t new_val);
void out_dry(struct dmt *t, const char *cmd, const struct location *loc,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void out_dump_line(struct dmt *t, const struct location *loc, uint64_t off,
		   const uint8_t *bytes, size_t n, unsigned int width);
void out_dump_repeat(struct dmt *t);
void out_text(struct dmt *t, const char *cmd, const char *text);
struct json_object;
struct json_object *out_json_new(const char *cmd);
void out_json(struct dmt *t, struct json_object *obj);
const char *errno_reason(struct dmt *t, int err);
/* "CMD ADDR: why" for a failed access; DMT_FAILED. */
int access_failed(struct dmt *t, const struct command *cmd, const char *addr, int err);
/*
 * A dry run refuses what the run would: the checks of an access of LEN
 * bytes in W-byte units at LOC (libphys's own), without it. 0 or
 * access_failed().
 */
int dry_check(struct dmt *t, const struct command *cmd, const char *addr,
	      const struct location *loc, uint64_t len, unsigned int w, bool write);

#endif /* DEVMEMTOOL_H */
