#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# devmemtool with register maps, on file: targets: registers and fields by
# name, enum values, the maps' access rules on every command whether it
# names a register or gives its address, dry runs, regs and --json,
# snapshots, binding by PCI ID on a fake system tree, REPL completion and
# the compiled-map cache. File contents are checked with od, never with
# devmemtool's own reads.
#
# Fixtures (tests/host/regmaps/devmemtool): dev.regmap, a block bound with
# `map $T as dev regmap ...`, one register per rule; chip.regmap, an
# absolute map served by a file standing at 0x40000000; case.regmap, enum
# names that differ only in case.

load devmemtool
bats_require_minimum_version 1.5.0

MAPS="$TOP/tests/host/regmaps/devmemtool"
DEV="$MAPS/dev.regmap"
CHIP="$MAPS/chip.regmap"
RP2040="$TOP/../shared/data/svd/RP2040.svd"
DUMP="$TOP/tests/host/progs/regmap-dump"

setup_file() {
	make -s -C "$TOP/libphys" >/dev/null
	make -s -C "$TOP/devmemtool" >/dev/null
	make -s -C "$TOP/tests/host/progs" regmap-dump >/dev/null
}

setup() {
	mem_file
	# the compiled-map cache of these tests stays in their directory
	export XDG_CACHE_HOME="$BATS_TEST_TMPDIR/cache"
	unset PHYSMEM_REGMAP_PATH
	S="$BATS_TEST_TMPDIR/s.dmt"
}

teardown() {
	[ -z "${SOCK:-}" ] || tmux -L "$SOCK" kill-server 2>/dev/null || true
}

hex_at() {	# OFFSET COUNT: the file's bytes, as hex
	od -v -An -tx1 -j "$(($1))" -N "$2" "$F" | tr -d ' \n'
}

put() {		# OFFSET HEXBYTES: write raw bytes into the file
	printf "$(echo "$2" | sed 's/../\\x&/g')" |
		dd of="$F" bs=1 seek=$(($1)) conv=notrunc status=none
}

script() {	# LINE...: $S, the lines after binding dev.regmap to $T as dev
	{
		echo "map $T as dev regmap $DEV"
		printf '%s\n' "$@"
	} >"$S"
}

dmt() {		# [OPTION...]: run the script $S
	run devmemtool "$@" -f "$S"
}

# A file standing at a physical address: `file:PATH@ADDR` (issue 13).
need_at_target() {
	devmemtool "map" "file:$F@0x40000000" >/dev/null 2>&1 ||
		skip "file:PATH@ADDR targets are not there yet"
}

# ---- names -------------------------------------------------------------

@test "r and w by name: the register's own width at its offset, nothing beside it" {
	put 0x20 eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee
	script "w dev.TAIL 0x12345678" "w dev.SMALL 0xab" "w dev.HALF 0xbeef" \
		"w dev.WIDE 0x1122334455667788" "r dev.TAIL" "r dev.SMALL" "r dev.WIDE"
	dmt
	assert_success
	assert_line "dev.TAIL: 0x12345678"
	assert_line "dev.SMALL: 0xab"
	assert_line "dev.WIDE: 0x1122334455667788"
	[ "$(hex_at 0x20 8)" = 8877665544332211 ]
	[ "$(hex_at 0x28 1)" = ab ]
	[ "$(hex_at 0x29 1)" = ee ]
	[ "$(hex_at 0x2a 2)" = efbe ]
	[ "$(hex_at 0x2c 4)" = 78563412 ]
	[ "$(hex_at 0x30 4)" = eeeeeeee ]
}

@test "a field write changes only the field's bits; r decodes fields and enum names" {
	put 0 010a0000
	script "w dev.CTRL.MODE FAST" "r dev.CTRL" "r dev.CTRL.MODE" "r dev.CTRL.DIV"
	dmt
	assert_success
	[ "$(hex_at 0 4)" = 210a0000 ]
	assert_line "dev.CTRL: 0x00000a21  EN=1 MODE=FAST (2) DIV=0xa SEL=0 LOCK=0"
	assert_line "dev.CTRL.MODE: FAST (2)"
	assert_line "dev.CTRL.DIV: 0xa"
}

@test "enum names as values: exact, then in any case; a number works as well" {
	script "w dev.CTRL.MODE Turbo"
	dmt
	assert_success
	[ "$(hex_at 0 4)" = 30000000 ]
	script "w dev.CTRL.MODE fast" "w dev.CTRL.SEL pll"
	dmt
	assert_success
	[ "$(hex_at 0 4)" = 20000200 ]
	script "w dev.CTRL.MODE 1"
	dmt
	assert_success
	[ "$(hex_at 0 4)" = 10000200 ]
	script "w dev.CTRL.MODE FASTER"
	dmt
	assert_failure
	assert_output --partial "CTRL.MODE has no value named 'FASTER' (it has: OFF, SLOW, FAST, Turbo)"
	[ "$(hex_at 0 4)" = 10000200 ]
}

@test "an enum name that matches several values once case is ignored is refused" {
	{
		echo "map $T as c regmap $MAPS/case.regmap"
		echo "w c.R.SPEED fast"
	} >"$S"
	dmt
	# Fast (1) or FAST (2)? Either guess writes the wrong value half the time.
	assert_failure
	[ "$(hex_at 0 4)" = 00000000 ]
	# exactly spelt, each is its own value; one match in another case is fine
	{
		echo "map $T as c regmap $MAPS/case.regmap"
		echo "w c.R.SPEED FAST"
		echo "w c.R.SPEED SLOW"
	} >"$S"
	dmt
	assert_success
	[ "$(hex_at 0 4)" = 03000000 ]
}

@test "a constant named like one of a field's enum values does not silently replace it" {
	script "const FAST = 1" "w dev.CTRL.MODE FAST"
	dmt
	# MODE's FAST is 2; writing the constant's 1 (SLOW) without a word is wrong
	if [ "$status" -eq 0 ]; then
		[ "$(hex_at 0 4)" = 20000000 ]
	else
		[ "$(hex_at 0 4)" = 00000000 ]
	fi
}

@test "an unknown register gets a suggestion, an unknown field its register's name" {
	script "r dev.CTRLL"
	dmt
	assert_failure
	assert_output --partial "register map dev has no register 'CTRLL'; did you mean CTRL?"
	script "r dev.CTRL.ENN"
	dmt
	assert_failure
	assert_output --partial "register CTRL has no field 'ENN'"
	script "w nodev.CTRL 1"
	dmt
	assert_failure
	assert_output --partial "no register map in use names 'nodev.CTRL'"
	[ "$(hex_at 0 64)" = "$(printf '%0128d' 0)" ]
}

@test "a field is refused by the commands that take a register or an address" {
	for line in "r32 dev.CTRL.EN" "w32 dev.CTRL.EN 1" "set32 dev.CTRL.EN 1" \
		"dump dev.CTRL.MODE 4" "fill dev.CTRL.EN 4 0xff"; do
		script "$line"
		dmt
		assert_failure
		assert_output --partial "a field: r, w, poll and expect take fields"
	done
	[ "$(hex_at 0 4)" = 00000000 ]
}

@test "REG+OFFSET: bytes past a register, under the rules of the registers there" {
	script "w32 dev.HALF+2 0x11223344" "r32 dev.CTRL+0x2c"
	dmt
	assert_success
	assert_line "dev+0x2c: 0x11223344"
	[ "$(hex_at 0x2c 4)" = 44332211 ]
	for line in "w32 dev.CTRL+4 1" "w8 dev.STATUS+1 1"; do
		script "$line"
		dmt
		assert_failure
		assert_output --partial "dev.STATUS is read-only"
	done
	script "r32 dev.INTR+4"
	dmt
	assert_failure
	assert_output --partial "CMD is write-only"
	for line in "r32 dev.TAIL+0xfd4" "r32 dev.CTRL+0xffffffffffffffff" \
		"w32 dev.TAIL+0xfffffffffffffff0 1" "w32 dev.CTRL.EN+4 1" "w dev.CTRL+4 1"; do
		script "$line"
		dmt
		assert_failure
	done
	[ "$(hex_at 0 8)" = 0000000000000000 ]
}

@test "values too wide for a register or a field are refused and nothing is written" {
	put 0x28 eeeeeeee
	for line in "w dev.CTRL.MODE 4" "w dev.CTRL 0x100000000" "w dev.HALF 0x10000" \
		"w dev.HALF.HI 0x100" "w dev.SMALL 0x100" "w dev.CTRL.EN 2"; do
		script "$line"
		dmt
		assert_failure
		assert_output --regexp "does not fit"
	done
	[ "$(hex_at 0 4)" = 00000000 ]
	[ "$(hex_at 0x28 4)" = eeeeeeee ]
}

