// SPDX-License-Identifier: GPL-2.0
/*
 * Sending: every byte for a client's socket leaves through this file --
 * a response head, khttp's own short answers (100 Continue, the 503 of a
 * refused connection), a file's page-cache pages, a cached body's pinned
 * pages or its copy in memory, a worker's answer -- so that how sending
 * differs between kernels (khttp_sendpages() in compat/) and, later, TLS
 * have one place.  Nothing here blocks: a full socket is -EAGAIN, and the
 * connection's write_space callback brings its work item back.  Pacing
 * (the route's rate cap) is the caller's: it says how much may go.
 *
 * File data is never copied: the file is spliced into the worker's
 * internal pipe (page references) and each pipe buffer's page is handed
 * to TCP by reference.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pipe_fs_i.h>
#include <linux/slab.h>
#include <linux/file.h>
#include <net/sock.h>
#include "xmit.h"

#define KHTTP_SPLICE_CHUNK	(64 * 1024)

int khttp_xmit(struct socket *sock, const struct khttp_tx *tx)
{
	int flags = MSG_DONTWAIT | MSG_NOSIGNAL | (tx->more ? MSG_MORE : 0);
	struct msghdr m = { .msg_flags = flags };
	struct kvec v;

	if (!tx->data)
		return khttp_sendpages(sock, tx->pages, tx->off, tx->len,
				       flags);
	v.iov_base = (void *)tx->data + tx->off;
	v.iov_len = tx->len;
	return kernel_sendmsg(sock, &m, &v, 1, v.iov_len);
}

void khttp_out_reset(struct khttp_out *o)
{
	char *head = o->head;
	u32 cap = o->cap;

	if (o->file)
		fput(o->file);
	if (cap > KHTTP_OUT_KEEP) {
		kfree(head);
		head = NULL;
		cap = 0;
	}
	*o = (struct khttp_out){ .head = head, .cap = cap };
}

void khttp_out_free(struct khttp_out *o)
{
	khttp_out_reset(o);
	kfree(o->head);
	o->head = NULL;
	o->cap = 0;
}

static int khttp_splice_actor(struct pipe_inode_info *pipe,
			      struct splice_desc *sd)
{
	struct khttp_splice_sink *sink = sd->u.data;
	int ret;

	pipe_lock(pipe);
	ret = __splice_from_pipe(pipe, sd, sink->buf_fn);
	pipe_unlock(pipe);
	return ret;
}

ssize_t khttp_splice_file(struct file *f, struct splice_desc *sd)
{
	return splice_direct_to_actor(f, sd, khttp_splice_actor);
}

struct khttp_splice_sock {
	struct khttp_splice_sink sink;
	struct socket *sock;
	u64 left;		/* of the body, when this round began */
	u64 round_len;		/* sd->total_len when this round began */
};

static int khttp_pipe_to_sock(struct pipe_inode_info *pipe,
			      struct pipe_buffer *buf, struct splice_desc *sd)
{
	struct khttp_splice_sock *sp = sd->u.data;
	u64 sent = sp->round_len - sd->total_len;
	struct khttp_tx tx = {
		.pages = &buf->page,
		.off = buf->offset,
		.len = sd->len,
		/* More of this response follows: let TCP fill segments. */
		.more = sp->left > sent + sd->len,
	};

	return khttp_xmit(sp->sock, &tx);
}

/* One splice round of at most @cap bytes of the file from o->body_off. */
static ssize_t khttp_xmit_file(struct socket *sock, struct khttp_out *o,
			       u64 cap)
{
	struct khttp_splice_sock sp = {
		.sink.buf_fn = khttp_pipe_to_sock,
		.sock = sock,
		.left = o->body_left,
		.round_len = min_t(u64, cap, KHTTP_SPLICE_CHUNK),
	};
	struct splice_desc sd = {
		.total_len = sp.round_len,
		.flags = SPLICE_F_NONBLOCK,
		.pos = o->body_off,
		.u.data = &sp,
	};

	return khttp_splice_file(o->file, &sd);
}

int khttp_xmit_out(struct socket *sock, struct khttp_out *o, u64 cap,
		   u64 *sent)
{
	ssize_t ret;

	*sent = 0;
	while (o->off < o->len) {
		struct khttp_tx tx = {
			.data = o->head,
			.off = o->off,
			.len = o->len - o->off,
			.more = o->body_left,
		};

		ret = khttp_xmit(sock, &tx);
		if (ret <= 0)
			return ret ? ret : -EIO;
		o->off += ret;
		*sent += ret;
	}
	while (cap && o->body_left) {
		struct khttp_tx tx = {
			.data = o->mem,
			.pages = o->pages,
			.off = o->body_off,
			.len = min3(cap, o->body_left, (u64)INT_MAX),
		};

		if (o->file) {
			ret = khttp_xmit_file(sock, o, tx.len);
		} else {
			tx.more = o->body_left > tx.len;
			ret = khttp_xmit(sock, &tx);
		}
		if (ret <= 0)
			return ret ? ret : -EIO;	/* the file shrank */
		o->body_off += ret;
		o->body_left -= ret;
		cap -= ret;
		*sent += ret;
	}
	return 0;
}

struct khttp_chunk *khttp_chunk_new(size_t len)
{
	/* Up to a whole record: kvmalloc, so fragmentation cannot fail it. */
	struct khttp_chunk *ch = kvmalloc(struct_size(ch, data, len),
					  GFP_KERNEL);

	if (ch) {
		ch->len = len;
		ch->off = 0;
	}
	return ch;
}

long khttp_xmit_chunks(struct socket *sock, const struct khttp_chunkq *q,
		       u64 cap, bool *freed)
{
	struct khttp_chunk *ch;
	long sent = 0;
	int ret = 0;

	*freed = false;
	while (sent < cap) {
		struct khttp_tx tx = {};

		/* Writers only append: the first chunk stays ours to send. */
		spin_lock_bh(q->lock);
		ch = list_first_entry_or_null(q->list, struct khttp_chunk,
					      node);
		spin_unlock_bh(q->lock);
		if (!ch)
			break;
		if (ch->off < ch->len) {
			tx.data = ch->data;
			tx.off = ch->off;
			tx.len = min_t(u64, ch->len - ch->off, cap - sent);
			ret = khttp_xmit(sock, &tx);
			if (ret <= 0)
				break;
			ch->off += ret;
			sent += ret;
		}
		spin_lock_bh(q->lock);
		*q->sent += ret > 0 ? ret : 0;
		ret = 0;
		if (ch->off == ch->len) {
			list_del(&ch->node);
			*q->bytes -= ch->len;
		} else {
			ch = NULL;
		}
		spin_unlock_bh(q->lock);
		if (!ch)
			continue;
		kvfree(ch);
		*freed = true;
	}
	return sent ? sent : ret;
}
