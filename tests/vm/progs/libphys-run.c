// SPDX-License-Identifier: GPL-2.0-or-later
/* The host test driver, built for the guest (see tests/host/progs/libphys-run.c). */
#include "../../host/progs/libphys-run.c"
