// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the application pool core without the device or the network.
 * Admission and queue accounting with the high-water mark and the
 * rapid-fail window (poolacct.c); the /dev/httpq record ABI: request
 * records as encoded for workers, and the checks on records workers write
 * (httpqrec.c).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "../kmod/poolacct.c"
#include "../kmod/httpqrec.c"

/* ---- admission and queue accounting ---- */

static void pool_admit(struct kunit *test)
{
	static const struct {
		u8 state;
		bool dead;
		u32 queued, len;
		enum khttp_admit want;
	} v[] = {
		{ KHTTP_POOL_ACTIVE, false, 0, 1, KHTTP_ADMIT_OK },
		{ KHTTP_POOL_ACTIVE, false, 999, 1000, KHTTP_ADMIT_OK },
		{ KHTTP_POOL_ACTIVE, false, 1000, 1000, KHTTP_ADMIT_FULL },
		{ KHTTP_POOL_ACTIVE, false, 5, 3, KHTTP_ADMIT_FULL },
		{ KHTTP_POOL_ACTIVE, true, 0, 1000, KHTTP_ADMIT_STOPPED },
		{ KHTTP_POOL_INACTIVE, false, 0, 1000, KHTTP_ADMIT_STOPPED },
		/* stopped or failed says so even when the queue is full */
		{ KHTTP_POOL_INACTIVE, false, 1000, 1000, KHTTP_ADMIT_STOPPED },
		{ KHTTP_POOL_FAILED, false, 1000, 1000, KHTTP_ADMIT_FAILED },
		{ KHTTP_POOL_FAILED, false, 0, 1000, KHTTP_ADMIT_FAILED },
		{ KHTTP_POOL_FAILED, true, 0, 1000, KHTTP_ADMIT_STOPPED },
		{ 0, false, 0, 1000, KHTTP_ADMIT_STOPPED },
		{ 99, false, 0, 1000, KHTTP_ADMIT_STOPPED },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		KUNIT_EXPECT_EQ_MSG(test, khttp_pool_admit(v[i].state,
				    v[i].dead, v[i].queued, v[i].len),
				    v[i].want, "vector %zu", i);
}

static void pool_queue_accounting(struct kunit *test)
{
	struct khttp_qacct q = {};
	int i;

	/* Only the first request into an empty queue wakes a reader. */
	KUNIT_EXPECT_TRUE(test, khttp_qacct_enqueue(&q));
	for (i = 1; i < 5; i++)
		KUNIT_EXPECT_FALSE(test, khttp_qacct_enqueue(&q));
	KUNIT_EXPECT_EQ(test, q.queued, 5U);
	KUNIT_EXPECT_EQ(test, q.queued_max, 5U);
	KUNIT_EXPECT_EQ(test, q.in_hand, 0U);

	/* Draining lowers the depth, never the high-water mark. */
	khttp_qacct_deliver(&q);
	khttp_qacct_deliver(&q);
	KUNIT_EXPECT_EQ(test, q.queued, 3U);
	KUNIT_EXPECT_EQ(test, q.in_hand, 2U);
	KUNIT_EXPECT_EQ(test, q.queued_max, 5U);
	khttp_qacct_unqueue(&q, 1);	/* a client left, or timed out */
	KUNIT_EXPECT_EQ(test, q.queued, 2U);
	khttp_qacct_unqueue(&q, q.queued);	/* pool stopped: flushed */
	KUNIT_EXPECT_EQ(test, q.queued, 0U);
	KUNIT_EXPECT_EQ(test, q.queued_max, 5U);
	khttp_qacct_finish(&q, 1);
	KUNIT_EXPECT_EQ(test, q.in_hand, 1U);
	khttp_qacct_finish(&q, 1);
	KUNIT_EXPECT_EQ(test, q.in_hand, 0U);

	/* Empty again: the next one wakes; the mark moves only above 5. */
	KUNIT_EXPECT_TRUE(test, khttp_qacct_enqueue(&q));
	for (i = 1; i < 5; i++)
		KUNIT_EXPECT_FALSE(test, khttp_qacct_enqueue(&q));
	KUNIT_EXPECT_EQ(test, q.queued_max, 5U);
	khttp_qacct_enqueue(&q);
	KUNIT_EXPECT_EQ(test, q.queued, 6U);
	KUNIT_EXPECT_EQ(test, q.queued_max, 6U);
	/* Requests in hand are not waiting: they do not raise the mark. */
	for (i = 0; i < 6; i++)
		khttp_qacct_deliver(&q);
	khttp_qacct_enqueue(&q);
	KUNIT_EXPECT_EQ(test, q.in_hand, 6U);
	KUNIT_EXPECT_EQ(test, q.queued, 1U);
	KUNIT_EXPECT_EQ(test, q.queued_max, 6U);
}

/* ---- rapid-fail window ---- */

static void pool_rapid_fail_window(struct kunit *test)
{
	struct khttp_rapid_fail rf = {};
	unsigned long t0 = 1000;

	/* 3 deaths in 10 s: the third trips, at the window's last jiffy. */
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf, t0, 3, 10));
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf, t0 + HZ, 3, 10));
	KUNIT_EXPECT_TRUE(test, khttp_rapid_fail_death(&rf, t0 + 10 * HZ, 3,
						       10));
	/* Tripped stays tripped while deaths go on in the window. */
	KUNIT_EXPECT_TRUE(test, khttp_rapid_fail_death(&rf, t0 + 10 * HZ, 3,
						       10));

	/* A death after the window opens a new one: the count restarts. */
	khttp_rapid_fail_reset(&rf);
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf, t0, 3, 10));
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf, t0 + 5 * HZ, 3,
							10));
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf,
							t0 + 10 * HZ + 1, 3,
							10));
	KUNIT_EXPECT_EQ(test, rf.deaths, 1U);
	KUNIT_EXPECT_EQ(test, rf.window, t0 + 10 * HZ + 1);
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf, t0 + 12 * HZ, 3,
							10));
	KUNIT_EXPECT_TRUE(test, khttp_rapid_fail_death(&rf, t0 + 20 * HZ, 3,
						       10));

	/* Reset (new settings, pool restarted): old deaths do not count. */
	khttp_rapid_fail_reset(&rf);
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf, t0 + 21 * HZ, 3,
							10));
	KUNIT_EXPECT_EQ(test, rf.deaths, 1U);

	/* COUNT 0 is off; COUNT 1 trips at the first death. */
	khttp_rapid_fail_reset(&rf);
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf, t0, 0, 10));
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf, t0, 0, 10));
	khttp_rapid_fail_reset(&rf);
	KUNIT_EXPECT_TRUE(test, khttp_rapid_fail_death(&rf, t0, 1, 10));

	/* jiffies wrapping inside a window changes nothing. */
	khttp_rapid_fail_reset(&rf);
	t0 = ULONG_MAX - HZ;
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf, t0, 2, 5));
	KUNIT_EXPECT_TRUE(test, khttp_rapid_fail_death(&rf, t0 + 2 * HZ, 2,
						       5));
	khttp_rapid_fail_reset(&rf);
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf, t0, 2, 5));
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf, t0 + 6 * HZ, 2,
							5));
	/* The longest window the policy allows (86400 s). */
	khttp_rapid_fail_reset(&rf);
	KUNIT_EXPECT_FALSE(test, khttp_rapid_fail_death(&rf, 0, 2, 86400));
	KUNIT_EXPECT_TRUE(test, khttp_rapid_fail_death(&rf, 86400UL * HZ, 2,
						       86400));
}

