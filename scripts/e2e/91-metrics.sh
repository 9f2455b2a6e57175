# SPDX-License-Identifier: GPL-2.0
# The metrics route: the Prometheus text format from the kernel, parsed by
# promtool (Debian's prometheus), with the metric names, types and help of
# httpctl stats --prometheus; never cached; limited by access rules to the
# monitoring host.  And the status route: the HTML status page.
. /khttp/lib.sh
make_site
load
ip addr add fd00::2/128 dev lo || fail "cannot add fd00::2 to lo"
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl iplisten add [::1]:80
run_ok httpctl pool add app
run_ok httpctl route add / static /srv/www
run_ok httpctl route add /app/ pool app
# "/metrics" and "/metrics/" are one prefix; both paths get the answer.
run_ok httpctl route add /metrics metrics allow 127.0.0.1 allow ::1 deny all
run_ok httpctl route add /server-status status allow 127.0.0.0/8 deny all
expect_match "route list" "$(httpctl route list)" '^/metrics/ metrics allow 127\.0\.0\.1/32 allow ::1/128 deny all$'
expect_match "show" "$(httpctl show)" '^route add /server-status/ status allow 127\.0\.0\.0/8 deny all$'
curl -s -o /dev/null http://127.0.0.1/alpha.txt http://127.0.0.1/missing 'http://[::1]/alpha.txt'

# The answer: 200, the exposition format's Content-Type, never stored.
h=$(curl -s -D - -o /tmp/m1 http://127.0.0.1/metrics | tr -d '\r')
expect_match "status" "$(echo "$h" | head -1)" '^HTTP/1.1 200 '
expect_match "content type" "$h" '^Content-Type: text/plain; version=0\.0\.4; charset=utf-8$'
expect_match "no-store" "$h" '^Cache-Control: no-store$'
expect_match "up" "$(cat /tmp/m1)" '^khttp_up 1$'
expect_match "pool label" "$(cat /tmp/m1)" '^khttp_pool_readers\{pool="app"\} 0$'
expect_match "listen label" "$(cat /tmp/m1)" '^khttp_listen_requests_total\{listen="\[::1\]:80"\} 1$'
expect_match "class label" "$(cat /tmp/m1)" '^khttp_responses_total\{class="4xx"\} 1$'
expect_match "pool state" "$(cat /tmp/m1)" '^khttp_pool_state\{pool="app",state="active"\} 1$'
expect_eq "trailing slash" "$(status http://127.0.0.1/metrics/)" "200"
expect_eq "below the prefix" "$(status http://127.0.0.1/metrics/x)" "404"
expect_eq "POST" "$(status http://127.0.0.1/metrics -X POST)" "405"
expect_eq "HEAD has no body" "$(curl -s -I http://127.0.0.1/metrics -o /dev/null -w '%{size_download}')" "0"
r1=$(sed -n 's/^khttp_requests_total //p' /tmp/m1)
curl -s http://127.0.0.1/metrics > /tmp/m2
r2=$(sed -n 's/^khttp_requests_total //p' /tmp/m2)
[ "$r2" -gt "$r1" ] || fail "a second scrape is not fresh: requests $r1 then $r2"
httpctl cache list | grep -q metrics && fail "the metrics answer was cached: $(httpctl cache list)"

# A real Prometheus text parser.
command -v promtool > /dev/null || fail "promtool is not in the guest (scripts/deps.sh installs prometheus)"
promtool check metrics < /tmp/m2 > /tmp/lint 2>&1 || fail "promtool: $(cat /tmp/lint)"

# The same metrics as httpctl stats --prometheus: HELP and TYPE lines
# identical, and the same series (name and labels), values aside.
httpctl stats --prometheus > /tmp/p1
curl -s http://127.0.0.1/metrics > /tmp/m3
grep '^#' /tmp/p1 > /tmp/p1.meta
grep '^#' /tmp/m3 > /tmp/m3.meta
cmp -s /tmp/p1.meta /tmp/m3.meta || fail "HELP/TYPE differ: $(diff /tmp/p1.meta /tmp/m3.meta)"
grep -v '^#' /tmp/p1 | sed 's/ [0-9]*$//' > /tmp/p1.series
grep -v '^#' /tmp/m3 | sed 's/ [0-9]*$//' > /tmp/m3.series
cmp -s /tmp/p1.series /tmp/m3.series || fail "series differ: $(diff /tmp/p1.series /tmp/m3.series)"
n=$(grep -c '^# TYPE' /tmp/m3)
[ "$n" -ge 40 ] || fail "only $n metrics"
# and the same numbers, where nothing moved between the two
expect_eq "same pool value" "$(grep '^khttp_pool_queue_length{pool="app"}' /tmp/m3)" \
	"$(grep '^khttp_pool_queue_length{pool="app"}' /tmp/p1)"

# Only the monitoring host may scrape.
expect_eq "other v4 client" "$(status http://127.0.0.1/metrics --interface 127.0.0.2)" "403"
expect_eq "other v6 client" "$(status 'http://[::1]/metrics' --interface fd00::2)" "403"
expect_eq "monitoring host v6" "$(status 'http://[::1]/metrics')" "200"
expect_match "denied counted" "$(curl -s http://127.0.0.1/metrics)" '^khttp_access_denied_total 2$'

# The status page.
h=$(curl -s -D - -o /tmp/s1 http://127.0.0.1/server-status | tr -d '\r')
expect_match "status page" "$(echo "$h" | head -1)" '^HTTP/1.1 200 '
expect_match "html" "$h" '^Content-Type: text/html; charset=utf-8$'
s=$(cat /tmp/s1)
expect_match "refresh" "$s" '<meta http-equiv="refresh" content="5">'
expect_match "rates" "$s" 'requests/s since load'
expect_match "pool row" "$s" '<tr><td>app</td><td>active</td>'
expect_match "classes" "$s" '<th>2xx</th>'
expect_match "cache ratio" "$s" 'cache hit ratio'
expect_match "listen row" "$s" '<tr><td>\[::1\]:80</td>'
# The page on the console, for make check-browser to render in Chromium.
sed 's/^/KHTTP-INFO: status-html: /' /tmp/s1
expect_eq "status from another client" "$(status http://127.0.0.1/server-status --interface 127.0.0.2)" "200"
expect_eq "status refused v6" "$(status 'http://[::1]/server-status')" "403"
run_err httpctl route add /m2/ metrics cache on
expect_match "no cache setting" "$ERR" "never cached"
run_err httpctl route add /m2/ metrics /srv/www
expect_match "no target" "$ERR" "unexpected argument"

ip addr del fd00::2/128 dev lo
unload
exit 0
