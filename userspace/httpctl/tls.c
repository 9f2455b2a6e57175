// SPDX-License-Identifier: GPL-2.0
/*
 * httpctl: tls: certificate bindings (http.sys's sslcert), per listen
 * address and port (ADDR:PORT, the entry's default certificate) or per SNI
 * host name and port (HOSTNAME:PORT).  The kernel keeps the paths; the
 * handshake agent loads the files.  tls add checks them here first, with
 * OpenSSL, so that a missing or unreadable file or a key that does not
 * match its certificate is refused and nothing changes.
 */
#include "httpctl.h"
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

/* "ADDR:PORT" (an address binding) or "HOSTNAME:PORT" (a host one). */
static int tls_name_parse(struct ctx *c, const char *s, struct r_tls *t)
{
	char why[256];
	const char *colon = strrchr(s, ':');
	uint64_t port;
	size_t n, i;

	memset(t, 0, sizeof(*t));
	if (!httpctl_addr_parse(s, &t->a, why, sizeof(why))) {
		t->is_addr = true;
		return 0;
	}
	/* Not an address: a host name, if it has no ':' but the port's. */
	if (!colon || colon == s || memchr(s, ':', colon - s) || *s == '[')
		return usage_err(c, "%s", why);
	if (httpctl_parse_uint(colon + 1, 1, 65535, &port))
		return usage_err(c, "%s: bad port in \"%s\" (expected "
				 "HOSTNAME:PORT or ADDR:PORT)", c->cmdname, s);
	n = colon - s;
	if (n > 1 && s[n - 1] == '.')
		n--;		/* an absolute name: the same host */
	if (n >= sizeof(t->host))
		return usage_err(c, "%s: host name too long (at most %zu bytes)",
				 c->cmdname, sizeof(t->host) - 1);
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (ch >= 'A' && ch <= 'Z')
			ch += 'a' - 'A';
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '.'))
			return usage_err(c, "%s: \"%.*s\" is neither an address "
					 "nor a host name", c->cmdname, (int)n, s);
		t->host[i] = ch;
	}
	t->host[n] = '\0';
	t->port = port;
	return 0;
}

static void tls_name_format(const struct r_tls *t, char *buf, size_t len)
{
	if (t->is_addr)
		httpctl_addr_format(&t->a, buf, len);
	else
		snprintf(buf, len, "%s:%u", t->host, t->port);
}

static const char *ssl_reason(void)
{
	const char *r = ERR_reason_error_string(ERR_peek_last_error());

	ERR_clear_error();
	return r ? r : "not PEM";
}

/*
 * The certificate and key files: readable, PEM, the key the certificate's.
 * Their absolute paths go into @cert and @key (the agent has its own
 * working directory).
 */
static int tls_files_check(struct ctx *c, const char *cf, const char *kf,
			   char *cert, char *key)
{
	X509 *x = NULL;
	EVP_PKEY *k = NULL;
	FILE *f;
	int ret = EXIT_FAIL;

	if (!realpath(cf, cert))
		return err(c, "%s: the certificate %s: %s", c->cmdname, cf,
			   strerror(errno));
	if (!realpath(kf, key))
		return err(c, "%s: the key %s: %s", c->cmdname, kf,
			   strerror(errno));
	f = fopen(cert, "r");
	if (!f)
		return err(c, "%s: cannot read the certificate %s: %s",
			   c->cmdname, cert, strerror(errno));
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!x)
		return err(c, "%s: %s is not a PEM certificate (%s)",
			   c->cmdname, cert, ssl_reason());
	f = fopen(key, "r");
	if (!f) {
		err(c, "%s: cannot read the key %s: %s", c->cmdname, key,
		    strerror(errno));
		goto out;
	}
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!k) {
		err(c, "%s: %s is not a PEM private key without a passphrase "
		    "(%s)", c->cmdname, key, ssl_reason());
		goto out;
	}
	if (X509_check_private_key(x, k) != 1) {
		ERR_clear_error();
		err(c, "%s: the key %s does not match the certificate %s",
		    c->cmdname, key, cert);
		goto out;
	}
	ret = EXIT_OK;
