// SPDX-License-Identifier: GPL-2.0
/* httpctl: cache: the response cache. */
#include "httpctl.h"

/* ---- cache --------------------------------------------------------- */

static int cache_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct json *j = arg;
	const char *key, *file;
	char age[32], ttl[32];
	unsigned int status;
	uint32_t size, age_ms, ttl_ms;
	uint64_t hits;

	if (!tb[KHTTP_A_CACHE_KEY])
		return -1;
	key = nla_get_string(tb[KHTTP_A_CACHE_KEY]);
	status = tb[KHTTP_A_CACHE_STATUS] ?
		 nla_get_u16(tb[KHTTP_A_CACHE_STATUS]) : 0;
	size = get_u32(tb, KHTTP_A_CACHE_SIZE);
	hits = tb[KHTTP_A_CACHE_HITS] ? nla_get_u64(tb[KHTTP_A_CACHE_HITS]) : 0;
	age_ms = get_u32(tb, KHTTP_A_CACHE_AGE_MS);
	ttl_ms = get_u32(tb, KHTTP_A_CACHE_TTL_MS);
	/* A static file has no TTL: it is checked against the file. */
	file = tb[KHTTP_A_CACHE_FILE] ?
	       nla_get_string(tb[KHTTP_A_CACHE_FILE]) : NULL;
	if (c->json) {
		json_begin_object(j);
		json_key(j, "key");
		json_string(j, key);
		json_u(j, "status", status);
		json_u(j, "size", size);
		json_u(j, "hits", hits);
		json_u(j, "age_ms", age_ms);
		if (tb[KHTTP_A_CACHE_TTL_MS])
			json_u(j, "ttl_ms", ttl_ms);
		if (file) {
			json_key(j, "file");
			json_string(j, file);
		}
		json_end_object(j);
	} else {
		printf("%s status %u size %u hits %llu age %s ttl %s", key,
		       status, size, (unsigned long long)hits,
		       httpctl_format_ms(age_ms, age, sizeof(age)),
		       tb[KHTTP_A_CACHE_TTL_MS] ?
		       httpctl_format_ms(ttl_ms, ttl, sizeof(ttl)) : "-");
		if (file)
			printf(" file %s", file);
		putchar('\n');
	}
	return 0;
}

int cmd_cache_list(struct ctx *c, int argc, char **argv)
{
	struct json j;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	if ((ret = connect_family(c)))
		return ret;
	json_init(&j, stdout);
	if (c->json)
		json_begin_array(&j);
	ret = req_run(c, req_new(c, KHTTP_CMD_CACHE_GET, true),
		      cache_reply, &j);
	if (c->json)
		json_end_array(&j);
	return ret;
}

struct flushed {
	bool have;
	uint32_t n;
};

static int flush_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct flushed *f = arg;

	(void)c;
	if (!tb[KHTTP_A_FLUSHED])
		return -1;
	f->have = true;
	f->n = nla_get_u32(tb[KHTTP_A_FLUSHED]);
	return 0;
}

int cmd_cache_flush(struct ctx *c, int argc, char **argv)
{
	struct flushed f = { .have = false };
	struct nl_msg *msg;
	struct json j;
	int ret;

	if (argc > 1)
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[1]);
	if (argc && (ret = check_len(c, "prefix", argv[0], KHTTP_PREFIX_MAX)))
		return ret;
	msg = req_new(c, KHTTP_CMD_CACHE_FLUSH, false);
	if (msg && argc && nla_put_string(msg, KHTTP_A_PREFIX, argv[0]) < 0) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	ret = req_run(c, msg, flush_reply, &f);
	if (ret || c->dry_run)
		return ret;
	if (!f.have)
		return err(c, "%s: no count in the kernel's reply "
			   "(httpctl and khttp versions differ?)", c->cmdname);
	if (c->json) {
		json_init(&j, stdout);
		json_begin_object(&j);
		json_u(&j, "flushed", f.n);
		json_end_object(&j);
	} else {
		printf("flushed %u\n", f.n);
	}
	return EXIT_OK;
}

