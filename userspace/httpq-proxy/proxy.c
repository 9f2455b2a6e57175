// SPDX-License-Identifier: GPL-2.0
/*
 * One proxied request: read from the pool, re-framed towards an upstream
 * (http.c), the upstream's answer parsed and streamed back to khttp
 * (device.c), errors turned into 502 / 503 / 504, retries where safe.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "httpq_rec.h"
#include "proxy.h"

#define READ_CHUNK	(64U << 10)
#define READ_BUDGET	(256U << 10)	/* per request per loop turn */
#define RETAIN_MAX	(64U << 10)	/* requests kept whole for a retry */
#define WHOLE_MAX	(1U << 20)	/* answers sent as one record */

static const char TEXT[] = "Content-Type: text/plain\r\n";

static bool idempotent(int m)
{
	return m == KHTTP_HTTP_GET || m == KHTTP_HTTP_HEAD ||
	       m == KHTTP_HTTP_PUT || m == KHTTP_HTTP_DELETE ||
	       m == KHTTP_HTTP_OPTIONS || m == KHTTP_HTTP_TRACE;
}

static void addr_str(const struct khttp_addr *a, char *s, size_t n)
{
	if (!inet_ntop(a->family == AF_INET6 ? AF_INET6 : AF_INET, a->addr, s,
		       (socklen_t)n))
		snprintf(s, n, "unknown");
}

static void dispatch(struct proxy *px, struct preq *p);

void req_maybe_free(struct proxy *px, struct preq *p)
{
	if (!p->resp_finished || !p->body_done || p->uc || p->stalled)
		return;
	if (p->prev)
		p->prev->next = p->next;
	else
		px->reqs = p->next;
	if (p->next)
		p->next->prev = p->prev;
	if (px->partial == p)
		px->partial = NULL;
	dev_forget(px, p);
	px->inflight--;
	buf_free(&p->sendq);
	buf_free(&p->hold_body);
	buf_free(&p->stash);
	uresp_free(&p->resp);
	free(p);
}

/* Drop @p's upstream connection, reusable or not. */
static void detach(struct proxy *px, struct preq *p, bool reusable)
{
	struct uconn *uc = p->uc;

	if (!uc)
		return;
	p->uc = NULL;
	if (reusable)
		up_release(px, uc, true);
	else
		up_close(px, uc);
}

void req_fail(struct proxy *px, struct preq *p, int status, const char *why)
{
	struct upstream *u = p->cur_up;

	detach(px, p, false);
	if (!p->resp_finished && status) {
		if (!p->head_sent) {
			char body[160];
			int n = snprintf(body, sizeof(body), "%s\n", why);

			if (status == 502)
				COUNT(px, u, resp_502);
			else if (status == 503)
				COUNT(px, u, resp_503);
			else if (status == 504)
				COUNT(px, u, resp_504);
			dev_response(px, p, 0, status, TEXT, sizeof(TEXT) - 1,
				     body, (size_t)n, 0, 0);
		} else {
			/*
			 * Part of the answer is out: whatever its framing
			 * (Content-Length, chunked, close-delimited), the
			 * client must see it broken, never a clean end.
			 */
			COUNT(px, u, truncated);
			dev_abort(px, p);
		}
	}
	p->resp_finished = true;
	p->hold = false;
	buf_free(&p->hold_body);
	req_maybe_free(px, p);
}

int req_new(struct proxy *px, const void *rec, size_t len)
{
	struct httpq_rec_req r;
	struct req_in in;
	struct preq *p;
	char ip[INET6_ADDRSTRLEN + 2];

	if (httpq_rec_decode_request(rec, len, &r))
		return -EPROTO;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;	/* khttp answers it 502 when we close */
	p->id = r.hdr.id;
	p->method = r.info.method;
	p->idempotent = idempotent(p->method);
	p->is_head = p->method == KHTTP_HTTP_HEAD;
	p->get = p->method == KHTTP_HTTP_GET;
	p->body_total = r.info.content_length;
	p->body_got = r.info.body_len;
	p->body_done = !(r.hdr.flags & KHTTP_REC_F_MORE);
	p->started = now_ms();
	p->next = px->reqs;
	if (px->reqs)
		px->reqs->prev = p;
	px->reqs = p;
	px->inflight++;
	COUNT(px, NULL, requests);
	if (!p->body_done)
		px->partial = p;
	addr_str(&r.info.client, ip, sizeof(ip));
	in = (struct req_in){
		.method = r.method, .method_len = r.info.method_len,
		.target = r.target, .target_len = r.info.target_len,
		.headers = r.headers, .headers_len = r.info.headers_len,
		.version = r.info.version,
		.content_length = r.info.content_length,
		.has_body = r.info.content_length ||
			    p->method == KHTTP_HTTP_POST ||
			    p->method == KHTTP_HTTP_PUT ||
			    p->method == KHTTP_HTTP_PATCH,
		.https = r.info.tls_version != 0,
		.client_ip = ip, .upstream = px->up[0].name,
	};
	if (http_build_request(&in, &p->sendq) ||
	    buf_put(&p->sendq, r.body, r.info.body_len)) {
		req_fail(px, p, 502, "request could not be forwarded");
		return 0;
	}
	p->retained = buf_avail(&p->sendq) + (p->body_total - p->body_got) <=
		      RETAIN_MAX;
	dispatch(px, p);
	return 0;
}

