# SPDX-License-Identifier: GPL-2.0
# Faults under load: kill -9 workers mid-request; delete a pool under its
# workers and then rmmod, repeatedly, with clients hammering static and
# pool routes; delete a listen entry under load; memory pressure on the
# response cache (the shrinker gives memory back, nothing OOMs); a crowd
# of clients exhausting max-conns.  Each phase ends with the server
# answering a normal request and nothing left queued or in hand; KASAN,
# lockdep and kmemleak watch on the test kernel.
# /khttp/soak.env (scripts/soak.sh) sets the long run: KHTTP_SOAK_ROUNDS
# rmmod rounds, KHTTP_SOAK_BUDGET seconds at most for them (the guest runner
# kills a test after 300 s), KHTTP_SOAK_ONLY_ROUNDS=1 to run nothing else.
. /khttp/lib.sh
[ -r /khttp/soak.env ] && . /khttp/soak.env
ROUNDS=${KHTTP_SOAK_ROUNDS:-3}
BUDGET=${KHTTP_SOAK_BUDGET:-0}
ONLY_ROUNDS=${KHTTP_SOAK_ONLY_ROUNDS:-0}
t0=$(cut -d. -f1 /proc/uptime)
make_site
faults=0
# note TEXT: a figure for the log, also on the console (make soak greps it).
note() {
	echo "$*"
	echo "KHTTP-NOTE 82-faults: $*" > /dev/console
}

# loops URL...: one background curl loop per URL; pids in $LOOPS.  (A
# failed curl is part of the load -- the module goes away under it.)
LOOPS=
loops() {
	for u in "$@"; do
		( while :; do curl -s -o /dev/null --max-time 5 "$u" || :; done ) &
		LOOPS="$LOOPS $!"
	done
}
# code_loops URL...: the same, each URL's status codes one a line in
# /tmp/codes.N (N counting from 1).  The clients wait long enough (30 s)
# never to give up on a request a worker holds.
code_loops() {
	k=0
	for u in "$@"; do
		k=$((k + 1))
		: > /tmp/codes.$k
		( while :; do
			curl -s -o /dev/null -w '%{http_code}\n' --max-time 30 "$u" ||
				echo "curl exit $?"
		done ) >> /tmp/codes.$k &
		LOOPS="$LOOPS $!"
	done
}
stop_loops() {
	[ -z "$LOOPS" ] || kill $LOOPS 2>/dev/null || true
	reap $LOOPS
	LOOPS=
}
# pool_line NAME [-A1]: the pool's line in `pool list` (-A1: and the
# counters line after it).
pool_line() { httpctl pool list | grep ${2:-} "^$1 "; }
pool_idle() { pool_line "$1" | grep -q " queued 0 in-hand 0 "; }
conns_zero() { [ "$(stat conn_active)" = 0 ]; }

configure() {
	run_ok httpctl iplisten add 127.0.0.1:80
	run_ok httpctl iplisten add [::1]:80
	run_ok httpctl route add / static /srv/www
	run_ok httpctl pool add app queue-timeout 10000 rapid-fail 0/60
	run_ok httpctl route add /app/ pool app
}

