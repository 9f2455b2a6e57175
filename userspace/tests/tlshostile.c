// SPDX-License-Identifier: GPL-2.0
/*
 * tlshostile: a TLS client that misbehaves on purpose, for 47-tls-hostile.
 *
 * usage: tlshostile hello > FILE
 *          a TLS 1.2/1.3 ClientHello (the bytes a client sends first)
 *        tlshostile proto HOST PORT VERSION
 *          a ClientHello claiming only VERSION (0300 SSLv3, 0301 TLS 1.0,
 *          0302 TLS 1.1) in the record and the hello
 *        tlshostile session HOST PORT 1.2|1.3 ACTION
 *          a real handshake, one GET /index.txt answered, then ACTION:
 *          reneg (TLS 1.2 renegotiation), keyupdate, keyupdate-req
 *          (TLS 1.3 KeyUpdate, update_requested or not, then a second
 *          GET), close-notify (after the answer), close-notify-mid (half a
 *          request, then close_notify), fatal (a fatal alert record, sent
 *          through the client's own kTLS), trunc (half a record, then
 *          idle), badrec (a whole record that fails to decrypt)
 * Prints what the server did next, one word: "alert N" (it sent alert N),
 * "eof" (closed cleanly), "reset", "timeout" (still open after 30 s) or
 * "data" (it answered).  Exit 0 unless the client itself failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/tls.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

static int alert_got = -1;	/* the last alert the server sent us */

static void info_cb(const SSL *ssl, int where, int ret)
{
	(void)ssl;
	if ((where & SSL_CB_READ_ALERT) == SSL_CB_READ_ALERT)
		alert_got = ret & 0xff;
}

static int dial(const char *host, const char *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = 30 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_port = htons(atoi(port));
	if (fd < 0 || inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("connect");
		exit(1);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* What the raw socket says next: a TLS alert record, EOF, reset, data. */
static void outcome_raw(int fd)
{
	unsigned char b[7];
	ssize_t n = recv(fd, b, sizeof(b), MSG_WAITALL);

	if (n >= 7 && b[0] == 21 && b[3] == 0 && b[4] == 2)
		printf("alert %d\n", b[6]);
	else if (n > 0)
		printf("data\n");
	else if (n == 0)
		printf("eof\n");
	else if (errno == ECONNRESET)
		printf("reset\n");
	else if (errno == EAGAIN)
		printf("timeout\n");
	else
		printf("error %s\n", strerror(errno));
}

/* What the server did to an SSL read or handshake that returned @r. */
static void outcome_ssl(SSL *ssl, int r)
{
	int e = SSL_get_error(ssl, r);

	if (r > 0)
		printf("data\n");
	else if (alert_got >= 0)
		printf("alert %d\n", alert_got);
	else if (e == SSL_ERROR_ZERO_RETURN ||
		 (e == SSL_ERROR_SYSCALL && errno == 0) ||
		 ERR_GET_REASON(ERR_peek_error()) ==
		 SSL_R_UNEXPECTED_EOF_WHILE_READING)
		printf("eof\n");
	else if (errno == ECONNRESET)
		printf("reset\n");
	else if (errno == EAGAIN)
		printf("timeout\n");
	else
		printf("error %d %s\n", e, ERR_reason_error_string(ERR_peek_error()));
}

static SSL_CTX *client_ctx(int min, int max)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx || !SSL_CTX_set_min_proto_version(ctx, min) ||
	    !SSL_CTX_set_max_proto_version(ctx, max))
		exit(1);
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_info_callback(ctx, info_cb);
	return ctx;
}

/* The first flight of a client, from memory: its ClientHello. */
static size_t hello(int min, int max, unsigned char *out, size_t cap)
{
	SSL *ssl = SSL_new(client_ctx(min, max));
	BIO *rb = BIO_new(BIO_s_mem()), *wb = BIO_new(BIO_s_mem());
	int n;

	if (min < TLS1_2_VERSION)
		SSL_set_cipher_list(ssl, "DEFAULT:@SECLEVEL=0");
	SSL_set_tlsext_host_name(ssl, "localhost");
	SSL_set_bio(ssl, rb, wb);
	SSL_connect(ssl);
	n = BIO_read(wb, out, cap);
	if (n <= 0)
		exit(1);
	return n;
}

static const char get[] = "GET /index.txt HTTP/1.1\r\nHost: x\r\n\r\n";

