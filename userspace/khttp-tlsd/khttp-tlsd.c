// SPDX-License-Identifier: GPL-2.0
/*
 * khttp-tlsd: the TLS handshake agent of khttp.  khttp keeps TLS records
 * in the kernel (kTLS) and hands each new connection of a "tls" listen
 * entry to this agent through /dev/khttp-tls (the ABI is in
 * include/uapi/linux/khttp.h); the agent runs the handshake with OpenSSL,
 * which installs the session keys into the kernel, and hands the socket
 * back.  OpenSSL rather than GnuTLS: Debian's OpenSSL 3 is built with kTLS
 * and installs it itself (SSL_OP_ENABLE_KTLS), and it is what nginx, the
 * benchmark, uses.
 *
 * usage: khttp-tlsd [--cert FILE --key FILE] [--user USER] [--device PATH]
 *                   [--ticket-rotate SECONDS] [--workers N] [-v]
 * The certificates come from khttp's certificate bindings (httpctl tls
 * add, bind.c); --cert/--key, if given, serve a TLS listen entry that has
 * no address binding.  The keys are read, and the device opened, before
 * dropping to USER; a binding added later is read as USER.
 * --ticket-rotate: how often the session ticket keys change (tickets.c),
 * default 43200 (12 h); 0 issues no tickets (no resumption).
 *
 * --workers N: N handshake loops (processes) on the one open device, so
 * handshakes use every CPU.  The kernel has one agent, the open file: a
 * connection held by a worker that dies would only fail at the timeout
 * while the others keep the file open, so the workers go as a unit — the
 * parent, holding no descriptor of the device, stops them all when one
 * exits, and the file's release then fails what they held at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/khttp.h>
#include "tlsd.h"

int tlsd_verbose;

/*
 * One write(2) per line: --workers processes share stderr, and stdio's
 * unbuffered stderr would interleave their prefixes and messages.
 */
static void vlog(const char *fmt, va_list ap)
{
	char line[1024];
	int n, len;

	len = snprintf(line, sizeof(line), "khttp-tlsd: ");
	n = vsnprintf(line + len, sizeof(line) - len - 1, fmt, ap);
	if (n < 0)
		n = 0;
	len += n;
	if (len > (int)sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	if (write(STDERR_FILENO, line, len) < 0)
		return;
}

void tlsd_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void tlsd_debug(const char *fmt, ...)
{
	va_list ap;

	if (!tlsd_verbose)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

static int usage(int ret)
{
	fprintf(ret ? stderr : stdout,
		"usage: khttp-tlsd [--cert FILE --key FILE] [--user USER] "
		"[--device PATH] [--workers N]\n"
		"                  [--ticket-rotate SECONDS] [-v]\n");
	return ret;
}

static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

/*
 * Fork @n workers on @dev; wait until one exits or a signal comes, then
 * stop the rest.  Returns in each child (0) or with the exit status in the
 * parent (1), the parent's descriptor of the device closed.
 */
static int fork_workers(int n, int dev, int *ret)
{
	struct sigaction sa = { .sa_handler = on_stop };
	pid_t pids[256];
	int i, st, alive;
	pid_t p;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (i = 0; i < n; i++) {
		p = fork();
		if (p < 0) {
			tlsd_log("fork: %s", strerror(errno));
			break;
		}
		if (!p) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			return 0;
		}
		pids[i] = p;
	}
	close(dev);
	alive = i;
	*ret = i == n ? 0 : 1;
	if (alive && i == n && !stop_sig) {
		p = wait(&st);	/* EINTR: a signal, stop them */
		if (p > 0) {
			if (!stop_sig)
				tlsd_log("worker %d exited: stopping the others",
					 (int)p);
			if (!WIFEXITED(st) || WEXITSTATUS(st))
				*ret = 1;
		}
	}
	for (i = 0; i < alive; i++)
		kill(pids[i], SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 1;
}

static int drop_to(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (!pw) {
		tlsd_log("no user %s", user);
		return -1;
	}
	if (setgroups(0, NULL) || setgid(pw->pw_gid) || setuid(pw->pw_uid)) {
		tlsd_log("cannot become %s: %s", user, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "user", required_argument, NULL, 'u' },
		{ "device", required_argument, NULL, 'd' },
		{ "ticket-rotate", required_argument, NULL, 't' },
		{ "workers", required_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cert = NULL, *key = NULL, *user = NULL;
	const char *path = "/dev/" KHTTP_TLS_DEVICE;
	SSL_CTX *ctx = NULL;
	unsigned long v;
	int o, dev, ret, workers = 1;
	char *end;

	while ((o = getopt_long(argc, argv, "c:k:u:d:t:j:vh", opts, NULL)) != -1) {
		switch (o) {
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 'u': user = optarg; break;
		case 'd': path = optarg; break;
		case 't':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || v > 30 * 86400 ||
			    optarg[0] == '-') {
				tlsd_log("--ticket-rotate: 0..2592000 seconds");
				return 2;
			}
			tlsd_ticket_rotate = v;
			break;
		case 'j':
			workers = strtol(optarg, &end, 10);
			if (*end || workers < 1 || workers > 256)
				return usage(2);
			break;
		case 'v': tlsd_verbose = 1; break;
		case 'h': return usage(0);
		default: return usage(2);
		}
	}
	if (!cert != !key || optind != argc)
		return usage(2);
	if (tlsd_tickets_init())
		return 1;
	if (cert) {
		ctx = tlsd_ctx_new(cert, key);
		if (!ctx)
			return 1;
	}
	if (tlsd_bind_init(ctx))
		return 1;
	dev = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (dev < 0) {
		tlsd_log("%s: %s", path, errno == EBUSY ?
			 "another agent has it open" : errno == ENOENT ?
			 "no such device (is khttp loaded?)" : strerror(errno));
		return 1;
	}
	if (user && drop_to(user))
		return 1;
	if (workers > 1 && fork_workers(workers, dev, &ret))
		return ret;
	tlsd_log("ready on %s", path);
	ret = tlsd_run(dev);
	close(dev);
	tlsd_bind_exit();
	SSL_CTX_free(ctx);
	return ret;
}
