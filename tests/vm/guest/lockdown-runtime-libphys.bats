# SPDX-License-Identifier: GPL-2.0-or-later
# libphys under kernel lockdown: maps fail and the message says lockdown is
# why. Raises lockdown at run time (it cannot be lowered again), so like
# lockdown-runtime-driver it needs a boot of its own:
# run-vm --suite 'lockdown-runtime-*'.
load /tests/lib/guest

LOCKDOWN=/sys/kernel/security/lockdown

setup() {
	[ -r "$LOCKDOWN" ] || skip "no lockdown LSM"
	grep -q '\[integrity\]\|\[confidentiality\]' "$LOCKDOWN" || echo integrity >"$LOCKDOWN"
	POLICY=$BATS_TEST_TMPDIR/physmem.conf
	echo "allow edu2 pci $EDU2_BDF bar 0 rw" >"$POLICY"
}

@test "lockdown: devmem and sysfs maps fail, naming lockdown" {
	run libphys-run -b devmem -p "$POLICY" "pci:$EDU2_BDF/bar0" r4 0
	assert_failure
	assert_output --regexp "kernel lockdown is '(integrity|confidentiality)'"
	run libphys-run - sysinfo
	assert_output --regexp "lockdown '(integrity|confidentiality)'"
}

@test "lockdown: the driver refuses open and the message says why" {
	[ -c /dev/physmem ] || skip "no /dev/physmem"
	run libphys-run -l 4096 0x1000 r4 0
	assert_failure
	assert_output --partial "lockdown"
}
