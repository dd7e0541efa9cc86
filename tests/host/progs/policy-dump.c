// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper for the policy core: parse policy files and print every
 * field of every rule, one rule a line, so the tests see exactly what the
 * parser understood.
 *
 *   policy-dump [--root DIR] [--resolve BASE SIZE [pref]] [--access PHYS LEN r|w] [FILE...]
 *
 * --resolve pretends every pci/iomem source is BASE +SIZE (prefetchable
 * if "pref"), every pci one of device 0000:00:00.0; --access then checks
 * one access against the policy. ACCESS lists the options given:
 * rw|ro [wc] [shared] [pages] [dma 0xSIZE] [dma-mask BITS] [irq].
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "physmem-common.h"
#include "physmem-policy.h"

struct fake { uint64_t base, size; bool pref; };

static int fake_resolve(const struct pol_rule *rule, struct pol_resolved *out,
			char *err, size_t errlen, void *data)
{
	const struct fake *f = data;

	if (!f->size) {
		snprintf(err, errlen, "no such source here");
		return -ENODEV;
	}
	out->base = f->base;
	out->size = f->size;
	out->prefetchable = f->pref;
	return 0;
}

static uint64_t num(const char *s)
{
	uint64_t v;

	if (pm_parse_u64(s, PM_NUM_BYTES, &v)) {
		fprintf(stderr, "policy-dump: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *root = NULL, *access = NULL;
	uint64_t phys = 0, len = 0;
	struct fake fake = { 0 };
	bool resolve = false;
	struct pol_set *set;
	size_t i;
	int r;

	while (argc > 1 && !strncmp(argv[1], "--", 2)) {
		if (!strcmp(argv[1], "--root") && argc > 2) {
			root = argv[2];
			argv += 2, argc -= 2;
		} else if (!strcmp(argv[1], "--resolve") && argc > 3) {
			resolve = true;
			fake.base = num(argv[2]);
			fake.size = num(argv[3]);
			argv += 3, argc -= 3;
			if (argc > 1 && !strcmp(argv[1], "pref")) {
				fake.pref = true;
				argv++, argc--;
			}
		} else if (!strcmp(argv[1], "--access") && argc > 4) {
			phys = num(argv[2]);
			len = num(argv[3]);
			access = argv[4];
			argv += 4, argc -= 4;
		} else {
			fprintf(stderr, "policy-dump: bad option '%s'\n", argv[1]);
			return 2;
		}
	}

	set = pol_set_new();
	if (!set)
		return 2;
	r = pol_set_load(set, argc > 1 ? (const char *const *)argv + 1 : NULL, root);
	if (r) {
		fprintf(stderr, "%s\n", pol_set_errmsg(set));
		pol_set_free(set);
		return 1;
	}
	if (resolve && pol_set_resolve(set, fake_resolve, &fake)) {
		fprintf(stderr, "%s\n", pol_set_errmsg(set));
		pol_set_free(set);
		return 1;
	}
	for (i = 0; i < pol_set_count(set); i++) {
		const struct pol_rule *ru = pol_set_rule(set, i);
		char src[160];

		pol_rule_format_source(ru, src, sizeof(src));
		printf("%s | %s | %s%s%s%s", ru->name, src, ru->rw ? "rw" : "ro",
		       ru->wc ? " wc" : "", ru->shared ? " shared" : "", ru->pages ? " pages" : "");
		if (ru->dma_size)
			printf(" dma 0x%" PRIx64, ru->dma_size);
		if (ru->dma_bits)
			printf(" dma-mask %u", ru->dma_bits);
		printf("%s | %s:%u:%u", ru->irq ? " irq" : "", ru->file, ru->line, ru->col);
		if (ru->resolved.valid)
			printf(" | 0x%" PRIx64 " +0x%" PRIx64, ru->resolved.base, ru->resolved.size);
		printf("\n");
	}
	if (access) {
		const struct pol_rule *ru = NULL;

		r = pol_set_check_access(set, phys, len, !strcmp(access, "w"), &ru);
		if (r)
			printf("denied: %s\n", pol_set_errmsg(set));
		else
			printf("allowed by %s\n", ru->name);
	}
	pol_set_free(set);
	return 0;
}
