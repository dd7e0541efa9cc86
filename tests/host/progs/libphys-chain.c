// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libphys-chain [--no-handler] FILE: libphys catches faults in its own
 * accesses, but a fault elsewhere must reach the handler the program had
 * installed before (or kill it, if it had none).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libphys.h"

static void own_handler(int sig)
{
	static const char msg[] = "own handler ran\n";

	(void)!write(1, msg, sizeof(msg) - 1);
	_exit(0);
}

int main(int argc, char **argv)
{
	int own = !(argc > 1 && !strcmp(argv[1], "--no-handler"));
	const char *file = argv[argc - 1];
	struct phys_ctx *ctx = phys_ctx_new();
	char target[4200];
	struct phys_map *map;
	uint32_t v;

	if (own)
		signal(SIGSEGV, own_handler);
	snprintf(target, sizeof(target), "file:%s", file);
	map = phys_map_open(ctx, target, 0, 0);
	if (!map || truncate(file, 0))
		return 2;
	printf("libphys fault: %d\n", phys_read32(map, 0, &v));
	fflush(stdout);
	*(volatile int *)(uintptr_t)argc = 1;	/* a fault that is not ours */
	return 3;
}
