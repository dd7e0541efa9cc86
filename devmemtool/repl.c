// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The interactive loop: GNU readline, history kept across runs, completion
 * of commands (from the command table), names given with `map ... as`,
 * driver windows, pci: devices, target prefixes and file: paths.
 * `devmemtool --complete WORD...` prints the same candidates for the shell's
 * completion (devmemtool.bash-completion): one definition of both.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "devmemtool.h"

#define HISTORY_MAX	1000
#define PROMPT		"devmemtool> "

static struct dmt *repl_t;	/* readline's callbacks take no context */

/* ---- history ---------------------------------------------------------- */

static int mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

/* $XDG_STATE_HOME/devmemtool/history, else ~/.local/state/devmemtool/history. */
static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char dir[PATH_MAX], *path;

	if (state && state[0] == '/')
		snprintf(dir, sizeof(dir), "%s/devmemtool", state);
	else if (home && *home)
		snprintf(dir, sizeof(dir), "%s/.local/state/devmemtool", home);
	else
		return NULL;
	if (mkdir_p(dir))
		return NULL;
	if (asprintf(&path, "%s/history", dir) < 0)
		return NULL;
	return path;
}

static void history_load(const char *path)
{
	int fd;

	if (!path)
		return;
	/* append_history() needs the file to exist. */
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	stifle_history(HISTORY_MAX);
	read_history(path);
}

static void history_add(const char *path, const char *line)
{
	HIST_ENTRY *prev = history_length ? history_get(history_base +
							history_length - 1) : NULL;

	if (prev && strcmp(prev->line, line) == 0)
		return;
	add_history(line);
	/* Saved at once, so a crash or a second terminal loses nothing. */
	if (path)
		append_history(1, path);
}

/* ---- completion ------------------------------------------------------- */

struct names {
	char **v;
	size_t n;
};

static void names_add(struct names *ns, const char *s)
{
	char **v = realloc(ns->v, (ns->n + 1) * sizeof(*v));

	if (!v)
		return;
	ns->v = v;
	ns->v[ns->n] = strdup(s);
	if (ns->v[ns->n])
		ns->n++;
}

static void names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
}

static struct names candidates;

static int add_window(const struct phys_window_info *w, void *data)
{
	names_add(data, w->name);
	return 0;
}

/* How many devices with one ID came before: pci:VVVV:DDDD#N. */
struct pci_seen {
	struct names *out;
	bool targets;		/* pci:...barN targets, else the pci command's filters */
	uint32_t ids[256];
	unsigned int nids;
};

static int add_pci(const struct phys_pci_dev *d, void *data)
{
	struct pci_seen *s = data;
	uint32_t id = (uint32_t)d->vendor_id << 16 | d->device_id;
	unsigned int nth = 0;
	char bdf[PM_BDF_MAX], byid[32], name[80];

	for (unsigned int i = 0; i < s->nids; i++)
		nth += s->ids[i] == id;
	if (s->nids < sizeof(s->ids) / sizeof(s->ids[0]))
		s->ids[s->nids++] = id;
	pm_pci_bdf(bdf, d->domain, d->bus, d->dev, d->func);
	if (nth)
		snprintf(byid, sizeof(byid), "%04x:%04x#%u", d->vendor_id, d->device_id, nth);
	else
		snprintf(byid, sizeof(byid), "%04x:%04x", d->vendor_id, d->device_id);
	if (!s->targets) {
		/* the pci command's filter: an ID (all devices with it) or an address */
		if (!nth)
			names_add(s->out, byid);
		names_add(s->out, bdf);
		return 0;
	}
	/* the memory BARs that have an address: those a target can name */
	for (int b = 0; b < 6; b++) {
		if (!d->bars[b].size || d->bars[b].is_io || !d->bars[b].assigned)
			continue;
		snprintf(name, sizeof(name), "pci:%s/bar%d", byid, b);
		names_add(s->out, name);
		snprintf(name, sizeof(name), "pci:%s/bar%d", bdf, b);
		names_add(s->out, name);
	}
	return 0;
}

static void collect_pci(struct dmt *t, bool targets)
{
	struct pci_seen s = { .out = &candidates, .targets = targets };

	/* No PCI bus (or no sysfs): nothing to offer. */
	phys_pci_walk(t->ctx, NULL, PHYS_PCI_NO_NAMES, add_pci, &s);
}

