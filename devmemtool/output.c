// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Results for people (0xfea00000: 0x010000ed) or, with --json, one JSON
 * object per line for scripts and CI. Errors always go to stderr as one
 * line; with --json they are also reported on stdout so a consumer of the
 * JSON stream sees where it stopped.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "devmemtool.h"

const char *errno_reason(struct dmt *t, int err)
{
	const char *msg = phys_ctx_errmsg(t->ctx);

	if (msg && *msg)
		return msg;
	return strerror(err < 0 ? -err : err);
}

/*
 * The length of the well-formed UTF-8 sequence at P (N bytes left), or 0
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
 */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/*
 * IN as a message may echo it: well-formed UTF-8 as it is, every control
 * byte and every byte that is not part of well-formed UTF-8 as \xNN, so
 * that a target name or a script's bytes can neither drive the terminal
 * nor break a JSON consumer.
 */
static void escape_text(const char *in, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t n = strlen(in), o = 0;

	while (n && o + 5 < size) {
		size_t k = utf8_seq(p, n);

		if (k == 1 && p[0] >= 0x20 && p[0] != 0x7f) {
			out[o++] = (char)p[0];
		} else if (k > 1) {
			if (o + k + 1 > size)
				break;
			memcpy(out + o, p, k);
			o += k;
		} else {
			k = 1;
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", p[0]);
		}
		p += k;
		n -= k;
	}
	out[o] = '\0';
}

struct json_object *out_json_new(const char *cmd)
{
	struct json_object *o = json_object_new_object();

	if (o && cmd)
		json_object_object_add(o, "cmd", json_object_new_string(cmd));
	return o;
}

/*
 * One object, one line, always valid UTF-8: json-c escapes control bytes
 * but copies the rest of a string as it is, so a byte that is not part
 * of well-formed UTF-8 (from a file name, say) becomes U+FFFD.
 */
