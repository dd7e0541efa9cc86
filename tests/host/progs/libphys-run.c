// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libphys-run: drive libphys calls from a test script, one operation per
 * argument group, one output line per operation. A failed operation prints
 * "ENAME: message" and the run goes on; the exit status is 1 if any failed.
 *
 * libphys-run [-b BACKEND] [-s SYSROOT] [-l LEN] [-r] [-B] [-S] [-v|-L] [-P PRIO] TARGET OP...
 *   -L                      the library's log on stderr, "err|info|debug: MESSAGE",
 *                           at the context's priority (LIBPHYS_LOG or err)
 *   -v                      the same, down to debug
 *   -P PRIO                 phys_ctx_set_log_priority(PRIO) (after -L/-v)
 *   r1|r2|r4|r8 OFF         w1|w2|w4|w8 OFF VAL
 *   rd W OFF                wr W OFF VAL                (run-time width)
 *   rbuf OFF LEN W          wbuf OFF HEX W    fill OFF LEN VAL W
 *   copy DST SRC LEN W      cmp A B LEN W     (within this map)
 *   xcopy TARGET2 DST SRC LEN W   xcmp TARGET2 A B LEN W  (TARGET2 -> this map)
 *   set OFF W BITS          clr OFF W BITS    upd OFF W MASK VAL
 *   poll OFF W MASK WANT TIMEOUT_US INTERVAL_US
 *   h1|h2|h4|h8 OFF         register handle of that width at OFF (the current one)
 *   hr | hw VAL             read / write through the current handle
 *   hrr | hwr VAL           the same, the _relaxed forms
 *   truncate SIZE           (the file: target's file)
 *   info                    suspect W VAL     resolve TARGET   version
 *   physical                phys_map_physical(), "physical 0|1"
 *   resolvep TARGET         resolve, then " physical 0|1" (info.physical)
 *   logprio                 the context's log priority
 *   backends                phys_backend_name()/_help() of each, "NAME: HELP"
 *   ptr                     "mapped" or "no mapping" (phys_map_ptr)
 *   pci FILTER|-            iomem             windows          sysinfo
 *   sh COMMAND              (run a shell command between two operations)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libphys.h"
#include "prog-util.h"

static struct phys_ctx *ctx;
static struct phys_map *map;
static const char *target;
static int failed;

static int report(int r)
{
	if (r < 0) {
		printf("%s: %s\n", errname(-r), phys_ctx_errmsg(ctx));
		failed = 1;
	}
	return r;
}

static uint64_t num(const char *s)
{
	return prog_num("libphys-run", s);
}

static void need(int argc, int i, int n, const char *op)
{
	prog_need("libphys-run", argc, i, n, op);
}

static int fixed_read(unsigned int w, uint64_t off, uint64_t *v)
{
	uint8_t v8; uint16_t v16; uint32_t v32;
	int r;

	switch (w) {
	case 1: r = phys_read8(map, off, &v8); *v = v8; return r;
	case 2: r = phys_read16(map, off, &v16); *v = v16; return r;
	case 4: r = phys_read32(map, off, &v32); *v = v32; return r;
	default: return phys_read64(map, off, v);
	}
}

static int fixed_write(unsigned int w, uint64_t off, uint64_t v)
{
	switch (w) {
	case 1: return phys_write8(map, off, (uint8_t)v);
	case 2: return phys_write16(map, off, (uint16_t)v);
	case 4: return phys_write32(map, off, (uint32_t)v);
	default: return phys_write64(map, off, v);
	}
}

/* The current register handle (libphys.h): its width, 0 for none. */
static unsigned int reg_width;
static struct phys_reg8 reg8;
static struct phys_reg16 reg16;
static struct phys_reg32 reg32;
static struct phys_reg64 reg64;

static int reg_init(unsigned int w, uint64_t off)
{
	reg_width = w;
	switch (w) {
	case 1: return phys_reg8_init(map, off, &reg8);
	case 2: return phys_reg16_init(map, off, &reg16);
	case 4: return phys_reg32_init(map, off, &reg32);
	default: return phys_reg64_init(map, off, &reg64);
	}
}

static void need_handle(const char *op)
{
	if (!reg_width) {
		fprintf(stderr, "libphys-run: %s needs a handle (h1/h2/h4/h8 first)\n", op);
		exit(2);
	}
}

static int reg_read(bool relaxed, uint64_t *v)
{
	uint8_t v8 = 0; uint16_t v16 = 0; uint32_t v32 = 0;
	int r;

	switch (reg_width) {
	case 1: r = relaxed ? phys_reg8_read_relaxed(&reg8, &v8) : phys_reg8_read(&reg8, &v8);
		*v = v8; return r;
	case 2: r = relaxed ? phys_reg16_read_relaxed(&reg16, &v16) : phys_reg16_read(&reg16, &v16);
		*v = v16; return r;
	case 4: r = relaxed ? phys_reg32_read_relaxed(&reg32, &v32) : phys_reg32_read(&reg32, &v32);
		*v = v32; return r;
	default: return relaxed ? phys_reg64_read_relaxed(&reg64, v) : phys_reg64_read(&reg64, v);
	}
}

static int reg_write(bool relaxed, uint64_t v)
{
	switch (reg_width) {
	case 1: return relaxed ? phys_reg8_write_relaxed(&reg8, (uint8_t)v)
			       : phys_reg8_write(&reg8, (uint8_t)v);
	case 2: return relaxed ? phys_reg16_write_relaxed(&reg16, (uint16_t)v)
			       : phys_reg16_write(&reg16, (uint16_t)v);
	case 4: return relaxed ? phys_reg32_write_relaxed(&reg32, (uint32_t)v)
			       : phys_reg32_write(&reg32, (uint32_t)v);
	default: return relaxed ? phys_reg64_write_relaxed(&reg64, v) : phys_reg64_write(&reg64, v);
	}
}

static void print_val(unsigned int w, uint64_t v)
{
	printf("0x%0*" PRIx64 "\n", (int)w * 2, v);
}

static int pci_print(const struct phys_pci_dev *d, void *data)
{
	printf("%04x:%02x:%02x.%x %04x:%04x class %04x driver '%s' mem %d",
	       d->domain, d->bus, d->dev, d->func, d->vendor_id, d->device_id,
	       d->class_id, d->driver, d->mem_decode);
	for (int i = 0; i < 6; i++)
		if (d->bars[i].size)
			printf(" bar%d=0x%" PRIx64 "+0x%" PRIx64 "%s%s%s%s", i, d->bars[i].addr,
			       d->bars[i].size, d->bars[i].is_io ? ",io" : "",
			       d->bars[i].is_64bit ? ",64" : "",
			       d->bars[i].prefetchable ? ",pf" : "",
			       d->bars[i].assigned ? "" : ",unassigned");
	printf("\n");
	return 0;
}

static int iomem_print(const struct phys_iomem_region *r, void *data)
{
	printf("%*s%08" PRIx64 "-%08" PRIx64 " : %s\n", (int)r->depth * 2, "", r->start,
	       r->end, r->label);
	return 0;
}

static int window_print(const struct phys_window_info *w, void *data)
{
	char line[256];

	phys_window_format(w, line, sizeof(line));
	puts(line);
	return 0;
}

/* Ops that need no map. Returns the number of arguments consumed, 0 if not one. */
static int global_op(int argc, char **argv, int i)
{
	const char *op = argv[i];
	struct phys_target_info ti = PHYS_INFO_INIT(struct phys_target_info);
	struct phys_system_info si = PHYS_INFO_INIT(struct phys_system_info);

	if (!strcmp(op, "version")) {
		printf("%s\n", phys_version());
		return 1;
	}
	if (!strcmp(op, "logprio")) {
		printf("%d\n", phys_ctx_get_log_priority(ctx));
		return 1;
	}
	if (!strcmp(op, "backends")) {
		for (unsigned int b = 0; phys_backend_name(b); b++)
			printf("%s: %s\n", phys_backend_name(b), phys_backend_help(b));
		return 1;
	}
	if (!strcmp(op, "resolve") || !strcmp(op, "resolvep")) {
		need(argc, i, 1, op);
		if (!report(phys_target_resolve(ctx, argv[i + 1], &ti))) {
			printf("phys 0x%" PRIx64 " size 0x%" PRIx64 " window '%s' backend %s",
			       ti.phys, ti.size, ti.window, ti.backend);
			if (op[7])
				printf(" physical %d", ti.physical);
			printf("\n");
		}
		return 2;
	}
	if (!strcmp(op, "pci")) {
		need(argc, i, 1, op);
		report(phys_pci_foreach(ctx, strcmp(argv[i + 1], "-") ? argv[i + 1] : NULL,
					pci_print, NULL));
		return 2;
	}
	if (!strcmp(op, "iomem")) {
		report(phys_iomem_foreach(ctx, iomem_print, NULL));
		return 1;
	}
	if (!strcmp(op, "windows")) {
		report(phys_window_foreach(ctx, window_print, NULL));
		return 1;
	}
	if (!strcmp(op, "sh")) {
		need(argc, i, 1, op);
		fflush(stdout);
		if (system(argv[i + 1]))
			fprintf(stderr, "libphys-run: '%s' failed\n", argv[i + 1]);
		return 2;
	}
	if (!strcmp(op, "sysinfo")) {
		if (!report(phys_system_info(ctx, &si)))
			printf("driver %d sealed %d lockdown '%s' strict %d io_strict %d rawio %d admin %d\n",
			       si.driver_loaded, si.driver_sealed, si.lockdown, si.strict_devmem,
			       si.io_strict_devmem, si.cap_sys_rawio, si.cap_sys_admin);
		return 1;
	}
	return 0;
}

static int map_op(int argc, char **argv, int i)
{
	const char *op = argv[i];
	uint64_t v = 0, d = 0;
	unsigned int w;

	if ((op[0] == 'r' || op[0] == 'w') && strchr("1248", op[1]) && !op[2]) {
		w = (unsigned int)(op[1] - '0');
		if (op[0] == 'r') {
			need(argc, i, 1, op);
			if (!report(fixed_read(w, num(argv[i + 1]), &v)))
				print_val(w, v);
			return 2;
		}
		need(argc, i, 2, op);
		if (!report(fixed_write(w, num(argv[i + 1]), num(argv[i + 2]))))
			printf("ok\n");
		return 3;
	}
	if (op[0] == 'h' && strchr("1248", op[1]) && !op[2]) {
		need(argc, i, 1, op);
		if (!report(reg_init((unsigned int)(op[1] - '0'), num(argv[i + 1]))))
			printf("ok\n");
		return 2;
	}
	if (!strcmp(op, "hr") || !strcmp(op, "hrr")) {
		need_handle(op);
		if (!report(reg_read(op[2] == 'r', &v)))
			print_val(reg_width, v);
		return 1;
	}
	if (!strcmp(op, "hw") || !strcmp(op, "hwr")) {
		need(argc, i, 1, op);
		need_handle(op);
		if (!report(reg_write(op[2] == 'r', num(argv[i + 1]))))
			printf("ok\n");
		return 2;
	}
	if (!strcmp(op, "rd")) {
		need(argc, i, 2, op);
		w = (unsigned int)num(argv[i + 1]);
		if (!report(phys_read(map, num(argv[i + 2]), w, &v)))
			print_val(w, v);
		return 3;
	}
	if (!strcmp(op, "wr")) {
		need(argc, i, 3, op);
		if (!report(phys_write(map, num(argv[i + 2]), (unsigned int)num(argv[i + 1]),
				       num(argv[i + 3]))))
			printf("ok\n");
		return 4;
	}
	if (!strcmp(op, "rbuf")) {
		size_t len;
		unsigned char *buf;

		need(argc, i, 3, op);
		len = (size_t)num(argv[i + 2]);
		buf = calloc(1, len + 1);
		if (!report(phys_read_buf(map, num(argv[i + 1]), buf, len,
					  (unsigned int)num(argv[i + 3])))) {
			for (size_t k = 0; k < len; k++)
				printf("%02x", buf[k]);
			printf("\n");
		}
		free(buf);
		return 4;
	}
	if (!strcmp(op, "wbuf")) {
		const char *hex = argv[i + 2];
		size_t len;
		unsigned char *buf;

		need(argc, i, 3, op);
		len = strlen(hex) / 2;
		buf = calloc(1, len + 1);
		for (size_t k = 0; k < len; k++)
			sscanf(hex + 2 * k, "%2hhx", &buf[k]);
		if (!report(phys_write_buf(map, num(argv[i + 1]), buf, len,
					   (unsigned int)num(argv[i + 3]))))
			printf("ok\n");
		free(buf);
		return 4;
	}
	if (!strcmp(op, "fill")) {
		need(argc, i, 4, op);
		if (!report(phys_fill(map, num(argv[i + 1]), (size_t)num(argv[i + 2]),
				      num(argv[i + 3]), (unsigned int)num(argv[i + 4]))))
			printf("ok\n");
		return 5;
	}
	if (!strcmp(op, "copy") || !strcmp(op, "cmp") || !strcmp(op, "xcopy") || !strcmp(op, "xcmp")) {
		bool cross = op[0] == 'x';
		struct phys_map *src = map;
		int k = i + 1 + cross, r;

		need(argc, i, 4 + cross, op);
		if (cross) {
			src = phys_map_open(ctx, argv[i + 1], 0, 0);
			if (!src) {
				report(-errno);
				return 6;
			}
		}
		if (!strcmp(op + cross, "copy")) {
			if (!report(phys_copy(map, num(argv[k]), src, num(argv[k + 1]),
					      (size_t)num(argv[k + 2]), (unsigned int)num(argv[k + 3]))))
				printf("ok\n");
		} else {
			r = report(phys_compare(map, num(argv[k]), src, num(argv[k + 1]),
						(size_t)num(argv[k + 2]),
						(unsigned int)num(argv[k + 3]), &d));
			if (r == 0)
				printf("equal\n");
			else if (r == 1)
				printf("differ at 0x%" PRIx64 "\n", d);
		}
		if (cross)
			phys_map_close(src);
		return 5 + cross;
	}
	if (!strcmp(op, "set") || !strcmp(op, "clr")) {
		int r;

		need(argc, i, 3, op);
		w = (unsigned int)num(argv[i + 2]);
		r = op[0] == 's' ? phys_set_bits(map, num(argv[i + 1]), w, num(argv[i + 3]), &v, &d)
				 : phys_clear_bits(map, num(argv[i + 1]), w, num(argv[i + 3]), &v, &d);
		if (!report(r))
			printf("old 0x%" PRIx64 " new 0x%" PRIx64 "\n", v, d);
		return 4;
	}
	if (!strcmp(op, "upd")) {
		need(argc, i, 4, op);
		if (!report(phys_update(map, num(argv[i + 1]), (unsigned int)num(argv[i + 2]),
					num(argv[i + 3]), num(argv[i + 4]), &v, &d)))
			printf("old 0x%" PRIx64 " new 0x%" PRIx64 "\n", v, d);
		return 5;
	}
	if (!strcmp(op, "poll")) {
		int r;

		need(argc, i, 6, op);
		v = 0xdeadbeef;
		r = report(phys_poll(map, num(argv[i + 1]), (unsigned int)num(argv[i + 2]),
				     num(argv[i + 3]), num(argv[i + 4]), num(argv[i + 5]),
				     num(argv[i + 6]), &v));
		printf("%s last 0x%" PRIx64 "\n", r ? "timeout" : "matched", v);
		return 7;
	}
	if (!strcmp(op, "truncate")) {
		need(argc, i, 1, op);
		if (strncmp(target, "file:", 5) || truncate(target + 5, (off_t)num(argv[i + 1]))) {
			fprintf(stderr, "libphys-run: cannot truncate %s\n", target);
			exit(2);
		}
		printf("truncated\n");
		return 2;
	}
	if (!strcmp(op, "info")) {
		printf("phys 0x%" PRIx64 " size 0x%" PRIx64 " name %s flags 0x%x ctx %d\n",
		       phys_map_phys(map), phys_map_size(map), phys_map_name(map),
		       phys_map_flags(map), phys_map_ctx(map) == ctx);
		return 1;
	}
	if (!strcmp(op, "physical")) {
		printf("physical %d\n", phys_map_physical(map));
		return 1;
	}
	if (!strcmp(op, "ptr")) {
		printf("%s\n", phys_map_ptr(map) ? "mapped" : "no mapping");
		return 1;
	}
	if (!strcmp(op, "suspect")) {
		need(argc, i, 2, op);
		printf("%s\n", phys_value_suspect(map, (unsigned int)num(argv[i + 1]),
						  num(argv[i + 2])) ? "suspect" : "plausible");
		return 3;
	}
	fprintf(stderr, "libphys-run: unknown operation '%s'\n", op);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	uint64_t len = 0;
	int opt, i;

	ctx = phys_ctx_new();
	if (!ctx)
		return 2;
	while ((opt = getopt(argc, argv, "+b:s:l:rBSp:vLP:")) != -1) {
		switch (opt) {
		case 'b':
			if (report(phys_ctx_set_backend(ctx, optarg)))
				return 1;
			break;
		case 's':
			if (report(phys_ctx_set_sysroot(ctx, optarg)))
				return 1;
			break;
		case 'p': {
			const char *files[] = { optarg, NULL };

			if (report(phys_ctx_set_policy_files(ctx, files)))
				return 1;
			break;
		}
		case 'l': len = num(optarg); break;
		case 'r': flags |= PHYS_MAP_RDONLY; break;
		case 'B': flags |= PHYS_MAP_BIG_ENDIAN; break;
		case 'S': flags |= PHYS_MAP_SPLIT64; break;
		case 'v':
			phys_ctx_set_log_priority(ctx, 7 /* LOG_DEBUG */);
			/* fall through */
		case 'L': phys_ctx_set_log_fn(ctx, log_stderr, NULL); break;
		case 'P':
			if (report(phys_ctx_set_log_priority(ctx, (int)strtol(optarg, NULL, 0))))
				return 1;
			break;
		default: return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: libphys-run [-b BACKEND] [-s SYSROOT] [-p POLICY] [-l LEN] [-r] [-B] [-S] [-v|-L] [-P PRIO] TARGET|- OP...\n");
		return 2;
	}
	target = argv[optind++];
	if (strcmp(target, "-")) {
		map = phys_map_open(ctx, target, len, flags);
		if (!map) {
			report(-errno);
			phys_ctx_free(ctx);
			return 1;
		}
	}
	for (i = optind; i < argc;) {
		int n = global_op(argc, argv, i);

		if (!n) {
			if (!map) {
				fprintf(stderr, "libphys-run: '%s' needs a target\n", argv[i]);
				return 2;
			}
			n = map_op(argc, argv, i);
		}
		i += n;
	}
	phys_map_close(map);
	phys_ctx_free(ctx);
	return failed;
}
