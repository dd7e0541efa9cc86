#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# devmemtool fill/copy/cmp/dump on ivshmem BAR2 (host-file backed). The
# host checks the result in the backing file afterwards
# (tests/vm/host/devmemtool-ivshmem.bats). Region: 0xa0000-0xfffff.

load /tests/lib/guest

D=/tmp/devmemtool-shm

setup() {
	mkdir -p "$D"
	printf 'allow shm pci 1af4:1110 bar 2 rw\n' >"$D/p.conf"
	physmem-policy load "$D/p.conf"
}

teardown() {
	physmem-policy unload --all >/dev/null 2>&1 || true
	rm -rf "$D"
}

@test "fill, write, copy, cmp and dump on ivshmem" {
	cat >"$D/shm.dmt" <<-'SCRIPT'
	map shm as s
	fill s+0xa0000 0x1000 0x5a
	fill s+0xa1000 0x100 0xdeadbeef 4
	w32 s+0xa2000 0x64636261 0x68676665
	copy s+0xa0000 s+0xa3000 0x1000 4
	cmp s+0xa0000 s+0xa3000 0x1000
	dump s+0xa2000 16
	SCRIPT
	run devmemtool -f "$D/shm.dmt"
	assert_success
	assert_line --regexp '^[0-9a-f]{8,}  61 62 63 64 65 66 67 68  00 00 00 00 00 00 00 00  \|abcdefgh\.\.\.\.\.\.\.\.\|$'
}

@test "cmp finds a difference on the device and exits 1" {
	run devmemtool cmp shm+0xa0000 shm+0xa1000 0x10
	assert_failure 1
	assert_output --partial "differ at offset 0x0: 0x5a != 0xef"
}

@test "a dump of a 4K run of equal lines collapses with '*'" {
	run devmemtool dump shm+0xa0000 0x1000
	assert_success
	assert_line --index 1 "*"
	[ "${#lines[@]}" -eq 3 ]
}
