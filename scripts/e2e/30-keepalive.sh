# SPDX-License-Identifier: GPL-2.0
# Keep-alive and pipelining: one connection serves many requests in order;
# HTTP/1.0 closes unless it asked for keep-alive; a request body we do not
# use (Content-Length, chunked, even on a GET) is skipped exactly, so the
# next pipelined request on the connection is read from the right byte.
. /khttp/lib.sh
serve_site
U=http://127.0.0.1
A=abcdefghijklmnopqrstuvwxyz
GET_A='GET /alpha.txt HTTP/1.1\r\nHost: x\r\n\r\n'
LAST='GET /data.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'

# curl fetching several URLs in one run reuses one connection.
before=$(stat conn_accepted)
err=$(curl -sv -o /dev/null -o /dev/null -o /dev/null \
	$U/alpha.txt $U/data.json $U/sub/ 2>&1 >/dev/null)
expect_match "curl reuse" "$err" "Re-using existing connection"
expect_eq "one connection" "$(($(stat conn_accepted) - before))" "1"
expect_eq "three answers" "$(echo "$err" | grep -c '^< HTTP/1.1 200')" "3"

# Pipelining: three requests in one send, three answers in order; the
# last asked to close, so the server closes (FIN: exit 0).
rc=0; out=$(printf "$GET_A"'GET /sub/index.html HTTP/1.1\r\nHost: x\r\n\r\n'"$LAST" |
	raw 127.0.0.1 80) || rc=$?
expect_eq "pipeline closes" "$rc" "0"
expect_eq "pipeline statuses" "$(statuses "$out")" "200 200 200 "
body=$(echo "$out" | tr -d '\r' | grep -vE '^[A-Za-z-]+: |^HTTP/|^$' | tr '\n' '|')
expect_eq "pipeline order" "$body" "${A}HTTP/1.1 200 OK|sub index|{\"a\":1}|"
expect_eq "only the last closes" "$(echo "$out" | grep -c 'Connection: close')" "1"

# The same, trickled a few bytes at a time: a request split anywhere.
rc=0; out=$(printf "$GET_A$GET_A$LAST" | raw 127.0.0.1 80 -c 7 -d 20) || rc=$?
expect_eq "trickled closes" "$rc" "0"
expect_eq "trickled statuses" "$(statuses "$out")" "200 200 200 "

# Keep-alive stays open after a response (rawhttp times out: exit 3).
rc=0; out=$(printf "$GET_A" | raw 127.0.0.1 80 -t 1500) || rc=$?
expect_eq "1.1 stays open" "$rc" "3"
expect_eq "1.1 status" "$(statuses "$out")" "200 "
expect_eq "1.1 no Connection" "$(echo "$out" | grep -c '^Connection:')" "0"

# HTTP/1.0 without keep-alive: answered, then closed.
rc=0; out=$(printf 'GET /alpha.txt HTTP/1.0\r\n\r\n' | raw 127.0.0.1 80) || rc=$?
expect_eq "1.0 closes" "$rc" "0"
expect_eq "1.0 status" "$(statuses "$out")" "200 "
expect_match "1.0 body" "$out" "$A"
expect_match "1.0 says close" "$out" "Connection: close"

# HTTP/1.0 asking for keep-alive keeps it, and says so.
rc=0; out=$(printf 'GET /alpha.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n' |
	raw 127.0.0.1 80 -t 1500) || rc=$?
expect_eq "1.0 keep-alive stays open" "$rc" "3"
expect_match "1.0 keep-alive header" "$out" "Connection: keep-alive"
rc=0; out=$(printf 'GET /alpha.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /data.json HTTP/1.0\r\n\r\n' |
	raw 127.0.0.1 80) || rc=$?
expect_eq "1.0 keep-alive then 1.0 closes" "$rc" "0"
expect_eq "1.0 keep-alive pipeline" "$(statuses "$out")" "200 200 "

# A POST with a Content-Length body to a static file: 405, the body is
# skipped, and the next request on the connection is answered.  The body
# looks like a request, to prove it is not parsed as one.
rc=0; out=$(printf 'POST /alpha.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 38\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n!!!!!!!'"$LAST" |
	raw 127.0.0.1 80) || rc=$?
expect_eq "CL body closes at the end" "$rc" "0"
expect_eq "CL body skipped" "$(statuses "$out")" "405 200 "
expect_match "CL body next" "$out" '\{"a":1\}'

