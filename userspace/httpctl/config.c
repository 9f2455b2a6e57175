// SPDX-License-Identifier: GPL-2.0
/* httpctl: set and show config: the tunables. */
#include "httpctl.h"

/* ---- set / show config --------------------------------------------- */

const struct tunable tunables[N_TUNABLES] = {
	{ "max-conns",        "max_conns",         KHTTP_A_CONFIG_MAX_CONNS,         false, false },
	{ "max-header-bytes", "max_header_bytes",  KHTTP_A_CONFIG_MAX_HEADER_BYTES,  false, true },
	{ "max-body-bytes",   "max_body_bytes",    KHTTP_A_CONFIG_MAX_BODY_BYTES,    true,  true },
	{ "header-timeout",   "header_timeout_ms", KHTTP_A_CONFIG_HEADER_TIMEOUT_MS, false, false },
	{ "idle-timeout",     "idle_timeout_ms",   KHTTP_A_CONFIG_IDLE_TIMEOUT_MS,   false, false },
	{ "cache-max-bytes",  "cache_max_bytes",   KHTTP_A_CONFIG_CACHE_MAX_BYTES,   true,  true },
	{ "cache-entry-max",  "cache_entry_max",   KHTTP_A_CONFIG_CACHE_ENTRY_MAX,   false, true },
	{ "max-conns-per-client", "max_conns_per_client", KHTTP_A_CONFIG_MAX_CONNS_PER_CLIENT, false, false },
	{ "max-conns-per-prefix", "max_conns_per_prefix", KHTTP_A_CONFIG_MAX_CONNS_PER_PREFIX, false, false },
	{ "min-send-rate",    "min_send_rate",     KHTTP_A_CONFIG_MIN_SEND_RATE,     false, true },
	{ "cache-lock-timeout", "cache_lock_timeout_ms", KHTTP_A_CONFIG_CACHE_LOCK_TIMEOUT_MS, false, false },
	{ "tls-handshake-timeout", "tls_handshake_timeout_ms", KHTTP_A_CONFIG_TLS_HANDSHAKE_TIMEOUT_MS, false, false },
	{ "tls-handshake-max", "tls_handshake_max", KHTTP_A_CONFIG_TLS_HANDSHAKE_MAX, false, false },
};

int cmd_set(struct ctx *c, int argc, char **argv)
{
	bool given[N_TUNABLES] = { false };
	uint64_t val[N_TUNABLES], max;
	struct nl_msg *msg;
	size_t t;
	int i;

	if (argc == 0)
		return usage_err(c, "set: nothing to set");
	for (i = 0; i < argc; i += 2) {
		for (t = 0; t < N_TUNABLES; t++)
			if (!strcmp(argv[i], tunables[t].name))
				break;
		if (t == N_TUNABLES)
			return usage_err(c, "set: unknown setting \"%s\"",
					 argv[i]);
		if (given[t])
			return usage_err(c, "set: %s given twice", argv[i]);
		if (i + 1 >= argc)
			return usage_err(c, "set: missing value after %s",
					 argv[i]);
		/* Syntax here; the kernel's policy checks the ranges. */
		max = tunables[t].u64 ? UINT64_MAX : UINT32_MAX;
		if (tunables[t].bytes ?
		    httpctl_parse_size(argv[i + 1], max, &val[t]) :
		    httpctl_parse_uint(argv[i + 1], 0, max, &val[t]))
			return usage_err(c, "set: %s: \"%s\" is not a %s-bit "
					 "unsigned number%s", argv[i],
					 argv[i + 1],
					 tunables[t].u64 ? "64" : "32",
					 tunables[t].bytes ? " (suffixes K, "
					 "M, G, T allowed)" : "");
		given[t] = true;
	}

	msg = req_new(c, KHTTP_CMD_CONFIG_SET, false);
	for (t = 0; msg && t < N_TUNABLES; t++) {
		int attr = tunables[t].attr;

		if (!given[t])
			continue;
		if ((tunables[t].u64 ? nla_put_u64(msg, attr, val[t]) :
		     nla_put_u32(msg, attr, (uint32_t)val[t])) < 0) {
			nlmsg_free(msg);
			return err(c, "out of memory");
		}
	}
	return req_run(c, msg, NULL, NULL);
}

int config_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct config *cf = arg;
	size_t t;

	(void)c;
	for (t = 0; t < N_TUNABLES; t++) {
		struct nlattr *a = tb[tunables[t].attr];

		if (!a)
			continue;
		cf->have[t] = true;
		cf->val[t] = tunables[t].u64 ? nla_get_u64(a) : nla_get_u32(a);
	}
	return 0;
}

/*
 * The tunables, the one model for show config and show: a JSON object, or
 * the "set ..." line that pastes back into a batch file.
 */
void config_print(struct pr *p, const struct config *cf)
{
	size_t t;

	pr_open_object(p, NULL);
	print_fp(p, "set");
	for (t = 0; t < N_TUNABLES; t++) {
		if (!cf->have[t])
			continue;
		print_u64(p, PRINT_JSON, tunables[t].json, NULL,
			  (unsigned long long)cf->val[t]);
		print_fp(p, " %s %llu", tunables[t].name,
			 (unsigned long long)cf->val[t]);
	}
	pr_close_object(p);
	print_fp(p, "\n");
}

int cmd_show_config(struct ctx *c, int argc, char **argv)
{
	struct config cf;
	struct pr p;
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	memset(&cf, 0, sizeof(cf));
	ret = req_run(c, req_new(c, KHTTP_CMD_CONFIG_GET, false),
		      config_reply, &cf);
	if (ret)
		return ret;
	pr_init(&p, stdout, c->json);
	config_print(&p, &cf);
	return EXIT_OK;
}


/* ---- batch undo: set the old values back --------------------------- */

int undo_set(struct batch *b, int argc, char **argv, FILE *f)
{
	size_t t;
	int j;

	fputs("set", f);
	for (j = 0; j + 1 < argc; j += 2)
		for (t = 0; t < N_TUNABLES; t++)
			if (!strcmp(argv[j], tunables[t].name) &&
			    b->snap.cf.have[t])
				fprintf(f, " %s %llu", argv[j],
					(unsigned long long)b->snap.cf.val[t]);
	fputc('\n', f);
	return 0;
}
