# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv: DMA buffers and interrupts for the devices windows grant
# (issue 14), with raw ioctls (physmem-t, physmem-dma-t) against edu:
# DMA registers 0x80-0x98, its buffer at 0x40000, interrupt status 0x24,
# acknowledge 0x64, raise 0x60; 28-bit DMA mask (EDU_DMA_BITS); INTx and MSI. Background
# holders close fd 3, or bats would wait for them at the end, and are
# waited for by pid: a bare `wait` would also wait for the sleeper that
# BATS_TEST_TIMEOUT starts.
load /tests/lib/guest

setup() {
	driver_setup
	DEV=/sys/bus/pci/devices/$EDU_BDF
}

teardown() {
	# shellcheck disable=SC2086
	[ -z "${BG:-}" ] || { kill $BG 2>/dev/null; wait $BG 2>/dev/null; } || true
	physmem-t replace </dev/null || true
}

grant() {	# the edu window with its grants: [dma N] [dmabits N] [irq]
	physmem-t add edu pci "$EDU_BDF" 0 rw "$@" >/dev/null
}

teardown_file() {
	# Whatever failed, leave the second edu present for later suites.
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ] || echo 1 >/sys/bus/pci/rescan
}

# hold_and_block WINDOW SIZE N: a process holds N mapped buffers of SIZE,
# another waits in read() for the interrupt; both ready before it returns.
hold_and_block() {
	physmem-dma-t hold "$1" "$2" "$3" >/tmp/hold.out 3>&- &
	BG=$!
	for i in $(seq 50); do grep -q held /tmp/hold.out && break; sleep 0.1; done
	physmem-dma-t irqblock "$1" auto >/tmp/block.out 2>&1 3>&- &
	BG="$BG $!"
	for i in $(seq 50); do grep -q ready /tmp/block.out && break; sleep 0.1; done
}

# the blocked reader got ENODEV
reader_revoked() {
	for i in $(seq 50); do grep -q ENODEV /tmp/block.out && break; sleep 0.1; done
	run cat /tmp/block.out
	assert_line "physmem-dma-t: read: ENODEV (No such device)"
}

driver_of() {
	if [ -e "$1/driver" ]; then basename "$(readlink "$1/driver")"; else echo none; fi
}

@test "a window that grants dma binds physmem as the device's driver; removing it gives the device back" {
	[ "$(driver_of "$DEV")" = none ]
	grant dma 0x10000 dmabits $EDU_DMA_BITS irq
	[ "$(driver_of "$DEV")" = physmem ]
	[ "$(cat "$DEV/driver_override")" = physmem ]
	run physmem-t list
	assert_output "edu $(hex "$EDU") 0x100000 rw uc claimed mmap dma 0x0/0x10000 bits $EDU_DMA_BITS irq"
	run grep -c "^edu .* dma 0x0/0x10000 mask $EDU_DMA_BITS irq$" /proc/driver/physmem
	assert_output 1
	physmem-t remove edu
	[ "$(driver_of "$DEV")" = none ]
	[ "$(cat "$DEV/driver_override")" = "(null)" ]
	dmesg | grep -q "$EDU_BDF: given back by physmem: unbound (echo $EDU_BDF > /sys/bus/pci/drivers_probe binds its own driver)"
}

@test "a window without grants leaves the device alone" {
	grant
	[ "$(driver_of "$DEV")" = none ]
}

@test "replace: the device stays bound while a window grants it, and goes back when none does" {
	grant irq
	echo "edu pci $EDU_BDF 0 rw dma 0x4000" | physmem-t replace
	[ "$(driver_of "$DEV")" = physmem ]
	echo "edu pci $EDU_BDF 0 rw" | physmem-t replace
	[ "$(driver_of "$DEV")" = none ]
}

@test "grants are refused where they cannot be: range, shared, dma-mask without dma, bad widths" {
	run physmem-t add r range 0xfe000000 0x1000 irq
	assert_output --partial "EINVAL"
	run physmem-t add e pci "$EDU_BDF" 0 shared dma 0x1000
	assert_output --partial "EINVAL"
	run physmem-t add e pci "$EDU_BDF" 0 dmabits $EDU_DMA_BITS
	assert_output --partial "EINVAL"
	run physmem-t add e pci "$EDU_BDF" 0 dma 0x1000 dmabits 23
	assert_output --partial "EINVAL"
	run physmem-t add e pci "$EDU_BDF" 0 dma 0x1000 dmabits 65
	assert_output --partial "EINVAL"
	[ "$(driver_of "$DEV")" = none ]
	grant dma 0x1000 dmabits 64
	run physmem-t list
	assert_output --partial "dma 0x0/0x1000 bits 0"
}

