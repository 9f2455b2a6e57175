#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test khttp has.
#   1. userspace unit tests (ASan/UBSan)
#   2. the module built for Debian's stock 6.1, the whole e2e suite on it
#   3. the debug kernel (6.12 from linux-source-6.12: KUnit, KASAN, lockdep,
#      kmemleak, debug objects, kTLS; cached), the KUnit suites and the whole
#      e2e suite on it, then checkpatch and sparse
#   4. the module built for Debian's stock 6.12, the smoke subset on it
#   5. DKMS builds the module for both stock kernels (beside step 4)
# Which kernels those are is written in scripts/kernels.sh; which e2e tests
# exist (and which are smoke) in scripts/e2e/MANIFEST.  The uapi enums and
# the module's netlink policies are checked against their YNL spec.
# Environment: T=pattern runs only tests whose name contains it (a comma
# list: any of them, e.g. T=30-keep,65-pool);
# K=6.1|6.12|debug boots only that kernel (stock is 6.1, test is debug).
# The last line is "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
T=${T:-}
K=${K:-}
case "$K" in
stock) K=6.1 ;;
test) K=debug ;;
""|6.1|6.12|debug) ;;
*) echo "check: K=$K: name one of 6.1, 6.12, debug" >&2; exit 2 ;;
esac
# KHTTP_BUILD lets two checks run side by side without sharing files.
B=${KHTTP_BUILD:-$top/build}
out=$B/check
mkdir -p "$out"
results=$out/results
: > "$results"

pass() { echo "PASS $1" | tee -a "$results"; }
fail() { echo "FAIL $1" | tee -a "$results"; }
want() {
	local p
	[ -z "$T" ] && return 0
	for p in ${T//,/ }; do
		[[ "$1" == *"$p"* ]] && return 0
	done
	return 1
}
# wants KERNEL: run the parts for this kernel (K unset: all of them)?
wants() { [ -z "$K" ] || [ "$K" = "$1" ]; }

scripts/deps.sh wrk nginx dkms || { fail deps; }
# The kernel tree (kunit.py; the guests' YNL CLI), unpacked here in the
# foreground: the background build below must not be unpacking it while
# the stock guests' initramfs copies from it (73-ynl-cli).
KSRC=$(scripts/kernel-source.sh) || fail "build/kernel-source"

# The manifest and the files agree: a test cannot vanish unnoticed.
manifest=scripts/e2e/MANIFEST
listed=$(sed -e 's/#.*//' "$manifest" | awk 'NF { print $1 }' | sort)
present=$(cd scripts/e2e && ls [0-9]*.sh | sed 's/\.sh$//' | sort)
if [ "$listed" = "$present" ]; then
	pass harness/manifest
else
	fail "harness/manifest (scripts/e2e/MANIFEST and the files differ)"
	diff <(echo "$listed") <(echo "$present") | sed -n 's/^[<>] /    /p'
fi
# The uapi enums and the kernel's policies are what the YNL spec says.
if scripts/ynl.sh check > "$out/ynl.log" 2>&1; then
	pass harness/ynl-spec
else
	fail "harness/ynl-spec (the tree differs from Documentation/netlink/specs/khttp.yaml)"
	head -40 "$out/ynl.log"
fi
# manifest_tests SUITE...: the names a run of those suites must report.
manifest_tests() {
	sed -e 's/#.*//' "$manifest" | awk -v s=" $* " 'NF {
		for (i = 2; i <= NF; i++) if (index(s, " " $i " ")) { print $1; next } }'
}

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
		cases=0
		while read -r status case; do
			cases=$((cases + 1))
			want "$name/$case" || continue
			if [ "$status" = ok ]; then pass "unit/$name/$case"
			else fail "unit/$name/$case"; fi
		done < <(sed -n 's/^\(ok\|not ok\) \(.*\)$/\1 \2/p' "$out/$name.log" |
			 sed 's/^not ok /notok /')
		[ $cases -gt 0 ] || fail "unit/$name (printed no result)"
		if [ $rc != 0 ] && ! grep -q '^not ok' "$out/$name.log"; then
			fail "unit/$name (exit $rc)"; tail -20 "$out/$name.log"
		fi
	done
fi

