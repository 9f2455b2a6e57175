/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The print model, as iproute2's json_print.h: a field is printed once,
 * print_*(p, PRINT_ANY, key, fmt, value), and goes out as "key": value
 * in JSON and through fmt in text.  PRINT_FP: text only; PRINT_JSON: JSON
 * only; a NULL key or fmt skips that side too.
 */
#ifndef HTTPCTL_PRINT_H
#define HTTPCTL_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "logfmt.h"
#include "util.h"

enum { PRINT_FP = 1, PRINT_JSON = 2, PRINT_ANY = PRINT_FP | PRINT_JSON };

struct pr {
	struct json j;
	FILE *f;
	bool json;
};

void pr_init(struct pr *p, FILE *f, bool json);
void pr_open_object(struct pr *p, const char *key);
void pr_close_object(struct pr *p);
void pr_open_array(struct pr *p, const char *key);
void pr_close_array(struct pr *p);
/* A key (JSON only) for the object or array that follows. */
void print_key(struct pr *p, const char *key);

void print_string(struct pr *p, int t, const char *key, const char *fmt,
		  const char *v);
void print_u64(struct pr *p, int t, const char *key, const char *fmt,
	       unsigned long long v);
/* JSON true/false; text: fmt when @v (a flag word), nothing otherwise. */
void print_bool(struct pr *p, int t, const char *key, const char *fmt,
		bool v);
/* A word of a batch line (quoted as httpctl -b reads it back). */
void print_word(struct pr *p, int t, const char *key, const char *lead,
		const char *v);
__attribute__((format(printf, 2, 3)))
void print_fp(struct pr *p, const char *fmt, ...);

#endif
