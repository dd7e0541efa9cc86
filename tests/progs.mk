# SPDX-License-Identifier: GPL-2.0-or-later
# Shared rules for the tests' helper programs (tests/host/progs and
# tests/vm/progs): one .c file per program (headers beside them are
# shared, and every program is rebuilt when one changes); a program that needs extra
# libraries sets LDLIBS_<name> in a *.mk file beside it.
include $(dir $(lastword $(MAKEFILE_LIST)))../config.mk

PROGS := $(patsubst %.c,%,$(wildcard *.c))
LDFLAGS_LIBPHYS := -L$(TOP)/libphys -lphys

all: $(PROGS)

# After 'all', so a rule in a *.mk file never becomes the default goal.
-include *.mk

%: %.c $(wildcard *.h)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< $(LDFLAGS) $(LDLIBS_$@)

clean:
	rm -f $(PROGS)

.PHONY: all clean
