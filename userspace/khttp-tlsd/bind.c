// SPDX-License-Identifier: GPL-2.0
/*
 * khttp-tlsd: the certificate bindings (httpctl tls add), modelled on
 * http.sys's: an ADDR:PORT binding is the default certificate of the TLS
 * listen entry with that address (0.0.0.0 or :: on a port covers every
 * address on it), a HOSTNAME:PORT binding is chosen by the client's SNI
 * name in OpenSSL's servername callback (SSL_set_SSL_CTX), falling back
 * to the default.  The bindings are the kernel's (so they outlive this
 * agent); this file dumps them over the khttp generic netlink family
 * (KHTTP_CMD_TLS_GET, no privilege needed) and loads each one's files
 * into its own SSL_CTX.  Each /dev/khttp-tls record carries the bindings'
 * generation; a new one makes the next connection reload them first, so
 * a replaced certificate is presented from the next handshake on, while
 * handshakes in flight keep the context they hold a reference to.  A file
 * that cannot be read any more (the agent dropped to --user) keeps the
 * context loaded before for the same paths.
 */
#include <string.h>
#include <strings.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <linux/khttp.h>
#include "tlsd.h"

struct bind {
	bool is_addr;
	struct khttp_addr a;
	char host[254];
	uint16_t port;
	char *cert, *key;
	SSL_CTX *ctx;
};

struct binds {
	struct bind *v;
	size_t n;
	uint32_t gen;		/* from the dump's messages, 0 if none */
	bool oom;
};

static struct nl_sock *sk;
static int family;
static struct binds cur;
static uint32_t cur_gen;
static SSL_CTX *fallback_ctx, *bare_ctx;

static void binds_free(struct binds *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->v[i].cert);
		free(b->v[i].key);
		SSL_CTX_free(b->v[i].ctx);
	}
	free(b->v);
	memset(b, 0, sizeof(*b));
}

static int on_bind(struct nl_msg *msg, void *arg)
{
	static const struct nla_policy pol[KHTTP_A_TLS_BINDING_MAX + 1] = {
		[KHTTP_A_TLS_BINDING_ADDR] = { .minlen = sizeof(struct khttp_addr) },
		[KHTTP_A_TLS_BINDING_HOST] = { .type = NLA_STRING },
		[KHTTP_A_TLS_BINDING_PORT] = { .type = NLA_U16 },
		[KHTTP_A_TLS_BINDING_CERT] = { .type = NLA_STRING },
		[KHTTP_A_TLS_BINDING_KEY] = { .type = NLA_STRING },
		[KHTTP_A_TLS_BINDING_GENERATION] = { .type = NLA_U32 },
	};
	struct nlattr *tb[KHTTP_A_TLS_BINDING_MAX + 1];
	struct binds *bs = arg;
	struct bind *b, *v;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KHTTP_A_TLS_BINDING_MAX,
			  (struct nla_policy *)pol) < 0 ||
	    !tb[KHTTP_A_TLS_BINDING_CERT] || !tb[KHTTP_A_TLS_BINDING_KEY])
		return NL_SKIP;
	v = realloc(bs->v, (bs->n + 1) * sizeof(*v));
	if (!v) {
		bs->oom = true;
		return NL_STOP;
	}
	bs->v = v;
	b = &v[bs->n];
	memset(b, 0, sizeof(*b));
	if (tb[KHTTP_A_TLS_BINDING_ADDR]) {
		b->is_addr = true;
		memcpy(&b->a, nla_data(tb[KHTTP_A_TLS_BINDING_ADDR]),
		       sizeof(b->a));
	} else if (tb[KHTTP_A_TLS_BINDING_HOST] && tb[KHTTP_A_TLS_BINDING_PORT]) {
		snprintf(b->host, sizeof(b->host), "%s",
			 nla_get_string(tb[KHTTP_A_TLS_BINDING_HOST]));
		b->port = nla_get_u16(tb[KHTTP_A_TLS_BINDING_PORT]);
	} else {
		return NL_SKIP;
	}
	b->cert = strdup(nla_get_string(tb[KHTTP_A_TLS_BINDING_CERT]));
	b->key = strdup(nla_get_string(tb[KHTTP_A_TLS_BINDING_KEY]));
	if (tb[KHTTP_A_TLS_BINDING_GENERATION])
		bs->gen = nla_get_u32(tb[KHTTP_A_TLS_BINDING_GENERATION]);
	bs->n++;
	if (!b->cert || !b->key) {
		bs->oom = true;
		return NL_STOP;
	}
	return NL_OK;
}

