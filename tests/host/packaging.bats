#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Packaging, checked fast on the host without building the packages (make
# deb does that, and the packages boot tests them installed): DKMS's
# dkms.conf and source tree, the Debian files against the tree (version,
# soname, symbols, licences), the boot unit and its script, the multiarch
# libdir and ldconfig after a live install.

load ../lib/common

VERSION=$(sed -n 's/^VERSION *:= *//p' "$TOP/config.mk")

# dkms_field NAME: a field's value in dkms.conf, quotes removed.
dkms_field() {
	sed -n "s/^$1=\"\\{0,1\\}\\([^\"]*\\)\"\\{0,1\\}\$/\\1/p" "$TOP/physmem-drv/dkms.conf"
}

@test "dkms.conf names the module and config.mk's VERSION, and installs it for every kernel" {
	assert_equal "$(dkms_field PACKAGE_NAME)" physmem
	assert_equal "$(dkms_field PACKAGE_VERSION)" "$VERSION"
	# the module Kbuild builds
	run sed -n 's/^obj-m *:= *\(.*\)\.o$/\1/p' "$TOP/physmem-drv/Kbuild"
	assert_equal "$(dkms_field 'BUILT_MODULE_NAME\[0\]')" "$output"
	assert_equal "$(dkms_field AUTOINSTALL)" yes
	assert_equal "$(dkms_field 'DEST_MODULE_LOCATION\[0\]')" /updates/dkms
}

@test "make dkms-src refuses a dkms.conf whose version is not config.mk's" {
	run make -s -C "$TOP/physmem-drv" dkms-src DESTDIR="$BATS_TEST_TMPDIR/d" VERSION=9.9.9
	assert_failure
	assert_output --partial "dkms.conf: PACKAGE_VERSION \"$VERSION\" is not config.mk's VERSION 9.9.9"
	[ ! -e "$BATS_TEST_TMPDIR/d/usr/src" ]
}

