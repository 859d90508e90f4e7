// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * exit: one event per process that ends, with how it ended.
 *
 * sched_process_exit fires for every thread; the process is gone when its
 * last thread exits, which the tracepoint says with group_dead (the
 * kernel's own atomic_dec_and_test of signal->live). Kernels without that
 * field fall back to the thread group leader's exit, which misses
 * processes whose leader exits before the other threads.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpfscope.bpf.h"
#include "exit.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

KEEP_EVENT_TYPE(struct exit_event, exit_event);

/* The 6.x tracepoint; older kernels lack group_dead (checked with CO-RE). */
struct trace_event_raw_sched_process_exit___group_dead {
	bool group_dead;
} __attribute__((preserve_access_index));

static __always_inline bool process_ends(void *ctx, struct task_struct *task)
{
	struct trace_event_raw_sched_process_exit___group_dead *tp = ctx;

	if (bpf_core_field_exists(tp->group_dead))
		return tp->group_dead;
	return BPF_CORE_READ(task, pid) == BPF_CORE_READ(task, tgid);
}

/*
 * Lifetime on CLOCK_BOOTTIME (start_boottime, 5.5+), the header's clock, so
 * that ts_ns - lifetime_ns is the start and a suspend in between counts;
 * older kernels: CLOCK_MONOTONIC (start_time), which does not count it.
 */
static __always_inline __u64 lifetime(struct task_struct *leader, __u64 boot_now)
{
	__u64 start;

	if (bpf_core_field_exists(leader->start_boottime)) {
		start = BPF_CORE_READ(leader, start_boottime);
		return boot_now > start ? boot_now - start : 0;
	}
	start = BPF_CORE_READ(leader, start_time);
	{
		__u64 now = bpf_ktime_get_ns();

		return now > start ? now - start : 0;
	}
}

SEC("tracepoint/sched/sched_process_exit")
int exit_done(struct trace_event_raw_sched_process_exit *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct exit_event e = {};

	if (!process_ends(ctx, task))
		return 0;
	if (!fill_header(&e.hdr, EVENT_EXIT))
		return 0;
	e.ppid = BPF_CORE_READ(task, real_parent, tgid);
	/* Every thread carries the group's exit code by now (do_group_exit copies it). */
	e.status = BPF_CORE_READ(task, exit_code);
	e.lifetime_ns = lifetime(BPF_CORE_READ(task, group_leader), e.hdr.ts_ns);
	emit(&e, sizeof(e));
	return 0;
}
