# SPDX-License-Identifier: GPL-2.0-or-later
# A grant is refused while another driver drives the device (issue 14), by
# the driver (raw ioctls) and as physmem-policy explains it. The other
# driver is pci-stub, from the host's modules of this kernel: suites named
# *-pcistub are left out of the image where it has none (tests/vm/mkinitramfs),
# so they never count as skipped.
load /tests/lib/guest

setup() {
	driver_setup
	DEV=/sys/bus/pci/devices/$EDU_BDF
	grep -qw pci_stub /proc/modules || insmod /usr/libexec/physmem-tests/pci-stub.ko
}

teardown() {
	physmem-policy unload --all >/dev/null 2>&1 || true
	physmem-t replace </dev/null || true
	[ ! -e /sys/bus/pci/drivers/pci-stub/$EDU_BDF ] ||
		echo "$EDU_BDF" >/sys/bus/pci/drivers/pci-stub/unbind
	echo >"$DEV/driver_override"
}

@test "a grant on a device another driver drives is refused, and the log says how to unbind it" {
	echo pci-stub >"$DEV/driver_override"
	echo "$EDU_BDF" >/sys/bus/pci/drivers/pci-stub/bind
	run physmem-t add edu pci "$EDU_BDF" 0 rw dma 0x1000
	assert_output --partial "EBUSY"
	dmesg | grep -q "refused: window edu: device $EDU_BDF is driven by pci-stub; to grant dma or irq, unbind it: echo $EDU_BDF > /sys/bus/pci/drivers/pci-stub/unbind"
	# the refused window is not in the table, and pci-stub keeps the device
	run physmem-t list
	assert_output ""
	[ "$(basename "$(readlink "$DEV/driver")")" = pci-stub ]
	# a window that grants nothing may still share the BAR's reading
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
}

@test "after unbinding the other driver, the grant binds physmem" {
	echo pci-stub >"$DEV/driver_override"
	echo "$EDU_BDF" >/sys/bus/pci/drivers/pci-stub/bind
	echo "$EDU_BDF" >/sys/bus/pci/drivers/pci-stub/unbind
	physmem-t add edu pci "$EDU_BDF" 0 rw dma 0x1000 >/dev/null
	[ "$(basename "$(readlink "$DEV/driver")")" = physmem ]
	physmem-t remove edu
	[ ! -e "$DEV/driver" ]
}

@test "physmem refuses a device it was not granted, whatever sysfs asks" {
	echo physmem >"$DEV/driver_override"
	run sh -c "echo $EDU_BDF >/sys/bus/pci/drivers/physmem/bind"
	assert_failure
	[ ! -e "$DEV/driver" ]
}

@test "physmem-policy load: a grant on edu while pci-stub drives it names pci-stub and how to unbind it" {
	P=$BATS_TEST_TMPDIR
	echo pci-stub >"$DEV/driver_override"
	echo "$EDU_BDF" >/sys/bus/pci/drivers/pci-stub/bind
	printf 'allow edu pci 1234:11e8 bar 0 rw dma 64K\n' >"$P/p.conf"
	run physmem-policy load "$P/p.conf"
	assert_failure 4
	assert_output "physmem-policy: load: $P/p.conf:1:1: rule 'edu': refused by the driver: device $EDU_BDF is driven by pci-stub; physmem must be its driver to grant dma/irq: unbind it with 'echo $EDU_BDF > /sys/bus/pci/drivers/pci-stub/unbind'; nothing changed"
	[ "$(basename "$(readlink "$DEV/driver")")" = pci-stub ]
	run physmem-policy show
	assert_success
	assert_output --regexp '^NAME +RANGE +ACCESS +STATE +SOURCE$'
	# as the message says: then the grant binds physmem
	echo "$EDU_BDF" >/sys/bus/pci/drivers/pci-stub/unbind
	echo >"$DEV/driver_override"
	run physmem-policy load "$P/p.conf"
	assert_success
	[ "$(basename "$(readlink "$DEV/driver")")" = physmem ]
}
