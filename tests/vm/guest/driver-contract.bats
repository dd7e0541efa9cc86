# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv: the edges of the window contract (issue 10): windows that
# share a page, access widths, removal of the device under range windows,
# who may change the table, the uAPI, debuggers, names and mappings.
# The ivshmem bytes written here are in the driver's region (0x00000-
# 0x3ffff); tests/vm/host/driver-ivshmem.bats checks the backing file.
load /tests/lib/guest

setup() {
	driver_setup
}

teardown() {
	physmem-t replace </dev/null || true
}

# ---- 1. windows are bytes, mappings are pages ----

@test "a rw and a ro window in one page: neither maps, each keeps its rights" {
	physmem-t add lo pci "$IVSHMEM_BDF" 2 offset 0x4000 size 0x800 rw >/dev/null
	physmem-t add hi pci "$IVSHMEM_BDF" 2 offset 0x4800 size 0x800 >/dev/null
	run physmem-t list
	assert_output "lo $(hex $((SHM + 0x4000))) 0x800 rw uc claimed
hi $(hex $((SHM + 0x4800))) 0x800 ro uc claimed"
	# Mapping the page through the rw window would make the ro half writable.
	run physmem-t mmap "$(hex $((SHM + 0x4000)))" 4096 write
	assert_output --partial "mmap: EPERM"
	run physmem-t mmap "$(hex $((SHM + 0x4000)))" 4096
	assert_output --partial "mmap: EPERM"
	run physmem-t write "$(hex $((SHM + 0x4800)))" 4 0x11111111
	assert_output --partial "pwrite: EACCES"
	run physmem-t write "$(hex $((SHM + 0x47fc)))" 8 0x2222222222222222
	assert_output --partial "pwrite: EPERM"
	# The rw half takes writes by pwrite (the host finds them in the file).
	physmem-t write "$(hex $((SHM + 0x47fc)))" 4 0x5a5aa5a5
	# Once the rw window is gone its bytes are reachable through nothing.
	physmem-t remove lo
	run physmem-t read "$(hex $((SHM + 0x47fc)))" 4
	assert_output --partial "pread: EPERM"
}

@test "'pages' windows cover their pages: two in one page conflict" {
	physmem-t add lo pci "$IVSHMEM_BDF" 2 offset 0x4000 size 0x800 rw pages >/dev/null
	run physmem-t add hi pci "$IVSHMEM_BDF" 2 offset 0x4800 size 0x800 pages
	assert_output --partial "add: EEXIST"
	run physmem-t add hi pci "$IVSHMEM_BDF" 2 offset 0x4800 size 0x800
	assert_output --partial "add: EEXIST"
}

@test "a claim is released with its window, down to a 1-byte window" {
	for size in 1 2 0x1000; do
		base=$(hex $((SHM + 0x5000)))
		last=$(printf '%x' $((base + size - 1)))
		line="$(printf '%x' "$base")-$last : physmem:c1"
		physmem-t add c1 range "$base" "$size" rw >/dev/null
		grep -qF "$line" /proc/iomem
		physmem-t remove c1
		run grep -F "physmem:c1" /proc/iomem
		assert_failure
		# Replaced away, too.
		physmem-t add c1 range "$base" "$size" rw >/dev/null
		physmem-t replace </dev/null
		run grep -F "physmem:c1" /proc/iomem
		assert_failure
	done
	run dmesg
	refute_output --partial "not released"
}

# ---- 2. widths ----

