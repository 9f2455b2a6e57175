# SPDX-License-Identifier: GPL-2.0
# HTTPS certificate bindings (httpctl tls add/del/list, modelled on
# http.sys's sslcert bindings): the agent takes its certificates from the
# kernel's bindings.  Two host names on one port, each with its own
# self-signed certificate, chosen by SNI; the ADDR:PORT default for no
# name and an unknown one; a bad key, a missing file and a non-PEM key
# refused with a message and nothing changed; a replaced certificate is
# presented by the next handshake while an open keep-alive connection
# goes on; the bindings survive an agent restart, a batch rollback, and
# httpctl show | httpctl -b.
. /khttp/lib.sh
load_mods /lib/khttp/tls
D=/tmp/tlsb
mkdir -p $D /srv/tlsb
for n in default a b a2 other; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -keyout $D/$n.key -out $D/$n.crt -days 2 \
		-subj "/CN=$n.example" 2>/dev/null || fail "openssl req $n"
done
echo "hello bindings" > /srv/tlsb/index.txt
chmod -R a+rX /srv/tlsb
# subject NAME: the subject of the certificate the server presents for SNI
# NAME ("-" sends no name).
subject() {
	if [ "$1" = - ]; then sn=-noservername; else sn="-servername $1"; fi
	# shellcheck disable=SC2086 # two words
	openssl s_client -connect 127.0.0.1:443 $sn < /dev/null 2>/dev/null |
		openssl x509 -noout -subject 2>/dev/null
}
stat_is() { [ "$(stat "$1")" = "$2" ]; }
count_is() { [ "$(grep -c "$1" "$2")" = "$3" ]; }

load
run_ok httpctl iplisten add 127.0.0.1:443 tls
run_ok httpctl route add / static /srv/tlsb
run_ok httpctl tls add 127.0.0.1:443 cert $D/default.crt key $D/default.key
run_ok httpctl tls add a.example:443 cert $D/a.crt key $D/a.key
# Host names are case-insensitive (stored lower case); relative paths are
# made absolute for the agent.
(cd $D && run_ok httpctl tls add B.Example:443 cert b.crt key ./b.key)
want_list="127.0.0.1:443 cert $D/default.crt key $D/default.key
a.example:443 cert $D/a.crt key $D/a.key
b.example:443 cert $D/b.crt key $D/b.key"
expect_eq "tls list" "$(httpctl tls list)" "$want_list"
expect_match "json" "$(httpctl -j tls list)" '"binding":"a.example:443","type":"hostnameport","cert":"/tmp/tlsb/a.crt"'

# Refused, with a message, and nothing changes.
run_err httpctl tls add a.example:443 cert $D/a.crt key $D/b.key
expect_match "mismatch said" "$ERR" "does not match"
run_err httpctl tls add c.example:443 cert $D/nosuch.crt key $D/a.key
expect_match "missing said" "$ERR" "nosuch.crt: No such file"
run_err httpctl tls add c.example:443 cert $D/a.crt key /srv/tlsb/index.txt
expect_match "not a key said" "$ERR" "not a PEM private key"
run_err httpctl tls add bad_name:443 cert $D/a.crt key $D/a.key
run_err httpctl tls add a.example:0 cert $D/a.crt key $D/a.key
run_err httpctl tls add a.example:443 cert $D/a.crt
run_err httpctl tls del c.example:443
expect_match "del missing said" "$ERR" "no such certificate binding"
expect_eq "list unchanged" "$(httpctl tls list)" "$want_list"

