// SPDX-License-Identifier: GPL-2.0
/*
 * NSTREE_IOC_HOLDERS, the references a process holds through another file it
 * holds, which no /proc file links to the process:
 *  - a file sent with SCM_RIGHTS and not yet received, queued on a unix socket
 *    (NSTREE_HOLDER_INFLIGHT): whoever holds the receiving socket holds the file;
 *  - the name a unix socket is bound to (NSTREE_HOLDER_UNIX_BOUND): the socket
 *    keeps that dentry and its mount;
 *  - a file registered with an io_uring (NSTREE_HOLDER_IO_URING).
 *
 * nstree_holders_look_into() picks those files under the fd table's spinlock,
 * where holders.c takes a reference to each; nstree_holders_indirect() looks into
 * them outside it, under the locks their owners' own readers take. The file
 * reference keeps the socket or the ring; every other reference we follow is
 * one the socket or ring holds, and is read only while the lock that keeps it
 * is held. Nothing here takes a reference that outlives the call (if ours is
 * the last one to a socket or ring, its release runs as we return to user
 * space, as after any close()). Their owners' locks are tried, never waited
 * on for long: one held is reported as busy.
 *
 * Files in flight are looked at one level deep: a socket in flight holding
 * further files, and the connections a listening socket has not accepted yet,
 * are not looked into (Documentation/orphans.md).
 */
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/magic.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <net/af_unix.h>
#include <net/scm.h>
#include <net/sock.h>
#include "nstree.h"
#include "holders.h"
#ifdef NSTREE_HAVE_IO_URING_HOLDERS
#include <linux/io_uring_types.h>
#endif

/* Is @file a unix socket? sock_from_file() checks the socket file_operations. */
static struct sock *nstree_unix_sock(struct file *file)
{
	struct socket *sock;

	if (!S_ISSOCK(file_inode(file)->i_mode))
		return NULL;
	sock = sock_from_file(file);
	if (!sock || !sock->sk || sock->sk->sk_family != AF_UNIX)
		return NULL;
	return sock->sk;
}

/*
 * io_uring's file_operations are not exported: learned from the first file that
 * kallsyms says is one (a data symbol, in kallsyms with CONFIG_KALLSYMS_ALL),
 * then compared. Written once; a reader that sees NULL asks kallsyms itself.
 */
static const struct file_operations *nstree_io_uring_fops;

/* Cheap, under a spinlock: the name io_uring gives its anonymous-inode files. */
static bool nstree_io_uring_candidate(struct file *file)
{
	const struct file_operations *fops = READ_ONCE(nstree_io_uring_fops);

	if (fops)
		return file->f_op == fops;
	return file_inode(file)->i_sb->s_magic == ANON_INODE_FS_MAGIC &&
	       !strcmp(file->f_path.dentry->d_name.name, "[io_uring]");
}

/**
 * nstree_holders_look_into() - whether a file is one the walk looks into
 * @w: the walk, whose flags say what to look into
 * @file: a file of an fd table, under its spinlock
 *
 * Return: true for a unix socket (NSTREE_HOLDERS_UNIX) or what looks like an
 * io_uring (NSTREE_HOLDERS_IO_URING).
 */
bool nstree_holders_look_into(const struct nstree_holders_walk *w, struct file *file)
{
	if ((w->flags & NSTREE_HOLDERS_UNIX) && nstree_unix_sock(file))
		return true;
	return (w->flags & NSTREE_HOLDERS_IO_URING) && nstree_io_uring_candidate(file);
}

/*
 * Another process's lock, without waiting on it for long: iolock is held while a
 * reader copies into its buffer and uring_lock while files are registered from
 * user memory, and that memory may be a FUSE file whose daemon never answers. A
 * few tries a jiffy apart, as io_uring's own fdinfo tries once; a lock still
 * held is reported (nstree_holders_busy()), never waited for.
 */
