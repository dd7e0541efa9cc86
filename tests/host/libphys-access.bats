#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# libphys accessors on file: targets: widths, boundaries, alignment,
# overflow, read-only maps, big-endian view, split64, offsets above 4 GiB,
# and faults that return an error while the process survives.

load libphys

@test "each width writes exactly its bytes, little-endian, and reads back" {
	run "$RUN" "file:$F" w8 0x10 0x1122334455667788 w4 0x20 0xaabbccdd w2 0x30 0xbeef w1 0x40 0x5a \
		r8 0x10 r4 0x20 r2 0x30 r1 0x40 r4 0x14 r1 0x21
	assert_success
	assert_output "ok
ok
ok
ok
0x1122334455667788
0xaabbccdd
0xbeef
0x5a
0x11223344
0xcc"
	[ "$(hex_at 0x10)" = 88 ]
	[ "$(hex_at 0x17)" = 11 ]
	[ "$(hex_at 0x31)" = be ]
	[ "$(hex_at 0x32)" = 00 ]	# a 16-bit write touches 2 bytes, not 4
	[ "$(hex_at 0x41)" = 00 ]
}

@test "the last valid offset works for every width, one past it is -ERANGE" {
	run "$RUN" "file:$F" w8 4080 0x0102030405060708 w4 4088 0x33333333 w2 4092 0x2222 w1 4095 0x11 \
		r8 4080 r8 4088 r1 4095
	assert_success
	assert_line --index 4 "0x0102030405060708"
	assert_line --index 5 "0x1100222233333333"
	assert_line --index 6 "0x11"
	for w in 1 2 4 8; do
		run "$RUN" "file:$F" r$w $((4096 - w + w))
		assert_failure
		assert_output --partial "ERANGE: offset 0x1000 + $w bytes is outside file:$F (size 0x1000)"
	done
	run "$RUN" "file:$F" w4 4093 1
	assert_failure
	assert_output --partial "ERANGE"
}

@test "offset + width overflowing 64 bits is -ERANGE, not a wrap-around" {
	run "$RUN" "file:$F" r8 0xfffffffffffffff8 r4 0xfffffffffffffffc w2 0xfffffffffffffffe 1 r1 0xffffffffffffffff
	assert_failure
	[ "$(grep -c '^ERANGE' <<<"$output")" = 4 ]
}

@test "misaligned accesses are -EINVAL and change nothing" {
	cp "$F" "$F.orig"
	run "$RUN" "file:$F" w2 1 0xffff w4 2 0xffffffff w8 4 1 r4 1 r8 12
	assert_failure
	[ "$(grep -c '^EINVAL: .* is not [248]-byte aligned' <<<"$output")" = 5 ]
	cmp "$F" "$F.orig"
}

@test "run-time width: phys_read/phys_write accept 1/2/4/8 only and values that fit" {
	run "$RUN" "file:$F" wr 4 8 0x12345678 rd 4 8 rd 2 10 wr 3 0 1 rd 0 0 wr 1 0 0x100 rd 16 0
	assert_failure
	assert_line --index 0 "ok"
	assert_line --index 1 "0x12345678"
	assert_line --index 2 "0x1234"
	assert_line --index 3 "EINVAL: access width 3: use 1, 2, 4 or 8 bytes"
	assert_line --index 4 "EINVAL: access width 0: use 1, 2, 4 or 8 bytes"
	assert_line --index 5 "ERANGE: value 0x100 does not fit in 8 bits"
	assert_line --index 6 --partial "EINVAL: access width 16"
}

@test "writes to a read-only map are -EACCES and the file is unchanged" {
	printf '\x01\x02\x03\x04' | dd of="$F" conv=notrunc status=none
	run "$RUN" -r "file:$F" w4 0 0 w1 0 0 w8 0 0 r4 0
	assert_failure
	[ "$(grep -c "^EACCES: file:$F is mapped read-only" <<<"$output")" = 3 ]
	assert_line --index 3 "0x04030201"
}

@test "a read-only map of a file we may not write still reads" {
	chmod 0444 "$F"
	if [ "$(id -u)" = 0 ]; then
		# root may write anything: read as nobody, from a directory
		# nobody can reach, so the file really is not writable for us.
		d=$(mktemp -d /tmp/libphys-ro.XXXXXX)
		chmod 0755 "$d"
		cp "$F" "$d/ro.bin"
		chmod 0444 "$d/ro.bin"
		run setpriv --reuid=nobody --regid=nogroup --clear-groups \
			env LD_LIBRARY_PATH="$LD_LIBRARY_PATH" "$RUN" -r "file:$d/ro.bin" r4 0
		assert_success
		run setpriv --reuid=nobody --regid=nogroup --clear-groups \
			env LD_LIBRARY_PATH="$LD_LIBRARY_PATH" "$RUN" "file:$d/ro.bin" w4 0 1
		rm -rf "$d"
		assert_failure
	else
		run "$RUN" -r "file:$F" r4 0
		assert_success
	fi
}

