// SPDX-License-Identifier: GPL-2.0
/*
 * httpq_abuse's cases about answer records: each malformed record (bad
 * length, type, flags, id, status or header bytes) is refused with the
 * errno the contract names and changes nothing, so a correct answer still
 * reaches the client; and the well-formed ones (headers with tabs and
 * obs-text, a 204, an answer in several MORE records, a batch of answers
 * in one write, the largest record) are taken as they are.
 */
#include "httpq_abuse.h"

/* ---- cases: one bad write, then a good answer ---- */

enum { ID_KEEP, ID_PATCH, ID_NEXT };

/*
 * One client, its request in hand: writing @len bytes of @bad must fail
 * with @want and change nothing, so a correct answer still gets through.
 */
static void bad_write(const char *name, char *bad, size_t len, int want,
		      int idmode)
{
	struct khttp_rec *rec = (void *)bad;
	struct req q;
	int cfd;
	long n;

	begin(name);
	cfd = client_get(name);
	if (cfd < 0 || get_req(&q, name)) {
		if (cfd >= 0)
			close(cfd);
		end();
		return;
	}
	if (len >= REC_SZ && idmode == ID_PATCH)
		rec->id = q.id;
	else if (len >= REC_SZ && idmode == ID_NEXT)
		rec->id = q.id + 1;
	n = wr(qfd, bad, len);
	EXPECT(n == -want, "write returned %s, want errno %d (%s)", res(n),
	       want, strerror(want));
	answer_good(cfd, &q, name);
	end();
}

static char bad[1024];

static void bad_status(const char *name, unsigned int status)
{
	size_t len = mk_resp(bad, 0, status, 0, "", 0, "x", 1, 0);

	bad_write(name, bad, len, EINVAL, ID_PATCH);
}

static void bad_hdrs(const char *name, const char *h, size_t hl)
{
	size_t len = mk_resp(bad, 0, 200, 0, h, hl, "x", 1, 0);

	bad_write(name, bad, len, EINVAL, ID_PATCH);
}

#define BAD_HDRS(name, lit)	bad_hdrs(name, lit, sizeof(lit) - 1)

