// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Register maps: loading (cache or importer), and the builder the
 * importers fill, which checks what every format must get right and
 * compiles the database (layout in regmap.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "regmap.h"

/* A source larger than this is not taken for a register map: the whole
 * file is held in memory, with libxml2's tree of it (several times its
 * size) on top, where a chip's SVD is a few MB (RP2040's: 2.6 MB). */
#define RM_MAX_SOURCE	(64U << 20)

struct breg {
	struct rm_reg r;
	long line;
};
struct bfield {
	struct rm_field f;
	long line;
};

struct rm_builder {
	struct phys_ctx *ctx;
	const char *path;
	bool failed, absolute;
	uint32_t name;
	struct breg *regs;
	size_t nregs, capregs;
	struct bfield *fields;
	size_t nfields, capfields;
	struct rm_enum *enums;
	size_t nenums, capenums;
	struct rm_pci *pci;
	size_t npci, cappci;
	/* strings, interned: STR holds them back to back from a "" at 0 */
	char *str;
	size_t lenstr, capstr;
	uint32_t *slots;	/* open addressing: offset + 1, 0 = empty */
	size_t nslots, nstrings;
};

/* ---- small things the importers share ---------------------------------- */

int rm_parse_u64(const char *text, uint64_t *val)
{
	const char *p = text + strspn(text, " \t\r\n");
	unsigned int base = 10;
	uint64_t v = 0;
	bool any = false;

	if (*p == '+')
		p++;
	if (*p == '#') {
		base = 2;
		p++;
	} else if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
		base = 2;
		p += 2;
	}
	for (;; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned int)(*p - 'A' + 10);
		else if ((*p == 'x' || *p == 'X') && base == 2)
			d = 0;		/* SVD's don't-care bit */
		else
			break;
		if (d >= base)
			return -EINVAL;
		if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
			return -ERANGE;
		any = true;
	}
	p += strspn(p, " \t\r\n");
	if (!any || *p)
		return -EINVAL;
	*val = v;
	return 0;
}

/* ---- the builder ------------------------------------------------------- */

struct rm_builder *rmb_new(struct phys_ctx *ctx, const char *path)
{
	struct rm_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->ctx = ctx;
	b->path = path;
	b->capstr = 4096;
	b->str = malloc(b->capstr);
	b->nslots = 1024;
	b->slots = calloc(b->nslots, sizeof(*b->slots));
	if (!b->str || !b->slots) {
		rmb_free(b);
		return NULL;
	}
	b->str[0] = '\0';
	b->lenstr = 1;
	return b;
}

void rmb_free(struct rm_builder *b)
{
	if (!b)
		return;
	free(b->regs);
	free(b->fields);
	free(b->enums);
	free(b->pci);
	free(b->str);
	free(b->slots);
	free(b);
}

const char *rmb_path(const struct rm_builder *b)
{
	return b->path;
}

int rmb_error(struct rm_builder *b, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (b->failed)
		return -EINVAL;
	b->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		return phys_err(b->ctx, -EINVAL, "%s:%ld: %s", b->path, line, msg);
	return phys_err(b->ctx, -EINVAL, "%s: %s", b->path, msg);
}

static bool grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 64;
	if (ncap > SIZE_MAX / elem)
		return false;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return false;
	*arr = p;
	*cap = ncap;
	return true;
}

static uint64_t str_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

static int rehash(struct rm_builder *b)
{
	size_t n = b->nslots * 2, i;
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < b->nslots; i++) {
		uint32_t v = b->slots[i];
		size_t j;

		if (!v)
			continue;
		j = str_hash(b->str + v - 1, strlen(b->str + v - 1)) & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = v;
	}
	free(b->slots);
	b->slots = slots;
	b->nslots = n;
	return 0;
}

/* The offset of S (NULL: "") in the string table; 0 on no memory too,
 * with *ERR set. Strings longer than 64 KiB are cut there. */
