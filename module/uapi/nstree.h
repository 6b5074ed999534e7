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
#include <linux/nsfs.h>

#define NSTREE_DEVICE		"/dev/nstree"
#define NSTREEFS_MAGIC		0x6e737472	/* f_type of nstreefs files ("nstr") */
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
#define NSTREE_FEATURE_MNT_NS_INFO (1ULL << 1)	/* NS_MNT_GET_INFO/NEXT/PREV on nstreefs */
#define NSTREE_FEATURE_LISTNS	(1ULL << 2)	/* NSTREE_IOC_LISTNS */
#define NSTREE_FEATURE_HANDLES	(1ULL << 3)	/* file handles, NSTREE_IOC_OPEN_HANDLE/ROOT */
#define NSTREE_FEATURE_PROCS	(1ULL << 4)	/* NSTREE_IOC_PROCS */
#define NSTREE_FEATURE_NS_INFO	(1ULL << 5)	/* NSTREE_IOC_NS_INFO */
#define NSTREE_FEATURE_CMDLINES	(1ULL << 6)	/* NSTREE_IOC_CMDLINES */
#define NSTREE_FEATURE_SUPERS	(1ULL << 7)	/* NSTREE_IOC_SUPERS */
#define NSTREE_FEATURE_HOLDERS	(1ULL << 8)	/* NSTREE_IOC_HOLDERS */
/* NSTREE_HOLDERS_UNIX, NSTREE_SUPERS_SWAPFILES */
#define NSTREE_FEATURE_HOLDERS_UNIX	(1ULL << 9)
#define NSTREE_FEATURE_HOLDERS_IO_URING	(1ULL << 10)	/* NSTREE_HOLDERS_IO_URING */
#define NSTREE_FEATURE_WATCH	(1ULL << 11)	/* NSTREE_IOC_WATCH */
/*
 * Upstream's API for unmodified programs (module parameter upstream_api): NS_GET_ID
 * and nsfs file handles for every program, listns(2) for those that run under a
 * seccomp filter trapping it with NSTREE_COMPAT_SECCOMP_DATA (nstree compat).
 */
#define NSTREE_FEATURE_UPSTREAM_API	(1ULL << 12)
/* SECCOMP_RET_TRAP data of system call 470 that the module answers as listns(2) */
#define NSTREE_COMPAT_SECCOMP_DATA	0x6e73

#define NSTREE_IOC_VERSION	_IOWR(NSTREE_IOC_MAGIC, 0x40, struct nstree_version)

/**
 * struct nstree_ns_id - the ID of the namespace behind an fd
 * @size: in: sizeof(struct nstree_ns_id) as the caller knows it
 * @fd: in: a kernel nsfs fd (/proc/PID/ns/TYPE, a bind mount of one, an fd from
 *	NS_GET_USERNS...) or an nstreefs fd
 * @ns_id: out: the namespace's 64-bit ID
 * @ns_type: out: its CLONE_NEW* type
 * @ns_inum: out: its inode number (st_ino of /proc/PID/ns/TYPE)
 * @reserved: must be zero
 *
 * Errors: EBADF for a bad @fd, EINVAL when @fd is not a namespace.
 */
struct nstree_ns_id {
	__u32 size;
	__s32 fd;
	__u64 ns_id;
	__u32 ns_type;
	__u32 ns_inum;
	__u64 reserved;
};

#define NSTREE_NS_ID_SIZE_VER0	32

#define NSTREE_IOC_NS_ID	_IOWR(NSTREE_IOC_MAGIC, 0x41, struct nstree_ns_id)

/**
 * struct nstree_open - open a namespace by ID, or turn an fd into another kind
 * @size: sizeof(struct nstree_open) as the caller knows it
 * @flags: NSTREE_OPEN_*
 * @ns_id: the namespace to open (without NSTREE_OPEN_BY_FD)
 * @fd: with NSTREE_OPEN_BY_FD: an nstreefs or kernel nsfs fd to reopen
 * @ns_type: 0, or the CLONE_NEW* type the namespace must have
 * @reserved: must be zero
 *
 * Returns a new O_CLOEXEC fd: an nstreefs file, or with NSTREE_OPEN_NSFS a kernel
 * nsfs file (the "bridge": setns() and nsenter accept it). Opening by ID follows
 * upstream's file-handle rule: a caller that does not use the namespace needs
 * CAP_SYS_ADMIN in the initial user namespace and to be in the initial pid
 * namespace. To a caller without that, a namespace it may not open does not
 * exist: ENOENT, as for an unknown ID, so that IDs cannot be probed. Opening by fd
 * needs nothing: the fd is the permission.
 * Errors: ENOENT for an unknown or dead ID, a type mismatch or a namespace the
 * caller may not open, EINVAL for unknown flags, a bad type or non-zero reserved
 * fields, EBADF for a bad fd (O_PATH fds included), ENOMEM.
 */
