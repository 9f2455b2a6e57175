// SPDX-License-Identifier: GPL-2.0
/*
 * libhttpq: a worker's side of /dev/httpq/<pool>.
 *
 * Input: one read() of KHTTP_READ_MIN bytes brings as many whole records
 * as the kernel has; httpq_receive() hands the requests out one by one.
 * A request whose body continues in REQ_BODY records is assembled across
 * reads (and across calls, on a nonblocking handle).
 *
 * Output: responses are encoded into one buffer and written with one
 * write() when it is full, before the next read(), on httpq_flush() and on
 * httpq_close().  The kernel processes a write record by record and stops
 * at the first one it refuses; we then drop that response (its RESPONSE
 * record and the RESP_BODY records after it), keep the error for
 * httpq_flush(), and write the rest.
 *
 * The ring: when the kernel offers it (httpq_ring.c; the mmap() is the
 * probe) and neither HTTPQ_NO_RING nor the environment variable
 * HTTPQ_NO_RING says otherwise, the same two buffers go through the
 * file's shared-memory ring instead: the output buffer is copied into the
 * answer ring and the request ring into the input buffer, and one
 * doorbell (KHTTP_IOC_RING_ENTER) both hands the kernel every answer and
 * takes (or waits for) the next requests.  The kernel consumes a refused
 * record and reports it, so there is nothing to skip.
 */
#define _GNU_SOURCE
#include "httpq.h"
#include "httpq_rec.h"
#include "httpq_dev.h"
#include "httpq_ring.h"
#include "tlsnames.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

#define HTTPQ_DEV_DIR	"/dev/httpq/"
#define HTTPQ_WBUF	(512U << 10)	/* output batch; every record fits */
#define HTTPQ_BODY_HINT	(64U << 20)	/* most we reserve up front */

struct httpq {
	int fd;
	unsigned char *rbuf;		/* KHTTP_READ_MIN bytes */
	size_t rlen, rpos;
	unsigned char *wbuf;		/* HTTPQ_WBUF bytes, more if stuck */
	size_t wlen, wcap;
	int deferred;			/* first refused response, for flush */
	void *head;			/* NUL-terminated copies of strings */
	size_t head_cap;
	void *body;			/* gathered bodies */
	size_t body_cap, body_len;
	bool partial;			/* cur awaits REQ_BODY records */
	bool draining;			/* httpq_drain(): read no more */
	bool ring;			/* rg is mapped: use it */
	struct httpq_ring rg;
	struct httpq_request cur;
};

/* HTTPQ_NO_RING set (and not "0"): read() and write() only. */
static bool ring_wanted(int flags)
{
	const char *e = getenv("HTTPQ_NO_RING");

	if (flags & HTTPQ_NO_RING)
		return false;
	return !e || !*e || !strcmp(e, "0");
}

static const char *const method_names[] = {
	[KHTTP_HTTP_GET] = "GET", [KHTTP_HTTP_HEAD] = "HEAD",
	[KHTTP_HTTP_POST] = "POST", [KHTTP_HTTP_PUT] = "PUT",
	[KHTTP_HTTP_DELETE] = "DELETE", [KHTTP_HTTP_OPTIONS] = "OPTIONS",
	[KHTTP_HTTP_PATCH] = "PATCH", [KHTTP_HTTP_TRACE] = "TRACE",
	[KHTTP_HTTP_CONNECT] = "CONNECT",
};

EXPORT const char *httpq_method_name(int method)
{
	if (method <= 0 || (size_t)method >= sizeof(method_names) /
					     sizeof(method_names[0]))
		return NULL;
	return method_names[method];
}

EXPORT const char *httpq_tls_version_name(int v)
{
	return v < 0 ? NULL : khttp_tls_version_name(v);
}

EXPORT const char *httpq_tls_cipher_name(int c)
{
	return c < 0 ? NULL : khttp_tls_cipher_name(c);
}

