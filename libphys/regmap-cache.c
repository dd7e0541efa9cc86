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
 * the key too). Not a cryptographic hash: the cache is the user's own. */
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

/* FD's LEN bytes into a new buffer: NULL with errno set (EIO if the file
 * is shorter now than when it was measured). A copy, not a mapping: a file
 * truncated or rewritten in place under a running program cannot take
 * pages from under it (SIGBUS) nor change a map it has checked. */
static void *read_whole(int fd, size_t len)
{
	char *buf = malloc(len);
	size_t done = 0;

	if (!buf)
		return NULL;
	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			free(buf);
			errno = e;
			return NULL;
		}
		done += (size_t)n;
	}
	return buf;
}

int rm_cache_load(struct phys_ctx *ctx, uint64_t hash, uint64_t size, void **dbp, size_t *lenp)
{
	char path[PATH_MAX], why[128] = "";
	const struct rm_hdr *h;
	struct stat st;
	size_t len;
	void *db;
	int fd, err;

	err = cache_path(path, sizeof(path), hash, size, false);
	if (err) {
		if (err == -EPERM)
			phys_log(ctx, LOG_DEBUG, "regmap cache: directory not ours alone: not used");
		return err;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !owned(&st)) {
		close(fd);
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: not a file of ours alone: not used", path);
		return -EPERM;
	}
	if (st.st_size < (off_t)sizeof(*h) || (uint64_t)st.st_size > RM_MAX_DB) {
		close(fd);
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: %lld bytes: compiling again", path,
			 (long long)st.st_size);
		return -ESTALE;
	}
	len = (size_t)st.st_size;
	db = read_whole(fd, len);
	if (!db) {
		err = -errno;
		close(fd);
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: %s: compiling again", path, strerror(-err));
		return err;
	}
	close(fd);
	h = db;
	if (rm_db_check(db, len, why, sizeof(why)) < 0 ||
	    h->src_hash != hash || h->src_size != size) {
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: %s: compiling again", path,
			 why[0] ? why : "compiled from another source");
		free(db);
		return -ESTALE;
	}
	phys_log(ctx, LOG_DEBUG, "regmap cache: %s", path);
	*dbp = db;
	*lenp = len;
	return 0;
}

void rm_cache_store(struct phys_ctx *ctx, const void *db, size_t len)
{
	const struct rm_hdr *h = db;
	char path[PATH_MAX], tmp[PATH_MAX + 16];
	size_t done = 0;
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
	while (done < len) {
		ssize_t n = write(fd, (const char *)db + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	err = done < len || fchmod(fd, 0644) < 0 ? -1 : 0;
	if (close(fd) < 0 || err < 0 || rename(tmp, path) < 0) {
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: not stored: %s", path, strerror(errno));
		unlink(tmp);
		return;
	}
	phys_log(ctx, LOG_DEBUG, "regmap cache: stored %s", path);
}
