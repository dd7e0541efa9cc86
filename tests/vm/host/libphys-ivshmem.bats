# SPDX-License-Identifier: GPL-2.0-or-later
# libphys: what the guest's libphys-backends suite wrote to ivshmem BAR2 through
# each backend lands at exactly those offsets of libphys's region
# (0x40000-0x7ffff), and nowhere else in it.
load ../../lib/common

@test "guest libphys writes (physmem, sysfs, devmem, handles) land at exactly their offsets" {
	[ -f "$VM_OUT/ivshmem.bin" ] || skip "no ivshmem backing file"
	grep -q 'ivshmem BAR2 pattern for the host' "$VM_OUT/tap.txt" 2>/dev/null ||
		skip "libphys-backends suite did not run"
	exp=$BATS_TEST_TMPDIR/expected
	head -c $((0x40000)) /dev/zero >"$exp"
	put() { printf "$2" | dd of="$exp" bs=1 seek=$(($1 - 0x40000)) conv=notrunc status=none; }
	put 0x40000 'CPHY'					# physmem w4 0x59485043
	put 0x40008 '\x88\x77\x66\x55\x44\x33\x22\x11'		# physmem w8
	put 0x40010 '\xef\xbe'					# physmem w2
	put 0x40013 '\x5a'					# physmem w1
	head -c 256 /dev/zero | tr '\0' '\245' |
		dd of="$exp" bs=1 seek=$((0x100)) conv=notrunc status=none	# fill 0xa5
	put 0x40020 '\x01\x02\x03\x04'				# big-endian view
	put 0x40200 'FSYS'					# sysfs w4 0x53595346
	put 0x40300 'FSYS'					# sysfs copy
	put 0x40400 'DMEM'					# devmem w4 0x4d454d44
	put 0x40500 '\x08\x07\x06\x05\x04\x03\x02\x01'		# handle h8 hw
	put 0x40508 'ANDH'					# handle h4 hwr 0x48444e41
	put 0x4050c '\xfe\xca'					# handle h2 hw
	put 0x4050f '\x21'					# handle h1 hwr
	run cmp <(dd if="$VM_OUT/ivshmem.bin" bs=4096 skip=64 count=64 status=none) "$exp"
	assert_success
}
