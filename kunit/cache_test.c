// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the response cache (cache.c) and its rules (cachepolicy.c): keys,
 * what may be stored, prefixes, hits, TTL expiry, CLOCK eviction under the
 * memory cap, the thundering-herd reservation, and entries built whole by
 * their user (static files): kinds apart, replace, remove, release; and
 * the conditional-request evaluator static files and cached answers share.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include "../kmod/cachepolicy.c"
#include "../kmod/parser.c"
#include "../kmod/chunked.c"
#include "../kmod/httpval.c"
#include "../kmod/cache.c"
#include "../kmod/compat/compat.c"
#include "cache_vectors.h"

static void cache_keys(struct kunit *test)
{
	char out[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cache_key_vectors); i++) {
		const struct cache_key_vector *v = &cache_key_vectors[i];
		int n = khttp_cache_key(out, sizeof(out), v->host,
					strlen(v->host), v->port, v->path,
					strlen(v->path),
					v->query ? v->query : "",
					v->query ? strlen(v->query) : 0,
					v->query != NULL);

		KUNIT_EXPECT_EQ(test, n, (int)strlen(v->want));
		KUNIT_EXPECT_STREQ(test, out, v->want);
	}
	KUNIT_EXPECT_EQ(test, khttp_cache_key(out, 12, "a.com", 5, 80, "/",
					      1, "", 0, false),
			-ENAMETOOLONG);
}

static void cache_response_rules(struct kunit *test)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cache_resp_vectors); i++) {
		const struct cache_resp_vector *v = &cache_resp_vectors[i];

		KUNIT_EXPECT_EQ_MSG(test, (int)khttp_cache_response_ok(v->status,
				    v->headers, strlen(v->headers)), v->want,
				    "status %u headers '%s'", v->status,
				    v->headers);
	}
}

static void cache_prefixes(struct kunit *test)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cache_prefix_vectors); i++) {
		const struct cache_prefix_vector *v = &cache_prefix_vectors[i];

		KUNIT_EXPECT_EQ_MSG(test, khttp_cache_prefix_match(v->key,
				    strlen(v->key), v->prefix,
				    strlen(v->prefix)), v->want,
				    "key %s prefix %s", v->key, v->prefix);
	}
}

static struct khttp_cache *cache_new(struct kunit *test, u64 cap)
{
	struct khttp_cache *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_EQ(test, khttp_cache_init(c, cap, 1 << 20), 0);
	return c;
}

/* Reserve @key and fill it with @body for @ttl seconds at @now. */
static void cache_put(struct kunit *test, struct khttp_cache *c,
		      const char *key, const char *body, u32 ttl, u64 now)
{
	struct khttp_centry *e;

	KUNIT_ASSERT_EQ(test, (int)khttp_cache_lookup(c, key, strlen(key), now,
						      true, NULL, &e),
			(int)KHTTP_CACHE_FILL);
	KUNIT_ASSERT_EQ(test, khttp_cache_fill(c, e, 1, 200, "X: 1\r\n", 6, body,
					       strlen(body), ttl, now, NULL), 0);
}

static bool cache_has(struct khttp_cache *c, const char *key, u64 now)
{
	struct khttp_centry *e;

	if (khttp_cache_lookup(c, key, strlen(key), now, false, NULL, &e) !=
	    KHTTP_CACHE_HIT)
		return false;
	khttp_centry_put(e);
	return true;
}

