// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: the transport.  No thread per connection: socket callbacks
 * (data ready, write space, state change) and timers only wake the
 * connection (khttp_conn_wake()), and exactly one runner at a time steps
 * it (c->own), so a connection's state needs no lock of its own.  The
 * runner is its work item; or, when the client's next request arrives
 * on a connection whose pool answer went out and a worker of that pool
 * sleeps in read() or its ring, that worker, which the pool wakes
 * instead of the work item (khttp_pool_park()): the request reaches the
 * worker without first waking a kernel thread.  The runner runs the per-connection
 * phase machine (enum khttp_phase): read a request head into c->buf for the
 * parser; hand the parsed request to request.c, which says what serves it;
 * then send the response (connsend.c: through xmit.c, paced by the route's
 * rate cap and watched by the send timer), or read a pool request's body
 * for poolconn.c and relay the worker's answer, skip a body nobody uses,
 * or linger before closing.  What belongs to one request is c->rq
 * (struct khttp_request), allocated when a request begins to arrive and
 * freed when the connection falls idle; the connection itself keeps only
 * the socket, the received bytes and the timers, and an idle keep-alive
 * connection only the socket and the timers (296 bytes).
 *
 * A TLS entry's connection starts in KHTTP_TLS: the socket goes to the
 * handshake agent first (tls.c) and khttp takes its callbacks only once
 * the agent hands it back with kTLS installed, then chains to kTLS's.
 *
 * Lifetime: the connection is on its namespace's conns list (net.h) from
 * accept to close.  Close
 * happens only inside the work item; it detaches the callbacks, stops the
 * timers and releases the socket, and the work item, as it returns, takes
 * back any run of itself requeued meanwhile and frees the connection, so
 * nothing can run on freed memory.
 */
#include <linux/cred.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/tcp.h>
#include <linux/timer.h>
#include <linux/wait_bit.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "khttp.h"
#include "net.h"
#include "stats.h"
#include "listener.h"
#include "conn.h"
#include "connpriv.h"
#include "request.h"
#include "log.h"
#include "pool.h"
#include "cachectl.h"
#include "qos.h"
#include "resp.h"
#include "xmit.h"
#include "cache.h"
#include "parser.h"
#include "tls.h"

/* Sized to what they hold: an idle connection carries no request. */
static struct kmem_cache *khttp_conn_slab;
static struct kmem_cache *khttp_request_slab;
/* A pool's reader runs connections with khttp's credentials, not its own. */
static const struct cred *khttp_conn_cred;

#define KHTTP_LINGER_MS		2000
#define KHTTP_BUF_MIN		2048
#define KHTTP_BUF_SLACK		1024
/*
 * Heads start in a small buffer and move to a full one (max-header-bytes
 * plus slack) only when they outgrow it: most heads are a few hundred
 * bytes, and a large allocation per request (zeroed, with init_on_alloc)
 * was the single biggest cost of a keep-alive request.
 */
#define KHTTP_BUF_INITIAL	1024

s64 khttp_conn_active(struct khttp_net *kn)
{
	return atomic_read(&kn->nconns);
}

/* Claim the next run: true if the caller must hand it to a runner. */
static bool khttp_conn_claim(struct khttp_conn *c)
{
	int old = atomic_read(&c->own), new;

	for (;;) {
		if (old == KHTTP_OWN_IDLE)
			new = KHTTP_OWN_QUEUED;
		else if (old == KHTTP_OWN_RUNNING)
			new = KHTTP_OWN_AGAIN;
		else
			return false;	/* a run is coming anyway */
		if (atomic_try_cmpxchg(&c->own, &old, new))
			return new == KHTTP_OWN_QUEUED;
	}
}

void khttp_conn_wake(struct khttp_conn *c)
{
	if (khttp_conn_claim(c))
		queue_work(khttp_wq, &c->work);
}

void khttp_conn_unpark(struct khttp_conn *c)
{
	queue_work(khttp_wq, &c->work);
}

/*
 * @data: the client sent bytes, maybe its next request after a pool's
 * answer: then a sleeping reader of that pool may run it.
 */
static void khttp_conn_kick(struct sock *sk, bool data)
{
	struct khttp_conn *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (c && khttp_conn_claim(c) && !(data && khttp_pool_park(c)))
		queue_work(khttp_wq, &c->work);
	read_unlock_bh(&sk->sk_callback_lock);
}

/*
 * On a TLS connection our callbacks sit above kTLS's (installed by the
 * agent before the hand-back): tls_sw's data_ready feeds its record
 * parser and its write_space pushes records that waited for room, so
 * they run first; a wake-up before a whole record is in only finds
 * -EAGAIN.
 */
