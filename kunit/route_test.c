// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: route prefix parsing, canonical form, matching precedence,
 * reachability, a 10,000-route table, and the table changed one route at a
 * time: inserts, removes, replaces, resizes and lookups racing with them
 * (route.c).  The vectors are shared with userspace/tests/test_route.c.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/socket.h>
#include "../kmod/route.c"
#include "../kmod/routetable.c"
#include "route_vectors.h"

static int parse(const char *s, struct route_key *k, const char **msg)
{
	*msg = NULL;
	return route_key_parse(s, strlen(s), k, msg);
}

static void parse_ok_desc(const struct route_vec_parse_ok *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%*pE", (int)strlen(v->in), v->in);
}

KUNIT_ARRAY_PARAM(route_parse_ok, route_vec_parse_ok, parse_ok_desc);

static void route_parse_ok_test(struct kunit *test)
{
	const struct route_vec_parse_ok *v = test->param_value;
	struct route_key *k = kunit_kzalloc(test, 2 * sizeof(*k), GFP_KERNEL);
	char *buf = kunit_kzalloc(test, ROUTE_KEY_FMT_MAX, GFP_KERNEL);
	const char *msg;
	size_t n;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, k);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_ASSERT_EQ_MSG(test, parse(v->in, &k[0], &msg), 0, "%s", msg);
	n = route_key_format(&k[0], buf, ROUTE_KEY_FMT_MAX);
	KUNIT_EXPECT_STREQ(test, buf, v->canon);
	KUNIT_EXPECT_EQ(test, (u64)n, (u64)strlen(v->canon));
	KUNIT_EXPECT_EQ(test, k[0].kind, v->kind);
	KUNIT_EXPECT_EQ(test, k[0].port, v->port);

	/* The canonical form parses back to the same key. */
	KUNIT_EXPECT_EQ(test, parse(buf, &k[1], &msg), 0);
	KUNIT_EXPECT_TRUE(test, route_key_equal(&k[0], &k[1]));

	/* Truncation: terminated, full length reported. */
	KUNIT_EXPECT_EQ(test, (u64)route_key_format(&k[0], buf, 4), (u64)n);
	KUNIT_EXPECT_EQ(test, (u64)strlen(buf), (u64)min_t(size_t, n, 3));

	route_key_destroy(&k[0]);
	route_key_destroy(&k[1]);
}

static void parse_bad_desc(const struct route_vec_parse_bad *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%*pE", (int)strlen(v->in), v->in);
}

KUNIT_ARRAY_PARAM(route_parse_bad, route_vec_parse_bad, parse_bad_desc);

static void route_parse_bad_test(struct kunit *test)
{
	const struct route_vec_parse_bad *v = test->param_value;
	struct route_key *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	const char *msg;
	int err;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, k);
	err = parse(v->in, k, &msg);
	KUNIT_EXPECT_EQ(test, err, v->err);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, msg);
	KUNIT_EXPECT_STREQ(test, msg, v->msg);
	KUNIT_EXPECT_PTR_EQ(test, k->path, NULL);
	if (!err)
		route_key_destroy(k);
}

static void route_parse_limits_test(struct kunit *test)
{
	char *s = kunit_kzalloc(test, KHTTP_PREFIX_MAX + 16, GFP_KERNEL);
	struct route_key *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	const char *msg;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, k);

	memset(s, 'a', KHTTP_PREFIX_MAX + 16);
	s[0] = '/';
	s[ROUTE_PATH_MAX - 1] = '/';
	KUNIT_EXPECT_EQ(test, route_key_parse(s, ROUTE_PATH_MAX, k, &msg), 0);
	KUNIT_EXPECT_EQ(test, k->pathlen, ROUTE_PATH_MAX);
	route_key_destroy(k);
	s[ROUTE_PATH_MAX - 1] = 'a';
	KUNIT_EXPECT_EQ(test, route_key_parse(s, ROUTE_PATH_MAX, k, &msg),
			-ENAMETOOLONG);
	KUNIT_EXPECT_EQ(test, route_key_parse(s, KHTTP_PREFIX_MAX, k, &msg),
			-ENAMETOOLONG);
	KUNIT_EXPECT_EQ(test, route_key_parse("/a\0b/", 5, k, &msg), -EINVAL);

	memcpy(s, "http://", 7);
	memset(s + 7, 'a', 254);
	s[7 + 63] = '.';
	s[7 + 127] = '.';
	s[7 + 191] = '.';
	KUNIT_EXPECT_EQ(test, route_key_parse(s, 7 + 253, k, &msg), 0);
	KUNIT_EXPECT_EQ(test, k->namelen, 253);
	route_key_destroy(k);
	KUNIT_EXPECT_EQ(test, route_key_parse(s, 7 + 254, k, &msg),
			-ENAMETOOLONG);

	KUNIT_EXPECT_EQ(test, ROUTE_AF_INET, AF_INET);
	KUNIT_EXPECT_EQ(test, ROUTE_AF_INET6, AF_INET6);
}

