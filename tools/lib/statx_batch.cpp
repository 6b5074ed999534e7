// SPDX-License-Identifier: GPL-2.0
#include "statx_batch.hpp"

#include <cerrno>
#include <fcntl.h>

namespace nstree {

static constexpr unsigned kRingEntries = 256;

StatxBatch::StatxBatch(unsigned iowq_workers)
{
	ring_ok_ = io_uring_queue_init(kRingEntries, &ring_, 0) == 0;
	unsigned limits[2] = {iowq_workers, iowq_workers}; // bounded, unbounded
	if (ring_ok_ && iowq_workers)
		io_uring_register_iowq_max_workers(&ring_, limits);
}

StatxBatch::~StatxBatch()
{
	if (ring_ok_)
		io_uring_queue_exit(&ring_);
}

size_t StatxBatch::add(std::string path, unsigned mask)
{
	ops_.push_back(Op{std::move(path), mask, {}, 0});
	return ops_.size() - 1;
}

void StatxBatch::run()
{
	if (!ring_ok_) {
		for (auto &op : ops_)
			op.err = statx(AT_FDCWD, op.path.c_str(), 0, op.mask, &op.stx) < 0 ? errno : 0;
		return;
	}
	size_t next = 0, done = 0;
	while (done < ops_.size()) {
		unsigned queued = 0;
		while (next < ops_.size()) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
			if (!sqe)
				break;
			Op &op = ops_[next];
			io_uring_prep_statx(sqe, AT_FDCWD, op.path.c_str(), 0, op.mask, &op.stx);
			io_uring_sqe_set_data64(sqe, next);
			next++;
			queued++;
		}
		int r = io_uring_submit_and_wait(&ring_, queued ? queued : 1);
		if (r < 0 && r != -EINTR) {
			// The ring broke: finish the rest one by one.
			for (size_t i = done; i < ops_.size(); i++)
				ops_[i].err = statx(AT_FDCWD, ops_[i].path.c_str(), 0, ops_[i].mask, &ops_[i].stx) < 0
						      ? errno
						      : 0;
			return;
		}
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;
		io_uring_for_each_cqe(&ring_, head, cqe)
		{
			ops_[io_uring_cqe_get_data64(cqe)].err = cqe->res < 0 ? -cqe->res : 0;
			seen++;
		}
		io_uring_cq_advance(&ring_, seen);
		done += seen;
	}
}

} // namespace nstree
