// SPDX-License-Identifier: GPL-2.0
/* httpctl: the running configuration, read once; show and dump. */
#include "httpctl.h"

/* ---- the running configuration (show, batch rollback, metrics) ----- */

/*
 * Append a zeroed element to the array @arr of @n elements of @size
 * bytes: the new array (@arr itself is then gone), or NULL (@arr kept).
 */
void *grow(void *arr, size_t n, size_t size)
{
	char *p = realloc(arr, (n + 1) * size);

	if (p)
		memset(p + n * size, 0, size);
	return p;
}

void running_free(struct running *r)
{
	size_t i;

	for (i = 0; i < r->nroutes; i++)
		route_free(&r->routes[i], true);
	for (i = 0; i < r->ntls; i++)
		tls_free(&r->tls[i]);
	free(r->tls);
	free(r->listen);
	free(r->routes);
	free(r->pools);
	memset(r, 0, sizeof(*r));
}

/* Read everything (and the global counters if @stats) into @r. */
int running_read(struct ctx *c, struct running *r, bool stats)
{
	int ret;

	running_free(r);
	if ((ret = connect_family(c)) ||
	    (ret = req_run(c, req_new(c, KHTTP_CMD_CONFIG_GET, false),
			   config_reply, &r->cf)) ||
	    (stats && (ret = req_run(c, req_new(c, KHTTP_CMD_STATS_GET, false),
				     stats_reply, &r->gs))) ||
	    (ret = req_run(c, req_new(c, KHTTP_CMD_POOL_GET, true),
			   run_pool_reply, r)) ||
	    (ret = req_run(c, req_new(c, KHTTP_CMD_LISTEN_GET, true),
			   run_listen_reply, r)) ||
	    (ret = req_run(c, req_new(c, KHTTP_CMD_TLS_GET, true),
			   run_tls_reply, r)) ||
	    (ret = req_run(c, req_new(c, KHTTP_CMD_ROUTE_GET, true),
			   run_route_reply, r)))
		return r->oom ? err(c, "out of memory") : ret;
	return EXIT_OK;
}

/*
 * The running configuration through the objects' own print models: in
 * JSON one object, in text a batch file that httpctl -b applies.
 */
static void show_print(struct pr *p, const struct running *r)
{
	char buf[HTTPCTL_ADDRSTRLEN];
	const struct r_pool *o;
	size_t i;

	print_fp(p, "# khttp running configuration (httpctl %s show); "
		 "apply with: httpctl -b FILE\n", KHTTP_VERSION_STRING);
	pr_open_object(p, NULL);
	print_key(p, "config");
	config_print(p, &r->cf);
	pr_open_array(p, "pools");
	for (i = 0; i < r->npools; i++) {
		o = &r->pools[i];
		pool_print(p, o, POOL_SHOW);
		print_fp(p, "\n");
		if (o->state == KHTTP_POOL_INACTIVE) {
			print_word(p, PRINT_FP, NULL, "pool set ", o->name);
			print_fp(p, " state inactive\n");
		} else if (o->state == KHTTP_POOL_FAILED) {
			print_fp(p, "# pool %s has failed (rapid-fail "
				 "protection); it starts active\n", o->name);
		}
	}
	pr_close_array(p);
	pr_open_array(p, "listen");
	for (i = 0; i < r->nlisten; i++) {
		listen_print(p, &r->listen[i], LISTEN_SHOW);
		print_fp(p, "\n");
	}
	pr_close_array(p);
	/*
	 * JSON: "listen" stays an array of address strings (as before); the
	 * entries that speak HTTPS are listed again in "listen_tls".
	 */
	if (p->json) {
		pr_open_array(p, "listen_tls");
		for (i = 0; i < r->nlisten; i++)
			if (r->listen[i].tls)
				print_string(p, PRINT_JSON, NULL, NULL,
					     httpctl_addr_format(&r->listen[i].a,
								 buf, sizeof(buf)));
		pr_close_array(p);
	}
	pr_open_array(p, "tls");
	for (i = 0; i < r->ntls; i++)
		tls_print(p, &r->tls[i], true);
	pr_close_array(p);
	pr_open_array(p, "routes");
	for (i = 0; i < r->nroutes; i++) {
		route_print(p, &r->routes[i], true);
		print_fp(p, "\n");
	}
	pr_close_array(p);
	pr_close_object(p);
}

int cmd_show(struct ctx *c, int argc, char **argv)
{
	struct running r;
	struct pr p;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	memset(&r, 0, sizeof(r));
	ret = running_read(c, &r, false);
	if (!ret) {
		pr_init(&p, stdout, c->json);
		show_print(&p, &r);
	}
	running_free(&r);
	return ret;
}

