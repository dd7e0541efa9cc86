#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The CMSIS-SVD importer: RP2040.svd checked against values read in the
# file by hand, small fixtures (tests/host/regmaps/svd) for arrays, nested
# clusters, derivedFrom and inheritance, and malformed files refused with
# "FILE:LINE: message" and nothing loaded. regmap-dump prints the map:
#   reg NAME addr A size N access A write W read R reset V mask M [side-effect]
#     field NAME lsb N width N access A write W read R [constraint ...]
#       enum NAME value V [default]

load regmap

FIX="$TOP/tests/host/regmaps/svd"
RP2040="$TOP/../shared/data/svd/RP2040.svd"

need_rp2040() {
	[ -r "$RP2040" ] || skip "no $RP2040"
}

# refused MESSAGE: $F fails to load with exactly "F:MESSAGE" and prints
# nothing else (nothing was loaded).
refused() {
	dump "$F"
	assert_failure 1
	assert_output "F:$1"
}

# peripherals BODY: $F is a device T whose <peripherals> is BODY, which
# starts on line 5.
peripherals() {
	cat > "$F" <<EOF
<?xml version="1.0"?>
<device>
  <name>T</name>
  <peripherals>
$1
  </peripherals>
</device>
EOF
}

# regs BODY: $F is a device with one peripheral P at 0x40000000 whose
# <registers> is BODY, which starts on line 9.
regs() {
	peripherals "    <peripheral>
      <name>P</name>
      <baseAddress>0x40000000</baseAddress>
      <registers>
$1
      </registers>
    </peripheral>"
}

# ---- RP2040.svd ------------------------------------------------------------

@test "RP2040: imports, absolute, named after the device" {
	need_rp2040
	dump "$RP2040"
	assert_success
	assert_line -n 0 "name RP2040"
	assert_line -n 1 "absolute yes"
	assert_line -n 2 "cached no"
	# 1015 <register> elements, and the five derived peripherals (lines
	# 23482 PLL_USB, 24287 UART1, 37182 I2C1, 37604 SPI1, 39886 PIO1)
	# repeat their bases' registers
	[ "$(grep -c '^reg ' <<<"$output")" -gt 1015 ]
}

@test "RP2040: a field with enumerated values (CLOCKS.CLK_GPOUT0_CTRL)" {
	need_rp2040
	# lines 843-844: CLOCKS at 0x40008000; 856-859: CLK_GPOUT0_CTRL at
	# offset 0, resetValue 0; device (27-30): size 32, resetMask
	# 0xffffffff, read-write; 893-943: AUXSRC [8:5], eleven values
	dump "$RP2040" CLOCKS.CLK_GPOUT0_CTRL
	assert_success
	assert_line -n 3 "reg CLOCKS.CLK_GPOUT0_CTRL addr 0x40008000 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff"
	assert_line -n 4 "  field AUXSRC lsb 5 width 4 access read-write write normal read none"
	assert_line -n 5 "    enum clksrc_pll_sys value 0x0"
	assert_line -n 9 "    enum rosc_clksrc value 0x4"
	assert_line -n 15 "    enum clk_ref value 0xa"
	assert_line -n 16 "  field KILL lsb 10 width 1 access read-write write normal read none"
	assert_line "  field PHASE lsb 16 width 2 access read-write write normal read none"
	assert_line "  field NUDGE lsb 20 width 1 access read-write write normal read none"
}

@test "RP2040: a reset value and the next register (CLOCKS.CLK_GPOUT1_DIV)" {
	need_rp2040
	# lines 1074-1090: offset 0x10, resetValue 0x100, INT [31:8], FRAC [7:0]
	dump "$RP2040" CLOCKS.CLK_GPOUT1_DIV
	assert_success
	assert_output "name RP2040
absolute yes
cached no
reg CLOCKS.CLK_GPOUT1_DIV addr 0x40008010 size 32 access read-write write normal read none reset 0x100 mask 0xffffffff
  field FRAC lsb 0 width 8 access read-write write normal read none
  field INT lsb 8 width 24 access read-write write normal read none"
}

@test "RP2040: oneToClear fields (UART0.UARTRSR)" {
	need_rp2040
	# lines 23487-23488: UART0 at 0x40034000; 23539-23570: UARTRSR at 4,
	# OE [3:3], BE [2:2], PE [1:1], FE [0:0], each read-write oneToClear
	dump "$RP2040" UART0.UARTRSR
	assert_success
	assert_output "name RP2040
absolute yes
cached no
reg UART0.UARTRSR addr 0x40034004 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff
  field FE lsb 0 width 1 access read-write write oneToClear read none
  field PE lsb 1 width 1 access read-write write oneToClear read none
  field BE lsb 2 width 1 access read-write write oneToClear read none
  field OE lsb 3 width 1 access read-write write oneToClear read none"
}

