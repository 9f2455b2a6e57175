// SPDX-License-Identifier: GPL-2.0
/*
 * The "khttp" generic netlink family: httpctl's only way in, and the only
 * file that knows netlink attributes.  Each handler parses its command's
 * attributes into a typed value and calls the owner (listener.c, router.c,
 * pool.c, cachectl.c), or fills a reply from the typed value the owner
 * hands back; log.c's records are sent from here too.
 *
 * Every command has its own policy (nlpolicy.c, generated from the YNL spec
 * Documentation/netlink/specs/khttp.yaml) spanning its object's attribute
 * set, and validation is strict, so an attribute the command does not take
 * is refused with an extack message naming it.  Per-op policies in struct
 * genl_ops work the same on 6.1 and 6.12 (split ops would need 6.2).
 * Every command acts on the khttp of the network namespace the request
 * came from (net.c), and every command that changes something needs
 * CAP_NET_ADMIN over that namespace's user namespace (checked in pre_doit,
 * as GENL_UNS_ADMIN_PERM would), so a container's root manages its own
 * khttp and nobody else's; every refusal says why.  Handlers flagged KHTTP_NL_CONF
 * run under khttp_conf_lock, taken in pre_doit; dumps take it themselves.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "khttp.h"
#include "stats.h"
#include "addr.h"
#include "listener.h"
#include "conn.h"
#include "pool.h"
#include "router.h"
#include "cachectl.h"
#include "cache.h"
#include "nlobj.h"
#include "nlpolicy.h"
#include "access.h"
#include "routehdr.h"
#include "errpage.h"
#include "net.h"

static struct genl_family khttp_family;

/*
 * A required attribute: the core names the missing type in the extack;
 * we add a sentence, so no refusal is a bare errno.
 */
#define KHTTP_REQUIRE(info, attr, msg) ({				\
	bool __missing = GENL_REQ_ATTR_CHECK(info, attr);		\
	if (__missing)							\
		NL_SET_ERR_MSG((info)->extack, msg);			\
	__missing;							\
})

/* The khttp of the namespace a request or a dump came from. */
static struct khttp_net *khttp_nl_net(struct genl_info *info)
{
	return khttp_net(genl_info_net(info));
}

static struct khttp_net *khttp_dump_net(struct netlink_callback *cb)
{
	return khttp_net(sock_net(cb->skb->sk));
}

static const char *khttp_nl_str(struct nlattr *a)
{
	return a ? nla_data(a) : NULL;
}

static struct sk_buff *khttp_reply_new(struct genl_info *info, u8 cmd,
				       void **hdr)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!skb)
		return NULL;
	*hdr = genlmsg_put_reply(skb, info, &khttp_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static int khttp_reply_send(struct sk_buff *msg, void *hdr,
			    struct genl_info *info, int err)
{
	if (err) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* One message of a dump: the walk's callbacks share this. */
struct khttp_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	u8 cmd;
};

static void *khttp_dump_begin(struct khttp_dump *d)
{
	return genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			   d->cb->nlh->nlmsg_seq, &khttp_family, NLM_F_MULTI,
			   d->cmd);
}

