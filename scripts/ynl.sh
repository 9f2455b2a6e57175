#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The khttp family is described by Documentation/netlink/specs/khttp.yaml.
#   ynl.sh gen     regenerate, with the kernel tree's ynl-gen-c, the netlink
#                  part of include/uapi/linux/khttp.h (between the YNL-GEN
#                  markers) and kmod/nlpolicy.c
#   ynl.sh check   regenerate into a scratch directory and fail if the
#                  files in the tree differ (make check runs this)
# The kernel tree is linux-source-$(kernels.sh source) under
# /var/cache/khttp (KHTTP_CACHE), unpacked by scripts/test-kernel.sh (or
# KSRC); without it, the YNL tools come from Debian's linux-source tarball.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=${KSRC:-${KHTTP_CACHE:-/var/cache/khttp}/linux-source-$("$top/scripts/kernels.sh" source)}
py=/usr/bin/python3
spec=$top/Documentation/netlink/specs/khttp.yaml
hdr=$top/include/uapi/linux/khttp.h
pol=$top/kmod/nlpolicy.c
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# On a machine where scripts/test-kernel.sh has not unpacked the tree yet,
# take just the YNL tools and schemas from Debian's tarball.
if [ ! -f "$ksrc/tools/net/ynl/ynl-gen-c.py" ]; then
	ver=$("$top/scripts/kernels.sh" source)
	tarball=/usr/src/linux-source-$ver.tar.xz
	[ -f "$tarball" ] ||
		{ echo "ynl.sh: neither $ksrc nor $tarball (scripts/deps.sh installs it)" >&2; exit 2; }
	tar -C "$tmp" -xf "$tarball" "linux-source-$ver/tools/net/ynl" \
		"linux-source-$ver/Documentation/netlink"
	ksrc=$tmp/linux-source-$ver
fi
# ynl-gen-c finds the schema next to specs/ and names the spec by its path
# below the nearest MAINTAINERS: give it a small tree of that shape.
mkdir -p "$tmp/tree/Documentation/netlink/specs"
touch "$tmp/tree/MAINTAINERS"
cp "$spec" "$tmp/tree/Documentation/netlink/specs/"
ln -s "$ksrc/Documentation/netlink/genetlink-legacy.yaml" \
	"$tmp/tree/Documentation/netlink/"
tspec=$tmp/tree/Documentation/netlink/specs/khttp.yaml
"$py" "$ksrc/tools/net/ynl/ynl-gen-c.py" --mode uapi --header \
	--spec "$tspec" -o "$tmp/uapi.h" > /dev/null
"$py" "$top/scripts/ynl-policy.py" "$ksrc" "$tspec" "$tmp/nlpolicy.c"
# The uapi header: generated body between the markers, the rest (the
# /dev/httpq record format and struct khttp_addr) by hand.
begin='/* YNL-GEN BEGIN: generated from Documentation/netlink/specs/khttp.yaml by'
end='/* YNL-GEN END */'
grep -qF "$begin" "$hdr" && grep -qF "$end" "$hdr" ||
	{ echo "ynl.sh: $hdr lacks the YNL-GEN markers" >&2; exit 2; }
{
	sed -n "1,/^$(printf '%s' "$begin" | sed 's/[][\/.*^$]/\\&/g')/p" "$hdr"
	awk '/^#endif/ { on = 0 } on; /^#define _UAPI_LINUX_KHTTP_H/ { on = 1 }' \
		"$tmp/uapi.h"
	sed -n "/^$(printf '%s' "$end" | sed 's/[][\/.*^$]/\\&/g')/,\$p" "$hdr"
} > "$tmp/khttp.h"
case "${1:-}" in
gen)
	cp "$tmp/khttp.h" "$hdr"
	cp "$tmp/nlpolicy.c" "$pol"
	;;
check)
	rc=0
	diff -u "$hdr" "$tmp/khttp.h" || rc=1
	diff -u "$pol" "$tmp/nlpolicy.c" || rc=1
	[ $rc = 0 ] || echo "ynl.sh: the tree differs from $spec; run scripts/ynl.sh gen" >&2
	exit $rc
	;;
*)
	echo "usage: ynl.sh gen|check" >&2; exit 2 ;;
esac
