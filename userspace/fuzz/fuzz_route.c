// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/route.c, built in userspace with ASan/UBSan.
 *
 * Input: lines.  A line starting with '@' is a lookup, "@HOST PATH" (no
 * space: no Host header, the rest is the path); every other line (at most
 * 32) is a route prefix.  Properties checked:
 *   - route_key_parse() either fails with a message and one of the
 *     documented errnos, or gives a key whose canonical form parses back to
 *     an equal key with the same canonical form (formatting is a fixpoint);
 *   - route_table_build() over the keys, forwards and backwards, and every
 *     lookup (with three local addresses and none) returns a key of the
 *     table that is the best of the keys matching on their own (each key
 *     alone in a one-route table): longest path, then specific host, '+',
 *     path-only, '*'.  So the hashed multi-route table agrees with the
 *     single-route matcher and with the documented precedence;
 *   - a table changed one key at a time (insert all, remove every other
 *     one and check what is left, insert them back in reverse) answers
 *     every lookup as the one built at once, and refuses duplicates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "route.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_route: %s:%d: %s\n", __FILE__,	\
			__LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

#define MAX_KEYS	32
#define MAX_LOOKUPS	16

static const struct khttp_addr locals[] = {
	{ .family = ROUTE_AF_INET, .port = 80, .addr = { 10, 0, 0, 1 } },
	{ .family = ROUTE_AF_INET6, .port = 80,
	  .addr = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } },
	{ .family = ROUTE_AF_INET, .port = 8080, .addr = { 127, 0, 0, 1 } },
};

static int rank(const struct route_key *k)
{
	switch (k->kind) {
	case ROUTE_HOST_NAME:
	case ROUTE_HOST_IPV4:
	case ROUTE_HOST_IPV6:
		return 3;
	case ROUTE_HOST_STRONG:
		return 2;
	case ROUTE_HOST_ANY:
		return 1;
	default:
		return 0;
	}
}

static void key_check(const char *s, size_t len, struct route_key *k, bool *ok)
{
	char canon[ROUTE_KEY_FMT_MAX], canon2[ROUTE_KEY_FMT_MAX];
	struct route_key k2;
	const char *msg = NULL;
	size_t n, n2;
	int err;

	err = route_key_parse(s, len, k, &msg);
	if (err) {
		CHECK(err == -EINVAL || err == -EOPNOTSUPP ||
		      err == -ENAMETOOLONG);
		CHECK(msg && *msg);
		CHECK(!k->path);
		*ok = false;
		return;
	}
	*ok = true;
	CHECK(k->path && k->pathlen >= 1 && k->path[0] == '/' &&
	      k->path[k->pathlen - 1] == '/' && strlen(k->path) == k->pathlen);
	CHECK(k->kind <= ROUTE_HOST_IPV6);
	CHECK(k->kind == ROUTE_HOST_ANY ? k->port == 0 : k->port != 0);
	n = route_key_format(k, canon, sizeof(canon));
	CHECK(n < ROUTE_KEY_FMT_MAX && strlen(canon) == n);
	/* a short buffer is cut and terminated, the length still full */
	CHECK(route_key_format(k, canon2, 8) == n && strlen(canon2) == (n < 7 ? n : 7));
	err = route_key_parse(canon, n, &k2, &msg);
	CHECK(!err);
	CHECK(route_key_equal(k, &k2) && route_key_equal(&k2, k));
	n2 = route_key_format(&k2, canon2, sizeof(canon2));
	CHECK(n2 == n && !strcmp(canon, canon2));
	CHECK(route_key_reachable(k, locals, 3) ==
	      route_key_reachable(&k2, locals, 3));
	CHECK(!route_key_reachable(k, locals, 0));
	route_key_destroy(&k2);
}

struct lookup {
	const char *host;	/* NULL: no Host header */
	size_t hostlen;
	const char *path;
	size_t pathlen;
};

static const struct route_key *lookup(const struct route_table *t,
				      const struct lookup *l,
				      const struct khttp_addr *local)
{
	return route_table_lookup(t, l->host, l->hostlen, local, l->path,
				  l->pathlen);
}

static void lookup_check(const struct route_table *fwd,
			 const struct route_table *rev,
			 const struct route_table *inc,
			 const struct route_table *const *single,
			 const struct route_key *const *keys, u32 n,
			 const struct lookup *l,
			 const struct khttp_addr *local)
{
	const struct route_key *got, *got2, *got3, *best = NULL, *k;
	char a[ROUTE_KEY_FMT_MAX], b[ROUTE_KEY_FMT_MAX];
	u32 i;

	got = lookup(fwd, l, local);
	got2 = lookup(rev, l, local);
	got3 = lookup(inc, l, local);
	for (i = 0; i < n; i++) {
		k = lookup(single[i], l, local);
		CHECK(!k || k == keys[i]);
		if (!k)
			continue;
		CHECK(!k->port || (local && k->port == local->port));
		/* the route's path is a prefix of path + '/' */
		CHECK(k->pathlen <= l->pathlen + 1);
		CHECK(!memcmp(k->path, l->path, k->pathlen - 1));
		CHECK(k->pathlen == l->pathlen + 1 ||
		      l->path[k->pathlen - 1] == '/');
		if (!best || k->pathlen > best->pathlen ||
		    (k->pathlen == best->pathlen && rank(k) > rank(best)))
			best = k;
	}
	CHECK(!best == !got && !best == !got2 && !best == !got3);
	if (!best)
		return;
	for (i = 0; i < n && keys[i] != got; i++)
		;
	CHECK(i < n);
	route_key_format(best, a, sizeof(a));
	route_key_format(got, b, sizeof(b));
	if (strcmp(a, b)) {
		fprintf(stderr, "fuzz_route: table chose %s, best is %s\n", b, a);
		CHECK(!"table lookup disagrees with single-route matches");
	}
	route_key_format(got2, b, sizeof(b));
	CHECK(!strcmp(a, b));
	route_key_format(got3, b, sizeof(b));
	CHECK(!strcmp(a, b));
}

