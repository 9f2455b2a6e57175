// SPDX-License-Identifier: GPL-2.0
/*
 * The "khttp" generic netlink family: httpctl's only way in.
 *
 * Every command that changes something needs CAP_NET_ADMIN
 * (checked in pre_doit), validates all attributes through a strict policy, and
 * explains every refusal with an extack message.  Handlers flagged
 * KHTTP_NL_CONF run under khttp_conf_lock, taken in pre_doit; dumps take it
 * themselves.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include "khttp.h"
#include "stats.h"
#include "addr.h"
#include "listener.h"
#include "conn.h"
#include "pool.h"
#include "router.h"
#include "cachectl.h"
#include "cache.h"

/* Ranges wider than the policy's inline s16 bounds. */
static struct netlink_range_validation khttp_conns_range = {
	.min = 1, .max = 1000000,
};
static struct netlink_range_validation khttp_header_range = {
	.min = 256, .max = 1048576,
};
static struct netlink_range_validation khttp_timeout_range = {
	.min = 100, .max = 3600000,
};
static struct netlink_range_validation khttp_body_range = {
	.min = 0, .max = 1ULL << 40,
};
static struct netlink_range_validation khttp_conns_range0 = {
	.min = 0, .max = 1000000,
};
static struct netlink_range_validation khttp_entry_range = {
	.min = 0, .max = 64 << 20,
};
static struct netlink_range_validation khttp_qlen_range = {
	.min = 1, .max = 65536,
};
static struct netlink_range_validation khttp_qtimeout_range = {
	.min = 100, .max = 86400000,
};
static struct netlink_range_validation khttp_rf_count_range = {
	.min = 0, .max = 10000,
};
static struct netlink_range_validation khttp_rf_seconds_range = {
	.min = 1, .max = 86400,
};

static const struct nla_policy khttp_policy[KHTTP_A_MAX + 1] = {
	[KHTTP_A_ADDR] = NLA_POLICY_EXACT_LEN(sizeof(struct khttp_addr)),
	[KHTTP_A_PREFIX] = { .type = NLA_NUL_STRING,
			     .len = KHTTP_PREFIX_MAX - 1 },
	[KHTTP_A_DIR] = { .type = NLA_NUL_STRING, .len = KHTTP_DIR_MAX - 1 },
	[KHTTP_A_POOL_NAME] = { .type = NLA_NUL_STRING,
				.len = KHTTP_POOL_NAME_MAX - 1 },
	[KHTTP_A_ROUTE_TYPE] = NLA_POLICY_RANGE(NLA_U8, KHTTP_ROUTE_STATIC,
						KHTTP_ROUTE_POOL),
	[KHTTP_A_MAX_CONNS] = NLA_POLICY_FULL_RANGE(NLA_U32, &khttp_conns_range),
	[KHTTP_A_MAX_HEADER_BYTES] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &khttp_header_range),
	[KHTTP_A_MAX_BODY_BYTES] =
		NLA_POLICY_FULL_RANGE(NLA_U64, &khttp_body_range),
	[KHTTP_A_HEADER_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &khttp_timeout_range),
	[KHTTP_A_IDLE_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &khttp_timeout_range),
	[KHTTP_A_POOL_QUEUE_LENGTH] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &khttp_qlen_range),
	[KHTTP_A_POOL_VERBOSITY] =
		NLA_POLICY_RANGE(NLA_U8, KHTTP_VERBOSITY_BASIC,
				 KHTTP_VERBOSITY_FULL),
	[KHTTP_A_POOL_QUEUE_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &khttp_qtimeout_range),
	[KHTTP_A_POOL_UID] = { .type = NLA_U32 },
	[KHTTP_A_POOL_GID] = { .type = NLA_U32 },
	[KHTTP_A_POOL_MODE] = NLA_POLICY_MAX(NLA_U16, 0777),
	[KHTTP_A_POOL_RAPID_FAIL_COUNT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &khttp_rf_count_range),
	[KHTTP_A_POOL_RAPID_FAIL_SECONDS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &khttp_rf_seconds_range),
	[KHTTP_A_POOL_STATE] = NLA_POLICY_RANGE(NLA_U8, KHTTP_POOL_ACTIVE,
						KHTTP_POOL_FAILED),
	[KHTTP_A_FORCE] = { .type = NLA_FLAG },
	[KHTTP_A_ROUTE_CACHE] = NLA_POLICY_MAX(NLA_U8, 1),
	[KHTTP_A_CACHE_MAX_BYTES] =
		NLA_POLICY_FULL_RANGE(NLA_U64, &khttp_body_range),
	[KHTTP_A_CACHE_ENTRY_MAX] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &khttp_entry_range),
	[KHTTP_A_ROUTE_MAX_BPS] =
		NLA_POLICY_FULL_RANGE(NLA_U64, &khttp_body_range),
	[KHTTP_A_MAX_CONNS_PER_CLIENT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &khttp_conns_range0),
	[KHTTP_A_MAX_CONNS_PER_PREFIX] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &khttp_conns_range0),
	[KHTTP_A_MIN_SEND_RATE] = { .type = NLA_U32 },
};


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

