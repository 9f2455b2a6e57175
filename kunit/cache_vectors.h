/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Vectors for the response-cache rules (cachepolicy.c), shared by the
 * KUnit suite and the userspace test.
 */
#ifndef KHTTP_CACHE_VECTORS_H
#define KHTTP_CACHE_VECTORS_H

struct cache_key_vector {
	const char *host;
	unsigned short port;
	const char *path;
	const char *query;	/* NULL: no '?' */
	const char *want;
};

static const struct cache_key_vector cache_key_vectors[] = {
	{ "www.Example.COM", 80, "/a/b", NULL, "http://www.example.com:80/a/b" },
	{ "www.example.com:8080", 80, "/", NULL, "http://www.example.com:80/" },
	{ "example.com.", 8080, "/x", "q=1&r=2", "http://example.com:8080/x?q=1&r=2" },
	{ "[::1]:8080", 8080, "/v6", "", "http://[::1]:8080/v6?" },
	{ "", 80, "/nohost", NULL, "http://:80/nohost" },
	{ "10.0.0.1", 65535, "/", "A=B", "http://10.0.0.1:65535/?A=B" },
};

struct cache_resp_vector {
	unsigned short status;
	const char *headers;
	int want;	/* enum khttp_cache_refusal */
};

static const struct cache_resp_vector cache_resp_vectors[] = {
	{ 200, "", KHTTP_CACHE_OK },
	{ 301, "Location: /x\r\n", KHTTP_CACHE_OK },
	{ 404, "Content-Type: text/plain\r\n", KHTTP_CACHE_OK },
	{ 201, "", KHTTP_CACHE_NO_STATUS },
	{ 302, "", KHTTP_CACHE_NO_STATUS },
	{ 500, "", KHTTP_CACHE_NO_STATUS },
	{ 200, "Set-Cookie: a=b\r\n", KHTTP_CACHE_NO_SET_COOKIE },
	{ 200, "X-A: 1\r\nset-cookie: a=b\r\n", KHTTP_CACHE_NO_SET_COOKIE },
	{ 200, "Vary: Accept-Encoding\r\n", KHTTP_CACHE_OK },
	{ 200, "Vary: accept-encoding, Accept-Encoding\r\n", KHTTP_CACHE_OK },
	{ 200, "Vary: Cookie\r\n", KHTTP_CACHE_NO_VARY },
	{ 200, "Vary: Accept-Encoding, User-Agent\r\n", KHTTP_CACHE_NO_VARY },
	{ 200, "Vary: *\r\n", KHTTP_CACHE_NO_VARY },
	{ 200, "Cache-Control: no-store\r\n", KHTTP_CACHE_NO_STORE },
	{ 200, "Cache-Control: max-age=60, private\r\n", KHTTP_CACHE_NO_STORE },
	{ 200, "Cache-Control: public, max-age=60\r\n", KHTTP_CACHE_OK },
	{ 200, "X-Set-Cookie-Like: 1\r\n", KHTTP_CACHE_OK },
};

struct cache_prefix_vector {
	const char *key;
	const char *prefix;
	bool want;
};

static const struct cache_prefix_vector cache_prefix_vectors[] = {
	{ "http://a.com:80/app/x", "/app/", true },
	{ "http://a.com:80/app/x", "/ap", true },
	{ "http://a.com:80/app/x", "/b/", false },
	{ "http://a.com:80/app/x", "", true },
	{ "http://a.com:80/app/x", "http://a.com:80/app", true },
	{ "http://a.com:80/app/x", "http://b.com:80/app", false },
	{ "http://a.com:80/", "/", true },
	{ "http://a.com:80/x?y=1", "/x?y", true },
	{ "http://[::1]:80/x", "/x", true },
};

#endif /* KHTTP_CACHE_VECTORS_H */
