// SPDX-License-Identifier: GPL-2.0
/*
 * libhttpq's unit tests of what it does on a file: httpq_receive() and
 * httpq_respond() over a SOCK_SEQPACKET socket pair (which, like
 * /dev/httpq, returns whole writes per read), large records, writes the
 * "kernel" refuses (write() is wrapped with -Wl,--wrap=write), drain and
 * serve, and httpq_open()'s argument checks.
 */
#include "test_httpq.h"

/* ---- receive and respond, over a socket pair --------------------------- */

static int send_buf(int fd, const struct buf *m)
{
	return write(fd, m->b, m->len) == (ssize_t)m->len;
}

static int streq(const char *s, size_t n, const char *want)
{
	return n == strlen(want) && !memcmp(s, want, n) && s[n] == '\0';
}

void test_receive(void)
{
	struct buf *m = calloc(1, sizeof(*m));
	struct httpq_request r;
	struct httpq *q;
	int sv[2], ret, ok;
	size_t len;
	const char *v;
	char big[3000];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
		check("receive: socketpair", 0);
		free(m);
		return;
	}
	q = httpq_fdopen(sv[0], HTTPQ_NONBLOCK);
	check("receive: fdopen", q != NULL && httpq_fd(q) == sv[0]);
	check("receive: nothing waiting", httpq_receive(q, &r) == 0);

	add_request(m, 1, 0, KHTTP_HTTP_GET, "GET", "/one?a=b",
		    "Host: h\r\nAccept: */*\r\n", "", 0, 0);
	add_request(m, 2, 0, KHTTP_HTTP_OTHER, "BREW", "/two", "", "tea", 3, 3);
	send_buf(sv[1], m);
	ret = httpq_receive(q, &r);
	check("receive: first of a batch", ret == 1 && r.id == 1 &&
	      r.method == KHTTP_HTTP_GET && streq(r.method_str, r.method_len, "GET") &&
	      streq(r.target, r.target_len, "/one?a=b") &&
	      streq(r.path, r.path_len, "/one") &&
	      streq(r.query, r.query_len, "a=b") && r.body_len == 0 &&
	      r.body != NULL && r.version == 11 && r.client.port == 40000 &&
	      streq(r.headers, r.headers_len, "Host: h\r\nAccept: */*\r\n"));
	v = httpq_header(&r, "accept", &len);
	check("receive: httpq_header", v && len == 3 && !memcmp(v, "*/*", 3));
	ret = httpq_receive(q, &r);
	check("receive: second of a batch, body in the record", ret == 1 &&
	      r.id == 2 && streq(r.method_str, r.method_len, "BREW") &&
	      streq(r.query, r.query_len, "") && r.body_len == 3 &&
	      !memcmp(r.body, "tea", 3) && r.content_length == 3);
	check("receive: batch used up", httpq_receive(q, &r) == 0);

	/* a body in three records, two reads, with a wait in between */
	memset(big, 'b', sizeof(big));
	m->len = 0;
	add_request(m, 3, KHTTP_REC_F_MORE, KHTTP_HTTP_PUT, "PUT", "/up",
		    "", "aaaa", 4, 4 + sizeof(big) + 2);
	add_body(m, 3, 1, big, sizeof(big));
	send_buf(sv[1], m);
	check("receive: partial body waits", httpq_receive(q, &r) == 0);
	m->len = 0;
	add_body(m, 3, 0, "cc", 2);
	add_request(m, 4, 0, KHTTP_HTTP_GET, "GET", "/after", "", "", 0, 0);
	send_buf(sv[1], m);
	ret = httpq_receive(q, &r);
	ok = ret == 1 && r.id == 3 && r.body_len == 4 + sizeof(big) + 2 &&
	     streq(r.target, r.target_len, "/up") &&
	     !memcmp(r.body, "aaaa", 4) &&
	     !memcmp((const char *)r.body + 4, big, sizeof(big)) &&
	     !memcmp((const char *)r.body + 4 + sizeof(big), "cc", 2);
	check("receive: body gathered across reads", ok);
	ret = httpq_receive(q, &r);
	check("receive: next request after the body", ret == 1 && r.id == 4 &&
	      r.body_len == 0);

	/* a body record for another id is a protocol error */
	m->len = 0;
	add_request(m, 5, KHTTP_REC_F_MORE, KHTTP_HTTP_POST, "POST", "/p",
		    "", "", 0, 2);
	add_body(m, 6, 0, "zz", 2);
	send_buf(sv[1], m);
	check("receive: body for another id", httpq_receive(q, &r) == -EPROTO);

	/* garbage */
	m->len = 0;
	put(m, "\x04\0\0\0garbage!", 12);
	send_buf(sv[1], m);
	check("receive: malformed record", httpq_receive(q, &r) == -EPROTO);

	/* a response goes out only on flush (or before the next read) */
	ret = httpq_respond(q, 4, 200, "X: y", "ok", 2);
	ok = ret == 0 && recv(sv[1], m->b, sizeof(m->b), MSG_DONTWAIT) < 0;
	check("respond: batched until flushed", ok);
	ret = httpq_respond(q, 3, 201, NULL, NULL, 0);
	check("respond: second queued", ret == 0 && httpq_flush(q) == 0);
	ret = (int)recv(sv[1], m->b, sizeof(m->b), MSG_DONTWAIT);
	{
		struct khttp_rec h1, h2;
		struct khttp_resp_info ri;

		memcpy(&h1, m->b, sizeof(h1));
		memcpy(&ri, m->b + 16, sizeof(ri));
		memcpy(&h2, m->b + 48, sizeof(h2));
		check("respond: two records in one write", ret == 48 + 40 &&
		      h1.id == 4 && h1.len == 16 + 24 + 6 + 2 &&
		      ri.status == 200 && ri.headers_len == 6 &&
		      !memcmp(m->b + 40, "X: y\r\nok", 8) &&
		      h2.id == 3 && h2.len == 40 && h2.flags == 0);
	}
	check("respond: bad status", httpq_respond(q, 1, 199, NULL, NULL, 0) ==
	      -EINVAL && httpq_respond(q, 1, 600, NULL, NULL, 0) == -EINVAL);
	check("respond: reserved header",
	      httpq_respond(q, 1, 200, "Content-Length: 3\r\n", "abc", 3) ==
	      -EINVAL);
	check("respond: nothing queued by refusals", httpq_flush(q) == 0 &&
	      recv(sv[1], m->b, sizeof(m->b), MSG_DONTWAIT) < 0);

	/* cacheable answers carry F_CACHE and the TTL; TTL 0 does not */
	ok = !httpq_respond_cached(q, 7, 200, "A: b", "hi", 2, 60) &&
	     !httpq_respond_cached(q, 8, 200, NULL, "hi", 2, 0) &&
	     !httpq_flush(q);
	ret = (int)recv(sv[1], m->b, sizeof(m->b), MSG_DONTWAIT);
	{
		struct khttp_rec h1, h2;
		struct khttp_resp_info r1, r2;

		memcpy(&h1, m->b, sizeof(h1));
		memcpy(&r1, m->b + 16, sizeof(r1));
		memcpy(&h2, m->b + 48, sizeof(h2));
		memcpy(&r2, m->b + 64, sizeof(r2));
		check("respond_cached: F_CACHE and cache_ttl", ok &&
		      ret == 48 + 48 && h1.id == 7 &&
		      h1.flags == KHTTP_REC_F_CACHE && r1.cache_ttl == 60 &&
		      r1.content_length == 2 && h2.id == 8 && h2.flags == 0 &&
		      r2.cache_ttl == 0);
	}

	/* invalidate: queued after pending responses, flushed at once */
	ok = !httpq_respond(q, 9, 200, NULL, "x", 1) &&
	     httpq_invalidate(q, "/news/") == 0;
	ret = (int)recv(sv[1], m->b, sizeof(m->b), MSG_DONTWAIT);
	{
		struct khttp_rec h1, h2;
		int ret2 = (int)recv(sv[1], m->b + 256, 256, MSG_DONTWAIT);

		memcpy(&h1, m->b, sizeof(h1));
		memcpy(&h2, m->b + 256, sizeof(h2));
		check("invalidate: pending response first, then the record",
		      ok && ret == 48 && h1.id == 9 &&
		      h1.type == KHTTP_REC_RESPONSE && ret2 == 24 &&
		      h2.type == KHTTP_REC_INVALIDATE && h2.len == 22 &&
		      h2.id == 0 && h2.flags == 0 &&
		      !memcmp(m->b + 256 + 16, "/news/", 6));
	}
	check("invalidate: NULL or empty prefix",
	      httpq_invalidate(q, NULL) == -EINVAL &&
	      httpq_invalidate(q, "") == -EINVAL &&
	      httpq_invalidate(NULL, "/") == -EINVAL &&
	      recv(sv[1], m->b, sizeof(m->b), MSG_DONTWAIT) < 0);

	close(sv[1]);
	check("receive: end of file is ENODEV", httpq_receive(q, &r) == -ENODEV);
	httpq_close(q);
	free(m);
}

