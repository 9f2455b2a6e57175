// SPDX-License-Identifier: GPL-2.0
/*
 * Static files in the response cache.
 *
 * An entry keeps what a hit needs without a path walk or an open: the open
 * file, its response head ready-made, and (up to the per-entry limit)
 * references to the file's page-cache pages, sent to TCP by reference.
 *
 * An edited file is never served stale.  Every hit checks, without locks,
 * that the name was not unlinked or renamed over (d_unhashed), that size,
 * mtime, ctime and mode are unchanged, and that each pinned page still
 * belongs to the file (truncation detaches pages, so truncate-and-rewrite
 * within one timestamp tick is caught too; an in-place write changes the
 * very pages we send).  What a name leads to can also change above the
 * file (a renamed directory, a replaced symlink): the path is walked again
 * after any rename on the system (rename_lock's sequence) and at least
 * once a second otherwise (nginx's open_file_cache trusts it for 60 s).
 */
#include <linux/highmem.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pipe_fs_i.h>
#include <linux/file.h>
#include <linux/string.h>
#include <net/sock.h>
#include "khttp.h"
#include "conn.h"
#include "static.h"
#include "cachectl.h"
#include "xmit.h"
#include "cache.h"
#include "precomp.h"

#define KHTTP_CFILE_RECHECK_MS	1000
#define KHTTP_CFILE_HEAD_MAX	320

struct khttp_cfile {
	struct khttp_sfile sf;		/* sf.file is a reference */
	struct path root;		/* the route's directory, referenced */
	const char *rel;		/* the request's path in root */
	const char *name;		/* the file's (rel + index.html) */
	unsigned int rename_seq;	/* rename_lock when last walked */
	u64 checked_ms;			/* when last walked */
	u32 npages;			/* 0: body spliced from the file */
	struct page *pages[];		/* the whole file, from offset 0 */
};

bool khttp_cfile_pinned(const struct khttp_centry *e)
{
	return e->file && e->file->npages;
}

static void khttp_cfile_release(struct khttp_centry *e)
{
	struct khttp_cfile *cf = e->file;
	u32 i;

	for (i = 0; i < cf->npages; i++)
		put_page(cf->pages[i]);
	if (cf->sf.file)
		fput(cf->sf.file);
	if (cf->sf.ident)
		fput(cf->sf.ident);
	path_put(&cf->root);
}

/* Does the name still lead to this very file, unchanged? */
static bool khttp_cfile_fresh(struct khttp_cfile *cf, const struct path *root,
			      const char *rel)
{
	struct file *f = cf->sf.file;
	struct inode *inode = file_inode(f);
	struct timespec64 mtime = khttp_inode_mtime(inode);
	struct timespec64 ctime = khttp_inode_ctime(inode);
	unsigned int seq;
	struct path p;
	u64 now;
	bool same;
	u32 i;

	if (cf->root.dentry != root->dentry || cf->root.mnt != root->mnt ||
	    strcmp(cf->rel, rel))
		return false;
	if (d_unhashed(f->f_path.dentry) ||
	    i_size_read(inode) != cf->sf.size ||
	    !timespec64_equal(&mtime, &cf->sf.mtime) ||
	    !timespec64_equal(&ctime, &cf->sf.ctime) ||
	    READ_ONCE(inode->i_mode) != cf->sf.mode)
		return false;
	for (i = 0; i < cf->npages; i++)
		if (READ_ONCE(page_folio(cf->pages[i])->mapping) !=
		    f->f_mapping)
			return false;
	if (cf->sf.precomp && !khttp_precomp_fresh(&cf->sf, NULL, NULL))
		return false;

	now = khttp_now_ms();
	seq = read_seqbegin(&rename_lock);
	if (seq == READ_ONCE(cf->rename_seq) &&
	    now - READ_ONCE(cf->checked_ms) < KHTTP_CFILE_RECHECK_MS)
		return true;
	if (khttp_static_lookup(root, cf->name, &p))
		return false;
	/* The name leads to FILE; a sibling sent for it is chosen again. */
	if (cf->sf.ident)
		f = cf->sf.ident;
	same = p.dentry == f->f_path.dentry && p.mnt == f->f_path.mnt;
	path_put(&p);
	if (same && cf->sf.precomp)
		same = khttp_precomp_fresh(&cf->sf, root, cf->name);
	if (same) {
		/* Racing hits may both write: either value is right. */
		WRITE_ONCE(cf->rename_seq, seq);
		WRITE_ONCE(cf->checked_ms, now);
	}
	return same;
}

bool khttp_static_cache_hit(struct khttp_conn *c, const struct path *root,
			    const char *rel)
{
	struct khttp_centry *e;

	e = khttp_cache_get(&khttp_cache, c->rq->ckey, c->rq->ckey_len,
			    KHTTP_CKIND_FILE);
	if (!e)
		return false;
	if (!khttp_cfile_fresh(e->file, root, rel)) {
		khttp_cache_remove(&khttp_cache, e);
		khttp_centry_put(e);
		return false;
	}
	khttp_static_respond(c, &e->file->sf, e);
	c->rq->resp_source = KHTTP_LOG_CACHE;
	khttp_centry_put(e);
	return true;
}

