// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Diagnostics: the state of the system (driver, lockdown, STRICT_DEVMEM,
 * capabilities), the reasons a map failed, and the user-space policy
 * check for backends that do not go through the driver.
 */
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/physmem.h>
#include "physmem-policy.h"
#include "internal.h"
#include "physmem-common.h"

/* "none [integrity] confidentiality" -> "integrity"; "" if unknown. */
static void read_lockdown(struct phys_ctx *ctx, char *buf, size_t size)
{
	char path[PATH_MAX], line[128], *open_br, *close_br;
	FILE *f;

	buf[0] = '\0';
	if (phys_path(ctx, path, sizeof(path), "/sys/kernel/security/lockdown"))
		return;
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(line, sizeof(line), f) && (open_br = strchr(line, '[')) &&
	    (close_br = strchr(open_br, ']'))) {
		*close_br = '\0';
		snprintf(buf, size, "%s", open_br + 1);
	}
	fclose(f);
}

/* 1 if CONFIG_NAME=y in /boot/config-RELEASE, 0 if not set, -1 unknown. */
static int kconfig(struct phys_ctx *ctx, const char *name)
{
	char path[PATH_MAX], line[256], want_y[128], want_n[128];
	struct utsname u;
	int ret = -1;
	FILE *f;

	if (uname(&u) || phys_path(ctx, path, sizeof(path), "/boot/config-%s", u.release))
		return -1;
	f = fopen(path, "re");
	if (!f)
		return -1;
	snprintf(want_y, sizeof(want_y), "CONFIG_%s=y", name);
	snprintf(want_n, sizeof(want_n), "# CONFIG_%s is not set", name);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, want_y)) {
			ret = 1;
			break;
		}
		if (!strcmp(line, want_n)) {
			ret = 0;
			break;
		}
	}
	fclose(f);
	if (ret < 0 && f)
		ret = 0;	/* a config that does not mention it has it off */
	return ret;
}

static bool driver_present(struct phys_ctx *ctx)
{
	char path[PATH_MAX];

	return !phys_path(ctx, path, sizeof(path), "%s", PHYSMEM_DEVICE_PATH) &&
	       !access(path, F_OK);
}

PHYS_EXPORT int phys_system_info(struct phys_ctx *ctx, struct phys_system_info *info)
{
	struct physmem_info di;
	char saved[PHYS_ERRMSG_MAX];
	int fd;

	if (!ctx || !info)
		return -EINVAL;
	phys_clear_err(ctx);
	memset(info, 0, sizeof(*info));
	info->driver_loaded = driver_present(ctx);
	if (info->driver_loaded) {
		memcpy(saved, ctx->errmsg, sizeof(saved));
		if (!phys_driver_open(ctx, O_RDONLY, &fd)) {
			if (!ioctl(fd, PHYSMEM_IOC_INFO, &di))
				info->driver_sealed = di.flags & PHYSMEM_INFO_SEALED;
			close(fd);
		}
		memcpy(ctx->errmsg, saved, sizeof(saved));
	}
	read_lockdown(ctx, info->lockdown, sizeof(info->lockdown));
	info->strict_devmem = kconfig(ctx, "STRICT_DEVMEM");
	info->io_strict_devmem = kconfig(ctx, "IO_STRICT_DEVMEM");
	info->cap_sys_rawio = pol_cap_available(CAP_SYS_RAWIO);
	info->cap_sys_admin = pol_cap_available(CAP_SYS_ADMIN);
	return 0;
}

PHYS_PRINTF(2, 3)
static void append(struct phys_ctx *ctx, const char *fmt, ...)
{
	size_t n = strlen(ctx->errmsg);
	va_list ap;

	if (n + 3 >= sizeof(ctx->errmsg))
		return;
	memcpy(ctx->errmsg + n, "; ", 3);
	va_start(ap, fmt);
	vsnprintf(ctx->errmsg + n + 2, sizeof(ctx->errmsg) - n - 2, fmt, ap);
	va_end(ap);
}

