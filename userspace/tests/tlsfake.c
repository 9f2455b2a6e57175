// SPDX-License-Identifier: GPL-2.0
/*
 * tlsfake: a misbehaving TLS handshake agent, for the kernel's side of
 * /dev/khttp-tls: khttp must never read or answer in plaintext on a TLS
 * entry, whatever the agent does.
 *
 * usage: tlsfake plain N    take N connections and hand each back with
 *                           status 0 without installing kTLS
 *        tlsfake hold N     take N connections, print "held", then wait
 *                           for stdin to close and exit without answering
 *        tlsfake busy       open the device; exit 0 if that fails EBUSY
 * Exit 0 when every step behaved as expected.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/khttp.h>

int main(int argc, char **argv)
{
	struct khttp_tls_conn rec;
	struct khttp_tls_done d;
	int dev, i, n = argc > 2 ? atoi(argv[2]) : 1;
	char c;

	if (argc < 2)
		return 2;
	dev = open("/dev/" KHTTP_TLS_DEVICE, O_RDWR);
	if (!strcmp(argv[1], "busy"))
		return dev < 0 && errno == EBUSY ? 0 : 1;
	if (dev < 0) {
		perror("tlsfake: open");
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (read(dev, &rec, sizeof(rec)) != sizeof(rec) ||
		    rec.abi != KHTTP_TLS_ABI || rec.fd < 0) {
			perror("tlsfake: read");
			return 1;
		}
		if (strcmp(argv[1], "plain"))
			continue;
		close(rec.fd);
		memset(&d, 0, sizeof(d));
		d.id = rec.id;
		if (write(dev, &d, sizeof(d)) != sizeof(d)) {
			perror("tlsfake: write");
			return 1;
		}
		/* A second hand-back of the same id is unknown. */
		if (write(dev, &d, sizeof(d)) >= 0 || errno != ENOENT) {
			fprintf(stderr, "tlsfake: a repeated id was accepted\n");
			return 1;
		}
	}
	if (!strcmp(argv[1], "hold")) {
		printf("held\n");
		fflush(stdout);
		while (read(0, &c, 1) > 0)
			;
	}
	return 0;
}
