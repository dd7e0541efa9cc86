#!/usr/bin/env bats
# Used only by tests/host/testbed.bats: a guest that panics must fail the
# run promptly with its console log, never hang `make check`.

@test "panic the guest kernel" {
	echo 1 >/proc/sys/kernel/sysrq
	echo c >/proc/sysrq-trigger
}
