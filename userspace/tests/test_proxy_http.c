// SPDX-License-Identifier: GPL-2.0
/* httpq-proxy's HTTP framing (httpq-proxy/http.c), under ASan/UBSan. */
#define _GNU_SOURCE
#include <string.h>

#include "tap.h"
#include "http.h"

static long parse(const char *s, bool head, struct uresp *r)
{
	return http_parse_response(s, strlen(s), 16384, head, r);
}

static void bad(const char *name, const char *s)
{
	struct uresp r;

	result(parse(s, false, &r) == -1, name, "%s", http_error);
}

int main(void)
{
	struct uresp r;
	struct buf out = { 0 };
	const char *d;
	size_t dl;
	long k;
	struct chunkdec cd = { 0 };
	const char *ch = "5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nT: v\r\n\r\n";
	char got[32] = "";
	size_t off = 0;

	k = parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close, X-A\r\n"
		  "X-A: 1\r\nX-B: 2\r\nKeep-Alive: 5\r\nDate: x\r\n"
		  "Cache-Control: public, max-age=30\r\n\r\nhello", false, &r);
	result(k > 0 && r.status == 200 && r.kind == BODY_LENGTH &&
	       r.length == 5 && !r.keep_alive && r.max_age == 30, "ok head",
	       "k=%ld", k);
	result(r.headers.len && !memmem(r.headers.data, r.headers.len, "X-A", 3) &&
	       memmem(r.headers.data, r.headers.len, "X-B: 2\r\n", 8) &&
	       !memmem(r.headers.data, r.headers.len, "Keep-Alive", 10) &&
	       !memmem(r.headers.data, r.headers.len, "Date", 4),
	       "hop-by-hop dropped", NULL);
	uresp_free(&r);
	k = parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n", false, &r);
	result(k == 0, "partial head", NULL);
	k = parse("HTTP/1.0 200 OK\r\n\r\n", false, &r);
	result(k > 0 && r.kind == BODY_CLOSE && !r.keep_alive, "close-delimited", NULL);
	uresp_free(&r);
	k = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nCache-Control: private, max-age=9\r\n\r\n", false, &r);
	result(k > 0 && r.kind == BODY_CHUNKED && r.no_store, "chunked, private", NULL);
	uresp_free(&r);
	k = parse("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n", true, &r);
	result(k > 0 && r.kind == BODY_NONE && r.has_length && r.length == 7, "HEAD", NULL);
	uresp_free(&r);
	bad("CL+TE", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");
	bad("two CL", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n");
	bad("bad CL", "HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n");
	bad("TE gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
	bad("status", "HTTP/1.1 2x0 OK\r\n\r\n");
	bad("version", "HTTP/2.0 200 OK\r\n\r\n");
	bad("obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n");
	bad("space colon", "HTTP/1.1 200 OK\r\nX : a\r\n\r\n");
	bad("bare LF", "HTTP/1.1 200 OK\nX: a\r\n\r\n");
	bad("bare CR", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n");
	bad("ctl", "HTTP/1.1 200 OK\r\nX: a\x01\r\n\r\n");
	{
		static char big[20000];

		memset(big, 'a', sizeof(big) - 1);
		memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
		result(parse(big, false, &r) == -1, "oversized head", NULL);
	}
	result(http_skip_interim("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200", 36, 16384) == 25,
	       "interim", NULL);
	/* chunked, fed one byte at a time */
	while (off < strlen(ch)) {
		k = chunk_decode(&cd, ch + off, 1, &d, &dl);
		if (k < 0)
			break;
		if (dl)
			strncat(got, d, dl);
		off += (size_t)k;
	}
	result(chunk_done(&cd) && !strcmp(got, "hello world"), "chunked bytewise", "%s", got);
	memset(&cd, 0, sizeof(cd));
	result(chunk_decode(&cd, "zz\r\n", 4, &d, &dl) < 0, "bad chunk size", NULL);
	memset(&cd, 0, sizeof(cd));
	result(chunk_decode(&cd, "1000000000000000\r\n", 18, &d, &dl) < 0, "huge chunk", NULL);
	/* request */
	{
		const char *h = "Host: example\r\nConnection: close, X-Drop\r\nX-Drop: 1\r\n"
				"TE: trailers\r\nProxy-Authorization: x\r\nUpgrade: h2c\r\n"
				"Transfer-Encoding: chunked\r\nContent-Length: 9\r\n"
				"X-Forwarded-For: 10.0.0.1\r\nX-Keep: 1\r\n";
		struct req_in in = {
			.method = "POST", .method_len = 4,
			.target = "http://example/p?q", .target_len = 18,
			.headers = h, .headers_len = strlen(h), .version = 11,
			.content_length = 3, .has_body = true,
			.client_ip = "192.0.2.1", .upstream = "up:80",
		};

		k = http_build_request(&in, &out);
		buf_put(&out, "", 1);
		result(!k && !strncmp(out.data, "POST /p?q HTTP/1.1\r\nHost: example\r\n", 35) &&
		       strstr(out.data, "X-Keep: 1\r\n") &&
		       strstr(out.data, "X-Forwarded-For: 10.0.0.1, 192.0.2.1\r\n") &&
		       strstr(out.data, "X-Forwarded-Proto: http\r\n") &&
		       strstr(out.data, "Via: 1.1 httpq-proxy\r\n") &&
		       strstr(out.data, "Content-Length: 3\r\n\r\n") &&
		       !strstr(out.data, "X-Drop") && !strstr(out.data, "TE:") &&
		       !strstr(out.data, "Proxy-") && !strstr(out.data, "Upgrade") &&
		       !strstr(out.data, "chunked") && !strstr(out.data, "Content-Length: 9"),
		       "request re-framed", "%s", out.data);
		buf_free(&out);
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
