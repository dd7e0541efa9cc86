#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The VM test bed fails, promptly and with the console log, when the guest
# panics or a test hangs: `make check` can never hang on a broken kernel.

load ../lib/common

setup_file() {
	export KVER=${KVER:-$(ls -d /lib/modules/*/build | sed 's,^/lib/modules/,,;s,/build$,,' | sort -V | head -n1)}
}

@test "a guest that panics fails the run with its console log" {
	SECONDS=0
	run "$TOP/tests/vm/run-vm" --kver "$KVER" --name testbed-panic \
		--suite testbed-panic --timeout 120 --no-host-checks
	assert_failure
	assert_output --partial "not ok - [testbed-panic] VM booted, ran its suites and powered off: kernel panic"
	assert_output --partial "console log"
	assert_output --partial "Kernel panic"
	[ "$SECONDS" -lt 120 ]
}

@test "a test that hangs fails the run within the timeout" {
	SECONDS=0
	run "$TOP/tests/vm/run-vm" --kver "$KVER" --name testbed-hang \
		--suite testbed-hang --timeout 40 --no-host-checks
	assert_failure
	assert_output --partial "timed out after 40s"
	assert_output --partial "console log"
	[ "$SECONDS" -lt 60 ]
}

@test "a bad option is a usage error" {
	run "$TOP/tests/vm/run-vm" --bogus
	assert_failure 2
	assert_output --partial "unknown option '--bogus'"
}
