/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * khttp: in-kernel HTTP/1.1 listener.
 *
 * This header is the single definition of the generic netlink family that
 * httpctl speaks and of the /dev/httpq record format.  The module, httpctl,
 * libhttpq and the tests all include it as is.
 */
#ifndef _UAPI_LINUX_KHTTP_H
#define _UAPI_LINUX_KHTTP_H

#include <linux/types.h>

#define KHTTP_GENL_NAME		"khttp"
#define KHTTP_GENL_VERSION	1
#define KHTTP_MCGRP_LOG		"log"	/* access log multicast group */
#define KHTTP_VERSION_STRING	"0.1.0"

/* Upper bounds enforced by the netlink policy. */
#define KHTTP_PREFIX_MAX	1024	/* route prefix, including NUL */
#define KHTTP_DIR_MAX		4096	/* static directory path (PATH_MAX) */
#define KHTTP_POOL_NAME_MAX	32	/* pool name, including NUL */
#define KHTTP_LISTEN_MAX	256	/* listen entries */
#define KHTTP_ROUTE_MAX		65536	/* routes */

enum khttp_cmd {
	KHTTP_CMD_UNSPEC,
	KHTTP_CMD_STATUS_GET,	/* doit: version and object counts */
	KHTTP_CMD_LISTEN_ADD,	/* ADDR required */
	KHTTP_CMD_LISTEN_DEL,	/* ADDR required */
	KHTTP_CMD_LISTEN_GET,	/* dumpit: one message per entry */
	KHTTP_CMD_ROUTE_ADD,	/* PREFIX and one of DIR or POOL_NAME */
	KHTTP_CMD_ROUTE_DEL,	/* PREFIX required */
	KHTTP_CMD_ROUTE_GET,	/* dumpit: one message per route */
	KHTTP_CMD_CONFIG_SET,	/* any of the tunables below */
	KHTTP_CMD_CONFIG_GET,	/* doit: all tunables */
	KHTTP_CMD_STATS_GET,	/* doit: global STATS nest */
	KHTTP_CMD_POOL_ADD,	/* POOL_NAME and optional POOL_* settings */
	KHTTP_CMD_POOL_SET,	/* POOL_NAME and the settings to change */
	KHTTP_CMD_POOL_DEL,	/* POOL_NAME; FORCE also deletes its routes */
	KHTTP_CMD_POOL_GET,	/* dumpit: one message per pool */
	KHTTP_CMD_CACHE_GET,	/* dumpit: one message per cached response */
	KHTTP_CMD_CACHE_FLUSH,	/* optional PREFIX: a path or a URL */
	KHTTP_CMD_LOG_EVENT,	/* multicast on KHTTP_MCGRP_LOG: one request */
	__KHTTP_CMD_MAX
};
#define KHTTP_CMD_MAX (__KHTTP_CMD_MAX - 1)

