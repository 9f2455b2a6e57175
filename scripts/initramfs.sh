#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest's initramfs: static busybox, the real tools the tests use
# (copied with their shared libraries), the module, KUnit modules and the
# e2e tests.
#
# usage: initramfs.sh OUT.cpio.gz BUILD_DIR KIND MODE [FILTER]
#   BUILD_DIR  tree holding kmod/khttp.ko (and kunit/*.ko, userspace/)
#   KIND       the kernel being booted, which labels the results:
#              stock-VERSION (Debian's, e.g. stock-6.1) or debug-VERSION
#              (the test kernel: its KUnit suites are copied too)
#   MODE       check (run the tests, then power off), run, or bench
#   FILTER     only tests whose name contains this
# Environment: KHTTP_TESTS, the e2e tests to copy (names, space separated;
# unset: all); KHTTP_KVER, the stock kernel's version (run mode: its
# e1000 module); KHTTP_BENCH, options for run-bench.sh in bench mode.
set -euo pipefail
out=$1 build=$2 kind=$3 mode=$4 filter=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
chmod 755 "$root"	# the guest's /: non-root workers must reach /bin
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,root,var/www,lib/khttp/kunit,khttp}
cp /bin/busybox "$root/bin/busybox"
for app in $(/bin/busybox --list); do
	[ -e "$root/bin/$app" ] || ln -s busybox "$root/bin/$app"
done

# copy_bin PATH...: a program and every shared library it needs.
copy_bin() {
	local f lib
	for f in "$@"; do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
		for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*' || true); do
			if [ ! -e "$root$lib" ]; then
				mkdir -p "$root$(dirname "$lib")"
				cp -L "$lib" "$root$lib"
			fi
		done
	done
}
copy_bin "$(command -v curl)"
# iproute2's ip (busybox's has no netns): 84-netns makes namespaces and
# veth pairs with it; /run holds /run/netns.
copy_bin /usr/sbin/ip
mkdir -p "$root/run"
# brotli (22-precompressed makes and checks .br files; busybox has gzip).
p=$(command -v brotli || true)
if [ -n "$p" ]; then copy_bin "$p"; fi
for extra in wrk nginx; do
	p=$(command -v $extra || true)
	if [ -n "$p" ] && [ "$mode" = bench ]; then copy_bin "$p"; fi
done
# A profiled bench (BENCH_PERF in KHTTP_BENCH) needs perf (linux-perf);
# it is 25 MB with its libraries, so only then.
case "${KHTTP_BENCH:-}" in
*BENCH_PERF=?*)
	p=$(command -v perf || true)
	[ -n "$p" ] && [ "$mode" = bench ] && copy_bin "$p" ;;
esac
# Programs the project built (httpctl, workers, test helpers): the same
# userspace serves both kernels.
us=$here/../userspace
mkdir -p "$root/usr/sbin"
for f in "$us"/bin/* "$us"/testbin/*; do
	[ -x "$f" ] || continue
	cp "$f" "$root/usr/sbin/"
	copy_bin "$(readlink -f "$f")"
	rm -f "$root$(readlink -f "$f")"
done

# The kernel's YNL CLI and Debian's python3 for it (73-ynl-cli), only
# when that test is in the run: they add 10 MB.
if [ -z "${KHTTP_TESTS+set}" ] || [[ " $KHTTP_TESTS " == *" 73-ynl-cli "* ]]; then
	ksrc=$("$here/kernel-source.sh")
	mkdir -p "$root/usr/share/khttp/ynl/lib"
	for f in $("$here/ynl-files.sh" "$ksrc"); do
		case "$f" in
		"$ksrc"/tools/net/ynl/*)
			cp "$f" "$root/usr/share/khttp/ynl/${f#"$ksrc"/tools/net/ynl/}" ;;
		*) copy_bin "$f" ;;
		esac
	done
	ln -sf "$(basename "$(readlink -f /usr/bin/python3)")" "$root/usr/bin/python3"
	cp "$here/../Documentation/netlink/specs/khttp.yaml" "$root/usr/share/khttp/"
fi
# Debian's promtool (prometheus) parses the metrics route's answer in
# 91-metrics; it is 48 MB, so only when that test is in the run.
if [ "$mode" = check ] && { [ -z "${KHTTP_TESTS+set}" ] ||
	[[ " $KHTTP_TESTS " == *" 91-metrics "* ]]; }; then
	p=$(command -v promtool || true)
	[ -n "$p" ] && copy_bin "$p"
fi
# The stock kernel's version, for the modules a test needs that the test
# kernel has built in.
case "$kind" in
stock-6.1) kv=$("$here/kernels.sh" stock61) ;;
stock-6.12) kv=$("$here/kernels.sh" stock612) ;;
stock-*) kv=${kind#stock-} ;;	# make bench: the full version
*) kv= ;;
esac
# copy_mods DIR NAME...: stock kernel modules NAME (decompressed) and what
# they depend on into $root/DIR, each once, with DIR/order: the order to
# insmod them in (lib.sh's load_mods).  Nothing on the test kernel.
copy_mods() {
	local dir=$root/$1 m
	shift
	[ -n "$kv" ] || return 0
	mkdir -p "$dir"
	for m in "$@"; do copy_mod "$dir" "$m"; done
}
copy_mod() {
	local f d
	f=$(modinfo -k "$kv" -n "$2" 2>/dev/null) || return 0
	[ "$f" = "(builtin)" ] && return 0
	[ -e "$1/$2.ko" ] && return 0
	for d in $(modinfo -k "$kv" -F depends "$2" | tr ',' ' '); do
		copy_mod "$1" "$d"
	done
	# A soft dependency (libcrc32c needs a crc32c) names an algorithm:
	# its generic C module, which any CPU TCG emulates can run.
	for d in $(modinfo -k "$kv" -F softdep "$2" | sed -n 's/^pre: *//p'); do
		d=$(modinfo -k "$kv" -F name "$d" | grep _generic | head -n 1)
		[ -n "$d" ] && copy_mod "$1" "$d"
	done
	case "$f" in
	*.xz) xz -dc "$f" > "$1/$2.ko" ;;
	*.zst) zstd -qdc "$f" > "$1/$2.ko" ;;
	*) cp "$f" "$1/$2.ko" ;;
	esac
	echo "$2" >> "$1/order"
}
# A fleet behind IPVS (87-fleet): Debian's keepalived and ipvsadm, the
# shipped sample configuration, and IPVS with round robin.
if [ "$mode" = check ] && { [ -z "${KHTTP_TESTS+set}" ] ||
	[[ " $KHTTP_TESTS " == *" 87-fleet "* ]]; }; then
	copy_bin /usr/sbin/keepalived /usr/sbin/ipvsadm
	copy_mods lib/khttp/mod-ipvs ip_vs ip_vs_rr
