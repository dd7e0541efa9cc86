// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Mutation fuzzer for the policy parser, built with ASan/UBSan: the core
 * sources are compiled into this program so they are instrumented too.
 *
 *   policy-fuzz SEED ITERATIONS SEEDFILE...
 *
 * Each iteration mutates one seed file (flip/insert/delete/duplicate bytes,
 * splice in keywords and boundary numbers) and parses the result; any
 * crash, leak or undefined behaviour aborts with the sanitizer's report.
 * It also checks invariants: a failed parse leaves no rules and a message
 * "FILE:LINE:COL: ..." on one line; a successful one has sane rules.
 */
#include "../../../policy/parse.c"
#include "../../../common/number.c"
#include "../../../common/pci-selector.c"
#include "../../../common/name.c"
#include "../../../policy/set.c"

#include <assert.h>

static const char *const dict[] = {
	"allow", "pci", "iomem", "range", "bar", "offset", "size", "ro", "rw", "pages",
	"wc", "shared", "dma", "dma-mask", "irq", "24", "64K", "#", "\"", "\"HPET 0\"", "#1", " ", "\t", "\n", "\r",
	":", ".", "+", "-", "0x", "0b", "K", "M", "G", "0xffffffffffffffff",
	"18446744073709551615", "18446744073709551616", "4294967296", "5", "6",
	"1234:11e8", "0000:00:04.0", "ffff:ff:1f.7", "abcdefghijklmnopqrstuvwxyz0123456789",
	"\0", "\xff", "16G", "0x10000000000000000",
};

static uint64_t rng;

static uint64_t rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? rng % n : 0;
}

static void insert(char **buf, size_t *len, size_t *cap, size_t at, const char *s, size_t n)
{
	if (*len + n > *cap) {
		*cap = (*len + n) * 2;
		*buf = realloc(*buf, *cap);
		assert(*buf);
	}
	memmove(*buf + at + n, *buf + at, *len - at);
	memcpy(*buf + at, s, n);
	*len += n;
}

static void mutate(char **buf, size_t *len, size_t *cap)
{
	int k, rounds = 1 + (int)rnd(8);

	for (k = 0; k < rounds; k++) {
		size_t at = rnd(*len + 1), n;

		switch (rnd(6)) {
		case 0:	/* flip a byte */
			if (*len)
				(*buf)[rnd(*len)] ^= (char)(1u << rnd(8));
			break;
		case 1:	/* random byte */
			if (*len)
				(*buf)[rnd(*len)] = (char)rnd(256);
			break;
		case 2:	/* delete a run */
			n = rnd(16);
			if (at + n > *len)
				n = *len - at;
			memmove(*buf + at, *buf + at + n, *len - at - n);
			*len -= n;
			break;
		case 3: {	/* dictionary word; "\0" has length 1 on purpose */
			const char *w = dict[rnd(sizeof(dict) / sizeof(dict[0]))];

			insert(buf, len, cap, at, w, *w ? strlen(w) : 1);
			break;
		}
		case 4:	/* duplicate a run (duplicate names, long words) */
			if (*len) {
				size_t from = rnd(*len);
				char tmp[64];

				n = rnd(sizeof(tmp));
				if (from + n > *len)
					n = *len - from;
				memcpy(tmp, *buf + from, n);
				insert(buf, len, cap, at, tmp, n);
			}
			break;
		case 5: {	/* a very long word */
			char longw[300];

			memset(longw, 'a' + (int)rnd(26), sizeof(longw));
			insert(buf, len, cap, at, longw, rnd(sizeof(longw)));
			break;
		}
		}
	}
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = malloc(1 << 16);

	assert(f && buf);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	unsigned long iters, i;
	size_t nseeds, j, ok = 0, bad = 0;
	char **seeds;
	size_t *seedlen;

	if (argc < 4) {
		fprintf(stderr, "usage: policy-fuzz SEED ITERATIONS SEEDFILE...\n");
		return 2;
	}
	rng = strtoull(argv[1], NULL, 0) | 1;
	iters = strtoul(argv[2], NULL, 0);
	nseeds = (size_t)argc - 3;
	seeds = calloc(nseeds, sizeof(*seeds));
	seedlen = calloc(nseeds, sizeof(*seedlen));
	assert(seeds && seedlen);
	for (j = 0; j < nseeds; j++)
		seeds[j] = slurp(argv[3 + j], &seedlen[j]);

	for (i = 0; i < iters; i++) {
		size_t s = rnd(nseeds), len = seedlen[s], cap = len + 64;
		char *buf = malloc(cap);
		struct pol_set *set = pol_set_new();
		int r;

		assert(buf && set);
		memcpy(buf, seeds[s], len);
		mutate(&buf, &len, &cap);
		/* Half the time parse twice into one set: cross-file duplicates. */
		r = pol_set_parse_string(set, "fuzz.conf", buf, len);
		if (!r && rnd(2))
			r = pol_set_parse_string(set, "fuzz2.conf", buf, len);
		if (r) {
			const char *m = pol_set_errmsg(set);

			bad++;
			assert(r == -EINVAL);
			assert(!strncmp(m, "fuzz", 4) && strchr(m, ':') && !strchr(m, '\n'));
		} else {
			ok++;
			for (j = 0; j < pol_set_count(set); j++) {
				const struct pol_rule *ru = pol_set_rule(set, j);
				char src[160];

				assert(ru->name[0] && strlen(ru->name) < POL_NAME_MAX);
				assert(ru->source != POL_SRC_RANGE ||
				       (ru->size && ru->size - 1 <= UINT64_MAX - ru->base));
				assert(ru->bar <= 5);
				/* grants: pci only, never shared, a mask only with dma */
				assert(!pol_rule_grants(ru) || ((ru->source == POL_SRC_PCI_ID ||
				       ru->source == POL_SRC_PCI_ADDR) && !ru->shared));
				assert(!ru->dma_bits || (ru->dma_size && ru->dma_bits >= POL_DMA_BITS_MIN &&
							 ru->dma_bits <= 64));
				pol_rule_format_source(ru, src, sizeof(src));
			}
		}
		pol_set_free(set);
		free(buf);
	}
	for (j = 0; j < nseeds; j++)
		free(seeds[j]);
	free(seeds);
	free(seedlen);
	printf("%lu iterations: %zu parsed, %zu rejected\n", iters, ok, bad);
	return 0;
}