# run_guest KIND KERNEL BUILD_DIR SUITES: boot once, count results and
# KUnit.  KIND labels the results (stock-6.1, stock-6.12, debug-6.12).
run_guest() {
	local kind=$1 kernel=$2 build=$3 suite=$4 log=$out/console-$1.log
	local initrd=$out/initrd-$1.cpio.gz name
	local tests=()
	for name in $(manifest_tests "$suite"); do
		want "$name" && tests+=("$name")
	done
	if ! KHTTP_TESTS="${tests[*]}" scripts/initramfs.sh "$initrd" "$build" \
		"$kind" check "$T" > "$out/initramfs-$kind.log" 2>&1; then
		fail "boot/$kind (initramfs)"; tail "$out/initramfs-$kind.log"
		return
	fi
	echo "check: booting the $kind kernel (console: $log)"
	local t0=$SECONDS
	# KASAN and lockdep under TCG make the debug run the longest.
	local limit=2400
	[ "$kind" = debug-6.12 ] && limit=3600
	scripts/vm.sh "$kernel" "$initrd" "$log" check $limit
	if grep -q '^KHTTP-DONE' "$log"; then
		pass "boot/$kind"
	else
		fail "boot/$kind (guest crashed or hung)"; tail -40 "$log"
	fi
	tr -d '\r' < "$log" > "$log.txt"
	# The time budget: this boot's length and its slowest tests.
	echo "check: $kind took $((SECONDS - t0)) s; slowest:" \
		"$(sed -n 's/^KHTTP-TIME: //p' "$log.txt" | sort -k2 -rn | head -5 |
		   awk '{ printf "%s %ss ", $1, $2 }')"
	grep '^KHTTP-RESULT: ' "$log.txt" | while read -r _ st name rest; do
		if [ "$st" = PASS ]; then pass "$name"; else fail "$name $rest"; fi
	done
	# Every test the run was given reported, and nothing else ran.
	for name in "${tests[@]}"; do
		grep -q "^KHTTP-RESULT: [A-Z]* $kind/$name\( \|\$\)" "$log.txt" ||
			fail "$kind/$name (no result)"
	done
	grep '^KHTTP-RESULT: ' "$log.txt" | awk '{ print $3 }' |
		sed -n "s|^$kind/\([0-9][0-9]-[^/]*\)\$|\1|p" | while read -r name; do
		[[ " ${tests[*]} " == *" $name "* ]] ||
			fail "$kind/$name (ran but is not in the manifest's $suite run)"
	done
	# Each failed test's trace ends where it failed: show that end.
	awk '/^KHTTP-RESULT: /{ if (n) dump(); f = ($2 == "FAIL"); name = $3; n = 0; next }
	     f && /^    \| /{ l[n++ % 80] = $0 }
	     function dump(i) { print "--- " name " (last lines)";
		for (i = (n > 80 ? n - 80 : 0); i < n; i++) print l[i % 80]; n = 0 }
	     END { if (n) dump() }' "$log.txt"
	# KUnit: each suite's KTAP, parsed by the kernel's own kunit.py; every
	# suite in kunit/ (FOO_test.c is module khttp_FOO_test) printed one.
	local ksuite
	if [ "$kind" = debug-6.12 ]; then
		for ksuite in $(cd kunit && ls *_test.c | sed 's/^/khttp_/; s/\.c$//'); do
			want "$ksuite" || continue
			grep -q "^KHTTP-KTAP-BEGIN $ksuite\$" "$log.txt" ||
				fail "$kind/kunit/$ksuite (no KTAP: the suite did not run)"
		done
	fi
	local suite
	for suite in $(sed -n 's/^KHTTP-KTAP-BEGIN //p' "$log.txt"); do
		# A module's suite prints as a subtest; before 6.6 it lacks the
		# top-level header a built-in suite has, so give it one then.
		sed -n "/^KHTTP-KTAP-BEGIN $suite\$/,/^KHTTP-KTAP-END $suite\$/p" \
			"$log.txt" | sed -n 's/^KTAP: //p' > "$out/$suite.ktap"
		if ! sed -n 1p "$out/$suite.ktap" | grep -q '^KTAP version'; then
			sed -i '1i KTAP version 1\n1..1' "$out/$suite.ktap"
		fi
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
        # A skipped case proves nothing: counted as failed, as a
        # skipped e2e test is.
        st = "PASS" if c["status"] == "PASS" else "FAIL"
        why = "" if st == "PASS" else f" ({c['status'].lower()})"
        print(f"{st} {kind}/kunit/{prefix}{c['name']}{why}")
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

