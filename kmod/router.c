// SPDX-License-Identifier: GPL-2.0
/*
 * The route table as the module keeps it.  Routes live on a list under
 * khttp_conf_lock (for listing, in the order they were added) and in the
 * lookup table (route.c), which a change updates in place, one route at a
 * time, under the same lock, while requests look routes up without any
 * lock under RCU.  A route a delete removed is freed after a grace period
 * from a workqueue (dropping a path may sleep).  A lookup answers a request
 * with what serves it (struct khttp_target: the directory, the pool or the
 * redirect, the route's cache and rate settings, added headers and error
 * pages, each referenced) and answers nothing itself.
 */
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/slab.h>
#include "khttp.h"
#include "listener.h"
#include "pool.h"
#include "router.h"
#include "static.h"
#include "qos.h"
#include "nlobj.h"
#include "route.h"
#include "access.h"
#include "redirect.h"
#include "routehdr.h"
#include "errpage.h"
#include "net.h"

struct khttp_route {
	struct route_key key;
	struct list_head node;		/* kn->routes, under conf lock */
	u8 type;			/* enum khttp_route_type */
	struct path root;		/* static: the directory */
	char *dir;			/* static: as given, for listing */
	struct khttp_pool *pool;	/* pool: holds a reference */
	bool cache;			/* answers and files may be cached */
	bool precompressed;		/* static: FILE.br, FILE.gz too */
	struct khttp_bucket *bucket;	/* send-rate cap, shared, or NULL */
	struct khttp_redirect *redirect;	/* redirect: its answer */
	struct khttp_rhdrs *hdrs;	/* added headers, shared, or NULL */
	struct khttp_errpages *errpages;	/* shared, or NULL */
	struct khttp_access *access;	/* allow/deny rules, or NULL */
	struct rcu_work free_work;	/* deleted: free once unseen */
};


static void khttp_route_free(struct khttp_route *r)
{
	if (!r)
		return;
	if (r->type == KHTTP_ROUTE_STATIC) {
		/* Cached files hold the directory and its mount: let go. */
		khttp_static_cache_forget(&r->root);
		path_put(&r->root);
	}
	if (r->pool)
		khttp_pool_put(r->pool);
	khttp_bucket_put(r->bucket);
	khttp_redirect_put(r->redirect);
	khttp_rhdrs_put(r->hdrs);
	khttp_errpages_put(r->errpages);
	kfree(r->access);
	kfree(r->dir);
	route_key_destroy(&r->key);
	kfree(r);
}

static void khttp_route_free_work(struct work_struct *work)
{
	khttp_route_free(container_of(to_rcu_work(work), struct khttp_route,
				      free_work));
}

static struct khttp_route *khttp_route_find(struct khttp_net *kn,
					    const struct route_key *k)
{
	const struct route_key *found;

	lockdep_assert_held(&khttp_conf_lock);
	found = route_table_find(kn->rtable, k);
	return found ? container_of(found, struct khttp_route, key) : NULL;
}

static bool khttp_route_reachable(struct khttp_net *kn,
				  const struct khttp_route *r)
{
	struct khttp_listener *l;

	list_for_each_entry(l, &kn->listeners, node)
		if (route_key_reachable(&r->key, &l->addr, 1))
			return true;
	return false;
}

int khttp_route_add(struct khttp_net *kn, const struct khttp_route_spec *s,
		    struct netlink_ext_ack *extack)
{
	const char *prefix = s->prefix, *target = s->target;
	u64 max_bps = s->max_bps;
	bool cache = s->cache;
	u8 type = s->type;
	struct khttp_route *r;
	const char *msg = NULL;
	int err;

