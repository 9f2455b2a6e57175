/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP/1.1 request-head parser, chunked body decoder, path normaliser,
 * HTTP-date and Range helpers.
 *
 * Plain C with no kernel calls: the same file builds in the module, in the
 * userspace unit tests (ASan/UBSan) and under libFuzzer.  Nothing here
 * allocates, recurses or loops further than the input it is given.
 *
 * Strictness (RFC 9112) is deliberate: anything two HTTP implementations could
 * read differently (obs-fold, bare CR, bare LF, CL+TE, differing CL, odd
 * chunk sizes) is refused, because the kernel sits in front of other parsers.
 */
#ifndef KHTTP_PARSER_H
#define KHTTP_PARSER_H

#include "compat.h"

/* Return values shared by khttp_parse() and khttp_chunked_feed(). */
enum {
	KHTTP_ERROR	= -1,	/* see ->status for the HTTP status to send */
	KHTTP_NEED_MORE	= 0,	/* everything consumed, give me more bytes */
	KHTTP_DONE	= 1,	/* head (or body) complete */
	KHTTP_DATA	= 2,	/* chunked only: a run of body bytes */
};

#define KHTTP_DEFAULT_MAX_HEAD		16384
#define KHTTP_DEFAULT_MAX_TARGET	8192
#define KHTTP_DEFAULT_MAX_HEADERS	100

/* A piece of the caller's buffer: no copies are made. */
struct khttp_span {
	u32 off;
	u32 len;
};

/*
 * Methods are matched case-sensitively (RFC 9110 9.1).  A syntactically valid
 * token outside the known set (including "get") parses fine as
 * KHTTP_METHOD_OTHER; the caller answers 501 (or 405 if it knows the
 * resource) after reading the head, so the connection state stays clean.
 */
enum khttp_method {
	KHTTP_METHOD_NONE = 0,
	KHTTP_METHOD_GET,
	KHTTP_METHOD_HEAD,
	KHTTP_METHOD_POST,
	KHTTP_METHOD_PUT,
	KHTTP_METHOD_DELETE,
	KHTTP_METHOD_OPTIONS,
	KHTTP_METHOD_PATCH,
	KHTTP_METHOD_TRACE,
	KHTTP_METHOD_CONNECT,
	KHTTP_METHOD_OTHER,
};

enum khttp_target_form {
	KHTTP_FORM_ORIGIN = 0,	/* /path?query */
	KHTTP_FORM_ABSOLUTE,	/* http://host/path?query (http/https only) */
	KHTTP_FORM_ASTERISK,	/* *, OPTIONS only */
	KHTTP_FORM_AUTHORITY,	/* host:port, CONNECT only */
};

struct khttp_limits {
	u32 max_head;		/* bytes of head incl. final CRLF; 0 = default */
	u32 max_target;		/* request-target bytes (414); 0 = default */
	u32 max_headers;	/* header field lines (431); 0 = default */
};

/*
 * Parser state and result.  Initialise with khttp_req_init(); fields below
 * "results" are valid once khttp_parse() returned KHTTP_DONE.
 */
struct khttp_req {
	/* limits */
	u32 max_head;
	u32 max_target;
	u32 max_headers;

	/* private scanning state */
	u8 pstate;
	u8 nsp;			/* spaces seen in the request-line so far */
	u8 te_chunked;		/* "chunked" codings seen */
	bool te_other;		/* a coding other than chunked */
	bool has_te;
	bool host_seen;
	bool conn_close;	/* Connection: close seen */
	bool conn_ka;		/* Connection: keep-alive seen */
	u32 line_start;		/* start of the line being scanned */
	u32 scan;		/* next byte to examine */
	u32 sp1;		/* first SP of the request-line */

	/* results */
	u16 status;		/* HTTP status when KHTTP_ERROR */
	u32 head_len;		/* bytes of head incl. final CRLF */
	enum khttp_method method;
	struct khttp_span method_span;
	struct khttp_span target;
	enum khttp_target_form form;
	/*
	 * path and query exclude the '?'.  For absolute-form with no path
	 * ("http://h" or "http://h?q") path.len is 0: treat it as "/".
	 */
	struct khttp_span path;
	struct khttp_span query;
	bool has_query;
	/*
	 * Effective host: the authority of an absolute-form or authority-form
	 * target, otherwise the Host header value (RFC 9112 3.2.2).
	 */
	struct khttp_span host;
	bool has_host;		/* a Host header was present */
	u8 version;		/* 10 or 11 */
	bool has_cl;
	u64 content_length;
	bool chunked;		/* Transfer-Encoding: chunked */
	bool keep_alive;
	bool expect_continue;
	bool has_authorization;
	bool has_cookie;
	struct khttp_span if_none_match;	/* valid if has_if_none_match */
	struct khttp_span if_modified_since;
	struct khttp_span range;
	struct khttp_span if_range;
	bool has_if_none_match;
	bool has_if_modified_since;
	bool has_range;
	bool has_if_range;
	struct khttp_span accept_encoding;	/* the first line's value */
	u8 n_accept_encoding;			/* lines seen (saturating) */
	u32 nheaders;
};

