#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# libphys's DMA buffers and interrupts (LIBPHYS_6) against the fake driver
# (fakedma.bash): a buffer is a map every operation works on, its
# descriptor its own; waits return counts, unmask INTx and time out as
# physmem.h says; every refusal names the window and its rule.
# tests/vm/guest/libphys-dma.bats runs the real driver with QEMU's edu.

load fakedma

setup_file() {
	fakedma_build
}

setup() {
	fakedrv_setup
	window edu 0xfea00000 0x100000 rw mmap dma=0x10000 bits=28 irq msi intx pci
	window pin 0xfeb00000 0x1000 rw mmap irq intx pci
	window plain 0xfec00000 0x1000 rw mmap pci
	window rng 0xfed00000 0x1000 rw mmap
}

@test "a buffer is whole pages at a bus address, on a descriptor of its own, mapped at its file offset" {
	run fakedma "$DMA" -s "$ROOT" alloc edu 100 info
	assert_success
	assert_output "bus 0x1000000 size 0x1000
window edu bus 0x1000000 size 0x1000 map dma:edu@0x1000000 phys 0x1000000 physical 0 size 0x1000 flags 0x0 ctx 1 mapped"
	run calls
	assert_output "dma_alloc edu 100
mmap 4096 0x10000000000000
dma_free 0x10000000000000"
}

@test "the log says where a buffer is" {
	run fakedma "$DMA" -v -s "$ROOT" alloc edu 0x2000
	assert_success
	assert_line "debug: DMA buffer for window edu: 0x2000 bytes at bus address 0x1000000, file offset 0x10000000000000"
}

@test "a buffer is zeroed, and every accessor and bulk operation works on its map" {
	run fakedma "$DMA" -s "$ROOT" alloc edu 4096 r8 0xff8 w1 0 0xa1 w2 2 0xb2b2 w4 4 0xc3c3c3c3 \
		w8 8 0x0102030405060708 r1 0 r2 2 r4 4 r8 8 rbuf 0 16 4 \
		fill 0x100 0x100 0x5a 1 alloc edu 4096 copy 1 0 0x1000 8 cmp 0 1 0x1000 4 \
		w4 0x200 1 cmp 0 1 0x1000 4
	assert_success
	assert_output "bus 0x1000000 size 0x1000
0x0000000000000000
ok
ok
ok
ok
0xa1
0xb2b2
0xc3c3c3c3
0x0102030405060708
a100b2b2c3c3c3c30807060504030201
ok
bus 0x1001000 size 0x1000
ok
equal
ok
differ at 0x200: first difference at dma:edu@0x1000000+0x200: 0x0 != 0x1"
}

@test "out of a buffer's bounds or misaligned: refused, naming the buffer" {
	run fakedma "$DMA" -s "$ROOT" alloc edu 4096 r4 0x1000 r4 0xffe w8 0xffc 1 fill 0xf00 0x200 0 4
	assert_failure
	assert_output "bus 0x1000000 size 0x1000
ERANGE: offset 0x1000 + 4 bytes is outside dma:edu@0x1000000 (size 0x1000)
ERANGE: offset 0xffe + 4 bytes is outside dma:edu@0x1000000 (size 0x1000)
ERANGE: offset 0xffc + 8 bytes is outside dma:edu@0x1000000 (size 0x1000)
ERANGE: 0x200 bytes at offset 0xf00 are outside dma:edu@0x1000000 (size 0x1000)"
	run fakedma "$DMA" -s "$ROOT" alloc edu 4096 r4 2
	assert_line "EINVAL: 32-bit access at 0x1000002 (dma:edu@0x1000000+0x2) is not 4-byte aligned"
}