/* Close the message; on @err take it back (the dump resumes there). */
static int khttp_dump_end(struct khttp_dump *d, void *hdr, int err)
{
	if (err) {
		genlmsg_cancel(d->skb, hdr);
		return 1;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

/* After a walk that sent @n objects: cb->args[0] counts them all. */
static int khttp_dump_done(struct khttp_dump *d, long n)
{
	if (n < 0)
		return n;
	d->cb->args[0] += n;
	return d->skb->len;
}

/* ---- status and counters ---- */

/* A stats nest (enum khttp_stat); conn_active is a gauge kept elsewhere. */
static int khttp_stats_put(struct sk_buff *skb, int type,
			   const struct khttp_stats *s, s64 conn_active,
			   bool cache)
{
	u64 v[__KHTTP_STAT_MAX];
	struct nlattr *nest;
	int i;

	khttp_stats_sum(s, v);
	v[KHTTP_STAT_CONN_ACTIVE] = conn_active > 0 ? conn_active : 0;
	/*
	 * The cache is shared by all listen entries and all namespaces: in
	 * the initial namespace's totals only.
	 */
	if (cache)
		khttp_cache_stats(v);
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = KHTTP_STAT_UNSPEC + 1; i < __KHTTP_STAT_MAX; i++) {
		if (i == KHTTP_STAT_PAD)
			continue;
		if (nla_put_u64_64bit(skb, i, v[i], KHTTP_STAT_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int khttp_nl_status_get(struct sk_buff *skb, struct genl_info *info)
{
	struct khttp_net *kn = khttp_nl_net(info);
	struct sk_buff *msg;
	void *hdr;

	msg = khttp_reply_new(info, KHTTP_CMD_STATUS_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	return khttp_reply_send(msg, hdr, info,
		nla_put_string(msg, KHTTP_A_STATUS_VERSION,
			       KHTTP_VERSION_STRING) ||
		nla_put_u32(msg, KHTTP_A_STATUS_LISTEN_COUNT,
			    khttp_listener_count(kn)) ||
		nla_put_u32(msg, KHTTP_A_STATUS_ROUTE_COUNT,
			    khttp_route_count(kn)) ||
		nla_put_u32(msg, KHTTP_A_STATUS_POOL_COUNT,
			    khttp_pool_count(kn)));
}

static int khttp_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct khttp_net *kn = khttp_nl_net(info);
	struct sk_buff *msg;
	void *hdr;

	msg = khttp_reply_new(info, KHTTP_CMD_STATS_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	return khttp_reply_send(msg, hdr, info,
		khttp_stats_put(msg, KHTTP_A_STATUS_STATS, &kn->stats,
				khttp_conn_active(kn), kn->init));
}

/* ---- listen entries ---- */

static int khttp_nl_get_addr(struct genl_info *info, struct khttp_addr *a)
{
	BUILD_BUG_ON(sizeof(*a) != 24);	/* the spec's exact-len */
	if (KHTTP_REQUIRE(info, KHTTP_A_LISTEN_ADDR, "an address is required"))
		return -EINVAL;
	memcpy(a, nla_data(info->attrs[KHTTP_A_LISTEN_ADDR]), sizeof(*a));
	return khttp_addr_check(a, info->extack);
}

static int khttp_nl_listen_add(struct sk_buff *skb, struct genl_info *info)
{
	struct khttp_net *kn = khttp_nl_net(info);
	bool tls = nla_get_flag(info->attrs[KHTTP_A_LISTEN_TLS]);
	struct khttp_addr a;
	int err;

	err = khttp_nl_get_addr(info, &a);
	if (err)
		return err;

	/* One agent, in the initial namespace: its certificates are the host's. */
	if (tls && !kn->init) {
		NL_SET_ERR_MSG(info->extack,
			       "TLS listen entries are only in the initial network namespace");
		return -EOPNOTSUPP;
	}
	return khttp_listener_add(kn, &a, tls, info->extack);
}

static int khttp_nl_listen_del(struct sk_buff *skb, struct genl_info *info)
{
	struct khttp_addr a;
	int err;

	err = khttp_nl_get_addr(info, &a);
	if (err)
		return err;
	return khttp_listener_del(khttp_nl_net(info), &a, info->extack);
}

/*
 * Dump the listen list.  cb->args[0] is the index to resume from; the list
 * may change between dump rounds, which only makes an entry appear or go
 * missing in that one dump, as with any netlink dump.
 */
static int khttp_nl_listen_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct khttp_dump d = { skb, cb, KHTTP_CMD_LISTEN_GET };
	struct khttp_net *kn = khttp_dump_net(cb);
	struct khttp_listener *l;
	long idx = 0;
	void *hdr;

	mutex_lock(&khttp_conf_lock);
	list_for_each_entry(l, &kn->listeners, node) {
		if (idx++ < cb->args[0])
			continue;
		hdr = khttp_dump_begin(&d);
		if (!hdr)
			break;
		if (khttp_dump_end(&d, hdr,
			nla_put(skb, KHTTP_A_LISTEN_ADDR, sizeof(l->addr),
				&l->addr) ||
			(l->tls && nla_put_flag(skb, KHTTP_A_LISTEN_TLS)) ||
			khttp_stats_put(skb, KHTTP_A_LISTEN_STATS, &l->stats,
					atomic_read(&l->conns), false)))
			break;
		cb->args[0] = idx;
	}
	mutex_unlock(&khttp_conf_lock);
	return skb->len;
}

/* ---- routes ---- */

/*
 * The route's access rules: every KHTTP_A_ROUTE_ACCESS of the request, in
 * order (the policy checked each one's length), into a new *@out (NULL
 * when there are none; kfree() it).
 */
static int khttp_nl_access_get(struct genl_info *info,
			       struct khttp_access **out)
{
	struct khttp_access *acc;
	const char *msg = NULL;
	struct nlattr *a;
	u32 n = 0;
	int rem;

	*out = NULL;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		if (nla_type(a) == KHTTP_A_ROUTE_ACCESS &&
		    ++n > KHTTP_ACCESS_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "a route takes at most 64 access rules");
			return -E2BIG;
		}
	if (!n)
		return 0;
	acc = kzalloc(khttp_access_size(n), GFP_KERNEL);
	if (!acc)
		return -ENOMEM;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		struct khttp_access_rule *r = &acc->rule[acc->n];

		if (nla_type(a) != KHTTP_A_ROUTE_ACCESS)
			continue;
		BUILD_BUG_ON(sizeof(*r) != 20);	/* the spec's exact-len */
		memcpy(r, nla_data(a), sizeof(*r));
		if (khttp_access_rule_check(r, &msg)) {
			khttp_extack(info->extack, msg);
			if (info->extack)
				info->extack->bad_attr = a;
			kfree(acc);
			return -EINVAL;
		}
		acc->n++;
	}
	*out = acc;
	return 0;
}

/*
 * The route's target: the one attribute its type takes, and no other
 * (metrics and status routes, answered by the kernel, take none and no
 * cache setting); then the options only one type takes.
 */
static int khttp_nl_route_target(struct genl_info *info,
				 struct khttp_route_spec *s)
{
	static const struct {
		int attr;
		const char *need, *other;
	} want[] = {
		[KHTTP_ROUTE_STATIC] = { KHTTP_A_ROUTE_DIR,
			"a static route needs a directory",
			"a static route takes a directory, not a pool or a redirect target" },
		[KHTTP_ROUTE_POOL] = { KHTTP_A_ROUTE_POOL,
			"a pool route needs a pool name",
			"a pool route takes a pool name, not a directory or a redirect target" },
		[KHTTP_ROUTE_METRICS] = { 0, NULL,
			"a metrics or status route takes no directory, no pool and no redirect target" },
		[KHTTP_ROUTE_STATUS] = { 0, NULL,
			"a metrics or status route takes no directory, no pool and no redirect target" },
		[KHTTP_ROUTE_REDIRECT] = { KHTTP_A_ROUTE_REDIRECT,
			"a redirect route needs a target URL",
			"a redirect route takes a target URL, not a directory or a pool" },
	};
	static const int targets[] = {
		KHTTP_A_ROUTE_DIR, KHTTP_A_ROUTE_POOL, KHTTP_A_ROUTE_REDIRECT,
	};
	struct nlattr **attrs = info->attrs;
	int attr = want[s->type].attr;
	size_t i;

	if (attr && GENL_REQ_ATTR_CHECK(info, attr)) {
		khttp_extack(info->extack, want[s->type].need);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		if (targets[i] == attr || !attrs[targets[i]])
			continue;
		NL_SET_BAD_ATTR(info->extack, attrs[targets[i]]);
		khttp_extack(info->extack, want[s->type].other);
		return -EINVAL;
	}
	s->target = attr ? nla_data(attrs[attr]) : NULL;
	if (!attr && attrs[KHTTP_A_ROUTE_CACHE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[KHTTP_A_ROUTE_CACHE],
				    "a metrics or status route is never cached: it takes no cache setting");
		return -EINVAL;
	}
	if (attrs[KHTTP_A_ROUTE_PRECOMPRESSED]) {
		if (s->type != KHTTP_ROUTE_STATIC) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    attrs[KHTTP_A_ROUTE_PRECOMPRESSED],
					    "precompressed is for static routes; a pool's worker chooses its own encoding");
			return -EINVAL;
		}
		s->precompressed =
			nla_get_u8(attrs[KHTTP_A_ROUTE_PRECOMPRESSED]);
	}
	if (s->type != KHTTP_ROUTE_REDIRECT &&
	    (attrs[KHTTP_A_ROUTE_REDIRECT_STATUS] ||
	     attrs[KHTTP_A_ROUTE_KEEP_PATH])) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    attrs[KHTTP_A_ROUTE_REDIRECT_STATUS] ?:
				    attrs[KHTTP_A_ROUTE_KEEP_PATH],
				    "only a redirect route takes a redirect status or keep-path");
		return -EINVAL;
	}
	if (attrs[KHTTP_A_ROUTE_REDIRECT_STATUS])
		s->redirect_status =
			nla_get_u16(attrs[KHTTP_A_ROUTE_REDIRECT_STATUS]);
	if (attrs[KHTTP_A_ROUTE_KEEP_PATH])
		s->keep_path = nla_get_u8(attrs[KHTTP_A_ROUTE_KEEP_PATH]);
	return 0;
}