@test "RP2040: readAction modify makes a side effect, in a derived peripheral too (UARTDR)" {
	need_rp2040
	# lines 23500-23535: UARTDR at 0, DATA [7:0] read-write, readAction
	# modify; OE/BE/PE/FE [11:8] read-only. 24287-24289: UART1 derived
	# from UART0 at 0x40038000, no registers of its own
	dump "$RP2040" 'UART?.UARTDR'
	assert_success
	assert_line -n 3 "reg UART0.UARTDR addr 0x40034000 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff side-effect"
	assert_line -n 4 "  field DATA lsb 0 width 8 access read-write write normal read modify"
	assert_line -n 5 "  field FE lsb 8 width 1 access read-only write normal read none"
	assert_line -n 8 "  field OE lsb 11 width 1 access read-only write normal read none"
	assert_line -n 9 "reg UART1.UARTDR addr 0x40038000 size 32 access read-write write normal read none reset 0x0 mask 0xffffffff side-effect"
	assert_line -n 10 "  field DATA lsb 0 width 8 access read-write write normal read modify"
}

@test "RP2040: a read-only FIFO read with a side effect (XIP_CTRL.STREAM_FIFO)" {
	need_rp2040
	# lines 22784-22786: XIP_CTRL at 0x14000000; 22957-22971: at 0x1c, one
	# read-only field [31:0] with readAction modify
	dump "$RP2040" XIP_CTRL.STREAM_FIFO
	assert_success
	assert_line -n 3 "reg XIP_CTRL.STREAM_FIFO addr 0x1400001c size 32 access read-write write normal read none reset 0x0 mask 0xffffffff side-effect"
	assert_line -n 4 "  field STREAM_FIFO lsb 0 width 32 access read-only write normal read modify"
}

@test "RP2040: resetMask 0 overrides the device's: reset unknown (SYSINFO.GITREF_RP2040)" {
	need_rp2040
	# lines 21079-21080: SYSINFO at 0x40000000; 21128-21139: GITREF_RP2040
	# at 0x10 with resetMask 0 and a read-only field [31:0]
	dump "$RP2040" 'SYSINFO.GITREF*'
	assert_success
	assert_line -n 3 "reg SYSINFO.GITREF_RP2040 addr 0x40000010 size 32 access read-write write normal read none reset 0x0 mask 0x0"
	assert_line -n 4 "  field GITREF_RP2040 lsb 0 width 32 access read-only write normal read none"
}

@test "RP2040: descriptions on one line" {
	need_rp2040
	# lines 862-864: NUDGE's description spans two lines
	run "$DUMP" --no-cache --desc "$RP2040" CLOCKS.CLK_GPOUT0_CTRL
	assert_success
	assert_line "  field NUDGE lsb 20 width 1 access read-write write normal read none desc \"An edge on this signal shifts the phase of the output by 1 cycle of the input clock This can be done at any time\""
}

@test "RP2040: imports in under 0.5 s of CPU, and the cached load lists the same map" {
	need_rp2040
	# CPU time, not wall clock: a loaded test machine must not fail it
	local TIMEFORMAT='%U %S' cpu
	cpu=$( { time "$DUMP" --no-cache "$RP2040" >/dev/null; } 2>&1 )
	echo "import: user, system: $cpu s"
	# a build run under qemu-user (PHYSMEM_BUILD, scripts/cross) spends
	# the emulator's CPU time: the budget is for native code
	[ -n "${PHYSMEM_LDSO:-}" ] ||
		awk -v u="${cpu% *}" -v s="${cpu#* }" 'BEGIN { exit !(u + s < 0.5) }'
	run "$DUMP" "$RP2040"
	assert_success
	assert_line -n 2 "cached no"
	local first="${output#*cached no}"
	run "$DUMP" "$RP2040"
	assert_success
	assert_line -n 2 "cached yes"
	[ "${output#*cached yes}" = "$first" ]
}

# ---- fixtures ------------------------------------------------------------

