/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One khttp per network namespace (net.c): what each namespace owns.
 */
#ifndef KHTTP_NET_H
#define KHTTP_NET_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <net/net_namespace.h>
#include "khttp.h"
#include "stats.h"
#include "listener.h"
#include "conn.h"

struct route_table;

/*
 * A namespace's khttp: its listen list, routes, pools, settings,
 * counters and connections.  Lists and settings change under
 * khttp_conf_lock (one lock for every namespace: configuration is rare);
 * the data path finds its namespace from the connection's listener.
 */
struct khttp_net {
	struct net *net;
	bool init;			/* the initial namespace */
	/* the cache key's namespace tag: "" in the initial namespace */
	char ctag[24];
	u32 ctag_len;
	struct khttp_config cfg;
	struct khttp_stats stats;

	struct list_head listeners;	/* khttp_listener, under conf lock */

	struct list_head routes;	/* khttp_route, under conf lock */
	u32 nroutes;
	struct route_table *rtable;	/* looked up under RCU */

	struct list_head pools;		/* khttp_pool, under conf lock */

	struct list_head tlsbinds;	/* khttp_tlsbind, under conf lock */
	u32 ntlsbinds;
	u32 tls_gen;			/* bumped by each binding change */

	struct list_head conns;		/* khttp_conn, under conns_lock */
	spinlock_t conns_lock;
	atomic_t nconns;
	bool stopping;			/* namespace or module going */
};

struct khttp_net *khttp_net(const struct net *net);

/* The namespace a connection was accepted in, and its settings. */
static inline struct khttp_net *khttp_conn_net(const struct khttp_conn *c)
{
	return c->listener->kn;
}

static inline const struct khttp_config *khttp_conn_cfg(const struct khttp_conn *c)
{
	return &c->listener->kn->cfg;
}
int khttp_net_init(void);
void khttp_net_exit(void);

#endif /* KHTTP_NET_H */
