#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel build directory `make` builds against: the running
# kernel's if its headers are installed, else the default kernel named
# in scripts/kernels.sh (Debian's stock 6.1).  `make KDIR=...` overrides it.
set -e
if [ -d "/lib/modules/$(uname -r)/build" ]; then
	echo "/lib/modules/$(uname -r)/build"
	exit 0
fi
v=$(scripts/kernels.sh resolve)
echo "/lib/modules/$v/build"
