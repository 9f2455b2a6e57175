// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/httpq records: encode a request into REQUEST and REQ_BODY records,
 * and check the records a worker writes (lengths, type, flags, status,
 * header syntax, framing).  The format is in include/uapi/linux/khttp.h;
 * see httpqrec.h.
 */
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>
#include "httpqrec.h"

/* Records are padded to KHTTP_REC_ALIGN; so is a body record's payload. */
static_assert(sizeof(struct khttp_rec) % KHTTP_REC_ALIGN == 0);
static_assert(KHTTP_REC_BODY_MAX % KHTTP_REC_ALIGN == 0);

/* The REQUEST record's bytes before the body. */
static u64 khttp_req_rec_fixed(const struct khttp_req_src *s)
{
	return (u64)sizeof(struct khttp_rec) + sizeof(struct khttp_req_info) +
	       s->method_len + s->target_len + s->headers_len;
}

/*
 * The bytes the records of @s take, padding included, in *@size.  -E2BIG
 * if the REQUEST record (head and first body bytes) exceeds KHTTP_REC_MAX.
 */
int khttp_req_rec_size(const struct khttp_req_src *s, size_t *size)
{
	u64 fixed = khttp_req_rec_fixed(s);
	u64 first = min_t(u64, s->body_len, KHTTP_REC_BODY_MAX);
	u64 rest = s->body_len - first;
	u64 nrec = div64_u64(rest + KHTTP_REC_BODY_MAX - 1, KHTTP_REC_BODY_MAX);

	if (fixed + first > KHTTP_REC_MAX)
		return -E2BIG;
	*size = ALIGN(fixed + first, KHTTP_REC_ALIGN) +
		nrec * sizeof(struct khttp_rec) + ALIGN(rest, KHTTP_REC_ALIGN);
	return 0;
}

/*
 * Write the records of @s into @buf, which holds khttp_req_rec_size()
 * bytes, all zero (padding stays zero: nothing of the kernel's memory
 * reaches a worker).  Returns the bytes written, that size.
 */
size_t khttp_req_rec_encode(const struct khttp_req_src *s, void *buf)
{
	u32 fixed = khttp_req_rec_fixed(s);
	u32 first = min_t(u64, s->body_len, KHTTP_REC_BODY_MAX);
	struct khttp_req_info *info;
	struct khttp_rec *rec = buf;
	char *p = buf;
	size_t off;
	u64 done;

	rec->len = fixed + first;
	rec->type = KHTTP_REC_REQUEST;
	rec->flags = s->body_len > first ? KHTTP_REC_F_MORE : 0;
	rec->id = s->id;
	info = (struct khttp_req_info *)(rec + 1);
	info->client = *s->client;
	info->server = *s->server;
	info->method = s->method;
	info->version = s->version;
	info->tls_version = s->tls_version;
	info->tls_cipher = s->tls_cipher;
	info->method_len = s->method_len;
	info->target_len = s->target_len;
	info->headers_len = s->headers_len;
	info->body_len = first;
	info->content_length = s->body_len;
	off = sizeof(*rec) + sizeof(*info);
	memcpy(p + off, s->method_s, s->method_len);
	off += s->method_len;
	memcpy(p + off, s->target, s->target_len);
	off += s->target_len;
	memcpy(p + off, s->headers, s->headers_len);
	off += s->headers_len;
	if (first)
		memcpy(p + off, s->body, first);
	off = ALIGN(off + first, KHTTP_REC_ALIGN);

	for (done = first; done < s->body_len;) {
		u32 n = min_t(u64, s->body_len - done, KHTTP_REC_BODY_MAX);

		rec = (struct khttp_rec *)(p + off);
		rec->len = sizeof(*rec) + n;
		rec->type = KHTTP_REC_REQ_BODY;
		rec->flags = done + n < s->body_len ? KHTTP_REC_F_MORE : 0;
		rec->id = s->id;
		memcpy(rec + 1, s->body + done, n);
		done += n;
		off = ALIGN(off + rec->len, KHTTP_REC_ALIGN);
	}
	return off;
}

/*
 * The header of the next record a worker wrote, with @avail bytes of the
 * write() left from its start: -EMSGSIZE over KHTTP_REC_MAX, -EINVAL if
 * its length is shorter than the header or runs past the write.
 */
