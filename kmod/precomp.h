/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Precompressed static files (precomp.c): FILE.br or FILE.gz for a request
 * whose Accept-Encoding takes it, on a route with "precompressed on".
 */
#ifndef KHTTP_PRECOMP_H
#define KHTTP_PRECOMP_H

#include <linux/types.h>

struct khttp_conn;
struct khttp_sfile;
struct path;

/*
 * What a request on a precompressed route may get (c->rq.precomp); 0 on
 * any other route.  The bits are part of the request's cache key, so
 * requests that may get different representations never share an entry.
 */
#define KHTTP_PRECOMP_ON	BIT(0)	/* the route serves siblings */
#define KHTTP_PRECOMP_GZIP	BIT(1)	/* the client takes gzip */
#define KHTTP_PRECOMP_BR	BIT(2)	/* the client takes br */
#define KHTTP_PRECOMP_GZIP_FIRST BIT(3)	/* gzip has the higher q-value */

/* The encodings a response is sent in (khttp_sfile.enc). */
enum khttp_enc {
	KHTTP_ENC_IDENTITY,
	KHTTP_ENC_GZIP,
	KHTTP_ENC_BR,
};

u8 khttp_precomp_accept(const char *v, size_t len);
void khttp_precomp_route(struct khttp_conn *c);
int khttp_precomp_key(struct khttp_conn *c);
void khttp_precomp_pick(const struct path *root, const char *name,
			struct khttp_sfile *sf);
bool khttp_precomp_fresh(const struct khttp_sfile *sf,
			 const struct path *root, const char *name);
int khttp_precomp_headers(const struct khttp_sfile *sf, char *out,
			  size_t len);

#endif /* KHTTP_PRECOMP_H */
