// SPDX-License-Identifier: GPL-2.0
/*
 * httpq-demo: the worker behind the dynamic pages of the `make run` demo
 * site (userspace/demo/).  Every answer is a small HTML page saying which
 * process made it, its request number and the time it was made, so a
 * reload shows whether the worker ran again.
 *
 *   httpq-demo [-p POOL] [-c TTL] [-C PREFIX]
 *
 * -p POOL    pool name or device path (default "demo")
 * -c TTL     answers for paths under PREFIX are marked cacheable for TTL
 *            seconds (default 30): khttp serves them from its response
 *            cache, without this worker, until the TTL ends
 * -C PREFIX  the cacheable paths (default "/cached/"); every other answer
 *            is made afresh for each request
 *
 * SIGTERM or SIGINT: answer what it holds and exit 0 (httpq_serve()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "httpq.h"

struct opts {
	const char *pool, *prefix;
	unsigned long ttl, n;
	long pid;
};

static const char head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<title>khttp demo: %s</title>\n"
	"<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n";

static const char tail[] = "<p><a href=\"/\">back</a></p>\n</body>\n</html>\n";

/* Copy @s into @out (of @size) with <, >, & and " escaped. */
static void escape(char *out, size_t size, const char *s)
{
	size_t o = 0;

	for (; *s && o + 7 < size; s++) {
		const char *e = NULL;

		switch (*s) {
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '&': e = "&amp;"; break;
		case '"': e = "&quot;"; break;
		}
		if (e) {
			memcpy(out + o, e, strlen(e));
			o += strlen(e);
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
}

static int demo(struct httpq *q, struct httpq_request *r, void *arg)
{
	struct opts *o = arg;
	char body[4096], now[64], until[64], target[256], pool[128];
	const char *name = strrchr(o->pool, '/');
	int cached = o->ttl && !strncmp(r->path, o->prefix, strlen(o->prefix));
	time_t t = time(NULL), e = t + (time_t)o->ttl;
	struct tm tm;
	int len;

	o->n++;
	strftime(now, sizeof(now), "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&t, &tm));
	strftime(until, sizeof(until), "%H:%M:%S UTC", gmtime_r(&e, &tm));
	escape(target, sizeof(target), r->target);
	escape(pool, sizeof(pool), name ? name + 1 : o->pool);
	len = snprintf(body, sizeof(body), head,
		       cached ? "cached page" : "dynamic page");
	if (cached)
		len += snprintf(body + len, sizeof(body) - len,
			"<h1>A cached dynamic page</h1>\n"
			"<p>Made by worker <b>pid <span id=\"pid\">%ld</span></b>"
			" (its request <b>#<span id=\"count\">%lu</span></b>)"
			" at <b><span id=\"time\">%s</span></b> for"
			" <code>%s</code>.</p>\n"
			"<p>The worker marked this answer cacheable for %lu s,"
			" so until <b>%s</b> every reload is answered by khttp's"
			" response cache in the kernel, without waking the"
			" worker: the time and the request number above stay"
			" the same, and the <code>Age</code> header grows."
			" Then the next reload goes to the worker again.</p>\n"
			"<p>On the guest's console, <code>httpctl cache"
			" list</code> shows the entry and its hits;"
			" <code>httpctl cache flush</code> drops it.</p>\n",
			o->pid, o->n, now, target, o->ttl, until);
	else
		len += snprintf(body + len, sizeof(body) - len,
			"<h1>A dynamic page</h1>\n"
			"<p>Made by worker <b>pid <span id=\"pid\">%ld</span></b>"
			" (its request <b>#<span id=\"count\">%lu</span></b>)"
			" at <b><span id=\"time\">%s</span></b> for"
			" <code>%s</code>.</p>\n"
			"<p>khttp queued this request to the application pool"
			" <code>%s</code>; this worker, an ordinary process,"
			" read it from <code>/dev/httpq/%s</code> and wrote the"
			" answer back. Reload: the request number goes up"
			" every time.</p>\n"
			"<p>On the guest's console, <code>httpctl pool"
			" list</code> shows the pool's counters.</p>\n",
			o->pid, o->n, now, target, pool, pool);
	len += snprintf(body + len, sizeof(body) - len, "%s", tail);
	/* Cannot happen (every field is bounded), but never send past it. */
	if (len >= (int)sizeof(body))
		len = sizeof(body) - 1;
	return httpq_respond_cached(q, r->id, 200,
				    "Content-Type: text/html; charset=utf-8\r\n",
				    body, (size_t)len,
				    cached ? (unsigned int)o->ttl : 0);
}

int main(int argc, char **argv)
{
	struct opts o = { .pool = "demo", .prefix = "/cached/", .ttl = 30 };
	struct httpq *q;
	char *end;
	int opt, ret;

	while ((opt = getopt(argc, argv, "p:c:C:")) != -1) {
		switch (opt) {
		case 'p': o.pool = optarg; break;
		case 'C': o.prefix = optarg; break;
		case 'c':
			errno = 0;
			o.ttl = strtoul(optarg, &end, 10);
			if (errno || !*optarg || *end || *optarg == '-') {
				fprintf(stderr, "httpq-demo: bad TTL \"%s\"\n",
					optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: httpq-demo [-p POOL] [-c TTL] "
				"[-C PREFIX]\n");
			return 2;
		}
	}
	o.pid = (long)getpid();
	q = httpq_open(o.pool, 0);
	if (!q) {
		fprintf(stderr, "httpq-demo: %s: %s\n", o.pool,
			strerror(errno));
		return 1;
	}
	ret = httpq_serve(q, demo, &o);
	httpq_close(q);
	if (ret == -ENODEV) {
		fprintf(stderr, "httpq-demo: pool %s was deleted\n", o.pool);
		return 0;
	}
	if (ret < 0) {
		fprintf(stderr, "httpq-demo: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