@test "big-endian view swaps every width; the bytes in memory are big-endian" {
	run "$RUN" -B "file:$F" w4 0 0x11223344 w2 8 0xaabb w8 16 0x0102030405060708 r4 0 r2 8 r8 16
	assert_success
	assert_line --index 3 "0x11223344"
	assert_line --index 4 "0xaabb"
	assert_line --index 5 "0x0102030405060708"
	[ "$(hex_at 0)" = 11 ] && [ "$(hex_at 3)" = 44 ]
	[ "$(hex_at 8)" = aa ]
	[ "$(hex_at 16)" = 01 ] && [ "$(hex_at 23)" = 08 ]
	run "$RUN" "file:$F" r4 0
	assert_output "0x44332211"
}

@test "split64 gives the same value as one 64-bit access, in both byte orders" {
	run "$RUN" -S "file:$F" w8 8 0x1122334455667788 r8 8 r4 8 r4 12
	assert_success
	assert_output "ok
0x1122334455667788
0x55667788
0x11223344"
	run "$RUN" -S -B "file:$F" w8 16 0x1122334455667788 r8 16
	assert_line --index 1 "0x1122334455667788"
	[ "$(hex_at 16)" = 11 ] && [ "$(hex_at 23)" = 88 ]
	run "$RUN" -S "file:$F" r8 4 r8 4089
	assert_failure
	assert_line --index 0 --partial "EINVAL"
	assert_line --index 1 --partial "ERANGE"
}

@test "offsets above 4 GiB reach the right byte of a sparse file" {
	truncate -s $((5 * 1024 * 1024 * 1024)) "$F"
	off=$((4 * 1024 * 1024 * 1024 + 0x1230))
	if [ "$PHYSMEM_LONG_BIT" = 32 ]; then
		# 5 GiB do not fit a 32-bit address space: refused, saying so
		run "$RUN" "file:$F" r1 0
		assert_failure
		assert_output "ERANGE: file:$F: length 0x140000000 too big to map"
	else
		run "$RUN" "file:$F" w4 $off 0xcafef00d r4 $off r1 $((5 * 1024 * 1024 * 1024 - 1)) \
			r1 $((5 * 1024 * 1024 * 1024))
		assert_failure
		assert_line --index 1 "0xcafef00d"
		assert_line --index 2 "0x00"
		assert_line --index 3 --partial "ERANGE: offset 0x140000000 + 1 bytes"
		[ "$(hex_at $off)" = 0d ]
		[ "$(hex_at $((off + 3)))" = ca ]
	fi
	# a part of the file above 4 GiB, mapped alone: a 64-bit mmap offset
	# even where off_t would have 32 bits without _FILE_OFFSET_BITS=64
	run "$RUN" -l 0x2000 "file:$F+0x100001000" w4 0x230 0x12345678 r4 0x230 r1 0x1fff r1 0x2000
	assert_failure
	assert_line --index 1 "0x12345678"
	assert_line --index 2 "0x00"
	assert_line --index 3 --partial "ERANGE: offset 0x2000 + 1 bytes"
	[ "$(hex_at $off 4)" = 78563412 ]
}

@test "a file truncated under a live map gives -EFAULT naming the address; the process goes on" {
	run "$RUN" "file:$F" w4 0x100 0x12345678 truncate 0 r4 0x100 w8 0x200 1 truncate 4096 r4 0x100 w4 0x100 7 r4 0x100
	assert_failure
	assert_line --index 2 --regexp "^EFAULT: SIGBUS during 32-bit read at 0x100 \(file:.*\+0x100\)"
	assert_line --index 3 --regexp "^EFAULT: SIGBUS during 64-bit write at 0x200"
	assert_line --index 5 "0x00000000"
	assert_line --index 6 "ok"
	assert_line --index 7 "0x00000007"
}

@test "faults are caught in many threads at once, each thread its own result" {
	run "$TOP/tests/host/progs/libphys-threads" "$F"
	assert_success
	assert_output --partial "threads ok"
}

@test "a fault outside libphys still reaches the program's own handler" {
	run "$TOP/tests/host/progs/libphys-chain" "$F"
	assert_success
	assert_output "libphys fault: -14
own handler ran"
}

