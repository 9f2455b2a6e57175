# SPDX-License-Identifier: GPL-2.0
# The kernel response cache: a cacheable worker answer is served again
# without the worker (its request counter proves it), with HEAD, 304 and
# ranges, If-Modified-Since against the worker's Last-Modified (and
# If-None-Match winning over it, as for static files); TTL expiry, flush, worker invalidation, per-route opt-out,
# requests that must bypass it, the memory cap under a flood of distinct
# URLs, and one worker request for a thundering herd.
. /khttp/lib.sh
U=http://127.0.0.1/app
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl pool add app
run_ok httpctl route add /app/ pool app
httpq-hello -p app -c 600 -i /app/ > /dev/null &
w=$!
sleep 0.5

a=$(curl -s $U/page)
expect_match "first from worker" "$a" "^hello from app #1 "
b=$(curl -s $U/page)
expect_eq "second from cache" "$b" "$a"
expect_match "listed" "$(httpctl cache list)" "^http://127.0.0.1:80/app/page status 200 size [0-9]+ hits 1 "
s=$(httpctl stats)
expect_match "hits" "$s" "^cache_hits 1$"
expect_match "inserts" "$s" "^cache_inserts 1$"
expect_match "entries" "$s" "^cache_entries 1$"
h=$(curl -s -D - -o /dev/null $U/page | tr -d '\r')
expect_match "age" "$h" "^Age: [0-9]+"
expect_match "etag" "$h" '^ETag: "c-'
etag=$(echo "$h" | sed -n 's/^ETag: //p')
expect_eq "304" "$(status $U/page -H "If-None-Match: $etag")" "304"
expect_eq "range" "$(curl -s -r 0-4 $U/page)" "hello"
expect_eq "HEAD" "$(curl -s -I -o /dev/null -w '%{size_download} %{http_code}' $U/page)" "0 200"
# A different query is a different entry.
expect_match "query" "$(curl -s "$U/page?x=1")" "#2 "
# Credentials bypass the cache in both directions.
expect_match "authorization" "$(curl -s -H 'Authorization: Basic eDp5' $U/page)" "#3 "
expect_match "cookie" "$(curl -s -H 'Cookie: a=b' $U/page)" "#4 "
# Flush by prefix.
expect_match "flush" "$(httpctl cache flush /app/)" "^flushed [1-9]"
expect_match "after flush" "$(curl -s $U/page)" "#5 "
expect_match "cached after flush" "$(curl -s $U/page)" "#5 "
# The worker invalidates its own entries.
curl -s -o /dev/null $U/invalidate
expect_match "after invalidate" "$(curl -s $U/page)" "#7 "
kill $w
reap $w

# A cached answer with Last-Modified: If-Modified-Since as for static files
# (RFC 9110 13.2.2: If-None-Match, when present, decides alone).
LM="Sun, 06 Nov 1994 08:49:37 GMT"
httpq-hello -p app -c 600 -m "$LM" > /dev/null &
w=$!
sleep 0.5
expect_match "lm first" "$(curl -s $U/lm)" "#1 "
h=$(curl -s -D - -o /dev/null $U/lm | tr -d '\r')
expect_match "lm header" "$h" "^Last-Modified: $LM$"
etag=$(echo "$h" | sed -n 's/^ETag: //p')
expect_eq "ims equal" "$(status $U/lm -H "If-Modified-Since: $LM")" "304"
expect_eq "ims later" \
	"$(status $U/lm -H 'If-Modified-Since: Mon, 07 Nov 1994 08:49:37 GMT')" "304"
expect_eq "ims earlier" \
	"$(status $U/lm -H 'If-Modified-Since: Sat, 05 Nov 1994 08:49:37 GMT')" "200"
expect_eq "ims bad date" "$(status $U/lm -H 'If-Modified-Since: yesterday')" "200"
expect_eq "inm wins (no match)" \
	"$(status $U/lm -H 'If-None-Match: "x"' -H "If-Modified-Since: $LM")" "200"
expect_eq "inm wins (match)" \
	"$(status $U/lm -H "If-None-Match: $etag" \
	   -H 'If-Modified-Since: Sat, 05 Nov 1994 08:49:37 GMT')" "304"
expect_eq "ims HEAD" "$(status $U/lm -I -H "If-Modified-Since: $LM")" "304"
# The page itself has no Last-Modified: a date alone changes nothing.
expect_eq "no lm" "$(status $U/page -H "If-Modified-Since: $LM")" "200"
expect_match "lm all from cache" "$(curl -s $U/lm)" "#1 "
kill $w
reap $w

# TTL: a worker whose answers live 3 s.
run_ok httpctl cache flush
httpq-hello -p app -c 3 > /dev/null &
w=$!
sleep 0.5
expect_match "ttl first" "$(curl -s $U/ttl)" "#1 "
sleep 4
expect_match "expired" "$(curl -s $U/ttl)" "#2 "
kill $w
reap $w

