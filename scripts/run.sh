#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run: build everything, boot Debian's stock kernel in QEMU with khttp
# serving a demo site, reachable from the host at http://127.0.0.1:8080/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/deps.sh
make -C userspace -s
v=$(scripts/stock-version.sh)
scripts/build-for.sh "/lib/modules/$v/build" "$top/build/stock" > /dev/null
scripts/initramfs.sh build/run-initrd.cpio.gz "$top/build/stock" stock run
echo "run: booting $v; khttp will answer on http://127.0.0.1:8080/ (Ctrl-C quits)"
exec scripts/vm.sh "/boot/vmlinuz-$v" build/run-initrd.cpio.gz build/run-console.log run
