// SPDX-License-Identifier: GPL-2.0
/*
 * httpctl: configure khttp over generic netlink.
 *
 *   httpctl [-j] [-b FILE] COMMAND ...
 *
 * Commands live in one table (cmds[] below): object, verb, handler, usage.
 * A handler parses its words, builds one request with req_new(), and runs
 * it with req_run(), which sends it, reads every reply through a
 * per-message callback, and prints the kernel's extack message on error
 * (or as a warning on success).
 */
#define _GNU_SOURCE	/* ppoll */
#include <linux/khttp.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "httpctl_log.h"
#include "httpctl_util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct ctx {
	struct nl_sock *sk;
	int family;
	bool json;
	bool dry_run;		/* batch check: parse and build, send nothing */
	bool quiet;		/* no messages (best-effort queries) */
	const char *cmdname;	/* "route add", for fallback messages */
	char where[PATH_MAX + 32];	/* "FILE:LINE: " in batch mode */
};

struct cmd {
	const char *object;
	const char *verb;	/* NULL: the object is the whole command */
	int (*fn)(struct ctx *c, int argc, char **argv);
	const char *args;	/* usage after "object verb" */
};

static const struct cmd *cur_cmd;

/* ---- messages ------------------------------------------------------ */

static void say(const struct ctx *c, const char *tag, const char *fmt,
		va_list ap)
{
	if (c->quiet)
		return;
	fflush(stdout);
	fprintf(stderr, "httpctl: %s%s", c->where, tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

__attribute__((format(printf, 2, 3)))
static int err(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(c, "", fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

__attribute__((format(printf, 2, 3)))
static void warn(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(c, "warning: ", fmt, ap);
	va_end(ap);
}

static void cmd_usage(FILE *f, const char *lead, const struct cmd *k)
{
	fprintf(f, "%shttpctl %s%s%s%s%s\n", lead, k->object,
		k->verb ? " " : "", k->verb ? k->verb : "",
		*k->args ? " " : "", k->args);
}

/* A usage error: one line saying what is wrong, one line of usage. */
__attribute__((format(printf, 2, 3)))
static int usage_err(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(c, "", fmt, ap);
	va_end(ap);
	if (cur_cmd)
		cmd_usage(stderr, "usage: ", cur_cmd);
	else
		fprintf(stderr, "Try \"httpctl help\".\n");
	return EXIT_USAGE;
}

static int no_args(const struct ctx *c, int argc, char **argv)
{
	if (argc > 0)
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[0]);
	return 0;
}

/* ---- netlink ------------------------------------------------------- */

static const struct nla_policy khttp_policy[KHTTP_A_MAX + 1] = {
	[KHTTP_A_VERSION]		= { .type = NLA_STRING },
	[KHTTP_A_LISTEN_COUNT]		= { .type = NLA_U32 },
	[KHTTP_A_ROUTE_COUNT]		= { .type = NLA_U32 },
	[KHTTP_A_POOL_COUNT]		= { .type = NLA_U32 },
	[KHTTP_A_ADDR]			= { .minlen = sizeof(struct khttp_addr) },
	[KHTTP_A_PREFIX]		= { .type = NLA_STRING,
					    .maxlen = KHTTP_PREFIX_MAX },
	[KHTTP_A_DIR]			= { .type = NLA_STRING,
					    .maxlen = KHTTP_DIR_MAX },
	[KHTTP_A_POOL_NAME]		= { .type = NLA_STRING,
					    .maxlen = KHTTP_POOL_NAME_MAX },
	[KHTTP_A_ROUTE_TYPE]		= { .type = NLA_U8 },
	[KHTTP_A_STATS]			= { .type = NLA_NESTED },
	[KHTTP_A_MAX_CONNS]		= { .type = NLA_U32 },
	[KHTTP_A_MAX_HEADER_BYTES]	= { .type = NLA_U32 },
	[KHTTP_A_MAX_BODY_BYTES]	= { .type = NLA_U64 },
	[KHTTP_A_HEADER_TIMEOUT_MS]	= { .type = NLA_U32 },
	[KHTTP_A_IDLE_TIMEOUT_MS]	= { .type = NLA_U32 },
	[KHTTP_A_REACHABLE]		= { .type = NLA_U8 },
	[KHTTP_A_POOL_QUEUE_LENGTH]	= { .type = NLA_U32 },
	[KHTTP_A_POOL_VERBOSITY]	= { .type = NLA_U8 },
	[KHTTP_A_POOL_QUEUE_TIMEOUT_MS]	= { .type = NLA_U32 },
	[KHTTP_A_POOL_UID]		= { .type = NLA_U32 },
	[KHTTP_A_POOL_GID]		= { .type = NLA_U32 },
	[KHTTP_A_POOL_MODE]		= { .type = NLA_U16 },
	[KHTTP_A_POOL_RAPID_FAIL_COUNT]	= { .type = NLA_U32 },
	[KHTTP_A_POOL_RAPID_FAIL_SECONDS] = { .type = NLA_U32 },
	[KHTTP_A_POOL_STATE]		= { .type = NLA_U8 },
	[KHTTP_A_FORCE]			= { .type = NLA_FLAG },
	[KHTTP_A_POOL_QUEUED]		= { .type = NLA_U32 },
	[KHTTP_A_POOL_IN_HAND]		= { .type = NLA_U32 },
	[KHTTP_A_POOL_READERS]		= { .type = NLA_U32 },
	[KHTTP_A_POOL_QUEUED_MAX]	= { .type = NLA_U32 },
	[KHTTP_A_POOL_STATS]		= { .type = NLA_NESTED },
	[KHTTP_A_ROUTE_CACHE]		= { .type = NLA_U8 },
	[KHTTP_A_CACHE_MAX_BYTES]	= { .type = NLA_U64 },
	[KHTTP_A_CACHE_ENTRY_MAX]	= { .type = NLA_U32 },
	[KHTTP_A_CACHE_KEY]		= { .type = NLA_STRING },
	[KHTTP_A_CACHE_SIZE]		= { .type = NLA_U32 },
	[KHTTP_A_CACHE_HITS]		= { .type = NLA_U64 },
	[KHTTP_A_CACHE_AGE_MS]		= { .type = NLA_U32 },
	[KHTTP_A_CACHE_TTL_MS]		= { .type = NLA_U32 },
	[KHTTP_A_CACHE_STATUS]		= { .type = NLA_U16 },
	[KHTTP_A_CACHE_FILE]		= { .type = NLA_NUL_STRING },
	[KHTTP_A_FLUSHED]		= { .type = NLA_U32 },
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
	[KHTTP_A_ROUTE_MAX_BPS]		= { .type = NLA_U64 },
	[KHTTP_A_MAX_CONNS_PER_CLIENT]	= { .type = NLA_U32 },
	[KHTTP_A_MAX_CONNS_PER_PREFIX]	= { .type = NLA_U32 },
	[KHTTP_A_MIN_SEND_RATE]		= { .type = NLA_U32 },
};

typedef int (*reply_fn)(struct ctx *c, struct nlattr **tb, void *arg);

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

static int connect_family(struct ctx *c)
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
	struct nlattr *tb[KHTTP_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (nlh->nlmsg_type != st->c->family ||
	    genlmsg_parse(nlh, 0, tb, KHTTP_A_MAX, khttp_policy) < 0) {
		st->bad_reply = true;	/* keep reading to stay in sync */
		return NL_SKIP;
	}
	if (st->fn && st->fn(st->c, tb, st->arg))
		st->bad_reply = true;
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
static struct nl_msg *req_new(struct ctx *c, uint8_t cmd, bool dump)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc_size(KHTTP_DIR_MAX + KHTTP_PREFIX_MAX + 1024);
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
static int req_run(struct ctx *c, struct nl_msg *msg, reply_fn fn,
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

/* ---- statistics ---------------------------------------------------- */

struct stats {
	bool have[KHTTP_STAT_MAX + 1];
	uint64_t val[KHTTP_STAT_MAX + 1];
};

#define COUNTERS_MAX (KHTTP_STAT_MAX > KHTTP_PSTAT_MAX ? \
		      KHTTP_STAT_MAX : KHTTP_PSTAT_MAX)

/*
 * A nest of u64 counters, types 1 to @max except the padding type @pad,
 * into @have and @val (arrays of @max + 1, zeroed first).
 */
static int counters_parse(struct nlattr *nest, int max, int pad, bool *have,
			  uint64_t *val)
{
	struct nla_policy pol[COUNTERS_MAX + 1];
	struct nlattr *tb[COUNTERS_MAX + 1];
	int i;

	memset(pol, 0, sizeof(pol));
	for (i = 1; i <= max; i++)
		if (i != pad)
			pol[i].type = NLA_U64;
	memset(have, 0, (max + 1) * sizeof(*have));
	memset(val, 0, (max + 1) * sizeof(*val));
	if (!nest)
		return 0;
	if (nla_parse_nested(tb, max, nest, pol) < 0)
		return -1;
	for (i = 1; i <= max; i++) {
		if (i == pad || !tb[i])
			continue;
		have[i] = true;
		val[i] = nla_get_u64(tb[i]);
	}
	return 0;
}

static int stats_parse(struct nlattr *nest, struct stats *s)
{
	return counters_parse(nest, KHTTP_STAT_MAX, KHTTP_STAT_PAD, s->have,
			      s->val);
}

static void stats_print(struct ctx *c, struct json *j, const struct stats *s,
			const char *indent)
{
	char name[32];
	int i;

	if (c->json)
		json_begin_object(j);
	for (i = 1; i <= KHTTP_STAT_MAX; i++) {
		if (!s->have[i])
			continue;
		if (httpctl_stat_name((unsigned int)i))
			snprintf(name, sizeof(name), "%s",
				 httpctl_stat_name((unsigned int)i));
		else
			snprintf(name, sizeof(name), "stat_%d", i);
		if (c->json) {
			json_key(j, name);
			json_uint(j, s->val[i]);
		} else {
			printf("%s%s %llu\n", indent, name,
			       (unsigned long long)s->val[i]);
		}
	}
	if (c->json)
		json_end_object(j);
}

/* ---- status -------------------------------------------------------- */

struct status {
	char version[64];
	uint32_t listen, routes, pools;
};

static int status_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct status *s = arg;

	(void)c;
	if (tb[KHTTP_A_VERSION])
		snprintf(s->version, sizeof(s->version), "%s",
			 nla_get_string(tb[KHTTP_A_VERSION]));
	if (tb[KHTTP_A_LISTEN_COUNT])
		s->listen = nla_get_u32(tb[KHTTP_A_LISTEN_COUNT]);
	if (tb[KHTTP_A_ROUTE_COUNT])
		s->routes = nla_get_u32(tb[KHTTP_A_ROUTE_COUNT]);
	if (tb[KHTTP_A_POOL_COUNT])
		s->pools = nla_get_u32(tb[KHTTP_A_POOL_COUNT]);
	return 0;
}

static int cmd_status(struct ctx *c, int argc, char **argv)
{
	struct status s = { .version = "unknown" };
	struct json j;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	ret = req_run(c, req_new(c, KHTTP_CMD_STATUS_GET, false),
		      status_reply, &s);
	if (ret)
		return ret;
	if (c->json) {
		json_init(&j, stdout);
		json_begin_object(&j);
		json_key(&j, "version");
		json_string(&j, s.version);
		json_key(&j, "listen_entries");
		json_uint(&j, s.listen);
		json_key(&j, "routes");
		json_uint(&j, s.routes);
		json_key(&j, "pools");
		json_uint(&j, s.pools);
		json_end_object(&j);
	} else {
		printf("khttp %s\nlisten entries: %u\nroutes: %u\npools: %u\n",
		       s.version, s.listen, s.routes, s.pools);
	}
	return EXIT_OK;
}

/* ---- iplisten ------------------------------------------------------ */

static int listen_change(struct ctx *c, int argc, char **argv, uint8_t cmd)
{
	struct khttp_addr a;
	char why[256];
	struct nl_msg *msg;

	if (argc < 1)
		return usage_err(c, "%s: missing ADDR:PORT", c->cmdname);
	if (argc > 1)
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[1]);
	if (httpctl_addr_parse(argv[0], &a, why, sizeof(why)))
		return usage_err(c, "%s", why);
	msg = req_new(c, cmd, false);
	if (msg && nla_put(msg, KHTTP_A_ADDR, sizeof(a), &a) < 0) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	return req_run(c, msg, NULL, NULL);
}

static int cmd_listen_add(struct ctx *c, int argc, char **argv)
{
	return listen_change(c, argc, argv, KHTTP_CMD_LISTEN_ADD);
}

static int cmd_listen_del(struct ctx *c, int argc, char **argv)
{
	return listen_change(c, argc, argv, KHTTP_CMD_LISTEN_DEL);
}

/* One listen entry as a JSON object's members (no braces). */
static void json_listen_members(struct json *j, const struct khttp_addr *a)
{
	char buf[HTTPCTL_ADDRSTRLEN];

	json_key(j, "listen");
	json_string(j, httpctl_addr_format(a, buf, sizeof(buf)));
	json_key(j, "family");
	json_string(j, a->family == AF_INET6 ? "inet6" : "inet");
	json_key(j, "address");
	json_string(j, httpctl_addr_host(a, buf, sizeof(buf)));
	json_key(j, "port");
	json_uint(j, a->port);
	if (a->scope_id) {
		json_key(j, "scope_id");
		json_uint(j, a->scope_id);
	}
}

struct listen_walk {
	struct json j;
	bool stats;	/* print each entry's counters too */
};

static int listen_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct listen_walk *w = arg;
	struct khttp_addr a;
	struct stats s;
	char buf[HTTPCTL_ADDRSTRLEN];

	if (!tb[KHTTP_A_ADDR])
		return -1;
	memcpy(&a, nla_data(tb[KHTTP_A_ADDR]), sizeof(a));
	if (w->stats && stats_parse(tb[KHTTP_A_STATS], &s))
		return -1;
	if (c->json) {
		json_begin_object(&w->j);
		json_listen_members(&w->j, &a);
		if (w->stats) {
			json_key(&w->j, "stats");
			stats_print(c, &w->j, &s, "");
		}
		json_end_object(&w->j);
	} else {
		printf("%s%s\n", w->stats ? "listen " : "",
		       httpctl_addr_format(&a, buf, sizeof(buf)));
		if (w->stats)
			stats_print(c, &w->j, &s, "  ");
	}
	return 0;
}

static int listen_dump(struct ctx *c, struct listen_walk *w)
{
	int ret;

	/* Connect first: print no "[]" when nothing could be asked. */
	if ((ret = connect_family(c)))
		return ret;
	if (c->json)
		json_begin_array(&w->j);
	ret = req_run(c, req_new(c, KHTTP_CMD_LISTEN_GET, true),
		      listen_reply, w);
	if (c->json)
		json_end_array(&w->j);	/* valid JSON even after an error */
	return ret;
}

static int cmd_listen_list(struct ctx *c, int argc, char **argv)
{
	struct listen_walk w = { .stats = false };
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	json_init(&w.j, stdout);
	return listen_dump(c, &w);
}

/* ---- route --------------------------------------------------------- */

static int check_len(struct ctx *c, const char *what, const char *s,
		     size_t max)
{
	if (!*s)
		return usage_err(c, "%s: empty %s", c->cmdname, what);
	if (strlen(s) >= max)
		return usage_err(c, "%s: %s is too long (at most %zu bytes)",
				 c->cmdname, what, max - 1);
	return 0;
}

static int cmd_route_add(struct ctx *c, int argc, char **argv)
{
	struct nl_msg *msg;
	struct stat sb;
	char *dir = NULL;
	int ret, cache = -1, i;
	uint64_t bps = 0;
	bool is_static, have_bps = false;

	if (argc < 1)
		return usage_err(c, "%s: missing PREFIX", c->cmdname);
	if (argc < 2)
		return usage_err(c, "%s: missing \"static DIR\" or "
				 "\"pool NAME\" after the prefix",
				 c->cmdname);
	is_static = !strcmp(argv[1], "static");
	if (!is_static && strcmp(argv[1], "pool"))
		return usage_err(c, "%s: unknown route type \"%s\" (expected "
				 "static or pool)", c->cmdname, argv[1]);
	if (argc < 3)
		return usage_err(c, "%s: missing %s after \"%s\"", c->cmdname,
				 is_static ? "DIR" : "NAME", argv[1]);
	for (i = 3; i < argc; i += 2) {
		bool is_cache = !strcmp(argv[i], "cache");

		if (!is_cache && strcmp(argv[i], "max-bandwidth"))
			return usage_err(c, "%s: unexpected argument \"%s\"",
					 c->cmdname, argv[i]);
		if ((is_cache && cache >= 0) || (!is_cache && have_bps))
			return usage_err(c, "%s: %s given twice", c->cmdname,
					 argv[i]);
		if (i + 1 >= argc)
			return usage_err(c, "%s: missing %s after \"%s\"",
					 c->cmdname, is_cache ? "on or off" :
					 "RATE", argv[i]);
		if (is_cache) {
			cache = httpctl_parse_on_off(argv[i + 1]);
			if (cache < 0)
				return usage_err(c, "%s: cache: \"%s\" is not "
						 "on or off", c->cmdname,
						 argv[i + 1]);
		} else {
			if (httpctl_parse_rate(argv[i + 1], &bps))
				return usage_err(c, "%s: max-bandwidth: \"%s\" "
						 "is not a rate in bytes/s "
						 "(e.g. 256K, 10M; off)",
						 c->cmdname, argv[i + 1]);
			have_bps = true;
		}
	}
	if ((ret = check_len(c, "prefix", argv[0], KHTTP_PREFIX_MAX)))
		return ret;
	if (is_static) {
		/* The kernel wants an absolute path; resolve it here. */
		dir = realpath(argv[2], NULL);
		if (!dir)
			return err(c, "%s: directory \"%s\": %s", c->cmdname,
				   argv[2], errno == ENOENT ?
				   "does not exist" : strerror(errno));
		if (stat(dir, &sb) || !S_ISDIR(sb.st_mode)) {
			ret = err(c, "%s: \"%s\" is not a directory",
				  c->cmdname, argv[2]);
			goto out;
		}
		if (strlen(dir) >= KHTTP_DIR_MAX) {
			ret = err(c, "%s: directory path is too long",
				  c->cmdname);
			goto out;
		}
	} else if ((ret = check_len(c, "pool name", argv[2],
				    KHTTP_POOL_NAME_MAX))) {
		return ret;
	}

	msg = req_new(c, KHTTP_CMD_ROUTE_ADD, false);
	if (msg && (nla_put_string(msg, KHTTP_A_PREFIX, argv[0]) < 0 ||
		    nla_put_u8(msg, KHTTP_A_ROUTE_TYPE, is_static ?
			       KHTTP_ROUTE_STATIC : KHTTP_ROUTE_POOL) < 0 ||
		    nla_put_string(msg, is_static ? KHTTP_A_DIR :
				   KHTTP_A_POOL_NAME,
				   is_static ? dir : argv[2]) < 0 ||
		    (cache >= 0 &&
		     nla_put_u8(msg, KHTTP_A_ROUTE_CACHE, (uint8_t)cache) < 0) ||
		    (have_bps && nla_put_u64(msg, KHTTP_A_ROUTE_MAX_BPS,
					     bps) < 0))) {
		nlmsg_free(msg);
		ret = err(c, "out of memory");
		goto out;
	}
	ret = req_run(c, msg, NULL, NULL);
out:
	free(dir);
	return ret;
}

static int cmd_route_del(struct ctx *c, int argc, char **argv)
{
	struct nl_msg *msg;
	int ret;

	if (argc < 1)
		return usage_err(c, "%s: missing PREFIX", c->cmdname);
	if (argc > 1)
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[1]);
	if ((ret = check_len(c, "prefix", argv[0], KHTTP_PREFIX_MAX)))
		return ret;
	msg = req_new(c, KHTTP_CMD_ROUTE_DEL, false);
	if (msg && nla_put_string(msg, KHTTP_A_PREFIX, argv[0]) < 0) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	return req_run(c, msg, NULL, NULL);
}

