/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's response cache (cachectl.c): its one instance, keys for
 * requests, answers from it and stores into it.
 */
#ifndef KHTTP_CACHECTL_H
#define KHTTP_CACHECTL_H

#include <linux/types.h>
#include <linux/khttp.h>
#include "cache.h"

struct khttp_conn;
struct khttp_net;
struct netlink_callback;
struct sk_buff;

/* cachectl.c: the response cache as the module uses it. */
extern struct khttp_cache khttp_cache;
u64 khttp_now_ms(void);
int khttp_cachectl_init(void);
void khttp_cachectl_exit(void);
void khttp_cache_stats(u64 v[__KHTTP_STAT_MAX]);
bool khttp_cache_key_in(const char *key, u32 len, const char *tag,
			u32 taglen);
u32 khttp_cache_flush_tag(const char *tag, u32 taglen, const char *prefix,
			  u32 len, u64 owner);
u32 khttp_cache_flush_net(struct khttp_net *kn, const char *prefix, u32 len);
void khttp_cache_forget_net(struct khttp_net *kn);
int khttp_cache_make_key(struct khttp_conn *c, const char *path, u32 pathlen);
int khttp_cache_make_file_key(struct khttp_conn *c, const char *path,
			      u32 pathlen);
void khttp_cache_respond(struct khttp_conn *c, struct khttp_centry *e);
void khttp_cache_store(struct khttp_centry *e, u64 owner, bool cacheable,
		       u16 status, const char *hdrs, u32 hdrs_len,
		       const char *body, u32 body_len, u32 ttl);

#endif /* KHTTP_CACHECTL_H */
