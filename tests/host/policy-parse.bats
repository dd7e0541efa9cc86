#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# physmem.conf parser: every valid form and every kind of error with its
# exact message and position. policy-dump prints what the parser understood:
#   NAME | SOURCE | ACCESS [wc] [shared] [pages] [dma 0xSIZE] [dma-mask BITS] [irq]
#     | FILE:LINE:COL [| resolved range]
# (dma, dma-mask and irq are tested in policy-grants.bats.)

load policy

# parse_ok TEXT: parse TEXT as one file; output with the path shortened to F.
parse() {
	printf '%s\n' "$1" > "$F"
	run bash -c '"$0" "$1" 2>&1 | sed "s|$1|F|g"; exit ${PIPESTATUS[0]}' "$DUMP" "$F"
}

# parse_err TEXT MESSAGE: TEXT must fail with exactly F:MESSAGE.
parse_err() {
	parse "$1"
	assert_failure 1
	assert_output "F:$2"
}

@test "valid: pci by vendor:device, default index, rw" {
	parse 'allow edu pci 1234:11e8 bar 0 rw'
	assert_success
	assert_output 'edu | pci 1234:11e8 bar 0 | rw | F:1:1'
}

@test "valid: pci ID with #N, upper-case hex, short fields" {
	parse 'allow shm pci 1AF4:1110#1 bar 2 rw wc
allow two pci 8086:7#0x2 bar 5'
	assert_success
	assert_line -n 0 'shm | pci 1af4:1110#1 bar 2 | rw wc | F:1:1'
	assert_line -n 1 'two | pci 8086:0007#2 bar 5 | ro | F:2:1'
}

@test "valid: pci address with and without domain" {
	parse 'allow a pci 0000:00:04.0 bar 0
allow b pci 00:05.0 bar 1
allow c pci 1:ff:1f.7 bar 2
allow d pci 10000:03:00.1 bar 0'
	assert_success
	assert_line -n 0 'a | pci 0000:00:04.0 bar 0 | ro | F:1:1'
	assert_line -n 1 'b | pci 0000:00:05.0 bar 1 | ro | F:2:1'
	assert_line -n 2 'c | pci 0001:ff:1f.7 bar 2 | ro | F:3:1'
	assert_line -n 3 'd | pci 10000:03:00.1 bar 0 | ro | F:4:1'
}

@test "valid: iomem label, with #N, with spaces inside" {
	parse 'allow hpet iomem "HPET 0"
allow pnp iomem "pnp 00:04"#3 ro'
	assert_success
	assert_line -n 0 'hpet | iomem "HPET 0" | ro | F:1:1'
	assert_line -n 1 'pnp | iomem "pnp 00:04"#3 | ro | F:2:1'
}

@test "valid: range BASE +SIZE and BASE-LAST in every spelling" {
	parse 'allow a range 0xc0000000 +0x10000 rw
allow b range 0xd0000000-0xd00fffff
allow c range 4096+4K
allow d range 0x1000 + 1M
allow e range 0x1000 - 0x1fff
allow f range 0x1000 -0x1fff
allow g range 3G +0b1000000000000
allow h range 0 +1
allow i range 0xfffffffffffff000 +0xfff
allow j range 1 - 0xffffffffffffffff'
	assert_success
	assert_line -n 0 'a | range 0xc0000000 +0x10000 | rw | F:1:1 | 0xc0000000 +0x10000'
	assert_line -n 1 'b | range 0xd0000000 +0x100000 | ro | F:2:1 | 0xd0000000 +0x100000'
	assert_line -n 2 'c | range 0x1000 +0x1000 | ro | F:3:1 | 0x1000 +0x1000'
	assert_line -n 3 'd | range 0x1000 +0x100000 | ro | F:4:1 | 0x1000 +0x100000'
	assert_line -n 4 'e | range 0x1000 +0x1000 | ro | F:5:1 | 0x1000 +0x1000'
	assert_line -n 5 'f | range 0x1000 +0x1000 | ro | F:6:1 | 0x1000 +0x1000'
	assert_line -n 6 'g | range 0xc0000000 +0x1000 | ro | F:7:1 | 0xc0000000 +0x1000'
	assert_line -n 7 'h | range 0x0 +0x1 | ro | F:8:1 | 0x0 +0x1'
	assert_line -n 8 'i | range 0xfffffffffffff000 +0xfff | ro | F:9:1 | 0xfffffffffffff000 +0xfff'
	assert_line -n 9 'j | range 0x1 +0xffffffffffffffff | ro | F:10:1 | 0x1 +0xffffffffffffffff'
}

