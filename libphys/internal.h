/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libphys private declarations: shared by the library's source files only. */
#ifndef LIBPHYS_INTERNAL_H
#define LIBPHYS_INTERNAL_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

#include "libphys.h"

#define PHYS_EXPORT __attribute__((visibility("default")))
#define PHYS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define PHYS_UNLIKELY(x) __builtin_expect(!!(x), 0)

#define PHYS_ERRMSG_MAX 512

struct phys_ctx {
	char errmsg[PHYS_ERRMSG_MAX];
	const struct phys_backend *backend;	/* NULL: auto */
	int log_priority;		/* syslog priority: less urgent ones are not logged */
	bool bad_log_env;		/* LIBPHYS_LOG was junk: say so once a log fn is set */
	char sysroot[PATH_MAX];		/* "" = the real root */
	char **policy_files;		/* NULL = defaults */
	phys_log_fn log_fn;
	void *log_data;
	unsigned int api_depth;		/* inside a PHYS_API() function */
	bool err_pending;		/* errmsg set there, not logged yet */
};

/* What a target string names, before any backend is involved. */
enum phys_target_kind {
	PHYS_T_ADDR,		/* a physical address */
	PHYS_T_WINDOW,		/* a driver window by name */
	PHYS_T_PCI,		/* a PCI BAR */
	PHYS_T_IOMEM,		/* a /proc/iomem region by label */
	PHYS_T_FILE,		/* a regular file */
};

struct phys_target {
	enum phys_target_kind kind;
	uint64_t offset;		/* "+OFF" after the name */
	bool has_offset;
	/* ADDR */
	uint64_t addr;
	/* WINDOW */
	char window[32];
	/* PCI: by id (vendor/device/index) or by address */
	bool pci_by_id;
	uint16_t vendor, device;
	unsigned int index;
	bool index_given;		/* IOMEM: "#N" was written */
	uint32_t domain;
	uint8_t bus, dev, func;
	unsigned int bar;
	/* IOMEM */
	char label[64];
	/* FILE */
	char path[PATH_MAX];
	uint64_t at;			/* "@ADDR": the address byte 0 stands at */
	bool has_at;

	/* Filled in by resolution. */
	uint64_t phys;			/* start of the named thing (FILE: the
					 * offset in the file, as backends want) */
	uint64_t size;			/* its size (0 = unknown) */
	uint64_t bar_base;		/* PCI: start of the whole BAR */
	char resolved_window[32];
	bool window_mmap;		/* that window may be mmapped (PHYSMEM_WIN_MMAP) */
	bool is_pci;
};

/* Where T starts as callers see it: for file:PATH@ADDR, ADDR + the offset. */
static inline uint64_t phys_target_addr(const struct phys_target *t)
{
	return t->has_at ? t->at + t->phys : t->phys;
}

/* Whether phys_target_addr() is a physical address (file:PATH@ADDR's is). */
static inline bool phys_target_physical(const struct phys_target *t)
{
	return t->kind != PHYS_T_FILE || t->has_at;
}

struct phys_map;

/* Who enforces the policy for what a backend serves. */
enum phys_policy_by {
	PHYS_POLICY_NONE,	/* not physical memory (file:): no policy */
	PHYS_POLICY_KERNEL,	/* the driver: its windows are the policy, and a
				 * pci:/iomem: target is named by its window */
	PHYS_POLICY_USER,	/* libphys checks the policy files before mapping */
};

#define PHYS_T_MASK(kind) (1U << (kind))

/*
 * One row of the backend table (backend.c); one file per backend. Which
 * backend serves a target, whether libphys applies the policy, how a
 * failed map is explained and the help text all come from the row:
 * a new backend is one new file (listed in SRCS), its row in backends[]
 * and its extern below; nothing else names a backend.
 */
