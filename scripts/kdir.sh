#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel build directory `make` builds against: the running
# kernel's if its headers are installed, else Debian's stock 6.1 (the
# default named in scripts/kernels.sh).  `make KDIR=...` overrides it.
set -e
if [ -d "/lib/modules/$(uname -r)/build" ]; then
	echo "/lib/modules/$(uname -r)/build"
	exit 0
fi
v=$(scripts/kernels.sh stock61)
echo "/lib/modules/$v/build"
