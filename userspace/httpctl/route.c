// SPDX-License-Identifier: GPL-2.0
/* httpctl: route. */
#include "httpctl.h"

/* "static", "pool", "metrics", "status" <-> enum khttp_route_type. */
static const char *const route_types[] = {
	[KHTTP_ROUTE_STATIC] = "static",
	[KHTTP_ROUTE_POOL] = "pool",
	[KHTTP_ROUTE_METRICS] = "metrics",
	[KHTTP_ROUTE_STATUS] = "status",
};

static int route_type_parse(const char *s)
{
	int t;

	for (t = KHTTP_ROUTE_STATIC; t <= KHTTP_ROUTE_STATUS; t++)
		if (!strcmp(s, route_types[t]))
			return t;
	return 0;
}

/* The kernel answers these itself: no directory, no pool, no cache. */
static bool route_type_kernel(int type)
{
	return type == KHTTP_ROUTE_METRICS || type == KHTTP_ROUTE_STATUS;
}

int cmd_route_add(struct ctx *c, int argc, char **argv)
{
	struct khttp_access_rule acc[KHTTP_ACCESS_MAX];
	size_t nacc = 0, j;
	struct nl_msg *msg;
	struct stat sb;
	char *dir = NULL;
	int ret, cache = -1, precomp = -1, i, type, first;
	uint64_t bps = 0;
	bool is_static, have_bps = false, masked;

	if (argc < 1)
		return usage_err(c, "%s: missing PREFIX", c->cmdname);
	if (argc < 2)
		return usage_err(c, "%s: missing \"static DIR\", \"pool NAME\", "
				 "\"metrics\" or \"status\" after the prefix",
				 c->cmdname);
	type = route_type_parse(argv[1]);
	if (!type)
		return usage_err(c, "%s: unknown route type \"%s\" (expected "
				 "static, pool, metrics or status)", c->cmdname,
				 argv[1]);
	is_static = type == KHTTP_ROUTE_STATIC;
	first = route_type_kernel(type) ? 2 : 3;
	if (argc < first)
		return usage_err(c, "%s: missing %s after \"%s\"", c->cmdname,
				 is_static ? "DIR" : "NAME", argv[1]);
	for (i = first; i < argc; i += 2) {
		bool is_cache = !strcmp(argv[i], "cache");
		bool is_allow = !strcmp(argv[i], "allow");
		bool is_acc = is_allow || !strcmp(argv[i], "deny");

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
		if (!is_cache && !is_acc && strcmp(argv[i], "max-bandwidth"))
			return usage_err(c, "%s: unexpected argument \"%s\"",
					 c->cmdname, argv[i]);
		if ((is_cache && cache >= 0) ||
		    (!is_cache && !is_acc && have_bps))
			return usage_err(c, "%s: %s given twice", c->cmdname,
					 argv[i]);
		if (i + 1 >= argc)
			return usage_err(c, "%s: missing %s after \"%s\"",
					 c->cmdname, is_cache ? "on or off" :
					 is_acc ? "an address, CIDR or all" :
					 "RATE", argv[i]);
		if (is_acc) {
			if (nacc == KHTTP_ACCESS_MAX)
				return usage_err(c, "%s: at most %d access "
						 "rules (allow, deny) per route",
						 c->cmdname, KHTTP_ACCESS_MAX);
			acc[nacc].action = is_allow ? KHTTP_ACCESS_ALLOW :
				KHTTP_ACCESS_DENY;
			if (httpctl_access_parse(argv[i + 1], &acc[nacc],
						 &masked))
				return usage_err(c, "%s: %s: \"%s\" is not an "
						 "IPv4 or IPv6 address or CIDR "
						 "(10.0.0.0/8, 2001:db8::/32) "
						 "or all", c->cmdname, argv[i],
						 argv[i + 1]);
			if (masked) {
				char buf[INET6_ADDRSTRLEN + 8];

				/* nginx's words, and as nginx: masked. */
				warn(c, "%s: low address bits of %s are "
				     "meaningless: using %s", c->cmdname,
				     argv[i + 1], httpctl_access_format(
					&acc[nacc], buf, sizeof(buf)));
			}
			nacc++;
		} else if (is_cache) {
			if (route_type_kernel(type))
				return usage_err(c, "%s: a %s route is never "
						 "cached: it takes no cache "
						 "setting", c->cmdname,
						 argv[1]);
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
	} else if (type == KHTTP_ROUTE_POOL &&
		   (ret = check_len(c, "pool name", argv[2],
				    KHTTP_POOL_NAME_MAX))) {
		return ret;
	}

	msg = req_new(c, KHTTP_CMD_ROUTE_ADD, false);
	if (msg && (nla_put_string(msg, KHTTP_A_ROUTE_PREFIX, argv[0]) < 0 ||
		    nla_put_u8(msg, KHTTP_A_ROUTE_TYPE, (uint8_t)type) < 0 ||
		    (!route_type_kernel(type) &&
		     nla_put_string(msg, is_static ? KHTTP_A_ROUTE_DIR :
				    KHTTP_A_ROUTE_POOL,
				    is_static ? dir : argv[2]) < 0) ||
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
	for (j = 0; msg && j < nacc; j++)
		if (nla_put(msg, KHTTP_A_ROUTE_ACCESS, sizeof(acc[j]),
			    &acc[j]) < 0) {
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

void route_free(struct r_route *rt)
{
	free(rt->prefix);
	free(rt->target);
	free(rt->access);
	rt->prefix = rt->target = NULL;
	rt->access = NULL;
}

/*
 * The route in @tb (and its access rules, each an attribute of its own,
 * from the whole message c->reply), decoded once for route list, show,
 * the batch undo and the metrics; the strings point into the message,
 * the rules are malloc'ed (free them).  @cache as the module reports it
 * (-1: none; an older module sends none and caches pool routes).
 */
static int route_decode(const struct ctx *c, struct nlattr **tb,
			struct r_route *rt)
{
	struct nlattr *a;
	uint8_t type;
	int t, rem;

	if (!tb[KHTTP_A_ROUTE_PREFIX] || !tb[KHTTP_A_ROUTE_TYPE])
		return -1;
	type = nla_get_u8(tb[KHTTP_A_ROUTE_TYPE]);
	if (type < KHTTP_ROUTE_STATIC || type > KHTTP_ROUTE_STATUS)
		return -1;
	t = type == KHTTP_ROUTE_STATIC ? KHTTP_A_ROUTE_DIR : KHTTP_A_ROUTE_POOL;
	if (!route_type_kernel(type) && !tb[t])
		return -1;
	memset(rt, 0, sizeof(*rt));
	rt->prefix = nla_get_string(tb[KHTTP_A_ROUTE_PREFIX]);
	rt->target = route_type_kernel(type) ? "" : nla_get_string(tb[t]);
	rt->type = type;
	if (route_type_kernel(type))
		rt->cache = -1;
	else if (tb[KHTTP_A_ROUTE_CACHE])
		rt->cache = nla_get_u8(tb[KHTTP_A_ROUTE_CACHE]);
	else
		rt->cache = type == KHTTP_ROUTE_POOL ? 1 : -1;
	rt->reachable = tb[KHTTP_A_ROUTE_REACHABLE] ?
			nla_get_u8(tb[KHTTP_A_ROUTE_REACHABLE]) != 0 : -1;
	rt->max_bps = tb[KHTTP_A_ROUTE_MAX_BPS] ?
		      nla_get_u64(tb[KHTTP_A_ROUTE_MAX_BPS]) : 0;
	rt->precompressed = tb[KHTTP_A_ROUTE_PRECOMPRESSED] &&
			    nla_get_u8(tb[KHTTP_A_ROUTE_PRECOMPRESSED]);
	if (!c->reply || !tb[KHTTP_A_ROUTE_ACCESS])
		return 0;
	nlmsg_for_each_attr(a, (struct nlmsghdr *)c->reply, GENL_HDRLEN, rem) {
		struct khttp_access_rule *n;

		if (nla_type(a) != KHTTP_A_ROUTE_ACCESS)
			continue;
		if (nla_len(a) != (int)sizeof(*n))
			goto bad;
		n = realloc(rt->access, (rt->naccess + 1) * sizeof(*n));
		if (!n)
			goto bad;
		rt->access = n;
		memcpy(&n[rt->naccess++], nla_data(a), sizeof(*n));
	}
	return 0;
bad:
	free(rt->access);
	rt->access = NULL;
	return -1;
}

/*
 * One route, the one model for every output: a JSON object, or in text a
 * line of route list (@show false) or the "route add" line that show and
 * the batch undo write (@show true); no newline.
 */
void route_print(struct pr *p, const struct r_route *rt, bool show)
{
	bool st = rt->type == KHTTP_ROUTE_STATIC;
	bool kernel = route_type_kernel(rt->type);
	const char *type = route_types[rt->type];
	char buf[INET6_ADDRSTRLEN + 8];
	size_t i;

	pr_open_object(p, NULL);
	if (show) {
		print_word(p, PRINT_ANY, "prefix", "route add ", rt->prefix);
		if (kernel)
			print_string(p, PRINT_ANY, "type", " %s", type);
		else
			print_string(p, PRINT_JSON, "type", NULL, type);
		if (!kernel)
			print_word(p, PRINT_ANY, st ? "dir" : "pool",
				   st ? " static " : " pool ", rt->target);
	} else {
		print_string(p, PRINT_ANY, "prefix", "%s", rt->prefix);
		print_string(p, PRINT_ANY, "type", " %s", type);
		if (!kernel)
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
	if (rt->naccess) {
		pr_open_array(p, "access");
		for (i = 0; i < rt->naccess; i++) {
			const char *act = rt->access[i].action ==
				KHTTP_ACCESS_ALLOW ? "allow" : "deny";

			httpctl_access_format(&rt->access[i], buf, sizeof(buf));
			pr_open_object(p, NULL);
			print_string(p, PRINT_JSON, "action", NULL, act);
			print_string(p, PRINT_JSON, "from", NULL, buf);
			print_fp(p, " %s %s", act, buf);
			pr_close_object(p);
		}
		pr_close_array(p);
	}
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

	if (route_decode(c, tb, &rt))
		return -1;
	route_print(p, &rt, false);
	print_fp(p, "\n");
	free(rt.access);
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

	if (route_decode(c, tb, &d))
		return -1;
	rt = GROW(r->routes, r->nroutes);
	if (!rt || !(d.prefix = strdup(d.prefix)) ||
	    !(d.target = strdup(d.target))) {
		if (rt)
			free(d.prefix);	/* NULL or the copy */
		free(d.access);
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
	route_free(&b->snap.routes[i]);
	memmove(&b->snap.routes[i], &b->snap.routes[i + 1],
		(b->snap.nroutes - i - 1) * sizeof(*b->snap.routes));
	b->snap.nroutes--;
	return true;
}
