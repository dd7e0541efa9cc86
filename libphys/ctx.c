// SPDX-License-Identifier: LGPL-2.1-or-later
/* Library context: backend choice, sysroot, policy files, last error, log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * A syslog priority from LIBPHYS_LOG, as kmod reads KMOD_LOG: a number
 * 0-7 or err, info, debug; -1 if TEXT is none of them.
 */
static int parse_priority(const char *text)
{
	static const struct { const char *name; int prio; } names[] = {
		{ "err", LOG_ERR }, { "info", LOG_INFO }, { "debug", LOG_DEBUG },
	};

	if (text[0] >= '0' && text[0] <= '7' && !text[1])
		return text[0] - '0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(text, names[i].name))
			return names[i].prio;
	return -1;
}

PHYS_EXPORT struct phys_ctx *phys_ctx_new(void)
{
	struct phys_ctx *ctx = calloc(1, sizeof(*ctx));
	const char *env;

	if (!ctx)
		return NULL;
	ctx->log_priority = LOG_ERR;
	env = secure_getenv("LIBPHYS_LOG");
	if (env && *env) {
		int prio = parse_priority(env);

		if (prio >= 0)
			ctx->log_priority = prio;
		else	/* said once a log function is set, which is when it counts */
			ctx->bad_log_env = true;
	}
	return ctx;
}

static void free_policy_files(struct phys_ctx *ctx)
{
	if (!ctx->policy_files)
		return;
	for (char **f = ctx->policy_files; *f; f++)
		free(*f);
	free(ctx->policy_files);
	ctx->policy_files = NULL;
}

PHYS_EXPORT void phys_ctx_free(struct phys_ctx *ctx)
{
	if (!ctx)
		return;
	free_policy_files(ctx);
	free(ctx);
}

PHYS_EXPORT const char *phys_ctx_errmsg(const struct phys_ctx *ctx)
{
	return ctx ? ctx->errmsg : "no context";
}

void phys_clear_err(struct phys_ctx *ctx)
{
	ctx->errmsg[0] = '\0';
	ctx->err_pending = false;
}

static void log_err(struct phys_ctx *ctx)
{
	ctx->err_pending = false;
	if (ctx->errmsg[0] && ctx->log_fn && LOG_ERR <= ctx->log_priority)
		ctx->log_fn(ctx->log_data, LOG_ERR, ctx->errmsg);
}

int phys_err(struct phys_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
	if (ctx->api_depth)
		ctx->err_pending = true;
	else
		log_err(ctx);
	return err < 0 ? err : -err;
}

void phys_api_enter(struct phys_ctx *ctx)
{
	if (!ctx->api_depth++)
		phys_clear_err(ctx);
}

void phys_api_leave(struct phys_ctx **ctxp)
{
	struct phys_ctx *ctx = *ctxp;

	if (!--ctx->api_depth && ctx->err_pending)
		log_err(ctx);
}

void phys_log(struct phys_ctx *ctx, int prio, const char *fmt, ...)
{
	char msg[PHYS_ERRMSG_MAX];
	va_list ap;

	if (!ctx->log_fn || prio > ctx->log_priority)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->log_fn(ctx->log_data, prio, msg);
}

int phys_path(const struct phys_ctx *ctx, char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strlen(ctx->sysroot);
	va_list ap;
	int r;

	if (n >= size)
		return -ENAMETOOLONG;
	memcpy(buf, ctx->sysroot, n);
	va_start(ap, fmt);
	r = vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= size - n)
		return -ENAMETOOLONG;
	return 0;
}

PHYS_EXPORT int phys_ctx_set_backend(struct phys_ctx *ctx, const char *name)
{
	const struct phys_backend *b;
	int r;

	if (!ctx || !name)
		return -EINVAL;
	r = phys_backend_lookup(ctx, name, &b);
	if (r)
		return r;
	ctx->backend = b;
	return 0;
}

PHYS_EXPORT const char *phys_ctx_get_backend(const struct phys_ctx *ctx)
{
	if (!ctx)
		return NULL;
	return ctx->backend ? ctx->backend->name : "auto";
}

PHYS_EXPORT int phys_ctx_set_sysroot(struct phys_ctx *ctx, const char *dir)
{
	size_t n;

	if (!ctx)
		return -EINVAL;
	if (!dir || !strcmp(dir, "/")) {
		ctx->sysroot[0] = '\0';
		return 0;
	}
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;	/* "root/" + "/sys" must not become "root//sys" */
	if (n >= sizeof(ctx->sysroot) - 64)
		return phys_err(ctx, -ENAMETOOLONG, "sysroot '%s': path too long", dir);
	memcpy(ctx->sysroot, dir, n);
	ctx->sysroot[n] = '\0';
	return 0;
}

PHYS_EXPORT int phys_ctx_set_policy_files(struct phys_ctx *ctx, const char *const *files)
{
	size_t n = 0;
	char **copy;

	if (!ctx)
		return -EINVAL;
	if (!files) {
		free_policy_files(ctx);
		return 0;
	}
	while (files[n])
		n++;
	copy = calloc(n + 1, sizeof(*copy));
	if (!copy)
		return phys_err(ctx, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		copy[i] = strdup(files[i]);
		if (!copy[i]) {
			for (size_t j = 0; j < i; j++)
				free(copy[j]);
			free(copy);
			return phys_err(ctx, -ENOMEM, "out of memory");
		}
	}
	free_policy_files(ctx);
	ctx->policy_files = copy;
	return 0;
}

PHYS_EXPORT void phys_ctx_set_log_fn(struct phys_ctx *ctx, phys_log_fn fn, void *data)
{
	if (!ctx)
		return;
	ctx->log_fn = fn;
	ctx->log_data = data;
	if (fn && ctx->bad_log_env) {
		ctx->bad_log_env = false;
		phys_log(ctx, LOG_ERR, "LIBPHYS_LOG='%s' is not a log priority "
			 "(use err, info, debug or 0-7): logging at err", secure_getenv("LIBPHYS_LOG"));
	}
}

PHYS_EXPORT int phys_ctx_set_log_priority(struct phys_ctx *ctx, int priority)
{
	if (!ctx)
		return -EINVAL;
	if (priority < LOG_EMERG || priority > LOG_DEBUG)
		return phys_err(ctx, -EINVAL, "log priority %d is not a syslog priority (0-7)",
				priority);
	ctx->log_priority = priority;
	return 0;
}

PHYS_EXPORT int phys_ctx_get_log_priority(const struct phys_ctx *ctx)
{
	return ctx ? ctx->log_priority : -EINVAL;
}

PHYS_EXPORT const char *phys_version(void)
{
	return LIBPHYS_VERSION;
}

int phys_info_out(void *out, const void *full, size_t len, size_t min)
{
	size_t room = *(const size_t *)out;

	if (room < min)
		return -EINVAL;
	if (room > len)
		room = len;
	memcpy(out, full, room);
	*(size_t *)out = room;
	return 0;
}
