// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/httpq/<pool>: the request queue device, in the manner of /dev/fuse.
 * A pool of another network namespace than the initial one is
 * /dev/httpq/<netns inode>/<pool> (the number `readlink /proc/self/ns/net`
 * shows inside it), so two containers' pools named alike never collide,
 * and only a process in the pool's namespace may open it (as well as
 * pass the node's owner, group and mode).
 * read() hands out whole request records, write() takes response records;
 * the record format is in include/uapi/linux/khttp.h.  Each request read
 * belongs to the open file that read it until that file answers it or goes
 * away (then its client gets 502).
 *
 * Every byte a worker writes is untrusted: record lengths, ids, status,
 * header syntax and framing are all checked before anything reaches a
 * client, and a refused record changes nothing.
 */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include "khttp.h"
#include "conn.h"
#include "pool.h"
#include "cachectl.h"
#include "resp.h"
#include "xmit.h"
#include "cache.h"
#include "poolacct.h"
#include "httpqrec.h"
#include "routehdr.h"
#include "net.h"
#include "httpqpriv.h"

#define KHTTP_HTTPQ_MINORS	1024

static dev_t khttp_httpq_devt;
static struct cdev khttp_httpq_cdev;
static struct class *khttp_httpq_class;
static DEFINE_IDR(khttp_httpq_idr);
static DEFINE_SPINLOCK(khttp_httpq_idr_lock);

static u32 khttp_id_hash(u64 id)
{
	return id & 63;
}

/* ---- devtmpfs node: /dev/httpq/<pool> with the pool's owner and mode */

static char *khttp_httpq_devnode(khttp_devnode_device *dev, umode_t *mode,
				 kuid_t *uid, kgid_t *gid)
{
	struct khttp_pool *pool = dev_get_drvdata(dev);

	if (mode)
		*mode = pool->mode;
	if (uid)
		*uid = pool->uid;
	if (gid)
		*gid = pool->gid;
	if (!pool->kn->init)
		return kasprintf(GFP_KERNEL, "httpq/%u/%s",
				 pool->kn->net->ns.inum, pool->name);
	return kasprintf(GFP_KERNEL, "httpq/%s", pool->name);
}

static void khttp_httpq_dev_release(struct device *dev)
{
	kfree(dev);
}

static const struct device_type khttp_httpq_type = {
	.name = "httpq",
	.devnode = khttp_httpq_devnode,
};

int khttp_httpq_create(struct khttp_pool *pool)
{
	struct device *dev;
	int minor, err;

	idr_preload(GFP_KERNEL);
	spin_lock(&khttp_httpq_idr_lock);
	minor = idr_alloc(&khttp_httpq_idr, NULL, 0, KHTTP_HTTPQ_MINORS,
			  GFP_NOWAIT);
	spin_unlock(&khttp_httpq_idr_lock);
	idr_preload_end();
	if (minor < 0)
		return minor;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev) {
		err = -ENOMEM;
		goto err_idr;
	}
	device_initialize(dev);
	dev->devt = MKDEV(MAJOR(khttp_httpq_devt), minor);
	dev->class = khttp_httpq_class;
	dev->type = &khttp_httpq_type;
	dev->release = khttp_httpq_dev_release;
	dev_set_drvdata(dev, pool);
	if (pool->kn->init)
		err = dev_set_name(dev, "httpq!%s", pool->name);
	else
		err = dev_set_name(dev, "httpq!%u!%s", pool->kn->net->ns.inum,
				   pool->name);
	if (!err)
		err = device_add(dev);
	if (err) {
		put_device(dev);
		goto err_idr;
	}
	pool->dev = dev;
	pool->minor = minor;
	/* Publish last: open() finds the pool from here on. */
	spin_lock(&khttp_httpq_idr_lock);
	idr_replace(&khttp_httpq_idr, pool, minor);
	spin_unlock(&khttp_httpq_idr_lock);
	return 0;

err_idr:
	spin_lock(&khttp_httpq_idr_lock);
	idr_remove(&khttp_httpq_idr, minor);
	spin_unlock(&khttp_httpq_idr_lock);
	return err;
}

