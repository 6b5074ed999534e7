# SPDX-License-Identifier: GPL-2.0
# nstree: top-level driver. The real work is in scripts/; see README.md.
#   make                 module for every provisioned kernel + userspace tools
#   make module [KDIR=]  the module (KDIR given: that kernel tree only, in module/)
#   make tools           libnstree, the nstree CLI, unit tests and selftests (CMake)
#   make check           module with W=1 + sparse on every kernel, checkpatch, kernel-doc
#   make test            the README's test command (everything, all kernels, in QEMU)
#   make demo            the README's main job
#   make bench           benchmarks in the guest, printed as ratios
#   make campaign        the adversarial selftests in their long mode (fuzzer, churn,
#                        races, faults) on every module kernel: hours, not in CI
#   make vm-shell KERNEL=6.12   a shell in the guest, module loaded
#   make install [PREFIX=/usr/local] [DESTDIR=]   the nstree CLI, its man page, the udev
#                        rule for /dev/nstree, a modules-load.d example, and
#                        the bash and zsh completions (the module: its DKMS package)
KERNEL ?= 6.12
PREFIX ?= /usr/local

all: module tools

module:
ifneq ($(KDIR),)
	$(MAKE) -C module KDIR=$(KDIR) W=1
else
	scripts/build-module.sh
endif

tools:
	scripts/build-tools.sh

check:
	CHECK=1 scripts/build-module.sh
	scripts/check-style.sh

test:
	scripts/run-tests.sh

demo:
	scripts/run-demo.sh

bench:
	scripts/run-bench.sh

CAMPAIGN_KERNELS ?= 6.1 6.12 debug-6.12
campaign: module tools
	for k in $(CAMPAIGN_KERNELS); do \
		NSTREE_CAMPAIGN=long scripts/run-vm.sh --timeout 14400 \
			--args '[fuzz],[churn],[races],[faults],[privilege],[holders],[active]~[native]' $$k || exit 1; \
	done

vm-shell: module tools
	scripts/run-vm.sh --mode shell $(KERNEL)

install: tools
	DESTDIR=$(DESTDIR) cmake --install build/tools --prefix $(PREFIX)

clean:
	rm -rf build
	$(MAKE) -C module clean KDIR=/nonexistent >/dev/null 2>&1 || true

.PHONY: all module tools check test demo bench campaign vm-shell install clean