static void khttp_conn_chain(struct sock *sk, bool data)
{
	struct khttp_conn *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (c && c->tls) {
		if (data)
			c->saved_data_ready(sk);
		else
			c->saved_write_space(sk);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void khttp_conn_data_ready(struct sock *sk)
{
	khttp_conn_chain(sk, true);
	khttp_conn_kick(sk, true);
}

static void khttp_conn_write_space(struct sock *sk)
{
	khttp_conn_chain(sk, false);
	/* Wake only once the socket has room worth writing into. */
	if (sk_stream_is_writeable(sk)) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		khttp_conn_kick(sk, false);
	}
}

static void khttp_conn_state_change(struct sock *sk)
{
	khttp_conn_kick(sk, false);
}

static void khttp_conn_cache_wake(struct khttp_cwait *w)
{
	struct khttp_request *rq = container_of(w, struct khttp_request, cwait);

	khttp_conn_wake(rq->conn);
}

static void khttp_conn_pace(struct timer_list *t)
{
	struct khttp_conn *c = from_timer(c, t, pace_timer);

	khttp_conn_wake(c);
}

/*
 * The timer is lazy: a phase that moves the deadline later (every
 * keep-alive request does, twice) leaves the armed expiry alone, and the
 * expiry, finding the deadline not yet due, re-arms for it.  Only a
 * deadline earlier than the armed one touches the timer base: three
 * mod_timer() calls a request were 4% of a cached answer's CPU.
 */
static void khttp_conn_timer(struct timer_list *t)
{
	struct khttp_conn *c = from_timer(c, t, timer);
	unsigned long d;

	/* Pairs with khttp_conn_deadline(): we see its deadline, or it us. */
	smp_mb();
	d = READ_ONCE(c->deadline);
	if (time_before(jiffies, d)) {
		timer_reduce(t, d);
		/* Idle since the last expiry at least: give back the buffers. */
		if (READ_ONCE(c->warm)) {
			WRITE_ONCE(c->cool, true);
			khttp_conn_wake(c);
		}
		return;
	}
	WRITE_ONCE(c->timer_fired, true);
	khttp_conn_wake(c);
}

static void khttp_conn_deadline(struct khttp_conn *c, unsigned long d)
{
	WRITE_ONCE(c->deadline, d);
	/* Pairs with khttp_conn_timer(): it sees @d, or we see it fired. */
	smp_mb();
	if (timer_pending(&c->timer) &&
	    time_before_eq(READ_ONCE(c->timer.expires), d))
		return;
	/* Either way the earlier one wins: the expiry sorts out the rest. */
	timer_reduce(&c->timer, d);
}

void khttp_conn_arm(struct khttp_conn *c, u32 ms)
{
	khttp_conn_deadline(c, jiffies + msecs_to_jiffies(ms));
}

static void khttp_conn_set_phase(struct khttp_conn *c, enum khttp_phase p)
{
	c->phase = p;
	switch (p) {
	case KHTTP_TLS:
		khttp_conn_arm(c, READ_ONCE(khttp_conn_cfg(c)->tls_handshake_timeout_ms));
		break;
	case KHTTP_IDLE:
		khttp_conn_arm(c, c->requests_seen ?
			       READ_ONCE(khttp_conn_cfg(c)->idle_timeout_ms) :
			       READ_ONCE(khttp_conn_cfg(c)->header_timeout_ms));
		break;
	case KHTTP_HEAD:
		/* An absolute deadline for the whole head: slowloris. */
		khttp_conn_arm(c, READ_ONCE(khttp_conn_cfg(c)->header_timeout_ms));
		break;
	case KHTTP_BODY:
		khttp_conn_arm(c, READ_ONCE(khttp_conn_cfg(c)->idle_timeout_ms));
		break;
	case KHTTP_SEND:
		c->last_progress = jiffies;
		c->rate_mark = jiffies;
		c->rate_mark_bytes = c->rq->resp_bytes;
		khttp_conn_arm(c, khttp_send_check_ms(c));
		break;
	case KHTTP_COLLECT:
		khttp_conn_arm(c, READ_ONCE(khttp_conn_cfg(c)->idle_timeout_ms));
		break;
	case KHTTP_POOL:
		/* A worker may take its time, as with http.sys: no timer. */
		del_timer(&c->timer);
		break;
	case KHTTP_CWAIT:
		/*
		 * Another request's answer to the same URL is awaited only
		 * so long: that answer may be slow and end up uncacheable.
		 */
		khttp_conn_arm(c, READ_ONCE(khttp_conn_cfg(c)->cache_lock_timeout_ms));
		break;
	case KHTTP_LINGER:
		khttp_conn_arm(c, KHTTP_LINGER_MS);
		break;
	case KHTTP_CLOSED:
		break;
	}
}

static void khttp_conn_work(struct work_struct *work);

/*
 * Called last by the runner, after khttp_conn_close(): nothing can wake
 * the connection any more (the callbacks, timers, pool request, cache
 * wait and TLS hand-off are all detached), and a wake just before only
 * marked the run to repeat, so the work item is not queued (a work item
 * may free itself).
 */
static void khttp_conn_free(struct khttp_conn *c)
{
	struct khttp_net *kn = khttp_conn_net(c);

	WARN_ON_ONCE(work_pending(&c->work));
	khttp_listener_put(c->listener);
	kmem_cache_free(khttp_conn_slab, c);
	if (atomic_dec_and_test(&kn->nconns))
		wake_up_var(&kn->nconns);
}

/* Forget the per-request cache state. */
static void khttp_conn_cache_reset(struct khttp_conn *c)
{
	khttp_cache_unwait(&khttp_cache, &c->rq->cwait);
	if (c->rq->cfill) {
		khttp_cache_abandon(&khttp_cache, c->rq->cfill);
		c->rq->cfill = NULL;
	}
	kfree(c->rq->ckey);
	c->rq->ckey = NULL;
	c->rq->route_cache = false;
	c->rq->cache_waited = false;
}

/*
 * The request's response is over (or cut short, and logged with what was
 * sent): drop what it held for its response, its cache state and what
 * its route lent it.  The next pipelined request reuses the rest.
 */
static void khttp_conn_request_reset(struct khttp_conn *c)
{
	khttp_log_emit(c);
	c->rq->resp_bytes = 0;
	khttp_resp_reset(c);
	khttp_conn_cache_reset(c);
	/* The next request may take another route: no inherited cap. */
	khttp_bucket_put(c->rq->bucket);
	c->rq->bucket = NULL;
	khttp_request_route_release(c);
	c->rq->throttled = false;
}

/*
 * The connection falls idle or closes: its request goes, with whatever
 * it still holds.
 */
static void khttp_conn_request_free(struct khttp_conn *c)
{
	struct khttp_request *rq = c->rq;

	if (!rq)
		return;
	khttp_conn_request_reset(c);
	khttp_out_free(&rq->out);
	khttp_preq_detach(c);
	if (rq->pool)
		khttp_pool_put(rq->pool);
	kvfree(rq->body);
	kmem_cache_free(khttp_request_slab, rq);
	c->rq = NULL;
}

/* A request begins to arrive: it gets its state. */
static int khttp_conn_request_new(struct khttp_conn *c)
{
	struct khttp_request *rq;

	rq = kmem_cache_zalloc(khttp_request_slab, GFP_KERNEL);
	if (!rq)
		return -ENOMEM;
	rq->conn = c;
	INIT_LIST_HEAD(&rq->cwait.node);
	rq->cwait.wake = khttp_conn_cache_wake;
	c->rq = rq;
	c->req_new = true;
	return 0;
}

/* A TLS socket has a file (shared with the agent's descriptor). */
static void khttp_conn_sock_release(struct socket *sock)
{
	if (sock->file)
		fput(sock->file);
	else
		sock_release(sock);
}

void khttp_conn_close(struct khttp_conn *c)
{
	struct sock *sk = c->sock->sk;

	/* A TLS connection has ours only after its handshake. */
	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data == c) {
		sk->sk_user_data = NULL;
		sk->sk_data_ready = c->saved_data_ready;
		sk->sk_write_space = c->saved_write_space;
		sk->sk_state_change = c->saved_state_change;
	}
	write_unlock_bh(&sk->sk_callback_lock);
	khttp_tls_forget(c);
	/* The timers only queue work; once gone nothing re-arms them. */
	del_timer_sync(&c->timer);
	del_timer_sync(&c->pace_timer);
	if (c->client_counted)
		khttp_client_put(khttp_conn_net(c)->net->net_cookie, &c->peer);
	c->phase = KHTTP_CLOSED;
	khttp_conn_request_free(c);
	kfree(c->buf);
	c->buf = NULL;
	khttp_conn_sock_release(c->sock);
	c->sock = NULL;
	atomic_dec(&c->listener->conns);

	spin_lock_bh(&khttp_conn_net(c)->conns_lock);
	list_del(&c->node);
	spin_unlock_bh(&khttp_conn_net(c)->conns_lock);
	/* The work item frees c when it returns (khttp_conn_free). */
}