@test "a field value past 64 bits says it is too large, not that it is no enum name" {
	script "w dev.CTRL.MODE 0x10000000000000000"
	dmt
	assert_failure
	assert_output --partial "64 bits"
	refute_output --partial "no value named"
}

@test "writeConstraint: a field's range and its enums-only are kept" {
	for line in "w dev.CTRL.DIV 1" "w dev.CTRL.DIV 201"; do
		script "$line"
		dmt
		assert_failure
		assert_output --partial "CTRL.DIV takes 2 to 200 (writeConstraint)"
	done
	script "w dev.CTRL.SEL 3"
	dmt
	assert_failure
	assert_output --partial "CTRL.SEL takes only its named values (writeConstraint)"
	[ "$(hex_at 0 4)" = 00000000 ]
	script "w dev.CTRL.DIV 2" "w dev.CTRL.SEL XTAL"
	dmt
	assert_success
	[ "$(hex_at 0 4)" = 00020100 ]
	script "w dev.CTRL.DIV 200"
	dmt
	assert_success
	[ "$(hex_at 0 4)" = 00c80100 ]
}

@test "absolute maps: SVD registers by name on a file standing at their address" {
	[ -r "$RP2040" ] || skip "no $RP2040"
	need_at_target
	printf '%s\n' "map file:$F@0x40034000" "w32 UART0.UARTICR 0xffffffff" \
		"w UART0.UARTICR.RXIC 1" "w UART0.UARTCR.RXE 1" "w UART0.UARTIBRD.BAUD_DIVINT 0x1a2" \
		"r UART0.UARTCR" >"$S"
	run devmemtool --regmap "$RP2040" -f "$S"
	assert_success
	assert_line --partial "UART0.UARTCR: 0x00000200  UARTEN=0 SIREN=0 SIRLP=0 LBE=0 TXE=0 RXE=1"
	# UARTICR: its fields are oneToClear (0 but RXIC); bits 11-31, no field's,
	# keep what was read
	[ "$(hex_at 0x44 4)" = 10f8ffff ]
	[ "$(hex_at 0x30 4)" = 00020000 ]
	[ "$(hex_at 0x24 4)" = a2010000 ]
	# UARTDR.DATA's read pops the FIFO: a field write that must read is refused
	printf '%s\n' "map file:$F@0x40034000" "w UART0.UARTDR.DATA 0x41" >"$S"
	run devmemtool --regmap "$RP2040" -f "$S"
	assert_failure
	assert_output --partial "that read has a side effect"
	[ "$(hex_at 0 4)" = 00000000 ]
	printf '%s\n' "map file:$F@0x40034000" "w UART0.UARTDR 0x41" >"$S"
	run devmemtool --regmap "$RP2040" -f "$S"
	assert_success
	[ "$(hex_at 0 4)" = 41000000 ]
}

@test "absolute native maps: a top-level register is named as regs lists it" {
	need_at_target
	printf '%s\n' "map file:$F@0x40000000" "regs SYS" >"$S"
	run devmemtool --regmap "$CHIP" -f "$S"
	assert_success
	assert_line --regexp "^0x40000100 +32 +rw +0x00000000 +SYS +System$"
	printf '%s\n' "map file:$F@0x40000000" "w SYS 0x5a" "r SYS" >"$S"
	run devmemtool --regmap "$CHIP" -f "$S"
	assert_success
	assert_line "SYS: 0x0000005a"
	[ "$(hex_at 0x100 4)" = 5a000000 ]
}

@test "--regmap takes only a map of addresses; a block's map is told how to bind it" {
	run devmemtool --regmap "$DEV" regs
	assert_failure 2
	assert_output --partial "gives offsets in a block, not addresses"
	assert_output --partial "bind it to its target with \`map TARGET as NAME regmap $DEV\`"
	run devmemtool --regmap "$BATS_TEST_TMPDIR/none.regmap" regs
	assert_failure 2
	assert_output --partial "none.regmap: No such file or directory"
}

# ---- the access rules -------------------------------------------------------

@test "W1C field write: oneToClear/oneToSet neighbours 0, zeroToClear 1s, the rest kept from the read" {
	# INTR: DONE 0 w1c, ERR 1 w1c, NEG 15:8 w0c, ARM 16 w1s, LEVEL 27:24
	# normal; bits 2-7, 17-23 and 28-31 belong to no field (kept)
	put 8 5a5a5a5a
	script "w dev.INTR.DONE 1"
	dmt
	assert_success
	[ "$(hex_at 8 4)" = 59ff5a5a ]
	put 8 ffffffff
	script "w dev.INTR.ERR 1"
	dmt
	assert_success
	[ "$(hex_at 8 4)" = fefffeff ]
	put 8 5a5a5a5a
	script "w dev.INTR.LEVEL 3"
	dmt -n
	assert_success
	assert_line "dry-run: w dev+0x8 write dev.INTR.LEVEL: read, keep 0xf0fe00fc, set 0x0300ff00"
	[ "$(hex_at 8 4)" = 5a5a5a5a ]
	dmt
	assert_success
	[ "$(hex_at 8 4)" = 58ff5a53 ]
	# writing the zeroToClear field itself: its value, the others neutral
	put 8 5a5a5a5a
	script "w dev.INTR.NEG 0x0f"
	dmt
	assert_success
	[ "$(hex_at 8 4)" = 580f5a5a ]
}

@test "absolute map: a W1C field write on a file standing at the address" {
	need_at_target
	put 8 a6a5a5a5
	printf '%s\n' "map file:$F@0x40000000" "w UARTX.ICR.RX 1" >"$S"
	run devmemtool --regmap "$CHIP" -f "$S"
	assert_success
	# RX 1, TX (oneToClear) 0, KEEP and the undescribed bits from the read
	[ "$(hex_at 8 4)" = a5a5a5a5 ]
}

@test "write-only: a field write takes the other bits from the reset value and never reads" {
	put 0x0c eeeeeeee
	script "w dev.CMD.GO 1"
	dmt -n
	assert_success
	assert_line "dry-run: w dev+0xc write dev.CMD.GO = 0x00000051"
	dmt
	assert_success
	[ "$(hex_at 0x0c 4)" = 51000000 ]
	script "w dev.CMD.ARG 2"
	dmt
	assert_success
	[ "$(hex_at 0x0c 4)" = 20000000 ]
}

@test "write-only without a known reset: a field write is refused, the whole register is written" {
	put 0x10 eeeeeeee
	script "w dev.KICK.GO 1"
	dmt
	assert_failure
	assert_output --partial "KICK.ARG, which is write-only with no known reset value; write the whole register"
	[ "$(hex_at 0x10 4)" = eeeeeeee ]
	script "w dev.KICK 0x31"
	dmt
	assert_success
	[ "$(hex_at 0x10 4)" = 31000000 ]
}

@test "write-only registers are never read, by name or by address; dump shows --" {
	put 0x0c c3c3c3c3c3c3c3c3
	for line in "r dev.CMD" "r dev.KICK.GO" "r32 dev.CMD" "r32 dev+0xc" "r8 dev+0xd" \
		"r32 dev 8" "expect32 dev+0xc 0" "poll32 dev+0x10 1 1 10" \
		"save dev+0xc 4 $BATS_TEST_TMPDIR/out.bin" "cmp dev dev+0x100 0x20" \
		"copy dev+0x10 dev+0x100 4" "devmem dev+0xc"; do
		script "$line"
		dmt
		assert_failure
		assert_output --partial "is write-only: it is never read"
		refute_output --partial "c3c3"
	done
	[ ! -e "$BATS_TEST_TMPDIR/out.bin" ]
	script "dump dev 0x20"
	dmt
	assert_success
	assert_line "00000000  00 00 00 00 00 00 00 00  00 00 00 00 -- -- -- --  |............    |"
	refute_output --partial c3
	# nor with --force: only a read that names it does
	script "dump dev 0x20" "regs --read dev.CMD" "snapshot save $BATS_TEST_TMPDIR/snap"
	dmt --force
	assert_success
	refute_output --partial c3
	run grep c3 "$BATS_TEST_TMPDIR/snap"
	assert_failure
	script "r32 dev.CMD"
	dmt --force
	assert_success
	assert_output --partial "0xc3c3c3c3"
}

@test "--readback does not read back a write-only or side-effect register" {
	script "w32 dev.CMD 1" "w32 dev+0x14 2" "w8 dev+0x10 3"
	dmt --readback
	assert_success
	refute_output --regexp "read back 0x"
	[ "$(hex_at 0x0c 12)" = 010000000300000002000000 ]
}

