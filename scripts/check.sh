#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test khttp has.
#   1. userspace unit tests (ASan/UBSan)
#   2. the module built for Debian's stock kernel, e2e suite booted on it
#   3. the test kernel (KUnit, KASAN, lockdep, kmemleak; cached), KUnit
#      suites and the e2e suite booted on it
# Environment: T=pattern runs only tests whose name contains it;
# K=stock|test boots only that kernel.  The last line is
# "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
T=${T:-}
K=${K:-}
# KHTTP_BUILD lets two checks run side by side without sharing files.
B=${KHTTP_BUILD:-$top/build}
out=$B/check
mkdir -p "$out"
results=$out/results
: > "$results"

pass() { echo "PASS $1" | tee -a "$results"; }
fail() { echo "FAIL $1" | tee -a "$results"; }
want() { [ -z "$T" ] || [[ "$1" == *"$T"* ]]; }

scripts/deps.sh wrk nginx || { fail deps; }

# 1. Userspace: programs, then unit tests under sanitizers.
if make -C userspace -s > "$out/userspace.log" 2>&1; then
	pass build/userspace
else
	fail build/userspace; tail -30 "$out/userspace.log"
fi
if [ -z "$K" ]; then
	make -C userspace -s test-bins > "$out/utest-build.log" 2>&1 ||
		{ fail build/userspace-tests; tail -30 "$out/utest-build.log"; }
	for t in userspace/build/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		"$t" > "$out/$name.log" 2>&1
		rc=$?
		while read -r status case; do
			want "$name/$case" || continue
			if [ "$status" = ok ]; then pass "unit/$name/$case"
			else fail "unit/$name/$case"; fi
		done < <(sed -n 's/^\(ok\|not ok\) \(.*\)$/\1 \2/p' "$out/$name.log" |
			 sed 's/^not ok /notok /')
		if [ $rc != 0 ] && ! grep -q '^not ok' "$out/$name.log"; then
			fail "unit/$name (exit $rc)"; tail -20 "$out/$name.log"
		fi
	done
fi

# run_guest KIND KERNEL BUILD_DIR: boot once, count results and KUnit.
run_guest() {
	local kind=$1 kernel=$2 build=$3 log=$out/console-$1.log
	local initrd=$out/initrd-$1.cpio.gz
	if ! scripts/initramfs.sh "$initrd" "$build" "$kind" check "$T" \
		> "$out/initramfs-$kind.log" 2>&1; then
		fail "boot/$kind (initramfs)"; tail "$out/initramfs-$kind.log"
		return
	fi
	echo "check: booting the $kind kernel (console: $log)"
	scripts/vm.sh "$kernel" "$initrd" "$log" check 2400
	if grep -q '^KHTTP-DONE' "$log"; then
		pass "boot/$kind"
	else
		fail "boot/$kind (guest crashed or hung)"; tail -40 "$log"
	fi
	tr -d '\r' < "$log" > "$log.txt"
	grep '^KHTTP-RESULT: ' "$log.txt" | while read -r _ st name rest; do
		if [ "$st" = PASS ]; then pass "$name"; else fail "$name $rest"; fi
	done
	grep -A400 '^KHTTP-RESULT: FAIL' "$log.txt" | grep '^    | ' | head -200
	# KUnit: each suite's KTAP, parsed by the kernel's own kunit.py.
	local suite
	for suite in $(sed -n 's/^KHTTP-KTAP-BEGIN //p' "$log.txt"); do
		# A module's suite prints as a subtest; give it the top-level
		# header a built-in suite would have.
		{
			printf 'KTAP version 1\n1..1\n'
			sed -n "/^KHTTP-KTAP-BEGIN $suite\$/,/^KHTTP-KTAP-END $suite\$/p" \
				"$log.txt" | sed -n 's/^KTAP: //p'
		} > "$out/$suite.ktap"
		if ! python3 "$KSRC/tools/testing/kunit/kunit.py" parse \
			--json="$out/$suite.json" "$out/$suite.ktap" \
			> "$out/$suite.parsed" 2>&1; then
			fail "$kind/kunit/$suite (kunit.py parse reported errors)"
			grep -E 'FAILED|ERROR|CRASHED' "$out/$suite.parsed" | head -20
		fi
		python3 - "$out/$suite.json" "$kind" "$suite" >> "$results" <<'PY' ||
import json, sys
path, kind, suite = sys.argv[1:4]
try:
    root = json.load(open(path))
except Exception:
    print(f"FAIL {kind}/kunit/{suite} (no parsable KTAP)")
    sys.exit(0)
n = 0
def walk(g, prefix):
    global n
    for c in g.get("test_cases", []):
        n += 1
        st = "PASS" if c["status"] in ("PASS", "SKIP") else "FAIL"
        print(f"{st} {kind}/kunit/{prefix}{c['name']}")
    for s in g.get("sub_groups", []):
        walk(s, prefix + s["name"] + "/")
walk(root, "")
if n == 0:
    print(f"FAIL {kind}/kunit/{suite} (no test cases)")
PY
			fail "$kind/kunit/$suite (parse)"
		grep -E "^(PASS|FAIL) $kind/kunit/" "$results" | grep -F "/$suite" |
			grep '^FAIL' || true
	done
	# A splat anywhere in the console (boot, module unload) is a failure.
	if grep -E 'BUG:|WARNING:|Oops|KASAN|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|ODEBUG:' \
		"$log.txt" | grep -v '^    | ' | grep -v '^KTAP: ' > "$out/splat-$kind"; then
		fail "$kind/console-splat"; head -40 "$out/splat-$kind"
	fi
}

# 2. Stock kernel.
if [ -z "$K" ] || [ "$K" = stock ]; then
	v=$(scripts/stock-version.sh)
	if scripts/build-for.sh "/lib/modules/$v/build" "$B/stock" \
		> "$out/build-stock.log" 2>&1; then
		pass build/module-stock-$v
		run_guest stock "/boot/vmlinuz-$v" "$B/stock"
	else
		fail build/module-stock-$v; tail -30 "$out/build-stock.log"
	fi
fi

# The benchmark harness, briefly (numbers are printed, never judged).
if [ -z "$K" ] || [ "$K" = stock ]; then
	if want bench/smoke; then
		scripts/bench.sh --smoke > "$out/bench-smoke.log" 2>&1
		tail -1 "$out/bench-smoke.log" | grep -E '^(PASS|FAIL) bench/smoke' |
			tee -a "$results" | grep -q . ||
			fail "bench/smoke (no result; see $out/bench-smoke.log)"
	fi
fi

# 3. Test kernel.
KSRC=${KHTTP_CACHE:-/var/cache/khttp}/linux-source-6.1
if [ -z "$K" ] || [ "$K" = test ]; then
	if tk=$(scripts/test-kernel.sh); then
		if scripts/build-for.sh "$tk" "$B/test" \
			> "$out/build-test.log" 2>&1; then
			pass build/module-test-kernel
			run_guest test "$tk/arch/x86/boot/bzImage" "$B/test"
			if want lint; then
				scripts/lint.sh "$tk" > "$out/lint.log" 2>&1
				grep -E '^(PASS|FAIL) ' "$out/lint.log" >> "$results"
				grep -v -E '^(PASS|FAIL) ' "$out/lint.log" | head -40
			fi
		else
			fail build/module-test-kernel; tail -30 "$out/build-test.log"
		fi
	else
		fail build/test-kernel
	fi
fi

p=$(grep -c '^PASS' "$results")
f=$(grep -c '^FAIL' "$results")
echo "$p passed, $f failed"
[ "$f" = 0 ]
