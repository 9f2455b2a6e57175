// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics and status routes: what `httpctl stats --prometheus` prints,
 * answered by the kernel itself so Prometheus scrapes khttp directly
 * (no textfile cron job, no worker), and a small self-refreshing HTML
 * page of the same counters for people (Apache's server-status).  The
 * names, types and help come from promnames.h, the table httpctl prints
 * from, so both writers give the same metrics; the answers are made
 * fresh for every request and never cached.  A route's access rules
 * (access.c) were applied before we are called.
 *
 * The counters are read as httpctl reads them over netlink: summed
 * per-cpu counters for the module and each listen entry (under
 * khttp_conf_lock, as the listen dump), then each pool's (pool walk).
 * The text is built in a buffer that grows to at most
 * KHTTP_METRICS_MAX_BYTES; past that, or without memory, the answer is
 * 500.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include "khttp.h"
#include "stats.h"
#include "listener.h"
#include "net.h"
#include "conn.h"
#include "pool.h"
#include "router.h"
#include "cachectl.h"
#include "nlobj.h"
#include "resp.h"
#include "parser.h"
#include "metrics.h"
#include "promnames.h"

#define KHTTP_METRICS_MAX_BYTES	(1024 * 1024)
#define KHTTP_METRICS_HEAD_ROOM	512

/* The text being built: grows by doubling; err once it cannot. */
struct khttp_mtext {
	char *buf;
	size_t len;
	size_t cap;
	int err;
};

static bool khttp_mtext_grow(struct khttp_mtext *t, size_t need)
{
	size_t cap = t->cap ? t->cap : 16384;
	char *buf;

	while (cap < need)
		cap *= 2;
	if (cap > KHTTP_METRICS_MAX_BYTES) {
		t->err = -E2BIG;
		return false;
	}
	buf = kvmalloc(cap, GFP_KERNEL);
	if (!buf) {
		t->err = -ENOMEM;
		return false;
	}
	if (t->buf)
		memcpy(buf, t->buf, t->len);
	kvfree(t->buf);
	t->buf = buf;
	t->cap = cap;
	return true;
}

static __printf(2, 3) void khttp_mt(struct khttp_mtext *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->err)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (t->len + n < t->cap) {
			t->len += n;
			return;
		}
		if (!khttp_mtext_grow(t, t->len + n + 1))
			return;
	}
}

/* @s escaped: a Prometheus label value (backslash, quote, newline) or HTML. */
static void khttp_mt_escaped(struct khttp_mtext *t, const char *s, bool html)
{
	for (; *s; s++) {
		if (html && *s == '&')
			khttp_mt(t, "&amp;");
		else if (html && *s == '<')
			khttp_mt(t, "&lt;");
		else if (html && *s == '>')
			khttp_mt(t, "&gt;");
		else if (html && *s == '"')
			khttp_mt(t, "&quot;");
		else if (html && *s == '\'')
			khttp_mt(t, "&#39;");
		else if (!html && (*s == '\\' || *s == '"'))
			khttp_mt(t, "\\%c", *s);
		else if (!html && *s == '\n')
			khttp_mt(t, "\\n");
		else
			khttp_mt(t, "%c", *s);
	}
}

/* "192.0.2.10:80", "[::1]:8080": httpctl's form of a listen address. */
static void khttp_mt_addr(struct khttp_mtext *t, const struct khttp_addr *a)
{
	if (a->family == AF_INET)
		khttp_mt(t, "%pI4:%u", a->addr, a->port);
	else if (a->scope_id)
		khttp_mt(t, "[%pI6c%%%u]:%u", a->addr, a->scope_id, a->port);
	else
		khttp_mt(t, "[%pI6c]:%u", a->addr, a->port);
}

/* ---- a snapshot of the counters ---- */

struct khttp_mlisten {
	struct khttp_addr addr;
	u64 v[__KHTTP_STAT_MAX];
};

struct khttp_mpool {
	char name[KHTTP_POOL_NAME_MAX];
	u8 state;
	u32 gauge[KHTTP_PROM_POOL_NGAUGES];
	u64 stats[__KHTTP_PSTAT_MAX];
};

