#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# file: targets placed above 4 GiB (file:PATH@ADDR at 2^32 and near 2^40),
# through libphys and devmemtool: accesses land at the right file offsets,
# the last word of the file works, one past it is refused saying why.
# Natively this checks the arithmetic; on armhf, where size_t, long and the
# address space have 32 bits (tests/run-all --arm, make check-arm: the host
# suites under qemu-user), it proves that an address is carried in 64 bits
# from the command line to the file offset and back into what is printed.

load libphys

setup_file() {
	make -s -C "$TOP/libphys" >/dev/null
	make -s -C "$TOP/devmemtool" >/dev/null
	make -s -C "$TOP/tests/host/progs" libphys-run >/dev/null
}

setup() {
	F="$BATS_TEST_TMPDIR/mem.bin"
	truncate -s 4096 "$F"
	# no driver, no policy: an address no map covers is refused
	mkdir -p "$BATS_TEST_TMPDIR/root"
	DMT=(devmemtool --sysroot "$BATS_TEST_TMPDIR/root")
}

@test "libphys: a file at 4 GiB: every width from its start, its last word, one past it refused" {
	run "$RUN" "file:$F@0x100000000" info physical w8 0 0x0102030405060708 w4 0xffc 0xcafef00d \
		r8 0 r4 0xffc r1 0xfff r4 0x1000 r1 0x1000 r8 0xffc
	assert_failure
	assert_output "phys 0x100000000 size 0x1000 name file:$F@0x100000000 flags 0x0 ctx 1
physical 1
ok
ok
0x0102030405060708
0xcafef00d
0xca
ERANGE: offset 0x1000 + 4 bytes is outside file:$F@0x100000000 (size 0x1000)
ERANGE: offset 0x1000 + 1 bytes is outside file:$F@0x100000000 (size 0x1000)
ERANGE: offset 0xffc + 8 bytes is outside file:$F@0x100000000 (size 0x1000)"
	[ "$(hex_at 0 8)" = 0807060504030201 ]
	[ "$(hex_at 0xffc 4)" = 0df0feca ]
	[ "$(hex_at 8 8)" = 0000000000000000 ]
}

@test "libphys: a file ending at 2^40 and one starting there, with an offset" {
	run "$RUN" - resolvep "file:$F@0xfffffff000" resolvep "file:$F@0xfffffff000+0xff8" \
		resolvep "file:$F@0x10000000000+0x800"
	assert_success
	assert_output "phys 0xfffffff000 size 0x1000 window '' backend file physical 1
phys 0xfffffffff8 size 0x8 window '' backend file physical 1
phys 0x10000000800 size 0x800 window '' backend file physical 1"
	run "$RUN" "file:$F@0xfffffff000+0xff8" info w8 0 0x8877665544332211 r4 4 r8 0 r1 8
	assert_failure
	assert_output "phys 0xfffffffff8 size 0x8 name file:$F@0xfffffff000+0xff8 flags 0x0 ctx 1
ok
0x88776655
0x8877665544332211
ERANGE: offset 0x8 + 1 bytes is outside file:$F@0xfffffff000+0xff8 (size 0x8)"
	[ "$(hex_at 0xff8 8)" = 1122334455667788 ]
	run "$RUN" "file:$F@0x10000000000+0x800" info w2 0x7fe 0xbeef r2 0x7fe r2 0x800
	assert_failure
	assert_line --index 0 "phys 0x10000000800 size 0x800 name file:$F@0x10000000000+0x800 flags 0x0 ctx 1"
	assert_line --index 2 "0xbeef"
	assert_line --index 3 "ERANGE: offset 0x800 + 2 bytes is outside file:$F@0x10000000000+0x800 (size 0x800)"
	[ "$(hex_at 0xffe 2)" = efbe ]
}

