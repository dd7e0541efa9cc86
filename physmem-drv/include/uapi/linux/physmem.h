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
#define PHYSMEM_VERSION_MINOR	0

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
#define PHYSMEM_WIN_USER_FLAGS	(PHYSMEM_WIN_RW | PHYSMEM_WIN_WC | \
				 PHYSMEM_WIN_SHARED | PHYSMEM_WIN_PAGES)

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
	__u64 __reserved[4];	/* must be zero */
};

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

#endif /* _UAPI_LINUX_PHYSMEM_H */
