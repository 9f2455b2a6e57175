// SPDX-License-Identifier: GPL-2.0
/*
 * The access log, kept by the listener as http.sys does: one netlink
 * multicast message per answered request on the "log" group, read by
 * `httpctl log`.  Nothing is built unless someone listens; sending never
 * sleeps (GFP_NOWAIT) and a record that cannot be sent is counted, and the
 * running count travels in every record, so a reader can tell it lost some.
 */
#include <linux/ktime.h>
#include <net/genetlink.h>
#include "khttp.h"
#include "stats.h"
#include "conn.h"
#include "log.h"
#include "cachepolicy.h"
#include "parser.h"

#define KHTTP_LOG_TARGET_MAX	1024
#define KHTTP_LOG_FIELD_MAX	512

struct khttp_logrec {
	u64 time_ns;
	ktime_t start;
	u8 version;
	char *method;
	char *target;
	char *host;
	char *referer;
	char *ua;
	char data[];
};

static atomic64_t khttp_log_lost = ATOMIC64_INIT(0);

static bool khttp_log_wanted(void)
{
	return genl_has_listeners(&khttp_family, &init_net, 0);
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
	const struct khttp_req *r = &c->rq.req;
	const char *ref = NULL, *ua = NULL, *hdrs = NULL;
	size_t refl = 0, ual = 0, hl = 0, size;
	struct khttp_logrec *rec;
	char *p;

	khttp_log_drop(c);
	c->rq.resp_status = 0;
	c->rq.resp_bytes = 0;
	if (!khttp_log_wanted())
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
		khttp_stat_add(&khttp_global_stats, KHTTP_STAT_LOG_LOST, 1);
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
	c->rq.log = rec;
}

void khttp_log_drop(struct khttp_conn *c)
{
	kfree(c->rq.log);
	c->rq.log = NULL;
}

/* The response is complete (or cut short): send the record. */
void khttp_log_emit(struct khttp_conn *c)
{
	struct khttp_logrec *rec = c->rq.log;
	struct sk_buff *skb;
	void *hdr;
	s64 us;

	if (!rec)
		return;
	c->rq.log = NULL;
	us = ktime_us_delta(ktime_get(), rec->start);
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_NOWAIT | __GFP_NOWARN);
	if (!skb)
		goto lost;
	hdr = genlmsg_put(skb, 0, 0, &khttp_family, 0, KHTTP_CMD_LOG_EVENT);
	if (!hdr)
		goto lost_skb;
	if (nla_put_u64_64bit(skb, KHTTP_A_LOG_TIME_NS, rec->time_ns,
			      KHTTP_A_PAD) ||
	    nla_put(skb, KHTTP_A_LOG_CLIENT, sizeof(c->peer), &c->peer) ||
	    nla_put(skb, KHTTP_A_LOG_SERVER, sizeof(c->local), &c->local) ||
	    (rec->method &&
	     nla_put_string(skb, KHTTP_A_LOG_METHOD, rec->method)) ||
	    (rec->target &&
	     nla_put_string(skb, KHTTP_A_LOG_TARGET, rec->target)) ||
	    (rec->version && nla_put_u8(skb, KHTTP_A_LOG_VERSION, rec->version)) ||
	    (rec->host && nla_put_string(skb, KHTTP_A_LOG_HOST, rec->host)) ||
	    (rec->referer &&
	     nla_put_string(skb, KHTTP_A_LOG_REFERER, rec->referer)) ||
	    (rec->ua && nla_put_string(skb, KHTTP_A_LOG_USER_AGENT, rec->ua)) ||
	    nla_put_u16(skb, KHTTP_A_LOG_STATUS, c->rq.resp_status) ||
	    nla_put_u64_64bit(skb, KHTTP_A_LOG_BYTES, c->rq.resp_bytes,
			      KHTTP_A_PAD) ||
	    nla_put_u32(skb, KHTTP_A_LOG_DURATION_US,
			clamp_t(s64, us, 0, U32_MAX)) ||
	    nla_put_u8(skb, KHTTP_A_LOG_SOURCE, c->rq.resp_source) ||
	    nla_put_u64_64bit(skb, KHTTP_A_LOG_LOST,
			      atomic64_read(&khttp_log_lost), KHTTP_A_PAD))
		goto lost_skb;
	genlmsg_end(skb, hdr);
	kfree(rec);
	/* -ESRCH: the last listener just left; nothing was lost. */
	if (genlmsg_multicast(&khttp_family, skb, 0, 0,
			      GFP_NOWAIT | __GFP_NOWARN) == -ENOBUFS) {
		atomic64_inc(&khttp_log_lost);
		khttp_stat(c, KHTTP_STAT_LOG_LOST, 1);
	}
	return;

lost_skb:
	nlmsg_free(skb);
lost:
	kfree(rec);
	atomic64_inc(&khttp_log_lost);
	khttp_stat(c, KHTTP_STAT_LOG_LOST, 1);
}