@test "readAction registers: dump shows --, regs --read and snapshot skip them, r and r32 say so" {
	put 0x14 c3c3c3c3c3c3c3c3
	script "dump dev+0x10 0x10"
	dmt
	assert_success
	assert_line "00000010  -- -- -- -- -- -- -- --  -- -- -- -- 00 00 00 00  |            ....|"
	# a dump whose wide accesses straddle one leaves out the whole word
	script "dump dev+0x10 0x10 8"
	dmt
	assert_success
	refute_output --partial c3
	script "regs --read"
	dmt
	assert_success
	assert_line --regexp "^dev.FIFO +\(not read: reading FIFO has a side effect \(readAction clear\)\)$"
	assert_line --regexp "^dev.FIFOST +\(not read: reading FIFOST has a side effect \(field POP has readAction clear\)\)$"
	refute_output --partial c3c3
	script "snapshot save $BATS_TEST_TMPDIR/snap"
	dmt
	assert_success
	run grep -c "c3c3" "$BATS_TEST_TMPDIR/snap"
	assert_output 0
	run grep '^dev.FIFO' "$BATS_TEST_TMPDIR/snap"
	assert_failure
	script "r dev.FIFO" "r32 dev.FIFOST" "r dev.FIFOST.CNT"
	dmt
	assert_success
	assert_line "dev.FIFO: 0xc3c3c3c3  DATA=0xc3 (reading FIFO has a side effect (readAction clear))"
	assert_line "dev+0x18: 0xc3c3c3c3 (a register whose read has a side effect)"
	assert_line "dev.FIFOST.CNT: 0xc3 (reading FIFOST has a side effect (field POP has readAction clear))"
	# devmem's output stays busybox's, the value alone: the note is on stderr
	script "devmem dev+0x14"
	run --separate-stderr devmemtool -f "$S"
	assert_success
	assert_line --index 1 "0xC3C3C3C3"
	[ "${#lines[@]}" -eq 2 ]
	[[ "$stderr" == *"devmem dev+0x14: a register whose read has a side effect"* ]]
	# --force: regs --read reads them
	script "regs --read dev.FIFO"
	dmt --force
	assert_success
	assert_line --regexp "^dev.FIFO +0xc3c3c3c3"
}

@test "an explicit read of a readAction register by expect or poll says so" {
	script "expect dev.FIFO 0"
	dmt
	assert_success
	assert_output --partial "side effect"
	script "poll dev.FIFO.DATA 0 10"
	dmt
	assert_success
	assert_output --partial "side effect"
}

@test "readAction registers: save, cmp, copy from and read-modify-write are refused; --force passes" {
	put 0x14 c3c3c3c3
	put 0x100 11223344
	for line in "save dev+0x14 4 $BATS_TEST_TMPDIR/out.bin" "cmp dev+0x14 dev+0x100 4" \
		"cmp dev+0x100 dev+0x14 4" "copy dev+0x14 dev+0x100 4" "set32 dev+0x14 1" \
		"set32 dev.FIFO 1" "clear32 dev.FIFOST 1" "update32 dev.FIFO 0xff 1"; do
		script "$line"
		dmt
		assert_failure
		assert_output --partial "has a side effect"
		assert_output --partial "--force reads it anyway"
		[ "$(hex_at 0x14 4)" = c3c3c3c3 ]
		[ "$(hex_at 0x100 4)" = 11223344 ]
	done
	[ ! -e "$BATS_TEST_TMPDIR/out.bin" ]
	script "save dev+0x14 4 $BATS_TEST_TMPDIR/out.bin" "copy dev+0x14 dev+0x100 4" \
		"set32 dev.FIFO 0x40000"
	dmt --force
	assert_success
	[ "$(od -An -tx1 "$BATS_TEST_TMPDIR/out.bin" | tr -d ' \n')" = c3c3c3c3 ]
	[ "$(hex_at 0x100 4)" = c3c3c3c3 ]
	[ "$(hex_at 0x14 4)" = c3c3c7c3 ]
}

@test "read-only registers: w, w32, fill, load, copy to and devmem refuse; --force writes each" {
	printf '\x11\x22\x33\x44' >"$BATS_TEST_TMPDIR/four.bin"
	put 0x100 55667788
	for line in "w dev.STATUS 1" "w32 dev.STATUS 1" "w32 dev+4 1" "w8 dev+7 1" \
		"w64 dev 0" "fill dev 0x10 0xff" "load $BATS_TEST_TMPDIR/four.bin dev+4" \
		"copy dev+0x100 dev+4 4" "devmem dev+4 32 1"; do
		script "$line"
		dmt
		assert_failure
		assert_output --partial "read-only"
		[ "$(hex_at 0 8)" = 0000000000000000 ]
	done
	script "w dev.STATUS 0x01"
	dmt --force
	assert_success
	[ "$(hex_at 4 4)" = 01000000 ]
	script "w32 dev+4 0x02"
	dmt --force
	assert_success
	[ "$(hex_at 4 4)" = 02000000 ]
	script "fill dev+4 4 0x03"
	dmt --force
	assert_success
	[ "$(hex_at 4 4)" = 03030303 ]
	script "load $BATS_TEST_TMPDIR/four.bin dev+4"
	dmt --force
	assert_success
	[ "$(hex_at 4 4)" = 11223344 ]
	script "copy dev+0x100 dev+4 4"
	dmt --force
	assert_success
	[ "$(hex_at 4 4)" = 55667788 ]
}

@test "--force writes a read-only field, and a field of a read-only register" {
	script "w dev.STATUS.BUSY 1"
	dmt
	assert_failure
	assert_output --partial "read-only"
	dmt --force
	assert_success
	[ "$(hex_at 4 4)" = 01000000 ]
	script "w dev.CTRL.LOCK 1"
	dmt
	assert_failure
	dmt --force
	assert_success
	[ "$(hex_at 0 4)" = 00000080 ]
}

@test "read-modify-write is refused on a register with write-side-effect fields, named or by address" {
	put 8 03000000
	for line in "set32 dev.INTR 4" "set32 dev+8 4" "clear32 dev+8 0x1000000" \
		"update32 dev.INTR 0xf000000 0x1000000" "set64 dev+8 1"; do
		script "$line"
		dmt
		assert_failure
		assert_output --partial "dev.INTR.DONE is oneToClear: a read-modify-write would write back what it read"
		[ "$(hex_at 8 4)" = 03000000 ]
	done
	# --force does it, the W1C bits written back as read
	script "set32 dev.INTR 4"
	dmt --force
	assert_success
	[ "$(hex_at 8 4)" = 07000000 ]
}

@test "a write-only field: a field write takes its bits from the reset value, read-modify-write is refused" {
	put 0x1c 00ee0000
	script "w dev.MIXED.EN 1"
	dmt
	assert_success
	[ "$(hex_at 0x1c 4)" = 01000000 ]
	# what KEY reads is not what was written: set32 would write it back
	put 0x1c 00ee0000
	script "set32 dev.MIXED 1"
	dmt
	assert_failure
	[ "$(hex_at 0x1c 4)" = 00ee0000 ]
}

@test "the rules follow the memory, not the spelling: a physical address of a bound target" {
	need_at_target
	script "w32 0x40000004 1"
	sed -i "1s|.*|map file:$F@0x40000000 as dev regmap $DEV|" "$S"
	dmt
	assert_failure
	assert_output --partial "dev.STATUS is read-only"
	[ "$(hex_at 4 4)" = 00000000 ]
}

@test "the rules follow the memory, not the spelling: another text for the same file" {
	need_at_target
	# the same physical address, through a target spelt differently
	printf '%s\n' "map file:$F@0x40000000 as dev regmap $DEV" \
		"map file:$BATS_TEST_TMPDIR/./mem.bin@0x40000000 as raw" "w32 raw+4 1" >"$S"
	dmt
	assert_failure
	assert_output --partial "read-only"
	[ "$(hex_at 4 4)" = 00000000 ]
	# the same file through a symbolic link: dump must not read FIFO
	ln -s mem.bin "$BATS_TEST_TMPDIR/link.bin"
	put 0x14 c3c3c3c3
	script "dump file:$BATS_TEST_TMPDIR/link.bin+0x10 0x10"
	dmt
	refute_output --partial c3
}

@test "a name mapped again to another target: its registers follow the name" {
	B="$BATS_TEST_TMPDIR/b.bin"
	truncate -s 4096 "$B"
	printf '%s\n' "map $T as dev regmap $DEV" "map file:$B as dev regmap $DEV" \
		"w dev.TAIL 0x11" "w32 dev+0x30 0x22" >"$S"
	dmt
	assert_success
	# dev+0x30 went to b.bin: so must dev.TAIL
	[ "$(od -An -tx1 -j 48 -N 4 "$B" | tr -d ' ')" = 22000000 ]
	[ "$(od -An -tx1 -j 44 -N 4 "$B" | tr -d ' ')" = 11000000 ]
	[ "$(hex_at 0x2c 4)" = 00000000 ]
	# and without a map of its own on the second target, dev.TAIL is not
	# written to the first
	printf '%s\n' "map $T as dev regmap $DEV" "map file:$B as dev" "w dev.TAIL 0x33" >"$S"
	dmt
	[ "$(hex_at 0x2c 4)" = 00000000 ]
}

