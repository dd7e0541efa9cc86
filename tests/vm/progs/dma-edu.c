// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dma-edu: DMA buffers and interrupts through libphys only, against QEMU's
 * edu device (hw/misc/edu.c), in the test VM.
 *
 * dma-edu [-s SYSROOT] [-m auto|intx|msi] [-t TIMEOUT_MS] WINDOW [test]
 *	Two buffers A and B; A filled with a pattern, B checked zeroed; edu
 *	copies A into its own memory (RAM -> edu) and back into B (edu ->
 *	RAM), interrupting when each is done; A and B compared. Then the
 *	factorial-done interrupt. One line a check, "ok: ..." or
 *	"FAIL: ..."; exit status 0 if every check passed, 1 if not.
 * dma-edu WINDOW hold SIZE [COUNT]
 *	COUNT buffers (1) of SIZE bytes, filled; prints "holding ..." and
 *	sleeps until killed (what a killed process leaves behind).
 *
 * -s: phys_ctx_set_sysroot() (a host's fake driver). WINDOW is the edu BAR 0 window, its rule granting dma (with a
 * dma-mask: edu drives 28 address bits, or what QEMU's dma_mask gives it) and
 * irq; the buffers are checked against the rule's dma-mask.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libphys.h"
#include "../../host/progs/prog-util.h"

/* edu's registers */
#define EDU_FACT	0x08
#define EDU_STATUS	0x20	/* bit 0 computing, bit 7 interrupt when done */
#define EDU_IRQ_STATUS	0x24
#define EDU_IRQ_ACK	0x64
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98	/* bit 0 start, bit 1 edu -> RAM, bit 2 interrupt */
#define EDU_BUF		0x40000	/* edu's own 4 KiB, as a DMA address */
#define EDU_IRQ_FACT	0x001
#define EDU_IRQ_DMA	0x100
/* edu aborts the whole machine on a DMA that does not end strictly inside
 * its 4 KiB (a full 4 KiB one included): stay well inside. */
#define LEN		2048

static struct phys_ctx *ctx;
static int failures;

struct window_bits {
	const char *name;
	unsigned int bits;	/* 0: no such window */
};

static int window_bits_fn(const struct phys_window_info *w, void *data)
{
	struct window_bits *wb = data;

	if (!strcmp(w->name, wb->name))
		wb->bits = w->dma_bits;
	return 0;
}

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failures += !ok;
}

/* A libphys call that failed: say it and stop. */
static void __attribute__((noreturn)) die(const char *what, int err)
{
	printf("FAIL: %s: %s (%s)\n", what, phys_ctx_errmsg(ctx), strerror(err < 0 ? -err : err));
	exit(1);
}

static void must(int r, const char *what)
{
	if (r)
		die(what, r);
}

static void usage(void)
{
	fputs("usage: dma-edu [-s SYSROOT] [-m auto|intx|msi] [-t TIMEOUT_MS] WINDOW [test]\n"
	      "       dma-edu [-s SYSROOT] WINDOW hold SIZE [COUNT]\n", stderr);
	exit(2);
}

static uint64_t num(const char *s)
{
	return prog_num("dma-edu", s);
}

static const char *mode_name(enum phys_irq_mode m)
{
	return m == PHYS_IRQ_INTX ? "intx" : m == PHYS_IRQ_MSI ? "msi" : "auto";
}

/* Wait for edu's interrupt, check the STATUS bit it set, acknowledge it. */
static void edu_irq(struct phys_map *edu, struct phys_irq *irq, int timeout_ms,
		    uint32_t bit, const char *what)
{
	uint32_t count = 0, status = 0;
	int r = phys_irq_wait(irq, timeout_ms, &count);

	if (r) {
		check(false, "%s: %s", what, phys_ctx_errmsg(ctx));
		return;
	}
	must(phys_read32(edu, EDU_IRQ_STATUS, &status), "read the interrupt status");
	check(status & bit, "%s: interrupt, count %u, status 0x%x", what, count, status);
	must(phys_write32(edu, EDU_IRQ_ACK, status), "acknowledge");
}

static void edu_dma(struct phys_map *edu, uint64_t src, uint64_t dst, bool to_ram)
{
	must(phys_write64(edu, EDU_DMA_SRC, src), "DMA source");
	must(phys_write64(edu, EDU_DMA_DST, dst), "DMA destination");
	must(phys_write64(edu, EDU_DMA_COUNT, LEN), "DMA count");
	must(phys_write64(edu, EDU_DMA_CMD, 1 | 4 | (to_ram ? 2 : 0)), "DMA start");
}

