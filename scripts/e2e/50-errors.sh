# SPDX-License-Identifier: GPL-2.0
# Malformed and hostile requests get the exact status and then a closed
# connection (FIN, not a reset, so the answer is not lost): syntax errors,
# smuggling shapes (CL+TE, differing CL, bad chunks, obs-fold, bare CR/LF),
# size limits (414, 431, 413), unknown methods and codings (501), bad
# Expect (417), bad versions (505).  Ordinary 4xx/3xx answers (404, 405,
# 304, 416, 301) keep a keep-alive connection open.
. /khttp/lib.sh
serve_site
U=http://127.0.0.1
H='Host: x\r\n'
LAST='GET /alpha.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'

# bad NAME WANT FORMAT [rawhttp args]: printf FORMAT, then a normal request
# on the same connection.  Exactly one answer, WANT, saying it closes, then
# a FIN (exit 0).
bad() {
	name=$1 want=$2 fmt=$3
	shift 3
	rc=0; out=$(printf "$fmt$LAST" | raw 127.0.0.1 80 "$@") || rc=$?
	expect_eq "$name" "$(statuses "$out")" "$want "
	expect_eq "$name: closed by FIN" "$rc" "0"
	expect_match "$name: says close" "$out" "Connection: close"
}

bad "garbage line" 400 'garbage\r\n\r\n'
bad "binary garbage" 400 '\026\003\001\000\001\001\000\r\n\r\n'
bad "no version" 400 'GET /\r\n'"$H"'\r\n'
bad "two spaces" 400 'GET  / HTTP/1.1\r\n'"$H"'\r\n'
bad "tab in request line" 400 'GET\t/ HTTP/1.1\r\n'"$H"'\r\n'
bad "lowercase version" 400 'GET / http/1.1\r\n'"$H"'\r\n'
bad "HTTP/2.0" 505 'GET / HTTP/2.0\r\n'"$H"'\r\n'
bad "HTTP/1.2" 505 'GET / HTTP/1.2\r\n'"$H"'\r\n'
bad "HTTP/0.9 style" 400 'GET /\r\n\r\n'
bad "no Host" 400 'GET / HTTP/1.1\r\n\r\n'
bad "two Host" 400 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'
bad "two equal Host" 400 'GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n'
bad "bad Host" 400 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n'
bad "userinfo Host" 400 'GET / HTTP/1.1\r\nHost: u@a\r\n\r\n'
bad "CL+TE" 400 'POST /alpha.txt HTTP/1.1\r\n'"$H"'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
bad "TE+CL" 400 'POST /alpha.txt HTTP/1.1\r\n'"$H"'Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n'
bad "TE in 1.0" 400 'POST /alpha.txt HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
bad "differing CL" 400 'POST /alpha.txt HTTP/1.1\r\n'"$H"'Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!'
bad "CL list" 400 'POST /alpha.txt HTTP/1.1\r\n'"$H"'Content-Length: 5, 5\r\n\r\nhello'
bad "CL sign" 400 'POST /alpha.txt HTTP/1.1\r\n'"$H"'Content-Length: +5\r\n\r\nhello'
bad "CL negative" 400 'POST /alpha.txt HTTP/1.1\r\n'"$H"'Content-Length: -1\r\n\r\n'
bad "CL overflow" 400 'POST /alpha.txt HTTP/1.1\r\n'"$H"'Content-Length: 99999999999999999999999\r\n\r\n'
bad "CL empty" 400 'POST /alpha.txt HTTP/1.1\r\n'"$H"'Content-Length:\r\n\r\n'
bad "TE gzip" 501 'POST /alpha.txt HTTP/1.1\r\n'"$H"'Transfer-Encoding: gzip\r\n\r\n'
bad "TE gzip, chunked" 501 'POST /alpha.txt HTTP/1.1\r\n'"$H"'Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n'
bad "TE chunked twice" 400 'POST /alpha.txt HTTP/1.1\r\n'"$H"'Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n'
bad "obs-fold" 400 'GET / HTTP/1.1\r\n'"$H"'X-A: a\r\n b\r\n\r\n'
bad "obs-fold tab" 400 'GET / HTTP/1.1\r\n'"$H"'X-A: a\r\n\tb\r\n\r\n'
bad "space before first field" 400 'GET / HTTP/1.1\r\n Host: x\r\n\r\n'
bad "bare CR" 400 'GET / HTTP/1.1\r\n'"$H"'X-A: a\rb\r\n\r\n'
bad "bare CR in request line" 400 'GET /\r HTTP/1.1\r\n'"$H"'\r\n'
bad "bare LF" 400 'GET / HTTP/1.1\n'"$H"'\r\n'
bad "bare LF end" 400 'GET / HTTP/1.1\r\n'"$H"'\n'
bad "space before colon" 400 'GET / HTTP/1.1\r\nHost : x\r\n\r\n'
bad "space before colon 2" 400 'GET / HTTP/1.1\r\n'"$H"'X-A : b\r\n\r\n'
bad "no colon" 400 'GET / HTTP/1.1\r\n'"$H"'X-A\r\n\r\n'
bad "empty name" 400 'GET / HTTP/1.1\r\n'"$H"': b\r\n\r\n'
bad "NUL in value" 400 'GET / HTTP/1.1\r\n'"$H"'X-A: a\000b\r\n\r\n'
bad "NUL in name" 400 'GET / HTTP/1.1\r\n'"$H"'X\000A: b\r\n\r\n'
bad "DEL in value" 400 'GET / HTTP/1.1\r\n'"$H"'X-A: a\177b\r\n\r\n'
bad "unknown method" 501 'FOO / HTTP/1.1\r\n'"$H"'\r\n'
bad "lowercase get" 501 'get / HTTP/1.1\r\n'"$H"'\r\n'
bad "bad method token" 400 'G(T / HTTP/1.1\r\n'"$H"'\r\n'
bad "Expect: foo" 417 'GET /alpha.txt HTTP/1.1\r\n'"$H"'Expect: foo\r\n\r\n'
bad "fragment" 400 'GET /alpha.txt#x HTTP/1.1\r\n'"$H"'\r\n'
bad "asterisk GET" 400 'GET * HTTP/1.1\r\n'"$H"'\r\n'
bad "ftp target" 400 'GET ftp://x/ HTTP/1.1\r\n'"$H"'\r\n'

