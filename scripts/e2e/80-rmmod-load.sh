# SPDX-License-Identifier: GPL-2.0
# rmmod at any time: with clients mid-download, idle keep-alive clients and
# half-sent requests, the module unloads, clients are closed, and it loads
# again cleanly (KASAN, lockdep and kmemleak watch on the test kernel).
. /khttp/lib.sh
make_site
for round in 1 2 3; do
	load
	run_ok httpctl iplisten add 127.0.0.1:80
	run_ok httpctl iplisten add [::1]:80
	run_ok httpctl route add / static /srv/www
	# Downloads in a loop, slow readers, idle and half-sent requests.
	( while curl -s -o /dev/null --max-time 5 http://127.0.0.1/big.bin; do :; done ) &
	l1=$!
	( while curl -s -o /dev/null --max-time 5 'http://[::1]/alpha.txt'; do :; done ) &
	l2=$!
	printf 'GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n' |
		rawhttp -p 3000 -t 8000 127.0.0.1 80 > /dev/null &
	printf 'GET / HTTP/1.1\r\nHo' | rawhttp -t 8000 127.0.0.1 80 > /dev/null &
	printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | rawhttp -t 8000 127.0.0.1 80 > /dev/null &
	started() {
		conns=$(httpctl stats | sed -n 's/^conn_accepted //p')
		[ "${conns:-0}" -gt 3 ]
	}
	wait_until 30 started || fail "round $round: load did not start ($conns)"
	rmmod khttp || fail "round $round: rmmod under load failed"
	grep -q '^khttp ' /proc/modules && fail "round $round: still loaded"
	kill $l1 $l2 2>/dev/null || true	# the loops may have ended with the module
	wait 2>/dev/null
done
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl route add / static /srv/www
expect_eq "serves after reloads" "$(status http://127.0.0.1/)" "200"
unload
exit 0
