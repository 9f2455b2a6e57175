/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What test_httpq's two files share: check(), which prints and counts
 * one result, the buffer the tests build kernel-side records in with
 * put(), align(), add_request() and add_body() (test_httpq.c), and the
 * socket-pair tests of test_httpq_io.c that main() runs.
 */
#ifndef TEST_HTTPQ_H
#define TEST_HTTPQ_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "httpq.h"
#include "httpq_rec.h"

void check(const char *name, int cond);

/* ---- building kernel-side records ----------------------------------- */

struct buf {
	unsigned char b[1 << 17];
	size_t len;
};

void put(struct buf *m, const void *p, size_t n);
void align(struct buf *m);
size_t add_request(struct buf *m, uint64_t id, uint16_t flags,
		   uint8_t method, const char *mstr, const char *target,
		   const char *headers, const char *body, size_t blen,
		   uint64_t clen);
void add_body(struct buf *m, uint64_t id, int more, const char *d,
	      size_t n);

/* ---- over a socket pair (test_httpq_io.c) ------------------------------ */

void test_receive(void);
void test_big(void);
void test_refused(void);
void test_drain(void);
void test_serve(void);
void test_misc(void);

/* test_httpq_ring.c */
void test_ring(void);

#endif
