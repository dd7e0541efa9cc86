#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The bash completion of devmemtool and physmem-policy
# (devmemtool/devmemtool.bash-completion,
# physmem-policy/physmem-policy.bash-completion): what `complete -p` says,
# and the candidates for command lines, computed by the registered function
# in a bash with bash-completion loaded, as Tab would. The driver's table
# is faked (fakedrv.bash), PCI devices by a fake sysfs under --sysroot.

load fakedrv

BASHCOMP=/usr/share/bash-completion/bash_completion
DMT_COMP="$TOP/devmemtool/devmemtool.bash-completion"
POL_COMP="$TOP/physmem-policy/physmem-policy.bash-completion"

setup_file() {
	fakedrv_build
	make -s -C "$TOP/devmemtool" >/dev/null
	make -s -C "$TOP/physmem-policy" >/dev/null
}

setup() {
	[ -r "$BASHCOMP" ] || fail "bash-completion is not installed (scripts/install-deps)"
	fakedrv_setup
	window regs 0xfea00000 0x1000 rw mmap
	window id 0xfea01000 4
	# The tools as the completion runs them (by name, from PATH), with the
	# fake driver.
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	for p in devmemtool/devmemtool physmem-policy/physmem-policy; do
		printf '#!/bin/sh\nLD_PRELOAD='"'%s'"' exec "%s" "$@"\n' "$FAKEDRV_PRELOAD" "$TOP/$p" \
			>"$BATS_TEST_TMPDIR/bin/${p#*/}"
		chmod +x "$BATS_TEST_TMPDIR/bin/${p#*/}"
	done
	export PATH="$BATS_TEST_TMPDIR/bin:$PATH"
	export PHYSMEM_REGMAP_PATH="$BATS_TEST_TMPDIR/maps"
	D="$BATS_TEST_TMPDIR/d"
	mkdir -p "$D/sub" "$PHYSMEM_REGMAP_PATH"
	: >"$D/mem.bin"
	: >"$D/board.conf"
	: >"$D/notes.txt"
}

