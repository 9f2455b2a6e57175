# SPDX-License-Identifier: GPL-2.0
# Added response headers and error pages per route: the headers on every
# 2xx/3xx answer of the route (a static file, its cached copy, a 304, a
# directory's 301, a worker's answer and its cached copy, a redirect) and
# on no error; refusals at route add (CR/LF, framing headers, bad names);
# a route's error page with the original status, the built-in body when
# the page is missing; the whole of it round-tripped through show and -b.
. /khttp/lib.sh
mkdir -p /srv/site/dir /srv/err
echo "home page" > /srv/site/index.html
echo "dir index" > /srv/site/dir/index.html
echo "secret" > /srv/site/secret.txt
chmod -R a+rX /srv/site
chmod 0600 /srv/site/secret.txt
echo "<p>custom not found</p>" > /srv/site/404.html
echo "<p>pool is resting</p>" > /srv/err/503.html
chmod a+r /srv/site/404.html /srv/err/503.html
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl pool add app
run_ok httpctl pool add resting
run_ok httpctl pool set resting state inactive
run_ok httpctl route add / static /srv/site \
	header 'Strict-Transport-Security: max-age=63072000' \
	header 'X-Frame-Options: DENY' \
	error-page 404 /404.html error-page 403 /no-such-page.html
run_ok httpctl route add /app/ pool app header 'X-App: yes' \
	error-page 503 /srv/err/503.html
run_ok httpctl route add /resting/ pool resting error-page 503 /srv/err/503.html \
	error-page 404 /srv/err/missing.html
run_ok httpctl route add /go/ redirect https://x.example/ header 'X-Moved: 1' \
	header "Content-Security-Policy: default-src 'self'" header 'X-Q: say "hi" \o/'
U=http://127.0.0.1

# head URL [curl args]: the response head, without CRs.
head_of() {
	u=$1
	shift
	curl -s -D - -o /dev/null --max-time 10 "$@" "$u" | tr -d '\r'
}
# count HEAD NAME: how many times the header is in the head.
count() {
	echo "$1" | grep -ci "^$2:" || true
}

# Static: the file, its cached copy, a 304, a directory's 301.
h=$(head_of $U/index.html)
expect_match "static 200" "$h" "^HTTP/1.1 200"
expect_eq "static HSTS" "$(count "$h" Strict-Transport-Security)" "1"
expect_match "static HSTS value" "$h" "^Strict-Transport-Security: max-age=63072000$"
expect_eq "static XFO" "$(count "$h" X-Frame-Options)" "1"
hits0=$(stat cache_hits)
curl -s -o /dev/null $U/index.html
h=$(head_of $U/index.html)
hits1=$(stat cache_hits)
[ "$hits1" -gt "$hits0" ] || fail "the static file was not answered from the cache ($hits0 -> $hits1)"
expect_eq "cached static HSTS once" "$(count "$h" Strict-Transport-Security)" "1"
etag=$(echo "$h" | sed -n 's/^ETag: //p')
h=$(head_of $U/index.html -H "If-None-Match: $etag")
expect_match "304" "$h" "^HTTP/1.1 304"
expect_eq "304 HSTS" "$(count "$h" Strict-Transport-Security)" "1"
h=$(head_of $U/dir)
expect_match "dir 301" "$h" "^HTTP/1.1 301"
expect_eq "301 HSTS" "$(count "$h" Strict-Transport-Security)" "1"

# Errors: the route's page with the original status, not the headers.
r=$(printf 'GET /nope.html HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' | raw 127.0.0.1 80)
expect_eq "404 status" "$(first_line "$r")" "HTTP/1.1 404 Not Found"
expect_match "404 page" "$r" "<p>custom not found</p>"
expect_match "404 length" "$r" "Content-Length: 24"
expect_match "404 type" "$r" "Content-Type: text/html"
echo "$r" | grep -qi '^Strict-Transport-Security' && fail "an error got the added headers: $r"
r=$(printf 'HEAD /nope.html HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' | raw 127.0.0.1 80)
expect_eq "404 HEAD" "$(first_line "$r")" "HTTP/1.1 404 Not Found"
echo "$r" | grep -q "custom not found" && fail "HEAD got the error page's body"
# 403 whose page is missing: the built-in body.
r=$(printf 'GET /secret.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' | raw 127.0.0.1 80)
expect_eq "403 status" "$(first_line "$r")" "HTTP/1.1 403 Forbidden"
expect_match "403 built-in" "$r" "<h1>403 Forbidden</h1>"
# Keep-alive: an error page, then the next request on the connection.
rc=0
r=$(printf 'GET /nope HTTP/1.1\r\nHost: a\r\n\r\nGET /index.html HTTP/1.1\r\nHost: a\r\n\r\n' |
	raw 127.0.0.1 80 -t 2000) || rc=$?
expect_eq "keep-alive after page" "$(statuses "$r")" "404 200 "
expect_match "both bodies" "$r" "custom not found.*"
expect_match "second body" "$r" "home page"