/* Stop sending, keep reading until the peer is done: see KHTTP_LINGER. */
static void khttp_conn_linger(struct khttp_conn *c)
{
	kernel_sock_shutdown(c->sock, SHUT_WR);
	khttp_conn_set_phase(c, KHTTP_LINGER);
}

static void khttp_conn_callbacks(struct khttp_conn *c, bool queue);

/*
 * The peer's address and port, and the address the client actually used
 * (a wildcard entry routes by it), read from the accepted socket as
 * getpeername() and getsockname() would, without their socket lock.
 */
static void khttp_conn_addrs(struct khttp_conn *c, const struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);

	if (sk->sk_family == AF_INET) {
		c->peer.family = AF_INET;
		c->peer.port = ntohs(inet->inet_dport);
		memcpy(c->peer.addr, &inet->inet_daddr, 4);
		memcpy(c->local.addr, &inet->inet_rcv_saddr, 4);
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		c->peer.family = AF_INET6;
		c->peer.port = ntohs(inet->inet_dport);
		memcpy(c->peer.addr, &sk->sk_v6_daddr, 16);
		c->peer.scope_id = ipv6_iface_scope_id(&sk->sk_v6_daddr,
							sk->sk_bound_dev_if);
		memcpy(c->local.addr, &sk->sk_v6_rcv_saddr, 16);
	}
#endif
}

