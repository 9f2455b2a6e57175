# SPDX-License-Identifier: GPL-2.0
# Precompressed files (route option "precompressed on", nginx's gzip_static
# and brotli_static): FILE.br or FILE.gz for a client whose Accept-Encoding
# takes it (q-values, "*"), with Content-Encoding, Vary, FILE's type and an
# ETag of its own; bodies decompress to FILE; Range and 304 on the gzip
# representation; a stale or unreadable sibling is ignored; the cache keeps
# the representations apart; a route without the option never sends one.
. /khttp/lib.sh
command -v brotli >/dev/null || fail "no brotli in the guest (scripts/deps.sh installs it, initramfs.sh copies it)"
D=/srv/pc
mkdir -p $D
i=0
while [ $i -lt 300 ]; do
	echo "var line$i = 'the precompressed test file, line $i';"
	i=$((i + 1))
done > $D/app.js
echo 'body { color: red; } /* only a .gz */' > $D/only.css
gzip -9 -c $D/app.js > $D/app.js.gz
brotli -c $D/app.js > $D/app.js.br
gzip -9 -c $D/only.css > $D/only.css.gz
chmod -R a+rX $D
load
run_ok httpctl iplisten add 127.0.0.1:80
run_ok httpctl route add /pc/ static $D precompressed on
run_ok httpctl route add /nopc/ static $D
U=http://127.0.0.1

# The option is listed, shown (so httpctl -b restores it) and in JSON.
expect_match "listed" "$(httpctl route list)" "^/pc/ static $D precompressed on$"
expect_match "plain listed" "$(httpctl route list)" "^/nopc/ static $D$"
expect_match "shown" "$(httpctl show)" "^route add /pc/ static $D precompressed on$"
expect_match "json" "$(httpctl -j route list)" '"prefix":"/pc/",[^}]*"precompressed":true'
run_err httpctl route add /p/ pool nosuch precompressed on
expect_match "pool refused" "$ERR" "precompressed is for static routes"
run_err httpctl route add /p/ static $D precompressed maybe
expect_match "bad value" "$ERR" "is not on or off"

# get NAME URL [curl args]: body in /tmp/NAME, head (no CR) in /tmp/NAME.h.
# No rename here: any rename makes the cache re-walk every path, which
# would hide a hit that skipped its own checks.
get() {
	n=$1 url=$2
	shift 2
	curl -s --max-time 10 -D /tmp/$n.raw -o /tmp/$n "$@" "$url" ||
		fail "curl $url $*"
	tr -d '\r' < /tmp/$n.raw > /tmp/$n.h
}
hdr() { grep -i "^$2: " /tmp/$1.h | head -1 | cut -d' ' -f2-; }
enc() { hdr "$1" Content-Encoding; }

# Identity: no Accept-Encoding.  Vary still, since the choice depends on it.
get id $U/pc/app.js
cmp -s /tmp/id $D/app.js || fail "identity body differs from app.js"
expect_eq "identity encoding" "$(enc id)" ""
expect_eq "identity vary" "$(hdr id Vary)" "Accept-Encoding"
expect_eq "identity type" "$(hdr id Content-Type)" "text/javascript; charset=utf-8"
etag_id=$(hdr id ETag)

# gzip, br: br is preferred.
get br $U/pc/app.js -H 'Accept-Encoding: gzip, br'
expect_eq "br encoding" "$(enc br)" "br"
expect_eq "br vary" "$(hdr br Vary)" "Accept-Encoding"
expect_eq "br type" "$(hdr br Content-Type)" "text/javascript; charset=utf-8"
expect_eq "br length" "$(hdr br Content-Length)" "$(wc -c < $D/app.js.br)"
brotli -d -c /tmp/br > /tmp/br.d || fail "the br body does not decompress"
cmp -s /tmp/br.d $D/app.js || fail "the br body does not decompress to app.js"
etag_br=$(hdr br ETag)
expect_match "br etag" "$etag_br" '^"[^"]+-br"$'

get gz $U/pc/app.js -H 'Accept-Encoding: gzip'
expect_eq "gzip encoding" "$(enc gz)" "gzip"
expect_eq "gzip vary" "$(hdr gz Vary)" "Accept-Encoding"
expect_eq "gzip type" "$(hdr gz Content-Type)" "text/javascript; charset=utf-8"
gunzip -c < /tmp/gz > /tmp/gz.d || fail "the gzip body does not decompress"
cmp -s /tmp/gz.d $D/app.js || fail "the gzip body does not decompress to app.js"
etag_gz=$(hdr gz ETag)
expect_match "gzip etag" "$etag_gz" '^"[^"]+-gz"$'
[ "$etag_gz" != "$etag_id" ] && [ "$etag_br" != "$etag_id" ] &&
	[ "$etag_br" != "$etag_gz" ] ||
	fail "ETags not distinct: id $etag_id gz $etag_gz br $etag_br"

# Again, now from the cache: each key still gets its own representation.
for round in 1 2; do
	get id2 $U/pc/app.js
	expect_eq "cached identity $round" "$(enc id2) $(hdr id2 ETag)" " $etag_id"
	get gz2 $U/pc/app.js -H 'Accept-Encoding: gzip'
	expect_eq "cached gzip $round" "$(enc gz2) $(hdr gz2 ETag)" "gzip $etag_gz"
	cmp -s /tmp/gz2 $D/app.js.gz || fail "cached gzip body differs"
	get br2 $U/pc/app.js -H 'Accept-Encoding: br;q=1, gzip;q=0.5'
	expect_eq "cached br $round" "$(enc br2) $(hdr br2 ETag)" "br $etag_br"
done
expect_eq "three entries" "$(httpctl cache list | grep -c '/pc/app.js')" "3"

