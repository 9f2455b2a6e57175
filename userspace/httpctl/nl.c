// SPDX-License-Identifier: GPL-2.0
/* httpctl: the netlink helper: socket, family, requests, dumps, extack. */
#include "httpctl.h"

/* ---- netlink ------------------------------------------------------- */

/*
 * What the kernel sends, per object: each reply is parsed with the
 * attribute set of the object its command is about (the YNL spec's
 * attribute-set), never with another object's numbers.
 */
static const struct nla_policy status_policy[KHTTP_A_STATUS_MAX + 1] = {
	[KHTTP_A_STATUS_VERSION]	= { .type = NLA_STRING },
	[KHTTP_A_STATUS_LISTEN_COUNT]	= { .type = NLA_U32 },
	[KHTTP_A_STATUS_ROUTE_COUNT]	= { .type = NLA_U32 },
	[KHTTP_A_STATUS_POOL_COUNT]	= { .type = NLA_U32 },
	[KHTTP_A_STATUS_STATS]		= { .type = NLA_NESTED },
};

static const struct nla_policy listen_policy[KHTTP_A_LISTEN_MAX + 1] = {
	[KHTTP_A_LISTEN_ADDR]	= { .minlen = sizeof(struct khttp_addr) },
	[KHTTP_A_LISTEN_STATS]	= { .type = NLA_NESTED },
	[KHTTP_A_LISTEN_TLS]	= { .type = NLA_FLAG },
};

static const struct nla_policy route_policy[KHTTP_A_ROUTE_MAX + 1] = {
	[KHTTP_A_ROUTE_PREFIX]		= { .type = NLA_STRING,
					    .maxlen = KHTTP_PREFIX_MAX },
	[KHTTP_A_ROUTE_TYPE]		= { .type = NLA_U8 },
	[KHTTP_A_ROUTE_DIR]		= { .type = NLA_STRING,
					    .maxlen = KHTTP_DIR_MAX },
	[KHTTP_A_ROUTE_POOL]		= { .type = NLA_STRING,
					    .maxlen = KHTTP_POOL_NAME_MAX },
	[KHTTP_A_ROUTE_CACHE]		= { .type = NLA_U8 },
	[KHTTP_A_ROUTE_MAX_BPS]		= { .type = NLA_U64 },
	[KHTTP_A_ROUTE_PRECOMPRESSED]	= { .type = NLA_U8 },
	[KHTTP_A_ROUTE_REACHABLE]	= { .type = NLA_U8 },
	[KHTTP_A_ROUTE_REDIRECT]	= { .type = NLA_STRING,
					    .maxlen = KHTTP_REDIRECT_MAX },
	[KHTTP_A_ROUTE_REDIRECT_STATUS]	= { .type = NLA_U16 },
	[KHTTP_A_ROUTE_KEEP_PATH]	= { .type = NLA_U8 },
	[KHTTP_A_ROUTE_HEADER]		= { .type = NLA_STRING,
					    .maxlen = KHTTP_ROUTE_HEADER_LEN },
	[KHTTP_A_ROUTE_ERROR_PAGE]	= { .type = NLA_NESTED },
};

static const struct nla_policy config_policy[KHTTP_A_CONFIG_MAX + 1] = {
	[KHTTP_A_CONFIG_MAX_CONNS]		= { .type = NLA_U32 },
	[KHTTP_A_CONFIG_MAX_HEADER_BYTES]	= { .type = NLA_U32 },
	[KHTTP_A_CONFIG_MAX_BODY_BYTES]		= { .type = NLA_U64 },
	[KHTTP_A_CONFIG_HEADER_TIMEOUT_MS]	= { .type = NLA_U32 },
	[KHTTP_A_CONFIG_IDLE_TIMEOUT_MS]	= { .type = NLA_U32 },
	[KHTTP_A_CONFIG_CACHE_MAX_BYTES]	= { .type = NLA_U64 },
	[KHTTP_A_CONFIG_CACHE_ENTRY_MAX]	= { .type = NLA_U32 },
	[KHTTP_A_CONFIG_MAX_CONNS_PER_CLIENT]	= { .type = NLA_U32 },
	[KHTTP_A_CONFIG_MAX_CONNS_PER_PREFIX]	= { .type = NLA_U32 },
	[KHTTP_A_CONFIG_MIN_SEND_RATE]		= { .type = NLA_U32 },
	[KHTTP_A_CONFIG_CACHE_LOCK_TIMEOUT_MS]	= { .type = NLA_U32 },
	[KHTTP_A_CONFIG_TLS_HANDSHAKE_TIMEOUT_MS] = { .type = NLA_U32 },
	[KHTTP_A_CONFIG_TLS_HANDSHAKE_MAX]	= { .type = NLA_U32 },
};

