// SPDX-License-Identifier: GPL-2.0
/*
 * physmem: owning the devices that windows grant dma or irq. Buffers and
 * interrupts need a device that no other driver drives, so physmem binds
 * as its PCI driver the kernel's way, through driver_override (as
 * vfio-pci and uio_pci_generic are bound), and only for a device that a
 * window grants: the driver has no ID table, and probe refuses every
 * device physmem did not ask for (new_id included). When no window grants
 * a device any more, it is given back: unbound and driver_override
 * cleared. Its own driver is not probed again by physmem (as vfio-pci
 * does not): an administrator who unbound it for a policy that then
 * failed would find it taken back; drivers_probe binds it.
 *
 * Binding calls into the driver core, which takes the device lock and
 * calls probe/remove, which take physmem_lock: it runs under
 * physmem_table_mutex, never under physmem_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "physmem.h"

/* A device physmem set driver_override on; under physmem_table_mutex. */
struct physmem_owned {
	struct list_head node;
	struct pci_dev *pdev;		/* referenced */
};

static LIST_HEAD(physmem_owned);
/* probe reads the list without physmem_table_mutex (its caller may hold it) */
static DEFINE_SPINLOCK(physmem_owned_lock);

static struct pci_driver physmem_pci_driver;

static bool physmem_owned_has(const struct pci_dev *pdev)
{
	struct physmem_owned *o;
	bool found = false;

	spin_lock(&physmem_owned_lock);
	list_for_each_entry(o, &physmem_owned, node)
		if (o->pdev == pdev)
			found = true;
	spin_unlock(&physmem_owned_lock);
	return found;
}

static bool physmem_is_ours(const struct pci_dev *pdev)
{
	return READ_ONCE(pdev->dev.driver) == &physmem_pci_driver.driver;
}

static int physmem_set_override(struct pci_dev *pdev, const char *name)
{
#ifdef PHYSMEM_HAVE_DEVICE_DRIVER_OVERRIDE
	return device_set_driver_override(&pdev->dev, name);
#else
	return driver_set_override(&pdev->dev, &pdev->driver_override, name,
				   strlen(name));
#endif
}

/*
 * Make physmem the driver of PDEV, for the window named WHY. 0 if it is
 * already; -EBUSY if another driver drives it (the log says which and how
 * to unbind it).
 */
int physmem_own(struct pci_dev *pdev, const char *why)
{
	struct physmem_owned *o;
	const char *other = NULL;
	int ret;

	lockdep_assert_held(&physmem_table_mutex);

	device_lock(&pdev->dev);
	if (pdev->dev.driver && !physmem_is_ours(pdev))
		other = pdev->dev.driver->name;
	if (other)
		physmem_refuse("window %s: device %s is driven by %s; to grant dma or irq, unbind it: echo %s > /sys/bus/pci/drivers/%s/unbind",
			       why, pci_name(pdev), other, pci_name(pdev), other);
	device_unlock(&pdev->dev);
	if (other)
		return -EBUSY;
	if (physmem_is_ours(pdev))
		return 0;

	if (!physmem_owned_has(pdev)) {
		o = kzalloc(sizeof(*o), GFP_KERNEL);
		if (!o)
			return -ENOMEM;
		o->pdev = pci_dev_get(pdev);
		spin_lock(&physmem_owned_lock);
		list_add_tail(&o->node, &physmem_owned);
		spin_unlock(&physmem_owned_lock);
	}
	ret = physmem_set_override(pdev, PHYSMEM_DEVICE_NAME);
	if (!ret)
		ret = device_driver_attach(&physmem_pci_driver.driver,
					   &pdev->dev);
	if (ret) {
		/* Another driver may have bound meanwhile (-EBUSY). */
		physmem_refuse("window %s: could not bind device %s: error %d",
			       why, pci_name(pdev), ret);
		return ret;	/* physmem_owners_settle() clears the override */
	}
	return 0;
}

/* Unbind and clear driver_override. */
static void physmem_give_back(struct pci_dev *pdev)
{
	bool was_ours = physmem_is_ours(pdev);

	if (was_ours)
		device_release_driver(&pdev->dev);
	physmem_set_override(pdev, "");
	if (was_ours)
		pci_info(pdev, "given back by physmem: unbound (echo %s > /sys/bus/pci/drivers_probe binds its own driver)\n",
			 pci_name(pdev));
}