static void equal_desc(const struct route_vec_equal *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s %s", v->a,
		 v->equal ? "==" : "!=", v->b);
}

KUNIT_ARRAY_PARAM(route_equal, route_vec_equal, equal_desc);

static void route_equal_test(struct kunit *test)
{
	const struct route_vec_equal *v = test->param_value;
	struct route_key *k = kunit_kzalloc(test, 2 * sizeof(*k), GFP_KERNEL);
	char *ba = kunit_kzalloc(test, ROUTE_KEY_FMT_MAX, GFP_KERNEL);
	char *bb = kunit_kzalloc(test, ROUTE_KEY_FMT_MAX, GFP_KERNEL);
	const char *msg;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, k);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ba);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bb);
	KUNIT_ASSERT_EQ(test, parse(v->a, &k[0], &msg), 0);
	KUNIT_ASSERT_EQ(test, parse(v->b, &k[1], &msg), 0);
	route_key_format(&k[0], ba, ROUTE_KEY_FMT_MAX);
	route_key_format(&k[1], bb, ROUTE_KEY_FMT_MAX);
	KUNIT_EXPECT_EQ(test, route_key_equal(&k[0], &k[1]), v->equal);
	KUNIT_EXPECT_EQ(test, !strcmp(ba, bb), v->equal);
	route_key_destroy(&k[0]);
	route_key_destroy(&k[1]);
}

/* Parse a route set into @keys (one per prefix) and build a table over it. */
static struct route_table *build_set(struct kunit *test,
				     const char *const *set,
				     struct route_key *keys)
{
	u32 n = route_vec_nroutes(set);
	const struct route_key **ptrs;
	struct route_table *t = NULL;
	const char *msg;
	u32 i;

	ptrs = kunit_kzalloc(test, n * sizeof(*ptrs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ptrs);
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ_MSG(test, parse(set[i], &keys[i], &msg), 0,
				    "%s: %s", set[i], msg);
		ptrs[i] = &keys[i];
	}
	KUNIT_ASSERT_EQ(test, route_table_build(ptrs, n, &t), 0);
	return t;
}

/*
 * A table over @keys (parsed by build_set()) reached one change at a time:
 * insert all, remove all from the last, then insert all again from the
 * last, so removes leave tombstones and inserts reuse them.  Duplicates
 * are refused (-EEXIST) while an equal key is in.
 */
static struct route_table *churn_set(struct kunit *test,
				     const struct route_key *keys, u32 n)
{
	struct route_table *t;
	u32 i, round;
	int err;

	KUNIT_ASSERT_EQ(test, route_table_new(&t), 0);
	for (i = 0; i < n; i++) {
		err = route_table_insert(t, &keys[i]);
		KUNIT_EXPECT_TRUE(test, !err || err == -EEXIST);
	}
	for (round = 0; round < 2; round++) {
		for (i = n; i--; )
			if (round == 0)
				route_table_remove(t, &keys[i]);
			else
				route_table_insert(t, &keys[i]);
		if (round == 0)
			KUNIT_EXPECT_EQ(test, route_table_count(t), 0);
	}
	return t;
}

static void destroy_set(struct route_key *keys, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		route_key_destroy(&keys[i]);
}

