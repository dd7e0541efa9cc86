#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# devmemtool ranges on file: targets: dump (checked against hexdump -C),
# fill, copy and cmp, with their argument checks.

load devmemtool

setup() {
	mem_file
}

hex_at() {	# OFFSET COUNT
	od -v -An -tx1 -j "$1" -N "$2" "$F" | tr -d ' \n'
}

@test "dump of bytes matches hexdump -C line for line" {
	printf 'Hello, physmem!\n\x00\x01\x02\x7f\x80\xff ~abc' |
		dd of="$F" conv=notrunc status=none
	run devmemtool dump "$T" 48
	assert_success
	expected=$(hexdump -C -n 48 "$F" | head -n 3)
	assert_output "$expected"
}

@test "dump collapses repeated lines like hexdump -C and shows the last" {
	printf 'A%.0s' $(seq 16) | dd of="$F" conv=notrunc status=none
	run devmemtool dump "$T" 0x100
	assert_success
	assert_line --index 0 --partial "00000000  41 41 41"
	assert_line --index 1 --partial "00000010  00 00 00"
	assert_line --index 2 "*"
	assert_line --index 3 --partial "000000f0  00 00 00"
	[ "${#lines[@]}" -eq 4 ]
}

@test "dump with WIDTH 4 and 8 shows words as the device returns them" {
	printf '\x78\x56\x34\x12\xef\xbe\xad\xde' | dd of="$F" seek=32 bs=1 conv=notrunc status=none
	run devmemtool dump "$T+0x20" 16 4
	assert_success
	assert_output "00000020  12345678 deadbeef  00000000 00000000  |xV4.............|"
	run devmemtool dump "$T+0x20" 16 8
	assert_output "00000020  deadbeef12345678 0000000000000000  |xV4.............|"
}

@test "dump of a partial last line pads the hex column" {
	printf 'abc' | dd of="$F" conv=notrunc status=none
	run devmemtool dump "$T" 3
	assert_success
	assert_output "$(hexdump -C -n 3 "$F" | head -n 1)"
}

@test "dump LEN takes K/M suffixes and must be a multiple of WIDTH" {
	run devmemtool dump "$T" 4K
	assert_success
	assert_line --index 0 --partial "00000000  00 00"
	run devmemtool dump "$T" 6 4
	assert_failure 2
	assert_output --partial "dump: LEN 6 is not a multiple of WIDTH 4"
	run devmemtool dump "$T" 16 3
	assert_failure 2
	assert_output --partial "WIDTH '3' must be 1, 2, 4 or 8"
	run devmemtool dump "$T" 0
	assert_failure 2
	run devmemtool dump "$T" 4097
	assert_failure 1
	assert_output --partial "run past the end"
}

@test "fill writes VALUE over LEN bytes and nothing beyond" {
	run devmemtool fill "$T+0x10" 0x20 0xa5
	assert_success
	[ "$(hex_at 0x0f 1)" = 00 ]
	[ "$(hex_at 0x10 32)" = "$(printf 'a5%.0s' $(seq 32))" ]
	[ "$(hex_at 0x30 1)" = 00 ]
	run devmemtool fill "$T+0x40" 8 0x11223344 4
	assert_success
	[ "$(hex_at 0x40 8)" = 4433221144332211 ]
}

@test "fill refuses a value wider than WIDTH and writes nothing" {
	run devmemtool fill "$T" 16 0x100
	assert_failure 2
	assert_output --partial "fill: VALUE 0x100 does not fit in 8 bits"
	[ "$(hex_at 0 16)" = 00000000000000000000000000000000 ]
}

@test "copy copies LEN bytes between targets" {
	G="$BATS_TEST_TMPDIR/other.bin"
	truncate -s 4096 "$G"
	printf 'register-block!!' | dd of="$F" seek=256 bs=1 conv=notrunc status=none
	run devmemtool copy "$T+0x100" "file:$G+0x80" 16 4
	assert_success
	[ "$(od -An -c -j 0x80 -N 16 "$G" | tr -d ' \n')" = 'register-block!!' ]
	[ "$(od -An -tx1 -j 0x90 -N 1 "$G" | tr -d ' ')" = 00 ]
}

