#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# One grammar (common/): the same text is the same number, name or PCI
# device, or fails with the same words, at every entry point: a policy
# rule (physmem-policy check), a devmemtool one-shot command, devmemtool's
# `map` in a script, and a libphys target (libphys-run).

load ../lib/common

setup_file() {
	make -s -C "$TOP/common" >/dev/null
	make -s -C "$TOP/libphys" >/dev/null
	make -s -C "$TOP/devmemtool" >/dev/null
	make -s -C "$TOP/tests/host/progs" libphys-run >/dev/null
}

setup() {
	RUN="$TOP/tests/host/progs/libphys-run"
	F="$BATS_TEST_TMPDIR/mem.bin"
	truncate -s 65536 "$F"
	R="$BATS_TEST_TMPDIR/root"
	mkdir -p "$R/proc" "$R/etc/physmem"
	echo 'fed00000-fed003ff : HPET 0' >"$R/proc/iomem"
}

# The table: INPUT, then "=0xVALUE" or "!MESSAGE" where MESSAGE is what
# follows "'INPUT': " in every entry point's error. K, M and G are taken
# where a number of bytes is meant, which covers all four entry points
# below (a range base, a target offset).
TABLE=$(cat <<'EOF'
0	=0x0
16	=0x10
0x10	=0x10
0X1f	=0x1f
0b1010	=0xa
0B1_0000	=0x10
1_000	=0x3e8
0xffff_ffff_ffff_ffff	=0xffffffffffffffff
18446744073709551615	=0xffffffffffffffff
18446744073709551616	!too large: a number must fit in 64 bits
0x1_0000_0000_0000_0000	!too large: a number must fit in 64 bits
4K	=0x1000
1m	=0x100000
3G	=0xc0000000
0x10K	=0x4000
17179869184G	!too large: a number must fit in 64 bits
010	!leading zero (octal is not supported): write 10 for decimal or 0x10 for hex
00	!leading zero (octal is not supported): write 0 for decimal or 0x0 for hex
0_1	!leading zero (octal is not supported): write 1 for decimal or 0x1 for hex
010K	!leading zero (octal is not supported): write 10K for decimal or 0x10K for hex
0_	!'_' must stand between two digits
00x1	!not a number: expected decimal, 0x hex or 0b binary
07z	!not a number: expected decimal, 0x hex or 0b binary
0x	!no digits
0b	!no digits
0b102	!not a number: expected decimal, 0x hex or 0b binary
12T	!not a number: expected decimal, 0x hex or 0b binary
1.5	!not a number: expected decimal, 0x hex or 0b binary
1_	!'_' must stand between two digits
1__0	!'_' must stand between two digits
0x_1	!'_' must stand between two digits
EOF
)

# answer TEXT REGEX...: "=0xVALUE" from the first REGEX (sed -E, one group:
# the hex digits) that matches TEXT, else "!MESSAGE" after "'$in': " on
# the error line.
answer() {
	local text=$1 re v
	shift
	for re; do
		v=$(printf '%s\n' "$text" | sed -nE "s/.*$re.*/\\1/p" | head -n1)
		if [ -n "$v" ]; then
			printf '=0x%s\n' "$v"
			return
		fi
	done
	v=$(printf '%s\n' "$text" | grep -F -- "'$in': " | head -n1)
	printf '!%s\n' "${v#*"'$in': "}"
}

via_policy() {
	printf 'allow x range %s +1\n' "$in" >"$R/etc/physmem/physmem.conf"
	run physmem-policy --root "$R" check --no-resolve
	answer "$output" '^x +0x([0-9a-f]+)-'
}

via_oneshot() {
	run devmemtool r8 "file:$F+$in"
	answer "$output" '\+0x([0-9a-f]+): ' 'at offset 0x([0-9a-f]+) run past'
}

