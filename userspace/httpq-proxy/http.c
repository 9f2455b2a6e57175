// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/1.1 framing for httpq-proxy (see http.h).  Every byte an upstream
 * sends is untrusted: the head is parsed strictly (one framing, no
 * obs-fold, no bare CR or LF, no control bytes, a bounded size), and what
 * khttp is handed is rebuilt from the parsed lines, never copied whole.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http.h"

const char *http_error = "";

#define MAX_CONN_TOKENS 16

static bool tchar(unsigned char c)
{
	return c < 0x80 && (isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c)));
}

static bool name_is(const char *n, size_t len, const char *want)
{
	return strlen(want) == len && !strncasecmp(n, want, len);
}

/* Hop-by-hop: never forwarded in either direction (RFC 9110 7.6.1). */
static bool hop_by_hop(const char *n, size_t len)
{
	return name_is(n, len, "connection") || name_is(n, len, "keep-alive") ||
	       name_is(n, len, "te") || name_is(n, len, "trailer") ||
	       name_is(n, len, "transfer-encoding") ||
	       name_is(n, len, "upgrade") ||
	       name_is(n, len, "content-length") ||
	       (len >= 6 && !strncasecmp(n, "proxy-", 6));
}

/*
 * The header names a Connection header lists, hop-by-hop like the fixed
 * set (RFC 9110 7.6.1): collected from every Connection line of a message,
 * up to MAX_CONN_TOKENS, then dropped when the message is re-framed.
 */
struct conn_names {
	const char *name[MAX_CONN_TOKENS];
	size_t len[MAX_CONN_TOKENS];
	unsigned int n;
};

static void conn_names_add(struct conn_names *cn, const char *v, size_t len)
{
	const char *ve = v + len, *s;

	while (v < ve) {
		while (v < ve && (*v == ' ' || *v == '\t' || *v == ','))
			v++;
		s = v;
		while (v < ve && *v != ',' && *v != ' ' && *v != '\t')
			v++;
		if (v > s && cn->n < MAX_CONN_TOKENS) {
			cn->name[cn->n] = s;
			cn->len[cn->n++] = (size_t)(v - s);
		}
	}
}

static bool conn_names_has(const struct conn_names *cn, const char *name,
			   size_t len)
{
	unsigned int i;

	for (i = 0; i < cn->n; i++)
		if (cn->len[i] == len && !strncasecmp(cn->name[i], name, len))
			return true;
	return false;
}

bool http_list_has(const char *list, size_t len, const char *tok)
{
	size_t i = 0, t = strlen(tok);

	while (i < len) {
		size_t s, e;

		while (i < len && (list[i] == ' ' || list[i] == '\t' ||
				   list[i] == ','))
			i++;
		s = i;
		while (i < len && list[i] != ',')
			i++;
		e = i;
		while (e > s && (list[e - 1] == ' ' || list[e - 1] == '\t'))
			e--;
		if (e - s == t && !strncasecmp(list + s, tok, t))
			return true;
	}
	return false;
}

/* One header line split up. */
struct hline {
	const char *name, *value;
	size_t nlen, vlen;
};

/*
 * The header line at @p (before @end, which is the head's final CRLF or
 * the end of the header block).  Returns the next line's start, or NULL
 * if malformed.
 */
static const char *next_line(const char *p, const char *end, struct hline *h)
{
	const char *q = p, *v, *ve;

	while (q < end && tchar((unsigned char)*q))
		q++;
	if (q == p || q >= end || *q != ':') {
		http_error = q < end && (*q == ' ' || *q == '\t') && q != p ?
			     "space before colon in a header" :
			     p < end && (*p == ' ' || *p == '\t') ?
			     "obs-fold in a header" : "malformed header line";
		return NULL;
	}
	h->name = p;
	h->nlen = (size_t)(q - p);
	q++;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	v = q;
	while (q < end && *q != '\r') {
		unsigned char c = (unsigned char)*q;

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			http_error = "control byte in a header value";
			return NULL;
		}
		q++;
	}
	if (q + 1 >= end || q[1] != '\n') {
		http_error = "bare CR in a header";
		return NULL;
	}
	ve = q;
	while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
		ve--;
	h->value = v;
	h->vlen = (size_t)(ve - v);
	return q + 2;
}

/* The head's end: the offset just past CRLF CRLF, 0 if absent, -1 bad. */
static long head_end(const char *buf, size_t len, size_t max)
{
	size_t i, lim = len < max ? len : max;

	for (i = 0; i < lim; i++) {
		if (buf[i] == '\n' && (i == 0 || buf[i - 1] != '\r')) {
			http_error = "bare LF in the head";
			return -1;
		}
		if (buf[i] == '\r' && i + 1 < lim && buf[i + 1] != '\n') {
			http_error = "bare CR in the head";
			return -1;
		}
		if (i >= 3 && buf[i] == '\n' && !memcmp(buf + i - 3, "\r\n\r\n", 4))
			return (long)(i + 1);
	}
	if (len >= max) {
		http_error = "response head too large";
		return -1;
	}
	return 0;
}

