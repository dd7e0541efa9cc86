#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-policy against the real driver: resolution of edu by ID, by
# address and #1, an iomem label, load/show/unload, all-or-nothing loads
# that keep live mappings, least privilege for a non-root group member, and
# seal (last: it reloads the module). Each test leaves no windows behind.

load /tests/lib/guest

EDU_ID=1234:11e8
P=/tmp/policy-test

setup() {
	mkdir -p "$P"
	EDU=$(printf '0x%x' "$(bar_start $EDU_BDF 0)")
}

teardown() {
	physmem-policy unload --all >/dev/null 2>&1 || true
	chgrp root /dev/physmem 2>/dev/null; chmod 0600 /dev/physmem 2>/dev/null
	rm -rf "$P"
}

range_of() {	# BDF BAR -> "0xSTART-0xLAST" as check prints it
	printf '0x%x-0x%x' "$(bar_start "$1" "$2")" $(($(bar_start "$1" "$2") + $(bar_size "$1" "$2") - 1))
}

@test "check: edu by vendor:device and by address resolve to its BAR 0" {
	printf 'allow a pci %s bar 0 rw\nallow b pci %s bar 0 offset 0x20 size 4 ro\n' \
		$EDU_ID $EDU_BDF > $P/p.conf
	run physmem-policy check $P/p.conf
	assert_failure 1
	assert_output --partial "$P/p.conf:2:1: rule 'b' overlaps rule 'a'"
	sed -n 1p $P/p.conf > $P/a.conf
	run physmem-policy check $P/a.conf
	assert_success
	assert_line --regexp "^a +$(range_of $EDU_BDF 0) +rw uc +- +pci 1234:11e8 bar 0 \\($EDU_BDF\\)\$"
	sed -n 2p $P/p.conf > $P/b.conf
	run physmem-policy check $P/b.conf
	assert_success
	assert_line --regexp "^b +$(printf '0x%x-0x%x' $((EDU + 0x20)) $((EDU + 0x23))) +ro uc +- +pci $EDU_BDF bar 0 offset 0x20 size 0x4\$"
}

@test "check: #1 selects the second edu (0000:00:05.0); #2 does not exist" {
	[ -e /sys/bus/pci/devices/$EDU2_BDF ] ||
		fail "second edu $EDU2_BDF is gone (removed by an earlier suite?): policy-* must run before it is removed"
	printf 'allow two pci %s#1 bar 0\n' $EDU_ID > $P/p.conf
	run physmem-policy check $P/p.conf
	assert_success
	assert_line --regexp "^two +$(range_of $EDU2_BDF 0) +ro uc +- +pci 1234:11e8#1 bar 0 \\($EDU2_BDF\\)\$"
	printf 'allow three pci %s#2 bar 0\n' $EDU_ID > $P/p.conf
	run physmem-policy check $P/p.conf
	assert_failure 1
	assert_output "$P/p.conf:1:1: rule 'three': no PCI device 1234:11e8#2 (found 2 with that ID)"
}

# bats test_tags=x86-hpet
@test "check: the HPET's iomem label resolves to its /proc/iomem range" {
	hpet=$(grep -m1 ': HPET 0$' /proc/iomem | sed 's/^ *//; s/ :.*//')
	[ -n "$hpet" ] || fail "no 'HPET 0' in /proc/iomem"
	printf 'allow hpet iomem "HPET 0"\n' > $P/p.conf
	run physmem-policy check $P/p.conf
	assert_success
	assert_line --regexp "^hpet +0x0*${hpet%-*}-0x0*${hpet#*-} +ro uc +- +iomem \"HPET 0\"\$"
}

