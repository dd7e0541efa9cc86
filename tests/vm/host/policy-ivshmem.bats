#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# After the VM run: what the policy suite wrote through its window is in
# the ivshmem backing file, in the policy's region (0x80000-0x9ffff) only.

load ../../lib/common

@test "policy: the word written through the 'shm' window reached ivshmem at 0x80000" {
	grep -q '^ok .*policy-load: ivshmem: written' "$VM_OUT/tap.txt" 2>/dev/null ||
		skip "the policy suite's ivshmem test did not pass in this boot"
	run od -An -tx4 -j $((0x80000)) -N4 "$VM_OUT/ivshmem.bin"
	assert_output ' 504f4c59'
	# The write past the window's end (0xa0000) was refused.
	run od -An -tx4 -j $((0xa0000)) -N4 "$VM_OUT/ivshmem.bin"
	refute_output ' 00000001'
}
