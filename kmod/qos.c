// SPDX-License-Identifier: GPL-2.0
/*
 * Quality of service, the Linux way of http.sys's MaxBandwidth and
 * connection limits:
 *
 * - a token bucket per throttled route, shared by every connection sending
 *   that route's answers: a connection out of tokens sleeps on a timer until
 *   enough have accrued (no busy-waiting, no thread);
 * - per-client connection counts, by address and by /24 (IPv4) or /64
 *   (IPv6) prefix, checked at accept.
 */
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/ktime.h>
#include "khttp.h"
#include "qos.h"

/* ---- token bucket ---- */

/* Tokens after @elapsed_ns at @rate bytes/s, capped at @burst. */
u64 khttp_tokens_refill(u64 tokens, u64 burst, u64 rate, u64 elapsed_ns)
{
	/*
	 * In microseconds, at most 10 s: with rates up to 2^40 bytes/s (the
	 * policy's cap) the product stays within 64 bits.
	 */
	u64 us = div_u64(min_t(u64, elapsed_ns, 10 * NSEC_PER_SEC),
			 NSEC_PER_USEC);

	tokens += div_u64(us * rate, USEC_PER_SEC);
	return min(tokens, burst);
}

/* Nanoseconds until @tokens grow to @need at @rate bytes/s. */
u64 khttp_tokens_wait(u64 tokens, u64 need, u64 rate)
{
	if (tokens >= need || !rate)
		return 0;
	return div64_u64((need - tokens) * NSEC_PER_SEC + rate - 1, rate);
}

struct khttp_bucket *khttp_bucket_new(u64 rate)
{
	struct khttp_bucket *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return NULL;
	kref_init(&b->ref);
	spin_lock_init(&b->lock);
	b->rate = rate;
	/* A tenth of a second of traffic, at least a few segments. */
	b->burst = max_t(u64, div_u64(rate, 10), 16384);
	b->tokens = b->burst;
	b->last_ns = ktime_get_ns();
	return b;
}

static void khttp_bucket_release(struct kref *ref)
{
	kfree(container_of(ref, struct khttp_bucket, ref));
}

void khttp_bucket_put(struct khttp_bucket *b)
{
	if (b)
		kref_put(&b->ref, khttp_bucket_release);
}

/*
 * Take up to @want bytes.  Returns the bytes granted; 0 with *@wait_ns set
 * when the caller must wait for one segment's worth of tokens.
 */
u64 khttp_bucket_take(struct khttp_bucket *b, u64 want, u64 *wait_ns)
{
	u64 now = ktime_get_ns(), got;
	u64 need = min_t(u64, want, 4096);

	spin_lock_bh(&b->lock);
	b->tokens = khttp_tokens_refill(b->tokens, b->burst, b->rate,
					now - b->last_ns);
	b->last_ns = now;
	if (b->tokens < need) {
		*wait_ns = khttp_tokens_wait(b->tokens, need, b->rate);
		got = 0;
	} else {
		got = min(want, b->tokens);
		b->tokens -= got;
	}
	spin_unlock_bh(&b->lock);
	return got;
}

/* Give back what was granted but not sent. */
void khttp_bucket_refund(struct khttp_bucket *b, u64 n)
{
	spin_lock_bh(&b->lock);
	b->tokens = min(b->tokens + n, b->burst);
	spin_unlock_bh(&b->lock);
}

/* ---- per-client connection limits ---- */

struct khttp_client {
	struct hlist_node node;
	u8 key[26];		/* family, prefix length, masked address, netns */
	u32 count;
};

static DEFINE_HASHTABLE(khttp_clients, 10);
static DEFINE_SPINLOCK(khttp_clients_lock);

/* The same address in two namespaces is two clients: @ns is in the key. */
static void khttp_client_key(u64 ns, const struct khttp_addr *a, bool prefix,
			     u8 key[26])
{
	u8 bytes = a->family == AF_INET ? 4 : 16;
	u8 keep = !prefix ? bytes : a->family == AF_INET ? 3 : 8;

	memset(key, 0, 26);
	key[0] = a->family == AF_INET ? 4 : 6;
	key[1] = keep * 8;
	memcpy(key + 2, a->addr, keep);
	memcpy(key + 18, &ns, sizeof(ns));
}

static struct khttp_client *khttp_client_find(const u8 key[26], u32 hash)
{
	struct khttp_client *cl;

	hash_for_each_possible(khttp_clients, cl, node, hash)
		if (!memcmp(cl->key, key, 26))
			return cl;
	return NULL;
}

static bool khttp_client_inc(const u8 key[26], u32 limit,
			     struct khttp_client **spare)
{
	u32 hash = jhash(key, 26, 0);
	struct khttp_client *cl = khttp_client_find(key, hash);

	if (!cl) {
		cl = *spare;
		*spare = NULL;
		memcpy(cl->key, key, 26);
		cl->count = 0;
		hash_add(khttp_clients, &cl->node, hash);
	}
	if (limit && cl->count >= limit) {
		if (!cl->count) {
			hash_del(&cl->node);
			*spare = cl;
		}
		return false;
	}
	cl->count++;
	return true;
}

static void khttp_client_dec(const u8 key[26], struct khttp_client **gone)
{
	struct khttp_client *cl = khttp_client_find(key, jhash(key, 26, 0));

	if (cl && !--cl->count) {
		hash_del(&cl->node);
		cl->node.next = (struct hlist_node *)*gone;
		*gone = cl;
	}
}

/*
 * Count a new connection from @peer against the limits; false if it is
 * one too many (nothing counted then).
 */
bool khttp_client_get(const struct khttp_config *cfg, u64 ns,
		      const struct khttp_addr *peer)
{
	u32 per_addr = READ_ONCE(cfg->max_conns_per_client);
	u32 per_prefix = READ_ONCE(cfg->max_conns_per_prefix);
	struct khttp_client *spare[2];
	u8 ka[26], kp[26];
	bool ok = true;
	int i;

	spare[0] = kzalloc(sizeof(*spare[0]), GFP_KERNEL);
	spare[1] = kzalloc(sizeof(*spare[1]), GFP_KERNEL);
	if (!spare[0] || !spare[1]) {
		kfree(spare[0]);
		kfree(spare[1]);
		/* No memory to count with: let limits, if any, refuse. */
		return !per_addr && !per_prefix;
	}
	khttp_client_key(ns, peer, false, ka);
	khttp_client_key(ns, peer, true, kp);
	spin_lock_bh(&khttp_clients_lock);
	if (!khttp_client_inc(ka, per_addr, &spare[0])) {
		ok = false;
	} else if (!khttp_client_inc(kp, per_prefix, &spare[1])) {
		struct khttp_client *gone = NULL;

		khttp_client_dec(ka, &gone);
		/* A fresh address entry (spare[0]) emptied again: free it. */
		if (gone)
			spare[0] = gone;
		ok = false;
	}
	spin_unlock_bh(&khttp_clients_lock);
	for (i = 0; i < 2; i++)
		kfree(spare[i]);
	return ok;
}

void khttp_client_put(u64 ns, const struct khttp_addr *peer)
{
	struct khttp_client *gone = NULL, *next;
	u8 ka[26], kp[26];

	khttp_client_key(ns, peer, false, ka);
	khttp_client_key(ns, peer, true, kp);
	spin_lock_bh(&khttp_clients_lock);
	khttp_client_dec(ka, &gone);
	khttp_client_dec(kp, &gone);
	spin_unlock_bh(&khttp_clients_lock);
	while (gone) {
		next = (struct khttp_client *)gone->node.next;
		kfree(gone);
		gone = next;
	}
}