struct khttp_cfile_pin {
	struct khttp_splice_sink sink;
	struct khttp_cfile *cf;
	u32 max;
};

/* Keep a reference to each page-cache page the file is spliced as. */
static int khttp_cfile_pin_buf(struct pipe_inode_info *pipe,
			       struct pipe_buffer *buf, struct splice_desc *sd)
{
	struct khttp_cfile_pin *pin = sd->u.data;
	struct khttp_cfile *cf = pin->cf;
	u64 pos = (u64)cf->npages << PAGE_SHIFT;

	/*
	 * Whole pages of this file's mapping, in order: a filesystem that
	 * hands out copies (no page cache) is not pinned, only spliced.
	 */
	if (cf->npages >= pin->max || buf->offset ||
	    (sd->len != PAGE_SIZE && pos + sd->len != cf->sf.size) ||
	    page_folio(buf->page)->mapping != cf->sf.file->f_mapping)
		return -EINVAL;
	get_page(buf->page);
	cf->pages[cf->npages++] = buf->page;
	return sd->len;
}

static bool khttp_cfile_pin(struct khttp_cfile *cf, u32 max)
{
	struct khttp_cfile_pin pin = {
		.sink.buf_fn = khttp_cfile_pin_buf,
		.cf = cf,
		.max = max,
	};
	struct splice_desc sd = {
		.total_len = cf->sf.size,
		.pos = 0,
		.u.data = &pin,
	};
	ssize_t n;
	u32 i;

	n = khttp_splice_file(cf->sf.file, &sd);
	if (n == cf->sf.size && cf->npages == max)
		return true;
	for (i = 0; i < cf->npages; i++)
		put_page(cf->pages[i]);
	cf->npages = 0;
	return false;
}

/*
 * After a miss: build an entry for the file just opened and add it to the
 * cache.  Returns it referenced for this response, or NULL.
 */
struct khttp_centry *khttp_static_cache_fill(struct khttp_conn *c,
					     const struct path *root,
					     const char *rel, const char *name,
					     const struct khttp_sfile *sf)
{
	size_t rl = strlen(rel) + 1, nl = strlen(name) + 1;
	u32 max = 0;
	struct khttp_centry *e;
	struct khttp_cfile *cf;
	char *p;

	if (!c->rq->ckey)
		return NULL;
	if (sf->size && sf->size <= READ_ONCE(khttp_cache.entry_max))
		max = DIV_ROUND_UP(sf->size, PAGE_SIZE);
	e = khttp_centry_new(c->rq->ckey, c->rq->ckey_len, KHTTP_CKIND_FILE,
			     struct_size(cf, pages, max) + rl + nl +
			     KHTTP_CFILE_HEAD_MAX);
	if (!e)
		return NULL;
	cf = khttp_centry_extra(e);
	e->file = cf;
	cf->sf = *sf;
	cf->sf.file = get_file(sf->file);
	if (sf->ident)
		get_file(sf->ident);
	cf->root = *root;
	path_get(&cf->root);
	e->release = khttp_cfile_release;
	p = (char *)&cf->pages[max];
	cf->rel = memcpy(p, rel, rl);
	cf->name = memcpy(p + rl, name, nl);
	cf->rename_seq = read_seqbegin(&rename_lock);
	cf->checked_ms = khttp_now_ms();
	if (max && khttp_cfile_pin(cf, max))
		e->size += (size_t)max << PAGE_SHIFT;
	e->hdrs = p + rl + nl;
	e->hdrs_len = khttp_sfile_headers(sf, (char *)e->hdrs,
					  KHTTP_CFILE_HEAD_MAX);
	e->status = 200;
	e->created_ms = cf->checked_ms;
	e->expires_ms = U64_MAX;	/* no TTL: checked on every hit */
	refcount_inc(&e->ref);		/* this response's */
	khttp_cache_insert(&khttp_cache, e);
	return e;
}

/* The pinned pages of a file's entry, for sending by reference. */
struct page **khttp_cfile_pages(const struct khttp_centry *e)
{
	return e->file->pages;
}

/* Copy @len bytes from @off of a pinned file (checked by the caller). */
void khttp_cfile_copy(const struct khttp_centry *e, u64 off, char *to,
		      size_t len)
{
	while (len) {
		size_t in = offset_in_page(off);
		size_t n = min_t(size_t, len, PAGE_SIZE - in);

		memcpy_from_page(to, e->file->pages[off >> PAGE_SHIFT], in, n);
		to += n;
		off += n;
		len -= n;
	}
}

static bool khttp_cfile_under(struct khttp_centry *e, void *arg)
{
	const struct path *root = arg;

	return !e->pending && e->file && e->file->root.dentry == root->dentry &&
	       e->file->root.mnt == root->mnt;
}

/* A route's directory goes: so do its files' entries (and their opens). */
void khttp_static_cache_forget(const struct path *root)
{
	khttp_cache_flush_if(&khttp_cache, khttp_cfile_under, (void *)root);
}

/* The file's path, for listings. */
int khttp_cfile_describe(const struct khttp_centry *e, char *buf, int len)
{
	char *s = d_path(&e->file->sf.file->f_path, buf, len);

	if (IS_ERR(s))
		return PTR_ERR(s);
	memmove(buf, s, strlen(s) + 1);
	return 0;
}
