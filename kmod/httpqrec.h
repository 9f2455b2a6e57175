/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/httpq records (the ABI in include/uapi/linux/khttp.h): a request
 * encoded into the records a worker reads, and the checks every record a
 * worker writes passes before anything reaches a client.  No locking, no
 * allocation: httpq.c and pool.c call these, KUnit tests them
 * (kunit/pool_test.c).
 */
#ifndef KHTTP_HTTPQREC_H
#define KHTTP_HTTPQREC_H

#include <linux/types.h>
#include <linux/khttp.h>

/* One request, as khttp_req_rec_encode() lays it out. */
struct khttp_req_src {
	u64 id;
	const struct khttp_addr *client, *server;
	u8 method;		/* enum khttp_http_method */
	u8 version;		/* 10 or 11 */
	u16 tls_version, tls_cipher;	/* 0 for http */
	const char *method_s;
	u32 method_len;
	const char *target;
	u32 target_len;
	const char *headers;	/* "Name: value\r\n" lines */
	u32 headers_len;
	const char *body;
	u64 body_len;
};

int khttp_req_rec_size(const struct khttp_req_src *s, size_t *size);
size_t khttp_req_rec_encode(const struct khttp_req_src *s, void *buf);

int khttp_rec_len_check(const struct khttp_rec *rec, size_t avail);
int khttp_rec_check(const struct khttp_rec *rec);
bool khttp_rec_reserved_header(const char *name, size_t len);
int khttp_rec_headers_check(const char *h, size_t len);
int khttp_resp_rec_check(const void *buf, u32 len, u64 *clen);

#endif /* KHTTP_HTTPQREC_H */
