# SPDX-License-Identifier: GPL-2.0-or-later
# The programs share the host programs' helpers (../../host/progs/prog-util.h,
# included by its path): like a header beside them, a change to it rebuilds
# every program.
$(PROGS): ../../host/progs/prog-util.h
