// SPDX-License-Identifier: GPL-2.0
/* httpctl: log: the access log. */
#include "httpctl.h"

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
	struct nlattr *tb[NL_ATTR_MAX + 1];
	struct httpctl_log_rec r;

	if (nlh->nlmsg_type != family ||
	    genlmsg_hdr(nlh)->cmd != KHTTP_CMD_LOG_EVENT)
		return;
	if (nl_parse(nlh, tb)) {
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
	if (tb[KHTTP_A_LOG_TLS_VERSION])
		r.tls_version = nla_get_u16(tb[KHTTP_A_LOG_TLS_VERSION]);
	if (tb[KHTTP_A_LOG_TLS_CIPHER])
		r.tls_cipher = nla_get_u16(tb[KHTTP_A_LOG_TLS_CIPHER]);
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

int cmd_log(struct ctx *c, int argc, char **argv)
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