@test "cmp succeeds on equal ranges and fails at the first difference" {
	printf 'abcdefgh' | dd of="$F" conv=notrunc status=none
	printf 'abcdefgh' | dd of="$F" seek=64 bs=1 conv=notrunc status=none
	run devmemtool cmp "$T" "$T+0x40" 8
	assert_success
	assert_output ""
	printf 'X' | dd of="$F" seek=69 bs=1 conv=notrunc status=none
	run devmemtool cmp "$T" "$T+0x40" 8
	assert_failure 1
	assert_output "devmemtool: cmp $T $T+0x40: differ at offset 0x5: 0x66 != 0x58"
	run devmemtool cmp "$T" "$T+0x40" 8 4
	assert_failure 1
	assert_output --partial "differ at offset 0x4: 0x68676665 != 0x68675865"
	run devmemtool cmp "$T+0x40" "$T" 8
	assert_failure 1
	assert_output "devmemtool: cmp $T+0x40 $T: differ at offset 0x5: 0x58 != 0x66"
}

@test "copy and cmp check both ranges before touching anything" {
	run devmemtool copy "$T" "$T+0xff0" 0x20
	assert_failure 1
	assert_output --partial "copy $T+0xff0: 0x20 bytes at offset 0xff0 run past the end"
	run devmemtool cmp "$T+0xff8" "$T" 16
	assert_failure 1
	[ "$(hex_at 0xff0 16)" = 00000000000000000000000000000000 ]
}

@test "overlapping copy is judged by the memory behind the targets, not their text" {
	cd "$BATS_TEST_TMPDIR"
	for width in 1 2 4; do
		for how in same path link; do
			printf 'ABCDEFGHIJKLMNOPQRSTUVWX' >s.bin
			ln -sf s.bin l.bin
			case $how in
			same) dst=file:s.bin ;;
			path) dst=file:./s.bin ;;
			link) dst=file:l.bin ;;
			esac
			run devmemtool copy file:s.bin "$dst+$width" 16 "$width"
			assert_success
			# a memmove: the first WIDTH bytes twice, then the rest shifted
			want=$(printf 'ABCDEFGHIJKLMNOPQRSTUVWX' | head -c "$width")$(printf 'ABCDEFGHIJKLMNOP')
			want=$want$(printf 'ABCDEFGHIJKLMNOPQRSTUVWX' | tail -c +$((17 + width)))
			[ "$(cat s.bin)" = "$want" ] || { echo "$how w$width: $(cat s.bin) != $want"; return 1; }
		done
	done
}

@test "load writes a file's bytes, save writes a range's bytes to a file" {
	cd "$BATS_TEST_TMPDIR"
	printf 'firmware-image-0123456789abcdef' >fw.bin	# 31 bytes
	run devmemtool load fw.bin "$T+0x100"
	assert_success
	assert_output ""
	run devmemtool save "$T+0x100" 31 back.bin
	assert_success
	cmp fw.bin back.bin
	# in words: the size must be a multiple of WIDTH
	run devmemtool load fw.bin "$T+0x200" 4
	assert_failure 2
	assert_output --partial "its size 0x1f is not a multiple of WIDTH 4"
	head -c 28 fw.bin >fw28.bin
	run devmemtool load fw28.bin "$T+0x200" 4
	assert_success
	run devmemtool -j save "$T+0x200" 28 back28.bin 4
	assert_success
	assert_output --partial '"cmd":"save"'
	assert_output --partial '"file":"back28.bin"'
	cmp fw28.bin back28.bin
}

@test "load and save are checked with the script: nothing is written when either cannot be done" {
	cd "$BATS_TEST_TMPDIR"
	head -c 4000 /dev/urandom >big.bin
	mkdir -p sub
	printf 'x' >sub/one.bin
	# past the end, a missing file, an empty file, an unwritable place
	: >empty.bin
	for bad in "load big.bin $T+0x100" "load none.bin $T" "load empty.bin $T" \
		   "save $T 16 /nonexistent/dir/out.bin" "load sub $T"; do
		printf 'w8 %s 0x55\n%s\n' "$T" "$bad" >s.dmt
		run devmemtool -f s.dmt
		[ "$status" -eq 1 ] || { echo "exit $status for $bad"; return 1; }
		[ "$(hex_at 0 1)" = 00 ] || { echo "written before: $bad"; return 1; }
	done
	# a dry run of save creates no file; a relative FILE is the script's neighbour
	run devmemtool -n save "$T" 16 new.bin
	assert_success
	assert_output "dry-run: save $T+0x0 -> 0x10 bytes to new.bin, width 1"
	[ ! -e new.bin ]
	printf 'load one.bin %s+0x10\nsave %s+0x10 1 copy.bin\n' "$T" "$T" >sub/s.dmt
	run devmemtool -f sub/s.dmt
	assert_success
	cmp sub/one.bin sub/copy.bin
}

