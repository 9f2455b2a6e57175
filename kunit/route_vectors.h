/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Route test vectors, shared by the KUnit suite (kunit/route_test.c) and
 * the userspace test (userspace/tests/test_route.c) so both check the same
 * contract.  Include after route.h.
 */
#ifndef KHTTP_ROUTE_VECTORS_H
#define KHTTP_ROUTE_VECTORS_H

/* ---- parsing and canonical form ---------------------------------------- */

struct route_vec_parse_ok {
	const char *in;
	const char *canon;	/* route_key_format() of the result */
	u8 kind;
	u16 port;
};

static const struct route_vec_parse_ok route_vec_parse_ok[] = {
	{ "/", "/", ROUTE_HOST_ANY, 0 },
	{ "/app/", "/app/", ROUTE_HOST_ANY, 0 },
	{ "/app", "/app/", ROUTE_HOST_ANY, 0 },
	{ "/a/b/c", "/a/b/c/", ROUTE_HOST_ANY, 0 },
	{ "/App/", "/App/", ROUTE_HOST_ANY, 0 },	/* paths keep case */
	{ "/.well-known/", "/.well-known/", ROUTE_HOST_ANY, 0 },
	{ "/a..b/...", "/a..b/.../", ROUTE_HOST_ANY, 0 },
	{ "/my docs/", "/my docs/", ROUTE_HOST_ANY, 0 },
	{ "/caf\xc3\xa9/", "/caf\xc3\xa9/", ROUTE_HOST_ANY, 0 },
	{ "http://+/", "http://+:80/", ROUTE_HOST_STRONG, 80 },
	{ "http://+", "http://+:80/", ROUTE_HOST_STRONG, 80 },
	{ "http://*:8080/app", "http://*:8080/app/", ROUTE_HOST_WEAK, 8080 },
	{ "HTTP://+:80/app/", "http://+:80/app/", ROUTE_HOST_STRONG, 80 },
	{ "http://www.example.com:8080/app/",
	  "http://www.example.com:8080/app/", ROUTE_HOST_NAME, 8080 },
	{ "http://WWW.Example.COM/app",
	  "http://www.example.com:80/app/", ROUTE_HOST_NAME, 80 },
	{ "http://www.example.com./", "http://www.example.com:80/",
	  ROUTE_HOST_NAME, 80 },
	{ "http://localhost:1/", "http://localhost:1/", ROUTE_HOST_NAME, 1 },
	{ "http://a-b.c0.example:65535/", "http://a-b.c0.example:65535/",
	  ROUTE_HOST_NAME, 65535 },
	{ "http://host.123/", "http://host.123:80/", ROUTE_HOST_NAME, 80 },
	{ "http://x:080/", "http://x:80/", ROUTE_HOST_NAME, 80 },
	{ "http://10.0.0.1/", "http://10.0.0.1:80/", ROUTE_HOST_IPV4, 80 },
	{ "http://255.255.255.255:81/a", "http://255.255.255.255:81/a/",
	  ROUTE_HOST_IPV4, 81 },
	{ "http://0.0.0.0/", "http://0.0.0.0:80/", ROUTE_HOST_IPV4, 80 },
	{ "http://[::1]/", "http://[::1]:80/", ROUTE_HOST_IPV6, 80 },
	{ "http://[::1]:8080", "http://[::1]:8080/", ROUTE_HOST_IPV6, 8080 },
	{ "http://[::]/", "http://[::]:80/", ROUTE_HOST_IPV6, 80 },
	{ "http://[2001:DB8:0:0:0:0:0:1]/", "http://[2001:db8::1]:80/",
	  ROUTE_HOST_IPV6, 80 },
	{ "http://[2001:db8:0:0:1:0:0:1]/", "http://[2001:db8::1:0:0:1]:80/",
	  ROUTE_HOST_IPV6, 80 },
	{ "http://[2001:0db8:0000:0001:0001:0001:0001:0001]/",
	  "http://[2001:db8:0:1:1:1:1:1]:80/", ROUTE_HOST_IPV6, 80 },
	{ "http://[1:2:3:4:5:6:7::]/", "http://[1:2:3:4:5:6:7:0]:80/",
	  ROUTE_HOST_IPV6, 80 },
	{ "http://[fe80::]/", "http://[fe80::]:80/", ROUTE_HOST_IPV6, 80 },
	{ "http://[::ffff:10.0.0.1]/", "http://[::ffff:10.0.0.1]:80/",
	  ROUTE_HOST_IPV6, 80 },
	{ "http://[::ffff:a00:1]/", "http://[::ffff:10.0.0.1]:80/",
	  ROUTE_HOST_IPV6, 80 },
	{ "http://[64:ff9b::1.2.3.4]/", "http://[64:ff9b::102:304]:80/",
	  ROUTE_HOST_IPV6, 80 },
};

