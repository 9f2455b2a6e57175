# SPDX-License-Identifier: GPL-2.0
# HTTPS: a "tls" listen entry hands each connection to the handshake
# agent (khttp-tlsd, through /dev/khttp-tls) and serves it over kTLS:
# curl with TLS 1.2 and 1.3 (ALPN http/1.1), a static file larger than
# 64 KiB byte for byte (pages into kTLS, in full 16 KiB records),
# keep-alive on one handshake, a dynamic answer from a pool worker.  No
# agent: the connection is closed after tls-handshake-timeout and
# counted.  Garbage or plaintext HTTP instead of a ClientHello: a clean
# close, never a plaintext answer, and the next client is served.  An
# agent that hands back a socket without kTLS, or goes away holding
# connections: closed, counted, nothing leaks.
# The entry's "tls" survives httpctl show | httpctl -b.
. /khttp/lib.sh
tls_site 300
# stat_is NAME VALUE: for wait_until, which must read the counter each try.
stat_is() { [ "$(stat "$1")" = "$2" ]; }

load
run_ok httpctl iplisten add 127.0.0.1:443 tls
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl route add / static /srv/tls
expect_match "list tls" "$(httpctl iplisten list)" "^127.0.0.1:443 tls$"
expect_match "list plain" "$(httpctl iplisten list)" "^127.0.0.1:80$"
expect_match "json" "$(httpctl -j iplisten list)" '"listen":"127.0.0.1:443","tls":true'
expect_match "show" "$(httpctl show)" "^iplisten add 127.0.0.1:443 tls$"
run_err httpctl iplisten add 127.0.0.1:8443 tls extra
run_err httpctl iplisten del 127.0.0.1:443 tls
expect_match "default timeout" "$(httpctl show config)" "tls-handshake-timeout 10000"
[ -c /dev/khttp-tls ] || fail "no /dev/khttp-tls"
expect_eq "device mode" "$(ls -ln /dev/khttp-tls | awk '{print $1, $3, $4}')" "crw------- 0 0"

# No agent: closed after the timeout (not before), counted.
run_ok httpctl set tls-handshake-timeout 3000
t0=$(stat tls_handshake_timeouts)
s=$(date +%s)
rc=0; $C -o /dev/null "$U/index.txt" || rc=$?
[ "$rc" != 0 ] || fail "served without an agent"
[ $(($(date +%s) - s)) -ge 2 ] || fail "closed before the handshake timeout"
wait_until 10 stat_is tls_handshake_timeouts $((t0 + 1)) ||
	fail "timeout not counted: $(stat tls_handshake_timeouts)"
# Over tls-handshake-max: closed at once, counted as failed.
run_ok httpctl set tls-handshake-max 1
rawhttp -t 30000 127.0.0.1 443 < /dev/null > /dev/null 2>&1 &
rh=$!
wait_until 10 stat_is conn_active 1 || fail "no waiting connection"
f0=$(stat tls_handshake_failed)
rc=0; rawhttp -t 2500 127.0.0.1 443 < /dev/null > /dev/null 2>&1 || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 4 ] || fail "a handshake over tls-handshake-max was not closed at once (rawhttp $rc)"
wait_until 10 stat_is tls_handshake_failed $((f0 + 1)) ||
	fail "over tls-handshake-max not counted"
reap $rh
wait_until 10 stat_is tls_handshake_timeouts $((t0 + 2)) ||
	fail "the waiting one did not time out"
run_ok httpctl set tls-handshake-max 1024
# Plaintext on the plain entry still works meanwhile.
expect_eq "plain entry" "$(curl -s --max-time 10 http://127.0.0.1/index.txt)" "hello over tls"
run_ok httpctl set tls-handshake-timeout 20000

# An agent that hands back a socket without kTLS: closed, never plaintext.
f0=$(stat tls_handshake_failed)
tlsfake plain 1 &
fk=$!
r=$(printf 'GET /index.txt HTTP/1.1\r\nHost: x\r\n\r\n' | rawhttp -t 15000 127.0.0.1 443) || true
reap $fk
expect_eq "no plaintext answer" "$r" ""
wait_until 10 stat_is tls_handshake_failed $((f0 + 1)) ||
	fail "no-kTLS hand-back not counted"
# An agent that goes away holding a connection: it is closed at once.
mkfifo /tmp/hold
tlsfake hold 1 < /tmp/hold > /tmp/hold.out &
fk=$!
exec 7> /tmp/hold
rawhttp -t 30000 127.0.0.1 443 < /dev/null > /dev/null 2>&1 7>&- &
rh=$!
wait_until 20 grep -q held /tmp/hold.out || fail "fake agent took nothing"
tlsfake busy || fail "a second agent could open the device"
s=$(date +%s)
exec 7>&-
reap $fk
rc=0; wait $rh || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 4 ] || fail "held connection not closed with the agent (rawhttp $rc)"
[ $(($(date +%s) - s)) -lt 15 ] || fail "held connection closed only by the timeout"
wait_until 10 stat_is tls_handshake_failed $((f0 + 2)) ||
	fail "agent exit not counted: $(stat tls_handshake_failed)"

