// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace test of kmod/route.c: the shared vectors of
 * kunit/route_vectors.h plus a 10,000-route table, under ASan/UBSan.
 *
 *   gcc -Wall -Wextra -Werror -fsanitize=address,undefined -g \
 *       -Ikmod -Iinclude/uapi -o test_route \
 *       userspace/tests/test_route.c kmod/route.c
 *
 * Prints "ok NAME" / "not ok NAME" per case and a closing
 * "route: N passed, M failed" line; exits non-zero on any failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>

#include "route.h"
#include "../../kunit/route_vectors.h"

static unsigned int passed, failed;

/* Report one case; the name is printf-formatted. */
static bool check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		passed++;
	else
		failed++;
	return ok;
}

/* Printable rendering of a vector input for case names. */
static const char *esc(const char *s)
{
	static char buf[2][512];
	static int which;
	char *out = buf[which ^= 1];
	size_t n = 0;

	for (; *s && n < sizeof(buf[0]) - 5; s++) {
		unsigned char c = *s;

		if (c < 0x20 || c >= 0x7f || c == ' ')
			n += sprintf(out + n, "\\x%02x", c);
		else
			out[n++] = c;
	}
	out[n] = '\0';
	return out;
}

static int parse(const char *s, struct route_key *k, const char **msg)
{
	*msg = NULL;
	return route_key_parse(s, strlen(s), k, msg);
}

static void test_parse_ok(void)
{
	char buf[ROUTE_KEY_FMT_MAX];
	const char *msg;
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(route_vec_parse_ok); i++) {
		const struct route_vec_parse_ok *v = &route_vec_parse_ok[i];
		struct route_key k, k2;
		bool ok;
		int err;

		err = parse(v->in, &k, &msg);
		if (err) {
			check(false, "parse_ok %s (err %d: %s)", esc(v->in), err,
			      msg);
			continue;
		}
		n = route_key_format(&k, buf, sizeof(buf));
		ok = n == strlen(v->canon) && !strcmp(buf, v->canon) &&
		     k.kind == v->kind && k.port == v->port &&
		     k.pathlen == strlen(k.path) && k.path[k.pathlen - 1] == '/';
		check(ok, "parse_ok %s -> %s (got %s kind %u port %u)",
		      esc(v->in), esc(v->canon), esc(buf), k.kind, k.port);

		/* The canonical form parses back to the same key. */
		err = parse(buf, &k2, &msg);
		check(!err && route_key_equal(&k, &k2),
		      "roundtrip %s", esc(v->canon));
		route_key_destroy(&k2);

		/* Truncated output stays terminated and reports full length. */
		ok = route_key_format(&k, buf, 4) == n && strlen(buf) == min(n, 3);
		ok = ok && route_key_format(&k, NULL, 0) == n;
		check(ok, "format_truncated %s", esc(v->canon));
		route_key_destroy(&k);
	}
}

static void test_parse_bad(void)
{
	const char *msg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(route_vec_parse_bad); i++) {
		const struct route_vec_parse_bad *v = &route_vec_parse_bad[i];
		struct route_key k;
		int err;

		memset(&k, 0xa5, sizeof(k));
		err = parse(v->in, &k, &msg);
		check(err == v->err && msg && !strcmp(msg, v->msg) && !k.path,
		      "parse_bad %s (err %d: %s)", esc(v->in), err,
		      msg ? msg : "(none)");
		if (!err)
			route_key_destroy(&k);
	}
}

static void test_parse_limits(void)
{
	static char s[KHTTP_PREFIX_MAX + 16];
	struct route_key k;
	const char *msg;
	int err;

	/* Longest accepted path: 1023 bytes ending in '/'. */
	memset(s, 'a', sizeof(s));
	s[0] = '/';
	s[ROUTE_PATH_MAX - 1] = '/';
	err = route_key_parse(s, ROUTE_PATH_MAX, &k, &msg);
	check(!err && k.pathlen == ROUTE_PATH_MAX, "limit_path_max");
	route_key_destroy(&k);

	/* 1023 bytes without the '/': adding it would overflow. */
	err = route_key_parse(s, ROUTE_PATH_MAX - 1, &k, &msg);
	check(!err, "limit_path_max_minus_one");
	route_key_destroy(&k);
	s[ROUTE_PATH_MAX - 1] = 'a';
	err = route_key_parse(s, ROUTE_PATH_MAX, &k, &msg);
	check(err == -ENAMETOOLONG && !strcmp(msg, "route prefix path is too long"),
	      "limit_path_slash_overflow");

	err = route_key_parse(s, KHTTP_PREFIX_MAX, &k, &msg);
	check(err == -ENAMETOOLONG && !strcmp(msg, "route prefix is too long"),
	      "limit_prefix_max");

	/* A NUL inside the given length is a control character. */
	err = route_key_parse("/a\0b/", 5, &k, &msg);
	check(err == -EINVAL, "embedded_nul");

	/* Host names: 253 accepted (plus a trailing dot), 254 refused. */
	memcpy(s, "http://", 7);
	memset(s + 7, 'a', 253);
	s[7 + 63] = s[7 + 127] = s[7 + 191] = '.';
	err = route_key_parse(s, 7 + 253, &k, &msg);
	check(!err && k.namelen == 253, "limit_name_253");
	route_key_destroy(&k);
	s[7 + 253] = '.';
	err = route_key_parse(s, 7 + 254, &k, &msg);
	check(!err && k.namelen == 253, "limit_name_253_dot");
	route_key_destroy(&k);
	s[7 + 253] = 'a';
	err = route_key_parse(s, 7 + 254, &k, &msg);
	check(err == -ENAMETOOLONG &&
	      !strcmp(msg, "host name in route prefix is longer than 253 characters"),
	      "limit_name_254");

	/* The longest canonical string fits ROUTE_KEY_FMT_MAX. */
	check(ROUTE_KEY_FMT_MAX == 7 + 253 + 6 + 1023 + 1, "fmt_max");

	check(ROUTE_AF_INET == AF_INET && ROUTE_AF_INET6 == AF_INET6,
	      "af_values");
}

