// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The installed register maps: where they are looked for, and the look-up
 * by name and by PCI device that binds a map to a device's BARs.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regmap.h"

#ifndef PHYS_DATADIR
#define PHYS_DATADIR "/usr/local/share"
#endif

typedef bool (*want_fn)(struct phys_regmap *map, const char *stem, const void *key);

static bool has_ending(const char *name, const char **stem_end)
{
	static const char *const endings[] = { ".regmap", ".svd", ".xml" };
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++) {
		size_t el = strlen(endings[i]);

		if (len > el && !strcmp(name + len - el, endings[i])) {
			*stem_end = name + len - el;
			return true;
		}
	}
	return false;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The first map in DIR that WANT takes, or NULL. */
static struct phys_regmap *search_dir(struct phys_ctx *ctx, const char *dir, want_fn want,
				      const void *key)
{
	struct phys_regmap *found = NULL;
	struct dirent **ents;
	int n, i;

	n = scandir(dir, &ents, NULL, by_name);
	if (n < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name, *end;
		char path[PATH_MAX], stem[NAME_MAX + 1];
		struct phys_regmap *map;

		if (found || name[0] == '.' || !has_ending(name, &end))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
			continue;
		snprintf(stem, sizeof(stem), "%.*s", (int)(end - name), name);
		map = phys_regmap_load(ctx, path, 0);
		if (!map) {
			phys_log(ctx, LOG_INFO, "register map %s skipped: %s", path,
				 phys_ctx_errmsg(ctx));
			continue;
		}
		if (want(map, stem, key))
			found = map;
		else
			phys_regmap_free(map);
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return found;
}

/* Each directory, the one searched first first; calls WANT on each map. */
static struct phys_regmap *search(struct phys_ctx *ctx, want_fn want, const void *key,
				  char *where, size_t wlen)
{
	const char *env = secure_getenv("PHYSMEM_REGMAP_PATH");
	const char *xdg = secure_getenv("XDG_DATA_HOME"), *home = secure_getenv("HOME");
	char dirs[8][PATH_MAX];
	struct phys_regmap *map;
	size_t n = 0, used = 0;

	if (env) {
		const char *p = env;

		while (*p && n < 8) {
			size_t len = strcspn(p, ":");

			if (len && len < PATH_MAX)
				snprintf(dirs[n++], PATH_MAX, "%.*s", (int)len, p);
			p += len + (p[len] == ':');
		}
	} else {
		if (xdg && xdg[0] == '/')
			snprintf(dirs[n++], PATH_MAX, "%s/physmem/regmaps", xdg);
		else if (home && home[0] == '/')
			snprintf(dirs[n++], PATH_MAX, "%s/.local/share/physmem/regmaps", home);
		snprintf(dirs[n++], PATH_MAX, "/etc/physmem/regmaps");
		snprintf(dirs[n++], PATH_MAX, "/usr/share/physmem/regmaps");
		if (strcmp(PHYS_DATADIR, "/usr/share"))
			snprintf(dirs[n++], PATH_MAX, "%s/physmem/regmaps", PHYS_DATADIR);
	}
	where[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w;

		map = search_dir(ctx, dirs[i], want, key);
		if (map)
			return map;
		w = snprintf(where + used, wlen - used, "%s%s", i ? ", " : "", dirs[i]);
		if (w > 0 && (size_t)w < wlen - used)
			used += (size_t)w;
	}
	return NULL;
}

static bool want_name(struct phys_regmap *map, const char *stem, const void *key)
{
	return !strcmp(stem, key) || !strcmp(phys_regmap_name(map), key);
}

struct pci_key {
	uint16_t vendor, device;
	int bar;
};

static bool want_pci(struct phys_regmap *map, const char *stem, const void *key)
{
	const struct pci_key *k = key;
	int bar;

	return phys_regmap_pci_match(map, k->vendor, k->device, &bar) &&
	       (bar < 0 || k->bar < 0 || bar == k->bar);
}

PHYS_EXPORT struct phys_regmap *phys_regmap_find(struct phys_ctx *ctx, const char *name)
{
	struct phys_regmap *map;
	char where[1024];

	if (!ctx || !name) {
		errno = EINVAL;
		return NULL;
	}
	PHYS_API(ctx);
	map = search(ctx, want_name, name, where, sizeof(where));
	if (!map)
		errno = -phys_err(ctx, -ENOENT, "no register map named '%s' in %s", name, where);
	return map;
}

PHYS_EXPORT struct phys_regmap *phys_regmap_for_pci(struct phys_ctx *ctx, uint16_t vendor,
						    uint16_t device, int bar)
{
	struct pci_key key = { vendor, device, bar };
	struct phys_regmap *map;
	char where[1024];

	if (!ctx) {
		errno = EINVAL;
		return NULL;
	}
	PHYS_API(ctx);
	map = search(ctx, want_pci, &key, where, sizeof(where));
	if (!map)
		errno = -phys_err(ctx, -ENOENT, "no register map for PCI device %04x:%04x in %s",
				  vendor, device, where);
	return map;
}
