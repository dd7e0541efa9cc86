// SPDX-License-Identifier: GPL-2.0-or-later
/* What is there and what is allowed: map, windows, pci, iomem, info. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/capability.h>

#include <physmem-policy.h>

#include "devmemtool.h"
#include "window-json.h"

void human_size(char *buf, size_t n, uint64_t size)
{
	static const char units[] = "KMGTPE";
	unsigned int u = 0;

	if (size == 0 || size % 1024) {
		snprintf(buf, n, "%" PRIu64, size);
		return;
	}
	size /= 1024;
	while (size % 1024 == 0 && u < sizeof(units) - 2) {
		size /= 1024;
		u++;
	}
	snprintf(buf, n, "%" PRIu64 "%c", size, units[u]);
}

static int info_failed(struct dmt *t, const struct command *cmd, int err)
{
	out_error(t, "%s: %s", cmd->name, errno_reason(t, err));
	return DMT_FAILED;
}

/*
 * A `map ... as NAME` name follows the window-name rule (pm_name_check()),
 * so it is never taken for an address, an offset or a target and reads
 * like the window it often stands for. It must also not be a command:
 * that would make a script line ambiguous to a reader.
 */
static int check_alias(struct dmt *t, const struct command *cmd, const char *name)
{
	char msg[PM_ERRMSG_MAX];
	int ret = pm_name_check(name, strlen(name));

	if (ret)
		return usage_error(t, cmd, "%s",
				   pm_strerror(ret, name, strlen(name), msg, sizeof(msg)));
	if (command_find(name))
		return usage_error(t, cmd, "'%s' cannot be a name: it is a command", name);
	if (const_find(t, name, strlen(name)))
		return usage_error(t, cmd, "'%s' is already a constant", name);
	if (buf_find(t, name, strlen(name)))
		return usage_error(t, cmd, "'%s' is already a DMA buffer's name", name);
	return 0;
}

/* `map` options: what libphys's map flags offer, by name. */
static const struct {
	const char *name;
	unsigned int flag;
} map_options[] = {
	{ "be", PHYS_MAP_BIG_ENDIAN },
	{ "split64", PHYS_MAP_SPLIT64 },
	{ "wc", PHYS_MAP_WC },
};

#define NOPTIONS	(sizeof(map_options) / sizeof(map_options[0]))

static void print_mapping(struct dmt *t, const char *name,
			  const struct mapping *m)
{
	bool ro = m->flags & PHYS_MAP_RDONLY;
	char sz[32], opts[64] = "";

	if (t->json) {
		struct json_object *o = out_json_new("map");

		json_object_object_add(o, "name", json_object_new_string(name));
		json_object_object_add(o, "target", json_object_new_string(m->key));
		if (m->has_phys)
			json_object_object_add(o, "phys",
					       json_object_new_uint64(m->phys));
		json_object_object_add(o, "size", json_object_new_uint64(m->size));
		json_object_object_add(o, "readonly", json_object_new_boolean(ro));
		for (size_t i = 0; i < NOPTIONS; i++)
			json_object_object_add(o, map_options[i].name,
				json_object_new_boolean(m->flags & map_options[i].flag));
		out_json(t, o);
		return;
	}
	if (t->quiet)
		return;
	for (size_t i = 0; i < NOPTIONS; i++)
		if (m->flags & map_options[i].flag)
			snprintf(opts + strlen(opts), sizeof(opts) - strlen(opts),
				 ", %s", map_options[i].name);
	human_size(sz, sizeof(sz), m->size);
	if (m->has_phys)
		printf("%s: %s at 0x%08" PRIx64 ", size 0x%" PRIx64 " (%s)%s%s\n",
		       name, m->key, m->phys, m->size, sz, ro ? ", read-only" : "",
		       opts);
	else
		printf("%s: %s, size 0x%" PRIx64 " (%s)%s%s\n", name, m->key,
		       m->size, sz, ro ? ", read-only" : "", opts);
}

