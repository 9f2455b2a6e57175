// SPDX-License-Identifier: GPL-2.0
/*
 * httpctl -n NAME: run in the network namespace NAME, as `ip -n NAME`
 * does: the namespace is /run/netns/NAME (made by `ip netns add NAME`),
 * entered with setns(2) before the netlink socket is opened, so every
 * command then sees and changes that namespace's khttp only.
 */
#include "httpctl.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#define NETNS_RUN_DIR	"/run/netns/"

int netns_enter(struct ctx *c, const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + 256];
	int fd, e;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") || strlen(name) > 255)
		return usage_err(c, "-n: \"%s\" is not a network namespace name",
				 name);
	snprintf(path, sizeof(path), NETNS_RUN_DIR "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err(c, "cannot open network namespace \"%s\": %s",
			   name, strerror(errno));
	if (setns(fd, CLONE_NEWNET)) {
		e = errno;
		close(fd);
		return err(c, "cannot enter network namespace \"%s\": %s",
			   name, strerror(e));
	}
	close(fd);
	return EXIT_OK;
}
