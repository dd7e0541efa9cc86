// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * physmem-dma-t: the driver's DMA buffers and interrupts, with raw ioctls
 * (no libphys), against QEMU's edu device, so a failure points at the
 * driver.
 *
 * Errors print "physmem-dma-t: WHAT: ENAME (text)" and exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/physmem.h>

#include "../../host/progs/prog-util.h"

/* edu's registers (QEMU hw/misc/edu.c) */
#define EDU_FACT	0x08
#define EDU_STATUS	0x20	/* bit 0 busy, bit 7 interrupt when done */
#define EDU_IRQ_STATUS	0x24
#define EDU_IRQ_RAISE	0x60
#define EDU_IRQ_ACK	0x64
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98	/* bit 0 start, bit 1 EDU->RAM, bit 2 irq */
#define EDU_BUF		0x40000	/* its 4 KiB buffer, as a DMA address */
/*
 * QEMU's edu aborts the whole machine (hw_error) on a DMA that does not
 * end strictly inside its buffer, a full 4 KiB one included: stay below.
 */
#define EDU_DMA_LEN	2048
#define EDU_IRQ_FACT	0x001
#define EDU_IRQ_DMA	0x100

static int fd = -1;

static void __attribute__((noreturn)) fail(const char *what)
{
	prog_fail("physmem-dma-t", what);
}

static uint64_t num(const char *s)
{
	return prog_num("physmem-dma-t", s);
}

static void open_dev(void)
{
	if (fd >= 0)
		return;
	fd = open(PHYSMEM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fail("open");
}

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* 0 and the buffer, or -1 with errno. */
static int dma_alloc(int dfd, const char *win, uint64_t size,
		     struct physmem_dma_alloc *a)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", win);
	a->size = size;
	return ioctl(dfd, PHYSMEM_IOC_DMA_ALLOC, a);
}

static void *dma_map(int dfd, const struct physmem_dma_alloc *a)
{
	void *p = mmap(NULL, a->size, PROT_READ | PROT_WRITE, MAP_SHARED, dfd,
		       (off_t)a->offset);

	if (p == MAP_FAILED)
		fail("mmap");
	return p;
}

static int irq_open(const char *win, const char *mode, unsigned int *got)
{
	struct physmem_irq_open o = { 0 };
	int ifd;

	snprintf(o.name, sizeof(o.name), "%s", win);
	o.mode = !strcmp(mode, "intx") ? PHYSMEM_IRQ_INTX :
		 !strcmp(mode, "msi") ? PHYSMEM_IRQ_MSI : PHYSMEM_IRQ_AUTO;
	ifd = ioctl(fd, PHYSMEM_IOC_IRQ_OPEN, &o);
	if (ifd >= 0 && got)
		*got = o.mode;
	return ifd;
}

static const char *mode_name(unsigned int m)
{
	return m == PHYSMEM_IRQ_MSI ? "msi" : m == PHYSMEM_IRQ_INTX ? "intx" : "?";
}

/*
 * Wait for an interrupt as libphys does: a count not read yet returns at
 * once; otherwise unmask (INTx) and poll. Returns the count, or -1 with
 * errno (ETIMEDOUT).
 */
static int64_t irq_wait(int ifd, int timeout_ms)
{
	struct pollfd p = { .fd = ifd, .events = POLLIN };
	uint32_t c, one = 1;
	int flags = fcntl(ifd, F_GETFL);

	fcntl(ifd, F_SETFL, flags | O_NONBLOCK);
	if (read(ifd, &c, sizeof(c)) == sizeof(c))
		return c;
	if (errno != EAGAIN)
		return -1;
	if (write(ifd, &one, sizeof(one)) != sizeof(one))
		return -1;
	switch (poll(&p, 1, timeout_ms)) {
	case 0:
		errno = ETIMEDOUT;
		return -1;
	case -1:
		return -1;
	}
	if (read(ifd, &c, sizeof(c)) != sizeof(c))
		return -1;
	return c;
}

