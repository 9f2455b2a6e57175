/* SPDX-License-Identifier: GPL-2.0 */
/*
 * httpq-proxy: a khttp pool worker that forwards requests to upstream
 * HTTP/1.1 servers.  One epoll loop per process (loop.c) over the pool
 * device (device.c) and the upstream sockets (upstream.c); requests are
 * re-framed and responses parsed by http.c; request state in proxy.c;
 * options in config.c; counters in counters.c.
 */
#ifndef HTTPQ_PROXY_H
#define HTTPQ_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <linux/khttp.h>

#include "buf.h"
#include "http.h"

#define PROXY_MAX_UPSTREAMS	64
#define PROXY_MAX_SOURCES	64

/* Counters; one set for the process, one per upstream (counters.c). */
struct counters {
	uint64_t requests;	/* requests read from the pool */
	uint64_t connects;	/* upstream connections opened */
	uint64_t connect_fail;	/* refused, unreachable, timed out */
	uint64_t reuses;	/* requests sent on a kept-alive connection */
	uint64_t retries;	/* requests sent again on another connection */
	uint64_t resets;	/* upstream reset or closed mid-request */
	uint64_t bad_answers;	/* malformed upstream answers */
	uint64_t truncated;	/* upstream answers cut short after the head */
	uint64_t resp_502, resp_503, resp_504;
	uint64_t ports_exhausted;	/* EADDRNOTAVAIL / EADDRINUSE */
	uint64_t cache_marked;	/* answers handed to khttp's cache */
	uint64_t marked_down;	/* times an upstream was marked down */
};

struct upstream;
struct uconn;
struct preq;

struct config {
	const char *pool;
	int nupstreams;
	struct {
		char name[128];
		struct sockaddr_storage addr;
		socklen_t alen;
	} up[PROXY_MAX_UPSTREAMS];
	int nsources;
	struct sockaddr_storage src[PROXY_MAX_SOURCES];
	socklen_t srclen[PROXY_MAX_SOURCES];
	unsigned int connect_timeout_ms;
	unsigned int response_timeout_ms;	/* head, and between reads */
	unsigned int idle_timeout_ms;		/* kept-alive idle connection */
	unsigned int down_ms;			/* passive health: time down */
	unsigned int max_idle;			/* idle connections per upstream */
	unsigned int max_requests;		/* in flight per process */
	unsigned int max_head;			/* upstream response head bytes */
	unsigned int cache_max;			/* largest answer given to the cache */
	unsigned int retries;			/* extra attempts per request */
	bool no_cache;
	bool no_bind_no_port;			/* test only */
	bool least_conn;			/* else round robin */
	int processes;
	const char *stats_file;			/* SIGUSR1 output; NULL: stderr */
};

struct upstream {
	int idx;
	const char *name;
	const struct sockaddr_storage *addr;
	socklen_t alen;
	unsigned int busy;		/* connections carrying a request */
	unsigned int nidle;
	struct uconn *idle;		/* most recently used first */
	uint64_t down_until;		/* ms, monotonic */
	struct counters c;
};

enum uconn_state { UC_CONNECTING, UC_BUSY, UC_IDLE };

struct uconn {
	int fd;
	enum uconn_state state;
	struct upstream *up;
	struct preq *req;
	struct uconn *next, *prev;	/* idle list */
	uint64_t deadline;		/* idle timeout when idle */
	struct buf rbuf;		/* bytes read, not yet used */
	bool reused;
	bool eof;
	bool readable;			/* EPOLLIN seen, not read to EAGAIN */
	bool dead;			/* closed; freed at the end of the turn */
};

enum resp_state { RS_HEAD, RS_BODY, RS_DONE };