EXPORT struct httpq *httpq_fdopen(int fd, int flags)
{
	struct httpq *q;
	int fl;

	if (fd < 0 || (flags & ~(HTTPQ_NONBLOCK | HTTPQ_NO_RING))) {
		errno = EINVAL;
		return NULL;
	}
	if (flags & HTTPQ_NONBLOCK) {
		fl = fcntl(fd, F_GETFL);
		if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
			return NULL;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->fd = fd;
	/* A kernel (or a file) without the ring: read() and write(). */
	if (ring_wanted(flags) && !httpq_ring_map(fd, &q->rg))
		q->ring = true;
	return q;
}

EXPORT struct httpq *httpq_open(const char *pool, int flags)
{
	char path[sizeof(HTTPQ_DEV_DIR) + 24 + KHTTP_POOL_NAME_MAX];
	struct httpq *q;
	int fd, e;

	if (!pool || !*pool || (flags & ~(HTTPQ_NONBLOCK | HTTPQ_NO_RING))) {
		errno = EINVAL;
		return NULL;
	}
	if (!strchr(pool, '/')) {
		if (strlen(pool) >= KHTTP_POOL_NAME_MAX ||
		    !strcmp(pool, ".") || !strcmp(pool, "..")) {
			errno = EINVAL;
			return NULL;
		}
	}
	/* /dev/httpq/<pool>, or in a container .../<netns inode>/<pool> */
	fd = httpq_dev_open(pool, O_RDWR | O_CLOEXEC |
			    ((flags & HTTPQ_NONBLOCK) ? O_NONBLOCK : 0),
			    path, sizeof(path));
	if (fd < 0)
		return NULL;
	q = httpq_fdopen(fd, flags & HTTPQ_NO_RING);
	if (!q) {
		e = errno;
		close(fd);
		errno = e;
	}
	return q;
}

EXPORT int httpq_fd(const struct httpq *q)
{
	return q ? q->fd : -EBADF;
}

EXPORT void httpq_close(struct httpq *q)
{
	if (!q)
		return;
	httpq_flush(q);
	/* Requests in hand through the ring get 502 here, as at close. */
	if (q->ring)
		httpq_ring_unmap(&q->rg);
	close(q->fd);
	free(q->rbuf);
	free(q->wbuf);
	free(q->head);
	free(q->body);
	free(q);
}

/* ---- output -------------------------------------------------------- */

/* Errors that concern one record; the others end the whole flush. */
static bool record_error(int e)
{
	return e == ENOENT || e == EPERM || e == EINVAL || e == EMSGSIZE;
}

/* Drop the refused response at the head of the buffer. */
static size_t skip_response(const unsigned char *b, size_t len)
{
	struct khttp_rec h;
	ssize_t n;
	size_t off;
	uint64_t id;

	n = httpq_rec_next(b, len, &h);
	if (n <= 0)
		return len;
	id = h.id;
	off = (size_t)n;
	if (h.type != KHTTP_REC_RESPONSE && h.type != KHTTP_REC_RESP_BODY)
		return off;
	while (off < len) {	/* its body records */
		n = httpq_rec_next(b + off, len - off, &h);
		if (n <= 0)
			return len;
		if (h.type != KHTTP_REC_RESP_BODY || h.id != id)
			break;
		off += (size_t)n;
	}
	return off;
}

/* Move what fits of the output buffer into the answer ring. */
static void ring_put(struct httpq *q)
{
	size_t n;

	if (!q->wlen)
		return;
	n = httpq_ring_put(&q->rg, q->wbuf, q->wlen);
	memmove(q->wbuf, q->wbuf + n, q->wlen - n);
	q->wlen -= n;
}

/*
 * One doorbell.  A refused record's error goes to q->deferred; an error
 * of the call itself is fatal for what is pending (as a failed write()).
 */
static int ring_enter(struct httpq *q, uint32_t flags, bool *stalled)
{
	struct khttp_ring_enter e;
	int ret;

	do
		ret = httpq_ring_enter(q->fd, flags, &e);
	while (ret == -EINTR && !(flags & KHTTP_RING_ENTER_WAIT));
	if (ret)
		return ret;
	if (e.error && !q->deferred)
		q->deferred = e.error;
	*stalled = e.out_flags & KHTTP_RING_ENTER_STALLED;
	return 0;
}

/* flush_out() through the ring: until the kernel has taken everything. */
static int ring_flush(struct httpq *q)
{
	bool stalled;
	int ret;

	for (;;) {
		ring_put(q);
		if (!httpq_ring_ans_pending(&q->rg))
			return 0;
		ret = ring_enter(q, 0, &stalled);
		if (ret) {
			q->wlen = 0;	/* nothing more will go through */
			return ret;
		}
		if (stalled)
			return -EAGAIN;	/* nonblocking: the rest stays */
	}
}

/* Write what is pending; record errors go to q->deferred. */
static int flush_out(struct httpq *q)
{
	size_t off = 0;
	ssize_t n;
	int ret = 0;

	if (q->ring)
		return ring_flush(q);
	if (!q->wlen)
		return 0;
	while (off < q->wlen) {
		n = write(q->fd, q->wbuf + off, q->wlen - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == 0)
			ret = -EIO;
		else if (errno == EINTR)
			continue;
		else if (record_error(errno)) {
			if (!q->deferred)
				q->deferred = -errno;
			off += skip_response(q->wbuf + off, q->wlen - off);
			continue;
		} else {
			ret = -errno;
		}
		if (ret == -EAGAIN)
			break;
		off = q->wlen;	/* fatal: nothing more will go through */
		break;
	}
	memmove(q->wbuf, q->wbuf + off, q->wlen - off);
	q->wlen -= off;
	return ret;
}

EXPORT int httpq_flush(struct httpq *q)
{
	int ret;

	if (!q)
		return -EINVAL;
	ret = flush_out(q);
	if (!ret) {
		ret = q->deferred;
		q->deferred = 0;
	}
	return ret;
}

/*
 * Make room for @need bytes in the output buffer.  If a nonblocking
 * descriptor takes nothing now, the buffer grows instead, so that a
 * response is never left half queued.
 */
static int reserve(struct httpq *q, size_t need)
{
	unsigned char *nb;
	int ret;

	if (need > HTTPQ_WBUF)
		return -EMSGSIZE;
	if (!q->wbuf) {
		q->wbuf = malloc(HTTPQ_WBUF);
		if (!q->wbuf)
			return -ENOMEM;
		q->wcap = HTTPQ_WBUF;
	}
	if (q->wcap - q->wlen >= need)
		return 0;
	ret = flush_out(q);
	if (ret && ret != -EAGAIN)
		return ret;
	if (q->wcap - q->wlen >= need)
		return 0;
	nb = realloc(q->wbuf, q->wlen + need);
	if (!nb)
		return -ENOMEM;
	q->wbuf = nb;
	q->wcap = q->wlen + need;
	return 0;
}

/* Body bytes that fit in one record, for RESPONSE and RESP_BODY. */
#define BODY_CHUNK (HTTPQ_WBUF - HTTPQ_RESP_HDR - KHTTP_REC_ALIGN)

static int put_body(struct httpq *q, uint64_t id, const unsigned char *d,
		    size_t len, int last)
{
	size_t n;
	ssize_t r;
	int ret;

	do {
		n = len < BODY_CHUNK ? len : BODY_CHUNK;
		ret = reserve(q, httpq_rec_body_size(n));
		if (ret)
			return ret;
		r = httpq_rec_encode_body(q->wbuf + q->wlen, q->wcap - q->wlen,
					  id, !last || n < len, d, n);
		if (r < 0)
			return (int)r;
		q->wlen += (size_t)r;
		d += n;
		len -= n;
	} while (len);
	return 0;
}

static int put_response(struct httpq *q, uint64_t id, int status,
			const char *headers, const void *body, size_t len,
			uint16_t flags, unsigned int ttl, uint64_t clen,
			bool stream)
{
	size_t hlen = headers ? strlen(headers) : 0, first;
	int crlf, ret;
	ssize_t r;

	if (!q || status < 200 || status > 599 || (len && !body))
		return -EINVAL;
	ret = httpq_check_headers(headers, hlen, &crlf);
	if (ret)
		return ret;
	if (HTTPQ_RESP_HDR + hlen + 2 + KHTTP_REC_ALIGN > HTTPQ_WBUF)
		return -EMSGSIZE;
	first = HTTPQ_WBUF - HTTPQ_RESP_HDR - KHTTP_REC_ALIGN - hlen - 2;
	if (first > len)
		first = len;
	if (stream || first < len)
		flags |= KHTTP_REC_F_MORE;
	ret = reserve(q, httpq_rec_response_size(hlen + 2, first));
	if (ret)
		return ret;
	r = httpq_rec_encode_response(q->wbuf + q->wlen, q->wcap - q->wlen,
				      id, flags, (uint16_t)status, headers,
				      hlen, crlf, body, first, ttl, clen);
	if (r < 0)
		return (int)r;
	q->wlen += (size_t)r;
	if (first < len && !stream)
		return put_body(q, id, (const unsigned char *)body + first,
				len - first, 1);
	return 0;
}

EXPORT int httpq_respond(struct httpq *q, uint64_t id, int status,
			 const char *headers, const void *body, size_t len)
{
	return put_response(q, id, status, headers, body, len, 0, 0, len,
			    false);
}

EXPORT int httpq_respond_cached(struct httpq *q, uint64_t id, int status,
				const char *headers, const void *body,
				size_t len, unsigned int ttl_seconds)
{
	return put_response(q, id, status, headers, body, len,
			    ttl_seconds ? KHTTP_REC_F_CACHE : 0, ttl_seconds,
			    len, false);
}

EXPORT int httpq_stream_begin(struct httpq *q, uint64_t id, int status,
			      const char *headers, uint64_t content_length)
{
	return put_response(q, id, status, headers, NULL, 0, 0, 0,
			    content_length, true);
}

EXPORT int httpq_stream_write(struct httpq *q, uint64_t id, const void *data,
			      size_t len, int last)
{
	if (!q || (len && !data))
		return -EINVAL;
	if (!len && !last)
		return 0;
	return put_body(q, id, data, len, last);
}

EXPORT int httpq_stream_abort(struct httpq *q, uint64_t id)
{
	ssize_t r;
	int ret;

	if (!q)
		return -EINVAL;
	ret = reserve(q, httpq_rec_body_size(0));
	if (ret)
		return ret;
	r = httpq_rec_encode_abort(q->wbuf + q->wlen, q->wcap - q->wlen, id);
	if (r < 0)
		return (int)r;
	q->wlen += (size_t)r;
	return 0;
}

/*
 * Pending responses go first, so that the record in the buffer when it is
 * flushed is the invalidation alone and a refusal is its own.
 */
EXPORT int httpq_invalidate(struct httpq *q, const char *prefix)
{
	size_t len = prefix ? strlen(prefix) : 0;
	int ret, saved;
	ssize_t r;

	if (!q || !len)
		return -EINVAL;
	if (len > KHTTP_REC_MAX - HTTPQ_REC_HDR)
		return -EMSGSIZE;
	ret = flush_out(q);
	if (ret && ret != -EAGAIN)
		return ret;
	ret = reserve(q, httpq_rec_body_size(len));
	if (ret)
		return ret;
	r = httpq_rec_encode_invalidate(q->wbuf + q->wlen, q->wcap - q->wlen,
					prefix, len);
	if (r < 0)
		return (int)r;
	q->wlen += (size_t)r;
	if (q->wlen != (size_t)r)
		return -EAGAIN;	/* stuck behind responses; queued */
	saved = q->deferred;
	q->deferred = 0;
	ret = flush_out(q);
	if (!ret)
		ret = q->deferred;
	q->deferred = saved;
	return ret;
}

/* ---- input --------------------------------------------------------- */

/*
 * fill() through the ring: the answers that fit go with the doorbell that
 * takes (or, blocking, waits for) requests; none at all is rung when
 * requests wait in the ring and no answer does.
 */
static int ring_fill(struct httpq *q)
{
	bool stalled = false;
	uint32_t flags;
	long n;
	int ret;

	for (;;) {
		ring_put(q);
		if (!httpq_ring_ans_pending(&q->rg) &&
		    httpq_ring_req_pending(&q->rg))
			break;
		flags = KHTTP_RING_ENTER_GET;
		/* Wait only with every answer handed over. */
		if (!q->wlen && !httpq_ring_req_pending(&q->rg))
			flags |= KHTTP_RING_ENTER_WAIT;
		ret = ring_enter(q, flags, &stalled);
		if (ret) {
			if (ret != -EINTR)
				q->wlen = 0;
			return ret;
		}
		if (!q->wlen || stalled)
			break;
	}
	q->rpos = q->rlen = 0;
	n = httpq_ring_take(&q->rg, q->rbuf, KHTTP_READ_MIN);
	if (n < 0)
		return (int)n;
	q->rlen = (size_t)n;
	return n ? 1 : 0;
}

/* Flush, then read more records.  1: got some; 0: would block. */
static int fill(struct httpq *q)
{
	ssize_t n;
	int ret;

	if (!q->rbuf) {
		q->rbuf = malloc(KHTTP_READ_MIN);
		if (!q->rbuf)
			return -ENOMEM;
	}
	if (q->ring)
		return ring_fill(q);
	ret = flush_out(q);
	if (ret && ret != -EAGAIN)
		return ret;
	q->rpos = q->rlen = 0;
	n = read(q->fd, q->rbuf, KHTTP_READ_MIN);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	if (n == 0)
		return -ENODEV;	/* not from khttp; treat as the pool gone */
	q->rlen = (size_t)n;
	return 1;
}

static int grow(void **p, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 256;
	void *np;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	np = realloc(*p, n);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = n;
	return 0;
}

static int body_append(struct httpq *q, const void *d, size_t n)
{
	if (grow(&q->body, &q->body_cap, q->body_len + n))
		return -ENOMEM;
	if (n)
		memcpy((char *)q->body + q->body_len, d, n);
	q->body_len += n;
	return 0;
}

static char *head_put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	p[n] = '\0';
	return p + n + 1;
}

