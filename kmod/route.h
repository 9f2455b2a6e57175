/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Route prefixes (http.sys URL prefixes) and the route table.
 *
 * Plain C: builds in the module and in userspace (tests, fuzzing).
 *
 * A prefix is either a path ("/app/": any host, any port) or a URL
 * "http://HOST[:PORT]/path/" where HOST is '+' (strong wildcard), '*' (weak
 * wildcard), a host name, an IPv4 literal or a bracketed IPv6 literal.  The
 * port of a URL defaults to 80; its path defaults to "/".  Paths are
 * case-sensitive, always end in '/', and are refused (never rewritten) when
 * they hold '.', '..' or empty segments, '%', '?', '#' or control bytes.
 *
 * Lifetime: route_key_parse() allocates the key's path; release it with
 * route_key_destroy().  A route table keeps pointers to the keys put in it
 * and never copies them: a key must outlive its time in the table.
 *
 * Concurrency: one writer at a time (the caller serialises inserts and
 * removes) and any number of lockless readers (lookups).  In the kernel
 * readers hold rcu_read_lock(); a key the writer removed may still be seen
 * by readers until a grace period has passed, and the table frees the slot
 * arrays it outgrows only after one (kvfree_rcu()).  Adding or removing one
 * key costs O(1) amortised, whatever the number of keys.  Memory: about
 * 4 KB, plus slots (one pointer each) that grow with the keys (at most 6
 * per key after growing) and shrink as they go (at most 16 per key, 16 at
 * least): 2 MB at KHTTP_ROUTE_MAX keys.
 */
#ifndef KHTTP_ROUTE_H
#define KHTTP_ROUTE_H

#include "compat.h"
#include <linux/khttp.h>

/* struct khttp_addr family values (the Linux ABI values of AF_INET{,6}). */
#define ROUTE_AF_INET		2
#define ROUTE_AF_INET6		10

#define ROUTE_NAME_MAX		253	/* host name, without trailing dot */
#define ROUTE_PATH_MAX		1023	/* normalised path, without NUL */
/* Longest canonical string, NUL included: "http://" NAME ":65535" PATH. */
#define ROUTE_KEY_FMT_MAX	(7 + ROUTE_NAME_MAX + 6 + ROUTE_PATH_MAX + 1)

enum route_host_kind {
	ROUTE_HOST_ANY,		/* path-only prefix: any host, any port */
	ROUTE_HOST_STRONG,	/* host "+" (strong wildcard) */
	ROUTE_HOST_WEAK,	/* host "*" (weak wildcard) */
	ROUTE_HOST_NAME,	/* http://www.example.com */
	ROUTE_HOST_IPV4,	/* http://10.0.0.1 */
	ROUTE_HOST_IPV6,	/* http://[::1] */
};

/*
 * A parsed, normalised prefix.  Embed it in the caller's route object and
 * get back to that object from route_table_lookup()'s result with
 * container_of().
 */
struct route_key {
	u8 kind;		/* enum route_host_kind */
	u16 port;		/* host order; 0 = any (ROUTE_HOST_ANY only) */
	u16 namelen;		/* ROUTE_HOST_NAME: strlen(host.name) */
	u16 pathlen;		/* strlen(path) */
	u32 hash;		/* of all the above, set by route_key_parse() */
	union {
		char name[ROUTE_NAME_MAX + 1];	/* lowercase, NUL-terminated */
		u8 addr[16];			/* network order; IPv4: 4 bytes */
	} host;
	char *path;		/* "/app/": NUL-terminated, ends in '/' */
};

/*
 * Parse the prefix @s (@len bytes, need not be NUL-terminated) into @out.
 * Returns 0, or a negative errno with *@errmsg set to a static message
 * meant for netlink extack: -EINVAL (bad syntax), -EOPNOTSUPP (https),
 * -ENAMETOOLONG, -ENOMEM.  On error @out holds nothing to release.
 */
