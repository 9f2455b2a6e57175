/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A parsed request to what serves it (request.c).
 */
#ifndef KHTTP_REQUEST_H
#define KHTTP_REQUEST_H

#include <linux/types.h>

struct khttp_conn;

/* request.c: a parsed request to what serves it. */
enum khttp_serve {
	KHTTP_SERVE_SEND,	/* c->out holds the answer (none: close) */
	KHTTP_SERVE_POOL,	/* c->pool serves it: poolconn.c */
	KHTTP_SERVE_CWAIT,	/* wait for another request's cache fill */
	KHTTP_SERVE_MISS,	/* (internal) a static cache miss */
};

enum khttp_serve khttp_request_serve(struct khttp_conn *c, bool stopping);
/* After KHTTP_SERVE_CWAIT, once woken: the cache again. */
enum khttp_serve khttp_request_cache_again(struct khttp_conn *c);
/* Once the answer is out: drop the route's headers and error pages. */
void khttp_request_route_release(struct khttp_conn *c);

#endif /* KHTTP_REQUEST_H */
