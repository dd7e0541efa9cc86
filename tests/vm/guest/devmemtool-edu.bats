#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# devmemtool against the real driver and QEMU's edu device: a bring-up
# script (ident, liveness, factorial with poll), physical addresses,
# pci, windows, info, --dry-run, and the errors outside any window.

load /tests/lib/guest

D=/tmp/devmemtool-edu

setup() {
	mkdir -p "$D"
	printf 'allow edu pci 1234:11e8 bar 0 rw\n' >"$D/p.conf"
	physmem-policy load "$D/p.conf"
	EDU=$(bar_start $EDU_BDF 0)
}

teardown() {
	physmem-policy unload --all >/dev/null 2>&1 || true
	rm -rf "$D"
}

@test "edu bring-up script: ident, liveness, factorial of 5 with poll" {
	cat >"$D/edu.dmt" <<-'SCRIPT'
	#!/usr/bin/devmemtool -f
	# edu (QEMU's educational device) bring-up
	map edu as e
	expect e+0x00 0x010000ed          # ident: version 1.0, 0xed
	w32 e+0x04 0x12345678             # liveness: reads back inverted
	expect e+0x04 0xedcba987
	w32 e+0x08 5                      # start factorial of 5
	poll e+0x20 0x1 0x0 2000          # status bit 0: computing
	expect e+0x08 120
	r32 e+0x08
	SCRIPT
	chmod +x "$D/edu.dmt"
	run "$D/edu.dmt"
	assert_success
	assert_line --index 1 --regexp '^0x[0-9a-f]{8}: 0x010000ed \(as expected\)$'
	assert_line --index 2 --partial ': 0xedcba987 (as expected)'
	assert_line --index 3 --regexp ': 0x000000[0-9a-f]{2} \(poll matched after [0-9]+\.[0-9]{3} ms\)$'
	assert_line --index 4 --partial ': 0x00000078 (as expected)'
	assert_line --index 5 "$(printf '0x%08x: 0x00000078' $((EDU + 8)))"
}

@test "the bring-up script is prepared whole: an error on its last line touches nothing on edu" {
	devmemtool w32 edu+0x04 0
	devmemtool w32 edu+0x08 3
	# each last line fails a different check before the run: past the
	# window, misaligned, a number, outside every window, a poll value,
	# across the end, a name that is no constant
	for bad in 'r32 edu+0x100000' 'r32 edu+0x6' 'w32 edu+0x4 010' \
		   'r32 0x1000' 'poll edu+0x20 0x1 0x2' 'r32 edu+0x100000-2' 'w32 edu+4*FOO 1'; do
		printf 'w32 edu+0x04 0x12345678\nw32 edu+0x08 5\necho ran\n%s\n' "$bad" >"$D/bad.dmt"
		run devmemtool -f "$D/bad.dmt"
		[ "$status" -eq 1 ] || { echo "exit $status for: $bad: $output"; return 1; }
		assert_output --regexp "^$D/bad.dmt:4: "
		refute_output --partial ran
		# and the dry run says the same
		expected=$output
		run devmemtool -n -f "$D/bad.dmt"
		[ "$status" -eq 1 ] && [ "$output" = "$expected" ] ||
			{ echo "dry run differs for $bad: $output"; return 1; }
	done
	# liveness still reads back the inverse of 0, factorial input still 3
	run devmemtool -q r32 edu+0x04
	assert_output 0xffffffff
	run devmemtool -q r32 edu+0x08
	assert_output 0x00000006
}

@test "poll != on edu: until the liveness value changes, and a JSON timeout with its facts" {
	devmemtool w32 edu+0x04 0
	run devmemtool poll32 edu+0x04 0xffffffff != 0xffffffff 50
	assert_failure 1
	assert_output --partial "timed out after 50 ms: value 0xffffffff, want (value & 0xffffffff) != 0xffffffff"
	run bash -c "devmemtool -j expect edu+0x04 0 2>/dev/null"
	assert_failure 1
	[[ $output == *'"expected":0,'*'"actual":4294967295,'* ]]
}