void khttp_conn_start(struct khttp_listener *l, struct socket *sock)
{
	struct khttp_net *kn = l->kn;
	struct khttp_conn *c;
	struct sock *sk = sock->sk;

	khttp_stat_add(&kn->stats, KHTTP_STAT_CONN_ACCEPTED, 1);
	khttp_stat_add(&l->stats, KHTTP_STAT_CONN_ACCEPTED, 1);
	if (l->tls && khttp_tls_attach_file(sock)) {
		/* The socket went with the failure. */
		khttp_stat_add(&kn->stats, KHTTP_STAT_CONN_REFUSED, 1);
		khttp_stat_add(&l->stats, KHTTP_STAT_CONN_REFUSED, 1);
		return;
	}
	if (atomic_inc_return(&kn->nconns) >
	    READ_ONCE(kn->cfg.max_conns) || READ_ONCE(kn->stopping))
		goto refuse;
	c = kmem_cache_zalloc(khttp_conn_slab, GFP_KERNEL);
	if (!c)
		goto refuse;
	c->sock = sock;
	kref_get(&l->ref);
	c->listener = l;
	atomic_inc(&l->conns);
	c->local = l->addr;
	khttp_conn_addrs(c, sk);
	if ((READ_ONCE(kn->cfg.max_conns_per_client) ||
	     READ_ONCE(kn->cfg.max_conns_per_prefix))) {
		if (!khttp_client_get(&kn->cfg, kn->net->net_cookie, &c->peer)) {
			atomic_dec(&l->conns);
			khttp_listener_put(l);
			kmem_cache_free(khttp_conn_slab, c);
			khttp_stat_add(&kn->stats,
				       KHTTP_STAT_CLIENT_REFUSED, 1);
			khttp_stat_add(&l->stats, KHTTP_STAT_CLIENT_REFUSED, 1);
			goto refuse;
		}
		c->client_counted = true;
	}
	INIT_WORK(&c->work, khttp_conn_work);
	INIT_LIST_HEAD(&c->park_node);
	timer_setup(&c->timer, khttp_conn_timer, 0);
	timer_setup(&c->pace_timer, khttp_conn_pace, 0);
	/* Inherited from the listening socket (listener.c): no lock then. */
	if (!(tcp_sk(sk)->nonagle & TCP_NAGLE_OFF))
		tcp_sock_set_nodelay(sk);
	if (l->tls) {
		/* The agent handshakes first; callbacks after (tls_step). */
		c->tls = true;
		khttp_conn_set_phase(c, KHTTP_TLS);
		spin_lock_bh(&kn->conns_lock);
		list_add_tail(&c->node, &kn->conns);
		spin_unlock_bh(&kn->conns_lock);
		/* Refused (over tls-handshake-max): the step closes it. */
		if (khttp_tls_begin(c))
			khttp_conn_wake(c);
		return;
	}
	khttp_conn_callbacks(c, true);
	return;

refuse:
	/* Never plaintext on a TLS entry: just close. */
	if (!l->tls)
		khttp_resp_busy(sock);
	khttp_stat_add(&kn->stats, KHTTP_STAT_CONN_REFUSED, 1);
	khttp_stat_add(&l->stats, KHTTP_STAT_CONN_REFUSED, 1);
	if (!l->tls) {
		khttp_stat_add(&kn->stats, KHTTP_STAT_RESP_5XX, 1);
		khttp_stat_add(&l->stats, KHTTP_STAT_RESP_5XX, 1);
	}
	kernel_sock_shutdown(sock, SHUT_WR);
	khttp_conn_sock_release(sock);
	if (atomic_dec_and_test(&kn->nconns))
		wake_up_var(&kn->nconns);
}

/*
 * The socket is ours to read: take its callbacks, and look once (@queue:
 * queue the work for it; false from the work itself, which steps on).
 */
static void khttp_conn_callbacks(struct khttp_conn *c, bool queue)
{
	struct khttp_net *kn = khttp_conn_net(c);
	struct sock *sk = c->sock->sk;

	/* Before the callbacks can run the work: the work owns these. */
	khttp_conn_set_phase(c, KHTTP_IDLE);
	if (!c->tls) {
		spin_lock_bh(&kn->conns_lock);
		list_add_tail(&c->node, &kn->conns);
		spin_unlock_bh(&kn->conns_lock);
	}

	write_lock_bh(&sk->sk_callback_lock);
	c->saved_data_ready = sk->sk_data_ready;
	c->saved_write_space = sk->sk_write_space;
	c->saved_state_change = sk->sk_state_change;
	sk->sk_user_data = c;
	sk->sk_data_ready = khttp_conn_data_ready;
	sk->sk_write_space = khttp_conn_write_space;
	sk->sk_state_change = khttp_conn_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
	/* The request may have arrived with the handshake. */
	if (queue)
		khttp_conn_wake(c);
}

/* The TLS handshake: waiting for the agent's verdict (tls.c). */
static enum khttp_step khttp_conn_tls_step(struct khttp_conn *c)
{
	switch (khttp_tls_poll(c)) {
	case KHTTP_TLS_PENDING:
		return KHTTP_STEP_WAIT;
	case KHTTP_TLS_READY:
		khttp_stat(c, KHTTP_STAT_TLS_HANDSHAKES, 1);
		/* In the work already: read the request now, not on a requeue. */
		khttp_conn_callbacks(c, false);
		return KHTTP_STEP_AGAIN;
	case KHTTP_TLS_FAILED:
		break;
	}
	khttp_stat(c, KHTTP_STAT_TLS_HANDSHAKE_FAILED, 1);
	khttp_conn_close(c);
	return KHTTP_STEP_GONE;
}

