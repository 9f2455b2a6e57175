// SPDX-License-Identifier: GPL-2.0
/*
 * One khttp per network namespace.  Each namespace (a container, or the
 * initial one) has its own listen list, routes, pools, settings, counters
 * and connections in a struct khttp_net kept by pernet_operations, so
 * httpctl inside a container sees and changes only that container's khttp
 * and its listening sockets live in that namespace.  What stays shared:
 * the configuration lock, the workqueue, the slabs, the /dev/httpq device
 * region and the response cache, whose keys carry the namespace's tag
 * (cachectl.c) so no namespace is ever served another's entry.
 *
 * A namespace going away tears its khttp down: pre_exit closes its
 * listeners and connections while its devices are still up; exit drops its
 * routes, then its pools (their readers wake with ENODEV, what they hold
 * gets 502), then its cache entries and TLS certificate bindings.
 * Unloading the module does the same for every namespace still alive.
 */
#include <linux/module.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "khttp.h"
#include "net.h"
#include "stats.h"
#include "listener.h"
#include "conn.h"
#include "pool.h"
#include "router.h"
#include "cachectl.h"
#include "tlsbind.h"

static unsigned int khttp_net_id __read_mostly;

struct khttp_net *khttp_net(const struct net *net)
{
	return net_generic(net, khttp_net_id);
}

static int __net_init khttp_net_setup(struct net *net)
{
	struct khttp_net *kn = khttp_net(net);
	int err;

	kn->net = net;
	kn->init = net_eq(net, &init_net);
	/* Never "http...": cache keys of the initial namespace start so. */
	if (!kn->init)
		kn->ctag_len = scnprintf(kn->ctag, sizeof(kn->ctag), "@%llx|",
					 (unsigned long long)net->net_cookie);
	kn->cfg = khttp_cfg;
	INIT_LIST_HEAD(&kn->listeners);
	INIT_LIST_HEAD(&kn->routes);
	INIT_LIST_HEAD(&kn->pools);
	INIT_LIST_HEAD(&kn->tlsbinds);
	INIT_LIST_HEAD(&kn->conns);
	spin_lock_init(&kn->conns_lock);
	atomic_set(&kn->nconns, 0);
	err = khttp_stats_init(&kn->stats);
	if (err)
		return err;
	err = khttp_router_init(kn);
	if (err)
		khttp_stats_free(&kn->stats);
	return err;
}

/* While the namespace's devices are still up: stop serving. */
static void __net_exit khttp_net_pre_exit(struct net *net)
{
	struct khttp_net *kn = khttp_net(net);

	mutex_lock(&khttp_conf_lock);
	khttp_listeners_stop_all(kn);
	mutex_unlock(&khttp_conf_lock);
	khttp_conns_stop_all(kn);
}

static void __net_exit khttp_net_teardown(struct net *net)
{
	struct khttp_net *kn = khttp_net(net);

	/* Routes hold pool references: drop them before the pools. */
	khttp_router_exit(kn);
	khttp_pools_exit(kn);
	khttp_cache_forget_net(kn);
	khttp_tlsbinds_exit(kn);
	khttp_stats_free(&kn->stats);
}

static struct pernet_operations khttp_net_ops = {
	.init = khttp_net_setup,
	.pre_exit = khttp_net_pre_exit,
	.exit = khttp_net_teardown,
	.id = &khttp_net_id,
	.size = sizeof(struct khttp_net),
};

int __init khttp_net_init(void)
{
	return register_pernet_subsys(&khttp_net_ops);
}

void khttp_net_exit(void)
{
	unregister_pernet_subsys(&khttp_net_ops);
}
