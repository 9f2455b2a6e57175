/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The /dev/httpq ring's index arithmetic and wrapped copies (ringidx.c):
 * pure functions, no locking, no allocation, so KUnit (kunit/ring_test.c)
 * checks every index and length a worker can write.  The layout and the
 * rules are in include/uapi/linux/khttp.h.
 */
#ifndef KHTTP_RINGIDX_H
#define KHTTP_RINGIDX_H

#include <linux/types.h>
#include <linux/khttp.h>

/*
 * A consumer index the worker wrote (req_head): 0 if it lies between
 * @seen, the last one accepted, and @tail, the producer's, and is aligned.
 */
int khttp_ring_check_head(u32 seen, u32 tail, u32 head);
/*
 * A producer index the worker wrote (ans_tail): 0 if it is aligned and at
 * most @size bytes past @head, the kernel's consumer index.
 */
int khttp_ring_check_tail(u32 head, u32 tail, u32 size);
/*
 * The next record of an answer ring, its header @hdr copied out at an
 * index with @avail bytes published after it: 0 and its padded length in
 * *@span, -EMSGSIZE over KHTTP_REC_MAX, -EINVAL if shorter than its
 * header or past what is published.
 */
int khttp_ring_rec_span(const struct khttp_rec *hdr, u32 avail, u32 *span);
/* Copy @len bytes out of / into a ring of @size (a power of two) at @idx. */
void khttp_ring_copy_out(void *dst, const void *ring, u32 size, u32 idx,
			 u32 len);
void khttp_ring_copy_in(void *ring, u32 size, u32 idx, const void *src,
			u32 len);
/* Zero @len bytes of the ring at @idx (a record's padding). */
void khttp_ring_zero(void *ring, u32 size, u32 idx, u32 len);

#endif /* KHTTP_RINGIDX_H */
