/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parser and the route matcher are plain C: they build in the module and
 * in userspace (unit tests under ASan/UBSan, libFuzzer).  This header is the
 * only place where the two worlds differ.
 */
#ifndef KHTTP_COMPAT_H
#define KHTTP_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>

/* Allocations made by plain-C code; may sleep. */
#define khttp_zalloc(n)	kvzalloc((n), GFP_KERNEL)
#define khttp_free(p)	kvfree(p)
/*
 * Free @p, which lockless readers may still be using, once they are done:
 * after an RCU grace period.  @field is @p's khttp_rcu_head.
 */
#define khttp_rcu_head		rcu_head
#define khttp_free_rcu(p, field)	kvfree_rcu((p), field)
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#define khttp_zalloc(n)	calloc(1, (n))
#define khttp_free(p)	free(p)
/* Userspace callers (tests, fuzzers) have no concurrent readers. */
struct khttp_rcu_head {
	void *next, *func;
};
/* (offsetof only checks, at compile time, that @field is @p's member.) */
#define khttp_free_rcu(p, field)	\
	free(((void)offsetof(__typeof__(*(p)), field), (p)))
/* Tables one writer changes under concurrent readers: see route.c. */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE) /* C11 acquire */
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE) /* C11 release */
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef min
#define min(a, b)	((a) < (b) ? (a) : (b))
#endif
#ifndef fallthrough
#define fallthrough	__attribute__((__fallthrough__))
#endif
#endif

#endif /* KHTTP_COMPAT_H */
