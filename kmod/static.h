/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static files (static.c) and their entries in the response cache
 * (staticcache.c).
 */
#ifndef KHTTP_STATIC_H
#define KHTTP_STATIC_H

#include <linux/time64.h>
#include <linux/types.h>

struct file;
struct khttp_centry;
struct khttp_conn;
struct page;

/* static.c: files from a route's directory. */
struct path;
struct dentry;
struct vfsmount;

/*
 * Exported by fs/namei.c but declared only in fs/internal.h: the one VFS
 * call that resolves a name relative to a directory with lookup flags, which
 * is what LOOKUP_BENEATH needs.
 */
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);
void khttp_static_serve(struct khttp_conn *c, const struct path *root,
			const char *rel, const char *urlpath);
int khttp_static_lookup(const struct path *root, const char *rel,
			struct path *out);

/* An open static file as a response sees it. */
struct khttp_sfile {
	struct file *file;
	const char *type;		/* Content-Type */
	u64 size;
	struct timespec64 mtime, ctime;	/* as when opened */
	umode_t mode;
	u8 precomp;			/* c->rq->precomp (precomp.h); 0: plain */
	u8 enc;				/* enum khttp_enc of what file holds */
	struct file *ident;		/* enc set: FILE itself, a reference */
	char etag[72];
	char lastmod[30];
};

void khttp_sfile_init(struct khttp_sfile *sf, struct file *f,
		      const char *name);
int khttp_sfile_headers(const struct khttp_sfile *sf, char *out, size_t len);
void khttp_static_respond(struct khttp_conn *c, const struct khttp_sfile *sf,
			  struct khttp_centry *e);

/* staticcache.c: static files in the response cache. */
bool khttp_static_cache_hit(struct khttp_conn *c, const struct path *root,
			    const char *rel);
struct khttp_centry *khttp_static_cache_fill(struct khttp_conn *c,
					     const struct path *root,
					     const char *rel, const char *name,
					     const struct khttp_sfile *sf);
bool khttp_cfile_pinned(const struct khttp_centry *e);
struct page **khttp_cfile_pages(const struct khttp_centry *e);
void khttp_cfile_copy(const struct khttp_centry *e, u64 off, char *to,
		      size_t len);
void khttp_static_cache_forget(const struct path *root);
int khttp_cfile_describe(const struct khttp_centry *e, char *buf, int len);

#endif /* KHTTP_STATIC_H */
