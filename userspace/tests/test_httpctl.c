// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for httpctl's pure helpers (httpctl/util.c): address parsing
 * and formatting, number parsing, batch line splitting, JSON escaping and
 * writing, extended-ACK parsing.  No netlink socket, no module needed.
 *
 * This file holds check(), main() and the tests of what httpctl parses:
 * addresses (and their formatting), numbers, batch lines and words, and
 * the pool, cache and rate option helpers.  The tests of what it formats
 * (JSON, extended-ACK messages, access log and metrics lines) are in
 * test_httpctl_fmt.c.
 *
 * Prints "ok NAME" or "not ok NAME" per case and, last,
 * "httpctl: N passed, M failed"; exits non-zero if anything failed.
 */
#include "test_httpctl.h"

static int passed, failed;

void check(const char *name, int cond)
{
	printf("%s %s\n", cond ? "ok" : "not ok", name);
	if (cond)
		passed++;
	else
		failed++;
}

/* ---- addresses ---------------------------------------------------- */

static int zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

static void test_addr_ok(void)
{
	struct khttp_addr a;
	char err[256] = "", name[128];
	unsigned char v6[16] = { 0 };

	check("addr: 10.0.0.1:80",
	      httpctl_addr_parse("10.0.0.1:80", &a, err, sizeof(err)) == 0 &&
	      a.family == AF_INET && a.port == 80 && a.scope_id == 0 &&
	      a.addr[0] == 10 && a.addr[1] == 0 && a.addr[2] == 0 &&
	      a.addr[3] == 1 && zero(a.addr + 4, 12));

	check("addr: 0.0.0.0:80 (wildcard accepted as written)",
	      httpctl_addr_parse("0.0.0.0:80", &a, err, sizeof(err)) == 0 &&
	      a.family == AF_INET && a.port == 80 && zero(a.addr, 16));

	check("addr: 255.255.255.255:65535",
	      httpctl_addr_parse("255.255.255.255:65535", &a, err,
				 sizeof(err)) == 0 && a.port == 65535 &&
	      a.addr[3] == 255);

	v6[15] = 1;
	check("addr: [::1]:8080",
	      httpctl_addr_parse("[::1]:8080", &a, err, sizeof(err)) == 0 &&
	      a.family == AF_INET6 && a.port == 8080 && a.scope_id == 0 &&
	      !memcmp(a.addr, v6, 16));

	check("addr: [fe80::1%7]:80 numeric scope",
	      httpctl_addr_parse("[fe80::1%7]:80", &a, err, sizeof(err)) == 0 &&
	      a.family == AF_INET6 && a.scope_id == 7 && a.addr[0] == 0xfe &&
	      a.addr[1] == 0x80 && a.addr[15] == 1);

	if (if_nametoindex("lo")) {
		snprintf(name, sizeof(name), "[fe80::1%%lo]:80");
		check("addr: [fe80::1%lo]:80 scope by name",
		      httpctl_addr_parse(name, &a, err, sizeof(err)) == 0 &&
		      a.scope_id == if_nametoindex("lo"));
	} else {
		check("addr: [fe80::1%lo]:80 (skipped: no lo)", 1);
	}

	check("addr: [::ffff:1.2.3.4]:443",
	      httpctl_addr_parse("[::ffff:1.2.3.4]:443", &a, err,
				 sizeof(err)) == 0 && a.family == AF_INET6 &&
	      a.addr[10] == 0xff && a.addr[15] == 4);
}

