# SPDX-License-Identifier: GPL-2.0
# The kernel's own YNL CLI (tools/net/ynl/cli.py from linux-source-6.12,
# run by Debian's python3, both copied into the guest by initramfs.sh)
# drives khttp from nothing but the family's YNL spec: what it reads
# (status, settings, listen entries, routes, pools) is what httpctl shows,
# what it adds (a listen entry, a pool) takes effect, and a stray attribute
# is refused with the kernel's message naming it.  So the spec describes
# the real family, on every kernel this runs on.
. /khttp/lib.sh
serve_site
ynl() {
	PYTHONPATH=/usr/share/khttp/ynl:/usr/lib/python3/dist-packages \
		/usr/bin/python3 -S /usr/share/khttp/ynl/cli.py --no-schema \
		--spec /usr/share/khttp/khttp.yaml "$@"
}

out=$(ynl --do status-get) || fail "ynl status-get: $out"
echo "$out"
expect_match "status version" "$out" "'version': '0.1.0'"
expect_match "status listen count" "$out" "'listen-count': 1[,}]"
expect_match "status route count" "$out" "'route-count': 1[,}]"

run_ok httpctl set max-conns 777
out=$(ynl --do config-get) || fail "ynl config-get: $out"
expect_match "config max-conns" "$out" "'max-conns': 777[,}]"

# A listen entry added over YNL serves, and httpctl sees it.
out=$(ynl --do listen-add --json \
	'{"addr": {"family": 2, "port": 8181, "addr": "7f000001000000000000000000000000"}}') ||
	fail "ynl listen-add: $out"
expect_match "iplisten list" "$(httpctl iplisten list)" "127\.0\.0\.1:8181"
expect_eq "GET on the YNL listen entry" "$(status http://127.0.0.1:8181/)" 200
out=$(ynl --dump listen-get) || fail "ynl listen-get: $out"
echo "$out"
expect_match "listen-get port 80" "$out" "'port': 80[,}]"
expect_match "listen-get port 8181" "$out" "'port': 8181[,}]"
expect_match "listen-get counters" "$out" "'requests': [1-9]"

out=$(ynl --dump route-get) || fail "ynl route-get: $out"
echo "$out"
expect_match "route-get prefix" "$out" "'prefix': '/'"
expect_match "route-get dir" "$out" "'dir': '/srv/www'"
expect_match "route-get reachable" "$out" "'reachable': 1"

out=$(ynl --do pool-add --json '{"name": "ynlpool", "queue-length": 42}') ||
	fail "ynl pool-add: $out"
expect_match "pool list" "$(httpctl pool list)" "ynlpool"
out=$(ynl --dump pool-get) || fail "ynl pool-get: $out"
expect_match "pool-get" "$out" "'name': 'ynlpool'"
expect_match "pool-get queue length" "$out" "'queue-length': 42[,}]"

# Attributes of the object's set that the command does not take.
rc=0; out=$(ynl --do pool-add --json '{"name": "stray", "force": true}' 2>&1) || rc=$?
echo "$out"
[ "$rc" != 0 ] || fail "pool-add with force was accepted"
expect_match "pool-add force refused" "$out" "pool-add does not take force"
rc=0; out=$(ynl --do route-add --json \
	'{"prefix": "/ynl/", "type": 1, "dir": "/srv/www", "reachable": 1}' 2>&1) || rc=$?
echo "$out"
[ "$rc" != 0 ] || fail "route-add with reachable was accepted"
expect_match "route-add reachable refused" "$out" "route-add does not take reachable"
rc=0; out=$(ynl --do route-add --json \
	'{"prefix": "/ynl/", "type": 2, "pool": "ynlpool", "precompressed": 1}' 2>&1) || rc=$?
echo "$out"
[ "$rc" != 0 ] || fail "a pool route with precompressed was accepted"
expect_match "pool route precompressed refused" "$out" "precompressed is for static routes"
out=$(ynl --do route-add --json \
	'{"prefix": "/ynlpc/", "type": 1, "dir": "/srv/www", "precompressed": 1}') ||
	fail "ynl route-add precompressed: $out"
expect_match "route-get precompressed" "$(ynl --dump route-get | tr -d '\n')" "'precompressed': 1, +'prefix': '/ynlpc/'"
expect_match "httpctl lists it" "$(httpctl route list)" "^/ynlpc/ static /srv/www precompressed on$"
run_ok httpctl route del /ynlpc/
expect_eq "no stray pool" "$(httpctl pool list | grep -c stray || true)" 0
expect_eq "no /ynl/ route" "$(httpctl route list | grep -c /ynl/ || true)" 0

out=$(ynl --do pool-del --json '{"name": "ynlpool"}') || fail "ynl pool-del: $out"
expect_eq "pool gone" "$(httpctl pool list | grep -c ynlpool || true)" 0
out=$(ynl --do listen-del --json \
	'{"addr": {"family": 2, "port": 8181, "addr": "7f000001000000000000000000000000"}}') ||
	fail "ynl listen-del: $out"
expect_eq "listen entry gone" "$(httpctl iplisten list | grep -c 8181 || true)" 0
