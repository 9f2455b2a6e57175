// SPDX-License-Identifier: GPL-2.0
/*
 * Redirect routes: every request on the route is answered from here with
 * a redirect (301, 302, 307 or 308; 302 by default, as nginx's
 * "return URL" and IIS's httpRedirect) to a fixed target, the usual way to
 * move a site or send plain HTTP to HTTPS without a worker.
 *
 * The target is an absolute http:// or https:// URL with a host, or an
 * absolute path; it is checked when the route is added: printable ASCII
 * only (no space, CR, LF or other control byte, no byte above 0x7e: a
 * Location must be sent percent-encoded), at most KHTTP_REDIRECT_MAX - 1
 * bytes.  With keep-path, what the request's path has after the route's
 * prefix, and its query, are appended (route "/old/" to
 * "https://x/new/": "/old/a/b?q=1" goes to "https://x/new/a/b?q=1"); a
 * target not ending in '/' gets one before a non-empty rest, as IIS does,
 * and such a target may hold no query or fragment of its own.  The rest of
 * the path is the normalised, decoded one, encoded again here, so a
 * %0d%0a in a request can never become a line break in the Location.
 */
#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>
#include "khttp.h"
#include "conn.h"
#include "redirect.h"
#include "resp.h"

/* Bytes a path segment carries as they are (RFC 3986 pchar minus '%'). */
static bool khttp_redirect_pchar(u8 c)
{
	return isascii(c) && (isalnum(c) ||
			      (c && strchr("-._~!$&'()*+,;=:@/", c)));
}

static const char *khttp_redirect_check(const char *t, size_t len,
					bool keep_path)
{
	const char *host = NULL;
	size_t i;

	if (!len)
		return "the redirect target is empty";
	if (len >= KHTTP_REDIRECT_MAX)
		return "the redirect target is longer than 2047 bytes";
	for (i = 0; i < len; i++)
		if ((u8)t[i] <= 0x20 || (u8)t[i] >= 0x7f)
			return "the redirect target may hold only printable ASCII: no space, CR, LF or control byte (percent-encode the rest)";
	if (!strncasecmp(t, "http://", 7))
		host = t + 7;
	else if (!strncasecmp(t, "https://", 8))
		host = t + 8;
	if (host) {
		if (!*host || strchr("/?#", *host))
			return "the redirect target URL has no host";
	} else if (t[0] != '/' || t[1] == '/' || t[1] == '\\') {
		return "the redirect target must be an absolute http:// or https:// URL or a path starting with a single '/'";
	}
	if (keep_path && strpbrk(t, "?#"))
		return "with keep-path the redirect target may hold no query or fragment";
	return NULL;
}

int khttp_redirect_new(const char *target, u16 status, bool keep_path,
		       struct khttp_redirect **out,
		       struct netlink_ext_ack *extack)
{
	size_t len = strnlen(target, KHTTP_REDIRECT_MAX);
	struct khttp_redirect *rd;
	const char *why;

	if (!status)
		status = KHTTP_REDIRECT_DEFAULT;
	if (status != 301 && status != 302 && status != 307 && status != 308) {
		NL_SET_ERR_MSG(extack, "a redirect status is 301, 302, 307 or 308");
		return -EINVAL;
	}
	why = khttp_redirect_check(target, len, keep_path);
	if (why) {
		khttp_extack(extack, why);
		return -EINVAL;
	}
	rd = kmalloc(struct_size(rd, target, len + 1), GFP_KERNEL);
	if (!rd)
		return -ENOMEM;
	refcount_set(&rd->ref, 1);
	rd->status = status;
	rd->keep_path = keep_path;
	rd->len = len;
	memcpy(rd->target, target, len + 1);
	*out = rd;
	return 0;
}

void khttp_redirect_put(struct khttp_redirect *rd)
{
	if (rd && refcount_dec_and_test(&rd->ref))
		kfree(rd);
}

/* Append @c, percent-encoded unless @ok says it goes as it is. */
static bool khttp_redirect_put_byte(char *out, u32 cap, u32 *n, u8 c, bool ok)
{
	static const char hex[] = "0123456789ABCDEF";

	if (ok) {
		if (*n + 1 > cap)
			return false;
		out[(*n)++] = c;
		return true;
	}
	if (*n + 3 > cap)
		return false;
	out[(*n)++] = '%';
	out[(*n)++] = hex[c >> 4];
	out[(*n)++] = hex[c & 15];
	return true;
}

int khttp_redirect_location(const struct khttp_redirect *rd,
			    const char *rest, u32 restlen, const char *query,
			    u32 querylen, char *out, u32 cap)
{
	u32 n = 0, i;

	if (rd->len + 1 > cap)
		return -E2BIG;
	memcpy(out, rd->target, rd->len);
	n = rd->len;
	if (!rd->keep_path)
		goto done;
	if (restlen && n && out[n - 1] != '/' &&
	    !khttp_redirect_put_byte(out, cap, &n, '/', true))
		return -E2BIG;
	for (i = 0; i < restlen; i++)
		if (!khttp_redirect_put_byte(out, cap, &n, rest[i],
					     khttp_redirect_pchar(rest[i])))
			return -E2BIG;
	if (query) {
		if (!khttp_redirect_put_byte(out, cap, &n, '?', true))
			return -E2BIG;
		/* Sent as it came, but for bytes a header may not carry. */
		for (i = 0; i < querylen; i++) {
			u8 c = query[i];

			if (!khttp_redirect_put_byte(out, cap, &n, c,
						     c > 0x20 && c < 0x7f))
				return -E2BIG;
		}
	}
done:
	if (n + 1 > cap)
		return -E2BIG;
	out[n] = '\0';
	return n;
}

void khttp_redirect_respond(struct khttp_conn *c,
			    const struct khttp_redirect *rd, const char *path,
			    u32 pathlen, u32 skip)
{
	const struct khttp_req *r = &c->rq->req;
	u32 restlen = pathlen > skip ? pathlen - skip : 0;
	u32 cap = rd->len + 2 + 3 * restlen +
		  (r->has_query ? 1 + 3 * r->query.len : 0) + 1;
	char body[64];
	char *loc;
	int n, blen;

	loc = kmalloc(cap, GFP_KERNEL);
	if (!loc) {
		khttp_resp_error(c, 500);
		return;
	}
	n = khttp_redirect_location(rd, path + skip, restlen,
				    r->has_query ? c->buf + r->query.off : NULL,
				    r->has_query ? r->query.len : 0, loc, cap);
	if (n < 0 || khttp_resp_begin_cap(c, rd->status, 512 + n)) {
		if (n < 0)
			khttp_resp_error(c, 500);
		kfree(loc);
		return;
	}
	c->rq->resp_source = KHTTP_LOG_REDIRECT;
	blen = scnprintf(body, sizeof(body), "<h1>%u %s</h1>\n", rd->status,
			 khttp_reason(rd->status));
	khttp_resp_add(c, "Location: %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n",
		       loc, blen);
	khttp_resp_end(c, body, blen, r->method == KHTTP_METHOD_HEAD);
	kfree(loc);
}
