// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpora for fuzz_parser and fuzz_route from the vectors
 * the unit tests and KUnit share (kunit/parser_vectors.h,
 * kunit/route_vectors.h), plus hand-written hostile requests.
 *
 *   mkcorpus DIR     writes DIR/parser/ and DIR/route/
 *
 * The output is checked in (userspace/fuzz/corpus/); `make fuzz-corpus`
 * rewrites it.  Names say where a seed came from: req-*, hostile-*,
 * chunk-*, path-*, date-*, range-* (parser), ok-*, bad-*, match-* (route).
 * test_differential replays the req-* and hostile-* seeds only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parser.h"
#include "route.h"
#include "../../kunit/parser_vectors.h"
#include "../../kunit/route_vectors.h"

static const char *dir;
static unsigned int nfiles;

static void put(const char *sub, const char *kind, const char *name,
		const void *data, size_t len)
{
	char path[512], clean[128];
	size_t i;
	FILE *f;

	for (i = 0; name[i] && i < sizeof(clean) - 1; i++)
		clean[i] = (name[i] >= 'a' && name[i] <= 'z') ||
			   (name[i] >= 'A' && name[i] <= 'Z') ||
			   (name[i] >= '0' && name[i] <= '9') ||
			   name[i] == '-' || name[i] == '_' ? name[i] : '_';
	clean[i] = '\0';
	snprintf(path, sizeof(path), "%s/%s/%s-%s", dir, sub, kind, clean);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
	nfiles++;
}

