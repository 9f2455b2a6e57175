# SPDX-License-Identifier: GPL-2.0
# Sourced by every e2e test (busybox sh in the guest).  A test is a script
# that exits 0 on success; fail() explains what went wrong.
#
# Tests run with set -e (run-tests.sh also starts them with sh -e): any
# command that fails outside an assertion ends the test as a failure.  A
# command whose failure is expected says so: `! cmd`, `cmd && fail ...`,
# `if cmd; then ...`, or `rc=0; cmd || rc=$?` followed by a check of $rc.
# (Inside a function called as `f || ...` or in a condition, sh ignores
# set -e, so such functions must test what they need themselves.)

set -eu
KO=/lib/khttp/khttp.ko

fail() {
	echo "FAIL: $*"
	_khttp_failed=1
	exit 1
}

# A failure that set -e caught, rather than fail(): say so, so the log does
# not end in a bare trace.
trap '_rc=$?; [ "$_rc" = 0 ] || [ -n "${_khttp_failed:-}" ] ||
	echo "FAIL: exit $_rc from a command outside an assertion (set -e); the last traced command above failed"' EXIT

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# expect_match WHAT TEXT PATTERN (grep -E)
expect_match() {
	echo "$2" | grep -qE -- "$3" || fail "$1: '$2' does not match /$3/"
}

# on_debug_kernel: this run is on the debug kernel (KASAN, lockdep,
# kmemleak under TCG: several times slower).  Tests that repeat one path
# thousands of times repeat it fewer times there; the paths are the same.
on_debug_kernel() {
	case "${KHTTP_KIND:-}" in debug-*) return 0 ;; esac
	return 1
}

# churn_clients URL OUT: in the background, GET URL again and again while
# the test churns (until churn_done; at least 10 times, at most 200), one
# line per answer in OUT: "BODY 200", or just the status otherwise.  The
# requests overlap the churn, not a fixed count of them: under KASAN one
# curl takes most of a second, and 100 of them outlasted the churn by a
# minute.
churn_clients() {
	rm -f /tmp/churn.done
	( n=0
	  while [ $n -lt 200 ] && { [ $n -lt 10 ] || [ ! -e /tmp/churn.done ]; }; do
		code=$(curl -s -o /tmp/churn.body -w '%{http_code}' --max-time 10 \
			"$1") || code="curl failed $?"
		if [ "$code" = 200 ]; then echo "$(cat /tmp/churn.body) 200"
		else echo "$code"; fi
		rm -f /tmp/churn.body
		n=$((n + 1))
	  done ) > "$2" &
	_churn_pid=$!
}
churn_done() {
	touch /tmp/churn.done
	wait $_churn_pid
}

load() {
	insmod "$KO" "$@" || fail "insmod failed"
}

unload() {
	rmmod khttp || fail "rmmod failed"
}

# load_mods DIR: the stock kernel's modules initramfs.sh copied into DIR,
# each after what it depends on (DIR/order); nothing when there is no DIR
# (the test kernel has them built in).
load_mods() {
	[ -f "$1/order" ] || return 0
	for m in $(cat "$1/order"); do
		[ -d "/sys/module/$m" ] || insmod "$1/$m.ko" || fail "cannot load $m"
	done
}

# tls_site KIB: what an HTTPS test starts from: kTLS and its AEADs
# (modules on the stock kernels, built into the debug one), a P-256
# certificate for 127.0.0.1 in /tmp/tls.{crt,key}, and /srv/tls with
# index.txt and a random big.bin of KIB KiB (its sha256 in want_big); U and
# C are the base URL and the curl that trusts the certificate.
tls_site() {
	load_mods /lib/khttp/tls
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout /tmp/tls.key -out /tmp/tls.crt -days 2 -subj /CN=localhost \
		-addext subjectAltName=IP:127.0.0.1 2>/dev/null || fail "openssl req"
	mkdir -p /srv/tls
	echo "hello over tls" > /srv/tls/index.txt
	dd if=/dev/urandom of=/srv/tls/big.bin bs=1024 count="$1" 2>/dev/null
	chmod -R a+rX /srv/tls
	want_big=$(sha256sum < /srv/tls/big.bin)
	U=https://127.0.0.1
	C="curl -s --max-time 30 --cacert /tmp/tls.crt"
}

# run_ok CMD...: must succeed; prints its output.
run_ok() {
	out=$("$@" 2>&1) || fail "'$*' failed: $out"
	[ -n "$out" ] && echo "$out"
	return 0
}

# run_err CMD...: must fail; its stderr is left in $ERR.
run_err() {
	if ERR=$("$@" 2>&1); then
		fail "'$*' should have failed but printed: $ERR"
	fi
}

# status URL [curl args]: the HTTP status code, or 000 if none (curl's
# own exit status is not the caller's: 000 says it all).
status() {
	url=$1
	shift
	curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@" "$url" || true
}

# raw HOST PORT [rawhttp args] < request: the whole response.  Returns
# rawhttp's exit status (0 FIN, 3 still open, 4 reset): a caller that
# expects anything but 0 writes `rc=0; out=$(... | raw ...) || rc=$?`.
raw() {
	h=$1 p=$2
	shift 2
	rawhttp "$@" "$h" "$p"
}

# first_line TEXT: the status line, without CR.
first_line() {
	echo "$1" | head -1 | tr -d '\r'
}

# A docroot most tests share.
make_site() {
	mkdir -p /srv/www/sub /srv/www/empty
	echo "hello from khttp" > /srv/www/index.html
	echo "sub index" > /srv/www/sub/index.html
	printf 'abcdefghijklmnopqrstuvwxyz' > /srv/www/alpha.txt
	echo '{"a":1}' > /srv/www/data.json
	dd if=/dev/urandom of=/srv/www/big.bin bs=1024 count=1024 2>/dev/null
	chmod -R a+rX /srv/www
}

# serve_site: the demo site, the module loaded, serving it on 127.0.0.1:80.
serve_site() {
	make_site
	load
	run_ok httpctl iplisten add 127.0.0.1:80
	run_ok httpctl route add / static /srv/www
}

# statuses TEXT: the status codes of every response in TEXT, in order,
# space-separated ("200 404 ").  Bodies need not end in a newline.
statuses() {
	echo "$1" | grep -oE 'HTTP/1\.[01] [0-9]{3} ' | cut -d' ' -f2 | tr '\n' ' '
}

# stat NAME: a global counter from `httpctl stats`.
stat() {
	httpctl stats | sed -n "s/^$1 //p"
}

# wait_until SECONDS CMD...: retry CMD every 0.2 s until it succeeds; TCG
# and KASAN make every step slow, so tests wait for states, not for time.
wait_until() {
	case $- in *x*) tracing=1; set +x ;; *) tracing= ;; esac
	limit=$(($1 * 5))
	shift
	n=0
	rc=0
	until "$@"; do
		n=$((n + 1))
		if [ $n -ge $limit ]; then
			rc=1
			break
		fi
		sleep 0.2
	done
	[ -n "$tracing" ] && set -x
	return $rc
}

# reap PID...: wait for background processes that were killed (or may
# have been); their exit status is not the test's.
reap() {
	wait "$@" 2>/dev/null || true
}

# wait_file FILE [SECONDS]: wait until FILE is non-empty (a background
# curl's -w output, say).
wait_file() {
	wait_until "${2:-20}" test -s "$1"
}
