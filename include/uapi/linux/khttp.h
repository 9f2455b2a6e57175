/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * khttp: in-kernel HTTP/1.1 listener.
 *
 * This header is the single definition of the generic netlink family that
 * httpctl speaks and of the /dev/httpq record format.  The module, httpctl,
 * libhttpq and the tests all include it as is.  The netlink part, between
 * the YNL-GEN markers, is generated from the family's YNL spec
 * (Documentation/netlink/specs/khttp.yaml) by `scripts/ynl.sh gen`; make
 * check fails when it drifts.  Each object (status, listen entry, route,
 * settings, pool, cache entry, log record) has its own attribute set, and
 * each command accepts only the attributes its spec entry lists.
 */
#ifndef _UAPI_LINUX_KHTTP_H
#define _UAPI_LINUX_KHTTP_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* YNL-GEN BEGIN: generated from Documentation/netlink/specs/khttp.yaml by scripts/ynl.sh */

#define KHTTP_GENL_NAME		"khttp"
#define KHTTP_GENL_VERSION	2

#define KHTTP_VERSION_STRING	"0.1.0"
#define KHTTP_PREFIX_MAX	1024
#define KHTTP_DIR_MAX		4096
#define KHTTP_POOL_NAME_MAX	32
#define KHTTP_LISTEN_MAX	256
#define KHTTP_ROUTE_MAX		65536
#define KHTTP_ACCESS_MAX	64
#define KHTTP_REDIRECT_MAX	2048
#define KHTTP_ROUTE_HEADER_MAX	16
#define KHTTP_ROUTE_HEADER_LEN	1024
#define KHTTP_ERROR_PAGE_MAX	16

/**
 * enum khttp_route_type
 * @KHTTP_ROUTE_METRICS: the counters in the Prometheus text format, from the
 *   kernel
 * @KHTTP_ROUTE_STATUS: a self-refreshing HTML status page, from the kernel
 * @KHTTP_ROUTE_REDIRECT: answer every request with a redirect to a target URL
 */
enum khttp_route_type {
	KHTTP_ROUTE_STATIC = 1,
	KHTTP_ROUTE_POOL,
	KHTTP_ROUTE_METRICS,
	KHTTP_ROUTE_STATUS,
	KHTTP_ROUTE_REDIRECT,
};

/**
 * enum khttp_access_action - What an access rule does to a client it matches.
 */
enum khttp_access_action {
	KHTTP_ACCESS_ALLOW = 1,
	KHTTP_ACCESS_DENY,
};

/**
 * enum khttp_log_source - Where an access-logged answer came from.
 * @KHTTP_LOG_ERROR: khttp's own error answer
 * @KHTTP_LOG_REDIRECT: a redirect route's answer
 * @KHTTP_LOG_METRICS: a metrics or status route's page
 */
enum khttp_log_source {
	KHTTP_LOG_STATIC = 1,
	KHTTP_LOG_POOL,
	KHTTP_LOG_CACHE,
	KHTTP_LOG_ERROR,
	KHTTP_LOG_REDIRECT,
	KHTTP_LOG_METRICS,
};

/**
 * enum khttp_pool_verbosity - What a full queue answers (http.sys's 503
 *   verbosity).
 * @KHTTP_VERBOSITY_BASIC: reset the connection
 * @KHTTP_VERBOSITY_LIMITED: 503, then close
 * @KHTTP_VERBOSITY_FULL: 503 with the reason, then close
 */
enum khttp_pool_verbosity {
	KHTTP_VERBOSITY_BASIC = 1,
	KHTTP_VERBOSITY_LIMITED,
	KHTTP_VERBOSITY_FULL,
};

/**
 * enum khttp_pool_state
 * @KHTTP_POOL_INACTIVE: stopped by the administrator, 503
 * @KHTTP_POOL_FAILED: rapid-fail protection tripped, 503
 */
enum khttp_pool_state {
	KHTTP_POOL_ACTIVE = 1,
	KHTTP_POOL_INACTIVE,
	KHTTP_POOL_FAILED,
};