/* Remove the node; files already open keep working until the pool dies. */
void khttp_httpq_destroy(struct khttp_pool *pool)
{
	if (!pool->dev)
		return;
	spin_lock(&khttp_httpq_idr_lock);
	idr_remove(&khttp_httpq_idr, pool->minor);
	spin_unlock(&khttp_httpq_idr_lock);
	device_unregister(pool->dev);
	pool->dev = NULL;
}

/* ---- file operations ---- */

static int khttp_httpq_open(struct inode *inode, struct file *file)
{
	struct khttp_pool *pool;
	struct khttp_hfile *hf;

	hf = kzalloc(sizeof(*hf), GFP_KERNEL);
	if (!hf)
		return -ENOMEM;
	spin_lock(&khttp_httpq_idr_lock);
	pool = idr_find(&khttp_httpq_idr, iminor(inode));
	if (pool)
		kref_get(&pool->ref);
	spin_unlock(&khttp_httpq_idr_lock);
	if (!pool) {
		kfree(hf);
		return -ENODEV;
	}
	spin_lock_bh(&pool->lock);
	if (pool->dead) {
		spin_unlock_bh(&pool->lock);
		khttp_pool_put(pool);
		kfree(hf);
		return -ENODEV;
	}
	/* A container's worker reaches its own namespace's pools only. */
	if (!net_eq(current->nsproxy->net_ns, pool->kn->net)) {
		spin_unlock_bh(&pool->lock);
		khttp_pool_put(pool);
		kfree(hf);
		return -EACCES;
	}
	pool->nreaders++;
	spin_unlock_bh(&pool->lock);
	hf->pool = pool;
	mutex_init(&hf->read_lock);
	file->private_data = hf;
	return stream_open(inode, file);
}

bool khttp_httpq_readable(struct khttp_hfile *hf)
{
	struct khttp_pool *pool = hf->pool;
	bool ret;

	spin_lock_bh(&pool->lock);
	ret = pool->dead || hf->partial || !list_empty(&pool->parked) ||
	      (pool->state == KHTTP_POOL_ACTIVE && pool->q.queued);
	spin_unlock_bh(&pool->lock);
	return ret;
}

/*
 * Under pool->lock: the request whose records this file reads next, taking
 * a new one off the queue if the file holds none half-read.  Returns it
 * with a reference, or NULL.
 */
struct khttp_preq *khttp_httpq_next(struct khttp_hfile *hf, size_t room,
				    int *err)
{
	struct khttp_pool *pool = hf->pool;
	struct khttp_preq *p = hf->partial;
	struct khttp_rec *rec;

	lockdep_assert_held(&pool->lock);
	if (!p) {
		if (pool->state != KHTTP_POOL_ACTIVE || list_empty(&pool->queue))
			return NULL;
		p = list_first_entry(&pool->queue, struct khttp_preq, qnode);
		rec = (struct khttp_rec *)p->rec;
		if (rec->len > room) {
			*err = -EMSGSIZE;
			return NULL;
		}
		list_del_init(&p->qnode);
		khttp_qacct_deliver(&pool->q);
		/* The queue's reference now belongs to the in-hand table. */
		p->where = KHTTP_PREQ_IN_HAND;
		p->owner = hf;
		hlist_add_head(&p->hnode, &pool->inhand[khttp_id_hash(p->id)]);
		hf->partial = p;
		khttp_pool_stat(pool, KHTTP_PSTAT_DELIVERED);
	}
	kref_get(&p->ref);
	return p;
}

