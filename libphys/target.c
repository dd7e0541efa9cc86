// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Target strings: what memory a user means, independent of the backend.
 *
 *   0xfea00000[+OFF]            physical address
 *   NAME[+OFF]                  driver window
 *   pci:VVVV:DDDD[#N]/barB[+OFF]
 *   pci:[DDDD:]BB:DD.F/barB[+OFF]
 *   iomem:"LABEL"[#N][+OFF]     (quotes optional if the label has no '#'/'+')
 *   file:PATH                   the whole rest is the path
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static int parse_u64(const char *s, const char **end, uint64_t *v)
{
	char *e;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &e, 0);
	if (errno)
		return -ERANGE;
	*end = e;
	return 0;
}

static int parse_hex(const char *s, unsigned int digits_max, const char **end, unsigned long *v)
{
	unsigned int n = 0;

	*v = 0;
	while (isxdigit((unsigned char)s[n]) && n < digits_max) {
		*v = *v * 16 + (unsigned long)(isdigit((unsigned char)s[n]) ?
					s[n] - '0' : (tolower((unsigned char)s[n]) - 'a' + 10));
		n++;
	}
	if (!n)
		return -EINVAL;
	*end = s + n;
	return 0;
}

/* "+OFF" or nothing, then the end of the string. */
static int parse_tail(struct phys_ctx *ctx, const char *text, const char *s,
		      struct phys_target *t)
{
	if (*s == '+') {
		int r = parse_u64(s + 1, &s, &t->offset);

		if (r == -ERANGE)
			return phys_err(ctx, -ERANGE, "target '%s': offset does not fit in 64 bits", text);
		if (r)
			return phys_err(ctx, -EINVAL, "target '%s': expected a number after '+'", text);
		t->has_offset = true;
	}
	if (*s)
		return phys_err(ctx, -EINVAL, "target '%s': unexpected '%s'", text, s);
	return 0;
}

static int parse_bar(struct phys_ctx *ctx, const char *text, const char *s, struct phys_target *t)
{
	if (strncmp(s, "/bar", 4) || s[4] < '0' || s[4] > '5')
		return phys_err(ctx, -EINVAL, "target '%s': expected /bar0 .. /bar5 after the device", text);
	t->bar = (unsigned int)(s[4] - '0');
	return parse_tail(ctx, text, s + 5, t);
}

static int parse_pci(struct phys_ctx *ctx, const char *text, const char *s, struct phys_target *t)
{
	unsigned long a, b, c, d;
	const char *p;

	t->kind = PHYS_T_PCI;
	if (parse_hex(s, 8, &p, &a) || *p != ':')
		goto bad;
	if (parse_hex(p + 1, 4, &p, &b))
		goto bad;
	if (*p == ':') {		/* DDDD:BB:DD.F */
		if (parse_hex(p + 1, 2, &p, &c) || *p != '.' || parse_hex(p + 1, 1, &p, &d))
			goto bad;
		if (a > 0xffff || b > 0xff || c > 0x1f || d > 7)
			goto bad;
		t->domain = (uint32_t)a;
		t->bus = (uint8_t)b;
		t->dev = (uint8_t)c;
		t->func = (uint8_t)d;
		return parse_bar(ctx, text, p, t);
	}
	if (*p == '.') {		/* BB:DD.F (domain 0) */
		if (parse_hex(p + 1, 1, &p, &d) || a > 0xff || b > 0x1f || d > 7)
			goto bad;
		t->bus = (uint8_t)a;
		t->dev = (uint8_t)b;
		t->func = (uint8_t)d;
		return parse_bar(ctx, text, p, t);
	}
	if (a > 0xffff || b > 0xffff)	/* VVVV:DDDD[#N] */
		goto bad;
	t->pci_by_id = true;
	t->vendor = (uint16_t)a;
	t->device = (uint16_t)b;
	if (*p == '#') {
		uint64_t n;

		if (parse_u64(p + 1, &p, &n) || n > 255)
			goto bad;
		t->index = (unsigned int)n;
	}
	return parse_bar(ctx, text, p, t);
bad:
	return phys_err(ctx, -EINVAL,
			"target '%s': expected pci:VVVV:DDDD[#N]/barB or pci:DDDD:BB:DD.F/barB", text);
}

static int parse_iomem(struct phys_ctx *ctx, const char *text, const char *s, struct phys_target *t)
{
	const char *end;
	size_t n;

	t->kind = PHYS_T_IOMEM;
	if (*s == '"') {
		end = strchr(++s, '"');
		if (!end)
			return phys_err(ctx, -EINVAL, "target '%s': missing closing quote", text);
		n = (size_t)(end - s);
		end++;
	} else {
		n = strcspn(s, "#+");
		end = s + n;
	}
	if (!n || n >= sizeof(t->label))
		return phys_err(ctx, -EINVAL, "target '%s': iomem label must be 1..%zu characters",
				text, sizeof(t->label) - 1);
	memcpy(t->label, s, n);
	t->label[n] = '\0';
	if (*end == '#') {
		uint64_t idx;

		if (parse_u64(end + 1, &end, &idx) || idx > 255)
			return phys_err(ctx, -EINVAL, "target '%s': bad index after '#'", text);
		t->index = (unsigned int)idx;
	}
	return parse_tail(ctx, text, end, t);
}

int phys_target_parse(struct phys_ctx *ctx, const char *text, struct phys_target *t)
{
	const char *s;
	int r;

	memset(t, 0, sizeof(*t));
	if (!text || !*text)
		return phys_err(ctx, -EINVAL, "empty target");
	if (!strncmp(text, "file:", 5)) {
		t->kind = PHYS_T_FILE;
		if (!text[5])
			return phys_err(ctx, -EINVAL, "target '%s': missing file name", text);
		if (strlen(text + 5) >= sizeof(t->path))
			return phys_err(ctx, -ENAMETOOLONG, "target '%s': path too long", text);
		strcpy(t->path, text + 5);
		return 0;
	}
	if (!strncmp(text, "pci:", 4))
		return parse_pci(ctx, text, text + 4, t);
	if (!strncmp(text, "iomem:", 6))
		return parse_iomem(ctx, text, text + 6, t);
	if (isdigit((unsigned char)*text)) {
		t->kind = PHYS_T_ADDR;
		r = parse_u64(text, &s, &t->addr);
		if (r == -ERANGE)
			return phys_err(ctx, -ERANGE, "target '%s': address does not fit in 64 bits", text);
		return parse_tail(ctx, text, s, t);
	}
	if (isalpha((unsigned char)*text)) {
		size_t n = 1;

		while (isalnum((unsigned char)text[n]) || text[n] == '_' || text[n] == '-')
			n++;
		if (n >= sizeof(t->window))
			return phys_err(ctx, -EINVAL, "target '%s': window names are at most %zu characters",
					text, sizeof(t->window) - 1);
		if (text[n] && text[n] != '+')
			return phys_err(ctx, -EINVAL,
					"target '%s': not an address, window name, pci:, iomem: or file: target",
					text);
		t->kind = PHYS_T_WINDOW;
		memcpy(t->window, text, n);
		t->window[n] = '\0';
		return parse_tail(ctx, text, text + n, t);
	}
	return phys_err(ctx, -EINVAL,
			"target '%s': not an address, window name, pci:, iomem: or file: target", text);
}

/* Find where T starts and how big it is (t->phys, t->size). */
static int locate(struct phys_ctx *ctx, struct phys_target *t)
{
	struct phys_window_info w;
	struct phys_pci_dev dev;
	uint64_t start, end;
	struct stat st;
	int r;

	switch (t->kind) {
	case PHYS_T_FILE:
		if (stat(t->path, &st))
			return phys_err(ctx, -errno, "file:%s: %s", t->path, strerror(errno));
		if (!S_ISREG(st.st_mode))
			return phys_err(ctx, -EINVAL, "file:%s: not a regular file", t->path);
		t->phys = 0;
		t->size = (uint64_t)st.st_size;
		return 0;
	case PHYS_T_ADDR:
		/* The offset of an address target is simply added to it. */
		if (t->addr + t->offset < t->addr)
			return phys_err(ctx, -ERANGE, "address 0x%llx + 0x%llx overflows",
					(unsigned long long)t->addr, (unsigned long long)t->offset);
		t->phys = t->addr + t->offset;
		t->size = 0;
		if (phys_driver_present(ctx) && !phys_window_at(ctx, t->phys, 1, &w)) {
			t->size = w.base + w.size - t->phys;
			t->is_pci = !strncmp(w.source, "pci", 3);
			snprintf(t->resolved_window, sizeof(t->resolved_window), "%s", w.name);
			t->window_mmap = w.mmapable;
		}
		return 0;
	case PHYS_T_WINDOW:
		r = phys_window_find(ctx, t->window, &w);
		if (r)
			return r;
		t->phys = w.base;
		t->size = w.size;
		t->is_pci = !strncmp(w.source, "pci", 3);
		snprintf(t->resolved_window, sizeof(t->resolved_window), "%s", w.name);
		t->window_mmap = w.mmapable;
		return 0;
	case PHYS_T_PCI:
		r = phys_pci_find(ctx, t, &dev);
		if (r)
			return r;
		t->is_pci = true;
		t->domain = dev.domain;
		t->bus = dev.bus;
		t->dev = dev.dev;
		t->func = dev.func;
		if (!dev.bars[t->bar].size)
			return phys_err(ctx, -ENODEV, "%04x:%02x:%02x.%x has no BAR %u",
					dev.domain, dev.bus, dev.dev, dev.func, t->bar);
		if (dev.bars[t->bar].is_io)
			return phys_err(ctx, -EINVAL, "%04x:%02x:%02x.%x BAR %u is an I/O port BAR, not memory",
					dev.domain, dev.bus, dev.dev, dev.func, t->bar);
		if (!dev.bars[t->bar].assigned)
			return phys_err(ctx, -ENXIO, "%04x:%02x:%02x.%x BAR %u is not assigned an address",
					dev.domain, dev.bus, dev.dev, dev.func, t->bar);
		t->phys = dev.bars[t->bar].addr;
		t->size = dev.bars[t->bar].size;
		t->bar_base = t->phys;
		return 0;
	case PHYS_T_IOMEM:
		r = phys_iomem_find(ctx, t->label, t->index, &start, &end);
		if (r)
			return r;
		t->phys = start;
		t->size = end - start + 1;
		return 0;
	}
	return -EINVAL;
}

/* Locate T, apply its "+OFF", and pick the backend. */
int phys_target_lookup(struct phys_ctx *ctx, struct phys_target *t,
		       const struct phys_backend **backend)
{
	int r = phys_backend_choose(ctx, t, backend);

	if (r)
		return r;
	r = locate(ctx, t);
	if (r)
		return r;
	if (t->has_offset && t->kind != PHYS_T_ADDR) {
		if (t->offset >= t->size)
			return phys_err(ctx, -ERANGE, "offset 0x%llx is beyond the end (size 0x%llx)",
					(unsigned long long)t->offset, (unsigned long long)t->size);
		t->phys += t->offset;
		t->size -= t->offset;
	}
	/* Name the driver window serving a pci:/iomem: target, if any. */
	if ((t->kind == PHYS_T_PCI || t->kind == PHYS_T_IOMEM) &&
	    (*backend)->policy == PHYS_POLICY_KERNEL) {
		struct phys_window_info w;

		if (!phys_window_at(ctx, t->phys, t->size ? t->size : 1, &w)) {
			snprintf(t->resolved_window, sizeof(t->resolved_window), "%s", w.name);
			t->window_mmap = w.mmapable;
		}
	}
	if ((*backend)->hand_over)
		*backend = (*backend)->hand_over(ctx, t);
	return 0;
}

PHYS_EXPORT int phys_target_resolve(struct phys_ctx *ctx, const char *target,
				    struct phys_target_info *info)
{
	const struct phys_backend *b;
	struct phys_target t;
	int r;

	if (!ctx || !info)
		return -EINVAL;
	phys_clear_err(ctx);
	r = phys_target_parse(ctx, target, &t);
	if (!r)
		r = phys_target_lookup(ctx, &t, &b);
	if (r)
		return r;
	memset(info, 0, sizeof(*info));
	info->phys = t.phys;
	info->size = t.size;
	snprintf(info->window, sizeof(info->window), "%s", t.resolved_window);
	snprintf(info->backend, sizeof(info->backend), "%s", b->name);
	return 0;
}
