#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# devmemtool's DMA buffers and interrupts (issue 14): buf alloc/free,
# NAME[+OFF] as a target, NAME.bus in values, irqwait. What a script's
# preparation decides (names, sizes, bounds, where a bus address may
# stand) is checked with no driver, a dry run deciding the same; what
# only the run knows (the policy's grants, the bus address) with no
# driver and with the fake one (fakedma.bash).
# tests/vm/guest/devmemtool-dma.bats runs the real driver with edu.

load devmemtool
load fakedma

setup() {
	mem_file
	S="$BATS_TEST_TMPDIR/s.dmt"
	# no /dev/physmem there: the run's refusals are "no driver"
	NODRV="$BATS_TEST_TMPDIR/nodrv"
	mkdir -p "$NODRV"
	DMT=(devmemtool --sysroot "$NODRV")
}

hex_at() {	# OFFSET COUNT
	od -v -An -tx1 -j "$1" -N "$2" "$F" | tr -d ' \n'
}

# The fake driver with its DMA and interrupts, and three windows.
fake_setup() {
	fakedma_build
	fakedrv_setup
	window edu 0xfea00000 0x100000 rw mmap dma=0x10000 bits=28 irq msi intx pci
	window plain 0xfeb00000 0x1000 rw mmap pci
	# not mapped: each access is a pread/pwrite in the call log
	window dev 0xfec00000 0x1000 rw dma=0x4000 irq msi pci
	FAKE=(fakedma devmemtool --sysroot "$ROOT")
}

@test "a dry run of a DMA script: the plan, bus addresses as written, nothing allocated or opened" {
	cat >"$S" <<-EOF
	buf alloc 100 for edu as a
	buf alloc 8K for edu as b
	fill a 4096 0x5a 4
	w64 $T+0x80 a.bus
	w64 $T+0x88 b.bus+0x100
	w32 $T+0x90 "(b.bus >> 32) & 0xffff"
	expect64 $T+0x80 a.bus
	poll64 $T+0x80 0xffffffffffffffff a.bus 10
	dump b+0x1ff0 16
	cmp a b 4096 8
	irqwait edu 5000 mode msi
	irqwait edu
	buf free a
	EOF
	run "${DMT[@]}" -n -f "$S"
	assert_success
	assert_output "dry-run: buf alloc 0x1000 bytes (4K) for edu as a
dry-run: buf alloc 0x2000 bytes (8K) for edu as b
dry-run: fill a+0x0 <- 0x0000005a x 0x1000 bytes, width 4
dry-run: w64 $T+0x80 <- a.bus
dry-run: w64 $T+0x88 <- b.bus+0x100
dry-run: w32 $T+0x90 <- (b.bus >> 32) & 0xffff
dry-run: expect64 $T+0x80 expect (value & 0xffffffffffffffff) == a.bus
dry-run: poll64 $T+0x80 until (value & 0xffffffffffffffff) == a.bus, 10 ms, every 10 us
dry-run: dump b+0x1ff0 read 0x10 bytes, width 1
dry-run: cmp a+0x0 with b+0x0, 0x1000 bytes, width 8
dry-run: irqwait edu: wait for its interrupt in mode msi, at most 5000 ms
dry-run: irqwait edu: wait for its interrupt, at most 1000 ms
dry-run: buf free a"
	[ "$(hex_at 0x80 24)" = "$(printf '%048d' 0)" ]
	run "${DMT[@]}" -n -j buf alloc 4K for edu as a
	assert_success
	assert_output '{"cmd":"buf","dry_run":true,"access":"alloc 0x1000 bytes (4K) for edu as a"}'
}