struct nstree_open {
	__u32 size;
	__u32 flags;
	__u64 ns_id;
	__s32 fd;
	__u32 ns_type;
	__u64 reserved;
};

#define NSTREE_OPEN_SIZE_VER0	32

#define NSTREE_OPEN_NSFS	(1U << 0)	/* return a kernel nsfs fd */
#define NSTREE_OPEN_BY_FD	(1U << 1)	/* reopen @fd instead of looking up @ns_id */

#define NSTREE_IOC_OPEN		_IOW(NSTREE_IOC_MAGIC, 0x42, struct nstree_open)

/**
 * struct nstree_listns - NSTREE_IOC_LISTNS: upstream's listns(2), as an ioctl
 * @size: sizeof(struct nstree_listns) as the caller knows it
 * @flags: listns(2)'s flags argument: must be 0 (EINVAL)
 * @req: user pointer to upstream's struct ns_id_req (byte for byte)
 * @ns_ids: user pointer to an array of __u64 that receives the IDs
 * @nr_ns_ids: its length (at most 1,000,000: EOVERFLOW)
 *
 * Returns the number of IDs written, ascending. Same checks, order and errors as
 * listns(2); a fault while writing the IDs returns EFAULT, never a partial count.
 * Pagination follows upstream's fix of April 2026: a page after a cursor starts at
 * the next active namespace of the tree (upstream 7.0 gave ENOENT when the next one
 * was inactive); ENOENT when no active namespace follows the cursor, U64_MAX
 * included. nr_ns_ids 0 still checks the whole request, owner and start included.
 */
struct nstree_listns {
	__u32 size;
	__u32 flags;
	__u64 req;
	__u64 ns_ids;
	__u64 nr_ns_ids;
};

#define NSTREE_LISTNS_SIZE_VER0	32

#define NSTREE_IOC_LISTNS	_IOW(NSTREE_IOC_MAGIC, 0x43, struct nstree_listns)

/**
 * struct nstree_open_handle - NSTREE_IOC_OPEN_HANDLE: open_by_handle_at() with
 * upstream's nsfs rules alone
 * @size: sizeof(struct nstree_open_handle) as the caller knows it
 * @flags: NSTREE_OPEN_NSFS to get a kernel nsfs fd instead of an nstreefs fd
 * @handle: user pointer to a struct file_handle (handle_bytes, handle_type, f_handle)
 *	from name_to_handle_at() on an nstreefs file
 * @open_flags: open(2) flags, as open_by_handle_at() takes them
 * @reserved: must be zero
 *
 * On 6.1 and 6.12 open_by_handle_at(2) demands CAP_DAC_READ_SEARCH, which upstream
 * waives for nsfs handles; this ioctl applies upstream's checks only. Errors are
 * open_by_handle_at's: EINVAL for a bad handle size or type, ESTALE for every
 * handle that does not name an active namespace the caller may open, EPERM,
 * EINVAL or ENOTDIR for open flags nsfs refuses.
 */
struct nstree_open_handle {
	__u32 size;
	__u32 flags;
	__u64 handle;
	__u32 open_flags;
	__u32 reserved;
};

#define NSTREE_OPEN_HANDLE_SIZE_VER0	24

#define NSTREE_IOC_OPEN_HANDLE	_IOW(NSTREE_IOC_MAGIC, 0x44, struct nstree_open_handle)
/* The nstreefs root, O_RDONLY|O_CLOEXEC: a mount_fd for open_by_handle_at(). */
#define NSTREE_IOC_ROOT		_IO(NSTREE_IOC_MAGIC, 0x45)

/*
 * Positions in struct nstree_proc's ns_inum[]: upstream's initial-ID order
 * (IPC_NS_INIT_ID 1 ... MNT_NS_INIT_ID 8), minus one.
 */