static int nstree_holders_trylock(struct mutex *lock)
{
	int tries;

	for (tries = 0; tries < 5; tries++) {
		if (mutex_trylock(lock))
			return 0;
		if (schedule_timeout_killable(1) && fatal_signal_pending(current))
			return -EINTR;
	}
	return -EBUSY;
}

/*
 * A socket or ring that could not be looked into (@err -EBUSY): one record with
 * NSTREE_HOLDER_BUSY, so the caller can say what it did not see. Other errors
 * end the walk.
 */
static void nstree_holders_busy(struct nstree_holders_walk *w, u32 kind, unsigned int fd, int err)
{
	struct nstree_holder *h;

	if (err != -EBUSY) {
		w->err = err;
		return;
	}
	h = nstree_holder_slot(w, true);
	if (IS_ERR_OR_NULL(h))
		return;
	h->kind = kind;
	h->fd = fd;
	h->flags = NSTREE_HOLDER_BUSY;
}

/* One record for @f, held through the fd @fd, when it is worth one. */
static bool nstree_holders_add(struct nstree_holders_walk *w, u32 kind, unsigned int fd,
			       struct file *f, bool may_grow)
{
	u32 reason = nstree_holder_reason(w, f, &f->f_path, false);
	struct nstree_holder *h;

	if (!reason)
		return true;
	h = nstree_holder_slot(w, may_grow);
	if (!h)
		return false;
	if (!IS_ERR(h)) {
		nstree_holder_fill(h, kind, reason, file_inode(f), &f->f_path);
		h->fd = fd;
		h->access = nstree_file_access(f);
	}
	return true;
}

/*
 * The name @sk is bound to: u->path is set once, by bind(), under bindlock, and
 * kept until the socket is released, which our file reference prevents.
 */
static void nstree_holders_unix_bound(struct nstree_holders_walk *w, unsigned int fd,
				      struct sock *sk)
{
	struct unix_sock *u = unix_sk(sk);
	struct nstree_holder *h;
	struct path path = {};
	u32 reason;
	int err;

	err = nstree_holders_trylock(&u->bindlock);
	if (err) {
		nstree_holders_busy(w, NSTREE_HOLDER_UNIX_BOUND, fd, err);
		return;
	}
	if (u->path.dentry) {
		path = u->path;
		path_get(&path);
	}
	mutex_unlock(&u->bindlock);
	if (!path.dentry)
		return;
	reason = nstree_holder_reason(w, NULL, &path, false);
	h = reason ? nstree_holder_slot(w, true) : NULL;
	if (!IS_ERR_OR_NULL(h)) {
		nstree_holder_fill(h, NSTREE_HOLDER_UNIX_BOUND, reason, d_inode(path.dentry),
				   &path);
		h->fd = fd;
	}
	path_put(&path);
}

/*
 * One walk of @sk's receive queue, under its lock: a record for each queued file
 * that matters while there is room (none is made past the array's end, nothing
 * grows under a spinlock); returns how many more did not fit.
 */
static size_t nstree_holders_queue(struct nstree_holders_walk *w, unsigned int fd,
				   struct sock *sk)
{
	size_t missed = 0;
	struct sk_buff *skb;
	int i;

	spin_lock(&sk->sk_receive_queue.lock);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		struct scm_fp_list *fpl = UNIXCB(skb).fp;

		for (i = 0; fpl && i < fpl->count; i++) {
			struct file *f = fpl->fp[i];

			if (missed)
				missed += !!nstree_holder_reason(w, f, &f->f_path, false);
			else if (!nstree_holders_add(w, NSTREE_HOLDER_INFLIGHT, fd, f, false))
				missed = 1;
		}
	}
	spin_unlock(&sk->sk_receive_queue.lock);
	return missed;
}

/*
 * The files queued on @sk's receive queue with SCM_RIGHTS. A receiver takes the
 * files off a queued skb (unix_detach_fds()) with iolock held, and skbs leave the
 * queue (received, dropped on disconnect, or collected by the garbage collector)
 * under the queue's lock: with both held, every skb on the queue and the files
 * its scm_fp_list holds stay. When the array is too short, this socket's records
 * are taken back, the array grows by what did not fit, and the queue is walked
 * once more (again only if it grew meanwhile).
 */
