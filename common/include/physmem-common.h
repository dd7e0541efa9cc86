/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * physmem-common: the one grammar of user space. Numbers, PCI selectors,
 * window names, target offsets, BDF formatting and the CLI's close_stdout,
 * shared by the policy core, libphys, physmem-policy and devmemtool so
 * that two commands never read the same text as two different things.
 *
 * Not installed: built as common/libphyscommon.a (-fPIC, hidden
 * visibility) and linked into each component, like kmod's shared/.
 * Nothing here allocates, prints (but pm_close_stdout) or touches devices.
 * Parsers return 0 or a positive PM_E_* code; pm_strerror() turns the code
 * into the one message every entry point prints.
 */
#ifndef PHYSMEM_COMMON_H
#define PHYSMEM_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse errors (positive; 0 is success). */
enum pm_err {
	PM_E_EMPTY = 1,		/* no number at all: "", "+" */
	PM_E_NO_DIGITS,		/* "0x", "0b", "0xK": a prefix and no digits */
	PM_E_NOT_NUMBER,	/* a character that is not a digit of the base */
	PM_E_LEADING_ZERO,	/* "010": never octal, never silently decimal */
	PM_E_SEPARATOR,		/* '_' not between two digits */
	PM_E_TOO_LARGE,		/* does not fit in 64 bits */
	PM_E_INDEX_LARGE,	/* a #N index above UINT32_MAX */
	PM_E_PCI_ADDR,		/* not [DDDD:]BB:DD.F */
	PM_E_PCI_RANGE,		/* device > 1f or function > 7 */
	PM_E_PCI_ID,		/* not VVVV:DDDD[#N] */
	PM_E_PCI_INDEX_ON_ADDR,	/* DDDD:BB:DD.F#N */
	PM_E_NAME,		/* not a letter, then letters, digits, '_', '-' */
	PM_E_NAME_LONG,		/* more than PM_NAME_MAX - 1 characters */
	PM_E_LABEL,		/* empty, or not printable ASCII */
	PM_E_LABEL_LONG,	/* more than PM_LABEL_MAX - 1 characters */
};

/* -EINVAL or -ERANGE (PM_E_TOO_LARGE, PM_E_INDEX_LARGE) for a PM_E_* code. */
int pm_errno(int err);

/*
 * "'TEXT': reason" (for PCI selectors and names "bad PCI address 'TEXT':
 * reason", "bad name 'TEXT': reason"; for PM_E_EMPTY "expected a
 * number"), TEXT being the LEN bytes the code is about as pm_show()
 * echoes them. Callers put their context in front ("FILE:L:C: bad size ",
 * "target 'T': bad offset ", "w32: VALUE "). Returns BUF.
 */
const char *pm_strerror(int err, const char *text, size_t len, char *buf, size_t size);

#define PM_ERRMSG_MAX	256	/* fits every message with a PM_SHOW_MAX text */

/*
 * TEXT as every message echoes it: printable ASCII ('?' for the rest), cut
 * to SIZE - 4 characters with "..." if longer. Returns BUF.
 */
#define PM_SHOW_MAX	48
const char *pm_show(char *buf, size_t size, const char *text, size_t len);

/* ---- numbers ------------------------------------------------------- */

/*
 * Decimal, 0x hex, 0b binary; '_' only between two digits. With
 * PM_NUM_BYTES, a K, M or G suffix (x 1024^n, either case): for numbers
 * of bytes, that is addresses, offsets and sizes (policy BASE, +SIZE,
 * LAST, offset, size; a target's address and +OFF; devmemtool's LEN),
 * never for register values, counts, times, BAR or index numbers. K, M
 * and G are no hex digits, so 0x10K is 16 KiB. A decimal number does not
 * start with 0 (except "0" itself): "010" is PM_E_LEADING_ZERO, never
 * octal, never silently decimal. No sign, no blank.
 */
#define PM_NUM_BYTES	1u

/*
 * The number at the start of S: the token is the longest run of letters,
 * digits and '_' (so "0x10/bar0" and "1#2" stop at '/' and '#'). *END is
 * set to the end of that token also on failure, so a message can show it.
 */
