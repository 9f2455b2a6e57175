// SPDX-License-Identifier: GPL-2.0
/*
 * The sending side of a connection: a response goes out through xmit.c as
 * fast as the socket takes it, paced by the route's rate cap (a token
 * bucket, qos.c: the pace timer brings the work item back once tokens
 * have accrued), while the send timer watches the reader -- slower than
 * min-send-rate (http.sys MinSendRate) or silent past the idle timeout,
 * it is closed.  A worker's answer is relayed the same way, as far as its
 * worker's own write() has not already sent it.  Runs only in the
 * connection's work item (conn.c).
 */
#include <linux/timer.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "khttp.h"
#include "net.h"
#include "stats.h"
#include "conn.h"
#include "connpriv.h"
#include "pool.h"
#include "qos.h"
#include "xmit.h"

u32 khttp_send_check_ms(const struct khttp_conn *c)
{
	u32 idle = READ_ONCE(khttp_conn_cfg(c)->idle_timeout_ms);

	/* With a minimum send rate, look at the reader every second. */
	return READ_ONCE(khttp_conn_cfg(c)->min_send_rate) ? min(idle, 1000U) : idle;
}

/* Bytes went out: the reader is alive. */
static void khttp_conn_progress(struct khttp_conn *c)
{
	c->last_progress = jiffies;
	khttp_conn_arm(c, khttp_send_check_ms(c));
}

/*
 * The SEND timer fired: close a reader slower than min-send-rate (http.sys
 * MinSendRate) or silent past the idle timeout; else look again later.
 */
bool khttp_conn_send_alive(struct khttp_conn *c)
{
	u32 rate = READ_ONCE(khttp_conn_cfg(c)->min_send_rate);
	unsigned long idle =
		msecs_to_jiffies(READ_ONCE(khttp_conn_cfg(c)->idle_timeout_ms));
	unsigned long el = jiffies - c->rate_mark;

	/* Our own throttling is not the reader's fault. */
	if (rate && !c->rq->bucket && el >= HZ) {
		u64 sent = c->rq->resp_bytes - c->rate_mark_bytes;

		if (sent * HZ < (u64)rate * el) {
			khttp_stat(c, KHTTP_STAT_SLOW_CLOSED, 1);
			return false;
		}
		c->rate_mark = jiffies;
		c->rate_mark_bytes = c->rq->resp_bytes;
	}
	if (time_after_eq(jiffies, c->last_progress + idle)) {
		khttp_stat(c, KHTTP_STAT_CONN_TIMEOUT, 1);
		return false;
	}
	khttp_conn_arm(c, khttp_send_check_ms(c));
	return true;
}

/*
 * How many of @want bytes the route's send-rate cap lets go now.  0: the
 * pace timer calls us back once a segment's worth of tokens has accrued.
 */
static u64 khttp_conn_budget(struct khttp_conn *c, u64 want)
{
	u64 wait_ns = 0, got;

	if (!c->rq->bucket || !want)
		return want;
	got = khttp_bucket_take(c->rq->bucket, want, &wait_ns);
	if (!got) {
		if (!c->rq->throttled) {
			c->rq->throttled = true;
			khttp_stat(c, KHTTP_STAT_THROTTLED, 1);
		}
		mod_timer(&c->pace_timer,
			  jiffies + max_t(unsigned long, 1,
					  nsecs_to_jiffies(wait_ns)));
	}
	return got;
}

/* Return tokens granted but not used. */
static void khttp_conn_unspent(struct khttp_conn *c, u64 granted, int sent)
{
	u64 used = sent > 0 ? sent : 0;

	if (c->rq->bucket && granted > used)
		khttp_bucket_refund(c->rq->bucket, granted - used);
}

enum khttp_step khttp_conn_send_step(struct khttp_conn *c)
{
	struct khttp_out *o = &c->rq->out;
	int ret;

	do {
		/* The head is not paced; the body goes as the budget allows. */
		u64 left = o->body_left, grant, sent;

		grant = khttp_conn_budget(c, min_t(u64, left, o->file ?
						   64 << 10 : 1 << 20));
		ret = khttp_xmit_out(c->sock, o, grant, &sent);
		khttp_conn_unspent(c, grant, left - o->body_left);
		if (sent) {
			khttp_stat_sent(c, sent);
			khttp_conn_progress(c);
		}
		if (!ret && o->body_left && !grant)
			ret = -EAGAIN;	/* the pace timer calls us back */
	} while (!ret && !khttp_out_done(o));
	if (ret == -EAGAIN)
		return KHTTP_STEP_WAIT;	/* write_space calls us back */
	if (ret < 0) {
		khttp_conn_close(c);
		return KHTTP_STEP_GONE;
	}
	return khttp_conn_next_request(c);
}

/*
 * Relay the worker's response as it arrives.  The worker's write() may
 * have sent some or all of it already (khttp_preq_kick()); what is left
 * goes from here, through the route's pace.
 */
enum khttp_step khttp_conn_pool_step(struct khttp_conn *c)
{
	struct sock *sk = c->sock->sk;
	size_t backlog;
	u64 grant;
	long ret;

	for (;;) {
		switch (khttp_poolc_relay(c, &backlog)) {
		case KHTTP_RELAY_ABORT:
			sock_no_linger(sk);
			khttp_conn_close(c);
			return KHTTP_STEP_GONE;
		case KHTTP_RELAY_DONE:
			return khttp_conn_next_request(c);
		case KHTTP_RELAY_IDLE:
			/* Nothing to send yet; is the client still there? */
			if (READ_ONCE(sk->sk_err) ||
			    READ_ONCE(sk->sk_state) == TCP_CLOSE) {
				khttp_conn_close(c);
				return KHTTP_STEP_GONE;
			}
			return KHTTP_STEP_WAIT;
		case KHTTP_RELAY_SEND:
			break;
		}
		/* An empty piece (a HEAD's body) still has to be dropped. */
		grant = khttp_conn_budget(c, max_t(size_t, backlog, 1));
		if (!grant)
			return KHTTP_STEP_WAIT;	/* the pace timer */
		ret = khttp_preq_xmit(c->rq->preq, c->sock, grant);
		khttp_conn_unspent(c, grant, ret);
		if (ret == -EAGAIN)
			return KHTTP_STEP_WAIT;
		if (ret < 0) {
			khttp_conn_close(c);
			return KHTTP_STEP_GONE;
		}
	}
}
