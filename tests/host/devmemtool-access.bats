#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# devmemtool register access on file: targets: r*/w*, set/clear/update,
# poll, expect, numbers, bounds and the errors they give. File contents are
# checked with od, independently of devmemtool's own reads.

load devmemtool

setup() {
	mem_file
}

hex_at() {	# OFFSET COUNT: the file's bytes, as hex
	od -v -An -tx1 -j "$1" -N "$2" "$F" | tr -d ' \n'
}

put() {		# OFFSET HEXBYTES: write raw bytes into the file
	printf "$(echo "$2" | sed 's/../\\x&/g')" |
		dd of="$F" bs=1 seek=$(($1)) conv=notrunc status=none
}

@test "w32 stores the value little-endian at the offset" {
	run devmemtool w32 "$T+0x10" 0x12345678
	assert_success
	assert_output ""
	[ "$(hex_at 0x10 4)" = 78563412 ]
	[ "$(hex_at 0x0c 4)" = 00000000 ]
	[ "$(hex_at 0x14 4)" = 00000000 ]
}

@test "r8 r16 r32 r64 read what the file holds" {
	put 0x20 0123456789abcdef
	run devmemtool r8 "$T+0x20"
	assert_output "$T+0x20: 0x01"
	run devmemtool r16 "$T+0x20"
	assert_output "$T+0x20: 0x2301"
	run devmemtool r32 "$T+0x20"
	assert_output "$T+0x20: 0x67452301"
	run devmemtool r64 "$T+0x20"
	assert_success
	assert_output "$T+0x20: 0xefcdab8967452301"
}

@test "r16 with COUNT reads consecutive registers" {
	put 0x40 aaaabbbbcccc
	run devmemtool r16 "$T+0x40" 3
	assert_success
	assert_line --index 0 "$T+0x40: 0xaaaa"
	assert_line --index 1 "$T+0x42: 0xbbbb"
	assert_line --index 2 "$T+0x44: 0xcccc"
	[ "${#lines[@]}" -eq 3 ]
	# the offsets in one column, as many digits as the last one needs
	run devmemtool r32 "$T+0x8" 3
	assert_line --index 0 "$T+0x08: 0x00000000"
	assert_line --index 2 "$T+0x10: 0x00000000"
	run devmemtool r8 "$T+0xff" 2
	assert_line --index 0 "$T+0x0ff: 0x00"
	assert_line --index 1 "$T+0x100: 0x00"
	run devmemtool r8 "$T+0xff"
	assert_output "$T+0xff: 0x00"
}

@test "w8 with several values writes consecutive bytes" {
	run devmemtool w8 "$T+0x100" 1 0x2 0b11 4
	assert_success
	[ "$(hex_at 0x100 5)" = 0102030400 ]
}

@test "w16 and w64 write exactly their width" {
	put 0x200 ffffffffffffffffffffffff
	run devmemtool w16 "$T+0x200" 0x1234
	assert_success
	[ "$(hex_at 0x200 4)" = 3412ffff ]
	run devmemtool w64 "$T+0x208" 0
	[ "$(hex_at 0x204 12)" = ffffffff0000000000000000 ]
}

@test "values are decimal, 0x hex or 0b binary, with _ separators" {
	devmemtool w32 "$T" 4096
	[ "$(hex_at 0 4)" = 00100000 ]
	devmemtool w32 "$T" 0b1010_0101
	[ "$(hex_at 0 4)" = a5000000 ]
	devmemtool w32 "$T" 0XFF
	[ "$(hex_at 0 4)" = ff000000 ]
}

@test "set, clear and update change only their bits and show old -> new" {
	put 0x30 f0000000
	run devmemtool set32 "$T+0x30" 0x0f
	assert_success
	assert_output "$T+0x30: 0x000000f0 -> 0x000000ff"
	run devmemtool clear "$T+0x30" 0x30
	assert_output "$T+0x30: 0x000000ff -> 0x000000cf"
	run devmemtool update8 "$T+0x30" 0xf0 0x50
	assert_output "$T+0x30: 0xcf -> 0x5f"
	[ "$(hex_at 0x30 4)" = 5f000000 ]
	run devmemtool set64 "$T+0x38" 0x8000000000000000
	assert_success
	[ "$(hex_at 0x38 8)" = 0000000000000080 ]
}

@test "update refuses a VALUE with bits outside MASK and changes nothing" {
	put 0x30 11223344
	run devmemtool update32 "$T+0x30" 0xff 0x100
	assert_failure 2
	assert_output --partial "update32: VALUE 0x100 has bits outside MASK 0xff"
	[ "$(hex_at 0x30 4)" = 11223344 ]
}

