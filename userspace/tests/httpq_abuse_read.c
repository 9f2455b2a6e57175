// SPDX-License-Identifier: GPL-2.0
/*
 * httpq_abuse's cases about what the worker reads: a buffer too small for
 * the next record (EMSGSIZE, nothing lost), request body records, padding
 * and addresses that carry nothing of the kernel's memory, reads and
 * writes from bad buffers, O_NONBLOCK and poll(), and an answer sent
 * before the request's body was read.
 */
#include "httpq_abuse.h"

/* The length of the REQUEST record for a request client() sent. */
static size_t req_len(const char *method, const char *name, const char *extra,
		      size_t body)
{
	return REC_SZ + INFO_SZ + strlen(method) + strlen(prefix) +
	       strlen(name) + strlen(REQ_HDRS) + strlen(extra) + body;
}

/* A buffer too small for the next record: EMSGSIZE, and nothing lost. */
void small_read_case(void)
{
	size_t want = req_len("GET", "small-read", "", 0);
	struct pollfd pfd = { .fd = qfd, .events = POLLIN };
	struct req q;
	long n;
	int cfd;

	begin("read-too-small-emsgsize");
	cfd = client_get("small-read");
	if (cfd < 0)
		goto out;
	if (poll(&pfd, 1, WAIT_MS) != 1)
		FAIL("no POLLIN for a queued request");
	n = rd(qfd, ibuf, REC_SZ);
	EXPECT(n == -EMSGSIZE, "read of %zu: %s, want EMSGSIZE", REC_SZ, res(n));
	n = rd(qfd, ibuf, 1);
	EXPECT(n == -EMSGSIZE, "read of 1: %s, want EMSGSIZE", res(n));
	n = rd(qfd, ibuf, want - 1);
	EXPECT(n == -EMSGSIZE, "read of len-1 (%zu): %s, want EMSGSIZE",
	       want - 1, res(n));
	pfd.revents = 0;
	EXPECT(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN),
	       "no POLLIN after EMSGSIZE: the request was lost");
	/* Exactly the record's length suffices (no room for padding). */
	memset(ibuf, 0xa5, want + 8);
	n = rd(qfd, ibuf, want);
	EXPECT(n == (long)want, "read of exactly len (%zu): %s", want, res(n));
	if (n == (long)want) {
		ilen = n;
		ioff = 0;
		if (!get_req(&q, "small-read")) {
			EXPECT(q.len == want, "record len %u, want %zu", q.len,
			       want);
			EXPECT((unsigned char)ibuf[want] == 0xa5,
			       "read wrote past the bytes it returned");
			answer_good(cfd, &q, "small-read");
			cfd = -1;
		}
	}
out:
	if (cfd >= 0)
		close(cfd);
	end();
}