static void nstree_holders_inflight(struct nstree_holders_walk *w, unsigned int fd,
				    struct sock *sk)
{
	size_t used = w->used, found = w->found, missed;
	int err;

	do {
		err = nstree_holders_trylock(&unix_sk(sk)->iolock);
		if (err) {
			nstree_holders_busy(w, NSTREE_HOLDER_INFLIGHT, fd, err);
			return;
		}
		missed = nstree_holders_queue(w, fd, sk);
		mutex_unlock(&unix_sk(sk)->iolock);
		if (missed) {
			/* Room for what fit and what did not, from where this socket began. */
			w->err = nstree_holders_reserve(w, missed);
			w->used = used;
			w->found = found;
		}
	} while (missed && !w->err);
}

#ifdef NSTREE_HAVE_IO_URING_HOLDERS
/* Where we may sleep: is @file really an io_uring (its private_data a ring)? */
static bool nstree_io_uring_file(struct file *file)
{
	const struct file_operations *fops = READ_ONCE(nstree_io_uring_fops);
	char name[KSYM_SYMBOL_LEN];

	if (fops)
		return file->f_op == fops;
	sprint_symbol_no_offset(name, (unsigned long)file->f_op);
	if (strcmp(name, "io_uring_fops"))
		return false;
	WRITE_ONCE(nstree_io_uring_fops, file->f_op);
	return true;
}

/*
 * The files registered with the ring behind @file. Our reference to @file keeps
 * the ring (io_uring_release() tears it down on the last fput()); the table and
 * its length change only under uring_lock (registering, unregistering, and
 * installing or removing a fixed file all take it), and each slot holds a
 * reference to its file. Records may grow the array here: io_uring allocates
 * under this mutex too. A ring may have a million slots: we reschedule, and stop
 * for a fatal signal.
 */
static void nstree_holders_io_uring(struct nstree_holders_walk *w, unsigned int fd,
				    struct file *file)
{
	struct io_ring_ctx *ctx = file->private_data;
	unsigned int i;
	int err;

	if (!nstree_io_uring_file(file))
		return;
	err = nstree_holders_trylock(&ctx->uring_lock);
	if (err) {
		nstree_holders_busy(w, NSTREE_HOLDER_IO_URING, fd, err);
		return;
	}
	for (i = 0; i < ctx->nr_user_files && !w->err; i++) {
		/*
		 * io_uring keeps flags (FFS_NOWAIT, FFS_ISREG) in the low bits of the
		 * pointer; struct file is cache-line aligned, so three bits are spare.
		 */
		struct file *f = (struct file *)(ctx->file_table.files[i].file_ptr & ~7UL);
		size_t before = w->used;

		if (!f)
			continue;
		if (!nstree_holders_add(w, NSTREE_HOLDER_IO_URING, fd, f, true))
			break;
		if (w->used != before)
			w->a[before].start = i;
		if (fatal_signal_pending(current))
			w->err = -EINTR;
		cond_resched();
	}
	mutex_unlock(&ctx->uring_lock);
}
#else
static void nstree_holders_io_uring(struct nstree_holders_walk *w, unsigned int fd,
				    struct file *file)
{
}
#endif

/**
 * nstree_holders_indirect() - the references held through one file
 * @w: the walk
 * @fd: the descriptor @file was found at
 * @file: a file nstree_holders_look_into() picked; the caller holds a reference
 *
 * May sleep. Errors (a fatal signal, no memory) are left in @w->err.
 */
void nstree_holders_indirect(struct nstree_holders_walk *w, unsigned int fd, struct file *file)
{
	struct sock *sk = nstree_unix_sock(file);

	if (sk) {
		nstree_holders_unix_bound(w, fd, sk);
		if (!w->err)
			nstree_holders_inflight(w, fd, sk);
		return;
	}
	nstree_holders_io_uring(w, fd, file);
}
