// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-line half of the compat layer (compat.h): zero-copy page sends
 * and shrinker registration, each as the running kernel's API has it.
 */
#include <linux/bvec.h>
#include <linux/err.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/uio.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
/*
 * kernel_sendpage() is gone from 6.5: a page goes out by reference through
 * sendmsg with MSG_SPLICE_PAGES over a bvec iterator, which TCP attaches to
 * the skb as a fragment exactly as sendpage did (no copy).  Up to
 * KHTTP_SEND_BVECS pages go in one call, so a large body costs one pass
 * through tcp_sendmsg per 64 KiB instead of one per page.
 */
#define KHTTP_SEND_BVECS	16

int khttp_sendpages(struct socket *sock, struct page **pages, size_t off,
		    size_t len, int flags)
{
	struct bio_vec bvec[KHTTP_SEND_BVECS];
	struct msghdr msg = { .msg_flags = flags | MSG_SPLICE_PAGES };
	size_t total = 0;
	int n = 0;

	pages += off >> PAGE_SHIFT;
	off = offset_in_page(off);
	while (total < len && n < KHTTP_SEND_BVECS) {
		size_t part = min_t(size_t, PAGE_SIZE - off, len - total);

		bvec_set_page(&bvec[n++], *pages++, part, off);
		total += part;
		off = 0;
	}
	/* More of the caller's bytes follow this call. */
	if (total < len)
		msg.msg_flags |= MSG_MORE;
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bvec, n, total);
	return sock_sendmsg(sock, &msg);
}
#else
/*
 * Before 6.5, one kernel_sendpage() per page.  "More follows" must say
 * MSG_SENDPAGE_NOTLAST as well as MSG_MORE, as splice does for sendfile:
 * kTLS's tls_sw_sendpage() closes the open record after any page sent
 * without NOTLAST (MSG_MORE alone does not keep it open), so a body would
 * go out as one 4 KiB TLS record per page instead of 16 KiB ones, and TCP
 * pushes after each such page.
 */
int khttp_sendpages(struct socket *sock, struct page **pages, size_t off,
		    size_t len, int flags)
{
	size_t sent = 0;
	int ret = 0;

	if (flags & MSG_MORE)
		flags |= MSG_SENDPAGE_NOTLAST;
	pages += off >> PAGE_SHIFT;
	off = offset_in_page(off);
	while (sent < len) {
		size_t part = min_t(size_t, PAGE_SIZE - off, len - sent);
		int f = flags;

		if (sent + part < len)
			f |= MSG_MORE | MSG_SENDPAGE_NOTLAST;
		ret = kernel_sendpage(sock, *pages, off, part, f);
		if (ret <= 0)
			break;
		sent += ret;
		if ((size_t)ret < part)
			break;
		pages++;
		off = 0;
	}
	return sent ? sent : ret;
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
struct shrinker *khttp_shrinker_register(const char *name,
	unsigned long (*count)(struct shrinker *, struct shrink_control *),
	unsigned long (*scan)(struct shrinker *, struct shrink_control *),
	void *private_data)
{
	struct shrinker *s = shrinker_alloc(0, "%s", name);

	if (!s)
		return ERR_PTR(-ENOMEM);
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	s->private_data = private_data;
	shrinker_register(s);
	return s;
}

void *khttp_shrinker_private(struct shrinker *s)
{
	return s->private_data;
}

void khttp_shrinker_unregister(struct shrinker *s)
{
	shrinker_free(s);
}
#else
struct khttp_shrinker {
	struct shrinker shrinker;
	void *private_data;
};

struct shrinker *khttp_shrinker_register(const char *name,
	unsigned long (*count)(struct shrinker *, struct shrink_control *),
	unsigned long (*scan)(struct shrinker *, struct shrink_control *),
	void *private_data)
{
	struct khttp_shrinker *ks = kzalloc(sizeof(*ks), GFP_KERNEL);
	int err;

	if (!ks)
		return ERR_PTR(-ENOMEM);
	ks->shrinker.count_objects = count;
	ks->shrinker.scan_objects = scan;
	ks->shrinker.seeks = DEFAULT_SEEKS;
	ks->private_data = private_data;
	err = register_shrinker(&ks->shrinker, "%s", name);
	if (err) {
		kfree(ks);
		return ERR_PTR(err);
	}
	return &ks->shrinker;
}

void *khttp_shrinker_private(struct shrinker *s)
{
	return container_of(s, struct khttp_shrinker, shrinker)->private_data;
}

void khttp_shrinker_unregister(struct shrinker *s)
{
	unregister_shrinker(s);
	kfree(container_of(s, struct khttp_shrinker, shrinker));
}
#endif
