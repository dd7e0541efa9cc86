# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv: sealing (issue 3). A seal lasts until the module is
# reloaded, so this suite reloads it when done. It also checks the kernel
# log of all driver suites, which run before it in the same boot.
load /tests/lib/guest

setup() {
	EDU=$(bar_start "$EDU_BDF" 0)
}

teardown() {
	if physmem-t info | grep -q 'sealed 1'; then
		modprobe -r physmem && modprobe physmem
	fi
	physmem-t replace </dev/null
}

@test "after seal, add, remove and replace fail with EPERM until reload" {
	physmem-t replace </dev/null
	physmem-t add edu pci "$EDU_BDF" 0 >/dev/null
	physmem-t seal
	run physmem-t info
	assert_output --partial "windows 1 sealed 1"
	run physmem-t add shm pci "$IVSHMEM_BDF" 2
	assert_output --partial "add: EPERM"
	run physmem-t remove edu
	assert_output --partial "remove: EPERM"
	run physmem-t replace </dev/null
	assert_output --partial "replace: EPERM"
	# Existing windows keep working.
	run physmem-t read "$EDU" 4
	assert_output 0x010000ed
	run dmesg
	assert_output --partial "window table sealed"
	modprobe -r physmem
	modprobe physmem
	run physmem-t info
	assert_output --partial "windows 0 sealed 0"
	run physmem-t add shm pci "$IVSHMEM_BDF" 2
	assert_success
}

@test "window changes are logged with pid and command" {
	physmem-t replace </dev/null
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
	physmem-t remove edu
	run dmesg
	assert_output --regexp "physmem: added window edu \[0x0*$(printf '%x' "$EDU")-0x0*[0-9a-f]+\] rw uc \(pid [0-9]+, physmem-t\)"
	assert_output --regexp "physmem: removed window edu .* \(pid [0-9]+, physmem-t\)"
}

@test "the kernel log has no BUG, WARNING, Oops or general protection fault" {
	run sh -c "dmesg | grep -E 'BUG|WARNING|Oops|general protection'"
	assert_output ""
}
