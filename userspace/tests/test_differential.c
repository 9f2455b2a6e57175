// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test: khttp's request-head parser (kmod/parser.c) against
 * nodejs' http-parser (Debian's libhttp-parser-dev) over the request seeds
 * of the fuzz corpus (userspace/fuzz/corpus/parser/req-* and hostile-*).
 *
 * Each input is parsed by both, whole.  Outcomes: accept (head complete),
 * reject, incomplete.  When both accept, the parsed fields must agree:
 * method, request-target, version, header count, Content-Length, chunked,
 * keep-alive.  When they disagree on accept/reject, the disagreement must
 * be one documented below; khttp is stricter on purpose (it sits in front
 * of other parsers, so anything two implementations could read
 * differently is refused).  Anything else fails: khttp accepting what
 * http-parser refuses without a documented reason, or differing fields.
 *
 * Prints "ok diff/FILE[: expected: WHY]" or "not ok diff/FILE: WHAT".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <http_parser.h>

#include "parser.h"
#define TAP_PREFIX "diff/"
#include "tap.h"

#ifndef CORPUS_DIR
#define CORPUS_DIR "fuzz/corpus/parser"
#endif

enum outcome { ACCEPT, REJECT, INCOMPLETE };
static const char *const oname[] = { "accept", "reject", "incomplete" };

/* ---- what http-parser saw ------------------------------------------------ */

struct hp_result {
	enum outcome out;
	const char *err;
	char url[20000];
	size_t urllen;
	unsigned int nheaders;
	bool in_value;
	bool done;
	enum http_method method;
	unsigned short major, minor;
	bool has_cl;
	u64 cl;
	bool chunked;
	bool keep_alive;
};

static int hp_url(http_parser *p, const char *at, size_t len)
{
	struct hp_result *r = p->data;

	if (r->urllen + len < sizeof(r->url)) {
		memcpy(r->url + r->urllen, at, len);
		r->urllen += len;
	}
	return 0;
}

static int hp_field(http_parser *p, const char *at, size_t len)
{
	struct hp_result *r = p->data;

	(void)at;
	(void)len;
	if (!r->nheaders || r->in_value)
		r->nheaders++;
	r->in_value = false;
	return 0;
}

static int hp_value(http_parser *p, const char *at, size_t len)
{
	struct hp_result *r = p->data;

	(void)at;
	(void)len;
	r->in_value = true;
	return 0;
}

static int hp_headers_complete(http_parser *p)
{
	struct hp_result *r = p->data;

	r->done = true;
	r->method = p->method;
	r->major = p->http_major;
	r->minor = p->http_minor;
	r->chunked = p->flags & F_CHUNKED;
	r->has_cl = p->content_length != ULLONG_MAX;
	r->cl = p->content_length;
	r->keep_alive = http_should_keep_alive(p);
	http_parser_pause(p, 1);	/* the head is all we compare */
	return 0;
}

static void hp_parse(const char *buf, size_t len, struct hp_result *r)
{
	static const http_parser_settings s = {
		.on_url = hp_url,
		.on_header_field = hp_field,
		.on_header_value = hp_value,
		.on_headers_complete = hp_headers_complete,
	};
	http_parser p;
	enum http_errno e;

	memset(r, 0, sizeof(*r));
	http_parser_init(&p, HTTP_REQUEST);
	p.data = r;
	http_parser_execute(&p, &s, buf, len);
	e = HTTP_PARSER_ERRNO(&p);
	if (r->done && (e == HPE_OK || e == HPE_PAUSED)) {
		r->out = ACCEPT;
	} else if (e != HPE_OK && e != HPE_PAUSED) {
		r->out = REJECT;
		r->err = http_errno_name(e);
	} else {
		r->out = INCOMPLETE;
	}
}

/* ---- expected disagreements ----------------------------------------------- */

/* The head: up to the first blank line (or all of it). */
static size_t head_len(const char *b, size_t n)
{
	size_t i;

	for (i = 0; i + 3 < n; i++)
		if (!memcmp(b + i, "\r\n\r\n", 4))
			return i + 4;
	return n;
}

/* A header line named @name (case-insensitive) appears at least @min times. */
static bool has_field(const char *b, size_t n, const char *name, int min)
{
	size_t nl = strlen(name), i;
	int count = 0;

	n = head_len(b, n);
	for (i = 0; i + nl < n; i++)
		if ((i == 0 || b[i - 1] == '\n') && !strncasecmp(b + i, name, nl) &&
		    (b[i + nl] == ':' || b[i + nl] == ' ' || b[i + nl] == '\t'))
			count++;
	return count >= min;
}

