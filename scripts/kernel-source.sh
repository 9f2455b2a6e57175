#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unpack (once) Debian's linux-source-X.Y, the version scripts/kernels.sh
# names, into the cache, and print the tree: the test kernel is built from
# it (test-kernel.sh), and check.sh and the guests' initramfs take the
# kernel's YNL CLI and kunit.py from it.  Run it in the foreground before
# anything reads the tree: a half-unpacked tree has no .unpacked mark.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${KHTTP_CACHE:-/var/cache/khttp}
ver=$("$here/kernels.sh" source)
src=$cache/linux-source-$ver
if [ ! -f "$src/.unpacked" ]; then
	mkdir -p "$cache"
	# The test kernel's build lock: one unpacking at a time, and none
	# under a build that reads the tree.
	exec 9> "$cache/.build-lock"
	flock 9
	if [ ! -f "$src/.unpacked" ]; then
		tarball=/usr/src/linux-source-$ver.tar.xz
		echo "kernel-source: unpacking $tarball" >&2
		rm -rf "$src"
		tar -C "$cache" -xf "$tarball"
		touch "$src/.unpacked"
	fi
fi
echo "$src"
