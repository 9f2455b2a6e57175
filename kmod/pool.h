/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Application pools (pool.c), their requests on connections
 * (poolconn.c) and their devices (httpq.c).
 */
#ifndef KHTTP_POOL_H
#define KHTTP_POOL_H

#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/khttp.h>
#include "poolacct.h"

struct device;
struct genl_info;
struct khttp_centry;
struct khttp_conn;
struct khttp_net;
struct khttp_rhdrs;
struct netlink_callback;
struct netlink_ext_ack;
struct sk_buff;
struct socket;

/* pool.c: application pools and their request queues. */
struct khttp_pool {
	struct kref ref;
	struct list_head node;		/* kn->pools, under conf lock */
	struct khttp_net *kn;		/* its namespace, while not dead */
	char ctag[24];			/* its namespace's cache key tag */
	u32 ctag_len;
	char name[KHTTP_POOL_NAME_MAX];
	u64 id;				/* unique while loaded: cache owner */
	int minor;
	struct device *dev;

	/* Settings: written under conf lock, read with READ_ONCE. */
	u32 queue_length;
	u32 queue_timeout_ms;
	u32 rf_count;
	u32 rf_seconds;
	u8 verbosity;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;

	/* The queue; everything below is under lock. */
	spinlock_t lock;
	u8 state;			/* enum khttp_pool_state */
	bool dead;			/* deleted: readers get ENODEV */
	struct list_head queue;		/* khttp_preq, oldest first */
	struct khttp_qacct q;		/* queued, its high-water, in hand */
	u32 nreaders;
	u32 nrings;			/* open files with a ring */
	struct list_head parked;	/* khttp_conn, for a waiting reader */
	struct hlist_head inhand[64];	/* delivered requests, by id */
	struct khttp_rapid_fail rf;

	wait_queue_head_t wq;		/* readers */
	struct delayed_work timeout_work;
	atomic64_t stats[__KHTTP_PSTAT_MAX];
};

/*
 * One request handed to a pool: where the device side (readers, writers)
 * and the connection meet.  Referenced by the connection and, while queued
 * or in hand, by the pool side.
 */
struct khttp_preq {
	struct kref ref;
	u64 id;
	struct khttp_pool *pool;	/* holds a reference */
	unsigned long enqueued;		/* jiffies */

	/* Pool side, under pool->lock. */
	struct list_head qnode;		/* pool->queue */
	struct hlist_node hnode;	/* pool->inhand */
	void *owner;			/* the open file that read it */
	u8 where;			/* KHTTP_PREQ_* */
	bool ring;			/* delivered through owner's ring */

	/* Request records; immutable once queued.  rec_off: reader's. */
	char *rec;
	size_t rec_len;
	size_t rec_off;

	/*
	 * Response, under lock.  Whoever holds send_lock sends resp in order
	 * on the connection's socket: the connection's work item, or the
	 * worker's write() itself, so that an answer need not wait for the
	 * work item to be scheduled.  Holding send_lock with conn set keeps
	 * the connection (and its socket) from closing.
	 */
	spinlock_t lock;
	struct mutex send_lock;
	struct khttp_conn *conn;	/* NULL once the client is gone */
	struct list_head resp;		/* khttp_chunk; the first one in flight */
	size_t resp_bytes;
	u64 sent;			/* bytes sent, under lock */
	u64 sent_counted;		/* of those, in the conn's stats */
	bool paced;			/* the route caps its send rate */
	struct khttp_rhdrs *rhdrs;	/* the route's added headers, a ref */
	bool pipelined;			/* the next request is in conn->buf */
	bool finish_armed;		/* under send_lock */
	bool parkable;			/* done, awaiting the next request */
	struct timer_list finish_timer;	/* see khttp_preq_kick() */
	ktime_t sent_at;		/* the whole answer went out: the log's end */
	bool head_sent;			/* the worker's response began */
	bool done;			/* resp holds the whole response */
	bool abort;			/* reset the connection */
	bool keep_alive;
	bool is_head;			/* HEAD: bodies are dropped */
	u8 version;
	bool chunked;			/* response body in chunked coding */
	u64 body_left;			/* with Content-Length: bytes to come */
	u16 status;
	wait_queue_head_t wq;		/* writers waiting for room */
	struct khttp_centry *centry;	/* cache reservation to fill */
};

