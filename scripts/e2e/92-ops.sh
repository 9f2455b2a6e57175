# SPDX-License-Identifier: GPL-2.0
# Operations: a batch file applied, printed back by `httpctl show` and
# restored after a module reload; a batch the kernel refuses midway
# changes nothing; the access log in NCSA combined, W3C extended and JSON
# (fields right, every line parsable, reopened on SIGHUP); Prometheus
# metrics parsable.
. /khttp/lib.sh
make_site
load

# same_config A B: the same lines (the kernel may list them in another order).
same_config() {
	sort "$1" > /tmp/sorted.a
	sort "$2" > /tmp/sorted.b
	cmp -s /tmp/sorted.a /tmp/sorted.b
}

# ---- persistent configuration ------------------------------------------
cat > /tmp/khttp.conf <<'EOF'
# every kind of line
set max-conns 500 idle-timeout 7000 header-timeout 3000
pool add app queue-length 7 verbosity full queue-timeout 5000 owner worker group worker mode 0660 rapid-fail 3/60
pool add idle queue-length 3 rapid-fail off   # a comment
pool set idle state inactive
iplisten add 127.0.0.1:80
iplisten add 127.0.0.2:8080
route add / static /srv/www
route add "/with space/" static /srv/www/sub
route add /app/ pool app cache off
route add http://www.example.com:80/ static /srv/www/sub
EOF
run_ok httpctl -b /tmp/khttp.conf
httpctl show > /tmp/show1 || fail "show failed"
s=$(cat /tmp/show1)
expect_match "show set" "$s" '^set .*max-conns 500 .*header-timeout 3000 idle-timeout 7000'
expect_match "show pool" "$s" '^pool add app queue-length 7 verbosity full queue-timeout 5000 owner worker group worker mode 0660 rapid-fail 3/60$'
expect_match "show pool off" "$s" '^pool add idle queue-length 3 .* rapid-fail off$'
expect_match "show state" "$s" '^pool set idle state inactive$'
expect_match "show listen" "$s" '^iplisten add 127.0.0.2:8080$'
expect_match "show route" "$s" '^route add / static /srv/www$'
expect_match "show quoted" "$s" '^route add "/with space/" static /srv/www/sub$'
expect_match "show cache off" "$s" '^route add /app/ pool app cache off$'
expect_eq "dump is show" "$(httpctl dump)" "$s"
expect_match "show json" "$(httpctl -j show)" '"routes":\[.*"prefix":"/with space/"'
expect_eq "served" "$(curl -s http://127.0.0.1/with%20space/)" "sub index"

# The round trip across a reload (what khttp.service does at boot).
unload
load
expect_eq "empty after reload" "$(httpctl show | grep -cE '^(pool|iplisten|route) ')" "0"
run_ok httpctl -b /tmp/show1
httpctl show > /tmp/show2
same_config /tmp/show1 /tmp/show2 || fail "round trip differs: $(diff /tmp/show1 /tmp/show2)"
expect_eq "served again" "$(curl -s http://127.0.0.1/with%20space/)" "sub index"

# A batch the kernel refuses at its last line: everything before it,
# of every kind, is undone.
cat > /tmp/bad.conf <<'EOF'
set max-conns 42 idle-timeout 100000
iplisten add 127.0.0.3:80
pool add extra
route add /extra/ pool extra
route del /app/
pool set app queue-length 99 state inactive
pool del app force
pool del idle
iplisten del 127.0.0.2:8080
route del http://www.example.com:80/
cache flush
route add / static /srv/www
EOF
run_err httpctl -b /tmp/bad.conf
expect_match "refused line" "$ERR" 'bad.conf:12: .*already exists'
expect_match "undone" "$ERR" 'nothing applied'
httpctl show > /tmp/show3
same_config /tmp/show1 /tmp/show3 || fail "failed batch changed the configuration: $(diff /tmp/show1 /tmp/show3)"
[ -c /dev/httpq/app ] || fail "pool device not restored"

# Deletes in a row (the batch keeps its snapshot, minus each deleted
# route, rather than reading the configuration again): all restored.
cat > /tmp/bad3.conf <<'EOF'
route del /
route del "/with space/"
route del http://www.example.com:80/
route add /app/ pool app
EOF
run_err httpctl -b /tmp/bad3.conf
expect_match "refused line 4" "$ERR" 'bad3.conf:4: .*already exists'
httpctl show > /tmp/show3
same_config /tmp/show1 /tmp/show3 || fail "deletes not undone: $(diff /tmp/show1 /tmp/show3)"

