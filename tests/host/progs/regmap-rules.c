// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * regmap-rules [-c] FILE OP...: load a register map with libphys (without
 * the cache; -c: through it, and first a line "cached yes|no") and ask its
 * rules, one output line per operation, for the rules' tests
 * (regmap-rules.bats):
 *   enum REG.FIELD NAME     phys_regmap_enum_value(): "0xVALUE"
 *   plan REG[.FIELD] VALUE  phys_regmap_write_plan(): "keep 0x.. set 0x..[ read-side-effect]"
 *   force REG[.FIELD] VALUE the same with PHYS_REGMAP_FORCE
 * A failed operation prints "ENAME: message" and the run goes on; the exit
 * status is 1 if any failed, 2 for a bad command line or a map that does
 * not load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libphys.h>

#include "prog-util.h"

static struct phys_ctx *ctx;
static int failed;

static int report(int r)
{
	if (r < 0) {
		printf("%s: %s\n", errname(-r), phys_ctx_errmsg(ctx));
		failed = 1;
	}
	return r;
}

static int usage(void)
{
	fprintf(stderr, "usage: regmap-rules [-c] FILE {enum REG.FIELD NAME | plan|force REG[.FIELD] VALUE}...\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned int flags = PHYS_REGMAP_NO_CACHE;
	struct phys_regmap *map;
	int i = 1;

	if (i < argc && !strcmp(argv[i], "-c")) {
		flags = 0;
		i++;
	}
	if (i >= argc)
		return usage();
	ctx = phys_ctx_new();
	if (!ctx)
		return 2;
	map = phys_regmap_load(ctx, argv[i++], flags);
	if (!map) {
		fprintf(stderr, "%s\n", phys_ctx_errmsg(ctx));
		return 2;
	}
	if (!flags)
		printf("cached %s\n", phys_regmap_cached(map) ? "yes" : "no");
	while (i + 2 < argc) {
		const char *op = argv[i], *name = argv[i + 1], *arg = argv[i + 2];
		struct phys_reg_write_plan plan;
		uint64_t v;
		size_t reg;
		int field;

		i += 3;
		if (report(phys_regmap_lookup(map, name, &reg, &field)))
			continue;
		if (!strcmp(op, "enum")) {
			if (field < 0)
				return usage();
			if (!report(phys_regmap_enum_value(map, reg, (unsigned int)field, arg, &v)))
				printf("0x%llx\n", (unsigned long long)v);
		} else if (!strcmp(op, "plan") || !strcmp(op, "force")) {
			v = strtoull(arg, NULL, 0);
			if (!report(phys_regmap_write_plan(map, reg, field, v,
							   op[0] == 'f' ? PHYS_REGMAP_FORCE : 0, &plan)))
				printf("keep 0x%llx set 0x%llx%s\n", (unsigned long long)plan.keep,
				       (unsigned long long)plan.set,
				       plan.read_side_effect ? " read-side-effect" : "");
		} else {
			return usage();
		}
	}
	if (i != argc)
		return usage();
	phys_regmap_free(map);
	phys_ctx_free(ctx);
	return failed;
}