@test "valid: numbers decimal, 0x, 0b, K/M/G suffixes" {
	parse 'allow a range 16 +1K
allow b range 0x10 +2M
allow c range 0b10000 +3G
allow d range 0X10 +0x1K
allow e range 0B1 +0b1M'
	assert_success
	assert_line -n 0 'a | range 0x10 +0x400 | ro | F:1:1 | 0x10 +0x400'
	assert_line -n 1 'b | range 0x10 +0x200000 | ro | F:2:1 | 0x10 +0x200000'
	assert_line -n 2 'c | range 0x10 +0xc0000000 | ro | F:3:1 | 0x10 +0xc0000000'
	assert_line -n 3 'd | range 0x10 +0x400 | ro | F:4:1 | 0x10 +0x400'
	assert_line -n 4 'e | range 0x1 +0x100000 | ro | F:5:1 | 0x1 +0x100000'
}

@test "valid: offset/size narrow pci and iomem sources; options in any order" {
	parse 'allow nic pci 0000:03:00.0 bar 0 offset 0x1000 size 0x1000 ro shared
allow tail pci 1234:11e8 bar 0 offset 4K
allow head iomem "HPET 0" size 0x100
allow mix pci 1234:11e8 bar 2 shared wc size 1M rw offset 0'
	assert_success
	assert_line -n 0 'nic | pci 0000:03:00.0 bar 0 offset 0x1000 size 0x1000 | ro shared | F:1:1'
	assert_line -n 1 'tail | pci 1234:11e8 bar 0 offset 0x1000 | ro | F:2:1'
	assert_line -n 2 'head | iomem "HPET 0" offset 0x0 size 0x100 | ro | F:3:1'
	assert_line -n 3 'mix | pci 1234:11e8 bar 2 offset 0x0 size 0x100000 | rw wc shared | F:4:1'
}

@test "valid: 'pages' rounds a range out to whole pages (the driver's rule)" {
	parse 'allow a range 0xfea00010 +4 rw pages
allow b range 0xfea00000 +0x1000 pages
allow c range 0xfea00ff0 +0x20 pages
allow d range 0xffffffffffffeff0 +0x20 pages'
	assert_success
	assert_line -n 0 'a | range 0xfea00010 +0x4 | rw pages | F:1:1 | 0xfea00000 +0x1000'
	assert_line -n 1 'b | range 0xfea00000 +0x1000 | ro pages | F:2:1 | 0xfea00000 +0x1000'
	assert_line -n 2 'c | range 0xfea00ff0 +0x20 | ro pages | F:3:1 | 0xfea00000 +0x2000'
	assert_line -n 3 'd | range 0xffffffffffffeff0 +0x20 | ro pages | F:4:1 | 0xffffffffffffe000 +0x2000'
}

@test "error: 'shared' and 'pages' together, in either order (the driver refuses them too)" {
	local why="'shared' and 'pages' do not go together: a shared window claims nothing, so nothing would keep the rest of its pages from another owner"
	parse_err 'allow x range 0x1000 +4 shared pages' "1:32: $why"
	parse_err 'allow x range 0x1000 +4 pages shared' "1:31: $why"
}

@test "error: 'pages' twice; pages that reach past the end of the address space" {
	parse_err 'allow x range 0x1000 +4 pages pages' "1:31: duplicate 'pages'"
	parse_err 'allow x range 1 - 0xffffffffffffffff pages' "1:1: its pages reach past the end of the address space"
}

@test "valid: comments, blank lines, indentation, tabs, CRLF" {
	printf '# header\n\n   \n\tallow a range 0 +1 # trailing comment\r\n#allow b range 0 +1\n  allow\tc  range\t8 +8   rw\n' > "$F"
	run "$DUMP" "$F"
	assert_success
	assert_line -n 0 "a | range 0x0 +0x1 | ro | $F:4:2 | 0x0 +0x1"
	assert_line -n 1 "c | range 0x8 +0x8 | rw | $F:6:3 | 0x8 +0x8"
	assert_equal "${#lines[@]}" 2
}

@test "valid: empty file and comment-only file give no rules" {
	parse '# nothing allowed'
	assert_success
	assert_output ''
	: > "$F"
	run "$DUMP" "$F"
	assert_success
	assert_output ''
}

