#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# libphys as an installed library: make install lays out the soname links,
# header and pkg-config file; an outside program built with nothing but
# `pkg-config --cflags --libs libphys` compiles, links and runs; the
# libphys(3) example compiles; only the documented symbols are exported.

load ../lib/common

setup_file() {
	export DEST="$BATS_FILE_TMPDIR/dest"
	# PREFIX=/usr puts the library in Debian's multiarch directory
	export LIB="$DEST/usr/lib/$($CC -print-multiarch)"
	make -s -C "$TOP/libphys" install DESTDIR="$DEST" PREFIX=/usr >"$BATS_FILE_TMPDIR/install.log" 2>&1
	export INSTALL_RC=$?
}

# The installed libphys.pc first, then the system's (Requires.private:
# libpci, libcap, zlib, libxml-2.0), as on a machine where it is installed.
pc() {
	PKG_CONFIG_SYSROOT_DIR="$DEST" \
		PKG_CONFIG_LIBDIR="$LIB/pkgconfig:$("$PKG_CONFIG" --variable pc_path pkg-config)" \
		PKG_CONFIG_PATH= "$PKG_CONFIG" "$@"
}

@test "make install lays out library, soname links, header and pkg-config file" {
	[ "$INSTALL_RC" = 0 ] || { cat "$BATS_FILE_TMPDIR/install.log"; false; }
	[ -f "$LIB/libphys.so.0.2.0" ]
	[ "$(readlink "$LIB/libphys.so.2")" = libphys.so.0.2.0 ]
	[ "$(readlink "$LIB/libphys.so")" = libphys.so.2 ]
	[ -f "$LIB/libphys.a" ]
	cmp "$DEST/usr/include/libphys.h" "$TOP/libphys/include/libphys.h"
	cmp "$DEST/usr/include/libphys/reg.h" "$TOP/libphys/include/libphys/reg.h"
	run readelf -d "$LIB/libphys.so.2"
	assert_output --partial "Library soname: [libphys.so.2]"
	refute_output --partial "TEXTREL"
}

@test "pkg-config reports the installed paths and version" {
	run pc --modversion libphys
	assert_output "$(sed -n 's/^VERSION *:= *//p' "$TOP/config.mk")"
	run pc --libs libphys
	assert_equal "$(echo $output)" "-L$LIB -lphys"
	# --cflags adds those of the Requires.private packages (under the sysroot).
	run pc --cflags libphys
	assert_output --regexp "^-I$DEST/usr/include( |\$)"
	# A static link pulls in what libpci, libcap, zlib and libxml2 need,
	# from their own .pc.
	run pc --static --libs-only-l libphys
	assert_equal "$(echo $output)" "$(echo -lphys -lpthread $("$PKG_CONFIG" --static --libs-only-l libpci libcap zlib libxml-2.0))"
}

@test "an outside program built only with pkg-config compiles, links and runs" {
	cat >"$BATS_TEST_TMPDIR/outside.c" <<-'C'
	#include <libphys.h>
	#include <stdio.h>
	int main(int argc, char **argv)
	{
		struct phys_ctx *ctx = phys_ctx_new();
		struct phys_map *m = phys_map_open(ctx, argv[1], 0, 0);
		uint32_t v;
		if (!m || phys_write32(m, 8, 0xfeedf00d) || phys_read32(m, 8, &v))
			return 1;
		printf("%s 0x%08x\n", phys_version(), v);
		phys_map_close(m);
		phys_ctx_free(ctx);
		return 0;
	}
	C
	truncate -s 64 "$BATS_TEST_TMPDIR/mem.bin"
	"$CC" -o "$BATS_TEST_TMPDIR/outside" "$BATS_TEST_TMPDIR/outside.c" $(pc --cflags --libs libphys)
	LD_LIBRARY_PATH="$LIB" run "$BATS_TEST_TMPDIR/outside" "file:$BATS_TEST_TMPDIR/mem.bin"
	assert_success
	assert_output "0.2.0 0xfeedf00d"
	LD_LIBRARY_PATH="$LIB" run ldd "$BATS_TEST_TMPDIR/outside"
	assert_output --partial "libphys.so.2 => $LIB/libphys.so.2"
}

