#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The IP-XACT importer (libphys/regmap-ipxact.c): components in the IEEE
# 1685-2009 "spirit", 2014 "ipxact" and 2022 namespaces, read through
# regmap-dump, which prints what libphys loaded:
#   reg NAME addr 0x.. size N access A write W read R reset 0x.. mask 0x.. [side-effect]
#     field NAME lsb N width N access A write W read R [constraint ...]
#       enum NAME value 0x..
# Fixtures in regmaps/ipxact; malformed inputs are written by the tests,
# a component around an addressBlock's contents (see component()).

load regmap

FIX="$TOP/tests/host/regmaps/ipxact"

# component: $F is a 2014 component whose one addressBlock "b" (base 0,
# range 0x100, width 32) holds stdin, from line 4 on.
component() {
	{
		echo '<?xml version="1.0"?>'
		echo '<component xmlns="http://www.accellera.org/XMLSchema/IPXACT/1685-2014"><vendor>v</vendor><library>l</library><name>t</name><version>1</version>'
		echo "<memoryMaps><memoryMap><name>m</name><addressBlock><name>b</name><baseAddress>0</baseAddress><range>'h100</range><width>32</width>"
		cat
		echo '</addressBlock></memoryMap></memoryMaps></component>'
	} > "$F"
}

# refused LINE MESSAGE: $F is refused with exactly "F:LINE: MESSAGE" and
# nothing loaded.
refused() {
	dump "$F"
	assert_failure 1
	assert_output "F:$1: $2"
}

# ---- IEEE 1685-2009 --------------------------------------------------------

@test "2009: the component's name, a relative map, bare names and the block's base" {
	dump "$FIX/timer-2009.xml"
	assert_success
	assert_line -n 0 "name timer"
	assert_line -n 1 "absolute no"
	run bash -c "grep '^reg' <<< \"\$0\" | cut -d' ' -f2-4" "$output"
	assert_output "CTRL addr 0x40
COUNT addr 0x44
INTCLR addr 0x48
SNAP addr 0x4c
LOAD[0] addr 0x50
LOAD[1] addr 0x54
CAP.VAL addr 0x60
CAP.FLAG addr 0x64"
}

@test "2009: register reset and mask, fields, enums, write constraints, descriptions" {
	dump --desc "$FIX/timer-2009.xml" CTRL
	assert_success
	assert_output "name timer
absolute no
cached no
reg CTRL addr 0x40 size 32 access read-write write normal read none reset 0x402 mask 0xffff desc \"Control: enable, mode and prescaler.\"
  field EN lsb 0 width 1 access read-write write normal read none
    enum OFF value 0x0
    enum ON value 0x1 desc \"Counting\"
  field MODE lsb 1 width 2 access read-write write normal read none constraint enum
    enum ONESHOT value 0x0
    enum PERIODIC value 0x1
    enum FREERUN value 0x2
  field PRESC lsb 8 width 8 access read-write write normal read none constraint 1..200
  field DBG lsb 31 width 1 access read-write write normal read none"
}

@test "2009: register access reaches fields without their own; no reset is mask 0" {
	dump "$FIX/timer-2009.xml" COUNT
	assert_success
	assert_line -n 3 "reg COUNT addr 0x44 size 32 access read-only write normal read none reset 0x0 mask 0x0"
	assert_line -n 4 "  field VAL lsb 0 width 32 access read-only write normal read none"
}

@test "2009: write-only register with oneToClear fields; reset without a mask is all bits" {
	dump "$FIX/timer-2009.xml" INTCLR
	assert_success
	assert_line -n 3 "reg INTCLR addr 0x48 size 32 access write-only write normal read none reset 0x0 mask 0xffffffff"
	assert_line -n 4 "  field OVF lsb 0 width 1 access write-only write oneToClear read none"
	assert_line -n 5 "  field CMP lsb 1 width 1 access write-only write oneToClear read none"
}