static ssize_t khttp_httpq_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct khttp_hfile *hf = file->private_data;
	struct khttp_pool *pool = hf->pool;
	size_t copied = 0;
	int err = 0;

	if (mutex_lock_interruptible(&hf->read_lock))
		return -ERESTARTSYS;
	while (copied < count) {
		struct khttp_preq *p;
		struct khttp_rec *rec;
		size_t n;

		spin_lock_bh(&pool->lock);
		if (pool->dead) {
			spin_unlock_bh(&pool->lock);
			err = -ENODEV;
			break;
		}
		p = khttp_httpq_next(hf, count - copied, &err);
		spin_unlock_bh(&pool->lock);
		if (!p) {
			if (copied || err)
				break;
			/* Next requests parked for us: read them off (poolpark.c). */
			if (!list_empty_careful(&pool->parked)) {
				mutex_unlock(&hf->read_lock);
				khttp_pool_run_parked(pool);
				if (mutex_lock_interruptible(&hf->read_lock)) {
					khttp_httpq_pass_on(pool);
					return -ERESTARTSYS;
				}
				continue;
			}
			if (file->f_flags & O_NONBLOCK) {
				err = -EAGAIN;
				break;
			}
			mutex_unlock(&hf->read_lock);
			/* One reader per request: no thundering herd. */
			if (wait_event_interruptible_exclusive(pool->wq,
					khttp_httpq_readable(hf))) {
				/* What was parked for us goes to the workqueue. */
				khttp_pool_unpark_all(pool);
				return -ERESTARTSYS;
			}
			if (mutex_lock_interruptible(&hf->read_lock)) {
				khttp_pool_unpark_all(pool);
				khttp_httpq_pass_on(pool);
				return -ERESTARTSYS;
			}
			continue;
		}
		/* Records are immutable and only this file advances rec_off. */
		rec = (struct khttp_rec *)(p->rec + p->rec_off);
		if (rec->len > count - copied) {
			if (!copied)
				err = -EMSGSIZE;
			khttp_preq_put(p);
			break;
		}
		/* With its zeroed padding, when the buffer has room for it. */
		n = min_t(size_t, ALIGN(rec->len, KHTTP_REC_ALIGN),
			  count - copied);
		if (copy_to_user(ubuf + copied, rec, n)) {
			khttp_preq_put(p);
			err = -EFAULT;
			break;
		}
		copied += n;
		khttp_httpq_advance(hf, p, ALIGN(rec->len, KHTTP_REC_ALIGN));
		khttp_preq_put(p);
	}
	mutex_unlock(&hf->read_lock);
	khttp_httpq_pass_on(pool);
	return copied ? copied : err;
}

/* @n bytes of @p's records went to the worker (read() or its ring). */
void khttp_httpq_advance(struct khttp_hfile *hf, struct khttp_preq *p,
			 size_t n)
{
	spin_lock_bh(&hf->pool->lock);
	p->rec_off += n;
	if (p->rec_off >= p->rec_len && hf->partial == p)
		hf->partial = NULL;
	spin_unlock_bh(&hf->pool->lock);
}

/*
 * A request arriving at a non-empty queue wakes nobody (see
 * khttp_pool_submit): what a reader left behind, another reader takes.
 */
void khttp_httpq_pass_on(struct khttp_pool *pool)
{
	bool more;

	spin_lock_bh(&pool->lock);
	more = pool->q.queued && pool->state == KHTTP_POOL_ACTIVE;
	spin_unlock_bh(&pool->lock);
	if (more)
		wake_up_poll(&pool->wq, EPOLLIN | EPOLLRDNORM);
}

/* ---- responses (records checked by httpqrec.c) ---- */

/* The request is answered (or abandoned): out of the in-hand table. */
static void khttp_httpq_finish(struct khttp_hfile *hf, struct khttp_preq *p)
{
	struct khttp_pool *pool = hf->pool;
	bool put = false;

	spin_lock_bh(&pool->lock);
	if (p->where == KHTTP_PREQ_IN_HAND && p->owner == hf) {
		hlist_del_init(&p->hnode);
		khttp_qacct_finish(&pool->q, 1);
		p->where = KHTTP_PREQ_DONE;
		if (hf->partial == p)
			hf->partial = NULL;
		put = true;
	}
	spin_unlock_bh(&pool->lock);
	if (put) {
		khttp_pool_stat(pool, KHTTP_PSTAT_ANSWERED);
		khttp_preq_put(p);
	}
}

