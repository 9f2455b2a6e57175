// SPDX-License-Identifier: GPL-2.0
/*
 * Application pools: one bounded request queue per pool, read by workers
 * through /dev/httpq/<pool> (httpq.c), as http.sys does for IIS.
 *
 * A request (struct khttp_preq) is queued by its connection, delivered to
 * exactly one open file, and answered through it.  Whatever happens to the
 * other side, each request ends exactly once: answered by its worker, 502
 * when the worker holding it goes, 503 when the queue is full, the pool is
 * stopped or failed, or it waited past the queue timeout, or dropped when
 * its client left first.
 */
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/cred.h>
#include <linux/uidgid.h>
#include <net/sock.h>
#include "khttp.h"
#include "conn.h"
#include "pool.h"
#include "router.h"
#include "cachectl.h"
#include "resp.h"
#include "xmit.h"
#include "cache.h"
#include "parser.h"
#include "poolacct.h"
#include "httpqrec.h"
#include "routehdr.h"
#include "nlobj.h"
#include "net.h"

static atomic64_t khttp_preq_ids = ATOMIC64_INIT(0);
static atomic64_t khttp_pool_ids = ATOMIC64_INIT(0);

#define KHTTP_DEF_QUEUE_LENGTH		1000
#define KHTTP_DEF_QUEUE_TIMEOUT_MS	120000
#define KHTTP_DEF_RF_COUNT		5
#define KHTTP_DEF_RF_SECONDS		300
/*
 * How long a finished answer waits for the client's next request before
 * the connection's work item finishes it alone.  Longer than a busy
 * client's turn-around, so that under load the next request finishes it
 * (one run of the work item per request, not two; at one jiffy the timer
 * won that race on most requests of the dynamic bench); the access log
 * still gets the time the answer went out (preq->sent_at).  Meanwhile a
 * quiet connection keeps its request's memory.
 */
#define KHTTP_FINISH_DELAY		(HZ / 4)	/* jiffies */

void khttp_pool_stat(struct khttp_pool *pool, int idx)
{
	atomic64_inc(&pool->stats[idx]);
}

static void khttp_pool_release(struct kref *ref)
{
	struct khttp_pool *pool = container_of(ref, struct khttp_pool, ref);

	kfree(pool);
}

void khttp_pool_put(struct khttp_pool *pool)
{
	kref_put(&pool->ref, khttp_pool_release);
}

struct khttp_pool *khttp_pool_find(struct khttp_net *kn, const char *name)
{
	struct khttp_pool *pool;

	lockdep_assert_held(&khttp_conf_lock);
	list_for_each_entry(pool, &kn->pools, node)
		if (!strcmp(pool->name, name))
			return pool;
	return NULL;
}

u32 khttp_pool_count(struct khttp_net *kn)
{
	struct khttp_pool *pool;
	u32 n = 0;

	lockdep_assert_held(&khttp_conf_lock);
	list_for_each_entry(pool, &kn->pools, node)
		n++;
	return n;
}

static void khttp_preq_release(struct kref *ref)
{
	struct khttp_preq *p = container_of(ref, struct khttp_preq, ref);
	struct khttp_chunk *ch, *tmp;

	list_for_each_entry_safe(ch, tmp, &p->resp, node)
		kvfree(ch);
	if (p->centry)
		khttp_cache_abandon(&khttp_cache, p->centry);
	kvfree(p->rec);
	khttp_rhdrs_put(p->rhdrs);
	khttp_pool_put(p->pool);
	mutex_destroy(&p->send_lock);
	kfree(p);
}

void khttp_preq_put(struct khttp_preq *p)
{
	kref_put(&p->ref, khttp_preq_release);
}

/*
 * End a request from the pool side with @status (502 or 503), or reset
 * the connection if part of the worker's response has already gone out.
 */
void khttp_preq_fail(struct khttp_preq *p, u16 status)
{
	struct khttp_chunk *ch = khttp_resp_fail_chunk(status);
	struct khttp_centry *e = xchg(&p->centry, NULL);

	/* Requests waiting for this answer go to the pool themselves. */
	if (e)
		khttp_cache_abandon(&khttp_cache, e);

	spin_lock_bh(&p->lock);
	if (!p->done) {
		if (p->head_sent || !ch) {
			p->abort = true;
		} else {
			list_add_tail(&ch->node, &p->resp);
			p->resp_bytes += ch->len;
			p->status = status;
			ch = NULL;
		}
		p->keep_alive = false;
		p->done = true;
		if (p->conn)
			khttp_conn_wake(p->conn);
	}
	spin_unlock_bh(&p->lock);
	kvfree(ch);
	wake_up_all(&p->wq);
}