struct phys_backend {
	const char *name;
	const char *help;		/* one line, for phys_backend_help() */
	unsigned int targets;		/* PHYS_T_MASK() of the kinds it serves */
	enum phys_policy_by policy;
	/*
	 * Automatic choice: may it serve T on this system? false with *why
	 * set skips it (logged); NULL: always.
	 */
	bool (*probe)(struct phys_ctx *ctx, const struct phys_target *t, const char **why);
	/* Once T is located: the backend that really serves it (NULL: this one). */
	const struct phys_backend *(*hand_over)(struct phys_ctx *ctx, const struct phys_target *t);
	/* Map [t->phys, +len) into map->base; set map->mmap_*. A backend
	 * that cannot map leaves map->base NULL and serves read and write. */
	int (*map)(struct phys_ctx *ctx, struct phys_map *map,
		   const struct phys_target *t, uint64_t len);
	void (*unmap)(struct phys_map *map);
	/* Maps without base: one access of WIDTH at map offset OFF (checked
	 * by the caller), the value as a load from a mapping would give it;
	 * errors explained like phys_fault_err(). */
	int (*read)(struct phys_map *map, uint64_t off, unsigned int width, uint64_t *val);
	int (*write)(struct phys_map *map, uint64_t off, unsigned int width, uint64_t val);
	/* map() failed with ERR: append the likely reasons (diag.c helpers)
	 * to ctx->errmsg. NULL: none beyond the message. */
	void (*diagnose)(struct phys_ctx *ctx, const struct phys_target *t, int err);
};

extern const struct phys_backend phys_backend_physmem;
extern const struct phys_backend phys_backend_pread;
extern const struct phys_backend phys_backend_devmem;
extern const struct phys_backend phys_backend_sysfs;
extern const struct phys_backend phys_backend_file;
/* Not in the table: it serves no target, only the maps of DMA buffers
 * (dma.c), which are the same memory only as themselves. */
extern const struct phys_backend phys_backend_dma;

/* backend.c */
/* NAME: "auto" (*backend NULL) or a row's name; else -EINVAL, explained. */
int phys_backend_lookup(struct phys_ctx *ctx, const char *name,
			const struct phys_backend **backend);
/* The backend for T: ctx's choice if it can serve T, else the first row
 * whose probe accepts T; each try logged. 0 or -EINVAL (explained). */
int phys_backend_choose(struct phys_ctx *ctx, const struct phys_target *t,
			const struct phys_backend **backend);

/* backend-physmem.c: /dev/physmem exists (under the sysroot). */
bool phys_driver_present(struct phys_ctx *ctx);
/* The diagnose hook of the two driver backends. */
void phys_physmem_diagnose(struct phys_ctx *ctx, const struct phys_target *t, int err);

/*
 * Fast-path admission for one access width (index k: width 1 << k).
 * An offset OFF is good iff ror64(OFF - first, k) < count: subtracting the
 * first aligned offset and rotating moves misaligned low bits to the top,
 * so one unsigned compare checks alignment, bounds and overflow at once.
 * count is 0 where every access must take the slow path (read-only map
 * for writes, big-endian view, split64, a map without a mapping).
 */
struct phys_fast {
	uint64_t first;
	uint64_t count;
};

/* The first members are what the accessors touch on every call. */
struct phys_map {
	volatile uint8_t *base;		/* byte 0 of the target; NULL: backend->read/write */
	struct phys_fast rd[4], wr[4];
	uint64_t size;
	unsigned int flags;
	bool is_pci;
	bool physical;			/* phys is a physical address (not a plain file:) */
	uint64_t phys;			/* phys_target_addr() */
	struct phys_ctx *ctx;
	void *mmap_addr;
	size_t mmap_len;
	int fd;
	const struct phys_backend *backend;
	char *name;
	char window[32];
	const char *unmapped_why;	/* base NULL: why, for the messages */
	uint64_t file_off;		/* file: byte 0's offset in the file */
};

/* The address an access at OFF must be aligned in: the mapping's, or for
 * a map without one the physical address (where the driver splits). */
static inline uint64_t phys_map_align_addr(const struct phys_map *map, uint64_t off)
{
	return map->base ? (uintptr_t)map->base + off : map->phys + off;
}

/* ctx.c */
/*
 * Explain a failure in ctx->errmsg; returns -|ERR|. Inside a PHYS_API()
 * function the message is logged once, when that function returns (so an
 * outer explanation that replaces an inner one, and the reasons diag.c
 * appends, are logged as the caller sees them); elsewhere (the accessors)
 * at once.
 */