/* ---- request records ---- */

static const struct khttp_addr pool_test_client = {
	.family = 2, .port = 40000, .addr = { 192, 0, 2, 7 },
};
static const struct khttp_addr pool_test_server = {
	.family = 2, .port = 80, .addr = { 192, 0, 2, 10 },
};

static void pool_test_src(struct khttp_req_src *s, const char *body,
			  u64 body_len)
{
	static const char hdrs[] = "Host: x\r\nX-A: b\r\n";

	*s = (struct khttp_req_src) {
		.id = 0x1122334455667788ULL,
		.client = &pool_test_client,
		.server = &pool_test_server,
		.method = KHTTP_HTTP_POST,
		.version = 11,
		.method_s = "POST",
		.method_len = 4,
		.target = "/app/x?y=1",
		.target_len = 10,
		.headers = hdrs,
		.headers_len = sizeof(hdrs) - 1,
		.body = body,
		.body_len = body_len,
	};
}

/* Encode a request with @body_len body bytes and read the records back. */
static void pool_req_records_one(struct kunit *test, u64 body_len)
{
	u32 fixed = sizeof(struct khttp_rec) + sizeof(struct khttp_req_info) +
		    4 + 10 + 17;
	u64 first = min_t(u64, body_len, KHTTP_REC_BODY_MAX), seen, nbody;
	const struct khttp_req_info *info;
	const struct khttp_rec *rec;
	struct khttp_req_src s;
	size_t size, off, i;
	char *body, *buf;
	u8 *p;

	body = kunit_kmalloc(test, body_len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, body);
	for (i = 0; i < body_len; i++)
		body[i] = 'a' + i % 23;
	pool_test_src(&s, body, body_len);
	KUNIT_ASSERT_EQ(test, khttp_req_rec_size(&s, &size), 0);
	nbody = body_len > first ?
		DIV_ROUND_UP(body_len - first, KHTTP_REC_BODY_MAX) : 0;
	KUNIT_EXPECT_EQ(test, size, ALIGN(fixed + first, KHTTP_REC_ALIGN) +
			nbody * sizeof(struct khttp_rec) +
			ALIGN(body_len - first, KHTTP_REC_ALIGN));
	/* Zeroed as the contract says, with a guard after the end. */
	buf = kunit_kzalloc(test, size + 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf + size, 0xa5, 64);
	KUNIT_ASSERT_EQ(test, khttp_req_rec_encode(&s, buf), size);
	for (i = 0; i < 64; i++)
		KUNIT_ASSERT_EQ(test, (u8)buf[size + i], 0xa5);

	rec = (const void *)buf;
	KUNIT_EXPECT_EQ(test, rec->len, fixed + (u32)first);
	KUNIT_EXPECT_EQ(test, rec->type, KHTTP_REC_REQUEST);
	KUNIT_EXPECT_EQ(test, rec->flags,
			body_len > first ? KHTTP_REC_F_MORE : 0);
	KUNIT_EXPECT_EQ(test, rec->id, s.id);
	info = (const void *)(rec + 1);
	KUNIT_EXPECT_EQ(test, memcmp(&info->client, &pool_test_client,
				     sizeof(info->client)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&info->server, &pool_test_server,
				     sizeof(info->server)), 0);
	KUNIT_EXPECT_EQ(test, info->method, KHTTP_HTTP_POST);
	KUNIT_EXPECT_EQ(test, info->version, 11);
	/* pool_test_src() is a plain http request. */
	KUNIT_EXPECT_EQ(test, info->tls_version, 0);
	KUNIT_EXPECT_EQ(test, info->tls_cipher, 0);
	KUNIT_EXPECT_EQ(test, info->reserved2, 0);
	KUNIT_EXPECT_EQ(test, info->method_len, 4U);
	KUNIT_EXPECT_EQ(test, info->target_len, 10U);
	KUNIT_EXPECT_EQ(test, info->headers_len, 17U);
	KUNIT_EXPECT_EQ(test, info->body_len, (u32)first);
	KUNIT_EXPECT_EQ(test, info->content_length, body_len);
	p = (u8 *)(info + 1);
	KUNIT_EXPECT_EQ(test, memcmp(p, "POST/app/x?y=1Host: x\r\nX-A: b\r\n",
				     31), 0);
	KUNIT_EXPECT_EQ(test, memcmp(p + 31, body, first), 0);
	seen = first;
	off = rec->len;
	/* Each record starts aligned; the padding is zero. */
	for (; off % KHTTP_REC_ALIGN; off++)
		KUNIT_EXPECT_EQ(test, buf[off], 0);
	while (off < size) {
		rec = (const void *)(buf + off);
		KUNIT_ASSERT_GT(test, rec->len, (u32)sizeof(*rec));
		KUNIT_ASSERT_LE(test, rec->len,
				(u32)sizeof(*rec) + KHTTP_REC_BODY_MAX);
		KUNIT_EXPECT_EQ(test, rec->type, KHTTP_REC_REQ_BODY);
		KUNIT_EXPECT_EQ(test, rec->id, s.id);
		KUNIT_EXPECT_EQ(test, memcmp(rec + 1, body + seen,
					     rec->len - sizeof(*rec)), 0);
		seen += rec->len - sizeof(*rec);
		KUNIT_EXPECT_EQ(test, rec->flags,
				seen < body_len ? KHTTP_REC_F_MORE : 0);
		off += rec->len;
		for (; off % KHTTP_REC_ALIGN; off++)
			KUNIT_EXPECT_EQ(test, buf[off], 0);
	}
	KUNIT_EXPECT_EQ(test, off, size);
	KUNIT_EXPECT_EQ(test, seen, body_len);
}

