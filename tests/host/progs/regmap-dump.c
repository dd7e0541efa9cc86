// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * regmap-dump [--no-cache] [--time] [--desc] [--log] FILE [GLOB]: load a register map with
 * libphys and print everything in it, one line per item, for the
 * importers' tests:
 *   name NAME / absolute yes|no / cached yes|no / pci VVVV:DDDD bar N|any
 *   reg NAME addr 0x.. size N access A write W read R reset 0x.. mask 0x.. [side-effect] [desc "..."]
 *     field NAME lsb N width N access A write W read R [constraint enum|MIN..MAX] [desc "..."]
 *       enum NAME value 0x.. [default] [desc "..."]
 * Descriptions are printed only with --desc. On failure: the library's
 * message on stderr, exit 1. --time prints the load time in ms on stderr;
 * --log the library's log down to debug ("debug: MESSAGE": what the cache
 * did).
 */
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <string.h>
#include <time.h>

#include <libphys.h>

#include "prog-util.h"

static bool show_desc;

static void desc(const char *d)
{
	if (show_desc && d && *d)
		printf(" desc \"%s\"", d);
}

static int one(const struct phys_regmap *map, size_t reg, void *data)
{
	struct phys_reg_info r = PHYS_INFO_INIT(struct phys_reg_info);
	unsigned int i, e;

	if (phys_regmap_reg(map, reg, &r))
		return 1;
	printf("reg %s addr 0x%llx size %u access %s write %s read %s reset 0x%llx mask 0x%llx%s",
	       r.name, (unsigned long long)r.address, r.size, phys_reg_access_name(r.access),
	       phys_reg_write_name(r.write), phys_reg_read_name(r.read),
	       (unsigned long long)r.reset, (unsigned long long)r.reset_mask,
	       r.read_side_effect ? " side-effect" : "");
	desc(r.description);
	putchar('\n');
	for (i = 0; i < r.nfields; i++) {
		struct phys_field_info f = PHYS_INFO_INIT(struct phys_field_info);

		if (phys_regmap_field(map, reg, i, &f))
			return 1;
		printf("  field %s lsb %u width %u access %s write %s read %s", f.name, f.lsb, f.width,
		       phys_reg_access_name(f.access), phys_reg_write_name(f.write),
		       phys_reg_read_name(f.read));
		if (f.constraint == 1)
			printf(" constraint enum");
		else if (f.constraint == 2)
			printf(" constraint %llu..%llu", (unsigned long long)f.min, (unsigned long long)f.max);
		desc(f.description);
		putchar('\n');
		for (e = 0; e < f.nenums; e++) {
			struct phys_enum_info v = PHYS_INFO_INIT(struct phys_enum_info);

			if (phys_regmap_enum(map, reg, i, e, &v))
				return 1;
			printf("    enum %s value 0x%llx%s", v.name, (unsigned long long)v.value,
			       v.is_default ? " default" : "");
			desc(v.description);
			putchar('\n');
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	struct phys_regmap *map;
	struct phys_ctx *ctx;
	struct timespec t0, t1;
	bool timing = false, logging = false;
	int i = 1, ret;
	uint16_t vendor, device;
	unsigned int v;
	int bar;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (!strcmp(argv[i], "--no-cache"))
			flags |= PHYS_REGMAP_NO_CACHE;
		else if (!strcmp(argv[i], "--time"))
			timing = true;
		else if (!strcmp(argv[i], "--desc"))
			show_desc = true;
		else if (!strcmp(argv[i], "--log"))
			logging = true;
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: regmap-dump [--no-cache] [--time] [--desc] [--log] FILE [GLOB]\n");
		return 2;
	}
	ctx = phys_ctx_new();
	if (!ctx)
		return 1;
	if (logging) {
		phys_ctx_set_log_fn(ctx, log_stderr, NULL);
		phys_ctx_set_log_priority(ctx, LOG_DEBUG);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	map = phys_regmap_load(ctx, argv[i], flags);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!map) {
		fprintf(stderr, "%s\n", phys_ctx_errmsg(ctx));
		phys_ctx_free(ctx);
		return 1;
	}
	if (timing)
		fprintf(stderr, "load %.3f ms (%s)\n",
			(double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
			phys_regmap_cached(map) ? "cached" : "imported");
	printf("name %s\nabsolute %s\ncached %s\n", phys_regmap_name(map),
	       phys_regmap_absolute(map) ? "yes" : "no", phys_regmap_cached(map) ? "yes" : "no");
	for (v = 0; !phys_regmap_pci(map, v, &vendor, &device, &bar); v++)
		printf(bar < 0 ? "pci %04x:%04x bar any\n" : "pci %04x:%04x bar %d\n",
		       vendor, device, bar);
	ret = phys_regmap_foreach(map, i + 1 < argc ? argv[i + 1] : NULL, one, NULL);
	phys_regmap_free(map);
	phys_ctx_free(ctx);
	return ret ? 1 : 0;
}