static const struct nla_policy pool_policy[KHTTP_A_POOL_MAX + 1] = {
	[KHTTP_A_POOL_NAME]		= { .type = NLA_STRING,
					    .maxlen = KHTTP_POOL_NAME_MAX },
	[KHTTP_A_POOL_QUEUE_LENGTH]	= { .type = NLA_U32 },
	[KHTTP_A_POOL_VERBOSITY]	= { .type = NLA_U8 },
	[KHTTP_A_POOL_QUEUE_TIMEOUT_MS]	= { .type = NLA_U32 },
	[KHTTP_A_POOL_UID]		= { .type = NLA_U32 },
	[KHTTP_A_POOL_GID]		= { .type = NLA_U32 },
	[KHTTP_A_POOL_MODE]		= { .type = NLA_U16 },
	[KHTTP_A_POOL_RAPID_FAIL_COUNT]	= { .type = NLA_U32 },
	[KHTTP_A_POOL_RAPID_FAIL_SECONDS] = { .type = NLA_U32 },
	[KHTTP_A_POOL_STATE]		= { .type = NLA_U8 },
	[KHTTP_A_POOL_FORCE]		= { .type = NLA_FLAG },
	[KHTTP_A_POOL_QUEUED]		= { .type = NLA_U32 },
	[KHTTP_A_POOL_QUEUED_MAX]	= { .type = NLA_U32 },
	[KHTTP_A_POOL_IN_HAND]		= { .type = NLA_U32 },
	[KHTTP_A_POOL_READERS]		= { .type = NLA_U32 },
	[KHTTP_A_POOL_STATS]		= { .type = NLA_NESTED },
};

static const struct nla_policy cache_policy[KHTTP_A_CACHE_MAX + 1] = {
	[KHTTP_A_CACHE_KEY]	= { .type = NLA_STRING },
	[KHTTP_A_CACHE_SIZE]	= { .type = NLA_U32 },
	[KHTTP_A_CACHE_HITS]	= { .type = NLA_U64 },
	[KHTTP_A_CACHE_AGE_MS]	= { .type = NLA_U32 },
	[KHTTP_A_CACHE_TTL_MS]	= { .type = NLA_U32 },
	[KHTTP_A_CACHE_STATUS]	= { .type = NLA_U16 },
	[KHTTP_A_CACHE_FILE]	= { .type = NLA_NUL_STRING },
	[KHTTP_A_CACHE_PREFIX]	= { .type = NLA_STRING },
	[KHTTP_A_CACHE_FLUSHED]	= { .type = NLA_U32 },
};

