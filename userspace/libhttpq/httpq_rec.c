// SPDX-License-Identifier: GPL-2.0
/*
 * libhttpq: /dev/httpq record encoding and decoding (no I/O).  The layout
 * is defined in <linux/khttp.h>.  Records are copied in and out with
 * memcpy, so buffers need no particular alignment.
 */
#include "httpq_rec.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

ssize_t httpq_rec_next(const void *buf, size_t avail, struct khttp_rec *hdr)
{
	size_t next;

	if (avail < HTTPQ_REC_HDR)
		return -EPROTO;
	memcpy(hdr, buf, sizeof(*hdr));
	if (hdr->len < HTTPQ_REC_HDR || hdr->len > avail ||
	    hdr->len > KHTTP_REC_MAX)
		return -EPROTO;
	next = HTTPQ_ALIGN((size_t)hdr->len);
	return (ssize_t)(next < avail ? next : avail);
}

int httpq_rec_decode_request(const void *rec, size_t len,
			     struct httpq_rec_req *out)
{
	const char *p = rec;
	uint64_t need;

	if (len < HTTPQ_REQ_HDR)
		return -EPROTO;
	memcpy(&out->hdr, p, sizeof(out->hdr));
	memcpy(&out->info, p + HTTPQ_REC_HDR, sizeof(out->info));
	if (out->hdr.type != KHTTP_REC_REQUEST || out->hdr.len != len)
		return -EPROTO;
	need = (uint64_t)HTTPQ_REQ_HDR + out->info.method_len +
	       out->info.target_len + out->info.headers_len +
	       out->info.body_len;
	if (need > len || !out->info.method_len || !out->info.target_len)
		return -EPROTO;
	out->method = p + HTTPQ_REQ_HDR;
	out->target = out->method + out->info.method_len;
	out->headers = out->target + out->info.target_len;
	out->body = (const unsigned char *)out->headers +
		    out->info.headers_len;
	return 0;
}

int httpq_rec_decode_body(const void *rec, size_t len, const void **data,
			  size_t *dlen)
{
	struct khttp_rec h;

	if (len < HTTPQ_REC_HDR)
		return -EPROTO;
	memcpy(&h, rec, sizeof(h));
	if (h.len != len || (h.type != KHTTP_REC_REQ_BODY &&
			     h.type != KHTTP_REC_RESP_BODY))
		return -EPROTO;
	*data = (const char *)rec + HTTPQ_REC_HDR;
	*dlen = len - HTTPQ_REC_HDR;
	return 0;
}

static ssize_t put_hdr(void *buf, size_t cap, size_t len, uint16_t type,
		       uint16_t flags, uint64_t id)
{
	struct khttp_rec h = { .len = (uint32_t)len, .type = type,
			       .flags = flags, .id = id };
	size_t total = HTTPQ_ALIGN(len);

	if (len > KHTTP_REC_MAX)
		return -EMSGSIZE;
	if (total > cap)
		return -ENOSPC;
	memcpy(buf, &h, sizeof(h));
	memset((char *)buf + len, 0, total - len);
	return (ssize_t)total;
}

ssize_t httpq_rec_encode_response(void *buf, size_t cap, uint64_t id,
				  uint16_t flags, uint16_t status,
				  const char *hdrs, size_t hlen, int crlf,
				  const void *body, size_t blen,
				  uint32_t ttl, uint64_t content_length)
{
	struct khttp_resp_info ri;
	size_t h = hlen + (crlf ? 2 : 0);
	char *p = buf;
	ssize_t total;

	if (h > KHTTP_REC_MAX || blen > KHTTP_REC_MAX)
		return -EMSGSIZE;
	total = put_hdr(buf, cap, HTTPQ_RESP_HDR + h + blen,
			KHTTP_REC_RESPONSE, flags, id);
	if (total < 0)
		return total;
	memset(&ri, 0, sizeof(ri));
	ri.status = status;
	ri.headers_len = (uint32_t)h;
	ri.body_len = (uint32_t)blen;
	ri.cache_ttl = (flags & KHTTP_REC_F_CACHE) ? ttl : 0;
	ri.content_length = content_length;
	memcpy(p + HTTPQ_REC_HDR, &ri, sizeof(ri));
	p += HTTPQ_RESP_HDR;
	if (hlen)
		memcpy(p, hdrs, hlen);
	if (crlf)
		memcpy(p + hlen, "\r\n", 2);
	if (blen)
		memcpy(p + h, body, blen);
	return total;
}

