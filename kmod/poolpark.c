// SPDX-License-Identifier: GPL-2.0
/*
 * Parked connections: the dynamic path without a kernel thread's hop.
 *
 * A keep-alive client of a pool sends its next request soon after the
 * worker's answer went out.  Its data_ready callback would wake the
 * connection's work item, which reads and routes the request, queues it
 * and wakes the worker: two threads woken per request where nginx wakes
 * one.  Instead, when the connection's answer is complete
 * (preq->parkable) and a worker of that pool waits (in read(), its ring
 * doorbell, or poll/epoll on its file), the callback parks the connection
 * on the pool and wakes that worker, whose next read() or doorbell runs
 * the connection's steps itself (khttp_conn_run_by()): the request it
 * reads, queued for the same pool, is the one that system call then
 * delivers, with nobody else woken.
 *
 * Whatever the request turns out to be, the worker runs it as the work
 * item would (with khttp's credentials).  A connection is parked only
 * while a worker waits; a reader woken in read() or the doorbell runs
 * what is parked, or on a signal hands it to the workqueue; and the
 * answer's finish timer (KHTTP_FINISH_DELAY) unparks a connection no
 * worker came for, so nothing stays parked behind a busy or vanished
 * worker.  Deleting the pool and stopping the namespace hand parked
 * connections to the workqueue too.
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
	/*
	 * A hint, unordered against a waiter coming or going: one that
	 * leaves without running what we park hands it on (a signal), or
	 * the answer's finish timer unparks it.
	 */
	if (!pool->dead && waitqueue_active(&pool->wq) &&
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

/* The answer's finish timer: a worker never came for @c. */
void khttp_pool_unpark_conn(struct khttp_pool *pool, struct khttp_conn *c)
{
	bool parked;

	spin_lock_bh(&pool->lock);
	parked = !list_empty(&c->park_node);
	if (parked)
		list_del_init(&c->park_node);
	spin_unlock_bh(&pool->lock);
	if (parked)
		khttp_conn_unpark(c);
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

/*
 * In a reader's read() or doorbell, holding none of the device's locks:
 * run what is parked (at most KHTTP_PARK_RUN_MAX; the rest goes to the
 * workqueue).  Returns how many ran.
 */
int khttp_pool_run_parked(struct khttp_pool *pool)
{
	struct khttp_conn *c;
	int n = 0;

	if (list_empty_careful(&pool->parked))
		return 0;
	while (n < KHTTP_PARK_RUN_MAX && (c = khttp_pool_unpark_one(pool))) {
		khttp_pool_stat(pool, KHTTP_PSTAT_READER_RUNS);
		khttp_conn_run_by(c, pool);
		n++;
	}
	khttp_pool_unpark_all(pool);
	return n;
}
