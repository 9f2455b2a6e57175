/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khttp internals shared between the module's files.
 */
#ifndef KHTTP_H
#define KHTTP_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/splice.h>
#include <linux/workqueue.h>
#include <linux/khttp.h>
#include "parser.h"
#include "cache.h"
#include "poolacct.h"
#include "httpqrec.h"
#include "resp.h"

struct khttp_pool;
struct khttp_preq;

#define KHTTP_LOG_PREFIX "khttp: "

/* Tunables; changed over netlink, read locklessly on the data path. */
struct khttp_config {
	u32 max_conns;
	u32 max_header_bytes;
	u64 max_body_bytes;
	u32 header_timeout_ms;
	u32 idle_timeout_ms;
	u32 max_conns_per_client;
	u32 max_conns_per_prefix;
	u32 min_send_rate;
};

extern struct khttp_config khttp_cfg;
extern struct workqueue_struct *khttp_wq;

/*
 * NL_SET_ERR_MSG() takes only literals; plain-C helpers hand back static
 * message pointers, which are just as permanent.
 */
static inline void khttp_extack(struct netlink_ext_ack *extack,
				const char *msg)
{
	if (extack && msg)
		extack->_msg = msg;
}

/* Serialises configuration changes (netlink) and module teardown. */
extern struct mutex khttp_conf_lock;

/* stats.c: per-cpu counters, indexed by enum khttp_stat. */
struct khttp_stats {
	u64 __percpu *cnt;
};

int khttp_stats_init(struct khttp_stats *s);
void khttp_stats_free(struct khttp_stats *s);
void khttp_stats_sum(const struct khttp_stats *s, u64 out[__KHTTP_STAT_MAX]);

static inline void khttp_stat_add(struct khttp_stats *s, int idx, u64 v)
{
	this_cpu_add(s->cnt[idx], v);
}

extern struct khttp_stats khttp_global_stats;

/* addr.c */
struct sockaddr_storage;
int khttp_addr_check(const struct khttp_addr *a,
		     struct netlink_ext_ack *extack);
bool khttp_addr_equal(const struct khttp_addr *a, const struct khttp_addr *b);
int khttp_addr_to_sockaddr(const struct khttp_addr *a,
			   struct sockaddr_storage *ss);

/* listener.c: the IP listen list. */
struct khttp_listener {
	struct list_head node;		/* khttp_listeners, under conf lock */
	struct kref ref;		/* list + each connection */
	struct khttp_addr addr;
	struct socket *sock;
	struct work_struct accept_work;
	struct khttp_stats stats;
	atomic_t conns;			/* connections from this entry */
	bool dead;			/* deleted; connections wind down */
	void (*saved_data_ready)(struct sock *sk);
};

extern struct list_head khttp_listeners;
int khttp_listener_add(const struct khttp_addr *a,
		       struct netlink_ext_ack *extack);
int khttp_listener_del(const struct khttp_addr *a,
		       struct netlink_ext_ack *extack);
void khttp_listener_put(struct khttp_listener *l);
void khttp_listeners_stop_all(void);
u32 khttp_listener_count(void);

/* conn.c: accepted connections. */
enum khttp_phase {
	KHTTP_IDLE,	/* waiting for the first byte of a request */
	KHTTP_HEAD,	/* reading a request head (header timeout runs) */
	KHTTP_BODY,	/* discarding a request body we do not use */
	KHTTP_SEND,	/* sending a response */
	KHTTP_COLLECT,	/* reading a request body to hand to a pool */
	KHTTP_CWAIT,	/* waiting for another request to fill the cache */
	KHTTP_POOL,	/* waiting for, then sending, a worker's response */
	KHTTP_LINGER,	/* response sent, write side shut, draining input */
	KHTTP_CLOSED,
};