static void test_addr_bad(void)
{
	static const char *const bad[] = {
		"", "10.0.0.1", "10.0.0.1:", "10.0.0.1:0", "10.0.0.1:00",
		":80", "10.0.0.1:65536", "10.0.0.1:99999999999999999999999",
		"10.0.0.1:80x", "10.0.0.1:+80", "10.0.0.1:-1", "10.0.0.1: 80",
		"foo:80", "localhost:80", "10.0.0.256:80", "1.2.3:80",
		" 1.2.3.4:80", "1.2.3.4%eth0:80", "::1:80", "::1", "[::1]",
		"[::1]80", "[::1]:", "[::1:80", "[]:80", "[1.2.3.4]:80",
		"[fe80::1%]:80", "[fe80::1%no-such-if0]:80", "[fe80::1%0]:80",
		"[::1]:0", "[::1]:65536", "[::g]:80", "[::1]]:80",
	};
	char name[160], err[256];
	struct khttp_addr a;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&a, 0xaa, sizeof(a));
		err[0] = '\0';
		snprintf(name, sizeof(name), "addr: refuse \"%s\"", bad[i]);
		check(name, httpctl_addr_parse(bad[i], &a, err,
					       sizeof(err)) == -1 &&
		      strlen(err) > 10 && zero(&a, sizeof(a)));
	}

	httpctl_addr_parse("10.0.0.1", &a, err, sizeof(err));
	check("addr: missing port says so", strstr(err, "missing port") != NULL);
	httpctl_addr_parse("10.0.0.1:0", &a, err, sizeof(err));
	check("addr: port 0 says so", strstr(err, "port 0") != NULL);
	httpctl_addr_parse("10.0.0.1:70000", &a, err, sizeof(err));
	check("addr: port range says so", strstr(err, "1-65535") != NULL);
	httpctl_addr_parse("::1:80", &a, err, sizeof(err));
	check("addr: unbracketed v6 says brackets",
	      strstr(err, "brackets") != NULL);

	/* A tiny error buffer truncates, never overflows. */
	memset(name, 'x', sizeof(name));
	check("addr: small error buffer",
	      httpctl_addr_parse("junk", &a, name, 8) == -1 &&
	      strlen(name) == 7 && name[8] == 'x');
}

static void test_addr_format(void)
{
	static const char *const round[] = {
		"10.0.0.1:80", "0.0.0.0:80", "[::1]:8080", "[::]:80",
		"[2001:db8::1]:443", "[fe80::1%4000000000]:80",
	};
	struct khttp_addr a, b;
	char buf[HTTPCTL_ADDRSTRLEN], err[256], name[128];
	size_t i;

	for (i = 0; i < sizeof(round) / sizeof(round[0]); i++) {
		snprintf(name, sizeof(name), "format: round trip %s", round[i]);
		check(name,
		      httpctl_addr_parse(round[i], &a, err, sizeof(err)) == 0 &&
		      !strcmp(httpctl_addr_format(&a, buf, sizeof(buf)),
			      round[i]) &&
		      httpctl_addr_parse(buf, &b, err, sizeof(err)) == 0 &&
		      !memcmp(&a, &b, sizeof(a)));
	}

	httpctl_addr_parse("[2001:db8::1]:443", &a, err, sizeof(err));
	check("format: host only",
	      !strcmp(httpctl_addr_host(&a, buf, sizeof(buf)), "2001:db8::1"));

	if (if_nametoindex("lo")) {
		httpctl_addr_parse("[fe80::1%lo]:80", &a, err, sizeof(err));
		check("format: scope shown by name",
		      !strcmp(httpctl_addr_format(&a, buf, sizeof(buf)),
			      "[fe80::1%lo]:80"));
	}

	memset(&a, 0, sizeof(a));
	a.family = 99;
	a.port = 1;
	check("format: unknown family",
	      !strcmp(httpctl_addr_format(&a, buf, sizeof(buf)),
		      "<family 99>:1"));

	httpctl_addr_parse("[2001:db8::1]:443", &a, err, sizeof(err));
	memset(buf, 'x', sizeof(buf));
	httpctl_addr_format(&a, buf, 6);
	check("format: truncates safely", strlen(buf) == 5 && buf[6] == 'x');
}

/* ---- numbers ------------------------------------------------------ */

static void test_uint(void)
{
	uint64_t v = 12345;

	check("uint: 0", httpctl_parse_uint("0", 0, 10, &v) == 0 && v == 0);
	check("uint: max u64",
	      httpctl_parse_uint("18446744073709551615", 0, UINT64_MAX,
				 &v) == 0 && v == UINT64_MAX);
	v = 7;
	check("uint: overflow refused",
	      httpctl_parse_uint("18446744073709551616", 0, UINT64_MAX,
				 &v) == -1 && v == 7);
	check("uint: above max refused",
	      httpctl_parse_uint("4294967296", 0, UINT32_MAX, &v) == -1);
	check("uint: below min refused",
	      httpctl_parse_uint("0", 1, 10, &v) == -1);
	check("uint: empty refused", httpctl_parse_uint("", 0, 10, &v) == -1);
	check("uint: sign refused", httpctl_parse_uint("-1", 0, 10, &v) == -1 &&
	      httpctl_parse_uint("+1", 0, 10, &v) == -1);
	check("uint: junk refused", httpctl_parse_uint("1k", 0, 9999, &v) == -1 &&
	      httpctl_parse_uint(" 1", 0, 10, &v) == -1 &&
	      httpctl_parse_uint("0x10", 0, 99, &v) == -1);
}

