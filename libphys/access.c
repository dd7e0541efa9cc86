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

#ifndef PHYS_EXTABLE
__thread struct phys_fault_guard phys_fault_guard __attribute__((tls_model("initial-exec")));
#endif

#ifdef __x86_64__
/*
 * Exception tables: our own (this module's phys_extable section, when the
 * accessors use it) and those of the modules that use the inline register
 * handles, registered by phys_priv_reg_init(). The signal handler reads
 * the registry without locks: an entry is complete before the count that
 * covers it is published, and entries are never removed.
 */
#define PHYS_MAX_EXTABLES 64

/* As libphys.h declares them where the inline handles use the tables. */
extern const struct phys_priv_extable_entry __start_phys_extable[]
	__attribute__((weak, visibility("hidden")));
extern const struct phys_priv_extable_entry __stop_phys_extable[]
	__attribute__((weak, visibility("hidden")));

static struct {
	const struct phys_priv_extable_entry *start, *end;
} extables[PHYS_MAX_EXTABLES];
static unsigned int n_extables;
static pthread_mutex_t extables_lock = PTHREAD_MUTEX_INITIALIZER;

static int extable_register(struct phys_ctx *ctx, const struct phys_priv_extable_entry *start,
			    const struct phys_priv_extable_entry *end)
{
	unsigned int n;
	int r = 0;

	if (!start || start >= end || start == __start_phys_extable)
		return 0;
	pthread_mutex_lock(&extables_lock);
	n = __atomic_load_n(&n_extables, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < n; i++)
		if (extables[i].start == start)
			goto out;
	if (n == PHYS_MAX_EXTABLES) {
		r = phys_err(ctx, -ENOSPC,
			     "more than %d programs and shared objects in this process use "
			     "register handles; use phys_read/phys_write in the others",
			     PHYS_MAX_EXTABLES);
		goto out;
	}
	extables[n].start = start;
	extables[n].end = end;
	__atomic_store_n(&n_extables, n + 1, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&extables_lock);
	return r;
}

static uintptr_t table_fixup(const struct phys_priv_extable_entry *start,
			     const struct phys_priv_extable_entry *end, uintptr_t ip)
{
	for (const struct phys_priv_extable_entry *e = start; e < end; e++)
		if ((uintptr_t)&e->insn + (intptr_t)e->insn == ip)
			return (uintptr_t)&e->fixup + (intptr_t)e->fixup;
	return 0;
}

static uintptr_t extable_fixup(uintptr_t ip)
{
	uintptr_t fixup = table_fixup(__start_phys_extable, __stop_phys_extable, ip);
	unsigned int n = __atomic_load_n(&n_extables, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; !fixup && i < n; i++)
		fixup = table_fixup(extables[i].start, extables[i].end, ip);
	return fixup;
}
#else
static int extable_register(struct phys_ctx *ctx, const struct phys_priv_extable_entry *start,
			    const struct phys_priv_extable_entry *end)
{
	return 0;	/* the inline handles call the accessors here */
}
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
	if (si->si_code > 0) {	/* raised by an access, not sent */
#ifdef __x86_64__
		ucontext_t *uc = ucv;
		uintptr_t fixup = extable_fixup((uintptr_t)uc->uc_mcontext.gregs[REG_RIP]);

		if (fixup) {
			last_fault.sig = sig;
			last_fault.addr = si->si_addr;
			uc->uc_mcontext.gregs[REG_RIP] = (greg_t)fixup;
			return;
		}
#endif
#ifndef PHYS_EXTABLE
		if (phys_fault_guard.armed) {
			last_fault.sig = sig;
			last_fault.addr = si->si_addr;
			phys_fault_guard.armed = 0;
			siglongjmp(phys_fault_guard.jb, 1);
		}
#endif
	}
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

