/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Results of the device and netlink test programs, one line each:
 * "ok NAME" or "not ok NAME: why", counted in passed and failed.  A file
 * may define TAP_PREFIX (e.g. "diff/") before including this.
 */
#ifndef KHTTP_TESTS_TAP_H
#define KHTTP_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#ifndef TAP_PREFIX
#define TAP_PREFIX ""
#endif

/*
 * A program of several files defines TAP_SHARED in each before including
 * this, and TAP_MAIN too in the one file that holds the counters and
 * result(); one file alone gets them static.
 */
#ifdef TAP_SHARED
#define TAP_LINKAGE
extern unsigned int passed, failed;
#else
#define TAP_LINKAGE static
#endif

TAP_LINKAGE void result(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#if !defined(TAP_SHARED) || defined(TAP_MAIN)
TAP_LINKAGE unsigned int passed, failed;

TAP_LINKAGE void result(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%s " TAP_PREFIX "%s", ok ? "ok" : "not ok", name);
	if (fmt) {
		printf(": ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	putchar('\n');
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}
#endif

#endif /* KHTTP_TESTS_TAP_H */
