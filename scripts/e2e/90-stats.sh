# SPDX-License-Identifier: GPL-2.0
# Counters: global and per listen entry, text and JSON.
. /khttp/lib.sh
make_site
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl iplisten add 127.0.0.2:80
run_ok httpctl route add / static /srv/www
curl -s -o /dev/null http://127.0.0.1/ http://127.0.0.1/alpha.txt
curl -s -o /dev/null http://127.0.0.1/missing
curl -s -o /dev/null http://127.0.0.2/alpha.txt
s=$(httpctl stats)
expect_match "requests" "$s" "^requests 4$"
expect_match "accepted" "$s" "^conn_accepted 3$"
expect_match "2xx" "$s" "^resp_2xx 3$"
expect_match "4xx" "$s" "^resp_4xx 1$"
out=$(echo "$s" | sed -n 's/^bytes_out //p')
[ "$out" -gt 100 ] || fail "bytes_out $out"
# Per listen entry.
per=$(echo "$s" | sed -n '/^listen 127.0.0.2:80/,/^listen/p')
expect_match "per-entry requests" "$per" "requests 1"
j=$(httpctl -j stats)
expect_match "json global" "$j" '"global":\{[^}]*"requests":4'
expect_match "json listen" "$j" '"listen":"127.0.0.2:80"'
unload
exit 0