static int route_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct json *j = arg;
	const char *prefix, *target = "", *type;
	uint8_t rt;
	int reachable = -1, cache = -1;
	uint64_t bps = 0;
	char bw[48] = "";

	if (!tb[KHTTP_A_PREFIX] || !tb[KHTTP_A_ROUTE_TYPE])
		return -1;
	if (tb[KHTTP_A_ROUTE_MAX_BPS])
		bps = nla_get_u64(tb[KHTTP_A_ROUTE_MAX_BPS]);
	if (bps)
		snprintf(bw, sizeof(bw), " max-bandwidth %llu",
			 (unsigned long long)bps);
	prefix = nla_get_string(tb[KHTTP_A_PREFIX]);
	rt = nla_get_u8(tb[KHTTP_A_ROUTE_TYPE]);
	if (tb[KHTTP_A_REACHABLE])
		reachable = nla_get_u8(tb[KHTTP_A_REACHABLE]) != 0;
	if (tb[KHTTP_A_ROUTE_CACHE])
		cache = nla_get_u8(tb[KHTTP_A_ROUTE_CACHE]);
	else if (rt == KHTTP_ROUTE_POOL)	/* an older module: caching */
		cache = 1;
	if (rt == KHTTP_ROUTE_STATIC && tb[KHTTP_A_DIR]) {
		type = "static";
		target = nla_get_string(tb[KHTTP_A_DIR]);
	} else if (rt == KHTTP_ROUTE_POOL && tb[KHTTP_A_POOL_NAME]) {
		type = "pool";
		target = nla_get_string(tb[KHTTP_A_POOL_NAME]);
	} else {
		return -1;
	}

	if (c->json) {
		json_begin_object(j);
		json_key(j, "prefix");
		json_string(j, prefix);
		json_key(j, "type");
		json_string(j, type);
		json_key(j, rt == KHTTP_ROUTE_STATIC ? "dir" : "pool");
		json_string(j, target);
		if (cache >= 0) {
			json_key(j, "cache");
			json_bool(j, cache);
		}
		if (bps) {
			json_key(j, "max_bandwidth");
			json_uint(j, bps);
		}
		if (reachable >= 0) {
			json_key(j, "reachable");
			json_bool(j, reachable);
		}
		json_end_object(j);
	} else {
		printf("%s %s %s%s%s%s\n", prefix, type, target,
		       cache == 0 ? " cache off" : "", bw, reachable == 0 ?
		       " (unreachable: no listen entry)" : "");
	}
	return 0;
}

static int cmd_route_list(struct ctx *c, int argc, char **argv)
{
	struct json j;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	if ((ret = connect_family(c)))
		return ret;
	json_init(&j, stdout);
	if (c->json)
		json_begin_array(&j);
	ret = req_run(c, req_new(c, KHTTP_CMD_ROUTE_GET, true),
		      route_reply, &j);
	if (c->json)
		json_end_array(&j);
	return ret;
}

/* ---- pool ---------------------------------------------------------- */

struct pool_opts {
	bool have_qlen, have_verb, have_tmo, have_uid, have_gid, have_mode;
	bool have_rf, have_rf_sec, have_state;
	uint32_t qlen, tmo, uid, gid, rf_count, rf_sec;
	uint16_t mode;
	uint8_t verb, state;
};

/* USER or GROUP by name or number. */
static int parse_id(struct ctx *c, const char *what, const char *s,
		    uint32_t *out)
{
	uint64_t v;
	struct passwd *pw;
	struct group *gr;

	if (!httpctl_parse_uint(s, 0, UINT32_MAX - 1, &v)) {
		*out = (uint32_t)v;
		return 0;
	}
	errno = 0;
	if (!strcmp(what, "owner")) {
		pw = getpwnam(s);
		if (pw) {
			*out = (uint32_t)pw->pw_uid;
			return 0;
		}
	} else {
		gr = getgrnam(s);
		if (gr) {
			*out = (uint32_t)gr->gr_gid;
			return 0;
		}
	}
	return usage_err(c, "%s: %s: no such %s \"%s\"", c->cmdname, what,
			 strcmp(what, "owner") ? "group" : "user", s);
}

/* The options after NAME, for pool add (@set false) and pool set. */
static int pool_opts_parse(struct ctx *c, int argc, char **argv, bool set,
			   struct pool_opts *o)
{
	static const char *const keys[] = {
		"queue-length", "verbosity", "queue-timeout", "owner", "group",
		"mode", "rapid-fail", "state",
	};
	bool *have[] = { &o->have_qlen, &o->have_verb, &o->have_tmo,
			 &o->have_uid, &o->have_gid, &o->have_mode,
			 &o->have_rf, &o->have_state };
	const char *k, *v;
	uint64_t n;
	size_t i;
	int ret, e;

