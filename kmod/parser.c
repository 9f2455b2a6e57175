// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/1.1 request parser (RFC 9112), chunked decoder, path normaliser,
 * HTTP-date and Range helpers.  Plain C: see parser.h.
 */
#include "compat.h"
#include "parser.h"

enum {
	PS_REQLINE = 0,
	PS_HEADERS,
	PS_DONE,
	PS_ERROR,
};

static bool is_tchar(u8 c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'':
	case '*': case '+': case '-': case '.': case '^': case '_':
	case '`': case '|': case '~':
		return true;
	}
	return false;
}

/* field-value octets: VCHAR, obs-text, SP, HTAB; no other controls */
static bool is_vchar_ws(u8 c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* Characters of a URI authority (host, port, IP literal); no userinfo. */
static bool is_authchar(u8 c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '-': case '.': case '_': case '~': case '!': case '$':
	case '&': case '\'': case '(': case ')': case '*': case '+':
	case ',': case ';': case '=': case ':': case '[': case ']':
	case '%':
		return true;
	}
	return false;
}

static u8 lower(u8 c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Case-insensitive compare of @len bytes at @p with lowercase @lit. */
static bool ieq(const char *p, size_t len, const char *lit)
{
	size_t i;

	if (len != strlen(lit))
		return false;
	for (i = 0; i < len; i++)
		if (lower(p[i]) != (u8)lit[i])
			return false;
	return true;
}

static bool is_ows(u8 c)
{
	return c == ' ' || c == '\t';
}

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
		if (ieq(n, nl, "authorization"))
			req->has_authorization = true;
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

/* Chunked decoder */

enum {
	CS_SIZE_START = 0,
	CS_SIZE,
	CS_SIZE_WS,
	/* chunk-ext (RFC 9112 7.1.1); all before CS_SIZE_LF, see chunk_ext() */
	CS_EXT_NAME_START,	/* after ';': BWS, then a token */
	CS_EXT_NAME,
	CS_EXT_NAME_WS,		/* BWS after a name: '=' or ';' must follow */
	CS_EXT_VAL_START,	/* after '=': BWS, then a token or quoted-string */
	CS_EXT_VAL_TOKEN,
	CS_EXT_VAL_QUOTED,
	CS_EXT_VAL_QPAIR,	/* after a backslash in a quoted-string */
	CS_EXT_VAL_END,		/* after a value's closing quote */
	CS_EXT_WS,		/* BWS after a value: only ';' may follow */
	CS_SIZE_LF,
	CS_DATA,
	CS_DATA_CR,
	CS_DATA_LF,
	CS_TR_LINE,
	CS_TR_NAME,
	CS_TR_VALUE,
	CS_TR_LF,
	CS_END_LF,
	CS_DONE,
	CS_ERROR,
};

void khttp_chunked_init(struct khttp_chunked *c, u64 max_body)
{
	memset(c, 0, sizeof(*c));
	c->max_body = max_body ? max_body : ~0ULL;
}

static int hexval(u8 c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int chunk_fail(struct khttp_chunked *c, u16 status)
{
	c->status = status;
	c->state = CS_ERROR;
	return KHTTP_ERROR;
}

/* qdtext: HTAB, SP, VCHAR except '"' and '\\', obs-text */
static bool is_qdtext(u8 c)
{
	return is_vchar_ws(c) && c != '"' && c != '\\';
}

/*
 * One byte of a chunk's extensions, from the first byte after the size up to
 * the CR:
 *
 *   chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 *   chunk-ext-name = token
 *   chunk-ext-val  = token / quoted-string
 *
 * They are ignored, but checked: an empty name or value, a stray character,
 * an unterminated quoted-string or a CR or LF inside one is a 400, since a
 * parser behind us may read such a line differently.  BWS after the size is
 * only allowed before a ';' ("5 \r\n" is refused).  All of it but the CR
 * counts towards KHTTP_CHUNK_EXT_MAX.
 */
static int chunk_ext(struct khttp_chunked *c, u8 ch)
{
	if (ch != '\r' && ++c->ext_len > KHTTP_CHUNK_EXT_MAX)
		return chunk_fail(c, 400);

	switch (c->state) {
	case CS_EXT_NAME_WS:
		if (ch == '=') {
			c->state = CS_EXT_VAL_START;
			break;
		}
		fallthrough;
	case CS_SIZE_WS:
	case CS_EXT_WS:
		if (ch == ';')
			c->state = CS_EXT_NAME_START;
		else if (!is_ows(ch))
			return chunk_fail(c, 400);
		break;
	case CS_EXT_NAME_START:
		if (is_tchar(ch))
			c->state = CS_EXT_NAME;
		else if (!is_ows(ch))
			return chunk_fail(c, 400);
		break;
	case CS_EXT_NAME:
		if (ch == '\r')
			c->state = CS_SIZE_LF;
		else if (ch == '=')
			c->state = CS_EXT_VAL_START;
		else if (ch == ';')
			c->state = CS_EXT_NAME_START;
		else if (is_ows(ch))
			c->state = CS_EXT_NAME_WS;
		else if (!is_tchar(ch))
			return chunk_fail(c, 400);
		break;
	case CS_EXT_VAL_START:
		if (ch == '"')
			c->state = CS_EXT_VAL_QUOTED;
		else if (is_tchar(ch))
			c->state = CS_EXT_VAL_TOKEN;
		else if (!is_ows(ch))
			return chunk_fail(c, 400);
		break;
	case CS_EXT_VAL_QUOTED:
		if (ch == '"')
			c->state = CS_EXT_VAL_END;
		else if (ch == '\\')
			c->state = CS_EXT_VAL_QPAIR;
		else if (!is_qdtext(ch))
			return chunk_fail(c, 400);
		break;
	case CS_EXT_VAL_QPAIR:
		/* quoted-pair: "\" ( HTAB / SP / VCHAR / obs-text ) */
		if (!is_vchar_ws(ch))
			return chunk_fail(c, 400);
		c->state = CS_EXT_VAL_QUOTED;
		break;
	case CS_EXT_VAL_TOKEN:
		if (is_tchar(ch))
			break;
		fallthrough;
	case CS_EXT_VAL_END:
		if (ch == '\r')
			c->state = CS_SIZE_LF;
		else if (ch == ';')
			c->state = CS_EXT_NAME_START;
		else if (is_ows(ch))
			c->state = CS_EXT_WS;
		else
			return chunk_fail(c, 400);
		break;
	default:
		return chunk_fail(c, 400);
	}
	return KHTTP_NEED_MORE;
}

/* One framing byte; returns KHTTP_NEED_MORE to go on, DONE or ERROR. */
static int chunk_byte(struct khttp_chunked *c, u8 ch)
{
	int h;

	if (c->state >= CS_TR_LINE && ++c->trailer_len > KHTTP_TRAILER_MAX)
		return chunk_fail(c, 431);

	switch (c->state) {
	case CS_SIZE_START:
		/* empty size or junk: 400 */
		h = hexval(ch);
		if (h < 0)
			return chunk_fail(c, 400);
		c->size = h;
		c->digits = 1;
		c->ext_len = 0;
		c->state = CS_SIZE;
		break;
	case CS_SIZE:
		h = hexval(ch);
		if (h >= 0) {
			/* 16 hex digits fill a u64; more is an attack */
			if (c->digits >= 16)
				return chunk_fail(c, 400);
			c->size = (c->size << 4) | h;
			c->digits++;
		} else if (is_ows(ch) || ch == ';') {
			c->state = CS_SIZE_WS;
			return chunk_ext(c, ch);
		} else if (ch == '\r') {
			c->state = CS_SIZE_LF;
		} else {
			return chunk_fail(c, 400);
		}
		break;
	case CS_SIZE_WS:
	case CS_EXT_NAME_START ... CS_EXT_WS:
		return chunk_ext(c, ch);
	case CS_SIZE_LF:
		if (ch != '\n')
			return chunk_fail(c, 400);
		if (!c->size) {
			c->state = CS_TR_LINE;
			break;
		}
		if (c->size > c->max_body - c->total)
			return chunk_fail(c, 413);
		c->remaining = c->size;
		c->state = CS_DATA;
		break;
	case CS_DATA_CR:
		if (ch != '\r')
			return chunk_fail(c, 400);
		c->state = CS_DATA_LF;
		break;
	case CS_DATA_LF:
		if (ch != '\n')
			return chunk_fail(c, 400);
		c->state = CS_SIZE_START;
		break;
	case CS_TR_LINE:
		if (ch == '\r')
			c->state = CS_END_LF;
		else if (is_tchar(ch))	/* no obs-fold, no empty name */
			c->state = CS_TR_NAME;
		else
			return chunk_fail(c, 400);
		break;
	case CS_TR_NAME:
		if (ch == ':')
			c->state = CS_TR_VALUE;
		else if (!is_tchar(ch))
			return chunk_fail(c, 400);
		break;
	case CS_TR_VALUE:
		if (ch == '\r')
			c->state = CS_TR_LF;
		else if (!is_vchar_ws(ch))
			return chunk_fail(c, 400);
		break;
	case CS_TR_LF:
		if (ch != '\n')
			return chunk_fail(c, 400);
		c->state = CS_TR_LINE;
		break;
	case CS_END_LF:
		if (ch != '\n')
			return chunk_fail(c, 400);
		c->state = CS_DONE;
		return KHTTP_DONE;
	default:
		return chunk_fail(c, 400);
	}
	return KHTTP_NEED_MORE;
}

int khttp_chunked_feed(struct khttp_chunked *c, const char *buf, size_t len,
		       size_t *used, struct khttp_span *data)
{
	size_t i = 0, n;
	int ret;

	*used = 0;
	if (c->state == CS_DONE)
		return KHTTP_DONE;
	if (c->state == CS_ERROR)
		return KHTTP_ERROR;
	while (i < len) {
		if (c->state == CS_DATA) {
			n = len - i;
			if (n > c->remaining)
				n = c->remaining;
			if (n > 0xffffffffU)
				n = 0xffffffffU;
			data->off = i;
			data->len = n;
			c->remaining -= n;
			c->total += n;
			if (!c->remaining)
				c->state = CS_DATA_CR;
			*used = i + n;
			return KHTTP_DATA;
		}
		ret = chunk_byte(c, buf[i++]);
		if (ret != KHTTP_NEED_MORE) {
			*used = i;
			return ret;
		}
	}
	*used = len;
	return KHTTP_NEED_MORE;
}

/* Path normaliser */

int khttp_path_normalize(const char *in, size_t len, char *out, size_t outsz)
{
	size_t i = 1, o = 1, seg = 1, sl;
	int hi, lo;
	u8 c;

	if (outsz < 2)
		return -ENAMETOOLONG;
	out[0] = '/';
	if (!len) {
		out[1] = '\0';
		return 1;
	}
	if (in[0] != '/')
		return -EINVAL;
	/* invariant: out[0..o) is normalised and out[seg - 1] == '/' */
	for (;;) {
		if (i == len || in[i] == '/') {
			sl = o - seg;
			if (sl == 1 && out[seg] == '.') {
				o = seg;
			} else if (sl == 2 && out[seg] == '.' &&
				   out[seg + 1] == '.') {
				if (seg == 1)
					return -EPERM;
				/* drop "prev/..": back to the '/' before prev */
				o = seg - 1;
				while (out[o - 1] != '/')
					o--;
			} else if (sl && i < len) {
				if (o >= outsz)
					return -ENAMETOOLONG;
				out[o++] = '/';
			}
			if (i == len)
				break;
			i++;
			seg = o;
			continue;
		}
		c = in[i];
		if (c == '%') {
			if (len - i < 3)
				return -EINVAL;
			hi = hexval(in[i + 1]);
			lo = hexval(in[i + 2]);
			if (hi < 0 || lo < 0)
				return -EINVAL;
			c = hi << 4 | lo;
			if (c == '/')
				return -EINVAL;
			i += 3;
		} else {
			i++;
		}
		if (c < 0x20 || c == 0x7f || c == '\\')
			return -EINVAL;
		if (o >= outsz)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	if (o >= outsz)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return o;
}

/* HTTP-date: integer-only civil calendar (H. Hinnant's algorithms) */

static const char wkdays[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};

static const char *const wkdays_long[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};

static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* days since 1970-01-01 for y >= 1970 */
static u32 days_from_civil(u32 y, u32 m, u32 d)
{
	u32 era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(u32 z, u32 *y, u32 *m, u32 *d)
{
	u32 era, doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(u32 y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Read exactly @n digits at *@p. */
static bool get_num(const char *s, size_t len, size_t *p, u32 n, u32 *out)
{
	u32 v = 0, k;

	if (len - *p < n)
		return false;
	for (k = 0; k < n; k++) {
		u8 d = s[*p + k] - '0';

		if (d > 9)
			return false;
		v = v * 10 + d;
	}
	*p += n;
	*out = v;
	return true;
}

static bool get_lit(const char *s, size_t len, size_t *p, const char *lit)
{
	size_t n = strlen(lit);

	if (len - *p < n || memcmp(s + *p, lit, n))
		return false;
	*p += n;
	return true;
}

static bool get_month(const char *s, size_t len, size_t *p, u32 *m)
{
	u32 k;

	for (k = 0; k < 12; k++) {
		if (get_lit(s, len, p, months[k])) {
			*m = k + 1;
			return true;
		}
	}
	return false;
}

static bool get_time(const char *s, size_t len, size_t *p, u32 *hh, u32 *mm,
		     u32 *ss)
{
	return get_num(s, len, p, 2, hh) && get_lit(s, len, p, ":") &&
	       get_num(s, len, p, 2, mm) && get_lit(s, len, p, ":") &&
	       get_num(s, len, p, 2, ss);
}

int khttp_parse_http_date(const char *s, size_t len, u64 *secs)
{
	static const u8 mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	u32 y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0, k, dim;
	size_t p = 0;
	bool ok = false;

	for (k = 0; k < 7 && !ok; k++) {
		p = 0;
		if (get_lit(s, len, &p, wkdays_long[k]) &&
		    get_lit(s, len, &p, ", ")) {
			/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
			ok = get_num(s, len, &p, 2, &d) &&
			     get_lit(s, len, &p, "-") &&
			     get_month(s, len, &p, &m) &&
			     get_lit(s, len, &p, "-") &&
			     get_num(s, len, &p, 2, &y) &&
			     get_lit(s, len, &p, " ") &&
			     get_time(s, len, &p, &hh, &mm, &ss) &&
			     get_lit(s, len, &p, " GMT");
			/* two-digit year: 70..99 are 19xx (epoch starts 1970) */
			y += y >= 70 ? 1900 : 2000;
			break;
		}
		p = 0;
		if (!get_lit(s, len, &p, wkdays[k]))
			continue;
		if (get_lit(s, len, &p, ", ")) {
			/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
			ok = get_num(s, len, &p, 2, &d) &&
			     get_lit(s, len, &p, " ") &&
			     get_month(s, len, &p, &m) &&
			     get_lit(s, len, &p, " ") &&
			     get_num(s, len, &p, 4, &y) &&
			     get_lit(s, len, &p, " ") &&
			     get_time(s, len, &p, &hh, &mm, &ss) &&
			     get_lit(s, len, &p, " GMT");
		} else if (get_lit(s, len, &p, " ")) {
			/* asctime: Sun Nov  6 08:49:37 1994 */
			ok = get_month(s, len, &p, &m) &&
			     get_lit(s, len, &p, " ");
			if (ok && get_lit(s, len, &p, " "))
				ok = get_num(s, len, &p, 1, &d);
			else if (ok)
				ok = get_num(s, len, &p, 2, &d);
			ok = ok && get_lit(s, len, &p, " ") &&
			     get_time(s, len, &p, &hh, &mm, &ss) &&
			     get_lit(s, len, &p, " ") &&
			     get_num(s, len, &p, 4, &y);
		}
		break;
	}
	if (!ok || p != len || y < 1970 || m < 1 || m > 12 || hh > 23 ||
	    mm > 59 || ss > 59)
		return -EINVAL;
	dim = mdays[m - 1] + (m == 2 && is_leap(y));
	if (d < 1 || d > dim)
		return -EINVAL;
	*secs = (u64)days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 +
		ss;
	return 0;
}

static void put2(char *p, u32 v)
{
	p[0] = '0' + v / 10;
	p[1] = '0' + v % 10;
}

void khttp_http_date(u64 secs, char out[30])
{
	/* 9999-12-31T23:59:59Z: the format has four year digits */
	const u64 max = 253402300799ULL;
	u32 days, rem, y, m, d;

	if (secs > max)
		secs = max;
	/* 64-bit division: fine on the 64-bit kernels khttp targets */
	days = secs / 86400;
	rem = secs - (u64)days * 86400;
	civil_from_days(days, &y, &m, &d);
	memcpy(out, wkdays[(days + 4) % 7], 3);	/* 1970-01-01 was Thu */
	out[3] = ',';
	out[4] = ' ';
	put2(out + 5, d);
	out[7] = ' ';
	memcpy(out + 8, months[m - 1], 3);
	out[11] = ' ';
	put2(out + 12, y / 100);
	put2(out + 14, y % 100);
	out[16] = ' ';
	put2(out + 17, rem / 3600);
	out[19] = ':';
	put2(out + 20, rem / 60 % 60);
	out[22] = ':';
	put2(out + 23, rem % 60);
	memcpy(out + 25, " GMT", 5);	/* with the NUL */
}

/* Range */

/* Parse 1*DIGIT at *@p; false on none or u64 overflow. */
static bool get_u64(const char *v, size_t len, size_t *p, u64 *out)
{
	size_t i = *p;
	u64 n = 0;

	while (i < len && v[i] >= '0' && v[i] <= '9') {
		u8 d = v[i] - '0';

		if (n > (~0ULL - d) / 10)
			return false;
		n = n * 10 + d;
		i++;
	}
	if (i == *p)
		return false;
	*p = i;
	*out = n;
	return true;
}

enum khttp_range_result khttp_range_parse(const char *v, size_t len, u64 size,
					  u64 *start, u64 *end)
{
	size_t p = 6, i;
	u64 a, b;

	if (len < 6 || !ieq(v, 6, "bytes="))
		return KHTTP_RANGE_IGNORE;
	for (i = p; i < len; i++)
		if (v[i] == ',')	/* multiple ranges: serve it all */
			return KHTTP_RANGE_IGNORE;
	while (p < len && is_ows(v[p]))
		p++;
	while (len > p && is_ows(v[len - 1]))
		len--;

	if (p < len && v[p] == '-') {
		/* suffix-range: the last n bytes */
		p++;
		if (!get_u64(v, len, &p, &a) || p != len)
			return KHTTP_RANGE_IGNORE;
		if (!a || !size)
			return KHTTP_RANGE_UNSATISFIABLE;
		if (a > size)
			a = size;
		*start = size - a;
		*end = size - 1;
		return KHTTP_RANGE_OK;
	}
	if (!get_u64(v, len, &p, &a) || p == len || v[p] != '-')
		return KHTTP_RANGE_IGNORE;
	p++;
	b = ~0ULL;
	if (p < len && (!get_u64(v, len, &p, &b) || p != len))
		return KHTTP_RANGE_IGNORE;
	if (b < a)
		return KHTTP_RANGE_IGNORE;
	if (a >= size)
		return KHTTP_RANGE_UNSATISFIABLE;
	*start = a;
	*end = b < size - 1 ? b : size - 1;
	return KHTTP_RANGE_OK;
}
