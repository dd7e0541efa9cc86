// SPDX-License-Identifier: LGPL-2.1-or-later
/* /proc/iomem as a tree: regions with their nesting depth and labels. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "physmem-common.h"
#include "internal.h"

/* Parse one line "  start-end : label"; label points into LINE. */
static bool parse_line(char *line, struct phys_iomem_region *r)
{
	unsigned long long s, e;
	size_t sp = strspn(line, " ");
	char *colon;
	int n = 0;

	if (sscanf(line + sp, "%llx-%llx %n", &s, &e, &n) != 2 || !n)
		return false;
	colon = line + sp + n;
	if (*colon != ':')
		return false;
	colon++;
	colon += strspn(colon, " ");
	colon[strcspn(colon, "\n")] = '\0';
	r->struct_size = sizeof(*r);
	r->start = s;
	r->end = e;
	r->depth = (unsigned int)(sp / 2);
	r->label = colon;
	return true;
}

int phys_iomem_walk(struct phys_ctx *ctx, phys_iomem_fn fn, void *data,
		    struct phys_iomem_view *view)
{
	struct phys_iomem_region r;
	char path[PATH_MAX], line[512];
	int ret = 0;
	FILE *f;

	view->opened = false;
	view->hidden = true;
	if (phys_path(ctx, path, sizeof(path), "/proc/iomem"))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	view->opened = true;
	while (!ret && fgets(line, sizeof(line), f)) {
		if (!parse_line(line, &r))
			continue;
		if (r.end)
			view->hidden = false;
		ret = fn(&r, data);
	}
	fclose(f);
	return ret;
}

/* The first line of FILE in DIR, without its newline; -errno. */
static int read_attr(const char *dir, const char *file, char *buf, size_t size)
{
	char path[PATH_MAX];
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int phys_memmap_soft_reserved_walk(struct phys_ctx *ctx, phys_iomem_fn fn, void *data)
{
	struct phys_iomem_region r = { .struct_size = sizeof(r), .label = "Soft Reserved" };
	char dir[PATH_MAX], entry[PATH_MAX], type[64], num[32];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	if (phys_path(ctx, dir, sizeof(dir), "/sys/firmware/memmap"))
		return -ENAMETOOLONG;
	d = opendir(dir);
	if (!d)
		return 0;	/* no firmware map: nothing more is known */
	while (!ret && (de = readdir(d))) {
		uint64_t start, end;

		if (de->d_name[0] == '.' ||
		    (size_t)snprintf(entry, sizeof(entry), "%s/%s", dir, de->d_name) >= sizeof(entry))
			continue;
		if (read_attr(entry, "type", type, sizeof(type)) || strcmp(type, "Soft Reserved"))
			continue;
		if (read_attr(entry, "start", num, sizeof(num)) || pm_parse_u64(num, 0, &start) ||
		    read_attr(entry, "end", num, sizeof(num)) || pm_parse_u64(num, 0, &end) ||
		    end < start)
			continue;
		r.start = start;
		r.end = end;
		ret = fn(&r, data);
	}
	closedir(d);
	return ret;
}

const char *phys_iomem_walk_why(struct phys_ctx *ctx, int err, char *buf, size_t size)
{
	char path[PATH_MAX];

	if (phys_path(ctx, path, sizeof(path), "/proc/iomem"))
		snprintf(buf, size, "sysroot too long");
	else
		snprintf(buf, size, "cannot read %s: %s", path, strerror(-err));
	return buf;
}

PHYS_EXPORT int phys_iomem_foreach(struct phys_ctx *ctx, phys_iomem_fn fn, void *data)
{
	char why[PATH_MAX + 64];
	struct phys_iomem_view view;
	int r;

	if (!ctx || !fn)
		return -EINVAL;
	PHYS_API(ctx);
	r = phys_iomem_walk(ctx, fn, data, &view);
	if (!view.opened)
		return phys_err(ctx, r, "%s", phys_iomem_walk_why(ctx, r, why, sizeof(why)));
	return r;
}

struct find {
	const char *label;
	unsigned int index, seen;
	uint64_t start, end;
	/* owner search */
	uint64_t qs, qe;
	unsigned int best_depth;
	char *owner;
	size_t owner_size;
};

/* The deepest region overlapping [qs, qe] whose label is not a bus/bridge
 * name: that is who claimed it ("edu", "0000:00:04.0" stays as is). */
static int find_owner(const struct phys_iomem_region *r, void *data)
{
	struct find *f = data;

	if (r->end < f->qs || r->start > f->qe || !r->end)
		return 0;
	if (!strncmp(r->label, "PCI Bus", 7) || !strcmp(r->label, "System RAM") ||
	    !strcmp(r->label, "Reserved") || !strcmp(r->label, "reserved"))
		return 0;
	if (!f->owner[0] || r->depth >= f->best_depth) {
		snprintf(f->owner, f->owner_size, "%s", r->label);
		f->best_depth = r->depth;
	}
	return 0;
}

int phys_iomem_owner(struct phys_ctx *ctx, uint64_t start, uint64_t end, char *buf, size_t size)
{
	struct find f = { .qs = start, .qe = end, .owner = buf, .owner_size = size };
	struct phys_iomem_view view;
	int r;

	buf[0] = '\0';
	r = phys_iomem_walk(ctx, find_owner, &f, &view);
	if (r < 0)
		return r;
	return buf[0] ? 0 : -ENOENT;
}