/* Take every queued request off @pool (under its lock) onto @list. */
void khttp_pool_take_queue(struct khttp_pool *pool, struct list_head *list)
{
	struct khttp_preq *p;

	lockdep_assert_held(&pool->lock);
	list_for_each_entry(p, &pool->queue, qnode)
		p->where = KHTTP_PREQ_DONE;
	list_splice_init(&pool->queue, list);
	khttp_qacct_unqueue(&pool->q, pool->q.queued);
}

void khttp_pool_fail_list(struct khttp_pool *pool, struct list_head *list,
			  u16 status, int stat)
{
	struct khttp_preq *p, *tmp;

	list_for_each_entry_safe(p, tmp, list, qnode) {
		list_del_init(&p->qnode);
		khttp_pool_stat(pool, stat);
		khttp_preq_fail(p, status);
		khttp_preq_put(p);
	}
}

/* Queue timeout: requests nobody read in time get 503. */
static void khttp_pool_timeout_work(struct work_struct *work)
{
	struct khttp_pool *pool = container_of(to_delayed_work(work),
					       struct khttp_pool, timeout_work);
	unsigned long tmo = msecs_to_jiffies(READ_ONCE(pool->queue_timeout_ms));
	struct khttp_preq *p, *tmp;
	LIST_HEAD(expired);
	bool more;

	spin_lock_bh(&pool->lock);
	list_for_each_entry_safe(p, tmp, &pool->queue, qnode) {
		if (time_before(jiffies, p->enqueued + tmo))
			break;
		list_move_tail(&p->qnode, &expired);
		p->where = KHTTP_PREQ_DONE;
		khttp_qacct_unqueue(&pool->q, 1);
	}
	more = pool->q.queued && !pool->dead;
	spin_unlock_bh(&pool->lock);
	khttp_pool_fail_list(pool, &expired, 503, KHTTP_PSTAT_QUEUE_TIMEOUT);
	if (more)
		queue_delayed_work(khttp_wq, &pool->timeout_work,
				   min_t(unsigned long, tmo, HZ));
}

/*
 * The response for a request the pool cannot take, per the pool's 503
 * verbosity: reset, a bare 503, or a 503 that says why.
 */
void khttp_pool_refuse(struct khttp_conn *c, struct khttp_pool *pool,
		       const char *why)
{
	u8 v = pool ? READ_ONCE(pool->verbosity) : KHTTP_VERBOSITY_LIMITED;

	c->keep_alive = false;
	if (v == KHTTP_VERBOSITY_BASIC) {
		/* http.sys "basic": drop the connection, say nothing. */
		sock_no_linger(c->sock->sk);
		return;
	}
	khttp_resp_unavailable(c, v == KHTTP_VERBOSITY_FULL ? why : NULL);
}

static u8 khttp_uapi_method(enum khttp_method m)
{
	switch (m) {
	case KHTTP_METHOD_GET: return KHTTP_HTTP_GET;
	case KHTTP_METHOD_HEAD: return KHTTP_HTTP_HEAD;
	case KHTTP_METHOD_POST: return KHTTP_HTTP_POST;
	case KHTTP_METHOD_PUT: return KHTTP_HTTP_PUT;
	case KHTTP_METHOD_DELETE: return KHTTP_HTTP_DELETE;
	case KHTTP_METHOD_OPTIONS: return KHTTP_HTTP_OPTIONS;
	case KHTTP_METHOD_PATCH: return KHTTP_HTTP_PATCH;
	case KHTTP_METHOD_TRACE: return KHTTP_HTTP_TRACE;
	case KHTTP_METHOD_CONNECT: return KHTTP_HTTP_CONNECT;
	default: return KHTTP_HTTP_OTHER;
	}
}

/*
 * Serialise the request on @c (head in c->buf, body in c->rq->body) into the
 * records a worker reads (httpqrec.c).
 */
