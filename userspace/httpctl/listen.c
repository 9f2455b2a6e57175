// SPDX-License-Identifier: GPL-2.0
/* httpctl: iplisten: the listen list. */
#include "httpctl.h"

/* ---- iplisten ------------------------------------------------------ */

static int listen_change(struct ctx *c, int argc, char **argv, uint8_t cmd)
{
	struct khttp_addr a;
	char why[256];
	struct nl_msg *msg;

	if (argc < 1)
		return usage_err(c, "%s: missing ADDR:PORT", c->cmdname);
	if (argc > 1)
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[1]);
	if (httpctl_addr_parse(argv[0], &a, why, sizeof(why)))
		return usage_err(c, "%s", why);
	msg = req_new(c, cmd, false);
	if (msg && nla_put(msg, KHTTP_A_ADDR, sizeof(a), &a) < 0) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	return req_run(c, msg, NULL, NULL);
}

int cmd_listen_add(struct ctx *c, int argc, char **argv)
{
	return listen_change(c, argc, argv, KHTTP_CMD_LISTEN_ADD);
}

int cmd_listen_del(struct ctx *c, int argc, char **argv)
{
	return listen_change(c, argc, argv, KHTTP_CMD_LISTEN_DEL);
}

/* One listen entry as a JSON object's members (no braces). */
static void json_listen_members(struct json *j, const struct khttp_addr *a)
{
	char buf[HTTPCTL_ADDRSTRLEN];

	json_key(j, "listen");
	json_string(j, httpctl_addr_format(a, buf, sizeof(buf)));
	json_key(j, "family");
	json_string(j, a->family == AF_INET6 ? "inet6" : "inet");
	json_key(j, "address");
	json_string(j, httpctl_addr_host(a, buf, sizeof(buf)));
	json_key(j, "port");
	json_uint(j, a->port);
	if (a->scope_id) {
		json_key(j, "scope_id");
		json_uint(j, a->scope_id);
	}
}

static int listen_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct listen_walk *w = arg;
	struct khttp_addr a;
	struct stats s;
	char buf[HTTPCTL_ADDRSTRLEN];

	if (!tb[KHTTP_A_ADDR])
		return -1;
	memcpy(&a, nla_data(tb[KHTTP_A_ADDR]), sizeof(a));
	if (w->stats && stats_parse(tb[KHTTP_A_STATS], &s))
		return -1;
	if (c->json) {
		json_begin_object(&w->j);
		json_listen_members(&w->j, &a);
		if (w->stats) {
			json_key(&w->j, "stats");
			stats_print(c, &w->j, &s, "");
		}
		json_end_object(&w->j);
	} else {
		printf("%s%s\n", w->stats ? "listen " : "",
		       httpctl_addr_format(&a, buf, sizeof(buf)));
		if (w->stats)
			stats_print(c, &w->j, &s, "  ");
	}
	return 0;
}

int listen_dump(struct ctx *c, struct listen_walk *w)
{
	int ret;

	/* Connect first: print no "[]" when nothing could be asked. */
	if ((ret = connect_family(c)))
		return ret;
	if (c->json)
		json_begin_array(&w->j);
	ret = req_run(c, req_new(c, KHTTP_CMD_LISTEN_GET, true),
		      listen_reply, w);
	if (c->json)
		json_end_array(&w->j);	/* valid JSON even after an error */
	return ret;
}

int cmd_listen_list(struct ctx *c, int argc, char **argv)
{
	struct listen_walk w = { .stats = false };
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	json_init(&w.j, stdout);
	return listen_dump(c, &w);
}

int run_listen_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct running *r = arg;
	struct r_listen *l;

	(void)c;
	if (!tb[KHTTP_A_ADDR])
		return -1;
	l = GROW(r->listen, r->nlisten);
	if (!l) {
		r->oom = true;
		return -1;
	}
	memcpy(&l->a, nla_data(tb[KHTTP_A_ADDR]), sizeof(l->a));
	return stats_parse(tb[KHTTP_A_STATS], &l->s);
}


/* ---- batch undo ---------------------------------------------------- */

static int undo_listen(const char *verb, char **argv, FILE *f)
{
	fprintf(f, "iplisten %s ", verb);
	httpctl_batch_word(f, argv[0]);
	fputc('\n', f);
	return 0;
}

int undo_listen_add(struct batch *b, int argc, char **argv, FILE *f)
{
	(void)b;
	(void)argc;
	return undo_listen("del", argv, f);
}

int undo_listen_del(struct batch *b, int argc, char **argv, FILE *f)
{
	(void)b;
	(void)argc;
	return undo_listen("add", argv, f);
}
