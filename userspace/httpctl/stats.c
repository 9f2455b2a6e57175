// SPDX-License-Identifier: GPL-2.0
/* httpctl: stats and stats --prometheus. */
#include "httpctl.h"

/* ---- statistics ---------------------------------------------------- */

#define COUNTERS_MAX ((int)KHTTP_STAT_MAX > (int)KHTTP_PSTAT_MAX ? \
		      (int)KHTTP_STAT_MAX : (int)KHTTP_PSTAT_MAX)

/*
 * A nest of u64 counters, types 1 to @max except the padding type @pad,
 * into @have and @val (arrays of @max + 1, zeroed first).
 */
int counters_parse(struct nlattr *nest, int max, int pad, bool *have,
			  uint64_t *val)
{
	struct nla_policy pol[COUNTERS_MAX + 1];
	struct nlattr *tb[COUNTERS_MAX + 1];
	int i;

	memset(pol, 0, sizeof(pol));
	for (i = 1; i <= max; i++)
		if (i != pad)
			pol[i].type = NLA_U64;
	memset(have, 0, (max + 1) * sizeof(*have));
	memset(val, 0, (max + 1) * sizeof(*val));
	if (!nest)
		return 0;
	if (nla_parse_nested(tb, max, nest, pol) < 0)
		return -1;
	for (i = 1; i <= max; i++) {
		if (i == pad || !tb[i])
			continue;
		have[i] = true;
		val[i] = nla_get_u64(tb[i]);
	}
	return 0;
}

int stats_parse(struct nlattr *nest, struct stats *s)
{
	return counters_parse(nest, KHTTP_STAT_MAX, KHTTP_STAT_PAD, s->have,
			      s->val);
}

/* The counters: a JSON object, or a "NAME N" line each after @indent. */
void stats_print(struct pr *p, const struct stats *s, const char *indent)
{
	char name[32];
	int i;

	pr_open_object(p, NULL);
	for (i = 1; i <= KHTTP_STAT_MAX; i++) {
		if (!s->have[i])
			continue;
		if (httpctl_stat_name((unsigned int)i))
			snprintf(name, sizeof(name), "%s",
				 httpctl_stat_name((unsigned int)i));
		else
			snprintf(name, sizeof(name), "stat_%d", i);
		print_u64(p, PRINT_JSON, name, NULL,
			  (unsigned long long)s->val[i]);
		print_fp(p, "%s%s %llu\n", indent, name,
			 (unsigned long long)s->val[i]);
	}
	pr_close_object(p);
}

/* ---- stats --------------------------------------------------------- */

int stats_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	(void)c;
	return stats_parse(tb[KHTTP_A_STATUS_STATS], arg);
}

int cmd_stats(struct ctx *c, int argc, char **argv)
{
	struct listen_walk w = { .stats = true };
	struct pool_walk pw = { .stats = true };
	struct stats s;
	int ret;

	if (argc == 1 && (!strcmp(argv[0], "--prometheus") ||
			  !strcmp(argv[0], "-p")))
		return cmd_prometheus(c);
	if ((ret = no_args(c, argc, argv)))
		return ret;
	memset(&s, 0, sizeof(s));
	ret = req_run(c, req_new(c, KHTTP_CMD_STATS_GET, false),
		      stats_reply, &s);
	if (ret)
		return ret;
	pr_init(&w.p, stdout, c->json);
	pr_open_object(&w.p, NULL);
	print_key(&w.p, "global");
	stats_print(&w.p, &s, "");
	print_key(&w.p, "listen");
	ret = listen_dump(c, &w);
	if (!ret) {
		/* the same writer, so the "pools" key joins the object */
		pw.p = w.p;
		print_key(&pw.p, "pools");
		ret = pool_dump(c, &pw);
		w.p = pw.p;
	}
	pr_close_object(&w.p);
	return ret;
}

/* ---- stats --prometheus -------------------------------------------- */