# A batch with bad lines is refused before anything is sent, and every
# bad line is named.
cat > /tmp/bad2.conf <<'EOF'
iplisten add 127.0.0.3:80
route add /x/ static /srv/does-not-exist
pool add p2 owner no-such-user
bogus command
EOF
run_err httpctl -b /tmp/bad2.conf
expect_match "missing dir" "$ERR" 'bad2.conf:2: .*does not exist'
expect_match "no user" "$ERR" 'bad2.conf:3: .*no such user'
expect_match "unknown" "$ERR" 'bad2.conf:4: unknown command'
httpctl show > /tmp/show4
same_config /tmp/show1 /tmp/show4 || fail "a refused batch changed the configuration"

# ---- access log --------------------------------------------------------
httpq-echo -p app &
worker=$!
httpctl log -o /tmp/ncsa.log 2> /tmp/ncsa.err &
l1=$!
httpctl log -f w3c -o /tmp/w3c.log 2> /tmp/w3c.err &
l2=$!
httpctl -j log > /tmp/json.log 2> /tmp/json.err &
l3=$!
# Logged once all three listen; earlier requests may not be.
logged() {
	curl -s -o /dev/null http://127.0.0.1/warm
	grep -q 'GET /warm ' /tmp/ncsa.log && grep -q ' GET /warm ' /tmp/w3c.log &&
		grep -q '"target":"/warm"' /tmp/json.log
}
wait_until 30 logged || fail "no log records: $(cat /tmp/ncsa.err /tmp/w3c.err /tmp/json.err)"

