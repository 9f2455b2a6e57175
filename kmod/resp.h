/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Responses (resp.c): the one writer of response heads and of khttp's own
 * error answers, the conditional-request evaluation every answer with
 * validators goes through.  Sending is xmit.c's.
 */
#ifndef KHTTP_RESP_H
#define KHTTP_RESP_H

#include <linux/types.h>

struct khttp_conn;
struct khttp_chunk;
struct khttp_cond_rep;
struct khttp_rhdrs;
struct socket;

const char *khttp_reason(u16 status);

/*
 * A head in c->out, for the connection's own answers: begin (status line,
 * Server, Date), add header lines, end (Connection, blank line, and a
 * small body copied after it unless @head_only).
 */
#define KHTTP_OUT_SIZE 1024
/*
 * A cached body up to this size goes out copied after its head: one send
 * (one socket lock, one push) instead of two, for a copy of 2 KiB at most.
 */
#define KHTTP_RESP_INLINE_MAX 2048
/* Drop the response in progress (before a new one is built). */
void khttp_resp_reset(struct khttp_conn *c);
int khttp_resp_begin(struct khttp_conn *c, u16 status);
int khttp_resp_begin_cap(struct khttp_conn *c, u16 status, u32 cap);
__printf(2, 3) void khttp_resp_add(struct khttp_conn *c, const char *fmt, ...);
bool khttp_resp_inline(const struct khttp_conn *c, u16 status, u64 len);
void khttp_resp_put(struct khttp_conn *c, const char *s);
void khttp_resp_add_line(struct khttp_conn *c, const char *name,
			 const char *val, size_t vlen);
void khttp_resp_add_u64(struct khttp_conn *c, const char *name, u64 v);
void khttp_resp_end(struct khttp_conn *c, const char *body, u32 len,
		    bool head_only);

/* khttp's own answers: an error page; 503 with why (NULL: a bare one). */
void khttp_resp_error(struct khttp_conn *c, u16 status);
void khttp_resp_unavailable(struct khttp_conn *c, const char *why);

/* A whole 502/503 that replaces the answer a worker did not give. */
struct khttp_chunk *khttp_resp_fail_chunk(u16 status);

/* A worker's head: how its body is framed. */
enum khttp_framing {
	KHTTP_FRAME_LENGTH,		/* Content-Length (not on 204/304) */
	KHTTP_FRAME_CHUNKED,		/* Transfer-Encoding: chunked */
	KHTTP_FRAME_CLOSE,		/* the end of the body is the close */
};

/*
 * Write the head of a worker's answer into @out: its status and header
 * lines @hdrs, the route's added headers @rhdrs (may be NULL; @cap must
 * have room for them), then framing and Connection.  Returns its length.
 */
size_t khttp_resp_worker_head(char *out, size_t cap, u16 status,
			      const char *hdrs, u32 hdrs_len,
			      const struct khttp_rhdrs *rhdrs,
			      enum khttp_framing framing, u64 clen, bool ka,
			      u8 version);

/* Refuse a connection over the limits: 503 and close, no state. */
void khttp_resp_busy(struct socket *sock);

/* Ask for a request body; true if "100 Continue" went out whole. */
bool khttp_resp_continue(struct khttp_conn *c);

/*
 * The status the request on @c gets for an answer with validators @rep
 * (khttp_cond_eval(): 304, 206 [*@start, *@end], 416 or 200).
 */
u16 khttp_resp_cond(const struct khttp_conn *c,
		    const struct khttp_cond_rep *rep, u64 *start, u64 *end);

#endif /* KHTTP_RESP_H */