out:
	EVP_PKEY_free(k);
	X509_free(x);
	return ret;
}

static int tls_put_name(struct nl_msg *msg, const struct r_tls *t)
{
	if (t->is_addr)
		return nla_put(msg, KHTTP_A_TLS_BINDING_ADDR, sizeof(t->a),
			       &t->a);
	return nla_put_string(msg, KHTTP_A_TLS_BINDING_HOST, t->host) ?:
	       nla_put_u16(msg, KHTTP_A_TLS_BINDING_PORT, t->port);
}

int cmd_tls_add(struct ctx *c, int argc, char **argv)
{
	const char *cf = NULL, *kf = NULL;
	char cert[PATH_MAX], key[PATH_MAX];
	struct nl_msg *msg;
	struct r_tls t;
	int i, ret;

	if (argc < 1)
		return usage_err(c, "%s: missing ADDR:PORT or HOSTNAME:PORT",
				 c->cmdname);
	if ((ret = tls_name_parse(c, argv[0], &t)))
		return ret;
	for (i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			return usage_err(c, "%s: %s needs a value", c->cmdname,
					 argv[i]);
		if (!strcmp(argv[i], "cert"))
			cf = argv[i + 1];
		else if (!strcmp(argv[i], "key"))
			kf = argv[i + 1];
		else
			return usage_err(c, "%s: unexpected argument \"%s\"",
					 c->cmdname, argv[i]);
	}
	if (!cf || !kf)
		return usage_err(c, "%s: cert FILE and key FILE are required",
				 c->cmdname);
	if ((ret = tls_files_check(c, cf, kf, cert, key)))
		return ret;
	msg = req_new(c, KHTTP_CMD_TLS_ADD, false);
	if (msg && (tls_put_name(msg, &t) < 0 ||
		    nla_put_string(msg, KHTTP_A_TLS_BINDING_CERT, cert) < 0 ||
		    nla_put_string(msg, KHTTP_A_TLS_BINDING_KEY, key) < 0)) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	return req_run(c, msg, NULL, NULL);
}

int cmd_tls_del(struct ctx *c, int argc, char **argv)
{
	struct nl_msg *msg;
	struct r_tls t;
	int ret;

	if (argc < 1)
		return usage_err(c, "%s: missing ADDR:PORT or HOSTNAME:PORT",
				 c->cmdname);
	if (argc > 1)
		return usage_err(c, "%s: unexpected argument \"%s\"",
				 c->cmdname, argv[1]);
	if ((ret = tls_name_parse(c, argv[0], &t)))
		return ret;
	msg = req_new(c, KHTTP_CMD_TLS_DEL, false);
	if (msg && tls_put_name(msg, &t) < 0) {
		nlmsg_free(msg);
		return err(c, "out of memory");
	}
	return req_run(c, msg, NULL, NULL);
}

/* The binding in @tb; its strings are copies (tls_free()). */
static int tls_decode(struct nlattr **tb, struct r_tls *t)
{
	memset(t, 0, sizeof(*t));
	if (!tb[KHTTP_A_TLS_BINDING_CERT] || !tb[KHTTP_A_TLS_BINDING_KEY])
		return -1;
	if (tb[KHTTP_A_TLS_BINDING_ADDR]) {
		t->is_addr = true;
		memcpy(&t->a, nla_data(tb[KHTTP_A_TLS_BINDING_ADDR]),
		       sizeof(t->a));
	} else if (tb[KHTTP_A_TLS_BINDING_HOST] &&
		   tb[KHTTP_A_TLS_BINDING_PORT]) {
		snprintf(t->host, sizeof(t->host), "%s",
			 nla_get_string(tb[KHTTP_A_TLS_BINDING_HOST]));
		t->port = nla_get_u16(tb[KHTTP_A_TLS_BINDING_PORT]);
	} else {
		return -1;
	}
	t->cert = strdup(nla_get_string(tb[KHTTP_A_TLS_BINDING_CERT]));
	t->key = strdup(nla_get_string(tb[KHTTP_A_TLS_BINDING_KEY]));
	return t->cert && t->key ? 0 : -1;
}

