// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Target strings: what memory a user means, independent of the backend.
 *
 *   0xfea00000[+OFF]            physical address
 *   NAME[+OFF]                  driver window
 *   pci:VVVV:DDDD[#N]/barB[+OFF]
 *   pci:[DDDD:]BB:DD.F/barB[+OFF]  (DDDD: up to 8 hex digits)
 *   iomem:"LABEL"[#N][+OFF]     (quotes optional if the label has no '#'/'+')
 *   file:PATH[@ADDR][+OFF], file:"PATH"[@ADDR][+OFF]
 *
 * The offset is after the last '+' outside quotes that a digit follows
 * (pm_target_offset()); a file's address after the last '@' outside
 * quotes before it (pm_target_at()), so a name with an '@' of its own is
 * quoted unless an address follows it. Numbers, PCI selectors and names
 * are common/'s grammar, so devmemtool and the policy read them the same
 * way.
 *
 * file:PATH@ADDR puts the file's byte 0 at physical address ADDR: it
 * resolves and maps as physical memory there (phys_map_physical()), but
 * is served by the file backend, outside any policy, as any file is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "physmem-common.h"

_Static_assert(sizeof(((struct phys_target *)0)->label) == PM_LABEL_MAX,
	       "one label rule: common/name.c");
_Static_assert(sizeof(((struct phys_target *)0)->window) == PM_NAME_MAX,
	       "one name rule: common/name.c");

/* A grammar error (common/), in the words every tool uses. */
static int grammar_err(struct phys_ctx *ctx, const char *text, const char *what,
		       int err, const char *s, size_t len)
{
	char msg[PM_ERRMSG_MAX];

	pm_strerror(err, s, len, msg, sizeof(msg));
	return phys_err(ctx, pm_errno(err), "target '%s': %s%s", text, what, msg);
}

/*
 * After the name: nothing (the "+OFF" was split off first, see
 * pm_target_offset()), or a '+' that no number follows.
 */
static int parse_end(struct phys_ctx *ctx, const char *text, const char *s)
{
	const char *end;
	uint64_t v;
	int r;

	if (!*s)
		return 0;
	if (*s != '+')
		return phys_err(ctx, -EINVAL, "target '%s': unexpected '%s'", text, s);
	r = pm_parse_u64_prefix(s + 1, PM_NUM_BYTES, &v, &end);
	if (!r)
		r = PM_E_NOT_NUMBER;
	if (r == PM_E_EMPTY)
		return phys_err(ctx, -EINVAL, "target '%s': expected a number after '+'", text);
	return grammar_err(ctx, text, "bad offset ", r, s + 1, strlen(s + 1));
}

/* "/barN": N in the number grammar, as a policy rule's "bar N". */
static int parse_bar(struct phys_ctx *ctx, const char *text, const char *s, struct phys_target *t)
{
	const char *end;
	uint64_t bar;
	int r;

	if (strncmp(s, "/bar", 4))
		return phys_err(ctx, -EINVAL, "target '%s': expected /bar0 .. /bar5 after the device", text);
	r = pm_parse_u64_prefix(s + 4, 0, &bar, &end);
	if (r == PM_E_EMPTY)
		return phys_err(ctx, -EINVAL, "target '%s': expected /bar0 .. /bar5 after the device", text);
	if (r)
		return grammar_err(ctx, text, "bad BAR ", r, s + 4, (size_t)(end - (s + 4)));
	if (bar > 5)
		return phys_err(ctx, -EINVAL, "target '%s': bad BAR '%.*s': expected 0 to 5", text,
				(int)(end - (s + 4)), s + 4);
	t->bar = (unsigned int)bar;
	return parse_end(ctx, text, end);
}

static int parse_pci(struct phys_ctx *ctx, const char *text, const char *s, struct phys_target *t)
{
	size_t len = strcspn(s, "/"), badlen;
	struct pm_pci_sel sel;
	const char *bad;
	int r;

	t->kind = PHYS_T_PCI;
	r = pm_pci_parse(s, len, &sel, &bad, &badlen);
	if (r == PM_E_EMPTY)
		return phys_err(ctx, -EINVAL, "target '%s': expected a number after '#'", text);
	if (r)
		return grammar_err(ctx, text, bad == s ? "" : "bad index ", r, bad, badlen);
	t->pci_by_id = sel.by_id;
	t->vendor = sel.vendor;
	t->device = sel.device;
	t->index = sel.index;
	t->domain = sel.domain;
	t->bus = sel.bus;
	t->dev = sel.dev;
	t->func = sel.func;
	return parse_bar(ctx, text, s + len, t);
}

static int parse_iomem(struct phys_ctx *ctx, const char *text, const char *s, struct phys_target *t)
{
	const char *end;
	size_t n;
	int r;

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
	r = pm_label_check(s, n);
	if (r)
		return grammar_err(ctx, text, "", r, s, n);
	memcpy(t->label, s, n);
	t->label[n] = '\0';
	if (*end == '#') {
		const char *num = end + 1;
		uint64_t idx;

		r = pm_parse_u64_prefix(num, 0, &idx, &end);
		if (!r && idx > UINT32_MAX)
			r = PM_E_INDEX_LARGE;
		if (r == PM_E_EMPTY)
			return phys_err(ctx, -EINVAL, "target '%s': expected a number after '#'", text);
		if (r)
			return grammar_err(ctx, text, "bad index ", r, num, (size_t)(end - num));
		t->index = (unsigned int)idx;
		t->index_given = true;
	}
	return parse_end(ctx, text, end);
}

/* A file name with an '@' of its own: how to write it. */
#define AT_HINT	"; a file name with '@' in it is quoted: file:\"NAME\""

/*
 * "@ADDR" after a file's name: a number of bytes, as every address is.
 * Unless the name was quoted, what follows an '@' and is no number may be
 * the rest of a name: the message says how to write one.
 */
static int parse_at(struct phys_ctx *ctx, const char *text, const char *s, bool quoted,
		    struct phys_target *t)
{
	const char *hint = quoted || (*s >= '0' && *s <= '9') ? "" : AT_HINT;
	char msg[PM_ERRMSG_MAX];
	int r;

	r = pm_parse_u64(s, PM_NUM_BYTES, &t->at);
	if (r == PM_E_EMPTY)
		return phys_err(ctx, -EINVAL, "target '%s': expected an address after '@'%s",
				text, hint);
	if (r) {
		pm_strerror(r, s, strlen(s), msg, sizeof(msg));
		return phys_err(ctx, pm_errno(r), "target '%s': bad address %s%s", text, msg, hint);
	}
	t->has_at = true;
	return 0;
}

/*
 * file:PATH, file:"PATH", each with an optional "@ADDR": the last '@'
 * outside the quotes (pm_target_at()). An unquoted PATH may hold an '@'
 * (file:a@b.bin@0x1000), but not a second address (file:x@0x1@0x2).
 */
static int parse_file(struct phys_ctx *ctx, const char *text, const char *s, struct phys_target *t)
{
	const char *at = pm_target_at(s), *prev;
	size_t n = at ? (size_t)(at - s) : strlen(s);
	bool quoted = false;
	uint64_t v;

	t->kind = PHYS_T_FILE;
	/* file:"NAME" for a name a '+' and a digit, or an '@', would split. */
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		quoted = true;
		s++;
		n -= 2;
	}
	if (!n)
		return phys_err(ctx, -EINVAL, "target '%s': missing file name", text);
	if (n >= sizeof(t->path))
		return phys_err(ctx, -ENAMETOOLONG, "target '%s': path too long", text);
	memcpy(t->path, s, n);
	t->path[n] = '\0';
	if (!at)
		return 0;
	prev = quoted ? NULL : pm_target_at(t->path);
	if (prev && !pm_parse_u64(prev + 1, PM_NUM_BYTES, &v))
		return phys_err(ctx, -EINVAL, "target '%s': two addresses, '%s' and '%s'%s", text,
				prev, at, AT_HINT);
	return parse_at(ctx, text, at + 1, quoted, t);
}

static int parse_base(struct phys_ctx *ctx, const char *text, const char *base,
		      struct phys_target *t)
{
	const char *end;
	size_t n;
	int r;

	if (!strncmp(base, "file:", 5))
		return parse_file(ctx, text, base + 5, t);
	if (!strncmp(base, "pci:", 4))
		return parse_pci(ctx, text, base + 4, t);
	if (!strncmp(base, "iomem:", 6))
		return parse_iomem(ctx, text, base + 6, t);
	if (*base >= '0' && *base <= '9') {
		t->kind = PHYS_T_ADDR;
		r = pm_parse_u64_prefix(base, PM_NUM_BYTES, &t->addr, &end);
		if (r)
			return grammar_err(ctx, text, "", r, base, (size_t)(end - base));
		return parse_end(ctx, text, end);
	}
	/* A letter starts a window name: up to a '+', it must be a good one. */
	if (pm_name_char(*base, 0)) {
		n = strcspn(base, "+");
		r = pm_name_check(base, n);
		if (r)
			return grammar_err(ctx, text, "", r, base, n);
		t->kind = PHYS_T_WINDOW;
		memcpy(t->window, base, n);
		t->window[n] = '\0';
		return parse_end(ctx, text, base + n);
	}
	return phys_err(ctx, -EINVAL,
			"target '%s': not an address, window name, pci:, iomem: or file: target", text);
}

/* The target grammar: BASE[+OFF], the offset split by pm_target_offset(). */
int phys_target_parse(struct phys_ctx *ctx, const char *text, struct phys_target *t)
{
	const char *plus;
	char *base;
	size_t n;
	int r;

	memset(t, 0, sizeof(*t));
	if (!text || !*text)
		return phys_err(ctx, -EINVAL, "empty target");
	plus = pm_target_offset(text);
	if (plus) {
		r = pm_parse_u64(plus + 1, PM_NUM_BYTES, &t->offset);
		if (r)
			return grammar_err(ctx, text, "bad offset ", r, plus + 1, strlen(plus + 1));
		t->has_offset = true;
	}
	n = plus ? (size_t)(plus - text) : strlen(text);
	base = strndup(text, n);
	if (!base)
		return phys_err(ctx, -ENOMEM, "target '%s': out of memory", text);
	r = parse_base(ctx, text, base, t);
	free(base);
	return r;
}

/* Find where T starts and how big it is (t->phys, t->size). */
static int locate(struct phys_ctx *ctx, struct phys_target *t)
{
	struct phys_window_info w;
	struct phys_pci_dev dev;
	char why[PATH_MAX + 400];
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
		if (t->has_at && t->size && t->at > UINT64_MAX - (t->size - 1))
			return phys_err(ctx, -ERANGE, "file:%s: 0x%llx bytes at 0x%llx run past "
					"the end of the 64-bit address space", t->path,
					(unsigned long long)t->size, (unsigned long long)t->at);
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
			t->is_pci = w.source_kind == PHYS_SOURCE_PCI;
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
		t->is_pci = w.source_kind == PHYS_SOURCE_PCI;
		snprintf(t->resolved_window, sizeof(t->resolved_window), "%s", w.name);
		t->window_mmap = w.mmapable;
		return 0;
	case PHYS_T_PCI:
		r = phys_source_pci(ctx, t, &dev, why, sizeof(why));
		if (r)
			return phys_err(ctx, r, "%s", why);
		t->is_pci = true;
		t->domain = dev.domain;
		t->bus = dev.bus;
		t->dev = dev.dev;
		t->func = dev.func;
		t->phys = dev.bars[t->bar].addr;
		t->size = dev.bars[t->bar].size;
		t->bar_base = t->phys;
		return 0;
	case PHYS_T_IOMEM:
		r = phys_source_iomem(ctx, t->label, t->index, t->index_given, &t->phys,
				      &t->size, why, sizeof(why));
		if (r)
			return phys_err(ctx, r, "%s", why);
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
	struct phys_target_info full = PHYS_INFO_INIT(struct phys_target_info);
	const struct phys_backend *b;
	struct phys_target t;
	int r;

	if (!ctx || !info)
		return -EINVAL;
	PHYS_API(ctx);
	if (info->struct_size < PHYS_TARGET_INFO_V0)
		return phys_err(ctx, -EINVAL, "struct phys_target_info: struct_size %zu, at least "
				"%zu expected (PHYS_INFO_INIT)", info->struct_size,
				PHYS_TARGET_INFO_V0);
	r = phys_target_parse(ctx, target, &t);
	if (!r)
		r = phys_target_lookup(ctx, &t, &b);
	if (r)
		return r;
	full.phys = phys_target_addr(&t);
	full.size = t.size;
	snprintf(full.window, sizeof(full.window), "%s", t.resolved_window);
	snprintf(full.backend, sizeof(full.backend), "%s", b->name);
	full.physical = phys_target_physical(&t);
	return phys_info_out(info, &full, sizeof(full), PHYS_TARGET_INFO_V0);
}
