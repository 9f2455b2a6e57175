// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for libhttpq: the record layer (httpq_rec.c) on hand-built
 * buffers, and httpq_receive()/httpq_respond() over a SOCK_SEQPACKET
 * socket pair (which, like /dev/httpq, returns whole writes per read) and
 * a temporary file.  No kernel module needed.
 *
 * This file holds the record layer's tests (next, decode, encode, header
 * checks, target splitting), the helpers that build kernel-side records
 * for every test, and main().  The tests over a socket pair are in
 * test_httpq_io.c.
 *
 * Prints "ok NAME" or "not ok NAME" per case and, last,
 * "httpq: N passed, M failed"; exits non-zero if anything failed.
 */
#include "test_httpq.h"

static int passed, failed;

void check(const char *name, int cond)
{
	printf("%s %s\n", cond ? "ok" : "not ok", name);
	if (cond)
		passed++;
	else
		failed++;
}

/* ---- building kernel-side records ----------------------------------- */

void put(struct buf *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

void align(struct buf *m)
{
	while (m->len % KHTTP_REC_ALIGN)
		m->b[m->len++] = 0;
}

/* Append a REQUEST record; returns its offset. */
size_t add_request(struct buf *m, uint64_t id, uint16_t flags,
		   uint8_t method, const char *mstr, const char *target,
		   const char *headers, const char *body, size_t blen,
		   uint64_t clen)
{
	struct khttp_rec h = { .type = KHTTP_REC_REQUEST, .flags = flags,
			       .id = id };
	struct khttp_req_info i;
	size_t off = m->len;

	memset(&i, 0, sizeof(i));
	i.client.family = 2;
	i.client.port = 40000;
	i.server.port = 80;
	i.method = method;
	i.version = 11;
	i.method_len = (uint32_t)strlen(mstr);
	i.target_len = (uint32_t)strlen(target);
	i.headers_len = (uint32_t)strlen(headers);
	i.body_len = (uint32_t)blen;
	i.content_length = clen;
	h.len = (uint32_t)(sizeof(h) + sizeof(i) + i.method_len +
			   i.target_len + i.headers_len + blen);
	put(m, &h, sizeof(h));
	put(m, &i, sizeof(i));
	put(m, mstr, i.method_len);
	put(m, target, i.target_len);
	put(m, headers, i.headers_len);
	put(m, body, blen);
	align(m);
	return off;
}

void add_body(struct buf *m, uint64_t id, int more, const char *d,
	      size_t n)
{
	struct khttp_rec h = { .len = (uint32_t)(sizeof(h) + n),
			       .type = KHTTP_REC_REQ_BODY,
			       .flags = more ? KHTTP_REC_F_MORE : 0, .id = id };

	put(m, &h, sizeof(h));
	put(m, d, n);
	align(m);
}

/* ---- record layer ---------------------------------------------------- */

static void test_next(void)
{
	struct buf *m = calloc(1, sizeof(*m));
	struct khttp_rec h;
	ssize_t n;

	add_request(m, 7, 0, KHTTP_HTTP_GET, "GET", "/x", "", "", 0, 0);
	n = httpq_rec_next(m->b, m->len, &h);
	check("next: one aligned record", n == (ssize_t)m->len &&
	      n % 8 == 0 && h.id == 7 && h.type == KHTTP_REC_REQUEST);
	check("next: trailing padding may be left out",
	      httpq_rec_next(m->b, h.len, &h) == (ssize_t)h.len);
	check("next: truncated record", httpq_rec_next(m->b, h.len - 1, &h) ==
	      -EPROTO);
	check("next: short header", httpq_rec_next(m->b, 8, &h) == -EPROTO);
	h.len = 8;
	memcpy(m->b, &h, sizeof(h));
	check("next: len below header size",
	      httpq_rec_next(m->b, m->len, &h) == -EPROTO);
	free(m);
}

static void test_decode(void)
{
	struct buf *m = calloc(1, sizeof(*m));
	struct httpq_rec_req d;
	struct khttp_rec h;
	struct khttp_req_info i;

	add_request(m, 42, 0, KHTTP_HTTP_POST, "POST", "/a?b=1",
		    "Host: x\r\n", "body", 4, 4);
	memcpy(&h, m->b, sizeof(h));
	check("decode: request", !httpq_rec_decode_request(m->b, h.len, &d) &&
	      d.hdr.id == 42 && d.info.method == KHTTP_HTTP_POST &&
	      !memcmp(d.method, "POST", 4) && !memcmp(d.target, "/a?b=1", 6) &&
	      !memcmp(d.headers, "Host: x\r\n", 9) &&
	      !memcmp(d.body, "body", 4) && d.info.version == 11);
	check("decode: length mismatch",
	      httpq_rec_decode_request(m->b, h.len - 1, &d) == -EPROTO);
	memcpy(&i, m->b + sizeof(h), sizeof(i));
	i.headers_len = 1000;
	memcpy(m->b + sizeof(h), &i, sizeof(i));
	check("decode: parts overrun the record",
	      httpq_rec_decode_request(m->b, h.len, &d) == -EPROTO);
	i.headers_len = 9;
	i.method_len = 0;
	memcpy(m->b + sizeof(h), &i, sizeof(i));
	check("decode: empty method refused",
	      httpq_rec_decode_request(m->b, h.len, &d) == -EPROTO);
	h.type = KHTTP_REC_REQ_BODY;
	memcpy(m->b, &h, sizeof(h));
	check("decode: wrong type",
	      httpq_rec_decode_request(m->b, h.len, &d) == -EPROTO);
	check("decode: shorter than the fixed part",
	      httpq_rec_decode_request(m->b, 20, &d) == -EPROTO);
	free(m);
}

static void test_encode(void)
{
	unsigned char b[256];
	struct khttp_rec h;
	struct khttp_resp_info ri;
	const void *data;
	size_t dlen, i;
	ssize_t n;
	int zero = 1;

	memset(b, 0xaa, sizeof(b));
	n = httpq_rec_encode_response(b, sizeof(b), 9, KHTTP_REC_F_CACHE, 200,
				      "A: b", 4, 1, "hello", 5, 30, 5);
	memcpy(&h, b, sizeof(h));
	memcpy(&ri, b + sizeof(h), sizeof(ri));
	for (i = h.len; i < (size_t)n; i++)
		zero &= b[i] == 0;
	check("encode: response layout", n == 56 && h.len == 16 + 24 + 6 + 5 &&
	      h.type == KHTTP_REC_RESPONSE && h.flags == KHTTP_REC_F_CACHE &&
	      h.id == 9 && ri.status == 200 && ri.headers_len == 6 &&
	      ri.body_len == 5 && ri.cache_ttl == 30 &&
	      ri.content_length == 5 && !memcmp(b + 40, "A: b\r\nhello", 11));
	check("encode: padding zeroed", zero);
	n = httpq_rec_encode_response(b, sizeof(b), 9, 0, 200, NULL, 0, 0,
				      NULL, 0, 30, 0);
	memcpy(&ri, b + sizeof(h), sizeof(ri));
	check("encode: ttl only with F_CACHE", n == 40 && ri.cache_ttl == 0);
	check("encode: no room", httpq_rec_encode_response(b, 48, 1, 0, 200,
	      "", 0, 0, "0123456789", 10, 0, 10) == -ENOSPC);
	check("encode: over KHTTP_REC_MAX", httpq_rec_encode_response(b,
	      sizeof(b), 1, 0, 200, "", 0, 0, b, KHTTP_REC_MAX, 0, 0) ==
	      -EMSGSIZE);
	n = httpq_rec_encode_body(b, sizeof(b), 3, 1, "xyz", 3);
	memcpy(&h, b, sizeof(h));
	check("encode: body record", n == 24 && h.len == 19 &&
	      h.type == KHTTP_REC_RESP_BODY && h.flags == KHTTP_REC_F_MORE &&
	      !httpq_rec_decode_body(b, h.len, &data, &dlen) && dlen == 3 &&
	      !memcmp(data, "xyz", 3));
	n = httpq_rec_encode_body(b, sizeof(b), 3, 0, NULL, 0);
	memcpy(&h, b, sizeof(h));
	check("encode: empty last body record", n == 16 && h.len == 16 &&
	      h.flags == 0);
	memset(b, 0xaa, sizeof(b));
	n = httpq_rec_encode_abort(b, sizeof(b), 7);
	memcpy(&h, b, sizeof(h));
	check("encode: abort record", n == 16 && h.len == 16 &&
	      h.type == KHTTP_REC_RESP_BODY && h.flags == KHTTP_REC_F_ABORT &&
	      h.id == 7);
	check("encode: abort, no room",
	      httpq_rec_encode_abort(b, 15, 7) == -ENOSPC);
	memset(b, 0xaa, sizeof(b));
	n = httpq_rec_encode_invalidate(b, sizeof(b), "/news/", 6);
	memcpy(&h, b, sizeof(h));
	check("encode: invalidate record", n == 24 && h.len == 22 &&
	      h.type == KHTTP_REC_INVALIDATE && h.flags == 0 && h.id == 0 &&
	      !memcmp(b + 16, "/news/", 6) && b[22] == 0 && b[23] == 0);
	check("encode: invalidate, no room",
	      httpq_rec_encode_invalidate(b, 16, "/x", 2) == -ENOSPC);
}

static int hdr_ok(const char *h, int want_crlf)
{
	int crlf = -1;

	return !httpq_check_headers(h, strlen(h), &crlf) && crlf == want_crlf;
}

static int hdr_bad(const char *h)
{
	int crlf;

	return httpq_check_headers(h, strlen(h), &crlf) == -EINVAL;
}

static void test_headers(void)
{
	static const char req[] = "Host: example.com\r\nX-Empty:\r\n"
		"content-type:  text/plain \r\nHostname: no\r\nX-A: 1\r\nx-a: 2\r\n";
	const char *v;
	size_t n = 99;

	check("check_headers: empty", hdr_ok("", 0));
	check("check_headers: two lines", hdr_ok("A: b\r\nC-d: e f\r\n", 0));
	check("check_headers: missing last CRLF", hdr_ok("A: b\r\nC: d", 1));
	check("check_headers: tab and obs-text", hdr_ok("A: b\tc\xc3\xa9\r\n", 0));
	check("check_headers: bare LF", hdr_bad("A: b\nC: d\r\n"));
	check("check_headers: bare CR", hdr_bad("A: b\rC: d\r\n"));
	check("check_headers: no colon", hdr_bad("Ab\r\n"));
	check("check_headers: space in name", hdr_bad("A b: c\r\n"));
	check("check_headers: empty name", hdr_bad(": c\r\n"));
	check("check_headers: control char", hdr_bad("A: b\x01\r\n"));
	check("check_headers: Content-Length reserved",
	      hdr_bad("X: 1\r\ncontent-LENGTH: 5\r\n"));
	check("check_headers: Transfer-Encoding reserved",
	      hdr_bad("Transfer-Encoding: chunked\r\n"));
	check("check_headers: Connection reserved", hdr_bad("Connection: close"));
	check("check_headers: TE, Upgrade, Date reserved", hdr_bad("TE: x\r\n") &&
	      hdr_bad("upgrade: h2c\r\n") && hdr_bad("Date: x\r\n"));
	check("check_headers: TE as a prefix is fine", hdr_ok("TEx: 1\r\n", 0));
	check("check_headers: Content-Type allowed",
	      hdr_ok("Content-Type: text/html\r\n", 0));

	v = httpq_find_header(req, strlen(req), "host", &n);
	check("find_header: case-insensitive", v && n == 11 &&
	      !memcmp(v, "example.com", 11));
	v = httpq_find_header(req, strlen(req), "Content-Type", &n);
	check("find_header: blanks trimmed", v && n == 10 &&
	      !memcmp(v, "text/plain", 10));
	v = httpq_find_header(req, strlen(req), "X-Empty", &n);
	check("find_header: empty value", v && n == 0);
	v = httpq_find_header(req, strlen(req), "X-A", &n);
	check("find_header: first wins", v && n == 1 && *v == '1');
	check("find_header: absent",
	      !httpq_find_header(req, strlen(req), "Cookie", &n));
	check("find_header: no prefix match",
	      !httpq_find_header(req, strlen(req), "Hostn", &n));
}

static int split_is(const char *t, const char *path, const char *query)
{
	size_t po, pl, qo, ql, n = strlen(t);

	httpq_split_target(t, n, &po, &pl, &qo, &ql);
	return pl == strlen(path) && !memcmp(t + po, path, pl) &&
	       ql == strlen(query) && !memcmp(t + qo, query, ql) && qo <= n;
}

static void test_split(void)
{
	check("split: path only", split_is("/a/b", "/a/b", ""));
	check("split: query", split_is("/a?x=1&y", "/a", "x=1&y"));
	check("split: empty query", split_is("/a?", "/a", ""));
	check("split: fragment", split_is("/a?q#f", "/a", "q"));
	check("split: absolute-form",
	      split_is("http://h.example:80/p/q?z", "/p/q", "z"));
	check("split: absolute-form without path",
	      split_is("http://h.example", "", ""));
	check("split: asterisk", split_is("*", "*", ""));
	check("split: colon in path is not a scheme",
	      split_is("/a:b//c", "/a:b//c", ""));
}

int main(void)
{
	test_next();
	test_decode();
	test_encode();
	test_headers();
	test_split();
	test_receive();
	test_big();
	test_refused();
	test_drain();
	test_serve();
	test_misc();
	test_ring();
	printf("httpq: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