# Sizes: request-target over 8192 is 414, a head over 16384 or more than
# 100 header lines is 431 -- and just under the limits is fine.
a8192=$(head -c 8191 /dev/zero | tr '\0' a)
out=$(printf "GET /$a8192 HTTP/1.1\r\n$H\r\n$LAST" | raw 127.0.0.1 80)
expect_eq "target of 8192" "$(statuses "$out")" "404 200 "
bad "target of 8193" 414 "GET /a$a8192 HTTP/1.1\r\n$H\r\n"
bad "target of 20000" 414 "GET /$a8192$a8192$a8192 HTTP/1.1\r\n$H\r\n"
v1k=$(head -c 1000 /dev/zero | tr '\0' v)
hdrs=
i=0
while [ $i -lt 15 ]; do hdrs="${hdrs}X-$i: $v1k\r\n"; i=$((i + 1)); done
out=$(printf "GET /alpha.txt HTTP/1.1\r\n$H$hdrs\r\n$LAST" | raw 127.0.0.1 80)
expect_eq "head of 15 KB" "$(statuses "$out")" "200 200 "
bad "head over 16384" 431 "GET /alpha.txt HTTP/1.1\r\n$H${hdrs}X-a: $v1k\r\nX-b: $v1k\r\n\r\n"
bad "one huge field" 431 "GET /alpha.txt HTTP/1.1\r\n${H}X-a: $v1k$v1k$v1k$v1k$v1k$v1k$v1k$v1k$v1k$v1k$v1k$v1k$v1k$v1k$v1k$v1k$v1k\r\n\r\n"
hdrs=
i=1
while [ $i -lt 100 ]; do hdrs="${hdrs}X-$i: v\r\n"; i=$((i + 1)); done
out=$(printf "GET /alpha.txt HTTP/1.1\r\n$H$hdrs\r\n$LAST" | raw 127.0.0.1 80)
expect_eq "100 header lines" "$(statuses "$out")" "200 200 "
bad "101 header lines" 431 "GET /alpha.txt HTTP/1.1\r\n$H${hdrs}X-last: v\r\n\r\n"
bad "1000 header lines" 431 "GET /alpha.txt HTTP/1.1\r\n$H$hdrs$hdrs$hdrs$hdrs$hdrs$hdrs$hdrs$hdrs$hdrs$hdrs\r\n"
# A smaller max-header-bytes applies to new requests.
run_ok httpctl set max-header-bytes 4096
bad "head over 4096" 431 "GET /alpha.txt HTTP/1.1\r\n${H}X-a: $v1k$v1k$v1k$v1k$v1k\r\n\r\n"
run_ok httpctl set max-header-bytes 16384