/* ---- the request cycle ---- */

static int khttp_conn_recv(struct khttp_conn *c, char *dst, size_t len)
{
	struct kvec v = { .iov_base = dst, .iov_len = len };
	struct msghdr m = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	int n;

	n = kernel_recvmsg(c->sock, &m, &v, 1, len, m.msg_flags);
	if (n > 0)
		khttp_stat(c, KHTTP_STAT_BYTES_IN, n);
	return n;
}

/* Drop the bytes of the request just handled; keep pipelined ones. */
static void khttp_conn_consume(struct khttp_conn *c, u32 n)
{
	if (n >= c->buf_len) {
		c->buf_len = 0;
		return;
	}
	memmove(c->buf, c->buf + n, c->buf_len - n);
	c->buf_len -= n;
}

#define KHTTP_STEPS_PER_RUN	32	/* then requeue: fairness */

/* The response went out: close, or go on to the next request. */
enum khttp_step khttp_conn_next_request(struct khttp_conn *c)
{
	khttp_conn_request_reset(c);
	if (!c->keep_alive) {
		/*
		 * The client asked to close and sent nothing more: close now,
		 * as nginx does; TCP still delivers the response, then FIN.
		 * Anything unread would turn the close into a reset that
		 * destroys the response in flight: then linger instead.
		 */
		if (c->client_closes && !c->buf_len && !c->rq->body_left &&
		    !c->rq->body_chunked &&
		    skb_queue_empty_lockless(&c->sock->sk->sk_receive_queue)) {
			khttp_conn_close(c);
			return KHTTP_STEP_GONE;
		}
		khttp_conn_linger(c);
		return KHTTP_STEP_AGAIN;
	}
	c->req_new = true;
	if (c->rq->body_left || c->rq->body_chunked) {
		khttp_conn_set_phase(c, KHTTP_BODY);
		return KHTTP_STEP_AGAIN;
	}
	khttp_conn_set_phase(c, c->buf_len ? KHTTP_HEAD : KHTTP_IDLE);
	return KHTTP_STEP_AGAIN;
}

/* Skip a request body we do not use, keeping what follows it. */
static enum khttp_step khttp_conn_body_step(struct khttp_conn *c)
{
	int ret;

	while (c->rq->body_left || c->rq->body_chunked) {
		size_t used = 0;

		if (!c->buf_len) {
			ret = khttp_conn_recv(c, c->buf, c->buf_cap);
			if (ret == -EAGAIN)
				return KHTTP_STEP_WAIT;
			if (ret <= 0) {
				khttp_conn_close(c);
				return KHTTP_STEP_GONE;
			}
			c->buf_len = ret;
			khttp_conn_arm(c, READ_ONCE(khttp_conn_cfg(c)->idle_timeout_ms));
		}
		if (c->rq->body_chunked) {
			struct khttp_span data;

			ret = khttp_chunked_feed(&c->rq->chunk, c->buf, c->buf_len,
						 &used, &data);
			if (ret == KHTTP_ERROR) {
				/*
				 * The framing is lost, so nothing after it is
				 * answered; but drain, or unread input turns
				 * the close into a reset that can destroy the
				 * response already sent.
				 */
				c->rq->body_chunked = false;
				c->buf_len = 0;
				khttp_conn_linger(c);
				return KHTTP_STEP_AGAIN;
			}
			if (ret == KHTTP_DONE)
				c->rq->body_chunked = false;
		} else {
			used = min_t(u64, c->rq->body_left, c->buf_len);
			c->rq->body_left -= used;
		}
		khttp_conn_consume(c, used);
	}
	khttp_conn_set_phase(c, c->buf_len ? KHTTP_HEAD : KHTTP_IDLE);
	return KHTTP_STEP_AGAIN;
}

/* ---- requests for application pools (poolconn.c) ---- */

/* Where a pool request goes next, as poolconn.c says. */
static enum khttp_step khttp_conn_poolc(struct khttp_conn *c,
					enum khttp_poolc next)
{
	switch (next) {
	case KHTTP_POOLC_SUBMIT:
		next = khttp_poolc_submit(c);
		/* The head is queued (or refused): it leaves the buffer. */
		khttp_conn_consume(c, c->rq->req.head_len);
		return khttp_conn_poolc(c, next);
	case KHTTP_POOLC_COLLECT:
		khttp_conn_set_phase(c, KHTTP_COLLECT);
		return KHTTP_STEP_AGAIN;
	case KHTTP_POOLC_RELAY:
		khttp_conn_set_phase(c, KHTTP_POOL);
		return KHTTP_STEP_AGAIN;
	case KHTTP_POOLC_ANSWERED:
		khttp_conn_set_phase(c, KHTTP_SEND);
		return KHTTP_STEP_AGAIN;
	case KHTTP_POOLC_CLOSE:
		break;
	}
	khttp_conn_close(c);
	return KHTTP_STEP_GONE;
}

/* Read the body of a pool request; it lands after the head in c->buf. */
static enum khttp_step khttp_conn_collect_step(struct khttp_conn *c)
{
	enum khttp_poolc next;
	u32 room;
	int ret;

