# SPDX-License-Identifier: GPL-2.0-or-later
# libphys against real devices (issue 5): every backend on edu and ivshmem.
# Runs in the test VM as root. Windows added here are removed after each
# test. libphys's share of ivshmem BAR2 is 0x40000-0x7ffff; the host checks
# it afterwards (tests/vm/host/libphys-ivshmem.bats).
load /tests/lib/guest

setup() {
	physmem-t replace </dev/null
	# as libphys prints addresses: 0x%x
	EDU=$(printf '0x%x' "$(bar_start "$EDU_BDF" 0)")
	EDU2=$(printf '0x%x' "$(bar_start "$EDU2_BDF" 0)")
	SHM=$(printf '0x%x' "$(bar_start "$IVSHMEM_BDF" 2)")
	POLICY=$BATS_TEST_TMPDIR/physmem.conf
	cat >"$POLICY" <<-EOF
	allow edu   pci 1234:11e8 bar 0 rw
	allow edu2  pci $EDU2_BDF bar 0 rw
	allow shm   pci 1af4:1110 bar 2 rw
	EOF
}

teardown() {
	physmem-t replace </dev/null
}

@test "physmem: edu by window name: ident, liveness complement" {
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	run libphys-run lp_edu r4 0 w4 4 0x12345678 r4 4 info
	assert_success
	assert_line --index 0 0x010000ed
	assert_line --index 2 0xedcba987
	assert_line --index 3 "phys $EDU size 0x100000 name lp_edu flags 0x0 ctx 1"
}

@test "physmem: edu by pci:ID/bar0, by address and by physical address" {
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	run libphys-run - resolve pci:1234:11e8/bar0
	assert_output "phys $EDU size 0x100000 window 'lp_edu' backend physmem"
	run libphys-run "pci:$EDU_BDF/bar0" r4 0
	assert_output 0x010000ed
	run libphys-run "$EDU" r4 0
	assert_output 0x010000ed
	run libphys-run "lp_edu+0x20" r4 0 info
	assert_line --index 1 --partial "size 0xfffe0"
}

@test "auto: the driver is chosen first and logged; without it sysfs serves pci:, devmem the rest" {
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	LIBPHYS_LOG=info run libphys-run -L - resolve pci:1234:11e8/bar0
	assert_line --index 0 "info: backend physmem chosen for this pci: target"
	assert_line --index 1 "phys $EDU size 0x100000 window 'lp_edu' backend physmem"
	# the same choice with the driver's node hidden (a sysroot without it)
	root=$BATS_TEST_TMPDIR/root
	mkdir -p "$root/dev"
	ln -s /sys "$root/sys"
	ln -s /proc "$root/proc"
	run libphys-run -v -s "$root" - resolve pci:1234:11e8/bar0
	assert_line --index 0 "debug: backend physmem: /dev/physmem does not exist (the physmem driver is not loaded)"
	assert_line --index 2 "info: backend sysfs chosen for this pci: target"
	assert_line --index 3 "phys $EDU size 0x100000 window '' backend sysfs"
}

@test "physmem: edu factorial through poll" {
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	run libphys-run lp_edu w4 8 5 poll 0x20 4 1 0 1000000 100 r4 8
	assert_success
	assert_line --index 1 --regexp "^matched last 0x"
	assert_line --index 2 0x00000078
}

@test "physmem: a range with no window is refused and explained" {
	run libphys-run -l 4096 "$EDU" r4 0
	assert_failure
	assert_output --partial "no driver window holds $EDU"
	physmem-t add lp_edu pci "$EDU_BDF" 0
	run libphys-run lp_edu w4 4 1
	assert_failure
	assert_output --partial "window 'lp_edu' is read-only"
	run libphys-run -r lp_edu r4 0
	assert_output 0x010000ed
}

@test "physmem: removing the window under a live map gives -EFAULT, not a crash" {
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	run libphys-run lp_edu r4 0 sh "physmem-t remove lp_edu" r4 0 w4 4 1
	assert_failure
	assert_line --index 0 0x010000ed
	assert_line --index 1 --regexp "^EFAULT: SIG(BUS|SEGV) during 32-bit read at $EDU "
	assert_line --index 2 --regexp "^EFAULT: SIG(BUS|SEGV) during 32-bit write"
}

@test "physmem: ivshmem BAR2 pattern for the host to check" {
	physmem-t add lp_shm pci "$IVSHMEM_BDF" 2 rw
	run libphys-run lp_shm w4 0x40000 0x59485043 w8 0x40008 0x1122334455667788 \
		w2 0x40010 0xbeef w1 0x40013 0x5a fill 0x40100 0x100 0xa5 1 r8 0x40008
	assert_success
	assert_line --index 5 0x1122334455667788
	run libphys-run -B lp_shm w4 0x40020 0x01020304
	assert_success
}

