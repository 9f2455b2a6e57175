// SPDX-License-Identifier: GPL-2.0
/*
 * TLS connections.  khttp leaves records to the kernel's kTLS and the
 * handshake to a userspace agent (khttp-tlsd, a well-kept TLS library), the
 * pattern of the kernel's own net/handshake for NFS and NVMe-TCP: a
 * connection accepted on a "tls" listen entry is queued here; the agent
 * reads /dev/khttp-tls and gets the socket installed as a file descriptor
 * (the socket's own file, shared: khttp keeps its reference, so the socket
 * outlives whatever the agent does with its descriptor); it handshakes,
 * installs kTLS for both directions and writes the connection's id back.
 * khttp then checks that kTLS is really there (never plaintext on a TLS
 * entry) and runs its usual receive path on the socket, whose reads and
 * writes kTLS decrypts and encrypts.  The record ABI is documented in
 * include/uapi/linux/khttp.h.
 *
 * Each connection in a handshake has a struct khttp_tls_hs, on the queue
 * (not yet read) or the held list (read by the agent), under
 * khttp_tls_lock; the agent's side only touches it there.  The verdict
 * (handed back, failed, or the agent gone) takes it off the list and
 * queues the connection's work, which alone frees it (khttp_tls_poll(),
 * khttp_tls_timeout(), khttp_tls_forget()), so a connection closing
 * concurrently never races the agent.  The handshake timeout is the
 * connection's own timer (phase KHTTP_TLS in conn.c).
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/tls.h>
#include "khttp.h"
#include "conn.h"
#include "net.h"
#include "tls.h"
#include "tlsbind.h"

/* The request record reports kTLS's own numbers. */
static_assert(KHTTP_TLS_1_2 == TLS_1_2_VERSION);
static_assert(KHTTP_TLS_1_3 == TLS_1_3_VERSION);
static_assert(KHTTP_TLS_CIPHER_AES_GCM_128 == TLS_CIPHER_AES_GCM_128);
static_assert(KHTTP_TLS_CIPHER_AES_GCM_256 == TLS_CIPHER_AES_GCM_256);
static_assert(KHTTP_TLS_CIPHER_AES_CCM_128 == TLS_CIPHER_AES_CCM_128);
static_assert(KHTTP_TLS_CIPHER_CHACHA20_POLY1305 ==
	      TLS_CIPHER_CHACHA20_POLY1305);

struct khttp_tls_hs {
	struct list_head node;		/* on khttp_tls_queue or _held */
	struct khttp_conn *conn;
	u64 id;
	enum khttp_tls_state state;
	bool held;			/* the agent has the descriptor */
};

static DEFINE_SPINLOCK(khttp_tls_lock);
static LIST_HEAD(khttp_tls_queue);	/* waiting for the agent */
static LIST_HEAD(khttp_tls_held);	/* read by the agent, not handed back */
static u32 khttp_tls_pending;		/* on either list */
static u64 khttp_tls_next_id = 1;
static bool khttp_tls_agent_open;	/* one agent at a time */
static DECLARE_WAIT_QUEUE_HEAD(khttp_tls_wq);

int khttp_tls_attach_file(struct socket *sock)
{
	/* On failure sock_alloc_file() has released the socket. */
	return PTR_ERR_OR_ZERO(sock_alloc_file(sock, O_NONBLOCK, NULL));
}

int khttp_tls_begin(struct khttp_conn *c)
{
	struct khttp_tls_hs *hs;

	hs = kzalloc(sizeof(*hs), GFP_KERNEL);
	if (!hs)
		return -ENOMEM;
	hs->conn = c;
	hs->state = KHTTP_TLS_PENDING;
	spin_lock(&khttp_tls_lock);
	if (khttp_tls_pending >= READ_ONCE(khttp_conn_cfg(c)->tls_handshake_max)) {
		spin_unlock(&khttp_tls_lock);
		kfree(hs);
		return -ENOSPC;
	}
	hs->id = khttp_tls_next_id++;
	c->hs = hs;
	list_add_tail(&hs->node, &khttp_tls_queue);
	khttp_tls_pending++;
	spin_unlock(&khttp_tls_lock);
	/*
	 * Keyed, so that an agent's EPOLLEXCLUSIVE watch (one per --workers
	 * process) wakes one idle worker, not all of them for one connection.
	 */
	wake_up_interruptible_poll(&khttp_tls_wq, EPOLLIN | EPOLLRDNORM);
	return 0;
}