	memset(o, 0, sizeof(*o));
	for (; argc > 0; argc -= 2, argv += 2) {
		k = argv[0];
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(k, keys[i]))
				break;
		if (i == sizeof(keys) / sizeof(keys[0]) ||
		    (!set && !strcmp(k, "state")))
			return usage_err(c, "%s: unknown option \"%s\"",
					 c->cmdname, k);
		if (*have[i])
			return usage_err(c, "%s: %s given twice", c->cmdname, k);
		if (argc < 2)
			return usage_err(c, "%s: missing value after %s",
					 c->cmdname, k);
		v = argv[1];
		*have[i] = true;
		switch (i) {
		case 0:
		case 2:
			if (httpctl_parse_uint(v, 0, UINT32_MAX, &n))
				return usage_err(c, "%s: %s: \"%s\" is not a "
						 "number", c->cmdname, k, v);
			*(i ? &o->tmo : &o->qlen) = (uint32_t)n;
			break;
		case 1:
			e = httpctl_verbosity_parse(v);
			if (!e)
				return usage_err(c, "%s: verbosity: \"%s\" is "
						 "not basic, limited or full",
						 c->cmdname, v);
			o->verb = (uint8_t)e;
			break;
		case 3:
		case 4:
			ret = parse_id(c, k, v, i == 3 ? &o->uid : &o->gid);
			if (ret)
				return ret;
			break;
		case 5:
			if (httpctl_parse_mode(v, &o->mode))
				return usage_err(c, "%s: mode: \"%s\" is not "
						 "octal permission bits (at "
						 "most 0777)", c->cmdname, v);
			break;
		case 6:
			if (httpctl_parse_rapid_fail(v, &o->rf_count,
						     &o->rf_sec,
						     &o->have_rf_sec))
				return usage_err(c, "%s: rapid-fail: \"%s\" is "
						 "not COUNT/SECONDS or off",
						 c->cmdname, v);
			break;
		case 7:
			e = httpctl_pool_state_parse(v);
			if (!e)
				return usage_err(c, "%s: state: \"%s\" is not "
						 "active or inactive",
						 c->cmdname, v);
			o->state = (uint8_t)e;
			break;
		}
	}
	return 0;
}

static int pool_opts_put(struct nl_msg *msg, const struct pool_opts *o)
{
	return (o->have_qlen &&
		nla_put_u32(msg, KHTTP_A_POOL_QUEUE_LENGTH, o->qlen) < 0) ||
	       (o->have_verb &&
		nla_put_u8(msg, KHTTP_A_POOL_VERBOSITY, o->verb) < 0) ||
	       (o->have_tmo &&
		nla_put_u32(msg, KHTTP_A_POOL_QUEUE_TIMEOUT_MS, o->tmo) < 0) ||
	       (o->have_uid && nla_put_u32(msg, KHTTP_A_POOL_UID, o->uid) < 0) ||
	       (o->have_gid && nla_put_u32(msg, KHTTP_A_POOL_GID, o->gid) < 0) ||
	       (o->have_mode &&
		nla_put_u16(msg, KHTTP_A_POOL_MODE, o->mode) < 0) ||
	       (o->have_rf &&
		nla_put_u32(msg, KHTTP_A_POOL_RAPID_FAIL_COUNT,
			    o->rf_count) < 0) ||
	       (o->have_rf_sec &&
		nla_put_u32(msg, KHTTP_A_POOL_RAPID_FAIL_SECONDS,
			    o->rf_sec) < 0) ||
	       (o->have_state &&
		nla_put_u8(msg, KHTTP_A_POOL_STATE, o->state) < 0) ? -1 : 0;
}

static int pool_change(struct ctx *c, int argc, char **argv, bool set)
{
	struct pool_opts o;
	struct nl_msg *msg;
	int ret;

	if (argc < 1)
		return usage_err(c, "%s: missing NAME", c->cmdname);
	if ((ret = check_len(c, "pool name", argv[0], KHTTP_POOL_NAME_MAX)))
		return ret;
	if ((ret = pool_opts_parse(c, argc - 1, argv + 1, set, &o)))
		return ret;
	if (set && argc == 1)
		return usage_err(c, "%s: nothing to change", c->cmdname);
	msg = req_new(c, set ? KHTTP_CMD_POOL_SET : KHTTP_CMD_POOL_ADD, false);
	if (msg && (nla_put_string(msg, KHTTP_A_POOL_NAME, argv[0]) < 0 ||
		    pool_opts_put(msg, &o))) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	return req_run(c, msg, NULL, NULL);
}

static int cmd_pool_add(struct ctx *c, int argc, char **argv)
{
	return pool_change(c, argc, argv, false);
}

static int cmd_pool_set(struct ctx *c, int argc, char **argv)
{
	return pool_change(c, argc, argv, true);
}

static int cmd_pool_del(struct ctx *c, int argc, char **argv)
{
	struct nl_msg *msg;
	bool force = false;
	int ret;

	if (argc < 1)
		return usage_err(c, "%s: missing NAME", c->cmdname);
	if (argc > 1 && !strcmp(argv[1], "force"))
		force = true;
	if (argc > (force ? 2 : 1))
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[force ? 2 : 1]);
	if ((ret = check_len(c, "pool name", argv[0], KHTTP_POOL_NAME_MAX)))
		return ret;
	msg = req_new(c, KHTTP_CMD_POOL_DEL, false);
	if (msg && (nla_put_string(msg, KHTTP_A_POOL_NAME, argv[0]) < 0 ||
		    (force && nla_put_flag(msg, KHTTP_A_FORCE) < 0))) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	return req_run(c, msg, NULL, NULL);
}

struct pool_stats {
	bool have[KHTTP_PSTAT_MAX + 1];
	uint64_t val[KHTTP_PSTAT_MAX + 1];
};

static int pool_stats_parse(struct nlattr *nest, struct pool_stats *s)
{
	return counters_parse(nest, KHTTP_PSTAT_MAX, KHTTP_PSTAT_PAD, s->have,
			      s->val);
}

/* JSON: an object; text: "  queued N delivered N ..." on one line. */
static void pool_stats_print(struct ctx *c, struct json *j,
			     const struct pool_stats *s, bool one_line)
{
	const char *name;
	char buf[32];
	bool first = true;
	int i;

	if (c->json)
		json_begin_object(j);
	for (i = 1; i <= KHTTP_PSTAT_MAX; i++) {
		if (!s->have[i])
			continue;
		name = httpctl_pool_stat_name((unsigned int)i);
		if (!name) {
			snprintf(buf, sizeof(buf), "stat_%d", i);
			name = buf;
		}
		if (c->json) {
			json_key(j, name);
			json_uint(j, s->val[i]);
		} else if (one_line) {
			printf("%s%s %llu", first ? "  " : " ", name,
			       (unsigned long long)s->val[i]);
		} else {
			printf("  %s %llu\n", name,
			       (unsigned long long)s->val[i]);
		}
		first = false;
	}
	if (c->json)
		json_end_object(j);
	else if (one_line && !first)
		putchar('\n');
}

struct pool_walk {
	struct json j;
	bool stats;	/* httpctl stats: name and counters only */
};

static uint32_t get_u32(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u32(tb[a]) : 0;
}

static void json_u(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_uint(j, v);
}

static const char *name_or(const char *name, char *buf, size_t len,
			   unsigned int v)
{
	if (name)
		return name;
	snprintf(buf, len, "%u", v);
	return buf;
}

static int pool_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct pool_walk *w = arg;
	struct json *j = &w->j;
	struct pool_stats s;
	const char *name, *state, *verb;
	char sbuf[16], vbuf[16], rf[32];
	uint8_t st, vb;
	uint32_t rfc, rfs;

	if (!tb[KHTTP_A_POOL_NAME] ||
	    pool_stats_parse(tb[KHTTP_A_POOL_STATS], &s))
		return -1;
	name = nla_get_string(tb[KHTTP_A_POOL_NAME]);
	if (w->stats) {
		/* The high-water mark, a gauge, next to the counters. */
		if (c->json) {
			json_begin_object(j);
			json_key(j, "name");
			json_string(j, name);
			json_u(j, "queued_max",
			       get_u32(tb, KHTTP_A_POOL_QUEUED_MAX));
			json_key(j, "stats");
			pool_stats_print(c, j, &s, false);
			json_end_object(j);
		} else {
			printf("pool %s\n", name);
			pool_stats_print(c, j, &s, false);
			printf("  queued_max %u\n",
			       get_u32(tb, KHTTP_A_POOL_QUEUED_MAX));
		}
		return 0;
	}
	st = tb[KHTTP_A_POOL_STATE] ? nla_get_u8(tb[KHTTP_A_POOL_STATE]) : 0;
	vb = tb[KHTTP_A_POOL_VERBOSITY] ?
	     nla_get_u8(tb[KHTTP_A_POOL_VERBOSITY]) : 0;
	state = name_or(httpctl_pool_state_name(st), sbuf, sizeof(sbuf), st);
	verb = name_or(httpctl_verbosity_name(vb), vbuf, sizeof(vbuf), vb);
	rfc = get_u32(tb, KHTTP_A_POOL_RAPID_FAIL_COUNT);
	rfs = get_u32(tb, KHTTP_A_POOL_RAPID_FAIL_SECONDS);
	if (c->json) {
		json_begin_object(j);
		json_key(j, "name");
		json_string(j, name);
		json_key(j, "state");
		json_string(j, state);
		json_u(j, "queue_length", get_u32(tb, KHTTP_A_POOL_QUEUE_LENGTH));
		json_u(j, "queued", get_u32(tb, KHTTP_A_POOL_QUEUED));
		json_u(j, "in_hand", get_u32(tb, KHTTP_A_POOL_IN_HAND));
		json_u(j, "readers", get_u32(tb, KHTTP_A_POOL_READERS));
		json_u(j, "queued_max", get_u32(tb, KHTTP_A_POOL_QUEUED_MAX));
		json_key(j, "verbosity");
		json_string(j, verb);
		json_u(j, "queue_timeout_ms",
		       get_u32(tb, KHTTP_A_POOL_QUEUE_TIMEOUT_MS));
		json_u(j, "rapid_fail_count", rfc);
		json_u(j, "rapid_fail_seconds", rfs);
		json_u(j, "uid", get_u32(tb, KHTTP_A_POOL_UID));
		json_u(j, "gid", get_u32(tb, KHTTP_A_POOL_GID));
		json_u(j, "mode", tb[KHTTP_A_POOL_MODE] ?
		       nla_get_u16(tb[KHTTP_A_POOL_MODE]) : 0);
		json_key(j, "stats");
		pool_stats_print(c, j, &s, false);
		json_end_object(j);
		return 0;
	}
	if (rfc)
		snprintf(rf, sizeof(rf), "%u/%u", rfc, rfs);
	else
		snprintf(rf, sizeof(rf), "off");
	printf("%s state %s queue-length %u queued %u in-hand %u readers %u "
	       "queued-max %u verbosity %s queue-timeout %u rapid-fail %s "
	       "owner %u group %u mode %04o\n", name, state,
	       get_u32(tb, KHTTP_A_POOL_QUEUE_LENGTH),
	       get_u32(tb, KHTTP_A_POOL_QUEUED),
	       get_u32(tb, KHTTP_A_POOL_IN_HAND),
	       get_u32(tb, KHTTP_A_POOL_READERS),
	       get_u32(tb, KHTTP_A_POOL_QUEUED_MAX), verb,
	       get_u32(tb, KHTTP_A_POOL_QUEUE_TIMEOUT_MS), rf,
	       get_u32(tb, KHTTP_A_POOL_UID), get_u32(tb, KHTTP_A_POOL_GID),
	       tb[KHTTP_A_POOL_MODE] ?
	       (unsigned int)nla_get_u16(tb[KHTTP_A_POOL_MODE]) : 0U);
	pool_stats_print(c, j, &s, true);
	return 0;
}

static int pool_dump(struct ctx *c, struct pool_walk *w)
{
	int ret;

	if ((ret = connect_family(c)))
		return ret;
	if (c->json)
		json_begin_array(&w->j);
	ret = req_run(c, req_new(c, KHTTP_CMD_POOL_GET, true), pool_reply, w);
	if (c->json)
		json_end_array(&w->j);
	return ret;
}

static int cmd_pool_list(struct ctx *c, int argc, char **argv)
{
	struct pool_walk w = { .stats = false };
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	json_init(&w.j, stdout);
	return pool_dump(c, &w);
}

/* ---- set / show config --------------------------------------------- */

