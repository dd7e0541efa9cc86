// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * phys-bench: a 32-bit write+read loop through libphys against the same
 * loop on a raw volatile pointer into the same mapping.
 *
 * phys-bench [-n PAIRS] [-r ROUNDS] [-m raw|lib|both] [-b BACKEND] TARGET [OFFSET]
 *
 * Prints ns per pair for each loop and the ratio; the loops alternate for
 * ROUNDS rounds (default 3) and the fastest round of each counts, so a
 * busy machine disturbs the ratio less. Under callgrind, run
 * -m raw and -m lib with --toggle-collect=loop_raw / loop_lib to count the
 * instructions of each loop alone (see `make bench`).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libphys.h"

__attribute__((noinline)) uint32_t loop_raw(volatile uint32_t *p, unsigned long n);
__attribute__((noinline)) uint32_t loop_lib(struct phys_map *m, uint64_t off, unsigned long n);

__attribute__((noinline)) uint32_t loop_raw(volatile uint32_t *p, unsigned long n)
{
	uint32_t sum = 0;

	for (unsigned long i = 0; i < n; i++) {
		*p = (uint32_t)i;
		sum += *p;
	}
	return sum;
}

/* As a careful user would write it: every result checked. */
__attribute__((noinline)) uint32_t loop_lib(struct phys_map *m, uint64_t off, unsigned long n)
{
	uint32_t sum = 0, v;

	for (unsigned long i = 0; i < n; i++) {
		if (phys_write32(m, off, (uint32_t)i) || phys_read32(m, off, &v))
			return 0;
		sum += v;
	}
	return sum;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long n = 1000000, rounds = 3;
	const char *mode = "both";
	struct phys_ctx *ctx = phys_ctx_new();
	struct phys_map *map;
	uint64_t off = 0;
	double t0, t, raw = 0, lib = 0;
	volatile uint32_t sink;
	int opt;

	while ((opt = getopt(argc, argv, "n:r:m:b:")) != -1) {
		switch (opt) {
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 'r': rounds = strtoul(optarg, NULL, 0); break;
		case 'm': mode = optarg; break;
		case 'b':
			if (phys_ctx_set_backend(ctx, optarg)) {
				fprintf(stderr, "phys-bench: %s\n", phys_ctx_errmsg(ctx));
				return 1;
			}
			break;
		default:
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: phys-bench [-n PAIRS] [-r ROUNDS] [-m raw|lib|both] [-b BACKEND] TARGET [OFFSET]\n");
		return 2;
	}
	if (optind + 1 < argc)
		off = strtoull(argv[optind + 1], NULL, 0);
	map = phys_map_open(ctx, argv[optind], off + 4 > 4096 ? 0 : 4096, 0);
	if (!map && errno == ERANGE)
		map = phys_map_open(ctx, argv[optind], 0, 0);
	if (!map) {
		fprintf(stderr, "phys-bench: %s\n", phys_ctx_errmsg(ctx));
		return 1;
	}
	if (!n || !rounds) {
		fprintf(stderr, "phys-bench: PAIRS and ROUNDS must be positive\n");
		return 2;
	}
	for (unsigned long r = 0; r < rounds; r++) {
		if (strcmp(mode, "lib")) {
			t0 = now();
			sink = loop_raw((volatile uint32_t *)((volatile char *)phys_map_ptr(map) + off), n);
			t = now() - t0;
			raw = r && raw < t ? raw : t;
		}
		if (strcmp(mode, "raw")) {
			t0 = now();
			sink = loop_lib(map, off, n);
			t = now() - t0;
			lib = r && lib < t ? lib : t;
		}
	}
	if (raw > 0)
		printf("raw:     %.1f ns/pair\n", raw * 1e9 / (double)n);
	if (lib > 0)
		printf("libphys: %.1f ns/pair\n", lib * 1e9 / (double)n);
	(void)sink;
	if (raw > 0 && lib > 0)
		printf("time ratio libphys/raw: %.2f (%lu pairs on %s)\n", lib / raw, n, argv[optind]);
	phys_map_close(map);
	phys_ctx_free(ctx);
	return 0;
}
