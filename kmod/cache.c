// SPDX-License-Identifier: GPL-2.0
/*
 * The response cache; see cache.h.
 *
 * An entry is in the rhashtable (found under RCU) and on the CLOCK list
 * (under c->lock) from insertion until removal; the table holds one
 * reference, each user another, and the memory goes after an RCU grace
 * period once the last reference drops.  A pending entry is a reservation
 * made by the first miss for a key: further misses wait on it instead of
 * sending the same request to the worker again (the thundering herd).
 */
#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "cache.h"
#include "cachepolicy.h"

static u32 khttp_ckey_hash(const void *data, u32 len, u32 seed)
{
	const struct khttp_ckey *k = data;

	return jhash(k->s, k->len, seed);
}

static u32 khttp_centry_hash(const void *data, u32 len, u32 seed)
{
	const struct khttp_centry *e = data;

	return jhash(e->key.s, e->key.len, seed);
}

static int khttp_centry_cmp(struct rhashtable_compare_arg *arg,
			    const void *obj)
{
	const struct khttp_ckey *k = arg->key;
	const struct khttp_centry *e = obj;

	return e->key.len != k->len || e->key.kind != k->kind ||
	       memcmp(e->key.s, k->s, k->len);
}

static const struct rhashtable_params khttp_cache_params = {
	.head_offset = offsetof(struct khttp_centry, hnode),
	.key_offset = offsetof(struct khttp_centry, key),
	.key_len = sizeof(struct khttp_ckey),
	.hashfn = khttp_ckey_hash,
	.obj_hashfn = khttp_centry_hash,
	.obj_cmpfn = khttp_centry_cmp,
	.automatic_shrinking = true,
};

static void khttp_centry_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct khttp_centry, rcu));
}

void khttp_centry_put(struct khttp_centry *e)
{
	if (!refcount_dec_and_test(&e->ref))
		return;
	/*
	 * RCU readers may still look at the entry but only at its key and
	 * flags: what it holds (files, pages) can go now.
	 */
	if (e->release)
		e->release(e);
	call_rcu(&e->rcu, khttp_centry_free_rcu);
}

/* Wake everyone waiting on a pending entry (under c->lock). */
static void khttp_centry_wake(struct khttp_centry *e)
{
	struct khttp_cwait *w, *tmp;

	list_for_each_entry_safe(w, tmp, &e->waiters, node) {
		list_del_init(&w->node);
		w->wake(w);
	}
}

/* Take @e out of table and list (under c->lock); the caller puts it. */
static bool khttp_centry_unlink(struct khttp_cache *c, struct khttp_centry *e)
{
	lockdep_assert_held(&c->lock);
	if (!e->linked)
		return false;
	e->linked = false;
	rhashtable_remove_fast(&c->ht, &e->hnode, khttp_cache_params);
	list_del_init(&e->lru);
	c->bytes -= e->size;
	c->count--;
	khttp_centry_wake(e);
	return true;
}

struct khttp_centry *khttp_centry_new(const char *key, u32 len, u32 kind,
				      size_t extra)
{
	struct khttp_centry *e;
	size_t sz = struct_size(e, data,
				ALIGN(len + 1, sizeof(void *)) + extra);

	e = kvzalloc(sz, GFP_KERNEL);
	if (!e)
		return NULL;
	memcpy(e->data, key, len);
	e->key.s = e->data;
	e->key.len = len;
	e->key.kind = kind;
	INIT_LIST_HEAD(&e->lru);
	INIT_LIST_HEAD(&e->waiters);
	refcount_set(&e->ref, 1);
	e->size = sz;
	return e;
}

