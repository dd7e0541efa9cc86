# libphys helper programs (owned by libphys).
LDLIBS_libphys-run := $(LDFLAGS_LIBPHYS)
LDLIBS_libphys-threads := $(LDFLAGS_LIBPHYS) -lpthread
LDLIBS_libphys-chain := $(LDFLAGS_LIBPHYS)
