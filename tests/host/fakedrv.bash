# SPDX-License-Identifier: GPL-2.0-or-later
# The driver's window rules on the host (tests/host/progs/libphys-fakedrv.c,
# loaded with LD_PRELOAD): $ROOT/dev/physmem is a sparse file whose offset
# is the physical address, the windows are the lines of $FAKEDRV_WINDOWS,
# and every pread/pwrite/mmap on the device lands in $FAKEDRV_LOG.
load ../lib/common

FAKEDRV="$TOP/tests/host/progs/libphys-fakedrv"
FAKEDRV_PRELOAD=$(preload libphys-fakedrv)

fakedrv_build() {
	make -s -C "$TOP/libphys" >/dev/null
	make -s -C "$TOP/tests/host/progs" libphys-run libphys-fakedrv >/dev/null
}

# fakedrv_setup: a fresh sysroot $ROOT with the device, no windows yet.
fakedrv_setup() {
	ROOT="$BATS_TEST_TMPDIR/root"
	mkdir -p "$ROOT/dev"
	truncate -s $((0xfee00000)) "$ROOT/dev/physmem"
	export FAKEDRV_WINDOWS="$BATS_TEST_TMPDIR/windows"
	export FAKEDRV_LOG="$BATS_TEST_TMPDIR/calls"
	: >"$FAKEDRV_WINDOWS"
	: >"$FAKEDRV_LOG"
}

# window NAME BASE SIZE [rw] [mmap] [gone]: add (or replace) a window.
window() {
	sed -i "/^$1 /d" "$FAKEDRV_WINDOWS"
	echo "$*" >>"$FAKEDRV_WINDOWS"
}

# fakedrv CMD ARGS...: run CMD with the fake driver, the call log emptied.
fakedrv() {
	: >"$FAKEDRV_LOG"
	LD_PRELOAD="$FAKEDRV_PRELOAD" "$@"
}

# calls: the device calls since the last fakedrv, one a line.
calls() {
	cat "$FAKEDRV_LOG"
}

# mem_at ADDR [COUNT]: COUNT bytes (default 4) of physical memory as hex.
mem_at() {
	od -An -tx1 -j "$(($1))" -N "${2:-4}" "$ROOT/dev/physmem" | tr -d ' \n'
}
