/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What test_httpctl's two files share: the headers of the helpers under
 * test, check(), which prints and counts one result (test_httpctl.c), and
 * the formatting tests of test_httpctl_fmt.c that main() runs.
 */
#ifndef TEST_HTTPCTL_H
#define TEST_HTTPCTL_H

#include <linux/khttp.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../httpctl/logfmt.h"
#include "../httpctl/util.h"

void check(const char *name, int cond);

/* test_httpctl_fmt.c */
void test_json_escape(void);
void test_json_writer(void);
void test_extack(void);
void test_log_formats(void);

#endif
