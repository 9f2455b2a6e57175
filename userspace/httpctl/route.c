// SPDX-License-Identifier: GPL-2.0
/* httpctl: route. */
#include "httpctl.h"

/* "static", "pool", ... <-> enum khttp_route_type. */
static const char *const route_types[] = {
	[KHTTP_ROUTE_STATIC] = "static",
	[KHTTP_ROUTE_POOL] = "pool",
	[KHTTP_ROUTE_METRICS] = "metrics",
	[KHTTP_ROUTE_STATUS] = "status",
	[KHTTP_ROUTE_REDIRECT] = "redirect",
};

static int route_type_parse(const char *s)
{
	int t;

	for (t = KHTTP_ROUTE_STATIC; t <= KHTTP_ROUTE_REDIRECT; t++)
		if (!strcmp(s, route_types[t]))
			return t;
	return 0;
}

/* The kernel answers these itself: no directory, no pool, no cache. */
static bool route_type_kernel(int type)
{
	return type == KHTTP_ROUTE_METRICS || type == KHTTP_ROUTE_STATUS;
}

/* What route add takes after "PREFIX TYPE [TARGET]". */
struct route_opts {
	int cache;			/* -1: not given */
	bool have_bps;
	uint64_t bps;
	int precomp;			/* static; -1: not given */
	int status;			/* redirect; 0: not given */
	bool keep_path;
	struct khttp_access_rule acc[KHTTP_ACCESS_MAX];
	size_t nacc;
	const char *hdrs[KHTTP_ROUTE_HEADER_MAX];
	size_t nhdrs;
	uint16_t ep_status[KHTTP_ERROR_PAGE_MAX];
	const char *ep_path[KHTTP_ERROR_PAGE_MAX];
	size_t nerrpages;
};

