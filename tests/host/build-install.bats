#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# make install / make uninstall lay out, and remove, exactly the documented
# tree; the module builds warning-free with W=1 against every test kernel.

load ../lib/common

# `make install` builds physmem.ko in the tree's physmem-drv/, as the VM
# boots' initramfs builds do at the same time (tests/run-all): one at a
# time, under their lock.
install_locked() {
	mkdir -p "$TOP/build"
	flock "$TOP/build/.install.lock" make -s -C "$TOP" install "$@"
}

setup_file() {
	export DEST=$(mktemp -d)
	install_locked DESTDIR="$DEST" PREFIX=/usr >"$BATS_FILE_TMPDIR/install.log" 2>&1
	export INSTALL_RC=$?
}

teardown_file() {
	rm -rf "$DEST"
}

@test "make install DESTDIR=... PREFIX=/usr succeeds" {
	[ "$INSTALL_RC" = 0 ] || { cat "$BATS_FILE_TMPDIR/install.log"; false; }
}

@test "install puts the tools in bin and sbin" {
	[ -x "$DEST/usr/bin/devmemtool" ]
	[ -x "$DEST/usr/sbin/physmem-policy" ]
}

@test "install puts libphys with its soname links, header and pkg-config file" {
	# PREFIX=/usr: Debian's multiarch directory, /usr/lib/<triplet>
	lib="$DEST/usr/lib/$($CC -print-multiarch)"
	run readlink "$lib/libphys.so"
	assert_output "libphys.so.2"
	[ -L "$lib/libphys.so.2" ]
	[ ! -e "$DEST/usr/lib/libphys.so.2" ]
	real=$(readlink -f "$lib/libphys.so.2")
	[ -f "$real" ]
	run objdump -p "$real"
	assert_output --partial "SONAME               libphys.so.2"
	[ -f "$DEST/usr/include/libphys.h" ]
	[ -f "$DEST/usr/include/libphys/reg.h" ]
	[ -f "$DEST/usr/include/linux/physmem.h" ]
	run grep -E '^(libdir=|Name|Libs):?' "$lib/pkgconfig/libphys.pc"
	assert_output --partial "-lphys"
	assert_output --partial "libdir=/usr/lib/$($CC -print-multiarch)"
}

@test "install puts every man page in its section" {
	for page in man1/devmemtool.1 man3/libphys.3 man4/physmem.4 man5/physmem.conf.5 man5/physmem-regmap.5 man8/physmem-policy.8; do
		[ -f "$DEST/usr/share/man/$page" ] || { echo "missing $page"; false; }
		run grep -c '@VERSION@' "$DEST/usr/share/man/$page"
		assert_output 0
	done
}

@test "install puts the register maps physmem ships under share/physmem/regmaps" {
	for map in edu ivshmem; do
		f="$DEST/usr/share/physmem/regmaps/$map.regmap"
		[ -f "$f" ] || { echo "missing $map.regmap"; false; }
		cmp "$f" "$TOP/regmaps/$map.regmap"
		run stat -c %a "$f"
		assert_output 644
	done
}

@test "install puts the module under /lib/modules/KVER/extra" {
	run find "$DEST/lib/modules" -path '*/extra/physmem.ko'
	assert_success
	[ -n "$output" ]
}

@test "install keeps /dev/physmem at 0600 root with a udev rule" {
	run cat "$DEST/lib/udev/rules.d/60-physmem.rules"
	assert_success
	assert_output --partial 'KERNEL=="physmem"'
	assert_output --partial 'MODE="0600"'
}

@test "install puts an example policy under /etc/physmem" {
	[ -f "$DEST/etc/physmem/physmem.conf" ]
	[ -d "$DEST/etc/physmem/physmem.d" ]
}

@test "install puts the bash completions where bash-completion loads them on demand" {
	dir=$(pkg-config --variable=completionsdir bash-completion)
	assert_equal "$dir" /usr/share/bash-completion/completions
	cmp "$DEST$dir/devmemtool" "$TOP/devmemtool/devmemtool.bash-completion"
	cmp "$DEST$dir/physmem-policy" "$TOP/physmem-policy/physmem-policy.bash-completion"
	run stat -c %a "$DEST$dir/devmemtool" "$DEST$dir/physmem-policy"
	assert_output "644
644"
	# bash-completion's loader finds them by the command's name
	run env XDG_DATA_DIRS="$DEST/usr/share" bash --norc --noprofile -c \
		'source /usr/share/bash-completion/bash_completion
		 __load_completion devmemtool && __load_completion physmem-policy &&
		 complete -p devmemtool physmem-policy'
	assert_success
	assert_output "complete -F _devmemtool devmemtool
complete -F _physmem_policy physmem-policy"
}

@test "make uninstall with the same DESTDIR leaves no project file or directory" {
	dest=$(mktemp -d)
	install_locked DESTDIR="$dest" PREFIX=/usr >/dev/null 2>&1
	run make -s -C "$TOP" uninstall DESTDIR="$dest" PREFIX=/usr
	assert_success
	run find "$dest" -type f -o -type l -o -type d -name '*physmem*'
	rm -rf "$dest"
	assert_output ""
}

@test "the module builds with no warnings with W=1 on every test kernel" {
	for kdir in /lib/modules/*/build; do
		kver=$(basename "$(dirname "$kdir")")
		tmp=$(mktemp -d)
		make -s -C "$TOP/physmem-drv" src-copy DEST="$tmp"
		run make -C "$tmp/physmem-drv" KVER="$kver" W=1
		rm -rf "$tmp"
		assert_success
		if echo "$output" | grep -i 'warning:'; then
			echo "warnings building for $kver"
			false
		fi
	done
}

@test "src-copy copies the driver's sources alone: what a build leaves or makes in the tree stays behind" {
	src=$(mktemp -d) dst=$(mktemp -d)
	make -s -C "$TOP/physmem-drv" src-copy DEST="$src"
	kver=$(basename "$(dirname "$(ls -d /lib/modules/*/build | head -n 1)")")
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$src/physmem-drv" KVER="$kver" >/dev/null 2>&1
	[ -f "$src/physmem-drv/physmem.ko" ]
	# a kbuild temporary of a build still running, as the one a copy tripped on
	touch "$src/physmem-drv/.tmp_12345"
	run make -s -C "$src/physmem-drv" src-copy DEST="$dst"
	assert_success
	run bash -c "cd '$dst' && find . -type f | sort"
	expected=$(cd "$TOP" && { echo config.mk; git ls-files physmem-drv; } | sed 's|^|./|' | sort)
	rm -rf "$src" "$dst"
	assert_output "$expected"
}

@test "src-copy without DEST is refused, saying so" {
	run env -u DEST make -s -C "$TOP/physmem-drv" src-copy
	assert_failure
	assert_output --partial "src-copy: DEST=DIR is required"
}