enum khttp_status_attrs {
	KHTTP_A_STATUS_VERSION = 1,
	KHTTP_A_STATUS_LISTEN_COUNT,
	KHTTP_A_STATUS_ROUTE_COUNT,
	KHTTP_A_STATUS_POOL_COUNT,
	KHTTP_A_STATUS_STATS,

	__KHTTP_A_STATUS_MAX,
	KHTTP_A_STATUS_MAX = (__KHTTP_A_STATUS_MAX - 1)
};

enum khttp_listen_attrs {
	KHTTP_A_LISTEN_ADDR = 1,
	KHTTP_A_LISTEN_STATS,
	KHTTP_A_LISTEN_TLS,

	__KHTTP_A_LISTEN_MAX,
	KHTTP_A_LISTEN_MAX = (__KHTTP_A_LISTEN_MAX - 1)
};

enum khttp_route_attrs {
	KHTTP_A_ROUTE_PREFIX = 1,
	KHTTP_A_ROUTE_TYPE,
	KHTTP_A_ROUTE_DIR,
	KHTTP_A_ROUTE_POOL,
	KHTTP_A_ROUTE_CACHE,
	KHTTP_A_ROUTE_MAX_BPS,
	KHTTP_A_ROUTE_REACHABLE,
	KHTTP_A_ROUTE_PAD,
	KHTTP_A_ROUTE_PRECOMPRESSED,
	KHTTP_A_ROUTE_ACCESS,
	KHTTP_A_ROUTE_REDIRECT,
	KHTTP_A_ROUTE_REDIRECT_STATUS,
	KHTTP_A_ROUTE_KEEP_PATH,
	KHTTP_A_ROUTE_HEADER,
	KHTTP_A_ROUTE_ERROR_PAGE,

	__KHTTP_A_ROUTE_MAX,
	KHTTP_A_ROUTE_MAX = (__KHTTP_A_ROUTE_MAX - 1)
};

enum khttp_error_page_attrs {
	KHTTP_A_ERROR_PAGE_STATUS = 1,
	KHTTP_A_ERROR_PAGE_PATH,

	__KHTTP_A_ERROR_PAGE_MAX,
	KHTTP_A_ERROR_PAGE_MAX = (__KHTTP_A_ERROR_PAGE_MAX - 1)
};

enum khttp_config_attrs {
	KHTTP_A_CONFIG_MAX_CONNS = 1,
	KHTTP_A_CONFIG_MAX_HEADER_BYTES,
	KHTTP_A_CONFIG_MAX_BODY_BYTES,
	KHTTP_A_CONFIG_HEADER_TIMEOUT_MS,
	KHTTP_A_CONFIG_IDLE_TIMEOUT_MS,
	KHTTP_A_CONFIG_CACHE_MAX_BYTES,
	KHTTP_A_CONFIG_CACHE_ENTRY_MAX,
	KHTTP_A_CONFIG_MAX_CONNS_PER_CLIENT,
	KHTTP_A_CONFIG_MAX_CONNS_PER_PREFIX,
	KHTTP_A_CONFIG_MIN_SEND_RATE,
	KHTTP_A_CONFIG_PAD,
	KHTTP_A_CONFIG_CACHE_LOCK_TIMEOUT_MS,
	KHTTP_A_CONFIG_TLS_HANDSHAKE_TIMEOUT_MS,
	KHTTP_A_CONFIG_TLS_HANDSHAKE_MAX,

	__KHTTP_A_CONFIG_MAX,
	KHTTP_A_CONFIG_MAX = (__KHTTP_A_CONFIG_MAX - 1)
};