	for (;;) {
		next = khttp_poolc_collect(c, &room);
		if (next != KHTTP_POOLC_COLLECT)
			return khttp_conn_poolc(c, next);
		ret = khttp_conn_recv(c, c->buf + c->buf_len, room);
		if (ret == -EAGAIN)
			return KHTTP_STEP_WAIT;
		if (ret <= 0) {
			khttp_conn_close(c);
			return KHTTP_STEP_GONE;
		}
		c->buf_len += ret;
		khttp_conn_arm(c, READ_ONCE(khttp_conn_cfg(c)->idle_timeout_ms));
	}
}

/*
 * Pipelined requests wait behind this one: cork the socket, so their
 * answers leave in full segments instead of one small push each (nginx
 * batches them the same way).  The work run uncorks before it returns,
 * whatever comes next, so nothing waits on a corked socket.
 */
static void khttp_conn_cork(struct khttp_conn *c)
{
	if (c->buf_len && !c->corked && !c->tls) {
		tcp_sock_set_cork(c->sock->sk, true);
		c->corked = true;
	}
}

static void khttp_conn_uncork(struct khttp_conn *c)
{
	if (c->corked) {
		c->corked = false;
		tcp_sock_set_cork(c->sock->sk, false);
	}
}

/* What the request layer says serves the request just parsed. */
static enum khttp_step khttp_conn_serve(struct khttp_conn *c,
					enum khttp_serve next)
{
	switch (next) {
	case KHTTP_SERVE_POOL:
		return khttp_conn_poolc(c, khttp_poolc_begin(c));
	case KHTTP_SERVE_CWAIT:
		khttp_conn_set_phase(c, KHTTP_CWAIT);
		return KHTTP_STEP_WAIT;
	case KHTTP_SERVE_SEND:
	case KHTTP_SERVE_MISS:
		break;
	}
	/* The body, if any, is skipped after the response. */
	if (c->rq->req.chunked) {
		c->rq->body_chunked = true;
		khttp_chunked_init(&c->rq->chunk,
				   READ_ONCE(khttp_conn_cfg(c)->max_body_bytes));
	} else if (c->rq->req.has_cl) {
		c->rq->body_left = c->rq->req.content_length;
	}
	khttp_conn_consume(c, c->rq->req.head_len);
	khttp_conn_cork(c);
	if (!khttp_out_begun(&c->rq->out)) {
		khttp_conn_close(c);
		return KHTTP_STEP_GONE;
	}
	khttp_conn_set_phase(c, KHTTP_SEND);
	return KHTTP_STEP_AGAIN;
}

/* Room for a maximal head, and after it, where a pool request's body passes. */
static u32 khttp_conn_buf_full(const struct khttp_conn *c)
{
	return max_t(u32, READ_ONCE(khttp_conn_cfg(c)->max_header_bytes),
		     KHTTP_BUF_MIN) + KHTTP_BUF_SLACK;
}

/*
 * The connection fell idle, or is idle still when its timer asks
 * (c->cool).  Falling idle it keeps its receive buffer and request state
 * (with the head buffer) for the next request, a keep-alive client's
 * usual next step, instead of three zeroed allocations a request; the
 * timer's next expiry, at most header-timeout away (the head armed it),
 * sets c->cool and wakes it, and then it gives them back: an idle
 * connection holds only itself (struct khttp_conn).  One that never sent
 * a request keeps nothing.
 */
static void khttp_conn_idle_buffers(struct khttp_conn *c)
{
	if (c->requests_seen && !READ_ONCE(c->cool)) {
		if (c->warm)
			return;
		WRITE_ONCE(c->warm, true);
		/* After a pool answer the timer may be further out. */
		timer_reduce(&c->timer, jiffies +
			     msecs_to_jiffies(READ_ONCE(khttp_conn_cfg(c)->header_timeout_ms)));
		return;
	}
	WRITE_ONCE(c->cool, false);
	WRITE_ONCE(c->warm, false);
	kfree(c->buf);
	c->buf = NULL;
	khttp_conn_request_free(c);
}

static int khttp_conn_buf_grow(struct khttp_conn *c)
{
	u32 full = khttp_conn_buf_full(c);
	char *nb;

	if (c->buf_cap >= full)
		return -ENOSPC;
	nb = krealloc(c->buf, full, GFP_KERNEL);
	if (!nb)
		return -ENOMEM;
	c->buf = nb;
	c->buf_cap = full;
	return 0;
}

static enum khttp_step khttp_conn_head_step(struct khttp_conn *c)
{
	struct khttp_limits lim;
	int ret, n;

