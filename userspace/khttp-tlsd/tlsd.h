/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khttp-tlsd: the TLS handshake agent of khttp (see khttp-tlsd.c).
 */
#ifndef KHTTP_TLSD_H
#define KHTTP_TLSD_H

#include <stdbool.h>
#include <stdint.h>
#include <openssl/ssl.h>

extern int tlsd_verbose;
void tlsd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tlsd_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ctx.c: the server context (versions, ciphers, ALPN, kTLS, keys). */
SSL_CTX *tlsd_ctx_new(const char *cert, const char *key);
/* The TLS 1.3 traffic secrets OpenSSL logs, kept per connection. */
struct tlsd_secrets {
	unsigned char client[64], server[64];
	size_t client_len, server_len;
};
struct tlsd_secrets *tlsd_secrets(SSL *ssl);
void tlsd_secrets_attach(SSL *ssl, struct tlsd_secrets *s);

/*
 * ktls.c: after the handshake, make sure kTLS carries both directions:
 * what OpenSSL installed itself (SSL_OP_ENABLE_KTLS), and for TLS 1.3 the
 * receive side OpenSSL 3.0 leaves out, from the logged traffic secret.
 * 0, or -1 with a reason in @why.
 */
int tlsd_ktls_finish(SSL *ssl, int fd, const char **why);

/* loop.c: the event loop over the device and the handshakes. */
int tlsd_run(SSL_CTX *ctx, int dev);

#endif /* KHTTP_TLSD_H */