void structural_cases(void)
{
	struct khttp_rec *rec = (void *)bad;
	struct khttp_resp_info *ri = (void *)(rec + 1);
	size_t len;

	/* A zero-length write is a no-op; the correct answer works. */
	bad_write("zero-length-write", bad, 0, 0, ID_KEEP);

	len = mk_good(bad, 0, "x");
	bad_write("write-shorter-than-header", bad, REC_SZ - 1, EINVAL,
		  ID_KEEP);
	bad_write("write-one-byte", bad, 1, EINVAL, ID_KEEP);

	len = mk_good(bad, 0, "x");
	rec->len = REC_SZ - 1;
	bad_write("rec-len-below-header", bad, len, EINVAL, ID_PATCH);
	rec->len = 0;
	bad_write("rec-len-zero", bad, len, EINVAL, ID_PATCH);

	len = mk_good(bad, 0, "x");
	bad_write("rec-len-over-written", bad, len - 1, EINVAL, ID_PATCH);

	len = mk_good(bad, 0, "x");
	rec->len = KHTTP_REC_MAX + 1;
	bad_write("rec-len-over-max", bad, len, EMSGSIZE, ID_PATCH);
	rec->len = ~0U;
	bad_write("rec-len-u32-max", bad, len, EMSGSIZE, ID_PATCH);

	len = mk_good(bad, 0, "x");
	rec->type = 0;
	bad_write("type-zero", bad, len, EINVAL, ID_PATCH);
	rec->type = 6;	/* 5 is taken by KHTTP_REC_INVALIDATE */
	bad_write("type-unknown-6", bad, len, EINVAL, ID_PATCH);
	rec->type = 0xffff;
	bad_write("type-unknown-ffff", bad, len, EINVAL, ID_PATCH);
	rec->type = KHTTP_REC_REQUEST;
	bad_write("type-request-from-worker", bad, len, EINVAL, ID_PATCH);
	rec->type = KHTTP_REC_REQ_BODY;
	bad_write("type-req-body-from-worker", bad, len, EINVAL, ID_PATCH);

	len = mk_good(bad, 0, "x");
	rec->flags = KHTTP_REC_F_ABORT;
	bad_write("flag-abort-on-response", bad, len, EINVAL, ID_PATCH);
	rec->flags = 0x8;
	bad_write("flag-unknown-8", bad, len, EINVAL, ID_PATCH);
	rec->flags = 0x8000 | KHTTP_REC_F_MORE;
	bad_write("flag-unknown-8000", bad, len, EINVAL, ID_PATCH);

	len = mk_resp(bad, 0, 200, 0, "", 0, "", 0, 0);
	rec->len = REC_SZ + RI_SZ - 1;
	bad_write("response-shorter-than-info", bad, REC_SZ + RI_SZ - 1,
		  EINVAL, ID_PATCH);

	len = mk_good(bad, 0, "x");
	bad_write("id-never-delivered", bad, len, ENOENT, ID_NEXT);
	rec->id = 0;
	bad_write("id-zero", bad, len, ENOENT, ID_KEEP);
	rec->id = ~0ULL;
	bad_write("id-all-ones", bad, len, ENOENT, ID_KEEP);

	len = mk_body(bad, 0, 0, "abc", 3);
	bad_write("resp-body-before-response", bad, len, EINVAL, ID_PATCH);
	len = mk_body(bad, 0, KHTTP_REC_F_MORE, "", 0);
	bad_write("resp-body-empty-before-response", bad, len, EINVAL,
		  ID_PATCH);

	bad_status("status-0", 0);
	bad_status("status-99", 99);
	bad_status("status-100", 100);
	bad_status("status-199", 199);
	bad_status("status-600", 600);
	bad_status("status-65535", 65535);

	len = mk_resp(bad, 0, 200, 0, "X-A: b\r\n", 8, "xy", 2, 0);
	ri->headers_len++;
	bad_write("headers-len-too-big", bad, len, EINVAL, ID_PATCH);
	ri->headers_len -= 2;
	bad_write("headers-len-too-small", bad, len, EINVAL, ID_PATCH);
	ri->headers_len = 8;
	ri->body_len = 3;
	bad_write("body-len-too-big", bad, len, EINVAL, ID_PATCH);
	ri->body_len = 1;
	bad_write("body-len-too-small", bad, len, EINVAL, ID_PATCH);
	/* 32-bit sums that wrap around to the right total. */
	ri->headers_len = ~0U;
	ri->body_len = 8 + 2 + 1;
	bad_write("lengths-wrap-u32", bad, len, EINVAL, ID_PATCH);
	ri->headers_len = 8;
	ri->body_len = 2;
	ri->reserved = 1;
	bad_write("resp-info-reserved-set", bad, len, EINVAL, ID_PATCH);

	BAD_HDRS("hdr-cr-in-value", "X-A: b\rc\r\n");
	BAD_HDRS("hdr-lf-in-value", "X-A: b\nc\r\n");
	BAD_HDRS("hdr-crlf-in-value", "X-A: b\r\nSet-Cookie: evil\r\n\r\n");
	BAD_HDRS("hdr-nul-in-value", "X-A: b\0c\r\n");
	BAD_HDRS("hdr-nul-in-name", "X-\0A: b\r\n");
	BAD_HDRS("hdr-nul-name", "\0: b\r\n");
	BAD_HDRS("hdr-8bit-in-name", "X-Caf\xe9: b\r\n");
	BAD_HDRS("hdr-utf8-in-name", "X-Caf\xc3\xa9: b\r\n");
	BAD_HDRS("hdr-del-in-name", "X-\x7f: b\r\n");
	BAD_HDRS("hdr-del-in-value", "X-A: b\x7f\r\n");
	BAD_HDRS("hdr-ctl-in-value", "X-A: b\x01\r\n");
	BAD_HDRS("hdr-missing-crlf", "X-A: b");
	BAD_HDRS("hdr-missing-lf", "X-A: b\r");
	BAD_HDRS("hdr-bare-lf", "X-A: b\n");
	BAD_HDRS("hdr-second-missing-crlf", "X-A: b\r\nX-B: c");
	BAD_HDRS("hdr-no-colon", "X-A b\r\n");
	BAD_HDRS("hdr-only-crlf", "\r\n");
	BAD_HDRS("hdr-empty-name", ": b\r\n");
	BAD_HDRS("hdr-space-in-name", "X A: b\r\n");
	BAD_HDRS("hdr-space-before-colon", "X-A : b\r\n");
	BAD_HDRS("hdr-leading-space", " X-A: b\r\n");
	BAD_HDRS("hdr-obs-fold", "X-A: b\r\n c\r\n");
	BAD_HDRS("hdr-non-token-name", "X(A): b\r\n");
	BAD_HDRS("hdr-content-length", "Content-Length: 1\r\n");
	BAD_HDRS("hdr-content-length-lower", "content-length: 1\r\n");
	BAD_HDRS("hdr-transfer-encoding", "Transfer-Encoding: chunked\r\n");
	BAD_HDRS("hdr-transfer-encoding-upper", "TRANSFER-ENCODING: chunked\r\n");
	BAD_HDRS("hdr-connection", "Connection: keep-alive\r\n");
	BAD_HDRS("hdr-connection-mixed", "cOnNeCtIoN: close\r\n");
	BAD_HDRS("hdr-date", "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n");
	BAD_HDRS("hdr-server", "Server: evil\r\n");
	BAD_HDRS("hdr-server-lower", "server: evil\r\n");
	BAD_HDRS("hdr-keep-alive", "Keep-Alive: timeout=5\r\n");
	BAD_HDRS("hdr-upgrade", "Upgrade: websocket\r\n");
	BAD_HDRS("hdr-reserved-after-good", "X-A: b\r\nContent-Length: 1\r\n");

	len = mk_resp(bad, 0, 204, 0, "", 0, "x", 1, 0);
	bad_write("204-with-body", bad, len, EINVAL, ID_PATCH);
	len = mk_resp(bad, 0, 304, 0, "", 0, "x", 1, 0);
	bad_write("304-with-body", bad, len, EINVAL, ID_PATCH);
	len = mk_resp(bad, 0, 204, KHTTP_REC_F_MORE, "", 0, "", 0, 10);
	bad_write("204-with-more", bad, len, EINVAL, ID_PATCH);
	len = mk_resp(bad, 0, 200, KHTTP_REC_F_MORE, "", 0, "0123456789a",
		      11, 10);
	bad_write("more-response-body-over-length", bad, len, EINVAL,
		  ID_PATCH);
}

