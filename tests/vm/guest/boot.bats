#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The test bed itself: the guest has what every other suite relies on.

load /tests/lib/guest

@test "physmem.ko is loaded at boot" {
	run grep -q '^physmem ' /proc/modules
	assert_success
}

@test "/dev/physmem is a character device with mode 0600, owned by root" {
	[ -c /dev/physmem ]
	run stat -c '%a %u %g' /dev/physmem
	assert_output "600 0 0"
}

@test "an installed binary runs in the guest" {
	run devmemtool --version
	assert_success
	assert_output --partial "devmemtool"
	run physmem-policy --version
	assert_success
}

@test "the edu and ivshmem devices are present" {
	run cat /sys/bus/pci/devices/$EDU_BDF/vendor /sys/bus/pci/devices/$EDU_BDF/device
	assert_output $'0x1234\n0x11e8'
	run cat /sys/bus/pci/devices/$IVSHMEM_BDF/vendor /sys/bus/pci/devices/$IVSHMEM_BDF/device
	assert_output $'0x1af4\n0x1110'
	[ "$(bar_size $IVSHMEM_BDF 2)" = 2097152 ]	# 2 MiB: tests/vm/run-vm
}
