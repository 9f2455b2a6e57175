// SPDX-License-Identifier: GPL-2.0
/*
 * Where a pool's device is.  A pool of the initial network namespace is
 * /dev/httpq/<pool>; a pool of any other namespace (a container's) is
 * /dev/httpq/<netns inode>/<pool>, the inode being that of
 * /proc/self/ns/net inside it.  So a worker names its pool and runs
 * unchanged on the host or in a container: the namespaced path is tried
 * first, and in the initial namespace it never exists.  The kernel lets
 * only a process of the pool's own namespace open it.
 */
#include "httpq_dev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define HTTPQ_DEV_DIR	"/dev/httpq/"

int httpq_dev_open(const char *pool, int oflags, char *path, size_t pathsz)
{
	struct stat st;
	int fd;

	if (strchr(pool, '/')) {
		snprintf(path, pathsz, "%s", pool);
		return open(path, oflags);
	}
	if (!stat("/proc/self/ns/net", &st)) {
		snprintf(path, pathsz, HTTPQ_DEV_DIR "%llu/%s",
			 (unsigned long long)st.st_ino, pool);
		fd = open(path, oflags);
		if (fd >= 0 || (errno != ENOENT && errno != ENOTDIR))
			return fd;
	}
	snprintf(path, pathsz, HTTPQ_DEV_DIR "%s", pool);
	return open(path, oflags);
}
