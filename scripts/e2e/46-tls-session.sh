# SPDX-License-Identifier: GPL-2.0
# HTTPS sessions: khttp-tlsd's session tickets resume TLS 1.3 and 1.2
# (openssl s_client -sess_out, then -sess_in: "Reused"), and the answer
# after the tickets is intact (they went out through kTLS at the right
# record sequence); ALPN http/1.1 is selected, a client offering only h2
# is refused (no_application_protocol); the ticket keys rotate
# (--ticket-rotate 6): a ticket whose key was rotated out twice gets a
# full handshake, one sealed with the previous key still resumes, a
# fresh one resumes; replacing the certificate binding keeps tickets
# working and presents the new certificate to a full handshake.  A pool
# worker sees the scheme, the TLS version and the cipher kTLS runs
# (httpq-echo's X-Scheme), plain http says http; the JSON access log has
# them; httpq-proxy sends X-Forwarded-Proto https.  Over TLS also: a Range request, two pipelined requests in one
# write, a cached dynamic answer.
. /khttp/lib.sh
load_mods /lib/khttp/tls
mkcert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "/tmp/$1.key" -out "/tmp/$1.crt" -days 2 -subj "/CN=$2" \
		-addext subjectAltName=IP:127.0.0.1 2>/dev/null || fail "openssl req"
}
mkcert tls first.example
mkcert tls2 second.example
cat /tmp/tls.crt /tmp/tls2.crt > /tmp/ca.crt
mkdir -p /srv/tls
echo "hello over tls" > /srv/tls/index.txt
chmod -R a+rX /srv/tls
U=https://127.0.0.1
C="curl -s --max-time 30 --cacert /tmp/ca.crt"
R=6	# the ticket key rotation interval under test, seconds
# sc VERSION-FLAG ARGS...: one s_client GET / with Connection: close
# (its status is 1: khttp closes without close_notify).
sc() {
	local v=$1
	shift
	printf 'GET /index.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
		timeout 30 openssl s_client -connect 127.0.0.1:443 "$v" \
			-CAfile /tmp/ca.crt -ign_eof "$@" 2>&1 || true
}

load
run_ok httpctl iplisten add 127.0.0.1:443 tls
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl route add / static /srv/tls
run_ok httpctl tls add 127.0.0.1:443 cert /tmp/tls.crt key /tmp/tls.key
run_ok httpctl pool add app
run_ok httpctl route add /app/ pool app
run_ok httpctl pool add dyn
run_ok httpctl route add /cached/ pool dyn
httpq-echo -p app &
w1=$!
httpq-demo -p dyn -c 60 -C /cached/ > /dev/null &
w2=$!
httpctl -j log > /tmp/json.log 2> /tmp/json.err &
lg=$!
khttp-tlsd --ticket-rotate $R -v 2> /tmp/tlsd.log &
agent=$!
wait_until 20 grep -q "ready on" /tmp/tlsd.log || fail "khttp-tlsd: $(cat /tmp/tlsd.log)"
wait_until 20 $C -o /dev/null "$U/index.txt" || fail "no TLS answer: $(tail -5 /tmp/tlsd.log)"

expect_match "show -j: listen_tls" "$(httpctl -j show)" '"listen_tls":\["127.0.0.1:443"\]'

# Resumption, TLS 1.3 and 1.2; the answer after the tickets is whole.
for v in -tls1_3 -tls1_2; do
	o=$(sc $v -sess_out /tmp/s$v)
	expect_match "$v first: new" "$o" "^New, TLSv1"
	expect_match "$v first: answered" "$o" "^hello over tls"
	o=$(sc $v -sess_in /tmp/s$v)
	expect_match "$v resumed ($(tail -3 /tmp/tlsd.log))" "$o" "^Reused, TLSv1"
	expect_match "$v resumed: answered" "$o" "^hello over tls"
done
# ALPN: http/1.1 selected; only h2 offered: refused, as designed.
o=$(sc -tls1_3 -alpn h2,http/1.1)
expect_match "ALPN http/1.1" "$o" "^ALPN protocol: http/1.1"
expect_match "ALPN answered" "$o" "^hello over tls"
o=$(sc -tls1_3 -alpn h2)
expect_match "h2 only: refused" "$o" "no application protocol"
echo "$o" | grep -q "^hello over tls" && fail "h2-only client served"

# Key rotation.  Ticket A; after two intervals its key is gone: a full
# handshake.  Ticket B then resumes at once, and after one more interval
# (its key now the previous one) still does.
sc -tls1_3 -sess_out /tmp/A > /dev/null
sleep $((2 * R + 1))
o=$(sc -tls1_3 -sess_in /tmp/A)
expect_match "rotated-out ticket: full handshake" "$o" "^New, TLSv1.3"
expect_match "rotated-out ticket: answered" "$o" "^hello over tls"
sc -tls1_3 -sess_out /tmp/B > /dev/null
o=$(sc -tls1_3 -sess_in /tmp/B)
expect_match "fresh ticket resumes" "$o" "^Reused, TLSv1.3"
sleep $((R + 1))
o=$(sc -tls1_3 -sess_in /tmp/B)
expect_match "previous key's ticket resumes ($(grep -c rotated /tmp/tlsd.log) rotations)" \
	"$o" "^Reused, TLSv1.3"
