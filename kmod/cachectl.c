// SPDX-License-Identifier: GPL-2.0
/*
 * The module's response cache: the one instance of cache.c, its limits,
 * the TTL reaper, its netlink view, and the two places it meets the data
 * path: answering a hit on a connection, and storing a worker's answer.
 *
 * One cache serves every network namespace: a key made in a namespace
 * other than the initial one starts with that namespace's tag
 * ("@<net cookie>|", never "http"), so a lookup in one namespace can never
 * find another's entry; listing and flushing see only the caller's
 * namespace, and a namespace's entries go with it.
 */
#include <linux/mm.h>
#include <linux/jiffies.h>
#include "khttp.h"
#include "conn.h"
#include "static.h"
#include "cachectl.h"
#include "resp.h"
#include "nlobj.h"
#include "cache.h"
#include "cachepolicy.h"
#include "parser.h"
#include "net.h"

struct khttp_cache khttp_cache;
static struct delayed_work khttp_cache_reaper;

#define KHTTP_CACHE_ENTRY_DEFAULT	(1U << 20)
#define KHTTP_CACHE_REAP_INTERVAL	(5 * HZ)
/*
 * How long a URL whose answer was not cacheable stays marked so: its
 * misses go straight to the worker instead of queueing behind one
 * another for an answer that will not be stored (Varnish's hit-for-pass).
 */
#define KHTTP_CACHE_PASS_MS		10000

u64 khttp_now_ms(void)
{
	return jiffies64_to_msecs(get_jiffies_64());
}

static void khttp_cache_reap(struct work_struct *work)
{
	khttp_cache_expire(&khttp_cache, khttp_now_ms());
	queue_delayed_work(khttp_wq, &khttp_cache_reaper,
			   KHTTP_CACHE_REAP_INTERVAL);
}

int khttp_cachectl_init(void)
{
	/* A small share of RAM by default: 1/32, at most 1 GiB. */
	u64 cap = min_t(u64, (u64)totalram_pages() << PAGE_SHIFT >> 5,
			1ULL << 30);
	int err;

	err = khttp_cache_init(&khttp_cache, cap, KHTTP_CACHE_ENTRY_DEFAULT);
	if (err)
		return err;
	INIT_DELAYED_WORK(&khttp_cache_reaper, khttp_cache_reap);
	queue_delayed_work(khttp_wq, &khttp_cache_reaper,
			   KHTTP_CACHE_REAP_INTERVAL);
	return 0;
}

void khttp_cachectl_exit(void)
{
	cancel_delayed_work_sync(&khttp_cache_reaper);
	khttp_cache_destroy(&khttp_cache);
}

void khttp_cache_stats(u64 v[__KHTTP_STAT_MAX])
{
	v[KHTTP_STAT_CACHE_HITS] = atomic64_read(&khttp_cache.hits);
	v[KHTTP_STAT_CACHE_MISSES] = atomic64_read(&khttp_cache.misses);
	v[KHTTP_STAT_CACHE_INSERTS] = atomic64_read(&khttp_cache.inserts);
	v[KHTTP_STAT_CACHE_EVICTIONS] = atomic64_read(&khttp_cache.evictions);
	v[KHTTP_STAT_CACHE_BYTES] = READ_ONCE(khttp_cache.bytes);
	v[KHTTP_STAT_CACHE_ENTRIES] = READ_ONCE(khttp_cache.count);
}

/* Is @key (of @len bytes) an entry of the namespace tagged @tag? */
bool khttp_cache_key_in(const char *key, u32 len, const char *tag,
			u32 taglen)
{
	if (!taglen)
		return !len || key[0] != '@';
	return len >= taglen && !memcmp(key, tag, taglen);
}

struct khttp_cache_nsprefix {
	const char *tag;
	u32 taglen;
	const char *s;
	u32 len;
	u64 owner;
};

static bool khttp_cache_nsprefix_of(struct khttp_centry *e, void *arg)
{
	const struct khttp_cache_nsprefix *p = arg;

	if (p->owner && (e->pending || e->owner != p->owner))
		return false;
	if (!khttp_cache_key_in(e->key.s, e->key.len, p->tag, p->taglen))
		return false;
	return khttp_cache_prefix_match(e->key.s + p->taglen,
					e->key.len - p->taglen, p->s, p->len);
}

/*
 * Flush the entries of the namespace tagged @tag whose key (without the
 * tag) starts with @prefix, only @owner's when non-zero; all of the
 * namespace's with an empty prefix.
 */
