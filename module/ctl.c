// SPDX-License-Identifier: GPL-2.0
/*
 * The control device, /dev/nstree: it answers NSTREE_IOC_VERSION itself and hands
 * every other ioctl to the file of its family, which validates the request apart
 * from the action it asks for.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "nstree.h"
#include "holders.h"
#include "compat/compat.h"

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
	v.features = NSTREE_FEATURE_IDS | NSTREE_FEATURE_LISTNS | NSTREE_FEATURE_HANDLES |
		     NSTREE_FEATURE_PROCS | NSTREE_FEATURE_NS_INFO | NSTREE_FEATURE_CMDLINES |
		     NSTREE_FEATURE_SUPERS | NSTREE_FEATURE_HOLDERS | NSTREE_FEATURE_HOLDERS_UNIX |
		     NSTREE_FEATURE_WATCH;
#ifdef NSTREE_HAVE_MNT_NS_INFO
	v.features |= NSTREE_FEATURE_MNT_NS_INFO;
#endif
#ifdef NSTREE_HAVE_IO_URING_HOLDERS
	v.features |= NSTREE_FEATURE_HOLDERS_IO_URING;
#endif
	if (nstree_upstream_api_active())
		v.features |= NSTREE_FEATURE_UPSTREAM_API;
	strscpy(v.module_version, NSTREE_MODULE_VERSION, sizeof(v.module_version));
	return copy_to_user(uarg, &v, v.size) ? -EFAULT : 0;
}

static long nstree_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case NSTREE_IOC_VERSION:
		return nstree_ioc_version(uarg);
	case NSTREE_IOC_NS_ID:
		return nstree_ioc_ns_id(uarg);
	case NSTREE_IOC_OPEN:
		return nstree_ioc_open(uarg);
	case NSTREE_IOC_LISTNS:
		return nstree_ioc_listns(uarg);
	case NSTREE_IOC_OPEN_HANDLE:
		return nstree_ioc_open_handle(uarg);
	case NSTREE_IOC_ROOT:
		return arg ? -EINVAL : nstreefs_open_root();
	case NSTREE_IOC_PROCS:
		return nstree_ioc_procs(uarg);
	case NSTREE_IOC_NS_INFO:
		return nstree_ioc_ns_info(uarg);
	case NSTREE_IOC_CMDLINES:
		return nstree_ioc_cmdlines(uarg);
	case NSTREE_IOC_SUPERS:
		return nstree_ioc_supers(uarg);
	case NSTREE_IOC_HOLDERS:
		return nstree_ioc_holders(uarg);
	case NSTREE_IOC_WATCH:
		return nstree_ioc_watch(uarg);
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
