// SPDX-License-Identifier: GPL-2.0
/*
 * httpq_secure: isolation and information-leak checks on /dev/httpq, run in
 * the test guest by scripts/e2e/69-httpq-secure.sh.
 *
 *   httpq_secure POOL_A PREFIX_A POOL_B PREFIX_B     (127.0.0.1:80)
 *
 * 1. Request records for bodies of odd sizes (1 .. 64 KiB + 5, whole and
 *    chunked, so REQUEST and REQ_BODY records both end off the 8-byte
 *    grid): every padding byte and reserved field is zero, the lengths add
 *    up, and the body bytes are exactly what the client sent (the read
 *    buffer is pre-filled with 0xa5 so stale bytes would show).
 * 2. One pool's worker can never read or answer another pool's requests:
 *    a request queued on pool A is not readable on B; answering its id
 *    (or neighbouring ids) on B's file is refused with ENOENT or EPERM and
 *    does not reach A's client; the same the other way round.
 * Prints "ok NAME" / "not ok NAME: why"; exits 1 on any failure.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/khttp.h>
#include "tap.h"

#define ALIGN8(x)	(((x) + KHTTP_REC_ALIGN - 1) & ~(size_t)(KHTTP_REC_ALIGN - 1))
#define REC_SZ		sizeof(struct khttp_rec)
#define INFO_SZ		sizeof(struct khttp_req_info)

static char *ibuf, *wbuf;

static int client_send(const char *req, size_t len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(80) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	size_t off = 0;
	ssize_t n;

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (fd < 0 || connect(fd, (void *)&sa, sizeof(sa))) {
		perror("connect");
		exit(2);
	}
	while (off < len) {
		n = write(fd, req + off, len - off);
		if (n <= 0) {
			perror("send");
			exit(2);
		}
		off += n;
	}
	return fd;
}

/* The client's whole answer (until close or @ms), NUL-terminated. */
static char *client_answer(int fd, int ms)
{
	static char buf[65536];
	size_t len = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	while (len < sizeof(buf) - 1 && poll(&p, 1, ms) == 1) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	return buf;
}

/* Read records from @fd until one is there (or @ms pass); returns bytes. */
static long read_recs(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	memset(ibuf, 0xa5, KHTTP_READ_MIN);
	if (poll(&p, 1, ms) != 1)
		return -ETIMEDOUT;
	n = read(fd, ibuf, KHTTP_READ_MIN);
	return n < 0 ? -errno : n;
}

