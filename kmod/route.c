// SPDX-License-Identifier: GPL-2.0
/*
 * Route prefixes: parsing, canonical form, comparison, reachability, and
 * a request's host as routes see it; the table they live in is
 * routetable.c.  See route.h for the contract.
 */
#include "compat.h"
#include "route.h"
#include "routepriv.h"

/* ---- characters --------------------------------------------------------- */

static inline bool route_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool route_is_alnum(char c)
{
	c = route_lower(c);
	return route_is_digit(c) || (c >= 'a' && c <= 'z');
}

/* Digits and dots only: such a host is an IPv4 literal, never a name. */
static bool route_is_numeric(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!route_is_digit(s[i]) && s[i] != '.')
			return false;
	return true;
}

static int route_hex_val(char c)
{
	if (route_is_digit(c))
		return c - '0';
	c = route_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Case-insensitive compare of the first @n bytes of @s with @lit. */
static bool route_prefix_ci(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);
	size_t i;

	if (len < n)
		return false;
	for (i = 0; i < n; i++)
		if (route_lower(s[i]) != lit[i])
			return false;
	return true;
}

/* ---- address literals --------------------------------------------------- */

/*
 * Strict dotted quad: four decimal parts 0-255 without leading zeros, so
 * that "010.0.0.1" (octal to inet_aton) cannot mean two things.
 */
static bool route_parse_ipv4(const char *s, size_t len, u8 *out)
{
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		u32 v = 0;
		size_t start = i;

		if (part) {
			if (i >= len || s[i] != '.')
				return false;
			start = ++i;
		}
		while (i < len && route_is_digit(s[i]) && i - start < 3)
			v = v * 10 + (s[i++] - '0');
		if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
			return false;
		if (i < len && route_is_digit(s[i]))
			return false;
		out[part] = v;
	}
	return i == len;
}

/* RFC 4291 text form, with an optional dotted-quad tail; no zone id. */
static bool route_parse_ipv6(const char *s, size_t len, u8 *out)
{
	u16 words[8];
	int nw = 0, gap = -1, j;
	size_t i = 0;

	memset(out, 0, 16);
	if (len < 2)
		return false;
	if (s[0] == ':') {
		if (s[1] != ':')
			return false;
		gap = 0;
		i = 2;
	}
	while (i < len) {
		size_t start = i;
		u32 v = 0;
		int d;

		while (i < len && i - start < 5 && (d = route_hex_val(s[i])) >= 0) {
			v = (v << 4) | d;
			i++;
		}
		if (i == start)
			return false;
		if (i < len && s[i] == '.') {
			u8 v4[4];

			/* Embedded IPv4 ends the address and takes two words. */
			if (nw > 6 || !route_parse_ipv4(s + start, len - start, v4))
				return false;
			words[nw++] = (v4[0] << 8) | v4[1];
			words[nw++] = (v4[2] << 8) | v4[3];
			break;
		}
		if (i - start > 4 || nw == 8)
			return false;
		words[nw++] = v;
		if (i == len)
			break;
		if (s[i++] != ':' || i == len)
			return false;
		if (s[i] == ':') {
			if (gap >= 0)
				return false;
			gap = nw;
			i++;
		}
	}
	/* Without "::" all eight words; with it, it stands for at least one. */
	if (gap < 0 ? nw != 8 : nw > 7)
		return false;
	for (j = 0; j < nw; j++) {
		int pos = (gap < 0 || j < gap) ? j : 8 - nw + j;

		out[2 * pos] = words[j] >> 8;
		out[2 * pos + 1] = words[j] & 0xff;
	}
	return true;
}

static bool route_is_v4mapped(const u8 *a)
{
	static const u8 pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return !memcmp(a, pfx, sizeof(pfx));
}