int khttp_rec_len_check(const struct khttp_rec *rec, size_t avail)
{
	if (rec->len > KHTTP_REC_MAX)
		return -EMSGSIZE;
	if (rec->len < sizeof(*rec) || rec->len > avail)
		return -EINVAL;
	return 0;
}

/* Type and flags of a record a worker wrote: the kinds it may send. */
int khttp_rec_check(const struct khttp_rec *rec)
{
	switch (rec->type) {
	case KHTTP_REC_INVALIDATE:
		/* id 0 and no flags: nothing to extend later by accident */
		return rec->id || rec->flags ? -EINVAL : 0;
	case KHTTP_REC_RESPONSE:
		if (rec->flags & ~(KHTTP_REC_F_MORE | KHTTP_REC_F_CACHE))
			return -EINVAL;
		return 0;
	case KHTTP_REC_RESP_BODY:
		/* An abort carries nothing: no data, no other flag. */
		if (rec->flags & KHTTP_REC_F_ABORT)
			return rec->flags != KHTTP_REC_F_ABORT ||
			       rec->len != sizeof(*rec) ? -EINVAL : 0;
		if (rec->flags & ~(KHTTP_REC_F_MORE | KHTTP_REC_F_CACHE))
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

static bool khttp_rec_tchar(u8 c)
{
	/*
	 * ASCII only: the kernel's isalnum() takes Latin-1 letters too.
	 * c != 0: strchr() would match the string's own terminator.
	 */
	return isascii(c) &&
	       (isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c)));
}

/* Headers the kernel writes itself; a worker may not. */
bool khttp_rec_reserved_header(const char *name, size_t len)
{
	static const char * const reserved[] = {
		"content-length", "transfer-encoding", "connection",
		"keep-alive", "upgrade", "te", "trailer", "date", "server",
		"proxy-connection",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		if (strlen(reserved[i]) == len &&
		    !strncasecmp(reserved[i], name, len))
			return true;
	return false;
}

/* "Name: value\r\n" lines only; no injection of CR, LF or NUL. */
int khttp_rec_headers_check(const char *h, size_t len)
{
	size_t i = 0, name;

	while (i < len) {
		name = i;
		while (i < len && khttp_rec_tchar(h[i]))
			i++;
		if (i == name || i >= len || h[i] != ':')
			return -EINVAL;
		if (khttp_rec_reserved_header(h + name, i - name))
			return -EINVAL;
		i++;
		while (i < len && h[i] != '\r') {
			u8 c = h[i];

			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return -EINVAL;
			i++;
		}
		if (i + 1 >= len || h[i + 1] != '\n')
			return -EINVAL;
		i += 2;
	}
	return 0;
}

/*
 * A RESPONSE record of @len bytes at @buf (its header already passed
 * khttp_rec_len_check() and khttp_rec_check()): lengths that add up, a
 * status of 200..599, zero reserved bytes, well-formed headers none of
 * which the kernel writes itself, and a body its framing allows.  On
 * success *@clen is the whole body's length (or KHTTP_LENGTH_CHUNKED).
 */
int khttp_resp_rec_check(const void *buf, u32 len, u64 *clen)
{
	const struct khttp_rec *rec = buf;
	const struct khttp_resp_info *ri;
	bool more = rec->flags & KHTTP_REC_F_MORE;

	if (len < sizeof(*rec) + sizeof(*ri))
		return -EINVAL;
	ri = (const void *)(rec + 1);
	if ((u64)ri->headers_len + ri->body_len !=
	    len - sizeof(*rec) - sizeof(*ri) ||
	    ri->status < 200 || ri->status > 599 || ri->reserved)
		return -EINVAL;
	if (khttp_rec_headers_check((const char *)(ri + 1), ri->headers_len))
		return -EINVAL;
	*clen = more ? ri->content_length : ri->body_len;
	if (more && *clen != KHTTP_LENGTH_CHUNKED && ri->body_len > *clen)
		return -EINVAL;
	if ((ri->status == 204 || ri->status == 304) &&
	    (ri->body_len || more))
		return -EINVAL;
	return 0;
}
