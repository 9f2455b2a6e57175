# SPDX-License-Identifier: GPL-2.0
# Redirect routes: each status and its Location, with and without
# keep-path (the rest of the path after the prefix and the query
# appended, re-encoded so a request cannot inject a header), HEAD,
# keep-alive and pipelining, refusals at route add, and the route
# round-tripped through httpctl show and httpctl -b.
. /khttp/lib.sh
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl route add /old/ redirect https://x.example/new/ keep-path
run_ok httpctl route add /moved/ redirect https://www.example.com/ status 301
run_ok httpctl route add /t307/ redirect /elsewhere status 307
run_ok httpctl route add /t308/ redirect http://h.example/p status 308 keep-path
run_ok httpctl route add 'http://+:80/https/' redirect https://secure.example/ status 301 keep-path
U=http://127.0.0.1

# loc URL [curl args]: "STATUS LOCATION" of the answer.
loc() {
	u=$1
	shift
	h=$(curl -s -D - -o /dev/null --max-time 10 "$@" "$u" | tr -d '\r')
	echo "$(echo "$h" | head -1 | cut -d' ' -f2) $(echo "$h" | sed -n 's/^[Ll]ocation: //p')"
}

# keep-path: prefix "/old/" to "https://x.example/new/".
expect_eq "keep-path" "$(loc "$U/old/a/b?q=1")" "302 https://x.example/new/a/b?q=1"
expect_eq "keep-path root" "$(loc "$U/old/")" "302 https://x.example/new/"
expect_eq "keep-path no slash" "$(loc "$U/old")" "302 https://x.example/new/"
expect_eq "keep-path query only" "$(loc "$U/old/?a=1&b=%20")" "302 https://x.example/new/?a=1&b=%20"
expect_eq "keep-path re-encoded" "$(loc "$U/old/a%20b/c")" "302 https://x.example/new/a%20b/c"
expect_eq "keep-path, no slash in target" "$(loc "$U/t308/a/b?z")" "308 http://h.example/p/a/b?z"
expect_eq "keep-path, host wildcard" "$(loc "$U/https/login?next=/x")" "301 https://secure.example/login?next=/x"
# A decoded CR LF never becomes a line of the head.
h=$(curl -s -D - -o /dev/null "$U/old/a%0d%0aX-Injected:%20yes" | tr -d '\r')
echo "$h" | grep -qi '^X-Injected' && fail "header injected through keep-path: $h"
s=$(echo "$h" | head -1 | cut -d' ' -f2)
case $s in
302) expect_match "encoded CR LF" "$(echo "$h" | sed -n 's/^Location: //p')" '^https://x\.example/new/a%0D%0AX-Injected:%20yes$' ;;
400) ;;
*) fail "CR LF in the path: status $s" ;;
esac

# Without keep-path: the target as it is, whatever the request.
expect_eq "301" "$(loc "$U/moved/a/b?q=1")" "301 https://www.example.com/"
expect_eq "307 path target" "$(loc "$U/t307/x")" "307 /elsewhere"
expect_eq "POST redirected" "$(loc "$U/t307/form" -d a=1)" "307 /elsewhere"

# The answer: a tiny body with its Content-Length; HEAD: the head only.
r=$(printf 'GET /moved/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' | raw 127.0.0.1 80)
expect_eq "status line" "$(first_line "$r")" "HTTP/1.1 301 Moved Permanently"
expect_match "content-length" "$r" "Content-Length: 31"
expect_match "body" "$r" "<h1>301 Moved Permanently</h1>"
r=$(printf 'HEAD /old/z HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' | raw 127.0.0.1 80)
expect_eq "HEAD status" "$(first_line "$r")" "HTTP/1.1 302 Found"
expect_match "HEAD location" "$r" "Location: https://x.example/new/z"
# ($(...) drops trailing newlines: look at the raw bytes.)
expect_eq "HEAD has no body" "$(printf 'HEAD /old/z HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' |
	raw 127.0.0.1 80 | tail -c 4 | od -An -c | tr -d ' \n')" '\r\n\r\n'

# Keep-alive and pipelining, a request body skipped between them.
rc=0
r=$(printf 'GET /moved/ HTTP/1.1\r\nHost: a\r\n\r\nPOST /t307/ HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /old/k?v HTTP/1.1\r\nHost: a\r\n\r\n' |
	raw 127.0.0.1 80 -t 2000) || rc=$?
expect_eq "still open" "$rc" "3"
expect_eq "pipelined" "$(statuses "$r")" "301 307 302 "
expect_match "third location" "$r" "Location: https://x.example/new/k\?v"

# Listing.
l=$(httpctl route list)
expect_match "list" "$l" "^/old/ redirect https://x.example/new/ status 302 keep-path"
expect_match "list 301" "$l" "^/moved/ redirect https://www.example.com/ status 301$"
expect_match "json" "$(httpctl -j route list)" '"prefix":"/t308/","type":"redirect","redirect":"http://h.example/p","status":308,"keep_path":true'

# Refusals at route add: clear sentences, nothing added.
run_err httpctl route add /bad/ redirect ftp://x.example/
expect_match "scheme" "$ERR" "absolute http:// or https:// URL"
run_err httpctl route add /bad/ redirect //evil.example/
expect_match "scheme-relative" "$ERR" "single '/'"
run_err httpctl route add /bad/ redirect http:///x
expect_match "no host" "$ERR" "no host"
run_err httpctl route add /bad/ redirect "$(printf 'https://x.example/\r\nSet-Cookie: a=b')"
expect_match "CR LF" "$ERR" "printable ASCII"
run_err httpctl route add /bad/ redirect 'https://x.example/a b'
expect_match "space" "$ERR" "printable ASCII"
run_err httpctl route add /bad/ redirect 'https://x.example/?a=1' keep-path
expect_match "query with keep-path" "$ERR" "no query"
run_err httpctl route add /bad/ redirect "https://x.example/$(head -c 2100 /dev/zero | tr '\0' a)"
expect_match "too long" "$ERR" "(too long|longer)"
run_err httpctl route add /bad/ redirect https://x.example/ status 303
expect_match "status" "$ERR" "301, 302, 307 or 308"
run_err httpctl route add /bad/ static /srv keep-path
expect_match "keep-path on static" "$ERR" "redirect routes"
expect_eq "nothing added" "$(httpctl route list | grep -c '^/bad/')" "0"

# show, reload, httpctl -b: the same routes, the same answers.
httpctl show > /tmp/show1 || fail "show failed"
expect_match "show" "$(cat /tmp/show1)" "^route add /old/ redirect https://x.example/new/ status 302 keep-path$"
unload
load
run_ok httpctl -b /tmp/show1
httpctl show > /tmp/show2
sort /tmp/show1 > /tmp/s1
sort /tmp/show2 > /tmp/s2
cmp -s /tmp/s1 /tmp/s2 || fail "round trip differs: $(diff /tmp/s1 /tmp/s2)"
expect_eq "after reload" "$(loc "$U/old/a/b?q=1")" "302 https://x.example/new/a/b?q=1"
expect_eq "after reload 308" "$(loc "$U/t308/")" "308 http://h.example/p"
unload
exit 0
