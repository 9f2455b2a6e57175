/* SPDX-License-Identifier: GPL-2.0 */
/* A growable byte buffer: data[off..len) is what is left to use. */
#ifndef HTTPQ_PROXY_BUF_H
#define HTTPQ_PROXY_BUF_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char *data;
	size_t off, len, cap;
};

static inline size_t buf_avail(const struct buf *b)
{
	return b->len - b->off;
}

/* Room for @n more bytes at the end; -1 when out of memory. */
static inline int buf_reserve(struct buf *b, size_t n)
{
	size_t cap;
	char *d;

	if (b->off && b->off == b->len)
		b->off = b->len = 0;
	if (b->cap - b->len >= n)
		return 0;
	if (b->off && b->len - b->off + n <= b->cap) {
		memmove(b->data, b->data + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
		return 0;
	}
	cap = b->cap ? b->cap : 4096;
	while (cap - b->len < n)
		cap *= 2;
	d = realloc(b->data, cap);
	if (!d)
		return -1;
	b->data = d;
	b->cap = cap;
	return 0;
}

static inline int buf_put(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n))
		return -1;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

static inline int buf_puts(struct buf *b, const char *s)
{
	return buf_put(b, s, strlen(s));
}

static inline void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->off = b->len = b->cap = 0;
}

#endif