enum {
	NSTREE_PROC_NS_IPC,
	NSTREE_PROC_NS_UTS,
	NSTREE_PROC_NS_USER,
	NSTREE_PROC_NS_PID,
	NSTREE_PROC_NS_CGROUP,
	NSTREE_PROC_NS_TIME,
	NSTREE_PROC_NS_NET,
	NSTREE_PROC_NS_MNT,
	NSTREE_PROC_NR_NS,
};

/**
 * struct nstree_proc - one process in NSTREE_IOC_PROCS's table
 * @pid: its thread-group ID in the caller's pid namespace
 * @ppid: its real parent's there (0 when the parent is not visible)
 * @uid: its effective uid in the caller's user namespace (the overflow uid when
 *	unmapped): the owner /proc/PID shows
 * @nr_threads: its number of threads
 * @ns_inum: the inode numbers /proc/PID/ns/TYPE show, by NSTREE_PROC_NS_*; 0 for a
 *	type the kernel lacks
 * @comm: its command name, NUL-terminated
 */
struct nstree_proc {
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	__u32 nr_threads;
	__u32 ns_inum[NSTREE_PROC_NR_NS];
	char comm[16];
};

/**
 * struct nstree_procs - NSTREE_IOC_PROCS: every process and its namespaces at once
 * @size: sizeof(struct nstree_procs) as the caller knows it
 * @flags: 0, or NSTREE_PROCS_SHARD
 * @procs: user pointer to an array of struct nstree_proc
 * @nr_procs: its length (at most 4,194,304: EOVERFLOW)
 * @proc_size: sizeof(struct nstree_proc) as the caller knows it: must be 64
 * @shard: with NSTREE_PROCS_SHARD, the share asked for, below @nr_shards; else 0
 * @nr_shards: with NSTREE_PROCS_SHARD, 1 to NSTREE_PROCS_SHARDS_MAX; else 0
 *
 * What a walk over /proc/PID/stat and /proc/PID/ns/TYPE would give, in one call:
 * every process of the caller's pid namespace that has namespaces (not an exiting
 * one) and that the caller's /proc shows it: a process hidden by /proc's hidepid=
 * gets no row, and one whose /proc/PID/ns links the caller may not read (ptrace
 * access, LSMs included) a row with all ns_inum 0. Needs what seeing every
 * namespace needs (CAP_SYS_ADMIN in the initial user namespace, in the initial pid
 * namespace), and a procfs of the caller's pid namespace mounted at /proc: EPERM
 * otherwise, and user space walks /proc instead.
 * Returns the number of processes; only the first @nr_procs are written, so a
 * result above @nr_procs means "call again with a larger array". A fault while
 * writing returns EFAULT, never a partial count.
 *
 * With NSTREE_PROCS_SHARD only the processes whose pid (in the caller's pid
 * namespace) modulo @nr_shards is @shard: the checks /proc makes cost a path walk
 * for each process, and calls for every shard, one per CPU and at once, share that
 * work; together they give the table of one call. A module older than the flag
 * refuses it with EINVAL.
 */
struct nstree_procs {
	__u32 size;
	__u32 flags;
	__u64 procs;
	__u32 nr_procs;
	__u32 proc_size;
	__u32 shard;
	__u32 nr_shards;
};

#define NSTREE_PROCS_SIZE_VER0		32
#define NSTREE_PROCS_MAX		(1U << 22)
#define NSTREE_PROCS_SHARD		(1U << 0)
#define NSTREE_PROCS_SHARDS_MAX		1024

#define NSTREE_IOC_PROCS	_IOW(NSTREE_IOC_MAGIC, 0x46, struct nstree_procs)

/**
 * struct nstree_ns_info - one namespace in NSTREE_IOC_NS_INFO's array
 * @ns_id: in: the ID (from NSTREE_IOC_LISTNS)
 * @ns_type: out: its CLONE_NEW* type; 0 when the ID names no live namespace
 * @ns_inum: out: its inode number
 * @owner_inum: out: what NS_GET_USERNS would name (for a user namespace, its
 *	parent); 0 for none
 * @parent_inum: out: what NS_GET_PARENT would name, pid and user namespaces only;
 *	0 for none
 * @owner_uid: out: NS_GET_OWNER_UID of a user namespace (valid with
 *	NSTREE_NS_INFO_OWNER_UID)
 * @flags: out: NSTREE_NS_INFO_*
 */