int phys_err(struct phys_ctx *ctx, int err, const char *fmt, ...) PHYS_PRINTF(3, 4);
void phys_log(struct phys_ctx *ctx, int prio, const char *fmt, ...) PHYS_PRINTF(3, 4);
void phys_clear_err(struct phys_ctx *ctx);

/*
 * The start of an exported function that takes a context: clears the last
 * error and logs this call's explanation, if any, once when it returns.
 */
void phys_api_enter(struct phys_ctx *ctx);
void phys_api_leave(struct phys_ctx **ctx);
#define PHYS_API(ctx)							\
	struct phys_ctx *phys_api_ctx_ __attribute__((cleanup(phys_api_leave))) = (ctx); \
	phys_api_enter(phys_api_ctx_)
/* PATH under the sysroot, into BUF; -ENAMETOOLONG if it does not fit. */
int phys_path(const struct phys_ctx *ctx, char *buf, size_t size,
	      const char *fmt, ...) PHYS_PRINTF(4, 5);

/* map.c */
int phys_mmap_fd(struct phys_ctx *ctx, struct phys_map *map, int fd, uint64_t off,
		 uint64_t len, const char *what);
void phys_munmap(struct phys_map *map);

/* target.c */
int phys_target_parse(struct phys_ctx *ctx, const char *text, struct phys_target *t);
int phys_target_lookup(struct phys_ctx *ctx, struct phys_target *t,
		       const struct phys_backend **backend);

/* access.c */
int phys_fault_init(void);
void phys_map_setup_fast(struct phys_map *map);
int phys_fault_err(struct phys_map *map, uint64_t off, unsigned int width, bool write);
/* The checks of one access (bounds, alignment, read-only), explained. */
int phys_check_access(struct phys_map *map, uint64_t off, unsigned int width, bool write);
/* One access whose range the caller checked (access.c): big-endian, split64. */
int phys_elem_read(struct phys_map *map, uint64_t off, unsigned int width, uint64_t *val);
int phys_elem_write(struct phys_map *map, uint64_t off, unsigned int width, uint64_t val);

/*
 * Look-ups come in two forms: a quiet one that returns 0 or -errno and
 * leaves ctx->errmsg alone (for code that explains a failure of its own,
 * like diag.c and policy.c), and one that also explains its failure in
 * ctx->errmsg (for the API boundary).
 */

/* windows.c */
int phys_window_find(struct phys_ctx *ctx, const char *name, struct phys_window_info *w);
int phys_window_containing(struct phys_ctx *ctx, uint64_t phys, uint64_t len,
			   struct phys_window_info *w);
/* Quiet: -ENOENT if no window holds [phys, phys + len). */
int phys_window_at(struct phys_ctx *ctx, uint64_t phys, uint64_t len,
		   struct phys_window_info *w);

int phys_driver_open(struct phys_ctx *ctx, int flags, int *fdp);
int phys_driver_fd(struct phys_ctx *ctx, int flags, int *fdp);	/* quiet */

/* pci.c */
/* Quiet: -ENODEV if no device matches (*seen: how many matched T's ID or
 * address), or the scan's -errno, which phys_pci_scan_why() explains. */
int phys_pci_lookup(struct phys_ctx *ctx, const struct phys_target *t,
		    struct phys_pci_dev *dev, unsigned int *seen);
const char *phys_pci_scan_why(struct phys_ctx *ctx, int err, char *buf, size_t size);

/* iomem.c */
struct phys_iomem_view {
	bool opened;		/* /proc/iomem could be read */
	bool hidden;		/* every address was 0: the kernel hides them */
};
/* Quiet: FN's non-zero return, or -errno if /proc/iomem cannot be read
 * (view->opened false; phys_iomem_walk_why() explains). */
int phys_iomem_walk(struct phys_ctx *ctx, phys_iomem_fn fn, void *data,
		    struct phys_iomem_view *view);
const char *phys_iomem_walk_why(struct phys_ctx *ctx, int err, char *buf, size_t size);
/*
 * The Soft Reserved ranges of the firmware's memory map
 * (/sys/firmware/memmap), as regions labelled "Soft Reserved": since 7.x
 * the kernel keeps those no driver took out of /proc/iomem, and the driver
 * refuses them all the same. Quiet: FN's non-zero return, or 0 (no map).
 */
