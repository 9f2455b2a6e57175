// SPDX-License-Identifier: GPL-2.0
/*
 * httpq-hello: the smallest khttp worker.  Answers every request of a pool
 * with "hello from POOL #N pid PID".
 *
 *   httpq-hello [-p POOL] [-c TTL] [-n MAX] [-d DELAY_MS] [-i PREFIX]
 *               [-m DATE] [-x]
 *
 * -p POOL   pool name or device path (default "hello")
 * -c TTL    mark responses cacheable for TTL seconds
 * -n MAX    exit after answering MAX requests
 * -d MS     wait MS milliseconds before each answer
 * -i PREFIX on a request whose path contains /invalidate, drop khttp's
 *           cached responses under PREFIX before answering (never cached)
 * -m DATE   answer with "Last-Modified: DATE"
 * -x        die (_exit(1)) on the first request, without answering
 *
 * It runs in httpq_serve(): SIGTERM or SIGINT make it stop taking requests,
 * answer the ones it holds, and exit 0, so a pool's workers can be
 * recycled without a client seeing an error (see httpq-worker@.service).
 * After MAX answers it stops the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "httpq.h"

static unsigned long num(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || !*s || *end || *s == '-') {
		fprintf(stderr, "httpq-hello: bad %s \"%s\"\n", what, s);
		exit(2);
	}
	return v;
}

struct opts {
	const char *pool, *inval;
	char hdrs[128];
	unsigned long ttl, max, delay, n;
	long pid;		/* getpid() is a system call each time */
	int die;
};

/* One request; 0 to go on, 1 after MAX answers, -errno to stop. */
static int hello(struct httpq *q, struct httpq_request *r, void *arg)
{
	struct opts *o = arg;
	char body[128];
	int len, ret;

	if (o->die)
		_exit(1);
	if (o->delay) {
		struct timespec ts = { (time_t)(o->delay / 1000),
				       (long)(o->delay % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	if (o->inval && strstr(r->path, "/invalidate")) {
		ret = httpq_invalidate(q, o->inval);
		if (ret < 0)
			fprintf(stderr, "httpq-hello: invalidate %s: %s\n",
				o->inval, strerror(-ret));
		len = snprintf(body, sizeof(body), "invalidate: %s\n",
			       ret < 0 ? strerror(-ret) : "ok");
		ret = httpq_respond(q, r->id, ret < 0 ? 500 : 200,
				    "Content-Type: text/plain\r\n", body,
				    (size_t)len);
		o->n++;
	} else {
		len = snprintf(body, sizeof(body), "hello from %s #%lu pid %ld\n",
			       o->pool, ++o->n, o->pid);
		ret = httpq_respond_cached(q, r->id, 200, o->hdrs,
					   body, (size_t)len, (unsigned)o->ttl);
	}
	if (ret == 0 && o->delay)	/* slow: do not hold answers back */
		ret = httpq_flush(q);
	if (ret < 0)
		return ret;
	if (o->max && o->n >= o->max)
		return 1;	/* httpq_serve answers what it holds, returns */
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .pool = "hello",
			  .hdrs = "Content-Type: text/plain\r\n" };
	struct httpq *q;
	int opt, ret;

	while ((opt = getopt(argc, argv, "p:c:n:d:i:m:x")) != -1) {
		switch (opt) {
		case 'p': o.pool = optarg; break;
		case 'c': o.ttl = num(optarg, "TTL"); break;
		case 'n': o.max = num(optarg, "MAX"); break;
		case 'd': o.delay = num(optarg, "DELAY_MS"); break;
		case 'i': o.inval = optarg; break;
		case 'm':
			if (strlen(optarg) > 64 || strpbrk(optarg, "\r\n")) {
				fprintf(stderr, "httpq-hello: bad DATE\n");
				return 2;
			}
			snprintf(o.hdrs, sizeof(o.hdrs),
				 "Content-Type: text/plain\r\n"
				 "Last-Modified: %s\r\n", optarg);
			break;
		case 'x': o.die = 1; break;
		default:
			fprintf(stderr, "usage: httpq-hello [-p POOL] [-c TTL] "
				"[-n MAX] [-d DELAY_MS] [-i PREFIX] [-m DATE] "
				"[-x]\n");
			return 2;
		}
	}
	o.pid = (long)getpid();
	q = httpq_open(o.pool, 0);
	if (!q) {
		fprintf(stderr, "httpq-hello: %s: %s\n", o.pool,
			strerror(errno));
		return 1;
	}
	ret = httpq_serve(q, hello, &o);
	httpq_close(q);
	if (ret == -ENODEV) {
		fprintf(stderr, "httpq-hello: pool %s was deleted\n", o.pool);
		return 0;
	}
	if (ret < 0) {
		fprintf(stderr, "httpq-hello: %s\n", strerror(-ret));
		return 1;
	}
	return 0;	/* a signal or -n MAX: everything held was answered */
}
