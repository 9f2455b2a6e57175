// SPDX-License-Identifier: GPL-2.0
/*
 * libhttpq: the worker's side of the /dev/httpq ring (see httpq_ring.h
 * and <linux/khttp.h>).  Indices are free-running 32-bit byte counts;
 * records may wrap around a ring's end, so they are copied in and out in
 * up to two pieces.  The kernel's indices are loaded with acquire, ours
 * stored with release, so records are in place before an index says so.
 */
#include "httpq_ring.h"
#include "httpq_rec.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

int httpq_ring_map(int fd, struct httpq_ring *r)
{
	struct khttp_ring_enter e;
	struct stat st;
	void *m;

	memset(r, 0, sizeof(*r));
	/*
	 * The probe: a ring-capable /dev/httpq says ENXIO to a doorbell
	 * before the ring is mapped; anything else (an older kernel: ENOTTY)
	 * is not mapped at all.
	 */
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENODEV;
	if (httpq_ring_enter(fd, 0, &e) != -ENXIO)
		return -ENODEV;
	m = mmap(NULL, KHTTP_RING_MMAP_SIZE, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	r->mem = m;
	r->hdr = m;
	r->req = (unsigned char *)m + KHTTP_RING_REQ_OFF;
	r->ans = (unsigned char *)m + KHTTP_RING_ANS_OFF;
	if (r->hdr->magic != KHTTP_RING_MAGIC ||
	    r->hdr->req_size != KHTTP_RING_REQ_SIZE ||
	    r->hdr->ans_size != KHTTP_RING_ANS_SIZE) {
		httpq_ring_unmap(r);
		return -EPROTO;
	}
	r->req_head = __atomic_load_n(&r->hdr->req_tail, __ATOMIC_ACQUIRE);
	r->ans_tail = __atomic_load_n(&r->hdr->ans_head, __ATOMIC_ACQUIRE);
	return 0;
}

void httpq_ring_unmap(struct httpq_ring *r)
{
	if (r->mem)
		munmap(r->mem, KHTTP_RING_MMAP_SIZE);
	memset(r, 0, sizeof(*r));
}

static void copy_in(unsigned char *ring, uint32_t size, uint32_t idx,
		    const void *src, size_t len)
{
	uint32_t off = idx & (size - 1);
	size_t first = len < size - off ? len : size - off;

	memcpy(ring + off, src, first);
	memcpy(ring, (const unsigned char *)src + first, len - first);
}

static void copy_out(void *dst, const unsigned char *ring, uint32_t size,
		     uint32_t idx, size_t len)
{
	uint32_t off = idx & (size - 1);
	size_t first = len < size - off ? len : size - off;

	memcpy(dst, ring + off, first);
	memcpy((unsigned char *)dst + first, ring, len - first);
}

uint32_t httpq_ring_ans_pending(const struct httpq_ring *r)
{
	return r->ans_tail -
	       __atomic_load_n(&r->hdr->ans_head, __ATOMIC_ACQUIRE);
}

uint32_t httpq_ring_req_pending(const struct httpq_ring *r)
{
	return __atomic_load_n(&r->hdr->req_tail, __ATOMIC_ACQUIRE) -
	       r->req_head;
}

size_t httpq_ring_put(struct httpq_ring *r, const unsigned char *buf,
		      size_t len)
{
	uint32_t room = KHTTP_RING_ANS_SIZE - httpq_ring_ans_pending(r);
	struct khttp_rec h;
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = httpq_rec_next(buf + off, len - off, &h);
		/* Ours, so well formed; padding is in the buffer. */
		if (n <= 0 || (size_t)n > room)
			break;
		copy_in(r->ans, KHTTP_RING_ANS_SIZE, r->ans_tail, buf + off,
			(size_t)n);
		r->ans_tail += (uint32_t)n;
		room -= (uint32_t)n;
		off += (size_t)n;
	}
	if (off)
		__atomic_store_n(&r->hdr->ans_tail, r->ans_tail,
				 __ATOMIC_RELEASE);
	return off;
}

long httpq_ring_take(struct httpq_ring *r, void *buf, size_t cap)
{
	uint32_t n = httpq_ring_req_pending(r);

	if (n > KHTTP_RING_REQ_SIZE || n > cap || n % KHTTP_REC_ALIGN)
		return -EPROTO;
	if (!n)
		return 0;
	copy_out(buf, r->req, KHTTP_RING_REQ_SIZE, r->req_head, n);
	r->req_head += n;
	__atomic_store_n(&r->hdr->req_head, r->req_head, __ATOMIC_RELEASE);
	return (long)n;
}

int httpq_ring_enter(int fd, uint32_t flags, struct khttp_ring_enter *e)
{
	memset(e, 0, sizeof(*e));
	e->flags = flags;
	return ioctl(fd, KHTTP_IOC_RING_ENTER, e) < 0 ? -errno : 0;
}
