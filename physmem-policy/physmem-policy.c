// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * physmem-policy: check physmem.conf(5) policies and load them into the
 * physmem driver as its window table. See physmem-policy(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/capability.h>
#include <sys/ioctl.h>

#include <json-c/json.h>

#include <linux/physmem.h>
#include "libphys.h"
#include "private.h"
#include "physmem-common.h"
#include "physmem-policy.h"
#include "window-json.h"

/* Exit codes (documented in physmem-policy(8)). */
enum {
	EXIT_OK = 0,
	EXIT_POLICY = 1,	/* syntax, validation or resolution error */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_PERM = 3,		/* a capability is missing */
	EXIT_DRIVER = 4,	/* driver absent, or it refused the request */
};

_Static_assert(POL_DMA_BITS_MIN == PHYSMEM_DMA_BITS_MIN, "one dma-mask rule: the driver's");

static const char *prog = "physmem-policy";
static const char *root;	/* --root: fake /etc, /proc, /sys, /dev */

__attribute__((format(printf, 1, 2)))
static void errmsg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Check up front for every capability the command needs, with a message
 * naming the one missing; then keep only those.
 */
static int need_caps(const char *action, const int *caps, size_t n)
{
	char msg[512];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		if (pol_cap_acquire(caps[i])) {
			errmsg("%s", pol_cap_explain(caps[i], action, msg, sizeof(msg)));
			return EXIT_PERM;
		}
	}
	r = pol_cap_drop_except(caps, n);
	if (r) {
		errmsg("cannot drop capabilities: %s", strerror(-r));
		return EXIT_PERM;
	}
	return EXIT_OK;
}

static struct phys_ctx *tool_ctx(void)
{
	struct phys_ctx *ctx = phys_ctx_new();

	if (!ctx || (root && phys_ctx_set_sysroot(ctx, root))) {
		errmsg("cannot set up libphys: %s", ctx ? phys_ctx_errmsg(ctx) : strerror(errno));
		phys_ctx_free(ctx);
		return NULL;
	}
	return ctx;
}

/* The device, opened and explained by libphys: fd, or -1 with the message said. */
static int open_device(int flags)
{
	struct phys_ctx *ctx = tool_ctx();
	int fd;

	if (!ctx)
		return -1;
	fd = phys_driver_open_fd(ctx, flags);
	if (fd < 0)
		errmsg("%s", phys_ctx_errmsg(ctx));
	phys_ctx_free(ctx);
	return fd < 0 ? -1 : fd;
}

/* Two rules whose windows overlap would be refused by the driver without
 * saying which; say it here. */
static int check_overlaps(const struct pol_set *set)
{
	size_t i, j, n = pol_set_count(set);

	for (i = 0; i < n; i++) {
		const struct pol_rule *a = pol_set_rule(set, i);

		for (j = i + 1; j < n; j++) {
			const struct pol_rule *b = pol_set_rule(set, j);
			uint64_t alast = a->resolved.base + (a->resolved.size - 1);
			uint64_t blast = b->resolved.base + (b->resolved.size - 1);

			if (a->resolved.base <= blast && b->resolved.base <= alast) {
				fprintf(stderr, "%s:%u:%u: rule '%s' overlaps rule '%s' (%s:%u:%u): 0x%" PRIx64
					"-0x%" PRIx64 " and 0x%" PRIx64 "-0x%" PRIx64 "\n",
					b->file, b->line, b->col, b->name, a->name, a->file, a->line,
					a->col, b->resolved.base, blast, a->resolved.base, alast);
				return EXIT_POLICY;
			}
		}
	}
	return EXIT_OK;
}