/*
 * map TARGET [OPTION...] [as NAME]. A bare physical address maps from
 * there to the end of the window (or, without one, the page) holding it,
 * so that NAME+OFF is ADDR+OFF.
 */
int prep_map(struct dmt *t, struct op *op)
{
	const struct command *cmd = op->cmd;
	char **argv = op->argv;
	int argc = op->argc, last = argc;
	const char *name = NULL, *regmap = NULL;
	unsigned int flags = 0;
	uint64_t addr, length = 0;
	struct mapping *m;
	int ret;

	if (argc == 1) {
		/* the list as it stands at this line, not after the script */
		struct alias *list = prog_alloc(t->prog, (t->naliases + t->nmaps + 1) *
						sizeof(*list));

		if (!list) {
			out_error(t, "out of memory");
			return DMT_FAILED;
		}
		for (size_t i = 0; i < t->naliases; i++)
			list[op->n++] = t->aliases[i];
		for (size_t i = 0; i < t->nmaps; i++)
			list[op->n++] = (struct alias){ t->maps[i]->key, t->maps[i] };
		op->data = list;
		return 0;
	}
	/* ... [as NAME [regmap MAP]] */
	if (argc >= 4 && strcmp(argv[argc - 2], "regmap") == 0) {
		regmap = argv[argc - 1];
		argc -= 2;
		last = argc;
		if (argc < 4 || strcmp(argv[argc - 2], "as"))
			return usage_error(t, cmd, "regmap MAP needs 'as NAME' before it: "
					   "its registers are NAME.REG");
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "as") == 0) {
			if (i != argc - 2)
				return usage_error(t, cmd, "expected one NAME after 'as'");
			name = argv[i + 1];
			last = i;
			break;
		}
	}
	for (int i = 2; i < last; i++) {
		size_t k;

		for (k = 0; k < NOPTIONS; k++)
			if (strcmp(argv[i], map_options[k].name) == 0)
				break;
		if (k == NOPTIONS)
			return usage_error(t, cmd, "unknown option '%s': be, split64, wc, "
					   "or 'as NAME'", argv[i]);
		flags |= map_options[k].flag;
	}
	if (buf_find(t, argv[1], strlen(argv[1]))) {
		out_error(t, "%s %s: a DMA buffer: its memory is %s[+OFF] as it is", cmd->name,
			  argv[1], argv[1]);
		return DMT_FAILED;
	}
	if (name) {
		ret = check_alias(t, cmd, name);
		if (ret)
			return ret;
		if (alias_find(t, argv[1]))
			return usage_error(t, cmd, "'%s' is already a name; map its "
					   "target instead", argv[1]);
	}
	if (pm_parse_u64(argv[1], PM_NUM_BYTES, &addr) == 0) {
		struct phys_target_info info = PHYS_INFO_INIT(struct phys_target_info);

		ret = phys_target_resolve(t->ctx, argv[1], &info);
		if (ret)
			goto fail;
		length = info.size ? info.size : 4096 - (addr & 4095);
	}
	ret = mapping_open_opts(t, argv[1], length, flags, &m);
	if (ret)
		goto fail;
	if (name) {
		ret = alias_add(t, name, m);
		if (ret)
			return info_failed(t, cmd, ret);
	}
	if (regmap) {
		char why[PM_ERRMSG_MAX + 256];

		if (regmap_use(t, regmap, name, m, why, sizeof(why))) {
			out_error(t, "%s %s: regmap %s: %s", cmd->name, argv[1], regmap, why);
			return DMT_FAILED;
		}
		m->regmap_tried = true;
	}
	op->loc.m = m;
	op->loc.name = name ? name : argv[1];
	return 0;
fail:
	out_error(t, "%s %s: %s", cmd->name, argv[1], errno_reason(t, ret));
	return DMT_FAILED;
}

