# SPDX-License-Identifier: GPL-2.0-or-later
# Shared setup for guest BATS suites (they run inside the test VM as root,
# with the project installed in /). Load with: load /tests/lib/guest
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

export PATH=/usr/libexec/physmem-tests:/usr/sbin:/usr/bin:/sbin:/bin

# PCI devices the VM is started with (tests/vm/run-vm).
EDU_BDF=0000:00:04.0
EDU2_BDF=0000:00:05.0
IVSHMEM_BDF=0000:00:06.0

# edu's DMA mask, in address bits, for the rules' dma-mask: edu's own 28,
# except on arm64's virt machine, whose RAM starts at 1 GiB, so that no
# 28-bit bus address is RAM (the driver refuses such a rule's buffers, as
# it should): there run-vm gives edu a 32-bit mask (dma_mask=0xffffffff).
case $(uname -m) in
aarch64) EDU_DMA_BITS=32 ;;
*) EDU_DMA_BITS=28 ;;
esac

# bar_start BDF BAR: physical start address of a BAR, from sysfs.
bar_start() {
	sed -n "$(($2 + 1))p" "/sys/bus/pci/devices/$1/resource" | cut -d' ' -f1
}

# bar_size BDF BAR: size in bytes of a BAR, from sysfs.
bar_size() {
	local line start end
	line=$(sed -n "$(($2 + 1))p" "/sys/bus/pci/devices/$1/resource")
	start=$(echo "$line" | cut -d' ' -f1)
	end=$(echo "$line" | cut -d' ' -f2)
	echo $((end - start + 1))
}

hex() { printf '0x%x' "$1"; }

# A page of System RAM, which no window may cover: the start of the first
# System RAM range of 1 MiB or more (x86: 0x100000; arm64's virt machine,
# whose RAM starts at 1 GiB: 0x40000000).
sysram_page() {
	local line s e
	while IFS= read -r line; do
		case $line in *" : System RAM") ;; *) continue ;; esac
		line=${line#"${line%%[! ]*}"}
		s=0x${line%%-*} e=${line#*-}
		e=0x${e%% *}
		if (( e - s + 1 >= 0x100000 )); then
			hex $((s))
			return
		fi
	done </proc/iomem
}
SYSRAM=$(sysram_page)

# PCI_COMMAND's low byte, config space offset 4: bit 1 is memory decoding.
pci_cmd() {
	dd if="/sys/bus/pci/devices/$1/config" bs=1 skip=4 count=1 2>/dev/null | od -An -tu1 | tr -d ' '
}

# Set PCI_COMMAND's low byte of device $1 to $2.
pci_cmd_set() {
	printf "\\$(printf '%03o' "$2")" |
		dd of="/sys/bus/pci/devices/$1/config" bs=1 seek=4 conv=notrunc 2>/dev/null
}

# decoding BDF: the device's memory decoding (PCI_COMMAND bit 1), on or off.
decoding() {
	if (( $(pci_cmd "$1") & 2 )); then echo on; else echo off; fi
}

# Memory decoding off, as no firmware left it on arm64's virt machine.
mem_off() {
	pci_cmd_set "$1" $(( $(pci_cmd "$1") & ~2 & 255 ))
	[ "$(decoding "$1")" = off ]
}

# Memory decoding on, as the firmware left it.
mem_on() {
	pci_cmd_set "$1" $(( $(pci_cmd "$1") | 2 ))
}

# Driver suites: the devices' BAR addresses (edu2 may have been removed),
# and an empty window table before each test.
driver_setup() {
	EDU=$(bar_start "$EDU_BDF" 0)
	EDU2=$(bar_start "$EDU2_BDF" 0 2>/dev/null)
	SHM=$(bar_start "$IVSHMEM_BDF" 2)
	physmem-t replace </dev/null
}
