// SPDX-License-Identifier: GPL-2.0
/* httpctl: messages, the command table, dispatch and main(). */
#include "httpctl.h"

static const struct cmd *cur_cmd;

/* ---- messages ------------------------------------------------------ */

static void say(const struct ctx *c, const char *tag, const char *fmt,
		va_list ap)
{
	if (c->quiet)
		return;
	fflush(stdout);
	fprintf(stderr, "httpctl: %s%s", c->where, tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

__attribute__((format(printf, 2, 3)))
int err(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(c, "", fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

__attribute__((format(printf, 2, 3)))
void warn(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(c, "warning: ", fmt, ap);
	va_end(ap);
}

static void cmd_usage(FILE *f, const char *lead, const struct cmd *k)
{
	fprintf(f, "%shttpctl %s%s%s%s%s\n", lead, k->object,
		k->verb ? " " : "", k->verb ? k->verb : "",
		*k->args ? " " : "", k->args);
}

/* A usage error: one line saying what is wrong, one line of usage. */
__attribute__((format(printf, 2, 3)))
int usage_err(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(c, "", fmt, ap);
	va_end(ap);
	if (cur_cmd)
		cmd_usage(stderr, "usage: ", cur_cmd);
	else
		fprintf(stderr, "Try \"httpctl help\".\n");
	return EXIT_USAGE;
}

int no_args(const struct ctx *c, int argc, char **argv)
{
	if (argc > 0)
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[0]);
	return 0;
}

int check_len(struct ctx *c, const char *what, const char *s, size_t max)
{
	if (!*s)
		return usage_err(c, "%s: empty %s", c->cmdname, what);
	if (strlen(s) >= max)
		return usage_err(c, "%s: %s is too long (at most %zu bytes)",
				 c->cmdname, what, max - 1);
	return 0;
}

/* ---- dispatch ------------------------------------------------------ */

#define RO .readonly = true
static const struct cmd cmds[] = {
	{ "status",   NULL,     cmd_status,      "", RO },
	{ "iplisten", "add",    cmd_listen_add,  "ADDR:PORT [tls]",
	  .undo = undo_listen_add },
	{ "iplisten", "del",    cmd_listen_del,  "ADDR:PORT",
	  .undo = undo_listen_del, .undo_snap = true },
	{ "iplisten", "list",   cmd_listen_list, "", RO },
	{ "tls",      "add",    cmd_tls_add,     "{ ADDR:PORT | HOSTNAME:PORT } "
						 "cert FILE key FILE",
	  .undo = undo_tls_add, .undo_snap = true },
	{ "tls",      "del",    cmd_tls_del,     "{ ADDR:PORT | HOSTNAME:PORT }",
	  .undo = undo_tls_del, .undo_snap = true },
	{ "tls",      "list",   cmd_tls_list,    "", RO },
	{ "route",    "add",    cmd_route_add,   "PREFIX { static DIR | pool NAME "
						 "| redirect URL [status 301|302|307|308] "
						 "[keep-path] | metrics | status } "
						 "[cache on|off] [max-bandwidth RATE] "
						 "[precompressed on|off] "
						 "[{ allow | deny } CIDR|all]... "
						 "[header 'NAME: VALUE']... "
						 "[error-page STATUS PATH]...",
	  .undo = undo_route_add },
	{ "route",    "del",    cmd_route_del,   "PREFIX",
	  .undo = undo_route_del, .undo_snap = true,
	  .applied = applied_route_del },
	{ "route",    "list",   cmd_route_list,  "", RO },
	{ "pool",     "add",    cmd_pool_add,    "NAME [queue-length N] "
						 "[verbosity basic|limited|full] "
						 "[queue-timeout MS] [owner USER] "
						 "[group GROUP] [mode MODE] "
						 "[rapid-fail COUNT/SECONDS|off]",
	  .undo = undo_pool_add },
	{ "pool",     "set",    cmd_pool_set,    "NAME [OPTIONS of pool add] "
						 "[state active|inactive]",
	  .undo = undo_pool_set, .undo_snap = true },
	{ "pool",     "del",    cmd_pool_del,    "NAME [force]",
	  .undo = undo_pool_del, .undo_snap = true },
	{ "pool",     "list",   cmd_pool_list,   "", RO },
	{ "set",      NULL,     cmd_set,         "[max-conns N] [max-header-bytes N] "
						 "[max-body-bytes N] [header-timeout MS] "
						 "[idle-timeout MS] [cache-max-bytes N] "
						 "[cache-entry-max N] [max-conns-per-client N] "
						 "[max-conns-per-prefix N] [min-send-rate RATE] "
						 "[cache-lock-timeout MS] "
						 "[tls-handshake-timeout MS] "
						 "[tls-handshake-max N]",
	  .undo = undo_set, .undo_snap = true },
	{ "show",     "config", cmd_show_config, "", RO },
	{ "show",     NULL,     cmd_show,        "", RO },
	{ "dump",     NULL,     cmd_show,        "", RO },
	{ "cache",    "list",   cmd_cache_list,  "", RO },
	{ "cache",    "flush",  cmd_cache_flush, "[PREFIX]",
	  .undo = NULL /* the cache refills itself */ },
	{ "stats",    NULL,     cmd_stats,       "[--prometheus]", RO },
	{ "log",      NULL,     cmd_log,         "[-f ncsa|w3c|json] [-o FILE]", RO,
	  .not_in_batch = true },
	{ "help",     NULL,     cmd_help,        "", RO },
	{ .object = NULL }
};

static void usage(FILE *f)
{
	const struct cmd *k;

	fputs("usage: httpctl [-n NAME] [-j] [-b FILE] COMMAND ...\n"
	      "  -n, --netns NAME  act on the khttp of network namespace NAME\n"
	      "                    (/run/netns/NAME, as ip -n)\n"
	      "  -j, --json        print JSON\n"
	      "  -b, --batch FILE  run one command per line of FILE (- for stdin),\n"
	      "                    all or nothing: checked first, undone on a refusal\n"
	      "  -V, --version     print the version\n"
	      "commands:\n", f);
	for (k = cmds; k->object; k++)
		cmd_usage(f, "  ", k);
	fputs("See httpctl(8).\n", f);
}

int cmd_help(struct ctx *c, int argc, char **argv)
{
	int ret;

	if ((ret = no_args(c, argc, argv)))
		return ret;
	usage(stdout);
	return EXIT_OK;
}

/* List the verbs of @object, "add, del or list", for error messages. */
static void verb_list(const char *object, char *buf, size_t len)
{
	const struct cmd *k;
	size_t n = 0, i = 0, off = 0;

	for (k = cmds; k->object; k++)
		n += !strcmp(k->object, object);
	buf[0] = '\0';
	for (k = cmds; k->object && off < len; k++) {
		if (strcmp(k->object, object))
			continue;
		i++;
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i == 1 ? "" : i == n ? " or " : ", ",
					k->verb);
	}
}

/* The command @argv names, or NULL. */
const struct cmd *find_cmd(int argc, char **argv)
{
	const struct cmd *k;

	for (k = cmds; k->object; k++)
		if (!strcmp(k->object, argv[0]) &&
		    (!k->verb || (argc > 1 && !strcmp(k->verb, argv[1]))))
			return k;
	return NULL;
}

int dispatch(struct ctx *c, int argc, char **argv)
{
	static char name[64];
	const struct cmd *k, *found = NULL;
	char verbs[128];
	bool object_known = false;

	cur_cmd = NULL;
	for (k = cmds; k->object; k++) {
		if (strcmp(k->object, argv[0]))
			continue;
		object_known = true;
		if (!k->verb || (argc > 1 && !strcmp(k->verb, argv[1]))) {
			found = k;
			break;
		}
	}
	if (!object_known)
		return usage_err(c, "unknown command \"%s\"", argv[0]);
	if (!found) {
		verb_list(argv[0], verbs, sizeof(verbs));
		if (argc < 2)
			return usage_err(c, "%s: missing verb (%s)", argv[0],
					 verbs);
		return usage_err(c, "%s: unknown verb \"%s\" (expected %s)",
				 argv[0], argv[1], verbs);
	}
	cur_cmd = found;
	snprintf(name, sizeof(name), "%s%s%s", found->object,
		 found->verb ? " " : "", found->verb ? found->verb : "");
	c->cmdname = name;
	if (c->dry_run && found->not_in_batch)
		return usage_err(c, "log cannot run in a batch");
	if (c->dry_run && found->readonly)
		return 0;	/* changes nothing: checked when it runs */
	return found->fn(c, argc - (found->verb ? 2 : 1),
			 argv + (found->verb ? 2 : 1));
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",    no_argument,       NULL, 'j' },
		{ "netns",   required_argument, NULL, 'n' },
		{ "batch",   required_argument, NULL, 'b' },
		{ "help",    no_argument,       NULL, 'h' },
		{ "version", no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctx c = { .family = -1 };
	const char *batch = NULL, *netns = NULL;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+jb:n:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			c.json = true;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("httpctl %s\n", KHTTP_VERSION_STRING);
			return EXIT_OK;
		default:
			if (optopt == 'b')
				return usage_err(&c, "option -b needs a FILE");
			if (optopt == 'n')
				return usage_err(&c, "option -n needs a NAME");
			if (optopt)
				return usage_err(&c, "unknown option -%c",
						 optopt);
			return usage_err(&c, "unknown option \"%s\"",
					 argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;

	if (batch && argc > 0)
		return usage_err(&c, "give either -b FILE or a command, "
				 "not both");
	/* Before the first socket: it belongs to the namespace it is made in. */
	if (netns && (ret = netns_enter(&c, netns)))
		return ret;
	if (batch)
		ret = run_batch(&c, batch);
	else if (argc == 0)
		ret = (usage(stdout), EXIT_OK);
	else
		ret = dispatch(&c, argc, argv);

	if (c.sk)
		nl_socket_free(c.sk);
	if (fflush(stdout) || ferror(stdout)) {
		c.where[0] = '\0';
		ret = err(&c, "cannot write output: %s", strerror(errno));
	}
	return ret;
}