static bool obs_fold(const char *b, size_t n)
{
	size_t i;

	n = head_len(b, n);
	for (i = 0; i + 2 < n; i++)
		if (b[i] == '\n' && (b[i + 1] == ' ' || b[i + 1] == '\t') && i + 3 < n)
			return true;
	return false;
}

static bool bare_lf(const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r'))
			return true;
	return false;
}

static bool bare_cr(const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] == '\r' && (i + 1 == n || b[i + 1] != '\n'))
			return true;
	return false;
}

/* A byte a field or target must not hold: control (not HTAB), DEL. */
static bool ctl_byte(const char *b, size_t n)
{
	size_t i;

	n = head_len(b, n);
	for (i = 0; i < n; i++) {
		unsigned char c = b[i];

		if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f)
			return true;
	}
	return false;
}

static bool ws_before_colon(const char *b, size_t n)
{
	size_t i, j;

	n = head_len(b, n);
	for (i = 0; i < n; i++) {
		if (b[i] != '\n')
			continue;
		for (j = i + 1; j < n && b[j] != ':' && b[j] != '\r'; j++)
			if (b[j] == ' ' || b[j] == '\t')
				return true;
	}
	return false;
}

/* The request-line's version is not exactly HTTP/1.0 or HTTP/1.1. */
static bool odd_version(const char *b, size_t n)
{
	const char *nl = memchr(b, '\r', n);
	const char *sp;

	if (!nl)
		return true;
	sp = nl - 9 >= b ? nl - 9 : NULL;
	return !sp || *sp != ' ' ||
	       (memcmp(sp + 1, "HTTP/1.1", 8) && memcmp(sp + 1, "HTTP/1.0", 8));
}

static bool version_10(const char *b, size_t n)
{
	const char *nl = memchr(b, '\r', n);

	return nl && nl - 8 >= b && !memcmp(nl - 8, "HTTP/1.0", 8);
}

static bool target_has(const char *b, size_t n, const char *set)
{
	const char *sp = memchr(b, ' ', n), *end;

	if (!sp)
		return false;
	end = memchr(sp + 1, ' ', n - (sp + 1 - b));
	if (!end)
		return false;
	for (sp++; sp < end; sp++)
		if (strchr(set, *sp))
			return true;
	return false;
}

static bool target_not_origin(const char *b, size_t n)
{
	const char *sp = memchr(b, ' ', n);

	return sp && sp + 1 < b + n && sp[1] != '/';
}

/* Two spaces, a tab, or nothing where the request-line has one SP. */
static bool odd_request_line(const char *b, size_t n)
{
	const char *nl = memchr(b, '\r', n);
	int sp = 0;
	const char *p;

	if (!nl)
		return true;
	for (p = b; p < nl; p++) {
		if (*p == '\t')
			return true;
		if (*p == ' ') {
			if (p + 1 < nl && p[1] == ' ')
				return true;
			sp++;
		}
	}
	return sp != 2 || b[0] == ' ';
}

static bool te_not_plain_chunked(const char *b, size_t n)
{
	size_t i;

	n = head_len(b, n);
	for (i = 0; i + 18 < n; i++)
		if ((i == 0 || b[i - 1] == '\n') &&
		    !strncasecmp(b + i, "Transfer-Encoding:", 18)) {
			const char *v = b + i + 18;

			while (*v == ' ' || *v == '\t')
				v++;
			if (strncmp(v, "chunked\r\n", 9))
				return true;
		}
	return false;
}

static bool host_missing_or_bad(const char *b, size_t n)
{
	size_t i, j;

	if (!has_field(b, n, "Host", 1) || has_field(b, n, "Host", 2))
		return true;
	n = head_len(b, n);
	for (i = 0; i + 5 < n; i++)
		if ((i == 0 || b[i - 1] == '\n') && !strncasecmp(b + i, "Host:", 5)) {
			for (j = i + 5; j < n && b[j] == ' '; j++)
				;
			if (j < n && b[j] == '\r')
				return true;	/* empty */
			for (; j < n && b[j] != '\r'; j++)
				if (b[j] == '@' || b[j] == ' ' || b[j] == '\t')
					return true;
		}
	return false;
}

static bool cl_not_digits(const char *b, size_t n)
{
	size_t i, j, d;

	n = head_len(b, n);
	for (i = 0; i + 15 < n; i++)
		if ((i == 0 || b[i - 1] == '\n') &&
		    !strncasecmp(b + i, "Content-Length:", 15)) {
			for (j = i + 15; j < n && b[j] == ' '; j++)
				;
			for (d = 0; j < n && b[j] >= '0' && b[j] <= '9'; j++)
				d++;
			while (j < n && b[j] == ' ')
				j++;
			if (!d || d > 19 || b[j] != '\r')
				return true;
		}
	return false;
}