@test "2009: readAction makes a read side effect, in a register and in a registerFile" {
	dump "$FIX/timer-2009.xml" 'SNAP'
	assert_line -n 3 "reg SNAP addr 0x4c size 16 access read-only write normal read none reset 0x0 mask 0x0 side-effect"
	assert_line -n 4 "  field VAL lsb 0 width 16 access read-only write normal read set"
	dump "$FIX/timer-2009.xml" 'CAP.*'
	assert_success
	assert_output "name timer
absolute no
cached no
reg CAP.VAL addr 0x60 size 32 access read-only write normal read none reset 0x0 mask 0x0
reg CAP.FLAG addr 0x64 size 8 access read-write write normal read none reset 0x0 mask 0x0 side-effect
  field F lsb 0 width 1 access read-only write normal read clear"
}

@test "2009: dim makes an array a register's size apart; #10 is hex" {
	dump "$FIX/timer-2009.xml" 'LOAD*'
	assert_success
	assert_line -n 3 "reg LOAD[0] addr 0x50 size 32 access read-write write normal read none reset 0x10 mask 0xffffffff"
	assert_line -n 4 "reg LOAD[1] addr 0x54 size 32 access read-write write normal read none reset 0x10 mask 0xffffffff"
	[ "${#lines[@]}" -eq 5 ]
}

# ---- IEEE 1685-2014 --------------------------------------------------------

@test "2014: two addressBlocks name registers BLOCK.REGISTER, each at its base" {
	dump "$FIX/uart-2014.xml"
	assert_success
	assert_line -n 0 "name uart16"
	assert_line -n 1 "absolute no"
	run bash -c "grep '^reg' <<< \"\$0\" | cut -d' ' -f2-4" "$output"
	assert_output "UART.CTRL addr 0x0
UART.STATUS addr 0x4
UART.INTSTAT addr 0x8
UART.RXDATA addr 0xc
UART.ERRCNT addr 0x10
UART.TXDATA addr 0x14
UART.SCRATCH[0] addr 0x20
UART.SCRATCH[1] addr 0x24
UART.SCRATCH[2] addr 0x28
UART.SCRATCH[3] addr 0x2c
UART.FIFO[0].LEVEL addr 0x40
UART.FIFO[0].THRESH addr 0x44
UART.FIFO[1].LEVEL addr 0x50
UART.FIFO[1].THRESH addr 0x54
UART.DMA.CH[0].ADDR addr 0x88
UART.DMA.CH[0].CNT addr 0x8c
UART.DMA.CH[1].ADDR addr 0x90
UART.DMA.CH[1].CNT addr 0x94
DBG.ID addr 0x1000
DBG.LOCK addr 0x1004"
}

@test "2014: field resets make the register's; the HARD reset wins over a typed one" {
	dump --desc "$FIX/uart-2014.xml" UART.CTRL
	assert_success
	assert_output "name uart16
absolute no
cached no
reg UART.CTRL addr 0x0 size 32 access read-write write normal read none reset 0x1a0004 mask 0xffff0007 desc \"Control\"
  field EN lsb 0 width 1 access read-write write normal read none constraint enum
    enum Disabled value 0x0
    enum Enabled value 0x1
  field PARITY lsb 1 width 2 access read-write write normal read none
    enum NONE value 0x0
    enum EVEN value 0x1
    enum ODD value 0x2
  field BAUDDIV lsb 16 width 16 access read-write write normal read none desc \"Baud rate divisor\""
}

@test "2014: interrupt status with oneToClear fields beside a plain one" {
	dump "$FIX/uart-2014.xml" UART.INTSTAT
	assert_success
	assert_line -n 3 "reg UART.INTSTAT addr 0x8 size 32 access read-write write normal read none reset 0x300 mask 0x303"
	assert_line -n 4 "  field RXI lsb 0 width 1 access read-write write oneToClear read none"
	assert_line -n 5 "  field TXI lsb 1 width 1 access read-write write oneToClear read none"
	assert_line -n 6 "  field IE lsb 8 width 2 access read-write write normal read none"
}

@test "2014: readAction clear and modify are read side effects" {
	dump "$FIX/uart-2014.xml" 'UART.[RE]*'
	assert_success
	assert_output "name uart16
absolute no
cached no
reg UART.RXDATA addr 0xc size 32 access read-only write normal read none reset 0x0 mask 0x0 side-effect
  field DATA lsb 0 width 8 access read-only write normal read modify
reg UART.ERRCNT addr 0x10 size 16 access read-only write normal read none reset 0x0 mask 0x0 side-effect
  field COUNT lsb 0 width 8 access read-only write normal read clear"
}

