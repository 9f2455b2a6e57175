// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: validation of listen addresses sent by userspace (addr.c) and the
 * netlink policy's view of them.
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/module.h>
#include "../kmod/addr.c"

static struct khttp_addr v4(u8 a, u8 b, u8 c, u8 d, u16 port)
{
	struct khttp_addr x = { .family = AF_INET, .port = port };

	x.addr[0] = a;
	x.addr[1] = b;
	x.addr[2] = c;
	x.addr[3] = d;
	return x;
}

static struct khttp_addr v6(const char *s, u16 port, u32 scope)
{
	struct khttp_addr x = { .family = AF_INET6, .port = port,
				.scope_id = scope };

	WARN_ON(in6_pton(s, -1, x.addr, -1, NULL) != 1);
	return x;
}

static void addr_valid(struct kunit *test)
{
	struct netlink_ext_ack ext = {};
	struct khttp_addr a;

	a = v4(127, 0, 0, 1, 80);
	KUNIT_EXPECT_EQ(test, khttp_addr_check(&a, &ext), 0);
	a = v4(0, 0, 0, 0, 65535);
	KUNIT_EXPECT_EQ(test, khttp_addr_check(&a, &ext), 0);
	a = v6("::1", 8080, 0);
	KUNIT_EXPECT_EQ(test, khttp_addr_check(&a, &ext), 0);
	a = v6("fe80::1", 80, 2);
	KUNIT_EXPECT_EQ(test, khttp_addr_check(&a, &ext), 0);
	KUNIT_EXPECT_NULL(test, ext._msg);
}

static void addr_invalid(struct kunit *test)
{
	struct netlink_ext_ack ext = {};
	struct khttp_addr a;

	a = v4(127, 0, 0, 1, 0);
	KUNIT_EXPECT_EQ(test, khttp_addr_check(&a, &ext), -EINVAL);
	KUNIT_EXPECT_STREQ(test, ext._msg, "port must be between 1 and 65535");

	a = v4(127, 0, 0, 1, 80);
	a.family = AF_UNIX;
	KUNIT_EXPECT_EQ(test, khttp_addr_check(&a, &ext), -EAFNOSUPPORT);

	/* IPv4 with bytes past the fourth: ambiguous, refused. */
	a = v4(127, 0, 0, 1, 80);
	a.addr[9] = 1;
	KUNIT_EXPECT_EQ(test, khttp_addr_check(&a, &ext), -EINVAL);

	a = v4(127, 0, 0, 1, 80);
	a.scope_id = 1;
	KUNIT_EXPECT_EQ(test, khttp_addr_check(&a, &ext), -EINVAL);

	/* A scope id means nothing for a global address. */
	a = v6("2001:db8::1", 80, 3);
	KUNIT_EXPECT_EQ(test, khttp_addr_check(&a, &ext), -EINVAL);
	KUNIT_EXPECT_STREQ(test, ext._msg,
			   "a scope id is only valid for link-local IPv6 addresses");
}

static void addr_equal(struct kunit *test)
{
	struct khttp_addr a = v4(10, 0, 0, 1, 80), b = v4(10, 0, 0, 1, 80);

	KUNIT_EXPECT_TRUE(test, khttp_addr_equal(&a, &b));
	b.port = 81;
	KUNIT_EXPECT_FALSE(test, khttp_addr_equal(&a, &b));
	a = v6("fe80::1", 80, 2);
	b = v6("fe80::1", 80, 3);
	KUNIT_EXPECT_FALSE(test, khttp_addr_equal(&a, &b));
	b.scope_id = 2;
	KUNIT_EXPECT_TRUE(test, khttp_addr_equal(&a, &b));
}

static void addr_sockaddr(struct kunit *test)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct khttp_addr a = v4(192, 0, 2, 7, 8080);

	KUNIT_EXPECT_EQ(test, khttp_addr_to_sockaddr(&a, &ss),
			(int)sizeof(*sin));
	KUNIT_EXPECT_EQ(test, sin->sin_family, AF_INET);
	KUNIT_EXPECT_EQ(test, ntohs(sin->sin_port), 8080);
	KUNIT_EXPECT_EQ(test, ntohl(sin->sin_addr.s_addr), 0xc0000207U);

	a = v6("fe80::2", 443, 5);
	KUNIT_EXPECT_EQ(test, khttp_addr_to_sockaddr(&a, &ss),
			(int)sizeof(*sin6));
	KUNIT_EXPECT_EQ(test, sin6->sin6_family, AF_INET6);
	KUNIT_EXPECT_EQ(test, ntohs(sin6->sin6_port), 443);
	KUNIT_EXPECT_EQ(test, sin6->sin6_scope_id, 5U);
}

static struct kunit_case khttp_addr_cases[] = {
	KUNIT_CASE(addr_valid),
	KUNIT_CASE(addr_invalid),
	KUNIT_CASE(addr_equal),
	KUNIT_CASE(addr_sockaddr),
	{}
};

static struct kunit_suite khttp_addr_suite = {
	.name = "khttp_addr",
	.test_cases = khttp_addr_cases,
};
kunit_test_suite(khttp_addr_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for khttp listen addresses");
