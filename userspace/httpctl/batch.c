// SPDX-License-Identifier: GPL-2.0
/* httpctl: -b FILE: check every line, apply, roll back on a refusal. */
#include "httpctl.h"

/* ---- batch: check every line, apply, roll back on a refusal ------- */

/*
 * The longest line is a route add with all its options: 14 words, 64
 * access rules and 16 added headers (2 words each) and 16 error pages
 * (3 each) make 222.
 */
#define BATCH_MAX_WORDS 256

/* What undoes one applied line: zero or more command lines, in order. */
struct undo {
	char *text;		/* lines ending in '\n' */
	unsigned long lineno;	/* the line it undoes */
};

static int batch_snap(struct batch *b)
{
	if (b->snap_ok)
		return 0;
	if (running_read(b->c, &b->snap, false))
		return -1;
	b->snap_ok = true;
	return 0;
}

const struct r_pool *snap_pool(const struct batch *b, const char *n)
{
	size_t i;

	for (i = 0; i < b->snap.npools; i++)
		if (!strcmp(b->snap.pools[i].name, n))
			return &b->snap.pools[i];
	return NULL;
}

const struct r_route *snap_route(const struct batch *b, const char *p)
{
	size_t i;

	for (i = 0; i < b->snap.nroutes; i++)
		if (!strcmp(b->snap.routes[i].prefix, p))
			return &b->snap.routes[i];
	for (i = 0; i < b->snap.nroutes; i++)	/* URL hosts fold case */
		if (!strcasecmp(b->snap.routes[i].prefix, p))
			return &b->snap.routes[i];
	return NULL;
}

/*
 * The undo of the valid command @k in @argv, computed before it runs from
 * the configuration as it is: the command's own undo writes it.  NULL
 * text when there is nothing to undo.
 */
static int batch_undo(struct batch *b, const struct cmd *k, int argc,
		      char **argv, char **text)
{
	int skip = k->verb ? 2 : 1;
	size_t len;
	FILE *f;
	int ret;

	*text = NULL;
	if (!k->undo)
		return 0;
	if (k->undo_snap && batch_snap(b))
		return -1;
	f = open_memstream(text, &len);
	if (!f)
		return err(b->c, "out of memory");
	ret = k->undo(b, argc - skip, argv + skip, f);
	if (fclose(f)) {
		free(*text);
		*text = NULL;
		return err(b->c, "out of memory");
	}
	if (ret || !strcmp(*text, "") || !strcmp(*text, "set\n")) {
		free(*text);
		*text = NULL;
	}
	return ret;
}

/*
 * After a change succeeded: does the snapshot still hold?  The command's
 * own hook may keep it up to date (a batch of N route deletes then reads
 * the configuration once, not N times).
 */
static bool batch_applied(struct batch *b, const struct cmd *k, int argc,
			  char **argv)
{
	int skip = k->verb ? 2 : 1;

	return b->snap_ok && k->applied &&
	       k->applied(b, argc - skip, argv + skip);
}

/* Undo what this batch applied, newest first. */
static void batch_rollback(struct batch *b)
{
	char *argv[BATCH_MAX_WORDS], *line, *next;
	const char *why;
	size_t i, done = 0, failed = 0;
	int argc;

	b->c->json = false;	/* rollback prints nothing on stdout */
	for (i = b->nundo; i-- > 0;) {
		snprintf(b->c->where, sizeof(b->c->where),
			 "%s:%lu: rollback: ", b->name, b->undo[i].lineno);
		for (line = b->undo[i].text; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			argc = httpctl_split_line(line, argv, BATCH_MAX_WORDS,
						  &why);
			if (argc <= 0)
				continue;
			if (dispatch(b->c, argc, argv))
				failed++;
			else
				done++;
		}
	}
	snprintf(b->c->where, sizeof(b->c->where), "%s: ", b->name);
	if (failed)
		err(b->c, "rollback: %zu of %zu undo commands failed; the "
		    "configuration may be partly changed (see httpctl show)",
		    failed, failed + done);
	else if (b->nundo)
		err(b->c, "nothing applied: the %zu change%s before the "
		    "failing line %s undone", b->nundo,
		    b->nundo == 1 ? "" : "s", b->nundo == 1 ? "was" : "were");
	else
		err(b->c, "nothing applied");
}

