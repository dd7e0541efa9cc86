#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# libphys bulk and higher-level operations on file: targets: buffers, fill,
# copy, compare, read-modify-write and poll.

load libphys

setup() {
	F="$BATS_TEST_TMPDIR/mem.bin"
	G="$BATS_TEST_TMPDIR/other.bin"
	truncate -s 4096 "$F" "$G"
}

@test "write_buf then read_buf round-trips at every width" {
	for w in 1 2 4 8; do
		run "$RUN" "file:$F" wbuf 0x100 00112233445566778899aabbccddeeff $w rbuf 0x100 16 $w
		assert_success
		assert_line --index 1 "00112233445566778899aabbccddeeff"
	done
	[ "$(hex_at 0x100 16)" = 00112233445566778899aabbccddeeff ]
}

@test "buffers hold CPU-order values on a big-endian map" {
	run "$RUN" -B "file:$F" wbuf 0 11223344 4 rbuf 0 4 4
	assert_success
	assert_line --index 1 "11223344"
	[ "$(hex_at 0 4)" = 44332211 ]
}

@test "buffer length must be a multiple of the width; the end is checked" {
	run "$RUN" "file:$F" rbuf 0 6 4 rbuf 4088 16 8 rbuf 4080 16 8 rbuf 4096 0 4 rbuf 2 4 4
	assert_failure
	assert_line --index 0 "EINVAL: length 0x6 is not a multiple of the width 4"
	assert_line --index 1 --partial "ERANGE: 0x10 bytes at offset 0xff8 are outside"
	assert_line --index 2 "00000000000000000000000000000000"
	# (the empty read of 0 bytes at the very end prints an empty line, which bats drops)
	assert_line --index 3 --partial "EINVAL: 32-bit accesses at 0x2"
	[ "$(grep -c . <<<"$output")" = 4 ]
}

@test "fill writes the value at every element and nothing beyond" {
	run "$RUN" "file:$F" fill 0x10 8 0xabcd 2 fill 0 4 0x100 1
	assert_failure
	assert_line --index 0 "ok"
	assert_line --index 1 "ERANGE: value 0x100 does not fit in 8 bits"
	[ "$(hex_at 0xe 12)" = 0000cdabcdabcdabcdab0000 ]
}

@test "copy within one map handles overlap in both directions" {
	run "$RUN" "file:$F" wbuf 0 0102030405060708 1 copy 2 0 6 1 rbuf 0 8 1
	assert_success
	assert_line --index 2 "0102010203040506"
	run "$RUN" "file:$F" wbuf 0 0102030405060708 1 copy 0 2 6 1 rbuf 0 8 1
	assert_line --index 2 "0304050607080708"
}

@test "copy between two maps, with range checks on both" {
	printf 'abcdefgh' | dd of="$G" conv=notrunc status=none
	run "$RUN" "file:$F" xcopy "file:$G" 0x20 0 8 4 rbuf 0x20 8 1 xcopy "file:$G" 0 4092 8 4
	assert_failure
	assert_line --index 1 "6162636465666768"
	assert_line --index 2 --partial "ERANGE"
}

@test "copy into a read-only map is -EACCES" {
	run "$RUN" -r "file:$F" copy 0 8 8 4
	assert_failure
	assert_output --partial "EACCES"
}

@test "compare finds equality and the first difference at the right offset" {
	run "$RUN" "file:$F" cmp 0 0x800 0x800 4 w1 0x81b 7 cmp 0 0x800 0x800 4 cmp 0 0x800 0x800 1 cmp 0 0x800 0x18 4
	assert_success
	assert_output "equal
ok
differ at 0x18
differ at 0x1b
equal"
	printf 'xyz' | dd of="$G" bs=1 seek=100 conv=notrunc status=none
	run "$RUN" "file:$F" xcmp "file:$G" 0 0 4096 2
	assert_output "differ at 0x64"
}

@test "set, clear and update bits report old and new values" {
	run "$RUN" "file:$F" w4 0 0xf0f0 set 0 4 0x0f00 clr 0 4 0x00f0 upd 0 4 0xff 0x5a r4 0 upd 0 4 0xf 0x10 set 0 1 0x100
	assert_failure
	assert_line --index 1 "old 0xf0f0 new 0xfff0"
	assert_line --index 2 "old 0xfff0 new 0xff00"
	assert_line --index 3 "old 0xff00 new 0xff5a"
	assert_line --index 4 "0x0000ff5a"
	assert_line --index 5 "EINVAL: value 0x10 has bits outside the mask 0xf"
	assert_line --index 6 "ERANGE: bits 0x100 does not fit in 8 bits"
}

@test "rmw on a big-endian map works on the device's value" {
	run "$RUN" -B "file:$F" w2 0 0x0100 set 0 2 0x0001 r2 0
	assert_line --index 2 "0x0101"
	[ "$(hex_at 0 2)" = 0101 ]
	run "$RUN" -B "file:$F" set 2 2 0x8000
	[ "$(hex_at 2 2)" = 8000 ]
}

@test "poll returns at once when the value matches" {
	run "$RUN" "file:$F" w4 0x20 0x81 poll 0x20 4 0x80 0x80 1000000 1000
	assert_success
	assert_line --index 1 "matched last 0x81"
}

@test "poll times out with -ETIMEDOUT and the last value seen" {
	start=$(date +%s%N)
	run "$RUN" "file:$F" w4 0x20 0x41 poll 0x20 4 0x80 0x80 200000 10000
	end=$(date +%s%N)
	assert_failure
	assert_line --index 1 --partial "ETIMEDOUT: timeout after 200000 us polling file:$F+0x20: last value 0x41"
	assert_line --index 2 "timeout last 0x41"
	[ $(( (end - start) / 1000000 )) -ge 200 ]
}

@test "poll sees a value written by another process" {
	( sleep 0.3; printf '\x80' | dd of="$F" bs=1 seek=32 conv=notrunc status=none ) &
	run "$RUN" "file:$F" poll 0x20 4 0x80 0x80 5000000 1000
	wait
	assert_success
	assert_output "matched last 0x80"
}

@test "poll refuses a wanted value that can never match" {
	run "$RUN" "file:$F" poll 0 4 0x1 0x3 1000 10
	assert_failure
	assert_line --index 0 --partial "EINVAL: wanted value 0x3 has bits outside the mask 0x1"
}

@test "copy between file:@ADDR maps: one memory only if one file, whatever address each stands at" {
	# one file at two addresses overlapping in the file: a memmove
	run "$RUN" "file:$F@0x2000" wbuf 0 0102030405060708 1 xcopy "file:$F@0x1000" 2 0 6 1 rbuf 0 8 1
	assert_success
	assert_line --index 2 "0102010203040506"
	# two files at one address: a plain forward copy, seen by where it
	# faults once the destination's second page is gone (a copy judged
	# overlapping would go backward and fault at its last word first)
	truncate -s 8192 "$F" "$G"
	run "$RUN" "file:$F@0x40000000" sh "truncate -s 4096 '$F'" \
		xcopy "file:$G@0x40000000" 4 0 0x1ffc 4
	assert_failure
	assert_line --index 0 --regexp "^EFAULT: SIGBUS during 32-bit write at 0x40001000 \(file:"
}