/* ---- batch lines -------------------------------------------------- */

static int split_is(const char *in, int want_n, const char *const *want)
{
	char line[256], *argv[8];
	const char *why = NULL;
	int n, i;

	snprintf(line, sizeof(line), "%s", in);
	n = httpctl_split_line(line, argv, 8, &why);
	if (n != want_n)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(argv[i], want[i]))
			return 0;
	return 1;
}

static void test_split(void)
{
	static const char *const w1[] = { "iplisten", "add", "10.0.0.1:80" };
	static const char *const w2[] = { "route", "add", "/my app/", "pool",
					  "a b" };
	static const char *const w3[] = { "a\"b", "c\\d", "", "x y" };
	static const char *const w4[] = { "route", "del", "/a#b" };
	char line[256], *argv[3];
	const char *why = NULL;

	check("split: simple",
	      split_is("iplisten add 10.0.0.1:80\n", 3, w1));
	check("split: tabs, spaces, CRLF",
	      split_is(" \tiplisten\t add   10.0.0.1:80 \r\n", 3, w1));
	check("split: blank line", split_is("   \n", 0, NULL));
	check("split: empty line", split_is("", 0, NULL));
	check("split: comment line", split_is("# iplisten add x\n", 0, NULL));
	check("split: indented comment", split_is("   # x\n", 0, NULL));
	check("split: trailing comment",
	      split_is("iplisten add 10.0.0.1:80 # the public one\n", 3, w1));
	check("split: quotes group",
	      split_is("route add \"/my app/\" pool 'a b'\n", 5, w2));
	check("split: escapes and empty word",
	      split_is("\"a\\\"b\" c\\\\d \"\" x\\ y", 4, w3));
	check("split: # inside a word is kept",
	      split_is("route del /a#b", 3, w4));
	check("split: single quotes are literal",
	      split_is("'a\\b'", 1, (const char *const[]){ "a\\b" }));

	snprintf(line, sizeof(line), "route add \"/x pool y");
	check("split: unterminated quote",
	      httpctl_split_line(line, argv, 3, &why) == -1 &&
	      why && strstr(why, "quote"));
	why = NULL;
	snprintf(line, sizeof(line), "a b c d");
	check("split: too many words",
	      httpctl_split_line(line, argv, 3, &why) == -1 && why);
	snprintf(line, sizeof(line), "a b c");
	check("split: exactly max words",
	      httpctl_split_line(line, argv, 3, &why) == 3);
}

/* ---- pool option helpers ------------------------------------------- */

