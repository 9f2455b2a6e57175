/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus metrics of khttp: one table for both writers of the text
 * format, `httpctl stats --prometheus` (userspace/httpctl/stats.c) and the
 * kernel's metrics route (metrics.c), so a scrape of either gives the same
 * names, types and help.  Plain C, no kernel calls; include it from one
 * file per program (the tables are static).  Each metric is named by the
 * counter of the YNL spec it exports (enum khttp_stat, khttp_pool_stat);
 * metrics.c fails to build when the spec has a counter this table lacks.
 */
#ifndef KHTTP_PROMNAMES_H
#define KHTTP_PROMNAMES_H

#include "compat.h"		/* ARRAY_SIZE, bool in userspace */
#include <linux/khttp.h>

/* Every name starts with this; per-listen-entry ones then with "listen_". */
#define KHTTP_PROM_PREFIX	"khttp_"

struct khttp_prom_metric {
	int stat;		/* enum khttp_stat */
	const char *name;	/* after "khttp_" (and "listen_") */
	bool gauge;
	const char *help;
};

/*
 * enum khttp_stat, in the order printed.  KHTTP_STAT_RESP_1XX stands for
 * the five classes, one metric with a class="Nxx" label.
 */
static const struct khttp_prom_metric khttp_prom_stats[] = {
	{ KHTTP_STAT_CONN_ACCEPTED, "connections_accepted_total", false,
	  "Connections accepted." },
	{ KHTTP_STAT_CONN_ACTIVE, "connections_active", true,
	  "Connections open now." },
	{ KHTTP_STAT_CONN_REFUSED, "connections_refused_total", false,
	  "Connections refused over max-conns (503)." },
	{ KHTTP_STAT_CLIENT_REFUSED, "connections_client_refused_total", false,
	  "Connections refused over a per-client or per-prefix limit." },
	{ KHTTP_STAT_CONN_TIMEOUT, "connections_timed_out_total", false,
	  "Connections closed by the header-wait or idle timeout." },
	{ KHTTP_STAT_SLOW_CLOSED, "connections_slow_closed_total", false,
	  "Connections closed for reading slower than min-send-rate." },
	{ KHTTP_STAT_REQUESTS, "requests_total", false,
	  "Requests received." },
	{ KHTTP_STAT_RESP_1XX, "responses_total", false,
	  "Responses sent, by status class." },
	{ KHTTP_STAT_THROTTLED, "responses_throttled_total", false,
	  "Responses paced by a route's max-bandwidth." },
	{ KHTTP_STAT_ACCESS_DENIED, "access_denied_total", false,
	  "Requests refused by a route's access rules (403)." },
	{ KHTTP_STAT_TLS_HANDSHAKES, "tls_handshakes_total", false,
	  "TLS connections handed back by the handshake agent." },
	{ KHTTP_STAT_TLS_HANDSHAKE_TIMEOUTS, "tls_handshake_timeouts_total", false,
	  "TLS connections closed waiting for a handshake." },
	{ KHTTP_STAT_TLS_HANDSHAKE_FAILED, "tls_handshake_failed_total", false,
	  "TLS connections failed by the agent, closed with it, or over tls-handshake-max." },
	{ KHTTP_STAT_BYTES_IN, "received_bytes_total", false,
	  "Bytes received from clients." },
	{ KHTTP_STAT_BYTES_OUT, "sent_bytes_total", false,
	  "Bytes sent to clients." },
	{ KHTTP_STAT_CACHE_HITS, "cache_hits_total", false,
	  "Requests answered from the kernel response cache." },
	{ KHTTP_STAT_CACHE_MISSES, "cache_misses_total", false,
	  "Cacheable requests the response cache could not answer." },
	{ KHTTP_STAT_CACHE_INSERTS, "cache_inserts_total", false,
	  "Responses stored in the response cache." },
	{ KHTTP_STAT_CACHE_LOCK_TIMEOUTS, "cache_lock_timeouts_total", false,
	  "Cache misses that stopped waiting for another request's answer." },
	{ KHTTP_STAT_CACHE_EVICTIONS, "cache_evictions_total", false,
	  "Responses pushed out of the cache by its memory cap or reclaim." },
	{ KHTTP_STAT_CACHE_BYTES, "cache_bytes", true,
	  "Memory the response cache holds." },
	{ KHTTP_STAT_CACHE_ENTRIES, "cache_entries", true,
	  "Responses in the response cache." },
	{ KHTTP_STAT_LOG_LOST, "log_records_lost_total", false,
	  "Access log records that could not be delivered." },
};