static const struct tunable {
	const char *name;	/* keyword in `set` */
	const char *json;	/* key in `show config -j` */
	int attr;
	bool u64;
	bool bytes;		/* takes K/M/G/T suffixes */
} tunables[] = {
	{ "max-conns",        "max_conns",         KHTTP_A_MAX_CONNS,         false, false },
	{ "max-header-bytes", "max_header_bytes",  KHTTP_A_MAX_HEADER_BYTES,  false, true },
	{ "max-body-bytes",   "max_body_bytes",    KHTTP_A_MAX_BODY_BYTES,    true,  true },
	{ "header-timeout",   "header_timeout_ms", KHTTP_A_HEADER_TIMEOUT_MS, false, false },
	{ "idle-timeout",     "idle_timeout_ms",   KHTTP_A_IDLE_TIMEOUT_MS,   false, false },
	{ "cache-max-bytes",  "cache_max_bytes",   KHTTP_A_CACHE_MAX_BYTES,   true,  true },
	{ "cache-entry-max",  "cache_entry_max",   KHTTP_A_CACHE_ENTRY_MAX,   false, true },
	{ "max-conns-per-client", "max_conns_per_client", KHTTP_A_MAX_CONNS_PER_CLIENT, false, false },
	{ "max-conns-per-prefix", "max_conns_per_prefix", KHTTP_A_MAX_CONNS_PER_PREFIX, false, false },
	{ "min-send-rate",    "min_send_rate",     KHTTP_A_MIN_SEND_RATE,     false, true },
};
#define N_TUNABLES (sizeof(tunables) / sizeof(tunables[0]))

static int cmd_set(struct ctx *c, int argc, char **argv)
{
	bool given[N_TUNABLES] = { false };
	uint64_t val[N_TUNABLES], max;
	struct nl_msg *msg;
	size_t t;
	int i;

	if (argc == 0)
		return usage_err(c, "set: nothing to set");
	for (i = 0; i < argc; i += 2) {
		for (t = 0; t < N_TUNABLES; t++)
			if (!strcmp(argv[i], tunables[t].name))
				break;
		if (t == N_TUNABLES)
			return usage_err(c, "set: unknown setting \"%s\"",
					 argv[i]);
		if (given[t])
			return usage_err(c, "set: %s given twice", argv[i]);
		if (i + 1 >= argc)
			return usage_err(c, "set: missing value after %s",
					 argv[i]);
		/* Syntax here; the kernel's policy checks the ranges. */
		max = tunables[t].u64 ? UINT64_MAX : UINT32_MAX;
		if (tunables[t].bytes ?
		    httpctl_parse_size(argv[i + 1], max, &val[t]) :
		    httpctl_parse_uint(argv[i + 1], 0, max, &val[t]))
			return usage_err(c, "set: %s: \"%s\" is not a %s-bit "
					 "unsigned number%s", argv[i],
					 argv[i + 1],
					 tunables[t].u64 ? "64" : "32",
					 tunables[t].bytes ? " (suffixes K, "
					 "M, G, T allowed)" : "");
		given[t] = true;
	}

	msg = req_new(c, KHTTP_CMD_CONFIG_SET, false);
	for (t = 0; msg && t < N_TUNABLES; t++) {
		int attr = tunables[t].attr;

		if (!given[t])
			continue;
		if ((tunables[t].u64 ? nla_put_u64(msg, attr, val[t]) :
		     nla_put_u32(msg, attr, (uint32_t)val[t])) < 0) {
			nlmsg_free(msg);
			return err(c, "out of memory");
		}
	}
	return req_run(c, msg, NULL, NULL);
}

struct config {
	bool have[N_TUNABLES];
	uint64_t val[N_TUNABLES];
};

static int config_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct config *cf = arg;
	size_t t;

	(void)c;
	for (t = 0; t < N_TUNABLES; t++) {
		struct nlattr *a = tb[tunables[t].attr];

		if (!a)
			continue;
		cf->have[t] = true;
		cf->val[t] = tunables[t].u64 ? nla_get_u64(a) : nla_get_u32(a);
	}
	return 0;
}

static int cmd_show_config(struct ctx *c, int argc, char **argv)
{
	struct config cf;
	struct json j;
	size_t t;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	memset(&cf, 0, sizeof(cf));
	ret = req_run(c, req_new(c, KHTTP_CMD_CONFIG_GET, false),
		      config_reply, &cf);
	if (ret)
		return ret;
	json_init(&j, stdout);
	if (c->json)
		json_begin_object(&j);
	else
		fputs("set", stdout);	/* pastes back into a batch file */
	for (t = 0; t < N_TUNABLES; t++) {
		if (!cf.have[t])
			continue;
		if (c->json) {
			json_key(&j, tunables[t].json);
			json_uint(&j, cf.val[t]);
		} else {
			printf(" %s %llu", tunables[t].name,
			       (unsigned long long)cf.val[t]);
		}
	}
	if (c->json)
		json_end_object(&j);
	else
		putchar('\n');
	return EXIT_OK;
}

/* ---- stats --------------------------------------------------------- */

static int stats_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	(void)c;
	return stats_parse(tb[KHTTP_A_STATS], arg);
}

static int cmd_prometheus(struct ctx *c);

static int cmd_stats(struct ctx *c, int argc, char **argv)
{
	struct listen_walk w = { .stats = true };
	struct pool_walk pw = { .stats = true };
	struct stats s;
	int ret;

	if (argc == 1 && (!strcmp(argv[0], "--prometheus") ||
			  !strcmp(argv[0], "-p")))
		return cmd_prometheus(c);
	if ((ret = no_args(c, argc, argv)))
		return ret;
	memset(&s, 0, sizeof(s));
	ret = req_run(c, req_new(c, KHTTP_CMD_STATS_GET, false),
		      stats_reply, &s);
	if (ret)
		return ret;
	json_init(&w.j, stdout);
	if (c->json) {
		json_begin_object(&w.j);
		json_key(&w.j, "global");
	}
	stats_print(c, &w.j, &s, "");
	if (c->json)
		json_key(&w.j, "listen");
	ret = listen_dump(c, &w);
	if (!ret) {
		/* the same writer, so the "pools" key joins the object */
		pw.j = w.j;
		if (c->json)
			json_key(&pw.j, "pools");
		ret = pool_dump(c, &pw);
		w.j = pw.j;
	}
	if (c->json)
		json_end_object(&w.j);
	return ret;
}

/* ---- cache --------------------------------------------------------- */

static int cache_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct json *j = arg;
	const char *key, *file;
	char age[32], ttl[32];
	unsigned int status;
	uint32_t size, age_ms, ttl_ms;
	uint64_t hits;

	if (!tb[KHTTP_A_CACHE_KEY])
		return -1;
	key = nla_get_string(tb[KHTTP_A_CACHE_KEY]);
	status = tb[KHTTP_A_CACHE_STATUS] ?
		 nla_get_u16(tb[KHTTP_A_CACHE_STATUS]) : 0;
	size = get_u32(tb, KHTTP_A_CACHE_SIZE);
	hits = tb[KHTTP_A_CACHE_HITS] ? nla_get_u64(tb[KHTTP_A_CACHE_HITS]) : 0;
	age_ms = get_u32(tb, KHTTP_A_CACHE_AGE_MS);
	ttl_ms = get_u32(tb, KHTTP_A_CACHE_TTL_MS);
	/* A static file has no TTL: it is checked against the file. */
	file = tb[KHTTP_A_CACHE_FILE] ?
	       nla_get_string(tb[KHTTP_A_CACHE_FILE]) : NULL;
	if (c->json) {
		json_begin_object(j);
		json_key(j, "key");
		json_string(j, key);
		json_u(j, "status", status);
		json_u(j, "size", size);
		json_u(j, "hits", hits);
		json_u(j, "age_ms", age_ms);
		if (tb[KHTTP_A_CACHE_TTL_MS])
			json_u(j, "ttl_ms", ttl_ms);
		if (file) {
			json_key(j, "file");
			json_string(j, file);
		}
		json_end_object(j);
	} else {
		printf("%s status %u size %u hits %llu age %s ttl %s", key,
		       status, size, (unsigned long long)hits,
		       httpctl_format_ms(age_ms, age, sizeof(age)),
		       tb[KHTTP_A_CACHE_TTL_MS] ?
		       httpctl_format_ms(ttl_ms, ttl, sizeof(ttl)) : "-");
		if (file)
			printf(" file %s", file);
		putchar('\n');
	}
	return 0;
}

static int cmd_cache_list(struct ctx *c, int argc, char **argv)
{
	struct json j;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	if ((ret = connect_family(c)))
		return ret;
	json_init(&j, stdout);
	if (c->json)
		json_begin_array(&j);
	ret = req_run(c, req_new(c, KHTTP_CMD_CACHE_GET, true),
		      cache_reply, &j);
	if (c->json)
		json_end_array(&j);
	return ret;
}

struct flushed {
	bool have;
	uint32_t n;
};

static int flush_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct flushed *f = arg;

	(void)c;
	if (!tb[KHTTP_A_FLUSHED])
		return -1;
	f->have = true;
	f->n = nla_get_u32(tb[KHTTP_A_FLUSHED]);
	return 0;
}

static int cmd_cache_flush(struct ctx *c, int argc, char **argv)
{
	struct flushed f = { .have = false };
	struct nl_msg *msg;
	struct json j;
	int ret;

	if (argc > 1)
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[1]);
	if (argc && (ret = check_len(c, "prefix", argv[0], KHTTP_PREFIX_MAX)))
		return ret;
	msg = req_new(c, KHTTP_CMD_CACHE_FLUSH, false);
	if (msg && argc && nla_put_string(msg, KHTTP_A_PREFIX, argv[0]) < 0) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	ret = req_run(c, msg, flush_reply, &f);
	if (ret || c->dry_run)
		return ret;
	if (!f.have)
		return err(c, "%s: no count in the kernel's reply "
			   "(httpctl and khttp versions differ?)", c->cmdname);
	if (c->json) {
		json_init(&j, stdout);
		json_begin_object(&j);
		json_u(&j, "flushed", f.n);
		json_end_object(&j);
	} else {
		printf("flushed %u\n", f.n);
	}
	return EXIT_OK;
}

/* ---- the running configuration (show, batch rollback, metrics) ----- */

struct r_listen {
	struct khttp_addr a;
	struct stats s;
};

struct r_route {
	char *prefix, *target;
	uint8_t type;
	int cache;		/* -1: not a pool route */
	int reachable;		/* -1: not reported */
	uint64_t max_bps;
};

struct r_pool {
	char name[KHTTP_POOL_NAME_MAX];
	uint8_t state, verb;
	uint16_t mode;
	uint32_t qlen, tmo, uid, gid, rfc, rfs, queued, in_hand, readers;
	uint32_t queued_max;
	struct pool_stats s;
};

struct running {
	struct config cf;
	struct stats gs;
	struct r_listen *listen;
	struct r_route *routes;
	struct r_pool *pools;
	size_t nlisten, nroutes, npools;
	bool oom;
};

/*
 * Append a zeroed element to the array @arr of @n elements of @size
 * bytes: the new array (@arr itself is then gone), or NULL (@arr kept).
 */
static void *grow(void *arr, size_t n, size_t size)
{
	char *p = realloc(arr, (n + 1) * size);

	if (p)
		memset(p + n * size, 0, size);
	return p;
}

#define GROW(arr, n) ({						\
	__typeof__(arr) _g = grow((arr), (n), sizeof(*(arr)));	\
	_g ? ((arr) = _g, &(arr)[(n)++]) : NULL; })

static int run_listen_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct running *r = arg;
	struct r_listen *l;

	(void)c;
	if (!tb[KHTTP_A_ADDR])
		return -1;
	l = GROW(r->listen, r->nlisten);
	if (!l) {
		r->oom = true;
		return -1;
	}
	memcpy(&l->a, nla_data(tb[KHTTP_A_ADDR]), sizeof(l->a));
	return stats_parse(tb[KHTTP_A_STATS], &l->s);
}

