// SPDX-License-Identifier: GPL-2.0
/*
 * httpq_abuse's cases about answers in flight: a streamed (chunked)
 * answer in several records, a stream the worker aborts, a client that
 * leaves before or while it is answered (the answer is accepted and
 * dropped), and a worker that writes faster than the client reads.
 */
#include "httpq_abuse.h"

/* A streamed (chunked) answer in several records works. */
void chunked_case(void)
{
	struct req q;
	struct resp *r;
	size_t len;
	long n;
	int cfd;

	begin("more-chunked-good");
	cfd = client_get("chunked");
	if (cfd < 0 || get_req(&q, "chunked")) {
		if (cfd >= 0)
			close(cfd);
		end();
		return;
	}
	len = mk_resp(wbuf, q.id, 200, KHTTP_REC_F_MORE, "", 0, "ab", 2,
		      KHTTP_LENGTH_CHUNKED);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "RESPONSE: %s", res(n));
	len = mk_body(wbuf, q.id, KHTTP_REC_F_MORE, "cde", 3);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "RESP_BODY: %s", res(n));
	len = mk_body(wbuf, q.id, 0, "", 0);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "last RESP_BODY: %s", res(n));
	r = client_wait(cfd, WAIT_MS);
	EXPECT(r->status == 200 && r->end == END_EOF &&
	       resp_has(r, "Transfer-Encoding: chunked") &&
	       !strcmp(resp_body(r), "2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n"),
	       "client got %s: %.200s", end_names[r->end], r->buf);
	end();
}

/*
 * KHTTP_REC_F_ABORT: a streamed answer whose source broke.  The client's
 * connection is reset: no terminating chunk, no clean end, under chunked
 * coding (@clen KHTTP_LENGTH_CHUNKED) as under a Content-Length.
 */
void abort_case(const char *name, uint64_t clen)
{
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
	/* Refused before a streamed response begins, and changes nothing. */
	len = mk_body(wbuf, q.id, KHTTP_REC_F_ABORT, "", 0);
	n = wr(qfd, wbuf, len);
	EXPECT(n == -EINVAL, "abort before the RESPONSE: %s, want EINVAL",
	       res(n));
	len = mk_resp(wbuf, q.id, 200, KHTTP_REC_F_MORE, "", 0, "ab", 2, clen);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "RESPONSE: %s", res(n));
	len = mk_body(wbuf, q.id, KHTTP_REC_F_MORE, "cde", 3);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "RESP_BODY: %s", res(n));
	/* An abort carries nothing else: data or another flag is EINVAL. */
	len = mk_body(wbuf, q.id, KHTTP_REC_F_ABORT, "x", 1);
	n = wr(qfd, wbuf, len);
	EXPECT(n == -EINVAL, "abort with data: %s, want EINVAL", res(n));
	len = mk_body(wbuf, q.id, KHTTP_REC_F_ABORT | KHTTP_REC_F_MORE, "", 0);
	n = wr(qfd, wbuf, len);
	EXPECT(n == -EINVAL, "abort with F_MORE: %s, want EINVAL", res(n));
	len = mk_body(wbuf, q.id, KHTTP_REC_F_ABORT, "", 0);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "abort: %s", res(n));
	r = client_wait(cfd, WAIT_MS);
	EXPECT(r->end == END_RESET,
	       "client connection ended by %s, want reset: %.200s",
	       end_names[r->end], r->buf);
	EXPECT(!strstr(r->buf, "0\r\n\r\n"),
	       "a terminating chunk reached the client: %.200s", r->buf);
	/* The request is over: its id is gone. */
	n = wr(qfd, wbuf, len);
	EXPECT(n == -ENOENT, "abort after the abort: %s, want ENOENT", res(n));
	end();
}

/* The client left; the answer is accepted and dropped. */
void client_gone_case(const char *name, bool reset)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct req q;
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
	if (reset)
		setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(cfd);
	msleep(200);
	len = mk_good(wbuf, q.id, name);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "answer to a departed client: %s, want %zu",
	       res(n), len);
	n = wr(qfd, wbuf, len);
	EXPECT(n == -ENOENT, "a second answer: %s, want ENOENT", res(n));
	end();
}

/* A streamed answer whose client leaves half way: the rest is dropped. */
void client_gone_stream_case(void)
{
	struct req q;
	size_t len;
	long n;
	int cfd;

	begin("client-gone-mid-stream");
	cfd = client_get("gone-stream");
	if (cfd < 0 || get_req(&q, "gone-stream")) {
		if (cfd >= 0)
			close(cfd);
		end();
		return;
	}
	len = mk_resp(wbuf, q.id, 200, KHTTP_REC_F_MORE, "", 0, "a", 1, 3);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "RESPONSE: %s", res(n));
	close(cfd);
	msleep(200);
	len = mk_body(wbuf, q.id, KHTTP_REC_F_MORE, "b", 1);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "RESP_BODY after the client left: %s", res(n));
	len = mk_body(wbuf, q.id, 0, "c", 1);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "last RESP_BODY after the client left: %s",
	       res(n));
	end();
}

/*
 * A client that does not read: a nonblocking worker's body writes stop
 * with EAGAIN (bounded buffering), and once the client is gone the rest
 * is accepted and dropped.
 */
void backpressure_case(void)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	const size_t chunk = 60000;
	size_t len, total = 0;
	struct req q;
	int cfd, fl;
	long n = 0;

	begin("nonblock-write-backpressure");
	cfd = client_get("slow");
	if (cfd < 0 || get_req(&q, "slow")) {
		if (cfd >= 0)
			close(cfd);
		end();
		return;
	}
	fl = fcntl(qfd, F_GETFL);
	fcntl(qfd, F_SETFL, fl | O_NONBLOCK);
	len = mk_resp(wbuf, q.id, 200, KHTTP_REC_F_MORE, "", 0, "", 0,
		      KHTTP_LENGTH_CHUNKED);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "RESPONSE: %s", res(n));
	memset(wbuf + REC_SZ, 's', chunk);
	while (total < (64U << 20)) {
		len = mk_body(wbuf, q.id, KHTTP_REC_F_MORE, wbuf + REC_SZ, chunk);
		n = wr(qfd, wbuf, len);
		if (n < 0)
			break;
		total += chunk;
	}
	EXPECT(n == -EAGAIN, "after %zu body bytes to a client that does not read: %s, want EAGAIN",
	       total, res(n));
	setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(cfd);
	msleep(300);
	len = mk_body(wbuf, q.id, 0, "end", 3);
	n = wr(qfd, wbuf, len);
	EXPECT(n == (long)len, "last RESP_BODY once the client left: %s", res(n));
	n = wr(qfd, wbuf, len);
	EXPECT(n == -ENOENT, "then: %s, want ENOENT", res(n));
	fcntl(qfd, F_SETFL, fl);
	end();
}