struct nstree_ns_info {
	__u64 ns_id;
	__u32 ns_type;
	__u32 ns_inum;
	__u32 owner_inum;
	__u32 parent_inum;
	__u32 owner_uid;
	__u32 flags;
};

#define NSTREE_NS_INFO_OWNER_UID	(1U << 0)

/**
 * struct nstree_ns_infos - NSTREE_IOC_NS_INFO: what the nsfs ioctls on an open
 * namespace would say, for many IDs at once
 * @size: sizeof(struct nstree_ns_infos) as the caller knows it
 * @flags: must be 0
 * @infos: user pointer to an array of struct nstree_ns_info, ns_id filled in;
 *	every other field must be zero (EINVAL)
 * @nr_infos: its length (at most 1,000,000: EOVERFLOW)
 * @info_size: sizeof(struct nstree_ns_info) as the caller knows it: must be 32
 * @reserved: must be zero
 *
 * Needs what opening any namespace by ID needs (CAP_SYS_ADMIN in the initial user
 * namespace, in the initial pid namespace): EPERM otherwise. Returns the number of
 * IDs that named a live namespace. The array is read whole, checked, described and
 * written back whole: EFAULT for an array the caller cannot read and write.
 */
struct nstree_ns_infos {
	__u32 size;
	__u32 flags;
	__u64 infos;
	__u32 nr_infos;
	__u32 info_size;
	__u64 reserved;
};

#define NSTREE_NS_INFOS_SIZE_VER0	32
#define NSTREE_NS_INFO_MAX		1000000

#define NSTREE_IOC_NS_INFO	_IOW(NSTREE_IOC_MAGIC, 0x47, struct nstree_ns_infos)

/**
 * struct nstree_cmdline - one process in NSTREE_IOC_CMDLINES's array
 * @pid: in: a process ID in the caller's pid namespace
 * @len: out: bytes of its command line at @offset in the buffer; 0 for a process
 *	without one (a kernel thread, an exiting process, no such process)
 * @offset: out: where in the buffer they start
 */
struct nstree_cmdline {
	__u32 pid;
	__u32 len;
	__u64 offset;
};

/**
 * struct nstree_cmdlines - NSTREE_IOC_CMDLINES: what /proc/PID/cmdline says, for many
 * processes at once
 * @size: sizeof(struct nstree_cmdlines) as the caller knows it
 * @flags: must be 0
 * @procs: user pointer to an array of struct nstree_cmdline, pid filled in; len
 *	and offset must be zero (EINVAL)
 * @nr_procs: its length (at most 4,194,304: EOVERFLOW)
 * @max_len: bytes kept of each command line, 1 to 65,536 (EINVAL otherwise);
 *	/proc/PID/cmdline's first @max_len bytes, NULs between the arguments
 * @buf: user pointer to the buffer the command lines are written to, back to back
 * @buf_size: its size: at least @max_len (EINVAL), at most 16 MiB are used
 *
 * Needs what NSTREE_IOC_PROCS needs: EPERM otherwise. A process the caller's /proc
 * hides (hidepid=) has no command line here either. Returns how many entries,
 * from the first, were read; fewer than @nr_procs when the buffer filled up, so the
 * caller calls again with the rest. Nothing is written before everything is read,
 * and the array is written last: EFAULT for an array or buffer the caller cannot
 * read or write, with the array as it was unless only the array was bad.
 */
struct nstree_cmdlines {
	__u32 size;
	__u32 flags;
	__u64 procs;
	__u32 nr_procs;
	__u32 max_len;
	__u64 buf;
	__u64 buf_size;
};

#define NSTREE_CMDLINES_SIZE_VER0	40
#define NSTREE_CMDLINES_MAX		(1U << 22)
#define NSTREE_CMDLINE_MAX_LEN		65536
#define NSTREE_CMDLINES_BUF_MAX		(16U << 20)

#define NSTREE_IOC_CMDLINES	_IOW(NSTREE_IOC_MAGIC, 0x48, struct nstree_cmdlines)

