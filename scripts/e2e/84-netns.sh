# SPDX-License-Identifier: GPL-2.0
# Network namespaces (containers): one khttp per namespace.  Three
# namespaces c1..c3, each linked to the root one by a veth pair
# (10.0.N.1 inside, 10.0.N.2 outside) and each with 10.0.0.1 on its own
# lo: the same address:port in all three, each serving its own docroot;
# `httpctl -n` lists only its own namespace's entries, counters and
# access log, and a container cannot bind an address only another
# namespace has.  A pool named app in
# two namespaces, each with its own worker (opened by name through
# libhttpq, at /dev/httpq/<netns inode>/app), each answered by its own,
# also from the response cache; a worker of one namespace cannot open
# another's pool.  A non-root user namespace owner configures khttp in its
# own namespace and is refused in the initial one.  A namespace deleted
# under load takes its khttp with it (device gone, no splat, kmemleak
# checked by the harness) while the others keep answering, and rmmod with
# namespaces alive works.
. /khttp/lib.sh

# iproute2's ip (initramfs.sh copies it); busybox's has no netns.
ip() {
	/usr/sbin/ip "$@"
}

out=$(ip netns list 2>&1) || fail "this ip has no netns support: $out"
load_mods /lib/khttp/mod-veth
ip link add kx0 type veth peer name kx1 || fail "no veth"
ip link del kx0

make_site
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl route add / static /srv/www

for n in 1 2 3; do
	ip netns add c$n
	ip link add vh$n type veth peer name vc$n
	ip link set vc$n netns c$n
	ip addr add 10.0.$n.2/24 dev vh$n
	ip link set vh$n up
	ip -n c$n link set lo up
	ip -n c$n addr add 10.0.$n.1/24 dev vc$n
	ip -n c$n link set vc$n up
	ip -n c$n addr add 10.0.0.1/32 dev lo
	mkdir -p /srv/c$n
	echo "content of c$n" > /srv/c$n/index.html
	chmod -R a+rX /srv/c$n
	# The root's 127.0.0.1:80 is not this namespace's: free here.
	run_ok httpctl -n c$n iplisten add 127.0.0.1:80
	run_ok httpctl -n c$n iplisten add 10.0.0.1:80
	run_ok httpctl -n c$n iplisten add 10.0.$n.1:80
	run_ok ip netns exec c$n httpctl route add / static /srv/c$n
done

# Each answers its own content, over its veth and on the shared address.
for n in 1 2 3; do
	expect_eq "c$n over veth" "$(curl -s --max-time 10 http://10.0.$n.1/)" "content of c$n"
	expect_eq "c$n on 10.0.0.1" "$(ip netns exec c$n curl -s --max-time 10 http://10.0.0.1/)" "content of c$n"
	expect_eq "c$n on its 127.0.0.1" "$(ip netns exec c$n curl -s --max-time 10 http://127.0.0.1/)" "content of c$n"
done
expect_eq "root's own" "$(curl -s --max-time 10 http://127.0.0.1/)" "hello from khttp"

# httpctl in one namespace never lists another's entries.
expect_eq "root listen list" "$(httpctl iplisten list)" "127.0.0.1:80"
l1=$(httpctl -n c1 iplisten list)
expect_match "c1 lists its own" "$l1" "10\.0\.1\.1:80"
echo "$l1" | grep -qE '10\.0\.[23]\.1' && fail "c1 lists another namespace's entry: $l1"
expect_eq "c1 listen count" "$(echo "$l1" | wc -l)" "3"
r2=$(httpctl --netns c2 route list)
expect_match "c2 route" "$r2" "^/ static /srv/c2"
echo "$r2" | grep -qE '/srv/(www|c1|c3)' && fail "c2 lists another's route: $r2"
echo "$(httpctl route list)" | grep -q '/srv/c' && fail "root lists a container's route"
st=$(httpctl -n c3 status)
expect_match "c3 status" "$st" "listen entries: 3"
expect_match "c3 status routes" "$st" "routes: 1"

# A container cannot bind an address only another namespace has.
run_err httpctl -n c1 iplisten add 10.0.2.1:80
expect_match "foreign address" "$ERR" "not assigned to this host"
run_err httpctl -n c1 iplisten add 10.0.1.2:80
expect_match "root's veth address" "$ERR" "not assigned to this host"
# HTTPS only in the initial namespace (one agent, the host's certificates).
run_err httpctl -n c1 iplisten add 10.0.1.1:443 tls
expect_match "no TLS entry in a container" "$ERR" "only in the initial network namespace"
expect_eq "c1 list unchanged" "$(httpctl -n c1 iplisten list | wc -l)" "3"

