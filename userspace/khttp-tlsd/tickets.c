// SPDX-License-Identifier: GPL-2.0
/*
 * khttp-tlsd: session tickets (resumption, TLS 1.2 and 1.3).  The agent
 * holds the ticket keys, a current and a previous one, in memory only, and
 * rotates them every --ticket-rotate seconds (default 12 h): a new ticket
 * is sealed with the current key; one sealed with the previous key is
 * still accepted and replaced by a fresh one; anything older is refused
 * and the client gets a full handshake.  So a key lives one to two
 * intervals, and a stolen key opens at most two intervals of sessions; a
 * ticket also ends with its session's lifetime (OpenSSL's default, 2 h,
 * the lifetime hint sent with it), whichever comes first.  Every context (each binding's, the fallback, the bare one)
 * uses these same keys, so a ticket issued on one SNI context resumes
 * after SSL_set_SSL_CTX to another.  Rotation is lazy (checked when a key
 * is needed): nothing runs on an idle agent, and the outcome is the same.
 *
 * Tickets go out after the handshake, as records under the application
 * keys: OpenSSL sends them through kTLS TX (SSL_OP_ENABLE_KTLS installs
 * it when those keys take effect), so the kernel's record sequence
 * counts them; ktls.c refuses a connection whose TX OpenSSL did not
 * install itself.
 */
#include <string.h>
#include <time.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include "tlsd.h"

struct tkey {
	unsigned char name[16], aes[32], hmac[32];
	bool set;
};

static struct tkey cur, prev;
static time_t rotated;
unsigned int tlsd_ticket_rotate = 12 * 3600;

static int tkey_new(struct tkey *k)
{
	if (RAND_bytes(k->name, sizeof(k->name)) != 1 ||
	    RAND_priv_bytes(k->aes, sizeof(k->aes)) != 1 ||
	    RAND_priv_bytes(k->hmac, sizeof(k->hmac)) != 1)
		return -1;
	k->set = true;
	return 0;
}

/* Rotate as many times as intervals passed (twice at most matters). */
static int tkeys_fresh(void)
{
	time_t now = time(NULL);

	if (cur.set && now - rotated < (time_t)tlsd_ticket_rotate)
		return 0;
	if (cur.set && now - rotated < 2 * (time_t)tlsd_ticket_rotate)
		prev = cur;
	else
		OPENSSL_cleanse(&prev, sizeof(prev));
	if (tkey_new(&cur))
		return -1;
	rotated = now;
	tlsd_debug("ticket keys rotated");
	return 0;
}

static int tkey_use(const struct tkey *k, unsigned char *iv,
		    EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx, int enc)
{
	OSSL_PARAM p[2];

	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						"SHA256", 0);
	p[1] = OSSL_PARAM_construct_end();
	if (EVP_CipherInit_ex(cctx, EVP_aes_256_cbc(), NULL, k->aes, iv,
			      enc) != 1 ||
	    EVP_MAC_CTX_set_params(hctx, p) != 1 ||
	    EVP_MAC_init(hctx, k->hmac, sizeof(k->hmac), NULL) != 1)
		return -1;
	return 0;
}

/* OpenSSL's ticket key callback: 1 use, 2 use and renew, 0 unknown. */
static int ticket_cb(SSL *ssl, unsigned char name[16], unsigned char *iv,
		     EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx, int enc)
{
	const struct tkey *k = NULL;

	(void)ssl;
	if (tkeys_fresh())
		return -1;
	if (enc) {
		if (RAND_bytes(iv, EVP_CIPHER_get_iv_length(EVP_aes_256_cbc())) != 1)
			return -1;
		memcpy(name, cur.name, sizeof(cur.name));
		return tkey_use(&cur, iv, cctx, hctx, 1) ? -1 : 1;
	}
	if (!memcmp(name, cur.name, sizeof(cur.name)))
		k = &cur;
	else if (prev.set && !memcmp(name, prev.name, sizeof(prev.name)))
		k = &prev;
	if (!k)
		return 0;	/* rotated out, or not ours: full handshake */
	if (tkey_use(k, iv, cctx, hctx, 0))
		return -1;
	return k == &cur ? 1 : 2;
}

/* 0: no tickets at all (SSL_OP_NO_TICKET too, for TLS 1.2). */
int tlsd_tickets_setup(SSL_CTX *ctx)
{
	static const unsigned char sid_ctx[] = "khttp";

	if (!tlsd_ticket_rotate) {
		SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
		return SSL_CTX_set_num_tickets(ctx, 0) ? 0 : -1;
	}

	/* Same for every context, so a session matches after SNI. */
	if (!SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1) ||
	    !SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_cb))
		return -1;
	return 0;
}
