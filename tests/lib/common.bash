# SPDX-License-Identifier: GPL-2.0-or-later
# Shared setup for host BATS tests: load bats-support/bats-assert and point
# at the binaries built in the tree (no install needed).
TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export TOP
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

export LD_LIBRARY_PATH="$TOP/libphys${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PATH="$TOP/devmemtool:$TOP/physmem-policy:$PATH"
