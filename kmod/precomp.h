/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Precompressed static files (precomp.c): FILE.br or FILE.gz for a request
 * whose Accept-Encoding takes it, on a route with "precompressed on".
 */
#ifndef KHTTP_PRECOMP_H
#define KHTTP_PRECOMP_H

#include <linux/types.h>
#include "parser.h"

struct khttp_conn;
struct khttp_sfile;
struct path;

/*
 * What a request on a precompressed route may get (c->rq->precomp); 0 on
 * any other route.  The bits are part of the request's cache key, so
 * requests that may get different representations never share an entry.
 */
#define KHTTP_PRECOMP_ON	 0x01	/* the route serves siblings */
#define KHTTP_PRECOMP_GZIP	 KHTTP_AE_GZIP	/* the client takes gzip */
#define KHTTP_PRECOMP_BR	 KHTTP_AE_BR	/* the client takes br */
#define KHTTP_PRECOMP_GZIP_FIRST KHTTP_AE_GZIP_FIRST	/* gzip's q higher */

/* The encodings a response is sent in (khttp_sfile.enc). */
enum khttp_enc {
	KHTTP_ENC_IDENTITY,
	KHTTP_ENC_GZIP,
	KHTTP_ENC_BR,
};

void khttp_precomp_route(struct khttp_conn *c);
int khttp_precomp_key(struct khttp_conn *c);
void khttp_precomp_pick(const struct path *root, const char *name,
			struct khttp_sfile *sf);
bool khttp_precomp_fresh(const struct khttp_sfile *sf,
			 const struct path *root, const char *name);
int khttp_precomp_headers(const struct khttp_sfile *sf, char *out,
			  size_t len);

#endif /* KHTTP_PRECOMP_H */
