#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Register maps on the real driver: edu and ivshmem brought up by register
# names, their installed maps (/usr/share/physmem/regmaps) bound by PCI ID
# with no --regmap, and the maps' access rules on real device registers:
# ivshmem's INTRSTATUS is cleared by a read, DOORBELL is write-only.

load /tests/lib/guest

D=/tmp/devmemtool-regmap

setup() {
	mkdir -p "$D"
	printf 'allow edu pci 1234:11e8 bar 0 rw\nallow ivr pci 1af4:1110 bar 0 rw\n' >"$D/p.conf"
	physmem-policy load "$D/p.conf"
	EDU=$(bar_start $EDU_BDF 0)
	# a cache of this run's own, so the first load imports
	export XDG_CACHE_HOME=$D/cache
}

teardown() {
	physmem-policy unload --all >/dev/null 2>&1 || true
	rm -rf "$D"
}

@test "the edu and ivshmem maps are installed" {
	[ -f /usr/share/physmem/regmaps/edu.regmap ]
	[ -f /usr/share/physmem/regmaps/ivshmem.regmap ]
}

@test "edu bring-up by names: the map bound by PCI ID, no --regmap" {
	cat >"$D/edu.dmt" <<-'SCRIPT'
	#!/usr/bin/devmemtool -f
	expect edu.IDENT 0x010000ed
	w edu.LIVENESS 0x12345678
	expect edu.LIVENESS 0xedcba987
	w edu.FACTORIAL 5
	poll edu.STATUS.COMPUTING 0 2000
	expect edu.FACTORIAL 120
	r edu.IDENT
	r edu.STATUS.COMPUTING
	SCRIPT
	chmod +x "$D/edu.dmt"
	run "$D/edu.dmt"
	assert_success
	assert_line --index 0 --regexp '^0x[0-9a-f]{8}: 0x010000ed \(as expected\)$'
	assert_line --index 1 --partial ': 0xedcba987 (as expected)'
	assert_line --index 2 --regexp '\(poll matched after [0-9]+\.[0-9]{3} ms\)$'
	assert_line --index 3 --partial ': 0x00000078 (as expected)'
	assert_line --index 4 'edu.IDENT: 0x010000ed  MAGIC=0xed MINOR=0 MAJOR=1'
	assert_line --index 5 'edu.STATUS.COMPUTING: 0'
}

@test "a register's name is its physical address: r32 edu.FACTORIAL reads edu+8" {
	devmemtool w32 edu+0x08 3
	devmemtool poll edu.STATUS.COMPUTING 0 2000
	run devmemtool r32 edu.FACTORIAL
	assert_success
	assert_output "$(printf '0x%08x: 0x%08x' $((EDU + 8)) 6)"
	run devmemtool r edu.FACTORIAL
	assert_success
	assert_output 'edu.FACTORIAL: 0x00000006'
	# a name given to the window works as the prefix too
	printf 'map edu as e\nr e.FACTORIAL\n' >"$D/alias.dmt"
	run devmemtool -f "$D/alias.dmt"
	assert_success
	assert_line --index 1 'e.FACTORIAL: 0x00000006'
}

@test "--json r and regs carry the register, its absolute address and its fields" {
	run devmemtool --json r edu.IDENT
	assert_success
	assert_output --partial '"register":"edu.IDENT"'
	assert_output --partial "\"address\":$((EDU)),"
	assert_output --partial '{"name":"MAGIC","lsb":0,"width":8,"access":"read-only"'
	run devmemtool --json regs edu.STATUS
	assert_success
	assert_output --partial '"name":"edu.STATUS"'
	assert_output --partial "\"address\":$((EDU + 0x20)),"
	assert_output --partial '"size":32'
	assert_output --partial '"reset":0'
	assert_output --partial '{"name":"COMPUTING","lsb":0,"width":1,"access":"read-only"'
}

@test "a field write changes that field alone: edu.STATUS.IRQ_FACT" {
	devmemtool w32 edu+0x20 0
	run devmemtool w edu.STATUS.IRQ_FACT 1
	assert_success
	run devmemtool r edu.STATUS
	assert_output 'edu.STATUS: 0x00000080  COMPUTING=0 IRQ_FACT=1'
	devmemtool w edu.STATUS.IRQ_FACT 0
	run devmemtool r32 edu+0x20
	assert_output --regexp ': 0x00000000$'
}

@test "read-only and write-only edu registers: refused before anything runs" {
	devmemtool w32 edu+0x04 0
	printf 'w edu.LIVENESS 0x11\nw edu.IDENT 5\n' >"$D/ro.dmt"
	run devmemtool -f "$D/ro.dmt"
	assert_failure 1
	assert_output --partial "$D/ro.dmt:2: w edu.IDENT: edu.IDENT is read-only (register map edu)"
	run devmemtool r32 edu+0x04
	assert_output --regexp ': 0xffffffff$'	# liveness untouched: ~0
	run devmemtool r edu.INT_ACK
	assert_failure 1
	assert_output --partial 'INT_ACK is write-only: it is never read'
}

@test "ivshmem: dump, regs --read and snapshot never read INTRSTATUS (a read clears it)" {
	run devmemtool dump ivr 16 4
	assert_success
	assert_line --index 0 --regexp '^[0-9a-f]{8}  [0-9a-f]{8} --------  [0-9a-f]{8} --------  \|'
	run devmemtool regs --read ivr
	assert_success
	assert_output --regexp 'ivr\.INTRSTATUS +\(not read: reading INTRSTATUS has a side effect \(readAction clear\)\)'
	assert_output --regexp 'ivr\.DOORBELL +\(not read: DOORBELL is write-only'
	assert_output --regexp 'ivr.IVPOSITION +0x[0-9a-f]{8}'
	run devmemtool snapshot save "$D/snap" ivr
	assert_success
	run grep -c '^ivr\.' "$D/snap"
	assert_output 2
	run devmemtool save ivr 16 "$D/x.bin"
	assert_failure 1
	assert_output --partial 'reading INTRSTATUS has a side effect'
	# asked by name, it is read, and said
	run devmemtool r ivr.INTRSTATUS
	assert_success
	assert_output --regexp '^ivr.INTRSTATUS: 0x[0-9a-f]{8} \(reading INTRSTATUS has a side effect \(readAction clear\)\)$'
}

@test "the compiled map is cached: the second run loads it from XDG_CACHE_HOME" {
	run devmemtool r edu.IDENT
	assert_success
	run ls "$XDG_CACHE_HOME/physmem/regmaps"
	assert_success
	assert_output --regexp '^[0-9a-f]{16}-[0-9]+\.prm$'
	run env LIBPHYS_LOG=debug devmemtool r edu.IDENT
	assert_success
	assert_output --partial 'regmap cache: '
	refute_output --partial 'imported as native'
}

@test "an unknown register says the nearest names" {
	run devmemtool r edu.IDNT
	assert_failure 1
	assert_output --partial "has no register 'IDNT'; did you mean IDENT?"
}

@test "the device's map holds for a bare address in its BAR, whatever names it" {
	a=$(printf '0x%x' $((EDU + 0x64)))
	run devmemtool r32 "$a"
	assert_failure 1
	assert_output --partial "INT_ACK is write-only: it is never read"
	run devmemtool w32 "$EDU" 1
	assert_failure 1
	assert_output --partial "IDENT is read-only (register map edu)"
	run devmemtool dump "$(printf '0x%x' $((EDU + 0x50)))" 0x20 4
	assert_success
	assert_output --partial "-------- --------"
}
