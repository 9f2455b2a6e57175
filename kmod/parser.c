// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/1.1 request heads (RFC 9112): the request-line and header fields,
 * parsed incrementally as bytes arrive.  The chunked decoder is chunked.c,
 * paths, HTTP-dates and ranges httpval.c.  Plain C: see parser.h.
 */
#include "compat.h"
#include "parser.h"
#include "parsechar.h"

enum {
	PS_REQLINE = 0,
	PS_HEADERS,
	PS_DONE,
	PS_ERROR,
};

static int fail(struct khttp_req *req, u16 status)
{
	req->status = status;
	req->pstate = PS_ERROR;
	return KHTTP_ERROR;
}

void khttp_req_init(struct khttp_req *req, const struct khttp_limits *lim)
{
	memset(req, 0, sizeof(*req));
	req->max_head = KHTTP_DEFAULT_MAX_HEAD;
	req->max_target = KHTTP_DEFAULT_MAX_TARGET;
	req->max_headers = KHTTP_DEFAULT_MAX_HEADERS;
	if (lim) {
		if (lim->max_head)
			req->max_head = lim->max_head;
		if (lim->max_target)
			req->max_target = lim->max_target;
		if (lim->max_headers)
			req->max_headers = lim->max_headers;
	}
}

static const struct {
	const char *name;
	enum khttp_method m;
} methods[] = {
	{ "GET", KHTTP_METHOD_GET },
	{ "HEAD", KHTTP_METHOD_HEAD },
	{ "POST", KHTTP_METHOD_POST },
	{ "PUT", KHTTP_METHOD_PUT },
	{ "DELETE", KHTTP_METHOD_DELETE },
	{ "OPTIONS", KHTTP_METHOD_OPTIONS },
	{ "PATCH", KHTTP_METHOD_PATCH },
	{ "TRACE", KHTTP_METHOD_TRACE },
	{ "CONNECT", KHTTP_METHOD_CONNECT },
};

static bool valid_authority(const char *p, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (!is_authchar(p[i]))
			return false;
	return true;
}

/* Split [off, off+len) at the first '?' into path and query. */
static void split_query(struct khttp_req *req, const char *buf, u32 off,
			u32 len)
{
	u32 i;

	req->path.off = off;
	req->path.len = len;
	for (i = 0; i < len; i++) {
		if (buf[off + i] == '?') {
			req->path.len = i;
			req->query.off = off + i + 1;
			req->query.len = len - i - 1;
			req->has_query = true;
			break;
		}
	}
}

static int parse_target(struct khttp_req *req, const char *buf)
{
	const char *t = buf + req->target.off;
	u32 tl = req->target.len;
	u32 i, a, colon = 0;

	if (req->method == KHTTP_METHOD_CONNECT) {
		/* authority-form: host ":" port, nothing else (RFC 9112 3.2.3) */
		for (i = 0; i < tl; i++)
			if (t[i] == ':')
				colon = i;
		if (!colon || colon + 1 == tl || !valid_authority(t, tl))
			return fail(req, 400);
		for (i = colon + 1; i < tl; i++)
			if (t[i] < '0' || t[i] > '9')
				return fail(req, 400);
		req->form = KHTTP_FORM_AUTHORITY;
		req->host = req->target;
		return 0;
	}
	if (t[0] == '/') {
		req->form = KHTTP_FORM_ORIGIN;
		split_query(req, buf, req->target.off, tl);
		return 0;
	}
	if (tl == 1 && t[0] == '*') {
		if (req->method != KHTTP_METHOD_OPTIONS)
			return fail(req, 400);
		req->form = KHTTP_FORM_ASTERISK;
		return 0;
	}
	/* absolute-form; only http and https make sense for a web server */
	if (tl > 7 && ieq(t, 7, "http://"))
		a = 7;
	else if (tl > 8 && ieq(t, 8, "https://"))
		a = 8;
	else
		return fail(req, 400);
	for (i = a; i < tl; i++)
		if (t[i] == '/' || t[i] == '?')
			break;
	/* '@' (userinfo) is not an authchar: refused, it only fools people */
	if (i == a || !valid_authority(t + a, i - a))
		return fail(req, 400);
	req->form = KHTTP_FORM_ABSOLUTE;
	req->host.off = req->target.off + a;
	req->host.len = i - a;
	split_query(req, buf, req->target.off + i, tl - i);
	return 0;
}