static void pool_req_records(struct kunit *test)
{
	static const u64 lens[] = {
		0, 1, 7, 8, 1000, KHTTP_REC_BODY_MAX - 1, KHTTP_REC_BODY_MAX,
		KHTTP_REC_BODY_MAX + 1, 2 * KHTTP_REC_BODY_MAX,
		3 * KHTTP_REC_BODY_MAX + 5,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lens); i++)
		pool_req_records_one(test, lens[i]);
}

/* A head too big for one record is refused before anything is copied. */
static void pool_req_record_limit(struct kunit *test)
{
	u32 fixed = sizeof(struct khttp_rec) + sizeof(struct khttp_req_info) +
		    4 + 10;
	struct khttp_req_src s;
	size_t size = 0;

	pool_test_src(&s, NULL, 0);
	s.headers_len = KHTTP_REC_MAX - fixed;
	KUNIT_EXPECT_EQ(test, khttp_req_rec_size(&s, &size), 0);
	KUNIT_EXPECT_EQ(test, size, (size_t)KHTTP_REC_MAX);
	s.headers_len++;
	KUNIT_EXPECT_EQ(test, khttp_req_rec_size(&s, &size), -E2BIG);
	/* The first body bytes count; later ones go in body records. */
	s.headers_len = KHTTP_REC_MAX - fixed - KHTTP_REC_BODY_MAX;
	s.body_len = 1ULL << 30;
	KUNIT_EXPECT_EQ(test, khttp_req_rec_size(&s, &size), 0);
	s.headers_len++;
	KUNIT_EXPECT_EQ(test, khttp_req_rec_size(&s, &size), -E2BIG);
	/* Lengths that would wrap a u32 sum. */
	s.body_len = 0;
	s.method_len = U32_MAX;
	s.headers_len = U32_MAX;
	KUNIT_EXPECT_EQ(test, khttp_req_rec_size(&s, &size), -E2BIG);
}