static void match_desc(const struct route_vec_match *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(route_match, route_vec_match, match_desc);

static void route_match_test(struct kunit *test)
{
	const struct route_vec_match *v = test->param_value;
	struct route_key *keys;
	const struct route_key *k;
	struct route_table *t;
	char *buf;

	keys = kunit_kzalloc(test, route_vec_nroutes(v->routes) * sizeof(*keys),
			     GFP_KERNEL);
	buf = kunit_kzalloc(test, ROUTE_KEY_FMT_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, keys);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	t = build_set(test, v->routes, keys);
	k = route_table_lookup(t, v->host, v->host ? strlen(v->host) : 0,
			       &v->local, v->path, strlen(v->path));
	if (k)
		route_key_format(k, buf, ROUTE_KEY_FMT_MAX);
	else
		strscpy(buf, "(none)", ROUTE_KEY_FMT_MAX);
	KUNIT_EXPECT_STREQ(test, buf, v->want ? v->want : "(none)");
	route_table_free(t);

	/* The same answer from a table that got there one change at a time. */
	t = churn_set(test, keys, route_vec_nroutes(v->routes));
	k = route_table_lookup(t, v->host, v->host ? strlen(v->host) : 0,
			       &v->local, v->path, strlen(v->path));
	if (k)
		route_key_format(k, buf, ROUTE_KEY_FMT_MAX);
	else
		strscpy(buf, "(none)", ROUTE_KEY_FMT_MAX);
	KUNIT_EXPECT_STREQ_MSG(test, buf, v->want ? v->want : "(none)",
			       "after inserts and removes");
	route_table_free(t);
	destroy_set(keys, route_vec_nroutes(v->routes));
}

static void route_table_misc_test(struct kunit *test)
{
	struct khttp_addr local = RV_V4(10, 0, 0, 1, 80);
	u32 n = route_vec_nroutes(route_vec_set_hosts);
	struct route_key *keys;
	const struct route_key *k;
	struct route_table *t = NULL;

	KUNIT_EXPECT_EQ(test, route_table_build(NULL, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, route_table_count(t), 0);
	KUNIT_EXPECT_PTR_EQ(test, route_table_lookup(t, "h", 1, &local, "/", 1),
			    NULL);
	route_table_free(t);
	KUNIT_EXPECT_PTR_EQ(test, route_table_lookup(NULL, "h", 1, &local,
						     "/", 1), NULL);
	KUNIT_EXPECT_EQ(test, route_table_build(NULL, KHTTP_ROUTE_MAX + 1, &t),
			-E2BIG);
	KUNIT_EXPECT_PTR_EQ(test, t, NULL);

	keys = kunit_kzalloc(test, n * sizeof(*keys), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, keys);
	t = build_set(test, route_vec_set_dup, keys);
	KUNIT_EXPECT_EQ(test, route_table_count(t), 2);
	route_table_free(t);
	destroy_set(keys, route_vec_nroutes(route_vec_set_dup));

	/* No local address: only path-only routes match. */
	t = build_set(test, route_vec_set_hosts, keys);
	k = route_table_lookup(t, "www.example.com", 15, NULL, "/app/x", 6);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, k);
	KUNIT_EXPECT_EQ(test, k->kind, ROUTE_HOST_ANY);
	route_table_free(t);
	destroy_set(keys, n);
}

static void reach_desc(const struct route_vec_reach *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(route_reach, route_vec_reach, reach_desc);

static void route_reach_test(struct kunit *test)
{
	const struct route_vec_reach *v = test->param_value;
	struct route_key *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	const char *msg;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, k);
	KUNIT_ASSERT_EQ(test, parse(v->prefix, k, &msg), 0);
	KUNIT_EXPECT_EQ(test, route_key_reachable(k, v->listen, v->nlisten),
			v->want);
	route_key_destroy(k);
}

static void route_big_test(struct kunit *test)
{
	const u32 n = ROUTE_VEC_BIG_N + 1;
	struct khttp_addr local = RV_V4(192, 0, 2, 1, 80);
	const struct route_key **ptrs;
	struct route_key *keys;
	struct route_table *t;
	char *pfx, *host, *path;
	u32 i, bad_hit = 0, bad_miss = 0, bad_parse = 0;
	const char *msg;
	int err;

	keys = kvcalloc(n, sizeof(*keys), GFP_KERNEL);
	ptrs = kvcalloc(n, sizeof(*ptrs), GFP_KERNEL);
	pfx = kunit_kzalloc(test, 3 * 128, GFP_KERNEL);
	if (!keys || !ptrs || !pfx) {
		kvfree(keys);
		kvfree(ptrs);
		KUNIT_FAIL(test, "out of memory");
		return;
	}
	host = pfx + 128;
	path = pfx + 256;
	for (i = 0; i < n; i++) {
		if (i < ROUTE_VEC_BIG_N)
			route_vec_big_prefix(i, pfx, 128);
		else
			strscpy(pfx, ROUTE_VEC_BIG_CATCHALL, 128);
		if (parse(pfx, &keys[i], &msg))
			bad_parse++;
		ptrs[i] = &keys[i];
	}
	KUNIT_EXPECT_EQ(test, bad_parse, 0);
	err = route_table_build(ptrs, n, &t);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err && !bad_parse) {
		KUNIT_EXPECT_EQ(test, route_table_count(t), n);
		for (i = 0; i < ROUTE_VEC_BIG_N; i++) {
			route_vec_big_request(i, false, host, path, 128);
			if (route_table_lookup(t, host, strlen(host), &local,
					       path, strlen(path)) != &keys[i])
				bad_hit++;
			route_vec_big_request(i, true, host, path, 128);
			if (route_table_lookup(t, host, strlen(host), &local,
					       path, strlen(path)) !=
			    &keys[ROUTE_VEC_BIG_N])
				bad_miss++;
			cond_resched();
		}
		KUNIT_EXPECT_EQ(test, bad_hit, 0);
		KUNIT_EXPECT_EQ(test, bad_miss, 0);
		route_table_free(t);
	}
	for (i = 0; i < n; i++)
		route_key_destroy(&keys[i]);
	kvfree(keys);
	kvfree(ptrs);
}

