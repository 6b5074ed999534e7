// SPDX-License-Identifier: GPL-2.0
/*
 * The control device, /dev/nstree: validation of each request apart from the
 * action it asks for, one handler per ioctl.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
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
static int nstree_copy_in(void *dst, size_t ksize, size_t ver0, const void __user *uarg)
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

static long nstree_ioc_version(void __user *uarg)
{
	struct nstree_version v;
	int ret;

	ret = nstree_copy_in(&v, sizeof(v), NSTREE_VERSION_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (v.abi || v.features || memchr_inv(v.module_version, 0, sizeof(v.module_version)))
		return -EINVAL;

	v.abi = NSTREE_ABI_VERSION;
	v.features = 0;
	strscpy(v.module_version, NSTREE_MODULE_VERSION, sizeof(v.module_version));
	return copy_to_user(uarg, &v, v.size) ? -EFAULT : 0;
}

static long nstree_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case NSTREE_IOC_VERSION:
		return nstree_ioc_version(uarg);
	}
	return -ENOTTY;
}

static const struct file_operations nstree_ctl_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= nstree_ctl_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice nstree_ctl_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "nstree",
	.fops	= &nstree_ctl_fops,
	.mode	= 0666,
};

int nstree_ctl_init(void)
{
	return misc_register(&nstree_ctl_dev);
}

void nstree_ctl_exit(void)
{
	misc_deregister(&nstree_ctl_dev);
}