/* ---- cases with more than one write ---- */

/* Headers a worker may send arrive intact; tabs and obs-text allowed. */
void good_headers_case(void)
{
	static const char h[] = "X-Tab: a\tb\r\nX-Empty:\r\nX-Obs: caf\xc3\xa9\r\n"
				"Cache-Control: no-store\r\n";
	struct req q;
	struct resp *r;
	size_t len;
	long n;
	int cfd;

	begin("good-headers-pass-through");
	cfd = client_get("goodhdr");
	if (cfd < 0 || get_req(&q, "goodhdr"))
		goto out;
	len = mk_resp(wbuf, q.id, 201, 0, h, sizeof(h) - 1, "made\n", 5, 0);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "write %s, want %zu", res(n), len);
	r = client_wait(cfd, WAIT_MS);
	cfd = -1;
	EXPECT(r->status == 201, "status %d", r->status);
	EXPECT(resp_has(r, "X-Tab: a\tb") && resp_has(r, "X-Empty:") &&
	       resp_has(r, "X-Obs: caf\xc3\xa9") &&
	       resp_has(r, "Cache-Control: no-store"),
	       "headers not passed through: %.300s", r->buf);
	EXPECT(resp_has(r, "Content-Length: 5") && resp_has(r, "Server: khttp"),
	       "kernel framing headers missing: %.300s", r->buf);
	EXPECT(!strcmp(resp_body(r), "made\n"), "body '%s'", resp_body(r));
out:
	if (cfd >= 0)
		close(cfd);
	end();
}

