# SPDX-License-Identifier: GPL-2.0
# Hostile clients, each followed by a normal request that must succeed: a
# client that half-closes (shutdown SHUT_WR) after a complete request still
# gets its answer, static or from a worker; a client that resets in the
# middle of a several-MiB static answer leaks no connection and the next
# client gets the whole file; authority-form targets (GET host:port, and
# CONNECT, which khttp does not tunnel) are refused with 400; over-long and
# malformed chunk extensions in a chunked body are 400 (RFC 9112 7.1.1),
# well-formed ones are accepted.
. /khttp/lib.sh
serve_site
run_ok httpctl pool add app
run_ok httpctl route add /app/ pool app
httpq-echo -p app > /dev/null &
w=$!
U=http://127.0.0.1
A=abcdefghijklmnopqrstuvwxyz
LAST='GET /alpha.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'

# normal WHAT: a fresh client is served, static and by the worker.
normal() {
	expect_eq "$1, then static" "$(curl -s --max-time 10 $U/alpha.txt)" "$A"
	expect_match "$1, then the worker" \
		"$(curl -s --max-time 10 -d 'x=1' $U/app/after)" "x=1"
}

# 1. Half-close after a complete request: the answer still comes, whole,
#    and the server then closes its side too (FIN).
rc=0; out=$(printf 'GET /alpha.txt HTTP/1.1\r\nHost: x\r\n\r\n' |
	raw 127.0.0.1 80 -H -t 10000) || rc=$?
expect_eq "half-close static" "$(statuses "$out")" "200 "
expect_match "half-close static body" "$out" "$A"
expect_eq "half-close static: FIN" "$rc" "0"
rc=0; printf 'GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n' |
	raw 127.0.0.1 80 -H -t 20000 > /tmp/half.out || rc=$?
expect_eq "half-close big: FIN" "$rc" "0"
expect_eq "half-close big: all of it" "$(sed '1,/^\r$/d' /tmp/half.out | sha256sum)" \
	"$(sha256sum < /srv/www/big.bin)"
rc=0; out=$(printf 'POST /app/half HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nhalf=body' |
	raw 127.0.0.1 80 -H -t 10000) || rc=$?
expect_eq "half-close worker" "$(statuses "$out")" "200 "
expect_match "half-close worker body" "$out" "half=body"
expect_eq "half-close worker: FIN" "$rc" "0"
# Two pipelined requests, then the half-close: both answered, in order.
rc=0; out=$(printf 'GET /alpha.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /data.json HTTP/1.1\r\nHost: x\r\n\r\n' |
	raw 127.0.0.1 80 -H -t 10000) || rc=$?
expect_eq "half-close pipelined" "$(statuses "$out")" "200 200 "
expect_match "half-close pipelined last" "$out" '\{"a":1\}'
expect_eq "half-close pipelined: FIN" "$rc" "0"
normal "half-close"

# 2. Reset in the middle of a large static answer (8 MiB, far more than
#    the socket buffers hold): fast and slow readers, a few times each.
#    Nothing is left open, and the next client gets every byte.
dd if=/dev/urandom of=/srv/www/huge.bin bs=1M count=8 2>/dev/null
chmod a+r /srv/www/huge.bin
sum=$(sha256sum < /srv/www/huge.bin)
for i in 1 2 3; do
	for args in "-R 100000" "-R 1000000" "-p 500 -R 300000"; do
		rc=0; printf 'GET /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n' |
			raw 127.0.0.1 80 $args -t 20000 > /tmp/rst.out || rc=$?
		expect_eq "reset mid-answer ($args): rawhttp" "$rc" "0"
		expect_eq "reset mid-answer ($args): status" \
			"$(first_line "$(head -c 200 /tmp/rst.out)")" "HTTP/1.1 200 OK"
		n=$(wc -c < /tmp/rst.out)
		[ "$n" -lt 8000000 ] || fail "reset mid-answer ($args): got all $n bytes first"
	done
done
conns_zero() { [ "$(stat conn_active)" = 0 ]; }
wait_until 20 conns_zero || fail "connections left after the resets: $(stat conn_active)"
curl -s -o /tmp/huge.out --max-time 30 $U/huge.bin
expect_eq "after the resets: the whole file" "$(sha256sum < /tmp/huge.out)" "$sum"
rm -f /srv/www/huge.bin /tmp/huge.out
normal "reset mid-answer"