/* One error-page nest: its status and path, both required. */
static int khttp_nl_errpage(struct nlattr *nest, struct khttp_errpage_spec *e,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	int rem;

	e->status = 0;
	e->path = NULL;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == KHTTP_A_ERROR_PAGE_STATUS)
			e->status = nla_get_u16(a);
		else if (nla_type(a) == KHTTP_A_ERROR_PAGE_PATH)
			e->path = nla_data(a);
	}
	if (!e->status || !e->path) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "an error page needs a status and a path");
		return -EINVAL;
	}
	return 0;
}

/*
 * The repeated attributes (the policy checked each one): added header
 * lines and error pages, at most KHTTP_ROUTE_HEADER_MAX and
 * KHTTP_ERROR_PAGE_MAX.  A header may come with or without its NUL.
 */
static int khttp_nl_route_lists(struct genl_info *info,
				struct khttp_route_spec *s,
				struct khttp_errpage_spec *ep)
{
	struct nlattr *a;
	int rem, err;
	u32 len;

	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		switch (nla_type(a)) {
		case KHTTP_A_ROUTE_HEADER:
			if (s->nhdrs == KHTTP_ROUTE_HEADER_MAX) {
				NL_SET_ERR_MSG_ATTR(info->extack, a, "a route takes at most 16 added headers");
				return -E2BIG;
			}
			len = nla_len(a);
			if (len && ((const char *)nla_data(a))[len - 1] == '\0')
				len--;
			s->hdrs[s->nhdrs] = nla_data(a);
			s->hdr_lens[s->nhdrs++] = len;
			break;
		case KHTTP_A_ROUTE_ERROR_PAGE:
			if (s->nerrpages == KHTTP_ERROR_PAGE_MAX) {
				NL_SET_ERR_MSG_ATTR(info->extack, a, "a route takes at most 16 error pages");
				return -E2BIG;
			}
			err = khttp_nl_errpage(a, &ep[s->nerrpages],
					       info->extack);
			if (err)
				return err;
			s->nerrpages++;
			break;
		}
	}
	s->errpages = ep;
	return 0;
}

static int khttp_nl_route_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct khttp_access *acc = NULL;
	struct khttp_errpage_spec *ep;
	struct khttp_route_spec *s;
	int err;

	if (KHTTP_REQUIRE(info, KHTTP_A_ROUTE_PREFIX,
			  "a route prefix is required") ||
	    KHTTP_REQUIRE(info, KHTTP_A_ROUTE_TYPE,
			  "a route type (static, pool, metrics, status or redirect) is required"))
		return -EINVAL;
	/* About 400 bytes of pointers: not on the stack. */
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	ep = kcalloc(KHTTP_ERROR_PAGE_MAX, sizeof(*ep), GFP_KERNEL);
	if (!s || !ep) {
		err = -ENOMEM;
		goto out;
	}
	s->cache = true;
	s->prefix = nla_data(attrs[KHTTP_A_ROUTE_PREFIX]);
	s->type = nla_get_u8(attrs[KHTTP_A_ROUTE_TYPE]);
	err = khttp_nl_route_target(info, s);
	if (!err)
		err = khttp_nl_route_lists(info, s, ep);
	if (err)
		goto out;
	if (attrs[KHTTP_A_ROUTE_CACHE])
		s->cache = nla_get_u8(attrs[KHTTP_A_ROUTE_CACHE]);
	if (attrs[KHTTP_A_ROUTE_MAX_BPS])
		s->max_bps = nla_get_u64(attrs[KHTTP_A_ROUTE_MAX_BPS]);
	err = khttp_nl_access_get(info, &acc);
	if (err)
		goto out;
	s->access = acc;
	err = khttp_route_add(khttp_nl_net(info), s, info->extack);
out:
	kfree(acc);
	kfree(ep);
	kfree(s);
	return err;
}

static int khttp_nl_route_del(struct sk_buff *skb, struct genl_info *info)
{
	if (KHTTP_REQUIRE(info, KHTTP_A_ROUTE_PREFIX,
			  "a route prefix is required"))
		return -EINVAL;
	return khttp_route_del(khttp_nl_net(info),
			       nla_data(info->attrs[KHTTP_A_ROUTE_PREFIX]),
			       info->extack);
}

/* A route's added headers and error pages, one attribute each. */
static int khttp_nl_route_put_lists(struct sk_buff *skb,
				    const struct khttp_route_info *ri)
{
	const char *line;
	struct nlattr *nest;
	u32 i, len;

	for (i = 0; (line = khttp_rhdrs_line(ri->hdrs, i, &len)); i++) {
		nest = nla_reserve(skb, KHTTP_A_ROUTE_HEADER, len + 1);
		if (!nest)
			return -EMSGSIZE;
		memcpy(nla_data(nest), line, len);
		((char *)nla_data(nest))[len] = '\0';
	}
	for (i = 0; ri->errpages && i < ri->errpages->n; i++) {
		const struct khttp_errpage *e = &ri->errpages->e[i];

		nest = nla_nest_start(skb, KHTTP_A_ROUTE_ERROR_PAGE);
		if (!nest)
			return -EMSGSIZE;
		if (nla_put_u16(skb, KHTTP_A_ERROR_PAGE_STATUS, e->status) ||
		    nla_put_string(skb, KHTTP_A_ERROR_PAGE_PATH, e->given)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, nest);
	}
	return 0;
}

