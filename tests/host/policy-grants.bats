#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Grants to the device behind a pci rule: `dma SIZE`, `dma-mask BITS` and
# `irq` (physmem.conf(5)). Parsed and refused by the policy core (policy-dump
# prints what it understood), one granting rule per device checked where the
# device is known (by spelling when parsing, by the device found when
# resolving: physmem-policy on a fake sysroot), printed in the one window
# format, and sent to the driver by `load` (a REPLACE the test fakes with a
# small LD_PRELOAD shim, built here), whose EBUSY is explained by the driver
# bound to the device.

load policy

SHIM="$BATS_FILE_TMPDIR/replace-shim.so"

setup_file() {
	make -s -C "$TOP/policy" core >/dev/null
	make -s -C "$TOP/tests/host/progs" policy-dump >/dev/null
	make -s -C "$TOP/libphys" >/dev/null
	make -s -C "$TOP/physmem-policy" >/dev/null
	# The driver's REPLACE and LIST on a regular file $ROOT/dev/physmem:
	# REPLACE writes the windows sent to $SHIM_TABLE, one a line, or fails
	# with $SHIM_ERRNO and failed = $SHIM_FAILED; LIST returns them,
	# claimed, holding $SHIM_DMA_USED bytes of DMA buffers where they grant.
	cat >"$BATS_FILE_TMPDIR/shim.c" <<-'EOC'
	#define _GNU_SOURCE
	#include <dlfcn.h>
	#include <errno.h>
	#include <inttypes.h>
	#include <stdarg.h>
	#include <stdio.h>
	#include <stdlib.h>
	#include <string.h>
	#include <unistd.h>
	#include <linux/physmem.h>

	static int is_dev(int fd)
	{
		char link[64], path[4096];
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof(path) - 1);
		if (n < 12)
			return 0;
		path[n] = '\0';
		return !strcmp(path + n - 12, "/dev/physmem");
	}

	int ioctl(int fd, unsigned long req, ...)
	{
		int (*real)(int, unsigned long, ...) = dlsym(RTLD_NEXT, "ioctl");
		struct physmem_window_array *a;
		struct physmem_window *w;
		char name[PHYSMEM_NAME_MAX];
		unsigned long long size, dma;
		unsigned int src, flags, bits, dom, bus, devfn, bar, i = 0;
		va_list ap;
		void *arg;
		FILE *f;

		va_start(ap, req);
		arg = va_arg(ap, void *);
		va_end(ap);
		if (!is_dev(fd) || (req != PHYSMEM_IOC_REPLACE && req != PHYSMEM_IOC_LIST))
			return real(fd, req, arg);
		a = arg;
		w = (struct physmem_window *)(uintptr_t)a->windows;
		if (req == PHYSMEM_IOC_REPLACE) {
			if (getenv("SHIM_ERRNO")) {
				a->failed = (unsigned int)atoi(getenv("SHIM_FAILED") ? getenv("SHIM_FAILED") : "0");
				errno = atoi(getenv("SHIM_ERRNO"));
				return -1;
			}
			f = fopen(getenv("SHIM_TABLE"), "w");
			for (i = 0; i < a->count; i++)
				fprintf(f, "%s %u 0x%x 0x%llx 0x%llx %u %u %u %u %u\n", w[i].name,
					w[i].source, w[i].flags, (unsigned long long)w[i].size,
					(unsigned long long)w[i].dma_size, w[i].dma_bits,
					w[i].src.pci.domain, w[i].src.pci.bus, w[i].src.pci.devfn,
					w[i].src.pci.bar);
			fclose(f);
			return 0;
		}
		f = fopen(getenv("SHIM_TABLE"), "r");
		while (f && fscanf(f, "%31s %u %x %llx %llx %u %u %u %u %u", name, &src, &flags,
				   &size, &dma, &bits, &dom, &bus, &devfn, &bar) == 10) {
			if (i < a->count) {
				memset(&w[i], 0, sizeof(w[i]));
				snprintf(w[i].name, sizeof(w[i].name), "%s", name);
				w[i].source = src;
				w[i].flags = flags | PHYSMEM_WIN_CLAIMED;
				w[i].base = 0xfea00000 + 0x100000ull * i;
				w[i].size = size ? size : 0x100000;
				w[i].dma_size = dma;
				w[i].dma_bits = (unsigned char)bits;
				if (src == PHYSMEM_SRC_PCI) {
					w[i].src.pci.domain = dom;
					w[i].src.pci.bus = (unsigned char)bus;
					w[i].src.pci.devfn = (unsigned char)devfn;
					w[i].src.pci.bar = (unsigned char)bar;
				}
				if (dma && getenv("SHIM_DMA_USED"))
					w[i].dma_used = strtoull(getenv("SHIM_DMA_USED"), NULL, 0);
			}
			i++;
		}
		if (f)
			fclose(f);
		a->count = i;
		return 0;
	}
	EOC
	"$CC" -shared -fPIC -I"$TOP/physmem-drv/include/uapi" -o "$SHIM" "$BATS_FILE_TMPDIR/shim.c" -ldl
}