static int khttp_preq_build(struct khttp_preq *p, struct khttp_conn *c)
{
	const struct khttp_req *r = &c->rq->req;
	struct khttp_req_src s = {
		.id = p->id,
		.client = &c->peer,
		.server = &c->local,
		.method = khttp_uapi_method(r->method),
		.version = r->version,
		.tls_version = c->tls_version,
		.tls_cipher = c->tls_cipher,
		.method_s = c->buf + r->method_span.off,
		.method_len = r->method_span.len,
		.target = c->buf + r->target.off,
		.target_len = r->target.len,
		.body = c->rq->body,
		.body_len = c->rq->body_len,
	};
	size_t size;
	char *eol;
	int err;

	/* The header block: after the request-line, before the empty line. */
	eol = strnstr(c->buf + r->target.off + r->target.len, "\r\n",
		      r->head_len - r->target.off - r->target.len);
	if (!eol)
		return -EINVAL;
	s.headers = eol + 2;
	s.headers_len = r->head_len - 2 - (eol + 2 - c->buf);

	err = khttp_req_rec_size(&s, &size);
	if (err)
		return err;
	p->rec = kvzalloc(size, GFP_KERNEL);
	if (!p->rec)
		return -ENOMEM;
	p->rec_len = khttp_req_rec_encode(&s, p->rec);
	return 0;
}

/* The client stayed quiet after its answer: finish the request now. */
static void khttp_preq_finish_timer(struct timer_list *t)
{
	struct khttp_preq *p = from_timer(p, t, finish_timer);

	struct khttp_conn *c;

	WRITE_ONCE(p->parkable, false);
	spin_lock_bh(&p->lock);
	c = p->conn;
	if (c)
		khttp_conn_wake(c);
	spin_unlock_bh(&p->lock);
	/*
	 * Parked, but no worker came for it (poolpark.c): the work item.
	 * Parked, the connection runs nowhere, so p->conn stays.
	 */
	if (c)
		khttp_pool_unpark_conn(p->pool, c);
}

/*
 * Hand the request on @c to @pool.  On success the connection waits in
 * KHTTP_POOL for the answer; otherwise c->rq->out holds the refusal (or, for
 * "basic" verbosity, nothing: the connection is reset).
 */
int khttp_pool_submit(struct khttp_conn *c, struct khttp_pool *pool)
{
	struct khttp_preq *p;
	const char *why = NULL;
	bool wake = false;
	char msg[128];
	int err;
	enum khttp_admit admit;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		khttp_resp_error(c, 500);
		return -ENOMEM;
	}
	kref_init(&p->ref);
	kref_get(&pool->ref);
	p->pool = pool;
	p->id = atomic64_inc_return(&khttp_preq_ids);
	INIT_LIST_HEAD(&p->qnode);
	INIT_LIST_HEAD(&p->resp);
	spin_lock_init(&p->lock);
	mutex_init(&p->send_lock);
	init_waitqueue_head(&p->wq);
	p->paced = !!c->rq->bucket;
	p->rhdrs = khttp_rhdrs_get(c->rq->rhdrs);
	p->pipelined = c->buf_len > c->rq->req.head_len;
	timer_setup(&p->finish_timer, khttp_preq_finish_timer, 0);
	p->keep_alive = c->keep_alive;
	p->is_head = c->rq->req.method == KHTTP_METHOD_HEAD;
	p->version = c->rq->req.version;
	err = khttp_preq_build(p, c);
	if (err) {
		khttp_preq_put(p);
		khttp_resp_error(c, err == -E2BIG ? 431 : 500);
		return err;
	}
	p->conn = c;
	/* Our answer fills the cache entry this request reserved. */
	p->centry = c->rq->cfill;
	c->rq->cfill = NULL;

	spin_lock_bh(&pool->lock);
	admit = khttp_pool_admit(pool->state, pool->dead, pool->q.queued,
				 READ_ONCE(pool->queue_length));
	switch (admit) {
	case KHTTP_ADMIT_FAILED:
		why = "the application pool is disabled by rapid-fail protection";
		khttp_pool_stat(pool, KHTTP_PSTAT_UNAVAILABLE);
		break;
	case KHTTP_ADMIT_STOPPED:
		why = "the application pool is stopped";
		khttp_pool_stat(pool, KHTTP_PSTAT_UNAVAILABLE);
		break;
	case KHTTP_ADMIT_FULL:
		snprintf(msg, sizeof(msg),
			 "the request queue of application pool '%s' is full",
			 pool->name);
		why = msg;
		khttp_pool_stat(pool, KHTTP_PSTAT_QUEUE_FULL);
		break;
	case KHTTP_ADMIT_OK:
		p->enqueued = jiffies;
		p->where = KHTTP_PREQ_QUEUED;
		list_add_tail(&p->qnode, &pool->queue);
		/*
		 * Readers empty the queue before they sleep again (and pass
		 * the wakeup on when they leave some behind), so only the
		 * first request of a batch needs to wake one.
		 */
		wake = khttp_qacct_enqueue(&pool->q);
		kref_get(&p->ref);	/* the queue's */
		khttp_pool_stat(pool, KHTTP_PSTAT_QUEUED);
		break;
	}
	spin_unlock_bh(&pool->lock);
	if (why) {
		p->conn = NULL;
		khttp_preq_put(p);
		khttp_pool_refuse(c, pool, why);
		return -EBUSY;
	}
	c->rq->preq = p;
	/* A reader running the connection takes it next (poolpark.c). */
	if (wake && c->run_by != pool)
		wake_up_poll(&pool->wq, EPOLLIN | EPOLLRDNORM);
	queue_delayed_work(khttp_wq, &pool->timeout_work,
			   min_t(unsigned long, HZ,
				 msecs_to_jiffies(READ_ONCE(pool->queue_timeout_ms))));
	return 0;
}