# The agent, from the bindings alone (no --cert).
khttp-tlsd -v 2> /tmp/tlsb.log &
agent=$!
wait_until 20 grep -q "ready on" /tmp/tlsb.log || fail "khttp-tlsd: $(cat /tmp/tlsb.log)"
expect_eq "SNI a" "$(subject a.example)" "subject=CN = a.example"
expect_eq "SNI b" "$(subject b.example)" "subject=CN = b.example"
expect_eq "SNI case" "$(subject A.EXAMPLE)" "subject=CN = a.example"
expect_eq "no name: default" "$(subject -)" "subject=CN = default.example"
expect_eq "unknown name: default" "$(subject zzz.example)" "subject=CN = default.example"
r=$(curl -s --max-time 20 -k --resolve b.example:443:127.0.0.1 https://b.example/index.txt)
expect_eq "served over SNI b" "$r" "hello bindings"

# Replacing a's certificate while a keep-alive connection to a is open:
# the open one keeps working (no new handshake), a new handshake sees the
# new certificate.
mkfifo /tmp/ka.in
openssl s_client -connect 127.0.0.1:443 -servername a.example -quiet \
	-ign_eof < /tmp/ka.in > /tmp/ka.out 2> /tmp/ka.err &
ka=$!
exec 8> /tmp/ka.in
printf 'GET /index.txt HTTP/1.1\r\nHost: a.example\r\n\r\n' >&8
wait_until 20 count_is "hello bindings" /tmp/ka.out 1 ||
	fail "keep-alive first answer: $(cat /tmp/ka.out /tmp/ka.err)"
run_ok httpctl tls add a.example:443 cert $D/a2.crt key $D/a2.key
expect_match "replaced in list" "$(httpctl tls list)" "^a.example:443 cert $D/a2.crt key $D/a2.key$"
h0=$(stat tls_handshakes)
printf 'GET /index.txt HTTP/1.1\r\nHost: a.example\r\n\r\n' >&8
wait_until 20 count_is "hello bindings" /tmp/ka.out 2 ||
	fail "the open connection stopped after the replacement: $(cat /tmp/ka.out /tmp/ka.err)"
expect_eq "no new handshake for it" "$(stat tls_handshakes)" "$h0"
expect_eq "new handshake: new cert" "$(subject a.example)" "subject=CN = a2.example"
expect_eq "b untouched" "$(subject b.example)" "subject=CN = b.example"
printf 'GET /index.txt HTTP/1.1\r\nHost: a.example\r\n\r\n' >&8
wait_until 20 count_is "hello bindings" /tmp/ka.out 3 ||
	fail "the open connection after a new handshake: $(cat /tmp/ka.out)"
exec 8>&-
kill $ka 2>/dev/null || true
reap $ka

# Deleting b's binding: b gets the default.
run_ok httpctl tls del b.example:443
expect_eq "deleted: default" "$(subject b.example)" "subject=CN = default.example"

# The bindings are the kernel's: a restarted agent has them.
kill $agent
reap $agent
khttp-tlsd 2> /tmp/tlsb2.log &
agent=$!
wait_until 20 grep -q "ready on" /tmp/tlsb2.log || fail "restart: $(cat /tmp/tlsb2.log)"
expect_eq "after restart" "$(subject a.example)" "subject=CN = a2.example"

# A batch refused midway puts back what its tls lines changed.
run_ok httpctl tls add b.example:443 cert $D/b.crt key $D/b.key
# (a binding put back comes last: compare them sorted)
before=$(httpctl tls list | sort)
printf 'tls del a.example:443\ntls add b.example:443 cert %s key %s\ntls add c.example:443 cert %s key %s\nroute add /x/ pool nosuchpool\n' \
	$D/other.crt $D/other.key $D/other.crt $D/other.key > /tmp/tlsb-bad.conf
run_err httpctl -b /tmp/tlsb-bad.conf
expect_eq "rollback" "$(httpctl tls list | sort)" "$before"
# A batch whose tls add has a bad key is refused before anything runs.
printf 'tls del a.example:443\ntls add c.example:443 cert %s key %s\n' \
	$D/a.crt $D/b.key > /tmp/tlsb-bad2.conf
run_err httpctl -b /tmp/tlsb-bad2.conf
expect_match "batch check said" "$ERR" "does not match"
expect_eq "batch check changed nothing" "$(httpctl tls list | sort)" "$before"

# show | -b: the bindings come back after a reload of the module.
httpctl show > /tmp/tlsb.conf
expect_match "show" "$(cat /tmp/tlsb.conf)" "^tls add a.example:443 cert $D/a2.crt key $D/a2.key$"
expect_match "show default" "$(cat /tmp/tlsb.conf)" "^tls add 127.0.0.1:443 cert $D/default.crt key $D/default.key$"
kill $agent
reap $agent
unload
load
expect_eq "empty after reload" "$(httpctl tls list)" ""
run_ok httpctl -b /tmp/tlsb.conf
expect_eq "restored" "$(httpctl tls list | sort)" "$before"
khttp-tlsd 2> /tmp/tlsb3.log &
agent=$!
wait_until 20 grep -q "ready on" /tmp/tlsb3.log || fail "agent: $(cat /tmp/tlsb3.log)"
expect_eq "restored SNI" "$(subject b.example)" "subject=CN = b.example"
expect_eq "restored default" "$(subject -)" "subject=CN = default.example"
kill $agent
reap $agent
unload
exit 0
