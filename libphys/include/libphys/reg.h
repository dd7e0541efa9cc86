/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libphys register handles: the inline machinery behind phys_regN_*()
 * (documented in <libphys.h>, which includes this file). The fields and
 * every phys_priv_ / PHYS_PRIV_ name are private: use the functions.
 *
 * On x86-64 with GCC or Clang 11+, each access is one mov instruction in
 * an asm goto whose address and resume point go into this module's
 * phys_extable section; phys_regN_init() hands the section's bounds to
 * the library, whose SIGBUS/SIGSEGV handler finds the faulting
 * instruction there and resumes at the label, which returns the error.
 * Elsewhere (or with PHYS_NO_INLINE_FAULTS) the functions call the
 * accessors.
 */
#ifndef LIBPHYS_REG_H
#define LIBPHYS_REG_H

#ifndef LIBPHYS_H
#error "include <libphys.h>, not <libphys/reg.h>"
#endif

struct phys_reg8 { volatile uint8_t *priv_p; struct phys_map *priv_map; uint64_t priv_off; };
struct phys_reg16 { volatile uint16_t *priv_p; struct phys_map *priv_map; uint64_t priv_off; };
struct phys_reg32 { volatile uint32_t *priv_p; struct phys_map *priv_map; uint64_t priv_off; };
struct phys_reg64 { volatile uint64_t *priv_p; struct phys_map *priv_map; uint64_t priv_off; };

/* Behind the inline functions below; not for direct use. */
struct phys_priv_extable_entry {
	int32_t insn;		/* access instruction, relative to this field */
	int32_t fixup;		/* where to resume after a fault, likewise */
};
int phys_priv_reg_init(struct phys_map *map, uint64_t off, unsigned int width,
		       void *reg, const struct phys_priv_extable_entry *table,
		       const struct phys_priv_extable_entry *table_end);
int phys_priv_reg_fault(struct phys_map *map, uint64_t off, unsigned int width,
			bool write);

#if defined(__x86_64__) && !defined(PHYS_NO_INLINE_FAULTS) && \
	(defined(__clang__) ? __clang_major__ >= 11 : __GNUC__ >= 11)
#define PHYS_PRIV_INLINE_FAULTS 1
/* The linker's bounds of this module's phys_extable section (absent: NULL). */
extern const struct phys_priv_extable_entry __start_phys_extable[]
	__attribute__((weak, visibility("hidden")));
extern const struct phys_priv_extable_entry __stop_phys_extable[]
	__attribute__((weak, visibility("hidden")));
#define PHYS_PRIV_TABLE __start_phys_extable, __stop_phys_extable

/* Always negative: tell the compiler, so a caller that tests the result
 * never sees a value the faulting access did not produce. */
static inline int phys_priv_reg_error(struct phys_map *map, uint64_t off,
				      unsigned int width, bool write)
{
	int err = phys_priv_reg_fault(map, off, width, write);

	if (err >= 0)
		__builtin_unreachable();
	return err;
}

/* An entry for the instruction at local label 1 that resumes at FIXUP;
 * relative, so it needs no relocation at load time. */
#define PHYS_PRIV_EXTABLE_ENTRY(fixup)					\
	".pushsection phys_extable,\"a\"\n\t"				\
	".balign 4\n\t"							\
	".long 1b - .\n\t"						\
	".long " fixup " - .\n\t"					\
	".popsection\n\t"

/* Read and write, with the given clobbers: "memory" orders the access
 * against all the caller's memory accesses, none only against other
 * volatile ones. The write's "=m" tells the compiler what it changes. */
#define PHYS_PRIV_REG_RW(bits, type, sfx, mod, name, clobber)		\
static inline int phys_reg##bits##_read##name(const struct phys_reg##bits *reg, type *val) \
{									\
	type v;								\
	__asm__ goto("1:\tmov" #sfx " %[mem], %" #mod "[v]\n\t"	\
		     PHYS_PRIV_EXTABLE_ENTRY("%l[fault]")		\
		     : [v] "=r"(v) : [mem] "m"(*reg->priv_p)	\
		     : clobber : fault);				\
	*val = v;							\
	return 0;							\
fault:									\
	return phys_priv_reg_error(reg->priv_map, reg->priv_off, bits / 8, false); \
}									\
static inline int phys_reg##bits##_write##name(const struct phys_reg##bits *reg, type val) \
{									\
	__asm__ goto("1:\tmov" #sfx " %" #mod "[v], %[mem]\n\t"	\
		     PHYS_PRIV_EXTABLE_ENTRY("%l[fault]")		\
		     : [mem] "=m"(*reg->priv_p) : [v] "r"(val)	\
		     : clobber : fault);				\
	return 0;							\
fault:									\
	return phys_priv_reg_error(reg->priv_map, reg->priv_off, bits / 8, true); \
}
#define PHYS_PRIV_REG_ACCESSORS(bits, type, sfx, mod)			\
	PHYS_PRIV_REG_RW(bits, type, sfx, mod, , "memory")		\
	PHYS_PRIV_REG_RW(bits, type, sfx, mod, _relaxed, )
#else
#define PHYS_PRIV_TABLE NULL, NULL
#define PHYS_PRIV_REG_RW(bits, type, name)				\
static inline int phys_reg##bits##_read##name(const struct phys_reg##bits *reg, type *val) \
{									\
	return phys_read##bits(reg->priv_map, reg->priv_off, val);	\
}									\
static inline int phys_reg##bits##_write##name(const struct phys_reg##bits *reg, type val) \
{									\
	return phys_write##bits(reg->priv_map, reg->priv_off, val);	\
}
#define PHYS_PRIV_REG_ACCESSORS(bits, type, sfx, mod)			\
	PHYS_PRIV_REG_RW(bits, type, )					\
	PHYS_PRIV_REG_RW(bits, type, _relaxed)
#endif

#define PHYS_PRIV_REG_INIT(bits)					\
static inline int phys_reg##bits##_init(struct phys_map *map, uint64_t off, \
					struct phys_reg##bits *reg)	\
{									\
	return phys_priv_reg_init(map, off, bits / 8, reg, PHYS_PRIV_TABLE); \
}

PHYS_PRIV_REG_INIT(8)
PHYS_PRIV_REG_INIT(16)
PHYS_PRIV_REG_INIT(32)
PHYS_PRIV_REG_INIT(64)
PHYS_PRIV_REG_ACCESSORS(8, uint8_t, b, b)
PHYS_PRIV_REG_ACCESSORS(16, uint16_t, w, w)
PHYS_PRIV_REG_ACCESSORS(32, uint32_t, l, k)
PHYS_PRIV_REG_ACCESSORS(64, uint64_t, q, q)

#endif /* LIBPHYS_REG_H */