@test "a failing expect stops the script at its line and exits 1" {
	printf 'w32 edu+0x08 4\npoll edu+0x20 1 0 2000\nexpect edu+0x08 120\necho not-reached\n' >"$D/f.dmt"
	run devmemtool -f "$D/f.dmt"
	assert_failure 1
	assert_output --partial "$D/f.dmt:3: expect edu+0x08: expected 0x00000078, got 0x00000018"
	refute_output --partial not-reached
}

@test "bare physical addresses inside the window work one-shot" {
	run devmemtool r32 "$EDU"
	assert_success
	assert_output "$(printf '0x%08x: 0x010000ed' $((EDU)))"
	run devmemtool --readback w32 "$(printf '0x%x' $((EDU + 4)))" 0xf0f0f0f0
	assert_success
	assert_output "$(printf '0x%08x: wrote 0xf0f0f0f0, read back 0x0f0f0f0f' $((EDU + 4)))"
}

@test "an address outside every window fails with the reason, exit 1" {
	run devmemtool r32 0x1000
	assert_failure 1
	assert_output --regexp '^devmemtool: r32 0x1000: .+'
	run devmemtool r32 "edu+0x100000"
	assert_failure 1
	assert_output --partial "run past the end of edu"
}

@test "pci 1234:11e8 shows edu with its BAR0 address and size" {
	run devmemtool pci 1234:11e8
	assert_success
	assert_line --regexp "^$EDU_BDF 1234:11e8 "
	assert_line --regexp "^$EDU2_BDF 1234:11e8 "
	assert_line "$(printf '\tBAR0 0x%08x size 0x100000 (1M) mem32' $((EDU)))"
	refute_output --partial ":  "
	run devmemtool pci 1af4:1110
	assert_success
	assert_line --index 0 --partial "$IVSHMEM_BDF 1af4:1110 RAM memory: Red Hat, Inc. Inter-VM shared memory (driver: none"
	run devmemtool pci $EDU_BDF
	assert_success
	assert_line --index 0 --regexp "^$EDU_BDF 1234:11e8 "
	refute_output --partial "$EDU2_BDF"
	run devmemtool --json pci 1234:11e8
	assert_success
	echo "${lines[0]}" | grep -q "\"addr\":$((EDU)),\"size\":1048576"
}

@test "windows lists the loaded window; info reports the driver" {
	run devmemtool windows
	assert_success
	assert_line -n 0 --regexp '^NAME +RANGE +ACCESS +STATE +SOURCE$'
	assert_line --regexp "^edu +$(printf '0x%x' $((EDU)))-0x[0-9a-f]+ +rw uc +claimed,mmap +pci "
	run devmemtool info
	assert_success
	assert_line --regexp '^physmem driver: +loaded'
	assert_line --regexp '^CAP_SYS_RAWIO: +yes'
}

@test "--dry-run on the device writes nothing" {
	devmemtool w32 edu+0x04 0
	run devmemtool --dry-run w32 edu+0x04 0x11111111
	assert_success
	assert_output "$(printf 'dry-run: w32 0x%08x <- 0x11111111' $((EDU + 4)))"
	run devmemtool r32 edu+0x04
	assert_output --partial ": 0xffffffff"
}

@test "without CAP_SYS_RAWIO the error explains what is missing" {
	command -v capsh >/dev/null || skip "no capsh"
	run capsh --drop=cap_sys_rawio -- -c "devmemtool r32 edu"
	assert_failure 1
	assert_output --regexp '^devmemtool: r32 edu: .+'
}

@test "the bench script runs write/read pairs on edu through one mapping" {
	run /tests/bench/devmemtool-bench -n 2000 edu+0x4
	assert_success
	assert_output --regexp '^devmemtool: 2000 pairs in [0-9]+ ms, [0-9]+ ns/pair$'
	echo "# $output" >&3
}

# Windows that do not fill their pages cannot be mapped; devmemtool works
# on them all the same (libphys uses pread/pwrite). ident is edu's 0x00
# alone, read-only; regs is 0x04 (liveness) to 0x23 (status).
sub_page_policy() {
	printf 'allow ident range 0x%x +4 ro\nallow regs range 0x%x +0x20 rw\n' \
		$((EDU)) $((EDU + 4)) >"$D/sub.conf"
	physmem-policy load "$D/sub.conf"
}

