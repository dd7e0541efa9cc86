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
struct op;

/*
 * A line runs in two steps. prep parses its words, resolves its targets
 * and makes every check the access will meet (libphys's phys_check()),
 * touching nothing; a script is prepared whole before its first line
 * runs. exec then does the access, from what prep found. A dry run is
 * prep, then exec printing what it would do.
 */
typedef int (*prep_fn)(struct dmt *t, struct op *op);
typedef int (*exec_fn)(struct dmt *t, const struct op *op);

/* The one table behind dispatch, scripts, the REPL, help and completion. */
struct command {
	const char *name;
	prep_fn prep;		/* NULL: nothing to check before the run */
	exec_fn exec;
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
	uint64_t length;	/* as asked: 0 = all of the target */
	unsigned int flags;	/* PHYS_MAP_*, as opened */
	struct mapping *successor;	/* unmapped: the map of its target the
					 * lines after the unmap use */
	bool regmap_tried;	/* an installed map was looked for (regs.c) */
	struct dmabuf *buf;	/* a DMA buffer's memory (cmd-dma.c), else NULL */
};

/*
 * A DMA buffer (`buf alloc SIZE for WINDOW as NAME`, cmd-dma.c): named
 * when its line is prepared, allocated when it runs. Its memory is a
 * target (NAME[+OFF]) of SIZE rounded up to whole pages, known when
 * prepared; NAME.bus, its bus address, is known only when it runs.
 */
struct dmabuf {
	char *name;
	char *window;
	uint64_t size;		/* as asked */
	struct mapping m;	/* m.size: whole pages; m.map while allocated */
	struct phys_dma *dma;	/* allocated (the run), else NULL */
	bool live;		/* the name stands: allocated and not freed, as prepared */
	bool failed;		/* its allocation failed when it ran */
	char *freed_file;	/* where `buf free` took the name away (messages) */
	unsigned long freed_line;
};

/* A device's interrupt, opened once a run (irqwait, cmd-dma.c). */
struct irqline {
	char *window;
	enum phys_irq_mode mode;	/* asked by an irqwait; AUTO: none asked */
	struct phys_irq *irq;		/* open, kept open */
	bool tried;			/* opened (or tried) for the run starting */
};

/* A register map in use (regs.c). */
struct bound {
	struct phys_regmap *rm;
	char *prefix;		/* "" for an absolute map: UART0.CR */
	struct mapping *m;	/* bound to (NAME.REG), or NULL: absolute */
	uint64_t delta;		/* a register's address - delta = its offset in M */
	bool dead;		/* M was unmapped: its names no longer resolve */
	bool by_bar;		/* RM is a PCI BAR's (t->bars keeps it), bound
				 * for its names: for a physical access the
				 * BAR's own rules judge */
};

/* A register, or one of its fields, of a map in use. */
struct regref {
	const struct bound *b;
	size_t reg;
	int field;		/* -1: the whole register */
	unsigned int width;	/* the register's, in bytes */
};

/* A PCI memory BAR and the map its device's ID chose (regs.c): its
 * rules hold for every access to its bytes, whatever mapping reaches
 * them and wherever it starts. */