static void cache_hit_and_ttl(struct kunit *test)
{
	struct khttp_cache *c = cache_new(test, 1 << 20);
	struct khttp_centry *e;

	cache_put(test, c, "http://a:80/x", "hello", 10, 1000);
	KUNIT_ASSERT_EQ(test, (int)khttp_cache_lookup(c, "http://a:80/x", 13,
						      5000, false, NULL, &e),
			(int)KHTTP_CACHE_HIT);
	KUNIT_EXPECT_EQ(test, e->status, 200);
	KUNIT_EXPECT_EQ(test, e->body_len, 5U);
	KUNIT_EXPECT_EQ(test, memcmp(e->body, "hello", 5), 0);
	KUNIT_EXPECT_EQ(test, e->hdrs_len, 6U);
	khttp_centry_put(e);
	/* One millisecond before and at the TTL's end. */
	KUNIT_EXPECT_TRUE(test, cache_has(c, "http://a:80/x", 10999));
	KUNIT_EXPECT_FALSE(test, cache_has(c, "http://a:80/x", 11000));
	KUNIT_EXPECT_FALSE(test, cache_has(c, "http://a:80/y", 2000));
	KUNIT_EXPECT_EQ(test, khttp_cache_expire(c, 11000), 1U);
	KUNIT_EXPECT_EQ(test, c->count, 0U);
	KUNIT_EXPECT_EQ(test, c->bytes, 0ULL);
	khttp_cache_destroy(c);
}

static void cache_clock_eviction(struct kunit *test)
{
	struct khttp_cache *c = cache_new(test, 1 << 20);
	char *body = kunit_kzalloc(test, 2000, GFP_KERNEL);
	u64 one;

	KUNIT_ASSERT_NOT_NULL(test, body);
	memset(body, 'b', 1999);
	cache_put(test, c, "k/a", body, 60, 0);
	one = c->bytes;
	cache_put(test, c, "k/b", body, 60, 0);
	cache_put(test, c, "k/c", body, 60, 0);
	/*
	 * CLOCK: each entry gets one second chance.  With no hit since they
	 * went in, the oldest goes first.
	 */
	khttp_cache_set_limits(c, 3 * one - 1, 1 << 20);
	KUNIT_EXPECT_LE(test, c->bytes, 3 * one - 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&c->evictions), 1LL);
	KUNIT_EXPECT_FALSE(test, cache_has(c, "k/a", 1));
	/* c was used since the hand passed, b was not: b goes for d. */
	KUNIT_EXPECT_TRUE(test, cache_has(c, "k/c", 1));
	cache_put(test, c, "k/d", body, 60, 2);
	KUNIT_EXPECT_LE(test, c->bytes, 3 * one - 1);
	KUNIT_EXPECT_FALSE(test, cache_has(c, "k/b", 3));
	KUNIT_EXPECT_TRUE(test, cache_has(c, "k/c", 3));
	KUNIT_EXPECT_TRUE(test, cache_has(c, "k/d", 3));
	KUNIT_EXPECT_EQ(test, atomic64_read(&c->evictions), 2LL);
	/* The per-entry limit refuses big answers outright. */
	khttp_cache_set_limits(c, 1 << 20, 100);
	{
		struct khttp_centry *e;

		KUNIT_ASSERT_EQ(test, (int)khttp_cache_lookup(c, "k/big", 5, 4,
							      true, NULL, &e),
				(int)KHTTP_CACHE_FILL);
		KUNIT_EXPECT_EQ(test, khttp_cache_fill(c, e, 1, 200, "", 0, body,
						       200, 60, 4, NULL), -EFBIG);
		KUNIT_EXPECT_FALSE(test, cache_has(c, "k/big", 5));
	}
	khttp_cache_destroy(c);
}

struct cache_waiter {
	struct khttp_cwait w;
	int woken;
};

static void cache_waiter_wake(struct khttp_cwait *w)
{
	container_of(w, struct cache_waiter, w)->woken++;
}

