// SPDX-License-Identifier: GPL-2.0
/*
 * httpctl: pure helpers (no netlink).  See httpctl_util.h.
 */
#include <linux/khttp.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int httpctl_parse_uint(const char *s, uint64_t min, uint64_t max,
		       uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int httpctl_parse_size(const char *s, uint64_t max, uint64_t *out)
{
	char num[24];
	size_t n = strlen(s);
	unsigned int shift = 0;
	uint64_t v;

	if (n && strchr("kKmMgGtT", s[n - 1])) {
		switch (s[n - 1]) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		default: shift = 40; break;
		}
		n--;
	}
	if (!n || n >= sizeof(num))
		return -1;
	memcpy(num, s, n);
	num[n] = '\0';
	if (httpctl_parse_uint(num, 0, UINT64_MAX >> shift, &v))
		return -1;
	v <<= shift;
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

int httpctl_parse_rate(const char *s, uint64_t *out)
{
	if (!strcmp(s, "off")) {
		*out = 0;
		return 0;
	}
	return httpctl_parse_size(s, UINT64_MAX, out);
}

int httpctl_parse_on_off(const char *s)
{
	if (!strcmp(s, "on"))
		return 1;
	if (!strcmp(s, "off"))
		return 0;
	return -1;
}

const char *httpctl_format_ms(uint64_t ms, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%llus", (unsigned long long)(ms / 1000),
		 (unsigned long long)(ms % 1000 / 100));
	return buf;
}

int httpctl_parse_mode(const char *s, uint16_t *out)
{
	unsigned int v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '7')
			return -1;
		v = v * 8 + (unsigned int)(*s - '0');
		if (v > 0777)
			return -1;
	}
	*out = (uint16_t)v;
	return 0;
}

int httpctl_parse_rapid_fail(const char *s, uint32_t *count,
			     uint32_t *seconds, bool *have_seconds)
{
	char num[24];
	const char *slash;
	uint64_t c, sec;

	if (!strcmp(s, "off")) {
		*count = 0;
		*have_seconds = false;
		return 0;
	}
	slash = strchr(s, '/');
	if (!slash || (size_t)(slash - s) >= sizeof(num))
		return -1;
	memcpy(num, s, (size_t)(slash - s));
	num[slash - s] = '\0';
	if (httpctl_parse_uint(num, 0, UINT32_MAX, &c) ||
	    httpctl_parse_uint(slash + 1, 0, UINT32_MAX, &sec))
		return -1;
	*count = (uint32_t)c;
	*seconds = (uint32_t)sec;
	*have_seconds = true;
	return 0;
}

static const char *const verbosity_names[] = {
	[KHTTP_VERBOSITY_BASIC] = "basic",
	[KHTTP_VERBOSITY_LIMITED] = "limited",
	[KHTTP_VERBOSITY_FULL] = "full",
};

static const char *const pool_state_names[] = {
	[KHTTP_POOL_ACTIVE] = "active",
	[KHTTP_POOL_INACTIVE] = "inactive",
	[KHTTP_POOL_FAILED] = "failed",
};

static const char *const stat_names[] = {
	[KHTTP_STAT_CONN_ACCEPTED] = "conn_accepted",
	[KHTTP_STAT_CONN_ACTIVE] = "conn_active",
	[KHTTP_STAT_CONN_REFUSED] = "conn_refused",
	[KHTTP_STAT_CONN_TIMEOUT] = "conn_timeout",
	[KHTTP_STAT_REQUESTS] = "requests",
	[KHTTP_STAT_RESP_1XX] = "resp_1xx",
	[KHTTP_STAT_RESP_2XX] = "resp_2xx",
	[KHTTP_STAT_RESP_3XX] = "resp_3xx",
	[KHTTP_STAT_RESP_4XX] = "resp_4xx",
	[KHTTP_STAT_RESP_5XX] = "resp_5xx",
	[KHTTP_STAT_BYTES_IN] = "bytes_in",
	[KHTTP_STAT_BYTES_OUT] = "bytes_out",
	[KHTTP_STAT_CACHE_HITS] = "cache_hits",
	[KHTTP_STAT_CACHE_MISSES] = "cache_misses",
	[KHTTP_STAT_CACHE_INSERTS] = "cache_inserts",
	[KHTTP_STAT_CACHE_EVICTIONS] = "cache_evictions",
	[KHTTP_STAT_CACHE_BYTES] = "cache_bytes",
	[KHTTP_STAT_CACHE_ENTRIES] = "cache_entries",
	[KHTTP_STAT_LOG_LOST] = "log_lost",
	[KHTTP_STAT_CLIENT_REFUSED] = "client_refused",
	[KHTTP_STAT_SLOW_CLOSED] = "slow_closed",
	[KHTTP_STAT_THROTTLED] = "throttled",
	[KHTTP_STAT_CACHE_LOCK_TIMEOUTS] = "cache_lock_timeouts",
	[KHTTP_STAT_ACCESS_DENIED] = "access_denied",
	[KHTTP_STAT_TLS_HANDSHAKES] = "tls_handshakes",
	[KHTTP_STAT_TLS_HANDSHAKE_TIMEOUTS] = "tls_handshake_timeouts",
	[KHTTP_STAT_TLS_HANDSHAKE_FAILED] = "tls_handshake_failed",
};
/* A counter added to enum khttp_stat needs a name here. */
_Static_assert(sizeof(stat_names) / sizeof(stat_names[0]) ==
	       KHTTP_STAT_MAX + 1, "stat_names must cover enum khttp_stat");