@test "a 16-byte pread/pwrite of edu uses 32-bit accesses: factorial works" {
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
	# 16 bytes from 0x08: 5 lands in the factorial register as one 32-bit
	# write (a 64-bit one is ignored by edu) and starts the computation.
	physmem-t write "$(hex $((EDU + 8)))" 16 5
	for i in $(seq 200); do
		st=$(physmem-t read "$(hex $((EDU + 0x20)))" 4)
		(( (st & 1) == 0 )) && break
	done
	run physmem-t read "$(hex $((EDU + 8)))" 16
	assert_output --regexp '^78000000'
	run physmem-t read "$(hex $((EDU + 8)))" 24
	assert_output --regexp '^78000000'
	run physmem-t read "$(hex $((EDU + 8)))" 12
	assert_output --regexp '^78000000'
	run physmem-t read "$(hex $((EDU + 8)))" 8
	assert_success
}

# ---- 3. device removal ----

@test "a range window over a removed device's BAR is revoked, and its claim goes first" {
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ] || skip "$EDU2_BDF already removed"
	EDU2=$(bar_start "$EDU2_BDF" 0)
	physmem-t add r2 range "$EDU2" 0x100000 rw >/dev/null
	run physmem-t mrun "$EDU2" sh -c "echo 1 >/sys/bus/pci/devices/$EDU2_BDF/remove"
	assert_output "before 0x010000ed
cmd exit 0
SIGBUS"
	run physmem-t list
	assert_output "r2 $(hex "$EDU2") 0x100000 rw uc mmap gone"
	run physmem-t read "$EDU2" 4
	assert_output --partial "pread: ENODEV"
	run grep -F "physmem:r2" /proc/iomem
	assert_failure
	run dmesg
	assert_output --partial "window r2 revoked: device $EDU2_BDF removed"
	# The device comes back (Linux may place it elsewhere on a rescan);
	# a new window claims the old range again.
	echo 1 >/sys/bus/pci/rescan
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ]
	physmem-t add n2 range "$EDU2" 0x100000 rw >/dev/null
	# Removing the revoked window must not release the new window's claim.
	physmem-t remove r2
	run grep -F "$(printf '%x' "$EDU2")-$(printf '%x' $((EDU2 + 0xfffff))) : physmem:n2" /proc/iomem
	assert_success
}

@test "an iomem window over a removed device's BAR is revoked too" {
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ] || skip "$EDU2_BDF already removed"
	EDU2=$(bar_start "$EDU2_BDF" 0)
	physmem-t add i2 iomem "$EDU2_BDF" 0 "$EDU2" 0x1000 rw >/dev/null
	echo 1 >"/sys/bus/pci/devices/$EDU2_BDF/remove"
	run physmem-t list
	assert_output --regexp "^i2 .* gone$"
	run physmem-t read "$EDU2" 4
	assert_output --partial "pread: ENODEV"
	echo 1 >/sys/bus/pci/rescan
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ]
}

# ---- 4. the iomem tree is not walked by the driver ----

@test "an iomem window is the range its caller found; the label is shown, not looked up" {
	base=0x$(grep 'IOAPIC 0' /proc/iomem | sed 's/^ *\([0-9a-f]*\)-.*/\1/')
	[ "$base" != 0x ] || skip "no IOAPIC in /proc/iomem"
	run physmem-t add io iomem "IOAPIC 0" 0 "$base" 0x400 shared
	assert_output "io $base 0x400 ro uc shared"
	run grep -F "io $base-$(hex $((base + 0x3ff))) ro uc shared nommap iomem:\"IOAPIC 0\"#0" /proc/driver/physmem
	assert_success
	run physmem-t read "$base" 4
	assert_success
	physmem-t remove io
	# Without a size there is no window; a label must be printable.
	run physmem-t add io iomem "IOAPIC 0" 0 "$base" 0 shared
	assert_output --partial "add: EINVAL"
	run physmem-t add io iomem $'IOAPIC\n0' 0 "$base" 0x400 shared
	assert_output --partial "add: EINVAL"
}

# ---- 6. who may change the table ----

@test "table changes need a writable descriptor" {
	run physmem-t -r add edu pci "$EDU_BDF" 0
	assert_output --partial "add: EBADF"
	run physmem-t -r replace </dev/null
	assert_output --partial "replace: EBADF"
	run physmem-t -r seal
	assert_output --partial "seal: EBADF"
	run physmem-t -r list
	assert_success
}

