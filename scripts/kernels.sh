#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kernels khttp is tested on, named in this one file.  Every script that
# boots or builds for a kernel asks here; nothing looks at which kernels
# happen to be installed.
#
#   kernels.sh stock61 | stock612   the version string (uname -r) of that
#                                   Debian kernel, read from the Depends of
#                                   its metapackage, so a third installed
#                                   kernel never changes what is tested
#   kernels.sh source               the linux-source-X.Y the debug (test)
#                                   kernel is built from
#   kernels.sh packages             the Debian packages all of this needs
#   kernels.sh resolve [NAME]       6.1 (stock61), 6.12 (stock612) or an
#                                   installed version (6.1.0-57-amd64) ->
#                                   version; no name: the default kernel,
#                                   the one make, make run and make bench use
set -e
STOCK61_PKG=linux-image-amd64
STOCK612_PKG=linux-image-6.12-amd64
TEST_SOURCE=6.12
DEFAULT_KERNEL=stock61

# The image package a metapackage points at, e.g. linux-image-6.1.0-57-amd64.
image_of() {
	dpkg-query -W -f='${Depends}' "$1" 2>/dev/null | tr ',' '\n' |
		sed -n 's/^ *linux-image-\([^ ]*-amd64\).*/\1/p' | head -n 1
}

version_of() {
	v=$(image_of "$1")
	if [ -z "$v" ] || [ ! -f "/boot/vmlinuz-$v" ]; then
		echo "kernels.sh: $1 is not installed (scripts/deps.sh installs it)" >&2
		exit 1
	fi
	echo "$v"
}

case "${1:-}" in
stock61)  version_of "$STOCK61_PKG" ;;
stock612) version_of "$STOCK612_PKG" ;;
source)   echo "$TEST_SOURCE" ;;
packages)
	echo "$STOCK61_PKG linux-headers-amd64 $STOCK612_PKG" \
	     "linux-headers-6.12-amd64 linux-source-$TEST_SOURCE"
	;;
resolve)
	case "${2:-$DEFAULT_KERNEL}" in
	stock61|6.1)   version_of "$STOCK61_PKG" ;;
	stock612|6.12) version_of "$STOCK612_PKG" ;;
	*)
		[ -f "/boot/vmlinuz-$2" ] || {
			echo "kernels.sh: no /boot/vmlinuz-$2" >&2; exit 1; }
		echo "$2"
		;;
	esac
	;;
*)
	echo "usage: kernels.sh stock61|stock612|source|packages|resolve NAME" >&2
	exit 2
	;;
esac