struct khttp_msnap {
	u64 gs[__KHTTP_STAT_MAX];
	u32 nroutes;
	u32 nlisten;
	struct khttp_mlisten *listen;
	u32 npools;
	u32 pools_cap;
	struct khttp_mpool *pools;
	int err;
};

static int khttp_msnap_pool(const struct khttp_pool_info *pi, void *arg)
{
	struct khttp_msnap *s = arg;
	struct khttp_mpool *p;

	if (s->npools == s->pools_cap) {
		u32 cap = s->pools_cap ? s->pools_cap * 2 : 16;

		p = kvmalloc_array(cap, sizeof(*p), GFP_KERNEL);
		if (!p) {
			s->err = -ENOMEM;
			return 1;
		}
		if (s->pools)
			memcpy(p, s->pools, s->npools * sizeof(*p));
		kvfree(s->pools);
		s->pools = p;
		s->pools_cap = cap;
	}
	p = &s->pools[s->npools++];
	strscpy(p->name, pi->name, sizeof(p->name));
	p->state = pi->state;
	p->gauge[KHTTP_PROM_POOL_QUEUE_DEPTH] = pi->queued;
	p->gauge[KHTTP_PROM_POOL_IN_HAND] = pi->in_hand;
	p->gauge[KHTTP_PROM_POOL_READERS] = pi->readers;
	p->gauge[KHTTP_PROM_POOL_QUEUE_LENGTH] = pi->queue_length;
	p->gauge[KHTTP_PROM_POOL_QUEUE_DEPTH_MAX] = pi->queued_max;
	memcpy(p->stats, pi->stats, sizeof(p->stats));
	return 0;
}

static int khttp_msnap_take(struct khttp_net *kn, struct khttp_msnap *s)
{
	struct khttp_listener *l;
	s64 active;
	u32 i = 0;
	long n;

	khttp_stats_sum(&kn->stats, s->gs);
	active = khttp_conn_active(kn);
	s->gs[KHTTP_STAT_CONN_ACTIVE] = active > 0 ? active : 0;
	/* The cache is the host's: its counters are the initial one's. */
	if (kn->init)
		khttp_cache_stats(s->gs);

	mutex_lock(&khttp_conf_lock);
	s->nroutes = khttp_route_count(kn);
	s->nlisten = khttp_listener_count(kn);
	s->listen = s->nlisten ? kvmalloc_array(s->nlisten, sizeof(*s->listen),
						GFP_KERNEL) : NULL;
	if (s->nlisten && !s->listen) {
		mutex_unlock(&khttp_conf_lock);
		return -ENOMEM;
	}
	list_for_each_entry(l, &kn->listeners, node) {
		struct khttp_mlisten *ml = &s->listen[i++];

		ml->addr = l->addr;
		khttp_stats_sum(&l->stats, ml->v);
		ml->v[KHTTP_STAT_CONN_ACTIVE] = max(atomic_read(&l->conns), 0);
	}
	mutex_unlock(&khttp_conf_lock);

	n = khttp_pool_walk(kn, 0, khttp_msnap_pool, s);
	return n < 0 ? n : s->err;
}

static void khttp_msnap_free(struct khttp_msnap *s)
{
	kvfree(s->listen);
	kvfree(s->pools);
}

/* ---- the Prometheus text format ---- */

/* HELP and TYPE of KHTTP_PROM_PREFIX @pre @name. */
static void khttp_prom_head(struct khttp_mtext *t, const char *pre,
			    const char *name, const char *type,
			    const char *help)
{
	khttp_mt(t, "# HELP " KHTTP_PROM_PREFIX "%s%s %s\n"
		 "# TYPE " KHTTP_PROM_PREFIX "%s%s %s\n", pre, name, help, pre,
		 name, type);
}

