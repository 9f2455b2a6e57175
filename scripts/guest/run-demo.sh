#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run: khttp serves the demo site (demo-setup.sh: static files, a
# worker's dynamic page, a cached one) on the guest's port 80, which QEMU
# forwards to 127.0.0.1:8080 on the host.  A shell stays on the console.
insmod /lib/khttp/e1000.ko 2>/dev/null
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
if /khttp/demo-setup.sh 10.0.2.15:80; then
	httpctl status
	echo
	echo "khttp is serving the demo: open http://127.0.0.1:8080/ on the host."
	echo "  /          static files from /var/www, straight from the page cache"
	echo "  /dynamic/  answered by the worker httpq-demo through the pool 'demo'"
	echo "  /cached/   the worker's answer, then khttp's response cache for 30 s"
	echo "This is the guest's shell; try 'httpctl stats', 'httpctl pool list',"
	echo "'httpctl cache list'.  Ctrl-C stops the VM."
else
	echo "run-demo: the demo setup failed (above); the guest's shell is yours."
fi
setsid sh -c 'exec sh </dev/ttyS0 >/dev/ttyS0 2>&1'
