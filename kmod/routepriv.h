/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What route.c (keys) and routetable.c (the table) share and nobody else
 * needs: case folding, the hash, and a request's host parsed for lookup.
 */
#ifndef KHTTP_ROUTEPRIV_H
#define KHTTP_ROUTEPRIV_H

static inline char route_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

#define ROUTE_FNV_OFFSET	2166136261u
#define ROUTE_FNV_PRIME		16777619u

static inline u32 route_fnv(u32 h, u8 c)
{
	return (h ^ c) * ROUTE_FNV_PRIME;
}

static inline u32 route_fnv_bytes(const u8 *p, size_t n)
{
	u32 h = ROUTE_FNV_OFFSET;
	size_t i;

	for (i = 0; i < n; i++)
		h = route_fnv(h, p[i]);
	return h;
}

/* Combine the path hash with the rest of the key, then avalanche. */
static inline u32 route_mix(u32 path_h, u32 host_h, u8 kind, u16 port)
{
	u32 h = path_h;

	h ^= host_h + 0x9e3779b9u + (h << 6) + (h >> 2);
	h ^= ((u32)kind << 16) | port;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/* The hash a key is stored under (route_key.hash). */
u32 route_key_hash(const struct route_key *k);

/* The request's host, as far as specific-host routes care. */
struct route_req_host {
	u8 kind;		/* NAME, IPV4, IPV6; ANY: matches no such route */
	u16 namelen;
	u32 hash;
	const char *name;	/* as sent: compared case-insensitively */
	u8 addr[16];
};

void route_req_host_parse(struct route_req_host *rh, const char *host,
			  size_t hostlen, const struct khttp_addr *local);

#endif /* KHTTP_ROUTEPRIV_H */
