/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP/1.1 framing for the proxy, no I/O: the request head sent upstream
 * (re-framed, hop-by-hop headers dropped, X-Forwarded-* and Via added),
 * the upstream's response head (strictly parsed: every byte untrusted),
 * and a chunked-body decoder.
 */
#ifndef HTTPQ_PROXY_HTTP_H
#define HTTPQ_PROXY_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum body_kind {
	BODY_NONE,	/* no body (HEAD, 1xx, 204, 304) */
	BODY_LENGTH,	/* Content-Length */
	BODY_CHUNKED,
	BODY_CLOSE,	/* until the upstream closes */
};

struct uresp {
	int status;
	int version;		/* 10 or 11 */
	enum body_kind kind;
	uint64_t length;	/* BODY_LENGTH; also a HEAD answer's */
	bool has_length;
	bool keep_alive;	/* the connection may carry another request */
	unsigned int max_age;	/* s-maxage, else max-age; 0 none */
	bool no_store;		/* no-store, private or no-cache */
	bool set_cookie, vary;
	struct buf headers;	/* end-to-end headers for khttp, CRLF lines */
};

/* Why http_parse_response() refused a head. */
extern const char *http_error;

/*
 * Parse the response head at @buf (@len bytes available).  Returns the
 * head's length (through the empty line) with *@r filled, 0 if more bytes
 * are needed (and fewer than @max arrived), -1 if it is malformed or over
 * @max bytes (http_error says which).  @is_head: the request was HEAD.
 * Interim 1xx answers are not handled here: see http_skip_interim().
 */
long http_parse_response(const char *buf, size_t len, size_t max,
			 bool is_head, struct uresp *r);
void uresp_free(struct uresp *r);

/* An interim (100..199 but 101) head at @buf: its length, 0 or -1. */
long http_skip_interim(const char *buf, size_t len, size_t max);

/* Request side. */
struct req_in {
	const char *method;
	size_t method_len;
	const char *target;
	size_t target_len;
	const char *headers;	/* "Name: value\r\n" lines from khttp */
	size_t headers_len;
	int version;
	uint64_t content_length;
	bool has_body;		/* body bytes, or a method that carries one */
	bool https;		/* for X-Forwarded-Proto: the kernel's kTLS word */
	const char *client_ip;	/* for X-Forwarded-For */
	const char *upstream;	/* Host when the client sent none */
};

/* Append the upstream request head to @out; -1 on memory or syntax. */
int http_build_request(const struct req_in *in, struct buf *out);

/* Case-insensitive token list membership ("close" in "keep-alive, close"). */
bool http_list_has(const char *list, size_t len, const char *tok);

/* Chunked decoder. */
struct chunkdec {
	int state;
	uint64_t left;		/* data bytes left in this chunk */
	unsigned int linelen;	/* bytes of the current size/trailer line */
	bool ext;		/* in a chunk extension */
	int digits;
};

/*
 * Feed @len bytes at @in.  Returns the bytes consumed (>= 0) and sets
 * *@data / *@dlen to the body bytes among them (a span of @in; at most one
 * span per call: call again with the rest), or -1 if malformed.
 * chunk_done() says when the last chunk and trailers were read.
 */
long chunk_decode(struct chunkdec *d, const char *in, size_t len,
		  const char **data, size_t *dlen);
bool chunk_done(const struct chunkdec *d);

#endif
