// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Interrupts: the device behind a window whose rule grants `irq` raises
 * them to a descriptor of its own (physmem(4), PHYSMEM_IOC_IRQ_OPEN). A
 * read of it gives the device's interrupt count once it differs from the
 * last one read; an INTx line is masked in the kernel when it fires and
 * unmasked by a write of 1, after the device was acknowledged.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/physmem.h>
#include "internal.h"

_Static_assert((int)PHYS_IRQ_AUTO == (int)PHYSMEM_IRQ_AUTO &&
	       (int)PHYS_IRQ_INTX == (int)PHYSMEM_IRQ_INTX &&
	       (int)PHYS_IRQ_MSI == (int)PHYSMEM_IRQ_MSI, "the modes are the driver's");

struct phys_irq {
	struct phys_ctx *ctx;
	int fd;				/* the driver's interrupt descriptor, non-blocking */
	enum phys_irq_mode mode;	/* INTX or MSI */
	char window[PHYSMEM_NAME_MAX];
};

static const char *mode_name(enum phys_irq_mode mode)
{
	switch (mode) {
	case PHYS_IRQ_INTX: return "INTx";
	case PHYS_IRQ_MSI: return "MSI";
	default: return "auto";
	}
}

/* Why IRQ_OPEN of WINDOW in MODE failed with ERR. */
static int open_refused(struct phys_ctx *ctx, const char *window, enum phys_irq_mode mode,
			int err)
{
	struct phys_window_info w;
	int r;

	phys_grant_window(ctx, window, &w);
	r = phys_grant_refused(ctx, window, "irq", err, &w);
	if (r)
		return r;
	switch (err) {
	case ENXIO:	/* auto takes MSI if the device has it, else INTx */
		if (mode == PHYS_IRQ_MSI)
			return phys_err(ctx, -ENXIO, "window %s: its device has no MSI (ask for "
					"intx or auto)", window);
		return phys_err(ctx, -ENXIO, "window %s: its device has no %sINTx (no interrupt "
				"pin, or one that cannot be masked%s)", window,
				mode == PHYS_IRQ_AUTO ? "MSI and no " : "",
				mode == PHYS_IRQ_AUTO ? "" : "; ask for msi or auto");
	case EPERM:
		if (w.irq)
			break;
		return phys_err(ctx, -EPERM, "window %s: its policy rule grants no irq (add 'irq' "
				"to the rule, physmem.conf(5))", window);
	case EBUSY:	/* auto joins the mode open */
		return phys_err(ctx, -EBUSY, "window %s: its device's interrupt is open as %s on "
				"another descriptor, and a device's descriptors share one mode "
				"(ask for %s or auto, or close that one)", window,
				mode_name(mode == PHYS_IRQ_MSI ? PHYS_IRQ_INTX : PHYS_IRQ_MSI),
				mode == PHYS_IRQ_MSI ? "intx" : "msi");
	}
	return phys_err(ctx, -err, "window %s: the driver refused to open its device's "
			"interrupt (%s): %s", window, mode_name(mode), strerror(err));
}

PHYS_EXPORT struct phys_irq *phys_irq_open(struct phys_ctx *ctx, const char *window,
					   enum phys_irq_mode mode)
{
	struct physmem_irq_open req;
	struct phys_irq *irq;
	int fd, irq_fd, r;

	if (!ctx) {
		errno = EINVAL;
		return NULL;
	}
	PHYS_API(ctx);
	if (mode != PHYS_IRQ_AUTO && mode != PHYS_IRQ_INTX && mode != PHYS_IRQ_MSI) {
		errno = -phys_err(ctx, -EINVAL, "interrupt mode %d: use PHYS_IRQ_AUTO, "
				  "PHYS_IRQ_INTX or PHYS_IRQ_MSI", (int)mode);
		return NULL;
	}
	r = phys_grant_open(ctx, window, "interrupts", &fd);
	if (r) {
		errno = -r;
		return NULL;
	}
	memset(&req, 0, sizeof(req));
	memcpy(req.name, window, strlen(window));	/* checked: it fits */
	req.mode = (uint32_t)mode;
	req.flags = PHYSMEM_IRQ_NONBLOCK;	/* phys_irq_wait() polls */
	do
		irq_fd = ioctl(fd, PHYSMEM_IOC_IRQ_OPEN, &req);
	while (irq_fd < 0 && errno == EINTR);
	if (irq_fd < 0) {
		r = open_refused(ctx, window, mode, errno);
		close(fd);
		errno = -r;
		return NULL;
	}
	close(fd);
	irq = calloc(1, sizeof(*irq));
	if (!irq) {
		close(irq_fd);
		errno = -phys_err(ctx, -ENOMEM, "out of memory");
		return NULL;
	}
	irq->ctx = ctx;
	irq->fd = irq_fd;
	irq->mode = req.mode == PHYSMEM_IRQ_INTX ? PHYS_IRQ_INTX : PHYS_IRQ_MSI;
	snprintf(irq->window, sizeof(irq->window), "%s", window);
	phys_log(ctx, LOG_DEBUG, "interrupt of window %s opened: %s (asked for %s)", window,
		 mode_name(irq->mode), mode_name(mode));
	return irq;
}

