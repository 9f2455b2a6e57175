/* SPDX-License-Identifier: GPL-2.0 */
/*
 * httpctl: configure khttp over generic netlink.
 *
 *   httpctl [-n NAME] [-j] [-b FILE] COMMAND ...
 *
 * One file per object, as iproute2's ip/ is split:
 *
 *   main.c    messages, the command table, dispatch, main()
 *   nl.c      the socket, family resolution, req_new()/req_run(), extack
 *   status.c  status
 *   listen.c  iplisten          route.c   route       pool.c   pool
 *   tls.c     tls (certificate bindings)
 *   config.c  set, show config  cache.c   cache       stats.c  stats
 *   show.c    the running configuration (read once) and show/dump
 *   log.c     log (the access log)
 *   netns.c   -n NAME: enter a named network namespace first
 *   batch.c   -b FILE: check, apply with an undo list, roll back
 *   print.c   the print model: print_*(p, PRINT_ANY, key, fmt, value)
 *   util.c    plain-C helpers (parsing, formatting, JSON), unit tested
 *   logfmt.c  access log formats (ncsa, w3c, json), unit tested
 *
 * Commands live in one table (cmds[] in main.c): object, verb, handler,
 * usage, and what batch mode needs to know of it (read-only, its undo).
 * A handler parses its words, builds one request with req_new(), and runs
 * it with req_run(), which sends it, reads every reply through a
 * per-message callback, and prints the kernel's extack message on error
 * (or as a warning on success).
 */
#ifndef HTTPCTL_H
#define HTTPCTL_H

#define _GNU_SOURCE	/* ppoll */
#include <linux/khttp.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>

#include "logfmt.h"
#include "print.h"
#include "util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct ctx {
	struct nl_sock *sk;
	int family;
	bool json;
	bool dry_run;		/* batch check: parse and build, send nothing */
	bool quiet;		/* no messages (best-effort queries) */
	const char *cmdname;	/* "route add", for fallback messages */
	char where[PATH_MAX + 32];	/* "FILE:LINE: " in batch mode */
	const struct nlmsghdr *reply;	/* the message a reply_fn is given */
};

struct batch;

/*
 * One command.  For batch mode: @readonly commands are only run, never
 * undone; @undo writes the command lines that undo this one (given the
 * words after "object verb"), computed before it runs, from the snapshot
 * of the configuration if @undo_snap; @applied, after it ran, keeps the
 * snapshot up to date and says so (false: read it again when needed).
 */
struct cmd {
	const char *object;
	const char *verb;	/* NULL: the object is the whole command */
	int (*fn)(struct ctx *c, int argc, char **argv);
	const char *args;	/* usage after "object verb" */
	bool readonly;
	bool not_in_batch;
	bool undo_snap;
	int (*undo)(struct batch *b, int argc, char **argv, FILE *f);
	bool (*applied)(struct batch *b, int argc, char **argv);
};

