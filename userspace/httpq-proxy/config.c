// SPDX-License-Identifier: GPL-2.0
/* httpq-proxy's command line. */
#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: httpq-proxy -p POOL --upstream HOST:PORT [--upstream HOST:PORT ...]\n"
"                   [--source ADDR ...] [--connect-timeout MS]\n"
"                   [--response-timeout MS] [--idle-timeout MS]\n"
"                   [--down-time MS] [--max-idle N] [--max-requests N]\n"
"                   [--max-head BYTES] [--cache-max BYTES] [--retries N]\n"
"                   [--balance least-conn|round-robin] [--no-cache]\n"
"                   [--processes N] [--stats-file FILE]\n"
"See httpq-proxy(8).\n");
}

static int num(const char *opt, const char *s, unsigned long min,
	       unsigned long max, unsigned int *out)
{
	char *e;
	unsigned long v = strtoul(s, &e, 10);

	if (!*s || *e || v < min || v > max) {
		fprintf(stderr, "httpq-proxy: %s: '%s' is not a number in %lu..%lu\n",
			opt, s, min, max);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

/* "HOST:PORT" or "[V6]:PORT"; a name is resolved once, now. */
static int hostport(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[256];
	const char *port;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
	int err;

	if (s[0] == '[') {
		const char *e = strchr(s, ']');

		if (!e || e[1] != ':' || (size_t)(e - s - 1) >= sizeof(host))
			return -1;
		memcpy(host, s + 1, (size_t)(e - s - 1));
		host[e - s - 1] = 0;
		port = e + 2;
	} else {
		const char *c = strrchr(s, ':');

		if (!c || (size_t)(c - s) >= sizeof(host))
			return -1;
		memcpy(host, s, (size_t)(c - s));
		host[c - s] = 0;
		port = c + 1;
	}
	if (!*host || !*port)
		return -1;
	err = getaddrinfo(host, port, &hints, &res);
	if (err) {
		fprintf(stderr, "httpq-proxy: %s: %s\n", s, gai_strerror(err));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int source(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *b = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &a->sin_addr) == 1) {
		a->sin_family = AF_INET;
		*len = sizeof(*a);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &b->sin6_addr) == 1) {
		b->sin6_family = AF_INET6;
		*len = sizeof(*b);
		return 0;
	}
	return -1;
}

enum {
	O_CONNECT_TIMEOUT = 256, O_RESPONSE_TIMEOUT, O_IDLE_TIMEOUT, O_DOWN,
	O_MAX_IDLE, O_MAX_REQ, O_MAX_HEAD, O_CACHE_MAX, O_RETRIES, O_BALANCE,
	O_NO_CACHE, O_NO_BNP, O_STATS_FILE,
};

int config_parse(struct config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pool", required_argument, NULL, 'p' },
		{ "upstream", required_argument, NULL, 'u' },
		{ "source", required_argument, NULL, 's' },
		{ "processes", required_argument, NULL, 'j' },
		{ "connect-timeout", required_argument, NULL, O_CONNECT_TIMEOUT },
		{ "response-timeout", required_argument, NULL, O_RESPONSE_TIMEOUT },
		{ "idle-timeout", required_argument, NULL, O_IDLE_TIMEOUT },
		{ "down-time", required_argument, NULL, O_DOWN },
		{ "max-idle", required_argument, NULL, O_MAX_IDLE },
		{ "max-requests", required_argument, NULL, O_MAX_REQ },
		{ "max-head", required_argument, NULL, O_MAX_HEAD },
		{ "cache-max", required_argument, NULL, O_CACHE_MAX },
		{ "retries", required_argument, NULL, O_RETRIES },
		{ "balance", required_argument, NULL, O_BALANCE },
		{ "no-cache", no_argument, NULL, O_NO_CACHE },
		{ "no-bind-no-port", no_argument, NULL, O_NO_BNP },
		{ "stats-file", required_argument, NULL, O_STATS_FILE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int v;
	int c;

	*cfg = (struct config){
		.connect_timeout_ms = 3000, .response_timeout_ms = 60000,
		.idle_timeout_ms = 60000, .down_ms = 10000, .max_idle = 256,
		.max_requests = 10000, .max_head = 16384,
		.cache_max = 1U << 20, .retries = 2, .least_conn = true,
		.processes = 1,
	};
	while ((c = getopt_long(argc, argv, "p:u:s:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			cfg->pool = optarg;
			break;
		case 'u':
			if (cfg->nupstreams == PROXY_MAX_UPSTREAMS ||
			    hostport(optarg, &cfg->up[cfg->nupstreams].addr,
				     &cfg->up[cfg->nupstreams].alen)) {
				fprintf(stderr, "httpq-proxy: bad upstream '%s' (HOST:PORT)\n",
					optarg);
				return -1;
			}
			snprintf(cfg->up[cfg->nupstreams].name,
				 sizeof(cfg->up[0].name), "%s", optarg);
			cfg->nupstreams++;
			break;
		case 's':
			if (cfg->nsources == PROXY_MAX_SOURCES ||
			    source(optarg, &cfg->src[cfg->nsources],
				   &cfg->srclen[cfg->nsources])) {
				fprintf(stderr, "httpq-proxy: bad source address '%s'\n",
					optarg);
				return -1;
			}
			cfg->nsources++;
			break;
		case 'j':
			if (num("--processes", optarg, 1, 256, &v))
				return -1;
			cfg->processes = (int)v;
			break;
		case O_CONNECT_TIMEOUT:
			if (num("--connect-timeout", optarg, 1, 3600000, &cfg->connect_timeout_ms))
				return -1;
			break;
		case O_RESPONSE_TIMEOUT:
			if (num("--response-timeout", optarg, 1, 86400000, &cfg->response_timeout_ms))
				return -1;
			break;
		case O_IDLE_TIMEOUT:
			if (num("--idle-timeout", optarg, 1, 86400000, &cfg->idle_timeout_ms))
				return -1;
			break;
		case O_DOWN:
			if (num("--down-time", optarg, 0, 86400000, &cfg->down_ms))
				return -1;
			break;
		case O_MAX_IDLE:
			if (num("--max-idle", optarg, 0, 1000000, &cfg->max_idle))
				return -1;
			break;
		case O_MAX_REQ:
			if (num("--max-requests", optarg, 1, 1000000, &cfg->max_requests))
				return -1;
			break;
		case O_MAX_HEAD:
			if (num("--max-head", optarg, 512, 1U << 20, &cfg->max_head))
				return -1;
			break;
		case O_CACHE_MAX:
			if (num("--cache-max", optarg, 0, 1U << 20, &cfg->cache_max))
				return -1;
			break;
		case O_RETRIES:
			if (num("--retries", optarg, 0, 64, &cfg->retries))
				return -1;
			break;
		case O_BALANCE:
			if (!strcmp(optarg, "least-conn")) {
				cfg->least_conn = true;
			} else if (!strcmp(optarg, "round-robin")) {
				cfg->least_conn = false;
			} else {
				fprintf(stderr, "httpq-proxy: --balance least-conn or round-robin\n");
				return -1;
			}
			break;
		case O_NO_CACHE:
			cfg->no_cache = true;
			break;
		case O_NO_BNP:
			cfg->no_bind_no_port = true;
			break;
		case O_STATS_FILE:
			cfg->stats_file = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc || !cfg->pool || !cfg->nupstreams) {
		if (optind < argc)
			fprintf(stderr, "httpq-proxy: unexpected '%s'\n", argv[optind]);
		else
			fprintf(stderr, "httpq-proxy: -p POOL and --upstream are required\n");
		usage(stderr);
		return -1;
	}
	return 0;
}
