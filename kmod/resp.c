// SPDX-License-Identifier: GPL-2.0
/*
 * Responses: the one place a response head is written (khttp's own
 * answers in the connection's buffer, a worker's answer in its first
 * chunk), with the route's added headers (routehdr.c) in each, khttp's
 * own error answers (a route's error page, errpage.c, when it has one),
 * and the conditional-request evaluation static files and cached answers
 * share (cachepolicy.c's, fed from the request here).  What is written here is sent by xmit.c.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/sock.h>
#include "khttp.h"
#include "stats.h"
#include "conn.h"
#include "resp.h"
#include "cache.h"
#include "xmit.h"
#include "cachepolicy.h"
#include "parser.h"
#include "routehdr.h"
#include "errpage.h"

const char *khttp_reason(u16 status)
{
	switch (status) {
	case 200: return "OK";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 416: return "Range Not Satisfiable";
	case 417: return "Expectation Failed";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Unknown";
	}
}

/* Errors after which the byte stream cannot be trusted: close. */
static bool khttp_status_closes(u16 status)
{
	switch (status) {
	case 400: case 408: case 413: case 414: case 417: case 431:
	case 500: case 501: case 505:
		return true;
	}
	return false;
}

/*
 * The status line, Server and Date: every head starts here.  Put
 * together by hand: vsnprintf's format parsing was the largest share of
 * a cached answer's head.
 */
static size_t khttp_resp_status(char *out, size_t cap, u16 status)
{
	static const char server[] = "\r\nServer: khttp\r\nDate: ";
	const char *reason = khttp_reason(status);
	size_t rlen = strlen(reason), n;
	char date[30];

	khttp_http_date(ktime_get_real_seconds(), date);
	if (status < 100 || status > 999 ||
	    cap < 13 + rlen + sizeof(server) - 1 + KHTTP_DATE_LEN + 2)
		return scnprintf(out, cap,
				 "HTTP/1.1 %u %s\r\nServer: khttp\r\nDate: %s\r\n",
				 status, reason, date);
	memcpy(out, "HTTP/1.1 ", 9);
	out[9] = '0' + status / 100;
	out[10] = '0' + status / 10 % 10;
	out[11] = '0' + status % 10;
	out[12] = ' ';
	n = 13;
	memcpy(out + n, reason, rlen);
	n += rlen;
	memcpy(out + n, server, sizeof(server) - 1);
	n += sizeof(server) - 1;
	memcpy(out + n, date, KHTTP_DATE_LEN);
	n += KHTTP_DATE_LEN;
	out[n++] = '\r';
	out[n++] = '\n';
	return n;
}

/* The Connection line the keep-alive decision calls for. */
static const char *khttp_resp_connection(bool ka, u8 version)
{
	if (!ka)
		return "Connection: close\r\n";
	return version == 10 ? "Connection: keep-alive\r\n" : "";
}

void khttp_resp_reset(struct khttp_conn *c)
{
	khttp_out_reset(&c->rq->out);
	if (c->rq->centry) {
		khttp_centry_put(c->rq->centry);
		c->rq->centry = NULL;
	}
}

int khttp_resp_begin(struct khttp_conn *c, u16 status)
{
	return khttp_resp_begin_cap(c, status, KHTTP_OUT_SIZE);
}

int khttp_resp_begin_cap(struct khttp_conn *c, u16 status, u32 cap)
{
	khttp_resp_reset(c);
	/* Room for the route's added headers, whatever the caller asked. */
	if (c->rq->rhdrs)
		cap += c->rq->rhdrs->len;
	/*
	 * The last answer's buffer if it is big enough: a new one per
	 * pipelined answer, zeroed by init_on_alloc, was 7% of the CPU.
	 */
	if (c->rq->out.cap < cap) {
		kfree(c->rq->out.head);
		c->rq->out.cap = 0;
		c->rq->out.head = kmalloc(cap, GFP_KERNEL);
		if (!c->rq->out.head)
			return -ENOMEM;
		c->rq->out.cap = cap;
	}
	c->rq->resp_status = status;
	c->rq->resp_source = status >= 400 ? KHTTP_LOG_ERROR : KHTTP_LOG_STATIC;
	if (khttp_status_closes(status))
		c->keep_alive = false;
	c->rq->out.len = khttp_resp_status(c->rq->out.head, c->rq->out.cap, status);
	khttp_stat(c, KHTTP_STAT_RESP_1XX + status / 100 - 1, 1);
	return 0;
}

