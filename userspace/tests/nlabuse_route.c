// SPDX-License-Identifier: GPL-2.0
/*
 * nlabuse: hostile values for a route's redirect, added headers and error
 * pages (route-add's redirect, redirect-status, keep-path, repeated header
 * and error-page nests).  Each must be refused with the right errno and
 * an extack, and add nothing.
 */
#include "nlabuse.h"

/* A route-add of @type for "/abuse/" (a redirect to x.example). */
static void route_msg(struct msg *m, uint8_t type)
{
	DO(*m, KHTTP_CMD_ROUTE_ADD);
	put_str(m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m->nlh, KHTTP_A_ROUTE_TYPE, type);
	if (type == KHTTP_ROUTE_REDIRECT)
		put_str(m, KHTTP_A_ROUTE_REDIRECT, "https://x.example/");
	else
		put_str(m, KHTTP_A_ROUTE_DIR, "/srv/www");
}

/* An error-page nest: @status (0: none), @path (NULL: none). */
static void put_errpage(struct msg *m, uint16_t status, const char *path)
{
	struct nlattr *nest = mnl_attr_nest_start(m->nlh,
						  KHTTP_A_ROUTE_ERROR_PAGE);

	if (status)
		mnl_attr_put_u16(m->nlh, KHTTP_A_ERROR_PAGE_STATUS, status);
	if (path)
		put_str(m, KHTTP_A_ERROR_PAGE_PATH, path);
	mnl_attr_nest_end(m->nlh, nest);
}

static void redirects(void)
{
	static const char *const bad[] = {
		"https://x.example/\r\nSet-Cookie: a=b",
		"https://x.example/a b",
		"javascript:alert(1)",
		"//evil.example/",
		"http://",
		"relative/path",
		"https://x.example/\x7f",
		"https://x.example/\xc3\xa9",
	};
	struct msg m;
	char name[64];
	size_t i;

	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_REDIRECT);
	expect_refused("redirect/missing-target", &m, EINVAL, EXT_MISS,
		       KHTTP_A_ROUTE_REDIRECT);
	route_msg(&m, KHTTP_ROUTE_REDIRECT);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("redirect/and-dir", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_REDIRECT, "https://x.example/");
	expect_refused("redirect/on-static", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	mnl_attr_put_u16(m.nlh, KHTTP_A_ROUTE_REDIRECT_STATUS, 301);
	expect_refused("redirect/status-on-static", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_KEEP_PATH, 1);
	expect_refused("redirect/keep-path-on-static", &m, EINVAL, EXT_MSG, 0);
	/* the kernel-answered types take no redirect, a redirect no precompressed */
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_METRICS);
	put_str(&m, KHTTP_A_ROUTE_REDIRECT, "https://x.example/");
	expect_refused("redirect/on-metrics", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATUS);
	mnl_attr_put_u16(m.nlh, KHTTP_A_ROUTE_REDIRECT_STATUS, 301);
	expect_refused("redirect/status-on-status-route", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_REDIRECT);
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_PRECOMPRESSED, 1);
	expect_refused("redirect/precompressed", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_REDIRECT);
	mnl_attr_put_u16(m.nlh, KHTTP_A_ROUTE_REDIRECT_STATUS, 300);
	expect_refused("redirect/status-300", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_REDIRECT);
	mnl_attr_put_u16(m.nlh, KHTTP_A_ROUTE_REDIRECT_STATUS, 309);
	expect_refused("redirect/status-309", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_REDIRECT);
	mnl_attr_put_u16(m.nlh, KHTTP_A_ROUTE_REDIRECT_STATUS, 303);
	expect_refused("redirect/status-303", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_REDIRECT);
	mnl_attr_put_u16(m.nlh, KHTTP_A_ROUTE_REDIRECT_STATUS, 305);
	expect_refused("redirect/status-305", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_REDIRECT);
	mnl_attr_put_u32(m.nlh, KHTTP_A_ROUTE_REDIRECT_STATUS, 301);
	expect_refused("redirect/status-u32", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_REDIRECT);
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_KEEP_PATH, 2);
	expect_refused("redirect/keep-path-2", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_REDIRECT);
	put_long_str(&m, KHTTP_A_ROUTE_REDIRECT, '/', 'a', KHTTP_REDIRECT_MAX);
	expect_refused("redirect/target-2048", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_REDIRECT);
	mnl_attr_put(m.nlh, KHTTP_A_ROUTE_REDIRECT, 5, "https");
	expect_refused("redirect/target-no-nul", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_REDIRECT);
	mnl_attr_put(m.nlh, KHTTP_A_ROUTE_REDIRECT, 1, "");
	expect_refused("redirect/target-empty", &m, EINVAL, EXT_MSG, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		DO(m, KHTTP_CMD_ROUTE_ADD);
		put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
		mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE,
				KHTTP_ROUTE_REDIRECT);
		put_str(&m, KHTTP_A_ROUTE_REDIRECT, bad[i]);
		snprintf(name, sizeof(name), "redirect/bad-target-%zu", i);
		expect_refused(name, &m, EINVAL, EXT_MSG, 0);
	}
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_REDIRECT);
	put_str(&m, KHTTP_A_ROUTE_REDIRECT, "https://x.example/?a=1");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_KEEP_PATH, 1);
	expect_refused("redirect/keep-path-with-query", &m, EINVAL, EXT_MSG, 0);
}