/* Parse @s into @k, which the test then owns. */
static void key(struct kunit *test, const char *s, struct route_key *k)
{
	const char *msg;

	KUNIT_ASSERT_EQ_MSG(test, parse(s, k, &msg), 0, "%s: %s", s, msg);
}

static const struct route_key *look(const struct route_table *t,
				    const char *host, const char *path)
{
	static const struct khttp_addr local = RV_V4(10, 0, 0, 1, 80);

	return route_table_lookup(t, host, host ? strlen(host) : 0, &local,
				  path, strlen(path));
}

static void route_table_ops_test(struct kunit *test)
{
	struct route_key *k = kunit_kzalloc(test, 8 * sizeof(*k), GFP_KERNEL);
	struct route_table *t;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, k);
	key(test, "/app/", &k[0]);
	key(test, "/app", &k[1]);		/* equal to k[0] */
	key(test, "/app/x/", &k[2]);
	key(test, "http://www.example.com/app/", &k[3]);
	key(test, "/nothere/", &k[4]);
	key(test, "/", &k[5]);
	key(test, "/app/", &k[6]);		/* the replacement of k[0] */

	KUNIT_ASSERT_EQ(test, route_table_new(&t), 0);
	KUNIT_EXPECT_EQ(test, route_table_count(t), 0);
	KUNIT_EXPECT_PTR_EQ(test, look(t, NULL, "/app/"), NULL);
	KUNIT_EXPECT_PTR_EQ(test, route_table_remove(t, &k[0]), NULL);

	KUNIT_EXPECT_EQ(test, route_table_insert(t, &k[0]), 0);
	KUNIT_EXPECT_EQ(test, route_table_insert(t, &k[1]), -EEXIST);
	KUNIT_EXPECT_EQ(test, route_table_insert(t, &k[0]), -EEXIST);
	KUNIT_EXPECT_EQ(test, route_table_insert(t, &k[2]), 0);
	KUNIT_EXPECT_EQ(test, route_table_insert(t, &k[3]), 0);
	KUNIT_EXPECT_EQ(test, route_table_count(t), 3);
	KUNIT_EXPECT_PTR_EQ(test, route_table_find(t, &k[1]), &k[0]);
	KUNIT_EXPECT_PTR_EQ(test, route_table_find(t, &k[4]), NULL);
	KUNIT_EXPECT_PTR_EQ(test, look(t, NULL, "/app/y"), &k[0]);
	KUNIT_EXPECT_PTR_EQ(test, look(t, NULL, "/app/x/y"), &k[2]);
	KUNIT_EXPECT_PTR_EQ(test, look(t, "www.example.com", "/app/y"), &k[3]);

	/* Deleting a missing route changes nothing. */
	KUNIT_EXPECT_PTR_EQ(test, route_table_remove(t, &k[4]), NULL);
	KUNIT_EXPECT_EQ(test, route_table_count(t), 3);

	/* Removing by an equal key gives back the one in the table. */
	KUNIT_EXPECT_PTR_EQ(test, route_table_remove(t, &k[1]), &k[0]);
	KUNIT_EXPECT_PTR_EQ(test, route_table_remove(t, &k[0]), NULL);
	KUNIT_EXPECT_EQ(test, route_table_count(t), 2);
	KUNIT_EXPECT_PTR_EQ(test, look(t, NULL, "/app/y"), NULL);
	KUNIT_EXPECT_PTR_EQ(test, look(t, NULL, "/app/x/y"), &k[2]);
	KUNIT_EXPECT_PTR_EQ(test, look(t, "www.example.com", "/app/y"), &k[3]);

	/* Replace: delete, then add an equal prefix; the new key answers. */
	KUNIT_EXPECT_EQ(test, route_table_insert(t, &k[6]), 0);
	KUNIT_EXPECT_PTR_EQ(test, look(t, NULL, "/app/y"), &k[6]);
	KUNIT_EXPECT_PTR_EQ(test, look(t, NULL, "/app"), &k[6]);

	/* The longest route going leaves the shorter ones working. */
	KUNIT_EXPECT_EQ(test, route_table_insert(t, &k[5]), 0);
	KUNIT_EXPECT_PTR_EQ(test, route_table_remove(t, &k[2]), &k[2]);
	KUNIT_EXPECT_PTR_EQ(test, look(t, NULL, "/app/x/y"), &k[6]);
	KUNIT_EXPECT_EQ(test, t->maxpath, 5);
	KUNIT_EXPECT_PTR_EQ(test, look(t, NULL, "/other"), &k[5]);
	KUNIT_EXPECT_PTR_EQ(test, route_table_remove(t, &k[3]), &k[3]);
	KUNIT_EXPECT_PTR_EQ(test, look(t, "www.example.com", "/app/y"), &k[6]);
	KUNIT_EXPECT_EQ(test, t->kinds, 1u << ROUTE_HOST_ANY);

	/* A key route_key_parse() did not make is refused. */
	k[7] = k[4];
	k[7].hash ^= 1;
	KUNIT_EXPECT_EQ(test, route_table_insert(t, &k[7]), -EINVAL);
	memset(&k[7], 0, sizeof(k[7]));
	KUNIT_EXPECT_EQ(test, route_table_insert(t, &k[7]), -EINVAL);
	KUNIT_EXPECT_EQ(test, route_table_count(t), 2);
	route_table_free(t);
	destroy_set(k, 7);
}

