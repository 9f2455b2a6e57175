// SPDX-License-Identifier: GPL-2.0
/*
 * Access rules: nginx's allow/deny for a route, checked once per request
 * before anything answers it (the cache included), so a refused client
 * gets 403 and never a cached answer.  Plain C (see access.h): a rule is a
 * CIDR compared bytewise, the first that holds the client wins.
 */
#include "access.h"

static const u8 khttp_v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* Whether the first @bits bits of @a and @b are equal. */
static bool khttp_access_prefix_eq(const u8 *a, const u8 *b, u32 bits)
{
	u32 bytes = bits / 8, rest = bits % 8;
	u8 mask;

	if (memcmp(a, b, bytes))
		return false;
	if (!rest)
		return true;
	mask = (u8)(0xff << (8 - rest));
	return !((a[bytes] ^ b[bytes]) & mask);
}

int khttp_access_rule_check(const struct khttp_access_rule *r,
			    const char **errmsg)
{
	u32 alen, i;

	if (r->action != KHTTP_ACCESS_ALLOW && r->action != KHTTP_ACCESS_DENY) {
		*errmsg = "access rule: the action must be allow (1) or deny (2)";
		return -EINVAL;
	}
	if (r->pad) {
		*errmsg = "access rule: pad must be zero";
		return -EINVAL;
	}
	switch (r->family) {
	case KHTTP_ACCESS_AF_ALL:
		alen = 0;
		break;
	case KHTTP_ACCESS_AF_INET:
		alen = 4;
		break;
	case KHTTP_ACCESS_AF_INET6:
		alen = 16;
		break;
	default:
		*errmsg = "access rule: the family must be 0 (all), AF_INET or AF_INET6";
		return -EINVAL;
	}
	if (r->prefix_len > alen * 8) {
		*errmsg = r->family == KHTTP_ACCESS_AF_INET ?
			  "access rule: an IPv4 prefix length is at most 32" :
			  r->family == KHTTP_ACCESS_AF_INET6 ?
			  "access rule: an IPv6 prefix length is at most 128" :
			  "access rule: 'all' takes no prefix length";
		return -EINVAL;
	}
	/* Canonical: no host bits, nothing past the family's address. */
	for (i = 0; i < sizeof(r->addr); i++) {
		u8 keep;

		if (i * 8 + 8 <= r->prefix_len)
			keep = 0xff;
		else if (i * 8 >= r->prefix_len)
			keep = 0;
		else
			keep = (u8)(0xff << (8 - r->prefix_len % 8));
		if (r->addr[i] & ~keep) {
			*errmsg = i < alen ?
				  "access rule: the address has bits set past the prefix length (host bits); give the network address" :
				  "access rule: the address has bytes set past its family's length";
			return -EINVAL;
		}
	}
	return 0;
}

static bool khttp_access_match(const struct khttp_access_rule *r, u16 family,
			       const u8 *addr)
{
	if (r->family == KHTTP_ACCESS_AF_ALL)
		return true;
	return r->family == family &&
	       khttp_access_prefix_eq(r->addr, addr, r->prefix_len);
}

bool khttp_access_allowed(const struct khttp_access *a,
			  const struct khttp_addr *peer)
{
	u16 family = peer->family;
	const u8 *addr = peer->addr;
	u32 i;

	if (!a)
		return true;
	/* A dual-stack socket's IPv4 client is that IPv4 client. */
	if (family == KHTTP_ACCESS_AF_INET6 &&
	    !memcmp(addr, khttp_v4mapped, sizeof(khttp_v4mapped))) {
		family = KHTTP_ACCESS_AF_INET;
		addr += sizeof(khttp_v4mapped);
	}
	for (i = 0; i < a->n; i++)
		if (khttp_access_match(&a->rule[i], family, addr))
			return a->rule[i].action == KHTTP_ACCESS_ALLOW;
	return true;
}