static const char *const pool_stat_names[] = {
	[KHTTP_PSTAT_QUEUED] = "queued",
	[KHTTP_PSTAT_DELIVERED] = "delivered",
	[KHTTP_PSTAT_ANSWERED] = "answered",
	[KHTTP_PSTAT_QUEUE_FULL] = "queue_full",
	[KHTTP_PSTAT_QUEUE_TIMEOUT] = "queue_timeout",
	[KHTTP_PSTAT_UNAVAILABLE] = "unavailable",
	[KHTTP_PSTAT_ABANDONED] = "abandoned",
	[KHTTP_PSTAT_WORKER_DEATHS] = "worker_deaths",
	[KHTTP_PSTAT_CLIENT_GONE] = "client_gone",
	[KHTTP_PSTAT_RING_ERRORS] = "ring_errors",
	[KHTTP_PSTAT_READER_RUNS] = "reader_runs",
};

#define NAME_AT(t, i) ((i) < sizeof(t) / sizeof((t)[0]) ? (t)[i] : NULL)

int httpctl_verbosity_parse(const char *s)
{
	unsigned int i;

	for (i = 1; i < sizeof(verbosity_names) / sizeof(verbosity_names[0]); i++)
		if (!strcmp(s, verbosity_names[i]))
			return (int)i;
	return 0;
}

const char *httpctl_verbosity_name(unsigned int v)
{
	return NAME_AT(verbosity_names, v);
}

int httpctl_pool_state_parse(const char *s)
{
	if (!strcmp(s, "active"))
		return KHTTP_POOL_ACTIVE;
	if (!strcmp(s, "inactive"))
		return KHTTP_POOL_INACTIVE;
	return 0;	/* "failed" is set by the kernel only */
}

const char *httpctl_pool_state_name(unsigned int v)
{
	return NAME_AT(pool_state_names, v);
}

const char *httpctl_stat_name(unsigned int i)
{
	return NAME_AT(stat_names, i);
}

const char *httpctl_pool_stat_name(unsigned int i)
{
	return NAME_AT(pool_stat_names, i);
}

static int parse_scope(const char *scope, const char *s, uint32_t *id,
		       char *err, size_t errlen)
{
	uint64_t v;

	if (!*scope)
		return fail(err, errlen,
			    "empty interface name after '%%' in \"%s\"", s);
	if (httpctl_parse_uint(scope, 1, UINT32_MAX, &v) == 0) {
		*id = (uint32_t)v;
		return 0;
	}
	*id = if_nametoindex(scope);
	if (!*id)
		return fail(err, errlen,
			    "unknown network interface \"%s\" in \"%s\"",
			    scope, s);
	return 0;
}

static int parse_port(const char *port, const char *s, uint16_t *out,
		      char *err, size_t errlen)
{
	uint64_t v;

	if (!*port)
		return fail(err, errlen, "missing port in \"%s\"", s);
	if (httpctl_parse_uint(port, 0, UINT64_MAX, &v))
		return fail(err, errlen, "invalid port \"%s\" in \"%s\"",
			    port, s);
	if (v == 0)
		return fail(err, errlen, "port 0 is not allowed in \"%s\"", s);
	if (v > 65535)
		return fail(err, errlen,
			    "port %s is out of range (1-65535) in \"%s\"",
			    port, s);
	*out = (uint16_t)v;
	return 0;
}