static uint32_t intern(struct rm_builder *b, const char *s, int *err)
{
	size_t len, j;

	if (!s || !*s)
		return 0;
	len = strnlen(s, 65535);
	j = str_hash(s, len) & (b->nslots - 1);
	while (b->slots[j]) {
		const char *t = b->str + b->slots[j] - 1;

		if (!strncmp(t, s, len) && !t[len])
			return b->slots[j] - 1;
		j = (j + 1) & (b->nslots - 1);
	}
	if (b->lenstr + len + 1 > UINT32_MAX - 1) {
		*err = rmb_error(b, 0, "too many names and descriptions");
		return 0;
	}
	if (b->lenstr + len + 1 > b->capstr) {
		size_t ncap = b->capstr;
		char *p;

		while (ncap < b->lenstr + len + 1)
			ncap *= 2;
		p = realloc(b->str, ncap);
		if (!p) {
			*err = -ENOMEM;
			return 0;
		}
		b->str = p;
		b->capstr = ncap;
	}
	memcpy(b->str + b->lenstr, s, len);
	b->str[b->lenstr + len] = '\0';
	b->slots[j] = (uint32_t)b->lenstr + 1;
	j = b->lenstr;
	b->lenstr += len + 1;
	if (++b->nstrings * 2 > b->nslots && rehash(b) < 0) {
		*err = -ENOMEM;
		return 0;
	}
	return (uint32_t)j;
}

