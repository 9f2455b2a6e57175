// SPDX-License-Identifier: GPL-2.0
/*
 * TLS certificate bindings, modelled on http.sys's sslcert bindings
 * (netsh http add sslcert ipport=... / hostnameport=...): which
 * certificate and key the handshake agent presents.  An address binding
 * (ADDR:PORT) is the default of the TLS listen entry with that address;
 * a host binding (HOSTNAME:PORT) is chosen by the client's SNI name on
 * that port.  They are kernel state, per namespace like the rest of the
 * configuration, so they outlive an agent restart and httpctl show sees
 * them.  khttp never reads the files: it keeps the paths (httpctl checked
 * them), and the agent loads them.  Every change bumps the namespace's
 * binding generation, which each /dev/khttp-tls record carries (tls.c):
 * an agent that sees a new one dumps the bindings again (tls-get), so a
 * replaced certificate is used from the next handshake on, and the
 * established connections (kTLS, keys already in the kernel) go on.
 */
#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>
#include "khttp.h"
#include "addr.h"
#include "net.h"
#include "nlobj.h"
#include "tlsbind.h"

struct khttp_tlsbind {
	struct list_head node;		/* on khttp_net.tlsbinds */
	bool is_addr;
	struct khttp_addr addr;		/* is_addr */
	char host[KHTTP_TLSBIND_HOST_MAX + 1];	/* !is_addr */
	u16 port;			/* !is_addr */
	char *cert;
	char *key;
};

/* Lower-case LDH labels, dots between them: what SNI carries (RFC 6066). */
static bool khttp_tlsbind_host_ok(const char *h)
{
	size_t n = strlen(h), label = 0, i;

	if (!n || n > KHTTP_TLSBIND_HOST_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char ch = h[i];

		if (ch == '.') {
			if (!label)
				return false;
			label = 0;
			continue;
		}
		if (!(islower(ch) || isdigit(ch) || ch == '-') || ++label > 63)
			return false;
	}
	return label;
}

static bool khttp_tlsbind_path_ok(const char *p)
{
	if (!p || p[0] != '/')
		return false;
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static int khttp_tlsbind_key_check(const struct khttp_tlsbind_spec *s,
				   struct netlink_ext_ack *extack)
{
	if (!!s->addr == !!s->host) {
		NL_SET_ERR_MSG(extack, "a binding takes an address or a host name and a port, not both");
		return -EINVAL;
	}
	if (s->addr)
		return khttp_addr_check(s->addr, extack);
	if (!khttp_tlsbind_host_ok(s->host)) {
		NL_SET_ERR_MSG(extack, "the host name must be lower-case letters, digits, hyphens and dots (at most 253)");
		return -EINVAL;
	}
	if (!s->port) {
		NL_SET_ERR_MSG(extack, "a host binding needs a port");
		return -EINVAL;
	}
	return 0;
}

static struct khttp_tlsbind *khttp_tlsbind_find(struct khttp_net *kn,
					const struct khttp_tlsbind_spec *s)
{
	struct khttp_tlsbind *b;

	lockdep_assert_held(&khttp_conf_lock);
	list_for_each_entry(b, &kn->tlsbinds, node) {
		if (s->addr ? b->is_addr && khttp_addr_equal(&b->addr, s->addr) :
		    !b->is_addr && b->port == s->port &&
		    !strcmp(b->host, s->host))
			return b;
	}
	return NULL;
}

static void khttp_tlsbind_free(struct khttp_tlsbind *b)
{
	kfree(b->cert);
	kfree(b->key);
	kfree(b);
}

static void khttp_tlsbind_changed(struct khttp_net *kn)
{
	/* 0 is never a generation: an agent starts knowing none. */
	u32 gen = kn->tls_gen + 1 ?: 1;

	WRITE_ONCE(kn->tls_gen, gen);
}

int khttp_tlsbind_add(struct khttp_net *kn, const struct khttp_tlsbind_spec *s,
		      struct netlink_ext_ack *extack)
{
	struct khttp_tlsbind *b, *old;
	int err;

	lockdep_assert_held(&khttp_conf_lock);
	err = khttp_tlsbind_key_check(s, extack);
	if (err)
		return err;
	if (!khttp_tlsbind_path_ok(s->cert) || !khttp_tlsbind_path_ok(s->key)) {
		NL_SET_ERR_MSG(extack, "the certificate and the key must be absolute paths without control characters");
		return -EINVAL;
	}
	old = khttp_tlsbind_find(kn, s);
	if (!old && kn->ntlsbinds >= KHTTP_TLSBIND_MAX) {
		NL_SET_ERR_MSG(extack, "too many certificate bindings (at most 1024)");
		return -ENOSPC;
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->cert = kstrdup(s->cert, GFP_KERNEL);
	b->key = kstrdup(s->key, GFP_KERNEL);
	if (!b->cert || !b->key) {
		khttp_tlsbind_free(b);
		return -ENOMEM;
	}
	if (s->addr) {
		b->is_addr = true;
		b->addr = *s->addr;
	} else {
		strscpy(b->host, s->host, sizeof(b->host));
		b->port = s->port;
	}
	if (old) {
		/* Replaced in place: the dump order stays the same. */
		list_replace(&old->node, &b->node);
		khttp_tlsbind_free(old);
	} else {
		list_add_tail(&b->node, &kn->tlsbinds);
		kn->ntlsbinds++;
	}
	khttp_tlsbind_changed(kn);
	return 0;
}

int khttp_tlsbind_del(struct khttp_net *kn, const struct khttp_tlsbind_spec *s,
		      struct netlink_ext_ack *extack)
{
	struct khttp_tlsbind *b;
	int err;

	lockdep_assert_held(&khttp_conf_lock);
	err = khttp_tlsbind_key_check(s, extack);
	if (err)
		return err;
	b = khttp_tlsbind_find(kn, s);
	if (!b) {
		NL_SET_ERR_MSG(extack, "no such certificate binding");
		return -ENOENT;
	}
	list_del(&b->node);
	kn->ntlsbinds--;
	khttp_tlsbind_free(b);
	khttp_tlsbind_changed(kn);
	return 0;
}

long khttp_tlsbind_walk(struct khttp_net *kn, long skip,
			int (*fn)(const struct khttp_tlsbind_info *bi, void *arg),
			void *arg)
{
	struct khttp_tlsbind_info bi;
	struct khttp_tlsbind *b;
	long idx = 0, done = 0;

	mutex_lock(&khttp_conf_lock);
	list_for_each_entry(b, &kn->tlsbinds, node) {
		if (idx++ < skip)
			continue;
		bi.addr = b->is_addr ? &b->addr : NULL;
		bi.host = b->is_addr ? NULL : b->host;
		bi.port = b->port;
		bi.cert = b->cert;
		bi.key = b->key;
		bi.gen = kn->tls_gen;
		if (fn(&bi, arg))
			break;
		done++;
	}
	mutex_unlock(&khttp_conf_lock);
	return done;
}

u32 khttp_tlsbind_gen(const struct khttp_net *kn)
{
	return READ_ONCE(kn->tls_gen);
}

void khttp_tlsbinds_exit(struct khttp_net *kn)
{
	struct khttp_tlsbind *b, *tmp;

	mutex_lock(&khttp_conf_lock);
	list_for_each_entry_safe(b, tmp, &kn->tlsbinds, node) {
		list_del(&b->node);
		khttp_tlsbind_free(b);
	}
	kn->ntlsbinds = 0;
	mutex_unlock(&khttp_conf_lock);
}