/*
 * Both directions of the socket go through kTLS (software or offload);
 * note the version and cipher kTLS runs, what the request records and the
 * access log report (the agent's word is not needed for it).
 */
static bool khttp_tls_installed(struct khttp_conn *c, struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	struct tls_context *ctx;
	bool ok = false;

	lock_sock(sk);
	if (icsk->icsk_ulp_ops && !strcmp(icsk->icsk_ulp_ops->name, "tls")) {
		ctx = tls_get_ctx(sk);
		ok = ctx && ctx->tx_conf != TLS_BASE &&
		     ctx->rx_conf != TLS_BASE;
		if (ok) {
			c->tls_version = ctx->prot_info.version;
			c->tls_cipher = ctx->prot_info.cipher_type;
		}
	}
	release_sock(sk);
	return ok;
}

/* Take @hs off its list; under khttp_tls_lock.  Was the agent holding it? */
static bool khttp_tls_unlink(struct khttp_tls_hs *hs,
			     enum khttp_tls_state state)
{
	lockdep_assert_held(&khttp_tls_lock);
	list_del(&hs->node);
	khttp_tls_pending--;
	hs->state = state;
	return hs->held;
}

enum khttp_tls_state khttp_tls_poll(struct khttp_conn *c)
{
	struct khttp_tls_hs *hs = c->hs;
	enum khttp_tls_state st;

	if (!hs)
		return KHTTP_TLS_FAILED;
	spin_lock(&khttp_tls_lock);
	st = hs->state;
	spin_unlock(&khttp_tls_lock);
	if (st == KHTTP_TLS_PENDING)
		return st;
	/* Off the lists: the verdict's writer is done with it. */
	c->hs = NULL;
	kfree(hs);
	if (st == KHTTP_TLS_READY && !khttp_tls_installed(c, c->sock->sk)) {
		pr_warn_ratelimited(KHTTP_LOG_PREFIX "TLS agent handed back a connection without kTLS; closed\n");
		st = KHTTP_TLS_FAILED;
	}
	return st;
}

/* Off the lists now, if still there; a held socket is shut for the agent. */
static bool khttp_tls_end(struct khttp_conn *c)
{
	struct khttp_tls_hs *hs = c->hs;
	bool was = false, held = false;

	if (!hs)
		return false;
	spin_lock(&khttp_tls_lock);
	if (hs->state == KHTTP_TLS_PENDING) {
		was = true;
		held = khttp_tls_unlink(hs, KHTTP_TLS_FAILED);
	}
	spin_unlock(&khttp_tls_lock);
	if (!was)
		return false;
	/* The agent's descriptor shares the socket: make it see the end. */
	if (held)
		kernel_sock_shutdown(c->sock, SHUT_RDWR);
	c->hs = NULL;
	kfree(hs);
	return true;
}

bool khttp_tls_timeout(struct khttp_conn *c)
{
	return khttp_tls_end(c);
}

void khttp_tls_forget(struct khttp_conn *c)
{
	khttp_tls_end(c);
	kfree(c->hs);		/* a verdict not yet polled */
	c->hs = NULL;
}

/* ---- /dev/khttp-tls ---- */

static int khttp_tls_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_NET_ADMIN))
		return -EPERM;
	spin_lock(&khttp_tls_lock);
	if (khttp_tls_agent_open) {
		spin_unlock(&khttp_tls_lock);
		return -EBUSY;
	}
	khttp_tls_agent_open = true;
	spin_unlock(&khttp_tls_lock);
	return nonseekable_open(inode, file);
}

