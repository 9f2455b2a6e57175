#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run: build everything, boot Debian's stock kernel in QEMU with khttp
# serving a demo site, reachable from the host at http://127.0.0.1:8080/.
# KVER names the kernel: 6.1 (default), 6.12, or a version (uname -r) of
# an installed Debian kernel; see scripts/kernels.sh.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/deps.sh
make -C userspace -s
v=$(scripts/kernels.sh resolve ${KVER:+"$KVER"})
scripts/build-for.sh "/lib/modules/$v/build" "$top/build/run-$v" > /dev/null
KHTTP_KVER=$v scripts/initramfs.sh build/run-initrd.cpio.gz \
	"$top/build/run-$v" "stock-$v" run
echo "run: booting $v; khttp will answer on http://127.0.0.1:8080/ (Ctrl-C quits)"
exec scripts/vm.sh "/boot/vmlinuz-$v" build/run-initrd.cpio.gz build/run-console.log run