/* Parse (and unless NO_RESOLVE, resolve) the policy; *SETP on success. */
static int read_policy(char **files, bool no_resolve, struct pol_set **setp)
{
	struct pol_set *set = pol_set_new();
	struct phys_ctx *ctx = NULL;
	int ret = EXIT_POLICY;

	if (!set) {
		errmsg("out of memory");
		return EXIT_POLICY;
	}
	if (pol_set_load(set, files && *files ? (const char *const *)files : NULL, root)) {
		fprintf(stderr, "%s\n", pol_set_errmsg(set));
		goto out;
	}
	if (no_resolve) {
		*setp = set;
		return EXIT_OK;
	}
	ctx = tool_ctx();
	if (!ctx)
		goto out;
	/* libphys resolves, as for its own backends, and refuses memory. */
	if (phys_policy_resolve(ctx, set)) {
		fprintf(stderr, "%s\n", phys_ctx_errmsg(ctx));
		goto out;
	}
	ret = check_overlaps(set);
	if (ret)
		goto out;
	phys_ctx_free(ctx);
	*setp = set;
	return EXIT_OK;
out:
	phys_ctx_free(ctx);
	pol_set_free(set);
	return ret;
}

/* ---- commands ----------------------------------------------------------- */

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *help;
};

static const struct command *current;

static void cmd_usage(FILE *out)
{
	fprintf(out, "Usage: %s [--root DIR] %s %s\n\n%s\n", prog, current->name,
		current->args, current->help);
}

/*
 * Options common to every command (--help) plus the command's own flags,
 * if any (FLAGS: NULL or a NULL-ended list like "--json"; SET[k] for
 * FLAGS[k]); returns optind, or -1 when done/failed with *ret set.
 */
static int cmd_options(int argc, char **argv, const char *const *flags, bool *set, int *ret)
{
	int i, k;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (argv[i][0] != '-' || !argv[i][1])
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			cmd_usage(stdout);
			*ret = EXIT_OK;
			return -1;
		}
		for (k = 0; flags && flags[k] && strcmp(argv[i], flags[k]); k++)
			;
		if (flags && flags[k]) {
			set[k] = true;
			continue;
		}
		errmsg("%s: unknown option '%s' (see '%s %s --help')", current->name, argv[i],
		       prog, current->name);
		*ret = EXIT_USAGE;
		return -1;
	}
	return i;
}

/* RULE as the window it gives (unresolved: size 0), for the one format. */
static void rule_window(const struct pol_rule *r, struct phys_window_info *w)
{
	char bdf[PM_BDF_MAX];
	size_t n;

	memset(w, 0, sizeof(*w));
	w->struct_size = sizeof(*w);
	w->source_kind = r->source == POL_SRC_RANGE ? PHYS_SOURCE_RANGE :
			 r->source == POL_SRC_IOMEM ? PHYS_SOURCE_IOMEM : PHYS_SOURCE_PCI;
	snprintf(w->name, sizeof(w->name), "%s", r->name);
	if (r->resolved.valid) {
		w->base = r->resolved.base;
		w->size = r->resolved.size;
	}
	w->offset = r->offset;
	w->rw = r->rw;
	w->wc = r->wc;
	w->shared = r->shared;
	w->pages = r->pages;
	w->dma_size = r->dma_size;
	w->dma_bits = r->dma_bits ? r->dma_bits : 64;
	w->irq = r->irq;
	n = (size_t)pol_rule_format_source(r, w->source, sizeof(w->source));
	/* By ID: which device that is on this machine. */
	if (r->resolved.valid && r->source == POL_SRC_PCI_ID && n < sizeof(w->source))
		snprintf(w->source + n, sizeof(w->source) - n, " (%s)",
			 pm_pci_bdf(bdf, r->resolved.domain, r->resolved.bus, r->resolved.dev,
				    r->resolved.func));
}

static void print_window(const struct phys_window_info *w)
{
	char line[256];

	phys_window_format(w, line, sizeof(line));
	puts(line);
}

static int cmd_check(int argc, char **argv)
{
	bool no_resolve = false;
	struct pol_set *set;
	int ret, i;
	size_t k;

	i = cmd_options(argc, argv, (const char *const[]){ "--no-resolve", NULL }, &no_resolve, &ret);
	if (i < 0)
		return ret;
	if (!no_resolve) {
		/* /proc/iomem shows addresses only with CAP_SYS_ADMIN; keep
		 * that if we have it, and nothing else. */
		int keep = CAP_SYS_ADMIN;

		pol_cap_drop_except(&keep, pol_cap_available(keep) ? 1 : 0);
	} else {
		pol_cap_drop_except(NULL, 0);
	}
	ret = read_policy(argv + i, no_resolve, &set);
	if (ret)
		return ret;
	print_window(NULL);
	for (k = 0; k < pol_set_count(set); k++) {
		struct phys_window_info w;

		rule_window(pol_set_rule(set, k), &w);
		print_window(&w);
	}
	pol_set_free(set);
	return EXIT_OK;
}

