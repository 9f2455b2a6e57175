# SPDX-License-Identifier: GPL-2.0
# The /dev/httpq shared-memory ring: httpq_ring drives it by hand as a
# good and as a hostile worker (requests and answers, bodies over one
# record, keep-alive, one doorbell for a batch, bad indices and lengths, a
# scribbling thread, munmap/close/exit with requests in hand; a normal
# request after each abuse), then libhttpq picks the ring (and
# HTTPQ_NO_RING=1 keeps read/write), and a mapped ring pins the module.
. /khttp/lib.sh
load
run_ok httpctl iplisten add 127.0.0.1:80
# Deaths are part of the test (munmap/exit with requests in hand).
run_ok httpctl pool add ring rapid-fail 1000/1
run_ok httpctl route add /r/ pool ring

rc=0; httpq_ring -p ring -P 80 -u /r/ > /tmp/ring.out 2>&1 || rc=$?
cat /tmp/ring.out
grep -q '^not ok' /tmp/ring.out && fail "httpq_ring: $(grep '^not ok' /tmp/ring.out | head -5)"
[ "$rc" = 0 ] || fail "httpq_ring exited $rc"
[ "$(grep -c '^ok ' /tmp/ring.out)" -ge 20 ] || fail "httpq_ring ran too few cases"

# Every refusal was counted; nothing is left queued or in hand.
# (the counters are on the line after the pool's)
s=$(httpctl pool list | grep -A1 '^ring ' | tr '\n' ' ')
echo "$s"
expect_match "ring idle" "$s" " queued 0 in-hand 0 readers 0 "
errs=$(echo "$s" | sed -n 's/.*ring_errors \([0-9]*\).*/\1/p')
[ -n "$errs" ] && [ "$errs" -ge 10 ] || fail "ring_errors '$errs', want >= 10"
expect_match "deaths counted" "$s" "worker_deaths [1-9]"

# libhttpq takes the ring when the kernel offers it: the worker's maps
# show the device; keep-alive answers go through it.
httpq-hello -p ring -n 4 > /dev/null &
w=$!
wait_until 10 grep -q /dev/httpq /proc/$w/maps || fail "httpq-hello mapped no ring: $(cat /proc/$w/maps | grep -c .) maps"
r=$(curl -s --max-time 10 http://127.0.0.1/r/a http://127.0.0.1/r/b | tr "\n" " ")
expect_match "ring worker keep-alive" "$r" "^hello from ring #1 pid .*hello from ring #2 pid "
r=$(curl -s --max-time 10 http://127.0.0.1/r/c)
expect_match "ring worker" "$r" "^hello from ring #3"
r=$(curl -s --max-time 10 http://127.0.0.1/r/d)
expect_match "ring worker" "$r" "^hello from ring #4"
wait $w || fail "httpq-hello (ring) exited $?"

# HTTPQ_NO_RING=1: the same worker with read() and write() only.
HTTPQ_NO_RING=1 httpq-hello -p ring -n 2 > /dev/null &
w=$!
wait_until 10 grep -q . /proc/$w/maps || fail "no maps for $w"
sleep 0.3
grep -q /dev/httpq /proc/$w/maps && fail "HTTPQ_NO_RING=1 worker mapped the ring"
r=$(curl -s --max-time 10 http://127.0.0.1/r/e)
expect_match "fallback worker" "$r" "^hello from ring #1"
r=$(curl -s --max-time 10 http://127.0.0.1/r/f)
expect_match "fallback worker" "$r" "^hello from ring #2"
wait $w || fail "httpq-hello (no ring) exited $?"

# A mapping alone (its fd closed) pins the module: rmmod is refused.
# (A file of its own, removed first: /tmp outlives each test, and 44-tls
# leaves a /tmp/hold.out that wait_file would take for this one's.)
rm -f /tmp/ring-hold.out
httpq_ring -p ring -H > /tmp/ring-hold.out 2>&1 &
h=$!
wait_file /tmp/ring-hold.out 10 || fail "httpq_ring -H did not map"
expect_eq "holder" "$(cat /tmp/ring-hold.out)" "held"
rmmod khttp 2>/dev/null && fail "rmmod succeeded with a ring mapped"
kill $h
reap $h
s=$(httpctl pool list | grep '^ring ')
expect_match "ring idle at the end" "$s" " queued 0 in-hand 0 readers 0 "
unload
exit 0
