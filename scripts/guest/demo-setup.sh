#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo site (userspace/demo/, in /var/www): khttp loaded and serving it
# on ADDR:PORT, static files from /var/www, /dynamic/ and /cached/ through
# the pool "demo" to an httpq-demo worker running as the user "worker"
# (answers under /cached/ cacheable for 30 s).  Used by make run
# (run-demo.sh) and by the e2e test 15-demo, so the test checks the real
# demo.  Exits non-zero, saying why, if any step fails.
#
# usage: demo-setup.sh ADDR:PORT
# The worker's pid is left in /tmp/demo-worker.pid, its output in
# /tmp/demo-worker.log.
listen=${1:?usage: demo-setup.sh ADDR:PORT}
ttl=30

die() {
	echo "demo-setup: $*" >&2
	exit 1
}

chmod -R a+rX /var/www
grep -q '^khttp ' /proc/modules || insmod /lib/khttp/khttp.ko ||
	die "insmod khttp failed"
httpctl iplisten add "$listen" || die "iplisten add $listen failed"
httpctl route add / static /var/www || die "route / failed"
httpctl pool add demo owner worker group worker mode 0600 ||
	die "pool add demo failed"
httpctl route add /dynamic/ pool demo || die "route /dynamic/ failed"
httpctl route add /cached/ pool demo || die "route /cached/ failed"
su worker -s /bin/sh -c "exec httpq-demo -p demo -c $ttl -C /cached/" \
	> /tmp/demo-worker.log 2>&1 &
# Ready once the worker reads the pool (a request would wait for it in the
# queue anyway, but then the demo starts with its worker in place).
n=0
until httpctl pool list | grep -qE '^demo .* readers [1-9]'; do
	n=$((n + 1))
	[ $n -lt 50 ] || die "the worker did not start: $(cat /tmp/demo-worker.log)"
	sleep 0.2
done
pidof httpq-demo > /tmp/demo-worker.pid
