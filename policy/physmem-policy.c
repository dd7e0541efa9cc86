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

#include <json.h>

#include <linux/physmem.h>
#include "libphys.h"
#include "physmem-common.h"
#include "physmem-policy.h"

/* Exit codes (documented in physmem-policy(8)). */
enum {
	EXIT_OK = 0,
	EXIT_POLICY = 1,	/* syntax, validation or resolution error */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_PERM = 3,		/* a capability is missing */
	EXIT_DRIVER = 4,	/* driver absent, or it refused the request */
};

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

static const char *device_path(void)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", root && strcmp(root, "/") ? root : "",
		 PHYSMEM_DEVICE_PATH);
	return path;
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

static int open_device(int flags)
{
	int fd = open(device_path(), flags | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		errmsg("%s: no such device: is the physmem module loaded? (modprobe physmem)",
		       device_path());
	else if (errno == EPERM)
		errmsg("%s: %s: needs CAP_SYS_RAWIO, and the kernel may be locked down (see physmem(4))",
		       device_path(), strerror(errno));
	else
		errmsg("%s: %s", device_path(), strerror(errno));
	return -1;
}

/* ---- resolution through libphys --------------------------------------- */

struct pci_find {
	unsigned int want, seen;
	struct phys_pci_dev dev;
	bool found;
};

static int pci_match(const struct phys_pci_dev *dev, void *data)
{
	struct pci_find *f = data;

	if (f->seen++ < f->want)
		return 0;
	f->dev = *dev;
	f->found = true;
	return 1;	/* stop the walk */
}

#define IOMEM_CANDIDATES 8

struct iomem_find {
	const char *label;
	unsigned int want, seen;
	struct phys_iomem_region hit[IOMEM_CANDIDATES];
};

static int iomem_match(const struct phys_iomem_region *r, void *data)
{
	struct iomem_find *f = data;

	if (strcmp(r->label, f->label))
		return 0;
	if (f->seen < IOMEM_CANDIDATES) {
		f->hit[f->seen] = *r;
		f->hit[f->seen].label = NULL;	/* valid only during the call */
	}
	f->seen++;
	return 0;
}

static int resolve_pci(struct phys_ctx *ctx, const struct pol_rule *rule,
		       struct pol_resolved *out, char *err, size_t errlen)
{
	struct pci_find f = { .want = rule->index };
	const struct phys_pci_bar *bar;
	char filter[PM_BDF_MAX];
	int r;

	if (rule->source == POL_SRC_PCI_ID)
		snprintf(filter, sizeof(filter), "%04x:%04x", rule->vendor, rule->device);
	else
		pm_pci_bdf(filter, rule->domain, rule->bus, rule->dev, rule->func);
	r = phys_pci_foreach(ctx, filter, pci_match, &f);
	if (r < 0) {
		snprintf(err, errlen, "cannot list PCI devices: %s", phys_ctx_errmsg(ctx));
		return r;
	}
	if (!f.found) {
		if (rule->source == POL_SRC_PCI_ADDR)
			snprintf(err, errlen, "no PCI device at %s", filter);
		else
			snprintf(err, errlen, "no PCI device %s#%u (found %u with that ID)",
				 filter, rule->index, f.seen);
		return -ENODEV;
	}
	out->domain = f.dev.domain;
	out->bus = f.dev.bus;
	out->dev = f.dev.dev;
	out->func = f.dev.func;
	bar = &f.dev.bars[rule->bar];
	pm_pci_bdf(filter, f.dev.domain, f.dev.bus, f.dev.dev, f.dev.func);
	if (!bar->size || !bar->assigned) {
		snprintf(err, errlen, "bar %u of %s is not assigned", rule->bar, filter);
		return -ENXIO;
	}
	if (bar->is_io) {
		snprintf(err, errlen, "bar %u of %s is an I/O port BAR, not memory", rule->bar, filter);
		return -EINVAL;
	}
	out->base = bar->addr;
	out->size = bar->size;
	out->prefetchable = bar->prefetchable;
	return 0;
}

static int resolve_iomem(struct phys_ctx *ctx, const struct pol_rule *rule,
			 struct pol_resolved *out, char *err, size_t errlen)
{
	struct iomem_find f = { .label = rule->label };
	const struct phys_iomem_region *hit;
	unsigned int i;
	size_t n;
	int r;

	r = phys_iomem_foreach(ctx, iomem_match, &f);
	if (r < 0) {
		snprintf(err, errlen, "cannot read the iomem tree: %s", phys_ctx_errmsg(ctx));
		return r;
	}
	if (!f.seen) {
		snprintf(err, errlen, "no region labelled \"%s\" in /proc/iomem", rule->label);
		return -ENODEV;
	}
	if (!rule->index_given && f.seen > 1) {
		n = (size_t)snprintf(err, errlen, "label \"%s\" is ambiguous, add #N:", rule->label);
		for (i = 0; i < f.seen && i < IOMEM_CANDIDATES && n < errlen; i++)
			n += (size_t)snprintf(err + n, errlen - n, " #%u 0x%" PRIx64 "-0x%" PRIx64 "%s",
					      i, f.hit[i].start, f.hit[i].end,
					      i + 1 < f.seen ? "," : "");
		if (f.seen > IOMEM_CANDIDATES && n < errlen)
			snprintf(err + n, errlen - n, " ...");
		return -EINVAL;
	}
	if (rule->index >= f.seen) {
		snprintf(err, errlen, "no region \"%s\"#%u in /proc/iomem (found %u)",
			 rule->label, rule->index, f.seen);
		return -ENODEV;
	}
	if (rule->index >= IOMEM_CANDIDATES) {
		snprintf(err, errlen, "index #%u: at most %d regions with one label are supported",
			 rule->index, IOMEM_CANDIDATES);
		return -E2BIG;
	}
	hit = &f.hit[rule->index];
	if (hit->end < hit->start || (hit->start == 0 && hit->end == UINT64_MAX)) {
		snprintf(err, errlen, "region \"%s\" has no usable address (run as root to read /proc/iomem)",
			 rule->label);
		return -ERANGE;
	}
	out->base = hit->start;
	out->size = hit->end - hit->start + 1;
	out->iomem_index = rule->index;
	return 0;
}

static int resolve_rule(const struct pol_rule *rule, struct pol_resolved *out,
			char *err, size_t errlen, void *data)
{
	struct phys_ctx *ctx = data;

	if (rule->source == POL_SRC_IOMEM)
		return resolve_iomem(ctx, rule, out, err, errlen);
	return resolve_pci(ctx, rule, out, err, errlen);
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
	ctx = phys_ctx_new();
	if (!ctx || (root && phys_ctx_set_sysroot(ctx, root))) {
		errmsg("cannot set up libphys: %s", ctx ? phys_ctx_errmsg(ctx) : strerror(errno));
		goto out;
	}
	if (pol_set_resolve(set, resolve_rule, ctx)) {
		fprintf(stderr, "%s\n", pol_set_errmsg(set));
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
 * Options common to every command (--help) plus the command's own flag,
 * if any (FLAG like "--json"); returns optind, or -1 when done/failed with
 * *ret set.
 */
static int cmd_options(int argc, char **argv, const char *flag, bool *flag_set, int *ret)
{
	int i;

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
		if (flag && !strcmp(argv[i], flag)) {
			*flag_set = true;
			continue;
		}
		errmsg("%s: unknown option '%s' (see '%s %s --help')", current->name, argv[i],
		       prog, current->name);
		*ret = EXIT_USAGE;
		return -1;
	}
	return i;
}

static void fmt_flags(char *buf, size_t len, bool rw, bool wc, bool shared, bool pages)
{
	snprintf(buf, len, "%s %s%s%s", rw ? "rw" : "ro", wc ? "wc" : "uc", shared ? " shared" : "",
		 pages ? " pages" : "");
}

static int cmd_check(int argc, char **argv)
{
	bool no_resolve = false;
	struct pol_set *set;
	int ret, i;
	size_t k;

	i = cmd_options(argc, argv, "--no-resolve", &no_resolve, &ret);
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
	for (k = 0; k < pol_set_count(set); k++) {
		const struct pol_rule *r = pol_set_rule(set, k);
		char range[64], flags[32], src[160], dev[32] = "", bdf[PM_BDF_MAX];

		if (r->resolved.valid)
			snprintf(range, sizeof(range), "0x%" PRIx64 "-0x%" PRIx64, r->resolved.base,
				 r->resolved.base + (r->resolved.size - 1));
		else
			snprintf(range, sizeof(range), "-");
		fmt_flags(flags, sizeof(flags), r->rw, r->wc, r->shared, r->pages);
		pol_rule_format_source(r, src, sizeof(src));
		if (r->resolved.valid && r->source == POL_SRC_PCI_ID)
			snprintf(dev, sizeof(dev), " (%s)", pm_pci_bdf(bdf, r->resolved.domain,
				 r->resolved.bus, r->resolved.dev, r->resolved.func));
		printf("%-16s %-37s %-12s %s%s\n", r->name, range, flags, src, dev);
	}
	pol_set_free(set);
	return EXIT_OK;
}

static void to_window(const struct pol_rule *r, struct physmem_window *w)
{
	memset(w, 0, sizeof(*w));
	snprintf(w->name, sizeof(w->name), "%s", r->name);
	w->flags = (r->rw ? PHYSMEM_WIN_RW : 0) | (r->wc ? PHYSMEM_WIN_WC : 0) |
		   (r->shared ? PHYSMEM_WIN_SHARED : 0) | (r->pages ? PHYSMEM_WIN_PAGES : 0);
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

/*
 * The driver refused WHAT. RULE is the rule it named (a load's REPLACE
 * reports which window), or NULL when the refusal is the whole request's.
 */
static int driver_refused(const char *what, const struct pol_rule *rule, int err)
{
	const char *why, *hint = " (see dmesg)";

	switch (err) {
	case EPERM:
		why = rule ? "its range covers System RAM, or memory the firmware keeps "
			     "(reserved, soft-reserved or persistent memory)"
			   : "the window table is sealed (reload the module), kernel lockdown "
			     "forbids changes, or a window covers System RAM or firmware memory";
		break;
	case EBUSY:
		if (rule && rule->shared)
			why = "a driver holds its range exclusively; not even a shared window may reach it";
		else
			why = rule ? "its range is in use by another driver (add 'shared' to coexist)"
				   : "a range is in use by another driver (add 'shared' to coexist)";
		hint = "";
		break;
	case EEXIST:
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

/* The driver's windows; *nr set; NULL and message on failure. */
static struct physmem_window *list_windows(int fd, uint32_t *nr, struct physmem_info *info)
{
	struct physmem_window_array arr = { 0 };
	struct physmem_window *wins = NULL;

	if (ioctl(fd, PHYSMEM_IOC_INFO, info)) {
		errmsg("%s: cannot read driver info: %s", device_path(), strerror(errno));
		return NULL;
	}
	/* The table can grow between the calls: retry until it fits. */
	for (;;) {
		uint32_t cap = arr.count + 8;
		struct physmem_window *w = realloc(wins, cap * sizeof(*w));

		if (!w) {
			free(wins);
			errmsg("out of memory");
			return NULL;
		}
		wins = w;
		memset(wins, 0, cap * sizeof(*wins));
		arr.count = cap;
		arr.windows = (uintptr_t)wins;
		if (ioctl(fd, PHYSMEM_IOC_LIST, &arr)) {
			errmsg("%s: cannot list windows: %s", device_path(), strerror(errno));
			free(wins);
			return NULL;
		}
		if (arr.count <= cap)
			break;
	}
	*nr = arr.count;
	return wins;
}

static void window_source(const struct physmem_window *w, char *buf, size_t len)
{
	char bdf[PM_BDF_MAX];

	switch (w->source) {
	case PHYSMEM_SRC_PCI:
		snprintf(buf, len, "pci %s bar %u", pm_pci_bdf(bdf, w->src.pci.domain, w->src.pci.bus,
			 w->src.pci.devfn >> 3, w->src.pci.devfn & 7), w->src.pci.bar);
		break;
	case PHYSMEM_SRC_IOMEM:
		snprintf(buf, len, "iomem \"%.*s\"#%u", PHYSMEM_LABEL_MAX - 1, w->src.iomem.label,
			 w->src.iomem.index);
		break;
	default:
		snprintf(buf, len, "range");
	}
}

static int show_json(const struct physmem_info *info, const struct physmem_window *wins, uint32_t n)
{
	json_object *top = json_object_new_object(), *arr = json_object_new_array();
	char ver[16];
	uint32_t i;

	snprintf(ver, sizeof(ver), "%u.%u", info->version_major, info->version_minor);
	json_object_object_add(top, "version", json_object_new_string(ver));
	json_object_object_add(top, "sealed", json_object_new_boolean(info->flags & PHYSMEM_INFO_SEALED));
	for (i = 0; i < n; i++) {
		const struct physmem_window *w = &wins[i];
		json_object *o = json_object_new_object(), *src = json_object_new_object();
		char name[PHYSMEM_NAME_MAX], label[PHYSMEM_LABEL_MAX], addr[PM_BDF_MAX];

		snprintf(name, sizeof(name), "%.*s", PHYSMEM_NAME_MAX - 1, w->name);
		json_object_object_add(o, "name", json_object_new_string(name));
		json_object_object_add(o, "base", json_object_new_uint64(w->base));
		json_object_object_add(o, "size", json_object_new_uint64(w->size));
		json_object_object_add(o, "access", json_object_new_string(w->flags & PHYSMEM_WIN_RW ? "rw" : "ro"));
		json_object_object_add(o, "cache", json_object_new_string(w->flags & PHYSMEM_WIN_WC ? "wc" : "uc"));
		json_object_object_add(o, "shared", json_object_new_boolean(w->flags & PHYSMEM_WIN_SHARED));
		json_object_object_add(o, "pages", json_object_new_boolean(w->flags & PHYSMEM_WIN_PAGES));
		json_object_object_add(o, "claimed", json_object_new_boolean(w->flags & PHYSMEM_WIN_CLAIMED));
		json_object_object_add(o, "mmap", json_object_new_boolean(w->flags & PHYSMEM_WIN_MMAP));
		json_object_object_add(o, "gone", json_object_new_boolean(w->flags & PHYSMEM_WIN_GONE));
		switch (w->source) {
		case PHYSMEM_SRC_PCI:
			pm_pci_bdf(addr, w->src.pci.domain, w->src.pci.bus, w->src.pci.devfn >> 3,
				   w->src.pci.devfn & 7);
			json_object_object_add(src, "type", json_object_new_string("pci"));
			json_object_object_add(src, "address", json_object_new_string(addr));
			json_object_object_add(src, "bar", json_object_new_int(w->src.pci.bar));
			json_object_object_add(src, "offset", json_object_new_uint64(w->offset));
			break;
		case PHYSMEM_SRC_IOMEM:
			snprintf(label, sizeof(label), "%.*s", PHYSMEM_LABEL_MAX - 1, w->src.iomem.label);
			json_object_object_add(src, "type", json_object_new_string("iomem"));
			json_object_object_add(src, "label", json_object_new_string(label));
			json_object_object_add(src, "index", json_object_new_int64(w->src.iomem.index));
			break;
		default:
			json_object_object_add(src, "type", json_object_new_string("range"));
		}
		json_object_object_add(o, "source", src);
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
	struct physmem_window *wins;
	struct physmem_info info;
	bool json = false;
	uint32_t n, i;
	int ret, fd, arg;

	arg = cmd_options(argc, argv, "--json", &json, &ret);
	if (arg < 0)
		return ret;
	if (arg < argc) {
		errmsg("show: unexpected argument '%s'", argv[arg]);
		return EXIT_USAGE;
	}
	ret = need_caps("cannot open " PHYSMEM_DEVICE_PATH, caps, 1);
	if (ret)
		return ret;
	fd = open_device(O_RDONLY);
	if (fd < 0)
		return EXIT_DRIVER;
	wins = list_windows(fd, &n, &info);
	close(fd);
	if (!wins)
		return EXIT_DRIVER;
	if (json) {
		ret = show_json(&info, wins, n);
	} else {
		if (info.flags & PHYSMEM_INFO_SEALED)
			printf("# sealed: windows can't change until the module is reloaded\n");
		printf("%-16s %-37s %-12s %-14s %s\n", "NAME", "RANGE", "ACCESS", "STATE", "SOURCE");
		for (i = 0; i < n; i++) {
			const struct physmem_window *w = &wins[i];
			char range[64], flags[32], state[32], src[128];

			snprintf(range, sizeof(range), "0x%llx-0x%llx", (unsigned long long)w->base,
				 (unsigned long long)(w->base + (w->size ? w->size - 1 : 0)));
			fmt_flags(flags, sizeof(flags), w->flags & PHYSMEM_WIN_RW,
				  w->flags & PHYSMEM_WIN_WC, w->flags & PHYSMEM_WIN_SHARED,
				  w->flags & PHYSMEM_WIN_PAGES);
			snprintf(state, sizeof(state), "%s%s", w->flags & PHYSMEM_WIN_GONE ? "gone" :
				 w->flags & PHYSMEM_WIN_CLAIMED ? "claimed" : "unclaimed",
				 w->flags & PHYSMEM_WIN_MMAP ? ",mmap" : "");
			window_source(w, src, sizeof(src));
			printf("%-16.*s %-37s %-12s %-14s %s\n", PHYSMEM_NAME_MAX - 1, w->name, range,
			       flags, state, src);
		}
	}
	free(wins);
	return ret;
}

static int cmd_unload(int argc, char **argv)
{
	struct physmem_window_array none = { 0 };
	struct physmem_window *wins;
	struct physmem_info info;
	bool all = false;
	uint32_t n, k;
	int ret, i, j, fd;

	i = cmd_options(argc, argv, "--all", &all, &ret);
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
	wins = list_windows(fd, &n, &info);
	if (!wins) {
		close(fd);
		return EXIT_DRIVER;
	}
	for (j = i; j < argc && !ret; j++) {
		for (k = 0; k < n; k++)
			if (!strncmp(wins[k].name, argv[j], PHYSMEM_NAME_MAX))
				break;
		if (k == n) {
			errmsg("unload: no window named '%s' is loaded; nothing changed", argv[j]);
			ret = EXIT_POLICY;
		}
	}
	free(wins);
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
	  "physmem.d/*.conf) and print the windows it would give. --no-resolve checks\n"
	  "syntax and consistency only, without looking at this machine." },
	{ "load", cmd_load, "[FILE...]",
	  "Make the driver's windows exactly those of the policy, all or nothing.\n"
	  "Unchanged windows keep their live mappings. Needs CAP_SYS_ADMIN and CAP_SYS_RAWIO." },
	{ "show", cmd_show, "[--json]",
	  "List the driver's windows. Needs CAP_SYS_RAWIO." },
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