via_map() {
	run devmemtool <<<"map file:$F+$in as x"
	local size
	size=$(printf '%s\n' "$output" | sed -nE 's/^x: .*, size 0x([0-9a-f]+).*/\1/p')
	if [ -n "$size" ]; then
		printf '=0x%x\n' $((65536 - 16#$size))
	else
		answer "$output" 'offset 0x([0-9a-f]+) is beyond'
	fi
}

via_libphys() {
	run "$RUN" - resolve "file:$F+$in"
	answer "$output" '^phys 0x([0-9a-f]+) ' 'offset 0x([0-9a-f]+) is beyond'
}

# A file's @ADDR (an empty file stands anywhere, even at 2^64 - 1).
via_at() {
	: >"$BATS_TEST_TMPDIR/empty.bin"
	run "$RUN" - resolve "file:$BATS_TEST_TMPDIR/empty.bin@$in"
	answer "$output" '^phys 0x([0-9a-f]+) '
}

@test "one table of numbers: every entry point gives the same value or the same error" {
	local in want got bad=0 n=0
	while IFS=$'\t' read -r in want; do
		for via in via_policy via_oneshot via_map via_libphys via_at; do
			got=$($via)
			n=$((n + 1))
			if [ "$got" != "$want" ]; then
				echo "$via '$in': got '$got', want '$want'"
				bad=1
			fi
		done
	done <<<"$TABLE"
	[ "$n" -eq $(( $(wc -l <<<"$TABLE") * 5 )) ]
	[ "$bad" = 0 ]
}

# A number every entry point takes, with the one message for "010".
LEADING_ZERO="'010': leading zero (octal is not supported): write 10 for decimal or 0x10 for hex"

policy_rule() {
	printf '%s\n' "$1" >"$R/etc/physmem/physmem.conf"
	run physmem-policy --root "$R" check --no-resolve
}

@test "010 is refused with the same message wherever a number is written" {
	local rule cmd
	for rule in 'allow x range 010 +1' 'allow x range 0 +010' 'allow x range 0 - 010' \
		'allow x pci 1234:11e8 bar 0 offset 010' 'allow x pci 1234:11e8 bar 0 size 010' \
		'allow x pci 1234:11e8 bar 010' 'allow x pci 1234:11e8#010 bar 0' \
		'allow x iomem "HPET 0"#010'; do
		policy_rule "$rule"
		assert_failure 1
		assert_output --partial "$LEADING_ZERO"
	done
	for cmd in "w32 file:$F 010" "r8 file:$F 010" "dump file:$F 010" "sleep 010" \
		"r8 010" "r8 file:$F+010" "map file:$F+010" "map 010+4"; do
		# shellcheck disable=SC2086
		run devmemtool $cmd
		assert_failure
		assert_output --partial "$LEADING_ZERO"
	done
	run "$RUN" - resolve 010 resolve 0x10+010 resolve "file:$F+010" resolve 'pci:1234:11e8#010/bar0' \
		resolve 'iomem:"HPET 0"#010' resolve 'edu+010'
	assert_failure
	[ "$(grep -cF -- "$LEADING_ZERO" <<<"$output")" -eq 6 ]
}

@test "an empty number, and '_' leading a number, say so where a number stands alone" {
	policy_rule 'allow x range _1 +1'
	assert_failure 1
	assert_output --partial "'_1': '_' must stand between two digits"
	run devmemtool w8 "file:$F" _1
	assert_failure 2
	assert_output --partial "'_1': '_' must stand between two digits"
	run devmemtool w8 "file:$F" ''
	assert_failure 2
	assert_output --partial "VALUE expected a number"
	run "$RUN" - resolve 0x1000+ resolve edu+
	assert_line -n 0 "EINVAL: target '0x1000+': expected a number after '+'"
	assert_line -n 1 "EINVAL: target 'edu+': expected a number after '+'"
}

@test "K, M and G are for bytes only: a register value or a count is never scaled" {
	run devmemtool w32 "file:$F" 4K
	assert_failure 2
	assert_output --partial "'4K': not a number: expected decimal, 0x hex or 0b binary"
	run devmemtool r8 "file:$F" 4K
	assert_failure 2
	policy_rule 'allow x pci 1234:11e8 bar 4K'
	assert_failure 1
	assert_output --partial "bad BAR '4K': not a number"
	run devmemtool dump "file:$F+1K" 1K
	assert_success
	assert_line -n 0 --partial "00000400"
}

# Names: INPUT, then "ok" or the message after the entry point's prefix.
NAMES=$(cat <<'EOF'
a	ok
edu	ok
A-1_b	ok
abcdefghijabcdefghijabcdefghija	ok
abcdefghijabcdefghijabcdefghijab	bad name 'abcdefghijabcdefghijabcdefghijab': too long: at most 31 characters
a.b	bad name 'a.b': expected a letter, then letters, digits, '_' or '-'
a:b	bad name 'a:b': expected a letter, then letters, digits, '_' or '-'
a#b	bad name 'a#b': expected a letter, then letters, digits, '_' or '-'
EOF
)

@test "one name rule: policy rules, devmemtool map names and libphys window targets" {
	local in want bad=0
	while IFS=$'\t' read -r in want; do
		policy_rule "allow $in range 0x1000 +1"
		if [ "$want" = ok ]; then [ "$status" -eq 0 ] || { echo "policy '$in': $output"; bad=1; }
		else [[ "$output" == *": $want" ]] || { echo "policy '$in': $output"; bad=1; }; fi
		run devmemtool map "file:$F" as "$in"
		if [ "$want" = ok ]; then [ "$status" -eq 0 ] || { echo "map '$in': $output"; bad=1; }
		else [[ "$output" == *"map: $want"* ]] || { echo "map '$in': $output"; bad=1; }; fi
		# No driver here: a good name gets as far as looking for the window.
		run "$RUN" - resolve "$in+0x4"
		if [ "$want" = ok ]; then [[ "$output" == *physmem* ]] || { echo "libphys '$in': $output"; bad=1; }
		else [ "$output" = "EINVAL: target '$in+0x4': $want" ] || { echo "libphys '$in': $output"; bad=1; }; fi
	done <<<"$NAMES"
	[ "$bad" = 0 ]
	# Names that start with no letter are refused where a name is all there can be.
	for name in 1a _a -a 0x10; do
		policy_rule "allow $name range 0x1000 +1"
		assert_output --partial "bad name '$name': expected a letter, then letters, digits, '_' or '-'"
		run devmemtool map "file:$F" as "$name"
		assert_output --partial "bad name '$name': expected a letter, then letters, digits, '_' or '-'"
	done
}

@test "file: targets: +DIGITS is an offset, other '+' belong to the path, quotes keep them" {
	printf 'A' >"$BATS_TEST_TMPDIR/c++"
	printf 'B' >"$BATS_TEST_TMPDIR/v+1"
	run devmemtool r8 "file:$BATS_TEST_TMPDIR/c++"
	assert_success
	assert_output --partial ": 0x41"
	run devmemtool r8 "file:\"$BATS_TEST_TMPDIR/v+1\""
	assert_success
	assert_output --partial ": 0x42"
	run devmemtool r8 "file:$BATS_TEST_TMPDIR/v+1"
	assert_failure 1
	assert_output --partial "v: No such file or directory"
	run "$RUN" - resolve "file:\"$BATS_TEST_TMPDIR/v+1\"" resolve "file:$BATS_TEST_TMPDIR/c+++0"
	assert_line -n 0 "phys 0x0 size 0x1 window '' backend file"
	assert_line -n 1 "phys 0x0 size 0x1 window '' backend file"
}

@test "file: targets: the last '@' outside quotes starts an address, quotes keep a name's '@'" {
	local d=$BATS_TEST_TMPDIR
	printf 'A' >"$d/a@b"
	printf 'B' >"$d/v+1@2"
	run devmemtool r8 "file:\"$d/a@b\""
	assert_success
	assert_output --partial ": 0x41"
	run devmemtool r8 "file:$d/a@b@0x40000000"
	assert_success
	assert_output "0x40000000: 0x41"
	run devmemtool r8 "file:\"$d/v+1@2\"@0x10+0"
	assert_success
	assert_output "0x00000010: 0x42"
	run devmemtool r8 "file:$d/a@b"
	assert_failure 1
	assert_output --partial "bad address 'b': not a number"
	run "$RUN" - resolve "file:\"$d/a@b\"" resolve "file:$d/a@b@4K" resolve "file:\"$d/v+1@2\"@4K+0"
	assert_line -n 0 "phys 0x0 size 0x1 window '' backend file"
	assert_line -n 1 "phys 0x1000 size 0x1 window '' backend file"
	assert_line -n 2 "phys 0x1000 size 0x1 window '' backend file"
}

# A device in Intel VMD's domain 0x10000.
vmd_dev() {
	local d="$R/sys/bus/pci/devices/10000:00:04.0"
	mkdir -p "$R/dev"
	fake_pci_dev "$d" 0x1234 0x11e8
	fake_pci_bars "$d" 0xfea00000-0xfeafffff
}

@test "PCI: a VMD domain (0x10000+) parses, resolves and prints the same everywhere" {
	vmd_dev
	policy_rule 'allow vmd pci 10000:00:04.0 bar 0 rw'
	run physmem-policy --root "$R" check
	assert_success
	assert_line --regexp '^vmd +0xfea00000-0xfeafffff +rw uc +- +pci 10000:00:04.0 bar 0$'
	run "$RUN" -s "$R" - resolve pci:10000:00:04.0/bar0+0x10 pci -
	assert_line -n 0 "phys 0xfea00010 size 0xffff0 window '' backend sysfs"
	assert_line -n 1 --partial "10000:00:04.0 1234:11e8 "
	run "$RUN" -s "$R" pci:10000:00:04.0/bar0 w4 4 0x11223344
	assert_success
	run devmemtool --sysroot "$R" r32 pci:10000:00:04.0/bar0+4
	assert_success
	assert_output --partial ": 0x11223344"
	run devmemtool --sysroot "$R" pci
	assert_output --partial "10000:00:04.0"
}

@test "PCI selectors: one set of refusals for policy rules and pci: targets" {
	local sel want
	while IFS=$'\t' read -r sel want; do
		policy_rule "allow x pci $sel bar 0"
		assert_failure 1
		assert_output --partial ": $want"
		run "$RUN" - resolve "pci:$sel/bar0"
		assert_output --regexp "^E(INVAL|RANGE): target 'pci:.*/bar0': "
		assert_output --partial "'pci:$sel/bar0': $want"
	done <<-'EOF'
	100000000:00:04.0	bad PCI address '100000000:00:04.0': expected [DDDD:]BB:DD.F in hex
	0000:00:20.0	bad PCI address '0000:00:20.0': device is 00 to 1f, function 0 to 7
	00:1f.8	bad PCI address '00:1f.8': device is 00 to 1f, function 0 to 7
	12345:11e8	bad PCI ID '12345:11e8': expected VVVV:DDDD[#N] (vendor:device in hex)
	1234:11e8#4294967296	bad index '4294967296': too large: an index is at most 4294967295
	0000:00:04.0#1	'0000:00:04.0#1': '#N' only goes with a vendor:device ID, not with a PCI address
	EOF
}

@test "BAR numbers: one grammar and one range for policy rules and pci: targets" {
	local bar want
	while IFS=$'\t' read -r bar want; do
		policy_rule "allow x pci 1234:11e8 bar $bar"
		if [ "${want:0:1}" = = ]; then
			assert_success
			assert_output --partial "pci 1234:11e8 bar ${want:1}"
			# parsed: what is left is that there is no such device here
			run "$RUN" - resolve "pci:1234:11e8/bar$bar"
			assert_output "ENODEV: no PCI device 1234:11e8#0 (found 0 with that ID)"
		else
			assert_failure 1
			assert_output --partial ": $want"
			run "$RUN" - resolve "pci:1234:11e8/bar$bar"
			assert_output "EINVAL: target 'pci:1234:11e8/bar$bar': $want"
		fi
	done <<-'EOF'
	0x1	=1
	0b101	=5
	6	bad BAR '6': expected 0 to 5
	01	bad BAR '01': leading zero (octal is not supported): write 1 for decimal or 0x1 for hex
	1x	bad BAR '1x': not a number: expected decimal, 0x hex or 0b binary
	EOF
}

@test "close_stdout: a full disk or a closed pipe is a failure, with one message in both tools" {
	run bash -c 'devmemtool --version >/dev/full'
	assert_failure 1
	assert_output "devmemtool: write error: No space left on device"
	run bash -c 'physmem-policy --help >/dev/full'
	assert_failure
	assert_output "physmem-policy: write error: No space left on device"
	run bash -c "trap '' PIPE; devmemtool r8 file:$F 4096 | true; exit \${PIPESTATUS[0]}"
	assert_failure 1
	assert_output --partial "devmemtool: write error: Broken pipe"
}

@test "long texts are cut in messages, and the leading-zero hint still names the digits" {
	local zeros=0000000000000000000000000000000000000000000000000000000000000001
	run devmemtool w8 "file:$F" "$zeros"
	assert_failure 2
	assert_output --partial "VALUE '00000000000000000000000000000000000000000000...': leading zero (octal is not supported): write 1 for decimal or 0x1 for hex"
	policy_rule "allow x range 0 +$zeros"
	assert_failure 1
	assert_output --partial "bad size '00000000000000000000000000000000000000000000...': leading zero (octal is not supported): write 1 for decimal or 0x1 for hex"
	# 0b, 64 binary digits and 63 separators: still one number.
	policy_rule "allow x range 0b$(printf '1_%.0s' $(seq 63))1 +1"
	assert_success
	assert_output --partial '0xffffffffffffffff-0xffffffffffffffff'
}

@test "iomem labels: one rule (the driver's) for policy rules and iomem: targets" {
	local label want
	while IFS=$'\t' read -r label want; do
		[ "$label" = '(empty)' ] && label= || label=$(printf '%b' "$label")
		[ -n "$want" ]
		policy_rule "allow x iomem \"$label\""
		assert_failure 1
		assert_output --partial ": $want"
		run "$RUN" - resolve "iomem:\"$label\""
		assert_output --regexp "^EINVAL: target 'iomem:.*': "
		assert_output --partial ": $want"
	done <<-'EOF'
	(empty)	bad iomem label '': expected 1 to 63 printable ASCII characters, as /proc/iomem shows the label
	HPET\t0	bad iomem label 'HPET?0': expected 1 to 63 printable ASCII characters, as /proc/iomem shows the label
	caf\xc3\xa9	bad iomem label 'caf??': expected 1 to 63 printable ASCII characters, as /proc/iomem shows the label
	LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL	bad iomem label 'LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL...': too long: at most 63 characters
	EOF
}
