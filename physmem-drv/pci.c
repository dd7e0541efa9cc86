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
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/vgaarb.h>

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
	/*
	 * Powered for as long as the window lives, its bridges with it: a
	 * device nobody drives may otherwise be runtime-suspended, and with
	 * its bridge in D3cold it answers all ones and comes back with the
	 * config space saved before (decoding off). physmem_pci_wake()
	 * resumed it before the table change, without physmem_lock; here the
	 * window takes its own reference, which cannot sleep. Its revocation
	 * puts it (physmem_win_revoke), or else its release
	 * (physmem_win_release), whether or not the window was ever added.
	 * Not active (suspended, or on its way to or from it): the device is
	 * not the one that was woken (removed and added again meanwhile).
	 * Runtime PM disabled counts as active (pm_runtime_active()) only
	 * where the device was left active, as physmem_pci_wake() takes it.
	 */
	pm_runtime_get_noresume(&win->pdev->dev);
	win->pm_held = true;
	if (!pm_runtime_active(&win->pdev->dev) ||
	    pm_runtime_status_suspended(&win->pdev->dev)) {
		physmem_refuse("window %s: device %s is runtime-suspended",
			       win->def.name, pci_name(win->pdev));
		return -EIO;
	}

	win->bar_start = res->start;
	win->bar_last = res->end;
	return physmem_win_subrange(win, res->start, res->end);
}

/*
 * Resume PDEV, and the bridges above it, for a new window NAME: before the
 * table changes, under physmem_table_mutex and without physmem_lock, for a
 * resume runs the PCI core's and other drivers' callbacks and may wait a
 * minute for a link to come up. 1: a runtime PM reference is held, for
 * physmem_pci_sleep() to put once the windows hold their own (runtime PM
 * disabled on an active device included: it is taken as it is); -EIO: it
 * could not be resumed, and the window is refused (runtime PM disabled on
 * a suspended device included: -EACCES).
 */
int physmem_pci_wake(struct pci_dev *pdev, const char *name)
{
	int ret;

	lockdep_assert_held(&physmem_table_mutex);
	ret = pm_runtime_resume_and_get(&pdev->dev);
	if (ret < 0) {
		physmem_refuse("window %s: device %s could not be resumed: error %d",
			       name, pci_name(pdev), ret);
		return -EIO;
	}
	return 1;
}

/* Put what physmem_pci_wake() held, and the caller's pci_dev reference. */
void physmem_pci_sleep(struct pci_dev *pdev)
{
	pm_runtime_put(&pdev->dev);
	pci_dev_put(pdev);
}

/*
 * Is BAR i (or the ROM, when it is enabled) one that memory decoding turns
 * on: a memory BAR, as pci_enable_resources() counts them? Bridge windows
 * and SR-IOV BARs are not the command register's.
 */
static bool physmem_bar_decoded(const struct pci_dev *pdev, int i)
{
	const struct resource *res = &pdev->resource[i];

	if (!(res->flags & IORESOURCE_MEM))
		return false;
	return i != PCI_ROM_RESOURCE || (res->flags & IORESOURCE_ROM_ENABLE);
}

/*
 * Why memory decoding must stay off, or NULL: as pci_enable_resources(),
 * every BAR it turns on must be assigned and claimed, or the device would
 * answer at addresses it does not own.
 */
static const char *physmem_bars_unready(struct pci_dev *pdev, int *bar)
{
	int i;

	for (i = 0; i <= PCI_ROM_RESOURCE; i++) {
		const struct resource *res = &pdev->resource[i];

		if (!physmem_bar_decoded(pdev, i))
			continue;
		*bar = i;
		if (res->flags & IORESOURCE_UNSET)
			return "not assigned";
		if (!res->parent)
			return "not claimed";
	}
	return NULL;
}

/* The first bridge above PDEV that does not forward memory, or NULL. */
static struct pci_dev *physmem_bridge_closed(struct pci_dev *pdev)
{
	struct pci_dev *bridge;
	u16 cmd;

	for (bridge = pci_upstream_bridge(pdev); bridge;
	     bridge = pci_upstream_bridge(bridge))
		if (pci_read_config_word(bridge, PCI_COMMAND, &cmd) ||
		    PCI_POSSIBLE_ERROR(cmd) || !(cmd & PCI_COMMAND_MEMORY))
			return bridge;
	return NULL;
}

/* pci_is_vga() (6.7 on): a VGA device, or one from before class codes. */
static bool physmem_is_vga(const struct pci_dev *pdev)
{
	return (pdev->class >> 8) == PCI_CLASS_DISPLAY_VGA ||
	       (pdev->class >> 8) == PCI_CLASS_NOT_DEFINED_VGA;
}

/*
 * Is PDEV the only VGA device? The arbiter turns the decoding of VGA
 * devices off and on only where there are others (to give one of them the
 * legacy VGA range), the default one included.
 */
static bool physmem_vga_lone(struct pci_dev *pdev)
{
	struct pci_dev *other = NULL;

	while ((other = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, other)))
		if (other != pdev && physmem_is_vga(other)) {
			pci_dev_put(other);
			return false;
		}
	return true;
}

