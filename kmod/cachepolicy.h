/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Response-cache rules, in plain C (module, KUnit, userspace tests): how a
 * key is built, which requests may be answered from the cache and which
 * worker responses may be stored, how flush prefixes match keys, and the
 * conditional-request evaluator that static files and cached answers
 * share (through resp.c).
 */
#ifndef KHTTP_CACHEPOLICY_H
#define KHTTP_CACHEPOLICY_H

#include "compat.h"

#define KHTTP_CACHE_KEY_MAX	2048

/*
 * Build "http://host:port/path?query" into @out.  The host is the Host
 * header's (or the absolute-form target's) name, lowercased, without its
 * port and trailing dot: the connection's local port stands in for it, so
 * one site on two ports caches apart.  @path is the normalised path.  The
 * query is kept byte for byte.  Returns the length (NUL written) or
 * -ENAMETOOLONG.
 */
int khttp_cache_key(char *out, size_t outsz, const char *host, size_t hostlen,
		    u16 port, const char *path, size_t pathlen,
		    const char *query, size_t querylen, bool has_query);

/* Why a response is not stored: 0 when it may be. */
enum khttp_cache_refusal {
	KHTTP_CACHE_OK = 0,
	KHTTP_CACHE_NO_STATUS,		/* not 200, 301 or 404 */
	KHTTP_CACHE_NO_SET_COOKIE,	/* Set-Cookie: per-user */
	KHTTP_CACHE_NO_VARY,		/* Vary beyond Accept-Encoding */
	KHTTP_CACHE_NO_STORE,		/* Cache-Control: no-store/private */
};

/* May a response with @status and header lines @h be stored? */
enum khttp_cache_refusal khttp_cache_response_ok(u16 status, const char *h,
						 size_t len);

/*
 * The value of header @name in the header lines @h ("Name: v\r\n"...),
 * without surrounding whitespace; NULL if absent.
 */
const char *khttp_header_find(const char *h, size_t len, const char *name,
			      size_t *vlen);

/*
 * Does @key fall under @prefix?  A prefix starting with '/' is matched
 * against the key's path (any host); anything else against the whole key.
 * An empty prefix matches everything.
 */
bool khttp_cache_prefix_match(const char *key, size_t keylen,
			      const char *prefix, size_t prefixlen);

/*
 * The next element of the comma-separated header value @v, from *@i: its
 * bounds [*@s, *@e) without surrounding blanks.  False at the end.
 */
bool khttp_list_next(const char *v, size_t len, size_t *i, size_t *s,
		     size_t *e);

/* Does the If-None-Match list @list name @etag (weak comparison, or "*")? */
bool khttp_etag_listed(const char *list, u32 len, const char *etag);
bool khttp_etag_listed_n(const char *list, u32 len, const char *etag,
			 size_t elen);

/*
 * Conditional requests (RFC 9110 13) and ranges (14), for every answer
 * that has validators: static files and cached answers alike.
 *
 * The request's side: field values as pointers into its head, NULL when
 * the field is absent.  Ranges apply to a GET only.
 */
struct khttp_cond_req {
	const char *inm, *ims, *if_range, *range;
	u32 inm_len, ims_len, if_range_len, range_len;
	bool get;
};

/* The answer's side: its validators and length. */
struct khttp_cond_rep {
	const char *etag;		/* strong, quoted; never NULL */
	size_t etag_len;
	const char *lastmod;		/* Last-Modified value; NULL: none */
	size_t lastmod_len;
	u64 mtime;			/* its seconds, when lastmod is set */
	u64 size;
};

/*
 * The status the answer gets: 304 (If-None-Match, or failing that
 * If-Modified-Since: RFC 9110 13.2.2), else 206 for [*@start, *@end] or
 * 416 (a single Range, honoured when If-Range is absent or matches the
 * ETag or Last-Modified exactly), else 200.
 */
u16 khttp_cond_eval(const struct khttp_cond_req *q,
		    const struct khttp_cond_rep *r, u64 *start, u64 *end);

/* FNV-1a, for keys and for ETags of cached bodies. */
u32 khttp_hash32(const void *data, size_t len, u32 seed);

#endif /* KHTTP_CACHEPOLICY_H */