/* Big and streamed responses, written to a file and read back. */
void test_big(void)
{
	size_t blen = 1300000, off = 0, got = 0, size, records = 0;
	unsigned char *body = malloc(blen), *out = NULL;
	char path[] = "/tmp/test_httpq.XXXXXX";
	struct khttp_rec h;
	struct khttp_resp_info ri;
	struct httpq *q;
	int fd, ok = 1, i;
	ssize_t n;

	for (size = 0; size < blen; size++)
		body[size] = (unsigned char)(size * 7);
	fd = mkstemp(path);
	unlink(path);
	q = httpq_fdopen(fd, 0);
	ok = httpq_respond(q, 77, 200, "Content-Type: a/b\r\n", body, blen) == 0;
	ok &= httpq_stream_begin(q, 78, 200, NULL, HTTPQ_CHUNKED) == 0;
	for (i = 0; i < 3; i++)
		ok &= httpq_stream_write(q, 78, "abc", 3, i == 2) == 0;
	ok &= httpq_stream_write(q, 78, NULL, 0, 0) == 0;
	ok &= httpq_flush(q) == 0;
	check("big: queued and flushed", ok);
	size = (size_t)lseek(fd, 0, SEEK_END);
	out = malloc(size);
	ok = pread(fd, out, size, 0) == (ssize_t)size;

	/* RESPONSE with F_MORE and part of the body, then RESP_BODY records */
	n = httpq_rec_next(out, size, &h);
	memcpy(&ri, out + 16, sizeof(ri));
	ok &= n > 0 && h.type == KHTTP_REC_RESPONSE &&
	      (h.flags & KHTTP_REC_F_MORE) && ri.content_length == blen &&
	      ri.headers_len == 19;
	ok &= !memcmp(out + 40 + 19, body, ri.body_len);
	got = ri.body_len;
	off = (size_t)n;
	while (ok && got < blen) {
		const void *d;
		size_t dl;

		n = httpq_rec_next(out + off, size - off, &h);
		ok &= n > 0 && h.type == KHTTP_REC_RESP_BODY && h.id == 77 &&
		      !httpq_rec_decode_body(out + off, h.len, &d, &dl) &&
		      !memcmp(d, body + got, dl) && h.len <= KHTTP_REC_MAX;
		got += dl;
		records++;
		off += (size_t)n;
		ok &= ((h.flags & KHTTP_REC_F_MORE) != 0) == (got < blen);
	}
	check("big: body split into records, in order", ok && got == blen &&
	      records >= 2);

	n = httpq_rec_next(out + off, size - off, &h);
	memcpy(&ri, out + off + 16, sizeof(ri));
	ok = n > 0 && h.type == KHTTP_REC_RESPONSE && h.id == 78 &&
	     h.flags == KHTTP_REC_F_MORE && ri.body_len == 0 &&
	     ri.content_length == KHTTP_LENGTH_CHUNKED;
	off += (size_t)(n > 0 ? n : 0);
	for (i = 0; ok && i < 3; i++) {
		n = httpq_rec_next(out + off, size - off, &h);
		ok &= n > 0 && h.type == KHTTP_REC_RESP_BODY && h.id == 78 &&
		      h.len == 19 && !memcmp(out + off + 16, "abc", 3) &&
		      (h.flags == (i == 2 ? 0 : KHTTP_REC_F_MORE));
		off += (size_t)(n > 0 ? n : 0);
	}
	check("big: streamed response records", ok && off == size);
	httpq_close(q);
	free(out);
	free(body);
}

