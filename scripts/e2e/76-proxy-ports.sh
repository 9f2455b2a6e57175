# SPDX-License-Identifier: GPL-2.0
# httpq-proxy source-port scalability, measured.  With ip_local_port_range
# narrowed to 1,000 ports, IP_BIND_ADDRESS_NO_PORT lets the proxy hold
# 3,000 concurrent upstream connections from one source address to three
# upstream addresses, and 4,000 from four source addresses to one
# upstream, every request answered.  With the option off
# (--no-bind-no-port), bind() reserves a port per connection whatever the
# destination: about 1,000 connections, and the rest get 503 quickly, not
# a hang.  Clients bind ports outside the narrowed range (fanout -b).
# "At once" is the upstream's peak of open connections.  It comes out one
# short (2,999, 3,999), and the peak must only be within 1% of the count:
# a known fault, not a counting error.  The upstream's counters show it
# (firstclose, openatclose, reqsatclose, acceptsafter): all N requests and
# connections reach it before any closes, yet when the first closes only
# N-1 are open, because one request arrived alone about one sleep (30 s)
# before the other N-1, was answered and closed with nothing else open; the
# N-1 arrive in a burst just after that first answer, fanout takes two
# sleeps (65 s), and the pool's queued-max is ~2,500: the requests waited in
# khttp's queue while httpq-proxy read none.  No packet drops or
# retransmits (printed per run).  A wakeup lost between the pool queue and
# the proxy's EPOLLEXCLUSIVE device watch is the suspect; not yet fixed.
. /khttp/lib.sh
ulimit -n 65536
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl set max-conns 20000
run_ok httpctl pool add pp queue-length 10000
run_ok httpctl route add / pool pp
old_range=$(cat /proc/sys/net/ipv4/ip_local_port_range)
echo "20000 20999" > /proc/sys/net/ipv4/ip_local_port_range
SLEEP=${PROXY_PORTS_SLEEP:-30000}

# ustat NAME ADDR:PORT, asked from a port outside the narrowed range
ustat() {
	curl -s --local-port 61000-61999 "http://$2/stats" |
		awk -v k="$1" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}'
}

# netc: softnet drops, listen overflows/drops, retransmits, timeouts
netc() {
	echo "softnet_drop_hex $(awk '{printf "%s ", $2}' /proc/net/softnet_stat 2>/dev/null)" \
		"$(awk '/^TcpExt:/ {if (!h) {split($0, k); h = 1} else {for (i = 2; i <= NF; i++) if (k[i] ~ /^(ListenOverflows|ListenDrops|TCPTimeouts|TCPSynRetrans|TCPBacklogDrop|TCPReqQFullDrop|TCPReqQFullDoCookies|SyncookiesSent)$/) printf "%s %s ", k[i], $i}}' /proc/net/netstat)" \
		"$(awk '/^Tcp:/ {if (!h) {split($0, k); h = 1} else {for (i = 2; i <= NF; i++) if (k[i] == "RetransSegs") printf "RetransSegs %s", $i}}' /proc/net/snmp)"
}

# run NAME N CLIENT_PORT_BASE UPSTREAM_CHECK PROXY_ARGS...: prints
# "<200s> <503s> <others+failed+timeouts> <upstream max concurrent>"
run() {
	name=$1 cnt=$2 base=$3 check=$4
	shift 4
	upstream -l 127.0.0.2:9000 -l 127.0.0.3:9000 -l 127.0.0.4:9000 -l 127.0.0.5:9000 &
	up=$!
	wait_until 10 curl -sf --local-port 61000-61999 -o /dev/null "http://$check/stats"
	httpq-proxy -p pp --max-idle 0 --connect-timeout 60000 \
		--response-timeout 180000 "$@" &
	px=$!
	sleep 1
	n0=$(netc)
	t0=$(cut -d' ' -f1 /proc/uptime)
	r=$(fanout -n "$cnt" -b "$base" -u "/sleep/$SLEEP" -t 240)
	t1=$(cut -d' ' -f1 /proc/uptime)
	n1=$(netc)
	m=$(ustat maxopen "$check")
	d=$(curl -s --local-port 61000-61999 "http://$check/stats")
	q=$(httpctl pool list | grep -o 'queued-max [0-9]*' || true)
	kill $px $up
	reap $px $up
	echo "$name: $r; upstream held $m at once; fanout $t0..$t1 s;" \
		"net before: $n0; after: $n1; upstream: $d; pool $q" >&2
	echo "$r" | awk -v m="$m" '{print $4, $6, $8 + $10 + $12, m}'
}

set -- $(run one-source 3000 30000 127.0.0.2:9000 --source 127.0.0.1 \
	--upstream 127.0.0.2:9000 --upstream 127.0.0.3:9000 --upstream 127.0.0.4:9000)
echo "PORTS bind-no-port, 1 source -> 3 upstreams: $4 concurrent upstream connections, $1 answered 200, $2 got 503"
expect_eq "1 source x 3 upstreams: answered" "$1 $2 $3" "3000 0 0"
[ "$4" -ge 2970 ] || fail "held only $4 concurrent upstream connections"

set -- $(run four-sources 4000 40000 127.0.0.5:9000 --source 127.0.1.1 \
	--source 127.0.1.2 --source 127.0.1.3 --source 127.0.1.4 \
	--upstream 127.0.0.5:9000)
echo "PORTS bind-no-port, 4 sources -> 1 upstream: $4 concurrent upstream connections, $1 answered 200, $2 got 503"
expect_eq "4 sources x 1 upstream: answered" "$1 $2 $3" "4000 0 0"
[ "$4" -ge 3960 ] || fail "held only $4 concurrent upstream connections"

# Last: ports bound by bind() linger in TIME_WAIT buckets that connect()
# would skip.  A fresh source address keeps it apart from the runs above.
set -- $(run no-bind-no-port 3000 50000 127.0.0.2:9000 --no-bind-no-port \
	--source 127.0.0.10 \
	--upstream 127.0.0.2:9000 --upstream 127.0.0.3:9000 --upstream 127.0.0.4:9000)
echo "PORTS without bind-no-port, 1 source -> 3 upstreams: $4 concurrent upstream connections, $1 answered 200, $2 got 503"
[ "$1" -le 1100 ] || fail "without the option $1 connections: the option is not what made the difference"
[ "$1" -ge 500 ] || fail "without the option only $1 answered"
expect_eq "the rest 503, none hung" "$(($1 + $2)) $3" "3000 0"

echo "$old_range" > /proc/sys/net/ipv4/ip_local_port_range
run_ok httpctl pool del pp force
unload
