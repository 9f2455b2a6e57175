// SPDX-License-Identifier: GPL-2.0
/* httpctl: route. */
#include "httpctl.h"

int cmd_route_add(struct ctx *c, int argc, char **argv)
{
	struct nl_msg *msg;
	struct stat sb;
	char *dir = NULL;
	int ret, cache = -1, precomp = -1, i;
	uint64_t bps = 0;
	bool is_static, have_bps = false;

	if (argc < 1)
		return usage_err(c, "%s: missing PREFIX", c->cmdname);
	if (argc < 2)
		return usage_err(c, "%s: missing \"static DIR\" or "
				 "\"pool NAME\" after the prefix",
				 c->cmdname);
	is_static = !strcmp(argv[1], "static");
	if (!is_static && strcmp(argv[1], "pool"))
		return usage_err(c, "%s: unknown route type \"%s\" (expected "
				 "static or pool)", c->cmdname, argv[1]);
	if (argc < 3)
		return usage_err(c, "%s: missing %s after \"%s\"", c->cmdname,
				 is_static ? "DIR" : "NAME", argv[1]);
	for (i = 3; i < argc; i += 2) {
		bool is_cache = !strcmp(argv[i], "cache");

		if (!strcmp(argv[i], "precompressed")) {
			if (!is_static)
				return usage_err(c, "%s: precompressed is for "
						 "static routes", c->cmdname);
			if (precomp >= 0)
				return usage_err(c, "%s: %s given twice",
						 c->cmdname, argv[i]);
			if (i + 1 >= argc)
				return usage_err(c, "%s: missing on or off "
						 "after \"%s\"", c->cmdname,
						 argv[i]);
			precomp = httpctl_parse_on_off(argv[i + 1]);
			if (precomp < 0)
				return usage_err(c, "%s: precompressed: \"%s\" "
						 "is not on or off", c->cmdname,
						 argv[i + 1]);
			continue;
		}
		if (!is_cache && strcmp(argv[i], "max-bandwidth"))
			return usage_err(c, "%s: unexpected argument \"%s\"",
					 c->cmdname, argv[i]);
		if ((is_cache && cache >= 0) || (!is_cache && have_bps))
			return usage_err(c, "%s: %s given twice", c->cmdname,
					 argv[i]);
		if (i + 1 >= argc)
			return usage_err(c, "%s: missing %s after \"%s\"",
					 c->cmdname, is_cache ? "on or off" :
					 "RATE", argv[i]);
		if (is_cache) {
			cache = httpctl_parse_on_off(argv[i + 1]);
			if (cache < 0)
				return usage_err(c, "%s: cache: \"%s\" is not "
						 "on or off", c->cmdname,
						 argv[i + 1]);
		} else {
			if (httpctl_parse_rate(argv[i + 1], &bps))
				return usage_err(c, "%s: max-bandwidth: \"%s\" "
						 "is not a rate in bytes/s "
						 "(e.g. 256K, 10M; off)",
						 c->cmdname, argv[i + 1]);
			have_bps = true;
		}
	}
	if ((ret = check_len(c, "prefix", argv[0], KHTTP_PREFIX_MAX)))
		return ret;
	if (is_static) {
		/* The kernel wants an absolute path; resolve it here. */
		dir = realpath(argv[2], NULL);
		if (!dir)
			return err(c, "%s: directory \"%s\": %s", c->cmdname,
				   argv[2], errno == ENOENT ?
				   "does not exist" : strerror(errno));
		if (stat(dir, &sb) || !S_ISDIR(sb.st_mode)) {
			ret = err(c, "%s: \"%s\" is not a directory",
				  c->cmdname, argv[2]);
			goto out;
		}
		if (strlen(dir) >= KHTTP_DIR_MAX) {
			ret = err(c, "%s: directory path is too long",
				  c->cmdname);
			goto out;
		}
	} else if ((ret = check_len(c, "pool name", argv[2],
				    KHTTP_POOL_NAME_MAX))) {
		return ret;
	}

	msg = req_new(c, KHTTP_CMD_ROUTE_ADD, false);
	if (msg && (nla_put_string(msg, KHTTP_A_ROUTE_PREFIX, argv[0]) < 0 ||
		    nla_put_u8(msg, KHTTP_A_ROUTE_TYPE, is_static ?
			       KHTTP_ROUTE_STATIC : KHTTP_ROUTE_POOL) < 0 ||
		    nla_put_string(msg, is_static ? KHTTP_A_ROUTE_DIR :
				   KHTTP_A_ROUTE_POOL,
				   is_static ? dir : argv[2]) < 0 ||
		    (cache >= 0 &&
		     nla_put_u8(msg, KHTTP_A_ROUTE_CACHE, (uint8_t)cache) < 0) ||
		    (have_bps && nla_put_u64(msg, KHTTP_A_ROUTE_MAX_BPS,
					     bps) < 0) ||
		    (precomp > 0 &&
		     nla_put_u8(msg, KHTTP_A_ROUTE_PRECOMPRESSED, 1) < 0))) {
		nlmsg_free(msg);
		ret = err(c, "out of memory");
		goto out;
	}
	ret = req_run(c, msg, NULL, NULL);
out:
	free(dir);
	return ret;
}

