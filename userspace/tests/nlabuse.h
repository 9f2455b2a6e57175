/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What nlabuse's two files share: the khttp family's id, the message a
 * case builds and the reply it gets back, the client functions of
 * nlabuse.c that build, send and check them, and the cases in
 * nlabuse_cases.c that main() runs.
 */
#ifndef NLABUSE_H
#define NLABUSE_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/khttp.h>
#define TAP_SHARED
#include "tap.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define RXBUF_SIZE (1 << 20)

extern uint16_t family;

struct reply {
	int err;		/* 0 or a positive errno */
	bool has_msg;
	char msg[256];
	bool has_miss;
	uint32_t miss_type;
	unsigned int nmsgs;	/* data messages (dumps) */
	uint32_t counts[3];	/* STATUS_GET: listen, route, pool */
};

/* ---- message building ----------------------------------------------------- */

struct msg {
	char buf[16384];
	struct nlmsghdr *nlh;
};

struct nlmsghdr *msg_new(struct msg *m, uint16_t type, uint8_t cmd,
			 uint16_t flags);
void put_str(struct msg *m, uint16_t type, const char *s);
void put_long_str(struct msg *m, uint16_t type, char first, char c,
		  size_t n);
void put_addr(struct msg *m, uint16_t type, uint16_t fam, uint16_t port,
	      const uint8_t *a, size_t alen, size_t attrlen);

/* ---- sending and the acknowledgement -------------------------------------- */

int transact(struct msg *m, struct reply *r);

/* ---- expectations --------------------------------------------------------- */

enum ext { EXT_MSG, EXT_MISS, EXT_NONE_CORE };

/* The netlink policy's errno: EINVAL or ERANGE depending on the check. */
#define EPOLICY (-1)

void expect_refused(const char *name, struct msg *m, int err,
		    enum ext ext, uint32_t miss);
void expect_ok(const char *name, struct msg *m, struct reply *out);

#define DO(m, cmd)	msg_new(&(m), family, (cmd), 0)

/* ---- the cases (nlabuse_cases.c) ------------------------------------------ */

void missing(void);
void oversized(void);
void wrong_types(void);
void out_of_range(void);
void semantic(void);
void stray(void);
void unknown(void);
void dumps(void);
void unprivileged(void);

/* nlabuse_access_cases.c */
void access_rules(void);

/* nlabuse_route.c: a route's redirect, added headers and error pages. */
void route_options(void);

#endif
