#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The packages boot (tests/vm/run-vm --packages): a Debian 12 system with
# systemd, physmem installed from its .debs (tests/vm/mkpkgimage): the
# module that DKMS built, loaded at boot because the administrator listed it
# in /etc/modules-load.d, the policy that physmem-policy.service loaded and
# sealed at boot, the tools, the library and its -dev package, the bash
# completions and the udev rule. It runs first in that boot, before anyone
# touches the table, and in no other boot (tests/vm/run-suites); its last
# test leaves the boot-time policy off and the table empty, unsealed, for
# the suites after it.

load /tests/lib/guest

MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
T=/tmp/packages-bats

setup() {
	mkdir -p "$T"
	EDU=$(bar_start "$EDU_BDF" 0)
	EDU2=$(bar_start "$EDU2_BDF" 0)
	SHM=$(bar_start "$IVSHMEM_BDF" 2)
}

range_of() {	# BDF BAR -> "0xSTART-0xLAST" as physmem-policy show prints it
	printf '0x%x-0x%x' "$(bar_start "$1" "$2")" $(($(bar_start "$1" "$2") + $(bar_size "$1" "$2") - 1))
}

@test "the packages are installed, the module's as DKMS source only" {
	for p in physmem-dkms "libphys2" libphys-dev physmem-tools; do
		run dpkg-query -W -f='${Status}' "$p"
		assert_output "install ok installed"
	done
	run dpkg -L physmem-dkms
	assert_line --regexp '^/usr/src/physmem-[0-9.]+/dkms.conf$'
	refute_line --regexp '\.ko(\.[a-z]+)?$'
}

@test "physmem.ko loaded at boot is the one DKMS built for this kernel" {
	grep -q '^physmem ' /proc/modules
	run dkms status physmem
	assert_line --regexp "^physmem/[0-9.]+, $(uname -r), [a-z0-9_]+: installed\$"
	path=/lib/modules/$(uname -r)/updates/dkms/physmem.ko
	run modinfo -n physmem
	assert_output --regexp "^$path(\.[a-z]+)?\$"
	# The loaded module is that file (the build's srcversion), and there
	# is no other physmem.ko (make install puts one in extra/).
	run modinfo -F srcversion "$(modinfo -n physmem)"
	assert_output "$(cat /sys/module/physmem/srcversion)"
	run find /lib/modules -name 'physmem.ko*'
	assert_output --regexp "^$path(\.[a-z]+)?\$"
	# Built on the system, so no package owns it.
	run dpkg -S "$(modinfo -n physmem)"
	assert_failure
}

@test "systemd-modules-load loaded physmem at boot (/etc/modules-load.d)" {
	run systemctl show -P Result systemd-modules-load.service
	assert_output success
	run journalctl -b -o cat -t systemd-modules-load
	assert_output --partial "Inserted module 'physmem'"
}

@test "physmem-policy.service loaded the policy at boot and sealed it" {
	run systemctl is-active physmem-policy.service
	assert_output active
	run systemctl show -P Result physmem-policy.service
	assert_output success
	# It ran before this suite's unit started (After=physmem-policy.service).
	policy=$(systemctl show -P ActiveEnterTimestampMonotonic physmem-policy.service)
	tests=$(systemctl show -P ExecMainStartTimestampMonotonic physmem-tests.service)
	[ "$policy" -gt 0 ] && [ "$policy" -lt "$tests" ]
	run journalctl -b -o cat -u physmem-policy.service
	assert_output --partial "loaded 3 windows"
}

@test "physmem-policy show lists the policy's windows, sealed, without anyone running load" {
	run physmem-policy show
	assert_success
	assert_line -n 0 '# sealed: windows can'"'"'t change until the module is reloaded'
	assert_line --regexp "^edu +$(range_of $EDU_BDF 0) +rw uc +claimed,mmap +pci $EDU_BDF bar 0\$"
	assert_line --regexp "^edu2 +$(range_of $EDU2_BDF 0) +ro uc +claimed,mmap +pci $EDU2_BDF bar 0\$"
	assert_line --regexp "^shm +$(range_of $IVSHMEM_BDF 2) +ro uc +claimed,mmap +pci $IVSHMEM_BDF bar 2\$"
	run physmem-policy unload edu
	assert_failure 4
	assert_output --partial 'the window table is sealed'
}

