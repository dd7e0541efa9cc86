# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv: reaching real devices through /dev/physmem (issue 3).
# Runs in the test VM; the windows used here are removed after each test.
load /tests/lib/guest

setup() {
	driver_setup
}

teardown() {
	physmem-t replace </dev/null
}

@test "edu ident reads 0x010000ed through mmap and through pread" {
	physmem-t add edu pci "$EDU_BDF" 0 rw
	run physmem-t mread "$EDU" 4
	assert_success
	assert_output 0x010000ed
	run physmem-t read "$EDU" 4
	assert_success
	assert_output 0x010000ed
}

@test "a window on a device nobody drives turns its memory decoding on, once, and says so" {
	# As on arm64 without firmware (QEMU's virt): Linux placed the BAR,
	# no driver enabled the device, it reads all ones
	mem_off "$EDU2_BDF"
	dmesg -c >/dev/null
	physmem-t add edu2 pci "$EDU2_BDF" 0 rw
	[ "$(decoding "$EDU2_BDF")" = on ]
	run physmem-t read "$EDU2" 4
	assert_output 0x010000ed
	run dmesg
	assert_output --partial "$EDU2_BDF: memory decoding turned on for window edu2 (off: no firmware or driver enabled it)"
	# on already: nothing is written, nothing logged
	physmem-t replace </dev/null
	dmesg -c >/dev/null
	physmem-t add edu2 pci "$EDU2_BDF" 0 rw
	run dmesg
	refute_output --partial "memory decoding"
}

@test "a refused REPLACE leaves memory decoding off; the ADD after it turns it on, logged once" {
	mem_off "$EDU2_BDF"
	dmesg -c >/dev/null
	# refused as a whole: edu2 resolves, the RAM window does not
	run sh -c "printf '%s\n' 'edu2 pci $EDU2_BDF 0 rw' 'ram range $SYSRAM 0x1000' | physmem-t replace"
	assert_failure
	[ "$(decoding "$EDU2_BDF")" = off ]
	run dmesg
	refute_output --partial "memory decoding"
	# an access-only window over the BAR turns nothing on either
	physmem-t add blob range "$EDU2" 0x1000
	[ "$(decoding "$EDU2_BDF")" = off ]
	physmem-t replace </dev/null
	physmem-t add edu2 pci "$EDU2_BDF" 0 rw
	[ "$(decoding "$EDU2_BDF")" = on ]
	run physmem-t read "$EDU2" 4
	assert_output 0x010000ed
	run sh -c 'dmesg | grep -c "memory decoding"'
	assert_output 1
	run dmesg
	assert_output --partial "$EDU2_BDF: memory decoding turned on for window edu2 (off: no firmware or driver enabled it)"
	# a REPLACE that adds it turns it on too, after the commit
	physmem-t replace </dev/null
	mem_off "$EDU2_BDF"
	dmesg -c >/dev/null
	physmem-t replace <<<"edu2 pci $EDU2_BDF 0 rw"
	[ "$(decoding "$EDU2_BDF")" = on ]
	run sh -c 'dmesg | grep -c "memory decoding turned on for window edu2"'
	assert_output 1
	# a REPLACE that keeps it turns it on again: loading the same policy
	# mends a decode that was left off (or turned off since)
	mem_off "$EDU2_BDF"
	physmem-t replace <<<"edu2 pci $EDU2_BDF 0 rw"
	[ "$(decoding "$EDU2_BDF")" = on ]
	run sh -c 'dmesg | grep -c "memory decoding turned on for window edu2"'
	assert_output 2
}

