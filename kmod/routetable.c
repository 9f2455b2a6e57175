// SPDX-License-Identifier: GPL-2.0
/*
 * The route table.  See route.h for the contract.
 *
 * An open-addressing hash keyed by the whole route key (host kind, host,
 * port, path).  A lookup hashes the request path once, left to right, and
 * at each '/' boundary probes the few keys that could match there
 * (request host, '+', path-only, '*'), so its cost depends on the depth
 * of the path, never on the number of routes.  Keys come and go one at a
 * time under concurrent lookups (see the slots below), so changing the
 * table costs O(1) amortised too.
 */
#include "compat.h"
#include "route.h"
#include "routepriv.h"

/* ---- the table ---------------------------------------------------------- */

/*
 * The slots: open addressing with linear probing over key pointers.  A
 * slot is empty (NULL), a tombstone (a deleted key: probing goes on past
 * it, an insert may reuse it) or a live key.  Readers load a slot once and
 * use what they got; the writer stores a key only once it is complete
 * (release), so a reader sees a whole key or none.  At most half the slots
 * are ever in use, so every probe chain ends at an empty slot.
 */
static const struct route_key route_tombstone;
#define ROUTE_TOMB	(&route_tombstone)
#define ROUTE_SLOTS_MIN	16u

struct route_slots {
	struct khttp_rcu_head rcu;	/* first: kvfree_rcu() wants it near */
	u32 mask;		/* slots - 1; slots is a power of two */
	const struct route_key *slot[];
};

struct route_table {
	struct route_slots *slots;	/* replaced whole on a resize */
	u32 count;		/* live keys */
	u32 used;		/* live keys and tombstones */
	/*
	 * What the lookup may skip, kept up to date as keys come and go:
	 * the longest route path, a bit per host kind and a bit per path
	 * length present.  Readers read them without a lock; a stale value
	 * only costs a probe or misses a key being added at that moment.
	 */
	u32 maxpath;
	u32 kinds;
	u8 lens[ROUTE_PATH_MAX / 8 + 1];
	/* The writer's counts behind those bits. */
	u32 nkind[ROUTE_HOST_IPV6 + 1];
	u32 nlen[ROUTE_PATH_MAX + 1];
};

static struct route_slots *route_slots_alloc(u32 nslots)
{
	struct route_slots *s;

	s = khttp_zalloc(sizeof(*s) + nslots * sizeof(s->slot[0]));
	if (s)
		s->mask = nslots - 1;
	return s;
}

/*
 * Slots for @n keys: at most a third in use after a resize, so that at
 * least a sixth of the slots must fill up (or empty) before the next one,
 * which makes resizing O(1) per change, amortised.
 */
static u32 route_slots_for(u32 n)
{
	u32 nslots = ROUTE_SLOTS_MIN;

	while (nslots < 3 * n)
		nslots <<= 1;
	return nslots;
}

/* Rehash the live keys into @nslots fresh slots and publish them. */
static int route_table_resize(struct route_table *t, u32 nslots)
{
	struct route_slots *old = t->slots, *s = route_slots_alloc(nslots);
	const struct route_key *k;
	u32 i, j;

	if (!s)
		return -ENOMEM;
	for (i = 0; old && i <= old->mask; i++) {
		k = old->slot[i];
		if (!k || k == ROUTE_TOMB)
			continue;
		for (j = k->hash & s->mask; s->slot[j]; j = (j + 1) & s->mask)
			;
		s->slot[j] = k;
	}
	/*
	 * Pairs with route_table_lookup()'s acquire: new readers get all of
	 * @s; readers already on @old finish there.
	 */
	smp_store_release(&t->slots, s);
	t->used = t->count;
	if (old)
		khttp_free_rcu(old, rcu);
	return 0;
}

int route_table_new(struct route_table **out)
{
	struct route_table *t = khttp_zalloc(sizeof(*t));

	*out = NULL;
	if (!t)
		return -ENOMEM;
	if (route_table_resize(t, ROUTE_SLOTS_MIN)) {
		khttp_free(t);
		return -ENOMEM;
	}
	*out = t;
	return 0;
}

void route_table_free(struct route_table *t)
{
	if (!t)
		return;
	khttp_free(t->slots);
	khttp_free(t);
}

u32 route_table_count(const struct route_table *t)
{
	return t ? READ_ONCE(t->count) : 0;
}

