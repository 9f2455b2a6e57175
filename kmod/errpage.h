/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error pages per route (errpage.c): nginx's error_page, IIS's
 * httpErrors.
 */
#ifndef KHTTP_ERRPAGE_H
#define KHTTP_ERRPAGE_H

#include <linux/path.h>
#include <linux/refcount.h>
#include <linux/types.h>

struct khttp_conn;
struct netlink_ext_ack;

struct khttp_errpage {
	u16 status;			/* 400..599 */
	struct path dir;		/* where the file is looked up */
	char *rel;			/* the file, relative to dir */
	char *given;			/* the path as given, for listing */
};

/*
 * A route's error pages; shared by the route and the requests on it,
 * immutable, freed by the last put (which may sleep: process context).
 */
struct khttp_errpages {
	refcount_t ref;
	u32 n;
	struct khttp_errpage e[];
};

/* The most bytes a route's error page paths take in all. */
#define KHTTP_ERRPAGES_BYTES	4096

/* One page as given: the status and the path. */
struct khttp_errpage_spec {
	u16 status;
	const char *path;
};

/*
 * The pages @s[0..@n) for a route whose directory is @root (a static
 * route) or NULL (any other route: the paths are absolute file names).
 * At most KHTTP_ERROR_PAGE_MAX pages, one per status, their paths
 * KHTTP_ERRPAGES_BYTES in all.  Returns 0 with *@out set (NULL for
 * @n == 0), -EINVAL or -ENOENT with an extack message, -E2BIG, or
 * -ENOMEM.
 */
int khttp_errpages_new(const struct khttp_errpage_spec *s, u32 n,
		       const struct path *root, struct khttp_errpages **out,
		       struct netlink_ext_ack *extack);

static inline struct khttp_errpages *
khttp_errpages_get(struct khttp_errpages *ep)
{
	if (ep)
		refcount_inc(&ep->ref);
	return ep;
}

void khttp_errpages_put(struct khttp_errpages *ep);

/*
 * Answer the request on @c with its route's page for @status, if it has
 * one and the file can be served; false: nothing was written, give the
 * built-in body.
 */
bool khttp_errpage_respond(struct khttp_conn *c, u16 status);

#endif /* KHTTP_ERRPAGE_H */