void answered_twice_case(void)
{
	struct req q;
	size_t len;
	long n;
	int cfd;

	begin("id-already-answered");
	cfd = client_get("twice");
	if (cfd < 0 || get_req(&q, "twice")) {
		if (cfd >= 0)
			close(cfd);
		end();
		return;
	}
	answer_good(cfd, &q, "twice");
	len = mk_good(wbuf, q.id, "again");
	n = wr(qfd, wbuf, len);
	EXPECT(n == -ENOENT, "second RESPONSE: %s, want ENOENT", res(n));
	len = mk_body(wbuf, q.id, 0, "tail", 4);
	n = wr(qfd, wbuf, len);
	EXPECT(n == -ENOENT, "RESP_BODY after the final response: %s, want ENOENT",
	       res(n));
	end();
}

/* A 204 without a body is fine, and gets no Content-Length. */
void good_204_case(void)
{
	struct req q;
	struct resp *r;
	size_t len;
	long n;
	int cfd;

	begin("204-without-body");
	cfd = client_get("204");
	if (cfd < 0 || get_req(&q, "204")) {
		if (cfd >= 0)
			close(cfd);
		end();
		return;
	}
	len = mk_resp(wbuf, q.id, 204, 0, "X-A: b\r\n", 8, "", 0, 0);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "write %s", res(n));
	r = client_wait(cfd, WAIT_MS);
	EXPECT(r->status == 204, "status %d", r->status);
	EXPECT(!strcasestr(r->buf, "Content-Length"), "204 with a Content-Length");
	EXPECT(!*resp_body(r), "204 with body bytes '%s'", resp_body(r));
	end();
}

/*
 * F_MORE with content_length 10: body records must total exactly 10.
 * @first/@second are the two RESP_BODY payload sizes; the second is the
 * last.  If they do not add up to 10 the second must fail with EINVAL and
 * the client must be reset, not left hanging.
 */
void more_case(const char *name, size_t first, size_t second,
	       bool second_more)
{
	static const char data[] = "0123456789abcdefghij";
	bool good = first + second == 10 && !second_more;
	struct req q;
	struct resp *r;
	size_t len;
	long n;
	int cfd;

	begin(name);
	cfd = client_get(name);
	if (cfd < 0 || get_req(&q, name)) {
		if (cfd >= 0)
			close(cfd);
		end();
		return;
	}
	len = mk_resp(wbuf, q.id, 200, KHTTP_REC_F_MORE, "", 0, "", 0, 10);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "RESPONSE with F_MORE: %s", res(n));
	if (!good && first <= 10) {
		/* A second RESPONSE while the first is being streamed. */
		len = mk_good(wbuf, q.id, "second");
		n = wr(qfd, wbuf, len);
		EXPECT(n == -EINVAL, "second RESPONSE: %s, want EINVAL", res(n));
	}
	len = mk_body(wbuf, q.id, KHTTP_REC_F_MORE, data, first);
	n = wr(qfd, wbuf, len);
	if (first > 10) {
		EXPECT(n == -EINVAL, "first RESP_BODY (%zu bytes): %s, want EINVAL",
		       first, res(n));
	} else {
		EXPECT(n == (long)len, "first RESP_BODY: %s", res(n));
		len = mk_body(wbuf, q.id, second_more ? KHTTP_REC_F_MORE : 0,
			      data + first, second);
		n = wr(qfd, wbuf, len);
		if (good)
			EXPECT(n == (long)len, "last RESP_BODY: %s", res(n));
		else
			EXPECT(n == -EINVAL, "RESP_BODY making %zu of 10: %s, want EINVAL",
			       first + second, res(n));
	}
	r = client_wait(cfd, WAIT_MS);
	if (good) {
		EXPECT(r->status == 200 && r->end == END_EOF &&
		       resp_has(r, "Content-Length: 10") &&
		       !strcmp(resp_body(r), "0123456789"),
		       "client got %s: %.200s", end_names[r->end], r->buf);
	} else {
		EXPECT(r->end == END_RESET,
		       "client connection ended by %s, want reset: %.200s",
		       end_names[r->end], r->buf);
		/* The request is over: its id is gone. */
		len = mk_body(wbuf, q.id, 0, "x", 1);
		n = wr(qfd, wbuf, len);
		EXPECT(n == -ENOENT, "RESP_BODY after the reset: %s, want ENOENT",
		       res(n));
	}
	end();
}