int httpctl_addr_parse(const char *s, struct khttp_addr *a,
		       char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 8];
	const char *port, *end;
	char *scope;
	size_t hlen;

	memset(a, 0, sizeof(*a));
	if (!*s)
		return fail(err, errlen, "empty address (expected ADDR:PORT, "
			    "e.g. 10.0.0.1:80 or [::1]:8080)");

	if (*s == '[') {
		end = strchr(s, ']');
		if (!end)
			return fail(err, errlen, "missing ']' in \"%s\"", s);
		hlen = (size_t)(end - (s + 1));
		if (end[1] == '\0')
			return fail(err, errlen, "missing port in \"%s\" "
				    "(expected [ADDR]:PORT, e.g. [::1]:8080)",
				    s);
		if (end[1] != ':')
			return fail(err, errlen,
				    "expected ':' after ']' in \"%s\"", s);
		port = end + 2;
		if (hlen == 0 || hlen >= sizeof(host))
			return fail(err, errlen,
				    "invalid IPv6 address in \"%s\"", s);
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
		scope = strchr(host, '%');
		if (scope) {
			*scope++ = '\0';
			if (parse_scope(scope, s, &a->scope_id, err, errlen))
				return -1;
		}
		if (inet_pton(AF_INET6, host, a->addr) != 1)
			return fail(err, errlen,
				    "invalid IPv6 address \"%s\" in \"%s\"",
				    host, s);
		a->family = AF_INET6;
	} else {
		end = strrchr(s, ':');
		if (!end)
			return fail(err, errlen, "missing port in \"%s\" "
				    "(expected ADDR:PORT, e.g. 10.0.0.1:80)",
				    s);
		if (strchr(s, ':') != end)
			return fail(err, errlen, "IPv6 addresses must be in "
				    "brackets, e.g. [::1]:8080, not \"%s\"", s);
		hlen = (size_t)(end - s);
		port = end + 1;
		if (hlen == 0 || hlen >= sizeof(host))
			return fail(err, errlen,
				    "missing or invalid address in \"%s\"", s);
		memcpy(host, s, hlen);
		host[hlen] = '\0';
		if (inet_pton(AF_INET, host, a->addr) != 1)
			return fail(err, errlen, "invalid IPv4 address \"%s\" "
				    "(host names are not resolved)", host);
		a->family = AF_INET;
	}
	if (parse_port(port, s, &a->port, err, errlen)) {
		memset(a, 0, sizeof(*a));
		return -1;
	}
	return 0;
}

const char *httpctl_addr_host(const struct khttp_addr *a,
			      char *buf, size_t len)
{
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    !inet_ntop(a->family, a->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

int httpctl_access_parse(const char *s, struct khttp_access_rule *r,
			 bool *masked)
{
	char host[INET6_ADDRSTRLEN + 1], *end;
	const char *slash = strchr(s, '/');
	size_t hlen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long bits, max;
	unsigned int i;

	memset(r->addr, 0, sizeof(r->addr));
	r->pad = 0;
	*masked = false;
	if (!strcmp(s, "all")) {
		r->family = 0;
		r->prefix_len = 0;
		return 0;
	}
	if (!hlen || hlen >= sizeof(host))
		return -1;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, r->addr) == 1) {
		r->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, host, r->addr) == 1) {
		r->family = AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	bits = max;
	if (slash) {
		if (!slash[1] || slash[1] < '0' || slash[1] > '9')
			return -1;
		errno = 0;
		bits = strtoul(slash + 1, &end, 10);
		if (errno || *end || bits > max)
			return -1;
	}
	r->prefix_len = (uint8_t)bits;
	for (i = 0; i < 16; i++) {
		uint8_t keep = i * 8 + 8 <= bits ? 0xff : i * 8 >= bits ? 0 :
			       (uint8_t)(0xff << (8 - bits % 8));

		if (r->addr[i] & ~keep)
			*masked = true;
		r->addr[i] &= keep;
	}
	return 0;
}

const char *httpctl_access_format(const struct khttp_access_rule *r,
				  char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (r->family != AF_INET && r->family != AF_INET6) {
		snprintf(buf, len, "all");
		return buf;
	}
	if (!inet_ntop(r->family, r->addr, host, sizeof(host)))
		snprintf(host, sizeof(host), "?");
	snprintf(buf, len, "%s/%u", host, r->prefix_len);
	return buf;
}