# comp [--plain] LINE: the candidates bash offers for LINE, the cursor at
# its end, sorted, one a line, then the compopt options the function set
# ("compopt -o nospace"). COMP_WORDS split as readline does with the
# default COMP_WORDBREAKS: blanks separate words, ':' and '=' are words of
# their own. --plain: without bash-completion loaded.
comp() {
	local lib=$BASHCOMP
	if [ "$1" = --plain ]; then
		lib=/dev/null
		shift
	fi
	bash --norc --noprofile -c '
		source "$1"; source "$2"; source "$3"
		line=$4 w="" words=()
		for ((k = 0; k < ${#line}; k++)); do
			c=${line:k:1}
			case $c in
			" ") [[ -n $w ]] && words+=("$w"); w="" ;;
			: | =) [[ -n $w ]] && words+=("$w"); w=""; words+=("$c") ;;
			*) w+=$c ;;
			esac
		done
		if [[ $line == *" " ]]; then words+=(""); elif [[ -n $w ]]; then words+=("$w"); fi
		COMP_WORDS=("${words[@]}") COMP_CWORD=$((${#words[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line} COMP_TYPE=9 COMP_KEY=9
		spec=$(complete -p "${words[0]}") || exit 1
		fn=${spec#*-F } fn=${fn%% *}
		opts=()
		compopt() { opts+=("compopt $*"); }
		COMPREPLY=()
		"$fn" "${words[0]}" "${words[COMP_CWORD]}" "${words[COMP_CWORD - 1]}"
		((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}" | sort
		((${#opts[@]})) && printf "%s\n" "${opts[@]}" | sort -u
		true
	' comp "$lib" "$DMT_COMP" "$POL_COMP" "$1"
}

# make_dev BDF VENDOR DEVICE BAR0_START BAR0_END: a PCI device in the fake
# sysfs, BAR 0 a memory BAR (unassigned when BAR0_START is 0).
make_dev() {
	fake_pci_dev "$ROOT/sys/bus/pci/devices/$1" "$2" "$3"
	fake_pci_bars "$ROOT/sys/bus/pci/devices/$1" "$4-$5"
}

@test "complete -p names the scripts' functions" {
	run bash --norc --noprofile -c "source $BASHCOMP; source $DMT_COMP; source $POL_COMP
		complete -p devmemtool physmem-policy"
	assert_success
	assert_output "complete -F _devmemtool devmemtool
complete -F _physmem_policy physmem-policy"
}

@test "devmemtool: every option of --help is offered, and only options" {
	run comp "devmemtool -"
	assert_success
	offered=$output
	opts=$(devmemtool --help | sed -n '/^Options:/,/^$/p' | grep -oE '^ {2,6}(-[a-zA-Z], )?--[a-z-]+|^ {2}-[a-zA-Z]' |
		grep -oE -- '-[-a-zA-Z]+')
	[ "$(wc -w <<<"$opts")" -ge 20 ]
	for o in $opts; do
		grep -qx -- "$o" <<<"$offered" || fail "$o is not offered"
	done
	refute_line --regexp '^[^-]'
	run comp "devmemtool --sys"
	assert_output "--sysroot"
	run comp "devmemtool --frob"
	assert_output ""
}

@test "devmemtool: every command of 'devmemtool help' is offered, the same as the REPL's" {
	run comp "devmemtool "
	assert_success
	offered=$output
	cmds=$(devmemtool help | sed -n 's/^  \([a-z][a-z0-9]*\) .*/\1/p; s/^  \([a-z][a-z0-9]*\)$/\1/p')
	[ "$(wc -l <<<"$cmds")" -ge 50 ]
	for c in $cmds; do
		grep -qx -- "$c" <<<"$offered" || fail "$c is not offered"
	done
	assert_equal "$(sort <<<"$cmds")" "$offered"
	run comp "devmemtool -j --sysroot $ROOT r3"
	assert_output "r32"
	run comp "devmemtool help w1"
	assert_output "w16"
	# no word of another tool, nothing for an unknown prefix
	run comp "devmemtool unlo"
	assert_output ""
	run comp "devmemtool frob"
	assert_output ""
}

@test "devmemtool: option arguments: backends, directories, register maps, script files" {
	run comp "devmemtool -b "
	assert_output "$(printf '%s\n' auto devmem file physmem pread sysfs)"
	run comp "devmemtool --backend p"
	assert_output "$(printf '%s\n' physmem pread)"
	run comp "devmemtool --sysroot $D/"
	assert_line "$D/sub"
	refute_line "$D/mem.bin"
	# installed maps by name (PHYSMEM_REGMAP_PATH) and map files
	: >"$PHYSMEM_REGMAP_PATH/uart.regmap"
	: >"$PHYSMEM_REGMAP_PATH/soc.svd"
	: >"$D/board.regmap"
	run comp "devmemtool --regmap "
	assert_line "uart"
	assert_line "soc"
	refute_line "edu"
	run comp "devmemtool --regmap $D/"
	assert_line "$D/board.regmap"
	assert_line "$D/sub"
	refute_line "$D/notes.txt"
	# without PHYSMEM_REGMAP_PATH: the user's maps under XDG_DATA_HOME too
	mkdir -p "$BATS_TEST_TMPDIR/xdg/physmem/regmaps"
	: >"$BATS_TEST_TMPDIR/xdg/physmem/regmaps/mine.xml"
	(
		unset PHYSMEM_REGMAP_PATH
		cd "$D/sub"
		XDG_DATA_HOME="$BATS_TEST_TMPDIR/xdg" comp "devmemtool --regmap mi"
	) >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "mine"
	run comp "devmemtool -f $D/m"
	assert_line "$D/mem.bin"
	# a script's arguments are not commands
	run comp "devmemtool -f $D/mem.bin $D/n"
	assert_line "$D/notes.txt"
	refute_line "r32"
}

@test "devmemtool: window names from the loaded table, target prefixes, no blank after a target" {
	run comp "devmemtool --sysroot $ROOT r32 "
	assert_success
	assert_line "regs"
	assert_line "id"
	assert_line "pci:"
	assert_line "iomem:"
	assert_line "file:"
	assert_line "compopt -o nospace"
	run comp "devmemtool --sysroot $ROOT dump re"
	assert_output "regs
compopt -o nospace"
	# the table as loaded now: a removed window is gone
	sed -i '/^regs /d' "$FAKEDRV_WINDOWS"
	run comp "devmemtool --sysroot=$ROOT dump re"
	assert_output ""
	# irqwait and buf: windows, then their keywords, with a blank after
	run comp "devmemtool --sysroot $ROOT irqwait "
	assert_output "id"
	run comp "devmemtool --sysroot $ROOT irqwait id 100 "
	assert_output "mode"
	run comp "devmemtool --sysroot $ROOT irqwait id 100 mode "
	assert_output "$(printf '%s\n' intx msi)"
	run comp "devmemtool --sysroot $ROOT buf alloc 4096 "
	assert_output "for"
}

@test "devmemtool: pci: targets by ID, #N and address from sysfs; the pci command's filters" {
	make_dev 0000:00:04.0 0x1234 0x11e8 0xfea00000 0xfeafffff
	make_dev 0000:00:05.0 0x1234 0x11e8 0xfeb00000 0xfebfffff
	make_dev 0000:00:06.0 0x1af4 0x1110 0 0xfffff
	run comp "devmemtool --sysroot $ROOT r32 pci:"
	assert_success
	# with ':' a word break, each candidate from the last ':' on
	assert_output "0000:00:04.0/bar0
0000:00:05.0/bar0
1234:11e8#1/bar0
1234:11e8/bar0
compopt -o nospace"
	run comp "devmemtool --sysroot $ROOT r32 pci:1234:11e8#"
	assert_output "11e8#1/bar0
compopt -o nospace"
	# the unassigned BAR of 00:06.0 is no target
	run comp "devmemtool --sysroot $ROOT r32 pci:0000:00:06"
	assert_output ""
	run comp "devmemtool --sysroot $ROOT pci "
	assert_output "$(printf '%s\n' 0000:00:04.0 0000:00:05.0 0000:00:06.0 1234:11e8 1af4:1110)"
	run comp "devmemtool --sysroot $ROOT pci 1a"
	assert_output "1af4:1110"
}

@test "devmemtool: the registers and fields of --regmap maps, a field's value names" {
	chip="$TOP/tests/host/regmaps/devmemtool/chip.regmap"
	run comp "devmemtool --regmap $chip r UARTX.C"
	assert_output "UARTX.CR
UARTX.CR.EN
UARTX.CR.PAR
compopt -o nospace"
	run comp "devmemtool --regmap=$chip w UARTX.CR.PAR "
	assert_output "EVEN
NONE
ODD
compopt -o nospace"
	# without the map, no register names
	run comp "devmemtool r UARTX.C"
	assert_output ""
}

@test "devmemtool: file names for file: targets and source" {
	run comp "devmemtool r32 file:$D/me"
	assert_output "$D/mem.bin
compopt -o nospace"
	run comp "devmemtool r32 file:$D/s"
	assert_output "$D/sub/
compopt -o nospace"
	run comp "devmemtool source $D/n"
	assert_line "$D/notes.txt"
	refute_line --partial "file:"
}

@test "devmemtool --complete: the REPL's candidates, then what the word is" {
	run fakedrv devmemtool --sysroot "$ROOT" --complete -- w32 ''
	assert_success
	assert_line "regs"
	assert_line "pci:"
	assert_line --index -1 ":nospace"
	run devmemtool --complete -- up
	assert_output "update8
update16
update32
update64
update
:space"
	run devmemtool --complete -- source x
	assert_output ":files"
	run devmemtool --complete -- r32 file:/x
	assert_output ":files"
}

@test "without bash-completion: commands, options and pci: words still complete" {
	make_dev 0000:00:04.0 0x1234 0x11e8 0xfea00000 0xfeafffff
	run comp --plain "devmemtool r3"
	assert_output "r32"
	run comp --plain "devmemtool --sysroot $ROOT r32 pci:1234:"
	assert_output "11e8/bar0
compopt -o nospace"
	run comp --plain "physmem-policy sh"
	assert_output "show"
	run comp --plain "physmem-policy check $D/b"
	assert_line "$D/board.conf"
}

@test "physmem-policy: every command and option of --help is offered" {
	run comp "physmem-policy "
	assert_success
	cmds=$(physmem-policy --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
	assert_equal "$(wc -l <<<"$cmds")" 5
	assert_equal "$output" "$(sort <<<"$cmds")"
	run comp "physmem-policy -"
	assert_output "$(printf '%s\n' --help --root --version -V -h)"
	# each command's own options, as its --help line lists them
	run comp "physmem-policy check -"
	assert_output "$(printf '%s\n' --help --no-resolve)"
	run comp "physmem-policy --root $ROOT show --"
	assert_output "$(printf '%s\n' --help --json --names)"
	run comp "physmem-policy unload --"
	assert_output "$(printf '%s\n' --all --help)"
	run comp "physmem-policy seal -"
	assert_output "--help"
	run comp "physmem-policy frob"
	assert_output ""
}

@test "physmem-policy: check and load take policy files and directories, --root a directory" {
	run comp "physmem-policy check $D/"
	assert_line "$D/board.conf"
	assert_line "$D/sub"
	refute_line "$D/notes.txt"
	run comp "physmem-policy load --help $D/b"
	assert_line "$D/board.conf"
	run comp "physmem-policy --root $D/"
	assert_line "$D/sub"
	refute_line "$D/board.conf"
}

@test "physmem-policy: unload offers the loaded windows not named yet (show --names)" {
	[ "$(id -u)" = 0 ] || skip "physmem-policy show needs CAP_SYS_RAWIO"
	run physmem-policy --root "$ROOT" show --names
	assert_success
	assert_output "regs
id"
	run physmem-policy --root "$ROOT" show --names --json
	assert_failure 2
	assert_output --partial "--json or --names"
	run comp "physmem-policy --root $ROOT unload "
	assert_output "id
regs"
	run comp "physmem-policy --root=$ROOT unload regs "
	assert_output "id"
	run comp "physmem-policy --root $ROOT unload --all "
	assert_output ""
	window gpio 0xfea03000 0x1000
	run comp "physmem-policy --root $ROOT unload g"
	assert_output "gpio"
}
