/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhttpq: read requests from a khttp application pool (/dev/httpq/<pool>)
 * and write responses.  See libhttpq(3) and httpq(4).
 *
 *	struct httpq *q = httpq_open("app", 0);
 *	struct httpq_request r;
 *
 *	while (httpq_receive(q, &r) > 0)
 *		httpq_respond(q, r.id, 200, "Content-Type: text/plain\r\n",
 *			      "hi\n", 3);
 *
 * Every function returns 0 (or a count) on success and a negative errno on
 * failure; none of them aborts or prints.  A struct httpq is not thread
 * safe: give each thread its own (each open file is one more reader).
 */
#ifndef HTTPQ_H
#define HTTPQ_H

#include <stddef.h>
#include <stdint.h>

#include <linux/khttp.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HTTPQ_VERSION		"0.1.0"

/* httpq_open() flags */
#define HTTPQ_NONBLOCK		0x1	/* httpq_receive() returns 0, never waits */
/*
 * Never use the kernel's shared-memory ring (see httpq(4)): read() and
 * write() only, as on a kernel without it.  The environment variable
 * HTTPQ_NO_RING=1 does the same for every handle of the process.
 */
#define HTTPQ_NO_RING		0x2

/* httpq_stream_begin(): length unknown, use chunked transfer coding. */
#define HTTPQ_CHUNKED		KHTTP_LENGTH_CHUNKED

struct httpq;

struct httpq_request {
	uint64_t id;			/* pass back to httpq_respond() */
	int method;			/* enum khttp_http_method */
	const char *method_str;		/* "GET", ... */
	size_t method_len;
	const char *target;		/* request-target as received */
	size_t target_len;
	const char *path;		/* target up to '?' (not decoded) */
	size_t path_len;
	const char *query;		/* after '?', "" when there is none */
	size_t query_len;
	const char *headers;		/* "Name: value\r\n" lines */
	size_t headers_len;
	const void *body;		/* the whole body; not NUL-terminated */
	size_t body_len;
	uint64_t content_length;	/* as announced by the kernel */
	struct khttp_addr client, server;
	int version;			/* 10 or 11 */
	/* How it came: "http", or "https" with the kTLS version and cipher. */
	const char *scheme;
	int tls_version;		/* 0, KHTTP_TLS_1_2 or KHTTP_TLS_1_3 */
	int tls_cipher;			/* 0 or a KHTTP_TLS_CIPHER_* */
};

/*
 * Open /dev/httpq/POOL, or POOL itself if it contains a '/'.  Returns NULL
 * with errno set on failure (ENOENT: no such pool; EACCES: see the pool's
 * owner, group and mode).
 */
struct httpq *httpq_open(const char *pool, int flags);

/*
 * Wrap an already open descriptor, which the handle then owns.  Where the
 * kernel offers it, the handle maps the file's ring (one per open file);
 * a descriptor that cannot be mapped is used with read() and write().
 */
struct httpq *httpq_fdopen(int fd, int flags);

/* Flush pending responses (best effort), close the file, free @q. */
void httpq_close(struct httpq *q);

/* The descriptor, for poll/epoll (EPOLLIN: a request is waiting). */
int httpq_fd(const struct httpq *q);

/*
 * Get the next request.  Returns 1 and fills @req; 0 if the handle is
 * nonblocking and nothing is waiting; -ENODEV once the pool is deleted;
 * -EINTR if a signal interrupted the wait; -ESHUTDOWN after httpq_drain()
 * once the requests already read are handed out; other -errno.  The
 * strings in @req are NUL-terminated, and they and the body stay valid
 * until the next httpq_receive() or httpq_close().  One read() may bring
 * many requests; they are handed out one at a time.  A body that the
 * kernel sends in several records is gathered into one buffer first.
 * Before each read(), pending responses are flushed.
 */
int httpq_receive(struct httpq *q, struct httpq_request *req);

/*
 * Find header @name (case-insensitive) in @r.  Returns a pointer to its
 * value, without surrounding blanks and not NUL-terminated, and its length
 * in *len (if @len is not NULL); NULL if absent.  The first one wins.
 */
const char *httpq_header(const struct httpq_request *r, const char *name,
			 size_t *len);

/*
 * Answer request @id with @status (200..599), @headers ("Name: value\r\n"
 * lines, or NULL; a missing final CRLF is added) and @len bytes of @body.
 * khttp adds Date, Server, Content-Length/Transfer-Encoding and Connection
 * (giving those, Keep-Alive, Upgrade, TE, Trailer or Proxy-Connection, or
 * a malformed line, is -EINVAL).  Bodies of any size are split into
 * records as needed.
 *
 * Responses are batched in an output buffer that is written with one
 * write() when it is full, before httpq_receive() reads (or would block),
 * on httpq_flush() and on httpq_close().  So a 0 return means "queued";
 * what the kernel then refuses (-ENOENT: not in hand, -EPERM: another
 * file's request, -EINVAL) is reported by the next httpq_flush().
 */
