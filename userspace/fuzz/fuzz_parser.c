// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/parser.c, built in userspace with ASan/UBSan.
 *
 * Every input goes through every entry point, so one corpus (raw requests,
 * chunked bodies, paths, dates, Range values) serves them all:
 *   - khttp_parse(): fed whole, split in two at an input-derived offset
 *     (the first piece in an exact-size copy, so overreads trap), and one
 *     byte at a time; with the default limits and with small ones.  The
 *     answer must not depend on the split, and a DONE head must describe
 *     itself consistently (spans inside the head, CL xor chunked, ...).
 *   - khttp_chunked_feed(): the input itself, and the body after a parsed
 *     head, fed whole, cut at an offset and byte by byte; same answer,
 *     same decoded bytes.
 *   - khttp_path_normalize(): the input and a parsed head's path; the
 *     output is a clean absolute path and normalising it again is a no-op.
 *   - khttp_parse_http_date() / khttp_http_date(): round trip.
 *   - khttp_range_parse(): bounds inside the representation.
 * A violated property calls abort(), which libFuzzer reports as a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_parser: %s:%d: %s\n", __FILE__,	\
			__LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static u32 hash32(const u8 *d, size_t n)
{
	u32 h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ d[i]) * 16777619u;
	return h;
}

static void check_span(const struct khttp_req *r, struct khttp_span s)
{
	CHECK(s.off <= r->head_len && s.len <= r->head_len - s.off);
}

/* The result part of the request (everything from ->status on). */
#define RES_OFF offsetof(struct khttp_req, status)

static bool same_result(const struct khttp_req *a, const struct khttp_req *b,
			int ret)
{
	if (ret == KHTTP_ERROR)
		return a->status == b->status;
	if (ret != KHTTP_DONE)
		return true;
	return !memcmp((const char *)a + RES_OFF, (const char *)b + RES_OFF,
		       sizeof(*a) - RES_OFF);
}

static void check_done(const struct khttp_req *r, const char *buf, size_t len)
{
	CHECK(r->head_len > 0 && r->head_len <= len);
	CHECK(r->head_len <= r->max_head);
	CHECK(r->head_len >= 4 && !memcmp(buf + r->head_len - 4, "\r\n\r\n", 4));
	CHECK(r->version == 10 || r->version == 11);
	CHECK(r->method != KHTTP_METHOD_NONE);
	CHECK(!(r->has_cl && r->chunked));
	CHECK(r->nheaders <= r->max_headers);
	CHECK(r->method_span.len > 0);
	check_span(r, r->method_span);
	check_span(r, r->target);
	CHECK(r->target.len > 0 && r->target.len <= r->max_target);
	check_span(r, r->path);
	if (r->has_query)
		check_span(r, r->query);
	if (r->has_host || r->host.len)
		check_span(r, r->host);
	if (r->has_if_none_match)
		check_span(r, r->if_none_match);
	if (r->has_if_modified_since)
		check_span(r, r->if_modified_since);
	if (r->has_range)
		check_span(r, r->range);
	if (r->has_if_range)
		check_span(r, r->if_range);
	if (r->version == 11 && r->form == KHTTP_FORM_ORIGIN)
		CHECK(r->has_host);
}

static void check_error(const struct khttp_req *r)
{
	switch (r->status) {
	case 400: case 414: case 417: case 431: case 501: case 505:
		break;
	default:
		CHECK(!"unexpected error status");
	}
}

/* Parse @data with @lim fed whole, split at @k, and byte by byte. */
static int parse_all_ways(const u8 *data, size_t len,
			  const struct khttp_limits *lim, size_t k,
			  struct khttp_req *out)
{
	const char *buf = (const char *)data;
	struct khttp_req r, s;
	int ret, r2;
	size_t i;
	char *tmp;

	khttp_req_init(&r, lim);
	ret = khttp_parse(&r, buf, len);
	CHECK(ret == KHTTP_DONE || ret == KHTTP_ERROR || ret == KHTTP_NEED_MORE);
	if (ret == KHTTP_DONE)
		check_done(&r, buf, len);
	else if (ret == KHTTP_ERROR)
		check_error(&r);
	/* the answer is sticky */
	s = r;
	CHECK(khttp_parse(&s, buf, len) == ret && same_result(&r, &s, ret));

