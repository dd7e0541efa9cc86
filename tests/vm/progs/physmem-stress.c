// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * physmem-stress: a seeded, reproducible stress of /dev/physmem, with raw
 * syscalls and the uAPI header only (no libphys).
 *
 * It owns ivshmem BAR2 bytes 0x100000-0x1fffff ("the stress region"). It
 * fills the region with a known pattern, then a controller process adds,
 * replaces and removes windows (rw windows over the "allowed" bytes, ro
 * windows over the others, sub-page neighbours sharing a page, windows on
 * the second edu device, which it removes and rescans), while worker
 * processes and threads do random operations with boundary values:
 * mmap/munmap/mremap/mprotect, fork with live mappings, pread/pwrite,
 * /proc/self/mem, LIST/INFO and malformed ioctls.
 *
 * The pattern bytes outside the allowed set are the canary: no window ever
 * lets them be written, so they must hold the pattern at the end (checked
 * here and, authoritatively, by the host on the backing file). Writes only
 * target allowed bytes, except deliberate attempts the driver must refuse;
 * an attempt that succeeds is a violation, and it is carried out so that
 * the canary shows it too.
 *
 * Every syscall either succeeds or fails with an errno from the set listed
 * for its operation. Violations print "VIOLATION" with the worker, its
 * seed, the operation number, op and arguments. Worker i is seeded from
 * --seed + i: its sequence of op kinds is the same in every run; the
 * arguments come from the same random stream, but some are aimed at the
 * windows LIST showed at the time, so they follow the interleaving, which
 * is not reproducible.
 *
 * Exit status: 0 all ops done and no violation, 1 violations, 2 usage or
 * setup failure, 3 the deadline stopped the run before all ops were done.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/physmem.h>

#include "../../host/progs/prog-util.h"
#include "raw-window.h"

/* ---- layout of the stress region (offsets inside it) ---- */

#define REGION_OFF	0x100000ULL	/* in ivshmem BAR2 */
#define REGION_SIZE	0x100000ULL
#define PG		0x1000ULL

/*
 * The allowed bytes: only these may ever be in an rw window. Everything
 * else in the region is canary. Keep in sync with the host check in
 * tests/vm/host/driver-stress.bats.
 */
static const struct { uint64_t lo, hi; } allowed[] = {
	{ 0x00000, 0x40000 },	/* general rw area */
	{ 0x40000, 0x40800 },	/* page 0x40000: rw half, ro half after */
	{ 0x41800, 0x42000 },	/* page 0x41000: ro half, rw half after */
	{ 0x42100, 0x42104 },	/* page 0x42000: 4-byte rw/ro/rw/ro */
	{ 0x42108, 0x4210c },
	{ 0x43003, 0x43038 },	/* page 0x43000: odd rw, then odd ro */
};
#define NALLOWED (sizeof(allowed) / sizeof(allowed[0]))

/* The canary pattern at region offset o (the host computes the same). */
static uint8_t pat(uint64_t o)
{
	return (uint8_t)(o * 7 + (o >> 8) * 13 + (o >> 16) * 29 + 0xa5);
}

/* ---- run parameters and shared state ---- */

#define NPROC_DEFAULT	3
#define NTHR_DEFAULT	2
#define MAXW		16

enum op {
	OP_PREAD, OP_PWRITE, OP_MMAP, OP_TOUCH, OP_MUNMAP, OP_MPROTECT,
	OP_MREMAP, OP_FORK, OP_LIST, OP_INFO, OP_BADIOCTL, OP_PROCMEM,
	NOPS
};
static const char *const op_names[NOPS] = {
	"pread", "pwrite", "mmap", "touch", "munmap", "mprotect", "mremap",
	"fork", "list", "info", "badioctl", "procmem",
};
static const unsigned int op_weight[NOPS] = {
	20, 18, 14, 16, 6, 6, 5, 1, 5, 2, 3, 4,
};

struct wstats {
	uint64_t ops, by_op[NOPS], ok[NOPS], sigbus, sigsegv, violations;
	uint64_t canary_hits;		/* writes granted over canary bytes */
	int done;
};

struct cstats {
	uint64_t adds, removes, replaces, edu2_removes, edu2_rescans;
	uint64_t ok, failed, violations, actions;
	uint64_t memtype;	/* ENOMEM: cache-mode conflicts (wc vs uc) */
};

struct shared {
	_Atomic uint64_t edu2_base;	/* 0 while edu2 is removed */
	_Atomic uint64_t edu2_last;	/* where it was last */
	_Atomic int stop;		/* workers finished or deadline */
	_Atomic int deadline_hit;
	struct cstats c;
	struct wstats w[MAXW];
};

static struct shared *sh;
static uint64_t seed = 1;
static unsigned long total_ops = 100000;
static unsigned int nproc = NPROC_DEFAULT, nthr = NTHR_DEFAULT;
static double deadline_s = 240;
static double t_start;
static const char *shm_bdf = "0000:00:06.0", *edu2_bdf = "0000:00:05.0";
static uint64_t shm_base;	/* ivshmem BAR2 physical start */
static uint64_t S;		/* the stress region's physical start */
static int verbose;
static const char *skip_list = "";	/* --skip: template names left out */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One line, one write(): lines from processes and threads do not mix. */
static void say(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDOUT_FILENO, line, (size_t)n) < 0)
		return;
}

static void die(const char *what)
{
	say("physmem-stress: %s: %s (%s)", what, strerrorname_np(errno),
	    strerror(errno));
	exit(2);
}

/* ---- randomness (xorshift64*: the same sequence everywhere) ---- */

struct rng { uint64_t s; };

static uint64_t rnd(struct rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static void rng_seed(struct rng *r, uint64_t s)
{
	r->s = s * 0x9E3779B97F4A7C15ULL + 0x1234567;
	if (!r->s)
		r->s = 1;
	for (int i = 0; i < 8; i++)
		rnd(r);
}

static uint64_t rn(struct rng *r, uint64_t n)
{
	return n ? rnd(r) % n : 0;
}

static bool chance(struct rng *r, unsigned int pct)
{
	return rn(r, 100) < pct;
}

/* ---- the byte classes ---- */

/* Is [lo, hi) (physical) entirely inside one allowed interval? */
static bool all_allowed(uint64_t lo, uint64_t hi)
{
	if (lo < S || hi > S + REGION_SIZE || lo >= hi)
		return false;
	for (size_t i = 0; i < NALLOWED; i++)
		if (lo >= S + allowed[i].lo && hi <= S + allowed[i].hi)
			return true;
	return false;
}

/* The first canary byte in [lo, hi) (physical), or UINT64_MAX. */
static uint64_t first_canary(uint64_t lo, uint64_t hi)
{
	uint64_t cur;

	if (hi <= S || lo >= S + REGION_SIZE || lo >= hi)
		return UINT64_MAX;
	cur = lo < S ? S : lo;
	if (hi > S + REGION_SIZE)
		hi = S + REGION_SIZE;
	while (cur < hi) {
		bool moved = false;

		for (size_t i = 0; i < NALLOWED; i++) {
			if (cur >= S + allowed[i].lo && cur < S + allowed[i].hi) {
				cur = S + allowed[i].hi;
				moved = true;
				break;
			}
		}
		if (!moved)
			return cur;
	}
	return UINT64_MAX;
}

/* Does [lo, hi) touch ivshmem BAR2 bytes of the other suites? */
static bool touches_others(uint64_t lo, uint64_t hi)
{
	return lo < S && hi > shm_base && lo < hi;
}

/* Does [lo, hi) lie in edu2's liveness register (harmless to write)? */
static bool edu2_liveness(uint64_t lo, uint64_t hi)
{
	uint64_t e = atomic_load(&sh->edu2_base);

	return e && lo >= e + 4 && hi <= e + 8 && lo < hi;
}

/* ---- sysfs ---- */

static uint64_t bar_start(const char *bdf, int bar)
{
	char path[128], line[256];
	unsigned long long start = 0, end, flags;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "re");
	if (!f)
		return 0;
	for (i = 0; i <= bar && fgets(line, sizeof(line), f); i++)
		if (i == bar && sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3)
			start = 0;
	fclose(f);
	return start;
}

static int sysfs_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -1 : 0;
}

static bool edu2_present(void)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", edu2_bdf);
	return access(path, F_OK) == 0;
}

static int edu2_remove(void)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", edu2_bdf);
	return sysfs_write(path, "1");
}

static int pci_rescan(void)
{
	return sysfs_write("/sys/bus/pci/rescan", "1");
}

/* ---- windows ---- */

/* Zeroed, NUL-padded name: what both interface versions want. */
static void win_init(struct physmem_window *w, const char *name)
{
	memset(w, 0, sizeof(*w));
	memcpy(w->name, name, strnlen(name, sizeof(w->name) - 1));
}

static void win_pci(struct physmem_window *w, const char *name,
		    const char *bdf, int bar, uint64_t off, uint64_t size,
		    uint32_t flags)
{
	win_init(w, name);
	w->source = PHYSMEM_SRC_PCI;
	parse_bdf(bdf, &w->src.pci);
	w->src.pci.bar = (uint8_t)bar;
	w->offset = off;
	w->size = size;
	w->flags = flags;
}