@test "arrays: %s and [%s] names; dimIndex by default, list, number and letter ranges" {
	dump "$FIX/arrays.svd"
	assert_success
	assert_output "name ARRAYS
absolute yes
cached no
reg GPIOA.IDR addr 0x40010008 size 32 access read-only write normal read none reset 0x0 mask 0x0
  field PIN0 lsb 1 width 2 access read-only write normal read none
  field PIN1 lsb 3 width 2 access read-only write normal read none
  field PIN2 lsb 5 width 2 access read-only write normal read none
  field PIN3 lsb 7 width 2 access read-only write normal read none
reg GPIOB.IDR addr 0x40010408 size 32 access read-only write normal read none reset 0x0 mask 0x0
  field PIN0 lsb 1 width 2 access read-only write normal read none
  field PIN1 lsb 3 width 2 access read-only write normal read none
  field PIN2 lsb 5 width 2 access read-only write normal read none
  field PIN3 lsb 7 width 2 access read-only write normal read none
reg GPIOC.IDR addr 0x40010808 size 32 access read-only write normal read none reset 0x0 mask 0x0
  field PIN0 lsb 1 width 2 access read-only write normal read none
  field PIN1 lsb 3 width 2 access read-only write normal read none
  field PIN2 lsb 5 width 2 access read-only write normal read none
  field PIN3 lsb 7 width 2 access read-only write normal read none
reg TIMER[0].CC1 addr 0x40020010 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[0].CC2 addr 0x40020014 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[0].CC3 addr 0x40020018 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[0].MODE_LOW addr 0x40020020 size 16 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[0].MODE_HIGH addr 0x40020024 size 16 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[0].DATA[0] addr 0x40020030 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[0].DATA[1] addr 0x40020031 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[1].CC1 addr 0x40021010 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[1].CC2 addr 0x40021014 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[1].CC3 addr 0x40021018 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[1].MODE_LOW addr 0x40021020 size 16 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[1].MODE_HIGH addr 0x40021024 size 16 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[1].DATA[0] addr 0x40021030 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg TIMER[1].DATA[1] addr 0x40021031 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg DMA.CH[0].SRC addr 0x40030100 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg DMA.CH[0].SLOTX.CNT addr 0x40030114 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg DMA.CH[0].SLOTY.CNT addr 0x4003011c size 32 access read-write write normal read none reset 0x0 mask 0x0
reg DMA.CH[1].SRC addr 0x40030120 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg DMA.CH[1].SLOTX.CNT addr 0x40030134 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg DMA.CH[1].SLOTY.CNT addr 0x4003013c size 32 access read-write write normal read none reset 0x0 mask 0x0"
}

@test "arrays: %s in a description takes the element's index" {
	run "$DUMP" --no-cache --desc "$FIX/arrays.svd" GPIOB.IDR
	assert_success
	assert_line "  field PIN2 lsb 5 width 2 access read-only write normal read none desc \"pin 2 level\""
}

@test "arrays: names are looked up as the importer expanded them" {
	dump "$FIX/arrays.svd" 'DMA.CH\[1\].*'
	assert_success
	assert_line -n 3 "reg DMA.CH[1].SRC addr 0x40030120 size 32 access read-write write normal read none reset 0x0 mask 0x0"
	assert_line -n 5 "reg DMA.CH[1].SLOTY.CNT addr 0x4003013c size 32 access read-write write normal read none reset 0x0 mask 0x0"
	[ "${#lines[@]}" -eq 6 ]
}

@test "clusters: nested three deep, addresses summed, arrays inside arrays" {
	dump "$FIX/clusters.svd"
	assert_success
	assert_output "name CLUSTERS
absolute yes
cached no
reg USB.CTRL addr 0x50100000 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg USB.EP[0].CFG addr 0x50100100 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg USB.EP[0].BUF.ADDR addr 0x50100110 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg USB.EP[0].BUF.DESC[0].LEN addr 0x50100120 size 16 access read-write write normal read none reset 0x0 mask 0x0
reg USB.EP[0].BUF.DESC[0].FLAGS addr 0x50100122 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg USB.EP[0].BUF.DESC[1].LEN addr 0x50100124 size 16 access read-write write normal read none reset 0x0 mask 0x0
reg USB.EP[0].BUF.DESC[1].FLAGS addr 0x50100126 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg USB.EP[1].CFG addr 0x50100200 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg USB.EP[1].BUF.ADDR addr 0x50100210 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg USB.EP[1].BUF.DESC[0].LEN addr 0x50100220 size 16 access read-write write normal read none reset 0x0 mask 0x0
reg USB.EP[1].BUF.DESC[0].FLAGS addr 0x50100222 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg USB.EP[1].BUF.DESC[1].LEN addr 0x50100224 size 16 access read-write write normal read none reset 0x0 mask 0x0
reg USB.EP[1].BUF.DESC[1].FLAGS addr 0x50100226 size 8 access read-write write normal read none reset 0x0 mask 0x0
reg USB.STATUS addr 0x50100ffc size 32 access read-only write normal read none reset 0x0 mask 0x0"
}