static bool may_retry(struct proxy *px, struct preq *p)
{
	if (p->attempts > (int)px->cfg->retries || p->head_sent ||
	    p->rs != RS_HEAD)
		return false;
	return p->sent == 0 || (p->idempotent && p->retained);
}

static void dispatch(struct proxy *px, struct preq *p)
{
	int err;

	for (;;) {
		p->attempts++;
		p->sent = 0;
		p->scur = 0;
		err = up_acquire(px, p);
		if (!err)
			return;
		if (err == -EADDRNOTAVAIL) {
			COUNT(px, p->cur_up, ports_exhausted);
			req_fail(px, p, 503, "source ports exhausted");
			return;
		}
		if (err == -EHOSTUNREACH && !p->cur_up) {
			req_fail(px, p, 502, "no upstream");
			return;
		}
		if (err == -EHOSTUNREACH) {
			req_fail(px, p, p->last_timeout ? 504 : 502,
				 p->last_timeout ? "upstream timed out" :
				 "no upstream could be reached");
			return;
		}
		COUNT(px, p->cur_up, connect_fail);
		up_failed(px, p->cur_up);
		if (!may_retry(px, p)) {
			req_fail(px, p, 502, "upstream connect failed");
			return;
		}
		COUNT(px, p->cur_up, retries);
	}
}

void req_connected(struct proxy *px, struct preq *p)
{
	int err;

	p->deadline = now_ms() + px->cfg->response_timeout_ms;
	err = up_send(px, p->uc);
	if (err)
		req_upstream_error(px, p, -err, false);
}

void req_body(struct proxy *px, struct preq *p, const void *data, size_t len,
	      bool last)
{
	p->body_got += len;
	if (last) {
		p->body_done = true;
		if (px->partial == p)
			px->partial = NULL;
	}
	if (p->resp_finished && !p->uc) {
		req_maybe_free(px, p);	/* answered already: drop the rest */
		return;
	}
	if (buf_put(&p->sendq, data, len)) {
		req_fail(px, p, 502, "out of memory");
		return;
	}
	if (p->uc && p->uc->state == UC_BUSY) {
		int err = up_send(px, p->uc);

		if (err)
			req_upstream_error(px, p, -err, false);
	}
}

void req_upstream_error(struct proxy *px, struct preq *p, int err,
			bool timeout)
{
	struct uconn *uc = p->uc;
	bool connecting = uc && uc->state == UC_CONNECTING;
	bool reused = uc && uc->reused;
	bool answered = p->rs != RS_HEAD || (uc && buf_avail(&uc->rbuf));

	p->last_timeout = timeout;
	detach(px, p, false);
	if (connecting) {
		COUNT(px, p->cur_up, connect_fail);
		up_failed(px, p->cur_up);
	} else {
		COUNT(px, p->cur_up, resets);
		if (!reused && !timeout && err)
			up_failed(px, p->cur_up);	/* a fresh one reset */
	}
	if (p->resp_finished) {
		req_maybe_free(px, p);
		return;
	}
	/* A kept-alive connection the upstream had closed: same one again. */
	if (reused && !answered && !timeout && p->cur_up)
		p->tried_mask[p->cur_up->idx / 32] &= ~(1U << (p->cur_up->idx % 32));
	if (!answered && (connecting || !timeout) && may_retry(px, p)) {
		COUNT(px, p->cur_up, retries);
		dispatch(px, p);
		return;
	}
	if (timeout)
		req_fail(px, p, 504, connecting ? "upstream connect timed out" :
			 "upstream timed out");
	else
		req_fail(px, p, 502, connecting ? "upstream refused the connection" :
			 err ? "upstream connection failed" :
			 "upstream closed the connection");
}

