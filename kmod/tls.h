/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLS connections (tls.c): the hand-over to the handshake agent through
 * /dev/khttp-tls, and back.
 */
#ifndef KHTTP_TLS_H
#define KHTTP_TLS_H

#include <linux/types.h>

struct khttp_conn;
struct socket;

enum khttp_tls_state {
	KHTTP_TLS_PENDING,	/* queued for, or held by, the agent */
	KHTTP_TLS_READY,	/* handed back with kTLS installed */
	KHTTP_TLS_FAILED,	/* the agent failed it, or went away */
};

int khttp_tls_init(void);
void khttp_tls_exit(void);
/* Give an accepted socket the file the agent's descriptor will share. */
int khttp_tls_attach_file(struct socket *sock);
/* Queue a new TLS connection for the agent; an error closes it. */
int khttp_tls_begin(struct khttp_conn *c);
/* Where the handshake stands; READY and FAILED end it. */
enum khttp_tls_state khttp_tls_poll(struct khttp_conn *c);
/* The handshake timeout passed: true if it was still pending (now ended). */
bool khttp_tls_timeout(struct khttp_conn *c);
/* The connection closes: forget its handshake, if any. */
void khttp_tls_forget(struct khttp_conn *c);

#endif /* KHTTP_TLS_H */
