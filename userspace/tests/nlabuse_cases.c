// SPDX-License-Identifier: GPL-2.0
/*
 * nlabuse's cases, one function per kind of abuse, run as root: required
 * attributes missing, oversized strings and attributes, attributes of the
 * wrong type or out of range, requests that are well formed but make no
 * sense, attributes a command does not take, unknown commands, and dumps
 * that must end cleanly and agree with the status; and, run as a user
 * without CAP_NET_ADMIN, every change refused while reads are allowed.
 */
#include "nlabuse.h"

static const uint8_t lo4[4] = { 127, 0, 0, 1 };

/* ---- the root cases ------------------------------------------------------- */

void missing(void)
{
	struct msg m;

	DO(m, KHTTP_CMD_LISTEN_ADD);
	expect_refused("missing/listen-add-addr", &m, EINVAL, EXT_MISS, KHTTP_A_LISTEN_ADDR);
	DO(m, KHTTP_CMD_LISTEN_DEL);
	expect_refused("missing/listen-del-addr", &m, EINVAL, EXT_MISS, KHTTP_A_LISTEN_ADDR);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("missing/route-add-prefix", &m, EINVAL, EXT_MISS, KHTTP_A_ROUTE_PREFIX);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("missing/route-add-type", &m, EINVAL, EXT_MISS, KHTTP_A_ROUTE_TYPE);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	expect_refused("missing/route-add-static-dir", &m, EINVAL, EXT_MISS, KHTTP_A_ROUTE_DIR);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_POOL);
	expect_refused("missing/route-add-pool-name", &m, EINVAL, EXT_MISS, KHTTP_A_ROUTE_POOL);
	DO(m, KHTTP_CMD_ROUTE_DEL);
	expect_refused("missing/route-del-prefix", &m, EINVAL, EXT_MISS, KHTTP_A_ROUTE_PREFIX);
	DO(m, KHTTP_CMD_POOL_ADD);
	mnl_attr_put_u32(m.nlh, KHTTP_A_POOL_QUEUE_LENGTH, 10);
	expect_refused("missing/pool-add-name", &m, EINVAL, EXT_MISS, KHTTP_A_POOL_NAME);
	DO(m, KHTTP_CMD_POOL_SET);
	expect_refused("missing/pool-set-name", &m, EINVAL, EXT_MISS, KHTTP_A_POOL_NAME);
	DO(m, KHTTP_CMD_POOL_DEL);
	expect_refused("missing/pool-del-name", &m, EINVAL, EXT_MISS, KHTTP_A_POOL_NAME);
	DO(m, KHTTP_CMD_CONFIG_SET);
	expect_refused("missing/config-set-nothing", &m, EINVAL, EXT_MSG, 0);
}