enum khttp_stat {
	KHTTP_STAT_UNSPEC,
	KHTTP_STAT_CONN_ACCEPTED,
	KHTTP_STAT_CONN_ACTIVE,
	KHTTP_STAT_CONN_REFUSED,
	KHTTP_STAT_CONN_TIMEOUT,
	KHTTP_STAT_REQUESTS,
	KHTTP_STAT_RESP_1XX,
	KHTTP_STAT_RESP_2XX,
	KHTTP_STAT_RESP_3XX,
	KHTTP_STAT_RESP_4XX,
	KHTTP_STAT_RESP_5XX,
	KHTTP_STAT_BYTES_IN,
	KHTTP_STAT_BYTES_OUT,
	KHTTP_STAT_PAD,
	KHTTP_STAT_CACHE_HITS,
	KHTTP_STAT_CACHE_MISSES,
	KHTTP_STAT_CACHE_INSERTS,
	KHTTP_STAT_CACHE_EVICTIONS,
	KHTTP_STAT_CACHE_BYTES,
	KHTTP_STAT_CACHE_ENTRIES,
	KHTTP_STAT_LOG_LOST,
	KHTTP_STAT_CLIENT_REFUSED,
	KHTTP_STAT_SLOW_CLOSED,
	KHTTP_STAT_THROTTLED,
	KHTTP_STAT_CACHE_LOCK_TIMEOUTS,
	KHTTP_STAT_ACCESS_DENIED,
	KHTTP_STAT_TLS_HANDSHAKES,
	KHTTP_STAT_TLS_HANDSHAKE_TIMEOUTS,
	KHTTP_STAT_TLS_HANDSHAKE_FAILED,

	__KHTTP_STAT_MAX,
	KHTTP_STAT_MAX = (__KHTTP_STAT_MAX - 1)
};

enum khttp_pool_attrs {
	KHTTP_A_POOL_NAME = 1,
	KHTTP_A_POOL_QUEUE_LENGTH,
	KHTTP_A_POOL_VERBOSITY,
	KHTTP_A_POOL_QUEUE_TIMEOUT_MS,
	KHTTP_A_POOL_UID,
	KHTTP_A_POOL_GID,
	KHTTP_A_POOL_MODE,
	KHTTP_A_POOL_RAPID_FAIL_COUNT,
	KHTTP_A_POOL_RAPID_FAIL_SECONDS,
	KHTTP_A_POOL_STATE,
	KHTTP_A_POOL_FORCE,
	KHTTP_A_POOL_QUEUED,
	KHTTP_A_POOL_QUEUED_MAX,
	KHTTP_A_POOL_IN_HAND,
	KHTTP_A_POOL_READERS,
	KHTTP_A_POOL_STATS,

	__KHTTP_A_POOL_MAX,
	KHTTP_A_POOL_MAX = (__KHTTP_A_POOL_MAX - 1)
};

enum khttp_pool_stat {
	KHTTP_PSTAT_UNSPEC,
	KHTTP_PSTAT_QUEUED,
	KHTTP_PSTAT_DELIVERED,
	KHTTP_PSTAT_ANSWERED,
	KHTTP_PSTAT_QUEUE_FULL,
	KHTTP_PSTAT_QUEUE_TIMEOUT,
	KHTTP_PSTAT_UNAVAILABLE,
	KHTTP_PSTAT_ABANDONED,
	KHTTP_PSTAT_WORKER_DEATHS,
	KHTTP_PSTAT_CLIENT_GONE,
	KHTTP_PSTAT_PAD,
	KHTTP_PSTAT_RING_ERRORS,
	KHTTP_PSTAT_READER_RUNS,

	__KHTTP_PSTAT_MAX,
	KHTTP_PSTAT_MAX = (__KHTTP_PSTAT_MAX - 1)
};

enum khttp_cache_attrs {
	KHTTP_A_CACHE_KEY = 1,
	KHTTP_A_CACHE_SIZE,
	KHTTP_A_CACHE_HITS,
	KHTTP_A_CACHE_AGE_MS,
	KHTTP_A_CACHE_TTL_MS,
	KHTTP_A_CACHE_STATUS,
	KHTTP_A_CACHE_FILE,
	KHTTP_A_CACHE_PREFIX,
	KHTTP_A_CACHE_FLUSHED,
	KHTTP_A_CACHE_PAD,

	__KHTTP_A_CACHE_MAX,
	KHTTP_A_CACHE_MAX = (__KHTTP_A_CACHE_MAX - 1)
};

