# SPDX-License-Identifier: GPL-2.0-or-later
# Shared setup for the devmemtool host suites: the tool built in the tree
# and a 4 KiB file as simulated physical memory ($F, target $T).
load ../lib/common

setup_file() {
	make -s -C "$TOP/libphys" >/dev/null
	make -s -C "$TOP/devmemtool" >/dev/null
}

# mem_file: a fresh zero-filled 4 KiB $F for this test, and its target $T.
mem_file() {
	F="$BATS_TEST_TMPDIR/mem.bin"
	truncate -s 4096 "$F"
	T="file:$F"
}
