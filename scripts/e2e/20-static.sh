# SPDX-License-Identifier: GPL-2.0
# Static files: GET/HEAD, types, validators, 304, ranges, 404/403/405,
# directories and index.html.
. /khttp/lib.sh
serve_site
U=http://127.0.0.1

expect_eq "GET body" "$(curl -s $U/alpha.txt)" "abcdefghijklmnopqrstuvwxyz"
h=$(curl -s -D - -o /dev/null $U/alpha.txt | tr -d '\r')
expect_match "status" "$h" "^HTTP/1.1 200 OK"
expect_match "type" "$h" "Content-Type: text/plain; charset=utf-8"
expect_match "length" "$h" "Content-Length: 26"
expect_match "etag" "$h" 'ETag: "[0-9a-f.-]+"'
expect_match "last-modified" "$h" "Last-Modified: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT"
expect_match "json type" "$(curl -s -D - -o /dev/null $U/data.json)" "Content-Type: application/json"
expect_match "html type" "$(curl -s -D - -o /dev/null $U/)" "Content-Type: text/html"
expect_match "unknown type" "$(curl -s -D - -o /dev/null $U/big.bin)" "Content-Type: application/octet-stream"

# The big file arrives intact (zero-copy path, many segments).
curl -s -o /tmp/big.out $U/big.bin
expect_eq "big file" "$(sha256sum < /tmp/big.out)" "$(sha256sum < /srv/www/big.bin)"

# HEAD: same headers, no body.
h=$(curl -s -I $U/alpha.txt | tr -d '\r')
expect_match "HEAD length" "$h" "Content-Length: 26"
expect_eq "HEAD body" "$(curl -s -I $U/alpha.txt -o /dev/null -w '%{size_download}')" "0"

# Validators.
etag=$(echo "$h" | sed -n 's/^ETag: //p')
lm=$(echo "$h" | sed -n 's/^Last-Modified: //p')
expect_eq "If-None-Match" "$(status $U/alpha.txt -H "If-None-Match: $etag")" "304"
expect_eq "If-None-Match list" "$(status $U/alpha.txt -H "If-None-Match: \"x\", W/$etag")" "304"
expect_eq "If-None-Match *" "$(status $U/alpha.txt -H 'If-None-Match: *')" "304"
expect_eq "If-None-Match other" "$(status $U/alpha.txt -H 'If-None-Match: "nope"')" "200"
expect_eq "If-Modified-Since" "$(status $U/alpha.txt -H "If-Modified-Since: $lm")" "304"
expect_eq "IMS old" "$(status $U/alpha.txt -H 'If-Modified-Since: Thu, 01 Jan 1970 00:00:01 GMT')" "200"
# An edited file gets a new validator.
sleep 1
echo "changed" >> /srv/www/alpha.txt
expect_eq "edited" "$(status $U/alpha.txt -H "If-None-Match: $etag")" "200"
printf 'abcdefghijklmnopqrstuvwxyz' > /srv/www/alpha.txt

# Ranges.
expect_eq "range" "$(curl -s -r 2-5 $U/alpha.txt)" "cdef"
expect_eq "range status" "$(status $U/alpha.txt -r 2-5)" "206"
expect_match "content-range" "$(curl -s -D - -o /dev/null -r 2-5 $U/alpha.txt)" "Content-Range: bytes 2-5/26"
expect_eq "suffix" "$(curl -s -r -3 $U/alpha.txt)" "xyz"
expect_eq "open" "$(curl -s -r 23- $U/alpha.txt)" "xyz"
expect_eq "416" "$(status $U/alpha.txt -r 100-200)" "416"
expect_match "416 range" "$(curl -s -D - -o /dev/null -r 100-200 $U/alpha.txt)" "Content-Range: bytes \*/26"
expect_eq "multi ignored" "$(status $U/alpha.txt -r 0-1,4-5)" "200"
expect_eq "If-Range stale" "$(status $U/alpha.txt -r 2-5 -H 'If-Range: "old"')" "200"
et2=$(curl -s -I $U/alpha.txt | tr -d '\r' | sed -n 's/^ETag: //p')
expect_eq "If-Range current" "$(status $U/alpha.txt -r 2-5 -H "If-Range: $et2")" "206"

# Errors.
expect_eq "404" "$(status $U/nope.txt)" "404"
expect_eq "404 under file" "$(status $U/alpha.txt/x)" "404"
chmod 600 /srv/www/data.json
expect_eq "not world-readable" "$(status $U/data.json)" "403"
chmod 644 /srv/www/data.json
h=$(curl -s -D - -o /dev/null -X POST -d x=1 $U/alpha.txt | tr -d '\r')
expect_match "405" "$h" "^HTTP/1.1 405"
expect_match "Allow" "$h" "Allow: GET, HEAD"
expect_eq "DELETE" "$(status $U/alpha.txt -X DELETE)" "405"

# Directories.
expect_eq "index" "$(curl -s $U/)" "hello from khttp"
expect_eq "sub index" "$(curl -s $U/sub/)" "sub index"
h=$(curl -s -D - -o /dev/null $U/sub | tr -d '\r')
expect_match "redirect" "$h" "^HTTP/1.1 301"
expect_match "location" "$h" "Location: /sub/"
expect_eq "no index" "$(status $U/empty/)" "404"

# A prefix route maps its own directory.
mkdir -p /srv/assets
echo "asset" > /srv/assets/a.css
chmod -R a+rX /srv/assets
run_ok httpctl route add /assets/ static /srv/assets
expect_eq "prefix route" "$(curl -s $U/assets/a.css)" "asset"
expect_match "css" "$(curl -s -D - -o /dev/null $U/assets/a.css)" "Content-Type: text/css"
expect_eq "longest wins" "$(status $U/assets/index.html)" "404"
unload
exit 0