/**
 * struct nstree_super - one superblock in NSTREE_IOC_SUPERS's array
 * @dev_major: major of its s_dev (what st_dev and mountinfo's MAJ:MIN show)
 * @dev_minor: minor of its s_dev
 * @flags: NSTREE_SUPER_*
 * @active: its s_active: one for each of its mounts, attached or not, and one
 *	for each other holder of an active reference (a pending mount, a kernel user)
 * @magic: its s_magic (statfs's f_type)
 * @blocks: statfs's f_blocks (valid with NSTREE_SUPER_STATFS)
 * @bfree: statfs's f_bfree
 * @frsize: statfs's f_frsize (f_bsize where the filesystem leaves it 0)
 * @files: statfs's f_files
 * @ffree: statfs's f_ffree
 * @dirty_bytes: bytes of dirty page cache waiting for writeback on its backing
 *	device (the whole device: partitions share it); 0 without one
 * @writeback_bytes: bytes under writeback on that device
 * @id: its s_id (the block device's name, or the filesystem's), NUL-terminated
 */
struct nstree_super {
	__u32 dev_major;
	__u32 dev_minor;
	__u32 flags;
	__u32 active;
	__u64 magic;
	__u64 blocks;
	__u64 bfree;
	__u64 frsize;
	__u64 files;
	__u64 ffree;
	__u64 dirty_bytes;
	__u64 writeback_bytes;
	char id[32];
};

/* made by kern_mount(): internal, never in a namespace */
#define NSTREE_SUPER_KERNMOUNT	(1U << 0)
#define NSTREE_SUPER_BDEV	(1U << 1)	/* on a block device */
#define NSTREE_SUPER_RDONLY	(1U << 2)	/* mounted read-only */
#define NSTREE_SUPER_STATFS	(1U << 3)	/* blocks..ffree are valid */
/* swapon(2) uses a file on it (asked with NSTREE_SUPERS_SWAPFILES) */
#define NSTREE_SUPER_SWAPFILE	(1U << 4)

/**
 * struct nstree_supers - NSTREE_IOC_SUPERS: every superblock of one filesystem type
 * @size: sizeof(struct nstree_supers) as the caller knows it
 * @flags: 0, or NSTREE_SUPERS_STATFS to have each superblock's statfs asked (a
 *	filesystem whose statfs waits for a server or a daemon makes the call wait),
 *	NSTREE_SUPERS_SWAPFILES to have the inodes of each superblock that is not
 *	internal looked through for an active swap file (NSTREE_SUPER_SWAPFILE)
 * @fstype: user pointer to the type's name, NUL-terminated, at most 63 bytes
 *	(EINVAL otherwise): a name /proc/filesystems lists. A name it does not list
 *	gets ENODEV, after the kernel tried to load the module for it as mount(2)
 *	would ("fs-NAME")
 * @supers: user pointer to an array of struct nstree_super
 * @nr_supers: its length (at most 1,048,576: EOVERFLOW)
 * @super_size: sizeof(struct nstree_super) as the caller knows it: must be 112
 *
 * Needs what NSTREE_IOC_PROCS needs (EPERM otherwise): superblocks are the whole
 * system's. What no mount namespace can reach, mount tables do not show; this does.
 * Returns the number of superblocks of the type that are alive (born, not dying);
 * only the first @nr_supers are written, so a result above @nr_supers means "call
 * again with a larger array". EFAULT for an array the caller cannot write.
 */
struct nstree_supers {
	__u32 size;
	__u32 flags;
	__u64 fstype;
	__u64 supers;
	__u32 nr_supers;
	__u32 super_size;
};

#define NSTREE_SUPERS_SIZE_VER0		32
#define NSTREE_SUPERS_MAX		(1U << 20)
#define NSTREE_SUPERS_STATFS		(1U << 0)
#define NSTREE_SUPERS_SWAPFILES		(1U << 1)
#define NSTREE_FSTYPE_MAX		64

#define NSTREE_IOC_SUPERS	_IOW(NSTREE_IOC_MAGIC, 0x49, struct nstree_supers)

