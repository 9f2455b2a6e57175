// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/httpq ring: an open file's optional shared-memory pair of
 * rings (request records to the worker, answer records from it) and the
 * doorbell ioctl that moves both in one system call.  The layout, the
 * index rules and the errors are in include/uapi/linux/khttp.h; the index
 * arithmetic is in ringidx.c.
 *
 * The whole region is the worker's to scribble on, at any time, from any
 * thread.  So the kernel keeps its own indices privately and only writes
 * them out; of the worker's two indices it reads each once per doorbell
 * and checks it; and an answer record is copied out of the shared pages
 * whole (its length as checked) before write()'s own checks see it.
 *
 * Lifetimes: the region is vmalloc_user() memory mapped with
 * remap_vmalloc_range(), whose pages the mapping holds references on.
 * Every mapping holds the file too (vma->vm_file), so the region, freed at
 * release(), outlives them all.  When the last mapping goes (munmap() or
 * exit), the requests the file got through the ring and has not answered
 * get 502 and the ring is done: the doorbell says ENXIO, read() and
 * write() go on.
 */
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include "khttp.h"
#include "httpqpriv.h"
#include "httpqrec.h"
#include "ringidx.h"

/* Memory is 4 MiB a ring: at most this many per pool. */
#define KHTTP_RING_MAX_PER_POOL	64
/* Answer records up to this size are copied onto the stack. */
#define KHTTP_RING_SMALL	256

struct khttp_ring {
	struct mutex lock;		/* one doorbell at a time */
	void *mem;			/* the mapped region */
	struct khttp_ring_hdr *hdr;	/* mem: shared, never trusted */
	void *req, *ans;		/* the two rings, in mem */
	/* The kernel's own indices; req_head: the last one accepted. */
	u32 req_tail, req_head, ans_head;
	atomic_t nmaps;			/* vmas mapping it */
	bool unmapped;			/* under pool->lock: all vmas gone */
};

/* Write the kernel's indices out (whatever the worker put there). */
static void khttp_ring_publish(struct khttp_ring *r)
{
	struct khttp_ring_hdr *h = r->hdr;

	WRITE_ONCE(h->magic, KHTTP_RING_MAGIC);
	WRITE_ONCE(h->req_size, KHTTP_RING_REQ_SIZE);
	WRITE_ONCE(h->ans_size, KHTTP_RING_ANS_SIZE);
	/* Records before indices: the worker's acquire load pairs. */
	smp_store_release(&h->req_tail, r->req_tail);
	/* Answers read before the worker may write over them. */
	smp_store_release(&h->ans_head, r->ans_head);
}

static void khttp_ring_vm_open(struct vm_area_struct *vma)
{
	struct khttp_hfile *hf = vma->vm_private_data;

	atomic_inc(&hf->ring->nmaps);
}

/* The last mapping is gone: hand back what came through the ring. */
static void khttp_ring_vm_close(struct vm_area_struct *vma)
{
	struct khttp_hfile *hf = vma->vm_private_data;
	struct khttp_pool *pool = hf->pool;
	struct khttp_ring *r = hf->ring;

	if (!atomic_dec_and_test(&r->nmaps))
		return;
	spin_lock_bh(&pool->lock);
	r->unmapped = true;	/* no request goes into the ring from now */
	spin_unlock_bh(&pool->lock);
	if (khttp_httpq_abandon(pool, hf, true))
		khttp_pool_worker_died(pool);
	/* A doorbell waiting for a request sees unmapped and goes. */
	wake_up_all(&pool->wq);
}

static const struct vm_operations_struct khttp_ring_vm_ops = {
	.open = khttp_ring_vm_open,
	.close = khttp_ring_vm_close,
};

int khttp_ring_mmap(struct khttp_hfile *hf, struct vm_area_struct *vma)
{
	struct khttp_pool *pool = hf->pool;
	struct khttp_ring *r;
	int err = 0;

	if (vma->vm_pgoff || !(vma->vm_flags & VM_SHARED) ||
	    vma->vm_end - vma->vm_start != PAGE_ALIGN(KHTTP_RING_MMAP_SIZE))
		return -EINVAL;
	/* Claim the file's one ring first: nothing to undo once mapped. */
	spin_lock_bh(&pool->lock);
	if (pool->dead)
		err = -ENODEV;
	else if (hf->ring_claimed)
		err = -EBUSY;
	else if (pool->nrings >= KHTTP_RING_MAX_PER_POOL)
		err = -ENOSPC;
	if (!err) {
		hf->ring_claimed = true;
		pool->nrings++;
	}
	spin_unlock_bh(&pool->lock);
	if (err)
		return err;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		goto err_unclaim;
	r->mem = vmalloc_user(PAGE_ALIGN(KHTTP_RING_MMAP_SIZE));
	if (!r->mem)
		goto err_free;
	mutex_init(&r->lock);
	r->hdr = r->mem;
	r->req = r->mem + KHTTP_RING_REQ_OFF;
	r->ans = r->mem + KHTTP_RING_ANS_OFF;
	atomic_set(&r->nmaps, 1);
	khttp_ring_publish(r);
	/* The page tables hold references on our pages from here on. */
	err = remap_vmalloc_range(vma, r->mem, 0);
	if (err)
		goto err_free;
	vma->vm_ops = &khttp_ring_vm_ops;
	vma->vm_private_data = hf;
	/* Set once; the doorbell reads it with acquire. */
	smp_store_release(&hf->ring, r);
	return 0;

err_free:
	vfree(r->mem);
	kfree(r);
err_unclaim:
	spin_lock_bh(&pool->lock);
	hf->ring_claimed = false;
	pool->nrings--;
	spin_unlock_bh(&pool->lock);
	return err ? err : -ENOMEM;
}

