/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The objects of the khttp family as typed C values: netlink.c (the only
 * file that knows attributes) parses a request into a *_spec and calls the
 * owner's typed function, and fills a reply from the *_info the owner's
 * walk function hands it.  A walk calls @fn for each object from index
 * @skip on, stops when @fn returns non-zero, and returns how many objects
 * @fn took (or a negative error).
 */
#ifndef KHTTP_NLOBJ_H
#define KHTTP_NLOBJ_H

#include <linux/types.h>
#include <linux/khttp.h>

struct netlink_ext_ack;
struct khttp_net;
struct khttp_access;

/* router.c */
struct khttp_errpage_spec;
struct khttp_rhdrs;
struct khttp_errpages;

struct khttp_route_spec {
	const char *prefix;
	u8 type;			/* enum khttp_route_type */
	const char *target;		/* dir, pool or redirect; or NULL */
	bool cache;
	u64 max_bps;			/* 0: no cap */
	bool precompressed;		/* static: FILE.br, FILE.gz too */
	const struct khttp_access *access; /* checked rules (copied), or NULL */
	u16 redirect_status;		/* redirect routes; 0: the default */
	bool keep_path;			/* redirect routes */
	u32 nhdrs;			/* added header lines, without CRLF */
	const char *hdrs[KHTTP_ROUTE_HEADER_MAX];
	u32 hdr_lens[KHTTP_ROUTE_HEADER_MAX];
	u32 nerrpages;
	const struct khttp_errpage_spec *errpages;
};

struct khttp_route_info {
	const char *prefix;
	u8 type;
	const char *dir;		/* static routes */
	const char *pool;		/* pool routes */
	const char *redirect;		/* redirect routes: the target */
	u16 redirect_status;
	bool keep_path;
	bool cache;
	u64 max_bps;			/* 0: no cap */
	bool precompressed;
	bool reachable;
	const struct khttp_access *access; /* or NULL */
	const struct khttp_rhdrs *hdrs;		/* or NULL */
	const struct khttp_errpages *errpages;	/* or NULL */
};

int khttp_route_add(struct khttp_net *kn, const struct khttp_route_spec *s,
		    struct netlink_ext_ack *extack);
long khttp_route_walk(struct khttp_net *kn, long skip,
		      int (*fn)(const struct khttp_route_info *ri, void *arg),
		      void *arg);

/* pool.c; a setting is given when its KHTTP_A_POOL_* bit is in @set. */
struct khttp_pool_spec {
	const char *name;
	u32 set;
	u32 queue_length;
	u32 queue_timeout_ms;
	u32 rf_count;
	u32 rf_seconds;
	u32 uid;
	u32 gid;
	u16 mode;
	u8 verbosity;
	u8 state;
};

#define KHTTP_POOL_HAS(s, f)	((s)->set & BIT(KHTTP_A_POOL_##f))

struct khttp_pool_info {
	const char *name;
	u32 queue_length;
	u32 queue_timeout_ms;
	u32 rf_count;
	u32 rf_seconds;
	u32 uid;
	u32 gid;
	u16 mode;
	u8 verbosity;
	u8 state;
	u32 queued;
	u32 queued_max;
	u32 in_hand;
	u32 readers;
	u64 stats[__KHTTP_PSTAT_MAX];
};

int khttp_pool_add(struct khttp_net *kn, const struct khttp_pool_spec *s,
		   struct netlink_ext_ack *extack);
int khttp_pool_set(struct khttp_net *kn, const struct khttp_pool_spec *s,
		   struct netlink_ext_ack *extack);
int khttp_pool_del(struct khttp_net *kn, const char *name, bool force,
		   struct netlink_ext_ack *extack);
long khttp_pool_walk(struct khttp_net *kn, long skip,
		     int (*fn)(const struct khttp_pool_info *pi, void *arg),
		     void *arg);

/* cachectl.c */
struct khttp_cache_info {
	const char *key;
	u32 size;
	u64 hits;
	u32 age_ms;
	bool has_ttl;			/* cached files have none */
	u32 ttl_ms;
	u16 status;
	const char *file;		/* a cached file's path, or NULL */
};

long khttp_cache_list(struct khttp_net *kn, long skip,
		      int (*fn)(const struct khttp_cache_info *ci, void *arg),
		      void *arg);

/* tlsbind.c: exactly one of @addr or @host (with @port). */
struct khttp_tlsbind_spec {
	const struct khttp_addr *addr;
	const char *host;
	u16 port;
	const char *cert;		/* add only */
	const char *key;		/* add only */
};

struct khttp_tlsbind_info {
	const struct khttp_addr *addr;	/* or NULL */
	const char *host;		/* or NULL */
	u16 port;			/* host bindings */
	const char *cert;
	const char *key;
	u32 gen;
};

int khttp_tlsbind_add(struct khttp_net *kn, const struct khttp_tlsbind_spec *s,
		      struct netlink_ext_ack *extack);
int khttp_tlsbind_del(struct khttp_net *kn, const struct khttp_tlsbind_spec *s,
		      struct netlink_ext_ack *extack);
long khttp_tlsbind_walk(struct khttp_net *kn, long skip,
			int (*fn)(const struct khttp_tlsbind_info *bi, void *arg),
			void *arg);

/* log.c builds one of these per answered request; netlink.c sends it. */
struct khttp_log_event {
	u64 time_ns;
	const struct khttp_addr *client;
	const struct khttp_addr *server;
	const char *method;		/* any string may be NULL: left out */
	const char *target;
	const char *host;
	const char *referer;
	const char *ua;
	u8 version;
	u16 status;
	u64 bytes;
	u32 duration_us;
	u8 source;			/* enum khttp_log_source */
	u16 tls_version, tls_cipher;	/* 0: http, left out */
	u64 lost;
};

struct net;
bool khttp_nl_log_wanted(struct net *net);
int khttp_nl_log_send(struct net *net, const struct khttp_log_event *ev);

#endif /* KHTTP_NLOBJ_H */
