#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The library's log: failures at LOG_ERR, the backend choice at LOG_INFO
# and LOG_DEBUG, a priority threshold (phys_ctx_set_log_priority, the
# LIBPHYS_LOG environment variable read by phys_ctx_new), and the backend
# table as phys_backend_name()/phys_backend_help() list it.

load libphys

@test "the default log priority is err; LIBPHYS_LOG sets it by name or number" {
	run env -u LIBPHYS_LOG "$RUN" - logprio
	assert_output 3
	for v in err:3 info:6 debug:7 0:0 5:5 7:7; do
		LIBPHYS_LOG=${v%%:*} run "$RUN" - logprio
		assert_output "${v#*:}"
	done
	LIBPHYS_LOG= run "$RUN" - logprio
	assert_output 3
}

@test "a LIBPHYS_LOG that is no priority keeps err and says so once a log function is set" {
	for v in 8 -1 07 ERR debugx 'err '; do
		LIBPHYS_LOG=$v run "$RUN" - logprio
		assert_output 3
		LIBPHYS_LOG=$v run "$RUN" -L - logprio
		assert_line --index 0 "err: LIBPHYS_LOG='$v' is not a log priority (use err, info, debug or 0-7): logging at err"
		assert_line --index 1 3
	done
}

@test "phys_ctx_set_log_priority takes 0-7 and refuses the rest, explained" {
	run "$RUN" -P 0 - logprio
	assert_output 0
	run "$RUN" -P 7 - logprio
	assert_output 7
	run "$RUN" -P 8 - logprio
	assert_failure
	assert_output "EINVAL: log priority 8 is not a syslog priority (0-7)"
	run "$RUN" -P -1 - logprio
	assert_failure
	assert_output "EINVAL: log priority -1 is not a syslog priority (0-7)"
}

@test "failures are logged at err; below the threshold nothing else is" {
	run env -u LIBPHYS_LOG "$RUN" -L "file:$F" r4 0 r4 0x1000
	assert_failure
	# (stderr and the buffered stdout interleave in any order)
	[ "${#lines[@]}" = 3 ]
	assert_line 0x00000000
	assert_line "err: offset 0x1000 + 4 bytes is outside file:$F (size 0x1000)"
	assert_line "ERANGE: offset 0x1000 + 4 bytes is outside file:$F (size 0x1000)"
	# threshold below err: not even failures
	run "$RUN" -L -P 2 "file:$F" r4 0x1000
	assert_output "ERANGE: offset 0x1000 + 4 bytes is outside file:$F (size 0x1000)"
	# info: the choice, not the details
	LIBPHYS_LOG=info run "$RUN" -L "file:$F" r4 0
	[ "${#lines[@]}" = 2 ]
	assert_line "info: backend file chosen for this file: target"
	# debug: every backend tried
	LIBPHYS_LOG=debug run "$RUN" -L "file:$F" r4 0
	assert_line --index 0 "debug: backend physmem: does not serve file: targets"
	assert_line --index 4 "info: backend file chosen for this file: target"
	assert_line --index 5 "debug: mapped file:$F: phys 0x0 size 0x1000 via file"
}

@test "phys_backend_name and phys_backend_help list the table and end with NULL" {
	run "$RUN" - backends
	assert_success
	assert_output "physmem: the physmem driver: only its windows, enforced by the kernel
pread: the driver by pread/pwrite, no mapping (windows it may not map)
sysfs: PCI BARs by sysfs resourceN files; policy checked by libphys
devmem: /dev/mem, uncached; policy checked by libphys, STRICT_DEVMEM too
file: a regular file as simulated physical memory (tests, demos)"
	# every listed name is accepted by phys_ctx_set_backend, and "auto" too
	for b in auto physmem pread sysfs devmem file; do
		run "$RUN" -b "$b" - version
		assert_success
	done
}

@test "devmemtool shows libphys's log on stderr when LIBPHYS_LOG is set, and not otherwise" {
	bats_require_minimum_version 1.5.0
	F="$BATS_TEST_TMPDIR/mem.bin"
	truncate -s 4096 "$F"
	DMT="$TOP/devmemtool/devmemtool"
	LIBPHYS_LOG=info run --separate-stderr "$DMT" r8 "file:$F+4"
	assert_success
	assert_output "file:$F+0x4: 0x00"
	[ "$stderr" = "devmemtool: libphys info: backend file chosen for this file: target" ]
	LIBPHYS_LOG=debug run --separate-stderr "$DMT" r8 "file:$F+4"
	[[ "$stderr" == *"devmemtool: libphys debug: backend physmem: does not serve file: targets"* ]]
	run --separate-stderr env -u LIBPHYS_LOG "$DMT" r8 "file:$F+4"
	assert_success
	[ -z "$stderr" ]
	LIBPHYS_LOG=bogus run --separate-stderr "$DMT" r8 "file:$F+4"
	assert_success
	[[ "$stderr" == *"LIBPHYS_LOG='bogus' is not a log priority"* ]]
}

@test "a failed call logs its explanation once, as phys_ctx_errmsg() gives it, reasons included" {
	# an outer explanation replaces an inner one: only the outer is logged
	run env -u LIBPHYS_LOG "$RUN" -L - pci zz
	assert_failure
	[ "${#lines[@]}" = 2 ]
	assert_line --index 0 "err: PCI filter 'zz': expected VVVV:DDDD or [DDDD:]BB:DD.F"
	assert_line --index 1 "EINVAL: PCI filter 'zz': expected VVVV:DDDD or [DDDD:]BB:DD.F"
	# the reasons a failed map appends reach the log too
	root=$BATS_TEST_TMPDIR/root
	mkdir -p "$root/sys/kernel/security" "$root/proc" "$root/etc/physmem"
	echo 'none [integrity] confidentiality' >"$root/sys/kernel/security/lockdown"
	echo 'fed00000-fed003ff : HPET 0' >"$root/proc/iomem"
	echo 'allow blob range 0xfed00400 +0x400 rw' >"$root/etc/physmem/physmem.conf"
	run env -u LIBPHYS_LOG "$RUN" -L -s "$root" -b devmem -l 4 0xfed00400 r4 0
	assert_failure
	[ "${#lines[@]}" = 2 ]
	assert_line --index 0 --regexp "^err: cannot open $root/dev/mem: .*; kernel lockdown is 'integrity': it forbids /dev/mem-style access"
	[ "${lines[0]#err: }" = "${lines[1]#ENOENT: }" ]
}