int exec_map(struct dmt *t, const struct op *op)
{
	if (op->argc == 1) {
		const struct alias *list = op->data;

		for (uint64_t i = 0; i < op->n; i++)
			print_mapping(t, list[i].name, list[i].m);
		return 0;
	}
	print_mapping(t, op->loc.name, op->loc.m);
	return 0;
}

/* unmap/remap NAME: a `map ... as` name or a mapped target. */
static int prep_named(struct dmt *t, struct op *op)
{
	if (buf_find(t, op->argv[1], strlen(op->argv[1]))) {
		out_error(t, "%s %s: a DMA buffer, not a map (buf free %s frees it)",
			  op->cmd->name, op->argv[1], op->argv[1]);
		return DMT_FAILED;
	}
	op->loc.m = mapping_named(t, op->argv[1]);
	op->loc.name = op->argv[1];
	if (!op->loc.m) {
		out_error(t, "%s %s: not mapped (see 'map')", op->cmd->name,
			  op->argv[1]);
		return DMT_FAILED;
	}
	return 0;
}

int prep_unmap(struct dmt *t, struct op *op)
{
	int ret = prep_named(t, op);

	if (!ret)
		mapping_retire(t, op->loc.m);
	return ret;
}

int exec_unmap(struct dmt *t, const struct op *op)
{
	struct mapping *m = op->loc.m;

	if (t->dry_run) {
		out_dry(t, op->cmd->name, &op->loc, "close the map");
		return 0;
	}
	if (m->map)
		phys_map_close(m->map);
	m->map = NULL;
	/*
	 * Lines after it that name the target were prepared with a map
	 * opened then; it is opened again now, so that they see the target
	 * as it is when they run.
	 */
	if (m->successor) {
		char why[400];

		if (mapping_reopen(t, m->successor, why, sizeof(why))) {
			out_error(t, "%s %s: closed; the lines after it: %s", op->cmd->name,
				  op->argv[1], why);
			return DMT_FAILED;
		}
	}
	return 0;
}

int prep_remap(struct dmt *t, struct op *op)
{
	return prep_named(t, op);
}

int exec_remap(struct dmt *t, const struct op *op)
{
	int ret;
	if (t->dry_run) {
		out_dry(t, op->cmd->name, &op->loc, "open the target again");
		return 0;
	}
	char why[400];

	ret = mapping_reopen(t, op->loc.m, why, sizeof(why));
	if (ret) {
		out_error(t, "%s %s: %s (the old map stays)", op->cmd->name,
			  op->argv[1], why);
		return DMT_FAILED;
	}
	print_mapping(t, op->loc.name, op->loc.m);
	return 0;
}

static int print_window(const struct phys_window_info *w, void *data)
{
	struct dmt *t = data;
	char line[256];

	if (t->json) {
		struct json_object *o = out_json_new("windows");

		window_json_add(o, w);
		out_json(t, o);
		return 0;
	}
	phys_window_format(w, line, sizeof(line));
	puts(line);
	return 0;
}

int exec_windows(struct dmt *t, const struct op *op)
{
	const struct command *cmd = op->cmd;
	char header[128];
	int ret;

	if (!t->json) {
		phys_window_format(NULL, header, sizeof(header));
		puts(header);
	}
	ret = phys_window_foreach(t->ctx, print_window, t);

	return ret ? info_failed(t, cmd, ret) : 0;
}