# make_dev BDF VENDOR DEVICE BAR0_START [DRIVER]: a PCI device with a 1 MiB
# BAR 0 and a 4 KiB BAR 2 (as libphys-sysroot.bats fakes them).
make_dev() {
	local d="$ROOT/sys/bus/pci/devices/$1" b=$4
	fake_pci_dev "$d" "$2" "$3"
	fake_pci_bars "$d" "$b-$((b + 0xfffff))" - "$((b + 0x100000))-$((b + 0x100fff))"
	if [ -n "${5:-}" ]; then fake_pci_driver "$d" "$5"; fi
}

setup() {
	F="$BATS_TEST_TMPDIR/p.conf"
	ROOT="$BATS_TEST_TMPDIR/root"
	# two edu devices; the second driven by e1000e (for the example's sake)
	make_dev 0000:00:04.0 0x1234 0x11e8 0xfe000000
	make_dev 0000:00:05.0 0x1234 0x11e8 0xfe200000 e1000e
	mkdir -p "$ROOT/proc" "$ROOT/dev" "$ROOT/etc/physmem"
	echo 'fe000000-feffffff : PCI Bus 0000:00' >"$ROOT/proc/iomem"
	: >"$ROOT/dev/physmem"
	export SHIM_TABLE="$BATS_TEST_TMPDIR/table"
}

# parse TEXT / parse_err TEXT MESSAGE: as in policy-parse.bats.
parse() {
	printf '%s\n' "$1" > "$F"
	run bash -c '"$0" "$1" 2>&1 | sed "s|$1|F|g"; exit ${PIPESTATUS[0]}' "$DUMP" "$F"
}

parse_err() {
	parse "$1"
	assert_failure 1
	assert_output "F:$2"
}

# check ARGS...: physmem-policy check on the fake sysroot, paths shortened to F.
check() {
	run bash -c '"$0" --root "$1" check "${@:3}" "$2" 2>&1 | sed "s|$2|F|g"; exit ${PIPESTATUS[0]}' \
		"$TOP/physmem-policy/physmem-policy" "$ROOT" "$F" "$@"
}

# load: physmem-policy load of $F through the shim.
load_policy() {
	run env LD_PRELOAD="$SHIM" "$TOP/physmem-policy/physmem-policy" --root "$ROOT" load "$F"
}

@test "parse: dma, dma-mask and irq, with the size grammar of 'size'" {
	parse 'allow a pci 1234:11e8 bar 0 rw dma 0x10000 dma-mask 28 irq
allow b pci 1234:11e8#1 bar 2 dma 64K
allow c pci 0000:00:06.0 bar 0 irq dma 0x10_0000 dma-mask 0x40
allow d pci 1234:11e8#2 bar 0 dma-mask 24 dma 1 irq
allow e pci 1234:11e8#3 bar 0 ro wc pages dma 0b1000 irq'
	assert_success
	assert_line -n 0 'a | pci 1234:11e8 bar 0 | rw dma 0x10000 dma-mask 28 irq | F:1:1'
	assert_line -n 1 'b | pci 1234:11e8#1 bar 2 | ro dma 0x10000 | F:2:1'
	assert_line -n 2 'c | pci 0000:00:06.0 bar 0 | ro dma 0x100000 dma-mask 64 irq | F:3:1'
	assert_line -n 3 'd | pci 1234:11e8#2 bar 0 | ro dma 0x1 dma-mask 24 irq | F:4:1'
	assert_line -n 4 'e | pci 1234:11e8#3 bar 0 | ro wc pages dma 0x8 irq | F:5:1'
}

@test "error: grants only go with pci sources" {
	parse_err 'allow x range 0 +1 dma 4K' "1:20: 'dma' only goes with pci sources: it grants to the device behind a BAR"
	parse_err 'allow x iomem "HPET 0" irq' "1:24: 'irq' only goes with pci sources: it grants to the device behind a BAR"
	parse_err 'allow x range 0 +1 dma-mask 32' "1:20: 'dma-mask' only goes with pci sources: it grants to the device behind a BAR"
}