/* The sizing rules: at most half the slots in use, memory follows count. */
static void expect_bounds(struct kunit *test, const struct route_table *t)
{
	u32 nslots = t->slots->mask + 1;

	KUNIT_EXPECT_LE(test, 2 * t->used, nslots);
	KUNIT_EXPECT_LE(test, t->count, t->used);
	KUNIT_EXPECT_LE(test, nslots, max(route_slots_for(t->count),
					  16 * t->count));
}

/*
 * 10,000 routes (the big vectors) added one at a time, half of them
 * deleted and added back, then all deleted: lookups right after each step.
 */
static void route_churn_test(struct kunit *test)
{
	const u32 n = ROUTE_VEC_BIG_N + 1, cat = ROUTE_VEC_BIG_N;
	struct khttp_addr local = RV_V4(192, 0, 2, 1, 80);
	struct route_key *keys;
	struct route_table *t;
	char *pfx, *host, *path;
	u32 i, bad = 0, step;
	const struct route_key *want, *got;

	keys = kvcalloc(n, sizeof(*keys), GFP_KERNEL);
	pfx = kunit_kzalloc(test, 3 * 128, GFP_KERNEL);
	if (!keys || !pfx) {
		kvfree(keys);
		KUNIT_FAIL(test, "out of memory");
		return;
	}
	host = pfx + 128;
	path = pfx + 256;
	for (i = 0; i < n; i++) {
		if (i < cat)
			route_vec_big_prefix(i, pfx, 128);
		else
			strscpy(pfx, ROUTE_VEC_BIG_CATCHALL, 128);
		key(test, pfx, &keys[i]);
	}
	KUNIT_ASSERT_EQ(test, route_table_new(&t), 0);
	KUNIT_EXPECT_EQ(test, route_table_insert(t, &keys[cat]), 0);
	for (i = 0; i < cat; i++)
		if (route_table_insert(t, &keys[i]))
			bad++;
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, route_table_count(t), n);
	expect_bounds(test, t);

	/* step 0: odd routes deleted; 1: added back; 2: all deleted. */
	for (step = 0; step < 3; step++) {
		for (i = 0; i < n; i++) {
			if (step == 0 && i % 2 && i != cat)
				KUNIT_EXPECT_PTR_EQ(test,
						    route_table_remove(t, &keys[i]),
						    &keys[i]);
			if (step == 1 && i % 2 && i != cat)
				KUNIT_EXPECT_EQ(test,
						route_table_insert(t, &keys[i]), 0);
			if (step == 2)
				route_table_remove(t, &keys[i]);
		}
		expect_bounds(test, t);
		bad = 0;
		for (i = 0; i < cat; i++) {
			want = step == 2 ? NULL :
			       (step == 0 && i % 2) ? &keys[cat] : &keys[i];
			route_vec_big_request(i, false, host, path, 128);
			got = route_table_lookup(t, host, strlen(host),
						 &local, path,
						 strlen(path));
			if (got != want)
				bad++;
			route_vec_big_request(i, true, host, path, 128);
			got = route_table_lookup(t, host, strlen(host),
						 &local, path,
						 strlen(path));
			if (got != (step == 2 ? NULL : &keys[cat]))
				bad++;
			cond_resched();
		}
		KUNIT_EXPECT_EQ_MSG(test, bad, 0, "step %u", step);
	}
	KUNIT_EXPECT_EQ(test, route_table_count(t), 0);
	KUNIT_EXPECT_EQ(test, t->slots->mask + 1, ROUTE_SLOTS_MIN);
	KUNIT_EXPECT_EQ(test, t->kinds, 0);
	KUNIT_EXPECT_EQ(test, t->maxpath, 0);
	route_table_free(t);
	for (i = 0; i < n; i++)
		route_key_destroy(&keys[i]);
	kvfree(keys);
}