void khttp_resp_add(struct khttp_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	c->rq->out.len += vscnprintf(c->rq->out.head + c->rq->out.len,
				 c->rq->out.cap - c->rq->out.len, fmt, ap);
	va_end(ap);
}

/* Does a body of @len bytes leave with its head, in one send? */
bool khttp_resp_inline(const struct khttp_conn *c, u16 status, u64 len)
{
	return c->rq->req.method != KHTTP_METHOD_HEAD &&
	       (status == 200 || status == 206) &&
	       len <= KHTTP_RESP_INLINE_MAX;
}

/* Append @s as it is (as far as it fits). */
void khttp_resp_put(struct khttp_conn *c, const char *s)
{
	struct khttp_out *o = &c->rq->out;
	size_t n = min(strlen(s), (size_t)(o->cap - o->len));

	memcpy(o->head + o->len, s, n);
	o->len += n;
}

/* "@name: @val\r\n" (all of it or nothing), without vsnprintf. */
void khttp_resp_add_line(struct khttp_conn *c, const char *name,
			 const char *val, size_t vlen)
{
	struct khttp_out *o = &c->rq->out;
	size_t nlen = strlen(name);

	if (o->cap - o->len < nlen + vlen + 4)
		return;
	memcpy(o->head + o->len, name, nlen);
	o->len += nlen;
	o->head[o->len++] = ':';
	o->head[o->len++] = ' ';
	memcpy(o->head + o->len, val, vlen);
	o->len += vlen;
	o->head[o->len++] = '\r';
	o->head[o->len++] = '\n';
}

/* The numeric lines of every answer (Content-Length, Age). */
void khttp_resp_add_u64(struct khttp_conn *c, const char *name, u64 v)
{
	char digits[20];
	int i = sizeof(digits);

	do {
		digits[--i] = '0' + do_div(v, 10);
	} while (v);
	khttp_resp_add_line(c, name, digits + i, sizeof(digits) - i);
}

/*
 * Finish the head; a small body (error pages) is copied after it.  The
 * route's added headers go in here, for every answer of the connection's
 * own; the connection header reflects the keep-alive decision made so
 * far.
 */
void khttp_resp_end(struct khttp_conn *c, const char *body, u32 len,
		    bool head_only)
{
	c->rq->out.len += khttp_rhdrs_write(c->rq->rhdrs, c->rq->resp_status,
					   c->rq->out.head + c->rq->out.len,
					   c->rq->out.cap - c->rq->out.len);
	khttp_resp_put(c, khttp_resp_connection(c->keep_alive,
						c->rq->req.version));
	khttp_resp_put(c, "\r\n");
	if (body && !head_only) {
		len = min_t(u32, len, c->rq->out.cap - c->rq->out.len);
		memcpy(c->rq->out.head + c->rq->out.len, body, len);
		c->rq->out.len += len;
	}
}

void khttp_resp_error(struct khttp_conn *c, u16 status)
{
	char body[96];
	int n;

	/* The route's own page for it, if it has one that can be sent. */
	if (khttp_errpage_respond(c, status))
		return;
	if (khttp_resp_begin(c, status))
		return;
	n = scnprintf(body, sizeof(body), "<h1>%u %s</h1>\n", status,
		      khttp_reason(status));
	if (status == 405)
		khttp_resp_add(c, "Allow: GET, HEAD\r\n");
	khttp_resp_add(c, "Content-Type: text/html\r\nContent-Length: %d\r\n",
		       n);
	khttp_resp_end(c, body, n, c->rq->req.method == KHTTP_METHOD_HEAD);
}