/*
 * Queue response bytes for the connection, unless its client has gone;
 * the caller then sends them with khttp_preq_kick() once unlocked.
 */
static void khttp_preq_push(struct khttp_preq *p, struct khttp_chunk *ch)
{
	lockdep_assert_held(&p->lock);
	if (!p->conn) {
		kvfree(ch);
		return;
	}
	list_add_tail(&ch->node, &p->resp);
	p->resp_bytes += ch->len;
}

static int khttp_httpq_response(struct khttp_preq *p, const char *buf,
				u32 len, u16 flags)
{
	const struct khttp_resp_info *ri;
	const char *hdrs, *body;
	struct khttp_centry *fill;
	struct khttp_chunk *ch;
	bool more = flags & KHTTP_REC_F_MORE;
	bool chunked = false, close_at_end = false, ka;
	u64 clen;
	size_t cap;

	if (khttp_resp_rec_check(buf, len, &clen))
		return -EINVAL;
	ri = (const void *)(buf + sizeof(struct khttp_rec));
	hdrs = (const char *)(ri + 1);
	body = hdrs + ri->headers_len;

	cap = 256 + ri->headers_len + ri->body_len + 32 +
	      (p->rhdrs ? p->rhdrs->len : 0);
	ch = khttp_chunk_new(cap);
	if (!ch)
		return -ENOMEM;
	spin_lock_bh(&p->lock);
	if (p->head_sent || p->done) {
		spin_unlock_bh(&p->lock);
		kvfree(ch);
		return -EINVAL;	/* a second response */
	}
	ka = p->keep_alive;
	if (more && clen == KHTTP_LENGTH_CHUNKED) {
		/* HTTP/1.0 has no chunked coding: end the body by closing. */
		if (p->version == 11)
			chunked = true;
		else
			close_at_end = true;
	}
	if (close_at_end)
		ka = false;
	p->keep_alive = ka;
	ch->len = khttp_resp_worker_head(ch->data, cap, ri->status, hdrs,
					 ri->headers_len, p->rhdrs,
					 chunked ? KHTTP_FRAME_CHUNKED :
					 close_at_end ? KHTTP_FRAME_CLOSE :
					 KHTTP_FRAME_LENGTH, clen, ka,
					 p->version);
	if (ri->body_len && !p->is_head) {
		if (chunked)
			ch->len += scnprintf(ch->data + ch->len,
					     cap - ch->len, "%x\r\n",
					     ri->body_len);
		memcpy(ch->data + ch->len, body, ri->body_len);
		ch->len += ri->body_len;
		if (chunked)
			ch->len += scnprintf(ch->data + ch->len,
					     cap - ch->len, "\r\n");
	}
	p->head_sent = true;
	p->status = ri->status;
	fill = xchg(&p->centry, NULL);
	p->chunked = chunked;
	/* Bytes still owed under Content-Length; ~0: no length to keep. */
	p->body_left = !more || chunked ? 0 :
		       close_at_end ? KHTTP_LENGTH_CHUNKED :
		       clen - ri->body_len;
	if (!more)
		p->done = true;
	khttp_preq_push(p, ch);
	spin_unlock_bh(&p->lock);
	khttp_preq_kick(p);
	/* Whole answers only: a streamed one is never stored. */
	if (fill)
		khttp_cache_store(fill, p->pool->id,
				  (flags & KHTTP_REC_F_CACHE) && !more,
				  ri->status, hdrs, ri->headers_len, body,
				  ri->body_len, ri->cache_ttl);
	return 0;
}

/*
 * KHTTP_REC_F_ABORT: the worker's source broke mid-answer.  No terminating
 * chunk and no clean close the client could take for the end: reset the
 * connection, dropping what is not sent yet (so it never waits for room).
 */
static int khttp_httpq_abort(struct khttp_preq *p)
{
	int err = -EINVAL;

	spin_lock_bh(&p->lock);
	if (p->head_sent && !p->done) {
		p->abort = true;
		p->done = true;
		p->keep_alive = false;
		if (p->conn)
			khttp_conn_wake(p->conn);
		err = 0;
	}
	spin_unlock_bh(&p->lock);
	/* A writer waiting for room sees done and goes. */
	wake_up_all(&p->wq);
	return err;
}