static const struct nla_policy log_policy[KHTTP_A_LOG_MAX + 1] = {
	[KHTTP_A_LOG_TIME_NS]		= { .type = NLA_U64 },
	[KHTTP_A_LOG_CLIENT]		= { .minlen = sizeof(struct khttp_addr) },
	[KHTTP_A_LOG_SERVER]		= { .minlen = sizeof(struct khttp_addr) },
	[KHTTP_A_LOG_METHOD]		= { .type = NLA_STRING },
	[KHTTP_A_LOG_TARGET]		= { .type = NLA_STRING },
	[KHTTP_A_LOG_VERSION]		= { .type = NLA_U8 },
	[KHTTP_A_LOG_HOST]		= { .type = NLA_STRING },
	[KHTTP_A_LOG_REFERER]		= { .type = NLA_STRING },
	[KHTTP_A_LOG_USER_AGENT]	= { .type = NLA_STRING },
	[KHTTP_A_LOG_STATUS]		= { .type = NLA_U16 },
	[KHTTP_A_LOG_BYTES]		= { .type = NLA_U64 },
	[KHTTP_A_LOG_DURATION_US]	= { .type = NLA_U32 },
	[KHTTP_A_LOG_SOURCE]		= { .type = NLA_U8 },
	[KHTTP_A_LOG_LOST]		= { .type = NLA_U64 },
};

static const struct nla_policy tls_policy[KHTTP_A_TLS_BINDING_MAX + 1] = {
	[KHTTP_A_TLS_BINDING_ADDR]	= { .minlen = sizeof(struct khttp_addr) },
	[KHTTP_A_TLS_BINDING_HOST]	= { .type = NLA_STRING },
	[KHTTP_A_TLS_BINDING_PORT]	= { .type = NLA_U16 },
	[KHTTP_A_TLS_BINDING_CERT]	= { .type = NLA_STRING },
	[KHTTP_A_TLS_BINDING_KEY]	= { .type = NLA_STRING },
	[KHTTP_A_TLS_BINDING_GENERATION] = { .type = NLA_U32 },
};

#define SET(p)	{ p, sizeof(p) / sizeof(p[0]) - 1 }
static const struct reply_set {
	const struct nla_policy *policy;
	int max;
} reply_sets[] = {
	[KHTTP_CMD_STATUS_GET]	= SET(status_policy),
	[KHTTP_CMD_STATS_GET]	= SET(status_policy),
	[KHTTP_CMD_LISTEN_GET]	= SET(listen_policy),
	[KHTTP_CMD_ROUTE_GET]	= SET(route_policy),
	[KHTTP_CMD_CONFIG_GET]	= SET(config_policy),
	[KHTTP_CMD_POOL_GET]	= SET(pool_policy),
	[KHTTP_CMD_CACHE_GET]	= SET(cache_policy),
	[KHTTP_CMD_CACHE_FLUSH]	= SET(cache_policy),
	[KHTTP_CMD_LOG_EVENT]	= SET(log_policy),
	[KHTTP_CMD_TLS_GET]	= SET(tls_policy),
};

_Static_assert(KHTTP_A_STATUS_MAX <= NL_ATTR_MAX &&
	       KHTTP_A_LISTEN_MAX <= NL_ATTR_MAX &&
	       KHTTP_A_ROUTE_MAX <= NL_ATTR_MAX &&
	       KHTTP_A_CONFIG_MAX <= NL_ATTR_MAX &&
	       KHTTP_A_POOL_MAX <= NL_ATTR_MAX &&
	       KHTTP_A_CACHE_MAX <= NL_ATTR_MAX &&
	       KHTTP_A_LOG_MAX <= NL_ATTR_MAX &&
	       KHTTP_A_TLS_BINDING_MAX <= NL_ATTR_MAX, "raise NL_ATTR_MAX");

int nl_parse(struct nlmsghdr *nlh, struct nlattr **tb)
{
	uint8_t cmd = genlmsg_hdr(nlh)->cmd;
	const struct reply_set *set;

	memset(tb, 0, sizeof(*tb) * (NL_ATTR_MAX + 1));
	if (cmd >= sizeof(reply_sets) / sizeof(reply_sets[0]) ||
	    !reply_sets[cmd].policy)
		return -1;
	set = &reply_sets[cmd];
	return genlmsg_parse(nlh, 0, tb, set->max,
			     (struct nla_policy *)set->policy) < 0 ? -1 : 0;
}

struct req_state {
	struct ctx *c;
	uint32_t seq;
	bool done;
	bool bad_reply;
	int error;		/* positive errno from the kernel */
	char extack[512];	/* the kernel's message, error or warning */
	reply_fn fn;
	void *arg;
};

