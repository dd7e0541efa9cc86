#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Randomly mutated register maps (CMSIS-SVD, IP-XACT, native) never crash
# an importer, never leak and never hit undefined behaviour (ASan + UBSan +
# LeakSanitizer), and every result keeps libphys's promises: a map that
# loads is consistent through the whole API and comes back the same from
# the cache; a refused one says why in one line, "FILE:LINE: message" (see
# tests/host/progs/regmap-fuzz.c). The seeds are every register map of the
# tests, the installed maps and three cuts of RP2040's SVD
# (tests/host/progs/regmap-fuzz.mk); `make fuzz-regmap` runs for longer.

load ../lib/common

PROGS="$TOP/tests/host/progs"
FUZZ="$PROGS/regmap-fuzz"
SEEDS="$PROGS/regmap-fuzz-seeds"

setup_file() {
	# libphys first: it builds the policy core and common the fuzzer links
	make -s -C "$TOP/libphys" >/dev/null
	make -s -C "$PROGS" regmap-fuzz regmap-fuzz-seeds regmap-dump >/dev/null
}

# fuzz SEED ITERATIONS SEEDFILE...: regmap-fuzz, stopped at the first report.
fuzz() {
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1 \
		run timeout 60 "$FUZZ" "$@"
}

@test "fuzz: native maps, 20000 mutations under ASan/UBSan, fixed seed" {
	fuzz 1 20000 "$SEEDS"/native/*
	assert_success
	assert_output --regexp '^20000 iterations: [1-9][0-9]* loaded, [1-9][0-9]* refused$'
}

@test "fuzz: CMSIS-SVD maps, 8000 mutations under ASan/UBSan, fixed seed" {
	fuzz 1 8000 "$SEEDS"/svd/*
	assert_success
	assert_output --regexp '^8000 iterations: [1-9][0-9]* loaded, [1-9][0-9]* refused$'
}

@test "fuzz: IP-XACT components, 8000 mutations under ASan/UBSan, fixed seed" {
	fuzz 1 8000 "$SEEDS"/ipxact/*
	assert_success
	assert_output --regexp '^8000 iterations: [1-9][0-9]* loaded, [1-9][0-9]* refused$'
}

@test "fuzz: every format, 4000 mutations, seed from the clock" {
	seed=$(date +%s%N)
	fuzz "$seed" 4000 "$SEEDS"/*/*
	[ "$status" -eq 0 ] || echo "reproduce with: $FUZZ $seed 4000 $SEEDS/*/*" >&3
	assert_success
}

@test "fuzz: the RP2040 seeds are SVD of a few KB that loads" {
	[ -r "$TOP/../shared/data/svd/RP2040.svd" ] || skip "no RP2040.svd"
	for f in "$SEEDS"/svd/rp2040-*.svd; do
		[ "$(stat -c %s "$f")" -lt 16384 ]
		XDG_CACHE_HOME="$BATS_TEST_TMPDIR" run "$PROGS/regmap-dump" --no-cache "$f"
		assert_success
		assert_line 'name RP2040'
		[ "$(grep -c '^reg ' <<< "$output")" -ge 3 ]
	done
	[ "$(ls "$SEEDS"/svd/rp2040-*.svd | wc -l)" -eq 3 ]
}

@test "fuzz: a seed's format is its ending, or -f names it" {
	cp "$TOP/regmaps/edu.regmap" "$BATS_TEST_TMPDIR/edu.txt"
	fuzz 1 10 "$BATS_TEST_TMPDIR/edu.txt"
	assert_failure 2
	assert_output --partial "edu.txt: which format?"
	fuzz -f native 1 10 "$BATS_TEST_TMPDIR/edu.txt"
	assert_success
	assert_output --regexp '^10 iterations: '
}

@test "fuzz: LeakSanitizer works here: a map never freed is reported (the suite can fail)" {
	cat > "$BATS_TEST_TMPDIR/leak.c" <<-'EOC'
	#include <libphys.h>
	int main(int argc, char **argv)
	{
		return !phys_regmap_load(phys_ctx_new(), argv[1], PHYS_REGMAP_NO_CACHE);
	}
	EOC
	cc -std=c11 -I"$TOP/libphys/include" -fsanitize=address -o "$BATS_TEST_TMPDIR/leak" \
		"$BATS_TEST_TMPDIR/leak.c" -L"$TOP/libphys" -lphys
	ASAN_OPTIONS=detect_leaks=1 run "$BATS_TEST_TMPDIR/leak" "$TOP/regmaps/edu.regmap"
	assert_failure
	assert_output --partial 'LeakSanitizer: detected memory leaks'
}