static bool route_is_zero(const u8 *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

/* ---- formatting --------------------------------------------------------- */

/* snprintf-like sink: counts everything, stores what fits. */
struct route_buf {
	char *buf;
	size_t sz;
	size_t len;
};

static void route_putc(struct route_buf *b, char c)
{
	if (b->len + 1 < b->sz)
		b->buf[b->len] = c;
	b->len++;
}

static void route_puts(struct route_buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		route_putc(b, s[i]);
}

static void route_putu(struct route_buf *b, u32 v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		route_putc(b, tmp[--n]);
}

static void route_puthex(struct route_buf *b, u16 v)
{
	static const char hex[] = "0123456789abcdef";
	int shift, started = 0;

	for (shift = 12; shift >= 0; shift -= 4) {
		int d = (v >> shift) & 0xf;

		if (d || started || !shift) {
			route_putc(b, hex[d]);
			started = 1;
		}
	}
}

static void route_put_ipv4(struct route_buf *b, const u8 *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			route_putc(b, '.');
		route_putu(b, a[i]);
	}
}

/* RFC 5952: lowercase, no leading zeros, "::" for the longest zero run. */
static void route_put_ipv6(struct route_buf *b, const u8 *a)
{
	int best = -1, bestlen = 1, run = 0, i;

	if (route_is_v4mapped(a)) {
		route_puts(b, "::ffff:", 7);
		route_put_ipv4(b, a + 12);
		return;
	}
	for (i = 0; i < 8; i++) {
		run = (a[2 * i] || a[2 * i + 1]) ? 0 : run + 1;
		if (run > bestlen) {
			bestlen = run;
			best = i - run + 1;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			route_puts(b, "::", 2);
			i += bestlen - 1;
			continue;
		}
		if (i && i != best + bestlen)
			route_putc(b, ':');
		route_puthex(b, (a[2 * i] << 8) | a[2 * i + 1]);
	}
}

size_t route_key_format(const struct route_key *k, char *buf, size_t sz)
{
	struct route_buf b = { .buf = buf, .sz = sz, .len = 0 };

	if (k->kind != ROUTE_HOST_ANY) {
		route_puts(&b, "http://", 7);
		switch (k->kind) {
		case ROUTE_HOST_STRONG:
			route_putc(&b, '+');
			break;
		case ROUTE_HOST_WEAK:
			route_putc(&b, '*');
			break;
		case ROUTE_HOST_NAME:
			route_puts(&b, k->host.name, k->namelen);
			break;
		case ROUTE_HOST_IPV4:
			route_put_ipv4(&b, k->host.addr);
			break;
		case ROUTE_HOST_IPV6:
			route_putc(&b, '[');
			route_put_ipv6(&b, k->host.addr);
			route_putc(&b, ']');
			break;
		}
		route_putc(&b, ':');
		route_putu(&b, k->port);
	}
	route_puts(&b, k->path, k->pathlen);
	if (sz)
		buf[min(b.len, sz - 1)] = '\0';
	return b.len;
}

/* ---- hashing ------------------------------------------------------------ */

static u32 route_key_host_hash(const struct route_key *k)
{
	switch (k->kind) {
	case ROUTE_HOST_NAME:
		return route_fnv_bytes((const u8 *)k->host.name, k->namelen);
	case ROUTE_HOST_IPV4:
		return route_fnv_bytes(k->host.addr, 4);
	case ROUTE_HOST_IPV6:
		return route_fnv_bytes(k->host.addr, 16);
	}
	return 0;
}

u32 route_key_hash(const struct route_key *k)
{
	return route_mix(route_fnv_bytes((const u8 *)k->path, k->pathlen),
			 route_key_host_hash(k), k->kind, k->port);
}

/* ---- parsing ------------------------------------------------------------ */