static void win_range(struct physmem_window *w, const char *name,
		      uint64_t base, uint64_t size, uint32_t flags)
{
	win_init(w, name);
	w->source = PHYSMEM_SRC_RANGE;
	w->base = base;
	w->size = size;
	w->flags = flags;
}

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static int replace_empty(int fd)
{
	struct physmem_window_array arr;

	memset(&arr, 0, sizeof(arr));
	return xioctl(fd, PHYSMEM_IOC_REPLACE, &arr);
}

#define SNAP_MAX 64

/* LIST into w[cap]; returns the count or -errno. */
static int list_windows(int fd, struct physmem_window *w, uint32_t cap)
{
	struct physmem_window_array arr;
	int err;

	memset(&arr, 0, sizeof(arr));
	memset(w, 0, cap * sizeof(*w));
	arr.count = cap;
	arr.windows = (uintptr_t)w;
	err = xioctl(fd, PHYSMEM_IOC_LIST, &arr);
	if (err)
		return -err;
	return (int)(arr.count < cap ? arr.count : cap);
}

/* ---- errno sets ---- */

/*
 * A set of the errnos the driver may give, one bit each in the order of
 * this table: a 64-bit word on every architecture (errno numbers go up to
 * 133, and 32-bit ARM has no __int128). An errno the table lacks is in no
 * set; naming one in a set is this program's bug, refused at once.
 */
typedef uint64_t eset;

static const int eset_errnos[] = {
	EPERM, ENOENT, EIO, E2BIG, EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY,
	EEXIST, ENODEV, EINVAL, ENOTTY, EOVERFLOW,
};

static eset errno_bit(int err)
{
	for (size_t i = 0; i < sizeof(eset_errnos) / sizeof(eset_errnos[0]); i++)
		if (eset_errnos[i] == err)
			return (eset)1 << i;
	return 0;
}

static eset E(int err)
{
	eset bit = errno_bit(err);

	if (!bit) {
		fprintf(stderr, "physmem-stress: errno %d is not in eset_errnos\n", err);
		abort();
	}
	return bit;
}

static bool errno_in(int err, eset set)
{
	return (set & errno_bit(err)) != 0;
}

/* ---- the window catalog, for the controller ---- */

enum tkind { T_SHM, T_EDU2, T_BAD };

struct tmpl {
	char name[PHYSMEM_NAME_MAX];
	enum tkind kind;
	bool dynamic;			/* geometry chosen at each add */
	bool rw;
	struct physmem_window def;	/* as sent (edu2 ranges: filled at send) */
	uint64_t lo, hi;		/* expected physical range, [lo, hi) */
	bool exact;			/* lo/hi is exactly what LIST reports */
	eset bad_errs;		/* T_BAD: the errnos it may fail with */
	/* model */
	bool present, gone;
};

#define NT_MAX 48
static struct tmpl T[NT_MAX];
static int nt;

static struct tmpl *t_new(const char *name, enum tkind kind)
{
	struct tmpl *t = &T[nt++];

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->kind = kind;
	t->exact = true;
	return t;
}

/* An ivshmem window at region offset off, size n. */
static void t_shm(const char *name, bool pci, uint64_t off, uint64_t n,
		  uint32_t flags)
{
	struct tmpl *t = t_new(name, T_SHM);

	if (pci)
		win_pci(&t->def, name, shm_bdf, 2, REGION_OFF + off, n, flags);
	else
		win_range(&t->def, name, S + off, n, flags);
	t->rw = flags & PHYSMEM_WIN_RW;
	t->lo = S + off;
	t->hi = S + off + n;
}

static void t_edu2(const char *name, int how, uint64_t off, uint64_t n,
		   uint32_t flags)
{
	struct tmpl *t = t_new(name, T_EDU2);

	t->rw = flags & PHYSMEM_WIN_RW;
	t->exact = false;
	if (how == 0) {
		win_pci(&t->def, name, edu2_bdf, 0, off, n, flags);
	} else if (how == 1) {
		win_range(&t->def, name, 0, n, flags);
		t->def.offset = 0;
		t->lo = off;	/* offset from the BAR, resolved at send */
	} else {
		/*
		 * Interface 1 resolves the label (offset/size inside it);
		 * interface 2 takes base/size from the caller, who found the
		 * label in /proc/iomem. Both are given: the same range.
		 */
		win_init(&t->def, name);
		t->def.source = PHYSMEM_SRC_IOMEM;
		snprintf(t->def.src.iomem.label, sizeof(t->def.src.iomem.label),
			 "%s", edu2_bdf);
		t->def.flags = flags;
		t->def.size = n;
		t->lo = off;	/* offset from the BAR, resolved at send */
	}
	t->hi = n;	/* size; 0 = the BAR */
}

static void t_bad(const char *name, eset errs)
{
	struct tmpl *t = t_new(name, T_BAD);

	t->bad_errs = errs;
}

static void catalog(void)
{
	struct tmpl *t;
	int i;

	/* Dynamic rw windows in the general area: geometry per add. */
	for (i = 0; i < 6; i++) {
		char name[16];

		snprintf(name, sizeof(name), "g%d", i);
		t = t_new(name, T_SHM);
		t->dynamic = true;
		t->rw = true;
	}
	/* A read-only window over the general area too. */
	t_shm("gro", true, 0x38000, 0x8000, 0);
	/* Sub-page neighbours. */
	t_shm("sp1rw", true, 0x40000, 0x800, PHYSMEM_WIN_RW);
	t_shm("sp1ro", true, 0x40800, 0x800, 0);
	t_shm("sp1page", true, 0x40000, 0x1000, 0);
	t_shm("sp2ro", false, 0x41000, 0x800, 0);
	t_shm("sp2rw", true, 0x41800, 0x800, PHYSMEM_WIN_RW);
	t_shm("sp3rw1", true, 0x42100, 4, PHYSMEM_WIN_RW);
	t_shm("sp3ro1", true, 0x42104, 4, 0);
	t_shm("sp3rw2", false, 0x42108, 4, PHYSMEM_WIN_RW);
	t_shm("sp3ro2", true, 0x4210c, 4, 0);
	t_shm("sp4rw", true, 0x43003, 0x35, PHYSMEM_WIN_RW);
	t_shm("sp4ro", true, 0x43038, 0x101, 0);
	/* Read-only windows over the canary. */
	t_shm("can1", true, 0x44000, 0x3c000, 0);
	t_shm("can2", false, 0x80000, 0x80000, 0);
	t_shm("can3", true, 0x9f001, 0x1fff, 0);
	/* Write-combining only for windows of whole pages (the driver's rule). */
	t_shm("can4", true, 0x50000, 0x2000, PHYSMEM_WIN_WC);
	t_shm("canall", true, 0, REGION_SIZE, 0);
	t_shm("canend", true, REGION_SIZE - 3, 3, 0);
#ifdef PHYSMEM_WIN_PAGES
	/* Interface v2: whole pages on request (rw only inside the general area). */
	/* Reported rounded out to their pages. */
	t_shm("pg1", true, 0x20010, 0x20, PHYSMEM_WIN_RW | PHYSMEM_WIN_PAGES);
	T[nt - 1].lo = S + 0x20000;
	T[nt - 1].hi = S + 0x21000;
	t_shm("pg2", true, 0x40900, 0x10, PHYSMEM_WIN_PAGES);
	T[nt - 1].lo = S + 0x40000;
	T[nt - 1].hi = S + 0x41000;
	t_shm("pg3", false, 0x4f001, 0x1ffe, PHYSMEM_WIN_PAGES);
	T[nt - 1].lo = S + 0x4f000;
	T[nt - 1].hi = S + 0x51000;
#endif
	/* The second edu: the whole BAR, its registers, ranges, iomem. */
	t_edu2("e2pci", 0, 0, 0, 0);
	t_edu2("e2regs", 0, 0, 0x10, PHYSMEM_WIN_RW);
	t_edu2("e2rng", 1, 0, 0x1000, 0);
	t_edu2("e2live", 1, 4, 4, PHYSMEM_WIN_RW);
	t_edu2("e2iomem", 2, 0, 0x1000, 0);
	/* Must always be refused. */
	t_bad("bsize0", E(EINVAL));
	t_bad("bwrap", E(EINVAL));
	t_bad("9name", E(EINVAL));
	t_bad("bflags", E(EINVAL));
	t_bad("bresv", E(EINVAL));
	t_bad("bnonul", E(EINVAL));
	t_bad("bbar6", E(EINVAL) | E(ENODEV));
	t_bad("boffs", E(EINVAL));
	t_bad("bram", E(EPERM) | E(EINVAL));
	t_bad("bwc", E(EINVAL));

	/* --skip a,b,c: leave those out (to tell one finding from another). */
	int k = 0;
	for (i = 0; i < nt; i++) {
		char pat_[48];
		char list[512];

		snprintf(pat_, sizeof(pat_), ",%.31s,", T[i].name);
		snprintf(list, sizeof(list), ",%s,", skip_list);
		if (T[i].kind != T_BAD && strstr(list, pat_))
			continue;
		T[k++] = T[i];
	}
	nt = k;
}

static bool t_range(struct tmpl *t, uint64_t *lo, uint64_t *hi);

/*
 * Build what to send for template t (rng for dynamic geometry, which is
 * only the template's once the driver took it: see t_commit). *lo, *hi:
 * where it should land; false if that is not known.
 */