@test "after unmap NAME, NAME.REG is refused when the script is checked, not half-way" {
	printf '%s\n' "map $T as dev regmap $DEV" "unmap dev" "w32 $T+0x30 0x11" \
		"w dev.TAIL 0x22" >"$S"
	dmt -n
	assert_failure
	dmt
	assert_failure
	# refused as the script was checked: line 3 never ran
	[ "$(hex_at 0x30 4)" = 00000000 ]
	[ "$(hex_at 0x2c 4)" = 00000000 ]
}

@test "expect and poll on a register they may not read: one error, status 1" {
	for line in "expect dev.CMD 0" "expect dev.CMD.GO 1" "poll dev.CMD.GO 1 10" \
		"expect nodev.CTRL 0"; do
		script "$line"
		dmt
		assert_failure 1
		[ "${#lines[@]}" -eq 1 ]
	done
}

@test "poll and expect by name: the field's bits, enum names, != and timeouts" {
	put 0 210a0000
	for line in "expect dev.CTRL.MODE FAST" "expect dev.CTRL.MODE fast" "expect dev.CTRL 0xa21" \
		"expect dev.CTRL 0x20 0xf0" "poll dev.CTRL.MODE FAST 50" \
		"poll dev.CTRL.MODE != OFF 50" "expect dev.CTRL.DIV 10"; do
		script "$line"
		dmt
		assert_success
	done
	script "expect dev.CTRL.MODE SLOW"
	dmt
	assert_failure 1
	assert_output --partial "expected 0x00000010 under mask 0x00000030, got 0x00000a21"
	script "poll dev.CTRL.MODE != FAST 30"
	dmt
	assert_failure 1
	assert_output --partial "timed out after 30 ms"
	script "expect dev.CTRL.MODE 4"
	dmt
	assert_failure
	assert_output --partial "does not fit field dev.CTRL.MODE (2 bits)"
}

# ---- dry runs and refused scripts ---------------------------------------------

@test "-n refuses every line the run refuses, with the same message" {
	put 0 000000000000000003000000eeeeeeee
	for line in "w dev.STATUS 1" "w dev.KICK.GO 1" "w dev.CTRL.DIV 1" "w dev.CTRL.MODE 4" \
		"w dev.FIFOST.CNT 1" "set32 dev.INTR 1" "r dev.CMD" "dump dev.CTRL.EN 4" \
		"save dev+0x14 4 $BATS_TEST_TMPDIR/o" "fill dev 8 0" "r dev.NOPE" "w dev.CTRL.LOCK 1"; do
		script "$line"
		dmt
		assert_failure
		local real=$output
		dmt -n
		assert_failure
		assert_output "$real"
	done
	[ "$(hex_at 0 16)" = 000000000000000003000000eeeeeeee ]
}

@test "-n prints the planned accesses and touches nothing" {
	put 8 5a5a5a5a
	script "w dev.INTR.DONE 1" "w dev.CMD.GO 1" "w dev.TAIL 7" "r dev.FIFO" \
		"snapshot save $BATS_TEST_TMPDIR/snap" "regs --read" "diff reset"
	dmt -n
	assert_success
	assert_line "dry-run: w dev+0x8 write dev.INTR.DONE: read, keep 0xfffe00fc, set 0x0000ff01"
	assert_line "dry-run: w dev+0xc write dev.CMD.GO = 0x00000051"
	assert_line "dry-run: w dev+0x2c write dev.TAIL = 0x00000007"
	assert_line "dry-run: r dev+0x14 read dev.FIFO (4 bytes), a read with a side effect"
	[ ! -e "$BATS_TEST_TMPDIR/snap" ]
	[ "$(hex_at 8 4)" = 5a5a5a5a ]
	[ "$(hex_at 0x0c 4)" = 00000000 ]
	[ "$(hex_at 0x2c 4)" = 00000000 ]
}

@test "a script refused on its last line writes nothing before it" {
	put 8 5a5a5a5a
	cp "$F" "$BATS_TEST_TMPDIR/before.bin"
	for bad in "w dev.STATUS 1" "w dev.KICK.GO 1" "set32 dev.INTR 1" "r dev.CMD" \
		"w dev.CTRL.SEL 3" "w dev.NOPE 1" "cmp dev+0x14 dev 4"; do
		script "w dev.TAIL 0x11" "w dev.INTR.DONE 1" "w32 dev+0x100 0x22" "fill dev+0x200 8 0x33" \
			"$bad"
		dmt
		assert_failure
		cmp "$F" "$BATS_TEST_TMPDIR/before.bin"
	done
}

# ---- regs and --json ---------------------------------------------------------------

@test "regs lists every register with address, size, access, reset and description" {
	script "regs"
	dmt
	assert_success
	assert_line --regexp "^ADDRESS +SZ +ACC +RESET +NAME +DESCRIPTION$"
	assert_line --regexp "^0x00000000 +32 +rw +0x00000300 +dev.CTRL +Control$"
	assert_line --regexp "^0x00000010 +32 +wo +- +dev.KICK +Kick, no reset value$"
	assert_line --regexp "^0x00000014 +32 +rw +! +0x00000000 +dev.FIFO +Reading pops the FIFO$"
	assert_line --regexp "^0x00000028 +8 +rw +0x5a +dev.SMALL +8 bits$"
	[ "${#lines[@]}" -eq 14 ]	# the map line, the header and 12 registers
	script "regs dev.F*"
	dmt
	assert_success
	[ "${#lines[@]}" -eq 4 ]
	script "regs dev.NONE*"
	dmt
	assert_failure
	assert_output --partial "no register matches 'dev.NONE*'"
}

@test "--json regs: name, absolute address, size, access, reset and the fields with their enums" {
	need_at_target
	printf '%s\n' "map file:$F@0x50000000 as dev regmap $DEV" "regs" >"$S"
	dmt --json
	assert_success
	echo "$output" | python3 -c '
import json, sys
regs = {}
for line in sys.stdin:
    o = json.loads(line)
    if o.get("cmd") == "regs":
        regs[o["name"]] = o
assert len(regs) == 12, sorted(regs)
c = regs["dev.CTRL"]
assert c["address"] == 0x50000000 and c["size"] == 32, c
assert c["access"] == "read-write" and c["reset"] == 0x300, c
f = {x["name"]: x for x in c["fields"]}
assert [x["name"] for x in c["fields"]] == ["EN", "MODE", "DIV", "SEL", "LOCK"], c["fields"]
m = f["MODE"]
assert (m["lsb"], m["width"], m["access"]) == (4, 2, "read-write"), m
assert m["enums"] == [{"name": "OFF", "value": 0}, {"name": "SLOW", "value": 1},
                      {"name": "FAST", "value": 2}, {"name": "Turbo", "value": 3}], m
assert f["LOCK"]["access"] == "read-only" and f["LOCK"]["lsb"] == 31, f["LOCK"]
assert f["EN"]["enums"] == [], f["EN"]
k = regs["dev.KICK"]
assert k["address"] == 0x50000010 and k["access"] == "write-only" and k["reset"] is None, k
w = regs["dev.WIDE"]
assert w["size"] == 64 and w["address"] == 0x50000020, w
i = {x["name"]: x for x in regs["dev.INTR"]["fields"]}
assert i["DONE"]["write_action"] == "oneToClear" and i["NEG"]["write_action"] == "zeroToClear", i
assert regs["dev.FIFOST"]["read_side_effect"] is True, regs["dev.FIFOST"]
assert "read_side_effect" not in regs["dev.CTRL"], regs["dev.CTRL"]
'
}

@test "--json r: the value and every field decoded, with its enum name" {
	put 0 210a0200
	script "r dev.CTRL" "r dev.CTRL.MODE"
	dmt --json
	assert_success
	echo "$output" | python3 -c '
import json, sys
rs = [json.loads(l) for l in sys.stdin if "\"cmd\":\"r\"" in l]
assert len(rs) == 2, rs
r, m = rs
assert r["register"] == "dev.CTRL" and r["value"] == 0x20a21 and r["width"] == 4, r
f = {x["name"]: x for x in r["fields"]}
assert f["MODE"]["value"] == 2 and f["MODE"]["enum"] == "FAST", f["MODE"]
assert f["DIV"]["value"] == 10 and "enum" not in f["DIV"], f["DIV"]
assert f["SEL"]["value"] == 2 and f["SEL"]["enum"] == "PLL", f["SEL"]
assert m["register"] == "dev.CTRL.MODE" and m["value"] == 2 and m["register_value"] == 0x20a21, m
'
}

# ---- snapshots --------------------------------------------------------------------

