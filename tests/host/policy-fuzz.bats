#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Randomly mutated policy files never crash the parser, never leak and never
# hit undefined behaviour (ASan + UBSan + LeakSanitizer), and every result
# keeps the parser's promises (see tests/host/progs/policy-fuzz.c).

load ../lib/common

FUZZ="$TOP/tests/host/progs/policy-fuzz"

setup_file() {
	make -s -C "$TOP/tests/host/progs" policy-fuzz >/dev/null
}

seeds() {
	local d="$BATS_TEST_TMPDIR/seeds" i=0 line
	mkdir -p "$d"
	cp "$TOP/physmem-policy/physmem.conf.example" "$d/example.conf"
	sed 's/^# allow/allow/' "$TOP/physmem-policy/physmem.conf.example" > "$d/all.conf"
	# One rule per seed too, so that mutations often still parse.
	while IFS= read -r line; do
		i=$((i + 1))
		printf '%s\n' "$line" > "$d/rule$i.conf"
	done < <(grep '^allow' "$d/all.conf"; printf '%s\n' \
		'allow r range 0x1000-0x1fff rw' 'allow x iomem "pnp 00:04"#2 size 4K' \
		'allow y pci 1234:11e8#1 bar 0 offset 0x10 size 0x10 shared' \
		'allow z pci 0000:00:04.0 bar 0 rw dma 64K dma-mask 28 irq')
	echo "$d"
}

@test "fuzz: 60000 mutations under ASan/UBSan, fixed seed" {
	d="$(seeds)"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1 \
		run timeout 60 "$FUZZ" 1 60000 "$d"/*.conf
	assert_success
	assert_output --regexp '^60000 iterations: [1-9][0-9]* parsed, [1-9][0-9]* rejected$'
}

@test "fuzz: 60000 mutations under ASan/UBSan, seed from the clock" {
	d="$(seeds)"
	seed=$(date +%s%N)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1 \
		run timeout 60 "$FUZZ" "$seed" 60000 "$d"/*.conf
	[ "$status" -eq 0 ] || echo "reproduce with: $FUZZ $seed 60000 $d/*.conf" >&3
	assert_success
}

@test "fuzz: the driver itself catches a leak (the test can fail)" {
	# A set that is never freed must be reported by LeakSanitizer.
	cat > "$BATS_TEST_TMPDIR/leak.c" <<-'EOC'
	#include "physmem-policy.h"
	int main(void) { return pol_set_parse_string(pol_set_new(), "f", "allow a range 0 +1", 18); }
	EOC
	cc -std=c11 -D_GNU_SOURCE -I"$TOP/policy/include" -I"$TOP/common/include" -fsanitize=address \
		-o "$BATS_TEST_TMPDIR/leak" "$BATS_TEST_TMPDIR/leak.c" "$TOP"/policy/{parse,set}.c \
		"$TOP"/common/{number,pci-selector,name}.c
	ASAN_OPTIONS=detect_leaks=1 run "$BATS_TEST_TMPDIR/leak"
	assert_failure
	assert_output --partial 'LeakSanitizer: detected memory leaks'
}
