// SPDX-License-Identifier: GPL-2.0
/*
 * Static files from a route's directory.
 *
 * Lookup is done by the VFS with LOOKUP_BENEATH from the route's directory,
 * so neither "..", nor an absolute symlink, nor a symlink climbing out can
 * leave it, whatever the string looked like.  Only regular, world-readable
 * files are served (as TUX did): the listener runs with kernel credentials,
 * so "readable by anyone" is the only permission that means something.
 *
 * File data goes from the page cache to the socket by reference, spliced
 * by xmit.c; here a response only names the file and the range to send.
 */
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/pipe_fs_i.h>
#include <linux/splice.h>
#include <linux/file.h>
#include <linux/string.h>
#include <net/sock.h>
#include "khttp.h"
#include "conn.h"
#include "static.h"
#include "resp.h"
#include "cache.h"
#include "cachepolicy.h"
#include "parser.h"
#include "precomp.h"

static const struct {
	const char *ext;
	const char *type;
} khttp_mime[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "htm", "text/html; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "json", "application/json" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "xml", "application/xml" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "avif", "image/avif" },
	{ "ico", "image/vnd.microsoft.icon" },
	{ "woff", "font/woff" },
	{ "woff2", "font/woff2" },
	{ "ttf", "font/ttf" },
	{ "pdf", "application/pdf" },
	{ "wasm", "application/wasm" },
	{ "zip", "application/zip" },
	{ "gz", "application/gzip" },
	{ "tar", "application/x-tar" },
	{ "mp4", "video/mp4" },
	{ "webm", "video/webm" },
	{ "mp3", "audio/mpeg" },
	{ "ogg", "audio/ogg" },
	{ "wav", "audio/wav" },
	{ "csv", "text/csv; charset=utf-8" },
	{ "md", "text/markdown; charset=utf-8" },
};

static const char *khttp_content_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot && !strchr(dot, '/')) {
		for (i = 0; i < ARRAY_SIZE(khttp_mime); i++)
			if (!strcasecmp(dot + 1, khttp_mime[i].ext))
				return khttp_mime[i].type;
	}
	return "application/octet-stream";
}

int khttp_static_lookup(const struct path *root, const char *rel,
			struct path *out)
{
	return vfs_path_lookup(root->dentry, root->mnt, *rel ? rel : ".",
			       LOOKUP_FOLLOW | LOOKUP_BENEATH, out);
}

static void khttp_static_lookup_error(struct khttp_conn *c, int err)
{
	/* -EXDEV: the path tried to leave the directory. */
	khttp_resp_error(c, err == -ENOENT || err == -ENOTDIR ||
			 err == -ENAMETOOLONG ? 404 : 403);
}

void khttp_sfile_init(struct khttp_sfile *sf, struct file *f,
		      const char *name)
{
	struct inode *inode = file_inode(f);

	sf->file = f;
	sf->type = khttp_content_type(name);
	sf->size = i_size_read(inode);
	sf->mtime = khttp_inode_mtime(inode);
	sf->ctime = khttp_inode_ctime(inode);
	sf->mode = inode->i_mode;
	sf->precomp = 0;
	sf->enc = KHTTP_ENC_IDENTITY;
	sf->ident = NULL;
	snprintf(sf->etag, sizeof(sf->etag), "\"%lx-%llx.%lx-%llx\"",
		 inode->i_ino, (u64)sf->mtime.tv_sec, sf->mtime.tv_nsec,
		 sf->size);
	khttp_http_date(sf->mtime.tv_sec, sf->lastmod);
}

int khttp_sfile_headers(const struct khttp_sfile *sf, char *out, size_t len)
{
	int n = scnprintf(out, len,
			  "ETag: %s\r\nLast-Modified: %s\r\nContent-Type: %s\r\nContent-Length: %llu\r\nAccept-Ranges: bytes\r\n",
			  sf->etag, sf->lastmod, sf->type, sf->size);

	return n + khttp_precomp_headers(sf, out + n, len - n);
}

/* The precompressed route's lines (Vary, Content-Encoding), if any. */
static void khttp_static_add_precomp(struct khttp_conn *c,
				     const struct khttp_sfile *sf)
{
	c->rq->out.len += khttp_precomp_headers(sf, c->rq->out.head +
					       c->rq->out.len,
					       c->rq->out.cap - c->rq->out.len);
}

/* The status a GET or HEAD for @sf gets: conditionals, then Range. */
static u16 khttp_static_status(const struct khttp_conn *c,
			       const struct khttp_sfile *sf, u64 *start,
			       u64 *end)
{
	const struct khttp_cond_rep rep = {
		.etag = sf->etag,
		.etag_len = strlen(sf->etag),
		.lastmod = sf->lastmod,
		.lastmod_len = KHTTP_DATE_LEN,
		.mtime = sf->mtime.tv_sec,
		.size = sf->size,
	};

	return khttp_resp_cond(c, &rep, start, end);
}

/*
 * Answer the GET or HEAD on @c with the file @sf.  With @e (a cache entry
 * the caller holds) the head is ready-made and the body comes from the
 * entry's pinned pages; without, the body is spliced from the file.
 */
