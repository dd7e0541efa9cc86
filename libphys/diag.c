// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Diagnostics: the state of the system (driver, lockdown, STRICT_DEVMEM,
 * capabilities) and the reasons a map failed. The look-ups here are the
 * quiet ones: the explanation already in ctx->errmsg is only added to.
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
#include <zlib.h>

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

/*
 * The running kernel's configuration: /boot/config-RELEASE as Debian
 * installs it, else /proc/config.gz (CONFIG_IKCONFIG_PROC: kernels built
 * by hand, embedded boards). zlib reads both: a plain file passes through
 * gzopen() as it is. SOURCE (if not NULL) gets the path read, or "".
 */
static gzFile kconfig_open(struct phys_ctx *ctx, char *source, size_t size)
{
	char path[PATH_MAX];
	struct utsname u;
	gzFile f = NULL;

	if (source && size)
		*source = '\0';
	if (!uname(&u) && !phys_path(ctx, path, sizeof(path), "/boot/config-%s", u.release))
		f = gzopen(path, "rbe");
	if (f && source)	/* named as on the machine, without --sysroot */
		snprintf(source, size, "/boot/config-%.*s", (int)(size > 14 ? size - 14 : 0),
			 u.release);
	if (!f && !phys_path(ctx, path, sizeof(path), "/proc/config.gz")) {
		f = gzopen(path, "rbe");
		if (f && source)
			snprintf(source, size, "/proc/config.gz");
	}
	return f;
}

/* 1 if CONFIG_NAME=y in the kernel's configuration, 0 if not set, -1 unknown. */
static int kconfig(struct phys_ctx *ctx, const char *name, char *source, size_t size)
{
	char line[256], want_y[128], want_n[128];
	int ret = 0;	/* a config that does not mention it has it off */
	gzFile f = kconfig_open(ctx, source, size);

	if (!f)
		return -1;
	snprintf(want_y, sizeof(want_y), "CONFIG_%s=y", name);
	snprintf(want_n, sizeof(want_n), "# CONFIG_%s is not set", name);
	while (gzgets(f, line, sizeof(line))) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, want_y)) {
			ret = 1;
			break;
		}
		if (!strcmp(line, want_n))
			break;
	}
	gzclose(f);
	return ret;
}

PHYS_EXPORT int phys_system_info(struct phys_ctx *ctx, struct phys_system_info *info)
{
	struct phys_system_info full = PHYS_INFO_INIT(struct phys_system_info), *info_out = info;
	struct physmem_info di;
	int fd;

	if (!ctx || !info)
		return -EINVAL;
	PHYS_API(ctx);
	if (info->struct_size < PHYS_SYSTEM_INFO_V0)
		return phys_err(ctx, -EINVAL, "struct phys_system_info: struct_size %zu, at least "
				"%zu expected (PHYS_INFO_INIT)", info->struct_size,
				PHYS_SYSTEM_INFO_V0);
	info = &full;
	info->driver_loaded = phys_driver_present(ctx);
	if (info->driver_loaded && !phys_driver_fd(ctx, O_RDONLY, &fd)) {
		if (!ioctl(fd, PHYSMEM_IOC_INFO, &di)) {
			info->driver_sealed = di.flags & PHYSMEM_INFO_SEALED;
			snprintf(info->driver_version, sizeof(info->driver_version), "%u.%u",
				 di.version_major, di.version_minor);
		}
		close(fd);
	}
	read_lockdown(ctx, info->lockdown, sizeof(info->lockdown));
	info->strict_devmem = kconfig(ctx, "STRICT_DEVMEM", info->kconfig,
				      sizeof(info->kconfig));
	info->io_strict_devmem = kconfig(ctx, "IO_STRICT_DEVMEM", NULL, 0);
	info->cap_sys_rawio = pol_cap_available(CAP_SYS_RAWIO);
	info->cap_sys_admin = pol_cap_available(CAP_SYS_ADMIN);
	return phys_info_out(info_out, &full, sizeof(full), PHYS_SYSTEM_INFO_V0);
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
	unsigned int seen;

	return t->kind == PHYS_T_PCI && !phys_pci_lookup(ctx, t, dev, &seen);
}

/* Lockdown forbids /dev/mem and the driver alike. */
void phys_diag_lockdown(struct phys_ctx *ctx)
{
	char lockdown[24];

	read_lockdown(ctx, lockdown, sizeof(lockdown));
	if (lockdown[0] && strcmp(lockdown, "none"))
		append(ctx, "kernel lockdown is '%s': it forbids /dev/mem-style access", lockdown);
}

/* The driver refused: which window, if any, and why. */
void phys_diag_window(struct phys_ctx *ctx, const struct phys_target *t, int err)
{
	struct phys_window_info w;

	if (err == -EINVAL || err == -EPERM || err == -ENXIO || err == -EACCES ||
	    err == -ENODEV) {
		if (phys_window_at(ctx, t->phys, 1, &w)) {
			append(ctx, "no driver window holds 0x%llx (not in the policy? "
			       "see physmem-policy show)", (unsigned long long)t->phys);
		} else {
			if (!w.rw)
				append(ctx, "window '%s' is read-only (map with PHYS_MAP_RDONLY)", w.name);
			if (w.gone)
				append(ctx, "the device behind window '%s' was removed", w.name);
		}
	}
}

void phys_diag_strict_devmem(struct phys_ctx *ctx, int err)
{
	if ((err == -EPERM || err == -EINVAL) && kconfig(ctx, "STRICT_DEVMEM", NULL, 0) != 0)
		append(ctx, "STRICT_DEVMEM refuses /dev/mem outside I/O ranges");
}

/* Under IO_STRICT_DEVMEM, /dev/mem and sysfs resourceN refuse a range a
 * driver claimed. */
void phys_diag_claimed(struct phys_ctx *ctx, const struct phys_target *t, int err)
{
	char owner[128];

	if (err == -EPERM || err == -EINVAL) {
		if (!phys_iomem_owner(ctx, t->phys, t->phys + (t->size ? t->size - 1 : 0),
				      owner, sizeof(owner)) &&
		    kconfig(ctx, "IO_STRICT_DEVMEM", NULL, 0) != 0)
			append(ctx, "IO_STRICT_DEVMEM refuses ranges claimed by a driver: "
			       "0x%llx is claimed by '%s'", (unsigned long long)t->phys, owner);
	}
}

/* The backend's reasons, then the PCI device's state. */
void phys_diag_map_failure(struct phys_ctx *ctx, const struct phys_target *t,
			   const struct phys_backend *backend, int err)
{
	struct phys_pci_dev dev;

	if (err == -ENOMEM || err == -ENAMETOOLONG)
		return;
	if (backend->diagnose)
		backend->diagnose(ctx, t, err);
	if (target_dev(ctx, t, &dev)) {
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
