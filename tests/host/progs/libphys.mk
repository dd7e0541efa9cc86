# SPDX-License-Identifier: GPL-2.0-or-later
# libphys helper programs (owned by libphys).
LDLIBS_libphys-run := $(LDFLAGS_LIBPHYS)
LDLIBS_libphys-threads := $(LDFLAGS_LIBPHYS) -lpthread
LDLIBS_libphys-chain := $(LDFLAGS_LIBPHYS)
LDLIBS_libphys-dma := $(LDFLAGS_LIBPHYS)
# Shared objects for LD_PRELOAD (see their headers), not programs.
LDLIBS_libphys-fakedrv := -shared -ldl
LDLIBS_libphys-fakedma := -shared -ldl
# Relinked when the library is rebuilt (a new soname must reach them).
libphys-run libphys-threads libphys-chain libphys-dma: $(TOP)/libphys/libphys.so
LDLIBS_regmap-dump := $(LDFLAGS_LIBPHYS)
regmap-dump: $(TOP)/libphys/libphys.so
LDLIBS_regmap-rules := $(LDFLAGS_LIBPHYS)
regmap-rules: $(TOP)/libphys/libphys.so

# A cross build's fakes, named through ld.so's $LIB (tests/lib/common.bash:
# preload): lib/<its triplet>/ links to them, lib/<the host's triplet>/
# holds the host's own build of them, for the host's programs that a test
# runs beside (sh, sed). scripts/cross makes this target.
HOST_CC ?= cc
PRELOADS := libphys-fakedrv libphys-fakedma
HOST_TRIPLET := $(shell $(HOST_CC) -print-multiarch)
preload-dirs: $(PRELOADS) $(addprefix lib/$(HOST_TRIPLET)/,$(PRELOADS))
	t=$$($(CC) -print-multiarch) && [ -n "$$t" ] && [ "$$t" != "$(HOST_TRIPLET)" ] || \
		{ echo "preload-dirs: $(CC) builds for the host ($(HOST_TRIPLET)): not a cross build" >&2; exit 1; }; \
	mkdir -p lib/$$t && for p in $(PRELOADS); do ln -sfn ../../$$p lib/$$t/$$p || exit 1; done

lib/$(HOST_TRIPLET)/%: %.c $(wildcard *.h)
	mkdir -p $(@D)
	$(HOST_CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< $(LDFLAGS) $(LDLIBS_$*)

clean: clean-preload-dirs
clean-preload-dirs:
	rm -rf lib

.PHONY: preload-dirs clean-preload-dirs
