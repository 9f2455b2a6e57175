#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DKMS builds khttp for both stock kernels (scripts/kernels.sh), from the
# same source tree the khttp-dkms package ships (dkms-source.sh), in a
# private DKMS tree so nothing on the machine changes.  One PASS/FAIL line
# per kernel.  usage: dkms-check.sh WORKDIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$1
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$here/../dkms.conf")
rm -rf "$work"
mkdir -p "$work/source" "$work/tree"
"$here/dkms-source.sh" "$work/source/khttp-$ver"
dk=(--dkmstree "$work/tree" --sourcetree "$work/source")
if ! dkms add "${dk[@]}" -m khttp -v "$ver" > "$work/add.log" 2>&1; then
	echo "FAIL dkms/add"
	cat "$work/add.log"
	exit 1
fi
for k in stock61 stock612; do
	if ! v=$("$here/kernels.sh" "$k"); then
		echo "FAIL dkms/build-$k (kernel not installed)"
		continue
	fi
	# 6.12's modules are compressed: khttp.ko.xz.
	if dkms build "${dk[@]}" -m khttp -v "$ver" -k "$v" \
		> "$work/build-$v.log" 2>&1 &&
	   ls "$work/tree/khttp/$ver/$v/x86_64/module/"khttp.ko* > /dev/null 2>&1; then
		echo "PASS dkms/build-$v"
	else
		echo "FAIL dkms/build-$v"
		tail -30 "$work/build-$v.log"
		tail -30 "$work/tree/khttp/$ver/build/make.log" 2>/dev/null
	fi
done
