/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libphys: width-exact access to device registers and physical memory.
 *
 * Conventions (as in libkmod/libgpiod):
 *  - functions returning int return 0 on success or a negative errno;
 *  - constructors return NULL and set errno;
 *  - after a failure, phys_ctx_errmsg() explains it in words (which window,
 *    which rule, which kernel setting); the library never prints or exits.
 *  - every handle is opaque.
 */
#ifndef LIBPHYS_H
#define LIBPHYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct phys_ctx;	/* library context: backend choice, policy, last error */
struct phys_map;	/* a mapped target */

/* ---- context ---------------------------------------------------------- */

struct phys_ctx *phys_ctx_new(void);
void phys_ctx_free(struct phys_ctx *ctx);

/* Explanation of the last failure in this context ("" if none). */
const char *phys_ctx_errmsg(const struct phys_ctx *ctx);

/* Backend: "auto" (default), "physmem", "devmem", "sysfs" or "file". */
int phys_ctx_set_backend(struct phys_ctx *ctx, const char *name);
const char *phys_ctx_get_backend(const struct phys_ctx *ctx);

/* Root for /sys, /proc and /dev look-ups (tests); NULL or "/" = real one. */
int phys_ctx_set_sysroot(struct phys_ctx *ctx, const char *dir);

/* Policy applied to backends other than the driver (NULL-terminated list
 * of files; NULL = /etc/physmem/physmem.conf and physmem.d/ *.conf). */
int phys_ctx_set_policy_files(struct phys_ctx *ctx, const char *const *files);

/* Log callback for debug messages; priority as in syslog(3). */
typedef void (*phys_log_fn)(void *data, int priority, const char *msg);
void phys_ctx_set_log_fn(struct phys_ctx *ctx, phys_log_fn fn, void *data);

/* ---- targets and maps ------------------------------------------------- */

/*
 * A target names memory:
 *   0xfea00000                 physical address
 *   edu, edu+0x20              driver window by name, with offset
 *   pci:1234:11e8[#N]/bar0     the N-th device with that ID, BAR 0
 *   pci:0000:00:04.0/bar0      device at that address, BAR 0
 *   iomem:"HPET 0"[#N]         region of /proc/iomem by label
 *   file:PATH                  regular file as simulated physical memory
 */
struct phys_target_info {
	uint64_t phys;		/* physical address the target starts at */
	uint64_t size;		/* bytes available from phys (0 = unknown) */
	char window[32];	/* driver window holding it, or "" */
	char backend[16];	/* backend that would serve it */
};
int phys_target_resolve(struct phys_ctx *ctx, const char *target,
			struct phys_target_info *info);

#define PHYS_MAP_RDONLY		(1U << 0)	/* map read-only */
#define PHYS_MAP_BIG_ENDIAN	(1U << 1)	/* accessors byte-swap (BE device) */
#define PHYS_MAP_SPLIT64	(1U << 2)	/* 64-bit = two 32-bit, low then high */
#define PHYS_MAP_WC		(1U << 3)	/* write-combining: sysfs resourceN_wc
						 * (physmem: the window decides) */

/*
 * Map LENGTH bytes of TARGET (0 = the whole window/BAR/region/file from the
 * target's start). Offsets used with the accessors are relative to the start
 * of the target.
 */
struct phys_map *phys_map_open(struct phys_ctx *ctx, const char *target,
			       uint64_t length, unsigned int flags);
void phys_map_close(struct phys_map *map);

uint64_t phys_map_phys(const struct phys_map *map);	/* physical start */
uint64_t phys_map_size(const struct phys_map *map);
const char *phys_map_name(const struct phys_map *map);	/* target text */
unsigned int phys_map_flags(const struct phys_map *map);
struct phys_ctx *phys_map_ctx(const struct phys_map *map);

/* The mapping itself, for callers that must hand it to other code (or
 * benchmark against it). Accesses through it get none of the checks and
 * no fault catching: prefer the accessors. */
volatile void *phys_map_ptr(const struct phys_map *map);

/* ---- width-exact accessors ------------------------------------------- */
/*
 * Exactly one access of the given width (never memcpy). Errors: -ERANGE out
 * of bounds (including offset + width overflow), -EINVAL misaligned, -EACCES
 * write to a read-only map, -EFAULT a SIGBUS/SIGSEGV during the access (the
 * process goes on; the error names the address).
 */
int phys_read8(struct phys_map *map, uint64_t off, uint8_t *val);
int phys_read16(struct phys_map *map, uint64_t off, uint16_t *val);
int phys_read32(struct phys_map *map, uint64_t off, uint32_t *val);
int phys_read64(struct phys_map *map, uint64_t off, uint64_t *val);
int phys_write8(struct phys_map *map, uint64_t off, uint8_t val);
int phys_write16(struct phys_map *map, uint64_t off, uint16_t val);
int phys_write32(struct phys_map *map, uint64_t off, uint32_t val);
int phys_write64(struct phys_map *map, uint64_t off, uint64_t val);

