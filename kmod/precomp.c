// SPDX-License-Identifier: GPL-2.0
/*
 * Precompressed static files (nginx's gzip_static and brotli_static).
 *
 * On a static route with "precompressed on", a GET or HEAD for FILE whose
 * Accept-Encoding takes br or gzip (q-values honoured: "gzip;q=0" refuses
 * gzip, "*" stands for any coding not named) is answered with FILE.br or
 * FILE.gz (httpval.c reads the header) when that sibling exists, is a regular world-readable file as any
 * static file must be, and is not older than FILE (a stale sibling is
 * ignored, as if absent).  The kernel never compresses: the siblings are
 * made ahead of time (gzip -k, brotli -k), and sent like any static file,
 * by reference from the page cache, with Range and conditionals.
 *
 * The answer carries FILE's Content-Type, "Content-Encoding: br|gzip", an
 * ETag of its own (the sibling's, with "-br" or "-gz" inside the quotes),
 * and "Vary: Accept-Encoding" -- also when FILE itself is sent, since the
 * choice depended on the header.  The encodings a request may get are part
 * of its cache key, and a cached sibling is checked against FILE on every
 * hit, so representations never mix and a FILE edited after its .gz was
 * made is sent as itself at once.
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "khttp.h"
#include "conn.h"
#include "static.h"
#include "precomp.h"
#include "parser.h"

/*
 * The request was routed to a precompressed route: note what it may get.
 * A header sent on two lines is not merged; FILE itself is always right.
 */
void khttp_precomp_route(struct khttp_conn *c)
{
	const struct khttp_req *r = &c->rq->req;

	c->rq->precomp = KHTTP_PRECOMP_ON;
	if (r->n_accept_encoding == 1)
		c->rq->precomp |= khttp_accept_encoding(c->buf +
						       r->accept_encoding.off,
						       r->accept_encoding.len);
}

static const char *khttp_precomp_variant(u8 pc)
{
	switch (pc & (KHTTP_PRECOMP_GZIP | KHTTP_PRECOMP_BR |
		      KHTTP_PRECOMP_GZIP_FIRST)) {
	case KHTTP_PRECOMP_GZIP:
		return "gzip";
	case KHTTP_PRECOMP_BR:
		return "br";
	case KHTTP_PRECOMP_GZIP | KHTTP_PRECOMP_BR:
		return "br,gzip";
	case KHTTP_PRECOMP_GZIP | KHTTP_PRECOMP_BR | KHTTP_PRECOMP_GZIP_FIRST:
		return "gzip,br";
	}
	return "identity";
}

/*
 * Make the request's file key name what it may get: "<url>\tae=br,gzip".
 * A tab never survives path normalisation, so no URL's key looks so.
 */
int khttp_precomp_key(struct khttp_conn *c)
{
	const char *var = khttp_precomp_variant(c->rq->precomp);
	size_t vl = strlen(var);
	char *key;

	if (!c->rq->ckey || !c->rq->precomp)
		return 0;
	key = krealloc(c->rq->ckey, c->rq->ckey_len + 4 + vl + 1, GFP_KERNEL);
	if (!key) {
		/* The plain key must not name this request's answer. */
		kfree(c->rq->ckey);
		c->rq->ckey = NULL;
		return -ENOMEM;
	}
	memcpy(key + c->rq->ckey_len, "\tae=", 4);
	memcpy(key + c->rq->ckey_len + 4, var, vl + 1);
	c->rq->ckey = key;
	c->rq->ckey_len += 4 + vl;
	return 0;
}

/*
 * The sibling of @name for @enc, looked up as any static file is: regular,
 * world-readable, and not older than FILE (@mtime).  0 with @out held.
 */
static int khttp_precomp_sibling(const struct path *root, const char *name,
				 u8 enc, const struct timespec64 *mtime,
				 struct path *out)
{
	struct timespec64 smtime;
	struct inode *inode;
	char *sib;
	int err;

	sib = kasprintf(GFP_KERNEL, "%s%s", name,
			enc == KHTTP_ENC_BR ? ".br" : ".gz");
	if (!sib)
		return -ENOMEM;
	err = khttp_static_lookup(root, sib, out);
	kfree(sib);
	if (err)
		return err;
	inode = d_inode(out->dentry);
	if (d_is_reg(out->dentry) && (inode->i_mode & 0004)) {
		smtime = khttp_inode_mtime(inode);
		if (timespec64_compare(&smtime, mtime) >= 0)
			return 0;
	}
	path_put(out);
	return -ENOENT;
}

