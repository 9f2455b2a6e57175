# SPDX-License-Identifier: GPL-2.0
# Quality of service and worker recycling: a graceful worker recycle
# under load costs no client an error; a route's max-bandwidth paces its
# downloads (1 MiB at 256K/s takes about 4 s) while another route runs at
# full speed; per-client and per-/24 connection limits refuse with 503 and
# count it; min-send-rate closes a client that does not read.
. /khttp/lib.sh
serve_site
run_ok httpctl pool add app
run_ok httpctl route add /app/ pool app

# lines FILE: how many lines FILE has (0 if it does not exist yet).
lines() {
	[ -f "$1" ] && wc -l < "$1" || echo 0
}
# at_least FILE N: FILE has N lines or more.
at_least() {
	[ "$(lines "$1")" -ge "$2" ]
}
# between X LO HI: LO <= X <= HI, as decimals.
between() {
	awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'
}

# 1. Graceful recycle: two workers; while two clients send 200 requests,
#    each worker in turn gets SIGTERM and a new one takes its place.  The
#    delay makes the workers hold requests when the signal comes.
httpq-hello -p app -d 20 > /dev/null &
w1=$!
httpq-hello -p app -d 20 > /dev/null &
w2=$!
sleep 0.5
rm -f /tmp/codes1 /tmp/codes2
for k in 1 2; do
	(for i in $(seq 1 50); do
		curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 \
			http://127.0.0.1/app/$k-$i
	done > /tmp/codes$k) &
done
wait_until 60 at_least /tmp/codes1 10 || fail "load did not start"
kill -TERM $w1
httpq-hello -p app -d 20 > /dev/null &
w3=$!
rc=0; wait $w1 || rc=$?
expect_eq "recycled worker 1 exit status" "$rc" "0"
wait_until 120 at_least /tmp/codes1 30 || fail "load stalled after recycle 1"
kill -TERM $w2
httpq-hello -p app -d 20 > /dev/null &
w4=$!
rc=0; wait $w2 || rc=$?
expect_eq "recycled worker 2 exit status" "$rc" "0"
wait_until 180 at_least /tmp/codes1 50 || fail "load 1 did not finish"
wait_until 180 at_least /tmp/codes2 50 || fail "load 2 did not finish"
total=$(cat /tmp/codes1 /tmp/codes2 | wc -l)
bad=$(cat /tmp/codes1 /tmp/codes2 | grep -vc '^200$' || true)
expect_eq "requests during the recycles" "$total" "100"
expect_eq "non-200 answers during the recycles" "$bad" "0"
expect_match "no request abandoned" "$(httpctl pool list)" "abandoned 0 worker_deaths 0"
kill -TERM $w3 $w4
rc=0; wait $w3 || rc=$?
expect_eq "worker 3 exit status" "$rc" "0"
rc=0; wait $w4 || rc=$?
expect_eq "worker 4 exit status" "$rc" "0"

# 2. Throttling: /slow/ at 256 KiB/s, / unthrottled.
mkdir -p /srv/slow
cp /srv/www/big.bin /srv/slow/big.bin
chmod -R a+rX /srv/slow
run_ok httpctl route add /slow/ static /srv/slow max-bandwidth 256K
expect_match "route list" "$(httpctl route list)" "^/slow/ static /srv/slow max-bandwidth 262144$"
expect_match "route list json" "$(httpctl -j route list)" '"max_bandwidth":262144'
run_err httpctl route add /bad/ static /srv/slow max-bandwidth fast
expect_match "bad rate" "$ERR" "max-bandwidth"
curl -s -o /tmp/slow.bin -w '%{time_total}' --max-time 30 \
	http://127.0.0.1/slow/big.bin > /tmp/slow.t &