/* A filled, unexpired entry of @kind, referenced; no lock taken. */
struct khttp_centry *khttp_cache_get(struct khttp_cache *c, const char *key,
				     u32 len, u32 kind)
{
	struct khttp_ckey k = { .s = key, .len = len, .kind = kind };
	struct khttp_centry *e;

	rcu_read_lock();
	e = rhashtable_lookup(&c->ht, &k, khttp_cache_params);
	if (e && (READ_ONCE(e->pending) || e->pass ||
		  !refcount_inc_not_zero(&e->ref)))
		e = NULL;
	rcu_read_unlock();
	if (!e) {
		atomic64_inc(&c->misses);
		return NULL;
	}
	WRITE_ONCE(e->referenced, true);
	atomic64_inc(&e->hits);
	atomic64_inc(&c->hits);
	return e;
}

/*
 * Add the complete entry @e, replacing a filled entry of the same key
 * (its user found it stale) but not a reservation.  The table takes the
 * caller's reference; the caller keeps none.
 */
int khttp_cache_insert(struct khttp_cache *c, struct khttp_centry *e)
{
	struct khttp_centry *old, *tmp;
	LIST_HEAD(gone);
	int err = 0;

	e->referenced = true;
	spin_lock_bh(&c->lock);
	for (;;) {
		old = rhashtable_lookup_get_insert_key(&c->ht, &e->key,
						       &e->hnode,
						       khttp_cache_params);
		if (!old)
			break;
		if (IS_ERR(old) || old->pending) {
			err = IS_ERR(old) ? PTR_ERR(old) : -EEXIST;
			break;
		}
		khttp_centry_unlink(c, old);
		list_add_tail(&old->lru, &gone);
	}
	if (!err) {
		e->linked = true;
		list_add_tail(&e->lru, &c->lru);
		c->bytes += e->size;
		c->count++;
	}
	spin_unlock_bh(&c->lock);
	list_for_each_entry_safe(old, tmp, &gone, lru) {
		list_del_init(&old->lru);
		khttp_centry_put(old);
	}
	if (err) {
		khttp_centry_put(e);
		return err;
	}
	atomic64_inc(&c->inserts);
	if (READ_ONCE(c->bytes) > READ_ONCE(c->max_bytes))
		khttp_cache_evict(c, ULONG_MAX, READ_ONCE(c->max_bytes));
	return 0;
}

/* Drop @e from the cache if it is still there (found stale). */
void khttp_cache_remove(struct khttp_cache *c, struct khttp_centry *e)
{
	bool put;

	spin_lock_bh(&c->lock);
	put = !e->pending && khttp_centry_unlink(c, e);
	spin_unlock_bh(&c->lock);
	if (put)
		khttp_centry_put(e);
}

enum khttp_cache_lookup khttp_cache_lookup(struct khttp_cache *c,
					   const char *key, u32 len, u64 now,
					   bool reserve, struct khttp_cwait *w,
					   struct khttp_centry **out)
{
	struct khttp_ckey k = { .s = key, .len = len,
				.kind = KHTTP_CKIND_RESPONSE };
	struct khttp_centry *e, *old;

	*out = NULL;
	/* The hot path: RCU lookup, a reference, no lock. */
	rcu_read_lock();
	e = rhashtable_lookup(&c->ht, &k, khttp_cache_params);
	if (e && !READ_ONCE(e->pending) && e->pass && now < e->expires_ms) {
		/* Known not cacheable: no reservation, no waiting. */
		rcu_read_unlock();
		atomic64_inc(&c->misses);
		return KHTTP_CACHE_MISS;
	}
	if (e && !READ_ONCE(e->pending) && now < e->expires_ms &&
	    refcount_inc_not_zero(&e->ref)) {
		rcu_read_unlock();
		WRITE_ONCE(e->referenced, true);
		atomic64_inc(&e->hits);
		atomic64_inc(&c->hits);
		*out = e;
		return KHTTP_CACHE_HIT;
	}
	rcu_read_unlock();

