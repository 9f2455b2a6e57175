#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the module (and the KUnit suites, if the kernel has KUnit) for one
# kernel in a private copy of the tree, since kbuild writes objects next to
# the sources.  usage: build-for.sh KDIR OUTDIR
set -euo pipefail
kdir=$1 out=$2
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
# rsync keeps unchanged objects' timestamps, so rebuilds are incremental.
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' \
	--exclude='*.mod*' --exclude='.*' "$top/kmod" "$top/kunit" \
	"$top/include" "$out/"
cp "$top/Kbuild" "$out/"
# W=1 and -Werror: a warning on either kernel fails the check (DKMS and
# users' builds keep the kernel's own flags).
make -C "$kdir" M="$out" -j"$(nproc)" W=1 KCFLAGS=-Werror modules
