/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The access log (log.c): one multicast message per request.
 */
#ifndef KHTTP_LOG_H
#define KHTTP_LOG_H

#include <linux/ktime.h>
#include <linux/types.h>

struct khttp_conn;

/* log.c: the access log. */
struct khttp_logrec;
void khttp_log_capture(struct khttp_conn *c, bool parsed);
void khttp_log_emit(struct khttp_conn *c);
void khttp_log_end(struct khttp_conn *c, ktime_t end);
void khttp_log_drop(struct khttp_conn *c);

#endif /* KHTTP_LOG_H */