/**
 * struct nstree_holder - one reference a process holds, in NSTREE_IOC_HOLDERS's array
 * @pid: the process (its thread group) in the caller's pid namespace
 * @kind: NSTREE_HOLDER_FD, _MAP, _CWD, _ROOT, _EXE, or one of the references held
 *	through another file: _INFLIGHT, _UNIX_BOUND, _IO_URING
 * @fd: NSTREE_HOLDER_FD: the descriptor's number; for _INFLIGHT and _UNIX_BOUND
 *	the unix socket's, for _IO_URING the ring's; 0 otherwise
 * @flags: why it is reported (NSTREE_HOLDER_IN_DEVS, _DETACHED, _MNTNS), or
 *	NSTREE_HOLDER_BUSY for what could not be looked into
 * @dev_major: major of the file's superblock's s_dev (for a mapping, of the mapped
 *	inode's, as /proc/PID/maps shows it)
 * @dev_minor: its minor
 * @ino: the file's inode number (_INFLIGHT: of the file in flight; _UNIX_BOUND: of
 *	the socket's name in the filesystem; _IO_URING: of the registered file)
 * @start: NSTREE_HOLDER_MAP: the first address of the mapping;
 *	NSTREE_HOLDER_IO_URING: the index of the registered file
 * @end: NSTREE_HOLDER_MAP: the address after its last
 * @access: NSTREE_ACCESS_* bits: for an fd its open mode, for a mapping its
 *	protection and whether it is shared
 * @mnt_id: the ID of the mount it was reached through (statx()'s STATX_MNT_ID);
 *	0 for a mapping, and where the module was built without the kernel's
 *	private fs/mount.h
 */
struct nstree_holder {
	__u32 pid;
	__u32 kind;
	__u32 fd;
	__u32 flags;
	__u32 dev_major;
	__u32 dev_minor;
	__u64 ino;
	__u64 start;
	__u64 end;
	__u32 access;
	__u32 mnt_id;
};

#define NSTREE_HOLDER_FD	1
#define NSTREE_HOLDER_MAP	2
#define NSTREE_HOLDER_CWD	3
#define NSTREE_HOLDER_ROOT	4
#define NSTREE_HOLDER_EXE	5
/* a file sent with SCM_RIGHTS, queued on a unix socket the process holds */
#define NSTREE_HOLDER_INFLIGHT	6
/* the name a unix socket the process holds is bound to */
#define NSTREE_HOLDER_UNIX_BOUND 7
/* a file registered with an io_uring the process holds (IORING_REGISTER_FILES) */
#define NSTREE_HOLDER_IO_URING	8

/* its superblock is one of the request's @devs */
#define NSTREE_HOLDER_IN_DEVS	(1U << 0)
/*
 * its mount is in no mount namespace (umount -l, a torn-down namespace; a mount
 * of an anonymous one, from open_tree() or fsmount(), is not detached); asked
 * with NSTREE_HOLDERS_DETACHED; never for a mapping
 */
#define NSTREE_HOLDER_DETACHED	(1U << 1)
/* an nsfs or nstreefs file of a mount namespace (it keeps that namespace alive) */
#define NSTREE_HOLDER_MNTNS	(1U << 2)
/*
 * _INFLIGHT, _UNIX_BOUND or _IO_URING only, with no file: the socket or ring at
 * @fd was busy (its owner held its lock throughout), so what it holds was not
 * looked into
 */
#define NSTREE_HOLDER_BUSY	(1U << 3)

#define NSTREE_ACCESS_READ	(1U << 0)
#define NSTREE_ACCESS_WRITE	(1U << 1)
#define NSTREE_ACCESS_EXEC	(1U << 2)	/* a mapping only */
#define NSTREE_ACCESS_SHARED	(1U << 3)	/* a mapping only: MAP_SHARED */

/**
 * struct nstree_holders - NSTREE_IOC_HOLDERS: what processes hold of some filesystems
 * @size: sizeof(struct nstree_holders) as the caller knows it
 * @flags: NSTREE_HOLDERS_MAPS to look at file mappings too, NSTREE_HOLDERS_DETACHED
 *	to report fds, cwds, roots and exes on a mount that is in no namespace
 *	(EOPNOTSUPP from a module built without the kernel's private fs/mount.h),
 *	NSTREE_HOLDERS_UNIX to look into the unix sockets the processes hold (files
 *	queued with SCM_RIGHTS one level deep, the name a socket is bound to),
 *	NSTREE_HOLDERS_IO_URING into their io_urings' registered files (EOPNOTSUPP
 *	where the module was built without NSTREE_FEATURE_HOLDERS_IO_URING)
 * @devs: user pointer to @nr_devs superblock device numbers, each
 *	(major << 32 | minor): every fd, cwd, root, exe (and, with
 *	NSTREE_HOLDERS_MAPS, mapping) on one of them is reported
 * @nr_devs: their number (at most 65,536: EOVERFLOW)
 * @holder_size: sizeof(struct nstree_holder) as the caller knows it: must be 56
 * @holders: user pointer to an array of struct nstree_holder
 * @nr_holders: its length (at most 1,048,576: EOVERFLOW)
 * @reserved: 0 (EINVAL otherwise)
 *
 * One pass over every thread, as lsof's reads of /proc/PID/fd, cwd, root, exe and
 * maps would be, but reporting only what was asked for, and nsfs or nstreefs files
 * of mount namespaces always. Threads that share their leader's files, fs or mm are
 * not reported twice. Files on kern_mount()ed filesystems (pipes, sockets, memfd,
 * anonymous inodes) are never reported otherwise. Needs what NSTREE_IOC_PROCS
 * needs (EPERM otherwise). Returns how many references were found; only the first
 * @nr_holders are written, so a result above @nr_holders means "call again with a
 * larger array". EFAULT for an array the caller cannot read or write.
 */
