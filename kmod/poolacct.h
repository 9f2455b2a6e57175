/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Application pool accounting: whether a queue takes a request, how many
 * wait and are in hand (with the queue's high-water mark), and the
 * rapid-fail window.  Arithmetic only, no locking (callers hold
 * pool->lock) and no allocation, so KUnit tests it (kunit/pool_test.c).
 */
#ifndef KHTTP_POOLACCT_H
#define KHTTP_POOLACCT_H

#include <linux/types.h>

/* What a pool does with a new request. */
enum khttp_admit {
	KHTTP_ADMIT_OK = 0,	/* queue it */
	KHTTP_ADMIT_STOPPED,	/* 503: inactive, or being deleted */
	KHTTP_ADMIT_FAILED,	/* 503: rapid-fail protection tripped */
	KHTTP_ADMIT_FULL,	/* queue-length requests already wait */
};

enum khttp_admit khttp_pool_admit(u8 state, bool dead, u32 queued,
				  u32 queue_length);

/* A queue's counts. */
struct khttp_qacct {
	u32 queued;		/* waiting for a reader */
	u32 queued_max;		/* most ever waiting at once (high-water) */
	u32 in_hand;		/* read by a worker, not yet answered */
};

bool khttp_qacct_enqueue(struct khttp_qacct *q);
void khttp_qacct_unqueue(struct khttp_qacct *q, u32 n);
void khttp_qacct_deliver(struct khttp_qacct *q);
void khttp_qacct_finish(struct khttp_qacct *q, u32 n);

/* Rapid-fail protection: COUNT worker deaths within SECONDS. */
struct khttp_rapid_fail {
	unsigned long window;	/* start of the current window (jiffies) */
	u32 deaths;		/* deaths in it */
};

bool khttp_rapid_fail_death(struct khttp_rapid_fail *rf, unsigned long now,
			    u32 count, u32 seconds);
void khttp_rapid_fail_reset(struct khttp_rapid_fail *rf);

#endif /* KHTTP_POOLACCT_H */