/* The agent is gone: what it held fails; the queue waits for the next. */
static int khttp_tls_release(struct inode *inode, struct file *file)
{
	struct khttp_tls_hs *hs, *tmp;

	spin_lock(&khttp_tls_lock);
	list_for_each_entry_safe(hs, tmp, &khttp_tls_held, node) {
		khttp_tls_unlink(hs, KHTTP_TLS_FAILED);
		khttp_conn_wake(hs->conn);
	}
	khttp_tls_agent_open = false;
	spin_unlock(&khttp_tls_lock);
	return 0;
}

static ssize_t khttp_tls_read(struct file *file, char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct khttp_tls_conn rec = { .abi = KHTTP_TLS_ABI };
	struct khttp_tls_hs *hs;
	struct file *sf;
	int fd, err;

	if (count < sizeof(rec))
		return -EINVAL;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	for (;;) {
		spin_lock(&khttp_tls_lock);
		hs = list_first_entry_or_null(&khttp_tls_queue,
					      struct khttp_tls_hs, node);
		if (hs)
			break;
		spin_unlock(&khttp_tls_lock);
		err = -EAGAIN;
		if (file->f_flags & O_NONBLOCK)
			goto err_fd;
		err = wait_event_interruptible(khttp_tls_wq,
				!list_empty_careful(&khttp_tls_queue));
		if (err)
			goto err_fd;
	}
	list_move_tail(&hs->node, &khttp_tls_held);
	hs->held = true;
	/* The connection cannot close while hs is listed: its socket lives. */
	sf = get_file(hs->conn->sock->file);
	rec.fd = fd;
	rec.id = hs->id;
	rec.local = hs->conn->local;
	rec.peer = hs->conn->peer;
	rec.bindings_gen = khttp_tlsbind_gen(khttp_conn_net(hs->conn));
	spin_unlock(&khttp_tls_lock);
	if (copy_to_user(buf, &rec, sizeof(rec))) {
		/* Held but never seen: its timeout or our release ends it. */
		fput(sf);
		put_unused_fd(fd);
		return -EFAULT;
	}
	fd_install(fd, sf);
	return sizeof(rec);

err_fd:
	put_unused_fd(fd);
	return err;
}

static ssize_t khttp_tls_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct khttp_tls_done d;
	struct khttp_tls_hs *hs;

	if (count != sizeof(d))
		return -EINVAL;
	if (copy_from_user(&d, buf, sizeof(d)))
		return -EFAULT;
	if (d.reserved || d.status > 0)
		return -EINVAL;
	spin_lock(&khttp_tls_lock);
	list_for_each_entry(hs, &khttp_tls_held, node) {
		if (hs->id != d.id)
			continue;
		khttp_tls_unlink(hs, d.status ? KHTTP_TLS_FAILED :
				 KHTTP_TLS_READY);
		khttp_conn_wake(hs->conn);
		spin_unlock(&khttp_tls_lock);
		return sizeof(d);
	}
	spin_unlock(&khttp_tls_lock);
	return -ENOENT;
}

static __poll_t khttp_tls_poll_dev(struct file *file, poll_table *pt)
{
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &khttp_tls_wq, pt);
	if (!list_empty_careful(&khttp_tls_queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static const struct file_operations khttp_tls_fops = {
	.owner		= THIS_MODULE,
	.open		= khttp_tls_open,
	.release	= khttp_tls_release,
	.read		= khttp_tls_read,
	.write		= khttp_tls_write,
	.poll		= khttp_tls_poll_dev,
};

static struct miscdevice khttp_tls_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= KHTTP_TLS_DEVICE,
	.fops	= &khttp_tls_fops,
	.mode	= 0600,
};

int khttp_tls_init(void)
{
	return misc_register(&khttp_tls_dev);
}

void khttp_tls_exit(void)
{
	misc_deregister(&khttp_tls_dev);
}