@test "snapshot save and diff: a round trip, the fields that changed, exit statuses" {
	A="$BATS_TEST_TMPDIR/a.snap" B="$BATS_TEST_TMPDIR/b.snap"
	put 0 01000000
	script "snapshot save $A" "w dev.CTRL.MODE SLOW" "w dev.TAIL 0xcafe" "snapshot save $B"
	dmt
	assert_success
	assert_line "$A: 8 registers"
	assert_line --partial "$B: 8 registers"
	run head -1 "$A"
	assert_output "# physmem register snapshot 1"
	run grep -x "dev.CTRL 0x00000001" "$A"
	assert_success
	run grep -x "dev.CTRL 0x00000011" "$B"
	assert_success
	script "snapshot diff $A $A"
	dmt
	assert_success
	assert_output --partial "dev: file:"
	[ "${#lines[@]}" -eq 1 ]
	script "snapshot diff $A $B"
	dmt
	assert_failure 1
	assert_line --regexp "^dev.CTRL +A 0x0*1 -> B 0x0*11$"
	assert_line "    MODE=OFF (0) -> MODE=SLOW (1)"
	assert_line --regexp "^dev.TAIL +A 0x0+ -> B 0x0*cafe$"
	# a register in one only
	grep -v '^dev.TAIL' "$B" >"$BATS_TEST_TMPDIR/c.snap"
	script "snapshot diff $B $BATS_TEST_TMPDIR/c.snap"
	dmt
	assert_failure 1
	assert_line --regexp "^dev.TAIL +.*only in A"
	# not a snapshot
	echo "dev.CTRL 0x1" >"$BATS_TEST_TMPDIR/bad.snap"
	script "snapshot diff $A $BATS_TEST_TMPDIR/bad.snap"
	dmt
	assert_failure
	assert_output --partial "bad.snap:1: not a register snapshot"
	printf '%s\n' "# physmem register snapshot 1" "dev.CTRL zz" >"$BATS_TEST_TMPDIR/bad.snap"
	dmt
	assert_failure
	assert_output --partial "bad.snap:2: expected NAME VALUE"
}

@test "snapshot save GLOB, and -n writes no file" {
	A="$BATS_TEST_TMPDIR/a.snap"
	script "snapshot save $A dev.C*"
	dmt -n
	assert_success
	[ ! -e "$A" ]
	dmt
	assert_success
	run grep -v '^#' "$A"
	assert_output "dev.CTRL 0x00000000"
	run grep -c 'dev.CMD not read' "$A"
	assert_output 1
}

@test "diff reset: the registers not at their reset value; 0 when every one is" {
	put 0 00030000
	put 0x28 5a003412feca0000
	script "diff reset"
	dmt
	assert_success
	assert_output --partial "dev: file:"
	[ "${#lines[@]}" -eq 1 ]
	put 0x2c feca0100
	put 0x14 01000000	# FIFO: its read has a side effect, never compared
	put 0x0c 01000000	# CMD: write-only, never compared
	dmt
	assert_failure 1
	assert_line --regexp "^dev.TAIL +reset 0x0*cafe -> now 0x0*1cafe$"
	refute_output --partial dev.FIFO
	refute_output --partial dev.CMD
	script "diff reset dev.C*"
	dmt
	assert_success
}

# ---- regs, snapshot save and diff reset take their registers at their line --------

# A second 4 KiB file, $G, with HEXBYTES at its start.
other_file() {
	G="$BATS_TEST_TMPDIR/other.bin"
	truncate -s 4096 "$G"
	printf "$(echo "$1" | sed 's/../\\x&/g')" | dd of="$G" bs=1 conv=notrunc status=none
}

@test "regs --read of a register it cannot read is refused before the first line, -n too" {
	need_at_target
	# B stands where no mapping is: the script is refused whole, as -n says
	printf '%s\n' "physmem-regmap 1" "name two" \
		"register A at 0x4000_0004 size 32 rw reset 0" \
		"register B at 0x5000_0000 size 32 rw reset 0" >"$BATS_TEST_TMPDIR/two.regmap"
	printf '%s\n' "map file:$F@0x40000000" "w32 0x40000004 0x5" "regs --read" \
		"w32 0x40000004 0x6" >"$S"
	run devmemtool --regmap "$BATS_TEST_TMPDIR/two.regmap" -f "$S"
	assert_failure
	assert_output --partial "s.dmt:3: regs B: "
	local real=$output
	[ "$(hex_at 4 4)" = 00000000 ]
	run devmemtool -n --regmap "$BATS_TEST_TMPDIR/two.regmap" -f "$S"
	assert_failure
	assert_output "$real"
	# a block's map on a file too small for its registers: the same
	truncate -s 16 "$F"
	for line in "regs --read" "snapshot save $BATS_TEST_TMPDIR/snap" "diff reset"; do
		script "w dev.CTRL 0x11" "$line" "w32 dev+8 6"
		dmt
		assert_failure
		assert_output --partial "s.dmt:3: ${line%% *} dev.MIXED: 0x4 bytes at 0x1c (register MIXED) lie outside dev"
		real=$output
		[ "$(hex_at 0 12)" = 000000000000000000000000 ]
		dmt -n
		assert_failure
		assert_output "$real"
	done
	[ ! -e "$BATS_TEST_TMPDIR/snap" ]
}

@test "an unmap after regs, snapshot save or diff reset leaves them their registers" {
	put 0 11000000
	put 0x28 5a
	A="$BATS_TEST_TMPDIR/a.snap"
	script "regs --read dev.CTRL" "regs dev.TAIL" "snapshot save $A dev.C*" \
		"diff reset dev.SMALL" "unmap dev"
	dmt
	assert_success
	assert_line --regexp "^dev.CTRL +0x00000011  EN=1 MODE=SLOW \(1\)"
	assert_line --regexp "^0x0000002c +32 +rw +0x0000cafe +dev.TAIL +The last$"
	assert_line "$A: 1 register"
	run grep -v '^#' "$A"
	assert_output "dev.CTRL 0x00000011"
	dmt -n
	assert_success
}

@test "a map bound on a later line is not among an earlier line's registers" {
	put 0 00030000	# dev at its reset values, late not
	put 0x28 5a003412feca0000
	other_file 22000000
	A="$BATS_TEST_TMPDIR/a.snap"
	script "regs --read" "regs" "snapshot save $A" "diff reset" "map file:$G as late regmap $DEV"
	dmt
	assert_success
	assert_line --regexp "^dev.CTRL +0x00000300"
	refute_output --partial "late."
	run grep -c '^late' "$A"
	assert_output 0
	# a glob of its registers matches none there, in a dry run too
	script "regs late.*" "map file:$G as late regmap $DEV"
	dmt
	assert_failure
	assert_output --partial "s.dmt:2: regs: no register matches 'late.*'"
	real=$output
	dmt -n
	assert_failure
	assert_output "$real"
}

@test "a name mapped again: regs and snapshot take the registers it names at that line" {
	put 0 11000000
	other_file 22000000
	A="$BATS_TEST_TMPDIR/a.snap"
	# dev now names a mapping without a map: none of the old target's registers
	script "map file:$G as dev" "regs --read dev.CTRL"
	dmt
	assert_failure
	assert_output --partial "s.dmt:3: regs: no register matches 'dev.CTRL'"
	real=$output
	dmt -n
	assert_failure
	assert_output "$real"
	script "map file:$G as dev" "snapshot save $A" "diff reset" "r32 dev+0"
	dmt
	assert_success
	assert_line "$A: 0 registers"
	assert_line "dev+0x0: 0x00000022"
	refute_output --partial "dev.CTRL"
	# mapped again with a map: the new target's registers, once
	script "map file:$G as dev regmap $DEV" "regs --read dev.CTRL" "snapshot save $A dev.CTRL"
	dmt
	assert_success
	assert_line --regexp "^dev.CTRL +0x00000022  EN=0 MODE=FAST \(2\)"
	refute_output --partial 0x00000011
	[ "$(grep -c 'dev.CTRL' <<<"$output")" -eq 1 ]
	run grep -v '^#' "$A"
	assert_output "dev.CTRL 0x00000022"
}

# ---- binding by PCI ID ------------------------------------------------------------

fake_edu() {	# $ROOT with QEMU's edu at 0xfea00000, and a 1 MiB $F
	ROOT="$BATS_TEST_TMPDIR/root"
	fake_pci_dev "$ROOT/sys/bus/pci/devices/0000:00:04.0" 0x1234 0x11e8
	fake_pci_bars "$ROOT/sys/bus/pci/devices/0000:00:04.0" 0xfea00000-0xfeafffff
	mkdir -p "$ROOT/proc" "$ROOT/dev" "$ROOT/etc/physmem"
	truncate -s 1M "$F"
}

