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

	for (i = 0; i < r->nroutes; i++) {
		free(r->routes[i].prefix);
		free(r->routes[i].target);
	}
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
	    (ret = req_run(c, req_new(c, KHTTP_CMD_ROUTE_GET, true),
			   run_route_reply, r)))
		return r->oom ? err(c, "out of memory") : ret;
	return EXIT_OK;
}

static void show_text(FILE *f, const struct running *r)
{
	struct pr pr;
	size_t i, t;

	pr_init(&pr, f, false);
	fprintf(f, "# khttp running configuration (httpctl %s show); "
		"apply with: httpctl -b FILE\n", KHTTP_VERSION_STRING);
	fputs("set", f);
	for (t = 0; t < N_TUNABLES; t++)
		if (r->cf.have[t])
			fprintf(f, " %s %llu", tunables[t].name,
				(unsigned long long)r->cf.val[t]);
	fputc('\n', f);
	for (i = 0; i < r->npools; i++) {
		show_pool_add(f, &r->pools[i]);
		fputc('\n', f);
		if (r->pools[i].state == KHTTP_POOL_INACTIVE) {
			fputs("pool set ", f);
			httpctl_batch_word(f, r->pools[i].name);
			fputs(" state inactive\n", f);
		} else if (r->pools[i].state == KHTTP_POOL_FAILED) {
			fprintf(f, "# pool %s has failed (rapid-fail "
				"protection); it starts active\n",
				r->pools[i].name);
		}
	}
	for (i = 0; i < r->nlisten; i++) {
		listen_print(&pr, &r->listen[i], LISTEN_SHOW);
		fputc('\n', f);
	}
	for (i = 0; i < r->nroutes; i++) {
		show_route_add(f, &r->routes[i]);
		fputc('\n', f);
	}
}

static void show_json(const struct running *r)
{
	struct pr pr;
	size_t i, t;

	pr_init(&pr, stdout, true);
	json_begin_object(&pr.j);
	json_key(&pr.j, "config");
	json_begin_object(&pr.j);
	for (t = 0; t < N_TUNABLES; t++)
		if (r->cf.have[t])
			json_u(&pr.j, tunables[t].json, r->cf.val[t]);
	json_end_object(&pr.j);
	json_key(&pr.j, "pools");
	json_begin_array(&pr.j);
	for (i = 0; i < r->npools; i++)
		pool_print(&pr, &r->pools[i], POOL_SHOW);
	json_end_array(&pr.j);
	json_key(&pr.j, "listen");
	json_begin_array(&pr.j);
	for (i = 0; i < r->nlisten; i++)
		listen_print(&pr, &r->listen[i], LISTEN_SHOW);
	json_end_array(&pr.j);
	json_key(&pr.j, "routes");
	json_begin_array(&pr.j);
	for (i = 0; i < r->nroutes; i++)
		route_print(&pr, &r->routes[i], true);
	json_end_array(&pr.j);
	json_end_object(&pr.j);
}

int cmd_show(struct ctx *c, int argc, char **argv)
{
	struct running r;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	memset(&r, 0, sizeof(r));
	ret = running_read(c, &r, false);
	if (!ret) {
		if (c->json)
			show_json(&r);
		else
			show_text(stdout, &r);
	}
	running_free(&r);
	return ret;
}