@test "2014: a write-only register and its field" {
	dump "$FIX/uart-2014.xml" UART.TXDATA
	assert_success
	assert_line -n 3 "reg UART.TXDATA addr 0x14 size 32 access write-only write normal read none reset 0x0 mask 0x0"
	assert_line -n 4 "  field DATA lsb 0 width 8 access write-only write normal read none"
}

@test "2014: a register array takes its fields and resets to every element" {
	dump "$FIX/uart-2014.xml" 'UART.SCRATCH*'
	assert_success
	for i in 0 1 2 3; do
		assert_line -n $((3 + 2 * i)) "reg UART.SCRATCH[$i] addr $(printf 0x%x $((0x20 + 4 * i))) size 32 access read-write write normal read none reset 0xdeadbeef mask 0xffffffff"
		assert_line -n $((4 + 2 * i)) "  field VAL lsb 0 width 32 access read-write write normal read none"
	done
	[ "${#lines[@]}" -eq 11 ]
}

@test "2014: a registerFile array, its elements its range apart, with a write range" {
	dump "$FIX/uart-2014.xml" 'UART.FIFO*'
	assert_success
	assert_output "name uart16
absolute no
cached no
reg UART.FIFO[0].LEVEL addr 0x40 size 32 access read-only write normal read none reset 0x0 mask 0x0
  field LEVEL lsb 0 width 5 access read-only write normal read none
reg UART.FIFO[0].THRESH addr 0x44 size 32 access read-write write normal read none reset 0x8 mask 0x1f
  field T lsb 0 width 5 access read-write write normal read none constraint 1..16
reg UART.FIFO[1].LEVEL addr 0x50 size 32 access read-only write normal read none reset 0x0 mask 0x0
  field LEVEL lsb 0 width 5 access read-only write normal read none
reg UART.FIFO[1].THRESH addr 0x54 size 32 access read-write write normal read none reset 0x8 mask 0x1f
  field T lsb 0 width 5 access read-write write normal read none constraint 1..16"
}

@test "2014: registerFiles nest, offsets add up; read-writeOnce" {
	dump "$FIX/uart-2014.xml" 'UART.DMA.CH\[1\]*'
	assert_success
	assert_line -n 3 "reg UART.DMA.CH[1].ADDR addr 0x90 size 32 access read-write write normal read none reset 0x0 mask 0x0"
	assert_line -n 4 "reg UART.DMA.CH[1].CNT addr 0x94 size 16 access read-writeOnce write normal read none reset 0x0 mask 0x0"
	[ "${#lines[@]}" -eq 5 ]
}

@test "2014: the addressBlock's access reaches registers and fields without one" {
	dump "$FIX/uart-2014.xml" 'DBG.*'
	assert_success
	assert_output "name uart16
absolute no
cached no
reg DBG.ID addr 0x1000 size 32 access read-only write normal read none reset 0x10755aa mask 0xffffffff
  field MINOR lsb 0 width 8 access read-only write normal read none
  field MAJOR lsb 8 width 8 access read-only write normal read none
  field PART lsb 16 width 16 access read-only write normal read none
reg DBG.LOCK addr 0x1004 size 32 access writeOnce write normal read none reset 0x0 mask 0x0
  field KEY lsb 0 width 32 access writeOnce write normal read none"
}

@test "2014: the second load comes from the cache, the same map" {
	run "$DUMP" "$FIX/uart-2014.xml"
	assert_success
	assert_line -n 2 "cached no"
	local first="$output"
	run "$DUMP" "$FIX/uart-2014.xml"
	assert_success
	assert_line -n 2 "cached yes"
	[ "${output/cached yes/cached no}" = "$first" ]
}

# ---- IEEE 1685-2022 --------------------------------------------------------

@test "2022: access policies, and an array of two dimensions with a stride" {
	dump "$FIX/gpio-2022.xml"
	assert_success
	assert_output "name gpio
absolute no
cached no
reg IN addr 0x0 size 32 access read-only write normal read none reset 0x0 mask 0x0
reg IRQ addr 0x4 size 32 access read-write write normal read none reset 0x0 mask 0xff side-effect
  field PEND lsb 0 width 8 access read-write write oneToClear read none
  field LATCH lsb 8 width 8 access read-only write normal read clear
reg CFG[0][0] addr 0x10 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg CFG[0][1] addr 0x18 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg CFG[1][0] addr 0x20 size 32 access read-write write normal read none reset 0x0 mask 0x0
reg CFG[1][1] addr 0x28 size 32 access read-write write normal read none reset 0x0 mask 0x0"
}