	atomic64_inc(&c->misses);
	if (!reserve)
		return KHTTP_CACHE_MISS;
	/* Slow path: expired entries go, pending ones are waited for. */
again:
	spin_lock_bh(&c->lock);
	e = rhashtable_lookup_fast(&c->ht, &k, khttp_cache_params);
	if (e && e->pending) {
		if (!w) {
			spin_unlock_bh(&c->lock);
			return KHTTP_CACHE_MISS;
		}
		list_add_tail(&w->node, &e->waiters);
		spin_unlock_bh(&c->lock);
		return KHTTP_CACHE_WAIT;
	}
	if (e && e->pass && now < e->expires_ms) {
		spin_unlock_bh(&c->lock);
		return KHTTP_CACHE_MISS;
	}
	if (e && !e->pass && now < e->expires_ms &&
	    refcount_inc_not_zero(&e->ref)) {
		/* Filled between the two lookups. */
		spin_unlock_bh(&c->lock);
		*out = e;
		return KHTTP_CACHE_HIT;
	}
	if (e && khttp_centry_unlink(c, e))
		khttp_centry_put(e);
	spin_unlock_bh(&c->lock);

	e = khttp_centry_new(key, len, KHTTP_CKIND_RESPONSE, 0);
	if (!e)
		return KHTTP_CACHE_MISS;
	e->pending = true;
	refcount_inc(&e->ref);	/* the caller's */
	spin_lock_bh(&c->lock);
	old = rhashtable_lookup_get_insert_key(&c->ht, &e->key, &e->hnode,
					       khttp_cache_params);
	if (old) {
		spin_unlock_bh(&c->lock);
		kvfree(e);
		if (IS_ERR(old))	/* the table is full */
			return KHTTP_CACHE_MISS;
		/*
		 * Another miss reserved the key between our two lookups:
		 * look again, to wait for its answer rather than send a
		 * second request to the worker.
		 */
		goto again;
	}
	e->linked = true;
	list_add_tail(&e->lru, &c->lru);
	c->bytes += e->size;
	c->count++;
	spin_unlock_bh(&c->lock);
	*out = e;
	return KHTTP_CACHE_FILL;
}

/* Give up a reservation: waiters go to the worker themselves. */
void khttp_cache_abandon(struct khttp_cache *c, struct khttp_centry *e)
{
	bool put;

	spin_lock_bh(&c->lock);
	put = e->pending && khttp_centry_unlink(c, e);
	spin_unlock_bh(&c->lock);
	if (put)
		khttp_centry_put(e);
	khttp_centry_put(e);	/* the filler's */
}

/* Stop waiting; true if @w was still queued (not woken yet). */
bool khttp_cache_unwait(struct khttp_cache *c, struct khttp_cwait *w)
{
	bool queued;

	spin_lock_bh(&c->lock);
	queued = !list_empty(&w->node);
	list_del_init(&w->node);
	spin_unlock_bh(&c->lock);
	return queued;
}

/*
 * Put @n where the reservation @e is, waking its waiters.  Consumes @n and
 * the caller's reference to @e.  A reservation flushed meanwhile gets
 * nothing (-ESTALE).
 */
static int khttp_cache_replace(struct khttp_cache *c, struct khttp_centry *e,
			       struct khttp_centry *n)
{
	int err;

	spin_lock_bh(&c->lock);
	if (!e->linked || !e->pending) {
		spin_unlock_bh(&c->lock);
		kvfree(n);
		khttp_centry_put(e);
		return -ESTALE;
	}
	err = rhashtable_replace_fast(&c->ht, &e->hnode, &n->hnode,
				      khttp_cache_params);
	if (err) {
		spin_unlock_bh(&c->lock);
		kvfree(n);
		khttp_cache_abandon(c, e);
		return err;
	}
	e->linked = false;
	list_del_init(&e->lru);
	c->bytes -= e->size;
	n->linked = true;
	list_add_tail(&n->lru, &c->lru);
	c->bytes += n->size;
	khttp_centry_wake(e);
	spin_unlock_bh(&c->lock);
	khttp_centry_put(e);	/* the table's */
	khttp_centry_put(e);	/* the filler's */
	if (READ_ONCE(c->bytes) > READ_ONCE(c->max_bytes))
		khttp_cache_evict(c, ULONG_MAX, READ_ONCE(c->max_bytes));
	return 0;
}

