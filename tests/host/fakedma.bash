# SPDX-License-Identifier: GPL-2.0-or-later
# DMA buffers and interrupts of the driver on the host: fakedrv.bash's fake
# device, with tests/host/progs/libphys-fakedma.c preloaded in front of it
# (see its header). A window line takes its options after fakedrv's own:
#   window NAME BASE SIZE [rw] [mmap] [gone] [dma=SIZE] [bits=N] [irq] [msi] [intx] [pci] [shared]
load fakedrv

FAKEDMA="$TOP/tests/host/progs/libphys-fakedma"
DMA="$TOP/tests/host/progs/libphys-dma"

fakedma_build() {
	fakedrv_build
	make -s -C "$TOP/tests/host/progs" libphys-dma libphys-fakedma >/dev/null
}

# fakedma CMD ARGS...: run CMD with the fake driver and its DMA, the call log emptied.
fakedma() {
	: >"$FAKEDRV_LOG"
	LD_PRELOAD="$(preload libphys-fakedma libphys-fakedrv)" "$@"
}