	lockdep_assert_held(&khttp_conf_lock);
	if (kn->nroutes >= KHTTP_ROUTE_MAX) {
		NL_SET_ERR_MSG(extack, "the route table is full (65536 routes)");
		return -ENOSPC;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	INIT_RCU_WORK(&r->free_work, khttp_route_free_work);
	err = route_key_parse(prefix, strlen(prefix), &r->key, &msg);
	if (err) {
		khttp_extack(extack, msg);
		kfree(r);
		return err;
	}
	if (khttp_route_find(kn, &r->key)) {
		NL_SET_ERR_MSG(extack, "a route with this prefix already exists; delete it first");
		err = -EEXIST;
		goto err_key;
	}
	r->type = type;
	r->cache = cache;
	r->precompressed = s->precompressed;
	if (s->access && s->access->n) {
		r->access = kmemdup(s->access, khttp_access_size(s->access->n),
				    GFP_KERNEL);
		if (!r->access) {
			err = -ENOMEM;
			goto err_key;
		}
	}
	if (max_bps) {
		r->bucket = khttp_bucket_new(max_bps);
		if (!r->bucket) {
			err = -ENOMEM;
			goto err_key;
		}
	}
	if (type == KHTTP_ROUTE_METRICS || type == KHTTP_ROUTE_STATUS) {
		/* Answered by metrics.c: nothing to hold. */
	} else if (type == KHTTP_ROUTE_STATIC) {
		if (target[0] != '/') {
			NL_SET_ERR_MSG(extack, "the directory must be an absolute path");
			err = -EINVAL;
			goto err_key;
		}
		err = kern_path(target, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
				&r->root);
		if (err) {
			khttp_extack(extack, err == -ENOTDIR ?
				     "the static route's target is not a directory" :
				     "the static route's directory does not exist");
			goto err_key;
		}
		r->dir = kstrdup(target, GFP_KERNEL);
		if (!r->dir) {
			path_put(&r->root);
			err = -ENOMEM;
			goto err_key;
		}
	} else if (type == KHTTP_ROUTE_REDIRECT) {
		err = khttp_redirect_new(target, s->redirect_status,
					 s->keep_path, &r->redirect, extack);
		if (err)
			goto err_key;
	} else {
		r->pool = khttp_pool_find(kn, target);
		if (!r->pool) {
			NL_SET_ERR_MSG(extack, "no application pool has that name; add it with 'httpctl pool add' first");
			err = -ENOENT;
			goto err_key;
		}
		kref_get(&r->pool->ref);
	}
	err = khttp_rhdrs_new(s->hdrs, s->hdr_lens, s->nhdrs, &r->hdrs, extack);
	if (!err)
		err = khttp_errpages_new(s->errpages, s->nerrpages,
					 type == KHTTP_ROUTE_STATIC ?
					 &r->root : NULL, &r->errpages, extack);
	/* No reader has seen the route unless this succeeds. */
	if (!err)
		err = route_table_insert(kn->rtable, &r->key);
	if (err) {
		khttp_route_free(r);
		return err;
	}
	list_add_tail(&r->node, &kn->routes);
	kn->nroutes++;
	/* The http.sys "silent glitch", made loud: warn, do not refuse. */
	if (!khttp_route_reachable(kn, r))
		NL_SET_ERR_MSG(extack, "route added, but it is unreachable: no listen entry matches its address and port");
	return 0;

err_key:
	khttp_bucket_put(r->bucket);
	kfree(r->access);
	route_key_destroy(&r->key);
	kfree(r);
	return err;
}

int khttp_route_del(struct khttp_net *kn, const char *prefix,
		    struct netlink_ext_ack *extack)
{
	struct route_key k = {};
	struct khttp_route *r;
	const char *msg = NULL;
	int err;