static bool expect_other(const char *b, size_t n)
{
	return has_field(b, n, "Expect", 1) && !memmem(b, n, "100-continue", 12);
}

static bool big_head(const char *b, size_t n)
{
	(void)b;
	return n > 8000;	/* near khttp's 8 KiB target / 16 KiB head limits */
}

static bool many_headers(const char *b, size_t n)
{
	size_t i, lines = 0;

	for (i = 0; i + 1 < n; i++)
		if (b[i] == '\r' && b[i + 1] == '\n')
			lines++;
	return lines > KHTTP_DEFAULT_MAX_HEADERS;
}

static bool high_bit(const char *b, size_t n)
{
	size_t i;

	n = head_len(b, n);
	for (i = 0; i < n; i++)
		if ((unsigned char)b[i] >= 0x80)
			return true;
	return false;
}

static bool cl_te(const char *b, size_t n)
{
	return has_field(b, n, "Content-Length", 1) &&
	       has_field(b, n, "Transfer-Encoding", 1);
}

static bool te_in_10(const char *b, size_t n)
{
	return version_10(b, n) && has_field(b, n, "Transfer-Encoding", 1);
}

/* The value of the first field named @name ("Name:"), NUL-terminated. */
static bool field_value(const char *b, size_t n, const char *name, char *out,
			size_t outsz)
{
	size_t nl = strlen(name), i, j, k = 0;

	n = head_len(b, n);
	for (i = 0; i + nl < n; i++)
		if ((i == 0 || b[i - 1] == '\n') && !strncasecmp(b + i, name, nl)) {
			for (j = i + nl; j < n && (b[j] == ' ' || b[j] == '\t'); j++)
				;
			for (; j < n && b[j] != '\r' && k + 1 < outsz; j++)
				out[k++] = b[j];
			out[k] = '\0';
			return true;
		}
	return false;
}

static bool cl_same_repeat(const char *b, size_t n);

static bool cl_repeated(const char *b, size_t n)
{
	char v[64];

	return (field_value(b, n, "Content-Length:", v, sizeof(v)) &&
		strchr(v, ',')) ||
	       (has_field(b, n, "Content-Length", 2) && !cl_same_repeat(b, n));
}

static bool cl_same_repeat(const char *b, size_t n)
{
	char v[64], w[64];
	size_t i, nl = 15, k;
	int count = 0;

	if (!field_value(b, n, "Content-Length:", v, sizeof(v)))
		return false;
	n = head_len(b, n);
	for (i = 0; i + nl < n; i++)
		if ((i == 0 || b[i - 1] == '\n') &&
		    !strncasecmp(b + i, "Content-Length:", nl)) {
			field_value(b + i, n - i, "Content-Length:", w, sizeof(w));
			if (strcmp(v, w))
				return false;
			count++;
		}
	for (k = 0; v[k]; k++)
		if (v[k] < '0' || v[k] > '9')
			return false;
	return count >= 2;
}

static bool cl_huge(const char *b, size_t n)
{
	char v[64];

	return field_value(b, n, "Content-Length:", v, sizeof(v)) &&
	       !strcmp(v, "18446744073709551615");
}

static bool dup_singleton(const char *b, size_t n)
{
	return has_field(b, n, "Range", 2) || has_field(b, n, "If-Range", 2) ||
	       has_field(b, n, "If-None-Match", 2) ||
	       has_field(b, n, "If-Modified-Since", 2);
}

static bool connect_origin(const char *b, size_t n)
{
	return n > 9 && !memcmp(b, "CONNECT /", 9);
}

/* Connection: a list holding "close" (http-parser sees only a lone token). */
static bool conn_close_in_list(const char *b, size_t n)
{
	char v[256];

	return field_value(b, n, "Connection:", v, sizeof(v)) &&
	       strchr(v, ',') && strcasestr(v, "close");
}

/* Transfer-Encoding "chunked," : an empty list element (RFC 9110 5.6.1). */
static bool te_empty_element(const char *b, size_t n)
{
	char v[256];

	return field_value(b, n, "Transfer-Encoding:", v, sizeof(v)) &&
	       strchr(v, ',');
}

static bool odd_target(const char *b, size_t n)
{
	return target_has(b, n, "#\\\"<>^`{|} ");
}