int cmd_route_del(struct ctx *c, int argc, char **argv)
{
	struct nl_msg *msg;
	int ret;

	if (argc < 1)
		return usage_err(c, "%s: missing PREFIX", c->cmdname);
	if (argc > 1)
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[1]);
	if ((ret = check_len(c, "prefix", argv[0], KHTTP_PREFIX_MAX)))
		return ret;
	msg = req_new(c, KHTTP_CMD_ROUTE_DEL, false);
	if (msg && nla_put_string(msg, KHTTP_A_ROUTE_PREFIX, argv[0]) < 0) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	return req_run(c, msg, NULL, NULL);
}

/*
 * The route in @tb, decoded once for route list, show, the batch undo and
 * the metrics; the strings point into the message.  @cache as the module
 * reports it (-1: none; an older module sends none and caches pool routes).
 */
static int route_decode(struct nlattr **tb, struct r_route *rt)
{
	uint8_t type;
	int t;

	if (!tb[KHTTP_A_ROUTE_PREFIX] || !tb[KHTTP_A_ROUTE_TYPE])
		return -1;
	type = nla_get_u8(tb[KHTTP_A_ROUTE_TYPE]);
	t = type == KHTTP_ROUTE_STATIC ? KHTTP_A_ROUTE_DIR : KHTTP_A_ROUTE_POOL;
	if ((type != KHTTP_ROUTE_STATIC && type != KHTTP_ROUTE_POOL) || !tb[t])
		return -1;
	memset(rt, 0, sizeof(*rt));
	rt->prefix = nla_get_string(tb[KHTTP_A_ROUTE_PREFIX]);
	rt->target = nla_get_string(tb[t]);
	rt->type = type;
	if (tb[KHTTP_A_ROUTE_CACHE])
		rt->cache = nla_get_u8(tb[KHTTP_A_ROUTE_CACHE]);
	else
		rt->cache = type == KHTTP_ROUTE_POOL ? 1 : -1;
	rt->reachable = tb[KHTTP_A_ROUTE_REACHABLE] ?
			nla_get_u8(tb[KHTTP_A_ROUTE_REACHABLE]) != 0 : -1;
	rt->max_bps = tb[KHTTP_A_ROUTE_MAX_BPS] ?
		      nla_get_u64(tb[KHTTP_A_ROUTE_MAX_BPS]) : 0;
	rt->precompressed = tb[KHTTP_A_ROUTE_PRECOMPRESSED] &&
			    nla_get_u8(tb[KHTTP_A_ROUTE_PRECOMPRESSED]);
	return 0;
}

/*
 * One route, the one model for every output: a JSON object, or in text a
 * line of route list (@show false) or the "route add" line that show and
 * the batch undo write (@show true); no newline.
 */