/* One metric, globally (@listen false) or for every listen entry. */
static void khttp_prom_stat(struct khttp_mtext *t, const struct khttp_msnap *s,
			    const struct khttp_prom_metric *m, bool listen)
{
	int st, first = m->stat, last = m->stat;
	u32 i, n = listen ? s->nlisten : 1;
	bool class = khttp_prom_is_class(m->stat);

	if (!n)
		return;
	if (class)
		last = KHTTP_STAT_RESP_5XX;
	khttp_prom_head(t, listen ? "listen_" : "", m->name,
			m->gauge ? "gauge" : "counter", m->help);
	for (i = 0; i < n; i++) {
		const u64 *v = listen ? s->listen[i].v : s->gs;

		for (st = first; st <= last; st++) {
			khttp_mt(t, KHTTP_PROM_PREFIX "%s%s", listen ?
				 "listen_" : "", m->name);
			if (listen || class)
				khttp_mt(t, "{");
			if (listen) {
				khttp_mt(t, "listen=\"");
				khttp_mt_addr(t, &s->listen[i].addr);
				khttp_mt(t, "\"");
			}
			if (class)
				khttp_mt(t, "%sclass=\"%dxx\"", listen ? "," : "",
					 st - KHTTP_STAT_RESP_1XX + 1);
			if (listen || class)
				khttp_mt(t, "}");
			khttp_mt(t, " %llu\n", v[st]);
		}
	}
}

static void khttp_prom_pools(struct khttp_mtext *t, const struct khttp_msnap *s)
{
	const struct khttp_prom_pool_metric *pm = khttp_prom_pool_stats;
	u32 m, i, v;

	if (!s->npools)
		return;
	for (m = 0; m < KHTTP_PROM_NPOOL_STATS; m++) {
		khttp_prom_head(t, "", pm[m].name, "counter", pm[m].help);
		for (i = 0; i < s->npools; i++) {
			khttp_mt(t, KHTTP_PROM_PREFIX "%s{pool=\"", pm[m].name);
			khttp_mt_escaped(t, s->pools[i].name, false);
			khttp_mt(t, "\"} %llu\n", s->pools[i].stats[pm[m].pstat]);
		}
	}
	for (m = 0; m < KHTTP_PROM_POOL_NGAUGES; m++) {
		khttp_prom_head(t, "", khttp_prom_pool_gauges[m][0], "gauge",
				khttp_prom_pool_gauges[m][1]);
		for (i = 0; i < s->npools; i++) {
			khttp_mt(t, KHTTP_PROM_PREFIX "%s{pool=\"",
				 khttp_prom_pool_gauges[m][0]);
			khttp_mt_escaped(t, s->pools[i].name, false);
			khttp_mt(t, "\"} %u\n", s->pools[i].gauge[m]);
		}
	}
	khttp_prom_head(t, "", "pool_state", "gauge",
			KHTTP_PROM_POOL_STATE_HELP);
	for (i = 0; i < s->npools; i++)
		for (v = KHTTP_POOL_ACTIVE; v <= KHTTP_POOL_FAILED; v++) {
			khttp_mt(t, KHTTP_PROM_PREFIX "pool_state{pool=\"");
			khttp_mt_escaped(t, s->pools[i].name, false);
			khttp_mt(t, "\",state=\"%s\"} %d\n",
				 khttp_prom_pool_states[v],
				 s->pools[i].state == v);
		}
}

/* What httpctl stats --prometheus prints, in its order. */
static void khttp_prom_text(struct khttp_mtext *t, const struct khttp_msnap *s)
{
	u32 m;

	/* A counter the spec has and the table lacks would go unexported. */
	BUILD_BUG_ON(__KHTTP_STAT_MAX - 6 != KHTTP_PROM_NSTATS);
	khttp_prom_head(t, "", "up", "gauge", KHTTP_PROM_UP_HELP);
	khttp_mt(t, KHTTP_PROM_PREFIX "up 1\n");
	khttp_prom_head(t, "", "listen_entries", "gauge",
			KHTTP_PROM_LISTEN_HELP);
	khttp_mt(t, KHTTP_PROM_PREFIX "listen_entries %u\n", s->nlisten);
	khttp_prom_head(t, "", "routes", "gauge", KHTTP_PROM_ROUTES_HELP);
	khttp_mt(t, KHTTP_PROM_PREFIX "routes %u\n", s->nroutes);
	khttp_prom_head(t, "", "pools", "gauge", KHTTP_PROM_POOLS_HELP);
	khttp_mt(t, KHTTP_PROM_PREFIX "pools %u\n", s->npools);
	for (m = 0; m < KHTTP_PROM_NSTATS; m++)
		khttp_prom_stat(t, s, &khttp_prom_stats[m], false);
	for (m = 0; m < KHTTP_PROM_NSTATS; m++)
		if (!khttp_prom_global_only(&khttp_prom_stats[m]))
			khttp_prom_stat(t, s, &khttp_prom_stats[m], true);
	khttp_prom_pools(t, s);
}

