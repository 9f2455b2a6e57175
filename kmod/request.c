// SPDX-License-Identifier: GPL-2.0
/*
 * A request, one way: from its parsed head to what serves it.  Every
 * request passes the same checks and is routed (router.c returns what
 * serves it: a directory, an application pool, a redirect or the
 * metrics or status page, with the route's cache and rate settings,
 * added headers and error pages, and whether its access rules refuse
 * the client: 403 before anything else, the cache included); a
 * redirect is answered at once (redirect.c), so are the metrics and
 * status routes (metrics.c, never cached); the rest meets the
 * response cache once, in front of both handlers -- a hit is answered
 * here, whoever made the entry -- and only a miss goes on: a static
 * file is answered at once (static.c), a pool request goes back to
 * its connection, which collects the body and relays the worker's
 * answer (poolconn.c).  Nothing here reads or writes the socket.
 */
#include <linux/path.h>
#include <linux/slab.h>
#include "khttp.h"
#include "net.h"
#include "stats.h"
#include "listener.h"
#include "conn.h"
#include "request.h"
#include "log.h"
#include "pool.h"
#include "router.h"
#include "static.h"
#include "cachectl.h"
#include "qos.h"
#include "resp.h"
#include "cache.h"
#include "parser.h"
#include "precomp.h"
#include "metrics.h"
#include "redirect.h"
#include "routehdr.h"
#include "errpage.h"

/*
 * A worker's answer may be in the cache, or may be being fetched by
 * another request (wait for it), or this request may fetch it for all
 * (reserve the entry: c->rq->cfill).
 */
static enum khttp_serve khttp_request_cache_pool(struct khttp_conn *c)
{
	const struct khttp_req *r = &c->rq->req;
	bool bodyless = !r->chunked && (!r->has_cl || !r->content_length);
	struct khttp_centry *e;

	if (!c->rq->ckey || !bodyless || r->has_authorization || r->has_cookie ||
	    (r->method != KHTTP_METHOD_GET && r->method != KHTTP_METHOD_HEAD) ||
	    !READ_ONCE(khttp_cache.max_bytes))
		return KHTTP_SERVE_POOL;
	/* Only a GET can fill an entry: a HEAD answer has no body. */
	switch (khttp_cache_lookup(&khttp_cache, c->rq->ckey, c->rq->ckey_len,
				   khttp_now_ms(),
				   r->method == KHTTP_METHOD_GET &&
				   !c->rq->cache_waited, &c->rq->cwait, &e)) {
	case KHTTP_CACHE_HIT:
		khttp_stat(c, KHTTP_STAT_CACHE_HITS, 1);
		khttp_pool_put(c->rq->pool);
		c->rq->pool = NULL;
		khttp_cache_respond(c, e);
		return KHTTP_SERVE_SEND;
	case KHTTP_CACHE_WAIT:
		/* Another request is fetching this: share its answer. */
		c->rq->cache_waited = true;
		return KHTTP_SERVE_CWAIT;
	case KHTTP_CACHE_FILL:
		c->rq->cfill = e;
		break;
	case KHTTP_CACHE_MISS:
		break;
	}
	return KHTTP_SERVE_POOL;
}

enum khttp_serve khttp_request_cache_again(struct khttp_conn *c)
{
	return khttp_request_cache_pool(c);
}

/*
 * The one cache lookup, in front of both handlers.  A file's entry is
 * keyed without the query and checked against the file on every hit;
 * a worker's answer by the whole URL.  KHTTP_SERVE_MISS: a static miss.
 */
static enum khttp_serve khttp_request_cache(struct khttp_conn *c,
					    const struct khttp_target *t,
					    const char *path, u32 pathlen)
{
	if (!t->cache)
		return t->type == KHTTP_ROUTE_POOL ? KHTTP_SERVE_POOL :
		       KHTTP_SERVE_MISS;
	if (t->type == KHTTP_ROUTE_POOL) {
		khttp_cache_make_key(c, path, pathlen);
		return khttp_request_cache_pool(c);
	}
	if (!READ_ONCE(khttp_cache.max_bytes) ||
	    khttp_cache_make_file_key(c, path, pathlen) ||
	    khttp_precomp_key(c))
		return KHTTP_SERVE_MISS;
	return khttp_static_cache_hit(c, &t->root, path + t->skip) ?
	       KHTTP_SERVE_SEND : KHTTP_SERVE_MISS;
}