@test "a pci window holds one runtime PM reference on its device while it lives, refused ones none" {
	local pm=/sys/bus/pci/devices/$EDU2_BDF/power base i
	[ -e "$pm/runtime_usage" ] || skip "no CONFIG_PM_ADVANCED_DEBUG"
	base=$(cat "$pm/runtime_usage")
	run sh -c "printf '%s\n' 'edu2 pci $EDU2_BDF 0 rw' 'ram range $SYSRAM 0x1000' | physmem-t replace"
	assert_failure
	[ "$(cat "$pm/runtime_usage")" = "$base" ]
	physmem-t add edu2 pci "$EDU2_BDF" 0 rw
	[ "$(cat "$pm/runtime_usage")" = $((base + 1)) ]
	# refused: the name is taken (it was resolved first)
	run physmem-t add edu2 pci "$EDU2_BDF" 0 rw
	assert_failure
	[ "$(cat "$pm/runtime_usage")" = $((base + 1)) ]
	# kept by a REPLACE: the same one; redefined: the old one goes
	physmem-t replace <<<"edu2 pci $EDU2_BDF 0 rw"
	[ "$(cat "$pm/runtime_usage")" = $((base + 1)) ]
	physmem-t replace <<<"edu2 pci $EDU2_BDF 0 rw offset 0 size 0x10"
	[ "$(cat "$pm/runtime_usage")" = $((base + 1)) ]
	physmem-t replace </dev/null
	[ "$(cat "$pm/runtime_usage")" = "$base" ]
	# revoked, it holds none, even while a process still maps it
	physmem-t add edu2 pci "$EDU2_BDF" 0 rw
	run physmem-t mrun "$EDU2" sh -c "physmem-t remove edu2; cat $pm/runtime_usage"
	assert_line --index 1 "$base"
	assert_line SIGBUS
	# runtime PM allowed (power/control auto): suspended while nobody
	# drives it, resumed and kept so while a window lives
	echo auto >"$pm/control"
	for i in $(seq 50); do
		[ "$(cat "$pm/runtime_status")" = suspended ] && break
		sleep 0.1
	done
	run cat "$pm/runtime_status"
	physmem-t add edu2 pci "$EDU2_BDF" 0 rw
	local before=$output
	run cat "$pm/runtime_status"
	local during=$output
	sleep 0.5
	run cat "$pm/runtime_status"
	local later=$output
	physmem-t replace </dev/null
	for i in $(seq 50); do
		[ "$(cat "$pm/runtime_status")" = suspended ] && break
		sleep 0.1
	done
	run cat "$pm/runtime_status"
	echo on >"$pm/control"
	assert_output suspended
	[ "$before" = suspended ]
	[ "$during" = active ]
	[ "$later" = active ]
}

@test "edu liveness returns the complement through mmap and through pwrite/pread" {
	physmem-t add edu pci "$EDU_BDF" 0 rw
	physmem-t mwrite "$(hex $((EDU + 4)))" 4 0x12345678
	run physmem-t mread "$(hex $((EDU + 4)))" 4
	assert_output 0xedcba987
	physmem-t write "$(hex $((EDU + 4)))" 4 0x0f0f0000
	run physmem-t read "$(hex $((EDU + 4)))" 4
	assert_output 0xf0f0ffff
}

# edu computes the factorial of the value at 0x08; bit 0 of 0x20 is busy.
edu_factorial() {
	local wr=$1 rd=$2 n=$3 i st
	physmem-t "$wr" "$(hex $((EDU + 8)))" 4 "$n"
	for i in $(seq 200); do
		st=$(physmem-t "$rd" "$(hex $((EDU + 0x20)))" 4)
		(( (st & 1) == 0 )) && break
	done
	physmem-t "$rd" "$(hex $((EDU + 8)))" 4
}

@test "edu factorial of 5 is 120 through pwrite/pread and through mmap" {
	physmem-t add edu pci "$EDU_BDF" 0 rw
	run edu_factorial write read 5
	assert_output 0x00000078
	run edu_factorial mwrite mread 4
	assert_output 0x00000018
}

@test "windows are listed with their resolved range and state" {
	run physmem-t add edu pci "$EDU_BDF" 0 rw
	assert_success
	assert_output "edu $(hex "$EDU") 0x100000 rw uc claimed mmap"
	run physmem-t list
	assert_output "edu $(hex "$EDU") 0x100000 rw uc claimed mmap"
	run physmem-t info
	assert_output --regexp '^version 2\.1 windows 1 sealed 0 bits [0-9]+$'
}

@test "ivshmem: writes through mmap and pwrite (host checks the backing file)" {
	physmem-t add shm pci "$IVSHMEM_BDF" 2 rw wc
	# tests/vm/host/driver-ivshmem.bats expects exactly these bytes.
	physmem-t mwrite "$(hex $((SHM + 0x1000)))" 8 0x1122334455667788
	physmem-t write "$(hex $((SHM + 0x2010)))" 4 0xcafef00d
	physmem-t write "$(hex $((SHM + 0x3001)))" 3 0xa1b2c3
	run physmem-t read "$(hex $((SHM + 0x1000)))" 8
	assert_output 0x1122334455667788
	run physmem-t mread "$(hex $((SHM + 0x2010)))" 4
	assert_output 0xcafef00d
	run physmem-t read "$(hex $((SHM + 0x3001)))" 3
	assert_output 0xa1b2c3
}

