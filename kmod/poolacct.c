// SPDX-License-Identifier: GPL-2.0
/*
 * Application pool accounting: admission to a queue, queue and in-hand
 * counts with the queue's high-water mark, and the rapid-fail window.  See
 * poolacct.h; pool.c and httpq.c call these under pool->lock.
 */
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/khttp.h>
#include "poolacct.h"

/* A full queue is checked last: a stopped pool says so whatever waits. */
enum khttp_admit khttp_pool_admit(u8 state, bool dead, u32 queued,
				  u32 queue_length)
{
	if (dead || state == KHTTP_POOL_INACTIVE)
		return KHTTP_ADMIT_STOPPED;
	if (state == KHTTP_POOL_FAILED)
		return KHTTP_ADMIT_FAILED;
	if (state != KHTTP_POOL_ACTIVE)
		return KHTTP_ADMIT_STOPPED;
	if (queued >= queue_length)
		return KHTTP_ADMIT_FULL;
	return KHTTP_ADMIT_OK;
}

/*
 * One more request waits.  Returns true if the queue was empty: readers
 * empty the queue before they sleep again, so only then must one be woken.
 */
bool khttp_qacct_enqueue(struct khttp_qacct *q)
{
	bool was_empty = !q->queued;

	q->queued++;
	if (q->queued > q->queued_max)
		q->queued_max = q->queued;
	return was_empty;
}

/* @n requests leave the queue unread (timed out, client gone, flushed). */
void khttp_qacct_unqueue(struct khttp_qacct *q, u32 n)
{
	if (WARN_ON_ONCE(n > q->queued))
		n = q->queued;
	q->queued -= n;
}

/* A reader takes the oldest request: it is in hand now. */
void khttp_qacct_deliver(struct khttp_qacct *q)
{
	if (WARN_ON_ONCE(!q->queued))
		return;
	q->queued--;
	q->in_hand++;
}

/* @n requests in hand are answered or abandoned. */
void khttp_qacct_finish(struct khttp_qacct *q, u32 n)
{
	if (WARN_ON_ONCE(n > q->in_hand))
		n = q->in_hand;
	q->in_hand -= n;
}

/*
 * A worker died with requests in hand at @now (jiffies).  The window opens
 * at the first death and lasts @seconds; a death after it opens a new one.
 * Returns true when this death is the @count-th of its window (@count 0:
 * protection off, never).
 */
bool khttp_rapid_fail_death(struct khttp_rapid_fail *rf, unsigned long now,
			    u32 count, u32 seconds)
{
	unsigned long win = (unsigned long)seconds * HZ;

	if (!rf->deaths || time_after(now, rf->window + win)) {
		rf->window = now;
		rf->deaths = 0;
	}
	if (rf->deaths < U32_MAX)
		rf->deaths++;
	return count && rf->deaths >= count;
}

/* New rules or a restarted pool: past deaths no longer count. */
void khttp_rapid_fail_reset(struct khttp_rapid_fail *rf)
{
	rf->deaths = 0;
}