@test "the DKMS source tree is self-contained: dkms.conf's MAKE builds it for a kernel" {
	dest="$BATS_TEST_TMPDIR/d"
	make -s -C "$TOP/physmem-drv" dkms-src DESTDIR="$dest"
	src="$dest/usr/src/physmem-$VERSION"
	[ -f "$src/dkms.conf" ]
	[ -f "$src/Kbuild" ]
	[ -f "$src/include/uapi/linux/physmem.h" ]
	# every object Kbuild names has its source; no Makefile (it includes
	# ../config.mk), no build artefacts
	for o in $(sed -n 's/^physmem-y *:= *//p' "$TOP/physmem-drv/Kbuild"); do
		[ -f "$src/${o%.o}.c" ] || { echo "missing ${o%.o}.c"; false; }
	done
	run find "$src" -name Makefile -o -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd'
	assert_output ""
	# dkms copies the tree to $dkms_tree/NAME/VERSION/build and runs MAKE[0]
	# there, with the kernel's build directory as kernel_source_dir.
	kdir=$(ls -d /lib/modules/*/build | sort -V | head -n1)
	[ -n "$kdir" ] || { echo "no kernel headers in /lib/modules"; false; }
	tree="$BATS_TEST_TMPDIR/dkms"
	mkdir -p "$tree/physmem/$VERSION"
	cp -r "$src" "$tree/physmem/$VERSION/build"
	cmd=$(sed -n 's/^MAKE\[0\]="\(.*\)"$/\1/p' "$src/dkms.conf")
	cmd=${cmd//'${kernel_source_dir}'/$kdir}
	cmd=${cmd//'${dkms_tree}'/$tree}
	cmd=${cmd//'${PACKAGE_NAME}'/physmem}
	cmd=${cmd//'${PACKAGE_VERSION}'/$VERSION}
	run nice $cmd
	assert_success
	[ -f "$tree/physmem/$VERSION/build/physmem.ko" ]
}

@test "debian/changelog's version is config.mk's VERSION" {
	run dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version
	assert_success
	assert_equal "${output%-*}" "$VERSION"
}

@test "the library package is named after libphys's soname, its -dev after it" {
	soname=$(sed -n 's/^SONAME *:= *//p' "$TOP/libphys/Makefile")
	[ "$soname" = libphys.so.2 ]
	pkg="libphys${soname##*.so.}"
	grep -qx "Package: $pkg" "$TOP/debian/control"
	grep -qx "Package: libphys-dev" "$TOP/debian/control"
	grep -q "libphys2 (= \${binary:Version})" "$TOP/debian/control"
	run grep -m1 -v '^#' "$TOP/debian/libphys2.symbols"
	assert_output "$soname $pkg #MINVER#"
	grep -qx '\* Build-Depends-Package: libphys-dev' "$TOP/debian/libphys2.symbols"
}

# sym_nodes: NAME@NODE for every symbol of libphys.sym's version nodes.
sym_nodes() {
	sed 's,/\*.*\*/,,' "$TOP/libphys/libphys.sym" | awk '
		/^[A-Z0-9_]+ *\{/ { node = $1; sub(/\{.*/, "", node); next }
		/^ *(global|local):/ { next }
		/^\}/ { node = ""; next }
		node != "" && /^[ \t]*[a-z_0-9]+;/ { gsub(/[ \t;]/, ""); print $0 "@" node }
	' | sort
}

@test "debian/libphys2.symbols lists exactly libphys.sym's symbols at their version nodes" {
	run sym_nodes
	[ "${#lines[@]}" -gt 50 ]
	expected=$output
	run bash -c "grep -E '^ [a-z_0-9]+@LIBPHYS_[0-9]+ ' '$TOP/debian/libphys2.symbols' | awk '{print \$1}' | sort"
	assert_equal "$output" "$expected"
	# and every version node itself
	run bash -c "grep -oE '^LIBPHYS_[0-9]+' '$TOP/libphys/libphys.sym' | sort"
	nodes=$output
	run bash -c "grep -oE '^ (LIBPHYS_[0-9]+)@' '$TOP/debian/libphys2.symbols' | tr -d ' @' | sort"
	assert_equal "$output" "$nodes"
}

# copyright_license FILE: the License of the last debian/copyright Files
# stanza whose pattern matches FILE (DEP-5: the last match wins).
copyright_license() {
	awk -v f="$1" '
		function glob2re(g) { gsub(/\./, "\\.", g); gsub(/\*/, ".*", g); gsub(/\?/, ".", g); return "^" g "$" }
		/^Files:/ { pats = substr($0, 7); inf = 1; next }
		/^[ \t]/ && inf == 1 { pats = pats " " $0; next }
		/^[A-Za-z-]+:/ && inf { inf = 2 }
		/^License:/ && inf { n = split(pats, p, " "); lic = substr($0, 10)
			for (i = 1; i <= n; i++) if (f ~ glob2re(p[i])) match_lic = lic
			inf = 0 }
		/^$/ { inf = 0 }
		END { print match_lic }
	' "$TOP/debian/copyright"
}

# tree_files: the tree's files, git's where $TOP is a git tree's top, else
# (a build copy) every file but build/.
tree_files() {
	if [ "$(git -C "$TOP" rev-parse --show-toplevel 2>/dev/null)" = "$TOP" ]; then
		(cd "$TOP" && git ls-files)
	else
		(cd "$TOP" && find . -path ./build -prune -o -type f -print | sed 's,^\./,,')
	fi
}

@test "debian/copyright gives every file the licence of its SPDX tag" {
	bad=0 n=0
	while IFS= read -r f; do
		[ -f "$TOP/$f" ] || continue
		tag=$(head -n 6 "$TOP/$f" | grep -m1 -o 'SPDX-License-Identifier: [^*]*' | sed 's/^SPDX-License-Identifier: *//; s/[[:space:]]*-->.*//; s/[[:space:]]*$//') || continue
		[ -n "$tag" ] || continue
		# SPDX's short forms as DEP-5 spells them
		case $tag in
		GPL-2.0) tag=GPL-2.0-only ;;
		"GPL-2.0 WITH Linux-syscall-note") tag="GPL-2.0-only WITH Linux-syscall-note" ;;
		GPL-2.0+) tag=GPL-2.0-or-later ;;
		LGPL-2.1+) tag=LGPL-2.1-or-later ;;
		esac
		n=$((n + 1))
		lic=$(copyright_license "$f")
		if [ "$lic" != "$tag" ]; then
			echo "$f: SPDX $tag, debian/copyright ${lic:-nothing}"
			bad=$((bad + 1))
		fi
	done < <(tree_files | grep -v '^debian/')
	[ "$bad" = 0 ]
	# the tree's files were seen (they all carry a tag)
	[ "$n" -gt 200 ] || { echo "only $n files with an SPDX tag"; false; }
}

@test "the udev rule asks systemd for physmem-policy.service when /dev/physmem appears" {
	run grep -E '^KERNEL=="physmem".*SYSTEMD_WANTS' "$TOP/physmem-drv/60-physmem.rules"
	assert_success
	# on every event: a "change" without the tag unplugs the device unit
	refute_output --partial 'ACTION=='
	assert_output --partial 'TAG+="systemd"'
	assert_output --partial 'ENV{SYSTEMD_WANTS}+="physmem-policy.service"'
}

