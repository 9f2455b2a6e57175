# SPDX-License-Identifier: GPL-2.0
# Pool lifecycles: requests wait for a worker, the queue timeout and a full
# queue answer 503 per verbosity, a dying worker's requests get 502 while
# queued ones go to the next worker, rapid-fail protection disables the
# pool until it is set active, pool delete wakes readers with ENODEV, and
# an open device pins the module.
. /khttp/lib.sh
U=http://127.0.0.1/app/
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl pool add app
run_ok httpctl route add /app/ pool app

# pool_field NAME: a number from the pool's line in `httpctl pool list`.
pool_field() {
	httpctl pool list | head -1 | sed -n "s/.* $1 \([0-9]*\) .*/\1/p"
}

# 1. No worker yet: requests wait in the queue, then all get answered.
for i in 1 2 3; do
	curl -s -o /tmp/q$i -w '%{http_code}' --max-time 30 $U$i > /tmp/s$i &
done
queued3() { [ "$(pool_field queued)" = 3 ]; }
wait_until 20 queued3 || fail "queued while no worker: $(pool_field queued)"
httpq-hello -p app > /dev/null &
wait_pids=$!
sleep 2
for i in 1 2 3; do
	wait_for=0
	while [ ! -s /tmp/s$i ] && [ $wait_for -lt 50 ]; do sleep 0.2; wait_for=$((wait_for + 1)); done
	expect_eq "queued request $i answered" "$(cat /tmp/s$i)" "200"
done
kill $wait_pids
reap $wait_pids

# 2. Queue timeout: nobody reads, 503 after the timeout.
run_ok httpctl pool set app queue-timeout 1000
t0=$(cut -d. -f1 /proc/uptime)
expect_eq "queue timeout" "$(status $U)" "503"
t1=$(cut -d. -f1 /proc/uptime)
[ $((t1 - t0)) -le 5 ] || fail "queue timeout took $((t1 - t0)) s"
expect_match "timeout counted" "$(httpctl pool list)" "queue_timeout 1"

# 3. Queue full, per verbosity.
run_ok httpctl pool set app queue-timeout 20000 queue-length 2 verbosity limited
# Distinct URLs: identical GETs would wait on one another's answer
# (the cache's thundering-herd protection) instead of queueing.
rm -f /tmp/full1 /tmp/full2
curl -s -o /dev/null -w '%{http_code}' --max-time 30 ${U}1 > /tmp/full1 &
c1=$!
curl -s -o /dev/null -w '%{http_code}' --max-time 30 ${U}2 > /tmp/full2 &
c2=$!
queued2() { [ "$(pool_field queued)" = 2 ]; }
wait_until 20 queued2 || fail "two requests never queued"
r=$(printf 'GET /app/ HTTP/1.1\r\nHost: x\r\n\r\n' | rawhttp -t 5000 127.0.0.1 80)
expect_eq "limited" "$(first_line "$r")" "HTTP/1.1 503 Service Unavailable"
echo "$r" | grep -q "is full" && fail "limited verbosity gave the reason"
run_ok httpctl pool set app verbosity full
r=$(printf 'GET /app/ HTTP/1.1\r\nHost: x\r\n\r\n' | rawhttp -t 5000 127.0.0.1 80)
expect_eq "full" "$(first_line "$r")" "HTTP/1.1 503 Service Unavailable"
expect_match "full reason" "$r" "queue of application pool 'app' is full"
run_ok httpctl pool set app verbosity basic
rc=0; printf 'GET /app/ HTTP/1.1\r\nHost: x\r\n\r\n' | rawhttp -t 5000 127.0.0.1 80 > /tmp/r || rc=$?
expect_eq "basic resets" "$rc" "4"
expect_eq "basic says nothing" "$(wc -c < /tmp/r)" "0"
expect_match "full counted" "$(httpctl pool list)" "queue_full 3"
# A worker drains the queue; the waiting clients get answers.
httpq-hello -p app > /dev/null &
w=$!
rc=0; wait $c1 || rc=$?
expect_eq "waiting client 1: curl exit" "$rc" "0"
expect_eq "waiting client 1 answered" "$(cat /tmp/full1)" "200"
rc=0; wait $c2 || rc=$?
expect_eq "waiting client 2: curl exit" "$rc" "0"
expect_eq "waiting client 2 answered" "$(cat /tmp/full2)" "200"
kill $w
reap $w
run_ok httpctl pool set app queue-length 1000 verbosity limited

# 4. A worker that dies holding a request: that client gets 502; requests
#    still queued go to the next worker.
curl -s -o /dev/null -w '%{http_code}' --max-time 30 ${U}doomed > /tmp/doomed &
sleep 0.5
httpq-hello -p app -x && fail "httpq-hello -x did not die"
wait_file /tmp/doomed
expect_eq "abandoned gets 502" "$(cat /tmp/doomed)" "502"
curl -s -o /dev/null -w '%{http_code}' --max-time 30 ${U}b > /tmp/b &
curl -s -o /dev/null -w '%{http_code}' --max-time 30 ${U}c > /tmp/c &
wait_until 20 queued2 || fail "b and c never queued"
httpq-hello -p app > /dev/null &
w=$!
wait_file /tmp/b
wait_file /tmp/c
expect_eq "queued b" "$(cat /tmp/b)" "200"
expect_eq "queued c" "$(cat /tmp/c)" "200"
kill $w
reap $w
expect_match "deaths counted" "$(httpctl pool list)" "abandoned 1 worker_deaths 1"

# 5. Rapid-fail protection: 2 deaths in 60 s disable the pool.
run_ok httpctl pool set app rapid-fail 2/60
for i in 1 2; do
	curl -s -o /dev/null --max-time 30 $U &
	sleep 0.3
	httpq-hello -p app -x && fail "httpq-hello -x did not die"
done
is_failed() { httpctl pool list | grep -q "^app state failed"; }
wait_until 20 is_failed || fail "pool not failed: $(httpctl pool list)"
httpq-hello -p app > /dev/null &
w=$!
sleep 0.5
expect_eq "disabled pool 503" "$(status $U)" "503"
run_ok httpctl pool set app state active
expect_eq "active again" "$(status $U)" "200"

# 6. Stopped by the administrator.
run_ok httpctl pool set app state inactive
expect_eq "inactive 503" "$(status $U)" "503"
run_ok httpctl pool set app state active
expect_eq "reactivated" "$(status $U)" "200"
kill $w
reap $w

# 7. Delete a pool under a worker holding a request: the client gets 502,
#    the worker wakes with ENODEV and exits; an open device pins the module.
httpq-hello -p app -d 4000 > /dev/null 2>&1 &
w=$!
sleep 0.5
curl -s -o /dev/null -w '%{http_code}' --max-time 30 ${U}held > /tmp/held &
sleep 1
rmmod khttp 2>/dev/null && fail "rmmod succeeded with /dev/httpq open"
grep -q '^khttp ' /proc/modules || fail "module gone"
run_ok httpctl pool del app force
wait_file /tmp/held
expect_eq "held request 502" "$(cat /tmp/held)" "502"
n=0
while kill -0 $w 2>/dev/null && [ $n -lt 50 ]; do sleep 0.2; n=$((n + 1)); done
kill -0 $w 2>/dev/null && fail "worker did not exit after pool delete"
rc=0; wait $w || rc=$?
expect_eq "worker exit status" "$rc" "0"
unload
exit 0