@test "a buffer's map is the same memory as itself only, and phys_map_close() leaves it to phys_dma_free()" {
	run fakedma "$DMA" -s "$ROOT" alloc edu 4096 alloc edu 4096 offin 0 0 0x10 offin 0 1 0 offin 1 0 0 \
		use 0 w4 0 7 mapclose r4 0 info
	assert_success
	assert_output "bus 0x1000000 size 0x1000
bus 0x1001000 size 0x1000
offset_in 0x10
offset_in: ENOENT
offset_in: ENOENT
ok
ok
ok
0x00000007
window edu bus 0x1000000 size 0x1000 map dma:edu@0x1000000 phys 0x1000000 physical 0 size 0x1000 flags 0x0 ctx 1 mapped"
}

@test "phys_dma_free() unmaps, frees the buffer and closes its descriptor" {
	run fakedma "$DMA" -s "$ROOT" alloc edu 0x3000 free alloc edu 0x1000
	assert_success
	assert_output "bus 0x1000000 size 0x3000
freed
bus 0x1003000 size 0x1000"
	run calls
	assert_output "dma_alloc edu 12288
mmap 12288 0x10000000000000
dma_free 0x10000000000000
dma_alloc edu 4096
mmap 4096 0x10000000004000
dma_free 0x10000000004000"
}

@test "a buffer whose memory is taken away faults into EFAULT, saying the buffer was revoked" {
	# the fake's memory is a memfd: truncating it is what revocation does to the pages
	run fakedma "$DMA" -s "$ROOT" alloc edu 4096 w4 0 1 \
		sh 'for f in /proc/$PPID/fd/*; do case $(readlink $f) in *fakedma*) truncate -s 0 $f;; esac; done' \
		r4 0 w4 4 2
	assert_failure
	assert_line --index 2 "EFAULT: SIGBUS during 32-bit read at 0x1000000 (dma:edu@0x1000000+0x0): the buffer was revoked (its device was given back to its own driver or removed)"
	assert_line --index 3 --partial "EFAULT: SIGBUS during 32-bit write at 0x1000004"
}

@test "bad arguments are refused before the driver is asked, each said" {
	run fakedma "$DMA" -s "$ROOT" nulls alloc edu 0 alloc bad/name 4096 alloc edu 0xfffffffffffff001 \
		irq edu 7 irq bad/name auto
	assert_failure
	assert_output "alloc ctx NULL: (nil) errno EINVAL
alloc window NULL: EINVAL: DMA buffers: no window name
free NULL: ok
bus NULL: 0 size NULL: 0 window NULL: NULL map NULL: (nil)
irq ctx NULL: (nil) errno EINVAL
irq window NULL: EINVAL: interrupts: no window name
irq close NULL: ok
irq mode NULL: 0 fd NULL: EINVAL wait NULL: EINVAL
EINVAL: DMA buffer for window edu: size 0 (a buffer is one page or more)
EINVAL: DMA buffers: bad name 'bad/name': expected a letter, then letters, digits, '_' or '-'
EINVAL: DMA buffer for window edu: size 0xfffffffffffff001 does not fit in whole pages
EINVAL: interrupt mode 7: use PHYS_IRQ_AUTO, PHYS_IRQ_INTX or PHYS_IRQ_MSI
EINVAL: interrupts: bad name 'bad/name': expected a letter, then letters, digits, '_' or '-'"
	run calls
	assert_output ""
}

@test "without the driver: ENOENT, saying DMA buffers and interrupts come from it" {
	rm "$ROOT/dev/physmem"
	run "$DMA" -s "$ROOT" alloc edu 4096 irq edu auto
	assert_failure
	assert_output "ENOENT: DMA buffers for window edu come from the physmem driver: $ROOT/dev/physmem does not exist: the physmem driver is not loaded (modprobe physmem)
ENOENT: interrupts for window edu come from the physmem driver: $ROOT/dev/physmem does not exist: the physmem driver is not loaded (modprobe physmem)"
}