static int dump(struct binds *bs)
{
	struct nl_msg *msg = nlmsg_alloc();
	int ret = -1;

	memset(bs, 0, sizeof(*bs));
	if (!msg)
		return -1;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_bind, bs);
	if (genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
			KHTTP_CMD_TLS_GET, KHTTP_GENL_VERSION) &&
	    nl_send_auto(sk, msg) >= 0 && nl_recvmsgs_default(sk) >= 0 &&
	    !bs->oom)
		ret = 0;
	nlmsg_free(msg);
	if (ret)
		binds_free(bs);
	return ret;
}

/* The context loaded before for the same files, if any (a reference). */
static SSL_CTX *old_ctx(const struct bind *b)
{
	size_t i;

	for (i = 0; i < cur.n; i++)
		if (cur.v[i].ctx && !strcmp(cur.v[i].cert, b->cert) &&
		    !strcmp(cur.v[i].key, b->key)) {
			SSL_CTX_up_ref(cur.v[i].ctx);
			return cur.v[i].ctx;
		}
	return NULL;
}

/* Read the bindings again; on failure the loaded ones stay. */
static void reload(uint32_t gen)
{
	struct binds nb;
	size_t i, ok = 0;

	if (dump(&nb)) {
		tlsd_log("cannot read the certificate bindings from khttp");
		return;
	}
	for (i = 0; i < nb.n; i++) {
		struct bind *b = &nb.v[i];

		b->ctx = tlsd_ctx_new(b->cert, b->key);
		if (!b->ctx) {
			b->ctx = old_ctx(b);
			tlsd_log("binding of %s: %s", b->cert, b->ctx ?
				 "keeping the one loaded before" :
				 "not loaded, left out");
		}
		ok += !!b->ctx;
	}
	binds_free(&cur);
	cur = nb;
	cur_gen = nb.gen > gen ? nb.gen : gen;
	tlsd_log("certificate bindings: %zu of %zu loaded (generation %u)",
		 ok, nb.n, cur_gen);
}

int tlsd_bind_init(SSL_CTX *fallback)
{
	fallback_ctx = fallback;
	bare_ctx = tlsd_ctx_new(NULL, NULL);
	sk = nl_socket_alloc();
	if (!bare_ctx || !sk || genl_connect(sk)) {
		tlsd_log("cannot open a generic netlink socket");
		return -1;
	}
	family = genl_ctrl_resolve(sk, KHTTP_GENL_NAME);
	if (family < 0) {
		tlsd_log("no %s netlink family (is khttp loaded?)",
			 KHTTP_GENL_NAME);
		return -1;
	}
	reload(0);
	return 0;
}

void tlsd_bind_sync(uint32_t gen)
{
	if (gen != cur_gen)
		reload(gen);
}

static bool addr_covers(const struct khttp_addr *b, const struct khttp_addr *l,
			bool any)
{
	static const uint8_t zero[16];
	size_t len = b->family == AF_INET6 ? 16 : 4;

	if (b->family != l->family || b->port != l->port)
		return false;
	if (any)
		return !memcmp(b->addr, zero, len);
	return !memcmp(b->addr, l->addr, len) &&
	       (!b->scope_id || b->scope_id == l->scope_id);
}

SSL_CTX *tlsd_bind_ctx(const struct khttp_addr *local)
{
	size_t i;
	int any;

	for (any = 0; any < 2; any++)
		for (i = 0; i < cur.n; i++)
			if (cur.v[i].is_addr && cur.v[i].ctx &&
			    addr_covers(&cur.v[i].a, local, any))
				return cur.v[i].ctx;
	return fallback_ctx ? fallback_ctx : bare_ctx;
}

void tlsd_bind_attach(SSL *ssl, const struct khttp_addr *local)
{
	SSL_set_app_data(ssl, (void *)(uintptr_t)local->port);
}

int tlsd_sni(SSL *ssl, int *alert, void *arg)
{
	const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	uint16_t port = (uintptr_t)SSL_get_app_data(ssl);
	size_t i, n;

	(void)alert; (void)arg;
	if (!name)
		return SSL_TLSEXT_ERR_OK;
	n = strlen(name);
	if (n && name[n - 1] == '.')
		n--;
	for (i = 0; i < cur.n; i++) {
		const struct bind *b = &cur.v[i];

		if (!b->is_addr && b->ctx && b->port == port &&
		    strlen(b->host) == n && !strncasecmp(b->host, name, n)) {
			if (!SSL_set_SSL_CTX(ssl, b->ctx))
				return SSL_TLSEXT_ERR_ALERT_FATAL;
			tlsd_debug("SNI %s: %s", b->host, b->cert);
			break;
		}
	}
	return SSL_TLSEXT_ERR_OK;
}

void tlsd_bind_exit(void)
{
	binds_free(&cur);
	SSL_CTX_free(bare_ctx);
	nl_socket_free(sk);
}
