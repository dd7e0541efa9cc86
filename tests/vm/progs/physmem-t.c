// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * physmem-t: a small multitool for the driver's VM tests. It talks to
 * /dev/physmem with raw syscalls and ioctls (no libphys), so a test failure
 * points at the driver.
 *
 * Errors print "physmem-t: WHAT: ENAME (text)" and exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/physmem.h>

#include "../../host/progs/prog-util.h"
#include "raw-window.h"

static const char *dev_path = PHYSMEM_DEVICE_PATH;
static int open_flags = O_RDWR;
static int inherited_fd = -1;

static void usage(void)
{
	fputs("usage: physmem-t [-d DEV] [-r] [-F FD] COMMAND ARGS\n"
	      "  -r: open read-only; -F FD: use the inherited descriptor FD\n"
	      "  open                          open the device, print ok\n"
	      "  info                          version, window count, sealed\n"
	      "  list [FAILED]                 one line per window (FAILED: input value)\n"
	      "  add NAME SOURCE... [rw] [wc] [shared] [pages] [offset N] [size N]\n"
	      "      [base N] [flags N] [poke OFF BYTE]  (poke: set a byte of the struct)\n"
	      "      [dma N] [dmabits N] [irq]\n"
	      "      SOURCE: range BASE SIZE | pci D:B:S.F BAR | iomem LABEL INDEX BASE SIZE\n"
	      "  remove NAME | seal\n"
	      "  replace                       window set from stdin, one add spec a line\n"
	      "  read ADDR LEN | write ADDR LEN VALUE      pread/pwrite\n"
	      "  mread ADDR LEN | mwrite ADDR LEN VALUE    through mmap\n"
	      "  mmap OFF LEN [private] [write] [exec]     try a mapping\n"
	      "  mprotect OFF LEN [exec]                   map read-only, then ask for write (exec)\n"
	      "  mpeek ADDR LEN | mpoke ADDR LEN VALUE [ro]  map ADDR, access it through /proc/self/mem\n"
	      "  ioctl NUMBER                              a raw ioctl with a zeroed 4 KiB argument\n"
	      "  mremap OFF LEN NEWLEN                     map, then grow\n"
	      "  mrun ADDR CMD...   map ADDR, run CMD, then touch ADDR (value or SIGBUS)\n"
	      "  sigread ADDR LEN   pread under a 100 us timer signal: short N or full N\n",
	      stderr);
	exit(2);
}

static void __attribute__((noreturn)) fail(const char *what)
{
	prog_fail("physmem-t", what);
}

static uint64_t num(const char *s)
{
	return prog_num("physmem-t", s);
}

static int open_dev(void)
{
	int fd;

	if (inherited_fd >= 0)
		return inherited_fd;
	fd = open(dev_path, open_flags | O_CLOEXEC);

	if (fd < 0)
		fail("open");
	return fd;
}

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static void print_value(const uint8_t *buf, size_t len)
{
	uint64_t v = 0;
	size_t i;

	if (len <= 8) {
		memcpy(&v, buf, len);
		printf("0x%0*" PRIx64 "\n", (int)len * 2, v);
		return;
	}
	for (i = 0; i < len; i++)
		printf("%02x", buf[i]);
	putchar('\n');
}

/* ---- window management ---- */

