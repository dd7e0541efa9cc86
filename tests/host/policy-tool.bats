#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-policy on the host: command line, check with and without
# resolution (a fake /proc/iomem under --root), exit codes, and capability
# messages. Driver-facing behaviour is tested in the VM (tests/vm/guest/policy-*).

load ../lib/common

setup() {
	R="$BATS_TEST_TMPDIR/root"
	mkdir -p "$R/proc" "$R/etc/physmem/physmem.d"
	cat > "$R/proc/iomem" <<-'EOF2'
	00000000-00000fff : Reserved
	00001000-0009fbff : System RAM
	00100000-3fffffff : System RAM
	fed00000-fed003ff : HPET 0
	  fed00000-fed003ff : PNP0103:00
	fed40000-fed40fff : TPM
	fed41000-fed41fff : TPM
	fee00000-fee00fff : Reserved
	EOF2
}

@test "--help and --version, for the tool and for each command" {
	run physmem-policy --help
	assert_success
	assert_output --partial 'Usage: physmem-policy [--root DIR] COMMAND'
	for c in check load show unload seal; do
		assert_output --partial "  $c "
		run physmem-policy "$c" --help
		assert_success
		assert_line -n 0 --partial "Usage: physmem-policy [--root DIR] $c"
		run physmem-policy --help
	done
	run physmem-policy --version
	assert_success
	assert_output "physmem-policy $(sed -n 's/^VERSION *:= *//p' "$TOP/config.mk")"
}

@test "usage errors: one line, exit 2" {
	run physmem-policy
	assert_failure 2
	assert_output "physmem-policy: expected a command: check, load, show, unload or seal (see 'physmem-policy --help')"
	run physmem-policy frob
	assert_failure 2
	assert_output "physmem-policy: unknown command 'frob': expected check, load, show, unload or seal"
	run physmem-policy check --frob
	assert_failure 2
	assert_output "physmem-policy: check: unknown option '--frob' (see 'physmem-policy check --help')"
	run physmem-policy show extra
	assert_failure 2
	assert_output "physmem-policy: show: unexpected argument 'extra'"
	run physmem-policy unload
	assert_failure 2
	assert_output "physmem-policy: unload: expected window names or --all (not both)"
	run physmem-policy unload --all edu
	assert_failure 2
}

@test "check --no-resolve: the windows as written, ranges resolved, others '-'" {
	printf 'allow edu pci 1234:11e8 bar 0 rw\nallow fpga range 0xc0000000 +64K rw\n' > "$BATS_TEST_TMPDIR/p.conf"
	run physmem-policy check --no-resolve "$BATS_TEST_TMPDIR/p.conf"
	assert_success
	# the one window format (phys_window_format), as show and devmemtool print it
	assert_line -n 0 --regexp '^NAME +RANGE +ACCESS +STATE +SOURCE$'
	assert_line -n 1 --regexp '^edu +- +rw uc +- +pci 1234:11e8 bar 0$'
	assert_line -n 2 --regexp '^fpga +0xc0000000-0xc000ffff +rw uc +- +range 0xc0000000 \+0x10000$'
}

@test "check: syntax errors are FILE:LINE:COL on one line, exit 1" {
	printf 'allow ok range 0 +1\nallow bad pci 1234:11e8 bar 9\n' > "$BATS_TEST_TMPDIR/p.conf"
	run physmem-policy check --no-resolve "$BATS_TEST_TMPDIR/p.conf"
	assert_failure 1
	assert_output "$BATS_TEST_TMPDIR/p.conf:2:29: bad BAR '9': expected 0 to 5"
}

@test "check: default files under --root (and PHYSMEM_ROOT), physmem.d after physmem.conf" {
	printf 'allow a range 0x1000 +1\n' > "$R/etc/physmem/physmem.conf"
	printf 'allow b range 0x2000 +1\n' > "$R/etc/physmem/physmem.d/10.conf"
	run physmem-policy --root "$R" check --no-resolve
	assert_success
	assert_line -n 1 --regexp '^a +0x1000-0x1000 '
	assert_line -n 2 --regexp '^b +0x2000-0x2000 '
	PHYSMEM_ROOT="$R" run physmem-policy check --no-resolve
	assert_success
	assert_line -n 2 --regexp '^b +0x2000-0x2000 '
}