/*
 * Replace the reservation @e with a filled entry.  Consumes the caller's
 * reference to @e.  Returns 0 or why nothing was stored.
 */
int khttp_cache_fill(struct khttp_cache *c, struct khttp_centry *e,
		     u64 owner, u16 status, const char *hdrs, u32 hdrs_len,
		     const char *body, u32 body_len, u32 ttl_s, u64 now,
		     const struct khttp_cvalid *valid)
{
	struct khttp_centry *n;
	int err = 0;

	if ((u64)hdrs_len + body_len > READ_ONCE(c->entry_max)) {
		khttp_cache_abandon(c, e);
		return -EFBIG;
	}
	n = khttp_centry_new(e->key.s, e->key.len, KHTTP_CKIND_RESPONSE,
			       hdrs_len + body_len);
	if (!n) {
		khttp_cache_abandon(c, e);
		return -ENOMEM;
	}
	n->status = status;
	n->owner = owner;
	/* New entries get the second chance a hit would give them. */
	n->referenced = true;
	n->created_ms = now;
	n->expires_ms = now + (u64)ttl_s * 1000;
	n->hdrs = khttp_centry_extra(n);
	n->hdrs_len = hdrs_len;
	memcpy((char *)n->hdrs, hdrs, hdrs_len);
	n->body = n->hdrs + hdrs_len;
	n->body_len = body_len;
	memcpy((char *)n->body, body, body_len);
	if (valid)
		n->valid = *valid;
	snprintf(n->etag, sizeof(n->etag), "\"c-%08x-%x\"",
		 khttp_hash32(body, body_len, status), body_len);

	err = khttp_cache_replace(c, e, n);
	if (!err)
		atomic64_inc(&c->inserts);
	return err;
}

void khttp_cache_pass(struct khttp_cache *c, struct khttp_centry *e,
		      u64 now, u64 until)
{
	struct khttp_centry *n;

	n = khttp_centry_new(e->key.s, e->key.len, KHTTP_CKIND_RESPONSE, 0);
	if (!n) {
		khttp_cache_abandon(c, e);
		return;
	}
	n->pass = true;
	n->created_ms = now;
	n->expires_ms = until;
	khttp_cache_replace(c, e, n);
}

/*
 * CLOCK: from the hand (list head), an entry hit since the last pass gets
 * a second chance at the tail; the first one not hit goes.  Stops after
 * @nr evictions or once the cache is within @target_bytes.
 */
unsigned long khttp_cache_evict(struct khttp_cache *c, unsigned long nr,
				u64 target_bytes)
{
	struct khttp_centry *e;
	unsigned long done = 0, budget;
	LIST_HEAD(gone);

	spin_lock_bh(&c->lock);
	budget = 2 * (unsigned long)c->count + 1;
	while (done < nr && c->bytes > target_bytes && budget-- &&
	       !list_empty(&c->lru)) {
		e = list_first_entry(&c->lru, struct khttp_centry, lru);
		if (e->pending || READ_ONCE(e->referenced)) {
			WRITE_ONCE(e->referenced, false);
			list_move_tail(&e->lru, &c->lru);
			continue;
		}
		khttp_centry_unlink(c, e);
		list_add_tail(&e->lru, &gone);
		done++;
	}
	spin_unlock_bh(&c->lock);
	while (!list_empty(&gone)) {
		e = list_first_entry(&gone, struct khttp_centry, lru);
		list_del_init(&e->lru);
		atomic64_inc(&c->evictions);
		khttp_centry_put(e);
	}
	return done;
}

/*
 * Drop the entries @match accepts, reservations included (they stay with
 * their filler, who then stores nothing).  Returns filled entries dropped.
 */
