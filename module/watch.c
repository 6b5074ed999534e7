// SPDX-License-Identifier: GPL-2.0
/*
 * NSTREE_IOC_WATCH: a stream of namespace lifecycle events, one bounded ring per
 * reader.
 *
 * Where the events come from:
 *  - _CREATED: nstree_register_birth(), under the registry mutex, when an entry is
 *    made. While a watcher exists, the birth hooks (module/active.c) queue every
 *    namespace a task takes on by clone(), unshare() or commit_creds(), with the
 *    task that did it, so the entry is made within a work item's latency;
 *  - _DIED: the reap work, for each entry the death hook retired, in order of death;
 *  - _ACTIVE/_INACTIVE: the diff work below, which brings the activity set up to
 *    date after changes (the activity hooks kick it) and reports what moved;
 *  - _PRESENT: made at read() time from the registry, for NSTREE_WATCH_INITIAL;
 *  - _LOST: the reader's ring was full.
 *
 * No hook emits: every emitter runs in process context, and the hooks only queue
 * (the birth ring, the death hook's llist, an irq_work that kicks the diff work).
 * Emitting takes nstree_watch_lock, which orders every event under one sequence
 * number, and each reader's ring lock; neither sleeps nor allocates.
 *
 * Who may read what is decided at read() time, with the reader's own credentials:
 * upstream's listns() rule (a caller that may see all namespaces sees all, any other
 * its own namespaces only). A watcher opened by such a caller also filters at
 * emission against the namespaces it had then, so a ring holds, and a _LOST counts,
 * only events that caller could ever read.
 */
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/irq_work.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include "nstree.h"

atomic_t nstree_watch_births = ATOMIC_INIT(0);
atomic_t nstree_watch_activity = ATOMIC_INIT(0);

/*
 * How long the diff work waits after a change, so that a burst costs one scan: at
 * least NSTREE_WATCH_DIFF_DELAY, and NSTREE_WATCH_DIFF_IDLE times as long as the
 * last diff took, so that scans take at most a twentieth of one CPU however many
 * tasks there are to scan. Under the benchmark's namespace churn, a scan every
 * 50 ms cost the unshare() loop up to a quarter of its rate on 6.12, every 250 ms
 * an eighth, every second nothing beyond TCG's noise (Documentation/watch.md).
 */
#define NSTREE_WATCH_DIFF_DELAY	msecs_to_jiffies(1000)
#define NSTREE_WATCH_DIFF_IDLE	19
static u64 nstree_watch_diff_ns;	/* how long the last diff took; racy reads are fine */
/*
 * Streams opened by callers who may not see all namespaces: at most this many at
 * once, each with at most NSTREE_WATCH_DEFAULT_CAPACITY events. /dev/nstree is open
 * to all; rings and the diff work's scans are what a stream costs the machine.
 */
#define NSTREE_WATCH_UNPRIV_MAX		64
static atomic_t nstree_watch_unpriv = ATOMIC_INIT(0);

/**
 * struct nstree_watcher - one NSTREE_IOC_WATCH file
 * @node: on nstree_watchers, under nstree_watch_lock
 * @lock: guards @ring, @head, @count
 * @ring: @cap events; a _LOST, when there is one, is the last
 * @cap: the ring's size
 * @head: index of the oldest event
 * @count: events in the ring
 * @flags: NSTREE_WATCH_* the reader asked for
 * @ns_type: CLONE_NEW* bits wanted, 0 for all
 * @see_all: the opener could see all namespaces; if not, @own_ids filters
 * @own_ids: the IDs of the opener's namespaces when it opened the stream
 * @read_mutex: one read() at a time: it peeks, copies out, then pops
 * @wait: readers and pollers
 * @present_next: the next ID the _PRESENT walk looks at
 * @present_end: the walk covers IDs below this; later ones come as _CREATED
 */
struct nstree_watcher {
	struct list_head node;
	spinlock_t lock;	/* @ring, @head, @count */
	struct nstree_wev *ring;
	u32 cap, head, count;
	u32 flags, ns_type;
	bool see_all;
	u64 own_ids[NSTREE_NR_TYPES];
	struct mutex read_mutex;	/* one read() at a time */
	wait_queue_head_t wait;
	u64 present_next, present_end;
};

/* Guards nstree_watchers and nstree_watch_seq; never taken in a hook. */
static DEFINE_SPINLOCK(nstree_watch_lock);
static LIST_HEAD(nstree_watchers);
static u64 nstree_watch_seq;

