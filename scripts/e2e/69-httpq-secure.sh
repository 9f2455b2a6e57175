# SPDX-License-Identifier: GPL-2.0
# /dev/httpq isolation and leaks: request records for odd-sized heads and
# bodies (Content-Length and chunked, one record and several) carry zero
# padding and reserved fields and exactly the client's bytes; one pool's
# worker can neither read nor answer another pool's requests (ENOENT or
# EPERM), whatever id it tries, and the rightful answer still arrives.
. /khttp/lib.sh
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl set max-body-bytes 1048576
run_ok httpctl pool add pa
run_ok httpctl route add /pa/ pool pa
run_ok httpctl pool add pb
run_ok httpctl route add /pb/ pool pb
rc=0; httpq_secure pa /pa/ pb /pb/ > /tmp/sec.out 2>&1 || rc=$?
cat /tmp/sec.out
grep -q '^not ok' /tmp/sec.out && fail "httpq_secure: $(grep '^not ok' /tmp/sec.out | head -5)"
[ "$rc" = 0 ] || fail "httpq_secure exited $rc"
[ "$(grep -c '^ok ' /tmp/sec.out)" -ge 30 ] || fail "httpq_secure ran too few cases"
for p in pa pb; do
	expect_match "$p idle" "$(httpctl pool list | grep "^$p ")" " queued 0 in-hand 0 readers 0 "
done
unload
exit 0
