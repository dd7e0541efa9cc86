#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The native register map format (libphys/regmap-native.c,
# physmem-regmap(5)), read through regmap-dump, which prints what libphys
# loaded:
#   reg NAME addr 0x.. size N access A write W read R reset 0x.. mask 0x.. [side-effect]
#     field NAME lsb N width N access A write W read R [constraint ...]
#       enum NAME value 0x.. [default]
# The shipped maps are in regmaps/; fixtures in regmaps/native: the valid
# ones by what they show, and one bad-*.regmap per error, whose last line
# "# expect: LINE: MESSAGE" is the message it must be refused with.

load regmap

FIX="$TOP/tests/host/regmaps/native"
MAPS="$TOP/regmaps"

# map TEXT: $F holds the header line, then TEXT.
map() {
	printf 'physmem-regmap 1\n%s\n' "$1" > "$F"
}

# refused NAME...: each fixture NAME.regmap fails with exactly the message
# its "# expect:" line gives, after "FILE:" (and a blank when the message
# has no line number), and prints nothing else: nothing was loaded.
refused() {
	local name f want

	for name in "$@"; do
		f="$FIX/$name.regmap"
		want=$(sed -n 's/^# expect: //p' "$f")
		[ -n "$want" ] || fail "$name.regmap has no '# expect:' line"
		case $want in
		[0-9]*) want="$f:$want" ;;
		*) want="$f: $want" ;;
		esac
		run "$DUMP" --no-cache "$f"
		assert_failure 1
		assert_output "$want"
	done
}

# ---- the shipped maps ------------------------------------------------------

@test "edu: bound to BAR 0 of 1234:11e8, every register at the width edu.c accepts there" {
	dump "$MAPS/edu.regmap"
	assert_success
	assert_output "name edu
absolute no
cached no
pci 1234:11e8 bar 0
reg IDENT addr 0x0 size 32 access read-only write normal read none reset 0x10000ed mask 0xffffffff
  field MAGIC lsb 0 width 8 access read-only write normal read none
  field MINOR lsb 16 width 8 access read-only write normal read none
  field MAJOR lsb 24 width 8 access read-only write normal read none
reg LIVENESS addr 0x4 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff
reg FACTORIAL addr 0x8 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff
reg STATUS addr 0x20 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff
  field COMPUTING lsb 0 width 1 access read-only write normal read none
  field IRQ_FACT lsb 7 width 1 access read-write write normal read none
reg INT_STATUS addr 0x24 size 32 access read-only write normal read none reset 0x0 mask 0xffffffff
reg INT_RAISE addr 0x60 size 32 access write-only write normal read none reset 0x0 mask 0x0
reg INT_ACK addr 0x64 size 32 access write-only write normal read none reset 0x0 mask 0x0
reg DMA_SRC addr 0x80 size 64 access read-write write normal read none reset 0x0 mask 0xffffffffffffffff
reg DMA_DST addr 0x88 size 64 access read-write write normal read none reset 0x0 mask 0xffffffffffffffff
reg DMA_COUNT addr 0x90 size 64 access read-write write normal read none reset 0x0 mask 0xffffffffffffffff
reg DMA_CMD addr 0x98 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff
  field START lsb 0 width 1 access read-write write normal read none
  field DIRECTION lsb 1 width 1 access read-write write normal read none
    enum RAM_TO_EDU value 0x0
    enum EDU_TO_RAM value 0x1
  field IRQ lsb 2 width 1 access read-write write normal read none"
}

@test "ivshmem: bound to BAR 0 of 1af4:1110; INTRSTATUS is cleared by a read, a side effect" {
	dump "$MAPS/ivshmem.regmap"
	assert_success
	assert_output "name ivshmem
absolute no
cached no
pci 1af4:1110 bar 0
reg INTRMASK addr 0x0 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff
reg INTRSTATUS addr 0x4 size 32 access read-write write normal read clear reset 0x0 mask 0xffffffff side-effect
reg IVPOSITION addr 0x8 size 32 access read-only write normal read none reset 0x0 mask 0x0
reg DOORBELL addr 0xc size 32 access write-only write normal read none reset 0x0 mask 0x0
  field VECTOR lsb 0 width 16 access write-only write normal read none
  field PEER lsb 16 width 16 access write-only write normal read none"
}