const char *httpctl_addr_format(const struct khttp_addr *a,
				char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN], scope[IF_NAMESIZE + 16] = "";
	char ifname[IF_NAMESIZE];

	httpctl_addr_host(a, host, sizeof(host));
	if (a->family == AF_INET) {
		snprintf(buf, len, "%s:%u", host, a->port);
	} else if (a->family == AF_INET6) {
		if (a->scope_id && if_indextoname(a->scope_id, ifname))
			snprintf(scope, sizeof(scope), "%%%s", ifname);
		else if (a->scope_id)
			snprintf(scope, sizeof(scope), "%%%u", a->scope_id);
		snprintf(buf, len, "[%s%s]:%u", host, scope, a->port);
	} else {
		snprintf(buf, len, "<family %u>:%u", a->family, a->port);
	}
	return buf;
}

size_t httpctl_nlmsgerr_payload(const struct nlmsghdr *nlh,
				const struct nlmsgerr *e)
{
	size_t len = sizeof(*e);

	/* Unless capped, the kernel echoes the request after the error. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= NLMSG_HDRLEN)
		len += e->msg.nlmsg_len - NLMSG_HDRLEN;
	return len;
}

void httpctl_extack_msg(const struct nlmsghdr *nlh, size_t payload,
			char *buf, size_t len)
{
	const unsigned char *p;
	struct nlattr a;
	size_t rem, step;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len < NLMSG_HDRLEN ||
	    NLMSG_ALIGN(payload) >= nlh->nlmsg_len - NLMSG_HDRLEN)
		return;
	p = (const unsigned char *)NLMSG_DATA(nlh) + NLMSG_ALIGN(payload);
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(payload);
	while (rem >= NLA_HDRLEN) {
		memcpy(&a, p, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > rem)
			return;
		if ((a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			const char *s = (const char *)p + NLA_HDRLEN;
			size_t n = a.nla_len - NLA_HDRLEN;

			if (n && s[n - 1] == '\0')
				snprintf(buf, len, "%s", s);
			return;
		}
		step = NLA_ALIGN(a.nla_len);
		if (step >= rem)
			return;
		p += step;
		rem -= step;
	}
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

int httpctl_split_line(char *line, char **argv, int max, const char **err)
{
	char *r = line, *w;
	int n = 0;

	for (;;) {
		char quote = 0;

		while (is_blank(*r))
			r++;
		if (!*r || *r == '#')
			return n;
		if (n == max) {
			*err = "too many words on one line";
			return -1;
		}
		/* Unquoting only shrinks a word, so write in place. */
		argv[n++] = w = r;
		while (*r) {
			if (quote) {
				if (*r == quote) {
					quote = 0;
					r++;
					continue;
				}
				if (quote == '"' && *r == '\\' && r[1])
					r++;
				*w++ = *r++;
				continue;
			}
			if (is_blank(*r))
				break;
			if (*r == '"' || *r == '\'') {
				quote = *r++;
				continue;
			}
			if (*r == '\\' && r[1])
				r++;
			*w++ = *r++;
		}
		if (quote) {
			*err = "unterminated quote";
			return -1;
		}
		if (*r)
			r++;
		*w = '\0';
	}
}

/*
 * A tiny JSON writer: compact output like `ip -j`, strings escaped per
 * RFC 8259, invalid UTF-8 replaced by U+FFFD so the output always parses.
 * About sixty lines, so no library.
 */
static size_t utf8_len(const unsigned char *p)
{
	uint32_t cp;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {	/* stops at NUL: not a continuation */
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', f);
	while (*p) {
		n = utf8_len(p);
		if (n == 0) {
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		if (n > 1) {
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
		p++;
	}
	fputc('"', f);
}

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

static void json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
}

static void json_open(struct json *j, char c)
{
	json_sep(j);
	fputc(c, j->f);
	if (j->depth + 1 >= JSON_MAX_DEPTH)
		abort();	/* a bug in httpctl, not bad input */
	j->need_comma[++j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	fputc(c, j->f);
	if (--j->depth == 0) {
		fputc('\n', j->f);
		j->need_comma[0] = false;
	}
}

void json_begin_object(struct json *j) { json_open(j, '{'); }
void json_end_object(struct json *j) { json_close(j, '}'); }
void json_begin_array(struct json *j) { json_open(j, '['); }
void json_end_array(struct json *j) { json_close(j, ']'); }

void json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_escape(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	json_sep(j);
	json_escape(j->f, s);
}

void json_uint(struct json *j, uint64_t v)
{
	json_sep(j);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void json_bool(struct json *j, bool v)
{
	json_sep(j);
	fputs(v ? "true" : "false", j->f);
}