/* ---- records from workers ---- */

static void pool_rec_lengths(struct kunit *test)
{
	struct khttp_rec r = { .type = KHTTP_REC_RESPONSE };

	r.len = 0;
	KUNIT_EXPECT_EQ(test, khttp_rec_len_check(&r, 4096), -EINVAL);
	r.len = sizeof(r) - 1;
	KUNIT_EXPECT_EQ(test, khttp_rec_len_check(&r, 4096), -EINVAL);
	r.len = sizeof(r);
	KUNIT_EXPECT_EQ(test, khttp_rec_len_check(&r, sizeof(r)), 0);
	r.len = 100;
	KUNIT_EXPECT_EQ(test, khttp_rec_len_check(&r, 99), -EINVAL);
	KUNIT_EXPECT_EQ(test, khttp_rec_len_check(&r, 100), 0);
	r.len = KHTTP_REC_MAX;
	KUNIT_EXPECT_EQ(test, khttp_rec_len_check(&r, KHTTP_REC_MAX), 0);
	/* Over the maximum is EMSGSIZE, however much was written. */
	r.len = KHTTP_REC_MAX + 1;
	KUNIT_EXPECT_EQ(test, khttp_rec_len_check(&r, 100), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, khttp_rec_len_check(&r, SIZE_MAX), -EMSGSIZE);
	r.len = U32_MAX;
	KUNIT_EXPECT_EQ(test, khttp_rec_len_check(&r, SIZE_MAX), -EMSGSIZE);
}

