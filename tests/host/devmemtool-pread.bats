#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# devmemtool on a driver window that cannot be mapped (it does not fill its
# pages): one-shot accesses, dump, fill and a script all work, through
# pread/pwrite of each access's width. The driver is faked (fakedrv.bash);
# tests/vm/guest/devmemtool-edu.bats runs the real one.

load fakedrv

setup_file() {
	fakedrv_build
	make -s -C "$TOP/devmemtool" >/dev/null
}

setup() {
	fakedrv_setup
	window regs 0xfea00000 0x10 rw
	window id 0xfea00010 4
	DMT=(devmemtool --sysroot "$ROOT")
}

@test "one-shot r32, w32 and r8 by window name and by physical address" {
	run fakedrv "${DMT[@]}" w32 regs+4 0x12345678
	assert_success
	run fakedrv "${DMT[@]}" r32 0xfea00004
	assert_success
	assert_output "0xfea00004: 0x12345678"
	run fakedrv "${DMT[@]}" r8 regs+5
	assert_output "0xfea00005: 0x56"
	run calls
	assert_output "pread 1 0xfea00005"
	[ "$(mem_at 0xfea00004)" = 78563412 ]
}

@test "dump and fill go word by word at their width" {
	run fakedrv "${DMT[@]}" fill regs 16 0x0badcafe 4
	assert_success
	run calls
	assert_output "pwrite 4 0xfea00000
pwrite 4 0xfea00004
pwrite 4 0xfea00008
pwrite 4 0xfea0000c"
	run fakedrv "${DMT[@]}" dump regs 16 4
	assert_success
	assert_output "fea00000  0badcafe 0badcafe  0badcafe 0badcafe  |................|"
	run calls
	assert_output "pread 4 0xfea00000
pread 4 0xfea00004
pread 4 0xfea00008
pread 4 0xfea0000c"
}

@test "a script keeps working on the window, and windows marks it no-mmap" {
	cat >"$BATS_TEST_TMPDIR/s.dmt" <<-'EOF'
	map regs as dev
	w32 dev+0x08 5
	expect dev+0x08 5
	w16 dev+0x0e 0xbeef
	r16 dev+0x0e
	EOF
	run fakedrv "${DMT[@]}" -f "$BATS_TEST_TMPDIR/s.dmt"
	assert_success
	assert_output "dev: regs at 0xfea00000, size 0x10 (16)
0xfea00008: 0x00000005 (as expected)
0xfea0000e: 0xbeef"
	run calls
	refute_output --partial mmap
	run fakedrv "${DMT[@]}" windows
	# the one window format: no ',mmap' in STATE
	assert_line -n 0 --regexp '^NAME +RANGE +ACCESS +STATE +SOURCE$'
	assert_line --regexp '^regs +0xfea00000-0xfea0000f +rw uc +claimed +range$'
}

@test "a write to the read-only window is refused with the reason, and reads work" {
	run fakedrv "${DMT[@]}" w32 id 1
	assert_failure 1
	assert_output "devmemtool: w32 id: id is mapped read-only"
	run fakedrv "${DMT[@]}" r32 id
	assert_success
	assert_output "0xfea00010: 0x00000000"
}

@test "a window removed while a script runs: the line says which and why" {
	# the window goes after line 1's read, while line 2 sleeps
	printf 'r32 regs\nsleep 1500\nr32 regs\n' >"$BATS_TEST_TMPDIR/s.dmt"
	(for _ in $(seq 100); do grep -q pread "$FAKEDRV_LOG" && break; sleep 0.05; done
	 sed -i /^regs/d "$FAKEDRV_WINDOWS") &
	run fakedrv "${DMT[@]}" -f "$BATS_TEST_TMPDIR/s.dmt"
	wait
	assert_failure 1
	assert_output "0xfea00000: 0x00000000
$BATS_TEST_TMPDIR/s.dmt:3: r32 regs: pread refused the 32-bit read at 0xfea00000 (regs+0x0): window 'regs' was removed"
}

