// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * self: keeps excluded_tgids (self_filter.bpf.h) up to date for a capture.
 * User space puts bpfscope's own processes in the map; a process one of them
 * forks joins it, and leaves it when it is freed, so its tgid can be reused
 * by a stranger. Not a probe: it sends no event and is always loaded,
 * with the capture, when bpfscope keeps itself out of it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "self_filter.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("raw_tp/sched_process_fork")
int BPF_PROG(self_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 parent_tgid = bpf_get_current_pid_tgid() >> 32; /* the task that forks */
	__u32 child_tgid = BPF_CORE_READ(child, tgid);

	if (child_tgid == parent_tgid)
		return 0; /* a new thread: its process is in the map already, or not */
	if (bpf_map_lookup_elem(&excluded_tgids, &parent_tgid))
		bpf_map_update_elem(&excluded_tgids, &child_tgid, &parent_tgid, BPF_ANY);
	return 0;
}

/*
 * When the process is gone, not when it exits: the exit probe still has to
 * see its sched_process_exit as excluded. The leader is freed last, once its
 * whole thread group has exited and been reaped.
 */
SEC("raw_tp/sched_process_free")
int BPF_PROG(self_free, struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);

	if (BPF_CORE_READ(task, pid) == tgid)
		bpf_map_delete_elem(&excluded_tgids, &tgid);
	return 0;
}