/*
 * A route replaced by another 20,000 times (add the new, delete the old):
 * tombstones never pile up and the table stays at its smallest.
 */
static void route_tombstone_test(struct kunit *test)
{
	struct route_key *k = kunit_kzalloc(test, 3 * sizeof(*k), GFP_KERNEL);
	char *s = kunit_kzalloc(test, 32, GFP_KERNEL);
	struct route_table *t;
	u32 i, bad = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, k);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_ASSERT_EQ(test, route_table_new(&t), 0);
	key(test, "/", &k[2]);
	KUNIT_EXPECT_EQ(test, route_table_insert(t, &k[2]), 0);
	key(test, "/t0/", &k[0]);
	KUNIT_EXPECT_EQ(test, route_table_insert(t, &k[0]), 0);
	for (i = 1; i <= 20000; i++) {
		struct route_key *old = &k[(i - 1) % 2], *new = &k[i % 2];

		snprintf(s, 32, "/t%u/", i);
		key(test, s, new);
		if (route_table_insert(t, new) ||
		    route_table_remove(t, old) != old ||
		    route_table_count(t) != 2 ||
		    t->slots->mask + 1 != ROUTE_SLOTS_MIN ||
		    2 * t->used > ROUTE_SLOTS_MIN)
			bad++;
		snprintf(s, 32, "/t%u/x", i);
		if (look(t, NULL, s) != new)
			bad++;
		snprintf(s, 32, "/t%u/x", i - 1);
		if (look(t, NULL, s) != &k[2])
			bad++;
		route_key_destroy(old);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	route_table_free(t);
	destroy_set(k, 3);
}

