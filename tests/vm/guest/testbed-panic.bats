#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Used only by tests/host/testbed.bats: a guest that panics must fail the
# run promptly with its console log, never hang `make check`.

@test "panic the guest kernel" {
	echo 1 >/proc/sys/kernel/sysrq
	echo c >/proc/sysrq-trigger
}
