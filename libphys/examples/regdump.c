// SPDX-License-Identifier: LGPL-2.1-or-later
/* regdump: print the first 32-bit registers of a target.
 * Build: cc regdump.c $(pkg-config --cflags --libs libphys) -o regdump
 * Run:   regdump pci:1234:11e8/bar0 4      (or file:/tmp/mem.bin 4) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libphys.h>

int main(int argc, char **argv)
{
	struct phys_ctx *ctx;
	struct phys_map *map;
	unsigned long count = 1;
	uint32_t val;
	char *end;
	int err = 0;

	if (argc > 2) {
		errno = 0;
		count = strtoul(argv[2], &end, 10);
	}
	if (argc < 2 || (argc > 2 && (errno || end == argv[2] || *end || count > 1024))) {
		fprintf(stderr, "usage: regdump TARGET [COUNT (decimal, at most 1024)]\n");
		return 2;
	}
	ctx = phys_ctx_new();
	if (!ctx)
		return 1;
	map = phys_map_open(ctx, argv[1], 0, PHYS_MAP_RDONLY);
	if (!map) {
		fprintf(stderr, "regdump: %s: %s\n", strerror(errno), phys_ctx_errmsg(ctx));
		phys_ctx_free(ctx);
		return 1;
	}
	for (unsigned int i = 0; i < count && !err; i++) {
		err = phys_read32(map, i * 4, &val);
		if (err)
			fprintf(stderr, "regdump: %s\n", phys_ctx_errmsg(ctx));
		else
			printf("0x%04x: 0x%08x%s\n", i * 4, val,
			       phys_value_suspect(map, 4, val) ? "  (device gated or absent?)" : "");
	}
	phys_map_close(map);
	phys_ctx_free(ctx);
	return err ? 1 : 0;
}
