# SPDX-License-Identifier: GPL-2.0
# The http.sys socket-pooling fault, fixed: khttp on 127.0.0.2:80 and a
# userspace server on 127.0.0.3:80 both answer, in either start order.
. /khttp/lib.sh
make_site
mkdir -p /srv/other
echo "busybox httpd" > /srv/other/index.html
load
run_ok httpctl route add / static /srv/www
run_ok httpctl iplisten add 127.0.0.2:80
busybox httpd -f -p 127.0.0.3:80 -h /srv/other &
hpid=$!
sleep 0.5
expect_eq "khttp" "$(curl -s --max-time 5 http://127.0.0.2/)" "hello from khttp"
expect_eq "userspace" "$(curl -s --max-time 5 http://127.0.0.3/)" "busybox httpd"
kill $hpid
reap $hpid
# The other order: userspace first, then khttp on another address.
busybox httpd -f -p 127.0.0.4:80 -h /srv/other &
hpid=$!
sleep 0.5
run_ok httpctl iplisten add 127.0.0.5:80
expect_eq "khttp second" "$(curl -s --max-time 5 http://127.0.0.5/)" "hello from khttp"
expect_eq "userspace first" "$(curl -s --max-time 5 http://127.0.0.4/)" "busybox httpd"
# The exact address a userspace server holds is refused, clearly.
run_err httpctl iplisten add 127.0.0.4:80
expect_match "in use" "$ERR" "already in use"
kill $hpid
unload
exit 0