@test "2022: a typeDefinitions reference is refused" {
	sed 's|<ipxact:name>IN</ipxact:name>|&<ipxact:registerDefinitionRef typeDefinitions="t">r</ipxact:registerDefinitionRef>|' \
		"$FIX/gpio-2022.xml" > "$F"
	refused 18 "register IN: registerDefinitionRef (a typeDefinitions reference) is not supported"
}

# ---- names, numbers, what is left out ----------------------------------------

@test "blocks of the same name in two memoryMaps are named MAP.BLOCK.REGISTER" {
	cat > "$F" <<'EOF'
<spirit:component xmlns:spirit="http://www.spiritconsortium.org/XMLSchema/SPIRIT/1685-2009">
<spirit:name>two</spirit:name>
<spirit:memoryMaps>
<spirit:memoryMap><spirit:name>cfg</spirit:name>
<spirit:addressBlock><spirit:name>regs</spirit:name><spirit:baseAddress>0</spirit:baseAddress><spirit:width>32</spirit:width>
<spirit:register><spirit:name>A</spirit:name><spirit:addressOffset>0</spirit:addressOffset><spirit:size>32</spirit:size></spirit:register>
</spirit:addressBlock></spirit:memoryMap>
<spirit:memoryMap><spirit:name>data</spirit:name>
<spirit:addressBlock><spirit:name>regs</spirit:name><spirit:baseAddress>0x100</spirit:baseAddress><spirit:width>32</spirit:width>
<spirit:register><spirit:name>A</spirit:name><spirit:addressOffset>0</spirit:addressOffset><spirit:size>32</spirit:size></spirit:register>
</spirit:addressBlock></spirit:memoryMap>
</spirit:memoryMaps>
</spirit:component>
EOF
	dump "$F"
	assert_success
	assert_line -n 3 "reg cfg.regs.A addr 0x0 size 32 access read-write write normal read none reset 0x0 mask 0x0"
	assert_line -n 4 "reg data.regs.A addr 0x100 size 32 access read-write write normal read none reset 0x0 mask 0x0"
}

@test "numbers: SystemVerilog literals, 2009's # and k, 0x, decimal" {
	component <<'EOF'
<register><name>H</name><addressOffset>'h10</addressOffset><size>32</size>
 <field><name>F</name><bitOffset>'d4</bitOffset><bitWidth>8</bitWidth><resets><reset><value>8'b0110_1101</value></reset></resets></field></register>
<register><name>S</name><addressOffset>32'h14</addressOffset><size>'d32</size></register>
<register><name>B</name><addressOffset>'b11000</addressOffset><size>32</size></register>
<register><name>O</name><addressOffset>'o34</addressOffset><size>32</size></register>
<register><name>X</name><addressOffset>0x20</addressOffset><size>32</size></register>
<register><name>P</name><addressOffset>#24</addressOffset><size>32</size></register>
<register><name>D</name><addressOffset>+40</addressOffset><size>32</size></register>
<register><name>K</name><addressOffset>0</addressOffset><size>64</size><field><name>F</name><bitOffset>0</bitOffset><bitWidth>64</bitWidth><resets><reset><value>2k</value></reset></resets></field></register>
EOF
	dump "$F"
	assert_success
	run bash -c "grep '^reg' <<< \"\$0\" | cut -d' ' -f2,4,14,16" "$output"
	assert_output "K 0x0 0x800 0xffffffffffffffff
H 0x10 0x6d0 0xff0
S 0x14 0x0 0x0
B 0x18 0x0 0x0
O 0x1c 0x0 0x0
X 0x20 0x0 0x0
P 0x24 0x0 0x0
D 0x28 0x0 0x0"
}

