// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libphys-fakedma: the driver's DMA buffers and interrupts on the host,
 * for LD_PRELOAD in front of libphys-fakedrv (tests/host/fakedma.bash).
 * It answers, on the fake /dev/physmem, what physmem.h says the driver
 * does, with this process's state only:
 *   PHYSMEM_IOC_LIST       fakedrv's list, with the options below applied
 *   PHYSMEM_IOC_DMA_ALLOC  a zeroed buffer (a memfd) at a file offset above
 *                          every physical address (never reused), bus
 *                          addresses from 0x1000000 up; the driver's
 *                          refusals: EBADF (not opened read-write), EINVAL,
 *                          ENOENT (no window, or gone), EPERM (no dma),
 *                          ENOSPC, EDQUOT; $FAKEDRV_DMA_ERRNO forces an errno
 *   PHYSMEM_IOC_DMA_FREE   frees it (ENOENT if the descriptor has none there)
 *   mmap                   of a buffer's pages through its descriptor only,
 *                          else EPERM; private: EINVAL
 *   close                  frees the descriptor's buffers
 *   PHYSMEM_IOC_IRQ_OPEN   an eventfd standing for the interrupt descriptor:
 *                          read gives the count once it changed (EAGAIN or
 *                          a wait), write of a __u32 1/0 unmasks/masks,
 *                          poll reports POLLERR|POLLHUP and read ENODEV once
 *                          the window is gone; ENOENT (no window, or gone),
 *                          EPERM (no irq), ENXIO (no such mode), EBUSY (open
 *                          in the other mode; auto joins it)
 * The device interrupts when $FAKEDRV_IRQ_FIRE says: "unmask" (each unmask
 * of INTx), "poll" (each poll of the descriptor); $FAKEDRV_IRQ_PENDING=N
 * makes N interrupts come right after the open.
 * Each call is logged to $FAKEDRV_LOG: "dma_alloc NAME SIZE", "dma_free
 * 0xOFF", "mmap LEN 0xOFF", "close dma N", "irq_open NAME MODE",
 * "irq_read COUNT", "irq_write V", "irq_poll", "close irq".
 *
 * Window options, after fakedrv's (NAME BASE SIZE [rw] [mmap] [gone]
 * first): dma=SIZE bits=N irq msi intx pci shared.
 */
/*
 * It defines mmap and mmap64 both: the headers must not rename one. Where
 * off_t has 32 bits (armhf), the library, built with _FILE_OFFSET_BITS=64,
 * calls mmap64: it does the work, with 64-bit offsets (the buffers' lie
 * above 2^52), and mmap forwards to it.
 */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/physmem.h>

#include "prog-util.h"

#define FAKE_PAGE	UINT64_C(4096)
#define FAKE_MAX	16
#define DMA_BASE	(UINT64_C(1) << 52)	/* above every physical address */
#define MAX_BUFS	1024
#define MAX_IRQS	16

struct fwin {
	char name[PHYSMEM_NAME_MAX];
	uint64_t dma, bits;
	bool irq, msi, intx, pci, shared, gone;
};

static struct buf {
	int fd, memfd;
	char window[PHYSMEM_NAME_MAX];
	uint64_t off, size;
	bool live;
} bufs[MAX_BUFS];
static unsigned int nbufs;
static uint64_t next_off = DMA_BASE, next_bus = 0x1000000;

static struct irq {
	int fd;
	char window[PHYSMEM_NAME_MAX];
	uint32_t mode, count, last;
	bool nonblock;
} irqs[MAX_IRQS];

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

static void note(const char *fmt, ...)
{
	const char *path = getenv("FAKEDRV_LOG");
	va_list ap;
	FILE *f;

	if (path && (f = fopen(path, "ae"))) {
		va_start(ap, fmt);
		vfprintf(f, fmt, ap);
		va_end(ap);
		fputc('\n', f);
		fclose(f);
	}
}

/* Window NAME of $FAKEDRV_WINDOWS with its options: 0, or -1 if none. */
static int window(const char *name, struct fwin *w)
{
	const char *path = getenv("FAKEDRV_WINDOWS");
	char line[512], *tok, *save;
	int found = -1;
	FILE *f;

	if (!path || !(f = fopen(path, "re")))
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		tok = strtok_r(line, " \t\n", &save);
		if (!tok || strcmp(tok, name))
			continue;
		memset(w, 0, sizeof(*w));
		snprintf(w->name, sizeof(w->name), "%s", tok);
		strtok_r(NULL, " \t\n", &save);		/* base */
		strtok_r(NULL, " \t\n", &save);		/* size */
		while ((tok = strtok_r(NULL, " \t\n", &save))) {
			if (!strncmp(tok, "dma=", 4))
				w->dma = strtoull(tok + 4, NULL, 0);
			else if (!strncmp(tok, "bits=", 5))
				w->bits = strtoull(tok + 5, NULL, 0);
			else if (!strcmp(tok, "irq"))
				w->irq = true;
			else if (!strcmp(tok, "msi"))
				w->msi = true;
			else if (!strcmp(tok, "intx"))
				w->intx = true;
			else if (!strcmp(tok, "pci"))
				w->pci = true;
			else if (!strcmp(tok, "shared"))
				w->shared = true;
			else if (!strcmp(tok, "gone"))
				w->gone = true;
		}
		found = 0;
	}
	fclose(f);
	return found;
}

