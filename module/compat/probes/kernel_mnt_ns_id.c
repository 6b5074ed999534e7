// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel numbers mount namespaces itself (NS_GET_MNTNS_ID, statmount(2),
 * listmount(2): 6.12 has them, 6.1 has not). The upstream API layer then leaves
 * the mount namespace commands to it, so they agree with statmount and listmount.
 */
#include <linux/module.h>
#include <uapi/linux/nsfs.h>
#ifndef NS_GET_MNTNS_ID
#error "the kernel has no mount namespace IDs of its own"
#endif
MODULE_LICENSE("GPL");
