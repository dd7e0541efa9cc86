# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv: the stress (issue 3). physmem-stress does 100,000 random
# operations with boundary values from several processes and threads while
# windows come and go and the second edu is removed and rescanned; it owns
# ivshmem BAR2 0x100000-0x1fffff, whose canary bytes the host checks after
# the boot (tests/vm/host/driver-stress.bats). See physmem-stress.c.
load /tests/lib/guest

# The program stops itself at its deadline (exit 3); this is the backstop.
BATS_TEST_TIMEOUT=330
STRESS_DEADLINE=240

setup() {
	physmem-t replace </dev/null
	# Only what the kernel logs from here on counts.
	dmesg_from=$(dmesg | wc -l)
}

teardown() {
	physmem-t replace </dev/null || true
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ] || echo 1 >/sys/bus/pci/rescan
}

# Kernel log splats of any kind.
SPLAT='BUG|WARNING|Oops|KASAN|UBSAN|refcount|lockdep|possible (circular|recursive) locking|INFO: task .* blocked|general protection|Trying to free nonexistent resource|list_(add|del) corruption|sleeping function called|not released'

# stress SEED: run it, keep its output for the log, check the verdict and
# that the kernel logged no splat meanwhile (both shown if both fail).
stress() {
	local out=/tmp/physmem-stress-$1.log splats
	# PHYSMEM_STRESS_SKIP (kernel command line, run-vm --append): template
	# names to leave out, to tell one finding from another.
	run physmem-stress --seed "$1" --ops 100000 --deadline "$STRESS_DEADLINE" \
		${PHYSMEM_STRESS_SKIP:+--skip "$PHYSMEM_STRESS_SKIP"}
	printf '%s\n' "$output" >"$out"
	splats=$(dmesg | tail -n +$((dmesg_from + 1)) | grep -E -A8 "$SPLAT" | head -n 40)
	[ -z "$splats" ] || printf 'kernel log during the stress:\n%s\n' "$splats"
	# On failure: who holds what in the stress's BAR, and the driver's last words.
	if [ "$status" != 0 ]; then
		grep -E 'physmem|00:0[456]' /proc/iomem | sed 's/^/# iomem: /' >&3
		dmesg | tail -n +$((dmesg_from + 1)) | grep -v -E 'added window|removed window' |
			tail -n 30 | sed 's/^/# dmesg: /' >&3
	fi
	# On failure bats shows the whole output: violations come first.
	assert_success
	assert_line --regexp "^physmem-stress: seed $1 ops 100000 .* canary-changed 0 violations 0 elapsed [0-9.]+s$"
	refute_output --partial VIOLATION
	# The counts and the time, for the log.
	printf '%s\n' "$output" | grep -E '^physmem-stress: (seed|ops by|controller)' |
		sed 's/^/# /' >&3
	[ -z "$splats" ]
	# Every window is gone, and so is every claim (a 1-byte window's
	# claim once stayed behind and made the next add fail with EBUSY).
	run grep -F physmem: /proc/iomem
	assert_failure
}

@test "stress: seed 1, 100000 ops, canary intact, kernel log clean" {
	stress 1
}

@test "stress: seed from \$PHYSMEM_STRESS_SEED (default: the clock), same checks" {
	seed=${PHYSMEM_STRESS_SEED:-$(date +%s)}
	echo "# seed $seed" >&3
	stress "$seed"
}

@test "after the stress: no windows, edu2 present with its ident" {
	run physmem-t list
	assert_output ""
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ]
	EDU2=$(bar_start "$EDU2_BDF" 0)
	physmem-t add e2 pci "$EDU2_BDF" 0 >/dev/null
	run physmem-t read "$EDU2" 4
	physmem-t remove e2
	assert_output 0x010000ed
}