/*
 * Each version of the family numbers its attributes its own way: refuse to
 * talk to a module of another version rather than send it numbers that
 * mean something else there.
 */
static int check_version(struct ctx *c)
{
	struct genl_family *f = NULL;
	struct nl_cache *cache;
	unsigned int ver = 0;

	if (genl_ctrl_alloc_cache(c->sk, &cache) < 0)
		return 0;	/* the id lookup worked; let requests tell */
	f = genl_ctrl_search_by_name(cache, KHTTP_GENL_NAME);
	if (f) {
		ver = genl_family_get_version(f);
		genl_family_put(f);
	}
	nl_cache_free(cache);
	if (!f || ver == KHTTP_GENL_VERSION)
		return 0;
	err(c, "the khttp module speaks netlink version %u, this httpctl "
	    "version %u: install matching khttp and httpctl", ver,
	    KHTTP_GENL_VERSION);
	return -1;
}

int connect_family(struct ctx *c)
{
	static const int one = 1;
	int ret;

	if (c->sk || c->dry_run)
		return 0;
	c->sk = nl_socket_alloc();
	if (!c->sk)
		return err(c, "out of memory");
	ret = genl_connect(c->sk);
	if (ret < 0) {
		err(c, "cannot open a generic netlink socket: %s",
		    nl_geterror(ret));
		goto fail;
	}
	/*
	 * libnl 3.7 has no nl_socket_set_ext_ack(); ask for extack messages
	 * directly, and for capped errors so the request is not echoed.
	 * Both options are best effort (kernels since 4.12).
	 */
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl_socket_disable_auto_ack(c->sk);	/* we set NLM_F_ACK ourselves */
	nl_socket_enable_msg_peek(c->sk);	/* big dump messages */

	c->family = genl_ctrl_resolve(c->sk, KHTTP_GENL_NAME);
	if (c->family == -NLE_OBJ_NOTFOUND) {
		err(c, "khttp module is not loaded (generic netlink family "
		    "\"%s\" not found); try: modprobe khttp", KHTTP_GENL_NAME);
		goto fail;
	}
	if (c->family < 0) {
		err(c, "cannot look up generic netlink family \"%s\": %s",
		    KHTTP_GENL_NAME, nl_geterror(c->family));
		goto fail;
	}
	if (check_version(c))
		goto fail;
	return 0;
fail:
	nl_socket_free(c->sk);
	c->sk = NULL;
	return EXIT_FAIL;
}

static int on_seq_check(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == st->seq ? NL_OK : NL_SKIP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;
	struct nlattr *tb[NL_ATTR_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (nlh->nlmsg_type != st->c->family || nl_parse(nlh, tb)) {
		st->bad_reply = true;	/* keep reading to stay in sync */
		return NL_SKIP;
	}
	st->c->reply = nlh;
	if (st->fn && st->fn(st->c, tb, st->arg))
		st->bad_reply = true;
	st->c->reply = NULL;
	return NL_OK;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/* libnl hands us the payload; the header sits right before it. */
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	struct req_state *st = arg;

	(void)nla;
	if (nlh->nlmsg_seq != st->seq)
		return NL_SKIP;
	st->error = e->error < 0 ? -e->error : e->error;
	httpctl_extack_msg(nlh, httpctl_nlmsgerr_payload(nlh, e),
			   st->extack, sizeof(st->extack));
	st->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req_state *st = arg;

	httpctl_extack_msg(nlh, httpctl_nlmsgerr_payload(nlh, nlmsg_data(nlh)),
			   st->extack, sizeof(st->extack));
	st->done = true;
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req_state *st = arg;
	int e;

	/* NLMSG_DONE carries the dump's result and may carry extack TLVs. */
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		memcpy(&e, NLMSG_DATA(nlh), sizeof(e));
		if (e < 0)
			st->error = -e;
		httpctl_extack_msg(nlh, sizeof(int), st->extack,
				   sizeof(st->extack));
	}
	st->done = true;
	return NL_STOP;
}

