// SPDX-License-Identifier: GPL-2.0
/* httpctl: pool: application pools. */
#include "httpctl.h"

/* ---- pool ---------------------------------------------------------- */

struct pool_opts {
	bool have_qlen, have_verb, have_tmo, have_uid, have_gid, have_mode;
	bool have_rf, have_rf_sec, have_state;
	uint32_t qlen, tmo, uid, gid, rf_count, rf_sec;
	uint16_t mode;
	uint8_t verb, state;
};

/* USER or GROUP by name or number. */
static int parse_id(struct ctx *c, const char *what, const char *s,
		    uint32_t *out)
{
	uint64_t v;
	struct passwd *pw;
	struct group *gr;

	if (!httpctl_parse_uint(s, 0, UINT32_MAX - 1, &v)) {
		*out = (uint32_t)v;
		return 0;
	}
	errno = 0;
	if (!strcmp(what, "owner")) {
		pw = getpwnam(s);
		if (pw) {
			*out = (uint32_t)pw->pw_uid;
			return 0;
		}
	} else {
		gr = getgrnam(s);
		if (gr) {
			*out = (uint32_t)gr->gr_gid;
			return 0;
		}
	}
	return usage_err(c, "%s: %s: no such %s \"%s\"", c->cmdname, what,
			 strcmp(what, "owner") ? "group" : "user", s);
}

/* The options after NAME, for pool add (@set false) and pool set. */
static int pool_opts_parse(struct ctx *c, int argc, char **argv, bool set,
			   struct pool_opts *o)
{
	static const char *const keys[] = {
		"queue-length", "verbosity", "queue-timeout", "owner", "group",
		"mode", "rapid-fail", "state",
	};
	bool *have[] = { &o->have_qlen, &o->have_verb, &o->have_tmo,
			 &o->have_uid, &o->have_gid, &o->have_mode,
			 &o->have_rf, &o->have_state };
	const char *k, *v;
	uint64_t n;
	size_t i;
	int ret, e;

	memset(o, 0, sizeof(*o));
	for (; argc > 0; argc -= 2, argv += 2) {
		k = argv[0];
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(k, keys[i]))
				break;
		if (i == sizeof(keys) / sizeof(keys[0]) ||
		    (!set && !strcmp(k, "state")))
			return usage_err(c, "%s: unknown option \"%s\"",
					 c->cmdname, k);
		if (*have[i])
			return usage_err(c, "%s: %s given twice", c->cmdname, k);
		if (argc < 2)
			return usage_err(c, "%s: missing value after %s",
					 c->cmdname, k);
		v = argv[1];
		*have[i] = true;
		switch (i) {
		case 0:
		case 2:
			if (httpctl_parse_uint(v, 0, UINT32_MAX, &n))
				return usage_err(c, "%s: %s: \"%s\" is not a "
						 "number", c->cmdname, k, v);
			*(i ? &o->tmo : &o->qlen) = (uint32_t)n;
			break;
		case 1:
			e = httpctl_verbosity_parse(v);
			if (!e)
				return usage_err(c, "%s: verbosity: \"%s\" is "
						 "not basic, limited or full",
						 c->cmdname, v);
			o->verb = (uint8_t)e;
			break;
		case 3:
		case 4:
			ret = parse_id(c, k, v, i == 3 ? &o->uid : &o->gid);
			if (ret)
				return ret;
			break;
		case 5:
			if (httpctl_parse_mode(v, &o->mode))
				return usage_err(c, "%s: mode: \"%s\" is not "
						 "octal permission bits (at "
						 "most 0777)", c->cmdname, v);
			break;
		case 6:
			if (httpctl_parse_rapid_fail(v, &o->rf_count,
						     &o->rf_sec,
						     &o->have_rf_sec))
				return usage_err(c, "%s: rapid-fail: \"%s\" is "
						 "not COUNT/SECONDS or off",
						 c->cmdname, v);
			break;
		case 7:
			e = httpctl_pool_state_parse(v);
			if (!e)
				return usage_err(c, "%s: state: \"%s\" is not "
						 "active or inactive",
						 c->cmdname, v);
			o->state = (uint8_t)e;
			break;
		}
	}
	return 0;
}