@test "derivedFrom: peripherals, clusters, registers, fields and enumeratedValues" {
	dump "$FIX/derived.svd"
	assert_success
	assert_output "name DERIVED
absolute yes
cached no
reg UART0.CTRL addr 0x40000000 size 32 access read-write write normal read none reset 0x300 mask 0xffffffff
  field EN lsb 0 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
  field TXEN lsb 8 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
  field RXEN lsb 9 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
reg UART0.CTRL2 addr 0x40000004 size 32 access read-write write normal read none reset 0x1 mask 0xffffffff
  field EN lsb 0 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
  field TXEN lsb 8 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
  field RXEN lsb 9 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
reg UART0.FIFO.DATA addr 0x40000010 size 8 access read-only write normal read modify reset 0x0 mask 0x0 side-effect
reg UART0.FIFO.LEVEL addr 0x40000014 size 32 access read-write write normal read none reset 0x300 mask 0xffffffff
  field N lsb 0 width 8 access read-write write normal read none
reg UART0.FIFO2.DATA addr 0x40000020 size 8 access read-only write normal read modify reset 0x0 mask 0x0 side-effect
reg UART0.FIFO2.LEVEL addr 0x40000024 size 32 access read-write write normal read none reset 0x300 mask 0xffffffff
  field N lsb 0 width 8 access read-write write normal read none
reg UART1.CTRL addr 0x40001000 size 32 access read-write write normal read none reset 0x300 mask 0xffffffff
  field EN lsb 0 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
  field TXEN lsb 8 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
  field RXEN lsb 9 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
reg UART1.CTRL2 addr 0x40001004 size 32 access read-write write normal read none reset 0x1 mask 0xffffffff
  field EN lsb 0 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
  field TXEN lsb 8 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
  field RXEN lsb 9 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
reg UART1.FIFO.DATA addr 0x40001010 size 8 access read-only write normal read modify reset 0x0 mask 0x0 side-effect
reg UART1.FIFO.LEVEL addr 0x40001014 size 32 access read-write write normal read none reset 0x300 mask 0xffffffff
  field N lsb 0 width 8 access read-write write normal read none
reg UART1.FIFO2.DATA addr 0x40001020 size 8 access read-only write normal read modify reset 0x0 mask 0x0 side-effect
reg UART1.FIFO2.LEVEL addr 0x40001024 size 32 access read-write write normal read none reset 0x300 mask 0xffffffff
  field N lsb 0 width 8 access read-write write normal read none
reg UART2.STATUS addr 0x40002000 size 32 access read-only write normal read none reset 0x0 mask 0x0
  field BUSY lsb 3 width 1 access read-only write normal read none
    enum OFF value 0x0
    enum ON value 0x1
  field MODE lsb 4 width 2 access read-only write normal read none
    enum OFF value 0x0
    enum ON value 0x1
reg UART2.RX addr 0x40002008 size 8 access read-only write normal read modify reset 0x0 mask 0x0 side-effect
reg UART2.Q.DATA addr 0x40002040 size 8 access read-only write normal read modify reset 0x0 mask 0x0 side-effect
reg UART2.Q.LEVEL addr 0x40002044 size 32 access read-only write normal read none reset 0x300 mask 0xffffffff
  field N lsb 0 width 8 access read-only write normal read none
reg SPI.CTRL addr 0x40003000 size 32 access read-write write normal read none reset 0x55 mask 0xffffffff
  field PWR lsb 0 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1
reg SPI.CTRL_COPY addr 0x40003004 size 32 access read-write write normal read none reset 0x55 mask 0xffffffff
  field PWR lsb 0 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1"
}

