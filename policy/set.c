// SPDX-License-Identifier: LGPL-2.1-or-later
/* Rule sets: loading the default policy, resolution and access checks. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "physmem-common.h"

struct pol_set *pol_set_new(void)
{
	return calloc(1, sizeof(struct pol_set));
}

void pol_set_truncate(struct pol_set *set, size_t nr_rules, size_t nr_files)
{
	if (nr_rules < set->nr)
		set->nr = nr_rules;
	while (set->nr_files > nr_files)
		free(set->files[--set->nr_files]);
}

void pol_set_free(struct pol_set *set)
{
	if (!set)
		return;
	pol_set_truncate(set, 0, 0);
	free(set->files);
	free(set->rules);
	free(set);
}

void pol_set_err(struct pol_set *set, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(set->errmsg, sizeof(set->errmsg), fmt, ap);
	va_end(ap);
}

const char *pol_set_errmsg(const struct pol_set *set)
{
	return set->errmsg;
}

size_t pol_set_count(const struct pol_set *set)
{
	return set->nr;
}

const struct pol_rule *pol_set_rule(const struct pol_set *set, size_t i)
{
	return i < set->nr ? &set->rules[i] : NULL;
}

const struct pol_rule *pol_set_find(const struct pol_set *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->nr; i++)
		if (!strcmp(set->rules[i].name, name))
			return &set->rules[i];
	return NULL;
}

static int join(struct pol_set *set, char *buf, size_t size, const char *root,
		const char *path, const char *name)
{
	int n;

	if (!root || !strcmp(root, "/"))
		root = "";
	n = snprintf(buf, size, "%s%s%s%s", root, path, name ? "/" : "", name ? name : "");
	if (n < 0 || (size_t)n >= size) {
		pol_set_err(set, "%s%s: path too long", root, path);
		return -ENAMETOOLONG;
	}
	return 0;
}

static int conf_filter(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return d->d_name[0] != '.' && len > 5 && !strcmp(d->d_name + len - 5, ".conf");
}

/* Lexical order by bytes, not by locale: the order must not depend on $LANG. */
static int byte_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int load_default(struct pol_set *set, const char *root)
{
	char path[PATH_MAX], dir[PATH_MAX];
	struct dirent **names = NULL;
	int i, n, r;

	r = join(set, path, sizeof(path), root, POL_DEFAULT_FILE, NULL);
	if (r)
		return r;
	r = pol_set_parse_file(set, path);
	if (r && r != -ENOENT)
		return r;

	r = join(set, dir, sizeof(dir), root, POL_DEFAULT_DIR, NULL);
	if (r)
		return r;
	n = scandir(dir, &names, conf_filter, byte_order);
	if (n < 0) {
		if (errno == ENOENT)
			return 0;
		r = -errno;
		pol_set_err(set, "%s: %s", dir, strerror(-r));
		return r;
	}
	r = 0;
	for (i = 0; i < n; i++) {
		if (!r)
			r = join(set, path, sizeof(path), root, POL_DEFAULT_DIR, names[i]->d_name);
		if (!r)
			r = pol_set_parse_file(set, path);
		free(names[i]);
	}
	free(names);
	return r;
}

int pol_set_load(struct pol_set *set, const char *const *files, const char *root)
{
	int r = 0;

	pol_set_truncate(set, 0, 0);
	set->errmsg[0] = '\0';
	if (!files)
		r = load_default(set, root);
	for (; files && *files && !r; files++)
		r = pol_set_parse_file(set, *files);
	if (r)
		pol_set_truncate(set, 0, 0);
	return r;
}

int pol_rule_format_source(const struct pol_rule *rule, char *buf, size_t len)
{
	char idx[16] = "", narrow[64] = "", bdf[PM_BDF_MAX];
	int n = 0;

	if (rule->index_given)
		snprintf(idx, sizeof(idx), "#%u", rule->index);
	if (rule->narrowed && rule->size)
		snprintf(narrow, sizeof(narrow), " offset 0x%" PRIx64 " size 0x%" PRIx64,
			 rule->offset, rule->size);
	else if (rule->narrowed)
		snprintf(narrow, sizeof(narrow), " offset 0x%" PRIx64, rule->offset);

	switch (rule->source) {
	case POL_SRC_RANGE:
		n = snprintf(buf, len, "range 0x%" PRIx64 " +0x%" PRIx64, rule->base, rule->size);
		break;
	case POL_SRC_PCI_ID:
		n = snprintf(buf, len, "pci %04x:%04x%s bar %u%s", rule->vendor, rule->device,
			     idx, rule->bar, narrow);
		break;
	case POL_SRC_PCI_ADDR:
		n = snprintf(buf, len, "pci %s bar %u%s", pm_pci_bdf(bdf, rule->domain, rule->bus,
			     rule->dev, rule->func), rule->bar, narrow);
		break;
	case POL_SRC_IOMEM:
		n = snprintf(buf, len, "iomem \"%s\"%s%s", rule->label, idx, narrow);
		break;
	}
	return n;
}

