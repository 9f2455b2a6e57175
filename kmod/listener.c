// SPDX-License-Identifier: GPL-2.0
/*
 * The IP listen list.  Each entry is one kernel listening socket bound to
 * exactly the listed address, never a wildcard unless that wildcard is the
 * entry: other programs keep the same port on every other address (the
 * http.sys socket-pooling fault, avoided).
 *
 * Accepting is driven by the listening socket's data_ready callback, which
 * queues accept_work; no thread waits in accept().
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/tcp.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/netlink.h>
#include "khttp.h"
#include "stats.h"
#include "addr.h"
#include "listener.h"
#include "conn.h"
#include "net.h"

#define KHTTP_BACKLOG		4096
#define KHTTP_ACCEPT_BATCH	64

static struct khttp_listener *khttp_listener_find(struct khttp_net *kn,
						  const struct khttp_addr *a)
{
	struct khttp_listener *l;

	lockdep_assert_held(&khttp_conf_lock);
	list_for_each_entry(l, &kn->listeners, node)
		if (khttp_addr_equal(&l->addr, a))
			return l;
	return NULL;
}

u32 khttp_listener_count(struct khttp_net *kn)
{
	struct khttp_listener *l;
	u32 n = 0;

	lockdep_assert_held(&khttp_conf_lock);
	list_for_each_entry(l, &kn->listeners, node)
		n++;
	return n;
}

static void khttp_listener_release(struct kref *ref)
{
	struct khttp_listener *l = container_of(ref, struct khttp_listener, ref);

	khttp_stats_free(&l->stats);
	kfree(l);
}

void khttp_listener_put(struct khttp_listener *l)
{
	kref_put(&l->ref, khttp_listener_release);
}

static void khttp_listen_data_ready(struct sock *sk)
{
	struct khttp_listener *l;

	read_lock_bh(&sk->sk_callback_lock);
	l = sk->sk_user_data;
	/*
	 * A child not yet accepted carries a clone of this callback: its
	 * request's bytes are no new connection (the accept looks once).
	 */
	if (l && sk->sk_state == TCP_LISTEN)
		queue_work(khttp_wq, &l->accept_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void khttp_accept_work(struct work_struct *work)
{
	struct khttp_listener *l = container_of(work, struct khttp_listener,
						accept_work);
	struct socket *newsock;
	int i;

	for (i = 0; i < KHTTP_ACCEPT_BATCH; i++) {
		if (kernel_accept(l->sock, &newsock, O_NONBLOCK))
			return;
		/*
		 * The child is a clone of the listening socket, our data_ready
		 * and user data included: give it the socket's own, which a
		 * TLS handshake agent's poll (and kTLS, which saves it) rely on.
		 */
		write_lock_bh(&newsock->sk->sk_callback_lock);
		newsock->sk->sk_user_data = NULL;
		newsock->sk->sk_data_ready = l->saved_data_ready;
		write_unlock_bh(&newsock->sk->sk_callback_lock);
		khttp_conn_start(l, newsock);
	}
	/* More may be waiting: yield the worker, then continue. */
	queue_work(khttp_wq, &l->accept_work);
}

int khttp_listener_add(struct khttp_net *kn, const struct khttp_addr *a,
		       bool tls,
		       struct netlink_ext_ack *extack)
{
	struct sockaddr_storage ss;
	struct khttp_listener *l;
	struct socket *sock;
	int len, err;

	lockdep_assert_held(&khttp_conf_lock);
	if (khttp_listener_find(kn, a)) {
		NL_SET_ERR_MSG(extack, "this address is already in the listen list");
		return -EEXIST;
	}
	if (khttp_listener_count(kn) >= KHTTP_LISTEN_MAX) {
		NL_SET_ERR_MSG(extack, "the listen list is full (256 entries)");
		return -ENOSPC;
	}
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	err = khttp_stats_init(&l->stats);
	if (err)
		goto err_free;
	kref_init(&l->ref);
	l->addr = *a;
	l->kn = kn;
	l->tls = tls;
	INIT_WORK(&l->accept_work, khttp_accept_work);
	len = khttp_addr_to_sockaddr(a, &ss);

	err = sock_create_kern(kn->net, a->family, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot create a TCP socket for this address family");
		goto err_stats;
	}
	/* Rebinding right after a delete must not fail on TIME_WAIT. */
	sock_set_reuseaddr(sock->sk);
	/* Accepted sockets inherit it: no per-connection setsockopt. */
	tcp_sock_set_nodelay(sock->sk);
	/* [::]:80 means IPv6 only; 0.0.0.0:80 is its own entry. */
	if (a->family == AF_INET6)
		ip6_sock_set_v6only(sock->sk);
	err = kernel_bind(sock, (struct sockaddr *)&ss, len);
	if (err == -EADDRNOTAVAIL) {
		NL_SET_ERR_MSG(extack, "cannot listen: the address is not assigned to this host");
		goto err_sock;
	} else if (err == -EADDRINUSE) {
		NL_SET_ERR_MSG(extack, "cannot listen: the address and port are already in use by another socket");
		goto err_sock;
	} else if (err) {
		NL_SET_ERR_MSG(extack, "cannot bind the listening socket");
		goto err_sock;
	}
	err = kernel_listen(sock, KHTTP_BACKLOG);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot listen on the bound socket");
		goto err_sock;
	}
	l->sock = sock;
	write_lock_bh(&sock->sk->sk_callback_lock);
	l->saved_data_ready = sock->sk->sk_data_ready;
	sock->sk->sk_user_data = l;
	sock->sk->sk_data_ready = khttp_listen_data_ready;
	write_unlock_bh(&sock->sk->sk_callback_lock);
	list_add_tail(&l->node, &kn->listeners);
	/* Connections may have queued before the callback was set. */
	queue_work(khttp_wq, &l->accept_work);
	return 0;

err_sock:
	sock_release(sock);
err_stats:
	khttp_stats_free(&l->stats);
err_free:
	kfree(l);
	return err;
}

/* Close the listening socket; accepted connections keep their own. */
static void khttp_listener_stop(struct khttp_listener *l)
{
	struct sock *sk = l->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = l->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	/* After this no accept_work runs or is queued for l. */
	cancel_work_sync(&l->accept_work);
	WRITE_ONCE(l->dead, true);
	list_del(&l->node);
	sock_release(l->sock);
	l->sock = NULL;
	khttp_listener_put(l);
}

int khttp_listener_del(struct khttp_net *kn, const struct khttp_addr *a,
		       struct netlink_ext_ack *extack)
{
	struct khttp_listener *l;

	lockdep_assert_held(&khttp_conf_lock);
	l = khttp_listener_find(kn, a);
	if (!l) {
		NL_SET_ERR_MSG(extack, "this address is not in the listen list");
		return -ENOENT;
	}
	khttp_listener_stop(l);
	return 0;
}

void khttp_listeners_stop_all(struct khttp_net *kn)
{
	struct khttp_listener *l, *tmp;

	lockdep_assert_held(&khttp_conf_lock);
	list_for_each_entry_safe(l, tmp, &kn->listeners, node)
		khttp_listener_stop(l);
}
