// SPDX-License-Identifier: GPL-2.0
/*
 * Listen addresses (struct khttp_addr from the uapi header): validation of
 * what userspace sent, comparison, and conversion to a sockaddr.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/socket.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include "khttp.h"
#include "addr.h"

bool khttp_addr_equal(const struct khttp_addr *a, const struct khttp_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	       a->scope_id == b->scope_id &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

int khttp_addr_to_sockaddr(const struct khttp_addr *a,
			   struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(a->port);
		memcpy(&sin->sin_addr, a->addr, 4);
		return sizeof(*sin);
	}
	{
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(a->port);
		memcpy(&sin6->sin6_addr, a->addr, 16);
		sin6->sin6_scope_id = a->scope_id;
		return sizeof(*sin6);
	}
}

/* Validate an address coming from userspace; all bytes are untrusted. */
int khttp_addr_check(const struct khttp_addr *a, struct netlink_ext_ack *extack)
{
	static const u8 zero[16];

	if (a->family != AF_INET && a->family != AF_INET6) {
		NL_SET_ERR_MSG(extack, "address family must be IPv4 or IPv6");
		return -EAFNOSUPPORT;
	}
	if (!a->port) {
		NL_SET_ERR_MSG(extack, "port must be between 1 and 65535");
		return -EINVAL;
	}
	if (a->family == AF_INET &&
	    (memcmp(a->addr + 4, zero, 12) || a->scope_id)) {
		NL_SET_ERR_MSG(extack, "IPv4 address has stray bytes set");
		return -EINVAL;
	}
	if (a->family == AF_INET6 && a->scope_id &&
	    !(ipv6_addr_type((const struct in6_addr *)a->addr) &
	      IPV6_ADDR_LINKLOCAL)) {
		NL_SET_ERR_MSG(extack, "a scope id is only valid for link-local IPv6 addresses");
		return -EINVAL;
	}
	return 0;
}
