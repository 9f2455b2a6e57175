// SPDX-License-Identifier: GPL-2.0
/*
 * khttp-tlsd: kTLS for both directions before the socket goes back.
 * OpenSSL (SSL_OP_ENABLE_KTLS) installs it itself where it can; OpenSSL
 * 3.0 does not for the receive side of TLS 1.3, so that side is installed
 * here from the client application traffic secret OpenSSL's key log
 * callback gave us (RFC 8446 7.3: key and iv by HKDF-Expand-Label), at
 * record sequence 0: the handshake has just ended and no application
 * record has been read (OpenSSL reads without read-ahead, one record at a
 * time, and SSL_has_pending() is checked).  The send side must be
 * OpenSSL's own: the session tickets after a TLS 1.3 handshake are
 * application-key records, and only the kTLS OpenSSL installed before
 * sending them counts them in its record sequence.  Anything else missing
 * is refused: khttp must never see a socket that is not kTLS both ways.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/tls.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/crypto.h>
#include "tlsd.h"

#ifndef SOL_TLS
#define SOL_TLS 282
#endif
#ifndef TCP_ULP
#define TCP_ULP 31
#endif

/* HKDF-Expand-Label(secret, label, "", len) of RFC 8446 7.1. */
static int hkdf_label(const EVP_MD *md, const unsigned char *secret,
		      size_t slen, const char *label, unsigned char *out,
		      size_t len)
{
	unsigned char info[2 + 1 + 6 + 16 + 1];
	size_t ll = strlen(label), n = 0;
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY, ret = -1;
	/* Fetched once: a fetch per handshake takes the provider store's locks. */
	static EVP_KDF *kdf;
	EVP_KDF_CTX *kctx;
	OSSL_PARAM p[5];

	if (!kdf)
		kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;

	info[n++] = len >> 8;
	info[n++] = len & 0xff;
	info[n++] = 6 + ll;
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, ll);
	n += ll;
	info[n++] = 0;
	p[0] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	p[1] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)EVP_MD_get0_name(md), 0);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)secret, slen);
	p[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, n);
	p[4] = OSSL_PARAM_construct_end();
	if (kctx && EVP_KDF_derive(kctx, out, len, p) == 1)
		ret = 0;
	EVP_KDF_CTX_free(kctx);
	return ret;
}

/* Install the receive side of a TLS 1.3 session, at sequence 0. */
static int install13(SSL *ssl, int fd, int dir, const unsigned char *secret,
		     size_t slen)
{
	const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
	const EVP_MD *md = c ? SSL_CIPHER_get_handshake_digest(c) : NULL;
	union {
		struct tls12_crypto_info_aes_gcm_128 g128;
		struct tls12_crypto_info_aes_gcm_256 g256;
		struct tls12_crypto_info_chacha20_poly1305 cc;
	} ci;
	unsigned char key[32], iv[12];
	size_t klen, size;
	int ret = -1;

	if (!md || !slen)
		return -1;
	memset(&ci, 0, sizeof(ci));
	switch (SSL_CIPHER_get_id(c) & 0xffff) {
	case 0x1301:	/* TLS_AES_128_GCM_SHA256 */
		klen = 16;
		break;
	case 0x1302:	/* TLS_AES_256_GCM_SHA384 */
	case 0x1303:	/* TLS_CHACHA20_POLY1305_SHA256 */
		klen = 32;
		break;
	default:
		return -1;
	}
	if (hkdf_label(md, secret, slen, "key", key, klen) ||
	    hkdf_label(md, secret, slen, "iv", iv, sizeof(iv)))
		goto out;
	switch (SSL_CIPHER_get_id(c) & 0xffff) {
	case 0x1301:
		ci.g128.info.version = TLS_1_3_VERSION;
		ci.g128.info.cipher_type = TLS_CIPHER_AES_GCM_128;
		memcpy(ci.g128.key, key, 16);
		memcpy(ci.g128.salt, iv, 4);
		memcpy(ci.g128.iv, iv + 4, 8);
		size = sizeof(ci.g128);
		break;
	case 0x1302:
		ci.g256.info.version = TLS_1_3_VERSION;
		ci.g256.info.cipher_type = TLS_CIPHER_AES_GCM_256;
		memcpy(ci.g256.key, key, 32);
		memcpy(ci.g256.salt, iv, 4);
		memcpy(ci.g256.iv, iv + 4, 8);
		size = sizeof(ci.g256);
		break;
	default:
		ci.cc.info.version = TLS_1_3_VERSION;
		ci.cc.info.cipher_type = TLS_CIPHER_CHACHA20_POLY1305;
		memcpy(ci.cc.key, key, 32);
		memcpy(ci.cc.iv, iv, 12);
		size = sizeof(ci.cc);
		break;
	}
	if (setsockopt(fd, SOL_TCP, TCP_ULP, "tls", sizeof("tls")) &&
	    errno != EEXIST)
		goto out;
	if (!setsockopt(fd, SOL_TLS, dir, &ci, size))
		ret = 0;
out:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(iv, sizeof(iv));
	OPENSSL_cleanse(&ci, sizeof(ci));
	return ret;
}

int tlsd_ktls_finish(SSL *ssl, int fd, const char **why)
{
	struct tlsd_secrets *s = tlsd_secrets(ssl);
	bool tls13 = SSL_version(ssl) == TLS1_3_VERSION;
	bool tx = BIO_get_ktls_send(SSL_get_wbio(ssl));
	bool rx = BIO_get_ktls_recv(SSL_get_rbio(ssl));

	/* Bytes OpenSSL read past the handshake would be lost to khttp. */
	if (SSL_has_pending(ssl)) {
		*why = "application data buffered in OpenSSL";
		return -1;
	}
	if (!rx && tls13 && s &&
	    !install13(ssl, fd, TLS_RX, s->client, s->client_len))
		rx = true;
	if (s)
		OPENSSL_cleanse(s, sizeof(*s));
	if (!tx || !rx) {
		*why = !tx ? "kTLS not installed for sending (is the tls module loaded?)" :
			     "kTLS not installed for receiving";
		return -1;
	}
	return 0;
}
