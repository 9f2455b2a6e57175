// SPDX-License-Identifier: GPL-2.0
/*
 * idleconns: hold N idle keep-alive HTTP connections open (make bench's
 * memory-per-connection measurement).
 *
 *   idleconns [-b BATCH] ADDR PORT N PATH
 *
 * Opens N TCP connections to ADDR:PORT, sends "GET PATH" on each (HTTP/1.1,
 * keep-alive) and reads the whole answer, BATCH connections at a time (so
 * the server's accept queue never overflows), then prints "ready K" (K: the
 * connections that got a complete answer and are still open) and sleeps
 * until killed.  A failure stops the opening early but keeps what is open.
 * Exits 1 if no connection could be opened.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* Read one answer (head and Content-Length bytes of body); 0 or -1. */
static int read_answer(int fd)
{
	char buf[8192];
	size_t have = 0;
	long need = -1;

	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		char *end, *cl;

		if (n <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (!end) {
			if (have >= sizeof(buf) - 1)
				return -1;
			continue;
		}
		if (need < 0) {
			cl = strcasestr(buf, "\r\nContent-Length:");
			if (!cl || cl > end)
				return -1;
			need = (end + 4 - buf) + strtol(cl + 17, NULL, 10);
		}
		if ((long)have >= need)
			return 0;
		/* Body longer than the buffer: keep only the head. */
		if (have >= sizeof(buf) - 1) {
			need -= (long)have;
			have = 0;
			while (need > 0) {
				n = read(fd, buf, sizeof(buf));
				if (n <= 0)
					return -1;
				need -= n;
			}
			return 0;
		}
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int batch = 256, opt, *fds;
	long n, i, j, ok = 0;
	char req[1024];
	int len;

	while ((opt = getopt(argc, argv, "b:")) != -1) {
		if (opt == 'b')
			batch = atoi(optarg);
		else
			goto usage;
	}
	if (argc - optind != 4 || batch <= 0)
		goto usage;
	if (inet_pton(AF_INET, argv[optind], &sa.sin_addr) != 1)
		goto usage;
	sa.sin_port = htons((unsigned short)atoi(argv[optind + 1]));
	n = atol(argv[optind + 2]);
	len = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n",
		       argv[optind + 3], argv[optind]);
	if (n <= 0 || len <= 0 || (size_t)len >= sizeof(req))
		goto usage;
	fds = calloc((size_t)n, sizeof(*fds));
	if (!fds)
		return 1;

	for (i = 0; i < n; i += batch) {
		long end = i + batch < n ? i + batch : n;
		long opened = i;

		for (j = i; j < end; j++) {
			int fd = socket(AF_INET, SOCK_STREAM, 0);

			if (fd < 0) {
				fprintf(stderr, "idleconns: socket #%ld: %s\n",
					j, strerror(errno));
				break;
			}
			if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
			    write(fd, req, (size_t)len) != len) {
				fprintf(stderr, "idleconns: connect #%ld: %s\n",
					j, strerror(errno));
				close(fd);
				break;
			}
			fds[j] = fd;
			opened = j + 1;
		}
		for (j = i; j < opened; j++) {
			if (read_answer(fds[j])) {
				fprintf(stderr, "idleconns: no answer on #%ld\n", j);
				break;
			}
			ok = j + 1;
		}
		if (ok < end)
			break;
	}
	printf("ready %ld\n", ok);
	fflush(stdout);
	if (!ok)
		return 1;
	signal(SIGTERM, SIG_DFL);
	for (;;)
		pause();
usage:
	fprintf(stderr, "usage: idleconns [-b BATCH] ADDR PORT N PATH\n");
	return 2;
}