/*
 * The connection is going: cut it loose from its request.  A queued
 * request leaves the queue; one in a worker's hand stays there, and the
 * worker's answer is dropped.
 */
void khttp_preq_detach(struct khttp_conn *c)
{
	struct khttp_preq *p = c->rq->preq;
	struct khttp_pool *pool;
	bool drop = false, armed;

	if (!p)
		return;
	pool = p->pool;
	/* Wait out a worker's write() sending on our socket. */
	mutex_lock(&p->send_lock);
	spin_lock_bh(&p->lock);
	p->conn = NULL;
	if (!p->done)
		khttp_pool_stat(pool, KHTTP_PSTAT_CLIENT_GONE);
	spin_unlock_bh(&p->lock);
	armed = p->finish_armed;
	mutex_unlock(&p->send_lock);
	/* Armed only while conn was set: it cannot be rearmed now. */
	if (armed)
		del_timer_sync(&p->finish_timer);
	spin_lock_bh(&pool->lock);
	if (p->where == KHTTP_PREQ_QUEUED) {
		list_del_init(&p->qnode);
		khttp_qacct_unqueue(&pool->q, 1);
		p->where = KHTTP_PREQ_DONE;
		drop = true;
	}
	spin_unlock_bh(&pool->lock);
	wake_up_all(&p->wq);
	if (drop)
		khttp_preq_put(p);	/* the queue's reference */
	c->rq->preq = NULL;
	khttp_preq_put(p);
}

static long __khttp_preq_xmit(struct khttp_preq *p, struct socket *sock,
			      u64 cap)
{
	const struct khttp_chunkq q = {
		.lock = &p->lock,
		.list = &p->resp,
		.bytes = &p->resp_bytes,
		.sent = &p->sent,
	};
	bool freed;
	long ret;

	lockdep_assert_held(&p->send_lock);
	ret = khttp_xmit_chunks(sock, &q, cap, &freed);
	/* A worker may wait for the backlog to shrink. */
	if (freed && wq_has_sleeper(&p->wq))
		wake_up(&p->wq);
	return ret;
}

/*
 * Send the worker's response bytes queued on @p, in order, on @sock (the
 * connection's), at most @cap of them.  Returns the bytes sent, 0 if none
 * were queued, or -errno if none could go (-EAGAIN: the socket is full;
 * its write_space callback requeues the connection).
 */
long khttp_preq_xmit(struct khttp_preq *p, struct socket *sock, u64 cap)
{
	long ret;

	mutex_lock(&p->send_lock);
	ret = __khttp_preq_xmit(p, sock, cap);
	mutex_unlock(&p->send_lock);
	return ret;
}

/*
 * After the worker's write() sent what it had: must the connection's work
 * item run now?  Not if the response is still incomplete and all of it so
 * far went out.  Nor, for a complete one on a connection that stays open,
 * until the client's next request arrives: its data_ready callback runs
 * the work item, which then finishes this request and starts that one in
 * one go instead of being woken twice.  That needs the next request not
 * to be here already (read into conn->buf, or waiting in the socket), and
 * a timer in case the client stays quiet.
 */
