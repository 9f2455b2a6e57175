// SPDX-License-Identifier: GPL-2.0
/*
 * fanout: N concurrent HTTP requests, each on its own connection, for the
 * httpq-proxy port test.  Source ports are bound explicitly from BASE up
 * (outside a narrowed ip_local_port_range), so the client side never runs
 * out, skipping any still in use; the count of answers per status is
 * printed, and once every connection is started, "started N failed F" on
 * stderr.
 *
 *   fanout -n N -a ADDR -P PORT -b BASE -u PATH [-q] [-t SECONDS]
 *   -> "total N 200 X 503 Y other Z failed F timeout T"
 *
 * -q gives request i the target PATH?i=I: N different URLs, so khttp's
 * response cache does not collapse them into one fetch (concurrent misses
 * of one URL wait for the first one's answer, see README "Response
 * cache"), and all N reach the pool at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct c {
	int fd, sent, done;
	char buf[512];
	size_t len;
};

int main(int argc, char **argv)
{
	int n = 100, port = 80, base = 40000, timeout = 60, opt, i, left;
	const char *addr = "127.0.0.1", *path = "/";
	unsigned long s200 = 0, s503 = 0, other = 0, failed = 0;
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct epoll_event ev, evs[512];
	struct rlimit rl = { 65536, 65536 };
	char req[1200];
	int unique = 0;
	struct c *cs;
	time_t end;
	int ep, reqlen, port_next;
	unsigned long skipped = 0;

	while ((opt = getopt(argc, argv, "n:a:P:b:u:t:q")) != -1) {
		switch (opt) {
		case 'n': n = atoi(optarg); break;
		case 'a': addr = optarg; break;
		case 'P': port = atoi(optarg); break;
		case 'b': base = atoi(optarg); break;
		case 'u': path = optarg; break;
		case 't': timeout = atoi(optarg); break;
		case 'q': unique = 1; break;
		default: return 2;
		}
	}
	setrlimit(RLIMIT_NOFILE, &rl);
	inet_pton(AF_INET, addr, &dst.sin_addr);
	dst.sin_port = htons((uint16_t)port);
	if (strlen(path) > 1000)
		return 2;
	cs = calloc((size_t)n, sizeof(*cs));
	port_next = base;
	ep = epoll_create1(0);
	for (i = 0; i < n; i++) {
		int err = 0, fd = -1;

		/*
		 * A port still in TIME_WAIT towards ADDR:PORT (a client of
		 * an earlier test, on the default ephemeral range) cannot
		 * connect again: skip it, within BASE..BASE+2N.
		 */
		do {
			struct sockaddr_in src = { .sin_family = AF_INET };
			int one = 1;

			if (fd >= 0)
				close(fd);
			fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
			if (fd < 0)
				break;
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			src.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			src.sin_port = htons((uint16_t)port_next++);
			err = bind(fd, (struct sockaddr *)&src, sizeof(src)) ||
			      (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) &&
			       errno != EINPROGRESS) ? errno : 0;
			if (err == EADDRINUSE || err == EADDRNOTAVAIL)
				skipped++;
		} while ((err == EADDRINUSE || err == EADDRNOTAVAIL) &&
			 port_next < base + 2 * n && port_next < 65536);
		cs[i].fd = fd;
		if (fd < 0 || err) {
			errno = fd < 0 ? errno : err;
			perror("fanout: socket");
			cs[i].done = 1;
			failed++;
			continue;
		}
		ev.events = EPOLLOUT | EPOLLIN;
		ev.data.u32 = (uint32_t)i;
		epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
	}
	left = n - (int)failed;
	fprintf(stderr, "started %d failed %lu skipped %lu\n", n, failed,
		skipped);
	end = time(NULL) + timeout;
	while (left > 0 && time(NULL) < end) {
		int k = epoll_wait(ep, evs, 512, 200);

		for (int j = 0; j < k; j++) {
			struct c *c = &cs[evs[j].data.u32];
			ssize_t r;

			if (c->done)
				continue;
			if (!c->sent && (evs[j].events & EPOLLOUT)) {
				char q[24] = "";

				if (unique)
					snprintf(q, sizeof(q), "?i=%u", evs[j].data.u32);
				reqlen = snprintf(req, sizeof(req),
						  "GET %s%s HTTP/1.1\r\nHost: fanout\r\n"
						  "Connection: close\r\n\r\n", path, q);
				if (write(c->fd, req, (size_t)reqlen) == reqlen) {
					c->sent = 1;
					ev.events = EPOLLIN;
					ev.data.u32 = evs[j].data.u32;
					epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
				}
			}
			if (!(evs[j].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
				continue;
			for (;;) {
				char tmp[4096];

				r = read(c->fd, tmp, sizeof(tmp));
				if (r > 0) {
					size_t m = (size_t)r;

					if (m > sizeof(c->buf) - 1 - c->len)
						m = sizeof(c->buf) - 1 - c->len;
					memcpy(c->buf + c->len, tmp, m);
					c->len += m;
					continue;
				}
				break;
			}
			if (r == 0 || (r < 0 && errno != EAGAIN)) {
				int st = 0;

				c->buf[c->len] = 0;
				if (sscanf(c->buf, "HTTP/1.%*d %d", &st) != 1)
					failed++;
				else if (st == 200)
					s200++;
				else if (st == 503)
					s503++;
				else
					other++;
				c->done = 1;
				close(c->fd);
				left--;
			}
		}
	}
	printf("total %d 200 %lu 503 %lu other %lu failed %lu timeout %d\n",
	       n, s200, s503, other, failed, left);
	return 0;
}