static int khttp_httpq_body(struct khttp_preq *p, const char *buf, u32 len,
			    u16 flags, bool nonblock)
{
	u32 n = len - sizeof(struct khttp_rec);
	const char *data = buf + sizeof(struct khttp_rec);
	bool last = !(flags & KHTTP_REC_F_MORE);
	struct khttp_chunk *ch;
	int err;

	ch = khttp_chunk_new(n + 32);
	if (!ch)
		return -ENOMEM;
	spin_lock_bh(&p->lock);
	/* Backpressure: a worker cannot outrun its client without bound. */
	while (p->conn && !p->done && p->resp_bytes > KHTTP_RESP_BACKLOG) {
		spin_unlock_bh(&p->lock);
		if (nonblock) {
			kvfree(ch);
			return -EAGAIN;
		}
		err = wait_event_interruptible(p->wq,
					       READ_ONCE(p->resp_bytes) <=
					       KHTTP_RESP_BACKLOG ||
					       !READ_ONCE(p->conn) ||
					       READ_ONCE(p->done));
		if (err) {
			kvfree(ch);
			return err;
		}
		spin_lock_bh(&p->lock);
	}
	err = -EINVAL;
	if (!p->head_sent || p->done)
		goto out;	/* no response begun, or already complete */
	if (!p->chunked && p->body_left != KHTTP_LENGTH_CHUNKED &&
	    (n > p->body_left || (last && n != p->body_left))) {
		/* Framing the client relies on would break: reset it. */
		p->abort = true;
		p->done = true;
		if (p->conn)
			khttp_conn_wake(p->conn);
		goto out;
	}
	ch->len = 0;
	if (!p->is_head) {
		if (p->chunked && n)
			ch->len += scnprintf(ch->data, 32, "%x\r\n", n);
		memcpy(ch->data + ch->len, data, n);
		ch->len += n;
		if (p->chunked && n) {
			memcpy(ch->data + ch->len, "\r\n", 2);
			ch->len += 2;
		}
		if (p->chunked && last) {
			memcpy(ch->data + ch->len, "0\r\n\r\n", 5);
			ch->len += 5;
		}
	}
	if (!p->chunked && p->body_left != KHTTP_LENGTH_CHUNKED)
		p->body_left -= n;
	if (last)
		p->done = true;
	khttp_preq_push(p, ch);
	spin_unlock_bh(&p->lock);
	khttp_preq_kick(p);
	return 0;
out:
	spin_unlock_bh(&p->lock);
	kvfree(ch);
	return err;
}

int khttp_httpq_record(struct khttp_hfile *hf, const char *buf, u32 len,
		       bool nonblock)
{
	const struct khttp_rec *rec = (const void *)buf;
	struct khttp_pool *pool = hf->pool;
	struct khttp_preq *p, *found = NULL;
	int err;

	err = khttp_rec_check(rec);
	if (err)
		return err;
	if (rec->type == KHTTP_REC_INVALIDATE) {
		/* A worker's data changed: drop its pool's cached answers. */
		if (READ_ONCE(pool->dead))
			return -ENODEV;
		khttp_cache_flush_tag(pool->ctag, pool->ctag_len,
				      buf + sizeof(*rec), len - sizeof(*rec),
				      pool->id);
		return 0;
	}
	spin_lock_bh(&pool->lock);
	if (pool->dead) {
		spin_unlock_bh(&pool->lock);
		return -ENODEV;
	}
	hlist_for_each_entry(p, &pool->inhand[khttp_id_hash(rec->id)], hnode)
		if (p->id == rec->id) {
			found = p;
			break;
		}
	if (found && found->owner != hf) {
		spin_unlock_bh(&pool->lock);
		return -EPERM;
	}
	if (found)
		kref_get(&found->ref);
	spin_unlock_bh(&pool->lock);
	if (!found)
		return -ENOENT;
	if (rec->type == KHTTP_REC_RESPONSE)
		err = khttp_httpq_response(found, buf, len, rec->flags);
	else if (rec->flags & KHTTP_REC_F_ABORT)
		err = khttp_httpq_abort(found);
	else
		err = khttp_httpq_body(found, buf, len, rec->flags, nonblock);
	if ((!err && READ_ONCE(found->done)) || READ_ONCE(found->abort))
		khttp_httpq_finish(hf, found);
	khttp_preq_put(found);
	return err;
}