struct route_vec_parse_bad {
	const char *in;
	int err;
	const char *msg;
};

#define RV_MSG_START	"route prefix must start with '/' or http://"
#define RV_MSG_NOHOST	"route prefix has no host (use + or * for any host)"
#define RV_MSG_QUERY	"route prefix must not contain a query or fragment"
#define RV_MSG_DOTSEG	"route prefix must not contain '.' or '..' segments"
#define RV_MSG_EMPTYSEG	"route prefix must not contain empty segments ('//')"
#define RV_MSG_CTRL	"route prefix must not contain control characters"
#define RV_MSG_PCT	"route prefix must not contain '%' (write the path decoded)"
#define RV_MSG_NAMECH	"host name in route prefix may hold only letters, digits, '-' and '.'"
#define RV_MSG_HYPHEN	"host name label in route prefix must not start or end with '-'"
#define RV_MSG_BADV4	"invalid IPv4 address in route prefix"
#define RV_MSG_BADV6	"invalid IPv6 address in route prefix"
#define RV_MSG_PORT	"invalid port in route prefix"
#define RV_MSG_PORTRANGE "route prefix port must be 1-65535"

static const struct route_vec_parse_bad route_vec_parse_bad[] = {
	{ "", -EINVAL, "route prefix is empty" },
	{ "app/", -EINVAL, RV_MSG_START },
	{ "www.example.com/app/", -EINVAL, RV_MSG_START },
	{ "ftp://x/", -EINVAL, RV_MSG_START },
	{ "http:/x/", -EINVAL, RV_MSG_START },
	{ "https://www.example.com/", -EOPNOTSUPP,
	  "https:// route prefixes are not supported (khttp has no TLS)" },
	{ "HTTPS://+:443/", -EOPNOTSUPP,
	  "https:// route prefixes are not supported (khttp has no TLS)" },
	{ "http://", -EINVAL, RV_MSG_NOHOST },
	{ "http:///app/", -EINVAL, RV_MSG_NOHOST },
	{ "http://:80/", -EINVAL, RV_MSG_NOHOST },
	{ "http://user@host/", -EINVAL,
	  "route prefix must not contain user information ('@')" },
	{ "http://host?x/", -EINVAL, RV_MSG_QUERY },
	{ "/app/?x", -EINVAL, RV_MSG_QUERY },
	{ "/app/#top", -EINVAL, RV_MSG_QUERY },
	{ "/app/%41/", -EINVAL, RV_MSG_PCT },
	{ "/app/../etc/", -EINVAL, RV_MSG_DOTSEG },
	{ "/..", -EINVAL, RV_MSG_DOTSEG },
	{ "/./", -EINVAL, RV_MSG_DOTSEG },
	{ "/app/.", -EINVAL, RV_MSG_DOTSEG },
	{ "http://+/a/../", -EINVAL, RV_MSG_DOTSEG },
	{ "//", -EINVAL, RV_MSG_EMPTYSEG },
	{ "/app//x/", -EINVAL, RV_MSG_EMPTYSEG },
	{ "/app/\x01/", -EINVAL, RV_MSG_CTRL },
	{ "/app/\x7f", -EINVAL, RV_MSG_CTRL },
	{ "/app/\t", -EINVAL, RV_MSG_CTRL },
	{ "http://ex\nample/", -EINVAL, RV_MSG_CTRL },
	{ "http://ex_ample.com/", -EINVAL, RV_MSG_NAMECH },
	{ "http://+x/", -EINVAL, RV_MSG_NAMECH },
	{ "http://**/", -EINVAL, RV_MSG_NAMECH },
	{ "http://-a.com/", -EINVAL, RV_MSG_HYPHEN },
	{ "http://a-.com/", -EINVAL, RV_MSG_HYPHEN },
	{ "http://a..com/", -EINVAL,
	  "host name in route prefix has an empty label" },
	{ "http://.a.com/", -EINVAL,
	  "host name in route prefix has an empty label" },
	{ "http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com/",
	  -EINVAL,
	  "host name label in route prefix is longer than 63 characters" },
	{ "http://256.0.0.1/", -EINVAL, RV_MSG_BADV4 },
	{ "http://10.0.0/", -EINVAL, RV_MSG_BADV4 },
	{ "http://10.0.0.1.2/", -EINVAL, RV_MSG_BADV4 },
	{ "http://010.0.0.1/", -EINVAL, RV_MSG_BADV4 },
	{ "http://10.0.0.1./", -EINVAL, RV_MSG_BADV4 },
	{ "http://123/", -EINVAL, RV_MSG_BADV4 },
	{ "http://::1/", -EINVAL,
	  "IPv6 addresses in route prefixes must be in brackets" },
	{ "http://[::1/", -EINVAL, "unterminated IPv6 address in route prefix" },
	{ "http://[fe80::1%eth0]/", -EINVAL,
	  "IPv6 zone ids are not supported in route prefixes" },
	{ "http://[]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[:1]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[1:::2]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[1::2::3]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[1:2:3:4:5:6:7:8:9]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[1:2:3:4:5:6:7]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[1:2:3:4:5:6:7:8::]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[12345::]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[g::]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[1:]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[::1.2.3]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[1:2:3:4:5:6:7:1.2.3.4]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[10.0.0.1]/", -EINVAL, RV_MSG_BADV6 },
	{ "http://[::1]x/", -EINVAL,
	  "unexpected character after IPv6 address in route prefix" },
	{ "http://+:/", -EINVAL, "route prefix has an empty port" },
	{ "http://+:http/", -EINVAL, RV_MSG_PORT },
	{ "http://+:-1/", -EINVAL, RV_MSG_PORT },
	{ "http://+:123456/", -EINVAL, RV_MSG_PORT },
	{ "http://+:0/", -EINVAL, RV_MSG_PORTRANGE },
	{ "http://+:65536/", -EINVAL, RV_MSG_PORTRANGE },
	{ "http://[::1]:0/", -EINVAL, RV_MSG_PORTRANGE },
};

