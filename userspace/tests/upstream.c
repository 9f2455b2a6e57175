// SPDX-License-Identifier: GPL-2.0
/*
 * upstream: a tiny HTTP/1.1 origin server for the httpq-proxy e2e tests,
 * with exact, countable behaviours.  One epoll loop, keep-alive.
 *
 *   upstream [-d] -l ADDR:PORT [-l ADDR:PORT ...]     (-d: fork to background)
 *
 *   GET /stats          "conns N open N maxopen N requests N cachehits N ..."
 *                       then, about the first close while others were open:
 *                       its ms after the first accept, the open count and
 *                       requests then, its path, and accepts after it
 *   GET /bytes/N        N bytes, Content-Length      /chunked/N  chunked
 *   GET /close/N        N bytes, no length, closes
 *   GET /headers        the request head as received, as the body
 *   GET /cache/...      "cacheable" with Cache-Control: max-age=60
 *   GET /hop            an answer carrying hop-by-hop headers
 *   GET /hang           never answers              /die  half a body, exit
 *   GET /cut/KIND/N     half of an N-byte answer, then this connection
 *                       alone breaks: KIND length (Content-Length, FIN),
 *                       chunked (no last chunk, FIN) or close (no length,
 *                       then a reset)
 *   GET /sleep/MS       answers after MS ms
 *   GET /hold/MS...     held (counted in "held", peak "maxheld") until a
 *                       GET /release on any listener, or MS ms at most
 *   GET /release        answers every held request, "released N"
 *   GET /bad/clte /bad/status /bad/bighead          malformed answers
 *   POST, PUT           "len=N sum=S" of the body (CL or chunked)
 *   anything else       "hello from upstream PORT"
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXL 16

struct conn {
	int fd, port;
	char in[65536];
	size_t inlen;
	/* request body being read */
	int body;		/* 0 head, 1 CL, 2 chunked */
	uint64_t left, len;
	uint32_t sum;
	int cstate;
	char head[8192];
	size_t headlen;
	char path[1024];
	char method[16];
	/* output */
	char *out;
	size_t outlen, outoff;
	uint64_t gen;		/* pattern bytes still to generate */
	int genchunked, close_after, die_after;
	int cut;		/* /cut: 1 close, 2 reset, once written */
	uint64_t wake;		/* /sleep, /hold: answer at this ms */
	int held;		/* /hold: counted in held */
	int hang;
	struct conn *next;
};

static unsigned long conns, open_, maxopen, requests, cachehits;
static unsigned long held, maxheld;
/* diag: when the peak ended */
static unsigned long long t0, firstclose, lastaccept, reqs_at_close;
static char firstpath[64] = "-";
static unsigned long open_at_close, accepts_after_close;
static int ep;
static struct conn *sleepers;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void out_add(struct conn *c, const char *s, size_t n)
{
	c->out = realloc(c->out, c->outlen + n);
	if (!c->out)
		exit(1);
	memcpy(c->out + c->outlen, s, n);
	c->outlen += n;
}

static void out_str(struct conn *c, const char *s)
{
	out_add(c, s, strlen(s));
}

static void reply(struct conn *c, const char *status, const char *hdrs,
		  const char *body)
{
	char h[512];
	int n = snprintf(h, sizeof(h), "HTTP/1.1 %s\r\nContent-Length: %zu\r\n"
			 "X-Upstream: %d\r\n%s\r\n", status, strlen(body),
			 c->port, hdrs);

	out_add(c, h, (size_t)n);
	out_add(c, body, strlen(body));
}

static uint64_t now_ms(void);
static void cclose(struct conn *c)
{
	if (c->held) {
		c->held = 0;
		held--;
	}
	if (!firstclose && open_ > 1) {
		firstclose = now_ms() - t0;
		open_at_close = open_;
		reqs_at_close = requests;
		snprintf(firstpath, sizeof(firstpath), "%.40s%s", c->path,
			 c->wake ? "(sleeping)" : c->outlen ? "(writing)" : "");
	}
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	open_--;
	free(c->out);
	free(c);
}