static void cache_herd(struct kunit *test)
{
	struct khttp_cache *c = cache_new(test, 1 << 20);
	struct cache_waiter a = { .w.wake = cache_waiter_wake };
	struct cache_waiter b = { .w.wake = cache_waiter_wake };
	struct khttp_centry *e, *e2;

	INIT_LIST_HEAD(&a.w.node);
	INIT_LIST_HEAD(&b.w.node);
	/* The first miss reserves; the next ones wait for it. */
	KUNIT_ASSERT_EQ(test, (int)khttp_cache_lookup(c, "h", 1, 0, true,
						      NULL, &e),
			(int)KHTTP_CACHE_FILL);
	KUNIT_EXPECT_EQ(test, (int)khttp_cache_lookup(c, "h", 1, 0, true,
						      &a.w, &e2),
			(int)KHTTP_CACHE_WAIT);
	KUNIT_EXPECT_EQ(test, (int)khttp_cache_lookup(c, "h", 1, 0, true,
						      &b.w, &e2),
			(int)KHTTP_CACHE_WAIT);
	khttp_cache_unwait(c, &b.w);	/* b's client went away */
	KUNIT_EXPECT_EQ(test, khttp_cache_fill(c, e, 1, 200, "", 0, "x", 1, 5, 0,
					       NULL), 0);
	KUNIT_EXPECT_EQ(test, a.woken, 1);
	KUNIT_EXPECT_EQ(test, b.woken, 0);
	KUNIT_EXPECT_TRUE(test, cache_has(c, "h", 1));
	KUNIT_EXPECT_EQ(test, atomic64_read(&c->inserts), 1LL);

	/* An abandoned reservation wakes its waiters, who then miss. */
	a.woken = 0;
	KUNIT_ASSERT_EQ(test, (int)khttp_cache_lookup(c, "u", 1, 0, true,
						      NULL, &e),
			(int)KHTTP_CACHE_FILL);
	KUNIT_EXPECT_EQ(test, (int)khttp_cache_lookup(c, "u", 1, 0, true,
						      &a.w, &e2),
			(int)KHTTP_CACHE_WAIT);
	khttp_cache_abandon(c, e);
	KUNIT_EXPECT_EQ(test, a.woken, 1);
	KUNIT_EXPECT_FALSE(test, cache_has(c, "u", 1));
	KUNIT_EXPECT_EQ(test, c->count, 1U);
	khttp_cache_destroy(c);
}

/*
 * Two misses for one key at the same moment: one reserves, the other
 * waits, never both going to the worker.  Threads on two CPUs race
 * through the same keys; the second lookup of a pair lands between the
 * first one's two locked sections often enough to catch a loser that
 * gives up instead of waiting.
 */
#define HERD_KEYS 2000
#define HERD_THREADS 2

struct herd_racer {
	struct khttp_cache *c;
	struct completion *go;
	struct completion done;
	struct cache_waiter *w;		/* one per key */
	u8 *res;			/* enum khttp_cache_lookup per key */
	struct khttp_centry **e;	/* the reservation, per key */
};

static int herd_racer_fn(void *arg)
{
	struct herd_racer *r = arg;
	char key[16];
	int i;

	wait_for_completion(r->go);
	for (i = 0; i < HERD_KEYS; i++) {
		int n = scnprintf(key, sizeof(key), "r%d", i);

		r->res[i] = khttp_cache_lookup(r->c, key, n, 0, true,
					       &r->w[i].w, &r->e[i]);
	}
	complete(&r->done);
	return 0;
}

static void cache_herd_race(struct kunit *test)
{
	struct khttp_cache *c = cache_new(test, 64 << 20);
	struct herd_racer r[HERD_THREADS];
	DECLARE_COMPLETION_ONSTACK(go);
	int i, t, fills, misses = 0;

	for (t = 0; t < HERD_THREADS; t++) {
		struct task_struct *k;

		r[t].c = c;
		r[t].go = &go;
		init_completion(&r[t].done);
		r[t].w = kunit_kcalloc(test, HERD_KEYS, sizeof(*r[t].w),
				       GFP_KERNEL);
		r[t].res = kunit_kcalloc(test, HERD_KEYS, 1, GFP_KERNEL);
		r[t].e = kunit_kcalloc(test, HERD_KEYS, sizeof(*r[t].e),
				       GFP_KERNEL);
		KUNIT_ASSERT_TRUE(test, r[t].w && r[t].res && r[t].e);
		for (i = 0; i < HERD_KEYS; i++) {
			r[t].w[i].w.wake = cache_waiter_wake;
			INIT_LIST_HEAD(&r[t].w[i].w.node);
		}
		k = kthread_run(herd_racer_fn, &r[t], "khttp-herd%d", t);
		KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	}
	complete_all(&go);
	for (t = 0; t < HERD_THREADS; t++)
		wait_for_completion(&r[t].done);

	for (i = 0; i < HERD_KEYS; i++) {
		fills = 0;
		for (t = 0; t < HERD_THREADS; t++) {
			fills += r[t].res[i] == KHTTP_CACHE_FILL;
			misses += r[t].res[i] == KHTTP_CACHE_MISS;
		}
		KUNIT_EXPECT_EQ_MSG(test, fills, 1, "key r%d", i);
	}
	KUNIT_EXPECT_EQ_MSG(test, misses, 0,
			    "misses that went to the worker beside a reservation");
	for (i = 0; i < HERD_KEYS; i++)
		for (t = 0; t < HERD_THREADS; t++)
			if (r[t].res[i] == KHTTP_CACHE_FILL)
				khttp_cache_abandon(c, r[t].e[i]);
	khttp_cache_destroy(c);
}