# Counters are per namespace.
before=$(stat requests)
for i in 1 2 3 4 5; do curl -s -o /dev/null http://10.0.1.1/; done
expect_eq "root requests unchanged" "$(stat requests)" "$before"
c1req=$(httpctl -n c1 stats | sed -n 's/^requests //p')
[ "$c1req" -ge 8 ] || fail "c1 counted $c1req requests"
c2req=$(httpctl -n c2 stats | sed -n 's/^requests //p')
[ "$c2req" -lt "$c1req" ] || fail "c2 counted c1's requests ($c2req, $c1req)"

# Each namespace has its own access-log stream.
httpctl -n c1 log -o /tmp/c1.log 2> /tmp/c1.err &
lg1=$!
httpctl log -o /tmp/root.log 2> /tmp/root.err &
lg0=$!
logged() {
	curl -s -o /dev/null http://10.0.1.1/c1-mark
	curl -s -o /dev/null http://127.0.0.1/root-mark
	grep -q 'GET /c1-mark ' /tmp/c1.log && grep -q 'GET /root-mark ' /tmp/root.log
}
wait_until 30 logged || fail "no log records: $(cat /tmp/c1.err /tmp/root.err)"
grep -q root-mark /tmp/c1.log && fail "c1's log has the root's requests"
grep -q c1-mark /tmp/root.log && fail "the root's log has c1's requests"
kill $lg1 $lg0
reap $lg1 $lg0

# A pool named app in c1 and c2, each with its own worker, answers
# cacheable for 30 s: the same URL in each is answered by its own worker.
i1=$(ip netns exec c1 readlink /proc/self/ns/net | tr -dc 0-9)
i2=$(ip netns exec c2 readlink /proc/self/ns/net | tr -dc 0-9)
for n in 1 2; do
	run_ok httpctl -n c$n pool add app
	run_ok httpctl -n c$n route add /app/ pool app
