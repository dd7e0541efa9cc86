// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The cheapest possible register-script interpreter, as a calibration point
 * for `make bench` (DESIGN.md): fgets, strtok, strtoul, printf and one mmap.
 * No checks, no error messages, no fault catching: no real tool can be
 * faster per line, so devmemtool is measured against it.
 *
 * usage: bench-floor DEVICE PHYS_BASE SIZE < script   (lines "w32 A V" / "r32 A")
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	char line[256];
	unsigned long base, size;
	volatile uint8_t *map;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: bench-floor DEVICE PHYS_BASE SIZE < script\n");
		return 2;
	}
	base = strtoul(argv[2], NULL, 0);
	size = strtoul(argv[3], NULL, 0);
	fd = open(argv[1], O_RDWR | O_SYNC);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)base);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	while (fgets(line, sizeof(line), stdin)) {
		char *cmd = strtok(line, " \n");
		char *addr = strtok(NULL, " \n");
		char *val = strtok(NULL, " \n");
		unsigned long a;

		if (!cmd || !addr)
			continue;
		a = strtoul(addr, NULL, 0) - base;
		if (cmd[0] == 'w')
			*(volatile uint32_t *)(map + a) = (uint32_t)strtoul(val, NULL, 0);
		else
			printf("0x%08x\n", *(volatile uint32_t *)(map + a));
	}
	return 0;
}