@test "isPresent false leaves a register or field out" {
	component <<'EOF'
<register><name>A</name><isPresent>0</isPresent><addressOffset>0</addressOffset><size>32</size></register>
<register><name>B</name><isPresent>1'b1</isPresent><addressOffset>4</addressOffset><size>32</size>
 <field><name>X</name><isPresent>false</isPresent><bitOffset>0</bitOffset><bitWidth>1</bitWidth></field>
 <field><name>Y</name><bitOffset>1</bitOffset><bitWidth>1</bitWidth></field></register>
EOF
	dump "$F"
	assert_success
	assert_output "name t
absolute no
cached no
reg B addr 0x4 size 32 access read-write write normal read none reset 0x0 mask 0x0
  field Y lsb 1 width 1 access read-write write normal read none"
}

@test "a register without a size takes the addressBlock's width" {
	component <<'EOF'
<register><name>A</name><addressOffset>8</addressOffset></register>
EOF
	dump "$F"
	assert_success
	assert_line -n 3 "reg A addr 0x8 size 32 access read-write write normal read none reset 0x0 mask 0x0"
}

@test "addressUnitBits 32: offsets count 4-byte words" {
	cat > "$F" <<'EOF'
<ipxact:component xmlns:ipxact="http://www.accellera.org/XMLSchema/IPXACT/1685-2014">
<ipxact:name>w</ipxact:name>
<ipxact:memoryMaps><ipxact:memoryMap><ipxact:name>m</ipxact:name>
<ipxact:addressBlock><ipxact:name>b</ipxact:name><ipxact:baseAddress>'h10</ipxact:baseAddress><ipxact:range>8</ipxact:range><ipxact:width>32</ipxact:width>
<ipxact:register><ipxact:name>R</ipxact:name><ipxact:dim>2</ipxact:dim><ipxact:addressOffset>1</ipxact:addressOffset><ipxact:size>32</ipxact:size></ipxact:register>
</ipxact:addressBlock>
<ipxact:addressUnitBits>32</ipxact:addressUnitBits>
</ipxact:memoryMap></ipxact:memoryMaps>
</ipxact:component>
EOF
	dump "$F"
	assert_success
	assert_line -n 3 "reg R[0] addr 0x44 size 32 access read-write write normal read none reset 0x0 mask 0x0"
	assert_line -n 4 "reg R[1] addr 0x48 size 32 access read-write write normal read none reset 0x0 mask 0x0"
}

# ---- refused: FILE:LINE: message, nothing loaded -----------------------------

@test "refused: a parameter expression, with its text" {
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size></register>
<register><name>B</name>
<addressOffset>BASE + 4</addressOffset><size>32</size></register>
EOF
	refused 6 "register B: addressOffset: parameter expressions are not supported: 'BASE + 4'"
}

@test "refused: a parameter reference and an expression in a field" {
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size>
<field><name>F</name><bitOffset>0</bitOffset><bitWidth>WIDTH</bitWidth></field></register>
EOF
	refused 5 "field A.F: bitWidth: parameter expressions are not supported: 'WIDTH'"
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size>
<field><name>F</name><bitOffset>0</bitOffset><bitWidth>1</bitWidth>
<resets><reset><value>'h1 &lt;&lt; 2</value></reset></resets></field></register>
EOF
	refused 6 "field A.F: value: parameter expressions are not supported: ''h1 << 2'"
}

@test "refused: text over several lines is quoted in one, and names have no control characters" {
	component <<'EOF'
<register><name>A</name><addressOffset>BASE
	+ 4</addressOffset><size>32</size></register>
EOF
	refused 4 "register A: addressOffset: parameter expressions are not supported: 'BASE??+ 4'"
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size><access>read-
only</access></register>
EOF
	refused 4 "register A: unknown access 'read-?only'"
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size>
<field><name>F</name><bitOffset>0</bitOffset><bitWidth>1</bitWidth><enumeratedValues>
<enumeratedValue><name>ON
OFF</name><value>1</value></enumeratedValue></enumeratedValues></field></register>
EOF
	refused 6 "enumeratedValue of field A.F: name 'ON?OFF': control characters cannot be part of it"
	cat > "$F" <<'EOF'
<component xmlns="http://www.accellera.org/XMLSchema/IPXACT/1685-2014"><name>t	u</name>
<memoryMaps/></component>
EOF
	refused 1 "component: name 't?u': control characters cannot be part of it"
}

@test "refused: a long text is quoted cut at 64 bytes" {
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size><access>read-write-read-write-read-write-read-write-read-write-read-write</access></register>
EOF
	refused 4 "register A: unknown access 'read-write-read-write-read-write-read-write-read-write-read-w...'"
}

