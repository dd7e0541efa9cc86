// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Files: load FILE ADDR [WIDTH] writes a file's bytes to a range, save
 * ADDR LEN FILE [WIDTH] writes a range's bytes to a file. load reads its
 * file when the script is prepared, so what was checked is what is
 * written; save checks its file can be written then, without creating
 * or changing it, and writes it when it runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "devmemtool.h"

#define SAVE_CHUNK	(64 * 1024)


static int file_failed(struct dmt *t, const struct op *op, const char *path,
		       const char *what, int err)
{
	out_error(t, "%s %s: %s: %s", op->cmd->name, path, what, strerror(err));
	return DMT_FAILED;
}

static void json_file(struct dmt *t, const struct op *op, const char *path)
{
	struct json_object *o = out_json_new(op->cmd->name);
	char addr[300];

	loc_format(&op->loc, addr, sizeof(addr));
	json_object_object_add(o, "addr", json_object_new_string(addr));
	json_object_object_add(o, "len", json_object_new_uint64(op->n));
	json_object_object_add(o, "width", json_object_new_int((int)op->width));
	json_object_object_add(o, "file", json_object_new_string(path));
	out_json(t, o);
}

/*
 * The file's bytes go into op->data. The path is the key a save earlier
 * in the script is compared by: its real path, or the path given.
 */
static bool same_file(const char *real, const char *path)
{
	char *other = realpath(path, NULL);
	bool same = strcmp(real, other ? other : path) == 0;

	free(other);
	return same;
}

int prep_load(struct dmt *t, struct op *op)
{
	const char *path = script_path(t, op, op->argv[1]);
	unsigned char *data;
	struct stat st;
	ssize_t got;
	size_t done = 0;
	int fd, ret;

	if (!path)
		return DMT_FAILED;
	op->width = 1;
	if (op->argc > 3 && parse_width(op->argv[3], &op->width))
		return usage_error(t, op->cmd, "WIDTH '%s' must be 1, 2, 4 or 8",
				   op->argv[3]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return file_failed(t, op, op->argv[1], "cannot open", errno);
	if (fstat(fd, &st)) {
		ret = file_failed(t, op, op->argv[1], "cannot stat", errno);
		goto out;
	}
	ret = DMT_FAILED;
	if (!S_ISREG(st.st_mode)) {
		out_error(t, "%s %s: not a regular file", op->cmd->name, op->argv[1]);
		goto out;
	}
	if (st.st_size == 0) {
		out_error(t, "%s %s: the file is empty", op->cmd->name, op->argv[1]);
		goto out;
	}
	if ((uint64_t)st.st_size > SIZE_MAX / 2) {
		out_error(t, "%s %s: the file is too large", op->cmd->name, op->argv[1]);
		goto out;
	}
	op->n = (uint64_t)st.st_size;
	if (op->n % op->width) {
		ret = usage_error(t, op->cmd, "%s: its size 0x%" PRIx64 " is not a "
				  "multiple of WIDTH %u", op->argv[1], op->n, op->width);
		goto out;
	}
	data = prog_alloc(t->prog, (size_t)op->n);
	if (!data) {
		out_error(t, "%s %s: out of memory", op->cmd->name, op->argv[1]);
		goto out;
	}
	while (done < op->n) {
		got = read(fd, data + done, (size_t)op->n - done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			ret = got ? file_failed(t, op, op->argv[1], "read error", errno) :
			      (out_error(t, "%s %s: the file shrank while read",
					 op->cmd->name, op->argv[1]), DMT_FAILED);
			goto out;
		}
		done += (size_t)got;
	}
	op->data = data;
	/*
	 * The file is read now, before any line runs: a save earlier in the
	 * script would be lost on it. Refused, so that no old copy is loaded.
	 */
	{
		char *real = realpath(path, NULL);
		const struct op *o;

		for (size_t i = 0; real && i < t->prog->nops; i++) {
			o = &t->prog->ops[i];
			if (o->cmd->exec == exec_save && same_file(real, o->data)) {
				out_error(t, "%s %s: written by the save at %s:%lu; load reads its "
					  "file before the script runs, so it would not see that",
					  op->cmd->name, op->argv[1],
					  o->pos.file ? o->pos.file : "-", o->pos.line);
				free(real);
				ret = DMT_FAILED;
				goto out;
			}
		}
		free(real);
	}
	ret = resolve(t, op->cmd, op->argv[2], op->n, &op->loc);
	if (!ret)
		ret = dry_check(t, op->cmd, op->argv[2], &op->loc, op->n, op->width, true);
	if (!ret)
		ret = reg_rules(t, op->cmd, op->argv[2], &op->loc, op->n, REG_WRITE, NULL);
out:
	close(fd);
	return ret;
}

int exec_load(struct dmt *t, const struct op *op)
{
	const struct location *loc = &op->loc;
	int ret;

	if (t->dry_run) {
		out_dry(t, op->cmd->name, loc, "<- 0x%" PRIx64 " bytes from %s, width %u",
			op->n, op->argv[1], op->width);
		return 0;
	}
	if (!confirm_bulk(t, op, loc, op->argv[2], op->argv[1]))
		return DMT_FAILED;
	ret = phys_write_buf(loc->m->map, loc->off, op->data, (size_t)op->n, op->width);
	if (ret)
		return access_failed(t, op->cmd, op->argv[2], ret);
	if (t->json)
		json_file(t, op, op->argv[1]);
	return 0;
}

/*
 * save writes FILE in place, then cuts it to LEN: the same inode, so its
 * owner and mode stay, a symbolic link (even one whose file is yet to be
 * made) keeps naming it, and a file: map of it sees what was written.
 * Its own source (a file: target of FILE at an offset) reads at or after
 * where it writes, so it is copied as by memmove.
 */

/*
 * Whether PATH can be written, leaving no trace and opening nothing that
 * is not a regular file (a FIFO would block, a device act): 0 or an
 * errno, EINVAL for "not a regular file".
 */
static int check_writable(const char *path)
{
	struct stat st;
	int fd;

	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return EINVAL;
		fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	} else if (errno == ENOENT) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0)
			unlink(path);
		else if (errno == EEXIST)
			return 0;	/* a link to a file yet to be made: the run tells */
	} else {
		return errno;
	}
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