static bool khttp_preq_wants_conn(struct khttp_preq *p, struct khttp_conn *c)
{
	bool sent_all, done, ka, abort;

	lockdep_assert_held(&p->send_lock);
	spin_lock_bh(&p->lock);
	sent_all = list_empty(&p->resp);
	done = p->done;
	ka = p->keep_alive;
	abort = p->abort;
	spin_unlock_bh(&p->lock);
	if (!sent_all || abort)
		return true;
	if (!done)
		return false;
	/* data_ready comes after the skb is queued: checked after done. */
	if (!ka || p->pipelined ||
	    !skb_queue_empty_lockless(&c->sock->sk->sk_receive_queue))
		return true;
	/* The request ends now, whenever the work item gets to log it. */
	WRITE_ONCE(p->sent_at, ktime_get());
	p->finish_armed = true;
	mod_timer(&p->finish_timer, jiffies + KHTTP_FINISH_DELAY);
	/* The next request may go straight to a sleeping reader. */
	WRITE_ONCE(p->parkable, true);
	return false;
}

/*
 * The worker added to the response.  Send it from the worker's own
 * write() when nobody else is sending and the route sets no pace: the
 * answer then leaves without waiting for the connection's work item to
 * be scheduled, and the client is woken from here.  The work item runs
 * to send what did not fit, and to finish the request.
 */
void khttp_preq_kick(struct khttp_preq *p)
{
	struct khttp_conn *c;
	bool queue = true;

	if (!p->paced && mutex_trylock(&p->send_lock)) {
		spin_lock_bh(&p->lock);
		c = p->conn;
		spin_unlock_bh(&p->lock);
		/* Detaching waits for send_lock: c->sock stays open. */
		if (c) {
			__khttp_preq_xmit(p, c->sock, U64_MAX);
			queue = khttp_preq_wants_conn(p, c);
		}
		mutex_unlock(&p->send_lock);
	}
	if (!queue)
		return;
	spin_lock_bh(&p->lock);
	if (p->conn)
		khttp_conn_wake(p->conn);
	spin_unlock_bh(&p->lock);
}

/* ---- configuration: typed specs from netlink.c, which knows attributes ---- */

static bool khttp_pool_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

/* Validate every setting in @s before anything changes. */
static int khttp_pool_check(const struct khttp_pool_spec *s,
			    struct netlink_ext_ack *extack)
{
	if (KHTTP_POOL_HAS(s, UID) &&
	    !uid_valid(make_kuid(current_user_ns(), s->uid))) {
		NL_SET_ERR_MSG(extack, "the owner is not a valid user id");
		return -EINVAL;
	}
	if (KHTTP_POOL_HAS(s, GID) &&
	    !gid_valid(make_kgid(current_user_ns(), s->gid))) {
		NL_SET_ERR_MSG(extack, "the group is not a valid group id");
		return -EINVAL;
	}
	return 0;
}

/* Apply settings; returns true if the device node must be remade. */
static bool khttp_pool_apply(struct khttp_pool *pool,
			     const struct khttp_pool_spec *s)
{
	bool node = false;

	if (KHTTP_POOL_HAS(s, QUEUE_LENGTH))
		WRITE_ONCE(pool->queue_length, s->queue_length);
	if (KHTTP_POOL_HAS(s, QUEUE_TIMEOUT_MS))
		WRITE_ONCE(pool->queue_timeout_ms, s->queue_timeout_ms);
	if (KHTTP_POOL_HAS(s, VERBOSITY))
		WRITE_ONCE(pool->verbosity, s->verbosity);
	if (KHTTP_POOL_HAS(s, RAPID_FAIL_COUNT))
		WRITE_ONCE(pool->rf_count, s->rf_count);
	if (KHTTP_POOL_HAS(s, RAPID_FAIL_SECONDS))
		WRITE_ONCE(pool->rf_seconds, s->rf_seconds);
	if (KHTTP_POOL_HAS(s, RAPID_FAIL_COUNT) ||
	    KHTTP_POOL_HAS(s, RAPID_FAIL_SECONDS)) {
		/* New rules, new count: old failures do not carry over. */
		spin_lock_bh(&pool->lock);
		khttp_rapid_fail_reset(&pool->rf);
		spin_unlock_bh(&pool->lock);
	}
	if (KHTTP_POOL_HAS(s, UID)) {
		pool->uid = make_kuid(current_user_ns(), s->uid);
		node = true;
	}
	if (KHTTP_POOL_HAS(s, GID)) {
		pool->gid = make_kgid(current_user_ns(), s->gid);
		node = true;
	}
	if (KHTTP_POOL_HAS(s, MODE)) {
		pool->mode = s->mode;
		node = true;
	}
	return node;
}

