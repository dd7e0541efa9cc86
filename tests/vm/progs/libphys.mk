# libphys guest helpers (owned by libphys).
LDLIBS_libphys-run := $(LDFLAGS_LIBPHYS)
LDLIBS_libphys-bench := $(LDFLAGS_LIBPHYS)