enum khttp_log_attrs {
	KHTTP_A_LOG_TIME_NS = 1,
	KHTTP_A_LOG_CLIENT,
	KHTTP_A_LOG_SERVER,
	KHTTP_A_LOG_METHOD,
	KHTTP_A_LOG_TARGET,
	KHTTP_A_LOG_VERSION,
	KHTTP_A_LOG_HOST,
	KHTTP_A_LOG_REFERER,
	KHTTP_A_LOG_USER_AGENT,
	KHTTP_A_LOG_STATUS,
	KHTTP_A_LOG_BYTES,
	KHTTP_A_LOG_DURATION_US,
	KHTTP_A_LOG_SOURCE,
	KHTTP_A_LOG_LOST,
	KHTTP_A_LOG_PAD,
	KHTTP_A_LOG_TLS_VERSION,
	KHTTP_A_LOG_TLS_CIPHER,

	__KHTTP_A_LOG_MAX,
	KHTTP_A_LOG_MAX = (__KHTTP_A_LOG_MAX - 1)
};

enum khttp_tls_binding_attrs {
	KHTTP_A_TLS_BINDING_ADDR = 1,
	KHTTP_A_TLS_BINDING_HOST,
	KHTTP_A_TLS_BINDING_PORT,
	KHTTP_A_TLS_BINDING_CERT,
	KHTTP_A_TLS_BINDING_KEY,
	KHTTP_A_TLS_BINDING_GENERATION,

	__KHTTP_A_TLS_BINDING_MAX,
	KHTTP_A_TLS_BINDING_MAX = (__KHTTP_A_TLS_BINDING_MAX - 1)
};

enum khttp_cmd {
	KHTTP_CMD_STATUS_GET = 1,
	KHTTP_CMD_LISTEN_ADD,
	KHTTP_CMD_LISTEN_DEL,
	KHTTP_CMD_LISTEN_GET,
	KHTTP_CMD_ROUTE_ADD,
	KHTTP_CMD_ROUTE_DEL,
	KHTTP_CMD_ROUTE_GET,
	KHTTP_CMD_CONFIG_SET,
	KHTTP_CMD_CONFIG_GET,
	KHTTP_CMD_STATS_GET,
	KHTTP_CMD_POOL_ADD,
	KHTTP_CMD_POOL_SET,
	KHTTP_CMD_POOL_DEL,
	KHTTP_CMD_POOL_GET,
	KHTTP_CMD_CACHE_GET,
	KHTTP_CMD_CACHE_FLUSH,
	KHTTP_CMD_LOG_EVENT,
	KHTTP_CMD_TLS_ADD,
	KHTTP_CMD_TLS_DEL,
	KHTTP_CMD_TLS_GET,

	__KHTTP_CMD_MAX,
	KHTTP_CMD_MAX = (__KHTTP_CMD_MAX - 1)
};

#define KHTTP_MCGRP_LOG	"log"

/* YNL-GEN END */

/*
 * A listen address.  family is AF_INET or AF_INET6; addr holds 4 or 16
 * bytes in network order; port is in host order.  scope_id is used only for
 * IPv6 link-local addresses.  Unused bytes must be zero.
 */
struct khttp_addr {
	__u16 family;
	__u16 port;
	__u32 scope_id;
	__u8 addr[16];
};

/*
 * KHTTP_A_ROUTE_ACCESS (the spec's struct access-rule): one nginx-style
 * allow/deny rule.  action: enum khttp_access_action; family: 0 (every
 * client: "all"), AF_INET or AF_INET6; prefix_len: at most 32 or 128 (0
 * with family 0); addr: 4 or 16 bytes in network order, no bit set past
 * prefix_len; pad and unused bytes zero.
 */
struct khttp_access_rule {
	__u8 action;
	__u8 family;
	__u8 prefix_len;
	__u8 pad;
	__u8 addr[16];
};

