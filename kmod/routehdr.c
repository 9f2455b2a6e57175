// SPDX-License-Identifier: GPL-2.0
/*
 * Response headers a route adds to every answer it gives (HSTS,
 * Cache-Control, a CSP...): nginx's add_header, IIS's customHeaders.
 *
 * The lines are checked once, when the route is added, by the same rules
 * a worker's header lines pass (httpqrec.c): a token name, a value without
 * CR, LF, NUL or other control bytes, and none of the headers khttp
 * writes itself (framing, Connection, Date, Server).  They are stored
 * ready to copy, and resp.c -- the one writer of response heads -- copies
 * them into each head of the route's 2xx and 3xx answers, whoever made the
 * answer: a static file, the response cache, a worker, a redirect.  As
 * nginx's add_header (without "always") khttp's own and workers' 4xx/5xx
 * answers do not get them.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>
#include "khttp.h"
#include "httpqrec.h"
#include "routehdr.h"

bool khttp_rhdrs_applies(u16 status)
{
	switch (status) {
	case 200: case 201: case 204: case 206:
	case 301: case 302: case 303: case 304: case 307: case 308:
		return true;
	}
	return false;
}

/* One line, as given: why it is refused, or NULL. */
static const char *khttp_rhdr_check(const char *s, u32 len, char *tmp)
{
	const char *colon = memchr(s, ':', len);

	if (!len)
		return "an added header is empty; give it as 'Name: value'";
	/* One line: the worker's check would take "a: b\r\nc: d" as two. */
	if (memchr(s, '\r', len) || memchr(s, '\n', len))
		return "an added header is not a valid 'Name: value' line: the name must be a token and the value may hold no CR, LF or other control byte";
	if (!colon)
		return "an added header has no ':'; give it as 'Name: value'";
	if (khttp_rec_reserved_header(s, colon - s))
		return "an added header may not be one khttp writes itself (Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade, TE, Trailer, Date, Server, Proxy-Connection)";
	memcpy(tmp, s, len);
	memcpy(tmp + len, "\r\n", 2);
	if (khttp_rec_headers_check(tmp, len + 2))
		return "an added header is not a valid 'Name: value' line: the name must be a token and the value may hold no CR, LF or other control byte";
	return NULL;
}

int khttp_rhdrs_new(const char *const *lines, const u32 *lens, u32 n,
		    struct khttp_rhdrs **out, struct netlink_ext_ack *extack)
{
	struct khttp_rhdrs *h;
	const char *why;
	size_t total = 0;
	u32 i;

	*out = NULL;
	if (!n)
		return 0;
	if (n > KHTTP_ROUTE_HEADER_MAX) {
		NL_SET_ERR_MSG(extack, "a route takes at most 16 added headers");
		return -E2BIG;
	}
	for (i = 0; i < n; i++) {
		if (lens[i] >= KHTTP_ROUTE_HEADER_LEN) {
			NL_SET_ERR_MSG(extack, "an added header is longer than 1023 bytes");
			return -E2BIG;
		}
		total += lens[i] + 2;
	}
	if (total > KHTTP_RHDRS_BYTES) {
		NL_SET_ERR_MSG(extack, "a route's added headers take more than 4096 bytes in all");
		return -E2BIG;
	}
	h = kmalloc(struct_size(h, data, total), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	refcount_set(&h->ref, 1);
	h->n = n;
	h->len = 0;
	for (i = 0; i < n; i++) {
		/* Checked in place: the CRLF goes right after the line. */
		why = khttp_rhdr_check(lines[i], lens[i], h->data + h->len);
		if (why) {
			khttp_extack(extack, why);
			kfree(h);
			return -EINVAL;
		}
		h->len += lens[i] + 2;
	}
	*out = h;
	return 0;
}

const char *khttp_rhdrs_line(const struct khttp_rhdrs *h, u32 i, u32 *len)
{
	const char *p, *end, *eol;

	if (!h || i >= h->n)
		return NULL;
	p = h->data;
	end = h->data + h->len;
	for (;;) {
		/* Each line ends in its one CRLF (checked on the way in). */
		eol = memchr(p, '\r', end - p);
		if (!eol)
			return NULL;
		if (!i--) {
			*len = eol - p;
			return p;
		}
		p = eol + 2;
	}
}

void khttp_rhdrs_put(struct khttp_rhdrs *h)
{
	if (h && refcount_dec_and_test(&h->ref))
		kfree(h);
}

size_t khttp_rhdrs_write(const struct khttp_rhdrs *h, u16 status, char *out,
			 size_t cap)
{
	if (!h || !khttp_rhdrs_applies(status) || h->len > cap)
		return 0;
	memcpy(out, h->data, h->len);
	return h->len;
}
