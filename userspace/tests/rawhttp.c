// SPDX-License-Identifier: GPL-2.0
/*
 * rawhttp: a test client for exact bytes on the wire, which curl and
 * busybox nc cannot give: send stdin as is (optionally a few bytes at a
 * time with pauses, optionally half-closing), then print everything the
 * server sends until it closes or a timeout passes.
 *
 * usage: rawhttp [-c CHUNK] [-d DELAY_MS] [-w] [-t TIMEOUT_MS] [-H] [-r]
 *                [-R BYTES] [-p PAUSE_MS] HOST PORT
 *   -c/-d  send CHUNK bytes, then sleep DELAY_MS, repeatedly (slow client);
 *          once the server has closed its side (FIN), stop sending and read
 *          what it said: more bytes would only draw a reset
 *   -w     with -c: after each chunk but the last, wait for the answer's
 *          first bytes (up to TIMEOUT_MS), then sleep DELAY_MS: a client
 *          that sends its next request only after the last answer came
 *   -H     half-close (shutdown SHUT_WR) after sending
 *   -r     reset the connection (SO_LINGER 0) right after sending
 *   -R     reset it once BYTES of the answer have arrived (a client that
 *          vanishes mid-response); exit 0 if it got that far
 *   -p     wait PAUSE_MS after sending before reading (slow reader)
 *   -t     give up reading after TIMEOUT_MS (default 5000)
 * Exit: 0 the server closed (FIN), 3 timeout with the connection still
 * open, 4 reset by the server, 1 other errors.
 */
#define _GNU_SOURCE	/* POLLRDHUP */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	long chunk = 0, delay = 0, timeout = 5000, pause_ms = 0, rst_after = 0;
	long got = 0;
	int half = 0, rst = 0, lockstep = 0, opt, fd, err;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	static char req[1 << 20], buf[65536];
	size_t len = 0, off = 0;
	ssize_t n;
	long deadline;

	while ((opt = getopt(argc, argv, "c:d:t:p:wHrR:")) != -1) {
		switch (opt) {
		case 'c': chunk = atol(optarg); break;
		case 'd': delay = atol(optarg); break;
		case 't': timeout = atol(optarg); break;
		case 'p': pause_ms = atol(optarg); break;
		case 'w': lockstep = 1; break;
		case 'H': half = 1; break;
		case 'r': rst = 1; break;
		case 'R': rst_after = atol(optarg); break;
		default:
			fprintf(stderr, "usage: rawhttp [-c N] [-d MS] [-w] [-t MS] [-p MS] [-H] [-r] [-R N] HOST PORT\n");
			return 1;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "rawhttp: need HOST PORT\n");
		return 1;
	}
	while (len < sizeof(req) &&
	       (n = read(0, req + len, sizeof(req) - len)) > 0)
		len += n;
	err = getaddrinfo(argv[optind], argv[optind + 1], &hints, &ai);
	if (err) {
		fprintf(stderr, "rawhttp: %s\n", gai_strerror(err));
		return 1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		perror("rawhttp: connect");
		return 1;
	}
	freeaddrinfo(ai);
	while (off < len) {
		size_t c = chunk > 0 ? (size_t)chunk : len - off;

		if (c > len - off)
			c = len - off;
		n = send(fd, req + off, c, MSG_NOSIGNAL);
		if (n < 0) {
			perror("rawhttp: send");
			break;
		}
		off += n;
		if (lockstep && off < len) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (poll(&p, 1, timeout) > 0) {
				n = read(fd, buf, sizeof(buf));
				if (n <= 0)
					break;
				fwrite(buf, 1, n, stdout);
				got += n;
			}
			usleep(delay * 1000);
		} else if (delay && off < len) {
			struct pollfd p = { .fd = fd, .events = POLLRDHUP };

			if (poll(&p, 1, delay) > 0)
				break;
		}
	}
	if (rst) {
		struct linger l = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		close(fd);
		return 0;
	}
	if (half)
		shutdown(fd, SHUT_WR);
	if (pause_ms)
		usleep(pause_ms * 1000);
	deadline = now_ms() + timeout;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = deadline - now_ms();

		if (left <= 0 || poll(&p, 1, left) == 0) {
			fflush(stdout);
			return 3;
		}
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			fflush(stdout);
			return errno == ECONNRESET ? 4 : 1;
		}
		fwrite(buf, 1, n, stdout);
		got += n;
		if (rst_after && got >= rst_after) {
			struct linger l = { .l_onoff = 1, .l_linger = 0 };

			setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
			close(fd);
			fflush(stdout);
			return 0;
		}
	}
	fflush(stdout);
	return 0;
}