@test "inheritance: size, access, reset from device, peripheral, cluster, register to field" {
	dump "$FIX/inherit.svd"
	assert_success
	# device: 16 bits, read-only, reset 0x1234 of mask 0xff0f
	assert_line -n 3 "reg P.DEV addr 0x50000000 size 16 access read-only write normal read none reset 0x1204 mask 0xff0f"
	# peripheral Q: read-write, mask 0xffff
	assert_line -n 4 "reg Q.PER addr 0x50001000 size 16 access read-write write normal read none reset 0x1234 mask 0xffff"
	# cluster C: 32 bits, reset 0x80000000 of 0xffffffff
	assert_line -n 5 "reg Q.C.CLU addr 0x50001100 size 32 access read-write write normal read none reset 0x80000000 mask 0xffffffff"
	# the register's own
	assert_line -n 6 "reg Q.C.REG addr 0x50001104 size 8 access write-only write normal read none reset 0x50 mask 0xf0"
	# fields without access or modifiedWriteValues take the register's
	assert_line -n 7 "reg Q.C.W1C addr 0x50001108 size 32 access read-write write oneToClear read clear reset 0x80000000 mask 0xffffffff side-effect"
	assert_line -n 8 "  field A lsb 0 width 1 access read-write write oneToClear read none"
	assert_line -n 9 "  field B lsb 1 width 3 access read-only write oneToSet read set"
	assert_line -n 10 "  field C lsb 4 width 4 access writeOnce write oneToClear read none"
}

@test "fields: bit ranges in three forms, writeConstraint, enums of two usages, don't-care bits" {
	dump "$FIX/inherit.svd" Q.C.W1C
	assert_success
	assert_output "name INHERIT
absolute yes
cached no
reg Q.C.W1C addr 0x50001108 size 32 access read-write write oneToClear read clear reset 0x80000000 mask 0xffffffff side-effect
  field A lsb 0 width 1 access read-write write oneToClear read none
  field B lsb 1 width 3 access read-only write oneToSet read set
  field C lsb 4 width 4 access writeOnce write oneToClear read none
  field D lsb 8 width 4 access read-writeOnce write oneToClear read none constraint 2..9
  field E lsb 12 width 2 access read-write write oneToClear read none constraint enum
    enum IDLE value 0x0
    enum BUSY value 0x1
    enum GO value 0x1
  field F lsb 14 width 2 access read-write write oneToClear read none
    enum LOW value 0x0
    enum LOW value 0x1
    enum OTHER value 0x0 default
  field G lsb 16 width 5 access read-write write oneToClear read none
    enum ODD value 0x5
    enum ODD value 0x7
    enum ANY value 0x0"
}

@test "sniff: comments and a DOCTYPE before <device>, a namespace prefix" {
	cat > "$F" <<'EOF'
<?xml version="1.0"?>
<!-- a comment that mentions <component> -->
<!DOCTYPE device>
<?processing instruction?>
<svd:device xmlns:svd="urn:example">
  <svd:name>NS</svd:name>
  <svd:peripherals><svd:peripheral>
    <svd:name>P</svd:name><svd:baseAddress>0x1000</svd:baseAddress>
    <svd:registers><svd:register><svd:name>R</svd:name><svd:addressOffset>4</svd:addressOffset></svd:register></svd:registers>
  </svd:peripheral></svd:peripherals>
</svd:device>
EOF
	dump "$F"
	assert_success
	assert_output "name NS
absolute yes
cached no
reg P.R addr 0x1004 size 32 access read-write write normal read none reset 0x0 mask 0x0"
}

@test "numbers: hex, #binary, decimal with + and a k scale, blanks around them" {
	regs '        <register>
          <name>R</name>
          <addressOffset> +1k </addressOffset>
          <size>0x10</size>
          <resetValue>#1010</resetValue>
        </register>'
	dump "$F"
	assert_success
	assert_line -n 3 "reg P.R addr 0x40000400 size 16 access read-write write normal read none reset 0xa mask 0xffff"
}

@test "derivedFrom: a plain name means another element, not the one deriving" {
	regs '        <register><name>R1</name><addressOffset>0</addressOffset><fields>
          <field><name>EN</name><bitOffset>5</bitOffset><bitWidth>2</bitWidth></field>
        </fields></register>
        <register><name>R2</name><addressOffset>4</addressOffset><fields>
          <field derivedFrom="EN"><name>EN</name></field>
        </fields></register>'
	dump "$F" P.R2
	assert_success
	assert_line -n 4 "  field EN lsb 5 width 2 access read-write write normal read none"
}

# ---- malformed files -----------------------------------------------------

@test "malformed: not well-formed XML, at the parser's line" {
	regs '        <register>
          <name>R</name>
        </registr>'
	refused "11: Opening and ending tag mismatch: register line 9 and registr"
}

@test "malformed: a device, peripheral, register or field without its name" {
	cat > "$F" <<'EOF'
<device>
  <peripherals/>
</device>
EOF
	refused "1: <device> without a <name>"
	regs '        <register>
          <addressOffset>0</addressOffset>
        </register>'
	refused "9: <register> without a <name>"
	regs '        <register><name>R</name><addressOffset>0</addressOffset>
          <fields><field><bitOffset>0</bitOffset></field></fields>
        </register>'
	refused "10: <field> without a <name>"
}

