/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhttpq internals: encoding and decoding /dev/httpq records, with no
 * I/O, so that tests/test_httpq.c can check them on hand-built buffers.
 * Not installed.
 */
#ifndef HTTPQ_REC_H
#define HTTPQ_REC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/khttp.h>

#define HTTPQ_ALIGN(n) \
	(((n) + (size_t)KHTTP_REC_ALIGN - 1) & ~((size_t)KHTTP_REC_ALIGN - 1))

#define HTTPQ_REC_HDR	sizeof(struct khttp_rec)
#define HTTPQ_RESP_HDR	(sizeof(struct khttp_rec) + sizeof(struct khttp_resp_info))
#define HTTPQ_REQ_HDR	(sizeof(struct khttp_rec) + sizeof(struct khttp_req_info))

/*
 * The record at @buf, @avail bytes available (from an 8-aligned offset).
 * Copies its header into *@hdr and returns the offset of the next record
 * (its length rounded up to KHTTP_REC_ALIGN, at most @avail: the padding
 * after the last record may be left out), or -EPROTO if the header is
 * truncated or its length is impossible.
 */
ssize_t httpq_rec_next(const void *buf, size_t avail, struct khttp_rec *hdr);

/* A decoded KHTTP_REC_REQUEST: pointers into the record. */
struct httpq_rec_req {
	struct khttp_rec hdr;
	struct khttp_req_info info;
	const char *method;
	const char *target;
	const char *headers;
	const unsigned char *body;
};

/* Decode the REQUEST of @len bytes (its header's len) at @rec; -EPROTO. */
int httpq_rec_decode_request(const void *rec, size_t len,
			     struct httpq_rec_req *out);

/* The data of a REQ_BODY/RESP_BODY record of @len bytes. */
int httpq_rec_decode_body(const void *rec, size_t len, const void **data,
			  size_t *dlen);

/* Bytes a RESPONSE takes in a write, padding included. */
static inline size_t httpq_rec_response_size(size_t hlen, size_t blen)
{
	return HTTPQ_ALIGN(HTTPQ_RESP_HDR + hlen + blen);
}

static inline size_t httpq_rec_body_size(size_t len)
{
	return HTTPQ_ALIGN(HTTPQ_REC_HDR + len);
}

/*
 * Encode a RESPONSE into @buf (@cap bytes), padding zeroed.  @crlf adds
 * "\r\n" after @hdrs (counted in headers_len).  Returns the padded size,
 * -ENOSPC if it does not fit in @cap, -EMSGSIZE if over KHTTP_REC_MAX.
 */
ssize_t httpq_rec_encode_response(void *buf, size_t cap, uint64_t id,
				  uint16_t flags, uint16_t status,
				  const char *hdrs, size_t hlen, int crlf,
				  const void *body, size_t blen,
				  uint32_t ttl, uint64_t content_length);

/* Encode a RESP_BODY (KHTTP_REC_F_MORE if @more); as above. */
ssize_t httpq_rec_encode_body(void *buf, size_t cap, uint64_t id, int more,
			      const void *data, size_t len);

/*
 * Encode an empty RESP_BODY with KHTTP_REC_F_ABORT: the streamed answer
 * is broken, reset the client's connection; as above.
 */
ssize_t httpq_rec_encode_abort(void *buf, size_t cap, uint64_t id);

/*
 * Encode an INVALIDATE (id 0, flags 0) carrying the @len bytes of @prefix,
 * no NUL; as above.
 */
ssize_t httpq_rec_encode_invalidate(void *buf, size_t cap, const char *prefix,
				    size_t len);

/*
 * Check response header lines: each "token: value\r\n" with no CR, LF or
 * NUL in the value; none of the headers khttp writes itself.  The last
 * line may lack its CRLF: then *@crlf is set to 1 (else 0).  0 or -EINVAL.
 */
int httpq_check_headers(const char *h, size_t n, int *crlf);

/*
 * Split a request-target: path is up to '?' or '#' (after the authority
 * of an absolute-form target), query between '?' and '#'.  Offsets into
 * @t; *qoff is @n and *qlen 0 when there is no query.
 */
void httpq_split_target(const char *t, size_t n, size_t *poff, size_t *plen,
			size_t *qoff, size_t *qlen);

/* Header lookup in "Name: value\r\n" lines, case-insensitive name. */
const char *httpq_find_header(const char *h, size_t n, const char *name,
			      size_t *vlen);

#endif /* HTTPQ_REC_H */
