#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# One text format (phys_window_format) and one JSON schema
# (tools-common/window-json.c) for a window, whoever prints it:
# physmem-policy show and check, devmemtool windows, libphys-run windows.
# The driver is faked (fakedrv.bash).

load fakedrv

setup_file() {
	fakedrv_build
	make -s -C "$TOP/devmemtool" >/dev/null
	make -s -C "$TOP/physmem-policy" >/dev/null
}

setup() {
	fakedrv_setup
	window regs 0xfea00000 0x1000 rw mmap
	window id 0xfea01000 4
	window old 0xfea02000 0x1000 gone
	mkdir -p "$ROOT/proc"
	echo 'fea00000-feafffff : PCI Bus 0000:00' >"$ROOT/proc/iomem"
}

@test "show, devmemtool windows and libphys-run windows print the same lines" {
	[ "$(id -u)" = 0 ] || skip "physmem-policy show needs CAP_SYS_RAWIO"
	run fakedrv physmem-policy --root "$ROOT" show
	assert_success
	show=$output
	assert_line -n 0 --regexp '^NAME +RANGE +ACCESS +STATE +SOURCE$'
	assert_line -n 1 --regexp '^regs +0xfea00000-0xfea00fff +rw uc +claimed,mmap +range$'
	assert_line -n 2 --regexp '^id +0xfea01000-0xfea01003 +ro uc +claimed +range$'
	assert_line -n 3 --regexp '^old +0xfea02000-0xfea02fff +ro uc +gone +range$'
	run fakedrv devmemtool --sysroot "$ROOT" windows
	assert_success
	assert_equal "$output" "$show"
	run fakedrv "$TOP/tests/host/progs/libphys-run" -s "$ROOT" - windows
	assert_success
	assert_equal "$output" "$(tail -n +2 <<<"$show")"
}

@test "check prints a rule in the columns of show, with state '-'" {
	[ "$(id -u)" = 0 ] || skip "physmem-policy show needs CAP_SYS_RAWIO"
	printf 'allow regs range 0xfea00000 +4K rw\n' >"$BATS_TEST_TMPDIR/p.conf"
	run physmem-policy --root "$ROOT" check "$BATS_TEST_TMPDIR/p.conf"
	assert_success
	check=${lines[1]}
	assert_equal "$check" "$(printf '%-16s %-37s %-12s %-14s %s' regs 0xfea00000-0xfea00fff 'rw uc' - \
		'range 0xfea00000 +0x1000')"
	run fakedrv physmem-policy --root "$ROOT" show
	# the same columns up to STATE
	assert_equal "${check:0:68}" "${lines[1]:0:68}"
}

@test "show --json and devmemtool --json windows: one schema" {
	[ "$(id -u)" = 0 ] || skip "physmem-policy show needs CAP_SYS_RAWIO"
	run fakedrv physmem-policy --root "$ROOT" show --json
	assert_success
	show=$(python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["windows"], sort_keys=True))' <<<"$output")
	run fakedrv devmemtool --sysroot "$ROOT" --json windows
	assert_success
	dmt=$(python3 -c '
import json, sys
ws = [json.loads(l) for l in sys.stdin if l.strip()]
for w in ws:
    assert w.pop("cmd") == "windows"
print(json.dumps(ws, sort_keys=True))' <<<"$output")
	assert_equal "$dmt" "$show"
	run python3 -c 'import json, sys; w = json.loads(sys.argv[1])[0]; print(sorted(w.items()))' "$show"
	assert_output "[('access', 'rw'), ('base', 4271898624), ('cache', 'uc'), ('claimed', True), ('gone', False), ('mmap', True), ('name', 'regs'), ('pages', False), ('shared', False), ('size', 4096), ('source', 'range')]"
}
