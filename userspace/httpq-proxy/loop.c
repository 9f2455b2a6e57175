// SPDX-License-Identifier: GPL-2.0
/*
 * The event loop: one epoll set per process over the pool device, a
 * signalfd (SIGUSR1: counters; SIGTERM/SIGINT: drain) and every upstream
 * socket (edge-triggered).  Each turn: handle events, continue reads that
 * stopped at their budget, write the batched responses, retry stalled
 * ones, run the timers, and take the device out of the set while this
 * process must not read more requests.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "proxy.h"

#define TAG_DEV		((void *)1)
#define TAG_SIG		((void *)2)
#define DRAIN_MS	30000

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int loop_add(struct proxy *px, int fd, uint32_t events, void *ptr)
{
	struct epoll_event ev = { .events = events, .data.ptr = ptr };

	return epoll_ctl(px->epfd, EPOLL_CTL_ADD, fd, &ev);
}

void loop_del(struct proxy *px, int fd)
{
	epoll_ctl(px->epfd, EPOLL_CTL_DEL, fd, NULL);
}

/* Should the device be read now? */
static bool want_device(struct proxy *px)
{
	struct preq *p = px->partial;

	if (px->draining || px->dev_gone ||
	    px->inflight >= px->cfg->max_requests)
		return false;
	return !p || buf_avail(&p->sendq) <= (256U << 10);
}

static void device_interest(struct proxy *px)
{
	bool want = want_device(px);

	if (want == px->dev_in_epoll)
		return;
	if (want) {
		/* EPOLLEXCLUSIVE: a request wakes one of the pool's workers. */
		if (!loop_add(px, px->devfd, EPOLLIN | EPOLLEXCLUSIVE, TAG_DEV))
			px->dev_in_epoll = true;
	} else {
		loop_del(px, px->devfd);
		px->dev_in_epoll = false;
	}
}

static int signals(struct proxy *px)
{
	struct signalfd_siginfo si;

	while (read(px->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGUSR1)
			counters_print(px);
		else if (!px->draining)
			px->draining = true;
	}
	return 0;
}

static void continue_reads(struct proxy *px)
{
	struct preq *p, *next;

	px->more_to_read = false;
	for (p = px->reqs; p; p = next) {
		next = p->next;
		if (p->uc && p->uc->readable && !p->stalled)
			req_upstream_data(px, p);
	}
}

int loop_run(struct proxy *px)
{
	struct epoll_event ev[256];
	uint64_t last_timers = 0, drain_start = 0, last_retry = 0;
	sigset_t set;
	int i, n, ret = 0;

	px->epfd = epoll_create1(EPOLL_CLOEXEC);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	px->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (px->epfd < 0 || px->sigfd < 0 ||
	    loop_add(px, px->sigfd, EPOLLIN, TAG_SIG)) {
		perror("httpq-proxy: epoll");
		return 1;
	}
	for (;;) {
		uint64_t now;
		int timeout = 100;

		device_interest(px);
		if (px->more_to_read)
			timeout = 0;
		else if (px->nstalled)
			timeout = 2;
		n = epoll_wait(px->epfd, ev, 256, timeout);
		if (n < 0 && errno != EINTR) {
			perror("httpq-proxy: epoll_wait");
			ret = 1;
			break;
		}
		for (i = 0; i < n; i++) {
			void *ptr = ev[i].data.ptr;

			if (ptr == TAG_DEV) {
				int err = dev_read(px);

				if (err && err != -ENODEV)
					fprintf(stderr, "httpq-proxy: read: %s\n",
						strerror(-err));
			} else if (ptr == TAG_SIG) {
				signals(px);
			} else {
				up_event(px, ptr, ev[i].events);
			}
		}
		if (px->more_to_read)
			continue_reads(px);
		if (dev_flush(px) == -ENOMEM)
			fprintf(stderr, "httpq-proxy: out of memory\n");
		now = now_ms();
		if (px->nstalled && now - last_retry >= 2) {
			last_retry = now;
			dev_retry_stalled(px);
			dev_flush(px);
		}
		if (now - last_timers >= 50) {
			last_timers = now;
			req_timers(px, now);
			up_timers(px, now);
			dev_flush(px);
		}
		up_reap(px);
		if (px->draining && !drain_start)
			drain_start = now;
		if ((px->draining || px->dev_gone) && !px->inflight)
			break;
		if (px->dev_gone && !px->inflight)
			break;
		if (drain_start && now - drain_start > DRAIN_MS) {
			fprintf(stderr, "httpq-proxy: %u requests unfinished after %d s\n",
				px->inflight, DRAIN_MS / 1000);
			break;
		}
		if (px->dev_gone && px->inflight) {
			/* The pool is deleted: nothing can be answered. */
			break;
		}
	}
	up_close_all(px);
	return ret;
}