/* A route's rules, one attribute each, in order. */
static int khttp_nl_access_put(struct sk_buff *skb,
			       const struct khttp_access *acc)
{
	u32 i;

	for (i = 0; acc && i < acc->n; i++)
		if (nla_put(skb, KHTTP_A_ROUTE_ACCESS, sizeof(acc->rule[i]),
			    &acc->rule[i]))
			return -EMSGSIZE;
	return 0;
}

static int khttp_nl_route_fill(const struct khttp_route_info *ri, void *arg)
{
	struct khttp_dump *d = arg;
	struct sk_buff *skb = d->skb;
	void *hdr = khttp_dump_begin(d);

	if (!hdr)
		return 1;
	return khttp_dump_end(d, hdr,
		nla_put_string(skb, KHTTP_A_ROUTE_PREFIX, ri->prefix) ||
		nla_put_u8(skb, KHTTP_A_ROUTE_TYPE, ri->type) ||
		(ri->dir && nla_put_string(skb, KHTTP_A_ROUTE_DIR, ri->dir)) ||
		(ri->pool &&
		 nla_put_string(skb, KHTTP_A_ROUTE_POOL, ri->pool)) ||
		nla_put_u8(skb, KHTTP_A_ROUTE_CACHE, ri->cache) ||
		(ri->max_bps &&
		 nla_put_u64_64bit(skb, KHTTP_A_ROUTE_MAX_BPS, ri->max_bps,
				   KHTTP_A_ROUTE_PAD)) ||
		(ri->precompressed &&
		 nla_put_u8(skb, KHTTP_A_ROUTE_PRECOMPRESSED, 1)) ||
		nla_put_u8(skb, KHTTP_A_ROUTE_REACHABLE, ri->reachable) ||
		(ri->redirect &&
		 (nla_put_string(skb, KHTTP_A_ROUTE_REDIRECT, ri->redirect) ||
		  nla_put_u16(skb, KHTTP_A_ROUTE_REDIRECT_STATUS,
			      ri->redirect_status) ||
		  nla_put_u8(skb, KHTTP_A_ROUTE_KEEP_PATH, ri->keep_path))) ||
		khttp_nl_access_put(skb, ri->access) ||
		khttp_nl_route_put_lists(skb, ri));
}

static int khttp_nl_route_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct khttp_dump d = { skb, cb, KHTTP_CMD_ROUTE_GET };
	long n;

	mutex_lock(&khttp_conf_lock);
	n = khttp_route_walk(khttp_dump_net(cb), cb->args[0],
			     khttp_nl_route_fill, &d);
	mutex_unlock(&khttp_conf_lock);
	return khttp_dump_done(&d, n);
}

/* ---- settings ---- */

static int khttp_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct khttp_config *cfg = &khttp_nl_net(info)->cfg;
	struct nlattr **a = info->attrs;
	int i;

	/* The policy has range-checked every value before we get here. */
	for (i = 1; i <= KHTTP_A_CONFIG_MAX && !a[i]; i++)
		;
	if (i > KHTTP_A_CONFIG_MAX) {
		NL_SET_ERR_MSG(info->extack, "nothing to set");
		return -EINVAL;
	}
	if (!khttp_nl_net(info)->init &&
	    (a[KHTTP_A_CONFIG_CACHE_MAX_BYTES] ||
	     a[KHTTP_A_CONFIG_CACHE_ENTRY_MAX])) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    a[KHTTP_A_CONFIG_CACHE_MAX_BYTES] ?:
				    a[KHTTP_A_CONFIG_CACHE_ENTRY_MAX],
				    "the response cache's limits are the host's: set them in the initial network namespace");
		return -EPERM;
	}
	if (a[KHTTP_A_CONFIG_MAX_CONNS])
		WRITE_ONCE(cfg->max_conns,
			   nla_get_u32(a[KHTTP_A_CONFIG_MAX_CONNS]));
	if (a[KHTTP_A_CONFIG_MAX_HEADER_BYTES])
		WRITE_ONCE(cfg->max_header_bytes,
			   nla_get_u32(a[KHTTP_A_CONFIG_MAX_HEADER_BYTES]));
	if (a[KHTTP_A_CONFIG_MAX_BODY_BYTES])
		WRITE_ONCE(cfg->max_body_bytes,
			   nla_get_u64(a[KHTTP_A_CONFIG_MAX_BODY_BYTES]));
	if (a[KHTTP_A_CONFIG_HEADER_TIMEOUT_MS])
		WRITE_ONCE(cfg->header_timeout_ms,
			   nla_get_u32(a[KHTTP_A_CONFIG_HEADER_TIMEOUT_MS]));
	if (a[KHTTP_A_CONFIG_IDLE_TIMEOUT_MS])
		WRITE_ONCE(cfg->idle_timeout_ms,
			   nla_get_u32(a[KHTTP_A_CONFIG_IDLE_TIMEOUT_MS]));
	if (a[KHTTP_A_CONFIG_MAX_CONNS_PER_CLIENT])
		WRITE_ONCE(cfg->max_conns_per_client,
			   nla_get_u32(a[KHTTP_A_CONFIG_MAX_CONNS_PER_CLIENT]));
	if (a[KHTTP_A_CONFIG_MAX_CONNS_PER_PREFIX])
		WRITE_ONCE(cfg->max_conns_per_prefix,
			   nla_get_u32(a[KHTTP_A_CONFIG_MAX_CONNS_PER_PREFIX]));
	if (a[KHTTP_A_CONFIG_MIN_SEND_RATE])
		WRITE_ONCE(cfg->min_send_rate,
			   nla_get_u32(a[KHTTP_A_CONFIG_MIN_SEND_RATE]));
	if (a[KHTTP_A_CONFIG_CACHE_LOCK_TIMEOUT_MS])
		WRITE_ONCE(cfg->cache_lock_timeout_ms,
			   nla_get_u32(a[KHTTP_A_CONFIG_CACHE_LOCK_TIMEOUT_MS]));
	if (a[KHTTP_A_CONFIG_TLS_HANDSHAKE_TIMEOUT_MS])
		WRITE_ONCE(cfg->tls_handshake_timeout_ms,
			   nla_get_u32(a[KHTTP_A_CONFIG_TLS_HANDSHAKE_TIMEOUT_MS]));
	if (a[KHTTP_A_CONFIG_TLS_HANDSHAKE_MAX])
		WRITE_ONCE(cfg->tls_handshake_max,
			   nla_get_u32(a[KHTTP_A_CONFIG_TLS_HANDSHAKE_MAX]));
	if (a[KHTTP_A_CONFIG_CACHE_MAX_BYTES] || a[KHTTP_A_CONFIG_CACHE_ENTRY_MAX])
		khttp_cache_set_limits(&khttp_cache,
				       a[KHTTP_A_CONFIG_CACHE_MAX_BYTES] ?
				       nla_get_u64(a[KHTTP_A_CONFIG_CACHE_MAX_BYTES]) :
				       READ_ONCE(khttp_cache.max_bytes),
				       a[KHTTP_A_CONFIG_CACHE_ENTRY_MAX] ?
				       nla_get_u32(a[KHTTP_A_CONFIG_CACHE_ENTRY_MAX]) :
				       READ_ONCE(khttp_cache.entry_max));
	return 0;
}