u32 khttp_cache_flush_tag(const char *tag, u32 taglen, const char *prefix,
			  u32 len, u64 owner)
{
	struct khttp_cache_nsprefix p = { .tag = tag, .taglen = taglen,
					  .s = prefix, .len = len,
					  .owner = owner };

	return khttp_cache_flush_if(&khttp_cache, khttp_cache_nsprefix_of, &p);
}

u32 khttp_cache_flush_net(struct khttp_net *kn, const char *prefix, u32 len)
{
	return khttp_cache_flush_tag(kn->ctag, kn->ctag_len, prefix, len, 0);
}

/* The namespace goes: so do its entries (none if it is the initial one). */
void khttp_cache_forget_net(struct khttp_net *kn)
{
	if (kn->ctag_len)
		khttp_cache_flush_net(kn, "", 0);
}

static int khttp_conn_key(struct khttp_conn *c, const char *path,
			  u32 pathlen, bool with_query)
{
	const struct khttp_req *r = &c->rq->req;
	const struct khttp_net *kn = khttp_conn_net(c);
	u32 tag = kn->ctag_len;
	/* tag "http://" host ":" port path "?" query NUL, at most the limit. */
	size_t sz = min_t(size_t, KHTTP_CACHE_KEY_MAX,
			  tag + (r->has_host ? r->host.len : 0) + pathlen +
			  r->query.len + 16);
	char *key;
	int n;

	key = kmalloc(sz, GFP_KERNEL);
	if (!key)
		return -ENOMEM;
	memcpy(key, kn->ctag, tag);
	n = khttp_cache_key(key + tag, sz - tag,
			    r->has_host ? c->buf + r->host.off : "",
			    r->has_host ? r->host.len : 0, c->local.port,
			    path, pathlen, c->buf + r->query.off, r->query.len,
			    with_query && r->has_query);
	if (n < 0) {
		kfree(key);
		return n;
	}
	kfree(c->rq->ckey);
	c->rq->ckey = key;
	c->rq->ckey_len = n + tag;
	return 0;
}

/* Build the connection's cache key for the request being routed. */
int khttp_cache_make_key(struct khttp_conn *c, const char *path, u32 pathlen)
{
	return khttp_conn_key(c, path, pathlen, true);
}

/* A file's answer does not depend on the query: one entry serves all. */
int khttp_cache_make_file_key(struct khttp_conn *c, const char *path,
			      u32 pathlen)
{
	return khttp_conn_key(c, path, pathlen, false);
}

/*
 * Answer the request on @c from @e (a reference the connection now owns),
 * with conditionals and ranges as for static files.
 */
void khttp_cache_respond(struct khttp_conn *c, struct khttp_centry *e)
{
	const struct khttp_req *r = &c->rq->req;
	struct khttp_cond_rep rep = { .size = e->body_len };
	const char *etag;
	size_t etlen;
	u64 start = 0, end = 0, len = e->body_len;
	u16 status = e->status;
	bool own_etag, inline_body;

	own_etag = !e->valid.etag_len;
	if (own_etag) {
		etag = e->etag;
		etlen = strlen(e->etag);
	} else {
		etag = e->hdrs + e->valid.etag_off;
		etlen = e->valid.etag_len;
	}
	rep.etag = etag;
	rep.etag_len = etlen;
	/* The worker's Last-Modified, if it says when: If-Modified-Since. */
	if (e->valid.lastmod_len) {
		rep.lastmod = e->hdrs + e->valid.lastmod_off;
		rep.lastmod_len = e->valid.lastmod_len;
		rep.mtime = e->valid.mtime;
	}
	if (status == 200)
		status = khttp_resp_cond(c, &rep, &start, &end);
	if (status == 206)
		len = end - start + 1;
	inline_body = khttp_resp_inline(c, status, len);
	if (khttp_resp_begin_cap(c, status, 512 + e->hdrs_len +
				 (inline_body ? len : 0))) {
		khttp_centry_put(e);
		return;
	}
	c->rq->resp_source = KHTTP_LOG_CACHE;
	if (status != 304 && status != 416) {
		memcpy(c->rq->out.head + c->rq->out.len, e->hdrs, e->hdrs_len);
		c->rq->out.len += e->hdrs_len;
	} else {
		/* A 304 repeats the validators and caching headers only. */
		const char *cc;
		size_t cl;

		cc = khttp_header_find(e->hdrs, e->hdrs_len, "cache-control",
				       &cl);
		if (cc)
			khttp_resp_add(c, "Cache-Control: %.*s\r\n", (int)cl,
				       cc);
	}
	if (own_etag || status == 304 || status == 416)
		khttp_resp_add_line(c, "ETag", etag, etlen);
	khttp_resp_add_u64(c, "Age",
			   div_u64(khttp_now_ms() - e->created_ms, 1000));
	switch (status) {
	case 304:
		khttp_resp_end(c, NULL, 0, true);
		khttp_centry_put(e);
		return;
	case 416:
		khttp_resp_add(c, "Content-Range: bytes */%llu\r\nContent-Length: 0\r\n",
			       len);
		khttp_resp_end(c, NULL, 0, true);
		khttp_centry_put(e);
		return;
	case 206:
		khttp_resp_add(c, "Content-Range: bytes %llu-%llu/%llu\r\n",
			       start, end, (u64)e->body_len);
		break;
	}
	khttp_resp_add_u64(c, "Content-Length", len);
	khttp_resp_end(c, e->body + start, len, !inline_body);
	if (inline_body || r->method == KHTTP_METHOD_HEAD || !len) {
		khttp_centry_put(e);
		return;
	}
	c->rq->centry = e;
	c->rq->out.mem = e->body;
	c->rq->out.body_off = start;
	c->rq->out.body_left = len;
}