int prep_save(struct dmt *t, struct op *op)
{
	const char *path;
	int ret;

	op->width = 1;
	if (op->argc > 4 && parse_width(op->argv[4], &op->width))
		return usage_error(t, op->cmd, "WIDTH '%s' must be 1, 2, 4 or 8",
				   op->argv[4]);
	ret = parse_size_arg(t, op->cmd, "LEN", op->argv[2], &op->n);
	if (ret)
		return ret;
	if (op->n == 0 || op->n % op->width || op->n > SIZE_MAX / 2)
		return usage_error(t, op->cmd, "LEN %s must be more than 0, a multiple "
				   "of WIDTH %u, and fit in memory", op->argv[2], op->width);
	path = script_path(t, op, op->argv[3]);
	if (!path)
		return DMT_FAILED;
	op->data = (void *)path;
	ret = resolve(t, op->cmd, op->argv[1], op->n, &op->loc);
	if (!ret)
		ret = dry_check(t, op->cmd, op->argv[1], &op->loc, op->n, op->width, false);
	if (!ret)
		ret = reg_rules(t, op->cmd, op->argv[1], &op->loc, op->n, REG_READ | REG_QUIET, NULL);
	if (ret)
		return ret;
	ret = check_writable(path);
	if (ret == EINVAL) {
		out_error(t, "%s %s: not a regular file", op->cmd->name, op->argv[3]);
		return DMT_FAILED;
	}
	return ret ? file_failed(t, op, op->argv[3], "cannot write", ret) : 0;
}

int exec_save(struct dmt *t, const struct op *op)
{
	const struct location *loc = &op->loc;
	const char *path = op->data;
	uint8_t *buf;
	uint64_t done = 0;
	struct stat st;
	int fd, ret = 0;

	if (t->dry_run) {
		out_dry(t, op->cmd->name, loc, "-> 0x%" PRIx64 " bytes to %s, width %u",
			op->n, op->argv[3], op->width);
		return 0;
	}
	buf = malloc(SAVE_CHUNK);
	if (!buf) {
		out_error(t, "%s: out of memory", op->cmd->name);
		return DMT_FAILED;
	}
	/* not O_TRUNC: the file may be the one read; cut to LEN at the end */
	fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0644);
	if (fd >= 0 && (fstat(fd, &st) || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
		errno = EINVAL;
	}
	if (fd < 0) {
		ret = errno;
		free(buf);
		if (ret == EINVAL) {
			out_error(t, "%s %s: not a regular file", op->cmd->name, op->argv[3]);
			return DMT_FAILED;
		}
		return file_failed(t, op, op->argv[3], "cannot write", ret);
	}
	while (done < op->n && !ret) {
		size_t chunk = op->n - done < SAVE_CHUNK ? (size_t)(op->n - done) : SAVE_CHUNK;
		size_t put = 0;

		if (dmt_interrupted) {
			ret = DMT_INTERRUPTED;
			break;
		}
		ret = phys_read_buf(loc->m->map, loc->off + done, buf, chunk, op->width);
		if (ret) {
			ret = access_failed(t, op->cmd, op->argv[1], ret);
			break;
		}
		while (put < chunk) {
			ssize_t n = pwrite(fd, buf + put, chunk - put, (off_t)(done + put));

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				ret = file_failed(t, op, op->argv[3], "write error", errno);
				break;
			}
			put += (size_t)n;
		}
		done += chunk;
	}
	if (!ret && ftruncate(fd, (off_t)op->n))
		ret = file_failed(t, op, op->argv[3], "cannot cut to LEN", errno);
	if (close(fd) && !ret)
		ret = file_failed(t, op, op->argv[3], "write error", errno);
	free(buf);
	if (!ret && t->json)
		json_file(t, op, op->argv[3]);
	return ret;
}
