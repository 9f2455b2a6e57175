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
	char buf[HTTPCTL_ADDRSTRLEN];
	size_t i, t;

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
	for (i = 0; i < r->nlisten; i++)
		fprintf(f, "iplisten add %s\n",
			httpctl_addr_format(&r->listen[i].a, buf, sizeof(buf)));
	for (i = 0; i < r->nroutes; i++) {
		show_route_add(f, &r->routes[i]);
		fputc('\n', f);
	}
}

static void show_json(const struct running *r)
{
	char buf[HTTPCTL_ADDRSTRLEN];
	const struct r_pool *p;
	const struct r_route *rt;
	struct json j;
	size_t i, t;

	json_init(&j, stdout);
	json_begin_object(&j);
	json_key(&j, "config");
	json_begin_object(&j);
	for (t = 0; t < N_TUNABLES; t++)
		if (r->cf.have[t])
			json_u(&j, tunables[t].json, r->cf.val[t]);
	json_end_object(&j);
	json_key(&j, "pools");
	json_begin_array(&j);
	for (i = 0; i < r->npools; i++) {
		p = &r->pools[i];
		json_begin_object(&j);
		json_key(&j, "name");
		json_string(&j, p->name);
		if (httpctl_pool_state_name(p->state)) {
			json_key(&j, "state");
			json_string(&j, httpctl_pool_state_name(p->state));
		}
		json_u(&j, "queue_length", p->qlen);
		if (httpctl_verbosity_name(p->verb)) {
			json_key(&j, "verbosity");
			json_string(&j, httpctl_verbosity_name(p->verb));
		}
		json_u(&j, "queue_timeout_ms", p->tmo);
		json_u(&j, "rapid_fail_count", p->rfc);
		json_u(&j, "rapid_fail_seconds", p->rfs);
		json_u(&j, "uid", p->uid);
		json_u(&j, "gid", p->gid);
		json_u(&j, "mode", p->mode);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_key(&j, "listen");
	json_begin_array(&j);
	for (i = 0; i < r->nlisten; i++)
		json_string(&j, httpctl_addr_format(&r->listen[i].a, buf,
						     sizeof(buf)));
	json_end_array(&j);
	json_key(&j, "routes");
	json_begin_array(&j);
	for (i = 0; i < r->nroutes; i++) {
		rt = &r->routes[i];
		json_begin_object(&j);
		json_key(&j, "prefix");
		json_string(&j, rt->prefix);
		json_key(&j, "type");
		json_string(&j, rt->type == KHTTP_ROUTE_STATIC ? "static" :
			    "pool");
		json_key(&j, rt->type == KHTTP_ROUTE_STATIC ? "dir" : "pool");
		json_string(&j, rt->target);
		if (rt->cache >= 0) {
			json_key(&j, "cache");
			json_bool(&j, rt->cache);
		}
		if (rt->max_bps)
			json_u(&j, "max_bandwidth", rt->max_bps);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
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

