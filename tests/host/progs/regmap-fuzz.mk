# SPDX-License-Identifier: GPL-2.0-or-later
# The register map fuzz driver (regmap-fuzz.c, tests/host/regmap-fuzz.bats)
# compiles libphys's sources itself, instrumented, like policy-fuzz; the
# pattern rule compiles and links in one command, so the flags reach them.
REGMAP_FUZZ_LIBS := libxml-2.0 libpci zlib
LDLIBS_regmap-fuzz := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all $(shell $(PKG_CONFIG) --cflags $(REGMAP_FUZZ_LIBS)) \
	-DLIBPHYS_VERSION='"$(VERSION)"' -DPHYS_DATADIR='"$(PREFIX)/share"' \
	$(wildcard $(TOP)/libphys/*.c) $(TOP)/policy/libphyspolicy.a $(TOP)/common/libphyscommon.a \
	$(shell $(PKG_CONFIG) --libs $(REGMAP_FUZZ_LIBS)) -lcap -lpthread
regmap-fuzz: $(wildcard $(TOP)/libphys/*.c $(TOP)/libphys/*.h $(TOP)/libphys/include/*.h) \
	$(TOP)/policy/libphyspolicy.a $(TOP)/common/libphyscommon.a

# The seeds, one directory per format: every register map fixture of the
# tests, the installed maps, and three cuts of a few KB from RP2040's SVD
# (its header and a few peripherals: plain registers; PLL_SYS and PLL_USB
# derived from it; XOSC's enums and modifiedWriteValues).
RP2040_SVD := $(TOP)/../shared/data/svd/RP2040.svd
REGMAP_SEEDS := $(wildcard $(TOP)/tests/host/regmaps/*/*.regmap $(TOP)/regmaps/*.regmap \
	$(TOP)/tests/host/regmaps/svd/*.svd $(TOP)/tests/host/regmaps/ipxact/*.xml)
RP2040_CUTS := small:SYSINFO,TBMAN,SPARE_IRQ pll:PLL_SYS,PLL_USB xosc:XOSC

# awk -v want=,NAME,NAME,: the SVD with only the peripherals named
RP2040_CUT := /^    <peripheral[ >]/ { inp = 1; buf = ""; name = "" } \
	!inp { print; next } \
	{ buf = buf $$0 "\n" } \
	name == "" && /<name>/ { name = $$0; gsub(/ *<\/?name> */, "", name) } \
	/^    <\/peripheral>/ { inp = 0; if (index(want, "," name ",")) printf "%s", buf }

regmap-fuzz-seeds: $(REGMAP_SEEDS) $(wildcard $(RP2040_SVD)) regmap-fuzz.mk
	rm -rf $@ && mkdir -p $@/native $@/svd $@/ipxact
	for f in $(filter %.regmap,$(REGMAP_SEEDS)); do \
		cp $$f $@/native/$$(basename $$(dirname $$f))-$$(basename $$f) || exit 1; done
	cp $(filter %.svd,$(REGMAP_SEEDS)) $@/svd/
	cp $(filter %.xml,$(REGMAP_SEEDS)) $@/ipxact/
	if [ -r $(RP2040_SVD) ]; then for cut in $(RP2040_CUTS); do \
		awk -v want=",$${cut#*:}," '$(RP2040_CUT)' $(RP2040_SVD) \
			> $@/svd/rp2040-$${cut%%:*}.svd || exit 1; done; \
	else echo "regmap-fuzz-seeds: no $(RP2040_SVD): no RP2040 seeds" >&2; fi

# The long run: FUZZ_SECONDS in all, a third per format, one after the
# other, from FUZZ_SEED or else the clock (printed: with the iteration a
# report names, it repeats the run).
FUZZ_SECONDS ?= 600
fuzz-regmap: regmap-fuzz regmap-fuzz-seeds
	@seed=$(if $(FUZZ_SEED),$(FUZZ_SEED),$$(date +%s)); \
	echo "regmap-fuzz: seed $$seed, $(FUZZ_SECONDS) s"; \
	for f in native svd ipxact; do \
		printf '%s: ' $$f; \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1 \
		./regmap-fuzz -t $$(( $(FUZZ_SECONDS) / 3 )) $$seed 0 regmap-fuzz-seeds/$$f/* \
			|| exit 1; \
	done

clean: clean-regmap-fuzz
clean-regmap-fuzz:
	rm -rf regmap-fuzz-seeds

.PHONY: fuzz-regmap clean-regmap-fuzz
