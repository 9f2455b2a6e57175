# SPDX-License-Identifier: GPL-2.0
# Routes: add/del/list, http.sys URL prefixes, longest match, host-specific
# beats wildcard, the unreachable-route warning, clear refusals.
. /khttp/lib.sh
for d in root app appx host plus weak port; do
	mkdir -p /srv/r/$d/app/x
	echo "$d" > /srv/r/$d/index.html
	echo "$d" > /srv/r/$d/app/index.html
	echo "$d" > /srv/r/$d/app/x/index.html
	echo "$d" > /srv/r/$d/x.txt
done
chmod -R a+rX /srv/r
load

# Unreachable: a route for an address:port no listen entry has.
out=$(httpctl route add http://127.0.0.7:8081/ static /srv/r/port 2>&1) ||
	fail "unreachable route must still be added: $out"
expect_match "unreachable warning" "$out" "warning: .*unreachable"
expect_match "listed unreachable" "$(httpctl route list)" "http://127.0.0.7:8081/ static /srv/r/port \(unreachable"
run_ok httpctl iplisten add 127.0.0.7:8081
expect_eq "reachable now" "$(httpctl route list | grep -c unreachable)" "0"
expect_eq "served" "$(curl -s http://127.0.0.7:8081/x.txt)" "port"
run_ok httpctl route del http://127.0.0.7:8081/

run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl route add / static /srv/r/root
run_ok httpctl route add /app/ static /srv/r/app
run_ok httpctl route add /app/x/ static /srv/r/appx
U=http://127.0.0.1
expect_eq "root" "$(curl -s $U/x.txt)" "root"
expect_eq "prefix" "$(curl -s $U/app/x.txt)" "app"
expect_eq "longest" "$(curl -s $U/app/x/x.txt)" "appx"
expect_eq "prefix boundary status" "$(status $U/application)" "404"
expect_eq "no slash redirect" "$(status $U/app)" "301"

# Host-specific beats wildcard at the same path; + beats *.
run_ok httpctl route add http://www.example.com:80/ static /srv/r/host
run_ok httpctl route add 'http://*:80/app/' static /srv/r/weak
expect_eq "host" "$(curl -s -H 'Host: www.example.com' $U/x.txt)" "host"
expect_eq "host case" "$(curl -s -H 'Host: WWW.Example.COM.' $U/x.txt)" "host"
expect_eq "other host" "$(curl -s -H 'Host: other.example' $U/x.txt)" "root"
expect_eq "path-only beats weak" "$(curl -s -H 'Host: other.example' $U/app/x.txt)" "app"
run_ok httpctl route del /app/
expect_eq "weak when alone" "$(curl -s -H 'Host: other.example' $U/app/x.txt)" "weak"
run_ok httpctl route add 'http://+:80/app/' static /srv/r/plus
expect_eq "strong beats weak" "$(curl -s $U/app/x.txt)" "plus"

# Listing and JSON.
l=$(httpctl route list)
expect_match "list" "$l" "^/ static /srv/r/root"
expect_match "list url" "$l" "http://www.example.com:80/ static /srv/r/host"
expect_match "json" "$(httpctl -j route list)" '"prefix":"http://\+:80/app/","type":"static","dir":"/srv/r/plus"'
expect_eq "status count" "$(httpctl status | sed -n 's/^routes: //p')" "5"

# Refusals: clear sentences, nothing changed.
run_err httpctl route add / static /srv/r/app
expect_match "duplicate" "$ERR" "already exists"
run_err httpctl route add /nope/ static /srv/does-not-exist
expect_match "missing dir" "$ERR" "(does not exist|No such)"
run_err httpctl route add /f/ static /srv/r/root/x.txt
expect_match "not a dir" "$ERR" "not a directory"
run_err httpctl route add 'https://x/' static /srv/r/root
expect_match "https" "$ERR" "https"
run_err httpctl route add 'app/' static /srv/r/root
expect_match "bad prefix" "$ERR" "must start with"
run_err httpctl route add '/a/../b/' static /srv/r/root
run_err httpctl route del /not-there/
expect_match "del missing" "$ERR" "no route"
run_err httpctl route add /p/ pool nosuchpool
expect_match "no pool" "$ERR" "pool"
expect_eq "unchanged" "$(httpctl status | sed -n 's/^routes: //p')" "5"

# Deleting a route while requests flow is safe (RCU) and takes effect:
# every answer comes from the live route (plus) or, while it is away, from
# the one beneath it (weak), and every delete and re-add succeeds.
churn_clients $U/app/x.txt /tmp/churn.out
for i in $(seq 1 20); do
	httpctl route del 'http://+:80/app/' || fail "churn $i: route del failed"
	httpctl route add 'http://+:80/app/' static /srv/r/plus ||
		fail "churn $i: route add failed"
done
churn_done
n=$(grep -c . /tmp/churn.out)
[ "$n" -ge 10 ] || fail "answers during churn: $n, want at least 10"
bad=$(grep -vxE '(plus|weak) 200' /tmp/churn.out || true)
[ -z "$bad" ] || fail "answers during churn: $(echo "$bad" | sort | uniq -c)"
expect_eq "churned route back" "$(curl -s $U/app/x.txt)" "plus"
run_ok httpctl route del 'http://+:80/app/'
run_ok httpctl route del 'http://*:80/app/'
expect_eq "deleted" "$(curl -s $U/app/)" "root"
unload
exit 0
