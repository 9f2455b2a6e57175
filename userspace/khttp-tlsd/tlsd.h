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

/*
 * ctx.c: the server context (versions, ciphers, ALPN, kTLS, keys); with
 * @cert NULL, one without a certificate (SNI may still find one).
 */
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

/*
 * bind.c: the certificate bindings, read from the kernel (tls-get) at
 * start and again whenever a record's bindings_gen differs from the one
 * loaded.  @fallback (the command line's --cert/--key, or NULL) serves a
 * listen entry with no address binding.
 */
struct khttp_addr;
int tlsd_bind_init(SSL_CTX *fallback);
void tlsd_bind_sync(uint32_t gen);
/* The context a new connection to @local starts with (its default). */
SSL_CTX *tlsd_bind_ctx(const struct khttp_addr *local);
/* SSL_new()ed from tlsd_bind_ctx(): let SNI look on @local's port. */
void tlsd_bind_attach(SSL *ssl, const struct khttp_addr *local);
int tlsd_sni(SSL *ssl, int *alert, void *arg);
void tlsd_bind_exit(void);

/*
 * tickets.c: session tickets sealed with the agent's keys, rotated every
 * tlsd_ticket_rotate seconds (current + previous), the same for all
 * contexts.
 */
extern unsigned int tlsd_ticket_rotate;
int tlsd_tickets_init(void);
int tlsd_tickets_setup(SSL_CTX *ctx);

/* loop.c: the event loop over the device and the handshakes. */
int tlsd_run(int dev);

#endif /* KHTTP_TLSD_H */