/*
 * A fake device for the refusal path: the test links with
 * -Wl,--wrap=write, and writes to fake_fd are processed like khttp does,
 * record by record, refusing ids listed in bad_ids with ENOENT.
 */
ssize_t __real_write(int fd, const void *b, size_t n);
ssize_t __wrap_write(int fd, const void *b, size_t n);
static int fake_fd = -1;
static uint64_t bad_ids[4];
static uint64_t seen[64];
static int nseen, nwrites, refuse_invalidate;

ssize_t __wrap_write(int fd, const void *b, size_t n)
{
	const unsigned char *p = b;
	struct khttp_rec h;
	size_t off = 0;
	ssize_t k;
	int i;

	if (fd != fake_fd)
		return __real_write(fd, b, n);
	nwrites++;
	while (off < n) {
		k = httpq_rec_next(p + off, n - off, &h);
		if (k < 0) {
			errno = EINVAL;
			return off ? (ssize_t)off : -1;
		}
		if (refuse_invalidate && h.type == KHTTP_REC_INVALIDATE) {
			errno = EINVAL;
			return off ? (ssize_t)off : -1;
		}
		for (i = 0; i < 4; i++)
			if (bad_ids[i] && bad_ids[i] == h.id) {
				errno = ENOENT;
				return off ? (ssize_t)off : -1;
			}
		if (nseen < 64)
			seen[nseen++] = h.id;
		off += (size_t)k;
	}
	return (ssize_t)n;
}

