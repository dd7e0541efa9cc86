# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv under kernel lockdown: /dev/physmem must refuse open like
# /dev/mem does. Debian's kernels refuse unsigned modules once locked down,
# so physmem.ko (unsigned) can be loaded only before lockdown starts: this
# suite raises lockdown at run time (it cannot be lowered again, so the
# lockdown-runtime-* suites need a boot of their own) and then open must
# fail with EPERM. lockdown-boot.bats covers a boot with lockdown=integrity.
load /tests/lib/guest

LOCKDOWN=/sys/kernel/security/lockdown

locked_down() {
	grep -q '\[integrity\]\|\[confidentiality\]' "$LOCKDOWN"
}

@test "lockdown=integrity: open of /dev/physmem is refused with EPERM" {
	[ -r "$LOCKDOWN" ] || skip "no lockdown LSM"
	[ -c /dev/physmem ] || skip "physmem.ko not loaded (lockdown at boot)"
	run physmem-t open
	if ! locked_down; then
		assert_output ok
		# A descriptor opened before lockdown must not change the table after.
		local fd
		exec {fd}<>/dev/physmem
		echo integrity >"$LOCKDOWN"
		run physmem-t -F "$fd" add edu pci "$EDU_BDF" 0
		assert_output --partial "add: EPERM"
		run physmem-t -F "$fd" replace </dev/null
		assert_output --partial "replace: EPERM"
		run physmem-t -F "$fd" list
		assert_success
		exec {fd}>&-
	fi
	locked_down
	run physmem-t open
	assert_output --partial "open: EPERM"
	run dmesg
	assert_output --partial "/dev/mem,kmem,port is restricted"
}
