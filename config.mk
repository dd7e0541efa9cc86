# SPDX-License-Identifier: GPL-2.0-or-later
# Shared build settings, included by every component Makefile.
# Override on the command line: make PREFIX=/usr DESTDIR=/tmp/x install
TOP        := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VERSION    := 0.2.0

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
SBINDIR    ?= $(PREFIX)/sbin
# PREFIX=/usr: the library goes to Debian's multiarch directory,
# /usr/lib/<triplet>, the triplet from the compiler (a cross compiler gives
# its target's: aarch64-linux-gnu-gcc -> aarch64-linux-gnu), or
# dpkg-architecture's where the compiler has no -print-multiarch. Any other
# PREFIX (the default /usr/local) keeps $(PREFIX)/lib.
ifeq ($(patsubst %/,%,$(PREFIX)),/usr)
ifeq ($(origin MULTIARCH),undefined)
MULTIARCH  := $(shell t=$$($(CC) -print-multiarch 2>/dev/null); \
                [ -n "$$t" ] || t=$$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null); echo "$$t")
endif
LIBDIR     ?= $(PREFIX)/lib$(if $(MULTIARCH),/$(MULTIARCH))
else
LIBDIR     ?= $(PREFIX)/lib
endif
LIBEXECDIR ?= $(PREFIX)/libexec
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
SYSCONFDIR ?= /etc
UDEVRULESDIR ?= /lib/udev/rules.d
# bash completions, loaded on demand by bash-completion (what
# `pkg-config --variable=completionsdir bash-completion` says for /usr)
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# systemd units (Debian 12 installs packaged units under /lib/systemd/system)
SYSTEMDUNITDIR ?= /lib/systemd/system
# ldconfig after a library install onto the live system (not with DESTDIR)
LDCONFIG   ?= ldconfig

CC         ?= cc
AR         ?= ar
INSTALL    ?= install
PKG_CONFIG ?= pkg-config

# User space: C11, warnings are errors in our own code.
CFLAGS     ?= -O2 -g
WARNFLAGS  := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
              -Wformat=2 -Wno-unused-parameter -Werror
# _FILE_OFFSET_BITS=64: offsets are physical addresses, above 2 GiB too on
# 32-bit systems. -MMD -MP: each object's header dependencies in a .d file
# that the component Makefiles include.
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -fPIC -MMD -MP $(WARNFLAGS) \
               -I$(TOP)/libphys/include -I$(TOP)/physmem-drv/include/uapi \
               -I$(TOP)/policy/include -I$(TOP)/common/include

# Kernel: the running kernel's build dir if present, otherwise the newest
# installed Debian headers. KVER selects another installed kernel.
KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
          else ls -d /lib/modules/*/build 2>/dev/null | sed 's,^/lib/modules/,,;s,/build$$,,' | sort -V | tail -n1; fi)
KDIR ?= /lib/modules/$(KVER)/build