enum {
	KHTTP_PREQ_NEW,
	KHTTP_PREQ_QUEUED,
	KHTTP_PREQ_IN_HAND,
	KHTTP_PREQ_DONE,
};

#define KHTTP_RESP_BACKLOG	(1U << 20)	/* response bytes buffered */

void khttp_pools_exit(struct khttp_net *kn);
struct khttp_pool *khttp_pool_find(struct khttp_net *kn, const char *name);
void khttp_pool_put(struct khttp_pool *pool);
u32 khttp_pool_count(struct khttp_net *kn);
void khttp_pool_stat(struct khttp_pool *pool, int idx);
int khttp_pool_submit(struct khttp_conn *c, struct khttp_pool *pool);
void khttp_pool_refuse(struct khttp_conn *c, struct khttp_pool *pool,
		       const char *why);
void khttp_preq_put(struct khttp_preq *p);
void khttp_preq_detach(struct khttp_conn *c);
long khttp_preq_xmit(struct khttp_preq *p, struct socket *sock, u64 cap);
void khttp_preq_kick(struct khttp_preq *p);
void khttp_preq_fail(struct khttp_preq *p, u16 status);
void khttp_pool_take_queue(struct khttp_pool *pool, struct list_head *list);
void khttp_pool_fail_list(struct khttp_pool *pool, struct list_head *list,
			  u16 status, int stat);

/* poolpark.c: a reader of the pool runs the next request's connection. */
bool khttp_pool_park(struct khttp_conn *c);
void khttp_pool_unpark_all(struct khttp_pool *pool);
void khttp_pools_unpark(struct khttp_net *kn);
void khttp_pool_unpark_conn(struct khttp_pool *pool, struct khttp_conn *c);
int khttp_pool_run_parked(struct khttp_pool *pool);

/* poolconn.c: a pool request on its connection. */
enum khttp_poolc {
	KHTTP_POOLC_SUBMIT,	/* the request is whole: khttp_poolc_submit() */
	KHTTP_POOLC_COLLECT,	/* read more body into c->buf */
	KHTTP_POOLC_RELAY,	/* queued: relay the answer */
	KHTTP_POOLC_ANSWERED,	/* c->out holds khttp's own answer */
	KHTTP_POOLC_CLOSE,	/* reset or out of memory: close */
};

enum khttp_relay {
	KHTTP_RELAY_SEND,	/* answer bytes wait: khttp_preq_xmit() */
	KHTTP_RELAY_IDLE,	/* nothing to send yet */
	KHTTP_RELAY_DONE,	/* the answer went out whole */
	KHTTP_RELAY_ABORT,	/* reset the connection */
};

/* After routing: read a body, or hand the request over now. */
enum khttp_poolc khttp_poolc_begin(struct khttp_conn *c);
/* Take the body bytes after the head; *room: how much more to read. */
enum khttp_poolc khttp_poolc_collect(struct khttp_conn *c, u32 *room);
/* Queue the request (its head still in c->buf) on c->pool. */
enum khttp_poolc khttp_poolc_submit(struct khttp_conn *c);
/* Where the worker's answer stands; *backlog: bytes waiting. */
enum khttp_relay khttp_poolc_relay(struct khttp_conn *c, size_t *backlog);

/* httpq.c: /dev/httpq/<pool>. */
int khttp_httpq_init(void);
void khttp_httpq_exit(void);
int khttp_httpq_create(struct khttp_pool *pool);
void khttp_httpq_destroy(struct khttp_pool *pool);
void khttp_httpq_release_all(struct khttp_pool *pool);

#endif /* KHTTP_POOL_H */
