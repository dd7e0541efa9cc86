# SPDX-License-Identifier: GPL-2.0-or-later
# Shared setup for the policy core host suites: policy-dump (what the
# parser understood) built in the tree, and a policy file path $F per test.
load ../lib/common

DUMP="$TOP/tests/host/progs/policy-dump"

setup_file() {
	make -s -C "$TOP/policy" core >/dev/null
	make -s -C "$TOP/tests/host/progs" policy-dump >/dev/null
}

setup() {
	F="$BATS_TEST_TMPDIR/p.conf"
}