@test "devmemtool: absolute addresses above 4 GiB reach a mapped file, the last word too" {
	cat >"$BATS_TEST_TMPDIR/s.dmt" <<-EOF
		map file:$F@0x100000000
		w32 0x100000010 0xcafef00d
		r32 0x100000010
		w64 0x100000ff8 0x1122334455667788
		r64 0x100000ff8
		r32 0x100000ffc
		r8 0x100000000+0xfff
		dump 0x100000ff0 16 4
	EOF
	run "${DMT[@]}" -f "$BATS_TEST_TMPDIR/s.dmt"
	assert_success
	assert_output "file:$F@0x100000000: file:$F@0x100000000 at 0x100000000, size 0x1000 (4K)
0x100000010: 0xcafef00d
0x100000ff8: 0x1122334455667788
0x100000ffc: 0x11223344
0x100000fff: 0x11
100000ff0  00000000 00000000  55667788 11223344  |.........wfUD3\".|"
	[ "$(hex_at 0x10 4)" = 0df0feca ]
	[ "$(hex_at 0xff8 8)" = 8877665544332211 ]
}

@test "devmemtool: near 2^40, the last word of the file works; one past it is refused, saying why" {
	cat >"$BATS_TEST_TMPDIR/s.dmt" <<-EOF
		map file:$F@0xfffffff000
		w32 0xfffffffffc 0x89abcdef
		r32 0xfffffffffc
		r8 0xffffffffff
	EOF
	run "${DMT[@]}" -f "$BATS_TEST_TMPDIR/s.dmt"
	assert_success
	assert_line --index 1 "0xfffffffffc: 0x89abcdef"
	assert_line --index 2 "0xffffffffff: 0x89"
	[ "$(hex_at 0xffc 4)" = efcdab89 ]
	# one past: no map covers 2^40, and without a policy nothing else does;
	# the whole script is refused before it runs
	echo "w32 0x10000000000 1" >>"$BATS_TEST_TMPDIR/s.dmt"
	echo "w32 0xfffffffffc 0" >>"$BATS_TEST_TMPDIR/s.dmt"
	run "${DMT[@]}" -f "$BATS_TEST_TMPDIR/s.dmt"
	assert_failure
	assert_output --partial "s.dmt:5: w32 0x10000000000: 0x10000000000-0x10000000003 is outside every window"
	[ "$(hex_at 0xffc 4)" = efcdab89 ]
	# as a target, past the file's end: the file's own refusal
	run "${DMT[@]}" r64 "file:$F@0xfffffff000+0xffc"
	assert_failure
	assert_output "devmemtool: r64 file:$F@0xfffffff000+0xffc: 0x8 bytes at offset 0xffc run past the end of file:$F@0xfffffff000 (size 0x1000)"
	run "${DMT[@]}" -j r32 "file:$F@0xfffffff000+0xffc"
	assert_success
	assert_output "{\"cmd\":\"r32\",\"addr\":\"0xfffffffffc\",\"target\":\"file:$F@0xfffffff000\",\"offset\":4092,\"phys\":1099511627772,\"width\":4,\"value\":2309737967,\"value_hex\":\"0x89abcdef\"}"
	run "${DMT[@]}" devmem "file:$F@0xfffffff000+0xffc"
	assert_output 0x89ABCDEF
}

@test "a 1 MiB file at 2^40 - 1 MiB: both ends and the middle, mapped once" {
	truncate -s $((1 << 20)) "$F"
	base=$(( (1 << 40) - (1 << 20) ))
	run "$RUN" "file:$F@$(printf '0x%x' $base)" info w4 0 0x11111111 w4 0x80000 0x22222222 \
		w4 0xffffc 0x33333333 r4 0 r4 0x80000 r4 0xffffc r4 0x100000
	assert_failure
	assert_line --index 0 "phys 0xfffff00000 size 0x100000 name file:$F@0xfffff00000 flags 0x0 ctx 1"
	assert_line --index 4 "0x11111111"
	assert_line --index 5 "0x22222222"
	assert_line --index 6 "0x33333333"
	assert_line --index 7 "ERANGE: offset 0x100000 + 4 bytes is outside file:$F@0xfffff00000 (size 0x100000)"
	[ "$(hex_at 0x80000 4)" = 22222222 ]
	[ "$(hex_at 0xffffc 4)" = 33333333 ]
}