static int run_route_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct running *r = arg;
	struct r_route *rt;
	uint8_t type;
	int t;

	(void)c;
	if (!tb[KHTTP_A_PREFIX] || !tb[KHTTP_A_ROUTE_TYPE])
		return -1;
	type = nla_get_u8(tb[KHTTP_A_ROUTE_TYPE]);
	t = type == KHTTP_ROUTE_STATIC ? KHTTP_A_DIR : KHTTP_A_POOL_NAME;
	if ((type != KHTTP_ROUTE_STATIC && type != KHTTP_ROUTE_POOL) || !tb[t])
		return -1;
	rt = GROW(r->routes, r->nroutes);
	if (!rt || !(rt->prefix = strdup(nla_get_string(tb[KHTTP_A_PREFIX]))) ||
	    !(rt->target = strdup(nla_get_string(tb[t])))) {
		r->oom = true;
		return -1;
	}
	rt->type = type;
	rt->cache = type != KHTTP_ROUTE_POOL ? -1 :
		    !tb[KHTTP_A_ROUTE_CACHE] ||
		    nla_get_u8(tb[KHTTP_A_ROUTE_CACHE]);
	rt->reachable = tb[KHTTP_A_REACHABLE] ?
			nla_get_u8(tb[KHTTP_A_REACHABLE]) != 0 : -1;
	rt->max_bps = tb[KHTTP_A_ROUTE_MAX_BPS] ?
		      nla_get_u64(tb[KHTTP_A_ROUTE_MAX_BPS]) : 0;
	return 0;
}

static int run_pool_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct running *r = arg;
	struct r_pool *p;

	(void)c;
	if (!tb[KHTTP_A_POOL_NAME])
		return -1;
	p = GROW(r->pools, r->npools);
	if (!p) {
		r->oom = true;
		return -1;
	}
	snprintf(p->name, sizeof(p->name), "%s",
		 nla_get_string(tb[KHTTP_A_POOL_NAME]));
	p->state = tb[KHTTP_A_POOL_STATE] ?
		   nla_get_u8(tb[KHTTP_A_POOL_STATE]) : 0;
	p->verb = tb[KHTTP_A_POOL_VERBOSITY] ?
		  nla_get_u8(tb[KHTTP_A_POOL_VERBOSITY]) : 0;
	p->mode = tb[KHTTP_A_POOL_MODE] ? nla_get_u16(tb[KHTTP_A_POOL_MODE]) : 0;
	p->qlen = get_u32(tb, KHTTP_A_POOL_QUEUE_LENGTH);
	p->tmo = get_u32(tb, KHTTP_A_POOL_QUEUE_TIMEOUT_MS);
	p->uid = get_u32(tb, KHTTP_A_POOL_UID);
	p->gid = get_u32(tb, KHTTP_A_POOL_GID);
	p->rfc = get_u32(tb, KHTTP_A_POOL_RAPID_FAIL_COUNT);
	p->rfs = get_u32(tb, KHTTP_A_POOL_RAPID_FAIL_SECONDS);
	p->queued = get_u32(tb, KHTTP_A_POOL_QUEUED);
	p->in_hand = get_u32(tb, KHTTP_A_POOL_IN_HAND);
	p->readers = get_u32(tb, KHTTP_A_POOL_READERS);
	p->queued_max = get_u32(tb, KHTTP_A_POOL_QUEUED_MAX);
	return pool_stats_parse(tb[KHTTP_A_POOL_STATS], &p->s);
}

static void running_free(struct running *r)
{
	size_t i;

	for (i = 0; i < r->nroutes; i++) {
		free(r->routes[i].prefix);
		free(r->routes[i].target);
	}
	free(r->listen);
	free(r->routes);
	free(r->pools);
	memset(r, 0, sizeof(*r));
}

/* Read everything (and the global counters if @stats) into @r. */
static int running_read(struct ctx *c, struct running *r, bool stats)
{
	int ret;

	running_free(r);
	if ((ret = connect_family(c)) ||
	    (ret = req_run(c, req_new(c, KHTTP_CMD_CONFIG_GET, false),
			   config_reply, &r->cf)) ||
	    (stats && (ret = req_run(c, req_new(c, KHTTP_CMD_STATS_GET, false),
				     stats_reply, &r->gs))) ||
	    (ret = req_run(c, req_new(c, KHTTP_CMD_POOL_GET, true),
			   run_pool_reply, r)) ||
	    (ret = req_run(c, req_new(c, KHTTP_CMD_LISTEN_GET, true),
			   run_listen_reply, r)) ||
	    (ret = req_run(c, req_new(c, KHTTP_CMD_ROUTE_GET, true),
			   run_route_reply, r)))
		return r->oom ? err(c, "out of memory") : ret;
	return EXIT_OK;
}

/* ---- show: the running configuration as a batch file --------------- */

static const char *user_name(uint32_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid((uid_t)uid);

	if (pw && !strchr(pw->pw_name, ' '))
		return pw->pw_name;
	snprintf(buf, len, "%u", uid);
	return buf;
}

static const char *group_name(uint32_t gid, char *buf, size_t len)
{
	struct group *gr = getgrgid((gid_t)gid);

	if (gr && !strchr(gr->gr_name, ' '))
		return gr->gr_name;
	snprintf(buf, len, "%u", gid);
	return buf;
}

/* "pool add NAME ..." with every setting, no newline. */
static void show_pool_add(FILE *f, const struct r_pool *p)
{
	const char *v = httpctl_verbosity_name(p->verb);
	char ub[16], gb[16];

	fputs("pool add ", f);
	httpctl_batch_word(f, p->name);
	fprintf(f, " queue-length %u", p->qlen);
	if (v)
		fprintf(f, " verbosity %s", v);
	fprintf(f, " queue-timeout %u owner %s group %s mode %04o", p->tmo,
		user_name(p->uid, ub, sizeof(ub)),
		group_name(p->gid, gb, sizeof(gb)), p->mode);
	if (p->rfc)
		fprintf(f, " rapid-fail %u/%u", p->rfc, p->rfs);
	else
		fputs(" rapid-fail off", f);
}

/* "route add PREFIX ...", no newline. */
static void show_route_add(FILE *f, const struct r_route *rt)
{
	fputs("route add ", f);
	httpctl_batch_word(f, rt->prefix);
	fputs(rt->type == KHTTP_ROUTE_STATIC ? " static " : " pool ", f);
	httpctl_batch_word(f, rt->target);
	if (rt->cache == 0)
		fputs(" cache off", f);
	if (rt->max_bps)
		fprintf(f, " max-bandwidth %llu",
			(unsigned long long)rt->max_bps);
}

static void show_text(FILE *f, const struct running *r)
{
	char buf[HTTPCTL_ADDRSTRLEN];
	size_t i, t;

	fprintf(f, "# khttp running configuration (httpctl %s show); "
		"apply with: httpctl -b FILE\n", KHTTP_VERSION_STRING);
	fputs("set", f);
	for (t = 0; t < N_TUNABLES; t++)
		if (r->cf.have[t])
			fprintf(f, " %s %llu", tunables[t].name,
				(unsigned long long)r->cf.val[t]);
	fputc('\n', f);
	for (i = 0; i < r->npools; i++) {
		show_pool_add(f, &r->pools[i]);
		fputc('\n', f);
		if (r->pools[i].state == KHTTP_POOL_INACTIVE) {
			fputs("pool set ", f);
			httpctl_batch_word(f, r->pools[i].name);
			fputs(" state inactive\n", f);
		} else if (r->pools[i].state == KHTTP_POOL_FAILED) {
			fprintf(f, "# pool %s has failed (rapid-fail "
				"protection); it starts active\n",
				r->pools[i].name);
		}
	}
	for (i = 0; i < r->nlisten; i++)
		fprintf(f, "iplisten add %s\n",
			httpctl_addr_format(&r->listen[i].a, buf, sizeof(buf)));
	for (i = 0; i < r->nroutes; i++) {
		show_route_add(f, &r->routes[i]);
		fputc('\n', f);
	}
}

