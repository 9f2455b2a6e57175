/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the whole module shares: its settings, its workqueue, the
 * configuration lock and the netlink family.  Each concept has its own
 * header (conn.h, request.h, router.h, static.h, pool.h, ...).
 */
#ifndef KHTTP_H
#define KHTTP_H

#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/khttp.h>

#define KHTTP_LOG_PREFIX "khttp: "

/* Tunables; changed over netlink, read locklessly on the data path. */
struct khttp_config {
	u32 max_conns;
	u32 max_header_bytes;
	u64 max_body_bytes;
	u32 header_timeout_ms;
	u32 idle_timeout_ms;
	u32 max_conns_per_client;
	u32 max_conns_per_prefix;
	u32 min_send_rate;
	u32 cache_lock_timeout_ms;	/* a miss waits this long for a fill */
	u32 tls_handshake_timeout_ms;	/* accept to hand-back, tls.c */
	u32 tls_handshake_max;		/* connections in a handshake at once */
};

extern struct khttp_config khttp_cfg;
extern struct workqueue_struct *khttp_wq;

/*
 * NL_SET_ERR_MSG() takes only literals; plain-C helpers hand back static
 * message pointers, which are just as permanent.
 */
static inline void khttp_extack(struct netlink_ext_ack *extack,
				const char *msg)
{
	if (extack && msg)
		extack->_msg = msg;
}

/* Serialises configuration changes (netlink) and module teardown. */
extern struct mutex khttp_conf_lock;

/* netlink.c */
int khttp_netlink_init(void);
void khttp_netlink_exit(void);

#endif /* KHTTP_H */