static void to_window(const struct pol_rule *r, struct physmem_window *w)
{
	memset(w, 0, sizeof(*w));
	snprintf(w->name, sizeof(w->name), "%s", r->name);
	w->flags = (r->rw ? PHYSMEM_WIN_RW : 0) | (r->wc ? PHYSMEM_WIN_WC : 0) |
		   (r->shared ? PHYSMEM_WIN_SHARED : 0) | (r->pages ? PHYSMEM_WIN_PAGES : 0) |
		   (r->irq ? PHYSMEM_WIN_IRQ : 0);
	/* Grants (the parser allows them on pci rules only); dma_bits as
	 * written, 0 when not: the driver's 64. */
	w->dma_size = r->dma_size;
	w->dma_bits = (uint8_t)r->dma_bits;
	switch (r->source) {
	case POL_SRC_RANGE:
		w->source = PHYSMEM_SRC_RANGE;
		w->base = r->base;
		w->size = r->size;
		break;
	case POL_SRC_PCI_ID:
	case POL_SRC_PCI_ADDR:
		/* The driver is given the device found now, by address. */
		w->source = PHYSMEM_SRC_PCI;
		w->src.pci.domain = r->resolved.domain;
		w->src.pci.bus = r->resolved.bus;
		w->src.pci.devfn = (uint8_t)(r->resolved.dev << 3 | r->resolved.func);
		w->src.pci.bar = (uint8_t)r->bar;
		w->offset = r->offset;
		w->size = r->size;
		break;
	case POL_SRC_IOMEM:
		/* The driver does not walk the iomem tree: we found the region
		 * (as root, in /proc/iomem) and give it the range. */
		w->source = PHYSMEM_SRC_IOMEM;
		snprintf(w->src.iomem.label, sizeof(w->src.iomem.label), "%s", r->label);
		w->src.iomem.index = r->resolved.iomem_index;
		w->base = r->resolved.base;
		w->size = r->resolved.size;
		break;
	}
}

static const int admin_caps[] = { CAP_SYS_ADMIN, CAP_SYS_RAWIO };

static int driver_name(const struct phys_pci_dev *dev, void *data)
{
	snprintf(data, sizeof(dev->driver), "%s", dev->driver);
	return 1;
}

/*
 * A rule granting dma or irq makes physmem the device's driver, which the
 * driver refuses (EBUSY) while another one drives the device: say which,
 * and how to unbind it, into WHY. False when no other driver is bound
 * (as read under the sysroot), so the refusal is about something else.
 */
static bool explain_owner(const struct pol_rule *rule, char *why, size_t len)
{
	const struct pol_resolved *w = &rule->resolved;
	char bdf[PM_BDF_MAX], drv[sizeof(((struct phys_pci_dev *)0)->driver)] = "";
	struct phys_ctx *ctx;

	if (!pol_rule_grants(rule) || !w->valid)
		return false;
	pm_pci_bdf(bdf, w->domain, w->bus, w->dev, w->func);
	ctx = tool_ctx();
	if (!ctx)
		return false;
	if (phys_pci_walk(ctx, bdf, PHYS_PCI_NO_NAMES, driver_name, drv) != 1)
		drv[0] = '\0';
	phys_ctx_free(ctx);
	if (!drv[0] || !strcmp(drv, PHYSMEM_DEVICE_NAME))
		return false;
	snprintf(why, len, "device %s is driven by %s; physmem must be its driver to grant "
		 "dma/irq: unbind it with 'echo %s > /sys/bus/pci/drivers/%s/unbind'",
		 bdf, drv, bdf, drv);
	return true;
}

/*
 * The driver refused WHAT. RULE is the rule it named (a load's REPLACE
 * reports which window), or NULL when the refusal is the whole request's.
 */