void test_refused(void)
{
	static char big[700000];
	struct httpq *q;
	int ok, fd = open("/dev/null", O_RDWR);

	fake_fd = fd;
	q = httpq_fdopen(fd, 0);
	bad_ids[0] = 2;
	ok = !httpq_respond(q, 1, 200, NULL, "a", 1) &&
	     !httpq_respond(q, 2, 200, NULL, big, sizeof(big)) &&
	     !httpq_respond(q, 3, 200, NULL, "c", 1);
	ok &= httpq_flush(q) == -ENOENT;
	check("refused: flush reports the refused response", ok);
	check("refused: the others are written, the refused one skipped whole",
	      nseen == 2 && seen[0] == 1 && seen[1] == 3);
	check("refused: error reported once", httpq_flush(q) == 0);
	nseen = 0;
	bad_ids[0] = 0;
	ok = !httpq_respond(q, 4, 200, NULL, "d", 1);
	nwrites = 0;
	ok &= httpq_flush(q) == 0;
	check("refused: later responses go through", ok && nseen == 1 &&
	      seen[0] == 4 && nwrites == 1);

	/* a refused invalidation is its own error, not a response's */
	nseen = 0;
	bad_ids[0] = 5;
	refuse_invalidate = 1;
	ok = !httpq_respond(q, 5, 200, NULL, "e", 1) &&
	     !httpq_respond(q, 6, 200, NULL, "f", 1);
	ok &= httpq_invalidate(q, "http://h:80/x") == -EINVAL;
	check("refused: invalidate reports its own refusal", ok &&
	      nseen == 1 && seen[0] == 6);
	refuse_invalidate = 0;
	bad_ids[0] = 0;
	check("refused: earlier response error kept for flush",
	      httpq_flush(q) == -ENOENT && httpq_flush(q) == 0);
	nseen = 0;
	ok = httpq_invalidate(q, "/") == 0;
	check("refused: accepted invalidate returns 0", ok && nseen == 1 &&
	      seen[0] == 0);
	httpq_close(q);
	fake_fd = -1;
}

/* ---- drain and serve ---------------------------------------------- */

/* Ids of the RESPONSE records waiting on @fd, in order; their count. */
static int answered(int fd, uint64_t *ids, int max)
{
	static unsigned char b[1 << 17];
	struct khttp_rec h;
	ssize_t n, k;
	size_t off;
	int cnt = 0;

	while ((n = recv(fd, b, sizeof(b), MSG_DONTWAIT)) > 0)
		for (off = 0; off < (size_t)n; off += (size_t)k) {
			k = httpq_rec_next(b + off, (size_t)n - off, &h);
			if (k <= 0)
				break;
			if (h.type == KHTTP_REC_RESPONSE && cnt < max)
				ids[cnt++] = h.id;
		}
	return cnt;
}

