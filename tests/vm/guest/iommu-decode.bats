# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv's memory decoding on a q35 machine with two VGA cards (QEMU's
# VGA at 08.0 and 09.0, tests/vm/run-vm --iommu): run by the IOMMU boot of
# tests/run-all. The decoding of a VGA device beside others is the VGA
# arbiter's, the default one's too; a lone one is never arbitrated.
load /tests/lib/guest

setup() {
	driver_setup
	# back from the lone-device test, if it did not get to put it back
	[ -e /sys/bus/pci/devices/0000:00:09.0 ] || echo 1 >/sys/bus/pci/rescan
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
	[ -e "/sys/bus/pci/devices/$VGA_OTHER" ] || echo 1 >/sys/bus/pci/rescan
	mem_on "$VGA_DEFAULT"
	mem_on "$VGA_OTHER"
}

@test "a window on a VGA device beside another leaves its memory decoding off, the default one's too, and says why" {
	local d
	for d in "$VGA_OTHER" "$VGA_DEFAULT"; do
		mem_off "$d"
		dmesg -c >/dev/null
		physmem-t add vga pci "$d" 2 rw
		[ "$(decoding "$d")" = off ]
		run dmesg
		assert_output --partial "$d: memory decoding left off for window vga: a VGA device beside others, whose decoding the VGA arbiter owns"
		refute_output --partial "memory decoding turned on"
		physmem-t replace </dev/null
	done
	# decoding on (the arbiter's choice): the window leaves it so, silently
	mem_on "$VGA_OTHER"
	dmesg -c >/dev/null
	physmem-t add vga pci "$VGA_OTHER" 2 rw
	[ "$(decoding "$VGA_OTHER")" = on ]
	run dmesg
	refute_output --partial "memory decoding"
}

@test "a window on a lone VGA device (the default, never arbitrated) turns its memory decoding on" {
	echo 1 >"/sys/bus/pci/devices/$VGA_OTHER/remove"
	mem_off "$VGA_DEFAULT"
	dmesg -c >/dev/null
	physmem-t add vga pci "$VGA_DEFAULT" 2 rw
	[ "$(decoding "$VGA_DEFAULT")" = on ]
	run dmesg
	assert_output --partial "$VGA_DEFAULT: memory decoding turned on for window vga (off: no firmware or driver enabled it)"
}
