/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the request record's TLS version and cipher codes (uapi
 * KHTTP_TLS_*), as OpenSSL spells them.  Header-only so httpctl's access
 * log, which does not link libhttpq, prints the same names as
 * httpq_tls_version_name() and httpq_tls_cipher_name().
 */
#ifndef KHTTP_TLSNAMES_H
#define KHTTP_TLSNAMES_H

#include <linux/khttp.h>

static inline const char *khttp_tls_version_name(unsigned int v)
{
	return v == KHTTP_TLS_1_2 ? "TLSv1.2" : v == KHTTP_TLS_1_3 ? "TLSv1.3" :
	       NULL;
}

static inline const char *khttp_tls_cipher_name(unsigned int c)
{
	switch (c) {
	case KHTTP_TLS_CIPHER_AES_GCM_128: return "AES-128-GCM";
	case KHTTP_TLS_CIPHER_AES_GCM_256: return "AES-256-GCM";
	case KHTTP_TLS_CIPHER_AES_CCM_128: return "AES-128-CCM";
	case KHTTP_TLS_CIPHER_CHACHA20_POLY1305: return "CHACHA20-POLY1305";
	default: return NULL;
	}
}

#endif