int khttp_pool_add(struct khttp_net *kn, const struct khttp_pool_spec *s,
		   struct netlink_ext_ack *extack)
{
	const char *name = s->name;
	struct khttp_pool *pool;
	int err, i;

	lockdep_assert_held(&khttp_conf_lock);
	if (!khttp_pool_name_ok(name)) {
		NL_SET_ERR_MSG(extack, "a pool name is 1-31 letters, digits, '-', '_' or '.'");
		return -EINVAL;
	}
	if (khttp_pool_find(kn, name)) {
		NL_SET_ERR_MSG(extack, "a pool with this name already exists");
		return -EEXIST;
	}
	if (KHTTP_POOL_HAS(s, STATE)) {
		NL_SET_ERR_MSG(extack, "a new pool is active; use 'pool set' to change its state");
		return -EINVAL;
	}
	err = khttp_pool_check(s, extack);
	if (err)
		return err;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	kref_init(&pool->ref);
	pool->id = atomic64_inc_return(&khttp_pool_ids);
	strscpy(pool->name, name, sizeof(pool->name));
	pool->kn = kn;
	memcpy(pool->ctag, kn->ctag, sizeof(pool->ctag));
	pool->ctag_len = kn->ctag_len;
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->queue);
	INIT_LIST_HEAD(&pool->parked);
	for (i = 0; i < ARRAY_SIZE(pool->inhand); i++)
		INIT_HLIST_HEAD(&pool->inhand[i]);
	init_waitqueue_head(&pool->wq);
	INIT_DELAYED_WORK(&pool->timeout_work, khttp_pool_timeout_work);
	for (i = 0; i < __KHTTP_PSTAT_MAX; i++)
		atomic64_set(&pool->stats[i], 0);
	pool->state = KHTTP_POOL_ACTIVE;
	pool->queue_length = KHTTP_DEF_QUEUE_LENGTH;
	pool->queue_timeout_ms = KHTTP_DEF_QUEUE_TIMEOUT_MS;
	pool->rf_count = KHTTP_DEF_RF_COUNT;
	pool->rf_seconds = KHTTP_DEF_RF_SECONDS;
	pool->verbosity = KHTTP_VERBOSITY_LIMITED;
	pool->uid = GLOBAL_ROOT_UID;
	pool->gid = GLOBAL_ROOT_GID;
	pool->mode = 0600;
	khttp_pool_apply(pool, s);
	err = khttp_httpq_create(pool);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot create the pool's device");
		khttp_pool_put(pool);
		return err;
	}
	list_add_tail(&pool->node, &kn->pools);
	return 0;
}

/* Fail everything queued, e.g. when the pool stops or fails. */
static void khttp_pool_flush_queue(struct khttp_pool *pool, int stat)
{
	LIST_HEAD(list);

	spin_lock_bh(&pool->lock);
	khttp_pool_take_queue(pool, &list);
	spin_unlock_bh(&pool->lock);
	khttp_pool_fail_list(pool, &list, 503, stat);
}

int khttp_pool_set(struct khttp_net *kn, const struct khttp_pool_spec *s,
		   struct netlink_ext_ack *extack)
{
	struct khttp_pool *pool;
	bool stop = false;
	int err;

