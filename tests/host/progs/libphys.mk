# libphys helper programs (owned by libphys).
LDLIBS_libphys-run := $(LDFLAGS_LIBPHYS)
LDLIBS_libphys-threads := $(LDFLAGS_LIBPHYS) -lpthread
LDLIBS_libphys-chain := $(LDFLAGS_LIBPHYS)
# A shared object for LD_PRELOAD (see its header), not a program.
LDLIBS_libphys-fakedrv := -shared -ldl
# Relinked when the library is rebuilt (a new soname must reach them).
libphys-run libphys-threads libphys-chain: $(TOP)/libphys/libphys.so
LDLIBS_regmap-dump := $(LDFLAGS_LIBPHYS)
regmap-dump: $(TOP)/libphys/libphys.so
LDLIBS_regmap-rules := $(LDFLAGS_LIBPHYS)
regmap-rules: $(TOP)/libphys/libphys.so
