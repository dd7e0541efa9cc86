#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# libphys register handles (phys_regN_init/_read/_write and the _relaxed
# forms) on file: targets: exact bytes, the checks done once at init at
# their boundaries, refusals, read-only maps, and faults caught inline in
# the program and in a shared object of its own, in both fault-catching
# builds.

load libphys

@test "handles of each width write exactly their bytes and read them back, both orderings" {
	run "$RUN" "file:$F" h8 0x10 hw 0x1122334455667788 hr h4 0x20 hwr 0xaabbccdd hrr \
		h2 0x30 hw 0xbeef hrr h1 0x41 hwr 0x5a hr r8 0x10 r4 0x20
	assert_success
	assert_output "ok
ok
0x1122334455667788
ok
ok
0xaabbccdd
ok
ok
0xbeef
ok
ok
0x5a
0x1122334455667788
0xaabbccdd"
	[ "$(hex_at 0x10)" = 88 ]
	[ "$(hex_at 0x17)" = 11 ]
	[ "$(hex_at 0x18)" = 00 ]
	[ "$(hex_at 0x23)" = aa ]
	[ "$(hex_at 0x24)" = 00 ]
	[ "$(hex_at 0x31)" = be ]
	[ "$(hex_at 0x40)" = 00 ]
	[ "$(hex_at 0x41)" = 5a ]
	[ "$(hex_at 0x42)" = 00 ]
}

@test "init admits the last register of each width and refuses one past it" {
	for w in 1 2 4 8; do
		run "$RUN" "file:$F" h$w $((4096 - w)) hw 0x7f hr h$w $((4096 - w + w))
		assert_failure
		assert_line --index 0 "ok"
		assert_line --index 3 "ERANGE: offset $(printf 0x%x $((4096))) + $w bytes is outside file:$F (size 0x1000)"
		[ "$(hex_at $((4096 - w)))" = 7f ]
	done
}

@test "init: offset + width overflowing 64 bits is -ERANGE; misaligned is -EINVAL" {
	run "$RUN" "file:$F" h4 0xfffffffffffffffc h8 0xfffffffffffffff8 h2 0x101 h4 0x102 h8 0x104
	assert_failure
	assert_line --index 0 --partial "ERANGE: offset 0xfffffffffffffffc + 4 bytes"
	assert_line --index 1 --partial "ERANGE: offset 0xfffffffffffffff8 + 8 bytes"
	assert_line --index 2 "EINVAL: 16-bit access at 0x101 (file:$F+0x101) is not 2-byte aligned"
	assert_line --index 3 --partial "EINVAL: 32-bit access at 0x102"
	assert_line --index 4 --partial "EINVAL: 64-bit access at 0x104"
}

@test "a handle whose init failed fails every access with -EINVAL and writes nothing" {
	run "$RUN" "file:$F" h4 0x100 hw 0x11 h4 0x1000 hr hw 5 hrr hwr 6 r4 0x100
	assert_failure
	assert_line --index 2 --partial "ERANGE"
	assert_line --index 3 --regexp "^EINVAL: "
	assert_line --index 4 --regexp "^EINVAL: "
	assert_line --index 5 --regexp "^EINVAL: "
	assert_line --index 6 --regexp "^EINVAL: "
	assert_line --index 7 "0x00000011"
}

@test "big-endian maps and split 64-bit handles are refused with the way out" {
	run "$RUN" -B "file:$F" h4 0
	assert_failure
	assert_output "EOPNOTSUPP: register handles are native-endian and file:$F is mapped big-endian: use phys_read32()/phys_write32()"
	run "$RUN" -S "file:$F" h8 0 h4 4 hw 9 r8 0
	assert_failure
	assert_line --index 0 "EOPNOTSUPP: file:$F is mapped with split 64-bit accesses: use phys_read64()/phys_write64(), or a phys_reg32 for each half"
	assert_line --index 1 "ok"
	assert_line --index 3 "0x0000000900000000"
}

@test "a handle on a read-only map reads; its writes are -EACCES and change nothing" {
	printf '\x78\x56\x34\x12' | dd of="$F" bs=1 seek=256 conv=notrunc status=none
	run "$RUN" -r "file:$F" h4 0x100 hr hw 1 hwr 2 hrr
	assert_failure
	assert_output "ok
0x12345678
EACCES: file:$F is mapped read-only
EACCES: file:$F is mapped read-only
0x12345678"
	[ "$(hex_at 0x100)" = 78 ]
}

