#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv: facts about the module and its uAPI that need no running
# kernel: the ioctl numbers are physmem's own, and user mappings are made
# decrypted on memory-encrypting machines (SME/SEV hosts, TDX guests).

load ../lib/common

# Compile and run a C snippet against the uAPI header.
uapi_run() {
	local prog=$BATS_TEST_TMPDIR/uapi
	printf '#include <stdio.h>\n#include <linux/physmem.h>\nint main(void) {\n%s\nreturn 0; }\n' "$1" >"$prog.c"
	cc -std=c11 -Wall -Werror -I"$TOP/physmem-drv/include/uapi" -o "$prog" "$prog.c"
	"$prog"
}

@test "ioctl type 0xBE is not one that ioctl-number.rst gives to others (0xB7: nsfs, remoteproc)" {
	run uapi_run 'printf("%#x\n", PHYSMEM_IOC_MAGIC);'
	assert_output 0xbe
	# Every ioctl carries that type.
	run uapi_run 'unsigned n[] = { PHYSMEM_IOC_INFO, PHYSMEM_IOC_LIST, PHYSMEM_IOC_ADD,
		PHYSMEM_IOC_REMOVE, PHYSMEM_IOC_SEAL, PHYSMEM_IOC_REPLACE };
		for (unsigned i = 0; i < sizeof(n) / sizeof(n[0]); i++) printf("%#x\n", _IOC_TYPE(n[i]));'
	assert_output "$(printf '0xbe\n%.0s' 1 2 3 4 5 6)"
}

@test "REPLACE writes 'failed' back, so it is _IOWR; LIST and ADD too" {
	run uapi_run 'printf("%d %d %d\n", _IOC_DIR(PHYSMEM_IOC_REPLACE) == (_IOC_READ | _IOC_WRITE),
		_IOC_DIR(PHYSMEM_IOC_LIST) == (_IOC_READ | _IOC_WRITE),
		_IOC_DIR(PHYSMEM_IOC_ADD) == (_IOC_READ | _IOC_WRITE));'
	assert_output "1 1 1"
}

@test "the struct layout the guest tests poke at is stable" {
	run uapi_run 'struct physmem_window w;
		printf("%zu %zu %zu %zu %zu\n", sizeof(w), (size_t)((char *)&w.src - (char *)&w),
		       (size_t)((char *)&w.src.pci.__pad - (char *)&w),
		       (size_t)((char *)&w.src.iomem.__pad - (char *)&w),
		       (size_t)((char *)&w.__reserved - (char *)&w));'
	assert_output "168 64 71 132 160"
}

@test "user mappings are decrypted (pgprot_decrypted) on every test kernel" {
	local checked=0
	for kdir in /lib/modules/*/build; do
		kver=$(basename "$(dirname "$kdir")")
		grep -qw cc_mkdec "$kdir/Module.symvers" || continue
		tmp=$(mktemp -d)
		make -s -C "$TOP/physmem-drv" src-copy DEST="$tmp"
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$tmp/physmem-drv" KVER="$kver" >/dev/null 2>&1
		run nm -u "$tmp/physmem-drv/physmem.ko"
		rm -rf "$tmp"
		assert_output --partial cc_mkdec
		checked=$((checked + 1))
	done
	[ "$checked" -gt 0 ]
}