/* argv: NAME SOURCE ARGS [options]; returns 0 or -1. */
static int parse_window(int argc, char **argv, struct physmem_window *w)
{
	int i;

	memset(w, 0, sizeof(*w));
	if (argc < 2)
		return -1;
	/* No terminating NUL if too long: the driver must catch that. */
	memcpy(w->name, argv[0], strnlen(argv[0], sizeof(w->name)));
	if (!strcmp(argv[1], "range") && argc >= 4) {
		w->source = PHYSMEM_SRC_RANGE;
		w->base = num(argv[2]);
		w->size = num(argv[3]);
	} else if (!strcmp(argv[1], "pci") && argc >= 4) {
		w->source = PHYSMEM_SRC_PCI;
		if (parse_bdf(argv[2], &w->src.pci))
			return -1;
		w->src.pci.bar = (uint8_t)num(argv[3]);
	} else if (!strcmp(argv[1], "iomem") && argc >= 6) {
		w->source = PHYSMEM_SRC_IOMEM;
		snprintf(w->src.iomem.label, sizeof(w->src.iomem.label), "%s",
			 argv[2]);
		w->src.iomem.index = (uint32_t)num(argv[3]);
		w->base = num(argv[4]);
		w->size = num(argv[5]);
	} else {
		return -1;
	}
	for (i = w->source == PHYSMEM_SRC_IOMEM ? 6 : 4; i < argc; i++) {
		if (!strcmp(argv[i], "rw"))
			w->flags |= PHYSMEM_WIN_RW;
		else if (!strcmp(argv[i], "wc"))
			w->flags |= PHYSMEM_WIN_WC;
		else if (!strcmp(argv[i], "shared"))
			w->flags |= PHYSMEM_WIN_SHARED;
		else if (!strcmp(argv[i], "pages"))
			w->flags |= PHYSMEM_WIN_PAGES;
		else if (!strcmp(argv[i], "base") && i + 1 < argc)
			w->base = num(argv[++i]);
		else if (!strcmp(argv[i], "poke") && i + 2 < argc &&
			 num(argv[i + 1]) < sizeof(*w)) {
			((uint8_t *)w)[num(argv[i + 1])] = (uint8_t)num(argv[i + 2]);
			i += 2;
		}
		else if (!strcmp(argv[i], "offset") && i + 1 < argc)
			w->offset = num(argv[++i]);
		else if (!strcmp(argv[i], "size") && i + 1 < argc)
			w->size = num(argv[++i]);
		else if (!strcmp(argv[i], "flags") && i + 1 < argc)
			w->flags = (uint32_t)num(argv[++i]);
		else if (!strcmp(argv[i], "dma") && i + 1 < argc)
			w->dma_size = num(argv[++i]);
		else if (!strcmp(argv[i], "dmabits") && i + 1 < argc)
			w->dma_bits = (uint8_t)num(argv[++i]);
		else if (!strcmp(argv[i], "irq"))
			w->flags |= PHYSMEM_WIN_IRQ;
		else
			return -1;
	}
	return 0;
}

static void print_window(const struct physmem_window *w)
{
	printf("%s 0x%" PRIx64 " 0x%" PRIx64 " %s %s%s%s%s%s%s", w->name,
	       (uint64_t)w->base, (uint64_t)w->size,
	       w->flags & PHYSMEM_WIN_RW ? "rw" : "ro",
	       w->flags & PHYSMEM_WIN_WC ? "wc" : "uc",
	       w->flags & PHYSMEM_WIN_SHARED ? " shared" : "",
	       w->flags & PHYSMEM_WIN_PAGES ? " pages" : "",
	       w->flags & PHYSMEM_WIN_CLAIMED ? " claimed" : "",
	       w->flags & PHYSMEM_WIN_MMAP ? " mmap" : "",
	       w->flags & PHYSMEM_WIN_GONE ? " gone" : "");
	if (w->dma_size)
		printf(" dma 0x%" PRIx64 "/0x%" PRIx64 " bits %u",
		       (uint64_t)w->dma_used, (uint64_t)w->dma_size, w->dma_bits);
	printf("%s\n", w->flags & PHYSMEM_WIN_IRQ ? " irq" : "");
}

static int cmd_info(int fd)
{
	struct physmem_info info;

	if (ioctl(fd, PHYSMEM_IOC_INFO, &info))
		fail("info");
	printf("version %u.%u windows %u sealed %u bits %u\n",
	       info.version_major, info.version_minor, info.nr_windows,
	       info.flags & PHYSMEM_INFO_SEALED ? 1 : 0, info.phys_addr_bits);
	return 0;
}

static int cmd_list(int fd, uint32_t failed)
{
	struct physmem_window_array arr = { .failed = failed };
	struct physmem_window *w = NULL;
	uint32_t i;

	/* Ask for the count first, then for that many. */
	if (ioctl(fd, PHYSMEM_IOC_LIST, &arr))
		fail("list");
	if (arr.count) {
		w = calloc(arr.count, sizeof(*w));
		if (!w)
			fail("calloc");
		arr.windows = (uintptr_t)w;
		if (ioctl(fd, PHYSMEM_IOC_LIST, &arr))
			fail("list");
	}
	for (i = 0; i < arr.count; i++)
		print_window(&w[i]);
	free(w);
	return 0;
}

static int cmd_add(int fd, int argc, char **argv)
{
	struct physmem_window w;

	if (parse_window(argc, argv, &w))
		usage();
	if (ioctl(fd, PHYSMEM_IOC_ADD, &w))
		fail("add");
	print_window(&w);
	return 0;
}