fi
# HTTPS (44-tls, 45-tls-bindings, 46-tls-session, 47-tls-hostile, the
# bench's tls-* rows): openssl makes the certificates and is the client
# of the hostile and SNI cases; a stock kernel has kTLS and the AEADs it
# uses as modules (the test kernel has them built in).
if [ -z "${KHTTP_TESTS+set}" ] || [[ " $KHTTP_TESTS " == *" 44-tls "* ]] ||
	[[ " $KHTTP_TESTS " == *" 45-tls-bindings "* ]] ||
	[[ " $KHTTP_TESTS " == *" 46-tls-session "* ]] ||
	[[ " $KHTTP_TESTS " == *" 47-tls-hostile "* ]] ||
	[ "$mode" = bench ]; then
	copy_bin "$(command -v openssl)"
	mkdir -p "$root/usr/lib/ssl"
	cp -L /usr/lib/ssl/openssl.cnf "$root/usr/lib/ssl/"
	copy_mods lib/khttp/tls tls gcm ghash_generic ctr chacha20poly1305 \
		chacha_generic poly1305_generic
fi
cp "$build/kmod/khttp.ko" "$root/lib/khttp/"
# make bench's floor responder (bench/floor), built by bench.sh.
if [ "$mode" = bench ] && [ -e "$build/floor/khttp_floor.ko" ]; then
	cp "$build/floor/khttp_floor.ko" "$root/lib/khttp/"
fi
case "$kind" in
debug-*) cp "$build"/kunit/*.ko "$root/lib/khttp/kunit/" ;;
esac
# veth is a module in Debian's kernels (built in on the test kernel):
# 84-netns and 87-fleet load it to link their namespaces.
copy_mods lib/khttp/mod-veth veth
if [ "$mode" = run ]; then
	# The stock kernel has e1000 as a module; make run needs it.
	cp "/lib/modules/${KHTTP_KVER:?run mode needs KHTTP_KVER}/kernel/drivers/net/ethernet/intel/e1000/e1000.ko" \
		"$root/lib/khttp/"
fi
if [ -n "${KHTTP_TESTS+set}" ]; then
	cp "$here/e2e/lib.sh" "$root/khttp/"
	for t in $KHTTP_TESTS; do cp "$here/e2e/$t.sh" "$root/khttp/"; done
else
	cp "$here"/e2e/*.sh "$root/khttp/"
fi
cp "$here"/guest/* "$here/keepalived.conf" "$root/khttp/"
mv "$root/khttp/init" "$root/init"
chmod +x "$root/init" "$root"/khttp/*.sh
cp -r "$here/../userspace/demo/." "$root/var/www/" 2>/dev/null || true

cat > "$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/tmp:/bin/sh
worker:x:1000:1000:worker:/tmp:/bin/sh
PASSWD
cat > "$root/etc/group" <<GROUP
root:x:0:
nogroup:x:65534:
worker:x:1000:
GROUP
echo "hosts: files" > "$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"
cat > "$root/khttp/env" <<ENV
KHTTP_KIND=$kind
KHTTP_MODE=$mode
KHTTP_FILTER='$filter'
KHTTP_BENCH='${KHTTP_BENCH:-}'
ENV
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