static int khttp_nl_status_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = khttp_reply_new(info, KHTTP_CMD_STATUS_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, KHTTP_A_VERSION, KHTTP_VERSION_STRING) ||
	    nla_put_u32(msg, KHTTP_A_LISTEN_COUNT, khttp_listener_count()) ||
	    nla_put_u32(msg, KHTTP_A_ROUTE_COUNT, khttp_route_count()) ||
	    nla_put_u32(msg, KHTTP_A_POOL_COUNT, khttp_pool_count())) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int khttp_nl_get_addr(struct genl_info *info, struct khttp_addr *a)
{
	if (KHTTP_REQUIRE(info, KHTTP_A_ADDR, "an address is required"))
		return -EINVAL;
	memcpy(a, nla_data(info->attrs[KHTTP_A_ADDR]), sizeof(*a));
	return khttp_addr_check(a, info->extack);
}

static int khttp_nl_listen_add(struct sk_buff *skb, struct genl_info *info)
{
	struct khttp_addr a;
	int err;

	err = khttp_nl_get_addr(info, &a);
	if (err)
		return err;
	return khttp_listener_add(&a, info->extack);
}

static int khttp_nl_listen_del(struct sk_buff *skb, struct genl_info *info)
{
	struct khttp_addr a;
	int err;

	err = khttp_nl_get_addr(info, &a);
	if (err)
		return err;
	return khttp_listener_del(&a, info->extack);
}

/*
 * Dump the listen list.  cb->args[0] is the index to resume from; the list
 * may change between dump rounds, which only makes an entry appear or go
 * missing in that one dump, as with any netlink dump.
 */
static int khttp_nl_listen_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct khttp_listener *l;
	long idx = 0;
	void *hdr;

	mutex_lock(&khttp_conf_lock);
	list_for_each_entry(l, &khttp_listeners, node) {
		if (idx++ < cb->args[0])
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &khttp_family, NLM_F_MULTI,
				  KHTTP_CMD_LISTEN_GET);
		if (!hdr)
			goto full;
		if (nla_put(skb, KHTTP_A_ADDR, sizeof(l->addr), &l->addr) ||
		    khttp_stats_put(skb, &l->stats, atomic_read(&l->conns), false)) {
			genlmsg_cancel(skb, hdr);
			goto full;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = idx;
	}
full:
	mutex_unlock(&khttp_conf_lock);
	return skb->len;
}

