# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv: every refusal of the device contract (issue 3). Each refused
# request must fail with its documented errno and change nothing.
load /tests/lib/guest

setup() {
	driver_setup
}

teardown() {
	physmem-t replace </dev/null
}

add_edu_ro() {
	physmem-t add edu pci "$EDU_BDF" 0 >/dev/null
}

@test "access outside any window: EPERM for pread, pwrite and mmap" {
	add_edu_ro
	run physmem-t read "$EDU2" 4
	assert_output --partial "pread: EPERM"
	run physmem-t write "$EDU2" 4 1
	assert_output --partial "pwrite: EPERM"
	run physmem-t mmap "$EDU2" 4096
	assert_output --partial "mmap: EPERM"
}

@test "crossing a window's end by one byte is refused, the last bytes are not" {
	add_edu_ro
	local end=$((EDU + 0x100000))
	run physmem-t read "$(hex $((end - 4)))" 4
	assert_success
	run physmem-t read "$(hex $((end - 4)))" 5
	assert_output --partial "pread: EPERM"
	run physmem-t read "$(hex $((EDU - 1)))" 2
	assert_output --partial "pread: EPERM"
	run physmem-t mmap "$(hex $((end - 0x1000)))" 0x1000
	assert_output ok
	run physmem-t mmap "$(hex $((end - 0x1000)))" 0x2000
	assert_output --partial "mmap: EPERM"
}

@test "offsets near 2^64 are refused without wrapping around" {
	add_edu_ro
	# pread/pwrite: the VFS refuses offsets that are negative as loff_t.
	run physmem-t read 0xfffffffffffffffc 4
	assert_output --partial "pread: EINVAL"
	run physmem-t read 0x7ffffffffffffffc 8
	assert_output --partial "pread: EPERM"
	# mmap: offset + length wraps to a low address. 6.12's mmap core
	# refuses that itself (EOVERFLOW); on 6.1 the driver does (EPERM).
	run physmem-t mmap 0xfffffffffffff000 0x2000
	assert_output --regexp "mmap: (EPERM|EOVERFLOW) "
	run physmem-t mmap 0xfffffffffffff000 0x1000
	assert_output --partial "mmap: EPERM"
}

@test "length 0: a window of size 0 and an empty mapping are refused" {
	run physmem-t add z range "$EDU" 0
	assert_output --partial "add: EINVAL"
	add_edu_ro
	run physmem-t mmap "$EDU" 0
	assert_output --partial "mmap: EINVAL"
	run physmem-t read "$EDU" 0
	assert_success
}

@test "MAP_PRIVATE is refused with EINVAL" {
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
	run physmem-t mmap "$EDU" 4096 private
	assert_output --partial "mmap: EINVAL"
	run physmem-t mmap "$EDU" 4096
	assert_output ok
}

@test "read-only window: no writable map, no mprotect to writable, no pwrite" {
	add_edu_ro
	physmem-t remove edu
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
	physmem-t write "$(hex $((EDU + 4)))" 4 0x11111111
	physmem-t remove edu
	add_edu_ro
	run physmem-t mmap "$EDU" 4096 write
	assert_output --partial "mmap: EACCES"
	run physmem-t mprotect "$EDU" 4096
	assert_output --partial "mprotect: EACCES"
	run physmem-t write "$(hex $((EDU + 4)))" 4 0x22222222
	assert_output --partial "pwrite: EACCES"
	run physmem-t read "$(hex $((EDU + 4)))" 4
	assert_output 0xeeeeeeee
}

@test "a mapping cannot grow with mremap" {
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
	run physmem-t mremap "$EDU" 4096 8192
	assert_output --partial "mremap: EFAULT"
	run physmem-t mremap "$EDU" 8192 4096
	assert_output ok
}

@test "System RAM is never a window" {
	[ -n "$SYSRAM" ]
	run physmem-t add ram range "$SYSRAM" 0x1000 rw
	assert_output --partial "add: EPERM"
	run physmem-t add low range 0 0x100000000
	assert_output --partial "add: EPERM"
	run physmem-t list
	assert_output ""
}

@test "malformed windows: wrap-around, beyond the address width, bad names, flags" {
	run physmem-t add w range 0xfffffffffffff000 0x2000
	assert_output --partial "add: EINVAL"
	bits=$(physmem-t info | sed 's/.* bits //')
	run physmem-t add w range "$(hex $((1 << bits)))" 0x1000
	assert_output --partial "add: EINVAL"
	run physmem-t add 9bad pci "$EDU_BDF" 0
	assert_output --partial "add: EINVAL"
	run physmem-t add "a23456789012345678901234567890123" pci "$EDU_BDF" 0
	assert_output --partial "add: EINVAL"
	run physmem-t add w pci "$EDU_BDF" 0 flags 0x80
	assert_output --partial "add: EINVAL"
	run physmem-t add w pci "$EDU_BDF" 0 offset 0x100000
	assert_output --partial "add: EINVAL"
	run physmem-t add w pci "$EDU_BDF" 0 offset 0xff000 size 0x1001
	assert_output --partial "add: EINVAL"
	run physmem-t list
	assert_output ""
}