/* Set q->cur from a REQUEST record; the strings are copied to q->head. */
static int start_request(struct httpq *q, const struct httpq_rec_req *d)
{
	const struct khttp_req_info *i = &d->info;
	size_t poff, plen, qoff, qlen, need;
	struct httpq_request *r = &q->cur;
	char *p;

	httpq_split_target(d->target, i->target_len, &poff, &plen, &qoff,
			   &qlen);
	need = (size_t)i->method_len + i->target_len + plen + qlen +
	       i->headers_len + 5;
	if (grow(&q->head, &q->head_cap, need))
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	r->id = d->hdr.id;
	r->method = i->method;
	r->version = i->version;
	r->tls_version = i->tls_version;
	r->tls_cipher = i->tls_cipher;
	r->scheme = i->tls_version ? "https" : "http";
	r->client = i->client;
	r->server = i->server;
	r->content_length = i->content_length;
	p = q->head;
	r->method_str = p;
	r->method_len = i->method_len;
	p = head_put(p, d->method, i->method_len);
	r->target = p;
	r->target_len = i->target_len;
	p = head_put(p, d->target, i->target_len);
	r->path = p;
	r->path_len = plen;
	p = head_put(p, d->target + poff, plen);
	r->query = p;
	r->query_len = qlen;
	p = head_put(p, d->target + qoff, qlen);
	r->headers = p;
	r->headers_len = i->headers_len;
	head_put(p, d->headers, i->headers_len);
	r->body = "";
	r->body_len = i->body_len;
	if (i->body_len)
		r->body = d->body;	/* in rbuf: valid until the next read */
	if (d->hdr.flags & KHTTP_REC_F_MORE) {
		q->body_len = 0;
		if (grow(&q->body, &q->body_cap, i->content_length <
			 HTTPQ_BODY_HINT ? i->content_length : HTTPQ_BODY_HINT))
			return -ENOMEM;
		if (body_append(q, d->body, i->body_len))
			return -ENOMEM;
		q->partial = true;
	}
	return 0;
}