static uint64_t size_mask(unsigned int bits)
{
	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

int rmb_set_name(struct rm_builder *b, const char *name)
{
	int err = 0;

	b->name = intern(b, name, &err);
	return err;
}

void rmb_set_absolute(struct rm_builder *b, bool absolute)
{
	b->absolute = absolute;
}

int rmb_add_pci(struct rm_builder *b, uint16_t vendor, uint16_t device, int bar)
{
	if (bar < -1 || bar > 5)
		return rmb_error(b, 0, "BAR %d: a PCI device has BARs 0 to 5", bar);
	if (!grow((void **)&b->pci, &b->cappci, b->npci, sizeof(*b->pci)))
		return -ENOMEM;
	b->pci[b->npci++] = (struct rm_pci){ .vendor = vendor, .device = device,
					     .bar = (int16_t)bar };
	return 0;
}

int rmb_add_reg(struct rm_builder *b, const struct rmb_reg *r)
{
	unsigned int bytes = r->size / 8;
	uint64_t end;
	struct breg *br;
	int err = 0;

	if (b->failed)
		return -EINVAL;
	if (!r->name || !*r->name)
		return rmb_error(b, r->line, "a register without a name");
	if (r->size != 8 && r->size != 16 && r->size != 32 && r->size != 64)
		return rmb_error(b, r->line, "register %s: size %u bits; a register is 8, 16, 32 or 64 bits",
				 r->name, r->size);
	if (r->address % bytes)
		return rmb_error(b, r->line, "register %s at 0x%llx is not aligned to its size (%u bytes)",
				 r->name, (unsigned long long)r->address, bytes);
	if (__builtin_add_overflow(r->address, bytes - 1, &end))
		return rmb_error(b, r->line, "register %s at 0x%llx runs past the end of the address space",
				 r->name, (unsigned long long)r->address);
	if (r->reset & ~size_mask(r->size))
		return rmb_error(b, r->line, "register %s: reset value 0x%llx does not fit in %u bits",
				 r->name, (unsigned long long)r->reset, r->size);
	if ((unsigned int)r->access > PHYS_ACCESS_RW1 || (unsigned int)r->write > PHYS_WRITE_MODIFY ||
	    (unsigned int)r->read > PHYS_READ_MODIFY_EXTERNAL)
		return rmb_error(b, r->line, "register %s: access rule out of range", r->name);
	if (b->nregs >= UINT32_MAX / 2)
		return rmb_error(b, r->line, "too many registers");
	if (!grow((void **)&b->regs, &b->capregs, b->nregs, sizeof(*b->regs)))
		return -ENOMEM;
	br = &b->regs[b->nregs];
	memset(br, 0, sizeof(*br));
	br->r.address = r->address;
	br->r.reset = r->reset & r->reset_mask & size_mask(r->size);
	br->r.reset_mask = r->reset_mask & size_mask(r->size);
	br->r.name = intern(b, r->name, &err);
	br->r.desc = intern(b, r->desc, &err);
	if (err)
		return err;
	br->r.first_field = (uint32_t)b->nfields;
	br->r.size = (uint8_t)r->size;
	br->r.access = (uint8_t)r->access;
	br->r.write = (uint8_t)r->write;
	br->r.read = (uint8_t)r->read;
	br->r.side_effect = r->read != PHYS_READ_NONE;
	br->line = r->line;
	b->nregs++;
	return 0;
}

int rmb_add_field(struct rm_builder *b, const struct rmb_field *f)
{
	struct breg *r;
	struct bfield *bf;
	const char *rname;
	int err = 0;

	if (b->failed)
		return -EINVAL;
	if (!b->nregs)
		return rmb_error(b, f->line, "field %s outside a register", f->name ? f->name : "");
	r = &b->regs[b->nregs - 1];
	rname = b->str + r->r.name;
	if (!f->name || !*f->name)
		return rmb_error(b, f->line, "register %s: a field without a name", rname);
	if (!f->width || f->lsb >= r->r.size || f->width > r->r.size - f->lsb)
		return rmb_error(b, f->line, "field %s.%s: bits %u..%u are outside the %u-bit register",
				 rname, f->name, f->lsb + f->width - (f->width ? 1 : 0), f->lsb,
				 (unsigned int)r->r.size);
	if ((f->access != RMB_INHERIT && (unsigned int)f->access > PHYS_ACCESS_RW1) ||
	    (f->write != RMB_INHERIT && (unsigned int)f->write > PHYS_WRITE_MODIFY) ||
	    (unsigned int)f->read > PHYS_READ_MODIFY_EXTERNAL || f->constraint > 2)
		return rmb_error(b, f->line, "field %s.%s: access rule out of range", rname, f->name);
	if (f->constraint == 2 && (f->min > f->max || f->max > size_mask(f->width)))
		return rmb_error(b, f->line, "field %s.%s: write range %llu..%llu does not fit its %u bits",
				 rname, f->name, (unsigned long long)f->min,
				 (unsigned long long)f->max, f->width);
	if (r->r.nfields >= UINT32_MAX / 2 || b->nfields >= UINT32_MAX / 2)
		return rmb_error(b, f->line, "too many fields");
	if (!grow((void **)&b->fields, &b->capfields, b->nfields, sizeof(*b->fields)))
		return -ENOMEM;
	bf = &b->fields[b->nfields];
	memset(bf, 0, sizeof(*bf));
	bf->f.name = intern(b, f->name, &err);
	bf->f.desc = intern(b, f->desc, &err);
	if (err)
		return err;
	bf->f.lsb = (uint8_t)f->lsb;
	bf->f.width = (uint8_t)f->width;
	bf->f.access = (uint8_t)(f->access == RMB_INHERIT ? r->r.access : f->access);
	bf->f.write = (uint8_t)(f->write == RMB_INHERIT ? r->r.write : f->write);
	bf->f.read = (uint8_t)f->read;
	bf->f.constraint = (uint8_t)f->constraint;
	bf->f.min = f->min;
	bf->f.max = f->max;
	bf->f.first_enum = (uint32_t)b->nenums;
	bf->line = f->line;
	if (f->read != PHYS_READ_NONE)
		r->r.side_effect = 1;
	r->r.nfields++;
	b->nfields++;
	return 0;
}

int rmb_add_enum(struct rm_builder *b, const struct rmb_enum *e)
{
	struct bfield *f;
	struct rm_enum *be;
	const char *fname;
	int err = 0;

	if (b->failed)
		return -EINVAL;
	if (!b->nregs || !b->regs[b->nregs - 1].r.nfields)
		return rmb_error(b, e->line, "enumerated value %s outside a field", e->name ? e->name : "");
	f = &b->fields[b->nfields - 1];
	fname = b->str + f->f.name;
	if (!e->name || !*e->name)
		return rmb_error(b, e->line, "field %s: an enumerated value without a name", fname);
	if (e->value & ~size_mask(f->f.width))
		return rmb_error(b, e->line, "field %s: value %s = 0x%llx does not fit in its %u bits",
				 fname, e->name, (unsigned long long)e->value, f->f.width);
	if (f->f.nenums >= UINT32_MAX / 2 || b->nenums >= UINT32_MAX / 2)
		return rmb_error(b, e->line, "too many enumerated values");
	if (!grow((void **)&b->enums, &b->capenums, b->nenums, sizeof(*b->enums)))
		return -ENOMEM;
	be = &b->enums[b->nenums];
	memset(be, 0, sizeof(*be));
	be->name = intern(b, e->name, &err);
	be->desc = intern(b, e->desc, &err);
	if (err)
		return err;
	be->value = e->value;
	be->is_default = e->is_default;
	f->f.nenums++;
	b->nenums++;
	return 0;
}

/* ---- finishing: sort, check, lay out ---------------------------------- */

static const struct rm_builder *sort_b;	/* qsort has no context argument */

static int cmp_reg(const void *a, const void *b)
{
	const struct breg *x = a, *y = b;

	if (x->r.address != y->r.address)
		return x->r.address < y->r.address ? -1 : 1;
	return strcmp(sort_b->str + x->r.name, sort_b->str + y->r.name);
}

static int cmp_field(const void *a, const void *b)
{
	const struct bfield *x = a, *y = b;

	return (int)x->f.lsb - (int)y->f.lsb;
}

static int cmp_index(const void *a, const void *b)
{
	const struct breg *regs = sort_b->regs;

	return strcmp(sort_b->str + regs[*(const uint32_t *)a].r.name,
		      sort_b->str + regs[*(const uint32_t *)b].r.name);
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

int rmb_finish(struct rm_builder *b, uint64_t src_hash, uint64_t src_size,
	       void **dbp, size_t *lenp)
{
	struct rm_field *fields = NULL;
	uint32_t *index = NULL;
	struct rm_hdr h = { .magic = RM_MAGIC };
	size_t i, j, total;
	unsigned char *db;
	int err = -ENOMEM;

	if (b->failed)
		return -EINVAL;
	if (!b->nregs)
		return rmb_error(b, 0, "no registers");
	/* Fields in bit order within their register, no two sharing a bit. */
	for (i = 0; i < b->nregs; i++) {
		struct breg *r = &b->regs[i];
		struct bfield *f;

		/* b->fields is NULL while no register has a field: no pointer
		 * into it, nor qsort() of it (its base must be valid even for
		 * 0 elements) */
		if (!r->r.nfields)
			continue;
		f = b->fields + r->r.first_field;
		qsort(f, r->r.nfields, sizeof(*f), cmp_field);
		for (j = 1; j < r->r.nfields; j++)
			if (f[j].f.lsb < f[j - 1].f.lsb + f[j - 1].f.width)
				return rmb_error(b, f[j].line, "field %s.%s (bits %u..%u) overlaps field %s (line %ld)",
						 b->str + r->r.name, b->str + f[j].f.name,
						 f[j].f.lsb + f[j].f.width - 1, f[j].f.lsb,
						 b->str + f[j - 1].f.name, f[j - 1].line);
		for (j = 0; j < r->r.nfields; j++) {
			size_t k;

			for (k = j + 1; k < r->r.nfields; k++)
				if (!strcmp(b->str + f[j].f.name, b->str + f[k].f.name))
					return rmb_error(b, f[k].line, "register %s has two fields named %s (also line %ld)",
							 b->str + r->r.name, b->str + f[k].f.name, f[j].line);
		}
	}
	sort_b = b;
	qsort(b->regs, b->nregs, sizeof(*b->regs), cmp_reg);
	index = malloc(b->nregs * sizeof(*index));
	fields = malloc((b->nfields ? b->nfields : 1) * sizeof(*fields));
	if (!index || !fields)
		goto out;
	for (i = 0; i < b->nregs; i++)
		index[i] = (uint32_t)i;
	qsort(index, b->nregs, sizeof(*index), cmp_index);
	for (i = 1; i < b->nregs; i++) {
		const struct breg *x = &b->regs[index[i - 1]], *y = &b->regs[index[i]];

		if (!strcmp(b->str + x->r.name, b->str + y->r.name)) {
			err = rmb_error(b, x->line > y->line ? x->line : y->line,
					"two registers named %s (also line %ld)", b->str + x->r.name,
					x->line > y->line ? y->line : x->line);
			goto out;
		}
	}
	/* Registers moved: lay their fields out again in the new order. */
	for (i = 0, j = 0; i < b->nregs; i++) {
		struct rm_reg *r = &b->regs[i].r;
		size_t k;

		for (k = 0; k < r->nfields; k++)
			fields[j + k] = b->fields[r->first_field + k].f;
		r->first_field = (uint32_t)j;
		j += r->nfields;
	}

	h.version = RM_VERSION;
	h.endian = RM_ENDIAN;
	h.layout = RM_LAYOUT;
	h.flags = b->absolute ? RM_ABSOLUTE : 0;
	h.src_hash = src_hash;
	h.src_size = src_size;
	h.name = b->name;
	h.nregs = (uint32_t)b->nregs;
	h.nfields = (uint32_t)b->nfields;
	h.nenums = (uint32_t)b->nenums;
	h.npci = (uint32_t)b->npci;
	total = align8(sizeof(h));
	h.off_regs = total;
	total += align8(b->nregs * sizeof(struct rm_reg));
	h.off_fields = total;
	total += align8(b->nfields * sizeof(struct rm_field));
	h.off_enums = total;
	total += align8(b->nenums * sizeof(struct rm_enum));
	h.off_pci = total;
	total += align8(b->npci * sizeof(struct rm_pci));
	h.off_index = total;
	total += align8(b->nregs * sizeof(uint32_t));
	h.off_str = total;
	h.len_str = b->lenstr;
	total += align8(b->lenstr);
	h.total = total;

	db = calloc(1, total);
	if (!db)
		goto out;
	memcpy(db, &h, sizeof(h));
	for (i = 0; i < b->nregs; i++)
		memcpy(db + h.off_regs + i * sizeof(struct rm_reg), &b->regs[i].r, sizeof(struct rm_reg));
	if (b->nfields)
		memcpy(db + h.off_fields, fields, b->nfields * sizeof(*fields));
	if (b->nenums)
		memcpy(db + h.off_enums, b->enums, b->nenums * sizeof(*b->enums));
	if (b->npci)
		memcpy(db + h.off_pci, b->pci, b->npci * sizeof(*b->pci));
	memcpy(db + h.off_index, index, b->nregs * sizeof(*index));
	memcpy(db + h.off_str, b->str, b->lenstr);
	((struct rm_hdr *)db)->sum = rm_db_sum(db, total);
	*dbp = db;
	*lenp = total;
	err = 0;
out:
	free(index);
	free(fields);
	return err;
}

/* ---- loading ------------------------------------------------------------ */

static const struct rm_importer *const importers[] = {
	&rm_import_native, &rm_import_svd, &rm_import_ipxact,
};

/* PATH's bytes, NUL-terminated, into *DATA and *LEN (malloc'ed). */
static int read_source(struct phys_ctx *ctx, const char *path, char **data, size_t *len)
{
	struct stat st;
	size_t got = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return phys_err(ctx, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return phys_err(ctx, -EINVAL, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > RM_MAX_SOURCE) {
		close(fd);
		return phys_err(ctx, -EFBIG, "%s: %lld bytes; a register map is at most %u MiB",
				path, (long long)st.st_size, RM_MAX_SOURCE >> 20);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			free(buf);
			close(fd);
			return phys_err(ctx, -e, "%s: %s", path, n < 0 ? strerror(e) : "file shrank while read");
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

static int import(struct phys_ctx *ctx, const char *path, const char *data, size_t len,
		  uint64_t hash, void **db, size_t *dblen)
{
	const struct rm_importer *imp = NULL;
	struct rm_builder *b;
	size_t i;
	int err;

	for (i = 0; i < sizeof(importers) / sizeof(importers[0]); i++)
		if (importers[i]->sniff(data, len)) {
			imp = importers[i];
			break;
		}
	if (!imp)
		return phys_err(ctx, -EINVAL,
				"%s: not a register map: neither the native format (a first line "
				"\"physmem-regmap 1\"), CMSIS-SVD (<device>) nor IP-XACT (<component>)",
				path);
	b = rmb_new(ctx, path);
	if (!b)
		return -ENOMEM;
	err = imp->import(b, data, len);
	if (!err)
		err = rmb_finish(b, hash, len, db, dblen);
	else if (err != -ENOMEM && !b->failed)
		err = rmb_error(b, 0, "the %s importer failed: %s", imp->name, strerror(-err));
	rmb_free(b);
	if (!err) {
		char why[128];

		/* The builder makes what the check accepts; prove it. */
		if (rm_db_check(*db, *dblen, why, sizeof(why)) < 0) {
			free(*db);
			return phys_err(ctx, -EINVAL, "%s: compiled map is inconsistent: %s", path, why);
		}
		phys_log(ctx, LOG_DEBUG, "%s: imported as %s", path, imp->name);
	}
	return err;
}

PHYS_EXPORT struct phys_regmap *phys_regmap_load(struct phys_ctx *ctx, const char *path,
						 unsigned int flags)
{
	struct phys_regmap *map;
	char *data = NULL;
	size_t len = 0;
	uint64_t hash;
	int err;

	if (!ctx || !path) {
		errno = EINVAL;
		return NULL;
	}
	PHYS_API(ctx);
	if (flags & ~PHYS_REGMAP_NO_CACHE) {
		errno = -phys_err(ctx, -EINVAL, "phys_regmap_load: unknown flags 0x%x", flags);
		return NULL;
	}
	map = calloc(1, sizeof(*map));
	if (!map || !(map->path = strdup(path))) {
		free(map);
		errno = ENOMEM;
		return NULL;
	}
	map->ctx = ctx;
	err = read_source(ctx, path, &data, &len);
	if (err)
		goto fail;
	hash = rm_hash(data, len);
	if (!(flags & PHYS_REGMAP_NO_CACHE) &&
	    !rm_cache_load(ctx, hash, data, len, &map->db, &map->len)) {
		map->cached = true;
	} else {
		err = import(ctx, path, data, len, hash, &map->db, &map->len);
		if (err)
			goto fail;
		if (!(flags & PHYS_REGMAP_NO_CACHE))
			rm_cache_store(ctx, map->db, map->len, data, len);
	}
	free(data);
	rm_db_attach(map);
	return map;
fail:
	free(data);
	free(map->path);
	free(map);
	errno = -err;
	return NULL;
}

PHYS_EXPORT void phys_regmap_free(struct phys_regmap *map)
{
	if (!map)
		return;
	free(map->db);
	free(map->path);
	free(map);
}