static void headers(void)
{
	static const struct {
		const char *name;
		const char *v;
		size_t len;	/* bytes sent, NUL or not */
		int err;
	} bad[] = {
		{ "header/crlf", "X-A: b\r\nSet-Cookie: c=d", 25, EINVAL },
		{ "header/lf", "X-A: b\nX-B: c", 14, EINVAL },
		{ "header/bare-cr", "X-A: b\rc", 9, EINVAL },
		{ "header/inner-nul", "X-A: b\0c", 8, EINVAL },
		{ "header/nul-first", "\0X-A: b", 8, EINVAL },
		{ "header/empty", "", 0, EPOLICY },
		{ "header/only-nul", "", 1, EINVAL },
		{ "header/no-colon", "X-A", 4, EINVAL },
		{ "header/empty-name", ": b", 4, EINVAL },
		{ "header/space-in-name", "X A: b", 7, EINVAL },
		{ "header/space-before-colon", "X-A : b", 8, EINVAL },
		{ "header/ctl-in-value", "X-A: \x01", 7, EINVAL },
		{ "header/del-in-value", "X-A: \x7f", 7, EINVAL },
		{ "header/latin1-name", "X-\xe9: b", 7, EINVAL },
		{ "header/content-length", "Content-Length: 0", 18, EINVAL },
		{ "header/transfer-encoding", "TRANSFER-ENCODING: chunked", 27, EINVAL },
		{ "header/connection", "connection: close", 18, EINVAL },
		{ "header/keep-alive", "Keep-Alive: timeout=1", 22, EINVAL },
		{ "header/upgrade", "Upgrade: h2c", 13, EINVAL },
		{ "header/te", "TE: trailers", 13, EINVAL },
		{ "header/trailer", "Trailer: X", 11, EINVAL },
		{ "header/date", "Date: x", 8, EINVAL },
		{ "header/server", "Server: evil", 13, EINVAL },
		{ "header/proxy-connection", "Proxy-Connection: x", 20, EINVAL },
	};
	struct msg m;
	char line[1100];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		route_msg(&m, i & 1 ? KHTTP_ROUTE_REDIRECT : KHTTP_ROUTE_STATIC);
		mnl_attr_put(m.nlh, KHTTP_A_ROUTE_HEADER, bad[i].len, bad[i].v);
		expect_refused(bad[i].name, &m, bad[i].err, EXT_MSG, 0);
	}
	/* A good line after a bad one: still refused, nothing added. */
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_HEADER, "X-Good: 1");
	put_str(&m, KHTTP_A_ROUTE_HEADER, "X-Bad\x01: 1");
	expect_refused("header/good-then-bad", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_long_str(&m, KHTTP_A_ROUTE_HEADER, 'X', 'a', KHTTP_ROUTE_HEADER_LEN);
	expect_refused("header/1024-bytes", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	mnl_attr_put_u32(m.nlh, KHTTP_A_ROUTE_HEADER, 0xffffffff);
	expect_refused("header/u32-junk", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	for (i = 0; i <= KHTTP_ROUTE_HEADER_MAX; i++) {
		snprintf(line, sizeof(line), "X-H%zu: %zu", i, i);
		put_str(&m, KHTTP_A_ROUTE_HEADER, line);
	}
	expect_refused("header/17-lines", &m, E2BIG, EXT_MSG, 0);
	/* Five lines of 1000 bytes: each fits, all of them do not. */
	route_msg(&m, KHTTP_ROUTE_STATIC);
	for (i = 0; i < 5; i++) {
		memset(line, 'v', 1000);
		memcpy(line, "X-Big: ", 7);
		line[3] = (char)('0' + i);
		line[1000] = '\0';
		put_str(&m, KHTTP_A_ROUTE_HEADER, line);
	}
	expect_refused("header/over-4096-in-all", &m, E2BIG, EXT_MSG, 0);
	/* As a nest, it is no string. */
	route_msg(&m, KHTTP_ROUTE_STATIC);
	{
		struct nlattr *nest = mnl_attr_nest_start(m.nlh,
							  KHTTP_A_ROUTE_HEADER);

		mnl_attr_put_u32(m.nlh, 1, 1);
		mnl_attr_nest_end(m.nlh, nest);
	}
	expect_refused("header/nest", &m, EINVAL, EXT_MSG, 0);
}

static void error_pages(void)
{
	struct msg m;
	struct nlattr *nest;
	size_t i;

	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_errpage(&m, 404, NULL);
	expect_refused("errpage/no-path", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_errpage(&m, 0, "/404.html");
	expect_refused("errpage/no-status", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_errpage(&m, 0, NULL);
	expect_refused("errpage/empty-nest", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_errpage(&m, 399, "/x.html");
	expect_refused("errpage/status-399", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_errpage(&m, 600, "/x.html");
	expect_refused("errpage/status-600", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_errpage(&m, 0xffff, "/x.html");
	expect_refused("errpage/status-65535", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	nest = mnl_attr_nest_start(m.nlh, KHTTP_A_ROUTE_ERROR_PAGE);
	mnl_attr_put_u32(m.nlh, KHTTP_A_ERROR_PAGE_STATUS, 404);
	put_str(&m, KHTTP_A_ERROR_PAGE_PATH, "/x.html");
	mnl_attr_nest_end(m.nlh, nest);
	expect_refused("errpage/status-u32", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	nest = mnl_attr_nest_start(m.nlh, KHTTP_A_ROUTE_ERROR_PAGE);
	mnl_attr_put_u16(m.nlh, KHTTP_A_ERROR_PAGE_STATUS, 404);
	mnl_attr_put(m.nlh, KHTTP_A_ERROR_PAGE_PATH, 4, "/abc");
	mnl_attr_nest_end(m.nlh, nest);
	expect_refused("errpage/path-no-nul", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	nest = mnl_attr_nest_start(m.nlh, KHTTP_A_ROUTE_ERROR_PAGE);
	mnl_attr_put_u16(m.nlh, KHTTP_A_ERROR_PAGE_STATUS, 404);
	put_long_str(&m, KHTTP_A_ERROR_PAGE_PATH, '/', 'p', KHTTP_DIR_MAX);
	mnl_attr_nest_end(m.nlh, nest);
	expect_refused("errpage/path-4096", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	nest = mnl_attr_nest_start(m.nlh, KHTTP_A_ROUTE_ERROR_PAGE);
	mnl_attr_put_u16(m.nlh, KHTTP_A_ERROR_PAGE_STATUS, 404);
	put_str(&m, KHTTP_A_ERROR_PAGE_PATH, "/x.html");
	mnl_attr_put_u32(m.nlh, KHTTP_A_ERROR_PAGE_MAX + 1, 7);
	mnl_attr_nest_end(m.nlh, nest);
	expect_refused("errpage/unknown-inner", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	mnl_attr_put_u16(m.nlh, KHTTP_A_ROUTE_ERROR_PAGE, 404);
	expect_refused("errpage/flat-u16", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_errpage(&m, 404, "x.html");
	expect_refused("errpage/relative", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_errpage(&m, 404, "/");
	expect_refused("errpage/root", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_errpage(&m, 404, "/dir/");
	expect_refused("errpage/directory", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_errpage(&m, 404, "/a\nb.html");
	expect_refused("errpage/control-byte", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	put_errpage(&m, 404, "/a.html");
	put_errpage(&m, 404, "/b.html");
	expect_refused("errpage/same-status-twice", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_REDIRECT);
	put_errpage(&m, 404, "/no/such/directory/404.html");
	expect_refused("errpage/absolute-missing-dir", &m, ENOENT, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_REDIRECT);
	put_errpage(&m, 404, "/srv/www/index.html/404.html");
	expect_refused("errpage/absolute-dir-is-file", &m, ENOENT, EXT_MSG, 0);
	/* A good page, then one whose directory is missing: nothing kept. */
	route_msg(&m, KHTTP_ROUTE_REDIRECT);
	put_errpage(&m, 403, "/srv/www/403.html");
	put_errpage(&m, 404, "/no/such/directory/404.html");
	expect_refused("errpage/good-then-missing-dir", &m, ENOENT, EXT_MSG, 0);
	route_msg(&m, KHTTP_ROUTE_STATIC);
	for (i = 0; i <= KHTTP_ERROR_PAGE_MAX; i++)
		put_errpage(&m, (uint16_t)(400 + i), "/e.html");
	expect_refused("errpage/17-pages", &m, E2BIG, EXT_MSG, 0);
	/* Three paths of 1500 bytes: each fits, all of them do not. */
	route_msg(&m, KHTTP_ROUTE_STATIC);
	for (i = 0; i < 3; i++) {
		char path[1501];

		memset(path, 'p', 1500);
		path[0] = '/';
		path[1] = (char)('a' + i);
		path[1500] = '\0';
		put_errpage(&m, (uint16_t)(500 + i), path);
	}
	expect_refused("errpage/over-4096-in-all", &m, E2BIG, EXT_MSG, 0);
}

void route_options(void)
{
	redirects();
	headers();
	error_pages();
}