# A pool route: the worker's answer and its cached copy, once each.
httpq-hello -p app -c 60 > /dev/null &
w=$!
h=$(head_of $U/app/x)
expect_match "pool 200" "$h" "^HTTP/1.1 200"
expect_eq "pool header" "$(count "$h" X-App)" "1"
expect_eq "pool no static header" "$(count "$h" Strict-Transport-Security)" "0"
hits0=$(stat cache_hits)
h=$(head_of $U/app/x)
hits1=$(stat cache_hits)
[ "$hits1" -gt "$hits0" ] || fail "the worker's answer was not cached ($hits0 -> $hits1)"
expect_eq "cached pool header once" "$(count "$h" X-App)" "1"
kill $w
reap $w
# A pool route's error page is an absolute file; missing: built-in body.
r=$(printf 'GET /resting/a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' | raw 127.0.0.1 80)
expect_eq "503 status" "$(first_line "$r")" "HTTP/1.1 503 Service Unavailable"
expect_match "503 page" "$r" "<p>pool is resting</p>"
# A redirect route's headers.
h=$(head_of $U/go/)
expect_match "redirect" "$h" "^HTTP/1.1 302"
expect_eq "redirect header" "$(count "$h" X-Moved)" "1"
expect_match "quotes kept" "$h" "^Content-Security-Policy: default-src 'self'$"
expect_match "backslash kept" "$h" '^X-Q: say "hi" \\o/$'

# Refusals at route add: clear sentences, nothing added.
run_err httpctl route add /bad/ static /srv/site header "$(printf 'X-A: b\r\nSet-Cookie: c=d')"
expect_match "CR LF" "$ERR" "no CR, LF or other control byte"
run_err httpctl route add /bad/ static /srv/site header "$(printf 'X-A: b\nX-B: c')"
expect_match "LF" "$ERR" "no CR, LF or other control byte"
run_err httpctl route add /bad/ static /srv/site header 'Content-Length: 5'
expect_match "framing" "$ERR" "one khttp writes itself"
run_err httpctl route add /bad/ static /srv/site header 'transfer-encoding: chunked'
expect_match "framing lower case" "$ERR" "one khttp writes itself"
run_err httpctl route add /bad/ static /srv/site header 'Connection: close'
expect_match "connection" "$ERR" "one khttp writes itself"
run_err httpctl route add /bad/ static /srv/site header 'Bad Name: x'
expect_match "name" "$ERR" "the name must be a token"
run_err httpctl route add /bad/ static /srv/site header 'NoColon'
expect_match "colon" "$ERR" "no ':'"
run_err httpctl route add /bad/ pool app error-page 404 relative.html
expect_match "relative page" "$ERR" "starting with '/'"
run_err httpctl route add /bad/ pool app error-page 404 /srv/nowhere/404.html
expect_match "page dir" "$ERR" "directory does not exist"
run_err httpctl route add /bad/ static /srv/site error-page 404 /a.html error-page 404 /b.html
expect_match "twice" "$ERR" "given twice"
run_err httpctl route add /bad/ static /srv/site error-page 302 /a.html
expect_match "status" "$ERR" "400 to 599"
expect_eq "nothing added" "$(httpctl route list | grep -c '^/bad/')" "0"

# A route as big as its options go (16 headers and 16 error pages, each
# set near its 4096 bytes in all: an 85-word line, a dump message of
# 9 KB) is listed, shown and restored like any other.
v=$(head -c 230 /dev/zero | tr '\0' v)
p=$(head -c 235 /dev/zero | tr '\0' p)
mkdir -p /srv/big
echo big > /srv/big/index.html
chmod -R a+rX /srv/big
set -- /big/ static /srv/big
for i in $(seq 10 25); do
	set -- "$@" header "X-B$i: $v" error-page $((i + 390)) "/$i$p"
done
run_ok httpctl route add "$@"
expect_eq "big route listed" "$(httpctl route list | grep -c "^/big/ static /srv/big header \"X-B10: $v\".*error-page 415 /25$p\$")" "1"
h=$(head_of $U/big/)
expect_match "big route 200" "$h" "^HTTP/1.1 200"
expect_eq "big route headers" "$(echo "$h" | grep -c '^X-B[12][0-9]: v')" "16"
expect_eq "big route body" "$(curl -s $U/big/)" "big"

# Listing, show, reload, -b: the same routes, the same answers.
l=$(httpctl route list)
expect_match "list" "$l" '^/ static /srv/site header "Strict-Transport-Security: max-age=63072000" header "X-Frame-Options: DENY" error-page 404 /404.html error-page 403 /no-such-page.html$'
expect_match "json" "$(httpctl -j route list)" '"headers":\["X-App: yes"\],"error_pages":\[\{"status":503,"path":"/srv/err/503.html"\}\]'
httpctl show > /tmp/show1 || fail "show failed"
unload
load
run_ok httpctl -b /tmp/show1
httpctl show > /tmp/show2
sort /tmp/show1 > /tmp/s1
sort /tmp/show2 > /tmp/s2
cmp -s /tmp/s1 /tmp/s2 || fail "round trip differs: $(diff /tmp/s1 /tmp/s2)"
h=$(head_of $U/index.html)
expect_eq "after reload HSTS" "$(count "$h" Strict-Transport-Security)" "1"
expect_match "after reload page" "$(curl -s $U/nope)" "custom not found"
unload
exit 0