@test "refused: XML that is not well-formed, at the parser's line" {
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size></register>
<register><name>B</name><addressOffset>4</addressOffset><size>32</size></registr>
EOF
	dump "$F"
	assert_failure 1
	assert_output --regexp '^F:5: .+'
}

@test "refused: text that does not convert from its encoding, in one line, nothing printed besides" {
	printf '<?xml version="1.0" encoding="Shift_JIS"?>\n<component xmlns="http://www.accellera.org/XMLSchema/IPXACT/1685-2014"><name>t\x83\x65\xff\xfe</name></component>\n' > "$F"
	dump "$F"
	assert_failure 1
	assert_output --regexp '^F:2: [^
]+$'
}

@test "refused: a register without a name" {
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size></register>
<register><addressOffset>4</addressOffset><size>32</size></register>
EOF
	refused 5 "register in addressBlock b without a name"
}

@test "refused: a register without an addressOffset" {
	component <<'EOF'
<register><name>A</name>
<size>32</size></register>
EOF
	refused 4 "register A has no addressOffset"
}

@test "refused: a number that is not one, and one over 64 bits" {
	component <<'EOF'
<register><name>A</name><addressOffset>0x1Q</addressOffset><size>32</size></register>
EOF
	refused 4 "register A: addressOffset '0x1Q' is not a number"
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size>
<field><name>F</name><bitOffset>0</bitOffset><bitWidth>1</bitWidth><resets><reset><value>'h1_0000_0000_0000_0000</value></reset></resets></field></register>
EOF
	refused 5 "field A.F: value ''h1_0000_0000_0000_0000' is out of range"
	component <<'EOF'
<register><name>A</name><addressOffset>4'h1F</addressOffset><size>32</size></register>
EOF
	refused 4 "register A: addressOffset '4'h1F' is out of range"
}

@test "refused: an unknown access, modifiedWriteValue, readAction" {
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size>
<access>rw</access></register>
EOF
	refused 5 "register A: unknown access 'rw'"
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size>
<field><name>F</name><bitOffset>0</bitOffset><bitWidth>1</bitWidth>
<modifiedWriteValue>oneToClean</modifiedWriteValue></field></register>
EOF
	refused 6 "field A.F: unknown modifiedWriteValue 'oneToClean'"
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size>
<field><name>F</name><bitOffset>0</bitOffset><bitWidth>1</bitWidth><readAction>none</readAction></field></register>
EOF
	refused 5 "field A.F: unknown readAction 'none'"
}

@test "refused: a field outside its register" {
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>16</size>
<field><name>F</name><bitOffset>12</bitOffset><bitWidth>8</bitWidth></field></register>
EOF
	refused 5 "field A.F: bit offset 12, width 8: outside the 16-bit register"
}

@test "refused: a field without a bitWidth, a reset wider than its field" {
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size>
<field><name>F</name><bitOffset>0</bitOffset></field></register>
EOF
	refused 5 "field A.F has no bitWidth"
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size>
<field><name>F</name><bitOffset>0</bitOffset><bitWidth>2</bitWidth>
<resets><reset><value>4</value></reset></resets></field></register>
EOF
	refused 6 "field A.F: reset value 0x4 (mask 0x3) does not fit in 2 bits"
}

@test "refused: fields that overlap, an enum value wider than its field (the builder's checks)" {
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size>
<field><name>F</name><bitOffset>0</bitOffset><bitWidth>4</bitWidth></field>
<field><name>G</name><bitOffset>3</bitOffset><bitWidth>1</bitWidth></field></register>
EOF
	refused 6 "field A.G (bits 3..3) overlaps field F (line 5)"
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size>
<field><name>F</name><bitOffset>0</bitOffset><bitWidth>1</bitWidth>
<enumeratedValues><enumeratedValue><name>ON</name><value>1</value></enumeratedValue>
<enumeratedValue><name>TWO</name><value>2</value></enumeratedValue></enumeratedValues></field></register>
EOF
	refused 7 "field F: value TWO = 0x2 does not fit in its 1 bits"
}

@test "refused: a size that is not 8, 16, 32 or 64" {
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>12</size></register>
EOF
	refused 4 "register A: size 12 bits; a register is 8, 16, 32 or 64 bits"
}

