/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sending (xmit.c): the one place bytes are written to a client's socket.
 * A response is a head in memory followed by at most one body: bytes in
 * memory (a cached worker answer), page references (a cached file's
 * pinned pages), a file spliced from the page cache, or a worker's answer
 * as a queue of chunks.  How sending differs between kernels is in
 * compat/ (khttp_sendpages()); TLS will go here.
 */
#ifndef KHTTP_XMIT_H
#define KHTTP_XMIT_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/splice.h>
#include <linux/types.h>

struct file;
struct page;
struct socket;

/* One piece to send: bytes in memory, or page references (never copied). */
struct khttp_tx {
	const void *data;		/* NULL: send from pages */
	struct page **pages;		/* consecutive pages of one body */
	size_t off;			/* into data, or into pages[0] */
	size_t len;
	bool more;			/* more of this response follows */
};

/*
 * Send what @tx describes on @sock without blocking.  Returns the bytes
 * sent (> 0), or -errno (-EAGAIN: the socket is full).
 */
int khttp_xmit(struct socket *sock, const struct khttp_tx *tx);

/* A response on its way out: the head, then at most one body source. */
struct khttp_out {
	char *head;			/* kmalloc'ed, cap bytes; kept between answers */
	u32 len;			/* 0: no response begun */
	u32 off;			/* head bytes sent */
	u32 cap;
	const void *mem;		/* body in memory, or */
	struct page **pages;		/* body in pages from offset 0, or */
	struct file *file;		/* body spliced from a file (a ref) */
	u64 body_off;			/* into mem or pages; the file position */
	u64 body_left;
};

static inline bool khttp_out_done(const struct khttp_out *o)
{
	return o->off == o->len && !o->body_left;
}

static inline bool khttp_out_begun(const struct khttp_out *o)
{
	return o->len;
}

/*
 * A head buffer up to this size stays with the request for its next
 * answer (pipelined requests reuse it); a larger one goes with its answer.
 */
#define KHTTP_OUT_KEEP	4096

/*
 * Forget the response and drop the file; the head buffer stays for the
 * next one (up to KHTTP_OUT_KEEP), the body's owner keeps mem/pages.
 */
void khttp_out_reset(struct khttp_out *o);
/* The request goes: its head buffer too. */
void khttp_out_free(struct khttp_out *o);

/*
 * Send the rest of the head of @o, then up to @cap bytes of its body.
 * *@sent gets the bytes sent, head and body.  Returns 0 once @cap body
 * bytes (or the whole body) went, -EAGAIN when the socket is full, -EIO
 * when the file ended early, or another -errno.
 */
int khttp_xmit_out(struct socket *sock, struct khttp_out *o, u64 cap,
		   u64 *sent);

/* A piece of an answer in memory, queued for sending. */
struct khttp_chunk {
	struct list_head node;
	u32 len;
	u32 off;			/* bytes of it sent */
	char data[];
};

struct khttp_chunk *khttp_chunk_new(size_t len);

/*
 * A queue of chunks that writers append to under @lock and only the
 * sender removes from; @bytes (queued) and @sent are under @lock too.
 */
struct khttp_chunkq {
	spinlock_t *lock;
	struct list_head *list;
	size_t *bytes;
	u64 *sent;
};

/*
 * Send the chunks on @q in order, at most @cap bytes, freeing each one
 * sent whole.  Returns the bytes sent, 0 if none were queued, or -errno
 * if none could go (-EAGAIN: the socket is full).  *@freed: room was
 * made (a writer waiting for the backlog to shrink may go on).
 */
long khttp_xmit_chunks(struct socket *sock, const struct khttp_chunkq *q,
		       u64 cap, bool *freed);

/* What sd->u.data of khttp_splice_file() points at (first member). */
struct khttp_splice_sink {
	splice_actor *buf_fn;		/* called for each pipe buffer */
};

/*
 * Splice @f from sd->pos through the task's internal pipe, handing each
 * pipe buffer (a page-cache page reference) to the sink sd->u.data names.
 */
ssize_t khttp_splice_file(struct file *f, struct splice_desc *sd);

#endif /* KHTTP_XMIT_H */
