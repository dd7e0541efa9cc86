# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv's memory decoding on a q35 machine with a VGA card (QEMU's
# VGA at 08.0, tests/vm/run-vm --iommu): run by the IOMMU boot of
# tests/run-all. A VGA device's decoding is the VGA arbiter's.
load /tests/lib/guest

VGA_BDF=0000:00:08.0

setup() {
	driver_setup
}

teardown() {
	physmem-t replace </dev/null || true
	# decoding back on, as the firmware left it
	local cmd
	cmd=$(pci_cmd "$VGA_BDF")
	printf "\\$(printf '%03o' $((cmd | 2)))" |
		dd of="/sys/bus/pci/devices/$VGA_BDF/config" bs=1 seek=4 conv=notrunc 2>/dev/null
}

@test "a window on a VGA device nobody drives leaves its memory decoding off, and says why" {
	[ "$(cat /sys/bus/pci/devices/$VGA_BDF/class)" = 0x030000 ]
	[ ! -e "/sys/bus/pci/devices/$VGA_BDF/driver" ]
	mem_off "$VGA_BDF"
	dmesg -c >/dev/null
	physmem-t add vga pci "$VGA_BDF" 2 rw
	[ $(( $(pci_cmd "$VGA_BDF") & 2 )) = 0 ]
	run dmesg
	assert_output --partial "$VGA_BDF: memory decoding left off for window vga: a VGA device, whose decoding the VGA arbiter owns"
	refute_output --partial "memory decoding turned on"
	# decoding on (the arbiter's choice): the window leaves it so, silently
	physmem-t replace </dev/null
	teardown
	dmesg -c >/dev/null
	physmem-t add vga pci "$VGA_BDF" 2 rw
	[ $(( $(pci_cmd "$VGA_BDF") & 2 )) = 2 ]
	run dmesg
	refute_output --partial "memory decoding"
}
