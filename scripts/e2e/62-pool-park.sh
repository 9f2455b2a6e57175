# SPDX-License-Identifier: GPL-2.0
# A keep-alive client's next request after a pool's answer goes straight to
# a waiting worker (libhttpq's epoll loop, then read() or its ring), which reads it off the
# connection itself (the pool's reader_runs counter), whatever it asks
# for: a static file in a directory only root may enter is still served
# (the worker runs it with khttp's credentials, not its own).  A worker stopped or killed
# while it sleeps leaves nothing stuck: the next request is served by the
# connection's work item.
. /khttp/lib.sh
load
run_ok httpctl iplisten add 127.0.0.1:80
mkdir -p /srv/park/p
echo "root only" > /srv/park/p/s.t
chmod 644 /srv/park/p/s.t
chmod 700 /srv/park/p
run_ok httpctl route add / static /srv/park
# The initramfs root is 0700 (mktemp -d): open it for the worker user.
chmod 755 /
run_ok httpctl pool add app owner worker group worker mode 0600
run_ok httpctl route add /app/ pool app

pool_line() { httpctl pool list | sed -n '/^app /{n;p;}'; }
runs() { pool_line | sed -n 's/.* reader_runs \([0-9]*\).*/\1/p'; }
readers() { httpctl pool list | sed -n 's/^app .* readers \([0-9]*\) .*/\1/p'; }
one_reader() { [ "$(readers)" = 1 ]; }

# Requests of one size, each sent 100 ms after the answer before it came
# (rawhttp -w): the worker is asleep again by then, and the finished
# answer still waits for the next request (250 ms).
A='GET /app/k HTTP/1.1\r\nHost: x\r\n\r\n'
S='GET /p/s.t HTTP/1.1\r\nHost: x\r\n\r\n'
rlen=$(printf "$A" | wc -c)
expect_eq "requests of one size" "$(printf "$S" | wc -c)" "$rlen"

for mode in ring read; do
	env=
	[ $mode = read ] && env="HTTPQ_NO_RING=1"
	su worker -s /bin/sh -c "exec env $env httpq-hello -p app" \
		> /tmp/park-$mode.log 2>&1 &
	w=$!
	wait_until 20 one_reader || fail "$mode: the worker did not start"
	sleep 0.3
	before=$(runs)
	# A A S A: the second A and S follow a pool answer (run by the
	# worker); the last A follows a static answer (the work item's).
	rc=0
	r=$(printf "$A$A$S$A" | raw 127.0.0.1 80 -c "$rlen" -w -d 100 -t 2000) ||
		rc=$?
	expect_eq "$mode: connection open" "$rc" "3"
	expect_eq "$mode: answers" "$(statuses "$r")" "200 200 200 200 "
	expect_eq "$mode: pool answers" \
		"$(echo "$r" | grep -c '^hello from app')" "3"
	expect_eq "$mode: the file behind a root-only directory" \
		"$(echo "$r" | grep -c '^root only')" "1"
	after=$(runs)
	expect_match "$mode: reader_runs ($(pool_line))" "$after" '^[0-9]+$'
	[ "$after" -ge $((before + 2)) ] ||
		fail "$mode: reader_runs $before -> $after, want 2 more"

	# Stopped while asleep: its wait ends, what it had parked goes to
	# the work item, and a static request is served meanwhile.
	(sleep 0.5; kill -STOP $w) &
	rc=0
	r=$(printf "$A$S" | raw 127.0.0.1 80 -c "$rlen" -w -d 1500 -t 1500) || rc=$?
	expect_eq "$mode: static while the worker is stopped" \
		"$(statuses "$r")" "200 200 "
	# Stopped, it holds nothing: a pool request waits for it.
	printf 'GET /app/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
		raw 127.0.0.1 80 -t 8000 > /tmp/park-held.out &
	hold=$!
	sleep 0.5
	kill -CONT $w
	wait $hold || true
	expect_eq "$mode: answered once continued" \
		"$(statuses "$(cat /tmp/park-held.out)")" "200 "

	# Killed while asleep: the next request (static) is still served.
	(sleep 0.5; kill -KILL $w) &
	rc=0
	r=$(printf "$A$S" | raw 127.0.0.1 80 -c "$rlen" -w -d 1500 -t 1500) || rc=$?
	expect_eq "$mode: static after the worker died" \
		"$(statuses "$r")" "200 200 "
	reap $w
done

# Many keep-alive clients at once, two workers: every answer arrives.
su worker -s /bin/sh -c 'exec httpq-hello -p app' > /dev/null 2>&1 &
w1=$!
su worker -s /bin/sh -c 'exec httpq-hello -p app' > /dev/null 2>&1 &
w2=$!
two_readers() { [ "$(readers)" = 2 ]; }
wait_until 20 two_readers || fail "two workers did not start"
i=0
while [ $i -lt 6 ]; do
	(for j in 1 2 3; do
		curl -s --max-time 10 http://127.0.0.1/app/$i/$j \
			http://127.0.0.1/p/s.t http://127.0.0.1/app/$i/$j/b
	done) > /tmp/park-par.$i &
	i=$((i + 1))
done
wait_until 60 sh -c '[ "$(cat /tmp/park-par.* | grep -c "^hello from app")" = 36 ]' ||
	fail "parallel: $(cat /tmp/park-par.* | grep -c '^hello from app') of 36 pool answers"
wait_until 20 sh -c '[ "$(cat /tmp/park-par.* | grep -c "^root only")" = 18 ]' ||
	fail "parallel: $(cat /tmp/park-par.* | grep -c '^root only') of 18 static answers"
# rmmod with workers asleep and connections parked or about to be.
for k in 1 2 3 4; do
	curl -s --max-time 10 http://127.0.0.1/app/x http://127.0.0.1/app/y \
		> /dev/null &
done
kill $w1 $w2
reap $w1 $w2
unload
exit 0
