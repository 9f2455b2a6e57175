// SPDX-License-Identifier: GPL-2.0
/*
 * httpctl's unit tests of what it formats: JSON string escaping and the
 * JSON writer, the extended ACK parsed out of hand-built netlink error
 * messages into the message httpctl prints, and the access log and
 * metrics lines (httpctl/logfmt.c) byte for byte.
 */
#include "test_httpctl.h"

/* ---- JSON --------------------------------------------------------- */

static char *escaped(const char *s)
{
	static char out[256];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	json_escape(f, s);
	fclose(f);
	snprintf(out, sizeof(out), "%s", buf);
	free(buf);
	return out;
}

void test_json_escape(void)
{
	check("json: plain", !strcmp(escaped("/srv/www"), "\"/srv/www\""));
	check("json: empty", !strcmp(escaped(""), "\"\""));
	check("json: quote and backslash",
	      !strcmp(escaped("a\"b\\c"), "\"a\\\"b\\\\c\""));
	check("json: short escapes",
	      !strcmp(escaped("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\""));
	check("json: control chars",
	      !strcmp(escaped("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\""));
	check("json: slash and space untouched",
	      !strcmp(escaped("a/ b"), "\"a/ b\""));
	check("json: valid UTF-8 passes",
	      !strcmp(escaped("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
		      "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""));
	check("json: stray byte replaced",
	      !strcmp(escaped("a\xff" "b"), "\"a\\ufffdb\""));
	check("json: truncated sequence replaced",
	      !strcmp(escaped("a\xc3"), "\"a\\ufffd\""));
	check("json: truncated 3-byte before ASCII",
	      !strcmp(escaped("\xe2\x82x"), "\"\\ufffd\\ufffdx\""));
	check("json: overlong replaced",
	      !strcmp(escaped("\xc0\xaf"), "\"\\ufffd\\ufffd\""));
	check("json: overlong 3-byte replaced",
	      !strcmp(escaped("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\""));
	check("json: surrogate replaced",
	      !strcmp(escaped("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""));
	check("json: above U+10FFFF replaced",
	      !strcmp(escaped("\xf4\x90\x80\x80"),
		      "\"\\ufffd\\ufffd\\ufffd\\ufffd\""));
}

void test_json_writer(void)
{
	char *buf = NULL;
	size_t len = 0;
	struct json j;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	json_init(&j, f);
	json_begin_object(&j);
	json_key(&j, "a");
	json_uint(&j, 1);
	json_key(&j, "b");
	json_begin_array(&j);
	json_bool(&j, true);
	json_string(&j, "x");
	json_begin_object(&j);
	json_end_object(&j);
	json_bool(&j, false);
	json_end_array(&j);
	json_key(&j, "c\n");
	json_begin_object(&j);
	json_key(&j, "d");
	json_uint(&j, UINT64_MAX);
	json_end_object(&j);
	json_key(&j, "e");
	json_begin_array(&j);
	json_end_array(&j);
	json_end_object(&j);
	/* a second top-level value: no comma, its own line */
	json_begin_array(&j);
	json_uint(&j, 0);
	json_end_array(&j);
	fclose(f);
	check("json: writer nests and separates",
	      !strcmp(buf, "{\"a\":1,\"b\":[true,\"x\",{},false],"
		      "\"c\\n\":{\"d\":18446744073709551615},\"e\":[]}\n"
		      "[0]\n"));
	free(buf);
}

/* ---- extended ACK ------------------------------------------------- */

struct msgbuf {
	union {
		struct nlmsghdr nlh;
		unsigned char b[512];
	};
	size_t len;
};

static void put(struct msgbuf *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void pad(struct msgbuf *m)
{
	m->len = NLMSG_ALIGN(m->len);
}

static void put_attr(struct msgbuf *m, uint16_t type, const void *p,
		     size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n),
			    .nla_type = type };

	put(m, &a, sizeof(a));
	put(m, p, n);
	m->len = NLA_ALIGN(m->len);
}

/* NLMSG_ERROR with @error; echo @echo bytes of request unless capped. */
static void build_err(struct msgbuf *m, int error, uint16_t flags,
		      size_t echo)
{
	struct nlmsgerr e;

	memset(m, 0, sizeof(*m));
	memset(&e, 0, sizeof(e));
	e.error = error;
	e.msg.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + echo);
	m->len = NLMSG_HDRLEN;
	put(m, &e, sizeof(e));
	if (echo) {
		memset(m->b + m->len, 0x5a, echo);	/* request payload */
		m->len += echo;
	}
	pad(m);
	m->nlh.nlmsg_type = NLMSG_ERROR;
	m->nlh.nlmsg_flags = flags;
}

static void finish(struct msgbuf *m)
{
	m->nlh.nlmsg_len = (uint32_t)m->len;
}

static const char *extack(struct msgbuf *m, int done)
{
	static char out[128];

	strcpy(out, "<none>");
	if (done)
		httpctl_extack_msg(&m->nlh, sizeof(int), out, sizeof(out));
	else
		httpctl_extack_msg(&m->nlh, httpctl_nlmsgerr_payload(
			&m->nlh, (struct nlmsgerr *)NLMSG_DATA(&m->nlh)),
			out, sizeof(out));
	return out;
}

void test_extack(void)
{
	static const char msg[] = "address 10.9.9.9 is not assigned to this host";
	uint32_t off = 20;
	struct msgbuf m;
	int dummy = 0;

	build_err(&m, -EADDRNOTAVAIL, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	put_attr(&m, NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	finish(&m);
	check("extack: capped error message", !strcmp(extack(&m, 0), msg));

	build_err(&m, -EEXIST, NLM_F_ACK_TLVS, 37);	/* unaligned echo */
	put_attr(&m, NLMSGERR_ATTR_OFFS, &off, sizeof(off));
	put_attr(&m, NLMSGERR_ATTR_MSG, "listen entry exists",
		 sizeof("listen entry exists"));
	finish(&m);
	check("extack: uncapped with echoed request, MSG after OFFS",
	      !strcmp(extack(&m, 0), "listen entry exists"));

	build_err(&m, 0, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	put_attr(&m, NLMSGERR_ATTR_MSG, "route is unreachable",
		 sizeof("route is unreachable"));
	finish(&m);
	check("extack: warning on a successful ACK",
	      !strcmp(extack(&m, 0), "route is unreachable"));

	build_err(&m, -EPERM, NLM_F_CAPPED, 0);
	finish(&m);
	check("extack: none without ACK_TLVS", !strcmp(extack(&m, 0), "<none>"));

	build_err(&m, -EINVAL, NLM_F_CAPPED, 0);
	put_attr(&m, NLMSGERR_ATTR_MSG, "ignored", sizeof("ignored"));
	finish(&m);
	check("extack: TLVs ignored when flag unset",
	      !strcmp(extack(&m, 0), "<none>"));

	build_err(&m, -EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	put_attr(&m, NLMSGERR_ATTR_MSG, "abc", 3);	/* no NUL */
	finish(&m);
	check("extack: unterminated string refused",
	      !strcmp(extack(&m, 0), "<none>"));

	build_err(&m, -EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	put_attr(&m, NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	m.nlh.nlmsg_len = (uint32_t)(m.len - 8);	/* attr overruns */
	check("extack: truncated attribute refused",
	      !strcmp(extack(&m, 0), "<none>"));

	build_err(&m, -EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	finish(&m);
	check("extack: flag set but no TLVs",
	      !strcmp(extack(&m, 0), "<none>"));

	build_err(&m, -EINVAL, NLM_F_ACK_TLVS, 0);
	((struct nlmsgerr *)NLMSG_DATA(&m.nlh))->msg.nlmsg_len = 400;
	put_attr(&m, NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	finish(&m);
	check("extack: bogus echo length is harmless",
	      !strcmp(extack(&m, 0), "<none>"));

	memset(&m, 0, sizeof(m));
	m.len = NLMSG_HDRLEN;
	dummy = -ENOENT;
	put(&m, &dummy, sizeof(dummy));
	pad(&m);
	put_attr(&m, NLMSGERR_ATTR_MSG, "no such pool", sizeof("no such pool"));
	m.nlh.nlmsg_type = NLMSG_DONE;
	m.nlh.nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	finish(&m);
	check("extack: on NLMSG_DONE", !strcmp(extack(&m, 1), "no such pool"));
}

/* ---- access log and metrics formatting ---------------------------- */

/* Run @fn on @r into a string (static buffer). */
static const char *fmt_rec(void (*fn)(FILE *, const struct httpctl_log_rec *),
			   const struct httpctl_log_rec *r)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	fn(f, r);
	fclose(f);
	return buf;
}

void test_log_formats(void)
{
	struct httpctl_log_rec r;
	char err[256], buf[512];
	FILE *f;

	memset(&r, 0, sizeof(r));
	/* 2024-03-05 06:07:08.123 UTC */
	r.time_ns = 1709618828123456789ULL;
	r.have_client = r.have_server = true;
	httpctl_addr_parse("192.0.2.7:51234", &r.client, err, sizeof(err));
	httpctl_addr_parse("10.0.0.1:80", &r.server, err, sizeof(err));
	r.method = "GET";
	r.target = "/a b/x.html?q=1&r=2";
	r.version = 11;
	r.host = "www.example.com";
	r.referer = "http://ref/\"q\"";
	r.user_agent = "curl/7.88 (x\\y)\x01";
	r.status = 200;
	r.bytes = 1234;
	r.duration_us = 2500;
	r.source = KHTTP_LOG_STATIC;

	check("log: ncsa combined",
	      !strcmp(fmt_rec(httpctl_log_ncsa, &r),
		      "192.0.2.7 - - [05/Mar/2024:06:07:08 +0000] "
		      "\"GET /a b/x.html?q=1&r=2 HTTP/1.1\" 200 1234 "
		      "\"http://ref/\\\"q\\\"\" \"curl/7.88 (x\\\\y)\\x01\"\n"));
	check("log: w3c extended",
	      !strcmp(fmt_rec(httpctl_log_w3c, &r),
		      "2024-03-05 06:07:08 192.0.2.7 10.0.0.1 80 GET /a+b/x.html "
		      "q=1&r=2 200 1234 2 curl/7.88+(x\\y)%01 "
		      "http://ref/\"q\" www.example.com - -\n"));
	check("log: json",
	      !strcmp(fmt_rec(httpctl_log_json, &r),
		      "{\"time\":\"2024-03-05T06:07:08.123Z\","
		      "\"time_ns\":1709618828123456789,"
		      "\"client\":\"192.0.2.7\",\"client_port\":51234,"
		      "\"server\":\"10.0.0.1\",\"server_port\":80,"
		      "\"method\":\"GET\",\"target\":\"/a b/x.html?q=1&r=2\","
		      "\"version\":\"1.1\",\"host\":\"www.example.com\","
		      "\"referer\":\"http://ref/\\\"q\\\"\","
		      "\"user_agent\":\"curl/7.88 (x\\\\y)\\u0001\","
		      "\"status\":200,\"bytes\":1234,\"duration_us\":2500,"
		      "\"source\":\"static\",\"scheme\":\"http\"}\n"));
	r.tls_version = KHTTP_TLS_1_3;
	r.tls_cipher = KHTTP_TLS_CIPHER_AES_GCM_256;
	check("log: json over https",
	      strstr(fmt_rec(httpctl_log_json, &r),
		     "\"source\":\"static\",\"scheme\":\"https\","
		     "\"tls_version\":\"TLSv1.3\","
		     "\"tls_cipher\":\"AES-256-GCM\"}\n") != NULL);
	check("log: w3c over https",
	      strstr(fmt_rec(httpctl_log_w3c, &r),
		     " www.example.com TLSv1.3 AES-256-GCM\n") != NULL);
	r.tls_version = r.tls_cipher = 0;

	/* An unparsable request: no method, target, headers; no bytes. */
	r.method = r.target = r.host = r.referer = r.user_agent = NULL;
	r.version = 0;
	r.status = 400;
	r.bytes = 0;
	httpctl_addr_parse("[2001:db8::1]:4000", &r.client, err, sizeof(err));
	check("log: ncsa without a request",
	      !strcmp(fmt_rec(httpctl_log_ncsa, &r),
		      "2001:db8::1 - - [05/Mar/2024:06:07:08 +0000] \"-\" 400 - "
		      "\"-\" \"-\"\n"));
	check("log: w3c without a request",
	      !strcmp(fmt_rec(httpctl_log_w3c, &r),
		      "2024-03-05 06:07:08 2001:db8::1 10.0.0.1 80 - - - 400 0 2 "
		      "- - - - -\n"));

	f = fmemopen(buf, sizeof(buf), "w");
	httpctl_log_w3c_header(f, 1709618828);
	fclose(f);
	check("log: w3c header",
	      strstr(buf, "#Version: 1.0\n#Date: 2024-03-05 06:07:08\n"
		     "#Fields: date time c-ip s-ip s-port cs-method "
		     "cs-uri-stem cs-uri-query sc-status sc-bytes time-taken "
		     "cs(User-Agent) cs(Referer) cs-host x-tls-version "
		     "x-tls-cipher\n") != NULL &&
	      !strncmp(buf, "#Software: khttp ", 17));
	check("log: format names",
	      httpctl_log_format_parse("ncsa") == HTTPCTL_LOG_NCSA &&
	      httpctl_log_format_parse("combined") == HTTPCTL_LOG_NCSA &&
	      httpctl_log_format_parse("w3c") == HTTPCTL_LOG_W3C &&
	      httpctl_log_format_parse("json") == HTTPCTL_LOG_JSON &&
	      !httpctl_log_format_parse("clf") &&
	      !strcmp(httpctl_log_source_name(KHTTP_LOG_CACHE), "cache") &&
	      !httpctl_log_source_name(0) && !httpctl_log_source_name(99));

	f = fmemopen(buf, sizeof(buf), "w");
	httpctl_prom_label(f, "a\"b\\c\nd");
	fclose(f);
	check("prometheus label escaping", !strcmp(buf, "\"a\\\"b\\\\c\\nd\""));
}