static void test_equal(void)
{
	char ba[ROUTE_KEY_FMT_MAX], bb[ROUTE_KEY_FMT_MAX];
	const char *msg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(route_vec_equal); i++) {
		const struct route_vec_equal *v = &route_vec_equal[i];
		struct route_key a, b;
		bool ok;

		ok = !parse(v->a, &a, &msg) && !parse(v->b, &b, &msg);
		if (ok) {
			route_key_format(&a, ba, sizeof(ba));
			route_key_format(&b, bb, sizeof(bb));
			ok = route_key_equal(&a, &b) == v->equal &&
			     !strcmp(ba, bb) == v->equal;
		}
		check(ok, "equal %s %s %s", esc(v->a), v->equal ? "==" : "!=",
		      esc(v->b));
		route_key_destroy(&a);
		route_key_destroy(&b);
	}
}

/* Parse a set of prefixes and build a table over them. */
static struct route_table *build_set(const char *const *set,
				     struct route_key *keys)
{
	const struct route_key *ptrs[16] = { NULL };
	u32 n = route_vec_nroutes(set);
	struct route_table *t;
	const char *msg;
	u32 i;

	if (n > ARRAY_SIZE(ptrs))
		return NULL;
	for (i = 0; i < n; i++) {
		if (parse(set[i], &keys[i], &msg)) {
			fprintf(stderr, "bad set prefix %s: %s\n", set[i], msg);
			while (i--)
				route_key_destroy(&keys[i]);
			return NULL;
		}
		ptrs[i] = &keys[i];
	}
	if (route_table_build(ptrs, n, &t)) {
		for (i = 0; i < n; i++)
			route_key_destroy(&keys[i]);
		return NULL;
	}
	return t;
}

static void test_match(void)
{
	char buf[ROUTE_KEY_FMT_MAX];
	size_t i;
	u32 j;

	for (i = 0; i < ARRAY_SIZE(route_vec_match); i++) {
		const struct route_vec_match *v = &route_vec_match[i];
		const struct route_key *k;
		struct route_key keys[16];
		struct route_table *t;

		t = build_set(v->routes, keys);
		if (!t) {
			check(false, "match %s (build)", v->name);
			continue;
		}
		k = route_table_lookup(t, v->host, v->host ? strlen(v->host) : 0,
				       &v->local, v->path, strlen(v->path));
		if (k)
			route_key_format(k, buf, sizeof(buf));
		if (v->want)
			check(k && !strcmp(buf, v->want), "match %s (got %s)",
			      v->name, k ? buf : "none");
		else
			check(!k, "match %s (got %s)", v->name, k ? buf : "none");
		route_table_free(t);
		for (j = 0; j < route_vec_nroutes(v->routes); j++)
			route_key_destroy(&keys[j]);
	}
}

static void test_table_misc(void)
{
	struct khttp_addr local = RV_V4(10, 0, 0, 1, 80);
	struct route_key keys[16];
	struct route_table *t;
	u32 j;
	int err;

	err = route_table_build(NULL, 0, &t);
	check(!err && route_table_count(t) == 0 &&
	      !route_table_lookup(t, "h", 1, &local, "/", 1), "empty_table");
	route_table_free(t);

	check(!route_table_lookup(NULL, "h", 1, &local, "/", 1), "null_table");
	route_table_free(NULL);

	err = route_table_build(NULL, KHTTP_ROUTE_MAX + 1, &t);
	check(err == -E2BIG && !t, "too_many_routes");

	t = build_set(route_vec_set_dup, keys);
	check(t && route_table_count(t) == 2, "duplicates_counted_once");
	if (t) {
		route_table_free(t);
		for (j = 0; j < route_vec_nroutes(route_vec_set_dup); j++)
			route_key_destroy(&keys[j]);
	}

	/* No local address: only path-only routes can match. */
	t = build_set(route_vec_set_hosts, keys);
	check(t && route_table_lookup(t, "www.example.com", 15, NULL,
				      "/app/x", 6) &&
	      route_table_lookup(t, "www.example.com", 15, NULL, "/app/x",
				 6)->kind == ROUTE_HOST_ANY, "null_local");
	if (t) {
		route_table_free(t);
		for (j = 0; j < route_vec_nroutes(route_vec_set_hosts); j++)
			route_key_destroy(&keys[j]);
	}
}

