# libphys guest helpers (owned by libphys).
LDLIBS_libphys-run := $(LDFLAGS_LIBPHYS)
LDLIBS_libphys-bench := $(LDFLAGS_LIBPHYS) $(TOP)/common/libphyscommon.a
# These include their sources from elsewhere in the tree.
libphys-run: ../../host/progs/libphys-run.c
libphys-bench: ../../../libphys/bench/phys-bench.c
# Relinked when the library is rebuilt (a new soname must reach them).
libphys-run libphys-bench: $(TOP)/libphys/libphys.so
