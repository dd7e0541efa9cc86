#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# libphys against a fake system tree (phys_ctx_set_sysroot): PCI enumeration
# through libpci, pci:/iomem: targets, the sysfs and devmem backends on
# regular files, the user-space policy, and diagnostics.

load ../lib/common

# make_dev BDF VENDOR DEVICE COMMAND BAR0_START BAR0_END BAR0_FLAGS [DRIVER]
make_dev() {
	local d="$ROOT/sys/bus/pci/devices/$1"
	fake_pci_dev "$d" "$2" "$3" "$4"
	fake_pci_bars "$d" "$5-$6/$7"
	if [ -n "${8:-}" ]; then fake_pci_driver "$d" "$8"; fi
}

setup_file() {
	make -s -C "$TOP/libphys" >/dev/null
	make -s -C "$TOP/tests/host/progs" libphys-run >/dev/null
}

setup() {
	RUN="$TOP/tests/host/progs/libphys-run"
	ROOT="$BATS_TEST_TMPDIR/root"
	# edu-like device, decoding on; a second one with decoding off and a
	# bound driver; a third with an unassigned BAR.
	make_dev 0000:00:04.0 0x1234 0x11e8 02 0xfea00000 0xfeafffff 0x40200
	make_dev 0000:00:05.0 0x1234 0x11e8 00 0xfeb00000 0xfebfffff 0x40200 uio_pci_generic
	make_dev 0000:00:06.0 0x1af4 0x1110 02 0 0xfffff 0x40200
	rm -f "$ROOT/sys/bus/pci/devices/0000:00:05.0/resource0"
	mkdir -p "$ROOT/proc" "$ROOT/dev" "$ROOT/etc/physmem" "$ROOT/sys/kernel/security" "$ROOT/boot"
	cat >"$ROOT/proc/iomem" <<-'IOMEM'
	00000000-00000fff : Reserved
	00001000-0009fbff : System RAM
	fea00000-febfffff : PCI Bus 0000:00
	  fea00000-feafffff : 0000:00:04.0
	  feb00000-febfffff : 0000:00:05.0
	    feb00000-febfffff : uio_pci_generic
	fed00000-fed003ff : HPET 0
	fed00400-fed007ff : dup
	fed00800-fed00bff : dup
	IOMEM
	echo 'none [integrity] confidentiality' >"$ROOT/sys/kernel/security/lockdown"
	printf 'CONFIG_STRICT_DEVMEM=y\n# CONFIG_IO_STRICT_DEVMEM is not set\n' >"$ROOT/boot/config-$(uname -r)"
	# /dev/mem as a sparse file: offset = physical address, as in the kernel
	truncate -s $((0xfee00000)) "$ROOT/dev/mem"
	cat >"$ROOT/etc/physmem/physmem.conf" <<-'POLICY'
	allow edu   pci 1234:11e8 bar 0 rw
	allow edu2  pci 0000:00:05.0 bar 0 ro
	allow hpet  iomem "HPET 0" ro
	allow blob  range 0xfed00400 +0x400 rw
	POLICY
}

@test "PCI devices are listed in address order with IDs, BARs, driver and decoding" {
	run "$RUN" -s "$ROOT" - pci -
	assert_success
	assert_output "0000:00:04.0 1234:11e8 class 00ff driver '' mem 1 bar0=0xfea00000+0x100000
0000:00:05.0 1234:11e8 class 00ff driver 'uio_pci_generic' mem 0 bar0=0xfeb00000+0x100000
0000:00:06.0 1af4:1110 class 00ff driver '' mem 1 bar0=0x0+0x100000,unassigned"
}

@test "the PCI filter selects by ID or by address and rejects junk" {
	run "$RUN" -s "$ROOT" - pci 1234:11e8
	assert_success
	[ "${#lines[@]}" = 2 ]
	run "$RUN" -s "$ROOT" - pci 00:06.0
	assert_output --partial "0000:00:06.0 1af4:1110"
	[ "${#lines[@]}" = 1 ]
	run "$RUN" -s "$ROOT" - pci zz
	assert_failure
	assert_output --partial "PCI filter 'zz'"
}

