/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What httpq_abuse's files share: the options and the worker's file
 * (set by main() in httpq_abuse.c), the ok/not ok reporting (begin, FAIL,
 * EXPECT, end), the client and worker helpers of httpq_abuse_io.c, and
 * the cases each httpq_abuse_*.c file holds, in the order main() runs
 * them.
 */
#ifndef HTTPQ_ABUSE_H
#define HTTPQ_ABUSE_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/khttp.h>

#define ALIGN8(x)	(((x) + KHTTP_REC_ALIGN - 1) & ~(size_t)(KHTTP_REC_ALIGN - 1))
#define REQ_HDRS	"Host: abuse\r\nConnection: close\r\n"
#define WAIT_MS		10000
#define REC_SZ		sizeof(struct khttp_rec)
#define RI_SZ		sizeof(struct khttp_resp_info)
#define INFO_SZ		sizeof(struct khttp_req_info)

extern const char *host;
extern int port;
extern const char *prefix;
extern const char *pool;
extern int qfd;			/* the worker's file on the pool */
extern char *ibuf;		/* KHTTP_READ_MIN: what the worker reads */
extern size_t ilen, ioff;	/* records in ibuf not yet handed out */
extern char *wbuf;		/* records the worker writes */
extern int nfailed;

/* ---- reporting (httpq_abuse.c) ---- */

void begin(const char *name);
void __attribute__((format(printf, 2, 3)))
failf(int line, const char *fmt, ...);
#define FAIL(...)		failf(__LINE__, __VA_ARGS__)
#define EXPECT(cond, ...)	do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)
void end(void);
const char *res(long n);
long wr(int fd, const void *buf, size_t len);
long rd(int fd, void *buf, size_t len);
void msleep(int ms);
long now_ms(void);

/* ---- the client side (httpq_abuse_io.c) ---- */

enum { END_EOF, END_RESET, END_TIMEOUT, END_ERROR };
extern const char * const end_names[];

struct resp {
	int status;		/* from the status line, 0 if none */
	int end;		/* END_* */
	size_t total;		/* bytes received */
	size_t len;		/* bytes kept in buf */
	char buf[65536];
};

int client(const char *method, const char *name, const char *body,
	   size_t blen);
int client_get(const char *name);
struct resp *client_wait(int fd, int timeout_ms);
const char *resp_body(struct resp *r);
bool resp_has(struct resp *r, const char *line);

/* ---- the worker side (httpq_abuse_io.c) ---- */

struct req {
	__u64 id;
	__u32 len;
	__u16 flags;
	__u8 method;
	char target[256];
};

int read_more(int timeout_ms);
int get_req(struct req *q, const char *name);
size_t mk_resp(char *buf, __u64 id, __u16 status, __u16 flags,
	       const char *hdrs, size_t hl, const char *body,
	       size_t bl, __u64 clen);
size_t mk_body(char *buf, __u64 id, __u16 flags, const char *data,
	       size_t n);
size_t mk_good(char *buf, __u64 id, const char *tag);
void check_good(struct resp *r, const char *tag);
void answer_good(int cfd, const struct req *q, const char *tag);

/* ---- the cases ---- */

/* httpq_abuse_records.c */
void structural_cases(void);
void good_headers_case(void);
void answered_twice_case(void);
void good_204_case(void);
void more_case(const char *name, size_t first, size_t second,
	       bool second_more);
void batch_case(void);
void max_record_case(void);

/* httpq_abuse_stream.c */
void chunked_case(void);
void abort_case(const char *name, uint64_t clen);
void client_gone_case(const char *name, bool reset);
void client_gone_stream_case(void);
void backpressure_case(void);

/* httpq_abuse_read.c */
void small_read_case(void);
void body_records_case(void);
void padding_case(void);
void efault_case(void);
void nonblock_poll_case(void);
void answer_before_body_case(void);

/* httpq_abuse_pool.c */
void other_file_case(const char *path);
void pool_set_case(void);
void pool_del_case(const char *pool2, const char *prefix2);

#endif
