// SPDX-License-Identifier: GPL-2.0
/*
 * httpctl: access-log and metrics formatting (see httpctl_log.h).
 */
#include <string.h>
#include <sys/socket.h>

#include "logfmt.h"
#include "util.h"
#include "tlsnames.h"

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static const char *const source_names[] = {
	[KHTTP_LOG_STATIC] = "static",
	[KHTTP_LOG_POOL] = "pool",
	[KHTTP_LOG_CACHE] = "cache",
	[KHTTP_LOG_ERROR] = "error",
	[KHTTP_LOG_REDIRECT] = "redirect",
	[KHTTP_LOG_METRICS] = "metrics",
};

int httpctl_log_format_parse(const char *s)
{
	if (!strcmp(s, "ncsa") || !strcmp(s, "combined"))
		return HTTPCTL_LOG_NCSA;
	if (!strcmp(s, "w3c"))
		return HTTPCTL_LOG_W3C;
	if (!strcmp(s, "json"))
		return HTTPCTL_LOG_JSON;
	return 0;
}

const char *httpctl_log_source_name(unsigned int v)
{
	return v < sizeof(source_names) / sizeof(source_names[0]) ?
	       source_names[v] : NULL;
}

static void utc(uint64_t ns, struct tm *tm)
{
	time_t t = (time_t)(ns / 1000000000ULL);

	gmtime_r(&t, tm);
}

static const char *host(const struct khttp_addr *a, bool have, char *buf,
			size_t len)
{
	if (!have)
		return "-";
	return httpctl_addr_host(a, buf, len);
}

/* Apache's ap_escape_logitem(): what may sit inside "..." in a log. */
static void ncsa_item(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s || !*s) {
		fputc('-', f);
		return;
	}
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p > 0x7e)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

static void version(FILE *f, unsigned int v)
{
	if (!v)
		v = 10;
	fprintf(f, "HTTP/%u.%u", v / 10, v % 10);
}

