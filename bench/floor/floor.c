// SPDX-License-Identifier: GPL-2.0
/*
 * khttp_floor: the benchmark's floor, not part of khttp.  The least an
 * in-kernel HTTP responder can do: accept, read up to each blank line,
 * write one fixed reply of reply_bytes bytes, keep the connection open
 * (or, with close_after=1, close it after the replies due, as a server
 * answering "Connection: close" does).
 * No parsing, no routing, no cache, no accounting, but the same model as
 * khttp's (the socket's data_ready callback queues the connection's work
 * item, which reads without blocking until EAGAIN), so the row compares
 * khttp's cached answer with what the transport itself costs here.
 */
#include <linux/module.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/net.h>
#include <linux/inet.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <linux/tcp.h>

static char *addr = "127.0.0.3";
module_param(addr, charp, 0444);
MODULE_PARM_DESC(addr, "IPv4 address to listen on");
static ushort port = 80;
module_param(port, ushort, 0444);
static uint reply_bytes = 256;
module_param(reply_bytes, uint, 0444);
MODULE_PARM_DESC(reply_bytes, "size of the reply, head and body");
static bool close_after;
module_param(close_after, bool, 0444);
MODULE_PARM_DESC(close_after, "close the connection after its replies");

struct floor_conn {
	struct socket *sock;
	struct work_struct work;
	struct list_head node;
	void (*data_ready)(struct sock *sk);	/* the socket's own */
	void (*state_change)(struct sock *sk);
	bool closed;
	char buf[2048];
};

static struct socket *floor_listen;
static struct task_struct *floor_acceptor;
static struct workqueue_struct *floor_wq;
static char *floor_reply;
static size_t floor_reply_len;
static LIST_HEAD(floor_conns);
static DEFINE_MUTEX(floor_lock);
static bool floor_stopping;

/* data_ready and state_change (a FIN, a reset, our shutdown) alike. */
static void floor_wake(struct sock *sk)
{
	struct floor_conn *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (c)
		queue_work(floor_wq, &c->work);
	read_unlock_bh(&sk->sk_callback_lock);
}

/* @more: another reply follows at once (pipelined): let TCP batch them. */
static int floor_send(struct socket *s, const char *p, size_t len, bool more)
{
	while (len) {
		struct kvec v = { .iov_base = (void *)p, .iov_len = len };
		struct msghdr m = {
			.msg_flags = MSG_NOSIGNAL | (more ? MSG_MORE : 0),
		};
		int n = kernel_sendmsg(s, &m, &v, 1, len);

		if (n <= 0)
			return -EPIPE;
		p += n;
		len -= n;
	}
	return 0;
}

/* After the callback is gone nothing queues the work: free it unless a
 * run is still pending, which then finds it closed and frees it.
 */
static void floor_close(struct floor_conn *c)
{
	struct sock *sk = c->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = c->data_ready;
	sk->sk_state_change = c->state_change;
	write_unlock_bh(&sk->sk_callback_lock);
	c->closed = true;
	mutex_lock(&floor_lock);	/* floor_exit queues under it */
	if (work_pending(&c->work)) {
		mutex_unlock(&floor_lock);
		return;
	}
	list_del(&c->node);
	mutex_unlock(&floor_lock);
	sock_release(c->sock);
	kfree(c);
}

static void floor_serve(struct work_struct *w)
{
	struct floor_conn *c = container_of(w, struct floor_conn, work);
	char *buf = c->buf;
	int state = 0;	/* how much of "\r\n\r\n" was just seen */

	if (c->closed) {
		floor_close(c);
		return;
	}
	for (;;) {
		struct kvec v = { .iov_base = buf, .iov_len = sizeof(c->buf) };
		struct msghdr m = { .msg_flags = MSG_DONTWAIT };
		int n = kernel_recvmsg(c->sock, &m, &v, 1, sizeof(c->buf),
				       MSG_DONTWAIT);
		int i, due = 0;

		if (n == -EAGAIN)
			return;
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			char want = (state & 1) ? '\n' : '\r';

			if (buf[i] == want)
				state++;
			else
				state = buf[i] == '\r';
			if (state == 4) {
				due++;
				state = 0;
			}
		}
		if (!due)
			continue;
		while (due--)
			if (floor_send(c->sock, floor_reply, floor_reply_len,
				       due > 0))
				goto out;
		/* All read: the close sends FIN after the replies, no reset. */
		if (close_after)
			goto out;
	}
