// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the /dev/httpq ring's index and length checks and its wrapped
 * copies (ringidx.c), over every index a worker can write: aligned or
 * not, backwards, past the producer, wrapped around 2^32, records
 * shorter than their header, over KHTTP_REC_MAX, past what is published,
 * and records that straddle the ring's end.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "../kmod/httpqrec.c"
#include "../kmod/ringidx.c"

static void ring_head(struct kunit *test)
{
	static const struct {
		u32 seen, tail, head;
		int want;
	} v[] = {
		{ 0, 0, 0, 0 },			/* nothing taken, nothing there */
		{ 0, 64, 0, 0 },
		{ 0, 64, 32, 0 },
		{ 0, 64, 64, 0 },		/* all taken */
		{ 0, 64, 72, -EINVAL },		/* past the tail */
		{ 32, 64, 24, -EINVAL },	/* backwards */
		{ 32, 64, 36, -EINVAL },	/* unaligned */
		{ 0, 64, 0xfffffff8, -EINVAL },	/* "-8": backwards */
		{ 0xfffffff0, 0x10, 0x8, 0 },	/* across 2^32 */
		{ 0xfffffff0, 0x10, 0xfffffff8, 0 },
		{ 0xfffffff0, 0x10, 0x18, -EINVAL },
		{ 0xfffffff0, 0x10, 0xffffffe8, -EINVAL },
		{ 16, 16, 16, 0 },
		{ 16, 16, 24, -EINVAL },
		{ 0, KHTTP_RING_REQ_SIZE, KHTTP_RING_REQ_SIZE, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		KUNIT_EXPECT_EQ_MSG(test, khttp_ring_check_head(v[i].seen,
				    v[i].tail, v[i].head), v[i].want,
				    "case %zu", i);
}

static void ring_tail(struct kunit *test)
{
	const u32 size = KHTTP_RING_ANS_SIZE;
	static const struct {
		u32 head, tail;
		int want;
	} v[] = {
		{ 0, 0, 0 },
		{ 0, 16, 0 },
		{ 0, KHTTP_RING_ANS_SIZE, 0 },		/* full */
		{ 0, KHTTP_RING_ANS_SIZE + 8, -EINVAL },	/* overfull */
		{ 64, 56, -EINVAL },			/* behind the head */
		{ 64, 0, -EINVAL },
		{ 0, 12, -EINVAL },			/* unaligned */
		{ 0, 0xfffffff8, -EINVAL },
		{ 0xfffffff8, 0x8, 0 },			/* across 2^32 */
		{ 0xfffffff8, KHTTP_RING_ANS_SIZE - 8, 0 },
		{ 0xfffffff8, KHTTP_RING_ANS_SIZE, -EINVAL },
		{ 0x80000000, 0, -EINVAL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		KUNIT_EXPECT_EQ_MSG(test, khttp_ring_check_tail(v[i].head,
				    v[i].tail, size), v[i].want, "case %zu", i);
}

static void ring_rec_span(struct kunit *test)
{
	static const struct {
		u32 len, avail;
		int want;
		u32 span;
	} v[] = {
		{ 16, 16, 0, 16 },
		{ 17, 24, 0, 24 },		/* padding counts */
		{ 24, 64, 0, 24 },
		{ 15, 64, -EINVAL, 0 },		/* shorter than its header */
		{ 0, 64, -EINVAL, 0 },
		{ 72, 64, -EINVAL, 0 },		/* past what is published */
		{ 65, 64, -EINVAL, 0 },
		{ KHTTP_REC_MAX, KHTTP_REC_MAX, 0, KHTTP_REC_MAX },
		{ KHTTP_REC_MAX + 1, KHTTP_RING_ANS_SIZE, -EMSGSIZE, 0 },
		{ 0xffffffff, KHTTP_RING_ANS_SIZE, -EMSGSIZE, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		struct khttp_rec h = { .len = v[i].len,
				       .type = KHTTP_REC_RESPONSE };
		u32 span = 0;

		KUNIT_EXPECT_EQ_MSG(test, khttp_ring_rec_span(&h, v[i].avail,
				    &span), v[i].want, "case %zu", i);
		if (!v[i].want)
			KUNIT_EXPECT_EQ_MSG(test, span, v[i].span, "case %zu",
					    i);
	}
}

/* Records that straddle the end come out whole, and nothing else moves. */
static void ring_copy_wrap(struct kunit *test)
{
	const u32 size = 64;
	u8 *ring = kunit_kzalloc(test, size + 16, GFP_KERNEL);
	u8 src[40], dst[40];
	u32 i, idx;

	KUNIT_ASSERT_NOT_NULL(test, ring);
	for (i = 0; i < sizeof(src); i++)
		src[i] = i + 1;
	/* guard bytes after the ring stay untouched */
	memset(ring + size, 0xa5, 16);
	for (idx = 0; idx < 3 * size; idx += 8) {
		memset(ring, 0, size);
		khttp_ring_copy_in(ring, size, idx, src, sizeof(src));
		memset(dst, 0, sizeof(dst));
		khttp_ring_copy_out(dst, ring, size, idx, sizeof(dst));
		KUNIT_EXPECT_EQ_MSG(test, memcmp(src, dst, sizeof(src)), 0,
				    "idx %u", idx);
		/* the byte before the record is untouched */
		KUNIT_EXPECT_EQ(test, ring[(idx - 1) & (size - 1)], 0);
		khttp_ring_zero(ring, size, idx, sizeof(src));
		for (i = 0; i < size; i++)
			KUNIT_EXPECT_EQ(test, ring[i], 0);
	}
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, ring[size + i], 0xa5);
	/* a whole-ring record at any aligned index */
	khttp_ring_copy_in(ring, size, 0xfffffff8, src, 32);
	khttp_ring_copy_out(dst, ring, size, 0xfffffff8, 32);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, 32), 0);
	KUNIT_EXPECT_EQ(test, ring[size - 8], 1);
	KUNIT_EXPECT_EQ(test, ring[0], 9);
}

/*
 * What a doorbell does with a published stream, as httpqring.c walks it:
 * each header copied out, its span checked against what is left.  A
 * hostile stream (a record claiming the rest and more, or a zero length
 * that would loop forever) ends in -EINVAL after bounded steps.
 */
static void ring_walk(struct kunit *test)
{
	const u32 size = 256;
	u8 *ring = kunit_kzalloc(test, size, GFP_KERNEL);
	static const u32 lens[] = { 16, 40, 0, 300 };
	u32 head = 200, tail, steps = 0, k;

	KUNIT_ASSERT_NOT_NULL(test, ring);
	tail = head;
	for (k = 0; k < ARRAY_SIZE(lens); k++) {
		struct khttp_rec h = { .len = lens[k], .type = 4, .id = k };

		khttp_ring_copy_in(ring, size, tail, &h, sizeof(h));
		tail += 48;
	}
	KUNIT_EXPECT_EQ(test, khttp_ring_check_tail(head, tail, size), 0);
	while (head != tail && steps < 100) {
		struct khttp_rec h;
		u32 span;
		int err;

		khttp_ring_copy_out(&h, ring, size, head, sizeof(h));
		err = khttp_ring_rec_span(&h, tail - head, &span);
		if (err) {
			KUNIT_EXPECT_EQ(test, err, -EINVAL);
			KUNIT_EXPECT_EQ(test, h.id, 2ULL);	/* len 0 */
			break;
		}
		/* the records here are shorter than their slots */
		head += 48;
		steps++;
	}
	KUNIT_EXPECT_EQ(test, steps, 2U);
}

static struct kunit_case khttp_ring_cases[] = {
	KUNIT_CASE(ring_head),
	KUNIT_CASE(ring_tail),
	KUNIT_CASE(ring_rec_span),
	KUNIT_CASE(ring_copy_wrap),
	KUNIT_CASE(ring_walk),
	{}
};

static struct kunit_suite khttp_ring_suite = {
	.name = "khttp_ring",
	.test_cases = khttp_ring_cases,
};
kunit_test_suite(khttp_ring_suite);

MODULE_DESCRIPTION("KUnit tests for khttp's /dev/httpq ring indices");
MODULE_LICENSE("GPL");
