// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libphys-threads FILE: several threads access a good map and a map whose
 * file was truncated, interleaved, through the accessors and through
 * register handles each thread sets up at once (so the exception table
 * registration races too). Every good access must see its own value,
 * every access to the truncated map must be -EFAULT, and the process must
 * survive.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libphys.h"

#define NTHREADS 8
#define ROUNDS 5000

static struct phys_ctx *ctxs[NTHREADS];
static struct phys_map *good[NTHREADS], *bad[NTHREADS];
static int errors[NTHREADS];

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	struct phys_reg32 good_reg, bad_reg;
	uint32_t v;

	if (phys_reg32_init(good[id], (uint64_t)id * 64 + 4, &good_reg) ||
	    phys_reg32_init(bad[id], (uint64_t)id * 64, &bad_reg)) {
		errors[id]++;
		return NULL;
	}
	for (uint32_t i = 0; i < ROUNDS; i++) {
		uint32_t want = (uint32_t)id << 24 | i;

		if (phys_write32(good[id], (uint64_t)id * 64, want) ||
		    phys_read32(good[id], (uint64_t)id * 64, &v) || v != want)
			errors[id]++;
		if (phys_read32(bad[id], (uint64_t)(i % 1024) * 4, &v) != -EFAULT)
			errors[id]++;
		if (!strstr(phys_ctx_errmsg(ctxs[id]), "SIGBUS"))
			errors[id]++;
		if (phys_reg32_write(&good_reg, ~want) || phys_reg32_read(&good_reg, &v) ||
		    v != ~want)
			errors[id]++;
		if (phys_reg32_read_relaxed(&bad_reg, &v) != -EFAULT ||
		    !strstr(phys_ctx_errmsg(ctxs[id]), "SIGBUS"))
			errors[id]++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	char badpath[4096], target[4200];
	pthread_t th[NTHREADS];
	int total = 0;

	if (argc != 2)
		return 2;
	snprintf(badpath, sizeof(badpath), "%s.bad", argv[1]);
	if (truncate(argv[1], 4096) || (fclose(fopen(badpath, "w")), truncate(badpath, 4096)))
		return 2;
	for (int i = 0; i < NTHREADS; i++) {
		ctxs[i] = phys_ctx_new();	/* one context per thread: errmsg is per context */
		snprintf(target, sizeof(target), "file:%s", argv[1]);
		good[i] = phys_map_open(ctxs[i], target, 0, 0);
		snprintf(target, sizeof(target), "file:%s", badpath);
		bad[i] = phys_map_open(ctxs[i], target, 0, 0);
		if (!good[i] || !bad[i]) {
			fprintf(stderr, "map: %s\n", phys_ctx_errmsg(ctxs[i]));
			return 1;
		}
	}
	if (truncate(badpath, 0))
		return 2;
	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		total += errors[i];
		phys_map_close(good[i]);
		phys_map_close(bad[i]);
		phys_ctx_free(ctxs[i]);
	}
	unlink(badpath);
	if (total) {
		printf("%d wrong results\n", total);
		return 1;
	}
	printf("threads ok: %d threads x %d rounds\n", NTHREADS, ROUNDS);
	return 0;
}