/*
 * Held by the diff work while it reads and moves the entries' watch_state and
 * emits, and by the _PRESENT walk while it reads watch_state: a state the walk
 * reports is either the last one the diff work emitted or older than an event the
 * reader will read after it.
 */
static DEFINE_MUTEX(nstree_watch_diff_mutex);

static void nstree_watch_diff_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(nstree_watch_diff_work, nstree_watch_diff_fn);

static void nstree_watch_irq_work_fn(struct irq_work *w)
{
	u64 took_us = div_u64(READ_ONCE(nstree_watch_diff_ns), NSEC_PER_USEC);
	unsigned long wait = usecs_to_jiffies(min_t(u64, took_us * NSTREE_WATCH_DIFF_IDLE,
						    60 * USEC_PER_SEC));

	/* Already queued: this change is covered by the scan that work will make. */
	schedule_delayed_work(&nstree_watch_diff_work, max(wait, NSTREE_WATCH_DIFF_DELAY));
}

static struct irq_work nstree_watch_irq_work;

/**
 * nstree_watch_kick() - something that may change activity happened
 *
 * Any context, hooks included: one irq_work_queue().
 */
void nstree_watch_kick(void)
{
	irq_work_queue(&nstree_watch_irq_work);
}

static bool nstree_ids_have(const u64 *ids, u64 id)
{
	int i;

	for (i = 0; i < NSTREE_NR_TYPES; i++) {
		if (ids[i] == id)
			return true;
	}
	return false;
}

/* Whether @w's opener asked for, and may see, a namespace of @type with @id. */
static bool nstree_watcher_covers(struct nstree_watcher *w, u32 type, u64 id)
{
	if (w->ns_type && !(w->ns_type & type))
		return false;
	return w->see_all || nstree_ids_have(w->own_ids, id);
}

static bool nstree_watcher_wants(struct nstree_watcher *w, const struct nstree_wev *ev)
{
	/* Births the hooks could not queue: of any type, so any see-all stream's. */
	if (ev->event == NSTREE_EVENT_LOST)
		return w->see_all;
	if ((ev->event == NSTREE_EVENT_ACTIVE || ev->event == NSTREE_EVENT_INACTIVE) &&
	    !(w->flags & NSTREE_WATCH_ACTIVITY))
		return false;
	return nstree_watcher_covers(w, ev->ns_type, ev->ns_id);
}

/*
 * Append @ev to @w's ring. The last free slot is kept for a _LOST: once it holds
 * one, later events only add to its count until the reader makes room for two. So
 * events stay in order and the gap is where the _LOST is.
 */
static void nstree_watcher_push(struct nstree_watcher *w, const struct nstree_wev *ev)
{
	u64 lost = ev->event == NSTREE_EVENT_LOST ? ev->lost : 1;
	struct nstree_wev *slot;

	spin_lock(&w->lock);
	if (w->count >= w->cap - 1) {
		slot = &w->ring[(w->head + w->count - 1) % w->cap];
		if (slot->event == NSTREE_EVENT_LOST) {
			slot->lost += lost;
			goto out;
		}
	}
	slot = &w->ring[(w->head + w->count) % w->cap];
	if (w->count == w->cap - 1) {
		*slot = (struct nstree_wev) {
			.event = NSTREE_EVENT_LOST, .seq = ev->seq, .time_ns = ev->time_ns,
			.lost = lost,
		};
	} else {
		*slot = *ev;
		if (slot->birth.pid)
			get_pid(slot->birth.pid);	/* the ring's own, put when popped */
	}
	w->count++;
out:
	spin_unlock(&w->lock);
	wake_up_interruptible(&w->wait);
}

/**
 * nstree_watch_emit() - give an event to every watcher that wants it
 * @ev: the event; its seq and time_ns are set here. Borrowed: @ev->birth.pid
 *	stays the caller's, each ring takes its own reference
 * @e: for _ACTIVE/_INACTIVE, the entry: the event is dropped once the entry's
 *	namespace has died (its _DIED is emitted later, by the reap work, so this
 *	check under the lock keeps every event of a namespace before its _DIED)
 *
 * Context: process; may be called under the registry mutex or RCU. Does not sleep.
 */
void nstree_watch_emit(struct nstree_wev *ev, struct nstree_ns *e)
{
	struct nstree_watcher *w;

	spin_lock(&nstree_watch_lock);
	if (e && !atomic_read(&e->guard))
		goto out;
	ev->seq = ++nstree_watch_seq;
	ev->time_ns = ktime_get_real_ns();
	list_for_each_entry(w, &nstree_watchers, node) {
		if (nstree_watcher_wants(w, ev))
			nstree_watcher_push(w, ev);
	}
out:
	spin_unlock(&nstree_watch_lock);
}