int route_key_parse(const char *s, size_t len, struct route_key *out,
		    const char **errmsg);

/* Free what route_key_parse() allocated; safe on a zeroed key. */
void route_key_destroy(struct route_key *k);

/*
 * Write the canonical form ("/app/", "http://www.example.com:80/app/",
 * "http://[::1]:8080/", "http://+:80/") to @buf, NUL-terminated and cut to
 * @sz.  Returns the length of the full string (as snprintf), which is below
 * ROUTE_KEY_FMT_MAX.  Two prefixes name the same route iff their canonical
 * forms are equal, which is also what route_key_equal() says.
 */
size_t route_key_format(const struct route_key *k, char *buf, size_t sz);

bool route_key_equal(const struct route_key *a, const struct route_key *b);

/*
 * Whether some listen entry can deliver requests to this route: its port
 * equals the route's (or the route has none) and, for an IP-literal host,
 * its address is that address or the wildcard address of the same family.
 * Host-name and wildcard routes need only the port.  An empty listen list
 * reaches nothing.
 */
bool route_key_reachable(const struct route_key *k,
			 const struct khttp_addr *listen, u32 n);

struct route_table;

/* An empty table.  Returns 0 with *@out set, or -ENOMEM. */
int route_table_new(struct route_table **out);

/*
 * Add @k (from route_key_parse()), O(1) amortised.  Returns 0, -EEXIST
 * when an equal key (route_key_equal()) is in the table, -E2BIG when the
 * table holds KHTTP_ROUTE_MAX keys, -EINVAL for a key route_key_parse()
 * did not make, or -ENOMEM; on error the table is unchanged.
 * Readers see @k from the moment it is in.
 */
int route_table_insert(struct route_table *t, const struct route_key *k);

/*
 * Take out the key equal to @k and return it (NULL if there is none), O(1)
 * amortised.  Never fails.  Readers may still hold the returned key until
 * a grace period has passed.
 */
const struct route_key *route_table_remove(struct route_table *t,
					   const struct route_key *k);

/* The key in @t equal to @k, or NULL.  Writer side: not for readers. */
const struct route_key *route_table_find(const struct route_table *t,
					 const struct route_key *k);

/*
 * A table of @n keys, as route_table_new() and route_table_insert() of
 * each, in O(n).  Keys that are equal are kept once: the first one wins.
 * Returns 0 with *@out set, -E2BIG if @n exceeds KHTTP_ROUTE_MAX, -EINVAL,
 * or -ENOMEM.  @n == 0 gives an empty table.
 */
int route_table_build(const struct route_key *const *keys, u32 n,
		      struct route_table **out);

/* Free the table (not its keys); no reader may be left on it. */
void route_table_free(struct route_table *t);

/* Number of distinct routes in the table. */
u32 route_table_count(const struct route_table *t);

/*
 * Find the route for a request, in O(depth of @path), whatever the number
 * of routes.
 *
 * @host, @hostlen: the Host header value, maybe with ":port", maybe an
 *	IPv6 literal in brackets; NULL or empty when absent.
 * @local: the connection's local address and port (family, addr, port); may
 *	be NULL (then only routes without port and host can match).
 * @path, @pathlen: the normalised, decoded request path without query; it
 *	must start with '/'.
 *
 * A route matches when its path equals @path + '/' or is a prefix of @path
 * ending in '/', its port (if any) equals the local port, and its host is a
 * wildcard, or a name equal (ASCII case-insensitively, trailing dot ignored)
 * to the Host header's, or an address equal to the Host header's literal
 * (to the local address when Host is absent).  The longest path wins; then
 * a specific host beats '+' and path-only, which beat '*'; then a route
 * with a port beats one without.  Returns the winner or NULL.
 */
const struct route_key *route_table_lookup(const struct route_table *t,
					   const char *host, size_t hostlen,
					   const struct khttp_addr *local,
					   const char *path, size_t pathlen);

#endif /* KHTTP_ROUTE_H */
