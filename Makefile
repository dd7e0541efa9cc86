# SPDX-License-Identifier: GPL-2.0-or-later
# physmem: top-level build, install, test and demo.
#
#   make                 build user space and the kernel module
#   make check           host tests + VM tests on the test kernels: Debian 12's
#                        6.1, backports' 6.12 and sid's newest (scripts/sid-kernel),
#                        and the packages boot: make deb's packages installed on
#                        Debian 12 with systemd, the module built by DKMS
#                        (scripts/pkg-rootfs, tests/vm/run-vm --packages)
#   make check-packages  the packages boot with every guest suite (make check
#                        runs five there); not in check
#   make check-debug     the driver suites on a KASAN + lockdep kernel built from
#                        Debian's source (scripts/debug-kernel; the first run
#                        builds it), failing on any kernel report; not in check
#   make demo            boot the test VM with the driver and a demo policy,
#                        run devmemtool against the edu device
#   make check-arm       user space cross-built for arm64 and armhf with Debian's
#                        cross compilers (scripts/cross), the host suites run
#                        against each build under qemu-user, physmem.ko
#                        cross-built for Debian's arm64 kernel; not in check:
#                        6 to 14 minutes here (2 busy cores), and a fresh
#                        machine installs for about 7.5 minutes first
#   make check-arm64     the guest suites on an arm64 VM: Debian's arm64 kernel
#                        (scripts/arm64-vm) on QEMU's virt machine under TCG,
#                        user space and physmem.ko cross-built (scripts/cross);
#                        about 15 minutes; not in check
#   make bench           benchmarks (libphys vs raw loop, devmemtool vs busybox)
#   make fuzz-regmap     the register map importers fuzzed under ASan and UBSan
#                        for FUZZ_SECONDS (600: a third per format, one seed
#                        from the clock, or FUZZ_SEED); not in check
#   make deb             Debian packages from the working tree (scripts/make-deb):
#                        build/deb/{physmem-dkms,libphys2,libphys-dev,physmem-tools}_*.deb,
#                        built in build/deb/physmem-VERSION/ by dpkg-buildpackage -b,
#                        then lintian, failing on errors; the last lines are
#                        "ok - deb: ..." test lines (tests/run-all's packages boot
#                        calls scripts/make-deb too)
#   make deb-cross       the same cross-built for arm64 and armhf (Debian's cross
#                        compilers): build/deb-arm64/, build/deb-armhf/; not in check
#   make install DESTDIR=... PREFIX=/usr ; make uninstall (same variables)
#   make dkms-install [KVER=...] ; make dkms-uninstall    the module through
#                        DKMS from the tree (/usr/src/physmem-VERSION)
#
# KVER=<version> builds the module for another installed kernel.

include config.mk