@test "pci: targets resolve by ID, by index and by address" {
	run "$RUN" -s "$ROOT" - resolve pci:1234:11e8/bar0 resolve 'pci:1234:11e8#1/bar0' resolve pci:0000:00:05.0/bar0+0x10 \
		resolve 'pci:1234:11e8#2/bar0' resolve pci:00:06.0/bar0 resolve pci:00:04.0/bar1
	assert_failure
	assert_line --index 0 "phys 0xfea00000 size 0x100000 window '' backend sysfs"
	assert_line --index 1 "phys 0xfeb00000 size 0x100000 window '' backend sysfs"
	assert_line --index 2 "phys 0xfeb00010 size 0xffff0 window '' backend sysfs"
	assert_line --index 3 "ENODEV: no PCI device 1234:11e8#2 (found 2 with that ID)"
	assert_line --index 4 "ENXIO: BAR 0 of 0000:00:06.0 is not assigned an address"
	assert_line --index 5 "ENODEV: 0000:00:04.0 has no BAR 1"
}

@test "malformed targets get one clear error each" {
	for t in "" "pci:1234/bar0" "pci:1234:11e8/bar6" "pci:1234:11e8" "iomem:\"x" "0x10+" "0x1zz" \
		"0xffffffffffffffffff" "9window" "a b" "pci:00:20.0/bar0"; do
		run "$RUN" -s "$ROOT" - resolve "$t"
		assert_failure
		[ "${#lines[@]}" = 1 ]
		assert_output --regexp "^E[A-Z]+: (empty target|target '.*': .+)$"
	done
}

@test "iomem: targets resolve by label and index; ambiguity and absence are explained" {
	run "$RUN" -s "$ROOT" - resolve 'iomem:"HPET 0"' resolve 'iomem:dup#1' resolve 'iomem:dup#2' resolve 'iomem:"HPET 0"+0x100'
	assert_failure
	assert_line --index 0 "phys 0xfed00000 size 0x400 window '' backend devmem"
	assert_line --index 1 "phys 0xfed00800 size 0x400 window '' backend devmem"
	assert_line --index 2 'ENODEV: no region "dup"#2 in /proc/iomem (found 2)'
	assert_line --index 3 "phys 0xfed00100 size 0x300 window '' backend devmem"
}

@test "pci: and iomem: targets fail as the policy rules naming the same thing do" {
	local target rule want
	while IFS='|' read -r target rule want; do
		echo "allow x $rule" >"$BATS_TEST_TMPDIR/p.conf"
		run physmem-policy --root "$ROOT" check "$BATS_TEST_TMPDIR/p.conf"
		assert_failure
		assert_output "$BATS_TEST_TMPDIR/p.conf:1:1: rule 'x': $want"
		run "$RUN" -s "$ROOT" - resolve "$target"
		assert_failure
		[[ "$output" == E[A-Z]*": $want" ]]
	done <<-'EOF'
	iomem:dup|iomem "dup"|label "dup" is ambiguous, add #N: #0 0xfed00400-0xfed007ff, #1 0xfed00800-0xfed00bff
	iomem:dup#2|iomem "dup"#2|no region "dup"#2 in /proc/iomem (found 2)
	iomem:nope|iomem "nope"|no region labelled "nope" in /proc/iomem
	pci:1234:11e8#2/bar0|pci 1234:11e8#2 bar 0|no PCI device 1234:11e8#2 (found 2 with that ID)
	pci:00:07.0/bar0|pci 0000:00:07.0 bar 0|no PCI device at 0000:00:07.0
	pci:00:06.0/bar0|pci 0000:00:06.0 bar 0|BAR 0 of 0000:00:06.0 is not assigned an address
	pci:00:04.0/bar1|pci 0000:00:04.0 bar 1|0000:00:04.0 has no BAR 1
	EOF
}

@test "the iomem tree is walked with depths" {
	run "$RUN" -s "$ROOT" - iomem
	assert_success
	assert_line --index 3 "  fea00000-feafffff : 0000:00:04.0"
	assert_line --index 5 "    feb00000-febfffff : uio_pci_generic"
}

@test "sysfs backend: writes land in resource0 at the BAR offset" {
	run "$RUN" -s "$ROOT" 'pci:1234:11e8/bar0+0x100' w4 0 0xcafebabe r4 0 info
	assert_success
	assert_line --index 2 "phys 0xfea00100 size 0xfff00 name pci:1234:11e8/bar0+0x100 flags 0x0 ctx 1"
	[ "$(od -An -tx1 -j 0x100 -N 4 "$ROOT/sys/bus/pci/devices/0000:00:04.0/resource0" | tr -d ' ')" = bebafeca ]
}