# The real agent.
khttp-tlsd --cert /tmp/tls.crt --key /tmp/tls.key --user nobody -v 2> /tmp/tlsd.log &
agent=$!
wait_until 20 grep -q "ready on" /tmp/tlsd.log || fail "khttp-tlsd: $(cat /tmp/tlsd.log)"
h0=$(stat tls_handshakes)
out=$($C -v --tlsv1.3 "$U/index.txt" 2>/tmp/curl13.log) || fail "TLS 1.3: $(tail -3 /tmp/curl13.log) agent: $(cat /tmp/tlsd.log) alive: $(kill -0 $agent && echo yes)"
expect_eq "TLS 1.3 body" "$out" "hello over tls"
expect_match "TLS 1.3 used" "$(cat /tmp/curl13.log)" "SSL connection using TLSv1.3"
expect_match "ALPN" "$(cat /tmp/curl13.log)" "ALPN.*accepted.*http/1.1"
out=$($C -v --tlsv1.2 --tls-max 1.2 "$U/index.txt" 2>/tmp/curl12.log) || fail "TLS 1.2: $(tail -3 /tmp/curl12.log) agent: $(tail -4 /tmp/tlsd.log) $(httpctl stats | tr "\n" " ") $(dmesg | tail -3)"
expect_eq "TLS 1.2 body" "$out" "hello over tls"
expect_match "TLS 1.2 used" "$(cat /tmp/curl12.log)" "SSL connection using TLSv1.2 / ECDHE-ECDSA-AES128-GCM-SHA256"
expect_eq "handshakes counted" "$(stat tls_handshakes)" $((h0 + 2))
# Older protocols are refused.
rc=0; $C -o /dev/null --tlsv1.1 --tls-max 1.1 "$U/index.txt" 2>/dev/null || rc=$?
[ "$rc" != 0 ] || fail "TLS 1.1 accepted"
# A file larger than 64 KiB, by page reference into kTLS, byte for byte.
for v in "--tlsv1.2 --tls-max 1.2" "--tlsv1.3"; do
	# shellcheck disable=SC2086 # two words
	rc=0; $C -S $v -o /tmp/got.bin "$U/big.bin" 2> /tmp/curlbig.log || rc=$?
	expect_eq "big file $v ($rc: $(cat /tmp/curlbig.log), $(wc -c < /tmp/got.bin) bytes; $(dmesg | tail -3))" \
		"$(sha256sum < /tmp/got.bin)" "$want_big"
done
# Its pages fill whole 16 KiB records: "more follows" must keep kTLS's
# record open (on 6.1, MSG_SENDPAGE_NOTLAST; a page sent without it
# closes one, 75 records of 4 KiB for this file).  openssl s_client -msg
# prints each record's header, "17 03 03 LL LL" for application data
# (LL LL from 40 00 on: 16 KiB or more); it exits 1 when the server closes.
printf 'GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
	timeout 30 openssl s_client -connect 127.0.0.1:443 -quiet -msg \
		-msgfile /tmp/records.log > /dev/null 2>&1 || true
