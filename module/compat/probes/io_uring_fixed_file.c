// SPDX-License-Identifier: GPL-2.0
/*
 * 5.19-6.12: a ring's registered files are ctx->file_table.files[], nr_user_files
 * of them, in the public <linux/io_uring_types.h> (6.13 moved them into resource
 * nodes of the private io_uring/rsrc.h).
 */
#include <linux/module.h>
#include <linux/io_uring_types.h>
unsigned long probe(struct io_ring_ctx *ctx);
unsigned long probe(struct io_ring_ctx *ctx)
{
	return ctx->nr_user_files ? ctx->file_table.files[0].file_ptr : 0;
}
MODULE_LICENSE("GPL");