/* The window's physical range, from LIST. */
static void window_range(const char *win, uint64_t *base, uint64_t *size)
{
	struct physmem_window ws[PHYSMEM_MAX_WINDOWS];
	struct physmem_window_array arr = {
		.count = PHYSMEM_MAX_WINDOWS,
		.windows = (uintptr_t)ws,
	};
	uint32_t i;

	if (ioctl(fd, PHYSMEM_IOC_LIST, &arr))
		fail("list");
	for (i = 0; i < arr.count && i < PHYSMEM_MAX_WINDOWS; i++) {
		if (strcmp(ws[i].name, win))
			continue;
		*base = ws[i].base;
		*size = ws[i].size;
		return;
	}
	errno = ENOENT;
	fail(win);
}

static volatile uint8_t *edu_map(const char *win)
{
	uint64_t base, size;
	void *p;

	window_range(win, &base, &size);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)base);
	if (p == MAP_FAILED)
		fail("mmap edu");
	return p;
}

static uint32_t rd32(volatile uint8_t *r, unsigned int off)
{
	return *(volatile uint32_t *)(r + off);
}

static void wr32(volatile uint8_t *r, unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(r + off) = v;
}

static void wr64(volatile uint8_t *r, unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)(r + off) = v;
}

static void edu_dma(volatile uint8_t *r, uint64_t src, uint64_t dst,
		    uint64_t count, bool to_ram)
{
	wr64(r, EDU_DMA_SRC, src);
	wr64(r, EDU_DMA_DST, dst);
	wr64(r, EDU_DMA_COUNT, count);
	wr64(r, EDU_DMA_CMD, 1 | 4 | (to_ram ? 2 : 0));
}

/* Wait for edu's interrupt with STATUS bit set, then acknowledge it. */
static void edu_irq(volatile uint8_t *r, int ifd, uint32_t bit,
		    const char *what)
{
	int64_t c = irq_wait(ifd, 10000);
	uint32_t st;

	if (c < 0)
		fail(what);
	st = rd32(r, EDU_IRQ_STATUS);
	printf("%s: interrupt, count %" PRId64 ", status %#x\n", what, c, st);
	if (!(st & bit)) {
		printf("%s: status bit %#x missing\n", what, bit);
		exit(1);
	}
	wr32(r, EDU_IRQ_ACK, st);
}

static int cmd_edu(int argc, char **argv)
{
	volatile uint8_t *r = edu_map(argv[0]);
	struct physmem_dma_alloc a, b;
	unsigned int mode;
	uint8_t *pa, *pb;
	size_t i, n = EDU_DMA_LEN;
	int ifd;

	if (dma_alloc(fd, argv[0], n, &a) || dma_alloc(fd, argv[0], n, &b))
		fail("alloc");
	pa = dma_map(fd, &a);
	pb = dma_map(fd, &b);
	for (i = 0; i < n; i++)
		pa[i] = (uint8_t)(i * 7 + 3);
	memset(pb, 0, n);
	ifd = irq_open(argv[0], argc > 1 ? argv[1] : "auto", &mode);
	if (ifd < 0)
		fail("irq open");
	printf("irq mode %s\n", mode_name(mode));
	printf("buffers at bus %#llx and %#llx\n", (unsigned long long)a.bus_addr,
	       (unsigned long long)b.bus_addr);

	edu_dma(r, a.bus_addr, EDU_BUF, n, false);
	edu_irq(r, ifd, EDU_IRQ_DMA, "ram->edu");
	edu_dma(r, EDU_BUF, b.bus_addr, n, true);
	edu_irq(r, ifd, EDU_IRQ_DMA, "edu->ram");
	if (memcmp(pa, pb, n)) {
		printf("buffers differ\n");
		return 1;
	}
	printf("round trip ok\n");
	return 0;
}

static int cmd_fact(int argc, char **argv)
{
	volatile uint8_t *r = edu_map(argv[0]);
	unsigned int mode;
	int ifd = irq_open(argv[0], argc > 1 ? argv[1] : "auto", &mode);
	uint32_t v;

	if (ifd < 0)
		fail("irq open");
	printf("irq mode %s\n", mode_name(mode));
	wr32(r, EDU_STATUS, 0x80);
	wr32(r, EDU_FACT, 5);
	edu_irq(r, ifd, EDU_IRQ_FACT, "factorial");
	v = rd32(r, EDU_FACT);
	printf("5! = %u\n", v);
	wr32(r, EDU_STATUS, 0);
	return v == 120 ? 0 : 1;
}