enum khttp_attr {
	KHTTP_A_UNSPEC,
	KHTTP_A_VERSION,		/* string */
	KHTTP_A_LISTEN_COUNT,		/* u32 */
	KHTTP_A_ROUTE_COUNT,		/* u32 */
	KHTTP_A_POOL_COUNT,		/* u32 */
	KHTTP_A_ADDR,			/* struct khttp_addr */
	KHTTP_A_PREFIX,			/* string, < KHTTP_PREFIX_MAX */
	KHTTP_A_DIR,			/* string, absolute path */
	KHTTP_A_POOL_NAME,		/* string, < KHTTP_POOL_NAME_MAX */
	KHTTP_A_ROUTE_TYPE,		/* u8, enum khttp_route_type */
	KHTTP_A_STATS,			/* nest of enum khttp_stat (u64 each) */
	KHTTP_A_MAX_CONNS,		/* u32, 1..1000000 */
	KHTTP_A_MAX_HEADER_BYTES,	/* u32, 256..1048576 */
	KHTTP_A_MAX_BODY_BYTES,		/* u64, 0..2^40 */
	KHTTP_A_HEADER_TIMEOUT_MS,	/* u32, 100..3600000 */
	KHTTP_A_IDLE_TIMEOUT_MS,	/* u32, 100..3600000 */
	KHTTP_A_PAD,
	KHTTP_A_REACHABLE,		/* u8: route has a listen entry */
	KHTTP_A_POOL_QUEUE_LENGTH,	/* u32, 1..65536 (default 1000) */
	KHTTP_A_POOL_VERBOSITY,		/* u8, enum khttp_pool_verbosity */
	KHTTP_A_POOL_QUEUE_TIMEOUT_MS,	/* u32, 100..86400000 (default 120000) */
	KHTTP_A_POOL_UID,		/* u32: device owner */
	KHTTP_A_POOL_GID,		/* u32: device group */
	KHTTP_A_POOL_MODE,		/* u16: device permission bits, <= 0777 */
	KHTTP_A_POOL_RAPID_FAIL_COUNT,	/* u32, 0 (off)..10000 (default 5) */
	KHTTP_A_POOL_RAPID_FAIL_SECONDS, /* u32, 1..86400 (default 300) */
	KHTTP_A_POOL_STATE,		/* u8, enum khttp_pool_state */
	KHTTP_A_FORCE,			/* flag */
	KHTTP_A_POOL_QUEUED,		/* u32: requests waiting for a reader */
	KHTTP_A_POOL_IN_HAND,		/* u32: requests read, not yet answered */
	KHTTP_A_POOL_READERS,		/* u32: open files on the device */
	KHTTP_A_POOL_STATS,		/* nest of enum khttp_pool_stat (u64) */
	KHTTP_A_ROUTE_CACHE,		/* u8: 0 = never cache this route's answers */
	KHTTP_A_CACHE_MAX_BYTES,	/* u64: memory cap, 0..2^40 */
	KHTTP_A_CACHE_ENTRY_MAX,	/* u32: largest cached response, bytes */
	KHTTP_A_CACHE_KEY,		/* string: http://host:port/path?query */
	KHTTP_A_CACHE_SIZE,		/* u32: bytes of memory */
	KHTTP_A_CACHE_HITS,		/* u64 */
	KHTTP_A_CACHE_AGE_MS,		/* u32 */
	KHTTP_A_CACHE_TTL_MS,		/* u32: time left */
	KHTTP_A_CACHE_STATUS,		/* u16: HTTP status */
	KHTTP_A_FLUSHED,		/* u32: entries a flush removed */
	/* Access log records (KHTTP_CMD_LOG_EVENT). */
	KHTTP_A_LOG_TIME_NS,		/* u64: when the request arrived, UTC */
	KHTTP_A_LOG_CLIENT,		/* struct khttp_addr */
	KHTTP_A_LOG_SERVER,		/* struct khttp_addr */
	KHTTP_A_LOG_METHOD,		/* string */
	KHTTP_A_LOG_TARGET,		/* string, at most 1024 bytes kept */
	KHTTP_A_LOG_VERSION,		/* u8: 10 or 11 */
	KHTTP_A_LOG_HOST,		/* string, may be absent */
	KHTTP_A_LOG_REFERER,		/* string, may be absent */
	KHTTP_A_LOG_USER_AGENT,		/* string, may be absent */
	KHTTP_A_LOG_STATUS,		/* u16 */
	KHTTP_A_LOG_BYTES,		/* u64: response bytes sent */
	KHTTP_A_LOG_DURATION_US,	/* u32: first byte in to last byte out */
	KHTTP_A_LOG_SOURCE,		/* u8, enum khttp_log_source */
	KHTTP_A_LOG_LOST,		/* u64: records not delivered so far */
	/* Quality of service. */
	KHTTP_A_ROUTE_MAX_BPS,		/* u64: route send rate cap, bytes/s; 0 off */
	KHTTP_A_MAX_CONNS_PER_CLIENT,	/* u32: per client address; 0 off */
	KHTTP_A_MAX_CONNS_PER_PREFIX,	/* u32: per /24 (IPv4), /64 (IPv6); 0 off */
	KHTTP_A_MIN_SEND_RATE,		/* u32: bytes/s a reader must take; 0 off */
	KHTTP_A_CACHE_FILE,		/* string: a cached static file's path; */
					/* such entries have no TTL_MS */
	KHTTP_A_POOL_QUEUED_MAX,	/* u32: most requests ever waiting at */
					/* once since the pool was added */
	__KHTTP_A_MAX
};
#define KHTTP_A_MAX (__KHTTP_A_MAX - 1)