	if (!c->buf) {
		c->buf_cap = min_t(u32, KHTTP_BUF_INITIAL,
				   khttp_conn_buf_full(c));
		c->buf = kmalloc(c->buf_cap, GFP_KERNEL);
		if (!c->buf) {
			khttp_conn_close(c);
			return KHTTP_STEP_GONE;
		}
		c->buf_len = 0;
	}
	if (!c->rq && khttp_conn_request_new(c)) {
		khttp_conn_close(c);
		return KHTTP_STEP_GONE;
	}
	if (c->req_new) {
		lim.max_head = READ_ONCE(khttp_conn_cfg(c)->max_header_bytes);
		lim.max_target = 0;
		lim.max_headers = 0;
		khttp_req_init(&c->rq->req, &lim);
		c->req_new = false;
	}
	ret = KHTTP_NEED_MORE;
	if (c->buf_len)
		ret = khttp_parse(&c->rq->req, c->buf, c->buf_len);
	while (ret == KHTTP_NEED_MORE) {
		if (c->buf_len == c->buf_cap && khttp_conn_buf_grow(c))
			break;
		n = khttp_conn_recv(c, c->buf + c->buf_len,
				    c->buf_cap - c->buf_len);
		if (n == -EAGAIN) {
			if (c->phase == KHTTP_IDLE && !c->buf_len)
				khttp_conn_idle_buffers(c);
			return KHTTP_STEP_WAIT;
		}
		if (n <= 0) {
			khttp_conn_close(c);
			return KHTTP_STEP_GONE;
		}
		if (c->phase == KHTTP_IDLE) {
			WRITE_ONCE(c->warm, false);
			WRITE_ONCE(c->cool, false);
			khttp_conn_set_phase(c, KHTTP_HEAD);
		}
		c->buf_len += n;
		ret = khttp_parse(&c->rq->req, c->buf, c->buf_len);
	}
	if (ret == KHTTP_NEED_MORE) {
		/* Full buffer, parser still hungry: the limit shrank. */
		ret = KHTTP_ERROR;
		c->rq->req.status = 431;
	}
	/*
	 * A body follows the head: keep the slack it passes through.  Only
	 * then: a bodiless head in the small buffer never has that slack,
	 * and growing it was a 17 KiB zeroed allocation per GET.
	 */
	if (ret != KHTTP_ERROR &&
	    (c->rq->req.chunked ||
	     (c->rq->req.has_cl && c->rq->req.content_length)) &&
	    c->buf_cap - c->rq->req.head_len < KHTTP_BUF_SLACK &&
	    khttp_conn_buf_grow(c) == -ENOMEM) {
		khttp_conn_close(c);
		return KHTTP_STEP_GONE;
	}
	if (ret != KHTTP_ERROR)
		return khttp_conn_serve(c, khttp_request_serve(c,
						READ_ONCE(khttp_conn_net(c)->stopping)));
	khttp_stat(c, KHTTP_STAT_REQUESTS, 1);
	khttp_log_capture(c, false);
	c->keep_alive = false;
	khttp_resp_error(c, c->rq->req.status ? c->rq->req.status : 400);
	if (!khttp_out_begun(&c->rq->out)) {
		khttp_conn_close(c);
		return KHTTP_STEP_GONE;
	}
	khttp_conn_set_phase(c, KHTTP_SEND);
	return KHTTP_STEP_AGAIN;
}

/*
 * Read and drop until EOF, so that unread input does not turn our close
 * into a reset that destroys the last response in flight.  The linger
 * timer bounds how long a peer can keep us here.
 */
static enum khttp_step khttp_conn_linger_step(struct khttp_conn *c)
{
	char sink[256];
	int ret, i = 0;

	do {
		ret = khttp_conn_recv(c, sink, sizeof(sink));
	} while (ret > 0 && ++i < 64);
	if (ret > 0)
		return KHTTP_STEP_AGAIN;
	if (ret == -EAGAIN)
		return KHTTP_STEP_WAIT;
	khttp_conn_close(c);
	return KHTTP_STEP_GONE;
}

static enum khttp_step khttp_conn_step(struct khttp_conn *c)
{
	switch (c->phase) {
	case KHTTP_TLS:
		return khttp_conn_tls_step(c);
	case KHTTP_SEND:
		return khttp_conn_send_step(c);
	case KHTTP_BODY:
		return khttp_conn_body_step(c);
	case KHTTP_IDLE:
	case KHTTP_HEAD:
		return khttp_conn_head_step(c);
	case KHTTP_COLLECT:
		return khttp_conn_collect_step(c);
	case KHTTP_CWAIT:
		/* Woken by the fill (or abandon), or spuriously by the socket. */
		if (!list_empty_careful(&c->rq->cwait.node))
			return KHTTP_STEP_WAIT;
		return khttp_conn_serve(c, khttp_request_cache_again(c));
	case KHTTP_POOL:
		return khttp_conn_pool_step(c);
	case KHTTP_LINGER:
		return khttp_conn_linger_step(c);
	case KHTTP_CLOSED:
		break;
	}
	return KHTTP_STEP_GONE;
}