/* "HTTP/1.x NNN reason": version and status, or -1. */
static int status_line(const char *p, const char *eol, int *version)
{
	const char *q;
	int st;

	if (eol - p < 12 || memcmp(p, "HTTP/1.", 7) || (p[7] != '0' && p[7] != '1') ||
	    p[8] != ' ' || !isdigit((unsigned char)p[9]) ||
	    !isdigit((unsigned char)p[10]) || !isdigit((unsigned char)p[11]) ||
	    (eol - p > 12 && p[12] != ' ')) {
		http_error = "bad status line";
		return -1;
	}
	for (q = p + 12; q < eol; q++)
		if (((unsigned char)*q < 0x20 && *q != '\t') || *q == 0x7f) {
			http_error = "control byte in the status line";
			return -1;
		}
	*version = p[7] == '1' ? 11 : 10;
	st = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	if (st < 100 || st > 599) {
		http_error = "status out of range";
		return -1;
	}
	return st;
}

long http_skip_interim(const char *buf, size_t len, size_t max)
{
	long end = head_end(buf, len, max);
	const char *eol;
	int v, st;

	if (end <= 0)
		return end;
	eol = memchr(buf, '\r', (size_t)end);
	st = status_line(buf, eol, &v);
	if (st < 0)
		return -1;
	return st >= 100 && st < 200 && st != 101 ? end : 0;
}

static int parse_uint(const char *v, size_t n, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (!n || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)v[i]))
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*out = x;
	return 0;
}

/* Cache-Control directives that matter here. */
static void cache_control(const char *v, size_t n, struct uresp *r,
			  unsigned int *maxage, unsigned int *smaxage)
{
	size_t i = 0;

	while (i < n) {
		size_t s, e;
		uint64_t x;

		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s >= 8 && !strncasecmp(v + s, "max-age=", 8) &&
		    !parse_uint(v + s + 8, e - s - 8, &x))
			*maxage = x > 31536000 ? 31536000 : (unsigned int)x;
		else if (e - s >= 9 && !strncasecmp(v + s, "s-maxage=", 9) &&
			 !parse_uint(v + s + 9, e - s - 9, &x))
			*smaxage = x > 31536000 ? 31536000 : (unsigned int)x;
		else if ((e - s == 7 && !strncasecmp(v + s, "private", 7)) ||
			 (e - s == 8 && !strncasecmp(v + s, "no-store", 8)) ||
			 (e - s >= 8 && !strncasecmp(v + s, "no-cache", 8)) ||
			 (e - s >= 7 && !strncasecmp(v + s, "private", 7)))
			r->no_store = true;
	}
}

void uresp_free(struct uresp *r)
{
	buf_free(&r->headers);
}

