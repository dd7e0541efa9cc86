// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The compiled-map cache: $XDG_CACHE_HOME/physmem/regmaps (else
 * ~/.cache/physmem/regmaps), one file per source content, named by the
 * content's hash and size. A cache file decides where writes go, so it is
 * used only if it and its directory belong to this user and nobody else
 * may write them, and it is checked whole (rm_db_check) before use; any
 * file that fails is compiled again and replaced. Writes go through a
 * temporary file and rename(2), so a reader sees a whole file or none.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

int rm_cache_load(struct phys_ctx *ctx, uint64_t hash, uint64_t size, void **dbp, size_t *lenp)
{
	char path[PATH_MAX], why[128];
	const struct rm_hdr *h;
	struct stat st;
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
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !owned(&st) ||
	    st.st_size < (off_t)sizeof(*h) || (uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: not a file of ours alone: not used", path);
		return -EPERM;
	}
	db = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (db == MAP_FAILED)
		return -errno;
	h = db;
	if (rm_db_check(db, (size_t)st.st_size, why, sizeof(why)) < 0 ||
	    h->src_hash != hash || h->src_size != size) {
		phys_log(ctx, LOG_DEBUG, "regmap cache: %s: %s: compiling again", path,
			 h->src_hash != hash ? "another source" : why);
		munmap(db, (size_t)st.st_size);
		return -ESTALE;
	}
	phys_log(ctx, LOG_DEBUG, "regmap cache: %s", path);
	*dbp = db;
	*lenp = (size_t)st.st_size;
	return 0;
}

void rm_cache_store(struct phys_ctx *ctx, const void *db, size_t len)
{
	const struct rm_hdr *h = db;
	char path[PATH_MAX], tmp[PATH_MAX + 16];
	size_t done = 0;
	int fd, err;

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