static bool unknown_method(const char *b, size_t n)
{
	static const char *const known[] = {
		"GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ",
		"PATCH ", "TRACE ", "CONNECT ",
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (n >= strlen(known[i]) && !memcmp(b, known[i], strlen(known[i])))
			return false;
	return true;
}

/*
 * The documented disagreements.  khttp_rejects: khttp refuses what
 * http-parser accepts (khttp stricter); otherwise the reverse.  A
 * disagreement is expected when some rule in its direction matches.
 */
static const struct rule {
	const char *why;
	bool khttp_rejects;
	bool (*match)(const char *b, size_t n);
} rules[] = {
	{ "khttp refuses obs-fold (RFC 9112 5.2)", true, obs_fold },
	{ "khttp refuses bare LF line ends", true, bare_lf },
	{ "khttp refuses bare CR", true, bare_cr },
	{ "khttp refuses control bytes and DEL in the head", true, ctl_byte },
	{ "khttp refuses 8-bit bytes in names and targets", true, high_bit },
	{ "khttp refuses whitespace before ':' or at a line start", true, ws_before_colon },
	{ "khttp refuses CL+TE (smuggling)", true, cl_te },
	{ "khttp refuses Transfer-Encoding in HTTP/1.0", true, te_in_10 },
	{ "khttp refuses codings other than a single final chunked (400/501)", true, te_not_plain_chunked },
	{ "khttp refuses a Content-Length list or differing repeats", true, cl_repeated },
	{ "khttp refuses repeated Range, If-Range, If-None-Match, If-Modified-Since", true, dup_singleton },
	{ "khttp requires authority-form for CONNECT", true, connect_origin },
	{ "khttp refuses Content-Length that is not 1-19 digits", true, cl_not_digits },
	{ "khttp answers 505 to versions other than 1.0 and 1.1", true, odd_version },
	{ "khttp refuses extra or missing SP/HTAB in the request-line", true, odd_request_line },
	{ "khttp refuses '#', '\\\\' and other non-RFC 3986 target bytes", true, odd_target },
	{ "khttp allows '*' only for OPTIONS, authority-form only for CONNECT, absolute-form only http(s) without userinfo", true, target_not_origin },
	{ "khttp answers 417 to an Expect other than 100-continue", true, expect_other },
	{ "khttp's limits (8 KiB target, 16 KiB head) are below http-parser's 80 KiB", true, big_head },
	{ "khttp allows 100 header lines", true, many_headers },
	{ "khttp requires exactly one valid Host in HTTP/1.1", true, host_missing_or_bad },
	{ "khttp parses any method token (answers 501 later); http-parser knows a fixed list", false, unknown_method },
	{ "khttp accepts identical repeated Content-Length (RFC 9110 8.6); http-parser refuses", false, cl_same_repeat },
	{ "Content-Length 2^64-1 is http-parser's own \"none\" marker (khttp answers 413 later)", false, cl_huge },
};


/*
 * Both accept, but a field differs, and khttp is the one following the RFC.
 * @field names the field compared.
 */
static const struct field_rule {
	const char *field;
	const char *why;
	bool (*match)(const char *b, size_t n);
} field_rules[] = {
	{ "keep-alive", "http-parser ignores 'close' inside a Connection list (RFC 9112 9.6)", conn_close_in_list },
	{ "chunked", "http-parser does not skip empty list elements in Transfer-Encoding (RFC 9110 5.6.1)", te_empty_element },
};

static const char *field_expected(const char *field, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(field_rules) / sizeof(field_rules[0]); i++)
		if (!strcmp(field_rules[i].field, field) && field_rules[i].match(b, n))
			return field_rules[i].why;
	return NULL;
}

static const char *expected(bool khttp_rejects, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (rules[i].khttp_rejects == khttp_rejects &&
		    rules[i].match(b, n))
			return rules[i].why;
	}
	return NULL;
}

/* ---- the comparison -------------------------------------------------------- */

static unsigned int agreed, documented;

static const enum http_method hp_methods[] = {
	[KHTTP_METHOD_GET] = HTTP_GET,
	[KHTTP_METHOD_HEAD] = HTTP_HEAD,
	[KHTTP_METHOD_POST] = HTTP_POST,
	[KHTTP_METHOD_PUT] = HTTP_PUT,
	[KHTTP_METHOD_DELETE] = HTTP_DELETE,
	[KHTTP_METHOD_OPTIONS] = HTTP_OPTIONS,
	[KHTTP_METHOD_PATCH] = HTTP_PATCH,
	[KHTTP_METHOD_TRACE] = HTTP_TRACE,
	[KHTTP_METHOD_CONNECT] = HTTP_CONNECT,
};

