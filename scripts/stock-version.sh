#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The Debian stock kernel (linux-image-amd64) the tests boot: the newest one
# that has both an image and headers installed.
for d in $(ls -d /lib/modules/*-amd64 2>/dev/null | sort -rV); do
	v=${d##*/}
	if [ -f "/boot/vmlinuz-$v" ] && [ -d "$d/build" ]; then
		echo "$v"
		exit 0
	fi
done
echo "no Debian amd64 kernel with headers; apt-get install linux-image-amd64 linux-headers-amd64" >&2
exit 1
