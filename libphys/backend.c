// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The backend table, as pciutils' pci_methods: one row per backend file.
 * Choosing a backend walks it in order, so the order is the automatic
 * preference: the driver, then sysfs for pci: targets, then /dev/mem;
 * files only by file.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const struct phys_backend *const backends[] = {
	&phys_backend_physmem,
	&phys_backend_pread,
	&phys_backend_sysfs,
	&phys_backend_devmem,
	&phys_backend_file,
};

#define N_BACKENDS (sizeof(backends) / sizeof(backends[0]))

static const char *const kind_names[] = {
	[PHYS_T_ADDR] = "address",
	[PHYS_T_WINDOW] = "window name",
	[PHYS_T_PCI] = "pci:",
	[PHYS_T_IOMEM] = "iomem:",
	[PHYS_T_FILE] = "file:",
};

PHYS_EXPORT const char *phys_backend_name(unsigned int index)
{
	return index < N_BACKENDS ? backends[index]->name : NULL;
}

PHYS_EXPORT const char *phys_backend_help(unsigned int index)
{
	return index < N_BACKENDS ? backends[index]->help : NULL;
}

/* "auto, physmem, pread, sysfs, devmem or file" */
static void list_names(char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "auto");

	for (size_t i = 0; i < N_BACKENDS && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s",
				      i + 1 < N_BACKENDS ? ", " : " or ", backends[i]->name);
}

/* "address, window name, pci: and iomem:" */
static void list_kinds(unsigned int mask, char *buf, size_t size)
{
	size_t n = 0, left = (size_t)__builtin_popcount(mask);

	buf[0] = '\0';
	for (size_t k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]) && n < size; k++) {
		if (!(mask & PHYS_T_MASK(k)))
			continue;
		left--;
		n += (size_t)snprintf(buf + n, size - n, "%s%s", kind_names[k],
				      !left ? "" : left == 1 ? " and " : ", ");
	}
}

int phys_backend_lookup(struct phys_ctx *ctx, const char *name,
			const struct phys_backend **backend)
{
	char names[128];

	*backend = NULL;
	if (!strcmp(name, "auto"))
		return 0;
	for (size_t i = 0; i < N_BACKENDS; i++) {
		if (!strcmp(backends[i]->name, name)) {
			*backend = backends[i];
			return 0;
		}
	}
	list_names(names, sizeof(names));
	return phys_err(ctx, -EINVAL, "unknown backend '%s' (use %s)", name, names);
}

int phys_backend_choose(struct phys_ctx *ctx, const struct phys_target *t,
			const struct phys_backend **backend)
{
	const struct phys_backend *b = ctx->backend;
	const char *why;
	char kinds[96];

	if (b) {
		if (b->targets & PHYS_T_MASK(t->kind)) {
			phys_log(ctx, LOG_INFO, "backend %s, as asked", b->name);
			*backend = b;
			return 0;
		}
		list_kinds(b->targets, kinds, sizeof(kinds));
		return phys_err(ctx, -EINVAL,
				"the %s backend cannot serve %s targets (it serves %s targets)",
				b->name, kind_names[t->kind], kinds);
	}
	for (size_t i = 0; i < N_BACKENDS; i++) {
		b = backends[i];
		if (!(b->targets & PHYS_T_MASK(t->kind))) {
			phys_log(ctx, LOG_DEBUG, "backend %s: does not serve %s targets",
				 b->name, kind_names[t->kind]);
			continue;
		}
		why = NULL;
		if (b->probe && !b->probe(ctx, t, &why)) {
			phys_log(ctx, LOG_DEBUG, "backend %s: %s", b->name, why);
			continue;
		}
		phys_log(ctx, LOG_INFO, "backend %s chosen for this %s target", b->name,
			 kind_names[t->kind]);
		*backend = b;
		return 0;
	}
	/* every kind has a backend without a probe; kept for a new row */
	return phys_err(ctx, -ENODEV, "no backend can serve %s targets here",
			kind_names[t->kind]);
}
