/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The route table as the module keeps it (router.c): what serves a
 * request, and configuration.
 */
#ifndef KHTTP_ROUTER_H
#define KHTTP_ROUTER_H

#include <linux/path.h>
#include <linux/types.h>
#include <linux/khttp.h>

struct khttp_bucket;
struct khttp_errpages;
struct khttp_net;
struct khttp_pool;
struct khttp_redirect;
struct khttp_rhdrs;
struct netlink_callback;
struct netlink_ext_ack;
struct sk_buff;

/* router.c: the route table, replaced as a whole under RCU. */
struct khttp_route;
int khttp_router_init(struct khttp_net *kn);
void khttp_router_exit(struct khttp_net *kn);
int khttp_route_del(struct khttp_net *kn, const char *prefix,
		    struct netlink_ext_ack *extack);
u32 khttp_route_count(struct khttp_net *kn);

/*
 * What serves a request: a route's answer, referenced; the route's added
 * headers and error pages (any type of route) with it.
 */
struct khttp_target {
	u8 type;			/* enum khttp_route_type */
	bool denied;			/* the access rules refuse the client */
	bool cache;			/* answers and files may be cached */
	bool precompressed;		/* static: FILE.br, FILE.gz too */
	u32 skip;			/* path bytes the prefix covers */
	struct path root;		/* static: the directory */
	struct khttp_pool *pool;	/* pool, or NULL */
	struct khttp_bucket *bucket;	/* send-rate cap, or NULL */
	struct khttp_redirect *redirect;	/* redirect, or NULL */
	struct khttp_rhdrs *hdrs;		/* added headers, or NULL */
	struct khttp_errpages *errpages;	/* error pages, or NULL */
};

int khttp_route_lookup(struct khttp_net *kn, const char *host, u32 hostlen,
		       const struct khttp_addr *local,
		       const struct khttp_addr *peer, const char *path,
		       u32 pathlen, struct khttp_target *t);
void khttp_target_put(struct khttp_target *t);

/* router.c, for pools */
int khttp_routes_drop_pool(struct khttp_net *kn, struct khttp_pool *pool,
			   bool force, struct netlink_ext_ack *extack);

#endif /* KHTTP_ROUTER_H */
