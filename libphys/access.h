/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Raw width-exact accesses that survive faults.
 *
 * On x86-64 each access is one mov instruction with an entry in the
 * phys_extable section (like the kernel's exception tables): the SIGBUS/
 * SIGSEGV handler finds the faulting RIP there and resumes at the C code
 * that returns -EFAULT, so the fast path costs nothing but the mov itself.
 * Elsewhere (or with -DPHYS_PORTABLE_FAULTS) a per-thread sigsetjmp guards
 * each access instead.
 *
 * Each function returns 0 or -EFAULT. Callers have checked bounds/alignment.
 */
#ifndef LIBPHYS_ACCESS_H
#define LIBPHYS_ACCESS_H

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>

#include "libphys.h"

/* The exception table format and entry macro are libphys.h's, shared with
 * the inline register handles (PHYS_PRIV_INLINE_FAULTS: x86-64, a compiler
 * with asm goto outputs). */
#if defined(PHYS_PRIV_INLINE_FAULTS) && !defined(PHYS_PORTABLE_FAULTS)
#define PHYS_EXTABLE 1

/*
 * asm goto: the exception table points straight at the C label, so the
 * no-fault path is the mov alone, with no error register to test.
 */
#define PHYS_DEFINE_READ(bits, type, sfx, mod)				\
static inline __attribute__((always_inline))				\
int phys_raw_read##bits(const volatile void *p, type *out)		\
{									\
	type v;								\
	__asm__ goto("1:	mov" #sfx " %[mem], %" #mod "[v]\n\t"	\
		PHYS_PRIV_EXTABLE_ENTRY("%l[fault]")			\
		: [v] "=r"(v)						\
		: [mem] "m"(*(const volatile type *)p)			\
		: : fault);						\
	*out = v;							\
	return 0;							\
fault:									\
	return -EFAULT;							\
}

#define PHYS_DEFINE_WRITE(bits, type, sfx, mod)				\
static inline __attribute__((always_inline))				\
int phys_raw_write##bits(volatile void *p, type v)			\
{									\
	__asm__ goto("1:	mov" #sfx " %" #mod "[v], %[mem]\n\t"	\
		PHYS_PRIV_EXTABLE_ENTRY("%l[fault]")			\
		: : [mem] "m"(*(volatile type *)p), [v] "r"(v)		\
		: "memory" : fault);					\
	return 0;							\
fault:									\
	return -EFAULT;							\
}

PHYS_DEFINE_READ(8, uint8_t, b, b)
PHYS_DEFINE_READ(16, uint16_t, w, w)
PHYS_DEFINE_READ(32, uint32_t, l, k)
PHYS_DEFINE_READ(64, uint64_t, q, q)
PHYS_DEFINE_WRITE(8, uint8_t, b, b)
PHYS_DEFINE_WRITE(16, uint16_t, w, w)
PHYS_DEFINE_WRITE(32, uint32_t, l, k)
PHYS_DEFINE_WRITE(64, uint64_t, q, q)

#else /* portable: sigsetjmp per access */

struct phys_fault_guard {
	sigjmp_buf jb;
	volatile sig_atomic_t armed;
};
extern __thread struct phys_fault_guard phys_fault_guard
	__attribute__((tls_model("initial-exec")));

/* sigsetjmp(.., 0): the handler runs with SA_NODEFER, so no mask to restore. */
#define PHYS_GUARDED(stmt)						\
	do {								\
		if (sigsetjmp(phys_fault_guard.jb, 0)) {		\
			phys_fault_guard.armed = 0;			\
			return -EFAULT;					\
		}							\
		phys_fault_guard.armed = 1;				\
		stmt;							\
		phys_fault_guard.armed = 0;				\
	} while (0)

/*
 * GCC's -Wclobbered flags a 64-bit value held in a register pair (armhf) as
 * possibly clobbered by the siglongjmp. The values are never read on that
 * path (it returns -EFAULT at once) and are not modified between the
 * sigsetjmp and the access, so the warning is a false alarm here.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wclobbered"
#define PHYS_DEFINE_READ(bits, type)					\
static inline int phys_raw_read##bits(const volatile void *p, type *out)	\
{									\
	type v = 0;							\
	PHYS_GUARDED(v = *(const volatile type *)p);			\
	*out = v;							\
	return 0;							\
}
#define PHYS_DEFINE_WRITE(bits, type)					\
static inline int phys_raw_write##bits(volatile void *p, type v)	\
{									\
	PHYS_GUARDED(*(volatile type *)p = v);				\
	return 0;							\
}
PHYS_DEFINE_READ(8, uint8_t)
PHYS_DEFINE_READ(16, uint16_t)
PHYS_DEFINE_READ(32, uint32_t)
PHYS_DEFINE_READ(64, uint64_t)
PHYS_DEFINE_WRITE(8, uint8_t)
PHYS_DEFINE_WRITE(16, uint16_t)
PHYS_DEFINE_WRITE(32, uint32_t)
PHYS_DEFINE_WRITE(64, uint64_t)
#pragma GCC diagnostic pop
#endif

/* Run-time width, for bulk operations. Value is in CPU order. */
static inline int phys_raw_read(const volatile void *p, unsigned int width, uint64_t *out)
{
	int err;

	switch (width) {
	case 1: { uint8_t v = 0; err = phys_raw_read8(p, &v); *out = v; return err; }
	case 2: { uint16_t v = 0; err = phys_raw_read16(p, &v); *out = v; return err; }
	case 4: { uint32_t v = 0; err = phys_raw_read32(p, &v); *out = v; return err; }
	default: return phys_raw_read64(p, out);
	}
}

static inline int phys_raw_write(volatile void *p, unsigned int width, uint64_t v)
{
	switch (width) {
	case 1: return phys_raw_write8(p, (uint8_t)v);
	case 2: return phys_raw_write16(p, (uint16_t)v);
	case 4: return phys_raw_write32(p, (uint32_t)v);
	default: return phys_raw_write64(p, v);
	}
}

#endif /* LIBPHYS_ACCESS_H */
