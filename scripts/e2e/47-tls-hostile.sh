# SPDX-License-Identifier: GPL-2.0
# HTTPS against hostile clients (tlshostile, rawhttp): each case ends in a
# clean close or an alert, never a hang or a plaintext answer, and the
# next client is served.  Truncated and byte-at-a-time ClientHellos do not
# stall the agent's one event loop (a normal client completes while they
# are open) and the handshake timeout closes them, counted.  SSLv3, TLS
# 1.0 and 1.1 are refused with an alert.  After the hand-back, a TLS 1.2
# renegotiation, a TLS 1.3 KeyUpdate (kTLS on 6.1 and 6.12 cannot rekey
# its receive side), a close_notify, a fatal alert, a truncated or a
# corrupt record: closed.  A reset during the handshake leaks nothing.
# The agent killed under load: handshakes in flight close, established
# connections finish, a new agent takes over.  rmmod under TLS load.
. /khttp/lib.sh
tls_site 2048
stat_is() { [ "$(stat "$1")" = "$2" ]; }
H="tlshostile session 127.0.0.1 443"
served() { [ "$($C "$U/index.txt")" = "hello over tls" ]; }
agent_start() {
	khttp-tlsd --cert /tmp/tls.crt --key /tmp/tls.key -v 2> "$1" &
	agent=$!
	wait_until 20 grep -q "ready on" "$1" || fail "khttp-tlsd: $(cat "$1")"
}
tlshostile hello > /tmp/hello.bin
[ "$(wc -c < /tmp/hello.bin)" -gt 100 ] || fail "no ClientHello"

load
run_ok httpctl iplisten add 127.0.0.1:443 tls
run_ok httpctl route add / static /srv/tls
run_ok httpctl set tls-handshake-timeout 4000
agent_start /tmp/tlsd.log
served || fail "first client"

# Truncated and slow ClientHellos: the agent keeps serving meanwhile, the
# kernel's timeout closes them, counted.
t0=$(stat tls_handshake_timeouts)
pids=
for i in 1 2 3 4; do
	head -c 60 /tmp/hello.bin | rawhttp -t 30000 127.0.0.1 443 > /tmp/trunc$i.out 2>&1 &
	pids="$pids $!"
	rawhttp -c 1 -d 300 -t 30000 127.0.0.1 443 < /tmp/hello.bin > /tmp/slow$i.out 2>&1 &
	pids="$pids $!"
done
wait_until 20 stat_is conn_active 8 || fail "slow handshakes not open: $(stat conn_active)"
s=$(date +%s)
served || fail "a normal client waited behind slow handshakes"
[ $(($(date +%s) - s)) -lt 4 ] || fail "a normal client took the handshake timeout"
[ "$(stat conn_active)" -ge 8 ] || fail "slow handshakes closed before the normal client"
for p in $pids; do
	rc=0; wait "$p" || rc=$?
	[ "$rc" = 0 ] || [ "$rc" = 4 ] || fail "slow handshake not closed (rawhttp $rc)"
done
for f in /tmp/trunc*.out /tmp/slow*.out; do
	grep -q "HTTP/1" "$f" && fail "plaintext answer to a slow handshake"
done
[ $(($(date +%s) - s)) -lt 20 ] || fail "slow handshakes closed late"
wait_until 10 stat_is tls_handshake_timeouts $((t0 + 8)) ||
	fail "slow handshakes not counted: $(stat tls_handshake_timeouts)"
wait_until 10 stat_is conn_active 0 || fail "connections left: $(stat conn_active)"
served || fail "served after slow handshakes"

# Old protocols offered alone: a protocol_version alert (70); OpenSSL,
# built without SSLv3, answers that one with handshake_failure (40).
expect_match "SSLv3" "$(tlshostile proto 127.0.0.1 443 0300)" "^alert (40|70)$"
for v in 0301 0302; do
	expect_eq "version $v" "$(tlshostile proto 127.0.0.1 443 $v)" "alert 70"
done
served || fail "served after old protocols"

# After the hand-back the kernel's kTLS sees the records: anything but
# application data closes the connection (no rekeying, no renegotiation).
run_ok httpctl set idle-timeout 4000
for c in "1.2 reneg" "1.3 keyupdate" "1.3 keyupdate-req" "1.2 close-notify" \
	"1.3 close-notify" "1.3 close-notify-mid" "1.2 fatal" "1.2 trunc" \
	"1.3 trunc" "1.3 badrec"; do
	s=$(date +%s)
	# shellcheck disable=SC2086 # version and action
	r=$($H $c 2> /tmp/h.err) || fail "$c: client: $(cat /tmp/h.err)"
	case "$r" in
	eof|reset|"alert "*) ;;
	*) fail "$c: $r" ;;
	esac
	echo "# $c: $r after $(($(date +%s) - s)) s"
	wait_until 10 stat_is conn_active 0 || fail "$c: left open"
	served || fail "served after $c"