static int pool_opts_put(struct nl_msg *msg, const struct pool_opts *o)
{
	return (o->have_qlen &&
		nla_put_u32(msg, KHTTP_A_POOL_QUEUE_LENGTH, o->qlen) < 0) ||
	       (o->have_verb &&
		nla_put_u8(msg, KHTTP_A_POOL_VERBOSITY, o->verb) < 0) ||
	       (o->have_tmo &&
		nla_put_u32(msg, KHTTP_A_POOL_QUEUE_TIMEOUT_MS, o->tmo) < 0) ||
	       (o->have_uid && nla_put_u32(msg, KHTTP_A_POOL_UID, o->uid) < 0) ||
	       (o->have_gid && nla_put_u32(msg, KHTTP_A_POOL_GID, o->gid) < 0) ||
	       (o->have_mode &&
		nla_put_u16(msg, KHTTP_A_POOL_MODE, o->mode) < 0) ||
	       (o->have_rf &&
		nla_put_u32(msg, KHTTP_A_POOL_RAPID_FAIL_COUNT,
			    o->rf_count) < 0) ||
	       (o->have_rf_sec &&
		nla_put_u32(msg, KHTTP_A_POOL_RAPID_FAIL_SECONDS,
			    o->rf_sec) < 0) ||
	       (o->have_state &&
		nla_put_u8(msg, KHTTP_A_POOL_STATE, o->state) < 0) ? -1 : 0;
}

static int pool_change(struct ctx *c, int argc, char **argv, bool set)
{
	struct pool_opts o;
	struct nl_msg *msg;
	int ret;

	if (argc < 1)
		return usage_err(c, "%s: missing NAME", c->cmdname);
	if ((ret = check_len(c, "pool name", argv[0], KHTTP_POOL_NAME_MAX)))
		return ret;
	if ((ret = pool_opts_parse(c, argc - 1, argv + 1, set, &o)))
		return ret;
	if (set && argc == 1)
		return usage_err(c, "%s: nothing to change", c->cmdname);
	msg = req_new(c, set ? KHTTP_CMD_POOL_SET : KHTTP_CMD_POOL_ADD, false);
	if (msg && (nla_put_string(msg, KHTTP_A_POOL_NAME, argv[0]) < 0 ||
		    pool_opts_put(msg, &o))) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	return req_run(c, msg, NULL, NULL);
}

int cmd_pool_add(struct ctx *c, int argc, char **argv)
{
	return pool_change(c, argc, argv, false);
}

int cmd_pool_set(struct ctx *c, int argc, char **argv)
{
	return pool_change(c, argc, argv, true);
}

int cmd_pool_del(struct ctx *c, int argc, char **argv)
{
	struct nl_msg *msg;
	bool force = false;
	int ret;

	if (argc < 1)
		return usage_err(c, "%s: missing NAME", c->cmdname);
	if (argc > 1 && !strcmp(argv[1], "force"))
		force = true;
	if (argc > (force ? 2 : 1))
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[force ? 2 : 1]);
	if ((ret = check_len(c, "pool name", argv[0], KHTTP_POOL_NAME_MAX)))
		return ret;
	msg = req_new(c, KHTTP_CMD_POOL_DEL, false);
	if (msg && (nla_put_string(msg, KHTTP_A_POOL_NAME, argv[0]) < 0 ||
		    (force && nla_put_flag(msg, KHTTP_A_POOL_FORCE) < 0))) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	return req_run(c, msg, NULL, NULL);
}

static int pool_stats_parse(struct nlattr *nest, struct pool_stats *s)
{
	return counters_parse(nest, KHTTP_PSTAT_MAX, KHTTP_PSTAT_PAD, s->have,
			      s->val);
}

