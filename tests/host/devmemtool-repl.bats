#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The devmemtool REPL in a real terminal (tmux): prompt, help, tab
# completion of commands, names, pci: and file: targets, history across runs,
# errors that do not end the session.

load devmemtool

setup() {
	SOCK_BASE="dmt-repl-$$-$BATS_TEST_NUMBER"
	SOCK=$SOCK_BASE starts=0
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	F="$BATS_TEST_TMPDIR/mem.bin"
	truncate -s 4096 "$F"
}

teardown() {
	tmux -L "$SOCK" kill-server 2>/dev/null || true
}

start() {	# [OPTION...]: start devmemtool in a fresh terminal
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	# A new server of its own: the old one may still be exiting, and a
	# new session on its socket then fails ("server exited unexpectedly").
	starts=$((starts + 1))
	SOCK="$SOCK_BASE-$starts"
	tmux -L "$SOCK" -f /dev/null new-session -d -x 160 -y 80 \
		"env XDG_STATE_HOME='$XDG_STATE_HOME' LD_LIBRARY_PATH='$LD_LIBRARY_PATH' HOME='$BATS_TEST_TMPDIR' '$TOP/devmemtool/devmemtool' $*; sleep 30"
	wait_for 'devmemtool> '
}

screen() {
	tmux -L "$SOCK" capture-pane -p
}

keys() {
	tmux -L "$SOCK" send-keys "$@"
}

