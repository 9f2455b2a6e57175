# SPDX-License-Identifier: GPL-2.0
# A hostile worker: /dev/httpq refuses every malformed write with the
# documented errno, a refused record changes nothing, reads leak no kernel
# memory, and afterwards nothing is left queued or in hand, a normal
# worker still serves the pool and the module unloads.  Then the device's
# owner, group and mode, and who may configure khttp.
. /khttp/lib.sh
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl pool add abuse
run_ok httpctl route add /a/ pool abuse
# A second pool, deleted by httpq_abuse while it has the file open.
run_ok httpctl pool add abuse2
run_ok httpctl route add /x/ pool abuse2

rc=0; httpq_abuse -p abuse -P 80 -u /a/ -x abuse2 -X /x/ > /tmp/abuse.out 2>&1 || rc=$?
cat /tmp/abuse.out
grep -q '^not ok' /tmp/abuse.out && fail "httpq_abuse: $(grep '^not ok' /tmp/abuse.out | head -5)"
[ "$rc" = 0 ] || fail "httpq_abuse exited $rc"
[ "$(grep -c '^ok ' /tmp/abuse.out)" -ge 100 ] || fail "httpq_abuse ran too few cases"

# Nothing left behind in the pool.
s=$(httpctl pool list | grep '^abuse ')
expect_match "abuse queued" "$s" " queued 0 in-hand 0 readers 0 "
httpctl pool list | grep -q '^abuse2 ' && fail "abuse2 survived its deletion"
[ -e /dev/httpq/abuse2 ] && fail "/dev/httpq/abuse2 left behind"

# A well-behaved worker still serves the pool.
httpq-hello -p abuse -n 3 > /dev/null &
w=$!
for i in 1 2 3; do
	r=$(curl -s --max-time 10 http://127.0.0.1/a/after$i)
	expect_match "normal worker $i" "$r" "^hello from abuse"
done
wait $w || fail "httpq-hello exited $?"
s=$(httpctl pool list | grep '^abuse ')
expect_match "abuse idle" "$s" " queued 0 in-hand 0 readers 0 "

# Owner, group and mode of the device node.  The initramfs root comes from
# mktemp -d (0700): open it up, or no other user can run anything.
chmod 755 /
expect_eq "su works" "$(su worker -s /bin/sh -c 'id -u' 2>&1)" "1000"
run_ok httpctl pool add perm owner worker group worker mode 0660
run_ok httpctl route add /perm/ pool perm
expect_eq "perm node" "$(ls -ln /dev/httpq/perm | awk '{print $1, $3, $4}')" "crw-rw---- 1000 1000"
run_ok httpctl pool add app
expect_eq "app node" "$(ls -ln /dev/httpq/app | awk '{print $1, $3, $4}')" "crw------- 0 0"
# A root-only pool is closed to others.
if out=$(su worker -s /bin/sh -c 'cat /dev/httpq/app' 2>&1); then
	fail "worker read the root-only pool: $out"
fi
expect_match "root-only pool" "$out" "/dev/httpq/app.*Permission denied"
# The owner may serve its pool.
su worker -s /bin/sh -c 'httpq-hello -p perm -n 1' > /tmp/perm.out 2>&1 &
w=$!
sleep 0.5
r=$(curl -s --max-time 10 http://127.0.0.1/perm/hi)
expect_match "worker-owned pool ($(cat /tmp/perm.out))" "$r" "^hello from perm #1 pid "
wait $w || fail "httpq-hello as worker exited $?: $(cat /tmp/perm.out)"
run_ok httpctl pool set perm mode 0600
expect_eq "perm node after set" "$(ls -ln /dev/httpq/perm | awk '{print $1, $3, $4}')" "crw------- 1000 1000"
run_ok httpctl pool set perm owner root group root
expect_eq "perm node after chown" "$(ls -ln /dev/httpq/perm | awk '{print $1, $3, $4}')" "crw------- 0 0"
if out=$(su worker -s /bin/sh -c 'cat /dev/httpq/perm' 2>&1); then
	fail "worker still reads perm after the owner changed: $out"
fi
expect_match "perm closed" "$out" "/dev/httpq/perm.*Permission denied"
# Only CAP_NET_ADMIN configures khttp; a refusal changes nothing.
if out=$(su worker -s /bin/sh -c 'httpctl pool add x' 2>&1); then
	fail "a non-root user added a pool: $out"
fi
echo "non-root pool add: $out"
expect_match "non-root pool add" "$out" "[Pp]ermission denied|CAP_NET_ADMIN|not permitted"
if out=$(su worker -s /bin/sh -c 'httpctl pool set perm mode 0666' 2>&1); then
	fail "a non-root user changed a pool: $out"
fi
expect_match "non-root pool set" "$out" "[Pp]ermission denied|CAP_NET_ADMIN|not permitted"
if out=$(su worker -s /bin/sh -c 'httpctl iplisten add 127.0.0.1:81' 2>&1); then
	fail "a non-root user added a listen entry: $out"
fi
httpctl pool list | grep -q '^x ' && fail "pool x exists after a refused add"
expect_eq "mode unchanged" "$(ls -ln /dev/httpq/perm | awk '{print $1}')" "crw-------"

run_ok httpctl route del /perm/
run_ok httpctl pool del perm
run_ok httpctl pool del app
unload
exit 0
