// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: rate accounting for route throttling (token bucket arithmetic
 * and the bucket itself) and per-client connection counting.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include "../kmod/qos.c"

/* qos.c reads the module's limits; this suite owns its own copy. */
struct khttp_config khttp_cfg;

static void qos_refill(struct kunit *test)
{
	const u64 rate = 256 * 1024, burst = 26214;

	/* Half a second at 256 KiB/s is 128 KiB, capped at the burst. */
	KUNIT_EXPECT_EQ(test, khttp_tokens_refill(0, 1 << 30, rate,
						  NSEC_PER_SEC / 2), rate / 2);
	KUNIT_EXPECT_EQ(test, khttp_tokens_refill(0, burst, rate,
						  NSEC_PER_SEC), burst);
	KUNIT_EXPECT_EQ(test, khttp_tokens_refill(100, burst, rate, 0), 100ULL);
	/* The largest rate over a long sleep: no overflow, burst-capped. */
	KUNIT_EXPECT_EQ(test, khttp_tokens_refill(0, burst, 1ULL << 40,
						  U64_MAX / 4), burst);
	/* 1 byte/s for a millisecond: nothing yet. */
	KUNIT_EXPECT_EQ(test, khttp_tokens_refill(0, burst, 1,
						  NSEC_PER_MSEC), 0ULL);
}

static void qos_wait(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, khttp_tokens_wait(5000, 4096, 1000), 0ULL);
	/* 4096 bytes at 256 KiB/s: 1/64 s. */
	KUNIT_EXPECT_EQ(test, khttp_tokens_wait(0, 4096, 256 * 1024),
			NSEC_PER_SEC / 64);
	/* Rounded up, never zero while tokens are short. */
	KUNIT_EXPECT_EQ(test, khttp_tokens_wait(0, 1, 3), 333333334ULL);
}

static void qos_bucket(struct kunit *test)
{
	struct khttp_bucket *b = khttp_bucket_new(256 * 1024);
	u64 wait = 0, got;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b->burst, 26214ULL);
	/* A full bucket grants its burst, then makes the sender wait. */
	got = khttp_bucket_take(b, 1 << 20, &wait);
	KUNIT_EXPECT_GE(test, got, 26214ULL);
	KUNIT_EXPECT_LE(test, got, 26214ULL + 4096);
	KUNIT_EXPECT_EQ(test, khttp_bucket_take(b, 1 << 20, &wait), 0ULL);
	KUNIT_EXPECT_GT(test, wait, 0ULL);
	KUNIT_EXPECT_LE(test, wait, (u64)NSEC_PER_SEC / 64);
	/* Unsent bytes come back. */
	khttp_bucket_refund(b, 8192);
	KUNIT_EXPECT_GE(test, khttp_bucket_take(b, 8192, &wait), 8192ULL);
	khttp_bucket_put(b);
}

static struct khttp_addr qos_v4(u8 c, u8 d)
{
	struct khttp_addr a = { .family = AF_INET, .port = 1234 };

	a.addr[0] = 10;
	a.addr[2] = c;
	a.addr[3] = d;
	return a;
}

static void qos_client_limits(struct kunit *test)
{
	struct khttp_addr a = qos_v4(0, 1), b = qos_v4(0, 2), o = qos_v4(1, 1);

	khttp_cfg.max_conns_per_client = 2;
	khttp_cfg.max_conns_per_prefix = 3;
	KUNIT_EXPECT_TRUE(test, khttp_client_get(&khttp_cfg, 0, &a));
	KUNIT_EXPECT_TRUE(test, khttp_client_get(&khttp_cfg, 0, &a));
	KUNIT_EXPECT_FALSE(test, khttp_client_get(&khttp_cfg, 0, &a));	/* per address */
	KUNIT_EXPECT_TRUE(test, khttp_client_get(&khttp_cfg, 0, &b));
	KUNIT_EXPECT_FALSE(test, khttp_client_get(&khttp_cfg, 0, &b));	/* per /24 */
	KUNIT_EXPECT_TRUE(test, khttp_client_get(&khttp_cfg, 0, &o));	/* another /24 */
	khttp_client_put(0, &a);
	KUNIT_EXPECT_TRUE(test, khttp_client_get(&khttp_cfg, 0, &b));
	khttp_client_put(0, &a);
	khttp_client_put(0, &b);
	khttp_client_put(0, &b);
	khttp_client_put(0, &o);
	/* Everything counted was released: the table is empty again. */
	{
		struct khttp_client *cl;
		int bkt, n = 0;

		hash_for_each(khttp_clients, bkt, cl, node)
			n++;
		KUNIT_EXPECT_EQ(test, n, 0);
	}
	khttp_cfg.max_conns_per_client = 0;
	khttp_cfg.max_conns_per_prefix = 0;
}

static struct kunit_case khttp_qos_cases[] = {
	KUNIT_CASE(qos_refill),
	KUNIT_CASE(qos_wait),
	KUNIT_CASE(qos_bucket),
	KUNIT_CASE(qos_client_limits),
	{}
};

static struct kunit_suite khttp_qos_suite = {
	.name = "khttp_qos",
	.test_cases = khttp_qos_cases,
};
kunit_test_suite(khttp_qos_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for khttp rate accounting and client limits");