@test "poll returns once the masked value matches, and says how long it took" {
	put 0x20 05000000
	run devmemtool poll "$T+0x20" 0x1 0x1 100
	assert_success
	assert_output --regexp "^$T\+0x20: 0x00000005 \(poll matched after [0-9]+\.[0-9]{3} ms\)$"
	run devmemtool -j poll "$T+0x20" 0x1 == 0x1 100 50
	assert_success
	echo "$output" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["result"] == "poll matched" and o["value"] == 5 and o["elapsed_us"] >= 0, o'
}

@test "poll times out with the last value and the condition" {
	put 0x20 04000000
	run devmemtool poll32 "$T+0x20" 0x1 0x1 50
	assert_failure 1
	assert_output "devmemtool: poll32 $T+0x20: timed out after 50 ms: value 0x00000004, want (value & 0x00000001) == 0x00000001"
}

@test "poll != waits until the value changes; INTERVAL_US paces it and never outlasts the timeout" {
	put 0x20 04000000
	run devmemtool poll32 "$T+0x20" 0xff != 0x4 50
	assert_failure 1
	assert_output "devmemtool: poll32 $T+0x20: timed out after 50 ms: value 0x00000004, want (value & 0x000000ff) != 0x00000004"
	run devmemtool poll32 "$T+0x20" 0xff != 0x5 50
	assert_success
	assert_output --partial "0x00000004 (poll matched after"
	# a one-second interval with a 200 ms timeout ends at 200 ms
	start=$EPOCHREALTIME
	run devmemtool poll32 "$T+0x20" 0xff != 0x4 200 1000000
	ms=$(( (${EPOCHREALTIME/./} - ${start/./}) / 1000 ))
	assert_failure 1
	[ "$ms" -lt 900 ] || { echo "took $ms ms"; return 1; }
	run devmemtool poll32 "$T+0x20" 0xff != 0x4 100 2000000
	assert_failure 2
	assert_output --partial "INTERVAL_US 2000000 is more than a second"
	run devmemtool poll32 "$T+0x20" 0xff !=
	assert_failure 2
	assert_output --partial "missing VALUE after !="
	run devmemtool poll32 "$T+0x20" 0xff != 0x4 1 1 1
	assert_failure 2
	assert_output --partial "too many arguments"
	run devmemtool poll32 "$T+0x20" 0 != 0
	assert_failure 2
	assert_output --partial "MASK 0: the masked value is always 0, it can never differ"
	# an interval longer than a slice: read once an interval, ends on time
	start=$EPOCHREALTIME
	run devmemtool poll32 "$T+0x20" 0xff 0x5 1500 700000
	ms=$(( (${EPOCHREALTIME/./} - ${start/./}) / 1000 ))
	assert_failure 1
	[ "$ms" -ge 1400 ] && [ "$ms" -lt 2500 ] || { echo "took $ms ms"; return 1; }
	run devmemtool -n poll32 "$T+0x20" 0xff != 0x4 10 20
	assert_success
	assert_output "dry-run: poll32 $T+0x20 until (value & 0x000000ff) != 0x00000004, 10 ms, every 20 us"
}

@test "--json: a failed expect or poll carries expected, mask and actual as fields" {
	put 0x20 04000000
	run bash -c "devmemtool -j expect16 '$T+0x20' 0x5 2>/dev/null"
	assert_failure 1
	echo "$output" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["cmd"] == "expect16" and o["expected"] == 5 and o["actual"] == 4, o
assert o["mask"] == 0xffff and o["width"] == 2 and o["offset"] == 0x20, o
assert o["error"].startswith("expect16 "), o'
	run bash -c "devmemtool -j poll8 '$T+0x20' 0xf != 0x4 20 2>/dev/null"
	assert_failure 1
	echo "$output" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["not"] == 4 and o["actual"] == 4 and o["mask"] == 0xf and o["timeout_ms"] == 20, o'
}

@test "expect passes on a match and fails printing expected and actual" {
	put 0x8 78000000
	run devmemtool expect "$T+0x8" 120
	assert_success
	assert_output "$T+0x8: 0x00000078 (as expected)"
	run devmemtool expect "$T+0x8" 121
	assert_failure 1
	assert_output "devmemtool: expect $T+0x8: expected 0x00000079, got 0x00000078"
	run devmemtool expect8 "$T+0x8" 0x08 0x0f
	assert_success
	run devmemtool expect16 "$T+0x8" 0x7 0xf
	assert_failure 1
	assert_output --partial "expected 0x0007 under mask 0x000f, got 0x0078"
}

