#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# libphys's DMA buffers and interrupts (LIBPHYS_6) against the real driver
# and QEMU's edu, the policy loaded by physmem-policy: dma-edu's round trip
# and factorial interrupt in each mode, and libphys's words for the
# driver's refusals (libphys-dma). The raw ioctls are driver-dma.bats's;
# the host runs the same API against a fake (tests/host/libphys-dma.bats).
load /tests/lib/guest

D=/tmp/libphys-dma

# policy [RULE OPTIONS]: edu's window with those grants, and shm without.
policy() {
	mkdir -p "$D"
	printf 'allow edu pci 1234:11e8 bar 0 rw %s\nallow shm pci 1af4:1110 bar 2 rw\n' "$*" >"$D/p.conf"
	physmem-policy load "$D/p.conf"
}

# Background holders are waited for by pid: a bare `wait` would also wait
# for the sleeper that BATS_TEST_TIMEOUT starts.
teardown() {
	[ -z "${BG:-}" ] || { kill "$BG" 2>/dev/null; wait "$BG" 2>/dev/null; } || true
	physmem-policy unload --all >/dev/null 2>&1 || true
	rm -rf "$D"
}

@test "dma-edu: RAM -> edu -> RAM and the factorial, with INTx" {
	policy dma 64K dma-mask $EDU_DMA_BITS irq
	run dma-edu -m intx edu
	assert_success
	assert_line "ok: interrupt mode intx (asked intx)"
	assert_line --regexp "^ok: RAM -> edu: interrupt, count [0-9]+, status 0x100$"
	assert_line --regexp "^ok: edu -> RAM: interrupt, count [0-9]+, status 0x100$"
	assert_line "ok: B is A after the round trip"
	assert_line "ok: 10! = 3628800"
	refute_output --partial FAIL
}

@test "dma-edu: the same with MSI, which auto picks" {
	policy dma 64K dma-mask $EDU_DMA_BITS irq
	run dma-edu -m msi edu
	assert_success
	assert_line "ok: interrupt mode msi (asked msi)"
	refute_output --partial FAIL
	run dma-edu edu
	assert_success
	assert_line "ok: interrupt mode msi (asked auto)"
	refute_output --partial FAIL
}

@test "a buffer is a map: the bus address below edu's mask, no physical address, bounds kept" {
	policy dma 64K dma-mask $EDU_DMA_BITS irq
	run libphys-dma alloc edu 100 info w4 0xffc 0xcafe r4 0xffc r4 0x1000
	assert_failure
	assert_line --index 0 --regexp "^bus 0x[0-9a-f]+ size 0x1000$"
	bus=$(echo "${lines[0]}" | cut -d' ' -f2)
	[ $((bus + 0x1000)) -le $((1 << EDU_DMA_BITS)) ]
	assert_line --index 1 "window edu bus $bus size 0x1000 map dma:edu@$bus phys $bus physical 0 size 0x1000 flags 0x0 ctx 1 mapped"
	assert_line --index 3 0x0000cafe
	assert_line --index 4 "ERANGE: offset 0x1000 + 4 bytes is outside dma:edu@$bus (size 0x1000)"
}

@test "a window whose rule grants no dma or no irq: EPERM, saying what to add" {
	policy irq
	run libphys-dma alloc edu 4096 alloc shm 4096
	assert_failure
	assert_output "EPERM: window edu: its policy rule grants no dma (add 'dma SIZE' to the rule, physmem.conf(5))
EPERM: window shm: its policy rule grants no dma (add 'dma SIZE' to the rule, physmem.conf(5))"
	physmem-policy unload --all
	policy dma 16K
	run libphys-dma irq edu auto irq shm intx
	assert_failure
	assert_output "EPERM: window edu: its policy rule grants no irq (add 'irq' to the rule, physmem.conf(5))
EPERM: window shm: its policy rule grants no irq (add 'irq' to the rule, physmem.conf(5))"
	run libphys-dma alloc nope 4096
	assert_output --regexp "^ENOENT: no window named 'nope' \([0-9]+ windows loaded; see physmem-policy show\)$"
}

@test "past the rule's dma limit: EDQUOT, with the limit and what is held" {
	policy dma 16K dma-mask $EDU_DMA_BITS
	run libphys-dma alloc edu 0x3000 alloc edu 0x2000 alloc edu 0x20000
	assert_failure
	assert_line --index 1 "EDQUOT: window edu: its policy rule grants 16 KiB of DMA buffers (dma 16K) and 12 KiB are held: 8 KiB more is refused"
	assert_line --index 2 "EDQUOT: window edu: its policy rule grants 16 KiB of DMA buffers (dma 16K) and 12 KiB are held: 128 KiB more is refused"
	# another process's buffers count too
	dma-edu edu hold 0x3000 >"$D/hold.out" 3>&- &
	BG=$!
	for i in $(seq 50); do grep -q holding "$D/hold.out" && break; sleep 0.1; done
	run libphys-dma alloc edu 0x2000
	assert_output "EDQUOT: window edu: its policy rule grants 16 KiB of DMA buffers (dma 16K) and 12 KiB are held: 8 KiB more is refused"
}

@test "a killed process holding buffers leaves nothing held; the device works on" {
	policy dma 64K dma-mask $EDU_DMA_BITS irq
	dma-edu edu hold 0x4000 3 >"$D/hold.out" 3>&- &
	BG=$!
	for i in $(seq 50); do grep -q holding "$D/hold.out" && break; sleep 0.1; done
	run physmem-t list
	assert_output --partial "dma 0xc000/0x10000"
	kill -9 "$BG"
	wait "$BG" || true
	BG=
	run physmem-t list
	assert_output --partial "dma 0x0/0x10000"
	run dma-edu -m intx edu
	assert_success
}

@test "interrupts: a wait that times out says so; the other mode is busy" {
	policy irq
	run libphys-dma irq edu intx wait 200 irq edu msi irq edu auto
	assert_failure
	assert_output "mode intx
ETIMEDOUT: window edu: no interrupt within 200 ms
EBUSY: window edu: its device's interrupt is open as INTx on another descriptor, and a device's descriptors share one mode (ask for intx or auto, or close that one)
mode intx"
}

@test "revoked: a buffer's map faults into EFAULT, a wait into ENODEV, each said" {
	policy dma 64K dma-mask $EDU_DMA_BITS irq
	run libphys-dma alloc edu 4096 w4 0 1 irq edu msi sh "physmem-policy unload edu >/dev/null" r4 0 wait 1000 \
		alloc edu 4096
	assert_failure
	assert_line --index 3 --regexp "^EFAULT: SIGBUS during 32-bit read at 0x[0-9a-f]+ \(dma:edu@0x[0-9a-f]+\+0x0\): the buffer was revoked \(its device was given back to its own driver or removed\)$"
	assert_line --index 4 "ENODEV: window edu: the interrupt was revoked: its device was given back to its own driver or removed"
	assert_line --index 5 --regexp "^ENOENT: no window named 'edu' "
}
