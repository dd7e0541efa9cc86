// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * phys-bench: a 32-bit write+read loop through libphys against the same
 * loop on a raw volatile pointer into the same mapping. The libphys loops:
 *   lib   phys_write32()/phys_read32(): every check on every call
 *   reg   register handle, phys_reg32_write()/_read(): checked once, each
 *         access inline and a compiler barrier (like writel()/readl()),
 *         the handle in the caller's struct: reloaded after each barrier
 *   local the same with the handle copied into a local variable, as
 *         libphys(3) advises for hot loops (the raw loop keeps its pointer
 *         in a local too)
 *   rlx   register handle, the _relaxed forms: ordered like the raw
 *         volatile pointer (like writel_relaxed()/readl_relaxed())
 *
 * phys-bench [-n PAIRS] [-r ROUNDS] [-m all|raw|lib|reg|local|rlx] [-b BACKEND] TARGET [OFFSET]
 *
 * Prints ns per pair for each loop and its ratio to raw; the loops
 * alternate for ROUNDS rounds (default 3) and the fastest round of each
 * counts, so a busy machine disturbs the ratios less. Under callgrind, run
 * one loop (-m NAME) with --toggle-collect=loop_NAME to count its
 * instructions alone (see `make bench`).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libphys.h"
#include "physmem-common.h"

struct bench {
	struct phys_map *map;
	uint64_t off;
	struct phys_reg32 reg;
};

/*
 * One loop per function, so callgrind can count each alone: N pairs of a
 * 32-bit write of the index and a read back, the reads summed. SETUP runs
 * once; WRITE(i) and READ(&v) are the accesses, each 0 on success, every
 * result checked as a careful user would.
 */
#define BENCH_LOOP(name, setup, write, read)				\
__attribute__((noinline)) uint32_t loop_##name(const struct bench *b, unsigned long n); \
__attribute__((noinline)) uint32_t loop_##name(const struct bench *b, unsigned long n) \
{									\
	setup;								\
	uint32_t sum = 0, v;						\
									\
	for (unsigned long i = 0; i < n; i++) {				\
		if (write || read)					\
			return 0;					\
		sum += v;						\
	}								\
	return sum;							\
}

BENCH_LOOP(raw,
	   volatile uint32_t *p = (volatile uint32_t *)((volatile char *)phys_map_ptr(b->map) + b->off),
	   (*p = (uint32_t)i, 0), (v = *p, 0))
BENCH_LOOP(lib, (void)0,
	   phys_write32(b->map, b->off, (uint32_t)i), phys_read32(b->map, b->off, &v))
BENCH_LOOP(reg, (void)0,
	   phys_reg32_write(&b->reg, (uint32_t)i), phys_reg32_read(&b->reg, &v))
BENCH_LOOP(local, const struct phys_reg32 reg = b->reg,
	   phys_reg32_write(&reg, (uint32_t)i), phys_reg32_read(&reg, &v))
BENCH_LOOP(rlx, (void)0,
	   phys_reg32_write_relaxed(&b->reg, (uint32_t)i), phys_reg32_read_relaxed(&b->reg, &v))

static const struct {
	const char *name, *what;
	uint32_t (*loop)(const struct bench *b, unsigned long n);
} loops[] = {
	{ "raw", "raw volatile pointer", loop_raw },
	{ "lib", "phys_write32/phys_read32", loop_lib },
	{ "reg", "phys_reg32_write/_read", loop_reg },
	{ "local", "phys_reg32_write/_read, local handle", loop_local },
	{ "rlx", "phys_reg32_write/_read_relaxed", loop_rlx },
};
#define NLOOPS (sizeof(loops) / sizeof(loops[0]))

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: phys-bench [-n PAIRS] [-r ROUNDS] [-m all|raw|lib|reg|local|rlx] "
		"[-b BACKEND] TARGET [OFFSET]\n");
	return 2;
}

/* The project's one number grammar (common/): never octal. */
static uint64_t number(const char *s)
{
	char msg[PM_ERRMSG_MAX];
	uint64_t v;
	int r = pm_parse_u64(s, 0, &v);

	if (r) {
		fprintf(stderr, "phys-bench: %s\n", pm_strerror(r, s, strlen(s), msg, sizeof(msg)));
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long n = 1000000, rounds = 3;
	const char *mode = "all";
	struct phys_ctx *ctx = phys_ctx_new();
	struct bench b = { 0 };
	double best[NLOOPS] = { 0 };
	volatile uint32_t sink;
	bool any = false;
	int opt;

	while ((opt = getopt(argc, argv, "n:r:m:b:")) != -1) {
		switch (opt) {
		case 'n': n = number(optarg); break;
		case 'r': rounds = number(optarg); break;
		case 'm': mode = optarg; break;
		case 'b':
			if (phys_ctx_set_backend(ctx, optarg)) {
				fprintf(stderr, "phys-bench: %s\n", phys_ctx_errmsg(ctx));
				return 1;
			}
			break;
		default:
			return usage();
		}
	}
	for (size_t k = 0; k < NLOOPS; k++)
		any |= !strcmp(mode, "all") || !strcmp(mode, loops[k].name);
	if (optind >= argc || !any)
		return usage();
	if (!n || !rounds) {
		fprintf(stderr, "phys-bench: PAIRS and ROUNDS must be positive\n");
		return 2;
	}
	if (optind + 1 < argc)
		b.off = number(argv[optind + 1]);
	b.map = phys_map_open(ctx, argv[optind], b.off + 4 > 4096 ? 0 : 4096, 0);
	if (!b.map && errno == ERANGE)
		b.map = phys_map_open(ctx, argv[optind], 0, 0);
	if (!b.map || phys_reg32_init(b.map, b.off, &b.reg)) {
		fprintf(stderr, "phys-bench: %s\n", phys_ctx_errmsg(ctx));
		return 1;
	}
	for (unsigned long r = 0; r < rounds; r++) {
		for (size_t k = 0; k < NLOOPS; k++) {
			double t0, t;

			if (strcmp(mode, "all") && strcmp(mode, loops[k].name))
				continue;
			t0 = now();
			sink = loops[k].loop(&b, n);
			t = now() - t0;
			best[k] = r && best[k] < t ? best[k] : t;
		}
	}
	(void)sink;
	for (size_t k = 0; k < NLOOPS; k++) {
		if (best[k] <= 0)
			continue;
		printf("%s: %.1f ns/pair (%s)", loops[k].name, best[k] * 1e9 / (double)n,
		       loops[k].what);
		if (k && best[0] > 0)
			printf(", time ratio to raw %.2f", best[k] / best[0]);
		printf("\n");
	}
	printf("(%lu pairs on %s, best of %lu rounds)\n", n, argv[optind], rounds);
	phys_map_close(b.map);
	phys_ctx_free(ctx);
	return 0;
}
