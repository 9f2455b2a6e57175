// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the HTTP parser.  parser.c is plain C, so it is compiled
 * straight into this test module; the vectors are shared with the userspace
 * test (userspace/tests/test_parser.c) through parser_vectors.h.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "../kmod/parser.c"
#include "../kmod/chunked.c"
#include "../kmod/httpval.c"
#include "parser_vectors.h"

static void pv_desc(const char *s, char *desc)
{
	strscpy(desc, *s ? s : "(empty)", KUNIT_PARAM_DESC_SIZE);
}

static void req_desc(const struct pv_req *v, char *desc)
{
	pv_desc(v->name, desc);
}

static void chunk_desc(const struct pv_chunk *v, char *desc)
{
	pv_desc(v->name, desc);
}

static void path_desc(const struct pv_path *v, char *desc)
{
	pv_desc(v->in, desc);
}

static void date_desc(const struct pv_date *v, char *desc)
{
	pv_desc(v->s, desc);
}

static void range_desc(const struct pv_range *v, char *desc)
{
	pv_desc(v->v, desc);
}

KUNIT_ARRAY_PARAM(pv_reqs, pv_reqs, req_desc);
KUNIT_ARRAY_PARAM(pv_chunks, pv_chunks, chunk_desc);
KUNIT_ARRAY_PARAM(pv_paths, pv_paths, path_desc);
KUNIT_ARRAY_PARAM(pv_dates, pv_dates, date_desc);
KUNIT_ARRAY_PARAM(pv_ranges, pv_ranges, range_desc);

static void khttp_parser_request(struct kunit *test)
{
	const struct pv_req *v = test->param_value;
	struct khttp_req *r;
	const char *e;
	char *buf;
	u32 len, at;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	buf = pv_input_build(&v->in, &len);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	e = pv_req_check(v, r, buf, len, &at);
	khttp_free(buf);
	KUNIT_EXPECT_TRUE_MSG(test, !e, "%s: %s (at byte %u)", v->name,
			      e ? e : "", at);
}

static void khttp_parser_chunked(struct kunit *test)
{
	const struct pv_chunk *v = test->param_value;
	const char *e;
	char *buf, *out;
	u32 len, at;

	buf = pv_input_build(&v->in, &len);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	out = khttp_zalloc(len + 1);
	if (!out)
		khttp_free(buf);
	KUNIT_ASSERT_NOT_NULL(test, out);
	e = pv_chunk_check(v, buf, len, out, len, &at);
	khttp_free(out);
	khttp_free(buf);
	KUNIT_EXPECT_TRUE_MSG(test, !e, "%s: %s (cut %u)", v->name,
			      e ? e : "", at);
}

static void khttp_parser_path(struct kunit *test)
{
	const struct pv_path *v = test->param_value;
	const char *e = pv_path_check(v);

	KUNIT_EXPECT_TRUE_MSG(test, !e, "%s: %s", v->in, e ? e : "");
}

static void khttp_parser_date(struct kunit *test)
{
	const struct pv_date *v = test->param_value;
	const char *e = pv_date_check(v);

	KUNIT_EXPECT_TRUE_MSG(test, !e, "%s: %s", v->s, e ? e : "");
}

static void aenc_desc(const struct pv_aenc *v, char *desc)
{
	pv_desc(v->v, desc);
}

KUNIT_ARRAY_PARAM(pv_aencs, pv_aencs, aenc_desc);

static void khttp_parser_aenc(struct kunit *test)
{
	const struct pv_aenc *v = test->param_value;
	const char *e = pv_aenc_check(v);

	KUNIT_EXPECT_TRUE_MSG(test, !e, "%s: got 0x%x, want 0x%x", v->v,
			      khttp_accept_encoding(v->v, strlen(v->v)),
			      v->want);
}

static void khttp_parser_range(struct kunit *test)
{
	const struct pv_range *v = test->param_value;
	const char *e = pv_range_check(v);

	KUNIT_EXPECT_TRUE_MSG(test, !e, "%s: %s", v->v, e ? e : "");
}

/* The defaults the rest of the module relies on. */
static void khttp_parser_defaults(struct kunit *test)
{
	struct khttp_req r;
	struct khttp_limits lim = { .max_target = 16 };

	khttp_req_init(&r, NULL);
	KUNIT_EXPECT_EQ(test, r.max_head, (u32)KHTTP_DEFAULT_MAX_HEAD);
	KUNIT_EXPECT_EQ(test, r.max_target, (u32)KHTTP_DEFAULT_MAX_TARGET);
	KUNIT_EXPECT_EQ(test, r.max_headers, (u32)KHTTP_DEFAULT_MAX_HEADERS);
	khttp_req_init(&r, &lim);
	KUNIT_EXPECT_EQ(test, r.max_target, 16U);
	KUNIT_EXPECT_EQ(test, r.max_head, (u32)KHTTP_DEFAULT_MAX_HEAD);
}

static struct kunit_case khttp_parser_cases[] = {
	KUNIT_CASE(khttp_parser_defaults),
	KUNIT_CASE_PARAM(khttp_parser_request, pv_reqs_gen_params),
	KUNIT_CASE_PARAM(khttp_parser_chunked, pv_chunks_gen_params),
	KUNIT_CASE_PARAM(khttp_parser_path, pv_paths_gen_params),
	KUNIT_CASE_PARAM(khttp_parser_date, pv_dates_gen_params),
	KUNIT_CASE_PARAM(khttp_parser_range, pv_ranges_gen_params),
	KUNIT_CASE_PARAM(khttp_parser_aenc, pv_aencs_gen_params),
	{}
};

static struct kunit_suite khttp_parser_suite = {
	.name = "khttp_parser",
	.test_cases = khttp_parser_cases,
};
kunit_test_suite(khttp_parser_suite);

MODULE_DESCRIPTION("KUnit tests for the khttp HTTP parser");
MODULE_LICENSE("GPL");
