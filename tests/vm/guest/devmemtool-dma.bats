#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# devmemtool's DMA buffers and interrupts (issue 14) against the real
# driver and QEMU's edu: buf alloc/free, a buffer as a target, NAME.bus
# programmed into the device, irqwait, in scripts. edu: DMA source 0x80,
# destination 0x88, count 0x90, command 0x98 (bit 0 start, bit 1 edu to
# RAM, bit 2 interrupt when done); its own buffer at device address
# 0x40000 (4 KiB: a DMA of all of it aborts QEMU, so 2 KiB here);
# interrupt status 0x24 (0x1 factorial, 0x100 DMA), acknowledged by
# writing it to 0x64; STATUS 0x20 bit 7: interrupt when a factorial is
# done. tests/host/devmemtool-dma.bats checks the rest without a device.

load /tests/lib/guest

D=/tmp/devmemtool-dma

setup() {
	mkdir -p "$D"
	printf 'allow edu pci 1234:11e8 bar 0 rw dma 0x10000 dma-mask %s irq\n' "$EDU_DMA_BITS" >"$D/p.conf"
	physmem-policy load "$D/p.conf"
	EDU=$(bar_start $EDU_BDF 0)
	head -c 2048 /dev/urandom >"$D/pattern.bin"
}

teardown() {
	physmem-policy unload --all >/dev/null 2>&1 || true
	rm -rf "$D"
}

# dma_script [MODE]: $D/dma.dmt, the round trip RAM -> edu -> RAM with an
# interrupt after each DMA (irqwait ... mode MODE if given).
dma_script() {
	local mode=${1:+ mode $1}

	cat >"$D/dma.dmt" <<-EOF
	#!/usr/bin/devmemtool -f
	buf alloc 4K for edu as a
	buf alloc 4K for edu as b
	load pattern.bin a
	# RAM -> edu
	w64 edu+0x80 a.bus
	w64 edu+0x88 0x40000
	w64 edu+0x90 2048
	w32 edu+0x98 0x5                # start, interrupt when done
	irqwait edu 5000$mode
	expect edu+0x24 0x100           # the DMA's interrupt
	w32 edu+0x64 0x100              # acknowledged
	# edu -> RAM
	w64 edu+0x80 0x40000
	w64 edu+0x88 b.bus
	w64 edu+0x90 2048
	w32 edu+0x98 0x7                # start, to RAM, interrupt when done
	irqwait edu 5000$mode
	expect edu+0x24 0x100
	w32 edu+0x64 0x100
	cmp a b 2048 8
	save b 2048 out.bin
	expect32 b+2048 0               # past what came back: zeroed
	buf free a
	buf free b
	EOF
	chmod +x "$D/dma.dmt"
}

# check_round_trip MODE: the script's output and what came back.
check_round_trip() {
	local bus

	assert_line --index 0 --regexp '^a: DMA buffer for edu at bus 0x[0-9a-f]{8}, size 0x1000 \(4K\)$'
	assert_line --index 1 --regexp '^b: DMA buffer for edu at bus 0x[0-9a-f]{8}, size 0x1000 \(4K\)$'
	assert_line --index 2 --regexp "^edu: interrupt after [0-9]+\.[0-9]{3} ms \($1, count [0-9]+\)$"
	assert_line --index 3 "$(printf '0x%08x: 0x00000100 (as expected)' $((EDU + 0x24)))"
	assert_line --index 4 --regexp "^edu: interrupt after [0-9]+\.[0-9]{3} ms \($1, count [0-9]+\)$"
	assert_line --index 5 "$(printf '0x%08x: 0x00000100 (as expected)' $((EDU + 0x24)))"
	assert_line --index 6 "b+0x800: 0x00000000 (as expected)"
	assert_equal "${#lines[@]}" 7
	# the rule's dma-mask (EDU_DMA_BITS): the device reaches both buffers
	for bus in $(echo "$output" | sed -n 's/.* at bus \(0x[0-9a-f]*\),.*/\1/p'); do
		[ $((bus + 0x1000)) -le $((1 << EDU_DMA_BITS)) ] || { echo "bus $bus past $EDU_DMA_BITS bits"; return 1; }
	done
	cmp "$D/pattern.bin" "$D/out.bin"
	# freed: the window holds no buffer any more
	run grep -c "^edu .* dma 0x0/0x10000 mask $EDU_DMA_BITS irq$" /proc/driver/physmem
	assert_output 1
}

