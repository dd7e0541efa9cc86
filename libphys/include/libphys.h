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

/* NULL with errno ENOMEM on failure. Reads LIBPHYS_LOG (see below). */
struct phys_ctx *phys_ctx_new(void);
void phys_ctx_free(struct phys_ctx *ctx);

/* Explanation of the last failure in this context ("" if none; "no
 * context" for NULL). Owned by CTX: valid until the next call that takes
 * CTX or one of its maps, or phys_ctx_free(). */
const char *phys_ctx_errmsg(const struct phys_ctx *ctx);

/*
 * Backend: "auto" (default) or a name from phys_backend_name(): "physmem",
 * "pread", "sysfs", "devmem", "file". "auto" tries them in that order
 * and takes the first that serves the target on this system (the log
 * says why each other one was passed over); "pread", the driver through
 * pread/pwrite only, is used by "physmem" for windows the driver does not
 * let be mapped. set: -EINVAL for NULL or an unknown name (the message
 * lists the names). get: "auto" or the name, a static string; NULL for
 * a NULL context.
 */
int phys_ctx_set_backend(struct phys_ctx *ctx, const char *name);
const char *phys_ctx_get_backend(const struct phys_ctx *ctx);

/* The backends, in the order "auto" tries them: name and one line of
 * help of the INDEX-th (from 0); NULL past the last. Static strings. */
const char *phys_backend_name(unsigned int index);
const char *phys_backend_help(unsigned int index);

/* Root for /sys, /proc and /dev look-ups (tests); NULL or "/" = real one. */
int phys_ctx_set_sysroot(struct phys_ctx *ctx, const char *dir);

/* Policy applied to backends other than the driver (NULL-terminated list
 * of files; NULL = /etc/physmem/physmem.conf and physmem.d/ *.conf). */
int phys_ctx_set_policy_files(struct phys_ctx *ctx, const char *const *files);

/*
 * Log callback: every failed call once, as phys_ctx_errmsg() explains it
 * when the call returns, at LOG_ERR;
 * the backend choice at LOG_INFO and LOG_DEBUG, other details at
 * LOG_DEBUG (priorities as in syslog(3)). MSG is valid only during the
 * call. NULL FN: no logging (the default).
 */
typedef void (*phys_log_fn)(void *data, int priority, const char *msg);
void phys_ctx_set_log_fn(struct phys_ctx *ctx, phys_log_fn fn, void *data);

/*
 * Messages less urgent than PRIORITY (a larger number) are not logged.
 * The default is LOG_ERR, or LIBPHYS_LOG from the environment when the
 * context is created: a number 0-7 or err, info, debug (ignored in
 * set-user-ID programs; another value is reported at LOG_ERR once a log
 * function is set). set: -EINVAL for NULL or a priority outside 0-7.
 * get: the priority, or -EINVAL for NULL.
 */
int phys_ctx_set_log_priority(struct phys_ctx *ctx, int priority);
int phys_ctx_get_log_priority(const struct phys_ctx *ctx);

/* ---- info structs ----------------------------------------------------- */

/*
 * The structs the library fills (phys_target_info, phys_system_info,
 * phys_pci_dev, phys_iomem_region, phys_window_info) only ever grow at
 * their end, and their arrays keep their sizes, so a program built against
 * an older <libphys.h> keeps working with a newer library. Each starts with
 * STRUCT_SIZE, the bytes that are valid:
 *  - a struct the caller passes in (phys_target_resolve(),
 *    phys_system_info(), phys_window_format()) has STRUCT_SIZE set by the
 *    caller to the size of its struct (PHYS_INFO_INIT does it); the library
 *    fills no more than that, and sets STRUCT_SIZE to what it filled;
 *  - a struct the library hands to a callback has STRUCT_SIZE set by the
 *    library, and is valid only during the call (copy what you keep).
 * A program that uses a field added later checks PHYS_INFO_HAS first.
 */