static int test(const char *window, enum phys_irq_mode mode, int timeout_ms)
{
	struct phys_map *edu, *ma, *mb;
	struct phys_dma *a, *b;
	struct phys_irq *irq;
	uint64_t diff = 0;
	uint32_t v = 0;
	int r;

	edu = phys_map_open(ctx, window, 0, 0);
	if (!edu)
		die("map the window", errno);
	a = phys_dma_alloc(ctx, window, LEN);
	if (!a)
		die("buffer A", errno);
	b = phys_dma_alloc(ctx, window, LEN);
	if (!b)
		die("buffer B", errno);
	ma = phys_dma_map(a);
	mb = phys_dma_map(b);
	check(phys_dma_size(a) == (uint64_t)sysconf(_SC_PAGESIZE) &&
	      phys_dma_size(b) == phys_dma_size(a),
	      "buffers A at bus 0x%" PRIx64 " and B at bus 0x%" PRIx64 ", 0x%" PRIx64 " bytes each",
	      phys_dma_bus(a), phys_dma_bus(b), phys_dma_size(a));
	{
		struct window_bits wb = { .name = window, .bits = 0 };

		phys_window_foreach(ctx, window_bits_fn, &wb);
		check(wb.bits >= 1 && wb.bits <= 64 &&
		      (wb.bits == 64 || (phys_dma_bus(a) >> wb.bits == 0 &&
					 phys_dma_bus(b) >> wb.bits == 0)),
		      "both below 2^%u, the rule's dma-mask", wb.bits);
	}
	check(!phys_map_physical(ma) && phys_map_phys(ma) == phys_dma_bus(a),
	      "A's map: %s, bus address, not physical", phys_map_name(ma));
	r = phys_compare(ma, 0, mb, 0, (size_t)phys_dma_size(a), 8, &diff);
	check(r == 0, "A and B are zeroed%s%s", r ? ": " : "", r ? phys_ctx_errmsg(ctx) : "");
	for (uint32_t i = 0; i < LEN / 4; i++)
		must(phys_write32(ma, i * 4, i * 0x9e3779b9u + 0x12345), "fill A");

	irq = phys_irq_open(ctx, window, mode);
	if (!irq)
		die("open the interrupt", errno);
	check(mode == PHYS_IRQ_AUTO || phys_irq_mode(irq) == mode, "interrupt mode %s (asked %s)",
	      mode_name(phys_irq_mode(irq)), mode_name(mode));

	edu_dma(edu, phys_dma_bus(a), EDU_BUF, false);
	edu_irq(edu, irq, timeout_ms, EDU_IRQ_DMA, "RAM -> edu");
	edu_dma(edu, EDU_BUF, phys_dma_bus(b), true);
	edu_irq(edu, irq, timeout_ms, EDU_IRQ_DMA, "edu -> RAM");
	r = phys_compare(ma, 0, mb, 0, LEN, 4, &diff);
	check(r == 0, "B is A after the round trip%s%s", r ? ": " : "",
	      r ? phys_ctx_errmsg(ctx) : "");

	must(phys_write32(edu, EDU_STATUS, 0x80), "factorial interrupt on");
	must(phys_write32(edu, EDU_FACT, 10), "factorial start");
	edu_irq(edu, irq, timeout_ms, EDU_IRQ_FACT, "factorial done");
	must(phys_read32(edu, EDU_FACT, &v), "factorial result");
	check(v == 3628800, "10! = %u", v);
	must(phys_write32(edu, EDU_STATUS, 0), "factorial interrupt off");

	r = phys_irq_wait(irq, 0, &v);
	if (r == 0)
		check(false, "nothing pending after the acknowledgements: count %u", v);
	else
		check(r == -ETIMEDOUT, "nothing pending after the acknowledgements%s%s",
		      r != -ETIMEDOUT ? ": " : "", r != -ETIMEDOUT ? phys_ctx_errmsg(ctx) : "");

	phys_irq_close(irq);
	phys_dma_free(b);
	phys_dma_free(a);
	phys_map_close(edu);
	return failures ? 1 : 0;
}

static int hold(const char *window, uint64_t size, uint64_t count)
{
	for (uint64_t i = 0; i < count; i++) {
		struct phys_dma *buf = phys_dma_alloc(ctx, window, size);

		if (!buf)
			die("allocate", errno);
		must(phys_fill(phys_dma_map(buf), 0, (size_t)phys_dma_size(buf), 0xa5, 1), "fill");
	}
	printf("holding %" PRIu64 " buffer%s of 0x%" PRIx64 " bytes\n", count,
	       count == 1 ? "" : "s", size);
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	enum phys_irq_mode mode = PHYS_IRQ_AUTO;
	const char *what, *sysroot = NULL;
	int timeout_ms = 10000, opt;

	while ((opt = getopt(argc, argv, "+s:m:t:")) != -1) {
		switch (opt) {
		case 's':
			sysroot = optarg;
			break;
		case 'm':
			if (!strcmp(optarg, "intx"))
				mode = PHYS_IRQ_INTX;
			else if (!strcmp(optarg, "msi"))
				mode = PHYS_IRQ_MSI;
			else if (strcmp(optarg, "auto"))
				usage();
			break;
		case 't':
			timeout_ms = (int)num(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	what = optind + 1 < argc ? argv[optind + 1] : "test";
	ctx = phys_ctx_new();
	if (!ctx)
		return 1;
	if (sysroot)
		must(phys_ctx_set_sysroot(ctx, sysroot), "sysroot");
	if (!strcmp(what, "test") && argc - optind <= 2)
		return test(argv[optind], mode, timeout_ms);
	if (!strcmp(what, "hold") && argc - optind >= 3 && argc - optind <= 4)
		return hold(argv[optind], num(argv[optind + 2]),
			    argc - optind == 4 ? num(argv[optind + 3]) : 1);
	usage();
}