@test "a context set to a backend other than the driver's: EINVAL, naming it; pread is the driver" {
	for b in devmem sysfs file; do
		run fakedma "$DMA" -s "$ROOT" -b $b alloc edu 4096 irq edu auto
		assert_failure
		assert_output "EINVAL: DMA buffers for window edu come from the physmem driver, and this context uses the $b backend (phys_ctx_set_backend: use auto or physmem)
EINVAL: interrupts for window edu come from the physmem driver, and this context uses the $b backend (phys_ctx_set_backend: use auto or physmem)"
	done
	for b in auto physmem pread; do
		run fakedma "$DMA" -s "$ROOT" -b $b alloc edu 4096
		assert_success
	done
}

@test "a window whose rule grants no dma: EPERM, saying what to add; a range window: only pci windows" {
	run fakedma "$DMA" -s "$ROOT" alloc plain 4096 alloc rng 4096 alloc pin 4096
	assert_failure
	assert_output "EPERM: window plain: its policy rule grants no dma (add 'dma SIZE' to the rule, physmem.conf(5))
EPERM: window rng: only the device behind a pci window can be granted dma, and this is a range window
EPERM: window pin: its policy rule grants no dma (add 'dma SIZE' to the rule, physmem.conf(5))"
}

@test "past the rule's dma limit: EDQUOT, with the limit, what is held and what was asked" {
	run fakedma "$DMA" -s "$ROOT" alloc edu 0xf000 alloc edu 0x2000 alloc edu 0x1000 alloc edu 1
	assert_failure
	assert_output "bus 0x1000000 size 0xf000
EDQUOT: window edu: its policy rule grants 64 KiB of DMA buffers (dma 64K) and 60 KiB are held: 8 KiB more is refused
bus 0x100f000 size 0x1000
EDQUOT: window edu: its policy rule grants 64 KiB of DMA buffers (dma 64K) and 64 KiB are held: 4 KiB more is refused"
	run fakedma "$DMA" -s "$ROOT" alloc edu 0x10001
	assert_output "EDQUOT: window edu: its policy rule grants 64 KiB of DMA buffers (dma 64K): a buffer of 68 KiB is more than that"
	# freed buffers count no more
	run fakedma "$DMA" -s "$ROOT" alloc edu 0x10000 free alloc edu 0x10000
	assert_success
}

@test "no window, a removed device, a device given back, no memory, an old driver: each said" {
	run fakedma "$DMA" -s "$ROOT" alloc nope 4096
	assert_output "ENOENT: no window named 'nope' (4 windows loaded; see physmem-policy show)"
	window gone 0xfee00000 0x1000 gone rw mmap dma=0x10000 irq msi pci
	run fakedma "$DMA" -s "$ROOT" alloc gone 4096 irq gone auto
	assert_output "ENOENT: window gone: its device was removed
ENOENT: window gone: its device was removed"
	FAKEDRV_DMA_ERRNO=19 run fakedma "$DMA" -s "$ROOT" alloc edu 4096
	assert_output "ENODEV: window edu: its device was given back to its own driver or removed (no window grants it dma or irq any more; see physmem-policy show)"
	FAKEDRV_DMA_ERRNO=12 run fakedma "$DMA" -s "$ROOT" alloc edu 8192
	assert_output "ENOMEM: window edu: no 8 KiB of contiguous memory the device can address (dma-mask 28: below 256 MiB)"
	window edu 0xfea00000 0x100000 rw mmap dma=0x10000 irq msi intx pci
	FAKEDRV_DMA_ERRNO=12 run fakedma "$DMA" -s "$ROOT" alloc edu 8192
	assert_output "ENOMEM: window edu: no 8 KiB of contiguous memory below the device's DMA mask"
	FAKEDRV_DMA_ERRNO=28 run fakedma "$DMA" -s "$ROOT" alloc edu 8192
	assert_output "ENOSPC: window edu: the descriptor holds 256 DMA buffers, the driver's limit for one open file"
	FAKEDRV_DMA_ERRNO=25 run fakedma "$DMA" -s "$ROOT" alloc edu 8192
	assert_output "ENOTTY: window edu: the loaded physmem driver is older than 2.1 and has no DMA buffers or interrupts (upgrade the module)"
	window edu 0xfea00000 0x100000 rw mmap dma=0x10000 bits=24 irq msi intx pci
	FAKEDRV_DMA_ERRNO=5 run fakedma "$DMA" -s "$ROOT" alloc edu 8192
	assert_output "EIO: window edu: the device cannot take the DMA mask of its rule (dma-mask 24; see the kernel log)"
	FAKEDRV_DMA_ERRNO=14 run fakedma "$DMA" -s "$ROOT" alloc edu 8192
	assert_output "EFAULT: window edu: the driver refused a DMA buffer of 8 KiB: Bad address"
}