# A body larger than one read, arriving in pieces.
big=$(head -c 40000 /dev/zero | tr '\0' 'x')
rc=0; out=$( (printf 'POST /alpha.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 40000\r\n\r\n'
	printf '%s' "$big"; printf "$LAST") | raw 127.0.0.1 80 -c 3000 -d 10) || rc=$?
expect_eq "big CL body closes" "$rc" "0"
expect_eq "big CL body skipped" "$(statuses "$out")" "405 200 "

# The same with a chunked body (with an extension and a trailer).
rc=0; out=$(printf 'POST /alpha.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n16\r\nGET /nope HTTP/1.1\r\n\r\n\r\n0\r\nX-Trailer: y\r\n\r\n'"$LAST" |
	raw 127.0.0.1 80) || rc=$?
expect_eq "chunked body closes at the end" "$rc" "0"
expect_eq "chunked body skipped" "$(statuses "$out")" "405 200 "
rc=0; out=$(printf 'POST /alpha.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n'"$LAST" |
	raw 127.0.0.1 80 -c 1 -d 5) || rc=$?
expect_eq "trickled chunked closes" "$rc" "0"
expect_eq "trickled chunked skipped" "$(statuses "$out")" "405 200 "

# A GET with a small body: served, body skipped, next request answered.
rc=0; out=$(printf 'GET /alpha.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc'"$LAST" |
	raw 127.0.0.1 80) || rc=$?
expect_eq "GET body closes at the end" "$rc" "0"
expect_eq "GET body" "$(statuses "$out")" "200 200 "
expect_match "GET body content" "$out" "$A"

# HEAD then GET on one connection: HEAD has no body to confuse the next.
out=$(printf 'HEAD /alpha.txt HTTP/1.1\r\nHost: x\r\n\r\n'"$LAST" | raw 127.0.0.1 80)
expect_eq "HEAD pipeline" "$(statuses "$out")" "200 200 "
expect_eq "HEAD no body" "$(echo "$out" | grep -c "$A")" "0"

# Connection: close, nothing more sent: closed at once, response whole.
rc=0; printf 'GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
	raw 127.0.0.1 80 -p 300 > /tmp/close.out || rc=$?
expect_eq "close: FIN" "$rc" "0"
expect_eq "close: all of it" "$(sed '1,/^\r$/d' /tmp/close.out | sha256sum)" \
	"$(sha256sum < /srv/www/big.bin)"
# ... but bytes after the request must not turn the close into a reset
# that destroys the response (lingering close), even for a slow reader.
rc=0; printf 'GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGARBAGE AFTER CLOSE\r\n' |
	raw 127.0.0.1 80 -p 300 > /tmp/close.out || rc=$?
expect_eq "close+extra: FIN, no reset" "$rc" "0"
expect_eq "close+extra: all of it" "$(sed '1,/^\r$/d' /tmp/close.out | sha256sum)" \
	"$(sha256sum < /srv/www/big.bin)"

# Memory between requests: an idle keep-alive connection keeps its
# request state (the khttp_request slab) for its next request until the
# connection's timer next expires, at most header-timeout after its last
# request; then it holds only the connection.
req_objs() {	# khttp_request objects in use, per-CPU slabs flushed first
	[ -e /sys/kernel/slab/khttp_request/shrink ] &&
		echo 1 > /sys/kernel/slab/khttp_request/shrink
	awk '$1 == "khttp_request" { print $2 }' /proc/slabinfo
}
run_ok httpctl set header-timeout 2000
r0=$(req_objs)
idleconns 127.0.0.1 80 100 /alpha.txt > /tmp/idle.out &
idlep=$!
wait_until 30 grep -q "ready 100" /tmp/idle.out || fail "idleconns: $(cat /tmp/idle.out)"
r1=$(req_objs)
echo "KHTTP-INFO: khttp_request objects: $r0 before, $r1 with 100 connections just answered"
[ "$((r1 - r0))" -ge 90 ] || fail "request state not kept between requests: $r0 -> $r1"
cooled() {
	[ "$(($(req_objs) - r0))" -le 10 ]
}
wait_until 10 cooled || fail "idle connections kept their request state: $r0 -> $(req_objs)"
expect_eq "idle connections still open" "$(stat conn_active)" "100"
# A cooled connection serves its next request as before.
expect_eq "after cooling" "$(curl -s $U/alpha.txt)" "$A"
kill $idlep
reap $idlep
run_ok httpctl set header-timeout 10000

# Nothing was left open.
sleep 1
expect_eq "no connections left" "$(stat conn_active)" "0"
unload
exit 0
