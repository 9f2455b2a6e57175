# SPDX-License-Identifier: GPL-2.0
# Timeouts: the header timeout is one deadline for the whole head from its
# first byte (a slowloris client trickling bytes gets 408 and a close after
# it, not when it finishes), also for a client that sends nothing; the idle
# timeout closes a quiet keep-alive connection but not a busy one, and a
# stalled reader; `httpctl show config` reflects the settings and
# `httpctl stats` counts every timeout.
. /khttp/lib.sh
serve_site
U=http://127.0.0.1

# Milliseconds since boot, to 10 ms (busybox date has no %N).
ms() {
	read -r up _ < /proc/uptime
	echo $((${up%.*} * 1000 + 1${up#*.} * 10 - 1000))
}
# within WHAT START LO HI: the time since START is in [LO, HI] ms.
within() {
	el=$(($(ms) - $2))
	[ $el -ge $3 ] && [ $el -le $4 ] || fail "$1: took $el ms, want $3..$4"
}

run_ok httpctl set header-timeout 1000 idle-timeout 1500
cfg=$(httpctl show config)
expect_match "config header-timeout" "$cfg" " header-timeout 1000( |$)"
expect_match "config idle-timeout" "$cfg" " idle-timeout 1500( |$)"
expect_match "config json" "$(httpctl -j show config)" '"header_timeout_ms": ?1000'
t0=$(stat conn_timeout)

# Slowloris: a 27-byte head, one byte every 400 ms (~11 s if let finish).
# Each byte comes well within the timeout, so only an absolute deadline
# stops it: 408 and a FIN after about 1 s.
s=$(ms)
rc=0; out=$(printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | raw 127.0.0.1 80 -c 1 -d 400 -t 10000) || rc=$?
within "slowloris" $s 900 5000
expect_eq "slowloris status" "$(statuses "$out")" "408 "
expect_eq "slowloris closed by FIN" "$rc" "0"
expect_match "slowloris says close" "$out" "Connection: close"

# Faster trickle, longer head: still cut at the same deadline.
s=$(ms)
rc=0; out=$(printf 'GET /alpha.txt HTTP/1.1\r\nHost: x\r\nUser-Agent: slow\r\n\r\n' |
	raw 127.0.0.1 80 -c 1 -d 150 -t 10000) || rc=$?
within "trickle" $s 900 5000
expect_eq "trickle status" "$(statuses "$out")" "408 "
expect_eq "trickle closed by FIN" "$rc" "0"

# Connect and send nothing: closed (silently) after the header timeout.
s=$(ms)
rc=0; out=$(raw 127.0.0.1 80 -t 10000 < /dev/null) || rc=$?
within "silent client" $s 900 5000
expect_eq "silent client closed by FIN" "$rc" "0"
expect_eq "silent client gets nothing" "$out" ""

# One request, then quiet: open for the idle timeout, then closed.
rc=0; out=$(printf 'GET /alpha.txt HTTP/1.1\r\nHost: x\r\n\r\n' | raw 127.0.0.1 80 -t 1000) || rc=$?
expect_eq "idle still open at 1 s" "$rc" "3"
s=$(ms)
rc=0; out=$(printf 'GET /alpha.txt HTTP/1.1\r\nHost: x\r\n\r\n' | raw 127.0.0.1 80 -t 10000) || rc=$?
within "idle keep-alive" $s 1400 5000
expect_eq "idle keep-alive answered" "$(statuses "$out")" "200 "
expect_eq "idle keep-alive closed by FIN" "$rc" "0"

# A second request that starts and stalls: the header timeout, with a 408.
s=$(ms)
rc=0; out=$(printf 'GET /alpha.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /alpha.txt HTTP/1.1\r\n' |
	raw 127.0.0.1 80 -t 10000) || rc=$?
within "stalled second head" $s 900 5000
expect_eq "stalled second head" "$(statuses "$out")" "200 408 "
expect_eq "stalled second head closed by FIN" "$rc" "0"

# A busy keep-alive connection outlives both timeouts: four requests
# 700 ms apart (2.1 s in all), each one restarting the idle clock.
R='GET /alpha.txt HTTP/1.1\r\nHost: x\r\nX-Pad: 1234567890\r\n\r\n'
C='GET /alpha.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
n=$(printf "$R" | wc -c)
expect_eq "same length" "$(printf "$C" | wc -c)" "$n"
rc=0; out=$(printf "$R$R$R$C" | raw 127.0.0.1 80 -c $n -d 700 -t 10000) || rc=$?
expect_eq "busy keep-alive" "$(statuses "$out")" "200 200 200 200 "
expect_eq "busy keep-alive closed when asked" "$rc" "0"

expect_eq "timeouts counted" "$(($(stat conn_timeout) - t0))" "5"

# A client that stops reading a big response is dropped after the idle
# timeout instead of holding the connection forever.
dd if=/dev/zero of=/srv/www/huge.bin bs=1M count=16 2>/dev/null
chmod 644 /srv/www/huge.bin
t0=$(stat conn_timeout)
out=$(printf 'GET /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n' |
	raw 127.0.0.1 80 -p 4000 -t 10000 | wc -c)
[ "$out" -lt 16000000 ] || fail "stalled reader: got $out bytes, want a cut"
expect_eq "stalled reader timed out" "$(($(stat conn_timeout) - t0))" "1"
rm /srv/www/huge.bin

# Normal service at the short timeouts.
expect_eq "still serving" "$(status $U/alpha.txt)" "200"
sleep 2
expect_eq "no connections left" "$(stat conn_active)" "0"
unload
exit 0