/* Find the PCI device behind T again, for its state; false if none. */
static bool target_dev(struct phys_ctx *ctx, const struct phys_target *t, struct phys_pci_dev *dev)
{
	char saved[PHYS_ERRMSG_MAX];
	bool ok;

	if (t->kind != PHYS_T_PCI)
		return false;
	memcpy(saved, ctx->errmsg, sizeof(saved));
	ok = !phys_pci_find(ctx, t, dev);
	memcpy(ctx->errmsg, saved, sizeof(saved));
	return ok;
}

void phys_diag_map_failure(struct phys_ctx *ctx, const struct phys_target *t,
			   const char *backend, int err)
{
	char saved[PHYS_ERRMSG_MAX], owner[128], lockdown[24];
	struct phys_window_info w;
	struct phys_pci_dev dev;
	bool pci = target_dev(ctx, t, &dev);
	bool devmem = !strcmp(backend, "devmem");
	bool driver = !strcmp(backend, "physmem") || !strcmp(backend, "pread");

	if (err == -ENOMEM || err == -ENAMETOOLONG)
		return;
	read_lockdown(ctx, lockdown, sizeof(lockdown));
	if (lockdown[0] && strcmp(lockdown, "none") && (devmem || driver))
		append(ctx, "kernel lockdown is '%s': it forbids /dev/mem-style access", lockdown);
	if (driver && (err == -EINVAL || err == -EPERM || err == -ENXIO || err == -EACCES ||
		       err == -ENODEV)) {
		memcpy(saved, ctx->errmsg, sizeof(saved));
		if (phys_window_containing(ctx, t->phys, 1, &w)) {
			memcpy(ctx->errmsg, saved, sizeof(saved));
			append(ctx, "no driver window holds 0x%llx (not in the policy? "
			       "see physmem-policy show)", (unsigned long long)t->phys);
		} else {
			memcpy(ctx->errmsg, saved, sizeof(saved));
			if (!w.rw)
				append(ctx, "window '%s' is read-only (map with PHYS_MAP_RDONLY)", w.name);
			if (w.gone)
				append(ctx, "the device behind window '%s' was removed", w.name);
		}
	}
	/* sysfs resourceN: the kernel refuses to mmap a claimed BAR as well */
	if ((devmem || !strcmp(backend, "sysfs")) && (err == -EPERM || err == -EINVAL)) {
		if (devmem && kconfig(ctx, "STRICT_DEVMEM") != 0)
			append(ctx, "STRICT_DEVMEM refuses /dev/mem outside I/O ranges");
		memcpy(saved, ctx->errmsg, sizeof(saved));
		if (!phys_iomem_owner(ctx, t->phys, t->phys + (t->size ? t->size - 1 : 0),
				      owner, sizeof(owner))) {
			memcpy(ctx->errmsg, saved, sizeof(saved));
			if (kconfig(ctx, "IO_STRICT_DEVMEM") != 0)
				append(ctx, "IO_STRICT_DEVMEM refuses ranges claimed by a driver: "
				       "0x%llx is claimed by '%s'", (unsigned long long)t->phys, owner);
		} else {
			memcpy(ctx->errmsg, saved, sizeof(saved));
		}
	}
	if (pci) {
		char bdf[PM_BDF_MAX];

		pm_pci_bdf(bdf, dev.domain, dev.bus, dev.dev, dev.func);
		if (!dev.bars[t->bar].assigned)
			append(ctx, "BAR %u of %s is not assigned", t->bar, bdf);
		if (!dev.mem_decode)
			append(ctx, "memory decoding is off on %s "
			       "(command register bit 1; setpci -s %s COMMAND=0x02:0x02)", bdf, bdf);
		if (dev.driver[0])
			append(ctx, "%s is bound to driver '%s'", bdf, dev.driver);
	}
}

/* ---- policy for backends without the driver -------------------------- */

struct resolve_data {
	struct phys_ctx *ctx;
};