/* Bytes of unread packets on @fd. */
static int unread(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

void test_drain(void)
{
	struct buf *m = calloc(1, sizeof(*m));
	struct httpq_request r;
	struct httpq *q;
	uint64_t ids[8];
	int sv[2], ok, n;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
		check("drain: socketpair", 0);
		free(m);
		return;
	}
	q = httpq_fdopen(sv[0], HTTPQ_NONBLOCK);
	add_request(m, 1, 0, KHTTP_HTTP_GET, "GET", "/1", "", "", 0, 0);
	add_request(m, 2, 0, KHTTP_HTTP_GET, "GET", "/2", "", "", 0, 0);
	add_request(m, 3, 0, KHTTP_HTTP_GET, "GET", "/3", "", "", 0, 0);
	send_buf(sv[1], m);
	ok = httpq_receive(q, &r) == 1 && r.id == 1;
	/* a later batch that the draining worker must leave in the queue */
	m->len = 0;
	add_request(m, 9, 0, KHTTP_HTTP_GET, "GET", "/9", "", "", 0, 0);
	send_buf(sv[1], m);
	ok &= httpq_drain(q) == 0 && !httpq_respond(q, 1, 200, NULL, "a", 1);
	check("drain: held requests still handed out", ok &&
	      httpq_receive(q, &r) == 1 && r.id == 2 &&
	      !httpq_respond(q, 2, 200, NULL, "b", 1) &&
	      httpq_receive(q, &r) == 1 && r.id == 3 &&
	      !httpq_respond(q, 3, 200, NULL, "c", 1));
	check("drain: then -ESHUTDOWN, and again",
	      httpq_receive(q, &r) == -ESHUTDOWN &&
	      httpq_receive(q, &r) == -ESHUTDOWN);
	check("drain: the queue is not read", unread(sv[0]) == (int)m->len);
	n = answered(sv[1], ids, 8);
	check("drain: answers flushed at -ESHUTDOWN", n == 3 && ids[0] == 1 &&
	      ids[1] == 2 && ids[2] == 3);
	check("drain: NULL", httpq_drain(NULL) == -EINVAL);
	httpq_close(q);
	close(sv[1]);

	/* a request whose body is still coming is completed */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
		free(m);
		return;
	}
	q = httpq_fdopen(sv[0], HTTPQ_NONBLOCK);
	m->len = 0;
	add_request(m, 4, KHTTP_REC_F_MORE, KHTTP_HTTP_PUT, "PUT", "/up", "",
		    "ab", 2, 4);
	send_buf(sv[1], m);
	ok = httpq_receive(q, &r) == 0 && httpq_drain(q) == 0 &&
	     httpq_receive(q, &r) == 0;	/* still waits for the body */
	m->len = 0;
	add_body(m, 4, 0, "cd", 2);
	send_buf(sv[1], m);
	ok &= httpq_receive(q, &r) == 1 && r.id == 4 && r.body_len == 4 &&
	      !memcmp(r.body, "abcd", 4);
	check("drain: a partial body is read to its end", ok &&
	      httpq_receive(q, &r) == -ESHUTDOWN);
	httpq_close(q);
	close(sv[1]);
	free(m);
}

struct serve_state {
	int calls;
	int kill_at;		/* raise SIGTERM while handling this id */
	int fail_at;		/* return 7 for this id */
	uint64_t last;
};

static int serve_handler(struct httpq *q, struct httpq_request *r, void *arg)
{
	struct serve_state *st = arg;

	st->calls++;
	st->last = r->id;
	if (httpq_respond(q, r->id, 200, NULL, "ok", 2))
		return -EIO;
	if ((int)r->id == st->kill_at)
		kill(getpid(), SIGTERM);
	return (int)r->id == st->fail_at ? 7 : 0;
}

