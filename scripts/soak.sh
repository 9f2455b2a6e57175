#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make soak: the long fault and soak tests on the test kernel (KASAN,
# lockdep, kmemleak), one boot each:
#   - 82-faults once in full (kill -9, rmmod rounds, listen delete, memory
#     pressure, max-conns crowd);
#   - 82-faults again, rmmod rounds only, boot after boot, until
#     KHTTP_SOAK_ROUNDS (20) pool-delete + rmmod + insmod rounds under load
#     have run (each boot stops at a 230 s budget: the guest runner kills
#     a test after 300 s);
#   - 98-soak, KHTTP_SOAK_BOOTS (2) boots of KHTTP_SOAK_SECONDS (200) of
#     mixed load each.
# Every boot ends with a kmemleak scan; any splat fails it.
#
# The guest learns its settings from /khttp/soak.env, carried by a second
# cpio archive appended to the initramfs (the kernel unpacks concatenated
# archives), so initramfs.sh and check.sh stay as they are.
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
SECS=${KHTTP_SOAK_SECONDS:-200}
BOOTS=${KHTTP_SOAK_BOOTS:-2}

scripts/deps.sh || exit 1
make -C userspace -s > "$out/userspace.log" 2>&1 ||
	{ tail -20 "$out/userspace.log"; echo "FAIL build/userspace"; exit 1; }
tk=$(scripts/test-kernel.sh) || { echo "FAIL build/test-kernel"; exit 1; }
scripts/build-for.sh "$tk" "$B/test" > "$out/build.log" 2>&1 ||
	{ tail -20 "$out/build.log"; echo "FAIL build/module-test-kernel"; exit 1; }
for t in 82-faults 98-soak; do
	scripts/initramfs.sh "$out/initrd-$t.base" "$B/test" test check "$t" \
		> "$out/initramfs-$t.log" 2>&1 ||
		{ tail "$out/initramfs-$t.log"; echo "FAIL build/initramfs-$t"; exit 1; }
done

# boot NAME TEST ENV-LINES...: one boot of TEST with /khttp/soak.env.
boot() {
	local name=$1 t=$2 log=$out/console-$1.log extra start
	shift 2
	extra=$(mktemp -d)
	mkdir -p "$extra/khttp"
	printf '%s\n' KHTTP_SOAK=1 "$@" > "$extra/khttp/soak.env"
	(cd "$extra" && find . | cpio -o -H newc --quiet | gzip -1) |
		cat "$out/initrd-$t.base" - > "$out/initrd-$name.cpio.gz"
	rm -rf "$extra"
	echo "soak: $name ($*; console: $log)"
	start=$(date +%s)
	scripts/vm.sh "$tk/arch/x86/boot/bzImage" "$out/initrd-$name.cpio.gz" \
		"$log" check 2400
	tr -d '\r' < "$log" > "$log.txt"
	echo "soak: $name took $(( $(date +%s) - start )) s"
	grep -q '^KHTTP-DONE' "$log.txt" ||
		echo "FAIL soak/$name (guest crashed or hung)" | tee -a "$results"
	grep '^KHTTP-RESULT: ' "$log.txt" | while read -r _ st res rest; do
		echo "$st soak/$name/${res#test/} $rest" | tee -a "$results"
	done
	grep '^KHTTP-NOTE' "$log.txt" || true
	grep -A200 '^KHTTP-RESULT: FAIL' "$log.txt" | grep '^    | ' |
		grep -v '^    | +' | tail -40
	if grep -E 'BUG:|WARNING:|Oops|KASAN|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|ODEBUG:' \
		"$log.txt" | grep -v '^    | ' > "$out/splat-$name"; then
		echo "FAIL soak/$name/console-splat" | tee -a "$results"
		head -40 "$out/splat-$name"
	fi
}

boot faults 82-faults KHTTP_SOAK_ROUNDS=3
done_rounds=0 n=1
while [ "$done_rounds" -lt "$ROUNDS" ] && [ $n -le 10 ]; do
	boot rounds-$n 82-faults KHTTP_SOAK_ONLY_ROUNDS=1 \
		KHTTP_SOAK_ROUNDS=$((ROUNDS - done_rounds)) KHTTP_SOAK_BUDGET=230
	r=$(sed -n 's/^KHTTP-NOTE 82-faults: rmmod rounds done: \([0-9]*\)$/\1/p' \
		"$out/console-rounds-$n.log.txt" | tail -1)
	[ -n "$r" ] && [ "$r" -gt 0 ] || break
	done_rounds=$((done_rounds + r))
	n=$((n + 1))
done
if [ "$done_rounds" -ge "$ROUNDS" ]; then
	echo "PASS soak/rmmod-rounds ($done_rounds)" | tee -a "$results"
else
	echo "FAIL soak/rmmod-rounds (only $done_rounds of $ROUNDS)" | tee -a "$results"
fi
n=1
while [ $n -le "$BOOTS" ]; do
	boot soak-$n 98-soak KHTTP_SOAK_SECONDS="$SECS"
	n=$((n + 1))
done
p=$(grep -c '^PASS' "$results")
f=$(grep -c '^FAIL' "$results")
echo "soak: $done_rounds rmmod rounds, $BOOTS x $SECS s of mixed load"
echo "$p passed, $f failed"
[ "$f" = 0 ]
