# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv with an IOMMU (issue 14): run by the boot of a q35 machine
# with QEMU's intel-iommu and intel_iommu=on (tests/run-all). Buffers are
# mapped through the DMA API, so the device reaches only its buffers.
load /tests/lib/guest

setup() {
	driver_setup
}

teardown() {
	physmem-t replace </dev/null || true
}

@test "the IOMMU is on and edu is behind it" {
	[ -n "$(ls /sys/class/iommu)" ]
	[ -e "/sys/bus/pci/devices/$EDU_BDF/iommu_group" ]
}

@test "DMA RAM -> edu -> RAM through the IOMMU, INTx and MSI" {
	physmem-t add edu pci "$EDU_BDF" 0 rw dma 0x10000 dmabits 28 irq >/dev/null
	run physmem-dma-t edu edu intx
	assert_success
	assert_line "round trip ok"
	run physmem-dma-t edu edu msi
	assert_success
	assert_line "round trip ok"
}

@test "a DMA to memory outside every buffer does not change it, and the kernel logs the fault" {
	physmem-t add edu pci "$EDU_BDF" 0 rw dma 0x10000 dmabits 28 irq >/dev/null
	run physmem-dma-t stray edu
	assert_success
	assert_line "page unchanged"
	# the fault names edu and the page (7.x spells the domain out)
	page=$(echo "$output" | sed -n 's/.*target page at \(0x[0-9a-f]*\)$/\1/p')
	[ -n "$page" ]
	dmesg | grep -E "DMAR: \[DMA Write( NO_PASID)?\] Request device \[(0000:)?00:04.0\] fault addr $page "
}

@test "buffers freed behind the IOMMU: the device loses them" {
	physmem-t add edu pci "$EDU_BDF" 0 rw dma 0x10000 dmabits 28 >/dev/null
	run physmem-dma-t cycles edu 0x4000 50
	assert_output "50 cycles"
	run grep -c "physmem-dma-t" /proc/driver/physmem
	assert_output 0
}