/* Records up to this size (most answers) are copied onto the stack. */
#define KHTTP_WRITE_SMALL	256

static ssize_t khttp_httpq_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct khttp_hfile *hf = file->private_data;
	u64 small[KHTTP_WRITE_SMALL / sizeof(u64)];
	size_t done = 0;
	int err = 0;

	while (done < count) {
		struct khttp_rec hdr;
		char *buf = (char *)small;

		if (count - done < sizeof(hdr)) {
			err = -EINVAL;
			break;
		}
		if (copy_from_user(&hdr, ubuf + done, sizeof(hdr))) {
			err = -EFAULT;
			break;
		}
		err = khttp_rec_len_check(&hdr, count - done);
		if (err)
			break;
		if (hdr.len > sizeof(small))
			buf = kvmalloc(hdr.len, GFP_KERNEL);
		if (!buf) {
			err = -ENOMEM;
			break;
		}
		if (copy_from_user(buf, ubuf + done, hdr.len)) {
			err = -EFAULT;
		} else {
			/* The length the record says is the length we checked. */
			((struct khttp_rec *)buf)->len = hdr.len;
			err = khttp_httpq_record(hf, buf, hdr.len,
						 file->f_flags & O_NONBLOCK);
		}
		if (buf != (char *)small)
			kvfree(buf);
		if (err)
			break;
		done += min_t(size_t, ALIGN(hdr.len, KHTTP_REC_ALIGN),
			      count - done);
	}
	return done ? done : err;
}

static __poll_t khttp_httpq_poll(struct file *file, poll_table *wait)
{
	struct khttp_hfile *hf = file->private_data;
	struct khttp_pool *pool = hf->pool;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &pool->wq, wait);
	spin_lock_bh(&pool->lock);
	if (pool->dead)
		mask = EPOLLERR | EPOLLHUP;
	else if (hf->partial || !list_empty(&pool->parked) ||
		 (pool->state == KHTTP_POOL_ACTIVE && pool->q.queued))
		mask |= EPOLLIN | EPOLLRDNORM;
	spin_unlock_bh(&pool->lock);
	return mask;
}

/* The ring (httpqring.c): the file's one mapping, and its doorbell. */
static int khttp_httpq_mmap(struct file *file, struct vm_area_struct *vma)
{
	return khttp_ring_mmap(file->private_data, vma);
}

static long khttp_httpq_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	if (cmd != KHTTP_IOC_RING_ENTER)
		return -ENOTTY;
	return khttp_ring_enter(file->private_data, file, (void __user *)arg);
}

/* Rapid-fail protection: COUNT worker deaths within SECONDS stop the pool. */
void khttp_pool_worker_died(struct khttp_pool *pool)
{
	u32 count = READ_ONCE(pool->rf_count);
	LIST_HEAD(list);
	bool tripped = false;

	khttp_pool_stat(pool, KHTTP_PSTAT_WORKER_DEATHS);
	spin_lock_bh(&pool->lock);
	if (khttp_rapid_fail_death(&pool->rf, jiffies, count,
				   READ_ONCE(pool->rf_seconds)) &&
	    pool->state == KHTTP_POOL_ACTIVE && !pool->dead) {
		pool->state = KHTTP_POOL_FAILED;
		khttp_pool_take_queue(pool, &list);
		tripped = true;
	}
	spin_unlock_bh(&pool->lock);
	if (!tripped)
		return;
	pr_warn(KHTTP_LOG_PREFIX "pool %s: %u worker failures within %u s; disabled until 'httpctl pool set %s state active'\n",
		pool->name, count, READ_ONCE(pool->rf_seconds), pool->name);
	khttp_pool_fail_list(pool, &list, 503, KHTTP_PSTAT_UNAVAILABLE);
}