__attribute__((cold, noinline))
int phys_fault_err(struct phys_map *map, uint64_t off, unsigned int width, bool write)
{
	const char *sig = last_fault.sig == SIGBUS ? "SIGBUS" : "SIGSEGV";
	const char *why = map->backend == &phys_backend_dma ?
		"the buffer was revoked (its device was given back to its own driver or removed)" :
		"the range is gone (window removed, device unplugged, file truncated) or not backed";

	return phys_err(map->ctx, -EFAULT, "%s during %u-bit %s at 0x%llx (%s+0x%llx): %s",
			sig, width * 8, write ? "write" : "read",
			(unsigned long long)(map->phys + off), map->name,
			(unsigned long long)off, why);
}

static inline uint64_t ror64(uint64_t x, unsigned int k)
{
	return k ? (x >> k) | (x << (64 - k)) : x;
}

void phys_map_setup_fast(struct phys_map *map)
{
	for (unsigned int k = 0; k < 4; k++) {
		uint64_t w = UINT64_C(1) << k;
		uint64_t mis = (uintptr_t)map->base & (w - 1);
		struct phys_fast f = { .first = mis ? w - mis : 0, .count = 0 };

		if (map->size >= f.first + w)
			f.count = ((map->size - w - f.first) >> k) + 1;
		if ((map->flags & PHYS_MAP_BIG_ENDIAN) && k)
			f.count = 0;
		if ((map->flags & PHYS_MAP_SPLIT64) && k == 3)
			f.count = 0;
		if (!map->base)		/* served by backend->read/write */
			f.count = 0;
		map->rd[k] = f;
		map->wr[k] = f;
		if (map->flags & PHYS_MAP_RDONLY)
			map->wr[k].count = 0;
	}
}

static uint64_t swap(unsigned int w, uint64_t v)
{
	switch (w) {
	case 2: return __builtin_bswap16((uint16_t)v);
	case 4: return __builtin_bswap32((uint32_t)v);
	case 8: return __builtin_bswap64(v);
	}
	return v;
}

/* Full checks, each failure explained. */
int phys_check_access(struct phys_map *map, uint64_t off, unsigned int width, bool write)
{
	if (off >= map->size || map->size - off < width)
		return phys_err(map->ctx, -ERANGE,
				"offset 0x%llx + %u bytes is outside %s (size 0x%llx)",
				(unsigned long long)off, width, map->name,
				(unsigned long long)map->size);
	if (phys_map_align_addr(map, off) & (width - 1))
		return phys_err(map->ctx, -EINVAL,
				"%u-bit access at 0x%llx (%s+0x%llx) is not %u-byte aligned",
				width * 8, (unsigned long long)(map->phys + off), map->name,
				(unsigned long long)off, width);
	if (write && (map->flags & PHYS_MAP_RDONLY))
		return phys_err(map->ctx, -EACCES, "%s is mapped read-only", map->name);
	return 0;
}