/*
 * -b FILE: every line is parsed and checked first (syntax, names, files
 * and directories) with nothing sent; then the lines run in order, and if
 * the kernel refuses one, what the earlier lines did is undone.
 */
int run_batch(struct ctx *c, const char *path)
{
	char *line = NULL, **lines = NULL, *copy, *argv[BATCH_MAX_WORDS];
	const char *why = NULL, *name = strcmp(path, "-") ? path : "<stdin>";
	struct batch b = { .c = c, .name = name };
	size_t cap = 0, nlines = 0, i;
	int argc, ret = EXIT_OK;
	char **grown;
	FILE *f;

	f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	if (!f)
		return err(c, "cannot open batch file \"%s\": %s", path,
			   strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		grown = realloc(lines, (nlines + 1) * sizeof(*lines));
		if (!grown || !(grown[nlines] = strdup(line))) {
			lines = grown ? grown : lines;
			ret = err(c, "out of memory");
			break;
		}
		lines = grown;
		nlines++;
	}
	if (ret == EXIT_OK && ferror(f))
		ret = err(c, "cannot read batch file \"%s\": %s", path,
			  strerror(errno));
	free(line);
	if (f != stdin)
		fclose(f);
	if (ret != EXIT_OK)
		goto out;

	/* 1. Check: every command parsed and built, nothing sent. */
	c->dry_run = true;	/* every bad line is reported */
	for (i = 0; i < nlines; i++) {
		snprintf(c->where, sizeof(c->where), "%s:%zu: ", name, i + 1);
		copy = strdup(lines[i]);
		if (!copy) {
			ret = err(c, "out of memory");
			break;
		}
		argc = httpctl_split_line(copy, argv, BATCH_MAX_WORDS, &why);
		if (argc < 0)
			ret = err(c, "%s", why);
		else if (argc > 0 && dispatch(c, argc, argv))
			ret = EXIT_FAIL;
		free(copy);
	}
	c->dry_run = false;
	if (ret != EXIT_OK) {
		snprintf(c->where, sizeof(c->where), "%s: ", name);
		if (nlines)
			err(c, "nothing applied");
		goto out;
	}

	/* 2. Apply, keeping an undo for each change. */
	for (i = 0; i < nlines; i++) {
		const struct cmd *k;
		struct undo *u;
		char *text;

		snprintf(c->where, sizeof(c->where), "%s:%zu: ", name, i + 1);
		argc = httpctl_split_line(lines[i], argv, BATCH_MAX_WORDS,
					  &why);
		if (argc <= 0)
			continue;
		k = find_cmd(argc, argv);
		text = NULL;
		if (k && !k->readonly && batch_undo(&b, k, argc, argv, &text)) {
			ret = EXIT_FAIL;
			break;
		}
		if (dispatch(c, argc, argv)) {
			free(text);
			ret = EXIT_FAIL;
			break;
		}
		if (k && !k->readonly && !batch_applied(&b, k, argc, argv))
			b.snap_ok = false;	/* changed: read again if needed */
		if (!text)
			continue;
		u = GROW(b.undo, b.nundo);
		if (!u) {
			free(text);
			ret = err(c, "out of memory");
			break;
		}
		u->text = text;
		u->lineno = (unsigned long)i + 1;
	}
	if (ret != EXIT_OK)
		batch_rollback(&b);
out:
	for (i = 0; i < b.nundo; i++)
		free(b.undo[i].text);
	free(b.undo);
	running_free(&b.snap);
	for (i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	c->where[0] = '\0';
	return ret;
}

