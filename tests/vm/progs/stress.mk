# physmem-stress runs worker threads.
LDLIBS_physmem-stress := -pthread