#define physmem_decode_off(pdev, win, fmt, ...)				\
	pci_notice_ratelimited(pdev,					\
		"memory decoding left off for window %s: " fmt "\n",	\
		(win)->def.name, ##__VA_ARGS__)

/*
 * A window's BAR must decode its addresses. PC firmware turns memory
 * decoding on for every device; where Linux assigns the BARs itself (arm64
 * boards with a generic PCIe host bridge, QEMU's virt machine) it stays off
 * until a driver enables the device, and a device nobody drives reads all
 * ones through a window, or aborts. A window added (or kept by a REPLACE)
 * on a device no driver drives turns it on, as pci_enable_device() would, and the log says so;
 * a driven device (physmem's own included: its probe enabled it) is left
 * as its driver has it. It is left off, and the log says why, where
 * turning it on could do harm: a BAR it would enable is not assigned or
 * not claimed (the device would answer at addresses it does not own), the
 * device is a bridge (its decoding is every device's behind it) or has no
 * such bit (a VF), a VGA device beside others (the VGA arbiter turns
 * their decoding off and on to give one of them the legacy VGA range; a
 * lone one, the default, is never arbitrated), or a bridge above does not
 * forward memory. Decoding stays on when the window goes, as a driver's
 * unbind leaves it.
 *
 * Called after the window was committed, under physmem_table_mutex (the
 * window cannot be freed) and without physmem_lock: the device lock, which
 * comes before physmem_lock, keeps a driver from binding meanwhile, and
 * physmem_lock held for reading keeps the device's removal (which revokes
 * the window first, before the BARs are released) out. Never called with
 * the device lock held (the driver core's probe and remove hold it).
 * Lockdep does not see the device lock (its class is not validated): the
 * order rests on nothing taking physmem_table_mutex under a device lock.
 * Killable (not interruptible: a caught signal must not leave decoding
 * off while the ioctl succeeds): a device whose probe hangs must not hang
 * the table for good.
 */
void physmem_pci_decode(struct physmem_win *win)
{
	struct pci_dev *pdev = win->pdev;
	struct pci_dev *bridge;
	const char *why;
	u16 cmd;
	int bar, ret;

	lockdep_assert_held(&physmem_table_mutex);
	if (!pdev)
		return;
	/*
	 * Driven, or being probed (the driver is set before probe runs, with
	 * the device lock held all along): nothing to do, and no waiting for
	 * the lock. Checked again under it.
	 */
	if (READ_ONCE(pdev->dev.driver))
		return;
	if (mutex_lock_killable(&pdev->dev.mutex)) {	/* device_lock() */
		physmem_decode_off(pdev, win, "killed");
		return;
	}
	down_read(&physmem_lock);
	if (!physmem_win_usable(win) || pdev->dev.driver)
		goto out;
	/* A PCI-to-PCI or CardBus bridge (pci_is_bridge()), or a VF. */
	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL || pdev->no_command_memory) {
		if (!pci_read_config_word(pdev, PCI_COMMAND, &cmd) &&
		    !PCI_POSSIBLE_ERROR(cmd) && !(cmd & PCI_COMMAND_MEMORY))
			physmem_decode_off(pdev, win, "%s",
					   pdev->no_command_memory ?
					   "the device has no such bit (a VF)" :
					   "a bridge, whose decoding is every device's behind it");
		goto out;
	}
	/*
	 * D0 first: a function that leaves D3hot may reset itself, command
	 * register included (the PCI core restores the BARs).
	 */
	ret = pci_set_power_state(pdev, PCI_D0);
	if (ret) {
		physmem_decode_off(pdev, win, "it could not be put in D0 (error %d)",
				   ret);
		goto out;
	}
	if (pci_read_config_word(pdev, PCI_COMMAND, &cmd) ||
	    PCI_POSSIBLE_ERROR(cmd)) {
		physmem_decode_off(pdev, win, "its config space does not answer");
		goto out;
	}
	if (cmd & PCI_COMMAND_MEMORY)
		goto out;
	if (physmem_is_vga(pdev) &&
	    (pdev != vga_default_device() || !physmem_vga_lone(pdev))) {
		physmem_decode_off(pdev, win, "a VGA device beside others, whose decoding the VGA arbiter owns");
		goto out;
	}
	bridge = physmem_bridge_closed(pdev);
	if (bridge) {
		physmem_decode_off(pdev, win, "bridge %s does not forward memory",
				   pci_name(bridge));
		goto out;
	}
	why = physmem_bars_unready(pdev, &bar);
	if (why) {
		physmem_decode_off(pdev, win, "BAR %d %pR %s", bar,
				   &pdev->resource[bar], why);
		goto out;
	}
	pci_write_config_word(pdev, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY);
	/* Logged as the device has it, not as it was asked. */
	if (pci_read_config_word(pdev, PCI_COMMAND, &cmd) ||
	    PCI_POSSIBLE_ERROR(cmd) || !(cmd & PCI_COMMAND_MEMORY))
		physmem_decode_off(pdev, win, "the device did not take it (command %#06x)",
				   cmd);
	else
		pci_info(pdev, "memory decoding turned on for window %s (off: no firmware or driver enabled it)\n",
			 win->def.name);
out:
	up_read(&physmem_lock);
	device_unlock(&pdev->dev);
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
