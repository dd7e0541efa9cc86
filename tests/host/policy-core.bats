#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Policy core beyond parsing: offset/size narrowing at resolution, wc on
# non-prefetchable BARs, and the user-space access check that libphys
# applies to backends without the driver.

load policy

@test "resolve: whole BAR, offset only, offset+size, up to the last byte" {
	printf '%s\n' 'allow a pci 1234:11e8 bar 0' \
		'allow b pci 1234:11e8 bar 0 offset 0x1000' \
		'allow c pci 1234:11e8 bar 0 offset 0x10 size 0x20' \
		'allow d iomem "X" offset 0xfffff size 1' > "$F"
	run "$DUMP" --resolve 0xfe000000 1M "$F"
	assert_success
	assert_line -n 0 --partial '| 0xfe000000 +0x100000'
	assert_line -n 1 --partial '| 0xfe001000 +0xff000'
	assert_line -n 2 --partial '| 0xfe000010 +0x20'
	assert_line -n 3 --partial '| 0xfe0fffff +0x1'
}

@test "resolve: 'pages' rounds the narrowed window out to whole pages" {
	printf '%s\n' 'allow p pci 1234:11e8 bar 0 offset 0x10 size 4 pages' \
		'allow q iomem "X" offset 0xff0 size 0x20 pages' > "$F"
	run "$DUMP" --resolve 0xfe000000 1M "$F"
	assert_success
	assert_line -n 0 --partial '| 0xfe000000 +0x1000'
	assert_line -n 1 --partial '| 0xfe000000 +0x2000'
}

@test "resolve: offset/size leaving the source fail with the rule's position" {
	printf 'allow a range 0 +1\n  allow big pci 1234:11e8 bar 0 offset 0xfffff size 2\n' > "$F"
	run "$DUMP" --resolve 0xfe000000 1M "$F"
	assert_failure 1
	assert_output "$F:2:3: rule 'big': offset/size leave the source: pci 1234:11e8 bar 0 offset 0xfffff size 0x2 is 0x100000 bytes"
	printf 'allow off pci 1234:11e8 bar 0 offset 1M\n' > "$F"
	run "$DUMP" --resolve 0xfe000000 1M "$F"
	assert_failure 1
	assert_output --partial "rule 'off': offset/size leave the source"
}

@test "resolve: a failing source names the rule and the reason" {
	printf 'allow a pci 1234:11e8#1 bar 0\n' > "$F"
	run "$DUMP" --resolve 0 0 "$F"
	assert_failure 1
	assert_output "$F:1:1: rule 'a': no such source here"
}

@test "resolve: wc needs a prefetchable BAR" {
	printf 'allow shm pci 0000:00:06.0 bar 2 rw wc\n' > "$F"
	run "$DUMP" --resolve 0xfd000000 1M "$F"
	assert_failure 1
	assert_output "$F:1:1: rule 'shm': 'wc' needs a prefetchable BAR, and bar 2 of 0000:00:00.0 is not"
	run "$DUMP" --resolve 0xfd000000 1M pref "$F"
	assert_success
	assert_output --partial 'rw wc'
}

@test "access: inside a window, at both edges, and one byte past" {
	printf 'allow r range 0x1000 +0x1000 rw\n' > "$F"
	run "$DUMP" --access 0x1000 4 w "$F"
	assert_line -n 1 'allowed by r'
	run "$DUMP" --access 0x1ffc 4 r "$F"
	assert_line -n 1 'allowed by r'
	run "$DUMP" --access 0x1ffd 4 r "$F"
	assert_line -n 1 'denied: 0x1ffd-0x2000 is outside every window of the policy'
	run "$DUMP" --access 0xfff 2 r "$F"
	assert_line -n 1 'denied: 0xfff-0x1000 is outside every window of the policy'
}

@test "access: writes to a read-only window are refused with its name and place" {
	printf 'allow ro1 range 0x1000 +0x1000\n' > "$F"
	run "$DUMP" --access 0x1000 4 w "$F"
	assert_line -n 1 "denied: 0x1000-0x1003: window 'ro1' ($F:1) is read-only"
	run "$DUMP" --access 0x1000 4 r "$F"
	assert_line -n 1 'allowed by ro1'
}

@test "access: an rw window overlapping a ro one allows the write" {
	printf 'allow big range 0 +1M\nallow reg range 0x100 +0x10 rw\n' > "$F"
	run "$DUMP" --access 0x104 4 w "$F"
	assert_line -n 2 'allowed by reg'
}

@test "access: empty and overflowing requests are refused" {
	printf 'allow all range 0xfffffffffffff000 +0xfff\n' > "$F"
	run "$DUMP" --access 0xffffffffffffff00 0x101 r "$F"
	assert_line -n 1 'denied: 0xffffffffffffff00 +0x101: empty or overflowing range'
	run "$DUMP" --access 0xffffffffffffff00 0x100 r "$F"
	assert_line -n 1 'denied: 0xffffffffffffff00-0xffffffffffffffff is outside every window of the policy'
	run "$DUMP" --access 0x1000 0 r "$F"
	assert_line -n 1 'denied: 0x1000 +0x0: empty or overflowing range'
	run "$DUMP" --access 0xfffffffffffff000 0xfff r "$F"
	assert_line -n 1 'allowed by all'
}

@test "access: unresolved pci/iomem rules allow nothing" {
	printf 'allow a pci 1234:11e8 bar 0 rw\n' > "$F"
	run "$DUMP" --access 0xfe000000 4 r "$F"
	assert_line -n 1 'denied: 0xfe000000-0xfe000003 is outside every window of the policy'
	run "$DUMP" --resolve 0xfe000000 1M --access 0xfe000000 4 r "$F"
	assert_line -n 1 'allowed by a'
}