sc -tls1_2 -sess_out /tmp/B12 > /dev/null

# A replaced certificate: tickets still resume, a full handshake gets it.
run_ok httpctl tls add 127.0.0.1:443 cert /tmp/tls2.crt key /tmp/tls2.key
o=$(sc -tls1_3)
expect_match "new certificate" "$o" "subject=CN ?= ?second.example"
o=$(sc -tls1_2 -sess_in /tmp/B12)
expect_match "TLS 1.2 ticket after the replacement" "$o" "^Reused, TLSv1.2"
expect_match "answered after the replacement" "$o" "^hello over tls"

# The worker sees how the request came: kTLS's version and cipher.
# ChaCha20-Poly1305 where the kernel has it (the stock kernels' module;
# the debug kernel's config has no CRYPTO_CHACHA20POLY1305).
if [ -d /sys/module/chacha20poly1305 ]; then
	cc=CHACHA20_POLY1305 cn=CHACHA20-POLY1305
else
	cc=AES_128_GCM cn=AES-128-GCM
fi
h=$($C -D - -o /dev/null --tlsv1.3 --tls13-ciphers TLS_${cc}_SHA256 "$U/app/a")
expect_match "worker: TLS 1.3 $cn" "$h" "^X-Scheme: https TLSv1.3 $cn"
h=$($C -D - -o /dev/null --tlsv1.3 --tls13-ciphers TLS_AES_256_GCM_SHA384 "$U/app/b")
expect_match "worker: TLS 1.3 AES-256" "$h" "^X-Scheme: https TLSv1.3 AES-256-GCM"
h=$($C -D - -o /dev/null --tlsv1.2 --tls-max 1.2 "$U/app/c")
expect_match "worker: TLS 1.2" "$h" "^X-Scheme: https TLSv1.2 AES-128-GCM"
h=$(curl -s --max-time 10 -D - -o /dev/null http://127.0.0.1/app/d)
expect_match "worker: plain" "$h" "^X-Scheme: http"$'\r'"$"

# httpq-proxy tells the upstream how the request came.
upstream -l 127.0.0.2:8080 &
up=$!
run_ok httpctl pool add px
run_ok httpctl route add /headers pool px
httpq-proxy -p px --upstream 127.0.0.2:8080 &
px=$!
wait_until 10 curl -sf -o /dev/null http://127.0.0.2:8080/stats
wait_until 10 $C -sf -o /dev/null "$U/headers"
expect_match "proxy: https" "$($C "$U/headers")" "^X-Forwarded-Proto: https"$'\r'"?$"
expect_match "proxy: http" "$(curl -s --max-time 10 http://127.0.0.1/headers)" \
	"^X-Forwarded-Proto: http"$'\r'"?$"
kill $px $up
reap $px; reap $up

# The access log.
wait_until 20 grep -q '"target":"/app/d"' /tmp/json.log ||
	fail "no log records: $(cat /tmp/json.err)"
expect_match "log: https" "$(grep '"target":"/app/a"' /tmp/json.log)" \
	"\"scheme\":\"https\",\"tls_version\":\"TLSv1.3\",\"tls_cipher\":\"$cn\"}\$"
expect_match "log: https 1.2" "$(grep '"target":"/app/c"' /tmp/json.log)" \
	'"scheme":"https","tls_version":"TLSv1.2","tls_cipher":"AES-128-GCM"}$'
expect_match "log: http" "$(grep '"target":"/app/d"' /tmp/json.log)" '"scheme":"http"}$'

# Range, pipelining (two requests in one write), a cached dynamic answer.
expect_eq "range" "$($C -r 6-9 "$U/index.txt")" "over"
o=$(printf 'GET /index.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /app/p HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
	timeout 30 openssl s_client -connect 127.0.0.1:443 -CAfile /tmp/ca.crt -quiet -ign_eof 2>/dev/null) || true
expect_eq "pipelined: two answers" "$(echo "$o" | grep -c '^HTTP/1.1 200')" 2
expect_match "pipelined: first" "$o" "^hello over tls"
expect_match "pipelined: second" "$o" "^X-Scheme: https TLSv1.3"
hits=$(stat cache_hits)
a=$($C "$U/cached/page")
b=$($C "$U/cached/page")
expect_eq "cached answer over tls" "$b" "$a"
[ "$(stat cache_hits)" -gt "$hits" ] || fail "not answered from the cache"

kill $lg $w1 $w2 $agent
reap $lg; reap $w1; reap $w2; reap $agent
run_ok httpctl pool del app force
run_ok httpctl pool del dyn force
run_ok httpctl pool del px force
unload
exit 0