@test "a file truncated under a live handle gives -EFAULT naming the address; the process goes on" {
	run "$RUN" "file:$F" h4 0x100 hw 0x12345678 truncate 0 hr hw 1 hrr hwr 2 h8 0x200 hw 3 \
		truncate 4096 hr h4 0x100 hr hwr 7 hrr
	assert_failure
	assert_line --index 3 "EFAULT: SIGBUS during 32-bit read at 0x100 (file:$F+0x100): the range is gone (window removed, device unplugged, file truncated) or not backed"
	assert_line --index 4 --regexp "^EFAULT: SIGBUS during 32-bit write at 0x100 "
	assert_line --index 5 --regexp "^EFAULT: SIGBUS during 32-bit read at 0x100 "
	assert_line --index 6 --regexp "^EFAULT: SIGBUS during 32-bit write at 0x100 "
	assert_line --index 7 "ok"
	assert_line --index 8 --regexp "^EFAULT: SIGBUS during 64-bit write at 0x200 "
	assert_line --index 10 "0x0000000000000000"
	assert_line --index 13 "ok"
	assert_line --index 14 "0x00000007"
}

@test "the portable fault-catching build catches a handle's fault too" {
	make -s -C "$TOP/libphys" portable >/dev/null
	LD_LIBRARY_PATH="$TOP/libphys/portable" run "$RUN" "file:$F" h4 0x100 truncate 0 hr hw 1 truncate 4096 hw 7 hr
	assert_line --index 2 --regexp "^EFAULT: SIGBUS during 32-bit read at 0x100 "
	assert_line --index 3 --regexp "^EFAULT: SIGBUS during 32-bit write at 0x100 "
	assert_line --index 6 "0x00000007"
}

# Handles used in a shared object and in the program that loads it: each
# module has its own exception table, and each must be found.
@test "faults are caught in a shared object's handles and in the program's, in one process" {
	d="$BATS_TEST_TMPDIR"
	cat >"$d/plug.c" <<-'C'
	#include <libphys.h>
	int plug_read(struct phys_map *m, uint64_t off, uint32_t *v)
	{
		struct phys_reg32 r;
		int err = phys_reg32_init(m, off, &r);
		return err ? err : phys_reg32_read_relaxed(&r, v);
	}
	C
	cat >"$d/main.c" <<-'C'
	#define _POSIX_C_SOURCE 200809L
	#include <libphys.h>
	#include <stdio.h>
	#include <unistd.h>
	int plug_read(struct phys_map *m, uint64_t off, uint32_t *v);
	int main(int argc, char **argv)
	{
		struct phys_ctx *ctx = phys_ctx_new();
		struct phys_map *m = argc > 1 ? phys_map_open(ctx, argv[1], 0, 0) : NULL;
		struct phys_reg32 r;
		uint32_t v = 0;
		int err;
		if (!m || phys_reg32_init(m, 8, &r) || phys_reg32_write(&r, 0xfeedf00d))
			return 2;
		err = plug_read(m, 8, &v);
		printf("plugin %d 0x%08x\n", err, v);
		if (truncate(argv[1] + 5, 0))
			return 2;
		printf("plugin %d\n", plug_read(m, 8, &v));
		printf("program %d\n", phys_reg32_read(&r, &v));
		printf("%s\n", phys_ctx_errmsg(ctx));
		phys_map_close(m);
		phys_ctx_free(ctx);
		return 0;
	}
	C
	inc="-I$TOP/libphys/include"
	"$CC" -std=c11 -Wall -Wextra -pedantic -Werror -fPIC -shared $inc -o "$d/libplug.so" "$d/plug.c" \
		-L"$TOP/libphys" -lphys
	"$CC" -std=c11 -Wall -Wextra -pedantic -Werror $inc -o "$d/main" "$d/main.c" -L"$d" -lplug \
		-L"$TOP/libphys" -lphys
	# both modules carry their own table on x86-64; elsewhere (arm64,
	# armhf: scripts/cross) the handles call the guarded accessors: none
	for f in "$d/libplug.so" "$d/main"; do
		run readelf -S "$f"
		if [ "$PHYSMEM_ARCH" = amd64 ]; then
			assert_output --partial ' phys_extable '
		else
			refute_output --partial ' phys_extable '
		fi
	done
	LD_LIBRARY_PATH="$d:$TOP/libphys" run "$d/main" "file:$F"
	assert_success
	assert_output "plugin 0 0xfeedf00d
plugin -14
program -14
SIGBUS during 32-bit read at 0x8 (file:$F+0x8): the range is gone (window removed, device unplugged, file truncated) or not backed"
}

@test "the header compiles as C++ and without the inline fault catching" {
	d="$BATS_TEST_TMPDIR"
	printf '#include <libphys.h>\nint f(struct phys_reg16 *r) { uint16_t v; return phys_reg16_read(r, &v) ?: phys_reg16_write_relaxed(r, v); }\n' >"$d/h.c"
	g++ -std=c++11 -Wall -Wextra -Werror -fsyntax-only -x c++ -I"$TOP/libphys/include" "$d/h.c"
	# without: each access calls phys_readN/phys_writeN, and nothing goes in a table
	"$CC" -std=c11 -Wall -Werror -DPHYS_NO_INLINE_FAULTS -c -o "$d/h.o" -I"$TOP/libphys/include" "$d/h.c"
	run readelf -S "$d/h.o"
	refute_output --partial phys_extable
	run nm "$d/h.o"
	assert_output --partial "U phys_read16"
	assert_output --partial "U phys_write16"
}
