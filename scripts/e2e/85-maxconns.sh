# SPDX-License-Identifier: GPL-2.0
# max-conns: past the limit a client gets a clean 503 and a close, the
# refusal is counted, and capacity comes back when clients leave.
. /khttp/lib.sh
serve_site
run_ok httpctl set max-conns 3
expect_match "config" "$(httpctl show config)" "max-conns 3"
for i in 1 2 3; do
	printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | rawhttp -t 6000 127.0.0.1 80 > /dev/null &
done
sleep 1.5
r=$(printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | rawhttp -t 5000 127.0.0.1 80)
expect_eq "refused status" "$(first_line "$r")" "HTTP/1.1 503 Service Unavailable"
expect_match "refused counted" "$(httpctl stats)" "conn_refused 1"
wait
expect_eq "capacity back" "$(status http://127.0.0.1/)" "200"
# 0 is outside the attribute's policy range (1..1000000): the kernel's
# extack says so, and the setting is unchanged.
run_err httpctl set max-conns 0
expect_match "range" "$ERR" "out of range"
expect_match "unchanged" "$(httpctl show config)" "max-conns 3( |$)"
unload
exit 0
