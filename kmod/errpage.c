// SPDX-License-Identifier: GPL-2.0
/*
 * Error pages per route (nginx's error_page, IIS's httpErrors): a file
 * that replaces the built-in body of an error khttp itself answers on the
 * route (403, 404, 405, 413, 500, 503...), sent with the original status.
 *
 * Where the file is: on a static route, the path is under the route's
 * directory ("/404.html" is DIR/404.html), looked up as any file of the
 * route is (LOOKUP_BENEATH: it can never leave DIR).  On a pool or a
 * redirect route, which have no directory, it is an absolute file name;
 * its directory must exist when the route is added and is held from then
 * on, and the file is looked up beneath it, so it too cannot be a symlink
 * out.  The file is looked up on each error, so editing it needs no
 * reload; if it is missing, not a regular world-readable file, or cannot
 * be opened, the built-in body is sent instead.  The body is spliced from
 * the page cache as a static file's is; HEAD gets the head only.
 *
 * What is not covered: the 502 and 503 a pool sends when a worker dies
 * with the request in hand or the request waits out its queue timeout
 * (they are written on the pool's side, not the connection's), errors on
 * requests that found no route (no route: no page), and errors a worker
 * answers itself.
 */
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>
#include "khttp.h"
#include "conn.h"
#include "errpage.h"
#include "resp.h"
#include "static.h"

void khttp_errpages_put(struct khttp_errpages *ep)
{
	u32 i;

	if (!ep || !refcount_dec_and_test(&ep->ref))
		return;
	for (i = 0; i < ep->n; i++) {
		path_put(&ep->e[i].dir);
		kfree(ep->e[i].rel);
		kfree(ep->e[i].given);
	}
	kfree(ep);
}

static const char *khttp_errpage_check(const struct khttp_errpage_spec *s)
{
	const char *p = s->path;
	size_t i, len = strlen(p);

	if (s->status < 400 || s->status > 599)
		return "an error page is for a status from 400 to 599";
	if (p[0] != '/' || len < 2 || p[len - 1] == '/')
		return "an error page is a file path starting with '/'";
	for (i = 0; i < len; i++)
		if ((u8)p[i] < 0x20 || p[i] == 0x7f)
			return "an error page's path may hold no control byte";
	return NULL;
}

/*
 * Fill @e for spec @s: the directory held and the file's name in it.  On
 * error @e holds nothing.
 */
static int khttp_errpage_init(struct khttp_errpage *e,
			      const struct khttp_errpage_spec *s,
			      const struct path *root,
			      struct netlink_ext_ack *extack)
{
	const char *slash = strrchr(s->path, '/');
	char *dir = NULL;
	int err = -ENOMEM;

	e->status = s->status;
	e->given = kstrdup(s->path, GFP_KERNEL);
	/* Static: under the route's directory, as any of its files. */
	e->rel = kstrdup(root ? s->path + 1 : slash + 1, GFP_KERNEL);
	if (!e->given || !e->rel)
		goto fail;
	if (root) {
		e->dir = *root;
		path_get(&e->dir);
		return 0;
	}
	dir = kstrndup(s->path, slash == s->path ? 1 : slash - s->path,
		       GFP_KERNEL);
	if (!dir)
		goto fail;
	err = kern_path(dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &e->dir);
	kfree(dir);
	if (!err)
		return 0;
	NL_SET_ERR_MSG(extack, "an error page's directory does not exist (on a route without a directory the page is an absolute file path)");
	err = -ENOENT;
fail:
	kfree(e->given);
	kfree(e->rel);
	e->given = NULL;
	e->rel = NULL;
	return err;
}

int khttp_errpages_new(const struct khttp_errpage_spec *s, u32 n,
		       const struct path *root, struct khttp_errpages **out,
		       struct netlink_ext_ack *extack)
{
	struct khttp_errpages *ep;
	const char *why;
	size_t total = 0;
	u32 i, j;
	int err;

	*out = NULL;
	if (!n)
		return 0;
	if (n > KHTTP_ERROR_PAGE_MAX) {
		NL_SET_ERR_MSG(extack, "a route takes at most 16 error pages");
		return -E2BIG;
	}
	for (i = 0; i < n; i++) {
		/* Bounded in all, as the headers are: a route's dump stays small. */
		total += strlen(s[i].path);
		if (total > KHTTP_ERRPAGES_BYTES) {
			NL_SET_ERR_MSG(extack, "a route's error page paths take more than 4096 bytes in all");
			return -E2BIG;
		}
		why = khttp_errpage_check(&s[i]);
		if (why) {
			khttp_extack(extack, why);
			return -EINVAL;
		}
		for (j = 0; j < i; j++)
			if (s[j].status == s[i].status) {
				NL_SET_ERR_MSG(extack, "two error pages for the same status");
				return -EINVAL;
			}
	}
	ep = kzalloc(struct_size(ep, e, n), GFP_KERNEL);
	if (!ep)
		return -ENOMEM;
	refcount_set(&ep->ref, 1);
	for (i = 0; i < n; i++) {
		err = khttp_errpage_init(&ep->e[i], &s[i], root, extack);
		if (err) {
			khttp_errpages_put(ep);	/* the i made so far */
			return err;
		}
		ep->n = i + 1;
	}
	*out = ep;
	return 0;
}

bool khttp_errpage_respond(struct khttp_conn *c, u16 status)
{
	const struct khttp_errpages *ep = c->rq->errpages;
	const struct khttp_errpage *e = NULL;
	struct khttp_sfile sf;
	struct path p;
	struct file *f;
	u32 i;

	if (!ep)
		return false;
	for (i = 0; i < ep->n; i++)
		if (ep->e[i].status == status)
			e = &ep->e[i];
	if (!e || khttp_static_lookup(&e->dir, e->rel, &p))
		return false;
	if (!d_is_reg(p.dentry) || !(d_inode(p.dentry)->i_mode & 0004)) {
		path_put(&p);
		return false;
	}
	f = dentry_open(&p, O_RDONLY | O_LARGEFILE, current_cred());
	path_put(&p);
	if (IS_ERR(f))
		return false;
	khttp_sfile_init(&sf, f, e->rel);
	if (khttp_resp_begin(c, status)) {
		fput(f);
		return true;	/* as the built-in page: nothing to send */
	}
	if (status == 405)
		khttp_resp_add(c, "Allow: GET, HEAD\r\n");
	khttp_resp_add(c, "Content-Type: %s\r\nContent-Length: %llu\r\n",
		       sf.type, sf.size);
	khttp_resp_end(c, NULL, 0, true);
	if (c->rq->req.method != KHTTP_METHOD_HEAD && sf.size) {
		c->rq->out.file = get_file(f);
		c->rq->out.body_off = 0;
		c->rq->out.body_left = sf.size;
	}
	fput(f);
	return true;
}
