// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for libhttpq's ring side (httpq_ring.c) on a region in
 * ordinary memory, the kernel's part played by hand: answers that wrap
 * around the ring's end come out whole, only whole records go in, a full
 * ring takes nothing, requests are taken up to the kernel's tail and the
 * space is given back, and a kernel tail that makes no sense is -EPROTO.
 */
#include "test_httpq.h"
#include "httpq_ring.h"

static void ring_over(struct httpq_ring *r, void *mem)
{
	memset(r, 0, sizeof(*r));
	r->mem = NULL;		/* not mapped: never unmapped */
	r->hdr = mem;
	r->req = (unsigned char *)mem + KHTTP_RING_REQ_OFF;
	r->ans = (unsigned char *)mem + KHTTP_RING_ANS_OFF;
}

/* The kernel's copy-out of what the worker published, as httpqring.c. */
static void kcopy(void *dst, const unsigned char *ring, uint32_t size,
		  uint32_t idx, size_t len)
{
	uint32_t off = idx & (size - 1);
	size_t first = len < size - off ? len : size - off;

	memcpy(dst, ring + off, first);
	memcpy((unsigned char *)dst + first, ring, len - first);
}

void test_ring(void)
{
	unsigned char *mem = calloc(1, KHTTP_RING_MMAP_SIZE);
	static unsigned char out[1 << 16], back[1 << 16];
	struct httpq_ring r;
	struct khttp_rec h;
	const uint32_t start = KHTTP_RING_ANS_SIZE - 24;
	ssize_t n1, n2;
	size_t n;
	long got;

	if (!mem) {
		check("ring: memory", 0);
		return;
	}
	ring_over(&r, mem);
	/* Start near the end of the ring and near 2^32, so both wrap. */
	r.ans_tail = start + 0xffe00000u;
	r.hdr->ans_head = r.ans_tail;
	n1 = httpq_rec_encode_response(out, sizeof(out), 7, 0, 200, "X: y", 4,
				       1, "hello", 5, 0, 5);
	n2 = httpq_rec_encode_body(out + n1, sizeof(out) - n1, 8, 0, "abc", 3);
	n = httpq_ring_put(&r, out, (size_t)(n1 + n2));
	check("ring: put takes whole records", n == (size_t)(n1 + n2));
	check("ring: ans_tail published",
	      r.hdr->ans_tail == r.ans_tail &&
	      httpq_ring_ans_pending(&r) == (uint32_t)(n1 + n2));
	kcopy(back, r.ans, KHTTP_RING_ANS_SIZE, r.hdr->ans_head, n);
	check("ring: a record across the end comes out whole",
	      !memcmp(back, out, n));
	memcpy(&h, back + n1, sizeof(h));
	check("ring: second record after the first",
	      h.id == 8 && h.type == KHTTP_REC_RESP_BODY);
	/* The kernel takes them. */
	r.hdr->ans_head = r.ans_tail;
	check("ring: nothing pending once taken",
	      !httpq_ring_ans_pending(&r));
	/* A full ring takes nothing; a partial fit only whole records. */
	r.hdr->ans_head = r.ans_tail - KHTTP_RING_ANS_SIZE + (uint32_t)n1;
	check("ring: room for one record only",
	      httpq_ring_put(&r, out, (size_t)(n1 + n2)) == (size_t)n1);
	check("ring: full ring takes nothing",
	      httpq_ring_put(&r, out + n1, (size_t)n2) == 0);

	/* Requests: the kernel wrote two records across the end. */
	r.req_head = KHTTP_RING_REQ_SIZE - 16;
	{
		struct buf *b = calloc(1, sizeof(*b));
		struct httpq_rec_req d;
		uint32_t len, off;

		if (!b) {
			check("ring: memory", 0);
			free(mem);
			return;
		}
		add_request(b, 11, 0, KHTTP_HTTP_GET, "GET", "/r",
			    "Host: h\r\n", "", 0, 0);
		len = (uint32_t)b->len;
		off = r.req_head & (KHTTP_RING_REQ_SIZE - 1);
		memcpy(r.req + off, b->b, 16);
		memcpy(r.req, b->b + 16, len - 16);
		r.hdr->req_tail = r.req_head + len;
		check("ring: requests pending",
		      httpq_ring_req_pending(&r) == len);
		got = httpq_ring_take(&r, out, sizeof(out));
		memcpy(&h, out, sizeof(h));
		check("ring: take copies the wrapped record",
		      got == (long)len && !memcmp(out, b->b, len) &&
		      !httpq_rec_decode_request(out, h.len, &d) &&
		      d.hdr.id == 11 && !memcmp(d.target, "/r", 2));
		check("ring: req_head given back",
		      r.hdr->req_head == r.req_head &&
		      !httpq_ring_req_pending(&r));
		check("ring: nothing more to take",
		      httpq_ring_take(&r, out, sizeof(out)) == 0);
		/* A kernel tail behind us or past the ring: -EPROTO. */
		r.hdr->req_tail = r.req_head - 8;
		check("ring: tail behind head is -EPROTO",
		      httpq_ring_take(&r, out, sizeof(out)) == -EPROTO);
		r.hdr->req_tail = r.req_head + 12;
		check("ring: unaligned tail is -EPROTO",
		      httpq_ring_take(&r, out, sizeof(out)) == -EPROTO);
		free(b);
	}
	free(mem);
}
