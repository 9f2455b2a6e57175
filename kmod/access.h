/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Access rules (access.c): nginx's allow/deny, per route.  A route holds
 * up to KHTTP_ACCESS_MAX rules in the order they were given; the first
 * rule whose CIDR holds the client decides, and a client no rule holds is
 * allowed (as nginx).  "all" is a rule of family 0.  An IPv4-mapped IPv6
 * client (::ffff:a.b.c.d, a dual-stack socket) is the IPv4 client
 * a.b.c.d: IPv4 rules match it, IPv6 rules do not.
 *
 * Plain C, no kernel calls: the KUnit suite kunit/access_test.c includes
 * it.  The rules are immutable once made; a route frees them with itself.
 */
#ifndef KHTTP_ACCESS_H
#define KHTTP_ACCESS_H

#include "compat.h"
#include <linux/khttp.h>

/* struct khttp_addr / khttp_access_rule family values (Linux ABI). */
#define KHTTP_ACCESS_AF_ALL	0
#define KHTTP_ACCESS_AF_INET	2
#define KHTTP_ACCESS_AF_INET6	10

struct khttp_access {
	u32 n;
	struct khttp_access_rule rule[];
};

/*
 * Whether @r is a rule khttp keeps as it is: a known action and family, a
 * prefix length the family has, no address bit set past it, zero padding.
 * Returns 0, or -EINVAL with *@errmsg set to a static extack message.
 */
int khttp_access_rule_check(const struct khttp_access_rule *r,
			    const char **errmsg);

/* The rules' size in bytes for @n rules. */
static inline size_t khttp_access_size(u32 n)
{
	return sizeof(struct khttp_access) +
	       n * sizeof(struct khttp_access_rule);
}

/*
 * Whether the client @peer may have an answer under @a (NULL: no rules):
 * the action of the first rule that holds it, else allowed.
 */
bool khttp_access_allowed(const struct khttp_access *a,
			  const struct khttp_addr *peer);

#endif /* KHTTP_ACCESS_H */
