// SPDX-License-Identifier: GPL-2.0
/*
 * khttp-tlsd: one epoll loop over /dev/khttp-tls and every handshake in
 * flight, all non-blocking.  Each connection starts with the default
 * certificate of its local address (bind.c), SNI may switch it.  A readable device means connections wait:
 * each read gives one socket as a new descriptor; its handshake steps on
 * its own readiness; the end (kTLS both ways, or a failure) writes the
 * connection's id and status back and closes our descriptor.  The kernel
 * bounds the time and the number (tls-handshake-timeout, -max): at the
 * timeout it shuts the socket, and the handshake here fails on the next
 * step.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <openssl/err.h>
#include <linux/khttp.h>
#include "tlsd.h"

struct hs {
	int fd;
	uint64_t id;
	SSL *ssl;
	bool in_epoll;
};

static volatile sig_atomic_t stopping;
static int ep, dev;
static bool dev_paused;		/* out of descriptors: wait for one back */

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/*
 * Exclusive: the --workers processes all watch the one device, and a new
 * connection wakes one of them that is idle, not every one (the kernel's
 * wake-up is keyed EPOLLIN for this).
 */
static void dev_watch(bool on)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE,
				  .data.ptr = NULL };

	if (on == !dev_paused)
		return;
	epoll_ctl(ep, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, dev, &ev);
	dev_paused = !on;
}

/* Hand the connection back: 0 or -errno, then forget it. */
static void hs_end(struct hs *h, int status, const char *why)
{
	struct khttp_tls_done d = { .id = h->id, .status = status };

	if (status)
		tlsd_debug("connection %llu: %s", (unsigned long long)h->id,
			   why);
	/*
	 * khttp holds the socket's file too, so close() alone would leave it
	 * in the epoll set, reporting on a freed handshake.
	 */
	if (h->in_epoll)
		epoll_ctl(ep, EPOLL_CTL_DEL, h->fd, NULL);
	SSL_free(h->ssl);	/* no SSL_shutdown: the session goes on */
	close(h->fd);		/* khttp keeps its own reference */
	if (write(dev, &d, sizeof(d)) != sizeof(d))
		tlsd_debug("connection %llu: hand-back: %s (timed out?)",
			   (unsigned long long)h->id, strerror(errno));
	free(h);
	dev_watch(true);
}

static void hs_step(struct hs *h)
{
	struct epoll_event ev = { .data.ptr = h };
	const char *why = NULL;
	int r = SSL_do_handshake(h->ssl), e;
	char buf[160];

	if (r == 1) {
		if (tlsd_ktls_finish(h->ssl, h->fd, &why)) {
			tlsd_log("connection %llu: %s; closed",
				 (unsigned long long)h->id, why);
			hs_end(h, -EPROTO, why);
			return;
		}
		tlsd_debug("connection %llu: %s %s", (unsigned long long)h->id,
			   SSL_get_version(h->ssl), SSL_get_cipher(h->ssl));
		hs_end(h, 0, NULL);
		return;
	}
	e = SSL_get_error(h->ssl, r);
	switch (e) {
	case SSL_ERROR_WANT_READ:
		ev.events = EPOLLIN;
		break;
	case SSL_ERROR_WANT_WRITE:
		ev.events = EPOLLOUT;
		break;
	default:
		why = ERR_reason_error_string(ERR_peek_error());
		if (!why && e == SSL_ERROR_SYSCALL) {
			snprintf(buf, sizeof(buf), "handshake: %s",
				 errno ? strerror(errno) : "end of input");
			why = buf;
		}
		hs_end(h, -EPROTO, why ? why : "handshake failed");
		ERR_clear_error();
		return;
	}
	if (epoll_ctl(ep, h->in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, h->fd,
		      &ev)) {
		hs_end(h, -ENOMEM, "epoll_ctl failed");
		return;
	}
	h->in_epoll = true;
}

/* Take every waiting connection. */
static void dev_read(void)
{
	struct khttp_tls_conn rec;
	struct hs *h;
	ssize_t n;

	for (;;) {
		n = read(dev, &rec, sizeof(rec));
		if (n < 0 && (errno == EMFILE || errno == ENFILE)) {
			tlsd_log("out of file descriptors: pausing");
			dev_watch(false);
			return;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				tlsd_log("reading the device: %s",
					 strerror(errno));
			return;
		}
		if (n != sizeof(rec) || rec.abi != KHTTP_TLS_ABI) {
			tlsd_log("unexpected record from the device (ABI %u)",
				 rec.abi);
			stopping = 1;
			return;
		}
		tlsd_debug("connection %llu: fd %d", (unsigned long long)rec.id,
			   rec.fd);
		/* A binding changed since we loaded them: read them again. */
		tlsd_bind_sync(rec.bindings_gen);
		h = calloc(1, sizeof(*h));
		if (h) {
			h->fd = rec.fd;
			h->id = rec.id;
			h->ssl = SSL_new(tlsd_bind_ctx(&rec.local));
			if (h->ssl)
				tlsd_bind_attach(h->ssl, &rec.local);
		}
		if (!h || !h->ssl || !SSL_set_fd(h->ssl, rec.fd)) {
			struct khttp_tls_done d = { .id = rec.id,
						    .status = -ENOMEM };

			if (h)
				SSL_free(h->ssl);
			free(h);
			close(rec.fd);
			if (write(dev, &d, sizeof(d)) < 0)
				tlsd_debug("hand-back: %s", strerror(errno));
			continue;
		}
		tlsd_secrets_attach(h->ssl, calloc(1, sizeof(struct tlsd_secrets)));
		SSL_set_accept_state(h->ssl);
		hs_step(h);
	}
}

int tlsd_run(int devfd)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct epoll_event evs[64];
	int i, n;

	dev = devfd;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		tlsd_log("epoll_create1: %s", strerror(errno));
		return 1;
	}
	dev_paused = true;
	dev_watch(true);
	while (!stopping) {
		n = epoll_wait(ep, evs, 64, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tlsd_log("epoll_wait: %s", strerror(errno));
			return 1;
		}
		for (i = 0; i < n; i++) {
			if (!evs[i].data.ptr)
				dev_read();
			else
				hs_step(evs[i].data.ptr);
		}
	}
	/* Closing the device fails the handshakes still in flight. */
	return 0;
}
