// SPDX-License-Identifier: LGPL-2.1-or-later
/* PCI enumeration through libpci (sysfs method, so the sysroot applies). */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "internal.h"
#include "physmem-common.h"

/* libpci's error callback must not return; we jump back to the caller. */
static __thread sigjmp_buf *pci_jmp;
static __thread char pci_errbuf[256];

__attribute__((noreturn)) PHYS_PRINTF(1, 2)
static void pci_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(pci_errbuf, sizeof(pci_errbuf), msg, ap);
	va_end(ap);
	siglongjmp(*pci_jmp, 1);
}

PHYS_PRINTF(1, 2)
static void pci_quiet(char *msg, ...)
{
}

/* D into O; with NAMES its vendor, device and class names from pci.ids,
 * which libpci reads (and decompresses) whole on the first lookup. */
static void fill_dev(struct pci_access *pacc, struct pci_dev *d, struct phys_pci_dev *o,
		     bool names)
{
	char *drv;

	memset(o, 0, sizeof(*o));
	o->struct_size = sizeof(*o);
	pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_BASES | PCI_FILL_SIZES |
		      PCI_FILL_IO_FLAGS | PCI_FILL_SUBSYS | PCI_FILL_DRIVER);
	o->domain = (uint32_t)d->domain;
	o->bus = d->bus;
	o->dev = d->dev;
	o->func = d->func;
	o->vendor_id = d->vendor_id;
	o->device_id = d->device_id;
	o->class_id = d->device_class;
	o->subsys_vendor_id = d->subsys_vendor_id;
	o->subsys_id = d->subsys_id;
	if (names && !pci_lookup_name(pacc, o->vendor_name, sizeof(o->vendor_name),
			     PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_NUMBERS, d->vendor_id))
		o->vendor_name[0] = '\0';
	if (names && !pci_lookup_name(pacc, o->device_name, sizeof(o->device_name),
			     PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS, d->vendor_id, d->device_id))
		o->device_name[0] = '\0';
	if (names && !pci_lookup_name(pacc, o->class_name, sizeof(o->class_name),
			     PCI_LOOKUP_CLASS | PCI_LOOKUP_NO_NUMBERS, d->device_class))
		o->class_name[0] = '\0';
	drv = pci_get_string_property(d, PCI_FILL_DRIVER);
	if (drv)
		snprintf(o->driver, sizeof(o->driver), "%s", drv);
	o->mem_decode = pci_read_word(d, PCI_COMMAND) & PCI_COMMAND_MEMORY;
	for (int i = 0; i < 6; i++) {
		struct phys_pci_bar *b = &o->bars[i];
		pciaddr_t flags = d->flags[i];

		b->size = d->size[i];
		if (!b->size)
			continue;
		b->is_io = flags ? (flags & PCI_IORESOURCE_IO) :
				   (d->base_addr[i] & PCI_BASE_ADDRESS_SPACE_IO);
		if (b->is_io) {
			b->addr = d->base_addr[i] & PCI_BASE_ADDRESS_IO_MASK;
		} else {
			b->addr = d->base_addr[i] & PCI_BASE_ADDRESS_MEM_MASK;
			b->prefetchable = flags ? (flags & PCI_IORESOURCE_PREFETCH) :
					  (d->base_addr[i] & PCI_BASE_ADDRESS_MEM_PREFETCH);
			b->is_64bit = flags ? (flags & PCI_IORESOURCE_MEM_64) :
				      ((d->base_addr[i] & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
				       PCI_BASE_ADDRESS_MEM_TYPE_64);
		}
		b->assigned = b->addr != 0;
	}
}

static int cmp_dev(const void *a, const void *b)
{
	const struct phys_pci_dev *x = a, *y = b;
	uint64_t kx = (uint64_t)x->domain << 16 | x->bus << 8 | x->dev << 3 | x->func;
	uint64_t ky = (uint64_t)y->domain << 16 | y->bus << 8 | y->dev << 3 | y->func;

	return kx < ky ? -1 : kx > ky;
}

struct scan {
	struct phys_pci_dev *devs;
	size_t n, cap;
};

static int scan_devices(struct pci_access *pacc, const char *path, struct scan *sc, bool names)
{
	pci_set_param(pacc, "sysfs.path", (char *)path);
	pci_init(pacc);
	pci_scan_bus(pacc);
	for (struct pci_dev *d = pacc->devices; d; d = d->next) {
		if (sc->n == sc->cap) {
			size_t cap = sc->cap ? sc->cap * 2 : 32;
			struct phys_pci_dev *nd = realloc(sc->devs, cap * sizeof(*nd));

			if (!nd)
				return -ENOMEM;
			sc->devs = nd;
			sc->cap = cap;
		}
		fill_dev(pacc, d, &sc->devs[sc->n++], names);
	}
	qsort(sc->devs, sc->n, sizeof(*sc->devs), cmp_dev);
	return 0;
}