/*
 * The diff work: bring the activity set up to date and report every entry whose
 * activity differs from what the stream last said. An entry the stream has not
 * reported yet counts as active: its _CREATED or _PRESENT said so.
 */
static void nstree_watch_diff_fn(struct work_struct *work)
{
	u64 gen, limit, start = ktime_get_ns();
	unsigned long index = 0;
	struct nstree_ns *e;
	unsigned int n = 0;
	u32 state, now;

	if (!atomic_read(&nstree_watch_activity))
		return;
	mutex_lock(&nstree_watch_diff_mutex);
	/*
	 * Only entries made before the scan are judged by it: one registered since
	 * (active_gen 0) would pass for inactive. Its registration noted a change
	 * under the registry mutex, which this read takes, so the scan below rescans
	 * if the entry came after the last one; later entries kick this work again.
	 */
	limit = nstree_registry_next_id();
	if (nstree_active_lock(&gen)) {
		mutex_unlock(&nstree_watch_diff_mutex);
		/* -ENOMEM or a signal to the worker: try again, later */
		schedule_delayed_work(&nstree_watch_diff_work, HZ / 10);
		return;
	}
	rcu_read_lock();
	for (e = nstree_next_rcu(&index); e && e->id < limit; e = nstree_next_rcu(&index)) {
		now = NSTREE_WATCH_STATE_KNOWN |
		      (nstree_is_active(e, gen) ? NSTREE_WATCH_STATE_ACTIVE : 0);
		state = READ_ONCE(e->watch_state);
		if (!(state & NSTREE_WATCH_STATE_KNOWN))
			state |= NSTREE_WATCH_STATE_KNOWN | NSTREE_WATCH_STATE_ACTIVE;
		if (state != now) {
			struct nstree_wev ev = {
				.event = (now & NSTREE_WATCH_STATE_ACTIVE) ?
					 NSTREE_EVENT_ACTIVE : NSTREE_EVENT_INACTIVE,
				.ns_id = e->id, .ns_type = e->type, .ns_inum = e->inum,
			};

			nstree_watch_emit(&ev, e);
		}
		WRITE_ONCE(e->watch_state, now);
		index++;
		/* The active lock keeps the generation; RCU is left now and then. */
		if (!(++n % 256)) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
	nstree_active_unlock();
	mutex_unlock(&nstree_watch_diff_mutex);
	/* Wall time, preemption included: a busy machine waits longer for the next. */
	WRITE_ONCE(nstree_watch_diff_ns, ktime_get_ns() - start);
}

/* What the reader may read: decided with its own credentials, per read(). */
struct nstree_watch_view {
	bool see_all;
	u64 ids[NSTREE_NR_TYPES];
	struct pid_namespace *pid_ns;	/* the reader's, for creators' numbers */
};

/* The IDs of the calling task's namespaces (0 where it has none or no entry). */
static void nstree_current_ids(u64 ids[NSTREE_NR_TYPES])
{
	struct ns_common *cur[NSTREE_NR_TYPES];
	struct nstree_ns *e;
	int i;

	nstree_current_namespaces(cur);
	for (i = 0; i < NSTREE_NR_TYPES; i++) {
		ids[i] = 0;
		if (!cur[i])
			continue;
		e = nstree_register(cur[i]);
		if (!IS_ERR(e))
			ids[i] = e->id;
		nstree_ns_put(cur[i]);
	}
}

static void nstree_watch_view_get(struct nstree_watch_view *v)
{
	v->see_all = nstree_may_see_all();
	if (!v->see_all)
		nstree_current_ids(v->ids);
	v->pid_ns = task_active_pid_ns(current);
}

static bool nstree_view_sees(const struct nstree_watch_view *v, u64 id)
{
	return v->see_all || nstree_ids_have(v->ids, id);
}

static void nstree_wev_to_user(struct nstree_watch_event *out, const struct nstree_wev *ev,
			       const struct nstree_watch_view *v)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->event = ev->event;
	out->flags = ev->flags;
	out->seq = ev->seq;
	out->time_ns = ev->time_ns;
	out->ns_id = ev->ns_id;
	out->ns_type = ev->ns_type;
	out->ns_inum = ev->ns_inum;
	out->owner_id = ev->owner_id;
	out->parent_id = ev->parent_id;
	out->lost = ev->lost;
	if (ev->flags & NSTREE_EVENT_F_CREATOR) {
		/* 0 when the creator has no number in the reader's pid namespace */
		out->pid = pid_nr_ns(ev->birth.pid, v->pid_ns);
		memcpy(out->comm, ev->birth.comm, sizeof(out->comm));
		out->comm[sizeof(out->comm) - 1] = '\0';
	}
}