/* @lim may be NULL for the defaults.  Call again to reuse for a new request. */
void khttp_req_init(struct khttp_req *req, const struct khttp_limits *lim);

/*
 * Parse the request head at the start of @buf.  @len is everything received
 * so far (it may run past the head: pipelined requests or body bytes are
 * left alone).  The caller keeps @buf contiguous and only appends to it; the
 * parser resumes where it stopped.  Returns KHTTP_NEED_MORE, KHTTP_DONE
 * (req->head_len bytes used) or KHTTP_ERROR with req->status one of
 * 400, 414, 417 (Expect other than 100-continue), 431, 501 (transfer coding),
 * 505.  Further calls after DONE or ERROR return the same answer.
 *
 * Empty lines (CRLF) before the request-line are skipped (RFC 9112 2.2), so a
 * client's stray CRLF after a body does not break pipelining; they count
 * towards max_head and head_len.
 */
int khttp_parse(struct khttp_req *req, const char *buf, size_t len);

/* Chunked body decoder (RFC 9112 7.1). */
#define KHTTP_CHUNK_EXT_MAX	1024	/* bytes of chunk-ext per chunk */
#define KHTTP_TRAILER_MAX	8192	/* bytes of trailer section */

struct khttp_chunked {
	u8 state;
	u8 digits;		/* hex digits in the current size */
	u16 status;		/* HTTP status when KHTTP_ERROR: 400 413 431 */
	u32 ext_len;
	u32 trailer_len;
	u64 size;		/* current chunk size being read */
	u64 remaining;		/* data bytes left in the current chunk */
	u64 total;		/* body bytes so far */
	u64 max_body;		/* 413 above this; 0 = unlimited */
};

void khttp_chunked_init(struct khttp_chunked *c, u64 max_body);

/*
 * Feed @len bytes of chunked body.  *@used is set to how many bytes were
 * consumed.  KHTTP_DATA: @data (offsets relative to @buf) holds body bytes
 * and *used = data->off + data->len, call again with the rest.
 * KHTTP_NEED_MORE: all of @buf consumed.  KHTTP_DONE: body and trailers
 * finished; bytes after *used belong to the next request.  KHTTP_ERROR: see
 * c->status.  Trailer fields are validated but not reported.
 */
int khttp_chunked_feed(struct khttp_chunked *c, const char *buf, size_t len,
		       size_t *used, struct khttp_span *data);

/*
 * Percent-decode and normalise a request path (no query) into @out.
 * Returns the output length (>= 1, always starts with '/', NUL-terminated),
 * or:
 *   -EINVAL        not starting with '/', bad %-escape, NUL, control
 *                  character, encoded '/' (%2F), backslash raw or encoded
 *   -EPERM         a ".." segment would climb above the root
 *   -ENAMETOOLONG  @outsz too small (len + 2 is always enough)
 * Dot segments are removed per RFC 3986 5.2.4 after decoding (so %2e%2e is
 * ".."), repeated slashes collapse, a trailing slash is kept ("/a/b/.." is
 * "/a/").  An empty input yields "/".  All errors mean 400 to the client.
 */
int khttp_path_normalize(const char *in, size_t len, char *out, size_t outsz);

/*
 * Parse an HTTP-date (IMF-fixdate, RFC 850, asctime) into seconds since the
 * epoch.  Returns 0 or -EINVAL.  Dates before 1970 are refused.
 */
int khttp_parse_http_date(const char *s, size_t len, u64 *secs);

#define KHTTP_DATE_LEN	29	/* "Sun, 06 Nov 1994 08:49:37 GMT" */

/* Format IMF-fixdate into @out: 29 characters and a NUL. */
void khttp_http_date(u64 secs, char out[30]);

enum khttp_range_result {
	KHTTP_RANGE_IGNORE = 0,		/* serve 200 with the full body */
	KHTTP_RANGE_OK,			/* serve 206 [*start, *end] inclusive */
	KHTTP_RANGE_UNSATISFIABLE,	/* serve 416 */
};

/*
 * Evaluate a Range field value against a representation of @size bytes.
 * Only one "bytes" range is honoured; multiple ranges, other units and
 * syntactically invalid values are ignored (RFC 9110 14.2).
 */
enum khttp_range_result khttp_range_parse(const char *v, size_t len, u64 size,
					  u64 *start, u64 *end);

#define KHTTP_AE_GZIP		0x02	/* gzip (or x-gzip) is acceptable */
#define KHTTP_AE_BR		0x04	/* br is acceptable */
#define KHTTP_AE_GZIP_FIRST	0x08	/* both, gzip with the higher q */

u8 khttp_accept_encoding(const char *v, size_t len);

#endif /* KHTTP_PARSER_H */