static int parse_request_line(struct khttp_req *req, const char *buf, u32 ls,
			      u32 le)
{
	u32 s1 = 0, s2 = 0, i, n = 0;
	const char *v;

	for (i = ls; i < le; i++) {
		if (buf[i] != ' ')
			continue;
		if (n == 0)
			s1 = i;
		else if (n == 1)
			s2 = i;
		else
			return fail(req, 400);
		n++;
	}
	if (n != 2 || s1 == ls)
		return fail(req, 400);

	/* method */
	for (i = ls; i < s1; i++)
		if (!is_tchar(buf[i]))
			return fail(req, 400);
	req->method_span.off = ls;
	req->method_span.len = s1 - ls;
	req->method = KHTTP_METHOD_OTHER;
	for (i = 0; i < ARRAY_SIZE(methods); i++) {
		if (strlen(methods[i].name) == s1 - ls &&
		    !memcmp(methods[i].name, buf + ls, s1 - ls)) {
			req->method = methods[i].m;
			break;
		}
	}

	/* target: visible ASCII, no fragment */
	req->target.off = s1 + 1;
	req->target.len = s2 - s1 - 1;
	if (req->target.len == 0)
		return fail(req, 400);
	if (req->target.len > req->max_target)
		return fail(req, 414);
	for (i = s1 + 1; i < s2; i++)
		if ((u8)buf[i] <= 0x20 || (u8)buf[i] >= 0x7f || buf[i] == '#')
			return fail(req, 400);

	/* version: exactly HTTP/DIGIT.DIGIT */
	v = buf + s2 + 1;
	if (le - s2 - 1 != 8 || memcmp(v, "HTTP/", 5) || v[6] != '.' ||
	    v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9')
		return fail(req, 400);
	if (v[5] != '1' || (v[7] != '0' && v[7] != '1'))
		return fail(req, 505);
	req->version = v[7] == '1' ? 11 : 10;

	return parse_target(req, buf);
}

static int parse_content_length(struct khttp_req *req, const char *v, u32 len)
{
	u64 n = 0;
	u32 i;

	/* digits only: no sign, no spaces, no lists ("5, 5" is refused) */
	if (!len)
		return fail(req, 400);
	for (i = 0; i < len; i++) {
		u8 d = v[i] - '0';

		if (d > 9)
			return fail(req, 400);
		if (n > (~0ULL - d) / 10)
			return fail(req, 400);
		n = n * 10 + d;
	}
	if (req->has_cl && req->content_length != n)
		return fail(req, 400);
	req->has_cl = true;
	req->content_length = n;
	return 0;
}

/*
 * One element of a comma-separated list starting at @i: sets its trimmed
 * start and length (0 for an empty element) and returns the index of the
 * comma or end that closes it.
 */
static u32 list_elem(const char *v, u32 len, u32 i, u32 *es, u32 *el)
{
	u32 j = i, e;

	while (j < len && v[j] != ',')
		j++;
	e = j;
	while (i < e && is_ows(v[i]))
		i++;
	while (e > i && is_ows(v[e - 1]))
		e--;
	*es = i;
	*el = e - i;
	return j;
}

static int parse_transfer_encoding(struct khttp_req *req, const char *v,
				   u32 len)
{
	u32 i, j, es, el, n = 0;

	for (i = 0; i < len; i = j + 1) {
		j = list_elem(v, len, i, &es, &el);
		if (!el)
			continue;
		n++;
		if (ieq(v + es, el, "chunked")) {
			if (req->te_chunked < 2)
				req->te_chunked++;
		} else {
			req->te_other = true;
		}
	}
	if (!n)
		return fail(req, 400);
	req->has_te = true;
	return 0;
}

static void parse_connection(struct khttp_req *req, const char *v, u32 len)
{
	u32 i, j, es, el;

	for (i = 0; i < len; i = j + 1) {
		j = list_elem(v, len, i, &es, &el);
		if (ieq(v + es, el, "close"))
			req->conn_close = true;
		else if (ieq(v + es, el, "keep-alive"))
			req->conn_ka = true;
	}
}

/* Record a singleton field; a second copy is ambiguous, so refused. */
static int set_once(struct khttp_req *req, bool *has, struct khttp_span *sp,
		    u32 off, u32 len)
{
	if (*has)
		return fail(req, 400);
	*has = true;
	sp->off = off;
	sp->len = len;
	return 0;
}

static int parse_header_line(struct khttp_req *req, const char *buf, u32 ls,
			     u32 le)
{
	u32 i = ls, ns, nl, vs, ve;
	const char *n, *v;

	if (req->nheaders >= req->max_headers)
		return fail(req, 431);
	req->nheaders++;

	/* obs-fold or whitespace before the name: refused (RFC 9112 5.2) */
	while (i < le && is_tchar(buf[i]))
		i++;
	if (i == ls || i == le || buf[i] != ':')
		return fail(req, 400);
	ns = ls;
	nl = i - ls;
	vs = i + 1;
	ve = le;
	while (vs < ve && is_ows(buf[vs]))
		vs++;
	while (ve > vs && is_ows(buf[ve - 1]))
		ve--;
	for (i = vs; i < ve; i++)
		if (!is_vchar_ws(buf[i]))
			return fail(req, 400);

	n = buf + ns;
	v = buf + vs;
	switch (lower(n[0])) {
	case 'a':
		if (ieq(n, nl, "authorization")) {
			req->has_authorization = true;
		} else if (ieq(n, nl, "accept-encoding")) {
			/* A list header: a second line is counted, not kept. */
			if (!req->n_accept_encoding) {
				req->accept_encoding.off = vs;
				req->accept_encoding.len = ve - vs;
			}
			if (req->n_accept_encoding < 255)
				req->n_accept_encoding++;
		}
		break;
	case 'c':
		if (ieq(n, nl, "content-length"))
			return parse_content_length(req, v, ve - vs);
		if (ieq(n, nl, "connection"))
			parse_connection(req, v, ve - vs);
		else if (ieq(n, nl, "cookie"))
			req->has_cookie = true;
		break;
	case 'e':
		if (!ieq(n, nl, "expect"))
			break;
		if (!ieq(v, ve - vs, "100-continue"))
			return fail(req, 417);
		/* a 1.0 client cannot handle 100 (RFC 9110 10.1.1) */
		if (req->version == 11)
			req->expect_continue = true;
		break;
	case 'h':
		if (!ieq(n, nl, "host"))
			break;
		if (req->host_seen || !valid_authority(v, ve - vs))
			return fail(req, 400);
		req->host_seen = true;
		req->has_host = true;
		if (req->form == KHTTP_FORM_ORIGIN ||
		    req->form == KHTTP_FORM_ASTERISK) {
			req->host.off = vs;
			req->host.len = ve - vs;
		}
		break;
	case 'i':
		if (ieq(n, nl, "if-none-match"))
			return set_once(req, &req->has_if_none_match,
					&req->if_none_match, vs, ve - vs);
		if (ieq(n, nl, "if-modified-since"))
			return set_once(req, &req->has_if_modified_since,
					&req->if_modified_since, vs, ve - vs);
		if (ieq(n, nl, "if-range"))
			return set_once(req, &req->has_if_range,
					&req->if_range, vs, ve - vs);
		break;
	case 'r':
		if (ieq(n, nl, "range"))
			return set_once(req, &req->has_range, &req->range,
					vs, ve - vs);
		break;
	case 't':
		if (ieq(n, nl, "transfer-encoding"))
			return parse_transfer_encoding(req, v, ve - vs);
		break;
	}
	return 0;
}

static int finish_head(struct khttp_req *req, u32 end)
{
	if (req->version == 11 && !req->host_seen)
		return fail(req, 400);
	if (req->has_te) {
		/* CL+TE is the classic smuggling shape; 1.0 has no chunked */
		if (req->has_cl || req->version == 10)
			return fail(req, 400);
		if (req->te_other)
			return fail(req, 501);
		if (req->te_chunked != 1)
			return fail(req, 400);
		req->chunked = true;
	}
	if (req->version == 11)
		req->keep_alive = !req->conn_close;
	else
		req->keep_alive = req->conn_ka && !req->conn_close;
	req->head_len = end;
	req->pstate = PS_DONE;
	return KHTTP_DONE;
}

int khttp_parse(struct khttp_req *req, const char *buf, size_t len)
{
	u32 end, i;
	int ret;

	if (req->pstate == PS_DONE)
		return KHTTP_DONE;
	if (req->pstate == PS_ERROR)
		return KHTTP_ERROR;

	/* Never look past max_head: the head must fit in it, CRLF included. */
	end = len < req->max_head ? (u32)len : req->max_head;
	for (i = req->scan; i < end; i++) {
		u8 c = buf[i];
		u32 ls = req->line_start;

		if (c == '\n')		/* bare LF */
			return fail(req, 400);
		if (c != '\r') {
			if (req->pstate != PS_REQLINE)
				continue;
			/* Count spaces now so a huge target fails early. */
			if (c == ' ') {
				if (req->nsp == 0)
					req->sp1 = i;
				if (req->nsp < 3)
					req->nsp++;
			} else if (req->nsp == 1 &&
				   i - req->sp1 > req->max_target) {
				return fail(req, 414);
			}
			continue;
		}
		if (i + 1 >= req->max_head)
			return fail(req, 431);
		if (i + 1 >= len) {
			req->scan = i;	/* resume at this CR */
			return KHTTP_NEED_MORE;
		}
		if (buf[i + 1] != '\n')	/* bare CR */
			return fail(req, 400);

		req->line_start = i + 2;
		if (req->pstate == PS_REQLINE) {
			/* skip empty lines before the request-line */
			if (i == ls)
				goto next;
			ret = parse_request_line(req, buf, ls, i);
			if (ret < 0)
				return ret;
			req->pstate = PS_HEADERS;
		} else {
			if (i == ls)
				return finish_head(req, i + 2);
			ret = parse_header_line(req, buf, ls, i);
			if (ret < 0)
				return ret;
		}
next:
		i++;
	}
	if (end >= req->max_head)
		return fail(req, 431);
	req->scan = end;
	return KHTTP_NEED_MORE;
}