struct khttp_conn {
	struct list_head node;		/* khttp_conns, under its spinlock */
	struct socket *sock;
	struct khttp_listener *listener;	/* holds a reference */
	struct work_struct work;	/* all processing, serialised */
	struct work_struct free_work;
	struct timer_list timer;
	unsigned long deadline;
	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);
	struct khttp_addr local;
	struct khttp_addr peer;

	enum khttp_phase phase;
	bool timer_fired;
	bool keep_alive;
	bool client_closes;		/* the request asked to close */
	bool requests_seen;
	bool req_new;			/* next head starts a new request */

	/* Request head; allocated while a request is in flight. */
	char *buf;
	u32 buf_len;
	u32 buf_cap;
	struct khttp_req req;

	/* Body being discarded. */
	u64 body_left;
	bool body_chunked;
	struct khttp_chunked chunk;

	/* Response: head bytes, then an optional file range. */
	char *out;
	u32 out_len;
	u32 out_off;
	u32 out_cap;
	struct file *file;
	loff_t file_pos;
	u64 file_left;

	/* A request handed to an application pool. */
	struct khttp_pool *pool;	/* target while collecting the body */
	struct khttp_preq *preq;	/* holds a reference */
	char *body;			/* request body being collected */
	u64 body_len;
	u64 body_cap;

	/* Response cache. */
	bool route_cache;		/* the route allows caching */
	bool cache_waited;		/* waited once for another's fill */
	char *ckey;			/* this request's cache key */
	u32 ckey_len;
	struct khttp_cwait cwait;	/* waiting for a pending entry */
	/* Quality of service. */
	struct khttp_bucket *bucket;	/* the route's send-rate cap */
	struct timer_list pace_timer;	/* wakes a throttled sender */
	bool client_counted;		/* counted in per-client limits */
	bool throttled;			/* this response waited for tokens */
	unsigned long last_progress;	/* jiffies: bytes last went out */
	unsigned long rate_mark;	/* min-send-rate window start */
	u64 rate_mark_bytes;

	/* Access log: the request's record and its response so far. */
	struct khttp_logrec *log;
	u16 resp_status;
	u8 resp_source;			/* enum khttp_log_source */
	u64 resp_bytes;

	struct khttp_centry *centry;	/* being sent; holds a reference */
	struct khttp_centry *cfill;	/* reserved for our answer to fill */
	u64 cbody_off;
	u64 cbody_left;
};

void khttp_conn_start(struct khttp_listener *l, struct socket *sock);
void khttp_stat(struct khttp_conn *c, int idx, u64 v);

/* log.c: the access log. */
struct khttp_logrec;
void khttp_log_capture(struct khttp_conn *c, bool parsed);
void khttp_log_emit(struct khttp_conn *c);
void khttp_log_drop(struct khttp_conn *c);
void khttp_conns_stop_all(void);
s64 khttp_conn_active(void);

/* pool.c: application pools and their request queues. */
struct khttp_pool {
	struct kref ref;
	struct list_head node;		/* khttp_pools, under conf lock */
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
	bool pipelined;			/* the next request is in conn->buf */
	bool finish_armed;		/* under send_lock */
	struct timer_list finish_timer;	/* see khttp_preq_kick() */
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

struct khttp_chunk {
	struct list_head node;
	u32 len;
	u32 off;
	char data[];
};

#define KHTTP_RESP_BACKLOG	(1U << 20)	/* response bytes buffered */

extern struct list_head khttp_pools;
int khttp_pools_init(void);
void khttp_pools_exit(void);
struct khttp_pool *khttp_pool_find(const char *name);
void khttp_pool_put(struct khttp_pool *pool);
u32 khttp_pool_count(void);
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
struct khttp_chunk *khttp_chunk_new(size_t len);

/* httpq.c: /dev/httpq/<pool>. */
int khttp_httpq_init(void);
void khttp_httpq_exit(void);
int khttp_httpq_create(struct khttp_pool *pool);
void khttp_httpq_destroy(struct khttp_pool *pool);
void khttp_httpq_release_all(struct khttp_pool *pool);

/* router.c, for pools */
int khttp_routes_drop_pool(struct khttp_pool *pool, bool force,
			   struct netlink_ext_ack *extack);

/* conn.c: drop the response in progress (before a new one is built). */
void khttp_conn_reset_response(struct khttp_conn *c);

/* static.c: files from a route's directory. */
struct path;
struct dentry;
struct vfsmount;

/*
 * Exported by fs/namei.c but declared only in fs/internal.h: the one VFS
 * call that resolves a name relative to a directory with lookup flags, which
 * is what LOOKUP_BENEATH needs.
 */
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);
void khttp_static_serve(struct khttp_conn *c, const struct path *root,
			const char *rel, const char *urlpath);
