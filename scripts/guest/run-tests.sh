#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the guest: load each KUnit suite and print its KTAP between markers,
# then run every e2e test and print one result line per test.  A kernel
# splat (KASAN, lockdep, WARN, BUG, kmemleak, ODEBUG) during a test fails it.
# Tests run under `sh -e`: a command that fails outside an assertion fails
# the test.  After each test's rmmod, no khttp slab cache may be left and
# the kmalloc caches must be back near the baseline taken before the first
# insmod (one slab-baseline result line at the end; kmemleak on the test
# kernel is the precise check, and where it runs the totals are skipped).
SPLAT='BUG:|WARNING:|Oops|general protection|KASAN|UBSAN|kmemleak: [0-9]+ new|possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU usage|Call Trace|INFO: task .* blocked|ODEBUG:|lockdep'
dmesg -c > /dev/null
# Forget objects allocated before the tests (boot); report only ours.
[ -e /sys/kernel/debug/kmemleak ] && echo clear > /sys/kernel/debug/kmemleak

# kmalloc_objs [FILE]: active objects in every kmalloc cache (kmalloc-*,
# kmalloc-cg-*, kmalloc-rcl-*, dma-kmalloc-*), once RCU-deferred frees and
# reclaimable caches have settled and the caches are shrunk (SLUB counts
# every object of a per-CPU slab as active; shrinking flushes those, which
# takes the noise from thousands of objects down to about a hundred).
# FILE gets the per-cache counts.
kmalloc_objs() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	for f in /sys/kernel/slab/*kmalloc-*/shrink; do
		[ -e "$f" ] && echo 1 > "$f"
	done
	awk '$1 ~ /^(dma-)?kmalloc-/ { print $1, $2 }' /proc/slabinfo > "${1:-/dev/null}"
	awk '$1 ~ /^(dma-)?kmalloc-/ { n += $2 } END { print n + 0 }' /proc/slabinfo
}
# khttp_caches: slab caches the module created (named khttp*) still there:
# in /proc/slabinfo, or only in /sys/kernel/slab if SLUB merged the cache
# into another one (slabinfo lists only the cache it merged into).
khttp_caches() {
	{
		awk '$1 ~ /^khttp/ { print $1 }' /proc/slabinfo
		for d in /sys/kernel/slab/khttp*; do
			[ -e "$d" ] && echo "${d##*/}"
		done
	} | sort -u | tr '\n' ' '
}
# Growth allowed over the baseline.  Shrunk, the stock kernel's kmalloc
# totals wander by up to about 600 objects either way across a run (the
# files the tests leave in /tmp and /srv, the kernel's own caches, frees
# still deferred by RCU); a leak per request or per route is thousands
# (a route's leaked directory name over 71-route-churn: 8,800).
SLAB_SLACK=${KHTTP_SLAB_SLACK:-2000}
slab_fail=
slab_base=
# With kmemleak (the debug kernel) the totals are left to it: it is the
# precise check, and under KASAN the drop_caches and shrinking took about
# ten seconds a test, which pushed the debug run past its time limit.
slab_totals=yes
[ -e /sys/kernel/debug/kmemleak ] && slab_totals=
[ -r /proc/slabinfo ] && [ -n "$slab_totals" ] &&
	slab_base=$(kmalloc_objs /tmp/slab.base)
echo "slab-baseline: ${slab_base:-not measured (kmemleak)} kmalloc objects before the first insmod"

splat_check() {
	dmesg -c > /tmp/dmesg.now
	cat /tmp/dmesg.now >> /tmp/dmesg.all
	grep -E "$SPLAT" /tmp/dmesg.now
}

# wanted NAME: KHTTP_FILTER is empty or a comma list of substrings of NAME.
wanted() {
	[ -z "$KHTTP_FILTER" ] && return 0
	for p in $(echo "$KHTTP_FILTER" | tr , ' '); do
		case "$1" in *"$p"*) return 0 ;; esac
	done
	return 1
}