/* What serves the request whose head is in c->buf. */
static enum khttp_serve khttp_request_route(struct khttp_conn *c,
					    const char *path, u32 pathlen)
{
	const struct khttp_req *r = &c->rq->req;
	struct khttp_target t;
	enum khttp_serve next;

	if (khttp_route_lookup(khttp_conn_net(c),
			       r->has_host ? c->buf + r->host.off : NULL,
			       r->has_host ? r->host.len : 0, &c->local,
			       &c->peer, path, pathlen, &t)) {
		khttp_resp_error(c, 404);
		return KHTTP_SERVE_SEND;
	}
	c->rq->route_cache = t.cache;
	/* From here on every head of the answer goes out with them. */
	c->rq->rhdrs = t.hdrs;
	c->rq->errpages = t.errpages;
	t.hdrs = NULL;
	t.errpages = NULL;
	if (t.denied) {
		khttp_stat(c, KHTTP_STAT_ACCESS_DENIED, 1);
		khttp_resp_error(c, 403);
		next = KHTTP_SERVE_SEND;
		goto out;
	}
	if (t.type == KHTTP_ROUTE_REDIRECT) {
		/* Any method: as nginx's "return". */
		khttp_redirect_respond(c, t.redirect, path, pathlen, t.skip);
		next = KHTTP_SERVE_SEND;
		goto out;
	}
	c->rq->precomp = 0;
	if (t.type == KHTTP_ROUTE_STATIC && t.precompressed)
		khttp_precomp_route(c);
	if (t.bucket) {
		khttp_bucket_put(c->rq->bucket);
		c->rq->bucket = t.bucket;
		t.bucket = NULL;
	}
	if (t.type == KHTTP_ROUTE_POOL) {
		/* The request owns the pool reference now (a hit drops it). */
		c->rq->pool = t.pool;
		t.pool = NULL;
	} else if (r->method != KHTTP_METHOD_GET &&
		   r->method != KHTTP_METHOD_HEAD) {
		khttp_resp_error(c, r->method == KHTTP_METHOD_OTHER ? 501 : 405);
		next = KHTTP_SERVE_SEND;
		goto out;
	}
	if (t.type == KHTTP_ROUTE_METRICS || t.type == KHTTP_ROUTE_STATUS) {
		khttp_metrics_serve(c, t.type, path + t.skip);
		next = KHTTP_SERVE_SEND;
		goto out;
	}
	next = khttp_request_cache(c, &t, path, pathlen);
	if (next == KHTTP_SERVE_MISS) {
		/* "/app/x" under route "/app/" is "x" in the directory. */
		khttp_static_serve(c, &t.root, path + t.skip, path);
		next = KHTTP_SERVE_SEND;
	}
out:
	khttp_target_put(&t);
	return next;
}

void khttp_request_route_release(struct khttp_conn *c)
{
	khttp_rhdrs_put(c->rq->rhdrs);
	c->rq->rhdrs = NULL;
	khttp_errpages_put(c->rq->errpages);
	c->rq->errpages = NULL;
}

enum khttp_serve khttp_request_serve(struct khttp_conn *c, bool stopping)
{
	const struct khttp_req *r = &c->rq->req;
	enum khttp_serve next = KHTTP_SERVE_SEND;
	/* Most paths are short: no allocation for them. */
	char onstack[128], *path = onstack;
	int n;

	khttp_stat(c, KHTTP_STAT_REQUESTS, 1);
	khttp_log_capture(c, true);
	c->requests_seen = true;
	c->client_closes = !r->keep_alive;
	c->keep_alive = r->keep_alive && !READ_ONCE(c->listener->dead) &&
			!stopping;
	/* A body we did not ask for with 100 Continue may never come. */
	if (r->expect_continue)
		c->keep_alive = false;
	if (r->has_cl && r->content_length > READ_ONCE(khttp_conn_cfg(c)->max_body_bytes)) {
		khttp_resp_error(c, 413);
		return next;
	}
	if (r->form == KHTTP_FORM_ASTERISK || r->form == KHTTP_FORM_AUTHORITY) {
		khttp_resp_error(c, r->method == KHTTP_METHOD_OPTIONS ? 501 : 400);
		return next;
	}
	if (r->path.len + 2 > sizeof(onstack))
		path = kmalloc(r->path.len + 2, GFP_KERNEL);
	if (!path) {
		khttp_resp_error(c, 500);
		return next;
	}
	n = khttp_path_normalize(c->buf + r->path.off, r->path.len, path,
				 r->path.len + 2);
	if (n < 0)
		khttp_resp_error(c, n == -EPERM ? 403 : 400);
	else
		next = khttp_request_route(c, path, n);
	if (path != onstack)
		kfree(path);
	return next;
}