@test "sysfs: edu resource0 with the policy allowing it" {
	run libphys-run -b sysfs -p "$POLICY" "pci:$EDU_BDF/bar0" r4 0 w4 4 0x0000ffff r4 4
	assert_success
	assert_output "0x010000ed
ok
0xffff0000"
}

@test "sysfs: a BAR the driver claimed is refused by the kernel, and explained" {
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	run libphys-run -b sysfs -p "$POLICY" "pci:$EDU_BDF/bar0" r4 0
	if [ "$status" = 0 ]; then skip "this kernel lets sysfs map a claimed BAR"; fi
	assert_output --partial "IO_STRICT_DEVMEM refuses ranges claimed by a driver: $EDU is claimed by"
}

@test "sysfs: a device outside the policy is refused with the policy's reason" {
	# not RAM: libphys refuses a policy with a window over RAM, as the driver does
	echo "allow other range 0xc0000000 +0x1000 ro" >"$POLICY"
	run libphys-run -b sysfs -p "$POLICY" "pci:$EDU_BDF/bar0" r4 0
	assert_failure
	assert_output --partial "EACCES"
	assert_output --partial "outside every window of the policy"
}

@test "sysfs: ivshmem resource2 writes for the host to check" {
	run libphys-run -b sysfs -p "$POLICY" "pci:1af4:1110/bar2" w4 0x40200 0x53595346 copy 0x40300 0x40200 4 4
	assert_success
}

@test "devmem: edu2 (no driver, no window) through /dev/mem" {
	run libphys-run -b devmem -p "$POLICY" "pci:$EDU2_BDF/bar0" r4 0 w4 4 0xf0f0f0f0 r4 4
	assert_success
	assert_output "0x010000ed
ok
0x0f0f0f0f"
}

@test "devmem: a range outside the policy is refused before /dev/mem is touched" {
	run libphys-run -b devmem -p "$POLICY" -l 4096 0x1000 r4 0
	assert_failure
	assert_output --partial "EACCES"
}

@test "devmem: ivshmem BAR2 writes for the host to check" {
	run libphys-run -b devmem -p "$POLICY" "pci:$IVSHMEM_BDF/bar2" w4 0x40400 0x4d454d44
	assert_success
}

@test "devmem: a range the driver claimed is refused by the kernel, and explained" {
	physmem-t add lp_edu2 pci "$EDU2_BDF" 0 rw
	run libphys-run -b devmem -p "$POLICY" "pci:$EDU2_BDF/bar0" r4 0
	if [ "$status" = 0 ]; then skip "this kernel lets /dev/mem map a claimed range"; fi
	assert_output --partial "claimed by"
}

@test "enumeration: edu, edu2 and ivshmem with their BARs; iomem and windows" {
	run libphys-run - pci 1234:11e8
	assert_success
	assert_line --index 0 --regexp "^$EDU_BDF 1234:11e8 class 00ff driver '' mem 1 bar0=$EDU\+0x100000"
	assert_line --index 1 --partial "$EDU2_BDF 1234:11e8"
	run libphys-run - pci "$IVSHMEM_BDF"
	assert_output --regexp "bar2=$SHM\+0x200000.*pf"
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	run libphys-run - windows iomem sysinfo
	assert_line --index 0 --regexp "^lp_edu +$EDU-$(printf '0x%x' $((EDU + 0xfffff))) +rw uc +[a-z,]+ +pci $EDU_BDF bar 0\$"
	assert_output --partial "$(printf '%x' $EDU)-"
	assert_output --regexp "driver 1 sealed 0 lockdown '(none|)' "
}

@test "an all-ones read from a PCI target is flagged as suspect" {
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	run libphys-run lp_edu suspect 4 0xffffffff suspect 4 0x010000ed suspect 2 0xffff
	assert_output "suspect
plausible
suspect"
	physmem-t add lp_blob range "$EDU2" 0x1000
	run libphys-run -r lp_blob suspect 4 0xffffffff
	assert_output "plausible"
	run libphys-run pci:1234:11e8/bar0 suspect 4 0xffffffff suspect 4 0x010000ed
	assert_output "suspect
plausible"
}

# The loops of `make bench` (tests/vm/progs/libphys-bench.c) run on edu and
# report every ratio. How fast they are is make bench's to say, not a
# test's: a timed threshold fails on a busy machine, not on a slow library.
@test "libphys 32-bit loops on edu (accessors, handles) run and report their time ratio to a raw loop" {
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	run libphys-bench -n 2000 -r 1 lp_edu 4
	assert_success
	echo "# $(echo "$output" | tr '\n' ' ')" >&3
	for loop in lib reg local rlx; do
		ratio=$(sed -n "s/^$loop: .*, time ratio to raw \([0-9.]*\)\$/\1/p" <<<"$output")
		awk -v r="$ratio" 'BEGIN { exit !(r > 0) }' || { echo "$loop: ratio '$ratio'"; false; }
	done
}

