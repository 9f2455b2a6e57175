/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connections (conn.c), and the request each carries at a time.
 */
#ifndef KHTTP_CONN_H
#define KHTTP_CONN_H

#include <linux/list.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/khttp.h>
#include "parser.h"
#include "cache.h"
#include "xmit.h"

struct khttp_bucket;
struct khttp_errpages;
struct khttp_rhdrs;
struct khttp_listener;
struct khttp_net;
struct khttp_logrec;
struct khttp_pool;
struct khttp_preq;
struct khttp_tls_hs;
struct sock;
struct socket;

/* conn.c: accepted connections. */
enum khttp_phase {
	KHTTP_TLS,	/* waiting for the TLS agent's handshake (tls.c) */
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

/*
 * One request, from its head to the end of its response: what it asked
 * (the parsed head; its bytes are in the connection's buffer), what
 * serves it, and its response on the way out.  Allocated (from its own
 * slab cache) when a connection's next request begins to arrive, reused
 * by the requests pipelined behind it, and freed when the connection
 * falls idle, so an idle keep-alive connection carries none of it; what
 * it holds (the response, the cache entry, the pool request, the log
 * record) is allocated only while a request is in flight.
 */
struct khttp_request {
	struct khttp_conn *conn;	/* the connection it arrived on */
	struct khttp_req req;		/* the parsed head */

	/* A body we do not use, skipped after the response. */
	u64 body_left;
	struct khttp_chunked chunk;
	bool body_chunked;

	/* Routing and the response cache. */
	bool route_cache;		/* the route allows caching */
	bool cache_waited;		/* waited once for another's fill */
	bool throttled;			/* this response waited for tokens */
	u8 precomp;			/* precomp.h: what it may get */
	u32 ckey_len;
	char *ckey;			/* this request's cache key */
	struct khttp_cwait cwait;	/* waiting for a pending entry */
	struct khttp_bucket *bucket;	/* the route's send-rate cap */
	struct khttp_rhdrs *rhdrs;	/* the route's added headers */
	struct khttp_errpages *errpages;	/* the route's error pages */

	/* A request for an application pool (poolconn.c). */
	struct khttp_pool *pool;	/* target while collecting the body */
	struct khttp_preq *preq;	/* holds a reference */
	char *body;			/* request body being collected */
	u64 body_len;
	u64 body_cap;

	/* The response: head bytes, then an optional body (xmit.h). */
	struct khttp_out out;
	struct khttp_centry *centry;	/* being sent; holds a reference */
	struct khttp_centry *cfill;	/* reserved for our answer to fill */

	/* Access log: the request's record and its response so far. */
	struct khttp_logrec *log;
	u16 resp_status;
	u8 resp_source;			/* enum khttp_log_source */
	u64 resp_bytes;
};

/* A connection: the socket, its callbacks and timers, and the phase. */
struct khttp_conn {
	struct list_head node;		/* khttp_conns, under its spinlock */
	struct socket *sock;
	struct khttp_listener *listener;	/* holds a reference */
	struct work_struct work;	/* all processing, serialised */
	atomic_t own;			/* enum khttp_own: who runs it next */
	struct list_head park_node;	/* a pool's parked list (pool.c) */
	struct khttp_pool *run_by;	/* a reader of this pool runs it */
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
	bool client_counted;		/* counted in per-client limits */
	bool tls;			/* a TLS entry's: kTLS under the socket */
	bool corked;			/* TCP_CORK on: pipelined answers batch */
	bool warm;			/* idle, still holding c->buf and c->rq */
	bool cool;			/* the timer asks it to give them back */
	u16 tls_version, tls_cipher;	/* from kTLS once handed back */
	struct khttp_tls_hs *hs;	/* in the TLS handshake (tls.c) */

	/* Received bytes: a request head, then what was pipelined. */
	char *buf;
	u32 buf_len;
	u32 buf_cap;

	/* Sending: the route's pace, and the reader's (min-send-rate). */
	struct timer_list pace_timer;	/* wakes a throttled sender */
	unsigned long last_progress;	/* jiffies: bytes last went out */
	unsigned long rate_mark;	/* min-send-rate window start */
	u64 rate_mark_bytes;

	struct khttp_request *rq;	/* the request in flight, or NULL */
};

/*
 * Who runs the connection's steps: nobody (IDLE), its work item or a
 * pool's reader soon (QUEUED), somebody now (RUNNING), and again once
 * done (AGAIN: woken meanwhile).  Exactly one runner at a time.
 */
enum khttp_own {
	KHTTP_OWN_IDLE,
	KHTTP_OWN_QUEUED,
	KHTTP_OWN_RUNNING,
	KHTTP_OWN_AGAIN,
};

/* Something happened that the connection must look at. */
void khttp_conn_wake(struct khttp_conn *c);
/* A pool's reader runs a connection the pool parked (pool.c). */
void khttp_conn_run_by(struct khttp_conn *c, struct khttp_pool *pool);
/* The workqueue runs a parked connection the pool cannot keep. */
void khttp_conn_unpark(struct khttp_conn *c);

int khttp_conns_init(void);
void khttp_conns_exit(void);
void khttp_conn_start(struct khttp_listener *l, struct socket *sock);
void khttp_conns_stop_all(struct khttp_net *kn);
s64 khttp_conn_active(struct khttp_net *kn);

#endif /* KHTTP_CONN_H */
