// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Width-exact accessors and fault catching.
 *
 * The checks are folded into one unlikely branch so the common case is: a
 * compare, the mov, and a byte swap only for big-endian maps. Errors are
 * sorted out (and explained) in the cold path.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "internal.h"
#include "access.h"

/* Recorded by the handler so the error can say what happened. */
static __thread struct {
	int sig;
	void *addr;
} last_fault __attribute__((tls_model("initial-exec")));

static struct sigaction old_bus, old_segv;

#ifdef PHYS_EXTABLE
extern const struct phys_extable_entry __start_phys_extable[]
	__attribute__((weak, visibility("hidden")));
extern const struct phys_extable_entry __stop_phys_extable[]
	__attribute__((weak, visibility("hidden")));

static uintptr_t extable_fixup(uintptr_t ip)
{
	for (const struct phys_extable_entry *e = __start_phys_extable;
	     e < __stop_phys_extable; e++)
		if ((uintptr_t)&e->insn + (intptr_t)e->insn == ip)
			return (uintptr_t)&e->fixup + (intptr_t)e->fixup;
	return 0;
}
#else
__thread struct phys_fault_guard phys_fault_guard __attribute__((tls_model("initial-exec")));
#endif

/* A fault outside our accesses belongs to whoever handled it before us. */
static void chain(int sig, siginfo_t *si, void *uc)
{
	struct sigaction *old = sig == SIGBUS ? &old_bus : &old_segv;

	if (old->sa_flags & SA_SIGINFO) {
		old->sa_sigaction(sig, si, uc);
		return;
	}
	if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
		old->sa_handler(sig);
		return;
	}
	/* Default action: re-executing a faulting instruction now kills us as
	 * if we had never been here; a sent signal must be re-raised. */
	signal(sig, SIG_DFL);
	if (si->si_code <= 0)
		raise(sig);
}

static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
#ifdef PHYS_EXTABLE
	ucontext_t *uc = ucv;
	uintptr_t fixup = extable_fixup((uintptr_t)uc->uc_mcontext.gregs[REG_RIP]);

	if (fixup && si->si_code > 0) {
		last_fault.sig = sig;
		last_fault.addr = si->si_addr;
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)fixup;
		return;
	}
#else
	if (phys_fault_guard.armed && si->si_code > 0) {
		last_fault.sig = sig;
		last_fault.addr = si->si_addr;
		phys_fault_guard.armed = 0;
		siglongjmp(phys_fault_guard.jb, 1);
	}
#endif
	chain(sig, si, ucv);
}

static pthread_once_t fault_once = PTHREAD_ONCE_INIT;
static int fault_init_err;

static void fault_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
#ifndef PHYS_EXTABLE
	sa.sa_flags |= SA_NODEFER;	/* we leave by siglongjmp */
#endif
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &old_bus) || sigaction(SIGSEGV, &sa, &old_segv))
		fault_init_err = -errno;
}

int phys_fault_init(void)
{
	pthread_once(&fault_once, fault_install);
	return fault_init_err;
}

int phys_fault_err(struct phys_map *map, uint64_t off, unsigned int width, bool write)
{
	const char *sig = last_fault.sig == SIGBUS ? "SIGBUS" : "SIGSEGV";

	return phys_err(map->ctx, -EFAULT,
			"%s during %u-bit %s at 0x%llx (%s+0x%llx): the range is gone "
			"(window removed, device unplugged, file truncated) or not backed",
			sig, width * 8, write ? "write" : "read",
			(unsigned long long)(map->phys + off), map->name,
			(unsigned long long)off);
}

/* Cold path: say which check failed. */
__attribute__((cold, noinline))
static int access_err(struct phys_map *map, uint64_t off, unsigned int width, bool write)
{
	if (!map)
		return -EINVAL;
	if (off >= map->size || map->size - off < width)
		return phys_err(map->ctx, -ERANGE,
				"offset 0x%llx + %u bytes is outside %s (size 0x%llx)",
				(unsigned long long)off, width, map->name,
				(unsigned long long)map->size);
	if (((uintptr_t)map->base + off) & (width - 1))
		return phys_err(map->ctx, -EINVAL,
				"%u-bit access at 0x%llx (%s+0x%llx) is not %u-byte aligned",
				width * 8, (unsigned long long)(map->phys + off), map->name,
				(unsigned long long)off, width);
	if (write && (map->flags & PHYS_MAP_RDONLY))
		return phys_err(map->ctx, -EACCES, "%s is mapped read-only", map->name);
	return -EINVAL;
}

/* One test for all three checks; size - off cannot underflow once off < size. */
#define BAD_ACCESS(map, off, w)						\
	PHYS_UNLIKELY(!(map) || (off) >= (map)->size || (map)->size - (off) < (w) || \
		      (((uintptr_t)(map)->base + (off)) & ((w) - 1)))