/*
 * Take the in-hand requests of @hf (or of every file, if NULL; with
 * @ring_only, those it got through its ring): 502.
 */
u32 khttp_httpq_abandon(struct khttp_pool *pool, struct khttp_hfile *hf,
			bool ring_only)
{
	struct khttp_preq *p;
	struct hlist_node *tmp;
	HLIST_HEAD(gone);
	u32 i, n = 0;

	spin_lock_bh(&pool->lock);
	for (i = 0; i < ARRAY_SIZE(pool->inhand); i++) {
		hlist_for_each_entry_safe(p, tmp, &pool->inhand[i], hnode) {
			struct khttp_hfile *owner = p->owner;

			if ((hf && owner != hf) || (ring_only && !p->ring))
				continue;
			/* Its file may go on reading (after munmap()). */
			if (owner->partial == p)
				owner->partial = NULL;
			hlist_del(&p->hnode);
			khttp_qacct_finish(&pool->q, 1);
			p->where = KHTTP_PREQ_DONE;
			hlist_add_head(&p->hnode, &gone);
			n++;
		}
	}
	spin_unlock_bh(&pool->lock);
	hlist_for_each_entry_safe(p, tmp, &gone, hnode) {
		hlist_del_init(&p->hnode);
		khttp_pool_stat(pool, KHTTP_PSTAT_ABANDONED);
		khttp_preq_fail(p, 502);
		khttp_preq_put(p);
	}
	return n;
}

void khttp_httpq_release_all(struct khttp_pool *pool)
{
	khttp_httpq_abandon(pool, NULL, false);
}

static int khttp_httpq_release(struct inode *inode, struct file *file)
{
	struct khttp_hfile *hf = file->private_data;
	struct khttp_pool *pool = hf->pool;

	if (khttp_httpq_abandon(pool, hf, false))
		khttp_pool_worker_died(pool);
	spin_lock_bh(&pool->lock);
	pool->nreaders--;
	spin_unlock_bh(&pool->lock);
	/* No mapping is left: each held the file open. */
	khttp_ring_free(hf);
	khttp_pool_put(pool);
	kfree(hf);
	return 0;
}

static const struct file_operations khttp_httpq_fops = {
	.owner = THIS_MODULE,
	.open = khttp_httpq_open,
	.release = khttp_httpq_release,
	.read = khttp_httpq_read,
	.write = khttp_httpq_write,
	.poll = khttp_httpq_poll,
	.mmap = khttp_httpq_mmap,
	.unlocked_ioctl = khttp_httpq_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	/* No llseek: stream_open() in open makes lseek fail with ESPIPE. */
};

int khttp_httpq_init(void)
{
	int err;

	err = alloc_chrdev_region(&khttp_httpq_devt, 0, KHTTP_HTTPQ_MINORS,
				  "httpq");
	if (err)
		return err;
	cdev_init(&khttp_httpq_cdev, &khttp_httpq_fops);
	khttp_httpq_cdev.owner = THIS_MODULE;
	err = cdev_add(&khttp_httpq_cdev, khttp_httpq_devt, KHTTP_HTTPQ_MINORS);
	if (err)
		goto err_region;
	khttp_httpq_class = khttp_class_create("httpq");
	if (IS_ERR(khttp_httpq_class)) {
		err = PTR_ERR(khttp_httpq_class);
		goto err_cdev;
	}
	return 0;

err_cdev:
	cdev_del(&khttp_httpq_cdev);
err_region:
	unregister_chrdev_region(khttp_httpq_devt, KHTTP_HTTPQ_MINORS);
	return err;
}

void khttp_httpq_exit(void)
{
	class_destroy(khttp_httpq_class);
	cdev_del(&khttp_httpq_cdev);
	unregister_chrdev_region(khttp_httpq_devt, KHTTP_HTTPQ_MINORS);
	idr_destroy(&khttp_httpq_idr);
}
