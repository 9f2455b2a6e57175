// SPDX-License-Identifier: GPL-2.0
/* httpctl: cache: the response cache. */
#include "httpctl.h"

/* ---- cache --------------------------------------------------------- */

/* One cache entry, decoded once; the strings point into the message. */
struct r_cache {
	const char *key, *file;	/* file: NULL, or the static file */
	unsigned int status;
	uint32_t size, age_ms, ttl_ms;
	bool have_ttl;		/* a static file has no TTL */
	uint64_t hits;
};

static int cache_decode(struct nlattr **tb, struct r_cache *e)
{
	if (!tb[KHTTP_A_CACHE_KEY])
		return -1;
	memset(e, 0, sizeof(*e));
	e->key = nla_get_string(tb[KHTTP_A_CACHE_KEY]);
	e->status = tb[KHTTP_A_CACHE_STATUS] ?
		    nla_get_u16(tb[KHTTP_A_CACHE_STATUS]) : 0;
	e->size = get_u32(tb, KHTTP_A_CACHE_SIZE);
	e->hits = tb[KHTTP_A_CACHE_HITS] ?
		  nla_get_u64(tb[KHTTP_A_CACHE_HITS]) : 0;
	e->age_ms = get_u32(tb, KHTTP_A_CACHE_AGE_MS);
	e->ttl_ms = get_u32(tb, KHTTP_A_CACHE_TTL_MS);
	e->have_ttl = tb[KHTTP_A_CACHE_TTL_MS] != NULL;
	/* A static file has no TTL: it is checked against the file. */
	e->file = tb[KHTTP_A_CACHE_FILE] ?
		  nla_get_string(tb[KHTTP_A_CACHE_FILE]) : NULL;
	return 0;
}

/* One entry: a JSON object, or a line of text. */
static void cache_print(struct pr *p, const struct r_cache *e)
{
	char age[32], ttl[32];

	pr_open_object(p, NULL);
	print_string(p, PRINT_ANY, "key", "%s", e->key);
	print_u64(p, PRINT_ANY, "status", " status %llu", e->status);
	print_u64(p, PRINT_ANY, "size", " size %llu", e->size);
	print_u64(p, PRINT_ANY, "hits", " hits %llu",
		  (unsigned long long)e->hits);
	print_u64(p, PRINT_JSON, "age_ms", NULL, e->age_ms);
	print_string(p, PRINT_FP, NULL, " age %s",
		     httpctl_format_ms(e->age_ms, age, sizeof(age)));
	if (e->have_ttl)
		print_u64(p, PRINT_JSON, "ttl_ms", NULL, e->ttl_ms);
	print_string(p, PRINT_FP, NULL, " ttl %s", e->have_ttl ?
		     httpctl_format_ms(e->ttl_ms, ttl, sizeof(ttl)) : "-");
	if (e->file)
		print_string(p, PRINT_ANY, "file", " file %s", e->file);
	print_fp(p, "\n");
	pr_close_object(p);
}

static int cache_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct r_cache e;

	(void)c;
	if (cache_decode(tb, &e))
		return -1;
	cache_print(arg, &e);
	return 0;
}

int cmd_cache_list(struct ctx *c, int argc, char **argv)
{
	return dump_list(c, argc, argv, KHTTP_CMD_CACHE_GET, cache_reply);
}

struct flushed {
	bool have;
	uint32_t n;
};

static int flush_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct flushed *f = arg;

	(void)c;
	if (!tb[KHTTP_A_CACHE_FLUSHED])
		return -1;
	f->have = true;
	f->n = nla_get_u32(tb[KHTTP_A_CACHE_FLUSHED]);
	return 0;
}

int cmd_cache_flush(struct ctx *c, int argc, char **argv)
{
	struct flushed f = { .have = false };
	struct nl_msg *msg;
	struct pr p;
	int ret;

	if (argc > 1)
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[1]);
	if (argc && (ret = check_len(c, "prefix", argv[0], KHTTP_PREFIX_MAX)))
		return ret;
	msg = req_new(c, KHTTP_CMD_CACHE_FLUSH, false);
	if (msg && argc && nla_put_string(msg, KHTTP_A_CACHE_PREFIX, argv[0]) < 0) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	ret = req_run(c, msg, flush_reply, &f);
	if (ret || c->dry_run)
		return ret;
	if (!f.have)
		return err(c, "%s: no count in the kernel's reply "
			   "(httpctl and khttp versions differ?)", c->cmdname);
	pr_init(&p, stdout, c->json);
	pr_open_object(&p, NULL);
	print_u64(&p, PRINT_ANY, "flushed", "flushed %llu\n", f.n);
	pr_close_object(&p);
	return EXIT_OK;
}

