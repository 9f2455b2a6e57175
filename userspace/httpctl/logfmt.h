// SPDX-License-Identifier: GPL-2.0
/*
 * httpctl: access-log and metrics formatting, with no netlink in it, so
 * that tests/test_httpctl_fmt.c can check every byte of the output.
 */
#ifndef HTTPCTL_LOG_H
#define HTTPCTL_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <linux/khttp.h>

enum httpctl_log_format {
	HTTPCTL_LOG_NCSA = 1,	/* NCSA combined, as Apache and nginx */
	HTTPCTL_LOG_W3C,	/* W3C extended, as IIS */
	HTTPCTL_LOG_JSON,	/* one JSON object a line */
};

/* One KHTTP_CMD_LOG_EVENT record; absent strings are NULL. */
struct httpctl_log_rec {
	uint64_t time_ns;	/* UTC */
	struct khttp_addr client, server;
	bool have_client, have_server;
	const char *method, *target, *host, *referer, *user_agent;
	unsigned int version;	/* 10, 11; 0 if unknown */
	unsigned int status;
	uint64_t bytes;
	uint32_t duration_us;
	unsigned int source;	/* enum khttp_log_source; 0 if unknown */
	unsigned int tls_version, tls_cipher;	/* 0: http */
	uint64_t lost;
};

/* "ncsa" (or "combined"), "w3c", "json"; 0 if unknown. */
int httpctl_log_format_parse(const char *s);

/* "static", "pool", "cache", "error"; NULL if unknown. */
const char *httpctl_log_source_name(unsigned int v);

/*
 * One line each, newline included:
 *   NCSA: HOST - - [DD/Mon/YYYY:HH:MM:SS +0000] "METHOD TARGET HTTP/V"
 *         STATUS BYTES "REFERER" "USER-AGENT"
 *     (bytes "-" when 0; "-" for an absent field; the whole request "-"
 *     when the request could not be parsed; ", \ and bytes outside
 *     0x20..0x7e escaped as \", \\ and \xHH, as Apache does)
 *   W3C:  date time c-ip s-ip s-port cs-method cs-uri-stem cs-uri-query
 *         sc-status sc-bytes time-taken cs(User-Agent) cs(Referer) cs-host
 *         x-tls-version x-tls-cipher
 *     (time-taken in ms; "-" for absent or empty; a space becomes "+",
 *     other bytes outside 0x21..0x7e become %XX, as IIS does)
 *   JSON: {"time":"YYYY-MM-DDTHH:MM:SS.mmmZ","client":..., ...}
 */
void httpctl_log_ncsa(FILE *f, const struct httpctl_log_rec *r);
void httpctl_log_w3c(FILE *f, const struct httpctl_log_rec *r);
void httpctl_log_json(FILE *f, const struct httpctl_log_rec *r);
/*
 * W3C's x-tls-* fields are "-" over http.  JSON also has "scheme" ("http"
 * or "https") and, for https, "tls_version"
 * ("TLSv1.2", "TLSv1.3") and "tls_cipher" ("AES-128-GCM", ...): what kTLS
 * runs on the connection.
 */

/* The #Software, #Version, #Date and #Fields directives; @now UTC. */
void httpctl_log_w3c_header(FILE *f, time_t now);

/* A Prometheus label value, quotes included (\\, \" and \n escaped). */
void httpctl_prom_label(FILE *f, const char *s);

/*
 * Write @s as one word that httpctl_split_line() reads back unchanged:
 * as is when it has only safe characters, else in double quotes with
 * " and \ escaped.
 */
void httpctl_batch_word(FILE *f, const char *s);

#endif /* HTTPCTL_LOG_H */
