// SPDX-License-Identifier: GPL-2.0
/*
 * httpq_abuse: a hostile worker.  It reads and writes /dev/httpq/<pool>
 * with raw read()/write(), so it can send exactly the bytes it wants, and
 * checks that every malformed record is refused with the errno the
 * contract in <linux/khttp.h> names, that a refused record changes
 * nothing (a correct answer afterwards still reaches the client), and
 * that nothing of the kernel's memory reaches the worker.
 *
 * It is its own client too: it connects to HOST:PORT, sends a request,
 * plays the worker for it, then reads what the client got.
 *
 * usage: httpq_abuse -p POOL [-a HOST] [-P PORT] [-u PREFIX]
 *                    [-x POOL2 -X PREFIX2]
 *   -p/-u  the pool under test and a route prefix that leads to it
 *   -x/-X  a second pool (and its route) that the program deletes with
 *          `httpctl pool del POOL2 force` while it has the file open
 * Prints "ok NAME" or "not ok NAME: why" per case; exits 1 if any failed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/khttp.h>

#define ALIGN8(x)	(((x) + KHTTP_REC_ALIGN - 1) & ~(size_t)(KHTTP_REC_ALIGN - 1))
#define REQ_HDRS	"Host: abuse\r\nConnection: close\r\n"
#define WAIT_MS		10000
#define REC_SZ		sizeof(struct khttp_rec)
#define RI_SZ		sizeof(struct khttp_resp_info)
#define INFO_SZ		sizeof(struct khttp_req_info)

static const char *host = "127.0.0.1";
static int port = 80;
static const char *prefix = "/a/";
static const char *pool;
static int qfd;			/* the worker's file on the pool */
static char *ibuf;		/* KHTTP_READ_MIN: what the worker reads */
static size_t ilen, ioff;	/* records in ibuf not yet handed out */
static char *wbuf;		/* records the worker writes */
static int nfailed;

/* ---- reporting ---- */

static const char *cur;
static char cur_err[512];

static void begin(const char *name)
{
	cur = name;
	cur_err[0] = '\0';
}