# 1. kill -9 workers holding requests, while clients keep coming.
phase_kill9() {
	load
	configure
	loops http://127.0.0.1/big.bin
	code_loops http://127.0.0.1/app/a http://127.0.0.1/app/b 'http://[::1]/app/c'
	in_hand() { httpctl pool list | grep -q "^app .* in-hand [1-9]"; }
	for i in 1 2 3; do
		# One worker holds its request for 3 s: it dies with it in hand.
		httpq-hello -p app -d 3000 > /dev/null 2>&1 &
		w1=$!
		httpq-hello -p app -d 50 > /dev/null 2>&1 &
		w2=$!
		wait_until 30 in_hand || fail "no request reached a worker: $(httpctl pool list)"
		kill -9 $w1 $w2
		reap $w1 $w2
		faults=$((faults + 2))
	done
	deaths=$(httpctl pool list | sed -n 's/.*worker_deaths \([0-9]*\).*/\1/p' | head -1)
	[ "${deaths:-0}" -ge 1 ] || fail "no worker died holding a request: $(httpctl pool list)"
	httpq-hello -p app > /dev/null 2>&1 &
	w=$!
	expect_match "after kills" "$(curl -s --max-time 10 http://127.0.0.1/app/after)" "^hello from app"
	stop_loops
	wait_until 30 pool_idle app || fail "requests left behind: $(pool_line app)"
	kill $w
	reap $w
	wait_until 30 conns_zero || fail "connections left: $(stat conn_active)"
	# Every client got an answer: 200, or 502 for a request a killed
	# worker held -- one 502 for each request counted abandoned -- or 503
	# for one that outwaited the queue timeout (TCG is slow), one for each
	# counted.  (The last curls of the stopped loops write their codes as
	# they end.)
	wait_until 10 sh -c '! pidof curl > /dev/null' || fail "curl clients left running"
	cat /tmp/codes.*
	pl=$(pool_line app -A1)
	bad=$(cat /tmp/codes.* | grep -vxE '200|502|503' || true)
	[ -z "$bad" ] || fail "clients during the kills: $(echo "$bad" | sort | uniq -c); $pl"
	pstat() { echo "$pl" | sed -n "s/.* $1 \([0-9]*\)\( .*\)\{0,1\}\$/\1/p"; }
	n502=$(cat /tmp/codes.* | grep -cx 502 || true)
	n503=$(cat /tmp/codes.* | grep -cx 503 || true)
	note "kill -9: $deaths worker deaths, $(pstat abandoned) abandoned, $n502 clients saw 502, $n503 saw 503"
	[ "$n502" -ge 1 ] || fail "no client saw a 502 after the kills: $pl"
	expect_eq "a 502 for each abandoned request ($pl)" "$n502" "$(pstat abandoned)"
	expect_eq "a 503 for each queue timeout ($pl)" "$n503" "$(pstat queue_timeout)"
	[ "$(cat /tmp/codes.* | grep -cx 200)" -ge 1 ] || fail "no request answered 200"
	unload
}
[ "$ONLY_ROUNDS" = 1 ] || phase_kill9

# 2. Pool deleted under its busy workers, then rmmod under network load;
#    then load again.  ROUNDS times.
in_budget() {
	[ "$BUDGET" = 0 ] || [ $(( $(cut -d. -f1 /proc/uptime) - t0 )) -lt "$BUDGET" ]
}
r=1
while [ $r -le $ROUNDS ] && in_budget; do
	load
	configure
	httpq-hello -p app -d 50 > /dev/null 2>&1 &
	w1=$!
	httpq-hello -p app -d 200 > /dev/null 2>&1 &
	w2=$!
	loops http://127.0.0.1/app/x 'http://[::1]/app/y' http://127.0.0.1/big.bin
	printf 'GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n' |
		rawhttp -p 2000 -t 6000 127.0.0.1 80 > /dev/null &
	printf 'POST /app/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab' |
		rawhttp -t 6000 127.0.0.1 80 > /dev/null &
	sleep 1.5
	run_ok httpctl pool del app force
	# Readers wake with ENODEV and exit; then nothing pins the module.
	n=0
	while { kill -0 $w1 || kill -0 $w2; } 2>/dev/null && [ $n -lt 50 ]; do
		sleep 0.2
		n=$((n + 1))
	done
	kill -0 $w1 2>/dev/null && fail "round $r: worker 1 survived its pool"
	kill -0 $w2 2>/dev/null && fail "round $r: worker 2 survived its pool"
	reap $w1 $w2
	[ -e /dev/httpq/app ] && fail "round $r: /dev/httpq/app left behind"
	rmmod khttp || fail "round $r: rmmod under load failed"
	grep -q '^khttp ' /proc/modules && fail "round $r: still loaded"
	faults=$((faults + 2))
	stop_loops
	wait 2>/dev/null
	r=$((r + 1))
done

note "rmmod rounds done: $((r - 1))"
if [ "$ONLY_ROUNDS" = 1 ]; then
	[ $r -gt 1 ] || fail "no rmmod round fitted in ${BUDGET} s"
	exit 0
fi

# 3. Listen entry deleted under load: new connections to it are refused,
#    the other entry and open downloads carry on; re-adding it works.
load
configure
loops http://127.0.0.1/big.bin 'http://[::1]/big.bin' http://127.0.0.1/alpha.txt
printf 'GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
	rawhttp -p 1500 -t 10000 127.0.0.1 80 > /tmp/slow.out &