@test "devmemtool from the package, with the packaged library, reads and writes edu" {
	run dpkg -S "$(command -v devmemtool)"
	assert_output --regexp '^physmem-tools: '
	run ldd "$(command -v devmemtool)"
	assert_line --regexp "^[[:space:]]libphys\.so\.2 => (/usr)?/lib/$MULTIARCH/libphys\.so\.2 "
	run dpkg -S "/usr/lib/$MULTIARCH/libphys.so.2"
	assert_output --regexp '^libphys2(:[a-z0-9]+)?: '
	run devmemtool -q r32 edu
	assert_success
	assert_output 0x010000ed
	# The liveness register reads back inverted; the factorial unit computes.
	run devmemtool -f - <<-'SCRIPT'
	w32 edu+0x04 0x12345678
	expect edu+0x04 0xedcba987
	w32 edu+0x08 5
	poll edu+0x20 0x1 0x0 2000
	expect edu+0x08 120
	SCRIPT
	assert_success
	# edu2's window is read-only: the policy holds.
	run devmemtool w32 edu2+0x04 1
	assert_failure
}

@test "libphys-dev: the header and pkg-config build a program against the installed library" {
	cat >"$T/ident.c" <<-'EOF'
	#include <libphys.h>
	#include <stdio.h>
	int main(void)
	{
		struct phys_ctx *ctx = phys_ctx_new();
		struct phys_map *map;
		uint32_t id;
		if (!ctx)
			return 1;
		map = phys_map_open(ctx, "edu", 0, PHYS_MAP_RDONLY);
		if (!map || phys_read32(map, 0, &id)) {
			fprintf(stderr, "%s\n", phys_ctx_errmsg(ctx));
			return 1;
		}
		printf("0x%08x\n", id);
		phys_map_close(map);
		phys_ctx_free(ctx);
		return 0;
	}
	EOF
	run dpkg -S /usr/include/libphys.h
	assert_output --regexp '^libphys-dev(:[a-z0-9]+)?: '
	run pkg-config --variable=libdir libphys
	assert_output "/usr/lib/$MULTIARCH"
	cc -o "$T/ident" "$T/ident.c" $(pkg-config --cflags --libs libphys)
	run ldd "$T/ident"
	assert_line --regexp "^[[:space:]]libphys\.so\.2 => (/usr)?/lib/$MULTIARCH/libphys\.so\.2 "
	run "$T/ident"
	assert_success
	assert_output 0x010000ed
	run dpkg -L libphys-dev
	assert_line --regexp '^/usr/share/man/man3/libphys\.3(\.gz)?$'
}

@test "bash-completion finds the completions; unload offers the loaded windows" {
	run bash -c '. /usr/share/bash-completion/bash_completion
		__load_completion devmemtool && complete -p devmemtool'
	assert_success
	assert_output --partial 'devmemtool'
	run bash -c '. /usr/share/bash-completion/bash_completion
		__load_completion physmem-policy || exit 1
		COMP_WORDS=(physmem-policy unload "")
		COMP_CWORD=2 COMP_LINE="physmem-policy unload " COMP_POINT=22
		_physmem_policy physmem-policy "" unload
		printf "%s\n" "${COMPREPLY[@]}" | sort'
	assert_success
	assert_output $'edu\nedu2\nshm'
}

@test "the udev rule gives /dev/physmem mode 0600, root's" {
	run dpkg -S 60-physmem.rules
	assert_output --regexp '^physmem-tools: /(usr/)?lib/udev/rules.d/60-physmem.rules$'
	run stat -c '%a %U %G' /dev/physmem
	assert_output "600 root root"
}

@test "a reloaded module gets the policy again from the unit; off, the table stays empty" {
	modprobe -r physmem
	modprobe physmem
	# The unit follows /dev/physmem (BindsTo): it ran again for the new one.
	for i in $(seq 50); do
		physmem-policy show 2>/dev/null | grep -q '^edu ' && break
		sleep 0.2
	done
	run physmem-policy show
	assert_line -n 0 --partial '# sealed'
	assert_line --regexp '^edu '
	# The other suites need an empty, unsealed table: the administrator
	# turns the boot-time policy off.
	systemctl mask --runtime physmem-policy.service
	systemctl stop physmem-policy.service
	modprobe -r physmem
	modprobe physmem
	udevadm settle
	run physmem-policy show
	assert_success
	assert_equal "${#lines[@]}" 1
}
