// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit test for kmod/parser.c, meant to run under ASan/UBSan:
 * build this file together with kmod/parser.c using
 *   gcc -Wall -Wextra -Werror -g -fsanitize=address,undefined -Ikmod
 * The vectors are shared with the KUnit suite (kunit/parser_vectors.h).
 */
#include <stdio.h>

#include "parser.h"
#include "../../kunit/parser_vectors.h"

static unsigned int passed, failed;

static void report(const char *kind, const char *name, const char *err,
		   long at)
{
	if (!err) {
		passed++;
		printf("ok %s/%s\n", kind, name);
		return;
	}
	failed++;
	if (at >= 0)
		printf("not ok %s/%s: %s (at byte %ld)\n", kind, name, err, at);
	else
		printf("not ok %s/%s: %s\n", kind, name, err);
}

static void run_reqs(void)
{
	struct khttp_req r;
	const char *e;
	size_t i;
	char *buf;
	u32 len, at;

	for (i = 0; i < ARRAY_SIZE(pv_reqs); i++) {
		buf = pv_input_build(&pv_reqs[i].in, &len);
		if (!buf) {
			report("req", pv_reqs[i].name, "alloc", -1);
			continue;
		}
		e = pv_req_check(&pv_reqs[i], &r, buf, len, &at);
		report("req", pv_reqs[i].name, e, e ? (long)at : -1);
		free(buf);
	}
}

static void run_chunks(void)
{
	const char *e;
	char *buf, *out;
	size_t i;
	u32 len, at;

	for (i = 0; i < ARRAY_SIZE(pv_chunks); i++) {
		buf = pv_input_build(&pv_chunks[i].in, &len);
		out = malloc(len + 1);
		if (!buf || !out) {
			report("chunked", pv_chunks[i].name, "alloc", -1);
		} else {
			e = pv_chunk_check(&pv_chunks[i], buf, len, out, len,
					   &at);
			report("chunked", pv_chunks[i].name, e,
			       e ? (long)at : -1);
		}
		free(buf);
		free(out);
	}
}

int main(void)
{
	size_t i;

	run_reqs();
	run_chunks();
	for (i = 0; i < ARRAY_SIZE(pv_paths); i++)
		report("path", pv_paths[i].in, pv_path_check(&pv_paths[i]), -1);
	for (i = 0; i < ARRAY_SIZE(pv_dates); i++)
		report("date", pv_dates[i].s, pv_date_check(&pv_dates[i]), -1);
	for (i = 0; i < ARRAY_SIZE(pv_ranges); i++)
		report("range", pv_ranges[i].v, pv_range_check(&pv_ranges[i]),
		       -1);
	for (i = 0; i < ARRAY_SIZE(pv_aencs); i++)
		report("accept-encoding", pv_aencs[i].v,
		       pv_aenc_check(&pv_aencs[i]), -1);
	printf("parser: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
