// SPDX-License-Identifier: GPL-2.0
/*
 * physmem: the window table. Validation, resolution, claims, and the
 * ioctls that change the table (add, remove, seal, replace).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "physmem.h"

DECLARE_RWSEM(physmem_lock);
LIST_HEAD(physmem_windows);
/*
 * Serializes the changes of the table (ADD, REMOVE, REPLACE) with the
 * binding and unbinding of the devices they grant (owner.c), which call
 * into the driver core and so must not hold physmem_lock.
 * Lock order: physmem_table_mutex -> device_lock -> physmem_lock.
 */
DEFINE_MUTEX(physmem_table_mutex);
static bool physmem_sealed;
static unsigned int physmem_nr_windows;

static unsigned int physmem_phys_bits(void)
{
#ifdef CONFIG_X86
	return boot_cpu_data.x86_phys_bits;
#else
	return MAX_PHYSMEM_BITS;
#endif
}

static u64 physmem_win_size(const struct physmem_win *win)
{
	return win->last - win->base + 1;
}

static bool physmem_zeroed(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

/*
 * A NUL-terminated, NUL-padded string of 1 to max - 1 characters, each
 * accepted by ok(c, position): the bytes after it must be zero so that
 * they can be given a meaning later.
 */
static bool physmem_str_valid(const char *s, size_t max,
			      bool (*ok)(char c, size_t pos))
{
	size_t len = strnlen(s, max);
	size_t i;

	if (len == 0 || len == max)
		return false;
	for (i = 0; i < len; i++)
		if (!ok(s[i], i))
			return false;
	return physmem_zeroed(s + len, max - len);
}

/* ASCII only: the kernel's isalpha() accepts Latin-1 letters too. */
static bool physmem_name_char(char c, size_t pos)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return pos && ((c >= '0' && c <= '9') || c == '_' || c == '-');
}

bool physmem_name_valid(const char *name)
{
	return physmem_str_valid(name, PHYSMEM_NAME_MAX, physmem_name_char);
}

/* An iomem label as /proc/iomem shows it: printable ASCII. */
static bool physmem_label_char(char c, size_t pos)
{
	return c >= 0x20 && c <= 0x7e;
}

/* The bytes of src after the member the source uses must be zero. */
static bool physmem_src_tail_zeroed(const struct physmem_window *req,
				    size_t used)
{
	return physmem_zeroed((const u8 *)&req->src + used,
			      sizeof(req->src) - used);
}

/*
 * Copy only the fields that define a window, so that two requests for the
 * same window compare equal with memcmp(). Output fields (base of a PCI
 * window, state flags) are ignored, so a listed window can be passed back;
 * padding must be zero, so that it can be given a meaning later.
 */