@test "--readback shows what was read after each write" {
	run devmemtool --readback w32 "$T+0x4" 0xcafe 0xf00d
	assert_success
	assert_line --index 0 "$T+0x4: wrote 0x0000cafe, read back 0x0000cafe"
	assert_line --index 1 "$T+0x8: wrote 0x0000f00d, read back 0x0000f00d"
}

@test "a value too wide for the access is a usage error and writes nothing" {
	run devmemtool w8 "$T" 0x100
	assert_failure 2
	assert_output "devmemtool: w8: VALUE 0x100 does not fit in 8 bits (usage: w8 ADDR VALUE [VALUE...])"
	run devmemtool w16 "$T" 1 0x10000
	assert_failure 2
	[ "$(hex_at 0 4)" = 00000000 ]
}

@test "bad numbers are usage errors" {
	for v in zz 0b2 -1 1.5 0x1g 4K; do
		run devmemtool w32 "$T" "$v"
		assert_failure 2
		assert_output --partial "w32: VALUE '$v': not a number: expected decimal, 0x hex or 0b binary"
	done
	run devmemtool w32 "$T" 0x
	assert_failure 2
	assert_output --partial "w32: VALUE '0x': no digits"
	run devmemtool w32 "$T" 18446744073709551616
	assert_failure 2
	assert_output --partial "w32: VALUE '18446744073709551616': too large: a number must fit in 64 bits"
	run devmemtool w32 "$T" 010
	assert_failure 2
	assert_output --partial "w32: VALUE '010': leading zero (octal is not supported): write 10 for decimal or 0x10 for hex"
	[ "$(hex_at 0 8)" = 0000000000000000 ]
}

@test "the largest 64-bit value is accepted" {
	run devmemtool w64 "$T" 18446744073709551615
	assert_success
	[ "$(hex_at 0 8)" = ffffffffffffffff ]
}

@test "access past the end fails naming command, address and reason" {
	run devmemtool r32 "$T+0xffc"
	assert_success
	run devmemtool r32 "$T+0xffd"
	assert_failure 1
	assert_output "devmemtool: r32 $T+0xffd: 0x4 bytes at offset 0xffd run past the end of $T (size 0x1000)"
	run devmemtool r32 "$T+0xffc" 2
	assert_failure 1
	run devmemtool w32 "$T+4096" 1
	assert_failure 1
	[ "$(stat -c %s "$F")" = 4096 ]
}

@test "offsets near 2^64 do not wrap around" {
	run devmemtool r32 "$T+0xfffffffffffffffe"
	assert_failure 1
	assert_output --partial "run past the end"
	run devmemtool r8 "$T+0xffffffffffffffff"
	assert_failure 1
	run devmemtool r64 "$T+0x10" 0x2000000000000001
	assert_failure 2
	assert_output --partial "COUNT 0x2000000000000001 out of range"
}

@test "a misaligned access fails with libphys's reason" {
	run devmemtool r32 "$T+0x2"
	assert_failure 1
	assert_output --regexp "^devmemtool: r32 $T\+0x2: .*align"
}

@test "an unknown target fails with libphys's reason" {
	run devmemtool r32 "file:$BATS_TEST_TMPDIR/missing.bin"
	assert_failure 1
	assert_output --regexp "^devmemtool: r32 file:$BATS_TEST_TMPDIR/missing.bin: .+"
}

@test "unknown commands and wrong argument counts are usage errors" {
	run devmemtool frob 1
	assert_failure 2
	assert_output "devmemtool: frob: unknown command (try 'help')"
	run devmemtool r32
	assert_failure 2
	assert_output "devmemtool: r32: missing argument (usage: r32 ADDR [COUNT])"
	run devmemtool r32 "$T" 1 2
	assert_failure 2
	assert_output --partial "too many arguments"
	run devmemtool update "$T" 1
	assert_failure 2
}

@test "-q prints only the values read, so a shell variable can take one" {
	put 0x10 78563412
	v=$(devmemtool -q r32 "$T+0x10")
	[ "$v" = 0x12345678 ]
	run devmemtool --quiet r8 "$T+0x10" 2
	assert_success
	assert_output "0x78
0x56"
	# writes, read-modify-writes and map say nothing; a readback is a value
	run devmemtool -q set8 "$T+0x10" 0x80
	assert_success
	assert_output ""
	[ "$(hex_at 0x10 1)" = f8 ]
	run devmemtool -q --readback w16 "$T+0x20" 0xbeef
	assert_output 0xbeef
	run devmemtool -q -f - <<-EOF2
	map $T as m
	r16 m+0x12
	EOF2
	assert_success
	assert_output 0x1234
	# errors still go to stderr, with the exit status
	run bash -c "devmemtool -q r32 '$T+0x2000' 2>/dev/null"
	assert_failure 1
	assert_output ""
}

