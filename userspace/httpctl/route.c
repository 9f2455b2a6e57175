// SPDX-License-Identifier: GPL-2.0
/* httpctl: route. */
#include "httpctl.h"

int cmd_route_add(struct ctx *c, int argc, char **argv)
{
	struct nl_msg *msg;
	struct stat sb;
	char *dir = NULL;
	int ret, cache = -1, i;
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
	if (msg && (nla_put_string(msg, KHTTP_A_PREFIX, argv[0]) < 0 ||
		    nla_put_u8(msg, KHTTP_A_ROUTE_TYPE, is_static ?
			       KHTTP_ROUTE_STATIC : KHTTP_ROUTE_POOL) < 0 ||
		    nla_put_string(msg, is_static ? KHTTP_A_DIR :
				   KHTTP_A_POOL_NAME,
				   is_static ? dir : argv[2]) < 0 ||
		    (cache >= 0 &&
		     nla_put_u8(msg, KHTTP_A_ROUTE_CACHE, (uint8_t)cache) < 0) ||
		    (have_bps && nla_put_u64(msg, KHTTP_A_ROUTE_MAX_BPS,
					     bps) < 0))) {
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
	if (msg && nla_put_string(msg, KHTTP_A_PREFIX, argv[0]) < 0) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	return req_run(c, msg, NULL, NULL);
}

static int route_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct json *j = arg;
	const char *prefix, *target = "", *type;
	uint8_t rt;
	int reachable = -1, cache = -1;
	uint64_t bps = 0;
	char bw[48] = "";

	if (!tb[KHTTP_A_PREFIX] || !tb[KHTTP_A_ROUTE_TYPE])
		return -1;
	if (tb[KHTTP_A_ROUTE_MAX_BPS])
		bps = nla_get_u64(tb[KHTTP_A_ROUTE_MAX_BPS]);
	if (bps)
		snprintf(bw, sizeof(bw), " max-bandwidth %llu",
			 (unsigned long long)bps);
	prefix = nla_get_string(tb[KHTTP_A_PREFIX]);
	rt = nla_get_u8(tb[KHTTP_A_ROUTE_TYPE]);
	if (tb[KHTTP_A_REACHABLE])
		reachable = nla_get_u8(tb[KHTTP_A_REACHABLE]) != 0;
	if (tb[KHTTP_A_ROUTE_CACHE])
		cache = nla_get_u8(tb[KHTTP_A_ROUTE_CACHE]);
	else if (rt == KHTTP_ROUTE_POOL)	/* an older module: caching */
		cache = 1;
	if (rt == KHTTP_ROUTE_STATIC && tb[KHTTP_A_DIR]) {
		type = "static";
		target = nla_get_string(tb[KHTTP_A_DIR]);
	} else if (rt == KHTTP_ROUTE_POOL && tb[KHTTP_A_POOL_NAME]) {
		type = "pool";
		target = nla_get_string(tb[KHTTP_A_POOL_NAME]);
	} else {
		return -1;
	}

	if (c->json) {
		json_begin_object(j);
		json_key(j, "prefix");
		json_string(j, prefix);
		json_key(j, "type");
		json_string(j, type);
		json_key(j, rt == KHTTP_ROUTE_STATIC ? "dir" : "pool");
		json_string(j, target);
		if (cache >= 0) {
			json_key(j, "cache");
			json_bool(j, cache);
		}
		if (bps) {
			json_key(j, "max_bandwidth");
			json_uint(j, bps);
		}
		if (reachable >= 0) {
			json_key(j, "reachable");
			json_bool(j, reachable);
		}
		json_end_object(j);
	} else {
		printf("%s %s %s%s%s%s\n", prefix, type, target,
		       cache == 0 ? " cache off" : "", bw, reachable == 0 ?
		       " (unreachable: no listen entry)" : "");
	}
	return 0;
}

int cmd_route_list(struct ctx *c, int argc, char **argv)
{
	struct json j;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	if ((ret = connect_family(c)))
		return ret;
	json_init(&j, stdout);
	if (c->json)
		json_begin_array(&j);
	ret = req_run(c, req_new(c, KHTTP_CMD_ROUTE_GET, true),
		      route_reply, &j);
	if (c->json)
		json_end_array(&j);
	return ret;
}

int run_route_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct running *r = arg;
	struct r_route *rt;
	uint8_t type;
	int t;

	(void)c;
	if (!tb[KHTTP_A_PREFIX] || !tb[KHTTP_A_ROUTE_TYPE])
		return -1;
	type = nla_get_u8(tb[KHTTP_A_ROUTE_TYPE]);
	t = type == KHTTP_ROUTE_STATIC ? KHTTP_A_DIR : KHTTP_A_POOL_NAME;
	if ((type != KHTTP_ROUTE_STATIC && type != KHTTP_ROUTE_POOL) || !tb[t])
		return -1;
	rt = GROW(r->routes, r->nroutes);
	if (!rt || !(rt->prefix = strdup(nla_get_string(tb[KHTTP_A_PREFIX]))) ||
	    !(rt->target = strdup(nla_get_string(tb[t])))) {
		r->oom = true;
		return -1;
	}
	rt->type = type;
	rt->cache = type != KHTTP_ROUTE_POOL ? -1 :
		    !tb[KHTTP_A_ROUTE_CACHE] ||
		    nla_get_u8(tb[KHTTP_A_ROUTE_CACHE]);
	rt->reachable = tb[KHTTP_A_REACHABLE] ?
			nla_get_u8(tb[KHTTP_A_REACHABLE]) != 0 : -1;
	rt->max_bps = tb[KHTTP_A_ROUTE_MAX_BPS] ?
		      nla_get_u64(tb[KHTTP_A_ROUTE_MAX_BPS]) : 0;
	return 0;
}

void show_route_add(FILE *f, const struct r_route *rt)
{
	fputs("route add ", f);
	httpctl_batch_word(f, rt->prefix);
	fputs(rt->type == KHTTP_ROUTE_STATIC ? " static " : " pool ", f);
	httpctl_batch_word(f, rt->target);
	if (rt->cache == 0)
		fputs(" cache off", f);
	if (rt->max_bps)
		fprintf(f, " max-bandwidth %llu",
			(unsigned long long)rt->max_bps);
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