@test "pread of several pages returns every byte" {
	physmem-t add shm pci "$IVSHMEM_BDF" 2 rw
	physmem-t write "$(hex $((SHM + 0x10000)))" 9000 0x0102030405060708
	run physmem-t read "$(hex $((SHM + 0x10000)))" 9000
	assert_success
	assert_output "$(for i in $(seq 1125); do printf 0807060504030201; done)"
	physmem-t write "$(hex $((SHM + 0x10000)))" 9000 0
}

@test "/proc/driver/physmem lists windows and live mappings" {
	physmem-t add edu pci "$EDU_BDF" 0 rw
	run physmem-t mrun "$EDU" cat /proc/driver/physmem
	assert_success
	assert_line --regexp "^edu $(hex "$EDU")-$(hex $((EDU + 0xfffff))) rw uc claimed mmap pci:0000:00:04.0/bar0\+0x0$"
	assert_line --regexp "^[0-9]+ physmem-t edu $(hex "$EDU")-$(hex $((EDU + 0xfff))) ro$"
	run cat /proc/driver/physmem
	refute_line --regexp "physmem-t edu"
}

@test "a /dev/mem tool works unchanged on /dev/physmem (busybox devmem)" {
	physmem-t add edu pci "$EDU_BDF" 0 rw
	mount --bind /dev/physmem /dev/mem
	run busybox devmem "$EDU" 32
	umount /dev/mem
	assert_success
	assert_output 0x010000ED
}

@test "a claimed window keeps /dev/mem away; a shared one does not" {
	physmem-t add edu pci "$EDU_BDF" 0 rw
	run busybox devmem "$EDU" 32
	assert_failure
	physmem-t remove edu
	physmem-t add edu pci "$EDU_BDF" 0 rw shared
	run busybox devmem "$EDU" 32
	assert_success
	assert_output 0x010000ED
}

@test "a long pread stops at a signal and returns what it did" {
	physmem-t add shm pci "$IVSHMEM_BDF" 2 >/dev/null
	run physmem-t sigread "$SHM" 0x100000
	assert_success
	assert_output --regexp '^short [0-9]+$'
	local n=${output#short }
	(( n >= 4096 && n % 4096 == 0 )) || fail "returned $n bytes"
}

@test "a window that does not fill its pages is pread/pwrite only, in a BAR or as a range" {
	run physmem-t add id pci "$EDU_BDF" 0 offset 0 size 4 rw
	assert_output "id $(hex "$EDU") 0x4 rw uc claimed"
	# Mapping the page would expose the rest of the BAR: refused.
	run physmem-t mmap "$EDU" 4096
	assert_output --partial "mmap: EPERM"
	run physmem-t read "$EDU" 4
	assert_output 0x010000ed
	run physmem-t read "$(hex $((EDU + 4)))" 4
	assert_output --partial "pread: EPERM"
	run dmesg
	assert_output --partial "mmap of window id: it does not fill its pages"
	physmem-t remove id
	run physmem-t add id range "$EDU" 4 rw
	assert_output "id $(hex "$EDU") 0x4 rw uc claimed"
	run physmem-t mmap "$EDU" 4096
	assert_output --partial "mmap: EPERM"
	run physmem-t read "$EDU" 4
	assert_output 0x010000ed
}

@test "'pages': the window is its whole pages, claimed and mappable" {
	run physmem-t add id pci "$EDU_BDF" 0 offset 0x10 size 4 rw pages
	assert_output "id $(hex "$EDU") 0x1000 rw uc pages claimed mmap"
	run physmem-t mread "$EDU" 4
	assert_output 0x010000ed
	run physmem-t read "$(hex $((EDU + 0xffc)))" 4
	assert_success
	run grep -F "$(printf '%x-%x' "$EDU" $((EDU + 0xfff))) : physmem:id" /proc/iomem
	assert_success
	physmem-t remove id
	run physmem-t add id range "$(hex $((EDU + 0x1ff0)))" 0x20 rw pages
	assert_output "id $(hex $((EDU + 0x1000))) 0x2000 rw uc pages claimed mmap"
}