#define KHTTP_PROM_NSTATS	ARRAY_SIZE(khttp_prom_stats)

/* The cache and the log are shared by all listen entries: global only. */
static inline bool khttp_prom_global_only(const struct khttp_prom_metric *m)
{
	return m->stat >= KHTTP_STAT_CACHE_HITS &&
	       m->stat <= KHTTP_STAT_LOG_LOST;
}

static inline bool khttp_prom_is_class(int stat)
{
	return stat >= KHTTP_STAT_RESP_1XX && stat <= KHTTP_STAT_RESP_5XX;
}

/* enum khttp_pool_stat: counters with a pool="NAME" label. */
static const struct khttp_prom_pool_metric {
	int pstat;
	const char *name;
	const char *help;
} khttp_prom_pool_stats[] = {
	{ KHTTP_PSTAT_QUEUED, "pool_queued_total",
	  "Requests put on the pool's queue." },
	{ KHTTP_PSTAT_DELIVERED, "pool_delivered_total",
	  "Requests read by a worker." },
	{ KHTTP_PSTAT_ANSWERED, "pool_answered_total",
	  "Final responses from workers." },
	{ KHTTP_PSTAT_QUEUE_FULL, "pool_queue_full_total",
	  "Requests refused because the queue was full." },
	{ KHTTP_PSTAT_QUEUE_TIMEOUT, "pool_queue_timeout_total",
	  "Requests that waited past queue-timeout (503)." },
	{ KHTTP_PSTAT_UNAVAILABLE, "pool_unavailable_total",
	  "Requests refused while the pool was inactive or failed (503)." },
	{ KHTTP_PSTAT_ABANDONED, "pool_abandoned_total",
	  "Requests lost with a dead worker (502)." },
	{ KHTTP_PSTAT_WORKER_DEATHS, "pool_worker_deaths_total",
	  "Worker files closed with requests in hand." },
	{ KHTTP_PSTAT_CLIENT_GONE, "pool_client_gone_total",
	  "Clients that left before the answer." },
	{ KHTTP_PSTAT_RING_ERRORS, "pool_ring_errors_total",
	  "Refused ring doorbells and ring answer records." },
	{ KHTTP_PSTAT_READER_RUNS, "pool_reader_runs_total",
	  "Next requests a sleeping worker read off its connection itself." },
};

#define KHTTP_PROM_NPOOL_STATS	ARRAY_SIZE(khttp_prom_pool_stats)

/* A pool's gauges, in the order printed. */
enum khttp_prom_pool_gauge {
	KHTTP_PROM_POOL_QUEUE_DEPTH,
	KHTTP_PROM_POOL_IN_HAND,
	KHTTP_PROM_POOL_READERS,
	KHTTP_PROM_POOL_QUEUE_LENGTH,
	KHTTP_PROM_POOL_QUEUE_DEPTH_MAX,
	KHTTP_PROM_POOL_NGAUGES,
};

static const char *const khttp_prom_pool_gauges[][2] = {
	[KHTTP_PROM_POOL_QUEUE_DEPTH] = { "pool_queue_depth",
		"Requests waiting for a worker now." },
	[KHTTP_PROM_POOL_IN_HAND] = { "pool_in_hand",
		"Requests read by workers, not yet answered." },
	[KHTTP_PROM_POOL_READERS] = { "pool_readers",
		"Open files on the pool's device." },
	[KHTTP_PROM_POOL_QUEUE_LENGTH] = { "pool_queue_length",
		"The pool's queue-length setting." },
	[KHTTP_PROM_POOL_QUEUE_DEPTH_MAX] = { "pool_queue_depth_max",
		"Most requests waiting at once since the pool was added." },
};

/* khttp_pool_state{pool=,state=}: one line per state, 1 for the pool's. */
static const char *const khttp_prom_pool_states[] = {
	[KHTTP_POOL_ACTIVE] = "active",
	[KHTTP_POOL_INACTIVE] = "inactive",
	[KHTTP_POOL_FAILED] = "failed",
};

#define KHTTP_PROM_POOL_STATE_HELP \
	"1 for the pool's state (active, inactive, failed)."

/* The first metrics, before the counters. */
#define KHTTP_PROM_UP_HELP	"1: the khttp module answered."
#define KHTTP_PROM_LISTEN_HELP	"Entries in the IP listen list."
#define KHTTP_PROM_ROUTES_HELP	"Routes."
#define KHTTP_PROM_POOLS_HELP	"Application pools."

#endif /* KHTTP_PROMNAMES_H */
