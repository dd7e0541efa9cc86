// SPDX-License-Identifier: GPL-2.0
/*
 * physmem: windows on PCI BARs, and PCI device removal. The BAR is
 * resolved from the kernel's own pci_dev. When a device goes away, every
 * window over its BARs is revoked, whatever its source, before the BARs
 * (and the claims nested in them) leave the iomem tree; until they have
 * left, no new window may cover them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "physmem.h"

/* A device whose removal has begun; under physmem_lock. */
struct physmem_leaving {
	struct list_head node;
	struct pci_dev *pdev;		/* referenced */
};

static LIST_HEAD(physmem_leaving);

int physmem_pci_resolve(struct physmem_win *win)
{
	const struct physmem_pci_bar *sel = &win->def.src.pci;
	struct resource *res;

	/* The reference is dropped when the window is freed. */
	win->pdev = pci_get_domain_bus_and_slot(sel->domain, sel->bus,
						sel->devfn);
	if (!win->pdev)
		return -ENODEV;

	res = &win->pdev->resource[sel->bar];
	if (res->flags & IORESOURCE_IO)
		return -EINVAL;
	if (!(res->flags & IORESOURCE_MEM) || !resource_size(res))
		return -ENODEV;
	/* Not placed in the address space: there is nothing to reach. */
	if ((res->flags & IORESOURCE_UNSET) || !res->parent)
		return -ENODEV;
	if ((win->def.flags & PHYSMEM_WIN_WC) &&
	    !(res->flags & IORESOURCE_PREFETCH))
		return -EINVAL;

	win->bar_start = res->start;
	win->bar_last = res->end;
	return physmem_win_subrange(win, res->start, res->end);
}

/*
 * A window's BAR must decode its addresses. PC firmware turns memory
 * decoding on for every device; where Linux assigns the BARs itself (arm64
 * boards with a generic PCIe host bridge, QEMU's virt machine) it stays off
 * until a driver enables the device, and a device nobody drives reads all
 * ones through a window, or aborts. A window on a device no driver drives
 * turns it on, and the log says so; a driven device (physmem's own
 * included: its probe enabled it) is left as its driver has it. Called
 * when the window is added, under physmem_lock.
 */
void physmem_pci_decode(struct physmem_win *win)
{
	struct pci_dev *pdev = win->pdev;
	u16 cmd;

	if (win->def.source != PHYSMEM_SRC_PCI || !pdev ||
	    READ_ONCE(pdev->dev.driver))
		return;
	if (pci_read_config_word(pdev, PCI_COMMAND, &cmd) ||
	    (cmd & PCI_COMMAND_MEMORY))
		return;
	pci_write_config_word(pdev, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY);
	pci_info(pdev, "memory decoding turned on for window %s (off: no firmware or driver enabled it)\n",
		 win->def.name);
}

/*
 * A BAR can be released and placed elsewhere without the device going
 * away (resizable BARs, reassignment), and no notifier says so. A PCI
 * window checks on every access that its BAR is still where it was.
 */
bool physmem_pci_moved(const struct physmem_win *win)
{
	const struct resource *res;

	if (!win->pdev)
		return false;
	res = &win->pdev->resource[win->def.src.pci.bar];
	/* Unlocked, so best effort: a move is seen at the next access. */
	return !READ_ONCE(res->parent) ||
	       (READ_ONCE(res->flags) & IORESOURCE_UNSET) ||
	       READ_ONCE(res->start) != win->bar_start ||
	       READ_ONCE(res->end) != win->bar_last;
}

/* Is the window's claim a child of one of the device's BARs? */
static bool physmem_claim_in_dev(const struct physmem_win *win,
				 const struct pci_dev *pdev)
{
	const struct resource *parent;

	if (!win->claim)
		return false;
	parent = READ_ONCE(win->claim->parent);
	return parent >= &pdev->resource[0] &&
	       parent < &pdev->resource[PCI_NUM_RESOURCES];
}

/* Does the window reach the device: its source, or over one of its BARs? */
static bool physmem_win_on_dev(const struct physmem_win *win,
			       const struct pci_dev *pdev)
{
	int i;

	if (win->pdev == pdev || physmem_claim_in_dev(win, pdev))
		return true;
	for (i = 0; i < PCI_NUM_RESOURCES; i++) {
		const struct resource *res = &pdev->resource[i];

		if (!(res->flags & IORESOURCE_MEM) ||
		    (res->flags & IORESOURCE_UNSET) || !resource_size(res))
			continue;
		if (physmem_win_overlaps(win, res->start, res->end))
			return true;
	}
	return false;
}

/* pci_free_resources() has run: no BAR of the device is in the tree. */
static bool physmem_bars_released(const struct pci_dev *pdev)
{
	int i;

	for (i = 0; i < PCI_NUM_RESOURCES; i++)
		if (READ_ONCE(pdev->resource[i].parent))
			return false;
	return true;
}

static void physmem_leaving_free(struct physmem_leaving *l)
{
	list_del(&l->node);
	pci_dev_put(l->pdev);
	kfree(l);
}

/* Forget the devices whose BARs have left the tree. */
static void physmem_leaving_prune(void)
{
	struct physmem_leaving *l, *tmp;

	lockdep_assert_held_write(&physmem_lock);

	list_for_each_entry_safe(l, tmp, &physmem_leaving, node)
		if (physmem_bars_released(l->pdev))
			physmem_leaving_free(l);
}

/*
 * A new window must not reach a device whose removal has begun: it could
 * not be revoked any more, and its claim would leave the tree with the
 * BAR.
 */
bool physmem_pci_leaving(const struct physmem_win *win)
{
	struct physmem_leaving *l;

	physmem_leaving_prune();
	list_for_each_entry(l, &physmem_leaving, node) {
		if (physmem_win_on_dev(win, l->pdev)) {
			physmem_refuse("window %s: device %s is being removed",
				       win->def.name, pci_name(l->pdev));
			return true;
		}
	}
	return false;
}

static int physmem_pci_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	struct physmem_leaving *l;
	struct physmem_win *win;

	/* Sent before the BARs are released: nobody touched them yet. */
	if (action != BUS_NOTIFY_DEL_DEVICE)
		return NOTIFY_DONE;

	/* A notifier cannot fail, and the record is small. */
	l = kzalloc(sizeof(*l), GFP_KERNEL | __GFP_NOFAIL);
	l->pdev = pci_dev_get(pdev);

	down_write(&physmem_lock);
	/* Pruned here too, so a sealed table does not collect them. */
	physmem_leaving_prune();
	physmem_orphans_retry();
	list_add_tail(&l->node, &physmem_leaving);
	list_for_each_entry(win, &physmem_windows, node) {
		if (win->gone || !physmem_win_on_dev(win, pdev))
			continue;
		physmem_win_revoke(win);
		pr_info("window %s revoked: device %s removed\n",
			win->def.name, pci_name(pdev));
	}
	up_write(&physmem_lock);
	return NOTIFY_OK;
}

static struct notifier_block physmem_pci_nb = {
	.notifier_call = physmem_pci_notify,
};

int physmem_pci_init(void)
{
	return bus_register_notifier(&pci_bus_type, &physmem_pci_nb);
}

void physmem_pci_exit(void)
{
	struct physmem_leaving *l, *tmp;

	bus_unregister_notifier(&pci_bus_type, &physmem_pci_nb);
	down_write(&physmem_lock);
	list_for_each_entry_safe(l, tmp, &physmem_leaving, node)
		physmem_leaving_free(l);
	up_write(&physmem_lock);
}
