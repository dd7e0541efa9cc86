# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-drv: host side of tests/vm/guest/driver-stress.bats. The stress
# owns ivshmem BAR2 0x100000-0x1fffff: it filled it with a pattern, and only
# the allowed bytes below were ever inside an rw window. Every other byte
# (the canary) must still hold the pattern, whatever the guest tried.
load ../../lib/common

@test "stress canary: every byte outside the allowed set still holds the pattern" {
	[ -f "$VM_OUT/ivshmem.bin" ] || skip "no ivshmem backing file"
	grep -q 'driver-stress: stress: seed 1,' "$VM_OUT/tap.txt" 2>/dev/null ||
		skip "driver-stress suite did not run"
	run python3 - "$VM_OUT/ivshmem.bin" <<'PY'
import sys
# Region offsets [lo, hi) that may hold anything (physmem-stress.c: allowed[]).
allowed = [(0x00000, 0x40000), (0x40000, 0x40800), (0x41800, 0x42000),
           (0x42100, 0x42104), (0x42108, 0x4210c), (0x43003, 0x43038)]
REGION, SIZE = 0x100000, 0x100000
with open(sys.argv[1], 'rb') as f:
    f.seek(REGION)
    data = f.read(SIZE)
if len(data) != SIZE:
    sys.exit(f"ivshmem.bin holds {len(data)} bytes of the stress region, not {SIZE}")
def pat(o):
    return (o * 7 + (o >> 8) * 13 + (o >> 16) * 29 + 0xa5) & 0xff
mask = bytearray(SIZE)
for lo, hi in allowed:
    mask[lo:hi] = b'\1' * (hi - lo)
bad = [o for o in range(SIZE) if not mask[o] and data[o] != pat(o)]
for o in bad[:16]:
    print(f"canary +0x{o:05x} (file 0x{REGION + o:06x}): 0x{data[o]:02x}, expected 0x{pat(o):02x}")
if bad:
    sys.exit(f"{len(bad)} canary bytes changed")
# The pattern itself must be there: a stress that never filled it proves nothing.
print("canary intact:", SIZE - sum(mask), "bytes")
PY
	assert_success
	assert_output --partial "canary intact"
}