/* Slot index of the key equal to @k, or -1. */
static long route_table_slot(const struct route_table *t,
			     const struct route_key *k)
{
	const struct route_slots *s = t->slots;
	const struct route_key *e;
	u32 i;

	for (i = k->hash & s->mask; (e = s->slot[i]); i = (i + 1) & s->mask)
		if (e != ROUTE_TOMB && e->hash == k->hash &&
		    route_key_equal(e, k))
			return i;
	return -1;
}

const struct route_key *route_table_find(const struct route_table *t,
					 const struct route_key *k)
{
	long i = t ? route_table_slot(t, k) : -1;

	return i < 0 ? NULL : t->slots->slot[i];
}

static bool route_key_valid(const struct route_key *k)
{
	return k && k->path && k->pathlen && k->pathlen <= ROUTE_PATH_MAX &&
	       k->kind <= ROUTE_HOST_IPV6 && k->hash == route_key_hash(k);
}

int route_table_insert(struct route_table *t, const struct route_key *k)
{
	struct route_slots *s;
	u32 i;
	int err;

	if (!route_key_valid(k))
		return -EINVAL;
	if (route_table_slot(t, k) >= 0)
		return -EEXIST;
	if (t->count >= KHTTP_ROUTE_MAX)
		return -E2BIG;
	if (2 * (t->used + 1) > t->slots->mask + 1) {
		err = route_table_resize(t, route_slots_for(t->count + 1));
		if (err)
			return err;
	}
	s = t->slots;
	for (i = k->hash & s->mask; s->slot[i] && s->slot[i] != ROUTE_TOMB;
	     i = (i + 1) & s->mask)
		;
	/* The hints first: a reader that finds the key may use them. */
	t->nkind[k->kind]++;
	WRITE_ONCE(t->kinds, t->kinds | 1u << k->kind);
	if (!t->nlen[k->pathlen]++)
		WRITE_ONCE(t->lens[k->pathlen / 8],
			   t->lens[k->pathlen / 8] | 1u << (k->pathlen % 8));
	if (k->pathlen > t->maxpath)
		WRITE_ONCE(t->maxpath, k->pathlen);
	if (!s->slot[i])
		t->used++;
	WRITE_ONCE(t->count, t->count + 1);
	/* Pairs with route_probe()'s acquire: the key is whole when seen. */
	smp_store_release(&s->slot[i], k);
	return 0;
}

const struct route_key *route_table_remove(struct route_table *t,
					   const struct route_key *k)
{
	const struct route_key *e;
	struct route_slots *s;
	u32 i, len;
	long at;

	if (!route_key_valid(k))
		return NULL;
	at = route_table_slot(t, k);
	if (at < 0)
		return NULL;
	s = t->slots;
	e = s->slot[at];
	/*
	 * Before an empty slot no chain goes on, so this one, and the
	 * tombstones just before it, can be emptied instead: a reader
	 * stopping there would not have found its key further on.
	 */
	i = at;
	if (!s->slot[(i + 1) & s->mask]) {
		do {
			WRITE_ONCE(s->slot[i], NULL);
			t->used--;
			i = (i - 1) & s->mask;
		} while (s->slot[i] == ROUTE_TOMB);
	} else {
		WRITE_ONCE(s->slot[i], ROUTE_TOMB);
	}
	WRITE_ONCE(t->count, t->count - 1);
	if (!--t->nkind[e->kind])
		WRITE_ONCE(t->kinds, t->kinds & ~(1u << e->kind));
	len = e->pathlen;
	if (!--t->nlen[len]) {
		WRITE_ONCE(t->lens[len / 8], t->lens[len / 8] & ~(1u << (len % 8)));
		if (len == t->maxpath) {
			while (len && !t->nlen[len])
				len--;
			WRITE_ONCE(t->maxpath, len);
		}
	}
	/* Give memory back once most slots are empty; failing is harmless. */
	if (s->mask + 1 > ROUTE_SLOTS_MIN && 16 * t->count < s->mask + 1)
		route_table_resize(t, route_slots_for(t->count));
	return e;
}

int route_table_build(const struct route_key *const *keys, u32 n,
		      struct route_table **out)
{
	struct route_table *t;
	u32 i;
	int err;

	*out = NULL;
	if (n > KHTTP_ROUTE_MAX)
		return -E2BIG;
	for (i = 0; i < n; i++)
		if (!route_key_valid(keys[i]))
			return -EINVAL;
	err = route_table_new(&t);
	if (!err && n)
		err = route_table_resize(t, route_slots_for(n));
	for (i = 0; !err && i < n; i++) {
		err = route_table_insert(t, keys[i]);
		if (err == -EEXIST)
			err = 0;
	}
	if (err) {
		route_table_free(t);
		return err;
	}
	*out = t;
	return 0;
}

