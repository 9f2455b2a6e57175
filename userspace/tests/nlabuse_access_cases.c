// SPDX-License-Identifier: GPL-2.0
/*
 * nlabuse's cases for a route's access rules (KHTTP_A_ROUTE_ACCESS, one
 * struct khttp_access_rule per attribute) and the kernel-answered route
 * types (metrics, status): each hostile value refused with a message, the
 * route table unchanged; 64 good rules taken, 65 refused.
 */
#include "nlabuse.h"

#define AF4	2
#define AF6	10

static void put_rule(struct msg *m, uint8_t action, uint8_t fam,
		     uint8_t len, const uint8_t *addr, size_t alen,
		     uint8_t pad, size_t attrlen)
{
	uint8_t buf[32] = { action, fam, len, pad };

	if (addr)
		memcpy(buf + 4, addr, alen);
	mnl_attr_put(m->nlh, KHTTP_A_ROUTE_ACCESS, attrlen, buf);
}

static void route_msg(struct msg *m, uint8_t cmd, uint8_t type)
{
	DO(*m, cmd);
	put_str(m, KHTTP_A_ROUTE_PREFIX, "/abuse-access/");
	mnl_attr_put_u8(m->nlh, KHTTP_A_ROUTE_TYPE, type);
	if (type == KHTTP_ROUTE_STATIC)
		put_str(m, KHTTP_A_ROUTE_DIR, "/srv/www");
}

void access_rules(void)
{
	static const uint8_t net10[4] = { 10 }, host10[4] = { 10, 1, 2, 3 };
	static const uint8_t db8[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	static const uint8_t db8h[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t stray6[16] = { 10, 0, 0, 0, 1 };
	struct msg m;
	int i;

	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_ALLOW, AF4, 8, net10, 4, 0, 19);
	expect_refused("access/short", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_ALLOW, AF4, 8, net10, 4, 0, 21);
	expect_refused("access/long", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_ALLOW, AF4, 8, net10, 4, 0, 0);
	expect_refused("access/empty", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, 0, AF4, 8, net10, 4, 0, 20);
	expect_refused("access/action-0", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, 3, AF4, 8, net10, 4, 0, 20);
	expect_refused("access/action-3", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_DENY, 7, 8, net10, 4, 0, 20);
	expect_refused("access/family-7", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_DENY, AF4, 33, net10, 4, 0, 20);
	expect_refused("access/ipv4-len-33", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_DENY, AF4, 255, net10, 4, 0, 20);
	expect_refused("access/ipv4-len-255", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_DENY, AF6, 129, db8, 16, 0, 20);
	expect_refused("access/ipv6-len-129", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_ALLOW, AF4, 8, host10, 4, 0, 20);
	expect_refused("access/ipv4-host-bits", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_ALLOW, AF6, 32, db8h, 16, 0, 20);
	expect_refused("access/ipv6-host-bits", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_ALLOW, AF4, 32, stray6, 16, 0, 20);
	expect_refused("access/ipv4-stray-bytes", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_DENY, 0, 8, NULL, 0, 0, 20);
	expect_refused("access/all-with-length", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_DENY, 0, 0, net10, 4, 0, 20);
	expect_refused("access/all-with-address", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_ALLOW, AF4, 8, net10, 4, 0x80, 20);
	expect_refused("access/pad", &m, EINVAL, EXT_MSG, 0);
	/* a good rule, then a bad one: nothing is added */
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	put_rule(&m, KHTTP_ACCESS_ALLOW, AF4, 8, net10, 4, 0, 20);
	put_rule(&m, KHTTP_ACCESS_DENY, AF4, 40, net10, 4, 0, 20);
	expect_refused("access/good-then-bad", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	for (i = 0; i <= KHTTP_ACCESS_MAX; i++)
		put_rule(&m, KHTTP_ACCESS_DENY, AF4, 32, host10, 4, 0, 20);
	expect_refused("access/65-rules", &m, E2BIG, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATIC);
	for (i = 0; i < KHTTP_ACCESS_MAX; i++)
		put_rule(&m, KHTTP_ACCESS_DENY, AF4, 32, host10, 4, 0, 20);
	expect_ok("access/64-rules", &m, NULL);
	DO(m, KHTTP_CMD_ROUTE_DEL);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse-access/");
	expect_ok("access/64-rules-del", &m, NULL);
	DO(m, KHTTP_CMD_ROUTE_DEL);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse-access/");
	put_rule(&m, KHTTP_ACCESS_DENY, 0, 0, NULL, 0, 0, 20);
	expect_refused("access/route-del-takes-none", &m, EINVAL, EXT_MSG, 0);
	msg_new(&m, family, KHTTP_CMD_ROUTE_GET, NLM_F_DUMP);
	put_rule(&m, KHTTP_ACCESS_DENY, 0, 0, NULL, 0, 0, 20);
	expect_refused("access/route-get-takes-none", &m, EINVAL, EXT_MSG, 0);

	/* the kernel-answered types take no target and no cache setting */
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_METRICS);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("metrics/with-dir", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_STATUS);
	put_str(&m, KHTTP_A_ROUTE_POOL, "abusepool");
	expect_refused("status/with-pool", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_METRICS);
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_CACHE, 1);
	expect_refused("metrics/with-cache", &m, EINVAL, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, 0);
	expect_refused("route/type-0", &m, EPOLICY, EXT_MSG, 0);
	/* redirect is the last type (after metrics and status) */
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, KHTTP_ROUTE_REDIRECT + 1);
	expect_refused("route/type-past-redirect", &m, EPOLICY, EXT_MSG, 0);
	route_msg(&m, KHTTP_CMD_ROUTE_ADD, 255);
	expect_refused("route/type-255", &m, EPOLICY, EXT_MSG, 0);
}
