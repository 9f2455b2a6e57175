# SPDX-License-Identifier: GPL-2.0
#
#   make              module (against KDIR) and userspace tools
#   make run          boot a VM with khttp serving a demo site on :8080
#   make check        every test; last line "N passed, N failed"
#                     T=pattern runs only matching tests, K=stock|test one kernel
#   make bench        khttp vs nginx, side by side in one VM
#   make check-browser  the status page rendered by headless Chromium
#                     (not in make check; needs Debian's chromium)
#   make lint         checkpatch and sparse on kmod/
#   make fuzz         libFuzzer on the parser and the route table
#                     (FUZZ_TIME seconds each, default 60)
#   make soak         the long fault and soak tests on the test kernel

KDIR ?= $(shell scripts/kdir.sh)

.PHONY: all module userspace clean check check-browser run lint install bench fuzz soak

all: module userspace

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

check:
	scripts/check.sh

check-browser:
	scripts/check-browser.sh

run:
	scripts/run.sh

lint:
	scripts/lint.sh

bench:
	scripts/bench.sh

FUZZ_TIME ?= 60
fuzz:
	$(MAKE) -C userspace fuzz FUZZ_TIME=$(FUZZ_TIME)

soak:
	scripts/soak.sh

# Tools, library, headers, man pages (PREFIX, DESTDIR); the module itself
# installs with `make -C $(KDIR) M=$(CURDIR) modules_install`.
install: userspace
	$(MAKE) -C userspace install

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C userspace clean
	rm -rf build
