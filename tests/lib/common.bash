# SPDX-License-Identifier: GPL-2.0-or-later
# Shared setup for host BATS tests: load bats-support/bats-assert and point
# at the binaries built in the tree (no install needed).
#
# PHYSMEM_BUILD=DIR runs the suites against another build of the tree: DIR
# is a copy of it with its own objects, such as `scripts/cross build arm64`
# prints (whose programs run under qemu-user through binfmt_misc). The
# copy's .physmem-build file names its tools (CC, AR, PKG_CONFIG) and
# PHYSMEM_ARCH: the suites' make, cc and pkg-config calls use them.
if [ -n "${PHYSMEM_BUILD:-}" ]; then
	if [ ! -f "$PHYSMEM_BUILD/.physmem-build" ]; then
		echo "PHYSMEM_BUILD=$PHYSMEM_BUILD: not a build copy (no .physmem-build; scripts/cross build ARCH)" >&2
		return 1
	fi
	TOP="$(cd "$PHYSMEM_BUILD" && pwd)"
	set -a
	# shellcheck source=/dev/null
	. "$TOP/.physmem-build"
	set +a
else
	TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fi
export TOP
export CC="${CC:-cc}" AR="${AR:-ar}" PKG_CONFIG="${PKG_CONFIG:-pkg-config}"
# The host's ldd cannot list a foreign program's libraries; the build's own
# dynamic loader can (under qemu-user).
if [ -n "${PHYSMEM_LDSO:-}" ]; then
	ldd() { "$PHYSMEM_LDSO" --list "$@"; }
fi

# wait_mapped FILE: wait (10 s at most) until a process has FILE mapped. A
# test that changes a target under a running program starts from there,
# not from a fixed delay: under qemu-user, or on a busy machine, the
# program's start alone can take longer than any such delay.
wait_mapped() {
	for _ in $(seq 500); do
		grep -qsF " $1" /proc/[0-9]*/maps && return 0
		sleep 0.02
	done
	echo "wait_mapped: no process mapped $1 within 10 s" >&2
	return 1
}

# preload NAME...: the LD_PRELOAD value for the test's shared objects
# tests/host/progs/NAME. A cross build's are foreign, and the host's own
# programs that a test runs under them (devmemtool's and libphys-run's sh
# commands: sh, sed) would refuse them noisily: there the path goes through
# ld.so's $LIB, and each process loads its own architecture's copy
# (progs/lib/TRIPLET/, make -C tests/host/progs preload-dirs).
preload() {
	local n out=""
	for n; do
		if [ -n "${PHYSMEM_LDSO:-}" ]; then
			out+="${out:+ }$TOP/tests/host/progs/\$LIB/$n"
		else
			out+="${out:+ }$TOP/tests/host/progs/$n"
		fi
	done
	echo "$out"
}
# fake_pci_dev DIR VENDOR DEVICE [COMMAND]: a PCI function's sysfs files in
# DIR, as libphys reads them: the config header (IDs, the command register's
# low byte, default 02: memory decoding on), vendor,
# device, class and irq. Its resource file (and resourceN): fake_pci_bars.
fake_pci_dev() {
	local d=$1 v=$2 dv=$3 cmd=${4:-02}
	mkdir -p "$d"
	printf "\\x${v:4:2}\\x${v:2:2}\\x${dv:4:2}\\x${dv:2:2}\\x${cmd}\\x00\\x00\\x00\\x10\\x00\\xff\\x00" >"$d/config"
	truncate -s 64 "$d/config"
	echo "$v" >"$d/vendor"
	echo "$dv" >"$d/device"
	echo 0x00ff00 >"$d/class"
	echo 0 >"$d/irq"
}

# fake_pci_bars DIR BAR...: the function's resource file, one line per
# argument (BAR 0 first, seven lines in all), each START-END[/FLAGS] (flags
# 0x40200, a 32-bit memory BAR, unless given) or - for an empty slot; and a
# resourceN file of the BAR's size for each BAR with a non-zero START.
fake_pci_bars() {
	local d=$1 i=0 bar start end flags
	shift
	: >"$d/resource"
	while ((i < 7)); do
		bar=${1:--}
		(($#)) && shift
		if [ "$bar" = - ]; then
			start=0 end=0 flags=0
		else
			flags=0x40200
			[[ $bar == */* ]] && flags=${bar#*/} bar=${bar%/*}
			start=${bar%-*} end=${bar#*-}
			if ((start)); then truncate -s $((end - start + 1)) "$d/resource$i"; fi
		fi
		printf '0x%016x 0x%016x 0x%016x\n' "$start" "$end" "$flags" >>"$d/resource"
		((++i))
	done
}

# fake_pci_driver DIR DRIVER: the function in DIR (under sys/bus/pci/devices)
# is bound to DRIVER.
fake_pci_driver() {
	mkdir -p "$1/../../drivers/$2"
	ln -s "../../../../bus/pci/drivers/$2" "$1/driver"
}

export PHYSMEM_ARCH="${PHYSMEM_ARCH:-$(dpkg --print-architecture 2>/dev/null || uname -m)}"
# The build's long (and pointer) size: 32 on armhf
export PHYSMEM_LONG_BIT="${PHYSMEM_LONG_BIT:-$(getconf LONG_BIT)}"
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

export LD_LIBRARY_PATH="$TOP/libphys${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PATH="$TOP/devmemtool:$TOP/physmem-policy:$PATH"