static void show_json(const struct running *r)
{
	char buf[HTTPCTL_ADDRSTRLEN];
	const struct r_pool *p;
	const struct r_route *rt;
	struct json j;
	size_t i, t;

	json_init(&j, stdout);
	json_begin_object(&j);
	json_key(&j, "config");
	json_begin_object(&j);
	for (t = 0; t < N_TUNABLES; t++)
		if (r->cf.have[t])
			json_u(&j, tunables[t].json, r->cf.val[t]);
	json_end_object(&j);
	json_key(&j, "pools");
	json_begin_array(&j);
	for (i = 0; i < r->npools; i++) {
		p = &r->pools[i];
		json_begin_object(&j);
		json_key(&j, "name");
		json_string(&j, p->name);
		if (httpctl_pool_state_name(p->state)) {
			json_key(&j, "state");
			json_string(&j, httpctl_pool_state_name(p->state));
		}
		json_u(&j, "queue_length", p->qlen);
		if (httpctl_verbosity_name(p->verb)) {
			json_key(&j, "verbosity");
			json_string(&j, httpctl_verbosity_name(p->verb));
		}
		json_u(&j, "queue_timeout_ms", p->tmo);
		json_u(&j, "rapid_fail_count", p->rfc);
		json_u(&j, "rapid_fail_seconds", p->rfs);
		json_u(&j, "uid", p->uid);
		json_u(&j, "gid", p->gid);
		json_u(&j, "mode", p->mode);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_key(&j, "listen");
	json_begin_array(&j);
	for (i = 0; i < r->nlisten; i++)
		json_string(&j, httpctl_addr_format(&r->listen[i].a, buf,
						     sizeof(buf)));
	json_end_array(&j);
	json_key(&j, "routes");
	json_begin_array(&j);
	for (i = 0; i < r->nroutes; i++) {
		rt = &r->routes[i];
		json_begin_object(&j);
		json_key(&j, "prefix");
		json_string(&j, rt->prefix);
		json_key(&j, "type");
		json_string(&j, rt->type == KHTTP_ROUTE_STATIC ? "static" :
			    "pool");
		json_key(&j, rt->type == KHTTP_ROUTE_STATIC ? "dir" : "pool");
		json_string(&j, rt->target);
		if (rt->cache >= 0) {
			json_key(&j, "cache");
			json_bool(&j, rt->cache);
		}
		if (rt->max_bps)
			json_u(&j, "max_bandwidth", rt->max_bps);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
}

static int cmd_show(struct ctx *c, int argc, char **argv)
{
	struct running r;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	memset(&r, 0, sizeof(r));
	ret = running_read(c, &r, false);
	if (!ret) {
		if (c->json)
			show_json(&r);
		else
			show_text(stdout, &r);
	}
	running_free(&r);
	return ret;
}

/* ---- stats --prometheus -------------------------------------------- */

static const struct prom_metric {
	int stat;		/* enum khttp_stat */
	const char *name;	/* after "khttp_" (and "listen_") */
	bool gauge;
	const char *help;
} prom_metrics[] = {
	{ KHTTP_STAT_CONN_ACCEPTED, "connections_accepted_total", false,
	  "Connections accepted." },
	{ KHTTP_STAT_CONN_ACTIVE, "connections_active", true,
	  "Connections open now." },
	{ KHTTP_STAT_CONN_REFUSED, "connections_refused_total", false,
	  "Connections refused over max-conns (503)." },
	{ KHTTP_STAT_CLIENT_REFUSED, "connections_client_refused_total", false,
	  "Connections refused over a per-client or per-prefix limit." },
	{ KHTTP_STAT_CONN_TIMEOUT, "connections_timed_out_total", false,
	  "Connections closed by the header-wait or idle timeout." },
	{ KHTTP_STAT_SLOW_CLOSED, "connections_slow_closed_total", false,
	  "Connections closed for reading slower than min-send-rate." },
	{ KHTTP_STAT_REQUESTS, "requests_total", false,
	  "Requests received." },
	{ KHTTP_STAT_RESP_1XX, "responses_total", false,
	  "Responses sent, by status class." },
	{ KHTTP_STAT_THROTTLED, "responses_throttled_total", false,
	  "Responses paced by a route's max-bandwidth." },
	{ KHTTP_STAT_BYTES_IN, "received_bytes_total", false,
	  "Bytes received from clients." },
	{ KHTTP_STAT_BYTES_OUT, "sent_bytes_total", false,
	  "Bytes sent to clients." },
	{ KHTTP_STAT_CACHE_HITS, "cache_hits_total", false,
	  "Requests answered from the kernel response cache." },
	{ KHTTP_STAT_CACHE_MISSES, "cache_misses_total", false,
	  "Cacheable requests the response cache could not answer." },
	{ KHTTP_STAT_CACHE_INSERTS, "cache_inserts_total", false,
	  "Responses stored in the response cache." },
	{ KHTTP_STAT_CACHE_EVICTIONS, "cache_evictions_total", false,
	  "Responses pushed out of the cache by its memory cap or reclaim." },
	{ KHTTP_STAT_CACHE_BYTES, "cache_bytes", true,
	  "Memory the response cache holds." },
	{ KHTTP_STAT_CACHE_ENTRIES, "cache_entries", true,
	  "Responses in the response cache." },
	{ KHTTP_STAT_LOG_LOST, "log_records_lost_total", false,
	  "Access log records that could not be delivered." },
};

static bool prom_is_class(int stat)
{
	return stat >= KHTTP_STAT_RESP_1XX && stat <= KHTTP_STAT_RESP_5XX;
}

static bool prom_known(int stat)
{
	size_t m;

	if (prom_is_class(stat))
		return true;
	for (m = 0; m < sizeof(prom_metrics) / sizeof(prom_metrics[0]); m++)
		if (prom_metrics[m].stat == stat)
			return true;
	return false;
}

static void prom_head(const char *name, const char *type, const char *help)
{
	printf("# HELP khttp_%s %s\n# TYPE khttp_%s %s\n", name, help, name,
	       type);
}

/* One metric, globally (@listen false) or for every listen entry. */
static void prom_stat(const struct running *r, const struct prom_metric *m,
		      bool listen)
{
	char name[96], buf[HTTPCTL_ADDRSTRLEN];
	size_t i, n = listen ? r->nlisten : 1;
	int s, first = m->stat, last = m->stat;
	bool any = false;

	if (prom_is_class(m->stat))
		last = KHTTP_STAT_RESP_5XX;
	for (i = 0; i < n && !any; i++)
		for (s = first; s <= last; s++)
			any |= (listen ? r->listen[i].s.have : r->gs.have)[s];
	if (!any)
		return;
	snprintf(name, sizeof(name), "%s%s", listen ? "listen_" : "", m->name);
	prom_head(name, m->gauge ? "gauge" : "counter", m->help);
	for (i = 0; i < n; i++) {
		const struct stats *st = listen ? &r->listen[i].s : &r->gs;

		for (s = first; s <= last; s++) {
			if (!st->have[s])
				continue;
			printf("khttp_%s", name);
			if (listen || first != last)
				putchar('{');
			if (listen) {
				fputs("listen=", stdout);
				httpctl_prom_label(stdout, httpctl_addr_format(
					&r->listen[i].a, buf, sizeof(buf)));
			}
			if (first != last)
				printf("%sclass=\"%dxx\"", listen ? "," : "",
				       s - KHTTP_STAT_RESP_1XX + 1);
			if (listen || first != last)
				putchar('}');
			printf(" %llu\n", (unsigned long long)st->val[s]);
		}
	}
}

/* Counters of enum khttp_stat this httpctl has no metric for (newer). */
static void prom_unknown(const struct running *r)
{
	const char *n;
	char name[64];
	int s;

	for (s = 1; s <= KHTTP_STAT_MAX; s++) {
		if (!r->gs.have[s] || prom_known(s))
			continue;
		n = httpctl_stat_name((unsigned int)s);
		if (n)
			snprintf(name, sizeof(name), "%s", n);
		else
			snprintf(name, sizeof(name), "stat_%d", s);
		prom_head(name, "untyped", "A khttp counter (see httpctl stats).");
		printf("khttp_%s %llu\n", name, (unsigned long long)r->gs.val[s]);
	}
}

static const struct prom_pool_metric {
	int pstat;		/* enum khttp_pool_stat, or 0 for a gauge */
	const char *name;
	const char *help;
} prom_pool_metrics[] = {
	{ KHTTP_PSTAT_QUEUED, "pool_queued_total", "Requests put on the pool's queue." },
	{ KHTTP_PSTAT_DELIVERED, "pool_delivered_total", "Requests read by a worker." },
	{ KHTTP_PSTAT_ANSWERED, "pool_answered_total", "Final responses from workers." },
	{ KHTTP_PSTAT_QUEUE_FULL, "pool_queue_full_total", "Requests refused because the queue was full." },
	{ KHTTP_PSTAT_QUEUE_TIMEOUT, "pool_queue_timeout_total", "Requests that waited past queue-timeout (503)." },
	{ KHTTP_PSTAT_UNAVAILABLE, "pool_unavailable_total", "Requests refused while the pool was inactive or failed (503)." },
	{ KHTTP_PSTAT_ABANDONED, "pool_abandoned_total", "Requests lost with a dead worker (502)." },
	{ KHTTP_PSTAT_WORKER_DEATHS, "pool_worker_deaths_total", "Worker files closed with requests in hand." },
	{ KHTTP_PSTAT_CLIENT_GONE, "pool_client_gone_total", "Clients that left before the answer." },
};

static void prom_pool_label(const struct r_pool *p)
{
	fputs("{pool=", stdout);
	httpctl_prom_label(stdout, p->name);
}

static void prom_pools(const struct running *r)
{
	static const char *const gauges[][2] = {
		{ "pool_queue_depth", "Requests waiting for a worker now." },
		{ "pool_in_hand", "Requests read by workers, not yet answered." },
		{ "pool_readers", "Open files on the pool's device." },
		{ "pool_queue_length", "The pool's queue-length setting." },
		{ "pool_queue_depth_max", "Most requests waiting at once since the pool was added." },
	};
	const struct r_pool *p;
	size_t m, i;
	uint32_t v;

	if (!r->npools)
		return;
	for (m = 0; m < sizeof(prom_pool_metrics) / sizeof(prom_pool_metrics[0]); m++) {
		prom_head(prom_pool_metrics[m].name, "counter",
			  prom_pool_metrics[m].help);
		for (i = 0; i < r->npools; i++) {
			p = &r->pools[i];
			if (!p->s.have[prom_pool_metrics[m].pstat])
				continue;
			printf("khttp_%s", prom_pool_metrics[m].name);
			prom_pool_label(p);
			printf("} %llu\n", (unsigned long long)
			       p->s.val[prom_pool_metrics[m].pstat]);
		}
	}
	for (m = 0; m < sizeof(gauges) / sizeof(gauges[0]); m++) {
		prom_head(gauges[m][0], "gauge", gauges[m][1]);
		for (i = 0; i < r->npools; i++) {
			p = &r->pools[i];
			v = m == 0 ? p->queued : m == 1 ? p->in_hand :
			    m == 2 ? p->readers : m == 3 ? p->qlen :
			    p->queued_max;
			printf("khttp_%s", gauges[m][0]);
			prom_pool_label(p);
			printf("} %u\n", v);
		}
	}
	prom_head("pool_state", "gauge",
		  "1 for the pool's state (active, inactive, failed).");
	for (i = 0; i < r->npools; i++) {
		const char *st = httpctl_pool_state_name(r->pools[i].state);

		for (v = KHTTP_POOL_ACTIVE; v <= KHTTP_POOL_FAILED; v++) {
			fputs("khttp_pool_state", stdout);
			prom_pool_label(&r->pools[i]);
			printf(",state=\"%s\"} %d\n",
			       httpctl_pool_state_name(v),
			       st && !strcmp(st, httpctl_pool_state_name(v)));
		}
	}
}

static int cmd_prometheus(struct ctx *c)
{
	struct running r;
	size_t m;
	int ret;

	memset(&r, 0, sizeof(r));
	ret = running_read(c, &r, true);
	if (ret)
		goto out;
	prom_head("up", "gauge", "1: the khttp module answered.");
	puts("khttp_up 1");
	prom_head("listen_entries", "gauge", "Entries in the IP listen list.");
	printf("khttp_listen_entries %zu\n", r.nlisten);
	prom_head("routes", "gauge", "Routes.");
	printf("khttp_routes %zu\n", r.nroutes);
	prom_head("pools", "gauge", "Application pools.");
	printf("khttp_pools %zu\n", r.npools);
	for (m = 0; m < sizeof(prom_metrics) / sizeof(prom_metrics[0]); m++)
		prom_stat(&r, &prom_metrics[m], false);
	prom_unknown(&r);
	for (m = 0; m < sizeof(prom_metrics) / sizeof(prom_metrics[0]); m++)
		if (strncmp(prom_metrics[m].name, "cache_", 6) &&
		    strncmp(prom_metrics[m].name, "log_", 4))
			prom_stat(&r, &prom_metrics[m], true);
	prom_pools(&r);
out:
	running_free(&r);
	return ret;
}

/* ---- log: the access log ------------------------------------------- */

static volatile sig_atomic_t log_hup, log_stop;

static void log_signal(int sig)
{
	if (sig == SIGHUP)
		log_hup = 1;
	else
		log_stop = 1;
}

struct logger {
	struct ctx *c;
	int format;		/* enum httpctl_log_format */
	const char *path;	/* NULL: stdout */
	FILE *out;
	bool have_lost;		/* last_lost is known */
	uint64_t last_lost;	/* the kernel's count we have accounted for */
	uint64_t lost;		/* records lost while we listened */
	uint64_t bad;		/* records we could not parse */
};

static int log_open(struct logger *l)
{
	if (!l->path) {
		l->out = stdout;
	} else {
		l->out = fopen(l->path, "ae");
		if (!l->out)
			return err(l->c, "log: cannot open \"%s\": %s", l->path,
				   strerror(errno));
	}
	if (l->format == HTTPCTL_LOG_W3C)
		httpctl_log_w3c_header(l->out, time(NULL));
	return 0;
}

static int log_flush(struct logger *l)
{
	if (fflush(l->out) || ferror(l->out))
		return err(l->c, "log: cannot write %s: %s",
			   l->path ? l->path : "the output", strerror(errno));
	return 0;
}

static void log_lost(struct logger *l, uint64_t n)
{
	fflush(l->out);
	fprintf(stderr, "httpctl: log: %llu records lost\n",
		(unsigned long long)n);
	l->lost += n;
}

/* The kernel's running count of undelivered records. */
static void log_account(struct logger *l, uint64_t count)
{
	if (!l->have_lost) {
		l->have_lost = true;
		l->last_lost = count;
	} else if (count > l->last_lost) {
		log_lost(l, count - l->last_lost);
		l->last_lost = count;
	}
}

/* The global LOG_LOST counter, or -1 if it cannot be read. */
static int log_kernel_lost(struct logger *l, uint64_t *out)
{
	struct stats s;
	bool q = l->c->quiet;
	int ret;

	memset(&s, 0, sizeof(s));
	l->c->quiet = true;	/* best effort */
	ret = req_run(l->c, req_new(l->c, KHTTP_CMD_STATS_GET, false),
		      stats_reply, &s);
	l->c->quiet = q;
	if (ret || !s.have[KHTTP_STAT_LOG_LOST])
		return -1;
	*out = s.val[KHTTP_STAT_LOG_LOST];
	return 0;
}

static const char *log_str(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_string(tb[a]) : NULL;
}

static void log_record(struct logger *l, struct nlmsghdr *nlh, int family)
{
	struct nlattr *tb[KHTTP_A_MAX + 1];
	struct httpctl_log_rec r;

	if (nlh->nlmsg_type != family ||
	    genlmsg_hdr(nlh)->cmd != KHTTP_CMD_LOG_EVENT)
		return;
	if (genlmsg_parse(nlh, 0, tb, KHTTP_A_MAX, khttp_policy) < 0) {
		fflush(l->out);
		fprintf(stderr, "httpctl: log: malformed record skipped "
			"(httpctl and khttp versions differ?)\n");
		l->bad++;
		return;
	}
	memset(&r, 0, sizeof(r));
	if (tb[KHTTP_A_LOG_TIME_NS])
		r.time_ns = nla_get_u64(tb[KHTTP_A_LOG_TIME_NS]);
	if (tb[KHTTP_A_LOG_CLIENT]) {
		memcpy(&r.client, nla_data(tb[KHTTP_A_LOG_CLIENT]),
		       sizeof(r.client));
		r.have_client = true;
	}
	if (tb[KHTTP_A_LOG_SERVER]) {
		memcpy(&r.server, nla_data(tb[KHTTP_A_LOG_SERVER]),
		       sizeof(r.server));
		r.have_server = true;
	}
	r.method = log_str(tb, KHTTP_A_LOG_METHOD);
	r.target = log_str(tb, KHTTP_A_LOG_TARGET);
	r.host = log_str(tb, KHTTP_A_LOG_HOST);
	r.referer = log_str(tb, KHTTP_A_LOG_REFERER);
	r.user_agent = log_str(tb, KHTTP_A_LOG_USER_AGENT);
	if (tb[KHTTP_A_LOG_VERSION])
		r.version = nla_get_u8(tb[KHTTP_A_LOG_VERSION]);
	if (tb[KHTTP_A_LOG_STATUS])
		r.status = nla_get_u16(tb[KHTTP_A_LOG_STATUS]);
	if (tb[KHTTP_A_LOG_BYTES])
		r.bytes = nla_get_u64(tb[KHTTP_A_LOG_BYTES]);
	if (tb[KHTTP_A_LOG_DURATION_US])
		r.duration_us = nla_get_u32(tb[KHTTP_A_LOG_DURATION_US]);
	if (tb[KHTTP_A_LOG_SOURCE])
		r.source = nla_get_u8(tb[KHTTP_A_LOG_SOURCE]);
	/* Losses before this record are reported before it. */
	if (tb[KHTTP_A_LOG_LOST])
		log_account(l, nla_get_u64(tb[KHTTP_A_LOG_LOST]));
	if (l->format == HTTPCTL_LOG_NCSA)
		httpctl_log_ncsa(l->out, &r);
	else if (l->format == HTTPCTL_LOG_W3C)
		httpctl_log_w3c(l->out, &r);
	else
		httpctl_log_json(l->out, &r);
}

/* The socket overflowed: the kernel counted what it could not send. */
static void log_overrun(struct logger *l)
{
	uint64_t now;

	if (!log_kernel_lost(l, &now) && l->have_lost &&
	    now > l->last_lost) {
		log_account(l, now);
		return;
	}
	fflush(l->out);
	fprintf(stderr, "httpctl: log: records lost (receive buffer "
		"overrun; the count follows with the next record)\n");
}

/* A socket on the "log" group with a big receive buffer. */
static struct nl_sock *log_socket(struct ctx *c, int *family)
{
	static const int one = 1;
	int grp, ret, size = 32 << 20;
	struct nl_sock *sk;

	sk = nl_socket_alloc();
	if (!sk) {
		err(c, "out of memory");
		return NULL;
	}
	nl_socket_disable_seq_check(sk);
	ret = genl_connect(sk);
	if (ret < 0) {
		err(c, "cannot open a generic netlink socket: %s",
		    nl_geterror(ret));
		goto fail;
	}
	*family = genl_ctrl_resolve(sk, KHTTP_GENL_NAME);
	if (*family < 0) {
		err(c, "khttp module is not loaded (generic netlink family "
		    "\"%s\" not found); try: modprobe khttp", KHTTP_GENL_NAME);
		goto fail;
	}
	grp = genl_ctrl_resolve_grp(sk, KHTTP_GENL_NAME, KHTTP_MCGRP_LOG);
	if (grp < 0) {
		err(c, "log: this khttp module has no access log (multicast "
		    "group \"%s\" not found)", KHTTP_MCGRP_LOG);
		goto fail;
	}
	/* Past rmem_max only with CAP_NET_ADMIN; else as big as allowed. */
	if (setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &size, sizeof(size)))
		setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUF,
			   &size, sizeof(size));
	/* Overruns must show as ENOBUFS, never be hidden. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_BROADCAST_ERROR,
		   &one, sizeof(one));
	ret = nl_socket_add_membership(sk, grp);
	if (ret < 0) {
		/* Records carry client addresses: the kernel admits admins. */
		err(c, "log: cannot join the \"%s\" group: %s%s",
		    KHTTP_MCGRP_LOG, nl_geterror(ret),
		    ret == -NLE_PERM ? " (reading the access log needs "
		    "CAP_NET_ADMIN)" : "");
		goto fail;
	}
	return sk;
