// SPDX-License-Identifier: GPL-2.0
/*
 * The access log, kept by the listener as http.sys does: one netlink
 * multicast message per answered request on the "log" group, read by
 * `httpctl log`.  Nothing is built unless someone listens; sending never
 * sleeps (GFP_NOWAIT) and a record that cannot be sent is counted, and the
 * running count travels in every record, so a reader can tell it lost some.
 */
#include <linux/ktime.h>
#include "khttp.h"
#include "net.h"
#include "stats.h"
#include "conn.h"
#include "log.h"
#include "nlobj.h"
#include "cachepolicy.h"
#include "parser.h"

#define KHTTP_LOG_TARGET_MAX	1024
#define KHTTP_LOG_FIELD_MAX	512

struct khttp_logrec {
	u64 time_ns;
	ktime_t start;
	ktime_t end;			/* set if it ended before it is sent */
	u8 version;
	char *method;
	char *target;
	char *host;
	char *referer;
	char *ua;
	char data[];
};

static atomic64_t khttp_log_lost = ATOMIC64_INIT(0);

/* Each namespace has its own stream: only its own listeners get it. */
static bool khttp_log_wanted(struct khttp_conn *c)
{
	return khttp_nl_log_wanted(khttp_conn_net(c)->net);
}

static char *khttp_log_put(char **p, const char *s, size_t len, size_t max)
{
	char *start = *p;

	len = min(len, max);
	memcpy(start, s, len);
	start[len] = '\0';
	*p += len + 1;
	return start;
}

/* Note what the request was, while its head is still in c->buf. */
void khttp_log_capture(struct khttp_conn *c, bool parsed)
{
	const struct khttp_req *r = &c->rq->req;
	const char *ref = NULL, *ua = NULL, *hdrs = NULL;
	size_t refl = 0, ual = 0, hl = 0, size;
	struct khttp_logrec *rec;
	char *p;

	khttp_log_drop(c);
	c->rq->resp_status = 0;
	c->rq->resp_bytes = 0;
	if (!khttp_log_wanted(c))
		return;
	if (parsed) {
		const char *eol = strnstr(c->buf + r->target.off + r->target.len,
					  "\r\n", r->head_len - r->target.off -
					  r->target.len);

		if (eol) {
			hdrs = eol + 2;
			hl = c->buf + r->head_len - hdrs;
			ref = khttp_header_find(hdrs, hl, "referer", &refl);
			ua = khttp_header_find(hdrs, hl, "user-agent", &ual);
		}
	}
	size = sizeof(*rec) + KHTTP_LOG_TARGET_MAX + 4 * KHTTP_LOG_FIELD_MAX +
	       5;
	rec = kzalloc(size, GFP_NOWAIT | __GFP_NOWARN);
	if (!rec) {
		atomic64_inc(&khttp_log_lost);
		khttp_stat_add(&khttp_conn_net(c)->stats, KHTTP_STAT_LOG_LOST, 1);
		return;
	}
	rec->time_ns = ktime_get_real_ns();
	rec->start = ktime_get();
	p = rec->data;
	if (parsed) {
		rec->version = r->version;
		rec->method = khttp_log_put(&p, c->buf + r->method_span.off,
					    r->method_span.len,
					    KHTTP_LOG_FIELD_MAX);
		rec->target = khttp_log_put(&p, c->buf + r->target.off,
					    r->target.len,
					    KHTTP_LOG_TARGET_MAX);
		if (r->has_host)
			rec->host = khttp_log_put(&p, c->buf + r->host.off,
						  r->host.len,
						  KHTTP_LOG_FIELD_MAX);
		if (ref)
			rec->referer = khttp_log_put(&p, ref, refl,
						     KHTTP_LOG_FIELD_MAX);
		if (ua)
			rec->ua = khttp_log_put(&p, ua, ual,
						KHTTP_LOG_FIELD_MAX);
	}
	c->rq->log = rec;
}

void khttp_log_drop(struct khttp_conn *c)
{
	kfree(c->rq->log);
	c->rq->log = NULL;
}

/* The response ended at @end, before its record is sent. */
void khttp_log_end(struct khttp_conn *c, ktime_t end)
{
	if (c->rq->log)
		c->rq->log->end = end;
}

/* The response is complete (or cut short): send the record. */
void khttp_log_emit(struct khttp_conn *c)
{
	struct khttp_logrec *rec = c->rq->log;
	struct khttp_log_event ev;
	s64 us;

	if (!rec)
		return;
	c->rq->log = NULL;
	us = ktime_us_delta(rec->end ? rec->end : ktime_get(), rec->start);
	ev = (struct khttp_log_event) {
		.time_ns = rec->time_ns,
		.client = &c->peer,
		.server = &c->local,
		.method = rec->method,
		.target = rec->target,
		.host = rec->host,
		.referer = rec->referer,
		.ua = rec->ua,
		.version = rec->version,
		.status = c->rq->resp_status,
		.bytes = c->rq->resp_bytes,
		.duration_us = clamp_t(s64, us, 0, U32_MAX),
		.source = c->rq->resp_source,
		.tls_version = c->tls_version,
		.tls_cipher = c->tls_cipher,
		.lost = atomic64_read(&khttp_log_lost),
	};
	/* ev points into rec: free it only once the message is built. */
	if (khttp_nl_log_send(khttp_conn_net(c)->net, &ev)) {
		atomic64_inc(&khttp_log_lost);
		khttp_stat(c, KHTTP_STAT_LOG_LOST, 1);
	}
	kfree(rec);
}