struct preq {
	uint64_t id;
	int method;			/* enum khttp_http_method */
	bool idempotent;
	bool is_head;
	bool get;
	bool cacheable_req;		/* GET, no Authorization/Cookie */
	/* request towards the upstream */
	struct buf sendq;		/* head + body bytes, sent from .off */
	bool retained;			/* sendq still holds the whole request */
	uint64_t sent;			/* bytes written, this attempt */
	size_t scur;			/* retained: sendq bytes already sent */
	bool last_timeout;		/* the last failure was a timeout */
	uint64_t body_total, body_got;	/* from the device */
	bool body_done;			/* every REQ_BODY record read */
	struct uconn *uc;
	struct upstream *cur_up;		/* this attempt's upstream */
	int attempts;
	unsigned int tried_mask[(PROXY_MAX_UPSTREAMS + 31) / 32];
	int src_next;			/* source addresses tried this attempt */
	/* response */
	enum resp_state rs;
	struct uresp resp;		/* the parsed upstream head */
	struct chunkdec cd;
	uint64_t resp_left;		/* Content-Length bytes still owed */
	bool head_sent;			/* RESPONSE record written */
	bool resp_finished;		/* final record queued, or failed */
	bool hold;			/* buffering a whole answer (cache) */
	struct buf hold_body;
	bool stalled;			/* the device said EAGAIN for it */
	struct buf stash;		/* records waiting for the device */
	uint64_t deadline;
	uint64_t started;
	struct preq *next, *prev;	/* all live requests */
};

/* The process: config, device, upstreams, the loop. */
struct proxy {
	struct config *cfg;
	int epfd, devfd, sigfd;
	bool dev_in_epoll;
	bool draining;
	bool dev_gone;
	struct upstream up[PROXY_MAX_UPSTREAMS];
	int nup;
	unsigned int rr;		/* round robin cursor */
	unsigned int src_rr;
	unsigned int inflight;
	struct preq *reqs;		/* live requests */
	struct preq *partial;		/* body still coming from the device */
	unsigned int nstalled;
	bool more_to_read;		/* a read stopped at its budget */
	struct uconn *grave;		/* closed this turn, freed after it */
	struct counters c;
	int proc_index;
	/* device output batch */
	struct buf out;
	struct outrec { size_t off, len; struct preq *p; } *outidx;
	size_t nout, outcap;
	unsigned char *rdbuf;
};

/* loop.c */
uint64_t now_ms(void);
int loop_run(struct proxy *px);
int loop_add(struct proxy *px, int fd, uint32_t events, void *ptr);
void loop_del(struct proxy *px, int fd);

/* device.c */
int dev_open(struct proxy *px);
int dev_read(struct proxy *px);	/* reads and dispatches; <0 fatal */
int dev_response(struct proxy *px, struct preq *p, unsigned int flags,
		 int status, const char *hdrs, size_t hlen, const void *body,
		 size_t blen, uint64_t clen, unsigned int ttl);
int dev_body(struct proxy *px, struct preq *p, const void *data, size_t len,
	     bool last);
int dev_abort(struct proxy *px, struct preq *p);
int dev_flush(struct proxy *px);
int dev_retry_stalled(struct proxy *px);
void dev_forget(struct proxy *px, struct preq *p);

/* upstream.c */
void up_init(struct proxy *px);
int up_acquire(struct proxy *px, struct preq *p);	/* 0 or -errno */
void up_release(struct proxy *px, struct uconn *uc, bool reusable);
void up_failed(struct proxy *px, struct upstream *u);
void up_event(struct proxy *px, struct uconn *uc, uint32_t ev);
int up_send(struct proxy *px, struct uconn *uc);
void up_timers(struct proxy *px, uint64_t now);
void up_close_all(struct proxy *px);
void up_close(struct proxy *px, struct uconn *uc);
void up_reap(struct proxy *px);
long up_read(struct uconn *uc, size_t max);
bool up_stale(struct uconn *uc);

/* proxy.c */
int req_new(struct proxy *px, const void *rec, size_t len);
void req_body(struct proxy *px, struct preq *p, const void *data, size_t len,
	      bool last);
void req_connected(struct proxy *px, struct preq *p);
void req_upstream_data(struct proxy *px, struct preq *p);
void req_upstream_error(struct proxy *px, struct preq *p, int err,
			bool timeout);
void req_fail(struct proxy *px, struct preq *p, int status,
	      const char *why);
void req_unstalled(struct proxy *px, struct preq *p);
void req_timers(struct proxy *px, uint64_t now);
void req_maybe_free(struct proxy *px, struct preq *p);

/* counters.c */
void counters_add(struct proxy *px, struct upstream *u, size_t field);
#define COUNT(px, u, f) counters_add(px, u, offsetof(struct counters, f))
void counters_print(struct proxy *px);

/* config.c */
int config_parse(struct config *cfg, int argc, char **argv);

#endif
