// SPDX-License-Identifier: GPL-2.0
/*
 * physmem: /proc/driver/physmem, a read-only view of the windows and of the
 * live mappings. Procfs rather than debugfs: it exists on every system,
 * also under lockdown=confidentiality, where debugfs is closed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "physmem.h"

#define PHYSMEM_PROC_NAME	"driver/physmem"

static void physmem_show_source(struct seq_file *m,
				const struct physmem_window *def)
{
	switch (def->source) {
	case PHYSMEM_SRC_PCI:
		seq_printf(m, "pci:%04x:%02x:%02x.%x/bar%u+%#llx",
			   def->src.pci.domain, def->src.pci.bus,
			   PCI_SLOT(def->src.pci.devfn),
			   PCI_FUNC(def->src.pci.devfn), def->src.pci.bar,
			   def->offset);
		break;
	case PHYSMEM_SRC_IOMEM:
		/* The label is printable ASCII (window.c); shown as given. */
		seq_printf(m, "iomem:\"%s\"#%u", def->src.iomem.label,
			   def->src.iomem.index);
		break;
	default:
		seq_puts(m, "range");
	}
}

static const char *physmem_state(const struct physmem_win *win)
{
	if (win->gone)
		return "gone";
	if (win->claim)
		return "claimed";
	if (win->def.flags & PHYSMEM_WIN_SHARED)
		return "shared";
	return "unclaimed";
}

static int physmem_proc_show(struct seq_file *m, void *v)
{
	struct physmem_win *win;

	seq_puts(m, "# windows: name first-last access cache state mmap source [grants]\n");
	down_read(&physmem_lock);
	list_for_each_entry(win, &physmem_windows, node) {
		seq_printf(m, "%s %#llx-%#llx %s %s %s %s ", win->def.name,
			   (u64)win->base, (u64)win->last,
			   win->def.flags & PHYSMEM_WIN_RW ? "rw" : "ro",
			   win->def.flags & PHYSMEM_WIN_WC ? "wc" : "uc",
			   physmem_state(win), win->mmap_ok ? "mmap" : "nommap");
		physmem_show_source(m, &win->def);
		if (win->def.dma_size)
			seq_printf(m, " dma %#llx/%#llx mask %u", win->dma_used,
				   win->def.dma_size, win->def.dma_bits ?: 64);
		if (win->def.flags & PHYSMEM_WIN_IRQ)
			seq_puts(m, " irq");
		seq_putc(m, '\n');
	}
	up_read(&physmem_lock);

	seq_puts(m, "# mappings: pid comm window first-last access\n");
	physmem_maps_show(m);
	physmem_bufs_show(m);

	seq_puts(m, "# interrupts: window device mode irq count users\n");
	down_read(&physmem_lock);
	list_for_each_entry(win, &physmem_windows, node)
		if (win->dev && !win->gone)
			physmem_irq_show(m, win->dev);
	up_read(&physmem_lock);
	return 0;
}

int physmem_proc_init(void)
{
	if (!proc_create_single(PHYSMEM_PROC_NAME, 0400, NULL,
				physmem_proc_show))
		return -ENOMEM;
	return 0;
}

void physmem_proc_exit(void)
{
	remove_proc_entry(PHYSMEM_PROC_NAME, NULL);
}