static uint64_t used(const char *name)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < nbufs; i++)
		if (bufs[i].live && !strcmp(bufs[i].window, name))
			sum += bufs[i].size;
	return sum;
}

static int fail(int err)
{
	errno = err;
	return -1;
}

static int dma_alloc(int fd, struct physmem_dma_alloc *a)
{
	const char *force = getenv("FAKEDRV_DMA_ERRNO");
	uint64_t size;
	unsigned int held = 0;
	struct fwin w;
	struct buf *b;

	note("dma_alloc %.32s %llu", a->name, (unsigned long long)a->size);
	if ((fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDWR)
		return fail(EBADF);
	if (a->flags || a->__pad || a->__reserved[0] || a->__reserved[1] || !a->size ||
	    a->size > UINT64_MAX - FAKE_PAGE)
		return fail(EINVAL);
	if (force && *force)
		return fail(atoi(force));
	if (window(a->name, &w) || w.gone)
		return fail(ENOENT);
	if (!w.pci || w.shared || !w.dma)
		return fail(EPERM);
	for (unsigned int i = 0; i < nbufs; i++)
		held += bufs[i].live && bufs[i].fd == fd;
	if (held >= PHYSMEM_DMA_MAX_BUFFERS || nbufs == MAX_BUFS)
		return fail(ENOSPC);
	size = (a->size + FAKE_PAGE - 1) & ~(FAKE_PAGE - 1);
	if (size > w.dma || used(w.name) > w.dma - size)
		return fail(EDQUOT);
	b = &bufs[nbufs];
	b->memfd = memfd_create("fakedma", MFD_CLOEXEC);
	if (b->memfd < 0 || ftruncate(b->memfd, (off_t)size))
		return fail(ENOMEM);
	nbufs++;
	b->fd = fd;
	snprintf(b->window, sizeof(b->window), "%s", w.name);
	b->off = next_off;
	b->size = size;
	b->live = true;
	next_off += size + FAKE_PAGE;
	a->size = size;
	a->bus_addr = next_bus;
	a->offset = b->off;
	next_bus += size;
	return 0;
}

static void buf_free(struct buf *b)
{
	b->live = false;
	close(b->memfd);
}

static int dma_free(int fd, const struct physmem_dma_free *f)
{
	note("dma_free 0x%llx", (unsigned long long)f->offset);
	for (unsigned int i = 0; i < nbufs; i++) {
		if (bufs[i].live && bufs[i].fd == fd && bufs[i].off == f->offset) {
			buf_free(&bufs[i]);
			return 0;
		}
	}
	return fail(ENOENT);
}

static struct irq *irq_of(int fd)
{
	for (unsigned int i = 0; i < MAX_IRQS; i++)
		if (irqs[i].fd > 0 && irqs[i].fd == fd)
			return &irqs[i];
	return NULL;
}

static void fire(struct irq *q)
{
	uint64_t one = 1;

	q->count++;
	if (REAL(write)(q->fd, &one, sizeof(one)) != sizeof(one))
		abort();
}

static int irq_open(struct physmem_irq_open *o)
{
	const char *pending = getenv("FAKEDRV_IRQ_PENDING");
	uint32_t mode = o->mode;
	struct irq *q = NULL;
	struct fwin w;

	note("irq_open %.32s %u", o->name, o->mode);
	if (o->flags & ~PHYSMEM_IRQ_NONBLOCK || o->__reserved[0] || o->__reserved[1] ||
	    mode > PHYSMEM_IRQ_MSI)
		return fail(EINVAL);
	if (window(o->name, &w) || w.gone)
		return fail(ENOENT);
	if (!w.pci || w.shared || !w.irq)
		return fail(EPERM);
	for (unsigned int i = 0; i < MAX_IRQS; i++) {
		if (irqs[i].fd > 0 && !strcmp(irqs[i].window, w.name)) {
			if (mode == PHYSMEM_IRQ_AUTO)
				mode = irqs[i].mode;
			if (irqs[i].mode != mode)
				return fail(EBUSY);
		}
		if (irqs[i].fd <= 0 && !q)
			q = &irqs[i];
	}
	if (mode == PHYSMEM_IRQ_AUTO)
		mode = w.msi ? PHYSMEM_IRQ_MSI : PHYSMEM_IRQ_INTX;
	if ((mode == PHYSMEM_IRQ_MSI && !w.msi) || (mode == PHYSMEM_IRQ_INTX && !w.intx))
		return fail(ENXIO);
	if (!q)
		return fail(EMFILE);
	memset(q, 0, sizeof(*q));
	q->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (q->fd < 0)
		return -1;
	snprintf(q->window, sizeof(q->window), "%s", w.name);
	q->mode = mode;
	q->nonblock = o->flags & PHYSMEM_IRQ_NONBLOCK;
	for (long n = pending ? atol(pending) : 0; n > 0; n--)
		fire(q);
	o->mode = mode;
	return q->fd;
}

static bool irq_gone(const struct irq *q)
{
	struct fwin w;

	return window(q->window, &w) || w.gone;
}

ssize_t read(int fd, void *p, size_t len)
{
	struct irq *q = irq_of(fd);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t drain;

	if (!q)
		return REAL(read)(fd, p, len);
	if (len < sizeof(uint32_t))
		return fail(EINVAL);
	for (;;) {
		if (irq_gone(q))
			return fail(ENODEV);
		if (q->count != q->last)
			break;
		if (q->nonblock)
			return fail(EAGAIN);
		REAL(poll)(&pfd, 1, -1);
	}
	REAL(read)(fd, &drain, sizeof(drain));
	q->last = q->count;
	memcpy(p, &q->count, sizeof(q->count));
	note("irq_read %u", q->count);
	return sizeof(uint32_t);
}

ssize_t write(int fd, const void *p, size_t len)
{
	const char *when = getenv("FAKEDRV_IRQ_FIRE");
	struct irq *q = irq_of(fd);
	uint32_t v;

	if (!q)
		return REAL(write)(fd, p, len);
	if (len != sizeof(v))
		return fail(EINVAL);
	if (irq_gone(q))
		return fail(ENODEV);
	memcpy(&v, p, sizeof(v));
	note("irq_write %u", v);
	if (v == 1 && q->mode == PHYSMEM_IRQ_INTX && when && !strcmp(when, "unmask"))
		fire(q);
	return sizeof(v);
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	const char *when = getenv("FAKEDRV_IRQ_FIRE");
	struct irq *q = n == 1 ? irq_of(fds[0].fd) : NULL;

	if (!q)
		return REAL(poll)(fds, n, timeout);
	note("irq_poll");
	if (irq_gone(q)) {
		fds[0].revents = POLLERR | POLLHUP;
		return 1;
	}
	if (when && !strcmp(when, "poll"))
		fire(q);
	return REAL(poll)(fds, n, timeout);
}

int close(int fd)
{
	struct irq *q = irq_of(fd);
	unsigned int freed = 0;

	if (q) {
		note("close irq");
		q->fd = 0;
	} else if (fd >= 0 && prog_fd_is_physmem(fd)) {
		for (unsigned int i = 0; i < nbufs; i++) {
			if (bufs[i].live && bufs[i].fd == fd) {
				buf_free(&bufs[i]);
				freed++;
			}
		}
		if (freed)
			note("close dma %u", freed);
	}
	return REAL(close)(fd);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
	uint64_t o = (uint64_t)off;

	if (fd < 0 || o < DMA_BASE || !prog_fd_is_physmem(fd))
		return REAL(mmap64)(addr, len, prot, flags, fd, off);
	note("mmap %zu 0x%llx", len, (unsigned long long)o);
	if (!(flags & MAP_SHARED)) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	for (unsigned int i = 0; i < nbufs; i++) {
		struct buf *b = &bufs[i];

		if (b->live && b->fd == fd && o >= b->off && o - b->off < b->size &&
		    len <= b->size - (o - b->off))
			return REAL(mmap64)(addr, len, prot, flags, b->memfd, (off64_t)(o - b->off));
	}
	errno = EPERM;
	return MAP_FAILED;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return mmap64(addr, len, prot, flags, fd, off);
}

/* The first N windows of ARR, as fakedrv listed them. */
static void patch_list(struct physmem_window_array *arr, uint32_t n)
{
	struct physmem_window *k = (struct physmem_window *)(uintptr_t)arr->windows;
	struct fwin w;

	for (uint32_t i = 0; i < n; i++) {
		if (window(k[i].name, &w))
			continue;
		k[i].dma_size = w.dma;
		k[i].dma_bits = (uint8_t)w.bits;
		k[i].dma_used = used(w.name);
		if (w.irq)
			k[i].flags |= PHYSMEM_WIN_IRQ;
		if (w.shared)
			k[i].flags |= PHYSMEM_WIN_SHARED;
		if (w.pci) {
			k[i].source = PHYSMEM_SRC_PCI;
			k[i].src.pci.bus = 0;
			k[i].src.pci.devfn = 4 << 3;
		}
	}
}

int ioctl(int fd, unsigned long req, ...)
{
	struct physmem_window_array *arr;
	uint32_t cap;
	void *arg;
	va_list ap;
	int r;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!prog_fd_is_physmem(fd))
		return REAL(ioctl)(fd, req, arg);
	switch (req) {
	case PHYSMEM_IOC_DMA_ALLOC:
		return dma_alloc(fd, arg);
	case PHYSMEM_IOC_DMA_FREE:
		return dma_free(fd, arg);
	case PHYSMEM_IOC_IRQ_OPEN:
		return irq_open(arg);
	case PHYSMEM_IOC_LIST:
		arr = arg;
		cap = arr->count;
		r = REAL(ioctl)(fd, req, arg);
		if (!r)
			patch_list(arr, arr->count < cap ? arr->count : cap);
		return r;
	}
	return REAL(ioctl)(fd, req, arg);
}
