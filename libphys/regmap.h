/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Register maps inside libphys: the builder every importer fills, the
 * importer table, and the compiled database (regmap-db.c) that a loaded
 * map is, whether just imported or read from the cache.
 *
 * An importer reads one format and calls rmb_*() for what it finds:
 * rmb_add_reg() starts a register, rmb_add_field() adds a field to the
 * last register, rmb_add_enum() an enumerated value to the last field.
 * The importer resolves its format's own inheritance (derivedFrom, dim
 * arrays, device -> peripheral -> register defaults) and hands over the
 * result: expanded registers with absolute (or block-relative) addresses
 * and full dotted names. The builder copies every string, checks what is
 * format-independent (sizes, alignment, field bounds and overlaps, enum
 * values, duplicate names) and reports every problem as "FILE:LINE:
 * message" through the context, with the line the importer gave.
 */
#ifndef LIBPHYS_REGMAP_H
#define LIBPHYS_REGMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libphys.h"
#include "internal.h"

struct rm_builder;

/* An access/write/read value the register decides (for a field). */
#define RMB_INHERIT	(-1)

struct rmb_reg {
	const char *name;		/* full dotted path, copied */
	const char *desc;		/* NULL or "": none */
	uint64_t address;		/* absolute, or the offset in the block */
	unsigned int size;		/* bits: 8, 16, 32, 64 */
	enum phys_reg_access access;
	enum phys_reg_write write;
	enum phys_reg_read read;
	uint64_t reset, reset_mask;	/* reset_mask 0: reset unknown */
	long line;			/* where it is defined (for messages) */
};

struct rmb_field {
	const char *name;
	const char *desc;
	unsigned int lsb, width;
	int access;			/* enum phys_reg_access or RMB_INHERIT */
	int write;			/* enum phys_reg_write or RMB_INHERIT */
	enum phys_reg_read read;
	unsigned int constraint;	/* 0 none, 1 enums only, 2 range */
	uint64_t min, max;
	long line;
};

struct rmb_enum {
	const char *name;
	const char *desc;
	uint64_t value;
	bool is_default;
	long line;
};

/* Each returns 0 or a negative errno (-ENOMEM; -EINVAL after an error
 * that rmb_error() has recorded, e.g. a field with no register). */
int rmb_add_reg(struct rm_builder *b, const struct rmb_reg *r);
int rmb_add_field(struct rm_builder *b, const struct rmb_field *f);
int rmb_add_enum(struct rm_builder *b, const struct rmb_enum *e);
int rmb_set_name(struct rm_builder *b, const char *name);
void rmb_set_absolute(struct rm_builder *b, bool absolute);
int rmb_add_pci(struct rm_builder *b, uint16_t vendor, uint16_t device, int bar);

/* "PATH:LINE: message" (LINE <= 0: "PATH: message") in the context's
 * error; returns -EINVAL. The first error is the one kept. */
int rmb_error(struct rm_builder *b, long line, const char *fmt, ...) PHYS_PRINTF(3, 4);
/* The source path, for messages. */
const char *rmb_path(const struct rm_builder *b);

/* ---- importers -------------------------------------------------------- */

struct rm_importer {
	const char *name;		/* "svd", "ipxact", "native" */
	/* Is DATA this format? Looks at the start only. */
	bool (*sniff)(const char *data, size_t len);
	/* 0, or -EINVAL after rmb_error(), or -ENOMEM. DATA is NUL-terminated
	 * at DATA[LEN]. */
	int (*import)(struct rm_builder *b, const char *data, size_t len);
};

extern const struct rm_importer rm_import_svd;
extern const struct rm_importer rm_import_ipxact;
extern const struct rm_importer rm_import_native;

/* ---- helpers the importers share -------------------------------------- */

/* Numbers as the formats write them: decimal, 0x hex, 0b binary, and SVD's
 * #binary ('x' a don't-care bit, read as 0); an optional leading '+'.
 * 0, or -EINVAL (not a number), -ERANGE (over 64 bits). Blanks around the
 * number are skipped. */
int rm_parse_u64(const char *text, uint64_t *val);

/* The access/write/read names of SVD (and IP-XACT's, which are the same
 * words for these), -1 if unknown. */
int rm_access_from(const char *text);
int rm_write_from(const char *text);
int rm_read_from(const char *text);

