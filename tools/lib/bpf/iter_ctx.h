/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The context of the BPF task iterators (kernel/bpf/task_iter.c), for programs
 * that declare the kernel's structures themselves (no vmlinux.h): include it
 * between "#pragma clang attribute push(__attribute__((preserve_access_index)),
 * apply_to = record)" and its pop, after the program's own struct task_struct.
 */
#ifndef NSTREE_BPF_ITER_CTX_H
#define NSTREE_BPF_ITER_CTX_H

struct seq_file;
struct file;
struct vm_area_struct;

struct bpf_iter_meta {
	struct seq_file *seq;
};

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
};

struct bpf_iter__task_file {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	__u32 fd;
	struct file *file;
};

struct bpf_iter__task_vma {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	struct vm_area_struct *vma;
};

#endif
