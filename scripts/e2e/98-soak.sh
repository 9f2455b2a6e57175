# SPDX-License-Identifier: GPL-2.0
# Soak: mixed load for KHTTP_SOAK_SECONDS (30 s here; scripts/soak.sh sets
# minutes through /khttp/soak.env): static files and ranges, a dynamic pool,
# a cached pool, bad requests and 404s, slow and vanishing clients, and
# workers restarted (SIGTERM and kill -9) all along.  Afterwards nothing is
# queued or in hand, every connection closes, the module unloads, and (on
# the test kernel) KASAN, lockdep and kmemleak saw nothing.
. /khttp/lib.sh
[ -r /khttp/soak.env ] && . /khttp/soak.env
SECS=${KHTTP_SOAK_SECONDS:-30}
make_site
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl iplisten add [::1]:80
run_ok httpctl route add / static /srv/www
run_ok httpctl pool add dyn queue-timeout 5000
run_ok httpctl route add /dyn/ pool dyn
run_ok httpctl pool add cached queue-timeout 5000
run_ok httpctl route add /cached/ pool cached
base_req=$(stat requests)

end=$(( $(cut -d. -f1 /proc/uptime) + SECS ))
export end
running() { [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; }

LOOPS=
spawn() {
	( while running; do "$@" || :; done ) > /dev/null 2>&1 &
	LOOPS="$LOOPS $!"
}
# hostile NAME RAWHTTP_ARGS REQUEST: send REQUEST (printf format) with
# rawhttp over and over; each round adds "<rawhttp exit> <statuses>" to
# /tmp/hostile.NAME, checked once the load stops.
hostile() {
	hname=$1 hargs=$2 hreq=$3
	: > /tmp/hostile.$hname
	( while running; do
		hrc=0
		hout=$(printf "$hreq" | rawhttp $hargs 127.0.0.1 80) || hrc=$?
		echo "$hrc $(statuses "$hout")" >> /tmp/hostile.$hname
		# After a reset the next client is served.
		case $hargs in *-r*)
			echo "next $(status http://127.0.0.1/alpha.txt)" >> /tmp/hostile.$hname ;;
		esac
	done ) > /dev/null 2>&1 &
	LOOPS="$LOOPS $!"
}
# Static: whole files, ranges, conditional, IPv6, HEAD.
spawn curl -s -o /dev/null --max-time 5 http://127.0.0.1/big.bin
spawn curl -s -o /dev/null --max-time 5 -r 100-5000 'http://[::1]/big.bin'
spawn curl -s -o /dev/null --max-time 5 -I http://127.0.0.1/alpha.txt \
	http://127.0.0.1/sub/ http://127.0.0.1/data.json http://127.0.0.1/nope
# Dynamic and cached (a few distinct URLs, so hits and inserts mix).
spawn curl -s -o /dev/null --max-time 8 'http://127.0.0.1/dyn/a[1-5]'
spawn curl -s -o /dev/null --max-time 8 -d 'body=1' http://127.0.0.1/dyn/post
spawn curl -s -o /dev/null --max-time 8 'http://127.0.0.1/cached/p[1-20]'
# Errors and hostile clients: bad heads, a smuggling shape, a slow
# sender, a reset mid-response.  Each must get its answer: a 400 and a
# FIN for the bad ones, the file for the slow sender (which asks to
# close, so the FIN ends the round), and service for the next client
# after a reset.  The timeouts are generous: a FIN ends a round at once.
hostile obs-fold "-t 15000" 'GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n'
hostile cl-te "-t 15000" 'POST /dyn/x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
hostile slow "-c 3 -d 100 -t 15000" 'GET /alpha.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
hostile rst "-r -t 1000" 'GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n'

# Workers, restarted all along.
httpq-hello -p dyn > /dev/null 2>&1 &
wd=$!
httpq-hello -p cached -c 2 > /dev/null 2>&1 &
wc=$!
restarts=0
while running; do
	sleep 3
	kill -TERM $wd
	reap $wd
	httpq-hello -p dyn -d 20 > /dev/null 2>&1 &
	wd=$!
	sleep 2
	kill -9 $wc
	reap $wc
	httpq-hello -p cached -c 2 > /dev/null 2>&1 &
	wc=$!
	restarts=$((restarts + 2))
done
reap $LOOPS
expect_match "dynamic still answers" "$(curl -s --max-time 10 http://127.0.0.1/dyn/end)" "^hello from dyn"
kill $wd $wc
reap $wd $wc
reqs=$(( $(stat requests) - base_req ))
echo "KHTTP-NOTE 98-soak: $SECS s, $reqs requests, $restarts worker restarts" > /dev/console
echo "soak: $SECS s, $reqs requests, $restarts worker restarts"
httpctl stats
httpctl pool list
# TCG with KASAN manages a few requests a second; the point is the mix.
[ "$reqs" -ge 20 ] || fail "too little load: $reqs requests"
# Every hostile round got what it must: want NAME LINE.
want() {
	n=$(grep -c . /tmp/hostile.$1 || true)
	bad=$(grep -vxF -e "$2" -e "${3:-$2}" /tmp/hostile.$1 | sort | uniq -c || true)
	echo "hostile $1: $n rounds"
	[ "$n" -ge 2 ] || fail "hostile $1: only $n rounds"
	[ -z "$bad" ] || fail "hostile $1: unexpected answers (rawhttp exit, statuses): $bad"
}
want obs-fold "0 400 "
want cl-te "0 400 "
want slow "0 200 "
want rst "0 " "next 200"

conns_zero() { [ "$(stat conn_active)" = 0 ]; }
wait_until 30 conns_zero || fail "connections left open: $(stat conn_active)"
for p in dyn cached; do
	expect_match "$p idle" "$(httpctl pool list | grep "^$p ")" " queued 0 in-hand 0 readers 0 "
done
unload
exit 0