int pm_parse_u64_prefix(const char *s, unsigned int flags, uint64_t *val, const char **end);

/* All of S must be the number. */
int pm_parse_u64(const char *s, unsigned int flags, uint64_t *val);

/* ---- PCI ------------------------------------------------------------ */

struct pm_pci_sel {
	bool by_id;		/* VVVV:DDDD[#N] rather than an address */
	uint32_t domain;	/* 32-bit: Intel VMD domains are 0x10000+ */
	uint8_t bus, dev, func;
	uint16_t vendor, device;
	bool index_given;	/* #N written */
	uint32_t index;
};

/*
 * The LEN bytes at S as DDDD:BB:DD.F (domain 1..8 hex digits), BB:DD.F
 * (domain 0) or VVVV:DDDD[#N] (N a number as above). An address has a '.'
 * or two ':'; anything else is read as an ID. A bad index returns the
 * number's code with *BAD and *BADLEN set to the index text; otherwise they
 * are S/LEN.
 */
int pm_pci_parse(const char *s, size_t len, struct pm_pci_sel *sel,
		 const char **bad, size_t *badlen);

/* Linux's pci_name(): "%04x:%02x:%02x.%d" (5+ digits for big domains). */
#define PM_BDF_MAX	20
const char *pm_pci_bdf(char buf[PM_BDF_MAX], uint32_t domain, unsigned int bus,
		       unsigned int dev, unsigned int func);

/* ---- names ---------------------------------------------------------- */

/*
 * Window names, rule names and devmemtool's `map ... as NAME` names
 * follow the driver's rule (physmem-drv/window.c physmem_name_valid):
 * an ASCII letter, then letters, digits, '_' and '-', at most
 * PM_NAME_MAX - 1 characters. So a name is never a number, never has a
 * '+' (offset), ':' (pci:, file:) or '.' (register.field).
 */
#define PM_NAME_MAX	32	/* including the NUL (= PHYSMEM_NAME_MAX) */

bool pm_name_char(char c, size_t pos);
/* 0, PM_E_NAME or PM_E_NAME_LONG for the LEN bytes at S. */
int pm_name_check(const char *s, size_t len);

/*
 * iomem labels (policy `iomem "LABEL"`, targets `iomem:"LABEL"`) follow
 * the driver's rule (physmem-drv/window.c physmem_label_char): 1 to
 * PM_LABEL_MAX - 1 printable ASCII characters, as /proc/iomem shows them.
 */
#define PM_LABEL_MAX	64	/* including the NUL (= PHYSMEM_LABEL_MAX) */

/* 0, PM_E_LABEL or PM_E_LABEL_LONG for the LEN bytes at S. */
int pm_label_check(const char *s, size_t len);

/* ---- targets -------------------------------------------------------- */

/*
 * Where the "+OFF" of a target text starts: the last '+' outside double
 * quotes that a digit follows. Returns a pointer to that '+', or NULL if
 * the text has no offset. This is the one split libphys's target parser
 * and devmemtool use: "file:a+1" is file "a" at offset 1, "file:c++/x"
 * is a file, and file:"a+1" names a file whose name ends in "+1".
 */
const char *pm_target_offset(const char *text);

/*
 * Where the "@ADDR" of a file: target starts, NAME being the text after
 * "file:" with any "+OFF" split off: the last '@' outside double quotes,
 * or NULL. What follows it must be a number (file:mem.bin@0x40000000);
 * a name with an '@' of its own is either quoted (file:"a@b.bin",
 * file:"a@b.bin"@0x1000) or followed by an address (file:a@b.bin@0x1000).
 */
const char *pm_target_at(const char *name);

/* ---- command-line tools --------------------------------------------- */

/*
 * util-linux close_stdout(): flush and close stdout; on any error (full
 * disk, EPIPE, EIO) print "PROG: write error: REASON" and return
 * FAIL_STATUS if STATUS was 0, else STATUS. Call once, at exit.
 */
int pm_close_stdout(const char *prog, int status, int fail_status);

#endif /* PHYSMEM_COMMON_H */
