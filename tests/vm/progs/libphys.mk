# SPDX-License-Identifier: GPL-2.0-or-later
# libphys guest helpers (owned by libphys).
LDLIBS_libphys-run := $(LDFLAGS_LIBPHYS)
LDLIBS_libphys-bench := $(LDFLAGS_LIBPHYS) $(TOP)/common/libphyscommon.a
LDLIBS_libphys-dma := $(LDFLAGS_LIBPHYS)
LDLIBS_dma-edu := $(LDFLAGS_LIBPHYS)
# These include their sources from elsewhere in the tree.
libphys-run: ../../host/progs/libphys-run.c
libphys-dma: ../../host/progs/libphys-dma.c
libphys-bench: ../../../libphys/bench/phys-bench.c
# Relinked when the library is rebuilt (a new soname must reach them).
libphys-run libphys-dma libphys-bench dma-edu: $(TOP)/libphys/libphys.so
