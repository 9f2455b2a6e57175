// SPDX-License-Identifier: GPL-2.0
/*
 * Response-cache rules; see cachepolicy.h.
 */
#include "cachepolicy.h"
#include "parser.h"

static u8 khttp_lower(u8 c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool khttp_ieq(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen; i++)
		if (!b[i] || khttp_lower(a[i]) != khttp_lower(b[i]))
			return false;
	return !b[alen];
}

int khttp_cache_key(char *out, size_t outsz, const char *host, size_t hostlen,
		    u16 port, const char *path, size_t pathlen,
		    const char *query, size_t querylen, bool has_query)
{
	size_t i, n = 0, hl = hostlen;
	char portbuf[8];
	int pl = 0;
	u16 p = port;

	/* "[v6]:port" keeps its brackets; "name:port" loses the port. */
	if (hl && host[0] == '[') {
		for (i = 0; i < hl && host[i] != ']'; i++)
			;
		hl = i < hl ? i + 1 : hl;
	} else {
		for (i = 0; i < hl && host[i] != ':'; i++)
			;
		hl = i;
	}
	if (hl && host[hl - 1] == '.')
		hl--;
	do {
		portbuf[pl++] = '0' + p % 10;
		p /= 10;
	} while (p);
	if (7 + hl + 1 + pl + pathlen + 1 + querylen + 1 > outsz)
		return -ENAMETOOLONG;
	memcpy(out, "http://", 7);
	n = 7;
	for (i = 0; i < hl; i++)
		out[n++] = khttp_lower(host[i]);
	out[n++] = ':';
	while (pl)
		out[n++] = portbuf[--pl];
	memcpy(out + n, path, pathlen);
	n += pathlen;
	if (has_query) {
		out[n++] = '?';
		memcpy(out + n, query, querylen);
		n += querylen;
	}
	out[n] = '\0';
	return n;
}

const char *khttp_header_find(const char *h, size_t len, const char *name,
			      size_t *vlen)
{
	size_t i = 0, ls, colon, ve;

	while (i < len) {
		ls = i;
		while (i < len && h[i] != '\r' && h[i] != '\n')
			i++;
		ve = i;
		while (i < len && (h[i] == '\r' || h[i] == '\n'))
			i++;
		for (colon = ls; colon < ve && h[colon] != ':'; colon++)
			;
		if (colon == ve || !khttp_ieq(h + ls, colon - ls, name))
			continue;
		colon++;
		while (colon < ve && (h[colon] == ' ' || h[colon] == '\t'))
			colon++;
		while (ve > colon && (h[ve - 1] == ' ' || h[ve - 1] == '\t'))
			ve--;
		*vlen = ve - colon;
		return h + colon;
	}
	return NULL;
}

bool khttp_list_next(const char *v, size_t len, size_t *i, size_t *s,
		     size_t *e)
{
	while (*i < len && (v[*i] == ' ' || v[*i] == '\t' || v[*i] == ','))
		(*i)++;
	if (*i >= len)
		return false;
	*s = *i;
	while (*i < len && v[*i] != ',')
		(*i)++;
	*e = *i;
	while (*e > *s && (v[*e - 1] == ' ' || v[*e - 1] == '\t'))
		(*e)--;
	return true;
}

/* Weak comparison (RFC 9110 8.8.3.2) of an entity-tag list against ours. */
bool khttp_etag_listed(const char *list, u32 len, const char *etag)
{
	return khttp_etag_listed_n(list, len, etag, strlen(etag));
}

bool khttp_etag_listed_n(const char *list, u32 len, const char *etag,
			 size_t elen)
{
	size_t i = 0, s, e;

	while (khttp_list_next(list, len, &i, &s, &e)) {
		if (list[s] == '*')
			return true;
		if (e - s >= 2 && list[s] == 'W' && list[s + 1] == '/')
			s += 2;
		if (e - s == elen && !memcmp(list + s, etag, elen))
			return true;
	}
	return false;
}

static bool khttp_same(const char *a, size_t alen, const char *b,
		       size_t blen)
{
	return b && alen == blen && !memcmp(a, b, alen);
}

u16 khttp_cond_eval(const struct khttp_cond_req *q,
		    const struct khttp_cond_rep *r, u64 *start, u64 *end)
{
	enum khttp_range_result range;
	u64 since;

	/* RFC 9110 13.2.2: If-None-Match, when present, decides alone. */
	if (q->inm) {
		if (khttp_etag_listed_n(q->inm, q->inm_len, r->etag,
					r->etag_len))
			return 304;
	} else if (q->ims && r->lastmod &&
		   !khttp_parse_http_date(q->ims, q->ims_len, &since) &&
		   r->mtime <= since) {
		return 304;
	}
	if (!q->range || !q->get)
		return 200;
	/* A strong validator must match exactly. */
	if (q->if_range &&
	    !khttp_same(q->if_range, q->if_range_len, r->etag, r->etag_len) &&
	    !khttp_same(q->if_range, q->if_range_len, r->lastmod,
			r->lastmod_len))
		return 200;
	range = khttp_range_parse(q->range, q->range_len, r->size, start, end);
	if (range == KHTTP_RANGE_OK)
		return 206;
	return range == KHTTP_RANGE_UNSATISFIABLE ? 416 : 200;
}

/* Is every comma-separated token of @v equal to @tok (case-insensitive)? */
static bool khttp_list_only(const char *v, size_t len, const char *tok)
{
	size_t i = 0, s, e;

	while (khttp_list_next(v, len, &i, &s, &e))
		if (!khttp_ieq(v + s, e - s, tok))
			return false;
	return true;
}

/* Does the comma list @v contain @tok (ignoring "=value" parts)? */
static bool khttp_list_has(const char *v, size_t len, const char *tok)
{
	size_t i = 0, s, e, t;

	while (khttp_list_next(v, len, &i, &s, &e)) {
		for (t = s; t < e && v[t] != '=' && v[t] != ' ' &&
		     v[t] != '\t'; t++)
			;
		if (khttp_ieq(v + s, t - s, tok))
			return true;
	}
	return false;
}

enum khttp_cache_refusal khttp_cache_response_ok(u16 status, const char *h,
						 size_t len)
{
	const char *v;
	size_t vl;

	if (status != 200 && status != 301 && status != 404)
		return KHTTP_CACHE_NO_STATUS;
	if (khttp_header_find(h, len, "set-cookie", &vl))
		return KHTTP_CACHE_NO_SET_COOKIE;
	v = khttp_header_find(h, len, "vary", &vl);
	if (v && !khttp_list_only(v, vl, "accept-encoding"))
		return KHTTP_CACHE_NO_VARY;
	v = khttp_header_find(h, len, "cache-control", &vl);
	if (v && (khttp_list_has(v, vl, "no-store") ||
		  khttp_list_has(v, vl, "private") ||
		  khttp_list_has(v, vl, "no-cache")))
		return KHTTP_CACHE_NO_STORE;
	return KHTTP_CACHE_OK;
}

bool khttp_cache_prefix_match(const char *key, size_t keylen,
			      const char *prefix, size_t prefixlen)
{
	size_t i;

	if (!prefixlen)
		return true;
	if (prefix[0] == '/') {
		/* Skip "http://host:port" to the path. */
		if (keylen < 7)
			return false;
		for (i = 7; i < keylen && key[i] != '/'; i++)
			;
		key += i;
		keylen -= i;
	}
	return keylen >= prefixlen && !memcmp(key, prefix, prefixlen);
}

u32 khttp_hash32(const void *data, size_t len, u32 seed)
{
	const u8 *p = data;
	u32 h = 2166136261u ^ seed;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}
