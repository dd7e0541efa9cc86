// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the test programs share: the host's here, and the guest's
 * (tests/vm/progs, which include this file by its path; their Makefile
 * rebuilds them when it changes). PROG is the program's name, which
 * begins its messages.
 */
#ifndef PROG_UTIL_H
#define PROG_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* S as a number (strtoull, base 0): false if it is not all one. */
static inline bool prog_parse_num(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && end != s && !*end;
}

/* S as a number, or "PROG: bad number 'S'" on stderr and exit 2. */
static inline uint64_t prog_num(const char *prog, const char *s)
{
	uint64_t v;

	if (!prog_parse_num(s, &v)) {
		fprintf(stderr, "%s: bad number '%s'\n", prog, s);
		exit(2);
	}
	return v;
}

/* Fewer than N arguments after argv[I] for OP: "PROG: OP needs N arguments", exit 2. */
static inline void prog_need(const char *prog, int argc, int i, int n, const char *op)
{
	if (i + n >= argc) {
		fprintf(stderr, "%s: %s needs %d arguments\n", prog, op, n);
		exit(2);
	}
}

/* "PROG: WHAT: ENAME (text)" for errno on stdout, and exit 1. */
static inline void __attribute__((noreturn)) prog_fail(const char *prog, const char *what)
{
	int err = errno;

	printf("%s: %s: %s (%s)\n", prog, what, strerrorname_np(err), strerror(err));
	exit(1);
}

/* E's name ("EINVAL"), or "E?" for 0 and for a number glibc does not name. */
static inline const char *errname(int e)
{
	const char *name = e > 0 ? strerrorname_np(e) : NULL;

	return name ? name : "E?";
}

/* A phys_log_fn: the library's messages on stderr, "LEVEL: MSG" (syslog's level names). */
static inline void log_stderr(void *data, int priority, const char *msg)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
	};

	fprintf(stderr, "%s: %s\n", priority >= 0 && priority < 8 ? names[priority] : "?", msg);
}

/*
 * Is FD open on a file whose path ends in /dev/physmem? The LD_PRELOAD
 * fakes (libphys-fakedrv, libphys-fakedma) answer for such a file only: a
 * test sysroot's regular file standing in for the device.
 */
static inline bool prog_fd_is_physmem(int fd)
{
	static const char tail[] = "/dev/physmem";
	char link[64], path[4096];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < (ssize_t)sizeof(tail) - 1)
		return false;
	path[n] = '\0';
	return !strcmp(path + n - (sizeof(tail) - 1), tail);
}

#endif
