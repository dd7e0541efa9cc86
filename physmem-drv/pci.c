// SPDX-License-Identifier: GPL-2.0
/*
 * physmem: windows on PCI BARs. The BAR is resolved from the kernel's own
 * pci_dev, and the window follows the device: removal revokes it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/notifier.h>
#include <linux/pci.h>

#include "physmem.h"

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

	return physmem_win_subrange(win, res->start, res->end);
}

static int physmem_pci_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct device *dev = data;
	struct pci_dev *pdev = to_pci_dev(dev);
	struct physmem_win *win;

	/* Sent before the BARs are released: nobody touched them yet. */
	if (action != BUS_NOTIFY_DEL_DEVICE)
		return NOTIFY_DONE;

	down_write(&physmem_lock);
	list_for_each_entry(win, &physmem_windows, node) {
		if (win->pdev != pdev || win->gone)
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
	bus_unregister_notifier(&pci_bus_type, &physmem_pci_nb);
}
