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
 * This file is the client: building messages, sending them and reading
 * the acknowledgement with its extended ack, the expectations a case
 * checks a reply against, and main().  The cases are in nlabuse_cases.c.
 *
 * Prints "ok CASE" / "not ok CASE: why" per case; exits 1 on any failure.
 */
#define TAP_MAIN
#include "nlabuse.h"

static struct mnl_socket *nl;
static unsigned int portid, seq;
uint16_t family;
static char *rxbuf;

/* ---- message building ----------------------------------------------------- */

struct nlmsghdr *msg_new(struct msg *m, uint16_t type, uint8_t cmd,
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

void put_str(struct msg *m, uint16_t type, const char *s)
{
	mnl_attr_put_strz(m->nlh, type, s);
}

/* A string of @n copies of @c (NUL-terminated). */
void put_long_str(struct msg *m, uint16_t type, char first, char c,
		  size_t n)
{
	char *s = malloc(n + 1);

	memset(s, c, n);
	s[0] = first;
	s[n] = '\0';
	mnl_attr_put(m->nlh, type, n + 1, s);
	free(s);
}

void put_addr(struct msg *m, uint16_t type, uint16_t fam, uint16_t port,
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
int transact(struct msg *m, struct reply *r)
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

/*
 * @m must be refused with @err (0: any errno).  EXT_MSG: an extack message is required;
 * EXT_MISS: the missing attribute @miss must be named; EXT_NONE_CORE: the
 * genetlink core refuses it before khttp (no extack possible).
 */
void expect_refused(const char *name, struct msg *m, int err,
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

void expect_ok(const char *name, struct msg *m, struct reply *out)
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
		route_options();
		unknown();
		stray();
		access_rules();
		dumps();
	}
	printf("nlabuse: %u passed, %u failed\n", passed, failed);
	mnl_socket_close(nl);
	return failed ? 1 : 0;
}