# q-values, "*" and aliases.
ae() {
	get q $U/pc/app.js -H "Accept-Encoding: $1"
	expect_eq "Accept-Encoding: $1" "$(enc q)" "$2"
}
ae 'gzip;q=0' ''
ae 'gzip;q=0, br;q=0' ''
ae 'br;q=0, gzip' 'gzip'
ae 'gzip;q=0, *' 'br'
ae '*;q=0.5, br;q=0' 'gzip'
ae '*;q=0' ''
ae 'gzip;q=1.0, br;q=0.8' 'gzip'
ae 'GZIP; Q=0.001' 'gzip'
ae 'x-gzip' 'gzip'
ae 'identity' ''
ae 'deflate, compress' ''
ae 'gzip;q=2' ''
ae 'gzip;q=0.0001' ''
# Sent on two lines: not merged; the identity file is always right.
get two $U/pc/app.js -H 'Accept-Encoding: gzip' -H 'Accept-Encoding: br'
expect_eq "two lines" "$(enc two)" ""

# HEAD, Range and conditionals on the gzip representation.
gzsize=$(wc -c < $D/app.js.gz)
get head $U/pc/app.js -I -H 'Accept-Encoding: gzip'
expect_eq "HEAD gzip" "$(enc head) $(hdr head Content-Length)" "gzip $gzsize"
get rg $U/pc/app.js -H 'Accept-Encoding: gzip' -H 'Range: bytes=0-9'
expect_match "range status" "$(head -1 /tmp/rg.h)" "^HTTP/1.1 206"
expect_eq "range of the gzip file" "$(hdr rg Content-Range)" "bytes 0-9/$gzsize"
expect_eq "range encoding" "$(enc rg) $(hdr rg ETag) $(hdr rg Vary)" "gzip $etag_gz Accept-Encoding"
head -c 10 $D/app.js.gz > /tmp/rg.want
cmp -s /tmp/rg /tmp/rg.want || fail "the range is not the gzip file's first 10 bytes"
get rt $U/pc/app.js -H 'Accept-Encoding: gzip' -H "Range: bytes=$((gzsize - 5))-"
expect_eq "tail range" "$(hdr rt Content-Range)" "bytes $((gzsize - 5))-$((gzsize - 1))/$gzsize"
expect_eq "304 gzip etag" "$(status $U/pc/app.js -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag_gz")" "304"
get nm $U/pc/app.js -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag_gz"
expect_eq "304 vary" "$(hdr nm Vary) $(hdr nm ETag)" "Accept-Encoding $etag_gz"
expect_eq "gzip etag, identity asked" "$(status $U/pc/app.js -H "If-None-Match: $etag_gz")" "200"
expect_eq "identity etag, gzip asked" "$(status $U/pc/app.js -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag_id")" "200"
expect_eq "304 identity" "$(status $U/pc/app.js -H "If-None-Match: $etag_id")" "304"

# A sibling that is not world-readable is skipped, as any such file.
chmod 600 $D/app.js.br
get nr $U/pc/app.js -H 'Accept-Encoding: br, gzip'
expect_eq "unreadable br skipped" "$(enc nr)" "gzip"
chmod 644 $D/app.js.br
wait_until 5 sh -c "curl -s -o /dev/null -w '%header{content-encoding}' -H 'Accept-Encoding: br, gzip' $U/pc/app.js | grep -qx br" ||
	fail "the readable .br is not sent again"

# A stale .gz (older than FILE) is ignored: at once, cached or not.
get c1 $U/pc/only.css -H 'Accept-Encoding: gzip'
expect_eq "only.css gzip" "$(enc c1) $(hdr c1 Content-Type)" "gzip text/css; charset=utf-8"
touch -d '2001-01-01 00:00:00' $D/only.css.gz
get c2 $U/pc/only.css -H 'Accept-Encoding: gzip'
expect_eq "stale gz (touched back)" "$(enc c2)" ""
cmp -s /tmp/c2 $D/only.css || fail "stale gz: body is not only.css"
# A sibling made anew is seen on the one-second re-walk.
gzip -9 -c $D/only.css > $D/only.css.gz
wait_until 5 sh -c "curl -s -o /dev/null -w '%header{content-encoding}' -H 'Accept-Encoding: gzip' $U/pc/only.css | grep -qx gzip" ||
	fail "the new only.css.gz is not sent"
get c4 $U/pc/only.css -H 'Accept-Encoding: gzip'
expect_eq "fresh gz cached" "$(enc c4)" "gzip"
# FILE edited after its .gz (dated ahead so no timestamp tick is needed):
# every hit compares the two, before the one-second re-walk would.
echo '/* edited after its .gz */' >> $D/only.css
touch -d '2037-01-01 00:00:00' $D/only.css
get c5 $U/pc/only.css -H 'Accept-Encoding: gzip'
expect_eq "FILE edited after its gz" "$(enc c5)" ""
cmp -s /tmp/c5 $D/only.css || fail "edited FILE: body is not the new only.css"

# A route without the option never sends a sibling, nor Vary.
get np $U/nopc/app.js -H 'Accept-Encoding: gzip, br'
expect_eq "no option: encoding" "$(enc np)" ""
expect_eq "no option: vary" "$(hdr np Vary)" ""
cmp -s /tmp/np $D/app.js || fail "no option: body is not app.js"
expect_eq "no option: etag" "$(hdr np ETag)" "$etag_id"
rm -f /tmp/id* /tmp/br* /tmp/gz* /tmp/q* /tmp/rg* /tmp/rt* /tmp/nm* /tmp/nr* \
	/tmp/c[1-5]* /tmp/np* /tmp/two* /tmp/head* /tmp/*.raw
echo "PASS: precompressed"