/* LDH labels joined by dots; stored lowercase without the trailing dot. */
static int route_parse_name(const char *s, size_t len, struct route_key *k,
			    const char **errmsg)
{
	size_t i, label = 0;

	if (len > 1 && s[len - 1] == '.')
		len--;
	if (len > ROUTE_NAME_MAX) {
		*errmsg = "host name in route prefix is longer than 253 characters";
		return -ENAMETOOLONG;
	}
	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';

		if (c == '.') {
			if (!label) {
				*errmsg = "host name in route prefix has an empty label";
				return -EINVAL;
			}
			if (s[i - 1] == '-') {
				*errmsg = "host name label in route prefix must not start or end with '-'";
				return -EINVAL;
			}
			if (i < len)
				k->host.name[i] = '.';
			label = 0;
			continue;
		}
		if (!route_is_alnum(c) && c != '-') {
			*errmsg = "host name in route prefix may hold only letters, digits, '-' and '.'";
			return -EINVAL;
		}
		if (c == '-' && !label) {
			*errmsg = "host name label in route prefix must not start or end with '-'";
			return -EINVAL;
		}
		if (++label > 63) {
			*errmsg = "host name label in route prefix is longer than 63 characters";
			return -EINVAL;
		}
		k->host.name[i] = route_lower(c);
	}
	k->host.name[len] = '\0';
	k->namelen = len;
	k->kind = ROUTE_HOST_NAME;
	return 0;
}

/* "HOST[:PORT]" of a URL; sets kind, host and port. */
static int route_parse_authority(const char *s, size_t len,
				 struct route_key *k, const char **errmsg)
{
	const char *port = NULL;
	size_t hlen, i, plen = 0;
	u32 v = 0;
	int err;

	if (!len) {
		*errmsg = "route prefix has no host (use + or * for any host)";
		return -EINVAL;
	}
	if (memchr(s, '@', len)) {
		*errmsg = "route prefix must not contain user information ('@')";
		return -EINVAL;
	}
	if (memchr(s, '?', len) || memchr(s, '#', len)) {
		*errmsg = "route prefix must not contain a query or fragment";
		return -EINVAL;
	}

	if (s[0] == '[') {
		const char *end = memchr(s, ']', len);

		if (!end) {
			*errmsg = "unterminated IPv6 address in route prefix";
			return -EINVAL;
		}
		hlen = end + 1 - s;
		if (memchr(s, '%', hlen)) {
			*errmsg = "IPv6 zone ids are not supported in route prefixes";
			return -EINVAL;
		}
		if (!route_parse_ipv6(s + 1, hlen - 2, k->host.addr)) {
			*errmsg = "invalid IPv6 address in route prefix";
			return -EINVAL;
		}
		if (hlen < len && s[hlen] != ':') {
			*errmsg = "unexpected character after IPv6 address in route prefix";
			return -EINVAL;
		}
		k->kind = ROUTE_HOST_IPV6;
	} else {
		const char *colon = memchr(s, ':', len);

		if (colon && memchr(colon + 1, ':', len - (colon + 1 - s))) {
			*errmsg = "IPv6 addresses in route prefixes must be in brackets";
			return -EINVAL;
		}
		hlen = colon ? (size_t)(colon - s) : len;
		if (!hlen) {
			*errmsg = "route prefix has no host (use + or * for any host)";
			return -EINVAL;
		}
		if (hlen == 1 && s[0] == '+') {
			k->kind = ROUTE_HOST_STRONG;
		} else if (hlen == 1 && s[0] == '*') {
			k->kind = ROUTE_HOST_WEAK;
		} else if (route_is_numeric(s, hlen)) {
			/* All-numeric names do not exist: this must be IPv4. */
			if (!route_parse_ipv4(s, hlen, k->host.addr)) {
				*errmsg = "invalid IPv4 address in route prefix";
				return -EINVAL;
			}
			k->kind = ROUTE_HOST_IPV4;
		} else {
			err = route_parse_name(s, hlen, k, errmsg);
			if (err)
				return err;
		}
	}

