// SPDX-License-Identifier: GPL-2.0
/*
 * What the bulk ioctls (NSTREE_IOC_PROCS, _NS_INFO, _CMDLINES) and the listing share:
 * the opening steps of a request (copy it in, check it apart from acting on it,
 * require may_see_all) and kernel arrays that are copied in whole or grown as they
 * fill, so that nothing is written to user memory before the answer is complete.
 */
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "nstree.h"

/**
 * nstree_bulk_request() - copy in and check the request of a bulk ioctl
 * @dst: the kernel copy, @ksize bytes
 * @ksize: the size of the struct this module knows
 * @ver0: the smallest size user space may pass
 * @uarg: the user pointer
 * @check: validates the copy (sizes, flags, reserved fields, limits); may be NULL
 *
 * The bulk ioctls answer only a caller that may see every namespace; validation
 * comes first, so bad input gets its error whoever asks.
 *
 * Return: 0, what nstree_copy_in() or @check returns, or -EPERM.
 */
int nstree_bulk_request(void *dst, size_t ksize, size_t ver0, const void __user *uarg,
			int (*check)(const void *req))
{
	int err = nstree_copy_in(dst, ksize, ver0, uarg);

	if (!err && check)
		err = check(dst);
	if (!err && !nstree_may_see_all())
		err = -EPERM;
	return err;
}

/**
 * nstree_array_copy_in() - a kernel copy of a user array
 * @uptr: the array in user memory
 * @nr: its number of elements (the caller bounds it)
 * @size: the size of one element
 *
 * Return: the copy (kvfree() it), or ERR_PTR(-ENOMEM) / ERR_PTR(-EFAULT).
 */
void *nstree_array_copy_in(u64 uptr, size_t nr, size_t size)
{
	size_t bytes = array_size(nr, size);
	void *a = kvmalloc(bytes, GFP_KERNEL_ACCOUNT);

	if (!a)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(a, u64_to_user_ptr(uptr), bytes)) {
		kvfree(a);
		return ERR_PTR(-EFAULT);
	}
	return a;
}

/**
 * nstree_array_grow() - make room for one more element in a kernel array
 * @a: the array (kvmalloc()ed, or NULL); replaced by a larger copy when full
 * @cap: its capacity in elements
 * @used: the elements in use
 * @size: the size of one element
 * @limit: the most elements it may ever need
 *
 * Doubles the capacity, from 64, up to @limit (kvrealloc()'s signature differs
 * between 6.1 and 6.12, so this copies).
 *
 * Return: 0, or -ENOMEM with @a unchanged.
 */
int nstree_array_grow(void **a, size_t *cap, size_t used, size_t size, size_t limit)
{
	size_t n;
	void *bigger;

	if (used < *cap)
		return 0;
	n = min(limit, max_t(size_t, 64, *cap * 2));
	if (n <= used)
		return -ENOMEM;
	bigger = kvmalloc_array(n, size, GFP_KERNEL_ACCOUNT);
	if (!bigger)
		return -ENOMEM;
	if (used)
		memcpy(bigger, *a, used * size);
	kvfree(*a);
	*a = bigger;
	*cap = n;
	return 0;
}
