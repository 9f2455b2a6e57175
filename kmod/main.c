// SPDX-License-Identifier: GPL-2.0
/*
 * khttp: an in-kernel HTTP/1.1 listener.
 *
 * Module lifetime: netlink comes up last and goes down first, so no
 * configuration change can race with setup or teardown.  Each network
 * namespace's khttp (net.c) comes up with the namespace, or for those
 * already alive when the module loads; unloading tears each one down.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include "tls.h"
#include "khttp.h"
#include "stats.h"
#include "listener.h"
#include "conn.h"
#include "pool.h"
#include "router.h"
#include "cachectl.h"
#include "metrics.h"
#include "net.h"

struct workqueue_struct *khttp_wq;
DEFINE_MUTEX(khttp_conf_lock);

/* What each namespace's settings start from (net.c). */
struct khttp_config khttp_cfg = {
	.max_conns = 10000,
	.max_header_bytes = 16384,
	.max_body_bytes = 16 << 20,
	.header_timeout_ms = 10000,
	.idle_timeout_ms = 60000,
	.cache_lock_timeout_ms = 5000,	/* as nginx's proxy_cache_lock_timeout */
	.tls_handshake_timeout_ms = 10000,
	.tls_handshake_max = 1024,
};

module_param_named(max_conns, khttp_cfg.max_conns, uint, 0444);
MODULE_PARM_DESC(max_conns, "Initial maximum concurrent connections (default 10000)");
module_param_named(max_header_bytes, khttp_cfg.max_header_bytes, uint, 0444);
MODULE_PARM_DESC(max_header_bytes, "Initial limit on request head size (default 16384)");
module_param_named(header_timeout_ms, khttp_cfg.header_timeout_ms, uint, 0444);
MODULE_PARM_DESC(header_timeout_ms, "Initial time allowed to send a request head (default 10000)");
module_param_named(idle_timeout_ms, khttp_cfg.idle_timeout_ms, uint, 0444);
MODULE_PARM_DESC(idle_timeout_ms, "Initial keep-alive idle timeout (default 60000)");

static int __init khttp_init(void)
{
	int err;

	/*
	 * Connection work may sleep in page-cache reads; WQ_MEM_RECLAIM is
	 * not needed (we are not in the reclaim path), unbound would lose
	 * cache locality of per-socket work.
	 */
	khttp_metrics_init();
	khttp_wq = alloc_workqueue("khttp", WQ_SYSFS, 0);
	if (!khttp_wq)
		return -ENOMEM;
	err = khttp_conns_init();
	if (err)
		goto err_wq;
	err = khttp_cachectl_init();
	if (err)
		goto err_conns;
	err = khttp_httpq_init();
	if (err)
		goto err_cache;
	err = khttp_net_init();
	if (err)
		goto err_httpq;
	err = khttp_tls_init();
	if (err)
		goto err_net;
	err = khttp_netlink_init();
	if (err)
		goto err_tls;
	pr_info(KHTTP_LOG_PREFIX "version %s loaded\n", KHTTP_VERSION_STRING);
	return 0;

err_tls:
	khttp_tls_exit();
err_net:
	khttp_net_exit();
err_httpq:
	khttp_httpq_exit();
err_cache:
	khttp_cachectl_exit();
err_conns:
	khttp_conns_exit();
err_wq:
	destroy_workqueue(khttp_wq);
	return err;
}

static void __exit khttp_exit(void)
{
	khttp_netlink_exit();
	/* No agent holds it open: the device pins the module. */
	khttp_tls_exit();
	/* Every namespace's listeners, connections, routes and pools. */
	khttp_net_exit();
	khttp_httpq_exit();
	khttp_cachectl_exit();
	destroy_workqueue(khttp_wq);
	khttp_conns_exit();
	pr_info(KHTTP_LOG_PREFIX "unloaded\n");
}

module_init(khttp_init);
module_exit(khttp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("In-kernel HTTP/1.1 listener");
MODULE_VERSION(KHTTP_VERSION_STRING);
MODULE_ALIAS_GENL_FAMILY(KHTTP_GENL_NAME);