	k->port = 80;
	if (hlen == len)
		return 0;
	port = s + hlen + 1;
	plen = len - hlen - 1;
	if (!plen) {
		*errmsg = "route prefix has an empty port";
		return -EINVAL;
	}
	for (i = 0; i < plen; i++) {
		if (!route_is_digit(port[i]) || i >= 5) {
			*errmsg = "invalid port in route prefix";
			return -EINVAL;
		}
		v = v * 10 + (port[i] - '0');
	}
	if (!v || v > 65535) {
		*errmsg = "route prefix port must be 1-65535";
		return -EINVAL;
	}
	k->port = v;
	return 0;
}

/*
 * Refuse rather than rewrite anything a request normaliser would change,
 * so that a route can only ever name paths that requests can carry.
 */
static int route_parse_path(const char *p, size_t len, struct route_key *k,
			    const char **errmsg)
{
	size_t i, seg = 1, newlen;

	for (i = 0; i < len; i++) {
		if (p[i] == '?' || p[i] == '#') {
			*errmsg = "route prefix must not contain a query or fragment";
			return -EINVAL;
		}
		if (p[i] == '%') {
			*errmsg = "route prefix must not contain '%' (write the path decoded)";
			return -EINVAL;
		}
	}
	/* Check each segment between '/'s. */
	for (i = 1; i <= len; i++) {
		size_t n;

		if (i < len && p[i] != '/')
			continue;
		n = i - seg;
		if (!n && i < len) {
			*errmsg = "route prefix must not contain empty segments ('//')";
			return -EINVAL;
		}
		if ((n == 1 && p[seg] == '.') ||
		    (n == 2 && p[seg] == '.' && p[seg + 1] == '.')) {
			*errmsg = "route prefix must not contain '.' or '..' segments";
			return -EINVAL;
		}
		seg = i + 1;
	}

	/* "/app" and "/app/" are one prefix: store the '/' form. */
	newlen = len + (p[len - 1] != '/');
	if (newlen > ROUTE_PATH_MAX) {
		*errmsg = "route prefix path is too long";
		return -ENAMETOOLONG;
	}
	k->path = khttp_zalloc(newlen + 1);
	if (!k->path) {
		*errmsg = "out of memory";
		return -ENOMEM;
	}
	memcpy(k->path, p, len);
	k->path[newlen - 1] = '/';
	k->pathlen = newlen;
	return 0;
}

int route_key_parse(const char *s, size_t len, struct route_key *out,
		    const char **errmsg)
{
	const char *path;
	size_t i, alen;
	int err;

	memset(out, 0, sizeof(*out));
	if (!len) {
		*errmsg = "route prefix is empty";
		return -EINVAL;
	}
	if (len >= KHTTP_PREFIX_MAX) {
		*errmsg = "route prefix is too long";
		return -ENAMETOOLONG;
	}
	for (i = 0; i < len; i++) {
		if ((u8)s[i] < 0x20 || s[i] == 0x7f) {
			*errmsg = "route prefix must not contain control characters";
			return -EINVAL;
		}
	}

	if (s[0] == '/') {
		err = route_parse_path(s, len, out, errmsg);
		if (!err)
			out->hash = route_key_hash(out);
		return err;
	}

	if (route_prefix_ci(s, len, "https://")) {
		*errmsg = "https:// route prefixes are not supported (khttp has no TLS)";
		return -EOPNOTSUPP;
	}
	if (!route_prefix_ci(s, len, "http://")) {
		*errmsg = "route prefix must start with '/' or http://";
		return -EINVAL;
	}
	s += 7;
	len -= 7;
	path = memchr(s, '/', len);
	alen = path ? (size_t)(path - s) : len;
	err = route_parse_authority(s, alen, out, errmsg);
	if (!err)
		err = path ? route_parse_path(path, len - alen, out, errmsg) :
			     route_parse_path("/", 1, out, errmsg);
	if (err) {
		route_key_destroy(out);
		memset(out, 0, sizeof(*out));
		return err;
	}
	out->hash = route_key_hash(out);
	return 0;
}

void route_key_destroy(struct route_key *k)
{
	khttp_free(k->path);
	k->path = NULL;
}