#define PHYS_INFO_INIT(type)	{ .struct_size = sizeof(type) }
#define PHYS_INFO_HAS(type, p, field) \
	(offsetof(type, field) + sizeof(((type *)0)->field) <= (p)->struct_size)

/* ---- targets and maps ------------------------------------------------- */

/*
 * A target names memory:
 *   0xfea00000                 physical address
 *   edu, edu+0x20              driver window by name, with offset
 *   pci:1234:11e8[#N]/bar0     the N-th device with that ID, BAR 0
 *   pci:0000:00:04.0/bar0      device at that address, BAR 0
 *   iomem:"HPET 0"[#N]         region of /proc/iomem by label
 *   file:PATH                  regular file as simulated physical memory
 *   file:PATH@0x40000000       the same, its byte 0 at that physical address
 * each with an optional "+OFF" (the last '+' outside double quotes that a
 * digit follows). A file's "@ADDR" is after the last '@' outside quotes,
 * and must be a number: file:"a@b.bin" names a file with an '@' (so does
 * file:a@b.bin@0x1000, an address following it). A file at @ADDR maps as
 * physical memory there (ADDR + OFF is its start; ADDR + the file's size
 * must not pass 2^64) but stays a file: no policy applies to it, and
 * phys_copy() judges overlap by the file, not the address.
 */
struct phys_target_info {
	size_t struct_size;	/* see "info structs" */
	uint64_t phys;		/* physical address the target starts at
				 * (for a file: target, the offset in the file;
				 * at @ADDR, ADDR + that offset) */
	uint64_t size;		/* bytes available from phys (0 = unknown) */
	char window[32];	/* driver window holding it, or "" */
	char backend[16];	/* backend that would serve it */
	bool physical;		/* phys is a physical address: not a file:
				 * target, or one at @ADDR */
};
/*
 * Where TARGET is, without mapping it: 0, or -EINVAL (NULL argument,
 * STRUCT_SIZE too small, a malformed target), -ENOENT (no such window or
 * file), -ENODEV/-ENXIO (no such device, BAR or region; BAR unassigned),
 * -ERANGE (an offset past the end, a file whose @ADDR puts its end past
 * 2^64), -EACCES (/proc/iomem hides addresses),
 * each explained in phys_ctx_errmsg().
 */
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
/* Is phys_map_phys() a physical address? False for a file: target (the
 * offset in the file) unless it stands at an @ADDR, and for NULL. */
bool phys_map_physical(const struct phys_map *map);
uint64_t phys_map_size(const struct phys_map *map);
/*
 * Byte OFF of FROM as an offset in TO, when both show the same memory
 * (both the physical address space, or both one file, one inode: a file
 * standing at an @ADDR is never physical memory; a DMA buffer's map shows
 * that buffer only): 0 and *TO_OFF, which
 * may lie past TO's size. -ENOENT if they show different memory or the
 * byte lies before TO's start; -EINVAL for NULL. (LIBPHYS_5)
 */
int phys_map_offset_in(const struct phys_map *from, uint64_t off,
		       const struct phys_map *to, uint64_t *to_off);
/* The target text, a copy owned by MAP: valid until phys_map_close(). */
const char *phys_map_name(const struct phys_map *map);
unsigned int phys_map_flags(const struct phys_map *map);
struct phys_ctx *phys_map_ctx(const struct phys_map *map);

/* The mapping itself, for callers that must hand it to other code (or
 * benchmark against it). Accesses through it get none of the checks and
 * no fault catching: prefer the accessors. NULL for a map without a
 * mapping: a driver window that does not fill its pages (and whose rule
 * does not say `pages`) is reached through pread/pwrite, one call per
 * access, by every accessor and bulk operation. */
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