	/* split in two: the first piece in an exact-size allocation */
	if (k > 0 && k < len) {
		khttp_req_init(&s, lim);
		tmp = malloc(k);
		CHECK(tmp);
		memcpy(tmp, buf, k);
		r2 = khttp_parse(&s, tmp, k);
		free(tmp);
		if (r2 != KHTTP_NEED_MORE)
			CHECK(r2 == ret && same_result(&r, &s, ret));
		else
			r2 = khttp_parse(&s, buf, len);
		CHECK(r2 == ret && same_result(&r, &s, ret));
	}

	/* byte at a time (the parser resumes, so this stays linear) */
	if (len <= 4096) {
		khttp_req_init(&s, lim);
		r2 = KHTTP_NEED_MORE;
		for (i = 1; i <= len && r2 == KHTTP_NEED_MORE; i++)
			r2 = khttp_parse(&s, buf, i);
		CHECK(r2 == ret && same_result(&r, &s, ret));
	}
	if (out)
		*out = r;
	return ret;
}

/*
 * Decode a chunked body with the input cut at @cut (0: whole, 1: every
 * byte).  Returns the final answer; decoded bytes go to @out.
 */
static int chunk_run(const u8 *buf, size_t len, size_t cut, u64 max_body,
		     u8 *out, size_t *outlen, size_t *consumed, u16 *status)
{
	struct khttp_chunked c;
	struct khttp_span d;
	size_t used, off = 0, end;
	int ret = KHTTP_NEED_MORE;

	*outlen = 0;
	khttp_chunked_init(&c, max_body);
	while (off < len) {
		if (cut == 1)
			end = off + 1;
		else if (cut && off < cut)
			end = cut;
		else
			end = len;
		while (off < end) {
			ret = khttp_chunked_feed(&c, (const char *)buf + off,
						 end - off, &used, &d);
			CHECK(used <= end - off);
			if (ret == KHTTP_DATA) {
				CHECK(d.len > 0);
				CHECK((size_t)d.off + d.len == used);
				CHECK(*outlen + d.len <= len);
				memcpy(out + *outlen, buf + off + d.off, d.len);
				*outlen += d.len;
			} else {
				CHECK(ret == KHTTP_NEED_MORE || ret == KHTTP_DONE ||
				      ret == KHTTP_ERROR);
			}
			off += used;
			if (ret == KHTTP_DONE || ret == KHTTP_ERROR)
				goto out;
			if (ret == KHTTP_NEED_MORE)
				CHECK(off == end);
		}
	}
out:
	if (ret == KHTTP_DATA)
		ret = KHTTP_NEED_MORE;
	if (ret == KHTTP_ERROR)
		CHECK(c.status == 400 || c.status == 413 || c.status == 431);
	if (max_body && ret != KHTTP_ERROR)
		CHECK(c.total <= max_body);
	CHECK(c.total == *outlen);
	*consumed = off;
	*status = c.status;
	return ret;
}

static void chunk_all_ways(const u8 *buf, size_t len, size_t k, u64 max_body)
{
	u8 *o1, *o2;
	size_t l1, l2, c1, c2;
	u16 s1, s2;
	int r1, r2;

	if (!len)
		return;
	o1 = malloc(len);
	o2 = malloc(len);
	CHECK(o1 && o2);
	r1 = chunk_run(buf, len, 0, max_body, o1, &l1, &c1, &s1);
	r2 = chunk_run(buf, len, 1, max_body, o2, &l2, &c2, &s2);
	CHECK(r1 == r2 && l1 == l2 && !memcmp(o1, o2, l1));
	CHECK(r1 != KHTTP_ERROR || s1 == s2);
	CHECK(r1 != KHTTP_DONE || c1 == c2);
	if (k > 1 && k < len) {
		r2 = chunk_run(buf, len, k, max_body, o2, &l2, &c2, &s2);
		CHECK(r1 == r2 && l1 == l2 && !memcmp(o1, o2, l1));
		CHECK(r1 != KHTTP_ERROR || s1 == s2);
		CHECK(r1 != KHTTP_DONE || c1 == c2);
	}
	free(o1);
	free(o2);
}