@test "a DMA round trip RAM -> edu -> RAM, with irqwait (MSI, the device has it)" {
	dma_script
	run "$D/dma.dmt"
	assert_success
	check_round_trip msi
}

@test "a DMA round trip RAM -> edu -> RAM, with irqwait in mode intx" {
	dma_script intx
	run "$D/dma.dmt"
	assert_success
	check_round_trip intx
}

@test "the dry run of the DMA script: the plan, the bus addresses as written, nothing allocated or written" {
	dma_script
	devmemtool w64 edu+0x80 0x123000
	run devmemtool -n -f "$D/dma.dmt"
	assert_success
	assert_line --index 0 "dry-run: buf alloc 0x1000 bytes (4K) for edu as a"
	assert_line --index 3 "$(printf 'dry-run: w64 0x%08x <- a.bus' $((EDU + 0x80)))"
	assert_line --index 7 "dry-run: irqwait edu: wait for its interrupt, at most 5000 ms"
	assert_line --index 11 "$(printf 'dry-run: w64 0x%08x <- b.bus' $((EDU + 0x88)))"
	run devmemtool -q r64 edu+0x80
	assert_output 0x0000000000123000
	[ ! -e "$D/out.bin" ]
}

@test "the factorial-done interrupt: irqwait, then the result, acknowledged (MSI and INTx)" {
	for mode in "" " mode intx"; do
		cat >"$D/fact.dmt" <<-EOF
		w32 edu+0x20 0x80               # interrupt when a factorial is done
		w32 edu+0x08 5
		irqwait edu 5000$mode
		expect edu+0x08 120
		expect edu+0x24 0x1
		w32 edu+0x64 0x1
		w32 edu+0x20 0
		EOF
		run devmemtool -f "$D/fact.dmt"
		assert_success
		assert_line --index 0 --regexp "^edu: interrupt after [0-9]+\.[0-9]{3} ms \($([ -n "$mode" ] && echo intx || echo msi), count [0-9]+\)$"
		assert_line --index 1 "$(printf '0x%08x: 0x00000078 (as expected)' $((EDU + 8)))"
		assert_line --index 2 "$(printf '0x%08x: 0x00000001 (as expected)' $((EDU + 0x24)))"
	done
}

@test "irqwait times out with exit 1 and says so; the lines after it do not run" {
	run devmemtool irqwait edu 200
	assert_failure 1
	assert_output "devmemtool: irqwait edu: no interrupt within 200 ms"
	printf 'w32 edu+0x04 0\nirqwait edu 100 mode intx\nw32 edu+0x04 0x12345678\n' >"$D/t.dmt"
	run devmemtool -f "$D/t.dmt"
	assert_failure 1
	assert_output "$D/t.dmt:2: irqwait edu: no interrupt within 100 ms"
	run devmemtool -q r32 edu+0x04
	assert_output 0xffffffff
}

@test "a buffer past the policy's dma limit is refused with libphys's message, exit 1" {
	run devmemtool buf alloc 128K for edu as big
	assert_failure 1
	assert_output --regexp '^devmemtool: buf alloc big: window edu: .*64 KiB'
	printf 'buf alloc 32K for edu as a\nbuf alloc 32K for edu as b\nbuf alloc 4K for edu as c\necho not-reached\n' >"$D/l.dmt"
	run devmemtool -f "$D/l.dmt"
	assert_failure 1
	assert_line --index 2 --regexp "^$D/l.dmt:3: buf alloc c: window edu: .*64 KiB are held"
	refute_output --partial not-reached
	# buf free gives the memory back: the limit counts what is held
	printf 'buf alloc 48K for edu as a\nbuf free a\nbuf alloc 48K for edu as b\n' >"$D/f.dmt"
	run devmemtool -q -f "$D/f.dmt"
	assert_success
}

@test "a rule that grants no dma or irq: refused when the script runs, the interrupt before its first line" {
	printf 'allow edu pci 1234:11e8 bar 0 rw\n' >"$D/plain.conf"
	physmem-policy load "$D/plain.conf"
	run devmemtool buf alloc 4K for edu as a
	assert_failure 1
	assert_output --regexp '^devmemtool: buf alloc a: window edu: .*grants no dma'
	devmemtool w32 edu+0x04 0
	printf 'w32 edu+0x04 0x12345678\nirqwait edu 100\n' >"$D/i.dmt"
	run devmemtool -f "$D/i.dmt"
	assert_failure 1
	assert_output --regexp "^$D/i.dmt:2: irqwait edu: window edu: .*grants no irq"
	run devmemtool -q r32 edu+0x04
	assert_output 0xffffffff
}