static void pool_rec_types(struct kunit *test)
{
	static const struct {
		u16 type, flags;
		u64 id;
		int want;
	} v[] = {
		{ KHTTP_REC_RESPONSE, 0, 1, 0 },
		{ KHTTP_REC_RESPONSE, KHTTP_REC_F_MORE | KHTTP_REC_F_CACHE, 1,
		  0 },
		/* an abort is a body record's, never a response's */
		{ KHTTP_REC_RESPONSE, KHTTP_REC_F_ABORT, 1, -EINVAL },
		{ KHTTP_REC_RESPONSE, 0x8, 1, -EINVAL },
		{ KHTTP_REC_RESPONSE, 0x8000, 1, -EINVAL },
		{ KHTTP_REC_RESP_BODY, KHTTP_REC_F_MORE, 1, 0 },
		{ KHTTP_REC_RESP_BODY, KHTTP_REC_F_ABORT, 1, 0 },
		{ KHTTP_REC_RESP_BODY, KHTTP_REC_F_ABORT | KHTTP_REC_F_MORE, 1,
		  -EINVAL },
		{ KHTTP_REC_RESP_BODY, KHTTP_REC_F_ABORT | KHTTP_REC_F_CACHE, 1,
		  -EINVAL },
		{ KHTTP_REC_RESP_BODY, 0x8, 1, -EINVAL },
		{ KHTTP_REC_RESP_BODY, 0xffff, 1, -EINVAL },
		{ KHTTP_REC_INVALIDATE, 0, 0, 0 },
		{ KHTTP_REC_INVALIDATE, 0, 1, -EINVAL },
		{ KHTTP_REC_INVALIDATE, KHTTP_REC_F_MORE, 0, -EINVAL },
		/* kernel -> worker kinds, and unknown ones */
		{ KHTTP_REC_REQUEST, 0, 1, -EINVAL },
		{ KHTTP_REC_REQ_BODY, 0, 1, -EINVAL },
		{ 0, 0, 1, -EINVAL },
		{ 6, 0, 1, -EINVAL },
		{ 0xffff, 0, 1, -EINVAL },
	};
	struct khttp_rec r = { .len = sizeof(r) };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		r.type = v[i].type;
		r.flags = v[i].flags;
		r.id = v[i].id;
		KUNIT_EXPECT_EQ_MSG(test, khttp_rec_check(&r), v[i].want,
				    "vector %zu", i);
	}
	/* An abort carries no data. */
	r.type = KHTTP_REC_RESP_BODY;
	r.flags = KHTTP_REC_F_ABORT;
	r.id = 1;
	r.len = sizeof(r) + 1;
	KUNIT_EXPECT_EQ(test, khttp_rec_check(&r), -EINVAL);
	r.len = sizeof(r) + KHTTP_REC_ALIGN;
	KUNIT_EXPECT_EQ(test, khttp_rec_check(&r), -EINVAL);
}

