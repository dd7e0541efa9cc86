# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv in a kernel booted with lockdown=integrity: Debian's kernels
# refuse unsigned modules once locked down, so physmem.ko (unsigned) does
# not load and there is no /dev/physmem. Needs that boot of its own
# (tests/run-all); lockdown-runtime-driver.bats covers lockdown raised later.
load /tests/lib/guest

LOCKDOWN=/sys/kernel/security/lockdown

@test "booted locked down: unsigned physmem.ko is refused, so no /dev/physmem" {
	[ -r "$LOCKDOWN" ] || skip "no lockdown LSM"
	grep -q 'lockdown=' /proc/cmdline || skip "not booted with lockdown="
	[ -c /dev/physmem ] && skip "module loaded (signed?): the open test covers it"
	run modprobe physmem
	assert_failure
	run physmem-t open
	assert_output --partial "open: ENOENT"
}