/*
 * What a _PRESENT reports of @e's activity. A stream that follows activity gets
 * the state the diff work last emitted, read under its mutex: every later change
 * reaches the stream as an event relative to it (an entry never diffed counts as
 * active, as the diff work counts it). Any other stream gets the activity set as
 * it is now.
 */
static int nstree_watch_present_state(struct nstree_watcher *w, struct nstree_ns *e, u32 *state)
{
	u64 gen;
	int err;

	if (w->flags & NSTREE_WATCH_ACTIVITY) {
		err = mutex_lock_killable(&nstree_watch_diff_mutex);
		if (err)
			return err;
		*state = READ_ONCE(e->watch_state);
		mutex_unlock(&nstree_watch_diff_mutex);
		return 0;
	}
	err = nstree_active_lock(&gen);
	if (err)
		return err;
	*state = NSTREE_WATCH_STATE_KNOWN |
		 (nstree_is_active(e, gen) ? NSTREE_WATCH_STATE_ACTIVE : 0);
	nstree_active_unlock();
	return 0;
}

/*
 * The next _PRESENT record for the reader, if the walk has one left: 1 with
 * @out filled, 0 when the walk is over, or a negative errno.
 */
static int nstree_watch_next_present(struct nstree_watcher *w, const struct nstree_watch_view *v,
				     struct nstree_watch_event *out)
{
	struct nstree_wev ev = { .event = NSTREE_EVENT_PRESENT };
	unsigned long index;
	struct ns_common *ns;
	struct nstree_ns *e;
	u32 state;
	u64 id;
	int err;

	while (w->present_next < w->present_end) {
		index = w->present_next;
		e = nstree_next_get(&index, &ns);
		if (!e || e->id >= w->present_end) {
			if (e)
				nstree_ns_put(ns);
			w->present_next = w->present_end;
			break;
		}
		/* @e is live while our reference is: read nothing of it after the put. */
		id = e->id;
		w->present_next = id + 1;
		/* What both the opener and the reader may see (the fd may have moved). */
		if (!nstree_watcher_covers(w, e->type, id) || !nstree_view_sees(v, id)) {
			nstree_ns_put(ns);
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
			continue;
		}
		err = nstree_ns_lineage(ns, &ev.owner_id, &ev.parent_id);
		if (!err)
			err = nstree_watch_present_state(w, e, &state);
		if (err) {
			nstree_ns_put(ns);
			w->present_next = id;	/* the next read() tries it again */
			return err;
		}
		/* Not an event of its own: it carries the number of the last one made. */
		ev.seq = READ_ONCE(nstree_watch_seq);
		ev.flags = 0;
		if (!(state & NSTREE_WATCH_STATE_KNOWN) || (state & NSTREE_WATCH_STATE_ACTIVE))
			ev.flags = NSTREE_EVENT_F_ACTIVE;
		ev.ns_id = id;
		ev.ns_type = e->type;
		ev.ns_inum = e->inum;
		ev.time_ns = ktime_get_real_ns();
		nstree_ns_put(ns);
		nstree_wev_to_user(out, &ev, v);
		return 1;
	}
	return 0;
}

/*
 * Copy the ring's oldest event to @out if the reader may see it: 1 when copied
 * out (and the event is then consumed), 0 when the ring is empty, or -EFAULT
 * (the event stays). Events the reader may not see are consumed unseen.
 */
static int nstree_watch_next_ring(struct nstree_watcher *w, const struct nstree_watch_view *v,
				  struct nstree_watch_event __user *uout)
{
	struct nstree_watch_event out;
	struct pid *drop = NULL;
	struct nstree_wev ev;
	bool visible;

