# SPDX-License-Identifier: GPL-2.0
# Application pools: /dev/httpq/<pool> appears and goes with the pool,
# requests reach a worker and its answers reach the client (bodies,
# chunked uploads, streamed responses, HEAD), several workers share one
# queue with each request going to exactly one of them, and the queue's
# high-water mark (queued_max) in every httpctl view of it.
. /khttp/lib.sh
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl pool add app
[ -c /dev/httpq/app ] || fail "no /dev/httpq/app"
expect_eq "default mode" "$(ls -ln /dev/httpq/app | awk '{print $1, $3, $4}')" "crw------- 0 0"
expect_match "list" "$(httpctl pool list)" "^app state active queue-length 1000"
run_ok httpctl route add /app/ pool app
expect_match "route" "$(httpctl route list)" "^/app/ pool app"

httpq-hello -p app &
w1=$!
sleep 0.5
r=$(curl -s --max-time 10 http://127.0.0.1/app/hi)
expect_match "hello" "$r" "^hello from app #1 pid $w1"
h=$(curl -s -D - -o /dev/null http://127.0.0.1/app/x | tr -d '\r')
expect_match "status" "$h" "^HTTP/1.1 200 OK"
expect_match "server" "$h" "^Server: khttp"
expect_match "type" "$h" "^Content-Type: text/plain"
expect_match "length" "$h" "^Content-Length: [0-9]+"
expect_eq "HEAD no body" "$(curl -s -I -o /dev/null -w '%{size_download}' http://127.0.0.1/app/x)" "0"
# Keep-alive across pool requests, mixed with static ones.
mkdir -p /srv/www && echo static > /srv/www/s.txt && chmod -R a+rX /srv/www
run_ok httpctl route add / static /srv/www
out=$(curl -s http://127.0.0.1/app/a http://127.0.0.1/s.txt http://127.0.0.1/app/b)
expect_eq "three answers" "$(echo "$out" | wc -l)" "3"
expect_match "static among them" "$out" "^static$"
kill $w1
reap $w1

httpq-echo -p app &
w1=$!
sleep 0.5
r=$(curl -s --max-time 10 -d 'a=1&b=2' http://127.0.0.1/app/form)
expect_match "echo method" "$r" "POST"
expect_match "echo body" "$r" "a=1&b=2"
# A chunked upload, decoded for the worker.
r=$(printf 'hello chunked world' | curl -s --max-time 10 -H 'Transfer-Encoding: chunked' --data-binary @- http://127.0.0.1/app/up)
expect_match "chunked upload" "$r" "hello chunked world"
# A large body crosses several records.
dd if=/dev/urandom bs=1024 count=300 2>/dev/null | od -An -tx1 | tr -d ' \n' > /tmp/big.txt
h=$(curl -s -D - -o /dev/null --max-time 20 --data-binary @/tmp/big.txt http://127.0.0.1/app/big | tr -d '\r')
expect_match "big body length" "$h" "X-Body-Length: $(wc -c < /tmp/big.txt)"
# A streamed (chunked) response.
n=$(curl -s --max-time 20 'http://127.0.0.1/app/s?stream=200000' | wc -c)
[ "$n" -ge 200000 ] || fail "streamed response: $n bytes"
h=$(curl -s -D - -o /dev/null --max-time 20 'http://127.0.0.1/app/s?stream=1000' | tr -d '\r')
expect_match "chunked coding" "$h" "Transfer-Encoding: chunked"
# HTTP/1.0 client, streamed answer: no chunked coding, closed at the end.
r=$(printf 'GET /app/s?stream=1000 HTTP/1.0\r\n\r\n' | rawhttp -t 10000 127.0.0.1 80)
expect_match "1.0 close" "$r" "Connection: close"
echo "$r" | grep -qi "transfer-encoding" && fail "chunked to HTTP/1.0"
kill $w1
reap $w1

# Two workers on one queue: each request answered exactly once.
httpq-hello -p app > /dev/null &
w1=$!
httpq-hello -p app > /dev/null &
w2=$!
sleep 0.5
for i in $(seq 1 40); do
	curl -s --max-time 10 http://127.0.0.1/app/$i
done > /tmp/answers
expect_eq "40 answers" "$(grep -c '^hello from app' /tmp/answers)" "40"
# grep -c prints 0 but fails when one worker took none (set -e).
p1=$(grep -c "pid $w1" /tmp/answers || true)
p2=$(grep -c "pid $w2" /tmp/answers || true)
expect_eq "split" "$((p1 + p2))" "40"
s=$(httpctl pool list | tail -1)
q=$(echo "$s" | sed -n 's/.* queued \([0-9]*\) .*/\1/p')
a=$(echo "$s" | sed -n 's/.* answered \([0-9]*\) .*/\1/p')
[ "$q" -ge 40 ] || fail "queued counter: $s"
expect_eq "all answered" "$a" "$q"
kill $w1 $w2
wait 2>/dev/null

# The queue's high-water mark: N requests wait with no worker, the mark is
# N; it stays N while a worker drains the queue, and a lower peak later
# leaves it alone.
run_ok httpctl pool add hw
run_ok httpctl route add /hw/ pool hw
# hw_get KEY: a number in pool hw's object of `httpctl -j pool list`
# (its counters, the "stats" object, cut off).
hw_get() {
	httpctl -j pool list | grep -o '{"name":"hw"[^}]*' |
		sed -e 's/"stats":.*//' -e "s/.*\"$1\":\([0-9]*\).*/\1/"
}
hw_queued() { [ "$(hw_get queued)" = "$1" ]; }
# hw_send FIRST LAST: requests /hw/FIRST../hw/LAST in the background.
hw_send() {
	hw_pids=
	for i in $(seq $1 $2); do
		curl -s -o /tmp/hw$i --max-time 60 http://127.0.0.1/hw/$i &
		hw_pids="$hw_pids $!"
	done
}
# hw_drain: a worker answers what waits, then goes.
hw_drain() {
	httpq-hello -p hw > /dev/null &
	w1=$!
	wait $hw_pids || fail "a queued request was not answered"
	kill $w1
	reap $w1
}
expect_eq "hw mark at start" "$(hw_get queued_max)" "0"
N=5
hw_send 1 $N
wait_until 20 hw_queued $N || fail "not $N queued: $(httpctl pool list)"
expect_eq "hw mark N" "$(hw_get queued_max)" "$N"
expect_match "hw text" "$(httpctl pool list | grep '^hw ')" " queued $N .* queued-max $N "
expect_match "hw stats" "$(httpctl stats | sed -n '/^pool hw$/,$p')" "^  queued_max $N$"
expect_match "hw stats json" "$(httpctl -j stats)" "\"name\":\"hw\",\"queued_max\":$N,"
expect_match "hw prometheus" "$(httpctl stats --prometheus)" "^khttp_pool_queue_depth_max\{pool=\"hw\"\} $N$"
hw_drain
expect_match "hw answered" "$(cat /tmp/hw$N)" "^hello from hw"
expect_eq "hw drained" "$(hw_get queued)" "0"
expect_eq "hw mark after draining" "$(hw_get queued_max)" "$N"
hw_send 11 12
wait_until 20 hw_queued 2 || fail "not 2 queued: $(httpctl pool list)"
expect_eq "hw mark after a lower peak" "$(hw_get queued_max)" "$N"
hw_drain
expect_eq "hw drained again" "$(hw_get queued)" "0"
expect_eq "hw mark at the end" "$(hw_get queued_max)" "$N"
run_ok httpctl pool del hw force

# Deleting a pool with routes: refused, then forced.
run_err httpctl pool del app
expect_match "in use" "$ERR" "routes"
run_ok httpctl pool del app force
[ -e /dev/httpq/app ] && fail "device left behind"
expect_eq "route gone" "$(httpctl route list | grep -c /app/)" "0"
unload
exit 0