/* A request with body records: a small buffer between them. */
void body_records_case(void)
{
	const size_t blen = KHTTP_REC_BODY_MAX + 1000;
	char extra[64];
	size_t first, i;
	struct req q;
	char *body;
	long n;
	int cfd;

	begin("read-body-records");
	body = malloc(blen);
	if (!body) {
		FAIL("malloc");
		end();
		return;
	}
	for (i = 0; i < blen; i++)
		body[i] = 'a' + i % 23;
	snprintf(extra, sizeof(extra), "Content-Length: %zu\r\n", blen);
	first = req_len("POST", "body-recs", extra, KHTTP_REC_BODY_MAX);
	cfd = client("POST", "body-recs", body, blen);
	if (cfd < 0) {
		FAIL("client: %s", strerror(errno));
		goto out;
	}
	{
		struct pollfd pfd = { .fd = qfd, .events = POLLIN };

		if (poll(&pfd, 1, WAIT_MS) != 1) {
			FAIL("no POLLIN for the POST");
			goto out;
		}
	}
	/* Room for the REQUEST record only (and less than its padding). */
	n = rd(qfd, ibuf, first);
	if (n == -EAGAIN || n == 0)
		FAIL("read: %s", res(n));
	EXPECT(n == (long)first, "read of the REQUEST: %s, want %zu", res(n),
	       first);
	if (n != (long)first)
		goto out;
	{
		struct khttp_rec *rec = (void *)ibuf;
		struct khttp_req_info *info = (void *)(rec + 1);

		q.id = rec->id;
		EXPECT(rec->type == KHTTP_REC_REQUEST &&
		       (rec->flags & KHTTP_REC_F_MORE), "type %u flags %#x",
		       rec->type, rec->flags);
		EXPECT(info->method == KHTTP_HTTP_POST &&
		       info->body_len == KHTTP_REC_BODY_MAX &&
		       info->content_length == blen,
		       "info: method %u body_len %u content_length %llu",
		       info->method, info->body_len,
		       (unsigned long long)info->content_length);
		EXPECT(!memcmp(ibuf + first - KHTTP_REC_BODY_MAX, body,
			       KHTTP_REC_BODY_MAX), "first body bytes differ");
	}
	{
		struct pollfd pfd = { .fd = qfd, .events = POLLIN };

		EXPECT(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN),
		       "no POLLIN with a body record pending");
	}
	n = rd(qfd, ibuf, REC_SZ + 10);
	EXPECT(n == -EMSGSIZE, "small read of the REQ_BODY: %s, want EMSGSIZE",
	       res(n));
	n = rd(qfd, ibuf, KHTTP_READ_MIN);
	EXPECT(n == (long)ALIGN8(REC_SZ + 1000),
	       "read of the REQ_BODY: %s, want %zu", res(n),
	       ALIGN8(REC_SZ + 1000));
	if (n > 0) {
		struct khttp_rec *rec = (void *)ibuf;

		EXPECT(rec->type == KHTTP_REC_REQ_BODY && rec->id == q.id &&
		       !(rec->flags & KHTTP_REC_F_MORE) &&
		       rec->len == REC_SZ + 1000 &&
		       !memcmp(rec + 1, body + KHTTP_REC_BODY_MAX, 1000),
		       "REQ_BODY record: type %u flags %#x len %u", rec->type,
		       rec->flags, rec->len);
	}
	answer_good(cfd, &q, "body-recs");
	cfd = -1;
out:
	if (cfd >= 0)
		close(cfd);
	free(body);
	end();
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		if (*c++)
			return false;
	return true;
}

/* What a worker reads holds nothing but the request and zeroes. */
static void check_addr(const char *what, const struct khttp_addr *a,
		       int want_port)
{
	EXPECT(a->family == AF_INET, "%s family %u", what, a->family);
	EXPECT(!want_port || a->port == want_port, "%s port %u, want %d",
	       what, a->port, want_port);
	EXPECT(a->port, "%s port 0", what);
	EXPECT(!a->scope_id, "%s scope_id %#x", what, a->scope_id);
	EXPECT(!memcmp(a->addr, "\x7f\0\0\x01", 4), "%s addr not 127.0.0.1",
	       what);
	EXPECT(all_zero(a->addr + 4, 12), "%s: unused addr bytes not zero",
	       what);
}