/*
 * /dev/httpq/<pool>: the request queue of one application pool.
 *
 * Each network namespace has its own pools.  A pool of the initial
 * namespace is /dev/httpq/<pool>; a pool of any other namespace is
 * /dev/httpq/<netns inode>/<pool>, where <netns inode> is the inode number
 * of /proc/self/ns/net inside that namespace (what `readlink
 * /proc/self/ns/net` shows as net:[N]), so pools named alike in two
 * containers never collide.  open() also needs the opener to be in the
 * pool's namespace (EACCES otherwise), on top of the node's owner, group
 * and mode.  libhttpq's httpq_open("name") tries the namespaced path first
 * and then the plain one, so a worker runs unchanged in either.
 *
 * read() returns whole records, as many as fit, each starting on an 8-byte
 * boundary (pad with KHTTP_REC_ALIGN).  A buffer too small for the next
 * record fails with EMSGSIZE; KHTTP_READ_MIN always suffices.  Every record
 * begins with struct khttp_rec.  The first record of a request is a
 * KHTTP_REC_REQUEST; its body continues in KHTTP_REC_REQ_BODY records with
 * the same id, which the same file receives next, the last one without
 * KHTTP_REC_F_MORE.  A request belongs to the open file that read it.
 *
 * write() takes one or more records: a KHTTP_REC_RESPONSE, then, if it has
 * KHTTP_REC_F_MORE, KHTTP_REC_RESP_BODY records until one without it.  A
 * write is processed record by record: if a record is refused, the write
 * returns the bytes of the records before it, or the error if it is the
 * first.  Errors: ENOENT (no request with that id in hand), EPERM (the id
 * belongs to another open file), EINVAL (bad lengths, type, status or
 * header syntax, a reserved header, a body after a final response, an
 * abort that is not an empty RESP_BODY of a begun streamed response),
 * EMSGSIZE (record over KHTTP_REC_MAX), ENODEV (the pool was deleted).
 * Answering a request whose client has gone succeeds and is dropped.
 */
#define KHTTP_REC_ALIGN		8
#define KHTTP_REC_MAX		(2U << 20)
#define KHTTP_READ_MIN		KHTTP_REC_MAX
#define KHTTP_REC_BODY_MAX	(64U << 10)	/* body bytes per request record */

enum khttp_rec_type {
	KHTTP_REC_REQUEST = 1,		/* kernel -> worker */
	KHTTP_REC_REQ_BODY = 2,		/* kernel -> worker */
	KHTTP_REC_RESPONSE = 3,		/* worker -> kernel */
	KHTTP_REC_RESP_BODY = 4,	/* worker -> kernel */
	/* worker -> kernel: id 0, then a cache prefix (path or URL), no NUL */
	KHTTP_REC_INVALIDATE = 5,
};

/*
 * KHTTP_REC_F_CACHE (RESPONSE): cacheable for cache_ttl seconds; only whole
 * GET answers with status 200, 301 or 404, no Set-Cookie, no Vary but
 * Accept-Encoding, to requests without Authorization or Cookie.
 *
 * KHTTP_REC_F_ABORT (RESP_BODY): the streamed answer is broken (its source
 * died mid-body) and must not look complete: khttp resets the client's
 * connection (RST) instead of ending the body, dropping what it has not
 * sent yet.  Only on an empty RESP_BODY (no data, no other flag) after a
 * RESPONSE with KHTTP_REC_F_MORE; it ends the request like a last record.
 */
#define KHTTP_REC_F_MORE	0x1	/* more body records follow */
#define KHTTP_REC_F_CACHE	0x2
#define KHTTP_REC_F_ABORT	0x4

struct khttp_rec {
	__u32 len;		/* whole record, this header included */
	__u16 type;		/* enum khttp_rec_type */
	__u16 flags;		/* KHTTP_REC_F_* */
	__u64 id;		/* request id, unique while the module is loaded */
};

/* HTTP methods as reported in struct khttp_req_info. */
enum khttp_http_method {
	KHTTP_HTTP_OTHER = 0,	/* see the method token */
	KHTTP_HTTP_GET,
	KHTTP_HTTP_HEAD,
	KHTTP_HTTP_POST,
	KHTTP_HTTP_PUT,
	KHTTP_HTTP_DELETE,
	KHTTP_HTTP_OPTIONS,
	KHTTP_HTTP_PATCH,
	KHTTP_HTTP_TRACE,
	KHTTP_HTTP_CONNECT,
};

#define KHTTP_LENGTH_NONE	0ULL
#define KHTTP_LENGTH_CHUNKED	(~0ULL)	/* response: use chunked coding */

