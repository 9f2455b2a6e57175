/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by conn.c (the phase machine) and connsend.c (its sending side)
 * only.
 */
#ifndef KHTTP_CONNPRIV_H
#define KHTTP_CONNPRIV_H

#include <linux/types.h>

struct khttp_conn;

enum khttp_step {
	KHTTP_STEP_WAIT,	/* wait for a callback or the timer */
	KHTTP_STEP_AGAIN,	/* progress made, step again */
	KHTTP_STEP_GONE,	/* connection closed and being freed */
};

/* conn.c */
void khttp_conn_arm(struct khttp_conn *c, u32 ms);
void khttp_conn_close(struct khttp_conn *c);
/* The response went out: close, or go on to the next request. */
enum khttp_step khttp_conn_next_request(struct khttp_conn *c);

/* connsend.c */
/* How often the send timer looks at the reader. */
u32 khttp_send_check_ms(const struct khttp_conn *c);
/* The send timer fired: is the reader still fast enough? */
bool khttp_conn_send_alive(struct khttp_conn *c);
enum khttp_step khttp_conn_send_step(struct khttp_conn *c);
enum khttp_step khttp_conn_pool_step(struct khttp_conn *c);

#endif /* KHTTP_CONNPRIV_H */
