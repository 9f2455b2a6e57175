// SPDX-License-Identifier: GPL-2.0
/*
 * httpctl: pure helpers with no netlink in them (address parsing and
 * formatting, a tiny JSON writer, batch line splitting, number parsing),
 * kept apart so that tests/test_httpctl*.c can test them on their own.
 */
#ifndef HTTPCTL_UTIL_H
#define HTTPCTL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/khttp.h>
#include <linux/netlink.h>

/* Longest formatted address: "[" v6 "%" ifname/number "]:" port, NUL. */
#define HTTPCTL_ADDRSTRLEN 80

/*
 * Parse "10.0.0.1:80", "[::1]:8080" or "[fe80::1%eth0]:80" into @a.  On
 * failure returns -1 and leaves a sentence saying what is wrong in @err.
 */
int httpctl_addr_parse(const char *s, struct khttp_addr *a,
		       char *err, size_t errlen);

/* Format @a as httpctl_addr_parse accepts it; returns @buf. */
const char *httpctl_addr_format(const struct khttp_addr *a,
				char *buf, size_t len);

/* Format only the host part (no brackets, no port, no scope). */
const char *httpctl_addr_host(const struct khttp_addr *a,
			      char *buf, size_t len);

/* Decimal (no sign, no suffix) within [min, max]; -1 on any junk. */
int httpctl_parse_uint(const char *s, uint64_t min, uint64_t max,
		       uint64_t *out);

/*
 * A byte count: decimal with an optional binary suffix K, M, G or T (either
 * case; 1K = 1024), within [0, max]; -1 on junk or overflow.
 */
int httpctl_parse_size(const char *s, uint64_t max, uint64_t *out);

/*
 * A send rate in bytes per second, as httpctl_parse_size (256K = 262144),
 * or "off" (0, no limit); -1 on junk.
 */
int httpctl_parse_rate(const char *s, uint64_t *out);

/*
 * An access rule's client set: "all", or an IPv4 or IPv6 address with an
 * optional "/LEN" (default: the whole address), into @r's family,
 * prefix_len and addr (action untouched).  Address bits past LEN are
 * cleared, as nginx does, and *@masked says whether there were any.
 * -1 on junk, a bad length or a scope ("%eth0").
 */
int httpctl_access_parse(const char *s, struct khttp_access_rule *r,
			 bool *masked);

/* "all", "10.0.0.0/8", "2001:db8::/32" into @buf. */
const char *httpctl_access_format(const struct khttp_access_rule *r,
				  char *buf, size_t len);

/* "on" -> 1, "off" -> 0, anything else -> -1. */
int httpctl_parse_on_off(const char *s);

/* Milliseconds as seconds with one decimal, "12.3s" (truncated); @buf. */
const char *httpctl_format_ms(uint64_t ms, char *buf, size_t len);

/* File mode bits in octal ("660", "0660"), at most 0777; -1 otherwise. */
int httpctl_parse_mode(const char *s, uint16_t *out);

/*
 * Rapid-fail protection: "COUNT/SECONDS" (COUNT 0 turns it off) or "off"
 * (COUNT 0, *seconds untouched and *have_seconds false).  -1 on junk.
 */
int httpctl_parse_rapid_fail(const char *s, uint32_t *count,
			     uint32_t *seconds, bool *have_seconds);

/* Pool verbosity and state names <-> enum values; 0 / NULL if unknown. */
int httpctl_verbosity_parse(const char *s);
const char *httpctl_verbosity_name(unsigned int v);
int httpctl_pool_state_parse(const char *s);	/* active, inactive only */
const char *httpctl_pool_state_name(unsigned int v);

/* "conn_accepted", ... for enum khttp_stat; NULL if unknown. */
const char *httpctl_stat_name(unsigned int i);

/* "queued", ... for enum khttp_pool_stat; NULL if unknown. */
const char *httpctl_pool_stat_name(unsigned int i);

/*
 * Split a batch line in place into words, `ip -batch` style: blanks
 * separate words, "double" or 'single' quotes group, a backslash escapes
 * the next character, and an unquoted '#' at the start of a word ends the
 * line.  Returns the word count, or -1 with *err set (unterminated quote,
 * too many words).
 */
int httpctl_split_line(char *line, char **argv, int max, const char **err);

/*
 * Netlink extended ACK.  @payload is the size of what precedes the TLVs in
 * @nlh's payload: httpctl_nlmsgerr_payload() for NLMSG_ERROR (errors and
 * ACKs), sizeof(int) for NLMSG_DONE.  Copies NLMSGERR_ATTR_MSG into @buf
 * if the kernel sent one; leaves @buf alone otherwise.  @nlh must be
 * followed by nlh->nlmsg_len valid bytes.
 */
size_t httpctl_nlmsgerr_payload(const struct nlmsghdr *nlh,
				const struct nlmsgerr *e);
void httpctl_extack_msg(const struct nlmsghdr *nlh, size_t payload,
			char *buf, size_t len);

/* Write @s as a JSON string literal, quotes included. */
void json_escape(FILE *f, const char *s);

#define JSON_MAX_DEPTH 8

struct json {
	FILE *f;
	int depth;
	bool after_key;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_uint(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);

#endif /* HTTPCTL_UTIL_H */