@test "info structs are size-versioned: struct_size is checked against the first release and set to what was filled" {
	cat >"$BATS_TEST_TMPDIR/sizes.c" <<-'C'
	#include <libphys.h>
	#include <stdio.h>
	#include <string.h>
	/* A program built when phys_target_info ended at 'backend'. */
	struct old_info { size_t struct_size; uint64_t phys, size; char window[32], backend[16]; };
	int main(int argc, char **argv)
	{
		struct phys_ctx *ctx = phys_ctx_new();
		struct phys_target_info full = PHYS_INFO_INIT(struct phys_target_info), zero = { 0 };
		union { struct old_info o; struct phys_target_info n; char pad[512]; } u;
		int r = phys_target_resolve(ctx, argv[1], &zero);
		printf("zero: %d %s\n", r, phys_ctx_errmsg(ctx));
		r = phys_target_resolve(ctx, argv[1], &full);
		printf("full: %d size %zu physical %d has %d\n", r, full.struct_size, full.physical,
		       PHYS_INFO_HAS(struct phys_target_info, &full, physical));
		memset(&u, 0x5a, sizeof(u));
		u.o.struct_size = sizeof(u.o);
		r = phys_target_resolve(ctx, argv[1], &u.n);
		printf("smaller: %d filled %zu of %zu, backend %s, has %d, past it 0x%02x\n", r,
		       u.o.struct_size, sizeof(full), u.o.backend,
		       PHYS_INFO_HAS(struct phys_target_info, &u.n, physical),
		       (unsigned char)u.pad[u.o.struct_size]);
		phys_ctx_free(ctx);
		return 0;
	}
	C
	truncate -s 64 "$BATS_TEST_TMPDIR/mem.bin"
	"$CC" -o "$BATS_TEST_TMPDIR/sizes" "$BATS_TEST_TMPDIR/sizes.c" $(pc --cflags --libs libphys)
	LD_LIBRARY_PATH="$LIB" run "$BATS_TEST_TMPDIR/sizes" "file:$BATS_TEST_TMPDIR/mem.bin"
	assert_success
	assert_line --index 0 --regexp "^zero: -22 struct phys_target_info: struct_size 0, at least [0-9]+ expected \(PHYS_INFO_INIT\)$"
	assert_line --index 1 --regexp "^full: 0 size [0-9]+ physical 0 has 1$"
	# the first release's size is the smallest taken: today that is all of it
	assert_line --index 2 --regexp "^smaller: -22 "
}

@test "the example in libphys(3) is the one in the tree, and it compiles and runs" {
	man="$TOP/man/libphys.3"
	sed -n '/^\.SH EXAMPLE/,/^\.EE/p' "$man" | sed -n '/^\.EX/,/^\.EE/p' | sed '1d;$d' |
		sed 's/\\e/\\/g; s/\\-/-/g' >"$BATS_TEST_TMPDIR/example.c"
	# the man page shows the program without its header comment
	sed '1,/\*\//d' "$TOP/libphys/examples/regdump.c" | expand -t 4 >"$BATS_TEST_TMPDIR/tree.c"
	diff -w <(tr -d ' \n' <"$BATS_TEST_TMPDIR/example.c") <(tr -d ' \n' <"$BATS_TEST_TMPDIR/tree.c")
	"$CC" -Wall -Werror -o "$BATS_TEST_TMPDIR/example" "$BATS_TEST_TMPDIR/example.c" $(pc --cflags --libs libphys)
	printf '\xed\x00\x00\x01\x00\x00\x00\x00' >"$BATS_TEST_TMPDIR/mem.bin"
	LD_LIBRARY_PATH="$LIB" run "$BATS_TEST_TMPDIR/example" "file:$BATS_TEST_TMPDIR/mem.bin" 2
	assert_success
	assert_output "0x0000: 0x010000ed
0x0004: 0x00000000"
	LD_LIBRARY_PATH="$LIB" run "$BATS_TEST_TMPDIR/example" "file:$BATS_TEST_TMPDIR/mem.bin" 3
	assert_failure
	assert_output --partial "regdump: offset 0x8 + 4 bytes is outside"
}

@test "the register handle example in libphys(3) compiles and drains a FIFO" {
	sed -n '/^\.SS Register handles/,/^\.SS Bulk/p' "$TOP/man/libphys.3" | sed -n '/^\.EX/,/^\.EE/p' |
		sed '1d;$d' | sed 's/\\e/\\/g; s/\\-/-/g' >"$BATS_TEST_TMPDIR/fifo.c"
	grep -q 'phys_reg32_read_relaxed' "$BATS_TEST_TMPDIR/fifo.c"
	cat >"$BATS_TEST_TMPDIR/main.c" <<-'C'
	#include <libphys.h>
	#include <stdio.h>
	C
	cat "$BATS_TEST_TMPDIR/fifo.c" >>"$BATS_TEST_TMPDIR/main.c"
	cat >>"$BATS_TEST_TMPDIR/main.c" <<-'C'
	int main(int argc, char **argv)
	{
		struct phys_ctx *ctx = phys_ctx_new();
		struct phys_map *m = argc > 1 ? phys_map_open(ctx, argv[1], 0, 0) : NULL;
		uint32_t buf[3];
		if (!m || fifo_drain(m, 4, buf, 3))
			return 1;
		printf("%08x %08x %08x %d\n", buf[0], buf[1], buf[2], fifo_drain(m, 2, buf, 1));
		return 0;
	}
	C
	"$CC" -std=c11 -Wall -Wextra -Werror -Wno-missing-prototypes -o "$BATS_TEST_TMPDIR/fifo" \
		"$BATS_TEST_TMPDIR/main.c" $(pc --cflags --libs libphys)
	printf '\0\0\0\0\x78\x56\x34\x12' >"$BATS_TEST_TMPDIR/mem.bin"
	LD_LIBRARY_PATH="$LIB" run "$BATS_TEST_TMPDIR/fifo" "file:$BATS_TEST_TMPDIR/mem.bin"
	assert_success
	assert_output "12345678 12345678 12345678 -22"
}

