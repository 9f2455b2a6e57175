// SPDX-License-Identifier: GPL-2.0
/*
 * httpq_abuse's two sides of a request.  The client side connects to the
 * server, sends a request and reads back what the server answered; the
 * worker side reads request records from the pool's file and builds the
 * answer records (a correct one, tagged, and raw ones with any field the
 * case wants), and checks that the client got the correct answer.
 */
#include "httpq_abuse.h"

/* ---- the client side ---- */

static int send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Connect and send METHOD PREFIX+NAME (with @body if not NULL). */
int client(const char *method, const char *name, const char *body,
	   size_t blen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	char head[512];
	int fd, n;

	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	n = snprintf(head, sizeof(head), "%s %s%s HTTP/1.1\r\n" REQ_HDRS,
		     method, prefix, name);
	if (body)
		n += snprintf(head + n, sizeof(head) - n,
			      "Content-Length: %zu\r\n", blen);
	n += snprintf(head + n, sizeof(head) - n, "\r\n");
	if (send_all(fd, head, n) || (body && send_all(fd, body, blen))) {
		close(fd);
		return -1;
	}
	return fd;
}

int client_get(const char *name)
{
	int fd = client("GET", name, NULL, 0);

	if (fd < 0)
		FAIL("client connect/send: %s", strerror(errno));
	return fd;
}

const char * const end_names[] = { "EOF", "reset", "timeout", "error" };

static struct resp resp;

/* Read what the server sends until it closes (or resets, or time runs out). */
struct resp *client_wait(int fd, int timeout_ms)
{
	struct resp *r = &resp;
	long deadline = now_ms() + timeout_ms;
	char tmp[65536];

	memset(r, 0, offsetof(struct resp, buf));
	r->buf[0] = '\0';
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, left) == 0) {
			r->end = END_TIMEOUT;
			break;
		}
		n = recv(fd, tmp, sizeof(tmp), 0);
		if (n == 0) {
			r->end = END_EOF;
			break;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r->end = errno == ECONNRESET ? END_RESET : END_ERROR;
			break;
		}
		if (r->len < sizeof(r->buf) - 1) {
			size_t k = sizeof(r->buf) - 1 - r->len;

			if (k > (size_t)n)
				k = n;
			memcpy(r->buf + r->len, tmp, k);
			r->len += k;
			r->buf[r->len] = '\0';
		}
		r->total += n;
	}
	close(fd);
	if (!strncmp(r->buf, "HTTP/1.1 ", 9))
		r->status = atoi(r->buf + 9);
	return r;
}

const char *resp_body(struct resp *r)
{
	char *p = strstr(r->buf, "\r\n\r\n");

	return p ? p + 4 : "";
}

bool resp_has(struct resp *r, const char *line)
{
	char want[256];
	char *eoh = strstr(r->buf, "\r\n\r\n");
	char *p;

	snprintf(want, sizeof(want), "\r\n%s\r\n", line);
	p = strcasestr(r->buf, want);
	return p && eoh && p < eoh;
}

/* ---- the worker side ---- */


/* Wait for the file to be readable and read a batch of records. */
int read_more(int timeout_ms)
{
	struct pollfd pfd = { .fd = qfd, .events = POLLIN };
	long n;

	n = poll(&pfd, 1, timeout_ms);
	if (n <= 0 || !(pfd.revents & POLLIN)) {
		FAIL("no request arrived within %d ms (poll %ld revents %#x)",
		     timeout_ms, n, pfd.revents);
		return -1;
	}
	memset(ibuf, 0xa5, 8192);	/* so padding left unwritten shows */
	n = rd(qfd, ibuf, KHTTP_READ_MIN);
	if (n <= 0) {
		FAIL("read of a waiting request: %s", res(n));
		return -1;
	}
	ilen = n;
	ioff = 0;
	return 0;
}

