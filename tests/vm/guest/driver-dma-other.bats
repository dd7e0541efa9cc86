# physmem-drv: a grant is refused while another driver drives the device
# (issue 14). The other driver is pci-stub, from the host's modules of this
# kernel (tests/vm/mkinitramfs leaves this suite out where it has none).
load /tests/lib/guest

setup() {
	driver_setup
	DEV=/sys/bus/pci/devices/$EDU_BDF
	grep -qw pci_stub /proc/modules || insmod /usr/libexec/physmem-tests/pci-stub.ko
}

teardown() {
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
