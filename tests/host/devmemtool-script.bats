#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# devmemtool scripts and modes: -f, stdin, #!, source, FILE:LINE errors,
# --keep-going, map ... as NAME, quit, exit statuses, --json, --dry-run.

load devmemtool

setup() {
	mem_file
	S="$BATS_TEST_TMPDIR/s.dmt"
}

hex_at() {	# OFFSET COUNT
	od -v -An -tx1 -j "$1" -N "$2" "$F" | tr -d ' \n'
}

@test "a script runs its commands in order, with comments and blank lines" {
	cat >"$S" <<-EOF
	# bring-up
	map $T as ctl

	w32 ctl+0x10 0x1     # enable
	w32 ctl+0x14 0x2
	r32 ctl+0x10 2
	EOF
	run devmemtool -f "$S"
	assert_success
	assert_line --index 0 "ctl: $T, size 0x1000 (4K)"
	assert_line --index 1 "ctl+0x10: 0x00000001"
	assert_line --index 2 "ctl+0x14: 0x00000002"
	[ "$(hex_at 0x10 8)" = 0100000002000000 ]
}

@test "the first failing line stops the script with FILE:LINE: and exit 1" {
	printf 'w8 %s+0 1\nexpect8 %s+0 2\nw8 %s+1 1\n' "$T" "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_output "$S:2: expect8 $T+0: expected 0x02, got 0x01"
	[ "$(hex_at 0 2)" = 0100 ]
}

@test "a bad line in a script is reported with FILE:LINE:, exits 1, and no line runs" {
	printf 'echo one\nw32 %s 0x1\nw32 %s 0x1ffffffff\necho three\n' "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_output "$S:3: w32: VALUE 0x1ffffffff does not fit in 32 bits (usage: w32 ADDR VALUE [VALUE...])"
	[ "$(hex_at 0 4)" = 00000000 ]
}

@test "a script is prepared whole: an error on its last line touches nothing" {
	chmod 0644 "$F"
	cp "$F" "$BATS_TEST_TMPDIR/ro.bin"
	chmod 0444 "$BATS_TEST_TMPDIR/ro.bin"
	R="file:$BATS_TEST_TMPDIR/ro.bin"
	# each last line fails a different check: syntax, number, target,
	# bounds, alignment, width, read-only, a name, a sourced file
	local -a bad=(
		'w32 %s'
		'frob'
		'w32 %s 010'
		'r32 file:/nonexistent/x'
		'r32 %s+0x1000'
		'r32 %s+0x2'
		'fill %s 16 0x100'
		"w8 $R 1"
		'r32 nosuch+0x10'
		'poll32 %s 0x1 0x2'
		'dump %s 0'
		'copy %s %s+0xff8 16'
		'source nonexistent.dmt'
		'unmap nosuch'
		'map %s frob'
		'echo "unterminated'
	)
	local expect_out
	for line in "${bad[@]}"; do
		# shellcheck disable=SC2059
		printf "w32 %s 0x11223344\nset32 %s+4 0xff\nfill %s+8 8 0xaa\necho ran\n$line\n" \
			"$T" "$T" "$T" "$T" "$T" >"$S"
		run devmemtool -f "$S"
		[ "$status" -eq 1 ] || { echo "exit $status for: $line"; return 1; }
		assert_output --regexp "^$S:5: "
		refute_output --partial ran
		[ "$(hex_at 0 16)" = 00000000000000000000000000000000 ] ||
			{ echo "touched by: $line"; return 1; }
		# and a dry run refuses it with the same message
		expect_out=$output
		run devmemtool --dry-run -f "$S"
		[ "$status" -eq 1 ] && [ "$output" = "$expect_out" ] ||
			{ echo "dry run differs for: $line: $output"; return 1; }
	done
	# every error is reported, not just the first
	printf 'w32 %s 1\nfrob\nw32 %s 0x1ffffffff\n' "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_line --index 0 "$S:2: frob: unknown command (try 'help')"
	assert_line --index 1 --partial "$S:3: w32: VALUE 0x1ffffffff"
	[ "$(hex_at 0 4)" = 00000000 ]
	# the same in a sourced file, and over two -f files
	printf 'w32 %s 1\nr32 %s+0x1000\n' "$T" "$T" >"$BATS_TEST_TMPDIR/inner.dmt"
	printf 'w32 %s+4 1\nsource inner.dmt\n' "$T" >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_output --partial "inner.dmt:2: r32 $T+0x1000:"
	printf 'w32 %s 1\n' "$T" >"$BATS_TEST_TMPDIR/a.dmt"
	run devmemtool -f "$BATS_TEST_TMPDIR/a.dmt" -f "$BATS_TEST_TMPDIR/inner.dmt"
	assert_failure 1
	[ "$(hex_at 0 8)" = 0000000000000000 ]
}