void out_json(struct dmt *t, struct json_object *obj)
{
	const unsigned char *p;
	size_t n;

	if (!obj)
		return;
	p = (const unsigned char *)json_object_to_json_string_ext(obj,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	n = strlen((const char *)p);
	while (n) {
		size_t run = 0, k;

		/* the well-formed run in one write, then one U+FFFD */
		while (run < n && (k = utf8_seq(p + run, n - run)))
			run += k;
		fwrite_unlocked(p, 1, run, stdout);
		p += run;
		n -= run;
		if (n) {
			fputs_unlocked("\xef\xbf\xbd", stdout);
			p++;
			n--;
		}
	}
	putchar('\n');
	json_object_put(obj);
}

/* The error line on stderr; with --json also an object on stdout (OBJ's fields, if any). */
static void verror(struct dmt *t, struct json_object *obj, const char *fmt, va_list ap)
{
	char raw[1024], msg[1024 * 4 + 1];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	escape_text(raw, msg, sizeof(msg));

	/* Keep stdout and stderr in order when both go to one terminal/log. */
	fflush(stdout);
	if (t->pos.file)
		fprintf(stderr, "%s:%lu: %s\n", t->pos.file, t->pos.line, msg);
	else if (t->interactive)
		fprintf(stderr, "%s\n", msg);
	else
		fprintf(stderr, "devmemtool: %s\n", msg);

	if (t->json) {
		struct json_object *o = obj ? obj : json_object_new_object();

		json_object_object_add(o, "error", json_object_new_string(msg));
		if (t->pos.file) {
			json_object_object_add(o, "file",
					       json_object_new_string(t->pos.file));
			json_object_object_add(o, "line",
					       json_object_new_uint64(t->pos.line));
		}
		out_json(t, o);
		fflush(stdout);
	} else if (obj) {
		json_object_put(obj);
	}
}

void out_error(struct dmt *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(t, NULL, fmt, ap);
	va_end(ap);
}

static struct json_object *json_loc(const char *cmd, const struct location *loc,
				    unsigned int width);
static void json_value(struct json_object *o, const char *key,
		       uint64_t val, unsigned int width);

/*
 * A check that failed at run time (expect, poll): the message, and with
 * --json the facts as fields: addr, width, expected (or "not" for a
 * poll until changed), mask, actual, and for a poll timeout_ms.
 */
void out_check_failed(struct dmt *t, const char *cmd, const struct location *loc,
		      unsigned int width, const struct check_facts *f,
		      const char *fmt, ...)
{
	struct json_object *o = NULL;
	va_list ap;

	if (t->json) {
		o = json_loc(cmd, loc, width);
		json_value(o, f->not_equal ? "not" : "expected", f->value, width);
		json_value(o, "mask", f->mask, width);
		json_value(o, "actual", f->actual, width);
		if (f->timeout_ms)
			json_object_object_add(o, "timeout_ms",
					       json_object_new_uint64(f->timeout_ms));
	}
	va_start(ap, fmt);
	verror(t, o, fmt, ap);
	va_end(ap);
}

static void hex(char *buf, size_t size, uint64_t val, unsigned int width)
{
	snprintf(buf, size, "0x%0*" PRIx64, (int)width * 2, val);
}

static struct json_object *json_loc(const char *cmd, const struct location *loc,
				    unsigned int width)
{
	struct json_object *o = out_json_new(cmd);
	char addr[300];

	loc_format(loc, addr, sizeof(addr));
	json_object_object_add(o, "addr", json_object_new_string(addr));
	json_object_object_add(o, "target", json_object_new_string(loc->name));
	json_object_object_add(o, "offset", json_object_new_uint64(loc->off));
	if (loc->m->has_phys)
		json_object_object_add(o, "phys",
			json_object_new_uint64(loc->m->phys + loc->off));
	if (width)
		json_object_object_add(o, "width", json_object_new_int((int)width));
	return o;
}

static void json_value(struct json_object *o, const char *key,
		       uint64_t val, unsigned int width)
{
	char buf[24], hkey[32];

	json_object_object_add(o, key, json_object_new_uint64(val));
	hex(buf, sizeof(buf), val, width);
	snprintf(hkey, sizeof(hkey), "%s_hex", key);
	json_object_object_add(o, hkey, json_object_new_string(buf));
}

/* "0x" and VAL in hex, at least DIGITS digits. */
static char *put_hex(char *p, uint64_t val, unsigned int digits)
{
	static const char xdigit[] = "0123456789abcdef";
	unsigned int n = 1;

	for (uint64_t v = val >> 4; v; v >>= 4)
		n++;
	if (n < digits)
		n = digits < 16 ? digits : 16;
	*p++ = '0';
	*p++ = 'x';
	for (unsigned int i = n; i--; val >>= 4)
		p[i] = xdigit[val & 0xf];
	return p + n;
}

/* The hot path of read scripts: a single printf, no allocation. */
void out_value(struct dmt *t, const char *cmd, const struct location *loc,
	       unsigned int width, uint64_t val)
{
	out_note(t, cmd, loc, width, val, NULL);
}

/* A poll that matched: the value and how long it took. */
void out_polled(struct dmt *t, const char *cmd, const struct location *loc,
		unsigned int width, uint64_t val, uint64_t elapsed_us, bool side_effect)
{
	char note[128];

	if (t->json) {
		struct json_object *o = json_loc(cmd, loc, width);

		json_value(o, "value", val, width);
		json_object_object_add(o, "result", json_object_new_string("poll matched"));
		json_object_object_add(o, "elapsed_us", json_object_new_uint64(elapsed_us));
		if (side_effect)
			json_object_object_add(o, "note", json_object_new_string(
				"a register whose read has a side effect"));
		out_json(t, o);
		return;
	}
	snprintf(note, sizeof(note), "(poll matched after %" PRIu64 ".%03" PRIu64 " ms%s)",
		 elapsed_us / 1000, elapsed_us % 1000,
		 side_effect ? "; a register whose read has a side effect" : "");
	out_note(t, cmd, loc, width, val, note);
}

void out_note(struct dmt *t, const char *cmd, const struct location *loc,
	      unsigned int width, uint64_t val, const char *note)
{
	if (t->json) {
		struct json_object *o = json_loc(cmd, loc, width);

		json_value(o, "value", val, width);
		if (note)
			json_object_object_add(o, "result",
					       json_object_new_string(note));
		out_json(t, o);
		return;
	}
	if (t->quiet) {
		printf("0x%0*" PRIx64 "\n", (int)width * 2, val);
		return;
	}
	if (!note) {
		/* Formatted by hand, one write: printf dominated scripts of reads. */
		size_t n = loc->m->has_phys ? 0 : strlen(loc->name);
		char buf[96], *p = buf;

		if (n > sizeof(buf) - 48) {
			printf("%s+0x%" PRIx64 ": 0x%0*" PRIx64 "\n", loc->name,
			       loc->off, (int)width * 2, val);
			return;
		}
		/* t->addr_digits: one column for a multi-word read */
		if (loc->m->has_phys) {
			p = put_hex(p, loc->m->phys + loc->off,
				    t->addr_digits > 8 ? t->addr_digits : 8);
		} else {
			memcpy(p, loc->name, n);
			p += n;
			*p++ = '+';
			p = put_hex(p, loc->off, t->addr_digits ? t->addr_digits : 1);
		}
		*p++ = ':';
		*p++ = ' ';
		p = put_hex(p, val, width * 2);
		*p++ = '\n';
		fwrite_unlocked(buf, 1, (size_t)(p - buf), stdout);
		return;
	}
	if (loc->m->has_phys)
		printf("0x%08" PRIx64 ": 0x%0*" PRIx64 "%s%s\n",
		       loc->m->phys + loc->off, (int)width * 2, val,
		       note ? " " : "", note ? note : "");
	else
		printf("%s+0x%" PRIx64 ": 0x%0*" PRIx64 "%s%s\n",
		       loc->name, loc->off, (int)width * 2, val,
		       note ? " " : "", note ? note : "");
}

void out_write(struct dmt *t, const char *cmd, const struct location *loc,
	       unsigned int width, uint64_t val, bool have_readback,
	       uint64_t readback)
{
	char addr[300], v[24], rb[24];

	if (t->json) {
		struct json_object *o = json_loc(cmd, loc, width);

		json_value(o, "value", val, width);
		if (have_readback)
			json_value(o, "readback", readback, width);
		out_json(t, o);
		return;
	}
	/* Like devmem, a plain write is silent: scripts write thousands. */
	if (!have_readback)
		return;
	if (t->quiet) {
		printf("0x%0*" PRIx64 "\n", (int)width * 2, readback);
		return;
	}
	loc_format(loc, addr, sizeof(addr));
	hex(v, sizeof(v), val, width);
	hex(rb, sizeof(rb), readback, width);
	printf("%s: wrote %s, read back %s\n", addr, v, rb);
}

void out_rmw(struct dmt *t, const char *cmd, const struct location *loc,
	     unsigned int width, uint64_t old, uint64_t new_val)
{
	char addr[300], a[24], b[24];

	if (t->json) {
		struct json_object *o = json_loc(cmd, loc, width);

		json_value(o, "old", old, width);
		json_value(o, "value", new_val, width);
		out_json(t, o);
		return;
	}
	if (t->quiet)
		return;
	loc_format(loc, addr, sizeof(addr));
	hex(a, sizeof(a), old, width);
	hex(b, sizeof(b), new_val, width);
	printf("%s: %s -> %s\n", addr, a, b);
}

void out_dry(struct dmt *t, const char *cmd, const struct location *loc,
	     const char *fmt, ...)
{
	char addr[300], detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (!loc || !loc->m) {	/* not one place: regs, snapshot, diff */
		if (t->json) {
			struct json_object *o = out_json_new(cmd);

			json_object_object_add(o, "dry_run", json_object_new_boolean(1));
			json_object_object_add(o, "access", json_object_new_string(detail));
			out_json(t, o);
			return;
		}
		printf("dry-run: %s %s\n", cmd, detail);
		return;
	}
	loc_format(loc, addr, sizeof(addr));

	if (t->json) {
		struct json_object *o = json_loc(cmd, loc, 0);

		json_object_object_add(o, "dry_run", json_object_new_boolean(1));
		json_object_object_add(o, "access",
				       json_object_new_string(detail));
		out_json(t, o);
		return;
	}
	printf("dry-run: %s %s%s%s\n", cmd, addr, *detail ? " " : "", detail);
}

/* One hexdump -C style line: address, WIDTH-sized words, |ASCII|. */
void out_dump_line(struct dmt *t, const struct location *loc, uint64_t off,
		   const uint8_t *bytes, const uint8_t *skip, size_t n, unsigned int width)
{
	bool skipped[16] = { false };
	struct location l = *loc;
	char line[256], *p = line, *end = line + sizeof(line);
	uint64_t words[16];
	size_t nwords = n / width;

	l.off = off;
	for (size_t i = 0; i < nwords; i++) {
		uint64_t w = 0;

		memcpy(&w, bytes + i * width, width);	/* host order, as read */
		words[i] = w;
		for (size_t k = 0; skip && k < width; k++)
			skipped[i] |= skip[i * width + k];
	}

	if (t->json) {
		struct json_object *o = json_loc("dump", &l, width);
		struct json_object *arr = json_object_new_array();
		char ascii[17];

		for (size_t i = 0; i < nwords; i++)
			json_object_array_add(arr, skipped[i] ? NULL :
					      json_object_new_uint64(words[i]));
		json_object_object_add(o, "values", arr);
		for (size_t i = 0; i < n; i++)
			ascii[i] = skip && skip[i] ? ' ' : bytes[i] >= 0x20 && bytes[i] < 0x7f ?
				   (char)bytes[i] : '.';
		ascii[n] = '\0';
		json_object_object_add(o, "ascii", json_object_new_string(ascii));
		out_json(t, o);
		return;
	}

	/* hexdump -C's bare offset column: the physical address, or the
	 * offset into a file target. */
	p += snprintf(p, (size_t)(end - p), "%08" PRIx64 " ",
		      l.m->has_phys ? l.m->phys + l.off : l.off);
	for (size_t i = 0; i < 16 / width; i++) {
		/* hexdump -C puts an extra blank in the middle of the line. */
		if (i == 8 / width && width < 8)
			*p++ = ' ';
		if (i < nwords && skipped[i])	/* not read: a side effect */
			p += snprintf(p, (size_t)(end - p), " %.*s", (int)width * 2,
				      "----------------");
		else if (i < nwords)
			p += snprintf(p, (size_t)(end - p), " %0*" PRIx64,
				      (int)width * 2, words[i]);
		else
			p += snprintf(p, (size_t)(end - p), " %*s",
				      (int)width * 2, "");
	}
	p += snprintf(p, (size_t)(end - p), "  |");
	for (size_t i = 0; i < n; i++)
		*p++ = skip && skip[i] ? ' ' : bytes[i] >= 0x20 && bytes[i] < 0x7f ?
		       (char)bytes[i] : '.';
	snprintf(p, (size_t)(end - p), "|");
	puts(line);
}

void out_dump_repeat(struct dmt *t)
{
	if (!t->json)
		puts("*");
}

void out_text(struct dmt *t, const char *cmd, const char *text)
{
	if (t->json) {
		struct json_object *o = out_json_new(cmd);

		json_object_object_add(o, "text", json_object_new_string(text));
		out_json(t, o);
		return;
	}
	puts(text);
}

/*
 * "CMD ADDR: WHY", once: libphys's own messages often start with the
 * target ("file:x.bin: No such file or directory"), which is not said twice.
 */
int say_failed(struct dmt *t, const struct command *cmd, const char *addr,
	       const char *why)
{
	const char *plus = pm_target_offset(addr);
	size_t n = plus ? (size_t)(plus - addr) : strlen(addr);

	if (n && strncmp(why, addr, n) == 0 && why[n] == ':')
		out_error(t, "%s %s", cmd->name, why);
	else
		out_error(t, "%s %s: %s", cmd->name, addr, why);
	return DMT_FAILED;
}

int access_failed(struct dmt *t, const struct command *cmd, const char *addr, int err)
{
	return say_failed(t, cmd, addr, errno_reason(t, err));
}

/*
 * A DMA buffer is allocated when its line runs, after the lines that use
 * it were prepared: its checks are these, the same before and after (its
 * bounds are resolve()'s; it is whole pages, read and write).
 */
static int buf_check(struct dmt *t, const struct command *cmd, const char *addr,
		     const struct location *loc, uint64_t len, unsigned int w)
{
	char why[256];

	if (w != 1 && w != 2 && w != 4 && w != 8)
		snprintf(why, sizeof(why), "access width %u: use 1, 2, 4 or 8 bytes", w);
	else if (len % w)
		snprintf(why, sizeof(why), "length 0x%" PRIx64 " is not a multiple of the width %u",
			 len, w);
	else if (loc->off % w)
		snprintf(why, sizeof(why), "%u-bit access%s at %s+0x%" PRIx64 " %s not %u-byte "
			 "aligned", w * 8, len > w ? "es" : "", loc->name, loc->off,
			 len > w ? "are" : "is", w);
	else
		return 0;
	return say_failed(t, cmd, addr, why);
}

int dry_check(struct dmt *t, const struct command *cmd, const char *addr,
	      const struct location *loc, uint64_t len, unsigned int w, bool write)
{
	int ret;

	if (loc->m->buf)
		return buf_check(t, cmd, addr, loc, len, w);
	ret = phys_check(loc->m->map, loc->off, len, w, write);

	return ret ? access_failed(t, cmd, addr, ret) : 0;
}