/* Width in bytes (1, 2, 4, 8) chosen at run time. */
int phys_read(struct phys_map *map, uint64_t off, unsigned int width, uint64_t *val);
int phys_write(struct phys_map *map, uint64_t off, unsigned int width, uint64_t val);

/* ---- bulk and higher-level operations -------------------------------- */

/* LEN bytes with accesses of WIDTH (1/2/4/8); LEN a multiple of WIDTH. */
int phys_read_buf(struct phys_map *map, uint64_t off, void *buf, size_t len,
		  unsigned int width);
int phys_write_buf(struct phys_map *map, uint64_t off, const void *buf,
		   size_t len, unsigned int width);
int phys_fill(struct phys_map *map, uint64_t off, size_t len, uint64_t value,
	      unsigned int width);
int phys_copy(struct phys_map *dst, uint64_t dst_off, struct phys_map *src,
	      uint64_t src_off, size_t len, unsigned int width);
/* 0 if equal; 1 if different, with *diff_off the first differing offset
 * (relative to A); negative errno on error. */
int phys_compare(struct phys_map *a, uint64_t a_off, struct phys_map *b,
		 uint64_t b_off, size_t len, unsigned int width,
		 uint64_t *diff_off);

/* Read-modify-write; OLD and NEW_VAL (may be NULL) receive the values. */
int phys_set_bits(struct phys_map *map, uint64_t off, unsigned int width,
		  uint64_t bits, uint64_t *old, uint64_t *new_val);
int phys_clear_bits(struct phys_map *map, uint64_t off, unsigned int width,
		    uint64_t bits, uint64_t *old, uint64_t *new_val);
int phys_update(struct phys_map *map, uint64_t off, unsigned int width,
		uint64_t mask, uint64_t value, uint64_t *old, uint64_t *new_val);

/* Poll until (value & mask) == want; -ETIMEDOUT after timeout_us; *last
 * gets the last value seen either way. */
int phys_poll(struct phys_map *map, uint64_t off, unsigned int width,
	      uint64_t mask, uint64_t want, uint64_t timeout_us,
	      uint64_t interval_us, uint64_t *last);

/* ---- enumeration ----------------------------------------------------- */

struct phys_pci_bar {
	uint64_t addr;
	uint64_t size;
	bool is_io, is_64bit, prefetchable, assigned;
};

struct phys_pci_dev {
	uint32_t domain;
	uint8_t bus, dev, func;
	uint16_t vendor_id, device_id, class_id;	/* class: base<<8 | sub */
	uint16_t subsys_vendor_id, subsys_id;
	char vendor_name[64], device_name[128], class_name[64];
	char driver[32];		/* bound driver or "" */
	bool mem_decode;		/* memory decoding enabled */
	struct phys_pci_bar bars[6];
};

/* Calls FN for each PCI device in address order; a non-zero return stops
 * the walk and is returned. FILTER: NULL, "VVVV:DDDD" or an address. */
typedef int (*phys_pci_fn)(const struct phys_pci_dev *dev, void *data);
int phys_pci_foreach(struct phys_ctx *ctx, const char *filter,
		     phys_pci_fn fn, void *data);

struct phys_iomem_region {
	uint64_t start, end;	/* inclusive */
	unsigned int depth;	/* nesting in /proc/iomem */
	const char *label;
};
typedef int (*phys_iomem_fn)(const struct phys_iomem_region *r, void *data);
int phys_iomem_foreach(struct phys_ctx *ctx, phys_iomem_fn fn, void *data);

struct phys_window_info {
	char name[32];
	uint64_t base, size;
	bool rw, wc, shared, claimed, mmapable, gone;
	char source[96];	/* "pci 0000:00:04.0 bar 0", "iomem \"HPET 0\"", "range" */
};
typedef int (*phys_window_fn)(const struct phys_window_info *w, void *data);
int phys_window_foreach(struct phys_ctx *ctx, phys_window_fn fn, void *data);

/* ---- diagnostics ----------------------------------------------------- */

struct phys_system_info {
	bool driver_loaded, driver_sealed;
	char lockdown[24];		/* "none", "integrity", "confidentiality", "" unknown */
	int strict_devmem;		/* 1 yes, 0 no, -1 unknown */
	int io_strict_devmem;
	bool cap_sys_rawio, cap_sys_admin;
};
int phys_system_info(struct phys_ctx *ctx, struct phys_system_info *info);

/* True if VAL (of WIDTH bytes) is all ones read from a PCI target: the
 * device is likely gated, in reset or absent. */
bool phys_value_suspect(const struct phys_map *map, unsigned int width, uint64_t val);

const char *phys_version(void);

#ifdef __cplusplus
}
#endif

#endif /* LIBPHYS_H */
