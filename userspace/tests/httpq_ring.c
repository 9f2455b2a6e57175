// SPDX-License-Identifier: GPL-2.0
/*
 * httpq_ring: the /dev/httpq shared-memory ring, driven by hand (raw
 * mmap() and KHTTP_IOC_RING_ENTER, no libhttpq), as a well-behaved and as
 * a hostile worker.  It is its own client too: it connects to HOST:PORT,
 * sends requests and checks what the client got.
 *
 * Cases: the mmap() rules and the probe; requests and answers through the
 * ring, with bodies over one record and keep-alive; one doorbell for many
 * answers; bad indices, bad lengths, records refused for their content,
 * an answer that wraps around the ring's end; a thread scribbling over
 * the ring while the kernel reads it; munmap() and close() with requests
 * in hand (502, and read()/write() still work on the file), and a worker
 * that exits with its ring mapped.  After each abuse case a normal
 * request is answered through a ring.
 *
 * usage: httpq_ring -p POOL [-a HOST] [-P PORT] [-u PREFIX]
 *        httpq_ring -p POOL -H     map a ring, close the fd, print "held"
 *                                  and wait for a signal (rmmod test)
 * Prints "ok NAME" or "not ok NAME: why" per case; exits 1 if any failed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/khttp.h>

#define ALIGN8(x)	(((x) + 7) & ~(size_t)7)
#define REC_SZ		sizeof(struct khttp_rec)
#define RI_SZ		sizeof(struct khttp_resp_info)
#define INFO_SZ		sizeof(struct khttp_req_info)
#define WAIT_MS		10000

static const char *host = "127.0.0.1";
static int port = 80;
static const char *prefix = "/r/";
static const char *pool;
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
		return;
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

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ---- the client ---- */