@test "valid: names up to 31 characters, with digits, _ and -" {
	parse 'allow A_b-9 range 0 +1
allow abcdefghijabcdefghijabcdefghij1 range 0 +1'
	assert_success
	assert_line -n 0 --partial 'A_b-9 |'
	assert_line -n 1 --partial 'abcdefghijabcdefghijabcdefghij1 |'
}

@test "multiple files: order kept, positions name each file, names unique across files" {
	printf 'allow a range 0 +1\n' > "$BATS_TEST_TMPDIR/one.conf"
	printf '\nallow b range 1 +1\n' > "$BATS_TEST_TMPDIR/two.conf"
	run "$DUMP" "$BATS_TEST_TMPDIR/two.conf" "$BATS_TEST_TMPDIR/one.conf"
	assert_success
	assert_line -n 0 "b | range 0x1 +0x1 | ro | $BATS_TEST_TMPDIR/two.conf:2:1 | 0x1 +0x1"
	assert_line -n 1 "a | range 0x0 +0x1 | ro | $BATS_TEST_TMPDIR/one.conf:1:1 | 0x0 +0x1"
	printf 'allow  b range 2 +1\n' > "$BATS_TEST_TMPDIR/one.conf"
	run "$DUMP" "$BATS_TEST_TMPDIR/two.conf" "$BATS_TEST_TMPDIR/one.conf"
	assert_failure 1
	assert_output "$BATS_TEST_TMPDIR/one.conf:1:8: duplicate name 'b': first defined at $BATS_TEST_TMPDIR/two.conf:2:1"
}

@test "default files: physmem.conf, then physmem.d/*.conf in byte order, others ignored" {
	R="$BATS_TEST_TMPDIR/root"
	mkdir -p "$R/etc/physmem/physmem.d"
	printf 'allow main range 0 +1\n' > "$R/etc/physmem/physmem.conf"
	printf 'allow ten range 10 +1\n' > "$R/etc/physmem/physmem.d/10-x.conf"
	printf 'allow two range 2 +1\n' > "$R/etc/physmem/physmem.d/2-x.conf"
	printf 'allow upper range 3 +1\n' > "$R/etc/physmem/physmem.d/Z.conf"
	printf 'allow nope range 4 +1\n' > "$R/etc/physmem/physmem.d/x.conf.disabled"
	printf 'allow nope2 range 5 +1\n' > "$R/etc/physmem/physmem.d/.hidden.conf"
	run env LC_ALL=en_US.UTF-8 "$DUMP" --root "$R"
	assert_success
	run cut -d' ' -f1 <<< "$output"
	assert_output "$(printf 'main\nten\ntwo\nupper')"
}

@test "default files: missing physmem.conf or physmem.d is no error" {
	R="$BATS_TEST_TMPDIR/root"
	mkdir -p "$R/etc/physmem/physmem.d"
	printf 'allow only range 0 +1\n' > "$R/etc/physmem/physmem.d/a.conf"
	run "$DUMP" --root "$R"
	assert_success
	assert_output --partial "only | range 0x0 +0x1 | ro | $R/etc/physmem/physmem.d/a.conf:1:1"
	rm -r "$R/etc/physmem/physmem.d"
	run "$DUMP" --root "$R"
	assert_success
	assert_output ''
}

@test "default files: an error in physmem.d names that file; nothing is kept" {
	R="$BATS_TEST_TMPDIR/root"
	mkdir -p "$R/etc/physmem/physmem.d"
	printf 'allow main range 0 +1\n' > "$R/etc/physmem/physmem.conf"
	printf 'allow main range 1 +1\n' > "$R/etc/physmem/physmem.d/a.conf"
	run "$DUMP" --root "$R"
	assert_failure 1
	assert_output "$R/etc/physmem/physmem.d/a.conf:1:7: duplicate name 'main': first defined at $R/etc/physmem/physmem.conf:1:1"
}

@test "unreadable or missing explicit file: path and reason" {
	run "$DUMP" "$BATS_TEST_TMPDIR/none.conf"
	assert_failure 1
	assert_output "$BATS_TEST_TMPDIR/none.conf: No such file or directory"
	run "$DUMP" "$BATS_TEST_TMPDIR"
	assert_failure 1
	assert_output "$BATS_TEST_TMPDIR: Is a directory"
}

# ---- errors: exact message and position --------------------------------

