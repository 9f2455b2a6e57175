# SPDX-License-Identifier: GPL-2.0
# The IP listen list: add/del/list, clear refusals that change nothing,
# and nothing listening while the list is empty.
. /khttp/lib.sh
make_site
load
run_ok httpctl route add / static /srv/www 2>/dev/null
expect_eq "empty list" "$(httpctl iplisten list)" ""
# Nothing listens anywhere while the list is empty.
expect_eq "no listener" "$(status http://127.0.0.1/)" "000"

run_ok httpctl iplisten add 127.0.0.2:80
run_ok httpctl iplisten add [::1]:8080
expect_eq "list" "$(httpctl iplisten list | sort | tr '\n' ' ')" "127.0.0.2:80 [::1]:8080 "
expect_eq "v4 serves" "$(status http://127.0.0.2/)" "200"
expect_eq "v6 serves" "$(status 'http://[::1]:8080/')" "200"
# Bound to exactly that address: other loopback addresses get nothing.
expect_eq "other address" "$(status http://127.0.0.3/)" "000"
expect_eq "v6 only, not v4" "$(status http://127.0.0.1:8080/)" "000"

run_err httpctl iplisten add 127.0.0.2:80
expect_match "duplicate" "$ERR" "already in the listen list"
run_err httpctl iplisten del 127.0.0.9:80
expect_match "missing" "$ERR" "not in the listen list"
run_err httpctl iplisten add 192.0.2.1:80
expect_match "not local" "$ERR" "not assigned to this host"
run_err httpctl iplisten add 127.0.0.1:0
expect_match "port 0" "$ERR" "port"
run_err httpctl iplisten add 127.0.0.1
expect_match "no port" "$ERR" "port"
# A port another program holds.
mkdir -p /srv/other
busybox httpd -f -p 127.0.0.1:9999 -h /srv/other &
ncpid=$!
sleep 0.5
run_err httpctl iplisten add 127.0.0.1:9999
expect_match "in use" "$ERR" "already in use"
kill $ncpid 2>/dev/null
# Refusals changed nothing.
expect_eq "unchanged" "$(httpctl iplisten list | wc -l)" "2"

run_ok httpctl iplisten del 127.0.0.2:80
expect_eq "deleted stops serving" "$(status http://127.0.0.2/)" "000"
expect_eq "other entry still serves" "$(status 'http://[::1]:8080/')" "200"
# Re-adding right away works (no TIME_WAIT trouble).
run_ok httpctl iplisten add 127.0.0.2:80
expect_eq "re-added" "$(status http://127.0.0.2/)" "200"
out=$(httpctl -j iplisten list)
expect_match "json" "$out" '"listen":"127.0.0.2:80"'
unload
exit 0