static int driver_refused(const char *what, const struct pol_rule *rule, int err)
{
	const char *why, *hint = " (see dmesg)";
	char owner[256];

	switch (err) {
	case EPERM:
		why = rule ? "its range covers System RAM, or memory the firmware keeps "
			     "(reserved, soft-reserved or persistent memory)"
			   : "the window table is sealed (reload the module), kernel lockdown "
			     "forbids changes, or a window covers System RAM or firmware memory";
		break;
	case EBUSY:
		hint = "";
		if (rule && explain_owner(rule, owner, sizeof(owner))) {
			why = owner;
		} else if (rule && pol_rule_grants(rule)) {
			/* The kernel log names the driver. */
			why = "its range is in use by another driver, or another driver drives the "
			      "device (physmem must be its driver to grant dma/irq)";
			hint = " (see dmesg)";
		} else if (rule && rule->shared) {
			why = "a driver holds its range exclusively; not even a shared window may reach it";
		} else {
			why = rule ? "its range is in use by another driver (add 'shared' to coexist)"
				   : "a range is in use by another driver (add 'shared' to coexist)";
		}
		break;
	case EEXIST:
		if (rule && pol_rule_grants(rule))
			why = "it overlaps another window, or another window grants dma/irq to its device";
		else
			why = rule ? "it overlaps another window" : NULL;
		break;
	case ENODEV:
	case ENXIO:
		why = rule ? "its source is gone or has no address "
			     "(device removed or being removed? BAR unassigned?)" : NULL;
		break;
	default:
		why = NULL;
	}
	if (!why)
		why = strerror(err);
	if (rule)
		errmsg("%s: %s:%u:%u: rule '%s': refused by the driver: %s; nothing changed%s",
		       what, rule->file, rule->line, rule->col, rule->name, why, hint);
	else
		errmsg("%s: refused by the driver: %s; nothing changed%s", what, why, hint);
	return EXIT_DRIVER;
}

static int cmd_load(int argc, char **argv)
{
	struct physmem_window_array arr = { 0 };
	struct physmem_window *wins = NULL;
	struct pol_set *set;
	int ret, i, fd;
	size_t k, n;

	i = cmd_options(argc, argv, NULL, NULL, &ret);
	if (i < 0)
		return ret;
	ret = need_caps("cannot load the policy", admin_caps, 2);
	if (ret)
		return ret;
	ret = read_policy(argv + i, false, &set);
	if (ret)
		return ret;
	n = pol_set_count(set);
	wins = calloc(n ? n : 1, sizeof(*wins));
	if (!wins) {
		pol_set_free(set);
		errmsg("out of memory");
		return EXIT_POLICY;
	}
	for (k = 0; k < n; k++)
		to_window(pol_set_rule(set, k), &wins[k]);
	arr.count = (uint32_t)n;
	arr.windows = (uintptr_t)wins;

	fd = open_device(O_RDWR);
	if (fd < 0) {
		ret = EXIT_DRIVER;
	} else if (ioctl(fd, PHYSMEM_IOC_REPLACE, &arr)) {
		int err = errno;

		/* failed: 1 + the refused rule's index (0: not one rule's) */
		if (arr.failed >= 1 && arr.failed <= n)
			ret = driver_refused("load", pol_set_rule(set, arr.failed - 1), err);
		else
			ret = driver_refused("load", NULL, err);
	} else {
		printf("loaded %zu window%s\n", n, n == 1 ? "" : "s");
	}
	if (fd >= 0)
		close(fd);
	free(wins);
	pol_set_free(set);
	return ret;
}

/* The driver's windows, through libphys. */
struct window_list {
	struct phys_window_info *w;
	size_t n;
};

static int collect_window(const struct phys_window_info *w, void *data)
{
	struct window_list *l = data;
	struct phys_window_info *nw = realloc(l->w, (l->n + 1) * sizeof(*nw));

	if (!nw)
		return -ENOMEM;
	l->w = nw;
	l->w[l->n++] = *w;
	return 0;
}

