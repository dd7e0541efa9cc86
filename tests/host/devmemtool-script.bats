#!/usr/bin/env bats
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
	map $T as regs

	w32 regs+0x10 0x1     # enable
	w32 regs+0x14 0x2
	r32 regs+0x10 2
	EOF
	run devmemtool -f "$S"
	assert_success
	assert_line --index 0 "regs: $T, size 0x1000 (4K)"
	assert_line --index 1 "regs+0x10: 0x00000001"
	assert_line --index 2 "regs+0x14: 0x00000002"
	[ "$(hex_at 0x10 8)" = 0100000002000000 ]
}

@test "the first failing line stops the script with FILE:LINE: and exit 1" {
	printf 'w8 %s+0 1\nexpect8 %s+0 2\nw8 %s+1 1\n' "$T" "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_output "$S:2: expect8 $T+0: expected 0x02, got 0x01"
	[ "$(hex_at 0 2)" = 0100 ]
}

@test "a bad line in a script is reported with FILE:LINE: and exits 1" {
	printf 'echo one\nw32 %s 0x1ffffffff\necho three\n' "$T" >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_line --index 0 "one"
	assert_line --index 1 "$S:2: w32: VALUE 0x1ffffffff does not fit in 32 bits (usage: w32 ADDR VALUE [VALUE...])"
	refute_output --partial three
}

@test "--keep-going runs every line and still exits 1" {
	printf 'w8 %s+0 1\nfrob\nr8 %s+0x2000\nw8 %s+1 1\necho done\n' "$T" "$T" "$T" >"$S"
	run devmemtool --keep-going -f "$S"
	assert_failure 1
	assert_line "$S:2: frob: unknown command (try 'help')"
	assert_line --partial "$S:3: r8 $T+0x2000:"
	assert_line "done"
	[ "$(hex_at 0 2)" = 0101 ]
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

@test "a script sourcing itself stops at the nesting limit" {
	printf 'source s.dmt\n' >"$S"
	run devmemtool -f "$S"
	assert_failure 1
	assert_output --partial "nested more than 16 deep"
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
	assert_output --partial "expected 'as NAME'"
	run devmemtool map "file:$BATS_TEST_TMPDIR/none"
	assert_failure 1
	printf 'map %s as a\nmap %s as b\nmap\n' "$T" "$T" >"$S"
	run devmemtool -f "$S"
	assert_success
	assert_line "a: $T, size 0x1000 (4K)"
	assert_line "b: $T, size 0x1000 (4K)"
}

@test "options: --help, --version, bad options, -f with a command" {
	run devmemtool --help
	assert_success
	assert_output --partial "Usage: devmemtool"
	run devmemtool --version
	assert_success
	assert_output --regexp '^devmemtool [0-9]+\.[0-9]+'
	run devmemtool --bogus
	assert_failure 2
	run devmemtool -f "$S" r32 "$T"
	assert_failure 2
	assert_output --partial "not both"
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
	printf 'echo a\nr32 %s+0x2000\n' "$T" >"$S"
	run bash -c "devmemtool --json -f '$S' 2>/dev/null"
	assert_failure 1
	echo "${lines[1]}" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["line"] == 2 and o["file"].endswith("s.dmt") and "r32" in o["error"], o
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

