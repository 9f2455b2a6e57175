#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lay out the module's source tree as DKMS builds it (/usr/src/khttp-VER):
# the one list of files the khttp-dkms package and `make check` both use.
# usage: dkms-source.sh DEST
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dest=$1
install -d "$dest/kmod/compat" "$dest/include/uapi/linux"
install -m 0644 "$top/Kbuild" "$top/LICENSE" "$top/dkms.conf" "$dest/"
install -m 0644 "$top"/kmod/Kbuild "$top"/kmod/*.c "$top"/kmod/*.h "$dest/kmod/"
install -m 0644 "$top"/kmod/compat/*.c "$top"/kmod/compat/*.h "$dest/kmod/compat/"
install -m 0644 "$top/include/uapi/linux/khttp.h" "$dest/include/uapi/linux/"