/* Register handles (libphys.h): every check once, here. */
PHYS_EXPORT int phys_priv_reg_init(struct phys_map *map, uint64_t off, unsigned int width,
				   void *reg, const struct phys_priv_extable_entry *table,
				   const struct phys_priv_extable_entry *table_end)
{
	volatile uint8_t *p;
	int r;

	/* A handle whose init failed points at NULL: using it anyway faults
	 * into phys_priv_reg_fault(), which says -EINVAL. */
	_Static_assert(sizeof(struct phys_reg8) == sizeof(struct phys_reg64) &&
		       sizeof(struct phys_reg16) == sizeof(struct phys_reg64) &&
		       sizeof(struct phys_reg32) == sizeof(struct phys_reg64),
		       "register handles share one layout");
	if (reg)
		memset(reg, 0, sizeof(struct phys_reg64));
	if (!map || !reg)
		return -EINVAL;
	r = extable_register(map->ctx, table, table_end);
	if (r)
		return r;
	if (width != 1 && width != 2 && width != 4 && width != 8)
		return phys_err(map->ctx, -EINVAL, "access width %u: use 1, 2, 4 or 8 bytes", width);
	r = phys_check_access(map, off, width, false);
	if (r)
		return r;
	if (map->flags & PHYS_MAP_BIG_ENDIAN)
		return phys_err(map->ctx, -EOPNOTSUPP,
				"register handles are native-endian and %s is mapped big-endian: "
				"use phys_read%u()/phys_write%u()", map->name, width * 8, width * 8);
	if (width == 8 && (map->flags & PHYS_MAP_SPLIT64))
		return phys_err(map->ctx, -EOPNOTSUPP,
				"%s is mapped with split 64-bit accesses: use phys_read64()/"
				"phys_write64(), or a phys_reg32 for each half", map->name);
	/* Not a transparent fallback: a handle promises one instruction,
	 * and a system call per access would break that silently. */
	if (!map->base)
		return phys_err(map->ctx, -EOPNOTSUPP,
				"register handles need a mapping, and %s has none (%s): it is "
				"reached through pread/pwrite, so use phys_read%u()/phys_write%u()",
				map->name, map->unmapped_why, width * 8, width * 8);
	p = map->base + off;
	switch (width) {
	case 1: *(struct phys_reg8 *)reg = (struct phys_reg8){ (volatile uint8_t *)p, map, off }; break;
	case 2: *(struct phys_reg16 *)reg = (struct phys_reg16){ (volatile uint16_t *)p, map, off }; break;
	case 4: *(struct phys_reg32 *)reg = (struct phys_reg32){ (volatile uint32_t *)p, map, off }; break;
	default: *(struct phys_reg64 *)reg = (struct phys_reg64){ (volatile uint64_t *)p, map, off }; break;
	}
	return 0;
}

/* Where a handle's access resumes after a fault (the exception table). */
PHYS_EXPORT __attribute__((cold)) int phys_priv_reg_fault(struct phys_map *map, uint64_t off,
							  unsigned int width, bool write)
{
	if (!map)
		return -EINVAL;
	if (write && (map->flags & PHYS_MAP_RDONLY))
		return phys_err(map->ctx, -EACCES, "%s is mapped read-only", map->name);
	return phys_fault_err(map, off, width, write);
}

/* One access in device byte order: the mapping's, or the backend's for a
 * map without one. */
static int raw_read(struct phys_map *map, uint64_t off, unsigned int width, uint64_t *val)
{
	if (PHYS_UNLIKELY(!map->base))
		return map->backend->read(map, off, width, val);
	if (phys_raw_read(map->base + off, width, val))
		return phys_fault_err(map, off, width, false);
	return 0;
}

static int raw_write(struct phys_map *map, uint64_t off, unsigned int width, uint64_t val)
{
	if (PHYS_UNLIKELY(!map->base))
		return map->backend->write(map, off, width, val);
	if (phys_raw_write(map->base + off, width, val))
		return phys_fault_err(map, off, width, true);
	return 0;
}

/*
 * 64-bit with PHYS_MAP_SPLIT64: two 32-bit accesses, the half holding the
 * low-order bits first (at OFF on a little-endian device, at OFF+4 on a
 * big-endian one), for devices whose bus cannot do one 64-bit access.
 */
static int read64_split(struct phys_map *map, uint64_t off, uint64_t *val)
{
	bool be = map->flags & PHYS_MAP_BIG_ENDIAN;
	uint64_t lo_off = be ? off + 4 : off, hi_off = be ? off : off + 4;
	uint64_t lo, hi;
	int r;

	r = raw_read(map, lo_off, 4, &lo);
	if (!r)
		r = raw_read(map, hi_off, 4, &hi);
	if (r)
		return r;
	if (be) {
		lo = __builtin_bswap32((uint32_t)lo);
		hi = __builtin_bswap32((uint32_t)hi);
	}
	*val = hi << 32 | lo;
	return 0;
}

static int write64_split(struct phys_map *map, uint64_t off, uint64_t val)
{
	bool be = map->flags & PHYS_MAP_BIG_ENDIAN;
	uint64_t lo_off = be ? off + 4 : off, hi_off = be ? off : off + 4;
	uint32_t lo = (uint32_t)val, hi = (uint32_t)(val >> 32);
	int r;

	if (be) {
		lo = __builtin_bswap32(lo);
		hi = __builtin_bswap32(hi);
	}
	r = raw_write(map, lo_off, 4, lo);
	return r ? r : raw_write(map, hi_off, 4, hi);
}