/*
 * KHTTP_REC_REQUEST: struct khttp_rec, struct khttp_req_info, then the
 * method token, the request-target as received, the header lines (each
 * "Name: value\r\n", as received), and the first body bytes, back to back
 * with the lengths given here.  Padding bytes are zero.
 *
 * tls_version and tls_cipher say how the request came: both 0 for plain
 * http; on a TLS listen entry (https) the protocol version (KHTTP_TLS_1_2,
 * KHTTP_TLS_1_3) and the record cipher, one of linux/tls.h's TLS_CIPHER_*
 * numbers (KHTTP_TLS_CIPHER_* are the same values), both read by the
 * kernel from the socket's kTLS state once the agent hands it back, so
 * they are what really protects the connection, whatever the agent says.
 * (Both were reserved, always 0, before: an older worker ignores them.)
 * The access log carries the same two (log attributes tls-version and
 * tls-cipher).
 */
#define KHTTP_TLS_1_2			0x0303
#define KHTTP_TLS_1_3			0x0304
#define KHTTP_TLS_CIPHER_AES_GCM_128	51
#define KHTTP_TLS_CIPHER_AES_GCM_256	52
#define KHTTP_TLS_CIPHER_AES_CCM_128	53
#define KHTTP_TLS_CIPHER_CHACHA20_POLY1305	54

struct khttp_req_info {
	struct khttp_addr client;
	struct khttp_addr server;
	__u8 method;		/* enum khttp_http_method */
	__u8 version;		/* 10 or 11 */
	__u16 tls_version;	/* 0: http; KHTTP_TLS_1_2 or _1_3: https */
	__u32 method_len;
	__u32 target_len;
	__u32 headers_len;
	__u32 body_len;		/* body bytes in this record */
	__u16 tls_cipher;	/* 0: http; a KHTTP_TLS_CIPHER_* */
	__u16 reserved2;	/* zero */
	__u64 content_length;	/* the whole body (chunked bodies decoded) */
};

/* KHTTP_REC_REQ_BODY and KHTTP_REC_RESP_BODY: struct khttp_rec, data. */

/*
 * KHTTP_REC_RESPONSE: struct khttp_rec, struct khttp_resp_info, the header
 * lines ("Name: value\r\n" each; the kernel adds Date, Server, framing and
 * connection headers and refuses them here), then the body bytes.  Without
 * KHTTP_REC_F_MORE the body is complete; with it, content_length is the
 * total (or KHTTP_LENGTH_CHUNKED) and RESP_BODY records follow.
 */
struct khttp_resp_info {
	__u16 status;		/* 200..599 */
	__u16 reserved;
	__u32 headers_len;
	__u32 body_len;
	__u32 cache_ttl;	/* seconds, with KHTTP_REC_F_CACHE */
	__u64 content_length;
};

