#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make soak: the long fault and soak tests on the test kernel (KASAN,
# lockdep, kmemleak): 82-faults with KHTTP_SOAK_ROUNDS rmmod rounds (20)
# and 98-soak for KHTTP_SOAK_SECONDS of mixed load (240; each guest test
# must finish within run-tests.sh's 300 s).  One boot per test.
#
# The guest learns the long settings from /khttp/soak.env, carried by a
# second cpio archive appended to the initramfs (the kernel unpacks
# concatenated archives), so initramfs.sh and check.sh stay as they are.
# The last line is "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=${KHTTP_BUILD:-$top/build}
out=$B/soak
mkdir -p "$out"
results=$out/results
: > "$results"
ROUNDS=${KHTTP_SOAK_ROUNDS:-20}
SECS=${KHTTP_SOAK_SECONDS:-240}

scripts/deps.sh || exit 1
make -C userspace -s > "$out/userspace.log" 2>&1 ||
	{ tail -20 "$out/userspace.log"; echo "FAIL build/userspace"; exit 1; }
tk=$(scripts/test-kernel.sh) || { echo "FAIL build/test-kernel"; exit 1; }
scripts/build-for.sh "$tk" "$B/test" > "$out/build.log" 2>&1 ||
	{ tail -20 "$out/build.log"; echo "FAIL build/module-test-kernel"; exit 1; }

extra=$(mktemp -d)
trap 'rm -rf "$extra"' EXIT
mkdir -p "$extra/khttp"
printf 'KHTTP_SOAK=1\nKHTTP_SOAK_ROUNDS=%s\nKHTTP_SOAK_SECONDS=%s\n' \
	"$ROUNDS" "$SECS" > "$extra/khttp/soak.env"
(cd "$extra" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/soak-env.cpio.gz"

for t in 82-faults 98-soak; do
	initrd=$out/initrd-$t.cpio.gz log=$out/console-$t.log
	scripts/initramfs.sh "$initrd.base" "$B/test" test check "$t" \
		> "$out/initramfs-$t.log" 2>&1 ||
		{ echo "FAIL soak/$t (initramfs)" | tee -a "$results"; continue; }
	cat "$initrd.base" "$out/soak-env.cpio.gz" > "$initrd"
	echo "soak: $t on the test kernel (rounds $ROUNDS, $SECS s; console: $log)"
	start=$(date +%s)
	scripts/vm.sh "$tk/arch/x86/boot/bzImage" "$initrd" "$log" check 2400
	tr -d '\r' < "$log" > "$log.txt"
	echo "soak: $t took $(( $(date +%s) - start )) s"
	grep -q '^KHTTP-DONE' "$log.txt" ||
		echo "FAIL soak/$t (guest crashed or hung)" | tee -a "$results"
	grep '^KHTTP-RESULT: ' "$log.txt" | while read -r _ st name rest; do
		echo "$st soak/$name $rest" | tee -a "$results"
	done
	grep '^KHTTP-NOTE' "$log.txt" || true
	grep -A200 '^KHTTP-RESULT: FAIL' "$log.txt" | grep '^    | ' |
		grep -v '^    | +' | tail -40
	if grep -E 'BUG:|WARNING:|Oops|KASAN|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|ODEBUG:' \
		"$log.txt" | grep -v '^    | ' > "$out/splat-$t"; then
		echo "FAIL soak/$t/console-splat" | tee -a "$results"
		head -40 "$out/splat-$t"
	fi
done
p=$(grep -c '^PASS' "$results")
f=$(grep -c '^FAIL' "$results")
echo "$p passed, $f failed"
[ "$f" = 0 ]
