/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the VM tests' raw-uAPI programs (physmem-t, physmem-stress):
 * what they both need to fill a struct physmem_window by hand.
 */
#ifndef RAW_WINDOW_H
#define RAW_WINDOW_H

#include <stdint.h>
#include <stdio.h>

#include <linux/physmem.h>

/* "DDDD:BB:SS.F" into a PCI selector; 0 or -1. */
static inline int parse_bdf(const char *s, struct physmem_pci_bar *pci)
{
	unsigned int dom, bus, slot, fn;

	if (sscanf(s, "%x:%x:%x.%x", &dom, &bus, &slot, &fn) != 4)
		return -1;
	pci->domain = dom;
	pci->bus = (uint8_t)bus;
	pci->devfn = (uint8_t)((slot << 3) | fn);
	return 0;
}

#endif /* RAW_WINDOW_H */
