// SPDX-License-Identifier: GPL-2.0
/*
 * Counters.  Per-cpu so the data path never bounces a cache line; summed
 * only when httpctl asks.  Each namespace has its own totals (net.h).
 */
#include <linux/percpu.h>
#include "khttp.h"
#include "stats.h"
#include "listener.h"
#include "conn.h"
#include "net.h"

void khttp_stat(struct khttp_conn *c, int idx, u64 v)
{
	khttp_stat_add(&c->listener->kn->stats, idx, v);
	khttp_stat_add(&c->listener->stats, idx, v);
}

void khttp_stat_sent(struct khttp_conn *c, u64 n)
{
	khttp_stat(c, KHTTP_STAT_BYTES_OUT, n);
	c->rq->resp_bytes += n;
}

int khttp_stats_init(struct khttp_stats *s)
{
	s->cnt = __alloc_percpu(sizeof(u64) * __KHTTP_STAT_MAX,
				__alignof__(u64));
	return s->cnt ? 0 : -ENOMEM;
}

void khttp_stats_free(struct khttp_stats *s)
{
	free_percpu(s->cnt);
	s->cnt = NULL;
}

void khttp_stats_sum(const struct khttp_stats *s, u64 out[__KHTTP_STAT_MAX])
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * __KHTTP_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const u64 *c = per_cpu_ptr(s->cnt, cpu);

		for (i = 0; i < __KHTTP_STAT_MAX; i++)
			out[i] += c[i];
	}
}