static void path_check(const char *in, size_t len)
{
	size_t cap = len + 2, i;
	char *out = malloc(cap), *again;
	int n, m;

	CHECK(out);
	n = khttp_path_normalize(in, len, out, cap);
	if (n < 0) {
		CHECK(n == -EINVAL || n == -EPERM);
		free(out);
		return;
	}
	CHECK(n >= 1 && (size_t)n < cap && out[n] == '\0' && out[0] == '/');
	CHECK(strlen(out) == (size_t)n);
	for (i = 0; i < (size_t)n; i++) {
		CHECK((u8)out[i] >= 0x20 && out[i] != 0x7f && out[i] != '\\');
		if (out[i] == '/' && i + 1 < (size_t)n)
			CHECK(out[i + 1] != '/');
	}
	CHECK(!strstr(out, "/../") && !strstr(out, "/./"));
	CHECK(!(n >= 3 && !strcmp(out + n - 3, "/..")));
	CHECK(!(n >= 2 && !strcmp(out + n - 2, "/.")));
	/* one byte short of the result must say so, never overflow */
	m = khttp_path_normalize(in, len, out, n);
	CHECK(m == -ENAMETOOLONG);
	/* normalising a result without escapes changes nothing */
	m = khttp_path_normalize(in, len, out, cap);
	CHECK(m == n);
	if (!memchr(out, '%', n)) {
		again = malloc(n + 2);
		CHECK(again);
		m = khttp_path_normalize(out, n, again, n + 2);
		CHECK(m == n && !memcmp(out, again, n));
		free(again);
	}
	free(out);
}

static void date_check(const char *s, size_t len)
{
	char fmt[30];
	u64 secs, secs2;

	if (khttp_parse_http_date(s, len, &secs))
		return;
	CHECK(secs <= 253402300799ULL);
	khttp_http_date(secs, fmt);
	CHECK(strlen(fmt) == KHTTP_DATE_LEN);
	CHECK(!khttp_parse_http_date(fmt, KHTTP_DATE_LEN, &secs2));
	CHECK(secs == secs2);
}

static void range_check(const char *v, size_t len)
{
	static const u64 sizes[] = { 0, 1, 100, 1ULL << 40, ~0ULL };
	enum khttp_range_result res;
	u64 s, e;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		s = e = 12345;
		res = khttp_range_parse(v, len, sizes[i], &s, &e);
		CHECK(res == KHTTP_RANGE_IGNORE || res == KHTTP_RANGE_OK ||
		      res == KHTTP_RANGE_UNSATISFIABLE);
		if (res == KHTTP_RANGE_OK)
			CHECK(s <= e && e < sizes[i]);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t len);

int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	const char *buf = (const char *)data;
	u32 h = hash32(data, len);
	struct khttp_limits small = {
		.max_head = 32 + h % 512,
		.max_target = 8 + (h >> 9) % 128,
		.max_headers = 1 + (h >> 16) % 8,
	};
	struct khttp_req r;
	size_t k = len ? h % len : 0;
	int ret;

	if (len > 65536)
		return 0;

	ret = parse_all_ways(data, len, NULL, k, &r);
	parse_all_ways(data, len, &small, k, NULL);

	if (ret == KHTTP_DONE) {
		path_check(buf + r.path.off, r.path.len);
		if (r.has_range)
			range_check(buf + r.range.off, r.range.len);
		if (r.has_if_modified_since)
			date_check(buf + r.if_modified_since.off,
				   r.if_modified_since.len);
		if (r.chunked && len > r.head_len)
			chunk_all_ways(data + r.head_len, len - r.head_len,
				       (len - r.head_len) ? h % (len - r.head_len) : 0,
				       h & 1 ? 0 : 16 + h % 4096);
	}
	chunk_all_ways(data, len, k, 0);
	chunk_all_ways(data, len, k, 1 + h % 64);
	path_check(buf, len);
	date_check(buf, len);
	range_check(buf, len);
	return 0;
}