/* Three answers in one write, the second invalid. */
void batch_case(void)
{
	static const char * const names[3] = { "batch-0", "batch-1", "batch-2" };
	struct req q[3], got;
	size_t off[4], len;
	int cfd[3], i, j;
	long n;

	begin("batch-second-invalid");
	for (i = 0; i < 3; i++)
		cfd[i] = client_get(names[i]);
	for (i = 0; i < 3; i++)
		q[i].id = 0;
	for (i = 0; i < 3; i++) {
		if (get_req(&got, NULL))
			break;
		for (j = 0; j < 3; j++) {
			char want[64];

			snprintf(want, sizeof(want), "%s%s", prefix, names[j]);
			if (!strcmp(got.target, want))
				q[j] = got;
		}
	}
	for (i = 0; i < 3; i++)
		if (cfd[i] < 0 || !q[i].id)
			goto out;
	/* Odd lengths, so the records sit on 8-byte boundaries with padding. */
	off[0] = 0;
	len = mk_good(wbuf, q[0].id, "batch-0");
	off[1] = ALIGN8(len);
	len = mk_resp(wbuf + off[1], q[1].id, 700, 0, "", 0, "bad", 3, 0);
	off[2] = off[1] + ALIGN8(len);
	len = mk_good(wbuf + off[2], q[2].id, "batch-2z");
	off[3] = off[2] + len;
	n = wr(qfd, wbuf, off[3]);
	EXPECT(n == (long)off[1], "write of 3 records: %s, want %zu (the first only)",
	       res(n), off[1]);
	check_good(client_wait(cfd[0], WAIT_MS), "batch-0");
	cfd[0] = -1;
	/* The third was not processed: it can be written now. */
	n = wr(qfd, wbuf + off[2], len);
	EXPECT(n == (long)len, "re-writing the third: %s", res(n));
	check_good(client_wait(cfd[2], WAIT_MS), "batch-2z");
	cfd[2] = -1;
	/* The second is still in hand. */
	answer_good(cfd[1], &q[1], "batch-1");
	cfd[1] = -1;
out:
	for (i = 0; i < 3; i++)
		if (cfd[i] >= 0) {
			FAIL("request %d of the batch never arrived", i);
			close(cfd[i]);
		}
	end();
}

/* The largest record is accepted; one byte more is not. */
void max_record_case(void)
{
	static const char h[] = "Content-Type: application/octet-stream\r\n";
	size_t bl = KHTTP_REC_MAX - REC_SZ - RI_SZ - (sizeof(h) - 1);
	struct req q;
	struct resp *r;
	size_t len;
	long n;
	int cfd;

	begin("record-max-size");
	cfd = client_get("max");
	if (cfd < 0 || get_req(&q, "max")) {
		if (cfd >= 0)
			close(cfd);
		end();
		return;
	}
	memset(wbuf + REC_SZ + RI_SZ + sizeof(h) - 1, 'm', bl + 1);
	len = mk_resp(wbuf, q.id, 200, 0, h, sizeof(h) - 1,
		      wbuf + REC_SZ + RI_SZ + sizeof(h) - 1, bl + 1, 0);
	n = wr(qfd, wbuf, len);
	EXPECT(n == -EMSGSIZE, "record of KHTTP_REC_MAX+1: %s, want EMSGSIZE",
	       res(n));
	len = mk_resp(wbuf, q.id, 200, 0, h, sizeof(h) - 1,
		      wbuf + REC_SZ + RI_SZ + sizeof(h) - 1, bl, 0);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "record of KHTTP_REC_MAX: %s, want %zu", res(n),
	       len);
	r = client_wait(cfd, 4 * WAIT_MS);
	EXPECT(r->status == 200 && r->end == END_EOF &&
	       r->total == (size_t)(resp_body(r) - r->buf) + bl,
	       "client got %zu bytes, %s", r->total, end_names[r->end]);
	end();
}