void tls_free(struct r_tls *t)
{
	free(t->cert);
	free(t->key);
	t->cert = t->key = NULL;
}

/* One binding: "NAME cert FILE key FILE" (show: "tls add " before it). */
void tls_print(struct pr *p, const struct r_tls *t, bool show)
{
	char name[HTTPCTL_ADDRSTRLEN + 256];

	tls_name_format(t, name, sizeof(name));
	pr_open_object(p, NULL);
	print_string(p, PRINT_ANY, "binding", show ? "tls add %s" : "%s",
		     name);
	print_string(p, PRINT_JSON, "type", NULL, t->is_addr ? "ipport" :
		     "hostnameport");
	print_word(p, PRINT_ANY, "cert", " cert ", t->cert);
	print_word(p, PRINT_ANY, "key", " key ", t->key);
	print_fp(p, "\n");
	pr_close_object(p);
}

static int tls_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct r_tls t;
	int ret = 0;

	(void)c;
	if (tls_decode(tb, &t))
		ret = -1;
	else
		tls_print(arg, &t, false);
	tls_free(&t);
	return ret;
}

int cmd_tls_list(struct ctx *c, int argc, char **argv)
{
	return dump_list(c, argc, argv, KHTTP_CMD_TLS_GET, tls_reply);
}

int run_tls_reply(struct ctx *c, struct nlattr **tb, void *arg)
{
	struct running *r = arg;
	struct r_tls *t;

	(void)c;
	t = GROW(r->tls, r->ntls);
	if (!t) {
		r->oom = true;
		return -1;
	}
	return tls_decode(tb, t);
}

/* ---- batch undo ---------------------------------------------------- */

/* The snapshot's binding of the name in @argv[0], or NULL. */
static const struct r_tls *snap_tls(struct batch *b, const char *name)
{
	struct ctx q = *b->c;
	struct r_tls t;
	size_t i;

	q.quiet = true;
	if (tls_name_parse(&q, name, &t))
		return NULL;
	for (i = 0; i < b->snap.ntls; i++) {
		const struct r_tls *s = &b->snap.tls[i];

		if (s->is_addr == t.is_addr &&
		    (t.is_addr ? !memcmp(&s->a, &t.a, sizeof(t.a)) :
		     s->port == t.port && !strcmp(s->host, t.host)))
			return s;
	}
	return NULL;
}

/* What was there before comes back: the old files, or no binding. */
static int undo_tls(struct batch *b, char **argv, FILE *f)
{
	const struct r_tls *s = snap_tls(b, argv[0]);

	if (s) {
		fputs("tls add ", f);
		httpctl_batch_word(f, argv[0]);
		fputs(" cert ", f);
		httpctl_batch_word(f, s->cert);
		fputs(" key ", f);
		httpctl_batch_word(f, s->key);
		fputc('\n', f);
	} else {
		fputs("tls del ", f);
		httpctl_batch_word(f, argv[0]);
		fputc('\n', f);
	}
	return 0;
}

int undo_tls_add(struct batch *b, int argc, char **argv, FILE *f)
{
	if (argc < 1)
		return 0;
	return undo_tls(b, argv, f);
}

int undo_tls_del(struct batch *b, int argc, char **argv, FILE *f)
{
	if (argc < 1 || !snap_tls(b, argv[0]))
		return 0;	/* the command itself is refused */
	return undo_tls(b, argv, f);
}