static void compare(const char *file, const char *b, size_t n)
{
	static struct hp_result hp;
	struct khttp_req r;
	enum outcome ko;
	const char *why, *m;
	int ret;

	khttp_req_init(&r, NULL);
	ret = khttp_parse(&r, b, n);
	ko = ret == KHTTP_DONE ? ACCEPT : ret == KHTTP_ERROR ? REJECT : INCOMPLETE;
	hp_parse(b, n, &hp);

	if (ko != hp.out) {
		/* An incomplete head is only an earlier or later refusal. */
		bool krej = ko == REJECT || (ko == INCOMPLETE && hp.out == ACCEPT);

		why = expected(krej, b, n);
		if (why) {
			documented++;
			result(true, file, "expected: khttp %s (%u), http-parser %s (%s): %s",
			       oname[ko], ko == REJECT ? r.status : 0,
			       oname[hp.out], hp.err ? hp.err : "-", why);
		} else {
			result(false, file, "khttp %s (%u), http-parser %s (%s), no documented reason",
			       oname[ko], ko == REJECT ? r.status : 0,
			       oname[hp.out], hp.err ? hp.err : "-");
		}
		return;
	}
	if (ko != ACCEPT) {
		agreed++;
		result(true, file, NULL);
		return;
	}
	/* Both parsed the head: the fields must agree. */
	if (r.method != KHTTP_METHOD_OTHER) {
		if (hp_methods[r.method] != hp.method)
			return result(false, file, "method %.*s vs %s",
				      (int)r.method_span.len, b + r.method_span.off,
				      http_method_str(hp.method));
	} else {
		m = http_method_str(hp.method);
		if (strlen(m) != r.method_span.len ||
		    memcmp(m, b + r.method_span.off, r.method_span.len))
			return result(false, file, "method %.*s vs %s",
				      (int)r.method_span.len, b + r.method_span.off, m);
	}
	if (r.target.len != hp.urllen || memcmp(b + r.target.off, hp.url, hp.urllen))
		return result(false, file, "target '%.*s' vs '%.*s'",
			      (int)r.target.len, b + r.target.off,
			      (int)hp.urllen, hp.url);
	if (r.version != hp.major * 10 + hp.minor)
		return result(false, file, "version %u vs %u.%u", r.version,
			      hp.major, hp.minor);
	if (r.nheaders != hp.nheaders)
		return result(false, file, "header count %u vs %u", r.nheaders,
			      hp.nheaders);
	if (r.chunked != hp.chunked) {
		why = field_expected("chunked", b, n);
		if (why) {
			documented++;
			return result(true, file, "expected: chunked %d vs %d: %s",
				      r.chunked, hp.chunked, why);
		}
		return result(false, file, "chunked %d vs %d", r.chunked, hp.chunked);
	}
	if (!r.chunked && (r.has_cl != hp.has_cl ||
			   (r.has_cl && r.content_length != hp.cl)))
		return result(false, file, "content-length %d/%llu vs %d/%llu",
			      r.has_cl, (unsigned long long)r.content_length,
			      hp.has_cl, (unsigned long long)hp.cl);
	if (r.keep_alive == hp.keep_alive)
		agreed++;
	if (r.keep_alive != hp.keep_alive) {
		why = field_expected("keep-alive", b, n);
		if (why) {
			documented++;
			return result(true, file, "expected: keep-alive %d vs %d: %s",
				      r.keep_alive, hp.keep_alive, why);
		}
		return result(false, file, "keep-alive %d vs %d", r.keep_alive,
			      hp.keep_alive);
	}
	result(true, file, NULL);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : CORPUS_DIR;
	char path[4096], **names = NULL, *buf;
	size_t n = 0, cap = 0, i, len;
	struct dirent *de;
	FILE *f;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		printf("not ok diff/corpus: cannot open %s\n", dir);
		return 1;
	}
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "req-", 4) &&
		    strncmp(de->d_name, "hostile-", 8))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				return 3;
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	buf = malloc(1 << 20);
	if (!buf)
		return 3;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "rb");
		if (!f) {
			result(false, names[i], "cannot read");
			continue;
		}
		len = fread(buf, 1, 1 << 20, f);
		fclose(f);
		compare(names[i], buf, len);
		free(names[i]);
	}
	free(names);
	free(buf);
	printf("differential: %u inputs, %u agree, %u documented disagreements, %u failed\n",
	       passed + failed, agreed, documented, failed);
	return failed ? 1 : 0;
}