/* main.c: messages */
__attribute__((format(printf, 2, 3)))
int err(const struct ctx *c, const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
void warn(const struct ctx *c, const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
int usage_err(const struct ctx *c, const char *fmt, ...);

/* netns.c */
int netns_enter(struct ctx *c, const char *name);
int no_args(const struct ctx *c, int argc, char **argv);
int check_len(struct ctx *c, const char *what, const char *s, size_t max);
const struct cmd *find_cmd(int argc, char **argv);
int dispatch(struct ctx *c, int argc, char **argv);

/* nl.c */
/* tb[] size for any reply: the largest attribute set fits. */
#define NL_ATTR_MAX	31
/* Parse a reply with the attribute set of its command's object. */
int nl_parse(struct nlmsghdr *nlh, struct nlattr **tb);
typedef int (*reply_fn)(struct ctx *c, struct nlattr **tb, void *arg);
int connect_family(struct ctx *c);
struct nl_msg *req_new(struct ctx *c, uint8_t cmd, bool dump);
int req_run(struct ctx *c, struct nl_msg *msg, reply_fn fn, void *arg);
/*
 * Dump @cmd as one list on @p, each reply through @fn(@arg); connects first,
 * so nothing ("[]") is printed when nothing could be asked.
 */
int dump_array(struct ctx *c, struct pr *p, uint8_t cmd, reply_fn fn,
	       void *arg);
/* `OBJECT list`: dump @cmd, each reply printed by @fn into one list. */
int dump_list(struct ctx *c, int argc, char **argv, uint8_t cmd,
	      reply_fn fn);

static inline uint32_t get_u32(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u32(tb[a]) : 0;
}

/* stats.c */
struct stats {
	bool have[KHTTP_STAT_MAX + 1];
	uint64_t val[KHTTP_STAT_MAX + 1];
};

int counters_parse(struct nlattr *nest, int max, int pad, bool *have,
		   uint64_t *val);
int stats_parse(struct nlattr *nest, struct stats *s);
void stats_print(struct pr *p, const struct stats *s, const char *indent);
int stats_reply(struct ctx *c, struct nlattr **tb, void *arg);
int cmd_stats(struct ctx *c, int argc, char **argv);

/* status.c */
int cmd_status(struct ctx *c, int argc, char **argv);

/* listen.c */
struct listen_walk {
	struct pr p;
	bool stats;	/* print each entry's counters too */
};

struct r_listen {
	struct khttp_addr a;
	bool tls;
	struct stats s;
};

enum listen_form { LISTEN_LIST, LISTEN_STATS, LISTEN_SHOW };
void listen_print(struct pr *p, const struct r_listen *l,
		  enum listen_form form);
int listen_dump(struct ctx *c, struct listen_walk *w);
int run_listen_reply(struct ctx *c, struct nlattr **tb, void *arg);
int cmd_listen_add(struct ctx *c, int argc, char **argv);
int cmd_listen_del(struct ctx *c, int argc, char **argv);
int cmd_listen_list(struct ctx *c, int argc, char **argv);
int undo_listen_add(struct batch *b, int argc, char **argv, FILE *f);
int undo_listen_del(struct batch *b, int argc, char **argv, FILE *f);

/* tls.c */
struct r_tls {
	bool is_addr;
	struct khttp_addr a;		/* is_addr */
	char host[254];			/* !is_addr */
	uint16_t port;			/* !is_addr */
	char *cert, *key;		/* copies */
};

void tls_print(struct pr *p, const struct r_tls *t, bool show);
void tls_free(struct r_tls *t);
int run_tls_reply(struct ctx *c, struct nlattr **tb, void *arg);
int cmd_tls_add(struct ctx *c, int argc, char **argv);
int cmd_tls_del(struct ctx *c, int argc, char **argv);
int cmd_tls_list(struct ctx *c, int argc, char **argv);
int undo_tls_add(struct batch *b, int argc, char **argv, FILE *f);
int undo_tls_del(struct batch *b, int argc, char **argv, FILE *f);

/* route.c */
struct r_errpage {
	uint16_t status;
	char *path;
};

/*
 * A route.  The strings point into the reply (route list) or are copies
 * (the snapshot: run_route_reply()); the three arrays (headers, error
 * pages, access rules) are always the route's own (route_free()).
 */
struct r_route {
	char *prefix, *target;	/* dir, pool, URL; "" for metrics, status */
	uint8_t type;
	int cache;		/* -1: not a pool route */
	int reachable;		/* -1: not reported */
	uint64_t max_bps;
	bool precompressed;	/* static: FILE.br, FILE.gz too */
	uint16_t redirect_status;	/* redirect routes */
	bool keep_path;
	char **hdrs;		/* added header lines */
	size_t nhdrs;
	struct r_errpage *errpages;
	size_t nerrpages;
	struct khttp_access_rule *access;	/* in order */
	size_t naccess;
};

void route_free(struct r_route *rt, bool strings);

int run_route_reply(struct ctx *c, struct nlattr **tb, void *arg);
void route_print(struct pr *p, const struct r_route *rt, bool show);
void show_route_add(FILE *f, const struct r_route *rt);
int cmd_route_add(struct ctx *c, int argc, char **argv);
int cmd_route_del(struct ctx *c, int argc, char **argv);
int cmd_route_list(struct ctx *c, int argc, char **argv);
int undo_route_add(struct batch *b, int argc, char **argv, FILE *f);
int undo_route_del(struct batch *b, int argc, char **argv, FILE *f);
bool applied_route_del(struct batch *b, int argc, char **argv);

/* pool.c */
struct pool_stats {
	bool have[KHTTP_PSTAT_MAX + 1];
	uint64_t val[KHTTP_PSTAT_MAX + 1];
};

struct pool_walk {
	struct pr p;
	bool stats;	/* httpctl stats: name and counters only */
};

struct r_pool {
	char name[KHTTP_POOL_NAME_MAX];
	uint8_t state, verb;
	uint16_t mode;
	uint32_t qlen, tmo, uid, gid, rfc, rfs, queued, in_hand, readers;
	uint32_t queued_max;
	struct pool_stats s;
};

int pool_dump(struct ctx *c, struct pool_walk *w);
int run_pool_reply(struct ctx *c, struct nlattr **tb, void *arg);
enum pool_form { POOL_LIST, POOL_STATS, POOL_SHOW };
void pool_print(struct pr *p, const struct r_pool *o, enum pool_form form);
void show_pool_add(FILE *f, const struct r_pool *p);
int cmd_pool_add(struct ctx *c, int argc, char **argv);
int cmd_pool_set(struct ctx *c, int argc, char **argv);
int cmd_pool_del(struct ctx *c, int argc, char **argv);
int cmd_pool_list(struct ctx *c, int argc, char **argv);
int undo_pool_add(struct batch *b, int argc, char **argv, FILE *f);
int undo_pool_set(struct batch *b, int argc, char **argv, FILE *f);
int undo_pool_del(struct batch *b, int argc, char **argv, FILE *f);

/* config.c */
#define N_TUNABLES 13
extern const struct tunable {
	const char *name;	/* keyword in `set` */
	const char *json;	/* key in `show config -j` */
	int attr;
	bool u64;
	bool bytes;		/* takes K/M/G/T suffixes */
} tunables[N_TUNABLES];

struct config {
	bool have[N_TUNABLES];
	uint64_t val[N_TUNABLES];
};

int config_reply(struct ctx *c, struct nlattr **tb, void *arg);
int cmd_set(struct ctx *c, int argc, char **argv);
void config_print(struct pr *p, const struct config *cf);
int cmd_show_config(struct ctx *c, int argc, char **argv);
int undo_set(struct batch *b, int argc, char **argv, FILE *f);

/* cache.c */
int cmd_cache_list(struct ctx *c, int argc, char **argv);
int cmd_cache_flush(struct ctx *c, int argc, char **argv);

/* show.c: the running configuration (show, batch rollback, metrics) */
struct running {
	struct config cf;
	struct stats gs;
	struct r_listen *listen;
	struct r_route *routes;
	struct r_pool *pools;
	struct r_tls *tls;
	size_t nlisten, nroutes, npools, ntls;
	bool oom;
};

void *grow(void *arr, size_t n, size_t size);

#define GROW(arr, n) ({						\
	__typeof__(arr) _g = grow((arr), (n), sizeof(*(arr)));	\
	_g ? ((arr) = _g, &(arr)[(n)++]) : NULL; })

void running_free(struct running *r);
int running_read(struct ctx *c, struct running *r, bool stats);
int cmd_show(struct ctx *c, int argc, char **argv);
int cmd_prometheus(struct ctx *c);

/* log.c */
int cmd_log(struct ctx *c, int argc, char **argv);

/* batch.c */
struct batch {
	struct ctx *c;
	const char *name;	/* the file's name in messages */
	struct running snap;	/* the configuration before this line */
	bool snap_ok;
	struct undo *undo;
	size_t nundo;
};

const struct r_pool *snap_pool(const struct batch *b, const char *n);
const struct r_route *snap_route(const struct batch *b, const char *p);
int run_batch(struct ctx *c, const char *path);

/* main.c */
int cmd_help(struct ctx *c, int argc, char **argv);

#endif