/* The encodings @pc allows, best first; KHTTP_ENC_IDENTITY ends the list. */
static void khttp_precomp_order(u8 pc, u8 order[3])
{
	int n = 0;

	if ((pc & KHTTP_PRECOMP_GZIP_FIRST) && (pc & KHTTP_PRECOMP_GZIP))
		order[n++] = KHTTP_ENC_GZIP;
	if (pc & KHTTP_PRECOMP_BR)
		order[n++] = KHTTP_ENC_BR;
	if ((pc & KHTTP_PRECOMP_GZIP) && !(pc & KHTTP_PRECOMP_GZIP_FIRST))
		order[n++] = KHTTP_ENC_GZIP;
	order[n] = KHTTP_ENC_IDENTITY;
}

/* The first sibling that may be sent, held in @out; IDENTITY if none. */
static u8 khttp_precomp_choose(const struct path *root, const char *name,
			       u8 pc, const struct timespec64 *mtime,
			       struct path *out)
{
	u8 order[3];
	int i;

	khttp_precomp_order(pc, order);
	for (i = 0; order[i] != KHTTP_ENC_IDENTITY; i++)
		if (!khttp_precomp_sibling(root, name, order[i], mtime, out))
			return order[i];
	return KHTTP_ENC_IDENTITY;
}

/*
 * @sf is FILE, just opened for a request on a precompressed route
 * (@sf->precomp set): swap in the best sibling the request may get, if
 * any.  FILE stays open in @sf->ident (its reference moves there) so that
 * a cache entry can check it.
 */
void khttp_precomp_pick(const struct path *root, const char *name,
			struct khttp_sfile *sf)
{
	struct file *ident = sf->file, *f;
	u8 pc = sf->precomp;
	struct path p;
	size_t el;
	u8 enc;

	enc = khttp_precomp_choose(root, name, pc, &sf->mtime, &p);
	if (enc == KHTTP_ENC_IDENTITY)
		return;
	f = dentry_open(&p, O_RDONLY | O_LARGEFILE, current_cred());
	path_put(&p);
	if (IS_ERR(f))
		return;			/* FILE itself is as right */
	khttp_sfile_init(sf, f, name);	/* FILE's name: FILE's type */
	sf->precomp = pc;
	sf->enc = enc;
	sf->ident = ident;
	/* "ino-mtime-size" of the sibling, marked: "...-gz" */
	el = strlen(sf->etag);
	snprintf(sf->etag + el - 1, sizeof(sf->etag) - el + 1, "-%s\"",
		 enc == KHTTP_ENC_BR ? "br" : "gz");
}

/*
 * For a cache hit: is what @sf holds still what a request with the same
 * key gets?  Every hit checks that FILE was not replaced or made newer
 * than the sibling; with @root (on the periodic walk) the choice is made
 * again, so a sibling made, removed or replaced since is seen too.
 */
bool khttp_precomp_fresh(const struct khttp_sfile *sf,
			 const struct path *root, const char *name)
{
	struct timespec64 imtime;
	struct file *ident = sf->ident ? sf->ident : sf->file;
	struct path p;
	bool same;
	u8 enc;

	imtime = khttp_inode_mtime(file_inode(ident));
	if (sf->ident && (d_unhashed(ident->f_path.dentry) ||
			  timespec64_compare(&sf->mtime, &imtime) < 0))
		return false;
	if (!root)
		return true;
	enc = khttp_precomp_choose(root, name, sf->precomp, &imtime, &p);
	if (enc != sf->enc) {
		if (enc != KHTTP_ENC_IDENTITY)
			path_put(&p);
		return false;
	}
	if (enc == KHTTP_ENC_IDENTITY)
		return true;
	same = p.dentry == sf->file->f_path.dentry &&
	       p.mnt == sf->file->f_path.mnt;
	path_put(&p);
	return same;
}

/* The header lines a precompressed route adds to @sf's answer. */
int khttp_precomp_headers(const struct khttp_sfile *sf, char *out,
			  size_t len)
{
	if (!sf->precomp)
		return 0;
	return scnprintf(out, len, "%s%s%sVary: Accept-Encoding\r\n",
			 sf->enc ? "Content-Encoding: " : "",
			 sf->enc == KHTTP_ENC_BR ? "br" :
			 sf->enc == KHTTP_ENC_GZIP ? "gzip" : "",
			 sf->enc ? "\r\n" : "");
}
