// SPDX-License-Identifier: GPL-2.0
/*
 * httpq-echo: a khttp worker that echoes requests, to test bodies.
 *
 *   httpq-echo [-p POOL]
 *
 * The response body is "METHOD TARGET\n" followed by the request body,
 * with "X-Body-Length: N" (the request body's length) and "X-Scheme:
 * http" or "X-Scheme: https TLSv1.3 AES-128-GCM" (how the request came,
 * as the kernel reports it).  If the target has
 * "stream=N" in its query, the answer is instead N bytes ("0123456789"
 * repeated), streamed with chunked coding in several writes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "httpq.h"

#define PIECE 4096

static int stream(struct httpq *q, uint64_t id, unsigned long long n)
{
	char buf[PIECE];
	size_t i, k = 0;
	int ret;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('0' + i % 10);
	ret = httpq_stream_begin(q, id, 200,
				 "Content-Type: application/octet-stream\r\n",
				 HTTPQ_CHUNKED);
	while (!ret && n) {
		k = n < PIECE ? (size_t)n : PIECE;
		n -= k;
		ret = httpq_stream_write(q, id, buf, k, n == 0);
	}
	if (!ret && !k)
		ret = httpq_stream_write(q, id, NULL, 0, 1);
	return ret;
}

/* "stream=N" in the query, as a whole parameter; -1 if absent. */
static long long stream_len(const struct httpq_request *r)
{
	const char *p = r->query, *end = r->query + r->query_len;
	char *e;
	long long v;

	while (p < end) {
		if (!strncmp(p, "stream=", 7)) {
			v = strtoll(p + 7, &e, 10);
			if (e > p + 7 && v >= 0 && (e == end || *e == '&'))
				return v;
		}
		p = memchr(p, '&', (size_t)(end - p));
		if (!p)
			break;
		p++;
	}
	return -1;
}

static int echo(struct httpq *q, const struct httpq_request *r)
{
	const char *tv = httpq_tls_version_name(r->tls_version);
	const char *tc = httpq_tls_cipher_name(r->tls_cipher);
	char hdr[192], *out;
	size_t len = r->method_len + 1 + r->target_len + 1 + r->body_len;
	int ret;

	out = malloc(len);
	if (!out)
		return httpq_respond(q, r->id, 500, NULL, NULL, 0);
	memcpy(out, r->method_str, r->method_len);
	out[r->method_len] = ' ';
	memcpy(out + r->method_len + 1, r->target, r->target_len);
	out[r->method_len + 1 + r->target_len] = '\n';
	memcpy(out + r->method_len + 2 + r->target_len, r->body, r->body_len);
	snprintf(hdr, sizeof(hdr), "Content-Type: text/plain\r\n"
		 "X-Body-Length: %zu\r\nX-Scheme: %s%s%s%s%s\r\n", r->body_len,
		 r->scheme, tv ? " " : "", tv ? tv : "", tc ? " " : "",
		 tc ? tc : "");
	ret = httpq_respond(q, r->id, 200, hdr, out, len);
	free(out);
	return ret;
}

int main(int argc, char **argv)
{
	const char *pool = "echo";
	struct httpq_request r;
	struct httpq *q;
	long long n;
	int opt, ret;

	while ((opt = getopt(argc, argv, "p:")) != -1) {
		if (opt != 'p') {
			fprintf(stderr, "usage: httpq-echo [-p POOL]\n");
			return 2;
		}
		pool = optarg;
	}
	q = httpq_open(pool, 0);
	if (!q) {
		fprintf(stderr, "httpq-echo: %s: %s\n", pool, strerror(errno));
		return 1;
	}
	while ((ret = httpq_receive(q, &r)) > 0) {
		n = stream_len(&r);
		ret = n >= 0 ? stream(q, r.id, (unsigned long long)n) : echo(q, &r);
		if (ret == -ENODEV || ret == -ENOMEM)
			break;
		/* a refused response is that request's problem; go on */
	}
	httpq_close(q);
	if (ret == -ENODEV) {
		fprintf(stderr, "httpq-echo: pool %s was deleted\n", pool);
		return 0;
	}
	fprintf(stderr, "httpq-echo: %s\n", strerror(-ret));
	return 1;
}