/*
 * Interrupts raised while nobody waits are counted: raise one, wait
 * afterwards; with INTx, a second one raised while masked comes when
 * unmasked.
 */
static int cmd_count(int argc, char **argv)
{
	volatile uint8_t *r = edu_map(argv[0]);
	unsigned int mode;
	int ifd = irq_open(argv[0], argc > 1 ? argv[1] : "auto", &mode);
	int64_t c1, c2;

	if (ifd < 0)
		fail("irq open");
	wr32(r, EDU_IRQ_RAISE, 0x1000);
	usleep(200000);		/* nobody waits */
	c1 = irq_wait(ifd, 0);
	if (c1 < 0)
		fail("first wait");
	wr32(r, EDU_IRQ_ACK, 0x1000);
	wr32(r, EDU_IRQ_RAISE, 0x1000);
	usleep(200000);
	c2 = irq_wait(ifd, 1000);
	if (c2 < 0)
		fail("second wait");
	wr32(r, EDU_IRQ_ACK, 0x1000);
	printf("%s counts %" PRId64 " %" PRId64 "\n", mode_name(mode), c1, c2);
	return c2 > c1 ? 0 : 1;
}

static int cmd_irqwait(int argc, char **argv)
{
	unsigned int mode;
	int ifd = irq_open(argv[0], argv[1], &mode);
	int64_t c;

	if (ifd < 0)
		fail("irq open");
	c = irq_wait(ifd, (int)num(argv[2]));
	if (c < 0)
		fail("wait");
	printf("count %" PRId64 "\n", c);
	return 0;
}

/* Open the interrupt, print ready, block in read until it is revoked. */
static int cmd_irqblock(int argc, char **argv)
{
	unsigned int mode;
	int ifd = irq_open(argv[0], argv[1], &mode);
	uint32_t c;

	if (ifd < 0)
		fail("irq open");
	printf("ready\n");
	fflush(stdout);
	for (;;)
		if (read(ifd, &c, sizeof(c)) < 0)
			fail("read");
}

static int cmd_irqopen(int argc, char **argv)
{
	unsigned int mode;

	if (irq_open(argv[0], argv[1], &mode) < 0)
		fail("irq open");
	printf("irq mode %s\n", mode_name(mode));
	if (argc > 2 && irq_open(argv[0], argv[2], &mode) < 0)
		fail("second irq open");
	return 0;
}

/* Allocate, then check pwrite/pread and the mapping agree. */
static int cmd_alloc(int argc, char **argv)
{
	struct physmem_dma_alloc a;
	uint8_t *p, buf[64], back[64];
	size_t i;

	if (dma_alloc(fd, argv[0], num(argv[1]), &a))
		fail("alloc");
	printf("size %#llx bus %#llx offset %#llx\n", (unsigned long long)a.size,
	       (unsigned long long)a.bus_addr, (unsigned long long)a.offset);
	p = dma_map(fd, &a);
	for (i = 0; i < a.size; i++)
		if (p[i]) {
			printf("not zeroed at %zu\n", i);
			return 1;
		}
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(0xa0 + i);
	if (pwrite(fd, buf, sizeof(buf), (off_t)(a.offset + a.size - 32)) !=
	    sizeof(buf) - 32)
		printf("pwrite across the end: not short\n");
	if (pwrite(fd, buf, sizeof(buf), (off_t)(a.offset + 100)) != sizeof(buf))
		fail("pwrite");
	if (memcmp(p + 100, buf, sizeof(buf)))
		return printf("mapping does not show the pwrite\n"), 1;
	p[300] = 0x5a;
	if (pread(fd, back, 1, (off_t)(a.offset + 300)) != 1 || back[0] != 0x5a)
		return printf("pread does not show the mapping\n"), 1;
	printf("rw ok\n");
	return 0;
}

/* Buffers of SIZE until one is refused: "N buffers, then ENAME". */
static int cmd_limit(int argc, char **argv)
{
	struct physmem_dma_alloc a;
	unsigned int n = 0;

	while (!dma_alloc(fd, argv[0], num(argv[1]), &a))
		if (++n > 100000)
			break;
	printf("%u buffers, then %s\n", n, strerrorname_np(errno));
	return 0;
}