/* The options from argv[i] on; the count of words taken, or -1. */
static int route_opt(struct ctx *c, int argc, char **argv, int i,
		     uint8_t type, struct route_opts *o)
{
	const char *w = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
	bool redir = type == KHTTP_ROUTE_REDIRECT;
	bool masked;
	char *end;
	long n;
	size_t k;

	if (!strcmp(w, "keep-path")) {
		if (!redir)
			return usage_err(c, "%s: keep-path is for redirect "
					 "routes", c->cmdname), -1;
		if (o->keep_path)
			return usage_err(c, "%s: keep-path given twice",
					 c->cmdname), -1;
		o->keep_path = true;
		return 1;
	}
	if (!strcmp(w, "precompressed") && type != KHTTP_ROUTE_STATIC)
		return usage_err(c, "%s: precompressed is for static routes",
				 c->cmdname), -1;
	if (strcmp(w, "cache") && strcmp(w, "max-bandwidth") &&
	    strcmp(w, "precompressed") && strcmp(w, "allow") &&
	    strcmp(w, "deny") && strcmp(w, "status") &&
	    strcmp(w, "header") && strcmp(w, "error-page"))
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, w), -1;
	if (!v)
		return usage_err(c, "%s: missing %s after \"%s\"", c->cmdname,
				 !strcmp(w, "cache") ||
				 !strcmp(w, "precompressed") ? "on or off" :
				 !strcmp(w, "max-bandwidth") ? "RATE" :
				 !strcmp(w, "allow") || !strcmp(w, "deny") ?
				 "an address, CIDR or all" :
				 !strcmp(w, "status") ? "301, 302, 307 or 308" :
				 !strcmp(w, "header") ? "'NAME: VALUE'" :
				 "STATUS PATH", w), -1;
	if (!strcmp(w, "cache")) {
		if (redir)
			return usage_err(c, "%s: a redirect route has no "
					 "cache setting", c->cmdname), -1;
		if (route_type_kernel(type))
			return usage_err(c, "%s: a %s route is never cached: "
					 "it takes no cache setting",
					 c->cmdname, route_types[type]), -1;
		if (o->cache >= 0)
			return usage_err(c, "%s: cache given twice",
					 c->cmdname), -1;
		o->cache = httpctl_parse_on_off(v);
		if (o->cache < 0)
			return usage_err(c, "%s: cache: \"%s\" is not on or "
					 "off", c->cmdname, v), -1;
		return 2;
	}
	if (!strcmp(w, "max-bandwidth")) {
		if (o->have_bps)
			return usage_err(c, "%s: max-bandwidth given twice",
					 c->cmdname), -1;
		if (httpctl_parse_rate(v, &o->bps))
			return usage_err(c, "%s: max-bandwidth: \"%s\" is not "
					 "a rate in bytes/s (e.g. 256K, 10M; "
					 "off)", c->cmdname, v), -1;
		o->have_bps = true;
		return 2;
	}
	if (!strcmp(w, "precompressed")) {
		if (o->precomp >= 0)
			return usage_err(c, "%s: precompressed given twice",
					 c->cmdname), -1;
		o->precomp = httpctl_parse_on_off(v);
		if (o->precomp < 0)
			return usage_err(c, "%s: precompressed: \"%s\" is not "
					 "on or off", c->cmdname, v), -1;
		return 2;
	}
	if (!strcmp(w, "allow") || !strcmp(w, "deny")) {
		struct khttp_access_rule *r = &o->acc[o->nacc];

		if (o->nacc == KHTTP_ACCESS_MAX)
			return usage_err(c, "%s: at most %d access rules "
					 "(allow, deny) per route", c->cmdname,
					 KHTTP_ACCESS_MAX), -1;
		r->action = !strcmp(w, "allow") ? KHTTP_ACCESS_ALLOW :
			    KHTTP_ACCESS_DENY;
		if (httpctl_access_parse(v, r, &masked))
			return usage_err(c, "%s: %s: \"%s\" is not an IPv4 or "
					 "IPv6 address or CIDR (10.0.0.0/8, "
					 "2001:db8::/32) or all", c->cmdname,
					 w, v), -1;
		if (masked) {
			char buf[INET6_ADDRSTRLEN + 8];

			/* nginx's words, and as nginx: masked. */
			warn(c, "%s: low address bits of %s are meaningless: "
			     "using %s", c->cmdname, v,
			     httpctl_access_format(r, buf, sizeof(buf)));
		}
		o->nacc++;
		return 2;
	}
	if (!strcmp(w, "status")) {
		if (!redir)
			return usage_err(c, "%s: status is for redirect "
					 "routes", c->cmdname), -1;
		if (o->status)
			return usage_err(c, "%s: status given twice",
					 c->cmdname), -1;
		n = strtol(v, &end, 10);
		if (*end || (n != 301 && n != 302 && n != 307 && n != 308))
			return usage_err(c, "%s: status: \"%s\" is not 301, "
					 "302, 307 or 308", c->cmdname, v), -1;
		o->status = (int)n;
		return 2;
	}
	if (!strcmp(w, "header")) {
		if (o->nhdrs == KHTTP_ROUTE_HEADER_MAX)
			return usage_err(c, "%s: at most %d headers",
					 c->cmdname, KHTTP_ROUTE_HEADER_MAX),
			       -1;
		if (check_len(c, "header", v, KHTTP_ROUTE_HEADER_LEN))
			return -1;
		o->hdrs[o->nhdrs++] = v;
		return 2;
	}
	/* error-page STATUS PATH */
	if (o->nerrpages == KHTTP_ERROR_PAGE_MAX)
		return usage_err(c, "%s: at most %d error pages", c->cmdname,
				 KHTTP_ERROR_PAGE_MAX), -1;
	n = strtol(v, &end, 10);
	if (*end || n < 400 || n > 599)
		return usage_err(c, "%s: error-page: \"%s\" is not a status "
				 "from 400 to 599", c->cmdname, v), -1;
	for (k = 0; k < o->nerrpages; k++)
		if (o->ep_status[k] == n)
			return usage_err(c, "%s: error-page %ld given twice",
					 c->cmdname, n), -1;
	if (i + 2 >= argc)
		return usage_err(c, "%s: missing PATH after \"error-page %s\"",
				 c->cmdname, v), -1;
	if (check_len(c, "error page path", argv[i + 2], KHTTP_DIR_MAX))
		return -1;
	o->ep_status[o->nerrpages] = (uint16_t)n;
	o->ep_path[o->nerrpages++] = argv[i + 2];
	return 3;
}