static void test_pool_helpers(void)
{
	uint16_t mode = 1;
	uint32_t count = 9, secs = 9;
	bool have = true;

	check("mode: 0660", !httpctl_parse_mode("0660", &mode) && mode == 0660);
	check("mode: 755 without leading zero",
	      !httpctl_parse_mode("755", &mode) && mode == 0755);
	check("mode: 0", !httpctl_parse_mode("0", &mode) && mode == 0);
	check("mode: 00777", !httpctl_parse_mode("00777", &mode) && mode == 0777);
	check("mode: 1777 refused (over 0777)", httpctl_parse_mode("1777", &mode));
	check("mode: 8 refused", httpctl_parse_mode("0680", &mode));
	check("mode: empty refused", httpctl_parse_mode("", &mode));
	check("mode: 0x1ff refused", httpctl_parse_mode("0x1ff", &mode));

	check("rapid-fail: 5/300",
	      !httpctl_parse_rapid_fail("5/300", &count, &secs, &have) &&
	      count == 5 && secs == 300 && have);
	count = secs = 9;
	check("rapid-fail: off",
	      !httpctl_parse_rapid_fail("off", &count, &secs, &have) &&
	      count == 0 && secs == 9 && !have);
	check("rapid-fail: 0/60",
	      !httpctl_parse_rapid_fail("0/60", &count, &secs, &have) &&
	      count == 0 && secs == 60 && have);
	check("rapid-fail: no slash",
	      httpctl_parse_rapid_fail("5", &count, &secs, &have));
	check("rapid-fail: empty parts",
	      httpctl_parse_rapid_fail("/300", &count, &secs, &have) &&
	      httpctl_parse_rapid_fail("5/", &count, &secs, &have));
	check("rapid-fail: junk",
	      httpctl_parse_rapid_fail("5/300s", &count, &secs, &have) &&
	      httpctl_parse_rapid_fail("-1/3", &count, &secs, &have) &&
	      httpctl_parse_rapid_fail("5/3/4", &count, &secs, &have) &&
	      httpctl_parse_rapid_fail("99999999999/3", &count, &secs, &have));

	check("verbosity: names",
	      httpctl_verbosity_parse("basic") == KHTTP_VERBOSITY_BASIC &&
	      httpctl_verbosity_parse("limited") == KHTTP_VERBOSITY_LIMITED &&
	      httpctl_verbosity_parse("full") == KHTTP_VERBOSITY_FULL &&
	      !httpctl_verbosity_parse("Full") && !httpctl_verbosity_parse(""));
	check("verbosity: format",
	      !strcmp(httpctl_verbosity_name(KHTTP_VERBOSITY_LIMITED), "limited") &&
	      !httpctl_verbosity_name(0) && !httpctl_verbosity_name(4));
	check("state: only active and inactive settable",
	      httpctl_pool_state_parse("active") == KHTTP_POOL_ACTIVE &&
	      httpctl_pool_state_parse("inactive") == KHTTP_POOL_INACTIVE &&
	      !httpctl_pool_state_parse("failed"));
	check("state: format",
	      !strcmp(httpctl_pool_state_name(KHTTP_POOL_FAILED), "failed") &&
	      !httpctl_pool_state_name(0) && !httpctl_pool_state_name(9));
	check("pool stat names",
	      !strcmp(httpctl_pool_stat_name(KHTTP_PSTAT_QUEUED), "queued") &&
	      !strcmp(httpctl_pool_stat_name(KHTTP_PSTAT_CLIENT_GONE),
		      "client_gone") &&
	      !strcmp(httpctl_pool_stat_name(KHTTP_PSTAT_WORKER_DEATHS),
		      "worker_deaths") &&
	      !httpctl_pool_stat_name(KHTTP_PSTAT_PAD) &&
	      !httpctl_pool_stat_name(0));
}

