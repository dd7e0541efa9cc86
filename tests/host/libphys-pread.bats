#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# libphys on driver windows it may not map (windows that do not fill their
# pages): every access is one pread/pwrite of its width at the physical
# address, and the driver's refusals are explained. The driver is faked
# (fakedrv.bash); tests/vm/guest/libphys-backends.bats runs the real one.

load fakedrv

RUN="$TOP/tests/host/progs/libphys-run"

setup_file() {
	fakedrv_build
}

setup() {
	fakedrv_setup
	window sub 0xfea00000 0x10 rw
	window page 0xfeb00000 0x1000 rw mmap
}

# pwrites/preads OP WIDTH BASE COUNT: COUNT calls of WIDTH bytes from BASE.
each() {
	for ((i = 0; i < $4; i++)); do
		printf '%s %d 0x%x\n' "$1" "$2" $(($3 + i * $2))
	done
}

@test "a window the driver does not map is opened for pread/pwrite, and the log says why" {
	run fakedrv "$RUN" -v -s "$ROOT" sub w4 4 0x12345678 r4 4 ptr info
	assert_success
	assert_line "info: backend physmem chosen for this window name target"
	assert_line "debug: window 'sub' does not fill its pages and its rule does not say 'pages', so the driver does not map it: using pread/pwrite"
	assert_line "debug: opened sub: phys 0xfea00000 size 0x10 via pread"
	assert_line 0x12345678
	assert_line "no mapping"
	assert_line "phys 0xfea00000 size 0x10 name sub flags 0x0 ctx 1"
	[ "$(mem_at 0xfea00004)" = 78563412 ]
	run calls
	assert_output "pwrite 4 0xfea00004
pread 4 0xfea00004"
}

@test "a window the driver maps is mapped as before: no pread/pwrite" {
	run fakedrv "$RUN" -v -s "$ROOT" page w4 0x10 0xcafe r4 0x10 ptr
	assert_success
	assert_line "debug: window 'page' may be mmapped: mapping it"
	assert_line 0x0000cafe
	assert_line mapped
	run calls
	assert_output "mmap 4096 0xfeb00000"
}

@test "each access is one call of exactly its width at the physical address" {
	run fakedrv "$RUN" -s "$ROOT" sub w1 1 0xa1 w2 2 0xb2b2 w8 8 0x0102030405060708 \
		r1 1 r2 2 r4 0 r8 8 rd 4 4 wr 2 6 0xc3c3
	assert_success
	assert_output "ok
ok
ok
0xa1
0xb2b2
0xb2b2a100
0x0102030405060708
0x00000000
ok"
	run calls
	assert_output "pwrite 1 0xfea00001
pwrite 2 0xfea00002
pwrite 8 0xfea00008
pread 1 0xfea00001
pread 2 0xfea00002
pread 4 0xfea00000
pread 8 0xfea00008
pread 4 0xfea00004
pwrite 2 0xfea00006"
}

@test "a physical address inside the window is served the same way" {
	run fakedrv "$RUN" -s "$ROOT" 0xfea00004 w4 0 0x55aa55aa r4 0 info
	assert_success
	assert_output "ok
0x55aa55aa
phys 0xfea00004 size 0xc name 0xfea00004 flags 0x0 ctx 1"
	run calls
	assert_output "pwrite 4 0xfea00004
pread 4 0xfea00004"
}

@test "bulk operations go element by element at their width, never wider" {
	run fakedrv "$RUN" -s "$ROOT" sub fill 0 16 0x5a 1 wbuf 4 0102030405060708 2 \
		rbuf 0 16 4 copy 0 8 4 4 cmp 0 8 4 4 cmp 0 4 4 2 set 12 2 0x8000
	assert_success
	assert_output "ok
ok
5a5a5a5a01020304050607085a5a5a5a
ok
equal
differ at 0x0
old 0x5a5a new 0xda5a"
	run calls
	assert_output "$(each pwrite 1 0xfea00000 16; each pwrite 2 0xfea00004 4
		each pread 4 0xfea00000 4
		echo 'pread 4 0xfea00008'; echo 'pwrite 4 0xfea00000'
		echo 'pread 4 0xfea00000'; echo 'pread 4 0xfea00008'
		echo 'pread 2 0xfea00000'; echo 'pread 2 0xfea00004'
		echo 'pread 2 0xfea0000c'; echo 'pwrite 2 0xfea0000c')"
}