long http_parse_response(const char *buf, size_t len, size_t max,
			 bool is_head, struct uresp *r)
{
	struct conn_names cn = { .n = 0 };
	const char *p, *end, *eol;
	unsigned int maxage = 0, smaxage = 0;
	bool have_cl = false, have_te = false, close = false, ka = false;
	struct hline h;
	long hend;

	hend = head_end(buf, len, max);
	if (hend <= 0)
		return hend;
	memset(r, 0, sizeof(*r));
	eol = memchr(buf, '\r', (size_t)hend);
	r->status = status_line(buf, eol, &r->version);
	if (r->status < 0)
		return -1;
	if (r->status < 200) {
		http_error = "unexpected 1xx answer";
		return -1;
	}
	end = buf + hend - 2;	/* the final CRLF */
	/* Pass 1: framing, Connection tokens, cache directives. */
	for (p = eol + 2; p < end;) {
		p = next_line(p, end, &h);
		if (!p)
			return -1;
		if (name_is(h.name, h.nlen, "content-length")) {
			uint64_t v;

			if (parse_uint(h.value, h.vlen, &v) ||
			    (have_cl && v != r->length)) {
				http_error = "bad or conflicting Content-Length";
				return -1;
			}
			have_cl = true;
			r->length = v;
		} else if (name_is(h.name, h.nlen, "transfer-encoding")) {
			if (have_te || h.vlen != 7 ||
			    strncasecmp(h.value, "chunked", 7)) {
				http_error = "unsupported Transfer-Encoding";
				return -1;
			}
			have_te = true;
		} else if (name_is(h.name, h.nlen, "connection")) {
			close |= http_list_has(h.value, h.vlen, "close");
			ka |= http_list_has(h.value, h.vlen, "keep-alive");
			conn_names_add(&cn, h.value, h.vlen);
		} else if (name_is(h.name, h.nlen, "cache-control")) {
			cache_control(h.value, h.vlen, r, &maxage, &smaxage);
		} else if (name_is(h.name, h.nlen, "pragma")) {
			if (http_list_has(h.value, h.vlen, "no-cache"))
				r->no_store = true;
		} else if (name_is(h.name, h.nlen, "set-cookie")) {
			r->set_cookie = true;
		} else if (name_is(h.name, h.nlen, "vary")) {
			if (!(h.vlen == 15 && !strncasecmp(h.value, "accept-encoding", 15)))
				r->vary = true;
		}
	}
	if (have_cl && have_te) {
		http_error = "both Content-Length and Transfer-Encoding";
		return -1;
	}
	r->has_length = have_cl;
	r->max_age = smaxage ? smaxage : maxage;
	r->keep_alive = r->version == 11 ? !close : (ka && !close);
	if (is_head || r->status == 204 || r->status == 304) {
		r->kind = BODY_NONE;
	} else if (have_te) {
		r->kind = BODY_CHUNKED;
	} else if (have_cl) {
		r->kind = BODY_LENGTH;
	} else {
		r->kind = BODY_CLOSE;
		r->keep_alive = false;
	}
	/* Pass 2: the end-to-end headers khttp may carry. */
	for (p = eol + 2; p < end;) {
		bool drop;

		p = next_line(p, end, &h);
		drop = hop_by_hop(h.name, h.nlen) ||
		       name_is(h.name, h.nlen, "date") ||
		       name_is(h.name, h.nlen, "server");
		drop = drop || conn_names_has(&cn, h.name, h.nlen);
		if (drop)
			continue;
		if (buf_put(&r->headers, h.name, h.nlen) ||
		    buf_put(&r->headers, ": ", 2) ||
		    buf_put(&r->headers, h.value, h.vlen) ||
		    buf_put(&r->headers, "\r\n", 2)) {
			http_error = "out of memory";
			uresp_free(r);
			return -1;
		}
	}
	if (buf_puts(&r->headers, "Via: 1.1 httpq-proxy\r\n")) {
		http_error = "out of memory";
		uresp_free(r);
		return -1;
	}
	return hend;
}

/* Request side. */

static int put_line(struct buf *out, const char *n, size_t nlen,
		    const char *v, size_t vlen)
{
	return buf_put(out, n, nlen) || buf_put(out, ": ", 2) ||
	       buf_put(out, v, vlen) || buf_put(out, "\r\n", 2) ? -1 : 0;
}

int http_build_request(const struct req_in *in, struct buf *out)
{
	struct conn_names cn = { .n = 0 };
	const char *p, *end, *t = in->target;
	size_t tlen = in->target_len, i;
	struct buf xff = { 0 }, via = { 0 };
	const char *host = NULL;
	size_t hostlen = 0;
	struct hline h;
	char line[64];
	int ret = -1;

	for (i = 0; i < tlen; i++)
		if ((unsigned char)t[i] <= 0x20 || t[i] == 0x7f)
			return -1;
	/* absolute-form: forward the origin-form; Host from the client's header */
	if (tlen > 7 && (!strncasecmp(t, "http://", 7) ||
			 (tlen > 8 && !strncasecmp(t, "https://", 8)))) {
		const char *s = memchr(t + 8, '/', tlen - 8);

		if (!s) {
			t = "/";
			tlen = 1;
		} else {
			tlen -= (size_t)(s - t);
			t = s;
		}
	}
	if (buf_put(out, in->method, in->method_len) || buf_put(out, " ", 1) ||
	    buf_put(out, t, tlen) || buf_puts(out, " HTTP/1.1\r\n"))
		return -1;
	end = in->headers + in->headers_len;
	for (p = in->headers; p < end;) {
		p = next_line(p, end, &h);
		if (!p)
			return -1;
		if (name_is(h.name, h.nlen, "connection")) {
			conn_names_add(&cn, h.value, h.vlen);
		} else if (name_is(h.name, h.nlen, "host") && !host) {
			host = h.value;
			hostlen = h.vlen;
		}
	}
	if (host) {
		if (put_line(out, "Host", 4, host, hostlen))
			goto out;
	} else if (put_line(out, "Host", 4, in->upstream, strlen(in->upstream))) {
		goto out;
	}
	for (p = in->headers; p < end;) {
		bool drop;

		p = next_line(p, end, &h);
		drop = hop_by_hop(h.name, h.nlen) ||
		       name_is(h.name, h.nlen, "host") ||
		       name_is(h.name, h.nlen, "expect") ||
		       name_is(h.name, h.nlen, "x-forwarded-proto");
		drop = drop || conn_names_has(&cn, h.name, h.nlen);
		if (drop)
			continue;
		if (name_is(h.name, h.nlen, "x-forwarded-for")) {
			if ((xff.len && buf_put(&xff, ", ", 2)) ||
			    buf_put(&xff, h.value, h.vlen))
				goto out;
			continue;
		}
		if (name_is(h.name, h.nlen, "via")) {
			if ((via.len && buf_put(&via, ", ", 2)) ||
			    buf_put(&via, h.value, h.vlen))
				goto out;
			continue;
		}
		if (put_line(out, h.name, h.nlen, h.value, h.vlen))
			goto out;
	}
	if ((xff.len && buf_put(&xff, ", ", 2)) || buf_puts(&xff, in->client_ip))
		goto out;
	snprintf(line, sizeof(line), "%s%s httpq-proxy", via.len ? ", " : "",
		 in->version == 10 ? "1.0" : "1.1");
	if (buf_puts(&via, line))
		goto out;
	if (put_line(out, "X-Forwarded-For", 15, xff.data, xff.len) ||
	    buf_puts(out, in->https ? "X-Forwarded-Proto: https\r\n" :
				     "X-Forwarded-Proto: http\r\n") ||
	    put_line(out, "Via", 3, via.data, via.len))
		goto out;
	if (in->has_body) {
		snprintf(line, sizeof(line), "Content-Length: %llu\r\n",
			 (unsigned long long)in->content_length);
		if (buf_puts(out, line))
			goto out;
	}
	if (buf_put(out, "\r\n", 2))
		goto out;
	ret = 0;
out:
	buf_free(&xff);
	buf_free(&via);
	return ret;
}