@test "a file standing at a PCI BAR's address is bound to the installed map of its device" {
	need_at_target
	fake_edu
	export PHYSMEM_REGMAP_PATH="$TOP/regmaps"
	put 0 ed000001
	printf '%s\n' "map file:$F@0xfea00000 as edu" "r edu.IDENT" "w edu.LIVENESS 0x1234" \
		"w edu.DMA_CMD.DIRECTION EDU_TO_RAM" >"$S"
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_success
	assert_line "edu.IDENT: 0x010000ed  MAGIC=0xed MINOR=0 MAJOR=1"
	[ "$(hex_at 4 4)" = 34120000 ]
	[ "$(hex_at 0x98 4)" = 02000000 ]
	printf '%s\n' "map file:$F@0xfea00000 as edu" "w edu.IDENT 1" >"$S"
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_failure
	# said by the name the line gave, though the BAR's map judged it
	assert_output --partial "w edu.IDENT: edu.IDENT is read-only (register map edu)"
	[ "$(hex_at 0 4)" = ed000001 ]
	# a file inside the BAR: the map's offsets count from the BAR
	printf '%s\n' "map file:$F@0xfea00020 as edu" "w edu.STATUS 0x80" >"$S"
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_success
	[ "$(hex_at 0 4)" = 80000000 ]
	# the BAR's last byte is in it, the byte after is not
	printf '%s\n' "map file:$F@0xfeaffffc as edu" "w32 edu 0" >"$S"
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_success
	printf '%s\n' "map file:$F@0xfeafffff as edu" "regs edu" >"$S"
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_success
	assert_output --partial "edu.IDENT"
	printf '%s\n' "map file:$F@0xfeb00000 as edu" "r edu.IDENT" >"$S"
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_failure
	assert_output --partial "no register map in use names 'edu.IDENT'"
}

@test "--regmap of a block's map that names a PCI device binds it by PCI ID, first" {
	need_at_target
	fake_edu
	export PHYSMEM_REGMAP_PATH="$BATS_TEST_TMPDIR/empty"
	mkdir -p "$PHYSMEM_REGMAP_PATH"
	printf '%s\n' "map file:$F@0xfea00000 as edu" "w edu.LIVENESS 0x99" >"$S"
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_failure
	run devmemtool --sysroot "$ROOT" --regmap "$TOP/regmaps/edu.regmap" -f "$S"
	assert_success
	[ "$(hex_at 4 4)" = 99000000 ]
	# ahead of an installed map for the same device
	export PHYSMEM_REGMAP_PATH="$BATS_TEST_TMPDIR/inst"
	mkdir -p "$PHYSMEM_REGMAP_PATH"
	printf '%s\n' "physmem-regmap 1" "name inst" "pci 1234:11e8 bar 0" \
		"register LIVENESS 0x10 rw" >"$PHYSMEM_REGMAP_PATH/inst.regmap"
	run devmemtool --sysroot "$ROOT" --regmap "$TOP/regmaps/edu.regmap" -f "$S"
	assert_success
	[ "$(hex_at 0x10 4)" = 00000000 ]
}

@test "no device behind the address, or no map for it: no binding" {
	need_at_target
	fake_edu
	export PHYSMEM_REGMAP_PATH="$TOP/regmaps"
	printf '%s\n' "map file:$F@0xfeb00000 as edu" "w edu.LIVENESS 1" >"$S"
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_failure
	assert_output --partial "no register map in use names 'edu.LIVENESS'"
	export PHYSMEM_REGMAP_PATH="$BATS_TEST_TMPDIR/empty"
	mkdir -p "$PHYSMEM_REGMAP_PATH"
	printf '%s\n' "map file:$F@0xfea00000 as edu" "w edu.LIVENESS 1" >"$S"
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_failure
	[ "$(hex_at 4 4)" = 00000000 ]
}

@test "PHYSMEM_REGMAP_PATH: its first directory with a map for the device wins; bad maps are skipped" {
	need_at_target
	fake_edu
	A="$BATS_TEST_TMPDIR/a" B="$BATS_TEST_TMPDIR/b"
	mkdir -p "$A" "$B"
	cp "$TOP/regmaps/edu.regmap" "$B/"
	printf '%s\n' "physmem-regmap 1" "name other" "pci 1234:11e8 bar 0" \
		"register ONLY_A 0x10 rw" >"$A/other.regmap"
	printf '%s\n' "physmem-regmap 1" "name bar2" "pci 1234:11e8 bar 2" \
		"register ONLY_BAR2 0x10 rw" >"$A/a-bar2.regmap"
	printf '%s\n' "physmem-regmap 1" "pci 1234:11e8" "register" >"$A/0-broken.regmap"
	printf '%s\n' "map file:$F@0xfea00000 as edu" "w edu.ONLY_A 0x77" >"$S"
	export PHYSMEM_REGMAP_PATH="$A:$B"
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_success
	[ "$(hex_at 0x10 4)" = 77000000 ]
	printf '%s\n' "map file:$F@0xfea00000 as edu" "w edu.LIVENESS 0x66" >"$S"
	export PHYSMEM_REGMAP_PATH="$B:$A"
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_success
	[ "$(hex_at 4 4)" = 66000000 ]
	printf '%s\n' "map file:$F@0xfea00000 as edu" "w edu.ONLY_BAR2 1" >"$S"
	export PHYSMEM_REGMAP_PATH="$A"
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_failure
}

@test "map ... regmap NAME finds an installed map by name" {
	export PHYSMEM_REGMAP_PATH="$TOP/regmaps"
	printf '%s\n' "map $T as e regmap edu" "w e.LIVENESS 0x42" >"$S"
	dmt
	assert_success
	[ "$(hex_at 4 4)" = 42000000 ]
	printf '%s\n' "map $T as e regmap nosuchmap" >"$S"
	dmt
	assert_failure
	assert_output --partial "no register map named 'nosuchmap' in $TOP/regmaps"
}

# ---- the REPL -----------------------------------------------------------------------

start_repl() {	# devmemtool in a fresh terminal
	SOCK="dmt-regmap-$$-$BATS_TEST_NUMBER"
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	tmux -L "$SOCK" -f /dev/null new-session -d -x 200 -y 50 \
		"env XDG_CACHE_HOME='$XDG_CACHE_HOME' XDG_STATE_HOME='$BATS_TEST_TMPDIR/state' LD_LIBRARY_PATH='$LD_LIBRARY_PATH' HOME='$BATS_TEST_TMPDIR' '$TOP/devmemtool/devmemtool'; echo status=\$?; sleep 30"
	wait_for 'devmemtool> '
}

keys() {
	tmux -L "$SOCK" send-keys "$@"
}

