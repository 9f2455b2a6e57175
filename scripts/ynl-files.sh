#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The files the guest needs to run the kernel's YNL CLI (tools/net/ynl/
# cli.py) against khttp: Debian's /usr/bin/python3 (not a pyenv one: its
# standard library lives under /usr/lib/python3.X, where the copied
# interpreter looks), the standard-library and python3-yaml modules the CLI
# imports, found by running it once here, and the CLI with its lib/.
# usage: ynl-files.sh KSRC   prints one absolute path a line
set -euo pipefail
ksrc=$1
py=/usr/bin/python3
ynl=$ksrc/tools/net/ynl
spec=$(cd "$(dirname "$0")/.." && pwd)/Documentation/netlink/specs/khttp.yaml
list=$(mktemp)
trap 'rm -f "$list"' EXIT
# The run fails here (no khttp family on the host) after every import the
# CLI makes, error reporting included; atexit still lists the modules.
PYTHONPATH=$ynl:/usr/lib/python3/dist-packages "$py" -S -c '
import atexit, runpy, sys
out, spec, cli = sys.argv[1:4]
def listing():
    with open(out, "w") as f:
        for m in list(sys.modules.values()):
            p = getattr(m, "__file__", None)
            if p:
                print(p, file=f)
atexit.register(listing)
import encodings.utf_8, encodings.latin_1, encodings.ascii
sys.argv = [cli, "--spec", spec, "--no-schema", "--dump", "route-get"]
runpy.run_path(cli, run_name="__main__")
' "$list" "$spec" "$ynl/cli.py" > /dev/null 2>&1 || true
readlink -f "$py"
grep -v "^$ynl/" "$list" | sort -u
echo /usr/lib/python3.11/encodings/__init__.py
find "$ynl/cli.py" "$ynl/lib" -name '*.py'