curl -s -o /dev/null -A 'test "agent"' -e http://ref.example/ http://127.0.0.1/alpha.txt
curl -s -o /dev/null http://127.0.0.1/missing
curl -s -o /dev/null -H 'Host: www.example.com' http://127.0.0.1/index.html
expect_match "pool answer" "$(curl -s --max-time 10 'http://127.0.0.1/app/echo?x=1')" 'GET'
run_ok httpctl route add /go/ redirect http://elsewhere.example/
run_ok httpctl route add /metrics metrics
expect_eq "redirect answer" "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/go/)" 302
curl -sf -o /dev/null http://127.0.0.1/metrics || fail "no metrics page"
curl -s -o /dev/null http://127.0.0.2:8080/alpha.txt
printf 'BROKEN\r\n\r\n' | raw 127.0.0.1 80 > /dev/null
done_logging() {
	grep -q ' 127.0.0.2 8080 ' /tmp/w3c.log &&
		grep -q '"server_port":8080' /tmp/json.log &&
		[ "$(grep -c '" 400 ' /tmp/ncsa.log)" -ge 1 ]
}
wait_until 20 done_logging || fail "records missing: $(cat /tmp/ncsa.log)"

n=$(cat /tmp/ncsa.log)
D='\[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} \+0000\]'
expect_match "ncsa static" "$n" "^127\.0\.0\.1 - - $D \"GET /alpha\.txt HTTP/1\.1\" 200 [0-9]+ \"http://ref\.example/\" \"test \\\\\"agent\\\\\"\"\$"
expect_match "ncsa 404" "$n" "^127\.0\.0\.1 - - $D \"GET /missing HTTP/1\.1\" 404 ([0-9]+|-) \"-\" \"curl/[^\"]*\"\$"
expect_match "ncsa pool" "$n" "\"GET /app/echo\?x=1 HTTP/1\.1\" 200 [0-9]+ "
expect_match "ncsa bad request" "$n" "^127\.0\.0\.1 - - $D \"-\" 400 "
# Every line parsable as NCSA combined.
Q='"([^"\\]|\\.)*"'
bad=$(grep -vE "^[0-9a-f.:]+ - - $D $Q [0-9]{3} ([0-9]+|-) $Q $Q\$" /tmp/ncsa.log || true)
[ -z "$bad" ] || fail "unparsable NCSA lines: $bad"

w=$(cat /tmp/w3c.log)
expect_match "w3c fields" "$w" '^#Fields: date time c-ip s-ip s-port cs-method cs-uri-stem cs-uri-query sc-status sc-bytes time-taken cs\(User-Agent\) cs\(Referer\) cs-host x-tls-version x-tls-cipher$'
T='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'
expect_match "w3c static" "$w" "^$T 127\.0\.0\.1 127\.0\.0\.1 80 GET /alpha\.txt - 200 [0-9]+ [0-9]+ test\+\"agent\" http://ref\.example/ 127\.0\.0\.1 - -\$"
expect_match "w3c query" "$w" "^$T 127\.0\.0\.1 127\.0\.0\.1 80 GET /app/echo x=1 200 [0-9]+ [0-9]+ curl/[^ ]+ - 127\.0\.0\.1 - -\$"
expect_match "w3c host" "$w" " GET /index\.html - 200 [0-9]+ [0-9]+ curl/[^ ]+ - www\.example\.com - -\$"
expect_match "w3c port" "$w" "^$T 127\.0\.0\.[12] 127\.0\.0\.2 8080 GET /alpha\.txt "
bad=$(grep -v '^#' /tmp/w3c.log | awk 'NF != 16')
[ -z "$bad" ] || fail "W3C lines without 16 fields: $bad"

j=$(cat /tmp/json.log)
expect_match "json static" "$j" '"client":"127\.0\.0\.1",.*"method":"GET","target":"/alpha\.txt","version":"1\.1".*"user_agent":"test \\"agent\\"","status":200,"bytes":[0-9]+,"duration_us":[0-9]+,"source":"static","scheme":"http"\}$'
expect_match "json pool" "$j" '"target":"/app/echo\?x=1".*"source":"pool"'
expect_match "json 404" "$j" '"status":404'
expect_match "json redirect" "$j" '"target":"/go/".*"status":302,.*"source":"redirect"'
expect_match "json metrics" "$j" '"target":"/metrics".*"status":200,.*"source":"metrics"'
bad=$(grep -vE '^\{"time":"[0-9T:.-]+Z",.*\}$' /tmp/json.log || true)
[ -z "$bad" ] || fail "JSON lines: $bad"

# logrotate: move the file away, SIGHUP, a new file (W3C: a new header).
mv /tmp/ncsa.log /tmp/ncsa.log.1
mv /tmp/w3c.log /tmp/w3c.log.1
kill -HUP $l1 $l2
rotated() {
	curl -s -o /dev/null http://127.0.0.1/rotated
	grep -q 'GET /rotated ' /tmp/ncsa.log 2>/dev/null &&
		grep -q ' GET /rotated ' /tmp/w3c.log 2>/dev/null
}
wait_until 20 rotated || fail "not reopened on SIGHUP"
expect_match "new w3c header" "$(head -4 /tmp/w3c.log)" '^#Fields: '
grep -q '/rotated' /tmp/ncsa.log.1 && fail "written to the rotated file"

# Nothing was lost, and SIGINT/SIGTERM end the loggers cleanly.
kill -INT $l1
kill -TERM $l2 $l3
wait $l1 || fail "log exited $? on SIGINT"
wait $l2 || fail "log exited $? on SIGTERM"
wait $l3
for e in /tmp/ncsa.err /tmp/w3c.err /tmp/json.err; do
	[ -s $e ] && fail "logger said: $(cat $e)"
done
expect_eq "none lost" "$(stat log_lost)" "0"

run_err httpctl log -f xml
expect_match "bad format" "$ERR" 'unknown format'

# ---- metrics -----------------------------------------------------------
p=$(httpctl stats --prometheus) || fail "stats --prometheus failed"
L='[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"'
bad=$(echo "$p" | grep -v '^#' | grep -vE "^[a-zA-Z_:][a-zA-Z0-9_:]*(\{$L(,$L)*\})? [0-9]+\$" || true)
[ -z "$bad" ] || fail "unparsable metric lines: $bad"
expect_match "up" "$p" '^khttp_up 1$'
expect_match "requests" "$p" '^khttp_requests_total [0-9]+$'
expect_match "2xx" "$p" '^khttp_responses_total\{class="2xx"\} [0-9]+$'
expect_match "active" "$p" '^khttp_connections_active [0-9]+$'
expect_match "per listen" "$p" '^khttp_listen_requests_total\{listen="127\.0\.0\.2:8080"\} 1$'
expect_match "per pool" "$p" '^khttp_pool_answered_total\{pool="app"\} [1-9][0-9]*$'
expect_match "pool state" "$p" '^khttp_pool_state\{pool="idle",state="inactive"\} 1$'
expect_match "cache" "$p" '^khttp_cache_hits_total [0-9]+$'
# One TYPE line per metric family, before its samples.
for m in $(echo "$p" | grep -v '^#' | sed 's/[{ ].*//' | uniq); do
	[ "$(echo "$p" | grep -c "^# TYPE $m ")" = 1 ] || fail "TYPE of $m"
done
expect_match "stats json kept" "$(httpctl -j stats)" '"global":\{"conn_accepted":'

kill $worker
reap $worker
run_ok httpctl pool del app force
unload
exit 0