/* ---- register handles: checked once, accessed inline ----------------- */
/*
 * For hot loops. phys_reg32_init() checks one register of a map (bounds,
 * alignment, byte order) once; each phys_reg32_read()/phys_reg32_write()
 * is then a single load or store instruction, inline in the caller, with
 * the same fault catching as the accessors above: a SIGBUS or SIGSEGV
 * during the access returns -EFAULT (or -EACCES for a write to a read-only
 * map) and the explanation in phys_ctx_errmsg(). On x86-64 that costs
 * nothing until a fault: the instruction has an entry in an exception
 * table of the calling module, which phys_regN_init() hands to the
 * library. Elsewhere the functions call phys_readN()/phys_writeN().
 *
 * Handles serve native-endian registers: init is -EOPNOTSUPP on a
 * PHYS_MAP_BIG_ENDIAN map, and for phys_reg64 on a PHYS_MAP_SPLIT64 map
 * (use the accessors there), and on a map without a mapping
 * (phys_map_ptr() NULL), which a system call per access serves: no hot
 * loop, so use the accessors there too. A handle is valid while its map
 * is open, and the module (program or shared object) that initialised it
 * must stay loaded while it is used. The fields are private: use the
 * functions.
 * Ordering, as the kernel's readl()/writel() and their _relaxed forms on
 * x86: phys_regN_read()/_write() are compiler barriers, ordered against
 * every memory access of the caller (a descriptor stored in RAM before a
 * doorbell write reaches memory first); phys_regN_read_relaxed()/
 * _write_relaxed() are ordered only against other device accesses, like
 * a volatile pointer, and let the compiler keep the loop's state in
 * registers. Neither adds a CPU fence: x86 keeps uncached accesses in
 * order (a write-combining map needs the caller's own fence).
 */
/*
 * int phys_regN_init(struct phys_map *map, uint64_t off, struct phys_regN *reg);
 *	0, or -EINVAL (NULL map or reg; OFF misaligned), -ERANGE (OFF + N/8
 *	beyond the map, overflow included), -EOPNOTSUPP (see above), -ENOSPC
 *	(more than 64 modules of the process use handles).
 * int phys_regN_read(const struct phys_regN *reg, uintN_t *val);
 * int phys_regN_write(const struct phys_regN *reg, uintN_t val);
 * int phys_regN_read_relaxed(const struct phys_regN *reg, uintN_t *val);
 * int phys_regN_write_relaxed(const struct phys_regN *reg, uintN_t val);
 *	0, or -EFAULT (the access faulted), -EACCES (write to a read-only map).
 * N is 8, 16, 32 or 64; the definitions are in <libphys/reg.h>, which
 * this header includes: include only <libphys.h>.
 */
#include "libphys/reg.h"

/* ---- bulk and higher-level operations -------------------------------- */

/*
 * The checks an access (LEN == WIDTH) or a bulk operation of LEN bytes in
 * WIDTH-byte accesses at OFF would make, without touching memory: 0, or
 * the error it would return, explained as it would be (-ERANGE outside the
 * map, -EINVAL a bad width, length or alignment, -EACCES a write to a map
 * opened read-only). For dry runs that must refuse what the real run does.
 */
int phys_check(struct phys_map *map, uint64_t off, uint64_t len, unsigned int width,
	       bool write);

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

/* phys_poll's condition: until (value & mask) == VALUE, or != VALUE
 * (until it changes from a known state). */
#define PHYS_POLL_EQ	0
#define PHYS_POLL_NE	1
int phys_poll_until(struct phys_map *map, uint64_t off, unsigned int width,
		    uint64_t mask, uint64_t value, int cond, uint64_t timeout_us,
		    uint64_t interval_us, uint64_t *last);

/* ---- enumeration ----------------------------------------------------- */

struct phys_pci_bar {
	uint64_t addr;
	uint64_t size;
	bool is_io, is_64bit, prefetchable, assigned;
};