@test "big-endian and split 64-bit views: the swaps and halves, each its own call" {
	run fakedrv "$RUN" -B -S -s "$ROOT" sub w4 0 0x11223344 r4 0 w8 8 0x0102030405060708 r8 8
	assert_success
	assert_output "ok
0x11223344
ok
0x0102030405060708"
	[ "$(mem_at 0xfea00000 16)" = 11223344000000000102030405060708 ]
	run calls
	assert_output "pwrite 4 0xfea00000
pread 4 0xfea00000
pwrite 4 0xfea0000c
pwrite 4 0xfea00008
pread 4 0xfea0000c
pread 4 0xfea00008"
}

@test "alignment is the physical address's; refused accesses make no call" {
	window odd 0xfea00022 8 rw
	run fakedrv "$RUN" -s "$ROOT" odd r2 0 r4 2 r4 0 r2 5 r1 8 rbuf 0 8 4
	assert_failure
	assert_output "0x0000
0x00000000
EINVAL: 32-bit access at 0xfea00022 (odd+0x0) is not 4-byte aligned
EINVAL: 16-bit access at 0xfea00027 (odd+0x5) is not 2-byte aligned
ERANGE: offset 0x8 + 1 bytes is outside odd (size 0x8)
EINVAL: 32-bit accesses at 0xfea00022 (odd+0x0) are not 4-byte aligned"
	run calls
	assert_output "pread 2 0xfea00022
pread 4 0xfea00024"
}

@test "a read-only window: a writable map is refused with the reason; a read-only map refuses writes" {
	window ro 0xfea00010 4
	run fakedrv "$RUN" -s "$ROOT" ro r4 0
	assert_failure
	assert_output "EACCES: /dev/physmem: writable access to 0x4 bytes at 0xfea00010 refused; window 'ro' is read-only (map with PHYS_MAP_RDONLY)"
	run fakedrv "$RUN" -r -s "$ROOT" ro r4 0 w4 0 1 fill 0 4 0 1
	assert_failure
	assert_output "0x00000000
EACCES: ro is mapped read-only
EACCES: ro is mapped read-only"
	run calls
	assert_output "pread 4 0xfea00010"
}

@test "the window removed, its device gone, or made read-only under a live map: explained" {
	run fakedrv "$RUN" -s "$ROOT" sub r4 0 \
		sh "sed -i /^sub/d $FAKEDRV_WINDOWS" r4 0 w4 0 1 \
		sh "echo 'sub 0xfea00000 0x10 rw gone' >>$FAKEDRV_WINDOWS" r4 0 \
		sh "sed -i /^sub/d $FAKEDRV_WINDOWS; echo 'sub 0xfea00000 0x10' >>$FAKEDRV_WINDOWS" \
		w4 0 1 r4 0
	assert_failure
	assert_output "0x00000000
EFAULT: pread refused the 32-bit read at 0xfea00000 (sub+0x0): window 'sub' was removed
EFAULT: pwrite refused the 32-bit write at 0xfea00000 (sub+0x0): window 'sub' was removed
EFAULT: pread refused the 32-bit read at 0xfea00000 (sub+0x0): the device behind window 'sub' was removed
EACCES: pwrite refused the 32-bit write at 0xfea00000 (sub+0x0): window 'sub' is read-only
0x00000000"
}

@test "a window gone before the open is refused with the reason" {
	window sub 0xfea00000 0x10 rw gone
	run fakedrv "$RUN" -s "$ROOT" sub r4 0
	assert_failure
	assert_output "ENODEV: /dev/physmem: 0x10 bytes at 0xfea00000 are no longer served; the device behind window 'sub' was removed"
}

@test "register handles refuse a map without a mapping and say what to use" {
	run fakedrv "$RUN" -s "$ROOT" sub h4 4 r4 4
	assert_failure
	assert_output "EOPNOTSUPP: register handles need a mapping, and sub has none (its window does not fill its pages and its rule does not say 'pages'): it is reached through pread/pwrite, so use phys_read32()/phys_write32()
0x00000000"
	run fakedrv "$RUN" -s "$ROOT" page h2 4 hw 0xbeef hr
	assert_success
	assert_output "ok
ok
0xbeef"
}

@test "the pread backend, asked for, serves a mappable window through pread/pwrite too" {
	run fakedrv "$RUN" -b pread -s "$ROOT" page w4 0x10 7 r4 0x10 ptr h4 0
	assert_failure
	assert_output "ok
0x00000007
no mapping
EOPNOTSUPP: register handles need a mapping, and page has none (the pread backend was asked for): it is reached through pread/pwrite, so use phys_read32()/phys_write32()"
	run calls
	assert_output "pwrite 4 0xfeb00010
pread 4 0xfeb00010"
	run fakedrv "$RUN" -b pread -s "$ROOT" -l 4 0xfec00000 r4 0
	assert_failure
	assert_output "EPERM: /dev/physmem: 0x4 bytes at 0xfec00000 are not inside one window; no driver window holds 0xfec00000 (not in the policy? see physmem-policy show)"
}