@test "sysfs backend: the policy's read-only rule refuses a writable map with its reason" {
	touch "$ROOT/sys/bus/pci/devices/0000:00:05.0/resource0"
	truncate -s 1M "$ROOT/sys/bus/pci/devices/0000:00:05.0/resource0"
	run "$RUN" -s "$ROOT" 'pci:1234:11e8#1/bar0' r4 0
	assert_failure
	assert_output --partial "EACCES: "
	assert_output --partial "edu2"
	run "$RUN" -s "$ROOT" -r 'pci:1234:11e8#1/bar0' r4 0
	assert_success
}

@test "devmem backend: a range outside the policy is refused, inside it works" {
	run "$RUN" -s "$ROOT" -b devmem -l 0x100 0xfed00400 w4 0x10 0x12345678 r4 0x10
	assert_success
	[ "$(od -An -tx4 -j $((0xfed00410)) -N 4 "$ROOT/dev/mem" | tr -d ' ')" = 12345678 ]
	run "$RUN" -s "$ROOT" -b devmem -l 0x100 0xfed00c00 r4 0
	assert_failure
	assert_output --partial "EACCES"
	run "$RUN" -s "$ROOT" -b devmem -r 'iomem:"HPET 0"' r4 0
	assert_success
	run "$RUN" -s "$ROOT" -b devmem 'iomem:"HPET 0"' r4 0
	assert_failure
	assert_output --partial "EACCES"
}

@test "devmem backend: a rule covering System RAM is refused, with the message physmem-policy gives" {
	echo '00100000-3fffffff : System RAM' >>"$ROOT/proc/iomem"
	echo 'allow ram range 0x100000 +1M rw' >"$BATS_TEST_TMPDIR/p.conf"
	msg="$BATS_TEST_TMPDIR/p.conf:1:1: rule 'ram': 0x100000-0x1fffff covers System RAM (0x100000-0x3fffffff in /proc/iomem): memory is never a window"
	run "$RUN" -s "$ROOT" -p "$BATS_TEST_TMPDIR/p.conf" -b devmem -l 4 0x100000 w4 0 1
	assert_failure
	# the policy's reason alone: no /dev/mem diagnosis after it
	assert_output "EPERM: policy: $msg"
	[ "$(od -An -tx4 -j $((0x100000)) -N 4 "$ROOT/dev/mem" | tr -d ' ')" = 00000000 ]
	run physmem-policy --root "$ROOT" check "$BATS_TEST_TMPDIR/p.conf"
	assert_failure 1
	assert_output "$msg"
	# the same range just past RAM's end is accepted
	echo 'allow above range 0x40000000 +4K rw' >"$BATS_TEST_TMPDIR/p.conf"
	run "$RUN" -s "$ROOT" -p "$BATS_TEST_TMPDIR/p.conf" -b devmem -l 4 0x40000000 w4 0 1
	assert_success
}

@test "soft-reserved memory the firmware reported is refused though /proc/iomem lacks it (Linux 7.x)" {
	# 7.x keeps Soft Reserved ranges no driver took out of /proc/iomem
	mkdir -p "$ROOT/sys/firmware/memmap/0" "$ROOT/sys/firmware/memmap/1"
	printf '0x40000000\n' >"$ROOT/sys/firmware/memmap/0/start"
	printf '0x4fffffff\n' >"$ROOT/sys/firmware/memmap/0/end"
	printf 'Soft Reserved\n' >"$ROOT/sys/firmware/memmap/0/type"
	printf '0x50000000\n' >"$ROOT/sys/firmware/memmap/1/start"
	printf '0x5fffffff\n' >"$ROOT/sys/firmware/memmap/1/end"
	printf 'Reserved\n' >"$ROOT/sys/firmware/memmap/1/type"
	local p=$BATS_TEST_TMPDIR/p.conf
	echo 'allow hbm range 0x4ffff000 +8K rw' >"$p"
	msg="$p:1:1: rule 'hbm': 0x4ffff000-0x50000fff covers soft-reserved memory (0x40000000-0x4fffffff in /sys/firmware/memmap): memory is never a window"
	run physmem-policy --root "$ROOT" check "$p"
	assert_failure 1
	assert_output "$msg"
	run "$RUN" -s "$ROOT" -p "$p" -b devmem -l 4 0x50000000 w4 0 1
	assert_failure
	assert_output "EPERM: policy: $msg"
	# only Soft Reserved is taken from the firmware's map: the kernel's
	# /proc/iomem says what else is memory
	echo 'allow fw range 0x50000000 +4K rw' >"$p"
	run physmem-policy --root "$ROOT" check "$p"
	assert_success
}

