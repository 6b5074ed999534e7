/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nstree: user API of the nstree module.
 *
 * Two interfaces live here:
 *  - the control device /dev/nstree, ioctl magic NSTREE_IOC_MAGIC (0xB8, numbers
 *    0x40-0x5f, free in Documentation/userspace-api/ioctl/ioctl-number.rst);
 *  - the nsfs-compatible ioctls on nstreefs files, which are upstream's
 *    <linux/nsfs.h> numbers (magic 0xb7) and are repeated here under their upstream
 *    names, guarded so this header can be included next to a newer <linux/nsfs.h>.
 *
 * Every control struct starts with a __u32 size that user space sets to
 * sizeof(struct) as it knows it. The module accepts any size from the first
 * version's (the _SIZE_VER0 constant) up to a page: bytes it does not know must be
 * zero (else E2BIG), fields it does not know are left alone when it copies out.
 * Reserved fields must be zero (else EINVAL). The header is valid C and C++.
 */
#ifndef _UAPI_NSTREE_H
#define _UAPI_NSTREE_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define NSTREE_DEVICE		"/dev/nstree"
#define NSTREE_IOC_MAGIC	0xB8
#define NSTREE_ABI_VERSION	1

/**
 * struct nstree_version - what NSTREE_IOC_VERSION reports
 * @size: in: sizeof(struct nstree_version) as the caller knows it
 * @abi: out: NSTREE_ABI_VERSION of the module
 * @features: out: NSTREE_FEATURE_* bits the module implements
 * @module_version: out: NUL-terminated version string of the module
 */
struct nstree_version {
	__u32 size;
	__u32 abi;
	__u64 features;
	char module_version[32];
};
#define NSTREE_VERSION_SIZE_VER0	48

#define NSTREE_FEATURE_IDS	(1ULL << 0)	/* NSTREE_IOC_NS_ID, NSTREE_IOC_OPEN */

#define NSTREE_IOC_VERSION	_IOWR(NSTREE_IOC_MAGIC, 0x40, struct nstree_version)

#endif /* _UAPI_NSTREE_H */