int pol_rule_narrow(const struct pol_rule *rule, uint64_t src_base,
		    uint64_t src_size, uint64_t *base, uint64_t *size)
{
	uint64_t len;

	if (!src_size || src_size - 1 > UINT64_MAX - src_base)
		return -ERANGE;
	if (!rule->narrowed) {
		*base = src_base;
		*size = src_size;
		return 0;
	}
	if (rule->offset >= src_size)
		return -ERANGE;
	len = rule->size ? rule->size : src_size - rule->offset;
	if (len > src_size - rule->offset)
		return -ERANGE;
	*base = src_base + rule->offset;
	*size = len;
	return 0;
}

int pol_rule_pages(const struct pol_rule *rule, uint64_t *base, uint64_t *size)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t first, last;

	if (!rule->pages)
		return 0;
	if (!*size || *size - 1 > UINT64_MAX - *base)
		return -ERANGE;
	first = *base & ~(page - 1);
	last = (*base + (*size - 1)) | (page - 1);
	if (last - first == UINT64_MAX)
		return -ERANGE;	/* all of the address space: no size fits */
	*base = first;
	*size = last - first + 1;
	return 0;
}

bool pol_rule_grants(const struct pol_rule *rule)
{
	return rule->dma_size || rule->irq;
}

/* Do A and B, both pci rules, name one device (see pol_set_check_grant)? */
static bool same_device(const struct pol_rule *a, const struct pol_rule *b)
{
	const struct pol_resolved *x = &a->resolved, *y = &b->resolved;

	if (x->valid && y->valid)
		return x->domain == y->domain && x->bus == y->bus && x->dev == y->dev &&
		       x->func == y->func;
	if (a->source != b->source)
		return false;
	if (a->source == POL_SRC_PCI_ID)
		return a->vendor == b->vendor && a->device == b->device && a->index == b->index;
	return a->domain == b->domain && a->bus == b->bus && a->dev == b->dev && a->func == b->func;
}

/* The device RULE names: the one found, or as written. */
static const char *rule_device(const struct pol_rule *rule, char *buf, size_t len)
{
	char bdf[PM_BDF_MAX];

	if (rule->resolved.valid || rule->source == POL_SRC_PCI_ADDR) {
		const struct pol_resolved *w = &rule->resolved;

		snprintf(buf, len, "%s", w->valid ? pm_pci_bdf(bdf, w->domain, w->bus, w->dev, w->func)
			 : pm_pci_bdf(bdf, rule->domain, rule->bus, rule->dev, rule->func));
	} else if (rule->index_given) {
		snprintf(buf, len, "%04x:%04x#%u", rule->vendor, rule->device, rule->index);
	} else {
		snprintf(buf, len, "%04x:%04x", rule->vendor, rule->device);
	}
	return buf;
}

int pol_set_check_grant(struct pol_set *set, size_t n, const struct pol_rule *rule)
{
	char dev[64];
	size_t i;

	if (!pol_rule_grants(rule))
		return 0;
	for (i = 0; i < n && i < set->nr; i++) {
		const struct pol_rule *first = &set->rules[i];

		if (first == rule || !pol_rule_grants(first) || !same_device(first, rule))
			continue;
		/* The driver's rule too: a second grant to a device is EEXIST. */
		pol_set_err(set, "%s:%u:%u: rule '%s': device %s is granted dma/irq by rule '%s' "
			    "(%s:%u:%u) already: at most one rule per PCI device may grant dma or irq",
			    rule->file, rule->line, rule->col, rule->name,
			    rule_device(rule, dev, sizeof(dev)), first->name, first->file,
			    first->line, first->col);
		return -EINVAL;
	}
	return 0;
}

/* Does [base, base + size) start and end on page boundaries? */
static bool pol_pages_filled(uint64_t base, uint64_t size)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	return !(base & (page - 1)) && !(size & (page - 1));
}

static void unresolve(struct pol_set *set)
{
	size_t i;

	for (i = 0; i < set->nr; i++)
		if (set->rules[i].source != POL_SRC_RANGE)
			memset(&set->rules[i].resolved, 0, sizeof(set->rules[i].resolved));
}