EXPORT int httpq_receive(struct httpq *q, struct httpq_request *req)
{
	struct httpq_rec_req d;
	struct khttp_rec h;
	const unsigned char *rec;
	const void *data;
	size_t dlen;
	ssize_t next;
	int ret;

	if (!q || !req)
		return -EINVAL;
	for (;;) {
		if (q->rpos >= q->rlen) {
			/*
			 * Draining: what we hold is handed out; a request
			 * whose body is still coming is ours too, so its
			 * records are read (a read may bring more requests,
			 * which are then ours and handed out as well).
			 */
			if (q->draining && !q->partial) {
				ret = flush_out(q);
				return ret && ret != -EAGAIN ? ret :
				       -ESHUTDOWN;
			}
			ret = fill(q);
			if (ret <= 0) {
				if (ret < 0)
					q->partial = false;
				return ret;
			}
		}
		rec = q->rbuf + q->rpos;
		next = httpq_rec_next(rec, q->rlen - q->rpos, &h);
		if (next < 0)
			goto proto;
		q->rpos += (size_t)next;
		if (!q->partial) {
			if (h.type != KHTTP_REC_REQUEST)
				continue;	/* stray: not ours to answer */
			if (httpq_rec_decode_request(rec, h.len, &d))
				goto proto;
			ret = start_request(q, &d);
			if (ret)
				return ret;
			if (q->partial)
				continue;
			*req = q->cur;
			return 1;
		}
		if (h.type != KHTTP_REC_REQ_BODY || h.id != q->cur.id ||
		    httpq_rec_decode_body(rec, h.len, &data, &dlen))
			goto proto;
		if (body_append(q, data, dlen)) {
			q->partial = false;
			return -ENOMEM;
		}
		if (!(h.flags & KHTTP_REC_F_MORE)) {
			q->partial = false;
			q->cur.body = q->body;
			q->cur.body_len = q->body_len;
			*req = q->cur;
			return 1;
		}
	}
proto:
	q->partial = false;
	q->rpos = q->rlen;	/* the rest of this read is suspect */
	return -EPROTO;
}

