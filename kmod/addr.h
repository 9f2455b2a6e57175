/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses of listen entries (addr.c).
 */
#ifndef KHTTP_ADDR_H
#define KHTTP_ADDR_H

#include <linux/types.h>
#include <linux/khttp.h>

struct netlink_ext_ack;
struct sockaddr_storage;

/* addr.c */
int khttp_addr_check(const struct khttp_addr *a,
		     struct netlink_ext_ack *extack);
bool khttp_addr_equal(const struct khttp_addr *a, const struct khttp_addr *b);
int khttp_addr_to_sockaddr(const struct khttp_addr *a,
			   struct sockaddr_storage *ss);

#endif /* KHTTP_ADDR_H */
