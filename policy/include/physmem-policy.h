/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * physmem policy core: parser and validator for physmem.conf(5), range
 * checks against a resolved policy, and capability helpers (libcap).
 *
 * Built as the static library policy/libphyspolicy.a (-fPIC) and linked
 * into libphys.so and physmem-policy. It does no device I/O and does not
 * depend on libphys: turning a pci/iomem source into a physical range is
 * done by the caller through a resolve callback (see pol_set_resolve()).
 *
 * Conventions (as libphys): int functions return 0 or a negative errno;
 * constructors return NULL and set errno; nothing prints or exits; after a
 * failure pol_set_errmsg() explains it in one line, for parse errors as
 * "FILE:LINE:COL: message" naming what was expected.
 * Every exported symbol starts with pol_ (libphys hides them again with its
 * version script).
 */
#ifndef PHYSMEM_POLICY_H
#define PHYSMEM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define POL_NAME_MAX	32	/* rule name incl. NUL: at most 31 chars (= PHYSMEM_NAME_MAX) */
#define POL_LABEL_MAX	64	/* iomem label incl. NUL (= PHYSMEM_LABEL_MAX) */
#define POL_DMA_BITS_MIN	24	/* narrowest dma-mask (= PHYSMEM_DMA_BITS_MIN) */

/* Default policy locations (below the root given to pol_set_load()). */
#define POL_DEFAULT_FILE	"/etc/physmem/physmem.conf"
#define POL_DEFAULT_DIR		"/etc/physmem/physmem.d"	/* *.conf, lexical order */

enum pol_source {
	POL_SRC_RANGE = 0,	/* range BASE +SIZE | range BASE-LAST */
	POL_SRC_PCI_ID,		/* pci VVVV:DDDD[#N] bar B */
	POL_SRC_PCI_ADDR,	/* pci [DDDD:]BB:DD.F bar B */
	POL_SRC_IOMEM,		/* iomem "LABEL"[#N] */
};

/* The physical range a rule resolved to (filled by pol_set_resolve()). */
struct pol_resolved {
	bool valid;		/* false until resolved */
	uint64_t base, size;	/* the window, after offset/size narrowing */
	/* pci sources: the device found (for PCI_ID: the N-th in address order) */
	uint32_t domain;
	uint8_t bus, dev, func;
	bool prefetchable;	/* the BAR is prefetchable (wc allowed) */
	/* iomem sources: index of the region among those with the label */
	unsigned int iomem_index;
};

/* One `allow` line. */
struct pol_rule {
	char name[POL_NAME_MAX];
	enum pol_source source;

	/* POL_SRC_PCI_ID */
	uint16_t vendor, device;
	/* POL_SRC_PCI_ADDR (domain 0 when not written) */
	uint32_t domain;
	uint8_t bus, dev, func;
	/* POL_SRC_PCI_*: BAR number 0..5 */
	unsigned int bar;
	/* POL_SRC_IOMEM: exact label */
	char label[POL_LABEL_MAX];
	/* POL_SRC_PCI_ID, POL_SRC_IOMEM: the #N (0 when not written) */
	unsigned int index;
	bool index_given;	/* iomem: without #N an ambiguous label is an error */

	/*
	 * POL_SRC_RANGE: base and size of the range (size != 0, no overflow).
	 * POL_SRC_PCI_*, POL_SRC_IOMEM: offset/size narrow the source; both 0
	 * and narrowed false when not written (= the whole BAR/region).
	 */
	uint64_t base;
	uint64_t offset;
	uint64_t size;
	bool narrowed;

	bool rw;		/* default ro */
	bool wc;		/* write-combining; pci sources only, prefetchable BAR */
	bool shared;		/* don't claim the range: coexist with a driver */
	bool pages;		/* the window is the whole pages it touches */

	/*
	 * Grants to the device behind a pci rule (not with shared): the most
	 * DMA buffer memory held at once (0: no dma), the device's DMA address
	 * width (0: not written, 64; else POL_DMA_BITS_MIN..64, only with
	 * dma), and interrupts. At most one rule per device grants.
	 */
	uint64_t dma_size;
	unsigned int dma_bits;
	bool irq;

	/* Where the rule was written; file points into the set's storage. */
	const char *file;
	unsigned int line, col;

	struct pol_resolved resolved;
};

struct pol_set;		/* an ordered, validated list of rules */

struct pol_set *pol_set_new(void);
void pol_set_free(struct pol_set *set);

/*
 * Parse FILES (NULL-terminated) in order into SET; FILES == NULL means the
 * default policy: POL_DEFAULT_FILE then POL_DEFAULT_DIR/ *.conf in lexical
 * order (missing file/dir = no rules from it). ROOT (NULL or "/" = real
 * root) is prepended to the default paths only, so tests can use a fake
 * /etc; explicit FILES are used as given. Stops at the first error:
 * -EINVAL for a syntax/validation error, -errno for I/O; SET then holds no
 * rules. Names must be unique across all files.
 */
int pol_set_load(struct pol_set *set, const char *const *files, const char *root);