c=$!
sleep 0.5
fast=$(curl -s -o /tmp/fast.bin -w '%{time_total}' --max-time 30 http://127.0.0.1/big.bin)
wait $c
slow=$(cat /tmp/slow.t)
cmp -s /tmp/slow.bin /srv/www/big.bin || fail "throttled download corrupted"
cmp -s /tmp/fast.bin /srv/www/big.bin || fail "unthrottled download corrupted"
between "$slow" 3 6 || fail "1 MiB at 256K took $slow s, want 3 to 6"
between "$fast" 0 2 || fail "unthrottled 1 MiB took $fast s beside it, want < 2"
echo "throttled ${slow}s, unthrottled ${fast}s"
t=$(stat throttled)
[ "${t:-0}" -gt 0 ] || fail "throttled counter: '$t'"

# 3. Per-client limits.  A connection is held by a client that reads a big
#    file slowly (curl --limit-rate), from a chosen source address.
hold() {
	curl -s -o /dev/null --max-time 60 --limit-rate 8K --interface "$1" \
		http://127.0.0.1/big.bin &
}
active_is() { [ "$(stat conn_active)" = "$1" ]; }
run_ok httpctl set max-conns-per-client 2
expect_match "config" "$(httpctl show config)" "max-conns-per-client 2 "
hold 127.0.0.1; h1=$!
hold 127.0.0.1; h2=$!
wait_until 20 active_is 2 || fail "holders not connected: $(stat conn_active)"
expect_eq "third from 127.0.0.1" "$(status http://127.0.0.1/alpha.txt --interface 127.0.0.1)" "503"
expect_eq "client_refused" "$(stat client_refused)" "1"
expect_eq "another address" "$(status http://127.0.0.1/alpha.txt --interface 127.0.0.5)" "200"
kill $h1 $h2
reap $h1 $h2
wait_until 20 active_is 0 || fail "holders not gone: $(stat conn_active)"
expect_eq "free again" "$(status http://127.0.0.1/alpha.txt --interface 127.0.0.1)" "200"

# Per /24: 127.0.0.x share one, 127.0.1.x is another.
run_ok httpctl set max-conns-per-client 0 max-conns-per-prefix 2
expect_match "config prefix" "$(httpctl show config)" "max-conns-per-client 0 max-conns-per-prefix 2 "
hold 127.0.0.2; h1=$!
hold 127.0.0.3; h2=$!
wait_until 20 active_is 2 || fail "prefix holders not connected: $(stat conn_active)"
expect_eq "third from 127.0.0.0/24" "$(status http://127.0.0.1/alpha.txt --interface 127.0.0.4)" "503"
expect_eq "client_refused by prefix" "$(stat client_refused)" "2"
expect_eq "another /24" "$(status http://127.0.0.1/alpha.txt --interface 127.0.1.4)" "200"
kill $h1 $h2
reap $h1 $h2
wait_until 20 active_is 0 || fail "prefix holders not gone: $(stat conn_active)"
run_ok httpctl set max-conns-per-prefix 0
expect_match "json config" "$(httpctl -j show config)" '"max_conns_per_client":0,"max_conns_per_prefix":0,"min_send_rate":0'

# 4. min-send-rate: a client that asks for a big file and does not read is
#    closed within a few seconds; a normal download still works.  The file
#    is larger than the loopback socket buffers can swallow.
dd if=/dev/urandom of=/srv/www/huge.bin bs=1M count=24 2>/dev/null
chmod a+r /srv/www/huge.bin
run_ok httpctl set min-send-rate 100000
expect_match "config rate" "$(httpctl show config)" "min-send-rate 100000"
printf 'GET /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n' |
	rawhttp -p 10000 -t 15000 127.0.0.1 80 > /dev/null &
r=$!
slow_closed() { [ "$(stat slow_closed)" -ge 1 ]; }
wait_until 8 slow_closed || fail "slow reader not closed: slow_closed $(stat slow_closed)"
n=$(curl -s -o /dev/null -w '%{size_download}' --max-time 60 http://127.0.0.1/huge.bin)
expect_eq "normal download under min-send-rate" "$n" "$((24 * 1024 * 1024))"
rc=0; wait $r || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 4 ] || fail "slow reader still open after 15 s (rawhttp $rc)"
run_ok httpctl set min-send-rate 0
rm -f /srv/www/huge.bin /tmp/slow.bin /tmp/fast.bin
expect_match "stats names" "$(httpctl stats)" "client_refused 2"
unload
exit 0