@test "one window per device may grant: a second one is refused, by add and by replace" {
	physmem-t add a pci "$EDU_BDF" 0 offset 0 size 0x1000 rw dma 0x1000 >/dev/null
	run physmem-t add b pci "$EDU_BDF" 0 offset 0x2000 size 0x1000 irq
	assert_output --partial "EEXIST"
	physmem-t add c pci "$EDU_BDF" 0 offset 0x2000 size 0x1000 rw >/dev/null
	run sh -c "printf '%s\n' 'a pci $EDU_BDF 0 offset 0 size 0x1000 dma 0x1000' 'b pci $EDU_BDF 0 offset 0x2000 size 0x1000 irq' | physmem-t replace"
	assert_output --regexp "window #1: EEXIST"
}

@test "a buffer is zeroed, and pread, pwrite and mmap show the same memory" {
	grant dma 0x10000 dmabits $EDU_DMA_BITS
	run physmem-dma-t alloc edu 100
	assert_success
	assert_line --regexp "^size 0x1000 bus 0x[0-9a-f]+ offset 0x[0-9a-f]+$"
	assert_line "rw ok"
	bus=$(echo "$output" | sed -n 's/.* bus \(0x[0-9a-f]*\) .*/\1/p')
	[ $((bus + 0x1000)) -le $((1 << EDU_DMA_BITS)) ]
}

@test "the policy's limit: EDQUOT past dma SIZE, counted in whole pages" {
	grant dma 0x10000 dmabits $EDU_DMA_BITS
	run physmem-dma-t limit edu 0x4000
	assert_output "4 buffers, then EDQUOT"
	run physmem-dma-t limit edu 1
	assert_output "16 buffers, then EDQUOT"
	dmesg | grep -q "refused: dma buffer for window edu: 0x1000 bytes asked, 0x10000 of the window's dma limit 0x10000 held"
}

@test "no dma or no irq in the window: refused with EPERM, and the log says why" {
	grant irq
	run physmem-dma-t alloc edu 4096
	assert_output --partial "alloc: EPERM"
	dmesg | grep -q "refused: dma buffer for window edu: the window grants no dma"
	physmem-t replace </dev/null
	grant dma 0x1000
	run physmem-dma-t irqopen edu auto
	assert_output --partial "irq open: EPERM"
	dmesg | grep -q "refused: interrupt of window edu: the window grants no irq"
	run physmem-dma-t alloc nosuch 4096
	assert_output --partial "alloc: ENOENT"
}

@test "nothing reaches past a buffer, privately, or from another open file" {
	grant dma 0x10000
	run physmem-dma-t beyond edu 0x2000
	assert_output "mmap past the end: EPERM
mmap after it: EPERM
private mmap: EINVAL
pread after it: EPERM
other file mmap: EPERM
other file pread: EPERM"
}

@test "a read-only descriptor cannot allocate" {
	grant dma 0x10000
	run physmem-t -r ioctl $((0xc0000000 | (80 << 16) | (0xbe << 8) | 0x10))
	assert_output --partial "EBADF"
}

@test "DMA RAM -> edu -> RAM with interrupts: INTx" {
	grant dma 0x10000 dmabits $EDU_DMA_BITS irq
	run physmem-dma-t edu edu intx
	assert_success
	assert_line "irq mode intx"
	assert_line "round trip ok"
}

@test "DMA RAM -> edu -> RAM with interrupts: MSI" {
	grant dma 0x10000 dmabits $EDU_DMA_BITS irq
	run physmem-dma-t edu edu msi
	assert_success
	assert_line "irq mode msi"
	assert_line "round trip ok"
}

@test "the factorial-done interrupt, INTx and MSI (auto picks MSI with a dma grant)" {
	grant dma 0x1000 irq
	run physmem-dma-t fact edu intx
	assert_success
	assert_line "5! = 120"
	run physmem-dma-t fact edu
	assert_success
	assert_line "irq mode msi"
	assert_line "5! = 120"
}

@test "without a dma grant, no MSI: it needs bus mastering; auto picks INTx" {
	grant irq
	run physmem-dma-t irqopen edu msi
	assert_output --partial "irq open: EPERM"
	dmesg | grep -q "refused: interrupt of window edu: MSI needs bus mastering, which only a dma grant gives"
	run physmem-dma-t fact edu
	assert_success
	assert_line "irq mode intx"
	assert_line "5! = 120"
}

@test "an interrupt needs a descriptor opened for writing" {
	grant irq
	run physmem-t -r ioctl $((0xc0000000 | (56 << 16) | (0xbe << 8) | 0x12))
	assert_output --partial "EBADF"
}

@test "interrupts that come while nobody waits are counted, not lost" {
	grant dma 0x1000 irq
	run physmem-dma-t count edu intx
	assert_success
	run physmem-dma-t count edu msi
	assert_success
}

@test "a wait times out; the other mode is busy while one is open" {
	grant dma 0x1000 irq
	run physmem-dma-t irqwait edu auto 200
	assert_output --partial "wait: ETIMEDOUT"
	run physmem-dma-t irqopen edu intx msi
	assert_line "irq mode intx"
	assert_line --partial "second irq open: EBUSY"
	run physmem-dma-t irqopen edu intx intx
	assert_success
}

