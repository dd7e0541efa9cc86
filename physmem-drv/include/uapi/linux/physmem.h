/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * physmem: user-space interface of /dev/physmem.
 *
 * /dev/physmem behaves like /dev/mem (file offset = physical address) but
 * serves only whitelisted windows. Windows are managed with the ioctls below.
 * This header is shared, unchanged, by the kernel module and by libphys.
 */
#ifndef _UAPI_LINUX_PHYSMEM_H
#define _UAPI_LINUX_PHYSMEM_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define PHYSMEM_DEVICE_NAME	"physmem"
#define PHYSMEM_DEVICE_PATH	"/dev/physmem"

/* Interface version reported by PHYSMEM_IOC_INFO. */
#define PHYSMEM_VERSION_MAJOR	2
#define PHYSMEM_VERSION_MINOR	1	/* 2.1: DMA buffers and interrupts */

/*
 * Window names: an ASCII letter, then ASCII letters, digits, '_' or '-';
 * at most 31 characters. Names and labels are NUL-terminated and
 * NUL-padded: every byte after the terminating NUL must be zero.
 */
#define PHYSMEM_NAME_MAX	32	/* including the terminating NUL */
#define PHYSMEM_LABEL_MAX	64	/* iomem label, including the NUL */

/* The most windows the driver holds (ADD: ENOSPC, REPLACE: E2BIG beyond). */
#define PHYSMEM_MAX_WINDOWS	256

/* Where a window's range comes from. */
enum physmem_source {
	PHYSMEM_SRC_RANGE = 0,	/* explicit physical range: base, size */
	PHYSMEM_SRC_PCI   = 1,	/* a memory BAR of a PCI device */
	PHYSMEM_SRC_IOMEM = 2,	/* a range the caller found in /proc/iomem */
};

/* Window flags set by the caller of ADD/REPLACE. */
#define PHYSMEM_WIN_RW		(1U << 0)	/* writable; default read-only */
#define PHYSMEM_WIN_WC		(1U << 1)	/* write-combining; prefetchable BARs only */
#define PHYSMEM_WIN_SHARED	(1U << 2)	/* do not claim: coexist with a driver */
/*
 * The window is the whole pages its range touches: the range is rounded
 * out to page boundaries before it is checked, claimed and reported, so
 * it can be mmapped. Without it, a window that does not fill its pages is
 * served by pread/pwrite only: a mapping never exposes a byte outside the
 * window it was granted through.
 */
#define PHYSMEM_WIN_PAGES	(1U << 3)
/*
 * The device behind a PCI window may raise interrupts to user space
 * (PHYSMEM_IOC_IRQ_OPEN). Like a dma grant (dma_size below) it makes
 * physmem the device's driver: see "Owning the device" below.
 */
#define PHYSMEM_WIN_IRQ		(1U << 4)
#define PHYSMEM_WIN_USER_FLAGS	(PHYSMEM_WIN_RW | PHYSMEM_WIN_WC | \
				 PHYSMEM_WIN_SHARED | PHYSMEM_WIN_PAGES | \
				 PHYSMEM_WIN_IRQ)

/* Window state reported by LIST (ignored on input). */
#define PHYSMEM_WIN_CLAIMED	(1U << 16)	/* the driver holds the range */
#define PHYSMEM_WIN_MMAP	(1U << 17)	/* fills its pages: may be mmapped */
#define PHYSMEM_WIN_GONE	(1U << 18)	/* the device behind it was removed */

/* Every __pad and __reserved field, and every unused byte of src, is 0. */
struct physmem_pci_bar {
	__u32 domain;
	__u8  bus;
	__u8  devfn;		/* PCI_DEVFN(slot, func) */
	__u8  bar;		/* 0..5 */
	__u8  __pad;
};

/*
 * The driver does not walk the iomem tree (its lock is not exported): the
 * caller finds the region in /proc/iomem (as root: others see zeros) and
 * passes the range in base/size. The label and index are kept for display.
 */
struct physmem_iomem_region {
	char  label[PHYSMEM_LABEL_MAX];	/* exact label in /proc/iomem */
	__u32 index;			/* the N-th region with that label */
	__u32 __pad;
};

