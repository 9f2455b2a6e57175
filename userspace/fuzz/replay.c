// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus replay for make check: runs every file of the checked-in seed
 * corpora through the fuzz targets' LLVMFuzzerTestOneInput (renamed at
 * build time so both targets link into one program), each file in its own
 * child process so a crash names its file.  Built with gcc and ASan/UBSan
 * (no libFuzzer runtime needed).
 *
 *   test_fuzz_replay [CORPUS_DIR]     default: the source tree's corpus
 *
 * Prints "ok corpus/TARGET/FILE" or "not ok corpus/TARGET/FILE: why".
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CORPUS_DIR
#define CORPUS_DIR "fuzz/corpus"
#endif

int fuzz_parser_input(const uint8_t *data, size_t len);
int fuzz_route_input(const uint8_t *data, size_t len);

static const struct {
	const char *name;
	int (*fn)(const uint8_t *data, size_t len);
} targets[] = {
	{ "parser", fuzz_parser_input },
	{ "route", fuzz_route_input },
};

static unsigned int passed, failed;

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_one(int (*fn)(const uint8_t *, size_t), const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return 2;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				return 3;
		}
		n = fread(buf + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	fclose(f);
	/* an exact-size copy, so reads past the end trap as under libFuzzer */
	{
		uint8_t *exact = malloc(len ? len : 1);

		if (!exact)
			return 3;
		memcpy(exact, buf, len);
		free(buf);
		fn(exact, len);
		free(exact);
	}
	return 0;
}

static void run_target(const char *top, int t)
{
	char dir[4096], path[8192];
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	DIR *d;
	int st;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s/%s", top, targets[t].name);
	d = opendir(dir);
	if (!d) {
		printf("not ok corpus/%s: cannot open %s\n", targets[t].name, dir);
		failed++;
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				exit(3);
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	if (!n) {
		printf("not ok corpus/%s: empty\n", targets[t].name);
		failed++;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		fflush(stdout);
		pid = fork();
		if (pid == 0)
			_exit(run_one(targets[t].fn, path));
		if (pid < 0 || waitpid(pid, &st, 0) != pid) {
			printf("not ok corpus/%s/%s: fork\n", targets[t].name,
			       names[i]);
			failed++;
		} else if (WIFEXITED(st) && !WEXITSTATUS(st)) {
			printf("ok corpus/%s/%s\n", targets[t].name, names[i]);
			passed++;
		} else {
			printf("not ok corpus/%s/%s: %s %d (see stderr)\n",
			       targets[t].name, names[i],
			       WIFEXITED(st) ? "exit" : "signal",
			       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
			failed++;
		}
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	const char *top = argc > 1 ? argv[1] : CORPUS_DIR;
	size_t t;

	for (t = 0; t < sizeof(targets) / sizeof(targets[0]); t++)
		run_target(top, t);
	printf("fuzz replay: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