@test "/proc/driver/physmem lists buffers with their owner, and interrupts" {
	grant dma 0x10000 dmabits $EDU_DMA_BITS irq
	physmem-dma-t hold edu 0x2000 2 >/tmp/hold.out 3>&- &
	pid=$! BG=$!
	for i in $(seq 50); do grep -q held /tmp/hold.out && break; sleep 0.1; done
	run grep -E "^$pid physmem-dma-t edu 0x2000 0x[0-9a-f]+ 0x[0-9a-f]+ held$" /proc/driver/physmem
	assert_equal "${#lines[@]}" 2
	run physmem-t list
	assert_output --partial "dma 0x4000/0x10000"
	kill "$pid"
	wait "$pid" || true
	BG=
	run grep -c "physmem-dma-t edu" /proc/driver/physmem
	assert_output 0
	run physmem-t list
	assert_output --partial "dma 0x0/0x10000"
}

@test "removing the grant revokes: mappings fault, buffers are freed, a waiting reader gets ENODEV" {
	grant dma 0x10000 dmabits $EDU_DMA_BITS irq
	hold_and_block edu 0x1000 1
	physmem-t remove edu
	reader_revoked
	run grep -c " revoked$" /proc/driver/physmem
	assert_output 1
	[ "$(driver_of "$DEV")" = none ]
}

@test "1000 processes killed while holding buffers leave nothing behind" {
	grant dma 0x10000 dmabits $EDU_DMA_BITS
	sync; echo 3 >/proc/sys/vm/drop_caches
	before=$(awk '/^MemFree/ {print $2}' /proc/meminfo)
	run physmem-dma-t cycles edu 0x4000 1000
	assert_output "1000 cycles"
	run grep -c "physmem-dma-t" /proc/driver/physmem
	assert_output 0
	run physmem-t list
	assert_output --partial "dma 0x0/0x10000"
	sync; echo 3 >/proc/sys/vm/drop_caches
	after=$(awk '/^MemFree/ {print $2}' /proc/meminfo)
	echo "MemFree before $before kB, after $after kB" >&3
	# 1000 leaked cycles would be 32 MiB; allow the page allocator's noise.
	[ "$after" -ge $((before - 4096)) ]
}

@test "without an IOMMU the device reaches any memory: what granting dma grants" {
	[ ! -e /sys/class/iommu ] || [ -z "$(ls /sys/class/iommu)" ]
	grant dma 0x10000 dmabits $EDU_DMA_BITS irq
	run physmem-dma-t stray edu "$EDU_DMA_BITS"
	assert_success
	assert_line "page overwritten"
}

@test "unloading the module gives the device back" {
	grant dma 0x10000 irq
	[ "$(driver_of "$DEV")" = physmem ]
	modprobe -r physmem
	[ "$(driver_of "$DEV")" = none ]
	[ "$(cat "$DEV/driver_override")" = "(null)" ]
	modprobe physmem
}

@test "removing the PCI device with buffers mapped and a reader waiting: revoked, nothing left, the device comes back clean" {
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ] || echo 1 >/sys/bus/pci/rescan
	physmem-t add edu2 pci "$EDU2_BDF" 0 rw dma 0x10000 dmabits $EDU_DMA_BITS irq >/dev/null
	[ "$(driver_of "/sys/bus/pci/devices/$EDU2_BDF")" = physmem ]
	hold_and_block edu2 0x2000 2
	echo 1 >"/sys/bus/pci/devices/$EDU2_BDF/remove"
	reader_revoked
	run grep -c "physmem-dma-t edu2 0x2000 .* revoked$" /proc/driver/physmem
	assert_output 2
	run physmem-t list
	assert_output --partial "edu2 "
	assert_output --partial " gone dma 0x0/0x10000"
	# the holder dies: its records go; the table change gives the device up
	kill $BG; wait $BG 2>/dev/null || true
	BG=
	run grep -c "edu2" /proc/driver/physmem
	assert_output 1
	physmem-t remove edu2
	echo 1 >/sys/bus/pci/rescan
	[ -e "/sys/bus/pci/devices/$EDU2_BDF" ]
	[ "$(driver_of "/sys/bus/pci/devices/$EDU2_BDF")" = none ]
	[ "$(cat "/sys/bus/pci/devices/$EDU2_BDF/driver_override")" = "(null)" ]
	run sh -c "dmesg | grep -E 'BUG|WARNING|Oops|general protection'"
	assert_failure
}

@test "an administrator's unbind revokes the grant; loading the same table again binds the device anew" {
	echo "edu pci $EDU_BDF 0 rw dma 0x10000 dmabits $EDU_DMA_BITS" | physmem-t replace
	echo "$EDU_BDF" >/sys/bus/pci/drivers/physmem/unbind
	[ "$(driver_of "$DEV")" = none ]
	run physmem-dma-t alloc edu 4096
	assert_output --partial "alloc: ENODEV"
	echo "edu pci $EDU_BDF 0 rw dma 0x10000 dmabits $EDU_DMA_BITS" | physmem-t replace
	[ "$(driver_of "$DEV")" = physmem ]
	run physmem-dma-t alloc edu 4096
	assert_success
	assert_line "rw ok"
}
