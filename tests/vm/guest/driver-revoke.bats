# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv: revocation and module lifetime (issue 3). Removing a window
# or its PCI device zaps live mappings: the next touch is SIGBUS.
# The PCI removal test takes away the second edu (00:05.0) for the rest of
# this boot; other suites use the first one.
load /tests/lib/guest

setup() {
	driver_setup
}

teardown() {
	physmem-t replace </dev/null || true
}

@test "removing a window while it is mapped: the next touch gets SIGBUS" {
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
	run physmem-t mrun "$EDU" physmem-t remove edu
	assert_success
	assert_output "before 0x010000ed
cmd exit 0
SIGBUS"
}

@test "a mapping survives while its window stays" {
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
	run physmem-t mrun "$EDU" physmem-t list
	assert_line "after 0x010000ed"
}

@test "replace keeps mappings of unchanged windows and revokes changed ones" {
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
	physmem-t add shm pci "$IVSHMEM_BDF" 2 rw >/dev/null
	same="edu pci $EDU_BDF 0 rw"
	run physmem-t mrun "$EDU" sh -c "echo '$same' | physmem-t replace"
	assert_line "cmd exit 0"
	assert_line "after 0x010000ed"
	run physmem-t list
	assert_output "edu $(hex "$EDU") 0x100000 rw uc claimed mmap"
	# Same name, now read-only: a new window, the old mapping is revoked.
	run physmem-t mrun "$EDU" sh -c "echo 'edu pci $EDU_BDF 0' | physmem-t replace"
	assert_line "cmd exit 0"
	assert_line SIGBUS
	run physmem-t list
	assert_output "edu $(hex "$EDU") 0x100000 ro uc claimed mmap"
}

@test "replace is all or nothing: a bad set leaves the old one in force" {
	physmem-t add edu pci "$EDU_BDF" 0 rw >/dev/null
	before=$(physmem-t list)
	[ -n "$SYSRAM" ]
	run physmem-t mrun "$EDU" sh -c "printf '%s\n' 'edu pci $EDU_BDF 0' 'ram range $SYSRAM 0x1000' | physmem-t replace"
	assert_line --regexp "^physmem-t: replace: window #1: EPERM "
	assert_line "cmd exit 1"
	assert_line "after 0x010000ed"
	run physmem-t list
	assert_output "$before"
	# A redefinition that overlaps its old self is allowed (claims move).
	printf '%s\n' "edu pci $EDU_BDF 0 offset 0x1000 size 0x1000 rw" |
		physmem-t replace
	run physmem-t list
	assert_output "edu $(hex $((EDU + 0x1000))) 0x1000 rw uc claimed mmap"
	# Two windows of the new set that overlap: refused, old set stays.
	run sh -c "printf '%s\n' 'a pci $EDU_BDF 0' 'b range $(hex $((EDU + 0x800))) 0x10' | physmem-t replace"
	assert_output --partial "replace: window #1: EEXIST"
	run physmem-t list
	assert_output "edu $(hex $((EDU + 0x1000))) 0x1000 rw uc claimed mmap"
}

@test "the module cannot be unloaded while open or mapped, and can after" {
	local fd
	exec {fd}<>/dev/physmem
	run modprobe -r physmem
	exec {fd}>&-
	assert_failure
	physmem-t add edu pci "$EDU_BDF" 0 >/dev/null
	run physmem-t mrun "$EDU" modprobe -r physmem
	refute_line "cmd exit 0"
	assert_line "after 0x010000ed"
	run modprobe -r physmem
	assert_success
	[ ! -e /dev/physmem ]
	modprobe physmem
	run physmem-t info
	assert_output --partial "windows 0 sealed 0"
}

@test "removing the PCI device while mapped: SIGBUS, and the window is gone" {
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ] || skip "$EDU2_BDF already removed"
	EDU2=$(bar_start "$EDU2_BDF" 0)
	physmem-t add edu2 pci "$EDU2_BDF" 0 rw >/dev/null
	run physmem-t mrun "$EDU2" sh -c "echo 1 >/sys/bus/pci/devices/$EDU2_BDF/remove"
	assert_output "before 0x010000ed
cmd exit 0
SIGBUS"
	[ ! -e "/sys/bus/pci/devices/$EDU2_BDF" ]
	run physmem-t list
	assert_output "edu2 $(hex "$EDU2") 0x100000 rw uc mmap gone"
	run physmem-t read "$EDU2" 4
	assert_output --partial "pread: ENODEV"
	run physmem-t mmap "$EDU2" 4096
	assert_output --partial "mmap: ENODEV"
	run grep "^edu2 .* gone " /proc/driver/physmem
	assert_success
	run grep -F "$(printf '%x-%x' "$EDU2" $((EDU2 + 0xfffff))) : $EDU2_BDF" /proc/iomem
	assert_failure
	physmem-t remove edu2
	run physmem-t list
	assert_output ""
	# Later suites use the second edu: bring it back.
	echo 1 >/sys/bus/pci/rescan
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ]
}

teardown_file() {
	# Whatever failed above, leave the second edu present for later suites.
	echo 1 >/sys/bus/pci/rescan
}