fail:
	nl_socket_free(sk);
	return NULL;
}

static int cmd_log(struct ctx *c, int argc, char **argv)
{
	struct logger l = { .c = c, .format = HTTPCTL_LOG_NCSA };
	struct sigaction sa;
	sigset_t block, old;
	struct pollfd pfd;
	struct nl_sock *sk;
	struct nlmsghdr *nlh;
	static char buf[256 << 10];
	uint64_t base;
	int i, family, ret = EXIT_OK;
	ssize_t n;
	int rem;

	if (c->json)
		l.format = HTTPCTL_LOG_JSON;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			l.format = HTTPCTL_LOG_JSON;
		} else if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "-o")) {
			if (i + 1 >= argc)
				return usage_err(c, "log: %s needs a %s",
						 argv[i], argv[i][1] == 'f' ?
						 "FORMAT" : "FILE");
			if (argv[i][1] == 'o') {
				l.path = argv[++i];
				continue;
			}
			l.format = httpctl_log_format_parse(argv[++i]);
			if (!l.format)
				return usage_err(c, "log: unknown format "
						 "\"%s\" (expected ncsa, w3c "
						 "or json)", argv[i]);
		} else {
			return usage_err(c, "log: unexpected argument \"%s\"",
					 argv[i]);
		}
	}

	sk = log_socket(c, &family);
	if (!sk)
		return EXIT_FAIL;
	/* Counted before we joined is not ours to report. */
	if (!log_kernel_lost(&l, &base))
		log_account(&l, base);
	if (log_open(&l)) {
		nl_socket_free(sk);
		return EXIT_FAIL;
	}

	/* Signals arrive only inside ppoll(): no race with the flags. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = log_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	pfd.fd = nl_socket_get_fd(sk);
	pfd.events = POLLIN;

	while (!log_stop) {
		if (log_hup) {
			log_hup = 0;
			if (l.path) {	/* logrotate moved the file away */
				if ((ret = log_flush(&l)))
					break;
				fclose(l.out);
				if ((ret = log_open(&l))) {
					l.out = NULL;
					break;
				}
			}
		}
		n = recv(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				if ((ret = log_flush(&l)))
					break;
				if (ppoll(&pfd, 1, NULL, &old) < 0 &&
				    errno != EINTR) {
					ret = err(c, "log: poll: %s",
						  strerror(errno));
					break;
				}
				continue;
			}
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				log_overrun(&l);
				continue;
			}
			ret = err(c, "log: cannot receive: %s",
				  strerror(errno));
			break;
		}
		rem = (int)n;
		for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, rem);
		     nlh = nlmsg_next(nlh, &rem))
			log_record(&l, nlh, family);
	}

	if (l.out) {
		if (!ret)
			ret = log_flush(&l);
		if (l.path)
			fclose(l.out);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	nl_socket_free(sk);
	if (l.lost || l.bad) {
		fprintf(stderr, "httpctl: log: %llu records lost, %llu "
			"malformed, while listening\n",
			(unsigned long long)l.lost, (unsigned long long)l.bad);
	}
	return ret;
}

/* ---- dispatch ------------------------------------------------------ */

static int cmd_help(struct ctx *c, int argc, char **argv);

static const struct cmd cmds[] = {
	{ "status",   NULL,     cmd_status,      "" },
	{ "iplisten", "add",    cmd_listen_add,  "ADDR:PORT" },
	{ "iplisten", "del",    cmd_listen_del,  "ADDR:PORT" },
	{ "iplisten", "list",   cmd_listen_list, "" },
	{ "route",    "add",    cmd_route_add,   "PREFIX { static DIR | pool NAME "
						 "} [cache on|off] [max-bandwidth RATE]" },
	{ "route",    "del",    cmd_route_del,   "PREFIX" },
	{ "route",    "list",   cmd_route_list,  "" },
	{ "pool",     "add",    cmd_pool_add,    "NAME [queue-length N] "
						 "[verbosity basic|limited|full] "
						 "[queue-timeout MS] [owner USER] "
						 "[group GROUP] [mode MODE] "
						 "[rapid-fail COUNT/SECONDS|off]" },
	{ "pool",     "set",    cmd_pool_set,    "NAME [OPTIONS of pool add] "
						 "[state active|inactive]" },
	{ "pool",     "del",    cmd_pool_del,    "NAME [force]" },
	{ "pool",     "list",   cmd_pool_list,   "" },
	{ "set",      NULL,     cmd_set,         "[max-conns N] [max-header-bytes N] "
						 "[max-body-bytes N] [header-timeout MS] "
						 "[idle-timeout MS] [cache-max-bytes N] "
						 "[cache-entry-max N] [max-conns-per-client N] "
						 "[max-conns-per-prefix N] [min-send-rate RATE]" },
	{ "show",     "config", cmd_show_config, "" },
	{ "show",     NULL,     cmd_show,        "" },
	{ "dump",     NULL,     cmd_show,        "" },
	{ "cache",    "list",   cmd_cache_list,  "" },
	{ "cache",    "flush",  cmd_cache_flush, "[PREFIX]" },
	{ "stats",    NULL,     cmd_stats,       "[--prometheus]" },
	{ "log",      NULL,     cmd_log,         "[-f ncsa|w3c|json] [-o FILE]" },
	{ "help",     NULL,     cmd_help,        "" },
	{ NULL, NULL, NULL, NULL }
};

static void usage(FILE *f)
{
	const struct cmd *k;

	fputs("usage: httpctl [-j] [-b FILE] COMMAND ...\n"
	      "  -j, --json        print JSON\n"
	      "  -b, --batch FILE  run one command per line of FILE (- for stdin),\n"
	      "                    all or nothing: checked first, undone on a refusal\n"
	      "  -V, --version     print the version\n"
	      "commands:\n", f);
	for (k = cmds; k->object; k++)
		cmd_usage(f, "  ", k);
	fputs("See httpctl(8).\n", f);
}

static int cmd_help(struct ctx *c, int argc, char **argv)
{
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	usage(stdout);
	return EXIT_OK;
}

/* List the verbs of @object, "add, del or list", for error messages. */
static void verb_list(const char *object, char *buf, size_t len)
{
	const struct cmd *k;
	size_t n = 0, i = 0, off = 0;

	for (k = cmds; k->object; k++)
		n += !strcmp(k->object, object);
	buf[0] = '\0';
	for (k = cmds; k->object && off < len; k++) {
		if (strcmp(k->object, object))
			continue;
		i++;
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i == 1 ? "" : i == n ? " or " : ", ",
					k->verb);
	}
}

static bool cmd_is_readonly(const struct cmd *k)
{
	return k->fn == cmd_status || k->fn == cmd_listen_list ||
	       k->fn == cmd_route_list || k->fn == cmd_pool_list ||
	       k->fn == cmd_show_config || k->fn == cmd_show ||
	       k->fn == cmd_cache_list || k->fn == cmd_stats ||
	       k->fn == cmd_help || k->fn == cmd_log;
}


/* The command @argv names, or NULL. */
static const struct cmd *find_cmd(int argc, char **argv)
{
	const struct cmd *k;

	for (k = cmds; k->object; k++)
		if (!strcmp(k->object, argv[0]) &&
		    (!k->verb || (argc > 1 && !strcmp(k->verb, argv[1]))))
			return k;
	return NULL;
}

static int dispatch(struct ctx *c, int argc, char **argv)
{
	static char name[64];
	const struct cmd *k, *found = NULL;
	char verbs[128];
	bool object_known = false;

	cur_cmd = NULL;
	for (k = cmds; k->object; k++) {
		if (strcmp(k->object, argv[0]))
			continue;
		object_known = true;
		if (!k->verb || (argc > 1 && !strcmp(k->verb, argv[1]))) {
			found = k;
			break;
		}
	}
	if (!object_known)
		return usage_err(c, "unknown command \"%s\"", argv[0]);
	if (!found) {
		verb_list(argv[0], verbs, sizeof(verbs));
		if (argc < 2)
			return usage_err(c, "%s: missing verb (%s)", argv[0],
					 verbs);
		return usage_err(c, "%s: unknown verb \"%s\" (expected %s)",
				 argv[0], argv[1], verbs);
	}
	cur_cmd = found;
	snprintf(name, sizeof(name), "%s%s%s", found->object,
		 found->verb ? " " : "", found->verb ? found->verb : "");
	c->cmdname = name;
	if (c->dry_run && found->fn == cmd_log)
		return usage_err(c, "log cannot run in a batch");
	if (c->dry_run && cmd_is_readonly(found))
		return 0;	/* changes nothing: checked when it runs */
	return found->fn(c, argc - (found->verb ? 2 : 1),
			 argv + (found->verb ? 2 : 1));
}

/* ---- batch: check every line, apply, roll back on a refusal ------- */

#define BATCH_MAX_WORDS 64

/* What undoes one applied line: zero or more command lines, in order. */
struct undo {
	char *text;		/* lines ending in '\n' */
	unsigned long lineno;	/* the line it undoes */
};

struct batch {
	struct ctx *c;
	const char *name;	/* the file's name in messages */
	struct running snap;	/* the configuration before this line */
	bool snap_ok;
	struct undo *undo;
	size_t nundo;
};

static int batch_snap(struct batch *b)
{
	if (b->snap_ok)
		return 0;
	if (running_read(b->c, &b->snap, false))
		return -1;
	b->snap_ok = true;
	return 0;
}

static const struct r_pool *snap_pool(const struct batch *b, const char *n)
{
	size_t i;

	for (i = 0; i < b->snap.npools; i++)
		if (!strcmp(b->snap.pools[i].name, n))
			return &b->snap.pools[i];
	return NULL;
}