@test "devmem backend: a window that shares a page with System RAM is not mapped" {
	# RAM ends at 0x9fbff (setup): the window is clear of it, its page is not
	echo 'allow edge range 0x9fc00 +0x10 rw' >"$BATS_TEST_TMPDIR/p.conf"
	run physmem-policy --root "$ROOT" check "$BATS_TEST_TMPDIR/p.conf"
	assert_success
	run "$RUN" -s "$ROOT" -p "$BATS_TEST_TMPDIR/p.conf" -b devmem -l 4 0x9fc00 w4 0 1
	assert_failure
	assert_output "EPERM: 0x9fc00-0x9fc03: its pages 0x9f000-0x9ffff hold System RAM (0x1000-0x9fbff in /proc/iomem), and this backend maps whole pages; the physmem driver reaches such a window with pread/pwrite"
	[ "$(od -An -tx4 -j $((0x9fc00)) -N 4 "$ROOT/dev/mem" | tr -d ' ')" = 00000000 ]
	# a page of its own is mapped
	echo 'allow above range 0xa0000 +0x10 rw' >"$BATS_TEST_TMPDIR/p.conf"
	run "$RUN" -s "$ROOT" -p "$BATS_TEST_TMPDIR/p.conf" -b devmem -l 4 0xa0000 w4 0 1
	assert_success
}

@test "pages never reach past a BAR, and wc needs a window that fills its pages (the driver's rules)" {
	# a 256-byte prefetchable BAR in a page of its own, and edu's 1 MiB one
	make_dev 0000:00:07.0 0x1af4 0x1110 02 0xfec00000 0xfec000ff 0x4220c
	local p=$BATS_TEST_TMPDIR/p.conf
	echo 'allow small pci 0000:00:07.0 bar 0 rw pages' >"$p"
	run physmem-policy --root "$ROOT" check "$p"
	assert_failure 1
	assert_output "$p:1:1: rule 'small': its pages 0xfec00000-0xfec00fff reach past pci 0000:00:07.0 bar 0 (0xfec00000-0xfec000ff), where another device's registers may be; without 'pages' the window is reached with pread/pwrite"
	# inside a big BAR the pages are the BAR's own
	echo 'allow regs pci 0000:00:04.0 bar 0 offset 0x10 size 4 rw pages' >"$p"
	run physmem-policy --root "$ROOT" check "$p"
	assert_success
	assert_output --partial "0xfea00000-0xfea00fff"
	echo 'allow fb pci 0000:00:07.0 bar 0 rw wc' >"$p"
	run physmem-policy --root "$ROOT" check "$p"
	assert_failure 1
	assert_output "$p:1:1: rule 'fb': 'wc' needs a window that fills its pages (a page-aligned start and size, or 'pages'): write-combining is the memory type of a mapping, and a mapping is made of whole pages"
}

@test "devmem backend: a policy that cannot be checked for RAM refuses every access" {
	sed -E 's/^( *)[0-9a-f]+-[0-9a-f]+ /\100000000-00000000 /' -i "$ROOT/proc/iomem"
	echo 'allow blob range 0xfed00400 +0x400 rw' >"$BATS_TEST_TMPDIR/p.conf"
	run "$RUN" -s "$ROOT" -p "$BATS_TEST_TMPDIR/p.conf" -b devmem -l 4 0xfed00400 r4 0
	assert_failure
	assert_output --partial "EACCES: policy: $BATS_TEST_TMPDIR/p.conf:1:1: rule 'blob': cannot tell whether 0xfed00400-0xfed007ff covers System RAM: /proc/iomem hides addresses"
}

