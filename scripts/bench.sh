#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: khttp against nginx, side by side in one VM (Debian's stock
# kernel, 2 vCPUs, wrk inside the guest; see scripts/guest/run-bench.sh).
# KVER names the kernel: 6.1 (default), 6.12, or an installed Debian
# kernel's version; see scripts/kernels.sh.
# Prints a table and writes bench/results/<date>-<time>.json, then compares
# it with the previous run's file.
#
# usage: bench.sh [--smoke | --report CONSOLE_LOG]
#   --smoke   one 1 s round per workload, a small scale/memory run; results go to
#             build/bench/ only; the last line is "PASS bench/smoke" or
#             "FAIL bench/smoke REASON" (make check)
#   --report  no VM: rebuild the table and JSON from a saved console log
# Environment: BENCH_DURATION (s per round, default 3), BENCH_ROUNDS (3;
# khttp and nginx alternate, the median counts), BENCH_CONNS (50),
# BENCH_THREADS (2), BENCH_ROUTES (10000), BENCH_LISTEN (64),
# BENCH_CACHED (100000), BENCH_IDLE (10000), BENCH_WARMUP (s, 1),
# KHTTP_VM_MEM (MiB, 3072), BENCH_ONLY (run only these workloads, e.g.
# BENCH_ONLY=dynamic or "static-1m,scale"; names as in the JSON, "scale"
# for all scale-* ones; such a partial run's JSON goes to build/bench/ and
# is compared with the last full run), BENCH_PERF (a perf record -a -g
# of each server's first round of each selected workload, and every
# thread's context switches over it, summed by name; the report is in the
# console log; perf needs linux-perf on the host), BENCH_WORKERS (httpq-hello
# workers for the dynamic rows; default one per vCPU).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
smoke=0 report=
[ "${1:-}" = --smoke ] && smoke=1
[ "${1:-}" = --report ] && report=${2:?usage: bench.sh --report CONSOLE_LOG}
B=${KHTTP_BUILD:-$top/build}
out=$B/bench
mkdir -p "$out"

die() {
	echo "bench: $*" >&2
	[ $smoke = 1 ] && echo "FAIL bench/smoke $*"
	exit 1
}

if [ $smoke = 1 ]; then
	: "${BENCH_DURATION:=1}" "${BENCH_ROUTES:=100}" "${BENCH_LISTEN:=4}"
	: "${BENCH_CACHED:=1000}" "${BENCH_IDLE:=200}" "${BENCH_WARMUP:=0}"
	: "${BENCH_ROUNDS:=1}"
fi
opts="BENCH_DURATION=${BENCH_DURATION:-3} BENCH_CONNS=${BENCH_CONNS:-50}"
opts+=" BENCH_THREADS=${BENCH_THREADS:-2} BENCH_ROUTES=${BENCH_ROUTES:-10000}"
opts+=" BENCH_LISTEN=${BENCH_LISTEN:-64} BENCH_CACHED=${BENCH_CACHED:-100000}"
opts+=" BENCH_IDLE=${BENCH_IDLE:-10000} BENCH_WARMUP=${BENCH_WARMUP:-1}"
opts+=" BENCH_ROUNDS=${BENCH_ROUNDS:-3} BENCH_SMOKE=$smoke"
only=$(echo "${BENCH_ONLY:-}" | tr ' ' ',')
[ -n "$only" ] && opts+=" BENCH_ONLY=$only"
[ -n "${BENCH_PERF:-}" ] && opts+=" BENCH_PERF=1"
[ -n "${BENCH_WORKERS:-}" ] && opts+=" BENCH_WORKERS=$BENCH_WORKERS"

