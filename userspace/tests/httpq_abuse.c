// SPDX-License-Identifier: GPL-2.0
/*
 * httpq_abuse: a hostile worker.  It reads and writes /dev/httpq/<pool>
 * with raw read()/write(), so it can send exactly the bytes it wants, and
 * checks that every malformed record is refused with the errno the
 * contract in <linux/khttp.h> names, that a refused record changes
 * nothing (a correct answer afterwards still reaches the client), and
 * that nothing of the kernel's memory reaches the worker.
 *
 * It is its own client too: it connects to HOST:PORT, sends a request,
 * plays the worker for it, then reads what the client got.
 *
 * This file is the harness: the shared state, the ok/not ok reporting and
 * main(), which runs the cases in their fixed order.  The client and
 * worker helpers are in httpq_abuse_io.c and the cases, by concept, in
 * httpq_abuse_records.c (malformed and well-formed answer records),
 * httpq_abuse_stream.c (streams, aborts, clients that leave, backpressure),
 * httpq_abuse_read.c (what and how the worker reads) and
 * httpq_abuse_pool.c (other files on the pool, pool set and pool del).
 *
 * usage: httpq_abuse -p POOL [-a HOST] [-P PORT] [-u PREFIX]
 *                    [-x POOL2 -X PREFIX2]
 *   -p/-u  the pool under test and a route prefix that leads to it
 *   -x/-X  a second pool (and its route) that the program deletes with
 *          `httpctl pool del POOL2 force` while it has the file open
 * Prints "ok NAME" or "not ok NAME: why" per case; exits 1 if any failed.
 */
#include "httpq_abuse.h"

const char *host = "127.0.0.1";
int port = 80;
const char *prefix = "/a/";
const char *pool;
int qfd;			/* the worker's file on the pool */
char *ibuf;		/* KHTTP_READ_MIN: what the worker reads */
size_t ilen, ioff;	/* records in ibuf not yet handed out */
char *wbuf;		/* records the worker writes */
int nfailed;

/* ---- reporting ---- */

static const char *cur;
static char cur_err[512];

void begin(const char *name)
{
	cur = name;
	cur_err[0] = '\0';
}

void __attribute__((format(printf, 2, 3)))
failf(int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (cur_err[0])
		return;		/* the first failure says the most */
	n = snprintf(cur_err, sizeof(cur_err), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(cur_err + n, sizeof(cur_err) - n, fmt, ap);
	va_end(ap);
}

void end(void)
{
	if (cur_err[0]) {
		printf("not ok %s: %s\n", cur, cur_err);
		nfailed++;
	} else {
		printf("ok %s\n", cur);
	}
	fflush(stdout);
}

/* A write()/read() result for messages: "57" or "-1 EINVAL (...)". */
const char *res(long n)
{
	static char s[4][96];
	static int i;
	char *p = s[i++ & 3];

	if (n >= 0)
		snprintf(p, 96, "%ld", n);
	else
		snprintf(p, 96, "-1 errno %ld (%s)", -n, strerror(-n));
	return p;
}

long wr(int fd, const void *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	return n < 0 ? -errno : n;
}

long rd(int fd, void *buf, size_t len)
{
	ssize_t n = read(fd, buf, len);

	return n < 0 ? -errno : n;
}

void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	const char *pool2 = NULL, *prefix2 = "/x/";
	char path[128];
	int opt;

	while ((opt = getopt(argc, argv, "p:a:P:u:x:X:")) != -1) {
		switch (opt) {
		case 'p':
			pool = optarg;
			break;
		case 'a':
			host = optarg;
			break;
		case 'P':
			port = atoi(optarg);
			break;
		case 'u':
			prefix = optarg;
			break;
		case 'x':
			pool2 = optarg;
			break;
		case 'X':
			prefix2 = optarg;
			break;
		default:
			fprintf(stderr, "usage: httpq_abuse -p POOL [-a HOST] [-P PORT] [-u PREFIX] [-x POOL2 -X PREFIX2]\n");
			return 2;
		}
	}
	if (!pool) {
		fprintf(stderr, "httpq_abuse: -p POOL is required\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ibuf = malloc(KHTTP_READ_MIN + 64);
	wbuf = malloc(KHTTP_REC_MAX + 64);
	if (!ibuf || !wbuf) {
		perror("httpq_abuse: malloc");
		return 2;
	}
	snprintf(path, sizeof(path), "/dev/httpq/%s", pool);
	qfd = open(path, O_RDWR | O_CLOEXEC);
	if (qfd < 0) {
		fprintf(stderr, "httpq_abuse: %s: %s\n", path, strerror(errno));
		return 2;
	}

	structural_cases();
	good_headers_case();
	answered_twice_case();
	good_204_case();
	more_case("more-exact", 4, 6, false);
	more_case("more-overflow-last", 6, 6, false);
	more_case("more-overflow-not-last", 6, 6, true);
	more_case("more-overflow-first-record", 11, 0, false);
	more_case("more-short-last", 4, 3, false);
	more_case("more-short-empty-last", 4, 0, false);
	chunked_case();
	batch_case();
	other_file_case(path);
	client_gone_case("client-gone-fin", false);
	client_gone_case("client-gone-reset", true);
	client_gone_stream_case();
	abort_case("abort-chunked-stream", KHTTP_LENGTH_CHUNKED);
	abort_case("abort-length-stream", 10);
	small_read_case();
	body_records_case();
	padding_case();
	efault_case();
	max_record_case();
	nonblock_poll_case();
	answer_before_body_case();
	backpressure_case();
	pool_set_case();
	if (pool2)
		pool_del_case(pool2, prefix2);

	close(qfd);
	printf("%s: %d failed\n", nfailed ? "FAIL" : "PASS", nfailed);
	return nfailed ? 1 : 0;
}
