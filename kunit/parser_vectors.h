/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test vectors for kmod/parser.c and the checkers that run them, shared by
 * the KUnit suite (kunit/parser_test.c) and the userspace test
 * (userspace/tests/test_parser.c) so both test exactly the same things.
 *
 * Include after parser.h.  Checkers return NULL on success or a static
 * message, and report the split offset that failed through *at.
 */
#ifndef KHTTP_PARSER_VECTORS_H
#define KHTTP_PARSER_VECTORS_H

#ifndef __KERNEL__
/* Tables below leave trailing fields zero on purpose (as kernel builds do). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif

/*
 * A test input is prefix + rep * nrep + suffix, so that large inputs (long
 * targets, many headers) need no huge literals.  len overrides strlen() for
 * inputs holding a NUL.
 */
struct pv_input {
	const char *prefix;
	u32 len;
	const char *rep;
	u32 nrep;
	const char *suffix;
};

/* Request-head vector.  On DONE every result field below is compared. */
struct pv_req {
	const char *name;
	struct pv_input in;
	u32 max_head;		/* 0: default */
	int ret;		/* KHTTP_DONE, KHTTP_ERROR or KHTTP_NEED_MORE */
	u16 status;		/* on KHTTP_ERROR */
	enum khttp_method method;
	enum khttp_target_form form;
	u8 version;
	bool ka;
	bool chunked;
	bool has_cl;
	u64 cl;
	bool expect_continue;
	bool auth;
	bool cookie;
	const char *path;	/* NULL: not checked */
	const char *query;	/* NULL: there must be no '?' */
	const char *host;	/* NULL: not checked */
	const char *inm;	/* conditional fields; NULL: must be absent */
	const char *ims;
	const char *range;
	const char *if_range;
	u32 nheaders;		/* 0: not checked */
	u32 tail;		/* bytes after the head (pipelined/body) */
	const char *next_path;	/* parse the tail as a request, check path */
};

#define H11 " HTTP/1.1\r\nHost: h\r\n"
/* a literal holding a NUL: give its length explicitly */
#define LIT(s) { .prefix = s, .len = sizeof(s) - 1 }