/* Start a request; the family id is filled in by req_run(). */
struct nl_msg *req_new(struct ctx *c, uint8_t cmd, bool dump)
{
	struct nl_msg *msg;

	/*
	 * The largest request is a route add: its prefix, directory or
	 * redirect, its added headers and error page paths (the kernel
	 * takes 4096 bytes of each in all), with their attribute headers,
	 * and its access rules.
	 */
	msg = nlmsg_alloc_size(KHTTP_DIR_MAX + KHTTP_PREFIX_MAX +
			       KHTTP_REDIRECT_MAX + 2 * 4096 + 2048 +
			       KHTTP_ACCESS_MAX *
			       NLA_ALIGN(NLA_HDRLEN +
					 sizeof(struct khttp_access_rule)));
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0, 0,
				 dump ? NLM_F_DUMP : NLM_F_ACK, cmd,
				 KHTTP_GENL_VERSION)) {
		nlmsg_free(msg);
		err(c, "out of memory");
		return NULL;
	}
	return msg;
}

/*
 * Send @msg (consumed), hand every reply's parsed attributes to @fn, wait
 * for the ACK or the end of the dump, and report errors and warnings.
 */
int req_run(struct ctx *c, struct nl_msg *msg, reply_fn fn,
		   void *arg)
{
	struct req_state st = { .c = c, .fn = fn, .arg = arg };
	struct nl_cb *cb, *sk_cb;
	int ret;

	if (!msg)
		return EXIT_FAIL;
	if (c->dry_run) {	/* the request was well formed: that is all */
		nlmsg_free(msg);
		return EXIT_OK;
	}
	if (connect_family(c)) {
		nlmsg_free(msg);
		return EXIT_FAIL;
	}
	nlmsg_hdr(msg)->nlmsg_type = (uint16_t)c->family;
	ret = nl_send_auto(c->sk, msg);
	st.seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (ret < 0)
		return err(c, "cannot send to the kernel: %s",
			   nl_geterror(ret));

	sk_cb = nl_socket_get_cb(c->sk);	/* takes a reference */
	cb = nl_cb_clone(sk_cb);
	nl_cb_put(sk_cb);
	if (!cb)
		return err(c, "out of memory");
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check, &st);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &st);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &st);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &st);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &st);
	ret = 0;
	while (!st.done) {
		ret = nl_recvmsgs(c->sk, cb);
		if (ret < 0 && !st.done)
			break;
	}
	nl_cb_put(cb);

	if (st.error) {
		if (st.extack[0])
			return err(c, "%s", st.extack);
		if (st.error == EPERM)
			return err(c, "permission denied: configuring khttp "
				   "needs CAP_NET_ADMIN");
		return err(c, "%s: %s", c->cmdname, strerror(st.error));
	}
	if (ret == -NLE_DUMP_INTR)
		return err(c, "%s: the list changed while it was read; "
			   "try again", c->cmdname);
	if (!st.done)
		return err(c, "%s: %s", c->cmdname, nl_geterror(ret));
	if (st.bad_reply)
		return err(c, "%s: malformed reply from the kernel "
			   "(httpctl and khttp versions differ?)", c->cmdname);
	if (st.extack[0])
		warn(c, "%s", st.extack);
	return EXIT_OK;
}

int dump_array(struct ctx *c, struct pr *p, uint8_t cmd, reply_fn fn,
	       void *arg)
{
	int ret;

	if ((ret = connect_family(c)))
		return ret;
	pr_open_array(p, NULL);
	ret = req_run(c, req_new(c, cmd, true), fn, arg);
	pr_close_array(p);	/* valid JSON even after an error */
	return ret;
}

int dump_list(struct ctx *c, int argc, char **argv, uint8_t cmd,
	      reply_fn fn)
{
	struct pr p;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	pr_init(&p, stdout, c->json);
	return dump_array(c, &p, cmd, fn, &p);
}