/*
 * One window. On ADD/REPLACE the caller fills name, source, flags and:
 *   RANGE, IOMEM: base, size (size != 0); offset 0;
 *   PCI: offset and size inside the BAR (size 0 = to its end); base is
 *   ignored.
 * On return (and in LIST) base/size are the resolved physical range (a
 * PAGES window's whole pages): build requests from definitions, not from
 * listed windows.
 *
 * Grants to the device behind a PCI window (not RANGE or IOMEM, not
 * SHARED): dma_size is the most DMA buffer memory, in bytes, that user
 * space may hold for the device at once (0: no DMA buffers); dma_bits is
 * the width of the addresses the device can put on the bus, from
 * PHYSMEM_DMA_BITS_MIN to 64 (0: 64), and only with dma_size. Together
 * with PHYSMEM_WIN_IRQ, at most one window per device may grant.
 * dma_used is output only (LIST): the buffer bytes held now, in whole
 * pages.
 */
struct physmem_window {
	char  name[PHYSMEM_NAME_MAX];
	__u32 source;		/* enum physmem_source */
	__u32 flags;		/* PHYSMEM_WIN_* */
	__u64 base;
	__u64 size;
	__u64 offset;
	union {
		struct physmem_pci_bar      pci;
		struct physmem_iomem_region iomem;
		__u8 __raw[72];
	} src;
	__u64 dma_size;		/* dma grant in bytes; 0: none */
	__u8  dma_bits;		/* device address width; 0: 64 */
	__u8  __pad[7];
	__u64 dma_used;		/* LIST: buffer bytes held (ignored on input) */
	__u64 __reserved[1];	/* must be zero */
};

#define PHYSMEM_DMA_BITS_MIN	24

#define PHYSMEM_INFO_SEALED	(1U << 0)

struct physmem_info {
	__u16 version_major;
	__u16 version_minor;
	__u32 flags;		/* PHYSMEM_INFO_* */
	__u32 nr_windows;
	__u32 phys_addr_bits;	/* CPU physical address width */
	__u64 __reserved[4];
};

/*
 * LIST: count is the capacity of the array at windows on input, the number
 * of windows on output (may exceed the capacity: call again with more).
 * REPLACE: the complete new window set, applied all or nothing. Windows
 * whose name and definition are unchanged keep their live mappings. When
 * the driver refuses one window, it writes 1 + that window's index to
 * failed, so the caller can say which. Pass 0: a refusal that is not one
 * window's (a sealed table, too many windows) leaves it as it is.
 */
struct physmem_window_array {
	__u32 count;
	__u32 failed;		/* REPLACE output, see above; 0 on input */
	__u64 windows;		/* user pointer to struct physmem_window[] */
};

struct physmem_name {
	char name[PHYSMEM_NAME_MAX];
};

/*
 * Changing the table (ADD, REMOVE, SEAL, REPLACE) needs CAP_SYS_ADMIN and
 * CAP_SYS_RAWIO in the caller, a descriptor opened for writing, and a
 * kernel whose lockdown allows /dev/mem, each checked on every call.
 * 0xBE: free in Documentation/userspace-api/ioctl/ioctl-number.rst.
 */
#define PHYSMEM_IOC_MAGIC	0xBE

#define PHYSMEM_IOC_INFO	_IOR(PHYSMEM_IOC_MAGIC, 0x00, struct physmem_info)
#define PHYSMEM_IOC_LIST	_IOWR(PHYSMEM_IOC_MAGIC, 0x01, struct physmem_window_array)
#define PHYSMEM_IOC_ADD		_IOWR(PHYSMEM_IOC_MAGIC, 0x02, struct physmem_window)
#define PHYSMEM_IOC_REMOVE	_IOW(PHYSMEM_IOC_MAGIC, 0x03, struct physmem_name)
#define PHYSMEM_IOC_SEAL	_IO(PHYSMEM_IOC_MAGIC, 0x04)
#define PHYSMEM_IOC_REPLACE	_IOWR(PHYSMEM_IOC_MAGIC, 0x05, struct physmem_window_array)