static int khttp_nl_config_get(struct sk_buff *skb, struct genl_info *info)
{
	const struct khttp_config *cfg = &khttp_nl_net(info)->cfg;
	struct sk_buff *msg;
	void *hdr;

	msg = khttp_reply_new(info, KHTTP_CMD_CONFIG_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	return khttp_reply_send(msg, hdr, info,
		nla_put_u32(msg, KHTTP_A_CONFIG_MAX_CONNS, cfg->max_conns) ||
		nla_put_u32(msg, KHTTP_A_CONFIG_MAX_HEADER_BYTES,
			    cfg->max_header_bytes) ||
		nla_put_u64_64bit(msg, KHTTP_A_CONFIG_MAX_BODY_BYTES,
				  cfg->max_body_bytes, KHTTP_A_CONFIG_PAD) ||
		nla_put_u32(msg, KHTTP_A_CONFIG_HEADER_TIMEOUT_MS,
			    cfg->header_timeout_ms) ||
		nla_put_u32(msg, KHTTP_A_CONFIG_IDLE_TIMEOUT_MS,
			    cfg->idle_timeout_ms) ||
		nla_put_u64_64bit(msg, KHTTP_A_CONFIG_CACHE_MAX_BYTES,
				  READ_ONCE(khttp_cache.max_bytes),
				  KHTTP_A_CONFIG_PAD) ||
		nla_put_u32(msg, KHTTP_A_CONFIG_CACHE_ENTRY_MAX,
			    READ_ONCE(khttp_cache.entry_max)) ||
		nla_put_u32(msg, KHTTP_A_CONFIG_MAX_CONNS_PER_CLIENT,
			    cfg->max_conns_per_client) ||
		nla_put_u32(msg, KHTTP_A_CONFIG_MAX_CONNS_PER_PREFIX,
			    cfg->max_conns_per_prefix) ||
		nla_put_u32(msg, KHTTP_A_CONFIG_MIN_SEND_RATE,
			    cfg->min_send_rate) ||
		nla_put_u32(msg, KHTTP_A_CONFIG_CACHE_LOCK_TIMEOUT_MS,
			    cfg->cache_lock_timeout_ms) ||
		nla_put_u32(msg, KHTTP_A_CONFIG_TLS_HANDSHAKE_TIMEOUT_MS,
			    cfg->tls_handshake_timeout_ms) ||
		nla_put_u32(msg, KHTTP_A_CONFIG_TLS_HANDSHAKE_MAX,
			    cfg->tls_handshake_max));
}

/* ---- application pools ---- */

/* The pool's name is required; every other setting is optional. */
static int khttp_nl_pool_spec(struct genl_info *info, struct khttp_pool_spec *s)
{
	struct nlattr **a = info->attrs;
	int i;

	if (KHTTP_REQUIRE(info, KHTTP_A_POOL_NAME, "a pool name is required"))
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->name = nla_data(a[KHTTP_A_POOL_NAME]);
	BUILD_BUG_ON(KHTTP_A_POOL_MAX >= 32);
	for (i = 1; i <= KHTTP_A_POOL_MAX; i++)
		if (a[i])
			s->set |= BIT(i);
	if (a[KHTTP_A_POOL_QUEUE_LENGTH])
		s->queue_length = nla_get_u32(a[KHTTP_A_POOL_QUEUE_LENGTH]);
	if (a[KHTTP_A_POOL_QUEUE_TIMEOUT_MS])
		s->queue_timeout_ms =
			nla_get_u32(a[KHTTP_A_POOL_QUEUE_TIMEOUT_MS]);
	if (a[KHTTP_A_POOL_RAPID_FAIL_COUNT])
		s->rf_count = nla_get_u32(a[KHTTP_A_POOL_RAPID_FAIL_COUNT]);
	if (a[KHTTP_A_POOL_RAPID_FAIL_SECONDS])
		s->rf_seconds = nla_get_u32(a[KHTTP_A_POOL_RAPID_FAIL_SECONDS]);
	if (a[KHTTP_A_POOL_UID])
		s->uid = nla_get_u32(a[KHTTP_A_POOL_UID]);
	if (a[KHTTP_A_POOL_GID])
		s->gid = nla_get_u32(a[KHTTP_A_POOL_GID]);
	if (a[KHTTP_A_POOL_MODE])
		s->mode = nla_get_u16(a[KHTTP_A_POOL_MODE]);
	if (a[KHTTP_A_POOL_VERBOSITY])
		s->verbosity = nla_get_u8(a[KHTTP_A_POOL_VERBOSITY]);
	if (a[KHTTP_A_POOL_STATE])
		s->state = nla_get_u8(a[KHTTP_A_POOL_STATE]);
	return 0;
}

static int khttp_nl_pool_add(struct sk_buff *skb, struct genl_info *info)
{
	struct khttp_pool_spec s;

	return khttp_nl_pool_spec(info, &s) ?:
	       khttp_pool_add(khttp_nl_net(info), &s, info->extack);
}

static int khttp_nl_pool_set(struct sk_buff *skb, struct genl_info *info)
{
	struct khttp_pool_spec s;

	return khttp_nl_pool_spec(info, &s) ?:
	       khttp_pool_set(khttp_nl_net(info), &s, info->extack);
}

static int khttp_nl_pool_del(struct sk_buff *skb, struct genl_info *info)
{
	if (KHTTP_REQUIRE(info, KHTTP_A_POOL_NAME, "a pool name is required"))
		return -EINVAL;
	return khttp_pool_del(khttp_nl_net(info),
			      nla_data(info->attrs[KHTTP_A_POOL_NAME]),
			      nla_get_flag(info->attrs[KHTTP_A_POOL_FORCE]),
			      info->extack);
}

static int khttp_nl_pool_put(struct sk_buff *skb,
			     const struct khttp_pool_info *pi)
{
	struct nlattr *nest;
	int i;

	if (nla_put_string(skb, KHTTP_A_POOL_NAME, pi->name) ||
	    nla_put_u32(skb, KHTTP_A_POOL_QUEUE_LENGTH, pi->queue_length) ||
	    nla_put_u8(skb, KHTTP_A_POOL_VERBOSITY, pi->verbosity) ||
	    nla_put_u32(skb, KHTTP_A_POOL_QUEUE_TIMEOUT_MS,
			pi->queue_timeout_ms) ||
	    nla_put_u32(skb, KHTTP_A_POOL_UID, pi->uid) ||
	    nla_put_u32(skb, KHTTP_A_POOL_GID, pi->gid) ||
	    nla_put_u16(skb, KHTTP_A_POOL_MODE, pi->mode) ||
	    nla_put_u32(skb, KHTTP_A_POOL_RAPID_FAIL_COUNT, pi->rf_count) ||
	    nla_put_u32(skb, KHTTP_A_POOL_RAPID_FAIL_SECONDS, pi->rf_seconds) ||
	    nla_put_u8(skb, KHTTP_A_POOL_STATE, pi->state) ||
	    nla_put_u32(skb, KHTTP_A_POOL_QUEUED, pi->queued) ||
	    nla_put_u32(skb, KHTTP_A_POOL_QUEUED_MAX, pi->queued_max) ||
	    nla_put_u32(skb, KHTTP_A_POOL_IN_HAND, pi->in_hand) ||
	    nla_put_u32(skb, KHTTP_A_POOL_READERS, pi->readers))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, KHTTP_A_POOL_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = KHTTP_PSTAT_UNSPEC + 1; i < __KHTTP_PSTAT_MAX; i++) {
		if (i == KHTTP_PSTAT_PAD)
			continue;
		if (nla_put_u64_64bit(skb, i, pi->stats[i], KHTTP_PSTAT_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int khttp_nl_pool_fill(const struct khttp_pool_info *pi, void *arg)
{
	struct khttp_dump *d = arg;
	void *hdr = khttp_dump_begin(d);

	if (!hdr)
		return 1;
	return khttp_dump_end(d, hdr, khttp_nl_pool_put(d->skb, pi));
}

static int khttp_nl_pool_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct khttp_dump d = { skb, cb, KHTTP_CMD_POOL_GET };

	return khttp_dump_done(&d, khttp_pool_walk(khttp_dump_net(cb),
						   cb->args[0],
						   khttp_nl_pool_fill, &d));
}

/* ---- the response cache ---- */

static int khttp_nl_cache_fill(const struct khttp_cache_info *ci, void *arg)
{
	struct khttp_dump *d = arg;
	struct sk_buff *skb = d->skb;
	void *hdr = khttp_dump_begin(d);

	if (!hdr)
		return 1;
	return khttp_dump_end(d, hdr,
		nla_put_string(skb, KHTTP_A_CACHE_KEY, ci->key) ||
		nla_put_u32(skb, KHTTP_A_CACHE_SIZE, ci->size) ||
		nla_put_u64_64bit(skb, KHTTP_A_CACHE_HITS, ci->hits,
				  KHTTP_A_CACHE_PAD) ||
		nla_put_u32(skb, KHTTP_A_CACHE_AGE_MS, ci->age_ms) ||
		nla_put_u16(skb, KHTTP_A_CACHE_STATUS, ci->status) ||
		(ci->has_ttl &&
		 nla_put_u32(skb, KHTTP_A_CACHE_TTL_MS, ci->ttl_ms)) ||
		(ci->file && nla_put_string(skb, KHTTP_A_CACHE_FILE, ci->file)));
}

static int khttp_nl_cache_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct khttp_dump d = { skb, cb, KHTTP_CMD_CACHE_GET };

	return khttp_dump_done(&d, khttp_cache_list(khttp_dump_net(cb),
						    cb->args[0],
						    khttp_nl_cache_fill, &d));
}

static int khttp_nl_cache_flush(struct sk_buff *skb, struct genl_info *info)
{
	const char *pfx = khttp_nl_str(info->attrs[KHTTP_A_CACHE_PREFIX]);
	struct sk_buff *msg;
	void *hdr;
	u32 n;

	n = khttp_cache_flush_net(khttp_nl_net(info), pfx ?: "",
				  pfx ? strlen(pfx) : 0);
	msg = khttp_reply_new(info, KHTTP_CMD_CACHE_FLUSH, &hdr);
	if (!msg)
		return -ENOMEM;
	return khttp_reply_send(msg, hdr, info,
				nla_put_u32(msg, KHTTP_A_CACHE_FLUSHED, n));
}

/* ---- TLS certificate bindings ---- */

static int khttp_nl_tlsbind_spec(struct genl_info *info,
				 struct khttp_tlsbind_spec *s,
				 struct khttp_addr *a)
{
	struct nlattr **tb = info->attrs;

	memset(s, 0, sizeof(*s));
	if (tb[KHTTP_A_TLS_BINDING_ADDR]) {
		memcpy(a, nla_data(tb[KHTTP_A_TLS_BINDING_ADDR]), sizeof(*a));
		s->addr = a;
		if (tb[KHTTP_A_TLS_BINDING_PORT]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[KHTTP_A_TLS_BINDING_PORT],
					    "an address binding has its port in the address");
			return -EINVAL;
		}
	} else if (!tb[KHTTP_A_TLS_BINDING_HOST]) {
		NL_SET_ERR_MSG(info->extack,
			       "a binding needs an address or a host name");
		return -EINVAL;
	}
	s->host = khttp_nl_str(tb[KHTTP_A_TLS_BINDING_HOST]);
	if (tb[KHTTP_A_TLS_BINDING_PORT])
		s->port = nla_get_u16(tb[KHTTP_A_TLS_BINDING_PORT]);
	s->cert = khttp_nl_str(tb[KHTTP_A_TLS_BINDING_CERT]);
	s->key = khttp_nl_str(tb[KHTTP_A_TLS_BINDING_KEY]);
	/* One agent, in the initial namespace, as for TLS listen entries. */
	if (!khttp_nl_net(info)->init) {
		NL_SET_ERR_MSG(info->extack,
			       "TLS certificate bindings are only in the initial network namespace");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int khttp_nl_tls_add(struct sk_buff *skb, struct genl_info *info)
{
	struct khttp_tlsbind_spec s;
	struct khttp_addr a;

	if (KHTTP_REQUIRE(info, KHTTP_A_TLS_BINDING_CERT,
			  "a certificate file is required") ||
	    KHTTP_REQUIRE(info, KHTTP_A_TLS_BINDING_KEY,
			  "a key file is required"))
		return -EINVAL;
	return khttp_nl_tlsbind_spec(info, &s, &a) ?:
	       khttp_tlsbind_add(khttp_nl_net(info), &s, info->extack);
}

static int khttp_nl_tls_del(struct sk_buff *skb, struct genl_info *info)
{
	struct khttp_tlsbind_spec s;
	struct khttp_addr a;

	return khttp_nl_tlsbind_spec(info, &s, &a) ?:
	       khttp_tlsbind_del(khttp_nl_net(info), &s, info->extack);
}

static int khttp_nl_tls_fill(const struct khttp_tlsbind_info *bi, void *arg)
{
	struct khttp_dump *d = arg;
	struct sk_buff *skb = d->skb;
	void *hdr = khttp_dump_begin(d);

	if (!hdr)
		return 1;
	return khttp_dump_end(d, hdr,
		(bi->addr && nla_put(skb, KHTTP_A_TLS_BINDING_ADDR,
				     sizeof(*bi->addr), bi->addr)) ||
		(bi->host &&
		 (nla_put_string(skb, KHTTP_A_TLS_BINDING_HOST, bi->host) ||
		  nla_put_u16(skb, KHTTP_A_TLS_BINDING_PORT, bi->port))) ||
		nla_put_string(skb, KHTTP_A_TLS_BINDING_CERT, bi->cert) ||
		nla_put_string(skb, KHTTP_A_TLS_BINDING_KEY, bi->key) ||
		nla_put_u32(skb, KHTTP_A_TLS_BINDING_GENERATION, bi->gen));
}

static int khttp_nl_tls_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct khttp_dump d = { skb, cb, KHTTP_CMD_TLS_GET };

	return khttp_dump_done(&d, khttp_tlsbind_walk(khttp_dump_net(cb),
						      cb->args[0],
						      khttp_nl_tls_fill, &d));
}

/* ---- the access log ---- */

bool khttp_nl_log_wanted(struct net *net)
{
	return genl_has_listeners(&khttp_family, net, 0);
}

/*
 * Multicast one record; never sleeps.  Returns non-zero when the record
 * is lost (no memory, or a listener's buffer is full).
 */
int khttp_nl_log_send(struct net *net, const struct khttp_log_event *ev)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_NOWAIT | __GFP_NOWARN);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &khttp_family, 0, KHTTP_CMD_LOG_EVENT);
	if (!hdr ||
	    nla_put_u64_64bit(skb, KHTTP_A_LOG_TIME_NS, ev->time_ns,
			      KHTTP_A_LOG_PAD) ||
	    nla_put(skb, KHTTP_A_LOG_CLIENT, sizeof(*ev->client), ev->client) ||
	    nla_put(skb, KHTTP_A_LOG_SERVER, sizeof(*ev->server), ev->server) ||
	    (ev->method &&
	     nla_put_string(skb, KHTTP_A_LOG_METHOD, ev->method)) ||
	    (ev->target &&
	     nla_put_string(skb, KHTTP_A_LOG_TARGET, ev->target)) ||
	    (ev->version && nla_put_u8(skb, KHTTP_A_LOG_VERSION, ev->version)) ||
	    (ev->host && nla_put_string(skb, KHTTP_A_LOG_HOST, ev->host)) ||
	    (ev->referer &&
	     nla_put_string(skb, KHTTP_A_LOG_REFERER, ev->referer)) ||
	    (ev->ua && nla_put_string(skb, KHTTP_A_LOG_USER_AGENT, ev->ua)) ||
	    nla_put_u16(skb, KHTTP_A_LOG_STATUS, ev->status) ||
	    nla_put_u64_64bit(skb, KHTTP_A_LOG_BYTES, ev->bytes,
			      KHTTP_A_LOG_PAD) ||
	    nla_put_u32(skb, KHTTP_A_LOG_DURATION_US, ev->duration_us) ||
	    nla_put_u8(skb, KHTTP_A_LOG_SOURCE, ev->source) ||
	    (ev->tls_version &&
	     (nla_put_u16(skb, KHTTP_A_LOG_TLS_VERSION, ev->tls_version) ||
	      nla_put_u16(skb, KHTTP_A_LOG_TLS_CIPHER, ev->tls_cipher))) ||
	    nla_put_u64_64bit(skb, KHTTP_A_LOG_LOST, ev->lost,
			      KHTTP_A_LOG_PAD)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	err = genlmsg_multicast_netns(&khttp_family, net, skb, 0, 0,
				      GFP_NOWAIT | __GFP_NOWARN);
	/* -ESRCH: the last listener just left; nothing was lost. */
	return err == -ENOBUFS ? err : 0;
}

