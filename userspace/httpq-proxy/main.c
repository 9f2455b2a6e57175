// SPDX-License-Identifier: GPL-2.0
/*
 * httpq-proxy: a reverse proxy worker for a khttp application pool.
 * See httpq-proxy(8) and README.md.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proxy.h"

static struct config cfg;

static int run(int index)
{
	static struct proxy px;
	int ret;

	px.cfg = &cfg;
	px.proc_index = index;
	up_init(&px);
	if (dev_open(&px))
		return 1;
	ret = loop_run(&px);
	if (px.dev_gone)
		fprintf(stderr, "httpq-proxy: pool %s was deleted\n", cfg.pool);
	return ret;
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	int i, status, ret = 0;
	pid_t kids[256];

	if (config_parse(&cfg, argc, argv))
		return 2;
	signal(SIGPIPE, SIG_IGN);
	/* Thousands of upstream sockets: take the hard limit. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (cfg.processes == 1)
		return run(0);
	/* Several processes, each its own loop and device file. */
	for (i = 0; i < cfg.processes; i++) {
		kids[i] = fork();
		if (kids[i] < 0) {
			perror("httpq-proxy: fork");
			cfg.processes = i;
			break;
		}
		if (!kids[i])
			return run(i);
	}
	/* The parent passes SIGTERM/SIGINT/SIGUSR1 on and waits. */
	{
		sigset_t set;
		int sig;

		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGUSR1);
		sigaddset(&set, SIGCHLD);
		sigprocmask(SIG_BLOCK, &set, NULL);
		for (;;) {
			if (sigwait(&set, &sig))
				break;
			if (sig == SIGCHLD) {
				pid_t pid;

				while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
					if (!WIFEXITED(status) || WEXITSTATUS(status))
						ret = 1;
					for (i = 0; i < cfg.processes; i++)
						if (kids[i] == pid)
							kids[i] = 0;
				}
				for (i = 0; i < cfg.processes && !kids[i]; i++)
					;
				if (i == cfg.processes)
					break;
				continue;
			}
			for (i = 0; i < cfg.processes; i++)
				if (kids[i] > 0)
					kill(kids[i], sig);
		}
	}
	return ret;
}