if [ "${KHTTP_KIND#debug-}" != "$KHTTP_KIND" ]; then
	for ko in /lib/khttp/kunit/*.ko; do
		[ -e "$ko" ] || continue
		name=$(basename "$ko" .ko)
		wanted "$name" || continue
		dmesg -c > /dev/null
		insmod "$ko"
		rmmod "$name" 2>/dev/null
		echo "KHTTP-KTAP-BEGIN $name"
		dmesg | sed -n '/KTAP version/,$p' | sed 's/^/KTAP: /'
		echo "KHTTP-KTAP-END $name"
		if splat_check > /tmp/splat; then
			echo "KHTTP-RESULT: FAIL $KHTTP_KIND/kunit-splat/$name"
			cat /tmp/splat
		fi
	done
fi

for t in /khttp/[0-9]*.sh; do
	name=$(basename "$t" .sh)
	wanted "$name" || continue
	dmesg -c >> /tmp/dmesg.all
	t0=$(cut -d' ' -f1 /proc/uptime)
	(cd /tmp && timeout 600 sh -e -x "$t") > /tmp/test.out 2>&1
	rc=$?
	# How long the test took (check.sh lists the slowest: the full
	# run has a time budget).
	echo "KHTTP-TIME: $name $(awk -v t0="$t0" '{ printf "%d", $1 - t0 }' /proc/uptime)"
	# Leave no process (a worker holding /dev/httpq) and no module
	# behind for the next test.
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		[ "$pid" = 1 ] || [ "$pid" = $$ ] && continue
		# Kernel threads have an empty cmdline (and /proc sizes are 0,
		# so test the content, not the size).
		cmd=$(tr '\0' ' ' < "$d/cmdline" 2>/dev/null)
		[ -n "$cmd" ] || continue
		kill -9 "$pid" 2>/dev/null
	done
	# Files close as the killed processes exit; then the module can go.
	n=0
	while grep -q '^khttp ' /proc/modules && [ $n -lt 25 ]; do
		rmmod khttp 2>/dev/null || sleep 0.2
		n=$((n + 1))
	done
	left=$(khttp_caches)
	if [ -z "$slab_base" ] && [ -n "$left" ]; then
		slab_fail="$slab_fail $name:caches:$left"
	elif [ -n "$slab_base" ]; then
		now=$(kmalloc_objs /tmp/slab.now)
		# Over the slack: measure again a few times before calling it a
		# leak.  A network namespace an earlier test deleted is torn
		# down later by a workqueue (cleanup_net), and its objects can
		# still be live here (seen once: 2,145 over after 90-stats,
		# which follows 87-fleet); a leak stays.
		n=0
		while [ -z "$left" ] && [ $((now - slab_base)) -gt "$SLAB_SLACK" ] &&
		      [ $n -lt 3 ]; do
			sleep 3
			now=$(kmalloc_objs /tmp/slab.now)
			n=$((n + 1))
		done
		echo "slab-baseline: after $name: $now kmalloc objects ($((now - slab_base)) over the baseline)${left:+; khttp caches left: $left}"
		if [ -n "$left" ] || [ $((now - slab_base)) -gt "$SLAB_SLACK" ]; then
			slab_fail="$slab_fail $name:$now-$slab_base${left:+:caches:$left}"
			# Which caches grew (cache baseline now growth).
			awk 'NR == FNR { b[$1] = $2; next }
			     $2 - b[$1] > 50 { print "slab-baseline:   " $1, b[$1] + 0, $2, $2 - b[$1] }' \
				/tmp/slab.base /tmp/slab.now
		fi
	fi
	if splat_check > /tmp/splat; then
		rc=99
		echo "kernel splat during the test:" >> /tmp/test.out
		cat /tmp/splat >> /tmp/test.out
	fi
	# What a test measured reaches the console, passed or failed.
	grep '^KHTTP-INFO: ' /tmp/test.out || true
	if [ $rc = 0 ]; then
		echo "KHTTP-RESULT: PASS $KHTTP_KIND/$name"
	else
		# The reason on the result line itself, so a summary that keeps
		# only result lines still says what went wrong.
		why=$(grep -E '^(FAIL: |kernel splat)' /tmp/test.out | tail -1 |
			cut -c1-160)
		echo "KHTTP-RESULT: FAIL $KHTTP_KIND/$name (exit $rc) $why"
		tail -${KHTTP_TAIL:-400} /tmp/test.out | sed "s/^/    | /"
	fi
done

if [ -z "$slab_base" ] && [ -n "$slab_totals" ]; then
	echo "KHTTP-RESULT: FAIL $KHTTP_KIND/slab-baseline (no /proc/slabinfo)"
elif [ -n "$slab_fail" ]; then
	echo "KHTTP-RESULT: FAIL $KHTTP_KIND/slab-baseline (test:now-baseline kmalloc objects, slack $SLAB_SLACK:$slab_fail)"
else
	echo "KHTTP-RESULT: PASS $KHTTP_KIND/slab-baseline"
fi

# kmemleak: scan twice (it reports an object only once it has been seen
# unreferenced in two scans) and fail on anything found.
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	sleep 1
	echo scan > /sys/kernel/debug/kmemleak
	if grep -q unreferenced /sys/kernel/debug/kmemleak; then
		echo "KHTTP-RESULT: FAIL $KHTTP_KIND/kmemleak"
		head -60 /sys/kernel/debug/kmemleak | sed 's/^/    | /'
	else
		echo "KHTTP-RESULT: PASS $KHTTP_KIND/kmemleak"
	fi
fi