/* Prefixes that name the same route, and some that do not. */
struct route_vec_equal {
	const char *a, *b;
	bool equal;
};

static const struct route_vec_equal route_vec_equal[] = {
	{ "/app", "/app/", true },
	{ "http://+/", "http://+:80/", true },
	{ "http://Example.COM./x", "http://example.com:80/x/", true },
	{ "http://[::1]/", "http://[0:0:0:0:0:0:0:1]:80/", true },
	{ "/app/", "/App/", false },
	{ "/app/", "http://+:80/app/", false },
	{ "http://+:80/", "http://*:80/", false },
	{ "http://+:80/", "http://+:81/", false },
	{ "http://10.0.0.1/", "http://10.0.0.2/", false },
	{ "http://[::1]/", "http://[::2]/", false },
	{ "http://a.com/", "http://b.com/", false },
	{ "http://a.com/", "http://a.co/", false },
};

/* ---- matching ------------------------------------------------------------ */

#define RV_V4(a, b, c, d, p) \
	{ .family = ROUTE_AF_INET, .port = (p), .addr = { a, b, c, d } }
#define RV_V6(p, ...) \
	{ .family = ROUTE_AF_INET6, .port = (p), .addr = { __VA_ARGS__ } }
/* 2001:db8::1 and ::ffff:10.0.0.1 */
#define RV_V6_DB8_1(p) \
	RV_V6(p, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
#define RV_V6_MAPPED_10_0_0_1(p) \
	RV_V6(p, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1)

static const char *const route_vec_set_paths[] = {
	"/", "/app/", "/application/", "/app/static/", "/a/b/c/",
	NULL,
};

static const char *const route_vec_set_noroot[] = {
	"/app/",
	NULL,
};

static const char *const route_vec_set_hosts[] = {
	"/app/",
	"http://+:80/app/",
	"http://*:80/app/",
	"http://*:8080/app/",
	"http://www.example.com:80/app/",
	"http://10.0.0.1:80/app/",
	"http://[2001:db8::1]:80/app/",
	"http://www.example.com:80/",
	"/app/deep/",
	"http://*:9000/",
	NULL,
};

static const char *const route_vec_set_ports[] = {
	"http://www.example.com:8080/app/",
	"http://*:80/app/",
	"http://+:81/",
	NULL,
};

static const char *const route_vec_set_weak[] = {
	"/",
	"http://*:80/app/",
	"http://+:80/",
	NULL,
};

/* Listed twice (as "/x" and "/x/"): the first wins. */
static const char *const route_vec_set_dup[] = {
	"http://+/x", "/x", "http://+:80/x/", "/x/",
	NULL,
};

static inline u32 route_vec_nroutes(const char *const *set)
{
	u32 n = 0;

	while (set[n])
		n++;
	return n;
}

struct route_vec_match {
	const char *name;
	const char *const *routes;	/* a route_vec_set_*: NULL-terminated */
	const char *host;		/* Host header value; NULL: absent */
	struct khttp_addr local;	/* local address and port */
	const char *path;
	const char *want;		/* canonical winner; NULL: no route */
};

static const struct route_vec_match route_vec_match[] = {
	{ "root_matches_root", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/", "/" },
	{ "root_matches_everything", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/zzz/y", "/" },
	{ "path_equal_without_slash", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/app", "/app/" },
	{ "path_equal_with_slash", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/app/", "/app/" },
	{ "path_below", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/app/x/y.html", "/app/" },
	{ "application_is_not_app", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/application", "/application/" },
	{ "application_below", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/application/x", "/application/" },
	{ "apple_is_not_app", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/apple", "/" },
	{ "applicationx_is_root", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/applicationx/", "/" },
	{ "longest_wins", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/app/static/css/a.css", "/app/static/" },
	{ "longest_equal", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/app/static", "/app/static/" },
	{ "staticx_is_app", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/app/staticx", "/app/" },
	{ "deep_partial", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/a/b/", "/" },
	{ "deep_full", route_vec_set_paths, NULL,
	  RV_V4(10, 0, 0, 1, 80), "/a/b/c", "/a/b/c/" },
	{ "path_case_sensitive", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "/APP/x", "/" },
	{ "no_port_no_host", route_vec_set_paths, NULL,
	  { 0 }, "/app/x", "/app/" },
	{ "no_root_no_match", route_vec_set_noroot, "h",
	  RV_V4(10, 0, 0, 1, 80), "/", NULL },
	{ "no_root_ap", route_vec_set_noroot, "h",
	  RV_V4(10, 0, 0, 1, 80), "/ap", NULL },
	{ "no_root_application", route_vec_set_noroot, "h",
	  RV_V4(10, 0, 0, 1, 80), "/application/x", NULL },
	{ "path_not_absolute", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "*", NULL },
	{ "path_empty", route_vec_set_paths, "h",
	  RV_V4(10, 0, 0, 1, 80), "", NULL },

	{ "name_beats_wildcards", route_vec_set_hosts,
	  "www.example.com", RV_V4(10, 0, 0, 1, 80), "/app/x",
	  "http://www.example.com:80/app/" },
	{ "name_case_insensitive", route_vec_set_hosts,
	  "WWW.Example.COM", RV_V4(10, 0, 0, 1, 80), "/app/x",
	  "http://www.example.com:80/app/" },
	{ "name_trailing_dot", route_vec_set_hosts,
	  "www.example.com.", RV_V4(10, 0, 0, 1, 80), "/app",
	  "http://www.example.com:80/app/" },
	{ "name_with_port", route_vec_set_hosts,
	  "www.example.com:80", RV_V4(10, 0, 0, 1, 80), "/app/",
	  "http://www.example.com:80/app/" },
	{ "name_dot_and_port", route_vec_set_hosts,
	  "www.example.com.:80", RV_V4(10, 0, 0, 1, 80), "/app/",
	  "http://www.example.com:80/app/" },
	{ "host_port_is_not_local_port", route_vec_set_hosts,
	  "www.example.com:8080", RV_V4(10, 0, 0, 1, 80), "/app/",
	  "http://www.example.com:80/app/" },
	{ "name_shorter_path", route_vec_set_hosts,
	  "www.example.com", RV_V4(10, 0, 0, 1, 80), "/other",
	  "http://www.example.com:80/" },
	{ "longest_beats_name", route_vec_set_hosts,
	  "www.example.com", RV_V4(10, 0, 0, 1, 80), "/app/deep/x",
	  "/app/deep/" },
	{ "name_prefix_is_other_name", route_vec_set_hosts,
	  "www.example.co", RV_V4(10, 0, 0, 1, 80), "/app/x",
	  "http://+:80/app/" },
	{ "name_suffix_is_other_name", route_vec_set_hosts,
	  "www.example.com.au", RV_V4(10, 0, 0, 1, 80), "/app/x",
	  "http://+:80/app/" },
	{ "strong_beats_any_by_port", route_vec_set_hosts,
	  "other.example", RV_V4(10, 0, 0, 1, 80), "/app/x",
	  "http://+:80/app/" },
	{ "any_beats_weak", route_vec_set_hosts,
	  "other.example", RV_V4(10, 0, 0, 1, 8080), "/app/x", "/app/" },
	{ "any_without_port", route_vec_set_hosts,
	  "other.example", RV_V4(10, 0, 0, 1, 7), "/app/x", "/app/" },
	{ "weak_when_alone", route_vec_set_hosts,
	  "other.example", RV_V4(10, 0, 0, 1, 9000), "/x", "http://*:9000/" },
	{ "name_needs_port", route_vec_set_hosts,
	  "www.example.com", RV_V4(10, 0, 0, 1, 9000), "/x",
	  "http://*:9000/" },
	{ "ipv4_host", route_vec_set_hosts,
	  "10.0.0.1", RV_V4(10, 0, 0, 1, 80), "/app/x",
	  "http://10.0.0.1:80/app/" },
	{ "ipv4_host_port", route_vec_set_hosts,
	  "10.0.0.1:80", RV_V4(10, 0, 0, 9, 80), "/app/x",
	  "http://10.0.0.1:80/app/" },
	{ "ipv4_other", route_vec_set_hosts,
	  "10.0.0.2", RV_V4(10, 0, 0, 1, 80), "/app/x",
	  "http://+:80/app/" },
	{ "ipv4_host_beats_local", route_vec_set_hosts,
	  "10.0.0.2", RV_V4(10, 0, 0, 1, 80), "/app/x",
	  "http://+:80/app/" },
	{ "ip_route_wants_literal_host", route_vec_set_hosts,
	  "other.example", RV_V4(10, 0, 0, 1, 80), "/app/x",
	  "http://+:80/app/" },
	{ "no_host_uses_local_v4", route_vec_set_hosts, NULL,
	  RV_V4(10, 0, 0, 1, 80), "/app/x", "http://10.0.0.1:80/app/" },
	{ "empty_host_uses_local_v4", route_vec_set_hosts, "",
	  RV_V4(10, 0, 0, 1, 80), "/app/x", "http://10.0.0.1:80/app/" },
	{ "no_host_other_local", route_vec_set_hosts, NULL,
	  RV_V4(10, 0, 0, 2, 80), "/app/x", "http://+:80/app/" },
	{ "no_host_mapped_local", route_vec_set_hosts, NULL,
	  RV_V6_MAPPED_10_0_0_1(80), "/app/x",
	  "http://10.0.0.1:80/app/" },
	{ "ipv6_host", route_vec_set_hosts, "[2001:db8::1]",
	  RV_V6_DB8_1(80), "/app/x", "http://[2001:db8::1]:80/app/" },
	{ "ipv6_host_other_spelling", route_vec_set_hosts,
	  "[2001:DB8:0::0:1]:80", RV_V4(10, 0, 0, 1, 80), "/app/x",
	  "http://[2001:db8::1]:80/app/" },
	{ "ipv6_host_other", route_vec_set_hosts, "[2001:db8::2]",
	  RV_V6_DB8_1(80), "/app/x", "http://+:80/app/" },
	{ "ipv6_host_unterminated", route_vec_set_hosts,
	  "[2001:db8::1", RV_V6_DB8_1(80), "/app/x", "http://+:80/app/" },
	{ "no_host_uses_local_v6", route_vec_set_hosts, NULL,
	  RV_V6_DB8_1(80), "/app", "http://[2001:db8::1]:80/app/" },
	{ "v4_host_not_v6_route", route_vec_set_hosts, "10.0.0.1",
	  RV_V6_DB8_1(80), "/app/x", "http://10.0.0.1:80/app/" },
	{ "bad_v4_host_is_no_host", route_vec_set_hosts, "10.0.0.256",
	  RV_V4(10, 0, 0, 1, 80), "/app/x", "http://+:80/app/" },

	{ "name_port_mismatch_weak", route_vec_set_ports,
	  "www.example.com", RV_V4(10, 0, 0, 1, 80), "/app/x",
	  "http://*:80/app/" },
	{ "name_port_match", route_vec_set_ports,
	  "www.example.com", RV_V4(10, 0, 0, 1, 8080), "/app/x",
	  "http://www.example.com:8080/app/" },
	{ "strong_other_port", route_vec_set_ports,
	  "www.example.com", RV_V4(10, 0, 0, 1, 81), "/app/x",
	  "http://+:81/" },
	{ "nothing_on_port", route_vec_set_ports,
	  "www.example.com", RV_V4(10, 0, 0, 1, 82), "/app/x", NULL },

	{ "weak_longer_wins", route_vec_set_weak, "h",
	  RV_V4(10, 0, 0, 1, 80), "/app/x", "http://*:80/app/" },
	{ "strong_beats_any_root", route_vec_set_weak, "h",
	  RV_V4(10, 0, 0, 1, 80), "/x", "http://+:80/" },
	{ "any_root_other_port", route_vec_set_weak, "h",
	  RV_V4(10, 0, 0, 1, 81), "/app/x", "/" },

	{ "duplicate_first_wins", route_vec_set_dup, "h",
	  RV_V4(10, 0, 0, 1, 80), "/x", "http://+:80/x/" },
	{ "duplicate_any", route_vec_set_dup, "h",
	  RV_V4(10, 0, 0, 1, 81), "/x/y", "/x/" },
};

/* ---- reachability -------------------------------------------------------- */

static const struct khttp_addr route_vec_listen_v4[] = {
	RV_V4(10, 0, 0, 1, 80),
};

static const struct khttp_addr route_vec_listen_any4[] = {
	RV_V4(0, 0, 0, 0, 8080),
};

static const struct khttp_addr route_vec_listen_any6[] = {
	RV_V6(80, 0),
};

static const struct khttp_addr route_vec_listen_mixed[] = {
	RV_V4(10, 0, 0, 1, 80),
	RV_V6_DB8_1(443),
	RV_V6(8080, 0),
};

struct route_vec_reach {
	const char *name;
	const char *prefix;
	const struct khttp_addr *listen;
	u32 nlisten;
	bool want;
};

static const struct route_vec_reach route_vec_reach[] = {
	{ "empty_list", "/app/", NULL, 0, false },
	{ "empty_list_url", "http://+:80/", NULL, 0, false },
	{ "path_any_port", "/app/", route_vec_listen_any4,
	  ARRAY_SIZE(route_vec_listen_any4), true },
	{ "strong_port", "http://+:80/", route_vec_listen_v4,
	  ARRAY_SIZE(route_vec_listen_v4), true },
	{ "strong_other_port", "http://+:81/", route_vec_listen_v4,
	  ARRAY_SIZE(route_vec_listen_v4),
	  false },
	{ "weak_port", "http://*:8080/", route_vec_listen_any4,
	  ARRAY_SIZE(route_vec_listen_any4), true },
	{ "name_port", "http://www.example.com/", route_vec_listen_v4,
	  ARRAY_SIZE(route_vec_listen_v4),
	  true },
	{ "name_on_v6", "http://www.example.com/", route_vec_listen_any6,
	  ARRAY_SIZE(route_vec_listen_any6),
	  true },
	{ "name_other_port", "http://www.example.com:8080/",
	  route_vec_listen_v4,
	  ARRAY_SIZE(route_vec_listen_v4), false },
	{ "ipv4_exact", "http://10.0.0.1/", route_vec_listen_v4,
	  ARRAY_SIZE(route_vec_listen_v4), true },
	{ "ipv4_other", "http://10.0.0.2/", route_vec_listen_v4,
	  ARRAY_SIZE(route_vec_listen_v4), false },
	{ "ipv4_wildcard", "http://10.0.0.2:8080/",
	  route_vec_listen_any4,
	  ARRAY_SIZE(route_vec_listen_any4), true },
	{ "ipv4_wildcard_port", "http://10.0.0.2/",
	  route_vec_listen_any4,
	  ARRAY_SIZE(route_vec_listen_any4), false },
	{ "ipv4_not_on_v6_any", "http://10.0.0.1/",
	  route_vec_listen_any6,
	  ARRAY_SIZE(route_vec_listen_any6), false },
	{ "ipv6_on_v6_any", "http://[::1]/", route_vec_listen_any6,
	  ARRAY_SIZE(route_vec_listen_any6),
	  true },
	{ "ipv6_not_on_v4", "http://[::1]/", route_vec_listen_v4,
	  ARRAY_SIZE(route_vec_listen_v4),
	  false },
	{ "ipv6_exact", "http://[2001:db8::1]:443/",
	  route_vec_listen_mixed,
	  ARRAY_SIZE(route_vec_listen_mixed), true },
	{ "ipv6_other", "http://[2001:db8::2]:443/",
	  route_vec_listen_mixed,
	  ARRAY_SIZE(route_vec_listen_mixed), false },
	{ "ipv6_second_entry", "http://[2001:db8::2]:8080/",
	  route_vec_listen_mixed,
	  ARRAY_SIZE(route_vec_listen_mixed), true },
	{ "ipv4_first_entry", "http://10.0.0.1:80/app/",
	  route_vec_listen_mixed,
	  ARRAY_SIZE(route_vec_listen_mixed), true },
	{ "ipv4_wrong_family_port", "http://10.0.0.1:443/",
	  route_vec_listen_mixed,
	  ARRAY_SIZE(route_vec_listen_mixed), false },
};

/* ---- many routes ----------------------------------------------------------- */

/*
 * The big table: route i is one of four shapes, chosen by i % 4, and
 * route_vec_big_request() gives a request that only route i matches.  A
 * weak-wildcard catch-all (ROUTE_VEC_BIG_CATCHALL) is added last.  No
 * snprintf: this builds in both worlds.
 */
#define ROUTE_VEC_BIG_N		10000
#define ROUTE_VEC_BIG_CATCHALL	"http://*:80/"

struct route_vec_sbuf {
	char *p;
	size_t n, sz;
};

static void route_vec_cat(struct route_vec_sbuf *b, const char *s)
{
	while (*s && b->n + 1 < b->sz)
		b->p[b->n++] = *s++;
	b->p[b->n] = '\0';
}

static void route_vec_catu(struct route_vec_sbuf *b, u32 v)
{
	char tmp[11];
	int i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	route_vec_cat(b, tmp + i);
}

static void route_vec_big_prefix(u32 i, char *buf, size_t sz)
{
	struct route_vec_sbuf b = { buf, 0, sz };

	switch (i % 4) {
	case 0:
		route_vec_cat(&b, "/site");
		route_vec_catu(&b, i);
		route_vec_cat(&b, "/");
		break;
	case 1:
		route_vec_cat(&b, "http://host");
		route_vec_catu(&b, i);
		route_vec_cat(&b, ".example.com/");
		break;
	case 2:
		route_vec_cat(&b, "http://+/a/");
		route_vec_catu(&b, i);
		route_vec_cat(&b, "/b");
		break;
	default:
		route_vec_cat(&b, "http://10.");
		route_vec_catu(&b, i >> 16);
		route_vec_cat(&b, ".");
		route_vec_catu(&b, (i >> 8) & 0xff);
		route_vec_cat(&b, ".");
		route_vec_catu(&b, i & 0xff);
		route_vec_cat(&b, "/x/");
		break;
	}
}

/*
 * A request (Host, path) that route i wins, on local port 80.  With @miss,
 * a near miss that only the catch-all takes.
 */
static void route_vec_big_request(u32 i, bool miss, char *host, char *path,
				  size_t sz)
{
	struct route_vec_sbuf h = { host, 0, sz }, p = { path, 0, sz };

	route_vec_cat(&h, "");
	switch (i % 4) {
	case 0:
		route_vec_cat(&h, "any.example");
		route_vec_cat(&p, "/site");
		route_vec_catu(&p, i);
		route_vec_cat(&p, miss ? "x/index.html" : "/index.html");
		break;
	case 1:
		route_vec_cat(&h, "HOST");
		route_vec_catu(&h, i);
		route_vec_cat(&h, miss ? ".example.org" : ".Example.com:80");
		route_vec_cat(&p, "/page");
		break;
	case 2:
		route_vec_cat(&h, "any.example");
		route_vec_cat(&p, "/a/");
		route_vec_catu(&p, i);
		route_vec_cat(&p, miss ? "/bc" : "/b");
		break;
	default:
		route_vec_cat(&h, "10.");
		route_vec_catu(&h, i >> 16);
		route_vec_cat(&h, ".");
		route_vec_catu(&h, (i >> 8) & 0xff);
		route_vec_cat(&h, ".");
		route_vec_catu(&h, (i & 0xff) ^ (miss ? 1 : 0));
		route_vec_cat(&p, "/x/y/z");
		break;
	}
}

#endif /* KHTTP_ROUTE_VECTORS_H */