/* ---- the status page ---- */

static u64 khttp_loaded_ns;

/* The previous view of the page: its time and request count. */
static DEFINE_SPINLOCK(khttp_status_lock);
static u64 khttp_status_last_ns, khttp_status_last_req;

void khttp_metrics_init(void)
{
	khttp_loaded_ns = ktime_get_boottime_ns();
}

/* @n events in @ns nanoseconds, per second, to two decimals. */
static void khttp_mt_rate(struct khttp_mtext *t, u64 n, u64 ns)
{
	u64 centi;

	if (!ns) {
		khttp_mt(t, "-");
		return;
	}
	centi = mul_u64_u64_div_u64(n, 100 * NSEC_PER_SEC, ns);
	khttp_mt(t, "%llu.%02llu", div_u64(centi, 100), centi % 100);
}

/* @a of @b as a percentage with one decimal, or "-" without any. */
static void khttp_mt_pct(struct khttp_mtext *t, u64 a, u64 b)
{
	u64 permille;

	if (!b) {
		khttp_mt(t, "-");
		return;
	}
	permille = div64_u64(a * 1000, b);
	khttp_mt(t, "%llu.%llu%%", div_u64(permille, 10), permille % 10);
}

static const char *const khttp_pool_state_word[] = {
	[KHTTP_POOL_ACTIVE] = "active",
	[KHTTP_POOL_INACTIVE] = "inactive",
	[KHTTP_POOL_FAILED] = "failed",
};