static bool t_build(struct tmpl *t, struct rng *r, struct physmem_window *w,
		    uint64_t *lo, uint64_t *hi)
{
	uint64_t e;

	*lo = *hi = 0;
	switch (t->kind) {
	case T_SHM:
		if (t->dynamic) {
			uint64_t off, n;

			if (chance(r, 50)) {	/* page-aligned */
				off = rn(r, 0x3f) * PG;
				n = (1 + rn(r, (0x40000 - off) / PG < 8 ?
					     (0x40000 - off) / PG : 8)) * PG;
			} else {		/* odd */
				off = rn(r, 0x3ff00);
				n = 1 + rn(r, 0x40000 - off < 0x3000 ?
					    0x40000 - off : 0x3000);
			}
			if (chance(r, 70))
				win_pci(w, t->name, shm_bdf, 2,
					REGION_OFF + off, n, PHYSMEM_WIN_RW);
			else
				win_range(w, t->name, S + off, n,
					  PHYSMEM_WIN_RW);
			*lo = S + off;
			*hi = S + off + n;
			return true;
		}
		*w = t->def;
		return t_range(t, lo, hi);
	case T_EDU2:
		e = atomic_load(&sh->edu2_base);
		*w = t->def;
		if (w->source != PHYSMEM_SRC_PCI) {
			/* While edu2 is away: where it was. */
			if (!e)
				e = atomic_load(&sh->edu2_last);
			w->base = e + t->lo;
		}
		return t_range(t, lo, hi);
	case T_BAD:
		break;
	}
	/* T_BAD */
	win_pci(w, t->name, shm_bdf, 2, REGION_OFF, 0x1000, 0);
	if (!strcmp(t->name, "bsize0")) {
		win_range(w, t->name, S, 0, 0);
	} else if (!strcmp(t->name, "bwrap")) {
		win_range(w, t->name, 0xfffffffffffff000ULL, 0x2000, 0);
	} else if (!strcmp(t->name, "bflags")) {
		w->flags = 0x80;
	} else if (!strcmp(t->name, "bresv")) {
		/* the reserved word, or a byte of the padding after dma_bits */
		if (rn(r, 2))
			w->__reserved[rn(r, sizeof(w->__reserved) / sizeof(w->__reserved[0]))] =
				1ULL << rn(r, 64);
		else
			w->__pad[rn(r, sizeof(w->__pad))] = (uint8_t)(1U << rn(r, 8));
	} else if (!strcmp(t->name, "bnonul")) {
		memset(w->name, 'a', sizeof(w->name));
	} else if (!strcmp(t->name, "bbar6")) {
		w->src.pci.bar = 6;
	} else if (!strcmp(t->name, "boffs")) {
		w->offset = 0x200000;	/* BAR2 is 2 MiB */
	} else if (!strcmp(t->name, "bram")) {
		win_range(w, t->name, 0x100000, 0x1000, PHYSMEM_WIN_RW);
	} else if (!strcmp(t->name, "bwc")) {
		win_range(w, t->name, S, 0x1000, PHYSMEM_WIN_WC);
	}
	/* "9name": the name itself */
	return false;
}

/* The driver took what t_build made: it is the template's now. */
static void t_commit(struct tmpl *t, const struct physmem_window *w,
		     uint64_t lo, uint64_t hi)
{
	if (t->dynamic) {
		t->def = *w;
		t->lo = lo;
		t->hi = hi;
	}
	t->present = true;
	t->gone = false;
}

static bool ranges_overlap(uint64_t alo, uint64_t ahi, uint64_t blo,
			   uint64_t bhi)
{
	return alo < bhi && blo < ahi;
}

/* ---- the controller ---- */

static struct cstats *cs;

static void cviolation(uint64_t n, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cs->violations++ >= 30) {
		if (cs->violations == 31)
			say("physmem-stress: controller: more violations, not shown");
		return;
	}
	say("physmem-stress: VIOLATION controller seed %" PRIu64
	    " action #%" PRIu64 ": %s", seed + 1000, n, msg);
}

/* Physical [lo, hi) of a template as it would resolve now. */
static bool t_range(struct tmpl *t, uint64_t *lo, uint64_t *hi)
{
	uint64_t e, size;

	if (t->kind == T_SHM) {
		*lo = t->lo;
		*hi = t->hi;
		return true;
	}
	if (t->kind != T_EDU2)
		return false;
	e = atomic_load(&sh->edu2_base);
	if (t->def.source != PHYSMEM_SRC_PCI) {
		if (!e)
			e = atomic_load(&sh->edu2_last);
		*lo = e + t->lo;
		*hi = *lo + t->hi;
		return true;
	}
	if (!e)
		return false;
	size = t->hi ? t->hi : 0x100000;
	*lo = e + t->def.offset;
	*hi = *lo + size;
	return true;
}

/* Compare the driver's table with the model. */
static void c_verify(int fd, uint64_t n, const char *after)
{
	struct physmem_window w[SNAP_MAX];
	int cnt = list_windows(fd, w, SNAP_MAX), i, j, want = 0;

	if (cnt < 0) {
		cviolation(n, "LIST after %s: %s", after, strerrorname_np(-cnt));
		return;
	}
	for (j = 0; j < nt; j++)
		want += T[j].present;
	if (cnt != want)
		cviolation(n, "after %s: LIST has %d windows, expected %d",
			   after, cnt, want);
	for (i = 0; i < cnt; i++) {
		struct tmpl *t = NULL;

		for (j = 0; j < nt; j++)
			if (!strncmp(T[j].name, w[i].name, PHYSMEM_NAME_MAX))
				t = &T[j];
		if (!t || !t->present) {
			cviolation(n, "after %s: unexpected window '%.31s' in LIST",
				   after, w[i].name);
			continue;
		}
		if (!!(w[i].flags & PHYSMEM_WIN_RW) != t->rw)
			cviolation(n, "after %s: window %s has rw=%d", after,
				   t->name, !!(w[i].flags & PHYSMEM_WIN_RW));
		if (t->kind == T_SHM && t->exact &&
		    (w[i].base != t->lo || w[i].size != t->hi - t->lo))
			cviolation(n, "after %s: window %s at 0x%llx+0x%llx, expected 0x%" PRIx64 "+0x%" PRIx64,
				   after, t->name, (unsigned long long)w[i].base,
				   (unsigned long long)w[i].size, t->lo, t->hi - t->lo);
	}
}

/* Expected errnos of a refused ADD/REPLACE of template t. */
static eset t_errs(struct tmpl *t)
{
	if (t->kind == T_BAD)
		return t->bad_errs;
	/* edu2: away (ENODEV), its BAR moved under a claim (EBUSY). */
	if (t->kind == T_EDU2)
		return E(EEXIST) | E(EBUSY) | E(ENODEV) | E(EINVAL);
	return E(EEXIST) | E(EBUSY);
}

/* Is the template a write-combining one (cache-mode conflicts, see below)? */
static bool t_wc(const struct physmem_window *w)
{
	return w->flags & PHYSMEM_WIN_WC;
}

static void c_add_t(int fd, struct rng *r, uint64_t n, struct tmpl *t)
{
	struct physmem_window w;
	uint64_t lo, hi, plo, phi;
	bool known, conflict = false, wc;
	int err, j;

	known = t_build(t, r, &w, &lo, &hi);
	wc = t_wc(&w);
	for (j = 0; j < nt; j++)
		wc |= T[j].present && t_wc(&T[j].def);
	err = xioctl(fd, PHYSMEM_IOC_ADD, &w);
	cs->adds++;
	if (t->kind == T_BAD) {
		if (!err) {
			cviolation(n, "ADD of malformed window %s succeeded", t->name);
			/* Take it out again, whatever its name came out as. */
			struct physmem_name nm;

			memset(&nm, 0, sizeof(nm));
			memcpy(nm.name, w.name, sizeof(nm.name) - 1);
			xioctl(fd, PHYSMEM_IOC_REMOVE, &nm);
		} else if (!errno_in(err, t->bad_errs)) {
			cviolation(n, "ADD %s: unexpected %s", t->name,
				   strerrorname_np(err));
		}
		cs->failed++;
		return;
	}
	for (j = 0; j < nt; j++) {
		if (!T[j].present || &T[j] == t || T[j].gone)
			continue;
		if (!known || !t_range(&T[j], &plo, &phi) ||
		    ranges_overlap(lo, hi, plo, phi))
			conflict = true;
	}
	if (t->present)
		conflict = true;	/* same name */
	if (!err) {
		cs->ok++;
		if (t->present)
			cviolation(n, "ADD %s succeeded but a window of that name exists",
				   t->name);
		for (j = 0; j < nt && t->kind == T_SHM; j++)
			if (T[j].present && &T[j] != t && !T[j].gone &&
			    T[j].kind == T_SHM && t_range(&T[j], &plo, &phi) &&
			    ranges_overlap(lo, hi, plo, phi))
				cviolation(n, "ADD %s [0x%" PRIx64 ",0x%" PRIx64 ") succeeded over %s [0x%" PRIx64 ",0x%" PRIx64 ")",
					   t->name, lo, hi, T[j].name, plo, phi);
		t_commit(t, &w, lo, hi);
	} else if (err == ENOMEM && wc) {
		/*
		 * A cache-mode conflict: x86 PAT refuses to ioremap a page wc
		 * while it is ioremapped uc (or the other way round), and the
		 * driver maps new windows before it unmaps the old ones.
		 */
		cs->failed++;
		cs->memtype++;
	} else {
		cs->failed++;
		if (!errno_in(err, t_errs(t)) ||
		    (err == EEXIST && !conflict && t->kind == T_SHM))
			cviolation(n, "ADD %s [0x%" PRIx64 ",0x%" PRIx64 ") rw=%d: unexpected %s",
				   t->name, lo, hi, t->rw, strerrorname_np(err));
	}
	c_verify(fd, n, "ADD");
}

