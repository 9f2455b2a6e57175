/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version compatibility: every difference between the kernels khttp
 * supports (6.1 and 6.12 LTS, and what lies between) is here, as small named
 * helpers, so the core files carry no version checks.  Kbuild force-includes
 * this header into every module object, as WireGuard's compat layer is.
 * Where a feature can be tested directly (a macro, a flag) it is; otherwise
 * the version it arrived in is named.
 *
 * (kmod/compat.h is a different thing: the shim that lets the plain-C parser
 * and route table build in userspace.)
 */
#ifndef KHTTP_COMPAT_COMPAT_H
#define KHTTP_COMPAT_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "khttp needs Linux 6.1 or later (the oldest long-term kernel it supports)"
#endif

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/types.h>
#include <net/genetlink.h>

struct socket;
struct page;

/*
 * Generic netlink pre_doit/post_doit hooks: 6.2 passes the split op the
 * command resolved to instead of the full op.  Both carry internal_flags.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define khttp_genl_hook_ops	genl_split_ops
#else
#define khttp_genl_hook_ops	genl_ops
#endif

/*
 * Multicast groups that only CAP_NET_ADMIN may join: the flag arrived in
 * 6.7 and was backported to 6.1.y (Debian's 6.1 has it).  Where it is
 * missing, anyone may join; README and khttp(7) say so.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define KHTTP_MCGRP_ADMIN_ONLY	GENL_MCAST_CAP_NET_ADMIN
#define KHTTP_HAVE_MCGRP_PERM	1
#else
#define KHTTP_MCGRP_ADMIN_ONLY	0
#define KHTTP_HAVE_MCGRP_PERM	0
#endif

/*
 * khttp's slab caches stay apart from the caches SLUB would merge them
 * into: destroying an unmerged cache at unload reports objects left in it
 * (a leak a merged alias would hide), and its name leaves /sys/kernel/slab
 * with it.  SLAB_NO_MERGE arrived in 6.5; before it, SLAB_NOLEAKTRACE is
 * the flag in SLAB_NEVER_MERGE that costs nothing at run time (it only
 * keeps kmemleak from tracking these objects, on those kernels alone).
 */
#ifdef SLAB_NO_MERGE
#define KHTTP_SLAB_UNMERGED	SLAB_NO_MERGE
#else
#define KHTTP_SLAB_UNMERGED	SLAB_NOLEAKTRACE
#endif

/* device_type.devnode takes a const device from 6.2. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define khttp_devnode_device	const struct device
#else
#define khttp_devnode_device	struct device
#endif

/* class_create lost its owner argument in 6.4. */
static inline struct class *khttp_class_create(const char *name)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

/* Inode timestamps: accessors from 6.6 (ctime) and 6.7 (mtime). */
static inline struct timespec64 khttp_inode_mtime(const struct inode *inode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	return inode_get_mtime(inode);
#else
	return inode->i_mtime;
#endif
}

static inline struct timespec64 khttp_inode_ctime(const struct inode *inode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return inode_get_ctime(inode);
#else
	return inode->i_ctime;
#endif
}

/*
 * Send @len bytes starting @off bytes into @pages[0] (the pages follow one
 * another in the body) by page reference, never copied.  @flags are
 * MSG_* (MSG_DONTWAIT, MSG_MORE...).  Returns bytes sent or -errno.
 */
int khttp_sendpages(struct socket *sock, struct page **pages, size_t off,
		    size_t len, int flags);

static inline int khttp_sendpage(struct socket *sock, struct page *page,
				 size_t off, size_t len, int flags)
{
	return khttp_sendpages(sock, &page, off, len, flags);
}

/*
 * Shrinkers: from 6.7 the kernel allocates them (shrinker_alloc) and keeps
 * the owner's pointer; before, the owner embedded one.  Returns the
 * registered shrinker or an ERR_PTR; khttp_shrinker_private() gives
 * @private_data back inside the callbacks.
 */
struct shrinker *khttp_shrinker_register(const char *name,
	unsigned long (*count)(struct shrinker *, struct shrink_control *),
	unsigned long (*scan)(struct shrinker *, struct shrink_control *),
	void *private_data);
void *khttp_shrinker_private(struct shrinker *s);
void khttp_shrinker_unregister(struct shrinker *s);

#endif /* KHTTP_COMPAT_COMPAT_H */