@test "malformed: names with a dot, a blank or a control character" {
	regs '        <register><name>A.B</name><addressOffset>0</addressOffset></register>'
	refused "9: <register> name 'A.B': no blanks, dots or control characters"
	regs '        <cluster><name>C D</name><addressOffset>0</addressOffset>
          <register><name>R</name><addressOffset>0</addressOffset></register></cluster>'
	refused "9: <cluster> name 'C D': no blanks, dots or control characters"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><bitOffset>0</bitOffset><enumeratedValues>
            <enumeratedValue><name>A&#9;B</name><value>0</value></enumeratedValue>
          </enumeratedValues></field>
        </fields></register>'
	refused "11: <enumeratedValue> name 'A?B': no control characters"
}

@test "malformed: a peripheral without baseAddress, a register or cluster without addressOffset" {
	peripherals '    <peripheral>
      <name>P</name>
    </peripheral>'
	refused "5: peripheral 'P' without <baseAddress>"
	regs '        <register>
          <name>R</name>
        </register>'
	refused "9: register 'R' without <addressOffset>"
	regs '        <cluster>
          <name>C</name>
          <register><name>R</name><addressOffset>0</addressOffset></register>
        </cluster>'
	refused "9: cluster 'C' without <addressOffset>"
}

@test "malformed: numbers that are not, or exceed 64 bits" {
	regs '        <register>
          <name>R</name>
          <addressOffset>0x4z</addressOffset>
        </register>'
	refused "11: <addressOffset>: '0x4z' is not a number"
	regs '        <register>
          <name>R</name>
          <addressOffset>0</addressOffset>
          <resetValue>0x10000000000000000</resetValue>
        </register>'
	refused "12: <resetValue>: '0x10000000000000000' is not a number (over 64 bits)"
	regs '        <register>
          <name>R</name>
          <addressOffset>0</addressOffset>
          <fields><field><name>F</name><bitOffset>2</bitOffset>
            <enumeratedValues><enumeratedValue><name>A</name><value>#12</value></enumeratedValue></enumeratedValues>
          </field></fields>
        </register>'
	refused "13: <value>: '#12' is not a number"
}

@test "malformed: unknown access, modifiedWriteValues, readAction, usage, boolean" {
	regs '        <register>
          <name>R</name>
          <addressOffset>0</addressOffset>
          <access>read-mostly</access>
        </register>'
	refused "12: <access>: unknown value 'read-mostly'"
	regs '        <register>
          <name>R</name>
          <addressOffset>0</addressOffset>
          <modifiedWriteValues>oneToFlip</modifiedWriteValues>
        </register>'
	refused "12: <modifiedWriteValues>: unknown value 'oneToFlip'"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><bitOffset>0</bitOffset>
            <readAction>none</readAction>
          </field>
        </fields></register>'
	refused "11: <readAction>: unknown value 'none'"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><bitOffset>0</bitOffset>
            <enumeratedValues><usage>sometimes</usage>
              <enumeratedValue><name>A</name><value>0</value></enumeratedValue>
            </enumeratedValues>
          </field>
        </fields></register>'
	refused "11: <usage>: unknown value 'sometimes'"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><bitOffset>0</bitOffset>
            <enumeratedValues>
              <enumeratedValue><name>A</name><isDefault>yes</isDefault></enumeratedValue>
            </enumeratedValues>
          </field>
        </fields></register>'
	refused "12: <isDefault>: 'yes' is not true or false"
}

@test "malformed: register size, addressUnitBits" {
	regs '        <register>
          <name>R</name>
          <addressOffset>0</addressOffset>
          <size>24</size>
        </register>'
	refused "12: <size> 24: not 8, 16, 32 or 64"
	cat > "$F" <<'EOF'
<device>
  <name>T</name>
  <addressUnitBits>16</addressUnitBits>
  <peripherals/>
</device>
EOF
	refused "3: addressUnitBits 16: only byte addresses (8) are supported"
}