@test "devmem mode: busybox devmem's WIDTH and output (upper-case hex, WIDTH/4 digits)" {
	put 0x10 efbeadde
	run devmemtool devmem "$T+0x10"
	assert_output 0xDEADBEEF
	run devmemtool devmem "$T+0x10" 8
	assert_output 0xEF
	run devmemtool devmem "$T+0x10" h
	assert_output 0xBEEF
	run devmemtool devmem "$T+0x18" 64 0x1122334455667788
	assert_success
	assert_output ""
	[ "$(hex_at 0x18 8)" = 8877665544332211 ]
	ln -s "$TOP/devmemtool/devmemtool" "$BATS_TEST_TMPDIR/devmem"
	# l is a long, as in busybox: 32 bits on armhf
	run "$BATS_TEST_TMPDIR/devmem" "$T+0x18" l
	if [ "$PHYSMEM_LONG_BIT" = 32 ]; then
		assert_output 0x55667788
	else
		assert_output 0x1122334455667788
	fi
	run "$BATS_TEST_TMPDIR/devmem" "$T+0x10" 12
	assert_failure 2
	assert_output --partial "bad WIDTH 12: 8, 16, 32, 64 or b, h, w, l"
	run "$BATS_TEST_TMPDIR/devmem" "$T+0x10" 8 0x100
	assert_failure 2
}

# A fake system tree where the memory at 0x50000000 is /dev/mem, a regular
# file, allowed by the policy: what bare addresses reach without a map.
fake_root() {
	ROOT="$BATS_TEST_TMPDIR/root"
	mkdir -p "$ROOT/proc" "$ROOT/dev" "$ROOT/etc/physmem"
	echo '00001000-0009fbff : System RAM' >"$ROOT/proc/iomem"
	truncate -s $((0x50001000)) "$ROOT/dev/mem"
	echo 'allow above range 0x50000000 +4K rw' >"$ROOT/etc/physmem/physmem.conf"
}

@test "map file:PATH@ADDR: bare addresses it covers reach the file, others the real backends" {
	fake_root
	put 0x10 78563412
	cat >"$BATS_TEST_TMPDIR/s.dmt" <<-EOF2
	map $T@0x40000000
	r32 0x40000010
	w32 0x40000014 0xcafef00d
	w32 0x50000010 0x22222222
	r32 $T@0x40000000+0x14
	r64 0x40000ff8
	dump 0x40000010 8
	EOF2
	run devmemtool --sysroot "$ROOT" -f "$BATS_TEST_TMPDIR/s.dmt"
	assert_success
	assert_output "$T@0x40000000: $T@0x40000000 at 0x40000000, size 0x1000 (4K)
0x40000010: 0x12345678
0x40000014: 0xcafef00d
0x40000ff8: 0x0000000000000000
40000010  78 56 34 12 0d f0 fe ca                           |xV4.....|"
	[ "$(hex_at 0x14 4)" = 0df0feca ]
	[ "$(od -An -tx1 -j $((0x50000010)) -N 4 "$ROOT/dev/mem" | tr -d ' ')" = 22222222 ]
	# past the file's end, or running past it: not the file's
	for cmd in "r32 0x40001000" "r64 0x40000ffc" "r32 0x3ffffffc"; do
		run devmemtool --sysroot "$ROOT" -f - <<<"map $T@0x40000000
$cmd"
		assert_failure 1
		assert_output --partial "is outside every window of the policy"
	done
	run devmemtool -j map "$T@0x40000000+0x100" as blk
	assert_success
	assert_output --partial '"phys":1073742080,"size":3840'
}

@test "file:PATH@ADDR: a bad address is libphys's refusal, nothing is written" {
	run devmemtool w32 "$T@zz" 1
	assert_failure 1
	assert_output "devmemtool: w32 $T@zz: target '$T@zz': bad address 'zz': not a number: expected decimal, 0x hex or 0b binary; a file name with '@' in it is quoted: file:\"NAME\""
	run devmemtool w32 "$T@0xfffffffffffff001" 1
	assert_failure 1
	assert_output "devmemtool: w32 $T@0xfffffffffffff001: file:$F: 0x1000 bytes at 0xfffffffffffff001 run past the end of the 64-bit address space"
	[ "$(hex_at 0 4)" = 00000000 ]
}