void padding_case(void)
{
	static const char * const names[2] = { "pad-1", "pad-22x" };
	size_t off = 0, got = 0;
	int cfd[2], i;
	long n;

	begin("read-padding-zero");
	for (i = 0; i < 2; i++)
		cfd[i] = client_get(names[i]);
	msleep(300);	/* let both reach the queue: one read takes both */
	if (read_more(WAIT_MS))
		goto out;
	n = ilen;
	while (off < (size_t)n) {
		struct khttp_rec *rec = (void *)(ibuf + off);
		struct khttp_req_info *info = (void *)(rec + 1);
		size_t al = ALIGN8(rec->len), k;

		if (rec->len < REC_SZ + INFO_SZ || off + al > (size_t)n) {
			FAIL("record at %zu: len %u, read %ld", off, rec->len, n);
			break;
		}
		EXPECT(rec->type == KHTTP_REC_REQUEST && !rec->flags,
		       "type %u flags %#x", rec->type, rec->flags);
		EXPECT(all_zero(ibuf + off + rec->len, al - rec->len),
		       "padding after record %zu (len %u) not zero", got,
		       rec->len);
		EXPECT(!info->tls_version && !info->tls_cipher &&
		       !info->reserved2,
		       "plain http: tls/reserved fields %#x %#x %#x",
		       info->tls_version, info->tls_cipher, info->reserved2);
		EXPECT(info->method == KHTTP_HTTP_GET && info->version == 11 &&
		       info->method_len == 3 && !info->body_len &&
		       !info->content_length,
		       "info: method %u version %u method_len %u body %u/%llu",
		       info->method, info->version, info->method_len,
		       info->body_len,
		       (unsigned long long)info->content_length);
		EXPECT(REC_SZ + INFO_SZ + info->method_len + info->target_len +
		       info->headers_len + info->body_len == rec->len,
		       "lengths in info do not add up to rec.len %u", rec->len);
		EXPECT(info->headers_len == strlen(REQ_HDRS) &&
		       !memcmp((char *)(info + 1) + info->method_len +
			       info->target_len, REQ_HDRS, strlen(REQ_HDRS)),
		       "headers differ from what the client sent");
		check_addr("client", &info->client, 0);
		check_addr("server", &info->server, port);
		for (k = 0; k < 2; k++) {
			char want[64];

			snprintf(want, sizeof(want), "%s%s", prefix, names[k]);
			if (info->target_len == strlen(want) &&
			    !memcmp((char *)(info + 1) + 3, want,
				    strlen(want))) {
				size_t len = mk_good(wbuf, rec->id, names[k]);
				long w = wr(qfd, wbuf, len);

				EXPECT(w == (long)len, "answer: %s", res(w));
				check_good(client_wait(cfd[k], WAIT_MS),
					   names[k]);
				cfd[k] = -1;
			}
		}
		got++;
		off += al;
		if (off >= (size_t)n && got < 2 && read_more(WAIT_MS) == 0) {
			n = ilen;
			off = 0;
		}
	}
	ilen = ioff = 0;
out:
	for (i = 0; i < 2; i++)
		if (cfd[i] >= 0) {
			FAIL("request %s not seen", names[i]);
			close(cfd[i]);
		}
	end();
}

/* A read into a bad buffer faults, and the request is not lost. */
void efault_case(void)
{
	struct pollfd pfd = { .fd = qfd, .events = POLLIN };
	struct req q;
	long n;
	int cfd;

	begin("efault-read-write");
	cfd = client_get("efault");
	if (cfd < 0)
		goto out;
	if (poll(&pfd, 1, WAIT_MS) != 1)
		FAIL("no POLLIN for a queued request");
	n = rd(qfd, (void *)8, KHTTP_READ_MIN);
	EXPECT(n == -EFAULT, "read into a bad buffer: %s, want EFAULT", res(n));
	if (get_req(&q, "efault"))
		goto out;
	n = wr(qfd, (void *)8, 64);
	EXPECT(n == -EFAULT, "write from a bad buffer: %s, want EFAULT", res(n));
	answer_good(cfd, &q, "efault");
	cfd = -1;
out:
	if (cfd >= 0)
		close(cfd);
	end();
}