@test "<libphys/reg.h> is installed for <libphys.h> and refuses to be included alone" {
	printf '#include <libphys/reg.h>\n' >"$BATS_TEST_TMPDIR/alone.c"
	run "$CC" -c -o "$BATS_TEST_TMPDIR/alone.o" "$BATS_TEST_TMPDIR/alone.c" $(pc --cflags libphys)
	assert_failure
	assert_output --partial 'include <libphys.h>, not <libphys/reg.h>'
	printf '#include <libphys.h>\nint f(struct phys_reg32 *r, unsigned int *v);\nint f(struct phys_reg32 *r, unsigned int *v) { return phys_reg32_read(r, v); }\n' \
		>"$BATS_TEST_TMPDIR/both.c"
	run "$CC" -std=c11 -Wall -Wextra -Werror -c -o "$BATS_TEST_TMPDIR/both.o" "$BATS_TEST_TMPDIR/both.c" $(pc --cflags libphys)
	assert_success
}

@test "a static link with pkg-config --static works too, register handles' faults included" {
	truncate -s 64 "$BATS_TEST_TMPDIR/mem.bin"
	# one module: the program's handle entries and the library's share a table
	cat >"$BATS_TEST_TMPDIR/s.c" <<-'C'
	#define _POSIX_C_SOURCE 200809L
	#include <libphys.h>
	#include <stdio.h>
	#include <unistd.h>
	int main(int argc, char **argv)
	{
		struct phys_ctx *ctx = phys_ctx_new();
		struct phys_map *m = argc > 1 ? phys_map_open(ctx, argv[1], 0, 0) : NULL;
		struct phys_reg32 r;
		uint32_t v = 0;
		if (!m || phys_reg32_init(m, 8, &r) || phys_reg32_write(&r, 5) ||
		    phys_reg32_read(&r, &v) || truncate(argv[1] + 5, 0))
			return 1;
		printf("%s %u %d %d\n", phys_version(), v, phys_reg32_read(&r, &v), phys_read32(m, 8, &v));
		return 0;
	}
	C
	"$CC" -o "$BATS_TEST_TMPDIR/s" "$BATS_TEST_TMPDIR/s.c" $(pc --cflags libphys) \
		"$LIB/libphys.a" $(pc --static --libs-only-l libphys | sed 's/-lphys//')
	run "$BATS_TEST_TMPDIR/s" "file:$BATS_TEST_TMPDIR/mem.bin"
	assert_success
	assert_output "$(sed -n 's/^VERSION *:= *//p' "$TOP/config.mk") 5 -14 -14"
	run ldd "$BATS_TEST_TMPDIR/s"
	refute_output --partial libphys
}

@test "exactly the symbols of libphys.sym are exported, each at its version node" {
	nm -D --defined-only "$LIB/libphys.so.2" | awk '$2 == "T" { print $3 }' | sort >"$BATS_TEST_TMPDIR/exported"
	awk '/^LIBPHYS_[0-9]+ \{/ { node = $1 } /^\tphys_[a-z0-9_]*;$/ { sub(/;/, ""); print $1 "@@" node }' \
		"$TOP/libphys/libphys.sym" | sort >"$BATS_TEST_TMPDIR/listed"
	grep -q '^phys_read32@@LIBPHYS_1$' "$BATS_TEST_TMPDIR/listed"
	diff "$BATS_TEST_TMPDIR/listed" "$BATS_TEST_TMPDIR/exported"
	# every function the headers declare is listed; those they define inline are not
	headers="$TOP/libphys/include/libphys.h $TOP/libphys/include/libphys/reg.h"
	cat $headers | grep -v '^ *\(/\*\|\*\)' | grep -o '\bphys_[a-z0-9_]*(' |
		tr -d '(' | sort -u >"$BATS_TEST_TMPDIR/named"
	cat $headers | sed -n 's/^static inline [a-z]* \(phys_[a-z0-9_]*\)(.*/\1/p' |
		sort -u >"$BATS_TEST_TMPDIR/inline"
	comm -23 "$BATS_TEST_TMPDIR/named" "$BATS_TEST_TMPDIR/inline" >"$BATS_TEST_TMPDIR/declared"
	diff "$BATS_TEST_TMPDIR/declared" <(sed 's/@@.*//' "$BATS_TEST_TMPDIR/listed" | sort)
	run objdump -T "$LIB/libphys.so.2"
	refute_output --partial " pol_"
}

@test "every exported function is documented in libphys(3)" {
	for f in $(sed -n 's/^\t\(phys_[a-z0-9_]*\);$/\1/p' "$TOP/libphys/libphys.sym"); do
		grep -q "^\.BR* .*\b$f\b\|^\.BI .*\b$f(" "$TOP/man/libphys.3" || { echo "undocumented: $f"; false; }
	done
}

@test "make uninstall removes exactly what install put there" {
	make -s -C "$TOP/libphys" uninstall DESTDIR="$DEST" PREFIX=/usr
	run find "$DEST" -type f -o -type l
	assert_output ""
}