done

# A reset during the handshake: right after the ClientHello, and once the
# agent has answered it.
a0=$(stat conn_accepted)
for i in 1 2 3; do
	rawhttp -r 127.0.0.1 443 < /tmp/hello.bin > /dev/null 2>&1 || true
	rawhttp -R 1 -t 10000 127.0.0.1 443 < /tmp/hello.bin > /dev/null 2>&1 || true
done
wait_until 10 stat_is conn_active 0 || fail "reset handshakes left: $(stat conn_active)"
served || fail "served after resets"

# The agent killed under load: established connections (a slow download,
# then a second request on the same connection) finish; the handshakes it
# held close at once; a new agent serves.  (An idle timeout longer than
# curl's rate-limited read of what khttp has long sent.)
run_ok httpctl set idle-timeout 30000
$C --limit-rate 400k -o /tmp/ka1.bin -o /tmp/ka2.txt -w '%{num_connects}\n' \
	"$U/big.bin" "$U/index.txt" > /tmp/ka.out 2> /tmp/ka.err &
ka=$!
(while :; do $C -o /dev/null "$U/index.txt" || true; done) > /dev/null 2>&1 &
loop=$!
rawhttp -c 1 -d 300 -t 30000 127.0.0.1 443 < /tmp/hello.bin > /dev/null 2>&1 &
sl=$!
wait_until 20 test -s /tmp/ka1.bin || fail "download did not start"
sleep 1
s=$(date +%s)
kill -9 $agent
reap $agent
rc=0; wait $sl || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 4 ] || fail "held handshake not closed with the agent (rawhttp $rc)"
[ $(($(date +%s) - s)) -lt 4 ] || fail "held handshake closed only by the timeout"
agent_start /tmp/tlsd2.log
rc=0; wait $ka || rc=$?
[ "$rc" = 0 ] || fail "established download cut by the agent's death ($rc: $(cat /tmp/ka.err))"
expect_eq "download intact" "$(sha256sum < /tmp/ka1.bin)" "$want_big"
expect_eq "keep-alive after the agent's death" "$(cat /tmp/ka2.txt)" "hello over tls"
expect_eq "one connection" "$(tr '\n' ' ' < /tmp/ka.out)" "1 0 "
kill $loop
reap $loop
served || fail "served by the new agent"
wait_until 20 stat_is conn_active 0 || fail "connections left: $(stat conn_active)"
acc=$(stat conn_accepted) ok=$(stat tls_handshakes)
bad=$(stat tls_handshake_failed) to=$(stat tls_handshake_timeouts)
ref=$(stat conn_refused)
expect_eq "every connection accounted for ($ok ok $bad failed $to timed out $ref refused)" \
	$((ok + bad + to + ref)) "$acc"

# rmmod under load: kTLS downloads mid-transfer, handshakes waiting; the
# agent's open device pins the module, so it goes first.
run_ok httpctl set tls-handshake-timeout 30000
pids=
for i in 1 2 3; do
	$C --limit-rate 50k -o /tmp/rm$i.bin "$U/big.bin" > /dev/null 2>&1 &
	pids="$pids $!"
done
for i in 1 2 3; do
	wait_until 30 test -s /tmp/rm$i.bin || fail "download $i did not start"
done
kill $agent
reap $agent
for i in 1 2; do
	rawhttp -c 1 -d 300 -t 30000 127.0.0.1 443 < /tmp/hello.bin > /dev/null 2>&1 &
	pids="$pids $!"
done
wait_until 10 stat_is conn_active 5 ||
	fail "not 5 connections: $(httpctl stats | tr '\n' ' ') $(ls -l /tmp/rm*.bin)"
unload
for p in $pids; do
	reap "$p"
done
[ -e /sys/module/khttp ] && fail "khttp still loaded"
# At least one was still transferring (a slow kernel may finish one).
cut=0
for i in 1 2 3; do
	[ "$(wc -c < /tmp/rm$i.bin)" -lt 2097152 ] && cut=$((cut + 1))
done
# Not yet an assertion: on K=debug all three finished first (see the report).
[ "$cut" -gt 0 ] || echo "# note: no download was mid-transfer at rmmod"
exit 0