static int route_put_opts(struct nl_msg *msg, const struct route_opts *o)
{
	struct nlattr *nest;
	size_t i;

	if ((o->cache >= 0 &&
	     nla_put_u8(msg, KHTTP_A_ROUTE_CACHE, (uint8_t)o->cache) < 0) ||
	    (o->have_bps &&
	     nla_put_u64(msg, KHTTP_A_ROUTE_MAX_BPS, o->bps) < 0) ||
	    (o->status && nla_put_u16(msg, KHTTP_A_ROUTE_REDIRECT_STATUS,
				      (uint16_t)o->status) < 0) ||
	    (o->keep_path && nla_put_u8(msg, KHTTP_A_ROUTE_KEEP_PATH, 1) < 0) ||
	    (o->precomp > 0 &&
	     nla_put_u8(msg, KHTTP_A_ROUTE_PRECOMPRESSED, 1) < 0))
		return -1;
	for (i = 0; i < o->nacc; i++)
		if (nla_put(msg, KHTTP_A_ROUTE_ACCESS, sizeof(o->acc[i]),
			    &o->acc[i]) < 0)
			return -1;
	for (i = 0; i < o->nhdrs; i++)
		if (nla_put_string(msg, KHTTP_A_ROUTE_HEADER, o->hdrs[i]) < 0)
			return -1;
	for (i = 0; i < o->nerrpages; i++) {
		nest = nla_nest_start(msg, KHTTP_A_ROUTE_ERROR_PAGE);
		if (!nest ||
		    nla_put_u16(msg, KHTTP_A_ERROR_PAGE_STATUS,
				o->ep_status[i]) < 0 ||
		    nla_put_string(msg, KHTTP_A_ERROR_PAGE_PATH,
				   o->ep_path[i]) < 0)
			return -1;
		nla_nest_end(msg, nest);
	}
	return 0;
}

int cmd_route_add(struct ctx *c, int argc, char **argv)
{
	struct route_opts o = { .cache = -1, .precomp = -1 };
	struct nl_msg *msg;
	struct stat sb;
	char *dir = NULL;
	const char *target = NULL;
	uint8_t type;
	int ret, i, n, tattr = 0, first;

	if (argc < 1)
		return usage_err(c, "%s: missing PREFIX", c->cmdname);
	if (argc < 2)
		return usage_err(c, "%s: missing \"static DIR\", \"pool NAME\", "
				 "\"redirect URL\", \"metrics\" or \"status\" "
				 "after the prefix", c->cmdname);
	type = (uint8_t)route_type_parse(argv[1]);
	if (!type)
		return usage_err(c, "%s: unknown route type \"%s\" (expected "
				 "static, pool, redirect, metrics or status)",
				 c->cmdname, argv[1]);
	first = route_type_kernel(type) ? 2 : 3;
	if (argc < first)
		return usage_err(c, "%s: missing %s after \"%s\"", c->cmdname,
				 type == KHTTP_ROUTE_STATIC ? "DIR" :
				 type == KHTTP_ROUTE_POOL ? "NAME" : "URL",
				 argv[1]);
	for (i = first; i < argc; i += n) {
		n = route_opt(c, argc, argv, i, type, &o);
		if (n < 0)
			return 1;
	}
	if ((ret = check_len(c, "prefix", argv[0], KHTTP_PREFIX_MAX)))
		return ret;
	if (route_type_kernel(type)) {
		/* Answered by the kernel: no target. */
	} else if (type == KHTTP_ROUTE_STATIC) {
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
		target = dir;
		tattr = KHTTP_A_ROUTE_DIR;
	} else if (type == KHTTP_ROUTE_POOL) {
		if ((ret = check_len(c, "pool name", argv[2],
				     KHTTP_POOL_NAME_MAX)))
			return ret;
		target = argv[2];
		tattr = KHTTP_A_ROUTE_POOL;
	} else {
		if ((ret = check_len(c, "redirect target", argv[2],
				     KHTTP_REDIRECT_MAX)))
			return ret;
		target = argv[2];
		tattr = KHTTP_A_ROUTE_REDIRECT;
	}

	msg = req_new(c, KHTTP_CMD_ROUTE_ADD, false);
	if (msg && (nla_put_string(msg, KHTTP_A_ROUTE_PREFIX, argv[0]) < 0 ||
		    nla_put_u8(msg, KHTTP_A_ROUTE_TYPE, type) < 0 ||
		    (target && nla_put_string(msg, tattr, target) < 0) ||
		    route_put_opts(msg, &o) < 0)) {
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

void route_free(struct r_route *rt, bool strings)
{
	size_t i;

	if (strings) {
		free(rt->prefix);
		free(rt->target);
		for (i = 0; i < rt->nhdrs; i++)
			free(rt->hdrs[i]);
		for (i = 0; i < rt->nerrpages; i++)
			free(rt->errpages[i].path);
	}
	free(rt->hdrs);
	free(rt->errpages);
	free(rt->access);
	rt->hdrs = NULL;
	rt->errpages = NULL;
	rt->access = NULL;
	rt->nhdrs = rt->nerrpages = rt->naccess = 0;
}

/*
 * The repeated attributes of the reply @nlh (header lines, error pages,
 * access rules), which @tb keeps only the last of: each, in order, into
 * @rt.
 */
static int route_decode_lists(const struct nlmsghdr *nlh, struct r_route *rt)
{
	struct nlattr *a, *e;
	int rem, erem;
	struct r_errpage ep;

	if (!nlh)
		return 0;
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(a) == KHTTP_A_ROUTE_HEADER) {
			char **h = GROW(rt->hdrs, rt->nhdrs);

			if (!h || nla_len(a) < 1 ||
			    ((char *)nla_data(a))[nla_len(a) - 1])
				return -1;
			*h = nla_data(a);
		} else if (nla_type(a) == KHTTP_A_ROUTE_ACCESS) {
			struct khttp_access_rule *r = GROW(rt->access,
							   rt->naccess);

			if (!r || nla_len(a) != (int)sizeof(*r))
				return -1;
			memcpy(r, nla_data(a), sizeof(*r));
		} else if (nla_type(a) == KHTTP_A_ROUTE_ERROR_PAGE) {
			struct r_errpage *p;

			memset(&ep, 0, sizeof(ep));
			nla_for_each_nested(e, a, erem) {
				if (nla_type(e) == KHTTP_A_ERROR_PAGE_STATUS &&
				    nla_len(e) >= 2)
					ep.status = nla_get_u16(e);
				else if (nla_type(e) == KHTTP_A_ERROR_PAGE_PATH &&
					 nla_len(e) >= 1 &&
					 !((char *)nla_data(e))[nla_len(e) - 1])
					ep.path = nla_data(e);
			}
			if (!ep.status || !ep.path)
				return -1;
			p = GROW(rt->errpages, rt->nerrpages);
			if (!p)
				return -1;
			*p = ep;
		}
	}
	return 0;
}

