// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command table. Dispatch, argument-count checks, `help`, the man
 * page's command list and tab completion all come from here; adding a
 * command is adding a line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "devmemtool.h"

#define CMD(x)	prep_##x, exec_##x
#define RUN(x)	NULL, exec_##x

#define ACCESS(sfx, w)							\
	{ "r" #sfx, CMD(read), 1, 2, "ADDR [COUNT]",			\
	  "read COUNT (default 1) " #sfx "-bit values", w },		\
	{ "w" #sfx, CMD(write), 2, -1, "ADDR VALUE [VALUE...]",		\
	  "write " #sfx "-bit values to consecutive addresses", w },	\
	{ "set" #sfx, CMD(rmw), 2, 2, "ADDR BITS",			\
	  "set BITS in a " #sfx "-bit register (read-modify-write)", w }, \
	{ "clear" #sfx, CMD(rmw), 2, 2, "ADDR BITS",			\
	  "clear BITS in a " #sfx "-bit register (read-modify-write)", w }, \
	{ "update" #sfx, CMD(rmw), 3, 3, "ADDR MASK VALUE",		\
	  "replace the MASK bits of a " #sfx "-bit register with VALUE", w }, \
	{ "poll" #sfx, CMD(poll), 3, 6,					\
	  "ADDR MASK [!=] VALUE [TIMEOUT_MS [INTERVAL_US]]",		\
	  "wait until (" #sfx "-bit value & MASK) == (or !=) VALUE", w }, \
	{ "expect" #sfx, CMD(expect), 2, 3, "ADDR VALUE [MASK]",	\
	  "fail unless the " #sfx "-bit value (& MASK) is VALUE", w }

const struct command dmt_commands[] = {
	ACCESS(8, 1),
	ACCESS(16, 2),
	ACCESS(32, 4),
	ACCESS(64, 8),
	{ "set", CMD(rmw), 2, 2, "ADDR BITS", "same as set32", 4 },
	{ "clear", CMD(rmw), 2, 2, "ADDR BITS", "same as clear32", 4 },
	{ "update", CMD(rmw), 3, 3, "ADDR MASK VALUE", "same as update32", 4 },
	{ "poll", CMD(poll), 2, 6, "{ADDR MASK|REG[.FIELD]} [!=] VALUE [TIMEOUT_MS [INTERVAL_US]]",
	  "same as poll32 (default 1000 ms, every 10 us); a register: its width, a field: its bits", 4 },
	{ "expect", CMD(expect), 2, 3, "ADDR|REG[.FIELD] VALUE [MASK]",
	  "same as expect32; a register: its width, a field: its bits", 4 },
	{ "r", CMD(r), 1, 1, "REG[.FIELD]",
	  "read a register (its width) and decode its fields", 0 },
	{ "w", CMD(w), 2, 2, "REG[.FIELD] VALUE",
	  "write a register, or one field as the map's rules say (VALUE: a number or enum name)", 0 },
	{ "regs", CMD(regs), 0, 2, "[--read] [GLOB]",
	  "list the registers of the maps in use (--read: their values, decoded)", 0 },
	{ "snapshot", CMD(snapshot), 2, 3, "save FILE [GLOB] | diff A B",
	  "save the registers that may be read without a side effect; compare two snapshots", 0 },
	{ "diff", CMD(diff), 1, 2, "reset [GLOB]",
	  "the registers whose value differs from their reset value", 0 },
	{ "devmem", CMD(devmem), 1, 3, "ADDR [WIDTH [VALUE]]",
	  "busybox devmem: WIDTH in bits (8, 16, 32, 64; b, h, w, l), its output", 0 },

	{ "dump", CMD(dump), 2, 3, "ADDR LEN [WIDTH]",
	  "hex and ASCII dump of LEN bytes, WIDTH 1 (default), 2, 4 or 8", 0 },
	{ "fill", CMD(fill), 3, 4, "ADDR LEN VALUE [WIDTH]",
	  "write VALUE to LEN bytes in WIDTH-byte accesses (default 1)", 0 },
	{ "copy", CMD(copy), 3, 4, "SRC DST LEN [WIDTH]",
	  "copy LEN bytes from SRC to DST", 0 },
	{ "cmp", CMD(cmp), 3, 4, "A B LEN [WIDTH]",
	  "compare LEN bytes; fail at the first difference", 0 },
	{ "load", CMD(load), 2, 3, "FILE ADDR [WIDTH]",
	  "write FILE's bytes from ADDR (read when the script is checked)", 0 },
	{ "save", CMD(save), 3, 4, "ADDR LEN FILE [WIDTH]",
	  "write LEN bytes from ADDR to FILE", 0 },

	{ "map", CMD(map), 0, -1, "[TARGET [be] [split64] [wc] [as NAME [regmap MAP]]]",
	  "open TARGET (and name it); without arguments list open maps", 0 },
	{ "unmap", CMD(unmap), 1, 1, "NAME|TARGET",
	  "close a map; later lines that name its target map it again", 0 },
	{ "remap", CMD(remap), 1, 1, "NAME|TARGET",
	  "open a map's target again (a file replaced on disk)", 0 },
	{ "buf", CMD(buf), 2, 6, "alloc SIZE for WINDOW as NAME | free NAME",
	  "a DMA buffer for WINDOW's device: NAME[+OFF] its memory, NAME.bus its bus address", 0 },
	{ "irqwait", CMD(irqwait), 1, 4, "WINDOW [TIMEOUT_MS] [mode intx|msi]",
	  "wait for the interrupt of WINDOW's device (default 1000 ms)", 0 },
	{ "windows", RUN(windows), 0, 0, "", "list the physmem driver's windows", 0 },
	{ "pci", RUN(pci), 0, 1, "[VVVV:DDDD|ADDRESS]",
	  "list PCI devices with BARs, driver and decode state", 0 },
	{ "iomem", RUN(iomem), 0, 0, "", "show the physical memory map", 0 },
	{ "info", RUN(info), 0, 0, "",
	  "backend, driver, capabilities, lockdown and strict-devmem state", 0 },

	{ "const", CMD(const), 3, 3, "NAME = VALUE",
	  "name a number (an expression) or a target for the lines after it", 0 },
	{ "sleep", CMD(sleep), 1, 1, "MS", "sleep MS milliseconds", 0 },
	{ "echo", RUN(echo), 0, -1, "[TEXT...]", "print TEXT", 0 },
	{ "source", CMD(source), 1, 1, "FILE", "run the commands in FILE", 0 },
	{ "help", CMD(help), 0, 1, "[COMMAND]", "list commands or explain one", 0 },
	{ "quit", CMD(quit), 0, 0, "", "end this script (a sourced one returns), or leave", 0 },
	{ "exit", RUN(exit), 0, 0, "", "leave devmemtool, from any script depth", 0 },
};
const size_t dmt_ncommands = sizeof(dmt_commands) / sizeof(dmt_commands[0]);

static const struct command **sorted;

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct command *const *)a)->name,
		      (*(const struct command *const *)b)->name);
}

static int key_cmp(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct command *const *)elem)->name);
}

const struct command *command_find(const char *name)
{
	static const struct command *recent[2];
	const struct command **hit;

	/* Scripts alternate between a couple of commands (w32, r32). */
	for (int i = 0; i < 2; i++)
		if (recent[i] && recent[i]->name[0] == name[0] &&
		    strcmp(recent[i]->name, name) == 0)
			return recent[i];
	if (!sorted) {
		sorted = malloc(dmt_ncommands * sizeof(*sorted));
		if (!sorted)
			return NULL;
		for (size_t i = 0; i < dmt_ncommands; i++)
			sorted[i] = &dmt_commands[i];
		qsort(sorted, dmt_ncommands, sizeof(*sorted), by_name);
	}
	hit = bsearch(name, sorted, dmt_ncommands, sizeof(*sorted), key_cmp);
	if (!hit)
		return NULL;
	recent[1] = recent[0];
	recent[0] = *hit;
	return *hit;
}

int usage_error(struct dmt *t, const struct command *cmd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out_error(t, "%s: %s (usage: %s%s%s)", cmd->name, msg, cmd->name,
		  *cmd->usage ? " " : "", cmd->usage);
	return DMT_USAGE;
}