static void test_cache_helpers(void)
{
	uint64_t v = 7;
	char buf[32];

	check("size: plain", !httpctl_parse_size("1000", UINT64_MAX, &v) &&
	      v == 1000);
	check("size: 64K", !httpctl_parse_size("64K", UINT64_MAX, &v) &&
	      v == 65536);
	check("size: 16m", !httpctl_parse_size("16m", UINT64_MAX, &v) &&
	      v == 16ULL << 20);
	check("size: 1G", !httpctl_parse_size("1G", UINT64_MAX, &v) &&
	      v == 1ULL << 30);
	check("size: 2T", !httpctl_parse_size("2T", UINT64_MAX, &v) &&
	      v == 2ULL << 40);
	check("size: 0K", !httpctl_parse_size("0K", UINT64_MAX, &v) && v == 0);
	v = 7;
	check("size: 4G over a u32 max",
	      httpctl_parse_size("4G", UINT32_MAX, &v) && v == 7);
	check("size: 4095M fits a u32",
	      !httpctl_parse_size("4095M", UINT32_MAX, &v) &&
	      v == 4095ULL << 20);
	check("size: overflow by the suffix",
	      httpctl_parse_size("17179869184G", UINT64_MAX, &v));
	check("size: junk refused", httpctl_parse_size("", UINT64_MAX, &v) &&
	      httpctl_parse_size("K", UINT64_MAX, &v) &&
	      httpctl_parse_size("1KB", UINT64_MAX, &v) &&
	      httpctl_parse_size("-1", UINT64_MAX, &v) &&
	      httpctl_parse_size("1.5M", UINT64_MAX, &v) &&
	      httpctl_parse_size("1 K", UINT64_MAX, &v) &&
	      httpctl_parse_size("1X", UINT64_MAX, &v));

	check("on/off", httpctl_parse_on_off("on") == 1 &&
	      httpctl_parse_on_off("off") == 0 &&
	      httpctl_parse_on_off("yes") == -1 &&
	      httpctl_parse_on_off("") == -1 &&
	      httpctl_parse_on_off("ON") == -1);

	check("ms: 0", !strcmp(httpctl_format_ms(0, buf, sizeof(buf)), "0.0s"));
	check("ms: 1234", !strcmp(httpctl_format_ms(1234, buf, sizeof(buf)),
				  "1.2s"));
	check("ms: 59999 truncates",
	      !strcmp(httpctl_format_ms(59999, buf, sizeof(buf)), "59.9s"));
	check("ms: u32 max",
	      !strcmp(httpctl_format_ms(UINT32_MAX, buf, sizeof(buf)),
		      "4294967.2s"));

	check("stat names: old and cache counters",
	      !strcmp(httpctl_stat_name(KHTTP_STAT_CONN_ACCEPTED),
		      "conn_accepted") &&
	      !strcmp(httpctl_stat_name(KHTTP_STAT_BYTES_OUT), "bytes_out") &&
	      !strcmp(httpctl_stat_name(KHTTP_STAT_CACHE_HITS), "cache_hits") &&
	      !strcmp(httpctl_stat_name(KHTTP_STAT_CACHE_MISSES),
		      "cache_misses") &&
	      !strcmp(httpctl_stat_name(KHTTP_STAT_CACHE_INSERTS),
		      "cache_inserts") &&
	      !strcmp(httpctl_stat_name(KHTTP_STAT_CACHE_EVICTIONS),
		      "cache_evictions") &&
	      !strcmp(httpctl_stat_name(KHTTP_STAT_CACHE_BYTES),
		      "cache_bytes") &&
	      !strcmp(httpctl_stat_name(KHTTP_STAT_CACHE_ENTRIES),
		      "cache_entries"));
	check("stat names: qos and log counters",
	      !strcmp(httpctl_stat_name(KHTTP_STAT_LOG_LOST), "log_lost") &&
	      !strcmp(httpctl_stat_name(KHTTP_STAT_CLIENT_REFUSED),
		      "client_refused") &&
	      !strcmp(httpctl_stat_name(KHTTP_STAT_SLOW_CLOSED),
		      "slow_closed") &&
	      !strcmp(httpctl_stat_name(KHTTP_STAT_THROTTLED), "throttled") &&
	      !strcmp(httpctl_stat_name(KHTTP_STAT_CACHE_LOCK_TIMEOUTS),
		      "cache_lock_timeouts"));
	{
		unsigned int i, missing = 0;

		for (i = 1; i <= KHTTP_STAT_MAX; i++)
			if (i != KHTTP_STAT_PAD && !httpctl_stat_name(i))
				missing++;
		check("stat names: every enum khttp_stat counter", !missing);
	}
	check("stat names: pad and unknown",
	      !httpctl_stat_name(KHTTP_STAT_UNSPEC) &&
	      !httpctl_stat_name(KHTTP_STAT_PAD) &&
	      !httpctl_stat_name(KHTTP_STAT_MAX + 1) &&
	      !httpctl_stat_name(1000));
}

static void test_rate(void)
{
	uint64_t v = 1;

	check("rate: 256K", !httpctl_parse_rate("256K", &v) && v == 262144);
	check("rate: 1m", !httpctl_parse_rate("1m", &v) && v == 1048576);
	check("rate: 2G", !httpctl_parse_rate("2G", &v) &&
	      v == 2ULL * 1073741824);
	check("rate: plain", !httpctl_parse_rate("100000", &v) && v == 100000);
	check("rate: off", !httpctl_parse_rate("off", &v) && v == 0);
	check("rate: 0", !httpctl_parse_rate("0", &v) && v == 0);
	check("rate: junk",
	      httpctl_parse_rate("", &v) == -1 &&
	      httpctl_parse_rate("K", &v) == -1 &&
	      httpctl_parse_rate("-1", &v) == -1 &&
	      httpctl_parse_rate("1.5M", &v) == -1 &&
	      httpctl_parse_rate("10KB", &v) == -1 &&
	      httpctl_parse_rate("OFF", &v) == -1 &&
	      httpctl_parse_rate("99999999999999999999", &v) == -1 &&
	      httpctl_parse_rate("17179869184G", &v) == -1);
}

