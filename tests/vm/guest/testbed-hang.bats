#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Used only by tests/host/testbed.bats: a test that hangs must fail the run
# within the host's timeout, never hang `make check`.

@test "hang forever" {
	while :; do sleep 1; done
}