@test "an explicit policy file replaces the default one" {
	echo 'allow all range 0xfed00000 +0x1000 rw' >"$BATS_TEST_TMPDIR/p.conf"
	run "$RUN" -s "$ROOT" -p "$BATS_TEST_TMPDIR/p.conf" -b devmem -l 4 0xfed00c00 w4 0 1
	assert_success
	echo 'allow broken range' >"$BATS_TEST_TMPDIR/p.conf"
	run "$RUN" -s "$ROOT" -p "$BATS_TEST_TMPDIR/p.conf" -b devmem -l 4 0xfed00c00 r4 0
	assert_failure
	assert_output --regexp "^EINVAL: policy: .*p.conf:1:"
}

@test "a failed map explains: decoding off, bound driver, lockdown" {
	run "$RUN" -s "$ROOT" -r 'pci:1234:11e8#1/bar0' r4 0
	assert_failure
	assert_output --partial "ENOENT: cannot open $ROOT/sys/bus/pci/devices/0000:00:05.0/resource0"
	assert_output --partial "memory decoding is off on 0000:00:05.0"
	assert_output --partial "bound to driver 'uio_pci_generic'"
	# lockdown is the devmem and driver rows' diagnosis, not sysfs's
	refute_output --partial "lockdown"
	# a range the policy allows, but /dev/mem cannot be opened
	rm "$ROOT/dev/mem"
	run "$RUN" -s "$ROOT" -b devmem -l 4 0xfed00400 r4 0
	assert_failure
	assert_output --partial "cannot open $ROOT/dev/mem"
	assert_output --partial "kernel lockdown is 'integrity'"
	# a range the policy refuses: the policy's reason alone
	run "$RUN" -s "$ROOT" -b devmem -l 4 0x0 r4 0
	assert_failure
	assert_output "EACCES: 0x0-0x3 is outside every window of the policy"
}

@test "address targets need a length when no window tells the size" {
	run "$RUN" -s "$ROOT" -b devmem 0xfed00400 r4 0
	assert_failure
	assert_output "EINVAL: 0xfed00400: size unknown (no driver window holds it); give a length"
}

@test "system info reads lockdown and STRICT_DEVMEM from the tree" {
	run "$RUN" -s "$ROOT" - sysinfo
	assert_success
	assert_output --regexp "^driver 0 sealed 0 lockdown 'integrity' strict 1 io_strict 0 rawio [01] admin [01]$"
	rm "$ROOT/sys/kernel/security/lockdown" "$ROOT/boot/config-$(uname -r)"
	run "$RUN" -s "$ROOT" - sysinfo
	assert_output --regexp "^driver 0 sealed 0 lockdown '' strict -1 io_strict -1"
}

@test "with /dev/physmem present the driver backend is chosen; its errors are clear" {
	touch "$ROOT/dev/physmem"
	run "$RUN" -s "$ROOT" - resolve pci:1234:11e8/bar0 windows resolve edu
	assert_failure
	assert_line --index 0 "phys 0xfea00000 size 0x100000 window '' backend physmem"
	assert_line --index 1 --partial "listing the driver's windows failed"
}

@test "a forced backend that cannot serve the target is refused, naming what it serves" {
	run "$RUN" -s "$ROOT" -b sysfs - resolve 0x1000
	assert_failure
	assert_output "EINVAL: the sysfs backend cannot serve address targets (it serves pci: targets)"
	run "$RUN" -s "$ROOT" -b sysfs - resolve 'iomem:"HPET 0"'
	assert_output "EINVAL: the sysfs backend cannot serve iomem: targets (it serves pci: targets)"
	run "$RUN" -b devmem - resolve "file:$ROOT/dev/mem"
	assert_output "EINVAL: the devmem backend cannot serve file: targets (it serves address, window name, pci: and iomem: targets)"
	run "$RUN" -b file - resolve 0x1000
	assert_output "EINVAL: the file backend cannot serve address targets (it serves file: targets)"
	run "$RUN" -b pread - resolve "file:$ROOT/dev/mem"
	assert_output --partial "EINVAL: the pread backend cannot serve file: targets"
	run "$RUN" -b nonsense - version
	assert_failure
	assert_output "EINVAL: unknown backend 'nonsense' (use auto, physmem, pread, sysfs, devmem or file)"
	run "$RUN" -b '' - version
	assert_output --partial "EINVAL: unknown backend ''"
}

