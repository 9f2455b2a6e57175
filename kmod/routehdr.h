/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Response headers a route adds to its answers (routehdr.c): nginx's
 * add_header, IIS's customHeaders.
 */
#ifndef KHTTP_ROUTEHDR_H
#define KHTTP_ROUTEHDR_H

#include <linux/refcount.h>
#include <linux/types.h>

struct netlink_ext_ack;

/*
 * The route's header lines, checked and ready to copy: "Name: value\r\n"
 * each, @n of them in @len bytes.  Shared by the route and the requests
 * in flight on it (a request holds a reference until its answer is
 * written), immutable, freed by the last put.
 */
struct khttp_rhdrs {
	refcount_t ref;
	u16 n;
	u32 len;
	char data[];
};

/*
 * The most bytes all of a route's lines take, CRLFs included: what every
 * head of the route may grow by, and what keeps a route's dump message
 * small.
 */
#define KHTTP_RHDRS_BYTES	4096

/*
 * A new set from @n lines ("Name: value", without CRLF, @lens bytes each).
 * Returns 0 with *@out set (NULL for @n == 0), -EINVAL with an extack
 * message naming the line and what is wrong with it, -E2BIG, or -ENOMEM.
 */
int khttp_rhdrs_new(const char *const *lines, const u32 *lens, u32 n,
		    struct khttp_rhdrs **out, struct netlink_ext_ack *extack);

/*
 * Line @i of @h without its CRLF (for listing): *@len bytes at the
 * return value, or NULL past the end.  O(len): listing only.
 */
const char *khttp_rhdrs_line(const struct khttp_rhdrs *h, u32 i, u32 *len);

static inline struct khttp_rhdrs *khttp_rhdrs_get(struct khttp_rhdrs *h)
{
	if (h)
		refcount_inc(&h->ref);
	return h;
}

void khttp_rhdrs_put(struct khttp_rhdrs *h);

/*
 * Whether an answer with @status gets the route's headers: as nginx's
 * add_header without "always", the 2xx and 3xx answers 200, 201, 204, 206,
 * 301, 302, 303, 304, 307 and 308; never khttp's or a worker's errors.
 */
bool khttp_rhdrs_applies(u16 status);

/*
 * Append @h's lines at @out (@cap bytes left) when @status takes them;
 * returns the bytes written (all of them or none).
 */
size_t khttp_rhdrs_write(const struct khttp_rhdrs *h, u16 status, char *out,
			 size_t cap);

#endif /* KHTTP_ROUTEHDR_H */