# Bodies over max-body-bytes: 413 from the Content-Length alone.
run_ok httpctl set max-body-bytes 1000
out=$(printf 'POST /alpha.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n' |
	{ cat; head -c 1000 /dev/zero; printf "$LAST"; } | raw 127.0.0.1 80)
expect_eq "CL at max-body" "$(statuses "$out")" "405 200 "
bad "CL over max-body" 413 'POST /alpha.txt HTTP/1.1\r\n'"$H"'Content-Length: 1001\r\n\r\n'
bad "GET CL over max-body" 413 'GET /alpha.txt HTTP/1.1\r\n'"$H"'Content-Length: 5000000000\r\n\r\n'
# A chunked body over the limit is found while it is skipped, after the
# 405 went out: the connection closes and nothing after it is answered.
b600=$(head -c 600 /dev/zero | tr '\0' b)
rc=0; out=$(printf "POST /alpha.txt HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n258\r\n$b600\r\n258\r\n$b600\r\n0\r\n\r\n$LAST" |
	raw 127.0.0.1 80) || rc=$?
expect_eq "chunked over max-body" "$(statuses "$out")" "405 "
expect_eq "chunked over max-body closes" "$rc" "0"
run_ok httpctl set max-body-bytes 16777216

# A bad chunk size: the 405 for the head has gone out; the body's framing
# is broken, so nothing after it can be trusted -- close, answer nothing
# more.  Also when the client keeps sending: a FIN, not a reset.
for cs in zz '-1' '0x5' ' 5' '5 x' '' 11111111111111111; do
	rc=0; out=$(printf "POST /alpha.txt HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n$cs\r\nhello\r\n0\r\n\r\n$LAST" |
		raw 127.0.0.1 80) || rc=$?
	expect_eq "chunk size '$cs'" "$(statuses "$out")" "405 "
	expect_eq "chunk size '$cs' closes" "$rc" "0"
done
rc=0; out=$( (printf "POST /alpha.txt HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\n"
	head -c 3000 /dev/zero) | raw 127.0.0.1 80 -c 100 -d 20) || rc=$?
expect_eq "bad chunk, more data" "$(statuses "$out")" "405 "
expect_eq "bad chunk, more data: FIN" "$rc" "0"
rc=0; out=$( (printf "POST /alpha.txt HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\n"
	head -c 200000 /dev/zero) | raw 127.0.0.1 80) || rc=$?
expect_eq "bad chunk, flood" "$(statuses "$out")" "405 "
expect_eq "bad chunk, flood: FIN" "$rc" "0"
rc=0; out=$(printf "POST /alpha.txt HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n$LAST" |
	raw 127.0.0.1 80) || rc=$?
expect_eq "chunk without CRLF" "$(statuses "$out")" "405 "
expect_eq "chunk without CRLF closes" "$rc" "0"

# An error with lots of unread input behind it still arrives intact (the
# server drains instead of resetting).
rc=0; out=$( (printf 'BAD\r\n\r\n'; head -c 200000 /dev/zero) | raw 127.0.0.1 80) || rc=$?
expect_eq "error then flood" "$(statuses "$out")" "400 "
expect_eq "error then flood: FIN" "$rc" "0"

# Ordinary 4xx/3xx answers keep the connection: all five answered on one
# connection, which closes only when asked.
rc=0; out=$(printf 'GET /nope HTTP/1.1\r\nHost: x\r\n\r\nDELETE /alpha.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /alpha.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\nGET /alpha.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=100-200\r\n\r\nGET /sub HTTP/1.1\r\nHost: x\r\n\r\nGET /../x HTTP/1.1\r\nHost: x\r\n\r\n'"$LAST" |
	raw 127.0.0.1 80) || rc=$?
expect_eq "4xx keep-alive closes when asked" "$rc" "0"
expect_eq "4xx keep-alive" "$(statuses "$out")" "404 405 304 416 301 403 200 "
expect_eq "4xx say nothing of close" "$(echo "$out" | grep -c 'Connection: close')" "1"
for req in 'GET /nope' 'POST /alpha.txt' 'PUT /alpha.txt'; do
	rc=0; out=$(printf "$req HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n" |
		raw 127.0.0.1 80 -t 1500) || rc=$?
	expect_eq "$req stays open" "$rc" "3"
done

# After all of it the server is healthy and nothing is left open.
expect_eq "healthy" "$(status $U/alpha.txt)" "200"
sleep 3
expect_eq "no connections left" "$(stat conn_active)" "0"
unload
exit 0
