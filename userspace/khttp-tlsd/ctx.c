// SPDX-License-Identifier: GPL-2.0
/*
 * khttp-tlsd: the OpenSSL server context.  TLS 1.2 and 1.3 only, the AEAD
 * ciphers kTLS implements (AES-128/256-GCM, ChaCha20-Poly1305) with
 * forward secrecy, ALPN "http/1.1" (a client offering only others gets
 * no_application_protocol), no renegotiation, no compression, and
 * SSL_OP_ENABLE_KTLS so OpenSSL puts the keys into the kernel itself.
 * Session tickets (stateless, no server cache) with the agent's rotated
 * keys (tickets.c): TLS 1.3 sends two after the handshake through kTLS TX.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include "tlsd.h"

#define TLSD_CIPHERS_12 \
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
#define TLSD_CIPHERS_13 \
	"TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:" \
	"TLS_CHACHA20_POLY1305_SHA256"

static int secrets_idx = -1;

static void secrets_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad,
			 int idx, long argl, void *argp)
{
	(void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
	free(ptr);
}

struct tlsd_secrets *tlsd_secrets(SSL *ssl)
{
	return SSL_get_ex_data(ssl, secrets_idx);
}

void tlsd_secrets_attach(SSL *ssl, struct tlsd_secrets *s)
{
	SSL_set_ex_data(ssl, secrets_idx, s);
}

/* Once per secret of every handshake: no sscanf per byte. */
static int unhex(const char *h, unsigned char *out, size_t cap, size_t *len)
{
	size_t n = 0;
	int hi, lo;

	while (h[0] && h[1] && h[0] != ' ') {
		hi = OPENSSL_hexchar2int(h[0]);
		lo = OPENSSL_hexchar2int(h[1]);
		if (n == cap || hi < 0 || lo < 0)
			return -1;
		out[n++] = hi << 4 | lo;
		h += 2;
	}
	*len = n;
	return 0;
}

/* "LABEL <client_random> <secret>": keep the application secrets. */
static void keylog(const SSL *ssl, const char *line)
{
	struct tlsd_secrets *s = SSL_get_ex_data(ssl, secrets_idx);
	const char *sec = strrchr(line, ' ');

	if (!s || !sec)
		return;
	sec++;
	if (!strncmp(line, "CLIENT_TRAFFIC_SECRET_0 ", 24))
		unhex(sec, s->client, sizeof(s->client), &s->client_len);
	else if (!strncmp(line, "SERVER_TRAFFIC_SECRET_0 ", 24))
		unhex(sec, s->server, sizeof(s->server), &s->server_len);
}

static int alpn_select(SSL *ssl, const unsigned char **out,
		       unsigned char *outlen, const unsigned char *in,
		       unsigned int inlen, void *arg)
{
	static const unsigned char want[] = "\x08http/1.1";

	(void)ssl; (void)arg;
	if (SSL_select_next_proto((unsigned char **)out, outlen, want,
				  sizeof(want) - 1, in, inlen) !=
	    OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_ALERT_FATAL;
	return SSL_TLSEXT_ERR_OK;
}

static void ssl_errors(const char *what, const char *file)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	ERR_error_string_n(e, buf, sizeof(buf));
	tlsd_log("%s %s: %s", what, file, e ? buf : "failed");
}

SSL_CTX *tlsd_ctx_new(const char *cert, const char *key)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (secrets_idx < 0)
		secrets_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL,
						   secrets_free);
	if (!ctx || secrets_idx < 0) {
		tlsd_log("cannot create the TLS context");
		return NULL;
	}
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_cipher_list(ctx, TLSD_CIPHERS_12) ||
	    !SSL_CTX_set_ciphersuites(ctx, TLSD_CIPHERS_13) ||
	    tlsd_tickets_setup(ctx)) {
		tlsd_log("cannot set the TLS versions and ciphers");
		goto err;
	}
	SSL_CTX_set_options(ctx, SSL_OP_ENABLE_KTLS | SSL_OP_NO_RENEGOTIATION |
			    SSL_OP_NO_COMPRESSION |
			    SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_alpn_select_cb(ctx, alpn_select, NULL);
	SSL_CTX_set_keylog_callback(ctx, keylog);
	/* SNI picks the host name's binding (bind.c). */
	SSL_CTX_set_tlsext_servername_callback(ctx, tlsd_sni);
	if (!cert)
		return ctx;	/* the base of a connection without a default */
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		ssl_errors("cannot load the certificate", cert);
		goto err;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		ssl_errors("cannot load the key", key);
		goto err;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		tlsd_log("the key %s does not match the certificate %s",
			 key, cert);
		goto err;
	}
	return ctx;
err:
	SSL_CTX_free(ctx);
	return NULL;
}