@test "make install lays out the unit and its script with each other's paths" {
	dest="$BATS_TEST_TMPDIR/d"
	make -s -C "$TOP/physmem-policy" install DESTDIR="$dest" PREFIX=/usr
	unit="$dest/lib/systemd/system/physmem-policy.service"
	run grep '^ExecStart=' "$unit"
	assert_output "ExecStart=/usr/libexec/physmem/physmem-policy-boot"
	[ -x "$dest/usr/libexec/physmem/physmem-policy-boot" ]
	run grep -F 'POLICY=${PHYSMEM_POLICY:-' "$dest/usr/libexec/physmem/physmem-policy-boot"
	assert_output --partial ':-/usr/sbin/physmem-policy}'
	[ -x "$dest/usr/sbin/physmem-policy" ]
	run cat "$dest/etc/physmem/boot.conf"
	assert_output --partial "seal = no"
	grep -q '^BindsTo=dev-physmem.device' "$unit"
	grep -q '^Type=oneshot' "$unit"
	grep -q '^RemainAfterExit=yes' "$unit"
}

@test "the unit passes systemd-analyze verify" {
	command -v systemd-analyze >/dev/null || skip "no systemd-analyze (package systemd)"
	# The unit generated with its script under the test's directory, where
	# verify can find it executable.
	d="$BATS_TEST_TMPDIR/u"
	mkdir -p "$d/libexec/physmem"
	make -s -C "$TOP/physmem-policy" physmem-policy.service LIBEXECDIR="$d/libexec"
	cp "$TOP/physmem-policy/physmem-policy.service" "$d/"
	make -s -C "$TOP/physmem-policy" physmem-policy.service
	printf '#!/bin/sh\n' >"$d/libexec/physmem/physmem-policy-boot"
	chmod +x "$d/libexec/physmem/physmem-policy-boot"
	run systemd-analyze verify --man=no "$d/physmem-policy.service"
	assert_success
	refute_output --partial "physmem-policy.service:"
	# an unknown key is only a warning to verify: the check above sees it
	mkdir -p "$d/bad"
	sed 's/^RemainAfterExit=/RemainAfterExti=/' "$d/physmem-policy.service" >"$d/bad/physmem-policy.service"
	run systemd-analyze verify --man=no "$d/bad/physmem-policy.service"
	assert_output --partial "Unknown key 'RemainAfterExti'"
}

# The boot script against a fake physmem-policy that logs its commands.
boot_setup() {
	make -s -C "$TOP/physmem-policy" physmem-policy-boot
	BOOT="$TOP/physmem-policy/physmem-policy-boot"
	R="$BATS_TEST_TMPDIR/root"
	mkdir -p "$R/etc/physmem"
	LOG="$BATS_TEST_TMPDIR/calls"
	: >"$LOG"
	cat >"$BATS_TEST_TMPDIR/fake-policy" <<-EOF
	#!/bin/sh
	echo "\$*" >>"$LOG"
	case "\$*" in *load) exit \${FAKE_LOAD_RC:-0} ;; esac
	EOF
	chmod +x "$BATS_TEST_TMPDIR/fake-policy"
	export PHYSMEM_POLICY="$BATS_TEST_TMPDIR/fake-policy"
}

@test "physmem-policy-boot loads, and seals only when boot.conf says seal = yes" {
	boot_setup
	# no boot.conf: load only
	run "$BOOT" --root "$R"
	assert_success
	assert_output "physmem-policy-boot: policy loaded"
	assert_equal "$(cat "$LOG")" "--root $R load"
	printf '# comment\n\n  seal = no  \n' >"$R/etc/physmem/boot.conf"
	: >"$LOG"
	run "$BOOT" --root "$R"
	assert_success
	assert_equal "$(cat "$LOG")" "--root $R load"
	printf 'seal=yes\n' >"$R/etc/physmem/boot.conf"
	: >"$LOG"
	run "$BOOT" --root "$R"
	assert_success
	assert_output "physmem-policy-boot: policy loaded, window table sealed (boot.conf: seal = yes)"
	assert_equal "$(cat "$LOG")" "$(printf -- '--root %s load\n--root %s seal' "$R" "$R")"
}