/* EXIT_OK with *L filled, or the message said and EXIT_DRIVER. */
static int list_windows(struct phys_ctx *ctx, struct window_list *l)
{
	int r = phys_window_foreach(ctx, collect_window, l);

	if (!r)
		return EXIT_OK;
	free(l->w);
	l->w = NULL;
	if (r == -ENOMEM)
		errmsg("out of memory");
	else
		errmsg("%s", phys_ctx_errmsg(ctx));
	return EXIT_DRIVER;
}

static int show_json(const struct phys_system_info *si, const struct window_list *l)
{
	json_object *top = json_object_new_object(), *arr = json_object_new_array();
	size_t i;

	json_object_object_add(top, "version", json_object_new_string(si->driver_version));
	json_object_object_add(top, "sealed", json_object_new_boolean(si->driver_sealed));
	for (i = 0; i < l->n; i++) {
		json_object *o = json_object_new_object();

		window_json_add(o, &l->w[i]);
		json_object_array_add(arr, o);
	}
	json_object_object_add(top, "windows", arr);
	puts(json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(top);
	return EXIT_OK;
}

static int cmd_show(int argc, char **argv)
{
	static const int caps[] = { CAP_SYS_RAWIO };
	struct window_list l = { 0 };
	struct phys_system_info si = PHYS_INFO_INIT(struct phys_system_info);
	struct phys_ctx *ctx;
	static const char *const flags[] = { "--json", "--names", NULL };
	bool set[2] = { false, false }, json, names;
	int ret, arg;
	size_t i;

	arg = cmd_options(argc, argv, flags, set, &ret);
	if (arg < 0)
		return ret;
	json = set[0];
	names = set[1];
	if (arg < argc) {
		errmsg("show: unexpected argument '%s'", argv[arg]);
		return EXIT_USAGE;
	}
	if (json && names) {
		errmsg("show: --json or --names, not both");
		return EXIT_USAGE;
	}
	ret = need_caps("cannot open " PHYSMEM_DEVICE_PATH, caps, 1);
	if (ret)
		return ret;
	ctx = tool_ctx();
	if (!ctx)
		return EXIT_DRIVER;
	ret = list_windows(ctx, &l);
	if (!ret && phys_system_info(ctx, &si)) {
		errmsg("%s", phys_ctx_errmsg(ctx));
		ret = EXIT_DRIVER;
	}
	phys_ctx_free(ctx);
	if (ret)
		goto out;
	if (json) {
		ret = show_json(&si, &l);
		goto out;
	}
	if (names) {
		/* what unload takes, one a line: for scripts and shell completion */
		for (i = 0; i < l.n; i++)
			puts(l.w[i].name);
		goto out;
	}
	if (si.driver_sealed)
		printf("# sealed: windows can't change until the module is reloaded\n");
	print_window(NULL);
	for (i = 0; i < l.n; i++)
		print_window(&l.w[i]);
out:
	free(l.w);
	return ret;
}

static int cmd_unload(int argc, char **argv)
{
	struct physmem_window_array none = { 0 };
	struct window_list l = { 0 };
	struct phys_ctx *ctx;
	bool all = false;
	int ret, i, j, fd;
	size_t k;

	i = cmd_options(argc, argv, (const char *const[]){ "--all", NULL }, &all, &ret);
	if (i < 0)
		return ret;
	if (all == (i < argc)) {
		errmsg("unload: expected window names or --all (not both)");
		return EXIT_USAGE;
	}
	ret = need_caps("cannot unload windows", admin_caps, 2);
	if (ret)
		return ret;
	fd = open_device(O_RDWR);
	if (fd < 0)
		return EXIT_DRIVER;
	if (all) {
		/* One REPLACE with nothing: all windows go at once. */
		if (ioctl(fd, PHYSMEM_IOC_REPLACE, &none))
			ret = driver_refused("unload --all", NULL, errno);
		close(fd);
		return ret;
	}
	/* Check every name before removing any, so a typo changes nothing. */
	ctx = tool_ctx();
	ret = ctx ? list_windows(ctx, &l) : EXIT_DRIVER;
	phys_ctx_free(ctx);
	if (ret) {
		close(fd);
		return ret;
	}
	for (j = i; j < argc && !ret; j++) {
		for (k = 0; k < l.n; k++)
			if (!strcmp(l.w[k].name, argv[j]))
				break;
		if (k == l.n) {
			errmsg("unload: no window named '%s' is loaded; nothing changed", argv[j]);
			ret = EXIT_POLICY;
		}
	}
	free(l.w);
	for (j = i; j < argc && !ret; j++) {
		struct physmem_name name = { 0 };

		snprintf(name.name, sizeof(name.name), "%s", argv[j]);
		if (ioctl(fd, PHYSMEM_IOC_REMOVE, &name))
			ret = driver_refused(argv[j], NULL, errno);
	}
	close(fd);
	return ret;
}

static int cmd_seal(int argc, char **argv)
{
	int ret, i, fd;

	i = cmd_options(argc, argv, NULL, NULL, &ret);
	if (i < 0)
		return ret;
	if (i < argc) {
		errmsg("seal: unexpected argument '%s'", argv[i]);
		return EXIT_USAGE;
	}
	ret = need_caps("cannot seal the window table", admin_caps, 2);
	if (ret)
		return ret;
	fd = open_device(O_RDWR);
	if (fd < 0)
		return EXIT_DRIVER;
	if (ioctl(fd, PHYSMEM_IOC_SEAL))
		ret = driver_refused("seal", NULL, errno);
	close(fd);
	return ret;
}

static const struct command commands[] = {
	{ "check", cmd_check, "[--no-resolve] [FILE...]",
	  "Parse, validate and resolve the policy (default: /etc/physmem/physmem.conf and\n"
	  "physmem.d/*.conf) and print the windows it would give. A window over System RAM\n"
	  "or firmware memory is an error, as for the driver. Resolving reads /proc/iomem,\n"
	  "whose addresses only root sees. --no-resolve checks syntax and consistency only,\n"
	  "without looking at this machine." },
	{ "load", cmd_load, "[FILE...]",
	  "Make the driver's windows exactly those of the policy, all or nothing.\n"
	  "Unchanged windows keep their live mappings. Needs CAP_SYS_ADMIN and CAP_SYS_RAWIO." },
	{ "show", cmd_show, "[--json|--names]",
	  "List the driver's windows. --json: as one JSON object; --names: only their\n"
	  "names, one a line (what unload takes). Needs CAP_SYS_RAWIO." },
	{ "unload", cmd_unload, "NAME...|--all",
	  "Remove the named windows (all of them with --all); their mappings are revoked." },
	{ "seal", cmd_seal, "",
	  "Forbid any further change to the windows until the module is reloaded." },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: %s [--root DIR] COMMAND [ARGS...]\n\n"
		"Load physmem.conf(5) policies into the physmem driver.\n\nCommands:\n", prog);
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-7s %s\n", commands[i].name, commands[i].args);
	fprintf(out, "\nOptions:\n"
		"  --root DIR   use DIR/etc, DIR/proc, DIR/sys and DIR/dev (tests)\n"
		"  -h, --help     show this help ('COMMAND --help' for a command)\n"
		"  -V, --version  show the version\n\nSee physmem-policy(8).\n");
}

static int close_stdout(int ret)
{
	return pm_close_stdout(prog, ret, EXIT_POLICY);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "sysroot", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	size_t i;
	int c;

	root = getenv("PHYSMEM_ROOT");
	/* '+': stop at the command; its options are its own. */
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			root = optarg;
			break;
		case 'h':
			usage(stdout);
			return close_stdout(EXIT_OK);
		case 'V':
			printf("%s %s\n", prog, PHYSMEM_VERSION);
			return close_stdout(EXIT_OK);
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		errmsg("expected a command: check, load, show, unload or seal (see '%s --help')", prog);
		return EXIT_USAGE;
	}
	for (i = 0; i < NR_COMMANDS; i++) {
		if (!strcmp(argv[optind], commands[i].name)) {
			current = &commands[i];
			return close_stdout(current->fn(argc - optind, argv + optind));
		}
	}
	errmsg("unknown command '%s': expected check, load, show, unload or seal", argv[optind]);
	return EXIT_USAGE;
}
