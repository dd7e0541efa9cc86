// SPDX-License-Identifier: GPL-2.0-or-later
/* The libphys benchmark, built for the guest (see libphys/bench/phys-bench.c):
 *   libphys-bench -n 200000 WINDOW 4      (edu's liveness register) */
#include "../../../libphys/bench/phys-bench.c"