s=$!
sleep 1
run_ok httpctl iplisten del 127.0.0.1:80
faults=$((faults + 1))
expect_eq "deleted entry refuses" "$(status http://127.0.0.1/alpha.txt)" "000"
expect_eq "other entry serves" "$(status 'http://[::1]/alpha.txt')" "200"
wait $s
expect_eq "open download finished" "$(first_line "$(cat /tmp/slow.out)")" "HTTP/1.1 200 OK"
[ "$(wc -c < /tmp/slow.out)" -gt 1048576 ] || fail "open download cut short: $(wc -c < /tmp/slow.out)"
run_ok httpctl iplisten add 127.0.0.1:80
expect_eq "re-added entry serves" "$(status http://127.0.0.1/alpha.txt)" "200"
stop_loops
wait_until 30 conns_zero || fail "connections left: $(stat conn_active)"

# 4. Memory pressure: fill the response cache, then squeeze memory (a big
#    tmpfs file, then drop_caches, which runs every shrinker).  The cache
#    gives entries back; nothing is killed; the server still answers.
run_ok httpctl set cache-max-bytes 67108864
httpq-hello -p app -c 600 > /dev/null 2>&1 &
w=$!
sleep 0.5
curl -s -o /dev/null --max-time 120 "http://127.0.0.1/app/c[1-400]"
filled=$(stat cache_entries)
[ "${filled:-0}" -ge 300 ] || fail "cache did not fill: $filled entries"
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
fill=$((avail * 3 / 4))
# No more than /dev/shm (tmpfs, half the RAM) holds.
shm=$(df -m /dev/shm | awk 'NR == 2 { print $4 }')
[ "$fill" -lt "$shm" ] || fill=$((shm - 8))
note "cache: $filled entries, $(stat cache_bytes) bytes; filling $fill of $avail MiB"
dd if=/dev/zero of=/dev/shm/pressure bs=1M count=$fill 2> /dev/null
echo 2 > /proc/sys/vm/drop_caches
faults=$((faults + 1))
after=$(stat cache_entries)
note "after pressure: $after entries, evictions $(stat cache_evictions)"
[ "$after" -lt "$filled" ] || fail "the shrinker freed nothing ($filled -> $after entries)"
rm -f /dev/shm/pressure
dmesg | grep -qi 'out of memory\|oom-kill' && fail "OOM killer ran"
kill -0 $w || fail "the worker was killed"
expect_match "after pressure" "$(curl -s --max-time 10 http://127.0.0.1/app/fresh)" "^hello from app"
expect_eq "static after pressure" "$(status http://127.0.0.1/alpha.txt)" "200"
kill $w
reap $w

# 5. A crowd of clients over max-conns: 8 slow clients hold every slot
#    (heads never finished), then 20 more each get a clean 503 and a close;
#    refusals are counted, and capacity comes back when the holders leave.
run_ok httpctl set max-conns 8 header-timeout 60000
before=$(stat conn_refused)
holders=
i=0
while [ $i -lt 8 ]; do
	printf 'GET /alpha.txt HTTP/1.1\r\nHost: x\r\n' |
		rawhttp -t 60000 127.0.0.1 80 > /dev/null 2>&1 &
	holders="$holders $!"
	i=$((i + 1))
done
full() { [ "$(stat conn_active)" -ge 8 ]; }
wait_until 60 full || fail "holders never connected: $(stat conn_active)"
crowd=
i=0
while [ $i -lt 20 ]; do
	printf 'GET /alpha.txt HTTP/1.1\r\nHost: x\r\n\r\n' |
		rawhttp -t 20000 127.0.0.1 80 > /tmp/crowd.$i 2>&1 &
	crowd="$crowd $!"
	i=$((i + 1))
done
wait $crowd
faults=$((faults + 20))
refused=$(( $(stat conn_refused) - before ))
n503=$(cat /tmp/crowd.* | grep -c "^HTTP/1.1 503" || true)
note "crowd: $refused refused, $n503 saw 503"
expect_eq "crowd refused" "$refused" "20"
expect_eq "crowd saw 503" "$n503" "20"
kill $holders 2>/dev/null || true
reap $holders
wait_until 30 conns_zero || fail "connections left: $(stat conn_active)"
expect_eq "capacity back" "$(status http://127.0.0.1/alpha.txt)" "200"
run_ok httpctl set max-conns 1000 header-timeout 10000
pool_idle app || fail "pool not idle: $(pool_line app)"
unload
note "faults injected: $faults (rounds $ROUNDS)"
exit 0
