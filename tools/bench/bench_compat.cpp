// SPDX-License-Identifier: GPL-2.0
// Upstream's API through the module (Documentation/compat.md): listns(2) under
// `nstree compat`'s filter against NSTREE_IOC_LISTNS, per ID, in pages of 10 and
// 1,000, with 1,000 processes holding 2,000 namespaces; and what the layer costs
// system calls that are none of its business (getpid, an ioctl on a pipe): with
// the layer loaded against the module loaded with upstream_api=0, and, for the
// record, inside a command under the filter. On a kernel with listns(2) of its own
// the native per-ID cost is printed for the record.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend.hpp"
#include "bench.hpp"
#include "compat_filter.hpp"
#include "fd.hpp"
#include "module_client.hpp"

namespace bench {
namespace {

constexpr size_t kPages[] = {10, 1000};

// @fn's result, computed in a child (under nstree compat's filter when @trapped);
// -1 when the child failed.
double in_child(bool trapped, const std::function<double()> &fn)
{
	int p[2];
	if (pipe(p) != 0)
		return -1;
	std::fflush(nullptr);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		double v = trapped && !nstree::trap_listns_for_module() ? -1 : fn();
		_exit(write(p[1], &v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	close(p[1]);
	double v = -1;
	if (pid < 0 || read(p[0], &v, sizeof(v)) != sizeof(v))
		v = -1;
	close(p[0]);
	if (pid > 0)
		waitpid(pid, nullptr, 0);
	return v;
}

// ns per pair of unrelated system calls: getpid() and FIONREAD on a pipe.
double unrelated_calls()
{
	int p[2];
	if (pipe(p) != 0)
		return -1;
	int avail;
	double ns = best_ns_per_op(200000, 5, [&]() {
		syscall(SYS_getpid);
		ioctl(p[0], FIONREAD, &avail);
	});
	close(p[0]);
	close(p[1]);
	return ns;
}

int native_record()
{
	std::printf("compat: the kernel has listns(2) of its own; its per-ID cost for the record\n");
	Holders holders(1000);
	size_t n = walk(-1, true, 1000);
	for (size_t page : kPages) {
		double ns = best_ns_per_op(1, 5, [&]() { walk(-1, true, page); }) / double(n);
		record_value("native listns(2), " + std::to_string(n) + " namespaces, per ID, pages of " +
				     std::to_string(page),
			     ns, "ns");
	}
	return 0;
}

} // namespace

int bench_compat()
{
	if (nstree::kernel_has_listns())
		return native_record();
	std::printf("compat: listns(2) under nstree compat's filter against NSTREE_IOC_LISTNS; the layer's "
		    "cost to other system calls\n");
	{
		auto client = nstree::ModuleClient::open();
		if (!client || !nstree::module_answers_listns_traps()) {
			std::fprintf(stderr, "bench compat: needs the module with its upstream API layer\n");
			return 1;
		}
		Holders holders(1000);
		size_t n = walk(client->fd(), false, 1000);
		for (size_t page : kPages) {
			double ioc = best_ns_per_op(1, 5, [&]() { walk(client->fd(), false, page); }) / double(n);
			double sys = in_child(true, [&]() {
				if (walk(-1, true, page) != n)
					return -1.0;
				return best_ns_per_op(1, 5, [&]() { walk(-1, true, page); }) / double(n);
			});
			if (sys < 0) {
				std::fprintf(stderr, "bench compat: listns(2) under the filter failed\n");
				return 1;
			}
			std::string tag = std::to_string(n) + " namespaces, per ID, pages of " + std::to_string(page);
			row("NSTREE_IOC_LISTNS, " + tag, ioc, "ns");
			row("listns(2) under nstree compat, " + tag, sys, "ns");
			ratio("listns(2) under nstree compat / ioctl, pages of " + std::to_string(page), sys, ioc, 1.5);
		}
	}
	// Alternately without the layer and with it, twice, best of each: the module is
	// reloaded in between, and TCG's noise is larger than the difference sought.
	double with_layer = in_child(false, unrelated_calls);
	double filtered = in_child(true, unrelated_calls);
	double without_layer = 1e18;
	for (int round = 0; round < 2; round++) {
		if (!module_set(false) || !module_set(true, "upstream_api=0")) {
			std::fprintf(stderr, "bench compat: cannot reload nstree with upstream_api=0\n");
			return 1;
		}
		without_layer = std::min(without_layer, in_child(false, unrelated_calls));
		if (!module_set(false) || !module_set(true)) {
			std::fprintf(stderr, "bench compat: cannot reload nstree\n");
			return 1;
		}
		with_layer = std::min(with_layer, in_child(false, unrelated_calls));
	}
	row("getpid + ioctl(FIONREAD), layer loaded", with_layer, "ns");
	row("getpid + ioctl(FIONREAD), upstream_api=0", without_layer, "ns");
	row("getpid + ioctl(FIONREAD), under nstree compat's filter", filtered, "ns");
	ratio_at_least("unrelated calls: speed with the layer / without", without_layer / with_layer, 0.98);
	record_ratio("unrelated calls: speed under nstree compat's filter / without", with_layer / filtered);
	return 0;
}

} // namespace bench
