# SPDX-License-Identifier: GPL-2.0-or-later
# Policy core test helpers: they link the core built by `make -C policy core`.
LDLIBS_policy-dump := $(TOP)/policy/libphyspolicy.a $(TOP)/common/libphyscommon.a -lcap
# The fuzz driver compiles the core sources itself, instrumented; the pattern
# rule compiles and links in one command, so the flags reach the compiler too.
LDLIBS_policy-fuzz := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -lcap
# Rebuilt when the code they link or include changes.
policy-dump: $(TOP)/policy/libphyspolicy.a $(TOP)/common/libphyscommon.a
policy-fuzz: $(wildcard $(TOP)/policy/*.c $(TOP)/policy/*.h $(TOP)/common/*.c $(TOP)/common/include/*.h)