/* One access of WIDTH at OFF whose range the caller checked; honours
 * big-endian and split64. Shared by the slow paths and the bulk ops. */
int phys_elem_read(struct phys_map *map, uint64_t off, unsigned int width, uint64_t *val)
{
	int r;

	if (width == 8 && (map->flags & PHYS_MAP_SPLIT64))
		return read64_split(map, off, val);
	r = raw_read(map, off, width, val);
	if (r)
		return r;
	if (map->flags & PHYS_MAP_BIG_ENDIAN)
		*val = swap(width, *val);
	return 0;
}

int phys_elem_write(struct phys_map *map, uint64_t off, unsigned int width, uint64_t val)
{
	if (width == 8 && (map->flags & PHYS_MAP_SPLIT64))
		return write64_split(map, off, val);
	if (map->flags & PHYS_MAP_BIG_ENDIAN)
		val = swap(width, val);
	return raw_write(map, off, width, val);
}

/* Slow paths: errors, big-endian, split64, maps without a mapping. */
static int phys_slow_read(struct phys_map *map, uint64_t off, unsigned int width, uint64_t *val)
{
	int r;

	if (!map)
		return -EINVAL;
	r = phys_check_access(map, off, width, false);
	return r ? r : phys_elem_read(map, off, width, val);
}

static int phys_slow_write(struct phys_map *map, uint64_t off, unsigned int width, uint64_t val)
{
	int r;

	if (!map)
		return -EINVAL;
	r = phys_check_access(map, off, width, true);
	return r ? r : phys_elem_write(map, off, width, val);
}

__attribute__((cold, noinline))
static int slow_read_cold(struct phys_map *map, uint64_t off, unsigned int width, uint64_t *val)
{
	return phys_slow_read(map, off, width, val);
}

__attribute__((cold, noinline))
static int slow_write_cold(struct phys_map *map, uint64_t off, unsigned int width, uint64_t val)
{
	return phys_slow_write(map, off, width, val);
}

/*
 * The hot path: one compare admits the access (see struct phys_fast),
 * then the single mov. Everything else is in the cold functions above.
 * MAP must be a map from phys_map_open() (NULL is tolerated, slowly).
 */
#define DEFINE_ACCESSORS(k, bits, type)					\
__attribute__((cold, noinline))						\
static int slow_read##bits(struct phys_map *map, uint64_t off, type *val) \
{									\
	uint64_t v64;							\
	int r = slow_read_cold(map, off, bits / 8, &v64);		\
	if (!r)								\
		*val = (type)v64;					\
	return r;							\
}									\
PHYS_EXPORT int phys_read##bits(struct phys_map *map, uint64_t off, type *val) \
{									\
	type v;								\
	if (PHYS_UNLIKELY(!map || ror64(off - map->rd[k].first, k) >= map->rd[k].count)) \
		return slow_read##bits(map, off, val);			\
	if (PHYS_UNLIKELY(phys_raw_read##bits(map->base + off, &v)))	\
		return phys_fault_err(map, off, bits / 8, false);	\
	*val = v;							\
	return 0;							\
}									\
PHYS_EXPORT int phys_write##bits(struct phys_map *map, uint64_t off, type val) \
{									\
	if (PHYS_UNLIKELY(!map || ror64(off - map->wr[k].first, k) >= map->wr[k].count)) \
		return slow_write_cold(map, off, bits / 8, val);	\
	if (PHYS_UNLIKELY(phys_raw_write##bits(map->base + off, val)))	\
		return phys_fault_err(map, off, bits / 8, true);	\
	return 0;							\
}

DEFINE_ACCESSORS(0, 8, uint8_t)
DEFINE_ACCESSORS(1, 16, uint16_t)
DEFINE_ACCESSORS(2, 32, uint32_t)
DEFINE_ACCESSORS(3, 64, uint64_t)

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