/* One run of the connection's steps; true: yield, and run again later. */
static bool khttp_conn_run(struct khttp_conn *c)
{
	enum khttp_step st;
	int steps = 0;

	if (READ_ONCE(khttp_conn_net(c)->stopping)) {
		khttp_conn_close(c);
		return false;
	}
	if (READ_ONCE(c->timer_fired)) {
		WRITE_ONCE(c->timer_fired, false);
		/*
		 * Fired for a deadline a phase has since moved later (the
		 * expiry read it just before): the timer must go on for it.
		 */
		if (c->phase != KHTTP_POOL && time_before(jiffies, c->deadline))
			khttp_conn_deadline(c, c->deadline);
		/* A stale expiry: the phase moved on and re-armed the timer. */
		if (c->phase == KHTTP_SEND &&
		    time_after_eq(jiffies, c->deadline)) {
			if (!khttp_conn_send_alive(c)) {
				khttp_conn_close(c);
				return false;
			}
		} else if (c->phase == KHTTP_CWAIT &&
			   time_after_eq(jiffies, c->deadline)) {
			/* Stop waiting: the step below asks the worker. */
			if (khttp_cache_unwait(&khttp_cache, &c->rq->cwait))
				khttp_stat(c, KHTTP_STAT_CACHE_LOCK_TIMEOUTS, 1);
		} else if (c->phase == KHTTP_TLS) {
			if (time_after_eq(jiffies, c->deadline) &&
			    khttp_tls_timeout(c)) {
				khttp_stat(c, KHTTP_STAT_TLS_HANDSHAKE_TIMEOUTS, 1);
				khttp_conn_close(c);
				return false;
			}
		} else if (c->phase != KHTTP_POOL &&
			   time_after_eq(jiffies, c->deadline)) {
			khttp_stat(c, KHTTP_STAT_CONN_TIMEOUT, 1);
			if (c->phase != KHTTP_HEAD) {
				khttp_conn_close(c);
				return false;
			}
			/* Tell a slow client why, then close. */
			c->keep_alive = false;
			khttp_stat(c, KHTTP_STAT_REQUESTS, 1);
			khttp_log_capture(c, false);
			khttp_resp_error(c, 408);
			if (!khttp_out_begun(&c->rq->out)) {
				khttp_conn_close(c);
				return false;
			}
			khttp_conn_set_phase(c, KHTTP_SEND);
		}
	}
	do {
		st = khttp_conn_step(c);
		if (st == KHTTP_STEP_AGAIN && ++steps >= KHTTP_STEPS_PER_RUN) {
			khttp_conn_uncork(c);
			return true;
		}
	} while (st == KHTTP_STEP_AGAIN);
	/* Closed, the socket went with its queue (tcp_close pushes it). */
	if (st != KHTTP_STEP_GONE)
		khttp_conn_uncork(c);
	return false;
}

/*
 * The runner, which the wake that queued (or parked) the connection made
 * the only one: run until no wake came meanwhile.  @by: the pool whose
 * reader runs it (a request for that pool needs no wake-up then).
 */
static void khttp_conn_own_run(struct khttp_conn *c, struct khttp_pool *by)
{
	bool yield;

	atomic_set(&c->own, KHTTP_OWN_RUNNING);
	for (;;) {
		c->run_by = by;
		yield = khttp_conn_run(c);
		c->run_by = NULL;
		if (c->phase == KHTTP_CLOSED) {
			khttp_conn_free(c);
			return;
		}
		if (yield) {
			/* Others' turn on this worker: the work item goes on. */
			atomic_set(&c->own, KHTTP_OWN_QUEUED);
			queue_work(khttp_wq, &c->work);
			return;
		}
		if (atomic_cmpxchg(&c->own, KHTTP_OWN_RUNNING,
				   KHTTP_OWN_IDLE) == KHTTP_OWN_RUNNING)
			return;
		atomic_set(&c->own, KHTTP_OWN_RUNNING);
	}
}

static void khttp_conn_work(struct work_struct *work)
{
	khttp_conn_own_run(container_of(work, struct khttp_conn, work), NULL);
}

/*
 * In the reader's system call, with khttp's credentials: a static file
 * the request names is opened as the work item would open it, not as
 * the worker's user.
 */
void khttp_conn_run_by(struct khttp_conn *c, struct khttp_pool *pool)
{
	const struct cred *old = override_creds(khttp_conn_cred);

	khttp_conn_own_run(c, pool);
	revert_creds(old);
}

int khttp_conns_init(void)
{
	khttp_conn_slab = KMEM_CACHE(khttp_conn, KHTTP_SLAB_UNMERGED);
	khttp_request_slab = KMEM_CACHE(khttp_request, KHTTP_SLAB_UNMERGED);
	khttp_conn_cred = prepare_kernel_cred(&init_task);
	if (!khttp_conn_slab || !khttp_request_slab || !khttp_conn_cred) {
		khttp_conns_exit();
		return -ENOMEM;
	}
	return 0;
}

/* After khttp_conns_stop_all() and the workqueue: every object is back. */
void khttp_conns_exit(void)
{
	if (khttp_conn_cred)
		put_cred(khttp_conn_cred);
	khttp_conn_cred = NULL;
	kmem_cache_destroy(khttp_request_slab);
	kmem_cache_destroy(khttp_conn_slab);
}

/* Close every connection of @kn's namespace and wait until all are freed. */
void khttp_conns_stop_all(struct khttp_net *kn)
{
	struct khttp_conn *c;

	spin_lock_bh(&kn->conns_lock);
	WRITE_ONCE(kn->stopping, true);
	list_for_each_entry(c, &kn->conns, node)
		khttp_conn_wake(c);
	spin_unlock_bh(&kn->conns_lock);
	/* Those a pool parked go to the work item (khttp_pool_park()). */
	khttp_pools_unpark(kn);
	wait_var_event(&kn->nconns, !atomic_read(&kn->nconns));
}
