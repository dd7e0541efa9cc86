# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Debian chroots cached outside the repository, shared by the scripts that
# keep one (scripts/sid-kernel: sid's kernel and compiler; scripts/pkg-rootfs:
# the bookworm system that the packages boot installs the .debs into).
# Source it; the caller defines say() and die().

# chroot_run ROOT COMMAND...: run a command in the chroot with /proc mounted
# (objtool, apt and DKMS need it), in a mount namespace of its own: nothing
# stays mounted afterwards. At the lowest CPU and I/O priority: the machine
# is shared.
chroot_run() {
	local root=$1
	shift
	nice -n 19 ionice -c3 unshare --mount --propagation private -- sh -c '
		root=$1; shift
		mount -t proc proc "$root/proc" && exec chroot "$root" "$@"' sh "$root" \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# chroot_bootstrap ROOT SUITE MIRROR LOG: debootstrap a minimal Debian SUITE
# into ROOT once (ROOT/.physmem-bootstrapped marks it done), installing
# debootstrap on the host first if it is missing (saying so). Its apt, like
# the host's, accepts archive snapshots with an expired Valid-Until and
# installs no recommended packages.
chroot_bootstrap() {
	local root=$1 suite=$2 mirror=$3 log=$4
	[ -f "$root/.physmem-bootstrapped" ] && return 0
	if ! command -v debootstrap >/dev/null; then
		say "installing: debootstrap"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 || {
			apt-get update -qq >/dev/null 2>&1 || apt-get update
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
		}
	fi
	say "debootstrapping Debian $suite into $root (once per machine)"
	rm -rf "$root"
	nice -n 19 ionice -c3 debootstrap --variant=minbase "$suite" "$root" "$mirror" \
		>"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; die "debootstrap failed (log: $log)"; }
	cat >"$root/etc/apt/apt.conf.d/99physmem" <<'CONF'
Acquire::Check-Valid-Until "false";
Acquire::Check-Date "false";
Acquire::Languages "none";
APT::Install-Recommends "false";
CONF
	touch "$root/.physmem-bootstrapped"
}