/*
 * Owning the device. A window that grants dma or irq makes physmem the
 * PCI driver of its device, bound the kernel's way (driver_override, as
 * vfio-pci and uio_pci_generic are). ADD and REPLACE refuse such a window
 * with EBUSY while another driver drives the device (the kernel log names
 * it); unbind it first. When no window grants any more (REMOVE, REPLACE,
 * module unload, or a refused ADD/REPLACE that bound it), physmem gives
 * the device back: it unbinds and clears driver_override; writing the
 * device's address to /sys/bus/pci/drivers_probe binds its own driver.
 * Bridges cannot be granted (EINVAL).
 * Buffers and interrupts of a device that is given back or removed are
 * revoked: mappings fault (SIGBUS), reads and writes fail with ENODEV.
 *
 * DMA buffers. DMA_ALLOC, on a descriptor opened for reading and
 * writing, allocates a coherent buffer for the device behind the named
 * window (name; size in bytes, rounded up to whole pages; flags 0) and
 * returns its bus address (the address to program into the device) and
 * offset: the buffer is reached through this same descriptor at file
 * offsets [offset, offset + size), with mmap(MAP_SHARED) and pread/pwrite;
 * offsets lie above every physical address and are never reused. The
 * buffer belongs to the open file: no other descriptor reaches it. It is
 * freed when the file is closed or DMA_FREE is called (with offset), and
 * the last mapping of it is gone. Before the memory is freed, bus
 * mastering of the device is switched off (and, when the device's last
 * buffer goes and nobody holds its interrupt, the function is reset
 * where the device allows it); allocating a buffer switches it on.
 * Behind an IOMMU that translates the device's DMA, the freed memory is
 * out of the device's reach once freed, and bus mastering comes back at
 * once if the device has other buffers or an MSI open; without one it
 * stays off (and MSI with it) until the next buffer. Errors: EDQUOT: the window's
 * dma_size would be exceeded; ENOSPC: the file holds
 * PHYSMEM_DMA_MAX_BUFFERS buffers; EPERM: the window grants no dma;
 * ENODEV: the device was given back or removed; ENOMEM: no contiguous
 * memory the device can address.
 *
 * Interrupts. IRQ_OPEN, on a descriptor opened for writing and a window
 * that grants irq, returns a new descriptor (O_CLOEXEC, plus O_NONBLOCK
 * if asked in flags) for the device's interrupt: MSI when the device has
 * it and the window also grants dma (an MSI is a DMA write: it needs bus
 * mastering), else INTx (PHYSMEM_IRQ_AUTO), or the one asked for (MSI
 * without a dma grant: EPERM; a mode the device lacks: ENXIO). read() of 4 bytes blocks until
 * the device's interrupt count differs from the count this descriptor
 * last read (or had when opened), then returns the count (a __u32 that
 * wraps): interrupts that arrive while nobody waits are counted, not
 * lost. poll() reports EPOLLIN then. INTx is masked in the kernel when it
 * fires (the line may be shared; the device keeps asserting it until it
 * is acknowledged): acknowledge it at the device, then write() a __u32 1
 * to unmask (0 masks). With MSI, write() is accepted and does nothing.
 * Every descriptor of a device shares one mode: EBUSY for the other one
 * while any is open. After revocation read() fails with ENODEV and poll()
 * reports EPOLLERR.
 */
#define PHYSMEM_DMA_MAX_BUFFERS	256	/* per open file */

struct physmem_dma_alloc {
	char  name[PHYSMEM_NAME_MAX];	/* in: the window */
	__u64 size;			/* in: bytes; out: rounded to pages */
	__u32 flags;			/* in: 0 */
	__u32 __pad;
	__u64 bus_addr;			/* out: address for the device */
	__u64 offset;			/* out: file offset of the buffer */
	__u64 __reserved[2];		/* must be zero */
};

struct physmem_dma_free {
	__u64 offset;			/* as returned by DMA_ALLOC */
};

enum physmem_irq_mode {
	PHYSMEM_IRQ_AUTO = 0,	/* MSI if the device has it, else INTx */
	PHYSMEM_IRQ_INTX = 1,
	PHYSMEM_IRQ_MSI  = 2,
};

#define PHYSMEM_IRQ_NONBLOCK	(1U << 0)

struct physmem_irq_open {
	char  name[PHYSMEM_NAME_MAX];	/* in: the window */
	__u32 mode;			/* in: enum physmem_irq_mode; out: the mode used */
	__u32 flags;			/* in: PHYSMEM_IRQ_NONBLOCK */
	__u64 __reserved[2];		/* must be zero */
};

#define PHYSMEM_IOC_DMA_ALLOC	_IOWR(PHYSMEM_IOC_MAGIC, 0x10, struct physmem_dma_alloc)
#define PHYSMEM_IOC_DMA_FREE	_IOW(PHYSMEM_IOC_MAGIC, 0x11, struct physmem_dma_free)
/* Returns the new descriptor. */
#define PHYSMEM_IOC_IRQ_OPEN	_IOWR(PHYSMEM_IOC_MAGIC, 0x12, struct physmem_irq_open)

#endif /* _UAPI_LINUX_PHYSMEM_H */