# bad NAME WANT FORMAT: printf FORMAT, then a normal request on the same
# connection: exactly one answer, WANT, saying it closes, then a FIN; and
# a fresh client is served.
bad() {
	rc=0; out=$(printf "$3$LAST" | raw 127.0.0.1 80 -t 10000) || rc=$?
	expect_eq "$1" "$(statuses "$out")" "$2 "
	expect_eq "$1: closed by FIN" "$rc" "0"
	expect_match "$1: says close" "$out" "Connection: close"
	normal "$1"
}

# 3. Authority-form targets: only CONNECT may use one, and khttp is no
#    proxy: 400 for both.
bad "GET authority-form" 400 'GET www.example.com:80 HTTP/1.1\r\nHost: www.example.com\r\n\r\n'
bad "HEAD authority-form" 400 'HEAD 127.0.0.1:80 HTTP/1.1\r\nHost: x\r\n\r\n'
bad "POST authority-form" 400 'POST www.example.com:80 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'
bad "CONNECT" 400 'CONNECT www.example.com:443 HTTP/1.1\r\nHost: www.example.com:443\r\n\r\n'
bad "CONNECT to a local port" 400 'CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n'
bad "CONNECT origin-form" 400 'CONNECT / HTTP/1.1\r\nHost: x\r\n\r\n'
bad "CONNECT no port" 400 'CONNECT www.example.com HTTP/1.1\r\nHost: www.example.com\r\n\r\n'

# 4. Chunk extensions in a body a worker is to get (a pool route reads the
#    whole body before queueing it): RFC 9112 7.1.1 syntax, at most 1024
#    bytes of them per chunk.
CH='POST /app/chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'
# ok NAME CHUNKS: accepted; the worker gets the decoded body "hello".
ok() {
	rc=0; out=$(printf "$CH$2$LAST" | raw 127.0.0.1 80 -t 10000) || rc=$?
	expect_eq "$1" "$(statuses "$out")" "200 200 "
	expect_match "$1: body" "$out" "hello"
	expect_eq "$1: closes when asked" "$rc" "0"
}
ok "chunk ext" '5;a=b\r\nhello\r\n0\r\n\r\n'
ok "chunk ext quoted" '5;a="x y;z\\"q"\r\nhello\r\n0\r\n\r\n'
ok "chunk ext several, BWS" '5 ; a = b ;c\r\nhello\r\n0;d\r\n\r\n'
e1000=$(head -c 1000 /dev/zero | tr '\0' e)
ok "chunk ext of 1000 bytes" "5;$e1000=1\r\nhello\r\n0\r\n\r\n"
bad "chunk ext over 1024 bytes" 400 "$CH""5;$e1000$e1000=1\r\nhello\r\n0\r\n\r\n"
bad "chunk ext value over 1024 bytes" 400 "$CH""5;a=$e1000$e1000\r\nhello\r\n0\r\n\r\n"
bad "chunk ext huge" 400 "$CH""5;$e1000$e1000$e1000$e1000$e1000$e1000$e1000$e1000\r\nhello\r\n0\r\n\r\n"
bad "chunk ext empty (2;)" 400 "$CH"'2;\r\nhi\r\n0\r\n\r\n'
bad "chunk ext unterminated quote" 400 "$CH"'5;a="abc\r\nhello\r\n0\r\n\r\n'
bad "chunk ext empty value" 400 "$CH"'5;a=\r\nhello\r\n0\r\n\r\n'
bad "chunk ext stray character" 400 "$CH"'5;a=b c\r\nhello\r\n0\r\n\r\n'
bad "chunk ext bare LF" 400 "$CH"'5;a=b\nhello\r\n0\r\n\r\n'
bad "chunk ext NUL" 400 "$CH"'5;a\000=b\r\nhello\r\n0\r\n\r\n'
bad "chunk ext on the last chunk" 400 "$CH"'5\r\nhello\r\n0;"\r\n\r\n'

# Nothing reached the worker but the good requests, nothing was left
# open, and the server is healthy.
expect_match "pool idle" "$(httpctl pool list | grep '^app ')" " queued 0 in-hand 0 "
wait_until 20 conns_zero || fail "connections left: $(stat conn_active)"
kill $w
reap $w
run_ok httpctl route del /app/
run_ok httpctl pool del app
expect_eq "healthy" "$(status $U/alpha.txt)" "200"
unload
exit 0