static void respond(struct conn *c)
{
	char b[8192], h[256];
	const char *p = c->path;
	unsigned long long n;

	requests++;
	if (!strcmp(p, "/headers")) {
		memcpy(b, c->head, c->headlen);
		b[c->headlen] = 0;
		reply(c, "200 OK", "", b);
	} else if (!strcmp(c->method, "POST") || !strcmp(c->method, "PUT")) {
		snprintf(b, sizeof(b), "len=%llu sum=%u\n",
			 (unsigned long long)c->len, c->sum);
		reply(c, "200 OK", "", b);
	} else if (!strcmp(p, "/stats")) {
		snprintf(b, sizeof(b), "conns %lu open %lu maxopen %lu requests %lu cachehits %lu"
			 " held %lu maxheld %lu"
			 " firstclose %llu openatclose %lu reqsatclose %llu firstpath %s lastaccept %llu acceptsafter %lu\n",
			 conns, open_, maxopen, requests, cachehits, held,
			 maxheld, firstclose,
			 open_at_close, reqs_at_close, firstpath, lastaccept, accepts_after_close);
		reply(c, "200 OK", "Cache-Control: no-store\r\n", b);
	} else if (sscanf(p, "/bytes/%llu", &n) == 1 ||
		   sscanf(p, "/chunked/%llu", &n) == 1 ||
		   sscanf(p, "/close/%llu", &n) == 1) {
		int k;

		if (!strncmp(p, "/bytes/", 7))
			k = snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nContent-Length: %llu\r\n\r\n", n);
		else if (!strncmp(p, "/chunked/", 9))
			k = snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
		else
			k = snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
		out_add(c, h, (size_t)k);
		c->gen = n;
		c->genchunked = !strncmp(p, "/chunked/", 9);
		c->close_after = !strncmp(p, "/close/", 7);
		if (!strcmp(c->method, "HEAD"))
			c->gen = 0;
	} else if (!strncmp(p, "/cache/", 7)) {
		cachehits++;
		snprintf(b, sizeof(b), "cacheable %s\n", p);
		reply(c, "200 OK", "Cache-Control: public, max-age=60\r\n", b);
	} else if (!strcmp(p, "/hop")) {
		reply(c, "200 OK", "Connection: keep-alive, X-Hop\r\nX-Hop: secret\r\n"
		      "Keep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\n"
		      "X-End: kept\r\n", "hop\n");
	} else if (!strcmp(p, "/hang")) {
		c->hang = 1;
	} else if (!strcmp(p, "/die")) {
		out_str(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
		c->gen = 300000;
		c->die_after = 1;
	} else if (sscanf(p, "/cut/length/%llu", &n) == 1 ||
		   sscanf(p, "/cut/chunked/%llu", &n) == 1 ||
		   sscanf(p, "/cut/close/%llu", &n) == 1) {
		if (!strncmp(p, "/cut/length/", 12)) {
			snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nContent-Length: %llu\r\n\r\n", n);
			c->cut = 1;
		} else if (!strncmp(p, "/cut/chunked/", 13)) {
			snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
			c->genchunked = 1;
			c->cut = 1;
		} else {
			snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
			c->cut = 2;
		}
		out_str(c, h);
		c->gen = n / 2;
	} else if (sscanf(p, "/hold/%llu", &n) == 1) {
		c->wake = now_ms() + n;
		c->held = 1;
		if (++held > maxheld)
			maxheld = held;
		c->next = sleepers;
		sleepers = c;
	} else if (!strcmp(p, "/release")) {
		struct conn *s;
		unsigned long k = 0;

		/* Answered by the sleepers loop, this turn. */
		for (s = sleepers; s; s = s->next)
			if (s->held) {
				s->wake = 1;
				k++;
			}
		snprintf(b, sizeof(b), "released %lu\n", k);
		reply(c, "200 OK", "Cache-Control: no-store\r\n", b);
	} else if (sscanf(p, "/sleep/%llu", &n) == 1) {
		c->wake = now_ms() + n;
		c->next = sleepers;
		sleepers = c;
	} else if (!strcmp(p, "/bad/clte")) {
		out_str(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
	} else if (!strcmp(p, "/bad/status")) {
		out_str(c, "HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok");
	} else if (!strcmp(p, "/bad/bighead")) {
		out_str(c, "HTTP/1.1 200 OK\r\nX-Big: ");
		memset(b, 'a', sizeof(b));
		out_add(c, b, sizeof(b));
		out_add(c, b, sizeof(b));
		out_add(c, b, sizeof(b));
		out_str(c, "\r\nContent-Length: 2\r\n\r\nok");
	} else {
		snprintf(b, sizeof(b), "hello from upstream %d\n", c->port);
		reply(c, "200 OK", "Content-Type: text/plain\r\n", b);
	}
}

/* Write what is pending; 1 if the connection was closed. */
static int flush(struct conn *c)
{
	static char pat[65536 + 32];

	if (!pat[0])
		for (size_t i = 0; i < 65536; i++)
			pat[i] = (char)('a' + i % 26);
	for (;;) {
		if (c->outoff == c->outlen) {
			c->outoff = c->outlen = 0;
			if (c->gen) {
				size_t k = c->gen > 65536 ? 65536 : (size_t)c->gen;
				char h[32];

				if (c->genchunked) {
					int n = snprintf(h, sizeof(h), "%zx\r\n", k);

					out_add(c, h, (size_t)n);
				}
				out_add(c, pat, k);
				if (c->genchunked)
					out_add(c, "\r\n", 2);
				c->gen -= k;
				if (!c->gen && c->genchunked && !c->cut)
					out_add(c, "0\r\n\r\n", 5);
				continue;
			}
			if (c->die_after)
				_exit(0);	/* killed mid-response */
			if (c->cut && !c->wake) {
				/* Let the proxy pass the head on, then break. */
				c->wake = now_ms() + 300;
				c->next = sleepers;
				sleepers = c;
				return 0;
			}
			if (c->cut)
				return 0;
			if (c->close_after) {
				cclose(c);
				return 1;
			}
			return 0;
		}
		ssize_t n = write(c->fd, c->out + c->outoff, c->outlen - c->outoff);

		if (n < 0)
			return errno == EAGAIN ? 0 : (cclose(c), 1);
		c->outoff += (size_t)n;
	}
}

/* Consume request bytes; returns 1 if the connection was closed. */
static int input(struct conn *c)
{
	for (;;) {
		if (c->hang || c->wake || c->gen || c->outlen)
			return 0;	/* one request at a time */
		if (c->body == 0) {
			char *e = memmem(c->in, c->inlen, "\r\n\r\n", 4);
			char *te, *cl;

			if (!e)
				return c->inlen >= sizeof(c->in) ? (cclose(c), 1) : 0;
			c->headlen = (size_t)(e + 4 - c->in);
			if (c->headlen >= sizeof(c->head))
				c->headlen = sizeof(c->head) - 1;
			memcpy(c->head, c->in, c->headlen);
			c->head[c->headlen] = 0;
			if (sscanf(c->head, "%15s %1023s", c->method, c->path) != 2)
				return cclose(c), 1;
			te = strcasestr(c->head, "\r\ntransfer-encoding: chunked");
			cl = strcasestr(c->head, "\r\ncontent-length:");
			c->len = 0;
			c->sum = 0;
			c->left = cl ? strtoull(cl + 17, NULL, 10) : 0;
			c->body = te ? 2 : 1;
			c->cstate = 0;
			memmove(c->in, e + 4, c->inlen - (size_t)(e + 4 - c->in));
			c->inlen -= (size_t)(e + 4 - c->in);
		}
		if (c->body == 1) {
			size_t k = c->inlen < c->left ? c->inlen : (size_t)c->left;

			for (size_t i = 0; i < k; i++)
				c->sum += (unsigned char)c->in[i];
			c->len += k;
			c->left -= k;
			memmove(c->in, c->in + k, c->inlen - k);
			c->inlen -= k;
			if (c->left)
				return 0;
		} else if (c->body == 2) {
			/* chunked: size line, data, CRLF ... 0 CRLF CRLF */
			for (;;) {
				if (c->cstate == 0) {
					char *e = memmem(c->in, c->inlen, "\r\n", 2);
					size_t k;

					if (!e)
						return 0;
					c->left = strtoull(c->in, NULL, 16);
					k = (size_t)(e + 2 - c->in);
					memmove(c->in, e + 2, c->inlen - k);
					c->inlen -= k;
					c->cstate = c->left ? 1 : 3;
				} else if (c->cstate == 1) {
					size_t k = c->inlen < c->left ? c->inlen : (size_t)c->left;

					for (size_t i = 0; i < k; i++)
						c->sum += (unsigned char)c->in[i];
					c->len += k;
					c->left -= k;
					memmove(c->in, c->in + k, c->inlen - k);
					c->inlen -= k;
					if (c->left)
						return 0;
					c->cstate = 2;
				} else {
					if (c->inlen < 2)
						return 0;
					memmove(c->in, c->in + 2, c->inlen - 2);
					c->inlen -= 2;
					if (c->cstate == 3)
						break;
					c->cstate = 0;
				}
			}
		}
		c->body = 0;
		respond(c);
		if (flush(c))
			return 1;
	}
}

static void on_read(struct conn *c)
{
	for (;;) {
		ssize_t n = read(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen);

		if (n == 0 || (n < 0 && errno != EAGAIN)) {
			/* a sleeper is unlinked before it is freed */
			struct conn **pp;

			for (pp = &sleepers; *pp; pp = &(*pp)->next)
				if (*pp == c) {
					*pp = c->next;
					break;
				}
			cclose(c);
			return;
		}
		if (n < 0)
			return;
		c->inlen += (size_t)n;
		if (input(c))
			return;
		if (c->inlen == sizeof(c->in))
			return;
	}
}

int main(int argc, char **argv)
{
	int lfd[MAXL], lport[MAXL], nl = 0, opt, bg = 0, one = 1;
	struct epoll_event ev, evs[256];

	while ((opt = getopt(argc, argv, "l:d")) != -1) {
		if (opt == 'd') {
			bg = 1;
			continue;
		}
		char host[64];
		struct sockaddr_in a = { .sin_family = AF_INET };
		char *colon = strrchr(optarg, ':');

		if (opt != 'l' || !colon || nl == MAXL)
			return 2;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - optarg), optarg);
		inet_pton(AF_INET, host, &a.sin_addr);
		a.sin_port = htons((uint16_t)atoi(colon + 1));
		lfd[nl] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		setsockopt(lfd[nl], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(lfd[nl], (struct sockaddr *)&a, sizeof(a)) ||
		    listen(lfd[nl], 4096)) {
			perror(optarg);
			return 1;
		}
		lport[nl] = atoi(colon + 1);
		nl++;
	}
	if (!nl) {
		fprintf(stderr, "usage: upstream [-d] -l ADDR:PORT ...\n");
		return 2;
	}
	if (bg && fork() > 0)
		return 0;
	ep = epoll_create1(0);
	for (int i = 0; i < nl; i++) {
		ev.events = EPOLLIN;
		ev.data.u64 = (uint64_t)i;
		epoll_ctl(ep, EPOLL_CTL_ADD, lfd[i], &ev);
	}
	for (;;) {
		int n = epoll_wait(ep, evs, 256, sleepers ? 10 : 1000);
		uint64_t now = now_ms();
		struct conn **pp;

		for (int i = 0; i < n; i++) {
			if (evs[i].data.u64 < MAXL) {
				int l = (int)evs[i].data.u64, fd;

				while ((fd = accept4(lfd[l], NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					struct conn *c = calloc(1, sizeof(*c));

					c->fd = fd;
					c->port = lport[l];
					conns++;
					if (!t0)
						t0 = now_ms();
					lastaccept = now_ms() - t0;
					if (firstclose)
						accepts_after_close++;
					if (++open_ > maxopen)
						maxopen = open_;
					ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
					ev.data.ptr = c;
					epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				}
				continue;
			}
			struct conn *c = evs[i].data.ptr;

			if (evs[i].events & EPOLLOUT) {
				if (flush(c))
					continue;
				if (!c->outlen && !c->gen && input(c))
					continue;
			}
			if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				on_read(c);
		}
		for (pp = &sleepers; *pp;) {
			struct conn *c = *pp;

			if (c->wake > now) {
				pp = &c->next;
				continue;
			}
			*pp = c->next;
			c->wake = 0;
			if (c->held) {
				c->held = 0;
				held--;
			}
			if (c->cut) {
				struct linger lg = { .l_onoff = 1, .l_linger = 0 };

				if (c->cut == 2)
					setsockopt(c->fd, SOL_SOCKET, SO_LINGER,
						   &lg, sizeof(lg));
				cclose(c);
				continue;
			}
			{
				char b[1100];

				snprintf(b, sizeof(b), "slept %s\n", c->path);
				reply(c, "200 OK", "", b);
			}
			if (!flush(c))
				input(c);
		}
	}
}