	lockdep_assert_held(&khttp_conf_lock);
	pool = khttp_pool_find(kn, s->name);
	if (!pool) {
		NL_SET_ERR_MSG(extack, "no application pool has that name");
		return -ENOENT;
	}
	if (KHTTP_POOL_HAS(s, STATE) && s->state == KHTTP_POOL_FAILED) {
		NL_SET_ERR_MSG(extack, "state can be set to active or inactive only");
		return -EINVAL;
	}
	err = khttp_pool_check(s, extack);
	if (err)
		return err;
	if (khttp_pool_apply(pool, s)) {
		khttp_httpq_destroy(pool);
		err = khttp_httpq_create(pool);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot recreate the pool's device");
			return err;
		}
	}
	if (KHTTP_POOL_HAS(s, STATE)) {
		spin_lock_bh(&pool->lock);
		pool->state = s->state;
		khttp_rapid_fail_reset(&pool->rf);
		stop = pool->state != KHTTP_POOL_ACTIVE;
		spin_unlock_bh(&pool->lock);
		if (stop)
			khttp_pool_flush_queue(pool, KHTTP_PSTAT_UNAVAILABLE);
		wake_up_all(&pool->wq);
	}
	return 0;
}

/* Unlink and shut a pool down; its memory goes with the last reference. */
static void khttp_pool_destroy(struct khttp_pool *pool)
{
	LIST_HEAD(list);

	list_del(&pool->node);
	khttp_httpq_destroy(pool);
	spin_lock_bh(&pool->lock);
	pool->dead = true;
	khttp_pool_take_queue(pool, &list);
	spin_unlock_bh(&pool->lock);
	khttp_pool_fail_list(pool, &list, 503, KHTTP_PSTAT_UNAVAILABLE);
	/* Dead, it parks no more: what it has goes to the work items. */
	khttp_pool_unpark_all(pool);
	/* Readers wake with ENODEV; what they hold gets 502. */
	khttp_httpq_release_all(pool);
	wake_up_all(&pool->wq);
	cancel_delayed_work_sync(&pool->timeout_work);
	khttp_pool_put(pool);
}

int khttp_pool_del(struct khttp_net *kn, const char *name, bool force,
		   struct netlink_ext_ack *extack)
{
	struct khttp_pool *pool;
	int err;

	lockdep_assert_held(&khttp_conf_lock);
	pool = khttp_pool_find(kn, name);
	if (!pool) {
		NL_SET_ERR_MSG(extack, "no application pool has that name");
		return -ENOENT;
	}
	err = khttp_routes_drop_pool(kn, pool, force, extack);
	if (err)
		return err;
	khttp_pool_destroy(pool);
	return 0;
}

static void khttp_pool_info(struct khttp_pool *pool,
			    struct khttp_pool_info *pi)
{
	int i;

	spin_lock_bh(&pool->lock);
	pi->queued = pool->q.queued;
	pi->queued_max = pool->q.queued_max;
	pi->in_hand = pool->q.in_hand;
	pi->readers = pool->nreaders;
	pi->state = pool->state;
	spin_unlock_bh(&pool->lock);
	pi->name = pool->name;
	pi->queue_length = pool->queue_length;
	pi->queue_timeout_ms = pool->queue_timeout_ms;
	pi->rf_count = pool->rf_count;
	pi->rf_seconds = pool->rf_seconds;
	pi->uid = from_kuid_munged(current_user_ns(), pool->uid);
	pi->gid = from_kgid_munged(current_user_ns(), pool->gid);
	pi->mode = pool->mode;
	pi->verbosity = pool->verbosity;
	for (i = 0; i < __KHTTP_PSTAT_MAX; i++)
		pi->stats[i] = atomic64_read(&pool->stats[i]);
}

long khttp_pool_walk(struct khttp_net *kn, long skip,
		     int (*fn)(const struct khttp_pool_info *pi, void *arg),
		     void *arg)
{
	struct khttp_pool_info pi;
	struct khttp_pool *pool;
	long idx = 0, done = 0;

	mutex_lock(&khttp_conf_lock);
	list_for_each_entry(pool, &kn->pools, node) {
		if (idx++ < skip)
			continue;
		khttp_pool_info(pool, &pi);
		if (fn(&pi, arg))
			break;
		done++;
	}
	mutex_unlock(&khttp_conf_lock);
	return done;
}

/*
 * The namespace (or the module) goes: every pool of @kn is destroyed; a
 * worker's open file keeps only the pool's memory, and reads ENODEV.
 */
void khttp_pools_exit(struct khttp_net *kn)
{
	struct khttp_pool *pool, *tmp;

	mutex_lock(&khttp_conf_lock);
	list_for_each_entry_safe(pool, tmp, &kn->pools, node)
		khttp_pool_destroy(pool);
	mutex_unlock(&khttp_conf_lock);
}