static void c_add(int fd, struct rng *r, uint64_t n)
{
	c_add_t(fd, r, n, &T[rn(r, nt)]);
}

static void c_add_named(int fd, struct rng *r, uint64_t n, const char *name)
{
	for (int j = 0; j < nt; j++)
		if (!strcmp(T[j].name, name))
			c_add_t(fd, r, n, &T[j]);
}

static void c_remove_t(int fd, uint64_t n, struct tmpl *t)
{
	struct physmem_name nm;
	int err;
	memset(&nm, 0, sizeof(nm));
	memcpy(nm.name, t->name, strnlen(t->name, sizeof(nm.name) - 1));
	err = xioctl(fd, PHYSMEM_IOC_REMOVE, &nm);
	cs->removes++;
	if (!err) {
		cs->ok++;
		if (!t->present)
			cviolation(n, "REMOVE %s succeeded, it was not there", t->name);
		t->present = false;
	} else {
		cs->failed++;
		if (err != ENOENT || t->present)
			cviolation(n, "REMOVE %s (present=%d): unexpected %s",
				   t->name, t->present, strerrorname_np(err));
	}
	c_verify(fd, n, "REMOVE");
}

static void c_remove(int fd, struct rng *r, uint64_t n)
{
	struct tmpl *t = &T[rn(r, nt)];

	if (t->kind == T_BAD)
		t = &T[rn(r, 6)];
	c_remove_t(fd, n, t);
}

static void c_remove_named(int fd, uint64_t n, const char *name)
{
	for (int j = 0; j < nt; j++)
		if (!strcmp(T[j].name, name) && T[j].present)
			c_remove_t(fd, n, &T[j]);
}

static void c_replace(int fd, struct rng *r, uint64_t n)
{
	struct physmem_window set[NT_MAX + 1];
	struct tmpl *in[NT_MAX + 1];
	uint64_t lo[NT_MAX + 1], hi[NT_MAX + 1];
	struct physmem_window_array arr;
	int k = 0, j, i, err, mode = (int)rn(r, 20);
	bool expect_fail = false, wc = false;

	/* A random non-overlapping subset, in random order. */
	for (i = 0; i < 12; i++) {
		struct tmpl *t = &T[rn(r, nt)];
		bool ok = t->kind != T_BAD;

		if (t->kind == T_EDU2 && !atomic_load(&sh->edu2_base))
			ok = false;	/* would fail with ENODEV */
		for (j = 0; j < k && ok; j++)
			if (in[j] == t)
				ok = false;
		if (!ok)
			continue;
		if (!t_build(t, r, &set[k], &lo[k], &hi[k]))
			continue;
		for (j = 0; j < k && ok; j++)
			if (ranges_overlap(lo[j], hi[j], lo[k], hi[k]))
				ok = false;
		if (ok)
			in[k++] = t;
	}
	if (mode == 0 && k) {		/* a duplicate name */
		int dup = (int)rn(r, k);

		in[k] = in[dup];
		set[k] = set[dup];
		lo[k] = lo[dup];
		hi[k] = hi[dup];
		k++;
		expect_fail = true;
	} else if (mode == 1) {	/* a malformed window */
		struct tmpl *bad = &T[nt - 1 - rn(r, 10)];

		t_build(bad, r, &set[k], &lo[k], &hi[k]);
		in[k++] = bad;
		expect_fail = true;
	}
	/* wc in the new set or in the old one: see c_add. */
	for (j = 0; j < k; j++)
		wc |= t_wc(&set[j]);
	for (j = 0; j < nt; j++)
		wc |= T[j].present && t_wc(&T[j].def);
	memset(&arr, 0, sizeof(arr));
	arr.count = (uint32_t)k;
	arr.windows = (uintptr_t)set;
	if (mode == 2) {		/* boundary counts */
		arr.count = chance(r, 50) ? PHYSMEM_MAX_WINDOWS + 1 : 0xffffffffU;
		expect_fail = true;
	}
	err = xioctl(fd, PHYSMEM_IOC_REPLACE, &arr);
	cs->replaces++;
	if (!err) {
		cs->ok++;
		if (expect_fail)
			cviolation(n, "REPLACE (mode %d, %d windows) succeeded, expected a refusal",
				   mode, k);
		for (j = 0; j < nt; j++)
			T[j].present = false;
		for (j = 0; j < k; j++)
			t_commit(in[j], &set[j], lo[j], hi[j]);
	} else if (err == ENOMEM && wc) {
		/* A cache-mode conflict: see the report in main(). */
		cs->failed++;
		cs->memtype++;
	} else {
		eset ok_errs = E(EEXIST) | E(EBUSY) | E(EINVAL) | E(EPERM) |
			       E(ENODEV) | E(E2BIG);

		cs->failed++;
		if (!errno_in(err, ok_errs))
			cviolation(n, "REPLACE (mode %d, %d windows): unexpected %s",
				   mode, k, strerrorname_np(err));
		else if (!expect_fail && err != EBUSY && err != ENODEV)
			cviolation(n, "REPLACE of %d non-overlapping windows: %s (failed=%u)",
				   k, strerrorname_np(err), arr.failed);
		if (arr.failed > (uint32_t)k)
			cviolation(n, "REPLACE: failed=%u of %d windows",
				   arr.failed, k);
	}
	c_verify(fd, n, "REPLACE");
}

static void c_add_named(int fd, struct rng *r, uint64_t n, const char *name);
static void c_remove_named(int fd, uint64_t n, const char *name);

static void c_edu2(int fd, struct rng *r, uint64_t n)
{
	int j;

	if (atomic_load(&sh->edu2_base)) {
		/*
		 * Mostly with windows on it: pci ones (revoked by the driver
		 * since interface 1), or range and iomem ones over its BAR
		 * (revoked since interface 2; before, their claims were lost).
		 */
		uint64_t how = rn(r, 3);

		if (how == 1) {
			c_remove_named(fd, n, "e2rng");
			c_remove_named(fd, n, "e2live");
			c_remove_named(fd, n, "e2iomem");
			c_add_named(fd, r, n, chance(r, 50) ? "e2pci" : "e2regs");
		} else if (how == 2) {
			c_remove_named(fd, n, "e2pci");
			c_remove_named(fd, n, "e2regs");
			c_add_named(fd, r, n, chance(r, 50) ? "e2rng" : "e2iomem");
			c_add_named(fd, r, n, "e2live");
		}
		atomic_store(&sh->edu2_base, 0);
		if (edu2_remove())
			cviolation(n, "remove %s: %s", edu2_bdf, strerror(errno));
		cs->edu2_removes++;
		for (j = 0; j < nt; j++)
			if (T[j].kind == T_EDU2 && T[j].present)
				T[j].gone = true;
	} else {
		if (pci_rescan())
			cviolation(n, "pci rescan: %s", strerror(errno));
		cs->edu2_rescans++;
		if (!edu2_present())
			cviolation(n, "%s not back after a rescan", edu2_bdf);
		atomic_store(&sh->edu2_base, bar_start(edu2_bdf, 0));
		if (atomic_load(&sh->edu2_base))
			atomic_store(&sh->edu2_last, atomic_load(&sh->edu2_base));
	}
}

static void controller(void)
{
	struct rng r;
	int fd = open(PHYSMEM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	double next_edu2;
	uint64_t n = 0;

	if (fd < 0)
		die("controller: open");
	cs = &sh->c;
	rng_seed(&r, seed + 1000);
	next_edu2 = now() + 0.5;
	while (!atomic_load(&sh->stop)) {
		uint64_t a = rn(&r, 100);
		struct timespec ts = { 0, (long)(200000 + rn(&r, 1500000)) };

		n++;
		if (now() >= next_edu2) {
			c_edu2(fd, &r, n);
			next_edu2 = now() + 0.3 + (double)rn(&r, 1000) / 1000.0;
		} else if (a < 45) {
			c_add(fd, &r, n);
		} else if (a < 80) {
			c_remove(fd, &r, n);
		} else {
			c_replace(fd, &r, n);
		}
		cs->actions = n;
		nanosleep(&ts, NULL);
	}
	close(fd);
}

/* ---- workers ---- */

#define NMAP 6

struct map {
	uint8_t *addr;
	size_t len;
	uint64_t phys;
	int prot;
	bool live;
};

struct worker {
	int id;
	uint64_t wseed;
	struct rng r;		/* arguments: may follow the live table */
	struct rng opr;		/* which op: the same sequence every run */
	int fd, memfd;
	struct wstats *st;
	uint64_t opn;
	const char *opname;
	char args[256];
	struct physmem_window snap[SNAP_MAX];
	int nsnap;
	struct map maps[NMAP];
	uint8_t buf[8192], buf2[8192];
};

static __thread sigjmp_buf fault_jmp;
static __thread volatile sig_atomic_t fault_armed;

static void on_fault(int sig)
{
	if (fault_armed) {
		fault_armed = 0;
		siglongjmp(fault_jmp, sig);
	}
	static const char msg[] = "physmem-stress: fault outside a guarded access\n";
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(5);
	_exit(5);
}

static void violation(struct worker *w, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->st->violations++ >= 20) {
		if (w->st->violations == 21)
			say("physmem-stress: worker %d: more violations, not shown", w->id);
		return;
	}
	say("physmem-stress: VIOLATION worker %d seed %" PRIu64 " op #%" PRIu64
	    " %s %s: %s", w->id, w->wseed, w->opn, w->opname, w->args, msg);
}