@test "check: iomem labels resolve, with offset; ambiguity lists the candidates" {
	printf 'allow hpet iomem "HPET 0" offset 0x100\nallow tpm iomem "TPM"#1 ro\n' > "$R/etc/physmem/physmem.conf"
	run physmem-policy --root "$R" check
	assert_success
	assert_line -n 1 --regexp '^hpet +0xfed00100-0xfed003ff +ro uc +- +iomem "HPET 0" offset 0x100$'
	assert_line -n 2 --regexp '^tpm +0xfed41000-0xfed41fff +ro uc +- +iomem "TPM"#1$'
	printf 'allow r iomem "Reserved"\n' > "$R/etc/physmem/physmem.conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output "$R/etc/physmem/physmem.conf:1:1: rule 'r': label \"Reserved\" is ambiguous, add #N: #0 0x0-0xfff, #1 0xfee00000-0xfee00fff"
	printf 'allow r iomem "Reserved"#2\n' > "$R/etc/physmem/physmem.conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output "$R/etc/physmem/physmem.conf:1:1: rule 'r': no region \"Reserved\"#2 in /proc/iomem (found 2)"
	printf 'allow r iomem "Nope"\n' > "$R/etc/physmem/physmem.conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output "$R/etc/physmem/physmem.conf:1:1: rule 'r': no region labelled \"Nope\" in /proc/iomem"
}

@test "check: offset/size beyond an iomem region and overlapping rules are errors" {
	printf 'allow h iomem "HPET 0" offset 0x400\n' > "$R/etc/physmem/physmem.conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output "$R/etc/physmem/physmem.conf:1:1: rule 'h': offset/size leave the source: iomem \"HPET 0\" offset 0x400 is 0x400 bytes"
	printf 'allow h iomem "HPET 0"\n# x\nallow r range 0xfed003ff +2\n' > "$R/etc/physmem/physmem.conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output "$R/etc/physmem/physmem.conf:3:1: rule 'r' overlaps rule 'h' ($R/etc/physmem/physmem.conf:1:1): 0xfed003ff-0xfed00400 and 0xfed00000-0xfed003ff"
}

@test "check: an iomem label has no limit on #N" {
	for i in $(seq 0 11); do printf 'fe%02x0000-fe%02x0fff : many\n' $i $i; done >> "$R/proc/iomem"
	printf 'allow m iomem "many"#11\n' > "$R/etc/physmem/physmem.conf"
	run physmem-policy --root "$R" check
	assert_success
	assert_line -n 1 --regexp '^m +0xfe0b0000-0xfe0b0fff '
	printf 'allow m iomem "many"\n' > "$R/etc/physmem/physmem.conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output --regexp "rule 'm': label \"many\" is ambiguous, add #N: #0 0xfe000000-0xfe000fff, .* #7 0xfe070000-0xfe070fff, \.\.\.$"
}

@test "check: System RAM and firmware memory are refused as the driver refuses them" {
	conf="$R/etc/physmem/physmem.conf"
	printf 'allow ram range 0x100000 +1M rw\n' > "$conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output "$conf:1:1: rule 'ram': 0x100000-0x1fffff covers System RAM (0x100000-0x3fffffff in /proc/iomem): memory is never a window"
	# boundaries: the last byte before RAM is fine, one more is not
	printf 'allow hole range 0xa0000 +0x60000 rw\n' > "$conf"
	run physmem-policy --root "$R" check
	assert_success
	assert_line -n 1 --regexp '^hole +0xa0000-0xfffff '
	printf 'allow hole range 0xa0000 +0x60001 rw\n' > "$conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output --partial "rule 'hole': 0xa0000-0x100000 covers System RAM"
	# 'pages' windows are checked rounded out to pages, as the driver rounds them
	printf 'allow edge range 0x9fc00 +0x10 rw\n' > "$conf"
	run physmem-policy --root "$R" check
	assert_success
	printf 'allow ok range 0xc0000000 +4K\nallow edge range 0x9fc00 +0x10 rw pages\n' > "$conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output "$conf:2:1: rule 'edge': 0x9f000-0x9ffff covers System RAM (0x1000-0x9fbff in /proc/iomem): memory is never a window"
	# firmware memory, also when a label names it
	printf 'allow lapic iomem "Reserved"#1 ro\n' > "$conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output "$conf:1:1: rule 'lapic': 0xfee00000-0xfee00fff covers firmware-reserved memory (0xfee00000-0xfee00fff in /proc/iomem): memory is never a window"
	for label in "ACPI Tables:ACPI tables" "ACPI Non-volatile Storage:ACPI non-volatile storage" \
		     "Soft Reserved:soft-reserved memory" "Persistent Memory:persistent memory" \
		     "Persistent Memory (legacy):persistent memory"; do
		printf 'c0000000-c0000fff : %s\n' "${label%%:*}" > "$R/proc/iomem"
		printf 'allow x range 0xc0000800 +1\n' > "$conf"
		run physmem-policy --root "$R" check
		assert_failure 1
		assert_output --partial "covers ${label#*:} (0xc0000000-0xc0000fff in /proc/iomem)"
	done
	# --no-resolve does not look at this machine
	printf 'allow ram range 0x100000 +1M rw\n' > "$conf"
	run physmem-policy --root "$R" check --no-resolve
	assert_success
}

