#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run: khttp serves the demo site on the guest's port 80, which QEMU
# forwards to 127.0.0.1:8080 on the host.  A shell stays on the console.
insmod /lib/khttp/e1000.ko 2>/dev/null
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
chmod -R a+rX /var/www
insmod /lib/khttp/khttp.ko
httpctl iplisten add 10.0.2.15:80
httpctl route add / static /var/www
httpctl status
echo
echo "khttp is serving /var/www: open http://127.0.0.1:8080/ on the host."
echo "This is the guest's shell; try 'httpctl stats'.  Ctrl-C stops the VM."
setsid sh -c 'exec sh </dev/ttyS0 >/dev/ttyS0 2>&1'