	for (;;) {
		spin_lock(&w->lock);
		if (!w->count) {
			spin_unlock(&w->lock);
			return 0;
		}
		ev = w->ring[w->head];	/* the ring keeps its pid reference until the pop */
		spin_unlock(&w->lock);
		visible = ev.event == NSTREE_EVENT_LOST || nstree_view_sees(v, ev.ns_id);
		if (visible) {
			nstree_wev_to_user(&out, &ev, v);
			if (copy_to_user(uout, &out, sizeof(out)))
				return -EFAULT;
		}
		spin_lock(&w->lock);
		/*
		 * Only the reader pops, under read_mutex, so the head is still @ev. A _LOST
		 * at the head may also be the tail, and may have grown since it was copied:
		 * then it stays, with what was reported taken off.
		 */
		if (ev.event == NSTREE_EVENT_LOST && w->ring[w->head].lost != ev.lost) {
			w->ring[w->head].lost -= ev.lost;	/* only with the smallest rings */
		} else {
			drop = w->ring[w->head].birth.pid;
			w->head = (w->head + 1) % w->cap;
			w->count--;
		}
		spin_unlock(&w->lock);
		put_pid(drop);
		drop = NULL;
		if (visible)
			return 1;
	}
}

static bool nstree_watch_ready(struct nstree_watcher *w)
{
	return READ_ONCE(w->count) || READ_ONCE(w->present_next) < READ_ONCE(w->present_end);
}

static ssize_t nstree_watch_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	struct nstree_watcher *w = file->private_data;
	struct nstree_watch_event __user *uout = (struct nstree_watch_event __user *)buf;
	const size_t rec = sizeof(struct nstree_watch_event);
	struct nstree_watch_event out;
	struct nstree_watch_view v;
	size_t done = 0;
	int ret = 0;

	if (len < rec)
		return -EINVAL;
	if (mutex_lock_interruptible(&w->read_mutex))
		return -ERESTARTSYS;
	nstree_watch_view_get(&v);
	for (;;) {
		while (done + rec <= len) {
			ret = nstree_watch_next_present(w, &v, &out);
			if (ret > 0 && copy_to_user(uout, &out, rec)) {
				/* That namespace is walked again by the next read(). */
				w->present_next = out.ns_id;
				ret = -EFAULT;
			}
			if (ret <= 0)
				break;
			uout++;
			done += rec;
		}
		while (!ret && done + rec <= len) {
			ret = nstree_watch_next_ring(w, &v, uout);
			if (ret <= 0)
				break;
			ret = 0;
			uout++;
			done += rec;
		}
		if (done || ret < 0)
			break;
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&w->read_mutex);
		ret = wait_event_interruptible(w->wait, nstree_watch_ready(w));
		if (ret)
			return ret;
		if (mutex_lock_interruptible(&w->read_mutex))
			return -ERESTARTSYS;
	}
	mutex_unlock(&w->read_mutex);
	return done ? done : ret;
}

static __poll_t nstree_watch_poll(struct file *file, struct poll_table_struct *pt)
{
	struct nstree_watcher *w = file->private_data;

	poll_wait(file, &w->wait, pt);
	return nstree_watch_ready(w) ? EPOLLIN | EPOLLRDNORM : 0;
}

static void nstree_watcher_free(struct nstree_watcher *w)
{
	u32 i;

	for (i = 0; i < w->count; i++)
		put_pid(w->ring[(w->head + i) % w->cap].birth.pid);
	kvfree(w->ring);
	kfree(w);
}

static int nstree_watch_release(struct inode *inode, struct file *file)
{
	struct nstree_watcher *w = file->private_data;

	spin_lock(&nstree_watch_lock);
	list_del(&w->node);
	spin_unlock(&nstree_watch_lock);
	/* Emitters hold nstree_watch_lock while they touch @w: none does any more. */
	if (w->flags & NSTREE_WATCH_ACTIVITY)
		atomic_dec(&nstree_watch_activity);
	atomic_dec(&nstree_watch_births);
	if (!w->see_all)
		atomic_dec(&nstree_watch_unpriv);
	nstree_watcher_free(w);
	return 0;
}

static const struct file_operations nstree_watch_fops = {
	.owner		= THIS_MODULE,	/* an open stream pins the module: rmmod is refused */
	.read		= nstree_watch_read,
	.poll		= nstree_watch_poll,
	.release	= nstree_watch_release,
	.llseek		= noop_llseek,
};

static int nstree_watch_check(const struct nstree_watch *req)
{
	if (req->flags & ~(NSTREE_WATCH_INITIAL | NSTREE_WATCH_ACTIVITY | NSTREE_WATCH_NONBLOCK))
		return -EINVAL;
	if (req->reserved[0] || req->reserved[1])
		return -EINVAL;
	if (req->capacity && (req->capacity < NSTREE_WATCH_MIN_CAPACITY ||
			      req->capacity > NSTREE_WATCH_MAX_CAPACITY))
		return -EINVAL;
	if (req->ns_type & ~NSTREE_ALL_TYPES)
		return -EOPNOTSUPP;
	return 0;
}