enum khttp_route_type {
	KHTTP_ROUTE_STATIC = 1,
	KHTTP_ROUTE_POOL = 2,
};

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

/* Counters in a KHTTP_A_STATS nest, each a u64. */
enum khttp_stat {
	KHTTP_STAT_UNSPEC,
	KHTTP_STAT_CONN_ACCEPTED,
	KHTTP_STAT_CONN_ACTIVE,
	KHTTP_STAT_CONN_REFUSED,	/* over max connections */
	KHTTP_STAT_CONN_TIMEOUT,	/* header-wait or idle timeout */
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
	KHTTP_STAT_CACHE_EVICTIONS,	/* pushed out by the memory cap or reclaim */
	KHTTP_STAT_CACHE_BYTES,		/* gauge */
	KHTTP_STAT_CACHE_ENTRIES,	/* gauge */
	KHTTP_STAT_LOG_LOST,		/* access log records not delivered */
	KHTTP_STAT_CLIENT_REFUSED,	/* over a per-client connection limit */
	KHTTP_STAT_SLOW_CLOSED,		/* read slower than min-send-rate */
	KHTTP_STAT_THROTTLED,		/* responses paced by a route's cap */
	__KHTTP_STAT_MAX
};
#define KHTTP_STAT_MAX (__KHTTP_STAT_MAX - 1)

/* Where an access-logged answer came from. */
enum khttp_log_source {
	KHTTP_LOG_STATIC = 1,
	KHTTP_LOG_POOL = 2,
	KHTTP_LOG_CACHE = 3,
	KHTTP_LOG_ERROR = 4,	/* khttp's own error answer */
};

/* What a full queue answers (http.sys's 503 verbosity). */
enum khttp_pool_verbosity {
	KHTTP_VERBOSITY_BASIC = 1,	/* reset the connection */
	KHTTP_VERBOSITY_LIMITED = 2,	/* 503, then close */
	KHTTP_VERBOSITY_FULL = 3,	/* 503 with the reason, then close */
};

enum khttp_pool_state {
	KHTTP_POOL_ACTIVE = 1,
	KHTTP_POOL_INACTIVE = 2,	/* stopped by the administrator: 503 */
	KHTTP_POOL_FAILED = 3,		/* rapid-fail protection tripped: 503 */
};

/* Counters in a KHTTP_A_POOL_STATS nest, each a u64. */
enum khttp_pool_stat {
	KHTTP_PSTAT_UNSPEC,
	KHTTP_PSTAT_QUEUED,		/* requests put on the queue */
	KHTTP_PSTAT_DELIVERED,		/* requests read by a worker */
	KHTTP_PSTAT_ANSWERED,		/* final responses from workers */
	KHTTP_PSTAT_QUEUE_FULL,		/* refused: queue full */
	KHTTP_PSTAT_QUEUE_TIMEOUT,	/* 503: waited longer than the timeout */
	KHTTP_PSTAT_UNAVAILABLE,	/* 503: pool inactive or failed */
	KHTTP_PSTAT_ABANDONED,		/* 502: worker gone with it in hand */
	KHTTP_PSTAT_WORKER_DEATHS,	/* files closed with requests in hand */
	KHTTP_PSTAT_CLIENT_GONE,	/* client left before the answer */
	KHTTP_PSTAT_PAD,
	__KHTTP_PSTAT_MAX
};
#define KHTTP_PSTAT_MAX (__KHTTP_PSTAT_MAX - 1)

/*
 * /dev/httpq/<pool>: the request queue of one application pool.
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
 */
struct khttp_req_info {
	struct khttp_addr client;
	struct khttp_addr server;
	__u8 method;		/* enum khttp_http_method */
	__u8 version;		/* 10 or 11 */
	__u16 reserved;
	__u32 method_len;
	__u32 target_len;
	__u32 headers_len;
	__u32 body_len;		/* body bytes in this record */
	__u32 reserved2;
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

#endif /* _UAPI_LINUX_KHTTP_H */