/* release(): every mapping is gone (each held the file). */
void khttp_ring_free(struct khttp_hfile *hf)
{
	struct khttp_ring *r = hf->ring;

	if (!r)
		return;
	spin_lock_bh(&hf->pool->lock);
	hf->pool->nrings--;
	spin_unlock_bh(&hf->pool->lock);
	vfree(r->mem);
	mutex_destroy(&r->lock);
	kfree(r);
}

/*
 * Take the answer records from ans_head to @tail (checked).  A record
 * refused for what it says is consumed and reported in @e; one whose
 * length is impossible loses the stream (-EINVAL, the rest dropped).
 * A record that cannot go now (backlog full on a nonblocking file, a
 * signal, no memory) is left for the next doorbell.
 */
static int khttp_ring_answers(struct khttp_hfile *hf, struct khttp_ring *r,
			      u32 tail, bool nonblock,
			      struct khttp_ring_enter *e)
{
	u64 small[KHTTP_RING_SMALL / sizeof(u64)];
	struct khttp_pool *pool = hf->pool;
	int err = 0;

	while (r->ans_head != tail) {
		u32 avail = tail - r->ans_head, span;
		struct khttp_rec hdr;
		char *buf = (char *)small;
		u64 id;

		if (avail < sizeof(hdr))
			goto lost;
		khttp_ring_copy_out(&hdr, r->ans, KHTTP_RING_ANS_SIZE,
				    r->ans_head, sizeof(hdr));
		if (khttp_ring_rec_span(&hdr, avail, &span))
			goto lost;
		if (hdr.len > sizeof(small))
			buf = kvmalloc(hdr.len, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		/* Our copy is the record; what the worker does now is moot. */
		khttp_ring_copy_out(buf, r->ans, KHTTP_RING_ANS_SIZE,
				    r->ans_head, hdr.len);
		((struct khttp_rec *)buf)->len = hdr.len;
		id = ((struct khttp_rec *)buf)->id;
		err = khttp_httpq_record(hf, buf, hdr.len, nonblock);
		if (buf != (char *)small)
			kvfree(buf);
		if (err == -EAGAIN) {
			e->out_flags |= KHTTP_RING_ENTER_STALLED;
			return 0;
		}
		if (err && err != -EINVAL && err != -ENOENT && err != -EPERM)
			return err;	/* ENODEV, ENOMEM, a signal */
		if (err) {
			khttp_pool_stat(pool, KHTTP_PSTAT_RING_ERRORS);
			if (!e->error) {
				e->error = err;
				e->error_id = id;
			}
		}
		r->ans_head += span;
		e->answers++;
		cond_resched();
	}
	return 0;

lost:
	khttp_pool_stat(pool, KHTTP_PSTAT_RING_ERRORS);
	r->ans_head = tail;
	return -EINVAL;
}

/* Move queued requests into the request ring while they fit. */
static void khttp_ring_deliver(struct khttp_hfile *hf, struct khttp_ring *r,
			       struct khttp_ring_enter *e)
{
	struct khttp_pool *pool = hf->pool;
	int err = 0;

