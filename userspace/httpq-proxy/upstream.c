// SPDX-License-Identifier: GPL-2.0
/*
 * Upstream servers and their connections: choosing an upstream (least
 * connections or round robin, skipping those marked down), kept-alive idle
 * connections (a capped LIFO list per upstream), passive health (an
 * upstream that refuses, times out or resets is down for --down-time, then
 * tried again), and connecting from the --source addresses with
 * IP_BIND_ADDRESS_NO_PORT, so the source port is chosen at connect() time
 * for the whole 4-tuple, not reserved by bind().
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy.h"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

void up_init(struct proxy *px)
{
	struct config *cfg = px->cfg;
	int i;

	px->nup = cfg->nupstreams;
	for (i = 0; i < px->nup; i++) {
		struct upstream *u = &px->up[i];

		memset(u, 0, sizeof(*u));
		u->idx = i;
		u->name = cfg->up[i].name;
		u->addr = &cfg->up[i].addr;
		u->alen = cfg->up[i].alen;
	}
}

static bool tried(const struct preq *p, int i)
{
	return p->tried_mask[i / 32] & (1U << (i % 32));
}

/* The upstream for @p's next attempt, or NULL if every one was tried. */
static struct upstream *pick(struct proxy *px, struct preq *p)
{
	struct upstream *best = NULL, *probe = NULL;
	uint64_t now = now_ms();
	int i, k;

	for (k = 0; k < px->nup; k++) {
		i = (int)((px->rr + (unsigned int)k) % (unsigned int)px->nup);
		struct upstream *u = &px->up[i];

		if (tried(p, i))
			continue;
		if (u->down_until > now) {
			if (!probe || u->down_until < probe->down_until)
				probe = u;
			continue;
		}
		if (!best)
			best = u;
		else if (px->cfg->least_conn && u->busy < best->busy)
			best = u;
		if (!px->cfg->least_conn)
			break;
	}
	px->rr++;
	/* All down: try the one that has been down longest, not nobody. */
	return best ? best : probe;
}

static void idle_unlink(struct uconn *uc)
{
	struct upstream *u = uc->up;

	if (uc->prev)
		uc->prev->next = uc->next;
	else
		u->idle = uc->next;
	if (uc->next)
		uc->next->prev = uc->prev;
	uc->next = uc->prev = NULL;
	u->nidle--;
}

void up_close(struct proxy *px, struct uconn *uc)
{
	if (uc->dead)
		return;
	if (uc->state == UC_IDLE)
		idle_unlink(uc);
	else
		uc->up->busy--;
	loop_del(px, uc->fd);
	close(uc->fd);
	uc->fd = -1;
	uc->dead = true;
	uc->req = NULL;
	buf_free(&uc->rbuf);
	uc->next = px->grave;
	px->grave = uc;
}

void up_reap(struct proxy *px)
{
	while (px->grave) {
		struct uconn *uc = px->grave;

		px->grave = uc->next;
		free(uc);
	}
}