static const struct pv_req pv_reqs[] = {
	/* valid */
	{ "get_simple", { "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 11, .ka = 1,
	  .path = "/index.html", .host = "example.com", .nheaders = 1 },
	{ "get_query", { "GET /a/b?x=1&y=2" H11 "\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_GET, .version = 11, .ka = 1, .path = "/a/b",
	  .query = "x=1&y=2", .host = "h" },
	{ "get_empty_query", { "GET /a?" H11 "\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_GET, .version = 11, .ka = 1, .path = "/a",
	  .query = "" },
	{ "get_query_qmark", { "GET /a?b?c" H11 "\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_GET, .version = 11, .ka = 1, .path = "/a",
	  .query = "b?c" },
	{ "head", { "HEAD /x" H11 "\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_HEAD, .version = 11, .ka = 1, .path = "/x" },
	{ "post_cl", { "POST /form" H11 "Content-Length: 5\r\n\r\nhello" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_POST, .version = 11,
	  .ka = 1, .has_cl = 1, .cl = 5, .path = "/form", .nheaders = 2,
	  .tail = 5 },
	{ "post_cl_zero", { "POST /" H11 "Content-Length: 0\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_POST, .version = 11,
	  .ka = 1, .has_cl = 1, .cl = 0 },
	{ "post_chunked",
	  { "POST /up" H11 "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_POST, .version = 11,
	  .ka = 1, .chunked = 1, .path = "/up", .tail = 15 },
	{ "te_chunked_case_ows", { "PUT /" H11 "transfer-encoding:\t CHUNKED \r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_PUT, .version = 11,
	  .ka = 1, .chunked = 1 },
	{ "pipelined", { "GET /1" H11 "\r\nGET /2" H11 "\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 11,
	  .ka = 1, .path = "/1", .tail = sizeof("GET /2" H11 "\r\n") - 1, .next_path = "/2" },
	{ "pipelined_crlf", { "GET /1" H11 "\r\n\r\nGET /2" H11 "\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 11,
	  .ka = 1, .path = "/1", .tail = sizeof("\r\nGET /2" H11 "\r\n") - 1,
	  .next_path = "/2" },
	{ "http10", { "GET / HTTP/1.0\r\n\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_GET, .version = 10, .ka = 0, .path = "/" },
	{ "http10_keepalive",
	  { "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 10,
	  .ka = 1, .host = "h", .nheaders = 2 },
	{ "http10_ka_close",
	  { "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 10 },
	{ "http11_close", { "GET /" H11 "Connection: close\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 11 },
	{ "http11_conn_list", { "GET /" H11 "Connection: Upgrade ,, CLOSE\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 11 },
	{ "http11_conn_closed", { "GET /" H11 "Connection: closed\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 11,
	  .ka = 1 },
	{ "absolute", { "GET http://example.com:8080/p/q?z HTTP/1.1\r\nHost: other\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET,
	  .form = KHTTP_FORM_ABSOLUTE, .version = 11, .ka = 1, .path = "/p/q",
	  .query = "z", .host = "example.com:8080" },
	{ "absolute_https_nopath", { "GET HTTPS://h.example HTTP/1.1\r\nHost: x\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET,
	  .form = KHTTP_FORM_ABSOLUTE, .version = 11, .ka = 1, .path = "",
	  .host = "h.example" },
	{ "absolute_ipv6", { "GET http://[::1]:80/ HTTP/1.1\r\nHost: x\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET,
	  .form = KHTTP_FORM_ABSOLUTE, .version = 11, .ka = 1, .path = "/",
	  .host = "[::1]:80" },
	{ "absolute_userinfo", { "GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "absolute_empty_host", { "GET http:///x HTTP/1.1\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "absolute_ftp", { "GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "options_star", { "OPTIONS *" H11 "\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_OPTIONS, .form = KHTTP_FORM_ASTERISK,
	  .version = 11, .ka = 1, .host = "h" },
	{ "get_star", { "GET *" H11 "\r\n" }, .ret = KHTTP_ERROR, .status = 400 },
	{ "connect", { "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_CONNECT,
	  .form = KHTTP_FORM_AUTHORITY, .version = 11, .ka = 1,
	  .host = "example.com:443" },
	{ "connect_origin", { "CONNECT /" H11 "\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "connect_noport", { "CONNECT h:" H11 "\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "authority_not_connect", { "GET h:80" H11 "\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "leading_crlf", { "\r\n\r\nGET /" H11 "\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_GET, .version = 11, .ka = 1, .path = "/" },
	{ "value_ows_trim", { "GET / HTTP/1.1\r\nHost: \t h \t\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 11,
	  .ka = 1, .host = "h" },
	{ "host_empty", { "GET / HTTP/1.1\r\nHost:\r\n\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_GET, .version = 11, .ka = 1, .host = "" },
	{ "conditionals",
	  { "GET /c" H11 "If-None-Match: \"abc\", W/\"x\"\r\n"
	    "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	    "Range: bytes=0-9\r\nIf-Range: \"abc\"\r\nAuthorization: Basic eA==\r\n"
	    "Cookie: a=b\r\nExpect: 100-Continue\r\nX-Other: 1\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 11,
	  .ka = 1, .expect_continue = 1, .auth = 1, .cookie = 1, .path = "/c",
	  .inm = "\"abc\", W/\"x\"", .ims = "Sun, 06 Nov 1994 08:49:37 GMT",
	  .range = "bytes=0-9", .if_range = "\"abc\"", .nheaders = 9 },
	{ "expect_other", { "GET /" H11 "Expect: teapot\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 417 },
	{ "expect_http10", { "POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_POST, .version = 10 },
	{ "value_htab_obstext", { "GET /" H11 "X: a\tb \xc3\xa9\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 11,
	  .ka = 1 },
	{ "unknown_method", { "BREW /pot" H11 "\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_OTHER, .version = 11, .ka = 1, .path = "/pot" },
	{ "lowercase_get", { "get /" H11 "\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_OTHER, .version = 11, .ka = 1 },
	{ "all_methods_delete", { "DELETE /" H11 "\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_DELETE, .version = 11, .ka = 1 },
	{ "all_methods_patch", { "PATCH /" H11 "\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_PATCH, .version = 11, .ka = 1 },
	{ "all_methods_trace", { "TRACE /" H11 "\r\n" }, .ret = KHTTP_DONE,
	  .method = KHTTP_METHOD_TRACE, .version = 11, .ka = 1 },
	{ "incomplete", { "GET / HTTP/1.1\r\nHost: h\r\n" },
	  .ret = KHTTP_NEED_MORE },
	{ "incomplete_cr", { "GET / HTTP/1.1\r" }, .ret = KHTTP_NEED_MORE },
	{ "cl_dup_same", { "POST /" H11 "Content-Length: 5\r\nContent-Length: 5\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_POST, .version = 11,
	  .ka = 1, .has_cl = 1, .cl = 5 },
	{ "cl_max", { "POST /" H11 "Content-Length: 18446744073709551615\r\n\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_POST, .version = 11,
	  .ka = 1, .has_cl = 1, .cl = 18446744073709551615ULL },

	/* hostile */
	{ "cl_te", { "POST /" H11 "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "te_cl", { "POST /" H11 "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "cl_dup_differ", { "POST /" H11 "Content-Length: 5\r\nContent-Length: 6\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "cl_plus", { "POST /" H11 "Content-Length: +5\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "cl_minus", { "POST /" H11 "Content-Length: -1\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "cl_inner_space", { "POST /" H11 "Content-Length: 5 5\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "cl_hex", { "POST /" H11 "Content-Length: 0x5\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "cl_overflow", { "POST /" H11 "Content-Length: 18446744073709551616\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "cl_list", { "POST /" H11 "Content-Length: 5, 5\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "cl_empty", { "POST /" H11 "Content-Length:\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "te_gzip", { "POST /" H11 "Transfer-Encoding: gzip\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 501 },
	{ "te_identity", { "POST /" H11 "Transfer-Encoding: identity\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 501 },
	{ "te_gzip_chunked", { "POST /" H11 "Transfer-Encoding: gzip, chunked\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 501 },
	{ "te_chunked_gzip", { "POST /" H11 "Transfer-Encoding: chunked, gzip\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 501 },
	{ "te_two_lines", { "POST /" H11 "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 501 },
	{ "te_chunked_chunked", { "POST /" H11 "Transfer-Encoding: chunked, chunked\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "te_empty", { "POST /" H11 "Transfer-Encoding: \r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "te_http10", { "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "obs_fold", { "GET /" H11 "X: a\r\n b\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "obs_fold_tab", { "GET /" H11 "X: a\r\n\tb\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ws_first_header", { "GET / HTTP/1.1\r\n Host: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "bare_cr_header", { "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "bare_cr_reqline", { "GET /\r HTTP/1.1\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "bare_lf", { "GET / HTTP/1.1\nHost: h\n\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "bare_lf_end", { "GET /" H11 "\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "lf_cr", { "GET /" H11 "\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "space_before_colon", { "GET / HTTP/1.1\r\nHost : h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "tab_before_colon", { "GET /" H11 "X\t: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "empty_name", { "GET /" H11 ": x\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "no_colon", { "GET /" H11 "X-Foo\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "name_badchar", { "GET /" H11 "X(y): z\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "nul_value", LIT("GET /" H11 "X: a\0b\r\n\r\n"),
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "del_value", { "GET /" H11 "X: a\177b\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ctl_value", { "GET /" H11 "X: a\001b\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "nul_target", LIT("GET /a\0b" H11 "\r\n"), .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "ctl_target", { "GET /a\x01" H11 "\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "del_target", { "GET /a\x7f" H11 "\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "nonascii_target", { "GET /\xc3\xa9" H11 "\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "fragment_target", { "GET /a#b" H11 "\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "double_space", { "GET  /" H11 "\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "trailing_space", { "GET / HTTP/1.1 \r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "version_junk", { "GET / HTTP/1.1 junk\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "leading_space", { " GET /" H11 "\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "tab_separator", { "GET\t/" H11 "\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "http09", { "GET /\r\n\r\n" }, .ret = KHTTP_ERROR, .status = 400 },
	{ "empty_target", { "GET " H11 "\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "method_badchar", { "GE(T /" H11 "\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "http20", { "GET / HTTP/2.0\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 505 },
	{ "http12", { "GET / HTTP/1.2\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 505 },
	{ "http09_version", { "GET / HTTP/0.9\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 505 },
	{ "http110", { "GET / HTTP/1.10\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "http_lower", { "GET / http/1.1\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "http_short", { "GET / HTTP/1\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "http_letters", { "GET / HTTP/a.b\r\nHost: h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "missing_host", { "GET / HTTP/1.1\r\nX: y\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "two_hosts", { "GET /" H11 "Host: h\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "host_space", { "GET / HTTP/1.1\r\nHost: a b\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "host_userinfo", { "GET / HTTP/1.1\r\nHost: u@h\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "two_inm", { "GET /" H11 "If-None-Match: a\r\nIf-None-Match: b\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "two_ranges", { "GET /" H11 "Range: bytes=0-1\r\nRange: bytes=2-3\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },

	/* limits */
	{ "target_8192", { "GET /", 0, "a", 8191, H11 "\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 11,
	  .ka = 1 },
	{ "target_8193", { "GET /", 0, "a", 8192, H11 "\r\n" },
	  .ret = KHTTP_ERROR, .status = 414 },
	{ "target_endless", { "GET /", 0, "a", 12000, "" },
	  .ret = KHTTP_ERROR, .status = 414 },
	{ "headers_100", { "GET /" H11, 0, "X: y\r\n", 99, "\r\n" },
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 11,
	  .ka = 1, .nheaders = 100 },
	{ "headers_101", { "GET /" H11, 0, "X: y\r\n", 100, "\r\n" },
	  .ret = KHTTP_ERROR, .status = 431 },
	{ "head_oversize", { "GET /" H11 "X: ", 0, "a", 17000, "\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 431 },
	{ "head_exact_fit", { "GET /" H11 "\r\n" }, .max_head = 27,
	  .ret = KHTTP_DONE, .method = KHTTP_METHOD_GET, .version = 11,
	  .ka = 1 },
	{ "head_one_over", { "GET /" H11 "\r\n" }, .max_head = 26,
	  .ret = KHTTP_ERROR, .status = 431 },
	{ "head_cr_at_limit", { "GET /" H11 "\r\n" }, .max_head = 25,
	  .ret = KHTTP_ERROR, .status = 431 },
	{ "head_small_limit", { "GET /" H11 "X: ", 0, "a", 100, "\r\n\r\n" },
	  .max_head = 64, .ret = KHTTP_ERROR, .status = 431 },
	{ "crlf_flood", { "", 0, "\r\n", 9000, "GET /" H11 "\r\n" },
	  .ret = KHTTP_ERROR, .status = 431 },
};

/* Chunked-body vector: decode the whole input, compare body and status. */
struct pv_chunk {
	const char *name;
	struct pv_input in;
	u64 max_body;
	int ret;
	u16 status;
	const char *body;	/* decoded bytes expected (NULL: not checked) */
	u32 body_len;		/* 0: strlen(body) */
	u32 tail;		/* bytes after the body left unconsumed */
};

static const struct pv_chunk pv_chunks[] = {
	{ "simple", { "5\r\nhello\r\n0\r\n\r\n" }, .ret = KHTTP_DONE,
	  .body = "hello" },
	{ "two_chunks", { "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello world" },
	{ "hex_case", { "A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "0123456789abcdefghij" },
	{ "leading_zeros", { "0005\r\nhello\r\n000\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "empty_body", { "0\r\n\r\n" }, .ret = KHTTP_DONE, .body = "" },
	{ "chunk_ext", { "5;name=val;x=\"q s\"\r\nhello\r\n0;last\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "chunk_ext_bws", { "5 \t;a\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "trailers", { "5\r\nhello\r\n0\r\nX-T: a\r\nY:b\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "pipelined", { "3\r\nabc\r\n0\r\n\r\nGET /" }, .ret = KHTTP_DONE,
	  .body = "abc", .tail = 5 },
	{ "binary_data", LIT("4\r\n\r\n\0\n\r\n0\r\n\r\n"), .ret = KHTTP_DONE,
	  .body = "\r\n\0\n", .body_len = 4 },
	{ "big_chunk", { "1000\r\n", 0, "x", 4096, "\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE },
	{ "incomplete", { "5\r\nhel" }, .ret = KHTTP_NEED_MORE, .body = "hel" },
	{ "incomplete_trailer", { "0\r\nX: y\r\n" }, .ret = KHTTP_NEED_MORE,
	  .body = "" },
	{ "max_body_exact", { "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n" },
	  .max_body = 10, .ret = KHTTP_DONE, .body = "helloworld" },
	{ "size_overflow", { "ffffffffffffffffff\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "size_17_digits", { "00000000000000005\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "size_u64_max", { "ffffffffffffffff\r\n" }, .max_body = 1 << 20,
	  .ret = KHTTP_ERROR, .status = 413 },
	{ "too_big", { "b\r\nhello world\r\n0\r\n\r\n" }, .max_body = 10,
	  .ret = KHTTP_ERROR, .status = 413 },
	{ "too_big_sum", { "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n" },
	  .max_body = 10, .ret = KHTTP_ERROR, .status = 413 },
	{ "no_crlf_after_data", { "5\r\nhelloX\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "lf_after_data", { "5\r\nhello\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "non_hex", { "g\r\n" }, .ret = KHTTP_ERROR, .status = 400 },
	{ "empty_size", { "\r\nhello\r\n" }, .ret = KHTTP_ERROR, .status = 400 },
	{ "negative_size", { "-5\r\n" }, .ret = KHTTP_ERROR, .status = 400 },
	{ "hex_prefix", { "0x5\r\nhello\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "space_before_crlf", { "5 \r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "leading_space", { " 5\r\nhello\r\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "bare_lf_size", { "5\nhello\r\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "bare_cr_size", { "5\rhello\r\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	/* chunk-ext grammar (RFC 9112 7.1.1) */
	{ "ext_name_only", { "5;a\r\nhello\r\n0\r\n\r\n" }, .ret = KHTTP_DONE,
	  .body = "hello" },
	{ "ext_token_val", { "5;a=b\r\nhello\r\n0\r\n\r\n" }, .ret = KHTTP_DONE,
	  .body = "hello" },
	{ "ext_quoted_escape", { "5;a=\"q \\\" x\"\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "ext_quoted_empty", { "5;a=\"\"\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "ext_quoted_semi", { "5;a=\";b=c\\\\\";d\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "ext_many", { "5;a;b=c;d=\"e\"\r\nhello\r\n0;z=9\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "ext_bws_all", { "5 ; a \t= \"x\" ; b = c;d\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "ext_tchars", { "5;!#$%&'*+-.^_`|~09azAZ=!#$%&'*+-.^_`|~\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "ext_obs_text_quoted", { "5;a=\"\xe9\"\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "ext_empty", { "2;\r\nhi\r\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "ext_empty_last", { "0;\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "ext_empty_name", { "5;=b\r\nhello\r\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "ext_double_semi", { "5;a;;b\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_trailing_semi", { "5;a;\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_empty_val", { "5;a=\r\nhello\r\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "ext_empty_val_semi", { "5;a=;b\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_two_eq", { "5;a==b\r\nhello\r\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "ext_val_eq", { "5;a=b=c\r\nhello\r\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "ext_name_bad_char", { "5;a/b\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_name_quoted", { "5;\"a\"\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_val_bad_char", { "5;a=b,c\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_name_space_name", { "5;a b\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_val_space_val", { "5;a=b c\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_ws_before_crlf", { "5;a \r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_val_ws_before_crlf", { "5;a=b\t\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_after_quote", { "5;a=\"b\"c\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_val_half_quoted", { "5;a=b\"c\"\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_unterminated", { "5;a=\"b\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_unterminated_escape", { "5;a=\"b\\\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_quoted_lf", { "5;a=\"b\nc\"\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_quoted_cr", { "5;a=\"b\rc\"\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_quoted_nul", LIT("5;a=\"b\0\"\r\nhello\r\n0\r\n\r\n"),
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_quoted_del", { "5;a=\"\x7f\"\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_qpair_ctl", { "5;a=\"\\\x01\"\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_bare_lf", { "5;a\nhello\r\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "ext_bare_cr", { "5;a\rhello\r\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "ext_obs_text_name", { "5;\xe9\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_no_semi", { "5 a\r\nhello\r\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "ext_bws_flood", { "5", 0, " ", 2000, ";a\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_max_plus_one", { "5;", 0, "a", 1024, "\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_quoted_too_long", { "5;a=\"", 0, "x", 1100, "\"\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_too_long_total", { "5", 0, ";a=b", 257, "\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_many_under_max", { "5", 0, ";a=b", 256, "\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "ext_ctl", { "5;a\x01\r\nhello\r\n0\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "ext_too_long", { "5;", 0, "a", 1025, "\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 400 },
	{ "ext_max", { "5;", 0, "a", 1023, "\r\nhello\r\n0\r\n\r\n" },
	  .ret = KHTTP_DONE, .body = "hello" },
	{ "trailer_obs_fold", { "0\r\nX: a\r\n b\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "trailer_no_colon", { "0\r\nXa\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "trailer_space_colon", { "0\r\nX : a\r\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "trailer_nul", LIT("0\r\nX: a\0\r\n\r\n"), .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "trailer_bare_lf", { "0\r\nX: a\n\r\n" }, .ret = KHTTP_ERROR,
	  .status = 400 },
	{ "final_bare_lf", { "0\r\n\n" }, .ret = KHTTP_ERROR, .status = 400 },
	{ "trailer_too_big", { "0\r\nX: ", 0, "a", 9000, "\r\n\r\n" },
	  .ret = KHTTP_ERROR, .status = 431 },
};

struct pv_path {
	const char *in;
	const char *out;	/* NULL: expect error */
	int err;
};

static const struct pv_path pv_paths[] = {
	{ "/", "/" },
	{ "", "/" },
	{ "/index.html", "/index.html" },
	{ "/a/./b/../c", "/a/c" },
	{ "/a/b/..", "/a/" },
	{ "/a/b/../", "/a/" },
	{ "/a/.", "/a/" },
	{ "/./a", "/a" },
	{ "/a/./../b", "/b" },
	{ "/a/..", "/" },
	{ "/..", NULL, -EPERM },
	{ "/../a", NULL, -EPERM },
	{ "/a/../..", NULL, -EPERM },
	{ "/a/../../b", NULL, -EPERM },
	{ "/%2e%2e/etc/passwd", NULL, -EPERM },
	{ "/%2E./x", NULL, -EPERM },
	{ "/a/%2e", "/a/" },
	{ "/a%00b", NULL, -EINVAL },
	{ "/a%2fb", NULL, -EINVAL },
	{ "/a%2Fb", NULL, -EINVAL },
	{ "/a%5cb", NULL, -EINVAL },
	{ "/a\\b", NULL, -EINVAL },
	{ "/a%0ab", NULL, -EINVAL },
	{ "/a%7f", NULL, -EINVAL },
	{ "/a%", NULL, -EINVAL },
	{ "/a%4", NULL, -EINVAL },
	{ "/a%zz", NULL, -EINVAL },
	{ "/a%4g", NULL, -EINVAL },
	{ "a/b", NULL, -EINVAL },
	{ "//x///y", "/x/y" },
	{ "//x///y//", "/x/y/" },
	{ "//..", NULL, -EPERM },
	{ "/%41", "/A" },
	{ "/%c3%a9", "/\xc3\xa9" },
	{ "/a b+c", "/a b+c" },
	{ "/...", "/..." },
	{ "/..a/b..", "/..a/b.." },
	{ "/a/b/c/../../d", "/a/d" },
	{ "/a//..//b", "/b" },
};

struct pv_date {
	const char *s;
	int err;
	u64 secs;
	bool fmt;	/* khttp_http_date(secs) must print s back */
};

static const struct pv_date pv_dates[] = {
	{ "Sun, 06 Nov 1994 08:49:37 GMT", 0, 784111777, 1 },
	{ "Sunday, 06-Nov-94 08:49:37 GMT", 0, 784111777 },
	{ "Sun Nov  6 08:49:37 1994", 0, 784111777 },
	{ "Sun Nov 16 08:49:37 1994", 0, 784975777 },
	{ "Thu, 01 Jan 1970 00:00:00 GMT", 0, 0, 1 },
	{ "Tue, 29 Feb 2000 12:00:00 GMT", 0, 951825600, 1 },
	{ "Thu, 29 Feb 2024 23:59:59 GMT", 0, 1709251199, 1 },
	{ "Tue, 19 Jan 2038 03:14:08 GMT", 0, 2147483648ULL, 1 },
	{ "Tue, 14 Nov 2023 22:13:20 GMT", 0, 1700000000, 1 },
	{ "Fri, 01 Jan 2100 00:00:00 GMT", 0, 4102444800ULL, 1 },
	{ "Fri, 31 Dec 9999 23:59:59 GMT", 0, 253402300799ULL, 1 },
	{ "Thursday, 01-Jan-70 00:00:00 GMT", 0, 0 },
	{ "Tuesday, 14-Nov-23 22:13:20 GMT", 0, 1700000000 },
	{ "Thu, 29 Feb 2001 00:00:00 GMT", -EINVAL },
	{ "Sat, 29 Feb 1900 00:00:00 GMT", -EINVAL },
	{ "Wed, 31 Dec 1969 23:59:59 GMT", -EINVAL },
	{ "Sun, 06 Nov 1994 08:49:37 UTC", -EINVAL },
	{ "sun, 06 Nov 1994 08:49:37 GMT", -EINVAL },
	{ "Sun, 6 Nov 1994 08:49:37 GMT", -EINVAL },
	{ "Sun, 06 Nov 1994 08:49:37 GMT ", -EINVAL },
	{ "Sun, 06 Nov 1994 24:00:00 GMT", -EINVAL },
	{ "Sun, 06 Nov 1994 23:60:00 GMT", -EINVAL },
	{ "Sun, 06 Nov 1994 23:00:60 GMT", -EINVAL },
	{ "Sun, 00 Nov 1994 08:49:37 GMT", -EINVAL },
	{ "Sun, 31 Nov 1994 08:49:37 GMT", -EINVAL },
	{ "Sun, 06 Foo 1994 08:49:37 GMT", -EINVAL },
	{ "Sun, 06 Nov 1994 08:49:37", -EINVAL },
	{ "Sun Nov 6 08:49:37 1994", -EINVAL },
	{ "Xyz, 06 Nov 1994 08:49:37 GMT", -EINVAL },
	{ "", -EINVAL },
	{ "Sun", -EINVAL },
};

struct pv_range {
	const char *v;
	u64 size;
	enum khttp_range_result res;
	u64 start, end;
};

static const struct pv_range pv_ranges[] = {
	{ "bytes=0-0", 100, KHTTP_RANGE_OK, 0, 0 },
	{ "bytes=0-99", 100, KHTTP_RANGE_OK, 0, 99 },
	{ "bytes=-1", 100, KHTTP_RANGE_OK, 99, 99 },
	{ "bytes=5-", 100, KHTTP_RANGE_OK, 5, 99 },
	{ "bytes=99-200", 100, KHTTP_RANGE_OK, 99, 99 },
	{ "bytes=-200", 100, KHTTP_RANGE_OK, 0, 99 },
	{ "BYTES=1-2", 100, KHTTP_RANGE_OK, 1, 2 },
	{ "bytes= 1-2 ", 100, KHTTP_RANGE_OK, 1, 2 },
	{ "bytes=0-18446744073709551615", 100, KHTTP_RANGE_OK, 0, 99 },
	{ "bytes=10-5", 100, KHTTP_RANGE_IGNORE },
	{ "bytes=100-", 100, KHTTP_RANGE_UNSATISFIABLE },
	{ "bytes=100-200", 100, KHTTP_RANGE_UNSATISFIABLE },
	{ "bytes=-0", 100, KHTTP_RANGE_UNSATISFIABLE },
	{ "bytes=0-", 0, KHTTP_RANGE_UNSATISFIABLE },
	{ "bytes=-5", 0, KHTTP_RANGE_UNSATISFIABLE },
	{ "bytes=0-1,5-6", 100, KHTTP_RANGE_IGNORE },
	{ "bytes=0-1,", 100, KHTTP_RANGE_IGNORE },
	{ "items=0-1", 100, KHTTP_RANGE_IGNORE },
	{ "bytes", 100, KHTTP_RANGE_IGNORE },
	{ "bytes=", 100, KHTTP_RANGE_IGNORE },
	{ "bytes=-", 100, KHTTP_RANGE_IGNORE },
	{ "bytes=a-b", 100, KHTTP_RANGE_IGNORE },
	{ "bytes=1 -2", 100, KHTTP_RANGE_IGNORE },
	{ "bytes=1-2x", 100, KHTTP_RANGE_IGNORE },
	{ "bytes=+1-2", 100, KHTTP_RANGE_IGNORE },
	{ "bytes=18446744073709551616-", 100, KHTTP_RANGE_IGNORE },
	{ "bytes=--5", 100, KHTTP_RANGE_IGNORE },
};

/* Accept-Encoding: what khttp_accept_encoding() makes of it. */
#define AE_G	KHTTP_AE_GZIP
#define AE_B	KHTTP_AE_BR
#define AE_GB	(KHTTP_AE_GZIP | KHTTP_AE_BR)
#define AE_GF	(KHTTP_AE_GZIP | KHTTP_AE_BR | KHTTP_AE_GZIP_FIRST)
struct pv_aenc {
	const char *v;
	u8 want;
};

static const struct pv_aenc pv_aencs[] = {
	{ "", 0 },
	{ "gzip", AE_G },
	{ "br", AE_B },
	{ "gzip, br", AE_GB },
	{ "br,gzip", AE_GB },
	{ "gzip, deflate, br, zstd", AE_GB },
	{ "GZip;Q=1", AE_G },
	{ "x-gzip", AE_G },
	{ "gzip;q=0", 0 },
	{ "gzip;q=0.000", 0 },
	{ "gzip ; q=0 , br", AE_B },
	{ "gzip;q=0.001", AE_G },
	{ "gzip;q=1.000", AE_G },
	{ "gzip;q=0.5, br;q=0.4", AE_GF },
	{ "gzip;q=0.5, br;q=0.5", AE_GB },
	{ "gzip;q=0.4, br;q=0.5", AE_GB },
	{ "*", AE_GB },
	{ "*;q=0", 0 },
	{ "gzip;q=0, *", AE_B },
	{ "*, br;q=0", AE_G },
	{ "*;q=0.5, gzip", AE_GF },
	{ "identity", 0 },
	{ "identity;q=0", 0 },
	{ "deflate, compress", 0 },
	{ "gzipx, xbr, gzi", 0 },
	{ "gzip;q=2", 0 },		/* malformed qvalues: as if absent */
	{ "gzip;q=1.5", 0 },
	{ "gzip;q=0.0001", 0 },
	{ "gzip;q=", 0 },
	{ "gzip;q=.5", 0 },
	{ "gzip;q", 0 },
	{ "gzip;q=0.5x, br", AE_B },
	{ "gzip junk", 0 },
	{ "gzip;level=9", AE_G },	/* other parameters ignored */
	{ "gzip;q=0, gzip", 0 },	/* the first mention counts */
	{ "gzip, gzip;q=0", AE_G },
	{ ",,, gzip ,,", AE_G },
	{ ";q=1, br", AE_B },
	{ "br;q=0.9, gzip;q=0.8, *;q=0", AE_GB },
};

/* Checkers */

static u32 pv_input_len(const struct pv_input *in)
{
	u32 n = in->len ? in->len : strlen(in->prefix);

	if (in->rep)
		n += strlen(in->rep) * in->nrep;
	if (in->suffix)
		n += strlen(in->suffix);
	return n;
}

/* Build the input into a fresh exact-size buffer, so overreads trap. */
static char *pv_input_build(const struct pv_input *in, u32 *lenp)
{
	u32 n = pv_input_len(in), o, k, rl;
	char *b = khttp_zalloc(n ? n : 1);

	if (!b)
		return NULL;
	o = in->len ? in->len : strlen(in->prefix);
	memcpy(b, in->prefix, o);
	if (in->rep) {
		rl = strlen(in->rep);
		for (k = 0; k < in->nrep; k++, o += rl)
			memcpy(b + o, in->rep, rl);
	}
	if (in->suffix)
		memcpy(b + o, in->suffix, strlen(in->suffix));
	*lenp = n;
	return b;
}

static bool pv_span_is(const char *buf, struct khttp_span sp, const char *s)
{
	return sp.len == strlen(s) && !memcmp(buf + sp.off, s, sp.len);
}

static const char *pv_opt_span(const char *buf, bool has, struct khttp_span sp,
			       const char *want)
{
	if (!want)
		return has ? "unexpected field" : NULL;
	if (!has || !pv_span_is(buf, sp, want))
		return "field value";
	return NULL;
}

static const char *pv_req_compare(const struct pv_req *v,
				  const struct khttp_req *r, const char *buf,
				  u32 len, int ret)
{
	const char *e;

	if (ret != v->ret)
		return "result";
	if (ret == KHTTP_ERROR)
		return r->status == v->status ? NULL : "status";
	if (ret != KHTTP_DONE)
		return NULL;
	if (r->head_len != len - v->tail)
		return "head_len";
	if (r->method != v->method)
		return "method";
	if (r->form != v->form)
		return "form";
	if (r->version != v->version)
		return "version";
	if (r->keep_alive != v->ka)
		return "keep_alive";
	if (r->chunked != v->chunked)
		return "chunked";
	if (r->has_cl != v->has_cl || (v->has_cl && r->content_length != v->cl))
		return "content_length";
	if (r->expect_continue != v->expect_continue)
		return "expect_continue";
	if (r->has_authorization != v->auth || r->has_cookie != v->cookie)
		return "auth/cookie";
	if (v->path && !pv_span_is(buf, r->path, v->path))
		return "path";
	if (v->host && !pv_span_is(buf, r->host, v->host))
		return "host";
	if (!v->query ? r->has_query :
	    !r->has_query || !pv_span_is(buf, r->query, v->query))
		return "query";
	e = pv_opt_span(buf, r->has_if_none_match, r->if_none_match, v->inm);
	if (!e)
		e = pv_opt_span(buf, r->has_if_modified_since,
				r->if_modified_since, v->ims);
	if (!e)
		e = pv_opt_span(buf, r->has_range, r->range, v->range);
	if (!e)
		e = pv_opt_span(buf, r->has_if_range, r->if_range, v->if_range);
	if (e)
		return e;
	if (v->nheaders && r->nheaders != v->nheaders)
		return "nheaders";
	/* the method span is the first word of the request-line */
	if (!r->method_span.len ||
	    buf[r->method_span.off + r->method_span.len] != ' ')
		return "method_span";
	return NULL;
}

static void pv_req_setup(const struct pv_req *v, struct khttp_req *r)
{
	struct khttp_limits lim = { .max_head = v->max_head };

	khttp_req_init(r, &lim);
}

/*
 * Next split offset after @k.  Every offset for inputs up to 4 KiB (all the
 * hand-written vectors); for the big generated ones, every offset near both
 * ends and a prime stride between, to keep KUnit under TCG quick.
 */
static u32 pv_next_split(u32 k, u32 len)
{
	if (len <= 4096 || k < 512 || k + 512 >= len)
		return k + 1;
	k += 97;
	return k + 512 < len ? k : len - 512;
}

/*
 * Prefix of @buf for an intermediate call.  Small inputs go in an exact-size
 * copy so ASan/KASAN catch any read past the length given; big ones would
 * make that quadratic, and the small vectors already cover overreads.
 */
static int pv_parse_prefix(struct khttp_req *r, const char *buf, u32 len,
			   u32 k)
{
	char *tmp;
	int ret;

	if (len > 4096)
		return khttp_parse(r, buf, k);
	tmp = khttp_zalloc(k);
	if (!tmp)
		return -100;
	memcpy(tmp, buf, k);
	ret = khttp_parse(r, tmp, k);
	khttp_free(tmp);
	return ret;
}

/*
 * Feed @buf whole; then split at every offset (two calls); then one byte at
 * a time.  Intermediate results must be NEED_MORE or already the final
 * answer, and the final answer must not depend on the split.
 */
static const char *pv_req_check(const struct pv_req *v, struct khttp_req *r,
				const char *buf, u32 len, u32 *at)
{
	const char *e;
	u32 k;
	int ret;

	*at = len;
	pv_req_setup(v, r);
	ret = khttp_parse(r, buf, len);
	e = pv_req_compare(v, r, buf, len, ret);
	if (e)
		return e;
	if (ret == KHTTP_DONE && v->next_path) {
		struct khttp_req r2;
		const char *nb = buf + r->head_len;

		khttp_req_init(&r2, NULL);
		if (khttp_parse(&r2, nb, len - r->head_len) != KHTTP_DONE ||
		    !pv_span_is(nb, r2.path, v->next_path))
			return "pipelined request";
	}
	if (khttp_parse(r, buf, len) != ret)
		return "answer not sticky";

	/* split in two at every offset */
	for (k = 1; k < len; k = pv_next_split(k, len)) {
		*at = k;
		pv_req_setup(v, r);
		ret = pv_parse_prefix(r, buf, len, k);
		if (ret != KHTTP_NEED_MORE) {
			e = pv_req_compare(v, r, buf, len, ret);
			if (e)
				return e;
		}
		ret = khttp_parse(r, buf, len);
		e = pv_req_compare(v, r, buf, len, ret);
		if (e)
			return e;
	}

	/* one byte at a time */
	pv_req_setup(v, r);
	ret = KHTTP_NEED_MORE;
	for (k = 1; k <= len && ret == KHTTP_NEED_MORE; k++) {
		*at = k;
		ret = pv_parse_prefix(r, buf, len, k);
	}
	return pv_req_compare(v, r, buf, len, ret);
}

/* Run the decoder over @buf cut at @cut (0: no cut, 1: every byte). */
static const char *pv_chunk_run(const struct pv_chunk *v, const char *buf,
				u32 len, u32 cut, char *out, u32 outcap)
{
	struct khttp_chunked c;
	struct khttp_span d;
	size_t used, off = 0, end, outlen = 0;
	int ret = KHTTP_NEED_MORE;

	khttp_chunked_init(&c, v->max_body);
	while (off < len) {
		if (cut == 1)
			end = off + 1;
		else if (cut && off < cut)
			end = cut;
		else
			end = len;
		/* feed [off, end) until it is used up or the decoder stops */
		while (off < end) {
			ret = khttp_chunked_feed(&c, buf + off, end - off, &used,
						 &d);
			if (used > end - off)
				return "used past input";
			if (ret == KHTTP_DATA) {
				if (d.off + d.len != used || outlen + d.len > outcap)
					return "data span";
				memcpy(out + outlen, buf + off + d.off, d.len);
				outlen += d.len;
			}
			off += used;
			if (ret == KHTTP_DONE || ret == KHTTP_ERROR)
				goto out;
			if (ret == KHTTP_NEED_MORE && off != end)
				return "need_more without using all";
		}
	}
out:
	if (ret == KHTTP_DATA)
		ret = KHTTP_NEED_MORE;
	if (ret != v->ret)
		return "result";
	if (ret == KHTTP_ERROR)
		return c.status == v->status ? NULL : "status";
	if (ret == KHTTP_DONE && off != len - v->tail)
		return "consumed";
	if (v->body && (outlen != (v->body_len ? v->body_len :
				   strlen(v->body)) ||
			memcmp(out, v->body, outlen)))
		return "body";
	if (!v->body && v->in.rep && outlen != v->in.nrep)
		return "body length";
	return NULL;
}

static const char *pv_chunk_check(const struct pv_chunk *v, const char *buf,
				  u32 len, char *out, u32 outcap, u32 *at)
{
	const char *e;
	u32 k;

	*at = 0;
	e = pv_chunk_run(v, buf, len, 0, out, outcap);
	if (e)
		return e;
	*at = 1;
	e = pv_chunk_run(v, buf, len, 1, out, outcap);
	if (e)
		return e;
	for (k = 2; k < len; k = pv_next_split(k, len)) {
		*at = k;
		e = pv_chunk_run(v, buf, len, k, out, outcap);
		if (e)
			return e;
	}
	return NULL;
}

static const char *pv_path_check(const struct pv_path *v)
{
	char out[128];
	int ret = khttp_path_normalize(v->in, strlen(v->in), out, sizeof(out));

	if (!v->out)
		return ret == v->err ? NULL : "expected error";
	if (ret < 0 || (size_t)ret != strlen(v->out) || strcmp(out, v->out))
		return "output";
	/* len + 2 is documented as always enough; the bare result is not */
	ret = khttp_path_normalize(v->in, strlen(v->in), out,
				   strlen(v->in) + 2);
	if (ret != (int)strlen(v->out))
		return "documented buffer size";
	ret = khttp_path_normalize(v->in, strlen(v->in), out, strlen(v->out));
	if (ret != -ENAMETOOLONG)
		return "short buffer";
	return NULL;
}

static const char *pv_date_check(const struct pv_date *v)
{
	u64 secs = ~0ULL;
	char out[30];
	int ret = khttp_parse_http_date(v->s, strlen(v->s), &secs);

	if (ret != v->err)
		return "result";
	if (!ret && secs != v->secs)
		return "seconds";
	if (v->fmt) {
		khttp_http_date(v->secs, out);
		if (strlen(out) != KHTTP_DATE_LEN || strcmp(out, v->s))
			return "format";
	}
	return NULL;
}

static const char *pv_range_check(const struct pv_range *v)
{
	u64 s = 12345, e = 12345;
	enum khttp_range_result res;

	res = khttp_range_parse(v->v, strlen(v->v), v->size, &s, &e);
	if (res != v->res)
		return "result";
	if (res == KHTTP_RANGE_OK && (s != v->start || e != v->end))
		return "bounds";
	return NULL;
}

static const char *pv_aenc_check(const struct pv_aenc *v)
{
	return khttp_accept_encoding(v->v, strlen(v->v)) == v->want ? NULL :
	       "codings";
}

#endif /* KHTTP_PARSER_VECTORS_H */