@test "--keep-going goes on after failures at run time, not after errors found before it" {
	printf 'w8 %s+0 1\nexpect8 %s+0 2\nw8 %s+1 1\necho done\n' "$T" "$T" "$T" >"$S"
	run devmemtool --keep-going -f "$S"
	assert_failure 1
	assert_line "$S:2: expect8 $T+0: expected 0x02, got 0x01"
	assert_line "done"
	[ "$(hex_at 0 2)" = 0101 ]
	printf 'w8 %s+2 1\nfrob\nr8 %s+0x2000\necho done\n' "$T" "$T" >"$S"
	run devmemtool --keep-going -f "$S"
	assert_failure 1
	assert_line "$S:2: frob: unknown command (try 'help')"
	assert_line --partial "$S:3: r8 $T+0x2000:"
	refute_line "done"
	[ "$(hex_at 2 1)" = 00 ]
}

@test "a script is text: a NUL or control byte anywhere is refused before any line runs" {
	# the NUL would have cut the write short: 0x1 written, 0x2 lost
	printf 'w32 %s+0x10 0x5\nw32 %s+0x20 0x1\0 0x2\n' "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_output "$S:2: column $(( ${#T} + 14 )): control byte 0x00 (NUL): a script is text"
	[ "$(hex_at 0x10 4)" = 00000000 ]
	[ "$(hex_at 0x20 4)" = 00000000 ]
	# an escape sequence on the last line, through stdin too
	printf 'w32 %s+0x10 0x5\nr32 %s \033[2J\n' "$T" "$T" >"$S"
	run devmemtool -f - <"$S"
	assert_failure 1
	assert_output "-:2: column $(( ${#T} + 6 )): control byte 0x1b: a script is text"
	[ "$(hex_at 0x10 4)" = 00000000 ]
	# tab, and CRLF line ends, are text
	printf 'w32\t%s+0x10 0x5\r\nr32 %s+0x10\r\n' "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_success
	assert_output "$T+0x10: 0x00000005"
	# a sourced file is checked whole before its first line runs
	printf 'w32 %s+0x30 0x7\nw32 %s \001 1\n' "$T" "$T" >"$BATS_TEST_TMPDIR/inner.dmt"
	printf 'source inner.dmt\n' >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_line --partial "inner.dmt:2: column $(( ${#T} + 6 )): control byte 0x01: a script is text"
	[ "$(hex_at 0x30 4)" = 00000000 ]
}

@test "a script on stdin runs when stdin is not a terminal" {
	run bash -c "printf 'w16 $T+2 0xbeef\nr16 $T+2\n' | devmemtool"
	assert_success
	assert_output "$T+0x2: 0xbeef"
	run bash -c "printf 'echo a\nfrob\n' | devmemtool"
	assert_failure 1
	assert_line "<stdin>:2: frob: unknown command (try 'help')"
	run bash -c "echo 'echo x' | devmemtool -f -"
	assert_success
	assert_output x
}

@test "a #! script runs directly" {
	printf '#!%s -f\nw8 %s+7 0x77\necho ran\n' "$TOP/devmemtool/devmemtool" "$T" >"$S"
	chmod +x "$S"
	run "$S"
	assert_success
	assert_output ran
	[ "$(hex_at 7 1)" = 77 ]
}

@test "source runs a file relative to the sourcing script; errors name the inner line" {
	mkdir "$BATS_TEST_TMPDIR/lib"
	printf 'w8 %s+0 0x11\nexpect8 %s+0 0x12\n' "$T" "$T" >"$BATS_TEST_TMPDIR/lib/inner.dmt"
	printf 'source inner.dmt\nw8 %s+1 0x22\n' "$T" >"$BATS_TEST_TMPDIR/lib/outer.dmt"
	cd /
	run devmemtool -f "$BATS_TEST_TMPDIR/lib/outer.dmt"
	assert_failure 1
	assert_output "$BATS_TEST_TMPDIR/lib/inner.dmt:2: expect8 $T+0: expected 0x12, got 0x11"
	[ "$(hex_at 0 2)" = 1100 ]
}

@test "source of a missing file fails at the sourcing line" {
	printf 'source nope.dmt\n' >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_output --partial "$S:1: $BATS_TEST_TMPDIR/nope.dmt: No such file"
}

@test "a script sourcing itself stops at the nesting limit, said once" {
	printf 'source s.dmt\n' >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_output --partial "nested more than 16 deep"
	# four lines sourcing it would be 4^16 preparations: the first stops all
	printf 'w8 %s 1\nsource s.dmt\nsource s.dmt\nsource s.dmt\nsource s.dmt\n' "$T" >"$S"
	run timeout 20 devmemtool -f "$S"
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	[ "$(hex_at 0 1)" = 00 ]
}

@test "quit ends a script successfully" {
	printf 'w8 %s 1\nquit\nw8 %s 2\n' "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_success
	[ "$(hex_at 0 1)" = 01 ]
}

@test "quit in a sourced file ends only that file; exit ends everything" {
	printf 'w8 %s+1 1\nquit\nw8 %s+2 2\n' "$T" "$T" >"$BATS_TEST_TMPDIR/inner.dmt"
	printf 'source inner.dmt\nw8 %s+3 3\necho after\n' "$T" >"$S"
	run devmemtool -f "$S"
	assert_success
	assert_output after
	[ "$(hex_at 1 3)" = 010003 ]
	printf 'w8 %s+4 4\nexit\nw8 %s+5 5\n' "$T" "$T" >"$BATS_TEST_TMPDIR/inner.dmt"
	printf 'source inner.dmt\nw8 %s+6 6\necho after\n' "$T" >"$S"
	run devmemtool -f "$S"
	assert_success
	assert_output ""
	[ "$(hex_at 4 3)" = 040000 ]
	# with two -f files, quit ends the first and the second runs
	printf 'quit\n' >"$BATS_TEST_TMPDIR/a.dmt"
	printf 'echo second\n' >"$BATS_TEST_TMPDIR/b.dmt"
	run devmemtool -f "$BATS_TEST_TMPDIR/a.dmt" -f "$BATS_TEST_TMPDIR/b.dmt"
	assert_output second
}

@test "quoted text keeps its blanks; an unterminated quote is an error" {
	printf 'echo "a   b" c\n' >"$S"
	run devmemtool -f "$S"
	assert_success
	assert_output "a   b c"
	printf 'echo "open\n' >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_output "$S:1: unterminated quote"
}

@test "map checks its arguments" {
	run devmemtool map "$T" as 0x10
	assert_failure 2
	assert_output --partial "bad name '0x10': expected a letter, then letters, digits, '_' or '-'"
	run devmemtool map "$T" as a.b
	assert_failure 2
	assert_output --partial "bad name 'a.b'"
	run devmemtool map "$T" as r32
	assert_failure 2
	assert_output --partial "'r32' cannot be a name: it is a command"
	run devmemtool map "$T" to x
	assert_failure 2
	assert_output --partial "unknown option 'to': be, split64, wc, or 'as NAME'"
	run devmemtool map "$T" as
	assert_failure 2
	assert_output --partial "expected one NAME after 'as'"
	run devmemtool map "file:$BATS_TEST_TMPDIR/none"
	assert_failure 1
	printf 'map %s as a\nmap %s as b\nmap\n' "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_success
	assert_line "a: $T, size 0x1000 (4K)"
	assert_line "b: $T, size 0x1000 (4K)"
}

@test "options: --help, --version, bad options, -f with arguments" {
	run devmemtool --help
	assert_success
	assert_output --partial "Usage: devmemtool"
	run devmemtool --version
	assert_success
	assert_output --regexp '^devmemtool [0-9]+\.[0-9]+'
	run devmemtool --bogus
	assert_failure 2
	# after -f FILE the rest are the script's arguments, at most 9
	printf 'echo $2 $1\n' >"$S"
	run devmemtool -f "$S" a b
	assert_success
	assert_output "b a"
	run devmemtool -f "$S" 1 2 3 4 5 6 7 8 9 10
	assert_failure 2
	assert_output --partial "at most 9 arguments"
	run devmemtool -f "$BATS_TEST_TMPDIR/missing"
	assert_failure 1
	assert_output --partial "missing: No such file"
	run devmemtool --backend nosuch r32 "$T"
	assert_failure 2
	assert_output --partial "--backend nosuch: unknown backend 'nosuch' (use auto, physmem, pread, sysfs, devmem or file)"
}

@test "--help lists the backends from libphys's table, in the order auto tries them" {
	run devmemtool --help
	assert_success
	listed=$(echo "$output" | sed -n '/^Backends/,/^$/p' | awk 'NR > 1 && NF { print $1 }' | tr '\n' ' ')
	assert_equal "$listed" "physmem pread sysfs devmem file "
	assert_line "  devmem    /dev/mem, uncached; policy checked by libphys, STRICT_DEVMEM too"
	for b in $listed; do
		mem_file
		run devmemtool --backend "$b" help
		assert_success
	done
}

@test "help lists every command of the table and explains one" {
	run devmemtool help
	assert_success
	for c in r8 r16 r32 r64 w8 w64 set8 clear64 update16 dump fill copy cmp \
		 poll expect sleep echo source map windows pci iomem info help quit; do
		assert_line --regexp "^  $c +"
	done
	run devmemtool help dump
	assert_success
	assert_line --index 0 "usage: dump ADDR LEN [WIDTH]"
	run devmemtool help nope
	assert_failure 2
}

@test "sleep waits the given milliseconds" {
	start=$(date +%s%N)
	run devmemtool sleep 300
	assert_success
	[ $(( ($(date +%s%N) - start) / 1000000 )) -ge 300 ]
	run devmemtool sleep x
	assert_failure 2
}

@test "--json prints one valid JSON object per result line" {
	printf 'map %s as m\nw32 m+0x10 0xdeadbeef\nr32 m+0x10\nset8 m+0x14 0x3\ndump m+0x10 32 4\necho hi\n' "$T" >"$S"
	run devmemtool --json -f "$S"
	assert_success
	[ "${#lines[@]}" -eq 7 ]
	for l in "${lines[@]}"; do
		echo "$l" | python3 -m json.tool >/dev/null
	done
	truncate -s 0 "$F"
	truncate -s 4096 "$F"
	run python3 -c '
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
r = [o for o in objs if o["cmd"] == "r32"][0]
assert r["value"] == 0xdeadbeef and r["value_hex"] == "0xdeadbeef", r
assert r["target"] == "m" and r["offset"] == 16 and r["width"] == 4, r
s = [o for o in objs if o["cmd"] == "set8"][0]
assert s["old"] == 0 and s["value"] == 3, s
d = [o for o in objs if o["cmd"] == "dump"]
assert len(d) == 2 and d[0]["values"][0] == 0xdeadbeef, d
assert objs[-1] == {"cmd": "echo", "text": "hi"}, objs[-1]
' <(devmemtool --json -f "$S")
	assert_success
}

@test "--json reports errors on stdout too, with file and line" {
	printf 'echo a\nexpect32 %s 1\n' "$T" >"$S"
	run bash -c "devmemtool --json -f '$S' 2>/dev/null"
	assert_failure 1
	echo "${lines[1]}" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["line"] == 2 and o["file"].endswith("s.dmt") and "expect32" in o["error"], o
'
	# found before the run: nothing ran, the error is the first object
	printf 'echo a\nr32 %s+0x2000\n' "$T" >"$S"
	run bash -c "devmemtool --json -f '$S' 2>/dev/null"
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	echo "${lines[0]}" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["line"] == 2 and "r32" in o["error"], o
'
}

@test "--dry-run prints every access and changes nothing" {
	printf '\x01\x02' | dd of="$F" conv=notrunc status=none
	before=$(sha256sum <"$F")
	printf 'w32 %s+0x10 1 2\nset8 %s 0x80\nfill %s+0x100 16 0xff\ncopy %s %s+0x200 16\nr32 %s\nsleep 5000\n' \
		"$T" "$T" "$T" "$T" "$T" "$T" >"$S"
	run devmemtool --dry-run -f "$S"
	assert_success
	assert_line --index 0 "dry-run: w32 $T+0x10 <- 0x00000001"
	assert_line --index 1 "dry-run: w32 $T+0x14 <- 0x00000002"
	assert_line --index 2 --partial "dry-run: set8 $T+0x0 read-modify-write mask 0x80"
	assert_line --index 3 --partial "dry-run: fill $T+0x100 <- 0xff x 0x10 bytes"
	assert_line --index 4 --partial "dry-run: copy $T+0x200 <- 0x10 bytes from $T+0x0"
	assert_line --index 5 --partial "dry-run: r32 $T+0x0 read"
	[ "$(sha256sum <"$F")" = "$before" ]
}

@test "--dry-run still checks arguments and bounds" {
	run devmemtool --dry-run w8 "$T" 0x100
	assert_failure 2
	run devmemtool --dry-run w8 "$T+0x1000" 1
	assert_failure 1
	assert_output --partial "run past the end"
}

@test "as root, a script and a file target in another user's 0700 directory are read (sudo devmemtool -f ~/x.dmt)" {
	[ "$(id -u)" = 0 ] || skip "needs root"
	local d=$BATS_TEST_TMPDIR/home
	mkdir -m 0700 "$d"
	cp "$F" "$d/regs.bin"
	printf 'r8 file:%s/regs.bin+0x10\n' "$d" >"$d/up.dmt"
	printf '\x5a' | dd of="$d/regs.bin" bs=1 seek=16 conv=notrunc status=none
	chmod 0600 "$d/up.dmt" "$d/regs.bin"
	chown -R nobody "$d"
	run devmemtool -f "$d/up.dmt"
	assert_success
	assert_output "file:$d/regs.bin+0x10: 0x5a"
	# writing another user's file is not kept: it is mapped read-only
	run devmemtool w8 "file:$d/regs.bin+0x10" 1
	assert_failure 1
	assert_output --partial "read-only"
}

# interrupted ARGS...: run devmemtool ARGS, SIGINT it after half a second;
# $rc its exit status, $err what it said on stderr.
interrupted() {
	devmemtool "$@" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$!
	sleep 0.5
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	err=$(cat "$BATS_TEST_TMPDIR/err")
}

@test "Ctrl-C (SIGINT) stops a script's running command and the script: FILE:LINE: interrupted, exit 130" {
	printf 'w8 %s+1 1\nsleep 60000\nw8 %s+2 2\n' "$T" "$T" >"$S"
	interrupted -f "$S"
	[ "$rc" = 130 ]
	[ "$err" = "$S:2: interrupted" ]
	[ "$(hex_at 1 2)" = 0100 ]
	# a one-shot poll too, well before its 60 s
	interrupted poll32 "$T" 0xff 0x1 60000
	[ "$rc" = 130 ]
	[ "$err" = "devmemtool: poll32: interrupted" ]
}


@test "unmap closes a map: its name is gone for the lines after it, its target maps again" {
	printf 'map %s as a\nw32 a+0 0x11\nunmap a\nr32 %s\nmap\n' "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_success
	assert_line --index 0 "a: $T, size 0x1000 (4K)"
	assert_line --index 1 "$T+0x0: 0x00000011"
	assert_line --index 2 "$T: $T, size 0x1000 (4K)"
	# a line after the unmap that names it is an error found before the run
	printf 'map %s as a\nw32 a+0 0x22\nunmap a\nr32 a\n' "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_output --partial "$S:4: r32 a:"
	[ "$(hex_at 0 4)" = 11000000 ]
	run devmemtool unmap nosuch
	assert_failure 1
	assert_output "devmemtool: unmap nosuch: not mapped (see 'map')"
}

@test "remap opens a file target replaced on disk; the old map stays if it cannot" {
	N="$BATS_TEST_TMPDIR/new.bin"
	printf '\x5a\x5a\x5a\x5a' >"$N"
	head -c 8188 /dev/zero >>"$N"
	printf '#!/bin/sh\nmv "%s" "%s"\n' "$N" "$F" >"$BATS_TEST_TMPDIR/swap"
	printf 'map %s as a\nr32 a\nsleep 300\nremap a\nr32 a\n' "$T" >"$S"
	( wait_mapped "$F"; sh "$BATS_TEST_TMPDIR/swap" ) &
	run devmemtool -f "$S"
	wait
	assert_success
	assert_line --index 1 "a+0x0: 0x00000000"
	assert_line --index 2 "a: $T, size 0x2000 (8K)"
	assert_line --index 3 "a+0x0: 0x5a5a5a5a"
	# gone from disk: the old map stays and the line fails
	printf 'map %s as a\nsleep 300\nremap a\nr32 a\n' "$T" >"$S"
	( wait_mapped "$F"; rm -f "$F" ) &
	run devmemtool --keep-going -f "$S"
	wait
	assert_failure 1
	assert_line --index 1 --partial "$S:3: remap a:"
	assert_line --index 1 --partial "(the old map stays)"
	assert_line --index 2 "a+0x0: 0x5a5a5a5a"
}

@test "map options: be byte-swaps, split64 is two 32-bit accesses, wc is shown" {
	printf '\x01\x02\x03\x04\x05\x06\x07\x08' | dd of="$F" conv=notrunc status=none
	run devmemtool -f - <<-EOF
	map $T be as x
	r32 x
	map $T split64 as y
	r64 y
	map $T wc as z
	EOF
	assert_success
	assert_line --index 0 "x: $T, size 0x1000 (4K), be"
	assert_line --index 1 "x+0x0: 0x01020304"
	assert_line --index 2 "y: $T, size 0x1000 (4K), split64"
	assert_line --index 3 "y+0x0: 0x0807060504030201"
	assert_line --index 4 "z: $T, size 0x1000 (4K), wc"
	# a plain address or target never picks up a map's options
	run devmemtool -f - <<-EOF
	map $T be as x
	r32 $T
	EOF
	assert_line --index 1 "$T+0x0: 0x04030201"
	run devmemtool map "$T" be be2 as x
	assert_failure 2
	assert_output --partial "unknown option 'be2'"
}

@test "bytes a message echoes are escaped, and --json stays valid UTF-8" {
	run devmemtool r32 $'file:\e[2J\xff\xc3\xa9'
	assert_failure 1
	assert_output $'devmemtool: r32 file:\\x1b[2J\\xff\xc3\xa9: No such file or directory'
	run bash -c "devmemtool -j r32 \$'file:\\xfe\\x80x' 2>/dev/null; devmemtool -j echo \$'a\\xffb\\xe2\\x82'"
	echo "$output" | python3 -c '
import json, sys
lines = sys.stdin.buffer.read().decode("utf-8").splitlines()
assert len(lines) == 2, lines
e = json.loads(lines[0])
assert "\\xfe\\x80" in e["error"], e
o = json.loads(lines[1])
assert o["text"] == "a\ufffdb\ufffd\ufffd", o'
}

@test "const, expressions and script arguments are worked out before the run" {
	cat >"$S" <<-EOF
	const BASE = $T
	const REG = BASE+0x10
	const N = 4
	const BIT3 = 1<<3
	w32 BASE+0x10*2 BIT3|1        # 0x20 <- 9
	w32 REG+N*2 \$1               # 0x18 <- first argument
	w16 \${2} (0xff00|0x34)&~0x300
	r32 BASE+0x20
	r32 REG+8
	r16 \$2
	EOF
	run devmemtool -f "$S" 0xabc "$T+0x40"
	assert_success
	assert_line --index 0 "$T+0x20: 0x00000009"
	assert_line --index 1 "$T+0x18: 0x00000abc"
	assert_line --index 2 "$T+0x40: 0xfc34"
	# in double quotes, an expression may be spelled out with blanks
	printf 'const A = 3\nw32 %s+0x30 "(A << 4) | 1"\nr32 %s+0x30\n' "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_success
	assert_output "$T+0x30: 0x00000031"
	# a TARGET+OFFSET with '+' in the offset, after a name
	printf 'map %s as ctl\nr32 ctl+0x10+8\n' "$T" >"$S"
	run devmemtool -f "$S"
	assert_success
	assert_line --index 1 "ctl+0x18: 0x00000abc"
}

@test "arithmetic that would wrap, and names that are not constants, are errors before the run" {
	local -a bad=(
		"w32 $T+0x4-8 1|the difference is below 0"
		"w32 $T 0xffffffffffffffff+1|the sum overflows 64 bits"
		"w32 $T 1<<64|a shift by 64"
		"w32 $T 3<<63|the shift loses bits"
		"w32 $T 4/0|division by zero"
		"w32 $T 0x100000000*0x100000000|the product overflows 64 bits"
		"w32 $T (1+2|missing ')'"
		"w8 $T 0xff+1|does not fit in 8 bits"
		"w32 $T FOO|'FOO': not a number: expected decimal, 0x hex or 0b binary, and no constant has that name"
		"w32 $T 2*FOO|'FOO' is not a constant"
		"w32 $T \$1|\$1: no such script argument (0 given)"
		"const X = 1|"
		"const X = 2|const X: already defined at $S:1"
		"const r32 = 1|'r32' cannot be a name: it is a command"
		"const 9x = 1|bad NAME '9x'"
		"const Y 1|missing argument"
		"const Y : 1|expected '=' after NAME"
		"const T = $T|"
		"w32 T 1+T|'T' is a target ($T), not a number"
	)
	printf '' >"$S"
	for entry in "${bad[@]}"; do
		printf '%s\n' "${entry%%|*}" >>"$S"
	done
	printf 'w8 %s 0x55\n' "$T" >>"$S"
	run devmemtool -f "$S"
	assert_failure 1
	local i=0
	for entry in "${bad[@]}"; do
		i=$((i + 1))
		want=${entry#*|}
		[ -n "$want" ] || continue
		assert_output --partial "$S:$i: "
		assert_output --partial "$want"
	done
	[ "$(hex_at 0 1)" = 00 ]
}

@test "info reads the kernel config from /boot or /proc/config.gz, and says what auto tries" {
	R="$BATS_TEST_TMPDIR/root"
	mkdir -p "$R/proc" "$R/boot" "$R/sys"
	printf 'CONFIG_STRICT_DEVMEM=y\n# CONFIG_IO_STRICT_DEVMEM is not set\n' | gzip >"$R/proc/config.gz"
	run devmemtool --sysroot "$R" info
	assert_success
	assert_line "STRICT_DEVMEM:    yes (/proc/config.gz)"
	assert_line "IO_STRICT_DEVMEM: no (/proc/config.gz)"
	assert_line --regexp '^backend: +auto: per target, the first of physmem, pread, sysfs, devmem, file that serves it$'
	# /boot/config-RELEASE comes first
	printf '# CONFIG_STRICT_DEVMEM is not set\n' >"$R/boot/config-$(uname -r)"
	run devmemtool --sysroot "$R" info
	assert_line "STRICT_DEVMEM:    no (/boot/config-$(uname -r))"
	run devmemtool --sysroot "$R" -j info
	assert_output --partial "\"kconfig\":\"/boot/config-$(uname -r)\""
	rm -f "$R/boot/config-$(uname -r)" "$R/proc/config.gz"
	run devmemtool --sysroot "$R" info
	assert_line "STRICT_DEVMEM:    unknown (no /boot/config-RELEASE or /proc/config.gz)"
	run devmemtool --backend file info
	assert_line "backend:          file"
}

@test "unmap opens the target again for the lines after it, as it is when they run" {
	N="$BATS_TEST_TMPDIR/new.bin"
	printf '\x5a\x5a\x5a\x5a' >"$N"
	head -c 4092 /dev/zero >>"$N"
	printf 'r32 %s\nsleep 300\nunmap %s\nr32 %s\n' "$T" "$T" "$T" >"$S"
	( wait_mapped "$F"; mv "$N" "$F" ) &
	run devmemtool -f "$S"
	wait
	assert_success
	assert_line --index 0 "$T+0x0: 0x00000000"
	assert_line --index 1 "$T+0x0: 0x5a5a5a5a"
}

@test "a bare map lists what is mapped at its line, not after the script" {
	printf 'map\nmap %s as a\nmap\n' "$T" >"$S"
	run devmemtool -f "$S"
	assert_success
	assert_output "a: $T, size 0x1000 (4K)
a: $T, size 0x1000 (4K)
$T: $T, size 0x1000 (4K)"
}

@test "an offset after a file: target may be a constant or an expression" {
	printf '\x11\x22\x33\x44\x55\x66\x77\x88' | dd of="$F" seek=8 bs=1 conv=notrunc status=none
	printf 'const A = 8\nr32 %s+A\nr32 %s+(A+4)\nr32 %s+A+4\n' "$T" "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_success
	assert_line --index 0 "$T+0x8: 0x44332211"
	assert_line --index 1 "$T+0xc: 0x88776655"
	assert_line --index 2 "$T+0xc: 0x88776655"
}

@test "an expression nested too deep is an error, not a crash" {
	deep=$(printf '(%.0s' $(seq 100))1$(printf ')%.0s' $(seq 100))
	run devmemtool -n w32 "$T" "$deep"
	assert_failure 2
	assert_output --partial "nested more than 64 deep"
	deep=$(printf '~%.0s' $(seq 100000))0
	run devmemtool -n w64 "$T" "$deep"
	assert_failure 2
	assert_output --partial "nested more than 64 deep"
}