@test "a descriptor handed to a process without CAP_SYS_RAWIO cannot change the table" {
	local fd
	exec {fd}<>/dev/physmem
	run capsh --drop=cap_sys_rawio -- -c "physmem-t -F $fd add edu pci $EDU_BDF 0"
	assert_output --partial "add: EPERM"
	run capsh --drop=cap_sys_rawio -- -c "physmem-t -F $fd replace </dev/null"
	assert_output --partial "replace: EPERM"
	run capsh --drop=cap_sys_rawio -- -c "physmem-t -F $fd seal"
	assert_output --partial "seal: EPERM"
	# Listing is not a change.
	run capsh --drop=cap_sys_rawio -- -c "physmem-t -F $fd list"
	assert_success
	exec {fd}>&-
	run physmem-t info
	assert_output --partial "windows 0 sealed 0"
}

# ---- 7. shared windows stay out of memory the firmware keeps ----

@test "a window over firmware-reserved memory is refused, shared or not" {
	line=$(grep ': Reserved$' /proc/iomem | tail -n1 | sed 's/^ *//') || true
	[ -n "$line" ] || skip "no Reserved range in /proc/iomem"
	start=0x${line%%-*}
	run physmem-t add fw range "$start" 0x1000 shared
	assert_output --partial "add: EPERM"
	run physmem-t add fw range "$start" 0x1000
	assert_output --partial "add: EPERM"
	run dmesg
	assert_output --partial "window fw: [0x"
	assert_output --partial "covers firmware-reserved memory"
}

@test "a window over soft-reserved memory (memmap=...%...+0xefffffff) is refused, shared or not" {
	# tests/run-all boots with 496M-500M soft-reserved: 7.x keeps such
	# ranges in a tree of their own, which /proc/iomem may not show
	grep -q 'memmap=4M%496M+0xefffffff' /proc/cmdline || skip "no soft-reserved memory in this boot"
	run physmem-t add sr range 0x1f000000 0x1000 shared
	assert_output --partial "add: EPERM"
	run physmem-t add sr range 0x1f3ff000 0x1000
	assert_output --partial "add: EPERM"
	run dmesg
	assert_output --partial "covers soft-reserved memory"
}

@test "a window over persistent memory (memmap=...!...) is refused" {
	line=$(grep -m1 ': Persistent Memory' /proc/iomem | sed 's/^ *//') || true
	[ -n "$line" ] || skip "no persistent memory in this boot"
	start=0x${line%%-*}
	run physmem-t add pm range "$start" 0x1000 shared
	assert_output --partial "add: EPERM"
	run dmesg
	assert_output --partial "covers persistent memory"
}

# ---- 8. uAPI ----

@test "the ioctl type is physmem's own: nsfs's NS_GET_OWNER_UID does not seal the table" {
	# _IO(0xB7, 0x4): the old PHYSMEM_IOC_SEAL, bit for bit.
	run physmem-t ioctl 0xb704
	assert_output --partial "ioctl: ENOTTY"
	run physmem-t info
	assert_output --partial "sealed 0"
}

@test "padding, reserved fields, unused source bytes and name tails must be zero" {
	# struct physmem_window: name 0, source 32, flags 36, base 40, size 48,
	# offset 56, src 64 (pci.__pad at 71, iomem.__pad at 132), dma_size 136,
	# dma_bits 144, __pad 145, dma_used 152 (output), __reserved 160.
	run physmem-t add edu pci "$EDU_BDF" 0 poke 71 1
	assert_output --partial "add: EINVAL"
	run physmem-t add edu pci "$EDU_BDF" 0 poke 100 1
	assert_output --partial "add: EINVAL"
	run physmem-t add edu pci "$EDU_BDF" 0 poke 160 1
	assert_output --partial "add: EINVAL"
	run physmem-t add edu pci "$EDU_BDF" 0 dma 0x1000 poke 145 1
	assert_output --partial "add: EINVAL"
	run physmem-t add edu pci "$EDU_BDF" 0 poke 20 1
	assert_output --partial "add: EINVAL"
	run physmem-t add r range "$EDU" 0x1000 poke 64 1
	assert_output --partial "add: EINVAL"
	run physmem-t list 1
	assert_output --partial "list: EINVAL"
	# A listed window passed back (output fields set) is fine.
	run physmem-t add edu pci "$EDU_BDF" 0 base 0x1234 flags 0x30000 poke 152 1
	assert_success
}

