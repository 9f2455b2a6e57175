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
	__KHTTP_STAT_MAX
};
#define KHTTP_STAT_MAX (__KHTTP_STAT_MAX - 1)

#endif /* _UAPI_LINUX_KHTTP_H */