static int print_pci(const struct phys_pci_dev *d, void *data)
{
	struct dmt *t = data;
	char bdf[PM_BDF_MAX], sz[32];

	pm_pci_bdf(bdf, d->domain, d->bus, d->dev, d->func);
	if (t->json) {
		struct json_object *o = out_json_new("pci");
		struct json_object *bars = json_object_new_array();
		char id[16];

		json_object_object_add(o, "address", json_object_new_string(bdf));
		snprintf(id, sizeof(id), "%04x:%04x", d->vendor_id, d->device_id);
		json_object_object_add(o, "id", json_object_new_string(id));
		json_object_object_add(o, "class", json_object_new_int(d->class_id));
		json_object_object_add(o, "vendor_name",
				       json_object_new_string(d->vendor_name));
		json_object_object_add(o, "device_name",
				       json_object_new_string(d->device_name));
		json_object_object_add(o, "driver", json_object_new_string(d->driver));
		json_object_object_add(o, "mem_decode",
				       json_object_new_boolean(d->mem_decode));
		for (int i = 0; i < 6; i++) {
			const struct phys_pci_bar *b = &d->bars[i];
			struct json_object *jb;

			if (!b->size)
				continue;
			jb = json_object_new_object();
			json_object_object_add(jb, "bar", json_object_new_int(i));
			json_object_object_add(jb, "addr", json_object_new_uint64(b->addr));
			json_object_object_add(jb, "size", json_object_new_uint64(b->size));
			json_object_object_add(jb, "io", json_object_new_boolean(b->is_io));
			json_object_object_add(jb, "64bit", json_object_new_boolean(b->is_64bit));
			json_object_object_add(jb, "prefetchable",
					       json_object_new_boolean(b->prefetchable));
			json_object_object_add(jb, "assigned",
					       json_object_new_boolean(b->assigned));
			json_object_array_add(bars, jb);
		}
		json_object_object_add(o, "bars", bars);
		out_json(t, o);
		return 0;
	}
	/* IDs missing from pci.ids (QEMU's edu) print no empty name fields. */
	printf("%s %04x:%04x %s%s%s%s%s (driver: %s, memory decoding %s)\n", bdf,
	       d->vendor_id, d->device_id,
	       *d->class_name ? d->class_name : "Device",
	       *d->vendor_name || *d->device_name ? ": " : "",
	       d->vendor_name, *d->vendor_name && *d->device_name ? " " : "",
	       d->device_name,
	       *d->driver ? d->driver : "none", d->mem_decode ? "on" : "off");
	for (int i = 0; i < 6; i++) {
		const struct phys_pci_bar *b = &d->bars[i];

		if (!b->size)
			continue;
		human_size(sz, sizeof(sz), b->size);
		printf("\tBAR%d 0x%08" PRIx64 " size 0x%" PRIx64 " (%s) %s%s%s%s\n",
		       i, b->addr, b->size, sz,
		       b->is_io ? "io" : b->is_64bit ? "mem64" : "mem32",
		       b->prefetchable ? " prefetchable" : "",
		       b->assigned ? "" : " unassigned",
		       "");
	}
	return 0;
}

int exec_pci(struct dmt *t, const struct op *op)
{
	const struct command *cmd = op->cmd;
	int argc = op->argc;
	char **argv = op->argv;
	int ret = phys_pci_foreach(t->ctx, argc > 1 ? argv[1] : NULL,
				   print_pci, t);

	return ret ? info_failed(t, cmd, ret) : 0;
}

static int print_iomem(const struct phys_iomem_region *r, void *data)
{
	struct dmt *t = data;

	if (t->json) {
		struct json_object *o = out_json_new("iomem");

		json_object_object_add(o, "start", json_object_new_uint64(r->start));
		json_object_object_add(o, "end", json_object_new_uint64(r->end));
		json_object_object_add(o, "depth", json_object_new_int((int)r->depth));
		json_object_object_add(o, "label", json_object_new_string(r->label));
		out_json(t, o);
		return 0;
	}
	printf("%*s%08" PRIx64 "-%08" PRIx64 " : %s\n", (int)r->depth * 2, "",
	       r->start, r->end, r->label);
	return 0;
}

int exec_iomem(struct dmt *t, const struct op *op)
{
	const struct command *cmd = op->cmd;
	int ret = phys_iomem_foreach(t->ctx, print_iomem, t);

	return ret ? info_failed(t, cmd, ret) : 0;
}