static void check_errno(struct worker *w, int err, eset set)
{
	if (!errno_in(err, set))
		violation(w, "unexpected errno %s (%s)", strerrorname_np(err),
			  strerror(err));
}

/* Bytes read from physical [a, a+n): canary bytes must hold the pattern. */
static void check_read(struct worker *w, uint64_t a, const uint8_t *b,
		       size_t n)
{
	if (touches_others(a, a + n))
		violation(w, "read succeeded on other suites' ivshmem bytes");
	for (size_t i = 0; i < n; i++) {
		uint64_t p = a + i;

		if (first_canary(p, p + 1) == p && b[i] != pat(p - S)) {
			violation(w, "canary byte at 0x%" PRIx64 " (region +0x%" PRIx64
				  ") reads 0x%02x, expected 0x%02x", p, p - S,
				  b[i], pat(p - S));
			return;
		}
	}
}

/* Data for a write to [a, a+n): the complement of the pattern on canary. */
static void fill_write(struct worker *w, uint64_t a, uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t p = a + i;

		b[i] = first_canary(p, p + 1) == p ? (uint8_t)~pat(p - S)
						   : (uint8_t)rnd(&w->r);
	}
}

static const size_t lens[] = {
	0, 1, 2, 3, 4, 5, 8, 12, 16, 24, 4095, 4096, 4097,
};

/* A physical address to aim at: a window's edges, stale or wild places. */
static uint64_t pick_addr(struct worker *w, size_t len, bool *rw)
{
	uint64_t k = rn(&w->r, 100), base, size;

	*rw = false;
	if (k < 80 && w->nsnap) {
		struct physmem_window *x = &w->snap[rn(&w->r, w->nsnap)];
		static const int64_t deltas[] = { -4, -1, 0, 1, 2, 3, 4, 8 };

		base = x->base;
		size = x->size;
		*rw = x->flags & PHYSMEM_WIN_RW;
		switch (rn(&w->r, 5)) {
		case 0: return base + (uint64_t)deltas[rn(&w->r, 8)];
		case 1: return base + size - len;
		case 2: return base + size - len + 1 - rn(&w->r, 3);
		case 3: return base + size - 1;
		default: return base + rn(&w->r, size ? size : 1);
		}
	}
	if (k < 90) {		/* a catalog place, present or not */
		struct tmpl *t = &T[rn(&w->r, nt)];
		uint64_t lo, hi;

		if (t->kind == T_SHM && !t->dynamic) {
			lo = t->lo;
			hi = t->hi;
		} else if (t->kind == T_SHM) {
			lo = S + (rn(&w->r, 0x40000) & ~3ULL);
			hi = lo + 4;
		} else {
			lo = atomic_load(&sh->edu2_base);
			hi = lo + 0x1000;
		}
		return chance(&w->r, 50) ? lo : hi - (len ? len : 1);
	}
	switch (rn(&w->r, 8)) {
	case 0: return 0;
	case 1: return 0x7fffffffffffffffULL - rn(&w->r, 8);
	case 2: return 0xffffffffffffffffULL - rn(&w->r, 16);
	case 3: return shm_base + rn(&w->r, REGION_OFF);	/* other suites */
	case 4: return S - 1 - rn(&w->r, 4);			/* across the start */
	case 5: return S + REGION_SIZE - rn(&w->r, 8);		/* past the BAR */
	case 6: return 0x100000 + rn(&w->r, 0x1000);		/* System RAM */
	default: return S + rn(&w->r, REGION_SIZE);
	}
}

static void op_pread(struct worker *w)
{
	size_t len = lens[rn(&w->r, sizeof(lens) / sizeof(lens[0]))];
	bool rw;
	uint64_t a = pick_addr(w, len, &rw);
	ssize_t n;

	snprintf(w->args, sizeof(w->args), "addr=0x%" PRIx64 " len=%zu", a, len);
	n = pread(w->fd, w->buf, len, (off_t)a);
	if (n < 0) {
		check_errno(w, errno, E(EPERM) | E(ENODEV) | E(EINVAL));
		return;
	}
	w->st->ok[OP_PREAD]++;
	if ((size_t)n > len)
		violation(w, "pread returned %zd", n);
	else if (n > 0)
		check_read(w, a, w->buf, (size_t)n);
}

static void op_pwrite(struct worker *w)
{
	size_t len = lens[rn(&w->r, sizeof(lens) / sizeof(lens[0]))];
	bool rw;
	uint64_t a = pick_addr(w, len, &rw), c;
	bool legit;
	ssize_t n;

	/* Mostly writes believed legitimate; some the driver must refuse. */
	if (!rw && chance(&w->r, 60)) {
		len = lens[rn(&w->r, 10)];
		a = S + (rn(&w->r, 0x40000 - 32));
	}
	legit = all_allowed(a, a + len) || edu2_liveness(a, a + len) || !len;
	if (!legit && chance(&w->r, 50) && len) {
		/* Only legit ones, half of the time: keep the real work going. */
		a = S + (rn(&w->r, 0x40000 - len));
		legit = true;
	}
	fill_write(w, a, w->buf, len);
	snprintf(w->args, sizeof(w->args), "addr=0x%" PRIx64 " len=%zu legit=%d",
		 a, len, legit);
	n = pwrite(w->fd, w->buf, len, (off_t)a);
	if (n < 0) {
		check_errno(w, errno, E(EPERM) | E(EACCES) | E(ENODEV) | E(EINVAL));
		return;
	}
	w->st->ok[OP_PWRITE]++;
	if (n > 0 && !legit) {
		c = first_canary(a, a + (uint64_t)n);
		if (c != UINT64_MAX) {
			w->st->canary_hits++;
			violation(w, "pwrite wrote canary byte 0x%" PRIx64
				  " (region +0x%" PRIx64 ")", c, c - S);
		} else if (touches_others(a, a + (uint64_t)n)) {
			violation(w, "pwrite wrote other suites' ivshmem bytes");
		}
	}
}

static struct map *free_map(struct worker *w)
{
	for (int i = 0; i < NMAP; i++)
		if (!w->maps[i].live)
			return &w->maps[i];
	return NULL;
}

static struct map *some_map(struct worker *w)
{
	int start = (int)rn(&w->r, NMAP);

	for (int i = 0; i < NMAP; i++) {
		struct map *m = &w->maps[(start + i) % NMAP];

		if (m->live)
			return m;
	}
	return NULL;
}

static void unmap(struct map *m)
{
	munmap(m->addr, m->len);
	m->live = false;
}

/* A guarded load or store of width bytes at m->addr + off. */
static int touch(struct worker *w, struct map *m, size_t off, size_t width,
		 bool store, const uint8_t *val, uint8_t *out)
{
	volatile uint8_t *p = m->addr + off;
	int sig;

	sig = sigsetjmp(fault_jmp, 1);
	if (sig) {
		if (sig == SIGBUS)
			w->st->sigbus++;
		else
			w->st->sigsegv++;
		return sig;
	}
	fault_armed = 1;
	if (store) {
		switch (width) {
		case 1: *p = val[0]; break;
		case 2: { uint16_t v; memcpy(&v, val, 2); *(volatile uint16_t *)p = v; break; }
		case 4: { uint32_t v; memcpy(&v, val, 4); *(volatile uint32_t *)p = v; break; }
		default: { uint64_t v; memcpy(&v, val, 8); *(volatile uint64_t *)p = v; break; }
		}
	} else {
		switch (width) {
		case 1: out[0] = *p; break;
		case 2: { uint16_t v = *(volatile uint16_t *)p; memcpy(out, &v, 2); break; }
		case 4: { uint32_t v = *(volatile uint32_t *)p; memcpy(out, &v, 4); break; }
		default: { uint64_t v = *(volatile uint64_t *)p; memcpy(out, &v, 8); break; }
		}
	}
	fault_armed = 0;
	return 0;
}

/*
 * The mapping m was granted writable over physical [lo, hi): if that holds
 * canary bytes the driver let a write through; show it in the canary too.
 */
static void check_writable(struct worker *w, struct map *m, const char *how)
{
	uint64_t c = first_canary(m->phys, m->phys + m->len);
	uint8_t v;

	if (c == UINT64_MAX) {
		if (touches_others(m->phys, m->phys + m->len))
			violation(w, "%s writable over other suites' ivshmem bytes", how);
		return;
	}
	w->st->canary_hits++;
	violation(w, "%s writable over canary byte 0x%" PRIx64 " (region +0x%" PRIx64
		  "), mapping phys 0x%" PRIx64 "+0x%zx", how, c, c - S, m->phys, m->len);
	v = (uint8_t)~pat(c - S);
	touch(w, m, c - m->phys, 1, true, &v, NULL);
}

