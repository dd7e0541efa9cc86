// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The one policy resolver: turns the pci and iomem rules of a policy into
 * physical ranges on this machine, and applies the driver's own refusals
 * (System RAM and firmware memory, page-rounded as the driver rounds) to
 * every window. physmem-policy uses it before loading the driver; the
 * devmem and sysfs backends use it through phys_policy_check().
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "physmem-common.h"
#include "physmem-policy.h"
#include "internal.h"
#include "private.h"

/* ---- pci and iomem rules: resolved as targets are (source.c) ---- */

static int resolve_pci(struct phys_ctx *ctx, const struct pol_rule *rule,
		       struct pol_resolved *out, char *err, size_t errlen)
{
	struct phys_pci_dev dev;
	struct phys_target t;
	int r;

	memset(&t, 0, sizeof(t));
	t.kind = PHYS_T_PCI;
	t.pci_by_id = rule->source == POL_SRC_PCI_ID;
	t.vendor = rule->vendor;
	t.device = rule->device;
	t.index = rule->index;
	t.domain = rule->domain;
	t.bus = rule->bus;
	t.dev = rule->dev;
	t.func = rule->func;
	t.bar = rule->bar;
	r = phys_source_pci(ctx, &t, &dev, err, errlen);
	if (r)
		return r;
	out->base = dev.bars[rule->bar].addr;
	out->size = dev.bars[rule->bar].size;
	out->domain = dev.domain;
	out->bus = dev.bus;
	out->dev = dev.dev;
	out->func = dev.func;
	out->prefetchable = dev.bars[rule->bar].prefetchable;
	return 0;
}

static int resolve_iomem(struct phys_ctx *ctx, const struct pol_rule *rule,
			 struct pol_resolved *out, char *err, size_t errlen)
{
	int r = phys_source_iomem(ctx, rule->label, rule->index, rule->index_given,
				  &out->base, &out->size, err, errlen);

	if (!r)
		out->iomem_index = rule->index;
	return r;
}

static int resolve_rule(const struct pol_rule *rule, struct pol_resolved *out,
			char *err, size_t errlen, void *data)
{
	struct phys_ctx *ctx = data;

	if (rule->source == POL_SRC_IOMEM)
		return resolve_iomem(ctx, rule, out, err, errlen);
	return resolve_pci(ctx, rule, out, err, errlen);
}

/* ---- memory that is never a window (as physmem_win_check()) --------- */

/*
 * The driver asks the kernel by resource type and descriptor; user space
 * sees the same resources by the names the kernel gives them in
 * /proc/iomem (e820_type_to_string() and friends).
 */
static const struct {
	const char *label;
	const char *what;
} refused[] = {
	{ "System RAM",				"System RAM" },
	{ "ACPI Tables",			"ACPI tables" },
	{ "ACPI Non-volatile Storage",		"ACPI non-volatile storage" },
	{ "Reserved",				"firmware-reserved memory" },
	{ "Soft Reserved",			"soft-reserved memory" },
	{ "Persistent Memory",			"persistent memory" },
	{ "Persistent Memory (legacy)",		"persistent memory" },
};

/* The memory kind of a refused label, or NULL. */
static const char *refused_what(const char *label)
{
	size_t k;

	for (k = 0; k < sizeof(refused) / sizeof(refused[0]); k++)
		if (!strcmp(label, refused[k].label))
			return refused[k].what;
	return NULL;
}

/* A refused region found by memory_walk(): what it is, where it was read. */
struct memory_hit {
	const char *what, *where;
	uint64_t start, end;
	const char *walking;		/* the file being walked */
};

static void hit_record(struct memory_hit *h, const struct phys_iomem_region *r,
		       const char *what)
{
	h->what = what;
	h->where = h->walking;
	h->start = r->start;
	h->end = r->end;
}

struct memory_check {
	struct memory_hit hit;		/* first, for memory_walk() */
	const struct pol_set *set;
	size_t rule;			/* first rule that covers memory, or count */
};

static int memory_match(const struct phys_iomem_region *r, void *data)
{
	struct memory_check *c = data;
	const char *what = refused_what(r->label);
	size_t i;

	if (!what)
		return 0;
	/* Rules before c->rule only: the message names the first one. */
	for (i = 0; i < c->rule; i++) {
		const struct pol_resolved *w = &pol_set_rule(c->set, i)->resolved;

		/* size >= 1, base + size - 1 does not wrap (the core checks). */
		if (!w->valid || r->end < w->base || r->start > w->base + (w->size - 1))
			continue;
		c->rule = i;
		hit_record(&c->hit, r, what);
		break;
	}
	return 0;
}

/* The pages of an access [lo, hi] that a refused region shares. */
struct page_check {
	struct memory_hit hit;		/* first, for memory_walk() */
	uint64_t lo, hi;
};

static int page_match(const struct phys_iomem_region *r, void *data)
{
	struct page_check *c = data;
	const char *what = refused_what(r->label);

	if (!what || r->end < c->lo || r->start > c->hi)
		return 0;
	hit_record(&c->hit, r, what);
	return 1;
}

/*
 * Walk the memory a window must not touch: /proc/iomem, then the Soft
 * Reserved ranges of the firmware's map, which 7.x keeps out of it. HIT
 * (the first member of FN's data) learns which file a region came from.
 */
static int memory_walk(struct phys_ctx *ctx, phys_iomem_fn fn, struct memory_hit *hit,
		       struct phys_iomem_view *view)
{
	int r;