done
[ -c /dev/httpq/$i1/app ] || fail "no /dev/httpq/$i1/app"
[ -c /dev/httpq/$i2/app ] || fail "no /dev/httpq/$i2/app"
[ -e /dev/httpq/app ] && fail "a container's pool took the initial namespace's name"
echo "$(httpctl pool list)" | grep -q app && fail "root lists a container's pool"
ip netns exec c1 httpq-hello -p app -c 30 > /tmp/w1.log 2>&1 &
w1=$!
ip netns exec c2 httpq-hello -p app -c 30 > /tmp/w2.log 2>&1 &
w2=$!
wait_until 20 sh -c "httpctl -n c1 pool list | grep -q 'readers 1'" || fail "c1 worker did not attach: $(cat /tmp/w1.log)"
wait_until 20 sh -c "httpctl -n c2 pool list | grep -q 'readers 1'" || fail "c2 worker did not attach: $(cat /tmp/w2.log)"
a1=$(ip netns exec c1 curl -s --max-time 10 http://10.0.0.1/app/x)
a2=$(ip netns exec c2 curl -s --max-time 10 http://10.0.0.1/app/x)
# ip netns exec forks: the worker's pid is the one inside its namespace.
p1=$(echo "$a1" | sed -n 's/^hello from app #1 pid \([0-9]*\).*/\1/p')
p2=$(echo "$a2" | sed -n 's/^hello from app #1 pid \([0-9]*\).*/\1/p')
[ -n "$p1" ] && [ -n "$p2" ] || fail "not answered by workers: '$a1' '$a2'"
ip netns pids c1 | grep -qx "$p1" || fail "c1 answered by pid $p1, not c1's worker ($(ip netns pids c1))"
ip netns pids c2 | grep -qx "$p2" || fail "c2 answered by pid $p2 (c1's cached answer?), not c2's worker ($(ip netns pids c2))"
# Cached now: each namespace gets its own entry back.
expect_eq "c1 from cache" "$(ip netns exec c1 curl -s --max-time 10 http://10.0.0.1/app/x)" "$a1"
expect_eq "c2 from cache" "$(ip netns exec c2 curl -s --max-time 10 http://10.0.0.1/app/x)" "$a2"
expect_match "c1 cache list" "$(httpctl -n c1 cache list)" "^http://10\.0\.0\.1(:80)?/app/x"
echo "$(httpctl cache list)" | grep -q '/app/x' && fail "root lists a container's cache entry"
expect_match "c2 flush is its own" "$(httpctl -n c2 cache flush)" "^flushed [1-9]"
expect_eq "c1 still cached" "$(ip netns exec c1 curl -s --max-time 10 http://10.0.0.1/app/x)" "$a1"
# A worker outside c1 cannot open c1's pool, whatever the file mode.
run_ok httpctl -n c1 pool set app mode 0666
if (exec 3<> /dev/httpq/$i1/app) 2> /dev/null; then
	fail "the root namespace opened c1's pool"
fi
if ip netns exec c2 sh -c "exec 3<> /dev/httpq/$i1/app" 2> /dev/null; then
	fail "c2 opened c1's pool"
fi
# ip netns exec's child is the worker: stop it, not just its parent.
kill $(ip netns pids c1) $(ip netns pids c2) $w1 $w2 2> /dev/null || true
reap $w1 $w2
wait_until 20 sh -c "[ -z \"\$(/usr/sbin/ip netns pids c1)\$(/usr/sbin/ip netns pids c2)\" ]" || fail "workers still running"

# A non-root user namespace owner: its own namespace yes, the initial no.
out=$(su worker -s /bin/sh -c 'unshare -U -r -n sh -c "ip link set lo up && httpctl iplisten add 127.0.0.1:8080 && httpctl iplisten list"' 2>&1) ||
	fail "a user namespace owner could not configure its own namespace: $out"
expect_eq "own namespace" "$out" "127.0.0.1:8080"
if out=$(su worker -s /bin/sh -c 'unshare -U -r httpctl iplisten add 127.0.0.1:8081' 2>&1); then
	fail "a user namespace owner configured the initial namespace"
fi
expect_match "refused in the initial one" "$out" "CAP_NET_ADMIN"
expect_eq "initial list untouched" "$(httpctl iplisten list)" "127.0.0.1:80"

# Delete c3 under load: a pool with a request queued, clients looping.
i3=$(ip netns exec c3 readlink /proc/self/ns/net | tr -dc 0-9)
run_ok httpctl -n c3 pool add app
run_ok httpctl -n c3 route add /app/ pool app
[ -c /dev/httpq/$i3/app ] || fail "no /dev/httpq/$i3/app"
curl -s -o /dev/null --max-time 60 http://10.0.3.1/app/waiting &
queued=$!
(while :; do curl -s -o /dev/null --max-time 2 http://10.0.3.1/ || true; done) &
load3=$!
(while :; do curl -s -o /dev/null --max-time 2 http://10.0.1.1/ || true; done) &
load1=$!
wait_until 20 sh -c "httpctl -n c3 pool list | grep -q 'queued 1'" || fail "request not queued in c3"
sleep 1
ip netns del c3
wait_until 30 sh -c "! test -e /dev/httpq/$i3/app" || fail "c3's pool device outlived its namespace"
wait_until 30 sh -c "! kill -0 $queued 2> /dev/null" || fail "c3's queued client still waiting"
kill $load3 $load1
reap $load3 $load1 $queued
for n in 1 2; do
	expect_eq "c$n after c3 went" "$(curl -s --max-time 10 http://10.0.$n.1/)" "content of c$n"
done
expect_eq "root after c3 went" "$(curl -s --max-time 10 http://127.0.0.1/)" "hello from khttp"

# rmmod with c1 and c2 alive, their pools and listeners in place.
unload
[ -e /dev/httpq ] && [ -n "$(ls -A /dev/httpq 2> /dev/null)" ] && fail "pool devices left after rmmod: $(ls -R /dev/httpq)"
rc=0
curl -s -o /dev/null --max-time 3 http://10.0.1.1/ || rc=$?
[ $rc != 0 ] || fail "c1 still answers after rmmod"
# Loaded again, the namespaces start empty.
load
expect_eq "c1 empty after reload" "$(httpctl -n c1 iplisten list)" ""
unload
ip netns del c1
ip netns del c2
echo "netns: 3 namespaces served, c3 deleted under load, rmmod with 2 alive"
