// SPDX-License-Identifier: GPL-2.0
/* httpctl: iplisten: the listen list. */
#include "httpctl.h"

/* ---- iplisten ------------------------------------------------------ */

static int listen_change(struct ctx *c, int argc, char **argv, uint8_t cmd)
{
	struct khttp_addr a;
	char why[256];
	struct nl_msg *msg;
	bool tls = false;

	if (argc < 1)
		return usage_err(c, "%s: missing ADDR:PORT", c->cmdname);
	/* "tls" marks an entry whose connections speak TLS (add only). */
	if (argc > 1 && cmd == KHTTP_CMD_LISTEN_ADD && !strcmp(argv[1], "tls"))
		tls = true;
	if (argc > 1 + tls)
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[1 + tls]);
	if (httpctl_addr_parse(argv[0], &a, why, sizeof(why)))
		return usage_err(c, "%s", why);
	msg = req_new(c, cmd, false);
	if (msg && (nla_put(msg, KHTTP_A_LISTEN_ADDR, sizeof(a), &a) < 0 ||
		    (tls && nla_put_flag(msg, KHTTP_A_LISTEN_TLS) < 0))) {
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

/* The listen entry in @tb (and its counters if @stats), decoded once. */
static int listen_decode(struct nlattr **tb, struct r_listen *l, bool stats)
{
	if (!tb[KHTTP_A_LISTEN_ADDR])
		return -1;
	memset(l, 0, sizeof(*l));
	memcpy(&l->a, nla_data(tb[KHTTP_A_LISTEN_ADDR]), sizeof(l->a));
	l->tls = tb[KHTTP_A_LISTEN_TLS] != NULL;
	return stats ? stats_parse(tb[KHTTP_A_LISTEN_STATS], &l->s) : 0;
}

/*
 * One listen entry, the one model for every output: LISTEN_LIST and
 * LISTEN_STATS (with the counters) an object in JSON, a line in text;
 * LISTEN_SHOW the address alone in JSON, "iplisten add ADDR" (no newline)
 * in text.
 */
void listen_print(struct pr *p, const struct r_listen *l,
		  enum listen_form form)
{
	const struct khttp_addr *a = &l->a;
	char buf[HTTPCTL_ADDRSTRLEN];
	bool stats = form == LISTEN_STATS;

	if (form == LISTEN_SHOW) {
		print_string(p, PRINT_ANY, NULL, "iplisten add %s",
			     httpctl_addr_format(a, buf, sizeof(buf)));
		/* JSON: the address string alone, as before (text restores). */
		if (l->tls)
			print_fp(p, " tls");
		return;
	}
	pr_open_object(p, NULL);
	print_string(p, PRINT_ANY, "listen", stats ? "listen %s" : "%s",
		     httpctl_addr_format(a, buf, sizeof(buf)));
	if (l->tls)
		print_bool(p, PRINT_ANY, "tls", " tls", true);
	print_fp(p, "\n");
	print_string(p, PRINT_JSON, "family", NULL,
		     a->family == AF_INET6 ? "inet6" : "inet");
	if (p->json)
		print_string(p, PRINT_JSON, "address", NULL,
			     httpctl_addr_host(a, buf, sizeof(buf)));
	print_u64(p, PRINT_JSON, "port", NULL, a->port);
	if (a->scope_id)
		print_u64(p, PRINT_JSON, "scope_id", NULL, a->scope_id);
	if (stats) {
		print_key(p, "stats");
		stats_print(p, &l->s, "  ");
	}
	pr_close_object(p);
}

static int listen_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct listen_walk *w = arg;
	struct r_listen l;

	(void)c;
	if (listen_decode(tb, &l, w->stats))
		return -1;
	listen_print(&w->p, &l, w->stats ? LISTEN_STATS : LISTEN_LIST);
	return 0;
}

int listen_dump(struct ctx *c, struct listen_walk *w)
{
	return dump_array(c, &w->p, KHTTP_CMD_LISTEN_GET, listen_reply, w);
}

int cmd_listen_list(struct ctx *c, int argc, char **argv)
{
	struct listen_walk w = { .stats = false };
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	pr_init(&w.p, stdout, c->json);
	return listen_dump(c, &w);
}

int run_listen_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct running *r = arg;
	struct r_listen *l;

	(void)c;
	if (!tb[KHTTP_A_LISTEN_ADDR])
		return -1;
	l = GROW(r->listen, r->nlisten);
	if (!l) {
		r->oom = true;
		return -1;
	}
	return listen_decode(tb, l, true);
}


/* ---- batch undo ---------------------------------------------------- */

static int undo_listen(const char *verb, char **argv, bool tls, FILE *f)
{
	fprintf(f, "iplisten %s ", verb);
	httpctl_batch_word(f, argv[0]);
	fputs(tls ? " tls\n" : "\n", f);
	return 0;
}

int undo_listen_add(struct batch *b, int argc, char **argv, FILE *f)
{
	(void)b;
	(void)argc;
	return undo_listen("del", argv, false, f);
}

/* Re-adding a deleted entry restores its "tls" too (from the snapshot). */
int undo_listen_del(struct batch *b, int argc, char **argv, FILE *f)
{
	struct khttp_addr a;
	bool tls = false;
	char why[256];
	size_t i;

	(void)argc;
	if (httpctl_addr_parse(argv[0], &a, why, sizeof(why)))
		return 0;	/* the command itself is refused */
	for (i = 0; i < b->snap.nlisten; i++)
		if (!memcmp(&b->snap.listen[i].a, &a, sizeof(a)))
			tls = b->snap.listen[i].tls;
	return undo_listen("add", argv, tls, f);
}