@test "register handles on edu through each backend: ident, liveness, both orderings" {
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	# 0x80 is edu's 64-bit DMA source address register
	run libphys-run lp_edu h4 0 hr hrr h4 4 hw 0x12345678 hr hwr 0x0000ffff hrr \
		h8 0x80 hw 0x1122334455667788 hr
	assert_success
	assert_output "ok
0x010000ed
0x010000ed
ok
ok
0xedcba987
ok
0xffff0000
ok
ok
0x1122334455667788"
	physmem-t remove lp_edu
	run libphys-run -b sysfs -p "$POLICY" "pci:$EDU_BDF/bar0" h4 0 hr h4 4 hw 0xf0f0f0f0 hr
	assert_success
	assert_output "ok
0x010000ed
ok
ok
0x0f0f0f0f"
	run libphys-run -b devmem -p "$POLICY" "pci:$EDU2_BDF/bar0" h4 0 hrr h4 4 hwr 1 hrr
	assert_success
	assert_output "ok
0x010000ed
ok
ok
0xfffffffe"
}

@test "physmem: removing the window under a live handle gives -EFAULT, not a crash" {
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	run libphys-run lp_edu h4 4 hw 7 hr sh "physmem-t remove lp_edu" hr hw 1 hrr hwr 2
	assert_failure
	assert_line --index 2 0xfffffff8
	assert_line --index 3 --regexp "^EFAULT: SIG(BUS|SEGV) during 32-bit read at $(printf '0x%x' $((EDU + 4))) \(lp_edu\+0x4\)"
	assert_line --index 4 --regexp "^EFAULT: SIG(BUS|SEGV) during 32-bit write at "
	assert_line --index 5 --regexp "^EFAULT: SIG(BUS|SEGV) during 32-bit read at "
	assert_line --index 6 --regexp "^EFAULT: SIG(BUS|SEGV) during 32-bit write at "
}

@test "physmem: ivshmem BAR2 handle writes for the host to check" {
	physmem-t add lp_shm pci "$IVSHMEM_BDF" 2 rw
	run libphys-run lp_shm h8 0x40500 hw 0x0102030405060708 h4 0x40508 hwr 0x48444e41 \
		h2 0x4050c hw 0xcafe h1 0x4050f hwr 0x21 r8 0x40500
	assert_success
	assert_line --index 8 0x0102030405060708
}

# A window that does not fill its pages cannot be mapped (a mapping would
# expose the rest of the page): libphys reaches it through pread/pwrite.
# edu answers only 4- and 8-byte accesses, so 1-byte ones show that no
# access was widened. lp_sub covers ident (0x00) to status (0x20).

@test "pread: a sub-page window: ident, liveness, factorial, and the log says why" {
	physmem-t add lp_sub range "$EDU" 0x24 rw
	run libphys-run lp_sub ptr r4 0 w4 4 0x12345678 r4 4 w4 8 5 poll 0x20 4 1 0 1000000 100 r4 8
	assert_success
	assert_line --index 0 "no mapping"
	assert_line --index 1 0x010000ed
	assert_line --index 3 0xedcba987
	assert_line --index 5 --regexp "^matched last 0x"
	assert_line --index 6 0x00000078
	run libphys-run -v lp_sub r4 0
	assert_line "debug: window 'lp_sub' does not fill its pages and its rule does not say 'pages', so the driver does not map it: using pread/pwrite"
	assert_line "debug: opened lp_sub: phys $EDU size 0x24 via pread"
}

# bats test_tags=edu-1byte
@test "pread: 8-bit reads and a 1-byte fill stay 1 byte wide, as through a mapping" {
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	run libphys-run lp_edu r1 0 r1 4
	assert_success
	mapped=$output
	physmem-t remove lp_edu
	physmem-t add lp_sub range "$EDU" 0x24 rw
	run libphys-run lp_sub r1 0 r1 4
	assert_success
	assert_output "$mapped"
	refute_line 0xed
	# 1-byte writes to liveness are ignored by edu; one 4-byte write is not
	run libphys-run lp_sub w4 4 0 fill 4 4 0x5a 1 r4 4 fill 4 4 0x0f0f0f0f 4 r4 4
	assert_success
	assert_output "ok
ok
0xffffffff
ok
0xf0f0f0f0"
}