static int khttp_nl_route_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	const char *target;
	u8 type;

	if (KHTTP_REQUIRE(info, KHTTP_A_PREFIX, "a route prefix is required") ||
	    KHTTP_REQUIRE(info, KHTTP_A_ROUTE_TYPE,
			  "a route type (static or pool) is required"))
		return -EINVAL;
	type = nla_get_u8(attrs[KHTTP_A_ROUTE_TYPE]);
	if (type == KHTTP_ROUTE_STATIC) {
		if (KHTTP_REQUIRE(info, KHTTP_A_DIR,
				  "a static route needs a directory"))
			return -EINVAL;
		if (attrs[KHTTP_A_POOL_NAME]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    attrs[KHTTP_A_POOL_NAME],
					    "a static route takes a directory, not a pool");
			return -EINVAL;
		}
		target = nla_data(attrs[KHTTP_A_DIR]);
	} else {
		if (KHTTP_REQUIRE(info, KHTTP_A_POOL_NAME,
				  "a pool route needs a pool name"))
			return -EINVAL;
		if (attrs[KHTTP_A_DIR]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[KHTTP_A_DIR],
					    "a pool route takes a pool name, not a directory");
			return -EINVAL;
		}
		target = nla_data(attrs[KHTTP_A_POOL_NAME]);
	}
	return khttp_route_add(nla_data(attrs[KHTTP_A_PREFIX]), type, target,
			       attrs[KHTTP_A_ROUTE_CACHE] ?
			       nla_get_u8(attrs[KHTTP_A_ROUTE_CACHE]) : 1,
			       attrs[KHTTP_A_ROUTE_MAX_BPS] ?
			       nla_get_u64(attrs[KHTTP_A_ROUTE_MAX_BPS]) : 0,
			       info->extack);
}

static int khttp_nl_route_del(struct sk_buff *skb, struct genl_info *info)
{
	if (KHTTP_REQUIRE(info, KHTTP_A_PREFIX, "a route prefix is required"))
		return -EINVAL;
	return khttp_route_del(nla_data(info->attrs[KHTTP_A_PREFIX]),
			       info->extack);
}

static int khttp_nl_route_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	int ret;

	mutex_lock(&khttp_conf_lock);
	ret = khttp_route_dump(skb, cb);
	mutex_unlock(&khttp_conf_lock);
	return ret;
}

static int khttp_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;

	/* The policy has range-checked every value before we get here. */
	if (!attrs[KHTTP_A_MAX_CONNS] && !attrs[KHTTP_A_MAX_HEADER_BYTES] &&
	    !attrs[KHTTP_A_MAX_BODY_BYTES] && !attrs[KHTTP_A_HEADER_TIMEOUT_MS] &&
	    !attrs[KHTTP_A_IDLE_TIMEOUT_MS] && !attrs[KHTTP_A_CACHE_MAX_BYTES] &&
	    !attrs[KHTTP_A_CACHE_ENTRY_MAX] &&
	    !attrs[KHTTP_A_MAX_CONNS_PER_CLIENT] &&
	    !attrs[KHTTP_A_MAX_CONNS_PER_PREFIX] &&
	    !attrs[KHTTP_A_MIN_SEND_RATE]) {
		NL_SET_ERR_MSG(info->extack, "nothing to set");
		return -EINVAL;
	}
	if (attrs[KHTTP_A_MAX_CONNS])
		WRITE_ONCE(khttp_cfg.max_conns,
			   nla_get_u32(attrs[KHTTP_A_MAX_CONNS]));
	if (attrs[KHTTP_A_MAX_HEADER_BYTES])
		WRITE_ONCE(khttp_cfg.max_header_bytes,
			   nla_get_u32(attrs[KHTTP_A_MAX_HEADER_BYTES]));
	if (attrs[KHTTP_A_MAX_BODY_BYTES])
		WRITE_ONCE(khttp_cfg.max_body_bytes,
			   nla_get_u64(attrs[KHTTP_A_MAX_BODY_BYTES]));
	if (attrs[KHTTP_A_HEADER_TIMEOUT_MS])
		WRITE_ONCE(khttp_cfg.header_timeout_ms,
			   nla_get_u32(attrs[KHTTP_A_HEADER_TIMEOUT_MS]));
	if (attrs[KHTTP_A_IDLE_TIMEOUT_MS])
		WRITE_ONCE(khttp_cfg.idle_timeout_ms,
			   nla_get_u32(attrs[KHTTP_A_IDLE_TIMEOUT_MS]));
	if (attrs[KHTTP_A_MAX_CONNS_PER_CLIENT])
		WRITE_ONCE(khttp_cfg.max_conns_per_client,
			   nla_get_u32(attrs[KHTTP_A_MAX_CONNS_PER_CLIENT]));
	if (attrs[KHTTP_A_MAX_CONNS_PER_PREFIX])
		WRITE_ONCE(khttp_cfg.max_conns_per_prefix,
			   nla_get_u32(attrs[KHTTP_A_MAX_CONNS_PER_PREFIX]));
	if (attrs[KHTTP_A_MIN_SEND_RATE])
		WRITE_ONCE(khttp_cfg.min_send_rate,
			   nla_get_u32(attrs[KHTTP_A_MIN_SEND_RATE]));
	if (attrs[KHTTP_A_CACHE_MAX_BYTES] || attrs[KHTTP_A_CACHE_ENTRY_MAX])
		khttp_cache_set_limits(&khttp_cache,
				       attrs[KHTTP_A_CACHE_MAX_BYTES] ?
				       nla_get_u64(attrs[KHTTP_A_CACHE_MAX_BYTES]) :
				       READ_ONCE(khttp_cache.max_bytes),
				       attrs[KHTTP_A_CACHE_ENTRY_MAX] ?
				       nla_get_u32(attrs[KHTTP_A_CACHE_ENTRY_MAX]) :
				       READ_ONCE(khttp_cache.entry_max));
	return 0;
}

