// SPDX-License-Identifier: GPL-2.0
/*
 * Copying the module's size-versioned request structs in from user space: the
 * extensible-struct convention (copy_struct_from_user()) with the size the caller
 * knows in the first __u32.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include "nstree.h"

/**
 * nstree_copy_in() - copy a size-versioned struct from user space
 * @dst: kernel copy, @ksize bytes
 * @ksize: size of the struct this module knows
 * @ver0: smallest size user space may pass
 * @uarg: user pointer; its first __u32 is the size user space knows
 *
 * Return: 0, -EFAULT on a bad pointer, -EINVAL when the size is below @ver0,
 * -E2BIG when it is above a page or the bytes past @ksize are not zero.
 */
int nstree_copy_in(void *dst, size_t ksize, size_t ver0, const void __user *uarg)
{
	u32 usize;
	int ret;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < ver0)
		return -EINVAL;
	ret = copy_struct_from_user(dst, ksize, uarg, usize);
	if (ret)
		return ret;
	/* What the caller knows is what we copy back: remember it in the struct. */
	*(u32 *)dst = min_t(u32, usize, ksize);
	return 0;
}