@test "error: not a rule" {
	parse_err 'deny x range 0 +1' "1:1: expected 'allow' at the start of a rule, got 'deny'"
	parse_err '  range 0 +1' "1:3: expected 'allow' at the start of a rule, got 'range'"
}

@test "error: missing parts name what was expected" {
	parse_err 'allow' "1:6: expected a rule name after 'allow'"
	parse_err 'allow x' "1:8: expected a source (pci, iomem or range) after the name"
	parse_err 'allow x  # comment' "1:8: expected a source (pci, iomem or range) after the name"
	parse_err 'allow x pci' "1:12: expected a PCI device (VVVV:DDDD[#N] or [DDDD:]BB:DD.F) after 'pci'"
	parse_err 'allow x iomem' "1:14: expected a quoted label after 'iomem', e.g. \"HPET 0\""
	parse_err 'allow x range' "1:14: expected BASE +SIZE or BASE-LAST after 'range'"
	parse_err 'allow x range 5' "1:16: expected '+SIZE' or '-LAST' after the base"
	parse_err 'allow x range 5 +' "1:18: expected the size after '+'"
	parse_err 'allow x range 5 -' "1:18: expected the last address after '-'"
	parse_err 'allow x range 5 * 3' "1:17: expected '+SIZE' or '-LAST' after the base, got '*'"
	parse_err 'allow x pci 1234:11e8 bar' "1:26: expected a BAR number (0 to 5) after 'bar'"
	parse_err 'allow x pci 1234:11e8 bar 0 offset' "1:35: expected a number after 'offset'"
	parse_err 'allow x pci 1234:11e8 bar 0 size' "1:33: expected a number after 'size'"
}

@test "error: bad, too long and duplicate names" {
	parse_err 'allow 9x range 0 +1' "1:7: bad name '9x': expected a letter, then letters, digits, '_' or '-'"
	parse_err 'allow a.b range 0 +1' "1:7: bad name 'a.b': expected a letter, then letters, digits, '_' or '-'"
	parse_err 'allow _a range 0 +1' "1:7: bad name '_a': expected a letter, then letters, digits, '_' or '-'"
	parse_err 'allow abcdefghijabcdefghijabcdefghij12 range 0 +1' \
		"1:7: bad name 'abcdefghijabcdefghijabcdefghij12': too long: at most 31 characters"
	parse "allow edu pci 1234:11e8 bar 0
# another
allow   edu range 0 +1"
	assert_failure 1
	assert_output "F:3:9: duplicate name 'edu': first defined at F:1:1"
}

@test "error: unknown source, unknown option, trailing junk" {
	parse_err 'allow x foo 1' "1:9: unknown source 'foo': expected pci, iomem or range"
	parse_err 'allow x range 0 +1 junk' "1:20: unknown option 'junk': expected offset, size, ro, rw, wc, shared, pages, dma, dma-mask or irq"
	parse_err 'allow x pci 1234:11e8 bar 0 rw extra' "1:32: unknown option 'extra': expected offset, size, ro, rw, wc, shared, pages, dma, dma-mask or irq"
	parse_err 'allow x range 0 +1#c' "1:18: bad size '1#c': not a number: expected decimal, 0x hex or 0b binary"
}

@test "error: missing bar, bad bar, bar > 5" {
	parse_err 'allow x pci 1234:11e8 rw' "1:23: expected 'bar' after the PCI device, got 'rw'"
	parse_err 'allow x pci 1234:11e8' "1:22: expected 'bar' after the PCI device, got the end of the line"
	parse_err 'allow x pci 1234:11e8 bar0' "1:23: expected 'bar' after the PCI device, got 'bar0'"
	parse_err 'allow x pci 1234:11e8 bar 6' "1:27: bad BAR '6': expected 0 to 5"
	parse_err 'allow x pci 1234:11e8 bar x' "1:27: bad BAR 'x': not a number: expected decimal, 0x hex or 0b binary"
}