/*
 * The worker answered the request that reserved @e: store the answer if
 * it may be stored, else give the reservation up.  Consumes @e.
 */
void khttp_cache_store(struct khttp_centry *e, u64 owner, bool cacheable,
		       u16 status, const char *hdrs, u32 hdrs_len,
		       const char *body, u32 body_len, u32 ttl)
{
	struct khttp_cvalid v = {};
	u64 now = khttp_now_ms();
	const char *p;
	size_t len;

	if (!cacheable || !ttl ||
	    khttp_cache_response_ok(status, hdrs, hdrs_len) != KHTTP_CACHE_OK) {
		/* Later misses for this URL need not wait for one another. */
		khttp_cache_pass(&khttp_cache, e, now, now + KHTTP_CACHE_PASS_MS);
		return;
	}
	/* Found once here, not on every hit (khttp_cache_respond()). */
	p = khttp_header_find(hdrs, hdrs_len, "etag", &len);
	if (p) {
		v.etag_off = p - hdrs;
		v.etag_len = len;
	}
	p = khttp_header_find(hdrs, hdrs_len, "last-modified", &len);
	if (p && !khttp_parse_http_date(p, len, &v.mtime)) {
		v.lastmod_off = p - hdrs;
		v.lastmod_len = len;
	}
	khttp_cache_fill(&khttp_cache, e, owner, status, hdrs, hdrs_len, body,
			 body_len, ttl, now, &v);
}

struct khttp_cache_lister {
	int (*fn)(const struct khttp_cache_info *ci, void *arg);
	void *arg;
	const char *tag;		/* the namespace's key tag */
	u32 taglen;
	u64 now;
	char *path;			/* PATH_MAX, for file entries */
};

static int khttp_cache_list_one(struct khttp_centry *e, void *arg)
{
	struct khttp_cache_lister *d = arg;
	u64 age = d->now - e->created_ms;
	u64 left = e->expires_ms > d->now ? e->expires_ms - d->now : 0;
	struct khttp_cache_info ci = {
		.key = e->key.s + d->taglen,
		.size = e->size,
		.hits = atomic64_read(&e->hits),
		.age_ms = min_t(u64, age, U32_MAX),
		.has_ttl = !e->file,
		.ttl_ms = min_t(u64, left, U32_MAX),
		.status = e->status,
	};

	/* Another namespace's entry: not ours to see (counted as walked). */
	if (!khttp_cache_key_in(e->key.s, e->key.len, d->tag, d->taglen))
		return 0;
	if (e->file && d->path && !khttp_cfile_describe(e, d->path, PATH_MAX))
		ci.file = d->path;
	return d->fn(&ci, d->arg);
}

long khttp_cache_list(struct khttp_net *kn, long skip,
		      int (*fn)(const struct khttp_cache_info *ci, void *arg),
		      void *arg)
{
	struct khttp_cache_lister d = { .fn = fn, .arg = arg,
					.tag = kn->ctag, .taglen = kn->ctag_len,
					.now = khttp_now_ms() };
	long n;

	/* Without the buffer, file entries are listed without their path. */
	d.path = kmalloc(PATH_MAX, GFP_KERNEL);
	n = khttp_cache_walk(&khttp_cache, skip, khttp_cache_list_one, &d);
	kfree(d.path);
	return n;
}
