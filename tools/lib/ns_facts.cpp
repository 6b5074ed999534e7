// SPDX-License-Identifier: GPL-2.0
#include "ns_facts.hpp"

#include <cerrno>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "fd.hpp"
#include "nstree.h"

namespace nstree {

std::optional<uint64_t> ns_get_id(int fd)
{
	uint64_t id = 0;
	if (ioctl(fd, NS_GET_ID, &id) < 0 || id == 0)
		return std::nullopt;
	return id;
}

// The inode of the namespace a relation ioctl (NS_GET_USERNS, NS_GET_PARENT) returns.
static std::optional<uint64_t> related_inode(int fd, unsigned long request)
{
	Fd rel(ioctl(fd, request));
	struct stat st;
	if (!rel || fstat(rel.get(), &st) < 0)
		return std::nullopt;
	return st.st_ino;
}

Result<NsFacts> read_ns_facts(int fd, FactsWanted want, uint32_t known_type)
{
	NsFacts f;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return Error::from_errno(errno, "fstat of a namespace fd");
	f.inode = st.st_ino;
	f.dev = st.st_dev;
	f.type = known_type;
	if (want.type || !known_type) {
		int t = ioctl(fd, NS_GET_NSTYPE);
		if (t < 0)
			return Error::from_errno(errno, "not a namespace file");
		f.type = uint32_t(t);
	}
	if (want.relations) {
		f.owner_inode = related_inode(fd, NS_GET_USERNS);
		if (f.type == CLONE_NEWPID || f.type == CLONE_NEWUSER)
			f.parent_inode = related_inode(fd, NS_GET_PARENT);
		uid_t uid;
		if (f.type == CLONE_NEWUSER && ioctl(fd, NS_GET_OWNER_UID, &uid) == 0)
			f.owner_uid = uid;
	}
	if (want.id)
		f.id = ns_get_id(fd);
	return f;
}

} // namespace nstree