/* JSON: an object; text: "  queued N delivered N ..." on one line. */
static void pool_stats_print(struct pr *p, const struct pool_stats *s,
			     bool one_line)
{
	const char *name;
	char buf[32];
	bool first = true;
	int i;

	pr_open_object(p, NULL);
	for (i = 1; i <= KHTTP_PSTAT_MAX; i++) {
		if (!s->have[i])
			continue;
		name = httpctl_pool_stat_name((unsigned int)i);
		if (!name) {
			snprintf(buf, sizeof(buf), "stat_%d", i);
			name = buf;
		}
		print_u64(p, PRINT_JSON, name, NULL,
			  (unsigned long long)s->val[i]);
		if (one_line)
			print_fp(p, "%s%s %llu", first ? "  " : " ", name,
				 (unsigned long long)s->val[i]);
		else
			print_fp(p, "  %s %llu\n", name,
				 (unsigned long long)s->val[i]);
		first = false;
	}
	pr_close_object(p);
	if (one_line && !first)
		print_fp(p, "\n");
}

static const char *name_or(const char *name, char *buf, size_t len,
			   unsigned int v)
{
	if (name)
		return name;
	snprintf(buf, len, "%u", v);
	return buf;
}

static const char *user_name(uint32_t uid, char *buf, size_t len);
static const char *group_name(uint32_t gid, char *buf, size_t len);

/*
 * The pool in @tb, decoded once for pool list, stats, show, the batch
 * undo and the metrics.
 */
static int pool_decode(struct nlattr **tb, struct r_pool *p)
{
	if (!tb[KHTTP_A_POOL_NAME])
		return -1;
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s",
		 nla_get_string(tb[KHTTP_A_POOL_NAME]));
	p->state = tb[KHTTP_A_POOL_STATE] ?
		   nla_get_u8(tb[KHTTP_A_POOL_STATE]) : 0;
	p->verb = tb[KHTTP_A_POOL_VERBOSITY] ?
		  nla_get_u8(tb[KHTTP_A_POOL_VERBOSITY]) : 0;
	p->mode = tb[KHTTP_A_POOL_MODE] ? nla_get_u16(tb[KHTTP_A_POOL_MODE]) : 0;
	p->qlen = get_u32(tb, KHTTP_A_POOL_QUEUE_LENGTH);
	p->tmo = get_u32(tb, KHTTP_A_POOL_QUEUE_TIMEOUT_MS);
	p->uid = get_u32(tb, KHTTP_A_POOL_UID);
	p->gid = get_u32(tb, KHTTP_A_POOL_GID);
	p->rfc = get_u32(tb, KHTTP_A_POOL_RAPID_FAIL_COUNT);
	p->rfs = get_u32(tb, KHTTP_A_POOL_RAPID_FAIL_SECONDS);
	p->queued = get_u32(tb, KHTTP_A_POOL_QUEUED);
	p->in_hand = get_u32(tb, KHTTP_A_POOL_IN_HAND);
	p->readers = get_u32(tb, KHTTP_A_POOL_READERS);
	p->queued_max = get_u32(tb, KHTTP_A_POOL_QUEUED_MAX);
	return pool_stats_parse(tb[KHTTP_A_POOL_STATS], &p->s);
}

/*
 * One pool, the one model for every output: POOL_LIST (pool list: one
 * line and its counters), POOL_STATS (httpctl stats: the counters and the
 * high-water mark), POOL_SHOW (show and the batch undo: the settings, in
 * text the "pool add" line, no newline).
 */
