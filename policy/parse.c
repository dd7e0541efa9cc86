// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * physmem.conf(5) parser. One rule a line:
 *   allow NAME SOURCE [offset OFF] [size SIZE] [ro|rw] [wc] [shared] [pages]
 *         [dma SIZE [dma-mask BITS]] [irq]
 * Errors are "FILE:LINE:COL: message" and name what was expected; the
 * first error stops the parse and nothing of that file is kept.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#include "physmem-common.h"

/* The driver's rule too (physmem_canonical). */
#define SHARED_PAGES "'shared' and 'pages' do not go together: a shared window " \
	"claims nothing, so nothing would keep the rest of its pages from another owner"

/* The driver's rule too: a grant makes physmem the device's driver. */
#define SHARED_GRANT "'%s' and 'shared' do not go together: granting dma or irq makes " \
	"physmem the device's driver, and a shared window coexists with another driver"

#define POL_FILE_MAX	(16u << 20)	/* a policy is a few lines; refuse junk */

_Static_assert(POL_NAME_MAX == PM_NAME_MAX, "one name rule: common/name.c");
_Static_assert(POL_LABEL_MAX == PM_LABEL_MAX, "one label rule: common/name.c");

struct tok {
	const char *s;
	size_t len;
	unsigned int col;
	size_t qend;	/* quoted word: index of the closing quote in s */
	bool quoted;
};

struct parser {
	struct pol_set *set;
	const char *file;
	unsigned int line;
	const char *text;	/* current line, not NUL-terminated */
	size_t len;
	size_t pos;
	unsigned int end_col;	/* column just after the last word read */
};

/* Words are echoed in messages as every grammar message echoes text. */
#define SHOW(t) pm_show((char[PM_SHOW_MAX]){0}, PM_SHOW_MAX, (t)->s, (t)->len)

