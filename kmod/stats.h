/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counters (stats.c): per-cpu, for each listen entry and each namespace.
 */
#ifndef KHTTP_STATS_H
#define KHTTP_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/khttp.h>

struct khttp_conn;
struct sk_buff;

/* stats.c: per-cpu counters, indexed by enum khttp_stat. */
struct khttp_stats {
	u64 __percpu *cnt;
};

int khttp_stats_init(struct khttp_stats *s);
void khttp_stats_free(struct khttp_stats *s);
void khttp_stats_sum(const struct khttp_stats *s, u64 out[__KHTTP_STAT_MAX]);

static inline void khttp_stat_add(struct khttp_stats *s, int idx, u64 v)
{
	this_cpu_add(s->cnt[idx], v);
}

/* stats.c: count for the connection's listener and its namespace. */
void khttp_stat(struct khttp_conn *c, int idx, u64 v);
/* Response bytes went out on @c: counted, and logged with the request. */
void khttp_stat_sent(struct khttp_conn *c, u64 n);

#endif /* KHTTP_STATS_H */
