// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/httpq ring indices and copies (see ringidx.h).  Every index here
 * may come from a worker: each is one value read once, checked with
 * __u32 arithmetic that cannot overflow into a valid answer, and a copy
 * never runs past the ring however the record wraps.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "httpqrec.h"
#include "ringidx.h"

static_assert(!(KHTTP_RING_REQ_SIZE & (KHTTP_RING_REQ_SIZE - 1)));
static_assert(!(KHTTP_RING_ANS_SIZE & (KHTTP_RING_ANS_SIZE - 1)));
static_assert(KHTTP_RING_REQ_SIZE >= KHTTP_REC_MAX);
static_assert(KHTTP_RING_ANS_SIZE >= KHTTP_REC_MAX);
static_assert(sizeof(struct khttp_ring_hdr) <= KHTTP_RING_HDR_SIZE);

int khttp_ring_check_head(u32 seen, u32 tail, u32 head)
{
	if (head % KHTTP_REC_ALIGN)
		return -EINVAL;
	/* Not backwards past @seen, not forwards past @tail. */
	return (u32)(head - seen) <= (u32)(tail - seen) ? 0 : -EINVAL;
}

int khttp_ring_check_tail(u32 head, u32 tail, u32 size)
{
	if (tail % KHTTP_REC_ALIGN)
		return -EINVAL;
	return (u32)(tail - head) <= size ? 0 : -EINVAL;
}

int khttp_ring_rec_span(const struct khttp_rec *hdr, u32 avail, u32 *span)
{
	int err = khttp_rec_len_check(hdr, avail);

	if (err)
		return err;
	/* avail is aligned (both indices are), so the padding fits too. */
	*span = ALIGN(hdr->len, KHTTP_REC_ALIGN);
	return *span <= avail ? 0 : -EINVAL;
}

void khttp_ring_copy_out(void *dst, const void *ring, u32 size, u32 idx,
			 u32 len)
{
	u32 off = idx & (size - 1);
	u32 first = min(len, size - off);

	memcpy(dst, ring + off, first);
	memcpy(dst + first, ring, len - first);
}

void khttp_ring_copy_in(void *ring, u32 size, u32 idx, const void *src,
			u32 len)
{
	u32 off = idx & (size - 1);
	u32 first = min(len, size - off);

	memcpy(ring + off, src, first);
	memcpy(ring, src + first, len - first);
}

void khttp_ring_zero(void *ring, u32 size, u32 idx, u32 len)
{
	u32 off = idx & (size - 1);
	u32 first = min(len, size - off);

	memset(ring + off, 0, first);
	memset(ring, 0, len - first);
}
