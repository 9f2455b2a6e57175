/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Redirect routes (redirect.c): nginx's "return 301 URL", IIS's
 * httpRedirect.
 */
#ifndef KHTTP_REDIRECT_H
#define KHTTP_REDIRECT_H

#include <linux/refcount.h>
#include <linux/types.h>

struct khttp_conn;
struct netlink_ext_ack;

/* The default status: as nginx's "return URL" and IIS's httpRedirect. */
#define KHTTP_REDIRECT_DEFAULT	302

/* A redirect route's answer; shared, immutable, freed by the last put. */
struct khttp_redirect {
	refcount_t ref;
	u16 status;			/* 301, 302, 307 or 308 */
	bool keep_path;			/* append the rest of the path, query */
	u32 len;
	char target[];			/* NUL-terminated */
};

/*
 * A new redirect to @target with @status (0: the default).  Returns 0
 * with *@out set, or -EINVAL (extack says why), -ENOMEM.
 */
int khttp_redirect_new(const char *target, u16 status, bool keep_path,
		       struct khttp_redirect **out,
		       struct netlink_ext_ack *extack);

static inline struct khttp_redirect *
khttp_redirect_get(struct khttp_redirect *rd)
{
	if (rd)
		refcount_inc(&rd->ref);
	return rd;
}

void khttp_redirect_put(struct khttp_redirect *rd);

/*
 * Answer the request on @c, whose normalised path is @path (@pathlen
 * bytes, the route's prefix covering the first @skip), with @rd.
 */
void khttp_redirect_respond(struct khttp_conn *c,
			    const struct khttp_redirect *rd, const char *path,
			    u32 pathlen, u32 skip);

/*
 * Plain C for KUnit: the Location for @rd, the path rest @rest and the
 * raw query @query (NULL: none) into @out (@cap bytes).  Returns its
 * length, or -E2BIG when it does not fit.
 */
int khttp_redirect_location(const struct khttp_redirect *rd,
			    const char *rest, u32 restlen, const char *query,
			    u32 querylen, char *out, u32 cap);

#endif /* KHTTP_REDIRECT_H */