@test "error: grants and 'shared' do not go together, in either order" {
	local why="do not go together: granting dma or irq makes physmem the device's driver, and a shared window coexists with another driver"
	parse_err 'allow x pci 1234:11e8 bar 0 shared dma 4K' "1:36: 'dma' and 'shared' $why"
	parse_err 'allow x pci 1234:11e8 bar 0 dma 4K shared' "1:36: 'dma' and 'shared' $why"
	parse_err 'allow x pci 1234:11e8 bar 0 shared irq' "1:36: 'irq' and 'shared' $why"
	parse_err 'allow x pci 1234:11e8 bar 0 irq shared' "1:33: 'irq' and 'shared' $why"
}

@test "error: dma-mask needs dma; bad masks and sizes; missing numbers" {
	parse_err 'allow x pci 1234:11e8 bar 0 dma-mask 32' "1:29: 'dma-mask' needs 'dma': it is the address width of the device's DMA buffers"
	parse_err 'allow x pci 1234:11e8 bar 0 irq dma-mask 32 rw' "1:33: 'dma-mask' needs 'dma': it is the address width of the device's DMA buffers"
	parse_err 'allow x pci 1234:11e8 bar 0 dma 4K dma-mask 23' "1:45: bad dma mask '23': expected 24 to 64 (the address bits the device drives)"
	parse_err 'allow x pci 1234:11e8 bar 0 dma 4K dma-mask 65' "1:45: bad dma mask '65': expected 24 to 64 (the address bits the device drives)"
	parse_err 'allow x pci 1234:11e8 bar 0 dma 4K dma-mask 0' "1:45: bad dma mask '0': expected 24 to 64 (the address bits the device drives)"
	parse_err 'allow x pci 1234:11e8 bar 0 dma 4K dma-mask 32K' "1:45: bad dma mask '32K': not a number: expected decimal, 0x hex or 0b binary"
	parse_err 'allow x pci 1234:11e8 bar 0 dma 4K dma-mask' "1:44: expected the device's address bits (24 to 64) after 'dma-mask'"
	parse_err 'allow x pci 1234:11e8 bar 0 dma 0' "1:33: zero dma size: leave 'dma' out to grant no DMA buffers"
	parse_err 'allow x pci 1234:11e8 bar 0 dma' "1:32: expected a size after 'dma'"
	parse_err 'allow x pci 1234:11e8 bar 0 dma 4Q' "1:33: bad dma size '4Q': not a number: expected decimal, 0x hex or 0b binary"
	parse_err 'allow x pci 1234:11e8 bar 0 dma 010' "1:33: bad dma size '010': leading zero (octal is not supported): write 10 for decimal or 0x10 for hex"
	parse_err 'allow x pci 1234:11e8 bar 0 dma 17179869184G' "1:33: bad dma size '17179869184G': too large: a number must fit in 64 bits"
}

@test "error: duplicate dma, dma-mask, irq" {
	parse_err 'allow x pci 1234:11e8 bar 0 dma 4K dma 8K' "1:36: duplicate 'dma'"
	parse_err 'allow x pci 1234:11e8 bar 0 dma 4K dma-mask 32 dma-mask 32' "1:48: duplicate 'dma-mask'"
	parse_err 'allow x pci 1234:11e8 bar 0 irq rw irq' "1:36: duplicate 'irq'"
}

@test "one granting rule per device: the same spelling is refused when parsing" {
	local rule="at most one rule per PCI device may grant dma or irq"
	parse 'allow a pci 1234:11e8 bar 0 rw dma 4K
allow b pci 1234:11e8#0 bar 2 irq'
	assert_failure 1
	assert_output "F:2:1: rule 'b': device 1234:11e8#0 is granted dma/irq by rule 'a' (F:1:1) already: $rule"
	parse 'allow a pci 00:04.0 bar 0 irq
  allow b pci 0000:00:04.0 bar 2 dma 4K'
	assert_failure 1
	assert_output "F:2:3: rule 'b': device 0000:00:04.0 is granted dma/irq by rule 'a' (F:1:1) already: $rule"
	# across files too, as names are
	printf 'allow a pci 1234:11e8 bar 0 irq\n' >"$BATS_TEST_TMPDIR/1.conf"
	printf '\nallow b pci 1234:11e8 bar 2 irq\n' >"$BATS_TEST_TMPDIR/2.conf"
	run "$DUMP" "$BATS_TEST_TMPDIR/1.conf" "$BATS_TEST_TMPDIR/2.conf"
	assert_failure 1
	assert_output "$BATS_TEST_TMPDIR/2.conf:2:1: rule 'b': device 1234:11e8 is granted dma/irq by rule 'a' ($BATS_TEST_TMPDIR/1.conf:1:1) already: $rule"
	# other BARs of the device without grants, and other devices, are fine
	parse 'allow a pci 1234:11e8 bar 0 rw dma 4K irq
allow b pci 1234:11e8 bar 2 rw
allow c pci 1234:11e8#1 bar 0 irq
allow d pci 0000:00:04.0 bar 0 dma 4K'
	assert_success
}

