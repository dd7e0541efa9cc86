// temporary
#include "internal.h"
static bool no_usable(struct phys_ctx *ctx, const struct phys_target *t) { return false; }
static int no_map(struct phys_ctx *ctx, struct phys_map *map, const struct phys_target *t, uint64_t off, uint64_t len)
{ return phys_err(ctx, -ENOSYS, "backend not implemented yet"); }
const struct phys_backend phys_backend_physmem = { "physmem", no_usable, no_map, phys_munmap };
const struct phys_backend phys_backend_devmem = { "devmem", no_usable, no_map, phys_munmap };
const struct phys_backend phys_backend_sysfs = { "sysfs", no_usable, no_map, phys_munmap };
int phys_window_find(struct phys_ctx *ctx, const char *name, struct phys_window_info *w) { return phys_err(ctx, -ENOSYS, "windows: not yet"); }
int phys_window_containing(struct phys_ctx *ctx, uint64_t phys, uint64_t len, struct phys_window_info *w) { return -ENOENT; }
int phys_pci_find(struct phys_ctx *ctx, const struct phys_target *t, struct phys_pci_dev *dev) { return phys_err(ctx, -ENOSYS, "pci: not yet"); }
int phys_iomem_find(struct phys_ctx *ctx, const char *label, unsigned int index, uint64_t *start, uint64_t *end) { return phys_err(ctx, -ENOSYS, "iomem: not yet"); }
void phys_diag_map_failure(struct phys_ctx *ctx, const struct phys_target *t, const char *backend, int err) {}
int phys_policy_check(struct phys_ctx *ctx, const struct phys_target *t, uint64_t off, uint64_t len, bool write) { return 0; }
PHYS_EXPORT int phys_pci_foreach(struct phys_ctx *ctx, const char *filter, phys_pci_fn fn, void *data) { return phys_err(ctx, -ENOSYS, "not yet"); }
PHYS_EXPORT int phys_iomem_foreach(struct phys_ctx *ctx, phys_iomem_fn fn, void *data) { return phys_err(ctx, -ENOSYS, "not yet"); }
PHYS_EXPORT int phys_window_foreach(struct phys_ctx *ctx, phys_window_fn fn, void *data) { return phys_err(ctx, -ENOSYS, "not yet"); }
PHYS_EXPORT int phys_system_info(struct phys_ctx *ctx, struct phys_system_info *info) { return phys_err(ctx, -ENOSYS, "not yet"); }
