#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the test kernel from Debian's linux-source-X.Y, the
# version scripts/kernels.sh names.
# The build lives outside the clone, keyed by the config fragment's hash,
# so a fresh clone reuses it and a changed fragment rebuilds it.
# Prints the build directory (usable as KDIR) on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${KHTTP_CACHE:-/var/cache/khttp}
frag=$here/test-kernel.config
ver=$("$here/kernels.sh" source)
key=$( { cat "$frag" "$0"; echo "$ver"; } | sha256sum | cut -c1-16)
# Before the lock below, which kernel-source.sh takes too.
src=$("$here/kernel-source.sh")
out=$cache/kernel-$key
log=$cache/kernel-$key.log

if [ -f "$out/.khttp-done" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$cache"
# One build at a time, whoever asks (check, lint, soak, two worktrees side
# by side): a second caller waits, then finds the build done, instead of
# deleting the directory the first is building in.
exec 9> "$cache/.build-lock"
flock 9
if [ -f "$out/.khttp-done" ]; then
	echo "$out"
	exit 0
fi
echo "test-kernel: building in $out (log: $log), about 7 minutes" >&2
rm -rf "$out"
mkdir -p "$out"
{
	make -C "$src" O="$out" ARCH=x86_64 KCONFIG_ALLCONFIG="$frag" allnoconfig
	# Every line of the fragment must have survived Kconfig's dependency
	# resolution; a silently dropped option would weaken the tests.
	missing=0
	while IFS= read -r line; do
		case "$line" in CONFIG_*) ;; *) continue ;; esac
		opt=${line%%=*}
		val=${line#*=}
		if [ "$val" = n ]; then
			grep -q "^$opt=" "$out/.config" && { echo "not off: $opt"; missing=1; }
		else
			grep -qx "$line" "$out/.config" || { echo "not set: $line"; missing=1; }
		fi
	done < "$frag"
	[ $missing = 0 ] || exit 1
	make -C "$out" ARCH=x86_64 -j"$(nproc)" bzImage modules
} > "$log" 2>&1 || { tail -40 "$log" >&2; echo "test-kernel: build failed, see $log" >&2; exit 1; }
touch "$out/.khttp-done"
echo "$out"