@test "physmem-policy-boot: a failed load is the unit's failure, with its status, and nothing is sealed" {
	boot_setup
	printf 'seal = yes\n' >"$R/etc/physmem/boot.conf"
	FAKE_LOAD_RC=4 run "$BOOT" --root "$R"
	assert_failure 4
	assert_equal "$(cat "$LOG")" "--root $R load"
}

@test "physmem-policy-boot: a bad boot.conf is an error naming the line, before anything reaches the driver" {
	boot_setup
	printf '# ok\nseal = maybe\n' >"$R/etc/physmem/boot.conf"
	run "$BOOT" --root "$R"
	assert_failure 1
	assert_output "physmem-policy-boot: $R/etc/physmem/boot.conf:2: seal: expected yes or no, got 'maybe'"
	printf 'seal = yes\nsael = yes\n' >"$R/etc/physmem/boot.conf"
	run "$BOOT" --root "$R"
	assert_failure 1
	assert_output "physmem-policy-boot: $R/etc/physmem/boot.conf:2: unknown setting 'sael' (the one setting is seal)"
	printf 'seal yes\n' >"$R/etc/physmem/boot.conf"
	run "$BOOT" --root "$R" --check
	assert_failure 1
	assert_output "physmem-policy-boot: $R/etc/physmem/boot.conf:1: expected 'setting = value', got 'seal yes'"
	assert_equal "$(cat "$LOG")" ""
	run "$BOOT" --frob
	assert_failure 2
	assert_output "physmem-policy-boot: unknown argument '--frob' (see 'physmem-policy-boot --help')"
	assert_equal "$(cat "$LOG")" ""
}

@test "physmem-policy-boot --help and --version" {
	boot_setup
	run "$BOOT" --help
	assert_success
	assert_line -n 0 "Usage: physmem-policy-boot [--root DIR] [--check]"
	run "$BOOT" --version
	assert_success
	assert_output "physmem-policy-boot $VERSION"
	assert_equal "$(cat "$LOG")" ""
}

# libdir MAKEVARS...: config.mk's LIBDIR for those variables.
libdir() {
	printf 'include %s/config.mk\nall: ; @echo $(LIBDIR)\n' "$TOP" >"$BATS_TEST_TMPDIR/libdir.mk"
	make -s -f "$BATS_TEST_TMPDIR/libdir.mk" "$@"
}

@test "config.mk: PREFIX=/usr puts libphys in the compiler's multiarch libdir, other prefixes in PREFIX/lib" {
	run libdir PREFIX=/usr
	assert_output "/usr/lib/$($CC -print-multiarch)"
	run libdir PREFIX=/usr/local
	assert_output "/usr/local/lib"
	run libdir PREFIX=/opt/physmem
	assert_output "/opt/physmem/lib"
	# a cross compiler's triplet (a stand-in that answers like one)
	printf '#!/bin/sh\n[ "$1" = -print-multiarch ] && echo aarch64-linux-gnu\n' >"$BATS_TEST_TMPDIR/aarch64-linux-gnu-gcc"
	chmod +x "$BATS_TEST_TMPDIR/aarch64-linux-gnu-gcc"
	run libdir PREFIX=/usr CC="$BATS_TEST_TMPDIR/aarch64-linux-gnu-gcc"
	assert_output "/usr/lib/aarch64-linux-gnu"
	# an explicit LIBDIR wins
	run libdir PREFIX=/usr LIBDIR=/usr/lib64
	assert_output "/usr/lib64"
}

@test "make install runs ldconfig onto the live system, not into a DESTDIR" {
	fake="$BATS_TEST_TMPDIR/bin"
	mkdir -p "$fake"
	printf '#!/bin/sh\necho "ldconfig $*" >>%s/ldconfig.log\n' "$BATS_TEST_TMPDIR" >"$fake/ldconfig"
	chmod +x "$fake/ldconfig"
	# "live": no DESTDIR, a PREFIX of the test's own
	PATH="$fake:$PATH" run make -s -C "$TOP/libphys" install PREFIX="$BATS_TEST_TMPDIR/live"
	assert_success
	[ -f "$BATS_TEST_TMPDIR/live/lib/libphys.so.2" ]
	run cat "$BATS_TEST_TMPDIR/ldconfig.log"
	assert_output "ldconfig "
	rm -f "$BATS_TEST_TMPDIR/ldconfig.log"
	PATH="$fake:$PATH" run make -s -C "$TOP/libphys" install DESTDIR="$BATS_TEST_TMPDIR/staged" PREFIX=/usr
	assert_success
	[ ! -e "$BATS_TEST_TMPDIR/ldconfig.log" ]
}