struct nstree_holders {
	__u32 size;
	__u32 flags;
	__u64 devs;
	__u32 nr_devs;
	__u32 holder_size;
	__u64 holders;
	__u32 nr_holders;
	__u32 reserved;
};

#define NSTREE_HOLDERS_SIZE_VER0	40
#define NSTREE_HOLDERS_DEVS_MAX		(1U << 16)
#define NSTREE_HOLDERS_MAX		(1U << 20)
#define NSTREE_HOLDERS_MAPS		(1U << 0)
#define NSTREE_HOLDERS_DETACHED		(1U << 1)
#define NSTREE_HOLDERS_UNIX		(1U << 2)
#define NSTREE_HOLDERS_IO_URING		(1U << 3)

#define NSTREE_IOC_HOLDERS	_IOW(NSTREE_IOC_MAGIC, 0x4a, struct nstree_holders)

/**
 * struct nstree_watch - NSTREE_IOC_WATCH: a stream of namespace lifecycle events
 * @size: sizeof(struct nstree_watch)
 * @flags: NSTREE_WATCH_* below
 * @ns_type: CLONE_NEW* bits of the types wanted, 0 for all (EOPNOTSUPP for others)
 * @capacity: events the reader's ring holds, 0 for NSTREE_WATCH_DEFAULT_CAPACITY;
 *	EINVAL outside [NSTREE_WATCH_MIN_CAPACITY, NSTREE_WATCH_MAX_CAPACITY]; EPERM
 *	above the default for a caller that may not see all namespaces
 * @reserved: must be zero
 *
 * Returns a new file descriptor, close-on-exec, that read() and poll() serve:
 * each read() returns whole struct nstree_watch_event records (EINVAL for a buffer
 * smaller than one), blocking until one is there unless the fd is O_NONBLOCK
 * (NSTREE_WATCH_NONBLOCK, or fcntl() later). Events are in the order they happened
 * (@seq grows by one per event the module made, whoever received it). When the
 * ring is full, later events are dropped and one NSTREE_EVENT_LOST record, in
 * their place, counts them: never a silent gap. A reader receives an event only
 * of a namespace listns() would show it at the moment of the read(): a caller that
 * may see all namespaces gets all, any other its own namespaces only (and only
 * those its opener was in at the open). At most 64 streams of such callers exist at
 * once (ENOSPC). @seq is the module's count, shared by all streams. The fd pins the
 * module: rmmod is refused while one is open.
 */
struct nstree_watch {
	__u32 size;
	__u32 flags;
	__u32 ns_type;
	__u32 capacity;
	__u64 reserved[2];
};

#define NSTREE_WATCH_SIZE_VER0		32
#define NSTREE_WATCH_INITIAL		(1U << 0)	/* first a _PRESENT per namespace */
#define NSTREE_WATCH_ACTIVITY		(1U << 1)	/* also _ACTIVE and _INACTIVE */
#define NSTREE_WATCH_NONBLOCK		(1U << 2)	/* the fd is O_NONBLOCK */
#define NSTREE_WATCH_DEFAULT_CAPACITY	4096
#define NSTREE_WATCH_MIN_CAPACITY	4
#define NSTREE_WATCH_MAX_CAPACITY	(1U << 16)

