#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the build, the VM and the tests need, only if
# some are missing.  usage: deps.sh [extra packages...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC2207 # kernels.sh prints package names only
pkgs=(build-essential pkg-config $("$here/kernels.sh" packages)
      bc flex bison libelf-dev libssl-dev dwarves cpio
      qemu-system-x86 busybox-static curl libnl-3-dev libnl-genl-3-dev
      libmnl-dev brotli sparse openssl python3 python3-yaml python3-jsonschema rsync libhttp-parser-dev clang libclang-rt-14-dev
      prometheus keepalived ipvsadm "$@")
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