static int cmd_remove(int fd, const char *name)
{
	struct physmem_name n = { { 0 } };

	snprintf(n.name, sizeof(n.name), "%s", name);
	if (ioctl(fd, PHYSMEM_IOC_REMOVE, &n))
		fail("remove");
	return 0;
}

static int cmd_replace(int fd)
{
	struct physmem_window_array arr = { 0 };
	struct physmem_window *set = NULL;
	char line[512];

	while (fgets(line, sizeof(line), stdin)) {
		char *args[16], *tok, *save = NULL;
		int n = 0;

		for (tok = strtok_r(line, " \t\n", &save); tok && n < 16;
		     tok = strtok_r(NULL, " \t\n", &save))
			args[n++] = tok;
		if (!n)
			continue;
		set = realloc(set, (arr.count + 1) * sizeof(*set));
		if (!set)
			fail("realloc");
		if (parse_window(n, args, &set[arr.count]))
			usage();
		arr.count++;
	}
	arr.windows = (uintptr_t)set;
	if (ioctl(fd, PHYSMEM_IOC_REPLACE, &arr)) {
		char what[48] = "replace";

		if (arr.failed)
			snprintf(what, sizeof(what), "replace: window #%u", arr.failed - 1);
		fail(what);
	}
	free(set);
	return 0;
}

/* ---- access ---- */

static int cmd_read(int fd, uint64_t addr, size_t len)
{
	uint8_t *buf = malloc(len ? len : 1);
	ssize_t n;

	if (!buf)
		fail("malloc");
	n = pread(fd, buf, len, (off_t)addr);
	if (n < 0)
		fail("pread");
	if ((size_t)n != len) {
		printf("physmem-t: pread: short read %zd of %zu\n", n, len);
		return 1;
	}
	print_value(buf, len);
	free(buf);
	return 0;
}

static int cmd_write(int fd, uint64_t addr, size_t len, uint64_t value)
{
	uint8_t *buf = malloc(len ? len : 1);
	size_t i;
	ssize_t n;

	if (!buf)
		fail("malloc");
	/* Longer than 8: repeat the value's bytes, little endian. */
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(value >> (8 * (i % 8)));
	n = pwrite(fd, buf, len, (off_t)addr);
	if (n < 0)
		fail("pwrite");
	if ((size_t)n != len) {
		printf("physmem-t: pwrite: short write %zd of %zu\n", n, len);
		return 1;
	}
	free(buf);
	return 0;
}

static volatile uint8_t *map_at(int fd, uint64_t addr, int prot)
{
	uint64_t base = addr & ~(uint64_t)(page_size() - 1);
	void *p = mmap(NULL, page_size(), prot, MAP_SHARED, fd, (off_t)base);

	if (p == MAP_FAILED)
		fail("mmap");
	return (volatile uint8_t *)p + (addr - base);
}

static uint64_t mem_read(volatile uint8_t *p, size_t len)
{
	switch (len) {
	case 1: return *p;
	case 2: return *(volatile uint16_t *)p;
	case 4: return *(volatile uint32_t *)p;
	case 8: return *(volatile uint64_t *)p;
	}
	fprintf(stderr, "physmem-t: width must be 1, 2, 4 or 8\n");
	exit(2);
}

static void mem_write(volatile uint8_t *p, size_t len, uint64_t v)
{
	switch (len) {
	case 1: *p = (uint8_t)v; return;
	case 2: *(volatile uint16_t *)p = (uint16_t)v; return;
	case 4: *(volatile uint32_t *)p = (uint32_t)v; return;
	case 8: *(volatile uint64_t *)p = v; return;
	}
	fprintf(stderr, "physmem-t: width must be 1, 2, 4 or 8\n");
	exit(2);
}

static int cmd_mread(int fd, uint64_t addr, size_t len)
{
	printf("0x%0*" PRIx64 "\n", (int)len * 2,
	       mem_read(map_at(fd, addr, PROT_READ), len));
	return 0;
}

static int cmd_mwrite(int fd, uint64_t addr, size_t len, uint64_t v)
{
	mem_write(map_at(fd, addr, PROT_READ | PROT_WRITE), len, v);
	return 0;
}