void route_print(struct pr *p, const struct r_route *rt, bool show)
{
	bool st = rt->type == KHTTP_ROUTE_STATIC;
	const char *type = st ? "static" : "pool";

	pr_open_object(p, NULL);
	if (show) {
		print_word(p, PRINT_ANY, "prefix", "route add ", rt->prefix);
		print_string(p, PRINT_JSON, "type", NULL, type);
		print_word(p, PRINT_ANY, st ? "dir" : "pool",
			   st ? " static " : " pool ", rt->target);
	} else {
		print_string(p, PRINT_ANY, "prefix", "%s", rt->prefix);
		print_string(p, PRINT_ANY, "type", " %s", type);
		print_string(p, PRINT_ANY, st ? "dir" : "pool", " %s",
			     rt->target);
	}
	if (rt->cache >= 0)
		print_bool(p, PRINT_JSON, "cache", NULL, rt->cache);
	print_bool(p, PRINT_FP, NULL, " cache off", rt->cache == 0);
	if (rt->max_bps)
		print_u64(p, PRINT_ANY, "max_bandwidth", " max-bandwidth %llu",
			  (unsigned long long)rt->max_bps);
	if (st)
		print_bool(p, PRINT_JSON, "precompressed", NULL,
			   rt->precompressed);
	print_bool(p, PRINT_FP, NULL, " precompressed on", rt->precompressed);
	if (!show) {
		if (rt->reachable >= 0)
			print_bool(p, PRINT_JSON, "reachable", NULL,
				   rt->reachable);
		print_bool(p, PRINT_FP, NULL,
			   " (unreachable: no listen entry)",
			   rt->reachable == 0);
	}
	pr_close_object(p);
}

static int route_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct pr *p = arg;
	struct r_route rt;

	(void)c;
	if (route_decode(tb, &rt))
		return -1;
	route_print(p, &rt, false);
	print_fp(p, "\n");
	return 0;
}

int cmd_route_list(struct ctx *c, int argc, char **argv)
{
	return dump_list(c, argc, argv, KHTTP_CMD_ROUTE_GET, route_reply);
}

int run_route_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct running *r = arg;
	struct r_route d, *rt;

	(void)c;
	if (route_decode(tb, &d))
		return -1;
	rt = GROW(r->routes, r->nroutes);
	if (!rt || !(d.prefix = strdup(d.prefix)) ||
	    !(d.target = strdup(d.target))) {
		if (rt)
			free(d.prefix);	/* NULL or the copy */
		r->oom = true;
		return -1;
	}
	/*
	 * show and the undo write what "route add" takes back: the cache
	 * setting of pool routes only.
	 */
	if (d.type == KHTTP_ROUTE_POOL)
		d.cache = d.cache != 0;
	else
		d.cache = -1;
	*rt = d;
	return 0;
}

/* "route add PREFIX ...", no newline. */
void show_route_add(FILE *f, const struct r_route *rt)
{
	struct pr p;

	pr_init(&p, f, false);
	route_print(&p, rt, true);
}

/* ---- batch undo ---------------------------------------------------- */

int undo_route_add(struct batch *b, int argc, char **argv, FILE *f)
{
	(void)b;
	(void)argc;
	fputs("route del ", f);
	httpctl_batch_word(f, argv[0]);
	fputc('\n', f);
	return 0;
}

int undo_route_del(struct batch *b, int argc, char **argv, FILE *f)
{
	const struct r_route *rt = snap_route(b, argv[0]);

	(void)argc;
	if (rt) {	/* else the kernel refuses the del */
		show_route_add(f, rt);
		fputc('\n', f);
	}
	return 0;
}

/*
 * After "route del" succeeded, drop the route from the snapshot instead of
 * reading the whole configuration again before the next line: a batch of
 * N deletes then reads it once, not N times.  False: read it again.
 */
bool applied_route_del(struct batch *b, int argc, char **argv)
{
	const struct r_route *rt;
	size_t i;

	if (argc < 1)
		return false;
	rt = snap_route(b, argv[0]);
	if (!rt)
		return false;
	i = (size_t)(rt - b->snap.routes);
	free(b->snap.routes[i].prefix);
	free(b->snap.routes[i].target);
	memmove(&b->snap.routes[i], &b->snap.routes[i + 1],
		(b->snap.nroutes - i - 1) * sizeof(*b->snap.routes));
	b->snap.nroutes--;
	return true;
}