static struct nstree_watcher *nstree_watcher_alloc(const struct nstree_watch *req)
{
	struct nstree_watcher *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return NULL;
	w->cap = req->capacity ?: NSTREE_WATCH_DEFAULT_CAPACITY;
	w->ring = kvcalloc(w->cap, sizeof(*w->ring), GFP_KERNEL_ACCOUNT);
	if (!w->ring) {
		kfree(w);
		return NULL;
	}
	spin_lock_init(&w->lock);
	mutex_init(&w->read_mutex);
	init_waitqueue_head(&w->wait);
	w->flags = req->flags;
	w->ns_type = req->ns_type;
	w->see_all = nstree_may_see_all();
	if (!w->see_all)
		nstree_current_ids(w->own_ids);
	return w;
}

/**
 * nstree_ioc_watch() - NSTREE_IOC_WATCH: open an event stream
 * @uarg: struct nstree_watch
 *
 * The watcher joins the list before the registry's next ID is read: every entry
 * made from then on is announced to it, and every one made before is in the
 * _PRESENT walk (if it asked for one) while it lives.
 *
 * Return: the new fd, or a negative errno (nothing is left behind).
 */
long nstree_ioc_watch(void __user *uarg)
{
	struct nstree_watch req;
	struct nstree_watcher *w;
	struct file *file;
	int fd, err;
	u64 gen;

	err = nstree_copy_in(&req, sizeof(req), NSTREE_WATCH_SIZE_VER0, uarg);
	if (!err)
		err = nstree_watch_check(&req);
	if (err)
		return err;
	w = nstree_watcher_alloc(&req);
	if (!w)
		return -ENOMEM;
	if (!w->see_all) {
		err = -EPERM;
		if (w->cap > NSTREE_WATCH_DEFAULT_CAPACITY)
			goto out_free;
		err = -ENOSPC;
		if (atomic_inc_return(&nstree_watch_unpriv) > NSTREE_WATCH_UNPRIV_MAX)
			goto out_unpriv;
	}
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		err = fd;
		goto out_unpriv;
	}
	/*
	 * From here the birth hooks queue what they see; then the activity scan
	 * registers every namespace a task uses, so that the _PRESENT walk finds
	 * those that existed before.
	 */
	atomic_inc(&nstree_watch_births);
	if (req.flags & NSTREE_WATCH_INITIAL) {
		err = nstree_active_lock(&gen);
		if (err)
			goto out_births;
		nstree_active_unlock();
	}
	file = anon_inode_getfile("[nstree-watch]", &nstree_watch_fops, w, O_RDONLY |
				  ((req.flags & NSTREE_WATCH_NONBLOCK) ? O_NONBLOCK : 0));
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto out_births;
	}
	if (req.flags & NSTREE_WATCH_ACTIVITY)
		atomic_inc(&nstree_watch_activity);
	spin_lock(&nstree_watch_lock);
	list_add_tail(&w->node, &nstree_watchers);
	spin_unlock(&nstree_watch_lock);
	if (req.flags & NSTREE_WATCH_INITIAL) {
		w->present_next = 1;
		w->present_end = nstree_registry_next_id();
	}
	if (req.flags & NSTREE_WATCH_ACTIVITY)
		nstree_watch_kick();	/* the first diff reports what is inactive now */
	fd_install(fd, file);
	return fd;
out_births:
	atomic_dec(&nstree_watch_births);
	put_unused_fd(fd);
out_unpriv:
	if (!w->see_all)
		atomic_dec(&nstree_watch_unpriv);
out_free:
	nstree_watcher_free(w);
	return err;
}

/**
 * nstree_watch_init() - ready the irq_work that kicks the diff work
 */
int nstree_watch_init(void)
{
	init_irq_work(&nstree_watch_irq_work, nstree_watch_irq_work_fn);
	return 0;
}

/**
 * nstree_watch_exit() - wait for the diff work; no watcher exists (each pins us)
 *
 * Called twice at unload: before the hooks and the registry go, so that a diff
 * still running (it started while a watcher was open) is done before they are;
 * and after, when no hook can queue the irq_work any more. A run started in
 * between finds no watcher and returns at once, touching nothing.
 */
void nstree_watch_exit(void)
{
	irq_work_sync(&nstree_watch_irq_work);
	cancel_delayed_work_sync(&nstree_watch_diff_work);
}