/*
 * All devices, sorted by address; *out is malloc'ed. With NAMES, their
 * names too (only listings need them: they cost pci.ids). Quiet: -errno,
 * and phys_pci_scan_why() says why.
 */
static int pci_scan(struct phys_ctx *ctx, struct phys_pci_dev **out, size_t *count, bool names)
{
	struct scan sc = { 0 };
	char path[PATH_MAX];
	struct pci_access *pacc;
	sigjmp_buf jb, *saved = pci_jmp;
	int r;

	pci_errbuf[0] = '\0';
	if (phys_path(ctx, path, sizeof(path), "/sys/bus/pci"))
		return -ENAMETOOLONG;
	pacc = pci_alloc();
	if (!pacc)
		return -ENOMEM;
	pacc->error = pci_error;
	pacc->warning = pci_quiet;
	pacc->debug = pci_quiet;
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	pci_jmp = &jb;
	if (sigsetjmp(jb, 0))
		r = -EIO;
	else
		r = scan_devices(pacc, path, &sc, names);
	pci_cleanup(pacc);
	pci_jmp = saved;
	if (r) {
		free(sc.devs);
		return r;
	}
	*out = sc.devs;
	*count = sc.n;
	return 0;
}

/* Why pci_scan() failed with ERR, in words, into BUF. */
const char *phys_pci_scan_why(struct phys_ctx *ctx, int err, char *buf, size_t size)
{
	char path[PATH_MAX];

	if (err == -ENAMETOOLONG || phys_path(ctx, path, sizeof(path), "/sys/bus/pci"))
		snprintf(buf, size, "sysroot too long");
	else if (err == -EIO && pci_errbuf[0])
		snprintf(buf, size, "PCI enumeration (%s) failed: %s", path, pci_errbuf);
	else
		snprintf(buf, size, "PCI enumeration (%s) failed: %s", path, strerror(-err));
	return buf;
}

/* FILTER: "VVVV:DDDD" or "[DDDD:]BB:DD.F" (parsed like pci: targets). */
static int parse_filter(struct phys_ctx *ctx, const char *filter, struct phys_target *t)
{
	char text[128];
	int r;

	if (snprintf(text, sizeof(text), "pci:%s/bar0", filter) >= (int)sizeof(text))
		return phys_err(ctx, -EINVAL, "PCI filter '%s' too long", filter);
	r = phys_target_parse(ctx, text, t);
	if (r)
		return phys_err(ctx, r, "PCI filter '%s': expected VVVV:DDDD or [DDDD:]BB:DD.F", filter);
	return 0;
}

static bool match(const struct phys_target *t, const struct phys_pci_dev *d)
{
	if (t->pci_by_id)
		return d->vendor_id == t->vendor && d->device_id == t->device;
	return d->domain == t->domain && d->bus == t->bus && d->dev == t->dev && d->func == t->func;
}

PHYS_EXPORT int phys_pci_foreach(struct phys_ctx *ctx, const char *filter,
				 phys_pci_fn fn, void *data)
{
	return phys_pci_walk(ctx, filter, 0, fn, data);
}

PHYS_EXPORT int phys_pci_walk(struct phys_ctx *ctx, const char *filter, unsigned int flags,
			      phys_pci_fn fn, void *data)
{
	struct phys_target t;
	struct phys_pci_dev *devs;
	size_t n;
	int r;

	if (!ctx || !fn)
		return -EINVAL;
	PHYS_API(ctx);
	if (filter && (r = parse_filter(ctx, filter, &t)))
		return r;
	if (flags & ~PHYS_PCI_NO_NAMES)
		return phys_err(ctx, -EINVAL, "unknown PCI walk flags 0x%x", flags);
	r = pci_scan(ctx, &devs, &n, !(flags & PHYS_PCI_NO_NAMES));
	if (r) {
		char why[PATH_MAX + 320];

		return phys_err(ctx, r, "%s", phys_pci_scan_why(ctx, r, why, sizeof(why)));
	}
	for (size_t i = 0; i < n && !r; i++)
		if (!filter || match(&t, &devs[i]))
			r = fn(&devs[i], data);
	free(devs);
	return r;
}

int phys_pci_lookup(struct phys_ctx *ctx, const struct phys_target *t,
		    struct phys_pci_dev *dev, unsigned int *seen)
{
	struct phys_pci_dev *devs;
	size_t n;
	int r = pci_scan(ctx, &devs, &n, false);

	*seen = 0;
	if (r)
		return r;
	r = -ENODEV;
	for (size_t i = 0; i < n; i++) {
		if (match(t, &devs[i]) && (*seen)++ == t->index) {
			*dev = devs[i];
			r = 0;
			break;
		}
	}
	free(devs);
	return r;
}