# bats test_tags=edu-1byte
@test "sub-page windows: one-shot r32, w32, r8, a dump and a fill" {
	sub_page_policy
	run devmemtool windows
	# no ',mmap' in its state: the driver does not map a sub-page window
	assert_line --regexp "^ident +$(printf '0x%x-0x%x' $((EDU)) $((EDU + 3))) +ro uc +(un)?claimed +range\$"
	run devmemtool r32 ident
	assert_success
	assert_output "$(printf '0x%08x: 0x010000ed' $((EDU)))"
	run devmemtool w32 regs 0x12345678
	assert_success
	run devmemtool r32 "$(printf '0x%x' $((EDU + 4)))"
	assert_output "$(printf '0x%08x: 0xedcba987' $((EDU + 4)))"
	# edu ignores 1-byte accesses: the fill leaves liveness as it was
	run devmemtool fill regs 4 0xff
	assert_success
	run devmemtool r8 regs
	assert_success
	refute_output --partial ": 0xed"
	run devmemtool dump regs 8 4
	assert_success
	assert_output --regexp "^$(printf '%08x' $((EDU + 4)))  edcba987 [0-9a-f]{8} +\|"
}

@test "sub-page windows: an address beside them or across an end is refused in its own terms" {
	sub_page_policy
	# in the windows' page but in no window: not "length 0x1000 exceeds"
	# (0x1000 alone: arm64's edu is at 0x10000000)
	run devmemtool r32 "$(printf '0x%x' $((EDU + 0x100)))"
	assert_failure 1
	refute_output --regexp '0x1000([^0-9a-f]|$)'
	assert_output --partial "$(printf '0x%x' $((EDU + 0x100)))"
	# across the end of regs: says which window and where it ends
	run devmemtool r32 "$(printf '0x%x' $((EDU + 0x22)))"
	assert_failure 1
	assert_output --partial "$(printf 'run past the end of window regs (0x%x-0x%x)' $((EDU + 4)) $((EDU + 0x23)))"
	# a dry run says the same
	expected=$output
	run devmemtool -n r32 "$(printf '0x%x' $((EDU + 0x22)))"
	assert_failure 1
	assert_output "$expected"
}

@test "sub-page windows: a bring-up script with poll and expect" {
	sub_page_policy
	cat >"$D/sub.dmt" <<-'SCRIPT'
	map regs as sub
	expect ident 0x010000ed
	w32 sub+0x00 0x0000ffff
	expect sub+0x00 0xffff0000
	w32 sub+0x04 4                    # factorial of 4
	poll sub+0x1c 0x1 0x0 2000
	expect sub+0x04 24
	SCRIPT
	run devmemtool -f "$D/sub.dmt"
	assert_success
	assert_line --index 0 "sub: regs at $(printf '0x%08x' $((EDU + 4))), size 0x20 (32)"
	assert_line --index 4 --partial ': 0x00000018 (as expected)'
}

@test "sub-page windows: a write to the read-only one is refused with the reason" {
	sub_page_policy
	run devmemtool w32 ident 1
	assert_failure 1
	assert_output "devmemtool: w32 ident: ident is mapped read-only"
}

# bats test_tags=edu-1byte
@test "devmem mode: busybox devmem's command line and output, through the restricted driver" {
	local a b
	# busybox devmem on /dev/mem, before any window claims edu's BAR
	physmem-policy unload --all >/dev/null
	a=$(busybox devmem "$EDU")
	b=$(busybox devmem "$EDU" 8)
	physmem-policy load "$D/p.conf"
	[ "$a" = 0x010000ED ]
	run devmemtool devmem "$EDU"
	assert_success
	assert_output "$a"
	run devmemtool devmem "$EDU" 8
	assert_output "$b"
	# installed or linked as devmem; a write prints nothing, as busybox's
	ln -sf "$(command -v devmemtool)" "$D/devmem"
	run "$D/devmem" "$((EDU + 4))" 32 0x12345678
	assert_success
	assert_output ""
	run "$D/devmem" "$((EDU + 4))" w
	assert_output 0xEDCBA987
	# outside every window it is refused, as everything else is
	run "$D/devmem" 0x1000
	assert_failure 1
	assert_output --partial "no driver window holds 0x1000"
}
