# SPDX-License-Identifier: GPL-2.0
# Many routes added and deleted one command at a time (as make bench's
# scale step does): every answer right after the churn comes from the
# route it should, deletes free what they held, rmmod with 10,000 routes
# in the table is clean.  The times go to the console for comparison; they
# are not asserted (TCG and KASAN make any bound meaningless).  On the
# debug kernel the table holds 2,000 routes: every httpctl there dumps the
# whole table, which at 10,000 routes under KASAN took over five minutes.
. /khttp/lib.sh
N=10000
on_debug_kernel && N=2000
for d in a b c; do
	mkdir -p /srv/rc/$d/sub
	echo "$d" > /srv/rc/$d/id.txt
	echo "$d sub" > /srv/rc/$d/sub/id.txt
done
chmod -R a+rX /srv/rc
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl pool add churn
# Stopped: its routes answer 503 at once, which tells them from static ones.
run_ok httpctl pool set churn state inactive
U=http://127.0.0.1
now() { cut -d' ' -f1 /proc/uptime; }
note() { echo "route-churn: $*"; echo "route-churn: $*" > /dev/console; }
count() { httpctl status | sed -n 's/^routes: //p'; }
# batch FILE: run it, and print how long it took.
batch() {
	t0=$(now)
	out=$(httpctl -b "$1" 2>&1) || fail "batch $1: $out"
	awk "BEGIN { print $(now) - $t0 }"
}

# 10,000 adds, one netlink request each; every 7th goes to a pool.  (No
# trace of the loops that write the batch files: 50,000 lines of it.)
set +x
i=0
: > /tmp/add
while [ $i -lt $N ]; do
	if [ $((i % 7)) = 3 ]; then
		echo "route add /r$i/ pool churn" >> /tmp/add
	else
		echo "route add /r$i/ static /srv/rc/a" >> /tmp/add
	fi
	i=$((i + 1))
done
set -x
note "$N adds in $(batch /tmp/add) s"
expect_eq "count after adds" "$(count)" "$N"
expect_eq "listed" "$(httpctl route list | wc -l)" "$N"
expect_eq "first" "$(curl -s $U/r0/id.txt)" "a"
# The last route of each kind (every i with i % 7 = 3 is a pool's).
lp=$((N - 1 - (N - 4) % 7))
ls=$((N - 1)); [ $((ls % 7)) != 3 ] || ls=$((N - 2))
mid=$((N / 2)); [ $((mid % 7)) != 3 ] || mid=$((mid + 1))
expect_eq "middle" "$(curl -s $U/r$mid/id.txt)" "a"
expect_eq "last static" "$(curl -s $U/r$ls/id.txt)" "a"
expect_eq "last, a pool route" "$(status $U/r$lp/x)" "503"
expect_eq "no such route" "$(status $U/r$N/id.txt)" "404"
expect_eq "prefix boundary" "$(status $U/r99x/id.txt)" "404"
expect_eq "pool route" "$(status $U/r3/x)" "503"

# Refusals leave the table as it was.
run_err httpctl route add /r42/ static /srv/rc/b
expect_match "duplicate" "$ERR" "already exists"
run_err httpctl route del /r$N/
expect_match "missing" "$ERR" "no route"
expect_eq "count after refusals" "$(count)" "$N"

# Delete the odd routes below D, one httpctl each: in a batch, httpctl
# rereads the whole configuration before every delete (for its undo).
D=400
on_debug_kernel && D=200
set +x
t0=$(now)
i=1
: > /tmp/readd
while [ $i -lt $D ]; do
	httpctl route del /r$i/ || fail "route del /r$i/"
	echo "route add /r$i/ static /srv/rc/b" >> /tmp/readd
	i=$((i + 2))
done
set -x
note "$((D / 2)) deletes, one httpctl each, in $(awk "BEGIN { print $(now) - $t0 }") s"
expect_eq "count after deletes" "$(count)" "$((N - D / 2))"
expect_eq "deleted odd" "$(status $U/r1/id.txt)" "404"
expect_eq "deleted last" "$(status $U/r$((D - 1))/id.txt)" "404"
expect_eq "kept even" "$(curl -s $U/r$((D - 4))/id.txt)" "a"
expect_eq "kept even 2" "$(curl -s $U/r2/id.txt)" "a"
expect_eq "kept above" "$(curl -s $U/r$((D + 1))/id.txt)" "a"

# Re-add the deleted ones elsewhere (delete + add = replace), nest deeper.
note "$((D / 2)) re-adds in $(batch /tmp/readd) s"
expect_eq "count after re-adds" "$(count)" "$N"
expect_eq "re-added" "$(curl -s $U/r1/id.txt)" "b"
expect_eq "re-added last" "$(curl -s $U/r$((D - 1))/id.txt)" "b"
expect_eq "even untouched" "$(curl -s $U/r4/id.txt)" "a"
run_ok httpctl route add /r4/sub/ static /srv/rc/c
run_ok httpctl route add http://www.example.com:80/r4/ static /srv/rc/c
expect_eq "longest wins" "$(curl -s $U/r4/sub/id.txt)" "c"
expect_eq "shorter still" "$(curl -s $U/r4/id.txt)" "a"
expect_eq "host wins" "$(curl -s -H 'Host: www.example.com' $U/r4/id.txt)" "c"
expect_eq "other host" "$(curl -s -H 'Host: x.example' $U/r4/id.txt)" "a"
run_ok httpctl route del /r4/sub/
expect_eq "nested gone" "$(curl -s $U/r4/sub/id.txt)" "a sub"

# A pool goes with its routes (force): they go from lookups at once.
# Left on the pool: the i with i % 7 = 3 but the odd ones below D, which
# were re-added as static routes.
expect_eq "pool route before" "$(status $U/r10/x)" "503"
expect_eq "re-added pool route" "$(curl -s $U/r3/id.txt)" "b"
run_err httpctl pool del churn
run_ok httpctl pool del churn force
expect_eq "pool routes gone" "$(status $U/r10/x)" "404"
expect_eq "count after pool" "$(count)" \
	"$((N + 1 - ((N + 3) / 7 - (D + 10) / 14)))"
expect_eq "static kept" "$(curl -s $U/r12/id.txt)" "a"

# Requests while routes come and go never see a freed route: every answer
# is the old route's (a), the new one's (c) or, between a delete and its
# add, the 404 of no route (there is no / route); every delete and add
# succeeds.
churn_clients $U/r2/id.txt /tmp/churn.out
c0=$(count)
i=0
while [ $i -lt 30 ]; do
	httpctl route del /r2/ || fail "churn $i: route del failed"
	httpctl route add /r2/ static /srv/rc/c || fail "churn $i: route add failed"
	i=$((i + 1))
done
churn_done
n=$(grep -c . /tmp/churn.out)
[ "$n" -ge 10 ] || fail "answers during churn: $n, want at least 10"
bad=$(grep -vxE '[ac] 200|404' /tmp/churn.out || true)
[ -z "$bad" ] || fail "answers during churn: $(echo "$bad" | sort | uniq -c)"
expect_eq "count after churn" "$(count)" "$c0"
expect_eq "replaced" "$(curl -s $U/r2/id.txt)" "c"
unload
exit 0