@test "error: bad PCI IDs and addresses" {
	parse_err 'allow x pci 1234:11g8 bar 0' "1:13: bad PCI ID '1234:11g8': expected VVVV:DDDD[#N] (vendor:device in hex)"
	parse_err 'allow x pci 12345:11e8 bar 0' "1:13: bad PCI ID '12345:11e8': expected VVVV:DDDD[#N] (vendor:device in hex)"
	parse_err 'allow x pci 1234 bar 0' "1:13: bad PCI ID '1234': expected VVVV:DDDD[#N] (vendor:device in hex)"
	parse_err 'allow x pci 1234:11e8# bar 0' "1:22: expected a number after '#'"
	parse_err 'allow x pci 1234:11e8#x bar 0' "1:23: bad index 'x': not a number: expected decimal, 0x hex or 0b binary"
	parse_err 'allow x pci 1234:11e8#4294967296 bar 0' "1:23: bad index '4294967296': too large: an index is at most 4294967295"
	parse_err 'allow x pci 00:20.0 bar 0' "1:13: bad PCI address '00:20.0': device is 00 to 1f, function 0 to 7"
	parse_err 'allow x pci 00:1f.8 bar 0' "1:13: bad PCI address '00:1f.8': device is 00 to 1f, function 0 to 7"
	parse_err 'allow x pci 000:04.0 bar 0' "1:13: bad PCI address '000:04.0': expected [DDDD:]BB:DD.F in hex"
	parse_err 'allow x pci 0000:00:04 bar 0' "1:13: bad PCI address '0000:00:04': expected [DDDD:]BB:DD.F in hex"
	parse_err 'allow x pci 0000:00:04.0#1 bar 0' "1:13: '0000:00:04.0#1': '#N' only goes with a vendor:device ID, not with a PCI address"
}

@test "error: bad numbers, overflow of a number" {
	parse_err 'allow x range 0xzz +1' "1:15: bad base '0xzz': not a number: expected decimal, 0x hex or 0b binary"
	parse_err 'allow x range 0x +1' "1:15: bad base '0x': no digits"
	parse_err 'allow x range 0b102 +1' "1:15: bad base '0b102': not a number: expected decimal, 0x hex or 0b binary"
	parse_err 'allow x range 12T +1' "1:15: bad base '12T': not a number: expected decimal, 0x hex or 0b binary"
	parse_err 'allow x range 010 +1' "1:15: bad base '010': leading zero (octal is not supported): write 10 for decimal or 0x10 for hex"
	parse_err 'allow x range 0x1000 +1_' "1:23: bad size '1_': '_' must stand between two digits"
	parse_err 'allow x range 0x1000 +18446744073709551616' "1:23: bad size '18446744073709551616': too large: a number must fit in 64 bits"
	parse_err 'allow x range 0 +99999999999999999999' "1:18: bad size '99999999999999999999': too large: a number must fit in 64 bits"
	parse_err 'allow x range 0 +0x10000000000000000' "1:18: bad size '0x10000000000000000': too large: a number must fit in 64 bits"
	parse_err 'allow x range 0 +17179869184G' "1:18: bad size '17179869184G': too large: a number must fit in 64 bits"
}

@test "error: range overflow, zero size, LAST below BASE (boundaries)" {
	parse_err 'allow x range 0xffffffffffffffff +2' "1:35: range overflows: 0xffffffffffffffff +0x2 goes past the end of the 64-bit address space"
	parse_err 'allow x range 0xfffffffffffff000 +0x1001' "1:35: range overflows: 0xfffffffffffff000 +0x1001 goes past the end of the 64-bit address space"
	parse_err 'allow x range 0 - 0xffffffffffffffff' "1:19: range overflows: its size does not fit in 64 bits"
	parse_err 'allow x range 0x1000 +0' "1:23: zero size: a range needs at least one byte"
	parse_err 'allow x range 0x2000-0x1fff' "1:22: last address 0x1fff is below the base 0x2000"
	parse 'allow x range 0x2000-0x2000'
	assert_success
	assert_output 'x | range 0x2000 +0x1 | ro | F:1:1 | 0x2000 +0x1'
}

@test "a range ending at the last byte: both spellings give one answer" {
	# BASE +SIZE may end exactly at 2^64, as BASE-0xffffffffffffffff does.
	parse 'allow a range 0xfffffffffffff000 +0x1000
allow b range 0xfffffffffffff000-0xffffffffffffffff
allow c range 0xffffffffffffffff +1
allow d range 0xffffffffffffffff-0xffffffffffffffff'
	assert_success
	assert_line -n 0 'a | range 0xfffffffffffff000 +0x1000 | ro | F:1:1 | 0xfffffffffffff000 +0x1000'
	assert_line -n 1 'b | range 0xfffffffffffff000 +0x1000 | ro | F:2:1 | 0xfffffffffffff000 +0x1000'
	assert_line -n 2 'c | range 0xffffffffffffffff +0x1 | ro | F:3:1 | 0xffffffffffffffff +0x1'
	assert_line -n 3 'd | range 0xffffffffffffffff +0x1 | ro | F:4:1 | 0xffffffffffffffff +0x1'
}

