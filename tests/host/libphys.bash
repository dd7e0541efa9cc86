# SPDX-License-Identifier: GPL-2.0-or-later
# Shared setup for the libphys host suites that drive the library through
# libphys-run: the library and the helper programs built in the tree, $RUN,
# and a fresh zero-filled 4 KiB file $F per test as simulated memory.
load ../lib/common

RUN="$TOP/tests/host/progs/libphys-run"

setup_file() {
	make -s -C "$TOP/libphys" >/dev/null
	make -s -C "$TOP/tests/host/progs" libphys-run libphys-threads libphys-chain >/dev/null
}

setup() {
	F="$BATS_TEST_TMPDIR/mem.bin"
	truncate -s 4096 "$F"
}

# hex_at OFFSET [COUNT]: COUNT bytes (default 1) of $F at OFFSET, as hex.
hex_at() {
	od -An -tx1 -j "$1" -N "${2:-1}" "$F" | tr -d ' \n'
}