int phys_memmap_soft_reserved_walk(struct phys_ctx *ctx, phys_iomem_fn fn, void *data);
/* Quiet: -ENOENT if nobody claimed it. */
int phys_iomem_owner(struct phys_ctx *ctx, uint64_t start, uint64_t end,
		     char *buf, size_t size);

/*
 * Info structs (libphys.h, "info structs"): the size of each at .so.2's
 * first release, below which a caller's STRUCT_SIZE is refused; it stays
 * as it is when fields are appended.
 */
#define PHYS_INFO_END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
#define PHYS_TARGET_INFO_V0	PHYS_INFO_END(struct phys_target_info, physical)
#define PHYS_SYSTEM_INFO_V0	PHYS_INFO_END(struct phys_system_info, cap_sys_admin)
#define PHYS_WINDOW_INFO_V0	PHYS_INFO_END(struct phys_window_info, source_kind)

/* Copy FULL (LEN bytes, filled by the library) to the caller's OUT, which
 * says in its struct_size how much room it has (at least MIN). */
int phys_info_out(void *out, const void *full, size_t len, size_t min);

/* source.c: the one resolution of a PCI BAR selector (T's pci fields and
 * bar) and of an iomem label, for policy rules and targets. Quiet: 0, or a
 * negative errno with the reason in ERR: -ENODEV (no such device, BAR or
 * region), -ENXIO (BAR unassigned), -EINVAL (I/O BAR, ambiguous label
 * without an index), -EACCES (addresses hidden), -ERANGE (a region the
 * tree gets wrong), or the -errno of reading the PCI devices or /proc/iomem. */
int phys_source_pci(struct phys_ctx *ctx, const struct phys_target *t,
		    struct phys_pci_dev *dev, char *err, size_t errlen);
int phys_source_iomem(struct phys_ctx *ctx, const char *label, unsigned int index,
		      bool index_given, uint64_t *base, uint64_t *size, char *err, size_t errlen);
extern const char phys_iomem_hidden_why[];

/* diag.c: the reasons for a failed map of T, appended to ctx->errmsg by
 * the backends' diagnose hooks; phys_diag_map_failure() runs the hook,
 * then explains the state of a PCI target's device. */
void phys_diag_map_failure(struct phys_ctx *ctx, const struct phys_target *t,
			   const struct phys_backend *backend, int err);
void phys_diag_lockdown(struct phys_ctx *ctx);
void phys_diag_window(struct phys_ctx *ctx, const struct phys_target *t, int err);
void phys_diag_strict_devmem(struct phys_ctx *ctx, int err);
void phys_diag_claimed(struct phys_ctx *ctx, const struct phys_target *t, int err);

/*
 * grant.c: what DMA buffers and interrupts share. phys_grant_open():
 * check WINDOW's name and the context's backend, then open the driver
 * for reading and writing into *FDP; explained, WHAT ("DMA buffers",
 * "interrupts") leading the message. phys_grant_window(): the window as
 * listed, all zero (and the reason in ctx->errmsg) if it cannot be.
 * phys_grant_refused(): the driver refused GRANT ("dma", "irq") of WINDOW
 * with ERR (positive), W from phys_grant_window() after the refusal:
 * explained for the reasons both share, else 0 (the caller says it).
 */
int phys_grant_open(struct phys_ctx *ctx, const char *window, const char *what, int *fdp);
int phys_grant_window(struct phys_ctx *ctx, const char *window, struct phys_window_info *w);
int phys_grant_refused(struct phys_ctx *ctx, const char *window, const char *grant, int err,
		       const struct phys_window_info *w);
/* Bytes in words ("64 KiB", "4097 bytes") and in the policy's ("64K",
 * "0x1001"). Both return BUF. */
const char *phys_size_str(uint64_t v, char *buf, size_t size);
const char *phys_size_policy(uint64_t v, char *buf, size_t size);

/* policy.c: the user-space policy for backends without the driver. */
int phys_policy_check(struct phys_ctx *ctx, const struct phys_target *t,
		      uint64_t off, uint64_t len, bool write);

#endif /* LIBPHYS_INTERNAL_H */