static void khttp_status_html(struct khttp_mtext *t,
			      const struct khttp_msnap *s)
{
	u64 now = ktime_get_boottime_ns(), since, prev_ns, prev_req, total = 0;
	const u64 *v = s->gs;
	u32 i;
	int k;

	spin_lock(&khttp_status_lock);
	prev_ns = khttp_status_last_ns;
	prev_req = khttp_status_last_req;
	khttp_status_last_ns = now;
	khttp_status_last_req = v[KHTTP_STAT_REQUESTS];
	spin_unlock(&khttp_status_lock);
	since = now - khttp_loaded_ns;

	khttp_mt(t, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
		 "<meta http-equiv=\"refresh\" content=\"5\">\n"
		 "<title>khttp status</title>\n"
		 "<style>body{font-family:sans-serif}\n"
		 "table{border-collapse:collapse}\n"
		 "td,th{border:1px solid #999;padding:2px 8px;text-align:right}\n"
		 "</style>\n</head><body>\n"
		 "<h1>khttp " KHTTP_VERSION_STRING " status</h1>\n"
		 "<p>Up %llu s; connections open %llu; requests %llu.</p>\n",
		 div_u64(since, NSEC_PER_SEC), v[KHTTP_STAT_CONN_ACTIVE],
		 v[KHTTP_STAT_REQUESTS]);
	khttp_mt(t, "<table id=\"rates\"><tr><th>requests/s since load</th>\n"
		 "<th>requests/s since the previous view of this page</th>\n"
		 "<th>cache hit ratio</th><th>access denied</th></tr>\n"
		 "<tr><td>");
	khttp_mt_rate(t, v[KHTTP_STAT_REQUESTS], since);
	khttp_mt(t, "</td><td>");
	if (prev_ns && v[KHTTP_STAT_REQUESTS] >= prev_req)
		khttp_mt_rate(t, v[KHTTP_STAT_REQUESTS] - prev_req,
			      now - prev_ns);
	else
		khttp_mt(t, "-");
	khttp_mt(t, "</td><td>");
	khttp_mt_pct(t, v[KHTTP_STAT_CACHE_HITS],
		     v[KHTTP_STAT_CACHE_HITS] + v[KHTTP_STAT_CACHE_MISSES]);
	khttp_mt(t, "</td><td>%llu</td></tr></table>\n",
		 v[KHTTP_STAT_ACCESS_DENIED]);

	khttp_mt(t, "<h2>Responses by status class</h2>\n<table id=\"classes\"><tr>");
	for (k = 0; k < 5; k++) {
		total += v[KHTTP_STAT_RESP_1XX + k];
		khttp_mt(t, "<th>%dxx</th>", k + 1);
	}
	khttp_mt(t, "</tr>\n<tr>");
	for (k = 0; k < 5; k++) {
		khttp_mt(t, "<td>%llu (", v[KHTTP_STAT_RESP_1XX + k]);
		khttp_mt_pct(t, v[KHTTP_STAT_RESP_1XX + k], total);
		khttp_mt(t, ")</td>");
	}
	khttp_mt(t, "</tr></table>\n");

	khttp_mt(t, "<h2>Listen entries</h2>\n<table id=\"listen\">\n"
		 "<tr><th>address</th><th>connections open</th><th>requests</th></tr>\n");
	for (i = 0; i < s->nlisten; i++) {
		khttp_mt(t, "<tr><td>");
		khttp_mt_addr(t, &s->listen[i].addr);
		khttp_mt(t, "</td><td>%llu</td><td>%llu</td></tr>\n",
			 s->listen[i].v[KHTTP_STAT_CONN_ACTIVE],
			 s->listen[i].v[KHTTP_STAT_REQUESTS]);
	}
	khttp_mt(t, "</table>\n");

	khttp_mt(t, "<h2>Application pools</h2>\n<table id=\"pools\">\n"
		 "<tr><th>pool</th><th>state</th><th>queued</th><th>queue length</th>\n"
		 "<th>most queued</th><th>in hand</th><th>readers</th><th>answered</th></tr>\n");
	for (i = 0; i < s->npools; i++) {
		const struct khttp_mpool *p = &s->pools[i];
		u8 st = p->state;

		khttp_mt(t, "<tr><td>");
		khttp_mt_escaped(t, p->name, true);
		khttp_mt(t, "</td><td>%s</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td><td>%llu</td></tr>\n",
			 st >= KHTTP_POOL_ACTIVE && st <= KHTTP_POOL_FAILED ?
			 khttp_pool_state_word[st] : "?",
			 p->gauge[KHTTP_PROM_POOL_QUEUE_DEPTH],
			 p->gauge[KHTTP_PROM_POOL_QUEUE_LENGTH],
			 p->gauge[KHTTP_PROM_POOL_QUEUE_DEPTH_MAX],
			 p->gauge[KHTTP_PROM_POOL_IN_HAND],
			 p->gauge[KHTTP_PROM_POOL_READERS],
			 p->stats[KHTTP_PSTAT_ANSWERED]);
	}
	khttp_mt(t, "</table>\n</body></html>\n");
}

void khttp_metrics_serve(struct khttp_conn *c, u8 type, const char *rest)
{
	struct khttp_msnap s = {};
	struct khttp_mtext t = {};
	bool html = type == KHTTP_ROUTE_STATUS;
	int err;

	if (rest[0] && strcmp(rest, "/")) {
		khttp_resp_error(c, 404);
		return;
	}
	err = khttp_msnap_take(khttp_conn_net(c), &s);
	if (!err) {
		if (html)
			khttp_status_html(&t, &s);
		else
			khttp_prom_text(&t, &s);
		err = t.err;
	}
	khttp_msnap_free(&s);
	if (err || khttp_resp_begin_cap(c, 200, KHTTP_METRICS_HEAD_ROOM + t.len)) {
		kvfree(t.buf);
		khttp_resp_error(c, 500);
		return;
	}
	c->rq->resp_source = KHTTP_LOG_METRICS;
	khttp_resp_add(c, "Content-Type: %s\r\nCache-Control: no-store\r\nContent-Length: %zu\r\n",
		       html ?
		       "text/html; charset=utf-8" :
		       "text/plain; version=0.0.4; charset=utf-8", t.len);
	khttp_resp_end(c, t.buf, t.len, c->rq->req.method == KHTTP_METHOD_HEAD);
	kvfree(t.buf);
}