/* What reaches past a buffer, or another file's buffer. */
static int cmd_beyond(int argc, char **argv)
{
	struct physmem_dma_alloc a;
	int other = open(PHYSMEM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	uint8_t c;
	void *p;

	if (dma_alloc(fd, argv[0], num(argv[1]), &a))
		fail("alloc");
	p = mmap(NULL, a.size + page_size(), PROT_READ, MAP_SHARED, fd,
		 (off_t)a.offset);
	printf("mmap past the end: %s\n", p == MAP_FAILED ? strerrorname_np(errno) : "mapped");
	p = mmap(NULL, page_size(), PROT_READ, MAP_SHARED, fd,
		 (off_t)(a.offset + a.size));
	printf("mmap after it: %s\n", p == MAP_FAILED ? strerrorname_np(errno) : "mapped");
	p = mmap(NULL, a.size, PROT_READ, MAP_PRIVATE, fd, (off_t)a.offset);
	printf("private mmap: %s\n", p == MAP_FAILED ? strerrorname_np(errno) : "mapped");
	printf("pread after it: %s\n",
	       pread(fd, &c, 1, (off_t)(a.offset + a.size)) < 0 ? strerrorname_np(errno) : "read");
	p = mmap(NULL, a.size, PROT_READ, MAP_SHARED, other, (off_t)a.offset);
	printf("other file mmap: %s\n", p == MAP_FAILED ? strerrorname_np(errno) : "mapped");
	printf("other file pread: %s\n",
	       pread(other, &c, 1, (off_t)a.offset) < 0 ? strerrorname_np(errno) : "read");
	return 0;
}

/* Hold COUNT buffers of SIZE, mapped and touched, until killed. */
static void hold(const char *win, uint64_t size, unsigned int count, int ready)
{
	struct physmem_dma_alloc a;
	unsigned int i;

	for (i = 0; i < count; i++) {
		uint8_t *p;

		if (dma_alloc(fd, win, size, &a))
			fail("alloc");
		p = dma_map(fd, &a);
		memset(p, 0xee, a.size);
	}
	if (ready >= 0) {
		if (write(ready, "r", 1) != 1)
			_exit(1);
	} else {
		printf("held\n");
		fflush(stdout);
	}
	for (;;)
		pause();
}

static int cmd_hold(int argc, char **argv)
{
	hold(argv[0], num(argv[1]), (unsigned int)num(argv[2]), -1);
	return 0;
}

/* N times: a child allocates and maps buffers, then is killed. */
static int cmd_cycles(int argc, char **argv)
{
	unsigned long n = num(argv[2]), i;

	for (i = 0; i < n; i++) {
		int p[2], st;
		pid_t pid;
		char c;

		if (pipe(p))
			fail("pipe");
		pid = fork();
		if (pid < 0)
			fail("fork");
		if (!pid) {
			close(p[0]);
			close(fd);
			fd = -1;
			open_dev();
			hold(argv[0], num(argv[1]), 2, p[1]);
		}
		close(p[1]);
		if (read(p[0], &c, 1) != 1) {
			printf("cycle %lu: the child failed\n", i);
			return 1;
		}
		close(p[0]);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	printf("%lu cycles\n", n);
	return 0;
}

/* The physical address of a locked page of ours, below LIMIT, or 0. */
static uint64_t page_below(uint8_t **page, uint64_t limit)
{
	size_t len = 64 << 20, ps = page_size(), i;
	uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	int pm = open("/proc/self/pagemap", O_RDONLY);

	if (p == MAP_FAILED || pm < 0 || mlock(p, len))
		fail("pages");
	for (i = 0; i < len; i += ps) {
		uint64_t e;

		p[i] = 1;
		if (pread(pm, &e, 8, (off_t)(((uintptr_t)(p + i) / ps) * 8)) != 8)
			fail("pagemap");
		if (!(e >> 63))
			continue;
		e = (e & ((1ULL << 55) - 1)) * ps;
		if (e && e + ps <= limit) {
			*page = p + i;
			return e;
		}
	}
	return 0;
}

/*
 * A DMA to memory outside every buffer: edu writes its buffer to one of
 * our own pages, by its physical address, below 2^BITS (edu's DMA mask:
 * 28, or what QEMU's dma_mask gives it). With an IOMMU the device cannot
 * reach it (the page is unchanged); without one it can.
 */
static int cmd_stray(int argc, char **argv)
{
	volatile uint8_t *r = edu_map(argv[0]);
	unsigned int bits = argc > 1 ? (unsigned int)num(argv[1]) : 28;
	struct physmem_dma_alloc a;
	uint8_t *pa, *page;
	uint64_t phys;
	size_t i;
	int ifd;

	if (bits < 13 || bits > 63) {
		fprintf(stderr, "physmem-dma-t: stray: BITS must be 13..63\n");
		exit(2);
	}

	if (dma_alloc(fd, argv[0], 4096, &a))
		fail("alloc");
	pa = dma_map(fd, &a);
	memset(pa, 0x3c, 4096);
	phys = page_below(&page, 1ULL << bits);
	if (!phys) {
		printf("no page below 2^%u\n", bits);
		return 1;
	}
	memset(page, 0xc3, page_size());
	ifd = irq_open(argv[0], "auto", NULL);
	if (ifd < 0)
		fail("irq open");
	printf("buffer at bus %#llx, target page at %#llx\n",
	       (unsigned long long)a.bus_addr, (unsigned long long)phys);
	/* edu's buffer gets the pattern, then goes to the page. */
	edu_dma(r, a.bus_addr, EDU_BUF, EDU_DMA_LEN, false);
	edu_irq(r, ifd, EDU_IRQ_DMA, "ram->edu");
	edu_dma(r, EDU_BUF, phys, EDU_DMA_LEN, true);
	edu_irq(r, ifd, EDU_IRQ_DMA, "edu->page");
	for (i = 0; i < EDU_DMA_LEN; i++)
		if (page[i] != 0xc3)
			break;
	printf("page %s\n", i == EDU_DMA_LEN ? "unchanged" : "overwritten");
	return 0;
}

static const struct command {
	const char *name;
	int min_args, max_args;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "alloc",	2, 2,	cmd_alloc },
	{ "limit",	2, 2,	cmd_limit },
	{ "beyond",	2, 2,	cmd_beyond },
	{ "hold",	3, 3,	cmd_hold },
	{ "cycles",	3, 3,	cmd_cycles },
	{ "edu",	1, 2,	cmd_edu },
	{ "fact",	1, 2,	cmd_fact },
	{ "count",	1, 2,	cmd_count },
	{ "irqopen",	2, 3,	cmd_irqopen },
	{ "irqwait",	3, 3,	cmd_irqwait },
	{ "irqblock",	2, 2,	cmd_irqblock },
	{ "stray",	1, 2,	cmd_stray },
};

static void usage(void)
{
	fputs("usage: physmem-dma-t COMMAND WINDOW ARGS\n"
	      "  alloc W SIZE          allocate, check zeroed, pread/pwrite/mmap agree\n"
	      "  limit W SIZE          allocate until refused: N buffers, then ENAME\n"
	      "  beyond W SIZE         mmap/pread past a buffer, and from another file\n"
	      "  hold W SIZE N         hold N mapped buffers until killed\n"
	      "  cycles W SIZE N       N children hold 2 buffers each and are killed\n"
	      "  edu W [MODE]          DMA RAM->edu->RAM with interrupts, compare\n"
	      "  fact W [MODE]         the factorial-done interrupt\n"
	      "  count W [MODE]        interrupts raised while nobody waits are counted\n"
	      "  irqopen W MODE [MODE2]  open (and a second time), print the mode\n"
	      "  irqwait W MODE MS     wait for an interrupt: count N, or ETIMEDOUT\n"
	      "  irqblock W MODE       block in read until revoked\n"
	      "  stray W [BITS]        edu DMA to a page outside every buffer, below 2^BITS (28)\n"
	      "MODE: auto, intx or msi\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *c = &commands[i];

		if (strcmp(argv[1], c->name))
			continue;
		argc -= 2;
		argv += 2;
		if (argc < c->min_args || argc > c->max_args)
			usage();
		open_dev();
		return c->run(argc, argv);
	}
	usage();
}