# ---- 9. debuggers ----

@test "/proc/PID/mem reads a mapping (as gdb does), also a page never touched" {
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
	run physmem-t mpeek "$EDU" 4
	assert_success
	assert_output 0x010000ed
	run physmem-t mpoke "$(hex $((EDU + 4)))" 4 0x12345678
	assert_output ok
	run physmem-t read "$(hex $((EDU + 4)))" 4
	assert_output 0xedcba987
	physmem-t replace <<<"edu pci $EDU_BDF 0"
	run physmem-t mpeek "$EDU" 4
	assert_output 0x010000ed
	# Read-only window: no write through a debugger either.
	run physmem-t mpoke "$(hex $((EDU + 4)))" 4 0 ro
	assert_output --partial "pwrite /proc/self/mem: EIO"
	run physmem-t read "$(hex $((EDU + 4)))" 4
	assert_output 0xedcba987
}

@test "a debugger's read that runs past the mapping gets what the mapping has" {
	# On ivshmem's memory, which takes 2-byte reads (edu does not: on arm64
	# that is an external abort)
	physmem-t add shm pci "$IVSHMEM_BDF" 2 >/dev/null
	# 4 bytes from 2 before the end of the one mapped page: the driver
	# gives the 2 in its page (the rest is whatever memory follows), and
	# the read does not fail as a whole.
	run physmem-t mpeek "$(hex $((SHM + 0xffe)))" 4
	assert_success
	assert_output --regexp '^0x[0-9a-f]{8}$'
}

# ---- x86 memory types ----

@test "a mappable wc window holds a write-combining PAT reservation while it lives" {
	pat=/sys/kernel/debug/x86/pat_memtype_list
	[ -r "$pat" ] || skip "no $pat"
	physmem-t add shm pci "$IVSHMEM_BDF" 2 wc >/dev/null
	range="$(printf '%x' "$SHM")-0x0*$(printf '%x' $((SHM + $(bar_size "$IVSHMEM_BDF" 2))))"
	run grep -E "$range\] write-combining" "$pat"
	assert_success
	physmem-t remove shm
	run grep -E "$range\] write-combining" "$pat"
	assert_failure
}

# ---- 10. smaller ----

@test "window names are ASCII: a Latin-1 letter is refused" {
	run physmem-t add $'\xe9du' pci "$EDU_BDF" 0
	assert_output --partial "add: EINVAL"
	run physmem-t add $'e\xe9' pci "$EDU_BDF" 0
	assert_output --partial "add: EINVAL"
}

@test "a refused name is escaped in the kernel log" {
	run physmem-t add $'bad\nname' pci "$EDU_BDF" 0
	assert_output --partial "add: EINVAL"
	run dmesg
	assert_output --partial 'add window bad\nname: error -22'
}

@test "mappings are never executable" {
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
	run physmem-t mmap "$EDU" 4096 exec
	assert_output --partial "mmap: EPERM"
	run physmem-t mprotect "$EDU" 4096 exec
	assert_output --partial "mprotect: EACCES"
}

@test "a window holds no kernel mapping between accesses" {
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
	physmem-t read "$EDU" 4 >/dev/null
	run grep -E 'physmem' /proc/vmallocinfo
	assert_failure
}
