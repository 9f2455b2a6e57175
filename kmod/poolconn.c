// SPDX-License-Identifier: GPL-2.0
/*
 * A request for an application pool, as its connection carries it: the
 * body, read whole (within max-body-bytes) after the head; the hand-over
 * to the pool's queue (khttp_pool_submit()); and the worker's answer,
 * relayed to the client as it arrives.  The connection (conn.c) reads the
 * socket, paces, and moves its phases; each function here works on what
 * is buffered and says what comes next, so the pool side never calls
 * back into the transport.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "khttp.h"
#include "net.h"
#include "stats.h"
#include "listener.h"
#include "conn.h"
#include "pool.h"
#include "resp.h"
#include "parser.h"
#include "log.h"

enum khttp_poolc khttp_poolc_begin(struct khttp_conn *c)
{
	const struct khttp_req *r = &c->rq->req;

	if (!r->chunked && (!r->has_cl || !r->content_length))
		return KHTTP_POOLC_SUBMIT;
	/* The body is read whole, within max-body-bytes, then queued. */
	c->rq->body_cap = r->chunked ? 4096 : r->content_length;
	c->rq->body = kvmalloc(c->rq->body_cap, GFP_KERNEL);
	if (!c->rq->body) {
		khttp_pool_put(c->rq->pool);
		c->rq->pool = NULL;
		khttp_resp_error(c, r->chunked ? 500 : 413);
		c->keep_alive = false;
		return KHTTP_POOLC_ANSWERED;
	}
	c->rq->body_len = 0;
	if (r->chunked)
		khttp_chunked_init(&c->rq->chunk,
				   READ_ONCE(khttp_conn_cfg(c)->max_body_bytes));
	else
		c->rq->body_left = r->content_length;
	/* We asked for the body: the connection may live on. */
	if (r->expect_continue && r->version == 11 && khttp_resp_continue(c))
		c->keep_alive = c->rq->req.keep_alive &&
				!READ_ONCE(c->listener->dead);
	return KHTTP_POOLC_COLLECT;
}

static int khttp_poolc_append(struct khttp_conn *c, const char *data, u32 n)
{
	char *nb;
	u64 cap;

	if (c->rq->body_len + n > c->rq->body_cap) {
		cap = max_t(u64, c->rq->body_cap * 2, c->rq->body_len + n);
		nb = kvmalloc(cap, GFP_KERNEL);
		if (!nb)
			return -ENOMEM;
		memcpy(nb, c->rq->body, c->rq->body_len);
		kvfree(c->rq->body);
		c->rq->body = nb;
		c->rq->body_cap = cap;
	}
	memcpy(c->rq->body + c->rq->body_len, data, n);
	c->rq->body_len += n;
	return 0;
}

enum khttp_poolc khttp_poolc_collect(struct khttp_conn *c, u32 *room)
{
	u32 head = c->rq->req.head_len;
	int ret;

	for (;;) {
		u32 avail = c->buf_len - head;
		size_t used = 0;
		bool complete = false;

		if (!avail)
			break;
		if (c->rq->req.chunked) {
			struct khttp_span d = {};

			ret = khttp_chunked_feed(&c->rq->chunk, c->buf + head, avail,
						 &used, &d);
			if (ret == KHTTP_ERROR) {
				khttp_pool_put(c->rq->pool);
				c->rq->pool = NULL;
				c->keep_alive = false;
				khttp_resp_error(c, c->rq->chunk.status);
				return KHTTP_POOLC_ANSWERED;
			}
			if (ret == KHTTP_DATA &&
			    khttp_poolc_append(c, c->buf + head + d.off, d.len))
				return KHTTP_POOLC_CLOSE;
			complete = ret == KHTTP_DONE;
		} else {
			used = min_t(u64, avail, c->rq->body_left);
			memcpy(c->rq->body + c->rq->body_len, c->buf + head, used);
			c->rq->body_len += used;
			c->rq->body_left -= used;
			complete = !c->rq->body_left;
		}
		if (used) {
			memmove(c->buf + head, c->buf + head + used,
				c->buf_len - head - used);
			c->buf_len -= used;
		}
		if (complete)
			return KHTTP_POOLC_SUBMIT;
	}
	/* With a length, never read past the body: pipelining. */
	*room = c->rq->req.chunked ? c->buf_cap - c->buf_len :
		min_t(u64, c->rq->body_left, c->buf_cap - c->buf_len);
	return KHTTP_POOLC_COLLECT;
}

enum khttp_poolc khttp_poolc_submit(struct khttp_conn *c)
{
	struct khttp_pool *pool = c->rq->pool;
	int err;

	c->rq->pool = NULL;
	err = khttp_pool_submit(c, pool);
	khttp_pool_put(pool);
	kvfree(c->rq->body);
	c->rq->body = NULL;
	c->rq->body_len = 0;
	c->rq->body_cap = 0;
	if (!err)
		return KHTTP_POOLC_RELAY;
	/* Refused with a reset ("basic" 503 verbosity): no answer. */
	return khttp_out_begun(&c->rq->out) ? KHTTP_POOLC_ANSWERED : KHTTP_POOLC_CLOSE;
}

enum khttp_relay khttp_poolc_relay(struct khttp_conn *c, size_t *backlog)
{
	struct khttp_preq *p = c->rq->preq;
	bool done, abort, ka, pending;
	u16 status;
	u64 sent;

	spin_lock_bh(&p->lock);
	abort = p->abort;
	pending = !list_empty(&p->resp);
	*backlog = p->resp_bytes;
	done = p->done && !pending;
	ka = p->keep_alive;
	status = p->status;
	sent = p->sent;
	spin_unlock_bh(&p->lock);
	/* Whoever sent them, the bytes are this connection's. */
	if (sent != p->sent_counted) {
		khttp_stat_sent(c, sent - p->sent_counted);
		p->sent_counted = sent;
	}
	if (abort)
		return KHTTP_RELAY_ABORT;
	if (done) {
		if (status >= 100 && status < 600)
			khttp_stat(c, KHTTP_STAT_RESP_1XX + status / 100 - 1, 1);
		c->keep_alive = c->keep_alive && ka;
		c->rq->resp_status = status;
		c->rq->resp_source = KHTTP_LOG_POOL;
		/* Sent by the worker's write(), maybe a while ago. */
		if (READ_ONCE(p->sent_at))
			khttp_log_end(c, READ_ONCE(p->sent_at));
		khttp_preq_detach(c);
		return KHTTP_RELAY_DONE;
	}
	return pending ? KHTTP_RELAY_SEND : KHTTP_RELAY_IDLE;
}
