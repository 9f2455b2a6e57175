#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-browser: the status route's page in a real browser.  Runs the
# e2e test 91-metrics (K=6.1 unless given), which prints the page it was
# served on the console, renders that page with Debian's headless Chromium
# (not in scripts/deps.sh: it is large; apt-get install chromium) and
# checks that the browser parsed its tables and the refresh, keeping the
# screenshot in build/check/status.png.  Not part of make check.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/check
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "check-browser: needs chromium (apt-get install chromium)" >&2; exit 2; }
cd "$top"
T=91-metrics K=${K:-6.1} scripts/check.sh
log=$(ls -t "$out"/console-*.log.txt | head -1)
sed -n 's/^KHTTP-INFO: status-html: //p' "$log" > "$out/status.html"
[ -s "$out/status.html" ] || { echo "FAIL browser/status-page (no page in $log)"; exit 1; }
rm -f "$out/status.png"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars
       --window-size=1000,700 --user-data-dir="$out/chromium-profile")
"$browser" "${flags[@]}" --dump-dom "file://$out/status.html" \
	> "$out/status.dom" 2> "$out/chromium.log"
"$browser" "${flags[@]}" --screenshot="$out/status.png" \
	"file://$out/status.html" >> "$out/chromium.log" 2>&1
fail=
for want in '<meta http-equiv="refresh" content="5">' '<table id="rates">' \
	    '<table id="classes">' '<table id="listen">' '<table id="pools">' \
	    '<td>app</td>'; do
	grep -qF "$want" "$out/status.dom" || fail="$fail; DOM lacks $want"
done
# A real PNG of the window's size (file(1) says "1000 x 700").
file "$out/status.png" 2>/dev/null | grep -q 'PNG image data, 1000 x 700' ||
	fail="$fail; no 1000x700 screenshot"
if [ -n "$fail" ]; then
	echo "FAIL browser/status-page${fail} (see $out/chromium.log)"
	exit 1
fi
echo "PASS browser/status-page (screenshot: $out/status.png)"