/* A kept-alive connection the upstream has closed (or written to). */
bool up_stale(struct uconn *uc)
{
	char c;
	ssize_t n = recv(uc->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);

	return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

void up_failed(struct proxy *px, struct upstream *u)
{
	if (u->down_until <= now_ms())
		COUNT(px, u, marked_down);
	u->down_until = now_ms() + px->cfg->down_ms;
}

/*
 * A new connection to @u for @p.  Returns 0 (connecting), -EADDRNOTAVAIL
 * when every source address is out of ports, or another -errno.
 */
static int connect_new(struct proxy *px, struct preq *p, struct upstream *u)
{
	struct config *cfg = px->cfg;
	int tries = cfg->nsources ? cfg->nsources : 1, t, one = 1, fd = -1;
	int err = 0;
	struct uconn *uc;

	for (t = 0; t < tries; t++) {
		fd = socket(u->addr->ss_family,
			    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (cfg->nsources) {
			int k = (int)(px->src_rr++ % (unsigned int)cfg->nsources);

			/* The port is picked by connect(), per 4-tuple. */
			if (!cfg->no_bind_no_port &&
			    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT,
				       &one, sizeof(one))) {
				err = -errno;
				close(fd);
				return err;
			}
			if (bind(fd, (struct sockaddr *)&cfg->src[k],
				 cfg->srclen[k])) {
				err = errno == EADDRINUSE ? -EADDRNOTAVAIL : -errno;
				close(fd);
				fd = -1;
				if (err == -EADDRNOTAVAIL)
					continue;	/* next source */
				return err;
			}
		}
		if (connect(fd, (const struct sockaddr *)u->addr, u->alen) &&
		    errno != EINPROGRESS) {
			err = -errno;
			close(fd);
			fd = -1;
			if (err == -EADDRNOTAVAIL)
				continue;
			return err;
		}
		err = 0;
		break;
	}
	if (fd < 0)
		return err ? err : -EADDRNOTAVAIL;
	uc = calloc(1, sizeof(*uc));
	if (!uc) {
		close(fd);
		return -ENOMEM;
	}
	uc->fd = fd;
	uc->up = u;
	uc->state = UC_CONNECTING;
	uc->req = p;
	if (loop_add(px, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, uc)) {
		err = -errno;
		close(fd);
		free(uc);
		return err;
	}
	u->busy++;
	p->uc = uc;
	p->deadline = now_ms() + cfg->connect_timeout_ms;
	COUNT(px, u, connects);
	return 0;
}

int up_acquire(struct proxy *px, struct preq *p)
{
	struct upstream *u = pick(px, p);
	struct uconn *uc;

	if (!u)
		return -EHOSTUNREACH;
	p->tried_mask[u->idx / 32] |= 1U << (u->idx % 32);
	p->cur_up = u;
	u->c.requests++;	/* attempts sent to it */
	while ((uc = u->idle)) {
		idle_unlink(uc);
		if (up_stale(uc)) {
			uc->state = UC_BUSY;	/* up_close counts it busy */
			u->busy++;
			up_close(px, uc);
			continue;
		}
		uc->state = UC_BUSY;
		uc->req = p;
		uc->reused = true;
		u->busy++;
		p->uc = uc;
		COUNT(px, u, reuses);
		req_connected(px, p);
		return 0;
	}
	return connect_new(px, p, u);
}

void up_release(struct proxy *px, struct uconn *uc, bool reusable)
{
	struct upstream *u = uc->up;

	if (!reusable || px->draining || u->nidle >= px->cfg->max_idle ||
	    buf_avail(&uc->rbuf) || uc->eof) {
		up_close(px, uc);
		return;
	}
	u->busy--;
	uc->req = NULL;
	uc->state = UC_IDLE;
	uc->rbuf.off = uc->rbuf.len = 0;
	uc->deadline = now_ms() + px->cfg->idle_timeout_ms;
	uc->prev = NULL;
	uc->next = u->idle;
	if (u->idle)
		u->idle->prev = uc;
	u->idle = uc;
	u->nidle++;
}

/* Up to @max bytes into uc->rbuf: the count, 0 at EOF, or -errno. */
long up_read(struct uconn *uc, size_t max)
{
	ssize_t n;

	if (buf_reserve(&uc->rbuf, max))
		return -ENOMEM;
	n = recv(uc->fd, uc->rbuf.data + uc->rbuf.len, max, 0);
	if (n < 0)
		return -errno;
	if (n == 0)
		uc->eof = true;
	uc->rbuf.len += (size_t)n;
	return n;
}

int up_send(struct proxy *px, struct uconn *uc)
{
	struct preq *p = uc->req;

	(void)px;
	while (p && buf_avail(&p->sendq) > p->scur) {
		const char *d = p->sendq.data + p->sendq.off + p->scur;
		size_t n = buf_avail(&p->sendq) - p->scur;
		ssize_t k = send(uc->fd, d, n, MSG_NOSIGNAL);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			return -errno;
		}
		p->sent += (uint64_t)k;
		if (p->retained)
			p->scur += (size_t)k;
		else
			p->sendq.off += (size_t)k;
	}
	return 0;
}

void up_event(struct proxy *px, struct uconn *uc, uint32_t ev)
{
	struct preq *p = uc->req;

	if (uc->dead)
		return;
	if (uc->state == UC_IDLE) {
		/* The upstream closed a kept-alive connection, or babbles. */
		if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
			up_close(px, uc);
		return;
	}
	if (!p)
		return;
	if (uc->state == UC_CONNECTING) {
		int err = 0;
		socklen_t l = sizeof(err);

		if (!(ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		if (getsockopt(uc->fd, SOL_SOCKET, SO_ERROR, &err, &l))
			err = errno;
		if (!err && (ev & (EPOLLERR | EPOLLHUP)))
			err = ECONNREFUSED;
		if (err) {
			req_upstream_error(px, p, err, false);
			return;
		}
		uc->state = UC_BUSY;
		req_connected(px, p);
		return;
	}
	if (ev & EPOLLOUT) {
		int err = up_send(px, uc);

		if (err && !(ev & EPOLLIN)) {
			req_upstream_error(px, p, -err, false);
			return;
		}
	}
	if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		uc->readable = true;
		req_upstream_data(px, p);
	}
}

void up_timers(struct proxy *px, uint64_t now)
{
	int i;

	for (i = 0; i < px->nup; i++) {
		struct uconn *uc = px->up[i].idle, *next;

		for (; uc; uc = next) {
			next = uc->next;
			if (uc->deadline <= now)
				up_close(px, uc);
		}
	}
}

void up_close_all(struct proxy *px)
{
	int i;

	for (i = 0; i < px->nup; i++)
		while (px->up[i].idle)
			up_close(px, px->up[i].idle);
	up_reap(px);
}