#define NSTREE_EVENT_PRESENT	1	/* existed when the stream began (NSTREE_WATCH_INITIAL) */
#define NSTREE_EVENT_CREATED	2	/* the module saw it born */
#define NSTREE_EVENT_ACTIVE	3	/* became active again (listns() shows it) */
#define NSTREE_EVENT_INACTIVE	4	/* went inactive: alive, but hidden from listns() */
#define NSTREE_EVENT_DIED	5	/* freed: its ID is never seen again */
#define NSTREE_EVENT_LOST	6	/* @lost events were dropped here: the ring was full */

#define NSTREE_EVENT_F_ACTIVE	(1U << 0)	/* _PRESENT, _CREATED: active at the time */
#define NSTREE_EVENT_F_CREATOR	(1U << 1)	/* @pid and @comm name the creating task */

/**
 * struct nstree_watch_event - one record read() from an NSTREE_IOC_WATCH fd
 * @size: sizeof(struct nstree_watch_event) as the module knows it; the reader
 *	steps by this, so later versions may append fields
 * @event: NSTREE_EVENT_*
 * @flags: NSTREE_EVENT_F_*
 * @seq: the event's number; for _LOST the number of the first event dropped
 * @time_ns: CLOCK_REALTIME when the module recorded it
 * @ns_id: the namespace (0 for _LOST)
 * @ns_type: its CLONE_NEW* type
 * @ns_inum: its inode number
 * @owner_id: ID of its owning user namespace, 0 if none or not recorded (only
 *	_PRESENT and _CREATED record it)
 * @parent_id: ID of its parent (pid and user namespaces), as @owner_id
 * @lost: for _LOST, how many events were dropped
 * @pid: for _CREATED with NSTREE_EVENT_F_CREATOR, the creating process as the
 *	reader's pid namespace numbers it (0 when it has no number there)
 * @comm: likewise, its command name
 * @reserved: zero
 */
struct nstree_watch_event {
	__u32 size;
	__u16 event;
	__u16 flags;
	__u64 seq;
	__u64 time_ns;
	__u64 ns_id;
	__u32 ns_type;
	__u32 ns_inum;
	__u64 owner_id;
	__u64 parent_id;
	__u64 lost;
	__s32 pid;
	char comm[16];
	__u32 reserved[3];
};

#define NSTREE_WATCH_EVENT_SIZE_VER0	96

#define NSTREE_IOC_WATCH	_IOW(NSTREE_IOC_MAGIC, 0x4b, struct nstree_watch)

/*
 * Upstream <linux/nsfs.h> constants the nstreefs files implement, for headers
 * older than the kernel that introduced them (values are upstream's ABI).
 */
#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID		_IOR(NSIO, 5, __u64)
#endif
#ifndef NS_MNT_GET_INFO
struct mnt_ns_info {
	__u32 size;
	__u32 nr_mounts;
	__u64 mnt_ns_id;
};

#define MNT_NS_INFO_SIZE_VER0	16
#define NS_MNT_GET_INFO		_IOR(NSIO, 10, struct mnt_ns_info)
#define NS_MNT_GET_NEXT		_IOR(NSIO, 11, struct mnt_ns_info)
#define NS_MNT_GET_PREV		_IOR(NSIO, 12, struct mnt_ns_info)
#endif
#ifndef NS_GET_ID
#define NS_GET_ID		_IOR(NSIO, 13, __u64)
#endif
#ifndef NSFS_FILE_HANDLE_SIZE_VER0
struct nsfs_file_handle {
	__u64 ns_id;
	__u32 ns_type;
	__u32 ns_inum;
};

#define NSFS_FILE_HANDLE_SIZE_VER0	16
#define NSFS_FILE_HANDLE_SIZE_LATEST	sizeof(struct nsfs_file_handle)
#endif
#define NSTREE_FILEID_NSFS	0xf1	/* upstream's FILEID_NSFS: nsfs and nstreefs handles */
#if !defined(__KERNEL__) && !defined(FILEID_NSFS)
#define FILEID_NSFS		NSTREE_FILEID_NSFS
#endif
#ifndef NS_ID_REQ_SIZE_VER0
struct ns_id_req {
	__u32 size;
	__u32 spare;
	__u64 ns_id;
	struct /* listns */ {
		__u32 ns_type;
		__u32 spare2;
		__u64 user_ns_id;
	};
};

#define NS_ID_REQ_SIZE_VER0	32
#define LISTNS_CURRENT_USER	0xffffffffffffffffULL
#endif

#endif /* _UAPI_NSTREE_H */