@test "lower-case size suffixes are sizes too" {
	parse 'allow x range 12k +1m'
	assert_success
	assert_output 'x | range 0x3000 +0x100000 | ro | F:1:1 | 0x3000 +0x100000'
}

@test "error: offset/size misuse" {
	parse_err 'allow x range 0 +1 offset 4' "1:20: 'offset' only goes with pci or iomem sources; a range gives its own size"
	parse_err 'allow x range 0 +1 size 3' "1:20: 'size' only goes with pci or iomem sources; a range gives its own size"
	parse_err 'allow x pci 1234:11e8 bar 0 size 0' "1:34: zero size: a window needs at least one byte"
	parse_err 'allow x pci 1234:11e8 bar 0 offset 0xffffffffffffffff size 1' "1:60: offset + size overflows 64 bits"
	parse_err 'allow x pci 1234:11e8 bar 0 offset 1 offset 2' "1:38: duplicate 'offset'"
}

@test "error: access and option conflicts, duplicates" {
	parse_err 'allow x range 0 +1 ro rw' "1:23: conflicting access 'rw': 'ro' was given before"
	parse_err 'allow x range 0 +1 rw ro' "1:23: conflicting access 'ro': 'rw' was given before"
	parse_err 'allow x range 0 +1 rw rw' "1:23: duplicate 'rw'"
	parse_err 'allow x pci 1234:11e8 bar 0 wc wc' "1:32: duplicate 'wc'"
	parse_err 'allow x pci 1234:11e8 bar 0 shared shared' "1:36: duplicate 'shared'"
}

@test "error: wc only on pci sources (it needs a prefetchable BAR)" {
	parse_err 'allow x range 0 +1 rw wc' "1:23: 'wc' only goes with pci sources (write-combining needs a prefetchable BAR)"
	parse_err 'allow x iomem "HPET 0" wc' "1:24: 'wc' only goes with pci sources (write-combining needs a prefetchable BAR)"
}

@test "error: iomem labels: unterminated quote, unquoted, empty, too long, bad #N" {
	parse_err 'allow x iomem "HPET 0' "1:15: unterminated quote: expected a closing '\"' before the end of the line"
	parse_err 'allow x iomem HPET' "1:15: expected a quoted label after 'iomem', got 'HPET'"
	parse_err 'allow x iomem ""' "1:15: bad iomem label '': expected 1 to 63 printable ASCII characters, as /proc/iomem shows the label"
	parse_err "allow x iomem \"$(printf 'L%.0s' {1..64})\"" "1:15: bad iomem label 'LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL...': too long: at most 63 characters"
	# The driver takes printable ASCII only: a tab is refused here already.
	parse_err "$(printf 'allow x iomem "HPET\t0"')" "1:15: bad iomem label 'HPET?0': expected 1 to 63 printable ASCII characters, as /proc/iomem shows the label"
	parse_err 'allow x iomem "HPET 0"x' "1:23: expected '#N' or a space after the label, got '\"HPET 0\"x'"
	parse_err 'allow x iomem "HPET 0"#a' "1:24: bad index 'a': not a number: expected decimal, 0x hex or 0b binary"
	parse "allow x iomem \"$(printf 'L%.0s' {1..63})\""
	assert_success
}

@test "error: NUL byte; the first error stops and nothing is kept" {
	printf 'allow a range 0 +1\nallow b ra\0nge 0 +1\n' > "$F"
	run "$DUMP" "$F"
	assert_failure 1
	assert_output "$F:2:11: unexpected NUL byte: a policy is text"
}

@test "error: long junk words are shortened and made printable in messages" {
	parse_err "allow x range 0 +1 $(printf 'j%.0s' {1..100})" \
		"1:20: unknown option 'jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj...': expected offset, size, ro, rw, wc, shared, pages, dma, dma-mask or irq"
	printf 'allow x range 0 +1 \001\033[31m\n' > "$F"
	run "$DUMP" "$F"
	assert_failure 1
	assert_output "$F:1:20: unknown option '??[31m': expected offset, size, ro, rw, wc, shared, pages, dma, dma-mask or irq"
}
