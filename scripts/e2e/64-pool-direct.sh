# SPDX-License-Identifier: GPL-2.0
# A worker's answer leaves from its own write() and the connection's work
# item finishes the request when the client's next request comes, or on a
# timer if the client pauses: keep-alive requests with pauses between
# them, pipelined ones, an idle client (logged with its answer's time, not
# the timer's), a paced route (answers go through the connection) and the
# byte and status counters must all still hold.
. /khttp/lib.sh
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl pool add app
run_ok httpctl route add /app/ pool app
run_ok httpctl route add /slow/ pool app max-bandwidth 64K
httpq-hello -p app > /dev/null &
w=$!
sleep 0.5

# Three requests on one connection, 300 ms apart: each answer is finished
# by the timer before the next request arrives.
req='GET /app/k HTTP/1.1\r\nHost: x\r\n\r\n'
n=$(printf "$req" | wc -c)
r=$( (printf "$req$req"; printf 'GET /app/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n') |
	raw 127.0.0.1 80 -c "$n" -d 300 -t 10000)
expect_eq "paused keep-alive" "$(statuses "$r")" "200 200 200 "
expect_eq "three bodies" "$(echo "$r" | grep -c '^hello from app')" "3"

# Pipelined: all three in one segment, answered in order.
r=$( (printf "$req$req"; printf 'GET /app/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n') |
	raw 127.0.0.1 80 -t 10000)
expect_eq "pipelined" "$(statuses "$r")" "200 200 200 "
nums=$(echo "$r" | sed -n 's/^hello from app #\([0-9]*\) .*/\1/p' | tr '\n' ' ')
set -- $nums
[ $# = 3 ] && [ "$1" -lt "$2" ] && [ "$2" -lt "$3" ] ||
	fail "pipelined answers out of order: $nums"

# A client that stays quiet after its answer: the request is still
# finished (counted answered, its bytes counted) while the connection is
# open, and the connection then serves another request.
# Its access-log time is the answer's, not the finishing timer's (250 ms).
httpctl -j log > /tmp/pd-log.json 2>&1 &
lg=$!
sleep 0.3
before=$(stat bytes_out)
rc=0; printf 'GET /app/quiet HTTP/1.1\r\nHost: x\r\n\r\n' |
	raw 127.0.0.1 80 -t 1500 > /tmp/idle.out || rc=$?
expect_eq "idle client's connection stays open" "$rc" "3"
expect_eq "idle client answered" "$(statuses "$(cat /tmp/idle.out)")" "200 "
after=$(stat bytes_out)
[ "$after" -ge $((before + $(wc -c < /tmp/idle.out))) ] ||
	fail "bytes_out $before -> $after for $(wc -c < /tmp/idle.out) bytes"
wait_until 10 grep -q '"target":"/app/quiet"' /tmp/pd-log.json ||
	fail "no log record for the idle client: $(cat /tmp/pd-log.json)"
us=$(grep '"target":"/app/quiet"' /tmp/pd-log.json |
	sed -n 's/.*"duration_us":\([0-9]*\).*/\1/p')
[ -n "$us" ] && [ "$us" -lt 200000 ] ||
	fail "idle client's logged time ${us:-?} us includes the finishing timer"
kill $lg

# A paced route: the connection sends, through the route's cap.
r=$(curl -s --max-time 10 http://127.0.0.1/slow/x http://127.0.0.1/slow/y)
expect_eq "paced answers" "$(echo "$r" | grep -c '^hello from app')" "2"

# Many at once (each answer from some worker's write), nothing lost.
httpq-hello -p app > /dev/null &
w2=$!
sleep 0.3
i=0
while [ $i -lt 8 ]; do
	(for j in 1 2 3 4 5; do
		curl -s --max-time 10 http://127.0.0.1/app/$i/$j http://127.0.0.1/app/$i/$j/b
	done) > /tmp/par.$i &
	i=$((i + 1))
done
wait_until 60 sh -c '[ "$(cat /tmp/par.* | grep -c "^hello from app")" = 80 ]' ||
	fail "parallel: $(cat /tmp/par.* | grep -c '^hello from app') of 80 answers"
# The pool's counters: 89 requests went to it (3 paused, 3 pipelined,
# 1 idle, 2 paced, 80 parallel), every one queued and answered.
# (`pool list` prints each pool's counters on the line after it.)
# An answer whose client went quiet is counted when the timer finishes it.
pool_counts() {
	s=$(httpctl pool list | sed -n '/^app /{n;p;}')
	q=$(echo "$s" | sed -n 's/.* queued \([0-9]*\) .*/\1/p')
	a=$(echo "$s" | sed -n 's/.* answered \([0-9]*\) .*/\1/p')
}
all_answered() { pool_counts; [ -n "$q" ] && [ "$a" = "$q" ]; }
wait_until 10 all_answered || true
pool_counts
expect_match "queued counter ($s)" "$q" '^[0-9]+$'
[ "$q" -ge 89 ] || fail "queued counter $q, want at least 89: $s"
expect_eq "all answered" "$a" "$q"
kill $w $w2
wait 2>/dev/null
run_ok httpctl route del /slow/
run_ok httpctl route del /app/
run_ok httpctl pool del app
unload
exit 0