/*
 * What one lookup uses of the table, each read once: a lookup racing with
 * a change sees the table before or after it, never a mix that loses a
 * route the change did not touch.
 */
struct route_view {
	const struct route_table *t;
	const struct route_slots *s;
	u32 kinds;
};

/*
 * Find the key (@kind, host of @rh, @port, path[0..len-1] + '/'); @path_h is
 * the hash of that path.  The last path byte is '/' or the implied '/'.
 */
static const struct route_key *
route_probe(const struct route_view *v, u32 path_h, const char *path,
	    u32 len, u8 kind, u16 port, const struct route_req_host *rh)
{
	const struct route_slots *s = v->s;
	bool specific = kind >= ROUTE_HOST_NAME;
	const struct route_key *k;
	u32 h, j, i;

	if (!(v->kinds & (1u << kind)))
		return NULL;
	h = route_mix(path_h, specific ? rh->hash : 0, kind, port);
	/* Pairs with route_table_insert()'s release of the slot. */
	for (j = h & s->mask; (k = smp_load_acquire(&s->slot[j]));
	     j = (j + 1) & s->mask) {
		if (k == ROUTE_TOMB || k->hash != h || k->kind != kind ||
		    k->port != port || k->pathlen != len ||
		    memcmp(k->path, path, len - 1))
			continue;
		if (kind == ROUTE_HOST_NAME) {
			if (k->namelen != rh->namelen)
				continue;
			for (i = 0; i < k->namelen; i++)
				if (k->host.name[i] != route_lower(rh->name[i]))
					break;
			if (i < k->namelen)
				continue;
		} else if (specific &&
			   memcmp(k->host.addr, rh->addr,
				  kind == ROUTE_HOST_IPV4 ? 4 : 16)) {
			continue;
		}
		return k;
	}
	return NULL;
}

/* Best route whose path is exactly path[0..len-1] + '/', by precedence. */
static const struct route_key *
route_probe_len(const struct route_view *v, u32 path_h, const char *path,
		u32 len, u16 lport, const struct route_req_host *rh)
{
	const struct route_key *k = NULL;

	if (!(READ_ONCE(v->t->lens[len / 8]) & (1u << (len % 8))))
		return NULL;
	/* Every URL route has a port, so a port-less connection skips them. */
	if (lport && rh->kind != ROUTE_HOST_ANY)
		k = route_probe(v, path_h, path, len, rh->kind, lport, rh);
	if (!k && lport)
		k = route_probe(v, path_h, path, len, ROUTE_HOST_STRONG, lport, rh);
	if (!k)
		k = route_probe(v, path_h, path, len, ROUTE_HOST_ANY, 0, rh);
	if (!k && lport)
		k = route_probe(v, path_h, path, len, ROUTE_HOST_WEAK, lport, rh);
	return k;
}

const struct route_key *route_table_lookup(const struct route_table *t,
					   const char *host, size_t hostlen,
					   const struct khttp_addr *local,
					   const char *path, size_t pathlen)
{
	const struct route_key *best = NULL, *k;
	struct route_req_host rh;
	struct route_view v;
	u16 lport = local ? local->port : 0;
	u32 h = ROUTE_FNV_OFFSET, maxpath;
	size_t i;

	if (!t || !path || !pathlen || path[0] != '/')
		return NULL;
	v.t = t;
	/* Pairs with route_table_resize(): the slots are filled when seen. */
	v.s = smp_load_acquire(&t->slots);
	v.kinds = READ_ONCE(t->kinds);
	maxpath = READ_ONCE(t->maxpath);
	if (!v.kinds)
		return NULL;
	route_req_host_parse(&rh, host, hostlen, local);

	/*
	 * Walk the '/' boundaries shortest first, hashing as we go, so the
	 * path is hashed once; a longer match replaces a shorter one.  Routes
	 * are never longer than maxpath, which bounds the walk.
	 */
	for (i = 0; i < pathlen && i < maxpath; i++) {
		h = route_fnv(h, path[i]);
		if (path[i] != '/')
			continue;
		k = route_probe_len(&v, h, path, i + 1, lport, &rh);
		if (k)
			best = k;
	}
	/* "/app" matches the route "/app/". */
	if (path[pathlen - 1] != '/' && pathlen < maxpath) {
		h = route_fnv(h, '/');
		k = route_probe_len(&v, h, path, pathlen + 1, lport, &rh);
		if (k)
			best = k;
	}
	return best;
}
