// SPDX-License-Identifier: GPL-2.0
/* httpctl: the print model (print.h): one call per field, text or JSON. */
#include <stdarg.h>

#include "print.h"

void pr_init(struct pr *p, FILE *f, bool json)
{
	json_init(&p->j, f);
	p->f = f;
	p->json = json;
}

void pr_open_object(struct pr *p, const char *key)
{
	if (!p->json)
		return;
	if (key)
		json_key(&p->j, key);
	json_begin_object(&p->j);
}

void pr_close_object(struct pr *p)
{
	if (p->json)
		json_end_object(&p->j);
}

void pr_open_array(struct pr *p, const char *key)
{
	if (!p->json)
		return;
	if (key)
		json_key(&p->j, key);
	json_begin_array(&p->j);
}

void pr_close_array(struct pr *p)
{
	if (p->json)
		json_end_array(&p->j);
}

void print_key(struct pr *p, const char *key)
{
	if (p->json)
		json_key(&p->j, key);
}

/* JSON wanted: the key written, true; text wanted: false. */
static bool pr_json(struct pr *p, int t, const char *key)
{
	if (!p->json || !(t & PRINT_JSON))
		return false;
	if (key)
		json_key(&p->j, key);
	return true;
}

static bool pr_text(struct pr *p, int t, const char *fmt)
{
	return !p->json && (t & PRINT_FP) && fmt;
}

void print_string(struct pr *p, int t, const char *key, const char *fmt,
		  const char *v)
{
	if (pr_json(p, t, key))
		json_string(&p->j, v);
	else if (pr_text(p, t, fmt))
		fprintf(p->f, fmt, v);
}

void print_u64(struct pr *p, int t, const char *key, const char *fmt,
	       unsigned long long v)
{
	if (pr_json(p, t, key))
		json_uint(&p->j, v);
	else if (pr_text(p, t, fmt))
		fprintf(p->f, fmt, v);
}

void print_bool(struct pr *p, int t, const char *key, const char *fmt,
		bool v)
{
	if (pr_json(p, t, key))
		json_bool(&p->j, v);
	else if (pr_text(p, t, fmt) && v)
		fputs(fmt, p->f);
}

void print_word(struct pr *p, int t, const char *key, const char *lead,
		const char *v)
{
	if (pr_json(p, t, key)) {
		json_string(&p->j, v);
	} else if (pr_text(p, t, lead)) {
		fputs(lead, p->f);
		httpctl_batch_word(p->f, v);
	}
}

void print_fp(struct pr *p, const char *fmt, ...)
{
	va_list ap;

	if (p->json)
		return;
	va_start(ap, fmt);
	vfprintf(p->f, fmt, ap);
	va_end(ap);
}
