#!/usr/bin/env bats
# physmem-drv is clean under sparse (make C=2) against every test kernel.
# (The W=1 build is checked in build-install.bats.)

load ../lib/common

@test "the module is clean under sparse (C=2) on every test kernel" {
	command -v sparse >/dev/null || skip "sparse not installed"
	for kdir in /lib/modules/*/build; do
		kver=$(basename "$(dirname "$kdir")")
		tmp=$(mktemp -d)
		cp -r "$TOP/physmem-drv" "$tmp/"
		cp "$TOP/config.mk" "$tmp/"
		make -s -C "$tmp/physmem-drv" KVER="$kver" clean >/dev/null 2>&1
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