void test_serve(void)
{
	struct buf *m = calloc(1, sizeof(*m));
	struct serve_state st;
	struct sigaction sa;
	struct httpq *q;
	uint64_t ids[8];
	int sv[2], ret, n, fl;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
		check("serve: socketpair", 0);
		free(m);
		return;
	}
	q = httpq_fdopen(sv[0], 0);
	check("serve: bad arguments",
	      httpq_serve(NULL, serve_handler, NULL) == -EINVAL &&
	      httpq_serve(q, NULL, NULL) == -EINVAL);

	/* SIGTERM while handling #1: #2 and #3 (held) are still served */
	add_request(m, 1, 0, KHTTP_HTTP_GET, "GET", "/1", "", "", 0, 0);
	add_request(m, 2, 0, KHTTP_HTTP_GET, "GET", "/2", "", "", 0, 0);
	add_request(m, 3, 0, KHTTP_HTTP_GET, "GET", "/3", "", "", 0, 0);
	send_buf(sv[1], m);
	m->len = 0;
	add_request(m, 9, 0, KHTTP_HTTP_GET, "GET", "/9", "", "", 0, 0);
	send_buf(sv[1], m);
	memset(&st, 0, sizeof(st));
	st.kill_at = 1;
	ret = httpq_serve(q, serve_handler, &st);
	n = answered(sv[1], ids, 8);
	check("serve: SIGTERM drains what is held and returns 0",
	      ret == 0 && st.calls == 3 && n == 3 && ids[0] == 1 &&
	      ids[1] == 2 && ids[2] == 3);
	check("serve: the rest stays queued", unread(sv[0]) == (int)m->len);
	sigaction(SIGTERM, NULL, &sa);
	fl = fcntl(sv[0], F_GETFL);
	check("serve: signal disposition and blocking mode restored",
	      sa.sa_handler == SIG_DFL && !(fl & O_NONBLOCK));
	httpq_close(q);
	close(sv[1]);

	/* SIGTERM while waiting: the wait ends at once */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
		free(m);
		return;
	}
	q = httpq_fdopen(sv[0], 0);
	pid = fork();
	if (pid == 0) {
		struct buf *c = calloc(1, sizeof(*c));

		add_request(c, 5, 0, KHTTP_HTTP_GET, "GET", "/5", "", "", 0, 0);
		usleep(100000);
		send_buf(sv[1], c);
		usleep(200000);
		kill(getppid(), SIGTERM);
		_exit(0);
	}
	memset(&st, 0, sizeof(st));
	ret = httpq_serve(q, serve_handler, &st);
	waitpid(pid, NULL, 0);
	n = answered(sv[1], ids, 8);
	check("serve: SIGTERM during the wait", ret == 0 && st.calls == 1 &&
	      n == 1 && ids[0] == 5);

	/* a handler's non-zero return stops the loop, after draining */
	m->len = 0;
	add_request(m, 6, 0, KHTTP_HTTP_GET, "GET", "/6", "", "", 0, 0);
	add_request(m, 7, 0, KHTTP_HTTP_GET, "GET", "/7", "", "", 0, 0);
	send_buf(sv[1], m);
	httpq_close(q);		/* drained: a new handle on a new pair */
	close(sv[1]);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
		free(m);
		return;
	}
	q = httpq_fdopen(sv[0], 0);
	send_buf(sv[1], m);
	memset(&st, 0, sizeof(st));
	st.fail_at = 6;
	ret = httpq_serve(q, serve_handler, &st);
	n = answered(sv[1], ids, 8);
	check("serve: handler's value returned, held requests served",
	      ret == 7 && st.calls == 2 && n == 2 && ids[1] == 7);

	/* the pool deleted (here: end of file) */
	httpq_close(q);
	q = NULL;
	close(sv[1]);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
		free(m);
		return;
	}
	q = httpq_fdopen(sv[0], 0);
	close(sv[1]);
	memset(&st, 0, sizeof(st));
	check("serve: -ENODEV when the pool goes",
	      httpq_serve(q, serve_handler, &st) == -ENODEV && !st.calls);
	httpq_close(q);
	free(m);
}

void test_misc(void)
{
	check("open: name too long", !httpq_open(
	      "0123456789012345678901234567890123456789", 0) && errno == EINVAL);
	check("open: missing pool", !httpq_open("/nonexistent/httpq/x", 0) &&
	      errno == ENOENT);
	check("open: bad flags", !httpq_open("x", 0x100) && errno == EINVAL);
	check("stream_abort: no handle", httpq_stream_abort(NULL, 1) == -EINVAL);
	check("method names", !strcmp(httpq_method_name(KHTTP_HTTP_PATCH),
				      "PATCH") &&
	      !httpq_method_name(KHTTP_HTTP_OTHER) && !httpq_method_name(99));
}