static int send_all(int fd, const void *p, size_t len)
{
	const char *c = p;

	while (len) {
		ssize_t n = send(fd, c, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		c += n;
		len -= n;
	}
	return 0;
}

static int client_connect(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int fd;

	inet_pton(AF_INET, host, &sa.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Send METHOD PREFIX+NAME on @fd, with @blen bytes of @body. */
static int client_send(int fd, const char *method, const char *name,
		       const char *body, size_t blen, bool close_conn)
{
	char head[512];
	int n;

	n = snprintf(head, sizeof(head), "%s %s%s HTTP/1.1\r\nHost: ring\r\n%s",
		     method, prefix, name,
		     close_conn ? "Connection: close\r\n" : "");
	if (body)
		n += snprintf(head + n, sizeof(head) - n,
			      "Content-Length: %zu\r\n", blen);
	n += snprintf(head + n, sizeof(head) - n, "\r\n");
	if (send_all(fd, head, n) || (body && send_all(fd, body, blen)))
		return -1;
	return 0;
}

static int client_get(const char *name)
{
	int fd = client_connect();

	if (fd < 0 || client_send(fd, "GET", name, NULL, 0, true)) {
		FAIL("client %s: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

struct resp {
	int status;
	bool complete;		/* a whole response by its Content-Length */
	size_t blen;
	char *body;
	char *buf;
	size_t len, cap;
};

static void resp_free(struct resp *r)
{
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

/*
 * Read one response on @fd: the head, then Content-Length bytes (or until
 * the end).  Returns 0 when a whole one came within @ms.
 */
static int client_read(int fd, struct resp *r, int ms)
{
	long deadline = now_ms() + ms;
	size_t hlen = 0, clen = (size_t)-1;

	memset(r, 0, sizeof(*r));
	r->cap = 1 << 16;
	r->buf = malloc(r->cap + 1);
	if (!r->buf)
		return -1;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = deadline - now_ms();
		char *e;
		ssize_t n;

		if (!hlen && (e = memmem(r->buf, r->len, "\r\n\r\n", 4))) {
			char *cl;

			hlen = e + 4 - r->buf;
			r->buf[r->len] = '\0';
			sscanf(r->buf, "HTTP/1.%*d %d", &r->status);
			cl = strcasestr(r->buf, "\r\nContent-Length:");
			if (cl && cl < e)
				clen = strtoul(cl + 17, NULL, 10);
		}
		if (hlen && clen != (size_t)-1 && r->len - hlen >= clen) {
			r->complete = true;
			break;
		}
		if (left <= 0 || poll(&p, 1, left) <= 0)
			break;
		if (r->len == r->cap) {
			char *nb = realloc(r->buf, r->cap * 2 + 1);

			if (!nb)
				break;
			r->buf = nb;
			r->cap *= 2;
		}
		n = recv(fd, r->buf + r->len, r->cap - r->len, 0);
		if (n <= 0)
			break;
		r->len += n;
	}
	r->buf[r->len] = '\0';
	if (hlen) {
		r->body = r->buf + hlen;
		r->blen = r->len - hlen;
	}
	return r->complete ? 0 : -1;
}

/* The client on @fd got @status with body @body; closes @fd. */
static void client_expect(int fd, int status, const char *body)
{
	struct resp r;

	if (fd < 0)
		return;
	if (client_read(fd, &r, WAIT_MS))
		FAIL("no whole response (status %d, %zu bytes)", r.status,
		     r.len);
	else if (r.status != status)
		FAIL("status %d, want %d", r.status, status);
	else if (body && (r.blen != strlen(body) ||
			  memcmp(r.body, body, r.blen)))
		FAIL("body '%.60s', want '%s'", r.body, body);
	resp_free(&r);
	close(fd);
}

/* ---- the worker's ring ---- */

struct ring {
	int fd;
	void *mem;
	struct khttp_ring_hdr *h;
	unsigned char *req, *ans;
	__u32 req_head, ans_tail;	/* ours */
};

static int dev_open(int flags)
{
	char path[128];

	snprintf(path, sizeof(path), "/dev/httpq/%s", pool);
	return open(path, O_RDWR | O_CLOEXEC | flags);
}

static int enter(struct ring *r, __u32 flags, struct khttp_ring_enter *e)
{
	struct khttp_ring_enter tmp;

	if (!e)
		e = &tmp;
	memset(e, 0, sizeof(*e));
	e->flags = flags;
	return ioctl(r->fd, KHTTP_IOC_RING_ENTER, e) < 0 ? -errno : 0;
}

static int ring_map(struct ring *r, int fd)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->mem = mmap(NULL, KHTTP_RING_MMAP_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED, fd, 0);
	if (r->mem == MAP_FAILED) {
		r->mem = NULL;
		return -errno;
	}
	r->h = r->mem;
	r->req = (unsigned char *)r->mem + KHTTP_RING_REQ_OFF;
	r->ans = (unsigned char *)r->mem + KHTTP_RING_ANS_OFF;
	r->req_head = r->h->req_tail;
	r->ans_tail = r->h->ans_head;
	return 0;
}

/* A fresh file with a ring, nonblocking (we poll for requests). */
static int ring_open(struct ring *r)
{
	int fd = dev_open(O_NONBLOCK), err;

	if (fd < 0) {
		FAIL("open: %s", strerror(errno));
		return -1;
	}
	err = ring_map(r, fd);
	if (err) {
		FAIL("mmap: %s", strerror(-err));
		close(fd);
		return -1;
	}
	return 0;
}

static void ring_close(struct ring *r)
{
	if (r->mem)
		munmap(r->mem, KHTTP_RING_MMAP_SIZE);
	if (r->fd >= 0)
		close(r->fd);
	r->mem = NULL;
	r->fd = -1;
}

static void copy_out(void *dst, const unsigned char *ring, __u32 size,
		     __u32 idx, size_t len)
{
	__u32 off = idx & (size - 1);
	size_t first = len < size - off ? len : size - off;

	memcpy(dst, ring + off, first);
	memcpy((char *)dst + first, ring, len - first);
}

static void copy_in(unsigned char *ring, __u32 size, __u32 idx,
		    const void *src, size_t len)
{
	__u32 off = idx & (size - 1);
	size_t first = len < size - off ? len : size - off;

	memcpy(ring + off, src, first);
	memcpy(ring, (const char *)src + first, len - first);
}

/* Take the next request record into @buf (KHTTP_REC_MAX); its length. */
static long take_rec(struct ring *r, void *buf)
{
	__u32 tail = __atomic_load_n(&r->h->req_tail, __ATOMIC_ACQUIRE);
	struct khttp_rec h;

	if (tail == r->req_head)
		return 0;
	if ((__u32)(tail - r->req_head) > KHTTP_RING_REQ_SIZE)
		return -EPROTO;
	copy_out(&h, r->req, KHTTP_RING_REQ_SIZE, r->req_head, REC_SZ);
	if (h.len < REC_SZ || ALIGN8(h.len) > (__u32)(tail - r->req_head))
		return -EPROTO;
	copy_out(buf, r->req, KHTTP_RING_REQ_SIZE, r->req_head, h.len);
	r->req_head += ALIGN8(h.len);
	__atomic_store_n(&r->h->req_head, r->req_head, __ATOMIC_RELEASE);
	return h.len;
}

/* The next request record, ringing and polling until @ms pass. */
static long next_rec(struct ring *r, void *buf, int ms)
{
	long deadline = now_ms() + ms, n;
	int err;

	for (;;) {
		n = take_rec(r, buf);
		if (n)
			return n;
		err = enter(r, KHTTP_RING_ENTER_GET, NULL);
		if (err)
			return err;
		n = take_rec(r, buf);
		if (n)
			return n;
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		struct pollfd p = { .fd = r->fd, .events = POLLIN };

		poll(&p, 1, 50);
	}
}

struct req {
	__u64 id;
	__u16 flags;
	char target[256];
	size_t body_len;	/* gathered, REQ_BODY records included */
	unsigned char *body;	/* malloc'ed, or NULL */
};

static unsigned char *rbuf;	/* KHTTP_REC_MAX */

/* A whole request: its REQUEST record and all its REQ_BODY records. */
static int next_req(struct ring *r, struct req *q, int ms)
{
	struct khttp_rec h;
	struct khttp_req_info ri;
	long n = next_rec(r, rbuf, ms);
	size_t off;

	memset(q, 0, sizeof(*q));
	if (n < 0)
		return (int)n;
	memcpy(&h, rbuf, REC_SZ);
	memcpy(&ri, rbuf + REC_SZ, INFO_SZ);
	if (h.type != KHTTP_REC_REQUEST || n < (long)(REC_SZ + INFO_SZ))
		return -EPROTO;
	q->id = h.id;
	q->flags = h.flags;
	off = REC_SZ + INFO_SZ + ri.method_len;
	snprintf(q->target, sizeof(q->target), "%.*s",
		 (int)(ri.target_len < 255 ? ri.target_len : 255),
		 (char *)rbuf + off);
	off += ri.target_len + ri.headers_len;
	q->body = malloc(ri.content_length + 1);
	if (!q->body)
		return -ENOMEM;
	memcpy(q->body, rbuf + off, ri.body_len);
	q->body_len = ri.body_len;
	while (h.flags & KHTTP_REC_F_MORE) {
		n = next_rec(r, rbuf, ms);
		if (n < 0)
			return (int)n;
		memcpy(&h, rbuf, REC_SZ);
		if (h.type != KHTTP_REC_REQ_BODY || h.id != q->id ||
		    q->body_len + h.len - REC_SZ > ri.content_length)
			return -EPROTO;
		memcpy(q->body + q->body_len, rbuf + REC_SZ, h.len - REC_SZ);
		q->body_len += h.len - REC_SZ;
	}
	return 0;
}

/* Queue @len bytes of a record in the answer ring (not published). */
static void put_raw(struct ring *r, const void *rec, size_t len)
{
	static const char zero[8];

	copy_in(r->ans, KHTTP_RING_ANS_SIZE, r->ans_tail, rec, len);
	copy_in(r->ans, KHTTP_RING_ANS_SIZE, r->ans_tail + len, zero,
		ALIGN8(len) - len);
	r->ans_tail += ALIGN8(len);
}

static void publish(struct ring *r)
{
	__atomic_store_n(&r->h->ans_tail, r->ans_tail, __ATOMIC_RELEASE);
}

static unsigned char *wbuf;	/* KHTTP_REC_MAX */

static size_t mk_resp(void *buf, __u64 id, __u16 status, __u16 flags,
		      const char *body, size_t blen, __u64 clen)
{
	static const char hdrs[] = "Content-Type: text/plain\r\n";
	struct khttp_rec h = { .type = KHTTP_REC_RESPONSE, .flags = flags,
			       .id = id };
	struct khttp_resp_info ri = { .status = status,
				      .headers_len = sizeof(hdrs) - 1,
				      .body_len = blen,
				      .content_length = clen };
	char *p = buf;

	h.len = REC_SZ + RI_SZ + ri.headers_len + blen;
	memcpy(p, &h, REC_SZ);
	memcpy(p + REC_SZ, &ri, RI_SZ);
	memcpy(p + REC_SZ + RI_SZ, hdrs, ri.headers_len);
	memcpy(p + REC_SZ + RI_SZ + ri.headers_len, body, blen);
	return h.len;
}

static size_t mk_body(void *buf, __u64 id, __u16 flags, const void *d,
		      size_t n)
{
	struct khttp_rec h = { .len = REC_SZ + n,
			       .type = KHTTP_REC_RESP_BODY,
			       .flags = flags, .id = id };

	memcpy(buf, &h, REC_SZ);
	memcpy((char *)buf + REC_SZ, d, n);
	return h.len;
}

/* A whole 200 answer with @text as its body, queued. */
static void put_answer(struct ring *r, __u64 id, const char *text)
{
	size_t n = mk_resp(wbuf, id, 200, 0, text, strlen(text),
			   strlen(text));

	put_raw(r, wbuf, n);
}

/* Ring the doorbell for what is queued; expect @answers taken cleanly. */
static void ring_answers(struct ring *r, __u32 answers)
{
	struct khttp_ring_enter e;
	int err;

	publish(r);
	err = enter(r, 0, &e);
	EXPECT(!err, "doorbell: %s", strerror(-err));
	EXPECT(!err && e.answers == answers && !e.error,
	       "doorbell took %u answers (error %d), want %u", e.answers,
	       e.error, answers);
	EXPECT(r->h->ans_head == r->ans_tail, "ans_head %u, ans_tail %u",
	       r->h->ans_head, r->ans_tail);
}

/* A normal request through a fresh ring (after each abuse case). */
static void normal_request(const char *name)
{
	struct ring r;
	struct req q;
	char want[64];
	int c, err;

	if (ring_open(&r))
		return;
	c = client_get(name);
	err = next_req(&r, &q, WAIT_MS);
	EXPECT(!err, "no request: %s", strerror(-err));
	if (!err) {
		snprintf(want, sizeof(want), "after %s", name);
		put_answer(&r, q.id, want);
		ring_answers(&r, 1);
		client_expect(c, 200, want);
	} else if (c >= 0) {
		close(c);
	}
	free(q.body);
	ring_close(&r);
}

/* ---- the cases ---- */

static void probe_case(void)
{
	struct khttp_ring_enter e = { 0 };
	struct ring r;
	void *m;
	int fd, err;

	begin("ring-probe-and-mmap-rules");
	fd = dev_open(0);
	if (fd < 0) {
		FAIL("open: %s", strerror(errno));
		end();
		return;
	}
	EXPECT(ioctl(fd, KHTTP_IOC_RING_ENTER, &e) < 0 && errno == ENXIO,
	       "doorbell before mmap: %s, want ENXIO", strerror(errno));
	e.reserved = 1;
	EXPECT(ioctl(fd, KHTTP_IOC_RING_ENTER, &e) < 0 && errno == EINVAL,
	       "reserved set: %s", strerror(errno));
	e.reserved = 0;
	e.flags = KHTTP_RING_ENTER_WAIT;	/* WAIT without GET */
	EXPECT(ioctl(fd, KHTTP_IOC_RING_ENTER, &e) < 0 && errno == EINVAL,
	       "WAIT without GET: %s", strerror(errno));
	EXPECT(ioctl(fd, _IO(KHTTP_IOC_MAGIC, 9)) < 0 && errno == ENOTTY,
	       "unknown ioctl: %s", strerror(errno));
	m = mmap(NULL, KHTTP_RING_MMAP_SIZE - 4096, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	EXPECT(m == MAP_FAILED && errno == EINVAL, "short mmap: %s",
	       m == MAP_FAILED ? strerror(errno) : "mapped");
	m = mmap(NULL, KHTTP_RING_MMAP_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE, fd, 0);
	EXPECT(m == MAP_FAILED && errno == EINVAL, "MAP_PRIVATE: %s",
	       m == MAP_FAILED ? strerror(errno) : "mapped");
	m = mmap(NULL, KHTTP_RING_MMAP_SIZE, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 4096);
	EXPECT(m == MAP_FAILED && errno == EINVAL, "offset 4096: %s",
	       m == MAP_FAILED ? strerror(errno) : "mapped");
	err = ring_map(&r, fd);
	EXPECT(!err, "mmap: %s", strerror(-err));
	if (!err) {
		EXPECT(r.h->magic == KHTTP_RING_MAGIC &&
		       r.h->req_size == KHTTP_RING_REQ_SIZE &&
		       r.h->ans_size == KHTTP_RING_ANS_SIZE,
		       "header %x %u %u", r.h->magic, r.h->req_size,
		       r.h->ans_size);
		m = mmap(NULL, KHTTP_RING_MMAP_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, 0);
		EXPECT(m == MAP_FAILED && errno == EBUSY, "second mmap: %s",
		       m == MAP_FAILED ? strerror(errno) : "mapped");
		err = enter(&r, 0, &e);
		EXPECT(!err && !e.answers && !e.requests,
		       "empty doorbell: %s", strerror(-err));
		ring_close(&r);
	} else {
		close(fd);
	}
	end();
}

static void basic_case(void)
{
	struct khttp_ring_enter e;
	struct ring r;
	struct req q;
	int c, err, fd;

	begin("ring-basic-blocking-wait");
	/* A blocking file: WAIT sleeps in the kernel until the request. */
	fd = dev_open(0);
	if (fd < 0 || ring_map(&r, fd)) {
		FAIL("open/mmap: %s", strerror(errno));
		end();
		return;
	}
	c = client_get("basic");
	alarm(20);
	err = enter(&r, KHTTP_RING_ENTER_GET | KHTTP_RING_ENTER_WAIT, &e);
	alarm(0);
	EXPECT(!err && e.requests >= 1, "wait: %s, %u requests",
	       strerror(-err), e.requests);
	err = next_req(&r, &q, WAIT_MS);
	EXPECT(!err && !strcmp(q.target, "/r/basic"), "request %s '%s'",
	       strerror(-err), q.target);
	if (!err) {
		put_answer(&r, q.id, "basic-ok");
		ring_answers(&r, 1);
	}
	client_expect(c, 200, "basic-ok");
	free(q.body);
	ring_close(&r);
	end();
}

static void keepalive_case(void)
{
	struct ring r;
	struct req q;
	struct resp rs;
	int c, i, err;

	begin("ring-keepalive");
	if (ring_open(&r)) {
		end();
		return;
	}
	c = client_connect();
	for (i = 0; i < 3 && c >= 0; i++) {
		char name[32], text[32];

		snprintf(name, sizeof(name), "ka%d", i);
		snprintf(text, sizeof(text), "keep-alive %d", i);
		if (client_send(c, "GET", name, NULL, 0, false)) {
			FAIL("send %d", i);
			break;
		}
		err = next_req(&r, &q, WAIT_MS);
		EXPECT(!err, "request %d: %s", i, strerror(-err));
		if (err)
			break;
		put_answer(&r, q.id, text);
		ring_answers(&r, 1);
		free(q.body);
		if (client_read(c, &rs, WAIT_MS) || rs.status != 200 ||
		    rs.blen != strlen(text) || memcmp(rs.body, text, rs.blen))
			FAIL("answer %d: status %d body '%.40s'", i, rs.status,
			     rs.body ? rs.body : "");
		resp_free(&rs);
	}
	if (c >= 0)
		close(c);
	ring_close(&r);
	end();
}

static void fill_pattern(unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed);
}

static void big_bodies_case(void)
{
	const size_t in = 200000, out = 300000, first = 1000;
	unsigned char *body = malloc(out), *want = malloc(in);
	struct ring r;
	struct req q;
	struct resp rs;
	size_t off, n;
	int c, err;

	begin("ring-bodies-over-one-record");
	if (!body || !want || ring_open(&r)) {
		free(body);
		free(want);
		end();
		return;
	}
	fill_pattern(want, in, 3);
	fill_pattern(body, out, 5);
	c = client_connect();
	if (c < 0 || client_send(c, "POST", "big", (const char *)want, in,
				 true))
		FAIL("client: %s", strerror(errno));
	err = next_req(&r, &q, WAIT_MS);
	EXPECT(!err && q.body_len == in && !memcmp(q.body, want, in),
	       "request body: %s, %zu bytes", strerror(-err), q.body_len);
	if (!err) {
		/* RESPONSE with the first bytes, then 100000-byte records */
		n = mk_resp(wbuf, q.id, 200, KHTTP_REC_F_MORE,
			    (const char *)body, first, out);
		put_raw(&r, wbuf, n);
		for (off = first; off < out; off += n - REC_SZ) {
			size_t k = out - off < 100000 ? out - off : 100000;

			n = mk_body(wbuf, q.id, off + k < out ?
				    KHTTP_REC_F_MORE : 0, body + off, k);
			put_raw(&r, wbuf, n);
		}
		ring_answers(&r, 4);
	}
	if (c >= 0) {
		if (client_read(c, &rs, WAIT_MS) || rs.status != 200 ||
		    rs.blen != out || memcmp(rs.body, body, out))
			FAIL("answer: status %d, %zu body bytes", rs.status,
			     rs.blen);
		resp_free(&rs);
		close(c);
	}
	free(q.body);
	free(body);
	free(want);
	ring_close(&r);
	end();
}

#define NBATCH 16

static void batch_case(void)
{
	struct khttp_ring_enter e;
	struct req q[NBATCH];
	int c[NBATCH], i, got = 0, err;
	struct ring r;
	char text[32];

	begin("ring-batch-one-doorbell");
	if (ring_open(&r)) {
		end();
		return;
	}
	for (i = 0; i < NBATCH; i++) {
		char name[16];

		snprintf(name, sizeof(name), "b%d", i);
		c[i] = client_get(name);
	}
	for (got = 0; got < NBATCH; got++) {
		err = next_req(&r, &q[got], WAIT_MS);
		if (err) {
			FAIL("request %d: %s", got, strerror(-err));
			break;
		}
	}
	for (i = 0; i < got; i++) {
		snprintf(text, sizeof(text), "batch %s", q[i].target);
		put_answer(&r, q[i].id, text);
	}
	publish(&r);
	err = enter(&r, 0, &e);
	EXPECT(!err && e.answers == (__u32)got && !e.error,
	       "one doorbell: %s, %u answers, error %d", strerror(-err),
	       e.answers, e.error);
	for (i = 0; i < got; i++) {
		struct resp rs;
		char name[16];
		int k;

		/* which client's request was q[i]? */
		k = atoi(q[i].target + strlen(prefix) + 1);
		snprintf(name, sizeof(name), "batch %sb%d", prefix, k);
		if (k < 0 || k >= NBATCH || c[k] < 0)
			continue;
		if (client_read(c[k], &rs, WAIT_MS) || rs.status != 200 ||
		    strncmp(rs.body, name, strlen(name)))
			FAIL("client %d: %d '%.30s'", k, rs.status,
			     rs.body ? rs.body : "");
		resp_free(&rs);
		close(c[k]);
		c[k] = -1;
		free(q[i].body);
	}
	for (i = 0; i < NBATCH; i++)
		if (c[i] >= 0)
			close(c[i]);
	ring_close(&r);
	end();
}

/* A doorbell that must fail with EINVAL and change nothing. */
static void refused_index(struct ring *r, const char *what)
{
	__u32 ans_head = r->h->ans_head, req_tail = r->h->req_tail;
	int err = enter(r, KHTTP_RING_ENTER_GET, NULL);

	EXPECT(err == -EINVAL, "%s: %s, want EINVAL", what, strerror(-err));
	EXPECT(r->h->ans_head == ans_head && r->h->req_tail == req_tail,
	       "%s moved the kernel's indices", what);
}

static void bad_index_case(void)
{
	struct ring r;
	struct req q;
	int c, err;

	__u32 head0;

	begin("ring-bad-indices");
	if (ring_open(&r)) {
		end();
		return;
	}
	c = client_get("idx");
	err = next_req(&r, &q, WAIT_MS);
	EXPECT(!err, "request: %s", strerror(-err));
	/* The kernel accepts the req_head we have now as its floor. */
	err = enter(&r, 0, NULL);
	EXPECT(!err, "clean doorbell: %s", strerror(-err));
	/* A queued answer behind the bad indices must not go out. */
	put_answer(&r, q.id, "idx-ok");
	r.h->ans_tail = r.h->ans_head + KHTTP_RING_ANS_SIZE + 8;
	refused_index(&r, "ans_tail past the ring");
	r.h->ans_tail = r.ans_tail + 4;
	refused_index(&r, "unaligned ans_tail");
	r.h->ans_tail = r.h->ans_head - 8;
	refused_index(&r, "ans_tail behind ans_head");
	r.h->ans_tail = 0x80000000u + r.h->ans_head;
	refused_index(&r, "ans_tail 2^31 away");
	r.h->ans_tail = r.h->ans_head;
	r.h->req_head = r.req_head + 8;
	refused_index(&r, "req_head past req_tail");
	r.h->req_head = r.req_head - 8;
	refused_index(&r, "req_head backwards");
	r.h->req_head = r.req_head + 3;
	refused_index(&r, "unaligned req_head");
	r.h->req_head = r.req_head;
	/* The kernel's own fields are written, never read. */
	head0 = r.h->ans_head;
	r.h->ans_head = 12345;
	r.h->req_tail = 0xdeadbeef;
	r.h->magic = 0;
	err = enter(&r, 0, NULL);
	EXPECT(!err, "clean doorbell: %s", strerror(-err));
	EXPECT(r.h->ans_head == head0 && r.h->req_tail == r.req_head &&
	       r.h->magic == KHTTP_RING_MAGIC,
	       "kernel fields not rewritten: ans_head %u req_tail %u",
	       r.h->ans_head, r.h->req_tail);
	/* Now the queued answer goes. */
	ring_answers(&r, 1);
	client_expect(c, 200, "idx-ok");
	free(q.body);
	ring_close(&r);
	end();
	begin("ring-bad-indices-then-normal");
	normal_request("bad-indices");
	end();
}

/* Publish @len bytes of a hand-made record; expect the doorbell's @want. */
static void lost_stream(struct ring *r, const void *rec, size_t reclen,
			size_t publish_len, const char *what)
{
	int err;

	copy_in(r->ans, KHTTP_RING_ANS_SIZE, r->ans_tail, rec, reclen);
	r->ans_tail += publish_len;
	publish(r);
	err = enter(r, 0, NULL);
	EXPECT(err == -EINVAL, "%s: %s, want EINVAL", what, strerror(-err));
	/* The stream is lost: the kernel skipped to our tail. */
	EXPECT(r->h->ans_head == r->ans_tail, "%s: ans_head %u, tail %u",
	       what, r->h->ans_head, r->ans_tail);
}

static void bad_length_case(void)
{
	struct khttp_ring_enter e;
	struct khttp_rec h = { .type = KHTTP_REC_RESPONSE, .id = 1 };
	struct ring r;
	struct req q;
	size_t n;
	int c, err;

	begin("ring-bad-lengths");
	if (ring_open(&r)) {
		end();
		return;
	}
	h.len = 8;
	lost_stream(&r, &h, REC_SZ, 16, "len 8");
	h.len = 0;
	lost_stream(&r, &h, REC_SZ, 16, "len 0");
	h.len = KHTTP_REC_MAX + 8;
	lost_stream(&r, &h, REC_SZ, 64, "len over KHTTP_REC_MAX");
	h.len = 0xffffffff;
	lost_stream(&r, &h, REC_SZ, 64, "len 2^32-1");
	h.len = 128;
	lost_stream(&r, &h, REC_SZ, 64, "len past the published tail");
	h.len = 20;
	lost_stream(&r, &h, REC_SZ, 8, "header itself not published");

	/* A good answer, then a bad length in the same batch. */
	c = client_get("len");
	err = next_req(&r, &q, WAIT_MS);
	EXPECT(!err, "request: %s", strerror(-err));
	put_answer(&r, q.id, "len-ok");
	h.len = 4;
	lost_stream(&r, &h, REC_SZ, 16, "bad length after a good answer");
	client_expect(c, 200, "len-ok");
	free(q.body);

	/* Refused for what it says: consumed, reported, the rest goes on. */
	c = client_get("content");
	err = next_req(&r, &q, WAIT_MS);
	EXPECT(!err, "request: %s", strerror(-err));
	n = mk_resp(wbuf, q.id, 99, 0, "x", 1, 1);	/* status 99 */
	put_raw(&r, wbuf, n);
	n = mk_resp(wbuf, 0x7777777777ull, 200, 0, "x", 1, 1);	/* no such id */
	put_raw(&r, wbuf, n);
	put_answer(&r, q.id, "content-ok");
	publish(&r);
	err = enter(&r, 0, &e);
	EXPECT(!err && e.answers == 3 && e.error == -EINVAL &&
	       e.error_id == q.id, "refused records: %s answers %u error %d "
	       "id %llu", strerror(-err), e.answers, e.error,
	       (unsigned long long)e.error_id);
	client_expect(c, 200, "content-ok");
	free(q.body);
	ring_close(&r);
	end();
	begin("ring-bad-lengths-then-normal");
	normal_request("bad-lengths");
	end();
}

/* An answer that wraps around the end of the answer ring. */
static void straddle_case(void)
{
	struct khttp_ring_enter e;
	struct ring r;
	struct req q;
	__u32 pos, fill;
	size_t n;
	int c, err;

	begin("ring-answer-straddles-the-end");
	if (ring_open(&r)) {
		end();
		return;
	}
	/*
	 * Move ans_head to 40 bytes before the end with one big record the
	 * kernel refuses (ENOENT: no such request) and consumes.
	 */
	pos = r.ans_tail & (KHTTP_RING_ANS_SIZE - 1);
	fill = (KHTTP_RING_ANS_SIZE - 40 - pos) & (KHTTP_RING_ANS_SIZE - 1);
	if (fill < REC_SZ)
		fill += KHTTP_RING_ANS_SIZE;
	memset(rbuf, 'f', KHTTP_REC_MAX);
	if (fill > KHTTP_REC_MAX - 64) {
		n = mk_body(wbuf, 0x6666666666ull, 0, rbuf,
			    (1U << 20) - REC_SZ);
		put_raw(&r, wbuf, n);
		fill -= 1U << 20;
	}
	n = mk_body(wbuf, 0x6666666666ull, 0, rbuf, fill - REC_SZ);
	put_raw(&r, wbuf, n);
	publish(&r);
	err = enter(&r, 0, &e);
	EXPECT(!err && e.error == -ENOENT, "filler: %s error %d",
	       strerror(-err), e.error);
	EXPECT((r.h->ans_head & (KHTTP_RING_ANS_SIZE - 1)) ==
	       KHTTP_RING_ANS_SIZE - 40, "ans_head at %u",
	       r.h->ans_head & (KHTTP_RING_ANS_SIZE - 1));
	c = client_get("straddle");
	err = next_req(&r, &q, WAIT_MS);
	EXPECT(!err, "request: %s", strerror(-err));
	put_answer(&r, q.id, "straddled across the end of the ring");
	ring_answers(&r, 1);
	client_expect(c, 200, "straddled across the end of the ring");
	free(q.body);
	ring_close(&r);
	end();
}

/* ---- a thread scribbling over the ring while the kernel reads it ---- */

struct scribble {
	struct ring *r;
	volatile bool stop;
	volatile __u64 id;	/* a request in hand, to aim at */
	unsigned long writes;
};

static void *scribbler(void *arg)
{
	struct scribble *s = arg;
	struct ring *r = s->r;
	unsigned int seed = 12345;

	while (!s->stop) {
		__u32 head = r->h->ans_head, k = rand_r(&seed);
		struct khttp_rec h = {
			.len = REC_SZ + (k % 300),
			.type = 3 + (k >> 9) % 2,
			.flags = (k >> 11) & 7,
			.id = (k >> 14) & 1 ? s->id : k,
		};
		size_t i;

		copy_in(r->ans, KHTTP_RING_ANS_SIZE, head, &h, REC_SZ);
		for (i = 0; i < 64; i++)
			r->ans[(head + REC_SZ + rand_r(&seed) % 512) &
			       (KHTTP_RING_ANS_SIZE - 1)] = rand_r(&seed);
		/* flip the length while the kernel may be copying */
		r->ans[head & (KHTTP_RING_ANS_SIZE - 1)] = rand_r(&seed);
		switch (k % 5) {
		case 0:
			r->h->ans_tail = rand_r(&seed);
			break;
		case 1:
			r->h->req_head = rand_r(&seed) & ~7u;
			break;
		default:
			r->h->ans_tail = head + ((k >> 3) % 1024) * 8;
			break;
		}
		r->h->ans_head = rand_r(&seed);
		s->writes++;
	}
	return NULL;
}

static void scribble_case(void)
{
	struct scribble s = { 0 };
	struct ring r;
	struct req q;
	pthread_t t;
	int c, i, err, einval = 0, ok = 0, other = 0, lasterr = 0;

	begin("ring-scribbling-thread");
	if (ring_open(&r)) {
		end();
		return;
	}
	c = client_get("scribble");
	err = next_req(&r, &q, WAIT_MS);
	EXPECT(!err, "request: %s", strerror(-err));
	s.r = &r;
	s.id = q.id;
	if (pthread_create(&t, NULL, scribbler, &s)) {
		FAIL("pthread_create");
		ring_close(&r);
		end();
		return;
	}
	for (i = 0; i < 3000; i++) {
		err = enter(&r, i % 3 ? 0 : KHTTP_RING_ENTER_GET, NULL);
		if (!err)
			ok++;
		else if (err == -EINVAL)
			einval++;
		else {
			other++;
			lasterr = err;
		}
	}
	s.stop = true;
	pthread_join(t, NULL);
	printf("# scribble: %lu writes, doorbells %d ok %d EINVAL %d other (%s)\n",
	       s.writes, ok, einval, other, other ? strerror(-lasterr) : "-");
	EXPECT(!other, "doorbell errors other than EINVAL: %d (%s)", other,
	       strerror(-lasterr));
	EXPECT(einval > 0, "no doorbell refused");
	/* The client got some answer or none; closing the file ends it. */
	ring_close(&r);
	if (c >= 0) {
		struct resp rs;

		/* what it got depends on the scribbles: just that it ends */
		client_read(c, &rs, WAIT_MS);
		printf("# scribbled client: status %d, %zu bytes\n",
		       rs.status, rs.len);
		resp_free(&rs);
		close(c);
	}
	free(q.body);
	end();
	begin("ring-scribbling-then-normal");
	normal_request("scribbling");
	end();
}

/* ---- lifetimes ---- */

static void munmap_case(void)
{
	struct khttp_rec h;
	struct ring r;
	struct req q;
	char buf[4096];
	ssize_t n;
	int c, c2, err, fd;

	begin("ring-munmap-with-requests-in-hand");
	if (ring_open(&r)) {
		end();
		return;
	}
	c = client_get("munmap");
	err = next_req(&r, &q, WAIT_MS);
	EXPECT(!err, "request: %s", strerror(-err));
	munmap(r.mem, KHTTP_RING_MMAP_SIZE);
	r.mem = NULL;
	client_expect(c, 502, NULL);
	fd = r.fd;
	err = enter(&r, KHTTP_RING_ENTER_GET, NULL);
	EXPECT(err == -ENXIO, "doorbell after munmap: %s", strerror(-err));
	EXPECT(mmap(NULL, KHTTP_RING_MMAP_SIZE, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0) == MAP_FAILED && errno == EBUSY,
	       "mmap again: %s", strerror(errno));
	/* read() and write() go on on the same file. */
	c2 = client_get("after-munmap");
	n = -1;
	for (int i = 0; i < 200 && n < 0; i++) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			msleep(50);
	}
	memcpy(&h, buf, REC_SZ);
	EXPECT(n > 0 && h.type == KHTTP_REC_REQUEST, "read(): %zd", n);
	if (n > 0) {
		size_t len = mk_resp(wbuf, h.id, 200, 0, "by write", 8, 8);

		EXPECT(write(fd, wbuf, ALIGN8(len)) == (ssize_t)ALIGN8(len),
		       "write(): %s", strerror(errno));
	}
	client_expect(c2, 200, "by write");
	free(q.body);
	ring_close(&r);
	end();
	begin("ring-munmap-then-normal");
	normal_request("munmap");
	end();
}

/*
 * munmap() while a request is half delivered (its body records did not
 * all fit in the ring): both go back (502), and read() on the same file
 * then brings a new request, not the rest of the one handed back.
 */
static void munmap_mid_body_case(void)
{
	const size_t big = 1536 << 10;
	unsigned char *body = malloc(big);
	__u32 last = 0;
	struct khttp_rec h;
	struct ring r;
	char buf[4096];
	ssize_t n = -1;
	int a, b, c, i, fd;

	begin("ring-munmap-mid-body");
	if (!body || ring_open(&r)) {
		free(body);
		end();
		return;
	}
	fill_pattern(body, big, 1);
	a = client_connect();
	b = client_connect();
	if (a < 0 || b < 0 ||
	    client_send(a, "POST", "mid-a", (const char *)body, big, true) ||
	    client_send(b, "POST", "mid-b", (const char *)body, big, true))
		FAIL("clients: %s", strerror(errno));
	/* Take nothing: the ring fills with a, then part of b. */
	for (i = 0; i < 200; i++) {
		__u32 t;

		enter(&r, KHTTP_RING_ENTER_GET, NULL);
		t = r.h->req_tail;
		if (t > big + (8 << 10) && t == last)
			break;
		last = t;
		msleep(50);
	}
	EXPECT(r.h->req_tail > big + (8 << 10) &&
	       r.h->req_tail < 2 * big, "req_tail %u", r.h->req_tail);
	munmap(r.mem, KHTTP_RING_MMAP_SIZE);
	r.mem = NULL;
	client_expect(a, 502, NULL);
	client_expect(b, 502, NULL);
	fd = r.fd;
	c = client_get("after-mid");
	for (i = 0; i < 200 && n < 0; i++) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			msleep(50);
	}
	memcpy(&h, buf, REC_SZ);
	EXPECT(n > 0 && h.type == KHTTP_REC_REQUEST &&
	       n >= (ssize_t)(REC_SZ + INFO_SZ + 4 + 12) &&
	       memmem(buf, n, "/r/after-mid", 12), "read(): %zd type %u", n,
	       n > 0 ? h.type : 0);
	if (n > 0 && h.type == KHTTP_REC_REQUEST) {
		size_t len = mk_resp(wbuf, h.id, 200, 0, "mid ok", 6, 6);

		EXPECT(write(fd, wbuf, ALIGN8(len)) == (ssize_t)ALIGN8(len),
		       "write(): %s", strerror(errno));
	}
	client_expect(c, 200, "mid ok");
	ring_close(&r);
	free(body);
	end();
	begin("ring-munmap-mid-body-then-normal");
	normal_request("munmap-mid-body");
	end();
}

static void close_mapped_case(void)
{
	struct ring r;
	struct req q;
	struct resp rs;
	int c, err;

	begin("ring-close-while-mapped");
	if (ring_open(&r)) {
		end();
		return;
	}
	c = client_get("close");
	err = next_req(&r, &q, WAIT_MS);
	EXPECT(!err, "request: %s", strerror(-err));
	close(r.fd);	/* the mapping holds the file: nothing happens */
	r.fd = -1;
	if (c >= 0) {
		client_read(c, &rs, 500);
		EXPECT(!rs.len, "the client got %zu bytes before munmap",
		       rs.len);
		resp_free(&rs);
	}
	/* The answer still goes through the ring; no doorbell, though. */
	munmap(r.mem, KHTTP_RING_MMAP_SIZE);
	r.mem = NULL;
	client_expect(c, 502, NULL);
	free(q.body);
	end();
	begin("ring-close-while-mapped-then-normal");
	normal_request("close-mapped");
	end();
}

static void exit_mapped_case(void)
{
	int c, st;
	pid_t pid;

	begin("ring-worker-exits-mapped");
	c = client_get("exit");
	pid = fork();
	if (pid == 0) {
		struct ring r;
		struct req q;

		if (ring_open(&r) || next_req(&r, &q, WAIT_MS))
			_exit(2);
		_exit(0);	/* with the ring mapped and the request held */
	}
	EXPECT(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	       !WEXITSTATUS(st), "child: %d", st);
	client_expect(c, 502, NULL);
	end();
	begin("ring-worker-exits-mapped-then-normal");
	normal_request("exit-mapped");
	end();
}

/* -H: hold a ring with its fd closed, until a signal. */
static int hold(void)
{
	struct ring r;
	int fd = dev_open(0);

	if (fd < 0 || ring_map(&r, fd)) {
		perror("httpq_ring -H");
		return 1;
	}
	close(fd);
	printf("held\n");
	fflush(stdout);
	pause();
	return 0;
}

int main(int argc, char **argv)
{
	bool hold_mode = false;
	int opt;

	while ((opt = getopt(argc, argv, "p:a:P:u:H")) != -1) {
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
		case 'H':
			hold_mode = true;
			break;
		default:
			fprintf(stderr, "usage: httpq_ring -p POOL [-a HOST] [-P PORT] [-u PREFIX] [-H]\n");
			return 2;
		}
	}
	if (!pool) {
		fprintf(stderr, "httpq_ring: -p POOL is required\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (hold_mode)
		return hold();
	rbuf = malloc(KHTTP_REC_MAX);
	wbuf = malloc(KHTTP_REC_MAX);
	if (!rbuf || !wbuf)
		return 1;
	probe_case();
	basic_case();
	keepalive_case();
	big_bodies_case();
	batch_case();
	bad_index_case();
	bad_length_case();
	straddle_case();
	scribble_case();
	munmap_case();
	munmap_mid_body_case();
	close_mapped_case();
	exit_mapped_case();
	printf("# %d failed\n", nfailed);
	return nfailed ? 1 : 0;
}
