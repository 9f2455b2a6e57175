#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make lint: checkpatch (kernel coding style) and sparse on the module.
# Prints one "PASS lint/..." or "FAIL lint/..." line per check.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=$("$top/scripts/kernel-source.sh") || exit 1
rc=0
files=$(ls "$top"/kmod/*.[ch] "$top"/kunit/*.[ch] "$top"/include/uapi/linux/khttp.h \
	"$top"/bench/floor/*.c)
# Plain-C files use a few userspace spellings on purpose; those two
# checkpatch types are about kernel-only idioms.  The compat layer is the
# one place where version checks belong (LINUX_VERSION_CODE on the left of
# a comparison is what it is for).
checkpatch() {
	perl "$ksrc/scripts/checkpatch.pl" --no-tree --quiet --terse "$@"
}
if { checkpatch --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,CONST_STRUCT \
	-f $files &&
     checkpatch --ignore FILE_PATH_CHANGES,LINUX_VERSION_CODE,CONSTANT_COMPARISON \
	-f "$top"/kmod/compat/*.[ch]; } > "$top/build/checkpatch.log" 2>&1; then
	echo "PASS lint/checkpatch"
else
	echo "FAIL lint/checkpatch"
	head -40 "$top/build/checkpatch.log"
	rc=1
fi
# Version checks live only in the compat layer.
if grep -ln 'LINUX_VERSION_CODE\|KERNEL_VERSION(' "$top"/kmod/*.[ch] "$top"/kunit/*.[ch]; then
	echo "FAIL lint/version-checks-outside-compat"
	rc=1
else
	echo "PASS lint/version-checks-outside-compat"
fi
# sparse, against the test kernel's tree: only our files' warnings count.
kdir=${1:-$("$top/scripts/test-kernel.sh")}
out=$top/build/sparse
"$top/scripts/build-for.sh" "$kdir" "$out" > /dev/null 2>&1
touch "$out"/kmod/*.c
make -C "$kdir" M="$out" C=1 modules 2> "$top/build/sparse.log" > /dev/null
if grep -E '^[^ ]*/(kmod|kunit)/[^:]*:[0-9]+:[0-9]+: (warning|error)' \
	"$top/build/sparse.log" > "$top/build/sparse.hits"; then
	echo "FAIL lint/sparse"
	head -40 "$top/build/sparse.hits"
	rc=1
else
	echo "PASS lint/sparse"
fi
exit $rc
