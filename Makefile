# SPDX-License-Identifier: GPL-2.0
#
#   make              module (against KDIR) and userspace tools
#   make run          boot a VM with khttp serving a demo site on :8080
#   make check        every test; last line "N passed, N failed"
#                     T=pattern runs only matching tests, K=stock|test one kernel
#   make bench        khttp vs nginx, side by side in one VM
#   make lint         checkpatch and sparse on kmod/

KDIR ?= $(shell scripts/kdir.sh)

.PHONY: all module userspace clean check run lint install bench

all: module userspace

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

check:
	scripts/check.sh

run:
	scripts/run.sh

lint:
	scripts/lint.sh

bench:
	scripts/bench.sh

# Tools, library, headers, man pages (PREFIX, DESTDIR); the module itself
# installs with `make -C $(KDIR) M=$(CURDIR) modules_install`.
install: userspace
	$(MAKE) -C userspace install

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C userspace clean
	rm -rf build