@test "pages stay inside their BAR, shared windows take no pages, wc windows fill their pages" {
	# ivshmem BAR0 is 256 bytes: the rest of its page is not the BAR's
	run physmem-t add w pci "$IVSHMEM_BDF" 0 pages
	assert_output --partial "add: EINVAL"
	run physmem-t add w pci "$IVSHMEM_BDF" 0
	assert_success
	physmem-t remove w
	# inside a big BAR, the pages are the BAR's own
	run physmem-t add w pci "$IVSHMEM_BDF" 2 offset 0x4010 size 4 pages
	assert_success
	physmem-t remove w
	# a shared window claims nothing, so it cannot take whole pages
	run physmem-t add w pci "$IVSHMEM_BDF" 2 offset 0x4010 size 4 shared pages
	assert_output --partial "add: EINVAL"
	run physmem-t add w pci "$IVSHMEM_BDF" 2 offset 0x4000 size 0x1000 shared pages
	assert_output --partial "add: EINVAL"
	# write-combining is a mapping's type: only for windows of whole pages
	run physmem-t add w pci "$IVSHMEM_BDF" 2 offset 0x4010 size 0x10 wc
	assert_output --partial "add: EINVAL"
	run physmem-t add w pci "$IVSHMEM_BDF" 2 offset 0x4010 size 0x10 wc pages
	assert_success
	physmem-t remove w
	run physmem-t list
	assert_output ""
}

@test "PCI: missing device, unassigned BAR, I/O BAR, wc on non-prefetchable memory" {
	run physmem-t add w pci 0000:00:1f.7 0
	assert_output --partial "add: ENODEV"
	run physmem-t add w pci "$EDU_BDF" 1
	assert_output --partial "add: ENODEV"
	run physmem-t add w pci "$EDU_BDF" 0 wc
	assert_output --partial "add: EINVAL"
	run physmem-t add w pci "$IVSHMEM_BDF" 2 wc
	assert_success
	physmem-t remove w
	# Any I/O-port BAR in the machine (the PIIX IDE controller has some).
	local dev bar io=
	for dev in /sys/bus/pci/devices/*; do
		bar=0
		while read -r start end flags && [ $bar -lt 6 ]; do
			if (( (flags & 0x100) && start )); then io="${dev##*/} $bar"; break 2; fi
			bar=$((bar + 1))
		done <"$dev/resource"
	done
	[ -n "$io" ] || skip "no I/O BAR in this machine"
	run physmem-t add w pci $io
	assert_output --partial "add: EINVAL"
}

@test "overlapping windows and duplicate names are refused with EEXIST" {
	add_edu_ro
	run physmem-t add other range "$(hex $((EDU + 0xff000)))" 0x2000
	assert_output --partial "add: EEXIST"
	run physmem-t add edu pci "$IVSHMEM_BDF" 2
	assert_output --partial "add: EEXIST"
	run physmem-t list
	assert_output "edu $(hex "$EDU") 0x100000 ro uc claimed mmap"
}

@test "a range someone else holds busy is refused with EBUSY, pointing at /proc/iomem" {
	grep -q 'IOAPIC 0' /proc/iomem || skip "no IOAPIC in /proc/iomem"
	base=0x$(grep 'IOAPIC 0' /proc/iomem | sed 's/^ *\([0-9a-f]*\)-.*/\1/')
	run physmem-t add io range "$base" 0x400
	assert_output --partial "add: EBUSY"
	run dmesg
	assert_output --regexp "refused: window io: \[0x0*${base#0x}-0x[0-9a-f]+\] is busy \(see /proc/iomem\)"
	# The same range as a shared window, given with its iomem label.
	run physmem-t add io iomem "IOAPIC 0" 0 "$base" 0x400 shared
	assert_success
	assert_output "io $base 0x400 ro uc shared"
	run physmem-t read "$base" 4
	assert_success
	# 0x400 bytes do not fill a page: pread/pwrite only.
	run physmem-t mmap "$base" 4096
	assert_output --partial "mmap: EPERM"
}

@test "open needs CAP_SYS_RAWIO" {
	run capsh --drop=cap_sys_rawio -- -c 'physmem-t open'
	assert_output --partial "open: EPERM"
	run physmem-t open
	assert_output ok
}

@test "add, remove, seal and replace need CAP_SYS_ADMIN; info and list do not" {
	add_edu_ro
	run capsh --drop=cap_sys_admin -- -c "physmem-t add w pci $IVSHMEM_BDF 2"
	assert_output --partial "add: EPERM"
	run capsh --drop=cap_sys_admin -- -c "physmem-t remove edu"
	assert_output --partial "remove: EPERM"
	run capsh --drop=cap_sys_admin -- -c "physmem-t seal"
	assert_output --partial "seal: EPERM"
	run capsh --drop=cap_sys_admin -- -c "physmem-t replace </dev/null"
	assert_output --partial "replace: EPERM"
	run capsh --drop=cap_sys_admin -- -c "physmem-t list"
	assert_output "edu $(hex "$EDU") 0x100000 ro uc claimed mmap"
	run physmem-t info
	assert_output --partial "windows 1 sealed 0"
}

@test "refused accesses are logged with pid, command and range" {
	add_edu_ro
	run physmem-t read "$EDU2" 4
	run dmesg
	assert_output --regexp "refused: read \[$(hex "$EDU2"), \+0x4\) outside any window \(pid [0-9]+, physmem-t\)"
}

@test "at most 256 windows: add fails with ENOSPC, a larger replace with E2BIG" {
	local i
	for i in $(seq 0 256); do
		echo "s$i pci $IVSHMEM_BDF 2 offset $((i * 4096)) size 4096"
	done >"$BATS_TEST_TMPDIR/set"
	run physmem-t replace <"$BATS_TEST_TMPDIR/set"
	assert_output --partial "replace: E2BIG"
	head -n 256 "$BATS_TEST_TMPDIR/set" | physmem-t replace
	run physmem-t info
	assert_output --partial "windows 256 "
	run physmem-t list
	assert_equal "${#lines[@]}" 256
	assert_line --index 255 "s255 $(hex $((SHM + 255 * 4096))) 0x1000 ro uc claimed mmap"
	run physmem-t add x pci "$EDU_BDF" 0
	assert_output --partial "add: ENOSPC"
}