static bool route_host_equal(const struct route_key *a,
			     const struct route_key *b)
{
	switch (a->kind) {
	case ROUTE_HOST_NAME:
		return a->namelen == b->namelen &&
		       !memcmp(a->host.name, b->host.name, a->namelen);
	case ROUTE_HOST_IPV4:
		return !memcmp(a->host.addr, b->host.addr, 4);
	case ROUTE_HOST_IPV6:
		return !memcmp(a->host.addr, b->host.addr, 16);
	}
	return true;
}

bool route_key_equal(const struct route_key *a, const struct route_key *b)
{
	return a->kind == b->kind && a->port == b->port &&
	       a->pathlen == b->pathlen &&
	       !memcmp(a->path, b->path, a->pathlen) && route_host_equal(a, b);
}

bool route_key_reachable(const struct route_key *k,
			 const struct khttp_addr *listen, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		const struct khttp_addr *l = &listen[i];

		if (k->port && l->port != k->port)
			continue;
		if (k->kind == ROUTE_HOST_IPV4 &&
		    (l->family != ROUTE_AF_INET ||
		     (memcmp(l->addr, k->host.addr, 4) &&
		      !route_is_zero(l->addr, 4))))
			continue;
		if (k->kind == ROUTE_HOST_IPV6 &&
		    (l->family != ROUTE_AF_INET6 ||
		     (memcmp(l->addr, k->host.addr, 16) &&
		      !route_is_zero(l->addr, 16))))
			continue;
		return true;
	}
	return false;
}

void route_req_host_parse(struct route_req_host *rh, const char *host,
			  size_t hostlen,
				 const struct khttp_addr *local)
{
	const char *colon;
	size_t n, i;
	u32 h;

	memset(rh, 0, sizeof(*rh));
	rh->kind = ROUTE_HOST_ANY;
	if (!host || !hostlen) {
		/* No Host (HTTP/1.0): IP routes match the local address. */
		if (!local)
			return;
		if (local->family == ROUTE_AF_INET) {
			rh->kind = ROUTE_HOST_IPV4;
			memcpy(rh->addr, local->addr, 4);
		} else if (local->family == ROUTE_AF_INET6 &&
			   route_is_v4mapped(local->addr)) {
			/* An IPv4 client on a dual-stack socket. */
			rh->kind = ROUTE_HOST_IPV4;
			memcpy(rh->addr, local->addr + 12, 4);
		} else if (local->family == ROUTE_AF_INET6) {
			rh->kind = ROUTE_HOST_IPV6;
			memcpy(rh->addr, local->addr, 16);
		} else {
			return;
		}
		rh->hash = route_fnv_bytes(rh->addr,
					   rh->kind == ROUTE_HOST_IPV4 ? 4 : 16);
		return;
	}

	if (host[0] == '[') {
		const char *end = memchr(host, ']', hostlen);

		if (!end || !route_parse_ipv6(host + 1, end - host - 1, rh->addr))
			return;
		rh->kind = ROUTE_HOST_IPV6;
		rh->hash = route_fnv_bytes(rh->addr, 16);
		return;
	}

	colon = memchr(host, ':', hostlen);
	n = colon ? (size_t)(colon - host) : hostlen;
	if (n && host[n - 1] == '.')
		n--;
	if (!n || n > ROUTE_NAME_MAX)
		return;
	if (route_is_numeric(host, n)) {
		/* As in route_parse_authority(): IPv4 or nothing. */
		if (route_parse_ipv4(host, n, rh->addr)) {
			rh->kind = ROUTE_HOST_IPV4;
			rh->hash = route_fnv_bytes(rh->addr, 4);
		}
		return;
	}
	h = ROUTE_FNV_OFFSET;
	for (i = 0; i < n; i++)
		h = route_fnv(h, route_lower(host[i]));
	rh->kind = ROUTE_HOST_NAME;
	rh->name = host;
	rh->namelen = n;
	rh->hash = h;
}
