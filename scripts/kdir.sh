#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel build directory to build against: the running kernel's if
# its headers are installed, else the newest Debian linux-headers-*-amd64.
set -e
if [ -d "/lib/modules/$(uname -r)/build" ]; then
	echo "/lib/modules/$(uname -r)/build"
	exit 0
fi
v=$(scripts/stock-version.sh)
echo "/lib/modules/$v/build"