# The test kernels: Debian 12's own and bookworm-backports' 6.12 (installed,
# with headers), then Debian sid's newest, from the chroot scripts/sid-kernel
# prepares (`sid` to tests/run-all; its module is built in the chroot).
# `packages` is the packages boot (tests/run-all's header).
HOST_KVERS := $(shell ls -d /lib/modules/*/build 2>/dev/null | sed 's,^/lib/modules/,,;s,/build$$,,' | sort -V)
TEST_KVERS ?= $(HOST_KVERS) sid packages

USER_DIRS := libphys devmemtool
MAKEVARS  := PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) KVER=$(KVER) KDIR=$(KDIR)

.PHONY: all user module man test-progs install install-user install-module uninstall clean check \
	check-host check-vm check-debug check-arm check-arm64 demo bench fuzz-regmap deps sid-kernel \
	deb deb-cross dkms-install dkms-uninstall

all: user module test-progs

# Build order follows the dependencies (DESIGN.md): common, the policy
# core, libphys, then the tools (physmem-policy -> libphys -> policy core
# -> common).
user:
	$(MAKE) -C common
	$(MAKE) -C policy core
	$(MAKE) -C libphys
	$(MAKE) -C tools-common
	$(MAKE) -C physmem-policy
	$(MAKE) -C devmemtool

module:
	$(MAKE) -C physmem-drv $(MAKEVARS)

man:
	$(MAKE) -C man

test-progs: user
	$(MAKE) -C tests/host/progs
	$(MAKE) -C tests/vm/progs

install: install-user install-module

# User space alone (no kernel build): what scripts/cross installs for an
# ARM board, with CC/AR/PKG_CONFIG naming the cross tools.
install-user: user
	$(MAKE) -C physmem-policy install $(MAKEVARS)
	$(MAKE) -C libphys install $(MAKEVARS)
	$(MAKE) -C devmemtool install $(MAKEVARS)
	$(MAKE) -C regmaps install $(MAKEVARS)
	$(MAKE) -C man install $(MAKEVARS)

install-module: module
	$(MAKE) -C physmem-drv install $(MAKEVARS)

uninstall:
	$(MAKE) -C physmem-policy uninstall $(MAKEVARS)
	$(MAKE) -C libphys uninstall $(MAKEVARS)
	$(MAKE) -C devmemtool uninstall $(MAKEVARS)
	$(MAKE) -C regmaps uninstall $(MAKEVARS)
	$(MAKE) -C physmem-drv uninstall $(MAKEVARS)
	$(MAKE) -C man uninstall $(MAKEVARS)

clean:
	for d in common policy libphys tools-common physmem-policy devmemtool physmem-drv man tests/host/progs tests/vm/progs; do \
		$(MAKE) -C $$d clean || exit 1; done
	rm -rf build

deps:
	@scripts/install-deps

# Create or update the sid chroot (cached in /var/cache/physmem/sid). If that
# fails (no network on a first run), tests/run-all reports sid as a failure.
sid-kernel: deps
	@echo "sid kernel: $$(scripts/sid-kernel)"

# Create or update the packages boot's Debian 12 system (cached in
# /var/cache/physmem/bookworm-pkg; 2 minutes the first time). If that
# fails, tests/run-all reports the packages boot as a failure.
.PHONY: pkg-rootfs
pkg-rootfs: deps
	@echo "packages boot: Debian 12 with Linux $$(scripts/pkg-rootfs)"

# Every test: host BATS suites, then one VM boot per test kernel running all
# guest suites (plus the lockdown and test-bed boots). Ends with
# "N passed, N failed[, N skipped]".
check: deps sid-kernel pkg-rootfs
	$(MAKE) all
	tests/run-all $(TEST_KVERS)

# The driver suites on the debug kernel (KASAN, lockdep, ...), then its kernel
# log checked for reports. Ends with "N passed, N failed".
check-debug: deps
	$(MAKE) all
	tests/run-all --debug

# ARM: scripts/cross installs what it needs (cross compilers, the -dev
# libraries of arm64 and armhf, qemu-user from bookworm-backports), then
# tests/run-all --arm (its own build/test-results-arm.tap).
check-arm: deps
	scripts/cross prepare arm64 armhf
	tests/run-all --arm

# The guest suites on arm64 (tests/run-all --arm64-vm, its own
# build/test-results-arm64-vm.tap). scripts/arm64-vm installs qemu-system-arm
# and fetches the kernel on its first run.
check-arm64: deps
	scripts/cross prepare arm64
	tests/run-all --arm64-vm

check-host: all
	tests/run-all --host-only

check-vm: all
	tests/run-all --vm-only $(TEST_KVERS)

# The packages boot with every guest suite, not only make check's few
# (about 22 minutes on a busy 2-core machine).
.PHONY: check-packages
check-packages: deps pkg-rootfs
	$(MAKE) all
	PACKAGES_SUITES='packages,*' PACKAGES_TIMEOUT=2700 tests/run-all --vm-only packages

demo: deps
	$(MAKE) all
	tests/vm/run-vm --kver $(word 1,$(TEST_KVERS)) --mode demo

bench: deps
	$(MAKE) all
	scripts/bench $(word 1,$(TEST_KVERS))

# The short run is tests/host/regmap-fuzz.bats, in check-host.
fuzz-regmap: user
	$(MAKE) -C tests/host/progs fuzz-regmap

# Debian packages (see the top): build dependencies from install-deps.
deb: deps
	scripts/make-deb

deb-cross: deps
	scripts/cross prepare arm64 armhf
	scripts/make-deb --arch arm64
	scripts/make-deb --arch armhf

dkms-install dkms-uninstall:
	$(MAKE) -C physmem-drv $@ KVER=$(KVER)
