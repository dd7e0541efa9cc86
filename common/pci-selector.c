// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * PCI selectors as users write them (policy rules, pci: targets) and the
 * one BDF format every tool prints.
 */
#include <stdio.h>
#include <string.h>

#include "physmem-common.h"

/* 1..MAXDIGITS hex digits making up all of [S, S+LEN). */
static bool hex_field(const char *s, size_t len, size_t maxdigits, uint32_t *val)
{
	uint32_t v = 0;
	size_t i;

	if (!len || len > maxdigits)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return false;
		v = v * 16 + d;
	}
	*val = v;
	return true;
}

static size_t count_char(const char *s, size_t len, char c)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

/* [DDDD:]BB:DD.F */
static int parse_addr(const char *s, size_t len, struct pm_pci_sel *sel)
{
	const char *end = s + len, *c1 = memchr(s, ':', len), *c2, *dot;
	uint32_t dom = 0, bus, dev, fn;

	if (memchr(s, '#', len))
		return PM_E_PCI_INDEX_ON_ADDR;
	if (!c1)
		return PM_E_PCI_ADDR;
	c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
	if (c2) {
		if (!hex_field(s, (size_t)(c1 - s), 8, &dom))
			return PM_E_PCI_ADDR;
		s = c1 + 1;
		c1 = c2;
	}
	dot = memchr(c1, '.', (size_t)(end - c1));
	if (!dot || !hex_field(s, (size_t)(c1 - s), 2, &bus) ||
	    !hex_field(c1 + 1, (size_t)(dot - c1 - 1), 2, &dev) ||
	    !hex_field(dot + 1, (size_t)(end - dot - 1), 1, &fn))
		return PM_E_PCI_ADDR;
	if (dev > 0x1f || fn > 7)
		return PM_E_PCI_RANGE;
	sel->domain = dom;
	sel->bus = (uint8_t)bus;
	sel->dev = (uint8_t)dev;
	sel->func = (uint8_t)fn;
	return 0;
}

/* VVVV:DDDD[#N] */
static int parse_id(const char *s, size_t len, struct pm_pci_sel *sel,
		    const char **bad, size_t *badlen)
{
	const char *hash = memchr(s, '#', len);
	size_t idlen = hash ? (size_t)(hash - s) : len;
	const char *colon = memchr(s, ':', idlen);
	uint32_t ven, devid;

	if (!colon || !hex_field(s, (size_t)(colon - s), 4, &ven) ||
	    !hex_field(colon + 1, idlen - (size_t)(colon - s) - 1, 4, &devid))
		return PM_E_PCI_ID;
	if (hash) {
		char num[32];
		size_t n = len - idlen - 1;
		uint64_t v;
		int r;

		*bad = hash + 1;
		*badlen = n;
		if (n >= sizeof(num))
			return PM_E_TOO_LARGE;
		memcpy(num, hash + 1, n);
		num[n] = '\0';
		r = pm_parse_u64(num, 0, &v);
		if (!r && v > UINT32_MAX)
			r = PM_E_INDEX_LARGE;
		if (r)
			return r;
		sel->index = (uint32_t)v;
		sel->index_given = true;
	}
	sel->by_id = true;
	sel->vendor = (uint16_t)ven;
	sel->device = (uint16_t)devid;
	return 0;
}

int pm_pci_parse(const char *s, size_t len, struct pm_pci_sel *sel,
		 const char **bad, size_t *badlen)
{
	memset(sel, 0, sizeof(*sel));
	*bad = s;
	*badlen = len;
	/* An address has a '.' (function) or a domain; an ID has neither. */
	if (memchr(s, '.', len) || count_char(s, len, ':') > 1)
		return parse_addr(s, len, sel);
	return parse_id(s, len, sel, bad, badlen);
}

const char *pm_pci_bdf(char buf[PM_BDF_MAX], uint32_t domain, unsigned int bus,
		       unsigned int dev, unsigned int func)
{
	snprintf(buf, PM_BDF_MAX, "%04x:%02x:%02x.%d", domain, bus & 0xff,
		 dev & 0x1f, (int)(func & 7));
	return buf;
}