# Per-route opt-out.
run_ok httpctl pool add nc
run_ok httpctl route add /nc/ pool nc cache off
expect_match "route cache off" "$(httpctl route list)" "^/nc/ pool nc cache off"
httpq-hello -p nc -c 60 > /dev/null &
w=$!
sleep 0.5
expect_match "nc 1" "$(curl -s http://127.0.0.1/nc/x)" "#1 "
expect_match "nc 2" "$(curl -s http://127.0.0.1/nc/x)" "#2 "
kill $w
reap $w

# Hit-for-pass: an answer that may not be stored marks its URL, so later
# concurrent misses go to the worker at once instead of queueing behind a
# reservation whose answer will not be stored (one miss each, not two).
# The mark lasts 10 s: an attempt that took longer (a TCG guest on a
# loaded host) proves nothing either way and is made again on a new URL.
httpq-hello -p app -d 300 > /dev/null &
w=$!
sleep 0.5
misses=
for try in 1 2 3; do
	t0=$(date +%s)
	curl -s -o /dev/null $U/pass$try
	m0=$(stat cache_misses)
	pids=
	for i in 1 2 3 4 5; do
		curl -s -o /dev/null --max-time 20 $U/pass$try &
		pids="$pids $!"
	done
	wait $pids
	misses=$(($(stat cache_misses) - m0))
	[ $(($(date +%s) - t0)) -lt 9 ] && break
	echo "KHTTP-INFO: hit-for-pass attempt $try outlived the mark ($misses misses)"
	misses=
done
[ -n "$misses" ] || fail "every hit-for-pass attempt took longer than the 10 s mark"
expect_eq "one miss each" "$misses" "5"
expect_eq "pass not listed" "$(httpctl cache list | grep -c /pass)" "0"
kill $w
reap $w

# Thundering herd: 10 clients miss at once; the worker sees one request.
# (The waiters' bound is raised so a slow guest cannot end their wait.)
httpq-hello -p app -c 60 -d 1500 > /dev/null &
w=$!
sleep 0.5
run_ok httpctl cache flush
run_ok httpctl set cache-lock-timeout 60000
for i in $(seq 1 10); do
	curl -s --max-time 20 $U/herd > /tmp/herd.$i &
done
wait_until 20 sh -c '[ $(cat /tmp/herd.* | grep -c "hello") = 10 ]' ||
	fail "herd answers: $(cat /tmp/herd.*)"
expect_eq "one worker request" "$(cat /tmp/herd.* | sort -u | wc -l)" "1"
expect_match "the first" "$(cat /tmp/herd.1)" "#1 "
kill $w
reap $w

# A miss waits for another request's answer only cache-lock-timeout long,
# then asks the worker itself: the second client gets an answer of its
# own (#2) instead of the first one's from the cache.
expect_match "herd bound shown" "$(httpctl show config)" "cache-lock-timeout 60000"
run_ok httpctl set cache-lock-timeout 1000
expect_match "lock timeout shown" "$(httpctl show config)" "cache-lock-timeout 1000"
httpq-hello -p app -c 60 -d 3000 > /dev/null &
w=$!
sleep 0.5
l0=$(stat cache_lock_timeouts)
curl -s --max-time 30 $U/lock > /tmp/lock.1 &
c1=$!
wait_until 10 sh -c '[ "$(httpctl pool list | grep "^app " | sed -n "s/.* in-hand \([0-9]*\).*/\1/p")" = 1 ]' ||
	fail "the first request never reached the worker: $(httpctl pool list) $(httpctl stats | grep -E 'cache|requests')"
lock2=$(curl -s --max-time 30 $U/lock)
wait $c1
expect_match "first answer" "$(cat /tmp/lock.1)" "#1 "
expect_match "waiter asked the worker" "$lock2" "#2 "
expect_eq "lock timeouts counted" "$(($(stat cache_lock_timeouts) - l0))" "1"
run_ok httpctl set cache-lock-timeout 5000
kill $w
reap $w

# Memory cap under a flood of distinct URLs.
httpq-hello -p app -c 60 > /dev/null &
w=$!
sleep 0.5
run_ok httpctl set cache-max-bytes 20000
for i in $(seq 1 150); do
	echo "url = \"$U/flood/$i\""
	echo "output = /dev/null"
done > /tmp/urls
curl -s -K /tmp/urls
s=$(httpctl stats)
bytes=$(echo "$s" | sed -n 's/^cache_bytes //p')
ev=$(echo "$s" | sed -n 's/^cache_evictions //p')
[ "$bytes" -le 20000 ] || fail "cache_bytes $bytes over the cap"
[ "$ev" -gt 0 ] || fail "no evictions"
expect_match "config" "$(httpctl show config)" "cache-max-bytes 20000"
kill $w
reap $w
unload
exit 0