@test "--dry-run refuses exactly what the run refuses, with the same message" {
	local cmd want dry real
	while IFS='|' read -r cmd want; do
		# shellcheck disable=SC2086
		run fakedrv "${DMT[@]}" $cmd
		real=$output
		[ "$status" != 0 ] || { echo "'$cmd' ran"; false; }
		run fakedrv "${DMT[@]}" --dry-run $cmd
		dry=$output
		[ "$status" != 0 ] || { echo "--dry-run '$cmd' was approved: $dry"; false; }
		[ "$dry" = "$real" ] || { echo "'$cmd': run said '$real', dry run '$dry'"; false; }
		[[ "$real" == *"$want"* ]] || { echo "'$cmd': '$real' lacks '$want'"; false; }
	done <<-'EOF'
	w32 regs+0x2 1|not 4-byte aligned
	w32 id 1|read-only
	w16 0xfea00012 1|read-only
	r32 0xfeb00000|no driver window holds 0xfeb00000
	r32 regs+0xe|run past the end of regs
	w32 regs+8 1 2 3|run past the end of regs
	fill regs+2 8 0 4|aligned
	fill id 4 0 4|read-only
	copy regs id 4|read-only
	EOF
	[ "$(mem_at 0xfea00000)" = 00000000 ]
	# and what the run does, the dry run approves
	run fakedrv "${DMT[@]}" --dry-run w32 regs+4 1
	assert_success
	assert_output "dry-run: w32 0xfea00004 <- 0x00000001"
	# no driver at all: nothing can be reached, and the dry run says so
	rm -f "$ROOT/dev/physmem"
	run devmemtool --sysroot "$ROOT" -b physmem r32 0xfea00000
	real=$output
	assert_failure
	run devmemtool --sysroot "$ROOT" -b physmem --dry-run r32 0xfea00000
	assert_failure
	assert_equal "$output" "$real"
}

# run_moving SCRIPT: window big at 0xfeb00000, SCRIPT run while big moves
# to 0xfeb01000 during its sleep: once the script's "save ... $MARK" has
# run (not after a fixed delay: under qemu-user, or on a busy machine, the
# tool's start alone can take longer than one; nor at the first device
# access, which the check before the run makes too).
run_moving() {
	MARK="$BATS_TEST_TMPDIR/mark"
	rm -f "$MARK"
	window big 0xfeb00000 0x1000 rw mmap
	printf "$1" >"$BATS_TEST_TMPDIR/s.dmt"
	( for _ in $(seq 500); do [ -e "$MARK" ] && break; sleep 0.02; done
	  window big 0xfeb01000 0x1000 rw mmap ) &
	run fakedrv "${DMT[@]}" -f "$BATS_TEST_TMPDIR/s.dmt"
	wait
}

@test "remap and unmap refuse a window that moved: lines checked against the old place never land elsewhere" {
	run_moving "r32 0xfeb00004\nsave 0xfeb00004 4 $BATS_TEST_TMPDIR/mark\nsleep 300\nremap big\nw32 0xfeb00004 0xdead\n"
	assert_failure 1
	assert_line --index 1 --partial "s.dmt:4: remap big: big now starts at 0xfeb01000, not 0xfeb00000"
	assert_line --index 1 --partial "(the old map stays)"
	[ "$(mem_at 0xfeb01004)" = 00000000 ]
	[ "$(mem_at 0xfeb00004)" = 00000000 ]
	# unmap: the lines after it would have used a map of the moved window
	run_moving "r32 big+4\nsave big+4 4 $BATS_TEST_TMPDIR/mark\nsleep 300\nunmap big\nw32 big+4 0xbeef\n"
	assert_failure 1
	assert_line --index 1 --partial "s.dmt:4: unmap big: closed; the lines after it: big now starts at 0xfeb01000"
	[ "$(mem_at 0xfeb01004)" = 00000000 ]
	[ "$(mem_at 0xfeb00004)" = 00000000 ]
}