/*
 * The route in @tb (the reply @nlh), decoded once for route list, show,
 * the batch undo and the metrics; the strings point into the message.
 * @cache as the module reports it (-1: none; an older module sends none
 * and caches pool routes).
 */
static int route_decode(struct nlattr **tb, const struct nlmsghdr *nlh,
			struct r_route *rt)
{
	uint8_t type;
	int t;

	if (!tb[KHTTP_A_ROUTE_PREFIX] || !tb[KHTTP_A_ROUTE_TYPE])
		return -1;
	type = nla_get_u8(tb[KHTTP_A_ROUTE_TYPE]);
	if (type < KHTTP_ROUTE_STATIC || type > KHTTP_ROUTE_REDIRECT)
		return -1;
	t = type == KHTTP_ROUTE_STATIC ? KHTTP_A_ROUTE_DIR :
	    type == KHTTP_ROUTE_POOL ? KHTTP_A_ROUTE_POOL :
	    KHTTP_A_ROUTE_REDIRECT;
	if (!route_type_kernel(type) && !tb[t])
		return -1;
	memset(rt, 0, sizeof(*rt));
	rt->prefix = nla_get_string(tb[KHTTP_A_ROUTE_PREFIX]);
	rt->target = route_type_kernel(type) ? "" : nla_get_string(tb[t]);
	rt->type = type;
	if (type == KHTTP_ROUTE_REDIRECT || route_type_kernel(type))
		rt->cache = -1;
	else if (tb[KHTTP_A_ROUTE_CACHE])
		rt->cache = nla_get_u8(tb[KHTTP_A_ROUTE_CACHE]);
	else
		rt->cache = type == KHTTP_ROUTE_POOL ? 1 : -1;
	rt->reachable = tb[KHTTP_A_ROUTE_REACHABLE] ?
			nla_get_u8(tb[KHTTP_A_ROUTE_REACHABLE]) != 0 : -1;
	rt->max_bps = tb[KHTTP_A_ROUTE_MAX_BPS] ?
		      nla_get_u64(tb[KHTTP_A_ROUTE_MAX_BPS]) : 0;
	if (tb[KHTTP_A_ROUTE_REDIRECT_STATUS])
		rt->redirect_status =
			nla_get_u16(tb[KHTTP_A_ROUTE_REDIRECT_STATUS]);
	if (tb[KHTTP_A_ROUTE_KEEP_PATH])
		rt->keep_path = nla_get_u8(tb[KHTTP_A_ROUTE_KEEP_PATH]) != 0;
	rt->precompressed = tb[KHTTP_A_ROUTE_PRECOMPRESSED] &&
			    nla_get_u8(tb[KHTTP_A_ROUTE_PRECOMPRESSED]);
	if (route_decode_lists(nlh, rt)) {
		route_free(rt, false);
		return -1;
	}
	return 0;
}

/*
 * One route, the one model for every output: a JSON object, or in text a
 * line of route list (@show false) or the "route add" line that show and
 * the batch undo write (@show true); no newline.  Both text forms spell
 * the options as route add takes them.
 */
