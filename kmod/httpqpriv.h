/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two halves of /dev/httpq share: the open file (httpq.c: open,
 * read, write, poll, release) and its optional shared-memory ring
 * (httpqring.c: mmap and the doorbell ioctl).
 */
#ifndef KHTTP_HTTPQPRIV_H
#define KHTTP_HTTPQPRIV_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include "pool.h"

struct khttp_ring;

struct khttp_hfile {
	struct khttp_pool *pool;	/* holds a reference */
	struct mutex read_lock;		/* one reader at a time per file */
	struct khttp_preq *partial;	/* in hand, records not all read */
	struct khttp_ring *ring;	/* set once, by the first mmap() */
	bool ring_claimed;		/* under pool->lock: mmap() began */
};

/* httpq.c */
struct khttp_preq *khttp_httpq_next(struct khttp_hfile *hf, size_t room,
				    int *err);
void khttp_httpq_advance(struct khttp_hfile *hf, struct khttp_preq *p,
			 size_t n);
void khttp_httpq_pass_on(struct khttp_pool *pool);
bool khttp_httpq_readable(struct khttp_hfile *hf);
int khttp_httpq_record(struct khttp_hfile *hf, const char *buf, u32 len,
		       bool nonblock);
u32 khttp_httpq_abandon(struct khttp_pool *pool, struct khttp_hfile *hf,
			bool ring_only);
void khttp_pool_worker_died(struct khttp_pool *pool);

/* httpqring.c */
int khttp_ring_mmap(struct khttp_hfile *hf, struct vm_area_struct *vma);
long khttp_ring_enter(struct khttp_hfile *hf, struct file *file,
		      void __user *arg);
void khttp_ring_free(struct khttp_hfile *hf);

#endif /* KHTTP_HTTPQPRIV_H */