/* Hit-for-pass: after an answer that may not be stored, nobody waits. */
static void cache_pass(struct kunit *test)
{
	struct khttp_cache *c = cache_new(test, 1 << 20);
	struct cache_waiter a = { .w.wake = cache_waiter_wake };
	struct khttp_centry *e, *e2;

	INIT_LIST_HEAD(&a.w.node);
	KUNIT_ASSERT_EQ(test, (int)khttp_cache_lookup(c, "p", 1, 0, true,
						      NULL, &e),
			(int)KHTTP_CACHE_FILL);
	KUNIT_EXPECT_EQ(test, (int)khttp_cache_lookup(c, "p", 1, 0, true,
						      &a.w, &e2),
			(int)KHTTP_CACHE_WAIT);
	khttp_cache_pass(c, e, 0, 1000);
	KUNIT_EXPECT_EQ(test, a.woken, 1);
	/* Until it ends: a miss, no reservation, not listed, not a hit. */
	KUNIT_EXPECT_EQ(test, (int)khttp_cache_lookup(c, "p", 1, 999, true,
						      &a.w, &e2),
			(int)KHTTP_CACHE_MISS);
	KUNIT_EXPECT_PTR_EQ(test, e2, NULL);
	KUNIT_EXPECT_FALSE(test, cache_has(c, "p", 10));
	KUNIT_EXPECT_EQ(test, a.woken, 1);
	KUNIT_EXPECT_EQ(test, c->count, 1U);
	/* Then the next miss reserves again. */
	KUNIT_ASSERT_EQ(test, (int)khttp_cache_lookup(c, "p", 1, 1000, true,
						      NULL, &e),
			(int)KHTTP_CACHE_FILL);
	KUNIT_EXPECT_EQ(test, khttp_cache_fill(c, e, 1, 200, "", 0, "y", 1, 5,
					       1000, NULL), 0);
	KUNIT_EXPECT_TRUE(test, cache_has(c, "p", 1001));
	/* A pass for a reservation flushed meanwhile leaves nothing. */
	KUNIT_ASSERT_EQ(test, (int)khttp_cache_lookup(c, "q", 1, 0, true,
						      NULL, &e),
			(int)KHTTP_CACHE_FILL);
	khttp_cache_flush(c, "", 0, 0);
	khttp_cache_pass(c, e, 0, 1000);
	KUNIT_EXPECT_EQ(test, c->count, 0U);
	KUNIT_EXPECT_EQ(test, c->bytes, 0ULL);
	khttp_cache_destroy(c);
}

static void cache_flush(struct kunit *test)
{
	struct khttp_cache *c = cache_new(test, 1 << 20);
	struct khttp_centry *e;

	cache_put(test, c, "http://a:80/app/1", "1", 60, 0);
	cache_put(test, c, "http://a:80/app/2", "2", 60, 0);
	cache_put(test, c, "http://b:80/other", "3", 60, 0);
	/* A worker may only invalidate its own pool's answers. */
	KUNIT_EXPECT_EQ(test, khttp_cache_flush(c, "/app/", 5, 2), 0U);
	KUNIT_EXPECT_EQ(test, khttp_cache_flush(c, "/app/", 5, 1), 2U);
	KUNIT_EXPECT_FALSE(test, cache_has(c, "http://a:80/app/1", 1));
	KUNIT_EXPECT_TRUE(test, cache_has(c, "http://b:80/other", 1));
	/* A reservation flushed mid-fill stores nothing. */
	KUNIT_ASSERT_EQ(test, (int)khttp_cache_lookup(c, "http://a:80/app/3",
						      17, 0, true, NULL, &e),
			(int)KHTTP_CACHE_FILL);
	khttp_cache_flush(c, "", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_cache_fill(c, e, 1, 200, "", 0, "3", 1, 60,
					       0, NULL), -ESTALE);
	KUNIT_EXPECT_FALSE(test, cache_has(c, "http://a:80/app/3", 1));
	KUNIT_EXPECT_EQ(test, c->count, 0U);
	KUNIT_EXPECT_EQ(test, c->bytes, 0ULL);
	khttp_cache_destroy(c);
}

