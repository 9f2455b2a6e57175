# SPDX-License-Identifier: GPL-2.0
# Paths never leave the route's directory: "..", its %-encodings, encoded
# slashes and backslashes, NUL, absolute-form targets, and symlinks that
# point out of the docroot are all refused and never return the file's
# content; symlinks that stay inside are served.  After every refusal the
# server still answers normally.
. /khttp/lib.sh
serve_site
U=http://127.0.0.1
LAST='GET /alpha.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'

# Two files outside the docroot that must never be served.
echo "TOPSECRET" > /srv/secret.txt
grep -q '^root:' /etc/passwd 2>/dev/null || echo 'root:x:0:0:root:/root:/bin/sh' >> /etc/passwd
chmod 644 /srv/secret.txt /etc/passwd

# try TARGET WANT: GET TARGET, then a normal request on the same connection.
# WANT is the status.  A 403/404 keeps the connection (the next request is
# answered); a 400 closes it (nothing else is answered).  Either way no
# secret leaks and a fresh connection still gets a 200.
try() {
	rc=0; out=$(printf "GET %s HTTP/1.1\r\nHost: x\r\n\r\n$LAST" "$1" |
		raw 127.0.0.1 80) || rc=$?
	case $2 in
	400) expect_eq "$1 status" "$(statuses "$out")" "400 " ;;
	*) expect_eq "$1 status" "$(statuses "$out")" "$2 200 " ;;
	esac
	expect_eq "$1 closes" "$rc" "0"
	echo "$out" | grep -qE 'root:|TOPSECRET' && fail "$1 leaked: $out"
	expect_eq "$1 then normal" "$(status $U/alpha.txt)" "200"
}

try '/../etc/passwd' 403
try '/..' 403
try '/../srv/secret.txt' 403
try '/a/../../etc/passwd' 403
try '/sub/../../secret.txt' 403
try '/%2e%2e/etc/passwd' 403
try '/%2E%2E/%2e%2e/etc/passwd' 403
try '/.%2e/etc/passwd' 403
try '/%2e%2e%2fetc/passwd' 400
try '/..%2f..%2fetc/passwd' 400
try '/%00' 400
try '/alpha.txt%00.html' 400
try '/..%5c..%5cetc/passwd' 400
try '/..\..\etc\passwd' 400
try '/sub\..\alpha.txt' 400
try '/%252e%252e/etc/passwd' 404
try '//etc/passwd' 404
try '/%' 400
try '/%zz' 400

# Absolute-form targets are normalised the same way.
try 'http://127.0.0.1/../etc/passwd' 403
try 'http://127.0.0.1/%2e%2e/srv/secret.txt' 403
try 'http://127.0.0.1/..%2fsecret.txt' 400

# Dot segments that stay inside are fine.
expect_eq "dot" "$(curl -s --path-as-is $U/./alpha.txt)" "abcdefghijklmnopqrstuvwxyz"
expect_eq "dotdot inside" "$(curl -s --path-as-is $U/sub/../alpha.txt)" "abcdefghijklmnopqrstuvwxyz"
expect_eq "encoded dotdot inside" "$(curl -s --path-as-is $U/sub/%2e%2e/alpha.txt)" "abcdefghijklmnopqrstuvwxyz"

# Symlinks out of the docroot: absolute, relative climbing, via a
# directory link.  Refused (403), never the content.
ln -s /etc /srv/www/etc-link
ln -s /etc/passwd /srv/www/pw
ln -s ../secret.txt /srv/www/up.txt
ln -s ../../secret.txt /srv/www/sub/up2.txt
ln -s .. /srv/www/parent
try '/etc-link/passwd' 403
try '/pw' 403
try '/up.txt' 403
try '/sub/up2.txt' 403
try '/parent/secret.txt' 403
try '/parent/' 403
# Not even the file's existence leaks through a link's status.
try '/etc-link/no-such-file' 403

# Symlinks that stay inside are served.
ln -s alpha.txt /srv/www/alias.txt
ln -s sub /srv/www/sublink
ln -s ../alpha.txt /srv/www/sub/back.txt
ln -s no-such-file /srv/www/dangling
expect_eq "link inside" "$(curl -s $U/alias.txt)" "abcdefghijklmnopqrstuvwxyz"
expect_eq "dir link inside" "$(curl -s $U/sublink/)" "sub index"
expect_eq "link with .. inside" "$(curl -s $U/sub/back.txt)" "abcdefghijklmnopqrstuvwxyz"
try '/dangling' 404

expect_eq "still serving" "$(status $U/)" "200"
unload
exit 0