@test "check as non-root: zeroed /proc/iomem addresses are an error naming why, never 0x0-0x0" {
	conf="$R/etc/physmem/physmem.conf"
	# what the kernel shows a process without CAP_SYS_ADMIN
	sed -E 's/^( *)[0-9a-f]+-[0-9a-f]+ /\100000000-00000000 /' -i "$R/proc/iomem"
	printf 'allow hpet iomem "HPET 0"\n' > "$conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output "$conf:1:1: rule 'hpet': cannot resolve iomem \"HPET 0\": /proc/iomem hides addresses from this process: reading them needs CAP_SYS_ADMIN (run as root)"
	printf 'allow fpga range 0xc0000000 +4K\n' > "$conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output "$conf:1:1: rule 'fpga': cannot tell whether 0xc0000000-0xc0000fff covers System RAM: /proc/iomem hides addresses from this process: reading them needs CAP_SYS_ADMIN (run as root)"
	run physmem-policy --root "$R" check --no-resolve
	assert_success
	# an unreadable /proc/iomem: named as well
	rm "$R/proc/iomem"
	printf 'allow hpet iomem "HPET 0"\n' > "$conf"
	run physmem-policy --root "$R" check
	assert_failure 1
	assert_output "$conf:1:1: rule 'hpet': cannot resolve iomem \"HPET 0\": cannot read $R/proc/iomem: No such file or directory"
}

@test "load/unload/seal without CAP_SYS_ADMIN: the capability is named, exit 3" {
	command -v capsh >/dev/null || skip "capsh not installed"
	[ "$(id -u)" = 0 ] || skip "needs root to drop a capability it has"
	printf 'allow a range 0x1000 +1\n' > "$BATS_TEST_TMPDIR/p.conf"
	bin="$(command -v physmem-policy)"
	for cmd in "load $BATS_TEST_TMPDIR/p.conf" "unload --all" "seal"; do
		run capsh --drop=cap_sys_admin -- -c "exec $bin $cmd"
		assert_failure 3
		assert_output --regexp "^physmem-policy: cannot [a-z ]+: needs CAP_SYS_ADMIN: run as root, or \`setcap cap_sys_admin\+ep $(readlink -f "$bin")\`$"
	done
	run capsh --drop=cap_sys_rawio -- -c "exec $bin show"
	assert_failure 3
	assert_output "physmem-policy: cannot open /dev/physmem: needs CAP_SYS_RAWIO: run as root, or \`setcap cap_sys_rawio+ep $(readlink -f "$bin")\` with /dev/physmem opened to your group (see physmem(4))"
}

@test "load: nothing is sent when the device is absent (fake root), exit 4" {
	printf 'allow a range 0xc0000000 +1\n' > "$R/etc/physmem/physmem.conf"
	[ "$(id -u)" = 0 ] || skip "needs CAP_SYS_ADMIN to get past the capability check"
	run physmem-policy --root "$R" load
	assert_failure 4
	assert_output "physmem-policy: $R/dev/physmem does not exist: the physmem driver is not loaded (modprobe physmem)"
}
