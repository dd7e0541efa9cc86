# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv: what the guest's driver-access and driver-contract suites
# wrote to ivshmem BAR2 lands in the host's backing file at exactly those
# offsets, and nowhere else in the driver's region (0x00000-0x3ffff): in
# particular not in the read-only half of the page shared by two windows.
load ../../lib/common

@test "guest writes through /dev/physmem land at exactly their offsets" {
	[ -f "$VM_OUT/ivshmem.bin" ] || skip "no ivshmem backing file"
	grep -q 'driver-access: ivshmem' "$VM_OUT/tap.txt" 2>/dev/null ||
		skip "driver-access suite did not run"
	grep -q 'driver-contract: a rw and a ro window in one page' "$VM_OUT/tap.txt" 2>/dev/null ||
		skip "driver-contract suite did not run"
	expected=$BATS_TEST_TMPDIR/expected
	head -c $((0x40000)) /dev/zero >"$expected"
	printf '\x88\x77\x66\x55\x44\x33\x22\x11' |
		dd of="$expected" bs=1 seek=$((0x1000)) conv=notrunc status=none
	printf '\x0d\xf0\xfe\xca' |
		dd of="$expected" bs=1 seek=$((0x2010)) conv=notrunc status=none
	printf '\xc3\xb2\xa1' |
		dd of="$expected" bs=1 seek=$((0x3001)) conv=notrunc status=none
	printf '\xa5\xa5\x5a\x5a' |
		dd of="$expected" bs=1 seek=$((0x47fc)) conv=notrunc status=none
	run cmp <(head -c $((0x40000)) "$VM_OUT/ivshmem.bin") "$expected"
	assert_success
}