static const char *tristate(int v)
{
	return v > 0 ? "yes" : v == 0 ? "no" : "unknown";
}

int exec_info(struct dmt *t, const struct op *op)
{
	const struct command *cmd = op->cmd;
	struct phys_system_info si = PHYS_INFO_INIT(struct phys_system_info);
	const char *backend = phys_ctx_get_backend(t->ctx);
	int ret = phys_system_info(t->ctx, &si);

	if (ret)
		return info_failed(t, cmd, ret);
	if (t->json) {
		struct json_object *o = out_json_new("info");

		json_object_object_add(o, "version", json_object_new_string(VERSION));
		json_object_object_add(o, "libphys",
				       json_object_new_string(phys_version()));
		json_object_object_add(o, "backend",
				       json_object_new_string(backend ? backend : ""));
		json_object_object_add(o, "driver_loaded",
				       json_object_new_boolean(si.driver_loaded));
		json_object_object_add(o, "driver_sealed",
				       json_object_new_boolean(si.driver_sealed));
		json_object_object_add(o, "lockdown", json_object_new_string(si.lockdown));
		json_object_object_add(o, "strict_devmem",
				       json_object_new_int(si.strict_devmem));
		json_object_object_add(o, "io_strict_devmem",
				       json_object_new_int(si.io_strict_devmem));
		json_object_object_add(o, "kconfig", json_object_new_string(si.kconfig));
		json_object_object_add(o, "cap_sys_rawio",
				       json_object_new_boolean(si.cap_sys_rawio));
		json_object_object_add(o, "cap_sys_admin",
				       json_object_new_boolean(si.cap_sys_admin));
		json_object_object_add(o, "dry_run", json_object_new_boolean(t->dry_run));
		out_json(t, o);
		return 0;
	}
	printf("devmemtool:       %s (libphys %s)\n", VERSION, phys_version());
	if (backend && strcmp(backend, "auto") == 0) {
		/* auto's order is libphys's table: say it, and what wins here */
		printf("backend:          auto: per target, the first of");
		for (unsigned int i = 0; phys_backend_name(i); i++)
			printf("%s %s", i ? "," : "", phys_backend_name(i));
		printf(" that serves it%s\n", si.driver_loaded ?
		       "; physmem for the driver's windows" : "");
	} else {
		printf("backend:          %s\n", backend ? backend : "?");
	}
	printf("physmem driver:   %s%s\n", si.driver_loaded ? "loaded" : "not loaded",
	       si.driver_sealed ? ", sealed" : "");
	printf("lockdown:         %s\n", *si.lockdown ? si.lockdown : "unknown");
	if (PHYS_INFO_HAS(struct phys_system_info, &si, kconfig) && *si.kconfig) {
		printf("STRICT_DEVMEM:    %s (%s)\n", tristate(si.strict_devmem), si.kconfig);
		printf("IO_STRICT_DEVMEM: %s (%s)\n", tristate(si.io_strict_devmem), si.kconfig);
	} else {
		printf("STRICT_DEVMEM:    %s (no /boot/config-RELEASE or /proc/config.gz)\n",
		       tristate(si.strict_devmem));
		printf("IO_STRICT_DEVMEM: %s\n", tristate(si.io_strict_devmem));
	}
	if (si.cap_sys_rawio) {
		printf("CAP_SYS_RAWIO:    yes\n");
	} else {
		char why[512];

		printf("CAP_SYS_RAWIO:    no (%s)\n", pol_cap_explain(CAP_SYS_RAWIO,
		       NULL, why, sizeof(why)));
	}
	printf("CAP_SYS_ADMIN:    %s\n", si.cap_sys_admin ? "yes" : "no");
	if (t->dry_run)
		printf("mode:             dry run (nothing is accessed)\n");
	return 0;
}