@test "malformed: fields without a bit range, with a bad one, outside the register, overlapping" {
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><access>read-only</access></field>
        </fields></register>'
	refused "10: field 'F' without <bitOffset>, <lsb>/<msb> or <bitRange>"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name>
            <bitRange>[3-0]</bitRange></field>
        </fields></register>'
	refused "11: field 'F': <bitRange> '[3-0]' is not [MSB:LSB]"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><lsb>4</lsb>
            <msb>3</msb></field>
        </fields></register>'
	refused "11: field 'F': msb 3 below lsb 4"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><lsb>4</lsb></field>
        </fields></register>'
	refused "10: field 'F': <lsb> without <msb>"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><size>16</size><fields>
          <field><name>F</name><bitRange>[17:16]</bitRange></field>
        </fields></register>'
	refused "10: field P.R.F: bits 17..16 are outside the 16-bit register"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><bitOffset>70</bitOffset></field>
        </fields></register>'
	refused "10: field 'F': bits 70 + 1 are not within 64 bits"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><bitRange>[3:0]</bitRange></field>
          <field><name>G</name><bitRange>[4:3]</bitRange></field>
        </fields></register>'
	refused "11: field P.R.G (bits 4..3) overlaps field F (line 10)"
}

@test "malformed: enumerated values without a value, or too wide for the field" {
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><bitOffset>0</bitOffset><enumeratedValues>
            <enumeratedValue><name>A</name></enumeratedValue>
          </enumeratedValues></field>
        </fields></register>'
	refused "11: enumeratedValue 'A' without <value> or <isDefault>"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><bitOffset>0</bitOffset><bitWidth>2</bitWidth><enumeratedValues>
            <enumeratedValue><name>BIG</name><value>4</value></enumeratedValue>
          </enumeratedValues></field>
        </fields></register>'
	refused "11: field F: value BIG = 0x4 does not fit in its 2 bits"
}

@test "malformed: writeConstraint without a kind, a range upside down" {
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><bitOffset>0</bitOffset><bitWidth>4</bitWidth>
            <writeConstraint/>
          </field>
        </fields></register>'
	refused "11: <writeConstraint> without writeAsRead, useEnumeratedValues or range"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><bitOffset>0</bitOffset><bitWidth>4</bitWidth>
            <writeConstraint><range><minimum>5</minimum><maximum>2</maximum></range></writeConstraint>
          </field>
        </fields></register>'
	refused "11: <range>: minimum above maximum"
}

@test "malformed: derivedFrom naming nothing, at each level" {
	regs '        <register derivedFrom="NOPE">
          <name>R</name>
          <addressOffset>0</addressOffset>
        </register>'
	refused "9: derivedFrom 'NOPE': no such register"
	regs '        <cluster derivedFrom="P.NOPE"><name>C</name><addressOffset>0</addressOffset></cluster>'
	refused "9: derivedFrom 'P.NOPE': no such cluster"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field derivedFrom="P.R.NOPE"><name>F</name><bitOffset>0</bitOffset></field>
        </fields></register>'
	refused "10: derivedFrom 'P.R.NOPE': no such field"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><fields>
          <field><name>F</name><bitOffset>0</bitOffset>
            <enumeratedValues derivedFrom="NOPE"/></field>
        </fields></register>'
	refused "11: derivedFrom 'NOPE': no such enumeratedValues"
	# a path to a register is not a cluster
	regs '        <register><name>R</name><addressOffset>0</addressOffset></register>
        <cluster derivedFrom="P.R"><name>C</name><addressOffset>0</addressOffset></cluster>'
	refused "10: derivedFrom 'P.R': no such cluster"
	peripherals '    <peripheral derivedFrom="NOPE">
      <name>P</name>
      <baseAddress>0</baseAddress>
    </peripheral>'
	refused "5: derivedFrom 'NOPE': no such peripheral"
}

@test "malformed: derivedFrom of itself, cycles, and too long a chain" {
	regs '        <register derivedFrom="R">
          <name>R</name>
          <addressOffset>0</addressOffset>
        </register>'
	refused "9: derivedFrom 'R': no such register"
	regs '        <register derivedFrom="B"><name>A</name><addressOffset>0</addressOffset></register>
        <register derivedFrom="A"><name>B</name><addressOffset>4</addressOffset></register>'
	refused "9: <register> derivedFrom cycle: A -> B -> A"
	local body='        <register><name>R0</name><addressOffset>0</addressOffset></register>' i
	for i in $(seq 1 16); do
		body+="
        <register derivedFrom=\"R$((i - 1))\"><name>R$i</name></register>"
	done
	regs "$body"
	refused "25: <register> derivedFrom chain longer than 16"
	peripherals '    <peripheral derivedFrom="Q"><name>P</name><baseAddress>0</baseAddress></peripheral>
    <peripheral derivedFrom="P"><name>Q</name><baseAddress>0</baseAddress></peripheral>'
	refused "5: <peripheral> derivedFrom cycle: P -> Q -> P"
}