@test "a fault outside libphys with no handler still kills the program" {
	run "$TOP/tests/host/progs/libphys-chain" --no-handler "$F"
	assert_equal "$status" 139
}

@test "the portable fault catching (sigsetjmp, for other architectures) works too" {
	make -s -C "$TOP/libphys" portable >/dev/null
	export LD_LIBRARY_PATH="$TOP/libphys/portable"
	run ldd "$RUN"
	assert_output --partial "$TOP/libphys/portable/libphys.so.2"
	run "$RUN" "file:$F" w4 0x100 1 truncate 0 r4 0x100 w2 0x200 1 truncate 4096 w4 0x100 7 r4 0x100
	assert_line --index 2 --regexp "^EFAULT: SIGBUS during 32-bit read at 0x100"
	assert_line --index 3 --regexp "^EFAULT: SIGBUS during 16-bit write at 0x200"
	assert_line --index 6 "0x00000007"
	run "$TOP/tests/host/progs/libphys-threads" "$F"
	assert_success
	truncate -s 4096 "$F"
	run "$TOP/tests/host/progs/libphys-chain" "$F"
	assert_output "libphys fault: -14
own handler ran"
}

@test "map lengths: whole file by default, a shorter length bounds the map, longer or empty is refused" {
	run "$RUN" -l 16 "file:$F" info r4 12 r4 16
	assert_failure
	assert_line --index 0 --partial "size 0x10 "
	assert_line --index 2 --partial "ERANGE: offset 0x10 + 4 bytes"
	run "$RUN" -l 4097 "file:$F" info
	assert_failure
	assert_output "ERANGE: file:$F: the file has 0x1000 bytes, fewer than asked for"
	: >"$F"
	run "$RUN" "file:$F" info
	assert_output "EINVAL: file:$F: the file has 0x0 bytes"
	run "$RUN" "file:$BATS_TEST_TMPDIR/nonexistent" info
	assert_output --regexp "^ENOENT: file:.*nonexistent: No such file or directory$"
	run "$RUN" "file:$BATS_TEST_TMPDIR" info
	assert_output --regexp "^EINVAL: file:.*: not a regular file$"
}

@test "file:PATH@ADDR stands at ADDR: resolve and map say so, accesses land at file offsets" {
	run "$RUN" - resolvep "file:$F@0x40000000" resolvep "file:$F@0x40000000+0x34" \
		resolvep "file:$F@1K" resolvep "file:$F"
	assert_success
	assert_line --index 0 "phys 0x40000000 size 0x1000 window '' backend file physical 1"
	assert_line --index 1 "phys 0x40000034 size 0xfcc window '' backend file physical 1"
	assert_line --index 2 "phys 0x400 size 0x1000 window '' backend file physical 1"
	assert_line --index 3 "phys 0x0 size 0x1000 window '' backend file physical 0"
	run "$RUN" "file:$F@0x40000000+0x100" info physical w4 0x10 0x11223344 w1 0 0x5a r4 0x10 r4 0xf00
	assert_failure
	assert_line --index 0 "phys 0x40000100 size 0xf00 name file:$F@0x40000000+0x100 flags 0x0 ctx 1"
	assert_line --index 1 "physical 1"
	assert_line --index 4 "0x11223344"
	assert_line --index 5 "ERANGE: offset 0xf00 + 4 bytes is outside file:$F@0x40000000+0x100 (size 0xf00)"
	[ "$(hex_at 0x110 4)" = 44332211 ]
	[ "$(hex_at 0x100)" = 5a ]
	[ "$(hex_at 0x10 4)" = 00000000 ]
	run "$RUN" "file:$F" info physical
	assert_line --index 0 "phys 0x0 size 0x1000 name file:$F flags 0x0 ctx 1"
	assert_line --index 1 "physical 0"
}

@test "a fault in a file:PATH@ADDR map names the physical address" {
	run "$RUN" "file:$F@0x40000000" sh "truncate -s 0 '$F'" r4 0x100
	assert_failure
	assert_line --index 0 --regexp "^EFAULT: SIGBUS during 32-bit read at 0x40000100 \(file:.*@0x40000000\+0x100\)"
}