static void collect_targets(struct dmt *t, const char *text)
{
	static const char *const prefixes[] = { "pci:", "iomem:", "file:" };

	names_free(&candidates);
	/* Walking the PCI bus only once pci: is typed. */
	if (strncmp(text, "pci:", 4) == 0) {
		collect_pci(t, true);
		return;
	}
	for (size_t i = 0; i < t->naliases; i++)
		names_add(&candidates, t->aliases[i].name);
	/* DMA buffers: their memory, and in values their bus address */
	for (size_t i = 0; i < t->nbufs; i++) {
		char bus[PM_NAME_MAX + 8];

		if (!t->bufs[i]->live)
			continue;
		names_add(&candidates, t->bufs[i]->name);
		snprintf(bus, sizeof(bus), "%s.bus", t->bufs[i]->name);
		names_add(&candidates, bus);
	}
	/* No driver or no permission: just no window names to offer. */
	phys_window_foreach(t->ctx, add_window, &candidates);
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		names_add(&candidates, prefixes[i]);
	/* the registers of the maps in use, and their fields */
	for (size_t i = 0; i < t->nbound; i++) {
		const struct bound *b = t->bound[i];

		for (size_t r = 0; r < phys_regmap_count(b->rm); r++) {
			struct regref ref = { .b = b, .reg = r, .field = -1 };
			struct phys_reg_info ri = PHYS_INFO_INIT(struct phys_reg_info);
			char name[200];

			reg_name(&ref, name, sizeof(name));
			names_add(&candidates, name);
			phys_regmap_reg(b->rm, r, &ri);
			for (unsigned int f = 0; f < ri.nfields; f++) {
				ref.field = (int)f;
				reg_name(&ref, name, sizeof(name));
				names_add(&candidates, name);
			}
		}
	}
}

/* The enum names of the field WORD names, if it does. */
static bool collect_enums(struct dmt *t, const char *word)
{
	struct phys_field_info fi = PHYS_INFO_INIT(struct phys_field_info);
	char why[512];
	struct regref ref;

	if (reg_find(t, word, &ref, why, sizeof(why)) || ref.field < 0)
		return false;
	names_free(&candidates);
	phys_regmap_field(ref.b->rm, ref.reg, (unsigned int)ref.field, &fi);
	for (unsigned int e = 0; e < fi.nenums; e++) {
		struct phys_enum_info ei = PHYS_INFO_INIT(struct phys_enum_info);

		if (!phys_regmap_enum(ref.b->rm, ref.reg, (unsigned int)ref.field, e, &ei) &&
		    !ei.is_default)
			names_add(&candidates, ei.name);
	}
	return true;
}

/* The words of buf and irqwait: after the command's own words (WORDS,
 * N of them before the one completed), their keywords, windows and
 * buffers. False if the word is none of those (a number, a new name). */
static bool collect_dma_words(struct dmt *t, char words[][32], int n)
{
	static const char *const buf_verbs[] = { "alloc", "free", NULL };
	static const char *const modes[] = { "intx", "msi", NULL };
	const char *const *keys = NULL;
	const char *key = NULL;
	bool windows = false, bufs = false;

	if (!strcmp(words[0], "buf")) {
		if (n == 1)
			keys = buf_verbs;
		else if (!strcmp(words[1], "alloc") && n == 3)
			key = "for";
		else if (!strcmp(words[1], "alloc") && n == 4)
			windows = true;
		else if (!strcmp(words[1], "alloc") && n == 5)
			key = "as";
		else if (!strcmp(words[1], "free") && n == 2)
			bufs = true;
	} else if (!strcmp(words[0], "irqwait")) {
		if (n == 1)
			windows = true;
		else if (!strcmp(words[n - 1], "mode"))
			keys = modes;
		else if (n == 2 || n == 3)
			key = "mode";
	}
	if (!keys && !key && !windows && !bufs)
		return false;
	names_free(&candidates);
	for (size_t i = 0; keys && keys[i]; i++)
		names_add(&candidates, keys[i]);
	if (key)
		names_add(&candidates, key);
	if (windows)	/* no driver: no window names to offer */
		phys_window_foreach(t->ctx, add_window, &candidates);
	for (size_t i = 0; bufs && i < t->nbufs; i++)
		if (t->bufs[i]->live)
			names_add(&candidates, t->bufs[i]->name);
	return true;
}