__attribute__((format(printf, 3, 4)))
static int perr(struct parser *p, unsigned int col, const char *fmt, ...)
{
	char msg[POL_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pol_set_err(p->set, "%s:%u:%u: %s", p->file, p->line, col, msg);
	return -EINVAL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* 1: a word in *t; 0: end of line (or a comment); <0: error. */
static int next_word(struct parser *p, struct tok *t)
{
	size_t start;

	while (p->pos < p->len && is_blank(p->text[p->pos]))
		p->pos++;
	/* '#' starts a comment only at the start of a word: "1234:11e8#1". */
	if (p->pos >= p->len || p->text[p->pos] == '#')
		return 0;
	start = p->pos;
	memset(t, 0, sizeof(*t));
	t->s = p->text + start;
	t->col = (unsigned int)start + 1;
	if (p->text[start] == '"') {
		const char *q = memchr(t->s + 1, '"', p->len - start - 1);

		if (!q)
			return perr(p, t->col, "unterminated quote: expected a closing '\"' before the end of the line");
		t->quoted = true;
		t->qend = (size_t)(q - t->s);
		p->pos = start + t->qend + 1;
	}
	while (p->pos < p->len && !is_blank(p->text[p->pos]))
		p->pos++;
	t->len = p->pos - start;
	p->end_col = (unsigned int)p->pos + 1;
	return 1;
}

/* The next word, which must be there: at the end of the line, WHAT is the
 * error, at the end column. */
static int need_word(struct parser *p, struct tok *t, const char *what)
{
	int r = next_word(p, t);

	if (r < 0)
		return r;
	return r ? 0 : perr(p, p->end_col, "%s", what);
}

static bool tok_is(const struct tok *t, const char *word)
{
	return t->len == strlen(word) && !memcmp(t->s, word, t->len);
}

/* Copy a word to a C string; words longer than the buffer fail. */
static bool tok_cstr(const struct tok *t, char *buf, size_t size)
{
	if (t->len >= size)
		return false;
	memcpy(buf, t->s, t->len);
	buf[t->len] = '\0';
	return true;
}

/* A grammar error (common/) at column COL, in the words every tool uses. */
static int grammar_err(struct parser *p, unsigned int col, const char *what, int err,
		       const char *text, size_t len)
{
	char msg[PM_ERRMSG_MAX];

	pm_strerror(err, text, len, msg, sizeof(msg));
	if (what)
		return perr(p, col, "bad %s %s", what, msg);
	return perr(p, col, "%s", msg);
}

static int parse_number(struct parser *p, const struct tok *t, const char *s,
			bool suffix, const char *what, uint64_t *val)
{
	int r = pm_parse_u64(s, suffix ? PM_NUM_BYTES : 0, val);

	return r ? grammar_err(p, t->col, what, r, t->s, t->len) : 0;
}

/* The number in a word, as a C string (numbers are short). */
static int word_number(struct parser *p, const struct tok *t, size_t skip,
		       bool suffix, const char *what, uint64_t *val)
{
	char buf[160];	/* 0b, 64 digits and 63 separators fit */
	struct tok sub = *t;

	sub.s += skip;
	sub.len -= skip;
	sub.col += (unsigned int)skip;
	if (!tok_cstr(&sub, buf, sizeof(buf)) || memchr(buf, '\0', sub.len))
		buf[0] = 'x', buf[1] = '\0';	/* certainly not a number */
	return parse_number(p, &sub, buf, suffix, what, val);
}

static int parse_index(struct parser *p, const struct tok *t, size_t hash,
		       unsigned int *index)
{
	uint64_t v;
	int r;

	if (hash + 1 >= t->len)
		return perr(p, t->col + (unsigned int)hash, "expected a number after '#'");
	r = word_number(p, t, hash + 1, false, "index", &v);
	if (r)
		return r;
	if (v > UINT32_MAX)
		return grammar_err(p, t->col + (unsigned int)hash + 1, "index", PM_E_INDEX_LARGE,
				   t->s + hash + 1, t->len - hash - 1);
	*index = (unsigned int)v;
	return 0;
}

static int parse_name(struct parser *p, const struct tok *t, struct pol_rule *rule)
{
	const struct pol_rule *dup;
	int r = pm_name_check(t->s, t->len);

	if (r || !tok_cstr(t, rule->name, sizeof(rule->name)))
		return grammar_err(p, t->col, NULL, r ? r : PM_E_NAME_LONG, t->s, t->len);
	dup = pol_set_find(p->set, rule->name);
	if (dup)
		return perr(p, t->col, "duplicate name '%s': first defined at %s:%u:%u",
			    rule->name, dup->file, dup->line, dup->col);
	return 0;
}

static int parse_pci(struct parser *p, struct pol_rule *rule)
{
	struct tok t;
	uint64_t bar;
	int r;

	struct pm_pci_sel sel;
	const char *bad;
	size_t badlen;

	r = need_word(p, &t, "expected a PCI device (VVVV:DDDD[#N] or [DDDD:]BB:DD.F) after 'pci'");
	if (r)
		return r;
	r = pm_pci_parse(t.s, t.len, &sel, &bad, &badlen);
	if (r == PM_E_EMPTY)
		return perr(p, t.col + (unsigned int)(bad - t.s) - 1, "expected a number after '#'");
	if (r)
		return grammar_err(p, t.col + (unsigned int)(bad - t.s),
				   bad == t.s ? NULL : "index", r, bad, badlen);
	if (sel.by_id) {
		rule->source = POL_SRC_PCI_ID;
		rule->vendor = sel.vendor;
		rule->device = sel.device;
		rule->index = sel.index;
		rule->index_given = sel.index_given;
	} else {
		rule->source = POL_SRC_PCI_ADDR;
		rule->domain = sel.domain;
		rule->bus = sel.bus;
		rule->dev = sel.dev;
		rule->func = sel.func;
	}

	r = need_word(p, &t, "expected 'bar' after the PCI device, got the end of the line");
	if (r)
		return r;
	if (!tok_is(&t, "bar"))
		return perr(p, t.col, "expected 'bar' after the PCI device, got '%s'", SHOW(&t));
	r = need_word(p, &t, "expected a BAR number (0 to 5) after 'bar'");
	if (r)
		return r;
	r = word_number(p, &t, 0, false, "BAR", &bar);
	if (r)
		return r;
	if (bar > 5)
		return perr(p, t.col, "bad BAR '%s': expected 0 to 5", SHOW(&t));
	rule->bar = (unsigned int)bar;
	return 0;
}

static int parse_iomem(struct parser *p, struct pol_rule *rule)
{
	struct tok t;
	size_t llen;
	int r;

	r = need_word(p, &t, "expected a quoted label after 'iomem', e.g. \"HPET 0\"");
	if (r)
		return r;
	if (!t.quoted)
		return perr(p, t.col, "expected a quoted label after 'iomem', got '%s'", SHOW(&t));
	llen = t.qend - 1;
	r = pm_label_check(t.s + 1, llen);
	if (r)
		return grammar_err(p, t.col, NULL, r, t.s + 1, llen);
	memcpy(rule->label, t.s + 1, llen);
	rule->label[llen] = '\0';
	if (t.len > t.qend + 1) {
		if (t.s[t.qend + 1] != '#')
			return perr(p, t.col + (unsigned int)t.qend + 1,
				    "expected '#N' or a space after the label, got '%s'", SHOW(&t));
		r = parse_index(p, &t, t.qend + 1, &rule->index);
		if (r)
			return r;
		rule->index_given = true;
	}
	rule->source = POL_SRC_IOMEM;
	return 0;
}

/*
 * range BASE +SIZE | BASE-LAST; the operator may also stand alone or be
 * glued to either side (BASE+SIZE, BASE - LAST, BASE -LAST).
 */
static int parse_range(struct parser *p, struct pol_rule *rule)
{
	struct tok t, v;
	uint64_t base, val;
	size_t i, oppos = 0;
	const char *what;
	char opc = 0;
	int r;

	r = need_word(p, &t, "expected BASE +SIZE or BASE-LAST after 'range'");
	if (r)
		return r;
	for (i = 1; i < t.len && !opc; i++) {
		if (t.s[i] == '+' || t.s[i] == '-') {
			opc = t.s[i];
			oppos = i;
		}
	}
	v = t;
	if (opc)
		v.len = oppos;
	r = word_number(p, &v, 0, true, "base", &base);
	if (r)
		return r;

	/* v becomes the word holding the operator, then the value. */
	if (opc) {
		v = t;
		v.s += oppos;
		v.len -= oppos;
		v.col += (unsigned int)oppos;
	} else {
		r = next_word(p, &v);
		if (r < 0)
			return r;
		if (!r)
			return perr(p, p->end_col, "expected '+SIZE' or '-LAST' after the base");
		opc = v.s[0];
		if (opc != '+' && opc != '-')
			return perr(p, v.col, "expected '+SIZE' or '-LAST' after the base, got '%s'", SHOW(&v));
	}
	what = opc == '+' ? "size" : "last address";
	if (v.len == 1) {
		r = next_word(p, &v);
		if (r < 0)
			return r;
		if (!r)
			return perr(p, p->end_col, "expected the %s after '%c'", what, opc);
	} else {
		v.s++;
		v.len--;
		v.col++;
	}
	r = word_number(p, &v, 0, true, what, &val);
	if (r)
		return r;

	/*
	 * Both spellings give one answer: the last byte may be
	 * 0xffffffffffffffff (BASE +SIZE ending exactly at 2^64, or
	 * BASE-0xffffffffffffffff), and only a size of 2^64 cannot be held.
	 */
	if (opc == '+') {
		if (!val)
			return perr(p, v.col, "zero size: a range needs at least one byte");
		if (val - 1 > UINT64_MAX - base)
			return perr(p, v.col, "range overflows: 0x%" PRIx64 " +0x%" PRIx64
				    " goes past the end of the 64-bit address space", base, val);
	} else {
		if (val < base)
			return perr(p, v.col, "last address 0x%" PRIx64 " is below the base 0x%" PRIx64,
				    val, base);
		if (val - base == UINT64_MAX)
			return perr(p, v.col, "range overflows: its size does not fit in 64 bits");
		val = val - base + 1;
	}
	rule->source = POL_SRC_RANGE;
	rule->base = base;
	rule->size = val;
	return 0;
}

/* dma SIZE, dma-mask BITS, irq: grants to the device behind a pci rule. */
static int parse_grant(struct parser *p, const struct tok *t, struct pol_rule *rule,
		       unsigned int *mask_col)
{
	bool is_dma = tok_is(t, "dma"), is_mask = tok_is(t, "dma-mask");
	const char *kw = is_dma ? "dma" : is_mask ? "dma-mask" : "irq";
	struct tok n;
	uint64_t v;
	int r;

	if (rule->source != POL_SRC_PCI_ID && rule->source != POL_SRC_PCI_ADDR)
		return perr(p, t->col, "'%s' only goes with pci sources: it grants to the device behind a BAR", kw);
	if (is_dma ? rule->dma_size != 0 : is_mask ? *mask_col != 0 : rule->irq)
		return perr(p, t->col, "duplicate '%s'", kw);
	if (rule->shared && !is_mask)
		return perr(p, t->col, SHARED_GRANT, kw);
	if (!is_dma && !is_mask) {
		rule->irq = true;
		return 0;
	}
	r = next_word(p, &n);
	if (r < 0)
		return r;
	if (!r && is_dma)
		return perr(p, p->end_col, "expected a size after 'dma'");
	if (!r)
		return perr(p, p->end_col, "expected the device's address bits (%u to 64) after 'dma-mask'",
			    POL_DMA_BITS_MIN);
	r = word_number(p, &n, 0, is_dma, is_dma ? "dma size" : "dma mask", &v);
	if (r)
		return r;
	if (is_dma) {
		if (!v)
			return perr(p, n.col, "zero dma size: leave 'dma' out to grant no DMA buffers");
		rule->dma_size = v;
		return 0;
	}
	if (v < POL_DMA_BITS_MIN || v > 64)
		return perr(p, n.col, "bad dma mask '%s': expected %u to 64 (the address bits the device drives)",
			    SHOW(&n), POL_DMA_BITS_MIN);
	rule->dma_bits = (unsigned int)v;
	*mask_col = t->col;
	return 0;
}

static int parse_options(struct parser *p, struct pol_rule *rule)
{
	bool seen_offset = false, seen_size = false, seen_access = false;
	unsigned int size_col = 0, mask_col = 0;
	struct tok t;
	int r;

	while ((r = next_word(p, &t)) > 0) {
		bool is_offset = tok_is(&t, "offset");

		if (is_offset || tok_is(&t, "size")) {
			const char *kw = is_offset ? "offset" : "size";
			struct tok n;
			uint64_t v;

			if (rule->source == POL_SRC_RANGE)
				return perr(p, t.col, "'%s' only goes with pci or iomem sources; a range gives its own size", kw);
			if (is_offset ? seen_offset : seen_size)
				return perr(p, t.col, "duplicate '%s'", kw);
			r = next_word(p, &n);
			if (r < 0)
				return r;
			if (!r)
				return perr(p, p->end_col, "expected a number after '%s'", kw);
			r = word_number(p, &n, 0, true, kw, &v);
			if (r)
				return r;
			if (is_offset) {
				seen_offset = true;
				rule->offset = v;
			} else {
				if (!v)
					return perr(p, n.col, "zero size: a window needs at least one byte");
				seen_size = true;
				size_col = n.col;
				rule->size = v;
			}
			rule->narrowed = true;
		} else if (tok_is(&t, "ro") || tok_is(&t, "rw")) {
			bool rw = tok_is(&t, "rw");

			if (seen_access && rw == rule->rw)
				return perr(p, t.col, "duplicate '%s'", SHOW(&t));
			if (seen_access)
				return perr(p, t.col, "conflicting access '%s': '%s' was given before",
					    SHOW(&t), rw ? "ro" : "rw");
			seen_access = true;
			rule->rw = rw;
		} else if (tok_is(&t, "wc")) {
			if (rule->source != POL_SRC_PCI_ID && rule->source != POL_SRC_PCI_ADDR)
				return perr(p, t.col, "'wc' only goes with pci sources (write-combining needs a prefetchable BAR)");
			if (rule->wc)
				return perr(p, t.col, "duplicate 'wc'");
			rule->wc = true;
		} else if (tok_is(&t, "shared")) {
			if (rule->shared)
				return perr(p, t.col, "duplicate 'shared'");
			if (rule->pages)
				return perr(p, t.col, SHARED_PAGES);
			if (rule->dma_size || rule->irq)
				return perr(p, t.col, SHARED_GRANT, rule->dma_size ? "dma" : "irq");
			rule->shared = true;
		} else if (tok_is(&t, "pages")) {
			if (rule->pages)
				return perr(p, t.col, "duplicate 'pages'");
			if (rule->shared)
				return perr(p, t.col, SHARED_PAGES);
			rule->pages = true;
		} else if (tok_is(&t, "dma") || tok_is(&t, "dma-mask") || tok_is(&t, "irq")) {
			r = parse_grant(p, &t, rule, &mask_col);
			if (r)
				return r;
		} else {
			return perr(p, t.col, "unknown option '%s': expected offset, size, ro, rw, wc, "
				    "shared, pages, dma, dma-mask or irq", SHOW(&t));
		}
	}
	if (r < 0)
		return r;
	if (mask_col && !rule->dma_size)
		return perr(p, mask_col, "'dma-mask' needs 'dma': it is the address width of the device's DMA buffers");
	if (seen_size && rule->offset > UINT64_MAX - rule->size)
		return perr(p, size_col, "offset + size overflows 64 bits");
	return 0;
}

static int parse_line(struct parser *p, struct pol_rule *rule, bool *got)
{
	struct tok t;
	int r;

	*got = false;
	p->pos = 0;
	p->end_col = 1;
	r = next_word(p, &t);
	if (r <= 0)
		return r;
	if (!tok_is(&t, "allow"))
		return perr(p, t.col, "expected 'allow' at the start of a rule, got '%s'", SHOW(&t));
	memset(rule, 0, sizeof(*rule));
	rule->col = t.col;

	r = need_word(p, &t, "expected a rule name after 'allow'");
	if (r)
		return r;
	r = parse_name(p, &t, rule);
	if (r)
		return r;

	r = need_word(p, &t, "expected a source (pci, iomem or range) after the name");
	if (r)
		return r;
	if (tok_is(&t, "pci"))
		r = parse_pci(p, rule);
	else if (tok_is(&t, "iomem"))
		r = parse_iomem(p, rule);
	else if (tok_is(&t, "range"))
		r = parse_range(p, rule);
	else
		return perr(p, t.col, "unknown source '%s': expected pci, iomem or range", SHOW(&t));
	if (r)
		return r;
	r = parse_options(p, rule);
	if (r)
		return r;
	if (rule->source == POL_SRC_RANGE) {
		/* Nothing to look up: a range is resolved as written. */
		rule->resolved.base = rule->base;
		rule->resolved.size = rule->size;
		if (pol_rule_pages(rule, &rule->resolved.base, &rule->resolved.size))
			return perr(p, rule->col, "its pages reach past the end of the address space");
		rule->resolved.valid = true;
	}
	*got = true;
	return 0;
}

static int add_file_name(struct pol_set *set, const char *name, const char **stored)
{
	char *copy;

	if (set->nr_files == set->cap_files) {
		size_t cap = set->cap_files ? set->cap_files * 2 : 4;
		char **f = realloc(set->files, cap * sizeof(*f));

		if (!f)
			return -ENOMEM;
		set->files = f;
		set->cap_files = cap;
	}
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	set->files[set->nr_files++] = copy;
	*stored = copy;
	return 0;
}

static int add_rule(struct pol_set *set, const struct pol_rule *rule)
{
	if (set->nr == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct pol_rule *r = realloc(set->rules, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		set->rules = r;
		set->cap = cap;
	}
	set->rules[set->nr++] = *rule;
	return 0;
}

int pol_set_parse_string(struct pol_set *set, const char *filename,
			 const char *text, size_t len)
{
	size_t old_nr = set->nr, old_files = set->nr_files, pos = 0;
	struct parser p = { .set = set };
	struct pol_rule rule;
	int r;

	set->errmsg[0] = '\0';
	r = add_file_name(set, filename, &p.file);
	if (r) {
		pol_set_err(set, "%s: out of memory", filename);
		return r;
	}
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *nul;
		bool got;

		p.line++;
		p.text = text + pos;
		p.len = end - pos;
		nul = memchr(p.text, '\0', p.len);
		if (nul) {
			r = perr(&p, (unsigned int)(nul - p.text) + 1, "unexpected NUL byte: a policy is text");
			goto fail;
		}
		if (p.len > UINT32_MAX / 2) {
			r = perr(&p, 1, "line too long");
			goto fail;
		}
		r = parse_line(&p, &rule, &got);
		if (r)
			goto fail;
		if (got) {
			rule.file = p.file;
			rule.line = p.line;
			r = pol_set_check_grant(set, set->nr, &rule);
			if (r)
				goto fail;
			r = add_rule(set, &rule);
			if (r) {
				pol_set_err(set, "%s:%u: out of memory", p.file, p.line);
				goto fail;
			}
		}
		pos = end + 1;
	}
	return 0;
fail:
	pol_set_truncate(set, old_nr, old_files);
	return r;
}

int pol_set_parse_file(struct pol_set *set, const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int r;

	if (!f) {
		r = -errno;
		pol_set_err(set, "%s: %s", path, strerror(-r));
		return r;
	}
	for (;;) {
		size_t n;

		if (len == cap) {
			char *nb;

			if (cap >= POL_FILE_MAX) {
				pol_set_err(set, "%s: too large for a policy file (more than %u MiB)",
					    path, POL_FILE_MAX >> 20);
				r = -EFBIG;
				goto out;
			}
			cap = cap ? cap * 2 : 4096;
			nb = realloc(buf, cap);
			if (!nb) {
				r = -ENOMEM;
				pol_set_err(set, "%s: out of memory", path);
				goto out;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f)) {
				r = errno ? -errno : -EIO;
				pol_set_err(set, "%s: %s", path, strerror(-r));
				goto out;
			}
			break;
		}
	}
	r = pol_set_parse_string(set, path, buf ? buf : "", len);
out:
	free(buf);
	fclose(f);
	return r;
}