if [ -n "$report" ]; then
	log=$report
	stamp=$(basename "$log")
	stamp=${stamp#console-}
	stamp=report-${stamp%%.*}
else
	# The smoke run (make check) must not install anything; make bench may.
	if [ $smoke = 0 ]; then
		scripts/deps.sh wrk nginx || die "deps"
	fi
	command -v wrk > /dev/null && command -v nginx > /dev/null ||
		die "wrk and nginx are needed (scripts/deps.sh wrk nginx)"
	make -C userspace -s > "$out/userspace.log" 2>&1 ||
		{ tail -20 "$out/userspace.log"; die "userspace build failed"; }
	v=$(scripts/kernels.sh resolve ${KVER:+"$KVER"}) || die "no kernel"
	scripts/build-for.sh "/lib/modules/$v/build" "$B/bench-$v" \
		> "$out/build.log" 2>&1 ||
		{ tail -20 "$out/build.log"; die "module build failed"; }
	# The floor row's canned-reply module, built next to khttp.ko.
	mkdir -p "$B/bench-$v/floor"
	cp bench/floor/floor.c bench/floor/Kbuild "$B/bench-$v/floor/"
	make -C "/lib/modules/$v/build" M="$B/bench-$v/floor" modules \
		>> "$out/build.log" 2>&1 ||
		{ tail -20 "$out/build.log"; die "floor module build failed"; }
	initrd=$out/initrd.cpio.gz
	KHTTP_BENCH=$opts scripts/initramfs.sh "$initrd" "$B/bench-$v" \
		"stock-$v" bench \
		> "$out/initramfs.log" 2>&1 ||
		{ tail -20 "$out/initramfs.log"; die "initramfs failed"; }
	stamp=$(date +%Y%m%d-%H%M%S)
	log=$out/console-$stamp.log
	echo "bench: booting $v ($opts; console: $log)" >&2
	limit=1500
	[ $smoke = 1 ] && limit=600
	KHTTP_VM_MEM=${KHTTP_VM_MEM:-3072} scripts/vm.sh "/boot/vmlinuz-$v" \
		"$initrd" "$log" bench $limit
fi
tr -d '\r' < "$log" > "$out/console.txt"
grep '^bench: \|MISMATCH\|^PERF ' "$out/console.txt" >&2

if [ $smoke = 1 ] || [ -n "$report" ] || [ -n "$only" ]; then
	json=$out/smoke-$stamp.json
	[ -n "$report" ] || [ -n "$only" ] && json=$out/$stamp.json
else
	mkdir -p bench/results
	json=bench/results/$stamp.json
fi
# The previous full run: the newest dated file, else the reference run
# (a smoke run's 1 s figures compare with nothing).
prev=
if [ $smoke = 0 ]; then
	prev=$(ls bench/results/2*.json 2>/dev/null | grep -v "/$stamp.json" |
		tail -1)
	[ -n "$prev" ] ||
		prev=$(ls bench/results/reference-*.json 2>/dev/null | tail -1)
fi
git_rev=$(git describe --always --dirty 2>/dev/null || echo unknown)

python3 - "$out/console.txt" "$json" "${prev:-}" "$smoke" "$stamp" "$git_rev" <<'PY'
import json, statistics, sys

logf, outf, prevf, smoke, stamp, rev = sys.argv[1:7]
smoke = smoke == "1"
res = {"date": stamp, "git": rev, "meta": {}, "workloads": {}, "scale": {},
       "memory": {}}
ended = False
for line in open(logf, errors="replace"):
    line = line.rstrip("\n")
    if line.startswith("KHTTP-BENCH-END"):
        ended = True
    if not line.startswith("KHTTP-BENCH {"):
        continue
    try:
        o = json.loads(line[len("KHTTP-BENCH "):])
    except ValueError:
        print(f"bench: unparsable line: {line[:120]}", file=sys.stderr)
        continue
    if "meta" in o:
        res["meta"] = o["meta"]
        continue
    name, srv = o.pop("name"), o.pop("server")
    if name == "idle-memory":
        res["memory"][srv] = o
        continue
    runs = o.pop("wrk", None)
    if name.startswith("scale-"):
        d = res["scale"].setdefault(name, {})
        d.update(o)
        if runs:
            d.setdefault("runs", []).append(runs)
    elif runs:
        res["workloads"].setdefault(name, {}).setdefault(srv, {}) \
            .setdefault("runs", []).append(runs)


def combine(runs):
    """The median round of each figure; errors and requests summed."""
    ok = [r for r in runs if not r.get("failed")]
    if not ok:
        return {"requests": 0, "rps": 0, "failed": True, "rounds": runs}
    out = {}
    for k in ok[0]:
        vals = [r[k] for r in ok if k in r]
        if k.startswith("err_") or k in ("requests", "bytes", "duration_us"):
            out[k] = sum(vals)
        else:
            out[k] = statistics.median(vals)
    out["rps_rounds"] = [r.get("rps", 0) for r in runs]
    out["failed_rounds"] = len(runs) - len(ok)
    return out


# Rounds alternate khttp, nginx: the ratio is the median of each round's.
def rival(name):
    """The server khttp is compared with: the floor row's is bench/floor."""
    return {"floor": "floor", "netns-3": "one-netns"}.get(name, "nginx")


def first(name):
    """The server in khttp's place: bench/floor in the limit rows."""
    return "floor" if name.startswith("limit-") else "khttp"


# The spread (lowest and highest round's ratio) says how far to trust it.
res["ratios"], res["spread"] = {}, {}
for name, w in res["workloads"].items():
    one, other = first(name), rival(name)
    if one in w and other in w:
        rr = [k["rps"] / n["rps"] for k, n in
              zip(w[one]["runs"], w[other]["runs"])
              if k.get("rps") and n.get("rps")]
        if rr:
            res["ratios"][name] = statistics.median(rr)
            res["spread"][name] = [min(rr), max(rr)]
    for srv in list(w):
        w[srv] = combine(w[srv]["runs"])
for d in res["scale"].values():
    if "runs" in d:
        d["wrk"] = combine(d.pop("runs"))

ROWS = [("static-1k-keepalive", "1 KiB static, keep-alive"),
        ("static-1k-close", "1 KiB static, new conn/request"),
        ("static-1m", "1 MiB static"),
        ("static-1k-pipelined", "1 KiB static, 16 pipelined"),
        ("static-1k-c1000", "1 KiB static, 1,000 keep-alive conns"),
        ("static-1k-gzip", "1 KiB precompressed, gzip_static"),
        ("dynamic", "dynamic /dev/httpq vs return 200"),
        ("dynamic-cached", "dynamic, cacheable (-c 60)"),
        ("proxy", "httpq-proxy vs proxy_pass"),
        ("proxy-cached", "proxy, max-age vs proxy_cache"),
        ("floor", "cached answer vs in-kernel floor*"),
        ("limit-keepalive", "limit: floor*** vs nginx, keep-alive"),
        ("limit-close", "limit: floor, new conn/request"),
        ("limit-pipelined", "limit: floor, 16 pipelined"),
        ("limit-c1000", "limit: floor, 1,000 conns"),
        ("netns-3", "1 KiB, 3 namespaces vs 1**"),
        ("tls-1k-keepalive", "1 KiB over TLS, keep-alive"),
        ("tls-1m", "1 MiB over TLS"),
        ("tls-handshake", "TLS, new conn/request (handshakes)")]
SCALE = [("scale-baseline", "routes", "routes, 1 listen entry"),
         ("scale-routes", "routes", "routes"),
         ("scale-listen", "listen", "listen entries"),
         ("scale-cached", "cached_urls", "cached URLs requested")]


def lat(us):
    if us is None:
        return "-"
    if us >= 1e6:
        return f"{us / 1e6:.2f}s"
    if us >= 1000:
        return f"{us / 1000:.1f}ms"
    return f"{us}us"


def errs(w):
    return sum(w.get(k, 0) for k in ("err_connect", "err_read", "err_write",
                                     "err_status", "err_timeout"))


def ratio(res, name):
    if name in res.get("ratios", {}):
        return res["ratios"][name]
    w = res["workloads"].get(name, {})
    k = w.get(first(name), {}).get("rps")
    n = w.get(rival(name), {}).get("rps")
    return k / n if k and n else None


m = res["meta"]
print(f"khttp vs nginx, {m.get('kernel', '?')}, {m.get('cpus', '?')} vCPUs "
      f"(QEMU TCG), nginx {m.get('nginx', '?')}, wrk -t{m.get('threads')} "
      f"-c{m.get('conns')} -d{m.get('duration_s')}s"
      + (f", median of {m['rounds']} rounds" if m.get("rounds", 1) > 1 else "")
      + f"; git {rev}")
print()
print(f"{'workload':36} {'khttp req/s':>11} {'nginx req/s':>11} {'ratio':>6}"
      f" {'spread':>9}  {'khttp p50/p99':>15}  {'nginx p50/p99':>15}")
notes = []
for name, label in ROWS:
    w = res["workloads"].get(name, {})
    k, n = w.get(first(name), {}), w.get(rival(name), {})
    r = ratio(res, name)
    sp = res.get("spread", {}).get(name)
    sp = f"{sp[0]:.2f}-{sp[1]:.2f}" if sp else "-"
    print(f"{label:36} {k.get('rps', 0):11.0f} {n.get('rps', 0):11.0f} "
          f"{(f'{r:.2f}' if r else '-'):>6} {sp:>9}  "
          f"{lat(k.get('p50_us')) + '/' + lat(k.get('p99_us')):>15}  "
          f"{lat(n.get('p50_us')) + '/' + lat(n.get('p99_us')):>15}")
    for s, x in ((first(name), k), (rival(name), n)):
        if errs(x):
            notes.append(f"{name}/{s}: {errs(x)} errors (connect "
                         f"{x['err_connect']} read {x['err_read']} write "
                         f"{x['err_write']} status {x['err_status']} "
                         f"timeout {x['err_timeout']})")
        if x.get("failed"):
            notes.append(f"{name}/{s}: wrk failed (see the console log)")
        # The tls-* rows: how many sockets kTLS took on per round, each
        # way; nginx's OpenSSL 3.0 puts only TX into the kernel.
        if "ktls_tx" in x:
            notes.append(f"{name}/{s}: kTLS sockets per round (median): "
                         f"TX {x['ktls_tx']:.0f}, RX {x['ktls_rx']:.0f}")
if "floor" in res["workloads"]:
    print(f"  * the second column is bench/floor's canned-reply module "
          f"(accept, read to the\n    blank line, write a fixed reply of the "
          f"same size), not nginx")
if any(n.startswith("limit-") for n in res["workloads"]):
    print(f"  *** bench/floor in khttp's column, its reply as long as khttp's 1 KiB "
          f"answer:\n    the most khttp's model gets against nginx in the static "
          f"row of that name")
if "netns-3" in res["workloads"]:
    print(f"  ** khttp itself both times: the load split over three network "
          f"namespaces' khttp\n    against the same load on one namespace's "
          f"(issue 19's per-request cost)")
base = res["scale"].get("scale-baseline", {}).get("wrk") or \
    res["workloads"].get("static-1k-keepalive", {}).get("khttp", {})
if res["scale"]:
    print()
    print(f"{'scale: khttp, 1 KiB keep-alive':34} {'req/s':>11} "
          f"{'vs base':>11} {'':6}  {'p50/p99':>15}")
    for name, key, label in SCALE:
        s = res["scale"].get(name)
        if not s or "wrk" not in s:
            continue
        w = s["wrk"]
        rel = w["rps"] / base["rps"] if base.get("rps") else None
        print(f"{str(s.get(key, '?')) + ' ' + label:34} {w['rps']:11.0f} "
              f"{(f'{rel:.2f}' if rel else '-'):>11} {'':6}  "
              f"{lat(w.get('p50_us')) + '/' + lat(w.get('p99_us')):>15}")
        if errs(w):
            notes.append(f"{name}: {errs(w)} errors")
        if name == "scale-cached":
            f = s.get("fill", {})
            notes.append(f"cache fill: {f.get('requests', 0)} requests to "
                         f"distinct URLs in {s.get('fill_s')} s; cache stats: "
                         f"{s.get('cache_stats') or '(none reported)'}")
mem = res["memory"]
if mem:
    print()
    print(f"{'idle keep-alive connections':34} {'conns':>6} {'slab/conn':>10}"
          f" {'tcpmem/conn':>11} {'kmalloc/conn':>12} {'RSS/conn':>9}"
          f" {'total/conn':>10}")
    for srv in ("khttp", "nginx"):
        x = mem.get(srv)
        if not x:
            continue
        c = max(x["conns"], 1)
        pc = lambda kb: kb * 1024 / c
        # The TCP memory counter moves in per-CPU chunks and is often
        # lower after than before: count it only when it grew.
        tot = (x["slab_delta_kb"] + max(x["tcp_mem_delta_kb"], 0) +
               x["rss_delta_kb"])
        x["per_conn_bytes"] = {
            "slab": round(pc(x["slab_delta_kb"])),
            "tcp_mem": round(pc(x["tcp_mem_delta_kb"])),
            "kmalloc": round(pc(x["kmalloc_delta_kb"])),
            "rss": round(pc(x["rss_delta_kb"])), "total": round(pc(tot))}
        p = x["per_conn_bytes"]
        print(f"{srv:34} {x['conns']:6} {p['slab']:9}B {p['tcp_mem']:10}B "
              f"{p['kmalloc']:11}B {p['rss']:8}B {p['total']:9}B")
        top = ", ".join(f"{k_} {b // c}B" for k_, b in
                        list(x.get("top_caches_bytes", {}).items())[:5])
        notes.append(f"idle-memory/{srv}: slab caches that grew most, "
                     f"per conn: {top}")
        if x["conns"] < x["wanted"]:
            notes.append(f"idle-memory/{srv}: only {x['conns']} of "
                         f"{x['wanted']} connections held")
    k, n = mem.get("khttp"), mem.get("nginx")
    if k and n:
        own = (k["per_conn_bytes"]["kmalloc"] - n["per_conn_bytes"]["kmalloc"])
        res["memory"]["khttp_own_bytes_per_conn"] = own
        print(f"  slab counts the kernel objects of both ends (the client's "
              f"sockets too); nginx's\n  connection array (worker_connections,"
              f" ~0.4 KiB each) is allocated at start\n  and not in its RSS "
              f"delta.  khttp's own kernel memory per connection\n  (kmalloc "
              f"and khttp_* slab caches, delta beyond nginx's): {own} B")
for n_ in notes:
    print("note: " + n_)

if prevf:
    try:
        prev = json.load(open(prevf))
    except Exception:
        prev = None
    if prev:
        print()
        print(f"change since {prevf} (git {prev.get('git', '?')}):")
        for name, label in ROWS:
            pw, w = prev.get("workloads", {}).get(name, {}), \
                res["workloads"].get(name, {})
            parts = []
            for s in (first(name), rival(name)):
                a, b = pw.get(s, {}).get("rps"), w.get(s, {}).get("rps")
                if a and b:
                    parts.append(f"{s} {100 * (b - a) / a:+.1f}%")
            a, b = ratio(prev, name), ratio(res, name)
            if a and b:
                parts.append(f"ratio {a:.2f} -> {b:.2f}")
            if parts:
                print(f"  {label:34} " + ", ".join(parts))
        for name, key, label in SCALE:
            a = prev.get("scale", {}).get(name, {}).get("wrk", {}).get("rps")
            b = res["scale"].get(name, {}).get("wrk", {}).get("rps")
            if a and b:
                print(f"  {'scale ' + label:34} khttp {100 * (b - a) / a:+.1f}%")
        a = prev.get("memory", {}).get("khttp_own_bytes_per_conn")
        b = res["memory"].get("khttp_own_bytes_per_conn")
        if a is not None and b is not None:
            print(f"  {'khttp own bytes/idle conn':34} {a} -> {b}")

json.dump(res, open(outf, "w"), indent=1, sort_keys=True)
print()
print(f"results: {outf}")

if smoke:
    why = []
    if not ended:
        why.append("guest did not finish")
    for name, _ in ROWS:
        for s in (first(name), rival(name)):
            w = res["workloads"].get(name, {}).get(s)
            if not w or not w.get("requests"):
                why.append(f"{name}/{s}: no requests")
            elif w.get("failed_rounds") or w.get("err_status") or \
                    w.get("err_connect"):
                why.append(f"{name}/{s}: errors")
    for name, _, _ in SCALE:
        if not res["scale"].get(name, {}).get("wrk", {}).get("requests"):
            why.append(f"{name}: no requests")
    for s in ("khttp", "nginx"):
        x = mem.get(s)
        if not x or x["conns"] < x["wanted"]:
            why.append(f"idle-memory/{s}")
    print("PASS bench/smoke" if not why else
          "FAIL bench/smoke " + "; ".join(why))
    sys.exit(1 if why else 0)
if not ended:
    print("bench: the guest did not finish; results are partial",
          file=sys.stderr)
    sys.exit(1)
PY