	lockdep_assert_held(&khttp_conf_lock);
	err = route_key_parse(prefix, strlen(prefix), &k, &msg);
	if (err) {
		khttp_extack(extack, msg);
		return err;
	}
	r = khttp_route_find(kn, &k);
	route_key_destroy(&k);
	if (!r) {
		NL_SET_ERR_MSG(extack, "no route has this prefix");
		return -ENOENT;
	}
	route_table_remove(kn->rtable, &r->key);
	list_del(&r->node);
	kn->nroutes--;
	queue_rcu_work(khttp_wq, &r->free_work);
	return 0;
}

u32 khttp_route_count(struct khttp_net *kn)
{
	lockdep_assert_held(&khttp_conf_lock);
	return kn->nroutes;
}

long khttp_route_walk(struct khttp_net *kn, long skip,
		      int (*fn)(const struct khttp_route_info *ri, void *arg),
		      void *arg)
{
	char *buf = kmalloc(ROUTE_KEY_FMT_MAX, GFP_KERNEL);
	struct khttp_route_info ri;
	struct khttp_route *r;
	long idx = 0, done = 0;

	lockdep_assert_held(&khttp_conf_lock);
	if (!buf)
		return -ENOMEM;
	list_for_each_entry(r, &kn->routes, node) {
		if (idx++ < skip)
			continue;
		route_key_format(&r->key, buf, ROUTE_KEY_FMT_MAX);
		ri = (struct khttp_route_info) {
			.prefix = buf,
			.type = r->type,
			.dir = r->type == KHTTP_ROUTE_STATIC ? r->dir : NULL,
			.pool = r->type == KHTTP_ROUTE_POOL ? r->pool->name : NULL,
			.redirect = r->redirect ? r->redirect->target : NULL,
			.redirect_status = r->redirect ? r->redirect->status : 0,
			.keep_path = r->redirect && r->redirect->keep_path,
			.hdrs = r->hdrs,
			.errpages = r->errpages,
			.cache = r->cache,
			.max_bps = r->bucket ? r->bucket->rate : 0,
			.precompressed = r->precompressed,
			.reachable = khttp_route_reachable(kn, r),
			.access = r->access,
		};
		if (fn(&ri, arg))
			break;
		done++;
	}
	kfree(buf);
	return done;
}

int khttp_route_lookup(struct khttp_net *kn, const char *host, u32 hostlen,
		       const struct khttp_addr *local,
		       const struct khttp_addr *peer, const char *path,
		       u32 pathlen, struct khttp_target *t)
{
	const struct route_key *k;
	struct khttp_route *r;

	rcu_read_lock();
	k = route_table_lookup(kn->rtable, host, hostlen, local, path,
			       pathlen);
	if (!k) {
		rcu_read_unlock();
		return -ENOENT;
	}
	r = container_of(k, struct khttp_route, key);
	/* The route may go after rcu_read_unlock(); what we take stays. */
	t->type = r->type;
	t->denied = !khttp_access_allowed(r->access, peer);
	t->cache = r->cache;
	t->precompressed = r->precompressed;
	t->skip = min_t(u32, r->key.pathlen, pathlen);
	t->pool = NULL;
	if (r->type == KHTTP_ROUTE_STATIC) {
		t->root = r->root;
		path_get(&t->root);
	} else if (r->type == KHTTP_ROUTE_POOL) {
		t->pool = r->pool;
		kref_get(&t->pool->ref);
	}
	t->redirect = khttp_redirect_get(r->redirect);
	t->hdrs = khttp_rhdrs_get(r->hdrs);
	t->errpages = khttp_errpages_get(r->errpages);
	t->bucket = r->bucket;
	if (t->bucket)
		kref_get(&t->bucket->ref);
	rcu_read_unlock();
	return 0;
}

void khttp_target_put(struct khttp_target *t)
{
	if (t->type == KHTTP_ROUTE_STATIC)
		path_put(&t->root);
	if (t->pool)
		khttp_pool_put(t->pool);
	khttp_bucket_put(t->bucket);
	khttp_redirect_put(t->redirect);
	khttp_rhdrs_put(t->hdrs);
	khttp_errpages_put(t->errpages);
}

/*
 * Before a pool goes: refuse while routes use it, or with @force delete
 * those routes too.
 */
int khttp_routes_drop_pool(struct khttp_net *kn, struct khttp_pool *pool,
			   bool force, struct netlink_ext_ack *extack)
{
	struct khttp_route *r, *tmp;
	LIST_HEAD(gone);

	lockdep_assert_held(&khttp_conf_lock);
	list_for_each_entry(r, &kn->routes, node) {
		if (r->pool != pool)
			continue;
		if (!force) {
			NL_SET_ERR_MSG(extack, "routes still send requests to this pool; delete them first, or use 'force' to delete them with it");
			return -EBUSY;
		}
	}
	list_for_each_entry_safe(r, tmp, &kn->routes, node) {
		if (r->pool != pool)
			continue;
		route_table_remove(kn->rtable, &r->key);
		list_move_tail(&r->node, &gone);
		kn->nroutes--;
	}
	if (list_empty(&gone))
		return 0;
	/*
	 * Free them before returning, not from the workqueue: the pool's
	 * owner expects the routes' references gone once we are.
	 */
	synchronize_rcu();
	list_for_each_entry_safe(r, tmp, &gone, node)
		khttp_route_free(r);
	return 0;
}

int khttp_router_init(struct khttp_net *kn)
{
	return route_table_new(&kn->rtable);
}

void khttp_router_exit(struct khttp_net *kn)
{
	struct khttp_route *r, *tmp;
	struct route_table *t;
	LIST_HEAD(gone);

	mutex_lock(&khttp_conf_lock);
	t = kn->rtable;
	kn->rtable = NULL;
	list_splice_init(&kn->routes, &gone);
	kn->nroutes = 0;
	mutex_unlock(&khttp_conf_lock);
	/*
	 * No connection is left to look routes up; deleted routes' frees
	 * are queued once their grace period ends (rcu_barrier()), then run.
	 */
	synchronize_rcu();
	rcu_barrier();
	flush_workqueue(khttp_wq);
	route_table_free(t);
	list_for_each_entry_safe(r, tmp, &gone, node)
		khttp_route_free(r);
}
