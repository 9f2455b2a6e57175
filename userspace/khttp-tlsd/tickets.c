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
 * The keys live in one shared anonymous mapping made before --workers
 * forks, under a process-shared mutex, so a ticket sealed by one worker
 * resumes on any other and all of them rotate together.
 *
 * Tickets go out after the handshake, as records under the application
 * keys: OpenSSL sends them through kTLS TX (SSL_OP_ENABLE_KTLS installs
 * it when those keys take effect), so the kernel's record sequence
 * counts them; ktls.c refuses a connection whose TX OpenSSL did not
 * install itself.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include "tlsd.h"

struct tkey {
	unsigned char name[16], aes[32], hmac[32];
	bool set;
};

/* Shared by every worker process (tlsd_tickets_init, before the fork). */
static struct tkeys {
	pthread_mutex_t lock;
	struct tkey cur, prev;
	time_t rotated;
} *tk;
unsigned int tlsd_ticket_rotate = 12 * 3600;

int tlsd_tickets_init(void)
{
	pthread_mutexattr_t a;
	int ret;

	if (!tlsd_ticket_rotate)
		return 0;
	tk = mmap(NULL, sizeof(*tk), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tk == MAP_FAILED) {
		tk = NULL;
		tlsd_log("ticket keys: mmap failed");
		return -1;
	}
	mlock(tk, sizeof(*tk));		/* best effort: keep keys off swap */
	if (pthread_mutexattr_init(&a))
		return -1;
	ret = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) ||
	      pthread_mutex_init(&tk->lock, &a);
	pthread_mutexattr_destroy(&a);
	return ret ? -1 : 0;
}

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

	if (tk->cur.set && now - tk->rotated < (time_t)tlsd_ticket_rotate)
		return 0;
	if (tk->cur.set && now - tk->rotated < 2 * (time_t)tlsd_ticket_rotate)
		tk->prev = tk->cur;
	else
		OPENSSL_cleanse(&tk->prev, sizeof(tk->prev));
	if (tkey_new(&tk->cur))
		return -1;
	tk->rotated = now;
	tlsd_debug("ticket keys rotated");
	return 0;
}

/* The key to seal with (enc) or the one that sealed name, copied out. */
static int tkey_pick(unsigned char name[16], int enc, struct tkey *k,
		     bool *current)
{
	int ret = 0;

	pthread_mutex_lock(&tk->lock);
	if (tkeys_fresh()) {
		ret = -1;
	} else if (enc || !memcmp(name, tk->cur.name, sizeof(tk->cur.name))) {
		*k = tk->cur;
		*current = true;
		ret = 1;
	} else if (tk->prev.set &&
		   !memcmp(name, tk->prev.name, sizeof(tk->prev.name))) {
		*k = tk->prev;
		*current = false;
		ret = 1;
	}
	pthread_mutex_unlock(&tk->lock);
	return ret;
}

/*
 * Fetched once: EVP_aes_256_cbc() would make OpenSSL 3 look the
 * implementation up in the provider store on every ticket (two per
 * TLS 1.3 handshake).
 */
static const EVP_CIPHER *tkey_cipher(void)
{
	static EVP_CIPHER *c;

	if (!c)
		c = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL);
	return c;
}

static int tkey_use(const struct tkey *k, unsigned char *iv,
		    EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx, int enc)
{
	const EVP_CIPHER *c = tkey_cipher();
	OSSL_PARAM p[2];

	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						"SHA256", 0);
	p[1] = OSSL_PARAM_construct_end();
	if (!c || EVP_CipherInit_ex(cctx, c, NULL, k->aes, iv, enc) != 1 ||
	    EVP_MAC_CTX_set_params(hctx, p) != 1 ||
	    EVP_MAC_init(hctx, k->hmac, sizeof(k->hmac), NULL) != 1)
		return -1;
	return 0;
}

/* OpenSSL's ticket key callback: 1 use, 2 use and renew, 0 unknown. */
static int ticket_cb(SSL *ssl, unsigned char name[16], unsigned char *iv,
		     EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx, int enc)
{
	const EVP_CIPHER *c = tkey_cipher();
	struct tkey k;
	bool current = false;
	int ret;

	(void)ssl;
	ret = tkey_pick(name, enc, &k, &current);
	if (ret <= 0)
		return ret;	/* 0: rotated out, or not ours: full handshake */
	if (enc) {
		ret = -1;
		if (c && RAND_bytes(iv, EVP_CIPHER_get_iv_length(c)) == 1 &&
		    !tkey_use(&k, iv, cctx, hctx, 1)) {
			memcpy(name, k.name, sizeof(k.name));
			ret = 1;
		}
	} else {
		ret = tkey_use(&k, iv, cctx, hctx, 0) ? -1 : current ? 1 : 2;
	}
	OPENSSL_cleanse(&k, sizeof(k));
	return ret;
}

/* 0: no tickets at all (SSL_OP_NO_TICKET too, for TLS 1.2). */
int tlsd_tickets_setup(SSL_CTX *ctx)
{
	static const unsigned char sid_ctx[] = "khttp";

	if (!tlsd_ticket_rotate) {
		SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
		return SSL_CTX_set_num_tickets(ctx, 0) ? 0 : -1;
	}

	if (!tk)
		return -1;	/* tlsd_tickets_init() failed or was not run */
	/* Same for every context, so a session matches after SNI. */
	if (!SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1) ||
	    !SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_cb))
		return -1;
	return 0;
}
