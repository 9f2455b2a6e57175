/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khttp internals shared between the module's files.
 */
#ifndef KHTTP_H
#define KHTTP_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <linux/khttp.h>
#include "parser.h"

#define KHTTP_LOG_PREFIX "khttp: "

/* Tunables; changed over netlink, read locklessly on the data path. */
struct khttp_config {
	u32 max_conns;
	u32 max_header_bytes;
	u64 max_body_bytes;
	u32 header_timeout_ms;
	u32 idle_timeout_ms;
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

/* stats.c: per-cpu counters, indexed by enum khttp_stat. */
struct khttp_stats {
	u64 __percpu *cnt;
};

int khttp_stats_init(struct khttp_stats *s);
void khttp_stats_free(struct khttp_stats *s);
void khttp_stats_sum(const struct khttp_stats *s, u64 out[__KHTTP_STAT_MAX]);
int khttp_stats_put(struct sk_buff *skb, const struct khttp_stats *s,
		    s64 conn_active);

static inline void khttp_stat_add(struct khttp_stats *s, int idx, u64 v)
{
	this_cpu_add(s->cnt[idx], v);
}

extern struct khttp_stats khttp_global_stats;

/* addr.c */
struct sockaddr_storage;
int khttp_addr_check(const struct khttp_addr *a,
		     struct netlink_ext_ack *extack);
bool khttp_addr_equal(const struct khttp_addr *a, const struct khttp_addr *b);
int khttp_addr_to_sockaddr(const struct khttp_addr *a,
			   struct sockaddr_storage *ss);

/* listener.c: the IP listen list. */
struct khttp_listener {
	struct list_head node;		/* khttp_listeners, under conf lock */
	struct kref ref;		/* list + each connection */
	struct khttp_addr addr;
	struct socket *sock;
	struct work_struct accept_work;
	struct khttp_stats stats;
	atomic_t conns;			/* connections from this entry */
	bool dead;			/* deleted; connections wind down */
	void (*saved_data_ready)(struct sock *sk);
};

extern struct list_head khttp_listeners;
int khttp_listener_add(const struct khttp_addr *a,
		       struct netlink_ext_ack *extack);
int khttp_listener_del(const struct khttp_addr *a,
		       struct netlink_ext_ack *extack);
void khttp_listener_put(struct khttp_listener *l);
void khttp_listeners_stop_all(void);
u32 khttp_listener_count(void);

/* conn.c: accepted connections. */
enum khttp_phase {
	KHTTP_IDLE,	/* waiting for the first byte of a request */
	KHTTP_HEAD,	/* reading a request head (header timeout runs) */
	KHTTP_BODY,	/* discarding a request body we do not use */
	KHTTP_SEND,	/* sending a response */
	KHTTP_LINGER,	/* response sent, write side shut, draining input */
	KHTTP_CLOSED,
};

struct khttp_conn {
	struct list_head node;		/* khttp_conns, under its spinlock */
	struct socket *sock;
	struct khttp_listener *listener;	/* holds a reference */
	struct work_struct work;	/* all processing, serialised */
	struct work_struct free_work;
	struct timer_list timer;
	unsigned long deadline;
	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);
	struct khttp_addr local;

	enum khttp_phase phase;
	bool timer_fired;
	bool keep_alive;
	bool requests_seen;
	bool req_new;			/* next head starts a new request */

	/* Request head; allocated while a request is in flight. */
	char *buf;
	u32 buf_len;
	u32 buf_cap;
	struct khttp_req req;

	/* Body being discarded. */
	u64 body_left;
	bool body_chunked;
	struct khttp_chunked chunk;

	/* Response: head bytes, then an optional file range. */
	char *out;
	u32 out_len;
	u32 out_off;
	struct file *file;
	loff_t file_pos;
	u64 file_left;
};

void khttp_conn_start(struct khttp_listener *l, struct socket *sock);
void khttp_conns_stop_all(void);
s64 khttp_conn_active(void);

/* Building responses (conn.c). */
#define KHTTP_OUT_SIZE 1024
int khttp_resp_begin(struct khttp_conn *c, u16 status);
__printf(2, 3) void khttp_resp_add(struct khttp_conn *c, const char *fmt, ...);
void khttp_resp_end(struct khttp_conn *c, const char *body, u32 len,
		    bool head_only);
void khttp_resp_error(struct khttp_conn *c, u16 status);
const char *khttp_reason(u16 status);

/* static.c: files from a route's directory. */
struct path;
struct dentry;
struct vfsmount;

/*
 * Exported by fs/namei.c but declared only in fs/internal.h: the one VFS
 * call that resolves a name relative to a directory with lookup flags, which
 * is what LOOKUP_BENEATH needs.
 */
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);
void khttp_static_serve(struct khttp_conn *c, const struct path *root,
			const char *rel, const char *urlpath);
int khttp_static_send(struct khttp_conn *c);

/* router.c: the route table, replaced as a whole under RCU. */
struct khttp_route;
int khttp_router_init(void);
void khttp_router_exit(void);
int khttp_route_add(const char *prefix, u8 type, const char *target,
		    struct netlink_ext_ack *extack);
int khttp_route_del(const char *prefix, struct netlink_ext_ack *extack);
u32 khttp_route_count(void);
int khttp_route_dump(struct sk_buff *skb, struct netlink_callback *cb);
int khttp_route_dispatch(struct khttp_conn *c, const char *path, u32 pathlen);

/* netlink.c */
extern struct genl_family khttp_family;
int khttp_netlink_init(void);
void khttp_netlink_exit(void);

#endif /* KHTTP_H */