/* Send a GET and read until its body ("hello") has come. */
static int one_get(SSL *ssl)
{
	char buf[4096];
	size_t have = 0;
	int n;

	if (SSL_write(ssl, get, sizeof(get) - 1) <= 0)
		return -1;
	while (have < sizeof(buf) - 1) {
		n = SSL_read(ssl, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			return n;
		have += n;
		buf[have] = 0;
		if (strstr(buf, "hello"))
			return 1;
	}
	return -1;
}

/* One record of type @type with @len bytes through the client's kTLS. */
static int ktls_send(int fd, unsigned char type, const void *p, size_t len)
{
	char cbuf[CMSG_SPACE(1)] = { 0 };
	struct iovec iov = { .iov_base = (void *)p, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = SOL_TLS;
	c->cmsg_type = TLS_SET_RECORD_TYPE;
	c->cmsg_len = CMSG_LEN(1);
	*CMSG_DATA(c) = type;
	return sendmsg(fd, &m, 0) == (ssize_t)len ? 0 : -1;
}

static int session(const char *host, const char *port, const char *ver,
		   const char *act)
{
	int v = strcmp(ver, "1.3") ? TLS1_2_VERSION : TLS1_3_VERSION;
	SSL_CTX *ctx = client_ctx(v, v);
	int fd = dial(host, port), r;
	SSL *ssl;
	char buf[256];

	if (!strcmp(act, "fatal"))
		SSL_CTX_set_options(ctx, SSL_OP_ENABLE_KTLS);
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	SSL_set_alpn_protos(ssl, (const unsigned char *)"\x08http/1.1", 9);
	if (SSL_connect(ssl) != 1 || one_get(ssl) != 1) {
		fprintf(stderr, "tlshostile: handshake or first GET failed\n");
		ERR_print_errors_fp(stderr);
		return 1;
	}
	if (!strcmp(act, "reneg")) {
		if (!SSL_renegotiate(ssl)) {
			fprintf(stderr, "tlshostile: SSL_renegotiate refused\n");
			return 1;
		}
		r = SSL_do_handshake(ssl);
		if (r == 1)
			r = SSL_read(ssl, buf, sizeof(buf));
		outcome_ssl(ssl, r);
	} else if (!strncmp(act, "keyupdate", 9)) {
		if (!SSL_key_update(ssl, strcmp(act, "keyupdate-req") ?
				    SSL_KEY_UPDATE_NOT_REQUESTED :
				    SSL_KEY_UPDATE_REQUESTED))
			return 1;
		r = one_get(ssl);
		outcome_ssl(ssl, r);
	} else if (!strcmp(act, "close-notify")) {
		SSL_shutdown(ssl);
		r = SSL_read(ssl, buf, sizeof(buf));
		outcome_ssl(ssl, r);
	} else if (!strcmp(act, "close-notify-mid")) {
		SSL_write(ssl, get, 10);
		SSL_shutdown(ssl);
		r = SSL_read(ssl, buf, sizeof(buf));
		outcome_ssl(ssl, r);
	} else if (!strcmp(act, "fatal")) {
		static const unsigned char al[2] = { 2, 40 };

		if (!BIO_get_ktls_send(SSL_get_wbio(ssl))) {
			fprintf(stderr, "tlshostile: no client kTLS to send with\n");
			return 1;
		}
		if (ktls_send(fd, 21, al, sizeof(al)))
			return 1;
		outcome_raw(fd);
	} else if (!strcmp(act, "trunc")) {
		static const unsigned char rec[15] = { 23, 3, 3, 0, 64 };

		if (write(fd, rec, sizeof(rec)) != sizeof(rec))
			return 1;
		outcome_raw(fd);
	} else if (!strcmp(act, "badrec")) {
		unsigned char rec[5 + 64] = { 23, 3, 3, 0, 64 };

		memset(rec + 5, 0x5a, 64);
		if (write(fd, rec, sizeof(rec)) != sizeof(rec))
			return 1;
		outcome_raw(fd);
	} else {
		fprintf(stderr, "tlshostile: unknown action %s\n", act);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char h[4096];
	size_t n;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	if (argc == 2 && !strcmp(argv[1], "hello")) {
		n = hello(TLS1_2_VERSION, TLS1_3_VERSION, h, sizeof(h));
		return fwrite(h, 1, n, stdout) == n ? 0 : 1;
	}
	if (argc == 5 && !strcmp(argv[1], "proto")) {
		unsigned int v = strtoul(argv[4], NULL, 16);

		n = hello(TLS1_VERSION, TLS1_VERSION, h, sizeof(h));
		/* Record version, then client_version after the 4-byte header. */
		h[1] = h[9] = v >> 8;
		h[2] = h[10] = v & 0xff;
		fd = dial(argv[2], argv[3]);
		if (write(fd, h, n) != (ssize_t)n)
			return 1;
		outcome_raw(fd);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "session"))
		return session(argv[2], argv[3], argv[4], argv[5]);
	fprintf(stderr, "usage: see the head of tests/tlshostile.c\n");
	return 2;
}