out:
	floor_close(c);
}

static int floor_accept(void *unused)
{
	while (!kthread_should_stop()) {
		struct floor_conn *c;
		struct socket *s;

		if (kernel_accept(floor_listen, &s, 0) < 0) {
			if (READ_ONCE(floor_stopping))
				break;
			continue;
		}
		c = kzalloc(sizeof(*c), GFP_KERNEL);
		if (!c) {
			sock_release(s);
			continue;
		}
		c->sock = s;
		/* As khttp and nginx (tcp_nodelay) do: no Nagle wait. */
		tcp_sock_set_nodelay(s->sk);
		INIT_WORK(&c->work, floor_serve);
		mutex_lock(&floor_lock);
		if (floor_stopping) {
			mutex_unlock(&floor_lock);
			sock_release(s);
			kfree(c);
			break;
		}
		/* Hooked before floor_exit can see it in the list. */
		write_lock_bh(&s->sk->sk_callback_lock);
		c->data_ready = s->sk->sk_data_ready;
		c->state_change = s->sk->sk_state_change;
		s->sk->sk_user_data = c;
		s->sk->sk_data_ready = floor_wake;
		s->sk->sk_state_change = floor_wake;
		write_unlock_bh(&s->sk->sk_callback_lock);
		list_add(&c->node, &floor_conns);
		mutex_unlock(&floor_lock);
		queue_work(floor_wq, &c->work);	/* bytes may be there already */
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int __init floor_init(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	/*
	 * The head is fixed (a six-digit length), the body the rest; a
	 * client told the connection closes does not write to it again.
	 */
	const char *fmt = close_after ?
		"HTTP/1.1 200 OK\r\nContent-Length: %06u\r\nConnection: close\r\n\r\n" :
		"HTTP/1.1 200 OK\r\nContent-Length: %06u\r\n\r\n";
	const int head = snprintf(NULL, 0, fmt, 0);
	int err;

	if (!in4_pton(addr, -1, (u8 *)&sin.sin_addr.s_addr, -1, NULL))
		return -EINVAL;
	if (reply_bytes < head + 1 || reply_bytes > 65536)
		return -EINVAL;
	floor_reply = kmalloc(reply_bytes + 1, GFP_KERNEL);
	if (!floor_reply)
		return -ENOMEM;
	if (scnprintf(floor_reply, reply_bytes + 1, fmt,
		      reply_bytes - head) != head) {
		kfree(floor_reply);
		return -EINVAL;
	}
	memset(floor_reply + head, 'f', reply_bytes - head);
	floor_reply_len = reply_bytes;

	floor_wq = alloc_workqueue("khttp_floor", 0, 0);
	if (!floor_wq) {
		err = -ENOMEM;
		goto free_reply;
	}
	err = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &floor_listen);
	if (err)
		goto free_wq;
	sock_set_reuseaddr(floor_listen->sk);
	err = kernel_bind(floor_listen, (struct sockaddr *)&sin, sizeof(sin));
	if (!err)
		err = kernel_listen(floor_listen, 1024);
	if (err)
		goto release;
	floor_acceptor = kthread_run(floor_accept, NULL, "khttp_floor");
	if (IS_ERR(floor_acceptor)) {
		err = PTR_ERR(floor_acceptor);
		goto release;
	}
	return 0;
release:
	sock_release(floor_listen);
free_wq:
	destroy_workqueue(floor_wq);
free_reply:
	kfree(floor_reply);
	return err;
}

static void __exit floor_exit(void)
{
	struct floor_conn *c;

	mutex_lock(&floor_lock);
	floor_stopping = true;
	list_for_each_entry(c, &floor_conns, node) {
		kernel_sock_shutdown(c->sock, SHUT_RDWR);
		queue_work(floor_wq, &c->work);
	}
	mutex_unlock(&floor_lock);
	kernel_sock_shutdown(floor_listen, SHUT_RDWR);
	kthread_stop(floor_acceptor);
	/* Each shut-down connection reads its end and frees itself. */
	for (;;) {
		bool empty;

		mutex_lock(&floor_lock);
		empty = list_empty(&floor_conns);
		mutex_unlock(&floor_lock);
		if (empty)
			break;
		msleep(20);
	}
	destroy_workqueue(floor_wq);
	sock_release(floor_listen);
	kfree(floor_reply);
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("make bench's floor: a canned-reply in-kernel responder");