wait_for() {	# TEXT: wait up to 5 s until the screen shows TEXT
	# capture-pane drops trailing blanks, so the pattern must too.
	set -- "${1%"${1##*[! ]}"}"
	for _ in $(seq 50); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "timed out waiting for: $1" >&2
	screen >&2
	return 1
}

@test "help in the REPL lists the commands" {
	start
	keys "help" Enter
	wait_for "commands (help COMMAND for details):"
	wait_for "  dump     ADDR LEN [WIDTH]"
	wait_for "  regs     [--read] [GLOB]"
	keys "help poll" Enter
	wait_for "usage: poll {ADDR MASK|REG[.FIELD]} [!=] VALUE [TIMEOUT_MS [INTERVAL_US]]"
}

@test "tab completes command names" {
	start
	keys "dum" Tab
	wait_for "devmemtool> dump "
	keys C-u "upd" Tab
	wait_for "devmemtool> update"
	keys Tab Tab
	wait_for "update16"
	wait_for "update64"
}

@test "tab completes names given with map ... as, and file: paths" {
	start
	keys "map file:$F as myregs" Enter
	wait_for "myregs: file:$F"
	keys "w32 myr" Tab
	wait_for "devmemtool> w32 myregs"
	keys "+0x10 0xabcd" Enter
	keys "r32 file:$BATS_TEST_TMPDIR/me" Tab
	wait_for "devmemtool> r32 file:$F"
	keys "+0x10" Enter
	wait_for "file:$F+0x10: 0x0000abcd"
}

@test "errors are reported and the session goes on" {
	start
	keys "r32 file:$F+0x2000" Enter
	wait_for "r32 file:$F+0x2000: 0x4 bytes at offset 0x2000 run past the end"
	keys "frob" Enter
	wait_for "frob: unknown command (try 'help')"
	keys "echo still-here" Enter
	wait_for "still-here"
}

@test "history is kept across runs under XDG_STATE_HOME" {
	start
	keys "echo first-run-marker" Enter
	wait_for "first-run-marker"
	keys C-d
	for _ in $(seq 50); do
		[ -s "$XDG_STATE_HOME/devmemtool/history" ] && break
		sleep 0.1
	done
	run grep -x "echo first-run-marker" "$XDG_STATE_HOME/devmemtool/history"
	assert_success

	start
	keys Up
	wait_for "devmemtool> echo first-run-marker"
}

@test "history falls back to ~/.local/state without XDG_STATE_HOME" {
	unset XDG_STATE_HOME
	tmux -L "$SOCK" -f /dev/null new-session -d -x 160 -y 50 \
		"env -u XDG_STATE_HOME LD_LIBRARY_PATH='$LD_LIBRARY_PATH' HOME='$BATS_TEST_TMPDIR' '$TOP/devmemtool/devmemtool'; sleep 30"
	wait_for 'devmemtool> '
	keys "echo fallback" Enter
	wait_for "fallback"
	keys "quit" Enter
	for _ in $(seq 50); do
		grep -qx "echo fallback" "$BATS_TEST_TMPDIR/.local/state/devmemtool/history" 2>/dev/null && break
		sleep 0.1
	done
	run grep -x "echo fallback" "$BATS_TEST_TMPDIR/.local/state/devmemtool/history"
	assert_success
}

@test "--confirm asks before a write and writes only on yes" {
	tmux -L "$SOCK" -f /dev/null new-session -d -x 160 -y 50 \
		"env XDG_STATE_HOME='$XDG_STATE_HOME' LD_LIBRARY_PATH='$LD_LIBRARY_PATH' '$TOP/devmemtool/devmemtool' --confirm; sleep 30"
	wait_for 'devmemtool> '
	keys "w8 file:$F+1 0x55" Enter
	wait_for "w8: write 0x55 to file:$F+0x1? [y/N]"
	keys "n" Enter
	wait_for "not confirmed, nothing written"
	[ "$(od -An -tx1 -j 1 -N 1 "$F" | tr -d ' ')" = 00 ]
	keys "w8 file:$F+1 0x55" Enter "y" Enter
	keys "echo done" Enter
	wait_for "done"
	[ "$(od -An -tx1 -j 1 -N 1 "$F" | tr -d ' ')" = 55 ]
	# two values, yes (in capitals) to the first, no to the second: says so
	keys "w8 file:$F+4 0x11 0x22" Enter
	wait_for "w8: write 0x11 to file:$F+0x4? [y/N]"
	keys "Y" Enter
	wait_for "w8: write 0x22 to file:$F+0x5? [y/N]"
	keys "n" Enter
	wait_for "w8 file:$F+4: value 2 not confirmed: the 1 before it written, nothing after"
	[ "$(od -An -tx1 -j 4 -N 2 "$F" | tr -d ' ')" = 1100 ]
}

@test "--confirm asks in one-shot mode on a terminal, and is refused without one" {
	tmux -L "$SOCK" -f /dev/null new-session -d -x 160 -y 50 \
		"env LD_LIBRARY_PATH='$LD_LIBRARY_PATH' '$TOP/devmemtool/devmemtool' --confirm w8 file:$F+2 0x66; echo rc=\$?; sleep 30"
	wait_for "w8: write 0x66 to file:$F+0x2? [y/N]"
	keys "yes" Enter
	wait_for "rc=0"
	[ "$(od -An -tx1 -j 2 -N 1 "$F" | tr -d ' ')" = 66 ]
	run devmemtool --confirm w8 "file:$F+3" 0x77 </dev/null
	assert_failure 2
	assert_output "devmemtool: --confirm asks on the terminal, and standard input is not one"
	[ "$(od -An -tx1 -j 3 -N 1 "$F" | tr -d ' ')" = 00 ]
}

@test "Ctrl-C stops a running poll or sleep and gives the prompt back" {
	start
	keys "poll32 file:$F 0xff 0x1 60000" Enter
	sleep 0.5
	keys C-c
	wait_for "interrupted"
	keys "sleep 60000" Enter
	sleep 0.5
	keys C-c
	keys "echo back" Enter
	wait_for "back"
	run screen
	[ "$(grep -c 'interrupted$' <<<"$output")" = 2 ]
}


@test "the REPL: constants, a script sourced twice, unmap and remap carry from line to line" {
	S="$BATS_TEST_TMPDIR/c.dmt"
	printf 'const REG = file:%s+0x10\nconst V = 0x5a\nw8 REG V\n' "$F" >"$S"
	start
	keys "source $S" Enter
	keys "r8 REG" Enter
	wait_for "file:$F+0x10: 0x5a"
	# sourced again, changed: its constants are redefined, not "already defined"
	printf 'const REG = file:%s+0x11\nconst V = 0x6b\nw8 REG V\n' "$F" >"$S"
	keys "source $S" Enter
	keys "r8 REG" Enter
	wait_for "file:$F+0x11: 0x6b"
	# one line defining a constant twice is still an error, and a line
	# that fails defines nothing
	keys "map file:$F as m" Enter
	keys "const W = 1" Enter
	keys "w8 m+W 0x7c" Enter
	keys "unmap m" Enter
	keys "r8 m" Enter
	wait_for "r8 m: "
	# a script that is refused leaves nothing behind: no name gone, none new
	printf 'map file:%s as gone\nunmap k\nconst Z = 1\nfrob\n' "$F" >"$S"
	keys "map file:$F as k" Enter
	keys "source $S" Enter
	wait_for "frob: unknown command"
	keys "r8 k+0x11" Enter
	wait_for "k+0x11: 0x6b"
	keys "r8 gone" Enter
	wait_for "r8 gone: "
	keys "const Z = 2" Enter
	keys "map" Enter
	wait_for "k: file:$F"
	[ "$(screen | grep -c '^gone: ')" -eq 0 ]
	# a constant from its own old value; a failed re-source keeps the old ones
	keys "const Z = Z+1" Enter
	keys "echo z-Z" Enter
	keys "w8 k+0x12 Z" Enter
	keys "r8 k+0x12" Enter
	wait_for "k+0x12: 0x03"
	printf 'const Z = 9\nfrob\n' >"$S"
	keys "source $S" Enter
	keys "r8 k+Z" Enter
	wait_for "k+0x3: 0x"
	keys "echo done-$((1 + 1))" Enter
	wait_for "done-2"
	! screen | grep -q "already defined"
	run od -An -tx1 -j 1 -N 1 "$F"
	[ "$(echo $output)" = 7c ]
}

@test "the REPL: buf and irqwait complete their words; a buffer's name carries from line to line" {
	S="$BATS_TEST_TMPDIR/d.dmt"
	start -n	# no driver here: a dry run allocates nothing, names all the same
	keys "buf al" Tab
	wait_for "devmemtool> buf alloc "
	keys "4K f" Tab
	wait_for "devmemtool> buf alloc 4K for "
	keys "edu a" Tab
	wait_for "devmemtool> buf alloc 4K for edu as "
	keys "mybuf" Enter
	wait_for "dry-run: buf alloc 0x1000 bytes (4K) for edu as mybuf"
	keys "w64 file:$F+0x80 myb" Tab
	wait_for "devmemtool> w64 file:$F+0x80 mybuf"
	keys ".b" Tab
	wait_for "devmemtool> w64 file:$F+0x80 mybuf.bus"
	keys Enter
	wait_for "dry-run: w64 file:$F+0x80 <- mybuf.bus"
	keys "irqwait edu 10 m" Tab
	wait_for "devmemtool> irqwait edu 10 mode "
	keys "i" Tab
	wait_for "devmemtool> irqwait edu 10 mode intx"
	keys Enter
	wait_for "dry-run: irqwait edu: wait for its interrupt in mode intx, at most 10 ms"
	# a script that is refused frees nothing: its buf free never was
	printf 'buf free mybuf\nfrob\n' >"$S"
	keys "source $S" Enter
	wait_for "frob: unknown command"
	keys "r32 mybuf+0xffc" Enter
	wait_for "dry-run: r32 mybuf+0xffc read 1 x 4 bytes"
	keys "buf free my" Tab
	wait_for "devmemtool> buf free mybuf"
	keys Enter
	keys "r32 mybuf" Enter
	wait_for "r32 mybuf: the DMA buffer mybuf was freed"
	keys "buf alloc 8K for edu as mybuf" Enter
	wait_for "dry-run: buf alloc 0x2000 bytes (8K) for edu as mybuf"
}

@test "tab completes pci: targets and the pci command's devices from sysfs" {
	root="$BATS_TEST_TMPDIR/root"
	for dev in 0000:00:04.0:0x1af4:0x1110:0xfea00000 0000:00:05.0:0x1234:0x11e8:0xfeb00000; do
		IFS=: read -r dom bus slot v dv base <<<"$dev"
		d="$root/sys/bus/pci/devices/$dom:$bus:$slot"
		fake_pci_dev "$d" "$v" "$dv"
		fake_pci_bars "$d" "$base-$((base + 0xfff))"
	done
	start --sysroot "$root"
	keys "r32 pci:1af" Tab
	wait_for "devmemtool> r32 pci:1af4:1110/bar0"
	keys C-u "pci 0000:00:0" Tab Tab
	wait_for "0000:00:04.0"
	wait_for "0000:00:05.0"
}