/* ---- the compiled database (regmap-db.c) ------------------------------ */
/*
 * One flat little block, the same in memory and in the cache file: a
 * header, then arrays of registers (in address order), fields (each
 * register's in a run, from bit 0 up), enumerated values, PCI IDs, an
 * index of the registers sorted by name, and the strings (offset 0 is "").
 * Native byte order and layout: the header's version, byte-order mark and
 * layout word tell a foreign or older file, which is compiled again. In
 * the cache file the source's bytes follow the database (version 3 on).
 *
 * SUM is rm_hash() of every byte after it, to the end: a cache file that
 * is well-formed but not what was compiled (one address changed on disk)
 * would pass every bounds check and move writes. The bytes before it are
 * constants, each compared.
 */
#define RM_MAGIC	"PHYSRMAP"
#define RM_VERSION	3
#define RM_ENDIAN	0x01020304U
#define RM_ABSOLUTE	(1U << 0)

struct rm_hdr {
	char magic[8];
	uint32_t version, endian;
	uint64_t sum;			/* rm_hash() of the bytes after it */
	uint32_t layout;		/* RM_LAYOUT */
	uint32_t flags;			/* RM_ABSOLUTE */
	uint64_t total;			/* bytes of the whole database */
	uint64_t src_hash, src_size;	/* the source it was compiled from */
	uint32_t name;			/* string offsets, as below */
	uint32_t nregs, nfields, nenums, npci, pad;
	uint64_t off_regs, off_fields, off_enums, off_pci, off_index, off_str, len_str;
};

struct rm_reg {
	uint64_t address, reset, reset_mask;
	uint32_t name, desc, first_field, nfields;
	uint8_t size, access, write, read, side_effect, pad[3];
};

struct rm_field {
	uint64_t min, max;
	uint32_t name, desc, first_enum, nenums;
	uint8_t lsb, width, access, write, read, constraint, pad[2];
};

struct rm_enum {
	uint64_t value;
	uint32_t name, desc;
	uint8_t is_default, pad[7];
};

struct rm_pci {
	uint16_t vendor, device;
	int16_t bar;			/* -1: any */
	uint16_t pad;
};

#define RM_LAYOUT ((uint32_t)(sizeof(struct rm_hdr) << 24 | sizeof(struct rm_reg) << 16 | \
			      sizeof(struct rm_field) << 8 | sizeof(struct rm_enum)))

struct phys_regmap {
	struct phys_ctx *ctx;
	char *path;
	void *db;			/* the database, malloc'ed */
	size_t len;
	bool cached;
	const struct rm_hdr *h;
	const struct rm_reg *regs;
	const struct rm_field *fields;
	const struct rm_enum *enums;
	const struct rm_pci *pci;
	const uint32_t *index;
	const char *str;
};

/* The largest database that is cached (and read back from the cache). */
#define RM_MAX_DB	((size_t)256 << 20)

/* The header's SUM for DB (LEN >= sizeof(struct rm_hdr) bytes). */
uint64_t rm_db_sum(const void *db, size_t len);
/* Check DB (LEN bytes) whole: its sum first, then every offset, count,
 * index and string in bounds, every value in range. 0, or -EINVAL with
 * the reason in WHY. */
int rm_db_check(const void *db, size_t len, char *why, size_t whylen);
/* Point MAP's arrays into its checked database. */
void rm_db_attach(struct phys_regmap *map);
/* Field FIELD of register REG, or NULL if there is none. */
const struct rm_field *rm_field(const struct phys_regmap *map, size_t reg, unsigned int field);

/* The builder (regmap.c) */
struct rm_builder *rmb_new(struct phys_ctx *ctx, const char *path);
void rmb_free(struct rm_builder *b);
/* The database of what was added, malloc'ed into *DB and *LEN: 0, or -EINVAL
 * (a check failed, explained) or -ENOMEM. */
int rmb_finish(struct rm_builder *b, uint64_t src_hash, uint64_t src_size,
	       void **db, size_t *len);

/* ---- the cache (regmap-cache.c) --------------------------------------- */

/* The source's content key. */
uint64_t rm_hash(const void *data, size_t len);
/* A checked database compiled from exactly the SIZE bytes at SRC (whose
 * rm_hash() is HASH), read into *DB (malloc'ed) and *LEN; 0, or a negative
 * errno (none cached, or unusable: logged at debug). */
int rm_cache_load(struct phys_ctx *ctx, uint64_t hash, const void *src, size_t size,
		  void **db, size_t *len);
/* Store DB, compiled from the SIZE bytes at SRC, for the next load;
 * failures are logged at debug, not returned. */
void rm_cache_store(struct phys_ctx *ctx, const void *db, size_t len, const void *src, size_t size);

#endif /* LIBPHYS_REGMAP_H */
