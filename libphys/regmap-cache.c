// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The compiled-map cache: $XDG_CACHE_HOME/physmem/regmaps (else
 * ~/.cache/physmem/regmaps), one file per source content, named by the
 * content's hash and size. A cache file decides where writes go, so it is
 * used only if it and its directory belong to this user and nobody else
 * may write them, and it is read into memory and checked whole (its
 * checksum, then rm_db_check's bounds) before use; any file that fails is
 * compiled again and replaced. Writes go through a temporary file and
 * rename(2), so a reader sees a whole file or none.
 *
 * The name only picks the file: the hash is not cryptographic, and
 * another source of the same hash and size is easy to make. So the file
 * holds, after the database, the very bytes it was compiled from, and is
 * used only for a source equal to them byte for byte.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "regmap.h"

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* A fast 64-bit content hash, eight bytes a step (the size is part of
 * the key too). Not a cryptographic hash, and not trusted: it names the
 * cache file, whose copy of the source is compared before use. */
uint64_t rm_hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ mix(w)) * 0x100000001b3ULL;
		h = (h << 29) | (h >> 35);
	}
	w = 0;
	memcpy(&w, p + i, len - i);
	return mix(h ^ mix(w ^ (len - i)));
}

/* The cache directory into BUF, created (0700) if CREATE; -ENOENT when
 * there is no home to put it in. */
static int cache_dir(char *buf, size_t len, bool create)
{
	const char *xdg = secure_getenv("XDG_CACHE_HOME"), *home = secure_getenv("HOME");
	char *p;
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/physmem/regmaps", xdg);
	else if (home && home[0] == '/')
		n = snprintf(buf, len, "%s/.cache/physmem/regmaps", home);
	else
		return -ENOENT;
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (!create)
		return 0;
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Ours, and writable by nobody else? */
static bool owned(const struct stat *st)
{
	return st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

static int cache_path(char *buf, size_t len, uint64_t hash, uint64_t size, bool create)
{
	char dir[PATH_MAX];
	struct stat st;
	int err = cache_dir(dir, sizeof(dir), create), n;

	if (err)
		return err;
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || !owned(&st))
		return -EPERM;
	n = snprintf(buf, len, "%s/%016llx-%llu.prm", dir, (unsigned long long)hash,
		     (unsigned long long)size);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* FD's next LEN bytes into BUF: 0, or a negative errno (-EIO if the file
 * is shorter now than when it was measured). */
static int read_all(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

/* FD's next LEN bytes into a new buffer: NULL with errno set. A copy, not
 * a mapping: a file truncated or rewritten in place under a running
 * program cannot take pages from under it (SIGBUS) nor change a map it
 * has checked. */
static void *read_whole(int fd, size_t len)
{
	void *buf = malloc(len);
	int err;

	if (!buf)
		return NULL;
	err = read_all(fd, buf, len);
	if (err) {
		free(buf);
		errno = -err;
		return NULL;
	}
	return buf;
}

/* Are FD's next SIZE bytes those at SRC? 0 yes, 1 no, or a negative
 * errno. Read a piece at a time: the copy is compared, not kept. */
static int same_source(int fd, const void *src, size_t size)
{
	const size_t piece = 64 << 10;
	char *buf = malloc(size < piece ? size + 1 : piece);
	size_t done, n;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	for (done = 0; done < size && !err; done += n) {
		n = size - done < piece ? size - done : piece;
		err = read_all(fd, buf, n);
		if (!err && memcmp(buf, (const char *)src + done, n))
			err = 1;
	}
	free(buf);
	return err;
}

int rm_cache_load(struct phys_ctx *ctx, uint64_t hash, const void *src, size_t size,
		  void **dbp, size_t *lenp)
{
	char path[PATH_MAX], why[128] = "";
	const struct rm_hdr *h;
	struct stat st;
	size_t len;
	void *db;
	int fd, err, differ;

	err = cache_path(path, sizeof(path), hash, size, false);
	if (err) {
		if (err == -EPERM)
			phys_log(ctx, LOG_DEBUG, "regmap cache: directory not ours alone: not used");
		return err;
	}
	/* O_NONBLOCK: a FIFO put here would hold open() until a writer came;
	 * whatever it is, the fstat() below turns it away unread */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !owned(&st)) {
		close(fd);
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: not a file of ours alone: not used", path);
		return -EPERM;
	}
	/* the database, then the SIZE bytes of its source */
	if ((uint64_t)st.st_size < sizeof(*h) + (uint64_t)size ||
	    (uint64_t)st.st_size - size > RM_MAX_DB) {
		close(fd);
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: %lld bytes: compiling again", path,
			 (long long)st.st_size);
		return -ESTALE;
	}
	len = (size_t)st.st_size - size;
	db = read_whole(fd, len);
	differ = db ? same_source(fd, src, size) : -errno;
	close(fd);
	if (differ < 0) {
		free(db);
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: %s: compiling again", path,
			 strerror(-differ));
		return differ;
	}
	h = db;
	if (rm_db_check(db, len, why, sizeof(why)) < 0 ||
	    h->src_hash != hash || h->src_size != size || differ) {
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: %s: compiling again", path,
			 why[0] ? why : differ ? "compiled from another source of the same hash and size"
					       : "compiled from another source");
		free(db);
		return -ESTALE;
	}
	phys_log(ctx, LOG_DEBUG, "regmap cache: %s", path);
	*dbp = db;
	*lenp = len;
	return 0;
}

/* LEN bytes at BUF to FD: 0, or -1 with errno set. */
static int write_all(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (!n) {
			errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

void rm_cache_store(struct phys_ctx *ctx, const void *db, size_t len, const void *src, size_t size)
{
	const struct rm_hdr *h = db;
	char path[PATH_MAX], tmp[PATH_MAX + 16];
	int fd, err;

	if (len > RM_MAX_DB) {
		/* it would be refused on load, and compiled and stored again */
		phys_log(ctx, LOG_DEBUG, "regmap cache: not stored: %zu bytes, more than %zu MiB",
			 len, RM_MAX_DB >> 20);
		return;
	}
	err = cache_path(path, sizeof(path), h->src_hash, h->src_size, true);
	if (err) {
		phys_log(ctx, LOG_DEBUG, "regmap cache: not stored: %s", strerror(-err));
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: %s", tmp, strerror(errno));
		return;
	}
	err = write_all(fd, db, len) < 0 || write_all(fd, src, size) < 0 ||
	      fchmod(fd, 0644) < 0 ? -1 : 0;
	if (close(fd) < 0 || err < 0 || rename(tmp, path) < 0) {
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: not stored: %s", path, strerror(errno));
		unlink(tmp);
		return;
	}
	phys_log(ctx, LOG_DEBUG, "regmap cache: stored %s", path);
}