/* ---- the family ---- */

/*
 * Changes need CAP_NET_ADMIN over the namespace's owning user namespace
 * (GENL_UNS_ADMIN_PERM's rule).  Checked here rather than with the flag
 * so that the refusal says why, like every other one.
 */
#define KHTTP_NL_ADMIN	0x1
/* The handler runs under khttp_conf_lock (taken here, dropped in post). */
#define KHTTP_NL_CONF	0x2

static int khttp_nl_pre_doit(const struct khttp_genl_hook_ops *ops,
			     struct sk_buff *skb, struct genl_info *info)
{
	if ((ops->internal_flags & KHTTP_NL_ADMIN) &&
	    !netlink_ns_capable(skb, genl_info_net(info)->user_ns,
				CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(info->extack, "configuring khttp needs CAP_NET_ADMIN");
		return -EPERM;
	}
	if (ops->internal_flags & KHTTP_NL_CONF)
		mutex_lock(&khttp_conf_lock);
	return 0;
}

static void khttp_nl_post_doit(const struct khttp_genl_hook_ops *ops,
			       struct sk_buff *skb, struct genl_info *info)
{
	if (ops->internal_flags & KHTTP_NL_CONF)
		mutex_unlock(&khttp_conf_lock);
}

/* One command: its handler, its policy (nlpolicy.c) and its flags. */
#define KHTTP_OP(CMD, op, set, handler, fl) {				\
	.cmd = KHTTP_CMD_##CMD,						\
	handler,							\
	.policy = khttp_##op##_nl_policy,				\
	.maxattr = KHTTP_A_##set##_MAX,					\
	.internal_flags = fl,						\
}
#define KHTTP_DO(f)	.doit = f
#define KHTTP_DUMP(f)	.dumpit = f
#define KHTTP_ADMIN_CONF	(KHTTP_NL_ADMIN | KHTTP_NL_CONF)