static const struct prom_metric {
	int stat;		/* enum khttp_stat */
	const char *name;	/* after "khttp_" (and "listen_") */
	bool gauge;
	const char *help;
} prom_metrics[] = {
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

static bool prom_is_class(int stat)
{
	return stat >= KHTTP_STAT_RESP_1XX && stat <= KHTTP_STAT_RESP_5XX;
}

static bool prom_known(int stat)
{
	size_t m;

	if (prom_is_class(stat))
		return true;
	for (m = 0; m < sizeof(prom_metrics) / sizeof(prom_metrics[0]); m++)
		if (prom_metrics[m].stat == stat)
			return true;
	return false;
}

static void prom_head(const char *name, const char *type, const char *help)
{
	printf("# HELP khttp_%s %s\n# TYPE khttp_%s %s\n", name, help, name,
	       type);
}

/* One metric, globally (@listen false) or for every listen entry. */
static void prom_stat(const struct running *r, const struct prom_metric *m,
		      bool listen)
{
	char name[96], buf[HTTPCTL_ADDRSTRLEN];
	size_t i, n = listen ? r->nlisten : 1;
	int s, first = m->stat, last = m->stat;
	bool any = false;

	if (prom_is_class(m->stat))
		last = KHTTP_STAT_RESP_5XX;
	for (i = 0; i < n && !any; i++)
		for (s = first; s <= last; s++)
			any |= (listen ? r->listen[i].s.have : r->gs.have)[s];
	if (!any)
		return;
	snprintf(name, sizeof(name), "%s%s", listen ? "listen_" : "", m->name);
	prom_head(name, m->gauge ? "gauge" : "counter", m->help);
	for (i = 0; i < n; i++) {
		const struct stats *st = listen ? &r->listen[i].s : &r->gs;

		for (s = first; s <= last; s++) {
			if (!st->have[s])
				continue;
			printf("khttp_%s", name);
			if (listen || first != last)
				putchar('{');
			if (listen) {
				fputs("listen=", stdout);
				httpctl_prom_label(stdout, httpctl_addr_format(
					&r->listen[i].a, buf, sizeof(buf)));
			}
			if (first != last)
				printf("%sclass=\"%dxx\"", listen ? "," : "",
				       s - KHTTP_STAT_RESP_1XX + 1);
			if (listen || first != last)
				putchar('}');
			printf(" %llu\n", (unsigned long long)st->val[s]);
		}
	}
}

/* Counters of enum khttp_stat this httpctl has no metric for (newer). */
static void prom_unknown(const struct running *r)
{
	const char *n;
	char name[64];
	int s;

	for (s = 1; s <= KHTTP_STAT_MAX; s++) {
		if (!r->gs.have[s] || prom_known(s))
			continue;
		n = httpctl_stat_name((unsigned int)s);
		if (n)
			snprintf(name, sizeof(name), "%s", n);
		else
			snprintf(name, sizeof(name), "stat_%d", s);
		prom_head(name, "untyped", "A khttp counter (see httpctl stats).");
		printf("khttp_%s %llu\n", name, (unsigned long long)r->gs.val[s]);
	}
}

static const struct prom_pool_metric {
	int pstat;		/* enum khttp_pool_stat, or 0 for a gauge */
	const char *name;
	const char *help;
} prom_pool_metrics[] = {
	{ KHTTP_PSTAT_QUEUED, "pool_queued_total", "Requests put on the pool's queue." },
	{ KHTTP_PSTAT_DELIVERED, "pool_delivered_total", "Requests read by a worker." },
	{ KHTTP_PSTAT_ANSWERED, "pool_answered_total", "Final responses from workers." },
	{ KHTTP_PSTAT_QUEUE_FULL, "pool_queue_full_total", "Requests refused because the queue was full." },
	{ KHTTP_PSTAT_QUEUE_TIMEOUT, "pool_queue_timeout_total", "Requests that waited past queue-timeout (503)." },
	{ KHTTP_PSTAT_UNAVAILABLE, "pool_unavailable_total", "Requests refused while the pool was inactive or failed (503)." },
	{ KHTTP_PSTAT_ABANDONED, "pool_abandoned_total", "Requests lost with a dead worker (502)." },
	{ KHTTP_PSTAT_WORKER_DEATHS, "pool_worker_deaths_total", "Worker files closed with requests in hand." },
	{ KHTTP_PSTAT_CLIENT_GONE, "pool_client_gone_total", "Clients that left before the answer." },
};

static void prom_pool_label(const struct r_pool *p)
{
	fputs("{pool=", stdout);
	httpctl_prom_label(stdout, p->name);
}

static void prom_pools(const struct running *r)
{
	static const char *const gauges[][2] = {
		{ "pool_queue_depth", "Requests waiting for a worker now." },
		{ "pool_in_hand", "Requests read by workers, not yet answered." },
		{ "pool_readers", "Open files on the pool's device." },
		{ "pool_queue_length", "The pool's queue-length setting." },
		{ "pool_queue_depth_max", "Most requests waiting at once since the pool was added." },
	};
	const struct r_pool *p;
	size_t m, i;
	uint32_t v;

	if (!r->npools)
		return;
	for (m = 0; m < sizeof(prom_pool_metrics) / sizeof(prom_pool_metrics[0]); m++) {
		prom_head(prom_pool_metrics[m].name, "counter",
			  prom_pool_metrics[m].help);
		for (i = 0; i < r->npools; i++) {
			p = &r->pools[i];
			if (!p->s.have[prom_pool_metrics[m].pstat])
				continue;
			printf("khttp_%s", prom_pool_metrics[m].name);
			prom_pool_label(p);
			printf("} %llu\n", (unsigned long long)
			       p->s.val[prom_pool_metrics[m].pstat]);
		}
	}
	for (m = 0; m < sizeof(gauges) / sizeof(gauges[0]); m++) {
		prom_head(gauges[m][0], "gauge", gauges[m][1]);
		for (i = 0; i < r->npools; i++) {
			p = &r->pools[i];
			v = m == 0 ? p->queued : m == 1 ? p->in_hand :
			    m == 2 ? p->readers : m == 3 ? p->qlen :
			    p->queued_max;
			printf("khttp_%s", gauges[m][0]);
			prom_pool_label(p);
			printf("} %u\n", v);
		}
	}
	prom_head("pool_state", "gauge",
		  "1 for the pool's state (active, inactive, failed).");
	for (i = 0; i < r->npools; i++) {
		const char *st = httpctl_pool_state_name(r->pools[i].state);

		for (v = KHTTP_POOL_ACTIVE; v <= KHTTP_POOL_FAILED; v++) {
			fputs("khttp_pool_state", stdout);
			prom_pool_label(&r->pools[i]);
			printf(",state=\"%s\"} %d\n",
			       httpctl_pool_state_name(v),
			       st && !strcmp(st, httpctl_pool_state_name(v)));
		}
	}
}

int cmd_prometheus(struct ctx *c)
{
	struct running r;
	size_t m;
	int ret;

	memset(&r, 0, sizeof(r));
	ret = running_read(c, &r, true);
	if (ret)
		goto out;
	prom_head("up", "gauge", "1: the khttp module answered.");
	puts("khttp_up 1");
	prom_head("listen_entries", "gauge", "Entries in the IP listen list.");
	printf("khttp_listen_entries %zu\n", r.nlisten);
	prom_head("routes", "gauge", "Routes.");
	printf("khttp_routes %zu\n", r.nroutes);
	prom_head("pools", "gauge", "Application pools.");
	printf("khttp_pools %zu\n", r.npools);
	for (m = 0; m < sizeof(prom_metrics) / sizeof(prom_metrics[0]); m++)
		prom_stat(&r, &prom_metrics[m], false);
	prom_unknown(&r);
	for (m = 0; m < sizeof(prom_metrics) / sizeof(prom_metrics[0]); m++)
		if (strncmp(prom_metrics[m].name, "cache_", 6) &&
		    strncmp(prom_metrics[m].name, "log_", 4))
			prom_stat(&r, &prom_metrics[m], true);
	prom_pools(&r);
out:
	running_free(&r);
	return ret;
}

