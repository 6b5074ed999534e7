// SPDX-License-Identifier: GPL-2.0
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.hpp"
#include "fd.hpp"

namespace bench {

bool module_set(bool loaded, const char *params)
{
	if (loaded) {
		const char *ko = std::getenv("NSTREE_KO");
		nstree::Fd fd(open(ko ? ko : "/lib/modules/nstree.ko", O_RDONLY | O_CLOEXEC));
		return fd.valid() && (syscall(SYS_finit_module, fd.get(), params, 0) == 0 || errno == EEXIST);
	}
	for (int i = 0; i < 50; i++) {
		if (syscall(SYS_delete_module, "nstree", O_NONBLOCK) == 0 || errno == ENOENT)
			return true;
		usleep(100 * 1000); // a namespace's death may still be on its way through the module
	}
	return false;
}

} // namespace bench
