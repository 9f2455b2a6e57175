// SPDX-License-Identifier: GPL-2.0
/* httpctl: status. */
#include "httpctl.h"

/* ---- status -------------------------------------------------------- */

struct status {
	char version[64];
	uint32_t listen, routes, pools;
};

static int status_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct status *s = arg;

	(void)c;
	if (tb[KHTTP_A_STATUS_VERSION])
		snprintf(s->version, sizeof(s->version), "%s",
			 nla_get_string(tb[KHTTP_A_STATUS_VERSION]));
	if (tb[KHTTP_A_STATUS_LISTEN_COUNT])
		s->listen = nla_get_u32(tb[KHTTP_A_STATUS_LISTEN_COUNT]);
	if (tb[KHTTP_A_STATUS_ROUTE_COUNT])
		s->routes = nla_get_u32(tb[KHTTP_A_STATUS_ROUTE_COUNT]);
	if (tb[KHTTP_A_STATUS_POOL_COUNT])
		s->pools = nla_get_u32(tb[KHTTP_A_STATUS_POOL_COUNT]);
	return 0;
}

int cmd_status(struct ctx *c, int argc, char **argv)
{
	struct status s = { .version = "unknown" };
	struct pr p;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	ret = req_run(c, req_new(c, KHTTP_CMD_STATUS_GET, false),
		      status_reply, &s);
	if (ret)
		return ret;
	pr_init(&p, stdout, c->json);
	pr_open_object(&p, NULL);
	print_string(&p, PRINT_ANY, "version", "khttp %s\n", s.version);
	print_u64(&p, PRINT_ANY, "listen_entries", "listen entries: %llu\n",
		  s.listen);
	print_u64(&p, PRINT_ANY, "routes", "routes: %llu\n", s.routes);
	print_u64(&p, PRINT_ANY, "pools", "pools: %llu\n", s.pools);
	pr_close_object(&p);
	return EXIT_OK;
}