	hit->walking = "/proc/iomem";
	r = phys_iomem_walk(ctx, fn, hit, view);
	if (r < 0 || !view->opened)
		return r;
	hit->walking = "/sys/firmware/memmap";
	return r ? r : phys_memmap_soft_reserved_walk(ctx, fn, hit);
}

/*
 * The backends that enforce the policy in user space map whole pages: a
 * window that shares a page with memory is in the policy (the driver serves
 * it with pread/pwrite), but mapping it would map that memory too.
 */
static int check_pages(struct phys_ctx *ctx, uint64_t phys, uint64_t len)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct page_check c;
	struct phys_iomem_view view;

	c.lo = phys & ~(page - 1);
	c.hi = ((phys + (len - 1)) | (page - 1));
	if (c.lo == phys && c.hi == phys + (len - 1))
		return 0;	/* whole pages: check_memory() covered them */
	c.hit.what = NULL;
	memory_walk(ctx, page_match, &c.hit, &view);
	if (!c.hit.what)
		return 0;
	return phys_err(ctx, -EPERM, "0x%" PRIx64 "-0x%" PRIx64 ": its pages 0x%" PRIx64
			"-0x%" PRIx64 " hold %s (0x%" PRIx64 "-0x%" PRIx64 " in %s), "
			"and this backend maps whole pages; the physmem driver reaches such a "
			"window with pread/pwrite", phys, phys + (len - 1), c.lo, c.hi, c.hit.what,
			c.hit.start, c.hit.end, c.hit.where);
}

/*
 * Every resolved window of SET (already rounded out to pages if its rule
 * says pages, as the driver rounds it) must stay clear of System RAM and
 * firmware memory. Explained in the context, after PREFIX.
 */
static int check_memory(struct phys_ctx *ctx, const struct pol_set *set, const char *prefix)
{
	struct memory_check c = { .set = set, .rule = pol_set_count(set) };
	const struct pol_rule *rule;
	struct phys_iomem_view view;
	char why[PATH_MAX + 64];
	uint64_t last;
	int r;

	if (!c.rule)
		return 0;
	r = memory_walk(ctx, memory_match, &c.hit, &view);
	rule = pol_set_rule(set, 0);
	last = rule->resolved.base + (rule->resolved.size - 1);
	if (!view.opened)
		return phys_err(ctx, r, "%s%s:%u:%u: rule '%s': cannot tell whether 0x%" PRIx64
				"-0x%" PRIx64 " covers System RAM: %s", prefix, rule->file, rule->line,
				rule->col, rule->name, rule->resolved.base, last,
				phys_iomem_walk_why(ctx, r, why, sizeof(why)));
	if (view.hidden)
		return phys_err(ctx, -EACCES, "%s%s:%u:%u: rule '%s': cannot tell whether 0x%" PRIx64
				"-0x%" PRIx64 " covers System RAM: %s", prefix, rule->file, rule->line,
				rule->col, rule->name, rule->resolved.base, last, phys_iomem_hidden_why);
	if (c.rule == pol_set_count(set))
		return 0;
	rule = pol_set_rule(set, c.rule);
	return phys_err(ctx, -EPERM, "%s%s:%u:%u: rule '%s': 0x%" PRIx64 "-0x%" PRIx64
			" covers %s (0x%" PRIx64 "-0x%" PRIx64 " in %s): memory is "
			"never a window", prefix, rule->file, rule->line, rule->col, rule->name,
			rule->resolved.base, rule->resolved.base + (rule->resolved.size - 1),
			c.hit.what, c.hit.start, c.hit.end, c.hit.where);
}

/* Resolve SET; a failure is explained in the context after PREFIX. */
static int policy_resolve(struct phys_ctx *ctx, struct pol_set *set, const char *prefix)
{
	int r = pol_set_resolve(set, resolve_rule, ctx);

	if (r)
		return phys_err(ctx, r, "%s%s", prefix, pol_set_errmsg(set));
	return check_memory(ctx, set, prefix);
}

int phys_policy_resolve(struct phys_ctx *ctx, struct pol_set *set)
{
	if (!ctx || !set)
		return -EINVAL;
	PHYS_API(ctx);
	return policy_resolve(ctx, set, "");
}

int phys_policy_check(struct phys_ctx *ctx, const struct phys_target *t,
		      uint64_t off, uint64_t len, bool write)
{
	const struct pol_rule *rule;
	struct pol_set *set = pol_set_new();
	int r;

	if (!set)
		return phys_err(ctx, -ENOMEM, "out of memory");
	r = pol_set_load(set, (const char *const *)ctx->policy_files,
			 ctx->sysroot[0] ? ctx->sysroot : NULL);
	if (r) {
		r = phys_err(ctx, r, "policy: %s", pol_set_errmsg(set));
		goto out;
	}
	r = policy_resolve(ctx, set, "policy: ");
	if (r)
		goto out;
	r = pol_set_check_access(set, t->phys + off, len, write, &rule);
	if (r)
		r = phys_err(ctx, r, "%s", pol_set_errmsg(set));
	else if ((r = check_pages(ctx, t->phys + off, len)))
		;
	else
		phys_log(ctx, LOG_DEBUG, "policy: rule '%s' allows 0x%llx+0x%llx", rule->name,
			 (unsigned long long)(t->phys + off), (unsigned long long)len);
out:
	pol_set_free(set);
	return r;
}