@test "a file name with '@' in it: quoted, or followed by an address" {
	local d=$BATS_TEST_TMPDIR
	printf 'ABCDEFGH' >"$d/a@b.bin"
	run "$RUN" - resolvep "file:\"$d/a@b.bin\"" resolvep "file:\"$d/a@b.bin\"@0x1000+4" \
		resolvep "file:$d/a@b.bin@0x1000" resolvep "file:$d/a@b.bin"
	assert_failure
	assert_line --index 0 "phys 0x0 size 0x8 window '' backend file physical 0"
	assert_line --index 1 "phys 0x1004 size 0x4 window '' backend file physical 1"
	assert_line --index 2 "phys 0x1000 size 0x8 window '' backend file physical 1"
	assert_line --index 3 "EINVAL: target 'file:$d/a@b.bin': bad address 'b.bin': not a number: expected decimal, 0x hex or 0b binary; a file name with '@' in it is quoted: file:\"NAME\""
	run "$RUN" "file:\"$d/a@b.bin\"@0x1000+4" r4 0
	assert_success
	assert_output "0x48474645"
}

@test "a bad @ADDR is refused naming the problem" {
	local hint="; a file name with '@' in it is quoted: file:\"NAME\""
	run "$RUN" - resolve "file:$F@" resolve "file:$F@zz" resolve "file:$F@0x1@0x2" \
		resolve "file:$F@010" resolve "file:$F@0x1zz" resolve "file:\"$F\"@" \
		resolve "file:\"$F\"@zz" resolve "file:@0x10" resolve "file:$F@+4" \
		resolve "file:$F@18446744073709551616"
	assert_failure
	assert_line --index 0 "EINVAL: target 'file:$F@': expected an address after '@'$hint"
	assert_line --index 1 "EINVAL: target 'file:$F@zz': bad address 'zz': not a number: expected decimal, 0x hex or 0b binary$hint"
	assert_line --index 2 "EINVAL: target 'file:$F@0x1@0x2': two addresses, '@0x1' and '@0x2'$hint"
	# a number's own mistakes, and a quoted name, need no word on names
	assert_line --index 3 "EINVAL: target 'file:$F@010': bad address '010': leading zero (octal is not supported): write 10 for decimal or 0x10 for hex"
	assert_line --index 4 "EINVAL: target 'file:$F@0x1zz': bad address '0x1zz': not a number: expected decimal, 0x hex or 0b binary"
	assert_line --index 5 "EINVAL: target 'file:\"$F\"@': expected an address after '@'"
	assert_line --index 6 "EINVAL: target 'file:\"$F\"@zz': bad address 'zz': not a number: expected decimal, 0x hex or 0b binary"
	assert_line --index 7 "EINVAL: target 'file:@0x10': missing file name"
	assert_line --index 8 "EINVAL: target 'file:$F@+4': expected an address after '@'$hint"
	assert_line --index 9 "ERANGE: target 'file:$F@18446744073709551616': bad address '18446744073709551616': too large: a number must fit in 64 bits"
	# phys_map_open() refuses alike, and nothing is written
	run "$RUN" "file:$F@zz" w1 0 1
	assert_failure
	assert_output "EINVAL: target 'file:$F@zz': bad address 'zz': not a number: expected decimal, 0x hex or 0b binary$hint"
	[ "$(hex_at 0)" = 00 ]
}

@test "@ADDR: the whole file must end at or below 2^64 - 1" {
	local too="ERANGE: file:$F: 0x1000 bytes at 0xfffffffffffff001 run past the end of the 64-bit address space"
	run "$RUN" - resolvep "file:$F@0xfffffffffffff000" resolvep "file:$F@0xfffffffffffff000+0xff8" \
		resolvep "file:$F@0xfffffffffffff001" resolvep "file:$F@0xfffffffffffff001+0x800"
	assert_failure
	assert_line --index 0 "phys 0xfffffffffffff000 size 0x1000 window '' backend file physical 1"
	assert_line --index 1 "phys 0xfffffffffffffff8 size 0x8 window '' backend file physical 1"
	assert_line --index 2 "$too"
	assert_line --index 3 "$too"
	run "$RUN" "file:$F@0xfffffffffffff000" info w8 0xff8 0x0102030405060708 r8 0xff8 r1 0x1000
	assert_failure
	assert_line --index 0 "phys 0xfffffffffffff000 size 0x1000 name file:$F@0xfffffffffffff000 flags 0x0 ctx 1"
	assert_line --index 2 "0x0102030405060708"
	assert_line --index 3 --partial "ERANGE: offset 0x1000 + 1 bytes is outside"
	[ "$(hex_at 0xff8 8)" = 0807060504030201 ]
	run "$RUN" "file:$F@0xfffffffffffff001" w1 0 1
	assert_failure
	assert_output "$too"
	[ "$(hex_at 0)" = 00 ]
	# an empty file stands anywhere, and maps nowhere, as without @ADDR
	: >"$F"
	run "$RUN" - resolvep "file:$F@0xffffffffffffffff"
	assert_output "phys 0xffffffffffffffff size 0x0 window '' backend file physical 1"
}