wait_for() {	# TEXT: wait up to 5 s until the screen shows TEXT
	set -- "${1%"${1##*[! ]}"}"
	for _ in $(seq 50); do
		tmux -L "$SOCK" capture-pane -p | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "timed out waiting for: $1" >&2
	tmux -L "$SOCK" capture-pane -p >&2
	return 1
}

@test "the REPL completes register, field and enum names" {
	start_repl
	keys "map $T as dev regmap $DEV" Enter
	wait_for "dev: $T"
	keys "r dev.CT" Tab
	wait_for "devmemtool> r dev.CTRL"
	keys C-u "w dev.CTRL.MO" Tab
	wait_for "devmemtool> w dev.CTRL.MODE"
	keys " F" Tab
	wait_for "devmemtool> w dev.CTRL.MODE FAST"
	keys Enter
	keys "w dev.CTRL." Tab Tab
	wait_for "dev.CTRL.DIV   dev.CTRL.EN    dev.CTRL.LOCK  dev.CTRL.MODE  dev.CTRL.SEL"
	keys C-u "expect dev.CTRL.SEL " Tab Tab
	wait_for "PLL   XTAL"
	[ "$(hex_at 0 4)" = 20000000 ]
}

@test "the REPL completes enum names after poll REG.FIELD !=" {
	start_repl
	keys "map $T as dev regmap $DEV" Enter
	wait_for "dev: $T"
	keys "poll dev.CTRL.MODE != S" Tab
	wait_for "devmemtool> poll dev.CTRL.MODE != SLOW"
}

# ---- the compiled-map cache -------------------------------------------------------

cache_file() {	# the one compiled map in the cache, into $C
	C=$(ls "$XDG_CACHE_HOME"/physmem/regmaps/*.prm)
	[ "$(echo "$C" | wc -l)" -eq 1 ]
}

@test "a map is compiled once, then loaded from the cache; a changed source is compiled again" {
	run "$DUMP" "$DEV"
	assert_success
	assert_line "cached no"
	run "$DUMP" "$DEV"
	assert_success
	assert_line "cached yes"
	cache_file
	[ "$(stat -c %a "$XDG_CACHE_HOME/physmem/regmaps")" = 700 ]
	cp "$DEV" "$BATS_TEST_TMPDIR/dev.regmap"
	sed -i 's/^register TAIL 0x2c/register TAIL 0x30/' "$BATS_TEST_TMPDIR/dev.regmap"
	run "$DUMP" "$BATS_TEST_TMPDIR/dev.regmap" TAIL
	assert_line "cached no"
	assert_line --partial "reg TAIL addr 0x30"
}

@test "the cache is under ~/.cache without XDG_CACHE_HOME, and a relative XDG_CACHE_HOME is ignored" {
	unset XDG_CACHE_HOME
	export HOME="$BATS_TEST_TMPDIR/home"
	run "$DUMP" "$DEV"
	assert_success
	ls "$BATS_TEST_TMPDIR"/home/.cache/physmem/regmaps/*.prm
	cd "$BATS_TEST_TMPDIR"
	export XDG_CACHE_HOME=rel
	run "$DUMP" "$DEV"
	assert_line "cached yes"
	[ ! -e "$BATS_TEST_TMPDIR/rel" ]
}

# The map as loaded: its dump without the "cached" line, descriptions too.
dump_of() {
	"$DUMP" --desc "$@" | grep -v '^cached '
}

@test "a truncated cache file is compiled again and replaced" {
	"$DUMP" "$DEV" >/dev/null
	cache_file
	truncate -s 100 "$C"
	run "$DUMP" "$DEV"
	assert_success
	assert_line "cached no"
	[ "$(dump_of "$DEV")" = "$(dump_of --no-cache "$DEV")" ]
	run "$DUMP" "$DEV"
	assert_line "cached yes"
}

@test "a cache file longer than it says, or too large for a map, is compiled again and replaced" {
	"$DUMP" "$DEV" >/dev/null
	cache_file
	local size
	size=$(stat -c %s "$C")
	printf '\0\0\0\0\0\0\0\0' >>"$C"
	run "$DUMP" "$DEV"
	assert_line "cached no"
	[ "$(stat -c %s "$C")" = "$size" ]
	# past the limit (sparse, no disk used): not even read into memory
	truncate -s 300M "$C"
	run "$DUMP" --log "$DEV"
	assert_success
	assert_line "cached no"
	assert_line "debug: regmap cache: $C: 314572800 bytes: compiling again"
	[ "$(stat -c %s "$C")" = "$size" ]
	run "$DUMP" "$DEV"
	assert_line "cached yes"
}

@test "a cache file others may write is not trusted, and is replaced" {
	"$DUMP" "$DEV" >/dev/null
	cache_file
	chmod g+w "$C"
	run "$DUMP" "$DEV"
	assert_line "cached no"
	[ "$(stat -c %a "$C")" = 644 ]
	run "$DUMP" "$DEV"
	assert_line "cached yes"
	chmod o+w "$C"
	run "$DUMP" "$DEV"
	assert_line "cached no"
}

@test "a cache directory of another user is neither read nor written" {
	[ "$(id -u)" = 0 ] || skip "chown to nobody needs root"
	"$DUMP" "$DEV" >/dev/null
	cache_file
	# a compiled map that is right, but in a directory not ours alone
	chown nobody "$XDG_CACHE_HOME/physmem/regmaps"
	run "$DUMP" "$DEV"
	assert_success
	assert_line "cached no"
	# and the file there is not replaced
	touch -d '2001-01-01' "$C"
	run "$DUMP" "$DEV"
	assert_line "cached no"
	[ "$(stat -c %Y "$C")" = "$(date -d 2001-01-01 +%s)" ]
	# the file itself someone else's, in our directory
	chown root "$XDG_CACHE_HOME/physmem/regmaps"
	chown nobody "$C"
	run "$DUMP" "$DEV"
	assert_line "cached no"
}

@test "a symbolic link in the cache is not followed" {
	"$DUMP" "$DEV" >/dev/null
	cache_file
	mv "$C" "$BATS_TEST_TMPDIR/elsewhere.prm"
	ln -s "$BATS_TEST_TMPDIR/elsewhere.prm" "$C"
	run "$DUMP" "$DEV"
	assert_line "cached no"
}

@test "a FIFO in the cache is not waited on, and is replaced" {
	"$DUMP" "$DEV" >/dev/null
	cache_file
	rm "$C"
	mkfifo "$C"
	# nobody writes the FIFO: an open() that waited for a writer hangs
	run timeout 10 "$DUMP" --log "$DEV" TAIL
	assert_success
	assert_line "cached no"
	assert_line "debug: regmap cache: $C: not a file of ours alone: not used"
	[ -f "$C" ]
	run timeout 10 "$DUMP" "$DEV" TAIL
	assert_line "cached yes"
}

@test "a cache file with bytes changed anywhere is never trusted" {
	"$DUMP" "$DEV" >/dev/null
	cache_file
	dump_of --no-cache "$DEV" >"$BATS_TEST_TMPDIR/want"
	# one byte in seven changed in turn (every field of the layout has
	# some): the map loaded is the source's, or the file was used though
	# it is not what was compiled
	run python3 - "$DUMP" "$DEV" "$C" "$BATS_TEST_TMPDIR/want" <<-'PY'
	import subprocess, sys
	dump, src, cache, want = sys.argv[1:]
	good = open(cache, "rb").read()
	want = open(want).read()
	bad = []
	tried = range(0, len(good), 7)
	for i in tried:
	    b = bytearray(good)
	    b[i] ^= 0x10
	    with open(cache, "wb") as f:
	        f.write(b)
	    out = subprocess.run([dump, "--desc", src], capture_output=True, text=True).stdout
	    got = "".join(l + "\n" for l in out.splitlines() if not l.startswith("cached "))
	    if got != want:
	        bad.append(i)
	print("trusted with a byte changed at %d of %d offsets: %s" % (len(bad), len(tried), bad[:20]))
	sys.exit(1 if bad else 0)
	PY
	assert_success
}

@test "a changed cache file does not move a write" {
	"$DUMP" "$DEV" >/dev/null
	cache_file
	# TAIL's address, 0x2c, is the 8 bytes before its unique reset 0xcafe
	python3 - "$C" <<-'PY' || skip "the compiled layout is not address, reset"
	import struct, sys
	p = sys.argv[1]
	d = bytearray(open(p, "rb").read())
	i = d.find(struct.pack("<QQ", 0x2c, 0xcafe))
	if i < 0:
	    sys.exit(1)
	d[i:i + 8] = struct.pack("<Q", 0x3c)
	open(p, "wb").write(d)
	PY
	script "w dev.TAIL 0x77"
	dmt
	assert_success
	[ "$(hex_at 0x3c 4)" = 00000000 ]
	[ "$(hex_at 0x2c 4)" = 77000000 ]
}

# A cache file forged for SRC (of key KEY) from the entry ENTRY of another
# source: ENTRY's database with SRC's key in its header and its checksum
# made right again, so that only the copy of the source it holds tells it
# from SRC's own. Into OUT.
forge_entry() {	# ENTRY KEY OUT
	python3 - "$@" <<-'PY'
	import struct, sys
	M = (1 << 64) - 1
	def mix(h):
	    h ^= h >> 33
	    h = h * 0xff51afd7ed558ccd & M
	    h ^= h >> 33
	    h = h * 0xc4ceb9fe1a85ec53 & M
	    return h ^ h >> 33
	def rm_hash(d):		# libphys/regmap-cache.c
	    n = len(d)
	    h = 0x9e3779b97f4a7c15 ^ n
	    i = 0
	    while i + 8 <= n:
	        h = (h ^ mix(int.from_bytes(d[i:i + 8], "little"))) * 0x100000001b3 & M
	        h = (h << 29 | h >> 35) & M
	        i += 8
	    return mix(h ^ mix(int.from_bytes(d[i:], "little") ^ (n - i)))
	entry, key, out = sys.argv[1:]
	f = bytearray(open(entry, "rb").read())
	# struct rm_hdr: the sum at 16 covers the database from 24 to its
	# total (at 32); the source's hash is at 40
	total = struct.unpack_from("<Q", f, 32)[0]
	assert struct.unpack_from("<Q", f, 16)[0] == rm_hash(f[24:total]), "rm_hdr moved"
	struct.pack_into("<Q", f, 40, int(key, 16))
	struct.pack_into("<Q", f, 16, rm_hash(f[24:total]))
	open(out, "wb").write(f)
	PY
}

@test "a cache entry is used only for the very bytes it was compiled from" {
	# A and B: the same size, one byte apart (TAIL at 0x2c or 0x3c). The
	# cache's key is not a cryptographic hash: another source of B's key
	# can be made, and must not lend B its compiled map.
	local a="$BATS_TEST_TMPDIR/a.regmap" b="$BATS_TEST_TMPDIR/b.regmap" cb ca
	cp "$DEV" "$a"
	sed 's/^register TAIL 0x2c/register TAIL 0x3c/' "$DEV" >"$b"
	[ "$(stat -c %s "$a")" = "$(stat -c %s "$b")" ] && ! cmp -s "$a" "$b"
	"$DUMP" "$b" >/dev/null
	cache_file
	cb=$C
	"$DUMP" "$a" >/dev/null
	ca=$(ls "$XDG_CACHE_HOME"/physmem/regmaps/*.prm | grep -vxF "$cb")
	forge_entry "$ca" "$(basename "$cb" | cut -d- -f1)" "$cb"
	run "$DUMP" --log "$b" TAIL
	assert_success
	assert_line "cached no"
	assert_line "debug: regmap cache: $cb: compiled from another source of the same hash and size: compiling again"
	assert_line --partial "reg TAIL addr 0x3c"
	# the entry was written again, from B
	run "$DUMP" "$b" TAIL
	assert_line "cached yes"
	assert_line --partial "reg TAIL addr 0x3c"
	# and a write through B goes where B says
	forge_entry "$ca" "$(basename "$cb" | cut -d- -f1)" "$cb"
	echo "map $T as dev regmap $b" >"$S"
	echo "w dev.TAIL 0x77" >>"$S"
	dmt
	assert_success
	[ "$(hex_at 0x2c 4)" = 00000000 ]
	[ "$(hex_at 0x3c 4)" = 77000000 ]
}

@test "a read-only cache directory: a cached map still loads, a new one is compiled" {
	"$DUMP" "$DEV" >/dev/null
	cache_file
	local dir="$XDG_CACHE_HOME/physmem/regmaps"
	if [ "$(id -u)" = 0 ]; then
		unshare -rm true 2>/dev/null || skip "root needs a mount namespace for a read-only directory"
		ro() { unshare -rm sh -c 'mount --bind -o ro "$1" "$1" && shift && exec "$@"' sh "$dir" "$@"; }
	else
		chmod 0500 "$dir"
		ro() { "$@"; }
	fi
	run ro "$DUMP" "$DEV"
	assert_success
	assert_line "cached yes"
	cp "$DEV" "$BATS_TEST_TMPDIR/other.regmap"
	echo 'register EXTRA 0x40' >>"$BATS_TEST_TMPDIR/other.regmap"
	run ro "$DUMP" "$BATS_TEST_TMPDIR/other.regmap" EXTRA
	assert_success
	assert_line "cached no"
	assert_line --partial "reg EXTRA addr 0x40"
	chmod 0700 "$dir"
	[ "$(ls "$dir" | wc -l)" -eq 1 ]
}

@test "a cache file truncated under a running session does not crash it" {
	"$DUMP" "$DEV" >/dev/null
	cache_file
	start_repl
	keys "map $T as dev regmap $DEV" Enter
	keys "r dev.TAIL" Enter
	wait_for "dev.TAIL: 0x00000000"
	truncate -s 0 "$C"
	keys "w dev.TAIL 0x5" Enter
	keys "r dev.TAIL" Enter
	wait_for "dev.TAIL: 0x00000005"
	run tmux -L "$SOCK" capture-pane -p
	refute_output --partial "status="
}

# ---- what the review of the rules found ------------------------------------------

@test "an installed map's rules hold through a mapping that starts before its BAR" {
	need_at_target
	fake_edu
	truncate -s 2M "$F"
	export PHYSMEM_REGMAP_PATH="$TOP/regmaps"
	# the file stands one page below the BAR: edu's registers are at +0x1000
	for line in "r32 0xfea00060" "w32 0xfea00000 1" "r32 edu+0x1060"; do
		printf '%s\n' "map file:$F@0xfe9ff000 as edu" "$line" >"$S"
		run devmemtool --sysroot "$ROOT" -f "$S"
		assert_failure
		assert_output --regexp "INT_RAISE is write-only|IDENT is read-only"
	done
	[ "$(hex_at 0x1000 4)" = 00000000 ]
	# a dump across the BAR's start leaves out what must not be read
	printf '%s\n' "map file:$F@0xfe9ff000 as edu" "dump edu+0x1050 0x20" >"$S"
	put 0x1060 c3c3c3c3
	run devmemtool --sysroot "$ROOT" -f "$S"
	assert_success
	refute_output --partial c3
}

@test "a name bound with map ... as NAME regmap goes to that map, not to an absolute map's" {
	need_at_target
	C="$BATS_TEST_TMPDIR/chip.bin"
	truncate -s 4096 "$C"
	printf 'physmem-regmap 1\nname blk\ndefault size 32 access rw\nregister CR 0x4 reset 0\n' \
		>"$BATS_TEST_TMPDIR/blk.regmap"
	printf '%s\n' "map file:$C@0x40000000" "map $T as UARTX regmap $BATS_TEST_TMPDIR/blk.regmap" \
		"w UARTX.CR 0x77" >"$S"
	run devmemtool --regmap "$CHIP" -f "$S"
	assert_success
	[ "$(hex_at 4 4)" = 77000000 ]
	[ "$(od -An -tx1 -j 4 -N 4 "$C" | tr -d ' ')" = 00000000 ]
	# two absolute maps that both name a register: refused, nothing written
	printf '%s\n' "map file:$C@0x40000000" "w UARTX.CR 0x55" >"$S"
	run devmemtool --regmap "$CHIP" --regmap "$CHIP" -f "$S"
	assert_failure
	assert_output --partial "'UARTX.CR' is ambiguous"
	[ "$(od -An -tx1 -j 4 -N 4 "$C" | tr -d ' ')" = 00000000 ]
	# so is a top-level register's bare name, as r and w take it
	printf '%s\n' "map file:$C@0x40000000" "w SYS 0x55" >"$S"
	run devmemtool --regmap "$CHIP" --regmap "$CHIP" -f "$S"
	assert_failure
	assert_output --partial "'SYS' is ambiguous"
	[ "$(od -An -tx1 -j 0x100 -N 4 "$C" | tr -d ' ')" = 00000000 ]
}

@test "a mapping that starts inside a register: dump leaves out its bytes, with no wrap" {
	put 0x14 c3c3c3c3
	script "map file:$F+0x16 as x" "dump x 8"
	dmt
	assert_success
	assert_line --regexp "^00000000  -- -- "
	refute_output --partial c3
	need_at_target
	# UARTX.DR (a read pops) is 0x40000000-3: the file's first two bytes
	printf '%s\n' "map file:$F@0x40000002" "dump 0x40000002 16" >"$S"
	put 0 c3c3
	run devmemtool --regmap "$CHIP" -f "$S"
	assert_success
	refute_output --partial c3
}

@test "two registers at one address: a read reaches one, a write the other" {
	script "map $T as a regmap $MAPS/alt.regmap" "w a.THR 0x41" "r a.RBR" "w32 a 0x42" "r32 a"
	sed -i 1d "$S"
	dmt
	assert_success
	assert_line "a.RBR: 0x00000041"
	assert_line "a+0x0: 0x00000042"
	printf '%s\n' "map $T as a regmap $MAPS/alt.regmap" "w a.RBR 1" >"$S"
	dmt
	assert_failure
	assert_output --partial "a.RBR is read-only"
	printf '%s\n' "map $T as a regmap $MAPS/alt.regmap" "r a.THR" >"$S"
	dmt
	assert_failure
	assert_output --partial "THR is write-only"
}

@test "read-modify-write never uses up a field written once" {
	for line in "set32 a+4 1" "set32 a+8 1" "update32 a+4 1 1"; do
		printf '%s\n' "map $T as a regmap $MAPS/alt.regmap" "$line" >"$S"
		dmt
		assert_failure
		assert_output --regexp "(LOCKCFG|KEY) is written once|KEY is write-only"
	done
	[ "$(hex_at 4 8)" = 0000000000000000 ]
	printf '%s\n' "map $T as a regmap $MAPS/alt.regmap" "set32 a+4 1" >"$S"
	dmt --force
	assert_success
}

@test "a field write never uses up a neighbour written once; --force writes it" {
	for reg in ONCE:LOCKCFG KEYED:KEY; do
		printf '%s\n' "map $T as a regmap $MAPS/alt.regmap" "w a.${reg%:*}.EN 1" >"$S"
		dmt
		assert_failure
		assert_output --partial "w a.${reg%:*}.EN: writing ${reg%:*}.EN would also write ${reg/:/.}, which can be written once; write the whole register; --force writes it anyway"
	done
	[ "$(hex_at 4 8)" = 0000000000000000 ]
	dmt --force
	assert_success
	[ "$(hex_at 8 4)" = 01000000 ]
}

@test "a register whose last byte is the last of the address space" {
	need_at_target
	printf 'physmem-regmap 1\nname top\nregister TOP at 0xffff_ffff_ffff_fff8 size 64 reset 0\n' \
		>"$BATS_TEST_TMPDIR/top.regmap"
	printf '%s\n' "map file:$F@0xfffffffffffff000" "w64 0xfffffffffffffff8 0x1122334455667788" \
		"r64 0xfffffffffffffff8" "r TOP" >"$S"
	run devmemtool --regmap "$BATS_TEST_TMPDIR/top.regmap" -f "$S"
	assert_success
	assert_line --partial "0x1122334455667788"
	[ "$(hex_at 0xff8 8)" = 8877665544332211 ]
}
