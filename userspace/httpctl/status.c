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
	if (tb[KHTTP_A_VERSION])
		snprintf(s->version, sizeof(s->version), "%s",
			 nla_get_string(tb[KHTTP_A_VERSION]));
	if (tb[KHTTP_A_LISTEN_COUNT])
		s->listen = nla_get_u32(tb[KHTTP_A_LISTEN_COUNT]);
	if (tb[KHTTP_A_ROUTE_COUNT])
		s->routes = nla_get_u32(tb[KHTTP_A_ROUTE_COUNT]);
	if (tb[KHTTP_A_POOL_COUNT])
		s->pools = nla_get_u32(tb[KHTTP_A_POOL_COUNT]);
	return 0;
}

int cmd_status(struct ctx *c, int argc, char **argv)
{
	struct status s = { .version = "unknown" };
	struct json j;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	ret = req_run(c, req_new(c, KHTTP_CMD_STATUS_GET, false),
		      status_reply, &s);
	if (ret)
		return ret;
	if (c->json) {
		json_init(&j, stdout);
		json_begin_object(&j);
		json_key(&j, "version");
		json_string(&j, s.version);
		json_key(&j, "listen_entries");
		json_uint(&j, s.listen);
		json_key(&j, "routes");
		json_uint(&j, s.routes);
		json_key(&j, "pools");
		json_uint(&j, s.pools);
		json_end_object(&j);
	} else {
		printf("khttp %s\nlisten entries: %u\nroutes: %u\npools: %u\n",
		       s.version, s.listen, s.routes, s.pools);
	}
	return EXIT_OK;
}