/*
 * After a table change (or a failed one): give back every device that no
 * live window grants any more.
 */
void physmem_owners_settle(void)
{
	struct physmem_owned *o, *tmp;

	lockdep_assert_held(&physmem_table_mutex);

	list_for_each_entry_safe(o, tmp, &physmem_owned, node) {
		bool granted;

		down_read(&physmem_lock);
		granted = physmem_dev_granted(o->pdev);
		up_read(&physmem_lock);
		if (granted)
			continue;
		spin_lock(&physmem_owned_lock);
		list_del(&o->node);
		spin_unlock(&physmem_owned_lock);
		physmem_give_back(o->pdev);
		pci_dev_put(o->pdev);
		kfree(o);
	}
}

/* The bound device's record, referenced, or NULL; under physmem_lock. */
struct physmem_dev *physmem_dev_get_bound(struct pci_dev *pdev)
{
	struct physmem_dev *dev;

	lockdep_assert_held(&physmem_lock);
	/* drvdata is ours only while physmem drives the device. */
	if (!physmem_is_ours(pdev))
		return NULL;
	dev = pci_get_drvdata(pdev);
	if (!dev || dev->gone)
		return NULL;
	kref_get(&dev->ref);
	return dev;
}

static void physmem_dev_release(struct kref *ref)
{
	struct physmem_dev *dev = container_of(ref, struct physmem_dev, ref);

	pci_dev_put(dev->pdev);
	kfree(dev);
}

void physmem_dev_put(struct physmem_dev *dev)
{
	kref_put(&dev->ref, physmem_dev_release);
}

static int physmem_pci_probe(struct pci_dev *pdev,
			     const struct pci_device_id *id)
{
	struct physmem_dev *dev;
	int ret;

	/* Only for a policy that grants the device (not new_id, not bind). */
	if (!physmem_owned_has(pdev))
		return -ENODEV;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	kref_init(&dev->ref);
	dev->pdev = pci_dev_get(pdev);

	/* Power, decoding and the INTx routing; bus mastering waits for a buffer. */
	ret = pci_enable_device(pdev);
	if (ret) {
		physmem_dev_put(dev);
		return ret;
	}
	/*
	 * Nobody handles its INTx until an interrupt is opened: a device
	 * asserting a shared line must not get it disabled for the others.
	 */
	if (pci_intx_mask_supported(pdev))
		pci_intx(pdev, 0);
	down_write(&physmem_lock);
	pci_set_drvdata(pdev, dev);
	up_write(&physmem_lock);
	pci_info(pdev, "driven by physmem for user space (dma/irq granted)\n");
	return 0;
}

/*
 * Unbound: given back, the administrator's unbind, or the device is being
 * removed. Its buffers are freed (after bus mastering is off) and its
 * interrupt released; their users get SIGBUS and ENODEV.
 */
static void physmem_pci_remove(struct pci_dev *pdev)
{
	struct physmem_dev *dev = pci_get_drvdata(pdev);

	down_write(&physmem_lock);
	dev->gone = true;
	physmem_irq_revoke(dev, NULL);
	physmem_dma_revoke(NULL, dev);
	pci_set_drvdata(pdev, NULL);
	up_write(&physmem_lock);

	pci_clear_master(pdev);
	pci_disable_device(pdev);
	physmem_dev_put(dev);
}

static struct pci_driver physmem_pci_driver = {
	.name		= PHYSMEM_DEVICE_NAME,
	.id_table	= NULL,		/* driver_override only */
	.probe		= physmem_pci_probe,
	.remove		= physmem_pci_remove,
};

int physmem_owner_init(void)
{
	return pci_register_driver(&physmem_pci_driver);
}

/* Module exit: the table is empty, so every device goes back. */
void physmem_owner_exit(void)
{
	mutex_lock(&physmem_table_mutex);
	physmem_owners_settle();
	mutex_unlock(&physmem_table_mutex);
	pci_unregister_driver(&physmem_pci_driver);
}
