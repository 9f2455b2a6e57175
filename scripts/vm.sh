#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel with an initramfs under QEMU (TCG: KVM guests hang on these
# machines) and copy the serial console to a log file.
#
# usage: vm.sh KERNEL INITRD LOG MODE [TIMEOUT_S]
#   MODE check|bench: no network card, console to LOG, killed at TIMEOUT_S
#   MODE run:         e1000 with host 127.0.0.1:8080 -> guest :80, console on
#                     this terminal (and LOG), until Ctrl-C
# KHTTP_VM_MEM: guest memory in MiB (default 2048).
set -uo pipefail
kernel=$1 initrd=$2 log=$3 mode=$4 limit=${5:-1800}
# no_timer_check: under TCG on a busy host the boot-time IO-APIC timer
# check can miss its ticks and panic ("IO-APIC + timer doesn't work").
cmdline="console=ttyS0 printk.time=0 panic=-1 quiet kunit.enable=1 no_timer_check"
# Under TCG the guest's clocksource is the emulated HPET, and every clock
# read (TCP timestamps each segment; nginx and wrk read the time per event)
# is an emulated MMIO access: 10% of all samples in a bench profile, a
# cost no real machine has.  Bench guests read the TSC, as hardware and
# KVM guests do.
[ "$mode" = bench ] && cmdline+=" clocksource=tsc tsc=reliable"
common=(-accel tcg -cpu max -smp 2 -m "${KHTTP_VM_MEM:-2048}"
	-kernel "$kernel" -initrd "$initrd" -no-reboot -display none -monitor none)
if [ "$mode" = run ]; then
	exec qemu-system-x86_64 "${common[@]}" \
		-nic user,model=e1000,hostfwd=tcp:127.0.0.1:8080-:80 \
		-serial stdio -append "$cmdline"
fi
timeout --foreground -k 10 "$limit" qemu-system-x86_64 "${common[@]}" -nic none \
	-serial file:"$log" -append "$cmdline" </dev/null
rc=$?
if [ $rc = 124 ] || [ $rc = 137 ]; then
	echo "vm.sh: guest did not finish within ${limit}s; killed" >> "$log"
fi
exit $rc