@test "one granting rule per device: on the device resolved (policy core)" {
	# policy-dump --resolve: every pci rule is device 0000:00:00.0
	printf '%s\n' 'allow a pci 1234:11e8 bar 0 irq' 'allow b pci 0000:00:00.0 bar 2 dma 4K' >"$F"
	run "$DUMP" "$F"
	assert_success
	run "$DUMP" --resolve 0xfe000000 1M "$F"
	assert_failure 1
	assert_output "$F:2:1: rule 'b': device 0000:00:00.0 is granted dma/irq by rule 'a' ($F:1:1) already: at most one rule per PCI device may grant dma or irq"
}

@test "check: grants in the ACCESS column, in the words of the policy" {
	printf '%s\n' 'allow edu pci 1234:11e8 bar 0 rw dma 64K dma-mask 28 irq' \
		'allow edu-bar2 pci 0000:00:04.0 bar 2 rw' \
		'allow two pci 1234:11e8#1 bar 0 dma 0x1801 dma-mask 64' \
		'allow three pci 0000:00:05.0 bar 2 ro' \
		'allow r range 0xc0000000 +4K' >"$F"
	# the column of a rule without grants stays as it was
	check
	assert_success
	assert_line -n 1 "$(printf '%-16s %-37s %-12s %-14s %s' edu 0xfe000000-0xfe0fffff \
		'rw uc dma 64K dma-mask 28 irq' - 'pci 1234:11e8 bar 0 (0000:00:04.0)')"
	assert_line -n 2 "$(printf '%-16s %-37s %-12s %-14s %s' edu-bar2 0xfe100000-0xfe100fff \
		'rw uc' - 'pci 0000:00:04.0 bar 2')"
	assert_line -n 3 --regexp '^two +0xfe200000-0xfe2fffff +ro uc dma 0x1801 +- +pci 1234:11e8#1 bar 0 \(0000:00:05.0\)$'
	assert_line -n 4 --regexp '^three +0xfe300000-0xfe300fff +ro uc +- +pci 0000:00:05.0 bar 2$'
	check --no-resolve
	assert_success
	assert_line -n 1 --regexp '^edu +- +rw uc dma 64K dma-mask 28 irq +- +pci 1234:11e8 bar 0$'
}

@test "check: one granting rule per device, whatever the spelling, names both rules" {
	printf '%s\n' 'allow edu pci 1234:11e8 bar 0 rw dma 64K' '# the same device' \
		'allow regs pci 0000:00:04.0 bar 2 irq' >"$F"
	check
	assert_failure 1
	assert_output "F:3:1: rule 'regs': device 0000:00:04.0 is granted dma/irq by rule 'edu' (F:1:1) already: at most one rule per PCI device may grant dma or irq"
	# the N-th device by ID is the one at its address
	printf '%s\n' 'allow a pci 0000:00:05.0 bar 2 irq' 'allow b pci 1234:11e8#1 bar 0 dma 4K' >"$F"
	check
	assert_failure 1
	assert_output "F:2:1: rule 'b': device 0000:00:05.0 is granted dma/irq by rule 'a' (F:1:1) already: at most one rule per PCI device may grant dma or irq"
	# without this machine, spellings differ: only the same one is refused
	check --no-resolve
	assert_success
	# one grant per device, other BARs without: fine
	printf '%s\n' 'allow a pci 0000:00:05.0 bar 2 irq' 'allow b pci 1234:11e8#1 bar 0 rw' \
		'allow c pci 1234:11e8 bar 0 dma 4K' >"$F"
	check
	assert_success
}