static const struct r_route *snap_route(const struct batch *b, const char *p)
{
	size_t i;

	for (i = 0; i < b->snap.nroutes; i++)
		if (!strcmp(b->snap.routes[i].prefix, p))
			return &b->snap.routes[i];
	for (i = 0; i < b->snap.nroutes; i++)	/* URL hosts fold case */
		if (!strcasecmp(b->snap.routes[i].prefix, p))
			return &b->snap.routes[i];
	return NULL;
}

/*
 * After "route del" succeeded, drop the route from the snapshot instead of
 * reading the whole configuration again before the next line: a batch of
 * N deletes then reads it once, not N times.  False: read it again.
 */
static bool batch_forget_route(struct batch *b, int argc, char **argv)
{
	const struct r_route *rt;
	size_t i;

	if (!b->snap_ok || argc < 3 || strcmp(argv[0], "route") ||
	    strcmp(argv[1], "del"))
		return false;
	rt = snap_route(b, argv[2]);
	if (!rt)
		return false;
	i = (size_t)(rt - b->snap.routes);
	free(b->snap.routes[i].prefix);
	free(b->snap.routes[i].target);
	memmove(&b->snap.routes[i], &b->snap.routes[i + 1],
		(b->snap.nroutes - i - 1) * sizeof(*b->snap.routes));
	b->snap.nroutes--;
	return true;
}

/* The value option @k of pool @p has now, for "pool set"; NULL if none. */
static const char *pool_value(const struct r_pool *p, const char *k,
			      char *buf, size_t len)
{
	if (!strcmp(k, "queue-length"))
		snprintf(buf, len, "%u", p->qlen);
	else if (!strcmp(k, "verbosity"))
		return httpctl_verbosity_name(p->verb);
	else if (!strcmp(k, "queue-timeout"))
		snprintf(buf, len, "%u", p->tmo);
	else if (!strcmp(k, "owner"))
		return user_name(p->uid, buf, len);
	else if (!strcmp(k, "group"))
		return group_name(p->gid, buf, len);
	else if (!strcmp(k, "mode"))
		snprintf(buf, len, "%04o", p->mode);
	else if (!strcmp(k, "rapid-fail"))
		snprintf(buf, len, "%u/%u", p->rfc, p->rfs);
	else if (!strcmp(k, "state") && p->state != KHTTP_POOL_FAILED)
		return httpctl_pool_state_name(p->state);	/* failed: */
	else							/* not settable */
		return NULL;
	return buf;
}

/* "pool set NAME" with the old values of the options @argv changes. */
static void undo_pool_set(FILE *f, const struct r_pool *p, int argc,
			  char **argv)
{
	char buf[32];
	bool any = false;
	int i;

	for (i = 0; i + 1 < argc; i += 2)
		any |= pool_value(p, argv[i], buf, sizeof(buf)) != NULL;
	if (!any)	/* "pool set NAME" alone would be refused */
		return;
	fputs("pool set ", f);
	httpctl_batch_word(f, p->name);
	for (i = 0; i + 1 < argc; i += 2)
		if (pool_value(p, argv[i], buf, sizeof(buf)))
			fprintf(f, " %s %s", argv[i],
				pool_value(p, argv[i], buf, sizeof(buf)));
	fputc('\n', f);
}

/*
 * The undo of the valid command in @argv, computed before it runs from
 * the configuration as it is; NULL text when there is nothing to undo.
 */
static int batch_undo(struct batch *b, int argc, char **argv, char **text)
{
	const struct r_route *rt;
	const struct r_pool *p;
	const char *o = argv[0], *v = argc > 1 ? argv[1] : "";
	size_t len, i, t;
	FILE *f;
	int j;

	*text = NULL;
	if ((!strcmp(o, "route") && !strcmp(v, "del")) ||
	    (!strcmp(o, "pool") && (!strcmp(v, "set") || !strcmp(v, "del"))) ||
	    !strcmp(o, "set"))
		if (batch_snap(b))
			return -1;
	f = open_memstream(text, &len);
	if (!f)
		return err(b->c, "out of memory");
	if (!strcmp(o, "iplisten") && (!strcmp(v, "add") || !strcmp(v, "del"))) {
		fprintf(f, "iplisten %s ", !strcmp(v, "add") ? "del" : "add");
		httpctl_batch_word(f, argv[2]);
		fputc('\n', f);
	} else if (!strcmp(o, "route") && !strcmp(v, "add")) {
		fputs("route del ", f);
		httpctl_batch_word(f, argv[2]);
		fputc('\n', f);
	} else if (!strcmp(o, "route") && !strcmp(v, "del")) {
		rt = snap_route(b, argv[2]);
		if (rt) {	/* else the kernel refuses the del */
			show_route_add(f, rt);
			fputc('\n', f);
		}
	} else if (!strcmp(o, "pool") && !strcmp(v, "add")) {
		fputs("pool del ", f);
		httpctl_batch_word(f, argv[2]);
		fputs(" force\n", f);
	} else if (!strcmp(o, "pool") && !strcmp(v, "set")) {
		p = snap_pool(b, argv[2]);
		if (p)
			undo_pool_set(f, p, argc - 3, argv + 3);
	} else if (!strcmp(o, "pool") && !strcmp(v, "del")) {
		p = snap_pool(b, argv[2]);
		if (p) {
			show_pool_add(f, p);
			fputc('\n', f);
			if (p->state == KHTTP_POOL_INACTIVE) {
				fputs("pool set ", f);
				httpctl_batch_word(f, p->name);
				fputs(" state inactive\n", f);
			}
			/* force took its routes along */
			for (i = 0; argc > 3 && i < b->snap.nroutes; i++) {
				rt = &b->snap.routes[i];
				if (rt->type != KHTTP_ROUTE_POOL ||
				    strcmp(rt->target, p->name))
					continue;
				show_route_add(f, rt);
				fputc('\n', f);
			}
		}
	} else if (!strcmp(o, "set")) {
		fputs("set", f);
		for (j = 1; j + 1 < argc; j += 2)
			for (t = 0; t < N_TUNABLES; t++)
				if (!strcmp(argv[j], tunables[t].name) &&
				    b->snap.cf.have[t])
					fprintf(f, " %s %llu", argv[j],
						(unsigned long long)
						b->snap.cf.val[t]);
		fputc('\n', f);
	}
	if (fclose(f)) {
		free(*text);
		*text = NULL;
		return err(b->c, "out of memory");
	}
	if (!strcmp(*text, "") || !strcmp(*text, "set\n")) {
		free(*text);
		*text = NULL;
	}
	return 0;
}

/* Undo what this batch applied, newest first. */
static void batch_rollback(struct batch *b)
{
	char *argv[BATCH_MAX_WORDS], *line, *next;
	const char *why;
	size_t i, done = 0, failed = 0;
	int argc;

	b->c->json = false;	/* rollback prints nothing on stdout */
	for (i = b->nundo; i-- > 0;) {
		snprintf(b->c->where, sizeof(b->c->where),
			 "%s:%lu: rollback: ", b->name, b->undo[i].lineno);
		for (line = b->undo[i].text; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			argc = httpctl_split_line(line, argv, BATCH_MAX_WORDS,
						  &why);
			if (argc <= 0)
				continue;
			if (dispatch(b->c, argc, argv))
				failed++;
			else
				done++;
		}
	}
	snprintf(b->c->where, sizeof(b->c->where), "%s: ", b->name);
	if (failed)
		err(b->c, "rollback: %zu of %zu undo commands failed; the "
		    "configuration may be partly changed (see httpctl show)",
		    failed, failed + done);
	else if (b->nundo)
		err(b->c, "nothing applied: the %zu change%s before the "
		    "failing line %s undone", b->nundo,
		    b->nundo == 1 ? "" : "s", b->nundo == 1 ? "was" : "were");
	else
		err(b->c, "nothing applied");
}

/*
 * -b FILE: every line is parsed and checked first (syntax, names, files
 * and directories) with nothing sent; then the lines run in order, and if
 * the kernel refuses one, what the earlier lines did is undone.
 */
static int run_batch(struct ctx *c, const char *path)
{
	char *line = NULL, **lines = NULL, *copy, *argv[BATCH_MAX_WORDS];
	const char *why = NULL, *name = strcmp(path, "-") ? path : "<stdin>";
	struct batch b = { .c = c, .name = name };
	size_t cap = 0, nlines = 0, i;
	int argc, ret = EXIT_OK;
	char **grown;
	FILE *f;

	f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	if (!f)
		return err(c, "cannot open batch file \"%s\": %s", path,
			   strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		grown = realloc(lines, (nlines + 1) * sizeof(*lines));
		if (!grown || !(grown[nlines] = strdup(line))) {
			lines = grown ? grown : lines;
			ret = err(c, "out of memory");
			break;
		}
		lines = grown;
		nlines++;
	}
	if (ret == EXIT_OK && ferror(f))
		ret = err(c, "cannot read batch file \"%s\": %s", path,
			  strerror(errno));
	free(line);
	if (f != stdin)
		fclose(f);
	if (ret != EXIT_OK)
		goto out;

	/* 1. Check: every command parsed and built, nothing sent. */
	c->dry_run = true;	/* every bad line is reported */
	for (i = 0; i < nlines; i++) {
		snprintf(c->where, sizeof(c->where), "%s:%zu: ", name, i + 1);
		copy = strdup(lines[i]);
		if (!copy) {
			ret = err(c, "out of memory");
			break;
		}
		argc = httpctl_split_line(copy, argv, BATCH_MAX_WORDS, &why);
		if (argc < 0)
			ret = err(c, "%s", why);
		else if (argc > 0 && dispatch(c, argc, argv))
			ret = EXIT_FAIL;
		free(copy);
	}
	c->dry_run = false;
	if (ret != EXIT_OK) {
		snprintf(c->where, sizeof(c->where), "%s: ", name);
		if (nlines)
			err(c, "nothing applied");
		goto out;
	}

	/* 2. Apply, keeping an undo for each change. */
	for (i = 0; i < nlines; i++) {
		const struct cmd *k;
		struct undo *u;
		char *text;

		snprintf(c->where, sizeof(c->where), "%s:%zu: ", name, i + 1);
		argc = httpctl_split_line(lines[i], argv, BATCH_MAX_WORDS,
					  &why);
		if (argc <= 0)
			continue;
		k = find_cmd(argc, argv);
		text = NULL;
		if (k && !cmd_is_readonly(k) &&
		    batch_undo(&b, argc, argv, &text)) {
			ret = EXIT_FAIL;
			break;
		}
		if (dispatch(c, argc, argv)) {
			free(text);
			ret = EXIT_FAIL;
			break;
		}
		if (k && !cmd_is_readonly(k) &&
		    !batch_forget_route(&b, argc, argv))
			b.snap_ok = false;	/* changed: read again if needed */
		if (!text)
			continue;
		u = GROW(b.undo, b.nundo);
		if (!u) {
			free(text);
			ret = err(c, "out of memory");
			break;
		}
		u->text = text;
		u->lineno = (unsigned long)i + 1;
	}
	if (ret != EXIT_OK)
		batch_rollback(&b);
out:
	for (i = 0; i < b.nundo; i++)
		free(b.undo[i].text);
	free(b.undo);
	running_free(&b.snap);
	for (i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	c->where[0] = '\0';
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",    no_argument,       NULL, 'j' },
		{ "batch",   required_argument, NULL, 'b' },
		{ "help",    no_argument,       NULL, 'h' },
		{ "version", no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctx c = { .family = -1 };
	const char *batch = NULL;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+jb:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			c.json = true;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("httpctl %s\n", KHTTP_VERSION_STRING);
			return EXIT_OK;
		default:
			if (optopt == 'b')
				return usage_err(&c, "option -b needs a FILE");
			if (optopt)
				return usage_err(&c, "unknown option -%c",
						 optopt);
			return usage_err(&c, "unknown option \"%s\"",
					 argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;

	if (batch && argc > 0)
		return usage_err(&c, "give either -b FILE or a command, "
				 "not both");
	if (batch)
		ret = run_batch(&c, batch);
	else if (argc == 0)
		ret = (usage(stdout), EXIT_OK);
	else
		ret = dispatch(&c, argc, argv);

	if (c.sk)
		nl_socket_free(c.sk);
	if (fflush(stdout) || ferror(stdout)) {
		c.where[0] = '\0';
		ret = err(&c, "cannot write output: %s", strerror(errno));
	}
	return ret;
}