int httpq_respond(struct httpq *q, uint64_t id, int status,
		  const char *headers, const void *body, size_t len);

/* Same, and let khttp answer later GETs from its cache for @ttl seconds. */
int httpq_respond_cached(struct httpq *q, uint64_t id, int status,
			 const char *headers, const void *body, size_t len,
			 unsigned int ttl_seconds);

/*
 * Start a streamed response of @content_length bytes, or HTTPQ_CHUNKED.
 * Then call httpq_stream_write() until @last is non-zero.  Data is batched
 * like everything else; call httpq_flush() to push it out now.
 */
int httpq_stream_begin(struct httpq *q, uint64_t id, int status,
		       const char *headers, uint64_t content_length);
int httpq_stream_write(struct httpq *q, uint64_t id, const void *data,
		       size_t len, int last);

/*
 * End a streamed response abnormally, when its source broke mid-body:
 * khttp resets the client's connection instead of ending the body, so
 * the client sees an incomplete answer (never a clean end).  Instead of
 * the last httpq_stream_write(); -EINVAL from the kernel (reported by
 * httpq_flush()) if no stream was begun or it already ended.
 */
int httpq_stream_abort(struct httpq *q, uint64_t id);

/*
 * Write every pending response.  Returns 0, the first error the kernel
 * reported for a batched response since the last httpq_flush() (those
 * responses are dropped, the others are written), -EAGAIN if a nonblocking
 * descriptor is full (the rest stays pending), or a fatal error such as
 * -ENODEV.
 */
int httpq_flush(struct httpq *q);

/*
 * Drop khttp's cached responses under @prefix: a path starting with '/'
 * (matched against every host: "/" drops everything) or a key prefix such
 * as "http://www.example.com:80/news/".  The record is queued after the
 * pending responses and everything is flushed at once, so the cache is
 * cleared when this returns 0.  Returns -EINVAL for a NULL or empty
 * @prefix or if the kernel refuses the record, -EMSGSIZE if it is too
 * long, -EAGAIN if a nonblocking descriptor is full (the record stays
 * queued and goes out with the next flush), or another -errno as
 * httpq_flush().  Errors of earlier responses stay for httpq_flush().
 */
int httpq_invalidate(struct httpq *q, const char *prefix);

/*
 * Graceful recycling.  httpq_drain() makes @q stop taking requests: from
 * now on httpq_receive() never reads the device again, but still hands
 * out the requests already read (a read() may bring several) -- they are
 * in this file's hand and must be answered -- and then returns
 * -ESHUTDOWN, after flushing the pending responses.  A request whose body
 * is still arriving is completed first (that read may bring more requests,
 * which are handed out too).  Answer everything you got, then
 * httpq_close().  Requests still in the kernel's queue stay there for the
 * pool's other workers, so a pool with another reader loses nothing: a
 * worker restart is "start the new one, drain the old one".  (Closing a
 * file with requests in hand answers them 502.)  Returns 0, or -EINVAL.
 */
int httpq_drain(struct httpq *q);

/*
 * A whole worker loop: receive a request, call @handler(q, req, arg),
 * repeat, until SIGTERM or SIGINT; then drain as httpq_drain(), calling
 * @handler for every request already received, flush, and return 0.  The
 * handler answers the request (httpq_respond(), ...) and returns 0; a
 * non-zero return stops the loop the same way, and httpq_serve() returns
 * that value.  -ENODEV when the pool is deleted; another -errno on a
 * failure of the device.  @q is not closed.
 *
 * For its duration httpq_serve() catches SIGTERM and SIGINT (their
 * previous dispositions are restored on return; the handlers use
 * SA_RESTART), blocks them only between its check for one and its wait
 * in epoll_pwait() (an EPOLLEXCLUSIVE wait, so a request wakes one idle
 * worker), and makes the descriptor nonblocking.  So a signal ends the
 * wait at once, and a handler that is busy finishes first.  Use
 * it from one thread per process; threaded workers run their own loop
 * and call httpq_drain().
 */
int httpq_serve(struct httpq *q,
		int (*handler)(struct httpq *q, struct httpq_request *req,
			       void *arg),
		void *arg);

/* "GET" for KHTTP_HTTP_GET, ..., NULL for KHTTP_HTTP_OTHER or unknown. */
const char *httpq_method_name(int method);
/* "TLSv1.2", "TLSv1.3" (OpenSSL's and nginx's names); NULL for 0/unknown. */
const char *httpq_tls_version_name(int tls_version);
/* "AES-128-GCM", "AES-256-GCM", "AES-128-CCM", "CHACHA20-POLY1305". */
const char *httpq_tls_cipher_name(int tls_cipher);

#ifdef __cplusplus
}
#endif

#endif /* HTTPQ_H */
