# SPDX-License-Identifier: GPL-2.0
# Access rules (nginx allow/deny) per route: IPv4 and IPv6 clients, CIDRs,
# the first matching rule wins, no match allows; a refused client gets 403,
# counted as access_denied, and never an answer from the cache; bad CIDRs
# are refused at route add; show and httpctl -b restore the rules; the
# rules with redirects, added headers, error pages and a metrics route.
. /khttp/lib.sh
make_site
load
# A second client address of each family: 127.0.0.2 is on lo already.
ip addr add fd00::2/128 dev lo || fail "cannot add fd00::2 to lo"
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl iplisten add [::1]:80

# code URL [curl args]: the status a client gets.
code() {
	status "$@"
}

run_ok httpctl route add / static /srv/www allow 127.0.0.1 allow ::1 deny all
run_ok httpctl route add /sub/ static /srv/www/sub
expect_eq "v4 allowed" "$(code http://127.0.0.1/alpha.txt)" "200"
# twice: the second answer is a cache hit, which a refused client never gets
expect_eq "v4 allowed (cached)" "$(code http://127.0.0.1/alpha.txt)" "200"
hits=$(stat cache_hits)
[ "$hits" -ge 1 ] || fail "alpha.txt was not cached (cache_hits $hits)"
expect_eq "v4 other client" "$(code http://127.0.0.1/alpha.txt --interface 127.0.0.2)" "403"
expect_eq "no cache hit for it" "$(stat cache_hits)" "$hits"
body=$(curl -s --interface 127.0.0.2 http://127.0.0.1/alpha.txt)
expect_match "403 body" "$body" "403 Forbidden"
expect_eq "v6 allowed" "$(code 'http://[::1]/alpha.txt')" "200"
expect_eq "v6 other client" "$(code 'http://[::1]/alpha.txt' --interface fd00::2)" "403"
# A route without rules is open to everyone.
expect_eq "other route open v4" "$(code http://127.0.0.1/sub/ --interface 127.0.0.2)" "200"
expect_eq "other route open v6" "$(code 'http://[::1]/sub/' --interface fd00::2)" "200"
expect_eq "counted" "$(stat access_denied)" "3"
expect_match "stats --prometheus" "$(httpctl stats --prometheus)" '^khttp_access_denied_total 3$'
expect_match "listen counter" "$(httpctl stats --prometheus)" '^khttp_listen_access_denied_total\{listen="\[::1\]:80"\} 1$'
l=$(httpctl route list)
expect_match "route list" "$l" '^/ static /srv/www allow 127\.0\.0\.1/32 allow ::1/128 deny all$'
expect_match "route list json" "$(httpctl -j route list)" '"access":\[\{"action":"allow","from":"127\.0\.0\.1/32"\},\{"action":"allow","from":"::1/128"\},\{"action":"deny","from":"all"\}\]'

# The first match wins: deny all before allow refuses everyone.
run_ok httpctl route del /
run_ok httpctl route add / static /srv/www deny all allow 127.0.0.1
expect_eq "deny all first" "$(code http://127.0.0.1/alpha.txt)" "403"
expect_eq "deny all first v6" "$(code 'http://[::1]/alpha.txt')" "403"
# No rule matches: allowed (as nginx).
run_ok httpctl route del /
run_ok httpctl route add / static /srv/www deny 127.0.0.2 deny fd00::/8
expect_eq "no match v4" "$(code http://127.0.0.1/alpha.txt)" "200"
expect_eq "no match v6" "$(code 'http://[::1]/alpha.txt')" "200"
expect_eq "denied v4" "$(code http://127.0.0.1/alpha.txt --interface 127.0.0.2)" "403"
expect_eq "denied v6 CIDR" "$(code 'http://[::1]/alpha.txt' --interface fd00::2)" "403"
# CIDRs that split a byte: 127.0.0.0/31 holds .1, not .2.
run_ok httpctl route del /
run_ok httpctl route add / static /srv/www allow 127.0.0.0/31 allow ::1/127 deny all
expect_eq "/31 in" "$(code http://127.0.0.1/alpha.txt)" "200"
expect_eq "/31 out" "$(code http://127.0.0.1/alpha.txt --interface 127.0.0.2)" "403"
expect_eq "/127 in" "$(code 'http://[::1]/alpha.txt')" "200"
expect_eq "/127 out" "$(code 'http://[::1]/alpha.txt' --interface fd00::2)" "403"
expect_eq "counted all" "$(stat access_denied)" "9"

# Host bits: masked with nginx's warning, listed as the network.
run_ok httpctl route del /
out=$(httpctl route add / static /srv/www allow 127.0.0.1/8 deny all 2>&1) ||
	fail "host bits refused: $out"
expect_match "host bits warning" "$out" "low address bits of 127\.0\.0\.1/8 are meaningless: using 127\.0\.0\.0/8"
expect_match "masked" "$(httpctl route list)" '^/ static /srv/www allow 127\.0\.0\.0/8 deny all$'

# Bad CIDRs are refused and change nothing.
before=$(httpctl route list)
for bad in 10.0.0.0/33 ::/129 300.1.1.1 10.0.0.0/ 10.0.0.0/-1 10.0.0.0/8x \
	   fe80::1%lo bogus 1.2.3 ''; do
	run_err httpctl route add /bad/ static /srv/www allow "$bad"
	expect_match "bad '$bad' says why" "$ERR" "is not an IPv4 or IPv6 address or CIDR"
done
run_err httpctl route add /bad/ static /srv/www deny
expect_match "missing CIDR" "$ERR" "missing an address, CIDR or all"
rules=
i=0
while [ $i -le 64 ]; do rules="$rules deny 10.0.$i.0/24"; i=$((i + 1)); done
# shellcheck disable=SC2086 # one word per rule word
run_err httpctl route add /bad/ static /srv/www $rules
expect_match "65 rules" "$ERR" "at most 64 access rules"
expect_eq "nothing added" "$(httpctl route list)" "$before"

# show writes the rules; httpctl -b restores them, in order.
run_ok httpctl route del /
run_ok httpctl route add / static /srv/www deny 127.0.0.2 allow 127.0.0.0/8 allow 2001:db8::/32 deny all
httpctl show > /tmp/show1
expect_match "show" "$(cat /tmp/show1)" '^route add / static /srv/www deny 127\.0\.0\.2/32 allow 127\.0\.0\.0/8 allow 2001:db8::/32 deny all$'
run_ok httpctl route del /
run_ok httpctl route del /sub/
grep '^route ' /tmp/show1 > /tmp/routes.conf
run_ok httpctl -b /tmp/routes.conf
httpctl show > /tmp/show2
expect_eq "round trip" "$(grep '^route ' /tmp/show2 | sort)" "$(sort /tmp/routes.conf)"
expect_eq "restored rules apply" "$(code http://127.0.0.1/alpha.txt --interface 127.0.0.2)" "403"
expect_eq "restored rules allow" "$(code http://127.0.0.1/alpha.txt)" "200"
expect_eq "restored deny all" "$(code 'http://[::1]/alpha.txt')" "403"

# With the other route options: the rules come before a redirect, a
# route's error-page 403 answers the refusal, its added headers go on the
# allowed answers, a metrics route takes rules and headers too; show and
# httpctl -b keep every option.
echo '<p>go away</p>' > /srv/www/403.html
chmod a+r /srv/www/403.html
run_ok httpctl route add /r/ redirect https://x.example/ keep-path allow 127.0.0.1 deny all
expect_eq "redirect allowed" "$(code http://127.0.0.1/r/a)" "302"
expect_eq "redirect refused" "$(code http://127.0.0.1/r/a --interface 127.0.0.2)" "403"
run_ok httpctl route add /p/ static /srv/www precompressed on deny 127.0.0.2 \
	header 'X-Combo: 1' error-page 403 /403.html
expect_match "error page for a refusal" "$(curl -s --interface 127.0.0.2 http://127.0.0.1/p/alpha.txt)" "go away"
expect_eq "refusal keeps its status" "$(code http://127.0.0.1/p/alpha.txt --interface 127.0.0.2)" "403"
expect_match "header on an allowed answer" "$(curl -s -D - -o /dev/null http://127.0.0.1/p/alpha.txt | tr -d '\r')" '^X-Combo: 1$'
run_ok httpctl route add /m/ metrics allow 127.0.0.1 deny all header 'X-Combo: 2'
expect_match "metrics header" "$(curl -s -D - -o /dev/null http://127.0.0.1/m | tr -d '\r')" '^X-Combo: 2$'
expect_eq "metrics refused" "$(code http://127.0.0.1/m --interface 127.0.0.2)" "403"
run_err httpctl route add /bad/ redirect https://x.example/ precompressed on
expect_match "no precompressed on a redirect" "$ERR" "precompressed is for static routes"
run_err httpctl route add /bad/ metrics keep-path
expect_match "no keep-path on metrics" "$ERR" "keep-path is for redirect routes"
httpctl show | grep '^route add /[rpm]/ ' > /tmp/combo.conf
expect_match "show redirect" "$(cat /tmp/combo.conf)" '^route add /r/ redirect https://x\.example/ status 302 keep-path allow 127\.0\.0\.1/32 deny all$'
expect_match "show static" "$(cat /tmp/combo.conf)" '^route add /p/ static /srv/www precompressed on deny 127\.0\.0\.2/32 header .X-Combo: 1. error-page 403 /403\.html$'
expect_match "show metrics" "$(cat /tmp/combo.conf)" '^route add /m/ metrics allow 127\.0\.0\.1/32 deny all header .X-Combo: 2.$'
run_ok httpctl route del /r/
run_ok httpctl route del /p/
run_ok httpctl route del /m/
run_ok httpctl -b /tmp/combo.conf
expect_eq "combined round trip" "$(httpctl show | grep '^route add /[rpm]/ ' | sort)" "$(sort /tmp/combo.conf)"
expect_eq "restored redirect refuses" "$(code http://127.0.0.1/r/a --interface 127.0.0.2)" "403"

ip addr del fd00::2/128 dev lo
unload
exit 0