rec=$(grep -A1 '^<<< .*RecordHeader' /tmp/records.log |
	awk '$1 == "17" && $2 == "03" { a++; n += ($4 "") >= "40" }
	     END { print n + 0, a + 0 }')
echo "big file over TLS: of its records (full, all): $rec"
[ "${rec% *}" -ge 16 ] || fail "big file over TLS: $rec records of 16 KiB, all (want 16 or more full ones for its 300 KiB)"
got=$($C --tlsv1.3 -r 70000-209999 "$U/big.bin" | wc -c)
expect_eq "range over tls" "$got" "140000"
# Keep-alive: two requests, one connection, one handshake.
h0=$(stat tls_handshakes)
out=$($C -w '%{num_connects}\n' "$U/index.txt" "$U/index.txt")
expect_eq "keep-alive" "$(echo "$out" | tr '\n' ' ')" "hello over tls 1 hello over tls 0 "
expect_eq "one handshake" "$(stat tls_handshakes)" $((h0 + 1))
# A dynamic answer through a pool worker.
run_ok httpctl pool add app
run_ok httpctl route add /app/ pool app
httpq-hello -p app &
w=$!
wait_until 20 $C -o /dev/null "$U/app/x"
expect_match "pool over tls" "$($C "$U/app/hi")" "^hello from app"
r=$($C -d 'a=1' "$U/app/post" -o /dev/null -w '%{http_code}')
expect_eq "pool POST over tls" "$r" "200"
kill $w
reap $w
# Garbage, then plaintext HTTP, instead of a ClientHello: a clean close,
# no plaintext answer; the next client is served.
f0=$(stat tls_handshake_failed)
r=$(head -c 600 /dev/zero | tr '\0' Z | rawhttp -t 15000 127.0.0.1 443) || true
expect_eq "garbage: nothing back" "$r" ""
r2=$(printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | rawhttp -t 15000 127.0.0.1 443) || true
echo "$r2" | grep -q "HTTP/1" && fail "plaintext answer on a TLS entry"
wait_until 10 stat_is tls_handshake_failed $((f0 + 2)) ||
	fail "garbage not counted as failed: $(stat tls_handshake_failed)"
expect_eq "served after garbage" "$($C "$U/index.txt")" "hello over tls"
# The agent's restart picks up new connections.
kill $agent
reap $agent
khttp-tlsd --cert /tmp/tls.crt --key /tmp/tls.key 2> /tmp/tlsd2.log &
agent=$!
wait_until 20 grep -q "ready on" /tmp/tlsd2.log || fail "restart: $(cat /tmp/tlsd2.log)"
expect_eq "after restart" "$($C "$U/index.txt")" "hello over tls"
# A key that does not match its certificate is refused at start.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-keyout /tmp/other.key -out /tmp/other.crt -days 2 -subj /CN=x 2>/dev/null
rc=0; khttp-tlsd --cert /tmp/tls.crt --key /tmp/other.key 2> /tmp/bad.log || rc=$?
[ "$rc" != 0 ] || fail "mismatched key accepted"
expect_match "mismatch said" "$(cat /tmp/bad.log)" "mismatch|does not match"

# --workers 2: two handshake loops on the one device; when one dies the
# other is stopped too, so the device closes (what they held fails at once).
kill $agent
reap $agent
khttp-tlsd --cert /tmp/tls.crt --key /tmp/tls.key --workers 2 2> /tmp/tlsd3.log &
agent=$!
readies() { [ "$(grep -c "ready on" /tmp/tlsd3.log)" = 2 ]; }
wait_until 20 readies || fail "workers: $(cat /tmp/tlsd3.log)"
for i in 1 2 3 4; do
	expect_eq "workers $i" "$($C "$U/index.txt")" "hello over tls"
done
# The workers share the ticket keys: a ticket resumes whichever worker
# takes the next handshake (with a key each, about half would not).
sc13() {
	printf 'GET /index.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
		timeout 30 openssl s_client -connect 127.0.0.1:443 -tls1_3 \
			-CAfile /tmp/tls.crt -ign_eof "$@" 2>&1 || true
}
sc13 -sess_out /tmp/w.sess > /dev/null
reused=0
for i in 1 2 3 4 5 6 7 8; do
	sc13 -sess_in /tmp/w.sess | grep -q "^Reused, TLSv1.3" && reused=$((reused + 1))
done
expect_eq "workers resume each other's tickets" "$reused" 8
w=$(cat /proc/[0-9]*/stat 2>/dev/null | awk -v pp=$agent '$4 == pp { print $1; exit }')
[ -n "$w" ] || fail "no worker processes"
kill -9 "$w"
gone() {	# exited (a zombie until reaped)
	! kill -0 $agent 2>/dev/null ||
		[ "$(awk '{ print $3 }' /proc/$agent/stat 2>/dev/null)" = Z ]
}
wait_until 10 gone || fail "one worker's exit did not stop the agent"
reap $agent
rc=0; $C -o /dev/null --max-time 5 "$U/index.txt" || rc=$?
[ "$rc" != 0 ] || fail "served with every worker gone"
khttp-tlsd --cert /tmp/tls.crt --key /tmp/tls.key 2> /tmp/tlsd4.log &
agent=$!
wait_until 20 grep -q "ready on" /tmp/tlsd4.log || fail "after workers: $(cat /tmp/tlsd4.log)"
expect_eq "after workers" "$($C "$U/index.txt")" "hello over tls"

# The configuration round trip keeps the entry's "tls".
httpctl show > /tmp/khttp.conf
kill $agent
reap $agent
run_ok httpctl pool del app force
unload
load
run_ok httpctl -b /tmp/khttp.conf
expect_match "restored tls" "$(httpctl iplisten list)" "^127.0.0.1:443 tls$"
expect_match "restored timeout" "$(httpctl show config)" "tls-handshake-timeout 20000"
# A batch refused midway undoes its "iplisten del" with the "tls" it had.
printf 'iplisten del 127.0.0.1:443\nroute add /x/ pool nosuchpool\n' > /tmp/bad.conf
run_err httpctl -b /tmp/bad.conf
expect_match "rollback keeps tls" "$(httpctl iplisten list)" "^127.0.0.1:443 tls$"
# An agent's open device pins the module; a connection waiting for an
# agent does not: rmmod closes it.
mkfifo /tmp/hold2
tlsfake hold 0 < /tmp/hold2 > /tmp/hold2.out &
fk=$!
exec 7> /tmp/hold2
wait_until 20 grep -q held /tmp/hold2.out || fail "fake agent did not start"
rmmod khttp 2>/dev/null && fail "rmmod with the agent's device open"
exec 7>&-
reap $fk
rawhttp -t 20000 127.0.0.1 443 < /dev/null > /dev/null 2>&1 &
rh=$!
wait_until 10 stat_is conn_active 1 || fail "no waiting connection"
unload
rc=0; wait $rh || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 4 ] || fail "waiting connection not closed by rmmod (rawhttp $rc)"
exit 0