static int cache_released;

static void cache_release(struct khttp_centry *e)
{
	cache_released++;
}

static struct khttp_centry *cache_file_entry(struct kunit *test,
					     const char *key)
{
	struct khttp_centry *e;

	e = khttp_centry_new(key, strlen(key), KHTTP_CKIND_FILE, 64);
	KUNIT_ASSERT_NOT_NULL(test, e);
	/* The extra bytes are aligned, after the key, and usable. */
	KUNIT_EXPECT_EQ(test, (uintptr_t)khttp_centry_extra(e) %
			sizeof(void *), (uintptr_t)0);
	KUNIT_EXPECT_TRUE(test, (char *)khttp_centry_extra(e) >
			  e->data + strlen(key));
	memset(khttp_centry_extra(e), 0xa5, 64);
	e->release = cache_release;
	e->expires_ms = U64_MAX;
	return e;
}

static bool cache_file_match(struct khttp_centry *e, void *arg)
{
	return e->key.kind == KHTTP_CKIND_FILE;
}

static void cache_whole_entries(struct kunit *test)
{
	struct khttp_cache *c = cache_new(test, 1 << 20);
	struct khttp_centry *e, *f, *g;

	cache_released = 0;
	/* A worker's answer and a file under one key live apart. */
	cache_put(test, c, "http://a:80/f", "worker", 60, 0);
	KUNIT_EXPECT_PTR_EQ(test, khttp_cache_get(c, "http://a:80/f", 13,
						  KHTTP_CKIND_FILE), NULL);
	e = cache_file_entry(test, "http://a:80/f");
	KUNIT_ASSERT_EQ(test, khttp_cache_insert(c, e), 0);
	KUNIT_EXPECT_EQ(test, c->count, 2U);
	KUNIT_EXPECT_TRUE(test, cache_has(c, "http://a:80/f", 1));
	f = khttp_cache_get(c, "http://a:80/f", 13, KHTTP_CKIND_FILE);
	KUNIT_EXPECT_PTR_EQ(test, f, e);
	/* A newer entry replaces one its user found stale. */
	g = cache_file_entry(test, "http://a:80/f");
	KUNIT_ASSERT_EQ(test, khttp_cache_insert(c, g), 0);
	KUNIT_EXPECT_EQ(test, c->count, 2U);
	/* The old one lives on while used, and is released after. */
	KUNIT_EXPECT_EQ(test, cache_released, 0);
	khttp_centry_put(f);
	KUNIT_EXPECT_EQ(test, cache_released, 1);
	f = khttp_cache_get(c, "http://a:80/f", 13, KHTTP_CKIND_FILE);
	KUNIT_EXPECT_PTR_EQ(test, f, g);
	/* Removing what was found stale; removing twice is harmless. */
	khttp_cache_remove(c, f);
	khttp_cache_remove(c, f);
	KUNIT_EXPECT_EQ(test, cache_released, 1);
	khttp_centry_put(f);
	KUNIT_EXPECT_EQ(test, cache_released, 2);
	KUNIT_EXPECT_PTR_EQ(test, khttp_cache_get(c, "http://a:80/f", 13,
						  KHTTP_CKIND_FILE), NULL);
	/* Never over a reservation. */
	KUNIT_ASSERT_EQ(test, (int)khttp_cache_lookup(c, "http://a:80/r", 13, 0,
						      true, NULL, &e),
			(int)KHTTP_CACHE_FILL);
	f = cache_file_entry(test, "http://a:80/r");
	f->key.kind = KHTTP_CKIND_RESPONSE;
	KUNIT_EXPECT_EQ(test, khttp_cache_insert(c, f), -EEXIST);
	KUNIT_EXPECT_EQ(test, cache_released, 3);
	khttp_cache_abandon(c, e);
	/* Selective flush; the worker's answer stays. */
	KUNIT_ASSERT_EQ(test, khttp_cache_insert(c, cache_file_entry(test,
							"http://a:80/g")), 0);
	KUNIT_EXPECT_EQ(test, khttp_cache_flush_if(c, cache_file_match, NULL),
			1U);
	KUNIT_EXPECT_EQ(test, cache_released, 4);
	KUNIT_EXPECT_TRUE(test, cache_has(c, "http://a:80/f", 1));
	KUNIT_EXPECT_EQ(test, c->count, 1U);
	khttp_cache_destroy(c);
}