struct bar_rules {
	uint64_t addr, size;
	uint16_t vendor, device;
	int bar;
	bool tried;		/* the map was looked for */
	struct bound b;		/* b.rm: the map, or NULL; prefix "" */
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

/*
 * A value known only when its line runs: an expression with a DMA
 * buffer's bus address in it (w64 dev+0x80 b.bus+0x100). Worked out just
 * before the line runs, checked against WIDTH, stored, then FIX (if any)
 * makes the checks the line's prep made with the value.
 */
struct late_value {
	const char *text;	/* constants replaced by their values, buffers as @N */
	const char *shown;	/* as the line gave it */
	const char *what;	/* VALUE */
	unsigned int width;	/* bytes it must fit in; 0: any */
	ptrdiff_t field;	/* where it goes: an offset in the op, or -1: *dst */
	uint64_t *dst;
	int (*fix)(struct dmt *t, struct op *op, uint64_t val);
};

/* One prepared line. */
struct op {
	const struct command *cmd;
	struct source_pos pos;
	int argc;
	char **argv;		/* the line's words; argv[0] is the command */
	unsigned int width;	/* access width (devmem's comes from its WIDTH) */
	struct location loc;	/* ADDR, SRC or A */
	struct location loc2;	/* DST or B */
	uint64_t n;		/* COUNT, LEN or MS */
	uint64_t n2;		/* poll: INTERVAL_US */
	uint64_t mask, value;
	uint64_t *vals;		/* w*: the values, argc - 2 of them */
	void *data;		/* per command: what else prep found */
	int kind;		/* per command: what sort of access */
	bool side_effect;	/* a read a map says has a side effect (said) */
	size_t end;		/* quit: where its script's lines end */
	struct late_value *late;	/* values known when the line runs */
	unsigned int nlate;
};

/* Prepared lines, and the script text their words point into. */
struct program {
	struct op *ops;
	size_t nops, cap;
	struct chunk *chunks;	/* arena: words, values, texts, file names */
};

/* A `const NAME = VALUE`: a number, or a target's text. */
struct constant {
	char *name;
	bool is_number;
	uint64_t value;
	char *text;
	char *file;		/* where it was defined, for "already defined" */
	unsigned long line;
	bool hidden;		/* replaced by this program's own definition */
};

struct dmt {
	struct phys_ctx *ctx;

	bool json, dry_run, confirm, readback, keep_going;
	bool force;		/* --force: past the register maps' access rules */
	bool quiet;		/* -q: the values read, nothing else */
	bool leave;		/* quit: end the script being run */
	struct program *prog;	/* being prepared: `source` adds to it */
	bool prepare_stop;	/* an error that ends preparing (nesting, Ctrl-C) */
	bool interrupt_told;	/* "interrupted" was said for this Ctrl-C */
	bool interactive;	/* the REPL is reading commands */
	bool quit;		/* `quit` was run */
	unsigned int addr_digits;	/* hex digits of the addresses being shown */
	const char *backend;

	struct source_pos pos;
	int depth;		/* `source` nesting */

	struct mapping **maps;
	size_t nmaps;
	struct mapping **retired;	/* unmapped: closed, kept for the ops */
	size_t nretired;
	char **dead_names;		/* their names, kept for the ops */
	size_t ndead_names;
	struct alias *aliases;
	size_t naliases;
	struct constant *consts;
	size_t nconsts;
	size_t consts_before;	/* defined before this program: may be redefined */
	struct bound **bound;	/* register maps in use */
	size_t nbound;
	char **candidates;	/* --regmap maps of blocks: bound by PCI ID */
	size_t ncandidates;
	struct bar_rules *bars;	/* the PCI memory BARs, for their maps' rules */
	size_t nbars;
	bool bars_scanned;
	char **args;		/* a script's arguments: $1.. */
	int nargs;
	struct dmabuf **bufs;	/* DMA buffers, every one named since the start */
	size_t nbufs;
	struct irqline **irqs;	/* devices' interrupts irqwait named */
	size_t nirqs;

