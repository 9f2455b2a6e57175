# SPDX-License-Identifier: GPL-2.0
# Static files in the response cache: a second request is a cache hit
# (counters and `cache list` prove it), and every kind of edit is seen on
# the very next request: in-place write, truncate and rewrite, append,
# rename over, unlink and recreate, chmod, a renamed directory; a swapped
# symlink within the one-second re-walk.  Ranges from pinned pages, files
# over the per-entry limit, per-route opt-out, and route deletion releasing
# the files (a docroot can be unmounted).
. /khttp/lib.sh
serve_site
U=http://127.0.0.1

expect_eq "miss" "$(curl -s $U/alpha.txt)" "abcdefghijklmnopqrstuvwxyz"
h0=$(stat cache_hits)
expect_eq "hit" "$(curl -s $U/alpha.txt)" "abcdefghijklmnopqrstuvwxyz"
expect_eq "hit counted" "$(stat cache_hits)" "$((h0 + 1))"
expect_match "listed" "$(httpctl cache list)" "^http://127.0.0.1:80/alpha.txt status 200 size [0-9]+ hits 1 age [^ ]+ ttl - file /srv/www/alpha.txt$"
expect_match "json" "$(httpctl -j cache list)" '"file":"/srv/www/alpha.txt"'
# The query does not matter to a file: one entry.
expect_eq "query" "$(curl -s "$U/alpha.txt?v=2")" "abcdefghijklmnopqrstuvwxyz"
expect_eq "one entry" "$(httpctl cache list | grep -c alpha.txt)" "1"
# Conditionals and HEAD from the entry.
etag=$(curl -s -I $U/alpha.txt | tr -d '\r' | sed -n 's/^ETag: //p')
expect_eq "304" "$(status $U/alpha.txt -H "If-None-Match: $etag")" "304"
expect_eq "HEAD" "$(curl -s -I -o /dev/null -w '%{size_download} %{http_code}' $U/alpha.txt)" "0 200"

# Edits, each checked on the next request, no waiting.
printf 'ABCDEFGHIJ' | dd of=/srv/www/alpha.txt conv=notrunc 2>/dev/null
expect_eq "in place" "$(curl -s $U/alpha.txt)" "ABCDEFGHIJklmnopqrstuvwxyz"
printf '0123456789abcdefghijklmnop' > /srv/www/alpha.txt
expect_eq "truncate+rewrite" "$(curl -s $U/alpha.txt)" "0123456789abcdefghijklmnop"
printf 'XYZ' >> /srv/www/alpha.txt
expect_eq "append" "$(curl -s $U/alpha.txt)" "0123456789abcdefghijklmnopXYZ"
printf 'renamed over' > /srv/www/.tmp && chmod 644 /srv/www/.tmp
mv /srv/www/.tmp /srv/www/alpha.txt
expect_eq "rename over" "$(curl -s $U/alpha.txt)" "renamed over"
rm /srv/www/alpha.txt
expect_eq "unlinked" "$(status $U/alpha.txt)" "404"
printf 'recreated' > /srv/www/alpha.txt && chmod 644 /srv/www/alpha.txt
expect_eq "recreated" "$(curl -s $U/alpha.txt)" "recreated"
curl -s -o /dev/null $U/alpha.txt
chmod 600 /srv/www/alpha.txt
expect_eq "chmod" "$(status $U/alpha.txt)" "403"
chmod 644 /srv/www/alpha.txt

# What the name leads to changes above the file.
mkdir -p /srv/www/v1 /srv/www/v2
echo one > /srv/www/v1/f.txt
echo two > /srv/www/v2/f.txt
chmod -R a+rX /srv/www
ln -s v1 /srv/www/cur
expect_eq "via symlink" "$(curl -s $U/cur/f.txt)" "one"
expect_eq "via symlink, hit" "$(curl -s $U/cur/f.txt)" "one"
ln -sfn v2 /srv/www/cur
wait_until 5 sh -c "[ \"\$(curl -s $U/cur/f.txt)\" = two ]" ||
	fail "swapped symlink still serves $(curl -s $U/cur/f.txt)"
expect_eq "v1 itself" "$(curl -s $U/v1/f.txt)" "one"
mv /srv/www/v1 /srv/www/v1.old
mkdir /srv/www/v1 && echo new > /srv/www/v1/f.txt && chmod -R a+rX /srv/www/v1
expect_eq "renamed directory" "$(curl -s $U/v1/f.txt)" "new"
expect_eq "index via cache" "$(curl -s $U/sub/)" "sub index"
echo "sub index 2" > /srv/www/sub/index.html
expect_eq "index edited" "$(curl -s $U/sub/)" "sub index 2"

# A big file: pinned pages, ranges across page boundaries.
sum=$(sha256sum < /srv/www/big.bin)
curl -s -o /tmp/b1 $U/big.bin
curl -s -o /tmp/b2 $U/big.bin
expect_eq "big miss" "$(sha256sum < /tmp/b1)" "$sum"
expect_eq "big hit" "$(sha256sum < /tmp/b2)" "$sum"
expect_match "big pinned" "$(httpctl cache list | grep big.bin)" "size (10[5-9][0-9]{4}|1[1-9][0-9]{5})"
curl -s -r 4090-12300 -o /tmp/r1 $U/big.bin
dd if=/srv/www/big.bin bs=1 skip=4090 count=8211 2>/dev/null > /tmp/r2
expect_eq "range across pages" "$(sha256sum < /tmp/r1)" "$(sha256sum < /tmp/r2)"
# Over the per-entry limit: the entry keeps the open file, not its pages.
run_ok httpctl cache flush
run_ok httpctl set cache-entry-max 65536
curl -s -o /tmp/b1 $U/big.bin
curl -s -o /tmp/b2 $U/big.bin
expect_eq "unpinned hit" "$(sha256sum < /tmp/b2)" "$sum"
expect_match "unpinned small" "$(httpctl cache list | grep big.bin)" "size [0-9]{2,4} hits 1 "
dd if=/dev/urandom of=/srv/www/big.bin bs=1024 count=100 2>/dev/null
curl -s -o /tmp/b3 $U/big.bin
expect_eq "unpinned edited" "$(sha256sum < /tmp/b3)" "$(sha256sum < /srv/www/big.bin)"
run_ok httpctl set cache-entry-max 1048576

# Per-route opt-out.
run_ok httpctl route add /nc/ static /srv/www cache off
curl -s -o /dev/null $U/nc/index.html
curl -s -o /dev/null $U/nc/index.html
expect_eq "opt-out" "$(httpctl cache list | grep -c /nc/)" "0"

# Cache off altogether.
run_ok httpctl set cache-max-bytes 0
curl -s -o /dev/null $U/data.json
expect_eq "cache off" "$(stat cache_entries)" "0"
run_ok httpctl set cache-max-bytes 10000000

# Deleting a route lets go of its files: the docroot can be unmounted.
mkdir -p /srv/mnt
mount -t tmpfs none /srv/mnt
echo mounted > /srv/mnt/m.txt
chmod -R a+rX /srv/mnt
run_ok httpctl route add /m/ static /srv/mnt
expect_eq "mounted" "$(curl -s $U/m/m.txt)" "mounted"
expect_eq "mounted hit" "$(curl -s $U/m/m.txt)" "mounted"
run_ok httpctl route del /m/
wait_until 10 sh -c '! httpctl cache list | grep -q /m/' ||
	fail "entries of a deleted route stay"
wait_until 10 umount /srv/mnt || fail "docroot still busy after route del"
unload
exit 0