/* Range rules are resolved by the parser and stay resolved. */
int pol_set_resolve(struct pol_set *set, pol_resolve_fn fn, void *data)
{
	char err[POL_ERRMSG_MAX - 64], src[128];
	uint64_t src_base, src_last;
	size_t i;
	int r;

	set->errmsg[0] = '\0';
	for (i = 0; i < set->nr; i++) {
		struct pol_rule *rule = &set->rules[i];
		struct pol_resolved out;

		if (rule->source == POL_SRC_RANGE)
			continue;
		memset(&out, 0, sizeof(out));
		err[0] = '\0';
		r = fn(rule, &out, err, sizeof(err), data);
		if (r) {
			if (r > 0)
				r = -EINVAL;
			pol_set_err(set, "%s:%u:%u: rule '%s': %s", rule->file, rule->line, rule->col,
				    rule->name, err[0] ? err : strerror(-r));
			goto fail;
		}
		pol_rule_format_source(rule, src, sizeof(src));
		src_base = out.base;
		src_last = out.base + (out.size - 1);
		r = pol_rule_narrow(rule, out.base, out.size, &out.base, &out.size);
		if (r) {
			pol_set_err(set, "%s:%u:%u: rule '%s': offset/size leave the source: %s is 0x%" PRIx64 " bytes",
				    rule->file, rule->line, rule->col, rule->name, src, out.size);
			goto fail;
		}
		if (pol_rule_pages(rule, &out.base, &out.size)) {
			pol_set_err(set, "%s:%u:%u: rule '%s': its pages reach past the end of the address space",
				    rule->file, rule->line, rule->col, rule->name);
			r = -ERANGE;
			goto fail;
		}
		/* The driver's rules too (physmem_win_check). */
		if (rule->source != POL_SRC_IOMEM &&
		    (out.base < src_base || out.base + (out.size - 1) > src_last)) {
			pol_set_err(set, "%s:%u:%u: rule '%s': its pages 0x%" PRIx64 "-0x%" PRIx64
				    " reach past %s (0x%" PRIx64 "-0x%" PRIx64 "), where another "
				    "device's registers may be; without 'pages' the window is "
				    "reached with pread/pwrite", rule->file, rule->line, rule->col,
				    rule->name, out.base, out.base + (out.size - 1), src, src_base,
				    src_last);
			r = -EINVAL;
			goto fail;
		}
		if (rule->wc && !pol_pages_filled(out.base, out.size)) {
			pol_set_err(set, "%s:%u:%u: rule '%s': 'wc' needs a window that fills its "
				    "pages (a page-aligned start and size, or 'pages'): "
				    "write-combining is the memory type of a mapping, and a mapping "
				    "is made of whole pages", rule->file, rule->line, rule->col,
				    rule->name);
			r = -EINVAL;
			goto fail;
		}
		if (rule->wc && !out.prefetchable) {
			char bdf[PM_BDF_MAX];

			pol_set_err(set, "%s:%u:%u: rule '%s': 'wc' needs a prefetchable BAR, and bar %u of %s is not",
				    rule->file, rule->line, rule->col, rule->name, rule->bar,
				    pm_pci_bdf(bdf, out.domain, out.bus, out.dev, out.func));
			r = -EINVAL;
			goto fail;
		}
		out.valid = true;
		rule->resolved = out;
	}
	/* Once every rule names the device found: vendor:device#N and an
	 * address may be the same one. */
	for (i = 0; i < set->nr; i++) {
		r = pol_set_check_grant(set, i, &set->rules[i]);
		if (r)
			goto fail;
	}
	return 0;
fail:
	unresolve(set);
	return r;
}

int pol_set_check_access(struct pol_set *set, uint64_t phys, uint64_t len,
			 bool write, const struct pol_rule **rulep)
{
	const struct pol_rule *ro = NULL;
	size_t i;

	if (!len || len - 1 > UINT64_MAX - phys) {
		pol_set_err(set, "0x%" PRIx64 " +0x%" PRIx64 ": empty or overflowing range", phys, len);
		return -EINVAL;
	}
	for (i = 0; i < set->nr; i++) {
		const struct pol_rule *rule = &set->rules[i];
		const struct pol_resolved *w = &rule->resolved;

		if (!w->valid || phys < w->base || phys - w->base >= w->size ||
		    len > w->size - (phys - w->base))
			continue;
		if (write && !rule->rw) {
			if (!ro)
				ro = rule;
			continue;
		}
		if (rulep)
			*rulep = rule;
		return 0;
	}
	if (ro)
		pol_set_err(set, "0x%" PRIx64 "-0x%" PRIx64 ": window '%s' (%s:%u) is read-only",
			    phys, phys + (len - 1), ro->name, ro->file, ro->line);
	else if (set->nr == 0)
		pol_set_err(set, "0x%" PRIx64 "-0x%" PRIx64 " is outside every window: the policy "
			    "has none (no rules in its files, by default " POL_DEFAULT_FILE
			    " and " POL_DEFAULT_DIR "/*.conf; see physmem.conf(5))",
			    phys, phys + (len - 1));
	else
		pol_set_err(set, "0x%" PRIx64 "-0x%" PRIx64 " is outside every window of the policy",
			    phys, phys + (len - 1));
	return -EACCES;
}