void oversized(void)
{
	struct msg m;

	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_long_str(&m, KHTTP_A_ROUTE_PREFIX, '/', 'a', KHTTP_PREFIX_MAX);
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("oversized/prefix-1024", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_long_str(&m, KHTTP_A_ROUTE_PREFIX, '/', 'a', 8000);
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("oversized/prefix-8000", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_long_str(&m, KHTTP_A_ROUTE_DIR, '/', 'd', KHTTP_DIR_MAX);
	expect_refused("oversized/dir-4096", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_long_str(&m, KHTTP_A_ROUTE_DIR, '/', 'd', 12000);
	expect_refused("oversized/dir-12000", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_long_str(&m, KHTTP_A_POOL_NAME, 'p', 'p', KHTTP_POOL_NAME_MAX);
	expect_refused("oversized/pool-name-32", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CACHE_FLUSH);
	put_long_str(&m, KHTTP_A_CACHE_PREFIX, '/', 'c', 5000);
	expect_refused("oversized/cache-flush-prefix", &m, EPOLICY, EXT_MSG, 0);
	/* NLA_NUL_STRING without its NUL */
	DO(m, KHTTP_CMD_POOL_ADD);
	mnl_attr_put(m.nlh, KHTTP_A_POOL_NAME, 5, "abcde");
	expect_refused("string/pool-name-no-nul", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_DEL);
	mnl_attr_put(m.nlh, KHTTP_A_ROUTE_PREFIX, 3, "/a/");
	expect_refused("string/prefix-no-nul", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_DEL);
	mnl_attr_put(m.nlh, KHTTP_A_ROUTE_PREFIX, 0, "");
	expect_refused("string/prefix-empty-payload", &m, EPOLICY, EXT_MSG, 0);
	/*
	 * NLA_NUL_STRING needs a NUL within the limit, not at the end: khttp
	 * sees the string up to the first NUL (here an absent pool).
	 */
	DO(m, KHTTP_CMD_POOL_DEL);
	mnl_attr_put(m.nlh, KHTTP_A_POOL_NAME, 9, "zz\0garbag");
	expect_refused("string/pool-name-inner-nul", &m, ENOENT, EXT_MSG, 0);
}

void wrong_types(void)
{
	struct msg m;

	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u32(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("type/route-type-u32", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u8(m.nlh, KHTTP_A_CONFIG_MAX_CONNS, 5);
	expect_refused("type/max-conns-u8", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u16(m.nlh, KHTTP_A_CONFIG_MAX_CONNS, 5);
	expect_refused("type/max-conns-u16", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u64(m.nlh, KHTTP_A_CONFIG_MAX_CONNS, 5);
	expect_refused("type/max-conns-u64", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u32(m.nlh, KHTTP_A_CONFIG_MAX_BODY_BYTES, 5);
	expect_refused("type/max-body-u32", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "abusepool");
	mnl_attr_put_u32(m.nlh, KHTTP_A_POOL_MODE, 0600);
	expect_refused("type/pool-mode-u32", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "abusepool");
	mnl_attr_put_u32(m.nlh, KHTTP_A_POOL_VERBOSITY, 2);
	expect_refused("type/pool-verbosity-u32", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_DEL);
	put_str(&m, KHTTP_A_POOL_NAME, "nosuchpool");
	mnl_attr_put_u32(m.nlh, KHTTP_A_POOL_FORCE, 1);
	expect_refused("type/force-flag-with-payload", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, lo4, 4, sizeof(struct khttp_addr) - 4);
	expect_refused("type/addr-short", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, lo4, 4, sizeof(struct khttp_addr) + 4);
	expect_refused("type/addr-long", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, lo4, 4, 1);
	expect_refused("type/addr-1-byte", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	mnl_attr_put_u32(m.nlh, KHTTP_A_LISTEN_ADDR, 0x7f000001);
	expect_refused("type/addr-as-u32", &m, EPOLICY, EXT_MSG, 0);
	/* a nest where a string is expected */
	DO(m, KHTTP_CMD_ROUTE_DEL);
	{
		struct nlattr *nest = mnl_attr_nest_start(m.nlh, KHTTP_A_ROUTE_PREFIX);

		mnl_attr_put_u32(m.nlh, 1, 1);
		mnl_attr_nest_end(m.nlh, nest);
	}
	expect_refused("type/prefix-as-nest", &m, EPOLICY, EXT_MSG, 0);
}

void out_of_range(void)
{
	static const struct {
		const char *name;
		uint8_t cmd;
		uint16_t attr;
		int width;		/* bytes */
		uint64_t v;
	} r[] = {
		{ "range/max-conns-0", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_CONNS, 4, 0 },
		{ "range/max-conns-1000001", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_CONNS, 4, 1000001 },
		{ "range/max-conns-u32max", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_CONNS, 4, 0xffffffff },
		{ "range/header-bytes-255", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_HEADER_BYTES, 4, 255 },
		{ "range/header-bytes-2M", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_HEADER_BYTES, 4, 2 << 20 },
		{ "range/max-body-2^40+1", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_BODY_BYTES, 8, (1ULL << 40) + 1 },
		{ "range/max-body-u64max", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_MAX_BODY_BYTES, 8, ~0ULL },
		{ "range/header-timeout-99", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_HEADER_TIMEOUT_MS, 4, 99 },
		{ "range/idle-timeout-0", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_IDLE_TIMEOUT_MS, 4, 0 },
		{ "range/idle-timeout-huge", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_IDLE_TIMEOUT_MS, 4, 3600001 },
		{ "range/cache-max-bytes-2^41", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_CACHE_MAX_BYTES, 8, 1ULL << 41 },
		{ "range/cache-entry-max-65M", KHTTP_CMD_CONFIG_SET, KHTTP_A_CONFIG_CACHE_ENTRY_MAX, 4, (64 << 20) + 1 },
		{ "range/queue-length-0", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_QUEUE_LENGTH, 4, 0 },
		{ "range/queue-length-70000", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_QUEUE_LENGTH, 4, 70000 },
		{ "range/queue-timeout-99", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_QUEUE_TIMEOUT_MS, 4, 99 },
		{ "range/queue-timeout-huge", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_QUEUE_TIMEOUT_MS, 4, 86400001 },
		{ "range/mode-01000", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_MODE, 2, 01000 },
		{ "range/mode-04755", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_MODE, 2, 04755 },
		{ "range/verbosity-9", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_VERBOSITY, 1, 9 },
		{ "range/verbosity-0", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_VERBOSITY, 1, 0 },
		{ "range/rapid-fail-count-10001", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_RAPID_FAIL_COUNT, 4, 10001 },
		{ "range/rapid-fail-seconds-0", KHTTP_CMD_POOL_ADD, KHTTP_A_POOL_RAPID_FAIL_SECONDS, 4, 0 },
		{ "range/pool-state-9", KHTTP_CMD_POOL_SET, KHTTP_A_POOL_STATE, 1, 9 },
		{ "range/pool-state-0", KHTTP_CMD_POOL_SET, KHTTP_A_POOL_STATE, 1, 0 },
		{ "range/route-type-7", KHTTP_CMD_ROUTE_ADD, KHTTP_A_ROUTE_TYPE, 1, 7 },
		{ "range/route-type-0", KHTTP_CMD_ROUTE_ADD, KHTTP_A_ROUTE_TYPE, 1, 0 },
		{ "range/route-cache-2", KHTTP_CMD_ROUTE_ADD, KHTTP_A_ROUTE_CACHE, 1, 2 },
	};
	struct msg m;
	size_t i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		DO(m, r[i].cmd);
		if (r[i].cmd == KHTTP_CMD_POOL_ADD || r[i].cmd == KHTTP_CMD_POOL_SET)
			put_str(&m, KHTTP_A_POOL_NAME, "abusepool");
		if (r[i].cmd == KHTTP_CMD_ROUTE_ADD) {
			put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
			put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
			if (r[i].attr != KHTTP_A_ROUTE_TYPE)
				mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE,
						KHTTP_ROUTE_STATIC);
		}
		switch (r[i].width) {
		case 1: mnl_attr_put_u8(m.nlh, r[i].attr, r[i].v); break;
		case 2: mnl_attr_put_u16(m.nlh, r[i].attr, r[i].v); break;
		case 4: mnl_attr_put_u32(m.nlh, r[i].attr, r[i].v); break;
		default: mnl_attr_put_u64(m.nlh, r[i].attr, r[i].v); break;
		}
		expect_refused(r[i].name, &m, EPOLICY, EXT_MSG, 0);
	}
}

/* Values the policy lets through but khttp itself must refuse. */
void semantic(void)
{
	static const uint8_t v4junk[16] = { 127, 0, 0, 1, 9, 9 };
	struct msg m;

	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 99, 80, lo4, 4, sizeof(struct khttp_addr));
	expect_refused("addr/family-99", &m, EAFNOSUPPORT, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 0, lo4, 4, sizeof(struct khttp_addr));
	expect_refused("addr/port-0", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, v4junk, 16, sizeof(struct khttp_addr));
	expect_refused("addr/ipv4-stray-bytes", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	{
		struct khttp_addr a = { .family = 2, .port = 81, .scope_id = 3,
					.addr = { 127, 0, 0, 1 } };

		mnl_attr_put(m.nlh, KHTTP_A_LISTEN_ADDR, sizeof(a), &a);
	}
	expect_refused("addr/ipv4-scope-id", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, (const uint8_t[]){ 192, 0, 2, 99 }, 4,
		 sizeof(struct khttp_addr));
	expect_refused("addr/not-local", &m, 0, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_DEL);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 4444, lo4, 4, sizeof(struct khttp_addr));
	expect_refused("addr/del-absent", &m, ENOENT, EXT_MSG, 0);

	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "../x");
	expect_refused("pool/name-dotdot-slash", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "");
	expect_refused("pool/name-empty", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "a b");
	expect_refused("pool/name-space", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "abusepool");
	mnl_attr_put_u8(m.nlh, KHTTP_A_POOL_STATE, KHTTP_POOL_FAILED);
	expect_refused("pool/add-failed-state", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_SET);
	put_str(&m, KHTTP_A_POOL_NAME, "nosuchpool");
	expect_refused("pool/set-absent", &m, ENOENT, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_DEL);
	put_str(&m, KHTTP_A_POOL_NAME, "nosuchpool");
	expect_refused("pool/del-absent", &m, ENOENT, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "abusepool");
	mnl_attr_put_u32(m.nlh, KHTTP_A_POOL_UID, 0xffffffff);
	expect_refused("pool/uid-invalid", &m, EINVAL, EXT_MSG, 0);

	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "http://x y/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("route/bad-prefix", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/../x/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("route/dotdot-prefix", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "https://x/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("route/https", &m, EOPNOTSUPP, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "srv/www");
	expect_refused("route/relative-dir", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	put_str(&m, KHTTP_A_ROUTE_POOL, "abusepool");
	expect_refused("route/static-with-pool", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_POOL);
	put_str(&m, KHTTP_A_ROUTE_POOL, "abusepool");
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	expect_refused("route/pool-with-dir", &m, EINVAL, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_POOL);
	put_str(&m, KHTTP_A_ROUTE_POOL, "nosuchpool");
	expect_refused("route/absent-pool", &m, 0, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_DEL);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/nosuchroute/");
	expect_refused("route/del-absent", &m, ENOENT, EXT_MSG, 0);
}

/*
 * An attribute of the object's set that this command does not take: the
 * per-command policy refuses it, and the message names it exactly.
 */
static void expect_stray(const char *name, struct msg *m, const char *want)
{
	struct reply r;
	int rc = transact(m, &r);

	if (rc)
		return result(false, name, "transport error %s", strerror(-rc));
	if (!r.err)
		return result(false, name, "accepted (want \"%s\")", want);
	if (r.err != EINVAL || strcmp(r.msg, want))
		return result(false, name, "errno %s, extack \"%s\", want EINVAL \"%s\"",
			      strerror(r.err), r.msg, want);
	result(true, name, "\"%s\"", r.msg);
}

/*
 * Validation comes before the handler, so the stray attribute alone is
 * enough: the command's required attributes would not change the answer.
 */
void stray(void)
{
	static const struct {
		const char *name;
		uint8_t cmd;
		bool dump;
		uint16_t attr;
		int width;	/* 0: flag, 1/4: u8/u32, -1: string */
		const char *want;
	} c[] = {
		{ "stray/pool-add-force", KHTTP_CMD_POOL_ADD, false, KHTTP_A_POOL_FORCE, 0, "pool-add does not take force" },
		{ "stray/pool-add-state", KHTTP_CMD_POOL_ADD, false, KHTTP_A_POOL_STATE, 1, "pool-add does not take state" },
		{ "stray/pool-del-queue-length", KHTTP_CMD_POOL_DEL, false, KHTTP_A_POOL_QUEUE_LENGTH, 4, "pool-del does not take queue-length" },
		{ "stray/route-add-reachable", KHTTP_CMD_ROUTE_ADD, false, KHTTP_A_ROUTE_REACHABLE, 1, "route-add does not take reachable" },
		{ "stray/route-del-dir", KHTTP_CMD_ROUTE_DEL, false, KHTTP_A_ROUTE_DIR, -1, "route-del does not take dir" },
		/* a u64, not a nest: with NLA_F_NESTED the core's check comes first */
		{ "stray/listen-add-stats", KHTTP_CMD_LISTEN_ADD, false, KHTTP_A_LISTEN_STATS, 8, "listen-add does not take stats" },
		{ "stray/status-get-version", KHTTP_CMD_STATUS_GET, false, KHTTP_A_STATUS_VERSION, -1, "status-get does not take version" },
		{ "stray/cache-flush-key", KHTTP_CMD_CACHE_FLUSH, false, KHTTP_A_CACHE_KEY, -1, "cache-flush does not take key" },
		{ "stray/route-get-dump-prefix", KHTTP_CMD_ROUTE_GET, true, KHTTP_A_ROUTE_PREFIX, -1, "route-get does not take prefix" },
		{ "stray/pool-get-dump-name", KHTTP_CMD_POOL_GET, true, KHTTP_A_POOL_NAME, -1, "pool-get does not take name" },
	};
	struct msg m;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		msg_new(&m, family, c[i].cmd, c[i].dump ? NLM_F_DUMP : 0);
		switch (c[i].width) {
		case 0: mnl_attr_put(m.nlh, c[i].attr, 0, NULL); break;
		case 1: mnl_attr_put_u8(m.nlh, c[i].attr, 1); break;
		case 4: mnl_attr_put_u32(m.nlh, c[i].attr, 5); break;
		case 8: mnl_attr_put_u64(m.nlh, c[i].attr, 0); break;
		default: put_str(&m, c[i].attr, "/stray/"); break;
		}
		expect_stray(c[i].name, &m, c[i].want);
	}
	/* with everything the command needs, too */
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/stray/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/srv/www");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_REACHABLE, 1);
	expect_stray("stray/route-add-whole-reachable", &m,
		     "route-add does not take reachable");
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, lo4, 4, sizeof(struct khttp_addr));
	mnl_attr_nest_end(m.nlh, mnl_attr_nest_start(m.nlh, KHTTP_A_LISTEN_STATS));
	expect_refused("stray/listen-add-stats-nest", &m, EINVAL, EXT_MSG, 0);
}

void unknown(void)
{
	static const uint8_t cmds[] = {
		0, KHTTP_CMD_LOG_EVENT, __KHTTP_CMD_MAX, 99, 255,
	};
	char name[64];
	struct msg m;
	size_t i;

	/* strict validation: attribute numbers past the policy */
	DO(m, KHTTP_CMD_STATUS_GET);
	mnl_attr_put_u32(m.nlh, KHTTP_A_STATUS_MAX + 1, 1);
	expect_refused("attr/unknown-max+1-status", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, lo4, 4, sizeof(struct khttp_addr));
	mnl_attr_put_u32(m.nlh, 1000, 1);
	expect_refused("attr/unknown-1000-listen-add", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u32(m.nlh, KHTTP_A_CONFIG_MAX_CONNS, 100);
	mnl_attr_put_u32(m.nlh, 0x3fff, 1);
	expect_refused("attr/unknown-16383-config-set", &m, EPOLICY, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u32(m.nlh, 0, 100);
	expect_refused("attr/unspec-0", &m, EPOLICY, EXT_MSG, 0);
	/* the dump path validates too */
	msg_new(&m, family, KHTTP_CMD_ROUTE_GET, NLM_F_DUMP);
	mnl_attr_put_u32(m.nlh, 1000, 1);
	expect_refused("attr/unknown-in-dump", &m, EPOLICY, EXT_MSG, 0);

	/* genetlink header: reserved bits, flags the core gives no meaning */
	DO(m, KHTTP_CMD_STATUS_GET);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(m.nlh))->reserved = 1;
	expect_refused("header/reserved-nonzero", &m, EINVAL, EXT_MSG, 0);
	msg_new(&m, family, KHTTP_CMD_CONFIG_SET, NLM_F_CREATE | NLM_F_APPEND);
	mnl_attr_put_u32(m.nlh, KHTTP_A_CONFIG_MAX_CONNS, 100);
	expect_refused("header/create-flags", &m, EINVAL, EXT_MSG, 0);

	for (i = 0; i < sizeof(cmds); i++) {
		snprintf(name, sizeof(name), "cmd/unknown-%u", cmds[i]);
		DO(m, cmds[i]);
		expect_refused(name, &m, EOPNOTSUPP, EXT_NONE_CORE, 0);
	}
	/* a dump of a doit command, a doit of a dump command */
	msg_new(&m, family, KHTTP_CMD_LISTEN_ADD, NLM_F_DUMP);
	expect_refused("cmd/dump-of-listen-add", &m, EOPNOTSUPP, EXT_NONE_CORE, 0);
	DO(m, KHTTP_CMD_ROUTE_GET);
	expect_refused("cmd/doit-of-route-get", &m, EOPNOTSUPP, EXT_NONE_CORE, 0);
}

void dumps(void)
{
	static const struct { const char *name; uint8_t cmd; int count; } d[] = {
		{ "dump/listen", KHTTP_CMD_LISTEN_GET, 0 },
		{ "dump/route", KHTTP_CMD_ROUTE_GET, 1 },
		{ "dump/pool", KHTTP_CMD_POOL_GET, 2 },
		{ "dump/cache", KHTTP_CMD_CACHE_GET, -1 },
	};
	struct reply st, r;
	struct msg m;
	size_t i;

	DO(m, KHTTP_CMD_STATUS_GET);
	expect_ok("get/status", &m, &st);
	DO(m, KHTTP_CMD_CONFIG_GET);
	expect_ok("get/config", &m, NULL);
	DO(m, KHTTP_CMD_STATS_GET);
	expect_ok("get/stats", &m, NULL);
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		msg_new(&m, family, d[i].cmd, NLM_F_DUMP);
		expect_ok(d[i].name, &m, &r);
		if (d[i].count >= 0 && r.nmsgs != st.counts[d[i].count])
			result(false, d[i].name, "%u messages, status says %u",
			       r.nmsgs, st.counts[d[i].count]);
	}
}

/* As a user without CAP_NET_ADMIN: each change is refused, reads work. */
void unprivileged(void)
{
	struct msg m;

	DO(m, KHTTP_CMD_LISTEN_ADD);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 81, lo4, 4, sizeof(struct khttp_addr));
	expect_refused("user/listen-add", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_LISTEN_DEL);
	put_addr(&m, KHTTP_A_LISTEN_ADDR, 2, 80, lo4, 4, sizeof(struct khttp_addr));
	expect_refused("user/listen-del", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_ADD);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/abuse/");
	mnl_attr_put_u8(m.nlh, KHTTP_A_ROUTE_TYPE, KHTTP_ROUTE_STATIC);
	put_str(&m, KHTTP_A_ROUTE_DIR, "/");
	expect_refused("user/route-add", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_ROUTE_DEL);
	put_str(&m, KHTTP_A_ROUTE_PREFIX, "/");
	expect_refused("user/route-del", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u32(m.nlh, KHTTP_A_CONFIG_MAX_CONNS, 1);
	expect_refused("user/config-set", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_ADD);
	put_str(&m, KHTTP_A_POOL_NAME, "userpool");
	expect_refused("user/pool-add", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_SET);
	put_str(&m, KHTTP_A_POOL_NAME, "nl");
	mnl_attr_put_u16(m.nlh, KHTTP_A_POOL_MODE, 0666);
	expect_refused("user/pool-set-mode", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_SET);
	put_str(&m, KHTTP_A_POOL_NAME, "nl");
	mnl_attr_put_u32(m.nlh, KHTTP_A_POOL_UID, getuid());
	expect_refused("user/pool-set-owner", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_POOL_DEL);
	put_str(&m, KHTTP_A_POOL_NAME, "nl");
	mnl_attr_put(m.nlh, KHTTP_A_POOL_FORCE, 0, NULL);
	expect_refused("user/pool-del-force", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CACHE_FLUSH);
	expect_refused("user/cache-flush", &m, EPERM, EXT_MSG, 0);
	DO(m, KHTTP_CMD_CONFIG_SET);
	mnl_attr_put_u32(m.nlh, 1000, 1);
	/*
	 * Attributes are validated before the permission check (pre_doit):
	 * garbage from a non-admin is refused as garbage.  Either way it
	 * is refused with a message and changes nothing.
	 */
	expect_refused("user/config-set-garbage", &m, 0, EXT_MSG, 0);
	dumps();
}