# build_for LABEL KDIR OUTDIR: the module for one kernel, -Werror, W=1.
build_for() {
	if scripts/build-for.sh "$2" "$3" > "$out/build-$1.log" 2>&1; then
		pass "build/module-$1"
	else
		fail "build/module-$1"; tail -30 "$out/build-$1.log"
		return 1
	fi
}

# run_stock NAME LABEL SUITE: a Debian kernel (kernels.sh NAME), the module
# built for it, SUITE booted on it.
run_stock() {
	local v
	if v=$(scripts/kernels.sh "$1") &&
	   build_for "$2" "/lib/modules/$v/build" "$B/$2"; then
		run_guest "$2" "/boot/vmlinuz-$v" "$B/$2" "$3"
	else
		fail "boot/$2 (no kernel or no module)"
	fi
}

# take_results LOG WHAT: LOG's PASS/FAIL lines into the results and onto
# the terminal; none at all fails WHAT.
take_results() {
	if grep -qE '^(PASS|FAIL) ' "$1"; then
		grep -E '^(PASS|FAIL) ' "$1" | tee -a "$results"
	else
		fail "$2 (no result; see $1)"
	fi
}

# The debug kernel is built (or found in the cache) in the background, at
# the lowest priority, while the stock 6.1 guest runs: the build takes the
# CPU the guest leaves idle (tests waiting on timeouts), so it costs the
# run little of its 7-13 minutes.  test-kernel.sh's lock makes the later
# call wait for this one.
tk_pid=
if wants debug && [ -n "${KHTTP_BG_KERNEL-1}" ]; then
	nice -n 19 scripts/test-kernel.sh > "$out/test-kernel-bg.log" 2>&1 &
	tk_pid=$!
fi

# 2. Debian's stock 6.1: the whole e2e suite.
if wants 6.1; then
	run_stock stock61 stock-6.1 "full scale stock"
	# The benchmark harness, briefly (numbers are printed, never judged).
	if want bench/smoke; then
		KVER=6.1 scripts/bench.sh --smoke > "$out/bench-smoke.log" 2>&1
		tail -1 "$out/bench-smoke.log" > "$out/bench-smoke.result"
		take_results "$out/bench-smoke.result" bench/smoke
	fi
fi

# 3. The debug kernel: KUnit, the whole e2e suite, lint.
if wants debug; then
	# test-kernel.sh builds one at a time: checks side by side share
	# the cache.
	[ -n "$tk_pid" ] && wait "$tk_pid"
	if tk=$(scripts/test-kernel.sh); then
		if build_for debug-6.12 "$tk" "$B/debug-6.12"; then
			run_guest debug-6.12 "$tk/arch/x86/boot/bzImage" \
				"$B/debug-6.12" full
			if want lint; then
				scripts/lint.sh "$tk" > "$out/lint.log" 2>&1
				grep -E '^(PASS|FAIL) ' "$out/lint.log" >> "$results"
				grep -v -E '^(PASS|FAIL) ' "$out/lint.log" | head -40
			fi
		fi
	else
		fail build/test-kernel
	fi
fi

# 5. Packaging: DKMS builds the module for both stock kernels, at the
# lowest priority beside the stock 6.12 guest (as the debug kernel's build).
dkms_pid=
if [ -z "$K" ] && want dkms; then
	nice -n 19 scripts/dkms-check.sh "$out/dkms" > "$out/dkms.log" 2>&1 &
	dkms_pid=$!
fi

# 4. Debian's stock 6.12: the smoke subset on the binary users get.
if wants 6.12; then
	run_stock stock612 stock-6.12 smoke
fi

if [ -n "$dkms_pid" ]; then
	wait "$dkms_pid"
	take_results "$out/dkms.log" dkms
	grep -q '^FAIL' "$out/dkms.log" && tail -30 "$out/dkms.log"
fi

echo "check: $SECONDS s in all"
p=$(grep -c '^PASS' "$results")
f=$(grep -c '^FAIL' "$results")
echo "$p passed, $f failed"
[ "$f" = 0 ]