/* The words of the line from I up to START, at most MAX: their count. */
static int words_before(const char *line, int i, int start, char words[][32], int max)
{
	int n = 0;

	while (i < start && n < max) {
		int k = i;

		while (k < start && line[k] != ' ' && line[k] != '\t')
			k++;
		snprintf(words[n++], 32, "%.*s", k - i, line + i);
		while (k < start && (line[k] == ' ' || line[k] == '\t'))
			k++;
		i = k;
	}
	return n;
}

static void collect_commands(void)
{
	names_free(&candidates);
	for (size_t i = 0; i < dmt_ncommands; i++)
		names_add(&candidates, dmt_commands[i].name);
}

static char *generate(const char *text, int state)
{
	static size_t i, len;

	if (!state) {
		i = 0;
		len = strlen(text);
	}
	while (i < candidates.n) {
		const char *s = candidates.v[i++];

		if (strncmp(s, text, len) == 0)
			return strdup(s);
	}
	return NULL;
}

/* file:PATH completes PATH as a file name. */
static char *generate_file_target(const char *text, int state)
{
	char *name = rl_filename_completion_function(text + 5, state);
	char *out;

	if (!name)
		return NULL;
	if (asprintf(&out, "file:%s", name) < 0)
		out = NULL;
	free(name);
	return out;
}

/* Is the word at START the value after a register name (w, poll,
 * expect: their third word, or poll's fourth after != or ==)? Its
 * second word into SECOND. */
static bool value_of_field(const char *line, const char *first, int start, int i,
			   char *second, size_t size)
{
	int at[4], k = i, words = 0;

	if (strcmp(first, "w") && strcmp(first, "poll") && strcmp(first, "expect"))
		return false;
	while (k < start) {
		if (words == 4)
			return false;
		at[words++] = k;
		while (k < start && line[k] != ' ' && line[k] != '\t')
			k++;
		while (k < start && (line[k] == ' ' || line[k] == '\t'))
			k++;
	}
	if (words == 3 && !strcmp(first, "poll")) {
		size_t n = strcspn(line + at[2], " \t");

		if (n != 2 || (strncmp(line + at[2], "!=", 2) &&
			       strncmp(line + at[2], "==", 2)))
			return false;
	} else if (words != 2) {
		return false;
	}
	snprintf(second, size, "%.*s", (int)strcspn(line + at[1], " \t"),
		 line + at[1]);
	return true;
}

/* What the word being completed is, and so what follows it. */
enum cand_kind {
	CAND_WORDS,	/* commands and keywords: a blank after */
	CAND_TARGETS,	/* targets, registers, values: +OFFSET may follow */
	CAND_FILES,	/* a file name (after "file:" for a file: target) */
};

/*
 * The candidates for TEXT, the word of LINE that starts at START (the
 * words before it are the command and its arguments so far): into
 * `candidates`, unfiltered; file names are left to the caller.
 */
static enum cand_kind collect(struct dmt *t, const char *line, int start, const char *text)
{
	char first[32] = "", second[200] = "", words[8][32];
	int i = 0, n;

	while (line[i] == ' ' || line[i] == '\t')
		i++;
	if (start > i)
		sscanf(line + i, "%31s", first);
	n = start > i ? words_before(line, i, start, words, 8) : 0;

	if (start <= i || strcmp(first, "help") == 0) {
		collect_commands();
		return CAND_WORDS;
	}
	if (strcmp(first, "source") == 0 || strncmp(text, "file:", 5) == 0)
		return CAND_FILES;
	if ((!strcmp(first, "buf") || !strcmp(first, "irqwait")) && n < 8 &&
	    collect_dma_words(t, words, n))
		return CAND_WORDS;	/* buf alloc SIZE <tab>: for; irqwait edu 100 <tab>: mode */
	if (value_of_field(line, first, start, i, second, sizeof(second)) &&
	    collect_enums(t, second))
		return CAND_TARGETS;	/* w REG.FIELD <tab>: the field's named values */
	if (strcmp(first, "pci") == 0 && n == 1) {
		/* pci [VVVV:DDDD|ADDRESS] */
		names_free(&candidates);
		collect_pci(t, false);
		return CAND_WORDS;
	}
	collect_targets(t, text);
	return CAND_TARGETS;
}