@test "the shipped maps describe every register and field" {
	for m in "$MAPS"/*.regmap; do
		dump --desc "$m"
		assert_success
		refute_line --regexp '^ *(reg|field) [^"]*$'
	done
}

# ---- what the format says ----------------------------------------------------

@test "every keyword: defaults, short and SVD words, keyword forms, reset masks, enums, PCI lines" {
	dump --desc "$FIX/every-keyword.regmap"
	assert_success
	assert_output 'name uart_like
absolute no
cached no
pci 1234:11e8 bar any
pci 1af4:1110 bar 2
reg CTRL addr 0x0 size 16 access read-write write oneToClear read clear reset 0x12 mask 0xff side-effect desc "Control"
  field EN lsb 0 width 1 access read-write write normal read none desc "Enable"
    enum OFF value 0x0 desc "Off"
    enum ON value 0x1
  field MODE lsb 1 width 3 access read-only write oneToClear read none constraint enum
    enum A value 0x0
    enum B value 0x5 desc "B mode"
    enum OTHER value 0x0 default desc "Anything else"
  field LEVEL lsb 4 width 4 access read-write write oneToToggle read set constraint 2..12
  field SHOT lsb 8 width 1 access writeOnce write zeroToClear read none
  field ONCE lsb 9 width 1 access read-writeOnce write zeroToSet read modify
  field T lsb 10 width 1 access write-only write zeroToToggle read modifyExternal
  field C lsb 11 width 1 access read-write write clear read none
  field S lsb 12 width 1 access read-write write set read none
  field M lsb 13 width 1 access read-write write modify read none
reg STAT addr 0x4 size 32 access read-writeOnce write oneToClear read modifyExternal reset 0x0 mask 0xffff side-effect
  field A lsb 0 width 1 access read-write write oneToSet read clear
  field B lsb 1 width 1 access read-only write oneToToggle read set
  field C lsb 2 width 1 access write-only write zeroToClear read modify
  field D lsb 3 width 1 access writeOnce write zeroToToggle read modifyExternal
  field E lsb 4 width 1 access read-writeOnce write clear read none
  field F lsb 5 width 1 access read-writeOnce write set read none
  field G lsb 6 width 1 access read-writeOnce write modify read none
  field H lsb 7 width 1 access read-writeOnce write normal read none
  field I lsb 8 width 1 access read-writeOnce write zeroToSet read none
reg WIDE addr 0x8 size 64 access write-only write normal read none reset 0xffff mask 0xffffffffffffffff desc "Reset from "default", the mask its 64 bits"
reg NARROW addr 0x10 size 8 access read-write write normal read none reset 0x7f mask 0xff desc "Its own reset: \ the default'"'"'s is too wide"
reg INNER.R addr 0x20 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff
reg INNER.Q addr 0x24 size 8 access read-write write normal read none reset 0xa mask 0xf
reg AFTER addr 0x30 size 16 access read-only write normal read none reset 0xffff mask 0xffff desc "Back to the outer defaults"'
}

@test "arrays: NAME[i] elements at stride apart, with their fields; block arrays nest" {
	dump "$FIX/arrays.regmap"
	assert_success
	assert_output "name arrays
absolute no
cached no
reg CH[0] addr 0x0 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff
  field EN lsb 0 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
reg CH[1] addr 0x4 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff
  field EN lsb 0 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
reg CH[2] addr 0x8 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff
  field EN lsb 0 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
reg TAB[0] addr 0x10 size 16 access read-only write normal read none reset 0x0 mask 0x0
reg TAB[1] addr 0x18 size 16 access read-only write normal read none reset 0x0 mask 0x0
reg PORT[0].CFG addr 0x100 size 32 access read-write write normal read none reset 0x0 mask 0x0
  field DIR lsb 0 width 2 access read-write write normal read none
reg PORT[0].PIN[0].V[0] addr 0x120 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg PORT[0].PIN[0].V[1] addr 0x121 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg PORT[0].PIN[1].V[0] addr 0x130 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg PORT[0].PIN[1].V[1] addr 0x131 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg PORT[1].CFG addr 0x180 size 32 access read-write write normal read none reset 0x0 mask 0x0
  field DIR lsb 0 width 2 access read-write write normal read none
reg PORT[1].PIN[0].V[0] addr 0x1a0 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg PORT[1].PIN[0].V[1] addr 0x1a1 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg PORT[1].PIN[1].V[0] addr 0x1b0 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg PORT[1].PIN[1].V[1] addr 0x1b1 size 8 access read-write write normal read none reset 0x0 mask 0x0"
}

@test "blocks: BLOCK.REG names, offsets that add up, 'end' with and without the name" {
	dump "$FIX/blocks.regmap"
	assert_success
	assert_output "name blocks
absolute no
cached no
reg TOP addr 0x0 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg OUTER.A addr 0x100 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg OUTER.D addr 0x110 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg OUTER.MID.B addr 0x144 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg OUTER.MID.DEEP.C addr 0x148 size 16 access read-write write normal read none reset 0x0 mask 0x0
reg ZERO.E addr 0x200 size 32 access read-write write normal read none reset 0x0 mask 0x0"
}

@test "absolute: 'at ADDRESS' on every top-level block and register makes an absolute map" {
	dump "$FIX/absolute.regmap"
	assert_success
	assert_output "name chip
absolute yes
cached no
reg UART0.DR addr 0x40000000 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg UART0.FR addr 0x40000018 size 32 access read-only write normal read none reset 0x90 mask 0xffffffff
reg TIMER[0].LOAD addr 0x40010000 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[0].CH[0].CMP addr 0x40010010 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[0].CH[1].CMP addr 0x40010020 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[1].LOAD addr 0x40011000 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[1].CH[0].CMP addr 0x40011010 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[1].CH[1].CMP addr 0x40011020 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg SYSCFG addr 0x50000000 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff"
}

@test "numbers: decimal, 0x and 0b in either case, '_' between digits, the full 64 bits" {
	map 'register A 4096 size 64 reset 0xFFFF_ffff_FFFF_ffff
register B 0X1008 reset 0B1010_0101
register C 0b1_0000_0000_0000_1100 reset 1_000_000
register D 010 size 8 reset 18446744073709551615_ mask 0'
	dump "$F"
	assert_failure 1
	assert_output "F:5: bad reset value '18446744073709551615_' (a number: 42, 0x2a, 0b101010)"
	map 'register A 4096 size 64 reset 0xFFFF_ffff_FFFF_ffff
register B 0X1008 reset 0B1010_0101
register C 0b1_0000_0000_0000_1100 reset 1_000_000
register D 010 size 8 reset 0xff'
	dump "$F"
	assert_success
	assert_line "reg D addr 0xa size 8 access read-write write normal read none reset 0xff mask 0xff"
	assert_line "reg A addr 0x1000 size 64 access read-write write normal read none reset 0xffffffffffffffff mask 0xffffffffffffffff"
	assert_line "reg B addr 0x1008 size 32 access read-write write normal read none reset 0xa5 mask 0xffffffff"
	assert_line "reg C addr 0x1000c size 32 access read-write write normal read none reset 0xf4240 mask 0xffffffff"
}

@test "strings: \\\" and \\\\ escapes; '#', tabs and UTF-8 inside; a comment right after" {
	printf 'physmem-regmap 1\nregister A 0 "say \\"hi\\" \\\\ #not a comment\tnor\xc2\xb5"# a comment\n' > "$F"
	dump --desc "$F"
	assert_success
	assert_line "reg A addr 0x0 size 32 access read-write write normal read none reset 0x0 mask 0x0 desc \"say \"hi\" \\ #not a comment$(printf '\t')norµ\""
}

@test "layout is free: indentation, blank lines, comments, CRLF line ends and a UTF-8 BOM" {
	printf '%s\n' 'physmem-regmap 1' 'register A 0x0' 'field X 3:0' 'enum ONE 1' 'field Y 4' > "$BATS_TEST_TMPDIR/flat.regmap"
	dump "$BATS_TEST_TMPDIR/flat.regmap"
	assert_success
	local flat=$output
	printf '\xef\xbb\xbf# leading comment\r\n\r\n   physmem-regmap 1   \r\n\t\tregister   A\t0x0 # comment\r\n#\r\n field X [3:0]\r\n\n      enum ONE 1\r\n\tfield Y [4]' > "$F"
	dump "$F"
	assert_success
	assert_output "$flat"
}

@test "a map needs neither a name nor a PCI line" {
	map 'register A 0x0'
	dump "$F"
	assert_success
	assert_line -n 0 "name "
	refute_line --partial "pci "
}

@test "a map without a single field: imported, then from the cache, the same map" {
	# no field anywhere: the builder has no field array at all
	map 'register A 0x0
register B 0x4 size 16 reset 7'
	run "$DUMP" "$F"
	assert_success
	assert_output "name 
absolute no
cached no
reg A addr 0x0 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg B addr 0x4 size 16 access read-write write normal read none reset 0x7 mask 0xffff"
	local first=$output
	run "$DUMP" "$F"
	assert_success
	assert_output "${first/cached no/cached yes}"
}

@test "a source over 64 MiB is refused before it is read" {
	map 'register A 0x0'
	truncate -s $((64 << 20 | 1)) "$F"	# sparse: no disk used
	dump "$F"
	assert_failure 1
	assert_output "F: 67108865 bytes; a register map is at most 64 MiB"
}

@test "a second load comes from the cache, the same map" {
	run "$DUMP" "$MAPS/edu.regmap"
	assert_success
	assert_line -n 2 "cached no"
	local first=$output
	run "$DUMP" "$MAPS/edu.regmap"
	assert_success
	assert_line -n 2 "cached yes"
	assert_output "${first/cached no/cached yes}"
}

# ---- sniffing: which files are native maps -------------------------------------

@test "the header may follow comments and blank lines; nothing else may come first" {
	printf '# a map\n\n   # more\nphysmem-regmap 1\nregister A 0\n' > "$F"
	dump "$F"
	assert_success
	printf 'name x\nphysmem-regmap 1\nregister A 0\n' > "$F"
	dump "$F"
	assert_failure 1
	assert_output --partial "F: not a register map"
	printf 'physmem-regmap1\nregister A 0\n' > "$F"
	dump "$F"
	assert_failure 1
	assert_output --partial "F: not a register map"
}

@test "XML is not taken for a native map, even with the header in a comment" {
	printf '<?xml version="1.0"?>\nphysmem-regmap 1\n<!-- physmem-regmap 1 -->\n<nothing/>\n' > "$F"
	dump "$F"
	assert_failure 1
	assert_output --partial "F: not a register map"
	printf '<!-- x -->\nphysmem-regmap 1\n' > "$F"
	dump "$F"
	assert_failure 1
	assert_output --partial "F: not a register map"
}

# ---- refused, with FILE:LINE: message, nothing loaded ----------------------------

@test "refused: the header's version, a second header, a map without registers" {
	refused bad-version bad-header-twice bad-no-registers
}

@test "refused: unknown keywords and words, wrong counts of words" {
	refused bad-keyword bad-word bad-value-missing bad-default-empty bad-too-many-words
}

@test "refused: PCI IDs that are not hex VENDOR:DEVICE, BARs past 5, 'bar' left out" {
	refused bad-pci-id bad-pci-bar bad-pci-usage bad-pci-alone
}

@test "refused: numbers that are not numbers or do not fit in 64 bits" {
	refused bad-number bad-number-underscore bad-number-64
}

@test "refused: bad names, map names and array names" {
	refused bad-name bad-map-name bad-name-twice bad-array-name bad-array-size
}

@test "refused: duplicate names among registers, blocks, arrays, fields and enums" {
	refused bad-dup-register bad-dup-block-register bad-dup-array bad-dup-field bad-dup-enum
}

@test "refused: a field or an enum outside its register or field" {
	refused bad-field-first bad-field-after-end bad-field-after-default bad-enum-no-field
}

@test "refused: fields outside the register, overlapping, bits badly written" {
	refused bad-field-outside bad-field-overlap bad-field-bit64 bad-field-bits bad-field-bits-up
}

@test "refused: an enum value wider than its field" {
	refused bad-enum-wide
}

@test "refused: write ranges that are empty or do not fit, or come with enums-only" {
	refused bad-range bad-range-wide bad-range-enums-only
}

@test "refused: access rules, write and read actions that are unknown or ambiguous" {
	refused bad-access bad-write-action bad-read-action bad-ambiguous
}

@test "refused: attributes given twice or where they do not belong" {
	refused bad-twice bad-desc-twice bad-not-allowed bad-default-desc bad-stride-no-array
}

@test "refused: sizes, alignment, reset values and masks wider than the register" {
	refused bad-size bad-align bad-reset-wide bad-mask-wide bad-mask-no-reset
}

@test "refused: absolute and relative mixed; 'at' inside a block; no offset" {
	refused bad-mixed-absolute bad-mixed-relative bad-at-in-block bad-no-offset
}

@test "refused: blocks without 'end', 'end' without a block or with another's name, too deep" {
	refused bad-block-no-end bad-end-no-block bad-end-name bad-depth bad-pci-in-block
}

@test "refused: arrays that overlap, lack a stride, or pass the end of the address space" {
	refused bad-stride-small bad-block-stride bad-address-overflow bad-array-overflow
}

@test "refused at once: arrays of arrays past a million registers, fields and enums" {
	refused bad-expanded
}

@test "refused: unterminated strings, unknown escapes, quotes run into words" {
	refused bad-unterminated bad-escape bad-after-quote bad-quote-in-word
}

@test "refused: NUL and other control bytes outside strings and inside them" {
	printf 'physmem-regmap 1\nregister A 0x0\x00\n' > "$F"
	dump "$F"
	assert_failure 1
	assert_output "F:2: control character 0x00"
	printf 'physmem-regmap 1\nregister A 0x0 "a\x1bb"\n' > "$F"
	dump "$F"
	assert_failure 1
	assert_output "F:2: control character 0x1b in a string"
	printf 'physmem-regmap 1\nregister A 0x0\rrw\n' > "$F"
	dump "$F"
	assert_failure 1
	assert_output "F:2: control character 0x0d"
}

@test "every bad-*.regmap fixture is refused by a test here" {
	local f name
	for f in "$FIX"/bad-*.regmap; do
		name=$(basename "$f" .regmap)
		grep -qw -- "$name" "$BATS_TEST_FILENAME" || fail "$name.regmap is in no test"
	done
}
