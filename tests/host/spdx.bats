#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Every source file, Makefile and script carries its component's SPDX tag
# (scripts/spdx-check), and the checker catches each kind of mistake.

load ../lib/common

# A small tree of the project's shape, with LICENSES/ copied from the real one.
mktree() {
	T=$BATS_TEST_TMPDIR/tree
	mkdir -p "$T/physmem-drv/include/uapi/linux" "$T/libphys" "$T/devmemtool" "$T/tests/host/regmaps"
	cp -r "$TOP/LICENSES" "$T/"
	printf '// SPDX-License-Identifier: GPL-2.0\nint x;\n' >"$T/physmem-drv/main.c"
	printf '/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */\n' >"$T/physmem-drv/include/uapi/linux/physmem.h"
	printf '// SPDX-License-Identifier: LGPL-2.1-or-later\n' >"$T/libphys/map.c"
	printf '#!/bin/sh\n# SPDX-License-Identifier: GPL-2.0-or-later\necho\n' >"$T/devmemtool/script"
	printf 'physmem-regmap 1\nno tag: a fixture\n' >"$T/tests/host/regmaps/x.regmap"
}

@test "every file in the tree carries its component's SPDX tag" {
	run "$TOP/scripts/spdx-check"
	assert_success
	assert_output ""
}

@test "LICENSES/ has GPL-2.0, LGPL-2.1 and the Linux-syscall-note, and COPYING maps them" {
	grep -qx 'Valid-License-Identifier: GPL-2.0-or-later' "$TOP/LICENSES/preferred/GPL-2.0"
	grep -qx 'Valid-License-Identifier: LGPL-2.1-or-later' "$TOP/LICENSES/preferred/LGPL-2.1"
	grep -qx 'SPDX-Exception-Identifier: Linux-syscall-note' "$TOP/LICENSES/exceptions/Linux-syscall-note"
	grep -q 'GNU GENERAL PUBLIC LICENSE' "$TOP/LICENSES/preferred/GPL-2.0"
	for p in physmem-drv/ uapi/ libphys/ LGPL-2.1-or-later GPL-2.0-or-later; do
		grep -qF "$p" "$TOP/COPYING" || { echo "COPYING does not mention $p"; false; }
	done
}

@test "the module declares the licence its files carry" {
	run grep -h 'MODULE_LICENSE' "$TOP"/physmem-drv/*.c
	assert_output 'MODULE_LICENSE("GPL");'
	run sed -n 1p "$TOP/physmem-drv/include/uapi/linux/physmem.h"
	assert_output '/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */'
}

@test "spdx-check passes a correct tree, fixtures exempt" {
	mktree
	run "$TOP/scripts/spdx-check" "$T"
	assert_success
	assert_output ""
}

@test "spdx-check: a file without a tag is named" {
	mktree
	printf 'all:\n' >"$T/devmemtool/Makefile"
	run "$TOP/scripts/spdx-check" "$T"
	assert_failure 1
	assert_output "$(printf '%s\n' "devmemtool/Makefile: no SPDX-License-Identifier tag" "spdx-check: 1 problem(s)")"
}

@test "spdx-check: a tag below its place is refused" {
	mktree
	printf '#!/bin/sh\necho\n# SPDX-License-Identifier: GPL-2.0-or-later\n' >"$T/devmemtool/late"
	run "$TOP/scripts/spdx-check" "$T"
	assert_failure 1
	assert_output "$(printf '%s\n' "devmemtool/late: the SPDX tag is not on line 2" "spdx-check: 1 problem(s)")"
}

@test "spdx-check: the wrong licence for a component is refused" {
	mktree
	printf '// SPDX-License-Identifier: GPL-2.0-or-later\n' >"$T/libphys/gpl.c"
	printf '// SPDX-License-Identifier: GPL-2.0-or-later\n' >"$T/physmem-drv/later.c"
	printf '/* SPDX-License-Identifier: GPL-2.0 */\n' >"$T/physmem-drv/include/uapi/linux/nonote.h"
	run "$TOP/scripts/spdx-check" "$T"
	assert_failure 1
	assert_line "libphys/gpl.c: licence 'GPL-2.0-or-later', but files here are LGPL-2.1-or-later"
	assert_line "physmem-drv/later.c: licence 'GPL-2.0-or-later', but files here are GPL-2.0"
	assert_line "physmem-drv/include/uapi/linux/nonote.h: licence 'GPL-2.0', but files here are GPL-2.0 WITH Linux-syscall-note"
	assert_line "spdx-check: 3 problem(s)"
}

@test "spdx-check: a licence without its text in LICENSES/ is refused" {
	mktree
	rm "$T/LICENSES/exceptions/Linux-syscall-note"
	run "$TOP/scripts/spdx-check" "$T"
	assert_failure 1
	assert_output "$(printf '%s\n' "physmem-drv/include/uapi/linux/physmem.h: licence 'Linux-syscall-note' has no text in LICENSES/" "spdx-check: 1 problem(s)")"
}

@test "spdx-check: usage errors exit 2" {
	run "$TOP/scripts/spdx-check" /nonexistent
	assert_failure 2
	assert_output --partial "usage: spdx-check"
}