/*
 * The /dev/httpq ring (optional): a shared-memory pair of rings on one open
 * file, so that a busy worker takes requests and gives answers without a
 * system call per request.  read() and write() keep working on every file,
 * with or without a ring.  The probe: on a file without a ring yet, the
 * doorbell ioctl below fails with ENXIO; a kernel without the ring says
 * ENOTTY to it (and ENODEV to the mmap()).
 *
 * mmap(NULL, KHTTP_RING_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
 * 0) creates the file's ring (zeroed, indices 0) and maps it: offset and
 * length exactly these, MAP_SHARED (EINVAL otherwise); one ring per open
 * file, for its whole life (a second mmap(), even after munmap(), is
 * EBUSY: open the device again); at most 64 rings per pool (ENOSPC: use
 * read() and write()); ENODEV once the pool is deleted.  The region is
 * struct khttp_ring_hdr at offset 0, the request ring (KHTTP_RING_REQ_SIZE
 * bytes at KHTTP_RING_REQ_OFF, kernel -> worker) and the answer ring
 * (KHTTP_RING_ANS_SIZE bytes at KHTTP_RING_ANS_OFF, worker -> kernel).
 *
 * Each ring is a byte stream of the same records read() returns and
 * write() takes (struct khttp_rec first, each starting on a KHTTP_REC_ALIGN
 * boundary, padding zero), with the same rules and errors.  Indices are
 * free-running __u32 byte counts; the byte of index i is at offset
 * i % size in its ring (the sizes are powers of two), so a record may wrap
 * around the ring's end: copy it out in two pieces.  A ring holds
 * tail - head bytes (__u32 arithmetic), at most its size; the producer
 * advances tail past whole padded records, the consumer advances head.
 * Indices are always multiples of KHTTP_REC_ALIGN.
 *
 *   request ring: the kernel writes req_tail, the worker writes req_head
 *   answer ring:  the worker writes ans_tail, the kernel writes ans_head
 *
 * The kernel reads req_head and ans_tail once per KHTTP_IOC_RING_ENTER and
 * never reads its own indices back (it keeps them privately and rewrites
 * them, even when it refuses the call), nor anything of the region
 * outside the answer records it consumes, which it copies out before it
 * checks them.  The worker issues a full barrier (or a release store)
 * before it publishes ans_tail or req_head, and an acquire load when it
 * reads req_tail or ans_head.
 *
 * KHTTP_IOC_RING_ENTER, the doorbell: the kernel
 *  1. checks both worker indices: req_head between the last req_head it
 *     accepted and req_tail, ans_tail at most KHTTP_RING_ANS_SIZE bytes
 *     past ans_head, both aligned.  Else EINVAL, and nothing changes;
 *  2. takes the answer records from ans_head to ans_tail in order, exactly
 *     as write() would.  A record refused for what it says (ENOENT, EPERM,
 *     EINVAL, as write()) is consumed and its error reported in error and
 *     error_id (the first of the call); the ones after it go on.  A record
 *     whose length is impossible (shorter than its header, over
 *     KHTTP_REC_MAX, or past ans_tail) loses the stream: ans_head jumps to
 *     ans_tail, dropping the rest, and the call fails with EINVAL.  With
 *     O_NONBLOCK, a body record the client's backlog has no room for stops
 *     the answers there (KHTTP_RING_ENTER_STALLED; ring again later);
 *  3. with KHTTP_RING_ENTER_GET, moves queued requests into the request
 *     ring while they fit (those are then in this file's hand, as read()
 *     ones; without it, none: a draining worker only answers); with
 *     KHTTP_RING_ENTER_WAIT too, on a file without O_NONBLOCK, and with no
 *     request in the ring that the worker has not taken (req_head ==
 *     req_tail), it waits for one (EINTR/restart on a signal if the call
 *     had nothing to report; ENODEV when the pool is deleted).  Requests
 *     reach a ring only this way: poll() says EPOLLIN when some wait.
 * Returns 0 and fills the counts; they are informative, the indices in the
 * header are what counts.  Other errors: ENXIO (no ring mapped, or
 * unmapped), EFAULT, EINVAL (unknown flags, WAIT without GET, reserved
 * not zero).
 * The work of one call is bounded by the rings' sizes.  Every refused call
 * and refused record counts in the pool's ring-errors counter.
 *
 * Lifetimes: the mapping holds the file open, so close() with the ring
 * still mapped changes nothing until munmap() (or exit).  When the last
 * mapping goes, the requests the file got through the ring and has not
 * answered get 502, as when a worker closes its file with requests in
 * hand (the pool counts a worker death); requests it got by read() stay
 * in its hand.  An open (or mapped) file pins the module: rmmod says busy.
 */
#define KHTTP_RING_REQ_SIZE	KHTTP_REC_MAX	/* any request record fits */
#define KHTTP_RING_ANS_SIZE	KHTTP_REC_MAX
#define KHTTP_RING_HDR_SIZE	4096
#define KHTTP_RING_REQ_OFF	KHTTP_RING_HDR_SIZE
#define KHTTP_RING_ANS_OFF	(KHTTP_RING_REQ_OFF + KHTTP_RING_REQ_SIZE)
#define KHTTP_RING_MMAP_SIZE	(KHTTP_RING_ANS_OFF + KHTTP_RING_ANS_SIZE)
#define KHTTP_RING_MAGIC	0x6b687271	/* "khrq" */

struct khttp_ring_hdr {
	__u32 magic;		/* kernel: KHTTP_RING_MAGIC */
	__u32 req_size;		/* kernel: KHTTP_RING_REQ_SIZE */
	__u32 ans_size;		/* kernel: KHTTP_RING_ANS_SIZE */
	__u32 reserved;
	__u32 req_tail;		/* kernel: end of the requests it wrote */
	__u32 req_head;		/* worker: end of the requests it took */
	__u32 ans_tail;		/* worker: end of the answers it wrote */
	__u32 ans_head;		/* kernel: end of the answers it took */
};

