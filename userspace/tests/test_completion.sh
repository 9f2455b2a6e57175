#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit test for the bash completion (completion/httpctl): it sources
# cleanly, and completes objects, verbs, options and pool names (from a
# stand-in httpctl).  Prints "ok NAME" / "not ok NAME", then a summary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
script=${COMPLETION:-$here/../completion/httpctl}
passed=0 failed=0

check() {
	if [ "$2" = "$3" ]; then
		echo "ok $1"; passed=$((passed + 1))
	else
		echo "not ok $1"; echo "#   got '$2', want '$3'"; failed=$((failed + 1))
	fi
}

httpctl() {	# stands in for the real one
	case "$*" in
	"pool list") printf 'app state active queue-length 1000\napi state inactive\n' ;;
	"iplisten list") printf '127.0.0.1:80\n127.0.0.1:443 tls\n' ;;
	"route list") printf '/ static /srv/www\n/app/ pool app\n' ;;
	esac
}

# complete WORDS...: what completing the last word offers, sorted.
complete_line() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_httpctl
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

out=$( (source "$script") 2>&1)
check "completion: sources without output" "$out" ""
# shellcheck source=/dev/null
source "$script"
check "completion: registered" "$(complete -p httpctl 2>/dev/null)" "complete -F _httpctl httpctl"
check "completion: objects" "$(complete_line httpctl p)" "pool"
check "completion: objects after -j" "$(complete_line httpctl -j ro)" "route"
check "completion: global options" "$(complete_line httpctl --j)" "--json"
check "completion: verbs" "$(complete_line httpctl pool '')" "add del list set"
check "completion: listen entries to delete" "$(complete_line httpctl iplisten del '')" "127.0.0.1:443 127.0.0.1:80"
check "completion: listen tls" "$(complete_line httpctl iplisten add 127.0.0.1:443 '')" "tls"
check "completion: tls verbs" "$(complete_line httpctl tls "")" "add del list"
check "completion: tls add words" "$(complete_line httpctl tls add a.example:443 "")" "cert key"
check "completion: pool names" "$(complete_line httpctl pool set a)" "api app"
check "completion: route pool names" "$(complete_line httpctl route add /x/ pool '')" "api app"
check "completion: pool options" "$(complete_line httpctl pool add new ver)" "verbosity"
check "completion: verbosity values" "$(complete_line httpctl pool add new verbosity '')" "basic full limited"
check "completion: set keywords" "$(complete_line httpctl set idle)" "idle-timeout"
check "completion: set value left alone" "$(complete_line httpctl set idle-timeout '')" ""
check "completion: route types" "$(complete_line httpctl route add /x/ '')" "metrics pool redirect static status"
check "completion: redirect options" "$(complete_line httpctl route add /x/ redirect https://a/ '')" "allow deny error-page header keep-path max-bandwidth status"
check "completion: redirect statuses" "$(complete_line httpctl route add /x/ redirect https://a/ status '')" "301 302 307 308"
check "completion: static options" "$(complete_line httpctl route add /x/ static /srv '')" "allow cache deny error-page header max-bandwidth precompressed"
check "completion: static route options" "$(complete_line httpctl route add /x/ static /srv cache off '')" "allow cache deny error-page header max-bandwidth precompressed"
check "completion: pool route options" "$(complete_line httpctl route add /x/ pool app '')" "allow cache deny error-page header max-bandwidth"
check "completion: metrics route options" "$(complete_line httpctl route add /m/ metrics '')" "allow deny error-page header max-bandwidth"
check "completion: status route options" "$(complete_line httpctl route add /s/ status '')" "allow deny error-page header max-bandwidth"
check "completion: precompressed values" "$(complete_line httpctl route add /x/ static /srv precompressed '')" "off on"
check "completion: access values" "$(complete_line httpctl route add /x/ pool app deny '')" "all"
check "completion: error-page statuses" "$(complete_line httpctl route add /x/ static /srv error-page '')" "403 404 405 500 502 503 504"
check "completion: error-page path left alone" "$(complete_line httpctl route add /x/ static /srv error-page 404 '')" ""
check "completion: route del prefixes" "$(complete_line httpctl route del /a)" "/app/"
check "completion: stats" "$(complete_line httpctl stats --p)" "--prometheus"
check "completion: log formats" "$(complete_line httpctl log -f '')" "json ncsa w3c"
echo "completion: $passed passed, $failed failed"
[ "$failed" = 0 ]
