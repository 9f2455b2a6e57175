// SPDX-License-Identifier: GPL-2.0
/*
 * nlabuse: a hostile generic netlink client for the khttp family, run in
 * the test guest (scripts/e2e/72-netlink-abuse.sh).  Every malformed or
 * unauthorised request must be refused with the expected errno and an
 * extended ack: a message (NLMSGERR_ATTR_MSG), or for a missing required
 * attribute the missing type (NLMSGERR_ATTR_MISS_TYPE, which the kernel's
 * GENL_REQ_ATTR_CHECK reports without text).  The genetlink core refuses
 * unknown commands and callers without CAP_NET_ADMIN before the family
 * sees the message, and sets no extack there; those cases check the errno
 * only and say so.  Dumps must end cleanly and list what the status says.
 *
 *   nlabuse          as root: malformed requests and dumps
 *   nlabuse -u       as a user without CAP_NET_ADMIN: every change refused,
 *                    reads allowed
 *
 * Prints "ok CASE" / "not ok CASE: why" per case; exits 1 on any failure.
 */
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
#include "tap.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static struct mnl_socket *nl;
static unsigned int portid, seq;
static uint16_t family;
static char *rxbuf;
#define RXBUF_SIZE (1 << 20)

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

static struct nlmsghdr *msg_new(struct msg *m, uint16_t type, uint8_t cmd,
				uint16_t flags)
{
	struct genlmsghdr *g;

	m->nlh = mnl_nlmsg_put_header(m->buf);
	m->nlh->nlmsg_type = type;
	m->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	m->nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(m->nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = KHTTP_GENL_VERSION;
	return m->nlh;
}

static void put_str(struct msg *m, uint16_t type, const char *s)
{
	mnl_attr_put_strz(m->nlh, type, s);
}

/* A string of @n copies of @c (NUL-terminated). */
static void put_long_str(struct msg *m, uint16_t type, char first, char c,
			 size_t n)
{
	char *s = malloc(n + 1);

	memset(s, c, n);
	s[0] = first;
	s[n] = '\0';
	mnl_attr_put(m->nlh, type, n + 1, s);
	free(s);
}

static void put_addr(struct msg *m, uint16_t type, uint16_t fam, uint16_t port,
		     const uint8_t *a, size_t alen, size_t attrlen)
{
	uint8_t raw[64] = { 0 };
	struct khttp_addr ka = { .family = fam, .port = port };

	memcpy(ka.addr, a, alen);
	memcpy(raw, &ka, sizeof(ka));
	mnl_attr_put(m->nlh, type, attrlen, raw);
}

/* ---- sending and the acknowledgement -------------------------------------- */

static int ext_cb(const struct nlattr *a, void *data)
{
	struct reply *r = data;

	switch (mnl_attr_get_type(a)) {
	case NLMSGERR_ATTR_MSG:
		r->has_msg = true;
		snprintf(r->msg, sizeof(r->msg), "%.*s",
			 (int)mnl_attr_get_payload_len(a),
			 (const char *)mnl_attr_get_payload(a));
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		r->has_miss = true;
		r->miss_type = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

static int status_cb(const struct nlattr *a, void *data)
{
	struct reply *r = data;
	int t = mnl_attr_get_type(a);

	if (t == KHTTP_A_STATUS_LISTEN_COUNT)
		r->counts[0] = mnl_attr_get_u32(a);
	else if (t == KHTTP_A_STATUS_ROUTE_COUNT)
		r->counts[1] = mnl_attr_get_u32(a);
	else if (t == KHTTP_A_STATUS_POOL_COUNT)
		r->counts[2] = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

/* Send @m; collect the answer (data messages, then ACK/ERROR/DONE). */
static int transact(struct msg *m, struct reply *r)
{
	bool dump = (m->nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	uint32_t want = m->nlh->nlmsg_seq;
	ssize_t got;
	int n;

	memset(r, 0, sizeof(*r));
	if (!dump)
		m->nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, m->nlh, m->nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *h;

		got = mnl_socket_recvfrom(nl, rxbuf, RXBUF_SIZE);
		if (got < 0)
			return -errno;
		n = got;
		for (h = (struct nlmsghdr *)rxbuf; mnl_nlmsg_ok(h, n);
		     h = mnl_nlmsg_next(h, &n)) {
			if (h->nlmsg_seq != want)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

				r->err = -e->error;
				if (h->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse(h, sizeof(*e), ext_cb, r);
				return 0;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				int *e = mnl_nlmsg_get_payload(h);

				if (mnl_nlmsg_get_payload_len(h) >= sizeof(int))
					r->err = -*e;
				if (h->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse(h, sizeof(int), ext_cb, r);
				return 0;
			}
			if (h->nlmsg_type == family) {
				r->nmsgs++;
				mnl_attr_parse(h, GENL_HDRLEN, status_cb, r);
			}
		}
	}
}

static uint16_t resolve_family(void)
{
	struct msg m;
	struct genlmsghdr *g;
	ssize_t n;
	uint16_t id = 0;

	m.nlh = mnl_nlmsg_put_header(m.buf);
	m.nlh->nlmsg_type = GENL_ID_CTRL;
	m.nlh->nlmsg_flags = NLM_F_REQUEST;
	m.nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(m.nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(m.nlh, CTRL_ATTR_FAMILY_NAME, KHTTP_GENL_NAME);
	if (mnl_socket_sendto(nl, m.nlh, m.nlh->nlmsg_len) < 0)
		return 0;
	n = mnl_socket_recvfrom(nl, rxbuf, RXBUF_SIZE);
	if (n <= 0)
		return 0;
	{
		struct nlmsghdr *h = (struct nlmsghdr *)rxbuf;
		struct nlattr *a;

		if (h->nlmsg_type == NLMSG_ERROR)
			return 0;
		mnl_attr_for_each(a, h, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
				id = mnl_attr_get_u16(a);
	}
	return id;
}

/* ---- expectations --------------------------------------------------------- */

enum ext { EXT_MSG, EXT_MISS, EXT_NONE_CORE };

/* The netlink policy's errno: EINVAL or ERANGE depending on the check. */
#define EPOLICY (-1)

/*
 * @m must be refused with @err (0: any errno).  EXT_MSG: an extack message is required;
 * EXT_MISS: the missing attribute @miss must be named; EXT_NONE_CORE: the
 * genetlink core refuses it before khttp (no extack possible).
 */
static void expect_refused(const char *name, struct msg *m, int err,
			   enum ext ext, uint32_t miss)
{
	struct reply r;
	int rc = transact(m, &r);

	if (rc)
		return result(false, name, "transport error %s", strerror(-rc));
	if (!r.err)
		return result(false, name, "accepted");
	if (err == EPOLICY ? r.err != EINVAL && r.err != ERANGE :
	    err && r.err != err)
		return result(false, name, "errno %s, want %s (extack '%s')",
			      strerror(r.err), strerror(err), r.msg);
	switch (ext) {
	case EXT_MSG:
		if (!r.has_msg)
			return result(false, name, "errno %s but no extack message",
				      strerror(r.err));
		return result(true, name, "%s: \"%s\"", strerror(r.err), r.msg);
	case EXT_MISS:
		if (r.has_msg)
			return result(true, name, "%s: \"%s\"", strerror(r.err), r.msg);
		if (!r.has_miss || r.miss_type != miss)
			return result(false, name, "errno %s, no message and missing type %u (want %u)",
				      strerror(r.err), r.has_miss ? r.miss_type : 0, miss);
		return result(true, name, "%s: missing attribute %u reported",
			      strerror(r.err), miss);
	case EXT_NONE_CORE:
		return result(true, name, "%s%s%s (genetlink core; no extack)",
			      strerror(r.err), r.has_msg ? ", " : "", r.msg);
	}
}

static void expect_ok(const char *name, struct msg *m, struct reply *out)
{
	struct reply r;
	int rc = transact(m, &r);

	if (out)
		*out = r;
	if (rc)
		return result(false, name, "transport error %s", strerror(-rc));
	if (r.err)
		return result(false, name, "refused: %s '%s'", strerror(r.err), r.msg);
	result(true, name, r.nmsgs ? "%u messages" : NULL, r.nmsgs);
}

#define DO(m, cmd)	msg_new(&(m), family, (cmd), 0)

static const uint8_t lo4[4] = { 127, 0, 0, 1 };

/* ---- the root cases ------------------------------------------------------- */

static void missing(void)
{
	struct msg m;

	DO(m, KHTTP_CMD_LISTEN_ADD);
	expect_refused("missing/listen-add-addr", &m, EINVAL, EXT_MISS, KHTTP_A_LISTEN_ADDR);
	DO(m, KHTTP_CMD_LISTEN_DEL);
	expect_refused("missing/listen-del-addr", &m, EINVAL, EXT_MISS, KHTTP_A_LISTEN_ADDR);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("missing/route-add-prefix", &m, EINVAL, EXT_MISS, KHTTP_A_ROUTE_PREFIX);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("missing/route-add-type", &m, EINVAL, EXT_MISS, KHTTP_A_ROUTE_TYPE);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	expect_refused("missing/route-add-static-dir", &m, EINVAL, EXT_MISS, KHTTP_A_ROUTE_DIR);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_POOL);
	expect_refused("missing/route-add-pool-name", &m, EINVAL, EXT_MISS, KHTTP_A_ROUTE_POOL);
	DO(m, KHTTP_CMD_ROUTE_DEL);
	expect_refused("missing/route-del-prefix", &m, EINVAL, EXT_MISS, KHTTP_A_ROUTE_PREFIX);
	DO(m, KHTTP_CMD_POOL_ADD);
	mnl_attr_put_u32(m.nlh, KHTTP_A_POOL_QUEUE_LENGTH, 10);
	expect_refused("missing/pool-add-name", &m, EINVAL, EXT_MISS, KHTTP_A_POOL_NAME);
	DO(m, KHTTP_CMD_POOL_SET);
	expect_refused("missing/pool-set-name", &m, EINVAL, EXT_MISS, KHTTP_A_POOL_NAME);
	DO(m, KHTTP_CMD_POOL_DEL);
	expect_refused("missing/pool-del-name", &m, EINVAL, EXT_MISS, KHTTP_A_POOL_NAME);
	DO(m, KHTTP_CMD_CONFIG_SET);
	expect_refused("missing/config-set-nothing", &m, EINVAL, EXT_MSG, 0);
}

static void oversized(void)
{
	struct msg m;

	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_long_str(&m, KHTTP_A_ROUTE_PREFIX, '/', 'a', KHTTP_PREFIX_MAX);
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("oversized/prefix-1024", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_long_str(&m, KHTTP_A_ROUTE_PREFIX, '/', 'a', 8000);
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("oversized/prefix-8000", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_long_str(&m, KHTTP_A_ROUTE_DIR, '/', 'd', KHTTP_DIR_MAX);
	expect_refused("oversized/dir-4096", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_long_str(&m, KHTTP_A_ROUTE_DIR, '/', 'd', 12000);
	expect_refused("oversized/dir-12000", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_long_str(&m, KHTTP_A_POOL_NAME, 'p', 'p', KHTTP_POOL_NAME_MAX);
	expect_refused("oversized/pool-name-32", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CACHE_FLUSH);
	put_long_str(&m, KHTTP_A_CACHE_PREFIX, '/', 'c', 5000);
	expect_refused("oversized/cache-flush-prefix", &m, EPOLICY, EXT_MSG, 0);
	/* NLA_NUL_STRING without its NUL */
	DO(m, KHTTP_CMD_POOL_ADD);
	mnl_attr_put(m.nlh, KHTTP_A_POOL_NAME, 5, "abcde");
	expect_refused("string/pool-name-no-nul", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_DEL);
	mnl_attr_put(m.nlh, KHTTP_A_ROUTE_PREFIX, 3, "/a/");
	expect_refused("string/prefix-no-nul", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_DEL);
	mnl_attr_put(m.nlh, KHTTP_A_ROUTE_PREFIX, 0, "");
	expect_refused("string/prefix-empty-payload", &m, EPOLICY, EXT_MSG, 0);
	/*
	 * NLA_NUL_STRING needs a NUL within the limit, not at the end: khttp
	 * sees the string up to the first NUL (here an absent pool).
	 */
	DO(m, KHTTP_CMD_POOL_DEL);
	mnl_attr_put(m.nlh, KHTTP_A_POOL_NAME, 9, "zz\0garbag");
	expect_refused("string/pool-name-inner-nul", &m, ENOENT, EXT_MSG, 0);
}

static void wrong_types(void)
{
	struct msg m;

	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u32(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("type/route-type-u32", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u8(m.nlh, KHTTP_A_CONFIG_MAX_CONNS, 5);
	expect_refused("type/max-conns-u8", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u16(m.nlh, KHTTP_A_CONFIG_MAX_CONNS, 5);
	expect_refused("type/max-conns-u16", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u64(m.nlh, KHTTP_A_CONFIG_MAX_CONNS, 5);
	expect_refused("type/max-conns-u64", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u32(m.nlh, KHTTP_A_CONFIG_MAX_BODY_BYTES, 5);
	expect_refused("type/max-body-u32", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "abusepool");
	mnl_attr_put_u32(m.nlh, KHTTP_A_POOL_MODE, 0600);
	expect_refused("type/pool-mode-u32", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "abusepool");
	mnl_attr_put_u32(m.nlh, KHTTP_A_POOL_VERBOSITY, 2);
	expect_refused("type/pool-verbosity-u32", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_DEL);
	put_str(&m, KHTTP_A_POOL_NAME, "nosuchpool");
	mnl_attr_put_u32(m.nlh, KHTTP_A_POOL_FORCE, 1);
	expect_refused("type/force-flag-with-payload", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, lo4, 4, sizeof(struct khttp_addr) - 4);
	expect_refused("type/addr-short", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, lo4, 4, sizeof(struct khttp_addr) + 4);
	expect_refused("type/addr-long", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, lo4, 4, 1);
	expect_refused("type/addr-1-byte", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	mnl_attr_put_u32(m.nlh, KHTTP_A_LISTEN_ADDR, 0x7f000001);
	expect_refused("type/addr-as-u32", &m, EPOLICY, EXT_MSG, 0);
	/* a nest where a string is expected */
	DO(m, KHTTP_CMD_ROUTE_DEL);
	{
		struct nlattr *nest = mnl_attr_nest_start(m.nlh, KHTTP_A_ROUTE_PREFIX);

		mnl_attr_put_u32(m.nlh, 1, 1);
		mnl_attr_nest_end(m.nlh, nest);
	}
	expect_refused("type/prefix-as-nest", &m, EPOLICY, EXT_MSG, 0);
}

static void out_of_range(void)
{
	static const struct {
		const char *name;
		uint8_t cmd;
		uint16_t attr;
		int width;		/* bytes */
		uint64_t v;
	} r[] = {
		{ "range/max-conns-0", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_CONNS, 4, 0 },
		{ "range/max-conns-1000001", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_CONNS, 4, 1000001 },
		{ "range/max-conns-u32max", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_CONNS, 4, 0xffffffff },
		{ "range/header-bytes-255", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_HEADER_BYTES, 4, 255 },
		{ "range/header-bytes-2M", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_HEADER_BYTES, 4, 2 << 20 },
		{ "range/max-body-2^40+1", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_BODY_BYTES, 8, (1ULL << 40) + 1 },
		{ "range/max-body-u64max", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_BODY_BYTES, 8, ~0ULL },
		{ "range/header-timeout-99", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_HEADER_TIMEOUT_MS, 4, 99 },
		{ "range/idle-timeout-0", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_IDLE_TIMEOUT_MS, 4, 0 },
		{ "range/idle-timeout-huge", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_IDLE_TIMEOUT_MS, 4, 3600001 },
		{ "range/cache-max-bytes-2^41", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_CACHE_MAX_BYTES, 8, 1ULL << 41 },
		{ "range/cache-entry-max-65M", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_CACHE_ENTRY_MAX, 4, (64 << 20) + 1 },
		{ "range/queue-length-0", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_QUEUE_LENGTH, 4, 0 },
		{ "range/queue-length-70000", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_QUEUE_LENGTH, 4, 70000 },
		{ "range/queue-timeout-99", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_QUEUE_TIMEOUT_MS, 4, 99 },
		{ "range/queue-timeout-huge", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_QUEUE_TIMEOUT_MS, 4, 86400001 },
		{ "range/mode-01000", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_MODE, 2, 01000 },
		{ "range/mode-04755", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_MODE, 2, 04755 },
		{ "range/verbosity-9", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_VERBOSITY, 1, 9 },
		{ "range/verbosity-0", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_VERBOSITY, 1, 0 },
		{ "range/rapid-fail-count-10001", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_RAPID_FAIL_COUNT, 4, 10001 },
		{ "range/rapid-fail-seconds-0", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_RAPID_FAIL_SECONDS, 4, 0 },
		{ "range/pool-state-9", KHTTP_CMD_POOL_SET, KHTTP_A_POOL_STATE, 1, 9 },
		{ "range/pool-state-0", KHTTP_CMD_POOL_SET, KHTTP_A_POOL_STATE, 1, 0 },
		{ "range/route-type-7", KHTTP_CMD_ROUTE_ADD, KHTTP_A_ROUTE_TYPE, 1, 7 },
		{ "range/route-type-0", KHTTP_CMD_ROUTE_ADD, KHTTP_A_ROUTE_TYPE, 1, 0 },
		{ "range/route-cache-2", KHTTP_CMD_ROUTE_ADD, KHTTP_A_ROUTE_CACHE, 1, 2 },
	};
	struct msg m;
	size_t i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		DO(m, r[i].cmd);
		if (r[i].cmd == KHTTP_CMD_POOL_ADD || r[i].cmd == KHTTP_CMD_POOL_SET)
			put_str(&m, KHTTP_A_POOL_NAME, "abusepool");
		if (r[i].cmd == KHTTP_CMD_ROUTE_ADD) {
			put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
			put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
			if (r[i].attr != KHTTP_A_ROUTE_TYPE)
				mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE,
						KHTTP_ROUTE_STATIC);
		}
		switch (r[i].width) {
		case 1: mnl_attr_put_u8(m.nlh, r[i].attr, r[i].v); break;
		case 2: mnl_attr_put_u16(m.nlh, r[i].attr, r[i].v); break;
		case 4: mnl_attr_put_u32(m.nlh, r[i].attr, r[i].v); break;
		default: mnl_attr_put_u64(m.nlh, r[i].attr, r[i].v); break;
		}
		expect_refused(r[i].name, &m, EPOLICY, EXT_MSG, 0);
	}
}

/* Values the policy lets through but khttp itself must refuse. */
static void semantic(void)
{
	static const uint8_t v4junk[16] = { 127, 0, 0, 1, 9, 9 };
	struct msg m;

	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 99, 80, lo4, 4, sizeof(struct khttp_addr));
	expect_refused("addr/family-99", &m, EAFNOSUPPORT, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 0, lo4, 4, sizeof(struct khttp_addr));
	expect_refused("addr/port-0", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, v4junk, 16, sizeof(struct khttp_addr));
	expect_refused("addr/ipv4-stray-bytes", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	{
		struct khttp_addr a = { .family = 2, .port = 81, .scope_id = 3,
					.addr = { 127, 0, 0, 1 } };

		mnl_attr_put(m.nlh, KHTTP_A_LISTEN_ADDR, sizeof(a), &a);
	}
	expect_refused("addr/ipv4-scope-id", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, (const uint8_t[]){ 192, 0, 2, 99 }, 4,
		 sizeof(struct khttp_addr));
	expect_refused("addr/not-local", &m, 0, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_DEL);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 4444, lo4, 4, sizeof(struct khttp_addr));
	expect_refused("addr/del-absent", &m, ENOENT, EXT_MSG, 0);

	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "../x");
	expect_refused("pool/name-dotdot-slash", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "");
	expect_refused("pool/name-empty", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "a b");
	expect_refused("pool/name-space", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "abusepool");
	mnl_attr_put_u8(m.nlh, KHTTP_A_POOL_STATE, KHTTP_POOL_FAILED);
	expect_refused("pool/add-failed-state", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_SET);
	put_str(&m, KHTTP_A_POOL_NAME, "nosuchpool");
	expect_refused("pool/set-absent", &m, ENOENT, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_DEL);
	put_str(&m, KHTTP_A_POOL_NAME, "nosuchpool");
	expect_refused("pool/del-absent", &m, ENOENT, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "abusepool");
	mnl_attr_put_u32(m.nlh, KHTTP_A_POOL_UID, 0xffffffff);
	expect_refused("pool/uid-invalid", &m, EINVAL, EXT_MSG, 0);

	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "http://x y/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("route/bad-prefix", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/../x/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("route/dotdot-prefix", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "https://x/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("route/https", &m, EOPNOTSUPP, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "srv/www");
	expect_refused("route/relative-dir", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	put_str(&m, KHTTP_A_ROUTE_POOL, "abusepool");
	expect_refused("route/static-with-pool", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_POOL);
	put_str(&m, KHTTP_A_ROUTE_POOL, "abusepool");
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("route/pool-with-dir", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_POOL);
	put_str(&m, KHTTP_A_ROUTE_POOL, "nosuchpool");
	expect_refused("route/absent-pool", &m, 0, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_DEL);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/nosuchroute/");
	expect_refused("route/del-absent", &m, ENOENT, EXT_MSG, 0);
}

/*
 * An attribute of the object's set that this command does not take: the
 * per-command policy refuses it, and the message names it exactly.
 */
static void expect_stray(const char *name, struct msg *m, const char *want)
{
	struct reply r;
	int rc = transact(m, &r);

	if (rc)
		return result(false, name, "transport error %s", strerror(-rc));
	if (!r.err)
		return result(false, name, "accepted (want \"%s\")", want);
	if (r.err != EINVAL || strcmp(r.msg, want))
		return result(false, name, "errno %s, extack \"%s\", want EINVAL \"%s\"",
			      strerror(r.err), r.msg, want);
	result(true, name, "\"%s\"", r.msg);
}

/*
 * Validation comes before the handler, so the stray attribute alone is
 * enough: the command's required attributes would not change the answer.
 */
static void stray(void)
{
	static const struct {
		const char *name;
		uint8_t cmd;
		bool dump;
		uint16_t attr;
		int width;	/* 0: flag, 1/4: u8/u32, -1: string */
		const char *want;
	} c[] = {
		{ "stray/pool-add-force", KHTTP_CMD_POOL_ADD, false, KHTTP_A_POOL_FORCE, 0, "pool-add does not take force" },
		{ "stray/pool-add-state", KHTTP_CMD_POOL_ADD, false, KHTTP_A_POOL_STATE, 1, "pool-add does not take state" },
		{ "stray/pool-del-queue-length", KHTTP_CMD_POOL_DEL, false, KHTTP_A_POOL_QUEUE_LENGTH, 4, "pool-del does not take queue-length" },
		{ "stray/route-add-reachable", KHTTP_CMD_ROUTE_ADD, false, KHTTP_A_ROUTE_REACHABLE, 1, "route-add does not take reachable" },
		{ "stray/route-del-dir", KHTTP_CMD_ROUTE_DEL, false, KHTTP_A_ROUTE_DIR, -1, "route-del does not take dir" },
		/* a u64, not a nest: with NLA_F_NESTED the core's check comes first */
		{ "stray/listen-add-stats", KHTTP_CMD_LISTEN_ADD, false, KHTTP_A_LISTEN_STATS, 8, "listen-add does not take stats" },
		{ "stray/status-get-version", KHTTP_CMD_STATUS_GET, false, KHTTP_A_STATUS_VERSION, -1, "status-get does not take version" },
		{ "stray/cache-flush-key", KHTTP_CMD_CACHE_FLUSH, false, KHTTP_A_CACHE_KEY, -1, "cache-flush does not take key" },
		{ "stray/route-get-dump-prefix", KHTTP_CMD_ROUTE_GET, true, KHTTP_A_ROUTE_PREFIX, -1, "route-get does not take prefix" },
		{ "stray/pool-get-dump-name", KHTTP_CMD_POOL_GET, true, KHTTP_A_POOL_NAME, -1, "pool-get does not take name" },
	};
	struct msg m;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		msg_new(&m, family, c[i].cmd, c[i].dump ? NLM_F_DUMP : 0);
		switch (c[i].width) {
		case 0: mnl_attr_put(m.nlh, c[i].attr, 0, NULL); break;
		case 1: mnl_attr_put_u8(m.nlh, c[i].attr, 1); break;
		case 4: mnl_attr_put_u32(m.nlh, c[i].attr, 5); break;
		case 8: mnl_attr_put_u64(m.nlh, c[i].attr, 0); break;
		default: put_str(&m, c[i].attr, "/stray/"); break;
		}
		expect_stray(c[i].name, &m, c[i].want);
	}
	/* with everything the command needs, too */
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/stray/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_REACHABLE, 1);
	expect_stray("stray/route-add-whole-reachable", &m,
		     "route-add does not take reachable");
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, lo4, 4, sizeof(struct khttp_addr));
	mnl_attr_nest_end(m.nlh, mnl_attr_nest_start(m.nlh, KHTTP_A_LISTEN_STATS));
	expect_refused("stray/listen-add-stats-nest", &m, EINVAL, EXT_MSG, 0);
}

static void unknown(void)
{
	static const uint8_t cmds[] = {
		0, KHTTP_CMD_LOG_EVENT, __KHTTP_CMD_MAX, 99, 255,
	};
	char name[64];
	struct msg m;
	size_t i;

	/* strict validation: attribute numbers past the policy */
	DO(m, KHTTP_CMD_STATUS_GET);
	mnl_attr_put_u32(m.nlh, KHTTP_A_STATUS_MAX + 1, 1);
	expect_refused("attr/unknown-max+1-status", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, lo4, 4, sizeof(struct khttp_addr));
	mnl_attr_put_u32(m.nlh, 1000, 1);
	expect_refused("attr/unknown-1000-listen-add", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u32(m.nlh, KHTTP_A_CONFIG_MAX_CONNS, 100);
	mnl_attr_put_u32(m.nlh, 0x3fff, 1);
	expect_refused("attr/unknown-16383-config-set", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u32(m.nlh, 0, 100);
	expect_refused("attr/unspec-0", &m, EPOLICY, EXT_MSG, 0);
	/* the dump path validates too */
	msg_new(&m, family, KHTTP_CMD_ROUTE_GET, NLM_F_DUMP);
	mnl_attr_put_u32(m.nlh, 1000, 1);
	expect_refused("attr/unknown-in-dump", &m, EPOLICY, EXT_MSG, 0);

	/* genetlink header: reserved bits, flags the core gives no meaning */
	DO(m, KHTTP_CMD_STATUS_GET);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(m.nlh))->reserved = 1;
	expect_refused("header/reserved-nonzero", &m, EINVAL, EXT_MSG, 0);
	msg_new(&m, family, KHTTP_CMD_CONFIG_SET, NLM_F_CREATE | NLM_F_APPEND);
	mnl_attr_put_u32(m.nlh, KHTTP_A_CONFIG_MAX_CONNS, 100);
	expect_refused("header/create-flags", &m, EINVAL, EXT_MSG, 0);

	for (i = 0; i < sizeof(cmds); i++) {
		snprintf(name, sizeof(name), "cmd/unknown-%u", cmds[i]);
		DO(m, cmds[i]);
		expect_refused(name, &m, EOPNOTSUPP, EXT_NONE_CORE, 0);
	}
	/* a dump of a doit command, a doit of a dump command */
	msg_new(&m, family, KHTTP_CMD_LISTEN_ADD, NLM_F_DUMP);
	expect_refused("cmd/dump-of-listen-add", &m, EOPNOTSUPP, EXT_NONE_CORE, 0);
	DO(m, KHTTP_CMD_ROUTE_GET);
	expect_refused("cmd/doit-of-route-get", &m, EOPNOTSUPP, EXT_NONE_CORE, 0);
}

static void dumps(void)
{
	static const struct { const char *name; uint8_t cmd; int count; } d[] = {
		{ "dump/listen", KHTTP_CMD_LISTEN_GET, 0 },
		{ "dump/route", KHTTP_CMD_ROUTE_GET, 1 },
		{ "dump/pool", KHTTP_CMD_POOL_GET, 2 },
		{ "dump/cache", KHTTP_CMD_CACHE_GET, -1 },
	};
	struct reply st, r;
	struct msg m;
	size_t i;

	DO(m, KHTTP_CMD_STATUS_GET);
	expect_ok("get/status", &m, &st);
	DO(m, KHTTP_CMD_CONFIG_GET);
	expect_ok("get/config", &m, NULL);
	DO(m, KHTTP_CMD_STATS_GET);
	expect_ok("get/stats", &m, NULL);
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		msg_new(&m, family, d[i].cmd, NLM_F_DUMP);
		expect_ok(d[i].name, &m, &r);
		if (d[i].count >= 0 && r.nmsgs != st.counts[d[i].count])
			result(false, d[i].name, "%u messages, status says %u",
			       r.nmsgs, st.counts[d[i].count]);
	}
}

/* As a user without CAP_NET_ADMIN: each change is refused, reads work. */
static void unprivileged(void)
{
	struct msg m;

	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, lo4, 4, sizeof(struct khttp_addr));
	expect_refused("user/listen-add", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_DEL);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 80, lo4, 4, sizeof(struct khttp_addr));
	expect_refused("user/listen-del", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/");
	expect_refused("user/route-add", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_DEL);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/");
	expect_refused("user/route-del", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u32(m.nlh, KHTTP_A_CONFIG_MAX_CONNS, 1);
	expect_refused("user/config-set", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "userpool");
	expect_refused("user/pool-add", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_SET);
	put_str(&m, KHTTP_A_POOL_NAME, "nl");
	mnl_attr_put_u16(m.nlh, KHTTP_A_POOL_MODE, 0666);
	expect_refused("user/pool-set-mode", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_SET);
	put_str(&m, KHTTP_A_POOL_NAME, "nl");
	mnl_attr_put_u32(m.nlh, KHTTP_A_POOL_UID, getuid());
	expect_refused("user/pool-set-owner", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_DEL);
	put_str(&m, KHTTP_A_POOL_NAME, "nl");
	mnl_attr_put(m.nlh, KHTTP_A_POOL_FORCE, 0, NULL);
	expect_refused("user/pool-del-force", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CACHE_FLUSH);
	expect_refused("user/cache-flush", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u32(m.nlh, 1000, 1);
	/*
	 * Attributes are validated before the permission check (pre_doit):
	 * garbage from a non-admin is refused as garbage.  Either way it
	 * is refused with a message and changes nothing.
	 */
	expect_refused("user/config-set-garbage", &m, 0, EXT_MSG, 0);
	dumps();
}

int main(int argc, char **argv)
{
	bool user = argc > 1 && !strcmp(argv[1], "-u");
	int one = 1;

	rxbuf = malloc(RXBUF_SIZE);
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!rxbuf || !nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlabuse: netlink socket");
		return 2;
	}
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one))) {
		perror("nlabuse: NETLINK_EXT_ACK");
		return 2;
	}
	seq = time(NULL);
	family = resolve_family();
	if (!family) {
		fprintf(stderr, "nlabuse: no khttp genetlink family (module loaded?)\n");
		return 2;
	}
	if (user) {
		unprivileged();
	} else {
		missing();
		oversized();
		wrong_types();
		out_of_range();
		semantic();
		unknown();
		stray();
		dumps();
	}
	printf("nlabuse: %u passed, %u failed\n", passed, failed);
	mnl_socket_close(nl);
	return failed ? 1 : 0;
}