static void op_mmap(struct worker *w)
{
	struct map *m = free_map(w);
	uint64_t k, off, len, a;
	int prot = PROT_READ, flags = MAP_SHARED;
	void *p;
	bool rw;

	if (!m) {
		m = some_map(w);
		unmap(m);
	}
	a = pick_addr(w, 0, &rw);
	k = rn(&w->r, 100);
	off = a & ~(PG - 1);
	len = PG * (1 + rn(&w->r, 3));
	if (k < 30 && w->nsnap) {	/* a whole window, page-rounded */
		struct physmem_window *x = &w->snap[rn(&w->r, w->nsnap)];

		off = x->base & ~(PG - 1);
		len = ((x->base + x->size + PG - 1) & ~(PG - 1)) - off;
		if (len > 0x40000)
			len = 0x40000;
		rw = x->flags & PHYSMEM_WIN_RW;
	} else if (k < 36) {
		off = a;			/* unaligned: EINVAL */
	} else if (k < 40) {
		len = 0;			/* EINVAL */
	} else if (k < 44) {
		off = 0xfffffffffffff000ULL - PG * rn(&w->r, 2);
		len = PG * (1 + rn(&w->r, 2));	/* wraps: EOVERFLOW/EPERM */
	} else if (k < 46) {
		len = 0x40000000000ULL;		/* huge: ENOMEM/EPERM */
	} else if (k < 50) {
		len += PG * 64;			/* past the window's end */
	}
	if (rw ? chance(&w->r, 80) : chance(&w->r, 25))
		prot |= PROT_WRITE;
	if (chance(&w->r, 3))
		prot |= PROT_EXEC;
	if (chance(&w->r, 4))
		flags = MAP_PRIVATE;
	snprintf(w->args, sizeof(w->args), "off=0x%" PRIx64 " len=0x%" PRIx64
		 " prot=%d flags=%d", off, len, prot, flags);
	p = mmap(NULL, len, prot, flags, w->fd, (off_t)off);
	if (p == MAP_FAILED) {
		check_errno(w, errno, E(EPERM) | E(EACCES) | E(EINVAL) |
			    E(ENODEV) | E(EOVERFLOW) | E(ENOMEM));
		return;
	}
	w->st->ok[OP_MMAP]++;
	m->addr = p;
	m->len = len;
	m->phys = off;
	m->prot = prot;
	m->live = true;
	if (flags == MAP_PRIVATE)
		violation(w, "MAP_PRIVATE mapping granted");
	if (off + len < off || off >= (1ULL << 52))
		violation(w, "mapping granted at an impossible offset");
	if (touches_others(off, off + len))
		violation(w, "mapping granted over other suites' ivshmem bytes");
	if (prot & PROT_WRITE)
		check_writable(w, m, "mmap");
}

static void op_touch(struct worker *w)
{
	struct map *m = some_map(w);
	static const size_t widths[] = { 1, 2, 4, 8 };
	size_t width = widths[rn(&w->r, 4)], off;
	uint8_t val[8], out[8];
	uint64_t a;
	bool store;

	if (!m) {
		w->opname = "touch:pread";
		op_pread(w);
		return;
	}
	off = rn(&w->r, m->len / width) * width;
	a = m->phys + off;
	store = (m->prot & PROT_WRITE) && chance(&w->r, 50) &&
		(all_allowed(a, a + width) || edu2_liveness(a, a + width));
	snprintf(w->args, sizeof(w->args), "phys=0x%" PRIx64 " width=%zu store=%d",
		 a, width, store);
	if (store) {
		fill_write(w, a, val, width);
		if (!touch(w, m, off, width, true, val, NULL))
			w->st->ok[OP_TOUCH]++;
	} else if (m->prot & PROT_READ) {
		if (!touch(w, m, off, width, false, NULL, out)) {
			w->st->ok[OP_TOUCH]++;
			check_read(w, a, out, width);
		}
	}
}

static void op_munmap(struct worker *w)
{
	struct map *m = some_map(w);

	if (!m)
		return;
	snprintf(w->args, sizeof(w->args), "phys=0x%" PRIx64 " len=0x%zx",
		 m->phys, m->len);
	if (m->len > PG && chance(&w->r, 40)) {
		/* Cut a page off one end: splits the vma. */
		if (chance(&w->r, 50)) {
			if (munmap(m->addr, PG))
				check_errno(w, errno, 0);
			m->addr += PG;
			m->phys += PG;
		} else if (munmap(m->addr + m->len - PG, PG)) {
			check_errno(w, errno, 0);
		}
		m->len -= PG;
	} else {
		if (munmap(m->addr, m->len))
			check_errno(w, errno, 0);
		m->live = false;
	}
	w->st->ok[OP_MUNMAP]++;
}

static void op_mprotect(struct worker *w)
{
	static const int prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC,
		PROT_NONE, PROT_READ | PROT_WRITE | PROT_EXEC, PROT_WRITE,
	};
	struct map *m = some_map(w);
	int prot = prots[rn(&w->r, 6)];

	if (!m)
		return;
	snprintf(w->args, sizeof(w->args), "phys=0x%" PRIx64 " len=0x%zx prot=%d->%d",
		 m->phys, m->len, m->prot, prot);
	if (mprotect(m->addr, m->len, prot)) {
		/* Write on a read-only window; exec refused by interface v2. */
		check_errno(w, errno, E(EACCES) | E(EPERM));
		return;
	}
	w->st->ok[OP_MPROTECT]++;
	m->prot = prot;
	if (prot & PROT_WRITE)
		check_writable(w, m, "mprotect");
}