PHYS_EXPORT void phys_irq_close(struct phys_irq *irq)
{
	int err = errno;

	if (!irq)
		return;
	close(irq->fd);
	free(irq);
	errno = err;
}

PHYS_EXPORT enum phys_irq_mode phys_irq_mode(const struct phys_irq *irq)
{
	return irq ? irq->mode : PHYS_IRQ_AUTO;
}

PHYS_EXPORT int phys_irq_fd(const struct phys_irq *irq)
{
	return irq ? irq->fd : -EINVAL;
}

static int revoked(struct phys_irq *irq)
{
	return phys_err(irq->ctx, -ENODEV, "window %s: the interrupt was revoked: its device was "
			"given back to its own driver or removed", irq->window);
}

/* The count if it changed since the last read: 0, -EAGAIN if not, or explained. */
static int read_count(struct phys_irq *irq, uint32_t *count)
{
	uint32_t c;
	ssize_t n;

	do
		n = read(irq->fd, &c, sizeof(c));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(c)) {
		if (count)
			*count = c;
		return 0;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return -EAGAIN;
	if (n < 0 && errno == ENODEV)
		return revoked(irq);
	if (n < 0)
		return phys_err(irq->ctx, -errno, "window %s: reading the interrupt count failed: %s",
				irq->window, strerror(errno));
	return phys_err(irq->ctx, -EIO, "window %s: the interrupt descriptor gave %zd bytes, "
			"not a 4-byte count", irq->window, n);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

PHYS_EXPORT int phys_irq_wait(struct phys_irq *irq, int timeout_ms, uint32_t *count)
{
	const uint32_t unmask = 1;
	int64_t deadline;
	ssize_t n;
	int r;

	if (!irq)
		return -EINVAL;
	PHYS_API(irq->ctx);
	if (timeout_ms < -1)
		return phys_err(irq->ctx, -EINVAL, "timeout %d ms: use -1 (for ever), 0 (do not "
				"wait) or more", timeout_ms);
	/* Interrupts that came while nobody waited: the line stays masked. */
	r = read_count(irq, count);
	if (r != -EAGAIN)
		return r;
	if (irq->mode == PHYS_IRQ_INTX) {
		n = write(irq->fd, &unmask, sizeof(unmask));
		if (n < 0 && errno == ENODEV)
			return revoked(irq);
		if (n != (ssize_t)sizeof(unmask))
			return phys_err(irq->ctx, n < 0 ? -errno : -EIO,
					"window %s: unmasking the INTx interrupt failed: %s",
					irq->window, n < 0 ? strerror(errno) : "short write");
	}
	deadline = now_ms() + timeout_ms;
	for (;;) {
		struct pollfd pfd = { .fd = irq->fd, .events = POLLIN };
		int64_t left = timeout_ms < 0 ? -1 : deadline - now_ms();

		n = poll(&pfd, 1, left < 0 ? (timeout_ms < 0 ? -1 : 0) : (int)left);
		if (n < 0 && errno == EINTR)
			return phys_err(irq->ctx, -EINTR, "window %s: the wait for an interrupt was "
					"interrupted by a signal", irq->window);
		if (n < 0)
			return phys_err(irq->ctx, -errno, "window %s: poll on the interrupt "
					"descriptor failed: %s", irq->window, strerror(errno));
		if (n > 0 && (pfd.revents & POLLNVAL))
			return phys_err(irq->ctx, -EBADF, "window %s: the interrupt descriptor %d "
					"was closed behind the library's back", irq->window, irq->fd);
		if (n > 0 && (pfd.revents & (POLLERR | POLLHUP)))
			return revoked(irq);
		if (n > 0) {
			r = read_count(irq, count);
			if (r != -EAGAIN)
				return r;
		}
		if (timeout_ms >= 0 && now_ms() >= deadline)
			break;
	}
	if (!timeout_ms)
		return phys_err(irq->ctx, -ETIMEDOUT, "window %s: no interrupt pending",
				irq->window);
	return phys_err(irq->ctx, -ETIMEDOUT, "window %s: no interrupt within %d ms", irq->window,
			timeout_ms);
}