/* Requests a hostile client sends; each must be refused (or parse cleanly). */
static const struct {
	const char *name;
	const char *s;
	size_t len;
} hostile[] = {
#define H(n, s) { n, s, sizeof(s) - 1 }
	H("cl_te", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
	H("te_cl", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"),
	H("te_space_colon", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
	H("te_tab", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\tchunked\r\n\r\n0\r\n\r\n"),
	H("te_xchunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
	H("te_chunked_comma", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked,\r\n\r\n0\r\n\r\n"),
	H("te_two_lines", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
	H("te_chunked_gzip", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
	H("te_identity", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n"),
	H("te_upper", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: CHUNKED\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
	H("te_10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
	H("cl_dup_diff", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
	H("cl_dup_same", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
	H("cl_list", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello"),
	H("cl_plus", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello"),
	H("cl_neg", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
	H("cl_hex", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x5\r\n\r\nhello"),
	H("cl_overflow", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
	H("cl_u64max", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551615\r\n\r\n"),
	H("cl_u64wrap", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\n\r\n"),
	H("cl_empty", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n"),
	H("cl_space_inside", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1 0\r\n\r\n"),
	H("chunk_size_overflow", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nx\r\n0\r\n\r\n"),
	H("chunk_size_16", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nx\r\n0\r\n\r\n"),
	H("chunk_neg", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nx\r\n0\r\n\r\n"),
	H("chunk_0x", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n"),
	H("chunk_ext_long", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=bbbbbbbbbbbbbbbbbbbbbb\r\nhello\r\n0\r\n\r\n"),
	H("chunk_ext_ctrl", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a\x01\r\nhello\r\n0\r\n\r\n"),
	H("chunk_lf_only", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n"),
	H("chunk_short_data", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel\r\n0\r\n\r\n"),
	H("chunk_trailer_fold", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: a\r\n b\r\n\r\n"),
	H("chunk_smuggle", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("obs_fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n"),
	H("obs_fold_tab", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n"),
	H("first_line_space", "GET / HTTP/1.1\r\n Host: x\r\n\r\n"),
	H("bare_cr", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n"),
	H("bare_lf", "GET / HTTP/1.1\nHost: x\n\n"),
	H("bare_lf_end", "GET / HTTP/1.1\r\nHost: x\r\n\n"),
	H("nul_value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n"),
	H("nul_name", "GET / HTTP/1.1\r\nHost: x\r\nX\0A: b\r\n\r\n"),
	H("nul_target", "GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("cr_name", "GET / HTTP/1.1\r\nHost: x\r\nX\rA: b\r\n\r\n"),
	H("lf_name", "GET / HTTP/1.1\r\nHost: x\r\nX\nA: b\r\n\r\n"),
	H("del_value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x7f\r\n\r\n"),
	H("high_bit_value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: caf\xc3\xa9\r\n\r\n"),
	H("space_colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n"),
	H("no_colon", "GET / HTTP/1.1\r\nHost: x\r\nX-A\r\n\r\n"),
	H("empty_name", "GET / HTTP/1.1\r\nHost: x\r\n: b\r\n\r\n"),
	H("absolute_form", "GET http://example.com/a?b HTTP/1.1\r\nHost: other\r\n\r\n"),
	H("absolute_no_path", "GET http://example.com HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("absolute_https", "GET https://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("absolute_userinfo", "GET http://u:p@example.com/ HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("absolute_ftp", "GET ftp://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("authority_connect", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
	H("authority_get", "GET example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("asterisk_options", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("asterisk_get", "GET * HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("fragment", "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("no_host", "GET / HTTP/1.1\r\n\r\n"),
	H("two_hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
	H("host_userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n"),
	H("host_space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n"),
	H("host_v6", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"),
	H("host_empty", "GET / HTTP/1.1\r\nHost:\r\n\r\n"),
	H("http10_no_host", "GET / HTTP/1.0\r\n\r\n"),
	H("http10_ka", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
	H("http11_close", "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
	H("conn_list", "GET / HTTP/1.1\r\nHost: x\r\nConnection: foo, close, bar\r\n\r\n"),
	H("version_2", "GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
	H("version_12", "GET / HTTP/1.2\r\nHost: x\r\n\r\n"),
	H("version_lower", "GET / http/1.1\r\nHost: x\r\n\r\n"),
	H("version_09", "GET /\r\n\r\n"),
	H("version_long", "GET / HTTP/1.10\r\nHost: x\r\n\r\n"),
	H("method_lower", "get / HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("method_unknown", "FOO / HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("method_bad", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("method_empty", " / HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("two_spaces", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("tab_line", "GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("tls_hello", "\x16\x03\x01\x00\x01\x01\x00\r\n\r\n"),
	H("expect_100", "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc"),
	H("expect_foo", "GET / HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n"),
	H("leading_crlf", "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("pipelined", "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("traversal", "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("traversal_enc", "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("traversal_slash", "GET /a%2f..%2f..%2fetc HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("traversal_backslash", "GET /a\\..\\..\\etc HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("overlong_utf8", "GET /%c0%ae%c0%ae/etc HTTP/1.1\r\nHost: x\r\n\r\n"),
	H("range_multi", "GET / HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1,3-4\r\n\r\n"),
	H("range_overflow", "GET / HTTP/1.1\r\nHost: x\r\nRange: bytes=99999999999999999999-\r\n\r\n"),
	H("ims", "GET / HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n"),
	H("ims_bad", "GET / HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Sun, 31 Feb 1994 08:49:37 GMT\r\n\r\n"),
	H("auth_cookie", "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic eDp5\r\nCookie: a=b\r\n\r\n"),
#undef H
};

static void parser_corpus(void)
{
	char name[64], *buf;
	size_t i;
	u32 len;

	for (i = 0; i < ARRAY_SIZE(pv_reqs); i++) {
		buf = pv_input_build(&pv_reqs[i].in, &len);
		put("parser", "req", pv_reqs[i].name, buf, len);
		free(buf);
	}
	for (i = 0; i < ARRAY_SIZE(hostile); i++)
		put("parser", "hostile", hostile[i].name, hostile[i].s,
		    hostile[i].len);
	for (i = 0; i < ARRAY_SIZE(pv_chunks); i++) {
		buf = pv_input_build(&pv_chunks[i].in, &len);
		put("parser", "chunk", pv_chunks[i].name, buf, len);
		free(buf);
	}
	for (i = 0; i < ARRAY_SIZE(pv_paths); i++) {
		snprintf(name, sizeof(name), "%02zu", i);
		put("parser", "path", name, pv_paths[i].in,
		    strlen(pv_paths[i].in));
	}
	for (i = 0; i < ARRAY_SIZE(pv_dates); i++) {
		snprintf(name, sizeof(name), "%02zu", i);
		put("parser", "date", name, pv_dates[i].s,
		    strlen(pv_dates[i].s));
	}
	for (i = 0; i < ARRAY_SIZE(pv_ranges); i++) {
		snprintf(name, sizeof(name), "%02zu", i);
		put("parser", "range", name, pv_ranges[i].v,
		    strlen(pv_ranges[i].v));
	}
}

static void route_corpus(void)
{
	char name[64], buf[8192];
	size_t i, n;
	const char *const *r;

	for (i = 0; i < ARRAY_SIZE(route_vec_parse_ok); i++) {
		snprintf(name, sizeof(name), "%02zu", i);
		put("route", "ok", name, route_vec_parse_ok[i].in,
		    strlen(route_vec_parse_ok[i].in));
	}
	for (i = 0; i < ARRAY_SIZE(route_vec_parse_bad); i++) {
		snprintf(name, sizeof(name), "%02zu", i);
		put("route", "bad", name, route_vec_parse_bad[i].in,
		    strlen(route_vec_parse_bad[i].in));
	}
	/* The route set, then the request as "@HOST PATH" (or "@PATH"). */
	for (i = 0; i < ARRAY_SIZE(route_vec_match); i++) {
		const struct route_vec_match *m = &route_vec_match[i];

		n = 0;
		for (r = m->routes; *r; r++)
			n += snprintf(buf + n, sizeof(buf) - n, "%s\n", *r);
		if (m->host)
			n += snprintf(buf + n, sizeof(buf) - n, "@%s %s\n",
				      m->host, m->path);
		else
			n += snprintf(buf + n, sizeof(buf) - n, "@%s\n", m->path);
		put("route", "match", m->name, buf, n);
	}
}

int main(int argc, char **argv)
{
	char path[512];

	if (argc != 2) {
		fprintf(stderr, "usage: mkcorpus DIR\n");
		return 2;
	}
	dir = argv[1];
	snprintf(path, sizeof(path), "%s/parser", dir);
	mkdir(dir, 0755);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/route", dir);
	mkdir(path, 0755);
	parser_corpus();
	route_corpus();
	printf("mkcorpus: %u files in %s\n", nfiles, dir);
	return 0;
}