@test "load: grants are sent in the REPLACE request" {
	[ "$(id -u)" = 0 ] || skip "load needs CAP_SYS_ADMIN and CAP_SYS_RAWIO"
	printf '%s\n' 'allow edu pci 1234:11e8 bar 0 rw dma 64K dma-mask 28 irq' \
		'allow two pci 1234:11e8#1 bar 0 dma 4K dma-mask 64' \
		'allow bar2 pci 0000:00:05.0 bar 2 ro size 0x100' 'allow r range 0xc0000000 +4K' >"$F"
	load_policy
	assert_success
	assert_output "loaded 4 windows"
	# NAME SOURCE FLAGS SIZE DMA_SIZE DMA_BITS DOMAIN BUS DEVFN BAR; IRQ is
	# 0x10, RW 0x1; dma-mask as written, 0 when not (the driver's 64)
	run cat "$SHIM_TABLE"
	assert_line -n 0 'edu 1 0x11 0x0 0x10000 28 0 0 32 0'
	assert_line -n 1 'two 1 0x0 0x0 0x1000 64 0 0 40 0'
	assert_line -n 2 'bar2 1 0x0 0x100 0x0 0 0 0 40 2'
	assert_line -n 3 'r 0 0x0 0x1000 0x0 0 0 0 0 0'
}

@test "show: the driver's grants and the DMA memory held, text and JSON" {
	[ "$(id -u)" = 0 ] || skip "load and show need CAP_SYS_RAWIO"
	printf '%s\n' 'allow edu pci 1234:11e8 bar 0 rw dma 64K dma-mask 28 irq' \
		'allow two pci 1234:11e8#1 bar 0 irq' 'allow r range 0xc0000000 +4K' >"$F"
	load_policy
	assert_success
	SHIM_DMA_USED=0x2000 run env LD_PRELOAD="$SHIM" "$TOP/physmem-policy/physmem-policy" --root "$ROOT" show
	assert_success
	assert_line -n 1 --regexp '^edu +0xfea00000-0xfeafffff +rw uc dma 64K dma-mask 28 irq +claimed,dma-held=8K +pci 0000:00:04.0 bar 0$'
	assert_line -n 2 --regexp '^two +0xfeb00000-0xfebfffff +ro uc irq +claimed +pci 0000:00:05.0 bar 0$'
	assert_line -n 3 "$(printf '%-16s %-37s %-12s %-14s %s' r 0xfec00000-0xfec00fff 'ro uc' claimed range)"
	run env LD_PRELOAD="$SHIM" "$TOP/physmem-policy/physmem-policy" --root "$ROOT" show --json
	assert_success
	run python3 -c '
import json, sys
for w in json.loads(sys.argv[1])["windows"]:
    print(w["name"], w.get("dma_size"), w.get("dma_bits"), w.get("dma_used"), w.get("irq"))' "$output"
	assert_line -n 0 'edu 65536 28 0 True'
	assert_line -n 1 'two None None None True'
	assert_line -n 2 'r None None None None'
}

@test "load: EBUSY on a granting rule names the device's driver and how to unbind it" {
	[ "$(id -u)" = 0 ] || skip "load needs CAP_SYS_ADMIN and CAP_SYS_RAWIO"
	printf '%s\n' 'allow edu pci 1234:11e8 bar 0 rw' 'allow nic pci 1234:11e8#1 bar 0 rw dma 64K irq' >"$F"
	SHIM_ERRNO=16 SHIM_FAILED=2 load_policy
	assert_failure 4
	assert_output "physmem-policy: load: $F:2:1: rule 'nic': refused by the driver: device 0000:00:05.0 is driven by e1000e; physmem must be its driver to grant dma/irq: unbind it with 'echo 0000:00:05.0 > /sys/bus/pci/drivers/e1000e/unbind'; nothing changed"
	[ ! -e "$SHIM_TABLE" ]
	# no driver bound (as far as sysfs says): the kernel log says more
	rm "$ROOT/sys/bus/pci/devices/0000:00:05.0/driver"
	SHIM_ERRNO=16 SHIM_FAILED=2 load_policy
	assert_failure 4
	assert_output "physmem-policy: load: $F:2:1: rule 'nic': refused by the driver: its range is in use by another driver, or another driver drives the device (physmem must be its driver to grant dma/irq); nothing changed (see dmesg)"
	# a rule without grants keeps its explanation
	SHIM_ERRNO=16 SHIM_FAILED=1 load_policy
	assert_failure 4
	assert_output "physmem-policy: load: $F:1:1: rule 'edu': refused by the driver: its range is in use by another driver (add 'shared' to coexist); nothing changed"
	# EEXIST on a granting rule: a grant elsewhere may be why
	SHIM_ERRNO=17 SHIM_FAILED=2 load_policy
	assert_failure 4
	assert_output "physmem-policy: load: $F:2:1: rule 'nic': refused by the driver: it overlaps another window, or another window grants dma/irq to its device; nothing changed (see dmesg)"
}