void route_print(struct pr *p, const struct r_route *rt, bool show)
{
	static const char *const keys[] = {
		[KHTTP_ROUTE_STATIC] = "dir",
		[KHTTP_ROUTE_POOL] = "pool",
		[KHTTP_ROUTE_REDIRECT] = "redirect",
	};
	static const char *const leads[] = {
		[KHTTP_ROUTE_STATIC] = " static ",
		[KHTTP_ROUTE_POOL] = " pool ",
		[KHTTP_ROUTE_REDIRECT] = " redirect ",
	};
	bool kernel = route_type_kernel(rt->type);
	const char *type = route_types[rt->type];
	char st[8], buf[INET6_ADDRSTRLEN + 8];
	size_t i;

	pr_open_object(p, NULL);
	if (show) {
		print_word(p, PRINT_ANY, "prefix", "route add ", rt->prefix);
		if (kernel)
			print_string(p, PRINT_ANY, "type", " %s", type);
		else
			print_string(p, PRINT_JSON, "type", NULL, type);
		if (!kernel)
			print_word(p, PRINT_ANY, keys[rt->type],
				   leads[rt->type], rt->target);
	} else {
		print_string(p, PRINT_ANY, "prefix", "%s", rt->prefix);
		print_string(p, PRINT_ANY, "type", " %s", type);
		if (!kernel)
			print_string(p, PRINT_ANY, keys[rt->type], " %s",
				     rt->target);
	}
	if (rt->redirect_status)
		print_u64(p, PRINT_ANY, "status", " status %llu",
			  rt->redirect_status);
	if (rt->type == KHTTP_ROUTE_REDIRECT)
		print_bool(p, PRINT_ANY, "keep_path", " keep-path",
			   rt->keep_path);
	if (rt->cache >= 0)
		print_bool(p, PRINT_JSON, "cache", NULL, rt->cache);
	print_bool(p, PRINT_FP, NULL, " cache off", rt->cache == 0);
	if (rt->max_bps)
		print_u64(p, PRINT_ANY, "max_bandwidth", " max-bandwidth %llu",
			  (unsigned long long)rt->max_bps);
	if (rt->type == KHTTP_ROUTE_STATIC)
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
	if (rt->nhdrs) {
		pr_open_array(p, "headers");
		for (i = 0; i < rt->nhdrs; i++)
			print_word(p, PRINT_ANY, NULL, " header ",
				   rt->hdrs[i]);
		pr_close_array(p);
	}
	if (rt->nerrpages) {
		pr_open_array(p, "error_pages");
		for (i = 0; i < rt->nerrpages; i++) {
			pr_open_object(p, NULL);
			snprintf(st, sizeof(st), "%u", rt->errpages[i].status);
			print_u64(p, PRINT_JSON, "status", NULL,
				  rt->errpages[i].status);
			print_string(p, PRINT_FP, NULL, " error-page %s", st);
			print_word(p, PRINT_ANY, "path", " ",
				   rt->errpages[i].path);
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

	if (route_decode(tb, c->reply, &rt))
		return -1;
	route_print(p, &rt, false);
	print_fp(p, "\n");
	route_free(&rt, false);
	return 0;
}

int cmd_route_list(struct ctx *c, int argc, char **argv)
{
	return dump_list(c, argc, argv, KHTTP_CMD_ROUTE_GET, route_reply);
}

/* Make @rt's strings its own; false: out of memory (some are NULL). */
static bool route_own_strings(struct r_route *rt)
{
	bool ok = true;
	size_t i;

	rt->prefix = strdup(rt->prefix);
	rt->target = strdup(rt->target);
	ok = rt->prefix && rt->target;
	for (i = 0; i < rt->nhdrs; i++)
		ok &= !!(rt->hdrs[i] = strdup(rt->hdrs[i]));
	for (i = 0; i < rt->nerrpages; i++)
		ok &= !!(rt->errpages[i].path = strdup(rt->errpages[i].path));
	return ok;
}

int run_route_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct running *r = arg;
	struct r_route d, *rt;

	if (route_decode(tb, c->reply, &d))
		return -1;
	rt = GROW(r->routes, r->nroutes);
	if (!rt) {
		route_free(&d, false);
		r->oom = true;
		return -1;
	}
	if (!route_own_strings(&d)) {
		route_free(&d, true);	/* free(NULL) for the ones that failed */
		r->nroutes--;
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
	route_free(&b->snap.routes[i], true);
	memmove(&b->snap.routes[i], &b->snap.routes[i + 1],
		(b->snap.nroutes - i - 1) * sizeof(*b->snap.routes));
	b->snap.nroutes--;
	return true;
}