int khttp_static_send(struct khttp_conn *c, u64 cap);
int khttp_static_lookup(const struct path *root, const char *rel,
			struct path *out);

/* What sd->u.data of khttp_splice_file() points at (first member). */
struct khttp_splice_sink {
	splice_actor *buf_fn;		/* called for each pipe buffer */
};

ssize_t khttp_splice_file(struct file *f, struct splice_desc *sd);

/* An open static file as a response sees it. */
struct khttp_sfile {
	struct file *file;
	const char *type;		/* Content-Type */
	u64 size;
	struct timespec64 mtime, ctime;	/* as when opened */
	umode_t mode;
	char etag[64];
	char lastmod[30];
};

void khttp_sfile_init(struct khttp_sfile *sf, struct file *f,
		      const char *name);
int khttp_sfile_headers(const struct khttp_sfile *sf, char *out, size_t len);
void khttp_static_respond(struct khttp_conn *c, const struct khttp_sfile *sf,
			  struct khttp_centry *e);

/* staticcache.c: static files in the response cache. */
bool khttp_static_cache_hit(struct khttp_conn *c, const struct path *root,
			    const char *rel, const char *urlpath);
struct khttp_centry *khttp_static_cache_fill(struct khttp_conn *c,
					     const struct path *root,
					     const char *rel, const char *name,
					     const struct khttp_sfile *sf);
bool khttp_cfile_pinned(const struct khttp_centry *e);
int khttp_cfile_send(struct khttp_conn *c, u64 cap);
void khttp_static_cache_forget(const struct path *root);
int khttp_cfile_describe(const struct khttp_centry *e, char *buf, int len);

/* cachectl.c: the response cache as the module uses it. */
extern struct khttp_cache khttp_cache;
u64 khttp_now_ms(void);
int khttp_cachectl_init(void);
void khttp_cachectl_exit(void);
void khttp_cache_stats(u64 v[__KHTTP_STAT_MAX]);
int khttp_cache_make_key(struct khttp_conn *c, const char *path, u32 pathlen);
int khttp_cache_make_file_key(struct khttp_conn *c, const char *path,
			      u32 pathlen);
void khttp_cache_respond(struct khttp_conn *c, struct khttp_centry *e);
void khttp_cache_store(struct khttp_centry *e, u64 owner, bool cacheable,
		       u16 status, const char *hdrs, u32 hdrs_len,
		       const char *body, u32 body_len, u32 ttl);

/* router.c: the route table, replaced as a whole under RCU. */
struct khttp_route;
int khttp_router_init(void);
void khttp_router_exit(void);
int khttp_route_del(const char *prefix, struct netlink_ext_ack *extack);
u32 khttp_route_count(void);
int khttp_route_dispatch(struct khttp_conn *c, const char *path, u32 pathlen);

/* qos.c: throttling and per-client limits. */
struct khttp_bucket {
	struct kref ref;
	spinlock_t lock;
	u64 rate;			/* bytes per second */
	u64 burst;
	u64 tokens;
	u64 last_ns;
};

u64 khttp_tokens_refill(u64 tokens, u64 burst, u64 rate, u64 elapsed_ns);
u64 khttp_tokens_wait(u64 tokens, u64 need, u64 rate);
struct khttp_bucket *khttp_bucket_new(u64 rate);
void khttp_bucket_put(struct khttp_bucket *b);
u64 khttp_bucket_take(struct khttp_bucket *b, u64 want, u64 *wait_ns);
void khttp_bucket_refund(struct khttp_bucket *b, u64 n);
bool khttp_client_get(const struct khttp_addr *peer);
void khttp_client_put(const struct khttp_addr *peer);

/* netlink.c */
int khttp_netlink_init(void);
void khttp_netlink_exit(void);

#endif /* KHTTP_H */