/* Chunked decoder. */

enum { CD_SIZE, CD_EXT, CD_SIZE_LF, CD_DATA, CD_DATA_CR, CD_DATA_LF,
       CD_TRAILER, CD_TRAILER_LINE, CD_TRAILER_LF, CD_END_LF, CD_DONE };

#define CHUNK_LINE_MAX 4096

bool chunk_done(const struct chunkdec *d)
{
	return d->state == CD_DONE;
}

long chunk_decode(struct chunkdec *d, const char *in, size_t len,
		  const char **data, size_t *dlen)
{
	size_t i = 0;

	*data = NULL;
	*dlen = 0;
	while (i < len && d->state != CD_DONE) {
		unsigned char c = (unsigned char)in[i];

		switch (d->state) {
		case CD_SIZE:
			if (isxdigit(c)) {
				if (++d->digits > 15)
					return -1;
				d->left = d->left * 16 +
					  (uint64_t)(isdigit(c) ? c - '0' :
						     (tolower(c) - 'a' + 10));
			} else if (c == ';' && d->digits) {
				d->state = CD_EXT;
			} else if (c == '\r' && d->digits) {
				d->state = CD_SIZE_LF;
			} else {
				return -1;
			}
			break;
		case CD_EXT:
			if (++d->linelen > CHUNK_LINE_MAX)
				return -1;
			if (c == '\r')
				d->state = CD_SIZE_LF;
			else if ((c < 0x20 && c != '\t') || c == 0x7f)
				return -1;
			break;
		case CD_SIZE_LF:
			if (c != '\n')
				return -1;
			d->linelen = 0;
			d->digits = 0;
			d->state = d->left ? CD_DATA : CD_TRAILER;
			break;
		case CD_DATA: {
			size_t n = len - i;

			if (n > d->left)
				n = (size_t)d->left;
			*data = in + i;
			*dlen = n;
			d->left -= n;
			if (!d->left)
				d->state = CD_DATA_CR;
			return (long)(i + n);
		}
		case CD_DATA_CR:
			if (c != '\r')
				return -1;
			d->state = CD_DATA_LF;
			break;
		case CD_DATA_LF:
			if (c != '\n')
				return -1;
			d->state = CD_SIZE;
			break;
		case CD_TRAILER:	/* start of a trailer line, or the end */
			if (c == '\r') {
				d->state = CD_END_LF;
				break;
			}
			d->state = CD_TRAILER_LINE;
			/* fall through */
		case CD_TRAILER_LINE:
			if (++d->linelen > CHUNK_LINE_MAX)
				return -1;
			if (c == '\r')
				d->state = CD_TRAILER_LF;
			else if (c == '\n' || c == 0 || c == 0x7f)
				return -1;
			break;
		case CD_TRAILER_LF:
			if (c != '\n')
				return -1;
			d->linelen = 0;
			d->state = CD_TRAILER;
			break;
		case CD_END_LF:
			if (c != '\n')
				return -1;
			d->state = CD_DONE;
			break;
		}
		i++;
	}
	return (long)i;
}
