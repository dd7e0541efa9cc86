// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * policy-peek: the least-privilege pattern of physmem(4) in one small
 * program, for the policy VM tests. It checks CAP_SYS_RAWIO up front with
 * the policy core (clear message naming it when missing), drops every other
 * capability and clears the inheritable and ambient sets, then reads.
 *
 *   policy-peek read ADDR     pread 4 bytes of /dev/physmem at ADDR
 *   policy-peek caps          print CapInh/CapPrm/CapEff/CapAmb after the drop
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>

#include "physmem-common.h"
#include "physmem-policy.h"

int main(int argc, char **argv)
{
	static const int keep[] = { CAP_SYS_RAWIO };
	char msg[512], line[256];
	uint32_t val;
	uint64_t addr;
	FILE *f;
	int fd, r;

	if (argc < 2 || (strcmp(argv[1], "caps") && (strcmp(argv[1], "read") || argc < 3))) {
		fprintf(stderr, "usage: policy-peek read ADDR | caps\n");
		return 2;
	}
	if (pol_cap_acquire(CAP_SYS_RAWIO)) {
		fprintf(stderr, "policy-peek: %s\n",
			pol_cap_explain(CAP_SYS_RAWIO, "cannot open /dev/physmem", msg, sizeof(msg)));
		return 3;
	}
	r = pol_cap_drop_except(keep, 1);
	if (r) {
		fprintf(stderr, "policy-peek: cannot drop capabilities: %s\n", strerror(-r));
		return 1;
	}
	if (!strcmp(argv[1], "caps")) {
		f = fopen("/proc/self/status", "r");
		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "Cap", 3) && strncmp(line, "CapBnd", 6))
				fputs(line, stdout);
		return f ? 0 : 1;
	}
	if (pm_parse_u64(argv[2], 0, &addr)) {
		fprintf(stderr, "policy-peek: bad address '%s'\n", argv[2]);
		return 2;
	}
	fd = open("/dev/physmem", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "policy-peek: /dev/physmem: %s\n", strerror(errno));
		return 1;
	}
	if (pread(fd, &val, sizeof(val), (off_t)addr) != sizeof(val)) {
		fprintf(stderr, "policy-peek: read 0x%llx: %s\n", (unsigned long long)addr, strerror(errno));
		return 1;
	}
	printf("0x%08x\n", val);
	return 0;
}
