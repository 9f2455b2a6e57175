// SPDX-License-Identifier: GPL-2.0
/*
 * httpq-hello: the smallest khttp worker.  Answers every request of a pool
 * with "hello from POOL #N pid PID".
 *
 *   httpq-hello [-p POOL] [-c TTL] [-n MAX] [-d DELAY_MS] [-i PREFIX] [-x]
 *
 * -p POOL   pool name or device path (default "hello")
 * -c TTL    mark responses cacheable for TTL seconds
 * -n MAX    exit after answering MAX requests
 * -d MS     wait MS milliseconds before each answer
 * -i PREFIX on a request whose path contains /invalidate, drop khttp's
 *           cached responses under PREFIX before answering (never cached)
 * -x        die (_exit(1)) on the first request, without answering
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

int main(int argc, char **argv)
{
	const char *pool = "hello", *inval = NULL;
	unsigned long ttl = 0, max = 0, delay = 0, n = 0;
	int opt, die = 0, ret;
	struct httpq_request r;
	struct httpq *q;
	char body[128];
	int len;

	while ((opt = getopt(argc, argv, "p:c:n:d:i:x")) != -1) {
		switch (opt) {
		case 'p': pool = optarg; break;
		case 'c': ttl = num(optarg, "TTL"); break;
		case 'n': max = num(optarg, "MAX"); break;
		case 'd': delay = num(optarg, "DELAY_MS"); break;
		case 'i': inval = optarg; break;
		case 'x': die = 1; break;
		default:
			fprintf(stderr, "usage: httpq-hello [-p POOL] [-c TTL] "
				"[-n MAX] [-d DELAY_MS] [-i PREFIX] [-x]\n");
			return 2;
		}
	}
	q = httpq_open(pool, 0);
	if (!q) {
		fprintf(stderr, "httpq-hello: %s: %s\n", pool, strerror(errno));
		return 1;
	}
	while ((ret = httpq_receive(q, &r)) > 0) {
		if (die)
			_exit(1);
		if (delay) {
			struct timespec ts = { (time_t)(delay / 1000),
					       (long)(delay % 1000) * 1000000L };
			while (nanosleep(&ts, &ts) && errno == EINTR)
				;
		}
		if (inval && strstr(r.path, "/invalidate")) {
			ret = httpq_invalidate(q, inval);
			if (ret < 0)
				fprintf(stderr, "httpq-hello: invalidate %s: "
					"%s\n", inval, strerror(-ret));
			len = snprintf(body, sizeof(body), "invalidate: %s\n",
				       ret < 0 ? strerror(-ret) : "ok");
			ret = httpq_respond(q, r.id, ret < 0 ? 500 : 200,
					    "Content-Type: text/plain\r\n",
					    body, (size_t)len);
			n++;
		} else {
			len = snprintf(body, sizeof(body),
				       "hello from %s #%lu pid %ld\n", pool,
				       ++n, (long)getpid());
			ret = httpq_respond_cached(q, r.id, 200,
						   "Content-Type: text/plain\r\n",
						   body, (size_t)len,
						   (unsigned)ttl);
		}
		if (ret == 0 && delay)	/* slow: do not hold answers back */
			ret = httpq_flush(q);
		if (ret < 0)
			break;
		if (max && n >= max) {
			ret = httpq_flush(q);
			break;
		}
	}
	httpq_close(q);
	if (ret == -ENODEV) {
		fprintf(stderr, "httpq-hello: pool %s was deleted\n", pool);
		return 0;
	}
	if (ret < 0 && ret != -EINTR) {
		fprintf(stderr, "httpq-hello: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
