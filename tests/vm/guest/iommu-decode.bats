# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv's memory decoding on a q35 machine with two VGA cards (QEMU's
# VGA at 08.0 and 09.0, tests/vm/run-vm --iommu): run by the IOMMU boot of
# tests/run-all. The decoding of a VGA device other than the default one is
# the VGA arbiter's.
load /tests/lib/guest

setup() {
	driver_setup
	# the default VGA device (the arbiter's, boot_vga 1) and the other one
	local d
	for d in 0000:00:08.0 0000:00:09.0; do
		[ "$(cat "/sys/bus/pci/devices/$d/class")" = 0x030000 ]
		[ ! -e "/sys/bus/pci/devices/$d/driver" ]
		if [ "$(cat "/sys/bus/pci/devices/$d/boot_vga")" = 1 ]; then
			VGA_DEFAULT=$d
		else
			VGA_OTHER=$d
		fi
	done
	[ -n "${VGA_DEFAULT:-}" ] && [ -n "${VGA_OTHER:-}" ]
}

teardown() {
	physmem-t replace </dev/null || true
	mem_on "$VGA_DEFAULT"
	mem_on "$VGA_OTHER"
}

@test "a window on a VGA device other than the default one leaves its memory decoding off, and says why" {
	mem_off "$VGA_OTHER"
	dmesg -c >/dev/null
	physmem-t add vga pci "$VGA_OTHER" 2 rw
	[ $(( $(pci_cmd "$VGA_OTHER") & 2 )) = 0 ]
	run dmesg
	assert_output --partial "$VGA_OTHER: memory decoding left off for window vga: a VGA device other than the default one, whose decoding the VGA arbiter owns"
	refute_output --partial "memory decoding turned on"
	# decoding on (the arbiter's choice): the window leaves it so, silently
	physmem-t replace </dev/null
	mem_on "$VGA_OTHER"
	dmesg -c >/dev/null
	physmem-t add vga pci "$VGA_OTHER" 2 rw
	[ $(( $(pci_cmd "$VGA_OTHER") & 2 )) = 2 ]
	run dmesg
	refute_output --partial "memory decoding"
}

@test "a window on the default VGA device (never arbitrated) turns its memory decoding on" {
	mem_off "$VGA_DEFAULT"
	dmesg -c >/dev/null
	physmem-t add vga pci "$VGA_DEFAULT" 2 rw
	[ $(( $(pci_cmd "$VGA_DEFAULT") & 2 )) = 2 ]
	run dmesg
	assert_output --partial "$VGA_DEFAULT: memory decoding turned on for window vga (off: no firmware or driver enabled it)"
}
