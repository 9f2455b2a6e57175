/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLS certificate bindings (tlsbind.c): per address:port and per SNI host
 * name and port, kept for the handshake agent.
 */
#ifndef KHTTP_TLSBIND_H
#define KHTTP_TLSBIND_H

#include <linux/types.h>

struct khttp_net;

#define KHTTP_TLSBIND_HOST_MAX	253
#define KHTTP_TLSBIND_MAX	1024	/* per namespace */

/* The generation /dev/khttp-tls records carry; it changes with each change. */
u32 khttp_tlsbind_gen(const struct khttp_net *kn);
/* The namespace goes: drop its bindings. */
void khttp_tlsbinds_exit(struct khttp_net *kn);

#endif /* KHTTP_TLSBIND_H */