@test "pread: a multi-word read of a sub-page window, word by word" {
	physmem-t add lp_sub range "$EDU" 0x24 rw
	run libphys-run lp_sub w4 4 0 w4 8 3 poll 0x20 4 1 0 1000000 100 rbuf 0 12 4 cmp 0 8 4 4
	assert_success
	assert_line --index 3 ed000001ffffffff06000000
	assert_line --index 4 "differ at 0x0"
}

@test "pread: a read-only sub-page window refuses a writable map and writes, with the reason" {
	physmem-t add lp_ro range "$EDU" 4
	run libphys-run lp_ro r4 0
	assert_failure
	assert_output "EACCES: /dev/physmem: writable access to 0x4 bytes at $EDU refused; window 'lp_ro' is read-only (map with PHYS_MAP_RDONLY)"
	run libphys-run -r lp_ro r4 0 w4 0 1
	assert_failure
	assert_output "0x010000ed
EACCES: lp_ro is mapped read-only"
}

@test "pread: removing the window under a live map gives EFAULT naming it" {
	physmem-t add lp_sub range "$EDU" 0x24 rw
	run libphys-run lp_sub r4 0 sh "physmem-t remove lp_sub" r4 0 w4 4 1
	assert_failure
	assert_output "0x010000ed
EFAULT: pread refused the 32-bit read at $EDU (lp_sub+0x0): window 'lp_sub' was removed
EFAULT: pwrite refused the 32-bit write at $(printf '0x%x' $((EDU + 4))) (lp_sub+0x4): window 'lp_sub' was removed"
}

@test "pread: removing the PCI device under a live map gives EFAULT: the device was removed" {
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ] || skip "$EDU2_BDF already removed"
	physmem-t add lp_edu2 pci "$EDU2_BDF" 0 rw offset 0 size 0x10
	run libphys-run -b pread lp_edu2 r4 0 sh "echo 1 >/sys/bus/pci/devices/$EDU2_BDF/remove" r4 0 w4 4 1
	echo 1 >/sys/bus/pci/rescan
	assert_failure
	assert_output "0x010000ed
EFAULT: pread refused the 32-bit read at $EDU2 (lp_edu2+0x0): the device behind window 'lp_edu2' was removed
EFAULT: pwrite refused the 32-bit write at $(printf '0x%x' $((EDU2 + 4))) (lp_edu2+0x4): the device behind window 'lp_edu2' was removed"
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ]
}

@test "pread: register handles on a sub-page window are refused, saying what to use" {
	physmem-t add lp_sub range "$EDU" 0x24 rw
	run libphys-run lp_sub h4 0 r4 0
	assert_failure
	assert_output "EOPNOTSUPP: register handles need a mapping, and lp_sub has none (its window does not fill its pages and its rule does not say 'pages'): it is reached through pread/pwrite, so use phys_read32()/phys_write32()
0x010000ed"
}

@test "pread: the same window with 'pages' is its whole page, and mapped" {
	physmem-t add lp_pg range "$EDU" 0x24 rw pages
	run libphys-run -v lp_pg ptr r4 0 info
	assert_success
	assert_line "debug: window 'lp_pg' may be mmapped: mapping it"
	assert_line mapped
	assert_line 0x010000ed
	assert_line "phys $EDU size 0x1000 name lp_pg flags 0x0 ctx 1"
}

# With a driver that maps no window smaller than its pages, this one goes
# through pread/pwrite; with one that maps it inside its BAR, through mmap.
# Either way libphys follows the window list, and the factorial works.
@test "a 4-byte window inside the BAR: mapped or not as the window list says, factorial either way" {
	physmem-t add lp_fact pci "$EDU_BDF" 0 rw offset 8 size 4
	run physmem-t list
	if [[ $output == *" mmap"* ]]; then want=mapped; else want="no mapping"; fi
	echo "# lp_fact: $want" >&3
	run libphys-run lp_fact ptr w4 0 4 sh "sleep 1" r4 0
	assert_success
	assert_output "$want
ok
0x00000018"
}

@test "without CAP_SYS_RAWIO the error names the capability and how to get it" {
	command -v capsh >/dev/null || skip "no capsh"
	physmem-t add lp_edu pci "$EDU_BDF" 0 rw
	run capsh --drop=cap_sys_rawio -- -c "libphys-run lp_edu r4 0"
	assert_failure
	assert_output --partial "cannot open /dev/physmem: needs CAP_SYS_RAWIO"
	run capsh --drop=cap_sys_rawio -- -c "libphys-run -b devmem -p $POLICY pci:$EDU2_BDF/bar0 r4 0"
	assert_failure
	assert_output --partial "cannot open /dev/mem: needs CAP_SYS_RAWIO"
}
