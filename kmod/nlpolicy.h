/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-command policies of nlpolicy.c (generated from the YNL spec by
 * scripts/ynl.sh).  Each spans its object's whole attribute set.
 */
#ifndef KHTTP_NLPOLICY_H
#define KHTTP_NLPOLICY_H

#include <net/netlink.h>
#include <linux/khttp.h>

/* An attribute of the set that this command does not take. */
#define KHTTP_NL_REJECT(msg)	{ .type = NLA_REJECT, .reject_message = msg }

#define KHTTP_NL_POLICY(op, set) \
	extern const struct nla_policy khttp_##op##_nl_policy[set + 1]

KHTTP_NL_POLICY(status_get, KHTTP_A_STATUS_MAX);
KHTTP_NL_POLICY(listen_add, KHTTP_A_LISTEN_MAX);
KHTTP_NL_POLICY(listen_del, KHTTP_A_LISTEN_MAX);
KHTTP_NL_POLICY(listen_get, KHTTP_A_LISTEN_MAX);
KHTTP_NL_POLICY(route_add, KHTTP_A_ROUTE_MAX);
KHTTP_NL_POLICY(route_del, KHTTP_A_ROUTE_MAX);
KHTTP_NL_POLICY(route_get, KHTTP_A_ROUTE_MAX);
KHTTP_NL_POLICY(config_set, KHTTP_A_CONFIG_MAX);
KHTTP_NL_POLICY(config_get, KHTTP_A_CONFIG_MAX);
KHTTP_NL_POLICY(stats_get, KHTTP_A_STATUS_MAX);
KHTTP_NL_POLICY(pool_add, KHTTP_A_POOL_MAX);
KHTTP_NL_POLICY(pool_set, KHTTP_A_POOL_MAX);
KHTTP_NL_POLICY(pool_del, KHTTP_A_POOL_MAX);
KHTTP_NL_POLICY(pool_get, KHTTP_A_POOL_MAX);
KHTTP_NL_POLICY(cache_get, KHTTP_A_CACHE_MAX);
KHTTP_NL_POLICY(cache_flush, KHTTP_A_CACHE_MAX);
KHTTP_NL_POLICY(tls_add, KHTTP_A_TLS_BINDING_MAX);
KHTTP_NL_POLICY(tls_del, KHTTP_A_TLS_BINDING_MAX);
KHTTP_NL_POLICY(tls_get, KHTTP_A_TLS_BINDING_MAX);

#endif /* KHTTP_NLPOLICY_H */