/* httpctl_batch_word() output reads back through httpctl_split_line(). */
static void test_batch_word(void)
{
	static const char *const words[] = {
		"/plain/", "http://+:80/app/", "with space", "quo\"te",
		"single'quote", "back\\slash", "#hash", "a#b", "", "tab\there",
	};
	char buf[256], *argv[4];
	const char *why;
	size_t i;
	FILE *f;
	int ok = 1, n;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		f = fmemopen(buf, sizeof(buf), "w");
		fputs("x ", f);
		httpctl_batch_word(f, words[i]);
		fputs(" y", f);
		fclose(f);
		n = httpctl_split_line(buf, argv, 4, &why);
		if (n != 3 || strcmp(argv[1], words[i]) || strcmp(argv[2], "y")) {
			printf("# batch word \"%s\" came back wrong\n", words[i]);
			ok = 0;
		}
	}
	f = fmemopen(buf, sizeof(buf), "w");
	httpctl_batch_word(f, "/srv/www");
	fclose(f);
	check("batch words round trip", ok && !strcmp(buf, "/srv/www"));
}

/* allow/deny CIDRs: parsed, masked as nginx, formatted back. */
static void test_access(void)
{
	struct khttp_access_rule r;
	char buf[64];
	bool masked;

	check("access: all", !httpctl_access_parse("all", &r, &masked) &&
	      r.family == 0 && r.prefix_len == 0 && !masked &&
	      !strcmp(httpctl_access_format(&r, buf, sizeof(buf)), "all"));
	check("access: 10.0.0.0/8", !httpctl_access_parse("10.0.0.0/8", &r,
							  &masked) &&
	      r.family == AF_INET && r.prefix_len == 8 && r.addr[0] == 10 &&
	      !masked && !strcmp(httpctl_access_format(&r, buf, sizeof(buf)),
				 "10.0.0.0/8"));
	check("access: bare v4 is /32", !httpctl_access_parse("192.0.2.7", &r,
							      &masked) &&
	      r.prefix_len == 32 &&
	      !strcmp(httpctl_access_format(&r, buf, sizeof(buf)),
		      "192.0.2.7/32"));
	check("access: host bits masked",
	      !httpctl_access_parse("10.1.2.3/8", &r, &masked) && masked &&
	      r.addr[1] == 0 && r.addr[3] == 0 &&
	      !strcmp(httpctl_access_format(&r, buf, sizeof(buf)),
		      "10.0.0.0/8"));
	check("access: /25 masks within a byte",
	      !httpctl_access_parse("192.0.2.200/25", &r, &masked) && masked &&
	      r.addr[3] == 128);
	check("access: v6", !httpctl_access_parse("2001:db8::/32", &r,
						  &masked) &&
	      r.family == AF_INET6 && r.prefix_len == 32 && !masked &&
	      !strcmp(httpctl_access_format(&r, buf, sizeof(buf)),
		      "2001:db8::/32"));
	check("access: v6 masked",
	      !httpctl_access_parse("2001:db8::1/64", &r, &masked) && masked &&
	      !strcmp(httpctl_access_format(&r, buf, sizeof(buf)),
		      "2001:db8::/64"));
	check("access: bare v6 is /128", !httpctl_access_parse("::1", &r,
							       &masked) &&
	      r.prefix_len == 128);
	check("access: junk refused",
	      httpctl_access_parse("", &r, &masked) == -1 &&
	      httpctl_access_parse("ALL", &r, &masked) == -1 &&
	      httpctl_access_parse("10.0.0.0/33", &r, &masked) == -1 &&
	      httpctl_access_parse("::/129", &r, &masked) == -1 &&
	      httpctl_access_parse("10.0.0.0/", &r, &masked) == -1 &&
	      httpctl_access_parse("10.0.0.0/-1", &r, &masked) == -1 &&
	      httpctl_access_parse("10.0.0.0/+8", &r, &masked) == -1 &&
	      httpctl_access_parse("10.0.0.0/8/8", &r, &masked) == -1 &&
	      httpctl_access_parse("10.0.0.0/99999999999999999999", &r,
				   &masked) == -1 &&
	      httpctl_access_parse("fe80::1%lo", &r, &masked) == -1 &&
	      httpctl_access_parse("300.0.0.1", &r, &masked) == -1 &&
	      httpctl_access_parse("/8", &r, &masked) == -1);
}

int main(void)
{
	test_rate();
	test_access();
	test_addr_ok();
	test_addr_bad();
	test_addr_format();
	test_uint();
	test_split();
	test_json_escape();
	test_json_writer();
	test_extack();
	test_pool_helpers();
	test_cache_helpers();
	test_log_formats();
	test_batch_word();
	printf("httpctl: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