void khttp_static_respond(struct khttp_conn *c, const struct khttp_sfile *sf,
			  struct khttp_centry *e)
{
	u64 start = 0, end = 0, size = sf->size;
	u16 status = khttp_static_status(c, sf, &start, &end);
	u64 want = status == 206 ? end - start + 1 : size;
	bool inline_body = e && khttp_cfile_pinned(e) &&
			   khttp_resp_inline(c, status, want);

	/* Every head below fits in 512 bytes (ETag and type are bounded). */
	if (khttp_resp_begin_cap(c, status, 512 + (inline_body ? want : 0)))
		return;
	switch (status) {
	case 304:
		khttp_resp_add(c, "ETag: %s\r\nLast-Modified: %s\r\n",
			       sf->etag, sf->lastmod);
		khttp_static_add_precomp(c, sf);
		khttp_resp_end(c, NULL, 0, true);
		return;
	case 416:
		khttp_resp_add(c, "ETag: %s\r\nLast-Modified: %s\r\nContent-Range: bytes */%llu\r\nContent-Length: 0\r\n",
			       sf->etag, sf->lastmod, size);
		khttp_static_add_precomp(c, sf);
		khttp_resp_end(c, NULL, 0, true);
		return;
	case 206:
		size = end - start + 1;
		khttp_resp_add(c, "ETag: %s\r\nLast-Modified: %s\r\nContent-Range: bytes %llu-%llu/%llu\r\nContent-Type: %s\r\nContent-Length: %llu\r\nAccept-Ranges: bytes\r\n",
			       sf->etag, sf->lastmod, start, end, sf->size,
			       sf->type, size);
		khttp_static_add_precomp(c, sf);
		break;
	default:
		if (e && e->hdrs_len <= c->rq->out.cap - c->rq->out.len) {
			memcpy(c->rq->out.head + c->rq->out.len, e->hdrs, e->hdrs_len);
			c->rq->out.len += e->hdrs_len;
		} else {
			c->rq->out.len += khttp_sfile_headers(sf,
							  c->rq->out.head +
							  c->rq->out.len,
							  c->rq->out.cap -
							  c->rq->out.len);
		}
		break;
	}
	khttp_resp_end(c, NULL, 0, true);
	if (c->rq->req.method == KHTTP_METHOD_HEAD || !size)
		return;
	if (inline_body && c->rq->out.cap - c->rq->out.len >= size) {
		struct khttp_out *o = &c->rq->out;

		khttp_cfile_copy(e, start, o->head + o->len, size);
		o->len += size;
		return;
	}
	if (e && khttp_cfile_pinned(e)) {
		refcount_inc(&e->ref);
		c->rq->centry = e;
		c->rq->out.pages = khttp_cfile_pages(e);
	} else {
		c->rq->out.file = get_file(sf->file);
	}
	c->rq->out.body_off = start;
	c->rq->out.body_left = size;
}

void khttp_static_serve(struct khttp_conn *c, const struct path *root,
			const char *rel, const char *urlpath)
{
	struct khttp_centry *e = NULL;
	struct khttp_sfile sf;
	const char *name = rel;
	char *idx = NULL;
	struct path p;
	struct file *f;
	int err;

	err = khttp_static_lookup(root, rel, &p);
	if (err) {
		khttp_static_lookup_error(c, err);
		return;
	}
	if (d_is_dir(p.dentry)) {
		size_t ul = strlen(urlpath);

		path_put(&p);
		if (!ul || urlpath[ul - 1] != '/') {
			if (khttp_resp_begin(c, 301))
				return;
			khttp_resp_add(c, "Location: %s/\r\nContent-Length: 0\r\n",
				       urlpath);
			khttp_resp_end(c, NULL, 0, true);
			return;
		}
		idx = kasprintf(GFP_KERNEL, "%sindex.html", rel);
		if (!idx) {
			khttp_resp_error(c, 500);
			return;
		}
		name = idx;
		err = khttp_static_lookup(root, idx, &p);
		if (err) {
			khttp_static_lookup_error(c, err);
			goto out;
		}
	}
	if (!d_is_reg(p.dentry) || !(d_inode(p.dentry)->i_mode & 0004)) {
		path_put(&p);
		khttp_resp_error(c, 403);
		goto out;
	}
	f = dentry_open(&p, O_RDONLY | O_LARGEFILE, current_cred());
	path_put(&p);
	if (IS_ERR(f)) {
		khttp_resp_error(c, 403);
		goto out;
	}
	khttp_sfile_init(&sf, f, name);
	if (c->rq->precomp) {
		sf.precomp = c->rq->precomp;
		khttp_precomp_pick(root, name, &sf);
	}
	/* A key was made if the route and the cache take files. */
	if (c->rq->ckey)
		e = khttp_static_cache_fill(c, root, rel, name, &sf);
	khttp_static_respond(c, &sf, e);
	if (e)
		khttp_centry_put(e);
	fput(sf.file);
	if (sf.ident)
		fput(sf.ident);
out:
	kfree(idx);
}