# bats test_tags=x86-hpet
@test "load/show/unload: windows appear, read through the driver, and go" {
	printf 'allow edu pci %s bar 0 rw\nallow hpet iomem "HPET 0"\n' $EDU_ID > $P/p.conf
	run physmem-policy load $P/p.conf
	assert_success
	assert_output "loaded 2 windows"
	run physmem-policy show
	assert_success
	assert_line -n 0 --regexp '^NAME +RANGE +ACCESS +STATE +SOURCE$'
	assert_line --regexp "^edu +$(range_of $EDU_BDF 0) +rw uc +claimed,mmap +pci $EDU_BDF bar 0\$"
	assert_line --regexp '^hpet +0x[0-9a-f]+-0x[0-9a-f]+ +ro uc +claimed.* +iomem "HPET 0"#0$'
	run physmem-t read $EDU 4
	assert_output --partial 0x010000ed
	run physmem-policy show --json
	assert_success
	assert_output --partial '"name":"edu"'
	assert_output --partial "\"source\":\"pci $EDU_BDF bar 0\""
	assert_output --partial '"sealed":false'
	run physmem-policy unload edu
	assert_success
	run physmem-policy show
	refute_line --regexp '^edu '
	assert_line --regexp '^hpet '
	run physmem-policy unload nope hpet
	assert_failure 1
	assert_output "physmem-policy: unload: no window named 'nope' is loaded; nothing changed"
	run physmem-policy show
	assert_line --regexp '^hpet '
	run physmem-policy unload --all
	assert_success
	run physmem-policy show
	assert_equal "${#lines[@]}" 1
}

@test "load: a bad rule in the middle keeps the old windows and their live mappings" {
	printf 'allow edu pci %s bar 0 rw\n' $EDU_ID > $P/good.conf
	physmem-policy load $P/good.conf
	printf 'allow edu pci %s bar 0 rw\nallow ghost pci %s#7 bar 0\nallow r range 0xc0000000 +4K\n' \
		$EDU_ID $EDU_ID > $P/bad.conf
	run physmem-t mrun $EDU physmem-policy load $P/bad.conf
	assert_line -n 0 'before 0x010000ed'
	assert_line "$P/bad.conf:2:1: rule 'ghost': no PCI device 1234:11e8#7 (found 2 with that ID)"
	assert_line 'cmd exit 1'
	assert_line 'after 0x010000ed'
	run physmem-policy show
	assert_line --regexp '^edu '
	refute_line --regexp '^r '
}