static int physmem_canonical(struct physmem_window *def,
			     const struct physmem_window *req)
{
	u32 flags = req->flags & ~(PHYSMEM_WIN_CLAIMED | PHYSMEM_WIN_MMAP |
				   PHYSMEM_WIN_GONE);

	memset(def, 0, sizeof(*def));
	if (!physmem_name_valid(req->name) ||
	    (flags & ~PHYSMEM_WIN_USER_FLAGS) ||
	    !physmem_zeroed(req->__reserved, sizeof(req->__reserved)))
		return -EINVAL;
	/* Only a PCI BAR can say whether it is prefetchable. */
	if ((flags & PHYSMEM_WIN_WC) && req->source != PHYSMEM_SRC_PCI)
		return -EINVAL;
	/*
	 * A shared window claims nothing, so nothing would keep the rest of
	 * its pages from another owner.
	 */
	if ((flags & PHYSMEM_WIN_SHARED) && (flags & PHYSMEM_WIN_PAGES))
		return -EINVAL;
	/*
	 * Grants make physmem the driver of a PCI device: not for a range,
	 * and not beside another driver (shared).
	 */
	if (req->dma_size || (flags & PHYSMEM_WIN_IRQ)) {
		if (req->source != PHYSMEM_SRC_PCI ||
		    (flags & PHYSMEM_WIN_SHARED))
			return -EINVAL;
	}
	if (req->dma_bits && (!req->dma_size ||
			      req->dma_bits < PHYSMEM_DMA_BITS_MIN ||
			      req->dma_bits > 64))
		return -EINVAL;
	if (!physmem_zeroed(req->__pad, sizeof(req->__pad)))
		return -EINVAL;
	def->dma_size = req->dma_size;
	/* One spelling of "all 64 bits", so that REPLACE compares equal. */
	def->dma_bits = req->dma_bits == 64 ? 0 : req->dma_bits;

	strscpy(def->name, req->name, sizeof(def->name));
	def->source = req->source;
	def->flags = flags;
	def->size = req->size;

	switch (req->source) {
	case PHYSMEM_SRC_RANGE:
		if (req->offset || !req->size ||
		    !physmem_src_tail_zeroed(req, 0))
			return -EINVAL;
		def->base = req->base;
		return 0;
	case PHYSMEM_SRC_PCI:
		if (req->src.pci.bar >= PCI_STD_NUM_BARS || req->src.pci.__pad ||
		    !physmem_src_tail_zeroed(req, sizeof(req->src.pci)))
			return -EINVAL;
		def->offset = req->offset;
		def->src.pci = req->src.pci;
		return 0;
	case PHYSMEM_SRC_IOMEM:
		if (req->offset || !req->size || req->src.iomem.__pad ||
		    !physmem_str_valid(req->src.iomem.label, PHYSMEM_LABEL_MAX,
				       physmem_label_char) ||
		    !physmem_src_tail_zeroed(req, sizeof(req->src.iomem)))
			return -EINVAL;
		def->base = req->base;
		def->src.iomem = req->src.iomem;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Place the window at offset/size inside its source [start, last]; size 0
 * means "to the end of the source". */
int physmem_win_subrange(struct physmem_win *win, phys_addr_t start,
			 phys_addr_t last)
{
	u64 room = last - start;	/* bytes after the first one */
	u64 offset = win->def.offset;
	u64 size = win->def.size;

	if (last < start || offset > room)
		return -EINVAL;
	room -= offset;
	if (size && size - 1 > room)
		return -EINVAL;

	win->base = start + offset;
	win->last = win->base + (size ? size - 1 : room);
	return 0;
}

/*
 * A range or iomem window is the range the caller gave: the driver does
 * not walk the iomem tree, whose lock is not exported, to find a label.
 */
static int physmem_win_resolve(struct physmem_win *win)
{
	if (win->def.source == PHYSMEM_SRC_PCI)
		return physmem_pci_resolve(win);
	if (win->def.base + (win->def.size - 1) < win->def.base)
		return -EINVAL;
	win->base = win->def.base;
	win->last = win->def.base + (win->def.size - 1);
	return 0;
}

static bool physmem_intersects(const struct physmem_win *win,
			       unsigned long flags, unsigned long desc)
{
	return region_intersects(win->base, win->last - win->base + 1, flags,
				 desc) != REGION_DISJOINT;
}

/* Memory, not device registers: never a window, shared or not. */
static const struct {
	unsigned long desc;
	const char *what;
} physmem_refused_desc[] = {
	{ IORES_DESC_ACPI_TABLES,		"ACPI tables" },
	{ IORES_DESC_ACPI_NV_STORAGE,		"ACPI non-volatile storage" },
	{ IORES_DESC_RESERVED,			"firmware-reserved memory" },
	{ IORES_DESC_SOFT_RESERVED,		"soft-reserved memory" },
	{ IORES_DESC_PERSISTENT_MEMORY,		"persistent memory" },
	{ IORES_DESC_PERSISTENT_MEMORY_LEGACY,	"persistent memory" },
};

/*
 * Since 7.x, Soft Reserved ranges that no driver took are kept in a tree of
 * their own, which region_intersects() on iomem does not see.
 */
static bool physmem_soft_reserved(const struct physmem_win *win)
{
#ifdef PHYSMEM_HAVE_SOFT_RESERVE_TREE
	return region_intersects_soft_reserve(win->base, physmem_win_size(win)) !=
	       REGION_DISJOINT;
#else
	return false;
#endif
}

static int physmem_win_check(struct physmem_win *win)
{
	size_t i;

	/*
	 * Rounded first, so that every check below sees the pages the window
	 * will be. Cannot overflow: the last byte of a page is an or.
	 */
	if (win->def.flags & PHYSMEM_WIN_PAGES) {
		win->base &= PAGE_MASK;
		win->last |= PAGE_SIZE - 1;
	}
	if (win->last >= BIT_ULL(physmem_phys_bits()))
		return -EINVAL;
	/* Offsets from there on are DMA buffers' (a 32-bit kernel's are low). */
	if (win->last >= PHYSMEM_DMA_OFFSET_BASE)
		return -EINVAL;
	/*
	 * 32-bit kernels: the iomem walks take an end one past a 1-byte
	 * range, and region_intersects() a size_t.
	 */
	if (win->last == PHYS_ADDR_MAX || win->last - win->base >= SIZE_MAX)
		return -EINVAL;
	win->mmap_ok = PAGE_ALIGNED(win->base) && PAGE_ALIGNED(win->last + 1);
	/*
	 * The pages around a small BAR may hold another device's registers;
	 * and only the prefetchable BAR is vouched for write-combining.
	 */
	if (win->pdev &&
	    (win->base < win->bar_start || win->last > win->bar_last))
		return -EINVAL;
	/*
	 * x86 PAT keeps one memory type per page: a write-combining window
	 * is whole pages (and, unless shared, holds its type for them:
	 * physmem_win_memtype), so that an uncached window can never be
	 * reached through a write-combining mapping of the same page, nor the
	 * other way round.
	 */
	if ((win->def.flags & PHYSMEM_WIN_WC) && !win->mmap_ok)
		return -EINVAL;

	if (physmem_intersects(win, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE)) {
		physmem_refuse("window %s: [%pa-%pa] covers System RAM",
			       win->def.name, &win->base, &win->last);
		return -EPERM;
	}
	for (i = 0; i < ARRAY_SIZE(physmem_refused_desc); i++) {
		if (!physmem_intersects(win, IORESOURCE_MEM,
					physmem_refused_desc[i].desc))
			continue;
		physmem_refuse("window %s: [%pa-%pa] covers %s", win->def.name,
			       &win->base, &win->last,
			       physmem_refused_desc[i].what);
		return -EPERM;
	}
	if (physmem_soft_reserved(win)) {
		physmem_refuse("window %s: [%pa-%pa] covers soft-reserved memory",
			       win->def.name, &win->base, &win->last);
		return -EPERM;
	}
	if (physmem_pci_leaving(win))
		return -ENODEV;
	return 0;
}

/* A new window, resolved and checked but not yet claimed. */
static struct physmem_win *physmem_win_new(const struct physmem_window *req)
{
	struct physmem_win *win;
	int ret;

	win = kzalloc(sizeof(*win), GFP_KERNEL);
	if (!win)
		return ERR_PTR(-ENOMEM);
	kref_init(&win->ref);
	INIT_LIST_HEAD(&win->node);

	ret = physmem_canonical(&win->def, req);
	if (!ret)
		ret = physmem_win_resolve(win);
	if (!ret)
		ret = physmem_win_check(win);
	/*
	 * Not a bridge (as vfio-pci): its bus mastering is every device's
	 * behind it.
	 */
	if (!ret && physmem_win_grants(win) &&
	    win->pdev->hdr_type != PCI_HEADER_TYPE_NORMAL)
		ret = -EINVAL;
	/* Bound before (physmem_prepare), unless it went meanwhile. */
	if (!ret && physmem_win_grants(win)) {
		win->dev = physmem_dev_get_bound(win->pdev);
		if (!win->dev)
			ret = -ENODEV;
	}
	if (ret) {
		physmem_win_put(win);
		return ERR_PTR(ret);
	}
	return win;
}

static void physmem_win_release(struct kref *ref)
{
	struct physmem_win *win = container_of(ref, struct physmem_win, ref);

	if (win->dev)
		physmem_dev_put(win->dev);
	/* Asynchronous: the last reference may go under physmem_lock. */
	if (win->pm_held)
		pm_runtime_put(&win->pdev->dev);
	pci_dev_put(win->pdev);
	kfree(win);
}

void physmem_win_get(struct physmem_win *win)
{
	kref_get(&win->ref);
}

void physmem_win_put(struct physmem_win *win)
{
	kref_put(&win->ref, physmem_win_release);
}

/*
 * Walk the busy, exclusive iomem regions (claims made with
 * request_mem_region_exclusive, ours among them) that overlap [start, last].
 * The walk refuses a range of one byte (start == end) and finds nothing:
 * ask for one more byte then. Callbacks must ignore what only that byte
 * reaches. The walk takes the resource lock and hands out copies.
 */
static int physmem_walk_exclusive(phys_addr_t start, phys_addr_t last,
				  void *arg,
				  int (*fn)(struct resource *, void *))
{
	return walk_iomem_res_desc(IORES_DESC_NONE,
				   IORESOURCE_MEM | IORESOURCE_BUSY |
				   IORESOURCE_EXCLUSIVE,
				   start, last > start ? last : start + 1,
				   arg, fn);
}

/* A hit that starts at or before *last (arg): stop the walk, one is enough. */
static int physmem_found(struct resource *res, void *arg)
{
	return res->start <= *(phys_addr_t *)arg;
}

/*
 * A region a driver claimed exclusively (request_mem_region_exclusive,
 * IORESOURCE_EXCLUSIVE) is closed to /dev/mem, so it is closed to shared
 * windows too.
 */
static bool physmem_exclusive(const struct physmem_win *win)
{
	phys_addr_t last = win->last;

	return physmem_walk_exclusive(win->base, win->last, &last,
				      physmem_found) > 0;
}

/*
 * x86 PAT keeps one memory type per range, and a page inserted at fault
 * time takes the type reserved for it (uncached when none is): a mappable
 * write-combining window reserves its type for as long as it lives.
 */
static int physmem_win_memtype(struct physmem_win *win)
{
	int ret;

	/*
	 * Not for a shared window: a driver that maps the range later would
	 * silently get our type instead of its own.
	 */
	if (!(win->def.flags & PHYSMEM_WIN_WC) || !win->mmap_ok ||
	    (win->def.flags & PHYSMEM_WIN_SHARED))
		return 0;
	ret = arch_io_reserve_memtype_wc(win->base, physmem_win_size(win));
	if (ret)
		return ret;
	win->memtype_wc = true;
	return 0;
}

/*
 * A claimed window holds its range busy and exclusive, so neither another
 * driver nor /dev/mem can have it meanwhile. A shared window claims
 * nothing but still stays out of exclusive regions. Checked when the
 * window becomes active, after a REPLACE released the claims it replaces.
 */
static void physmem_win_unclaim(struct physmem_win *win);

static int physmem_win_claim(struct physmem_win *win)
{
	if (win->def.flags & PHYSMEM_WIN_SHARED) {
		if (physmem_exclusive(win)) {
			physmem_refuse("window %s: [%pa-%pa] is claimed exclusively by a driver",
				       win->def.name, &win->base, &win->last);
			return -EBUSY;
		}
	} else {
		/*
		 * /proc/iomem shows the name for as long as the region is in
		 * the tree, which may be longer than the window lives (see
		 * physmem_win_unclaim): it is allocated with the claim.
		 */
		win->claim_name = kasprintf(GFP_KERNEL, "physmem:%s",
					    win->def.name);
		if (!win->claim_name)
			return -ENOMEM;
		win->claim = request_mem_region_exclusive(win->base,
							  physmem_win_size(win),
							  win->claim_name);
		if (!win->claim) {
			kfree(win->claim_name);
			win->claim_name = NULL;
			/* Owners are in /proc/iomem: the tree is not ours to walk. */
			physmem_refuse("window %s: [%pa-%pa] is busy (see /proc/iomem)",
				       win->def.name, &win->base, &win->last);
			return -EBUSY;
		}
	}
	if (physmem_win_memtype(win)) {
		physmem_refuse("window %s: [%pa-%pa] cannot be write-combining",
			       win->def.name, &win->base, &win->last);
		physmem_win_unclaim(win);
		return -EBUSY;
	}
	return 0;
}

/* Is our claim still linked in the iomem tree, under the parent it names? */
struct physmem_claim_probe {
	const struct resource *claim;
	bool linked;
};

static int physmem_claim_seen(struct resource *res, void *arg)
{
	struct physmem_claim_probe *probe = arg;

	/* The walk hands out copies: compare the range and the parent. */
	if (res->start == probe->claim->start && res->end == probe->claim->end &&
	    res->parent == READ_ONCE(probe->claim->parent))
		probe->linked = true;
	return probe->linked;
}

/*
 * Release exactly our region, and only while it is in the tree. A parent
 * (a BAR that moved, a platform device's resource) can leave the tree with
 * our claim under it and be freed: then the claim is left alone (false;
 * see physmem_orphans), because release_resource() would write into the
 * freed parent and release_mem_region() could free another owner's region
 * of the same range. Such a claim keeps its name: a parent that comes back
 * may still point at it, and /proc/iomem would print the name. The region
 * came from request_mem_region(): kzalloc().
 *
 * The probe and the release are two sections under the resource lock,
 * which is not exported: physmem_lock keeps PCI removal out from between
 * them, but not a parent that another subsystem frees meanwhile.
 */
static bool physmem_claim_release(struct resource *claim, char *name)
{
	struct physmem_claim_probe probe = { .claim = claim };

	physmem_walk_exclusive(claim->start, claim->end, &probe,
			       physmem_claim_seen);
	if (!probe.linked || release_resource(claim))
		return false;
	kfree(claim);
	kfree(name);
	return true;
}

/*
 * Claims whose parent left the iomem tree with them. A parent that comes
 * back (a BAR released and requested again keeps its children) brings the
 * claim back into the tree, where it would keep the range busy for good:
 * each is tried again on every change of the table, and at module exit.
 * Under physmem_lock.
 */
struct physmem_orphan {
	struct list_head node;
	struct resource *claim;
	char *name;
};

static LIST_HEAD(physmem_orphans);

void physmem_orphans_retry(void)
{
	struct physmem_orphan *o, *tmp;

	lockdep_assert_held_write(&physmem_lock);

	list_for_each_entry_safe(o, tmp, &physmem_orphans, node) {
		resource_size_t start = o->claim->start, end = o->claim->end;

		if (!physmem_claim_release(o->claim, o->name))
			continue;
		pr_info("claim [%pa-%pa] came back with its parent: released\n",
			&start, &end);
		list_del(&o->node);
		kfree(o);
	}
}

static void physmem_win_unclaim(struct physmem_win *win)
{
	struct physmem_orphan *o;

	if (win->memtype_wc) {
		arch_io_free_memtype_wc(win->base, physmem_win_size(win));
		win->memtype_wc = false;
	}
	if (!win->claim)
		return;
	if (!physmem_claim_release(win->claim, win->claim_name)) {
		/* Without a record the claim is leaked for good: rare, and safe. */
		o = kzalloc(sizeof(*o), GFP_KERNEL);
		if (o) {
			o->claim = win->claim;
			o->name = win->claim_name;
			list_add_tail(&o->node, &physmem_orphans);
		}
		pr_warn("window %s: its claim [%pa-%pa] left the iomem tree with its parent; not released%s\n",
			win->def.name, &win->claim->start, &win->claim->end,
			o ? " yet" : ", and out of memory to try again");
	}
	win->claim = NULL;
	win->claim_name = NULL;
}

/* Can the window be reached: not revoked, and its BAR where it was? */
bool physmem_win_usable(const struct physmem_win *win)
{
	return !win->gone && !physmem_pci_moved(win);
}

/* Drop every user mapping of the window; faults decide what comes next. */
static void physmem_win_zap(struct physmem_win *win)
{
	unmap_mapping_range(physmem_mapping, win->base, physmem_win_size(win),
			    1);
}

/*
 * Reset a device's function where it can be (a trylock: not while the
 * driver core holds the device). A reset turns decoding off for a while:
 * the mappings of the device's windows are zapped first, so that their
 * faults, like pread and pwrite, wait for physmem_lock meanwhile. Under
 * physmem_lock for writing.
 */
void physmem_dev_reset(struct pci_dev *pdev)
{
	struct physmem_win *win;

	lockdep_assert_held_write(&physmem_lock);
	list_for_each_entry(win, &physmem_windows, node)
		if (!win->gone && win->pdev == pdev)
			physmem_win_zap(win);
	pci_try_reset_function(pdev);
}

/*
 * Cut off all access: later faults see win->gone and get SIGBUS, pread and
 * pwrite fail, and an access in progress is the last one (it holds
 * physmem_lock). User mappings go before the claim so that nobody else can
 * own the range while a process can still reach it.
 */
void physmem_win_revoke(struct physmem_win *win)
{
	lockdep_assert_held_write(&physmem_lock);

	win->gone = true;
	physmem_win_zap(win);
	physmem_win_unclaim(win);
	/* Buffers and interrupts go with the grant (config space writes). */
	if (win->dev) {
		physmem_irq_revoke(win->dev, win);
		physmem_dma_revoke(win, NULL);
	}
	/*
	 * Never reached again: the device may suspend, whoever still holds
	 * the window (a mapping, a buffer). Asynchronous, as at release.
	 */
	if (win->pm_held) {
		pm_runtime_put(&win->pdev->dev);
		win->pm_held = false;
	}
}

struct physmem_win *physmem_find_name(const char *name)
{
	struct physmem_win *win;

	list_for_each_entry(win, &physmem_windows, node)
		if (!strcmp(win->def.name, name))
			return win;
	return NULL;
}

bool physmem_win_overlaps(const struct physmem_win *win, phys_addr_t start,
			  phys_addr_t last)
{
	return win->base <= last && start <= win->last;
}

static bool physmem_overlap(const struct physmem_win *a,
			    const struct physmem_win *b)
{
	return physmem_win_overlaps(a, b->base, b->last);
}

/* Two windows that both grant to one device: one grant per device. */
static bool physmem_grant_clash(const struct physmem_win *a,
				const struct physmem_win *b)
{
	return a->pdev && a->pdev == b->pdev && physmem_win_grants(a) &&
	       physmem_win_grants(b);
}

/* Does a live window of the table grant dma or irq to PDEV? */
bool physmem_dev_granted(const struct pci_dev *pdev)
{
	struct physmem_win *win;

	lockdep_assert_held(&physmem_lock);
	list_for_each_entry(win, &physmem_windows, node)
		if (!win->gone && win->pdev == pdev && physmem_win_grants(win))
			return true;
	return false;
}

/*
 * The PCI function a requested window is on, referenced, its canonical
 * form in *def; NULL if it is not a PCI window or there is no such device.
 * Malformed requests are refused later, with their index.
 */
static struct pci_dev *physmem_req_pdev(const struct physmem_window *req,
					struct physmem_window *def)
{
	if (physmem_canonical(def, req) || def->source != PHYSMEM_SRC_PCI)
		return NULL;
	/* ENODEV at resolution, when absent */
	return pci_get_domain_bus_and_slot(def->src.pci.domain, def->src.pci.bus,
					   def->src.pci.devfn);
}

/*
 * The window of the table that a REPLACE keeps for the canonical DEF, or
 * NULL: the same name and definition, usable. A grant whose device was
 * unbound meanwhile (sysfs) is made anew: physmem_prepare() bound the
 * device again. Under physmem_lock.
 */
static struct physmem_win *physmem_kept(const struct physmem_window *def)
{
	struct physmem_win *old = physmem_find_name(def->name);

	lockdep_assert_held(&physmem_lock);
	if (old && physmem_win_usable(old) && !(old->dev && old->dev->gone) &&
	    !memcmp(&old->def, def, sizeof(*def)))
		return old;
	return NULL;
}

/*
 * Before a table change, outside physmem_lock, for each requested PCI
 * window: bind the device it grants dma or irq to (probe takes
 * physmem_lock; a device driven by another driver is refused), and resume
 * the device (physmem_pci_wake: a resume may wait long, and must not hold
 * up the accesses) unless a window kept holds it so already: woken[i]
 * holds what physmem_sleep() puts once the windows hold their own
 * references. On failure *bad is the index of the window;
 * physmem_owners_settle() gives back what was bound.
 */
static int physmem_prepare(const struct physmem_window *reqs, u32 n,
			   struct pci_dev **woken, u32 *bad)
{
	u32 i;

	lockdep_assert_held(&physmem_table_mutex);
	for (i = 0; i < n; i++) {
		struct physmem_window def;
		struct physmem_win *kept;
		struct pci_dev *pdev;
		int ret = 0;

		pdev = physmem_req_pdev(&reqs[i], &def);
		if (!pdev)
			continue;
		/* Not a bridge: EINVAL at resolution. */
		if ((def.dma_size || (def.flags & PHYSMEM_WIN_IRQ)) &&
		    pdev->hdr_type == PCI_HEADER_TYPE_NORMAL)
			ret = physmem_own(pdev, def.name);
		if (!ret) {
			down_read(&physmem_lock);
			kept = physmem_kept(&def);
			up_read(&physmem_lock);
			if (!kept)
				ret = physmem_pci_wake(pdev, def.name);
		}
		if (ret > 0) {
			woken[i] = pdev;
			continue;
		}
		pci_dev_put(pdev);
		if (ret) {
			*bad = i;
			return ret;
		}
	}
	return 0;
}

static void physmem_sleep(struct pci_dev **woken, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (woken[i]) {
			physmem_pci_sleep(woken[i]);
			woken[i] = NULL;
		}
}

/*
 * The window that holds all of [start, start + len), or NULL. A live window
 * wins over a revoked one left in the table for the same range.
 */
struct physmem_win *physmem_find(u64 start, u64 len)
{
	struct physmem_win *win, *gone = NULL;
	u64 last;

	if (!len || check_add_overflow(start, len - 1, &last))
		return NULL;

	list_for_each_entry(win, &physmem_windows, node) {
		if (start < win->base || last > win->last)
			continue;
		if (!win->gone)
			return win;
		gone = win;
	}
	return gone;
}

/* A live window with a byte in [start, start + len), or NULL. */
struct physmem_win *physmem_find_overlap(u64 start, u64 len)
{
	struct physmem_win *win;
	u64 last;

	if (!len || check_add_overflow(start, len - 1, &last))
		return NULL;
	list_for_each_entry(win, &physmem_windows, node)
		if (!win->gone && physmem_win_overlaps(win, start, last))
			return win;
	return NULL;
}

static void physmem_win_export(const struct physmem_win *win,
			       struct physmem_window *out)
{
	*out = win->def;
	out->base = win->base;
	out->size = physmem_win_size(win);
	if (win->claim)
		out->flags |= PHYSMEM_WIN_CLAIMED;
	if (win->mmap_ok)
		out->flags |= PHYSMEM_WIN_MMAP;
	if (win->gone)
		out->flags |= PHYSMEM_WIN_GONE;
	out->dma_used = win->dma_used;
}

static void physmem_audit_win(const char *what, const struct physmem_win *win)
{
	char grant[64] = "";

	if (win->def.dma_size)
		scnprintf(grant, sizeof(grant), " dma %#llx mask %u",
			  win->def.dma_size, win->def.dma_bits ?: 64);
	if (win->def.flags & PHYSMEM_WIN_IRQ)
		strlcat(grant, " irq", sizeof(grant));
	physmem_audit("%s window %s [%pa-%pa] %s %s%s%s%s", what, win->def.name,
		      &win->base, &win->last,
		      win->def.flags & PHYSMEM_WIN_RW ? "rw" : "ro",
		      win->def.flags & PHYSMEM_WIN_WC ? "wc" : "uc",
		      win->def.flags & PHYSMEM_WIN_SHARED ? " shared" : "",
		      win->def.flags & PHYSMEM_WIN_PAGES ? " pages" : "", grant);
}

long physmem_ioctl_info(void __user *arg)
{
	struct physmem_info info = {
		.version_major = PHYSMEM_VERSION_MAJOR,
		.version_minor = PHYSMEM_VERSION_MINOR,
		.phys_addr_bits = physmem_phys_bits(),
	};

	down_read(&physmem_lock);
	if (physmem_sealed)
		info.flags |= PHYSMEM_INFO_SEALED;
	info.nr_windows = physmem_nr_windows;
	up_read(&physmem_lock);

	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

long physmem_ioctl_list(void __user *arg)
{
	struct physmem_window_array arr;
	struct physmem_window *out = NULL;
	struct physmem_win *win;
	u32 n, i = 0;
	long ret = 0;

	if (copy_from_user(&arr, arg, sizeof(arr)))
		return -EFAULT;
	if (arr.failed)
		return -EINVAL;

	/* Copy out after unlocking: a user fault may need physmem_lock. */
	down_read(&physmem_lock);
	n = min(arr.count, physmem_nr_windows);
	if (n) {
		out = kvcalloc(n, sizeof(*out), GFP_KERNEL);
		if (!out) {
			up_read(&physmem_lock);
			return -ENOMEM;
		}
	}
	list_for_each_entry(win, &physmem_windows, node) {
		if (i == n)
			break;
		physmem_win_export(win, &out[i++]);
	}
	arr.count = physmem_nr_windows;
	up_read(&physmem_lock);

	if (n && copy_to_user(u64_to_user_ptr(arr.windows), out,
			      n * sizeof(*out)))
		ret = -EFAULT;
	if (!ret && copy_to_user(arg, &arr, sizeof(arr)))
		ret = -EFAULT;
	kvfree(out);
	return ret;
}

static int physmem_check_unsealed(void)
{
	if (!physmem_sealed)
		return 0;
	physmem_refuse("window table is sealed");
	return -EPERM;
}

long physmem_ioctl_add(void __user *arg)
{
	struct physmem_window req, out;
	struct physmem_win *win, *other;
	struct pci_dev *woken = NULL;
	u32 bad;
	long ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;

	mutex_lock(&physmem_table_mutex);
	down_read(&physmem_lock);
	ret = physmem_check_unsealed();
	up_read(&physmem_lock);
	if (!ret)
		ret = physmem_prepare(&req, 1, &woken, &bad);
	if (ret) {
		physmem_owners_settle();
		mutex_unlock(&physmem_table_mutex);
		return ret;
	}

	/* Resolve under the lock, so a PCI removal cannot slip in between. */
	down_write(&physmem_lock);
	physmem_orphans_retry();
	ret = physmem_check_unsealed();
	if (ret)
		goto out_unlock;

	if (physmem_nr_windows == PHYSMEM_MAX_WINDOWS) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	win = physmem_win_new(&req);
	if (IS_ERR(win)) {
		ret = PTR_ERR(win);
		/* The name may be the bad part: escaped. */
		physmem_refuse("add window %*pE: error %ld",
			       (int)strnlen(req.name, PHYSMEM_NAME_MAX),
			       req.name, ret);
		goto out_unlock;
	}

	list_for_each_entry(other, &physmem_windows, node) {
		if (!strcmp(other->def.name, win->def.name) ||
		    (!other->gone && (physmem_overlap(other, win) ||
				      physmem_grant_clash(other, win)))) {
			physmem_refuse("add window %s: conflicts with %s",
				       win->def.name, other->def.name);
			ret = -EEXIST;
			goto out_put;
		}
	}

	ret = physmem_win_claim(win);
	if (ret)
		goto out_put;
	list_add_tail(&win->node, &physmem_windows);
	physmem_nr_windows++;
	physmem_win_export(win, &out);
	physmem_audit_win("added", win);
	up_write(&physmem_lock);
	physmem_sleep(&woken, 1);
	/* Listed, and physmem_table_mutex keeps it from being freed. */
	physmem_pci_decode(win);
	mutex_unlock(&physmem_table_mutex);

	return copy_to_user(arg, &out, sizeof(out)) ? -EFAULT : 0;

out_put:
	physmem_win_put(win);
out_unlock:
	up_write(&physmem_lock);
	physmem_sleep(&woken, 1);
	physmem_owners_settle();
	mutex_unlock(&physmem_table_mutex);
	return ret;
}

long physmem_ioctl_remove(void __user *arg)
{
	struct physmem_name name;
	struct physmem_win *win;
	long ret;

	if (copy_from_user(&name, arg, sizeof(name)))
		return -EFAULT;
	if (!physmem_name_valid(name.name))
		return -EINVAL;

	mutex_lock(&physmem_table_mutex);
	down_write(&physmem_lock);
	physmem_orphans_retry();
	ret = physmem_check_unsealed();
	if (ret)
		goto out_unlock;
	win = physmem_find_name(name.name);
	if (!win) {
		ret = -ENOENT;
		goto out_unlock;
	}
	list_del_init(&win->node);
	physmem_nr_windows--;
	if (!win->gone)
		physmem_win_revoke(win);
	physmem_audit_win("removed", win);
	physmem_win_put(win);
out_unlock:
	up_write(&physmem_lock);
	/* The device goes back when no window grants it any more. */
	physmem_owners_settle();
	mutex_unlock(&physmem_table_mutex);
	return ret;
}

long physmem_ioctl_seal(void)
{
	down_write(&physmem_lock);
	physmem_orphans_retry();
	if (!physmem_sealed)
		physmem_audit("window table sealed");
	physmem_sealed = true;
	up_write(&physmem_lock);
	return 0;
}

/* Index of win in set[0..n), or -1. */
static int physmem_set_index(struct physmem_win **set, u32 n,
			     const struct physmem_win *win)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (set[i] == win)
			return i;
	return -1;
}

static bool physmem_set_has(struct physmem_win **set, u32 n,
			    const struct physmem_win *win)
{
	return physmem_set_index(set, n, win) >= 0;
}

/*
 * Build the new set: windows whose name and definition are unchanged are
 * the old objects (with their mappings); the others are new, resolved and
 * checked, not yet claimed. On failure *bad is the refused window's index.
 */
static int physmem_replace_build(struct physmem_window *reqs, u32 n,
				 struct physmem_win **set, u32 *bad)
{
	u32 i, j;

	for (i = 0; i < n; i++) {
		struct physmem_window def;
		struct physmem_win *old;
		int ret;

		*bad = i;
		ret = physmem_canonical(&def, &reqs[i]);
		if (ret)
			return ret;
		for (j = 0; j < i; j++)
			if (!strcmp(set[j]->def.name, def.name))
				return -EEXIST;

		old = physmem_kept(&def);
		if (old) {
			set[i] = old;
			continue;
		}
		set[i] = physmem_win_new(&reqs[i]);
		if (IS_ERR(set[i])) {
			ret = PTR_ERR(set[i]);
			set[i] = NULL;
			return ret;
		}
	}

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (physmem_overlap(set[i], set[j]) ||
			    physmem_grant_clash(set[i], set[j])) {
				*bad = j;
				return -EEXIST;
			}
	return 0;
}

/*
 * Claim the new windows after releasing the claims of the windows that go
 * away (a redefined window usually overlaps its old self). Their mappings
 * are zapped first, so that no process can reach a range while it is not
 * ours; with physmem_lock held for writing nothing can fault them back in
 * before the commit revokes them. On failure the old claims are taken
 * back, so the old set stays as it was (its mappings fault back in), and
 * *bad is the index of the window that could not be claimed.
 */
static int physmem_replace_claim(struct physmem_win **set, u32 n, u32 *bad)
{
	struct physmem_win *win;
	u32 i, done;
	int ret = 0;

	list_for_each_entry(win, &physmem_windows, node) {
		if (physmem_set_has(set, n, win))
			continue;
		physmem_win_zap(win);
		physmem_win_unclaim(win);
	}

	for (done = 0; done < n; done++) {
		if (!list_empty(&set[done]->node))
			continue;	/* kept: already active */
		ret = physmem_win_claim(set[done]);
		if (ret)
			break;
	}
	if (!ret)
		return 0;
	*bad = done;

	for (i = 0; i < done; i++)
		if (list_empty(&set[i]->node))
			physmem_win_unclaim(set[i]);
	list_for_each_entry(win, &physmem_windows, node) {
		if (physmem_set_has(set, n, win) || win->gone)
			continue;
		/* A window whose BAR moved is not taken back at its old range. */
		if (physmem_win_usable(win) && !physmem_win_claim(win))
			continue;
		/* Someone took the range meanwhile: it is not ours any more. */
		pr_warn("window %s: revoked: could not take its range back\n",
			win->def.name);
		physmem_win_revoke(win);
	}
	return ret;
}

long physmem_ioctl_replace(void __user *arg)
{
	struct physmem_window_array arr;
	struct physmem_window *reqs = NULL;
	struct physmem_win **set = NULL;
	struct pci_dev **woken = NULL;	/* physmem_prepare() */
	struct physmem_win *win, *tmp;
	LIST_HEAD(dropped);
	u32 i, bad = U32_MAX;
	long ret;

	if (copy_from_user(&arr, arg, sizeof(arr)))
		return -EFAULT;
	if (arr.failed)
		return -EINVAL;
	if (arr.count > PHYSMEM_MAX_WINDOWS)
		return -E2BIG;
	if (arr.count) {
		reqs = vmemdup_user(u64_to_user_ptr(arr.windows),
				    arr.count * sizeof(*reqs));
		if (IS_ERR(reqs))
			return PTR_ERR(reqs);
		set = kvcalloc(arr.count, sizeof(*set), GFP_KERNEL);
		woken = kvcalloc(arr.count, sizeof(*woken), GFP_KERNEL);
		if (!set || !woken) {
			ret = -ENOMEM;
			goto out_free;
		}
	}

	mutex_lock(&physmem_table_mutex);
	down_read(&physmem_lock);
	ret = physmem_check_unsealed();
	up_read(&physmem_lock);
	if (!ret)
		ret = physmem_prepare(reqs, arr.count, woken, &bad);

	down_write(&physmem_lock);
	physmem_orphans_retry();
	if (!ret)
		ret = physmem_check_unsealed();
	if (!ret)
		ret = physmem_replace_build(reqs, arr.count, set, &bad);
	if (!ret)
		ret = physmem_replace_claim(set, arr.count, &bad);
	if (ret) {
		if (bad < arr.count)	/* the name may be the bad part: escaped */
			physmem_refuse("replace window set: window %*pE (#%u): error %ld",
				       (int)strnlen(reqs[bad].name, PHYSMEM_NAME_MAX),
				       reqs[bad].name, bad, ret);
		else
			physmem_refuse("replace window set: error %ld", ret);
		for (i = 0; i < arr.count; i++)
			if (set && set[i] && list_empty(&set[i]->node))
				physmem_win_put(set[i]);
		up_write(&physmem_lock);
		physmem_sleep(woken, arr.count);
		physmem_owners_settle();
		mutex_unlock(&physmem_table_mutex);
		/* Best effort: the refusal stands whether or not this lands. */
		if (bad < arr.count &&
		    put_user(bad + 1, &((struct physmem_window_array __user *)arg)->failed))
			pr_debug("replace: could not report the refused window\n");
		goto out_free;
	}

	/* Commit: nothing below can fail. New windows are not listed yet. */
	for (i = 0; i < arr.count; i++)
		if (list_empty(&set[i]->node))
			physmem_audit_win("added", set[i]);
	list_for_each_entry_safe(win, tmp, &physmem_windows, node) {
		list_del_init(&win->node);
		if (physmem_set_has(set, arr.count, win))
			continue;
		if (!win->gone)
			physmem_win_revoke(win);
		physmem_audit_win("removed", win);
		list_add_tail(&win->node, &dropped);
	}
	for (i = 0; i < arr.count; i++)
		list_add_tail(&set[i]->node, &physmem_windows);
	physmem_nr_windows = arr.count;
	up_write(&physmem_lock);
	physmem_sleep(woken, arr.count);
	list_for_each_entry_safe(win, tmp, &dropped, node) {
		list_del(&win->node);
		physmem_win_put(win);
	}
	physmem_owners_settle();
	/*
	 * Once the devices given back are undriven: listed, not freeable.
	 * Kept windows too: a decode left off before (a loader killed, a
	 * bridge closed then) is tried again by loading the same policy.
	 */
	for (i = 0; i < arr.count; i++)
		physmem_pci_decode(set[i]);
	mutex_unlock(&physmem_table_mutex);
out_free:
	kvfree(woken);
	kvfree(set);
	kvfree(reqs);
	return ret;
}

/*
 * Module exit: no file is open, so no mapping can exist. A claim whose
 * parent is still out of the tree stays allocated (its name too): the
 * parent may bring it back, and /proc/iomem would print the name.
 */
void physmem_windows_clear(void)
{
	struct physmem_win *win, *tmp;
	struct physmem_orphan *o, *otmp;

	down_write(&physmem_lock);
	list_for_each_entry_safe(win, tmp, &physmem_windows, node) {
		list_del_init(&win->node);
		if (!win->gone)
			physmem_win_revoke(win);
		physmem_win_put(win);
	}
	physmem_nr_windows = 0;
	physmem_orphans_retry();
	list_for_each_entry_safe(o, otmp, &physmem_orphans, node) {
		pr_warn("claim [%pa-%pa] is still out of the iomem tree: left allocated\n",
			&o->claim->start, &o->claim->end);
		list_del(&o->node);
		kfree(o);
	}
	up_write(&physmem_lock);
}