static int cmd_mmap(int fd, int argc, char **argv)
{
	int flags = MAP_SHARED, prot = PROT_READ;
	int i;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "private"))
			flags = MAP_PRIVATE;
		else if (!strcmp(argv[i], "write"))
			prot |= PROT_WRITE;
		else if (!strcmp(argv[i], "exec"))
			prot |= PROT_EXEC;
		else
			usage();
	}
	if (mmap(NULL, num(argv[1]), prot, flags, fd, (off_t)num(argv[0])) ==
	    MAP_FAILED)
		fail("mmap");
	puts("ok");
	return 0;
}

static int cmd_mprotect(int fd, uint64_t off, size_t len, bool exec)
{
	void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)off);

	if (p == MAP_FAILED)
		fail("mmap");
	if (mprotect(p, len, exec ? PROT_READ | PROT_EXEC : PROT_READ | PROT_WRITE))
		fail("mprotect");
	puts("ok");
	return 0;
}

static int cmd_mremap(int fd, uint64_t off, size_t len, size_t newlen)
{
	void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)off);

	if (p == MAP_FAILED)
		fail("mmap");
	if (mremap(p, len, newlen, MREMAP_MAYMOVE) == MAP_FAILED)
		fail("mremap");
	puts("ok");
	return 0;
}

/*
 * What a debugger sees: the mapping read or written through /proc/self/mem,
 * which cannot follow a VM_IO mapping's pages and asks the driver's
 * ->access instead. The page is not touched directly first.
 */
static int cmd_mpeek(int fd, uint64_t addr, size_t len, int prot, bool poke,
		     uint64_t v)
{
	volatile uint8_t *p = map_at(fd, addr, prot);
	uint8_t buf[8] = { 0 };
	int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	ssize_t n;

	if (len == 0 || len > 8) {
		fprintf(stderr, "physmem-t: LEN must be 1..8\n");
		exit(2);
	}
	if (mem < 0)
		fail("open /proc/self/mem");
	if (poke) {
		memcpy(buf, &v, len);
		n = pwrite(mem, buf, len, (off_t)(uintptr_t)p);
		if (n < 0)
			fail("pwrite /proc/self/mem");
		puts("ok");
		return 0;
	}
	n = pread(mem, buf, len, (off_t)(uintptr_t)p);
	if (n < 0)
		fail("pread /proc/self/mem");
	print_value(buf, (size_t)n);
	return 0;
}

static int cmd_ioctl(int fd, unsigned long nr)
{
	static uint8_t arg[4096];

	if (ioctl(fd, nr, arg))
		fail("ioctl");
	puts("ok");
	return 0;
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, sig);
}

/*
 * Map ADDR and read it, run CMD while the mapping is live, then read again:
 * prints "before V", "cmd exit N", then "after V" or "SIGBUS".
 */
static int cmd_mrun(int fd, uint64_t addr, char **cmd)
{
	volatile uint32_t *p = (volatile uint32_t *)map_at(fd, addr, PROT_READ);
	struct sigaction sa = { .sa_handler = on_sigbus };
	int status;
	pid_t pid;

	printf("before 0x%08x\n", *p);
	fflush(stdout);
	close(fd);	/* the mapping alone must keep the module in use */

	pid = fork();
	if (pid < 0)
		fail("fork");
	if (!pid) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		fail("waitpid");
	printf("cmd exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	fflush(stdout);

	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(bus_jmp, 1)) {
		puts("SIGBUS");
		return 0;
	}
	printf("after 0x%08x\n", *p);
	return 0;
}

static void on_alarm(int sig)
{
}

/*
 * pread LEN bytes while a timer signals every 100 us (no SA_RESTART):
 * prints "short N" if the read stopped early, else "full N".
 */
static int cmd_sigread(int fd, uint64_t addr, size_t len)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = {
		.it_interval = { .tv_usec = 100 },
		.it_value = { .tv_usec = 100 },
	};
	uint8_t *buf = malloc(len);
	ssize_t n;

	if (!buf)
		fail("malloc");
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	n = pread(fd, buf, len, (off_t)addr);
	if (n < 0)
		fail("pread");
	printf("%s %zd\n", (size_t)n < len ? "short" : "full", n);
	free(buf);
	return 0;
}

static int run_sigread(int fd, int argc, char **argv)
{
	return cmd_sigread(fd, num(argv[0]), num(argv[1]));
}

static int run_open(int fd, int argc, char **argv)
{
	puts("ok");
	return 0;
}

static int run_info(int fd, int argc, char **argv)
{
	return cmd_info(fd);
}

