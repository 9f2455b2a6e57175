// SPDX-License-Identifier: GPL-2.0
/*
 * The pool device: requests in, responses out (records of <linux/khttp.h>,
 * encoded by libhttpq's record codec).
 *
 * Responses of all requests are batched into one write() per loop turn.
 * khttp refuses a body record with EAGAIN when that request's client is
 * more than KHTTP_RESP_BACKLOG behind; such a request is "stalled": its
 * records wait in its own stash (retried every few ms), it stops reading
 * its upstream, and the other requests' records go out regardless.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "httpq_rec.h"
#include "httpq_dev.h"
#include "proxy.h"

#define BODY_REC_MAX	(64U << 10)

int dev_open(struct proxy *px)
{
	char path[64 + KHTTP_POOL_NAME_MAX];
	const char *pool = px->cfg->pool;

	px->devfd = httpq_dev_open(pool, O_RDWR | O_NONBLOCK | O_CLOEXEC,
				   path, sizeof(path));
	if (px->devfd < 0) {
		fprintf(stderr, "httpq-proxy: %s: %s\n", path, strerror(errno));
		return -1;
	}
	px->rdbuf = malloc(KHTTP_READ_MIN);
	return px->rdbuf ? 0 : -1;
}

/* Room for one more record of at most @len bytes in @b. */
static int add_index(struct proxy *px, size_t off, size_t len, struct preq *p)
{
	if (px->nout == px->outcap) {
		size_t cap = px->outcap ? px->outcap * 2 : 256;
		struct outrec *n = realloc(px->outidx, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		px->outidx = n;
		px->outcap = cap;
	}
	px->outidx[px->nout++] = (struct outrec){ off, len, p };
	return 0;
}

/* The buffer a request's next record goes to: its stash while stalled. */
static struct buf *target(struct proxy *px, struct preq *p)
{
	return p->stalled ? &p->stash : &px->out;
}

static int queued(struct proxy *px, struct preq *p, struct buf *b, size_t off)
{
	if (b == &px->out)
		return add_index(px, off, b->len - off, p);
	return 0;
}

int dev_response(struct proxy *px, struct preq *p, unsigned int flags,
		 int status, const char *hdrs, size_t hlen, const void *body,
		 size_t blen, uint64_t clen, unsigned int ttl)
{
	struct buf *b = target(px, p);
	size_t need = httpq_rec_response_size(hlen, blen), off;
	ssize_t n;

	if (need > KHTTP_REC_MAX)
		return -EMSGSIZE;
	if (buf_reserve(b, need))
		return -ENOMEM;
	off = b->len;
	n = httpq_rec_encode_response(b->data + off, b->cap - off, p->id,
				      (uint16_t)flags, (uint16_t)status, hdrs,
				      hlen, 0, body, blen, ttl, clen);
	if (n < 0)
		return (int)n;
	b->len += (size_t)n;
	p->head_sent = true;
	if (!(flags & KHTTP_REC_F_MORE))
		p->resp_finished = true;
	return queued(px, p, b, off);
}

int dev_body(struct proxy *px, struct preq *p, const void *data, size_t len,
	     bool last)
{
	const char *d = data;

	do {
		size_t k = len > BODY_REC_MAX ? BODY_REC_MAX : len;
		struct buf *b = target(px, p);
		size_t off;
		ssize_t n;
		int more = !(last && k == len);

		if (buf_reserve(b, httpq_rec_body_size(k)))
			return -ENOMEM;
		off = b->len;
		n = httpq_rec_encode_body(b->data + off, b->cap - off, p->id,
					  more, d, k);
		if (n < 0)
			return (int)n;
		b->len += (size_t)n;
		if (queued(px, p, b, off))
			return -ENOMEM;
		d += k;
		len -= k;
	} while (len);
	if (last)
		p->resp_finished = true;
	return 0;
}

/* The streamed answer broke: khttp resets the client (KHTTP_REC_F_ABORT). */
int dev_abort(struct proxy *px, struct preq *p)
{
	struct buf *b = target(px, p);
	size_t off;
	ssize_t n;

	if (buf_reserve(b, httpq_rec_body_size(0)))
		return -ENOMEM;
	off = b->len;
	n = httpq_rec_encode_abort(b->data + off, b->cap - off, p->id);
	if (n < 0)
		return (int)n;
	b->len += (size_t)n;
	p->resp_finished = true;
	return queued(px, p, b, off);
}

void dev_forget(struct proxy *px, struct preq *p)
{
	size_t i;

	for (i = 0; i < px->nout; i++)
		if (px->outidx[i].p == p)
			px->outidx[i].p = NULL;
}

/* khttp refused @p's record for good: the request is over. */
static void refused(struct proxy *px, struct preq *p, int err)
{
	if (!p)
		return;
	fprintf(stderr, "httpq-proxy: response %llu refused: %s\n",
		(unsigned long long)p->id, strerror(err));
	p->stalled = false;
	buf_free(&p->stash);
	p->resp_finished = true;
	req_fail(px, p, 0, NULL);	/* drop its upstream side */
}

int dev_flush(struct proxy *px)
{
	size_t i = 0, j;
	ssize_t n;

	while (i < px->nout) {
		struct outrec *r = &px->outidx[i];
		size_t total = px->out.len - r->off;

		n = write(px->devfd, px->out.data + r->off, total);
		if (n > 0) {
			size_t done = 0;

			while (i < px->nout && done < (size_t)n) {
				done += px->outidx[i].len;
				i++;
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENODEV) {
			px->dev_gone = true;
			break;
		}
		if (n == 0)
			errno = EIO;
		/* The record at i was refused: its request's rest must wait. */
		if (errno == EAGAIN && r->p) {
			struct preq *p = r->p;

			p->stalled = true;
			px->nstalled++;
			for (j = i; j < px->nout; j++) {
				if (px->outidx[j].p != p)
					continue;
				if (buf_put(&p->stash, px->out.data + px->outidx[j].off,
					    px->outidx[j].len))
					return -ENOMEM;
				px->outidx[j].len = 0;
			}
		} else if (errno != EAGAIN) {
			struct preq *p = r->p;

			for (j = i; j < px->nout; j++)
				if (p && px->outidx[j].p == p)
					px->outidx[j].len = 0;
			r->len = 0;
			refused(px, p, errno);
		} else {
			r->len = 0;	/* a forgotten request's body: drop */
		}
		/* Squeeze out the records taken away, and go on. */
		{
			size_t w = px->outidx[i].off, k = i;

			for (j = i; j < px->nout; j++) {
				struct outrec x = px->outidx[j];

				if (!x.len)
					continue;
				memmove(px->out.data + w, px->out.data + x.off, x.len);
				px->outidx[k++] = (struct outrec){ w, x.len, x.p };
				w += x.len;
			}
			px->out.len = w;
			px->nout = k;
		}
	}
	px->out.off = px->out.len = 0;
	px->nout = 0;
	return px->dev_gone ? -ENODEV : 0;
}

/* Stalled requests' stashes, each on its own. */
int dev_retry_stalled(struct proxy *px)
{
	struct preq *p, *next;

	for (p = px->reqs; p; p = next) {
		next = p->next;
		if (!p->stalled)
			continue;
		while (buf_avail(&p->stash)) {
			ssize_t n = write(px->devfd, p->stash.data + p->stash.off,
					  buf_avail(&p->stash));

			if (n > 0) {
				p->stash.off += (size_t)n;
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				break;
			if (n < 0 && errno == ENODEV) {
				px->dev_gone = true;
				return -ENODEV;
			}
			px->nstalled--;
			refused(px, p, n < 0 ? errno : EIO);
			break;
		}
		if (p->stalled && !buf_avail(&p->stash)) {
			p->stalled = false;
			px->nstalled--;
			buf_free(&p->stash);
			req_unstalled(px, p);
		}
	}
	return 0;
}

/* True while a request's body outruns its upstream: stop reading. */
static bool body_paused(struct proxy *px)
{
	struct preq *p = px->partial;

	return p && buf_avail(&p->sendq) > (1U << 20);
}

int dev_read(struct proxy *px)
{
	while (!px->draining && px->inflight < px->cfg->max_requests &&
	       !body_paused(px)) {
		ssize_t n = read(px->devfd, px->rdbuf, KHTTP_READ_MIN);
		size_t off = 0;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			if (errno == ENODEV) {
				px->dev_gone = true;
				return -ENODEV;
			}
			return -errno;
		}
		if (n == 0)
			return 0;
		while (off < (size_t)n) {
			struct khttp_rec h;
			ssize_t step = httpq_rec_next(px->rdbuf + off,
						      (size_t)n - off, &h);
			const void *data;
			size_t dlen;

			if (step < 0) {
				fprintf(stderr, "httpq-proxy: malformed record from the device\n");
				break;
			}
			if (h.type == KHTTP_REC_REQUEST) {
				req_new(px, px->rdbuf + off, h.len);
			} else if (h.type == KHTTP_REC_REQ_BODY && px->partial &&
				   px->partial->id == h.id &&
				   !httpq_rec_decode_body(px->rdbuf + off, h.len,
							  &data, &dlen)) {
				req_body(px, px->partial, data, dlen,
					 !(h.flags & KHTTP_REC_F_MORE));
			}
			off += (size_t)step;
		}
	}
	return 0;
}