@test "INTx: a count that came while nobody waited is returned at once, the line left masked; else unmask, then wait" {
	FAKEDRV_IRQ_PENDING=2 FAKEDRV_IRQ_FIRE=unmask run fakedma "$DMA" -s "$ROOT" irq pin auto irqfd \
		wait 1000 wait 1000 wait 0
	assert_success
	assert_output "mode intx
fd
count 2
count 3
count 4"
	run calls
	assert_output "irq_open pin 0
irq_read 2
irq_write 1
irq_poll
irq_read 3
irq_write 1
irq_poll
irq_read 4
close irq"
}

@test "MSI: waits never write to the descriptor; a timeout says how long, 0 says nothing is pending" {
	FAKEDRV_IRQ_FIRE=poll run fakedma "$DMA" -s "$ROOT" irq edu msi wait 1000 wait -1
	assert_success
	assert_output "mode msi
count 1
count 2"
	run calls
	refute_output --partial irq_write
	run fakedma "$DMA" -s "$ROOT" irq edu auto wait 50 wait 0 wait -2
	assert_failure
	assert_output "mode msi
ETIMEDOUT: window edu: no interrupt within 50 ms
ETIMEDOUT: window edu: no interrupt pending
EINVAL: timeout -2 ms: use -1 (for ever), 0 (do not wait) or more"
}

@test "an INTx wait that times out has unmasked the line first" {
	run fakedma "$DMA" -s "$ROOT" irq edu intx wait 20
	assert_output "mode intx
ETIMEDOUT: window edu: no interrupt within 20 ms"
	run calls
	assert_output "irq_open edu 1
irq_write 1
irq_poll
close irq"
}

@test "auto: MSI where the device has it, else INTx, or the mode open; the other mode: EBUSY" {
	run fakedma "$DMA" -s "$ROOT" irq pin auto irq edu auto irq edu intx
	assert_failure
	assert_output "mode intx
mode msi
EBUSY: window edu: its device's interrupt is open as MSI on another descriptor, and a device's descriptors share one mode (ask for msi or auto, or close that one)"
	# libphys-dma closes the previous interrupt only once the next one opened
	run fakedma "$DMA" -s "$ROOT" irq edu intx irq edu auto irq edu msi
	assert_output "mode intx
mode intx
EBUSY: window edu: its device's interrupt is open as INTx on another descriptor, and a device's descriptors share one mode (ask for intx or auto, or close that one)"
}

@test "interrupts refused: no irq in the rule, no such mode, no such window" {
	run fakedma "$DMA" -s "$ROOT" irq plain auto irq rng auto irq pin msi irq nope intx
	assert_failure
	assert_output "EPERM: window plain: its policy rule grants no irq (add 'irq' to the rule, physmem.conf(5))
EPERM: window rng: only the device behind a pci window can be granted irq, and this is a range window
ENXIO: window pin: its device has no MSI (ask for intx or auto)
ENOENT: no window named 'nope' (4 windows loaded; see physmem-policy show)"
	window edu 0xfea00000 0x100000 rw mmap irq msi pci
	run fakedma "$DMA" -s "$ROOT" irq edu intx
	assert_output "ENXIO: window edu: its device has no INTx (no interrupt pin, or one that cannot be masked; ask for msi or auto)"
	window edu 0xfea00000 0x100000 rw mmap irq pci
	run fakedma "$DMA" -s "$ROOT" irq edu auto
	assert_output "ENXIO: window edu: its device has no MSI and no INTx (no interrupt pin, or one that cannot be masked)"
}