static void __attribute__((format(printf, 2, 3)))
failf(int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (cur_err[0])
		return;		/* the first failure says the most */
	n = snprintf(cur_err, sizeof(cur_err), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(cur_err + n, sizeof(cur_err) - n, fmt, ap);
	va_end(ap);
}

#define FAIL(...)		failf(__LINE__, __VA_ARGS__)
#define EXPECT(cond, ...)	do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

static void end(void)
{
	if (cur_err[0]) {
		printf("not ok %s: %s\n", cur, cur_err);
		nfailed++;
	} else {
		printf("ok %s\n", cur);
	}
	fflush(stdout);
}

/* A write()/read() result for messages: "57" or "-1 EINVAL (...)". */
static const char *res(long n)
{
	static char s[4][96];
	static int i;
	char *p = s[i++ & 3];

	if (n >= 0)
		snprintf(p, 96, "%ld", n);
	else
		snprintf(p, 96, "-1 errno %ld (%s)", -n, strerror(-n));
	return p;
}

static long wr(int fd, const void *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	return n < 0 ? -errno : n;
}

static long rd(int fd, void *buf, size_t len)
{
	ssize_t n = read(fd, buf, len);

	return n < 0 ? -errno : n;
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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
static int client(const char *method, const char *name, const char *body,
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

static int client_get(const char *name)
{
	int fd = client("GET", name, NULL, 0);

	if (fd < 0)
		FAIL("client connect/send: %s", strerror(errno));
	return fd;
}

enum { END_EOF, END_RESET, END_TIMEOUT, END_ERROR };
static const char * const end_names[] = { "EOF", "reset", "timeout", "error" };

struct resp {
	int status;		/* from the status line, 0 if none */
	int end;		/* END_* */
	size_t total;		/* bytes received */
	size_t len;		/* bytes kept in buf */
	char buf[65536];
};

static struct resp resp;

/* Read what the server sends until it closes (or resets, or time runs out). */
static struct resp *client_wait(int fd, int timeout_ms)
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

static const char *resp_body(struct resp *r)
{
	char *p = strstr(r->buf, "\r\n\r\n");

	return p ? p + 4 : "";
}

static bool resp_has(struct resp *r, const char *line)
{
	char want[256];
	char *eoh = strstr(r->buf, "\r\n\r\n");
	char *p;

	snprintf(want, sizeof(want), "\r\n%s\r\n", line);
	p = strcasestr(r->buf, want);
	return p && eoh && p < eoh;
}

/* ---- the worker side ---- */

struct req {
	__u64 id;
	__u32 len;
	__u16 flags;
	__u8 method;
	char target[256];
};

/* Wait for the file to be readable and read a batch of records. */
static int read_more(int timeout_ms)
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
static int get_req(struct req *q, const char *name)
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

static size_t mk_resp(char *buf, __u64 id, __u16 status, __u16 flags,
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

static size_t mk_body(char *buf, __u64 id, __u16 flags, const char *data,
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
static size_t mk_good(char *buf, __u64 id, const char *tag)
{
	char hdrs[128], body[128];
	int hl, bl;

	hl = snprintf(hdrs, sizeof(hdrs),
		      "Content-Type: text/plain\r\nX-Abuse: %s\r\n", tag);
	bl = snprintf(body, sizeof(body), "ok %s\n", tag);
	return mk_resp(buf, id, 200, 0, hdrs, hl, body, bl, 0);
}

/* Did the client get exactly the answer mk_good() made for @tag? */
static void check_good(struct resp *r, const char *tag)
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
static void answer_good(int cfd, const struct req *q, const char *tag)
{
	size_t len = mk_good(wbuf, q->id, tag);
	long n = wr(qfd, wbuf, len);

	EXPECT(n == (long)len, "the correct answer afterwards: write %s, want %zu",
	       res(n), len);
	check_good(client_wait(cfd, WAIT_MS), tag);
}

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

static void structural_cases(void)
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
static void good_headers_case(void)
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

static void answered_twice_case(void)
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
static void good_204_case(void)
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
static void more_case(const char *name, size_t first, size_t second,
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

/* A streamed (chunked) answer in several records works. */
static void chunked_case(void)
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
static void abort_case(const char *name, uint64_t clen)
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

/* Three answers in one write, the second invalid. */
static void batch_case(void)
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

/* Another open file on the same pool may not answer this file's request. */
static void other_file_case(const char *path)
{
	struct req q;
	size_t len;
	long n;
	int cfd, fb;

	begin("other-file-eperm");
	fb = open(path, O_RDWR | O_CLOEXEC);
	if (fb < 0) {
		FAIL("open %s: %s", path, strerror(errno));
		end();
		return;
	}
	cfd = client_get("eperm");
	if (cfd < 0 || get_req(&q, "eperm")) {
		if (cfd >= 0)
			close(cfd);
		close(fb);
		end();
		return;
	}
	len = mk_good(wbuf, q.id, "stolen");
	n = wr(fb, wbuf, len);
	EXPECT(n == -EPERM, "RESPONSE from file B: %s, want EPERM", res(n));
	len = mk_body(wbuf, q.id, 0, "x", 1);
	n = wr(fb, wbuf, len);
	EXPECT(n == -EPERM, "RESP_BODY from file B: %s, want EPERM", res(n));
	/* B going away must not take A's request with it. */
	close(fb);
	answer_good(cfd, &q, "eperm");
	end();
}

/* The client left; the answer is accepted and dropped. */
static void client_gone_case(const char *name, bool reset)
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
static void client_gone_stream_case(void)
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

/* The length of the REQUEST record for a request client() sent. */
static size_t req_len(const char *method, const char *name, const char *extra,
		      size_t body)
{
	return REC_SZ + INFO_SZ + strlen(method) + strlen(prefix) +
	       strlen(name) + strlen(REQ_HDRS) + strlen(extra) + body;
}

/* A buffer too small for the next record: EMSGSIZE, and nothing lost. */
static void small_read_case(void)
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
static void body_records_case(void)
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

static void padding_case(void)
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
		EXPECT(!info->reserved && !info->reserved2,
		       "reserved fields %#x %#x", info->reserved,
		       info->reserved2);
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
static void efault_case(void)
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

/* The largest record is accepted; one byte more is not. */
static void max_record_case(void)
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

/* O_NONBLOCK and poll(). */
static void nonblock_poll_case(void)
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

/* Run an httpctl command line (a printf format); it must succeed. */
static int __attribute__((format(printf, 1, 2)))
httpctl(const char *fmt, ...)
{
	char cmd[256];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	if (st)
		FAIL("'%s' failed (%#x)", cmd, st);
	return st;
}

/* Delete a pool under an open file: ENODEV, POLLERR|POLLHUP, 502. */
static void pool_del_case(const char *pool2, const char *prefix2)
{
	const char *saved_prefix = prefix;
	int saved_qfd = qfd, fd, cfd = -1, st = 0;
	struct pollfd pfd;
	char path[128];
	struct req q;
	struct resp *r;
	pid_t pid;
	size_t len;
	long n;

	begin("pool-deleted-under-open-file");
	snprintf(path, sizeof(path), "/dev/httpq/%s", pool2);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		FAIL("open %s: %s", path, strerror(errno));
		end();
		return;
	}
	qfd = fd;
	prefix = prefix2;
	cfd = client_get("del");
	if (cfd < 0 || get_req(&q, "del"))
		goto out;
	/* A reader blocked in read() must wake with ENODEV. */
	pid = fork();
	if (pid == 0) {
		alarm(20);
		n = rd(fd, ibuf, KHTTP_READ_MIN);
		_exit(n == -ENODEV ? 0 : 1);
	}
	msleep(300);
	httpctl("httpctl pool del %s force", pool2);
	if (pid > 0) {
		EXPECT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
		       !WEXITSTATUS(st),
		       "blocked reader: %s", WIFEXITED(st) ?
		       "read did not return ENODEV" : "never woke up");
	}
	n = rd(fd, ibuf, KHTTP_READ_MIN);
	EXPECT(n == -ENODEV, "read after pool del: %s, want ENODEV", res(n));
	len = mk_good(wbuf, q.id, "del");
	n = wr(fd, wbuf, len);
	EXPECT(n == -ENODEV, "write after pool del: %s, want ENODEV", res(n));
	pfd.fd = fd;
	pfd.events = POLLIN | POLLOUT;
	pfd.revents = 0;
	n = poll(&pfd, 1, 0);
	EXPECT(n == 1 && pfd.revents == (POLLERR | POLLHUP),
	       "poll after pool del: revents %#x, want POLLERR|POLLHUP",
	       pfd.revents);
	r = client_wait(cfd, WAIT_MS);
	cfd = -1;
	EXPECT(r->status == 502, "the client of the request in hand got %d (%s), want 502",
	       r->status, end_names[r->end]);
	EXPECT(open(path, O_RDWR) < 0 && errno == ENOENT,
	       "%s still opens after pool del", path);
out:
	if (cfd >= 0)
		close(cfd);
	close(fd);
	qfd = saved_qfd;
	prefix = saved_prefix;
	ilen = ioff = 0;
	end();
}

/* Answering before reading the body records drops them: nothing stale. */
static void answer_before_body_case(void)
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

/*
 * A client that does not read: a nonblocking worker's body writes stop
 * with EAGAIN (bounded buffering), and once the client is gone the rest
 * is accepted and dropped.
 */
static void backpressure_case(void)
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

/*
 * Configuration changes under an open file: a new node (mode) and a
 * stopped pool keep the request in hand answerable.
 */
static void pool_set_case(void)
{
	struct pollfd pfd = { .fd = qfd, .events = POLLIN };
	struct resp *r;
	struct req q;
	int cfd, c2;

	begin("pool-set-under-open-file");
	httpctl("httpctl pool set %s mode 0600", pool);
	cfd = client_get("set-mode");
	if (cfd < 0 || get_req(&q, "set-mode")) {
		if (cfd >= 0)
			close(cfd);
		end();
		return;
	}
	httpctl("httpctl pool set %s state inactive", pool);
	c2 = client_get("inactive");
	if (c2 >= 0) {
		r = client_wait(c2, WAIT_MS);
		EXPECT(r->status == 503, "request to a stopped pool: %d",
		       r->status);
	}
	EXPECT(poll(&pfd, 1, 0) == 0, "POLLIN on a stopped pool: revents %#x",
	       pfd.revents);
	answer_good(cfd, &q, "set-mode");
	httpctl("httpctl pool set %s state active", pool);
	cfd = client_get("active-again");
	if (cfd >= 0 && !get_req(&q, "active-again"))
		answer_good(cfd, &q, "active-again");
	else if (cfd >= 0)
		close(cfd);
	end();
}

int main(int argc, char **argv)
{
	const char *pool2 = NULL, *prefix2 = "/x/";
	char path[128];
	int opt;

	while ((opt = getopt(argc, argv, "p:a:P:u:x:X:")) != -1) {
		switch (opt) {
		case 'p':
			pool = optarg;
			break;
		case 'a':
			host = optarg;
			break;
		case 'P':
			port = atoi(optarg);
			break;
		case 'u':
			prefix = optarg;
			break;
		case 'x':
			pool2 = optarg;
			break;
		case 'X':
			prefix2 = optarg;
			break;
		default:
			fprintf(stderr, "usage: httpq_abuse -p POOL [-a HOST] [-P PORT] [-u PREFIX] [-x POOL2 -X PREFIX2]\n");
			return 2;
		}
	}
	if (!pool) {
		fprintf(stderr, "httpq_abuse: -p POOL is required\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ibuf = malloc(KHTTP_READ_MIN + 64);
	wbuf = malloc(KHTTP_REC_MAX + 64);
	if (!ibuf || !wbuf) {
		perror("httpq_abuse: malloc");
		return 2;
	}
	snprintf(path, sizeof(path), "/dev/httpq/%s", pool);
	qfd = open(path, O_RDWR | O_CLOEXEC);
	if (qfd < 0) {
		fprintf(stderr, "httpq_abuse: %s: %s\n", path, strerror(errno));
		return 2;
	}

	structural_cases();
	good_headers_case();
	answered_twice_case();
	good_204_case();
	more_case("more-exact", 4, 6, false);
	more_case("more-overflow-last", 6, 6, false);
	more_case("more-overflow-not-last", 6, 6, true);
	more_case("more-overflow-first-record", 11, 0, false);
	more_case("more-short-last", 4, 3, false);
	more_case("more-short-empty-last", 4, 0, false);
	chunked_case();
	batch_case();
	other_file_case(path);
	client_gone_case("client-gone-fin", false);
	client_gone_case("client-gone-reset", true);
	client_gone_stream_case();
	abort_case("abort-chunked-stream", KHTTP_LENGTH_CHUNKED);
	abort_case("abort-length-stream", 10);
	small_read_case();
	body_records_case();
	padding_case();
	efault_case();
	max_record_case();
	nonblock_poll_case();
	answer_before_body_case();
	backpressure_case();
	pool_set_case();
	if (pool2)
		pool_del_case(pool2, prefix2);

	close(qfd);
	printf("%s: %d failed\n", nfailed ? "FAIL" : "PASS", nfailed);
	return nfailed ? 1 : 0;
}
