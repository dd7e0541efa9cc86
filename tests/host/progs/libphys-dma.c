// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libphys-dma: drive libphys's DMA buffers and interrupts from a test
 * script, one operation per argument group, one output line per
 * operation. A failed operation prints "ENAME: message" and the run goes
 * on; the exit status is 1 if any failed. Built for the host (with the
 * fake driver, tests/host/fakedma.bash) and for the guest.
 *
 * libphys-dma [-s SYSROOT] [-b BACKEND] [-v] OP...
 *   alloc WINDOW SIZE     a buffer, the current one from then on: "bus 0x.. size 0x.."
 *   use I                 the I-th buffer allocated (from 0) becomes the current one
 *   free                  phys_dma_free() of the current buffer: "freed"
 *   info                  the current buffer and its map, in one line
 *   r1|r2|r4|r8 OFF       w1|w2|w4|w8 OFF VAL    (on the current buffer's map)
 *   fill OFF LEN VAL W    rbuf OFF LEN W (hex)
 *   cmp I J LEN W         phys_compare() of buffers I and J from 0
 *   copy I J LEN W        phys_copy() of buffer J's first LEN bytes to buffer I
 *   offin I J OFF         phys_map_offset_in(map I, OFF, map J)
 *   mapclose              phys_map_close() of the current buffer's map
 *   irq WINDOW MODE       auto, intx, msi or a number: the current interrupt, "mode M"
 *   wait TIMEOUT_MS       phys_irq_wait(): "count N"
 *   irqfd                 "fd" if phys_irq_fd() is a descriptor
 *   irqclose              phys_irq_close()
 *   nulls                 each function given NULL, one line each
 *   sh COMMAND            (run a shell command between two operations)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libphys.h"
#include "prog-util.h"

#define MAX_BUFS 64

static struct phys_ctx *ctx;
static struct phys_dma *bufs[MAX_BUFS];
static unsigned int nbufs, cur;
static struct phys_irq *irq;
static int failed;

static int report(int r)
{
	if (r < 0) {
		printf("%s: %s\n", errname(-r), phys_ctx_errmsg(ctx));
		failed = 1;
	}
	return r;
}

static uint64_t num(const char *s)
{
	return prog_num("libphys-dma", s);
}

static void need(int argc, int i, int n, const char *op)
{
	prog_need("libphys-dma", argc, i, n, op);
}

static struct phys_dma *buffer(uint64_t i, const char *op)
{
	if (i >= nbufs) {
		fprintf(stderr, "libphys-dma: %s: no buffer %" PRIu64 "\n", op, i);
		exit(2);
	}
	return bufs[i];
}

static struct phys_map *cur_map(const char *op)
{
	return phys_dma_map(buffer(cur, op));
}

static int fixed_read(struct phys_map *map, unsigned int w, uint64_t off, uint64_t *v)
{
	uint8_t v8; uint16_t v16; uint32_t v32;
	int r;

	switch (w) {
	case 1: r = phys_read8(map, off, &v8); *v = v8; return r;
	case 2: r = phys_read16(map, off, &v16); *v = v16; return r;
	case 4: r = phys_read32(map, off, &v32); *v = v32; return r;
	default: return phys_read64(map, off, v);
	}
}

static int fixed_write(struct phys_map *map, unsigned int w, uint64_t off, uint64_t v)
{
	switch (w) {
	case 1: return phys_write8(map, off, (uint8_t)v);
	case 2: return phys_write16(map, off, (uint16_t)v);
	case 4: return phys_write32(map, off, (uint32_t)v);
	default: return phys_write64(map, off, v);
	}
}

static void info(void)
{
	struct phys_dma *b = buffer(cur, "info");
	struct phys_map *m = phys_dma_map(b);

	printf("window %s bus 0x%" PRIx64 " size 0x%" PRIx64 " map %s phys 0x%" PRIx64
	       " physical %d size 0x%" PRIx64 " flags 0x%x ctx %d %s\n", phys_dma_window(b),
	       phys_dma_bus(b), phys_dma_size(b), phys_map_name(m), phys_map_phys(m),
	       phys_map_physical(m), phys_map_size(m), phys_map_flags(m), phys_map_ctx(m) == ctx,
	       phys_map_ptr(m) ? "mapped" : "no mapping");
}

static void nulls(void)
{
	struct phys_dma *b;
	struct phys_irq *q;

	errno = 0;
	b = phys_dma_alloc(NULL, "edu", 4096);
	printf("alloc ctx NULL: %p errno %s\n", (void *)b, errname(errno));
	errno = 0;
	if (!phys_dma_alloc(ctx, NULL, 4096))
		printf("alloc window NULL: %s: %s\n", errname(errno), phys_ctx_errmsg(ctx));
	phys_dma_free(NULL);
	printf("free NULL: ok\n");
	printf("bus NULL: %" PRIu64 " size NULL: %" PRIu64 " window NULL: %s map NULL: %p\n",
	       phys_dma_bus(NULL), phys_dma_size(NULL), phys_dma_window(NULL) ? "?" : "NULL",
	       (void *)phys_dma_map(NULL));
	errno = 0;
	q = phys_irq_open(NULL, "edu", PHYS_IRQ_AUTO);
	printf("irq ctx NULL: %p errno %s\n", (void *)q, errname(errno));
	errno = 0;
	if (!phys_irq_open(ctx, NULL, PHYS_IRQ_AUTO))
		printf("irq window NULL: %s: %s\n", errname(errno), phys_ctx_errmsg(ctx));
	phys_irq_close(NULL);
	printf("irq close NULL: ok\n");
	printf("irq mode NULL: %d fd NULL: %s wait NULL: %s\n", (int)phys_irq_mode(NULL),
	       errname(-phys_irq_fd(NULL)), errname(-phys_irq_wait(NULL, 0, NULL)));
}

static enum phys_irq_mode mode_arg(const char *s)
{
	if (!strcmp(s, "auto"))
		return PHYS_IRQ_AUTO;
	if (!strcmp(s, "intx"))
		return PHYS_IRQ_INTX;
	if (!strcmp(s, "msi"))
		return PHYS_IRQ_MSI;
	return (enum phys_irq_mode)num(s);
}

static const char *mode_text(enum phys_irq_mode m)
{
	return m == PHYS_IRQ_INTX ? "intx" : m == PHYS_IRQ_MSI ? "msi" : "auto";
}

int main(int argc, char **argv)
{
	const char *sysroot = NULL, *backend = NULL;
	bool verbose = false;
	int opt, r;

	while ((opt = getopt(argc, argv, "+s:b:v")) != -1) {
		switch (opt) {
		case 's': sysroot = optarg; break;
		case 'b': backend = optarg; break;
		case 'v': verbose = true; break;
		default:
			fprintf(stderr, "usage: libphys-dma [-s SYSROOT] [-b BACKEND] [-v] OP...\n");
			return 2;
		}
	}
	ctx = phys_ctx_new();
	if (!ctx)
		return 1;
	if (verbose) {
		phys_ctx_set_log_fn(ctx, log_stderr, NULL);
		phys_ctx_set_log_priority(ctx, 7);
	}
	if (sysroot && report(phys_ctx_set_sysroot(ctx, sysroot)))
		return 1;
	if (backend && report(phys_ctx_set_backend(ctx, backend)))
		return 1;

	for (int i = optind; i < argc; i++) {
		const char *op = argv[i];
		uint64_t v = 0, off;

		if (!strcmp(op, "alloc")) {
			struct phys_dma *b;

			need(argc, i, 2, op);
			b = phys_dma_alloc(ctx, argv[i + 1], num(argv[i + 2]));
			i += 2;
			if (!b) {
				report(-errno);
				continue;
			}
			if (nbufs == MAX_BUFS) {
				fprintf(stderr, "libphys-dma: more than %d buffers\n", MAX_BUFS);
				return 2;
			}
			cur = nbufs;
			bufs[nbufs++] = b;
			printf("bus 0x%" PRIx64 " size 0x%" PRIx64 "\n", phys_dma_bus(b),
			       phys_dma_size(b));
		} else if (!strcmp(op, "use")) {
			need(argc, i, 1, op);
			buffer(num(argv[++i]), op);
			cur = (unsigned int)num(argv[i]);
			printf("ok\n");
		} else if (!strcmp(op, "free")) {
			phys_dma_free(buffer(cur, op));
			bufs[cur] = NULL;
			printf("freed\n");
		} else if (!strcmp(op, "info")) {
			info();
		} else if (op[0] == 'r' && op[1] && strchr("1248", op[1]) && !op[2]) {
			need(argc, i, 1, op);
			off = num(argv[++i]);
			if (!report(fixed_read(cur_map(op), (unsigned int)(op[1] - '0'), off, &v)))
				printf("0x%0*" PRIx64 "\n", (op[1] - '0') * 2, v);
		} else if (op[0] == 'w' && op[1] && strchr("1248", op[1]) && !op[2]) {
			need(argc, i, 2, op);
			off = num(argv[i + 1]);
			v = num(argv[i + 2]);
			i += 2;
			if (!report(fixed_write(cur_map(op), (unsigned int)(op[1] - '0'), off, v)))
				printf("ok\n");
		} else if (!strcmp(op, "fill")) {
			need(argc, i, 4, op);
			if (!report(phys_fill(cur_map(op), num(argv[i + 1]), num(argv[i + 2]),
					      num(argv[i + 3]), (unsigned int)num(argv[i + 4]))))
				printf("ok\n");
			i += 4;
		} else if (!strcmp(op, "rbuf")) {
			uint64_t len;
			unsigned char *b;

			need(argc, i, 3, op);
			off = num(argv[i + 1]);
			len = num(argv[i + 2]);
			b = malloc(len ? len : 1);
			if (!b)
				return 1;
			if (!report(phys_read_buf(cur_map(op), off, b, len,
						  (unsigned int)num(argv[i + 3])))) {
				for (uint64_t k = 0; k < len; k++)
					printf("%02x", b[k]);
				printf("\n");
			}
			free(b);
			i += 3;
		} else if (!strcmp(op, "cmp") || !strcmp(op, "copy")) {
			struct phys_map *a, *b;
			uint64_t diff = 0;

			need(argc, i, 4, op);
			a = phys_dma_map(buffer(num(argv[i + 1]), op));
			b = phys_dma_map(buffer(num(argv[i + 2]), op));
			if (!strcmp(op, "copy")) {
				r = phys_copy(a, 0, b, 0, num(argv[i + 3]), (unsigned int)num(argv[i + 4]));
				if (!report(r))
					printf("ok\n");
			} else {
				r = phys_compare(a, 0, b, 0, num(argv[i + 3]),
						 (unsigned int)num(argv[i + 4]), &diff);
				if (r == 1)
					printf("differ at 0x%" PRIx64 ": %s\n", diff, phys_ctx_errmsg(ctx));
				else if (!report(r))
					printf("equal\n");
			}
			i += 4;
		} else if (!strcmp(op, "offin")) {
			need(argc, i, 3, op);
			r = phys_map_offset_in(phys_dma_map(buffer(num(argv[i + 1]), op)),
					       num(argv[i + 3]),
					       phys_dma_map(buffer(num(argv[i + 2]), op)), &v);
			if (r)
				printf("offset_in: %s\n", errname(-r));
			else
				printf("offset_in 0x%" PRIx64 "\n", v);
			i += 3;
		} else if (!strcmp(op, "mapclose")) {
			phys_map_close(cur_map(op));
			printf("ok\n");
		} else if (!strcmp(op, "irq")) {
			struct phys_irq *q;

			need(argc, i, 2, op);
			q = phys_irq_open(ctx, argv[i + 1], mode_arg(argv[i + 2]));
			i += 2;
			if (!q) {
				report(-errno);
				continue;
			}
			phys_irq_close(irq);
			irq = q;
			printf("mode %s\n", mode_text(phys_irq_mode(irq)));
		} else if (!strcmp(op, "wait")) {
			uint32_t count = 0;

			need(argc, i, 1, op);
			if (!report(phys_irq_wait(irq, (int)strtol(argv[++i], NULL, 0), &count)))
				printf("count %u\n", count);
		} else if (!strcmp(op, "irqfd")) {
			printf("%s\n", phys_irq_fd(irq) >= 0 ? "fd" : errname(-phys_irq_fd(irq)));
		} else if (!strcmp(op, "irqclose")) {
			phys_irq_close(irq);
			irq = NULL;
			printf("closed\n");
		} else if (!strcmp(op, "nulls")) {
			nulls();
		} else if (!strcmp(op, "sh")) {
			need(argc, i, 1, op);
			fflush(stdout);
			if (system(argv[++i]) != 0)
				printf("sh failed\n");
		} else {
			fprintf(stderr, "libphys-dma: unknown operation '%s'\n", op);
			return 2;
		}
		fflush(stdout);
	}
	for (unsigned int k = 0; k < nbufs; k++)
		phys_dma_free(bufs[k]);
	phys_irq_close(irq);
	phys_ctx_free(ctx);
	return failed;
}