static void op_mremap(struct worker *w)
{
	struct map *m = some_map(w);
	uint64_t k = rn(&w->r, 3);
	void *p;

	if (!m)
		return;
	snprintf(w->args, sizeof(w->args), "phys=0x%" PRIx64 " len=0x%zx kind=%d",
		 m->phys, m->len, (int)k);
	if (k == 0) {		/* grow: refused */
		size_t nl = m->len + PG * (1 + rn(&w->r, 4));

		p = mremap(m->addr, m->len, nl, MREMAP_MAYMOVE);
		if (p == MAP_FAILED) {
			check_errno(w, errno, E(EFAULT) | E(ENOMEM) | E(EINVAL));
			return;
		}
		violation(w, "mremap grew a mapping from 0x%zx to 0x%zx", m->len, nl);
		m->addr = p;
		unmap(m);
	} else if (k == 1) {	/* shrink */
		if (m->len <= PG)
			return;
		p = mremap(m->addr, m->len, m->len - PG, 0);
		if (p == MAP_FAILED) {
			check_errno(w, errno, 0);
			return;
		}
		m->len -= PG;
	} else {		/* move */
		void *dst = mmap(NULL, m->len, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (dst == MAP_FAILED)
			return;
		p = mremap(m->addr, m->len, m->len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
		if (p == MAP_FAILED) {
			check_errno(w, errno, E(EINVAL) | E(EFAULT) | E(ENOMEM));
			munmap(dst, m->len);
			return;
		}
		m->addr = p;
	}
	w->st->ok[OP_MREMAP]++;
}

/* The child of a fork: touch the inherited mappings, then exit. */
static void fork_child(struct worker *w)
{
	int bad = 0;

	for (int i = 0; i < NMAP; i++) {
		struct map *m = &w->maps[i];
		uint8_t out[4], val[4];
		uint64_t a;

		if (!m->live || !(m->prot & PROT_READ))
			continue;
		for (size_t off = 0; off < m->len; off += 0x7fc) {
			a = m->phys + off;
			if (touch(w, m, off, 4, false, NULL, out))
				break;
			for (int b = 0; b < 4; b++)
				if (first_canary(a + b, a + b + 1) == a + b &&
				    out[b] != pat(a + b - S))
					bad = 1;
			if ((m->prot & PROT_WRITE) && all_allowed(a, a + 4)) {
				fill_write(w, a, val, 4);
				if (touch(w, m, off, 4, true, val, NULL))
					break;
			}
		}
	}
	if (pread(w->fd, w->buf, 4, (off_t)(S + rn(&w->r, 0x40000))) < 0 &&
	    !errno_in(errno, E(EPERM) | E(ENODEV)))
		bad = 1;
	_exit(bad ? 3 : 0);
}

static void op_fork(struct worker *w)
{
	int status;
	pid_t pid;

	snprintf(w->args, sizeof(w->args), "maps=%d",
		 (int)(some_map(w) != NULL));
	pid = fork();
	if (pid < 0) {
		check_errno(w, errno, E(EAGAIN) | E(ENOMEM));
		return;
	}
	if (!pid)
		fork_child(w);
	/* Meanwhile: the parent drops a mapping the child still has. */
	if (chance(&w->r, 30)) {
		struct map *m = some_map(w);

		if (m)
			unmap(m);
	}
	if (waitpid(pid, &status, 0) < 0) {
		check_errno(w, errno, 0);
		return;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		violation(w, "fork child: status 0x%x (3: canary mismatch)", status);
	else
		w->st->ok[OP_FORK]++;
}

static void op_list(struct worker *w)
{
	struct physmem_window_array arr;
	uint64_t k = rn(&w->r, 10);
	int err;

	memset(&arr, 0, sizeof(arr));
	if (k < 6) {		/* the snapshot the other ops aim at */
		int n = list_windows(w->fd, w->snap, SNAP_MAX);

		snprintf(w->args, sizeof(w->args), "cap=%d", SNAP_MAX);
		if (n < 0) {
			w->nsnap = 0;
			check_errno(w, -n, 0);
			return;
		}
		w->nsnap = n;
		for (int i = 0; i < n; i++) {
			struct physmem_window *x = &w->snap[i];

			if ((x->flags & PHYSMEM_WIN_RW) &&
			    first_canary(x->base, x->base + x->size) != UINT64_MAX)
				violation(w, "LIST: rw window %.31s over canary bytes",
					  x->name);
		}
		w->st->ok[OP_LIST]++;
		return;
	}
	if (k < 7) {		/* count only */
		arr.count = 0;
	} else if (k < 8) {	/* one */
		arr.count = 1;
		arr.windows = (uintptr_t)w->buf;
	} else if (k < 9) {	/* a huge count into a buffer that holds all */
		arr.count = 0xffffffffU;
		arr.windows = (uintptr_t)w->buf2;
		if (sizeof(w->buf2) < SNAP_MAX * sizeof(struct physmem_window))
			arr.count = 1;
	} else {		/* a bad pointer */
		arr.count = 4;
		arr.windows = 0x10;
	}
	snprintf(w->args, sizeof(w->args), "count=%u windows=0x%llx", arr.count,
		 (unsigned long long)arr.windows);
	err = xioctl(w->fd, PHYSMEM_IOC_LIST, &arr);
	if (err) {
		check_errno(w, err, k == 9 ? E(EFAULT) : 0);
		return;
	}
	w->st->ok[OP_LIST]++;
	if (arr.count > PHYSMEM_MAX_WINDOWS)
		violation(w, "LIST count %u", arr.count);
}

static void op_info(struct worker *w)
{
	struct physmem_info info;
	int err;

	memset(&info, 0, sizeof(info));
	snprintf(w->args, sizeof(w->args), "-");
	err = xioctl(w->fd, PHYSMEM_IOC_INFO, &info);
	if (err) {
		check_errno(w, err, 0);
		return;
	}
	w->st->ok[OP_INFO]++;
	if (info.version_major != PHYSMEM_VERSION_MAJOR ||
	    info.nr_windows > PHYSMEM_MAX_WINDOWS ||
	    (info.flags & PHYSMEM_INFO_SEALED) || !info.phys_addr_bits)
		violation(w, "INFO: version %u.%u windows %u flags 0x%x bits %u",
			  info.version_major, info.version_minor,
			  info.nr_windows, info.flags, info.phys_addr_bits);
}

static void op_badioctl(struct worker *w)
{
	uint64_t k = rn(&w->r, 4);
	int err;

	if (k == 0) {
		snprintf(w->args, sizeof(w->args), "unknown nr 0x7f");
		err = xioctl(w->fd, _IO(PHYSMEM_IOC_MAGIC, 0x7f), NULL);
		if (!err)
			violation(w, "unknown ioctl succeeded");
		else
			check_errno(w, err, E(ENOTTY));
	} else if (k == 1) {
		struct physmem_name nm;

		memset(&nm, 0, sizeof(nm));
		strcpy(nm.name, "zz-never");
		snprintf(w->args, sizeof(w->args), "REMOVE zz-never");
		err = xioctl(w->fd, PHYSMEM_IOC_REMOVE, &nm);
		if (!err)
			violation(w, "REMOVE of a window never added succeeded");
		else
			check_errno(w, err, E(ENOENT));
	} else {
		/* A malformed ADD: must be refused (bad templates end the catalog). */
		struct tmpl *t = &T[nt - 1 - rn(&w->r, 10)];
		struct physmem_window win;

		uint64_t lo, hi;

		t_build(t, &w->r, &win, &lo, &hi);
		snprintf(w->args, sizeof(w->args), "ADD %s", t->name);
		err = xioctl(w->fd, PHYSMEM_IOC_ADD, &win);
		if (!err) {
			struct physmem_name nm;

			violation(w, "malformed ADD %s succeeded", t->name);
			memset(&nm, 0, sizeof(nm));
			memcpy(nm.name, win.name, sizeof(nm.name) - 1);
			xioctl(w->fd, PHYSMEM_IOC_REMOVE, &nm);
		} else {
			check_errno(w, err, t->bad_errs);
		}
	}
	w->st->ok[OP_BADIOCTL]++;
}

/* Through /proc/self/mem, as a debugger would (FOLL_FORCE). */
static void op_procmem(struct worker *w)
{
	struct map *m = some_map(w);
	size_t width = (size_t)1 << rn(&w->r, 3), off;
	uint64_t a;
	ssize_t n;
	bool write_it, legit;

	if (!m || w->memfd < 0) {
		w->opname = "procmem:pread";
		op_pread(w);
		return;
	}
	off = rn(&w->r, m->len / width) * width;
	a = m->phys + off;
	write_it = chance(&w->r, 40);
	legit = (m->prot & PROT_WRITE) && (all_allowed(a, a + width) ||
					   edu2_liveness(a, a + width));
	snprintf(w->args, sizeof(w->args), "phys=0x%" PRIx64 " width=%zu write=%d legit=%d prot=%d",
		 a, width, write_it, legit, m->prot);
	if (!write_it) {
		n = pread(w->memfd, w->buf, width, (off_t)(uintptr_t)(m->addr + off));
		if (n < 0) {
			check_errno(w, errno, E(EIO) | E(EFAULT) | E(ENOMEM));
			return;
		}
		w->st->ok[OP_PROCMEM]++;
		check_read(w, a, w->buf, (size_t)n);
		return;
	}
	fill_write(w, a, w->buf, width);
	n = pwrite(w->memfd, w->buf, width, (off_t)(uintptr_t)(m->addr + off));
	if (n < 0) {
		check_errno(w, errno, E(EIO) | E(EFAULT) | E(ENOMEM) | E(EPERM) |
			    E(EACCES) | E(EINVAL));
		return;
	}
	w->st->ok[OP_PROCMEM]++;
	if (n > 0 && !legit) {
		uint64_t c = first_canary(a, a + (uint64_t)n);

		if (c != UINT64_MAX) {
			w->st->canary_hits++;
			violation(w, "/proc/self/mem wrote canary byte 0x%" PRIx64
				  " (region +0x%" PRIx64 ")", c, c - S);
		}
	}
}

static void (*const op_fn[NOPS])(struct worker *) = {
	op_pread, op_pwrite, op_mmap, op_touch, op_munmap, op_mprotect,
	op_mremap, op_fork, op_list, op_info, op_badioctl, op_procmem,
};

static enum op pick_op(struct rng *r)
{
	unsigned int sum = 0, x;
	int i;

	for (i = 0; i < NOPS; i++)
		sum += op_weight[i];
	x = (unsigned int)rn(r, sum);
	for (i = 0; i < NOPS; i++) {
		if (x < op_weight[i])
			return (enum op)i;
		x -= op_weight[i];
	}
	return OP_PREAD;
}

struct wargs {
	int id;
	unsigned long nops;
};

static void *worker_main(void *arg)
{
	struct wargs *wa = arg;
	struct worker *w = calloc(1, sizeof(*w));
	double deadline = t_start + deadline_s;

	if (!w)
		die("calloc");
	w->id = wa->id;
	w->wseed = seed + (uint64_t)wa->id;
	w->st = &sh->w[wa->id];
	rng_seed(&w->r, w->wseed);
	rng_seed(&w->opr, w->wseed ^ 0x6f70736571ULL);
	w->fd = open(PHYSMEM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (w->fd < 0)
		die("worker: open");
	w->memfd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	w->nsnap = list_windows(w->fd, w->snap, SNAP_MAX);
	if (w->nsnap < 0)
		w->nsnap = 0;

	for (w->opn = 0; w->opn < wa->nops; w->opn++) {
		enum op o = pick_op(&w->opr);

		if ((w->opn & 63) == 0 && now() > deadline) {
			atomic_store(&sh->deadline_hit, 1);
			break;
		}
		w->opname = op_names[o];
		w->args[0] = '\0';
		op_fn[o](w);
		w->st->by_op[o]++;
		w->st->ops++;
		if (verbose > 1)
			say("w%d #%" PRIu64 " %s %s", w->id, w->opn, w->opname, w->args);
	}
	for (int i = 0; i < NMAP; i++)
		if (w->maps[i].live)
			unmap(&w->maps[i]);
	close(w->fd);
	if (w->memfd >= 0)
		close(w->memfd);
	w->st->done = 1;
	free(w);
	return NULL;
}

/* One worker process: nthr threads, worker ids first..first+nthr-1. */
static void worker_process(int first, const unsigned long *nops)
{
	pthread_t th[MAXW];
	struct wargs wa[MAXW];
	unsigned int i;

	for (i = 0; i < nthr; i++) {
		wa[i].id = first + (int)i;
		wa[i].nops = nops[first + (int)i];
		if (i && pthread_create(&th[i], NULL, worker_main, &wa[i]))
			die("pthread_create");
	}
	worker_main(&wa[0]);
	for (i = 1; i < nthr; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

/* ---- setup and final checks ---- */

static int add_region_window(int fd, const char *name, uint32_t flags)
{
	struct physmem_window w;

	win_pci(&w, name, shm_bdf, 2, REGION_OFF, REGION_SIZE, flags);
	return xioctl(fd, PHYSMEM_IOC_ADD, &w);
}

static int remove_window(int fd, const char *name)
{
	struct physmem_name nm;

	memset(&nm, 0, sizeof(nm));
	memcpy(nm.name, name, strnlen(name, sizeof(nm.name) - 1));
	return xioctl(fd, PHYSMEM_IOC_REMOVE, &nm);
}

static void fill_canary(int fd)
{
	static uint8_t buf[REGION_SIZE], back[REGION_SIZE];
	int err;

	for (uint64_t o = 0; o < REGION_SIZE; o++)
		buf[o] = pat(o);
	err = add_region_window(fd, "stress-fill", PHYSMEM_WIN_RW);
	if (err) {
		errno = err;
		die("add the fill window");
	}
	for (uint64_t o = 0; o < REGION_SIZE; o += 0x10000)
		if (pwrite(fd, buf + o, 0x10000, (off_t)(S + o)) != 0x10000)
			die("fill the canary");
	if (pread(fd, back, REGION_SIZE, (off_t)S) != (ssize_t)REGION_SIZE)
		die("read the canary back");
	if (memcmp(buf, back, REGION_SIZE)) {
		say("physmem-stress: the canary does not read back as written");
		exit(2);
	}
	if ((err = remove_window(fd, "stress-fill"))) {
		errno = err;
		die("remove the fill window");
	}
}

/* Returns the number of canary bytes that changed. */
static uint64_t verify_canary(int fd)
{
	static uint8_t back[REGION_SIZE];
	uint64_t bad = 0, first = UINT64_MAX;
	int err;

	err = add_region_window(fd, "stress-check", 0);
	if (err) {
		errno = err;
		die("add the check window");
	}
	if (pread(fd, back, REGION_SIZE, (off_t)S) != (ssize_t)REGION_SIZE)
		die("read the canary");
	remove_window(fd, "stress-check");
	for (uint64_t o = 0; o < REGION_SIZE; o++) {
		if (first_canary(S + o, S + o + 1) != S + o || back[o] == pat(o))
			continue;
		if (bad < 8)
			say("physmem-stress: canary +0x%" PRIx64 " is 0x%02x, expected 0x%02x",
			    o, back[o], pat(o));
		if (first == UINT64_MAX)
			first = o;
		bad++;
	}
	return bad;
}

/* Leave edu2 present with its BAR assigned and readable. */
static int restore_edu2(int fd)
{
	struct physmem_window w;
	uint32_t ident = 0;
	uint64_t e;
	int tries, err;

	for (tries = 0; tries < 3; tries++) {
		if (!edu2_present())
			pci_rescan();
		e = bar_start(edu2_bdf, 0);
		if (edu2_present() && e) {
			win_pci(&w, "stress-edu2", edu2_bdf, 0, 0, 0x1000, 0);
			err = xioctl(fd, PHYSMEM_IOC_ADD, &w);
			if (!err) {
				if (pread(fd, &ident, 4, (off_t)e) != 4)
					ident = 0;
				remove_window(fd, "stress-edu2");
				if (ident == 0x010000ed)
					return 0;
			}
		}
		/* Unassigned, or not answering: take it away and rescan. */
		if (edu2_present())
			edu2_remove();
		pci_rescan();
	}
	say("physmem-stress: %s not restored (BAR0 0x%" PRIx64 ", ident 0x%08x)",
	    edu2_bdf, bar_start(edu2_bdf, 0), ident);
	return -1;
}

static void usage(void)
{
	fputs("usage: physmem-stress [--seed N] [--ops N] [--procs N] [--threads N]\n"
	      "                      [--deadline SECONDS] [--shm BDF] [--edu2 BDF]\n"
	      "                      [--skip NAME,...] [-v]\n"
	      "Stresses /dev/physmem in ivshmem BAR2 0x100000-0x1fffff (see the source).\n",
	      stderr);
	exit(2);
}

static uint64_t arg_num(const char *s)
{
	uint64_t v;

	if (!prog_parse_num(s, &v))
		usage();
	return v;
}

int main(int argc, char **argv)
{
	unsigned long nops[MAXW];
	struct sigaction sa;
	pid_t ctl, pids[MAXW];
	uint64_t ops = 0, viol = 0, sigbus = 0, sigsegv = 0, hits = 0, bad;
	uint64_t by_op[NOPS] = { 0 }, ok_op[NOPS] = { 0 };
	unsigned int i, nw;
	int fd, status, err, rc;
	char line[1024];
	size_t used;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "-v"))
			verbose++;
		else if (a + 1 >= argc)
			usage();
		else if (!strcmp(argv[a], "--seed"))
			seed = arg_num(argv[++a]);
		else if (!strcmp(argv[a], "--ops"))
			total_ops = arg_num(argv[++a]);
		else if (!strcmp(argv[a], "--procs"))
			nproc = (unsigned int)arg_num(argv[++a]);
		else if (!strcmp(argv[a], "--threads"))
			nthr = (unsigned int)arg_num(argv[++a]);
		else if (!strcmp(argv[a], "--deadline"))
			deadline_s = (double)arg_num(argv[++a]);
		else if (!strcmp(argv[a], "--shm"))
			shm_bdf = argv[++a];
		else if (!strcmp(argv[a], "--edu2"))
			edu2_bdf = argv[++a];
		else if (!strcmp(argv[a], "--skip"))
			skip_list = argv[++a];
		else
			usage();
	}
	nw = nproc * nthr;
	if (!nproc || !nthr || nw > MAXW)
		usage();

	setvbuf(stdout, NULL, _IOLBF, 0);
	t_start = now();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap shared");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);

	shm_base = bar_start(shm_bdf, 2);
	if (!shm_base) {
		say("physmem-stress: no BAR2 on %s", shm_bdf);
		return 2;
	}
	S = shm_base + REGION_OFF;
	atomic_store(&sh->edu2_base, bar_start(edu2_bdf, 0));
	atomic_store(&sh->edu2_last, atomic_load(&sh->edu2_base));
	catalog();

	fd = open(PHYSMEM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open " PHYSMEM_DEVICE_PATH);
	if ((err = replace_empty(fd))) {
		errno = err;
		die("clear the window table");
	}
	fill_canary(fd);
	say("physmem-stress: seed %" PRIu64 " ops %lu workers %u (%u processes x %u threads)"
	    " region 0x%" PRIx64 "+0x%llx edu2 0x%" PRIx64,
	    seed, total_ops, nw, nproc, nthr, S, REGION_SIZE,
	    atomic_load(&sh->edu2_base));

	for (i = 0; i < nw; i++)
		nops[i] = total_ops / nw + (i < total_ops % nw);

	ctl = fork();
	if (ctl < 0)
		die("fork");
	if (!ctl) {
		close(fd);
		controller();
		_exit(0);
	}
	for (i = 0; i < nproc; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (!pids[i]) {
			close(fd);
			worker_process((int)(i * nthr), nops);
		}
	}

	/* Wait for the workers; past the deadline (+30 s grace) kill them. */
	rc = 0;
	for (i = 0; i < nproc; i++) {
		for (;;) {
			pid_t p = waitpid(pids[i], &status, WNOHANG);

			if (p == pids[i])
				break;
			if (now() > t_start + deadline_s + 30) {
				say("physmem-stress: worker process %u stuck past the deadline: killed", i);
				kill(pids[i], SIGKILL);
				waitpid(pids[i], &status, 0);
				atomic_store(&sh->deadline_hit, 1);
				rc = 1;
				break;
			}
			usleep(20000);
		}
		if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status))) {
			say("physmem-stress: worker process %u: status 0x%x", i, status);
			rc = 1;
		}
	}
	atomic_store(&sh->stop, 1);
	waitpid(ctl, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		say("physmem-stress: controller: status 0x%x", status);
		rc = 1;
	}

	/* Afterwards: no windows, edu2 back, and the canary intact. */
	if ((err = replace_empty(fd))) {
		errno = err;
		die("clear the window table");
	}
	if (restore_edu2(fd))
		rc = 1;
	bad = verify_canary(fd);
	replace_empty(fd);
	close(fd);

	for (i = 0; i < nw; i++) {
		struct wstats *s = &sh->w[i];

		ops += s->ops;
		viol += s->violations;
		sigbus += s->sigbus;
		sigsegv += s->sigsegv;
		hits += s->canary_hits;
		for (int o = 0; o < NOPS; o++) {
			by_op[o] += s->by_op[o];
			ok_op[o] += s->ok[o];
		}
	}
	viol += sh->c.violations;
	used = 0;
	for (int o = 0; o < NOPS; o++)
		used += (size_t)snprintf(line + used, sizeof(line) - used,
					 " %s=%" PRIu64 "/%" PRIu64, op_names[o],
					 ok_op[o], by_op[o]);
	say("physmem-stress: ops by kind (succeeded/done):%s", line);
	say("physmem-stress: controller: actions %" PRIu64 " add %" PRIu64
	    " remove %" PRIu64 " replace %" PRIu64 " (ok %" PRIu64 ", refused %" PRIu64
	    ", of which wc/uc memtype ENOMEM %" PRIu64 ") edu2 removed %" PRIu64
	    " rescanned %" PRIu64,
	    sh->c.actions, sh->c.adds, sh->c.removes, sh->c.replaces, sh->c.ok,
	    sh->c.failed, sh->c.memtype, sh->c.edu2_removes, sh->c.edu2_rescans);
	say("physmem-stress: seed %" PRIu64 " ops %" PRIu64 " sigbus %" PRIu64
	    " sigsegv %" PRIu64 " canary-hits %" PRIu64 " canary-changed %" PRIu64
	    " violations %" PRIu64 " elapsed %.1fs%s",
	    seed, ops, sigbus, sigsegv, hits, bad, viol, now() - t_start,
	    atomic_load(&sh->deadline_hit) ? " DEADLINE" : "");
	if (viol || bad || rc)
		return 1;
	if (ops != total_ops)
		return 3;
	return 0;
}