#define DEFINE_ACCESSORS(bits, type, swap)				\
PHYS_EXPORT int phys_read##bits(struct phys_map *map, uint64_t off, type *val) \
{									\
	type v;								\
	if (BAD_ACCESS(map, off, bits / 8))				\
		return access_err(map, off, bits / 8, false);		\
	if (PHYS_UNLIKELY(phys_raw_read##bits(map->base + off, &v)))	\
		return phys_fault_err(map, off, bits / 8, false);	\
	if (map->flags & PHYS_MAP_BIG_ENDIAN)				\
		v = swap(v);						\
	*val = v;							\
	return 0;							\
}									\
PHYS_EXPORT int phys_write##bits(struct phys_map *map, uint64_t off, type val) \
{									\
	if (BAD_ACCESS(map, off, bits / 8) || PHYS_UNLIKELY(map->flags & PHYS_MAP_RDONLY)) \
		return access_err(map, off, bits / 8, true);		\
	if (map->flags & PHYS_MAP_BIG_ENDIAN)				\
		val = swap(val);					\
	if (PHYS_UNLIKELY(phys_raw_write##bits(map->base + off, val)))	\
		return phys_fault_err(map, off, bits / 8, true);	\
	return 0;							\
}

#define NOSWAP(x) (x)
DEFINE_ACCESSORS(8, uint8_t, NOSWAP)
DEFINE_ACCESSORS(16, uint16_t, __builtin_bswap16)
DEFINE_ACCESSORS(32, uint32_t, __builtin_bswap32)

/*
 * 64-bit: with PHYS_MAP_SPLIT64 two 32-bit accesses, the half holding the
 * low-order bits first (at OFF on a little-endian device, at OFF+4 on a
 * big-endian one), for devices whose bus cannot do one 64-bit access.
 */
static int read64_split(struct phys_map *map, uint64_t off, uint64_t *val)
{
	bool be = map->flags & PHYS_MAP_BIG_ENDIAN;
	uint64_t lo_off = be ? off + 4 : off, hi_off = be ? off : off + 4;
	uint32_t lo, hi;

	if (phys_raw_read32(map->base + lo_off, &lo))
		return phys_fault_err(map, lo_off, 4, false);
	if (phys_raw_read32(map->base + hi_off, &hi))
		return phys_fault_err(map, hi_off, 4, false);
	if (be) {
		lo = __builtin_bswap32(lo);
		hi = __builtin_bswap32(hi);
	}
	*val = (uint64_t)hi << 32 | lo;
	return 0;
}

static int write64_split(struct phys_map *map, uint64_t off, uint64_t val)
{
	bool be = map->flags & PHYS_MAP_BIG_ENDIAN;
	uint64_t lo_off = be ? off + 4 : off, hi_off = be ? off : off + 4;
	uint32_t lo = (uint32_t)val, hi = (uint32_t)(val >> 32);

	if (be) {
		lo = __builtin_bswap32(lo);
		hi = __builtin_bswap32(hi);
	}
	if (phys_raw_write32(map->base + lo_off, lo))
		return phys_fault_err(map, lo_off, 4, true);
	if (phys_raw_write32(map->base + hi_off, hi))
		return phys_fault_err(map, hi_off, 4, true);
	return 0;
}

PHYS_EXPORT int phys_read64(struct phys_map *map, uint64_t off, uint64_t *val)
{
	uint64_t v;

	if (BAD_ACCESS(map, off, 8))
		return access_err(map, off, 8, false);
	if (PHYS_UNLIKELY(map->flags & PHYS_MAP_SPLIT64))
		return read64_split(map, off, val);
	if (PHYS_UNLIKELY(phys_raw_read64(map->base + off, &v)))
		return phys_fault_err(map, off, 8, false);
	if (map->flags & PHYS_MAP_BIG_ENDIAN)
		v = __builtin_bswap64(v);
	*val = v;
	return 0;
}

PHYS_EXPORT int phys_write64(struct phys_map *map, uint64_t off, uint64_t val)
{
	if (BAD_ACCESS(map, off, 8) || PHYS_UNLIKELY(map->flags & PHYS_MAP_RDONLY))
		return access_err(map, off, 8, true);
	if (PHYS_UNLIKELY(map->flags & PHYS_MAP_SPLIT64))
		return write64_split(map, off, val);
	if (map->flags & PHYS_MAP_BIG_ENDIAN)
		val = __builtin_bswap64(val);
	if (PHYS_UNLIKELY(phys_raw_write64(map->base + off, val)))
		return phys_fault_err(map, off, 8, true);
	return 0;
}

PHYS_EXPORT int phys_read(struct phys_map *map, uint64_t off, unsigned int width, uint64_t *val)
{
	int err;

	switch (width) {
	case 1: { uint8_t v; err = phys_read8(map, off, &v); if (!err) *val = v; return err; }
	case 2: { uint16_t v; err = phys_read16(map, off, &v); if (!err) *val = v; return err; }
	case 4: { uint32_t v; err = phys_read32(map, off, &v); if (!err) *val = v; return err; }
	case 8: return phys_read64(map, off, val);
	}
	return map ? phys_err(map->ctx, -EINVAL, "access width %u: use 1, 2, 4 or 8 bytes", width)
		   : -EINVAL;
}

PHYS_EXPORT int phys_write(struct phys_map *map, uint64_t off, unsigned int width, uint64_t val)
{
	if (width != 1 && width != 2 && width != 4 && width != 8)
		return map ? phys_err(map->ctx, -EINVAL,
				      "access width %u: use 1, 2, 4 or 8 bytes", width)
			   : -EINVAL;
	if (width < 8 && (val >> (width * 8)))
		return map ? phys_err(map->ctx, -ERANGE,
				      "value 0x%llx does not fit in %u bits",
				      (unsigned long long)val, width * 8)
			   : -EINVAL;
	switch (width) {
	case 1: return phys_write8(map, off, (uint8_t)val);
	case 2: return phys_write16(map, off, (uint16_t)val);
	case 4: return phys_write32(map, off, (uint32_t)val);
	case 8: return phys_write64(map, off, val);
	}
	return map ? phys_err(map->ctx, -EINVAL, "access width %u: use 1, 2, 4 or 8 bytes", width)
		   : -EINVAL;
}