@test "load: a rule over System RAM is refused before the driver is asked; nothing changes" {
	printf 'allow edu pci %s bar 0 rw\n' $EDU_ID > $P/good.conf
	physmem-policy load $P/good.conf
	ram=$(grep -m1 ': System RAM$' /proc/iomem | sed 's/^ *//; s/ :.*//')
	first=$(printf '0x%x' $((16#${ram%-*}))) last=$(printf '0x%x' $((16#${ram#*-})))
	printf 'allow edu pci %s bar 0 rw\nallow ram range %s +4K\n' $EDU_ID $first > $P/bad.conf
	run physmem-t mrun $EDU physmem-policy load $P/bad.conf
	assert_line -n 0 'before 0x010000ed'
	# libphys applies the driver's rule in user space, naming the rule and region
	assert_line --regexp "^$P/bad.conf:2:1: rule 'ram': 0x[0-9a-f]+-0x[0-9a-f]+ covers System RAM \\($first-$last in /proc/iomem\\): memory is never a window\$"
	assert_line 'cmd exit 1'
	assert_line 'after 0x010000ed'
	run physmem-policy show
	assert_line --regexp '^edu '
	refute_line --regexp '^ram '
}

# bats test_tags=x86-hpet
@test "load: unchanged windows keep their mappings, removed ones are revoked" {
	printf 'allow edu pci %s bar 0 rw\n' $EDU_ID > $P/one.conf
	printf 'allow edu pci %s bar 0 rw\nallow hpet iomem "HPET 0"\n' $EDU_ID > $P/two.conf
	physmem-policy load $P/one.conf
	run physmem-t mrun $EDU physmem-policy load $P/two.conf
	assert_line 'cmd exit 0'
	assert_line 'after 0x010000ed'
	printf 'allow hpet iomem "HPET 0"\n' > $P/three.conf
	run physmem-t mrun $EDU physmem-policy load $P/three.conf
	assert_line 'cmd exit 0'
	assert_line 'SIGBUS'
}

@test "ivshmem: written through a loaded window (checked on the host)" {
	printf 'allow shm pci %s bar 2 offset 0x80000 size 0x20000 rw\n' $IVSHMEM_BDF > $P/p.conf
	physmem-policy load $P/p.conf
	base=$(( $(bar_start $IVSHMEM_BDF 2) + 0x80000 ))
	run physmem-t write $(printf '0x%x' $base) 4 0x504f4c59
	assert_success
	run physmem-t read $(printf '0x%x' $base) 4
	assert_output --partial 0x504f4c59
	run physmem-t write $(printf '0x%x' $((base + 0x20000))) 4 1
	assert_failure
}

@test "least privilege: a group member with cap_sys_rawio on the binary reads; without it, a clear message" {
	printf 'allow edu pci %s bar 0 ro\n' $EDU_ID > $P/p.conf
	physmem-policy load $P/p.conf
	# Add the group and the user by hand (the initramfs has no useradd);
	# a shadow entry too where there is /etc/shadow, else PAM's su (the
	# packages boot's Debian) refuses a user it has no account for.
	grep -q '^physmem:' /etc/group || echo 'physmem:x:990:pmuser' >> /etc/group
	grep -q '^pmuser:' /etc/passwd || echo 'pmuser:x:990:990::/tmp:/bin/sh' >> /etc/passwd
	[ ! -f /etc/shadow ] || grep -q '^pmuser:' /etc/shadow || echo 'pmuser:!:19000:0:99999:7:::' >> /etc/shadow
	# The documented udev override: the node opened to one group.
	chgrp physmem /dev/physmem
	chmod 0660 /dev/physmem
	cp "$(command -v policy-peek)" $P/peek-cap
	cp "$(command -v policy-peek)" $P/peek-plain
	chmod 0755 $P $P/peek-cap $P/peek-plain
	setcap cap_sys_rawio+ep $P/peek-cap
	run getcap $P/peek-cap
	assert_output --partial 'cap_sys_rawio'
	run su pmuser -s /bin/sh -c "$P/peek-cap read $EDU"
	assert_success
	assert_output 0x010000ed
	run su pmuser -s /bin/sh -c "$P/peek-cap caps"
	assert_line 'CapInh:	0000000000000000'
	assert_line 'CapPrm:	0000000000020000'
	assert_line 'CapEff:	0000000000020000'
	assert_line 'CapAmb:	0000000000000000'
	run su pmuser -s /bin/sh -c "$P/peek-plain read $EDU"
	assert_failure 3
	assert_output "policy-peek: cannot open /dev/physmem: needs CAP_SYS_RAWIO: run as root, or \`setcap cap_sys_rawio+ep $P/peek-plain\` with /dev/physmem opened to your group (see physmem(4))"
	run su pmuser -s /bin/sh -c "physmem-policy unload --all"
	assert_failure 3
	assert_output --partial 'needs CAP_SYS_ADMIN'
}

@test "seal: no change is accepted until the module is reloaded" {
	printf 'allow edu pci %s bar 0 rw\n' $EDU_ID > $P/p.conf
	physmem-policy load $P/p.conf
	run physmem-policy seal
	assert_success
	run physmem-policy show
	assert_line -n 0 '# sealed: windows can'"'"'t change until the module is reloaded'
	run physmem-policy show --json
	assert_output --partial '"sealed":true'
	run physmem-policy unload --all
	assert_failure 4
	assert_output --partial 'the window table is sealed'
	run physmem-policy load $P/p.conf
	assert_failure 4
	run physmem-policy show
	assert_line --regexp '^edu '
	modprobe -r physmem
	modprobe physmem
	run physmem-policy show
	assert_success
	assert_equal "${#lines[@]}" 1
}
