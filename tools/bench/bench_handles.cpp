// SPDX-License-Identifier: GPL-2.0
// Opening a live namespace by file handle, by ID, and through /proc, in one run.
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bench.hpp"
#include "module_client.hpp"
#include "nstree.h"

namespace bench {

int bench_handles()
{
	auto client = nstree::ModuleClient::open();
	if (!client) {
		std::fprintf(stderr, "bench handles: %s\n", client.error().str().c_str());
		return 1;
	}
	auto keep = client->open_id(7); // a live dentry: the stash fast path
	if (!keep) {
		std::fprintf(stderr, "bench handles: %s\n", keep.error().str().c_str());
		return 1;
	}
	nstree::Fd root(ioctl(client->fd(), NSTREE_IOC_ROOT, 0));
	struct {
		struct file_handle hdr;
		unsigned char bytes[128];
	} h;
	std::memset(&h, 0, sizeof(h));
	h.hdr.handle_bytes = sizeof(h.bytes);
	int mnt;
	if (!root || name_to_handle_at(keep->get(), "", &h.hdr, &mnt, AT_EMPTY_PATH) < 0) {
		std::perror("bench handles: name_to_handle_at");
		return 1;
	}
	std::printf("handles: open + close of the current net namespace, best of 5 rounds of 20,000\n");
	double by_handle = best_ns_per_op(20000, 5, [&]() {
		int fd = open_by_handle_at(root.get(), &h.hdr, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			std::abort();
		close(fd);
	});
	nstree_open_handle req;
	std::memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.handle = reinterpret_cast<uintptr_t>(&h);
	double by_ioctl = best_ns_per_op(20000, 5, [&]() {
		int fd = ioctl(client->fd(), NSTREE_IOC_OPEN_HANDLE, &req);
		if (fd < 0)
			std::abort();
		close(fd);
	});
	double by_id = best_ns_per_op(20000, 5, [&]() {
		if (!client->open_id(7))
			std::abort();
	});
	double by_proc = best_ns_per_op(20000, 5, [&]() {
		int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			std::abort();
		close(fd);
	});
	row("open_by_handle_at(root fd, handle)", by_handle, "ns/op");
	row("NSTREE_IOC_OPEN_HANDLE", by_ioctl, "ns/op");
	row("NSTREE_IOC_OPEN by ID", by_id, "ns/op");
	row("open(\"/proc/self/ns/net\")", by_proc, "ns/op");
	std::printf("  %-58s %12.2fx\n", "open_by_handle_at / open by ID", by_handle / by_id);
	std::printf("  %-58s %12.2fx\n", "open_by_handle_at / open of /proc/self/ns/net", by_handle / by_proc);
	return 0;
}

} // namespace bench