/* If-None-Match lists against one of our validators. */
static void cache_etag_lists(struct kunit *test)
{
	static const struct {
		const char *list;
		bool match;
	} v[] = {
		{ "\"abc\"", true },
		{ "W/\"abc\"", true },
		{ "\"x\", \"abc\"", true },
		{ " \"x\" ,W/\"abc\" , \"y\"", true },
		{ "*", true },
		{ "\"x\",*", true },
		{ "\"abcd\"", false },
		{ "\"ab\"", false },
		{ "abc", false },
		{ "W/", false },
		{ ",,, ,", false },
		{ "", false },
		{ "\"ABC\"", false },		/* entity-tags are case-sensitive */
	};
	size_t i, p = 0, s, e;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		KUNIT_EXPECT_EQ_MSG(test, khttp_etag_listed(v[i].list,
							    strlen(v[i].list),
							    "\"abc\""),
				    v[i].match, "list %s", v[i].list);
	/* The iterator: elements without blanks, empty ones skipped. */
	KUNIT_ASSERT_TRUE(test, khttp_list_next(" a ,, b\t,", 9, &p, &s, &e));
	KUNIT_EXPECT_EQ(test, s, (size_t)1);
	KUNIT_EXPECT_EQ(test, e, (size_t)2);
	KUNIT_ASSERT_TRUE(test, khttp_list_next(" a ,, b\t,", 9, &p, &s, &e));
	KUNIT_EXPECT_EQ(test, s, (size_t)6);
	KUNIT_EXPECT_EQ(test, e, (size_t)7);
	KUNIT_EXPECT_FALSE(test, khttp_list_next(" a ,, b\t,", 9, &p, &s, &e));
}

/*
 * Conditionals and ranges (RFC 9110 13.2.2): If-None-Match decides alone
 * when present, If-Modified-Since only without it, If-Range gates Range.
 */
