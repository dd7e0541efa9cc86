# SPDX-License-Identifier: GPL-2.0-or-later
# Shared setup for the register-map suites: libphys and the programs that
# ask it built in the tree, $DUMP, a compiled-map cache of each test's
# own, and $F, a file in the test's directory for the map a test writes.
load ../lib/common

DUMP="$TOP/tests/host/progs/regmap-dump"

setup_file() {
	make -s -C "$TOP/libphys" >/dev/null
	make -s -C "$TOP/tests/host/progs" regmap-dump regmap-rules >/dev/null
}

setup() {
	export F="$BATS_TEST_TMPDIR/map"
	export XDG_CACHE_HOME="$BATS_TEST_TMPDIR/cache"
}

# dump [OPTIONS] FILE [GLOB]: regmap-dump without the cache, stderr
# included, $F shortened to F.
dump() {
	run bash -c '"$0" --no-cache "$@" 2>&1 | sed "s|$F|F|g"; exit ${PIPESTATUS[0]}' "$DUMP" "$@"
}