/* The response is complete: the connection may serve another request. */
static void finished(struct proxy *px, struct preq *p)
{
	struct uconn *uc = p->uc;
	bool reusable = p->resp.keep_alive && p->body_done &&
			buf_avail(&p->sendq) == p->scur && uc && !uc->eof &&
			!buf_avail(&uc->rbuf);

	p->rs = RS_DONE;
	detach(px, p, reusable);
	req_maybe_free(px, p);
}

static bool cacheable(struct proxy *px, struct preq *p)
{
	const struct uresp *r = &p->resp;

	return !px->cfg->no_cache && p->get && r->max_age && !r->no_store &&
	       !r->set_cookie && !r->vary &&
	       (r->status == 200 || r->status == 301 || r->status == 404) &&
	       (r->kind != BODY_LENGTH || r->length <= px->cfg->cache_max);
}

/* Start streaming: the RESPONSE record, with what is held as its body. */
static int stream_begin(struct proxy *px, struct preq *p, const void *body,
			size_t len)
{
	uint64_t clen = p->resp.kind == BODY_LENGTH ? p->resp.length :
			KHTTP_LENGTH_CHUNKED;

	return dev_response(px, p, KHTTP_REC_F_MORE, p->resp.status,
			    p->resp.headers.data, p->resp.headers.len, body,
			    len, clen, 0);
}

/* Body bytes from the upstream. */
static int body_data(struct proxy *px, struct preq *p, const char *d,
		     size_t n, bool last)
{
	if (p->hold) {
		if (buf_put(&p->hold_body, d, n))
			return -ENOMEM;
		if (last) {
			COUNT(px, p->cur_up, cache_marked);
			p->hold = false;
			return dev_response(px, p, KHTTP_REC_F_CACHE,
					    p->resp.status, p->resp.headers.data,
					    p->resp.headers.len,
					    p->hold_body.data, p->hold_body.len,
					    0, p->resp.max_age);
		}
		if (p->hold_body.len <= px->cfg->cache_max)
			return 0;
		/* Too big to cache: stream what is held, then the rest. */
		p->hold = false;
		if (stream_begin(px, p, p->hold_body.data, p->hold_body.len))
			return -ENOMEM;
		buf_free(&p->hold_body);
		return 0;
	}
	if (!p->head_sent)
		return stream_begin(px, p, d, n) ? -ENOMEM :
		       last ? dev_body(px, p, NULL, 0, true) : 0;
	if (!n && !last)
		return 0;
	return dev_body(px, p, d, n, last);
}

/* The head is parsed: decide how the answer goes to khttp. */
static int head_done(struct proxy *px, struct preq *p)
{
	struct uresp *r = &p->resp;
	struct buf *rb = &p->uc->rbuf;

	p->rs = RS_BODY;
	if (r->kind == BODY_NONE) {
		char *z = NULL;
		size_t zl = 0;
		int ret;

		if (p->is_head && r->status != 204 && r->status != 304) {
			/* HEAD: the length a GET would have; khttp sends no body */
			if (!r->has_length || r->length > WHOLE_MAX) {
				ret = stream_begin(px, p, NULL, 0) ||
				      dev_body(px, p, NULL, 0, true);
				finished(px, p);
				return ret ? -ENOMEM : 0;
			}
			zl = (size_t)r->length;
			z = calloc(1, zl ? zl : 1);
			if (!z)
				return -ENOMEM;
		}
		ret = dev_response(px, p, 0, r->status, r->headers.data,
				   r->headers.len, z, zl, 0, 0);
		free(z);
		finished(px, p);
		return ret;
	}
	p->resp_left = r->length;
	p->hold = cacheable(px, p);
	if (!p->hold && r->kind == BODY_LENGTH && r->length <= WHOLE_MAX &&
	    buf_avail(rb) >= r->length) {
		/* The whole answer is here: one record. */
		int ret = dev_response(px, p, 0, r->status, r->headers.data,
				       r->headers.len, rb->data + rb->off,
				       (size_t)r->length, 0, 0);

		rb->off += (size_t)r->length;
		finished(px, p);
		return ret;
	}
	if (!p->hold && !buf_avail(rb) && r->kind != BODY_LENGTH)
		return stream_begin(px, p, NULL, 0);
	if (!p->hold && !buf_avail(rb) && r->length)
		return stream_begin(px, p, NULL, 0);
	return 0;
}