static char **complete(const char *text, int start, int end)
{
	char **matches;

	rl_attempted_completion_over = 1;	/* no default file names */
	switch (collect(repl_t, rl_line_buffer, start, text)) {
	case CAND_FILES:
		if (strncmp(text, "file:", 5) != 0) {
			rl_attempted_completion_over = 0;	/* source FILE */
			return NULL;
		}
		rl_filename_completion_desired = 1;
		matches = rl_completion_matches(text, generate_file_target);
		rl_completion_suppress_append = 1;	/* +OFFSET may follow */
		return matches;
	case CAND_TARGETS:
		/* A completed target is often followed by +OFFSET: no blank. */
		matches = rl_completion_matches(text, generate);
		rl_completion_suppress_append = 1;
		return matches;
	case CAND_WORDS:
	default:
		return rl_completion_matches(text, generate);
	}
}

/*
 * devmemtool --complete WORD...: the words of a command line, the last
 * one being completed (maybe ""). Prints the candidates that start with
 * it, one a line, then one line saying what the word is: ":space" (a
 * command or keyword: a blank follows), ":nospace" (a target, register or
 * value: +OFFSET may follow) or ":files" (a file name, after "file:" for a
 * file: target: the shell completes it; no candidates printed).
 */
int repl_complete(struct dmt *t, int argc, char **argv)
{
	static const char *const what[] = {
		[CAND_WORDS] = ":space", [CAND_TARGETS] = ":nospace", [CAND_FILES] = ":files",
	};
	const char *text = argc ? argv[argc - 1] : "";
	size_t len = 0, tlen = strlen(text);
	enum cand_kind kind;
	char *line, *p;
	int start;

	for (int k = 0; k < argc - 1; k++)
		len += strlen(argv[k]) + 1;
	line = malloc(len + tlen + 1);
	if (!line)
		return DMT_FAILED;
	p = line;
	for (int k = 0; k < argc - 1; k++)
		p += sprintf(p, "%s ", argv[k]);
	start = (int)(p - line);
	strcpy(p, text);
	kind = collect(t, line, start, text);
	free(line);
	if (kind != CAND_FILES)
		for (size_t i = 0; i < candidates.n; i++)
			if (strncmp(candidates.v[i], text, tlen) == 0)
				puts(candidates.v[i]);
	puts(what[kind]);
	names_free(&candidates);
	return DMT_OK;
}

/* ---- the loop --------------------------------------------------------- */

static volatile sig_atomic_t busy;	/* a command is running */

static void on_sigint(int sig)
{
	/* While a command runs, ^C stops it at its next step (no readline
	 * here: it is not reading). */
	if (busy) {
		dmt_interrupted = 1;
		return;
	}
	/* At the prompt, ^C drops the line being typed instead of leaving. */
	/* A failed write of the newline changes nothing here (and a signal
	 * handler has no one to tell): _FORTIFY_SOURCE wants it checked. */
	if (write(STDOUT_FILENO, "\n", 1) < 0) {
		/* nothing to do */
	}
	rl_on_new_line();
	rl_replace_line("", 0);
	rl_redisplay();
}

/* Asked on the terminal (main() made sure there is one): y or yes, any case. */
bool repl_confirm(struct dmt *t, const char *question)
{
	char *answer = readline(question);
	bool yes = answer && (strcasecmp(answer, "y") == 0 ||
			      strcasecmp(answer, "yes") == 0);

	free(answer);
	return yes;
}

int repl_run(struct dmt *t)
{
	struct sigaction sa = { .sa_handler = on_sigint };
	char *hist = history_path();
	char *line;
	int ret;

	repl_t = t;
	t->interactive = true;
	rl_readline_name = "devmemtool";
	rl_attempted_completion_function = complete;
	/* Targets contain ':', '+', '/' and '.': only blanks and quotes split. */
	rl_completer_word_break_characters = " \t\n\"";
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	history_load(hist);

	while (!t->quit && (line = readline(PROMPT))) {
		char *p = line;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p)
			history_add(hist, line);
		busy = 1;
		ret = run_line(t, line);
		busy = 0;
		if ((ret == DMT_INTERRUPTED || dmt_interrupted) && !t->interrupt_told)
			out_error(t, "interrupted");
		dmt_interrupted = 0;
		t->interrupt_told = false;
		free(line);
		fflush(stdout);
	}
	if (!t->quit)
		putchar('\n');	/* end of input: leave the shell prompt on a new line */
	if (hist)
		history_truncate_file(hist, HISTORY_MAX);
	free(hist);
	names_free(&candidates);
	return DMT_OK;
}