void pool_print(struct pr *p, const struct r_pool *o, enum pool_form form)
{
	const char *state = httpctl_pool_state_name(o->state);
	const char *verb = httpctl_verbosity_name(o->verb);
	bool list = form == POOL_LIST, show = form == POOL_SHOW;
	char sbuf[16], vbuf[16], rf[32], ub[16], gb[16];

	pr_open_object(p, NULL);
	if (form == POOL_STATS) {
		/* The high-water mark, a gauge, next to the counters. */
		print_string(p, PRINT_ANY, "name", "pool %s\n", o->name);
		print_u64(p, PRINT_JSON, "queued_max", NULL, o->queued_max);
		print_key(p, "stats");
		pool_stats_print(p, &o->s, false);
		print_u64(p, PRINT_FP, NULL, "  queued_max %llu\n",
			  o->queued_max);
		pr_close_object(p);
		return;
	}
	if (show)
		print_word(p, PRINT_ANY, "name", "pool add ", o->name);
	else
		print_string(p, PRINT_ANY, "name", "%s", o->name);
	if (list)
		print_string(p, PRINT_ANY, "state", " state %s",
			     name_or(state, sbuf, sizeof(sbuf), o->state));
	else if (state)
		print_string(p, PRINT_JSON, "state", NULL, state);
	print_u64(p, PRINT_ANY, "queue_length", " queue-length %llu", o->qlen);
	if (list) {
		print_u64(p, PRINT_ANY, "queued", " queued %llu", o->queued);
		print_u64(p, PRINT_ANY, "in_hand", " in-hand %llu", o->in_hand);
		print_u64(p, PRINT_ANY, "readers", " readers %llu", o->readers);
		print_u64(p, PRINT_ANY, "queued_max", " queued-max %llu",
			  o->queued_max);
		print_string(p, PRINT_ANY, "verbosity", " verbosity %s",
			     name_or(verb, vbuf, sizeof(vbuf), o->verb));
	} else if (verb) {
		print_string(p, PRINT_ANY, "verbosity", " verbosity %s", verb);
	}
	print_u64(p, PRINT_ANY, "queue_timeout_ms", " queue-timeout %llu",
		  o->tmo);
	if (o->rfc)
		snprintf(rf, sizeof(rf), "%u/%u", o->rfc, o->rfs);
	else
		snprintf(rf, sizeof(rf), "off");
	if (list)
		print_string(p, PRINT_FP, NULL, " rapid-fail %s", rf);
	print_u64(p, PRINT_JSON, "rapid_fail_count", NULL, o->rfc);
	print_u64(p, PRINT_JSON, "rapid_fail_seconds", NULL, o->rfs);
	if (list) {
		print_u64(p, PRINT_ANY, "uid", " owner %llu", o->uid);
		print_u64(p, PRINT_ANY, "gid", " group %llu", o->gid);
	} else {
		print_u64(p, PRINT_JSON, "uid", NULL, o->uid);
		print_u64(p, PRINT_JSON, "gid", NULL, o->gid);
		if (!p->json) {
			print_string(p, PRINT_FP, NULL, " owner %s",
				     user_name(o->uid, ub, sizeof(ub)));
			print_string(p, PRINT_FP, NULL, " group %s",
				     group_name(o->gid, gb, sizeof(gb)));
		}
	}
	print_u64(p, PRINT_ANY, "mode", " mode %04llo", o->mode);
	if (show)
		print_string(p, PRINT_FP, NULL, " rapid-fail %s", rf);
	if (list) {
		print_fp(p, "\n");
		print_key(p, "stats");
		pool_stats_print(p, &o->s, true);
	}
	pr_close_object(p);
}

static int pool_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct pool_walk *w = arg;
	struct r_pool o;

	(void)c;
	if (pool_decode(tb, &o))
		return -1;
	pool_print(&w->p, &o, w->stats ? POOL_STATS : POOL_LIST);
	return 0;
}

int pool_dump(struct ctx *c, struct pool_walk *w)
{
	return dump_array(c, &w->p, KHTTP_CMD_POOL_GET, pool_reply, w);
}

int cmd_pool_list(struct ctx *c, int argc, char **argv)
{
	struct pool_walk w = { .stats = false };
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	pr_init(&w.p, stdout, c->json);
	return pool_dump(c, &w);
}

int run_pool_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct running *r = arg;
	struct r_pool *p;

	(void)c;
	if (!tb[KHTTP_A_POOL_NAME])
		return -1;
	p = GROW(r->pools, r->npools);
	if (!p) {
		r->oom = true;
		return -1;
	}
	return pool_decode(tb, p);
}

/* ---- show: the running configuration as a batch file --------------- */

static const char *user_name(uint32_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid((uid_t)uid);

	if (pw && !strchr(pw->pw_name, ' '))
		return pw->pw_name;
	snprintf(buf, len, "%u", uid);
	return buf;
}