void khttp_resp_unavailable(struct khttp_conn *c, const char *why)
{
	char body[160];
	int n;

	if (khttp_errpage_respond(c, 503))
		return;
	if (khttp_resp_begin(c, 503))
		return;
	n = scnprintf(body, sizeof(body), "%s\n",
		      why ? why : "Service Unavailable");
	khttp_resp_add(c, "Content-Type: text/plain\r\nContent-Length: %d\r\nRetry-After: 5\r\n",
		       n);
	khttp_resp_end(c, body, n, c->rq->req.method == KHTTP_METHOD_HEAD);
}

struct khttp_chunk *khttp_resp_fail_chunk(u16 status)
{
	struct khttp_chunk *ch = khttp_chunk_new(512);

	if (!ch)
		return NULL;
	ch->len = khttp_resp_status(ch->data, 512, status);
	ch->len += scnprintf(ch->data + ch->len, 512 - ch->len,
			     "Content-Type: text/plain\r\nContent-Length: 0\r\n%s\r\n",
			     khttp_resp_connection(false, 11));
	return ch;
}

size_t khttp_resp_worker_head(char *out, size_t cap, u16 status,
			      const char *hdrs, u32 hdrs_len,
			      const struct khttp_rhdrs *rhdrs,
			      enum khttp_framing framing, u64 clen, bool ka,
			      u8 version)
{
	size_t n = khttp_resp_status(out, cap, status);

	hdrs_len = min_t(size_t, hdrs_len, cap - n);
	memcpy(out + n, hdrs, hdrs_len);
	n += hdrs_len;
	n += khttp_rhdrs_write(rhdrs, status, out + n, cap - n);
	if (framing == KHTTP_FRAME_CHUNKED)
		n += scnprintf(out + n, cap - n,
			       "Transfer-Encoding: chunked\r\n");
	else if (framing == KHTTP_FRAME_LENGTH && status != 204 &&
		 status != 304)
		n += scnprintf(out + n, cap - n, "Content-Length: %llu\r\n",
			       clen);
	n += scnprintf(out + n, cap - n, "%s\r\n",
		       khttp_resp_connection(ka, version));
	return n;
}

void khttp_resp_busy(struct socket *sock)
{
	static const char busy[] =
		"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
		"Connection: close\r\nRetry-After: 1\r\n\r\n";
	struct khttp_tx tx = { .data = busy, .len = sizeof(busy) - 1 };

	khttp_xmit(sock, &tx);
}

bool khttp_resp_continue(struct khttp_conn *c)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
	struct khttp_tx tx = { .data = cont, .len = sizeof(cont) - 1 };

	return khttp_xmit(c->sock, &tx) == tx.len;
}

u16 khttp_resp_cond(const struct khttp_conn *c,
		    const struct khttp_cond_rep *rep, u64 *start, u64 *end)
{
	const struct khttp_req *r = &c->rq->req;
	struct khttp_cond_req q = { .get = r->method == KHTTP_METHOD_GET };

	if (r->has_if_none_match) {
		q.inm = c->buf + r->if_none_match.off;
		q.inm_len = r->if_none_match.len;
	}
	if (r->has_if_modified_since) {
		q.ims = c->buf + r->if_modified_since.off;
		q.ims_len = r->if_modified_since.len;
	}
	if (r->has_if_range) {
		q.if_range = c->buf + r->if_range.off;
		q.if_range_len = r->if_range.len;
	}
	if (r->has_range) {
		q.range = c->buf + r->range.off;
		q.range_len = r->range.len;
	}
	return khttp_cond_eval(&q, rep, start, end);
}