	/* Fast path: the last address text and what it resolved to. */
	char last_addr[128];
	struct location last_loc;
	struct mapping *last_map;	/* last mapping used for a bare address */
};

/* commands.c */
extern const struct command dmt_commands[];
extern const size_t dmt_ncommands;
const struct command *command_find(const char *name);
int usage_error(struct dmt *t, const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* cmd-access.c, cmd-bulk.c, cmd-info.c, cmd-flow.c: prep_X and exec_X */
#define DMT_COMMAND(x)							\
	int prep_##x(struct dmt *t, struct op *op);			\
	int exec_##x(struct dmt *t, const struct op *op)
DMT_COMMAND(read);
DMT_COMMAND(write);
DMT_COMMAND(rmw);
DMT_COMMAND(poll);
DMT_COMMAND(expect);
DMT_COMMAND(devmem);
DMT_COMMAND(dump);
DMT_COMMAND(fill);
DMT_COMMAND(copy);
DMT_COMMAND(cmp);
DMT_COMMAND(map);
DMT_COMMAND(unmap);
DMT_COMMAND(remap);
DMT_COMMAND(load);
DMT_COMMAND(save);
DMT_COMMAND(sleep);
DMT_COMMAND(source);
DMT_COMMAND(help);
DMT_COMMAND(quit);
DMT_COMMAND(r);
DMT_COMMAND(w);
DMT_COMMAND(regs);
DMT_COMMAND(snapshot);
DMT_COMMAND(diff);
DMT_COMMAND(buf);
DMT_COMMAND(irqwait);
/* poll/expect with a register's name (cmd-regs.c): 1 if ARGV[1] is none. */
int prep_named_check(struct dmt *t, struct op *op, int value_arg, bool *is_named);
/* cmd-access.c: monotonic microseconds, for poll's and irqwait's waits */
uint64_t now_us(void);
int exec_windows(struct dmt *t, const struct op *op);
int exec_pci(struct dmt *t, const struct op *op);
int exec_iomem(struct dmt *t, const struct op *op);
int exec_info(struct dmt *t, const struct op *op);
int exec_echo(struct dmt *t, const struct op *op);
int exec_exit(struct dmt *t, const struct op *op);
const char *script_path(struct dmt *t, const struct op *op, const char *path);
bool confirm_bulk(struct dmt *t, const struct op *op, const struct location *loc,
		  const char *addr_text, const char *from);

/* expr.c */
/*
 * expr_eval() FLAGS besides PM_NUM_BYTES. EXPR_BUS: NAME.bus (a DMA
 * buffer's bus address, known when the line runs) may stand; without
 * it, it is -EXDEV. EXPR_RUN: a late value's text as the line runs.
 */
#define EXPR_BUS	(1U << 30)
#define EXPR_RUN	(1U << 29)
int expr_eval(struct dmt *t, const char *s, unsigned int flags, uint64_t *val,
	      char *err, size_t err_size);
/* With EXPR_BUS: *LATE (malloc'd) the text to work out when the line
 * runs if S has a bus address in it, else NULL and *VAL is the value. */
int expr_eval_late(struct dmt *t, const char *s, unsigned int flags, uint64_t *val,
		   char *err, size_t err_size, char **late);
const struct constant *const_find(const struct dmt *t, const char *name, size_t len);
void consts_free(struct dmt *t);
void consts_drop(struct dmt *t, size_t from);
void consts_commit(struct dmt *t);
char *expand_args(struct dmt *t, char *word);
DMT_COMMAND(const);

/* parse.c */
int parse_number_arg(struct dmt *t, const struct command *cmd, const char *what,
		     const char *s, unsigned int width, uint64_t *val);
int parse_size_arg(struct dmt *t, const struct command *cmd, const char *what,
		   const char *s, uint64_t *val);
/* A value OP writes or compares (VAL in OP or in the program's memory):
 * NAME.bus may stand in it, then worked out when the line runs
 * (op_late_add()). WIDTH as parse_number_arg(). */
int parse_value_arg(struct dmt *t, struct op *op, const char *what, const char *s,
		    unsigned int width, uint64_t *val,
		    int (*fix)(struct dmt *t, struct op *op, uint64_t val));
int parse_width(const char *s, unsigned int *width);
int tokenize(char *line, char **argv, int max, size_t *bad);
bool fits_width(uint64_t val, unsigned int width);
uint64_t width_mask(unsigned int width);

/* target.c */
int resolve(struct dmt *t, const struct command *cmd, const char *addr,
	    uint64_t len, struct location *loc);
int resolve_phys(struct dmt *t, const struct command *cmd, const char *addr,
		 uint64_t a, uint64_t len, struct location *loc);
const char *offset_split(struct dmt *t, const char *addr);
int target_split(struct dmt *t, const char *text, char *base, size_t size,
		 uint64_t *off, char *why, size_t why_size);
void forget_cached(struct dmt *t);
int mapping_open(struct dmt *t, const char *target, struct mapping **out);
int mapping_open_opts(struct dmt *t, const char *target, uint64_t length,
		      unsigned int flags, struct mapping **out);
struct mapping *mapping_named(const struct dmt *t, const char *name);
void mapping_retire(struct dmt *t, struct mapping *m);
int mapping_reopen(struct dmt *t, struct mapping *m, char *why, size_t size);
int alias_add(struct dmt *t, const char *name, struct mapping *m);
const struct alias *alias_find(const struct dmt *t, const char *name);
void maps_free(struct dmt *t);
struct maps_state {
	struct alias *aliases;
	size_t naliases;
	struct mapping **maps;
	size_t nmaps, nretired, ndead_names;
	size_t nbound;
	size_t nbufs, nirqs;
	bool *buf_live;		/* each buffer's, then */
	enum phys_irq_mode *irq_mode;	/* each interrupt's */
};
int maps_save(const struct dmt *t, struct maps_state *st);
void maps_restore(struct dmt *t, struct maps_state *st);
void maps_state_free(struct maps_state *st);
void loc_format(const struct location *loc, char *buf, size_t size);

/* regs.c: register maps in use, names, rules */
bool reg_name_like(const char *text);
/* Use MAP (a file, or an installed map's name) under PREFIX (NULL: ""),
 * bound to M (NULL: an absolute map). 0, or -1 with WHY. */
int regmap_use(struct dmt *t, const char *map, const char *prefix, struct mapping *m,
	       char *why, size_t why_size);
void regmaps_free(struct dmt *t, size_t from);
/* TEXT as a register or field of a map in use (binding an installed map
 * to the device behind TEXT's first word if none is): 0; 1 if TEXT is not
 * a register name at all; -1 with WHY. */
int reg_find(struct dmt *t, const char *text, struct regref *ref, char *why, size_t why_size);
int reg_find_top(struct dmt *t, const char *text, struct regref *ref, char *why,
		 size_t why_size);
/* A map in use under PREFIX, bound now if an installed one serves the
 * PCI BAR behind it: 0, or -1. */
int reg_bind(struct dmt *t, const char *prefix);
/* Where REF's register is: LOC, or say_failed(). */
int reg_locate(struct dmt *t, const struct command *cmd, const char *text,
	       const struct regref *ref, struct location *loc);
/* OFF bytes past it, for LEN bytes (REG+OFFSET). */
int reg_locate_at(struct dmt *t, const struct command *cmd, const char *text,
		  const struct regref *ref, uint64_t off, uint64_t len, struct location *loc);
/* "PREFIX.REG[.FIELD]" */
void reg_name(const struct regref *ref, char *buf, size_t size);
/* FN for each register of a map in use, or of the map of a PCI BAR,
 * that LEN bytes at LOC overlap: OFF and COUNT are the bytes they share,
 * OFF in LOC's mapping. A non-zero return stops and is returned. */
typedef int (*reg_fn)(const struct regref *ref, uint64_t off, uint64_t count, void *data);
int reg_foreach_in(struct dmt *t, const struct location *loc, uint64_t len, reg_fn fn,
		   void *data);
/*
 * The maps' access rules for an access of LEN bytes at LOC: WHAT is
 * REG_READ, REG_WRITE, REG_RMW (read, then write back), REG_QUIET (a
 * read nobody asked for by name: dump, snapshots). Refused: say_failed()
 * and DMT_FAILED (a read-only register written, a write-only one read, a
 * side effect read quietly or in a read-modify-write, a write-side-effect
 * register read-modified-written), unless --force. *SIDE_EFFECT: an
 * explicit read that has one (to be said).
 */
#define REG_READ	1U
#define REG_WRITE	2U
#define REG_RMW		4U
#define REG_QUIET	8U
/* Does a read nobody asked for by name (dump, regs --read, snapshots,
 * diff reset) leave REF out? Said, if so, by phys_ctx_errmsg(). */
bool reg_left_out(const struct dmt *t, const struct regref *ref);
bool reg_read_free(struct dmt *t, const struct location *loc, uint64_t len);
int reg_rules(struct dmt *t, const struct command *cmd, const char *text,
	      const struct location *loc, uint64_t len, unsigned int what, bool *side_effect);
/* The same for an access by name: NAMED is the register it names, whose
 * rules alone count among registers that share its bytes. */
int reg_rules_named(struct dmt *t, const struct command *cmd, const char *text,
		    const struct location *loc, uint64_t len, unsigned int what,
		    const struct regref *named, bool *side_effect);

/* cmd-dma.c: DMA buffers and interrupts */
struct dmabuf *buf_find(const struct dmt *t, const char *name, size_t len);
/* A freed buffer that was named NAME (the last), for messages. */
const struct dmabuf *buf_find_dead(const struct dmt *t, const char *name, size_t len);
/* NAME was a buffer's, and is no more: true, and why into WHY. */
bool buf_gone(const struct dmt *t, const char *name, size_t len, char *why, size_t size);
/* Buffer BUF as @N in a late value's text. */
size_t buf_index(const struct dmt *t, const struct dmabuf *buf);
/* TEXT (a late value) for OP, VAL where it goes. 0 or said. */
int op_late_add(struct dmt *t, struct op *op, const char *what, const char *shown,
		const char *text, unsigned int width, uint64_t *val,
		int (*fix)(struct dmt *t, struct op *op, uint64_t val));
/* A late fix: op->value (compared) has no bits outside op->mask. */
int late_in_mask(struct dmt *t, struct op *op, uint64_t val);
/* The text the line gave for VAL if it is a late value, else NULL. */
const char *op_late_shown(const struct op *op, const void *val);
/* Before OP runs: its late values worked out; its buffers there. 0 or said. */
int op_run_checks(struct dmt *t, struct op *op);
/* Before a program's first line: the interrupts its irqwaits wait for,
 * opened. 0, or said (at the first irqwait of one that cannot be). */
int irqs_open(struct dmt *t, const struct program *p);
void dma_free_all(struct dmt *t);
/* maps_save()/maps_restore() for the buffers' names and the interrupts. */
int dma_state_save(const struct dmt *t, struct maps_state *st);
void dma_state_restore(struct dmt *t, const struct maps_state *st);
/* cmd-info.c: 4096 as "4K" */
void human_size(char *buf, size_t n, uint64_t size);

/* program.c: prepare whole, then run */
int run_line(struct dmt *t, char *line);
int run_argv(struct dmt *t, int argc, char **argv);
int run_files(struct dmt *t, const char *const *paths, int n);
int prepare_file(struct dmt *t, const char *path);
void *prog_alloc(struct program *p, size_t size);

/* repl.c */
int repl_run(struct dmt *t);
int repl_complete(struct dmt *t, int argc, char **argv);
bool repl_confirm(struct dmt *t, const char *question);

/* output.c */
void out_error(struct dmt *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct check_facts {
	uint64_t value, mask, actual;
	uint64_t timeout_ms;	/* a poll's, else 0 */
	bool not_equal;		/* poll ... != VALUE */
};
void out_check_failed(struct dmt *t, const char *cmd, const struct location *loc,
		      unsigned int width, const struct check_facts *f,
		      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void out_polled(struct dmt *t, const char *cmd, const struct location *loc,
		unsigned int width, uint64_t val, uint64_t elapsed_us,
		bool side_effect);
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
/* SKIP (NULL: none): per byte, not read (a register the maps say must
 * not be read quietly): shown as "--". */
void out_dump_line(struct dmt *t, const struct location *loc, uint64_t off,
		   const uint8_t *bytes, const uint8_t *skip, size_t n, unsigned int width);
void out_dump_repeat(struct dmt *t);
void out_text(struct dmt *t, const char *cmd, const char *text);
struct json_object;
struct json_object *out_json_new(const char *cmd);
void out_json(struct dmt *t, struct json_object *obj);
const char *errno_reason(struct dmt *t, int err);
/* "CMD ADDR: WHY", the target said once; DMT_FAILED. */
int say_failed(struct dmt *t, const struct command *cmd, const char *addr,
	       const char *why);
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
