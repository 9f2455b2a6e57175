# SPDX-License-Identifier: GPL-2.0
# The make run demo: the same setup the run guest uses (demo-setup.sh),
# then every link of its index page, each checked to be answered by the
# part of khttp its class names: static (the file's bytes, no worker),
# worker (the demo worker answered, the pool's counter moved) or cache
# (the second fetch is a cache hit, the worker untouched).
. /khttp/lib.sh
U=http://127.0.0.1
/khttp/demo-setup.sh 127.0.0.1:80 || fail "demo-setup.sh failed"
wpid=$(cat /tmp/demo-worker.pid)
[ -n "$wpid" ] || fail "no worker pid"

# pool NAME: a counter of the pool "demo" (the line after its own in
# `httpctl pool list`: "  queued N ... answered N ...").
pool() {
	httpctl pool list | sed -n '/^demo /{n;p;}' |
		sed -n "s/.* $1 \([0-9]*\).*/\1/p"
}

expect_eq "index" "$(status $U/)" "200"
curl -s $U/ > /tmp/index.html
cmp -s /tmp/index.html /var/www/index.html || fail "index is not /var/www/index.html"
# One "CLASS HREF" line per <a> (an empty class if it has none).
grep -oE '<a [^>]*>' /tmp/index.html | while read -r a; do
	c=$(echo "$a" | sed -n 's/.*class="\([^"]*\)".*/\1/p')
	h=$(echo "$a" | sed -n 's/.*href="\([^"]*\)".*/\1/p')
	echo "${c:--} ${h:--}"
done > /tmp/links
cat /tmp/links
for kind in static worker cache; do
	grep -q "^$kind " /tmp/links || fail "the index has no $kind link"
done

n=0
while read -r kind href <&3; do
	n=$((n + 1))
	case $href in
	/*) ;;
	*) fail "link $n ($href) is not a path on the site" ;;
	esac
	q0=$(pool queued)
	a0=$(pool answered)
	h0=$(stat cache_hits)
	case $kind in
	static)
		f=/var/www$href
		case $f in */) f=${f}index.html ;; esac
		[ -f "$f" ] || fail "$href: no file $f"
		expect_eq "$href status" "$(status $U$href)" "200"
		curl -s $U$href > /tmp/body
		cmp -s /tmp/body "$f" || fail "$href: body is not $f"
		expect_eq "$href: no request queued" "$(pool queued)" "$q0"
		;;
	worker)
		expect_eq "$href status" "$(status $U$href)" "200"
		b=$(curl -s $U$href)
		expect_match "$href from the worker" "$b" "pid <span id=\"pid\">$wpid</span>"
		expect_eq "$href: the pool answered both" "$(pool answered)" "$((a0 + 2))"
		expect_eq "$href: no cache hit" "$(stat cache_hits)" "$h0"
		c1=$(echo "$b" | sed -n 's/.*id="count">\([0-9]*\)<.*/\1/p')
		c2=$(curl -s $U$href | sed -n 's/.*id="count">\([0-9]*\)<.*/\1/p')
		[ -n "$c1" ] && [ "$c2" = $((c1 + 1)) ] ||
			fail "$href: request numbers '$c1' then '$c2'"
		;;
	cache)
		run_ok httpctl cache flush
		a0=$(pool answered)
		h0=$(stat cache_hits)
		expect_eq "$href status" "$(status $U$href)" "200"
		curl -s $U$href > /tmp/first
		expect_match "$href from the worker" "$(cat /tmp/first)" "pid <span id=\"pid\">$wpid</span>"
		expect_eq "$href: the worker answered once" "$(pool answered)" "$((a0 + 1))"
		expect_eq "$href: then a hit" "$(stat cache_hits)" "$((h0 + 1))"
		h=$(curl -s -D - -o /tmp/third $U$href | tr -d '\r')
		cmp -s /tmp/first /tmp/third || fail "$href: a hit changed the page"
		expect_match "$href Age" "$h" "^Age: [0-9]+"
		expect_eq "$href: still one worker answer" "$(pool answered)" "$((a0 + 1))"
		expect_eq "$href: two hits" "$(stat cache_hits)" "$((h0 + 2))"
		expect_match "$href listed" "$(httpctl cache list)" \
			"^http://127.0.0.1:80$href status 200 size [0-9]+ hits 2 age [0-9.]+s ttl [0-9.]+s$"
		;;
	*)
		fail "link $href: class '$kind' is none of static, worker, cache"
		;;
	esac
done 3< /tmp/links
echo "$n links checked"

kill "$wpid"
wait_until 10 sh -c '! grep -q "^khttp " /proc/modules || rmmod khttp' ||
	fail "rmmod khttp"
exit 0