u32 khttp_cache_flush_if(struct khttp_cache *c,
			 bool (*match)(struct khttp_centry *e, void *arg),
			 void *arg)
{
	struct khttp_centry *e, *tmp;
	LIST_HEAD(gone);
	u32 n = 0;

	spin_lock_bh(&c->lock);
	list_for_each_entry_safe(e, tmp, &c->lru, lru) {
		if (!match(e, arg))
			continue;
		khttp_centry_unlink(c, e);
		list_add_tail(&e->lru, &gone);
		if (!e->pending)
			n++;
	}
	spin_unlock_bh(&c->lock);
	list_for_each_entry_safe(e, tmp, &gone, lru) {
		list_del_init(&e->lru);
		khttp_centry_put(e);
	}
	return n;
}

static bool khttp_centry_expired(struct khttp_centry *e, void *now)
{
	return !e->pending && *(u64 *)now >= e->expires_ms;
}

/* Drop entries whose TTL has passed. */
u32 khttp_cache_expire(struct khttp_cache *c, u64 now)
{
	return khttp_cache_flush_if(c, khttp_centry_expired, &now);
}

struct khttp_cache_prefix {
	const char *s;
	u32 len;
	u64 owner;
};

static bool khttp_cache_prefix_of(struct khttp_centry *e, void *arg)
{
	const struct khttp_cache_prefix *p = arg;

	if (p->owner && (e->pending || e->owner != p->owner))
		return false;
	return khttp_cache_prefix_match(e->key.s, e->key.len, p->s, p->len);
}

u32 khttp_cache_flush(struct khttp_cache *c, const char *prefix, u32 len,
		      u64 owner)
{
	struct khttp_cache_prefix p = { .s = prefix, .len = len,
					.owner = owner };

	return khttp_cache_flush_if(c, khttp_cache_prefix_of, &p);
}

long khttp_cache_walk(struct khttp_cache *c, long skip,
		      int (*fn)(struct khttp_centry *e, void *arg), void *arg)
{
	struct khttp_centry *e;
	long i = 0, n = 0;

	spin_lock_bh(&c->lock);
	list_for_each_entry(e, &c->lru, lru) {
		if (e->pending || e->pass || i++ < skip)
			continue;
		if (fn(e, arg))
			break;
		n++;
	}
	spin_unlock_bh(&c->lock);
	return n;
}

void khttp_cache_set_limits(struct khttp_cache *c, u64 max_bytes,
			    u32 entry_max)
{
	WRITE_ONCE(c->max_bytes, max_bytes);
	WRITE_ONCE(c->entry_max, entry_max);
	khttp_cache_evict(c, ULONG_MAX, max_bytes);
}

/* Memory pressure: the cache gives back what it holds, oldest first. */
static unsigned long khttp_cache_count_objects(struct shrinker *s,
					       struct shrink_control *sc)
{
	struct khttp_cache *c = khttp_shrinker_private(s);

	return READ_ONCE(c->count) ? READ_ONCE(c->count) : SHRINK_EMPTY;
}

static unsigned long khttp_cache_scan_objects(struct shrinker *s,
					      struct shrink_control *sc)
{
	struct khttp_cache *c = khttp_shrinker_private(s);

	return khttp_cache_evict(c, sc->nr_to_scan, 0);
}

int khttp_cache_init(struct khttp_cache *c, u64 max_bytes, u32 entry_max)
{
	int err;

	memset(c, 0, sizeof(*c));
	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->lru);
	c->max_bytes = max_bytes;
	c->entry_max = entry_max;
	err = rhashtable_init(&c->ht, &khttp_cache_params);
	if (err)
		return err;
	c->shrinker = khttp_shrinker_register("khttp-cache",
					      khttp_cache_count_objects,
					      khttp_cache_scan_objects, c);
	if (IS_ERR(c->shrinker)) {
		err = PTR_ERR(c->shrinker);
		c->shrinker = NULL;
		rhashtable_destroy(&c->ht);
		return err;
	}
	return 0;
}

void khttp_cache_destroy(struct khttp_cache *c)
{
	if (c->shrinker)
		khttp_shrinker_unregister(c->shrinker);
	khttp_cache_flush(c, "", 0, 0);
	rhashtable_destroy(&c->ht);
	/* Entries wait for a grace period before their memory goes. */
	rcu_barrier();
}