/* Parse one file / a string (FILENAME is used in messages). Appends to
 * SET; on error nothing from this call is kept. */
int pol_set_parse_file(struct pol_set *set, const char *path);
int pol_set_parse_string(struct pol_set *set, const char *filename,
			 const char *text, size_t len);

size_t pol_set_count(const struct pol_set *set);
const struct pol_rule *pol_set_rule(const struct pol_set *set, size_t i);
const struct pol_rule *pol_set_find(const struct pol_set *set, const char *name);

/* One-line explanation of the last failure on SET ("" if none). */
const char *pol_set_errmsg(const struct pol_set *set);

/* "range 0xc0000000 +0x10000", "pci 1234:11e8#1 bar 0 offset 0x10 size 0x10",
 * "pci 0000:00:04.0 bar 0", "iomem \"HPET 0\"#0"; returns like snprintf. */
int pol_rule_format_source(const struct pol_rule *rule, char *buf, size_t len);

/*
 * Resolution. The callback finds the source of a pci/iomem rule on this
 * machine (range rules never reach it) and fills OUT with the whole BAR
 * or region: base and size in out->base/out->size, plus domain/bus/dev/
 * func/prefetchable or iomem_index. It returns 0, or a negative errno with
 * a one-line reason in ERR ("no device 1234:11e8#1 (found 1)", "label
 * \"X\" is ambiguous: 0xfed00000-0xfed003ff#0, ...#1"); the core prefixes
 * "FILE:LINE:COL: rule 'NAME': ".
 */
typedef int (*pol_resolve_fn)(const struct pol_rule *rule,
			      struct pol_resolved *out,
			      char *err, size_t errlen, void *data);

/*
 * Resolve every pci/iomem rule of SET (all or nothing: on failure none of
 * them is resolved; range rules are resolved by the parser and always
 * stay so). The core applies offset/size narrowing with overflow-safe
 * math (-ERANGE if it leaves the source), checks that wc is only used
 * on prefetchable BARs (-EINVAL), and that at most one rule grants dma or
 * irq to each device found (-EINVAL; the parser already refuses two that
 * name one device the same way).
 */
int pol_set_resolve(struct pol_set *set, pol_resolve_fn fn, void *data);

/*
 * User-space enforcement for backends without the driver: 0 if
 * [PHYS, PHYS+LEN) lies within one resolved rule that allows the access
 * (WRITE needs rw), *RULE (may be NULL) set to it; -EACCES otherwise, with
 * the reason in pol_set_errmsg(). LEN 0 or PHYS+LEN overflowing: -EINVAL.
 */
int pol_set_check_access(struct pol_set *set, uint64_t phys, uint64_t len,
			 bool write, const struct pol_rule **rule);

/*
 * Narrow [src_base, src_base+src_size) by RULE's offset/size: writes the
 * window to *base and *size. -ERANGE if offset/size leave the source or the
 * math overflows. Exposed so callers that resolve on their own agree.
 */
int pol_rule_narrow(const struct pol_rule *rule, uint64_t src_base,
		    uint64_t src_size, uint64_t *base, uint64_t *size);

/*
 * A 'pages' rule's window is the whole pages its range touches, as the
 * driver makes it (PHYSMEM_WIN_PAGES): round [*base, *base+*size) out to
 * page boundaries if RULE says pages. -ERANGE if that overflows 64 bits.
 */
int pol_rule_pages(const struct pol_rule *rule, uint64_t *base, uint64_t *size);

/* Does RULE grant anything to its device (dma or irq)? */
bool pol_rule_grants(const struct pol_rule *rule);

/* ---- capabilities (libcap) ------------------------------------------- */
/*
 * CAP is a capability number as in <linux/capability.h> (CAP_SYS_RAWIO,
 * CAP_SYS_ADMIN, ...).
 */

/* True if CAP is effective, or permitted so that it can be raised. */
bool pol_cap_available(int cap);

/* Make CAP effective (raising it from permitted if needed). 0, or -EPERM
 * if it is not permitted (see pol_cap_explain()). */
int pol_cap_acquire(int cap);

/*
 * One line explaining that ACTION (e.g. "cannot open /dev/physmem") needs
 * CAP and how to get it, e.g.
 *   "ACTION: needs CAP_SYS_RAWIO: run as root, or `setcap cap_sys_rawio+ep
 *    /usr/bin/devmemtool` with /dev/physmem opened to your group (see
 *    physmem(4))"
 * ACTION may be NULL (then the message starts with "needs"). The binary is
 * this process's executable. Returns BUF.
 */
const char *pol_cap_explain(int cap, const char *action, char *buf, size_t len);

/*
 * Least privilege: keep only the capabilities in KEEP[0..n) (in permitted
 * and effective, if this process has them), drop all others from
 * permitted and effective, clear the inheritable set and the ambient set,
 * so programs we start inherit nothing. 0 or -errno.
 */
int pol_cap_drop_except(const int *keep, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* PHYSMEM_POLICY_H */
