/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Quality of service (qos.c): send-rate caps and per-client limits.
 */
#ifndef KHTTP_QOS_H
#define KHTTP_QOS_H

#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/khttp.h>

/* qos.c: throttling and per-client limits. */
struct khttp_bucket {
	struct kref ref;
	spinlock_t lock;
	u64 rate;			/* bytes per second */
	u64 burst;
	u64 tokens;
	u64 last_ns;
};

u64 khttp_tokens_refill(u64 tokens, u64 burst, u64 rate, u64 elapsed_ns);
u64 khttp_tokens_wait(u64 tokens, u64 need, u64 rate);
struct khttp_bucket *khttp_bucket_new(u64 rate);
void khttp_bucket_put(struct khttp_bucket *b);
u64 khttp_bucket_take(struct khttp_bucket *b, u64 want, u64 *wait_ns);
void khttp_bucket_refund(struct khttp_bucket *b, u64 n);
struct khttp_config;
bool khttp_client_get(const struct khttp_config *cfg, u64 ns,
		      const struct khttp_addr *peer);
void khttp_client_put(u64 ns, const struct khttp_addr *peer);

#endif /* KHTTP_QOS_H */