@test "a bad line in a DMA script is refused before any line runs, and a dry run says the same" {
	local -a bad=(
		'r32 a+0x1000|r32 a+0x1000: 0x4 bytes at offset 0x1000 run past the end of a (size 0x1000)'
		'r32 a+2|r32 a+2: 32-bit access at a+0x2 is not 4-byte aligned'
		'fill a 4097 1|fill a: 0x1001 bytes at offset 0x0 run past the end of a (size 0x1000)'
		'dump a+8 4096|dump a+8: 0x1000 bytes at offset 0x8 run past the end of a (size 0x1000)'
		'copy a a+0x800 0x801|copy a+0x800: 0x801 bytes at offset 0x800 run past the end of a'
		"w64 $T zz.bus|w64: VALUE zz.bus: no DMA buffer is named zz (buf alloc SIZE for WINDOW as NAME)"
		"w64 $T a.foo|w64: VALUE a.foo: a DMA buffer has .bus (its bus address), no .foo"
		"w64 $T a|w64: VALUE a: 'a' is a DMA buffer: its bus address is a.bus"
		'r32 a.bus|r32 a.bus: the bus address of the DMA buffer a is a value for the device, not an address here'
		'r32 a.bus+4|r32 a.bus+4: the bus address of the DMA buffer a is known only when the line runs'
		'r32 a.CTRL|r32 a.CTRL: a is a DMA buffer: it has no registers (a.bus is its bus address)'
		"dump $T a.bus|dump: LEN a.bus: the bus address of the DMA buffer a is known only when the line runs"
		"set32 $T a.bus|set32: BITS a.bus: the bus address of the DMA buffer a is known only"
		"poll32 $T a.bus 0|poll32: MASK a.bus: the bus address of the DMA buffer a is known only"
		'const B = a.bus|const: VALUE a.bus: the bus address of the DMA buffer a is known only'
		'buf alloc 4K for edu as a|buf: '"'a'"' is already a DMA buffer'"'"'s name'
		'buf alloc 0 for edu as c|buf: SIZE must not be 0'
		"buf alloc 4x for edu as c|buf: SIZE '4x': not a number"
		'buf alloc 010 for edu as c|buf: SIZE '"'010'"': leading zero'
		'buf alloc 0xffffffffffffffff for edu as c|buf: SIZE 0xffffffffffffffff is too large'
		'buf alloc 4K for edu as c-d|buf: bad NAME '"'c-d'"': a letter, then letters, digits or '"'_'"
		'buf alloc 4K for edu as w32|buf: '"'w32'"' cannot be a name: it is a command'
		'buf alloc 4K edu as c|buf: expected '"'alloc SIZE for WINDOW as NAME'"
		'buf alloc 4K for a as c|buf: '"'a'"' is a DMA buffer; WINDOW is a driver window'"'"'s name'
		'buf alloc 4K for bad/w as c|buf: WINDOW bad name '"'bad/w'"
		'buf grab 4K|buf: expected '"'alloc' or 'free', not 'grab'"
		'buf free zz|buf free zz: no DMA buffer is named zz'
		"irqwait edu soon|irqwait: TIMEOUT_MS 'soon': not a number"
		'irqwait edu 0x80000000|irqwait: TIMEOUT_MS 0x80000000 out of range (at most 2147483647)'
		"irqwait edu 100 mode fast|irqwait: unknown mode 'fast': intx or msi"
		"irqwait edu 100 fast|irqwait: expected 'mode intx' or 'mode msi' after TIMEOUT_MS"
		"irqwait a|irqwait: 'a' is a DMA buffer; WINDOW is a driver window's name"
		'map a|map a: a DMA buffer: its memory is a[+OFF] as it is'
		'unmap a|unmap a: a DMA buffer, not a map (buf free a frees it)'
		"map $T as a|map: 'a' is already a DMA buffer's name"
		"const a = 1|const: 'a' is already a DMA buffer's name"
	)
	local entry line want expected
	for entry in "${bad[@]}"; do
		line=${entry%%|*} want=${entry#*|}
		printf 'w32 %s 0x11223344\nbuf alloc 100 for edu as a\necho ran\n%s\n' "$T" "$line" >"$S"
		run "${DMT[@]}" -f "$S"
		[ "$status" -eq 1 ] || { echo "exit $status for: $line: $output"; return 1; }
		[[ $output == "$S:4: $want"* ]] || { echo "for: $line: $output"; return 1; }
		[ "${#lines[@]}" -eq 1 ] || { echo "more than one error for: $line: $output"; return 1; }
		[ "$(hex_at 0 4)" = 00000000 ] || { echo "touched by: $line"; return 1; }
		expected=$output
		run "${DMT[@]}" -n -f "$S"
		[ "$status" -eq 1 ] && [ "$output" = "$expected" ] ||
			{ echo "dry run differs for: $line: $output"; return 1; }
	done
}

@test "a buffer's name stands from its buf alloc line to its buf free line" {
	printf 'r32 a\nbuf alloc 4K for edu as a\n' >"$S"
	run "${DMT[@]}" -n -f "$S"
	assert_failure 1
	assert_output --regexp "^$S:1: r32 a: "
	printf 'buf alloc 4K for edu as a\nbuf free a\nr32 a+4\nw64 %s a.bus\nbuf free a\nr32 a.bus\n' "$T" >"$S"
	run "${DMT[@]}" -n -f "$S"
	assert_failure 1
	assert_output "$S:3: r32 a+4: the DMA buffer a was freed (buf free at $S:2)
$S:4: w64: VALUE a.bus: the DMA buffer a was freed (buf free at $S:2) (usage: w64 ADDR VALUE [VALUE...])
$S:5: buf free a: the DMA buffer a was freed (buf free at $S:2)
$S:6: r32 a.bus: the DMA buffer a was freed (buf free at $S:2)"
	# freed, the name may be given again: to a buffer of its own size
	printf 'buf alloc 4K for edu as a\nbuf free a\nbuf alloc 8K for edu as a\nr32 a+0x1ffc\n' >"$S"
	run "${DMT[@]}" -n -f "$S"
	assert_success
	assert_line --index 3 "dry-run: r32 a+0x1ffc read 1 x 4 bytes"
	# a constant naming it as a target follows it
	printf 'buf alloc 4K for edu as a\nconst TAIL = a+0xff0\nr32 TAIL+0xc\n' >"$S"
	run "${DMT[@]}" -n -f "$S"
	assert_success
	assert_line --index 1 "dry-run: r32 a+0xffc read 1 x 4 bytes"
}

@test "a buffer's NAME is no map, constant, window or command; WINDOW may be a map name standing for a window" {
	for pre in "map $T as m" 'const m = 1' 'buf alloc 4K for edu as m'; do
		printf '%s\nbuf alloc 4K for edu as m\n' "$pre" >"$S"
		run "${DMT[@]}" -n -f "$S"
		assert_failure 1
		assert_output --regexp "^$S:2: buf: 'm' is already a (map name|constant|DMA buffer's name) "
	done
	printf 'map %s as m\nbuf alloc 4K for m as a\n' "$T" >"$S"
	run "${DMT[@]}" -n -f "$S"
	assert_failure 1
	assert_output "$S:2: buf: 'm' stands for $T, not a driver window's name (usage: buf alloc SIZE for WINDOW as NAME | free NAME)"
	printf 'const W = edu\nbuf alloc 4K for W as a\nirqwait W 10\n' >"$S"
	run "${DMT[@]}" -n -f "$S"
	assert_success
	assert_output "dry-run: buf alloc 0x1000 bytes (4K) for edu as a
dry-run: irqwait W: wait for its interrupt, at most 10 ms"
}

@test "irqwait: one interrupt mode a device for a run" {
	printf 'irqwait edu 10 mode msi\nirqwait edu 10\nirqwait edu 10 mode intx\n' >"$S"
	run "${DMT[@]}" -n -f "$S"
	assert_failure 1
	assert_output "$S:3: irqwait edu: mode intx: an irqwait before it asks for msi; a device's interrupt is opened in one mode"
}

@test "without the driver: buf alloc and irqwait fail when they run, with libphys's reason, exit 1" {
	run "${DMT[@]}" buf alloc 4K for edu as a
	assert_failure 1
	assert_output --regexp "^devmemtool: buf alloc a: DMA buffers for window edu come from the physmem driver: .*$NODRV/dev/physmem"
	# the lines after a failed allocation: the run stops there, or
	# with --keep-going each says so
	printf 'buf alloc 4K for edu as a\nfill a 16 1\nw64 %s a.bus\necho end\n' "$T" >"$S"
	run "${DMT[@]}" -f "$S"
	assert_failure 1
	assert_output --regexp "^$S:1: buf alloc a: "
	refute_output --partial end
	run "${DMT[@]}" -k -f "$S"
	assert_failure 1
	assert_line --index 1 "$S:2: fill a: the DMA buffer is not allocated (its buf alloc failed)"
	assert_line --index 2 "$S:3: w64 $T: VALUE a.bus: the DMA buffer a is not allocated (its buf alloc failed)"
	assert_line --index 3 end
	# a device's interrupt is opened before the first line runs: a
	# script that waits for one it cannot have does not start
	printf 'w32 %s 0x11\nirqwait edu 100\n' "$T" >"$S"
	run "${DMT[@]}" -f "$S"
	assert_failure 1
	assert_output --regexp "^$S:2: irqwait edu: interrupts for window edu come from the physmem driver: "
	[ "$(hex_at 0 4)" = 00000000 ]
	run "${DMT[@]}" -k -f "$S"
	assert_failure 1
	assert_output --regexp "^$S:2: irqwait edu: interrupts for window edu "
	[ "$(hex_at 0 4)" = 11000000 ]
}

@test "help explains buf and irqwait" {
	run devmemtool help buf
	assert_success
	assert_output "usage: buf alloc SIZE for WINDOW as NAME | free NAME
  a DMA buffer for WINDOW's device: NAME[+OFF] its memory, NAME.bus its bus address"
	run devmemtool help irqwait
	assert_line --index 0 "usage: irqwait WINDOW [TIMEOUT_MS] [mode intx|msi]"
}

# ---- with the (fake) driver ----------------------------------------------

@test "fake driver: buffers are allocated as their line runs, NAME.bus is worked out then, a dry run allocates nothing" {
	fake_setup
	cat >"$S" <<-'EOF'
	buf alloc 4K for edu as a
	buf alloc 100 for edu as b
	fill a 4096 0x5a
	w64 edu+0x80 a.bus
	w64 edu+0x88 b.bus+0x100
	w32 edu+0x90 "(b.bus >> 12) & 0xffff"
	expect64 edu+0x80 a.bus
	poll64 edu+0x88 0xffffffffffffffff b.bus+0x100 100
	copy a b 4096 8
	cmp a b 4096 4
	w8 b+0x7 0x11
	r32 b+0x4
	save b 16 b.bin
	buf free a
	EOF
	run "${FAKE[@]}" -f "$S"
	assert_success
	assert_output "a: DMA buffer for edu at bus 0x01000000, size 0x1000 (4K)
b: DMA buffer for edu at bus 0x01001000, size 0x1000 (4K)
0xfea00080: 0x0000000001000000 (as expected)
0xfea00088: 0x0000000001001100 (poll matched after $(echo "$output" | sed -n 's/.*poll matched after \([0-9.]*\) ms.*/\1/p') ms)
b+0x4: 0x115a5a5a"
	[ "$(mem_at 0xfea00080 8)" = 0000000100000000 ]
	[ "$(mem_at 0xfea00088 8)" = 0011000100000000 ]
	[ "$(mem_at 0xfea00090 4)" = 01100000 ]
	[ "$(od -An -tx1 "$BATS_TEST_TMPDIR/b.bin" | tr -d ' \n')" = 5a5a5a5a5a5a5a115a5a5a5a5a5a5a5a ]
	run calls
	assert_line "dma_alloc edu 4096"
	assert_line "dma_alloc edu 100"
	assert_line --regexp "^dma_free 0x"
	# the dry run: the same plan, the fake driver asked for nothing
	run "${FAKE[@]}" -n -f "$S"
	assert_success
	assert_line --index 3 "dry-run: w64 0xfea00080 <- a.bus"
	run calls
	refute_output --partial dma_alloc
	run "${FAKE[@]}" -j buf alloc 4K for edu as a
	assert_success
	assert_output '{"cmd":"buf","action":"alloc","name":"a","window":"edu","bus":16777216,"bus_hex":"0x1000000","size":4096}'
	run "${FAKE[@]}" -q buf alloc 4K for edu as a
	assert_success
	assert_output ""
}

@test "fake driver: a bus address that does not fit its value's width fails that line when it runs" {
	fake_setup
	printf 'buf alloc 4K for edu as a\nw32 edu+0x90 1\nw32 edu+0x90 a.bus<<8\necho not-reached\n' >"$S"
	run "${FAKE[@]}" -n -f "$S"
	assert_success
	run "${FAKE[@]}" -f "$S"
	assert_failure 1
	assert_output --partial "$S:3: w32 edu+0x90: VALUE a.bus<<8 is 0x100000000: it does not fit in 32 bits"
	refute_output --partial not-reached
	[ "$(mem_at 0xfea00090 4)" = 01000000 ]
	# expect: a value with bits outside its MASK
	printf 'buf alloc 4K for edu as a\nexpect32 edu+0x90 a.bus 0xff\n' >"$S"
	run "${FAKE[@]}" -f "$S"
	assert_failure 1
	assert_output --partial "$S:2: expect32 edu+0x90: VALUE a.bus is 0x1000000: it has bits outside MASK 0xff"
}

@test "fake driver: the policy's limit, and a window without dma, refuse when the line runs" {
	fake_setup
	run "${FAKE[@]}" buf alloc 128K for edu as big
	assert_failure 1
	assert_output --regexp "^devmemtool: buf alloc big: window edu: .*64 KiB"
	printf 'buf alloc 32K for edu as a\nbuf alloc 32K for edu as b\nbuf alloc 1 for edu as c\necho not-reached\n' >"$S"
	run "${FAKE[@]}" -f "$S"
	assert_failure 1
	assert_line --index 2 --regexp "^$S:3: buf alloc c: window edu: .*64 KiB are held"
	refute_output --partial not-reached
	run "${FAKE[@]}" buf alloc 4K for plain as a
	assert_failure 1
	assert_output --regexp "^devmemtool: buf alloc a: window plain: .*grants no dma"
}

@test "fake driver: irqwait counts an interrupt that came, times out with exit 1, and opens before the first line" {
	fake_setup
	FAKEDRV_IRQ_PENDING=1 run "${FAKE[@]}" irqwait edu 200
	assert_success
	assert_output --regexp '^edu: interrupt after [0-9]+\.[0-9]{3} ms \(msi, count 1\)$'
	FAKEDRV_IRQ_PENDING=2 run "${FAKE[@]}" -q irqwait edu 200
	assert_success
	assert_output ""
	FAKEDRV_IRQ_FIRE=unmask run "${FAKE[@]}" -j irqwait edu 200 mode intx
	assert_success
	assert_output --regexp '^\{"cmd":"irqwait","window":"edu","mode":"intx","count":1,"elapsed_us":[0-9]+\}$'
	run "${FAKE[@]}" irqwait edu 200
	assert_failure 1
	assert_output "devmemtool: irqwait edu: no interrupt within 200 ms"
	run "${FAKE[@]}" irqwait edu 0
	assert_failure 1
	assert_output "devmemtool: irqwait edu: no interrupt within 0 ms"
	run "${FAKE[@]}" irqwait plain 10
	assert_failure 1
	assert_output --regexp "^devmemtool: irqwait plain: window plain: .*grants no irq"
	# opened before the first line runs: the write to the device comes after
	printf 'w32 dev+0x4 1\nirqwait dev 100\n' >"$S"
	FAKEDRV_IRQ_PENDING=1 run "${FAKE[@]}" -f "$S"
	assert_success
	run calls
	assert_output --regexp "^irq_open dev 0
pwrite 4 0xfec00004
"
	# a window without irq: nothing runs
	printf 'w32 dev+0x8 1\nirqwait plain 100\n' >"$S"
	run "${FAKE[@]}" -f "$S"
	assert_failure 1
	assert_output --regexp "^$S:2: irqwait plain: window plain: "
	run calls
	refute_output --partial pwrite
}