void httpctl_log_ncsa(FILE *f, const struct httpctl_log_rec *r)
{
	char buf[HTTPCTL_ADDRSTRLEN];
	struct tm tm;

	utc(r->time_ns, &tm);
	fprintf(f, "%s - - [%02d/%s/%04d:%02d:%02d:%02d +0000] \"",
		host(&r->client, r->have_client, buf, sizeof(buf)),
		tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
		tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (r->method && *r->method) {
		ncsa_item(f, r->method);
		fputc(' ', f);
		ncsa_item(f, r->target);
		fputc(' ', f);
		version(f, r->version);
	} else {
		fputc('-', f);	/* not a parsable request */
	}
	fprintf(f, "\" %u ", r->status);
	if (r->bytes)
		fprintf(f, "%llu", (unsigned long long)r->bytes);
	else
		fputc('-', f);
	fputs(" \"", f);
	ncsa_item(f, r->referer);
	fputs("\" \"", f);
	ncsa_item(f, r->user_agent);
	fputs("\"\n", f);
}

/* One W3C field: no blanks inside, "-" when empty. */
static void w3c_field(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	if (!s || !len) {
		fputc('-', f);
		return;
	}
	for (i = 0; i < len && p[i]; i++) {
		if (p[i] == ' ')
			fputc('+', f);
		else if (p[i] <= 0x20 || p[i] > 0x7e)
			fprintf(f, "%%%02X", p[i]);
		else
			fputc(p[i], f);
	}
}

static void w3c_str(FILE *f, const char *s)
{
	w3c_field(f, s, s ? strlen(s) : 0);
}

void httpctl_log_w3c_header(FILE *f, time_t now)
{
	struct tm tm;

	gmtime_r(&now, &tm);
	fprintf(f, "#Software: khttp %s\n#Version: 1.0\n"
		"#Date: %04d-%02d-%02d %02d:%02d:%02d\n"
		"#Fields: date time c-ip s-ip s-port cs-method cs-uri-stem "
		"cs-uri-query sc-status sc-bytes time-taken cs(User-Agent) "
		"cs(Referer) cs-host x-tls-version x-tls-cipher\n",
		KHTTP_VERSION_STRING,
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void httpctl_log_w3c(FILE *f, const struct httpctl_log_rec *r)
{
	char cbuf[HTTPCTL_ADDRSTRLEN], sbuf[HTTPCTL_ADDRSTRLEN];
	const char *q = NULL;
	size_t stem = 0;
	struct tm tm;

	utc(r->time_ns, &tm);
	if (r->target) {
		q = strchr(r->target, '?');
		stem = q ? (size_t)(q - r->target) : strlen(r->target);
	}
	fprintf(f, "%04d-%02d-%02d %02d:%02d:%02d %s %s ",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		tm.tm_hour, tm.tm_min, tm.tm_sec,
		host(&r->client, r->have_client, cbuf, sizeof(cbuf)),
		host(&r->server, r->have_server, sbuf, sizeof(sbuf)));
	if (r->have_server)
		fprintf(f, "%u ", r->server.port);
	else
		fputs("- ", f);
	w3c_str(f, r->method);
	fputc(' ', f);
	w3c_field(f, r->target, stem);
	fputc(' ', f);
	w3c_str(f, q ? q + 1 : NULL);
	fprintf(f, " %u %llu %u ", r->status, (unsigned long long)r->bytes,
		r->duration_us / 1000);
	w3c_str(f, r->user_agent);
	fputc(' ', f);
	w3c_str(f, r->referer);
	fputc(' ', f);
	w3c_str(f, r->host);
	/* W3C's x- prefix: fields of this application ("-" over http). */
	fputc(' ', f);
	w3c_str(f, khttp_tls_version_name(r->tls_version));
	fputc(' ', f);
	w3c_str(f, khttp_tls_cipher_name(r->tls_cipher));
	fputc('\n', f);
}

static void json_opt(struct json *j, const char *key, const char *s)
{
	if (!s)
		return;
	json_key(j, key);
	json_string(j, s);
}

void httpctl_log_json(FILE *f, const struct httpctl_log_rec *r)
{
	char buf[HTTPCTL_ADDRSTRLEN], ts[48], v[16];
	const char *src = httpctl_log_source_name(r->source);
	struct json j;
	struct tm tm;

	utc(r->time_ns, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned int)(r->time_ns % 1000000000ULL / 1000000));
	json_init(&j, f);
	json_begin_object(&j);
	json_key(&j, "time");
	json_string(&j, ts);
	json_key(&j, "time_ns");
	json_uint(&j, r->time_ns);
	if (r->have_client) {
		json_key(&j, "client");
		json_string(&j, httpctl_addr_host(&r->client, buf, sizeof(buf)));
		json_key(&j, "client_port");
		json_uint(&j, r->client.port);
	}
	if (r->have_server) {
		json_key(&j, "server");
		json_string(&j, httpctl_addr_host(&r->server, buf, sizeof(buf)));
		json_key(&j, "server_port");
		json_uint(&j, r->server.port);
	}
	json_opt(&j, "method", r->method);
	json_opt(&j, "target", r->target);
	if (r->version) {
		snprintf(v, sizeof(v), "%u.%u", r->version / 10,
			 r->version % 10);
		json_key(&j, "version");
		json_string(&j, v);
	}
	json_opt(&j, "host", r->host);
	json_opt(&j, "referer", r->referer);
	json_opt(&j, "user_agent", r->user_agent);
	json_key(&j, "status");
	json_uint(&j, r->status);
	json_key(&j, "bytes");
	json_uint(&j, r->bytes);
	json_key(&j, "duration_us");
	json_uint(&j, r->duration_us);
	json_opt(&j, "source", src);
	json_key(&j, "scheme");
	json_string(&j, r->tls_version ? "https" : "http");
	json_opt(&j, "tls_version", khttp_tls_version_name(r->tls_version));
	json_opt(&j, "tls_cipher", khttp_tls_cipher_name(r->tls_cipher));
	json_end_object(&j);	/* ends the line */
}

void httpctl_prom_label(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void httpctl_batch_word(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	bool plain = *s && *s != '#';

	for (; *p && plain; p++)
		if (*p <= 0x20 || *p > 0x7e || strchr("\"'\\", *p))
			plain = false;
	if (plain) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', f);
		fputc(*p, f);
	}
	fputc('"', f);
}