static const char *group_name(uint32_t gid, char *buf, size_t len)
{
	struct group *gr = getgrgid((gid_t)gid);

	if (gr && !strchr(gr->gr_name, ' '))
		return gr->gr_name;
	snprintf(buf, len, "%u", gid);
	return buf;
}

/* "pool add NAME ..." with every setting, no newline. */
void show_pool_add(FILE *f, const struct r_pool *p)
{
	struct pr pr;

	pr_init(&pr, f, false);
	pool_print(&pr, p, POOL_SHOW);
}

/* "route add PREFIX ...", no newline. */

/* ---- batch undo ---------------------------------------------------- */

/* The value option @k of pool @p has now, for "pool set"; NULL if none. */
static const char *pool_value(const struct r_pool *p, const char *k,
			      char *buf, size_t len)
{
	if (!strcmp(k, "queue-length"))
		snprintf(buf, len, "%u", p->qlen);
	else if (!strcmp(k, "verbosity"))
		return httpctl_verbosity_name(p->verb);
	else if (!strcmp(k, "queue-timeout"))
		snprintf(buf, len, "%u", p->tmo);
	else if (!strcmp(k, "owner"))
		return user_name(p->uid, buf, len);
	else if (!strcmp(k, "group"))
		return group_name(p->gid, buf, len);
	else if (!strcmp(k, "mode"))
		snprintf(buf, len, "%04o", p->mode);
	else if (!strcmp(k, "rapid-fail"))
		snprintf(buf, len, "%u/%u", p->rfc, p->rfs);
	else if (!strcmp(k, "state") && p->state != KHTTP_POOL_FAILED)
		return httpctl_pool_state_name(p->state);	/* failed: */
	else							/* not settable */
		return NULL;
	return buf;
}

/* "pool set NAME" with the old values of the options @argv changes. */
static void pool_set_undo_line(FILE *f, const struct r_pool *p, int argc,
			       char **argv)
{
	char buf[32];
	bool any = false;
	int i;

	for (i = 0; i + 1 < argc; i += 2)
		any |= pool_value(p, argv[i], buf, sizeof(buf)) != NULL;
	if (!any)	/* "pool set NAME" alone would be refused */
		return;
	fputs("pool set ", f);
	httpctl_batch_word(f, p->name);
	for (i = 0; i + 1 < argc; i += 2)
		if (pool_value(p, argv[i], buf, sizeof(buf)))
			fprintf(f, " %s %s", argv[i],
				pool_value(p, argv[i], buf, sizeof(buf)));
	fputc('\n', f);
}

int undo_pool_add(struct batch *b, int argc, char **argv, FILE *f)
{
	(void)b;
	(void)argc;
	fputs("pool del ", f);
	httpctl_batch_word(f, argv[0]);
	fputs(" force\n", f);
	return 0;
}

int undo_pool_set(struct batch *b, int argc, char **argv, FILE *f)
{
	const struct r_pool *p = snap_pool(b, argv[0]);

	if (p)
		pool_set_undo_line(f, p, argc - 1, argv + 1);
	return 0;
}

/* The pool as it was; with "force", the routes it took along too. */
int undo_pool_del(struct batch *b, int argc, char **argv, FILE *f)
{
	const struct r_pool *p = snap_pool(b, argv[0]);
	const struct r_route *rt;
	size_t i;

	if (!p)
		return 0;
	show_pool_add(f, p);
	fputc('\n', f);
	if (p->state == KHTTP_POOL_INACTIVE) {
		fputs("pool set ", f);
		httpctl_batch_word(f, p->name);
		fputs(" state inactive\n", f);
	}
	/* force took its routes along */
	for (i = 0; argc > 1 && i < b->snap.nroutes; i++) {
		rt = &b->snap.routes[i];
		if (rt->type != KHTTP_ROUTE_POOL || strcmp(rt->target, p->name))
			continue;
		show_route_add(f, rt);
		fputc('\n', f);
	}
	return 0;
}
