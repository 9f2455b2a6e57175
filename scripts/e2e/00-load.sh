# SPDX-License-Identifier: GPL-2.0
# The module loads, answers httpctl status, and unloads; httpctl says so
# clearly when the module is not there.
. /khttp/lib.sh

run_err httpctl status
expect_match "status without module" "$ERR" "khttp module is not loaded"

load
out=$(run_ok httpctl status)
expect_match "status" "$out" "^khttp 0\.1\.0"
expect_match "status listen" "$out" "listen entries: 0"
expect_match "status routes" "$out" "routes: 0"
out=$(run_ok httpctl -j status)
expect_match "status json" "$out" '"version":"0.1.0"'
grep -q '^khttp ' /proc/modules || fail "not in /proc/modules"
unload
grep -q '^khttp ' /proc/modules && fail "still loaded after rmmod"
# Load and unload again: nothing left behind by the first round.
load
unload
exit 0