struct phys_pci_dev {
	size_t struct_size;	/* see "info structs" */
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
/*
 * phys_pci_foreach() with FLAGS: PHYS_PCI_NO_NAMES leaves the names
 * empty, sparing the read of all of pci.ids that looking one up costs
 * (for callers that need IDs and BARs only). (LIBPHYS_5)
 */
#define PHYS_PCI_NO_NAMES	(1U << 0)
int phys_pci_walk(struct phys_ctx *ctx, const char *filter, unsigned int flags,
		  phys_pci_fn fn, void *data);

struct phys_iomem_region {
	size_t struct_size;	/* see "info structs" */
	uint64_t start, end;	/* inclusive */
	unsigned int depth;	/* nesting in /proc/iomem */
	const char *label;	/* valid only during the callback, like R */
};
typedef int (*phys_iomem_fn)(const struct phys_iomem_region *r, void *data);
int phys_iomem_foreach(struct phys_ctx *ctx, phys_iomem_fn fn, void *data);

/*
 * A window: of the driver's table (phys_window_foreach()), or one a policy
 * rule would give (physmem-policy check fills one to print it).
 */
/* Where a window's range comes from. */
enum phys_source_kind {
	PHYS_SOURCE_RANGE,	/* an explicit range */
	PHYS_SOURCE_PCI,	/* a PCI BAR */
	PHYS_SOURCE_IOMEM,	/* a region of /proc/iomem, by label */
};

struct phys_window_info {
	size_t struct_size;	/* see "info structs" */
	char name[32];
	uint64_t base, size;	/* size 0: not resolved on this machine */
	uint64_t offset;	/* pci: where the window starts in its BAR */
	bool rw, wc, shared, pages;	/* what the rule says */
	bool loaded;		/* in the driver's table: the state below is known */
	bool claimed, mmapable, gone;	/* the driver's state of it */
	char source[96];	/* "pci 0000:00:04.0 bar 0 offset 0x100",
				 * "iomem \"HPET 0\"#0", "range" */
	enum phys_source_kind source_kind;
	/* since LIBPHYS_6: grants to the device behind a pci window */
	uint64_t dma_size;	/* most DMA buffer bytes held at once; 0: no dma */
	unsigned int dma_bits;	/* device address width (dma-mask); 64 if unset */
	bool irq;		/* interrupts may be opened */
	uint64_t dma_used;	/* loaded: buffer bytes held now */
};
typedef int (*phys_window_fn)(const struct phys_window_info *w, void *data);
int phys_window_foreach(struct phys_ctx *ctx, phys_window_fn fn, void *data);

/*
 * Open /dev/physmem (under the sysroot) with FLAGS (O_RDONLY or O_RDWR;
 * O_CLOEXEC is added) for the driver's own ioctls (physmem(4)): the file
 * descriptor, the caller's to close, or a negative errno explained in
 * phys_ctx_errmsg() (-ENOENT: the driver is not loaded; -EPERM/-EACCES:
 * CAP_SYS_RAWIO missing, or lockdown; -EINVAL: NULL context).
 */
int phys_driver_open_fd(struct phys_ctx *ctx, int flags);

/*
 * The one text form of a window, as every tool prints it: columns NAME,
 * RANGE ("-" if size is 0), ACCESS ("rw uc", "ro wc shared pages"), STATE
 * ("claimed,mmap", "unclaimed", "gone"; "-" if not loaded) and SOURCE,
 * without a newline. W NULL: the header line. Returns like snprintf(3), or
 * -EINVAL for a NULL BUF with a length, or W's STRUCT_SIZE too small.
 */
int phys_window_format(const struct phys_window_info *w, char *buf, size_t len);

/* ---- register maps ---------------------------------------------------- */
/*
 * A register map names the registers of a device or a chip: registers with
 * an address, a size, an access rule and a reset value; fields with a bit
 * range, an access rule and enumerated values. It is loaded from a
 * CMSIS-SVD file, an IP-XACT component (IEEE 1685-2009 "spirit" or 2014
 * "ipxact") or the native text format (physmem-regmap(5)), told apart by
 * content, and compiled into a compact database that is cached under
 * $XDG_CACHE_HOME/physmem/regmaps (else ~/.cache/...), keyed by the
 * source's content: the second load of a file is a read and a check.
 *
 * Registers are numbered 0..count-1 in address order; their fields 0..n-1
 * from the least significant bit; a field's enumerated values 0..n-1 in
 * the file's order. Names: registers by their dotted path
 * ("PERIPHERAL.CLUSTER.REGISTER"; array elements as the file names them,
 * "CH[3]" or "CH3"), fields as "REGISTER.FIELD".
 *
 * An absolute map (SVD; native or IP-XACT with base addresses) gives
 * physical addresses; a relative one (a block) gives offsets in the
 * target it is bound to. All strings are owned by the map.
 */
struct phys_regmap;

/* Access to a register or field (SVD's "access", IP-XACT's "access"). */
enum phys_reg_access {
	PHYS_ACCESS_RW,			/* read-write */
	PHYS_ACCESS_RO,			/* read-only */
	PHYS_ACCESS_WO,			/* write-only: never read */
	PHYS_ACCESS_W1,			/* writeOnce */
	PHYS_ACCESS_RW1,		/* read-writeOnce */
};
/* What a write does to the bits (SVD modifiedWriteValues). */
enum phys_reg_write {
	PHYS_WRITE_NORMAL,
	PHYS_WRITE_ONE_TO_CLEAR, PHYS_WRITE_ONE_TO_SET, PHYS_WRITE_ONE_TO_TOGGLE,
	PHYS_WRITE_ZERO_TO_CLEAR, PHYS_WRITE_ZERO_TO_SET, PHYS_WRITE_ZERO_TO_TOGGLE,
	PHYS_WRITE_CLEAR, PHYS_WRITE_SET, PHYS_WRITE_MODIFY,
};
/* What a read does (SVD readAction): anything but NONE is a side effect. */
enum phys_reg_read {
	PHYS_READ_NONE, PHYS_READ_CLEAR, PHYS_READ_SET, PHYS_READ_MODIFY,
	PHYS_READ_MODIFY_EXTERNAL,
};
/* The canonical names ("read-write", "oneToClear", "clear"...), as
 * CMSIS-SVD spells them: static strings, "?" for a value out of range. */
const char *phys_reg_access_name(enum phys_reg_access a);
const char *phys_reg_write_name(enum phys_reg_write w);
const char *phys_reg_read_name(enum phys_reg_read r);

struct phys_reg_info {
	size_t struct_size;	/* see "info structs" */
	const char *name;	/* dotted path */
	const char *description;	/* "" if none */
	uint64_t address;	/* absolute, or the offset in the bound target */
	unsigned int size;	/* bits: 8, 16, 32 or 64 */
	enum phys_reg_access access;
	enum phys_reg_write write;	/* for the bits no field describes */
	enum phys_reg_read read;	/* the register's own readAction */
	uint64_t reset, reset_mask;	/* reset_mask: the bits whose reset is known */
	unsigned int nfields;
	bool read_side_effect;	/* the register or one of its fields has a readAction */
};
struct phys_field_info {
	size_t struct_size;
	const char *name;
	const char *description;
	unsigned int lsb, width;
	enum phys_reg_access access;
	enum phys_reg_write write;
	enum phys_reg_read read;
	unsigned int nenums;
	/* writeConstraint: 0 none, 1 the enumerated values only, 2 a range */
	unsigned int constraint;
	uint64_t min, max;	/* the range, for constraint 2 */
};
struct phys_enum_info {
	size_t struct_size;
	const char *name;
	const char *description;
	uint64_t value;
	bool is_default;	/* SVD isDefault: names every value not listed */
};

/*
 * Load PATH (any of the formats). FLAGS: PHYS_REGMAP_NO_CACHE neither
 * reads nor writes the cache. NULL with errno set, and phys_ctx_errmsg()
 * "FILE:LINE: message" for a malformed file (EINVAL), nothing loaded.
 * The map keeps CTX for its own errors: free the map first.
 */
#define PHYS_REGMAP_NO_CACHE	(1U << 0)
struct phys_regmap *phys_regmap_load(struct phys_ctx *ctx, const char *path,
				     unsigned int flags);
void phys_regmap_free(struct phys_regmap *map);

/*
 * The installed maps: the files ending .regmap, .svd or .xml in
 * $PHYSMEM_REGMAP_PATH (directories separated by ':'), or else in
 * PREFIX/share/physmem/regmaps, /usr/share/physmem/regmaps,
 * /etc/physmem/regmaps and $XDG_DATA_HOME/physmem/regmaps (else
 * ~/.local/share/...), later directories first.
 * phys_regmap_find(): the map named NAME (its file's name without the
 * ending, or the name it gives itself). phys_regmap_for_pci(): the map
 * that declares PCI device VENDOR:DEVICE and BAR (or any BAR). NULL with
 * errno ENOENT if there is none (explained), or as phys_regmap_load(); a
 * map that does not load is skipped, and said at LOG_INFO.
 */
struct phys_regmap *phys_regmap_find(struct phys_ctx *ctx, const char *name);
struct phys_regmap *phys_regmap_for_pci(struct phys_ctx *ctx, uint16_t vendor,
					uint16_t device, int bar);

/* The map's name (native "name", SVD device name, IP-XACT component). */
const char *phys_regmap_name(const struct phys_regmap *map);
/* Its source file, as given to phys_regmap_load(). */
const char *phys_regmap_path(const struct phys_regmap *map);
bool phys_regmap_absolute(const struct phys_regmap *map);
size_t phys_regmap_count(const struct phys_regmap *map);
/* True if the map declares PCI device VENDOR:DEVICE (native "pci" lines),
 * for binding it to that device's BARs; BAR gets the BAR it declares (-1
 * for any). */
bool phys_regmap_pci_match(const struct phys_regmap *map, uint16_t vendor,
			   uint16_t device, int *bar);
/* The INDEX-th PCI device the map declares: 0, or -ERANGE past the last. */
int phys_regmap_pci(const struct phys_regmap *map, unsigned int index, uint16_t *vendor,
		    uint16_t *device, int *bar);
/* Was the map loaded from the cache (true) or imported (false)? */
bool phys_regmap_cached(const struct phys_regmap *map);

/* Info of register REG, field FIELD of it, enumerated value E of that:
 * 0, or -EINVAL (NULL, STRUCT_SIZE too small), -ERANGE (no such index). */
int phys_regmap_reg(const struct phys_regmap *map, size_t reg, struct phys_reg_info *info);
int phys_regmap_field(const struct phys_regmap *map, size_t reg, unsigned int field,
		      struct phys_field_info *info);
int phys_regmap_enum(const struct phys_regmap *map, size_t reg, unsigned int field,
		     unsigned int e, struct phys_enum_info *info);

/*
 * Look NAME up: "REG" or "REG.FIELD" (a register's name wins over a field
 * of a shorter name). Exact first, then ignoring case if that is unique.
 * 0 with *REG (and *FIELD: the field, or -1 for the whole register), or
 * -ENOENT (explained, with the nearest names when there are some),
 * -EINVAL (ambiguous ignoring case).
 */
int phys_regmap_lookup(const struct phys_regmap *map, const char *name,
		       size_t *reg, int *field);
/* The register at ADDRESS (the one starting there), or -ENOENT. */
int phys_regmap_at(const struct phys_regmap *map, uint64_t address, size_t *reg);
/* Calls FN for each register whose name matches the fnmatch(3) PATTERN
 * (NULL: all), in address order; a non-zero return stops and is returned. */
typedef int (*phys_regmap_fn)(const struct phys_regmap *map, size_t reg, void *data);
int phys_regmap_foreach(const struct phys_regmap *map, const char *pattern,
			phys_regmap_fn fn, void *data);

/* The value of field FIELD in a register value, and the name of that
 * value among the field's enums (NULL if none names it). */
uint64_t phys_regmap_field_get(const struct phys_regmap *map, size_t reg,
			       unsigned int field, uint64_t regval);
const char *phys_regmap_enum_name(const struct phys_regmap *map, size_t reg,
				  unsigned int field, uint64_t value);
/* NAME as a value of field FIELD (its enums, exact, then ignoring case if
 * that leaves one): 0, or -ENOENT explained with the names it has, -EINVAL
 * when it matches several only ignoring case (explained, naming them). */
int phys_regmap_enum_value(const struct phys_regmap *map, size_t reg,
			   unsigned int field, const char *name, uint64_t *value);

/*
 * The rules. phys_regmap_read_rule(): may register REG be read (a field
 * is read with its whole register)? 0 yes, without a side effect;
 * -EAGAIN the read has a side effect (a readAction of the register or one
 * of its fields); -EPERM never (write-only, writeOnce). Explained in the
 * context's message either way.
 */
int phys_regmap_read_rule(const struct phys_regmap *map, size_t reg);

/*
 * How to write VALUE to REG (FIELD -1) or to its field FIELD:
 *   written = ((keep ? current : 0) & keep) | set
 * where CURRENT is a read of the register, needed only when KEEP is not 0.
 * For a field: its bits are VALUE; the bits of write-side-effect
 * neighbours (oneToClear, zeroToSet...) get the value that does nothing;
 * the other bits are kept (read), or for a register that must not be
 * read, taken from the reset value; read-only fields get 0, except in a
 * read-only register, where they are kept. A field write writes its
 * neighbours too, so one beside a field written once (writeOnce,
 * read-writeOnce: it would be spent) or one that every write acts on
 * (clear, set, modify: no value leaves it be) is refused. FLAGS:
 * PHYS_REGMAP_FORCE writes a read-only register or field, lets KEEP need
 * a read with a side effect, and writes those neighbours anyway (written
 * once: as other fields; acted on: 0).
 * 0, or (explained) -EPERM (read-only register or field without FORCE; a
 * field write that would write such a neighbour, without FORCE; a
 * write-only register whose other bits have no known reset value; a read
 * with a side effect without FORCE), -ERANGE (VALUE does not fit the
 * field or register, or breaks its writeConstraint).
 */
#define PHYS_REGMAP_FORCE	(1U << 0)
struct phys_reg_write_plan {
	uint64_t keep;		/* bits taken from a read of the register */
	uint64_t set;		/* bits written as they are here */
	bool read_side_effect;	/* the read KEEP needs has a side effect */
};
int phys_regmap_write_plan(const struct phys_regmap *map, size_t reg, int field,
			   uint64_t value, unsigned int flags,
			   struct phys_reg_write_plan *plan);

/* ---- diagnostics ----------------------------------------------------- */

struct phys_system_info {
	size_t struct_size;	/* see "info structs" */
	bool driver_loaded, driver_sealed;
	char driver_version[16];	/* "2.0"; "" if the driver was not asked */
	char lockdown[24];		/* "none", "integrity", "confidentiality", "" unknown */
	int strict_devmem;		/* 1 yes, 0 no, -1 unknown */
	int io_strict_devmem;
	bool cap_sys_rawio, cap_sys_admin;
	/* since LIBPHYS_4: */
	char kconfig[64];		/* the kernel config read for strict_devmem:
					 * /boot/config-RELEASE, /proc/config.gz, or "" */
};
/* 0, or -EINVAL for a NULL argument or STRUCT_SIZE too small. What cannot
 * be read is left unknown, as the fields say. */
int phys_system_info(struct phys_ctx *ctx, struct phys_system_info *info);

/* True if VAL (of WIDTH bytes) is all ones read from a PCI target: the
 * device is likely gated, in reset or absent. */
bool phys_value_suspect(const struct phys_map *map, unsigned int width, uint64_t val);

/* ---- DMA buffers and interrupts (LIBPHYS_6) --------------------------- */
/*
 * For the device behind a driver window whose policy rule grants `dma` or
 * `irq` (physmem.conf(5)); only from the driver (a context set to another
 * backend than auto, physmem or pread: -EINVAL). Errors are
 * negative errnos explained in phys_ctx_errmsg(), naming the window and
 * the limit: -EPERM the rule grants no dma/irq, -EDQUOT the rule's dma
 * limit would be passed (the message says the limit and what is held),
 * -ENOSPC too many buffers, -ENODEV the device was given back or removed,
 * -ENOMEM no memory the device can address, -ENOENT no such window or no
 * driver, -ENOTTY a driver older than 2.1, -ETIMEDOUT a wait timed out,
 * -EINVAL a bad argument.
 */
struct phys_dma;

/*
 * A coherent DMA buffer of SIZE bytes (rounded up to whole pages) for the
 * device behind WINDOW, zero-filled. It lives on a descriptor of its own,
 * so it is freed when phys_dma_free() is called or the process ends. NULL
 * on error, with errno set to the positive error and phys_ctx_errmsg().
 * The buffer keeps CTX for the errors of its map: free the buffer first.
 */
struct phys_dma *phys_dma_alloc(struct phys_ctx *ctx, const char *window,
				uint64_t size);
/* Close the buffer's map and descriptor: the kernel switches the device's
 * bus mastering off, then frees the memory. NULL is accepted. */
void phys_dma_free(struct phys_dma *buf);
uint64_t phys_dma_bus(const struct phys_dma *buf);	/* program this into the device */
uint64_t phys_dma_size(const struct phys_dma *buf);	/* whole pages */
const char *phys_dma_window(const struct phys_dma *buf);	/* owned by BUF */
/*
 * The buffer's memory as a map (owned by BUF, closed by phys_dma_free();
 * phys_map_close() leaves it alone): every accessor and bulk operation
 * works on it; offsets are from the buffer's start; phys_map_physical()
 * is false, phys_map_phys() is the bus address, phys_map_name() is
 * "dma:WINDOW@BUS", and phys_map_offset_in() finds no other map showing
 * its memory. The memory is RAM (cached), not a device's registers.
 */
struct phys_map *phys_dma_map(struct phys_dma *buf);

enum phys_irq_mode {
	PHYS_IRQ_AUTO,		/* MSI if the device has it, else INTx */
	PHYS_IRQ_INTX,
	PHYS_IRQ_MSI,
};
struct phys_irq;

/*
 * The interrupt of the device behind WINDOW. NULL on error (errno set):
 * besides the above, -EBUSY the device's interrupt is open in the other
 * mode (AUTO joins the mode open), -ENXIO the device has no interrupt of
 * that mode (no MSI; no INTx that can be masked). The
 * handle keeps CTX for its errors: close it first.
 */
struct phys_irq *phys_irq_open(struct phys_ctx *ctx, const char *window,
			       enum phys_irq_mode mode);
void phys_irq_close(struct phys_irq *irq);	/* NULL is accepted */
/* INTX or MSI, the mode opened (AUTO for NULL). */
enum phys_irq_mode phys_irq_mode(const struct phys_irq *irq);
/* A non-blocking descriptor to poll() for POLLIN (owned by IRQ; -EINVAL
 * for NULL); read it with phys_irq_wait(), never directly. */
int phys_irq_fd(const struct phys_irq *irq);
/*
 * Wait at most TIMEOUT_MS (-1: for ever, 0: do not wait) until the device
 * has interrupted since the last wait (or since the open): interrupts that
 * came while nobody waited count, and are returned at once, the line left
 * as it is. Otherwise a masked INTx is unmasked before waiting
 * (acknowledge the interrupt at the device first). 0 and *COUNT (the
 * device's count, a wrapping counter; COUNT may be NULL), -ETIMEDOUT,
 * -EINTR (a signal), -ENODEV (revoked), -EINVAL (NULL, TIMEOUT_MS < -1).
 */
int phys_irq_wait(struct phys_irq *irq, int timeout_ms, uint32_t *count);

const char *phys_version(void);	/* static string, e.g. "0.2.0" */

#ifdef __cplusplus
}
#endif

#endif /* LIBPHYS_H */
