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
#include <linux/khttp.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "httpctl_util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct ctx {
	struct nl_sock *sk;
	int family;
	bool json;
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
	[KHTTP_A_FLUSHED]		= { .type = NLA_U32 },
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

	if (c->sk)
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

static int stats_parse(struct nlattr *nest, struct stats *s)
{
	static struct nla_policy pol[KHTTP_STAT_MAX + 1];
	struct nlattr *tb[KHTTP_STAT_MAX + 1];
	int i;

	for (i = 1; i <= KHTTP_STAT_MAX; i++)
		if (i != KHTTP_STAT_PAD)
			pol[i].type = NLA_U64;
	memset(s, 0, sizeof(*s));
	if (!nest)
		return 0;
	if (nla_parse_nested(tb, KHTTP_STAT_MAX, nest, pol) < 0)
		return -1;
	for (i = 1; i <= KHTTP_STAT_MAX; i++) {
		if (i == KHTTP_STAT_PAD || !tb[i])
			continue;
		s->have[i] = true;
		s->val[i] = nla_get_u64(tb[i]);
	}
	return 0;
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
	int ret, cache = -1, nargs = 3;
	bool is_static;

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
	if (argc > 3 && !strcmp(argv[3], "cache")) {
		if (is_static)
			return usage_err(c, "%s: \"cache\" applies to pool "
					 "routes only", c->cmdname);
		if (argc < 5)
			return usage_err(c, "%s: missing on or off after "
					 "\"cache\"", c->cmdname);
		cache = httpctl_parse_on_off(argv[4]);
		if (cache < 0)
			return usage_err(c, "%s: cache: \"%s\" is not on or "
					 "off", c->cmdname, argv[4]);
		nargs = 5;
	}
	if (argc > nargs)
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[nargs]);
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
		     nla_put_u8(msg, KHTTP_A_ROUTE_CACHE, (uint8_t)cache) < 0))) {
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

	if (!tb[KHTTP_A_PREFIX] || !tb[KHTTP_A_ROUTE_TYPE])
		return -1;
	prefix = nla_get_string(tb[KHTTP_A_PREFIX]);
	rt = nla_get_u8(tb[KHTTP_A_ROUTE_TYPE]);
	if (tb[KHTTP_A_REACHABLE])
		reachable = nla_get_u8(tb[KHTTP_A_REACHABLE]) != 0;
	if (rt == KHTTP_ROUTE_POOL)	/* absent: an older module, caching */
		cache = !tb[KHTTP_A_ROUTE_CACHE] ||
			nla_get_u8(tb[KHTTP_A_ROUTE_CACHE]);
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
		if (reachable >= 0) {
			json_key(j, "reachable");
			json_bool(j, reachable);
		}
		json_end_object(j);
	} else {
		printf("%s %s %s%s%s\n", prefix, type, target,
		       cache == 0 ? " cache off" : "", reachable == 0 ?
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
	static struct nla_policy pol[KHTTP_PSTAT_MAX + 1];
	struct nlattr *tb[KHTTP_PSTAT_MAX + 1];
	int i;

	for (i = 1; i <= KHTTP_PSTAT_MAX; i++)
		if (i != KHTTP_PSTAT_PAD)
			pol[i].type = NLA_U64;
	memset(s, 0, sizeof(*s));
	if (!nest)
		return 0;
	if (nla_parse_nested(tb, KHTTP_PSTAT_MAX, nest, pol) < 0)
		return -1;
	for (i = 1; i <= KHTTP_PSTAT_MAX; i++) {
		if (i == KHTTP_PSTAT_PAD || !tb[i])
			continue;
		s->have[i] = true;
		s->val[i] = nla_get_u64(tb[i]);
	}
	return 0;
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
		if (c->json) {
			json_begin_object(j);
			json_key(j, "name");
			json_string(j, name);
			json_key(j, "stats");
			pool_stats_print(c, j, &s, false);
			json_end_object(j);
		} else {
			printf("pool %s\n", name);
			pool_stats_print(c, j, &s, false);
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
	       "verbosity %s queue-timeout %u rapid-fail %s owner %u group %u "
	       "mode %04o\n", name, state,
	       get_u32(tb, KHTTP_A_POOL_QUEUE_LENGTH),
	       get_u32(tb, KHTTP_A_POOL_QUEUED),
	       get_u32(tb, KHTTP_A_POOL_IN_HAND),
	       get_u32(tb, KHTTP_A_POOL_READERS), verb,
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

static int cmd_stats(struct ctx *c, int argc, char **argv)
{
	struct listen_walk w = { .stats = true };
	struct pool_walk pw = { .stats = true };
	struct stats s;
	int ret;

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
	const char *key;
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
	if (c->json) {
		json_begin_object(j);
		json_key(j, "key");
		json_string(j, key);
		json_u(j, "status", status);
		json_u(j, "size", size);
		json_u(j, "hits", hits);
		json_u(j, "age_ms", age_ms);
		json_u(j, "ttl_ms", ttl_ms);
		json_end_object(j);
	} else {
		printf("%s status %u size %u hits %llu age %s ttl %s\n", key,
		       status, size, (unsigned long long)hits,
		       httpctl_format_ms(age_ms, age, sizeof(age)),
		       httpctl_format_ms(ttl_ms, ttl, sizeof(ttl)));
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
	if (ret)
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

/* ---- dispatch ------------------------------------------------------ */

static int cmd_help(struct ctx *c, int argc, char **argv);

static const struct cmd cmds[] = {
	{ "status",   NULL,     cmd_status,      "" },
	{ "iplisten", "add",    cmd_listen_add,  "ADDR:PORT" },
	{ "iplisten", "del",    cmd_listen_del,  "ADDR:PORT" },
	{ "iplisten", "list",   cmd_listen_list, "" },
	{ "route",    "add",    cmd_route_add,   "PREFIX { static DIR | pool NAME "
						 "[cache on|off] }" },
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
						 "[cache-entry-max N]" },
	{ "show",     "config", cmd_show_config, "" },
	{ "cache",    "list",   cmd_cache_list,  "" },
	{ "cache",    "flush",  cmd_cache_flush, "[PREFIX]" },
	{ "stats",    NULL,     cmd_stats,       "" },
	{ "help",     NULL,     cmd_help,        "" },
	{ NULL, NULL, NULL, NULL }
};

static void usage(FILE *f)
{
	const struct cmd *k;

	fputs("usage: httpctl [-j] [-b FILE] COMMAND ...\n"
	      "  -j, --json        print JSON\n"
	      "  -b, --batch FILE  run one command per line of FILE (- for stdin)\n"
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
	return found->fn(c, argc - (found->verb ? 2 : 1),
			 argv + (found->verb ? 2 : 1));
}

#define BATCH_MAX_WORDS 64

static int run_batch(struct ctx *c, const char *path)
{
	char *line = NULL, *argv[BATCH_MAX_WORDS];
	const char *why = NULL;
	unsigned long lineno = 0;
	size_t cap = 0;
	FILE *f;
	int argc, ret = EXIT_OK;

	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return err(c, "cannot open batch file \"%s\": %s", path,
			   strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		snprintf(c->where, sizeof(c->where), "%s:%lu: ",
			 f == stdin ? "<stdin>" : path, lineno);
		argc = httpctl_split_line(line, argv, BATCH_MAX_WORDS, &why);
		if (argc < 0) {
			ret = err(c, "%s", why);
			break;
		}
		if (argc == 0)
			continue;
		if (dispatch(c, argc, argv)) {
			ret = EXIT_FAIL;
			break;
		}
	}
	if (ret == EXIT_OK && ferror(f)) {
		c->where[0] = '\0';
		ret = err(c, "cannot read batch file \"%s\": %s", path,
			  strerror(errno));
	}
	free(line);
	if (f != stdin)
		fclose(f);
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