/*
 * Lookups racing with changes: a reader thread looks up routes that stay
 * while the writer adds and deletes thousands of others, growing and
 * shrinking the slots.  The reader must always find its routes; KASAN
 * catches a reader on freed slots or keys.  As in the module, a deleted
 * key is freed only after a grace period.
 */
#define RACE_STABLE	64
#define RACE_CHURN	3000

struct route_race {
	struct route_table *t;
	struct route_key *stable;
	atomic_t lookups, wrong;
};

static int route_race_reader(void *arg)
{
	struct route_race *r = arg;
	char path[32];
	u32 i = 0;

	while (!kthread_should_stop()) {
		i = (i + 7) % RACE_STABLE;
		snprintf(path, sizeof(path), "/s%u/y", i);
		rcu_read_lock();
		if (look(r->t, NULL, path) != &r->stable[i])
			atomic_inc(&r->wrong);
		rcu_read_unlock();
		atomic_inc(&r->lookups);
		cond_resched();
	}
	return 0;
}

static void route_race_test(struct kunit *test)
{
	struct route_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct route_key *churn;
	struct task_struct *reader;
	char s[32];
	u32 i, round, bad = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	r->stable = kunit_kcalloc(test, RACE_STABLE, sizeof(*r->stable),
				  GFP_KERNEL);
	churn = kvcalloc(RACE_CHURN, sizeof(*churn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r->stable);
	if (!churn) {
		KUNIT_FAIL(test, "out of memory");
		return;
	}
	KUNIT_ASSERT_EQ(test, route_table_new(&r->t), 0);
	for (i = 0; i < RACE_STABLE; i++) {
		snprintf(s, sizeof(s), "/s%u/", i);
		key(test, s, &r->stable[i]);
		KUNIT_EXPECT_EQ(test, route_table_insert(r->t, &r->stable[i]), 0);
	}
	reader = kthread_run(route_race_reader, r, "route_race");
	if (IS_ERR(reader)) {
		KUNIT_FAIL(test, "no reader thread");
		goto out;
	}
	for (round = 0; round < 3; round++) {
		for (i = 0; i < RACE_CHURN; i++) {
			/* Shaped like the stable paths: probes compare both. */
			snprintf(s, sizeof(s), "/%c%u/", 'a' + round, i);
			key(test, s, &churn[i]);
			if (route_table_insert(r->t, &churn[i]))
				bad++;
			if (i % 64 == 0)
				cond_resched();
		}
		for (i = 0; i < RACE_CHURN; i++)
			if (route_table_remove(r->t, &churn[i]) != &churn[i])
				bad++;
		/* Readers may still be on the keys just removed. */
		synchronize_rcu();
		for (i = 0; i < RACE_CHURN; i++)
			route_key_destroy(&churn[i]);
	}
	/* Let the reader run a little with the table settled. */
	msleep(20);
	kthread_stop(reader);
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->wrong), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&r->lookups), 0);
	KUNIT_EXPECT_EQ(test, route_table_count(r->t), RACE_STABLE);
	expect_bounds(test, r->t);
out:
	route_table_free(r->t);
	destroy_set(r->stable, RACE_STABLE);
	kvfree(churn);
}

static struct kunit_case khttp_route_cases[] = {
	KUNIT_CASE_PARAM(route_parse_ok_test, route_parse_ok_gen_params),
	KUNIT_CASE_PARAM(route_parse_bad_test, route_parse_bad_gen_params),
	KUNIT_CASE(route_parse_limits_test),
	KUNIT_CASE_PARAM(route_equal_test, route_equal_gen_params),
	KUNIT_CASE_PARAM(route_match_test, route_match_gen_params),
	KUNIT_CASE(route_table_misc_test),
	KUNIT_CASE_PARAM(route_reach_test, route_reach_gen_params),
	KUNIT_CASE(route_big_test),
	KUNIT_CASE(route_table_ops_test),
	KUNIT_CASE(route_churn_test),
	KUNIT_CASE(route_tombstone_test),
	KUNIT_CASE(route_race_test),
	{}
};

static struct kunit_suite khttp_route_suite = {
	.name = "khttp_route",
	.test_cases = khttp_route_cases,
};

kunit_test_suite(khttp_route_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for khttp route prefixes and the route table");
