// SPDX-License-Identifier: GPL-2.0
/*
 * Parked connections: the dynamic path without a kernel thread's hop.
 *
 * A keep-alive client of a pool sends its next request soon after the
 * worker's answer went out.  Its data_ready callback would wake the
 * connection's work item, which reads and routes the request, queues it
 * and wakes the worker: two threads woken per request where nginx wakes
 * one.  Instead, when the connection's answer is complete
 * (preq->parkable) and a worker of that pool sleeps in read() or its
 * ring doorbell, the callback parks the connection on the pool and wakes
 * that worker, whose system call runs the connection's steps itself
 * (khttp_conn_run_by()): the request it reads, queued for the same pool,
 * is the one that system call then delivers, with nobody else woken.
 *
 * Whatever the request turns out to be, the worker runs it as the work
 * item would (with khttp's credentials).  A connection is parked only
 * while a reader sleeps, and every reader that wakes runs, or on a
 * signal hands to the workqueue, whatever is parked, so nothing stays
 * parked behind a busy or vanished worker.  Deleting the pool and
 * stopping the namespace hand parked connections to the workqueue too.
 */
#include <linux/poll.h>
#include "khttp.h"
#include "net.h"
#include "conn.h"
#include "pool.h"

/* At most this many parked connections per wake-up; the rest unpark. */
#define KHTTP_PARK_RUN_MAX	64

/*
 * From the connection's data_ready, which claimed its next run: may a
 * sleeping reader of its pool run it?  Owned by the caller until parked.
 */
bool khttp_pool_park(struct khttp_conn *c)
{
	struct khttp_preq *p = c->rq ? c->rq->preq : NULL;
	struct khttp_pool *pool;
	bool parked = false;

	if (!p || !READ_ONCE(p->parkable))
		return false;
	pool = p->pool;
	spin_lock_bh(&pool->lock);
	if (!pool->dead && pool->nsleeping &&
	    pool->state == KHTTP_POOL_ACTIVE &&
	    !READ_ONCE(pool->kn->stopping)) {
		list_add_tail(&c->park_node, &pool->parked);
		parked = true;
	}
	spin_unlock_bh(&pool->lock);
	if (parked)
		wake_up_poll(&pool->wq, EPOLLIN | EPOLLRDNORM);
	return parked;
}

static struct khttp_conn *khttp_pool_unpark_one(struct khttp_pool *pool)
{
	struct khttp_conn *c;

	spin_lock_bh(&pool->lock);
	c = list_first_entry_or_null(&pool->parked, struct khttp_conn,
				     park_node);
	if (c)
		list_del_init(&c->park_node);
	spin_unlock_bh(&pool->lock);
	return c;
}

/* Every parked connection of @pool goes to its work item. */
void khttp_pool_unpark_all(struct khttp_pool *pool)
{
	struct khttp_conn *c;

	while ((c = khttp_pool_unpark_one(pool)))
		khttp_conn_unpark(c);
}

/* The namespace stops (kn->stopping is set): nothing parks any more. */
void khttp_pools_unpark(struct khttp_net *kn)
{
	struct khttp_pool *pool;

	mutex_lock(&khttp_conf_lock);
	list_for_each_entry(pool, &kn->pools, node)
		khttp_pool_unpark_all(pool);
	mutex_unlock(&khttp_conf_lock);
}

void khttp_pool_sleep_begin(struct khttp_pool *pool)
{
	spin_lock_bh(&pool->lock);
	pool->nsleeping++;
	spin_unlock_bh(&pool->lock);
}

/*
 * A reader woke (@err: by a signal).  It runs what was parked for it in
 * its own system call, holding none of the device's locks; interrupted,
 * it leaves that to the workqueue.
 */
void khttp_pool_sleep_end(struct khttp_pool *pool, int err)
{
	struct khttp_conn *c;
	int n = 0;

	spin_lock_bh(&pool->lock);
	pool->nsleeping--;
	spin_unlock_bh(&pool->lock);
	if (err) {
		khttp_pool_unpark_all(pool);
		return;
	}
	while (n++ < KHTTP_PARK_RUN_MAX && (c = khttp_pool_unpark_one(pool))) {
		khttp_pool_stat(pool, KHTTP_PSTAT_READER_RUNS);
		khttp_conn_run_by(c, pool);
	}
	khttp_pool_unpark_all(pool);
}
