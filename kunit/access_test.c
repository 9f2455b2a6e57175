// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: access rules (access.c) -- the CIDR match, first match wins, no
 * match allows, IPv4-mapped IPv6 clients, and the checks netlink applies
 * to each rule (host bits, lengths, families, padding).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include "../kmod/access.c"

#define A_ALLOW	KHTTP_ACCESS_ALLOW
#define A_DENY	KHTTP_ACCESS_DENY

static struct khttp_access_rule v4(u8 act, u8 a, u8 b, u8 c, u8 d, u8 len)
{
	struct khttp_access_rule r = { act, KHTTP_ACCESS_AF_INET, len };

	r.addr[0] = a;
	r.addr[1] = b;
	r.addr[2] = c;
	r.addr[3] = d;
	return r;
}

static struct khttp_access_rule v6(u8 act, const u8 addr[16], u8 len)
{
	struct khttp_access_rule r = { act, KHTTP_ACCESS_AF_INET6, len };

	memcpy(r.addr, addr, 16);
	return r;
}

static struct khttp_access_rule all(u8 act)
{
	return (struct khttp_access_rule){ act, KHTTP_ACCESS_AF_ALL, 0 };
}

static struct khttp_addr peer4(u8 a, u8 b, u8 c, u8 d)
{
	struct khttp_addr p = { .family = KHTTP_ACCESS_AF_INET };

	p.addr[0] = a;
	p.addr[1] = b;
	p.addr[2] = c;
	p.addr[3] = d;
	return p;
}

static struct khttp_addr peer6(const u8 addr[16])
{
	struct khttp_addr p = { .family = KHTTP_ACCESS_AF_INET6 };

	memcpy(p.addr, addr, 16);
	return p;
}

static const u8 db8[16] = { 0x20, 0x01, 0x0d, 0xb8 };
static const u8 db8_host[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				 0, 0, 0, 0, 0, 0, 0, 0x42 };
static const u8 db9_host[16] = { 0x20, 0x01, 0x0d, 0xb9, 0, 0, 0, 0,
				 0, 0, 0, 0, 0, 0, 0, 1 };
static const u8 loop6[16] = { [15] = 1 };
static const u8 mapped_10_1_2_3[16] = { [10] = 0xff, [11] = 0xff,
					[12] = 10, [13] = 1, [14] = 2,
					[15] = 3 };

/* A rule set of up to 8 rules, for the vectors. */
struct acc8 {
	struct khttp_access a;
	struct khttp_access_rule r[8];
};

static void access_no_rules(struct kunit *test)
{
	struct khttp_addr p = peer4(192, 0, 2, 1);
	struct acc8 s = { .a.n = 0 };

	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(NULL, &p));
	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(&s.a, &p));
}

static void access_first_match(struct kunit *test)
{
	struct khttp_addr in = peer4(10, 9, 8, 7), out = peer4(11, 0, 0, 1);
	struct acc8 s = { .a.n = 2 };

	/* allow 10.0.0.0/8; deny all */
	s.r[0] = v4(A_ALLOW, 10, 0, 0, 0, 8);
	s.r[1] = all(A_DENY);
	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(&s.a, &in));
	KUNIT_EXPECT_FALSE(test, khttp_access_allowed(&s.a, &out));
	/* deny all; allow 10.0.0.0/8: the first rule wins, all are out */
	s.r[0] = all(A_DENY);
	s.r[1] = v4(A_ALLOW, 10, 0, 0, 0, 8);
	KUNIT_EXPECT_FALSE(test, khttp_access_allowed(&s.a, &in));
	/* deny 10.9.0.0/16; allow 10.0.0.0/8; deny all */
	s.a.n = 3;
	s.r[0] = v4(A_DENY, 10, 9, 0, 0, 16);
	s.r[1] = v4(A_ALLOW, 10, 0, 0, 0, 8);
	s.r[2] = all(A_DENY);
	KUNIT_EXPECT_FALSE(test, khttp_access_allowed(&s.a, &in));
	in = peer4(10, 10, 0, 1);
	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(&s.a, &in));
	/* only deny rules, none matching: allowed, as nginx */
	s.a.n = 1;
	s.r[0] = v4(A_DENY, 192, 0, 2, 0, 24);
	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(&s.a, &out));
}

static void access_prefix_lengths(struct kunit *test)
{
	struct acc8 s = { .a.n = 1 };
	struct khttp_addr p;

	/* /0 of a family matches that family only */
	s.r[0] = v4(A_DENY, 0, 0, 0, 0, 0);
	p = peer4(203, 0, 113, 9);
	KUNIT_EXPECT_FALSE(test, khttp_access_allowed(&s.a, &p));
	p = peer6(loop6);
	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(&s.a, &p));
	/* a /32 is one host; a /25 splits a byte */
	s.r[0] = v4(A_DENY, 127, 0, 0, 2, 32);
	p = peer4(127, 0, 0, 2);
	KUNIT_EXPECT_FALSE(test, khttp_access_allowed(&s.a, &p));
	p = peer4(127, 0, 0, 1);
	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(&s.a, &p));
	s.r[0] = v4(A_DENY, 192, 0, 2, 128, 25);
	p = peer4(192, 0, 2, 127);
	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(&s.a, &p));
	p = peer4(192, 0, 2, 128);
	KUNIT_EXPECT_FALSE(test, khttp_access_allowed(&s.a, &p));
	p = peer4(192, 0, 2, 255);
	KUNIT_EXPECT_FALSE(test, khttp_access_allowed(&s.a, &p));
}

