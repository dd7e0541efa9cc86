#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-policy with rules that grant dma and irq (issue 14), against the
# real driver: the grants loaded and shown, physmem bound to edu and given
# back, and one granting rule per device whatever the spelling. The refusal
# while another driver drives edu is in grants-pcistub.bats. The host tests
# (tests/host/policy-grants.bats) cover every message; this is the kernel's
# side of them.

load /tests/lib/guest

P=/tmp/policy-grants

setup() {
	driver_setup
	DEV=/sys/bus/pci/devices/$EDU_BDF
	mkdir -p "$P"
}

teardown() {
	physmem-policy unload --all >/dev/null 2>&1 || true
	rm -rf "$P"
}

driver_of() {
	if [ -e "$DEV/driver" ]; then basename "$(readlink "$DEV/driver")"; else echo none; fi
}

@test "load: a rule granting dma and irq binds physmem and shows its grants; unload gives edu back" {
	[ "$(driver_of)" = none ]
	printf 'allow edu pci 1234:11e8 bar 0 rw dma 64K dma-mask %s irq\n' "$EDU_DMA_BITS" >"$P/p.conf"
	run physmem-policy load "$P/p.conf"
	assert_success
	assert_output "loaded 1 window"
	[ "$(driver_of)" = physmem ]
	run physmem-policy show
	assert_success
	assert_line -n 1 --regexp "^edu +$(hex "$EDU")-$(hex $((EDU + 0xfffff))) +rw uc dma 64K dma-mask $EDU_DMA_BITS irq +claimed,mmap +pci $EDU_BDF bar 0\$"
	run physmem-policy show --json
	assert_success
	assert_output --partial '"dma_size":65536,'
	assert_output --partial "\"dma_bits\":$EDU_DMA_BITS,"
	assert_output --partial '"irq":true,'
	assert_output --partial '"dma_used":0'
	# the same policy again: the same windows, the device stays bound
	run physmem-policy load "$P/p.conf"
	assert_success
	[ "$(driver_of)" = physmem ]
	# a policy without the grant gives the device back
	printf 'allow edu pci 1234:11e8 bar 0 rw\n' >"$P/p.conf"
	run physmem-policy load "$P/p.conf"
	assert_success
	[ "$(driver_of)" = none ]
}

@test "check and load: two rules granting to edu, by ID and by address, name both rules" {
	printf 'allow edu pci 1234:11e8 bar 0 rw irq\nallow regs pci %s bar 0 dma 4K\n' \
		"$EDU_BDF" >"$P/p.conf"
	run physmem-policy check "$P/p.conf"
	assert_failure 1
	assert_output "$P/p.conf:2:1: rule 'regs': device $EDU_BDF is granted dma/irq by rule 'edu' ($P/p.conf:1:1) already: at most one rule per PCI device may grant dma or irq"
	run physmem-policy load "$P/p.conf"
	assert_failure 1
	[ "$(driver_of)" = none ]
}
