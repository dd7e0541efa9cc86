#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Host side of tests/vm/guest/devmemtool-ivshmem.bats: what devmemtool
# wrote into ivshmem BAR2 must be in the backing file $VM_OUT/ivshmem.bin.

load ../../lib/common

hex_at() {	# OFFSET COUNT
	od -v -An -tx1 -j "$1" -N "$2" "$VM_OUT/ivshmem.bin" | tr -d ' \n'
}

repeat() {	# HEX COUNT
	printf "$1%.0s" $(seq "$2")
}

setup() {
	[ -f "$VM_OUT/ivshmem.bin" ] || skip "no ivshmem backing file"
	grep -q 'devmemtool-ivshmem' "$VM_OUT/tap.txt" 2>/dev/null ||
		skip "devmemtool-ivshmem suite did not run"
}

@test "devmemtool fill: 0x1000 bytes of 0x5a at 0xa0000" {
	[ "$(hex_at 0xa0000 0x1000)" = "$(repeat 5a 4096)" ]
}

@test "devmemtool fill width 4: 0xdeadbeef x 64 at 0xa1000, nothing after" {
	[ "$(hex_at 0xa1000 0x100)" = "$(repeat efbeadde 64)" ]
	[ "$(hex_at 0xa1100 16)" = "$(repeat 00 16)" ]
}

@test "devmemtool w32: 'abcdefgh' at 0xa2000" {
	[ "$(hex_at 0xa2000 8)" = 6162636465666768 ]
}

@test "devmemtool copy: 0xa3000 holds a copy of 0xa0000" {
	[ "$(hex_at 0xa3000 0x1000)" = "$(repeat 5a 4096)" ]
	[ "$(hex_at 0xa4000 16)" = "$(repeat 00 16)" ]
}

@test "nothing else in devmemtool's region 0xa0000-0xfffff was touched" {
	expected=$BATS_TEST_TMPDIR/expected
	head -c $((0x60000)) /dev/zero >"$expected"
	head -c 4096 /dev/zero | tr '\0' '\132' |
		dd of="$expected" bs=1 seek=0 conv=notrunc status=none
	for i in $(seq 0 63); do printf '\xef\xbe\xad\xde'; done |
		dd of="$expected" bs=1 seek=$((0x1000)) conv=notrunc status=none
	printf 'abcdefgh' | dd of="$expected" bs=1 seek=$((0x2000)) conv=notrunc status=none
	head -c 4096 /dev/zero | tr '\0' '\132' |
		dd of="$expected" bs=1 seek=$((0x3000)) conv=notrunc status=none
	run cmp <(tail -c +$((0xa0000 + 1)) "$VM_OUT/ivshmem.bin" | head -c $((0x60000))) "$expected"
	assert_success
}
