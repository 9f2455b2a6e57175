#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The access log carries client addresses: only CAP_NET_ADMIN may join its
# multicast group (both supported kernels have GENL_MCAST_CAP_NET_ADMIN;
# Debian's 6.1 carries the backport).  An unprivileged reader is refused
# with a message saying why; root still reads every record.
. /khttp/lib.sh
load
run_ok httpctl iplisten add 127.0.0.1:80
mkdir -p /tmp/www && echo hi > /tmp/www/a.txt && chmod -R a+rX /tmp/www
run_ok httpctl route add / static /tmp/www

rc=0
su worker -s /bin/sh -c 'timeout 5 httpctl log -o /dev/null' \
	> /tmp/user.out 2>&1 || rc=$?
cat /tmp/user.out
# 124 would be timeout's: the reader was let in and waited for records.
[ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "unprivileged log reader not refused (rc $rc)"
expect_match "says why" "$(cat /tmp/user.out)" 'needs CAP_NET_ADMIN'

httpctl log -o /tmp/root.log 2> /tmp/root.err &
logger=$!
sleep 0.5
expect_eq "request" "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/a.txt)" 200
wait_until 10 grep -q 'GET /a.txt' /tmp/root.log || fail "no record: $(cat /tmp/root.err)"
expect_match "root reads the record" "$(cat /tmp/root.log)" '"GET /a.txt HTTP/1.1" 200'
kill $logger
reap $logger