static int count_label(const struct phys_iomem_region *r, void *data)
{
	struct { const char *label; unsigned int n; } *c = data;

	if (!strcmp(r->label, c->label))
		c->n++;
	return 0;
}

static int resolve_rule(const struct pol_rule *rule, struct pol_resolved *out,
			char *err, size_t errlen, void *data)
{
	struct resolve_data *rd = data;
	struct phys_ctx *ctx = rd->ctx;
	struct phys_target t;
	struct phys_pci_dev dev;
	char bdf[PM_BDF_MAX];
	uint64_t start, end;
	int r;

	memset(&t, 0, sizeof(t));
	switch (rule->source) {
	case POL_SRC_PCI_ID:
	case POL_SRC_PCI_ADDR:
		t.kind = PHYS_T_PCI;
		t.pci_by_id = rule->source == POL_SRC_PCI_ID;
		t.vendor = rule->vendor;
		t.device = rule->device;
		t.index = rule->index;
		t.domain = rule->domain;
		t.bus = rule->bus;
		t.dev = rule->dev;
		t.func = rule->func;
		r = phys_pci_find(ctx, &t, &dev);
		if (r)
			break;
		if (!dev.bars[rule->bar].size || dev.bars[rule->bar].is_io ||
		    !dev.bars[rule->bar].assigned) {
			r = phys_err(ctx, -ENODEV, "%s has no assigned memory BAR %u",
				     pm_pci_bdf(bdf, dev.domain, dev.bus, dev.dev, dev.func), rule->bar);
			break;
		}
		out->base = dev.bars[rule->bar].addr;
		out->size = dev.bars[rule->bar].size;
		out->domain = dev.domain;
		out->bus = dev.bus;
		out->dev = dev.dev;
		out->func = dev.func;
		out->prefetchable = dev.bars[rule->bar].prefetchable;
		return 0;
	case POL_SRC_IOMEM: {
		struct { const char *label; unsigned int n; } c = { rule->label, 0 };

		if (!rule->index_given) {
			phys_iomem_foreach(ctx, count_label, &c);
			if (c.n > 1) {
				r = phys_err(ctx, -EINVAL, "label \"%s\" is ambiguous (%u regions): add #N",
					     rule->label, c.n);
				break;
			}
		}
		r = phys_iomem_find(ctx, rule->label, rule->index, &start, &end);
		if (r)
			break;
		out->base = start;
		out->size = end - start + 1;
		out->iomem_index = rule->index;
		return 0;
	}
	default:
		r = phys_err(ctx, -EINVAL, "unknown rule source");
	}
	snprintf(err, errlen, "%s", ctx->errmsg);
	return r;
}

int phys_policy_check(struct phys_ctx *ctx, const struct phys_target *t,
		      uint64_t off, uint64_t len, bool write)
{
	struct resolve_data rd = { ctx };
	const struct pol_rule *rule;
	struct pol_set *set = pol_set_new();
	int r;

	if (!set)
		return phys_err(ctx, -ENOMEM, "out of memory");
	r = pol_set_load(set, (const char *const *)ctx->policy_files,
			 ctx->sysroot[0] ? ctx->sysroot : NULL);
	if (r) {
		r = phys_err(ctx, r, "policy: %s", pol_set_errmsg(set));
		goto out;
	}
	r = pol_set_resolve(set, resolve_rule, &rd);
	if (r) {
		r = phys_err(ctx, r, "policy: %s", pol_set_errmsg(set));
		goto out;
	}
	r = pol_set_check_access(set, t->phys + off, len, write, &rule);
	if (r)
		r = phys_err(ctx, r, "%s", pol_set_errmsg(set));
	else
		phys_log(ctx, LOG_DEBUG, "policy: rule '%s' allows 0x%llx+0x%llx", rule->name,
			 (unsigned long long)(t->phys + off), (unsigned long long)len);
out:
	pol_set_free(set);
	return r;
}