/* The next request the worker gets; if @name, it must be for PREFIX+NAME. */
int get_req(struct req *q, const char *name)
{
	for (;;) {
		const struct khttp_rec *rec;
		const struct khttp_req_info *info;
		size_t tl;

		if (ioff >= ilen && read_more(WAIT_MS))
			return -1;
		rec = (const void *)(ibuf + ioff);
		if (ilen - ioff < REC_SZ || rec->len < REC_SZ ||
		    rec->len > ilen - ioff) {
			FAIL("bad record from the kernel: len %u at %zu of %zu",
			     rec->len, ioff, ilen);
			ilen = ioff = 0;
			return -1;
		}
		ioff += ALIGN8(rec->len);
		if (rec->type != KHTTP_REC_REQUEST)
			continue;
		info = (const void *)(rec + 1);
		q->id = rec->id;
		q->len = rec->len;
		q->flags = rec->flags;
		q->method = info->method;
		tl = info->target_len < sizeof(q->target) ?
		     info->target_len : sizeof(q->target) - 1;
		memcpy(q->target, (const char *)(info + 1) + info->method_len,
		       tl);
		q->target[tl] = '\0';
		break;
	}
	if (name) {
		char want[256];

		snprintf(want, sizeof(want), "%s%s", prefix, name);
		if (strcmp(q->target, want)) {
			FAIL("got the request for %s, expected %s",
			     q->target, want);
			return -1;
		}
	}
	return 0;
}

size_t mk_resp(char *buf, __u64 id, __u16 status, __u16 flags,
	       const char *hdrs, size_t hl, const char *body,
	       size_t bl, __u64 clen)
{
	struct khttp_rec *rec = (void *)buf;
	struct khttp_resp_info *ri = (void *)(rec + 1);
	size_t len = REC_SZ + RI_SZ + hl + bl;

	memset(buf, 0, REC_SZ + RI_SZ);
	rec->len = len;
	rec->type = KHTTP_REC_RESPONSE;
	rec->flags = flags;
	rec->id = id;
	ri->status = status;
	ri->headers_len = hl;
	ri->body_len = bl;
	ri->content_length = clen;
	memmove(buf + REC_SZ + RI_SZ, hdrs, hl);
	memmove(buf + REC_SZ + RI_SZ + hl, body, bl);
	return len;
}

size_t mk_body(char *buf, __u64 id, __u16 flags, const char *data,
	       size_t n)
{
	struct khttp_rec *rec = (void *)buf;

	memset(rec, 0, REC_SZ);
	rec->len = REC_SZ + n;
	rec->type = KHTTP_REC_RESP_BODY;
	rec->flags = flags;
	rec->id = id;
	memcpy(rec + 1, data, n);
	return rec->len;
}

/* A correct answer, tagged so the client can tell it is this one. */
size_t mk_good(char *buf, __u64 id, const char *tag)
{
	char hdrs[128], body[128];
	int hl, bl;

	hl = snprintf(hdrs, sizeof(hdrs),
		      "Content-Type: text/plain\r\nX-Abuse: %s\r\n", tag);
	bl = snprintf(body, sizeof(body), "ok %s\n", tag);
	return mk_resp(buf, id, 200, 0, hdrs, hl, body, bl, 0);
}

/* Did the client get exactly the answer mk_good() made for @tag? */
void check_good(struct resp *r, const char *tag)
{
	char line[128], body[128];

	snprintf(line, sizeof(line), "X-Abuse: %s", tag);
	snprintf(body, sizeof(body), "ok %s\n", tag);
	EXPECT(r->status == 200, "client got status %d (%s), want 200: %.80s",
	       r->status, end_names[r->end], r->buf);
	EXPECT(r->end == END_EOF, "client connection ended by %s, want EOF",
	       end_names[r->end]);
	EXPECT(resp_has(r, line), "client response lacks '%s'", line);
	EXPECT(!strcmp(resp_body(r), body), "client body '%s', want '%s'",
	       resp_body(r), body);
}

/* Answer @q correctly and check that client @cfd gets it. */
void answer_good(int cfd, const struct req *q, const char *tag)
{
	size_t len = mk_good(wbuf, q->id, tag);
	long n = wr(qfd, wbuf, len);

	EXPECT(n == (long)len, "the correct answer afterwards: write %s, want %zu",
	       res(n), len);
	check_good(client_wait(cfd, WAIT_MS), tag);
}