static const struct genl_ops khttp_ops[] = {
	KHTTP_OP(STATUS_GET, status_get, STATUS,
		 KHTTP_DO(khttp_nl_status_get), KHTTP_NL_CONF),
	KHTTP_OP(LISTEN_ADD, listen_add, LISTEN,
		 KHTTP_DO(khttp_nl_listen_add), KHTTP_ADMIN_CONF),
	KHTTP_OP(LISTEN_DEL, listen_del, LISTEN,
		 KHTTP_DO(khttp_nl_listen_del), KHTTP_ADMIN_CONF),
	KHTTP_OP(LISTEN_GET, listen_get, LISTEN,
		 KHTTP_DUMP(khttp_nl_listen_dump), 0),
	KHTTP_OP(ROUTE_ADD, route_add, ROUTE,
		 KHTTP_DO(khttp_nl_route_add), KHTTP_ADMIN_CONF),
	KHTTP_OP(ROUTE_DEL, route_del, ROUTE,
		 KHTTP_DO(khttp_nl_route_del), KHTTP_ADMIN_CONF),
	KHTTP_OP(ROUTE_GET, route_get, ROUTE,
		 KHTTP_DUMP(khttp_nl_route_dump), 0),
	KHTTP_OP(CONFIG_SET, config_set, CONFIG,
		 KHTTP_DO(khttp_nl_config_set), KHTTP_ADMIN_CONF),
	KHTTP_OP(CONFIG_GET, config_get, CONFIG,
		 KHTTP_DO(khttp_nl_config_get), KHTTP_NL_CONF),
	KHTTP_OP(STATS_GET, stats_get, STATUS,
		 KHTTP_DO(khttp_nl_stats_get), 0),
	KHTTP_OP(POOL_ADD, pool_add, POOL,
		 KHTTP_DO(khttp_nl_pool_add), KHTTP_ADMIN_CONF),
	KHTTP_OP(POOL_SET, pool_set, POOL,
		 KHTTP_DO(khttp_nl_pool_set), KHTTP_ADMIN_CONF),
	KHTTP_OP(POOL_DEL, pool_del, POOL,
		 KHTTP_DO(khttp_nl_pool_del), KHTTP_ADMIN_CONF),
	KHTTP_OP(POOL_GET, pool_get, POOL,
		 KHTTP_DUMP(khttp_nl_pool_dump), 0),
	KHTTP_OP(CACHE_GET, cache_get, CACHE,
		 KHTTP_DUMP(khttp_nl_cache_dump), 0),
	KHTTP_OP(CACHE_FLUSH, cache_flush, CACHE,
		 KHTTP_DO(khttp_nl_cache_flush), KHTTP_NL_ADMIN),
	KHTTP_OP(TLS_ADD, tls_add, TLS_BINDING,
		 KHTTP_DO(khttp_nl_tls_add), KHTTP_ADMIN_CONF),
	KHTTP_OP(TLS_DEL, tls_del, TLS_BINDING,
		 KHTTP_DO(khttp_nl_tls_del), KHTTP_ADMIN_CONF),
	KHTTP_OP(TLS_GET, tls_get, TLS_BINDING,
		 KHTTP_DUMP(khttp_nl_tls_dump), 0),
};

/*
 * The access log carries client addresses (personal data): only
 * CAP_NET_ADMIN may join, where the kernel can enforce it (compat.h).
 */
static const struct genl_multicast_group khttp_mcgrps[] = {
	{ .name = KHTTP_MCGRP_LOG, .flags = KHTTP_MCGRP_ADMIN_ONLY },
};

static struct genl_family khttp_family __ro_after_init = {
	.name = KHTTP_GENL_NAME,
	.version = KHTTP_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = khttp_ops,
	.n_ops = ARRAY_SIZE(khttp_ops),
	.pre_doit = khttp_nl_pre_doit,
	.post_doit = khttp_nl_post_doit,
	.mcgrps = khttp_mcgrps,
	.n_mcgrps = ARRAY_SIZE(khttp_mcgrps),
	/* resv_start_op left at 0: strict validation for every command. */
};

int __init khttp_netlink_init(void)
{
	return genl_register_family(&khttp_family);
}

void khttp_netlink_exit(void)
{
	genl_unregister_family(&khttp_family);
}