@test "refused: two registers of the same name" {
	component <<'EOF'
<register><name>A</name><addressOffset>0</addressOffset><size>32</size></register>
<register><name>A</name><addressOffset>4</addressOffset><size>32</size></register>
EOF
	refused 5 "two registers named A (also line 4)"
}

@test "refused: a register outside its addressBlock's range" {
	component <<'EOF'
<register><name>A</name><dim>2</dim><addressOffset>'hF8</addressOffset><size>64</size></register>
EOF
	refused 4 "register A (offset 0x100, 0x8 units) lies outside addressBlock b (range 0x100)"
}

@test "refused: registerFiles nested more than 8 deep" {
	{
		for i in 1 2 3 4 5 6 7 8 9; do
			echo "<registerFile><name>R$i</name><addressOffset>0</addressOffset><range>8</range>"
		done
		echo '<register><name>A</name><addressOffset>0</addressOffset><size>32</size></register>'
		for i in 1 2 3 4 5 6 7 8 9; do echo '</registerFile>'; done
	} | component
	refused 12 "registerFile R1.R2.R3.R4.R5.R6.R7.R8.R9: registerFiles nested more than 8 deep"
}

@test "refused: arrays of 0 elements or too many" {
	component <<'EOF'
<register><name>A</name><dim>0</dim><addressOffset>0</addressOffset><size>32</size></register>
EOF
	refused 4 "register A: an array of 0 elements"
	component <<'EOF'
<register><name>A</name><dim>1024</dim><dim>1024</dim><addressOffset>0</addressOffset><size>32</size></register>
EOF
	refused 4 "register A: an array of more than 65536 elements"
}

@test "refused: an address past 64 bits" {
	cat > "$F" <<'EOF'
<component xmlns="http://www.accellera.org/XMLSchema/IPXACT/1685-2014"><name>t</name>
<memoryMaps><memoryMap><name>m</name><addressBlock><name>b</name><baseAddress>'hFFFF_FFFF_FFFF_FFF8</baseAddress><width>32</width>
<register><name>A</name><addressOffset>8</addressOffset><size>32</size></register>
</addressBlock></memoryMap></memoryMaps></component>
EOF
	refused 3 "register A: its address overflows 64 bits"
}

@test "refused: a name that would break dotted paths" {
	component <<'EOF'
<register><name>A.B</name><addressOffset>0</addressOffset><size>32</size></register>
EOF
	refused 4 "register in addressBlock b: name 'A.B': '.', '[', ']' and blanks cannot be part of it"
}

@test "refused: banks, addressUnitBits that are not bytes" {
	cat > "$F" <<'EOF'
<component xmlns="http://www.accellera.org/XMLSchema/IPXACT/1685-2014"><name>t</name>
<memoryMaps><memoryMap><name>m</name>
<bank bankAlignment="serial"><name>k</name><baseAddress>0</baseAddress></bank>
</memoryMap></memoryMaps></component>
EOF
	refused 3 "memoryMap m: banks are not supported"
	cat > "$F" <<'EOF'
<component xmlns="http://www.accellera.org/XMLSchema/IPXACT/1685-2014"><name>t</name>
<memoryMaps><memoryMap><name>m</name>
<addressUnitBits>4</addressUnitBits></memoryMap></memoryMaps></component>
EOF
	refused 3 "memoryMap m: addressUnitBits 4; we address bytes, so it must be a multiple of 8"
}

@test "refused: a component without a name or without registers" {
	cat > "$F" <<'EOF'
<component xmlns="http://www.accellera.org/XMLSchema/IPXACT/1685-2014">
<memoryMaps/></component>
EOF
	refused 1 "component without a name"
	cat > "$F" <<'EOF'
<component xmlns="http://www.accellera.org/XMLSchema/IPXACT/1685-2014">
<name>t</name></component>
EOF
	refused 1 "component t has no memoryMaps: no registers"
}

@test "not IP-XACT: a component in another namespace is no register map" {
	cat > "$F" <<'EOF'
<component xmlns="http://www.spiritconsortium.org/XMLSchema/SPIRIT/1.4"><name>t</name></component>
EOF
	dump "$F"
	assert_failure 1
	assert_output --partial "F: not a register map"
}