static void cache_conditionals(struct kunit *test)
{
#define LM "Sun, 06 Nov 1994 08:49:37 GMT"
	static const struct {
		const char *inm, *ims, *if_range, *range;
		bool get, lastmod;
		u16 status;
		u64 start, end;
	} v[] = {
		{ NULL, NULL, NULL, NULL, true, true, 200 },
		{ "\"e1\"", NULL, NULL, NULL, true, true, 304 },
		{ "W/\"e1\"", NULL, NULL, NULL, false, true, 304 },
		{ "*", NULL, NULL, NULL, true, false, 304 },
		{ "\"e2\"", NULL, NULL, NULL, true, true, 200 },
		{ NULL, LM, NULL, NULL, true, true, 304 },
		{ NULL, "Mon, 07 Nov 1994 08:49:37 GMT", NULL, NULL, true, true,
		  304 },
		{ NULL, "Sat, 05 Nov 1994 08:49:37 GMT", NULL, NULL, true, true,
		  200 },
		{ NULL, "Sunday, 06-Nov-94 08:49:37 GMT", NULL, NULL, true,
		  true, 304 },
		{ NULL, "not a date", NULL, NULL, true, true, 200 },
		/* No Last-Modified: nothing to compare a date with. */
		{ NULL, LM, NULL, NULL, true, false, 200 },
		/* If-None-Match wins, whichever way it goes. */
		{ "\"e2\"", LM, NULL, NULL, true, true, 200 },
		{ "\"e1\"", "Sat, 05 Nov 1994 08:49:37 GMT", NULL, NULL, true,
		  true, 304 },
		{ "", LM, NULL, NULL, true, true, 200 },
		/* Ranges: GET only, one range, If-Range exact. */
		{ NULL, NULL, NULL, "bytes=0-4", true, true, 206, 0, 4 },
		{ NULL, NULL, NULL, "bytes=-3", true, true, 206, 97, 99 },
		{ NULL, NULL, NULL, "bytes=0-4", false, true, 200 },
		{ NULL, NULL, NULL, "bytes=100-", true, true, 416 },
		{ NULL, NULL, NULL, "bytes=0-1,3-4", true, true, 200 },
		{ NULL, NULL, NULL, "lines=0-4", true, true, 200 },
		{ NULL, NULL, "\"e1\"", "bytes=5-9", true, true, 206, 5, 9 },
		{ NULL, NULL, LM, "bytes=5-9", true, true, 206, 5, 9 },
		{ NULL, NULL, LM, "bytes=5-9", true, false, 200 },
		{ NULL, NULL, "\"e2\"", "bytes=5-9", true, true, 200 },
		{ NULL, NULL, "W/\"e1\"", "bytes=5-9", true, true, 200 },
		/* A 304 comes before any range. */
		{ "\"e1\"", NULL, NULL, "bytes=0-4", true, true, 304 },
		{ NULL, LM, NULL, "bytes=0-4", true, true, 304 },
	};
	struct khttp_cond_rep rep = {
		.etag = "\"e1\"", .etag_len = 4, .size = 100,
	};
	size_t i;

	KUNIT_ASSERT_EQ(test, khttp_parse_http_date(LM, strlen(LM),
						    &rep.mtime), 0);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		struct khttp_cond_req q = { .get = v[i].get };
		u64 start = 0, end = 0;
		u16 st;

		q.inm = v[i].inm;
		q.inm_len = v[i].inm ? strlen(v[i].inm) : 0;
		q.ims = v[i].ims;
		q.ims_len = v[i].ims ? strlen(v[i].ims) : 0;
		q.if_range = v[i].if_range;
		q.if_range_len = v[i].if_range ? strlen(v[i].if_range) : 0;
		q.range = v[i].range;
		q.range_len = v[i].range ? strlen(v[i].range) : 0;
		rep.lastmod = v[i].lastmod ? LM : NULL;
		rep.lastmod_len = v[i].lastmod ? strlen(LM) : 0;
		st = khttp_cond_eval(&q, &rep, &start, &end);
		KUNIT_EXPECT_EQ_MSG(test, st, v[i].status, "vector %zu", i);
		if (st == 206) {
			KUNIT_EXPECT_EQ_MSG(test, start, v[i].start,
					    "vector %zu", i);
			KUNIT_EXPECT_EQ_MSG(test, end, v[i].end, "vector %zu",
					    i);
		}
	}
#undef LM
}

static struct kunit_case khttp_cache_cases[] = {
	KUNIT_CASE(cache_keys),
	KUNIT_CASE(cache_response_rules),
	KUNIT_CASE(cache_prefixes),
	KUNIT_CASE(cache_etag_lists),
	KUNIT_CASE(cache_conditionals),
	KUNIT_CASE(cache_hit_and_ttl),
	KUNIT_CASE(cache_clock_eviction),
	KUNIT_CASE(cache_herd),
	KUNIT_CASE(cache_herd_race),
	KUNIT_CASE(cache_pass),
	KUNIT_CASE(cache_flush),
	KUNIT_CASE(cache_whole_entries),
	{}
};

static struct kunit_suite khttp_cache_suite = {
	.name = "khttp_cache",
	.test_cases = khttp_cache_cases,
};
kunit_test_suite(khttp_cache_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the khttp response cache");