EXPORT const char *httpq_header(const struct httpq_request *r,
				const char *name, size_t *len)
{
	if (!r || !name || !r->headers)
		return NULL;
	return httpq_find_header(r->headers, r->headers_len, name, len);
}

/* ---- draining and the serve loop -------------------------------------- */

EXPORT int httpq_drain(struct httpq *q)
{
	if (!q)
		return -EINVAL;
	q->draining = true;
	return 0;
}

static volatile sig_atomic_t serve_stop;

static void serve_signal(int sig)
{
	(void)sig;
	serve_stop = 1;
}

/*
 * The descriptor is made nonblocking for the loop, so that a request that
 * another reader took between the wait and read() does not block us where
 * a signal could not reach.  SIGTERM and SIGINT are blocked only from the
 * check of the flag to the wait, which epoll_pwait() ends atomically, so a
 * signal is never missed in between; that costs two system calls per
 * wait, not per request.  The handlers are installed with SA_RESTART, so
 * our reads and writes and the handler's own system calls are not cut
 * short by them (epoll_pwait() itself always returns EINTR).  The wait is
 * an exclusive epoll one: a new request wakes one of the pool's idle
 * workers, not all of them (a worker that leaves requests in the queue
 * wakes the next).
 */
EXPORT int httpq_serve(struct httpq *q,
		       int (*handler)(struct httpq *, struct httpq_request *,
				      void *),
		       void *arg)
{
	struct sigaction sa, old_term, old_int;
	sigset_t block, old_mask;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE };
	struct httpq_request r;
	int fl, ret, result = 0, h, ep;

	if (!q || !handler)
		return -EINVAL;
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return -errno;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, q->fd, &ev) < 0) {
		ret = -errno;
		close(ep);
		return ret;
	}
	fl = fcntl(q->fd, F_GETFL);
	if (fl < 0 || (!(fl & O_NONBLOCK) &&
		       fcntl(q->fd, F_SETFL, fl | O_NONBLOCK) < 0)) {
		ret = -errno;
		close(ep);
		return ret;
	}
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	serve_stop = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = serve_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);

	for (;;) {
		if (serve_stop)
			httpq_drain(q);
		ret = httpq_receive(q, &r);
		if (ret == 1) {
			h = handler(q, &r, arg);
			if (h) {
				if (!result)
					result = h;
				httpq_drain(q);
			}
			continue;
		}
		if (ret == -ESHUTDOWN) {
			ret = 0;
			break;
		}
		if (ret == -EPROTO)	/* that read is dropped; go on */
			continue;
		if (ret < 0)
			break;
		/* Nothing waiting: push answers out, then sleep. */
		ret = flush_out(q);
		if (ret && ret != -EAGAIN)
			break;
		sigprocmask(SIG_BLOCK, &block, NULL);
		ret = 0;
		if (!serve_stop &&
		    epoll_pwait(ep, &ev, 1, -1, &old_mask) < 0 &&
		    errno != EINTR)
			ret = -errno;
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		if (ret)
			break;
	}
	sigprocmask(SIG_BLOCK, &block, NULL);
	if (!ret) {
		ret = flush_out(q);
		/* Blocking again, so a last flush writes everything. */
		if (ret == -EAGAIN) {
			fcntl(q->fd, F_SETFL, fl & ~O_NONBLOCK);
			ret = flush_out(q);
		}
		q->deferred = 0;	/* refusals of single answers */
	}
	/* A signal pending now still reaches our handler, harmlessly. */
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	fcntl(q->fd, F_SETFL, fl);
	close(ep);
	return result ? result : ret;
}
