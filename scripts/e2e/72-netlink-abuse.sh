# SPDX-License-Identifier: GPL-2.0
# Netlink abuse: a libmnl client (nlabuse) sends the khttp family missing,
# oversized, mistyped and out-of-range attributes, unknown attribute and
# command numbers, bad genetlink headers, and dumps every dump command over
# a 2000-route table; then the same changes from a user without
# CAP_NET_ADMIN.  Every refusal carries the right errno and an extack
# (except where the genetlink core refuses before khttp sees the message),
# and afterwards the configuration is exactly what it was.
. /khttp/lib.sh
serve_site
run_ok httpctl pool add nl owner worker mode 0600
run_ok httpctl route add /nl/ pool nl
run_ok httpctl set max-conns 500
# A big table, so route dumps span many messages and skbs.
awk 'BEGIN { for (i = 0; i < 2000; i++) print "route add /bulk/r" i "/ static /srv/www" }' \
	> /tmp/routes.batch
run_ok httpctl -b /tmp/routes.batch > /dev/null

snapshot() {
	for c in status "iplisten list" "route list" "pool list" "show config"; do
		echo "== $c"
		httpctl $c
	done
}
snapshot > /tmp/before
expect_match "bulk routes" "$(httpctl status)" "routes: 2002"

rc=0; nlabuse > /tmp/nl.out 2>&1 || rc=$?
cat /tmp/nl.out
grep -q '^not ok' /tmp/nl.out && fail "nlabuse: $(grep '^not ok' /tmp/nl.out | head -5)"
[ "$rc" = 0 ] || fail "nlabuse exited $rc"
[ "$(grep -c '^ok ' /tmp/nl.out)" -ge 100 ] || fail "nlabuse ran too few cases"

chmod 755 /
rc=0; su worker -s /bin/sh -c 'nlabuse -u' > /tmp/nlu.out 2>&1 || rc=$?
cat /tmp/nlu.out
grep -q '^not ok' /tmp/nlu.out && fail "nlabuse -u: $(grep '^not ok' /tmp/nlu.out | head -5)"
[ "$rc" = 0 ] || fail "nlabuse -u exited $rc"
[ "$(grep -c '^ok user/' /tmp/nlu.out)" -ge 11 ] || fail "nlabuse -u ran too few cases"

snapshot > /tmp/after
if ! cmp -s /tmp/before /tmp/after; then
	diff /tmp/before /tmp/after | head -20
	fail "the configuration changed"
fi
[ -e /dev/httpq/nl ] || fail "/dev/httpq/nl vanished"
expect_eq "device mode" "$(ls -ln /dev/httpq/nl | awk '{print $1, $3}')" "crw------- 1000"
expect_eq "still serves" "$(status http://127.0.0.1/alpha.txt)" "200"
unload
exit 0