@test "save never loses its file: over its own source, through a link, and load after save is refused" {
	cd "$BATS_TEST_TMPDIR"
	head -c 4096 /dev/urandom >own.bin
	sum=$(md5sum <own.bin)
	run devmemtool save file:own.bin 4K own.bin
	assert_success
	[ "$(md5sum <own.bin)" = "$sum" ]
	[ "$(ls own.bin.* 2>/dev/null | wc -l)" -eq 0 ]
	# through a symbolic link: the file it names is replaced, the link stays
	ln -s own.bin link.bin
	run devmemtool save "$T" 16 link.bin
	assert_success
	[ -L link.bin ]
	[ "$(stat -c %s own.bin)" -eq 16 ]
	# the same file, written in place: its mode stays, a map of it sees the bytes
	chmod 0600 own.bin
	printf 'save %s+0x20 8 own.bin\nr32 file:own.bin+4\n' "$T" >s.dmt
	printf '\x01\x02\x03\x04\x05\x06\x07\x08' | dd of="$F" seek=32 bs=1 conv=notrunc status=none
	run devmemtool -f s.dmt
	assert_success
	assert_output "file:own.bin+0x4: 0x08070605"
	[ "$(stat -c %a own.bin)" = 600 ]
	# a link whose file is yet to be made: the file is made
	ln -s made.bin dangling.bin
	run devmemtool save "$T" 8 dangling.bin
	assert_success
	[ -L dangling.bin ] && [ "$(stat -c %s made.bin)" -eq 8 ]
	# a save, then a load of that file: load reads before the run
	printf 'OLD!' >snap.bin
	printf 'save %s 16 snap.bin\nload snap.bin %s+0x10\n' "$T" "$T" >s.dmt
	run devmemtool -f s.dmt
	assert_failure 1
	assert_output --partial "s.dmt:2: load snap.bin: written by the save at s.dmt:1"
	# not a regular file: refused, without opening it
	mkfifo fifo
	run timeout 5 devmemtool -n save "$T" 16 fifo
	assert_failure 1
	assert_output "devmemtool: save fifo: not a regular file"
}

@test "copy between file:@ADDR targets: one memory only if one file, whatever address each stands at" {
	cd "$BATS_TEST_TMPDIR"
	# one file at two addresses, overlapping in the file: a memmove
	printf 'ABCDEFGHIJKLMNOPQRSTUVWX' >s.bin
	run devmemtool copy file:s.bin@0x1000 file:s.bin@0x2000+4 16 4
	assert_success
	[ "$(cat s.bin)" = ABCDABCDEFGHIJKLMNOPUVWX ]
	# and a map standing there, reached by bare addresses
	printf 'ABCDEFGHIJKLMNOPQRSTUVWX' >s.bin
	run devmemtool -f - <<<"map file:s.bin@0x40000000
copy 0x40000000 0x40000004 16 4"
	assert_success
	[ "$(cat s.bin)" = ABCDABCDEFGHIJKLMNOPUVWX ]
	# two files at one address: a forward copy, seen by where it faults
	# once save has cut the destination to one page (judged overlapping,
	# it would go backward and fault at its last word first)
	truncate -s 8K d.bin
	head -c 8K /dev/urandom >g.bin
	run devmemtool -f - <<<"save file:g.bin 4K d.bin
copy file:g.bin@0x40000000 file:d.bin@0x40000000+4 0x1ffc 4"
	assert_failure 1
	assert_output --partial "copy file:g.bin@0x40000000: SIGBUS during 32-bit write at 0x40001000 (file:d.bin@0x40000000+0x1000)"
}
