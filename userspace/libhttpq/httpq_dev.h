/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opening a pool's device by name (httpq_dev.c), in whatever network
 * namespace the caller runs.
 */
#ifndef HTTPQ_DEV_H
#define HTTPQ_DEV_H

#include <stddef.h>

/*
 * Open the device of the pool @pool (a name, or a path when it contains
 * '/') with open(2) flags @oflags; the path tried last is left in @path.
 * Returns the file descriptor, or -1 with errno set.
 */
int httpq_dev_open(const char *pool, int oflags, char *path, size_t pathsz);

#endif /* HTTPQ_DEV_H */