static void test_reach(void)
{
	const char *msg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(route_vec_reach); i++) {
		const struct route_vec_reach *v = &route_vec_reach[i];
		struct route_key k;

		if (parse(v->prefix, &k, &msg)) {
			check(false, "reach %s (parse: %s)", v->name, msg);
			continue;
		}
		check(route_key_reachable(&k, v->listen, v->nlisten) == v->want,
		      "reach %s", v->name);
		route_key_destroy(&k);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_big(void)
{
	const u32 n = ROUTE_VEC_BIG_N + 1;
	struct khttp_addr local = RV_V4(192, 0, 2, 1, 80);
	const struct route_key **ptrs;
	char pfx[128], host[128], path[128];
	struct route_key *keys;
	struct route_table *t;
	u32 i, bad_hit = 0, bad_miss = 0, bad_parse = 0;
	double t0, t1;
	const char *msg;

	keys = calloc(n, sizeof(*keys));
	ptrs = calloc(n, sizeof(*ptrs));
	if (!keys || !ptrs) {
		check(false, "big_alloc");
		return;
	}
	for (i = 0; i < n; i++) {
		if (i < ROUTE_VEC_BIG_N)
			route_vec_big_prefix(i, pfx, sizeof(pfx));
		else
			strcpy(pfx, ROUTE_VEC_BIG_CATCHALL);
		if (parse(pfx, &keys[i], &msg))
			bad_parse++;
		ptrs[i] = &keys[i];
	}
	check(!bad_parse, "big_parse %u routes", n);
	if (bad_parse || route_table_build(ptrs, n, &t)) {
		check(false, "big_build");
		goto out;
	}
	check(route_table_count(t) == n, "big_build %u", route_table_count(t));

	t0 = now();
	for (i = 0; i < ROUTE_VEC_BIG_N; i++) {
		const struct route_key *k;

		route_vec_big_request(i, false, host, path, sizeof(host));
		k = route_table_lookup(t, host, strlen(host), &local, path,
				       strlen(path));
		if (k != &keys[i])
			bad_hit++;
		route_vec_big_request(i, true, host, path, sizeof(host));
		k = route_table_lookup(t, host, strlen(host), &local, path,
				       strlen(path));
		if (k != &keys[ROUTE_VEC_BIG_N])
			bad_miss++;
	}
	t1 = now();
	check(!bad_hit, "big_lookup_hits (%u wrong)", bad_hit);
	check(!bad_miss, "big_lookup_misses (%u wrong)", bad_miss);
	fprintf(stderr, "route: %u lookups in %.1f ms (%.0f ns each, sanitized)\n",
		2 * ROUTE_VEC_BIG_N, (t1 - t0) * 1e3,
		(t1 - t0) * 1e9 / (2 * ROUTE_VEC_BIG_N));

	/* Duplicates collapse even in a big table. */
	route_table_free(t);
	ptrs[n - 1] = &keys[4];
	check(!route_table_build(ptrs, n, &t) && route_table_count(t) == n - 1,
	      "big_duplicate");
	route_table_free(t);
out:
	for (i = 0; i < n; i++)
		route_key_destroy(&keys[i]);
	free(keys);
	free(ptrs);
}

/* A long, deep request path costs a bounded walk and still matches. */
static void test_long_path(void)
{
	static char path[65536];
	struct khttp_addr local = RV_V4(10, 0, 0, 1, 80);
	struct route_key keys[16];
	const struct route_key *k;
	struct route_table *t;
	size_t i;
	u32 j;

	for (i = 0; i < sizeof(path); i++)
		path[i] = (i % 2) ? 'x' : '/';
	memcpy(path, "/app/static/", 12);
	t = build_set(route_vec_set_paths, keys);
	if (!t) {
		check(false, "long_path (build)");
		return;
	}
	k = route_table_lookup(t, "h", 1, &local, path, sizeof(path));
	check(k && !strcmp(k->path, "/app/static/"), "long_path");
	route_table_free(t);
	for (j = 0; j < route_vec_nroutes(route_vec_set_paths); j++)
		route_key_destroy(&keys[j]);
}

int main(void)
{
	test_parse_ok();
	test_parse_bad();
	test_parse_limits();
	test_equal();
	test_match();
	test_table_misc();
	test_reach();
	test_big();
	test_long_path();
	printf("route: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