static bool all_zero(const char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static long respond(int fd, __u64 id, const char *body)
{
	struct khttp_rec *r = (void *)wbuf;
	struct khttp_resp_info *ri = (void *)(r + 1);
	size_t bl = strlen(body), len = REC_SZ + sizeof(*ri) + bl;
	ssize_t n;

	memset(wbuf, 0, len);
	r->len = len;
	r->type = KHTTP_REC_RESPONSE;
	r->id = id;
	ri->status = 200;
	ri->body_len = bl;
	memcpy(ri + 1, body, bl);
	n = write(fd, wbuf, len);
	return n < 0 ? -errno : n;
}

/*
 * Read a whole request (REQUEST plus REQ_BODY records) from @fd, checking
 * every record; compare the body with @want.  Returns its id or 0.
 */
static __u64 read_request(const char *name, int fd, const char *want,
			  size_t wantlen)
{
	size_t got = 0, off, al;
	__u64 id = 0;
	bool more = true;
	long n;

	while (more) {
		n = read_recs(fd, 10000);
		if (n <= 0) {
			result(false, name, "read: %s", strerror(-n));
			return 0;
		}
		for (off = 0; off < (size_t)n; off += al) {
			struct khttp_rec *rec = (void *)(ibuf + off);
			const char *data;
			size_t dl;

			al = ALIGN8(rec->len);
			if (rec->len < REC_SZ || off + al > (size_t)n) {
				result(false, name, "record at %zu: len %u of %ld",
				       off, rec->len, n);
				return 0;
			}
			if (!all_zero(ibuf + off + rec->len, al - rec->len)) {
				result(false, name, "padding after a %u-byte record not zero",
				       rec->len);
				return 0;
			}
			if (rec->type == KHTTP_REC_REQUEST) {
				struct khttp_req_info *in = (void *)(rec + 1);

				if (id || in->tls_version || in->tls_cipher || in->reserved2 ||
				    !all_zero((char *)in->client.addr + 4, 12) ||
				    in->client.scope_id || in->server.scope_id ||
				    REC_SZ + INFO_SZ + in->method_len + in->target_len +
				    in->headers_len + in->body_len != rec->len ||
				    in->content_length != wantlen) {
					result(false, name, "bad REQUEST record (len %u, body %u, cl %llu)",
					       rec->len, in->body_len,
					       (unsigned long long)in->content_length);
					return 0;
				}
				id = rec->id;
				data = (char *)(in + 1) + in->method_len +
				       in->target_len + in->headers_len;
				dl = in->body_len;
			} else if (rec->type == KHTTP_REC_REQ_BODY && rec->id == id) {
				data = (char *)(rec + 1);
				dl = rec->len - REC_SZ;
			} else {
				result(false, name, "unexpected record type %u id %llu",
				       rec->type, (unsigned long long)rec->id);
				return 0;
			}
			if (got + dl > wantlen || memcmp(data, want + got, dl)) {
				result(false, name, "body bytes differ at %zu", got);
				return 0;
			}
			got += dl;
			more = rec->flags & KHTTP_REC_F_MORE;
			if (!more && off + al != (size_t)n) {
				result(false, name, "records after the last one");
				return 0;
			}
		}
	}
	if (got != wantlen) {
		result(false, name, "body %zu bytes, want %zu", got, wantlen);
		return 0;
	}
	return id;
}

static void padding_case(const char *pfx, int fa, size_t size, bool chunked)
{
	char name[64], *body = malloc(size), *req = malloc(size + 4096);
	size_t i, len, off, c;
	__u64 id;
	int cfd;
	long n;

	snprintf(name, sizeof(name), "padding/%s-%zu", chunked ? "chunked" : "cl", size);
	for (i = 0; i < size; i++)
		body[i] = 'A' + (i * 7 + size) % 26;
	if (!chunked) {
		len = sprintf(req, "POST %sodd%zu HTTP/1.1\r\nHost: h\r\nX-Odd: %.*s\r\n"
			      "Connection: close\r\nContent-Length: %zu\r\n\r\n", pfx, size,
			      (int)(size % 7), "abcdefg", size);
		memcpy(req + len, body, size);
		len += size;
	} else {
		len = sprintf(req, "POST %sodd%zu HTTP/1.1\r\nHost: h\r\n"
			      "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n", pfx, size);
		/* chunks of 1, 2, 3, ... bytes */
		for (off = 0, c = 1; off < size; off += c, c++) {
			if (c > size - off)
				c = size - off;
			len += sprintf(req + len, "%zx\r\n", c);
			memcpy(req + len, body + off, c);
			len += c;
			len += sprintf(req + len, "\r\n");
		}
		len += sprintf(req + len, "0\r\n\r\n");
	}
	cfd = client_send(req, len);
	id = read_request(name, fa, body, size);
	if (id) {
		n = respond(fa, id, "padding-ok");
		if (n < 0)
			result(false, name, "respond: %s", strerror(-n));
		else if (!strstr(client_answer(cfd, 10000), "padding-ok"))
			result(false, name, "the client did not get the answer");
		else
			result(true, name, NULL);
		cfd = -1;
	}
	if (cfd >= 0)
		close(cfd);
	free(body);
	free(req);
}

/* A request on @from's pool: @to's file can neither see nor answer it. */
static void cross_case(const char *name, int from, const char *pfx, int to)
{
	char req[256], nm[96];
	__u64 id, ids[5];
	size_t len, i;
	int cfd;
	long n;

	len = snprintf(req, sizeof(req), "GET %scross HTTP/1.1\r\nHost: h\r\n"
		       "Connection: close\r\n\r\n", pfx);
	cfd = client_send(req, len);
	id = read_request(name, from, "", 0);
	if (!id) {
		close(cfd);
		return;
	}
	n = read_recs(to, 300);
	snprintf(nm, sizeof(nm), "%s/not-readable", name);
	result(n == -ETIMEDOUT, nm, n == -ETIMEDOUT ? NULL :
	       "the other pool's file returned %ld", n);
	ids[0] = id;
	ids[1] = id + 1;
	ids[2] = id - 1;
	ids[3] = 0;
	ids[4] = ~0ULL;
	for (i = 0; i < 5; i++) {
		n = respond(to, ids[i], "stolen");
		snprintf(nm, sizeof(nm), "%s/answer-id%+d", name,
			 i == 0 ? 0 : i == 1 ? 1 : i == 2 ? -1 : i == 3 ? 99 : -99);
		result(n == -ENOENT || n == -EPERM, nm, "write returned %ld (%s)",
		       n, n < 0 ? strerror(-n) : "no error");
	}
	/* The rightful worker still answers; the client never saw "stolen". */
	n = respond(from, id, "rightful");
	snprintf(nm, sizeof(nm), "%s/rightful-answer", name);
	if (n < 0) {
		result(false, nm, "respond: %s", strerror(-n));
		close(cfd);
		return;
	}
	{
		char *a = client_answer(cfd, 10000);

		result(strstr(a, "rightful") && !strstr(a, "stolen"), nm,
		       strstr(a, "rightful") ? NULL : "client got '%.60s'", a);
	}
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 1, 3, 7, 13, 4093, 65535, 65537, 65536 + 4099 };
	char pa[128], pb[128];
	size_t i;
	int fa, fb;

	if (argc != 5) {
		fprintf(stderr, "usage: httpq_secure POOL_A PREFIX_A POOL_B PREFIX_B\n");
		return 2;
	}
	snprintf(pa, sizeof(pa), "/dev/httpq/%s", argv[1]);
	snprintf(pb, sizeof(pb), "/dev/httpq/%s", argv[3]);
	ibuf = malloc(KHTTP_READ_MIN);
	wbuf = calloc(1, 1 << 16);
	fa = open(pa, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	fb = open(pb, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (!ibuf || !wbuf || fa < 0 || fb < 0) {
		perror("httpq_secure: open");
		return 2;
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		padding_case(argv[2], fa, sizes[i], false);
		padding_case(argv[2], fa, sizes[i], true);
	}
	cross_case("cross/a-to-b", fa, argv[2], fb);
	cross_case("cross/b-to-a", fb, argv[4], fa);
	printf("httpq_secure: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
