/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel response cache: worker responses marked cacheable, answered
 * again without waking the worker.  Lookups are RCU (rhashtable) and take
 * no lock; memory is capped, reclaimable by a shrinker, and evicted in
 * CLOCK order (an approximation of LRU that needs no lock on a hit).
 */
#ifndef KHTTP_CACHE_H
#define KHTTP_CACHE_H

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/rhashtable.h>
#include <linux/refcount.h>
#include <linux/shrinker.h>
#include <linux/spinlock.h>

/*
 * What an entry holds: a worker's answer, or a static file.  Part of the
 * key, so a route that changes from one to the other never finds the
 * other kind's entry.
 */
enum khttp_ckind {
	KHTTP_CKIND_RESPONSE,
	KHTTP_CKIND_FILE,
};

struct khttp_ckey {
	const char *s;
	u32 len;
	u32 kind;			/* enum khttp_ckind */
};

/* Someone waiting for a pending entry to be filled or abandoned. */
struct khttp_cwait {
	struct list_head node;
	void (*wake)(struct khttp_cwait *w);
};

/*
 * A worker answer's validators, found in its header lines once when it
 * is stored instead of on every hit: offsets into the entry's hdrs, a
 * zero length for one it does not have (then its ETag is the entry's
 * own).
 */
struct khttp_cvalid {
	u32 etag_off, etag_len;
	u32 lastmod_off, lastmod_len;	/* only a Last-Modified that parses */
	u64 mtime;			/* what it says, in Unix seconds */
};

struct khttp_centry {
	struct rhash_head hnode;
	struct khttp_ckey key;		/* points into data */
	struct list_head lru;		/* under cache lock */
	struct list_head waiters;	/* pending only, under cache lock */
	struct rcu_head rcu;
	refcount_t ref;			/* the table's, and each user's */
	bool pending;			/* reserved by the request filling it */
	bool linked;			/* in the table (under cache lock) */
	bool referenced;		/* CLOCK: hit since the hand passed */
	bool pass;			/* not cacheable: do not wait, go */
	u16 status;
	u64 owner;			/* who may invalidate it (a pool id) */
	u64 created_ms;
	u64 expires_ms;
	atomic64_t hits;
	size_t size;			/* bytes charged to the cache */
	char etag[24];			/* "\"c-xxxxxxxx-yyyy\"" */
	struct khttp_cvalid valid;	/* a worker answer's own */
	const char *hdrs;		/* worker header lines */
	u32 hdrs_len;
	const char *body;
	u32 body_len;
	/* KHTTP_CKIND_FILE: the file's state (staticcache.c), in data. */
	struct khttp_cfile *file;
	/* Frees what the entry holds beyond its memory (last put). */
	void (*release)(struct khttp_centry *e);
	char data[];			/* key, then the kind's contents */
};

struct khttp_cache {
	struct rhashtable ht;
	spinlock_t lock;		/* lru, bytes, count, waiters */
	struct list_head lru;		/* the CLOCK hand is at the head */
	u64 bytes;
	u64 max_bytes;
	u32 entry_max;
	u32 count;
	atomic64_t hits, misses, inserts, evictions;
	struct shrinker *shrinker;	/* NULL until registered */
};

int khttp_cache_init(struct khttp_cache *c, u64 max_bytes, u32 entry_max);
void khttp_cache_destroy(struct khttp_cache *c);

/* Outcome of khttp_cache_lookup(). */
enum khttp_cache_lookup {
	KHTTP_CACHE_HIT,	/* *e: a valid entry, referenced */
	KHTTP_CACHE_WAIT,	/* someone is filling it; @w was queued */
	KHTTP_CACHE_FILL,	/* *e: reserved for the caller to fill */
	KHTTP_CACHE_MISS,	/* go to the worker, do not fill */
};

enum khttp_cache_lookup khttp_cache_lookup(struct khttp_cache *c,
					   const char *key, u32 len, u64 now,
					   bool reserve, struct khttp_cwait *w,
					   struct khttp_centry **e);
int khttp_cache_fill(struct khttp_cache *c, struct khttp_centry *e,
		     u64 owner, u16 status, const char *hdrs, u32 hdrs_len,
		     const char *body, u32 body_len, u32 ttl_s, u64 now,
		     const struct khttp_cvalid *valid);
void khttp_cache_abandon(struct khttp_cache *c, struct khttp_centry *e);
/*
 * The answer that reserved @e may not be cached: until @until, misses for
 * its key go to the worker at once instead of waiting on a reservation
 * ("hit-for-pass").  Consumes the caller's reference.
 */
void khttp_cache_pass(struct khttp_cache *c, struct khttp_centry *e,
		      u64 now, u64 until);

/*
 * Entries built whole by their user (static files): a new unlinked entry
 * with @extra bytes after the key (khttp_centry_extra()), found with
 * khttp_cache_get(), added with khttp_cache_insert(), dropped when found
 * stale with khttp_cache_remove().
 */
struct khttp_centry *khttp_centry_new(const char *key, u32 len, u32 kind,
				      size_t extra);
static inline void *khttp_centry_extra(struct khttp_centry *e)
{
	return e->data + ALIGN(e->key.len + 1, sizeof(void *));
}

struct khttp_centry *khttp_cache_get(struct khttp_cache *c, const char *key,
				     u32 len, u32 kind);
int khttp_cache_insert(struct khttp_cache *c, struct khttp_centry *e);
void khttp_cache_remove(struct khttp_cache *c, struct khttp_centry *e);
bool khttp_cache_unwait(struct khttp_cache *c, struct khttp_cwait *w);
void khttp_centry_put(struct khttp_centry *e);
/* Drop entries under @prefix; @owner 0: anyone's, else only that owner's. */
u32 khttp_cache_flush(struct khttp_cache *c, const char *prefix, u32 len,
		      u64 owner);
/* Drop the entries @match accepts (it runs under the cache lock). */
u32 khttp_cache_flush_if(struct khttp_cache *c,
			 bool (*match)(struct khttp_centry *e, void *arg),
			 void *arg);
u32 khttp_cache_expire(struct khttp_cache *c, u64 now);
void khttp_cache_set_limits(struct khttp_cache *c, u64 max_bytes,
			    u32 entry_max);
unsigned long khttp_cache_evict(struct khttp_cache *c, unsigned long nr,
				u64 target_bytes);

/*
 * Call @fn for each filled entry, with the cache locked (no sleeping);
 * skip the first @skip; stop when @fn returns non-zero.  Returns how many
 * entries @fn accepted.
 */
long khttp_cache_walk(struct khttp_cache *c, long skip,
		      int (*fn)(struct khttp_centry *e, void *arg), void *arg);

#endif /* KHTTP_CACHE_H */
