// SPDX-License-Identifier: GPL-2.0
/*
 * Counters: the process's and each upstream's.  SIGUSR1 prints them, as
 * "name value" lines, to stderr or (--stats-file) into a file written
 * atomically (FILE.tmp, then rename); with several processes each has its
 * own file, FILE.N.
 */
#include <stdio.h>
#include <unistd.h>

#include "proxy.h"

void counters_add(struct proxy *px, struct upstream *u, size_t field)
{
	(*(uint64_t *)((char *)&px->c + field))++;
	if (u)
		(*(uint64_t *)((char *)&u->c + field))++;
}

static const struct {
	const char *name;
	size_t off;
} fields[] = {
#define F(x) { #x, offsetof(struct counters, x) }
	F(requests), F(connects), F(connect_fail), F(reuses), F(retries),
	F(resets), F(bad_answers), F(truncated), F(resp_502), F(resp_503),
	F(resp_504), F(ports_exhausted), F(cache_marked), F(marked_down),
#undef F
};

static void dump(FILE *f, const char *prefix, const struct counters *c)
{
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		fprintf(f, "%s%s %llu\n", prefix, fields[i].name,
			(unsigned long long)*(const uint64_t *)
			((const char *)c + fields[i].off));
}

void counters_print(struct proxy *px)
{
	char path[4096], tmp[4200], prefix[200];
	FILE *f = stderr;
	int i;

	if (px->cfg->stats_file) {
		if (px->cfg->processes > 1)
			snprintf(path, sizeof(path), "%s.%d", px->cfg->stats_file,
				 px->proc_index);
		else
			snprintf(path, sizeof(path), "%s", px->cfg->stats_file);
		snprintf(tmp, sizeof(tmp), "%s.tmp", path);
		f = fopen(tmp, "w");
		if (!f) {
			perror(tmp);
			return;
		}
	}
	fprintf(f, "pid %d\ninflight %u\n", (int)getpid(), px->inflight);
	dump(f, "", &px->c);
	for (i = 0; i < px->nup; i++) {
		const struct upstream *u = &px->up[i];

		snprintf(prefix, sizeof(prefix), "upstream %s ", u->name);
		fprintf(f, "%sbusy %u\n%sidle %u\n%sdown %d\n", prefix, u->busy,
			prefix, u->nidle, prefix, u->down_until > now_ms());
		dump(f, prefix, &u->c);
	}
	if (f != stderr) {
		fclose(f);
		rename(tmp, path);
	} else {
		fflush(f);
	}
}