#define KHTTP_RING_ENTER_GET		0x1	/* in: take requests */
#define KHTTP_RING_ENTER_WAIT		0x2	/* in: with GET, wait for one */
#define KHTTP_RING_ENTER_STALLED	0x1	/* out: answers wait for room */

struct khttp_ring_enter {
	__u32 flags;		/* in: KHTTP_RING_ENTER_GET, _WAIT */
	__u32 out_flags;	/* out: KHTTP_RING_ENTER_STALLED */
	__u32 answers;		/* out: answer records taken (refused too) */
	__u32 requests;		/* out: request records put in the ring */
	__s32 error;		/* out: first refused answer record: -errno */
	__u32 reserved;		/* zero */
	__u64 error_id;		/* out: that record's id */
};

#define KHTTP_IOC_MAGIC		0xb4
#define KHTTP_IOC_RING_ENTER	_IOWR(KHTTP_IOC_MAGIC, 1, struct khttp_ring_enter)

/*
 * /dev/khttp-tls: the hand-over of TLS connections to the handshake agent
 * (khttp-tlsd), modelled on the kernel's net/handshake.
 *
 * A connection accepted on a listen entry added with "tls" is not read by
 * khttp: it waits, for at most tls-handshake-timeout-ms, for the agent.
 * The agent (CAP_NET_ADMIN; one open of the device at a time, a second
 * open gets EBUSY) read()s one struct khttp_tls_conn per connection; the
 * read installs the connection's socket as a new file descriptor
 * (O_CLOEXEC, non-blocking) in the reader's file table and returns
 * sizeof(struct khttp_tls_conn), or blocks (EAGAIN with O_NONBLOCK; poll
 * and epoll report EPOLLIN when a connection waits).  The buffer must hold
 * at least one record.  The agent runs the TLS handshake on that fd,
 * installs kTLS for both directions itself (setsockopt TCP_ULP "tls",
 * SOL_TLS TLS_TX and TLS_RX) without reading any application data, then
 * write()s one struct khttp_tls_done with the record's id and closes its
 * fd.  status 0: khttp checks that kTLS is installed both ways, then takes
 * the connection over and reads and writes plaintext through kTLS as on
 * any other entry.  A negative status (an errno, e.g. -EPROTO for a failed
 * handshake) closes the connection.  write() returns the record size, or
 * ENOENT when the id is unknown (the connection timed out or closed),
 * EINVAL for a bad record.
 *
 * The certificate to present comes from the certificate bindings
 * (tls-add, KHTTP_CMD_TLS_GET dumps them): the one of the host name the
 * client sent (SNI) on the local port, else the one of the local address
 * and port.  bindings_gen is their generation when the record was read
 * (never 0 once a binding was added); an agent re-reads them when it
 * differs from the one it loaded, so a change takes effect from the next
 * handshake on.
 *
 * Closing the device closes every connection the agent holds and has not
 * handed back; connections not yet read stay queued for the next agent.
 * Counters: tls_handshakes (handed back with status 0), tls_handshake_-
 * timeouts, tls_handshake_failed (a failed status, an agent that closed
 * the device, no kTLS after status 0, or over tls-handshake-max).
 */
#define KHTTP_TLS_DEVICE	"khttp-tls"	/* /dev/khttp-tls */
#define KHTTP_TLS_ABI		2

struct khttp_tls_conn {
	__u32 abi;		/* KHTTP_TLS_ABI */
	__s32 fd;		/* the connection's socket, in the reader */
	__u64 id;		/* names the connection in khttp_tls_done */
	struct khttp_addr local;	/* the address the client connected to */
	struct khttp_addr peer;		/* the client */
	__u32 bindings_gen;	/* the certificate bindings' generation */
	__u32 reserved;		/* zero */
};

struct khttp_tls_done {
	__u64 id;		/* from khttp_tls_conn */
	__s32 status;		/* 0: kTLS installed; < 0: -errno, close */
	__u32 reserved;		/* zero */
};

#endif /* _UAPI_LINUX_KHTTP_H */
