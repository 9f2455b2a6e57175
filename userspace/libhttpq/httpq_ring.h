/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhttpq internals: the /dev/httpq shared-memory ring (httpq_ring.c),
 * the worker's side of the layout and index rules in <linux/khttp.h>.
 * httpq.c moves its output buffer into the answer ring and the request
 * ring into its input buffer, so the record code is the same as with
 * read() and write().  Not installed.
 */
#ifndef HTTPQ_RING_H
#define HTTPQ_RING_H

#include <stddef.h>
#include <stdint.h>

#include <linux/khttp.h>

struct httpq_ring {
	void *mem;			/* KHTTP_RING_MMAP_SIZE, shared */
	struct khttp_ring_hdr *hdr;
	unsigned char *req, *ans;
	uint32_t req_head;		/* ours: requests taken */
	uint32_t ans_tail;		/* ours: answers written */
};

/*
 * Map @fd's ring.  0, or -errno: ENODEV (or ENOTTY, EINVAL) from a kernel
 * without the ring, EPROTO if the region does not look like one.
 */
int httpq_ring_map(int fd, struct httpq_ring *r);
void httpq_ring_unmap(struct httpq_ring *r);

/*
 * Move whole records from @buf (@len bytes of them, as the output buffer
 * holds them) into the answer ring while they fit, and publish them.
 * Returns the bytes moved.
 */
size_t httpq_ring_put(struct httpq_ring *r, const unsigned char *buf,
		      size_t len);
/* Answer bytes published that the kernel has not taken yet. */
uint32_t httpq_ring_ans_pending(const struct httpq_ring *r);
/* Request bytes the kernel published that we have not taken. */
uint32_t httpq_ring_req_pending(const struct httpq_ring *r);
/*
 * Copy every published request record to @buf (@cap >=
 * KHTTP_RING_REQ_SIZE) and give the space back.  Returns the bytes, or
 * -EPROTO if the kernel's index makes no sense.
 */
long httpq_ring_take(struct httpq_ring *r, void *buf, size_t cap);
/* The doorbell: KHTTP_IOC_RING_ENTER with @flags.  0 or -errno. */
int httpq_ring_enter(int fd, uint32_t flags, struct khttp_ring_enter *e);

#endif /* HTTPQ_RING_H */