static int run_list(int fd, int argc, char **argv)
{
	return cmd_list(fd, argc ? (uint32_t)num(argv[0]) : 0);
}

static int run_add(int fd, int argc, char **argv)
{
	return cmd_add(fd, argc, argv);
}

static int run_remove(int fd, int argc, char **argv)
{
	return cmd_remove(fd, argv[0]);
}

static int run_seal(int fd, int argc, char **argv)
{
	if (ioctl(fd, PHYSMEM_IOC_SEAL))
		fail("seal");
	return 0;
}

static int run_replace(int fd, int argc, char **argv)
{
	return cmd_replace(fd);
}

static int run_read(int fd, int argc, char **argv)
{
	return cmd_read(fd, num(argv[0]), num(argv[1]));
}

static int run_write(int fd, int argc, char **argv)
{
	return cmd_write(fd, num(argv[0]), num(argv[1]), num(argv[2]));
}

static int run_mread(int fd, int argc, char **argv)
{
	return cmd_mread(fd, num(argv[0]), num(argv[1]));
}

static int run_mwrite(int fd, int argc, char **argv)
{
	return cmd_mwrite(fd, num(argv[0]), num(argv[1]), num(argv[2]));
}

static int run_mprotect(int fd, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[2], "exec"))
		usage();
	return cmd_mprotect(fd, num(argv[0]), num(argv[1]), argc == 3);
}

static int run_mpeek(int fd, int argc, char **argv)
{
	return cmd_mpeek(fd, num(argv[0]), num(argv[1]), PROT_READ, false, 0);
}

/* "ro": poke through a read-only mapping, as a debugger may try. */
static int run_mpoke(int fd, int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[3], "ro"))
		usage();
	return cmd_mpeek(fd, num(argv[0]), num(argv[1]),
			 argc == 4 ? PROT_READ : PROT_READ | PROT_WRITE, true,
			 num(argv[2]));
}

static int run_ioctl(int fd, int argc, char **argv)
{
	return cmd_ioctl(fd, (unsigned long)num(argv[0]));
}

static int run_mremap(int fd, int argc, char **argv)
{
	return cmd_mremap(fd, num(argv[0]), num(argv[1]), num(argv[2]));
}

static int run_mrun(int fd, int argc, char **argv)
{
	return cmd_mrun(fd, num(argv[0]), argv + 1);
}

/* min_args..max_args after the command name; -1: no upper bound. */
static const struct command {
	const char *name;
	int min_args, max_args;
	int (*run)(int fd, int argc, char **argv);
} commands[] = {
	{ "open",	0, 0,	run_open },
	{ "info",	0, 0,	run_info },
	{ "list",	0, 1,	run_list },
	{ "add",	2, -1,	run_add },
	{ "remove",	1, 1,	run_remove },
	{ "seal",	0, 0,	run_seal },
	{ "replace",	0, 0,	run_replace },
	{ "read",	2, 2,	run_read },
	{ "write",	3, 3,	run_write },
	{ "mread",	2, 2,	run_mread },
	{ "mwrite",	3, 3,	run_mwrite },
	{ "mmap",	2, 5,	cmd_mmap },
	{ "mprotect",	2, 3,	run_mprotect },
	{ "mpeek",	2, 2,	run_mpeek },
	{ "mpoke",	3, 4,	run_mpoke },
	{ "ioctl",	1, 1,	run_ioctl },
	{ "mremap",	3, 3,	run_mremap },
	{ "mrun",	2, -1,	run_mrun },
	{ "sigread",	2, 2,	run_sigread },
};

int main(int argc, char **argv)
{
	const struct command *c;
	size_t i;

	for (;;) {
		if (argc > 2 && !strcmp(argv[1], "-d")) {
			dev_path = argv[2];
		} else if (argc > 2 && !strcmp(argv[1], "-F")) {
			inherited_fd = (int)num(argv[2]);
		} else if (argc > 1 && !strcmp(argv[1], "-r")) {
			open_flags = O_RDONLY;
			argc -= 1;
			argv += 1;
			continue;
		} else {
			break;
		}
		argc -= 2;
		argv += 2;
	}
	if (argc < 2)
		usage();

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		c = &commands[i];
		if (strcmp(argv[1], c->name))
			continue;
		argc -= 2;
		argv += 2;
		if (argc < c->min_args || (c->max_args >= 0 && argc > c->max_args))
			usage();
		return c->run(open_dev(), argc, argv);
	}
	usage();
}