/*
 * Build @keys into a table one change at a time, checking each answer
 * against what is in the table so far (by canonical equality).
 */
static struct route_table *churn(const struct route_key *const *keys, u32 n)
{
	struct route_table *t;
	u32 i, j, in = 0;
	bool dup;
	int err;

	CHECK(!route_table_new(&t));
	for (i = 0; i < n; i++) {
		for (j = 0, dup = false; j < i && !dup; j++)
			dup = route_key_equal(keys[j], keys[i]);
		err = route_table_insert(t, keys[i]);
		CHECK(err == (dup ? -EEXIST : 0));
		in += !dup;
		CHECK(route_table_count(t) == in);
		CHECK(route_key_equal(route_table_find(t, keys[i]), keys[i]));
	}
	/* Remove the odd ones: each equal key goes once, the rest stay. */
	for (i = 1; i < n; i += 2) {
		const struct route_key *k = route_table_find(t, keys[i]);

		CHECK(route_table_remove(t, keys[i]) == k);
		in -= !!k;
		CHECK(route_table_count(t) == in);
		CHECK(!route_table_find(t, keys[i]));
		CHECK(!route_table_remove(t, keys[i]));
	}
	for (i = 0; i < n; i += 2) {
		for (j = 1, dup = false; j < n && !dup; j += 2)
			dup = route_key_equal(keys[j], keys[i]);
		CHECK(!route_table_find(t, keys[i]) == dup);
	}
	for (i = n; i--; )
		if (i % 2)
			CHECK(!route_table_insert(t, keys[i]) ||
			      route_table_find(t, keys[i]));
	return t;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t len);

int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	static struct route_key store[MAX_KEYS];
	static char pathbuf[16384 + 2];
	const struct route_key *keys[MAX_KEYS], *revk[MAX_KEYS];
	struct route_table *fwd = NULL, *rev = NULL, *inc, *single[MAX_KEYS];
	struct lookup lk[MAX_LOOKUPS];
	const char *s = (const char *)data, *end = s + len, *nl, *sp;
	u32 n = 0, nl_ = 0, i, j;
	bool ok;

	if (len > 16384)
		return 0;
	while (s < end) {
		nl = memchr(s, '\n', end - s);
		if (!nl)
			nl = end;
		if (*s == '@' && nl_ < MAX_LOOKUPS) {
			const char *p = s + 1;

			sp = memchr(p, ' ', nl - p);
			if (sp) {
				lk[nl_].host = p;
				lk[nl_].hostlen = sp - p;
				p = sp + 1;
			} else {
				lk[nl_].host = NULL;
				lk[nl_].hostlen = 0;
			}
			lk[nl_].path = p;
			lk[nl_].pathlen = nl - p;
			nl_++;
		} else if (*s != '@' && n < MAX_KEYS) {
			key_check(s, nl - s, &store[n], &ok);
			if (ok) {
				keys[n] = &store[n];
				n++;
			}
		}
		s = nl + 1;
	}
	/* No explicit lookups: look up each route's own path. */
	for (i = 0; !nl_ && i < n && i < MAX_LOOKUPS; i++, nl_++) {
		lk[nl_].host = i & 1 ? "www.example.com" : NULL;
		lk[nl_].hostlen = i & 1 ? 15 : 0;
		lk[nl_].path = keys[i]->path;
		lk[nl_].pathlen = keys[i]->pathlen - (i & 2 ? 1 : 0);
	}

	for (i = 0; i < n; i++)
		revk[i] = keys[n - 1 - i];
	CHECK(!route_table_build(keys, n, &fwd));
	CHECK(!route_table_build(revk, n, &rev));
	CHECK(route_table_count(fwd) == route_table_count(rev));
	CHECK(route_table_count(fwd) <= n);
	inc = churn(keys, n);
	CHECK(route_table_count(inc) == route_table_count(fwd));
	for (i = 0; i < n; i++)
		CHECK(!route_table_build(&keys[i], 1, &single[i]));

	for (i = 0; i < nl_; i++) {
		/* the table gets normalised paths, as from the module */
		int plen = khttp_path_normalize(lk[i].path, lk[i].pathlen,
						pathbuf, sizeof(pathbuf));

		if (plen < 0)
			continue;
		lk[i].path = pathbuf;
		lk[i].pathlen = plen;
		for (j = 0; j < 3; j++)
			lookup_check(fwd, rev, inc,
				     (const struct route_table *const *)single,
				     keys, n, &lk[i], &locals[j]);
		lookup_check(fwd, rev, inc,
			     (const struct route_table *const *)single,
			     keys, n, &lk[i], NULL);
	}

	for (i = 0; i < n; i++) {
		route_table_free(single[i]);
		route_key_destroy(&store[i]);
	}
	route_table_free(fwd);
	route_table_free(rev);
	route_table_free(inc);
	return 0;
}
