#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv is clean under sparse (make C=2) against every test kernel.
# (The W=1 build is checked in build-install.bats; for sid, here.)

load ../lib/common

@test "the module is clean under sparse (C=2) on every test kernel" {
	command -v sparse >/dev/null || skip "sparse not installed"
	for kdir in /lib/modules/*/build; do
		kver=$(basename "$(dirname "$kdir")")
		tmp=$(mktemp -d)
		make -s -C "$TOP/physmem-drv" src-copy DEST="$tmp"
		# without the outer make's flags: 'make -s check' would hide the CHECK lines
		run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$tmp/physmem-drv" KVER="$kver" sparse
		rm -rf "$tmp"
		assert_success
		# Every file must have been checked, not skipped.
		assert_output --regexp "CHECK .*/window\.c"
		if echo "$output" | grep -E '(warning|error):'; then
			echo "sparse findings for $kver"
			false
		fi
	done
}

@test "the module is clean under sparse (C=2) and W=1 on Debian sid's kernel" {
	ver=$("$TOP/scripts/sid-kernel" version 2>/dev/null) ||
		skip "the sid chroot is not prepared (scripts/sid-kernel; make check does it)"
	tmp=$(mktemp -d)
	# Built inside the chroot: the sid headers need sid's gcc and libc.
	run "$TOP/scripts/sid-kernel" build "$tmp" sparse
	rm -rf "$tmp"
	assert_success
	# Every file must have been checked, not skipped: Debian's headers lack
	# scripts/checker-valid.sh, without which C=2 checks nothing.
	assert_output --regexp "CHECK .*window\.c"
	refute_output --partial "C=2 specified, but"
	if echo "$output" | grep -E '(warning|error):'; then
		echo "sparse or W=1 findings for $ver"
		false
	fi
}
