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