ssize_t httpq_rec_encode_body(void *buf, size_t cap, uint64_t id, int more,
			      const void *data, size_t len)
{
	ssize_t total;

	if (len > KHTTP_REC_MAX)
		return -EMSGSIZE;
	total = put_hdr(buf, cap, HTTPQ_REC_HDR + len, KHTTP_REC_RESP_BODY,
			more ? KHTTP_REC_F_MORE : 0, id);
	if (total >= 0 && len)
		memcpy((char *)buf + HTTPQ_REC_HDR, data, len);
	return total;
}

ssize_t httpq_rec_encode_abort(void *buf, size_t cap, uint64_t id)
{
	return put_hdr(buf, cap, HTTPQ_REC_HDR, KHTTP_REC_RESP_BODY,
		       KHTTP_REC_F_ABORT, id);
}

ssize_t httpq_rec_encode_invalidate(void *buf, size_t cap, const char *prefix,
				    size_t len)
{
	ssize_t total;

	if (len > KHTTP_REC_MAX)
		return -EMSGSIZE;
	total = put_hdr(buf, cap, HTTPQ_REC_HDR + len, KHTTP_REC_INVALIDATE,
			0, 0);
	if (total >= 0 && len)
		memcpy((char *)buf + HTTPQ_REC_HDR, prefix, len);
	return total;
}

static int is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Headers khttp writes itself (framing, connection management, Date). */
static const char *const reserved[] = {
	"Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive",
	"Upgrade", "TE", "Trailer", "Date", "Server", "Proxy-Connection",
};

int httpq_check_headers(const char *h, size_t n, int *crlf)
{
	size_t i = 0, name, k;

	*crlf = 0;
	while (i < n) {
		name = i;
		while (i < n && is_tchar((unsigned char)h[i]))
			i++;
		if (i == name || i == n || h[i] != ':')
			return -EINVAL;
		for (k = 0; k < sizeof(reserved) / sizeof(reserved[0]); k++)
			if (strlen(reserved[k]) == i - name &&
			    !strncasecmp(reserved[k], h + name, i - name))
				return -EINVAL;
		for (i++; i < n && h[i] != '\r' && h[i] != '\n'; i++)
			if (!h[i] || ((unsigned char)h[i] < 0x20 && h[i] != '\t') ||
			    h[i] == 0x7f)
				return -EINVAL;
		if (i == n) {
			*crlf = 1;	/* last line without CRLF */
			break;
		}
		if (h[i] != '\r' || i + 1 == n || h[i + 1] != '\n')
			return -EINVAL;	/* bare CR or LF */
		i += 2;
	}
	return 0;
}

void httpq_split_target(const char *t, size_t n, size_t *poff, size_t *plen,
			size_t *qoff, size_t *qlen)
{
	size_t i = 0, end;

	/* absolute-form: scheme "://" authority, then the path */
	while (i < n && ((t[i] >= 'a' && t[i] <= 'z') ||
			 (t[i] >= 'A' && t[i] <= 'Z') ||
			 (i && ((t[i] >= '0' && t[i] <= '9') ||
				t[i] == '+' || t[i] == '-' || t[i] == '.'))))
		i++;
	if (i && i + 3 <= n && !memcmp(t + i, "://", 3)) {
		for (i += 3; i < n && t[i] != '/' && t[i] != '?' &&
			     t[i] != '#'; i++)
			;
	} else {
		i = 0;
	}
	*poff = i;
	for (end = i; end < n && t[end] != '?' && t[end] != '#'; end++)
		;
	*plen = end - i;
	*qoff = n;
	*qlen = 0;
	if (end < n && t[end] == '?') {
		*qoff = end + 1;
		for (end++; end < n && t[end] != '#'; end++)
			;
		*qlen = end - *qoff;
	}
}

const char *httpq_find_header(const char *h, size_t n, const char *name,
			      size_t *vlen)
{
	size_t nl = strlen(name), i = 0, eol, v, e;

	while (i < n) {
		for (eol = i; eol < n && h[eol] != '\n'; eol++)
			;
		if (eol - i > nl && h[i + nl] == ':' &&
		    !strncasecmp(h + i, name, nl)) {
			v = i + nl + 1;
			e = eol;
			if (e > v && h[e - 1] == '\r')
				e--;
			while (v < e && (h[v] == ' ' || h[v] == '\t'))
				v++;
			while (e > v && (h[e - 1] == ' ' || h[e - 1] == '\t'))
				e--;
			if (vlen)
				*vlen = e - v;
			return h + v;
		}
		i = eol + 1;
	}
	return NULL;
}