static void pool_rec_headers(struct kunit *test)
{
	static const struct {
		const char *h;
		u32 len;	/* 0: strlen */
		int want;
	} v[] = {
		{ "", 0, 0 },
		{ "X-A: b\r\n", 0, 0 },
		{ "X-A:b\r\nContent-Type: text/plain\r\n", 0, 0 },
		{ "X: \t v \r\n", 0, 0 },
		{ "X:\r\n", 0, 0 },
		{ "X: caf\xc3\xa9\r\n", 0, 0 },		/* obs-text value */
		{ "!#$%&'*+-.^_`|~09az: x\r\n", 0, 0 },
		{ "Tee: x\r\nDates: y\r\n", 0, 0 },	/* not reserved */
		{ "X-A b\r\n", 0, -EINVAL },		/* no colon */
		{ ": b\r\n", 0, -EINVAL },		/* empty name */
		{ "X A: b\r\n", 0, -EINVAL },
		{ "X : b\r\n", 0, -EINVAL },
		{ "X\xe9: b\r\n", 0, -EINVAL },		/* non-ASCII name */
		{ "X: b\n", 0, -EINVAL },		/* bare LF */
		{ "X: b\r", 0, -EINVAL },		/* cut */
		{ "X: b", 0, -EINVAL },
		{ "X: a\rb\r\n", 0, -EINVAL },		/* bare CR */
		{ "X: a\nb\r\n", 0, -EINVAL },
		{ "X: a\x01\r\n", 0, -EINVAL },
		{ "X: a\x7f\r\n", 0, -EINVAL },
		{ "X: a\0b\r\n", 8, -EINVAL },		/* NUL */
		{ "X: b\r\n\r\n", 0, -EINVAL },		/* empty line */
		{ "X: b\r\n Y\r\n", 0, -EINVAL },	/* obs-fold */
		{ "Content-Length: 5\r\n", 0, -EINVAL },
		{ "X: a\r\ncontent-length: 5\r\n", 0, -EINVAL },
		{ "Transfer-Encoding: chunked\r\n", 0, -EINVAL },
		{ "CONNECTION: close\r\n", 0, -EINVAL },
		{ "Keep-Alive: 5\r\n", 0, -EINVAL },
		{ "Upgrade: h2c\r\n", 0, -EINVAL },
		{ "TE: trailers\r\n", 0, -EINVAL },
		{ "Trailer: X\r\n", 0, -EINVAL },
		{ "Date: x\r\n", 0, -EINVAL },
		{ "Server: x\r\n", 0, -EINVAL },
		{ "Proxy-Connection: x\r\n", 0, -EINVAL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		KUNIT_EXPECT_EQ_MSG(test, khttp_rec_headers_check(v[i].h,
				    v[i].len ? v[i].len : strlen(v[i].h)),
				    v[i].want, "header block %zu", i);
}

/* A RESPONSE record in @buf; @len_adj is added to its length. */
static u32 pool_test_resp(u64 *buf, u16 flags, u16 status, const char *h,
			  const char *body, u64 clen, int len_adj)
{
	struct khttp_rec *rec = (void *)buf;
	struct khttp_resp_info *ri = (void *)(rec + 1);
	u32 hl = strlen(h), bl = strlen(body);

	memset(buf, 0, 256);
	rec->type = KHTTP_REC_RESPONSE;
	rec->flags = flags;
	rec->id = 1;
	ri->status = status;
	ri->headers_len = hl;
	ri->body_len = bl;
	ri->content_length = clen;
	memcpy(ri + 1, h, hl);
	memcpy((char *)(ri + 1) + hl, body, bl);
	rec->len = sizeof(*rec) + sizeof(*ri) + hl + bl + len_adj;
	return rec->len;
}

static void pool_resp_records(struct kunit *test)
{
	const u16 more = KHTTP_REC_F_MORE;
	struct khttp_resp_info *ri;
	u64 buf[32], clen;
	u32 len;

	len = pool_test_resp(buf, 0, 200, "X: y\r\n", "hello", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), 0);
	KUNIT_EXPECT_EQ(test, clen, 5ULL);	/* whole: the body's length */
	len = pool_test_resp(buf, KHTTP_REC_F_CACHE, 404, "", "", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), 0);
	KUNIT_EXPECT_EQ(test, clen, 0ULL);
	len = pool_test_resp(buf, 0, 599, "", "", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), 0);

	/* Streamed: a total at least the first bytes, or chunked. */
	len = pool_test_resp(buf, more, 200, "", "abc", 10, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), 0);
	KUNIT_EXPECT_EQ(test, clen, 10ULL);
	len = pool_test_resp(buf, more, 200, "", "abc", 3, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), 0);
	len = pool_test_resp(buf, more, 200, "", "abc", 2, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);
	len = pool_test_resp(buf, more, 200, "", "abc", KHTTP_LENGTH_CHUNKED,
			     0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), 0);
	KUNIT_EXPECT_EQ(test, clen, KHTTP_LENGTH_CHUNKED);

	/* Status out of range. */
	len = pool_test_resp(buf, 0, 199, "", "", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);
	len = pool_test_resp(buf, 0, 100, "", "", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);
	len = pool_test_resp(buf, 0, 600, "", "", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);
	len = pool_test_resp(buf, 0, 0, "", "", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);

	/* 204 and 304 have no body, not even a streamed one. */
	len = pool_test_resp(buf, 0, 204, "", "", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), 0);
	len = pool_test_resp(buf, 0, 204, "", "x", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);
	len = pool_test_resp(buf, 0, 304, "", "x", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);
	len = pool_test_resp(buf, more, 304, "", "", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);

	/* Lengths that do not add up to the record's. */
	len = pool_test_resp(buf, 0, 200, "X: y\r\n", "hello", 0, 1);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);
	len = pool_test_resp(buf, 0, 200, "X: y\r\n", "hello", 0, -1);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);
	len = pool_test_resp(buf, 0, 200, "", "", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len - 1, &clen),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, sizeof(struct khttp_rec),
						   &clen), -EINVAL);
	len = pool_test_resp(buf, 0, 200, "X: y\r\n", "hello", 0, 0);
	ri = (void *)((struct khttp_rec *)buf + 1);
	ri->headers_len = U32_MAX;	/* the u32 sum would wrap */
	ri->body_len = len - sizeof(struct khttp_rec) - sizeof(*ri) + 1;
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);

	/* Reserved bytes, and headers the kernel refuses. */
	len = pool_test_resp(buf, 0, 200, "", "", 0, 0);
	ri->reserved = 1;
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);
	len = pool_test_resp(buf, 0, 200, "Content-Length: 1\r\n", "x", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);
	len = pool_test_resp(buf, 0, 200, "X: a\r\nInjected\r\n", "", 0, 0);
	KUNIT_EXPECT_EQ(test, khttp_resp_rec_check(buf, len, &clen), -EINVAL);
}

static struct kunit_case khttp_pool_cases[] = {
	KUNIT_CASE(pool_admit),
	KUNIT_CASE(pool_queue_accounting),
	KUNIT_CASE(pool_rapid_fail_window),
	KUNIT_CASE(pool_req_records),
	KUNIT_CASE(pool_req_record_limit),
	KUNIT_CASE(pool_rec_lengths),
	KUNIT_CASE(pool_rec_types),
	KUNIT_CASE(pool_rec_headers),
	KUNIT_CASE(pool_resp_records),
	{}
};

static struct kunit_suite khttp_pool_suite = {
	.name = "khttp_pool",
	.test_cases = khttp_pool_cases,
};
kunit_test_suite(khttp_pool_suite);

MODULE_DESCRIPTION("KUnit tests for khttp's pool accounting and httpq records");
MODULE_LICENSE("GPL");