	/* Next requests parked for us: read them off (poolpark.c). */
	if (!READ_ONCE(r->unmapped))
		khttp_pool_run_parked(pool);
	mutex_lock(&hf->read_lock);
	for (;;) {
		u32 room = KHTTP_RING_REQ_SIZE - (r->req_tail - r->req_head);
		const struct khttp_rec *rec;
		struct khttp_preq *p;
		u32 span;

		spin_lock_bh(&pool->lock);
		p = NULL;
		if (!pool->dead && !r->unmapped)
			p = khttp_httpq_next(hf, room, &err);
		if (p)
			p->ring = true;	/* munmap() hands it back */
		spin_unlock_bh(&pool->lock);
		if (!p)
			break;
		/* Immutable, and only this file (read_lock) moves rec_off. */
		rec = (const struct khttp_rec *)(p->rec + p->rec_off);
		span = ALIGN(rec->len, KHTTP_REC_ALIGN);
		if (span > room) {
			khttp_preq_put(p);
			break;
		}
		/* With its padding: zero in p->rec, stale in the ring. */
		khttp_ring_copy_in(r->req, KHTTP_RING_REQ_SIZE, r->req_tail,
				   rec, span);
		r->req_tail += span;
		e->requests++;
		khttp_httpq_advance(hf, p, span);
		khttp_preq_put(p);
	}
	mutex_unlock(&hf->read_lock);
	khttp_httpq_pass_on(pool);
}

static bool khttp_ring_wakeup(struct khttp_hfile *hf, struct khttp_ring *r)
{
	return khttp_httpq_readable(hf) || READ_ONCE(r->unmapped);
}

/* Under r->lock: ENXIO once unmapped, ENODEV once the pool is deleted. */
static int khttp_ring_usable(struct khttp_hfile *hf, struct khttp_ring *r)
{
	if (READ_ONCE(r->unmapped))
		return -ENXIO;
	return READ_ONCE(hf->pool->dead) ? -ENODEV : 0;
}

static int khttp_ring_doorbell(struct khttp_hfile *hf, struct khttp_ring *r,
			       struct file *file, struct khttp_ring_enter *e)
{
	struct khttp_pool *pool = hf->pool;
	bool nonblock = file->f_flags & O_NONBLOCK;
	u32 head, tail;
	int err;

	err = khttp_ring_usable(hf, r);
	if (err)
		return err;
	/* Each worker index is read once, here, and checked. */
	head = READ_ONCE(r->hdr->req_head);
	tail = READ_ONCE(r->hdr->ans_tail);
	if (khttp_ring_check_head(r->req_head, r->req_tail, head) ||
	    khttp_ring_check_tail(r->ans_head, tail, KHTTP_RING_ANS_SIZE)) {
		khttp_pool_stat(pool, KHTTP_PSTAT_RING_ERRORS);
		return -EINVAL;
	}
	r->req_head = head;
	/* The indices, then the records they cover. */
	smp_rmb();
	err = khttp_ring_answers(hf, r, tail, nonblock, e);
	/* Cut short by a signal: report what was done, ring again later. */
	if (err == -ERESTARTSYS && e->answers)
		return 0;
	if (err)
		return err;
	if (!(e->flags & KHTTP_RING_ENTER_GET))
		return 0;
	for (;;) {
		khttp_ring_deliver(hf, r, e);
		if (!(e->flags & KHTTP_RING_ENTER_WAIT) || nonblock ||
		    r->req_tail != r->req_head)
			return 0;
		err = khttp_ring_usable(hf, r);
		if (err)
			return err;
		/* Sleep without the lock: munmap() and other threads go on. */
		khttp_ring_publish(r);
		mutex_unlock(&r->lock);
		/* One waiter per request, as read(): no thundering herd. */
		err = wait_event_interruptible_exclusive(pool->wq,
				khttp_ring_wakeup(hf, r));
		if (err)
			/* What was parked for us goes to the workqueue. */
			khttp_pool_unpark_all(pool);
		mutex_lock(&r->lock);
		if (err)
			return e->answers ? 0 : -ERESTARTSYS;
		err = khttp_ring_usable(hf, r);
		if (err)
			return err;
	}
}

long khttp_ring_enter(struct khttp_hfile *hf, struct file *file,
		      void __user *arg)
{
	/* Set once by mmap(), before which it is NULL. */
	struct khttp_ring *r = smp_load_acquire(&hf->ring);
	struct khttp_ring_enter e;
	int err;

	if (copy_from_user(&e, arg, sizeof(e)))
		return -EFAULT;
	if ((e.flags & ~(KHTTP_RING_ENTER_GET | KHTTP_RING_ENTER_WAIT)) ||
	    (e.flags & KHTTP_RING_ENTER_WAIT &&
	     !(e.flags & KHTTP_RING_ENTER_GET)) || e.reserved)
		return -EINVAL;
	if (!r)
		return -ENXIO;
	e.out_flags = 0;
	e.answers = 0;
	e.requests = 0;
	e.error = 0;
	e.error_id = 0;
	/* No user memory is touched under the lock (munmap takes it not). */
	if (mutex_lock_interruptible(&r->lock))
		return -ERESTARTSYS;
	err = khttp_ring_doorbell(hf, r, file, &e);
	khttp_ring_publish(r);
	mutex_unlock(&r->lock);
	if (err)
		return err;
	return copy_to_user(arg, &e, sizeof(e)) ? -EFAULT : 0;
}