@test "a revoked interrupt: the wait fails with ENODEV, saying so" {
	run fakedma "$DMA" -s "$ROOT" irq edu msi wait 0 \
		sh "sed -i 's/^edu .*/edu 0xfea00000 0x100000 gone rw mmap irq msi pci/' '$FAKEDRV_WINDOWS'" \
		wait 1000 irqclose
	assert_failure
	assert_output "mode msi
ETIMEDOUT: window edu: no interrupt pending
ENODEV: window edu: the interrupt was revoked: its device was given back to its own driver or removed
closed"
}

@test "the edu example of libphys(3) compiles and programs a transfer from a buffer" {
	sed -n '/^\.SS DMA buffers and interrupts/,/^\.SS Enumeration/p' "$TOP/man/libphys.3" |
		sed -n '/^\.EX/,/^\.EE/p' | sed '1d;$d' | sed 's/\\e/\\/g; s/\\-/-/g' >"$BATS_TEST_TMPDIR/edu.c"
	grep -q 'phys_irq_wait' "$BATS_TEST_TMPDIR/edu.c"
	cat >"$BATS_TEST_TMPDIR/main.c" <<-'C'
	#include <libphys.h>
	#include <stdio.h>
	C
	cat "$BATS_TEST_TMPDIR/edu.c" >>"$BATS_TEST_TMPDIR/main.c"
	cat >>"$BATS_TEST_TMPDIR/main.c" <<-'C'
	int main(int argc, char **argv)
	{
		struct phys_ctx *ctx = phys_ctx_new();
		struct phys_map *edu;
		struct phys_dma *buf;
		struct phys_irq *irq;
		int err;

		if (argc != 2)
			return 2;
		phys_ctx_set_sysroot(ctx, argv[1]);
		edu = phys_map_open(ctx, "edu", 0, 0);
		buf = phys_dma_alloc(ctx, "edu", 4096);
		irq = phys_irq_open(ctx, "edu", PHYS_IRQ_AUTO);
		if (!edu || !buf || !irq || phys_fill(phys_dma_map(buf), 0, 4096, 0xa5, 1))
			return 1;
		err = edu_dma_in(edu, buf, irq, 4096);
		printf("%d %s\n", err, phys_ctx_errmsg(ctx));
		phys_irq_close(irq);
		phys_dma_free(buf);
		phys_map_close(edu);
		phys_ctx_free(ctx);
		return 0;
	}
	C
	"$CC" -std=c11 -Wall -Wextra -Werror -Wno-missing-prototypes -I"$TOP/libphys/include" \
		-o "$BATS_TEST_TMPDIR/edu" "$BATS_TEST_TMPDIR/main.c" -L"$TOP/libphys" -lphys
	printf '\0\1\0\0' | dd of="$ROOT/dev/physmem" bs=1 seek=$((0xfea00024)) conv=notrunc status=none
	FAKEDRV_IRQ_FIRE=poll run fakedma "$BATS_TEST_TMPDIR/edu" "$ROOT"
	assert_success
	assert_output "0 "
	[ "$(mem_at 0xfea00080 8)" = 0000000100000000 ]
	[ "$(mem_at 0xfea00088 8)" = 0000040000000000 ]
	[ "$(mem_at 0xfea00090 8)" = 0010000000000000 ]
	[ "$(mem_at 0xfea00098 8)" = 0500000000000000 ]
	[ "$(mem_at 0xfea00064)" = 00010000 ]
}
