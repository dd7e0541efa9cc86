// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libphys-fakedrv: the physmem driver's window rules on the host, for
 * LD_PRELOAD (as umockdev fakes devices). It is a shared object, built
 * without the .so suffix by the shared rule for helper programs.
 *
 * A regular file whose path ends in /dev/physmem (in a test sysroot: a
 * sparse file, file offset = physical address) behaves like the driver:
 *   ioctl PHYSMEM_IOC_LIST  the windows in $FAKEDRV_WINDOWS, read anew on
 *                           every call (so a test can remove one mid-run)
 *   pread, pwrite           only inside one window, else EPERM; a gone
 *                           window ENODEV; a write to a read-only one EACCES
 *   mmap                    only a window marked mmap, whose pages hold the
 *                           whole request; else EPERM
 * and each pread/pwrite/mmap on it is logged to $FAKEDRV_LOG as
 * "pread LEN 0xADDR", "pwrite LEN 0xADDR" or "mmap LEN 0xADDR".
 *
 * $FAKEDRV_WINDOWS: one window a line, NAME BASE SIZE [rw] [mmap] [gone].
 */

/*
 * It defines pread and pread64 both (and pwrite, mmap): the headers must
 * not rename one. Where off_t has 32 bits (armhf), the library, built
 * with _FILE_OFFSET_BITS=64, calls the *64 ones: they do the work, with
 * 64-bit offsets, and the plain ones forward to them.
 */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/physmem.h>

#include "prog-util.h"

#define FAKE_PAGE	UINT64_C(4096)
#define FAKE_MAX	16

/* The windows file, into W; the number of windows. */
static unsigned int load(struct physmem_window *w)
{
	const char *path = getenv("FAKEDRV_WINDOWS");
	char line[256], name[PHYSMEM_NAME_MAX], opt[4][16];
	unsigned long long base, size;
	unsigned int n = 0;
	FILE *f;

	if (!path || !(f = fopen(path, "re")))
		return 0;
	while (n < FAKE_MAX && fgets(line, sizeof(line), f)) {
		int k = sscanf(line, "%31s %lli %lli %15s %15s %15s", name, &base, &size,
			       opt[0], opt[1], opt[2]);

		if (k < 3)
			continue;
		memset(&w[n], 0, sizeof(w[n]));
		snprintf(w[n].name, sizeof(w[n].name), "%s", name);
		w[n].source = PHYSMEM_SRC_RANGE;
		w[n].base = base;
		w[n].size = size;
		w[n].flags = PHYSMEM_WIN_CLAIMED;
		for (int i = 0; i < k - 3; i++) {
			if (!strcmp(opt[i], "rw"))
				w[n].flags |= PHYSMEM_WIN_RW;
			else if (!strcmp(opt[i], "mmap"))
				w[n].flags |= PHYSMEM_WIN_MMAP;
			else if (!strcmp(opt[i], "gone"))
				w[n].flags |= PHYSMEM_WIN_GONE;
		}
		n++;
	}
	fclose(f);
	return n;
}

/* The window holding [start, start + len), rounded out to pages if PAGES. */
static int find(uint64_t start, uint64_t len, bool pages, struct physmem_window *out)
{
	struct physmem_window w[FAKE_MAX];
	unsigned int n = load(w);

	for (unsigned int i = 0; i < n; i++) {
		uint64_t lo = w[i].base, hi = w[i].base + w[i].size;

		if (pages) {
			lo &= ~(FAKE_PAGE - 1);
			hi = (hi + FAKE_PAGE - 1) & ~(FAKE_PAGE - 1);
		}
		if (start >= lo && len <= hi - start && start + len <= hi) {
			*out = w[i];
			return 0;
		}
	}
	return -1;
}

static void note(const char *what, size_t len, uint64_t addr)
{
	const char *path = getenv("FAKEDRV_LOG");
	FILE *f;

	if (path && (f = fopen(path, "ae"))) {
		fprintf(f, "%s %zu 0x%llx\n", what, len, (unsigned long long)addr);
		fclose(f);
	}
}

/* The driver's checks for pread/pwrite: 0 or the errno it would give. */
static int rw_check(size_t len, off64_t off, bool write)
{
	struct physmem_window w;

	if (!len)
		return 0;
	if (find((uint64_t)off, len, false, &w))
		return EPERM;
	if (w.flags & PHYSMEM_WIN_GONE)
		return ENODEV;
	if (write && !(w.flags & PHYSMEM_WIN_RW))
		return EACCES;
	return 0;
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t pread64(int fd, void *buf, size_t len, off64_t off)
{
	int err;

	if (prog_fd_is_physmem(fd)) {
		note("pread", len, (uint64_t)off);
		err = rw_check(len, off, false);
		if (err) {
			errno = err;
			return -1;
		}
	}
	return REAL(pread64)(fd, buf, len, off);
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	return pread64(fd, buf, len, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off64_t off)
{
	int err;

	if (prog_fd_is_physmem(fd)) {
		note("pwrite", len, (uint64_t)off);
		err = rw_check(len, off, true);
		if (err) {
			errno = err;
			return -1;
		}
	}
	return REAL(pwrite64)(fd, buf, len, off);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	return pwrite64(fd, buf, len, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
	struct physmem_window w;

	if (fd >= 0 && prog_fd_is_physmem(fd)) {
		note("mmap", len, (uint64_t)off);
		if (find((uint64_t)off, len, true, &w) || !(w.flags & PHYSMEM_WIN_MMAP)) {
			errno = EPERM;
			return MAP_FAILED;
		}
		if (w.flags & PHYSMEM_WIN_GONE) {
			errno = ENODEV;
			return MAP_FAILED;
		}
	}
	return REAL(mmap64)(addr, len, prot, flags, fd, off);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return mmap64(addr, len, prot, flags, fd, off);
}

int ioctl(int fd, unsigned long req, ...)
{
	struct physmem_window w[FAKE_MAX];
	struct physmem_window_array *arr;
	unsigned int n;
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req != PHYSMEM_IOC_LIST || !prog_fd_is_physmem(fd))
		return REAL(ioctl)(fd, req, arg);
	arr = arg;
	n = load(w);
	memcpy((void *)(uintptr_t)arr->windows, w,
	       (n < arr->count ? n : arr->count) * sizeof(w[0]));
	arr->count = n;
	return 0;
}
