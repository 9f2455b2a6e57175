/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The metrics and status routes (metrics.c): khttp's counters answered
 * by the kernel, as the Prometheus text format or as an HTML page.
 */
#ifndef KHTTP_METRICS_H
#define KHTTP_METRICS_H

#include <linux/types.h>

struct khttp_conn;

/* When the module was loaded, for the status page's rates. */
void khttp_metrics_init(void);

/*
 * Answer the request on @c for a route of @type (KHTTP_ROUTE_METRICS or
 * KHTTP_ROUTE_STATUS); @rest is the path after the route's prefix: only
 * the prefix itself ("" or "/") has an answer, anything below it is 404.
 */
void khttp_metrics_serve(struct khttp_conn *c, u8 type, const char *rest);

#endif /* KHTTP_METRICS_H */
