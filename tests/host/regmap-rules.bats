#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# What a register map's rules say (libphys/regmap-rules.c), asked through
# regmap-rules: enum names as values (phys_regmap_enum_value) and how a
# write is made (phys_regmap_write_plan), with and without
# PHYS_REGMAP_FORCE. One output line per question: the answer, or
# "ENAME: message". Fixture: regmaps/rules/rules.regmap.

load regmap

RULES="$TOP/tests/host/progs/regmap-rules"
MAP="$TOP/tests/host/regmaps/rules/rules.regmap"

ask() {		# OP NAME ARG...: the rules' answers, from the source
	run "$RULES" "$MAP" "$@"
}

@test "enum names: the exact spelling wins over every other case of it" {
	ask enum MODE.SPEED FAST enum MODE.SPEED Fast enum MODE.SPEED medium
	assert_success
	assert_output "0x2
0x1
0x6"
}

@test "enum names: another case is taken when it matches one name only" {
	ask enum MODE.SPEED SLOW enum MODE.SPEED Slow
	assert_success
	assert_output "0x3
0x3"
}

@test "enum names: another case that matches several is refused, naming them" {
	# Fast (1) or FAST (2)? Either guess writes the wrong value half the time.
	ask enum MODE.SPEED fast
	assert_failure 1
	assert_output "EINVAL: MODE.SPEED: 'fast' could be Fast (0x1) or FAST (0x2), which differ only in case; spell it exactly"
	ask enum MODE.SPEED mEdIuM
	assert_failure 1
	assert_output --partial "EINVAL: MODE.SPEED: 'mEdIuM' could be Medium (0x4) or MEDIUM (0x5)"
}

@test "enum names: the default enum and unknown names are no value; the names are listed" {
	ask enum MODE.SPEED OTHER enum MODE.SPEED nope
	assert_failure 1
	assert_output "ENOENT: MODE.SPEED has no value named 'OTHER' (it has: Fast, FAST, slow, Medium, MEDIUM, medium)
ENOENT: MODE.SPEED has no value named 'nope' (it has: Fast, FAST, slow, Medium, MEDIUM, medium)"
}

@test "a read-only field is written only when forced; the other bits are kept" {
	ask plan CTRL.LOCK 1 force CTRL.LOCK 1
	assert_failure 1
	assert_output "EPERM: CTRL.LOCK is read-only
keep 0x7fffffff set 0x80000000"
}

@test "writing beside a read-only field gives it 0, forced or not" {
	# force lifts refusals; it does not change a write that is allowed
	ask plan CTRL.EN 1 force CTRL.EN 1
	assert_success
	assert_output "keep 0x7ffffffe set 0x1
keep 0x7ffffffe set 0x1"
}

@test "a read-only register, whole or a field of it, is written only when forced" {
	ask plan STATUS 5 force STATUS 5 plan STATUS.BUSY 1 force STATUS.BUSY 1
	assert_failure 1
	# its other read-only fields are kept, not cleared: the force says
	# the write reaches them
	assert_output "EPERM: STATUS is read-only
keep 0x0 set 0x5
EPERM: STATUS is read-only
keep 0xfffffffe set 0x1"
}

@test "a forced field write of a read-only register that reads with a side effect says so" {
	ask plan FIFO.DATA 7 force FIFO.DATA 7
	assert_failure 1
	assert_output "EPERM: FIFO is read-only
keep 0xffffff00 set 0x7 read-side-effect"
}

@test "a field write that would spend a neighbour written once is refused unless forced" {
	# the register is written whole: LOCK (read-writeOnce) would get back
	# what was read, KEY (writeOnce) its reset value, and either write is
	# its one write after reset
	ask plan ONCE.EN 1 plan KEYED.EN 1 force ONCE.EN 1 force KEYED.EN 1
	assert_failure 1
	assert_output "EPERM: writing ONCE.EN would also write ONCE.LOCK, which can be written once; write the whole register
EPERM: writing KEYED.EN would also write KEYED.KEY, which can be written once; write the whole register
keep 0xfffffffe set 0x1
keep 0xffffff0e set 0x51"
}

@test "a field written once, or the whole register, may be written: that is the one write" {
	ask plan ONCE.LOCK 5 plan KEYED.KEY 5 plan ONCE 0x51
	assert_success
	assert_output "keep 0xffffff0f set 0x50
keep 0xffffff0f set 0x50
keep 0x0 set 0x51"
}

@test "a field write beside a field that every write acts on is refused unless forced" {
	# clear, set and modify have no value that leaves the field be
	ask plan WC.EN 1 plan WS.EN 1 plan WM.EN 1
	assert_failure 1
	assert_output "EPERM: writing WC.EN would also write WC.ACK, which any write changes (modifiedWriteValues clear); write the whole register
EPERM: writing WS.EN would also write WS.GO, which any write changes (modifiedWriteValues set); write the whole register
EPERM: writing WM.EN would also write WM.ODD, which any write changes (modifiedWriteValues modify); write the whole register"
	ask force WC.EN 1 force WS.EN 1 force WM.EN 1 plan WC.ACK 1
	assert_success
	assert_output "keep 0xfffffffc set 0x1
keep 0xfffffffc set 0x1
keep 0xfffffffc set 0x1
keep 0xfffffffd set 0x2"
}

@test "a map loaded from the cache answers the same" {
	local q=(enum MODE.SPEED fast enum MODE.SPEED SLOW force STATUS.BUSY 1 plan CTRL.LOCK 1)
	ask "${q[@]}"
	local want=$output
	run "$RULES" -c "$MAP" "${q[@]}"
	assert_output "cached no
$want"
	run "$RULES" -c "$MAP" "${q[@]}"
	assert_output "cached yes
$want"
}
