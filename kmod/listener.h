/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IP listen list (listener.c): one socket per entry.
 */
#ifndef KHTTP_LISTENER_H
#define KHTTP_LISTENER_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/workqueue.h>
#include <linux/khttp.h>
#include "stats.h"

struct khttp_net;
struct netlink_ext_ack;
struct sock;
struct socket;

/* listener.c: the IP listen list. */
struct khttp_listener {
	struct list_head node;		/* kn->listeners, under conf lock */
	struct khttp_net *kn;		/* its namespace */
	struct kref ref;		/* list + each connection */
	struct khttp_addr addr;
	struct socket *sock;
	struct work_struct accept_work;
	struct khttp_stats stats;
	atomic_t conns;			/* connections from this entry */
	bool dead;			/* deleted; connections wind down */
	bool tls;			/* connections go to the TLS agent first */
	void (*saved_data_ready)(struct sock *sk);
};

int khttp_listener_add(struct khttp_net *kn, const struct khttp_addr *a,
		       bool tls,
		       struct netlink_ext_ack *extack);
int khttp_listener_del(struct khttp_net *kn, const struct khttp_addr *a,
		       struct netlink_ext_ack *extack);
void khttp_listener_put(struct khttp_listener *l);
void khttp_listeners_stop_all(struct khttp_net *kn);
u32 khttp_listener_count(struct khttp_net *kn);

#endif /* KHTTP_LISTENER_H */