@test "malformed: a cluster derived from the cluster that contains it" {
	regs '        <cluster>
          <name>C</name>
          <addressOffset>0</addressOffset>
          <register><name>R</name><addressOffset>0</addressOffset></register>
          <cluster derivedFrom="C"><name>D</name><addressOffset>0x10</addressOffset></cluster>
        </cluster>'
	refused "13: cluster 'D' derives from a cluster that contains it"
}

@test "malformed: arrays without dimIncrement, %s, dim, or with dimIndex of another length" {
	regs '        <register><dim>2</dim><name>R%s</name><addressOffset>0</addressOffset></register>'
	refused "9: 'R%s': <dim> without <dimIncrement>"
	regs '        <register><dim>2</dim><dimIncrement>4</dimIncrement><name>R</name><addressOffset>0</addressOffset></register>'
	refused "9: 'R': an array (dim 2) needs %s in its name"
	regs '        <register><name>R%s</name><addressOffset>0</addressOffset></register>'
	refused "9: 'R%s': %s in the name but no <dim>"
	regs '        <register>
          <dim>3</dim><dimIncrement>4</dimIncrement>
          <dimIndex>A,B</dimIndex>
          <name>R%s</name><addressOffset>0</addressOffset></register>'
	refused "11: <dimIndex> does not have dim (3) entries"
	regs '        <register>
          <dim>3</dim><dimIncrement>4</dimIncrement>
          <dimIndex>0-3</dimIndex>
          <name>R%s</name><addressOffset>0</addressOffset></register>'
	refused "11: <dimIndex> does not have dim (3) entries"
	regs '        <register>
          <dim>2</dim><dimIncrement>4</dimIncrement>
          <dimIndex>A,B-C</dimIndex>
          <name>R%s</name><addressOffset>0</addressOffset></register>'
	refused "11: <dimIndex>: bad entry 'B-C'"
	regs '        <register>
          <dim>0</dim><dimIncrement>4</dimIncrement>
          <name>R%s</name><addressOffset>0</addressOffset></register>'
	refused "10: <dim> 0: not 1 to 65536"
}

@test "malformed: two registers of one name, a field array past bit 63" {
	regs '        <register><name>R</name><addressOffset>0</addressOffset></register>
        <register><name>R</name><addressOffset>4</addressOffset></register>'
	refused "10: two registers named P.R (also line 9)"
	regs '        <register><name>R</name><addressOffset>0</addressOffset><size>64</size><fields>
          <field><dim>5</dim><dimIncrement>16</dimIncrement><name>F%s</name><bitOffset>0</bitOffset><bitWidth>8</bitWidth></field>
        </fields></register>'
	refused "10: field array 'F%s': element 4 is beyond bit 63"
}

@test "malformed: addresses past 64 bits" {
	peripherals '    <peripheral>
      <name>P</name>
      <baseAddress>0xfffffffffffffff0</baseAddress>
      <registers>
        <register><name>R</name><addressOffset>0x20</addressOffset></register>
      </registers>
    </peripheral>'
	refused "9: register 'R': address beyond 64 bits"
	regs '        <cluster>
          <dim>3</dim><dimIncrement>0x8000000000000000</dimIncrement>
          <name>C%s</name><addressOffset>0</addressOffset>
          <register><name>R</name><addressOffset>0</addressOffset></register>
        </cluster>'
	refused "9: cluster 'C%s': address beyond 64 bits"
}

@test "malformed: arrays that expand to millions of registers" {
	regs '        <cluster>
          <dim>65536</dim><dimIncrement>0x10000</dimIncrement>
          <name>A%s</name><addressOffset>0</addressOffset>
          <cluster>
            <dim>65536</dim><dimIncrement>4</dimIncrement>
            <name>B%s</name><addressOffset>0</addressOffset>
            <register><name>R</name><addressOffset>0</addressOffset></register>
          </cluster>
        </cluster>'
	refused "12: the file expands to more than 4194304 elements (arrays and derivedFrom copies)"
}

@test "malformed: clusters nested too deep" {
	local body='' i
	for i in $(seq 0 33); do
		body+="<cluster><name>C$i</name><addressOffset>0</addressOffset>"
	done
	body+='<register><name>R</name><addressOffset>0</addressOffset></register>'
	for i in $(seq 0 33); do
		body+='</cluster>'
	done
	regs "$body"
	refused "9: 'P.C0.C1.C2.C3.C4.C5.C6.C7.C8.C9.C10.C11.C12.C13.C14.C15.C16.C17.C18.C19.C20.C21.C22.C23.C24.C25.C26.C27.C28.C29.C30.C31.C32': clusters nested deeper than 32"
}