static int khttp_nl_config_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = khttp_reply_new(info, KHTTP_CMD_CONFIG_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, KHTTP_A_MAX_CONNS, khttp_cfg.max_conns) ||
	    nla_put_u32(msg, KHTTP_A_MAX_HEADER_BYTES,
			khttp_cfg.max_header_bytes) ||
	    nla_put_u64_64bit(msg, KHTTP_A_MAX_BODY_BYTES,
			      khttp_cfg.max_body_bytes, KHTTP_A_PAD) ||
	    nla_put_u32(msg, KHTTP_A_HEADER_TIMEOUT_MS,
			khttp_cfg.header_timeout_ms) ||
	    nla_put_u32(msg, KHTTP_A_IDLE_TIMEOUT_MS,
			khttp_cfg.idle_timeout_ms) ||
	    nla_put_u64_64bit(msg, KHTTP_A_CACHE_MAX_BYTES,
			      READ_ONCE(khttp_cache.max_bytes), KHTTP_A_PAD) ||
	    nla_put_u32(msg, KHTTP_A_CACHE_ENTRY_MAX,
			READ_ONCE(khttp_cache.entry_max)) ||
	    nla_put_u32(msg, KHTTP_A_MAX_CONNS_PER_CLIENT,
			khttp_cfg.max_conns_per_client) ||
	    nla_put_u32(msg, KHTTP_A_MAX_CONNS_PER_PREFIX,
			khttp_cfg.max_conns_per_prefix) ||
	    nla_put_u32(msg, KHTTP_A_MIN_SEND_RATE, khttp_cfg.min_send_rate)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int khttp_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = khttp_reply_new(info, KHTTP_CMD_STATS_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	if (khttp_stats_put(msg, &khttp_global_stats, khttp_conn_active(),
			    true)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int khttp_nl_pool_add(struct sk_buff *skb, struct genl_info *info)
{
	return khttp_pool_add(info);
}

static int khttp_nl_pool_set(struct sk_buff *skb, struct genl_info *info)
{
	return khttp_pool_set(info);
}

static int khttp_nl_pool_del(struct sk_buff *skb, struct genl_info *info)
{
	return khttp_pool_del(info);
}

static int khttp_nl_cache_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *pfx = info->attrs[KHTTP_A_PREFIX];
	struct sk_buff *msg;
	void *hdr;
	u32 n;

	n = khttp_cache_flush(&khttp_cache, pfx ? nla_data(pfx) : "",
			      pfx ? strlen(nla_data(pfx)) : 0, 0);
	msg = khttp_reply_new(info, KHTTP_CMD_CACHE_FLUSH, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, KHTTP_A_FLUSHED, n)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * Changes need CAP_NET_ADMIN.  Checked here rather than with
 * GENL_ADMIN_PERM so that the refusal says why, like every other one.
 */
#define KHTTP_NL_ADMIN	0x1
/* The handler runs under khttp_conf_lock (taken here, dropped in post). */
#define KHTTP_NL_CONF	0x2

static int khttp_nl_pre_doit(const struct khttp_genl_hook_ops *ops,
			     struct sk_buff *skb, struct genl_info *info)
{
	if ((ops->internal_flags & KHTTP_NL_ADMIN) &&
	    !netlink_capable(skb, CAP_NET_ADMIN)) {
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

static const struct genl_small_ops khttp_ops[] = {
	{
		.cmd = KHTTP_CMD_STATUS_GET,
		.doit = khttp_nl_status_get,
		.internal_flags = KHTTP_NL_CONF,
	},
	{
		.cmd = KHTTP_CMD_LISTEN_ADD,
		.doit = khttp_nl_listen_add,
		.internal_flags = KHTTP_NL_ADMIN | KHTTP_NL_CONF,
	},
	{
		.cmd = KHTTP_CMD_LISTEN_DEL,
		.doit = khttp_nl_listen_del,
		.internal_flags = KHTTP_NL_ADMIN | KHTTP_NL_CONF,
	},
	{
		.cmd = KHTTP_CMD_LISTEN_GET,
		.dumpit = khttp_nl_listen_dump,
	},
	{
		.cmd = KHTTP_CMD_ROUTE_ADD,
		.doit = khttp_nl_route_add,
		.internal_flags = KHTTP_NL_ADMIN | KHTTP_NL_CONF,
	},
	{
		.cmd = KHTTP_CMD_ROUTE_DEL,
		.doit = khttp_nl_route_del,
		.internal_flags = KHTTP_NL_ADMIN | KHTTP_NL_CONF,
	},
	{
		.cmd = KHTTP_CMD_ROUTE_GET,
		.dumpit = khttp_nl_route_dump,
	},
	{
		.cmd = KHTTP_CMD_CONFIG_SET,
		.doit = khttp_nl_config_set,
		.internal_flags = KHTTP_NL_ADMIN | KHTTP_NL_CONF,
	},
	{
		.cmd = KHTTP_CMD_CONFIG_GET,
		.doit = khttp_nl_config_get,
		.internal_flags = KHTTP_NL_CONF,
	},
	{
		.cmd = KHTTP_CMD_STATS_GET,
		.doit = khttp_nl_stats_get,
	},
	{
		.cmd = KHTTP_CMD_POOL_ADD,
		.doit = khttp_nl_pool_add,
		.internal_flags = KHTTP_NL_ADMIN | KHTTP_NL_CONF,
	},
	{
		.cmd = KHTTP_CMD_POOL_SET,
		.doit = khttp_nl_pool_set,
		.internal_flags = KHTTP_NL_ADMIN | KHTTP_NL_CONF,
	},
	{
		.cmd = KHTTP_CMD_POOL_DEL,
		.doit = khttp_nl_pool_del,
		.internal_flags = KHTTP_NL_ADMIN | KHTTP_NL_CONF,
	},
	{
		.cmd = KHTTP_CMD_POOL_GET,
		.dumpit = khttp_pool_dump,
	},
	{
		.cmd = KHTTP_CMD_CACHE_GET,
		.dumpit = khttp_cache_dump,
	},
	{
		.cmd = KHTTP_CMD_CACHE_FLUSH,
		.doit = khttp_nl_cache_flush,
		.internal_flags = KHTTP_NL_ADMIN,
	},
};

/*
 * The access log carries client addresses (personal data): only
 * CAP_NET_ADMIN may join, where the kernel can enforce it (compat.h).
 */
static const struct genl_multicast_group khttp_mcgrps[] = {
	{ .name = KHTTP_MCGRP_LOG, .flags = KHTTP_MCGRP_ADMIN_ONLY },
};

struct genl_family khttp_family __ro_after_init = {
	.name = KHTTP_GENL_NAME,
	.version = KHTTP_GENL_VERSION,
	.maxattr = KHTTP_A_MAX,
	.policy = khttp_policy,
	.netnsok = false,
	.module = THIS_MODULE,
	.small_ops = khttp_ops,
	.n_small_ops = ARRAY_SIZE(khttp_ops),
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