static void access_ipv6(struct kunit *test)
{
	struct acc8 s = { .a.n = 2 };
	struct khttp_addr p;

	s.r[0] = v6(A_ALLOW, db8, 32);
	s.r[1] = all(A_DENY);
	p = peer6(db8_host);
	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(&s.a, &p));
	p = peer6(db9_host);
	KUNIT_EXPECT_FALSE(test, khttp_access_allowed(&s.a, &p));
	s.r[0] = v6(A_ALLOW, loop6, 128);
	p = peer6(loop6);
	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(&s.a, &p));
	/* an IPv4 client never matches an IPv6 rule */
	s.r[0] = v6(A_ALLOW, db8, 0);
	p = peer4(10, 0, 0, 1);
	KUNIT_EXPECT_FALSE(test, khttp_access_allowed(&s.a, &p));
}

static void access_v4mapped(struct kunit *test)
{
	struct khttp_addr p = peer6(mapped_10_1_2_3);
	struct acc8 s = { .a.n = 2 };
	static const u8 mapped96[16] = { [10] = 0xff, [11] = 0xff };

	/* ::ffff:10.1.2.3 is 10.1.2.3 to IPv4 rules */
	s.r[0] = v4(A_ALLOW, 10, 0, 0, 0, 8);
	s.r[1] = all(A_DENY);
	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(&s.a, &p));
	s.r[0] = v4(A_DENY, 10, 1, 2, 3, 32);
	s.r[1] = all(A_ALLOW);
	KUNIT_EXPECT_FALSE(test, khttp_access_allowed(&s.a, &p));
	/* and an IPv4 client, so IPv6 rules do not see it */
	s.r[0] = v6(A_DENY, mapped96, 96);
	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(&s.a, &p));
}

static void access_rule_check(struct kunit *test)
{
	struct khttp_access_rule r;
	const char *msg = NULL;

	r = v4(A_ALLOW, 10, 0, 0, 0, 8);
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), 0);
	r = all(A_DENY);
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), 0);
	r = v6(A_ALLOW, db8, 32);
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), 0);
	r = v6(A_ALLOW, db8_host, 128);
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), 0);
	r = v4(A_ALLOW, 192, 0, 2, 128, 25);
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), 0);

	/* host bits: 10.1.2.3/8, 192.0.2.129/25, 2001:db8::42/32 */
	msg = NULL;
	r = v4(A_ALLOW, 10, 1, 2, 3, 8);
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, msg);
	KUNIT_EXPECT_NOT_NULL(test, strstr(msg, "host bits"));
	r = v4(A_ALLOW, 192, 0, 2, 129, 25);
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
	r = v6(A_ALLOW, db8_host, 32);
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
	/* lengths past the family's */
	r = v4(A_ALLOW, 10, 0, 0, 0, 33);
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(msg, "at most 32"));
	r = v6(A_ALLOW, db8, 129);
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
	r = all(A_DENY);
	r.prefix_len = 1;
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
	/* bytes past an IPv4 address, an address on "all" */
	r = v4(A_ALLOW, 10, 0, 0, 0, 8);
	r.addr[4] = 1;
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
	r = all(A_DENY);
	r.addr[0] = 10;
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
	/* actions, families, padding */
	r = all(0);
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
	r = all(3);
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
	r = v4(A_ALLOW, 10, 0, 0, 0, 8);
	r.family = 1;
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
	r.family = 255;
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
	r = v4(A_ALLOW, 10, 0, 0, 0, 8);
	r.pad = 1;
	KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), -EINVAL);
}

/* Every /N of an address: the matcher and the host-bit check agree. */
static void access_every_length(struct kunit *test)
{
	struct acc8 s = { .a.n = 1 };
	struct khttp_addr p = peer6(db8_host);
	const char *msg;
	int len;

	for (len = 0; len <= 128; len++) {
		struct khttp_access_rule r = v6(A_DENY, db8_host, len);
		int i;

		/* clear the host bits, as httpctl does */
		for (i = 0; i < 16; i++) {
			if (i * 8 >= len)
				r.addr[i] = 0;
			else if (i * 8 + 8 > len)
				r.addr[i] &= (u8)(0xff << (8 - len % 8));
		}
		KUNIT_EXPECT_EQ(test, khttp_access_rule_check(&r, &msg), 0);
		s.r[0] = r;
		KUNIT_EXPECT_FALSE(test, khttp_access_allowed(&s.a, &p));
	}
	/* db9 differs from db8 in bit 31: /31 holds both, /32 does not */
	p = peer6(db9_host);
	s.r[0] = v6(A_DENY, db8, 31);
	KUNIT_EXPECT_FALSE(test, khttp_access_allowed(&s.a, &p));
	s.r[0] = v6(A_DENY, db8, 32);
	KUNIT_EXPECT_TRUE(test, khttp_access_allowed(&s.a, &p));
}

static struct kunit_case khttp_access_cases[] = {
	KUNIT_CASE(access_no_rules),
	KUNIT_CASE(access_first_match),
	KUNIT_CASE(access_prefix_lengths),
	KUNIT_CASE(access_ipv6),
	KUNIT_CASE(access_v4mapped),
	KUNIT_CASE(access_rule_check),
	KUNIT_CASE(access_every_length),
	{}
};

static struct kunit_suite khttp_access_suite = {
	.name = "khttp_access",
	.test_cases = khttp_access_cases,
};
kunit_test_suite(khttp_access_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for khttp access rules");