/* O_NONBLOCK and poll(). */
void nonblock_poll_case(void)
{
	struct pollfd pfd = { .fd = qfd, .events = POLLIN | POLLOUT };
	struct req q;
	int cfd = -1, fl;
	long n;

	begin("nonblock-and-poll");
	fl = fcntl(qfd, F_GETFL);
	fcntl(qfd, F_SETFL, fl | O_NONBLOCK);
	n = rd(qfd, ibuf, KHTTP_READ_MIN);
	EXPECT(n == -EAGAIN, "O_NONBLOCK read of an empty queue: %s, want EAGAIN",
	       res(n));
	n = poll(&pfd, 1, 0);
	EXPECT(n == 1 && pfd.revents == POLLOUT,
	       "poll with nothing queued: %ld revents %#x, want POLLOUT", n,
	       pfd.revents);
	cfd = client_get("poll");
	if (cfd < 0)
		goto out;
	pfd.events = POLLIN;
	pfd.revents = 0;
	n = poll(&pfd, 1, WAIT_MS);
	EXPECT(n == 1 && pfd.revents == POLLIN,
	       "poll(POLLIN) with a request queued: %ld revents %#x", n,
	       pfd.revents);
	pfd.events = POLLIN | POLLOUT;
	pfd.revents = 0;
	n = poll(&pfd, 1, 0);
	EXPECT(n == 1 && pfd.revents == (POLLIN | POLLOUT),
	       "poll with a request queued: revents %#x", pfd.revents);
	n = rd(qfd, ibuf, KHTTP_READ_MIN);
	EXPECT(n > 0, "O_NONBLOCK read with a request queued: %s", res(n));
	if (n <= 0)
		goto out;
	ilen = n;
	ioff = 0;
	if (get_req(&q, "poll"))
		goto out;
	pfd.revents = 0;
	n = poll(&pfd, 1, 0);
	EXPECT(n == 1 && pfd.revents == POLLOUT,
	       "poll after the read: revents %#x, want POLLOUT", pfd.revents);
	n = rd(qfd, ibuf, KHTTP_READ_MIN);
	EXPECT(n == -EAGAIN, "second O_NONBLOCK read: %s, want EAGAIN", res(n));
	answer_good(cfd, &q, "poll");
	cfd = -1;
out:
	fcntl(qfd, F_SETFL, fl);
	if (cfd >= 0)
		close(cfd);
	end();
}

/* Answering before reading the body records drops them: nothing stale. */
void answer_before_body_case(void)
{
	const size_t blen = KHTTP_REC_BODY_MAX + 100;
	struct pollfd pfd = { .fd = qfd, .events = POLLIN };
	char extra[64], *body;
	struct req q;
	size_t first;
	long n;
	int cfd = -1, fl;

	begin("answer-before-body-read");
	body = calloc(1, blen);
	if (!body) {
		FAIL("malloc");
		goto out;
	}
	snprintf(extra, sizeof(extra), "Content-Length: %zu\r\n", blen);
	first = req_len("POST", "early", extra, KHTTP_REC_BODY_MAX);
	cfd = client("POST", "early", body, blen);
	if (cfd < 0) {
		FAIL("client: %s", strerror(errno));
		goto out;
	}
	if (poll(&pfd, 1, WAIT_MS) != 1) {
		FAIL("no POLLIN for the POST");
		goto out;
	}
	n = rd(qfd, ibuf, first);
	EXPECT(n == (long)first, "read of the REQUEST: %s, want %zu", res(n),
	       first);
	if (n != (long)first)
		goto out;
	q.id = ((struct khttp_rec *)ibuf)->id;
	answer_good(cfd, &q, "early");
	cfd = -1;
	pfd.revents = 0;
	EXPECT(poll(&pfd, 1, 0) == 0, "POLLIN after the answer: revents %#x",
	       pfd.revents);
	fl = fcntl(qfd, F_GETFL);
	fcntl(qfd, F_SETFL, fl | O_NONBLOCK);
	n = rd(qfd, ibuf, KHTTP_READ_MIN);
	fcntl(qfd, F_SETFL, fl);
	EXPECT(n == -EAGAIN, "read after answering: %s, want EAGAIN (stale body?)",
	       res(n));
out:
	if (cfd >= 0)
		close(cfd);
	free(body);
	end();
}