@test "auto tries the backends in table order and logs each try and the choice" {
	run "$RUN" -s "$ROOT" -v - resolve 'pci:1234:11e8/bar0'
	assert_success
	assert_line --index 0 "debug: backend physmem: /dev/physmem does not exist (the physmem driver is not loaded)"
	assert_line --index 1 "debug: backend pread: used when asked for, or by physmem for windows it may not map"
	assert_line --index 2 "info: backend sysfs chosen for this pci: target"
	run "$RUN" -s "$ROOT" -v - resolve 'iomem:"HPET 0"'
	assert_line --index 2 "debug: backend sysfs: does not serve iomem: targets"
	assert_line --index 3 "info: backend devmem chosen for this iomem: target"
	assert_line --index 4 "phys 0xfed00000 size 0x400 window '' backend devmem"
	# at the default priority (err) the choice is not logged
	run "$RUN" -s "$ROOT" -L - resolve 'iomem:"HPET 0"'
	assert_output "phys 0xfed00000 size 0x400 window '' backend devmem"
	run "$RUN" -s "$ROOT" -b devmem -v - resolve 'pci:1234:11e8/bar0'
	assert_line --index 0 "info: backend devmem, as asked"
	assert_line --index 1 "phys 0xfea00000 size 0x100000 window '' backend devmem"
}

@test "the user-space policy applies exactly to the backends whose row says so" {
	# sysfs and devmem: the read-only rule refuses a writable map
	touch "$ROOT/sys/bus/pci/devices/0000:00:05.0/resource0"
	truncate -s 1M "$ROOT/sys/bus/pci/devices/0000:00:05.0/resource0"
	run "$RUN" -s "$ROOT" -b sysfs 'pci:0000:00:05.0/bar0' r4 0
	assert_output --partial "EACCES: "
	run "$RUN" -s "$ROOT" -b devmem 'pci:0000:00:05.0/bar0' r4 0
	assert_output --partial "EACCES: "
	# the file backend has no policy: an empty policy refuses nothing there
	: >"$ROOT/etc/physmem/physmem.conf"
	truncate -s 64 "$BATS_TEST_TMPDIR/f.bin"
	run "$RUN" -s "$ROOT" "file:$BATS_TEST_TMPDIR/f.bin" w4 0 1
	assert_success
	run "$RUN" -s "$ROOT" -b devmem -l 4 0xfed00400 r4 0
	assert_failure
	# an empty policy says so, instead of only "outside every window"
	assert_output "EACCES: 0xfed00400-0xfed00403 is outside every window: the policy has none (no rules in its files, by default /etc/physmem/physmem.conf and /etc/physmem/physmem.d/*.conf; see physmem.conf(5))"
}

@test "a file at @ADDR is a file: no policy refuses or allows it, and it is never the memory at ADDR" {
	local p=$BATS_TEST_TMPDIR/p.conf f=$BATS_TEST_TMPDIR/f.bin
	truncate -s 8K "$f"
	# a read-only rule refuses writes to 0x40000000, not to a file standing there
	echo 'allow above range 0x40000000 +8K ro' >"$p"
	run "$RUN" -s "$ROOT" -p "$p" -b devmem -l 4 0x40000000 w4 0 1
	assert_failure
	assert_output --partial "EACCES: "
	run "$RUN" -s "$ROOT" -p "$p" "file:$f@0x40000000" w4 0 0x11223344 physical
	assert_success
	assert_output "ok
physical 1"
	[ "$(od -An -tx1 -N 4 "$f" | tr -d ' ')" = 44332211 ]
	# a policy that cannot be read is not even read for it
	echo 'allow broken range' >"$p"
	run "$RUN" -s "$ROOT" -p "$p" -v "file:$f@0x40000000" w4 4 1
	assert_success
	refute_output --partial "policy"
	# a copy from a file at 0x40000000 to the memory at 0x40000004 does
	# not overlap: forward, seen by where it faults once the memory's
	# second page is gone (judged overlapping it would fault at its end)
	echo 'allow above range 0x40000000 +8K rw' >"$p"
	run "$RUN" -s "$ROOT" -p "$p" -l 8192 0x40000000 \
		sh "truncate -s $((0x40001000)) '$ROOT/dev/mem'" xcopy "file:$f@0x40000000" 4 0 0x1ffc 4
	assert_failure
	assert_output --regexp "^EFAULT: SIGBUS during 32-bit write at 0x40001000 \(0x40000000\+0x1000\)"
}
