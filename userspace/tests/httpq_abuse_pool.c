// SPDX-License-Identifier: GPL-2.0
/*
 * httpq_abuse's cases about the pool and its files: another open file on
 * the same pool may not answer this file's request, `httpctl pool set`
 * while requests are queued, and `httpctl pool del ... force` under an
 * open file (ENODEV, POLLERR|POLLHUP, and 502 for the waiting client).
 */
#include "httpq_abuse.h"

/* Another open file on the same pool may not answer this file's request. */
void other_file_case(const char *path)
{
	struct req q;
	size_t len;
	long n;
	int cfd, fb;

	begin("other-file-eperm");
	fb = open(path, O_RDWR | O_CLOEXEC);
	if (fb < 0) {
		FAIL("open %s: %s", path, strerror(errno));
		end();
		return;
	}
	cfd = client_get("eperm");
	if (cfd < 0 || get_req(&q, "eperm")) {
		if (cfd >= 0)
			close(cfd);
		close(fb);
		end();
		return;
	}
	len = mk_good(wbuf, q.id, "stolen");
	n = wr(fb, wbuf, len);
	EXPECT(n == -EPERM, "RESPONSE from file B: %s, want EPERM", res(n));
	len = mk_body(wbuf, q.id, 0, "x", 1);
	n = wr(fb, wbuf, len);
	EXPECT(n == -EPERM, "RESP_BODY from file B: %s, want EPERM", res(n));
	/* B going away must not take A's request with it. */
	close(fb);
	answer_good(cfd, &q, "eperm");
	end();
}

/* Run an httpctl command line (a printf format); it must succeed. */
static int __attribute__((format(printf, 1, 2)))
httpctl(const char *fmt, ...)
{
	char cmd[256];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	if (st)
		FAIL("'%s' failed (%#x)", cmd, st);
	return st;
}

/* Delete a pool under an open file: ENODEV, POLLERR|POLLHUP, 502. */
void pool_del_case(const char *pool2, const char *prefix2)
{
	const char *saved_prefix = prefix;
	int saved_qfd = qfd, fd, cfd = -1, st = 0;
	struct pollfd pfd;
	char path[128];
	struct req q;
	struct resp *r;
	pid_t pid;
	size_t len;
	long n;

	begin("pool-deleted-under-open-file");
	snprintf(path, sizeof(path), "/dev/httpq/%s", pool2);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		FAIL("open %s: %s", path, strerror(errno));
		end();
		return;
	}
	qfd = fd;
	prefix = prefix2;
	cfd = client_get("del");
	if (cfd < 0 || get_req(&q, "del"))
		goto out;
	/* A reader blocked in read() must wake with ENODEV. */
	pid = fork();
	if (pid == 0) {
		alarm(20);
		n = rd(fd, ibuf, KHTTP_READ_MIN);
		_exit(n == -ENODEV ? 0 : 1);
	}
	msleep(300);
	httpctl("httpctl pool del %s force", pool2);
	if (pid > 0) {
		EXPECT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
		       !WEXITSTATUS(st),
		       "blocked reader: %s", WIFEXITED(st) ?
		       "read did not return ENODEV" : "never woke up");
	}
	n = rd(fd, ibuf, KHTTP_READ_MIN);
	EXPECT(n == -ENODEV, "read after pool del: %s, want ENODEV", res(n));
	len = mk_good(wbuf, q.id, "del");
	n = wr(fd, wbuf, len);
	EXPECT(n == -ENODEV, "write after pool del: %s, want ENODEV", res(n));
	pfd.fd = fd;
	pfd.events = POLLIN | POLLOUT;
	pfd.revents = 0;
	n = poll(&pfd, 1, 0);
	EXPECT(n == 1 && pfd.revents == (POLLERR | POLLHUP),
	       "poll after pool del: revents %#x, want POLLERR|POLLHUP",
	       pfd.revents);
	r = client_wait(cfd, WAIT_MS);
	cfd = -1;
	EXPECT(r->status == 502, "the client of the request in hand got %d (%s), want 502",
	       r->status, end_names[r->end]);
	EXPECT(open(path, O_RDWR) < 0 && errno == ENOENT,
	       "%s still opens after pool del", path);
out:
	if (cfd >= 0)
		close(cfd);
	close(fd);
	qfd = saved_qfd;
	prefix = saved_prefix;
	ilen = ioff = 0;
	end();
}

/*
 * Configuration changes under an open file: a new node (mode) and a
 * stopped pool keep the request in hand answerable.
 */
void pool_set_case(void)
{
	struct pollfd pfd = { .fd = qfd, .events = POLLIN };
	struct resp *r;
	struct req q;
	int cfd, c2;

	begin("pool-set-under-open-file");
	httpctl("httpctl pool set %s mode 0600", pool);
	cfd = client_get("set-mode");
	if (cfd < 0 || get_req(&q, "set-mode")) {
		if (cfd >= 0)
			close(cfd);
		end();
		return;
	}
	httpctl("httpctl pool set %s state inactive", pool);
	c2 = client_get("inactive");
	if (c2 >= 0) {
		r = client_wait(c2, WAIT_MS);
		EXPECT(r->status == 503, "request to a stopped pool: %d",
		       r->status);
	}
	EXPECT(poll(&pfd, 1, 0) == 0, "POLLIN on a stopped pool: revents %#x",
	       pfd.revents);
	answer_good(cfd, &q, "set-mode");
	httpctl("httpctl pool set %s state active", pool);
	cfd = client_get("active-again");
	if (cfd >= 0 && !get_req(&q, "active-again"))
		answer_good(cfd, &q, "active-again");
	else if (cfd >= 0)
		close(cfd);
	end();
}