/* Use what is in the upstream connection's read buffer. */
static void process(struct proxy *px, struct preq *p)
{
	struct uconn *uc = p->uc;
	struct buf *rb = &uc->rbuf;
	int err = 0;

	while (p->uc == uc && p->rs != RS_DONE && !p->resp_finished) {
		if (p->rs == RS_HEAD) {
			long k = http_skip_interim(rb->data + rb->off,
						   buf_avail(rb),
						   px->cfg->max_head);

			if (k > 0) {
				rb->off += (size_t)k;
				continue;
			}
			k = k < 0 ? -1 :
			    http_parse_response(rb->data + rb->off, buf_avail(rb),
						px->cfg->max_head, p->is_head,
						&p->resp);
			if (k < 0) {
				COUNT(px, p->cur_up, bad_answers);
				fprintf(stderr, "httpq-proxy: %s: bad answer: %s\n",
					p->cur_up->name, http_error);
				req_fail(px, p, 502, "bad answer from the upstream");
				return;
			}
			if (k == 0) {
				if (uc->eof)
					req_upstream_error(px, p, 0, false);
				return;
			}
			rb->off += (size_t)k;
			err = head_done(px, p);
			if (err)
				break;
			continue;
		}
		/* RS_BODY */
		if (p->resp.kind == BODY_LENGTH) {
			size_t n = buf_avail(rb);

			if (n > p->resp_left)
				n = (size_t)p->resp_left;
			p->resp_left -= n;
			err = body_data(px, p, rb->data + rb->off, n,
					!p->resp_left);
			rb->off += n;
			if (err)
				break;
			if (!p->resp_left) {
				finished(px, p);
				return;
			}
			if (uc->eof) {
				req_fail(px, p, 502, "upstream answer cut short");
				return;
			}
			return;
		}
		if (p->resp.kind == BODY_CHUNKED) {
			const char *d;
			size_t dl;
			long k = chunk_decode(&p->cd, rb->data + rb->off,
					      buf_avail(rb), &d, &dl);

			if (k < 0) {
				COUNT(px, p->cur_up, bad_answers);
				req_fail(px, p, 502, "bad chunked body from the upstream");
				return;
			}
			rb->off += (size_t)k;
			err = body_data(px, p, d, dl, chunk_done(&p->cd));
			if (err)
				break;
			if (chunk_done(&p->cd)) {
				finished(px, p);
				return;
			}
			if (buf_avail(rb))
				continue;
			if (uc->eof)
				req_fail(px, p, 502, "upstream answer cut short");
			return;
		}
		/* BODY_CLOSE */
		err = body_data(px, p, rb->data + rb->off, buf_avail(rb),
				uc->eof);
		rb->off = rb->len;
		if (!err && uc->eof)
			finished(px, p);
		if (err)
			break;
		return;
	}
	if (err)
		req_fail(px, p, 502, "out of memory");
}

void req_upstream_data(struct proxy *px, struct preq *p)
{
	size_t budget = READ_BUDGET;

	while (p->uc && p->uc->readable && !p->stalled && !p->resp_finished) {
		struct uconn *uc = p->uc;
		long n;

		if (!budget) {
			px->more_to_read = true;
			return;
		}
		n = up_read(uc, READ_CHUNK);
		if (n == -EAGAIN || n == -EINTR) {
			if (n == -EAGAIN)
				uc->readable = false;
			continue;
		}
		if (n < 0 && n != -ENOMEM) {
			req_upstream_error(px, p, (int)-n, false);
			return;
		}
		if (n == -ENOMEM) {
			req_fail(px, p, 502, "out of memory");
			return;
		}
		budget -= (size_t)n < budget ? (size_t)n : budget;
		if (n == 0)
			uc->readable = false;
		p->deadline = now_ms() + px->cfg->response_timeout_ms;
		process(px, p);
	}
}

void req_unstalled(struct proxy *px, struct preq *p)
{
	if (p->uc)
		req_upstream_data(px, p);
	else
		req_maybe_free(px, p);
}

void req_timers(struct proxy *px, uint64_t now)
{
	struct preq *p, *next;

	for (p = px->reqs; p; p = next) {
		next = p->next;
		if (!p->uc)
			continue;
		if (p->stalled) {
			p->deadline = now + px->cfg->response_timeout_ms;
			continue;
		}
		if (p->deadline <= now)
			req_upstream_error(px, p, ETIMEDOUT, true);
	}
}
