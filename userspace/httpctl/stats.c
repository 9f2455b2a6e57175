// SPDX-License-Identifier: GPL-2.0
/* httpctl: stats and stats --prometheus. */
#include "httpctl.h"
#include "promnames.h"

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

/*
 * The metric names, types and help are kmod/promnames.h's, the table the
 * kernel's metrics route prints from too.
 */
#define prom_metric khttp_prom_metric
#define prom_metrics khttp_prom_stats

#define prom_is_class khttp_prom_is_class

static bool prom_known(int stat)
{
	size_t m;

	if (prom_is_class(stat))
		return true;
	for (m = 0; m < KHTTP_PROM_NSTATS; m++)
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

static void prom_pool_label(const struct r_pool *p)
{
	fputs("{pool=", stdout);
	httpctl_prom_label(stdout, p->name);
}

static void prom_pools(const struct running *r)
{
	const struct khttp_prom_pool_metric *pm = khttp_prom_pool_stats;
	const char *const (*gauges)[2] = khttp_prom_pool_gauges;
	const struct r_pool *p;
	size_t m, i;
	uint32_t v;

	if (!r->npools)
		return;
	for (m = 0; m < KHTTP_PROM_NPOOL_STATS; m++) {
		prom_head(pm[m].name, "counter", pm[m].help);
		for (i = 0; i < r->npools; i++) {
			p = &r->pools[i];
			if (!p->s.have[pm[m].pstat])
				continue;
			printf("khttp_%s", pm[m].name);
			prom_pool_label(p);
			printf("} %llu\n", (unsigned long long)
			       p->s.val[pm[m].pstat]);
		}
	}
	for (m = 0; m < KHTTP_PROM_POOL_NGAUGES; m++) {
		prom_head(gauges[m][0], "gauge", gauges[m][1]);
		for (i = 0; i < r->npools; i++) {
			p = &r->pools[i];
			v = m == KHTTP_PROM_POOL_QUEUE_DEPTH ? p->queued :
			    m == KHTTP_PROM_POOL_IN_HAND ? p->in_hand :
			    m == KHTTP_PROM_POOL_READERS ? p->readers :
			    m == KHTTP_PROM_POOL_QUEUE_LENGTH ? p->qlen :
			    p->queued_max;
			printf("khttp_%s", gauges[m][0]);
			prom_pool_label(p);
			printf("} %u\n", v);
		}
	}
	prom_head("pool_state", "gauge", KHTTP_PROM_POOL_STATE_HELP);
	for (i = 0; i < r->npools; i++) {
		const char *st = httpctl_pool_state_name(r->pools[i].state);

		for (v = KHTTP_POOL_ACTIVE; v <= KHTTP_POOL_FAILED; v++) {
			fputs("khttp_pool_state", stdout);
			prom_pool_label(&r->pools[i]);
			printf(",state=\"%s\"} %d\n",
			       khttp_prom_pool_states[v],
			       st && !strcmp(st, khttp_prom_pool_states[v]));
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
	prom_head("up", "gauge", KHTTP_PROM_UP_HELP);
	puts("khttp_up 1");
	prom_head("listen_entries", "gauge", KHTTP_PROM_LISTEN_HELP);
	printf("khttp_listen_entries %zu\n", r.nlisten);
	prom_head("routes", "gauge", KHTTP_PROM_ROUTES_HELP);
	printf("khttp_routes %zu\n", r.nroutes);
	prom_head("pools", "gauge", KHTTP_PROM_POOLS_HELP);
	printf("khttp_pools %zu\n", r.npools);
	for (m = 0; m < KHTTP_PROM_NSTATS; m++)
		prom_stat(&r, &prom_metrics[m], false);
	prom_unknown(&r);
	for (m = 0; m < KHTTP_PROM_NSTATS; m++)
		if (!khttp_prom_global_only(&prom_metrics[m]))
			prom_stat(&r, &prom_metrics[m], true);
	prom_pools(&r);
out:
	running_free(&r);
	return ret;
}

